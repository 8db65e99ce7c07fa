"""Huawei VRP BGP: the `bgp` view, `ip ip-prefix`, `route-policy` -> Device.bgp.

Meaning resolved here (docs/vendors.md#bgp): a route-policy denies a route no
node matches, a node without `if-match` matches every route; an ip-prefix denies what no
index matches, `greater-equal` / `less-equal` bound the length (neither: exact). A peer
without import policy accepts everything and advertises networks, imported and best BGP
routes. The eBGP preference is 255 unless `preference` says otherwise (Huawei's BGP
default); `maximum load-balancing [ebgp] N` installs up to N equal paths (default 1). A
peer configured in the `bgp` view is enabled for IPv4 unicast unless `undo peer X
enable` says otherwise.

Passwords (`peer X password ...`, `keychain`, `tcp-ao`) are only noted as present.
"""

from __future__ import annotations

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
from idcgen.vendors.ipv4 import address, network

from ..lines import Block

EBGP_PREFERENCE = 255
_PEER_IGNORED = frozenset({
    "connect-interface", "ebgp-max-hop", "timer", "advertise-community",
    "advertise-ext-community", "next-hop-local", "public-as-only", "allow-as-loop",
    "route-limit", "valid-ttl-hops", "reflect-client", "keep-all-routes",
    "capability-advertise", "substitute-as", "route-update-interval", "log-change",
    "preferred-value", "label-route-capability", "tracking", "graceful-restart",
    "listen-only", "ignore-first-as", "path-mtu", "local-ifnet", "conventional",
    "advertise-best-external", "discard-ext-community", "origin-as-validation",
    "out-delay", "dscp", "check-tcp-ao-config", "fake-as"})
_PROCESS_IGNORED = frozenset({
    "router-id", "undo", "timer", "graceful-restart", "bestpath", "summary", "default",
    "quit",  # pasted text leaving a family view (idcgen's render)
    "compare-different-as-med", "deterministic-med", "check-first-as", "reflect",
    "reflector", "confederation", "dampening", "description", "nexthop", "load-balancing",
    "private-4-byte-as", "as-path-limit", "active-route-advertise", "supernet",
    "default-route", "routing-table", "route-select", "slow-peer", "bgp-rib-only",
    "bgp", "ipv4-family", "ipv6-family", "peer-group", "auto-frr"})
_SETS_PREFERENCE = ("local-preference", "preferred-value", "as-path")


def collector(p: Any) -> BgpCollector:
    """The parser's BGP collector, made on first use."""
    return collector_of(p, preference=EBGP_PREFERENCE, export_default="all", policy_default="deny")


def _unparsed(p: Any, b: Block, reason: str) -> None:
    p.unparsed("bgp", b.line, b.text, reason)


# ------------------------------------------------------------------ ip-prefix
def ip_prefix(p: Any, b: Block, w: list[str]) -> None:
    """`ip ip-prefix NAME [index N] permit|deny A LEN [greater-equal X] [less-equal Y]`."""
    name, rest = w[2], w[3:]
    if rest[:1] == ["description"]:
        return
    order = None
    if rest[:1] == ["index"] and len(rest) > 1:
        order, rest = int(rest[1]), rest[2:]
    if len(rest) < 3 or rest[0] not in ACTIONS:
        _unparsed(p, b, "ip-prefix entry not understood")
        return
    prefix = network(rest[1], rest[2])
    if prefix is None:
        _unparsed(p, b, "ip-prefix entry not understood")
        return
    options = dict(zip(rest[3::2], rest[4::2], strict=False))
    ge, le = options.get("greater-equal"), options.get("less-equal")
    collector(p).add_entry(name, b.line, ACTIONS[rest[0]], prefix,
                           int(ge) if ge else None, int(le) if le else None, order)


# ------------------------------------------------------------------ route-policy
def route_policy(p: Any, b: Block, w: list[str]) -> None:
    """`route-policy NAME permit|deny node N` and its if-match / apply clauses."""
    if len(w) < 3 or w[2] not in ACTIONS:
        _unparsed(p, b, "route-policy node not understood")
        return
    name = w[1]
    node = w[4] if len(w) > 4 and w[3] == "node" else "10"
    term = PolicyTerm(name=f"node {node}", action=ACTIONS[w[2]], line=b.line)
    for child in b.children:
        cw = child.text.split()
        if not cw:
            continue
        if cw[0] == "if-match" and len(cw) > 1:
            if cw[1] == "ip-prefix" and len(cw) > 2:
                term.prefix_lists.append(cw[2])
            else:
                term.other.append(" ".join(cw[1:2]))
        elif cw[0] == "apply" and len(cw) > 1 and cw[1] in _SETS_PREFERENCE:
            term.sets_preference = True
    collector(p).add_term(name, b.line, term, int(node) if node.isdigit() else None)


