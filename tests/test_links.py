"""Cloud-facing links from the site model, and inferred from the config."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from idcgen.devicemodel import Device, Interface, IpsecPeer, IpsecTunnel, StaticRoute
from idcgen.links import infer_links, links_from_site

A = IPv4Address


def _site(**extra: object):
    from idcgen.sitemodel import Site

    data: dict = {"site": "dc1", "hostname": "r1", "lines": [
        {"name": "line-a", "interface": {"cisco_ios": "Gi0/0/1", "junos": "ge-0/0/1"},
         "vlan": 100, "local_ip": "10.10.10.2/30", "vbr_ip": "10.10.10.1",
         "health_check_source": "192.168.10.1"}]}
    data.update(extra)
    return Site.model_validate(data)


def test_site_line_matched_by_address() -> None:
    dev = Device("cisco_ios", interfaces={
        "Gi0/0/9.7": Interface("Gi0/0/9.7", 3, [IPv4Interface("10.10.10.2/30")])})
    [link] = links_from_site(_site(), dev)
    assert (link.interface, link.peer_ip, link.health_check_source, link.name, link.source) == (
        "Gi0/0/9.7", A("10.10.10.1"), A("192.168.10.1"), "line-a", "site")


def test_site_line_matched_by_name_and_vlan_or_expected_name() -> None:
    dev = Device("junos", interfaces={
        "ge-0/0/1.100": Interface("ge-0/0/1.100", 3, [IPv4Interface("10.9.9.2/30")], vlan=100)})
    assert links_from_site(_site(), dev)[0].interface == "ge-0/0/1.100"
    assert links_from_site(_site(), Device("junos"))[0].interface == "ge-0/0/1.100"
    assert links_from_site(_site(), Device("huawei_vrp"))[0].interface is None


def test_site_ipsec_connection_gives_one_link_per_gateway() -> None:
    site = _site(lines=[], ipsec=[{
        "name": "vpc1", "gateway_ip": "5.5.5.5", "second_gateway_ip": "5.5.5.6",
        "customer_gateway_ip": "1.1.1.1", "outside_interface": "Gi0/0/0",
        "local_networks": ["10.10.10.0/24"], "cloud_networks": ["172.16.0.0/16"],
        "psk": {"env": "PSK"},
        "routing": {"tunnel_interface": "Tunnel1", "tunnel_cidr": "169.254.10.0/30",
                    "second_tunnel_interface": "Tunnel2",
                    "second_tunnel_cidr": "169.254.20.0/30"}}])
    links = links_from_site(site, Device("cisco_ios"))
    assert [(lk.interface, lk.peer_ip, lk.kind, lk.name) for lk in links] == [
        ("Tunnel1", A("5.5.5.5"), "ipsec", "vpc1-T1"),
        ("Tunnel2", A("5.5.5.6"), "ipsec", "vpc1-T2")]
    assert links[0].local_ip == IPv4Interface("169.254.10.2/30")


def test_inferred_from_subinterface_of_described_parent() -> None:
    dev = Device("cisco_ios", interfaces={
        "Gi0/0/1": Interface("Gi0/0/1", 1, description="To ALIBABA VBR"),
        "Gi0/0/1.100": Interface("Gi0/0/1.100", 4, [IPv4Interface("10.10.10.2/31")], vlan=100)})
    [link] = infer_links(dev)
    assert link.interface == "Gi0/0/1.100" and link.peer_ip == A("10.10.10.3")


def test_lan_description_is_not_a_link() -> None:
    dev = Device("cisco_ios", interfaces={
        "Vlan10": Interface("Vlan10", 1, [IPv4Interface("10.1.1.1/24")],
                            description="Aliyun app servers")})
    assert infer_links(dev) == []


def test_shutdown_interface_is_not_a_link() -> None:
    dev = Device("cisco_ios", interfaces={
        "Gi1": Interface("Gi1", 1, [IPv4Interface("10.10.10.2/30")], description="Aliyun",
                         shutdown=True)})
    assert infer_links(dev) == []


def test_health_check_like_32_in_100_96_is_evidence_and_source() -> None:
    dev = Device("huawei_vrp", interfaces={
        "GE0/0/1": Interface("GE0/0/1", 1, [IPv4Interface("10.10.10.2/30")])},
        static_routes=[StaticRoute(IPv4Network("100.96.0.7/32"), A("10.10.10.1"), line=9)])
    [link] = infer_links(dev)
    assert link.health_check_source == A("100.96.0.7")
    assert link.source.startswith("inferred: route 100.96.0.7/32 via 10.10.10.1 (line 9)")


def test_ipsec_tunnel_named_for_alibaba_is_an_inferred_link() -> None:
    dev = Device("cisco_ios")
    dev.ipsec.peers["GW"] = IpsecPeer("GW", A("47.0.0.161"))
    dev.ipsec.tunnels.append(IpsecTunnel("CM-ALIYUN 10", peer="GW", line=7))
    [link] = infer_links(dev)
    assert (link.kind, link.peer_ip, link.source) == (
        "ipsec", A("47.0.0.161"),
        "inferred: IPsec peer 47.0.0.161 (CM-ALIYUN 10, line 7), named 'CM-ALIYUN 10'")


def test_lone_ipsec_tunnel_without_alibaba_evidence_is_not_a_link() -> None:
    # it may lead to AWS or a branch office: Alibaba's rules must not judge it
    dev = Device("cisco_ios")
    dev.ipsec.peers["GW"] = IpsecPeer("GW", A("52.1.2.3"))
    dev.ipsec.tunnels.append(IpsecTunnel("CM 10", peer="GW", line=7))
    assert infer_links(dev) == []


def test_ipsec_tunnel_beside_a_leased_line_is_its_backup_link() -> None:
    dev = Device("cisco_ios", interfaces={
        "Gi1": Interface("Gi1", 1, [IPv4Interface("10.10.10.2/30")], description="Aliyun VBR")})
    dev.ipsec.peers["GW"] = IpsecPeer("GW", A("47.0.0.161"))
    dev.ipsec.tunnels.append(IpsecTunnel("CM 10", peer="GW", line=7))
    line, vpn = infer_links(dev)
    assert (line.kind, line.peer_ip) == ("leased-line", A("10.10.10.1"))
    assert (vpn.kind, vpn.peer_ip) == ("ipsec", A("47.0.0.161"))
    assert vpn.source.endswith("on a device with a leased line to Alibaba")
