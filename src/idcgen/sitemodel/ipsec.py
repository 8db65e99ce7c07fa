"""IPsec-VPN connections of the site model: the customer side of Alibaba Cloud VPN Gateway
connections (docs/cloud.md#ipsec).

The model is vendor-neutral and mirrors the Alibaba side: each value is one Alibaba
offers (anything else is refused with the allowed list), and every IKE/IPsec parameter
has an explicit default that the renderer always writes out, because Alibaba's own API
defaults changed over time and every vendor has different ones (docs/vendors.md#ipsec-defaults).

Defaults (the safe modern set Alibaba offers, and what Huawei AR needs without the
WEAKEA package, docs/cloud.md#pitfall-17): IKEv2, AES-256, SHA-256, DH group 14, PFS group 14,
86400 s on both phases, DPD on.

A pre-shared key is never part of the model: `psk` names where it comes from
(`{env: VAR}` or `{file: PATH}`); a literal key is refused without being echoed.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, ip_address
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from idcgen.cloud import (  # Alibaba VPN Gateway parameter sets
    ALIBABA_ASN,
    CUSTOMER_GATEWAY_FORBIDDEN,
    DH_GROUPS,
    ENCRYPTIONS,
    INTEGRITIES,
    RESERVED_TUNNEL_CIDRS,
    WEAK_DH_GROUPS,
    WEAK_ENCRYPTIONS,
    WEAK_INTEGRITIES,
)
from idcgen.sitemodel.fields import (
    VENDORS,
    Description,
    DeviceObjectName,
    InterfaceName,
    Vendor,
)
from idcgen.sitemodel.overlaps import PrefixIndex, earlier_overlapping, lowest_overlapping

ErrorList = list[tuple[tuple, str]]

# Alibaba accepts 0-86400 s. 0 is refused: it leaves the lifetime to each side's default
# (the mismatch of docs/cloud.md#pitfall-24), and Junos accepts no lifetime below 180 s.
MIN_LIFETIME, MAX_LIFETIME = 180, 86400
TUNNEL_SPACE = IPv4Network("169.254.0.0/16")
MAX_ID_LENGTH = 100  # LocalId / RemoteId, docs/cloud.md#ipsec-identities

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_FQDN = re.compile(r"^(?=.{1,100}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")


def _allowed(values: tuple[object, ...]) -> str:
    return ", ".join(str(v) for v in values)


def _algorithm(allowed: tuple[str, ...], what: str):
    def check(value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise ValueError(f"{value!r} is not a {what} the Alibaba Cloud VPN Gateway offers; "
                         f"allowed: {_allowed(allowed)}")
    return check


def _dh_group(value: object) -> int:
    """Accept 14 or Alibaba's spelling "group14"."""
    raw: Any = value  # whatever the YAML held: int() raises for what it cannot take
    if isinstance(value, str) and value.strip().lower().startswith("group"):
        raw = value.strip()[5:]
    group = -1
    if isinstance(raw, int) and not isinstance(raw, bool):
        group = raw
    elif isinstance(raw, (float, str)):  # 14.0 or "14"; never inf, nan, 14.5 or "١٤"
        text = str(raw).strip().removesuffix(".0")
        group = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else -1
    if group not in DH_GROUPS:
        raise ValueError(f"{value!r} is not a DH group the Alibaba Cloud VPN Gateway offers; "
                         f"allowed: {_allowed(DH_GROUPS)} (or group1, group2, group5, group14)")
    return group


def _pfs(value: object) -> int | str:
    if value is False or (isinstance(value, str) and value.strip().lower() == "disabled"):
        return "disabled"
    try:
        return _dh_group(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a PFS setting the Alibaba Cloud VPN Gateway offers; "
                         f"allowed: disabled, {_allowed(DH_GROUPS)}") from None


