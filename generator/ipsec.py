"""IPsec part of the render plan: site model -> context of templates/<vendor>/ipsec.j2.

Every decision is taken here so the templates only spell commands:
- algorithm keywords, object names and what a vendor cannot express come from the
  vendor's driver (vendors/<id>/driver.py and its ipsec_names.py tables) and nowhere else;
- every IKE/IPsec parameter is passed explicitly (Alibaba and each vendor have
  different defaults, docs/vendors.md#ipsec-defaults; docs/cloud.md#pitfall-13, #pitfall-24);
- route preferences: tunnel 1 of a primary connection at the vendor default, tunnel 2
  one standby step above (Alibaba's tunnel 2 is standby); a backup connection floats
  above every leased-line preference (default + step x number of lines), so the lines
  win while they are up;
- pre-shared keys are resolved here (generator.secrets), or replaced by a placeholder
  naming their source with key_placeholder=True, without being read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

from idcgen.errors import InputError, Location, Problem
from idcgen.generator import names
from idcgen.generator.intent import RouteIntent
from idcgen.generator.secrets import Secret, placeholder, resolve_key
from idcgen.sitemodel.ipsec import IpsecConnection, KeySource, is_ip_identity
from idcgen.sitemodel.loader import dotted_path
from idcgen.vendors import get_driver
from idcgen.vendors.base import VendorDriver


@dataclass(frozen=True)
class TunnelPlan:
    """One IKE/IPsec tunnel to one Alibaba public IP."""

    number: int  # 1 (active) or 2 (standby)
    label: str  # T1 / T2
    peer_ip: IPv4Address
    remote_id: str
    remote_id_is_ip: bool
    psk: Secret
    interface: str | None  # tunnel interface (route-based; Junos policy-based too)
    address: IPv4Interface | None  # customer tunnel address
    peer_tunnel_ip: IPv4Address | None  # Alibaba's tunnel address (BGP neighbor)
    preference: int | None  # route preference; None = vendor default
    names: dict[str, str]


@dataclass(frozen=True)
class ConnectionPlan:
    """One Alibaba IPsec connection, with vendor keywords already chosen."""

    index: int
    name: str
    description: str
    role: str
    policy_based: bool
    ike_version: str  # ikev1 | ikev2
    ike_mode: str  # main | aggressive (IKEv1 only)
    ike: dict[str, Any]  # encryption, integrity, (prf), dh, lifetime: vendor keywords
    esp: dict[str, Any]  # encryption, integrity, pfs (None = disabled), lifetime
    dpd: Any  # sitemodel DpdSettings, or None when DPD is off
    local_id: str
    local_id_is_ip: bool
    customer_ip: IPv4Address
    outside_interface: str
    local_networks: tuple[IPv4Network, ...]
    cloud_networks: tuple[IPv4Network, ...]
    destinations: tuple[IPv4Network, ...]
    selectors: tuple[tuple[IPv4Network, IPv4Network], ...]
    tunnels: tuple[TunnelPlan, ...]
    routes: tuple[RouteIntent, ...]
    bgp: dict[str, Any] | None
    names: dict[str, str]
    outside_zone: str
    tunnel_zone: str
    alibaba: tuple[str, ...] = ()  # what the Alibaba connection must be set to
    map_name: str | None = None  # Cisco crypto map / Huawei ipsec policy (policy-based)
    map_seq: int | None = None
    acl_number: int | None = None


@dataclass(frozen=True)
class MapGroup:
    """Policy-based connections that share one outside interface, so one crypto map /
    IPsec policy group (an interface takes only one)."""

    name: str
    interface: str
    connections: tuple[ConnectionPlan, ...] = field(default_factory=tuple)


class IpsecVendorError(InputError):
    """A site model that is valid but cannot be rendered for one vendor. `located` keeps
    the (path, message) pairs so the command can point at FILE:LINE:COL."""

    def __init__(self, located: list[tuple[tuple, str]]):
        self.located = located
        super().__init__([Problem(Location("site model"), dotted_path(p), m) for p, m in located])


def _interface(value: Any, vendor: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get(vendor)


def ipsec_vendor_problems(site: Any, vendor: str) -> list[tuple[tuple, str]]:
    """What stops the IPsec part of `site` from rendering on `vendor`: (path, message).

    The render command can call this before rendering to report each at FILE:LINE:COL.
    """
    driver = get_driver(vendor)
    problems: list[tuple[tuple, str]] = []
    if site.ipsec and not driver.supports_ipsec:
        return [(("ipsec",), f"{driver.describe()} has no IPsec support in idcgen")]
    for i, conn in enumerate(site.ipsec):
        base = ("ipsec", i)
        if not conn.outside_interface_for(vendor):
            problems.append(((*base, "outside_interface"),
                             f"no outside interface name for {vendor}; add `{vendor}: "
                             "<interface>` to this mapping"))
        problems += _tunnel_problems(driver, conn, base)
        problems += driver.ipsec_problems(site, conn, base)
    return problems


def _tunnel_problems(driver: VendorDriver, conn: IpsecConnection,
                     base: tuple) -> list[tuple[tuple, str]]:
    """Tunnel interface names: present where needed, in the vendor's form, not reserved."""
    vendor = driver.id
    r = conn.routing
    tunnel_fields = [("tunnel_interface", r.tunnel_interface)]
    if r.mode == "route-based" and conn.second_gateway_ip is not None:
        tunnel_fields.append(("second_tunnel_interface", r.second_tunnel_interface))
    needs_tunnel = r.mode == "route-based" or driver.policy_based_needs_tunnel
    problems: list[tuple[tuple, str]] = []
    for fname, value in tunnel_fields:
        name = _interface(value, vendor)
        if not name:
            if needs_tunnel:
                why = (f"{driver.name} binds the policy-based selectors to a tunnel interface"
                       if r.mode == "policy-based" else "route-based needs a tunnel interface")
                problems.append(((*base, "routing", fname),
                                 f"no tunnel interface for {vendor} ({why}); use "
                                 f"{driver.tunnel_interface_example}"))
            continue
        if not needs_tunnel:
            continue
        pattern = driver.tunnel_interface_pattern
        reserved = driver.ipsec_tunnel_problem(name) if pattern and pattern.match(name) else None
        if pattern is None or not pattern.match(name):
            problems.append(((*base, "routing", fname),
                             f"{name} is not a {vendor} tunnel interface; use "
                             f"{driver.tunnel_interface_example}"))
        elif reserved:
            problems.append(((*base, "routing", fname), reserved))
    return problems


