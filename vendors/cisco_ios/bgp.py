"""Cisco IOS / IOS-XE BGP: `router bgp`, `ip prefix-list`, `route-map` -> Device.bgp.

Meaning resolved here (docs/vendors.md#bgp): a route-map denies a route no
entry matches (implicit deny), an entry without `match` matches every route, a prefix-list
denies what no entry matches, `ge`/`le` bound the length (no ge/le: exact). A neighbor
without import filter accepts everything; without export filter it advertises networks,
redistributed and best BGP routes. The eBGP distance is 20 unless `distance bgp` says
otherwise; `maximum-paths N` installs up to N equal eBGP paths (default 1). With
`no bgp default ipv4-unicast` a neighbor carries IPv4 routes only once `activate`d.

Passwords are only noted as present (`neighbor X password ...`); nothing of the line is
kept. Statements not modelled but harmless are skipped; a neighbor keyword idcgen does
not know, or a peer template it cannot resolve, is an UnparsedSection (IDC900).
"""

from __future__ import annotations

import re
from typing import Any

from idcgen.devicemodel import BgpNetwork, PolicyTerm, Redistribution
from idcgen.vendors.bgpparse import (
    ACTIONS,
    BgpCollector,
    Settings,
    add_to,
    asn,
    collector_of,
    finish_of,
    global_unicast,
    read_each,
)
from idcgen.vendors.bgpparse import target as settings_of
from idcgen.vendors.ipv4 import address, network, prefix_network

from ..lines import Block

EBGP_DISTANCE = 20
_PREFIX_LIST = re.compile(
    r"ip prefix-list (\S+)(?: seq (\d+))? (permit|deny) (\S+)(?: ge (\d+))?(?: le (\d+))?$")
# neighbor keywords that change nothing the rules read
_NEIGHBOR_IGNORED = frozenset({
    "update-source", "ebgp-multihop", "timers", "soft-reconfiguration", "send-community",
    "next-hop-self", "next-hop-unchanged", "remove-private-as", "allowas-in",
    "maximum-prefix", "version", "advertisement-interval", "log-neighbor-changes",
    "ttl-security", "disable-connected-check", "capability", "dont-capability-negotiate",
    "transport", "route-reflector-client", "send-label", "ha-mode", "as-override",
    "slow-peer", "cluster-id", "translate-update", "aigp", "additional-paths",
    "path-attribute", "soo", "weight", "unsuppress-map", "advertise-map", "fall-over",
    "bfd-enable", "dmzlink-bw", "accept-route-legacy-rt", "graceful-restart", "advertise",
    "graceful-shutdown", "enforce-first-as", "inherit"})
_PROCESS_IGNORED = frozenset({
    "bgp", "timers", "synchronization", "no", "auto-summary", "default-information",
    "default-metric", "table-map", "exit-address-family", "template", "address-family",
    "bmp", "scope", "distribute-list", "default", "ip", "description", "exit",
    "router-id", "import", "export", "rd", "route-target"})
_SETS_PREFERENCE = ("local-preference", "weight", "as-path")


def collector(p: Any) -> BgpCollector:
    """The parser's BGP collector, made on first use."""
    return collector_of(p, preference=EBGP_DISTANCE, export_default="all", policy_default="deny")


# ------------------------------------------------------------------ prefix-lists
def prefix_list(p: Any, b: Block, m: re.Match[str]) -> None:
    """`ip prefix-list NAME [seq N] permit|deny P/L [ge X] [le Y]`; description skipped."""
    found = _PREFIX_LIST.match(b.text)
    if found is None:
        words = b.text.split()
        if words[2:3] != ["sequence-number"] and words[3:4] != ["description"]:
            p.unparsed("bgp", b.line, b.text, "prefix-list entry not understood")
        return
    name, seq, action, text, ge, le = found.groups()
    prefix = prefix_network(text) if "/" in text else None
    if prefix is None:
        p.unparsed("bgp", b.line, b.text, "prefix-list entry not understood")
        return
    collector(p).add_entry(name, b.line, ACTIONS[action], prefix,
                           int(ge) if ge else None, int(le) if le else None,
                           int(seq) if seq else None)


# ------------------------------------------------------------------ route-maps
def route_map(p: Any, b: Block, m: re.Match[str]) -> None:
    """`route-map NAME [permit|deny] [SEQ]` and its match / set clauses."""
    words = b.text.split()
    name = words[1]
    action = ACTIONS.get(words[2], "permit") if len(words) > 2 else "permit"
    seq = next((w for w in words[2:] if w.isdigit()), "10")
    term = PolicyTerm(name=seq, action=action, line=b.line)
    for child in b.children:
        w = child.text.split()
        if not w:
            continue
        if w[0] == "match":
            if w[1:4] == ["ip", "address", "prefix-list"]:
                term.prefix_lists.extend(w[4:])
            else:
                term.other.append(" ".join(w[1:3]))
        elif w[0] == "set" and len(w) > 1 and w[1] in _SETS_PREFERENCE:
            term.sets_preference = term.sets_preference or w[1] != "as-path" or \
                "prepend" in w
    collector(p).add_term(name, b.line, term, int(seq))


