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

    @field_validator("cloud_services", mode="before")
    @classmethod
    def _bool_shorthand(cls, value: object) -> object:
        return {"enabled": value} if isinstance(value, bool) else value

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
    "Line", "Site", "cross_checks",
]
