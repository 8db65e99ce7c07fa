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
class InterfaceIntent:
    """A leased-line interface: physical name, optional VLAN sub-interface, address."""

    name: str  # physical interface as the vendor names it
    address: IPv4Interface
    vlan: int | None = None
    description: str | None = None
    platform: str | None = None  # the vendor's platform family (driver.platforms)


@dataclass(frozen=True)
class DetectionIntent:
    """A line's failure detection (issue #11): what watches the VBR address, and how.

    mode "track": an ICMP probe (Cisco IP SLA `number` + track `number`, Huawei NQA test
    `admin name`); "bfd": a BFD session to `peer` (Cisco per interface and next hop,
    Huawei session `name` with local discriminator `number`, Junos on the route).
    `interface` is the line's interface intent (the templates name its L3 interface).
    """

    mode: str
    number: int
    name: str
    peer: IPv4Address
    source: IPv4Address
    interface: InterfaceIntent
    interval_seconds: int = 2
    timeout_ms: int = 1000
    failures: int = 3
    bfd_interval_ms: int = 300
    bfd_multiplier: int = 3
    platform: str | None = None

    @property
    def delay_down_seconds(self) -> int:
        """Seconds a lost probe must persist before the track goes down: the probes
        after the first lost one (`failures` in a row in all)."""
        return (self.failures - 1) * self.interval_seconds

    @property
    def timeout_seconds(self) -> int:
        """The probe timeout in whole seconds, rounded up (Huawei NQA `timeout`)."""
        return max(1, -(-self.timeout_ms // 1000))

    @property
    def test_seconds(self) -> int:
        """Huawei NQA: seconds between tests of `failures` probes; the test frequency must
        be longer than interval x probe count (docs/vendor-commands.md#failure-detection)."""
        return self.failures * self.interval_seconds + 1


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
    detection: DetectionIntent | None = None  # the route follows this line's detection


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
