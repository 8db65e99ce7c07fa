"""Rule semantics on hand-built Device objects (no parser involved).

Scenario B of Alibaba's Express Connect guide: line A 10.10.10.2/30 (VBR .1), line B
10.10.11.2/30 (VBR .1), VPC 192.168.0.0/16, health checks from 192.168.10.1 / .2.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

import pytest

from idcgen.devicemodel import (
    ControlPlanePolicy,
    ControlPlaneStage,
    Device,
    Filter,
    FilterEntry,
    IkeProposal,
    Interface,
    IpsecPeer,
    IpsecProposal,
    IpsecTunnel,
    PacketMatch,
    StaticRoute,
    UnparsedSection,
)
from idcgen.rules import CATALOGUE, run_rules

N = IPv4Network
A = IPv4Address
VBR_A, VBR_B = A("10.10.10.1"), A("10.10.11.1")
HC_A, HC_B = A("192.168.10.1"), A("192.168.10.2")
VPC = N("192.168.0.0/16")
LAN_ROUTER = A("172.16.0.254")


def route(prefix: str, hop: str | None = None, pref: int = 1, line: int = 0, *,
          interface: str | None = None, discard: bool = False) -> StaticRoute:
    return StaticRoute(N(prefix), A(hop) if hop else None, interface=interface,
                       preference=pref, discard=discard, line=line)


def device(*routes: StaticRoute, described: bool = True, vendor: str = "cisco_ios",
           **kw) -> Device:
    desc = "Aliyun VBR line {}" if described else "uplink {}"
    interfaces = {
        "Gi1": Interface("Gi1", 10, [IPv4Interface("10.10.10.2/30")], description=desc.format("A")),
        "Gi2": Interface("Gi2", 15, [IPv4Interface("10.10.11.2/30")], description=desc.format("B")),
        "Gi3": Interface("Gi3", 20, [IPv4Interface("172.16.0.1/16")], description="LAN"),
    }
    return Device(vendor=vendor, path="r1.cfg", interfaces=interfaces,
                  static_routes=list(routes), **kw)


def clean_routes() -> list[StaticRoute]:
    """Scenario B; the cloud routes of each line follow a probe of its VBR (IDC504)."""
    routes = [route("100.64.0.0/10", "10.10.10.1", line=40),
              route("100.64.0.0/10", "10.10.11.1", line=41),
              route("192.168.0.0/16", "10.10.10.1", line=42),
              route("192.168.0.0/16", "10.10.11.1", line=43),
              route("192.168.10.1/32", "10.10.10.1", line=44),
              route("192.168.10.2/32", "10.10.11.1", line=45)]
    for r in routes[:4]:
        r.tracker = "track 101" if r.next_hop == VBR_A else "track 102"
    return routes


def site(**overrides: object):
    from idcgen.sitemodel import Site

    data: dict = {
        "site": "dc1", "hostname": "r1",
        "onprem_networks": ["172.20.0.0/16"],
        "cloud_networks": [{"name": "prod", "cidr": "192.168.0.0/16"}],
        "lines": [
            {"name": "line-a", "interface": "Gi1", "local_ip": "10.10.10.2/30",
             "vbr_ip": "10.10.10.1", "health_check_source": "192.168.10.1"},
            {"name": "line-b", "interface": "Gi2", "local_ip": "10.10.11.2/30",
             "vbr_ip": "10.10.11.1", "health_check_source": "192.168.10.2"},
        ],
    }
    data.update(overrides)
    return Site.model_validate(data)


def fired(dev: Device, rule: str, **kw) -> list:
    return [f for f in run_rules(dev, select=[rule], **kw).findings if f.rule == rule]


# --------------------------------------------------------------------------- catalogue
def test_catalogue_matches_contract_ids_names_severities() -> None:
    expected = {
        "IDC101": ("cloud-services-route-missing", "error"),
        "IDC102": ("cloud-services-route-partial", "error"),
        "IDC103": ("cloud-services-route-not-via-cloud", "error"),
        "IDC104": ("cloud-services-route-single-link", "warning"),
        "IDC201": ("overlapping-networks", "error"),
        "IDC202": ("duplicate-route", "warning"),
        "IDC203": ("conflicting-routes", "warning"),
        "IDC204": ("cloud-prefix-diverted", "error"),
        "IDC205": ("cloud-network-unrouted", "error"),
        "IDC301": ("health-check-return-route-missing", "error"),
        "IDC302": ("health-check-return-route-wrong-link", "error"),
        "IDC303": ("health-check-rate-limited", "error"),
        "IDC304": ("health-check-blocked-by-acl", "error"),
        "IDC305": ("health-check-target-mismatch", "error"),
        "IDC401": ("ipsec-weak-algorithm", "warning"),
        "IDC402": ("ipsec-cleartext-key", "warning"),
        "IDC403": ("ipsec-parameter-mismatch", "error"),
        "IDC404": ("ipsec-unsupported-by-cloud", "error"),
        "IDC405": ("ipsec-selector-mismatch", "error"),
        "IDC501": ("too-many-ecmp-links", "warning"),
        "IDC502": ("no-failover-path", "warning"),
        "IDC503": ("redundancy-differs-from-site", "warning"),
        "IDC601": ("bgp-health-check-refused", "error"),
        "IDC602": ("bgp-multipath-off", "warning"),
        "IDC603": ("bgp-import-unfiltered", "warning"),
        "IDC604": ("bgp-advertises-cloud-prefix", "error"),
        "IDC605": ("bgp-peer-as-wrong", "error"),
        "IDC606": ("bgp-local-as-reserved", "error"),
        "IDC607": ("bgp-route-quota-exceeded", "error"),
        "IDC608": ("bgp-no-password", "warning"),
        "IDC609": ("bgp-cloud-transit", "warning"),
        "IDC504": ("cloud-route-untracked", "warning"),
        "IDC900": ("unparsed-section", "info"),
        "IDC901": ("no-cloud-link-found", "info"),
        "IDC910": ("unused-suppression", "warning"),
        "IDC911": ("suppression-without-reason", "warning"),
    }
    assert {k: (v.name, v.severity) for k, v in CATALOGUE.items()} == expected
    site_rules = {k for k, v in CATALOGUE.items() if v.needs_site}
    assert site_rules == {"IDC205", "IDC305", "IDC403", "IDC405", "IDC503"}
    for info in CATALOGUE.values():
        assert "\n" not in info.summary
        for word in ("Why", "Fix"):
            assert word in info.doc, (info.id, word)
        assert "Cisco" in info.doc or info.id == "IDC900", info.id


# --------------------------------------------------------------------------- links
def test_clean_device_has_no_findings_and_inferred_links() -> None:
    result = run_rules(device(*clean_routes()))
    assert result.findings == []
    links = {link.interface: link for link in result.links}
    assert set(links) == {"Gi1", "Gi2"}
    assert links["Gi1"].peer_ip == VBR_A and links["Gi1"].health_check_source == HC_A
    assert links["Gi2"].health_check_source == HC_B
    assert links["Gi1"].source.startswith("inferred: description 'Aliyun VBR line A'")
    assert "route 100.64.0.0/10 via 10.10.10.1" in links["Gi1"].source


def test_no_evidence_only_idc901() -> None:
    dev = device(route("0.0.0.0/0", "172.16.0.254"), route("10.0.0.0/8", "172.16.0.254"),
                 described=False)
    result = run_rules(dev)
    assert result.links == []
    assert [f.rule for f in result.findings] == ["IDC901"]
    assert result.findings[0].severity == "info" and result.findings[0].line == 0


def test_route_into_100_64_via_p2p_peer_is_evidence_but_lan_next_hop_is_not() -> None:
    links = run_rules(device(route("100.64.0.0/10", "10.10.10.1", line=3),
                             described=False)).links
    assert [(lk.interface, lk.peer_ip) for lk in links] == [("Gi1", VBR_A)]
    assert links[0].source == "inferred: route 100.64.0.0/10 via 10.10.10.1 (line 3)"
    assert run_rules(device(route("100.64.0.0/10", "172.16.0.254"), described=False)).links == []


def test_description_word_match_is_word_bounded() -> None:
    dev = device(described=False)
    dev.interfaces["Gi1"].description = "TO_ALIYUN_VBR-1"
    dev.interfaces["Gi2"].description = "scenery centre"  # 'cen' inside words: no match
    assert [lk.interface for lk in run_rules(dev).links] == ["Gi1"]


def test_two_32s_via_one_peer_leave_the_health_check_source_unknown() -> None:
    dev = device(*clean_routes()[:4], route("192.168.10.1/32", "10.10.10.1"),
                 route("192.168.10.2/32", "10.10.10.1"))
    links = {lk.interface: lk for lk in run_rules(dev).links}
    assert links["Gi1"].health_check_source is None


def test_dns_host_route_is_not_taken_for_a_health_check_source() -> None:
    dev = device(*clean_routes()[:4], route("100.100.2.136/32", "10.10.10.1"))
    links = {lk.interface: lk for lk in run_rules(dev).links}
    assert links["Gi1"].health_check_source is None


# --------------------------------------------------------------------------- 100.64/10
def test_idc101_default_route_does_not_count() -> None:
    dev = device(route("0.0.0.0/0", "10.10.10.1"), *clean_routes()[2:])
    found = fired(dev, "IDC101")
    assert len(found) == 1 and found[0].line == 0
    assert "100.64.0.0/10" in found[0].message
    assert fired(device(*clean_routes()), "IDC101") == []


def test_idc101_skipped_for_ipsec_only_device() -> None:
    dev = Device(vendor="cisco_ios", static_routes=[route("100.64.0.0/10", "172.16.0.254")])
    dev.ipsec.tunnels.append(IpsecTunnel("CM-ALIYUN 10", peer_address=A("47.0.0.161"), line=5))
    result = run_rules(dev)
    assert [lk.kind for lk in result.links] == ["ipsec"]
    assert not [f for f in result.findings if f.rule.startswith("IDC1")]


def test_idc102_lists_uncovered_half() -> None:
    dev = device(route("100.64.0.0/11", "10.10.10.1", line=7),
                 route("100.64.0.0/11", "10.10.11.1", line=8), *clean_routes()[2:])
    found = fired(dev, "IDC102")
    assert len(found) == 1 and found[0].line == 7
    assert found[0].message.endswith("100.96.0.0/11 is not")
    halves = device(route("100.64.0.0/11", "10.10.10.1"), route("100.96.0.0/11", "10.10.10.1"),
                    route("100.64.0.0/11", "10.10.11.1"), route("100.96.0.0/11", "10.10.11.1"))
    assert fired(halves, "IDC102") == [] and fired(halves, "IDC101") == []


def test_idc103_active_elsewhere_fires_floating_and_shadowed_do_not() -> None:
    base = clean_routes()
    wrong = device(*base, route("100.100.0.0/16", "172.16.0.254", line=50))
    found = fired(wrong, "IDC103")
    assert [f.line for f in found] == [50]
    assert "172.16.0.254" in found[0].message
    floating = device(*base, route("100.64.0.0/10", "172.16.0.254", pref=250, line=51))
    assert fired(floating, "IDC103") == []
    shadowed = device(route("100.64.0.0/10", interface="Null0", discard=True, line=52),
                      route("100.64.0.0/11", "10.10.10.1"), route("100.96.0.0/11", "10.10.10.1"),
                      route("100.64.0.0/11", "10.10.11.1"), route("100.96.0.0/11", "10.10.11.1"))
    assert fired(shadowed, "IDC103") == []
    blackhole = device(*base, route("100.96.0.0/11", interface="Null0", discard=True, line=53))
    assert [f.line for f in fired(blackhole, "IDC103")] == [53]
    assert [f.line for f in fired(blackhole, "IDC102")] == [40]


def test_idc104_single_link_and_floating_backup() -> None:
    only_a = device(route("100.64.0.0/10", "10.10.10.1", line=30), *clean_routes()[2:])
    found = fired(only_a, "IDC104")
    assert len(found) == 1 and found[0].line == 30 and "10.10.11.1" in found[0].message
    backup = device(route("100.64.0.0/10", "10.10.10.1"),
                    route("100.64.0.0/10", "10.10.11.1", pref=11), *clean_routes()[2:])
    assert fired(backup, "IDC104") == []


# --------------------------------------------------------------------------- prefixes
def test_idc202_duplicate_points_at_second_copy() -> None:
    dev = device(*clean_routes(), route("192.168.0.0/16", "10.10.10.1", line=60))
    found = fired(dev, "IDC202")
    assert [f.line for f in found] == [60] and "line 42" in found[0].message


def test_idc202_runs_without_links() -> None:
    dev = device(route("10.0.0.0/8", "172.16.0.254", line=3),
                 route("10.0.0.0/8", "172.16.0.254", line=4), described=False)
    assert [f.rule for f in run_rules(dev).findings] == ["IDC901", "IDC202"]


def test_idc203_mixed_ecmp_and_same_hop_two_preferences() -> None:
    mixed = device(*clean_routes(), route("192.168.0.0/16", "172.16.0.254", line=61))
    assert [f.line for f in fired(mixed, "IDC203")] == [61]
    twice = device(*clean_routes(), route("192.168.0.0/16", "10.10.10.1", pref=11, line=62))
    assert [f.line for f in fired(twice, "IDC203")] == [62]
    dual_isp = device(*clean_routes(), route("0.0.0.0/0", "172.16.0.253"),
                      route("0.0.0.0/0", "172.16.0.254"))
    assert fired(dual_isp, "IDC203") == []


def test_idc204_more_specific_diverts_vpc() -> None:
    dev = device(*clean_routes(), route("192.168.20.0/24", "172.16.0.254", line=70))
    found = fired(dev, "IDC204")
    assert [f.line for f in found] == [70] and "192.168.0.0/16" in found[0].message
    floating = device(*clean_routes(), route("192.168.20.0/24", "10.10.10.1"),
                      route("192.168.20.0/24", "10.10.11.1"),
                      route("192.168.20.0/24", "172.16.0.254", 250))
    assert fired(floating, "IDC204") == []
    broad = device(*clean_routes(), route("0.0.0.0/1", "10.10.10.1"),
                   route("10.1.0.0/16", "172.16.0.254"))
    assert fired(broad, "IDC204") == []


def test_idc205_site_network_unrouted_default_toward_link_counts() -> None:
    dev = device(*clean_routes()[:2], *clean_routes()[4:])
    found = fired(dev, "IDC205", site=site())
    assert len(found) == 1 and "192.168.0.0/16" in found[0].message
    via_default = device(*clean_routes()[:2], *clean_routes()[4:],
                         route("0.0.0.0/0", "10.10.10.1"), route("0.0.0.0/0", "10.10.11.1"))
    assert fired(via_default, "IDC205", site=site()) == []


def test_idc201_ipsec_selectors_overlap() -> None:
    dev = Device(vendor="cisco_ios")
    dev.ipsec.tunnels.append(IpsecTunnel("CM-ALIYUN 10", peer_address=A("47.0.0.161"), line=9,
                                         selectors=[(N("10.0.0.0/8"), N("10.1.0.0/16"))]))
    found = fired(dev, "IDC201")
    assert [f.line for f in found] == [9] and "10.1.0.0/16" in found[0].message


# --------------------------------------------------------------------------- health check
def test_idc301_missing_32_even_with_covering_ecmp() -> None:
    dev = device(*clean_routes()[:4])
    found = fired(dev, "IDC301", site=site())
    assert [f.line for f in found] == [0, 0]
    assert "192.168.10.1" in found[0].message and "192.168.0.0/16" in found[0].message
    assert fired(device(*clean_routes()), "IDC301", site=site()) == []


def test_idc302_copy_paste_and_ecmp_32() -> None:
    copy = device(*clean_routes()[:5], route("192.168.10.2/32", "10.10.10.1", line=45))
    found = fired(copy, "IDC302", site=site())
    assert [f.line for f in found] == [45] and "line-a" in found[0].message
    ecmp = device(*clean_routes(), route("192.168.10.1/32", "10.10.11.1", line=46))
    assert [f.line for f in fired(ecmp, "IDC302", site=site())] == [46]
    floating = device(*clean_routes(), route("192.168.10.1/32", "10.10.11.1", pref=5))
    assert fired(floating, "IDC302", site=site()) == []


def _copp(*stages: ControlPlaneStage, applied: bool = True, kind: str = "copp",
          end: str = "pass") -> ControlPlanePolicy:
    return ControlPlanePolicy("PM-COPP", kind, list(stages), applied=applied,  # type: ignore[arg-type]
                              end_treatment=end, line=80, applied_line=99)  # type: ignore[arg-type]


ICMP_ANY = PacketMatch(protocols={"icmp"})
HC_ONLY = PacketMatch(protocols={"icmp"}, sources=[N("192.168.10.1/32"), N("192.168.10.2/32")])


@pytest.mark.parametrize("rate", [8000, 100_000_000])
def test_idc303_policed_icmp_fires_whatever_the_rate(rate: int) -> None:
    policy = _copp(ControlPlaneStage("CM-ICMP", "police", ICMP_ANY, rate_bps=rate, line=82),
                   ControlPlaneStage("class-default", "police", PacketMatch(), rate_bps=rate,
                                     line=84))
    found = fired(device(*clean_routes(), control_plane=[policy]), "IDC303")
    assert [f.line for f in found] == [82]
    assert f"{rate} bit/s" in found[0].message and "192.168.10.1" in found[0].message


def test_idc303_exemption_first_wins_and_after_is_useless() -> None:
    exempt = ControlPlaneStage("CM-HC", "exempt", HC_ONLY, line=81)
    police = ControlPlaneStage("CM-ICMP", "police", ICMP_ANY, rate_bps=64000, line=82)
    ok = device(*clean_routes(), control_plane=[_copp(exempt, police)])
    assert fired(ok, "IDC303") == []
    late = device(*clean_routes(), control_plane=[_copp(police, exempt)])
    assert [f.line for f in fired(late, "IDC303")] == [82]
    unapplied = device(*clean_routes(), control_plane=[_copp(police, applied=False)])
    assert fired(unapplied, "IDC303") == []


def test_idc303_cisco_deny_ace_falls_through_to_class_default() -> None:
    acl = Filter("ACL-ICMP", [
        FilterEntry(PacketMatch({"icmp"}, [N("192.168.10.0/24")]), "deny", line=70),
        FilterEntry(PacketMatch({"icmp"}), "permit", line=71)])
    policy = _copp(ControlPlaneStage("CM-ICMP", "police", acl="ACL-ICMP", rate_bps=64000,
                                     line=82),
                   ControlPlaneStage("class-default", "police", PacketMatch(), rate_bps=10**6,
                                     line=84))
    dev = device(*clean_routes(), control_plane=[policy], filters={"ACL-ICMP": acl})
    assert [f.line for f in fired(dev, "IDC303")] == [84]


def test_idc303_junos_lo0_implicit_discard() -> None:
    policy = _copp(ControlPlaneStage("BGP", "exempt", PacketMatch({"tcp"}), line=81),
                   kind="lo0-filter", end="drop")
    found = fired(device(*clean_routes(), control_plane=[policy]), "IDC303")
    assert [f.line for f in found] == [80] and "drops" in found[0].message


def test_idc303_huawei_cpu_defend_whitelist_first() -> None:
    white = ControlPlaneStage("whitelist 1", "exempt", acl="3901", line=81)
    car = ControlPlaneStage("car icmp", "police", ICMP_ANY, rate_bps=64000, line=82)
    acl = Filter("3901", [FilterEntry(HC_ONLY, "permit")], default_action="permit")
    dev = device(*clean_routes(), control_plane=[_copp(white, car, kind="cpu-defend")],
                 filters={"3901": acl}, vendor="huawei_vrp")
    assert fired(dev, "IDC303") == []


def _hc_flow_device(*extra: FilterEntry, rate_bps: int = 1024000, site_model=None) -> Device:
    """Huawei: the health-check exemption idcgen renders (`user-defined-flow 1 acl 3901` +
    `car user-defined-flow 1 cir 1024`) ahead of a low ICMP CPCAR; `extra` entries are
    added to ACL 3901 after the health-check ones."""
    hc = [FilterEntry(PacketMatch({"icmp"}, [N(f"{s}/32")], [N(f"{d}/32")], {"echo"}),
                      "permit", line=70 + i)
          for i, (s, d) in enumerate([(HC_A, "10.10.10.2"), (HC_B, "10.10.11.2")])]
    acl = Filter("3901", [*hc, *extra], default_action="deny", line=69)
    flow = ControlPlaneStage("PROTECT user-defined-flow 1", "police", acl="3901",
                             rate_bps=rate_bps, line=81)
    car = ControlPlaneStage("PROTECT car icmp", "police", ICMP_ANY, rate_bps=8000, line=82)
    return device(*clean_routes(), control_plane=[_copp(flow, car, kind="cpu-defend")],
                  filters={"3901": acl}, vendor="huawei_vrp")


@pytest.mark.parametrize("with_site", [False, True])
def test_idc303_police_stage_dedicated_to_the_probes_is_their_exemption(with_site: bool
                                                                         ) -> None:
    """A Huawei user-defined flow only the health-check sources reach, with a CAR that
    meets Alibaba's floor (more than 500 echo/s: 400 kbit/s of 100-byte echoes), is a
    budget of their own: the low shared ICMP CPCAR after it no longer sees the probes."""
    kw = {"site": site()} if with_site else {}
    assert fired(_hc_flow_device(), "IDC303", **kw) == []
    assert fired(_hc_flow_device(rate_bps=400000), "IDC303", **kw) == []  # exactly the floor


def test_idc303_police_stage_shared_with_another_source_still_fires() -> None:
    """The same flow whose ACL also lets another source in is a shared budget again."""
    other = FilterEntry(PacketMatch({"icmp"}, [N("10.20.0.0/16")]), "permit", line=72)
    found = fired(_hc_flow_device(other), "IDC303")
    assert [f.line for f in found] == [81]
    assert "user-defined-flow 1" in found[0].message
    assert "192.168.10.1" in found[0].message and "192.168.10.2" in found[0].message
    assert "shared with all other ICMP" in found[0].message
    # a single other host is enough to share it
    host = FilterEntry(PacketMatch({"icmp"}, [N("192.168.10.9/32")]), "permit", line=72)
    assert [f.line for f in fired(_hc_flow_device(host), "IDC303")] == [81]
    # a deny entry for another source does not share it
    denied = FilterEntry(PacketMatch({"icmp"}, [N("10.20.0.0/16")]), "deny", line=72)
    assert fired(_hc_flow_device(denied), "IDC303") == []


@pytest.mark.parametrize("rate_bps", [100, 800, 64000, 399999])
def test_idc303_dedicated_police_stage_below_the_probes_need_fires(rate_bps: int) -> None:
    """Issue #11 defect 12: dedicated but below Alibaba's floor (more than 500 ICMP echo/s
    for the gateway, 400 kbit/s of 100-byte echoes): the old `cir 64` (64 kbit/s, about
    80 echoes/s) covered the probes' 0.5 packet/s but not the documented floor."""
    found = fired(_hc_flow_device(rate_bps=rate_bps), "IDC303")
    assert [f.line for f in found] == [81]
    assert f"at {rate_bps} bit/s" in found[0].message
    assert "below Alibaba's floor of more than 500 ICMP echo/s" in found[0].message


