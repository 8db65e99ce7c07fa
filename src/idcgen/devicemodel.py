"""The vendor-neutral device model: what a running config means, not how it is spelled.

Vendor parsers (idcgen.vendors.*) fill it; rules (idcgen.rules.*) read only it. Syntax
facts that change meaning (Cisco's default distance 1 vs Huawei's 60 vs Junos' 5, the
action of a packet that matches no ACL entry, the order in which Huawei cpu-defend
evaluates whitelist and CAR) are resolved by the parser, so no rule needs to know which
vendor it looks at.

Every object keeps `line`: the 1-based line of the config it came from (0 if none).

The per-line objects use `slots=True`: a 500k-line config holds hundreds of thousands of
them, and a slotted instance is about half the size of one with a `__dict__`. For the same
reason parsers share equal values between objects (IPv4 objects, an entry's one-protocol
set, a `host` ACL entry's destination list): a parsed Device is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from idcgen.indexes import ConnectedIndex

ANY = IPv4Network("0.0.0.0/0")

Action = Literal["permit", "deny"]


# --------------------------------------------------------------------------- interfaces
@dataclass(slots=True)
class Interface:
    """An L3 interface (Cisco subinterface, Huawei sub-interface, Junos unit: name as the
    vendor prints it, e.g. `GigabitEthernet0/0/1.100`, `ge-0/0/1.100`)."""

    name: str
    line: int = 0
    addresses: list[IPv4Interface] = field(default_factory=list)
    vlan: int | None = None
    description: str | None = None
    inbound_filter: str | None = None  # ACL / traffic-filter / firewall filter name
    inbound_filter_line: int = 0
    shutdown: bool = False
    tunnel_destination: IPv4Address | None = None  # tunnel / st0 interfaces
    # SRX zones: does host-inbound-traffic allow ping on this interface? None = not SRX/unknown
    host_inbound_ping: bool | None = None
    # the policy-based IPsec map applied here (Cisco crypto map / Huawei ipsec policy
    # group); an interface takes one, so applying another replaces it
    ipsec_map: str | None = None
    ipsec_map_line: int = 0
    # the outside (Internet) side of source NAT: Cisco `ip nat outside`, Huawei
    # `nat outbound` on the interface, a Junos source-NAT rule-set `to` this interface or
    # its zone. Counter-evidence for a cloud link (links.py).
    nat_outside: bool = False
    zone: str | None = None  # security / firewall zone the interface sits in, if any

    def has_address(self, address: IPv4Address) -> bool:
        return any(a.ip == address for a in self.addresses)

    def connected(self, address: IPv4Address) -> bool:
        """Is `address` inside one of this interface's subnets?"""
        return any(address in a.network for a in self.addresses)


# --------------------------------------------------------------------------- routes
@dataclass(slots=True)
class StaticRoute:
    """One static route next hop. A Junos route with two next hops is two StaticRoutes."""

    prefix: IPv4Network
    next_hop: IPv4Address | None = None
    interface: str | None = None  # outgoing interface, when given (Null0, Tunnel1, st0.1)
    preference: int = 1  # vendor default already applied (Cisco 1, Huawei 60, Junos 5)
    name: str | None = None  # Cisco `name`, Huawei `description`
    tag: int | None = None
    vrf: str | None = None  # None = global table; rules look at the global table only
    discard: bool = False  # Null0 / discard / reject / blackhole
    line: int = 0
    # failure detection (issue #11): the liveness check the route statement itself names
    # (Cisco `track 101`, Huawei `track nqa admin T` / `track bfd-session S`, Junos
    # `bfd-liveness-detection` on the next hop), as a `Tracker.key` ("track 101",
    # "nqa admin T", "bfd-session S", "bfd 300 3"); two statements that differ in it
    # are different statements (review)
    tracker: str | None = None
    # a check that watches the route from another statement (Cisco `ip route static bfd
    # IF NH`, SRX ip-monitoring that replaces the route): not part of the statement
    watched_by: str | None = None

    @property
    def detected(self) -> bool:
        """Does anything withdraw or replace this route when its next hop dies while
        the port stays up?"""
        return self.tracker is not None or self.watched_by is not None

    @property
    def target(self) -> tuple:
        """Where the route sends traffic: the next-hop address when there is one (the
        outgoing interface written beside it only restates what the address's subnet
        already decides), else the interface; and whether it discards."""
        if self.next_hop is not None:
            return (self.next_hop, None, self.discard)
        return (None, self.interface, self.discard)

    @property
    def key(self) -> tuple:
        """THE identity of a route, for every comparison of routes (duplicates, review,
        conflicts): VRF, prefix and `target` (ignores name, tag, preference and line).
        `ip route P M 10.0.0.1` and `ip route P M Gi0/0/1 10.0.0.1` are one route."""
        return (self.vrf, self.prefix, *self.target)


