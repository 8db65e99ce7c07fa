"""Cloud-facing links: from the site model, or inferred from what a config shows.

A link is what the cloud rules reason about: the interface (or tunnel) toward Alibaba
Cloud, its customer-side address (the health-check destination) and the cloud-side peer
(the VBR address, or the VPN gateway). Without a site model the linter must guess, and a
wrong guess is a false alarm in someone's CI, so inference only trusts strong evidence:

- an interface whose description names Alibaba (Aliyun, Alibaba, VBR, Express Connect,
  CEN as a word) and that has a point-to-point address (/29-/31) or is a tunnel;
- a static route into 100.64.0.0/10 whose next hop sits on a /29-/31 interface subnet;
- (100.64.0.0/10 includes the health-check-like range 100.96.0.0/16); the one /32 via
  the peer of a link found (a VPC address, or one in 100.96.0.0/16) becomes that link's
  health-check source;
- a BGP neighbor in Alibaba's AS 45104 at the far end of a /30 or /31 interface subnet
  (the VBR side of a line that exchanges routes by BGP); the one health-check-like /32
  its import filters name becomes that line's health-check source when nothing else
  gives one;
- an IPsec tunnel (kind "ipsec") whose own names (tunnel, peer, tunnel interface
  description) name Alibaba, or any IPsec tunnel on a device that already shows a
  leased line to Alibaba (the VPN is then its backup). A lone IPsec tunnel with no such
  evidence may lead to AWS, Azure or a branch office: judging it against what Alibaba's
  VPN Gateway offers would be a false alarm.

Every inferred link says why in `source` ("inferred: ..."), and the reports print it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import TYPE_CHECKING, Any, Literal

from idcgen.cloud import ALIBABA_ASN, CLOUD_SERVICES
from idcgen.devicemodel import Device, Interface, StaticRoute
from idcgen.findings import CloudLink, RejectedLink
from idcgen.indexes import address_int, address_is_global, network_is_private, network_parts

if TYPE_CHECKING:
    from idcgen.sitemodel import Site

# Health-check-like source range (Alibaba's system-assigned probe sources live in 100.64/10).
HEALTH_CHECK_LIKE = IPv4Network("100.96.0.0/16")
_CLOUD_SERVICES_SHIFT = 32 - CLOUD_SERVICES.prefixlen  # host bits of 100.64.0.0/10
_CLOUD_SERVICES_BITS = int(CLOUD_SERVICES.network_address) >> _CLOUD_SERVICES_SHIFT
P2P_MIN_PREFIXLEN = 29  # /29, /30, /31: an interconnect subnet, not a LAN

_CLOUD_WORDS = re.compile(
    r"(?<![a-z0-9])(aliyun|alibaba|vbr|express[\s_-]*connect|cen)(?![a-z0-9])", re.I)


# --------------------------------------------------------------------------- site model
def links_from_site(site: Site, device: Device) -> list[CloudLink]:
    """The site model's leased lines and IPsec connections as links on this device.

    A line is matched to the device interface that holds its customer-side address; if
    none does, to the interface of that name (and VLAN). The link keeps the site's
    addresses either way: they are what Alibaba probes and routes to.
    """
    links: list[CloudLink] = []
    for line in site.lines:
        iface = find_line_interface(device, line.local_ip.ip, line.interface_for(device.vendor),
                                    line.vlan)
        name = iface.name if iface else expected_interface_name(
            device.vendor, line.interface_for(device.vendor), line.vlan)
        links.append(CloudLink(interface=name, local_ip=line.local_ip, peer_ip=line.vbr_ip,
                               kind="leased-line", source="site",
                               health_check_source=line.health_check_source, name=line.name))
    for conn in site.ipsec:
        links.extend(_ipsec_site_links(conn, device))
    return links


def expected_interface_name(vendor: str, base: str | None, vlan: int | None) -> str | None:
    """How the device names the line's L3 interface (sub-interface / unit for a VLAN)."""
    from idcgen.vendors import get_driver

    return get_driver(vendor).interface_unit(base, vlan) if base else None