def test_idc303_dedicated_police_stage_needs_a_known_rate() -> None:
    """A police stage with no rate (unknown) is not known to cover the probes."""
    flow = ControlPlaneStage("CM-HC", "police", HC_ONLY, line=81)
    dev = device(*clean_routes(), control_plane=[_copp(flow)])
    assert [f.line for f in fired(dev, "IDC303")] == [81]
    # the same class (Cisco: match on the health-check hosts only) with a rate is fine
    flow = ControlPlaneStage("CM-HC", "police", HC_ONLY, rate_pps=500, line=81)
    police = ControlPlaneStage("CM-ICMP", "police", ICMP_ANY, rate_bps=8000, line=82)
    assert fired(device(*clean_routes(), control_plane=[_copp(flow, police)]), "IDC303") == []
    # 10 packet/s covers the probes' 1 packet/s but not Alibaba's 500/s floor
    flow = ControlPlaneStage("CM-HC", "police", HC_ONLY, rate_pps=10, line=81)
    assert [f.line for f in fired(device(*clean_routes(), control_plane=[_copp(flow, police)]),
                                  "IDC303")] == [81]


def test_idc303_unknown_source_is_judged_conservatively() -> None:
    routes = clean_routes()[:4]  # no /32: health-check source unknown
    police_all = _copp(ControlPlaneStage("CM-ICMP", "police", ICMP_ANY, rate_bps=64000, line=82))
    found = fired(device(*routes, control_plane=[police_all]), "IDC303")
    assert [f.line for f in found] == [82] and "every VPC-side address" in found[0].message
    some_exempt = _copp(
        ControlPlaneStage("CM-TRUST", "exempt", PacketMatch({"icmp"}, [N("192.168.10.0/24")]),
                          line=81),
        ControlPlaneStage("CM-ICMP", "police", ICMP_ANY, rate_bps=64000, line=82))
    assert fired(device(*routes, control_plane=[some_exempt]), "IDC303") == []


