"""Issue #12 lint accuracy: realistic border routers per vendor and config form, each
faulty one firing exactly the expected error/warning rules on the expected lines and
each clean twin firing none (tests/fixtures/accuracy/, written by make.py there)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from idcgen.rules import run_rules
from idcgen.vendors import get_driver

HERE = Path(__file__).parent / "fixtures" / "accuracy"
EXPECTED: dict[str, dict[str, dict]] = json.loads((HERE / "expected.json").read_text())
CASES = [(v, c) for v, cases in sorted(EXPECTED.items()) for c in sorted(cases)]


def _site(name: str | None):
    if name is None:
        return None
    from idcgen.sitemodel import Site

    return Site.model_validate(yaml.safe_load((HERE / "sites" / f"{name}.yaml").read_text()))


def _lint(vendor: str, case: str):
    path = HERE / vendor / f"{case}.cfg"
    # folders named <vendor>_<form>: Junos `display set`, Huawei CloudEngine
    driver = get_driver({"junos_set": "junos", "huawei_vrp_ce": "huawei_vrp"}.get(vendor, vendor))
    return run_rules(driver.parse(path.read_text(), str(path)),
                     site=_site(EXPECTED[vendor][case].get("site")))


@pytest.mark.parametrize(("vendor", "case"), CASES, ids=[f"{v}-{c}" for v, c in CASES])
def test_exact_rule_set_on_expected_lines(vendor: str, case: str) -> None:
    want: dict[str, int] = EXPECTED[vendor][case]["rules"]
    got: dict[str, list[int]] = {}
    for f in _lint(vendor, case).findings:
        if f.severity != "info":
            got.setdefault(f.rule, []).append(f.line)
    assert set(got) == set(want), got
    for rule, line in want.items():
        assert line in got[rule], (rule, got[rule])


@pytest.mark.parametrize("vendor", sorted(v for v in EXPECTED if "c1-bad" in EXPECTED[v]))
def test_internet_uplink_is_rejected_with_a_reason(vendor: str) -> None:
    result = _lint(vendor, "c1-bad")
    assert all(not (link.interface or "").endswith("0/0/0") and link.interface != "ge-0/0/0.0"
               for link in result.links)
    [rejected] = result.rejected_links
    assert "only a 100.64.0.0/10 route" in rejected.reason
    assert "default route" in rejected.reason
    for link in result.links:
        assert link.evidence


def test_text_report_says_why_a_candidate_is_rejected() -> None:
    from idcgen.report.text import render_text
    from idcgen.results import FileResult

    result = _lint("cisco_ios", "c1-bad")
    text = render_text([FileResult("r.cfg", "cisco_ios", result.links, result.findings,
                                   rejected_links=result.rejected_links)])
    assert "GigabitEthernet0/0/0: only a 100.64.0.0/10 route" in text
    assert "it carries the default route" in text and "NAT outside" in text


@pytest.mark.parametrize("case", ["c6-bad", "c6-good"])
def test_cloudengine_ports_are_cloud_links(case: str) -> None:
    """CloudEngine names (10GE1/0/47.100 under a described 10GE port, Eth-Trunk2.200)
    are the two lines; the 100GE Internet uplink and the Eth-Trunk members are not."""
    result = _lint("huawei_vrp_ce", case)
    assert sorted((lk.interface, str(lk.peer_ip)) for lk in result.links) == [
        ("10GE1/0/47.100", "10.10.10.1"), ("Eth-Trunk2.200", "10.10.11.1")]
    assert not result.rejected_links
    sources = {lk.interface: lk.health_check_source for lk in result.links}
    assert str(sources["10GE1/0/47.100"]) == "192.168.10.1"
    assert (sources["Eth-Trunk2.200"] is None) == (case == "c6-bad")
