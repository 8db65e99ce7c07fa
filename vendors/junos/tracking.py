"""Junos failure detection into the device model (issue #11), braces and `display set`.

`bfd-liveness-detection` under a static route (every next hop of the route) or under
one `qualified-next-hop` becomes that next hop's `StaticRoute.tracker` ("bfd
minimum-interval 300 multiplier 3"); `services rpm probe OWNER test TEST target address
X` is a probe `Tracker`; SRX `services ip-monitoring policy P match rpm-probe OWNER`
with `then preferred-route route PREFIX next-hop NH` replaces the routes to PREFIX when
the probe fails, so those routes are watched (`StaticRoute.watched_by`). Sources:
docs/vendor-commands.md#failure-detection.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network

from idcgen.devicemodel import Device, StaticRoute, Tracker
from idcgen.vendors.ipv4 import address
from idcgen.vendors.ipv4 import prefix_network as network

_BFD_SETTINGS = frozenset({"minimum-interval", "multiplier", "minimum-receive-interval",
                           "holddown-interval", "no-adaptation"})


class Tracking:
    """What one config says about failure detection, until `finish`."""

    def __init__(self) -> None:
        self.bfd: dict[int, dict[str, str]] = {}  # id(route or hop) -> settings
        self.owners: dict[int, object] = {}  # keeps the keyed objects alive
        self.monitored: dict[str, str] = {}  # prefix text -> ip-monitoring policy
        self.probes: dict[str, Tracker] = {}
        self.qualified: set[int] = set()  # id() of qualified-next-hop StaticRoutes

    def bfd_setting(self, owner: object, words: Sequence[str], i: int) -> None:
        """words[i] is `bfd-liveness-detection`; record what follows it for `owner` (a
        route collector: all its hops, or one hop's StaticRoute)."""
        settings = self.bfd.setdefault(id(owner), {})
        self.owners[id(owner)] = owner
        rest = words[i + 1:]
        if rest and rest[0] in _BFD_SETTINGS:
            settings[rest[0]] = rest[1] if len(rest) > 1 else ""
        elif rest and rest[0] == "transmit-interval" and len(rest) > 2:
            settings[f"transmit-interval {rest[1]}"] = rest[2]

    def hop_tracker(self, route_owner: object, hop: StaticRoute) -> None:
        """Set the hop's tracker from its own BFD settings, else (a plain `next-hop`) its
        route's: a qualified next hop has BFD only under its own statement."""
        settings = self.bfd.get(id(hop))
        if settings is None and id(hop) not in self.qualified:
            settings = self.bfd.get(id(route_owner))
        if settings is not None:
            hop.tracker = "bfd " + " ".join(f"{k} {v}".strip()
                                            for k, v in sorted(settings.items()))

    def rpm(self, words: Sequence[str], i: int, line: int) -> None:
        """`services rpm probe OWNER test TEST ...` (i = index after TEST)."""
        key = f"rpm {words[3]} {words[5]}"
        tracker = self.probes.get(key)
        if tracker is None:
            tracker = self.probes[key] = Tracker(key=key, kind="probe", line=line)
        rest = words[i:]
        if len(rest) >= 3 and rest[:2] == ("target", "address"):
            tracker.target = address(rest[2])
        elif len(rest) >= 2 and rest[0] == "source-address":
            tracker.source = address(rest[1])
        elif rest:
            tracker.settings = (*tracker.settings, " ".join(rest))

    def ip_monitoring(self, words: Sequence[str], i: int) -> None:
        """`services ip-monitoring policy P then preferred-route route PREFIX ...`."""
        rest = words[i:]
        if len(rest) >= 4 and rest[:3] == ("then", "preferred-route", "route"):
            self.monitored.setdefault(rest[3], words[3])

    def finish(self, device: Device) -> None:
        device.trackers.update(self.probes)
        if not self.monitored:
            return
        prefixes: dict[IPv4Network, str] = {}
        for text, policy in self.monitored.items():
            prefix = network(text)
            if prefix is not None:
                prefixes[prefix] = f"ip-monitoring {policy}"
                device.trackers.setdefault(prefixes[prefix], Tracker(
                    key=prefixes[prefix], kind="monitor"))
        for route in device.static_routes:
            if route.vrf is None and route.prefix in prefixes:
                route.watched_by = prefixes[route.prefix]
