"""The BGP part of the site model (#10): every rule fails at its field and passes at its
edge; the resolved per-line settings (`effective_bgp`) are what plan, lint and review read."""

from __future__ import annotations

import copy
from ipaddress import IPv4Network
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_sitemodel import load, problems_of

from idcgen.cli import main
from idcgen.sitemodel import load_site
from idcgen.sitemodel.bgp import effective_bgp, line_routing, uses_bgp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "dual-line-bgp.yaml"


def bgp_model(**bgp: object) -> dict:
    model = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    model["bgp"].update(bgp)
    return model


def test_sample_resolves_per_line() -> None:
    site = load_site(SAMPLE)
    assert uses_bgp(site) and line_routing(site, 1) == "bgp"
    a, b = effective_bgp(site, 0), effective_bgp(site, 1)
    assert a is not None and b is not None
    assert (a.local_asn, a.peer_asn, str(a.peer_ip)) == (65010, 45104, "10.10.10.1")
    assert a.advertise == (IPv4Network("172.16.0.0/16"),)
    assert a.own_health_check == IPv4Network("192.168.10.1/32")
    assert a.other_health_checks == (IPv4Network("192.168.10.2/32"),)
    assert [(str(p.cidr), p.longest) for p in a.accept] == [
        ("192.168.0.0/16", 32), ("100.64.0.0/10", 10), ("100.64.0.0/11", 11),
        ("100.96.0.0/11", 11)]
    # first match: the other line's probe source is refused although the VPC covers it
    assert a.admits(IPv4Network("192.168.10.1/32"))
    assert not a.admits(IPv4Network("192.168.10.2/32"))
    assert b.admits(IPv4Network("192.168.10.2/32"))
    assert a.admits(IPv4Network("192.168.3.0/24"))
    assert not a.admits(IPv4Network("0.0.0.0/0"))
    assert not a.admits(IPv4Network("100.64.0.0/12"))
    assert a.route_quota == 110 and a.bfd is not None and a.bfd.interval == 1000
    assert a.password is not None and a.password.env == "ALIYUN_BGP_MD5"
    assert a.local_preference is None and a.prepend == 0  # ecmp


def test_active_standby_ranks_and_line_overrides() -> None:
    model = bgp_model()
    model["redundancy"] = "active-standby"
    model["lines"][1]["bgp"] = {"peer_asn": 64600, "bfd": False,
                                "accept": ["192.168.0.0/16", {"cidr": "10.0.0.0/8",
                                                              "up_to": 24}]}
    site = load(model)
    a, b = effective_bgp(site, 0), effective_bgp(site, 1)
    assert a is not None and b is not None
    assert (a.local_preference, a.prepend) == (200, 0)
    assert (b.local_preference, b.prepend) == (190, 1)
    assert (a.peer_asn, b.peer_asn) == (45104, 64600)
    assert a.bfd is not None and b.bfd is None
    assert [(str(p.cidr), p.exact) for p in b.accept] == [("192.168.0.0/16", True),
                                                          ("10.0.0.0/8", False)]
    assert b.admits(IPv4Network("10.1.0.0/24")) and not b.admits(IPv4Network("10.1.0.0/25"))
    assert not b.admits(IPv4Network("192.168.1.0/24"))  # exact only
    assert b.admits(IPv4Network("192.168.10.2/32"))  # own health check always


def test_static_site_has_no_bgp() -> None:
    site = load_site(ROOT / "samples" / "dual-line-ecmp.yaml")
    assert not uses_bgp(site) and effective_bgp(site, 0) is None


def test_asdot_asn() -> None:
    site = load(bgp_model(local_asn="1.10"))
    assert site.bgp is not None and site.bgp.local_asn == 65546