def _preferences(site: Any, conn: IpsecConnection, vendor: str) -> list[int | None]:
    syntax = get_driver(vendor)
    default, step = syntax.default_static_preference, syntax.standby_preference_step
    first = default + step * max(len(site.lines), 1) if conn.role == "backup" else None
    second = (first if first is not None else default) + step
    prefs = [first, second][: len(conn.gateways)]
    ceiling = syntax.max_static_preference
    return [p if p is None or p <= ceiling else ceiling for p in prefs]


def _keys(conn: IpsecConnection, vendor: str, key_placeholder: bool, index: int,
          cache: dict[tuple[str | None, str | None], Secret]) -> list[Secret]:
    sources: list[tuple[KeySource, str]] = [(conn.psk, f"ipsec[{index}].psk")]
    if conn.second_gateway_ip is not None:
        second = conn.second_psk or conn.psk
        sources.append((second, f"ipsec[{index}].{'second_psk' if conn.second_psk else 'psk'}"))
    secrets = []
    for source, what in sources:
        key = (source.env, source.file)
        if key not in cache:
            cache[key] = (placeholder(source) if key_placeholder
                          else resolve_key(source, vendor, what=what))
        secrets.append(cache[key])
    return secrets


def _algorithms(conn: IpsecConnection, driver: VendorDriver) -> tuple[dict[str, Any],
                                                                        dict[str, Any]]:
    keywords = driver.ipsec_keywords(conn)
    ike_kw = {**keywords.ike, "lifetime": conn.ike.lifetime}
    esp_kw = {**keywords.esp, "pfs": keywords.pfs, "lifetime": conn.ipsec.lifetime}
    return ike_kw, esp_kw


