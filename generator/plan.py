"""Site model -> vendor-neutral render plan.

Everything a template needs is decided here (which routes, over which line, at which
preference, under which name), so the per-vendor templates only spell commands. The
decisions follow the Alibaba Express Connect guide (docs/cloud.md#scenario-a, #scenario-b):

- every cloud network and the cloud-services range (100.64.0.0/10, or its two /11 halves)
  is routed over every line: ECMP at the vendor's default preference, or active/standby
  by line order (standby rank k = default + k * standby_preference_step);
- each line gets one /32 return route for its own health-check source via its own VBR
  address, always at the default preference: a floating or shared return route would
  send the probe replies over the other line and Alibaba would declare the line faulty;
- the health-check probes are exempted from control-plane protection.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from idcgen import __version__
from idcgen.generator import names
from idcgen.generator.bgp import BgpPlan, plan_bgp
from idcgen.generator.intent import (
    DetectionIntent,
    ExemptionIntent,
    InterfaceIntent,
    RouteIntent,
)
from idcgen.sitemodel import Site
from idcgen.vendors import get_driver

HEALTH_CHECK_PREFIXLEN = 32


@dataclass(frozen=True)
class LinePlan:
    """One leased line as the templates and the `check` summary see it."""

    name: str
    label: str  # LINE-A
    interface: InterfaceIntent
    vbr_ip: IPv4Address
    local_ip: IPv4Interface
    health_check_source: IPv4Address
    role: str  # "ecmp" | "active" | "standby"
    preference: int | None  # None = the vendor default
    security_zone: str = "ALIYUN-EC"  # where a zone-based firewall puts the interface
    detection: DetectionIntent | None = None  # None = failure_detection none


@dataclass(frozen=True)
class RouteGroup:
    """Routes that serve one purpose, rendered under one explaining comment."""

    purpose: str  # "cloud-services" | "vpc" | "health-check"
    title: str
    routes: tuple[RouteIntent, ...]


@dataclass(frozen=True)
class RenderPlan:
    """Everything one device config is rendered from."""

    site: str
    hostname: str
    vendor: str
    vendor_name: str
    version: str
    redundancy: str
    default_preference: int  # the vendor's static-route default (Cisco 1, Huawei 60, Junos 5)
    lines: tuple[LinePlan, ...]
    route_groups: tuple[RouteGroup, ...]
    exemption: ExemptionIntent | None
    control_plane_mode: str
    ecmp_load_balance: bool  # 2+ equal next hops need the vendor's ECMP forwarding policy
    ipsec: dict | None = None
    platform: str | None = None  # the vendor's platform family (driver.platforms)
    bgp: BgpPlan | None = None  # routing bgp: eBGP with the VBRs instead of static routes

    @property
    def interfaces(self) -> tuple[InterfaceIntent, ...]:
        return tuple(line.interface for line in self.lines)

    @property
    def routes(self) -> tuple[RouteIntent, ...]:
        return tuple(route for group in self.route_groups for route in group.routes)

    @property
    def detections(self) -> tuple[DetectionIntent, ...]:
        return tuple(line.detection for line in self.lines if line.detection is not None)

    def detection_mode(self, mode: str) -> bool:
        """Does any line use failure detection `mode` ("track" | "bfd")?"""
        return any(d.mode == mode for d in self.detections)


def lines_without_interface(site: Site, vendor: str) -> list[int]:
    """Indexes of lines that name no interface for `vendor` (the command reports them)."""
    return [i for i, line in enumerate(site.lines) if not line.interface_for(vendor)]


def line_preferences(site: Site, vendor: str) -> list[int | None]:
    """Per line, the static-route preference for cloud prefixes; None = vendor default.

    ECMP needs equal preferences, and the default is what a reviewer expects to see (no
    number at all). Active/standby follows line order: the first line is active.
    """
    if site.redundancy == "ecmp":
        return [None] * len(site.lines)
    syntax = get_driver(vendor)
    preferences: list[int | None] = [None]
    for rank in range(1, len(site.lines)):
        preferences.append(syntax.default_static_preference
                           + rank * syntax.standby_preference_step)
    return preferences


def _interface(site: Site, index: int, vendor: str) -> InterfaceIntent:
    line = site.lines[index]
    name = line.interface_for(vendor)
    if not name:  # the command checks first and reports the place; this is a guard
        raise ValueError(f"lines[{index}] names no interface for {vendor}")
    label = names.line_label(line.name)
    description = line.description or f"ALIYUN {label} Express Connect to VBR {line.vbr_ip}"
    return InterfaceIntent(name=name, address=line.local_ip, vlan=line.vlan,
                           description=description,
                           platform=get_driver(vendor).platform_of(site))


def _detection(site: Site, index: int, vendor: str,
               interface: InterfaceIntent) -> DetectionIntent | None:
    detection = site.detection_of(index)
    if detection.mode == "none":
        return None
    line = site.lines[index]
    number = site.detection_id(index)
    return DetectionIntent(
        mode=detection.mode, number=number, name=names.detection_name(line.name, number),
        peer=line.vbr_ip, source=line.local_ip.ip, interface=interface,
        interval_seconds=detection.interval_seconds, timeout_ms=detection.timeout_ms,
        failures=detection.failures, bfd_interval_ms=detection.bfd_interval_ms,
        bfd_multiplier=detection.bfd_multiplier, platform=interface.platform)


def _lines(site: Site, vendor: str) -> tuple[LinePlan, ...]:
    preferences = line_preferences(site, vendor)
    plans = []
    for i, line in enumerate(site.lines):
        role = "ecmp" if site.redundancy == "ecmp" else "active" if i == 0 else "standby"
        interface = _interface(site, i, vendor)
        plans.append(LinePlan(
            name=line.name, label=names.line_label(line.name),
            interface=interface, vbr_ip=line.vbr_ip,
            local_ip=line.local_ip, health_check_source=line.health_check_source,
            role=role, preference=preferences[i], security_zone=line.security_zone,
            detection=_detection(site, i, vendor, interface)))
    return tuple(plans)


def _over_every_line(prefix: IPv4Network, lines: tuple[LinePlan, ...], purpose: str,
                     tag: str, network_name: str | None = None) -> list[RouteIntent]:
    """The prefix over every line; each route follows its line's failure detection."""
    return [RouteIntent(prefix=prefix, next_hop=line.vbr_ip, preference=line.preference,
                        name=names.route_name(tag, line.name, network_name), purpose=purpose,
                        detection=line.detection)
            for line in lines]


