"""Juniper Junos running config (hierarchical or `display set`) -> vendor-neutral Device.

`statements.statements` flattens either form into (path words, line, openers); this module
interprets them with one table of path patterns (`_PATTERNS`), compiled into a word trie
so each statement costs a handful of dict lookups whatever the table size. Handlers only
collect; `_Builder.finish` then resolves references (prefix-lists, policers, IKE policy ->
gateway, lo0 filter -> control plane) and applies Junos defaults: static preference 5, the
implicit discard at the end of a filter, implicit accept of a term without a terminating
action, IKE v1-only and main mode on SRX gateways, NAT-T on unless `no-nat-traversal`.

A pre-shared key's value is looked at only to tell whether it is stored in clear; it is
never kept.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from ipaddress import IPv4Address, IPv4Network, summarize_address_range
from operator import attrgetter, itemgetter

from idcgen.devicemodel import (
    ANY,
    Action,
    ControlPlanePolicy,
    ControlPlaneStage,
    Device,
    Filter,
    FilterEntry,
    IkeProposal,
    Interface,
    IpsecPeer,
    IpsecProposal,
    IpsecTunnel,
    PacketMatch,
    StaticRoute,
    UnparsedSection,
)
from idcgen.redact import mask_secrets
from idcgen.vendors.ipv4 import address, clear_caches
from idcgen.vendors.ipv4 import prefix_interface as interface
from idcgen.vendors.ipv4 import prefix_network as network
from idcgen.vendors.junos import bgp
from idcgen.vendors.junos import ipsec_names as names
from idcgen.vendors.junos.driver import DRIVER
from idcgen.vendors.junos.statements import Stmt, iter_statements, line_at
from idcgen.vendors.junos.tracking import Tracking
from idcgen.vendors.parsing import Topic, gc_paused, partial_on_error, statement_failed

Words = tuple[str, ...]

_PROTOCOL_NUMBERS = {"1": "icmp", "6": "tcp", "17": "udp", "47": "gre", "50": "esp",
                     "51": "ah", "89": "ospf"}
_KNOWN_PROTOCOLS = frozenset({"icmp", "tcp", "udp", "gre", "esp", "ah", "ospf", "pim", "igmp",
                              "vrrp", "sctp", "rsvp", "ipip"})
_ICMP_TYPE_NAMES = {"echo-request": "echo", "8": "echo", "echo-reply": "echo-reply",
                    "0": "echo-reply", "unreachable": "unreachable", "3": "unreachable",
                    "time-exceeded": "time-exceeded", "11": "time-exceeded"}
_KNOWN_ICMP_TYPES = frozenset({"echo", "echo-reply", "unreachable", "time-exceeded",
                               "redirect", "source-quench", "parameter-problem",
                               "timestamp", "timestamp-reply", "router-advertisement",
                               "router-solicit", "info-request", "info-reply",
                               "mask-request", "mask-reply"})
# `from` conditions that only TCP/UDP packets can match
_PORT_CONDITIONS = frozenset({"source-port", "destination-port", "port", "source-port-except",
                              "destination-port-except", "port-except"})
_TCP_CONDITIONS = frozenset({"tcp-flags", "tcp-established", "tcp-initial"})
_TERMINATING_ACCEPT = frozenset({"accept", "routing-instance", "next-interface", "next-ip",
                                 "logical-system", "topology"})
_MGMT_IFDS = ("fxp", "em", "me", "vme")
_RATE_UNITS = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def _display(words: Words) -> str:
    """Statement text for an UnparsedSection, with anything secret-looking masked."""
    return mask_secrets(" ".join(words))


def _rate(text: str) -> int | None:
    """`bandwidth-limit` value: `1m`, `500k`, `1g`, `32000` -> bits per second."""
    unit = _RATE_UNITS.get(text[-1:].lower(), 1)
    number = text[:-1] if unit != 1 else text
    try:
        return int(float(number) * unit)
    except ValueError:
        return None


def _as_number(text: str) -> int | None:
    """AS number, plain or asdot (`1.10`)."""
    high, dot, low = text.partition(".")
    if dot and high.isdigit() and low.isdigit():
        return int(high) * 65536 + int(low)
    return int(text) if text.isdigit() else None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _protocol(text: str) -> str:
    """Protocol name (numbers named); interned: every filter entry keeps one."""
    return sys.intern(_PROTOCOL_NUMBERS.get(text, text))


def _dh(text: str) -> int | None:
    return _int(text[5:]) if text.startswith("group") else None


# --------------------------------------------------------------------------- collectors
# Slotted, and a term's containers start as None: a big config has 100k of these alive
# until `finish`, most using two or three of a term's ten containers.
@dataclass(slots=True)
class _Route:
    prefix: IPv4Network
    vrf: str | None
    line: int
    preference: int | None = None
    tag: int | None = None
    discard_line: int = 0
    # [next hop text, its StaticRoute, ...] in the order read (a flat list: smaller than a
    # dict for the one or two hops a route has). A hop's preference and tag stay None
    # unless it sets its own (`finish` fills in the route's); None for an IPv6 next hop.
    hops: list = field(default_factory=list)

    def hop(self, text: str, line: int) -> StaticRoute | None:
        """The StaticRoute of next hop `text`, made on first sight (at `line`)."""
        hops = self.hops
        for k in range(0, len(hops), 2):
            if hops[k] == text:
                return hops[k + 1]
        route = _hop_route(self, text, line)
        hops += (sys.intern(text), route)  # next hops repeat across routes: keep one copy
        return route


@dataclass(slots=True)
class _Term:
    name: str
    line: int
    sources: list[tuple[str, bool]] | None = None  # (prefix, except)
    dests: list[tuple[str, bool]] | None = None
    src_lists: list[tuple[str, bool]] | None = None  # (prefix-list, except)
    dst_lists: list[tuple[str, bool]] | None = None
    protocols: set[str] | None = None
    protocols_except: set[str] | None = None
    icmp_types: set[str] | None = None
    icmp_except: set[str] | None = None
    ports: bool = False
    tcp: bool = False
    unmodelled: list[str] | None = None
    actions: list[str] | None = None  # membership only: a list is smaller than a set
    policer: str | None = None
    action_line: int = 0


def _appended(items: list | None, item: object) -> list:
    """`items` (None: not yet created) with `item` appended."""
    if items is None:
        return [item]
    items.append(item)
    return items


def _added(items: set | None, item: object) -> set:
    """`items` (None: not yet created) with `item` added."""
    if items is None:
        return {item}
    items.add(item)
    return items


@dataclass(slots=True)
class _Filter:
    name: str
    line: int
    terms: dict[str, _Term] = field(default_factory=dict)


@dataclass(slots=True)
class _Zone:
    services: set[str] = field(default_factory=set)
    excepted: set[str] = field(default_factory=set)
    # interface -> (services, excepted)
    interfaces: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)


@dataclass(slots=True)
class _IkePolicy:
    mode: str | None = None
    proposals: list[str] = field(default_factory=list)
    psk_present: bool = False
    psk_cleartext: bool = False
    psk_line: int = 0


@dataclass(slots=True)
class _Gateway:
    name: str
    line: int
    policy: str | None = None
    address: IPv4Address | None = None
    external_interface: str | None = None
    version: int | None = None
    local_identity: str | None = None
    remote_identity: str | None = None
    dpd: bool | None = None
    nat_traversal: bool = True


@dataclass(slots=True)
class _Vpn:
    name: str
    line: int
    gateway: str | None = None
    policy: str | None = None
    bind: str | None = None
    local: list[IPv4Network] = field(default_factory=list)
    remote: list[IPv4Network] = field(default_factory=list)


@dataclass(slots=True)
class _AddressBook:
    """One address book: `security address-book NAME` (global, or attached to zones) or a
    zone's own `security zones security-zone Z address-book` (before Junos 12.1)."""

    addresses: dict[str, list[IPv4Network]] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)  # name -> what it is
    sets: dict[str, list[str]] = field(default_factory=dict)  # set -> member names
    zones: list[str] = field(default_factory=list)  # `attach zone Z`


