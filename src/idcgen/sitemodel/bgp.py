"""eBGP between the customer router and the VBR of each Express Connect line (#10).

`routing: bgp` on the site (or on a line) replaces the static routes of the leased lines:
the VBR advertises the cloud networks and each line's health-check source as a /32 (Alibaba
Express Connect guide, "Advertise BGP CIDR blocks"; docs/cloud.md#vbr-bgp), and the customer
router announces its on-premises prefixes. idcgen then renders, per line, one neighbor
(the line's `vbr_ip`) with an explicit import policy (`accept` plus the line's own
health-check /32, every other line's health-check /32 refused, everything else refused)
and an explicit export policy (exactly the `advertise` prefixes).

The model is vendor-neutral. `BgpSettings` is the site's block; `LineBgp` overrides any
field but `local_asn` (the device runs one BGP process) for one line. `effective_bgp`
resolves what applies to a line; every consumer (plan, lint `--site` rules, review) reads
that, never the raw blocks.

An MD5 password is never part of the model: `password` names its source, exactly like an
IPsec pre-shared key (`{env: VAR}` / `{file: PATH}`), resolved only by `render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from idcgen.cloud import (
    ALIBABA_ASN,
    ALIBABA_RESERVED_ASNS,
    BFD_INTERVAL_RANGE,
    BFD_MULTIPLIER_RANGE,
    CLOUD_SERVICES,
    CLOUD_SERVICES_HALVES,
    VBR_BFD_DEFAULT_INTERVAL,
    VBR_BFD_DEFAULT_MULTIPLIER,
    VBR_ROUTE_QUOTA,
)
from idcgen.sitemodel.ipsec import KeySource
from idcgen.sitemodel.overlaps import lowest_overlapping

ErrorList = list[tuple[tuple, str]]

MAX_ASN = 4294967295
AS_TRANS = 23456  # RFC 6793: stands in for a 4-byte ASN towards old speakers; never an AS
Routing = Literal["static", "bgp"]
# standby ranks: local-preference of line rank r (0 = the first line), AS-path prepends
PRIMARY_LOCAL_PREFERENCE = 200
LOCAL_PREFERENCE_STEP = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _asn(value: object) -> object:
    """A whole number 1 - 4294967295; Alibaba takes 2-byte and 4-byte ASNs. `asdot`
    (`1.10`) is read as 65536 * 1 + 10."""
    if isinstance(value, str) and value.count(".") == 1:
        high, _, low = value.partition(".")
        if high.isascii() and high.isdigit() and low.isascii() and low.isdigit():
            return int(high) * 65536 + int(low)
    if isinstance(value, bool):
        raise ValueError("give the AS number as a whole number")
    return value


Asn = Annotated[int, BeforeValidator(_asn), Field(ge=1, le=MAX_ASN)]


def _no_literal_password(value: object) -> object:
    """A password written into the model would end up in git; refuse it without echoing."""
    if not isinstance(value, dict):
        raise ValueError("a BGP password is never written into the site model; name its "
                         "source instead: `password: {env: VARIABLE}` or "
                         "`password: {file: PATH}`")
    return value


PasswordSource = Annotated[KeySource, BeforeValidator(_no_literal_password)]


class BfdSettings(_Model):
    """BFD for the VBR session: the VBR's own range (min_tx/min_rx 200-1000 ms, detect
    multiplier 3-10; its default 1000 ms x 3). `bfd: true` means these defaults,
    `bfd: false` no BFD (on a line: none although the site has it)."""

    enabled: bool = True
    interval: int = Field(default=VBR_BFD_DEFAULT_INTERVAL, ge=BFD_INTERVAL_RANGE[0],
                          le=BFD_INTERVAL_RANGE[1])
    multiplier: int = Field(default=VBR_BFD_DEFAULT_MULTIPLIER, ge=BFD_MULTIPLIER_RANGE[0],
                            le=BFD_MULTIPLIER_RANGE[1])


def _bfd_value(value: Any) -> Any:
    if value is True:
        return {}
    if value is False:
        return {"enabled": False}
    return value


OptionalBfd = Annotated[BfdSettings | None, BeforeValidator(_bfd_value)]


class BgpTimers(_Model):
    """Keepalive and hold time in seconds. BGP uses the lower hold time of the two sides;
    Junos sets the hold time only (keepalive = a third of it), so `keepalive` must be a
    third of `hold` or less."""

    keepalive: int = Field(ge=1, le=21845)
    hold: int = Field(ge=3, le=65535)

    @model_validator(mode="after")
    def _hold_covers_keepalives(self) -> BgpTimers:
        if self.hold < 3 * self.keepalive:
            raise ValueError(f"hold {self.hold} is less than three keepalives "
                             f"({3 * self.keepalive}); Huawei refuses it and one lost "
                             "keepalive would drop the session")
        return self


class AcceptPrefix(_Model):
    """A prefix the import policy admits: exactly `cidr`, or with `up_to` every prefix
    inside it whose length is at most `up_to` (`up_to: 32` = orlonger)."""

    cidr: IPv4Network
    up_to: int | None = Field(default=None, ge=0, le=32)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"cidr": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _longer_than_cidr(self) -> AcceptPrefix:
        if self.up_to is not None and self.up_to < self.cidr.prefixlen:
            raise ValueError(f"up_to {self.up_to} is shorter than {self.cidr}; give a length "
                             f"from {self.cidr.prefixlen} to 32, or omit it for exactly "
                             f"{self.cidr}")
        return self

    @property
    def longest(self) -> int:
        """The longest prefix length admitted."""
        return self.cidr.prefixlen if self.up_to is None else self.up_to

    @property
    def exact(self) -> bool:
        return self.longest == self.cidr.prefixlen

    def admits(self, prefix: IPv4Network) -> bool:
        return prefix.subnet_of(self.cidr) and prefix.prefixlen <= self.longest


class BgpSettings(_Model):
    """The site's eBGP settings towards the VBRs."""

    local_asn: Asn
    peer_asn: Asn = ALIBABA_ASN
    password: PasswordSource | None = None
    bfd: OptionalBfd = None
    advertise: list[IPv4Network] | None = None
    accept: list[AcceptPrefix] | None = None
    route_quota: int = Field(default=VBR_ROUTE_QUOTA, ge=1, le=100000)
    timers: BgpTimers | None = None


