"""BGP meaning for the rules: what a route policy does to a route, which routes the
device learns from its cloud-facing peers, and what it advertises to them.

Vendor-neutral: the parsers resolved each vendor's defaults into the Device
(`RoutePolicy.default_action`: Cisco route-map and Huawei route-policy deny what no
entry matches, a Junos policy-statement falls through to the next policy and then to
BGP's default policy; `BgpConfig.export_default`). Every answer is three-valued: a
condition the model does not evaluate (community, AS path, an undefined list) makes it
"unknown", and no rule reports an error on an unknown answer.

Without exact knowledge of what the VBR advertises, the routes it is taken to offer are
(docs/cloud.md#vbr-bgp-lint): with a site model, its cloud networks, the line's
health-check source as a /32 and the cloud-services blocks (unless disabled); without
one, the line's health-check source (when the config shows it), the two /11 halves of
100.64.0.0/10, and the VPC-like prefixes that the session's own import policy names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from idcgen.cloud import (
    ALIBABA_ASN,
    ALIBABA_RESERVED_ASNS,
    CLOUD_SERVICES,
    CLOUD_SERVICES_HALVES,
    RFC1918,
    VBR_ROUTE_QUOTA,
)
from idcgen.devicemodel import (
    BgpConfig,
    BgpNeighbor,
    Device,
    LearnedRoute,
    PolicyTerm,
    PrefixMatch,
    RoutePolicy,
    StaticRoute,
    Verdict,
)
from idcgen.indexes import network_is_private

if TYPE_CHECKING:
    from idcgen.findings import CloudLink
    from idcgen.sitemodel import Site

DEFAULT_ROUTE_QUOTA = VBR_ROUTE_QUOTA  # routes a VBR takes per BGP peer (docs/cloud.md)
RESERVED_ASNS = ALIBABA_RESERVED_ASNS  # Alibaba's own ASNs: never a customer's
VBR_ASN = ALIBABA_ASN


@dataclass(frozen=True, slots=True)
class Decision:
    """A policy answer and where it was decided (for messages): `line` 0 = a default."""

    verdict: Verdict
    why: str
    line: int = 0


# --------------------------------------------------------------------------- policies
def _route_filter_hit(bgp: BgpConfig, filters: Sequence[PrefixMatch], net: IPv4Network
                      ) -> bool:
    """Junos route-filter semantics: the longest route-filter prefix that holds the
    route decides, and the route matches when that filter's length range admits it.
    A long list is indexed by (prefix length, network bits) on first use."""
    if len(filters) <= 16:
        best: PrefixMatch | None = None
        for item in filters:
            length = item.prefix.prefixlen
            if net.prefixlen < length:
                continue
            shift = 32 - length
            if int(net.network_address) >> shift != int(item.prefix.network_address) >> shift:
                continue
            if best is None or length > best.prefix.prefixlen:
                best = item
        return best is not None and best.ge <= net.prefixlen <= best.le
    key = ("route-filters", id(filters))
    index = bgp.cache.get(key)
    if index is None:
        table: dict[tuple[int, int], PrefixMatch] = {}
        for item in filters:
            length = item.prefix.prefixlen
            table.setdefault((length, int(item.prefix.network_address) >> (32 - length)),
                             item)
        index = bgp.cache[key] = (sorted({k[0] for k in table}, reverse=True), table)
    lengths, table = index
    value = int(net.network_address)
    for length in lengths:
        if length <= net.prefixlen:
            found = table.get((length, value >> (32 - length)))
            if found is not None:
                return found.ge <= net.prefixlen <= found.le
    return False


def term_matches(bgp: BgpConfig, term: PolicyTerm, net: IPv4Network, protocol: str,
                 neighbor: IPv4Address | None) -> Verdict | None:
    """"permit": the term matches the route; None: it does not; "unknown": it may."""
    if term.protocols and protocol not in term.protocols:
        return None
    if term.neighbors and (neighbor is None or neighbor not in term.neighbors):
        return None
    uncertain = bool(term.other)
    if term.prefix_lists or term.route_filters:
        hit = bool(term.route_filters) and _route_filter_hit(bgp, term.route_filters, net)
        for name in term.prefix_lists:
            if hit:
                break
            plist = bgp.prefix_lists.get(name)
            if plist is None:
                uncertain = True
            elif plist.evaluate(net)[0] == "permit":
                hit = True
        if not hit and not uncertain:
            return None
        if not hit:
            return "unknown"
    return "unknown" if uncertain else "permit"


# A policy with more terms than this is indexed (below); a short one is scanned.
TERM_SCAN_LIMIT = 16


def candidate_terms(bgp: BgpConfig, policy: RoutePolicy, net: IPv4Network
                    ) -> Sequence[PolicyTerm]:
    """The terms of `policy` that may match `net`, in policy order: every term but those
    whose only prefix conditions (route filters, defined prefix lists) have no entry
    holding `net`. `term_matches` answers None for every term left out, so first-match
    evaluation over the candidates gives the decision a scan of every term gives.

    Why: an export policy is evaluated for every static route of the device; scanning a
    policy of T terms per route is T x routes (a Junos policy of 1,600 terms over 20,000
    statics took 29 s). A long policy is indexed once per device by the (length, network
    bits) of every route-filter and prefix-list entry prefix, so a look-up is one dict
    probe per prefix length plus the terms that really hold the route."""
    terms = policy.terms
    if len(terms) <= TERM_SCAN_LIMIT:
        return terms
    key = ("term-index", id(policy))
    index: _TermIndex | None = bgp.cache.get(key)
    if index is None or index.size != len(terms):
        index = bgp.cache[key] = _TermIndex(bgp, terms)
    return index.candidates(net)


class _TermIndex:
    """Term positions by the prefixes their conditions name (see `candidate_terms`)."""

    __slots__ = ("always", "lengths", "size", "table", "terms")

    def __init__(self, bgp: BgpConfig, terms: list[PolicyTerm]) -> None:
        self.terms = terms
        self.size = len(terms)
        # terms that any route may match: no prefix condition, a condition the model does
        # not evaluate (the answer can be "unknown" whatever the prefix), or an undefined
        # prefix list (likewise)
        self.always: list[int] = []
        self.table: dict[tuple[int, int], list[int]] = {}
        for position, term in enumerate(terms):
            lists = [bgp.prefix_lists.get(name) for name in term.prefix_lists]
            if not (term.route_filters or lists) or term.other or None in lists:
                self.always.append(position)
                continue
            entries = [*term.route_filters,
                       *(entry for plist in lists if plist is not None for entry in plist.entries)]
            for entry in entries:
                length = entry.prefix.prefixlen
                bits = int(entry.prefix.network_address) >> (32 - length)
                held = self.table.setdefault((length, bits), [])
                if not held or held[-1] != position:
                    held.append(position)
        self.lengths = sorted({length for length, _ in self.table})

    def candidates(self, net: IPv4Network) -> list[PolicyTerm]:
        value, prefixlen = int(net.network_address), net.prefixlen
        positions: set[int] = set()
        for length in self.lengths:
            if length > prefixlen:
                break
            positions.update(self.table.get((length, value >> (32 - length)), ()))
        terms = self.terms
        if not positions:
            return [terms[p] for p in self.always]
        return [terms[p] for p in sorted(positions.union(self.always))]


def _policy_label(policy: RoutePolicy, term: PolicyTerm) -> str:
    return f"{policy.name} {term.name}".strip()


def evaluate_policies(bgp: BgpConfig, policies: Sequence[str], net: IPv4Network, *,
                      protocol: str, neighbor: IPv4Address | None,
                      default: Verdict) -> Decision:
    """First-match evaluation of a policy chain; `default` when no policy decides."""
    for name in policies:
        policy = bgp.policies.get(name)
        if policy is None:
            return Decision("unknown", f"policy {name} is not defined")
        for term in candidate_terms(bgp, policy, net):
            found = term_matches(bgp, term, net, protocol, neighbor)
            if found is None or term.action is None and found == "permit":
                continue
            if found == "unknown":
                if term.action is None:
                    continue  # a non-terminating term decides nothing either way
                return Decision("unknown", f"{_policy_label(policy, term)} (line {term.line}) "
                                           f"matches on conditions idcgen does not evaluate",
                                term.line)
            assert term.action is not None
            return Decision(term.action, f"{_policy_label(policy, term)} (line {term.line})",
                            term.line)
        if policy.default_action is not None:
            return Decision(policy.default_action,
                            f"{policy.name} (line {policy.line}): no entry matches, so the "
                            f"implicit {policy.default_action} applies", policy.line)
    return Decision(default, "the default policy")


def evaluate_lists(bgp: BgpConfig, lists: Sequence[str], net: IPv4Network
                   ) -> Decision | None:
    """Prefix-lists applied to a neighbor directly (every one must permit); None when
    there are none."""
    found: Decision | None = None
    for name in lists:
        plist = bgp.prefix_lists.get(name)
        if plist is None:
            return Decision("unknown", f"{name} is not defined or not evaluated by idcgen")
        action, entry = plist.evaluate(net)
        if entry is None:
            return Decision("deny", f"prefix-list {name} (line {plist.line}): no entry "
                                    f"matches, so the implicit deny applies", plist.line)
        if action == "deny":
            return Decision("deny", f"prefix-list {name} (line {entry.line})", entry.line)
        found = found or Decision("permit", f"prefix-list {name} (line {entry.line})",
                                  entry.line)
    return found


def _combined(listed: Decision | None, found: Decision, policies: Sequence[str]
              ) -> Decision:
    """A route passes a neighbor when its prefix-lists and its policy chain both admit
    it: a deny from either decides, then an unknown."""
    if listed is None:
        return found
    if listed.verdict == "deny" or found.verdict == "deny":
        return listed if listed.verdict == "deny" else found
    if listed.verdict == "unknown" or not policies:
        return listed
    return found


def chain_key(bgp: BgpConfig, neighbor: BgpNeighbor, direction: str) -> tuple:
    """What a neighbor's decisions in one direction depend on: its lists and policy
    chain (and its address, when a term matches on the neighbor)."""
    lists, policies = ((neighbor.import_lists, neighbor.import_policies)
                       if direction == "import" else
                       (neighbor.export_lists, neighbor.export_policies))
    key = (direction, tuple(lists), tuple(policies))
    found = bgp.cache.get(("by-neighbor", key))
    if found is None:
        found = bgp.cache[("by-neighbor", key)] = any(
            term.neighbors for name in policies if (p := bgp.policies.get(name))
            for term in p.terms)
    return (*key, neighbor.address) if found else key


def import_decision(bgp: BgpConfig, neighbor: BgpNeighbor, net: IPv4Network) -> Decision:
    """Does the device accept `net` from `neighbor`? (No import filter at all: accept.)
    Cached per policy chain and prefix: the sessions of one group are evaluated once."""
    key = (chain_key(bgp, neighbor, "import"), net)
    found = bgp.cache.get(key)
    if found is None:
        found = bgp.cache[key] = _import_decision(bgp, neighbor, net)
    return found


def _import_decision(bgp: BgpConfig, neighbor: BgpNeighbor, net: IPv4Network) -> Decision:
    listed = evaluate_lists(bgp, neighbor.import_lists, net)
    found = evaluate_policies(bgp, neighbor.import_policies, net, protocol="bgp",
                              neighbor=neighbor.address, default="permit")
    return _combined(listed, found, neighbor.import_policies)


def export_decision(bgp: BgpConfig, neighbor: BgpNeighbor, net: IPv4Network,
                    protocol: str) -> Decision:
    """Does the device advertise its route `net` (from `protocol`: bgp = learned, or the
    origin: network, static, direct, aggregate) to `neighbor`? Cached like imports."""
    key = (chain_key(bgp, neighbor, "export"), net, protocol)
    found = bgp.cache.get(key)
    if found is None:
        found = bgp.cache[key] = _export_decision(bgp, neighbor, net, protocol)
    return found


def _export_decision(bgp: BgpConfig, neighbor: BgpNeighbor, net: IPv4Network,
                     protocol: str) -> Decision:
    if bgp.export_default == "bgp":
        default: Verdict = "permit" if protocol in ("bgp", "network") else "deny"
    else:
        default = "permit"
    listed = evaluate_lists(bgp, neighbor.export_lists, net)
    found = evaluate_policies(bgp, neighbor.export_policies, net, protocol=protocol,
                              neighbor=None, default=default)
    return _combined(listed, found, neighbor.export_policies)


def named_prefixes(bgp: BgpConfig, neighbor: BgpNeighbor) -> list[IPv4Network]:
    """The prefixes a neighbor's import filters name in a permitting entry, in order
    (computed once per import chain; do not modify the list)."""
    key = ("named", tuple(neighbor.import_lists), tuple(neighbor.import_policies))
    cached = bgp.cache.get(key)
    if cached is None:
        cached = bgp.cache[key] = _named_prefixes(bgp, neighbor)
    return cached


def _named_prefixes(bgp: BgpConfig, neighbor: BgpNeighbor) -> list[IPv4Network]:
    out: dict[IPv4Network, None] = {}

    def add_list(name: str) -> None:
        plist = bgp.prefix_lists.get(name)
        for entry in plist.entries if plist else ():
            if entry.action == "permit":
                out.setdefault(entry.prefix)

    for name in neighbor.import_lists:
        add_list(name)
    for name in neighbor.import_policies:
        policy = bgp.policies.get(name)
        for term in policy.terms if policy else ():
            if term.action == "deny":
                continue
            for plist in term.prefix_lists:
                add_list(plist)
            for item in term.route_filters:
                out.setdefault(item.prefix)
    return list(out)


def hosts_refused(bgp: BgpConfig, neighbor: BgpNeighbor) -> Decision | None:
    """For a session whose health-check source is not known: the import decision that
    refuses a host route inside the VPC-like networks the import filters admit (one
    /32 tested per named network, its first host; for a wide entry such as
    `0.0.0.0/0 le 24`, the first host of each RFC 1918 block it covers), when every
    tested /32 is refused and the filters name no /32 of their own (which could be the
    source); else None.

    Why it is enough: a VBR-to-VPC health-check source is an unused address of the VPC,
    advertised as a /32 (docs/cloud.md#vbr-bgp-lint), so a filter that refuses the
    host routes of the networks it admits (`192.168.0.0/16 le 24`) refuses it too."""
    named = named_prefixes(bgp, neighbor)
    if any(p.prefixlen == 32 for p in named):
        return None
    hosts: dict[IPv4Network, None] = {}
    for net in named:
        if _vpc_like(net) and net.prefixlen <= 30:
            hosts.setdefault(IPv4Network(f"{net.network_address + 1}/32"))
        else:  # a wide entry (0.0.0.0/0 le 24): the private blocks it covers
            for block in RFC1918:
                if block.subnet_of(net):
                    hosts.setdefault(IPv4Network(f"{block.network_address + 1}/32"))
    refused: Decision | None = None
    for host in hosts:
        decision = import_decision(bgp, neighbor, host)
        if decision.verdict != "deny":
            return None
        if refused is None:
            refused = Decision("deny", f"{host} is refused by {decision.why}",
                               decision.line)
    return refused


def _vpc_like(net: IPv4Network) -> bool:
    return (network_is_private(net) or net.subnet_of(CLOUD_SERVICES)) and net.prefixlen >= 8


# --------------------------------------------------------------------------- sessions
def vbr_sessions(device: Device, links: Iterable[CloudLink]
                 ) -> list[tuple[CloudLink, BgpNeighbor]]:
    """(leased line, its BGP neighbor) for every leased line whose VBR address is an
    enabled IPv4 BGP neighbor of the global table, in link order."""
    if device.bgp is None or not device.bgp_neighbors:
        return []
    by_address: dict[int, BgpNeighbor] = {}
    for neighbor in device.bgp_neighbors:
        if neighbor.enabled:
            by_address.setdefault(int(neighbor.address), neighbor)
    out: list[tuple[CloudLink, BgpNeighbor]] = []
    for link in links:
        if link.kind == "leased-line" and link.peer_ip is not None:
            found = by_address.get(int(link.peer_ip))
            if found is not None:
                out.append((link, found))
    return out


def cloud_offers(bgp: BgpConfig, link: CloudLink, named: Sequence[IPv4Network],
                 site: Site | None) -> list[IPv4Network]:
    """The prefixes the VBR of `link` is taken to advertise (see the module doc);
    `named`: the VPC-like prefixes the import filters of the VBR sessions name."""
    out: dict[IPv4Network, None] = {}
    if link.health_check_source is not None:
        out.setdefault(IPv4Network(f"{link.health_check_source}/32"))
    if site is not None:
        for net in site.cloud_networks:
            out.setdefault(net.cidr)
        if site.cloud_services.enabled:
            for prefix in site.cloud_services.prefixes or CLOUD_SERVICES_HALVES:
                out.setdefault(prefix)
        return list(out)
    for prefix in (*CLOUD_SERVICES_HALVES, *named):
        out.setdefault(prefix)
    return list(out)


def multipath_on(bgp: BgpConfig, sessions: Sequence[tuple[CloudLink, BgpNeighbor]]) -> bool:
    return bgp.multipath > 1 or bool(sessions) and all(nb.multipath for _, nb in sessions)


def learned_routes(device: Device, site: Site | None, links: Sequence[CloudLink]
                   ) -> list[StaticRoute]:
    """The routes the device learns from its VBR sessions and would install: every
    offered prefix its import filters admit (or may admit), via the VBR address, at the
    vendor's eBGP preference. Without multipath only one session's route is active per
    prefix: the others are one preference higher (a standby path)."""
    bgp = device.bgp
    sessions = vbr_sessions(device, links)
    if bgp is None or not sessions:
        return []
    width = max(bgp.multipath, 64 if multipath_on(bgp, sessions) else 1)
    named: dict[IPv4Network, None] = {}
    if site is None:  # the cloud networks the config names, offered by every VBR
        for _, neighbor in sessions:
            named.update((p, None) for p in named_prefixes(bgp, neighbor)
                         if _vpc_like(p) and p.prefixlen < 32)
    seen: dict[IPv4Network, int] = {}  # prefix -> sessions that installed it so far
    out: list[StaticRoute] = []
    for link, neighbor in sessions:
        assert link.peer_ip is not None
        for prefix in cloud_offers(bgp, link, list(named), site):
            if import_decision(bgp, neighbor, prefix).verdict == "deny":
                continue
            rank = seen.get(prefix, 0)
            seen[prefix] = rank + 1
            out.append(LearnedRoute(prefix, next_hop=link.peer_ip,
                                    preference=bgp.preference + (0 if rank < width else 1),
                                    line=neighbor.line))
    return out


@dataclass(frozen=True, slots=True)
class Advertised:
    """A prefix the device originates toward a neighbor: how (network, static, direct,
    aggregate), the statement or route it comes from, and the export verdict."""

    prefix: IPv4Network
    origin: str
    line: int
    decision: Decision


def originated(device: Device) -> list[tuple[IPv4Network, str, int]]:
    """The device's own routes BGP may advertise, before any neighbor's export policy:
    `network` / aggregate statements, and the static and interface routes that a
    redistribution admits (Cisco, Huawei) or that every export policy may pick (Junos:
    protocol static / direct / aggregate). Computed once per device."""
    bgp = device.bgp
    if bgp is None:
        return []
    cached = device.__dict__.get("_bgp_originated")
    if cached is not None:
        return cached
    out: list[tuple[IPv4Network, str, int]] = [(n.prefix, "network", n.line)
                                               for n in bgp.networks]
    out += [(n.prefix, "aggregate", n.line) for n in bgp.aggregates]
    statics = [(r.prefix, "static", r.line) for r in device.global_routes()]
    direct = [(a.network, "direct", iface.line) for iface in device.interfaces.values()
              if not iface.shutdown for a in iface.addresses]
    if bgp.export_default == "bgp":
        out += statics + direct
    else:
        # redistribution leaves the default route out (it takes default-information
        # originate / default-route imported)
        statics = [item for item in statics if item[0].prefixlen]
        for redistribution in bgp.redistribute:
            pool = statics if redistribution.protocol == "static" else \
                direct if redistribution.protocol == "direct" else []
            policy = redistribution.policy
            for prefix, origin, line in pool:
                if policy is None or evaluate_policies(
                        bgp, [policy], prefix, protocol=origin, neighbor=None,
                        default="deny").verdict == "permit":
                    out.append((prefix, origin, line))
    found: dict[IPv4Network, tuple[IPv4Network, str, int]] = {}
    for entry in out:
        found.setdefault(entry[0], entry)
    device.__dict__["_bgp_originated"] = result = list(found.values())
    return result


def advertised(device: Device, neighbor: BgpNeighbor) -> list[Advertised]:
    """What the device itself originates toward `neighbor` (permit or unknown); one list
    per export chain (do not modify it)."""
    bgp = device.bgp
    if bgp is None:
        return []
    key = ("advertised", chain_key(bgp, neighbor, "export"))
    cached: list[Advertised] | None = bgp.cache.get(key)
    if cached is not None:
        return cached
    out: list[Advertised] = []
    bgp.cache[key] = out
    for prefix, origin, line in originated(device):
        decision = export_decision(bgp, neighbor, prefix, origin)
        if decision.verdict != "deny":
            out.append(Advertised(prefix, origin, line, decision))
    return out


def is_learned(route: StaticRoute) -> bool:
    return isinstance(route, LearnedRoute)


__all__ = ["DEFAULT_ROUTE_QUOTA", "RESERVED_ASNS", "VBR_ASN", "Advertised", "Decision",
           "chain_key", "hosts_refused",
           "advertised", "cloud_offers", "evaluate_policies", "export_decision",
           "import_decision", "is_learned", "learned_routes", "multipath_on",
           "named_prefixes", "originated", "term_matches", "vbr_sessions"]