@dataclass(slots=True)
class _Policy:
    """A security policy that sends what it matches into a policy-based VPN (`then
    permit tunnel ipsec-vpn V`); other policies are not kept."""

    name: str
    from_zones: list[str]
    to_zones: list[str]
    line: int
    sources: list[str] = field(default_factory=list)
    dests: list[str] = field(default_factory=list)
    vpn: str | None = None
    excluded: bool = False  # source-/destination-address-excluded: negated match


# --------------------------------------------------------------------------- builder
Handler = Callable[["_Builder", Stmt, Words, int], None]


class _Builder:
    """Collects what the statements say; `finish` turns it into a Device."""

    def __init__(self, path: str, line_count: int) -> None:
        self.device = Device(vendor=DRIVER.id, path=path, line_count=line_count)
        self.vrf: str | None = None
        self.group_hostname: str | None = None
        self.ifaces: dict[str, Interface] = {}
        self.ifd_description: dict[str, str] = {}
        self.ifd_disabled: set[str] = set()
        self.filter_inputs: dict[str, list[tuple[str, int]]] = {}
        # prefix text (global table) or (routing instance, prefix text) -> route
        self.routes: dict[str | tuple[str, str], _Route] = {}
        self.bad_routes: set[str | tuple[str, str]] = set()
        self.route_defaults: dict[str | None, dict[str, int]] = {}
        self.filters: dict[str, _Filter] = {}
        self.policers: dict[str, list] = {}  # name -> [rate_bps, discards, line]
        self.prefix_lists: dict[str, list[IPv4Network]] = {}
        self.prefix_list_dynamic: dict[str, int] = {}  # apply-path: name -> line
        self.has_zones = False
        self.zones: dict[str, _Zone] = {}
        self.nat_to: set[object] = set()  # ("zone", Z) and interface names NAT goes out of
        self.ike_proposals: dict[str, IkeProposal] = {}
        self.ike_policies: dict[str, _IkePolicy] = {}
        self.gateways: dict[str, _Gateway] = {}
        self.ipsec_proposals: dict[str, IpsecProposal] = {}
        self.ipsec_lifetimes: dict[str, int] = {}
        self.ipsec_policies: dict[str, dict] = {}
        self.vpns: dict[str, _Vpn] = {}
        # address books: "global" / a named book / ("zone", Z) for a zone's own book
        self.address_books: dict[object, _AddressBook] = {}
        # security policies: (from-zone, to-zone, name) or ("global", name) -> policy
        self.sec_policies: dict[tuple[str, ...], _Policy] = {}
        self.groups: dict[str, list[tuple[str, Stmt]]] = {}
        self.applied_groups: dict[str, int] = {}
        self.seen_unparsed: set[tuple[str, int]] = set()
        self.tracking = Tracking()

    def unparsed(self, topic: Topic, line: int, text: str, reason: str) -> None:
        if (topic, line) in self.seen_unparsed:
            return
        self.seen_unparsed.add((topic, line))
        self.device.unparsed.append(UnparsedSection(topic, line, text, reason))

    # ------------------------------------------------------------------ system
    def h_hostname(self, st: Stmt, caps: Words, i: int) -> None:
        if self.device.hostname is None:
            self.device.hostname = caps[0]

    # ------------------------------------------------------------------ interfaces
    def _unit(self, st: Stmt, caps: Words) -> Interface:
        name = f"{caps[0]}.{caps[1]}"
        iface = self.ifaces.get(name)
        if iface is None:
            iface = self.ifaces[name] = Interface(name=name, line=line_at(st, 3))
        return iface

    def h_unit(self, st: Stmt, caps: Words, i: int) -> None:
        self._unit(st, caps)

    def h_unit_address(self, st: Stmt, caps: Words, i: int) -> None:
        iface = self._unit(st, caps)
        addr = interface(caps[2])
        if addr is None:
            if ":" not in caps[2]:
                self.unparsed("interfaces", st[1], _display(st[0]), "address not understood")
            return
        if addr not in iface.addresses:
            iface.addresses.append(addr)

    def h_unit_filter(self, st: Stmt, caps: Words, i: int) -> None:
        iface = self._unit(st, caps)
        inputs = self.filter_inputs.setdefault(iface.name, [])
        if all(name != caps[2] for name, _ in inputs):
            inputs.append((caps[2], st[1]))
        if iface.inbound_filter is None:
            iface.inbound_filter = caps[2]
            iface.inbound_filter_line = st[1]

    def h_unit_vlan(self, st: Stmt, caps: Words, i: int) -> None:
        self._unit(st, caps).vlan = _int(caps[2])

    def h_unit_description(self, st: Stmt, caps: Words, i: int) -> None:
        iface = self._unit(st, caps)
        if iface.description is None:
            iface.description = caps[2]

    def h_unit_disable(self, st: Stmt, caps: Words, i: int) -> None:
        self._unit(st, caps).shutdown = True

    def h_unit_tunnel_destination(self, st: Stmt, caps: Words, i: int) -> None:
        self._unit(st, caps).tunnel_destination = address(caps[2])

    def h_ifd_description(self, st: Stmt, caps: Words, i: int) -> None:
        self.ifd_description.setdefault(caps[0], caps[1])

    def h_ifd_disable(self, st: Stmt, caps: Words, i: int) -> None:
        self.ifd_disabled.add(caps[0])

    # ------------------------------------------------------------------ static routes
    def _route(self, st: Stmt, prefix_text: str, prefix_index: int) -> _Route | None:
        key = prefix_text if self.vrf is None else (self.vrf, prefix_text)
        route = self.routes.get(key)
        if route is None:
            if key in self.bad_routes:
                return None
            prefix = network(prefix_text)
            if prefix is None:
                self.bad_routes.add(key)
                if ":" not in prefix_text:  # IPv6 is out of scope, not an error
                    self.unparsed("routes", st[1], _display(st[0]),
                                  "route prefix not understood")
                return None
            route = self.routes[key] = _Route(prefix, self.vrf, line_at(st, prefix_index))
        return route

    def h_route(self, st: Stmt, caps: Words, i: int) -> None:
        words = st[0]
        route = self._route(st, caps[-1], i - 1)
        if route is None or i >= len(words):
            return
        key = words[i]
        value = words[i + 1] if i + 1 < len(words) else None
        if key == "next-hop" and value is not None:
            route.hop(value, line_at(st, i + 1))
        elif key == "qualified-next-hop" and value is not None:
            hop = route.hop(value, line_at(st, i + 1))
            if hop is not None:
                self.tracking.qualified.add(id(hop))
            if i + 3 < len(words) and hop is not None:
                if words[i + 2] == "bfd-liveness-detection":
                    self.tracking.bfd_setting(hop, words, i + 2)
                elif words[i + 2] == "preference":
                    # None (unset) until `finish` applies the route's default; see `_hop_route`
                    hop.preference = _int(words[i + 3])  # type: ignore[assignment]
                elif words[i + 2] == "tag":
                    hop.tag = _int(words[i + 3])
        elif key == "preference" and value is not None:
            route.preference = _int(value)
        elif key == "tag" and value is not None:
            route.tag = _int(value)
        elif key in ("discard", "reject"):
            route.discard_line = route.discard_line or st[1]
        elif key == "bfd-liveness-detection":
            self.tracking.bfd_setting(route, words, i)

    def h_rpm_test(self, st: Stmt, caps: Words, i: int) -> None:
        self.tracking.rpm(st[0], i, st[1])

    def h_ip_monitoring(self, st: Stmt, caps: Words, i: int) -> None:
        self.tracking.ip_monitoring(st[0], i)

    def h_rib_route(self, st: Stmt, caps: Words, i: int) -> None:
        if self._main_rib(caps[0]):
            self.h_route(st, caps[1:], i)

    def h_route_defaults(self, st: Stmt, caps: Words, i: int) -> None:
        words = st[0]
        if i + 1 < len(words) and words[i] in ("preference", "tag"):
            value = _int(words[i + 1])
            if value is not None:
                self.route_defaults.setdefault(self.vrf, {})[words[i]] = value

    def h_rib_route_defaults(self, st: Stmt, caps: Words, i: int) -> None:
        if self._main_rib(caps[0]):
            self.h_route_defaults(st, caps[1:], i)

    def _main_rib(self, rib: str) -> bool:
        """`rib inet.0` (or `<instance>.inet.0` inside an instance) is the IPv4 table."""
        return rib == "inet.0" or (self.vrf is not None and rib == f"{self.vrf}.inet.0")

    def h_autonomous_system(self, st: Stmt, caps: Words, i: int) -> None:
        if self.vrf is None and self.device.local_as is None:
            self.device.local_as = _as_number(caps[0])
            self.as_line = st[1]  # for BGP (vendors/junos/bgp.py)

    # ------------------------------------------------------------------ firewall
    def _filter(self, st: Stmt, name: str, index: int) -> _Filter:
        flt = self.filters.get(name)
        if flt is None:
            flt = self.filters[name] = _Filter(name, line_at(st, index))
        return flt

    def h_filter(self, st: Stmt, caps: Words, i: int) -> None:
        self._filter(st, caps[0], i - 1)

    def h_term(self, st: Stmt, caps: Words, i: int) -> None:
        flt = self._filter(st, caps[0], i - 3)
        term = flt.terms.get(caps[1])
        if term is None:
            term = flt.terms[caps[1]] = _Term(caps[1], line_at(st, i - 1))
        words = st[0]
        if i >= len(words):
            return
        section = words[i]
        if section == "from" and i + 1 < len(words):
            self._term_from(term, words, i + 1, st)
        elif section == "then" and i + 1 < len(words):
            action = words[i + 1]
            term.action_line = term.action_line or st[1]
            if action == "next" and i + 2 < len(words) and words[i + 2] == "term":
                term.actions = _appended(term.actions, "next term")
            elif action == "policer" and i + 2 < len(words):
                term.policer = words[i + 2]
            elif action in ("three-color-policer", "hierarchical-policer"):
                term.policer = term.policer or ""
            else:
                term.actions = _appended(term.actions, sys.intern(action))
        elif section == "filter":
            term.unmodelled = _appended(term.unmodelled,
                                        "filter " + " ".join(words[i + 1:i + 2]))

    def _term_from(self, term: _Term, words: Words, j: int, st: Stmt) -> None:
        cond = words[j]
        value = words[j + 1] if j + 1 < len(words) else ""
        negated = j + 2 < len(words) and words[j + 2] == "except"
        if cond == "source-address":
            term.sources = _appended(term.sources, (value, negated))
        elif cond == "destination-address":
            term.dests = _appended(term.dests, (value, negated))
        elif cond == "source-prefix-list":
            term.src_lists = _appended(term.src_lists, (value, negated))
        elif cond == "destination-prefix-list":
            term.dst_lists = _appended(term.dst_lists, (value, negated))
        elif cond == "protocol":
            term.protocols = _added(term.protocols, _protocol(value))
        elif cond == "protocol-except":
            term.protocols_except = _added(term.protocols_except, _protocol(value))
        elif cond == "icmp-type":
            term.icmp_types = _added(term.icmp_types, _ICMP_TYPE_NAMES.get(value, value))
        elif cond == "icmp-type-except":
            term.icmp_except = _added(term.icmp_except, _ICMP_TYPE_NAMES.get(value, value))
        elif cond in _PORT_CONDITIONS:
            term.ports = True
        elif cond in _TCP_CONDITIONS:
            term.tcp = True
        elif term.unmodelled is None or cond not in term.unmodelled:
            term.unmodelled = _appended(term.unmodelled, cond)

    def h_policer(self, st: Stmt, caps: Words, i: int) -> None:
        policer = self.policers.setdefault(caps[0], [None, False, line_at(st, i - 1)])
        words = st[0]
        rest = words[i:]
        if len(rest) >= 3 and rest[0] == "if-exceeding" and rest[1] == "bandwidth-limit":
            policer[0] = _rate(rest[2])
        elif len(rest) >= 2 and rest[0] == "then" and rest[1] == "discard":
            policer[1] = True

    def h_prefix_list(self, st: Stmt, caps: Words, i: int) -> None:
        items = self.prefix_lists.setdefault(caps[0], [])
        if len(caps) < 2:
            return
        item = caps[1]
        if item == "apply-path":
            self.prefix_list_dynamic.setdefault(caps[0], st[1])
            return
        net = network(item)
        if net is not None and net not in items:
            items.append(net)

    # ------------------------------------------------------------------ SRX zones
    def h_zone(self, st: Stmt, caps: Words, i: int) -> None:
        self.has_zones = True
        zone = self.zones.setdefault(caps[0], _Zone())
        rest = st[0][i:]
        if rest[:1] == ("interfaces",) and len(rest) >= 2:
            name = rest[1] if "." in rest[1] else rest[1] + ".0"
            services, excepted = zone.interfaces.setdefault(name, (set(), set()))
            rest = rest[2:]
        else:
            services, excepted = zone.services, zone.excepted
        if len(rest) >= 3 and rest[0] == "host-inbound-traffic" and rest[1] == "system-services":
            (excepted if rest[3:4] == ("except",) else services).add(rest[2])

    def h_zones(self, st: Stmt, caps: Words, i: int) -> None:
        self.has_zones = True

    # ------------------------------------------------------------------ IPsec
    def h_ike_proposal(self, st: Stmt, caps: Words, i: int) -> None:
        prop = self.ike_proposals.get(caps[0])
        if prop is None:
            prop = self.ike_proposals[caps[0]] = IkeProposal(caps[0], line=line_at(st, i - 1))
        rest = st[0][i:]
        if len(rest) < 2:
            return
        key, value = rest[0], rest[1]
        if key == "encryption-algorithm":
            _add(prop.encryption, names.REVERSE_IKE_ENCRYPTION.get(value, value))
        elif key == "authentication-algorithm":
            _add(prop.integrity, names.REVERSE_IKE_AUTHENTICATION.get(value, value))
        elif key == "dh-group":
            group = _dh(value)
            if group is not None and group not in prop.dh_groups:
                prop.dh_groups.append(group)
        elif key == "lifetime-seconds":
            prop.lifetime_s = _int(value)

    def h_ike_policy(self, st: Stmt, caps: Words, i: int) -> None:
        policy = self.ike_policies.setdefault(caps[0], _IkePolicy())
        rest = st[0][i:]
        if len(rest) < 2:
            if rest[:1] == ("pre-shared-key",):
                policy.psk_present, policy.psk_line = True, st[1]
            return
        key, value = rest[0], rest[1]
        if key == "mode":
            policy.mode = value
        elif key == "proposals":
            _add(policy.proposals, value)
        elif key == "proposal-set":
            _add(policy.proposals, f"proposal-set {value}")
            self.unparsed("ipsec", st[1], _display(st[0]),
                          f"predefined IKE proposal-set {value} is not expanded")
        elif key == "pre-shared-key":
            # look at the stored form only; the value itself is never kept
            secret = rest[2] if len(rest) > 2 else ""
            policy.psk_present = True
            policy.psk_line = policy.psk_line or st[1]
            if value in ("ascii-text", "hexadecimal") and secret:
                cleartext = not secret.startswith(("$9$", "$8$"))
                policy.psk_cleartext = policy.psk_cleartext or cleartext

    def h_ike_gateway(self, st: Stmt, caps: Words, i: int) -> None:
        gw = self.gateways.get(caps[0])
        if gw is None:
            gw = self.gateways[caps[0]] = _Gateway(caps[0], line_at(st, i - 1))
        rest = st[0][i:]
        if not rest:
            return
        key = rest[0]
        value = rest[1] if len(rest) > 1 else ""
        if key == "ike-policy":
            gw.policy = value
        elif key == "address" and gw.address is None:
            gw.address = address(value)
        elif key == "external-interface" and value:
            gw.external_interface = value if "." in value else value + ".0"
        elif key == "version":
            gw.version = {"v1-only": 1, "v2-only": 2}.get(value)
        elif key == "local-identity" and len(rest) > 2:
            gw.local_identity = rest[2]
        elif key == "remote-identity" and len(rest) > 2:
            gw.remote_identity = rest[2]
        elif key == "dead-peer-detection":
            gw.dpd = True
        elif key == "no-nat-traversal":
            gw.nat_traversal = False

    def h_ipsec_proposal(self, st: Stmt, caps: Words, i: int) -> None:
        prop = self.ipsec_proposals.get(caps[0])
        if prop is None:
            prop = self.ipsec_proposals[caps[0]] = IpsecProposal(caps[0], line=line_at(st, i - 1))
        rest = st[0][i:]
        if len(rest) < 2:
            return
        key, value = rest[0], rest[1]
        if key == "encryption-algorithm":
            _add(prop.encryption, names.REVERSE_IPSEC_ENCRYPTION.get(value, value))
        elif key == "authentication-algorithm":
            _add(prop.integrity, names.REVERSE_IPSEC_AUTHENTICATION.get(value, value))
        elif key == "protocol":
            prop.protocol = value
        elif key == "lifetime-seconds":
            seconds = _int(value)
            if seconds is not None:
                self.ipsec_lifetimes[caps[0]] = seconds

    def h_ipsec_policy(self, st: Stmt, caps: Words, i: int) -> None:
        policy = self.ipsec_policies.setdefault(caps[0], {"proposals": [], "pfs": None})
        rest = st[0][i:]
        if len(rest) >= 3 and rest[0] == "perfect-forward-secrecy" and rest[1] == "keys":
            policy["pfs"] = _dh(rest[2])
        elif len(rest) >= 2 and rest[0] == "proposals":
            _add(policy["proposals"], rest[1])
        elif len(rest) >= 2 and rest[0] == "proposal-set":
            _add(policy["proposals"], f"proposal-set {rest[1]}")
            self.unparsed("ipsec", st[1], _display(st[0]),
                          f"predefined IPsec proposal-set {rest[1]} is not expanded")

    def h_vpn(self, st: Stmt, caps: Words, i: int) -> None:
        vpn = self.vpns.get(caps[0])
        if vpn is None:
            vpn = self.vpns[caps[0]] = _Vpn(caps[0], line_at(st, i - 1))
        rest = st[0][i:]
        if len(rest) >= 2 and rest[0] == "bind-interface":
            vpn.bind = rest[1]
        elif len(rest) >= 3 and rest[0] == "ike":
            if rest[1] == "gateway":
                vpn.gateway = rest[2]
            elif rest[1] == "ipsec-policy":
                vpn.policy = rest[2]
            elif rest[1] == "proxy-identity":
                # `local A remote B service any` may share one set line
                for k in range(2, len(rest) - 1, 2):
                    self._selector(vpn, rest[k], rest[k + 1], st)
        elif len(rest) >= 4 and rest[0] == "traffic-selector":
            side = {"local-ip": "local", "remote-ip": "remote"}.get(rest[2])
            if side:
                self._selector(vpn, side, rest[3], st)
        elif rest[:1] == ("manual",):
            self.unparsed("ipsec", st[1], _display(st[0]), "manual-keyed IPsec is not modelled")

    def _selector(self, vpn: _Vpn, side: str, value: str, st: Stmt) -> None:
        if side not in ("local", "remote"):
            return
        net = network(value)
        if net is None:
            if ":" not in value:
                self.unparsed("ipsec", st[1], _display(st[0]), "proxy-identity not understood")
            return
        _add(vpn.local if side == "local" else vpn.remote, net)

    # ------------------------------------------------------------------ address books
    def h_address_book(self, st: Stmt, caps: Words, i: int) -> None:
        """security address-book NAME {address | address-set | attach zone}."""
        self._book_entry(caps[0], st, i)

    def h_zone_address_book(self, st: Stmt, caps: Words, i: int) -> None:
        """security zones security-zone Z address-book {address | address-set}."""
        self.has_zones = True
        self.zones.setdefault(caps[0], _Zone())
        self._book_entry(("zone", caps[0]), st, i)

    def _book_entry(self, key: object, st: Stmt, i: int) -> None:
        book = self.address_books.get(key)
        if book is None:
            book = self.address_books[key] = _AddressBook()
        rest = st[0][i:]
        if len(rest) < 2:
            return
        kind, name, tail = rest[0], rest[1], rest[2:]
        if kind == "address":
            nets = book.addresses.setdefault(name, [])
            if not tail or tail[0] == "description":
                return
            value = tail[0]
            if value == "range-address" and len(tail) >= 4 and tail[2] == "to":
                low, high = address(tail[1]), address(tail[3])
                if low is not None and high is not None and low <= high:
                    nets.extend(n for n in summarize_address_range(low, high)
                                if n not in nets)
                    return
            net = network(value) if value not in ("dns-name", "wildcard-address") else None
            if net is not None:
                _add(nets, net)
            elif ":" not in value:  # IPv6 is out of scope, not an error
                book.unresolved.setdefault(name, " ".join(tail[:2]))
        elif kind == "address-set" and len(tail) >= 2 and tail[0] in ("address",
                                                                     "address-set"):
            _add(book.sets.setdefault(name, []), tail[1])
        elif kind == "attach" and name == "zone" and tail:
            _add(book.zones, tail[0])

    # ------------------------------------------------------------------ security policies
    def h_security_policy(self, st: Stmt, caps: Words, i: int) -> None:
        """security policies from-zone A to-zone B policy P {match | then}."""
        self._policy_statement((caps[0], caps[1], caps[2]), [caps[0]], [caps[1]], st, i)

    def h_global_policy(self, st: Stmt, caps: Words, i: int) -> None:
        """security policies global policy P {match [from-zone | to-zone] | then}."""
        self._policy_statement(("global", caps[0]), [], [], st, i)

    def _policy_statement(self, key: tuple[str, ...], from_zones: list[str],
                          to_zones: list[str], st: Stmt, i: int) -> None:
        rest = st[0][i:]
        if len(rest) < 2:
            return
        policy = self.sec_policies.get(key)
        if policy is None:
            policy = self.sec_policies[key] = _Policy(key[-1], from_zones, to_zones,
                                                      line_at(st, i - 1))
        section, what = rest[0], rest[1]
        if section == "match" and len(rest) >= 3:
            value = rest[2]
            if what == "source-address":
                _add(policy.sources, value)
            elif what == "destination-address":
                _add(policy.dests, value)
            elif what == "from-zone":
                _add(policy.from_zones, value)
            elif what == "to-zone":
                _add(policy.to_zones, value)
        elif section == "match" and what in ("source-address-excluded",
                                             "destination-address-excluded"):
            policy.excluded = True
        elif section == "then" and rest[1:4] == ("permit", "tunnel", "ipsec-vpn") \
                and len(rest) >= 5:
            policy.vpn = rest[4]

    # ------------------------------------------------------------------ BGP
    # protocols bgp, policy-statements, aggregates: vendors/junos/bgp.py
    def h_bgp(self, st: Stmt, caps: Words, i: int) -> None:
        bgp.protocols_bgp(self, st, i)

    def h_policy_statement(self, st: Stmt, caps: Words, i: int) -> None:
        bgp.policy_statement(self, st, caps, i)

    def h_aggregate(self, st: Stmt, caps: Words, i: int) -> None:
        bgp.aggregate(self, st, caps, i)

    # ------------------------------------------------------------------ dispatch
    def feed(self, stmts: Iterable[Stmt]) -> None:
        deepest, trie, containers = _deepest, _TRIE, _CONTAINERS
        for st in stmts:
            words = st[0]
            if not words:  # `{ }` with no name: nothing to read
                continue
            try:
                if words[0] in containers:
                    self._feed_contained(st)
                    continue
                node = deepest(trie, words)  # `_match`, without building its result
                if node is not None:
                    # `_deepest` returns only nodes with a handler; no re-check in the hot loop
                    node.handler(self, st, node.captures(words), node.depth)  # type: ignore[misc]
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                topic = words[2] if words[0] in containers and len(words) > 2 else words[0]
                self.unparsed(_TOPICS.get(topic, "interfaces"), st[1], _display(words[:4]),
                              statement_failed(exc))
            if len(words) > 1 and words[-2] == "apply-groups":
                self.applied_groups.setdefault(words[-1], st[1])

    def _feed_contained(self, st: Stmt) -> None:
        """A statement under `routing-instances X`, `groups X` or `logical-systems X`."""
        words = st[0]
        first = words[0]
        if first == "routing-instances":
            if len(words) > 2:
                self.vrf = words[1]
                found = _match(_TRIE, words, 2)
                if found is not None:
                    found[0](self, st, found[1], found[2])
                self.vrf = None
        elif first == "groups":
            if len(words) > 2:
                self.groups.setdefault(words[1], []).append((words[2], st))
        elif len(words) > 2 and _match(_TRIE, words, 2) is not None:  # logical-systems
            topic = _TOPICS.get(words[2], "interfaces")
            self.unparsed(topic, st[1], _display(words[:4]), "logical-systems are not modelled")

    # ------------------------------------------------------------------ finish
    def finish(self) -> Device:
        dev = self.device
        if dev.hostname is None:
            self._group_hostname()
        self._finish_interfaces()
        self._finish_routes()
        self._finish_filters()
        self._finish_control_plane()
        self._finish_ipsec()
        bgp.finish(self)
        self._finish_groups()
        return dev

    def _group_hostname(self) -> None:
        """Chassis-cluster configs keep host-name under groups node0/node1."""
        for name in ("node0", "re0"):
            for topic, st in self.groups.get(name, []):
                words = st[0]
                if topic == "system" and len(words) > 4 and words[3] == "host-name":
                    self.device.hostname = words[4]
                    return

    def _finish_interfaces(self) -> None:
        dev = self.device
        zone_of = {n: z for z, zone in self.zones.items() for n in zone.interfaces}
        for name, iface in self.ifaces.items():
            ifd = name.rsplit(".", 1)[0]
            if iface.description is None:
                iface.description = self.ifd_description.get(ifd)
            if ifd in self.ifd_disabled:
                iface.shutdown = True
            if self.has_zones:
                iface.host_inbound_ping = self._ping_allowed(name)
                iface.zone = zone_of.get(name)
            if name in self.nat_to or (iface.zone is not None and ("zone", iface.zone)
                                       in self.nat_to):
                iface.nat_outside = True
            dev.interfaces[name] = iface

    def h_nat_rule_set(self, st: Stmt, caps: Words, i: int) -> None:
        """security nat source rule-set X to {zone Z | interface I}: the outside side."""
        rest = st[0][i:]
        if len(rest) >= 3 and rest[0] == "to":
            if rest[1] == "zone":
                self.nat_to.add(("zone", rest[2]))
            elif rest[1] == "interface":
                self.nat_to.add(rest[2] if "." in rest[2] else rest[2] + ".0")

    def _ping_allowed(self, name: str) -> bool:
        """Interface-level host-inbound-traffic replaces the zone's; `all` + `ping except`."""
        for zone in self.zones.values():
            if name not in zone.interfaces:
                continue
            services, excepted = zone.interfaces[name]
            if not services and not excepted:
                services, excepted = zone.services, zone.excepted
            allowed = bool(services & {"ping", "all", "any-service"})
            return allowed and "ping" not in excepted
        return False  # not in any zone: an SRX drops traffic to it

    def _finish_routes(self) -> None:
        out = self.device.static_routes
        tracking = self.tracking
        for route in self.routes.values():
            defaults = self.route_defaults.get(route.vrf, {})
            preference = route.preference
            if preference is None:
                preference = defaults.get("preference", DRIVER.default_static_preference)
            tag = route.tag if route.tag is not None else defaults.get("tag")
            if route.discard_line:
                out.append(StaticRoute(route.prefix, preference=preference, tag=tag,
                                       vrf=route.vrf, discard=True, line=route.discard_line))
            for sr in route.hops[1::2]:
                if sr is None:
                    continue  # IPv6 next hop
                if tracking.bfd:
                    tracking.hop_tracker(route, sr)
                if sr.preference is None:
                    sr.preference = preference
                if sr.tag is None:
                    sr.tag = tag
                out.append(sr)
        self.routes = {}  # the collectors are done with: free them before the rules run
        out.sort(key=attrgetter("line"))
        tracking.finish(self.device)

    def _addresses(self, entries: list[tuple[str, bool]], lists: list[tuple[str, bool]],
                   term: _Term, flt: _Filter, what: str) -> list[IPv4Network] | None:
        """Resolve address and prefix-list conditions, `except` included, exactly.

        Junos matches an address against the longest listed prefix; an `except` entry
        excludes. The included set is every non-except prefix minus the more specific
        listed prefixes inside it (which decide for themselves).
        """
        if not lists and len(entries) == 1 and not entries[0][1]:  # the common case
            net = network(entries[0][0])
            if net is not None:
                return [net]
        listed: list[tuple[IPv4Network, bool]] = []
        for text, negated in entries:
            net = network(text)
            if net is None:
                if ":" not in text:
                    self.unparsed("filters", term.line, f"filter {flt.name} term {term.name}",
                                  f"{what} {text} not understood")
                continue
            listed.append((net, negated))
        for name, negated in lists:
            if name in self.prefix_list_dynamic:
                self.unparsed("filters", self.prefix_list_dynamic[name],
                              f"policy-options prefix-list {name} apply-path",
                              f"prefix-list {name} uses apply-path; its prefixes are unknown")
            if name not in self.prefix_lists and name not in self.prefix_list_dynamic:
                self.unparsed("filters", term.line, f"filter {flt.name} term {term.name}",
                              f"prefix-list {name} is not defined")
            listed.extend((net, negated) for net in self.prefix_lists.get(name, []))
        if not listed:
            return None if not entries and not lists else []
        if not any(negated for _, negated in listed):
            return _unique([net for net, _ in listed])
        if all(negated for _, negated in listed):
            listed.append((ANY, False))
        result: list[IPv4Network] = []
        for net, negated in listed:
            if negated:
                continue
            region = [net]
            for other, _ in listed:
                if other.prefixlen > net.prefixlen and other.subnet_of(net):
                    region = [piece for r in region
                              for piece in (r.address_exclude(other) if other.subnet_of(r)
                                            else [r])]
            result.extend(region)
        return _unique(result)

    def _finish_filters(self) -> None:
        dev = self.device
        for flt in self.filters.values():
            entries: list[FilterEntry] = []
            for term in flt.terms.values():
                entry = self._entry(flt, term)
                if entry is not None:
                    entries.append(entry)
            flt.terms = {}  # read: free the terms before the next filter's entries are built
            dev.filters[flt.name] = Filter(flt.name, entries, default_action="deny",
                                           line=flt.line)

    def _entry(self, flt: _Filter, term: _Term) -> FilterEntry | None:
        protocols: set[str] | None = None
        if term.protocols:
            protocols = _shared_set(frozenset(term.protocols))
        elif term.protocols_except:
            protocols = _shared_set(_KNOWN_PROTOCOLS - term.protocols_except)
        elif term.tcp:
            protocols = _shared_set(frozenset({"tcp"}))
        elif term.ports:
            protocols = _shared_set(frozenset({"tcp", "udp"}))
        icmp_types: set[str] | None = None
        if term.icmp_types:
            icmp_types = _shared_set(frozenset(term.icmp_types))
        elif term.icmp_except:
            icmp_types = _shared_set(_KNOWN_ICMP_TYPES - term.icmp_except)
        match = PacketMatch(protocols=protocols,
                            sources=self._addresses(term.sources or [], term.src_lists or [],
                                                    term, flt, "source-address"),
                            destinations=self._addresses(term.dests or [], term.dst_lists or [],
                                                         term, flt, "destination-address"),
                            icmp_types=icmp_types)
        action: Action | None
        actions = term.actions or ()
        if "next term" in actions:
            action = None
        elif "discard" in actions or "reject" in actions:
            action = "deny"
        else:
            action = "permit"  # accept, or only modifiers (count, policer...): implicit accept
        entry = FilterEntry(match, action, name=term.name, line=term.line)
        if term.policer is not None:
            entry.police_name = term.policer or None
            policer = self.policers.get(term.policer)
            if policer is not None:
                entry.police_rate_bps = policer[0]
        if term.unmodelled and action is not None and (protocols is None or "icmp" in protocols):
            self.unparsed("filters", term.line, f"filter {flt.name} term {term.name}",
                          "match conditions not modelled (treated as matching): "
                          + ", ".join(term.unmodelled))
        return entry

    def _finish_control_plane(self) -> None:
        dev = self.device
        for ifname, inputs in self.filter_inputs.items():
            if not ifname.startswith("lo0."):
                continue
            stages: list[ControlPlaneStage] = []
            for name, line in inputs:
                flt = dev.filters.get(name)
                if flt is None:
                    self.unparsed("control-plane", line, f"interfaces {ifname} filter {name}",
                                  f"lo0 filter {name} is not defined")
                    continue
                for entry in flt.entries:
                    stage = _stage(name, entry, self.policers)
                    if stage is not None:
                        stages.append(stage)
            first = dev.filters.get(inputs[0][0])
            dev.control_plane.append(ControlPlanePolicy(
                name="+".join(name for name, _ in inputs), kind="lo0-filter", stages=stages,
                applied=True, end_treatment="drop", line=first.line if first else inputs[0][1],
                applied_line=inputs[0][1]))

    def _finish_ipsec(self) -> None:
        cfg = self.device.ipsec
        by_vpn: dict[str, list[_Policy]] = {}
        for sec_policy in self.sec_policies.values():
            if sec_policy.vpn is not None:
                by_vpn.setdefault(sec_policy.vpn, []).append(sec_policy)
        self.sec_policies = {}
        zone_of = {n: z for z, zone in self.zones.items() for n in zone.interfaces} \
            if by_vpn else {}
        cfg.ike_proposals.update(self.ike_proposals)
        cfg.ipsec_proposals.update(self.ipsec_proposals)
        for gw in self.gateways.values():
            policy = self.ike_policies.get(gw.policy or "", _IkePolicy())
            cfg.peers[gw.name] = IpsecPeer(
                name=gw.name, address=gw.address,
                ike_version=gw.version if gw.version is not None else 1,  # SRX: v1-only
                ike_mode=policy.mode or "main", ike_proposals=list(policy.proposals),
                psk_present=policy.psk_present, psk_cleartext=policy.psk_cleartext,
                psk_line=policy.psk_line, local_identity=gw.local_identity,
                remote_identity=gw.remote_identity, dpd=gw.dpd,
                nat_traversal=gw.nat_traversal, line=gw.line)
        for vpn in self.vpns.values():
            ipsec_policy = self.ipsec_policies.get(vpn.policy or "",
                                                   {"proposals": [], "pfs": None})
            peer = self.gateways.get(vpn.gateway or "")
            lifetimes = [self.ipsec_lifetimes[p] for p in ipsec_policy["proposals"]
                         if p in self.ipsec_lifetimes]
            selectors = [(local, remote) for local in vpn.local for remote in vpn.remote]
            if vpn.local and not vpn.remote:
                selectors = [(local, ANY) for local in vpn.local]
            elif vpn.remote and not vpn.local:
                selectors = [(ANY, remote) for remote in vpn.remote]
            selector_line = 0
            if not vpn.local and not vpn.remote and vpn.name in by_vpn:
                selectors, selector_line = self._policy_selectors(by_vpn[vpn.name], peer,
                                                                  zone_of)
            cfg.tunnels.append(IpsecTunnel(
                name=vpn.name, peer=vpn.gateway, peer_address=peer.address if peer else None,
                proposals=list(ipsec_policy["proposals"]), pfs_group=ipsec_policy["pfs"],
                lifetime_s=lifetimes[0] if lifetimes else None,
                route_based=vpn.bind is not None, tunnel_interface=vpn.bind,
                selectors=selectors, selector_line=selector_line, line=vpn.line))

    def _policy_selectors(self, policies: list[_Policy], gateway: _Gateway | None,
                          zone_of: dict[str, str]
                          ) -> tuple[list[tuple[IPv4Network, IPv4Network]], int]:
        """The proxy IDs of a policy-based VPN and the line of the first policy they come
        from: every (local, remote) pair of the resolved addresses of the policies that
        tunnel into it. A policy toward the zone of the gateway's external interface is
        outbound (source = local), one from that zone inbound (destination = local);
        without a known zone, outbound is assumed. The outbound policies are what the
        device proposes, so they decide; inbound ones only when there is no outbound one
        (a `pair-policy` pair is the same proxy ID seen from both sides, and an inbound
        policy that permits more is not what the device offers)."""
        outside = zone_of.get(gateway.external_interface or "") if gateway else None
        attached: dict[str, list[_AddressBook]] = {}
        for book in self.address_books.values():
            for zone in book.zones:
                attached.setdefault(zone, []).append(book)
        found: dict[bool, list[tuple[IPv4Network, IPv4Network]]] = {False: [], True: []}
        lines: dict[bool, int] = {}
        for policy in policies:
            if policy.excluded:
                self.unparsed("ipsec", policy.line, f"security policy {policy.name}",
                              "source-/destination-address-excluded is not modelled; its "
                              "proxy IDs are unknown")
                continue
            sources = self._policy_addresses(policy, policy.sources, policy.from_zones,
                                             attached)
            dests = self._policy_addresses(policy, policy.dests, policy.to_zones, attached)
            inbound = outside is not None and outside in policy.from_zones \
                and outside not in policy.to_zones
            local, remote = (dests, sources) if inbound else (sources, dests)
            lines.setdefault(inbound, policy.line)
            pairs = found[inbound]
            for loc in local:
                for rem in remote:
                    if (loc, rem) not in pairs:
                        pairs.append((loc, rem))
        inbound_only = False not in lines  # no outbound policy tunnels into the VPN
        return found[inbound_only], lines.get(inbound_only, policies[0].line)

    def _policy_addresses(self, policy: _Policy, names: list[str], zones: list[str],
                          attached: dict[str, list[_AddressBook]]) -> list[IPv4Network]:
        """Address-book names of a policy match as networks: the zones' own books, the
        books attached to them, then the global book; address-sets expanded."""
        books = [self.address_books[key] for key in (("zone", z) for z in zones)
                 if key in self.address_books]
        for zone in zones:
            books.extend(attached.get(zone, []))
        if "global" in self.address_books:
            books.append(self.address_books["global"])
        out: list[IPv4Network] = []
        pending = list(reversed(names))
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in ("any", "any-ipv4"):
                _add(out, ANY)
                continue
            if name == "any-ipv6":
                continue
            for book in books:
                if name in book.addresses:
                    if name in book.unresolved:
                        self.unparsed("ipsec", policy.line, f"security policy {policy.name}",
                                      f"address {name} ({book.unresolved[name]}) is not a "
                                      "prefix; its proxy ID is unknown")
                    for net in book.addresses[name]:
                        _add(out, net)
                    break
                if name in book.sets:
                    pending.extend(reversed(book.sets[name]))
                    break
            else:
                self.unparsed("ipsec", policy.line, f"security policy {policy.name}",
                              f"address {name} is not in an address book of zone "
                              f"{', '.join(zones) or 'global'}")
        return out

    def _finish_groups(self) -> None:
        """Groups are not expanded: say so where an applied group holds something we read."""
        for group, applied_line in self.applied_groups.items():
            reported: set[str] = set()
            for topic_word, st in self.groups.get(group, []):
                words = st[0]
                if topic_word == "interfaces" and len(words) > 3 \
                        and words[3].startswith(_MGMT_IFDS):
                    continue
                found = _match(_TRIE, words, 2)
                if found is None or found[0] is _Builder.h_hostname:
                    continue
                topic = _TOPICS.get(topic_word, "interfaces")
                if topic in reported:
                    continue
                reported.add(topic)
                self.unparsed(topic, st[1], _display(words),
                              f"group {group} is applied (line {applied_line}) but "
                              "configuration groups are not expanded")


