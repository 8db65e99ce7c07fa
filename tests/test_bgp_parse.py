"""BGP in the device model: what each parser reads (neighbors with inheritance, policies
in order with the vendor's default action, prefix length ranges, multipath, what is
advertised), how a policy decides a route (idcgen.bgp), and that a password is never kept
and an odd statement is an UnparsedSection, never a traceback."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from idcgen.bgp import evaluate_policies, export_decision, import_decision
from idcgen.devicemodel import Device
from idcgen.vendors import get_driver

N = IPv4Network
A = IPv4Address


def parse(vendor: str, text: str) -> Device:
    device = get_driver(vendor).parse(text, "x.cfg")
    assert device.read_error is None
    return device


def verdict(device: Device, address: str, prefix: str) -> str:
    assert device.bgp is not None
    neighbor = next(n for n in device.bgp_neighbors if n.address == A(address))
    return import_decision(device.bgp, neighbor, N(prefix)).verdict


# --------------------------------------------------------------------------- Cisco
CISCO = """hostname r1
!
ip prefix-list PL-IN seq 20 permit 100.64.0.0/10 le 11
ip prefix-list PL-IN seq 10 permit 192.168.0.0/16 le 24
ip prefix-list PL-IN seq 30 deny 0.0.0.0/0 le 32
ip prefix-list PL-GE seq 5 permit 10.0.0.0/8 ge 24
ip prefix-list PL-GE description only the /24s and longer
!
route-map RM-IN deny 5
 match ip address prefix-list PL-GE
route-map RM-IN permit 20
 match community 10
route-map RM-IN permit 10
 match ip address prefix-list PL-IN
 set local-preference 200
!
router bgp 65010
 bgp log-neighbor-changes
 no bgp default ipv4-unicast
 neighbor ALIYUN peer-group
 neighbor ALIYUN remote-as 45104
 neighbor ALIYUN password 7 0822455D0A16
 neighbor 10.10.10.1 peer-group ALIYUN
 neighbor 10.10.10.1 description VBR line A
 neighbor 10.10.10.1 fall-over bfd
 neighbor 10.10.11.1 remote-as 45104
 neighbor 10.10.12.1 remote-as 45104
 neighbor 10.10.12.1 shutdown
 neighbor 2001:db8::1 remote-as 45104
 neighbor 10.10.10.1 frobnicate 5
 !
 address-family ipv4
  network 172.16.0.0 mask 255.255.0.0
  network 10.0.0.0
  aggregate-address 172.16.0.0 255.255.0.0 summary-only
  redistribute static route-map RM-REDIST
  neighbor 10.10.10.1 activate
  neighbor 10.10.10.1 route-map RM-IN in
  neighbor 10.10.10.1 route-map RM-OUT out
  neighbor 10.10.12.1 activate
  maximum-paths 2
  distance bgp 30 200 200
 exit-address-family
 !
 address-family ipv4 vrf CUST
  neighbor 10.99.0.1 remote-as 65099
  neighbor 10.99.0.1 activate
 exit-address-family
