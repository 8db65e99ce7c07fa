"""The BGP rules (IDC601-IDC609) and the BGP-aware route rules on realistic border
routers of all four config forms (tests/fixtures/bgp/make.py): each faulty config fires
exactly the expected error / warning findings at the expected lines, each quiet twin and
the clean config fire none, and the classic `le 24` import filter gives the health-check
error and nothing else, with and without the site model."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml

from idcgen.rules import run_rules

FIXTURES = Path(__file__).parent / "fixtures" / "bgp"
EXPECTED: dict[str, dict[str, dict]] = json.loads((FIXTURES / "expected.json").read_text())
VENDOR = {"cisco_ios": "cisco_ios", "huawei_vrp": "huawei_vrp", "junos": "junos",
          "junos_set": "junos"}
CASES = [(form, case) for form, cases in sorted(EXPECTED.items()) for case in sorted(cases)]


@cache
def site():
    from idcgen.sitemodel import Site

    return Site.model_validate(yaml.safe_load((FIXTURES / "site.yaml").read_text()))


def lint(form: str, case: str) -> list:
    from idcgen.vendors import get_driver

    path = FIXTURES / form / f"{case.split('+')[0]}.cfg"
    device = get_driver(VENDOR[form]).parse(path.read_text(), str(path))
    assert device.read_error is None
    use_site = site() if EXPECTED[form][case]["site"] else None
    return run_rules(device, site=use_site).findings


@pytest.mark.parametrize(("form", "case"), CASES, ids=[f"{f}-{c}" for f, c in CASES])
def test_findings_are_exactly_the_expected_ones(form: str, case: str) -> None:
    findings = [f for f in lint(form, case) if f.severity in ("error", "warning")]
    got: dict[str, set[int]] = {}
    for finding in findings:
        got.setdefault(finding.rule, set()).add(finding.line)
    want = {rule: set(lines) for rule, lines in EXPECTED[form][case]["rules"].items()}
    assert got == want, [(f.rule, f.line, f.message) for f in findings]


@pytest.mark.parametrize("form", sorted(EXPECTED))
def test_le24_gives_the_health_check_error_and_nothing_else(form: str) -> None:
    for case in ("le24", "le24+site"):
        findings = lint(form, case)
        assert {f.rule for f in findings if f.severity != "info"} == {"IDC601"}
        messages = [f.message for f in findings if f.rule == "IDC601"]
        assert len(messages) == 2  # one per line, each naming its own source
        assert any("192.168.10.1/32" in m for m in messages)
        assert any("192.168.10.2/32" in m for m in messages)


@pytest.mark.parametrize("form", sorted(EXPECTED))
def test_every_bad_case_has_its_quiet_twin(form: str) -> None:
    for case, spec in EXPECTED[form].items():
        if case.endswith("-bad"):  # IDC604-bad, IDC604-long-bad: the rule, then a variant
            rule = case.split("-")[0]
            assert rule in spec["rules"], case
            twin = case.removesuffix("-bad") + "-good"
            assert twin in EXPECTED[form]
            assert EXPECTED[form][twin]["rules"] == {}


# ------------------------------------------------------------- the route rules with BGP
def _cisco_clean() -> str:
    return (FIXTURES / "cisco_ios" / "clean.cfg").read_text()


def _rules(text: str, *, with_site: bool = False) -> dict[str, list]:
    from idcgen.vendors import get_driver

    device = get_driver("cisco_ios").parse(text, "x.cfg")
    out: dict[str, list] = {}
    for finding in run_rules(device, site=site() if with_site else None).findings:
        if finding.severity != "info":
            out.setdefault(finding.rule, []).append(finding)
    return out


def test_cloud_services_refused_by_every_session_is_unrouted() -> None:
    text = "\n".join(line for line in _cisco_clean().splitlines()
                     if "100.64.0.0/10 le 11" not in line) + "\n"
    found = _rules(text)
    assert set(found) == {"IDC101"}
    assert found["IDC101"][0].fix  # the static-route fix, as without BGP


def test_a_static_health_check_route_over_the_other_line_beats_bgp() -> None:
    text = _cisco_clean().replace(
        "ip route 0.0.0.0 0.0.0.0 203.0.113.1 name INTERNET",
        "ip route 0.0.0.0 0.0.0.0 203.0.113.1 name INTERNET\n"
        "ip route 192.168.10.1 255.255.255.255 10.10.11.1")
    found = _rules(text, with_site=True)  # without it, that /32 makes 192.168.10.1 line B's
    assert set(found) == {"IDC302"}
    (hit,) = found["IDC302"]
    assert "192.168.10.1" in hit.message and "10.10.11.1" in hit.message


def test_a_vpc_no_session_accepts_is_unrouted_with_the_site() -> None:
    text = _cisco_clean().replace("192.168.0.0/16 le 24", "10.99.0.0/16 le 24")
    assert "IDC205" in _rules(text, with_site=True)
    assert "IDC205" not in _rules(_cisco_clean(), with_site=True)


def test_learned_routes_are_never_removed_by_a_fix() -> None:
    from idcgen.bgp import learned_routes
    from idcgen.links import infer_links
    from idcgen.rules.context import Context
    from idcgen.vendors import get_driver

    device = get_driver("cisco_ios").parse(_cisco_clean(), "x.cfg")
    links = infer_links(device)
    learned = learned_routes(device, None, links)
    assert {(str(r.prefix), str(r.next_hop), r.preference) for r in learned} >= {
        ("192.168.10.1/32", "10.10.10.1", 20), ("192.168.10.2/32", "10.10.11.1", 20),
        ("192.168.0.0/16", "10.10.10.1", 20), ("192.168.0.0/16", "10.10.11.1", 20)}
    assert ("192.168.10.2/32", "10.10.10.1") not in {(str(r.prefix), str(r.next_hop))
                                                     for r in learned}
    ctx = Context(device, None, links)
    assert all(ctx.removal_fix(r) == [] for r in learned)


def test_without_multipath_one_session_is_the_standby_path() -> None:
    from idcgen.bgp import learned_routes
    from idcgen.links import infer_links
    from idcgen.vendors import get_driver

    text = _cisco_clean().replace("  maximum-paths 2\n", "")
    device = get_driver("cisco_ios").parse(text, "x.cfg")
    prefs = {(str(r.next_hop), r.preference) for r in learned_routes(
        device, None, infer_links(device)) if str(r.prefix) == "192.168.0.0/16"}
    assert prefs == {("10.10.10.1", 20), ("10.10.11.1", 21)}


# --------------------------------------------------------------------------- links
_BARE = """hostname dc1
!
interface GigabitEthernet0/0/1
 description uplink-1
 ip address 10.10.10.2 255.255.255.252