def _stage(filter_name: str, entry: FilterEntry, policers: dict[str, list]
           ) -> ControlPlaneStage | None:
    """A lo0 filter term as a control-plane stage (None for a non-terminating term).

    The stage is named after the term, so a fix can say `insert ... before term NAME`.
    """
    if entry.action is None:
        return None
    name = entry.name or filter_name
    if entry.action == "deny":
        return ControlPlaneStage(name, "drop", match=entry.match, line=entry.line)
    if entry.police_name is not None or entry.police_rate_bps is not None:
        return ControlPlaneStage(name, "police", match=entry.match,
                                 rate_bps=entry.police_rate_bps, line=entry.line)
    return ControlPlaneStage(name, "exempt", match=entry.match, line=entry.line)


def _hop_route(route: _Route, hop: str, line: int) -> StaticRoute | None:
    """The StaticRoute of one next hop of `route` (None for IPv6), built when the hop is
    read; its preference and tag stay None until `finish` knows the route's defaults."""
    nh = address(hop)
    # preference=None: a parse-time placeholder `finish` always replaces (StaticRoute's is int)
    sr = StaticRoute(route.prefix, line=line, vrf=route.vrf, preference=None,  # type: ignore[arg-type]
                     tag=None)
    if nh is not None:
        if int(nh) == 0:
            sr.discard = True
        else:
            sr.next_hop = nh
    elif ":" in hop:
        return None
    else:
        sr.interface = hop
    return sr