@dataclass(slots=True)
class LearnedRoute(StaticRoute):
    """A route the device learns by BGP from a cloud-facing peer (idcgen.bgp computes
    them; parsers never make one): `next_hop` is the VBR address, `preference` the
    vendor's eBGP preference, `line` the neighbor statement. Rules judge it like a
    static route, but never offer to remove it (there is no route command to delete)."""


@dataclass(slots=True)
class Tracker:
    """A liveness check static routes can follow (failure detection, issue #11).

    kind "probe": an ICMP probe (Cisco IP SLA icmp-echo, Huawei NQA icmp test, Junos RPM
    test); "track": an object that follows a probe (Cisco `track N ip sla M`); "bfd": a
    BFD session (Cisco `ip route static bfd`, Huawei `bfd NAME bind peer-ip`);
    "monitor": SRX ip-monitoring that replaces routes when its probe fails.
    `key` is how routes name it; `settings` is what review compares (intervals,
    counts, the started state), in the parser's own order.
    """

    key: str
    kind: Literal["probe", "track", "bfd", "monitor"]
    target: IPv4Address | None = None
    source: IPv4Address | None = None
    interface: str | None = None
    follows: str | None = None  # the key of the probe a track / monitor follows
    settings: tuple = ()
    line: int = 0


# --------------------------------------------------------------------------- filters
@dataclass(slots=True)
class PacketMatch:
    """What an ACL entry / filter term matches. None or empty = any."""

    protocols: set[str] | None = None  # {"icmp"}, {"tcp", "udp"}; None = any IP protocol
    sources: list[IPv4Network] | None = None
    destinations: list[IPv4Network] | None = None
    icmp_types: set[str] | None = None  # {"echo"}, {"echo-reply"}; None = any type

    def matches(self, src: IPv4Address, dst: IPv4Address, protocol: str,
                icmp_type: str | None = None) -> bool:
        if self.protocols is not None and protocol not in self.protocols \
                and "ip" not in self.protocols:
            return False
        if self.sources is not None and not any(src in n for n in self.sources):
            return False
        if self.destinations is not None and not any(dst in n for n in self.destinations):
            return False
        return not (self.icmp_types is not None and icmp_type is not None
                    and icmp_type not in self.icmp_types)


@dataclass(slots=True)
class FilterEntry:
    """One ACL rule / filter term. `action` None means non-terminating (Junos `next term`):
    evaluation goes on to the next entry. (A Junos term with only `count` or a policer
    accepts: the parser gives it action "permit".)"""

    match: PacketMatch
    action: Action | None
    name: str | None = None  # Junos term name, Huawei rule id, Cisco sequence
    police_rate_bps: int | None = None  # Junos term with `then policer`
    police_name: str | None = None
    line: int = 0


@dataclass(slots=True)
class Filter:
    """An ordered ACL or firewall filter, evaluated first match.

    `default_action` is what happens to a packet no entry matches: deny for Cisco ACLs
    and Junos filters, permit for a Huawei traffic-filter.
    """

    name: str
    entries: list[FilterEntry] = field(default_factory=list)
    default_action: Action = "deny"
    line: int = 0

    def evaluate(self, src: IPv4Address, dst: IPv4Address, protocol: str,
                 icmp_type: str | None = None) -> tuple[Action, FilterEntry | None]:
        """First-match result and the entry that decided it (None = the default action)."""
        for entry in self.entries:
            if entry.action is None:
                continue
            if entry.match.matches(src, dst, protocol, icmp_type):
                return entry.action, entry
        return self.default_action, None


