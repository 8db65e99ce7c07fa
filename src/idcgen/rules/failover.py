"""IDC504: cloud routes over several leased lines that nothing withdraws on a dead line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from idcgen.devicemodel import LearnedRoute, StaticRoute
from idcgen.findings import CloudLink
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import MAX_PREFIXLEN, Context, link_list, routes_per_line

if TYPE_CHECKING:
    from idcgen.generator.intent import DetectionIntent

FIRST_OBJECT = 101  # the render's default probe / track / discriminator numbers


@rule("IDC504", "cloud-route-untracked", "warning",
      "with two or more leased lines, an active route toward one of them (ECMP or the "
      "active route of a floating pair) follows no liveness check: a carrier fault that "
      "leaves the port up blackholes its traffic", topics=("routes",))
def cloud_route_untracked(ctx: Context) -> Iterator[Hit]:
    """An active cloud route over one of several leased lines follows no liveness check.

    What: for every prefix (host routes left out: a health-check return route belongs to
    its line) whose static routes lead out of two or more leased lines, ECMP or floating,
    each active route (lowest preference) over a leased line must follow a liveness
    check: Cisco `track N` (IP SLA), or `ip route static bfd IF NH` when the route names
    that interface and next hop (the session serves only those), Huawei
    `track nqa` / `track bfd-session` / `bfd enable`, Junos `bfd-liveness-detection` or
    SRX ip-monitoring that replaces the route. A route learned by BGP from a VBR follows
    its session and is not judged here. The finding names the lines whose active
    routes have none, at the first such route.

    Why: a static route fails over only when its interface goes down. Carrier faults on a
    leased line often leave the port up (a dead path behind a provider's switch or
    transponder); the route stays, and the customer side keeps sending into the dead
    line. Alibaba's health check notices after 8 lost probes 2 s apart (16 s) and moves
    the cloud side to the other line, but this side never does: traffic toward the cloud
    is blackholed although the other line works (docs/cloud.md#failure-detection).

    Fix: probe the VBR address and let the routes follow it (`failure_detection: track`
    or `bfd` in the site model renders it), e.g. for line A:
        Cisco IOS-XE:  ip sla 101 / icmp-echo 10.10.10.1 source-ip 10.10.10.2 / frequency 1
                       ip sla schedule 101 life forever start-time now
                       track 101 ip sla 101 reachability / delay down 2
                       ip route 192.168.0.0 255.255.0.0 10.10.10.1 track 101
        Huawei VRP:    nqa test-instance admin ALIYUN-LINE-A (test-type icmp,
                       destination-address ipv4 10.10.10.1, start now)
                       ip route-static 192.168.0.0 16 10.10.10.1 track nqa admin ALIYUN-LINE-A
        Juniper Junos: set routing-options static route 192.168.0.0/16 qualified-next-hop
                        10.10.10.1 bfd-liveness-detection minimum-interval 300
                       (BFD needs BFD on the VBR too)
    """
    leased = ctx.leased
    if len(leased) < 2:
        return
    rank = ctx.leased_rank
    for routes in ctx.table.by_key.values(at_least=2):
        if routes[0].prefix.prefixlen == MAX_PREFIXLEN:
            continue
        lines = routes_per_line(ctx, routes, rank)
        if len(lines) < 2:
            continue
        best = min(r.preference for r in routes)
        # a route learned by BGP follows its session (hold timer, BFD when configured:
        # IDC6xx judge the session); only static routes need a liveness check of their own
        bare = [r for rs in lines.values() for r in rs
                if r.preference == best and not r.detected and not isinstance(r, LearnedRoute)]
        if not bare:
            continue
        yield _hit(ctx, routes[0].prefix, bare, lines, len(lines) > len(
            {id(ctx.link_of(r)) for rs in lines.values() for r in rs if r.preference == best}))


def _hit(ctx: Context, prefix: object, bare: list[StaticRoute],
         lines: dict[int, list[StaticRoute]], floating: bool) -> Hit:
    by_id = ctx.leased_by_id
    untracked: dict[int, CloudLink] = {}
    for route in bare:
        link = ctx.link_of(route)
        assert link is not None
        untracked.setdefault(id(link), link)
    how = "floating: active/standby" if floating else "ECMP"
    others = [by_id[key] for key in lines if key not in untracked]
    fallback = (f"; {link_list(others)} could take over" if others else "")
    fix: list[str] = []
    for route in bare:
        fix += _tracked_route_fix(ctx, route)
    return Hit(min(r.line for r in bare),
               f"{prefix} is routed over {len(lines)} leased lines ({how}), but the active "
               f"{'route' if len(untracked) == 1 else 'routes'} via "
               f"{link_list(untracked.values())} "
               f"{'follows' if len(untracked) == 1 else 'follow'} no liveness check "
               f"(track/NQA/BFD): a carrier fault that leaves the port up keeps it in the "
               f"table and blackholes the traffic until the port goes down{fallback}",
               fix)


def _tracked_route_fix(ctx: Context, route: StaticRoute) -> list[str]:
    """The line's detection objects, then the route replaced by one that follows them."""
    link = ctx.link_of(route)
    detection = _detection_of_link(ctx, link) if link is not None else None
    if link is None or detection is None:
        return []
    from idcgen.generator import snippets

    default = ctx.default_static_preference
    intent = ctx.route_intent(route.prefix, link, purpose="vpc",
                              preference=None if route.preference == default
                              else route.preference, replacing=route, detection=detection)
    if intent is None:
        return []
    objects = (snippets.detection_lines(ctx.vendor, detection)
               if _first_fix_of(ctx, detection) else [])
    return objects + ctx.removal_fix(route) + snippets.route_lines(ctx.vendor, intent)


def _first_fix_of(ctx: Context, detection: DetectionIntent) -> bool:
    """True the first time a line's detection objects are asked for: they go in its first
    fix only (each finding repeats the routes, not the probe), and are rendered only then."""
    shown: set[str] = ctx.memo.setdefault("idc504-objects", set())
    if detection.name in shown:
        return False
    shown.add(detection.name)
    return True


def _detection_of_link(ctx: Context, link: CloudLink) -> DetectionIntent | None:
    """`_detection_for`, once per link (every route over the line shares it)."""
    known: dict[int, DetectionIntent | None] = ctx.memo.setdefault("idc504-detection", {})
    if id(link) not in known:
        known[id(link)] = _detection_for(ctx, link)
    return known[id(link)]


def _detection_for(ctx: Context, link: CloudLink) -> DetectionIntent | None:
    """The failure detection a fix renders for `link`: the site model's for its line,
    else the first mode the vendor renders with the default settings, numbered from 101
    past every number the device already uses."""
    from idcgen.generator.intent import DetectionIntent, InterfaceIntent
    from idcgen.generator.names import detection_name

    if link.peer_ip is None or link.local_ip is None or not link.interface:
        return None
    syntax = ctx._syntax()
    mode, settings, number = None, None, None
    if ctx.site is not None:
        for index, line in enumerate(ctx.site.lines):
            if line.name == link.name:
                settings = ctx.site.detection_of(index)
                number = ctx.site.detection_id(index)
                mode = settings.mode if settings.mode != "none" else None
    if mode is None:
        mode = next((m for m in ("track", "bfd") if m in syntax.detection_modes), None)
        if mode is None:
            return None
    if number is None or settings is None or settings.mode == "none":
        number = _free_number(ctx, link)
    platform = syntax.platform_of(ctx.site) if ctx.site is not None else None
    # the site's own settings for the line, else DetectionIntent's defaults (the site
    # model's defaults too; no pydantic on the lint path)
    values = {} if settings is None or settings.mode == "none" else {
        "interval_seconds": settings.interval_seconds, "timeout_ms": settings.timeout_ms,
        "failures": settings.failures, "bfd_interval_ms": settings.bfd_interval_ms,
        "bfd_multiplier": settings.bfd_multiplier}
    return DetectionIntent(
        mode=mode, number=number, name=detection_name(link.name or link.interface, number),
        peer=link.peer_ip, source=link.local_ip.ip,
        interface=InterfaceIntent(name=link.interface, address=link.local_ip,
                                  platform=platform),
        platform=platform, **values)


def _free_number(ctx: Context, link: CloudLink) -> int:
    """101 + the link's rank, moved past numbers the device's trackers already use."""
    numbers: dict[int, int] = ctx.memo.get("idc504-numbers") or {}
    if not numbers:
        used = {int(word) for key in ctx.device.trackers for word in key.split()
                if word.isdigit()}
        candidate = FIRST_OBJECT
        for each in ctx.leased:
            while candidate in used:
                candidate += 1
            numbers[id(each)] = candidate
            candidate += 1
        ctx.memo["idc504-numbers"] = numbers
    return numbers.get(id(link), FIRST_OBJECT)
