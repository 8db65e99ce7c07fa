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
        if case.endswith("-bad"):
            rule = case.removesuffix("-bad")
            assert rule in spec["rules"], case
            assert f"{rule}-good" in EXPECTED[form]
            assert EXPECTED[form][f"{rule}-good"]["rules"] == {}