@cache
def _shared_set(items: frozenset[str]) -> set[str]:
    """A set equal to `items`, one per distinct value per parse: every filter entry keeps
    its protocols (a set is ~220 bytes), and the parsed model is read-only. Cleared when
    the parse ends."""
    return set(items)


def _add(items: list, value: object) -> None:
    if value not in items:
        items.append(value)


def _unique(nets: list[IPv4Network]) -> list[IPv4Network]:
    seen: list[IPv4Network] = []
    for net in nets:
        if net not in seen:
            seen.append(net)
    return seen


# --------------------------------------------------------------------------- path table
# `*` captures one word; the handler gets the captures and the index after the pattern.
# The deepest pattern with a handler wins (`interfaces * unit *` catches every other
# statement of a unit, so the unit exists even without an address).
_PATTERNS: list[tuple[str, Handler]] = [
    ("system host-name *", _Builder.h_hostname),
    ("interfaces * unit *", _Builder.h_unit),
    ("interfaces * unit * family inet address *", _Builder.h_unit_address),
    ("interfaces * unit * family inet filter input *", _Builder.h_unit_filter),
    ("interfaces * unit * family inet filter input-list *", _Builder.h_unit_filter),
    ("interfaces * unit * family inet disable", _Builder.h_unit_disable),
    ("interfaces * unit * vlan-id *", _Builder.h_unit_vlan),
    ("interfaces * unit * description *", _Builder.h_unit_description),
    ("interfaces * unit * disable", _Builder.h_unit_disable),
    ("interfaces * unit * tunnel destination *", _Builder.h_unit_tunnel_destination),
    ("interfaces * description *", _Builder.h_ifd_description),
    ("interfaces * disable", _Builder.h_ifd_disable),
    ("routing-options static route *", _Builder.h_route),
    ("routing-options static defaults", _Builder.h_route_defaults),
    ("routing-options rib * static route *", _Builder.h_rib_route),
    ("routing-options rib * static defaults", _Builder.h_rib_route_defaults),
    ("routing-options autonomous-system *", _Builder.h_autonomous_system),
    ("firewall family inet filter *", _Builder.h_filter),
    ("firewall family inet filter * term *", _Builder.h_term),
    ("firewall filter *", _Builder.h_filter),
    ("firewall filter * term *", _Builder.h_term),
    ("firewall policer *", _Builder.h_policer),
    ("policy-options prefix-list *", _Builder.h_prefix_list),
    ("policy-options prefix-list * *", _Builder.h_prefix_list),
    ("security zones", _Builder.h_zones),
    ("security zones security-zone *", _Builder.h_zone),
    ("security zones functional-zone *", _Builder.h_zone),
    ("security nat source rule-set *", _Builder.h_nat_rule_set),
    ("security ike proposal *", _Builder.h_ike_proposal),
    ("security ike policy *", _Builder.h_ike_policy),
    ("security ike gateway *", _Builder.h_ike_gateway),
    ("security ipsec proposal *", _Builder.h_ipsec_proposal),
    ("security ipsec policy *", _Builder.h_ipsec_policy),
    ("security ipsec vpn *", _Builder.h_vpn),
    ("security address-book *", _Builder.h_address_book),
    ("security zones security-zone * address-book", _Builder.h_zone_address_book),
    ("security policies from-zone * to-zone * policy *", _Builder.h_security_policy),
    ("security policies global policy *", _Builder.h_global_policy),
    ("protocols bgp", _Builder.h_bgp),
    ("policy-options policy-statement *", _Builder.h_policy_statement),
    ("routing-options aggregate route *", _Builder.h_aggregate),
    ("routing-options generate route *", _Builder.h_aggregate),
    ("services rpm probe * test *", _Builder.h_rpm_test),
    ("services ip-monitoring policy *", _Builder.h_ip_monitoring),
]
# top-level words whose statements hold a whole configuration under a name
_CONTAINERS = frozenset({"routing-instances", "groups", "logical-systems"})
_TOPICS: dict[str, Topic] = {
    "interfaces": "interfaces", "routing-options": "routes", "firewall": "filters",
    "policy-options": "filters", "security": "ipsec", "protocols": "bgp",
    "services": "routes"}


