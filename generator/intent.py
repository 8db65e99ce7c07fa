"""Vendor-neutral render intents: one object per thing to configure.

The renderer turns a site model into these; lint rules build them for a `fix`; review
builds them for remediation and rollback. `idcgen.generator.snippets` turns any of them
into vendor lines with the same templates `render` uses, so fix, review and render never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network


@dataclass(frozen=True)
class RouteIntent:
    """A static route. `preference` None = the vendor's default (Cisco 1, Huawei 60, Junos 5).

    `purpose` says what the route is for, for names/descriptions: "cloud-services",
    "vpc", "health-check", "ipsec"...; `name` is the rendered route name/description.
    """

    prefix: IPv4Network
    next_hop: IPv4Address | None = None
    interface: str | None = None
    preference: int | None = None
    name: str | None = None
    purpose: str = ""


@dataclass(frozen=True)
class InterfaceIntent:
    """A leased-line interface: physical name, optional VLAN sub-interface, address."""

    name: str  # physical interface as the vendor names it
    address: IPv4Interface
    vlan: int | None = None
    description: str | None = None
    platform: str | None = None  # the vendor's platform family (driver.platforms)


@dataclass(frozen=True)
class ExemptionIntent:
    """Exempt the health-check probes (ICMP echo from `sources`) from control-plane
    protection. mode "create": a new policy named `policy`; "insert": add to the existing
    `policy`, before class/term `before` (None = at the top)."""

    sources: tuple[IPv4Address, ...]
    mode: str = "create"
    policy: str | None = None
    before: str | None = None
    huawei_family: str = "ar"  # legacy name of `platform` on that vendor
    site: str = ""
    destinations: tuple[IPv4Address, ...] = field(default_factory=tuple)
    platform: str | None = None  # the driver's platform family (driver.platforms)