def test_idc304_first_match_and_implicit_deny() -> None:
    acl = Filter("IN", [FilterEntry(PacketMatch({"tcp"}), "permit", line=91)], line=90)
    dev = device(*clean_routes(), filters={"IN": acl})
    dev.interfaces["Gi1"].inbound_filter, dev.interfaces["Gi1"].inbound_filter_line = "IN", 12
    found = fired(dev, "IDC304")
    assert [f.line for f in found] == [12] and "implicit deny" in found[0].message
    acl.entries.insert(0, FilterEntry(PacketMatch({"icmp"}, [N("192.168.10.1/32")]), "permit"))
    assert fired(dev, "IDC304") == []
    acl.entries.insert(0, FilterEntry(PacketMatch({"icmp"}), "deny", line=89))
    assert [f.line for f in fired(dev, "IDC304")] == [89]


def test_idc304_huawei_traffic_filter_default_permit() -> None:
    acl = Filter("3001", [FilterEntry(PacketMatch({"tcp"}), "deny", line=91)],
                 default_action="permit")
    dev = device(*clean_routes(), filters={"3001": acl}, vendor="huawei_vrp")
    dev.interfaces["Gi1"].inbound_filter = "3001"
    assert fired(dev, "IDC304") == []


def test_idc304_undefined_acl_and_srx_zone() -> None:
    dev = device(*clean_routes())
    dev.interfaces["Gi1"].inbound_filter = "MISSING"
    assert fired(dev, "IDC304") == []  # Cisco: an undefined ACL permits everything
    dev.undefined_filter_action = "deny"
    assert len(fired(dev, "IDC304")) == 1
    srx = device(*clean_routes(), vendor="junos")
    srx.interfaces["Gi2"].host_inbound_ping = False
    assert [f.line for f in fired(srx, "IDC304")] == [15]


