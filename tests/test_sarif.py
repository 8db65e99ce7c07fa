"""SARIF output: valid against the vendored OASIS schema, and code-scanning friendly."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from idcgen import __version__
from idcgen.findings import Finding
from idcgen.report.sarif import artifact_uri, render_sarif, sarif_log
from idcgen.results import FileResult

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _results(tmp_path: Path) -> list[FileResult]:
    return [
        FileResult(str(tmp_path / "dc1" / "border1.cfg"), "cisco_ios", [], [
            Finding("IDC101", "cloud-services-route-missing", "error", 0,
                    "Nothing in 100.64.0.0/10 is routed toward a cloud-facing link.",
                    ["ip route 100.64.0.0 255.192.0.0 10.10.10.1"]),
            Finding("IDC402", "ipsec-cleartext-key", "warning", 12,
                    "The pre-shared key of peer 47.0.0.161 is stored in clear text."),
            Finding("IDC901", "no-cloud-link-found", "info", 0, "No link."),
        ]),
        FileResult(str(tmp_path / "dc1" / "nexus.cfg"),
                   error="unsupported platform (looks like Cisco NX-OS)"),
        FileResult("<stdin>", "junos", [], [
            Finding("IDC303", "health-check-rate-limited", "error", 3, "Policed."),
        ]),
    ]


def test_sarif_validates_against_the_schema(validator: jsonschema.Draft4Validator,
                                            tmp_path: Path) -> None:
    log = json.loads(render_sarif(_results(tmp_path), base=str(tmp_path)))
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(str(e) for e in errors[:3])


def test_empty_run_validates(validator: jsonschema.Draft4Validator) -> None:
    log = sarif_log([])
    assert not list(validator.iter_errors(log))
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_one_run_with_driver_and_results(tmp_path: Path) -> None:
    log = sarif_log(_results(tmp_path), base=str(tmp_path))
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "idcgen" and driver["version"] == __version__
    rules = driver["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["idcgenFinding/v1"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"IDC101": "error", "IDC402": "warning", "IDC901": "note",
                      "IDC303": "error"}


def test_locations_are_relative_uris_and_always_have_a_line(tmp_path: Path) -> None:
    run = sarif_log(_results(tmp_path), base=str(tmp_path))["runs"][0]
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in run["results"]}
    assert by_rule["IDC402"] == {"artifactLocation": {"uri": "dc1/border1.cfg"},
                                 "region": {"startLine": 12}}
    # an absence with no anchor computed: line 1, and the message says why
    assert by_rule["IDC101"] == {"artifactLocation": {"uri": "dc1/border1.cfg"},
                                 "region": {"startLine": 1}}
    idc101 = next(r for r in run["results"] if r["ruleId"] == "IDC101")
    assert "(Absent from the config: shown at line 1.)" in idc101["message"]["text"]
    assert by_rule["IDC303"]["artifactLocation"]["uri"] == "stdin"


def test_fix_lines_follow_the_message(tmp_path: Path) -> None:
    run = sarif_log(_results(tmp_path), base=str(tmp_path))["runs"][0]
    idc101 = next(r for r in run["results"] if r["ruleId"] == "IDC101")
    assert idc101["message"]["text"].endswith("\nFix:\nip route 100.64.0.0 255.192.0.0 10.10.10.1")
    assert idc101["properties"]["fix"] == "ip route 100.64.0.0 255.192.0.0 10.10.10.1"


def test_failed_files_become_error_notifications(tmp_path: Path) -> None:
    invocation = sarif_log(_results(tmp_path), base=str(tmp_path))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "unsupported platform (looks like Cisco NX-OS)" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dc1/nexus.cfg"


def test_fingerprint_ignores_the_line_but_not_the_message(tmp_path: Path) -> None:
    def fingerprint(line: int, message: str) -> str:
        result = FileResult("a.cfg", "junos", [], [Finding("IDC303", "n", "error", line, message)])
        return sarif_log([result], base=str(tmp_path))["runs"][0]["results"][0][
            "partialFingerprints"]["idcgenFinding/v1"]

    assert fingerprint(3, "x") == fingerprint(30, "x")
    assert fingerprint(3, "x") != fingerprint(3, "y")


def test_artifact_uri_forms(tmp_path: Path) -> None:
    base = str(tmp_path)
    assert artifact_uri("configs/r1.cfg", base=base) == "configs/r1.cfg"
    assert artifact_uri("./configs/r1.cfg", base=base) == "configs/r1.cfg"
    assert artifact_uri(str(tmp_path / "a b" / "r1.cfg"), base=base) == "a%20b/r1.cfg"
    outside = artifact_uri("/etc/idcgen/r1.cfg", base=base)
    assert outside == "file:///etc/idcgen/r1.cfg"
    assert artifact_uri("<stdin>", base=base) == "stdin"


def test_rules_come_from_the_catalogue_when_it_exists() -> None:
    rules_module = pytest.importorskip("idcgen.rules")
    catalogue = getattr(rules_module, "CATALOGUE", None)
    if not catalogue:
        pytest.skip("rule catalogue not available yet")
    rules = sarif_log([])["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(catalogue)
    for rule in rules:
        info = catalogue[rule["id"]]
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] == {
            "error": "error", "warning": "warning", "info": "note"}[info.severity]
        if info.doc:
            assert rule["help"]["text"] == info.doc.strip()


# --------------------------------------------------------------------------- anchors
ROOT = Path(__file__).resolve().parent.parent
LINT_FIXTURES = ROOT / "tests" / "fixtures" / "lint"


def _cli_sarif(*args: str) -> dict:
    from click.testing import CliRunner

    from idcgen.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_absences_are_anchored_at_the_section_the_rule_reads(
        validator: jsonschema.Draft4Validator) -> None:
    cfg = LINT_FIXTURES / "cisco-missing-cloud-services.cfg"
    log = _cli_sarif("lint", str(cfg), "--format", "sarif")
    assert not list(validator.iter_errors(log))
    lines = cfg.read_text().splitlines()
    [idc101] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "IDC101"]
    start = idc101["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert lines[start - 1].startswith("ip route ")  # the first static route
    assert all(not ln.startswith("ip route ") for ln in lines[:start - 1])
    assert f"shown at the first static route, line {start}" in idc101["message"]["text"]
    # JSON keeps line 0 for the absence
    report = _cli_sarif("lint", str(cfg), "--format", "json")
    assert [f["line"] for f in report["files"][0]["findings"] if f["rule"] == "IDC101"] == [0]


def test_a_finding_with_no_section_is_anchored_at_the_hostname() -> None:
    cfg = LINT_FIXTURES / "cisco-no-cloud.cfg"
    [idc901] = _cli_sarif("lint", str(cfg), "--format", "sarif")["runs"][0]["results"]
    start = idc901["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert cfg.read_text().splitlines()[start - 1] == "hostname campus-core1"
    assert "shown at the hostname statement" in idc901["message"]["text"]


@pytest.mark.parametrize("config", sorted((ROOT / "samples" / "running").glob("*.cfg"))
                         + sorted(LINT_FIXTURES.glob("cisco-*.cfg")), ids=lambda p: p.name)
def test_every_lint_result_has_a_start_line(config: Path) -> None:
    for result in _cli_sarif("lint", str(config), "--format", "sarif")["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


@pytest.mark.parametrize("config", ["cisco-dual-line-broken.cfg", "huawei-dual-line-broken.cfg",
                                    "junos-dual-line-broken-set.cfg"])
def test_review_sarif_has_findings_and_items(validator: jsonschema.Draft4Validator,
                                             config: Path) -> None:
    path = ROOT / "samples" / "running" / config
    from click.testing import CliRunner

    from idcgen.cli import main

    cli = CliRunner().invoke(main, ["review", str(ROOT / "samples" / "dual-line-ecmp.yaml"),
                                    str(path), "--format", "sarif"])
    assert cli.exit_code == 1  # changes needed, as with text and JSON
    log = json.loads(cli.stdout)
    assert not list(validator.iter_errors(log))
    run = log["runs"][0]
    review = _cli_sarif("review", str(ROOT / "samples" / "dual-line-ecmp.yaml"), str(path),
                        "--format", "json")
    ids = [r["ruleId"] for r in run["results"]]
    assert ids.count("review/missing") == len(review["missing"])
    assert ids.count("review/conflicting") == len(review["conflicting"])
    assert sorted(i for i in ids if i.startswith("IDC")) == sorted(
        f["rule"] for f in review["findings"])
    rules = run["tool"]["driver"]["rules"]
    text = path.read_text().splitlines()
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        start = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert 1 <= start <= len(text)
    assert run["properties"]["remediation"] == review["remediation"]