class LineBgp(_Model):
    """One line's overrides of the site's `bgp` block (unset = the site's value)."""

    peer_asn: Asn | None = None
    password: PasswordSource | None = None
    bfd: OptionalBfd = None
    advertise: list[IPv4Network] | None = None
    accept: list[AcceptPrefix] | None = None
    route_quota: int | None = Field(default=None, ge=1, le=100000)
    timers: BgpTimers | None = None


@dataclass(frozen=True)
class EffectiveBgp:
    """What applies to one line's session, every default resolved.

    `accept` is the user's (or the default) list; `own_health_check` is always admitted
    first and `other_health_checks` (the other lines' sources) always refused before
    anything else, so each probe's reply leaves by its own line.
    """

    line_index: int
    local_asn: int
    peer_asn: int
    peer_ip: IPv4Address
    password: KeySource | None
    bfd: BfdSettings | None
    advertise: tuple[IPv4Network, ...]
    accept: tuple[AcceptPrefix, ...]
    own_health_check: IPv4Network
    other_health_checks: tuple[IPv4Network, ...]
    route_quota: int
    timers: BgpTimers | None
    local_preference: int | None  # active-standby only
    prepend: int  # AS-path prepends on export (active-standby standby lines)

    def admits(self, prefix: IPv4Network) -> bool:
        """The import policy's verdict, first match: other lines' health checks refused,
        the own one admitted, then the accept list, then refused."""
        if prefix in self.other_health_checks:
            return False
        if prefix == self.own_health_check:
            return True
        return any(a.admits(prefix) for a in self.accept)


def line_routing(site: Any, index: int) -> str:
    """`static` or `bgp` for lines[index]: the line's own setting, else the site's."""
    line = site.lines[index]
    return line.routing or site.routing


def uses_bgp(site: Any) -> bool:
    """True when any leased line exchanges routes with its VBR by BGP."""
    return any(line_routing(site, i) == "bgp" for i in range(len(site.lines)))


def default_accept(site: Any) -> tuple[AcceptPrefix, ...]:
    """The cloud networks (and every prefix inside them, `up_to: 32`), and, when the site
    routes the cloud-services range, 100.64.0.0/10 and its two /11 halves exactly."""
    out = [AcceptPrefix(cidr=n.cidr, up_to=32) for n in site.cloud_networks]
    if site.cloud_services.enabled:
        out += [AcceptPrefix(cidr=CLOUD_SERVICES)]
        out += [AcceptPrefix(cidr=half) for half in CLOUD_SERVICES_HALVES]
    return tuple(out)


