"""Huawei VRP parser: every object with its line, and the vendor facts the parser resolves
(preference 60, traffic-filter default permit, cpu-defend evaluation order)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from idcgen.vendors.huawei_vrp.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "parse" / "huawei_vrp"


@pytest.fixture(scope="module")
def dev():
    return parse((FIXTURES / "ar_edge.cfg").read_text(), "ar_edge.cfg")


def test_header(dev) -> None:
    assert dev.vendor == "huawei_vrp"
    assert dev.path == "ar_edge.cfg"
    assert dev.hostname == "AR-EDGE-1"
    assert dev.line_count == 103
    assert dev.unparsed == []


def test_interfaces(dev) -> None:
    ge1 = dev.interfaces["GigabitEthernet0/0/1"]
    assert (ge1.line, ge1.description) == (73, "TO-ALIYUN-VBR1")
    assert ge1.addresses == [IPv4Interface("10.10.10.2/30")]
    assert (ge1.inbound_filter, ge1.inbound_filter_line) == ("3000", 76)
    assert ge1.shutdown is False and ge1.host_inbound_ping is None
    # `interface GigabitEthernet 0/0/2.100` (space) is the same name without it
    sub = dev.interfaces["GigabitEthernet0/0/2.100"]
    assert (sub.line, sub.vlan, sub.shutdown) == (78, 100, True)
    assert (sub.inbound_filter, sub.inbound_filter_line) == ("HC-BLOCK", 81)
    tunnel = dev.interfaces["Tunnel0/0/1"]
    assert tunnel.tunnel_destination == IPv4Address("47.0.0.161")


def test_static_routes_mask_and_length_forms_and_default_preference(dev) -> None:
    routes = {(r.line): r for r in dev.static_routes}
    assert sorted(routes) == [97, 98, 99, 100, 101]
    line1, line2 = routes[97], routes[98]
    assert line1.prefix == line2.prefix == IPv4Network("100.64.0.0/10")  # `10` and mask
    assert (line1.next_hop, line1.preference, line1.name) == (
        IPv4Address("10.10.10.1"), 60, "ALIYUN-SVC-LINE1")
    assert (line2.preference, line2.name) == (70, "ALIYUN SVC LINE2")  # rest of the line
    hc = routes[99]
    assert (hc.interface, hc.next_hop, hc.tag) == (
        "GigabitEthernet0/0/1", IPv4Address("10.10.10.1"), 20)
    null = routes[100]
    assert (null.vrf, null.discard, null.interface) == ("CUST", True, "NULL0")
    assert (routes[101].interface, routes[101].next_hop) == ("Tunnel0/0/1", None)


def test_traffic_filter_acl_passes_unmatched_traffic(dev) -> None:
    acl = dev.filters["3000"]
    assert (acl.line, acl.default_action) == (9, "permit")
    # rules are evaluated in rule-id order, not in the order they are printed
    assert [(e.name, e.action, e.line) for e in acl.entries] == [
        ("5", "permit", 11), ("10", "deny", 10)]
    deny = acl.entries[1].match
    assert deny.protocols == {"icmp"} and deny.icmp_types == {"echo"}
    assert deny.sources == [IPv4Network("10.0.0.0/24")]
    assert acl.evaluate(IPv4Address("172.16.0.1"), IPv4Address("10.10.10.2"), "icmp",
                        "echo") == ("permit", None)
    assert acl.evaluate(IPv4Address("10.0.0.9"), IPv4Address("10.10.10.2"), "icmp",
                        "echo")[0] == "deny"
    # `source A 0` is a host; an ACL not used as a traffic-filter classifies (deny default)
    hc = dev.filters["2001"]
    assert hc.default_action == "deny"
    assert hc.entries[0].match.sources == [IPv4Network("192.168.10.1/32")]
    # `acl name NAME 3050`: the name is the key, the number an alias
    assert "HC-BLOCK" in dev.filters and "3050" not in dev.filters


def test_cpu_defend_stage_order(dev) -> None:
    policy = next(p for p in dev.control_plane if p.name == "CPP")
    assert (policy.kind, policy.applied, policy.line, policy.applied_line) == (
        "cpu-defend", True, 19, 30)
    # configured car, deny, blacklist, whitelist, flow; evaluated whitelist first
    assert [(s.treatment, s.line) for s in policy.stages] == [
        ("exempt", 23), ("drop", 22), ("police", 24), ("drop", 21), ("police", 20)]
    whitelist, blacklist, flow, deny, car = policy.stages
    assert whitelist.acl == "2001"
    assert blacklist.acl is not None and blacklist.acl.startswith("HC-BLOCK")
    assert flow.rate_bps == 128_000 and car.rate_bps == 64_000  # kbit/s -> bit/s
    assert deny.match is not None and deny.match.protocols == {"icmp"}
    hc = IPv4Address("192.168.10.1")
    me = IPv4Address("10.10.10.2")
    assert whitelist.classifies(dev.filters, hc, me, "icmp", "echo")
    # the whitelist ACL must not classify what it does not permit
    assert not whitelist.classifies(dev.filters, IPv4Address("8.8.8.8"), me, "icmp", "echo")
    # a blacklist ACL shared with a traffic-filter classifies only its matches
    assert not blacklist.classifies(dev.filters, hc, me, "icmp", "echo")


def test_unapplied_policy_and_switch_icmp_limits(dev) -> None:
    unused = next(p for p in dev.control_plane if p.name == "UNUSED")
    assert unused.applied is False and unused.applied_line == 0
    limits = next(p for p in dev.control_plane if p.name == "system ICMP limits")
    assert limits.applied is True
    assert [(s.name, s.rate_pps, s.rate_bps, s.line) for s in limits.stages] == [
        ("icmp rate-limit total", 100, None, 33),
        ("anti-attack icmp-flood", None, 155_000_000, 34)]


HC_FLOW_POLICY = """\
acl number 3001
 rule 5 permit icmp source 10.20.0.0 0.0.255.255
