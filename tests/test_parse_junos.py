"""Junos parser, both forms: objects with their lines, Junos defaults resolved, and the
hierarchical and `display set` forms of one config giving the same Device."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from idcgen.vendors.junos.parser import parse
from idcgen.vendors.junos.statements import statements

FIXTURES = Path(__file__).parent / "fixtures" / "parse" / "junos"
LINE_FIELDS = {"line", "psk_line", "inbound_filter_line", "applied_line", "path", "line_count",
               "local_as_line", "multipath_line"}


@pytest.fixture(scope="module")
def hier():
    return parse((FIXTURES / "srx_edge.conf").read_text(), "srx_edge.conf")


@pytest.fixture(scope="module")
def flat():
    return parse((FIXTURES / "srx_edge.set").read_text(), "srx_edge.set")


def _without_lines(obj: object) -> object:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _without_lines(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {k: _without_lines(v) for k, v in obj.items() if k not in LINE_FIELDS}
    if isinstance(obj, (list, tuple)):
        return [_without_lines(v) for v in obj]
    return obj


def test_hierarchical_and_set_forms_are_equivalent(hier, flat) -> None:
    assert _without_lines(hier) == _without_lines(flat)
    assert hier.unparsed == [] and flat.unparsed == []


def test_statements_of_both_forms() -> None:
    text = "routing-options {\n    static {\n        route 1.0.0.0/8 next-hop 2.2.2.2;\n    }\n}\n"
    assert statements(text) == [(("routing-options", "static", "route", "1.0.0.0/8",
                                  "next-hop", "2.2.2.2"), 3, ((1, 1), (2, 2)))]
    flat = 'set system host-name "a b"\nset x y [ p q ]\n'
    assert [st[0] for st in statements(flat)] == [
        ("system", "host-name", "a b"), ("x", "y", "p"), ("x", "y", "q")]


def test_header(hier, flat) -> None:
    assert hier.vendor == flat.vendor == "junos"
    assert hier.hostname == flat.hostname == "srx-edge-1"
    assert hier.local_as == 65001


def test_interfaces_hierarchical_lines(hier) -> None:
    ge = hier.interfaces["ge-0/0/0.100"]
    assert (ge.line, ge.vlan, ge.description) == (13, 100, "TO-ALIYUN-VBR1")
    assert ge.addresses == [IPv4Interface("10.10.10.2/30")]
    assert (ge.inbound_filter, ge.inbound_filter_line) == ("EDGE-IN", 17)
    lo0 = hier.interfaces["lo0.0"]
    assert (lo0.inbound_filter, lo0.inbound_filter_line) == ("PROTECT-RE", 42)  # input-list
    assert "ge-0/0/2.0" not in hier.interfaces  # inactive:
    assert hier.interfaces["st0.1"].addresses == [IPv4Interface("169.254.10.2/30")]


def test_interfaces_set_lines(flat) -> None:
    ge = flat.interfaces["ge-0/0/0.100"]
    assert (ge.line, ge.inbound_filter_line) == (7, 8)
    assert "ge-0/0/2.0" not in flat.interfaces  # deactivate


def test_host_inbound_ping(hier) -> None:
    ifs = hier.interfaces
    assert ifs["ge-0/0/0.100"].host_inbound_ping is True  # interface-level ping
    assert ifs["ge-0/0/1.0"].host_inbound_ping is False  # zone allows ike only
    assert ifs["st0.1"].host_inbound_ping is False  # all + ping except
    assert ifs["lo0.0"].host_inbound_ping is False  # in no zone
    assert parse("set interfaces ge-0/0/0 unit 0 family inet address 1.1.1.1/24") \
        .interfaces["ge-0/0/0.0"].host_inbound_ping is None  # no zones: not an SRX


def test_static_routes(hier) -> None:
    got = [(str(r.prefix), str(r.next_hop) if r.next_hop else r.interface, r.preference,
            r.tag, r.vrf, r.discard, r.line) for r in hier.static_routes]
    assert got == [
        ("100.64.0.0/10", "10.10.10.1", 5, None, None, False, 59),
        ("100.64.0.0/10", "10.10.11.1", 5, None, None, False, 59),
        ("100.64.0.0/10", "169.254.10.1", 20, None, None, False, 60),
        ("192.168.10.1/32", "10.10.10.1", 5, None, None, False, 64),
        ("10.99.0.0/16", None, 5, None, None, True, 65),
        ("192.168.0.0/16", "st0.1", 30, 100, None, False, 69),
        ("10.50.0.0/16", "10.60.0.1", 5, None, "CUST", False, 80),
    ]  # the inactive 172.16.0.0/12 route is absent


def test_static_routes_set_lines(flat) -> None:
    assert [r.line for r in flat.static_routes] == [16, 17, 18, 19, 20, 22, 26]


def test_filter_terms(hier) -> None:
    edge = hier.filters["EDGE-IN"]
    assert (edge.line, edge.default_action) == (100, "deny")
    assert [(e.name, e.action, e.line) for e in edge.entries] == [
        ("BLOCK-BOGON", "deny", 101), ("ICMP", "permit", 113), ("BGP", "permit", 120)]
    bogon = edge.entries[0].match
    # `except` is resolved exactly: 10/8 minus the link subnet
    assert bogon.sources is not None
    assert not any(IPv4Address("10.10.10.1") in n for n in bogon.sources)
    assert any(IPv4Address("10.200.0.1") in n for n in bogon.sources)
    assert edge.entries[1].match.icmp_types == {"echo", "echo-reply"}
    assert edge.entries[2].match.protocols == {"tcp"}
    vbr, hc, me = IPv4Address("10.10.10.1"), IPv4Address("192.168.10.1"), IPv4Address("10.10.10.2")
    assert edge.evaluate(vbr, me, "icmp", "echo")[0] == "permit"
    assert edge.evaluate(hc, me, "udp")[0] == "deny"  # implicit discard


def test_lo0_filter_is_control_plane_with_policer(hier) -> None:
    (policy,) = hier.control_plane
    assert (policy.kind, policy.applied, policy.end_treatment) == ("lo0-filter", True, "drop")
    assert (policy.line, policy.applied_line) == (128, 42)
    # input-list: terms of both filters in order; `next term` decides nothing
    assert [(s.name, s.treatment, s.rate_bps, s.line) for s in policy.stages] == [
        ("ALIYUN-HC", "exempt", None, 129),
        ("ICMP", "police", 1_000_000, 138),
        ("REST", "exempt", None, 155),
    ]
    hc_stage = policy.stages[0]
    assert hc_stage.match is not None and hc_stage.match.sources == [
        IPv4Network("192.168.10.1/32"), IPv4Network("192.168.20.1/32")]  # prefix-list
    term = hier.filters["PROTECT-RE"].entries[1]
    assert (term.police_name, term.police_rate_bps, term.action) == (
        "ICMP-LIMIT", 1_000_000, "permit")
    assert hier.filters["PROTECT-RE"].entries[2].action is None  # count + next term


def test_ipsec(hier) -> None:
    ipsec = hier.ipsec
    ike = ipsec.ike_proposals["P1-ALIYUN"]
    assert (ike.encryption, ike.integrity, ike.dh_groups, ike.lifetime_s, ike.line) == (
        ["aes"], ["sha256"], [14], 86400, 163)
    esp = ipsec.ipsec_proposals["P2-ALIYUN"]
    assert (esp.encryption, esp.integrity, esp.protocol, esp.line) == (
        ["aes"], ["sha256"], "esp", 198)
    gw = ipsec.peers["GW-ALIYUN-T1"]
    assert (gw.line, gw.address, gw.ike_version, gw.ike_mode, gw.ike_proposals) == (
        179, IPv4Address("47.0.0.161"), 2, "main", ["P1-ALIYUN"])
    assert (gw.psk_present, gw.psk_cleartext, gw.psk_line) == (True, False, 173)  # $9$
    assert (gw.local_identity, gw.dpd, gw.nat_traversal) == ("203.0.113.10", True, True)
    clear = ipsec.peers["GW-CLEAR"]
    assert (clear.psk_cleartext, clear.psk_line, clear.ike_version, clear.nat_traversal) == (
        True, 177, 1, False)
    (vpn,) = ipsec.tunnels
    assert (vpn.name, vpn.line, vpn.peer, vpn.peer_address) == (
        "VPN-ALIYUN-T1", 210, "GW-ALIYUN-T1", IPv4Address("47.0.0.161"))
    assert (vpn.route_based, vpn.tunnel_interface, vpn.pfs_group, vpn.lifetime_s) == (
        True, "st0.1", 14, 86400)
    assert vpn.proposals == ["P2-ALIYUN"]
    assert vpn.selectors == [(IPv4Network("10.10.20.0/24"), IPv4Network("192.168.10.0/24"))]


def test_bgp(hier, flat) -> None:
    for dev in (hier, flat):
        (neighbor,) = dev.bgp_neighbors  # the inactive / deactivated neighbor is absent
        assert (neighbor.address, neighbor.remote_as, neighbor.local_as) == (
            IPv4Address("10.10.10.1"), 45104, 65001)
        assert neighbor.import_policy == "FROM-CLOUD"
    assert hier.bgp_neighbors[0].line == 262


def test_psk_never_stored(hier, flat) -> None:
    for dev in (hier, flat):
        assert "PlainKeyNotReal" not in repr(dev)
        assert "NotARealObfuscatedKey" not in repr(dev)


def test_static_defaults_and_discard_next_hop() -> None:
    dev = parse("\n".join([
        "set routing-options static defaults preference 50",
        "set routing-options static route 10.0.0.0/8 next-hop 1.1.1.1",
        "set routing-options static route 11.0.0.0/8 next-hop 0.0.0.0",
        "set routing-options rib inet.0 static route 12.0.0.0/8 reject",  # same table
        "set routing-options rib inet6.0 static route 2001:db8::/32 discard",
        "set routing-options static route 13.0.0.0 next-hop 1.1.1.1",
    ]))
    assert [(str(r.prefix), r.preference, r.discard) for r in dev.static_routes] == [
        ("10.0.0.0/8", 50, False), ("11.0.0.0/8", 50, True), ("12.0.0.0/8", 50, True),
        ("13.0.0.0/32", 50, False)]
    assert dev.unparsed == []


def test_comments_quotes_and_inactive_blocks() -> None:
    text = "\n".join([
        "/* a",
        "   multi-line comment { } ; */",
        "system { host-name \"r 1\"; } # trailing",
        "interfaces {",
        "    inactive: ge-0/0/9 { unit 0 { family inet { address 1.1.1.1/24; } } }",
        "    ge-0/0/8 {",
        "        unit 0 {",
        "            inactive: description x;",
        "            family inet {",
        "                address 2.2.2.2/24;",
        "            }",
        "        }",
        "    }",
        "}",
    ])
    dev = parse(text)
    assert dev.hostname == "r 1"
    assert list(dev.interfaces) == ["ge-0/0/8.0"]
    iface = dev.interfaces["ge-0/0/8.0"]
    assert (iface.line, iface.description) == (7, None)


def test_proxy_identity_on_one_set_line() -> None:
    dev = parse("\n".join([
        "set security ipsec vpn V bind-interface st0.1",
        "set security ipsec vpn V ike proxy-identity local 10.1.0.0/16 remote 192.168.0.0/24"
        " service any",
    ]))
    assert dev.ipsec.tunnels[0].selectors == [
        (IPv4Network("10.1.0.0/16"), IPv4Network("192.168.0.0/24"))]


def test_applied_group_with_relevant_content_is_reported() -> None:
    dev = parse("\n".join([
        "set groups G interfaces <*> unit <*> family inet filter input F",
        "set groups NOT-APPLIED routing-options static route 1.0.0.0/8 discard",
        "set apply-groups G",
    ]))
    assert [(u.topic, u.line) for u in dev.unparsed] == [("interfaces", 1)]


@pytest.mark.parametrize("text", [
    "", "}", "}}}{{{", "{", "set", "deactivate", "delete", "set interfaces", "[ a b",
    "set routing-options static route", "set routing-options static route 1.1.1.1/99 next-hop x",
    'system { host-name "unterminated; }', "/* never closed", "inactive:", "inactive: {",
    "set security ike policy P pre-shared-key", "set firewall filter F term T from",
    "set firewall policer P if-exceeding bandwidth-limit xyz",
    "set protocols bgp group G neighbor 1.1.1.1 peer-as",
    "\x00\xff garbage ;;; \t\t",
    "interfaces { ge-0/0/0 { unit x { family inet { address y; } } } }",
])
def test_garbage_does_not_raise(text: str) -> None:
    dev = parse(text)
    assert dev.vendor == "junos"
    assert not any("internal" in u.reason for u in dev.unparsed)


# ---- issue #12 class 5: classic policy-based VPN (`then permit tunnel ipsec-vpn`) ----
_POLICY_VPN_BASE = [
    "set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/30",
    "set security ike gateway GW address 198.51.100.10",
    "set security ike gateway GW external-interface ge-0/0/0",
    "set security ipsec vpn V ike gateway GW",
    "set security zones security-zone untrust interfaces ge-0/0/0.0",
    "set security zones security-zone trust interfaces ge-0/0/3.0",
]


def _policy(context: str, name: str, src: str, dst: str, vpn: str = "V") -> list[str]:
    base = f"set security policies {context} policy {name}"
    return [f"{base} match source-address {src}", f"{base} match destination-address {dst}",
            f"{base} match application any", f"{base} then permit tunnel ipsec-vpn {vpn}"]


def _net(*texts: str) -> list[IPv4Network]:
    return [IPv4Network(t) for t in texts]


def test_policy_based_vpn_global_book_sets_ranges_and_pairs() -> None:
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security address-book global address A 10.1.1.0/24",
        "set security address-book global address B range-address 10.1.2.0 to 10.1.3.255",
        "set security address-book global address H 10.1.9.9",
        "set security address-book global address VPC 192.168.0.0/16",
        "set security address-book global address-set INNER address B",
        "set security address-book global address-set LAN address A",
        "set security address-book global address-set LAN address-set INNER",
        "set security address-book global address-set LAN address H",
        *_policy("from-zone trust to-zone untrust", "OUT", "LAN", "VPC"),
        "set security policies from-zone trust to-zone untrust policy OUT then permit tunnel "
        "pair-policy IN",
        *_policy("from-zone untrust to-zone trust", "IN", "VPC", "LAN"),
    ]))
    [tunnel] = dev.ipsec.tunnels
    assert not tunnel.route_based and tunnel.tunnel_interface is None
    vpc = IPv4Network("192.168.0.0/16")
    assert tunnel.selectors == [(n, vpc) for n in _net("10.1.1.0/24", "10.1.2.0/23",
                                                        "10.1.9.9/32")]
    assert tunnel.selector_line == 15  # the outbound policy's first statement
    assert dev.unparsed == []


def test_policy_based_vpn_zone_and_attached_books_and_direction() -> None:
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security zones security-zone trust address-book address LAN 10.1.0.0/16",
        "set security zones security-zone untrust address-book address VPC 192.168.0.0/16",
        # an inbound-only policy: its destination is the local side
        *_policy("from-zone untrust to-zone trust", "IN", "VPC", "LAN"),
    ]))
    assert dev.ipsec.tunnels[0].selectors == [(IPv4Network("10.1.0.0/16"),
                                               IPv4Network("192.168.0.0/16"))]
    # an outbound policy decides; an inbound one that permits more is not proposed
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security address-book global address LAN 10.1.0.0/16",
        "set security address-book global address VPC 192.168.0.0/16",
        *_policy("from-zone untrust to-zone trust", "IN", "any", "LAN"),
        *_policy("from-zone trust to-zone untrust", "OUT", "LAN", "VPC"),
    ]))
    assert dev.ipsec.tunnels[0].selectors == [(IPv4Network("10.1.0.0/16"),
                                               IPv4Network("192.168.0.0/16"))]
    assert dev.ipsec.tunnels[0].selector_line == 13
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security address-book OFFICE address LAN 10.1.0.0/16",
        "set security address-book OFFICE attach zone trust",
        "set security address-book global address VPC 192.168.0.0/16",
        *_policy("from-zone trust to-zone untrust", "OUT", "LAN", "VPC"),
        *_policy("from-zone trust to-zone untrust", "ANY", "any", "VPC", vpn="OTHER"),
    ]))
    assert dev.ipsec.tunnels[0].selectors == [(IPv4Network("10.1.0.0/16"),
                                               IPv4Network("192.168.0.0/16"))]


def test_policy_based_vpn_hierarchical_form() -> None:
    dev = parse("""security {
    address-book {
        global {
            address LAN {
                description "office";
                10.1.0.0/16;
            }
            address VPC 192.168.0.0/16;
        }
    }
    policies {
        from-zone trust to-zone untrust {
            policy OUT {
                match {
                    source-address [ LAN any-ipv6 ];
                    destination-address VPC;
                    application any;
                }
                then {
                    permit {
                        tunnel {
                            ipsec-vpn V;
                        }
                    }
                }
            }
        }
    }
    ipsec {
        vpn V {
            ike {
                gateway GW;
            }
        }
    }
}
""")
    tunnel = dev.ipsec.tunnels[0]
    assert tunnel.selectors == [(IPv4Network("10.1.0.0/16"), IPv4Network("192.168.0.0/16"))]
    assert tunnel.selector_line == 13


def test_policy_based_vpn_what_cannot_be_resolved_is_reported() -> None:
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security address-book global address VPC 192.168.0.0/16",
        "set security address-book global address WEB dns-name web.example.com",
        *_policy("from-zone trust to-zone untrust", "OUT", "WEB", "VPC"),
        *_policy("from-zone trust to-zone untrust", "OUT2", "NOPE", "VPC"),
        *_policy("from-zone trust to-zone untrust", "NEG", "any", "VPC"),
        "set security policies from-zone trust to-zone untrust policy NEG match "
        "source-address-excluded",
    ]))
    reasons = sorted(u.reason for u in dev.unparsed if u.topic == "ipsec")
    assert len(reasons) == 3, reasons
    assert "address NOPE is not in an address book of zone trust" in reasons[0]
    assert "address WEB (dns-name web.example.com) is not a prefix" in reasons[1]
    assert "excluded is not modelled" in reasons[2]
    assert dev.ipsec.tunnels[0].selectors == []


def test_proxy_identity_wins_over_policy_addresses() -> None:
    dev = parse("\n".join([
        *_POLICY_VPN_BASE,
        "set security ipsec vpn V ike proxy-identity local 10.9.0.0/16",
        "set security ipsec vpn V ike proxy-identity remote 172.16.0.0/12",
        "set security address-book global address VPC 192.168.0.0/16",
        *_policy("from-zone trust to-zone untrust", "OUT", "any", "VPC"),
    ]))
    tunnel = dev.ipsec.tunnels[0]
    assert tunnel.selectors == [(IPv4Network("10.9.0.0/16"), IPv4Network("172.16.0.0/12"))]
    assert tunnel.selector_line == 0