def find_line_interface(device: Device, address: IPv4Address, base: str | None,
                        vlan: int | None) -> Interface | None:
    """The interface holding `address`, else the one named like the site model says."""
    for iface in device.interfaces.values():
        if iface.has_address(address):
            return iface
    expected = expected_interface_name(device.vendor, base, vlan)
    if expected and expected in device.interfaces:
        return device.interfaces[expected]
    if base:
        for iface in device.interfaces.values():
            if iface.name.startswith(base + ".") and vlan is not None and iface.vlan == vlan:
                return iface
        if base in device.interfaces and not vlan:
            return device.interfaces[base]
    return None


def _ipsec_site_links(conn: Any, device: Device) -> list[CloudLink]:
    """One link per VPN-gateway public IP of a site IPsec connection (tunnel 1, 2).

    The link's interface is the device tunnel toward that gateway (by IPsec tunnel peer
    or tunnel destination), else the tunnel interface the site model names; for a
    policy-based connection with neither, the outside interface carrying the crypto map.
    """
    links: list[CloudLink] = []
    routing = conn.routing
    named = (routing.tunnel_interface, routing.second_tunnel_interface)
    for number, gateway in enumerate(conn.gateways, start=1):
        iface_name = _tunnel_interface_for(device, gateway)
        if iface_name is None:
            iface_name = _vendor_name(named[number - 1], device.vendor)
        if iface_name is None and routing.mode == "policy-based":
            iface_name = conn.outside_interface_for(device.vendor)
        local: IPv4Interface | None = None
        addresses = conn.tunnel_addresses(number) if routing.mode == "route-based" else None
        if addresses is not None:
            local = addresses[0]
        elif iface_name in device.interfaces and routing.mode == "route-based":
            addrs = device.interfaces[iface_name].addresses
            local = addrs[0] if addrs else None
        links.append(CloudLink(interface=iface_name, local_ip=local, peer_ip=gateway,
                               kind="ipsec", source="site",
                               name=f"{conn.name}-T{number}"))
    return links


