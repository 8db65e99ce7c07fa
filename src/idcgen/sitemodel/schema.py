"""The site model: how one data center connects to Alibaba Cloud.

Pydantic checks shapes and types (unknown keys are errors); `cross_checks` adds the
rules that span fields (addresses in one subnet, distinct health-check sources...).
Every error is a (path, message) pair that the loader turns into FILE:LINE:COL.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from idcgen.cloud import CLOUD_SERVICES, CLOUD_SERVICES_HALVES, VBR_VLAN_MAX
from idcgen.sitemodel.bgp import BgpSettings, LineBgp, Routing, validate_bgp
from idcgen.sitemodel.fields import (
    VENDORS,
    Description,
    DeviceObjectName,
    Hostname,
    InterfaceName,
    Name,
    Vendor,
)
from idcgen.sitemodel.ipsec import IpsecConnection, validate_ipsec
from idcgen.sitemodel.migration import CenMigration, validate_migration
from idcgen.sitemodel.overlaps import earlier_overlapping, lowest_overlapping

MAX_LINES = 4  # Alibaba: up to four physical connections form ECMP

ErrorList = list[tuple[tuple, str]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class CloudNetwork(_Model):
    """A VPC (or other cloud-side) CIDR reached over the lines."""

    name: Name
    cidr: IPv4Network
    description: Description | None = None


class CloudServices(_Model):
    """The 100.64.0.0/10 route to Alibaba's in-VPC services (DNS, NTP, YUM, OSS...)."""

    enabled: bool = True
    split: bool = Field(
        default=False, description="render 100.64.0.0/11 + 100.96.0.0/11 instead of the /10")

    @property
    def prefixes(self) -> tuple[IPv4Network, ...]:
        if not self.enabled:
            return ()
        return CLOUD_SERVICES_HALVES if self.split else (CLOUD_SERVICES,)


# Alibaba's health check: a probe every 2 s, the line faulty after 8 misses (16 s); the
# customer side must notice a dead line faster (docs/cloud.md#failure-detection).
ALIBABA_DETECTION_SECONDS = 16
# the VBR's BFD limits (ModifyVirtualBorderRouterAttribute MinTxInterval / MinRxInterval,
# DetectMultiplier; docs/cloud.md#failure-detection)
VBR_BFD_INTERVAL_MS = (200, 1000)
VBR_BFD_MULTIPLIER = (3, 10)
_TRACK_FIELDS = ("interval_seconds", "timeout_ms", "failures")
_BFD_FIELDS = ("bfd_interval_ms", "bfd_multiplier")


class FailureDetection(_Model):
    """How the customer side notices a dead line whose port stays up (issue #11).

    none:  static routes fail over only when the port goes down (idcgen's output before)
    track: an ICMP probe of the VBR address from the line's address (Cisco IP SLA +
           track, Huawei NQA + track nqa); the line's cloud routes follow it
    bfd:   BFD to the VBR (Cisco/Junos need BFD on the VBR too; Huawei one-arm echo)
    """

    mode: Literal["none", "track", "bfd"] = "none"
    interval_seconds: int = Field(default=2, ge=1, le=60)
    timeout_ms: int = Field(default=1000, ge=100, le=60000)
    failures: int = Field(default=3, ge=1, le=10)
    bfd_interval_ms: int = Field(default=300, ge=1)
    bfd_multiplier: int = Field(default=3, ge=1)
    # the number of the line's probe / track object / BFD discriminator (site level: the
    # first line's, the next lines count up); None = 101, 102, ...
    object_id: int | None = Field(default=None, ge=1, le=1000)

    @property
    def track_seconds(self) -> float:
        """Worst-case time for `track` to declare the line dead: `failures` probes lost,
        the last one after its timeout."""
        return (self.failures - 1) * self.interval_seconds + self.timeout_ms / 1000

    @property
    def bfd_seconds(self) -> float:
        return self.bfd_interval_ms * self.bfd_multiplier / 1000


def _detection_shorthand(value: object) -> object:
    return {"mode": value} if isinstance(value, str) else value


