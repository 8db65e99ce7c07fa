"""Intents -> vendor lines, with the very macros `render` uses.

Lint rules build a `fix` and `review` builds remediation and rollback from these, so a
fix never disagrees with what `render` would have written. jinja2 is loaded (and the
macro files compiled) on the first call only, then cached.

Every function returns the lines without trailing newlines; blank lines and bare
section separators (`!`, `#`) are dropped, comment lines with text are kept because
they carry instructions (e.g. "move this class first"). A vendor whose macros.j2 lacks
a macro gets a CapabilityError naming it, never another vendor's lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from idcgen.generator.intent import (
    DetectionIntent,
    ExemptionIntent,
    InterfaceIntent,
    RouteIntent,
)
from idcgen.generator.templating import macros
from idcgen.vendors import get_driver

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.vendors.base import VendorDriver

_SEPARATORS = frozenset({"!", "#"})


def call_macro(driver: VendorDriver, macro: str, *args: object) -> list[str]:
    """The lines of macro `macro` of templates/<vendor>/macros.j2."""
    function: Callable[..., Any] | None = getattr(macros(driver.id), macro, None)
    if function is None:
        driver.unsupported(f"the {macro} macro (templates/{driver.id}/macros.j2)")
    text = str(function(*args))
    return [line for line in text.splitlines()
            if (bare := line.strip()) and bare not in _SEPARATORS]


def has_macro(vendor: str, macro: str) -> bool:
    """Does templates/<vendor>/macros.j2 define `macro`?"""
    return getattr(macros(vendor), macro, None) is not None


def _call(vendor: str, macro: str, *args: object) -> list[str]:
    return call_macro(get_driver(vendor), macro, *args)


def route_lines(vendor: str, route: RouteIntent) -> list[str]:
    """The static route, e.g. `ip route 100.64.0.0 255.192.0.0 10.10.10.1 name X`."""
    return _call(vendor, "route", route)


def route_removal_lines(vendor: str, route: RouteIntent) -> list[str]:
    """Remove exactly this route (this next hop), leaving the prefix's other next hops."""
    return _call(vendor, "route_removal", route)


def exemption_lines(vendor: str, exemption: ExemptionIntent) -> list[str]:
    """ACL/class/policy (or prefix-list/filter term) that exempts the health-check probes."""
    return _call(vendor, "exemption", exemption)


def interface_lines(vendor: str, interface: InterfaceIntent) -> list[str]:
    """The leased-line interface (or VLAN sub-interface/unit) with its address."""
    return _call(vendor, "interface", interface)


def ecmp_policy_lines(vendor: str) -> list[str]:
    """The forwarding policy ECMP needs on vendors that need one; nothing elsewhere."""
    if not get_driver(vendor).ecmp_needs_policy:
        return []
    return _call(vendor, "ecmp_policy")


__all__ = [
    "call_macro", "detection_lines", "ecmp_policy_lines", "exemption_lines", "has_macro",
    "interface_lines", "route_lines", "route_removal_lines",
]


def detection_lines(vendor: str, detection: DetectionIntent) -> list[str]:
    """A line's failure-detection objects: Cisco IP SLA + track or BFD, Huawei NQA test
    or BFD session, nothing on Junos (its BFD is part of the route)."""
    return _call(vendor, "detection", detection)
