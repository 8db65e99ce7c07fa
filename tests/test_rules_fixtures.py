"""netlint-style fixture pairs: for every rule and vendor, a faulty config that fires the
rule on the expected line and a clean twin that does not.

Fixtures: tests/fixtures/rules/<vendor>/<RULE>-bad.cfg / -good.cfg, written by
tests/fixtures/rules/make_fixtures.py; expected.json holds the expected line and the site
model (tests/fixtures/rules/sites/) each pair is linted with.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml

from idcgen.devicemodel import Device
from idcgen.rules import run_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
EXPECTED: dict[str, dict[str, dict]] = json.loads((FIXTURES / "expected.json").read_text())
CASES = [(vendor, rule) for vendor, rules in sorted(EXPECTED.items()) for rule in sorted(rules)]
IDS = [f"{vendor}-{rule}" for vendor, rule in CASES]
@cache
def site(name: str | None):
    """The site model of a fixture, validated as the pydantic model (the YAML loader's
    located errors are tested with the site model)."""
    if name is None:
        return None
    from idcgen.sitemodel import Site

    file = FIXTURES / "sites" / (name.replace(":", "-") + ".yaml")
    return Site.model_validate(yaml.safe_load(file.read_text()))


def parse(vendor: str, path: Path) -> Device:
    from idcgen.vendors import get_driver

    return get_driver(vendor).parse(path.read_text(), str(path))


@pytest.mark.parametrize(("vendor", "rule"), CASES, ids=IDS)
def test_bad_fixture_fires_on_expected_line(vendor: str, rule: str) -> None:
    case = EXPECTED[vendor][rule]
    path = FIXTURES / vendor / f"{rule}-bad.cfg"
    result = run_rules(parse(vendor, path), site=site(case["site"]))
    hits = [f for f in result.findings if f.rule == rule]
    assert hits, f"{rule} did not fire on {path.name}: {result.findings}"
    assert case["line"] in [f.line for f in hits], [(f.line, f.message) for f in hits]
    for finding in hits:
        assert finding.file == str(path)
        assert "Alibaba-Test-Key" not in finding.message


@pytest.mark.parametrize(("vendor", "rule"), CASES, ids=IDS)
def test_good_twin_is_clean(vendor: str, rule: str) -> None:
    """The clean twin fires neither this rule nor any other error or warning."""
    case = EXPECTED[vendor][rule]
    path = FIXTURES / vendor / f"{rule}-good.cfg"
    result = run_rules(parse(vendor, path), site=site(case["site"].split(":")[0]
                                                          if case["site"] else None))
    loud = [f for f in result.findings if f.severity != "info" or f.rule == rule]
    assert loud == [], [(f.rule, f.line, f.message) for f in loud]


# Fix lines come from idcgen.generator.snippets in the device's own syntax.
FIXES: dict[tuple[str, str], str] = {
    ("cisco_ios", "IDC101"): "ip route 100.64.0.0 255.192.0.0 10.10.10.1",
    ("huawei_vrp", "IDC101"): "ip route-static 100.64.0.0 10 10.10.10.1",
    ("junos", "IDC101"): "set routing-options static route 100.64.0.0/10 next-hop 10.10.10.1",
    ("cisco_ios", "IDC103"): "no ip route 100.100.0.0 255.255.0.0 172.16.0.254",
    ("huawei_vrp", "IDC103"): "undo ip route-static 100.100.0.0 16 172.16.0.254",
    ("junos", "IDC103"): "delete routing-options static route 100.100.0.0/16 next-hop 172.16.0.254",
    ("cisco_ios", "IDC301"): "ip route 192.168.10.1 255.255.255.255 10.10.10.1",
    ("huawei_vrp", "IDC301"): "ip route-static 192.168.10.1 32 10.10.10.1",
    ("junos", "IDC301"): "set routing-options static route 192.168.10.1/32 next-hop 10.10.10.1",
    ("cisco_ios", "IDC303"): " class CM-ALIYUN-HC insert-before CM-COPP-ICMP",
    ("huawei_vrp", "IDC303"): "rule 5 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0",
    ("junos", "IDC303"): "insert firewall family inet filter PROTECT-RE term ALIYUN-HC before "
                         "term ICMP",
    ("cisco_ios", "IDC305"): " ip address 10.10.11.2 255.255.255.252",
    ("huawei_vrp", "IDC305"): " ip address 10.10.11.2 255.255.255.252",
    ("junos", "IDC305"): "set interfaces ge-0/0/2 unit 0 family inet address 10.10.11.2/30",
    # IDC504: the line's probe, then the route replaced by one that follows it
    ("cisco_ios", "IDC504"): "ip route 100.64.0.0 255.192.0.0 10.10.10.1 track 101",
    ("huawei_vrp", "IDC504"): "ip route-static 100.64.0.0 10 10.10.10.1 track nqa admin "
                              "ALIYUN-101",
    ("junos", "IDC504"): "set routing-options static route 100.64.0.0/10 qualified-next-hop "
                         "10.10.10.1 bfd-liveness-detection minimum-interval 300",
}
@pytest.mark.parametrize(("vendor", "rule"), sorted(FIXES), ids=[f"{v}-{r}" for v, r in
                                                                 sorted(FIXES)])
def test_fix_lines_in_vendor_syntax(vendor: str, rule: str) -> None:
    pytest.importorskip("jinja2")
    case = EXPECTED[vendor][rule]
    device = parse(vendor, FIXTURES / vendor / f"{rule}-bad.cfg")
    found = run_rules(device, site=site(case["site"]), select=[rule]).findings
    lines = [line for finding in found for line in finding.fix]
    assert any(FIXES[(vendor, rule)] in line for line in lines), lines


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp"])
def test_cleartext_key_never_printed(vendor: str) -> None:
    device = parse(vendor, FIXTURES / vendor / "IDC402-bad.cfg")
    for finding in run_rules(device).findings:
        assert "Alibaba-Test-Key" not in finding.message + "".join(finding.fix)


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp", "junos"])
def test_idc504_fix_applied_silences_it(vendor: str) -> None:
    """The fix lines of every IDC504 finding, entered on the device, leave nothing to
    report: the probes exist and every active cloud route follows one."""
    pytest.importorskip("jinja2")
    from idcgen.vendors import get_driver

    path = FIXTURES / vendor / "IDC504-bad.cfg"
    text = path.read_text()
    found = run_rules(parse(vendor, path), select=["IDC504"]).findings
    assert len(found) == 2
    fix = [line for finding in found for line in finding.fix]
    driver = get_driver(vendor)
    after = driver.parse(driver.apply_commands(text, fix), "after.cfg")
    assert run_rules(after, select=["IDC504"]).findings == []
    assert len([r for r in after.static_routes if r.detected]) == 4