# --------------------------------------------------------------------------- control plane
Treatment = Literal["exempt", "police", "drop", "pass"]


@dataclass(slots=True)
class ControlPlaneStage:
    """One step of control-plane protection, in evaluation order.

    Cisco: a CoPP class (match via ACLs); Huawei: cpu-defend whitelist / blacklist / car /
    deny packet-type; Junos: a term of the lo0 input filter. The first stage whose
    classifier matches a probe decides its treatment:
      exempt - explicitly not limited (whitelist, accept without policer, transmit/transmit)
      police - rate-limited to `rate_bps` / `rate_pps` (shared with everything it matches)
      drop   - discarded
      pass   - matched but neither limited nor exempted (Cisco class with no action)
    `per_type_budget`: a per-packet-type policer on a platform that has no finer class
    the probes could get (Huawei CloudEngine CPCAR): at or above Alibaba's floor it is the
    budget Alibaba asks for, so the lint counts it as the probes' own.
    """

    name: str
    treatment: Treatment
    match: PacketMatch | None = None  # None when `acl` decides
    acl: str | None = None  # classify by this Filter: a packet it permits matches the stage
    negate_acl: bool = False  # Cisco `match not access-group`
    rate_bps: int | None = None
    rate_pps: int | None = None
    line: int = 0
    per_type_budget: bool = False

    def classifies(self, filters: dict[str, Filter], src: IPv4Address, dst: IPv4Address,
                   protocol: str, icmp_type: str | None = None) -> bool:
        if self.acl is not None:
            # A classifier matches on an explicit permit entry only: the filter's default
            # action (a Huawei traffic-filter passes unmatched traffic) says nothing here.
            acl = filters.get(self.acl)
            action, entry = (acl.evaluate(src, dst, protocol, icmp_type) if acl is not None
                             else ("deny", None))
            hit = action == "permit" and entry is not None
            hit = (not hit) if self.negate_acl else hit
            if not hit:
                return False
        if self.match is not None:
            return self.match.matches(src, dst, protocol, icmp_type)
        return self.acl is not None


@dataclass(slots=True)
class ControlPlanePolicy:
    """A CoPP policy-map / cpu-defend policy / lo0 input filter, with its stages in order.

    `applied` is False for a policy that exists but is not attached (Cisco policy-map not
    under `control-plane`, Huawei cpu-defend policy never applied, a filter not on lo0):
    an unapplied policy protects nothing and drops nothing.
    `end_treatment` is what happens to a packet no stage matches (Junos lo0 filter:
    implicit discard; Cisco class-default is an explicit stage; Huawei: pass).
    """

    name: str
    kind: str  # the parser's tag for it (messages take the driver's words)
    stages: list[ControlPlaneStage] = field(default_factory=list)
    applied: bool = False
    end_treatment: Treatment = "pass"
    line: int = 0
    applied_line: int = 0


# --------------------------------------------------------------------------- IPsec
@dataclass(slots=True)
class IkeProposal:
    name: str
    # Alibaba names: aes, aes192, aes256, des, 3des
    encryption: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)  # md5, sha1, sha256, sha384, sha512
    dh_groups: list[int] = field(default_factory=list)
    lifetime_s: int | None = None
    version: int | None = None  # 1 or 2 when the object is version-specific
    line: int = 0


@dataclass(slots=True)
class IpsecProposal:
    name: str
    encryption: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    protocol: str = "esp"
    mode: str = "tunnel"
    line: int = 0


@dataclass(slots=True)
class IpsecPeer:
    """An IKE peer (Cisco keyring peer / isakmp key, Huawei ike peer, Junos ike gateway)."""

    name: str
    address: IPv4Address | None = None
    ike_version: int | None = None  # 1, 2 or None = both/unknown
    ike_mode: str | None = None  # main / aggressive
    ike_proposals: list[str] = field(default_factory=list)
    psk_present: bool = False
    psk_cleartext: bool = False  # stored readable (Cisco type 0, Huawei simple)
    psk_line: int = 0
    local_identity: str | None = None
    remote_identity: str | None = None
    dpd: bool | None = None
    nat_traversal: bool | None = None
    line: int = 0