def _vendor_name(value: str | dict[str, str] | None, vendor: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get(vendor)


def _tunnel_interface_for(device: Device, gateway: IPv4Address) -> str | None:
    for tunnel in device.ipsec.tunnels:
        if tunnel_peer_address(device, tunnel) == gateway and tunnel.tunnel_interface:
            return tunnel.tunnel_interface
    for iface in device.interfaces.values():
        if iface.tunnel_destination == gateway:
            return iface.name
    return None


def tunnel_peer_address(device: Device, tunnel: Any) -> IPv4Address | None:
    """The VPN gateway an IPsec tunnel talks to: its own peer address, else its peer's."""
    if tunnel.peer_address is not None:
        return tunnel.peer_address
    peer = device.ipsec.peers.get(tunnel.peer) if tunnel.peer else None
    return peer.address if peer else None


# --------------------------------------------------------------------------- inference
# Counter-evidence: what an Internet uplink looks like.
_INTERNET_WORDS = re.compile(
    r"(?<![a-z0-9])(internet|isp|dia|transit|upstream|broadband|pppoe|untrust(ed)?|"
    r"outside|public)(?![a-z0-9])", re.I)
_UNTRUST_ZONE = re.compile(r"untrust|internet|outside|public|isp|wan", re.I)
_ADDRESS_TEXT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")


def infer_links(device: Device) -> list[CloudLink]:
    """Links the config itself shows, each with `source="inferred: <why>"`."""
    return infer_links_detailed(device)[0]


def infer_links_detailed(device: Device) -> tuple[list[CloudLink], list[RejectedLink]]:
    """(accepted links, rejected candidates), weighing the evidence of each candidate.

    Strong evidence: a description naming Alibaba; the peer is the next hop of a
    health-check-like /32, or of a VPC route that a strong link carries too.
    Weak evidence: a route into 100.64.0.0/10 alone.
    Counter-evidence: the interface carries the default route, is the NAT outside or in
    an untrust-like zone, has an Internet-like description, or its peer is public.
    A candidate with weak evidence only and any counter-evidence is rejected.
    """
    found: dict[str, _Evidence] = {}
    routes = device.global_routes()
    children: dict[str, list[Interface]] | None = None

    for iface in device.interfaces.values():
        if iface.shutdown or not iface.description:
            continue
        if not _names_cloud(iface.description):
            continue
        if not (_p2p_address(iface) or iface.tunnel_destination) and children is None:
            children = _sub_interfaces(device)
        targets = [iface] if (_p2p_address(iface) or iface.tunnel_destination) else [
            sub for sub in (children or {}).get(iface.name, [])
            if not sub.description and not sub.shutdown and _p2p_address(sub)]
        for target in targets:
            why = f"description {iface.description.strip()!r}"
            _evidence(found, target).strong.append(why)

    # One pass over the routes (a border router has 10k+): the default routes, the /32s
    # (health-check return routes) and the routes into 100.64.0.0/10; prefix length and
    # address are read once per route, the cloud-services test inlined (_in_cloud_services).
    defaults: list[StaticRoute] = []
    hosts: list[StaticRoute] = []
    shift, bits, cs_len = _CLOUD_SERVICES_SHIFT, _CLOUD_SERVICES_BITS, CLOUD_SERVICES.prefixlen
    for route in routes:
        prefix = route.prefix
        plen = prefix.prefixlen
        if plen == 32:
            hosts.append(route)
        elif plen < cs_len:
            if plen == 0 and not route.discard:
                defaults.append(route)
            continue
        if route.discard or int(prefix.network_address) >> shift != bits:
            continue
        hop_if, peer = _p2p_next_hop(device, route)
        if hop_if is None:
            continue
        ev = _evidence(found, hop_if)
        if peer is not None:
            ev.peers.append(peer)
        ev.weak.append(f"route {route.prefix} via {peer or hop_if.name} (line {route.line})")

    _bgp_evidence(device, found)
    hops = _HopsBySubnet(routes)
    tunnel_ifaces = {t.tunnel_interface for t in device.ipsec.tunnels if t.tunnel_interface}
    candidates = [(ev, ev.link(device, hops, tunnel_ifaces)) for ev in found.values()]
    peers = {int(lk.peer_ip) for _, lk in candidates if lk.peer_ip is not None}
    via = _routes_by_next_hop(hosts, peers)  # the /32s by next hop
    _weigh(candidates, via, routes, peers, defaults, device)
    links: list[CloudLink] = []
    rejected: list[RejectedLink] = []
    for ev, link in candidates:
        if ev.strong or not ev.counter:
            links.append(_replaced(link, evidence=tuple(ev.strong + ev.weak)))
        else:
            rejected.append(RejectedLink(interface=link.interface or ev.iface.name,
                                         local_ip=link.local_ip, peer_ip=link.peer_ip,
                                         evidence=tuple(ev.weak),
                                         counter_evidence=tuple(ev.counter)))
    links = _with_health_check_sources(links, hosts, via)
    links = _with_learned_sources(links, device)
    links = _with_bgp_sources(links, device)
    links.extend(_ipsec_links(device, {link.interface for link in links},
                              alibaba_elsewhere=any(lk.kind == "leased-line" for lk in links)))
    return links, rejected


BGP_P2P_MIN_PREFIXLEN = 30  # a VBR interconnect: /30 or /31


def _bgp_evidence(device: Device, found: dict[str, _Evidence]) -> None:
    """Strong evidence: an enabled BGP neighbor in AS 45104 across a /30-/31 subnet."""
    for neighbor in device.bgp_neighbors:
        if neighbor.remote_as != ALIBABA_ASN or not neighbor.enabled:
            continue
        iface = device.interface_for_next_hop(neighbor.address)
        if iface is None or iface.shutdown or iface.has_address(neighbor.address):
            continue
        addr = next(a for a in iface.addresses if neighbor.address in a.network)
        if addr.network.prefixlen < BGP_P2P_MIN_PREFIXLEN:
            continue
        ev = _evidence(found, iface)
        ev.peers.insert(0, neighbor.address)
        ev.strong.append(f"BGP neighbor {neighbor.address} in AS {ALIBABA_ASN} "
                         f"(line {neighbor.line})")


def _with_bgp_sources(links: list[CloudLink], device: Device) -> list[CloudLink]:
    """A leased line still without a health-check source, whose VBR is a BGP neighbor:
    the one health-check-like /32 that neighbor's import filters permit, if only one
    (and no other link has it)."""
    if device.bgp is None or not any(lk.kind == "leased-line" and lk.health_check_source
                                     is None for lk in links):
        return links
    from idcgen.bgp import named_prefixes, vbr_sessions

    taken = {lk.health_check_source for lk in links if lk.health_check_source is not None}
    named: dict[int, list[IPv4Address]] = {}
    for link, neighbor in vbr_sessions(device, links):
        if link.health_check_source is None:
            hosts = [p.network_address for p in named_prefixes(device.bgp, neighbor)
                     if p.prefixlen == 32 and _health_check_like(p)]
            named[id(link)] = [h for h in hosts if h not in taken]
    out: list[CloudLink] = []
    for link in links:
        hosts = named.get(id(link), [])
        if len(hosts) == 1 and hosts[0] not in taken:
            taken.add(hosts[0])
            why = f"health-check source {hosts[0]} permitted by its BGP import filter"
            link = replace(link, health_check_source=hosts[0],
                           source=f"{link.source}; {why}", evidence=(*link.evidence, why))
        out.append(link)
    return out


def _routes_by_next_hop(routes: list[StaticRoute], peers: set[int] | None = None
                        ) -> dict[int, list[StaticRoute]]:
    """Routes by next hop (an integer); only those via `peers` when given (candidates
    are few, routes many: a dict of every next hop would cost more than the lookup)."""
    via: dict[int, list[StaticRoute]] = {}
    for r in routes:
        hop = r.next_hop
        if hop is not None:
            key = int(hop)
            if peers is None or key in peers:
                via.setdefault(key, []).append(r)
    return via


def _weigh(candidates: list[tuple[_Evidence, CloudLink]], host_via: dict[int, list[StaticRoute]],
           routes: list[StaticRoute], peers: set[int], defaults: list[StaticRoute],
           device: Device) -> None:
    """Add strong evidence (health-check /32s, VPC routes shared with strong links) and
    counter-evidence to each candidate; every lookup is by next hop (indexed).
    `host_via`: the /32 routes by next hop; the other routes via the candidates' peers
    are indexed only when a candidate still lacks strong evidence and another has it."""
    for ev, link in candidates:
        if link.peer_ip is None:
            continue
        for r in host_via.get(int(link.peer_ip), []):
            if not r.discard and _health_check_like(r.prefix):
                ev.strong.append(f"next hop of health-check /32 {r.prefix.network_address} "
                                 f"(line {r.line})")
                break
    strong_prefixes: dict[tuple[int, int], str] = {}  # by (first address, length)
    via: dict[int, list[StaticRoute]] = {}
    if any(not ev.strong for ev, _ in candidates) and any(
            ev.strong and link.peer_ip is not None for ev, link in candidates):
        via = _routes_by_next_hop(routes, peers)
    for ev, link in candidates:
        if ev.strong and link.peer_ip is not None:
            for r in via.get(address_int(link.peer_ip), []):
                if _vpc_like(r.prefix):
                    strong_prefixes.setdefault(network_parts(r.prefix), ev.iface.name)
    default_ifaces: dict[str, StaticRoute] = {}
    for r in defaults:
        iface = device.interface_for_next_hop(r.next_hop) if r.next_hop is not None else \
            device.interfaces.get(r.interface or "")
        if iface is not None:
            default_ifaces.setdefault(iface.name, r)
    for ev, link in candidates:
        if not ev.strong and link.peer_ip is not None:
            for r in via.get(address_int(link.peer_ip), []):
                other = strong_prefixes.get(network_parts(r.prefix))
                if other is not None and other != ev.iface.name:
                    ev.strong.append(f"VPC route {r.prefix} shared with {other} "
                                     f"(line {r.line})")
                    break
        iface = ev.iface
        if iface.name in default_ifaces:
            ev.counter.append(f"it carries the default route (line "
                              f"{default_ifaces[iface.name].line})")
        if iface.nat_outside:
            ev.counter.append("it is the NAT outside interface")
        if iface.zone and _UNTRUST_ZONE.search(iface.zone):
            ev.counter.append(f"it is in zone {iface.zone!r}")
        if iface.description and _INTERNET_WORDS.search(iface.description):
            ev.counter.append(f"its description {iface.description.strip()!r} names the "
                              f"Internet")
        if link.peer_ip is not None and address_is_global(link.peer_ip):
            ev.counter.append(f"its peer {link.peer_ip} is a public address")


def _vpc_like(prefix: IPv4Network) -> bool:
    """A private prefix between /8 and /31 (a VPC CIDR or part of one)."""
    return 8 <= prefix.prefixlen < 32 and network_is_private(prefix) \
        and not _in_cloud_services(prefix)


class _Evidence:
    def __init__(self, iface: Interface):
        self.iface = iface
        self.strong: list[str] = []
        self.weak: list[str] = []
        self.counter: list[str] = []
        self.peers: list[IPv4Address] = []

    def link(self, device: Device, hops: _HopsBySubnet,
             tunnel_ifaces: set[str] | None = None) -> CloudLink:
        local = _p2p_address(self.iface)
        if self.iface.tunnel_destination is not None and local is None:
            local = self.iface.addresses[0] if self.iface.addresses else None
        peer = self.peers[0] if self.peers else _peer_from_subnet(local, hops)
        tunnel = self.iface.tunnel_destination is not None or \
            self.iface.name in (tunnel_ifaces or ())
        kind: Literal["leased-line", "ipsec"] = "ipsec" if tunnel else "leased-line"
        if kind == "ipsec" and peer is None:
            peer = self.iface.tunnel_destination
        reasons = self.strong + self.weak
        return CloudLink(interface=self.iface.name, local_ip=local, peer_ip=peer, kind=kind,
                         source="inferred: " + "; ".join(dict.fromkeys(reasons)))


def _evidence(found: dict[str, _Evidence], iface: Interface) -> _Evidence:
    if iface.name not in found:
        found[iface.name] = _Evidence(iface)
    return found[iface.name]


def _p2p_address(iface: Interface) -> IPv4Interface | None:
    for addr in iface.addresses:
        if addr.network.prefixlen >= P2P_MIN_PREFIXLEN and addr.network.prefixlen < 32:
            return addr
    return None


def _p2p_next_hop(device: Device, route: StaticRoute
                  ) -> tuple[Interface | None, IPv4Address | None]:
    """The p2p interface a route leaves by, and its next hop (None for a tunnel route)."""
    if route.next_hop is not None:
        iface = device.interface_for_next_hop(route.next_hop)
        if iface is None or iface.shutdown or iface.has_address(route.next_hop):
            return None, None
        addr = next(a for a in iface.addresses if route.next_hop in a.network)
        if addr.network.prefixlen >= P2P_MIN_PREFIXLEN:
            return iface, route.next_hop
        return None, None
    if route.interface and route.interface in device.interfaces:
        iface = device.interfaces[route.interface]
        if iface.tunnel_destination is not None and not iface.shutdown:
            return iface, None
    return None, None


def _sub_interfaces(device: Device) -> dict[str, list[Interface]]:
    """Interfaces by every dotted prefix of their name (`ge-0/0/1.100` under `ge-0/0/1`),
    in device order: the sub-interfaces of a described parent without a scan per parent."""
    out: dict[str, list[Interface]] = {}
    for iface in device.interfaces.values():
        name = iface.name
        dot = name.find(".")
        while dot >= 0:
            out.setdefault(name[:dot], []).append(iface)
            dot = name.find(".", dot + 1)
    return out


class _HopsBySubnet:
    """Route next hops grouped by the subnet of a given length that holds them, in route
    order; one pass over the routes per prefix length asked for (links have few)."""

    def __init__(self, routes: Iterable[StaticRoute]):
        self.routes = routes
        self._by_len: dict[int, dict[int, list[IPv4Address]]] = {}

    def in_subnet(self, net: IPv4Network) -> list[IPv4Address]:
        table = self._by_len.get(net.prefixlen)
        if table is None:
            netmask = int(net.netmask)
            table = self._by_len[net.prefixlen] = {}
            for r in self.routes:
                if r.next_hop is not None:
                    table.setdefault(int(r.next_hop) & netmask, []).append(r.next_hop)
        return table.get(int(net.network_address), [])


def _peer_from_subnet(local: IPv4Interface | None, hops_by_subnet: _HopsBySubnet
                      ) -> IPv4Address | None:
    """The far end of a p2p subnet: a route's next hop in it, else the only other host."""
    if local is None:
        return None
    net = local.network
    own = local.ip
    hops = [hop for hop in hops_by_subnet.in_subnet(net) if hop != own]
    if hops:
        return max(set(hops), key=hops.count)
    if net.prefixlen == 31:
        return next(a for a in (net.network_address, net.broadcast_address) if a != local.ip)
    if net.prefixlen == 30:
        return next(a for a in net.hosts() if a != local.ip)
    return None


def _with_health_check_sources(links: list[CloudLink], host_routes: list[StaticRoute],
                               via: dict[int, list[StaticRoute]]) -> list[CloudLink]:
    """Give each link the destination of the active /32 route via its peer, if there is
    exactly one such /32 (several: the source is ambiguous, so none is assumed).
    `host_routes`: every /32 route; `via`: those via the links' peers, by next hop."""
    best: dict[IPv4Network, int] = {}
    for r in host_routes:
        best[r.prefix] = min(best.get(r.prefix, r.preference), r.preference)
    out: list[CloudLink] = []
    for link in links:
        candidates = via.get(int(link.peer_ip), []) if link.peer_ip is not None else []
        hosts = sorted({r.prefix.network_address for r in candidates
                        if r.preference == best[r.prefix]
                        and not r.discard and _health_check_like(r.prefix)})
        if len(hosts) == 1:
            why = f"health-check source {hosts[0]} from its /32 route"
            link = replace(link, health_check_source=hosts[0],
                           source=f"{link.source}; {why}", evidence=(*link.evidence, why))
        out.append(link)
    return out


def _replaced(link: CloudLink, **changes: Any) -> CloudLink:
    """`dataclasses.replace(link, **changes)` without its per-call look at the fields
    (inference replaces each link once or twice: 10k+ links on a big config). CloudLink
    has no `__post_init__` and no init-only fields, so a copy of its attributes is what
    `replace` builds."""
    assert changes.keys() <= link.__dict__.keys()
    new = object.__new__(CloudLink)
    new.__dict__.update(link.__dict__, **changes)
    return new


def _with_learned_sources(links: list[CloudLink], device: Device) -> list[CloudLink]:
    """For leased lines still without a health-check source: a host that an entry of the
    line's inbound ACL / filter, a control-plane classifier ACL or a control-plane stage
    permits ICMP from, to exactly this line's address, else one
    address the line's interface description names (not the line's own subnet). Only a
    source no other link has is taken; ambiguity leaves the link without one."""
    wanted = {int(lk.local_ip.ip): lk for lk in links if lk.kind == "leased-line"
              and lk.health_check_source is None and lk.local_ip is not None}
    if not wanted:
        return links
    taken = {lk.health_check_source for lk in links if lk.health_check_source is not None}
    learned: dict[int, set[IPv4Address]] = {}
    where: dict[int, tuple[str, int]] = {}  # -> (filter / policy name, line)

    def consider(match: Any, name: str, line: int) -> None:
        for dst in match.destinations:
            if dst.prefixlen != 32 or int(dst.network_address) not in wanted:
                continue
            key = int(dst.network_address)
            for src in match.sources:
                if src.prefixlen == 32 and _health_check_like(src):
                    learned.setdefault(key, set()).add(src.network_address)
                    where.setdefault(key, (name, line))

    # Only the filters on the probes' path: the inbound ACL / filter of the lines still
    # without a source and the control plane's classifiers (a border router has hundreds
    # of ACLs elsewhere, 10k+ entries, that say nothing about the probes).
    on_path = {stage.acl for policy in device.control_plane for stage in policy.stages
               if stage.acl}
    for link in wanted.values():
        iface = device.interfaces.get(link.interface or "")
        if iface is not None and iface.inbound_filter:
            on_path.add(iface.inbound_filter)
    for flt in device.filters.values():
        if flt.name not in on_path:
            continue
        for entry in flt.entries:
            match = entry.match
            protocols = match.protocols
            if (protocols is None or "icmp" in protocols) and entry.action == "permit" \
                    and match.destinations and match.sources:
                consider(match, flt.name, entry.line)
    for policy in device.control_plane:
        for stage in policy.stages:
            stage_match = stage.match
            if stage.treatment == "drop" or stage_match is None \
                    or not stage_match.destinations or not stage_match.sources:
                continue
            if stage_match.protocols is None or "icmp" in stage_match.protocols:
                consider(stage_match, policy.name, stage.line)
    out: list[CloudLink] = []
    for link in links:
        key = int(link.local_ip.ip) if link.local_ip is not None else -1
        if key in wanted:
            hosts = learned.get(key, set()) - taken
            why = ""
            if len(hosts) == 1:
                name, line = where[key]
                why = f"health-check source {next(iter(hosts))} from ICMP permitted in " \
                      f"{name} (line {line})"
            else:
                hosts = _described_sources(device, link) - taken
                if len(hosts) == 1:
                    why = f"health-check source {next(iter(hosts))} named in its description"
            if why:
                src = next(iter(hosts))
                taken.add(src)
                link = replace(link, health_check_source=src, source=f"{link.source}; {why}",
                               evidence=(*link.evidence, why))
        out.append(link)
    return out


def _described_sources(device: Device, link: CloudLink) -> set[IPv4Address]:
    iface = device.interfaces.get(link.interface or "")
    if iface is None or not iface.description:
        return set()
    out: set[IPv4Address] = set()
    for text in _ADDRESS_TEXT.findall(iface.description):
        try:
            addr = IPv4Address(text)
        except ValueError:
            continue
        if link.local_ip is not None and addr in link.local_ip.network:
            continue
        if addr != link.peer_ip and _health_check_like(IPv4Network(f"{addr}/32")) \
                and (addr.is_private or addr in HEALTH_CHECK_LIKE):
            out.add(addr)
    return out


def _health_check_like(prefix: IPv4Network) -> bool:
    """A /32 that can be a probe source: a VPC address, or the 100.96.0.0/16 system range
    (not the in-VPC service addresses such as DNS 100.100.2.136, which are also /32s)."""
    return not _in_cloud_services(prefix) or prefix.subnet_of(HEALTH_CHECK_LIKE)


def _in_cloud_services(prefix: IPv4Network) -> bool:
    """`prefix.subnet_of(CLOUD_SERVICES)` on integers, address bits first (most routes
    fail there): subnet_of computes and caches a broadcast address per network, which
    dominated inference on configs with 10k+ routes."""
    return int(prefix.network_address) >> _CLOUD_SERVICES_SHIFT == _CLOUD_SERVICES_BITS \
        and prefix.prefixlen >= CLOUD_SERVICES.prefixlen


def _names_cloud(text: str) -> bool:
    """`_CLOUD_WORDS.search(text)`, skipped for ASCII text holding none of its words'
    letters in a row (most descriptions of a big config: a substring test is several
    times cheaper than the regex)."""
    if text.isascii():
        low = text.lower()
        if not ("ali" in low or "vbr" in low or "cen" in low or "express" in low):
            return False
    return _CLOUD_WORDS.search(text) is not None


def _names_alibaba(device: Device, tunnel: Any) -> str | None:
    """The tunnel's own name, peer name or tunnel-interface description naming Alibaba."""
    iface = device.interfaces.get(tunnel.tunnel_interface or "")
    for text in (tunnel.name, tunnel.peer, iface.description if iface else None):
        if text and _CLOUD_WORDS.search(text.replace("_", " ").replace("-", " ")):
            return text
    return None


def _ipsec_links(device: Device, taken: set[str | None], *,
                 alibaba_elsewhere: bool) -> list[CloudLink]:
    links: list[CloudLink] = []
    seen: set[tuple[IPv4Address | None, str | None]] = set()
    for tunnel in device.ipsec.tunnels:
        peer = tunnel_peer_address(device, tunnel)
        iface_name = tunnel.tunnel_interface
        if peer is None and iface_name is None:
            continue
        named = _names_alibaba(device, tunnel)
        if named is None and not alibaba_elsewhere:
            continue
        if (peer, iface_name) in seen or (iface_name is not None and iface_name in taken):
            continue
        seen.add((peer, iface_name))
        iface = device.interfaces.get(iface_name) if iface_name else None
        local = iface.addresses[0] if iface and iface.addresses else None
        why = f"IPsec peer {peer}" if peer else "IPsec tunnel"
        why += f" ({tunnel.name}, line {tunnel.line})"
        why += f", named {named!r}" if named else ", on a device with a leased line to Alibaba"
        links.append(CloudLink(interface=iface_name, local_ip=local, peer_ip=peer,
                               kind="ipsec", source=f"inferred: {why}"))
    return links