# ------------------------------------------------------------------ router bgp
def router_bgp(p: Any, b: Block, m: re.Match[str]) -> None:
    """`router bgp ASN`: its global IPv4 statements and `address-family ipv4 [unicast]`
    (VRF and other families are not the global table: skipped)."""
    bgp = collector(p)
    if not bgp.process_line:
        bgp.process_line = b.line
        bgp.local_as = asn(m.group(1))
    read_each(p, bgp, global_unicast(b.children, "address-family", (["ipv4"], ["ipv4", "unicast"])),
              _statement)


def _statement(p: Any, bgp: BgpCollector, b: Block) -> None:
    w = b.text.split()
    head = w[0]
    if head == "neighbor" and len(w) >= 3:
        _neighbor(p, bgp, b, w)
    elif head == "network" and len(w) >= 2:
        prefix = _network(w)
        if prefix is None:
            p.unparsed("bgp", b.line, b.text, "network statement not understood")
        else:
            bgp.networks.append(BgpNetwork(prefix, b.line))
    elif head == "aggregate-address" and len(w) >= 3:
        prefix = network(w[1], w[2])
        if prefix is not None:
            bgp.networks.append(BgpNetwork(prefix, b.line))
    elif head == "redistribute" and len(w) >= 2:
        policy = w[w.index("route-map") + 1] if "route-map" in w[:-1] else None
        protocol = "direct" if w[1] == "connected" else w[1]
        bgp.redistribute.append(Redistribution(protocol, policy, b.line))
    elif head == "maximum-paths" and len(w) >= 2:
        if w[1].isdigit():
            bgp.multipath, bgp.multipath_line = int(w[1]), b.line
        elif w[1] == "eibgp" and len(w) > 2:
            bgp.multipath, bgp.multipath_line = int(w[2]), b.line
    elif head == "distance" and len(w) >= 3:
        if w[1] == "bgp":
            bgp.preference = int(w[2])
    elif w[:3] == ["no", "bgp", "default"] and w[3:4] == ["ipv4-unicast"]:
        bgp.needs_activation = True
    elif w[:2] == ["no", "neighbor"] and w[3:4] == ["shutdown"] and (
            held := address(w[2])) is not None:
        # pasted text (idcgen's render holds a new neighbor down until its route-maps are
        # attached): the later `no neighbor X shutdown` starts it
        bgp.neighbor(held, b.line).shutdown = False
    elif head not in _PROCESS_IGNORED:
        p.unparsed("bgp", b.line, b.text, "BGP statement not understood")


def _network(w: list[str]) -> Any:
    """`network A mask M`, `network A/L` or classful `network A`."""
    if len(w) >= 4 and w[2] == "mask":
        return network(w[1], w[3])
    if "/" in w[1]:
        return prefix_network(w[1]) if w[1][:1].isdigit() else None
    first = address(w[1])
    if first is None:
        return None
    top = int(first) >> 24
    length = 8 if top < 128 else 16 if top < 192 else 24
    return prefix_network(f"{w[1]}/{length}")


def _neighbor(p: Any, bgp: BgpCollector, b: Block, w: list[str]) -> None:
    who, what, rest = w[1], w[2], w[3:]
    peer = address(who)
    found = settings_of(bgp, who, b.line)
    if found is None:
        return  # IPv6
    target: Settings = found
    if what == "remote-as" and rest:
        target.remote_as = asn(rest[0])
    elif what == "peer-group":
        if rest and peer is not None:
            target.group = rest[0]
    elif what == "description":
        target.description = " ".join(rest)
    elif what == "password":
        target.password = True
    elif what == "fall-over" and rest[:1] == ["bfd"]:
        target.bfd = True
    elif what == "shutdown":
        target.shutdown = True
    elif what == "activate":
        target.activated = True
    elif what == "local-as" and rest:
        target.local_as = asn(rest[0])
    elif what == "route-map" and len(rest) >= 2:
        add_to(target, "import_policies" if rest[1] == "in" else "export_policies", rest[0])
    elif what == "prefix-list" and len(rest) >= 2:
        add_to(target, "import_lists" if rest[1] == "in" else "export_lists", rest[0])
    elif what in ("filter-list", "distribute-list") and len(rest) >= 2:
        add_to(target, "import_lists" if rest[1] == "in" else "export_lists",
               f"{what} {rest[0]}")
    elif what == "default-originate":
        target.advertise_default = True
    elif what == "inherit":
        p.unparsed("bgp", b.line, b.text, "peer templates are not modelled")
    elif what not in _NEIGHBOR_IGNORED:
        p.unparsed("bgp", b.line, b.text, f"neighbor option {what!r} not understood")


def finish(p: Any) -> None:
    finish_of(p)


__all__ = ["collector", "finish", "prefix_list", "route_map", "router_bgp"]