@dataclass(slots=True)
class IpsecTunnel:
    """One IPsec SA definition: crypto map entry, Huawei ipsec policy/profile, Junos vpn."""

    name: str
    peer: str | None = None  # IpsecPeer.name
    peer_address: IPv4Address | None = None
    proposals: list[str] = field(default_factory=list)  # IpsecProposal names
    pfs_group: int | None = None  # None = PFS off
    lifetime_s: int | None = None
    route_based: bool = False
    tunnel_interface: str | None = None
    # policy-based selectors (local, remote) pairs from the crypto ACL / proxy-identity
    selectors: list[tuple[IPv4Network, IPv4Network]] = field(default_factory=list)
    selector_acl: str | None = None
    # where the selectors are written when not in the tunnel's own block (the security
    # policy that tunnels into a Junos policy-based VPN); 0 = at `line`
    selector_line: int = 0
    line: int = 0


@dataclass(slots=True)
class IpsecConfig:
    ike_proposals: dict[str, IkeProposal] = field(default_factory=dict)
    ipsec_proposals: dict[str, IpsecProposal] = field(default_factory=dict)
    peers: dict[str, IpsecPeer] = field(default_factory=dict)
    tunnels: list[IpsecTunnel] = field(default_factory=list)
    # user-defined IKE proposal-selection policies (Cisco `crypto ikev2 policy`): where
    # the vendor has a built-in default used only while none exists
    ike_policies: dict[str, int] = field(default_factory=dict)  # name -> line


# --------------------------------------------------------------------------- BGP
# What a route policy says about one route: permit / deny, or "unknown" when a condition
# the model does not evaluate (community, AS path, tag, an undefined list) decides it.
Verdict = Literal["permit", "deny", "unknown"]


@dataclass(slots=True)
class PrefixMatch:
    """One prefix-list / ip-prefix entry or Junos route-filter: the routes inside `prefix`
    whose length is between `ge` and `le` (both inclusive; `exact` is ge = le = the
    prefix's own length, `orlonger` le 32, `longer` ge = length + 1, `upto /N` le N,
    `prefix-length-range /A-/B` ge A le B)."""

    prefix: IPv4Network
    ge: int
    le: int
    action: Action = "permit"
    line: int = 0

    def matches(self, net: IPv4Network) -> bool:
        length = self.prefix.prefixlen
        if not (self.ge <= net.prefixlen <= self.le) or net.prefixlen < length:
            return False
        shift = 32 - length
        return int(net.network_address) >> shift == int(self.prefix.network_address) >> shift


@dataclass(slots=True)
class PrefixList:
    """An ordered prefix-list / ip-prefix (first match; a route no entry matches is
    denied on all three vendors) or a Junos prefix-list (every entry exact, permit)."""

    name: str
    entries: list[PrefixMatch] = field(default_factory=list)
    line: int = 0
    # (the entry prefix lengths, (length, network bits) -> entry positions), built on
    # first use by a long list: a look-up is one probe per length, not a scan of entries
    _index: tuple[int, tuple[int, ...], dict[tuple[int, int], list[int]]] | None = field(
        default=None, repr=False, compare=False)

    def evaluate(self, net: IPv4Network) -> tuple[Action, PrefixMatch | None]:
        entries = self.entries
        if len(entries) <= 16:
            for entry in entries:
                if entry.matches(net):
                    return entry.action, entry
            return "deny", None
        if self._index is None or self._index[0] != len(entries):
            table: dict[tuple[int, int], list[int]] = {}
            for position, entry in enumerate(entries):
                length = entry.prefix.prefixlen
                key = (length, int(entry.prefix.network_address) >> (32 - length))
                table.setdefault(key, []).append(position)
            self._index = (len(entries), tuple(sorted({k[0] for k in table})), table)
        _, lengths, table = self._index
        value, best = int(net.network_address), len(entries)
        for length in lengths:
            if length > net.prefixlen:
                break
            for position in table.get((length, value >> (32 - length)), ()):
                if position < best and entries[position].matches(net):
                    best = position
                    break
        if best == len(entries):
            return "deny", None
        return entries[best].action, entries[best]