def _lifetime(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("give the lifetime in seconds as a whole number")
    if not MIN_LIFETIME <= value <= MAX_LIFETIME:
        raise ValueError(
            f"{value} is outside {MIN_LIFETIME}-{MAX_LIFETIME} seconds: Alibaba accepts up to "
            f"{MAX_LIFETIME}; 0 (or anything below {MIN_LIFETIME}) would leave the lifetime to "
            "each side's default and Junos refuses it; set the same value on the Alibaba side")
    return value


def _peer_id(value: object) -> str:
    """An IKE identity Alibaba accepts (LocalId/RemoteId): an IPv4 address or an FQDN."""
    if not isinstance(value, str):
        value = str(value)
    text = value.strip()
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"longer than {MAX_ID_LENGTH} characters (Alibaba's limit)")
    try:
        parsed = ip_address(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        if parsed.version == 6:
            raise ValueError("IPv6 identities are not supported; use an IPv4 address or an FQDN")
        return text
    if not _FQDN.match(text):
        raise ValueError(f"{text!r} is neither an IPv4 address nor a host name / FQDN "
                         "(letters, digits, '-' and '.')")
    return text


Encryption = Annotated[str, BeforeValidator(_algorithm(ENCRYPTIONS, "encryption algorithm"))]
Integrity = Annotated[str, BeforeValidator(_algorithm(INTEGRITIES, "integrity algorithm"))]
DhGroup = Annotated[int, BeforeValidator(_dh_group)]
Pfs = Annotated[int | str, BeforeValidator(_pfs)]
Lifetime = Annotated[int, BeforeValidator(_lifetime)]
PeerId = Annotated[str, BeforeValidator(_peer_id)]
# A connection name becomes part of Huawei object names (IKE peer, IPsec proposal,
# profile: at most 15 characters), as `<name>-T1`; so at most 12 characters here.
ConnectionName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=12, pattern=r"^[A-Za-z][A-Za-z0-9_-]*$"),
]
VendorInterface = InterfaceName | dict[Vendor, InterfaceName]


def is_ip_identity(value: str) -> bool:
    """True when an IKE identity is an IPv4 address (else it is an FQDN)."""
    try:
        IPv4Address(value)
    except ValueError:
        return False
    return True


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_literal_key(value: object) -> object:
    """A key written into the model would end up in git; refuse it without echoing it."""
    if not isinstance(value, dict):
        raise ValueError("a pre-shared key is never written into the site model; name its "
                         "source instead: `psk: {env: VARIABLE}` or `psk: {file: PATH}`")
    return value


def _env_name(value: object) -> object:
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        # not echoed: a key pasted here by mistake must not reach the terminal
        raise ValueError("not an environment variable name (letters, digits and '_', not "
                         "starting with a digit); the key itself never goes into the model")
    return value


def _file_path(value: object) -> object:
    if not isinstance(value, str) or not value or "\n" in value or "\x00" in value:
        raise ValueError("give the path of a file that holds the key")
    return value


class KeySource(_Model):
    """Where a pre-shared key comes from: exactly one of an environment variable or a file."""

    env: Annotated[str, BeforeValidator(_env_name)] | None = None
    file: Annotated[str, BeforeValidator(_file_path)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> KeySource:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of `env: VARIABLE` or `file: PATH`")
        return self

    def describe(self) -> str:
        """Where the key comes from, for messages (never the key itself)."""
        return f"environment variable {self.env}" if self.env else f"file {self.file}"


PskSource = Annotated[KeySource, BeforeValidator(_no_literal_key)]


class IkeSettings(_Model):
    """Phase 1. `mode` applies to IKEv1 only."""

    version: Literal["ikev1", "ikev2"] = "ikev2"
    mode: Literal["main", "aggressive"] = "main"
    encryption: Encryption = "aes256"
    integrity: Integrity = "sha256"
    dh_group: DhGroup = 14
    lifetime: Lifetime = 86400

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: object) -> object:
        aliases = {"v1": "ikev1", "v2": "ikev2", "1": "ikev1", "2": "ikev2"}
        text = str(value).strip().lower()
        if text in ("ikev1", "ikev2") or text in aliases:
            return aliases.get(text, text)
        raise ValueError(f"{value!r} is not an IKE version the Alibaba Cloud VPN Gateway offers; "
                         "allowed: ikev1, ikev2")

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: object) -> object:
        text = str(value).strip().lower()
        if text in ("main", "aggressive"):
            return text
        raise ValueError(f"{value!r} is not a negotiation mode the Alibaba Cloud VPN Gateway "
                         "offers; allowed: main, aggressive")

    @model_validator(mode="after")
    def _mode_is_ikev1(self) -> IkeSettings:
        if self.version == "ikev2" and self.mode == "aggressive":
            raise ValueError("mode aggressive exists in IKEv1 only; remove it or use "
                             "version: ikev1")
        return self