def _connection(site: Any, conn: IpsecConnection, index: int, driver: VendorDriver,
                key_placeholder: bool, cache: dict) -> ConnectionPlan:
    vendor = driver.id
    ike_kw, esp_kw = _algorithms(conn, driver)
    keys = _keys(conn, vendor, key_placeholder, index, cache)
    prefs = _preferences(site, conn, vendor)
    policy = conn.routing.mode == "policy-based"
    outside = driver.logical_interface(conn.outside_interface_for(vendor) or "")
    tunnels: list[TunnelPlan] = []
    for number, peer in enumerate(conn.gateways, start=1):
        label = f"T{number}"
        r = conn.routing
        if_value = r.tunnel_interface if number == 1 else r.second_tunnel_interface
        addresses = conn.tunnel_addresses(number)
        rid = conn.remote_identity(number)
        tunnels.append(TunnelPlan(
            number=number, label=label, peer_ip=peer, remote_id=rid,
            remote_id_is_ip=is_ip_identity(rid), psk=keys[number - 1],
            interface=_interface(if_value, vendor),
            address=addresses[0] if addresses else None,
            peer_tunnel_ip=addresses[1] if addresses else None,
            preference=prefs[number - 1], names=driver.ipsec_tunnel_names(conn, label)))
    destinations = tuple(conn.remote_networks)
    routes: list[RouteIntent] = []
    bgp = conn.routing.bgp
    if bgp is None:
        for tunnel in tunnels:
            for net in destinations:
                use_next_hop = policy and driver.policy_routes_via_peer
                routes.append(RouteIntent(
                    prefix=net,
                    next_hop=tunnel.peer_ip if use_next_hop else None,
                    interface=None if use_next_hop else tunnel.interface,
                    preference=tunnel.preference,
                    name=names.fit(f"ALIYUN-VPN-{conn.name.upper()}-{tunnel.label}"),
                    purpose="ipsec"))
    description = conn.description or f"ALIYUN IPsec {conn.name} to VPN gateway {conn.gateway_ip}"
    return ConnectionPlan(
        index=index, name=conn.name, description=description, role=conn.role,
        policy_based=policy, ike_version=conn.ike.version, ike_mode=conn.ike.mode,
        ike=ike_kw, esp=esp_kw, dpd=conn.dpd if conn.dpd.enabled else None,
        local_id=conn.local_identity,
        local_id_is_ip=is_ip_identity(conn.local_identity),
        customer_ip=conn.customer_gateway_ip, outside_interface=outside,
        local_networks=tuple(conn.local_networks), cloud_networks=tuple(conn.cloud_networks),
        destinations=destinations,
        selectors=tuple((lo, re_) for lo in conn.local_networks for re_ in destinations),
        tunnels=tuple(tunnels), routes=tuple(routes),
        bgp=None if bgp is None else {
            "local_asn": bgp.local_asn, "peer_asn": bgp.peer_asn,
            # tunnel 2 is Alibaba's standby: prefer what tunnel 1 learns
            **driver.ipsec_bgp_preferences},
        names=driver.ipsec_object_names(conn, index),
        outside_zone=conn.outside_zone, tunnel_zone=conn.tunnel_zone,
        alibaba=_alibaba_side(conn))


def _alibaba_side(conn: IpsecConnection) -> tuple[str, ...]:
    """The Alibaba connection settings this config matches, in Alibaba's API names."""
    ike, esp = conn.ike, conn.ipsec
    mode = f" IkeMode={ike.mode}" if ike.version == "ikev1" else ""
    pfs = "disabled" if esp.pfs == "disabled" else f"group{esp.pfs}"
    local_ids = " / ".join(dict.fromkeys(conn.remote_identity(t)
                                         for t in range(1, len(conn.gateways) + 1)))
    routing = ("Protected Data Flows (LocalSubnet " + ",".join(map(str, conn.remote_networks))
               + " RemoteSubnet " + ",".join(map(str, conn.local_networks)) + ")"
               if conn.routing.mode == "policy-based" else "Destination Routing Mode")
    lines = [f"IkeVersion={ike.version}{mode} IkeEncAlg={ike.encryption} "
             f"IkeAuthAlg={ike.integrity} IkePfs=group{ike.dh_group} IkeLifetime={ike.lifetime}",
             f"IpsecEncAlg={esp.encryption} IpsecAuthAlg={esp.integrity} IpsecPfs={pfs} "
             f"IpsecLifetime={esp.lifetime} DPD={'on' if conn.dpd.enabled else 'off'} NAT-T=on",
             f"RemoteId={conn.local_identity} LocalId={local_ids}; "
             f"routing: {routing}"]
    if conn.routing.bgp is not None:
        lines.append(f"BGP: LocalAsn={conn.routing.bgp.peer_asn} (Alibaba side), "
                     f"customer ASN {conn.routing.bgp.local_asn}")
    return tuple(lines)