def test_idc305_site_rule() -> None:
    dev = device(*clean_routes())
    dev.interfaces["Gi2"].addresses = [IPv4Interface("10.10.11.6/30")]
    found = fired(dev, "IDC305", site=site())
    assert [f.line for f in found] == [15] and "10.10.11.2/30" in found[0].message
    assert fired(device(*clean_routes()), "IDC305", site=site()) == []
    from idcgen.rules import CATALOGUE, RETIRED

    assert "IDC306" not in CATALOGUE and "IDC306" in RETIRED  # the site model owns it


# --------------------------------------------------------------------------- IPsec
def _ipsec_device(enc: str = "aes256", integ: str = "sha256", group: int = 14,
                  pfs: int | None = 14, cleartext: bool = False) -> Device:
    dev = Device(vendor="cisco_ios", path="vpn.cfg")
    cfg = dev.ipsec
    cfg.ike_proposals["10"] = IkeProposal("10", [enc], [integ], [group], line=3)
    cfg.ipsec_proposals["TS"] = IpsecProposal("TS", [enc], [integ], line=8)
    cfg.peers["GW"] = IpsecPeer("GW", A("47.0.0.161"), psk_present=True,
                                psk_cleartext=cleartext, psk_line=12, line=11)
    cfg.tunnels.append(IpsecTunnel("CM-ALIYUN 10", peer="GW", proposals=["TS"], pfs_group=pfs,
                                   line=20, selectors=[(N("10.10.10.0/24"), VPC)]))
    return dev