class IpsecSettings(_Model):
    """Phase 2 (ESP, tunnel mode). `pfs` is a DH group or "disabled"."""

    encryption: Encryption = "aes256"
    integrity: Integrity = "sha256"
    pfs: Pfs = 14
    lifetime: Lifetime = 86400


class DpdSettings(_Model):
    """Dead-peer detection, with each number named for what it is.

    `mode`: `periodic` probes the peer every `interval_seconds` even when the tunnel
    carries no traffic, so an idle tunnel (a backup connection, Alibaba's standby
    tunnel 2) is found dead before traffic is moved onto it; `on-demand` probes only
    when there is traffic to send and nothing came back for `interval_seconds`.
    `retry_interval_seconds`: seconds between retransmissions of an unanswered probe
    (Cisco's second number; it is not a count). `retries`: unanswered probes before the
    peer is declared dead where the vendor lets it be set (Junos `threshold`; Cisco and
    Huawei AR use their built-in count, docs/vendor-commands.md#dpd).
    `dpd: true` means these defaults, `dpd: false` disables DPD.
    """

    enabled: bool = True
    mode: Literal["periodic", "on-demand"] = "periodic"
    interval_seconds: int = Field(default=10, ge=10, le=3600)
    retry_interval_seconds: int = Field(default=2, ge=2, le=60)
    retries: int = Field(default=3, ge=1, le=5)

    @model_validator(mode="after")
    def _retry_below_interval(self) -> DpdSettings:
        if self.retry_interval_seconds >= self.interval_seconds:
            raise ValueError("retry_interval_seconds must be below interval_seconds (a new "
                             "probe round would start during the retries)")
        return self


def _dpd_value(value: Any) -> Any:
    if isinstance(value, bool):
        return {"enabled": value}
    return {} if value is None else value


class Bgp(_Model):
    """eBGP over the tunnel(s) to the VPN gateway (route-based only)."""

    local_asn: int = Field(ge=1, le=4294967295)
    peer_asn: int = Field(default=ALIBABA_ASN, ge=1, le=4294967295)


class Routing(_Model):
    """route-based: a tunnel interface per tunnel (pairs with Alibaba's Destination Routing
    Mode); policy-based: crypto ACL selectors (Alibaba's Protected Data Flows).

    In policy-based mode only `tunnel_interface` may be set: the Junos st0 unit that
    carries the selectors (Cisco and Huawei apply a crypto map / IPsec policy to the
    outside interface instead).

    `tunnel_cidr` is a /30 in 169.254.0.0/16 shared with Alibaba (its TunnelCidr);
    `tunnel_ip` is the customer address in it, by default the second usable address
    (.2 of a .0/30), Alibaba's LocalBgpIp being the other one (.1).
    """

    mode: Literal["route-based", "policy-based"] = "route-based"
    tunnel_interface: VendorInterface | None = None
    tunnel_cidr: IPv4Network | None = None
    tunnel_ip: IPv4Address | None = None
    second_tunnel_interface: VendorInterface | None = None
    second_tunnel_cidr: IPv4Network | None = None
    second_tunnel_ip: IPv4Address | None = None
    bgp: Bgp | None = None