def _with_maps(conns: list[ConnectionPlan],
               driver: VendorDriver) -> tuple[list[ConnectionPlan], list[MapGroup]]:
    """Group policy-based connections by outside interface into one map each (crypto
    map / IPsec policy group: an interface takes only one)."""
    if not driver.groups_policy_maps:
        return conns, []
    by_interface: dict[str, list[int]] = {}
    for pos, c in enumerate(conns):
        if c.policy_based:
            by_interface.setdefault(c.outside_interface, []).append(pos)
    out = list(conns)
    groups: list[MapGroup] = []
    for number, (interface, positions) in enumerate(by_interface.items(), start=1):
        map_name = "ALIYUN" if number == 1 else f"ALIYUN{number}"
        members = []
        for seq, pos in enumerate(positions, start=1):
            c = out[pos]
            out[pos] = replace(c, map_name=map_name, map_seq=10 * seq,
                               acl_number=driver.ipsec_map_acl_number(c.index))
            members.append(out[pos])
        groups.append(MapGroup(name=map_name, interface=interface, connections=tuple(members)))
    return out, groups


def plan_ipsec(site: Any, vendor: str, *, key_placeholder: bool = False) -> dict | None:
    """Template context for templates/<vendor>/ipsec.j2, or None when the site has no IPsec.

    The dict carries `holds_secret: bool` so the caller writes the file with mode 0600.
    Raises InputError (IpsecVendorError) when the model cannot be rendered for `vendor`,
    or when a key is missing or unusable; messages never contain a key.
    """
    if not site.ipsec:
        return None
    driver = get_driver(vendor)
    problems = ipsec_vendor_problems(site, vendor)
    if problems:
        raise IpsecVendorError(problems)
    cache: dict = {}
    conns = [_connection(site, c, i, driver, key_placeholder, cache)
             for i, c in enumerate(site.ipsec)]
    conns, maps = _with_maps(conns, driver)
    fqdn_ids = sorted({c.local_id for c in conns if not c.local_id_is_ip})
    bgp_asns = sorted({c.bgp["local_asn"] for c in conns if c.bgp})
    return {
        "vendor": vendor,
        "holds_secret": not key_placeholder,
        "key_placeholder": key_placeholder,
        "connections": conns,
        "maps": maps,
        "route_based": [c for c in conns if not c.policy_based],
        # IKEv1 DPD is global on some vendors: the first IKEv1 connection's settings
        # (drivers refuse IKEv1 connections that ask for different ones)
        "ikev1_dpd": next((c.dpd for c in conns if c.dpd and c.ike_version == "ikev1"), None),
        "local_fqdn": fqdn_ids[0] if fqdn_ids else None,
        "bgp_asn": bgp_asns[0] if bgp_asns else None,
        **driver.ipsec_context(conns),
    }


def ipsec_warnings(site: Any) -> list[str]:
    """Warnings for weak-but-allowed choices (DES, 3DES, MD5, DH 1/2/5), for stderr, and
    for combinations Alibaba advises against (IKEv1 with several CIDRs)."""
    warnings: list[str] = []
    for i, conn in enumerate(site.ipsec):
        where = f"ipsec[{i}] ({conn.name})"
        for choice in conn.weak_choices():
            warnings.append(
                f"{where}: {choice} is weak (IDC401); Alibaba still offers it, but prefer "
                "aes256 / sha256 / group 14 on both sides (IOS XE 17.11+ refuses it unless "
                "`crypto engine compliance shield disable`; new Huawei images need the "
                "WEAKEA package)")
        pairs = len(conn.local_networks) * len(conn.remote_networks)
        if (conn.ike.version == "ikev1" and conn.routing.mode == "policy-based"
                and pairs > 1):
            warnings.append(
                f"{where}: IKEv1 with several CIDR blocks ({pairs} selector pairs): Alibaba "
                "recommends IKEv2, or one IPsec connection per CIDR (docs/cloud.md#pitfall-11)")
        if (conn.ike.version == "ikev1" and conn.ike.mode == "main"
                and not (is_ip_identity(conn.local_identity)
                         and all(is_ip_identity(conn.remote_identity(t))
                                 for t in range(1, len(conn.gateways) + 1)))):
            warnings.append(
                f"{where}: an FQDN identity with IKEv1 main mode; Alibaba recommends "
                "aggressive mode with FQDN identities")
        if conn.role == "backup" and not site.lines:
            warnings.append(f"{where}: role backup but the site has no leased line to back up")
    return warnings


__all__ = ["ConnectionPlan", "IpsecVendorError", "MapGroup", "TunnelPlan",
           "ipsec_vendor_problems", "ipsec_warnings", "plan_ipsec"]