def test_ipsec_clean() -> None:
    result = run_rules(_ipsec_device())
    assert [f.rule for f in result.findings] == []


def test_idc401_weak_and_idc404_unsupported() -> None:
    weak = _ipsec_device(enc="3des", integ="md5", group=2, pfs=5)
    assert sorted(f.line for f in fired(weak, "IDC401")) == [3, 8, 20]
    assert fired(weak, "IDC404") == []
    gcm = _ipsec_device(enc="aes-gcm-256", group=19, pfs=20)
    assert sorted(f.line for f in fired(gcm, "IDC404")) == [3, 8, 20]
    assert fired(_ipsec_device(integ="sha384"), "IDC404") == []


def test_idc404_one_acceptable_proposal_is_enough() -> None:
    dev = _ipsec_device(enc="aes-gcm-256")
    dev.ipsec.ike_proposals["20"] = IkeProposal("20", ["aes"], ["sha1"], [14], line=5)
    dev.ipsec.peers["GW"].ike_proposals = ["10", "20"]
    assert [f.line for f in fired(dev, "IDC404")] == [8]  # only the transform set


def test_idc404_ah_and_transport_mode() -> None:
    dev = _ipsec_device()
    dev.ipsec.ipsec_proposals["TS"].protocol = "ah"
    dev.ipsec.ipsec_proposals["TS"].mode = "transport"
    found = fired(dev, "IDC404")
    assert len(found) == 1 and "protocol ah" in found[0].message and "transport" in found[0].message