def _interface_for(value: VendorInterface | None, vendor: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get(vendor)


class IpsecConnection(_Model):
    """One Alibaba IPsec-VPN connection as the customer gateway sees it.

    `cloud_networks` are Alibaba's "local network" (VPC side), `local_networks` its
    "remote network" (this site). `extra_destinations` are further networks reached
    through the gateway (other offices or VPCs via CEN): routed into the tunnel, and
    part of the selectors when policy-based.
    """

    name: ConnectionName
    description: Description | None = None
    role: Literal["primary", "backup"] = "primary"
    gateway_ip: IPv4Address
    second_gateway_ip: IPv4Address | None = None
    customer_gateway_ip: IPv4Address
    outside_interface: VendorInterface
    local_networks: list[IPv4Network] = Field(min_length=1)
    cloud_networks: list[IPv4Network] = Field(min_length=1)
    extra_destinations: list[IPv4Network] = Field(default_factory=list)
    ike: IkeSettings = IkeSettings()
    ipsec: IpsecSettings = IpsecSettings()
    dpd: Annotated[DpdSettings, BeforeValidator(_dpd_value)] = DpdSettings()
    local_id: PeerId | None = None
    remote_id: PeerId | None = None
    psk: PskSource
    second_psk: PskSource | None = None
    routing: Routing = Routing()
    outside_zone: DeviceObjectName = "untrust"  # Junos SRX security zones
    tunnel_zone: DeviceObjectName = "vpn"

    @field_validator("ike", "ipsec", "routing", mode="before")
    @classmethod
    def _null_means_defaults(cls, value: Any) -> Any:
        return {} if value is None else value

    def outside_interface_for(self, vendor: str) -> str | None:
        return _interface_for(self.outside_interface, vendor)

    @property
    def gateways(self) -> tuple[IPv4Address, ...]:
        """Alibaba's public IPs: tunnel 1 (active) and, for a dual tunnel, tunnel 2."""
        if self.second_gateway_ip is None:
            return (self.gateway_ip,)
        return (self.gateway_ip, self.second_gateway_ip)

    @property
    def local_identity(self) -> str:
        """What this side sends as its IKE ID; Alibaba's RemoteId must equal it."""
        return self.local_id or str(self.customer_gateway_ip)

    def remote_identity(self, tunnel: int) -> str:
        """Alibaba's IKE ID for tunnel 1 or 2: its LocalId, by default that tunnel's IP."""
        return self.remote_id or str(self.gateways[tunnel - 1])

    @property
    def remote_networks(self) -> list[IPv4Network]:
        """Everything reached through the gateway: cloud networks, then extra destinations."""
        return [*self.cloud_networks, *self.extra_destinations]

    def tunnel_addresses(self, tunnel: int) -> tuple[IPv4Interface, IPv4Address] | None:
        """(customer address with prefix, Alibaba address) of a route-based tunnel."""
        cidr = self.routing.tunnel_cidr if tunnel == 1 else self.routing.second_tunnel_cidr
        chosen = self.routing.tunnel_ip if tunnel == 1 else self.routing.second_tunnel_ip
        if cidr is None:
            return None
        hosts = list(cidr.hosts())
        if len(hosts) != 2:
            return None
        mine = chosen if chosen is not None else hosts[1]
        other = hosts[0] if mine == hosts[1] else hosts[1]
        return IPv4Interface(f"{mine}/{cidr.prefixlen}"), other

    def weak_choices(self) -> list[str]:
        """Weak-but-offered algorithms in use, one phrase each (IDC401)."""
        found: list[str] = []
        if self.ike.encryption in WEAK_ENCRYPTIONS:
            found.append(f"ike.encryption {self.ike.encryption}")
        if self.ike.integrity in WEAK_INTEGRITIES:
            found.append(f"ike.integrity {self.ike.integrity}")
        if self.ike.dh_group in WEAK_DH_GROUPS:
            found.append(f"ike.dh_group {self.ike.dh_group}")
        if self.ipsec.encryption in WEAK_ENCRYPTIONS:
            found.append(f"ipsec.encryption {self.ipsec.encryption}")
        if self.ipsec.integrity in WEAK_INTEGRITIES:
            found.append(f"ipsec.integrity {self.ipsec.integrity}")
        if self.ipsec.pfs in WEAK_DH_GROUPS:
            found.append(f"ipsec.pfs group {self.ipsec.pfs}")
        return found


def _interface_names(value: VendorInterface | None) -> dict[str, str]:
    return {v: n for v in VENDORS if (n := _interface_for(value, v))}


def _check_connection(i: int, conn: IpsecConnection) -> ErrorList:
    errors: ErrorList = []
    base: tuple = ("ipsec", i)
    if conn.second_gateway_ip is not None and conn.second_gateway_ip == conn.gateway_ip:
        errors.append(((*base, "second_gateway_ip"),
                       f"{conn.second_gateway_ip} is also gateway_ip; tunnel 2 uses the VPN "
                       "gateway's other public IP"))
    if conn.customer_gateway_ip in conn.gateways:
        errors.append(((*base, "customer_gateway_ip"),
                       f"{conn.customer_gateway_ip} is the VPN gateway's own address"))
    for space, kind in CUSTOMER_GATEWAY_FORBIDDEN:
        if conn.customer_gateway_ip in space:
            errors.append(((*base, "customer_gateway_ip"),
                           f"{conn.customer_gateway_ip} is in {space} ({kind}): Alibaba refuses "
                           "a customer gateway IP in 100.64.0.0/10, 127.0.0.0/8, "
                           "169.254.0.0/16, 224.0.0.0/4 or 255.0.0.0/8 (VPN Gateway, "
                           "customer gateway constraints; docs/vendor-commands.md#alibaba)"))
            break
    if conn.second_psk is not None and conn.second_gateway_ip is None:
        errors.append(((*base, "second_psk"), "second_psk needs second_gateway_ip (tunnel 2)"))

    # selectors: disjoint within and across the two sides (IDC201)
    sides = [("local_networks", conn.local_networks),
             ("cloud_networks", conn.cloud_networks),
             ("extra_destinations", conn.extra_destinations)]
    seen = [(field, j, net) for field, nets in sides for j, net in enumerate(nets)]
    hits = earlier_overlapping([n for _, _, n in seen])
    for (field, j, net), hit in zip(seen, hits, strict=True):
        if hit is not None:  # the first earlier selector it overlaps (O(n log n) sweep)
            other_field, k, other = seen[hit]
            errors.append(((*base, field, j),
                           f"{net} overlaps {other_field}[{k}] ({other}); "
                           "selectors and routed networks must be disjoint"))
    for field, nets in sides[1:]:
        for j, net in enumerate(nets):
            for gw in conn.gateways:
                if gw in net:
                    errors.append(((*base, field, j),
                                   f"{net} contains the VPN gateway address {gw}: the tunnel "
                                   "would be routed into itself"))
    errors += _check_routing(base, conn)
    return errors


def _check_routing(base: tuple, conn: IpsecConnection) -> ErrorList:
    errors: ErrorList = []
    r = conn.routing
    rbase = (*base, "routing")
    dual = conn.second_gateway_ip is not None
    if r.mode == "policy-based":
        # tunnel_interface stays allowed: Junos binds the policy selectors to an st0 unit
        for field in ("tunnel_cidr", "tunnel_ip", "second_tunnel_interface",
                      "second_tunnel_cidr", "second_tunnel_ip", "bgp"):
            if getattr(r, field) is not None:
                errors.append(((*rbase, field),
                               f"{field} applies to mode route-based only (policy-based "
                               "selects traffic with crypto ACLs, not a tunnel address)"))
        if dual:
            errors.append(((*base, "second_gateway_ip"),
                           "a dual tunnel needs routing mode route-based: policy-based selectors "
                           "cannot fail over to tunnel 2 on Huawei AR and Junos "
                           "(docs/cloud.md#pitfall-15)"))
        return errors

    tunnels = [(1, "tunnel_interface", "tunnel_cidr", "tunnel_ip")]
    if dual:
        tunnels.append((2, "second_tunnel_interface", "second_tunnel_cidr", "second_tunnel_ip"))
    else:
        for field in ("second_tunnel_interface", "second_tunnel_cidr", "second_tunnel_ip"):
            if getattr(r, field) is not None:
                errors.append(((*rbase, field), f"{field} needs second_gateway_ip (tunnel 2)"))
    for number, if_field, cidr_field, ip_field in tunnels:
        if getattr(r, if_field) is None:
            errors.append(((*rbase,), f"route-based tunnel {number} needs `{if_field}` (the "
                                      "tunnel interface, per vendor: Tunnel1 / Tunnel0/0/1 / "
                                      "st0.1)"))
        cidr: IPv4Network | None = getattr(r, cidr_field)
        if cidr is None:
            errors.append(((*rbase,), f"route-based tunnel {number} needs `{cidr_field}`: a /30 "
                                      "in 169.254.0.0/16, the same as Alibaba's TunnelCidr"))
            continue
        if cidr.prefixlen != 30 or not cidr.subnet_of(TUNNEL_SPACE):
            errors.append(((*rbase, cidr_field),
                           f"{cidr} must be a /30 inside {TUNNEL_SPACE} (Alibaba's TunnelCidr)"))
            continue
        if cidr in RESERVED_TUNNEL_CIDRS:
            errors.append(((*rbase, cidr_field),
                           f"{cidr} is reserved: 169.254.0.0/30 ... 169.254.6.0/30 and "
                           "169.254.169.252/30 cannot be a tunnel CIDR; pick another /30 in "
                           "169.254.0.0/16 (docs/vendor-commands.md#alibaba)"))
            continue
        chosen: IPv4Address | None = getattr(r, ip_field)
        if chosen is not None and chosen not in list(cidr.hosts()):
            errors.append(((*rbase, ip_field),
                           f"{chosen} is not a usable address of {cidr}"))
    if r.bgp is not None and r.bgp.local_asn == ALIBABA_ASN:
        errors.append(((*rbase, "bgp", "local_asn"),
                       f"local_asn {ALIBABA_ASN} is Alibaba Cloud's own ASN, reserved: a "
                       "customer gateway may not use it (VPN Gateway, customer gateway "
                       "ASN constraints; docs/vendor-commands.md#alibaba)"))
    elif r.bgp is not None and r.bgp.local_asn == r.bgp.peer_asn:
        errors.append(((*rbase, "bgp", "local_asn"),
                       f"local_asn {r.bgp.local_asn} equals peer_asn: the session to Alibaba "
                       "is eBGP"))
    if dual:
        for vendor in VENDORS:
            one = _interface_for(r.tunnel_interface, vendor)
            if one and one == _interface_for(r.second_tunnel_interface, vendor):
                errors.append(((*rbase, "second_tunnel_interface"),
                               f"{one} is already tunnel 1's interface on {vendor}"))
                break
    return errors


def _check_across(site: Any) -> ErrorList:
    """Checks between connections, and against the leased-line part of the site."""
    errors: ErrorList = []
    conns: list[IpsecConnection] = list(site.ipsec)
    names: dict[str, int] = {}
    cidrs: dict[IPv4Network, str] = {}
    tunnel_ifs: dict[tuple[str, str], str] = {}
    for i, conn in enumerate(conns):
        if conn.name in names:
            errors.append((("ipsec", i, "name"),
                           f"connection name {conn.name} is already used by "
                           f"ipsec[{names[conn.name]}]"))
        names.setdefault(conn.name, i)
        r = conn.routing
        for field, cidr in (("tunnel_cidr", r.tunnel_cidr),
                            ("second_tunnel_cidr", r.second_tunnel_cidr)):
            if cidr is None:
                continue
            for taken, where in cidrs.items():
                if cidr.overlaps(taken):
                    errors.append((("ipsec", i, "routing", field),
                                   f"{cidr} overlaps the tunnel CIDR {taken} of {where}; each "
                                   "tunnel needs its own /30"))
                    break
            cidrs.setdefault(cidr, f"ipsec[{i}].routing.{field}")
        for field, value in (("tunnel_interface", r.tunnel_interface),
                             ("second_tunnel_interface", r.second_tunnel_interface)):
            for vendor, name in _interface_names(value).items():
                key = (vendor, name)
                if key in tunnel_ifs and tunnel_ifs[key] != f"ipsec[{i}].routing.{field}":
                    errors.append((("ipsec", i, "routing", field),
                                   f"{name} is already used by {tunnel_ifs[key]} on {vendor}"))
                    break
                tunnel_ifs.setdefault(key, f"ipsec[{i}].routing.{field}")
        for line_no, line in enumerate(getattr(site, "lines", ())):
            for vendor in VENDORS:
                name = line.interface_for(vendor)
                if name and name in _interface_names(r.tunnel_interface).values():
                    errors.append((("ipsec", i, "routing", "tunnel_interface"),
                                   f"{name} is the interface of lines[{line_no}]"))
                    break

    # one office's networks against another's: an identical prefix is the same office
    # reaching several gateways; a partial overlap makes routing ambiguous. Each network
    # is reported once, against the earliest connection it overlaps (indexed, O(n log n)).
    locals_index = PrefixIndex([(n, (j, k)) for j, c in enumerate(conns)
                                for k, n in enumerate(c.local_networks)])
    remotes_index = PrefixIndex([(n, (j, k)) for j, c in enumerate(conns)
                                 for k, n in enumerate(c.remote_networks)])

    def earlier(index: PrefixIndex, net: IPv4Network, i: int,
                strict: bool) -> tuple[int, IPv4Network] | None:
        hit = index.first_overlapping(net, strict=strict)
        return (hit[0][0], hit[1]) if hit is not None and hit[0][0] < i else None

    # (this side, the other side's index, identical prefixes allowed, message)
    checks = (
        ("local", locals_index, True, "{net} overlaps ipsec[{j}] ({other}) local network {theirs}"),
        ("local", remotes_index, False, "{net} overlaps {theirs}, reached through ipsec[{j}] "
                                        "({other})"),
        ("remote", locals_index, False, "{net} overlaps ipsec[{j}] ({other}) local network "
                                        "{theirs}"),
        ("remote", remotes_index, True, "{net} partly overlaps {theirs}, reached through "
                                        "ipsec[{j}] ({other})"),
    )
    for i, conn in enumerate(conns):
        for side, index, strict, message in checks:
            nets = conn.local_networks if side == "local" else conn.remote_networks
            for k, net in enumerate(nets):
                found = earlier(index, net, i, strict=strict)
                if found is None:
                    continue
                j, theirs = found
                path: tuple[str, int] = (("local_networks", k) if side == "local"
                                         else _remote_path(conn, k))
                errors.append((("ipsec", i, *path), message.format(
                    net=net, j=j, other=conns[j].name, theirs=theirs)))

    asns: dict[int, int] = {}
    for i, conn in enumerate(conns):
        if conn.routing.bgp is not None:
            asn = conn.routing.bgp.local_asn
            if asns and asn not in asns:
                first = next(iter(asns.values()))
                errors.append((("ipsec", i, "routing", "bgp", "local_asn"),
                               f"{asn} differs from ipsec[{first}]'s local_asn: the device runs "
                               "one BGP process, and Alibaba wants one data-center ASN "
                               "(docs/cloud.md#pitfall-22)"))
            asns.setdefault(asn, i)

    cloud = [n.cidr for n in getattr(site, "cloud_networks", ())]
    onprem = list(getattr(site, "onprem_networks", ()))
    for i, conn in enumerate(conns):  # the first overlapping network of each (sweep)
        for k, hit in enumerate(lowest_overlapping(conn.local_networks, cloud)):
            if hit is not None:
                errors.append((("ipsec", i, "local_networks", k),
                               f"{conn.local_networks[k]} overlaps the site's cloud network "
                               f"{cloud[hit]}"))
        remote = conn.remote_networks
        for k, hit in enumerate(lowest_overlapping(remote, onprem)):
            if hit is not None:
                field, idx = _remote_path(conn, k)
                errors.append((("ipsec", i, field, idx),
                               f"{remote[k]} overlaps the site's on-premises network "
                               f"{onprem[hit]}"))
    return errors


def _remote_path(conn: IpsecConnection, k: int) -> tuple[str, int]:
    if k < len(conn.cloud_networks):
        return "cloud_networks", k
    return "extra_destinations", k - len(conn.cloud_networks)


def validate_ipsec(site: Any) -> ErrorList:
    """Cross-field checks of the IPsec part: (path, message) pairs."""
    errors: ErrorList = []
    for i, conn in enumerate(site.ipsec):
        errors += _check_connection(i, conn)
    errors += _check_across(site)
    return errors


__all__ = [
    "ALIBABA_ASN", "DH_GROUPS", "ENCRYPTIONS", "INTEGRITIES", "MAX_LIFETIME", "MIN_LIFETIME",
    "Bgp", "IkeSettings", "IpsecConnection", "IpsecSettings", "KeySource", "Routing",
    "is_ip_identity", "validate_ipsec",
]