@dataclass(slots=True)
class PolicyTerm:
    """One route-map entry / route-policy node / policy-statement term.

    The term matches a route when every condition holds: `prefix_lists` (any of them
    permits the prefix) and `route_filters` (any matches), `protocols` (the route's
    source: bgp, static, direct, aggregate; empty = any), `neighbors` (learned from one
    of them; empty = any). `other` holds conditions the model does not evaluate
    (community, AS path, tag...): a term with any is "unknown" for every route its
    other conditions admit. `action` None: no terminating action (Junos), evaluation
    goes on with the next term."""

    name: str
    action: Action | None
    prefix_lists: list[str] = field(default_factory=list)
    route_filters: list[PrefixMatch] = field(default_factory=list)
    protocols: list[str] = field(default_factory=list)
    neighbors: list[IPv4Address] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    sets_preference: bool = False  # sets local-preference / weight / preference / prepend
    line: int = 0


@dataclass(slots=True)
class RoutePolicy:
    """A route-map / route-policy / policy-statement, its terms in evaluation order.

    `default_action` is what happens to a route no term decides: deny for a Cisco
    route-map and a Huawei route-policy; None for a Junos policy-statement (the next
    policy of the chain, then the protocol's default policy, decides)."""

    name: str
    terms: list[PolicyTerm] = field(default_factory=list)
    default_action: Action | None = "deny"
    line: int = 0


@dataclass(slots=True)
class BgpNetwork:
    """A prefix the device originates into BGP (`network`, Huawei `network`, or a Junos
    aggregate/generate route an export policy may pick up)."""

    prefix: IPv4Network
    line: int = 0


@dataclass(slots=True)
class Redistribution:
    """`redistribute static route-map X` / `import-route static route-policy X`."""

    protocol: str  # static | direct | ospf | ...
    policy: str | None = None
    line: int = 0


@dataclass(slots=True)
class BgpNeighbor:
    """One IPv4 BGP neighbor, peer-group / Junos group settings already inherited.

    `password`: a password (MD5 / TCP-AO key) is configured; its value is never kept.
    `import_policies` / `export_policies`: route-map in/out, route-policy import/export,
    the Junos import/export chain (neighbor, else group, else global). `import_lists` /
    `export_lists`: prefix-lists applied to the neighbor directly (Cisco `prefix-list
    in`, Huawei `ip-prefix import`); a route must pass both kinds. `enabled`: the
    session exists for IPv4 unicast (Cisco `no bgp default ipv4-unicast` without
    `activate`, Huawei `ipv4-family` without `peer X enable`, `shutdown` / `ignore`:
    False)."""

    address: IPv4Address
    remote_as: int | None = None
    local_as: int | None = None  # the AS spoken on this session (`local-as`, else the process's)
    import_policy: str | None = None  # the first import policy (compatibility)
    line: int = 0
    description: str | None = None
    group: str | None = None
    password: bool = False
    bfd: bool = False
    enabled: bool = True
    multipath: bool = False  # Junos group/neighbor `multipath`
    import_policies: list[str] = field(default_factory=list)
    export_policies: list[str] = field(default_factory=list)
    import_lists: list[str] = field(default_factory=list)
    export_lists: list[str] = field(default_factory=list)
    advertise_default: bool = False  # default-originate / default-route-advertise


