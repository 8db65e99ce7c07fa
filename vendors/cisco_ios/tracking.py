"""Cisco IOS / IOS-XE failure detection into the device model (issue #11).

`ip sla N` (icmp-echo target, source, threshold/timeout/frequency), `ip sla schedule N`,
`track N ip sla M reachability|state` (or the older `track N rtr M`), `ip route static
bfd IF NH` and the interface `bfd interval` become `Tracker`s; a static route's `track N`
names its tracker in the route statement; `ip route static bfd IF NH` watches, from
outside (StaticRoute.watched_by), the routes that name the same interface and next hop.
Sources: docs/vendor-commands.md#failure-detection.
"""

from __future__ import annotations

from ipaddress import IPv4Address, ip_address

from idcgen.devicemodel import Device, Tracker
from idcgen.vendors.lines import Block


def _ip(text: str) -> IPv4Address | None:
    try:
        value = ip_address(text)
    except ValueError:
        return None
    return value if isinstance(value, IPv4Address) else None


def sla(device: Device, block: Block, number: str) -> None:
    """`ip sla N` and its operation: icmp-echo X [source-ip Y | source-interface IF]."""
    tracker = Tracker(key=f"sla {number}", kind="probe", line=block.line)
    settings: dict[str, str] = {}
    for child in block.walk():
        words = child.text.split()
        if words[0] == "icmp-echo" and len(words) > 1:
            tracker.target = _ip(words[1])
            settings["type"] = "icmp-echo"
            for i, word in enumerate(words[2:-1], 2):
                if word == "source-ip":
                    tracker.source = _ip(words[i + 1])
                elif word == "source-interface":
                    tracker.interface = words[i + 1]
        elif words[0] in ("frequency", "timeout", "threshold") and len(words) > 1:
            settings[words[0]] = words[1]
        elif words[0] in ("udp-echo", "udp-jitter", "tcp-connect", "http", "dns",
                          "path-echo", "path-jitter"):
            settings["type"] = words[0]
    tracker.settings = tuple(sorted(settings.items()))
    device.trackers[tracker.key] = tracker


def sla_schedule(device: Device, block: Block, number: str, rest: str) -> None:
    """`ip sla schedule N life forever start-time now`: the probe runs."""
    device.trackers[f"sla {number} schedule"] = Tracker(
        key=f"sla {number} schedule", kind="probe", follows=f"sla {number}",
        settings=(rest.strip(),), line=block.line)


def track(device: Device, block: Block, number: str, rest: str) -> None:
    """`track N ip sla M reachability|state` / `track N rtr M ...`, with `delay`."""
    words = rest.split()
    follows = None
    if len(words) >= 2 and (words[:2] == ["ip", "sla"] or words[0] == "rtr"):
        probe = words[2] if words[0] == "ip" else words[1]
        follows = f"sla {probe}"
        mode = words[-1] if words[-1] in ("reachability", "state") else "state"
    else:
        mode = rest.strip()  # interface line-protocol, ip route, list ...: not a probe
    delay = [child.text for child in block.walk() if child.text.startswith("delay ")]
    device.trackers[f"track {number}"] = Tracker(
        key=f"track {number}", kind="track", follows=follows,
        settings=(mode, *delay), line=block.line)


def static_bfd(device: Device, block: Block, words: list[str]) -> None:
    """`ip route static bfd IF NH [group G] [passive] [unassociate]` (words after `bfd`)."""
    if len(words) < 2:
        return
    interface, next_hop = (words[0], _ip(words[1])) if _ip(words[0]) is None else (
        None, _ip(words[0]))
    if next_hop is None:
        return
    key = f"bfd {next_hop}"
    device.trackers[key] = Tracker(key=key, kind="bfd", target=next_hop, interface=interface,
                                   settings=tuple(words[2:]), line=block.line)


def bfd_timers(device: Device, interface: str, block: Block) -> None:
    """`bfd interval X min_rx Y multiplier Z` on an interface."""
    key = f"bfd-timers {interface}"
    device.trackers[key] = Tracker(key=key, kind="bfd", interface=interface,
                                   settings=tuple(block.text.split()[1:]), line=block.line)


def finish(device: Device) -> None:
    """A static BFD session serves the static routes with the same interface and gateway
    (Cisco `ip route static bfd` usage guidelines): those are watched by it; a route via
    the same next hop without that interface is not."""
    if not any(key.startswith("bfd ") for key in device.trackers):
        return
    for route in device.static_routes:
        if route.next_hop is None or route.interface is None:
            continue
        tracker = device.trackers.get(f"bfd {route.next_hop}")
        if tracker is not None and (tracker.interface or "").lower() == route.interface.lower():
            route.watched_by = tracker.key