def test_idc402_cleartext_key_names_line_never_key() -> None:
    found = fired(_ipsec_device(cleartext=True), "IDC402")
    assert [f.line for f in found] == [12] and "line 12" in found[0].message


# --------------------------------------------------------------------------- redundancy
def test_idc501_more_than_four_links() -> None:
    dev = device()
    routes = []
    for i in range(5):
        name = f"Te{i}"
        dev.interfaces[name] = Interface(name, 100 + i, [IPv4Interface(f"10.20.{i}.2/30")],
                                         description=f"Aliyun VBR {i}")
        routes.append(route("192.168.0.0/16", f"10.20.{i}.1", line=110 + i))
    dev.static_routes = routes
    found = fired(dev, "IDC501")
    assert [f.line for f in found] == [114]
    dev.static_routes[-1].preference = 10
    assert fired(dev, "IDC501") == []


def test_idc502_vpc_over_one_link_only() -> None:
    dev = device(*clean_routes()[:3], *clean_routes()[4:])
    found = fired(dev, "IDC502")
    assert [f.line for f in found] == [42] and "192.168.0.0/16" in found[0].message
    backup = device(*clean_routes()[:3], *clean_routes()[4:],
                    route("192.168.0.0/16", "10.10.11.1", pref=11))
    assert fired(backup, "IDC502") == []


