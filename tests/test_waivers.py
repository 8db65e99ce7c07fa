"""Inline waivers (`! idcgen: ignore IDC303 reason`) on real configs of the three vendors,
and their reports: JSON `suppressed`, SARIF `suppressions`, exit code, IDC910/IDC911."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import idcgen
from idcgen.cli import main
from idcgen.suppress import find_waivers

ROOT = Path(__file__).resolve().parent.parent
RUNNING = ROOT / "samples" / "running"
SITE = ROOT / "samples" / "dual-line-ecmp.yaml"
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def _insert(text: str, before: str, comment: str) -> str:
    """`comment` on its own line above the first line that starts with `before`."""
    lines = text.split("\n")
    index = next(i for i, ln in enumerate(lines) if ln.startswith(before))
    return "\n".join(lines[:index] + [comment] + lines[index:])


def _by_rule(report: idcgen.LintReport, rule: str) -> list[idcgen.Finding]:
    return [f for f in report.findings if f.rule == rule]


CISCO = (RUNNING / "cisco-dual-line-broken.cfg").read_text()


def test_a_waiver_above_a_block_suppresses_the_rule_inside_it() -> None:
    plain = idcgen.lint_text(CISCO)
    assert _by_rule(plain, "IDC303")  # CoPP class CM-COPP-ICMP polices the probes
    text = _insert(CISCO, "policy-map PM-COPP",
                   "! idcgen: ignore IDC303 CoPP budget reviewed with NOC (CHG-118)")
    report = idcgen.lint_text(text)
    hits = _by_rule(report, "IDC303")
    assert hits and all(f.suppressed is not None for f in hits)
    waiver_line = text.split("\n").index(
        "! idcgen: ignore IDC303 CoPP budget reviewed with NOC (CHG-118)") + 1
    assert hits[0].suppressed.as_dict() == {"kind": "inline", "line": waiver_line,
                                            "reason": "CoPP budget reviewed with NOC (CHG-118)"}
    assert not report.active or all(f.rule != "IDC303" for f in report.active)
    assert not _by_rule(report, "IDC910") and not _by_rule(report, "IDC911")


def test_a_waiver_covers_only_the_next_statement() -> None:
    # above the class-map section instead: the policy-map's findings stay
    text = _insert(CISCO, "class-map match-all CM-COPP-ICMP",
                   "! idcgen: ignore IDC303 misplaced")
    report = idcgen.lint_text(text)
    assert all(f.suppressed is None for f in _by_rule(report, "IDC303"))
    [unused] = _by_rule(report, "IDC910")
    assert "IDC303" in unused.message and unused.severity == "warning"


def test_suppressed_findings_leave_exit_code_and_text_but_stay_in_json(tmp_path: Path) -> None:
    cfg = tmp_path / "r1.cfg"
    cfg.write_text(_insert(CISCO, "policy-map PM-COPP", "! idcgen: ignore IDC303 accepted"))
    runner = CliRunner()
    assert runner.invoke(main, ["lint", str(RUNNING / "cisco-dual-line-broken.cfg")]).exit_code == 1
    # the broken sample's other error (line B has no health-check /32, IDC301) is left out
    # so that the waived IDC303 findings are all that decide the exit code
    text = runner.invoke(main, ["lint", str(cfg), "--ignore", "IDC301"])
    assert text.exit_code == 0, text.output
    assert "IDC303" not in text.stdout
    assert "(2 suppressed: 2 inline, 0 baseline)" in text.stdout
    data = json.loads(runner.invoke(main, ["lint", str(cfg), "--format", "json",
                                           "--ignore", "IDC301"]).stdout)
    suppressed = [f for f in data["files"][0]["findings"] if "suppressed" in f]
    assert {f["rule"] for f in suppressed} == {"IDC303"}
    assert data["summary"]["error"] == 0 and data["suppressed"] == {"inline": 2, "baseline": 0}


def test_sarif_marks_suppressions_in_source(tmp_path: Path) -> None:
    cfg = tmp_path / "r1.cfg"
    cfg.write_text(_insert(CISCO, "policy-map PM-COPP", "! idcgen: ignore IDC303 accepted"))
    log = json.loads(CliRunner().invoke(main, ["lint", str(cfg), "--format", "sarif"]).stdout)
    schema = json.loads(SARIF_SCHEMA.read_text())
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(log))
    idc303 = [r for r in log["runs"][0]["results"] if r["ruleId"] == "IDC303"]
    assert idc303 and all(r["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                                 "justification": "accepted"}] for r in idc303)


def test_huawei_waiver_with_hash_and_no_reason() -> None:
    text = (RUNNING / "huawei-dual-line-broken.cfg").read_text()
    plain = idcgen.lint_text(text)
    [idc102] = _by_rule(plain, "IDC102")
    lines = text.split("\n")
    statement = lines[idc102.line - 1]
    waived = _insert(text, statement, "# idcgen: ignore IDC102")
    report = idcgen.lint_text(waived)
    assert _by_rule(report, "IDC102")[0].suppressed is not None
    [no_reason] = _by_rule(report, "IDC911")
    assert no_reason.line == idc102.line  # the comment took the statement's old line
    assert "gives no reason" in no_reason.message


def test_junos_brace_block_and_file_wide_waiver() -> None:
    text = (RUNNING / "junos-dual-line-clean.cfg").read_text()
    assert "routing-options {" in text
    broken = text.replace("routing-options {", "# idcgen: ignore IDC999 typo\nrouting-options {")
    report = idcgen.lint_text(broken)
    [unknown] = _by_rule(report, "IDC910")
    assert "IDC999" in unknown.message
    waivers = find_waivers(broken, "#")
    start, end = waivers[0].start, waivers[0].end
    lines = broken.split("\n")
    assert lines[start - 1].startswith("routing-options {")
    assert lines[end - 1].rstrip() == "}" and end > start


def test_file_wide_waiver_suppresses_absences() -> None:
    cfg = (ROOT / "tests" / "fixtures" / "lint" / "cisco-missing-cloud-services.cfg").read_text()
    [absent] = _by_rule(idcgen.lint_text(cfg), "IDC101")
    assert absent.line == 0
    waived = "! idcgen: ignore-file IDC101 services reached over the internet (ADR-7)\n" + cfg
    report = idcgen.lint_text(waived)
    assert _by_rule(report, "IDC101")[0].suppressed is not None
    assert not _by_rule(report, "IDC910")


def test_waiver_for_a_rule_that_did_not_run_is_not_called_unused() -> None:
    text = _insert(CISCO, "policy-map PM-COPP", "! idcgen: ignore IDC303 accepted")
    report = idcgen.lint_text(text, select=["IDC1"])
    assert not _by_rule(report, "IDC910")
    # a (site) rule without a site model did not run either
    site_rule = _insert(CISCO, "policy-map PM-COPP", "! idcgen: ignore IDC305 accepted")
    assert not _by_rule(idcgen.lint_text(site_rule), "IDC910")
    assert _by_rule(idcgen.lint_text(site_rule, site=SITE), "IDC910")


def test_waiver_at_the_end_applies_to_nothing() -> None:
    text = CISCO.rstrip("\n").removesuffix("end") + "! idcgen: ignore IDC202 x\n"
    report = idcgen.lint_text(text)
    [unused] = _by_rule(report, "IDC910")
    assert "no statement after it" in unused.message


@pytest.mark.parametrize("rule", ["IDC910", "IDC911"])
def test_rules_documents_the_waiver_rules(rule: str) -> None:
    out = CliRunner().invoke(main, ["rules", rule])
    assert out.exit_code == 0 and "idcgen: ignore" in out.stdout
