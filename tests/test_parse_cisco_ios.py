"""Cisco IOS / IOS-XE parser: every object with its exact line, and the semantics the
rules rely on (route defaults, first-match ACLs, CoPP order, applied or not, keys)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from idcgen.devicemodel import Device, PacketMatch
from idcgen.vendors.cisco_ios.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "parse" / "cisco_ios"


def _parse(name: str) -> Device:
    return parse((FIXTURES / name).read_text(), name)


@pytest.fixture(scope="module")
def edge() -> Device:
    return _parse("edge.cfg")


@pytest.fixture(scope="module")
def copp() -> Device:
    return _parse("copp.cfg")


@pytest.fixture(scope="module")
def vpn() -> Device:
    return _parse("ipsec.cfg")


def ip(text: str) -> IPv4Address:
    return IPv4Address(text)


# --------------------------------------------------------------------------- basics
def test_device_header(edge: Device) -> None:
    assert edge.vendor == "cisco_ios"
    assert edge.path == "edge.cfg"
    assert edge.hostname == "EDGE-1"
    assert edge.line_count == 45
    assert edge.undefined_filter_action == "permit"


# --------------------------------------------------------------------------- interfaces
def test_interfaces(edge: Device) -> None:
    gi1 = edge.interfaces["GigabitEthernet0/0/1"]
    assert gi1.line == 8
    assert gi1.description == "ALIYUN-VBR-LINE1"
    assert gi1.addresses == [IPv4Interface("10.10.10.2/30"), IPv4Interface("10.20.20.1/24")]
    assert (gi1.inbound_filter, gi1.inbound_filter_line) == ("ACL-VBR-IN", 12)  # `out` ignored
    assert not gi1.shutdown

    sub = edge.interfaces["GigabitEthernet0/0/2.100"]
    assert (sub.line, sub.vlan, sub.shutdown) == (15, 100, True)
    assert (sub.inbound_filter, sub.inbound_filter_line) == ("110", 18)

    tunnel = edge.interfaces["Tunnel10"]
    assert tunnel.tunnel_destination == ip("47.0.0.161")
    assert edge.interface_for_next_hop(ip("10.10.10.1")) is gi1


# --------------------------------------------------------------------------- routes
def test_static_routes(edge: Device) -> None:
    routes = {r.line: r for r in edge.static_routes}
    assert sorted(routes) == [28, 29, 30, 31, 32]

    svc = routes[28]
    assert svc.prefix == IPv4Network("100.64.0.0/10")
    assert (svc.next_hop, svc.interface, svc.preference, svc.name) == \
        (ip("10.10.10.1"), None, 1, "ALIYUN-SVC-LINE1")

    backup = routes[29]
    assert backup.prefix == IPv4Network("172.16.0.0/12")
    assert (backup.preference, backup.name, backup.tag) == (200, "ALIYUN-VPC-BACKUP", 100)

    null = routes[30]
    assert null.discard and null.interface == "Null0" and null.next_hop is None

    default = routes[31]
    assert (default.interface, default.next_hop, default.preference) == \
        ("GigabitEthernet0/0/1", ip("10.10.10.1"), 1)

    assert routes[32].vrf == "MGMT"
    assert [r.line for r in edge.global_routes()] == [28, 29, 30, 31]


def test_route_options_and_odd_routes() -> None:
    device = parse("ip route 10.0.0.0 255.0.0.0 192.0.2.1 reachability-oddity\n"
                   "ip route 0.0.0.0 0.0.0.0 dhcp\n"
                   "ip route 10.1.0.0 255.255.0.0 192.0.2.2 250 tag 7 name X permanent\n")
    assert [r.line for r in device.static_routes] == [1, 3]
    assert device.static_routes[1].preference == 250
    assert device.static_routes[1].tag == 7
    assert [(u.topic, u.line) for u in device.unparsed] == [("routes", 1), ("routes", 2)]


# --------------------------------------------------------------------------- ACLs
def test_named_acl_entries_and_lines(edge: Device) -> None:
    acl = edge.filters["ACL-VBR-IN"]
    assert acl.line == 34
    assert acl.default_action == "deny"  # Cisco implicit deny
    # remark ignored; `fragments` entry (line 39) never matches a ping: left out
    assert [(e.name, e.action, e.line) for e in acl.entries] == [
        ("10", "permit", 36), ("20", "deny", 37), ("30", "permit", 38), ("50", "permit", 40)]
    first = acl.entries[0].match
    assert first == PacketMatch(protocols={"icmp"}, sources=[IPv4Network("192.168.10.1/32")],
                                destinations=[IPv4Network("10.10.10.2/32")],
                                icmp_types={"echo"})


def test_acl_first_match(edge: Device) -> None:
    acl = edge.filters["ACL-VBR-IN"]
    me = ip("10.10.10.2")
    action, entry = acl.evaluate(ip("192.168.10.1"), me, "icmp", "echo")
    assert (action, entry.line) == ("permit", 36)
    action, entry = acl.evaluate(ip("192.168.20.1"), me, "icmp", "echo")
    assert (action, entry.line) == ("deny", 37)
    action, entry = acl.evaluate(ip("10.10.10.1"), me, "tcp")
    assert (action, entry.line) == ("permit", 38)
    action, entry = acl.evaluate(ip("172.16.0.1"), me, "udp")
    assert (action, entry) == ("deny", None)  # implicit deny


def test_non_contiguous_wildcard_is_widened_and_reported(edge: Device) -> None:
    entry = edge.filters["ACL-VBR-IN"].entries[-1]
    assert entry.match.sources == [IPv4Network("10.0.0.0/8")]
    notes = [u for u in edge.unparsed if u.line == 40]
    assert notes and notes[0].topic == "filters" and "wildcard" in notes[0].reason


def test_numbered_acls(edge: Device) -> None:
    extended = edge.filters["110"]
    assert [(e.action, e.line) for e in extended.entries] == [("permit", 42), ("deny", 43)]
    assert extended.entries[0].match.icmp_types == {"echo"}  # `8`
    standard = edge.filters["10"]
    assert standard.line == 44
    assert [e.match.sources for e in standard.entries] == [
        [IPv4Network("192.168.10.1/32")], [IPv4Network("10.1.0.0/16")]]
    assert standard.entries[0].match.destinations is None


def test_object_groups_are_unparsed() -> None:
    device = parse("ip access-list extended A\n"
                   " permit ip object-group NETS any\n"
                   " permit object-group SVC any any\n"
                   " permit icmp any any\n")
    assert [e.line for e in device.filters["A"].entries] == [4]
    assert [(u.topic, u.line) for u in device.unparsed] == [("filters", 2), ("filters", 3)]


# --------------------------------------------------------------------------- CoPP
def test_copp_classes_in_order(copp: Device) -> None:
    applied = copp.applied_control_plane()
    assert [p.name for p in applied] == ["PM-COPP"]
    policy = applied[0]
    assert (policy.kind, policy.line, policy.applied_line) == ("copp", 25, 53)
    stages = [(s.name, s.treatment, s.line, s.acl, s.rate_bps, s.rate_pps)
              for s in policy.stages]
    assert stages == [
        ("CM-COPP-ALIYUN-HC", "exempt", 26, "ACL-COPP-ALIYUN-HC", 1000000, None),
        ("CM-COPP-ICMP", "police", 28, "ACL-COPP-ICMP", 64000, None),
        # match-any of three criteria: one stage each, same treatment and line
        ("CM-COPP-MGMT", "police", 30, "ACL-COPP-MGMT", None, 100),
        ("CM-COPP-MGMT", "police", 30, None, None, 100),
        ("CM-COPP-MGMT", "police", 30, "199", None, 100),
        # CM-COPP-ROUTING (match-all of two protocols) can never match: no stage;
        # CM-DSCP matches on DSCP only (not modelled): reported, no stage
        ("class-default", "police", 37, None, 32000, None),
    ]
    assert policy.stages[3].match == PacketMatch(protocols={"ssh"})
    assert policy.stages[4].negate_acl
    assert policy.stages[-1].match == PacketMatch()
    assert [(u.topic, u.line) for u in copp.unparsed] == [("control-plane", 23)]


def test_copp_probe_takes_first_matching_class(copp: Device) -> None:
    policy = copp.applied_control_plane()[0]
    me, hc, other = ip("10.10.10.2"), ip("192.168.10.1"), ip("198.51.100.1")

    def first(src: IPv4Address) -> str:
        return next(s.name for s in policy.stages
                    if s.classifies(copp.filters, src, me, "icmp", "echo"))

    assert first(hc) == "CM-COPP-ALIYUN-HC"
    assert first(other) == "CM-COPP-ICMP"


def test_copp_policies_not_applied(copp: Device) -> None:
    policies = {p.name: p for p in copp.control_plane}
    assert "PM-QOS" not in policies  # a QoS policy-map without police/drop is not CoPP
    old = policies["PM-COPP-OLD"]  # defined, never attached
    assert not old.applied and old.stages[0].treatment == "drop"
    out = policies["PM-COPP-OUT"]  # attached in the output direction only
    assert not out.applied and out.applied_line == 0


def test_flat_config_without_indentation() -> None:
    device = _parse("flat.cfg")
    iface = device.interfaces["GigabitEthernet0/1"]
    assert iface.addresses == [IPv4Interface("10.10.10.2/30")]
    assert (iface.inbound_filter, iface.inbound_filter_line) == ("ACL-IN", 7)
    assert [e.line for e in device.filters["ACL-IN"].entries] == [10, 11]
    policy = device.applied_control_plane()[0]
    assert [(s.name, s.treatment, s.rate_bps) for s in policy.stages] == \
        [("class-default", "police", 8000)]
    assert policy.applied_line == 20
    assert [r.line for r in device.static_routes] == [22]


# --------------------------------------------------------------------------- IPsec
def test_isakmp_policies(vpn: Device) -> None:
    ike = vpn.ipsec.ike_proposals
    assert (ike["10"].encryption, ike["10"].integrity, ike["10"].dh_groups) == \
        (["aes256"], ["sha1"], [14])  # `hash sha` is sha1
    assert ike["10"].lifetime_s == 86400  # not printed: IOS default
    assert (ike["10"].version, ike["10"].line) == (1, 3)
    assert (ike["20"].encryption, ike["20"].integrity, ike["20"].lifetime_s) == \
        (["3des"], ["md5"], 28800)


def test_ikev2_proposal(vpn: Device) -> None:
    proposal = vpn.ipsec.ike_proposals["PROP-ALIYUN"]
    assert (proposal.encryption, proposal.integrity, proposal.dh_groups) == \
        (["aes", "aes256"], ["sha256"], [14])
    assert (proposal.version, proposal.line) == (2, 40)


def test_transform_sets(vpn: Device) -> None:
    sets = vpn.ipsec.ipsec_proposals
    assert (sets["TS-ALIYUN"].encryption, sets["TS-ALIYUN"].integrity) == (["aes"], ["sha1"])
    assert (sets["TS-STRONG"].encryption, sets["TS-STRONG"].integrity) == \
        (["aes256"], ["sha256"])
    assert (sets["TS-STRONG"].mode, sets["TS-STRONG"].protocol, sets["TS-STRONG"].line) == \
        ("tunnel", "esp", 20)


def test_key_forms(vpn: Device) -> None:
    peers = vpn.ipsec.peers
    assert (peers["47.0.0.161"].psk_cleartext, peers["47.0.0.161"].psk_line) == (True, 13)
    assert (peers["47.0.0.162"].psk_cleartext, peers["47.0.0.162"].psk_line) == (False, 14)
    assert peers["47.0.0.163"].psk_cleartext  # no type number: typed in clear
    assert all(p.psk_present for p in peers.values())
    assert not peers["ALIYUN-T1"].psk_cleartext  # keyring `pre-shared-key 6`
    assert peers["ALIYUN-T2"].psk_cleartext  # local/remote keys in clear


def test_keys_are_never_stored(vpn: Device) -> None:
    text = repr(vpn)
    for secret in ("Cle4rT3xtSecret", "FLgBaJHXdYY_AcHZZMgQ_RhTDJXHUBAAB", "NoTypeSecret",
                   "KeyringType6Cipher", "Ikev2LocalSecret", "Ikev2RemoteSecret"):
        assert secret not in text


def test_broken_key_lines_do_not_leak() -> None:
    device = parse("crypto isakmp key 0 SuperSecret99\n"
                   "crypto isakmp key 6 SuperSecret98 address\n")
    assert "SuperSecret" not in repr(device)


def test_peers(vpn: Device) -> None:
    v1 = vpn.ipsec.peers["47.0.0.161"]
    assert (v1.address, v1.ike_version, v1.ike_mode, v1.line) == \
        (ip("47.0.0.161"), 1, "main", 13)
    assert v1.ike_proposals == ["10", "20"]
    assert v1.dpd  # crypto isakmp keepalive
    v2 = vpn.ipsec.peers["ALIYUN-T1"]
    assert (v2.address, v2.ike_version, v2.line) == (ip("47.0.0.171"), 2, 47)
    assert v2.ike_proposals == ["PROP-ALIYUN"]
    assert v2.local_identity == "address 203.0.113.10" and v2.dpd
    # the profile's `match identity remote` names T1 only
    assert vpn.ipsec.peers["ALIYUN-T2"].local_identity is None


def test_crypto_map_tunnels(vpn: Device) -> None:
    tunnels = {t.name: t for t in vpn.ipsec.tunnels}
    first = tunnels["CM-ALIYUN 10"]
    assert (first.peer, first.peer_address, first.line) == ("47.0.0.161", ip("47.0.0.161"), 28)
    assert (first.proposals, first.pfs_group, first.lifetime_s) == (["TS-ALIYUN"], 14, 86400)
    assert not first.route_based
    assert first.tunnel_interface == "GigabitEthernet0/0/0"  # where the map is applied
    assert first.selector_acl == "ACL-ALIYUN-CRYPTO"
    assert first.selectors == [
        (IPv4Network("10.10.10.0/24"), IPv4Network("192.168.10.0/24")),
        (IPv4Network("10.10.20.0/24"), IPv4Network("192.168.10.0/24"))]
    second = tunnels["CM-ALIYUN 20"]
    assert (second.proposals, second.pfs_group, second.lifetime_s) == \
        (["TS-STRONG", "TS-ALIYUN"], None, 3600)  # PFS off, IOS default lifetime
    assert "CM-ALIYUN 30" not in tunnels  # ipsec-manual
    assert [(u.topic, u.line) for u in vpn.unparsed] == [("ipsec", 38)]


def test_route_based_tunnel(vpn: Device) -> None:
    tunnel = next(t for t in vpn.ipsec.tunnels if t.route_based)
    assert (tunnel.name, tunnel.tunnel_interface, tunnel.line) == ("Tunnel10", "Tunnel10", 77)
    assert (tunnel.peer, tunnel.peer_address) == ("ALIYUN-T1", ip("47.0.0.171"))
    assert (tunnel.proposals, tunnel.pfs_group) == (["TS-STRONG"], 14)
    assert tunnel.selectors == []


def test_undefined_ipsec_profile_is_reported(edge: Device) -> None:
    assert [(u.topic, u.line) for u in edge.unparsed if u.topic == "ipsec"] == [("ipsec", 26)]


# --------------------------------------------------------------------------- BGP
def test_bgp(vpn: Device) -> None:
    assert vpn.local_as == 65010
    neighbors = {str(n.address): n for n in vpn.bgp_neighbors}
    cloud = neighbors["169.254.10.1"]
    assert (cloud.remote_as, cloud.import_policy, cloud.line) == (45104, "RM-ALIYUN-IN", 80)
    assert neighbors["10.0.0.2"].remote_as == 65010  # from its peer-group


# --------------------------------------------------------------------------- robustness
@pytest.mark.parametrize("text", [
    "", "\n\n\n", "\x00\xff garbage \x07\n", "interface\n", "ip route\n", "ip route 1.2.3.4\n",
    "ip route 1.2.3.4 255.255.255.0\n", "ip route 999.1.1.1 255.0.0.0 1.1.1.1\n",
    "access-list 101 permit\n", "access-list 101 permit tcp host\n",
    "ip access-list extended X\n permit icmp 10.0.0.0\n 10\n",
    "interface Gi1\n ip address 10.0.0.1 255.0.255.0\n encapsulation dot1Q x\n",
    "crypto isakmp key\ncrypto isakmp policy 1\n group x\n",
    "crypto map M 10 ipsec-isakmp\n set pfs groupX\n set peer\n match address\n",
    "crypto ikev2 keyring K\n peer\n  address\n",
    "policy-map P\n class C\n  police\n  police cir\n",
    "class-map match-any C\n match\ncontrol-plane\n service-policy\n",
    "router bgp x\n neighbor 1.1.1.1 remote-as y\n",
    "  indented first line\nhostname\n",
])
def test_garbage_does_not_raise(text: str) -> None:
    device = parse(text, "junk.cfg")
    assert device.vendor == "cisco_ios"
    assert device.path == "junk.cfg"


def test_unrelated_sections_are_silent() -> None:
    device = parse("line vty 0 4\n transport input ssh\nsnmp-server community x RO\n"
                   "router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\n"
                   "crypto pki trustpoint TP\n enrollment selfsigned\n")
    assert device.unparsed == []


def test_failure_reasons_do_not_quote_crypto_tokens() -> None:
    device = parse("crypto ikev2 keyring K\n peer P\n  pre-shared-key\n"
                   "crypto isakmp policy 5\n lifetime Secr3tToken\n")
    assert "Secr3tToken" not in repr(device)


def test_interface_name_with_space_and_suffix() -> None:
    device = parse("interface GigabitEthernet 1/1\n ip address 10.0.0.1 255.255.255.0\n"
                   "interface Serial0/0.1 point-to-point\n ip address 10.0.1.1 255.255.255.252\n")
    assert list(device.interfaces) == ["GigabitEthernet1/1", "Serial0/0.1"]