def test_idc503_ecmp_where_active_standby_is_intended() -> None:
    dev = device(*clean_routes())
    found = fired(dev, "IDC503", site=site(redundancy="active-standby"))
    # one finding per shared prefix, on the standby line's route; host routes not judged
    assert [f.line for f in found] == [41, 43]
    assert "active-standby" in found[1].message and "line-a" in found[1].message
    assert any(f.startswith("ip route 192.168.0.0 255.255.0.0 10.10.11.1 11")
               for f in found[1].fix)
    assert "no ip route 192.168.0.0 255.255.0.0 10.10.11.1" in found[1].fix
    assert fired(dev, "IDC503", site=site()) == []  # ECMP intended: as configured
    assert fired(dev, "IDC503") == []  # (site) rule


def test_idc503_floating_route_where_ecmp_is_intended() -> None:
    standby = [route("100.64.0.0/10", "10.10.10.1", line=40),
               route("100.64.0.0/10", "10.10.11.1", pref=11, line=41),
               route("192.168.0.0/16", "10.10.10.1", line=42),
               route("192.168.0.0/16", "10.10.11.1", pref=11, line=43),
               route("192.168.10.1/32", "10.10.10.1", line=44),
               route("192.168.10.2/32", "10.10.11.1", line=45),
               route("192.168.10.2/32", "10.10.10.1", pref=11, line=46)]
    found = fired(device(*standby), "IDC503", site=site())
    assert [f.line for f in found] == [41, 43] and "ecmp" in found[0].message
    assert found[1].fix[-1].startswith("ip route 192.168.0.0 255.255.0.0 10.10.11.1 name")
    assert fired(device(*standby), "IDC503", site=site(redundancy="active-standby")) == []