#
acl number 3901
 description ALIYUN-HC Alibaba Cloud health-check probes
 rule 5 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0 icmp-type echo
#
cpu-defend policy PROTECT
 car packet-type icmp cir 8
 deny packet-type tcp
 auto-defend whitelist 2 acl 3001
 blacklist 3 acl 3001
 car user-defined-flow 1 cir 64
 user-defined-flow 1 acl 3901
#
cpu-defend-policy PROTECT global
#
return
"""


def test_user_defined_flow_with_car_is_a_police_stage_before_the_icmp_car() -> None:
    """The health-check exemption idcgen renders: `user-defined-flow N acl X` with
    `car user-defined-flow N cir C` (in either order) is one police stage on ACL X at
    C kbit/s, evaluated after the blacklist and before the per-protocol CAR."""
    dev = parse(HC_FLOW_POLICY, "flow.cfg")
    assert dev.unparsed == []
    policy = next(p for p in dev.control_plane if p.name == "PROTECT")
    assert policy.applied and policy.applied_line == 16
    # `auto-defend whitelist` (attack source tracing) is not a CPCAR stage; `deny
    # packet-type tcp` does not touch ICMP
    assert [(s.name, s.treatment, s.acl, s.rate_bps, s.line) for s in policy.stages] == [
        ("PROTECT blacklist 3", "drop", "3001", None, 12),
        ("PROTECT user-defined-flow 1", "police", "3901", 64_000, 14),
        ("PROTECT car icmp", "police", None, 8_000, 9)]
    flow = policy.stages[1]
    me = IPv4Address("10.10.10.2")
    assert flow.classifies(dev.filters, IPv4Address("192.168.10.1"), me, "icmp", "echo")
    assert not flow.classifies(dev.filters, IPv4Address("192.168.10.9"), me, "icmp", "echo")
    assert not flow.classifies(dev.filters, IPv4Address("192.168.10.1"), me, "icmp",
                               "echo-reply")


def test_rendered_exemption_parses_to_a_dedicated_flow() -> None:
    """What the renderer writes for the exemption reads back as the flow stage."""
    from idcgen.vendors.huawei_vrp import driver as names

    text = (Path(__file__).parent / "golden" / "dual-line-ecmp.huawei_vrp.cfg").read_text()
    dev = parse(text, "rendered.cfg")
    assert dev.unparsed == []
    policy = next(p for p in dev.control_plane if p.name == names.CPU_DEFEND_POLICY)
    assert policy.applied
    assert [(s.name, s.treatment, s.acl, s.rate_bps) for s in policy.stages] == [
        (f"{names.CPU_DEFEND_POLICY} user-defined-flow {names.HC_FLOW}",
         "police", str(names.HC_ACL), names.HC_FLOW_CIR_KBPS * 1000)]


def test_ipsec(dev) -> None:
    ipsec = dev.ipsec
    ike = ipsec.ike_proposals["10"]
    assert (ike.encryption, ike.integrity, ike.dh_groups, ike.lifetime_s, ike.line) == (
        ["aes"], ["sha256"], [14], 86400, 40)
    esp = ipsec.ipsec_proposals["P-ALIYUN"]
    assert (esp.encryption, esp.integrity, esp.line) == (["aes"], ["sha256"], 36)
    t1 = ipsec.peers["ALIYUN-T1"]
    assert (t1.line, t1.address, t1.ike_version, t1.ike_proposals) == (
        47, IPv4Address("47.0.0.161"), 2, ["10"])
    assert (t1.psk_present, t1.psk_cleartext, t1.psk_line) == (True, True, 49)
    assert t1.local_identity == "203.0.113.10" and t1.dpd is True
    t2 = ipsec.peers["ALIYUN-T2"]
    assert (t2.ike_version, t2.ike_mode, t2.psk_cleartext, t2.psk_line) == (
        1, "aggressive", False, 56)
    policy, profile = ipsec.tunnels
    assert (policy.name, policy.line, policy.peer, policy.route_based) == (
        "MAP-ALIYUN 10", 61, "ALIYUN-T2", False)
    assert (policy.pfs_group, policy.lifetime_s, policy.selector_acl) == (14, 86400, "3101")
    assert policy.selectors == [(IPv4Network("10.10.10.0/24"), IPv4Network("192.168.10.0/24"))]
    assert policy.peer_address == IPv4Address("47.0.0.162")
    assert (profile.name, profile.line, profile.route_based, profile.tunnel_interface) == (
        "PF-ALIYUN-T1", 68, True, "Tunnel0/0/1")


def test_bgp(dev) -> None:
    assert dev.local_as == 65001
    (neighbor,) = dev.bgp_neighbors
    assert (neighbor.address, neighbor.remote_as, neighbor.local_as, neighbor.line) == (
        IPv4Address("10.10.10.1"), 45104, 65001, 92)
    assert neighbor.import_policy == "FROM-CLOUD"


def test_psk_never_stored(dev) -> None:
    assert "NotARealKey123" not in repr(dev)
    assert "AbCdEfGhIjKlMn" not in repr(dev)


def test_unparsed_sections_are_reported_and_redacted() -> None:
    text = "\n".join([
        "ip route-static 10.0.0.0 255.0.0.0",
        "ip route-static 10.0.0.0 255.0.255.0 1.1.1.1",
        "acl number 3001",
        " rule 5 frobnicate",
        " rule 10 permit ip source 10.0.0.0 0.0.255.0",
        "ipsec policy P 10 manual",
        "interface GigabitEthernet0/0/3",
        " traffic-policy TP inbound",
    ])
    dev = parse(text)
    assert [(u.topic, u.line) for u in dev.unparsed] == [
        ("routes", 1), ("routes", 2), ("filters", 4), ("filters", 5), ("ipsec", 6),
        ("filters", 8)]
    assert dev.filters["3001"].entries[0].match.sources == [IPv4Network("10.0.0.0/16")]


def test_default_preference_change_is_applied_and_reported() -> None:
    dev = parse("ip route-static default-preference 80\nip route-static 1.0.0.0 8 2.2.2.2\n")
    assert dev.static_routes[0].preference == 80
    assert [(u.topic, u.line) for u in dev.unparsed] == [("routes", 1)]


def test_route_via_a_cloudengine_port_name() -> None:
    """CE port types begin with a digit (10GE, 25GE, 100GE): still an interface."""
    dev = parse("ip route-static 192.168.0.0 16 10GE1/0/47.100 10.10.10.1\n"
                "ip route-static 10.0.0.0 8 100GE 1/0/1 10.10.11.1\n"
                "ip route-static 172.16.0.0 12 25GE1/0/1\n")
    assert [(r.interface, r.next_hop) for r in dev.static_routes] == [
        ("10GE1/0/47.100", IPv4Address("10.10.10.1")),
        ("100GE1/0/1", IPv4Address("10.10.11.1")), ("25GE1/0/1", None)]
    assert dev.unparsed == []


@pytest.mark.parametrize("text", [
    "", "\n\n", "#\n#\nreturn\n", "interface", "ip route-static", "acl", "acl number",
    "acl number 3000\n rule", "rule 5 permit", "cpu-defend policy\n car packet-type icmp cir",
    "ike peer\n pre-shared-key", "ipsec policy", "bgp\n peer", "bgp 1\n peer 1.1.1.1 as-number",
    "interface Gi0/0/1\n ip address 1.2.3.4", "interface X\n traffic-filter inbound acl",
    "\x00\xff garbage {{{ ;;; \t\t }", "ip route-static 300.1.1.1 8 1.1.1.1",
    "ip route-static 1.1.1.1 8 Vlanif 10", "icmp rate-limit total threshold x",
])
def test_garbage_does_not_raise(text: str) -> None:
    dev = parse(text)
    assert dev.vendor == "huawei_vrp"
    assert not any("internal" in u.reason for u in dev.unparsed)