def _captures(positions: tuple[int, ...]) -> Callable[[Words], Words]:
    """words -> (words[k] for k in positions), as a tuple, without a Python-level call
    per statement (one position is a one-word slice: `itemgetter(k)` alone gives a str)."""
    if len(positions) == 1:
        return itemgetter(slice(positions[0], positions[0] + 1))
    if not positions:
        return itemgetter(slice(0, 0))
    return itemgetter(*positions)


class _Node:
    """A word-trie node: where the patterns sharing its first `depth` words go next, and
    the handler of the pattern ending here (None: none does). `captures(words)` gives
    the words that the pattern's `*`s took."""

    __slots__ = ("children", "wildcard", "handler", "depth", "positions", "captures")

    def __init__(self, depth: int = 0, positions: tuple[int, ...] = ()) -> None:
        self.children: dict[str, _Node] = {}
        self.wildcard: _Node | None = None
        self.handler: Handler | None = None
        self.depth = depth
        self.positions = positions  # indexes of the `*`s on the way here
        self.captures = _captures(positions)

    def child(self, word: str) -> _Node:
        """The next node for pattern word `word` (`*`: the wildcard), made if missing."""
        if word == "*":
            if self.wildcard is None:
                self.wildcard = _Node(self.depth + 1, (*self.positions, self.depth))
            return self.wildcard
        node = self.children.get(word)
        if node is None:
            node = self.children[word] = _Node(self.depth + 1, self.positions)
        return node