!
end
"""


@pytest.fixture(scope="module")
def cisco() -> Device:
    return parse("cisco_ios", CISCO)


def test_cisco_neighbors_inherit_and_activate(cisco: Device) -> None:
    by = {str(n.address): n for n in cisco.bgp_neighbors}
    assert set(by) == {"10.10.10.1", "10.10.11.1", "10.10.12.1"}  # no IPv6, no VRF
    a = by["10.10.10.1"]
    assert (a.remote_as, a.local_as, a.group, a.password, a.bfd, a.enabled, a.line) == (
        45104, 65010, "ALIYUN", True, True, True, 23)
    assert (a.description, a.import_policies, a.export_policies) == (
        "VBR line A", ["RM-IN"], ["RM-OUT"])
    assert by["10.10.11.1"].enabled is False  # never activated for IPv4
    assert by["10.10.12.1"].enabled is False  # shut down
    assert by["10.10.11.1"].password is False


def test_cisco_process(cisco: Device) -> None:
    bgp = cisco.bgp
    assert bgp is not None
    assert (bgp.local_as, bgp.line, bgp.multipath, bgp.preference) == (65010, 17, 2, 30)
    assert [(str(n.prefix), n.line) for n in bgp.networks] == [
        ("172.16.0.0/16", 33), ("10.0.0.0/8", 34), ("172.16.0.0/16", 35)]
    assert [(r.protocol, r.policy) for r in bgp.redistribute] == [("static", "RM-REDIST")]


def test_cisco_policies_in_sequence_order_with_implicit_deny(cisco: Device) -> None:
    bgp = cisco.bgp
    assert bgp is not None
    assert [t.name for t in bgp.policies["RM-IN"].terms] == ["5", "10", "20"]
    assert [e.line for e in bgp.prefix_lists["PL-IN"].entries] == [4, 3, 5]
    assert verdict(cisco, "10.10.10.1", "192.168.10.0/24") == "permit"
    assert verdict(cisco, "10.10.10.1", "192.168.10.1/32") == "unknown"  # seq 20: community
    assert verdict(cisco, "10.10.10.1", "10.1.2.0/24") == "deny"  # seq 5
    assert verdict(cisco, "10.10.10.1", "10.1.0.0/16") == "unknown"  # PL-GE: ge 24 only
    ge = bgp.prefix_lists["PL-GE"].entries[0]
    assert (ge.ge, ge.le) == (24, 32)
    exact = bgp.prefix_lists["PL-IN"].entries[2]
    assert (exact.prefix, exact.ge, exact.le) == (N("0.0.0.0/0"), 0, 32)


def test_cisco_password_never_kept_and_odd_statement_reported(cisco: Device) -> None:
    assert "0822455D0A16" not in repr(cisco)
    (odd,) = [u for u in cisco.unparsed if u.topic == "bgp"]
    assert (odd.line, odd.text) == (30, "neighbor 10.10.10.1 frobnicate 5")


def test_cisco_without_import_policy_accepts_everything() -> None:
    device = parse("cisco_ios", "router bgp 65010\n neighbor 10.0.0.1 remote-as 45104\n")
    assert verdict(device, "10.0.0.1", "8.8.8.0/24") == "permit"


# --------------------------------------------------------------------------- Huawei
HUAWEI = """sysname r1
#
bgp 65010
 group ALIYUN external
 peer ALIYUN as-number 45104
 peer ALIYUN password cipher %^%#Kq8w1Yb3N<Q[m!d0%^%#
 peer 10.10.10.1 group ALIYUN
 peer 10.10.10.1 bfd enable
 peer 10.10.11.1 as-number 45104
 #
 ipv4-family unicast
  network 172.16.0.0 255.255.0.0
  import-route direct
  maximum load-balancing ebgp 4
  preference 100 255 255
  peer 10.10.10.1 enable
  peer 10.10.10.1 route-policy RP-IN import
  undo peer 10.10.11.1 enable
 #
 ipv4-family vpn-instance CUST
  peer 10.99.0.1 as-number 65099
#
ip ip-prefix PL-IN index 20 permit 100.64.0.0 10 greater-equal 10 less-equal 11
ip ip-prefix PL-IN index 10 permit 192.168.0.0 16 less-equal 24
ip ip-prefix PL-GE index 10 permit 10.0.0.0 8 greater-equal 24
#
route-policy RP-IN permit node 20
 if-match ip-prefix PL-IN
route-policy RP-IN deny node 10
 if-match ip-prefix PL-GE