class Line(_Model):
    """One Express Connect leased line: the customer end of a VBR interconnect."""

    name: Name
    interface: InterfaceName | dict[Vendor, InterfaceName]
    vlan: int | None = Field(default=None, ge=1)  # 1-2999: cross_checks
    description: Description | None = None
    local_ip: IPv4Interface
    vbr_ip: IPv4Address
    health_check_source: IPv4Address
    # firewalls with security zones (Junos SRX): the zone the line's interface joins; an
    # existing zone of the device, or a new one (default)
    security_zone: DeviceObjectName = "ALIYUN-EC"
    # routing with the VBR: unset = the site's `routing`; `bgp` overrides the site's block
    routing: Routing | None = None
    bgp: LineBgp | None = None
    # None = the site's `failure_detection`
    failure_detection: FailureDetection | None = None

    @field_validator("failure_detection", mode="before")
    @classmethod
    def _detection_str(cls, value: object) -> object:
        return _detection_shorthand(value)

    @field_validator("local_ip", mode="before")
    @classmethod
    def _needs_prefix(cls, value: object) -> object:
        if isinstance(value, str) and "/" not in value:
            raise ValueError(
                "give the customer-side address with its prefix length, e.g. 10.10.10.2/30")
        return value

    def interface_for(self, vendor: str) -> str | None:
        """The physical interface name on `vendor`, or None when the model names none."""
        if isinstance(self.interface, str):
            return self.interface
        return self.interface.get(vendor)


class ControlPlane(_Model):
    """How to exempt the health-check probes from control-plane protection.

    create: a new policy (Cisco CoPP policy-map, Huawei cpu-defend policy, Junos lo0 filter)
    insert: add the exemption to the device's existing policy `policy`, before `before`
    none:   render nothing (the device has no control-plane protection)
    """

    mode: Literal["create", "insert", "none"] = "create"
    policy: DeviceObjectName | None = None
    before: DeviceObjectName | None = None
    # kept for old models: the same as `platform: {huawei_vrp: ...}` (which wins)
    huawei_family: Literal["ar", "s", "ce", "ne"] = "ar"

    @model_validator(mode="after")
    def _policy_for_insert(self) -> ControlPlane:
        if self.mode == "insert" and not self.policy:
            raise ValueError("mode insert needs `policy`: the name of the device's existing policy")
        return self


class Site(_Model):
    """The whole site model."""

    site: Name
    hostname: Hostname
    vendor: Vendor | None = None
    # the platform family per vendor, e.g. {huawei_vrp: ce, junos: mx}: each driver
    # lists its own (`idcgen.vendors.<id>.driver.platforms`); unset = the driver default
    platform: dict[Vendor, Name] = Field(default_factory=dict)
    onprem_networks: list[IPv4Network] = Field(default_factory=list)
    cloud_networks: list[CloudNetwork] = Field(default_factory=list)
    cloud_services: CloudServices = CloudServices()
    redundancy: Literal["ecmp", "active-standby"] = "ecmp"
    # static routes over the lines (default), or eBGP with each line's VBR (sitemodel/bgp.py)
    routing: Routing = "static"
    bgp: BgpSettings | None = None
    lines: list[Line] = Field(default_factory=list, max_length=MAX_LINES)
    control_plane: ControlPlane = ControlPlane()
    ipsec: list[IpsecConnection] = Field(default_factory=list)
    cen_migration: CenMigration | None = None
    failure_detection: FailureDetection = FailureDetection()

    @field_validator("cloud_services", mode="before")
    @classmethod
    def _bool_shorthand(cls, value: object) -> object:
        return {"enabled": value} if isinstance(value, bool) else value

    @field_validator("failure_detection", mode="before")
    @classmethod
    def _detection_str(cls, value: object) -> object:
        return _detection_shorthand(value)

    def detection_of(self, index: int) -> FailureDetection:
        """The failure detection of line `index`: its own, else the site's."""
        return self.lines[index].failure_detection or self.failure_detection

    def detection_id(self, index: int) -> int:
        """The object number of line `index`'s probe / track / BFD discriminator."""
        own = self.lines[index].failure_detection
        if own is not None and own.object_id is not None:
            return own.object_id
        return (self.failure_detection.object_id or 101) + index

    @property
    def health_check_sources(self) -> list[IPv4Address]:
        return [line.health_check_source for line in self.lines]


def _overlaps(a: IPv4Network, b: IPv4Network) -> bool:
    return a.overlaps(b)


