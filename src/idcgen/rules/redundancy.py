"""IDC501-IDC502: ECMP width and failover paths toward the cloud."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from idcgen.findings import CloudLink
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import (
    CLOUD_SERVICES,
    Context,
    active_among,
    link_label,
    link_list,
)

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
    for routes in ctx.table.by_key.values():
        if len(routes) <= MAX_ECMP_LINKS:
            continue  # too few routes to reach more links than allowed
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
        if net.overlaps(CLOUD_SERVICES):
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
