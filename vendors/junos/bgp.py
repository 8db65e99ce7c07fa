"""Junos BGP (either config form): `protocols bgp`, `policy-options policy-statement`,
prefix-lists, `routing-options aggregate|generate` -> Device.bgp.

Meaning resolved here (docs/vendors.md#bgp): the terms of a policy-statement are
evaluated in order; a term without a terminating action (`accept`, `reject`) goes on to
the next; a policy that decides nothing hands the route to the next policy of the chain
and then to BGP's default policy, which imports every route and exports only routes
that are in BGP (statics and interface routes need an export policy). A route-filter
modifier gives the length range (`exact`, `orlonger`, `longer`, `upto /N`,
`prefix-length-range /A-/B`); the longest route-filter prefix that holds a route
decides whether the term's filters match. `from prefix-list NAME` matches the listed
prefixes exactly. BGP routes have preference 170; `multipath` on a group installs
several equal eBGP paths. Settings are inherited neighbor -> group -> `protocols bgp`.

`authentication-key` is only noted as present.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from idcgen.devicemodel import BgpNetwork, PolicyTerm, PrefixList, PrefixMatch
from idcgen.redact import mask_secrets
from idcgen.vendors.bgpparse import BgpCollector, Settings, add_to, asn
from idcgen.vendors.ipv4 import address
from idcgen.vendors.ipv4 import prefix_network as network
from idcgen.vendors.junos.statements import Stmt, line_at

BGP_PREFERENCE = 170
_IGNORED = frozenset({
    "type", "local-address", "hold-time", "log-updown", "passive", "multihop", "cluster",
    "remove-private", "as-override", "advertise-peer-as", "keep", "damping",
    "graceful-restart", "tcp-mss", "mtu-discovery", "traceoptions", "out-delay",
    "vpn-apply-export", "advertise-inactive", "accept-remote-nexthop", "family",
    "authentication-algorithm", "precision-timers", "metric-out", "local-preference",
    "no-advertise-peer-as", "prefix-limit", "path-selection", "loops", "local-interface",
    "include-mp-next-hop", "peer-as", "local-as", "description", "import", "export",
    "authentication-key", "authentication-key-chain", "bfd-liveness-detection",
    "multipath", "neighbor", "group", "preference", "shutdown", "enforce-first-as",
    "advertise-external", "drop-path-attributes", "egress-te", "forwarding-context",
    "ipsec-sa", "tcp-aggressive-transmission", "unconfigured-peer-graceful-restart",
    "allow", "outbound-route-filter", "output-queue-priority", "rfc6514-compliant-safi129",
    "bgp-error-tolerance", "mvpn-iana-rt-import", "send-addpath-optimization",
    "sr-preference-override", "stale-labels-holddown-period", "snmp-options",
    "route-target-proxy", "egress-te-backup-paths", "no-client-reflect",
    "defaults", "idle-after-switch-over", "bmp", "hold-time-extension"})
_MATCHES_ONLY = frozenset({"family"})  # `from family inet`: every IPv4 route
_SETS_PREFERENCE = frozenset({"local-preference", "as-path-prepend", "preference"})


def collector(b: Any) -> BgpCollector:
    found = getattr(b, "bgp_collector", None)
    if found is None:
        found = b.bgp_collector = BgpCollector(preference=BGP_PREFERENCE,
                                               export_default="bgp", policy_default=None,
                                               peer_as_suppressed=True)
        b.bgp_terms = {}
        b.bgp_list_filters = []
    return found


# ------------------------------------------------------------------ protocols bgp
def protocols_bgp(b: Any, st: Stmt, i: int) -> None:
    """One `protocols bgp ...` statement of the global table (instances are skipped)."""
    if b.vrf is not None:
        return
    bgp = collector(b)
    words = st[0]
    rest = words[i:]
    if not bgp.process_line:
        bgp.process_line = line_at(st, i - 1)
    if not rest:
        return
    target: Settings
    if rest[0] == "group" and len(rest) >= 2:
        target = bgp.group(rest[1], line_at(st, i + 1))
        tail = rest[2:]
        if tail[:1] == ("neighbor",) and len(tail) >= 2:
            peer = address(tail[1])
            if peer is None:
                return  # IPv6 or a name
            target = bgp.neighbor(peer, line_at(st, i + 3))
            target.group = target.group or rest[1]
            tail = tail[2:]
    else:
        target, tail = bgp.global_settings, rest
    if tail:
        _setting(b, st, target, tail)


def _setting(b: Any, st: Stmt, target: Settings, words: tuple[str, ...]) -> None:
    head, value = words[0], words[1] if len(words) > 1 else None
    if head == "peer-as" and value:
        target.remote_as = asn(value)
    elif head == "local-as" and value:
        target.local_as = asn(value)
    elif head == "description" and value is not None:
        target.description = " ".join(words[1:])
    elif head in ("authentication-key", "authentication-key-chain"):
        target.password = True
    elif head == "bfd-liveness-detection":
        target.bfd = True
    elif head == "multipath":
        target.multipath = True
    elif head == "shutdown":
        target.shutdown = True
    elif head == "import" and value:
        add_to(target, "import_policies", value)
    elif head == "export" and value:
        add_to(target, "export_policies", value)
    elif head == "advertise-peer-as":
        b.bgp_collector.peer_as_suppressed = False
    elif head == "preference" and value and value.isdigit() and target is \
            b.bgp_collector.global_settings:
        b.bgp_collector.preference = int(value)
    elif head not in _IGNORED:
        b.unparsed("bgp", st[1], mask_secrets(" ".join(st[0][:6])),
                   f"BGP option {head!r} not understood")


# ------------------------------------------------------------------ policy-options
def policy_statement(b: Any, st: Stmt, caps: tuple[str, ...], i: int) -> None:
    """`policy-options policy-statement NAME [term T] from|then ...`."""
    bgp = collector(b)
    words = st[0]
    name = caps[0]
    policy = bgp.policy(name, line_at(st, i - 1))
    rest = words[i:]
    term_name = ""  # policy-level from / then: one final, unnamed term
    at = i
    if rest[:1] == ("term",) and len(rest) >= 2:
        term_name, rest, at = rest[1], rest[2:], i + 1
    key = (name, term_name)
    term = b.bgp_terms.get(key)
    if term is None:
        term = b.bgp_terms[key] = PolicyTerm(name=f"term {term_name}" if term_name else "",
                                             action=None, line=line_at(st, at))
        policy.terms.append(term)
    if len(rest) < 2:
        return
    if rest[0] == "from":
        _condition(b, st, term, rest[1:])
    elif rest[0] == "then":
        _action(term, rest[1:])
    elif rest[0] == "to":
        term.other.append("to " + rest[1])


def _condition(b: Any, st: Stmt, term: PolicyTerm, words: tuple[str, ...]) -> None:
    head = words[0]
    value = words[1] if len(words) > 1 else None
    if head == "protocol" and value:
        term.protocols.append(value)
    elif head == "neighbor" and value and address(value) is not None:
        term.neighbors.append(address(value))  # type: ignore[arg-type]
    elif head == "prefix-list" and value:
        term.prefix_lists.append(value)
    elif head == "route-filter" and value:
        net = network(value) if "/" in value else None
        found = _modifier(net, words[2:]) if net is not None else None
        if found is None:
            term.other.append("route-filter " + " ".join(words[2:3]))
        else:
            found[0].line = st[1]
            term.route_filters.append(found[0])
            if found[1]:
                term.other.append("route-filter action")
    elif head == "prefix-list-filter" and value:
        b.bgp_list_filters.append((term, value, words[2:]))
    elif head not in _MATCHES_ONLY:
        term.other.append(head)


def _modifier(net: IPv4Network, words: tuple[str, ...]) -> tuple[PrefixMatch, bool] | None:
    """A route-filter modifier -> (length range, an action follows the modifier)."""
    length = net.prefixlen
    kind = words[0] if words else "exact"
    extra = words[1:]
    if kind == "exact":
        low, high = length, length
    elif kind == "orlonger":
        low, high = length, 32
    elif kind == "longer":
        low, high = length + 1, 32
    elif kind == "upto" and extra:
        low, high, extra = length, int(extra[0].lstrip("/")), extra[1:]
    elif kind == "prefix-length-range" and extra:
        first, _, last = extra[0].partition("-")
        low, high, extra = int(first.lstrip("/")), int(last.lstrip("/")), extra[1:]
    else:
        return None
    return PrefixMatch(net, low, high, "permit"), bool(extra)


def _action(term: PolicyTerm, words: tuple[str, ...]) -> None:
    head = words[0]
    if head == "accept":
        term.action = "permit"
    elif head == "reject":
        term.action = "deny"
    elif head in _SETS_PREFERENCE:
        term.sets_preference = True


def aggregate(b: Any, st: Stmt, caps: tuple[str, ...], i: int) -> None:
    """`routing-options aggregate|generate route P`: a route export policies may pick."""
    if b.vrf is not None:
        return
    net = network(caps[0])
    if net is not None and net not in b.__dict__.setdefault("bgp_aggregates", {}):
        b.bgp_aggregates[net] = BgpNetwork(net, line_at(st, i - 1))


# ------------------------------------------------------------------ finish
def finish(b: Any) -> None:
    bgp: BgpCollector | None = getattr(b, "bgp_collector", None)
    if bgp is None:
        return
    lists = bgp.prefix_lists
    for name, nets in b.prefix_lists.items():
        lists[name] = PrefixList(name, [PrefixMatch(n, n.prefixlen, n.prefixlen, "permit")
                                        for n in nets])
    for term, name, words in b.bgp_list_filters:
        nets = b.prefix_lists.get(name)
        if nets is None:
            term.prefix_lists.append(name)  # undefined: "unknown"
            continue
        for net in nets:
            found = _modifier(net, words)
            if found is None:
                term.other.append("prefix-list-filter")
                break
            term.route_filters.append(found[0])
    for policy in bgp.policies.values():  # a policy-level from / then is the final term
        final = [t for t in policy.terms if not t.name]
        if final and policy.terms[-1] is not final[0]:
            policy.terms.remove(final[0])
            policy.terms.append(final[0])
    bgp.local_as = b.device.local_as
    bgp.local_as_line = getattr(b, "as_line", 0)
    aggregates = getattr(b, "bgp_aggregates", {})
    bgp.finish(b.device)
    if b.device.bgp is not None:
        b.device.bgp.aggregates = list(aggregates.values())


__all__ = ["aggregate", "collector", "finish", "policy_statement", "protocols_bgp"]