def cross_checks(site: Site) -> ErrorList:
    """Rules that span several fields; each error names the field to fix."""
    errors: ErrorList = []
    if not site.lines and not site.ipsec:
        errors.append((("lines",), "the site needs at least one leased line or IPsec connection"))

    seen_names: dict[str, int] = {}
    for i, line in enumerate(site.lines):
        if line.name in seen_names:
            first = seen_names[line.name]
            errors.append((("lines", i, "name"),
                           f"line name {line.name} is already used by lines[{first}]"))
        seen_names.setdefault(line.name, i)
        errors += _check_link_addresses(i, line)

    link_addresses: dict[IPv4Address, str] = {}
    for i, line in enumerate(site.lines):
        link_addresses[line.local_ip.ip] = f"lines[{i}].local_ip"
        link_addresses[line.vbr_ip] = f"lines[{i}].vbr_ip"
    hc_seen: dict[IPv4Address, int] = {}
    for i, line in enumerate(site.lines):
        src = line.health_check_source
        path = ("lines", i, "health_check_source")
        if src in hc_seen:
            errors.append((path, f"{src} is already the health-check source of "
                                 f"lines[{hc_seen[src]}]; each line needs its own source IP"))
        hc_seen.setdefault(src, i)
        if src in link_addresses:
            errors.append((path, f"{src} is a link address ({link_addresses[src]}), "
                                 "not an idle VPC address"))

    for i, line in enumerate(site.lines):
        for j in range(i):
            other = site.lines[j]
            if line.local_ip.network.overlaps(other.local_ip.network):
                errors.append((("lines", i, "local_ip"),
                               f"{line.local_ip.network} overlaps the subnet of lines[{j}] "
                               f"({other.local_ip.network})"))
        for vendor in VENDORS:
            name = line.interface_for(vendor)
            for j in range(i):
                other = site.lines[j]
                if name and name == other.interface_for(vendor) and line.vlan == other.vlan:
                    errors.append((("lines", i, "interface"),
                                   f"{name} (vlan {line.vlan or 'none'}) is already used by "
                                   f"lines[{j}] on {vendor}"))
                    break

    errors += _check_network_disjointness(site)
    errors += _check_platforms(site)
    errors += _check_failure_detection(site)

    errors += validate_bgp(site)
    errors += validate_ipsec(site)
    errors += validate_migration(site)
    return errors


def _check_platforms(site: Site) -> ErrorList:
    from idcgen.vendors import get_driver

    errors: ErrorList = []
    for vendor, name in site.platform.items():
        driver = get_driver(vendor)
        if name not in driver.platforms:
            known = ", ".join(driver.platforms) or "none (one syntax for the whole vendor)"
            errors.append((("platform", vendor),
                           f"{name!r} is not a platform of {vendor}; known: {known}"))
    return errors


def _detection_errors(path: tuple, detection: FailureDetection) -> ErrorList:
    errors: ErrorList = []
    given = detection.model_fields_set
    if detection.mode != "track":
        errors += [((*path, name), f"{name} applies to mode track (this is mode "
                                   f"{detection.mode})") for name in _TRACK_FIELDS if name in given]
    if detection.mode != "bfd":
        errors += [((*path, name), f"{name} applies to mode bfd (this is mode "
                                   f"{detection.mode})") for name in _BFD_FIELDS if name in given]
    if detection.mode == "track":
        if detection.timeout_ms > detection.interval_seconds * 1000:
            errors.append(((*path, "timeout_ms"),
                           f"timeout_ms {detection.timeout_ms} is longer than the probe "
                           f"interval ({detection.interval_seconds} s): a probe must time out "
                           "before the next one starts"))
        elif detection.track_seconds >= ALIBABA_DETECTION_SECONDS:
            errors.append(((*path, "failures"),
                           f"{detection.failures} lost probes {detection.interval_seconds} s "
                           f"apart take {detection.track_seconds:g} s to notice a dead line, "
                           f"no faster than Alibaba's health check ({ALIBABA_DETECTION_SECONDS} "
                           "s: 8 probes 2 s apart, docs/cloud.md#failure-detection); lower "
                           "interval_seconds or failures"))
    if detection.mode == "bfd":
        low, high = VBR_BFD_INTERVAL_MS
        if not low <= detection.bfd_interval_ms <= high:
            errors.append(((*path, "bfd_interval_ms"),
                           f"bfd_interval_ms {detection.bfd_interval_ms} is outside "
                           f"{low}-{high} ms, the VBR's BFD transmit/receive range "
                           "(ModifyVirtualBorderRouterAttribute MinTxInterval/MinRxInterval; "
                           "docs/cloud.md#failure-detection)"))
        low, high = VBR_BFD_MULTIPLIER
        if not low <= detection.bfd_multiplier <= high:
            errors.append(((*path, "bfd_multiplier"),
                           f"bfd_multiplier {detection.bfd_multiplier} is outside {low}-{high}, "
                           "the VBR's BFD detect multiplier range "
                           "(ModifyVirtualBorderRouterAttribute DetectMultiplier; "
                           "docs/cloud.md#failure-detection)"))
    return errors