# ------------------------------------------------------------------ bgp view
def bgp_view(p: Any, block: Block, words: list[str]) -> None:
    """`bgp ASN`: peers and groups in the view and in `ipv4-family unicast`; VPN
    instances and other families are not the global table (skipped)."""
    bgp = collector(p)
    if not bgp.process_line and len(words) >= 2:
        bgp.process_line = block.line
        bgp.local_as = asn(words[1])
    read_each(p, bgp, global_unicast(block.children, "ipv4-family", ([], ["unicast"]),
                                     skip=("ipv6-family", "l2vpn-ad-family", "evpn", "vpnv4")),
              _statement)


def _statement(p: Any, bgp: BgpCollector, b: Block) -> None:
    w = b.text.split()
    head = w[0]
    if head == "peer" and len(w) >= 3:
        _peer(p, bgp, b, w)
    elif head == "group" and len(w) >= 2:
        bgp.group(w[1], b.line)
    elif head == "network" and len(w) >= 2:
        prefix = network(w[1], w[2]) if len(w) >= 3 and w[2] != "route-policy" else None
        if prefix is None:
            _unparsed(p, b, "network statement not understood")
        else:
            bgp.networks.append(BgpNetwork(prefix, b.line))
    elif head == "aggregate" and len(w) >= 3:
        prefix = network(w[1], w[2])
        if prefix is not None:
            bgp.networks.append(BgpNetwork(prefix, b.line))
    elif head == "import-route" and len(w) >= 2:
        policy = w[w.index("route-policy") + 1] if "route-policy" in w[:-1] else None
        bgp.redistribute.append(Redistribution(w[1], policy, b.line))
    elif w[:2] == ["maximum", "load-balancing"] and len(w) >= 3:
        count = w[3] if w[2] == "ebgp" and len(w) > 3 else w[2]
        if count.isdigit():
            bgp.multipath, bgp.multipath_line = int(count), b.line
    elif head == "preference" and len(w) >= 2 and w[1].isdigit():
        bgp.preference = int(w[1])
    elif w[:2] == ["undo", "peer"] and len(w) >= 4 and w[3] == "enable":
        peer = address(w[2])
        target = bgp.neighbor(peer, b.line) if peer else bgp.group(w[2], b.line)
        target.activated = False
    elif w[:2] == ["undo", "peer"] and len(w) >= 4 and w[3] == "ignore":
        # pasted text (idcgen's render creates a peer with `ignore` until its policies
        # are attached): the later `undo peer X ignore` lets the session come up
        peer = address(w[2])
        target = bgp.neighbor(peer, b.line) if peer else bgp.group(w[2], b.line)
        target.shutdown = False
    elif head not in _PROCESS_IGNORED and head != "maximum":
        _unparsed(p, b, "BGP statement not understood")


def _peer(p: Any, bgp: BgpCollector, b: Block, w: list[str]) -> None:
    who, what, rest = w[1], w[2], w[3:]
    peer = address(who)
    found = settings_of(bgp, who, b.line)
    if found is None:
        return  # IPv6
    target: Settings = found
    if what == "as-number" and rest:
        target.remote_as = asn(rest[0])
    elif what == "group" and rest and peer is not None:
        target.group = rest[0]
    elif what == "description":
        target.description = " ".join(rest)
    elif what in ("password", "keychain", "tcp-ao"):
        target.password = True
    elif what == "bfd" and rest[:1] == ["enable"]:
        target.bfd = True
    elif what == "bfd":
        pass  # bfd timers: the session is what counts
    elif what == "ignore":
        target.shutdown = True
    elif what == "enable":
        target.activated = True
    elif what == "route-policy" and len(rest) >= 2:
        add_to(target, "import_policies" if rest[1] == "import" else "export_policies",
               rest[0])
    elif what == "ip-prefix" and len(rest) >= 2:
        add_to(target, "import_lists" if rest[1] == "import" else "export_lists", rest[0])
    elif what in ("filter-policy", "as-path-filter") and len(rest) >= 2:
        add_to(target, "import_lists" if rest[1] == "import" else "export_lists",
               f"{what} {rest[0]}")
    elif what == "default-route-advertise":
        target.advertise_default = True
    elif what not in _PEER_IGNORED:
        _unparsed(p, b, f"peer option {what!r} not understood")


def finish(p: Any) -> None:
    finish_of(p)


__all__ = ["bgp_view", "collector", "finish", "ip_prefix", "route_policy"]