def _compile(patterns: list[tuple[str, Handler]]) -> _Node:
    """The word trie of `patterns`."""
    root = _Node()
    for pattern, handler in patterns:
        node = root
        for word in pattern.split():
            node = node.child(word)
        node.handler = handler
    return root


_TRIE = _compile(_PATTERNS)


def _deepest(trie: _Node, words: Words) -> _Node | None:
    """The node of the deepest pattern with a handler along `words` (a literal word is
    tried before `*`), or None."""
    node = trie
    best = None
    for word in words:
        step = node.children.get(word) or node.wildcard  # a _Node is never false
        if step is None:
            break
        node = step
        if node.handler is not None:
            best = node
    return best


def _match(trie: _Node, words: Words, start: int) -> tuple[Handler, Words, int] | None:
    """Deepest pattern with a handler along `words[start:]`: (handler, the words its `*`s
    took, index after the pattern)."""
    rest = words[start:] if start else words
    node = _deepest(trie, rest)
    if node is None or node.handler is None:
        return None
    return node.handler, node.captures(rest), start + node.depth


# --------------------------------------------------------------------------- entry point
def parse(text: str, path: str = "") -> Device:
    """Parse a Junos config in hierarchical or `display set` form; never raises."""
    line_count = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    builder = _Builder(path, line_count)

    def run() -> Device:
        builder.feed(iter_statements(text))
        return builder.finish()

    try:
        with gc_paused():
            return partial_on_error(builder.device, run)
    finally:
        _shared_set.cache_clear()
        clear_caches()


__all__ = ["parse"]