INVALID = [
    ("reserved 45104", {"local_asn": 45104}, "bgp.local_asn", "reserved by Alibaba"),
    ("reserved 65025", {"local_asn": 65025}, "bgp.local_asn", "reserved by Alibaba"),
    ("as_trans", {"local_asn": 23456}, "bgp.local_asn", "AS_TRANS"),
    ("asn zero", {"local_asn": 0}, "bgp.local_asn", "greater than or equal to 1"),
    ("asn too big", {"local_asn": 4294967296}, "bgp.local_asn", "less than or equal"),
    ("ibgp", {"peer_asn": 65010}, "bgp.peer_asn", "eBGP"),
    ("password in clear", {"password": "s3cret-value"}, "bgp.password",
     "never written into the site model"),
    ("password bad env", {"password": {"env": "s3cret value"}}, "bgp.password.env",
     "not an environment variable name"),
    ("bfd interval", {"bfd": {"interval": 100}}, "bgp.bfd.interval", "200"),
    ("bfd interval high", {"bfd": {"interval": 1001}}, "bgp.bfd.interval", "1000"),
    ("bfd multiplier", {"bfd": {"multiplier": 11}}, "bgp.bfd.multiplier", "10"),
    ("timers", {"timers": {"keepalive": 60, "hold": 90}}, "bgp.timers", "three keepalives"),
    ("quota", {"route_quota": 1, "advertise": ["172.16.0.0/17", "172.16.128.0/17"]},
     "bgp.advertise", "route quota of 1"),
    ("advertise cloud", {"advertise": ["172.16.0.0/16", "192.168.1.0/24"]},
     "bgp.advertise[1]", "overlaps cloud network prod"),
    ("advertise 100.64", {"advertise": ["100.64.0.0/16"]}, "bgp.advertise[0]",
     "cloud-services range"),
    ("accept onprem", {"accept": ["172.16.0.0/12"]}, "bgp.accept[0]",
     "overlaps on-premises network"),
    ("accept up_to short", {"accept": [{"cidr": "10.0.0.0/8", "up_to": 4}]},
     "bgp.accept[0]", "shorter than"),
    ("unknown key", {"neighbor": "10.0.0.1"}, "bgp.neighbor", "unknown key"),
]


@pytest.mark.parametrize(("bgp", "path", "words"), [c[1:] for c in INVALID],
                         ids=[c[0] for c in INVALID])
def test_invalid(bgp: dict, path: str, words: str) -> None:
    found = problems_of(bgp_model(**bgp))
    assert any(p == path and words in m for p, m in found), found


def test_password_never_echoed() -> None:
    result = CliRunner().invoke(main, ["check", "-"], input=yaml.safe_dump(
        bgp_model(password="Hunter2-Very-Secret")))
    assert result.exit_code == 2
    assert "Hunter2-Very-Secret" not in result.output + (result.stderr or "")


def test_structure_errors() -> None:
    model = bgp_model()
    del model["bgp"]
    assert ("routing", "routing bgp needs a site `bgp:` block with at least `local_asn` "
                       "(the data center's AS number)") in problems_of(model)
    model = bgp_model()
    model["routing"] = "static"
    found = dict(problems_of(model))
    assert "bgp" in found and "routing: bgp" in found["bgp"]
    model = bgp_model()
    model["lines"][1]["routing"] = "static"
    found = dict(problems_of(model))
    assert "static route always wins" in found["lines[1].routing"]
    model = copy.deepcopy(bgp_model())
    model["routing"] = "static"
    del model["bgp"]
    model["lines"][0]["bgp"] = {"bfd": True}
    assert "lines[0].bgp" in dict(problems_of(model))


def test_line_override_errors_are_at_the_line() -> None:
    model = bgp_model()
    model["lines"][1]["bgp"] = {"advertise": ["192.168.5.0/24"], "peer_asn": 65010}
    found = dict(problems_of(model))
    assert "overlaps cloud network" in found["lines[1].bgp.advertise[0]"]
    assert "eBGP" in found["lines[1].bgp.peer_asn"]


def test_nothing_to_advertise() -> None:
    model = bgp_model()
    model["onprem_networks"] = []
    assert "advertises nothing" in dict(problems_of(model))["onprem_networks"]


def test_site_level_problem_reported_once() -> None:
    found = problems_of(bgp_model(route_quota=1, advertise=["172.16.0.0/17",
                                                            "172.16.128.0/17"]))
    assert sum("route quota" in m for _, m in found) == 1


def test_ipsec_bgp_asn_must_match() -> None:
    model = bgp_model()
    model["ipsec"] = [{
        "name": "office1", "gateway_ip": "5.5.5.5", "customer_gateway_ip": "1.1.1.1",
        "outside_interface": "GigabitEthernet0/0/0", "local_networks": ["172.16.0.0/16"],
        "cloud_networks": ["192.168.0.0/16"], "psk": {"env": "X"},
        "routing": {"tunnel_interface": "Tunnel1", "tunnel_cidr": "169.254.10.0/30",
                    "bgp": {"local_asn": 65011}}}]
    found = dict(problems_of(model))
    assert "one BGP process" in found["ipsec[0].routing.bgp.local_asn"]


def test_failure_detection_is_refused_with_bgp() -> None:
    model = bgp_model()
    model["failure_detection"] = "track"
    found = dict(problems_of(model))
    assert "use bgp.bfd" in found["failure_detection"]
    model = bgp_model()
    model["lines"][1]["failure_detection"] = "bfd"
    assert "use bgp.bfd" in dict(problems_of(model))["lines[1].failure_detection"]