def _check_failure_detection(site: Site) -> ErrorList:
    """Settings per line and site; object numbers unique across the lines."""
    errors = _detection_errors(("failure_detection",), site.failure_detection)
    seen: dict[int, int] = {}
    for i, line in enumerate(site.lines):
        if line.failure_detection is not None:
            errors += _detection_errors(("lines", i, "failure_detection"),
                                        line.failure_detection)
        if site.detection_of(i).mode == "none":
            continue
        number = site.detection_id(i)
        if number in seen:
            path: tuple = ("lines", i, "failure_detection", "object_id") if (
                line.failure_detection is not None
                and line.failure_detection.object_id is not None) else ("lines", i)
            errors.append((path, f"object_id {number} is already the failure-detection "
                                 f"object of lines[{seen[number]}]; give each line its own"))
        seen.setdefault(number, i)
    return errors


def _check_link_addresses(i: int, line: Line) -> ErrorList:
    errors: ErrorList = []
    net = line.local_ip.network
    local = line.local_ip.ip
    if net.prefixlen > 31:
        return [(("lines", i, "local_ip"),
                 f"{line.local_ip} leaves no room for the VBR address; use a /30, /31 or /29")]
    if line.vlan is not None and line.vlan > VBR_VLAN_MAX:
        errors.append((("lines", i, "vlan"),
                       f"vlan {line.vlan} is outside the VBR's VLAN range 0-{VBR_VLAN_MAX} "
                       "(Alibaba CreateVirtualBorderRouter VlanId; docs/vendor-commands.md"
                       "#alibaba); omit vlan for an untagged port"))
    if net.overlaps(CLOUD_SERVICES):
        errors.append((("lines", i, "local_ip"),
                       f"{net} is inside {CLOUD_SERVICES}: Alibaba's Express Connect "
                       f"limitations forbid {CLOUD_SERVICES} for the data-center side, and the "
                       f"{CLOUD_SERVICES} route would point into its own subnet "
                       "(docs/vendor-commands.md#alibaba)"))
    if line.vbr_ip not in net:
        errors.append((("lines", i, "vbr_ip"),
                       f"{line.vbr_ip} is not in {net} of {line.local_ip}"))
    if line.vbr_ip == local:
        errors.append((("lines", i, "vbr_ip"), f"{line.vbr_ip} is also the customer-side address"))
    if net.prefixlen < 31:
        for addr, path in ((local, "local_ip"), (line.vbr_ip, "vbr_ip")):
            if addr == net.network_address:
                errors.append((("lines", i, path), f"{addr} is the network address of {net}"))
            elif addr == net.broadcast_address:
                errors.append((("lines", i, path), f"{addr} is the broadcast address of {net}"))
    return errors


def _check_network_disjointness(site: Site) -> ErrorList:
    """On-premises vs cloud networks vs 100.64.0.0/10, each network against the others.

    Each network that overlaps gets one error per kind of overlap, naming the first
    network it overlaps (sorted sweep, O(n log n): `overlaps.py`); load_site caps how
    many errors of one field are printed.
    """
    errors: ErrorList = []
    cloud = [(("cloud_networks", i, "cidr"), n.cidr, f"cloud network {n.name} ({n.cidr})")
             for i, n in enumerate(site.cloud_networks)]
    onprem = [(("onprem_networks", i), n, f"on-premises network {n}")
              for i, n in enumerate(site.onprem_networks)]
    services = CLOUD_SERVICES if site.cloud_services.enabled else None
    path: tuple  # an error path: ("onprem_networks", i) or ("cloud_networks", i, "cidr")
    cloud_nets = [net for _, net, _ in cloud]
    onprem_nets = [net for _, net, _ in onprem]
    onprem_vs_cloud = lowest_overlapping(onprem_nets, cloud_nets)
    onprem_vs_onprem = earlier_overlapping(onprem_nets)
    for idx, (path, net, _) in enumerate(onprem):
        hit = onprem_vs_cloud[idx]
        if hit is not None:
            errors.append((path, f"{net} overlaps {cloud[hit][2]}"))
        if services is not None and _overlaps(net, services):
            errors.append((path, f"{net} overlaps the cloud-services range {services}"))
        hit = onprem_vs_onprem[idx]
        if hit is not None:
            errors.append((path, f"{net} overlaps {onprem[hit][2]}"))
    for idx, hit in enumerate(earlier_overlapping(cloud_nets)):
        path, net, _ = cloud[idx]
        if hit is not None:
            errors.append((path, f"{net} overlaps {cloud[hit][2]}"))
        if services is not None and _overlaps(net, services):
            errors.append((path, f"{net} overlaps the cloud-services range {services}"))
    return errors


__all__ = [
    "CLOUD_SERVICES", "CLOUD_SERVICES_HALVES", "CloudNetwork", "CloudServices", "ControlPlane",
    "FailureDetection", "Line", "Site", "cross_checks",
]
