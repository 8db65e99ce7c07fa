"""IPsec part of the render plan: site model -> context of templates/<vendor>/ipsec.j2.

Every decision is taken here so the templates only spell commands:
- algorithm keywords come from vendors/<vendor>/ipsec_names.py and nowhere else;
- every IKE/IPsec parameter is passed explicitly (Alibaba and each vendor have
  different defaults, domain.md 3.2.6; pitfalls 13 and 24);
- route preferences: tunnel 1 of a primary connection at the vendor default, tunnel 2
  one standby step above (Alibaba's tunnel 2 is standby); a backup connection floats
  above every leased-line preference (default + step x number of lines), so the lines
  win while they are up;
- pre-shared keys are resolved here (generator.secrets), or replaced by a placeholder
  naming their source with key_placeholder=True, without being read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

from idcgen.errors import InputError, Location, Problem
from idcgen.generator import names
from idcgen.generator.intent import RouteIntent
from idcgen.generator.secrets import Secret, placeholder, resolve_key
from idcgen.sitemodel.ipsec import IpsecConnection, KeySource, is_ip_identity
from idcgen.sitemodel.loader import dotted_path
from idcgen.vendors import SUPPORTED, driver

DPD_INTERVAL, DPD_RETRIES = 10, 3  # Cisco `dpd 10 3 on-demand`, Junos interval/threshold
HUAWEI_DPD = {"idle_time": 30, "retransmit_interval": 15, "retry_limit": 3}
CISCO_TUNNEL_MTU, CISCO_TCP_MSS = 1400, 1360  # room for ESP tunnel-mode overhead
JUNOS_TCP_MSS = 1350
CISCO_ISAKMP_PRIORITY_BASE = 900  # high numbers, away from the usual 1/10/100 policies
HUAWEI_IKE_PROPOSAL_TOP = 99  # AR ike proposal numbers are 1-99; counted down from 99
HUAWEI_ACL_BASE = 3950  # advanced ACLs; 3901 is the health-check ACL (names.py)

_TUNNEL_PATTERNS = {
    "cisco_ios": (re.compile(r"^Tunnel\d+$"), "Tunnel<number>, e.g. Tunnel1"),
    "huawei_vrp": (re.compile(r"^Tunnel\d+/\d+/\d+$"),
                   "Tunnel<slot>/<card>/<port>, e.g. Tunnel0/0/1"),
    "junos": (re.compile(r"^st0\.\d+$"), "st0.<unit>, e.g. st0.1"),
}
JUNOS_RESERVED_ST0 = range(16000, 16386)  # HA control-link encryption


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
    dpd: bool
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


def _names_module(vendor: str) -> Any:
    import importlib

    return importlib.import_module(f"idcgen.vendors.{vendor}.ipsec_names")


def _interface(value: Any, vendor: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get(vendor)


def _junos_unit(name: str) -> str:
    """Junos zones and IKE gateways take a logical interface: ge-0/0/0 -> ge-0/0/0.0."""
    return name if "." in name else f"{name}.0"


def ipsec_vendor_problems(site: Any, vendor: str) -> list[tuple[tuple, str]]:
    """What stops the IPsec part of `site` from rendering on `vendor`: (path, message).

    The render command can call this before rendering to report each at FILE:LINE:COL.
    """
    problems: list[tuple[tuple, str]] = []
    fqdns = [c.local_identity for c in site.ipsec if not is_ip_identity(c.local_identity)]
    first_fqdn = fqdns[0] if fqdns else None
    for i, conn in enumerate(site.ipsec):
        base = ("ipsec", i)
        if not conn.outside_interface_for(vendor):
            problems.append(((*base, "outside_interface"),
                             f"no outside interface name for {vendor}; add `{vendor}: "
                             "<interface>` to this mapping"))
        r = conn.routing
        tunnel_fields = [("tunnel_interface", r.tunnel_interface)]
        if r.mode == "route-based" and conn.second_gateway_ip is not None:
            tunnel_fields.append(("second_tunnel_interface", r.second_tunnel_interface))
        needs_tunnel = r.mode == "route-based" or vendor == "junos"
        pattern, example = _TUNNEL_PATTERNS[vendor]
        for fname, value in tunnel_fields:
            name = _interface(value, vendor)
            if not name:
                if needs_tunnel:
                    why = ("Junos binds the policy-based selectors to an st0 unit"
                           if r.mode == "policy-based" else "route-based needs a tunnel interface")
                    problems.append(((*base, "routing", fname),
                                     f"no tunnel interface for {vendor} ({why}); use {example}"))
                continue
            if not needs_tunnel:
                continue
            if not pattern.match(name):
                problems.append(((*base, "routing", fname),
                                 f"{name} is not a {vendor} tunnel interface; use {example}"))
            elif vendor == "junos" and int(name.split(".")[1]) in JUNOS_RESERVED_ST0:
                problems.append(((*base, "routing", fname),
                                 f"{name} is reserved for HA on SRX (st0.16000-16385)"))
        if vendor == "junos" and r.mode == "policy-based" and conn.ike.version == "ikev2":
            problems.append(((*base, "ike", "version"),
                             "Junos: policy-based VPNs do not support IKEv2 (pitfall 12); use "
                             "ike version ikev1, or routing mode route-based (Alibaba "
                             "Destination Routing Mode)"))
        if vendor == "cisco_ios" and conn.ike.version == "ikev1" and conn.ike.mode == "aggressive":
            problems.append(((*base, "ike", "mode"),
                             "Cisco IOS initiates IKEv1 in main mode; aggressive mode needs a "
                             "per-peer isakmp profile idcgen does not render: use main mode "
                             "or ike version ikev2"))
        if (vendor == "cisco_ios" and conn.ike.version == "ikev1"
                and conn.local_identity != str(conn.customer_gateway_ip)):
            problems.append(((*base, "local_id"),
                             "Cisco IKEv1 identifies itself by the outside address "
                             f"{conn.customer_gateway_ip} (crypto isakmp identity is global); "
                             "a different local_id needs ike version ikev2"))
        if vendor == "huawei_vrp":
            local = conn.local_identity
            if is_ip_identity(local):
                if local != str(conn.customer_gateway_ip):
                    problems.append(((*base, "local_id"),
                                     "Huawei AR sends the IKE peer's local-address as its IP "
                                     f"identity ({conn.customer_gateway_ip}); use that address "
                                     "or an FQDN"))
            elif local != first_fqdn:
                problems.append(((*base, "local_id"),
                                 "Huawei AR has one FQDN identity per device (ike local-name); "
                                 f"every FQDN local_id must be the same ({first_fqdn})"))
            for t in range(1, len(conn.gateways) + 1):
                rid = conn.remote_identity(t)
                if is_ip_identity(rid) and rid != str(conn.gateways[t - 1]):
                    problems.append(((*base, "remote_id"),
                                     "Huawei AR checks an IP identity against the peer's "
                                     f"remote-address ({conn.gateways[t - 1]}); use that address "
                                     "or an FQDN"))
                    break
    return problems


def _preferences(site: Any, conn: IpsecConnection, vendor: str) -> list[int | None]:
    syntax = driver(vendor).Syntax
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


def _algorithms(conn: IpsecConnection, vendor: str) -> tuple[dict[str, Any], dict[str, Any]]:
    n = _names_module(vendor)
    ike, esp = conn.ike, conn.ipsec
    pfs = None if esp.pfs == "disabled" else n.pfs_group(int(esp.pfs))
    if vendor == "cisco_ios":
        v2 = ike.version == "ikev2"
        ike_kw = {"encryption": (n.IKEV2_ENCRYPTION if v2 else n.ISAKMP_ENCRYPTION)[ike.encryption],
                  "integrity": (n.IKEV2_INTEGRITY if v2 else n.ISAKMP_HASH)[ike.integrity],
                  "dh": n.dh_group(ike.dh_group)}
        esp_kw = {"encryption": n.ESP_ENCRYPTION[esp.encryption],
                  "integrity": n.ESP_INTEGRITY[esp.integrity]}
    elif vendor == "huawei_vrp":
        ike_kw = {"encryption": n.IKE_ENCRYPTION[ike.encryption],
                  "authentication": n.IKE_AUTHENTICATION[ike.integrity],
                  "integrity": n.IKE_INTEGRITY[ike.integrity],
                  "prf": n.IKE_PRF[ike.integrity],
                  "dh": n.dh_group(ike.dh_group)}
        esp_kw = {"encryption": n.ESP_ENCRYPTION[esp.encryption],
                  "integrity": n.ESP_AUTHENTICATION[esp.integrity],
                  "sha2": esp.integrity in n.SHA2_INTEGRITIES}
    else:
        ike_kw = {"encryption": n.IKE_ENCRYPTION[ike.encryption],
                  "integrity": n.IKE_AUTHENTICATION[ike.integrity],
                  "dh": n.dh_group(ike.dh_group)}
        esp_kw = {"encryption": n.IPSEC_ENCRYPTION[esp.encryption],
                  "integrity": n.IPSEC_AUTHENTICATION[esp.integrity]}
    ike_kw["lifetime"] = ike.lifetime
    esp_kw["pfs"] = pfs
    esp_kw["lifetime"] = esp.lifetime
    return ike_kw, esp_kw


def _object_names(conn: IpsecConnection, vendor: str, index: int) -> dict[str, str]:
    n = conn.name
    if vendor == "cisco_ios":
        return {"isakmp_priority": str(CISCO_ISAKMP_PRIORITY_BASE + 10 * index),
                "proposal": f"ALIYUN-{n}", "keyring": f"ALIYUN-{n}",
                "transform_set": f"ALIYUN-{n}", "acl": f"ALIYUN-{n}-CRYPTO",
                "ikev2_profile": f"ALIYUN-{n}"}
    if vendor == "huawei_vrp":
        return {"ike_proposal": str(HUAWEI_IKE_PROPOSAL_TOP - index),
                "ipsec_proposal": f"P2-{n}"}
    return {"ike_proposal": f"ALIYUN-{n}", "ipsec_proposal": f"ALIYUN-{n}",
            "ipsec_policy": f"ALIYUN-{n}", "bgp_group": f"ALIYUN-{n}",
            "export_policy": f"ALIYUN-{n}-EXPORT"}


def _tunnel_names(conn: IpsecConnection, vendor: str, label: str) -> dict[str, str]:
    n = conn.name
    if vendor == "cisco_ios":
        return {"peer": f"ALIYUN-{n}-{label}", "ikev2_profile": f"ALIYUN-{n}-{label}",
                "ipsec_profile": f"ALIYUN-{n}-{label}"}
    if vendor == "huawei_vrp":
        return {"ike_peer": f"{n}-{label}", "ipsec_profile": f"{n}-{label}"}
    return {"ike_policy": f"ALIYUN-{n}-{label}", "ike_gateway": f"ALIYUN-{n}-{label}",
            "vpn": f"ALIYUN-{n}-{label}", "bgp_group": f"ALIYUN-{n}-{label}"}


def _connection(site: Any, conn: IpsecConnection, index: int, vendor: str,
                key_placeholder: bool, cache: dict) -> ConnectionPlan:
    ike_kw, esp_kw = _algorithms(conn, vendor)
    keys = _keys(conn, vendor, key_placeholder, index, cache)
    prefs = _preferences(site, conn, vendor)
    policy = conn.routing.mode == "policy-based"
    outside = conn.outside_interface_for(vendor) or ""
    if vendor == "junos":
        outside = _junos_unit(outside)
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
            preference=prefs[number - 1], names=_tunnel_names(conn, vendor, label)))
    destinations = tuple(conn.remote_networks)
    routes: list[RouteIntent] = []
    bgp = conn.routing.bgp
    if bgp is None:
        for tunnel in tunnels:
            for net in destinations:
                use_next_hop = policy and vendor != "junos"
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
        ike=ike_kw, esp=esp_kw, dpd=conn.dpd, local_id=conn.local_identity,
        local_id_is_ip=is_ip_identity(conn.local_identity),
        customer_ip=conn.customer_gateway_ip, outside_interface=outside,
        local_networks=tuple(conn.local_networks), cloud_networks=tuple(conn.cloud_networks),
        destinations=destinations,
        selectors=tuple((lo, re_) for lo in conn.local_networks for re_ in destinations),
        tunnels=tuple(tunnels), routes=tuple(routes),
        bgp=None if bgp is None else {
            "local_asn": bgp.local_asn, "peer_asn": bgp.peer_asn,
            # tunnel 2 is Alibaba's standby: prefer what tunnel 1 learns
            "preferred_weight": 200, "junos_standby_preference": 175},
        names=_object_names(conn, vendor, index),
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
             f"IpsecLifetime={esp.lifetime} DPD={'on' if conn.dpd else 'off'} NAT-T=on",
             f"RemoteId={conn.local_identity} LocalId={local_ids}; "
             f"routing: {routing}"]
    if conn.routing.bgp is not None:
        lines.append(f"BGP: LocalAsn={conn.routing.bgp.peer_asn} (Alibaba side), "
                     f"customer ASN {conn.routing.bgp.local_asn}")
    return tuple(lines)


def _with_maps(conns: list[ConnectionPlan],
               vendor: str) -> tuple[list[ConnectionPlan], list[MapGroup]]:
    """Group policy-based connections by outside interface into one map each."""
    if vendor == "junos":
        return conns, []
    from dataclasses import replace

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
                               acl_number=HUAWEI_ACL_BASE + c.index)
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
    if vendor not in SUPPORTED:
        raise ValueError(f"unknown vendor {vendor!r}")
    problems = ipsec_vendor_problems(site, vendor)
    if problems:
        raise IpsecVendorError(problems)
    cache: dict = {}
    conns = [_connection(site, c, i, vendor, key_placeholder, cache)
             for i, c in enumerate(site.ipsec)]
    conns, maps = _with_maps(conns, vendor)
    fqdn_ids = sorted({c.local_id for c in conns if not c.local_id_is_ip})
    bgp_asns = sorted({c.bgp["local_asn"] for c in conns if c.bgp})
    return {
        "vendor": vendor,
        "holds_secret": not key_placeholder,
        "key_placeholder": key_placeholder,
        "connections": conns,
        "maps": maps,
        "route_based": [c for c in conns if not c.policy_based],
        "ikev1_dpd": any(c.dpd and c.ike_version == "ikev1" for c in conns),
        "ikev2_policies": _ikev2_policies(conns),
        "huawei_sha2_compat": any(c.esp.get("sha2") for c in conns),
        "local_fqdn": fqdn_ids[0] if fqdn_ids else None,
        "bgp_asn": bgp_asns[0] if bgp_asns else None,
        "dpd": {"interval": DPD_INTERVAL, "retries": DPD_RETRIES, **HUAWEI_DPD},
        "mtu": CISCO_TUNNEL_MTU, "tcp_mss": CISCO_TCP_MSS, "junos_tcp_mss": JUNOS_TCP_MSS,
    }


def _ikev2_policies(conns: list[ConnectionPlan]) -> list[dict[str, Any]]:
    """Cisco: one IKEv2 policy per local address, listing every proposal used from it,
    so neither connection's proposal shadows another's."""
    by_address: dict[IPv4Address, list[str]] = {}
    for c in conns:
        if c.ike_version == "ikev2" and "proposal" in c.names:
            proposals = by_address.setdefault(c.customer_ip, [])
            if c.names["proposal"] not in proposals:
                proposals.append(c.names["proposal"])
    return [{"name": "ALIYUN" if i == 0 else f"ALIYUN{i + 1}", "address": addr,
             "proposals": props} for i, (addr, props) in enumerate(by_address.items())]


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
                "recommends IKEv2, or one IPsec connection per CIDR (pitfall 11)")
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
