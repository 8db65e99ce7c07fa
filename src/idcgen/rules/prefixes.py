"""IDC201-IDC205: networks and static routes — overlaps, duplicates, conflicts, diverted
and unrouted cloud networks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from ipaddress import IPv4Network

from idcgen.devicemodel import LearnedRoute, StaticRoute
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import CLOUD_SERVICES, Context, fmt_route, link_list
from idcgen.rules.routetable import prefix_key


@rule("IDC201", "overlapping-networks", "error",
      "networks that must be disjoint overlap: on-premises vs cloud (VPC) networks, IPsec "
      "local vs remote selectors, one office vs another", topics=("ipsec", "interfaces"))
def overlapping_networks(ctx: Context) -> Iterator[Hit]:
    """Networks that must be disjoint overlap.

    What:
    - IPsec selectors: within one tunnel (crypto map entry, IPsec policy, proxy
      identity), a local (data-center) network overlaps a remote (cloud) network
      (0.0.0.0/0, "any", is a wildcard and never counts);
    - with a site model: a device interface subnet (other than the cloud-facing links)
      overlaps a cloud network of the site or 100.64.0.0/10, or the site's on-premises
      networks overlap its cloud networks (the site loader normally rejects that first).

    Why: Alibaba routes by destination; an address that exists on both sides is reachable
    on one side only, and an IPsec selector whose local and remote ranges overlap makes
    phase 2 fail or encrypt the wrong traffic. Alibaba's VPN + CEN guide requires that no
    CIDR block overlaps another.

    Fix: renumber one side, or narrow the selector to the real data-center network, e.g.
        Cisco IOS-XE:  ip access-list extended ACL-ALIYUN
                        permit ip 10.10.10.0 0.0.0.255 192.168.0.0 0.0.255.255
        Huawei VRP:    acl number 3101
                        rule 5 permit ip source 10.10.10.0 0.0.0.255 destination
                        192.168.0.0 0.0.255.255
        Juniper Junos: set security ipsec vpn VPN-ALIYUN ike proxy-identity local
                        10.10.10.0/24 remote 192.168.0.0/16
    """
    for tunnel in ctx.device.ipsec.tunnels:
        reported: set[tuple[IPv4Network, IPv4Network]] = set()
        # 0.0.0.0/0 is "any" (route-based tunnels, a proxy identity left at its default):
        # a wildcard, not a network that could collide with the other side
        locals_ = [loc for loc, _ in tunnel.selectors if loc.prefixlen]
        remotes = [rem for _, rem in tunnel.selectors if rem.prefixlen]
        for local in locals_:
            for remote in remotes:
                if local.overlaps(remote) and (local, remote) not in reported:
                    reported.add((local, remote))
                    yield Hit(tunnel.selector_line or tunnel.line,
                              f"IPsec {tunnel.name}: local selector {local} "
                              f"overlaps remote selector {remote}")
    if ctx.site is None:
        return
    cloud = [(net, label) for net, label in ctx.cloud_networks]
    if ctx.site.cloud_services.enabled:
        cloud.append((CLOUD_SERVICES, "the cloud-services range 100.64.0.0/10"))
    for net in ctx.site.onprem_networks:
        for other, label in cloud:
            if net.overlaps(other):
                yield Hit(0, f"on-premises network {net} overlaps {label}")
    link_ifaces = {link.interface for link in ctx.links}
    for iface in ctx.device.interfaces.values():
        if iface.name in link_ifaces or iface.shutdown:
            continue
        for addr in iface.addresses:
            for other, label in cloud:
                if addr.network.overlaps(other):
                    yield Hit(iface.line, f"{iface.name} ({addr}) overlaps {label}")


@rule("IDC202", "duplicate-route", "warning",
      "the same static route is configured twice", needs_links=False, topics=("routes",))
def duplicate_route(ctx: Context) -> Iterator[Hit]:
    """The same static route is configured twice.

    What: two static routes with the same VRF, prefix, target and preference. The
    target is the next-hop address when there is one, else the outgoing interface:
    `ip route P M 10.0.0.1` and `ip route P M Gi0/0/1 10.0.0.1` (Huawei `ip route-static
    P L 10.0.0.1` and `... GigabitEthernet0/0/1 10.0.0.1`) are one route written in two
    forms. The finding points at the second one.

    Why: harmless to forwarding, but a sign of copy-paste: a later edit changes one copy
    and the other keeps the old behaviour (removing "the" route leaves its twin).

    Fix: delete the second copy, e.g.
        Cisco IOS-XE:  no ip route 192.168.0.0 255.255.0.0 10.10.10.1
        Huawei VRP:    undo ip route-static 192.168.0.0 16 10.10.10.1
        Juniper Junos: delete routing-options static route 192.168.0.0/16 next-hop 10.10.10.1
    """
    seen: dict[tuple, StaticRoute] = {}
    for route in sorted(_sharing_a_prefix(ctx), key=lambda r: r.line):
        key = (*route.key, route.preference)
        if key in seen:
            first = seen[key]
            yield Hit(route.line, f"{fmt_route(route)} is configured twice (first at line "
                                  f"{first.line})")
        else:
            seen[key] = route


def _sharing_a_prefix(ctx: Context) -> list[StaticRoute]:
    """The static routes (in device order) whose VRF and prefix another route has too:
    only those can be duplicates, and they are few, so the full keys are built for them
    alone."""
    shared = {id(r) for group in ctx.table.by_key.values(at_least=2) for r in group}
    in_vrfs: dict[tuple, list[StaticRoute]] = defaultdict(list)
    for route in ctx.device.static_routes:
        if route.vrf is not None:
            in_vrfs[(route.vrf, route.prefix)].append(route)
    shared.update(id(r) for group in in_vrfs.values() if len(group) > 1 for r in group)
    return [route for route in ctx.device.static_routes if id(route) in shared]


@rule("IDC203", "conflicting-routes", "warning",
      "one prefix has different next hops at the same preference where they are not all "
      "cloud-facing links, or the same next hop at different preferences",
      topics=("routes", "interfaces"))
def conflicting_routes(ctx: Context) -> Iterator[Hit]:
    """One prefix has conflicting static routes.

    What:
    - at one preference, next hops that mix cloud-facing links with something else: the
      device load-shares the prefix between the cloud and a non-cloud path (ECMP among
      cloud-facing links is the intended design and ECMP among non-cloud next hops, such
      as a dual-ISP default route, is not this rule's business);
    - the same next hop at two different preferences: only the lower one can ever be
      used, and the higher one is usually a failed attempt at a standby route over the
      *other* line.

    Why: a cloud prefix hashed onto a non-cloud path breaks every other flow; a standby
    route that names the active next hop gives no backup at all.

    Fix: remove the stray next hop, or give the standby route the other line's VBR address,
    e.g. Cisco `ip route 192.168.0.0 255.255.0.0 10.10.11.1 11`, Huawei
    `ip route-static 192.168.0.0 16 10.10.11.1 preference 70`, Junos
    `set routing-options static route 192.168.0.0/16 qualified-next-hop 10.10.11.1
    preference 15`.
    """
    for routes in ctx.table.by_key.values(at_least=2):  # one route cannot conflict
        if any(isinstance(r, LearnedRoute) for r in routes):
            routes = [r for r in routes if not isinstance(r, LearnedRoute)]  # statics only
            if len(routes) < 2:
                continue
        prefix = routes[0].prefix
        by_pref: dict[int, list[StaticRoute]] = defaultdict(list)
        for route in routes:
            by_pref[route.preference].append(route)
        for pref, group in sorted(by_pref.items()):
            targets = {_target(r) for r in group}
            cloud = [r for r in group if ctx.link_of(r)]
            other = [r for r in group if not ctx.link_of(r)]
            if len(targets) > 1 and cloud and other:
                bad = max(other, key=lambda r: r.line)
                yield Hit(bad.line, f"{prefix} at preference {pref} is shared between "
                                    f"cloud-facing {_hops(cloud)} and {_hops(other)}",
                          ctx.removal_fix(bad))
        by_target: dict[tuple, list[StaticRoute]] = defaultdict(list)
        for route in routes:
            by_target[_target(route)].append(route)
        for group in by_target.values():
            prefs = sorted({r.preference for r in group})
            if len(prefs) > 1:
                later = max((r for r in group if r.preference != prefs[0]),
                            key=lambda r: r.line)
                yield Hit(later.line, f"{fmt_route(later)} is configured at preferences "
                                      f"{', '.join(map(str, prefs))}; only {prefs[0]} is ever "
                                      f"used, so the other gives no backup",
                          ctx.removal_fix(later))


def _target(route: StaticRoute) -> tuple:
    return route.target


def _hops(routes: list[StaticRoute]) -> str:
    return ", ".join(sorted({str(r.next_hop or r.interface or "discard") for r in routes}))


@rule("IDC204", "cloud-prefix-diverted", "error",
      "a more specific route sends part of a cloud network (VPC CIDR, 100.64.0.0/10) "
      "somewhere other than a cloud-facing link", topics=("routes", "interfaces"))
def cloud_prefix_diverted(ctx: Context) -> Iterator[Hit]:
    """A more specific route sends part of a cloud network somewhere else.

    What: a cloud network (a VPC CIDR of the site model; without one, a prefix of /8 or
    longer routed toward a cloud-facing link; or a part of 100.64.0.0/10 routed toward a
    link) has a strictly more specific, active route that decides some of its traffic and
    whose next hop is not a cloud-facing link (a LAN router, the Internet, or a discard
    route). Without a site model, a summary routed to the cloud (say 10.0.0.0/8) with an
    on-premises part carved out is reported too: route the VPC CIDRs themselves, or lint
    with `--site` so the real VPC CIDRs are known.

    Why: longest prefix match wins: the more specific route silently takes that part of
    the VPC away from the leased line or tunnel, typically a forgotten test route or an
    overlapping on-premises route.

    Fix: delete the more specific route, or point it at the line, e.g.
        Cisco IOS-XE:  no ip route 192.168.10.0 255.255.255.0 172.16.0.1
        Huawei VRP:    undo ip route-static 192.168.10.0 24 172.16.0.1
        Juniper Junos: delete routing-options static route 192.168.10.0/24
    """
    networks = list(ctx.cloud_networks)
    if ctx.leased and (ctx.site is None or ctx.site.cloud_services.enabled):
        networks += [(r.prefix, f"the cloud-service block {r.prefix}")
                     for r in ctx.routes_inside(CLOUD_SERVICES) if ctx.link_of(r)
                     and ctx.is_active(r) and not ctx.hc_route(r)]
    reported: set[int] = set()
    # one pass per network: a block routed over several links (ECMP) is listed once per
    # route, and a second pass over the same network and label can report nothing new
    for net, label in dict.fromkeys(networks):
        deciding = {prefix_key(b.prefix) for b in ctx.partition(net, include_default=False)
                    if b.prefix is not None}  # keys: hashing networks costs more
        for route in ctx.routes_inside(net, strictly=True):
            if id(route) in reported:
                continue
            if prefix_key(route.prefix) not in deciding or not ctx.is_active(route) \
                    or ctx.link_of(route):
                continue
            if route.prefix.prefixlen == 32 and _is_hc_elsewhere(ctx, route):
                continue  # a health-check /32 on the wrong link is IDC302's
            reported.add(id(route))
            yield Hit(route.line, f"{fmt_route(route)} diverts part of {label} away from the "
                                  f"cloud-facing links", ctx.removal_fix(route))


def _is_hc_elsewhere(ctx: Context, route: StaticRoute) -> bool:
    return route.prefix.network_address in ctx.hc_sources


@rule("IDC205", "cloud-network-unrouted", "error",
      "(site) a cloud network of the site model has no route toward any cloud-facing link",
      needs_site=True, topics=("routes", "interfaces", "ipsec"))
def cloud_network_unrouted(ctx: Context) -> Iterator[Hit]:
    """A cloud network of the site model has no route toward any cloud-facing link.

    What: for each `cloud_networks` entry, no part of the CIDR follows (by longest prefix
    match, default route included) a route whose next hop is a line's VBR address or a
    tunnel toward the VPN gateway. A policy-based IPsec tunnel whose remote selectors
    cover the network also counts: the crypto map encrypts it whatever the next hop.
    Health-check /32s are ignored.

    Why: the VBR and the VPC route toward the data center, but without the customer-side
    route the replies (and all traffic initiated on-premises) go to the default gateway.

    Fix: route the network over every line (ECMP) or with standby preferences, e.g.
        Cisco IOS-XE:  ip route 192.168.0.0 255.255.0.0 10.10.10.1 name ALIYUN-VPC-PROD-LINE-A
        Huawei VRP:    ip route-static 192.168.0.0 16 10.10.10.1 description ALIYUN-VPC-PROD-LINE-A
        Juniper Junos: set routing-options static route 192.168.0.0/16 next-hop 10.10.10.1
    """
    for cidr, label in ctx.cloud_networks:
        blocks = ctx.partition(cidr, include_default=True, skip=ctx.hc_route)
        if any(ctx.decision(b.prefix) == "link" for b in blocks):
            continue
        if any(any(cidr.subnet_of(remote) for _, remote in t.selectors)
               for t in ctx.device.ipsec.tunnels):
            continue
        targets = _targets_for(ctx, cidr)
        yield Hit(0, f"{label} has no route toward "
                     f"{link_list(targets)}",
                  ctx.route_fix([cidr], targets, purpose="vpc"))


def _targets_for(ctx: Context, cidr: IPv4Network) -> list:
    """The links a cloud network should use: its IPsec connection's tunnels, else the
    leased lines (or every link)."""
    assert ctx.site is not None
    for conn in ctx.site.ipsec:
        if cidr in conn.cloud_networks:
            mine = [link for link in ctx.links if link.kind == "ipsec"
                    and link.peer_ip in conn.gateways]
            if mine:
                return mine
    return ctx.leased or ctx.links