def effective_bgp(site: Any, index: int) -> EffectiveBgp | None:
    """The BGP settings of lines[index], or None when the line routes statically (or the
    model lacks the site `bgp` block, which validation reports)."""
    if line_routing(site, index) != "bgp" or site.bgp is None:
        return None
    base: BgpSettings = site.bgp
    line = site.lines[index]
    over: LineBgp = line.bgp or LineBgp()

    def pick(name: str) -> Any:
        value = getattr(over, name)
        return getattr(base, name) if value is None else value

    advertise = pick("advertise")
    accept = pick("accept")
    bgp_lines = [i for i in range(len(site.lines)) if line_routing(site, i) == "bgp"]
    rank = bgp_lines.index(index)
    standby = site.redundancy == "active-standby"
    return EffectiveBgp(
        line_index=index,
        local_asn=base.local_asn,
        peer_asn=pick("peer_asn"),
        peer_ip=line.vbr_ip,
        password=pick("password"),
        bfd=bfd if (bfd := pick("bfd")) is not None and bfd.enabled else None,
        advertise=tuple(site.onprem_networks if advertise is None else advertise),
        accept=default_accept(site) if accept is None else tuple(accept),
        own_health_check=IPv4Network(line.health_check_source),
        other_health_checks=tuple(IPv4Network(site.lines[i].health_check_source)
                                  for i in bgp_lines if i != index),
        route_quota=pick("route_quota"),
        timers=pick("timers"),
        local_preference=(PRIMARY_LOCAL_PREFERENCE - LOCAL_PREFERENCE_STEP * rank
                          if standby else None),
        prepend=rank if standby else 0,
    )


def validate_bgp(site: Any) -> ErrorList:
    """Cross-field checks of the BGP part: (path, message) pairs, each at its field."""
    errors: ErrorList = []
    routings = [line_routing(site, i) for i in range(len(site.lines))]
    if site.bgp is not None and "bgp" not in routings:
        errors.append((("bgp",), "bgp settings need `routing: bgp` (on the site or a line); "
                                 "remove the block for static routing"))
    for i, line in enumerate(site.lines):
        if line.bgp is not None and routings[i] != "bgp":
            errors.append((("lines", i, "bgp"),
                           "bgp overrides need the line to route by BGP (`routing: bgp` on "
                           "the site or the line)"))
    if "bgp" not in routings:
        return errors
    if site.bgp is None:
        where = ("routing",) if site.routing == "bgp" else (
            "lines", routings.index("bgp"), "routing")
        errors.append((where, "routing bgp needs a site `bgp:` block with at least "
                              "`local_asn` (the data center's AS number)"))
        return errors
    if len(set(routings)) > 1:
        first = routings[0]
        for i, routing in enumerate(routings):
            if routing != first:
                errors.append((("lines", i, "routing"),
                               f"lines[{i}] routes by {routing}, lines[0] by {first}: a static "
                               "route always wins over the BGP route (lower administrative "
                               "distance / preference on every vendor), so the lines would "
                               "not share or back up each other; use one routing for all "
                               "lines"))
        return errors
    errors += _check_asns(site)
    errors += _check_detection(site)
    for i in range(len(site.lines)):
        eff = effective_bgp(site, i)
        if eff is not None:
            errors += _check_line(site, i, eff)
    # a site-level setting is checked once per line: report each problem once
    return list(dict.fromkeys(errors))


def _check_detection(site: Any) -> ErrorList:
    """`failure_detection` watches static routes (issue #11); with BGP the session is the
    liveness check (its hold timer, and `bgp.bfd`), so a probe or static BFD has nothing
    to act on."""
    errors: ErrorList = []
    detection_of = getattr(site, "detection_of", None)
    if detection_of is None:
        return errors
    for i, line in enumerate(site.lines):
        mode = detection_of(i).mode
        if mode == "none":
            continue
        own = getattr(line, "failure_detection", None) is not None
        errors.append(((("lines", i, "failure_detection") if own else ("failure_detection",)),
                       f"failure_detection {mode} watches static routes, but routing bgp "
                       "renders none: the BGP session withdraws the line's routes (hold "
                       "timer); for fast detection use bgp.bfd instead"))
    return list(dict.fromkeys(errors))


def _check_asns(site: Any) -> ErrorList:
    errors: ErrorList = []
    local = site.bgp.local_asn
    if local in ALIBABA_RESERVED_ASNS:
        errors.append((("bgp", "local_asn"),
                       f"local_asn {local} is reserved by Alibaba Cloud (45104 is its own "
                       "ASN, 65025 a reserved value of the VBR; CreateBgpGroup, "
                       "docs/cloud.md#vbr-bgp): pick another AS number for the data center"))
    if local == AS_TRANS:
        errors.append((("bgp", "local_asn"),
                       f"local_asn {AS_TRANS} is AS_TRANS (RFC 6793), not an AS number"))
    for i, conn in enumerate(getattr(site, "ipsec", ())):
        bgp = conn.routing.bgp
        if bgp is not None and bgp.local_asn != local:
            errors.append((("ipsec", i, "routing", "bgp", "local_asn"),
                           f"{bgp.local_asn} differs from bgp.local_asn {local}: the device "
                           "runs one BGP process, and Alibaba wants one data-center ASN on "
                           "the VBR and the VPN gateway (docs/cloud.md#pitfall-22)"))
    return errors