!
interface GigabitEthernet0/0/2
 description uplink-2
 ip address 10.30.0.2 255.255.255.0
!
router bgp 65010
 neighbor 10.10.10.1 remote-as 45104
 neighbor 10.30.0.1 remote-as 45104
 neighbor 10.10.10.1 password 7 0822455D0A16
 neighbor 10.10.10.1 prefix-list PL-IN in
!
ip prefix-list PL-IN seq 5 permit 192.168.10.1/32
ip prefix-list PL-IN seq 10 permit 192.168.0.0/16 le 24
ip prefix-list PL-IN seq 15 permit 100.64.0.0/10 le 11
!
end
"""


def test_a_neighbor_in_as_45104_across_a_p2p_subnet_is_a_leased_line() -> None:
    from idcgen.links import infer_links
    from idcgen.vendors import get_driver

    (link,) = infer_links(get_driver("cisco_ios").parse(_BARE, "x.cfg"))  # not the /24
    assert (link.interface, str(link.peer_ip), link.kind) == (
        "GigabitEthernet0/0/1", "10.10.10.1", "leased-line")
    assert "BGP neighbor 10.10.10.1 in AS 45104 (line 12)" in link.evidence
    assert str(link.health_check_source) == "192.168.10.1"  # its import list's one /32


def test_site_peer_asn_and_route_quota_are_the_lines_own() -> None:
    from idcgen.sitemodel import Site
    from idcgen.vendors import get_driver

    data = yaml.safe_load((FIXTURES / "site.yaml").read_text())
    data["bgp"]["peer_asn"] = 64999  # a VBR on an Express Connect Router of AS 64999
    data["lines"][1]["bgp"] = {"route_quota": 50}
    custom = Site.model_validate(data)
    path = FIXTURES / "cisco_ios" / "IDC607-good.cfg"  # 101 prefixes: under 110
    device = get_driver("cisco_ios").parse(path.read_text(), str(path))
    found = run_rules(device, site=custom).findings
    wrong_as = [f for f in found if f.rule == "IDC605"]
    assert len(wrong_as) == 2 and all("64999" in f.message for f in wrong_as)
    (quota,) = [f for f in found if f.rule == "IDC607"]
    assert "10.10.11.1" in quota.message and "accepts 50" in quota.message


def test_an_unknown_bgp_statement_is_idc900_and_secrets_stay_out_of_the_report() -> None:
    import json as _json

    from idcgen.lint import lint_text
    from idcgen.report.json_report import render_json

    text = _cisco_clean().replace(
        " neighbor 10.10.10.1 timers 30 90",
        " neighbor 10.10.10.1 timers 30 90\n neighbor 10.10.10.1 frobnicate on")
    result = lint_text(text, "x.cfg", vendor="cisco_ios")
    odd = [f for f in result.findings if f.rule == "IDC900"]
    assert len(odd) == 1 and "frobnicate" in odd[0].message
    assert [f for f in result.findings if f.severity != "info"] == []
    for form, secret in (("cisco_ios", "0822455D0A16544541"),
                         ("huawei_vrp", "Kq8w1Yb3N"), ("junos", "Hk5FCtO1IcyKMLNbw2aZk")):
        path = FIXTURES / form / "IDC601-bad.cfg"
        assert secret in path.read_text()
        out = render_json([lint_text(path.read_text(), str(path), vendor=VENDOR[form])])
        assert _json.loads(out)["files"] and secret not in out


# ------------------------------------- IDC601 when the config does not show the sources
def _without_source_hints(text: str) -> str:
    """The config without the lines that name the health-check sources (CoPP / ACL /
    lo0 entries for 192.168.10.1 and .2), so lint cannot learn them; the BGP import
    filters (prefix-list, ip-prefix, route-filter) stay as they are."""
    return "\n".join(line for line in text.splitlines() if "192.168.10." not in line
                     or "prefix" in line or "route-filter" in line)


def _lint_unsourced(form: str, case: str) -> list:
    from idcgen.vendors import get_driver

    path = FIXTURES / form / f"{case}.cfg"
    device = get_driver(VENDOR[form]).parse(_without_source_hints(path.read_text()),
                                            str(path))
    assert device.read_error is None
    return run_rules(device, site=None).findings


@pytest.mark.parametrize("form", sorted(EXPECTED))
def test_le24_without_known_sources_still_gives_the_health_check_error(form: str) -> None:
    findings = _lint_unsourced(form, "le24")
    errors = [f for f in findings if f.rule == "IDC601"]
    assert len(errors) == 2, [(f.rule, f.message) for f in findings]
    assert all("refuses host routes inside the cloud networks" in f.message for f in errors)
    # removing the exemption entries for the sources also removes the probes' exemption
    # (IDC303/IDC304 are then true); no route rule may fire on the BGP-learned routes
    assert {f.rule for f in findings if f.severity != "info"} <= {"IDC601", "IDC303",
                                                                  "IDC304"}


@pytest.mark.parametrize("form", sorted(EXPECTED))
def test_clean_import_filters_without_known_sources_stay_quiet(form: str) -> None:
    findings = _lint_unsourced(form, "clean")
    assert [f for f in findings if f.rule == "IDC601"] == []


def test_a_filter_naming_a_host_route_is_not_judged_without_the_source() -> None:
    """A /32 the import filter names may be the source: no guess either way."""
    from idcgen.lint import lint_text

    sample = Path(__file__).parent.parent / "samples" / "running" / \
        "cisco-dual-line-bgp-le24.cfg"
    text = sample.read_text()
    assert len([f for f in lint_text(text, "a.cfg", vendor="cisco_ios").findings
                if f.rule == "IDC601"]) == 2
    named = text.replace("ip prefix-list PL-FROM-ALIYUN seq 10 permit 0.0.0.0/0 le 24",
                         "ip prefix-list PL-FROM-ALIYUN seq 5 permit 192.168.77.9/32\n"
                         "ip prefix-list PL-FROM-ALIYUN seq 10 permit 0.0.0.0/0 le 24")
    assert named != text
    assert [f for f in lint_text(named, "b.cfg", vendor="cisco_ios").findings
            if f.rule == "IDC601"] == []
    wide = text.replace("0.0.0.0/0 le 24", "0.0.0.0/0 le 32")
    assert [f for f in lint_text(wide, "c.cfg", vendor="cisco_ios").findings
            if f.rule == "IDC601"] == []