# --------------------------------------------------------------------------- meta, runner
def test_idc900_names_lines_and_hides_secrets() -> None:
    dev = device(*clean_routes(), unparsed=[
        UnparsedSection("routes", 33, "ip route static bfd Gi1 10.10.10.1", "unknown form"),
        UnparsedSection("ipsec", 34, "crypto isakmp key S3cr3t! address 1.2.3.4"),
        UnparsedSection("filters", 35, "ip access-list foo password hunter2"),
    ])
    found = [f for f in run_rules(dev).findings if f.rule == "IDC900"]
    assert [f.line for f in found] == [33, 34, 35]
    # only sections that a rule which ran reads (link inference reads routes and IPsec)
    only_ipsec = [f for f in run_rules(dev, select=["IDC4", "IDC900"]).findings]
    assert [f.line for f in only_ipsec if f.rule == "IDC900"] == [33, 34]
    text = " ".join(f.message for f in found)
    assert "S3cr3t" not in text and "hunter2" not in text and "line 33" in text


def test_select_ignore_prefixes_and_sorting() -> None:
    dev = device(route("192.168.10.1/32", "10.10.11.1", line=5),
                 route("192.168.10.1/32", "10.10.11.1", line=6))
    rules = {f.rule for f in run_rules(dev, select=["IDC1"]).findings}
    assert rules == {"IDC101"}
    rules = {f.rule for f in run_rules(dev, ignore=["IDC1", "IDC2"]).findings}
    assert not any(r.startswith(("IDC1", "IDC2")) for r in rules)
    findings = run_rules(dev).findings
    assert findings == sorted(findings, key=lambda f: (f.line, f.rule))
    assert all(f.file == "r1.cfg" for f in findings)
