"""IDC501-IDC503: ECMP width, failover paths toward the cloud, and redundancy as the site
model intends it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from ipaddress import IPv4Network

from idcgen.devicemodel import LearnedRoute, StaticRoute
from idcgen.findings import CloudLink
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import (
    CLOUD_SERVICES,
    CLOUD_SERVICES_KEY,
    MAX_PREFIXLEN,
    Context,
    active_among,
    link_label,
    link_list,
    routes_per_line,
)
from idcgen.rules.routetable import keys_overlap, prefix_key

MAX_ECMP_LINKS = 4  # Alibaba: up to four physical connections form ECMP


@rule("IDC501", "too-many-ecmp-links", "warning",
      "more than four cloud-facing links share one prefix in ECMP", topics=("routes",))
def too_many_ecmp_links(ctx: Context) -> Iterator[Hit]:
    """More than four cloud-facing links share one prefix in ECMP.

    What: the active routes of one prefix (all at the lowest preference) lead out of more
    than four distinct cloud-facing links.

    Why: Alibaba forms ECMP over at most four physical connections; on the cloud side the
    extra lines carry nothing (or the VBR rejects the route), so the customer side sends
    traffic that returns asymmetrically, and the health check of the extra lines can fail.

    Fix: keep four lines in ECMP and make the others standby (higher preference), e.g.
        Cisco IOS-XE:  ip route 192.168.0.0 255.255.0.0 10.10.14.1 11
        Huawei VRP:    ip route-static 192.168.0.0 16 10.10.14.1 preference 70
        Juniper Junos: set routing-options static route 192.168.0.0/16 qualified-next-hop
                        10.10.14.1 preference 15
    """
    # fewer routes cannot reach more links than allowed
    for routes in ctx.table.by_key.values(at_least=MAX_ECMP_LINKS + 1):
        prefix = routes[0].prefix
        active = active_among(routes)
        links: dict[int, CloudLink] = {}
        for route in active:
            link = ctx.link_of(route)
            if link is not None:
                links.setdefault(id(link), link)
        if len(links) > MAX_ECMP_LINKS:
            line = sorted(r.line for r in active if ctx.link_of(r))[MAX_ECMP_LINKS]
            yield Hit(line, f"{prefix} is load-shared over {len(links)} cloud-facing links "
                            f"({link_list(links.values())}); Alibaba "
                            f"forms ECMP over at most {MAX_ECMP_LINKS}")


@rule("IDC502", "no-failover-path", "warning",
      "with two or more links, a cloud (VPC) network is routed over one link only, with no "
      "backup (100.64.0.0/10 is IDC104's)", topics=("routes", "interfaces"))
def no_failover_path(ctx: Context) -> Iterator[Hit]:
    """With two or more links, a cloud (VPC) network is routed over one link only.

    What: for each cloud network (the site model's VPC CIDRs; without a site model, the
    prefixes of /8 or longer routed toward a link, leaving out 100.64.0.0/10 and host
    routes) the rule collects the links of every route that
    covers it — active or floating, the default route included — and fires when only one
    link appears although the device has two or more.

    Why: when that link fails, the VPC is unreachable although another line or tunnel is
    up: the redundancy that the second link was bought for does not exist for this network.

    Fix: add the route over the other link: same preference for ECMP, higher for standby:
        Cisco IOS-XE:  ip route 192.168.0.0 255.255.0.0 10.10.11.1 11
        Huawei VRP:    ip route-static 192.168.0.0 16 10.10.11.1 preference 70
        Juniper Junos: set routing-options static route 192.168.0.0/16 qualified-next-hop
                        10.10.11.1 preference 15
    """
    if len(ctx.links) < 2:
        return
    by_kind: dict[str, list[CloudLink]] = {}
    copies: Counter[CloudLink] = Counter()  # links equal to one another count as one
    for link in ctx.links:
        by_kind.setdefault(link.kind, []).append(link)
        copies[link] += 1
    for net, label in ctx.cloud_networks:
        if keys_overlap(prefix_key(net), CLOUD_SERVICES_KEY):  # net.overlaps(100.64/10)
            continue
        covering = [r for r in ctx.routes_covering(net) if ctx.link_of(r)]
        links: dict[int, CloudLink] = {}
        for route in covering:
            route_link = ctx.link_of(route)
            assert route_link is not None
            links.setdefault(id(route_link), route_link)
        if len(links) != 1:
            continue
        only = next(iter(links.values()))
        # Only the first few other links are named and offered as backups: more would
        # exceed what Alibaba puts in ECMP (IDC501), and on a hub with thousands of
        # tunnels a fix (and message) naming every other link made the report
        # O(links^2). So neither list is built in full for each network.
        others = _first_others(ctx.links, only, MAX_ECMP_LINKS)
        kind_peers = _first_others(by_kind.get(only.kind, []), only,
                                   MAX_ECMP_LINKS - 1) or others[:MAX_ECMP_LINKS - 1]
        fix: list[str] = []
        for index, link in enumerate(kind_peers, start=1):
            intent = ctx.route_intent(net, link, purpose="vpc",
                                      preference=ctx.preference_for(index))
            if intent is not None:
                fix += ctx.snippet("route_lines", intent)
        yield Hit(min(r.line for r in covering),
                  f"{label} is routed only over {link_label(only)}; no route, not even a "
                  f"standby one, uses {_named(others, len(ctx.links) - copies[only])}", fix)


def _first_others(links: list[CloudLink], only: CloudLink, count: int) -> list[CloudLink]:
    """The first `count` links (in order) that are not `only`."""
    out: list[CloudLink] = []
    for link in links:
        if link != only:
            out.append(link)
            if len(out) == count:
                break
    return out


def _named(first: list[CloudLink], total: int) -> str:
    """`link_list` of the other links when there are at most MAX_ECMP_LINKS of them
    (`first` holds them all), else the first MAX_ECMP_LINKS and how many more."""
    if total <= MAX_ECMP_LINKS:
        return link_list(first)
    named = ", ".join(link_label(link) for link in first[:MAX_ECMP_LINKS])
    return f"{named} or any of the {total - MAX_ECMP_LINKS} other cloud-facing links"


@rule("IDC503", "redundancy-differs-from-site", "warning",
      "(site) the leased lines share a cloud prefix differently from the site model's "
      "`redundancy`: ECMP where active/standby is intended, or a floating (standby) route "
      "where ECMP is intended", needs_site=True, topics=("routes", "interfaces"))
def redundancy_differs_from_site(ctx: Context) -> Iterator[Hit]:
    """The leased lines share a cloud prefix differently from the site model's redundancy.

    What: for every prefix (host routes left out: a health-check return route belongs to
    one line, IDC30x) whose static routes lead out of two or more of the site's leased
    lines, the rule compares how the device uses them with the site's `redundancy`:
    - `active-standby`: two or more lines are active (same, lowest preference): ECMP;
    - `ecmp`: a line reached only by a floating route (higher preference) although the
      active routes use fewer than four lines (Alibaba's ECMP width, IDC501).
    The finding points at the first route that carries the difference. IPsec tunnels are
    not judged (tunnel 2 of an Alibaba connection is standby by design).

    Why: with active/standby the cloud side (the VBR and its routes toward the data
    center) prefers the active line, so ECMP on the customer side sends part of the
    traffic up the standby line and its replies come back over the active one: asymmetric
    paths, which stateful firewalls and per-line bandwidth planning do not expect. With
    ECMP intended, the cloud side load-shares over every line; a floating route here
    leaves a line idle in the upstream direction (and the return traffic the cloud sends
    over it flows asymmetrically), and the line's capacity is not there when it is
    needed.

    Fix: give the standby line the standby preference (active/standby), or the same
    preference as the active line (ECMP), e.g. for the second line:
        Cisco IOS-XE:  no ip route 192.168.0.0 255.255.0.0 10.10.11.1
                       ip route 192.168.0.0 255.255.0.0 10.10.11.1 11
        Huawei VRP:    undo ip route-static 192.168.0.0 16 10.10.11.1
                       ip route-static 192.168.0.0 16 10.10.11.1 preference 70
        Juniper Junos: delete routing-options static route 192.168.0.0/16 next-hop 10.10.11.1
                       set routing-options static route 192.168.0.0/16 qualified-next-hop
                        10.10.11.1 preference 15
    (ECMP: remove the preference instead.)
    """
    if ctx.site is None:
        return
    rank = ctx.leased_rank
    if len(rank) < 2:
        return
    standby_intended = ctx.site.redundancy == "active-standby"
    for routes in ctx.table.by_key.values(at_least=2):
        if routes[0].prefix.prefixlen == MAX_PREFIXLEN:
            continue
        if any(isinstance(r, LearnedRoute) for r in routes):
            continue  # BGP-learned: the preference ranks are not configured (IDC602)
        lines = routes_per_line(ctx, routes, rank)  # link id -> its routes of this prefix
        if len(lines) < 2:
            continue
        best = min(r.preference for r in routes)
        active = sorted((key for key, rs in lines.items()
                         if any(r.preference == best for r in rs)), key=rank.__getitem__)
        if not active:
            continue  # the prefix is decided elsewhere (IDC203/IDC204)
        if standby_intended and len(active) >= 2:
            yield _ecmp_not_intended(ctx, routes[0].prefix, active, lines, best)
        elif not standby_intended and len(active) < min(len(lines), MAX_ECMP_LINKS):
            idle = sorted((key for key in lines if key not in active), key=rank.__getitem__)
            yield _standby_not_intended(ctx, routes[0].prefix, active, idle, lines, best)


def _ecmp_not_intended(ctx: Context, prefix: IPv4Network, active: list[int],
                       lines: dict[int, list[StaticRoute]], best: int) -> Hit:
    by_id = ctx.leased_by_id
    rank = ctx.leased_rank
    shared = [r for key in active[1:] for r in lines[key] if r.preference == best]
    fix: list[str] = []
    for key in active[1:]:
        for route in lines[key]:
            if route.preference == best:
                fix += ctx.removal_fix(route)
        intent = ctx.route_intent(prefix, by_id[key], purpose=_purpose(prefix),
                                  preference=ctx.preference_for(rank[key]))
        if intent is not None:
            fix += ctx.snippet("route_lines", intent)
    return Hit(min(r.line for r in shared),
               f"{prefix} is load-shared (ECMP, preference {best}) over "
               f"{link_list(by_id[key] for key in active)}; the site model says "
               f"active-standby: {link_label(by_id[active[0]])} active, the others standby "
               f"at a higher preference", fix)


def _standby_not_intended(ctx: Context, prefix: IPv4Network, active: list[int],
                          idle: list[int], lines: dict[int, list[StaticRoute]],
                          best: int) -> Hit:
    by_id = ctx.leased_by_id
    floating = [r for key in idle for r in lines[key]]
    fix: list[str] = []
    for key in idle:
        for route in lines[key]:
            fix += ctx.removal_fix(route)
        same = None if best == ctx.preference_for(0, default=True) else best
        intent = ctx.route_intent(prefix, by_id[key], purpose=_purpose(prefix),
                                  preference=same)
        if intent is not None:
            fix += ctx.snippet("route_lines", intent)
    prefs = sorted({r.preference for r in floating})
    return Hit(min(r.line for r in floating),
               f"{prefix} uses {link_list(by_id[key] for key in idle)} only as standby "
               f"(preference {', '.join(map(str, prefs))}; active: "
               f"{link_list(by_id[key] for key in active)} at {best}); the site model says "
               f"ecmp: every line at the same preference", fix)


def _purpose(prefix: IPv4Network) -> str:
    """The route's role, for the name a fix gives it."""
    return "cloud-services" if prefix.subnet_of(CLOUD_SERVICES) else "vpc"