def _route_groups(site: Site, lines: tuple[LinePlan, ...]) -> tuple[RouteGroup, ...]:
    groups: list[RouteGroup] = []
    if not lines:
        return ()
    services = [route for prefix in site.cloud_services.prefixes
                for route in _over_every_line(prefix, lines, "cloud-services", "SVC")]
    if services:
        blocks = " + ".join(str(p) for p in site.cloud_services.prefixes)
        groups.append(RouteGroup(
            "cloud-services",
            f"Alibaba cloud services (DNS, NTP, YUM, OSS, SLS...): {blocks}",
            tuple(services)))
    networks = [route for net in site.cloud_networks
                for route in _over_every_line(net.cidr, lines, "vpc", "VPC", net.name)]
    if networks:
        listed = ", ".join(f"{n.name} {n.cidr}" for n in site.cloud_networks)
        groups.append(RouteGroup("vpc", f"Cloud networks: {listed}", tuple(networks)))
    health = tuple(
        RouteIntent(prefix=IPv4Network(f"{line.health_check_source}/{HEALTH_CHECK_PREFIXLEN}"),
                    next_hop=line.vbr_ip, preference=None,
                    name=names.route_name("HC", line.name), purpose="health-check")
        for line in lines)
    groups.append(RouteGroup(
        "health-check",
        "Health-check return routes: each probe source back over its own line only",
        health))
    return tuple(groups)


def _exemption(site: Site, lines: tuple[LinePlan, ...],
               platform: str | None) -> ExemptionIntent | None:
    control = site.control_plane
    if control.mode == "none" or not lines:
        return None
    return ExemptionIntent(
        sources=tuple(line.health_check_source for line in lines),
        destinations=tuple(line.local_ip.ip for line in lines),
        mode=control.mode, policy=control.policy, before=control.before,
        huawei_family=control.huawei_family, site=site.site, platform=platform)


def _unit_name(interface: InterfaceIntent) -> str:
    """The interface that carries the line's address (sub-interface or unit included)."""
    return f"{interface.name}.{interface.vlan}" if interface.vlan else interface.name


def plan_site(site: Site, vendor: str, *, ipsec: dict | None = None,
              key_placeholder: bool = False) -> RenderPlan:
    """The render plan of `site` for `vendor` (a canonical id).

    Raises ValueError when a line names no interface for `vendor`; the render command
    checks that first and reports it at its place in the YAML file.
    """
    driver = get_driver(vendor)
    platform = driver.platform_of(site)
    lines = _lines(site, vendor)
    equal_lines = sum(1 for line in lines if line.preference is None)
    # routing bgp: the VBRs advertise the cloud networks, 100.64.0.0/10 and each line's
    # health-check source as a /32 (Express Connect guide, section 6), so no static
    # route to the cloud is rendered (docs/cloud.md#health-check-return-route)
    bgp = plan_bgp(site, vendor, {i: _unit_name(line.interface) for i, line in enumerate(lines)},
                   key_placeholder=key_placeholder)
    if bgp is not None:
        equal_lines = bgp.multipath
    return RenderPlan(
        site=site.site, hostname=site.hostname, vendor=vendor,
        vendor_name=driver.name, version=__version__,
        redundancy=site.redundancy,
        default_preference=driver.default_static_preference,
        lines=lines, route_groups=() if bgp is not None else _route_groups(site, lines),
        exemption=_exemption(site, lines, platform), control_plane_mode=site.control_plane.mode,
        ecmp_load_balance=(driver.ecmp_needs_policy and site.redundancy == "ecmp"
                           and equal_lines >= 2),
        ipsec=ipsec, platform=platform, bgp=bgp)