#
return
"""


def test_huawei_bgp() -> None:
    device = parse("huawei_vrp", HUAWEI)
    bgp = device.bgp
    assert bgp is not None
    assert (bgp.local_as, bgp.multipath, bgp.preference) == (65010, 4, 100)
    by = {str(n.address): n for n in device.bgp_neighbors}
    assert set(by) == {"10.10.10.1", "10.10.11.1"}
    a = by["10.10.10.1"]
    assert (a.remote_as, a.password, a.bfd, a.enabled, a.import_policies) == (
        45104, True, True, True, ["RP-IN"])
    assert by["10.10.11.1"].enabled is False
    assert [t.name for t in bgp.policies["RP-IN"].terms] == ["node 10", "node 20"]
    le = bgp.prefix_lists["PL-IN"].entries[0]
    assert (le.ge, le.le) == (16, 24)
    assert verdict(device, "10.10.10.1", "10.1.1.0/24") == "deny"
    assert verdict(device, "10.10.10.1", "192.168.0.0/16") == "permit"
    assert verdict(device, "10.10.10.1", "192.168.10.1/32") == "deny"  # implicit deny
    assert [(r.protocol, r.policy) for r in bgp.redistribute] == [("direct", None)]
    assert "Kq8w1Yb3N" not in repr(device)
    assert device.unparsed == []


# --------------------------------------------------------------------------- Junos
JUNOS = """routing-options {
    autonomous-system 65010;
}
protocols {
    bgp {
        import GLOBAL-IN;
        group ALIYUN {
            type external;
            peer-as 45104;
            authentication-key "$9$Hk5FCtO1IcyKMLNbw2aZ"; ## SECRET-DATA
            multipath;
            export OUT;
            neighbor 10.10.10.1 {
                import [ A-IN B-IN ];
                bfd-liveness-detection {
                    minimum-interval 300;
                }
            }
            neighbor 10.10.11.1;
        }
        group OTHER {
            neighbor 10.20.0.1 {
                peer-as 65020;
                frobnicate;
            }
        }
    }
}
policy-options {
    prefix-list NETS {
        172.16.0.0/16;
    }
    policy-statement A-IN {
        term ONLY-TAG {
            from tag 5;
            then accept;
        }
        term HC {
            from {
                route-filter 192.168.10.1/32 exact;
            }
            then accept;
        }
        term NEXT {
            from {
                route-filter 192.168.0.0/16 orlonger;
                route-filter 192.168.20.0/24 longer;
            }
            then local-preference 200;
        }
    }
    policy-statement B-IN {
        from {
            route-filter 10.0.0.0/8 prefix-length-range /16-/24;
            route-filter 172.16.0.0/12 upto /20;
        }
        then reject;
    }
    policy-statement OUT {
        term DC {
            from {
                protocol static;
                prefix-list NETS;
            }
            then accept;
        }
    }
}
"""


def _junos_set(text: str) -> str:
    """The same statements in `display set` form (written out by hand for this test)."""
    return "\n".join([
        "set routing-options autonomous-system 65010",
        "set protocols bgp import GLOBAL-IN",
        "set protocols bgp group ALIYUN type external",
        "set protocols bgp group ALIYUN peer-as 45104",
        'set protocols bgp group ALIYUN authentication-key "$9$Hk5FCtO1IcyKMLNbw2aZ"',
        "set protocols bgp group ALIYUN multipath",
        "set protocols bgp group ALIYUN export OUT",
        "set protocols bgp group ALIYUN neighbor 10.10.10.1 import A-IN",
        "set protocols bgp group ALIYUN neighbor 10.10.10.1 import B-IN",
        "set protocols bgp group ALIYUN neighbor 10.10.10.1 bfd-liveness-detection "
        "minimum-interval 300",
        "set protocols bgp group ALIYUN neighbor 10.10.11.1",
        "set protocols bgp group OTHER neighbor 10.20.0.1 peer-as 65020",
        "set protocols bgp group OTHER neighbor 10.20.0.1 frobnicate",
        "set policy-options prefix-list NETS 172.16.0.0/16",
        "set policy-options policy-statement A-IN term ONLY-TAG from tag 5",
        "set policy-options policy-statement A-IN term ONLY-TAG then accept",
        "set policy-options policy-statement A-IN term HC from route-filter 192.168.10.1/32 "
        "exact",
        "set policy-options policy-statement A-IN term HC then accept",
        "set policy-options policy-statement A-IN term NEXT from route-filter 192.168.0.0/16 "
        "orlonger",
        "set policy-options policy-statement A-IN term NEXT from route-filter 192.168.20.0/24 "
        "longer",
        "set policy-options policy-statement A-IN term NEXT then local-preference 200",
        "set policy-options policy-statement B-IN from route-filter 10.0.0.0/8 "
        "prefix-length-range /16-/24",
        "set policy-options policy-statement B-IN from route-filter 172.16.0.0/12 upto /20",
        "set policy-options policy-statement B-IN then reject",
        "set policy-options policy-statement OUT term DC from protocol static",
        "set policy-options policy-statement OUT term DC from prefix-list NETS",
        "set policy-options policy-statement OUT term DC then accept",
    ]) + "\n"


@pytest.mark.parametrize("form", ["braces", "set"])
def test_junos_bgp(form: str) -> None:
    device = parse("junos", JUNOS if form == "braces" else _junos_set(JUNOS))
    bgp = device.bgp
    assert bgp is not None
    assert (bgp.local_as, bgp.preference, bgp.export_default, bgp.peer_as_suppressed) == (
        65010, 170, "bgp", True)
    by = {str(n.address): n for n in device.bgp_neighbors}
    a, b = by["10.10.10.1"], by["10.10.11.1"]
    assert (a.remote_as, a.local_as, a.password, a.multipath, a.bfd) == (
        45104, 65010, True, True, True)
    assert a.import_policies == ["A-IN", "B-IN"]  # the neighbor's chain replaces the rest
    assert b.import_policies == ["GLOBAL-IN"] and b.bfd is False
    assert a.export_policies == b.export_policies == ["OUT"]
    assert "Hk5FCtO1" not in repr(device)
    assert [u.reason for u in device.unparsed] == ["BGP option 'frobnicate' not understood"]
    # route-filter modifiers and Junos' longest-match route-filter semantics
    assert verdict(device, "10.10.10.1", "192.168.10.1/32") == "unknown"  # term ONLY-TAG
    policies = bgp.policies
    ranges = [(str(f.prefix), f.ge, f.le) for t in policies["A-IN"].terms + policies["B-IN"].terms
              for f in t.route_filters]
    assert ranges == [("192.168.10.1/32", 32, 32), ("192.168.0.0/16", 16, 32),
                      ("192.168.20.0/24", 25, 32), ("10.0.0.0/8", 16, 24),
                      ("172.16.0.0/12", 12, 20)]

    def chain(prefix: str) -> str:
        return evaluate_policies(bgp, ["B-IN"], N(prefix), protocol="bgp", neighbor=None,
                                 default="permit").verdict

    assert chain("10.1.0.0/16") == "deny"
    assert chain("10.1.1.1/32") == "permit"  # out of range: falls to the default (accept)
    assert chain("172.16.16.0/20") == "deny" and chain("172.16.16.0/24") == "permit"
    one = bgp.policies["A-IN"]
    one.terms = one.terms[1:]  # without the tag term the chain is decidable
    bgp.cache.clear()  # a parsed Device is read-only: answers are cached
    assert verdict(device, "10.10.10.1", "192.168.10.1/32") == "permit"
    assert verdict(device, "10.10.10.1", "192.168.20.0/24") == "permit"  # NEXT sets, B-IN, default
    assert verdict(device, "10.10.10.1", "10.1.0.0/16") == "deny"  # B-IN
    assert export_decision(bgp, a, N("172.16.0.0/16"), "static").verdict == "permit"
    assert export_decision(bgp, a, N("172.17.0.0/16"), "static").verdict == "deny"  # default
    assert export_decision(bgp, a, N("192.168.0.0/16"), "bgp").verdict == "permit"


def test_hostile_bgp_statements_never_raise() -> None:
    text = ("router bgp 99999999999999999999\n neighbor\n neighbor 1.1.1.1 remote-as x\n"
            " network 1.2.3.4 mask 255.0.255.0\n maximum-paths many\n"
            "route-map\nip prefix-list X seq 5 permit 300.1.1.0/24\n")
    device = get_driver("cisco_ios").parse(text, "x")
    assert device.read_error is None
    assert {u.topic for u in device.unparsed} == {"bgp"}
    for vendor, body in (("huawei_vrp", "bgp x\n peer 1.1.1.1 as-number y\n peer\n"
                          "ip ip-prefix X index z permit 1.1.1.1 40\nroute-policy\n"),
                         ("junos", "set protocols bgp group G neighbor 1.1.1.1 peer-as q\n"
                          "set policy-options policy-statement P from route-filter x upto\n")):
        device = get_driver(vendor).parse(body, "x")
        assert device.read_error is None
