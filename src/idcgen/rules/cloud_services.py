"""IDC101-IDC104: the 100.64.0.0/10 route to Alibaba's in-VPC services.

These rules apply when the device has at least one leased line (Express Connect): the
cloud-service range is reached through the VBR. An IPsec-only office may use
100.64.0.0/10 for something else (carrier-grade NAT), so it is not judged here. With a
site model whose `cloud_services` is disabled they do not run either. Routes toward any
cloud-facing link (leased line or tunnel) count as "toward the cloud".

A default route neither satisfies nor violates these rules. Host routes (/32) toward a
link that return health-check probes are ignored when judging coverage.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from ipaddress import IPv4Network, collapse_addresses

from idcgen.devicemodel import StaticRoute
from idcgen.findings import CloudLink
from idcgen.indexes import net_interval
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import (
    CLOUD_SERVICES,
    Block,
    Context,
    collapse,
    fmt_nets,
    fmt_route,
    link_label,
    link_list,
)

_EXAMPLES = """
    Example, for a line whose VBR address is 10.10.10.1:
        Cisco IOS-XE:   ip route 100.64.0.0 255.192.0.0 10.10.10.1 name ALIYUN-SVC-LINE-A
        Huawei VRP:     ip route-static 100.64.0.0 10 10.10.10.1 description ALIYUN-SVC-LINE-A
        Juniper Junos:  set routing-options static route 100.64.0.0/10 next-hop 10.10.10.1
    """


def _applies(ctx: Context) -> bool:
    if not ctx.leased:
        return False
    return ctx.site is None or ctx.site.cloud_services.enabled


def _blocks(ctx: Context) -> list[Block]:
    """100.64.0.0/10 by deciding prefix; computed once for the four rules (do not modify)."""
    blocks: list[Block] | None = ctx.memo.get("cloud_services.blocks")
    if blocks is None:
        blocks = ctx.memo["cloud_services.blocks"] = ctx.partition(
            CLOUD_SERVICES, include_default=False, skip=ctx.hc_route)
    return blocks


def _by_decision(ctx: Context, blocks: list[Block]) -> dict[str, list[IPv4Network]]:
    out: dict[str, list[IPv4Network]] = {"link": [], "elsewhere": [], "discard": [], "none": []}
    for block in blocks:
        out[ctx.decision(block.prefix)].append(block.net)
    return {k: collapse(v) for k, v in out.items()}


def _link_routes_overlapping(ctx: Context) -> list[StaticRoute]:
    """Routes toward a link (not health-check /32s, not the default route) for a part of
    100.64.0.0/10 or a summary holding it, in route order."""
    return [r for r in ctx.routes_overlapping(CLOUD_SERVICES)
            if ctx.link_of(r) and not ctx.hc_route(r) and r.prefix.prefixlen > 0]


def _service_prefixes(ctx: Context) -> tuple[IPv4Network, ...]:
    if ctx.site is not None:
        return ctx.site.cloud_services.prefixes or (CLOUD_SERVICES,)
    return (CLOUD_SERVICES,)


@rule("IDC101", "cloud-services-route-missing", "error",
      "nothing in 100.64.0.0/10 is routed toward a cloud-facing link",
      topics=("routes", "interfaces"), examples=_EXAMPLES)
def cloud_services_route_missing(ctx: Context) -> Iterator[Hit]:
    """Nothing in 100.64.0.0/10 is routed toward a cloud-facing link.

    What: with a leased line (Express Connect), the device must route 100.64.0.0/10
    (or its two halves 100.64.0.0/11 and 100.96.0.0/11) to the VBR address of the line.
    The rule fires when no part of the range follows a route toward a cloud-facing link;
    a default route does not count (it usually leads to the Internet, and even toward the
    VBR it hides the intent).

    Why: Alibaba's in-VPC services (DNS 100.100.2.136/138, NTP, YUM mirrors, OSS and SLS
    endpoints, the AnyTunnel VIPs) live in 100.64.0.0/10. The VBR carries 100.64.0.0/11
    and 100.96.0.0/11 toward the VPC; without the customer-side route the data center
    cannot reach them (Express Connect guide, section 1).

    Fix: one route per line, next hop = the line's VBR address (same preference for ECMP,
    a higher one on standby lines).
    """
    if not _applies(ctx):
        return
    decided = _by_decision(ctx, _blocks(ctx))
    if decided["link"]:
        return
    elsewhere = [fmt_route(r) for r in ctx.routes_inside(CLOUD_SERVICES) if ctx.is_active(r)]
    where = f" (its routes lead elsewhere: {'; '.join(elsewhere)})" if elsewhere else ""
    links = ctx.leased
    yield Hit(0, f"no route sends 100.64.0.0/10 (Alibaba cloud services) toward "
                 f"{_names(links)}{where}",
              ctx.route_fix(_service_prefixes(ctx), links, purpose="cloud-services"))


@rule("IDC102", "cloud-services-route-partial", "error",
      "part of 100.64.0.0/10 is routed to the cloud and part is not (e.g. only "
      "100.64.0.0/11); the message lists the uncovered blocks",
      topics=("routes", "interfaces"), examples=_EXAMPLES)
def cloud_services_route_partial(ctx: Context) -> Iterator[Hit]:
    """Part of 100.64.0.0/10 is routed toward the cloud and part is not.

    What: the longest-prefix-match result over 100.64.0.0/10 is computed block by block;
    the rule fires when some blocks follow a route toward a cloud-facing link and others
    follow no route (or the default route), a discard route, or a route elsewhere. The
    message lists the uncovered blocks. A typical cause is a route for 100.64.0.0/11 only:
    the VBR carries both 100.64.0.0/11 and 100.96.0.0/11.

    Why: services are spread over the whole range; an uncovered half breaks some of them
    (for example OSS or SLS endpoints) while others work, which is hard to diagnose.

    Fix: route the whole 100.64.0.0/10 (or both /11 halves) toward every line.
    """
    if not _applies(ctx):
        return
    blocks = _blocks(ctx)
    decided = _by_decision(ctx, blocks)
    if not decided["link"]:
        return
    uncovered = list(collapse_addresses(decided["elsewhere"] + decided["discard"]
                                        + decided["none"]))
    if not uncovered:
        return
    covering = [r for r in ctx.routes_inside(CLOUD_SERVICES)
                if ctx.is_active(r) and ctx.link_of(r) and not ctx.hc_route(r)]
    line = min((r.line for r in covering), default=0)
    links = _links_in_use(ctx, covering) or ctx.leased
    unrouted = decided["none"]
    starts = [int(n.network_address) for n in unrouted]
    fix_prefixes = [p for p in uncovered if _inside_any(p, unrouted, starts)]
    yield Hit(line, f"only {fmt_nets(decided['link'])} of 100.64.0.0/10 is routed toward the "
                    f"cloud; {fmt_nets(uncovered)} is not",
              ctx.route_fix(fix_prefixes, links, purpose="cloud-services"))


@rule("IDC103", "cloud-services-route-not-via-cloud", "error",
      "a route for 100.64.0.0/10 or a part of it points somewhere other than a "
      "cloud-facing link (a default route does not count either way)",
      topics=("routes", "interfaces"), examples=_EXAMPLES)
def cloud_services_route_not_via_cloud(ctx: Context) -> Iterator[Hit]:
    """A route for 100.64.0.0/10, or part of it, points somewhere other than a link.

    What: an active static route (lowest preference for its prefix) whose prefix lies in
    100.64.0.0/10 and that decides where some of that traffic goes, but whose next hop is
    neither a line's VBR address nor a cloud-facing interface / tunnel. A discard (Null0)
    route counts as "elsewhere" when it actually decides traffic; one that is completely
    shadowed by more specific routes toward the links (a summary discard) is fine, and so
    are floating standby routes (they are used only when the link routes are gone).

    Why: Alibaba's cloud services are reachable only through the VBR; a route to an
    Internet or LAN next hop (often left from carrier-grade NAT use of 100.64.0.0/10)
    silently sends DNS/NTP/OSS traffic to the wrong place.

    Fix: remove the route (or move it to a VRF) and route the range toward the lines.
    Removal: Cisco `no ip route 100.64.0.0 255.192.0.0 192.0.2.1`, Huawei
    `undo ip route-static 100.64.0.0 10 192.0.2.1`, Junos
    `delete routing-options static route 100.64.0.0/10 next-hop 192.0.2.1`.
    """
    if not _applies(ctx):
        return
    deciding = ctx.deciding_prefixes(_blocks(ctx))
    link_ids = {id(r) for r in _link_routes_overlapping(ctx)}
    for route in ctx.routes_inside(CLOUD_SERVICES):
        if route.prefix not in deciding:
            continue
        if not ctx.is_active(route) or ctx.link_of(route) is not None:
            continue
        what = "discards" if route.discard else "sends"
        target = "" if route.discard else \
            f" to {route.next_hop or route.interface}, which is not a cloud-facing link"
        fix = ctx.removal_fix(route)
        if not any(id(r) in link_ids for r in ctx.routes_covering(route.prefix)):
            fix += ctx.route_fix([route.prefix], ctx.leased, purpose="cloud-services")
        yield Hit(route.line, f"{fmt_route(route)} {what} Alibaba cloud-service traffic "
                              f"({route.prefix}){target}", fix)


@rule("IDC104", "cloud-services-route-single-link", "warning",
      "with two or more cloud-facing links, 100.64.0.0/10 is reachable over only one "
      "and has no backup", topics=("routes", "interfaces"))
def cloud_services_route_single_link(ctx: Context) -> Iterator[Hit]:
    """With two or more leased lines, 100.64.0.0/10 is reachable over only one.

    What: for every block of 100.64.0.0/10 that is routed toward the cloud, the rule
    collects the links of every route covering it, active or floating (a standby route
    with a higher preference is a backup). It fires when some covered block can leave by
    one link only while the device has two or more leased lines.

    Why: when that line fails (the VBR health check takes it out of service) the cloud
    services become unreachable although another line is up.

    Fix: add the same route over the other line(s): with the same preference for ECMP, or
    a higher one for a standby line, e.g.
        Cisco IOS-XE:   ip route 100.64.0.0 255.192.0.0 10.10.11.1 [11]
        Huawei VRP:     ip route-static 100.64.0.0 10 10.10.11.1 [preference 70]
        Juniper Junos:  set routing-options static route 100.64.0.0/10
                        qualified-next-hop 10.10.11.1 [preference 15]
    """
    if not _applies(ctx) or len(ctx.leased) < 2:
        return
    link_ids = {id(r) for r in _link_routes_overlapping(ctx)}
    single: list[IPv4Network] = []
    only: dict[str, CloudLink] = {}
    lines: list[int] = []
    for block in _blocks(ctx):
        if ctx.decision(block.prefix) != "link":
            continue
        # the link routes whose prefix holds the block, in route order (LPM index)
        covering = [r for r in ctx.routes_covering(block.net) if id(r) in link_ids]
        links = {id(ctx.link_of(r)): ctx.link_of(r) for r in covering}
        if len(links) == 1:
            link = next(iter(links.values()))
            assert link is not None
            single.append(block.net)
            only[link_label(link)] = link
            lines += [r.line for r in covering]
    if not single:
        return
    blocks = list(collapse_addresses(single))
    others = [link for link in ctx.leased if link_label(link) not in only]
    fix = []
    for index, link in enumerate(others, start=1):
        pref = ctx.preference_for(index)
        for prefix in blocks:
            intent = ctx.route_intent(prefix, link, purpose="cloud-services", preference=pref)
            if intent is not None:
                fix += ctx.snippet("route_lines", intent)
    yield Hit(min(lines, default=0),
              f"{fmt_nets(blocks)} is routed only over {', '.join(only)}; "
              f"{_names(others)} carry no route for it, not even a standby one", fix)


def _inside_any(prefix: IPv4Network, nets: list[IPv4Network], starts: list[int]) -> bool:
    """`any(prefix.subnet_of(n) for n in nets)` for sorted, disjoint `nets` (the output
    of collapse_addresses) whose first addresses are `starts`: one bisect."""
    lo, hi = net_interval(prefix)
    at = bisect_right(starts, lo) - 1
    return at >= 0 and net_interval(nets[at])[1] >= hi


def _names(links: list[CloudLink]) -> str:
    return link_list(links) if links else "any cloud-facing link"


def _links_in_use(ctx: Context, routes: list) -> list[CloudLink]:
    seen: dict[int, CloudLink] = {}
    for route in routes:
        link = ctx.link_of(route)
        if link is not None:
            seen.setdefault(id(link), link)
    return list(seen.values())