@dataclass(slots=True)
class BgpConfig:
    """The BGP process (global table) and the policy objects it uses.

    `preference`: the route preference of an eBGP-learned route on this vendor (Cisco
    distance 20, Huawei 255, Junos 170, unless configured), comparable with
    StaticRoute.preference. `multipath`: the most equal eBGP paths installed (1 = off).
    `export_default`: what the vendor advertises to an eBGP neighbor without export
    policy: "all" (Cisco, Huawei: networks, redistributed and learned routes) or
    "bgp" (Junos: only routes in BGP, i.e. learned ones; statics need an export policy).
    """

    local_as: int | None = None
    line: int = 0
    local_as_line: int = 0  # where the local AS is written (`router bgp`, Junos autonomous-system)
    preference: int = 20
    multipath: int = 1
    multipath_line: int = 0
    export_default: Literal["all", "bgp"] = "all"
    # Junos: a route is not advertised to a peer in the AS it came from (unless
    # `advertise-peer-as`); Cisco and Huawei send it (the receiver drops it if it sees
    # its own AS)
    peer_as_suppressed: bool = False
    networks: list[BgpNetwork] = field(default_factory=list)
    redistribute: list[Redistribution] = field(default_factory=list)
    # Junos aggregate / generate routes: candidates for an export policy (`protocol
    # aggregate`), not advertised by themselves
    aggregates: list[BgpNetwork] = field(default_factory=list)
    prefix_lists: dict[str, PrefixList] = field(default_factory=dict)
    policies: dict[str, RoutePolicy] = field(default_factory=dict)
    # answers idcgen.bgp computed (per policy chain, per route-filter set): neighbors that
    # share a group's policies are evaluated once, not once each
    cache: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(slots=True)
class UnparsedSection:
    """A section the parser recognised as relevant (routes, ACL, CoPP, IPsec) but could
    not understand. Rules that depend on `topic` report IDC900 with these lines."""

    topic: Literal["routes", "filters", "control-plane", "ipsec", "interfaces", "bgp"]
    line: int
    text: str
    reason: str = ""


# No slots here: one Device per file costs nothing, and callers may attach attributes.
@dataclass
class Device:
    """Everything the rules know about one config file."""

    vendor: str  # canonical id: cisco_ios | huawei_vrp | junos
    path: str = ""
    hostname: str | None = None
    line_count: int = 0
    interfaces: dict[str, Interface] = field(default_factory=dict)
    static_routes: list[StaticRoute] = field(default_factory=list)
    filters: dict[str, Filter] = field(default_factory=dict)
    # an ACL name referenced but not defined: what it does to traffic (Cisco: permit all)
    undefined_filter_action: Action = "permit"
    control_plane: list[ControlPlanePolicy] = field(default_factory=list)
    ipsec: IpsecConfig = field(default_factory=IpsecConfig)
    bgp_neighbors: list[BgpNeighbor] = field(default_factory=list)
    local_as: int | None = None
    bgp: BgpConfig | None = None  # the global BGP process and its policies, if any
    trackers: dict[str, Tracker] = field(default_factory=dict)  # by Tracker.key
    # the platform family (driver.platforms) the parser recognised from syntax only that
    # family has; None = not known from the config
    platform: str | None = None
    unparsed: list[UnparsedSection] = field(default_factory=list)
    # set when the parser had to stop (a reading limit, an internal error): (line, reason);
    # the config was only partly read, so it is an input error, never a clean result
    read_error: tuple[int, str] | None = None

    def global_routes(self) -> list[StaticRoute]:
        return [r for r in self.static_routes if r.vrf is None]

    def interface_for_next_hop(self, next_hop: IPv4Address) -> Interface | None:
        """The interface whose subnet holds `next_hop` (longest prefix wins; among equal
        prefixes, the first interface in config order).

        Answered from a `ConnectedIndex` built on first use (one dict per prefix length):
        a route table asks this once per next hop, and scanning every interface each
        time made linting a large border router O(next hops x interfaces). The index
        is rebuilt if the interfaces dict is replaced or grows (a parsed Device is
        read-only; this only guards code that builds one by hand)."""
        stamp = (id(self.interfaces), len(self.interfaces))
        cached = self.__dict__.get("_connected")
        if cached is None or cached[0] != stamp:
            cached = (stamp, ConnectedIndex(self.interfaces.values()))
            self.__dict__["_connected"] = cached
        return cached[1].lookup(int(next_hop))

    def applied_control_plane(self) -> list[ControlPlanePolicy]:
        return [p for p in self.control_plane if p.applied]