def _check_line(site: Any, i: int, eff: EffectiveBgp) -> ErrorList:
    errors: ErrorList = []
    line = site.lines[i]
    over = line.bgp

    def where(field: str) -> tuple:
        if over is not None and getattr(over, field) is not None:
            return ("lines", i, "bgp", field)
        if site.bgp is not None and getattr(site.bgp, field) is not None:
            return ("bgp", field)
        return ("onprem_networks",) if field == "advertise" else ("bgp",)

    if eff.peer_asn == eff.local_asn and eff.local_asn not in ALIBABA_RESERVED_ASNS:
        errors.append((where("peer_asn"),
                       f"peer_asn {eff.peer_asn} equals local_asn: the session to the VBR is "
                       "eBGP"))
    if eff.peer_asn == AS_TRANS:
        errors.append((where("peer_asn"), f"peer_asn {AS_TRANS} is AS_TRANS (RFC 6793)"))
    if not eff.advertise:
        errors.append((where("advertise"),
                       f"lines[{i}] advertises nothing to its VBR: the cloud would have no "
                       "route back to the data center; give onprem_networks or "
                       "bgp.advertise"))
    if len(eff.advertise) > eff.route_quota:
        whose = (f"lines[{i}]'s VBR" if "lines" in (where("advertise")[0],
                                                     where("route_quota")[0])
                 else "each VBR")
        errors.append((where("advertise"),
                       f"{len(eff.advertise)} prefixes would be advertised to {whose}, "
                       f"more than its route quota of {eff.route_quota} (Alibaba: at "
                       f"most {VBR_ROUTE_QUOTA} dynamic routes per BGP peer, routes beyond "
                       "the limit are dropped); summarise the on-premises prefixes"))
    cloud = [n.cidr for n in site.cloud_networks]
    field_path = where("advertise")

    def item(path: tuple, k: int) -> tuple:
        return (*path, k) if path[-1] in ("advertise", "onprem_networks", "accept") else path

    # a defaulted list is onprem_networks, whose overlaps schema.py reports already
    given = field_path[-1] == "advertise"
    for k, hit in enumerate(lowest_overlapping(eff.advertise if given else [], cloud)):
        if hit is not None:
            errors.append((item(field_path, k),
                           f"advertised prefix {eff.advertise[k]} overlaps cloud network "
                           f"{site.cloud_networks[hit].name} ({cloud[hit]}): the VPC would "
                           "be routed back to the data center"))
    for k, net in enumerate(eff.advertise):
        if given and net.overlaps(CLOUD_SERVICES):
            errors.append((item(field_path, k),
                           f"advertised prefix {net} overlaps {CLOUD_SERVICES}, Alibaba's "
                           "cloud-services range (Express Connect limitations; "
                           "docs/cloud.md#cloud-services-range)"))
        hc = [IPv4Address(h.network_address) for h in (eff.own_health_check,
                                                       *eff.other_health_checks)]
        for src in hc:
            if src in net:
                errors.append((item(field_path, k),
                               f"advertised prefix {net} contains the health-check source "
                               f"{src}: the probes' replies would not reach the cloud"))
    accept_path = where("accept")
    onprem = list(site.onprem_networks)
    # the computed default (cloud networks, 100.64.0.0/10) is disjoint from the on-premises
    # networks already (schema._check_network_disjointness); only a given list is checked
    accepted = [a.cidr for a in eff.accept] if accept_path[-1] == "accept" else []
    for k, hit in enumerate(lowest_overlapping(accepted, onprem)):
        if hit is not None:
            errors.append((item(accept_path, k),
                           f"accepted prefix {accepted[k]} overlaps on-premises network "
                           f"{onprem[hit]}: the data center's own network would be routed "
                           "to the cloud"))
    return errors


__all__ = [
    "AS_TRANS", "AcceptPrefix", "BfdSettings", "BgpSettings", "BgpTimers", "EffectiveBgp",
    "LineBgp", "MAX_ASN", "PasswordSource", "Routing", "default_accept", "effective_bgp",
    "line_routing", "uses_bgp", "validate_bgp",
]
