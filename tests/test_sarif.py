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


def test_locations_are_relative_uris_with_a_line_only_when_known(tmp_path: Path) -> None:
    run = sarif_log(_results(tmp_path), base=str(tmp_path))["runs"][0]
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in run["results"]}
    assert by_rule["IDC402"] == {"artifactLocation": {"uri": "dc1/border1.cfg"},
                                 "region": {"startLine": 12}}
    assert by_rule["IDC101"] == {"artifactLocation": {"uri": "dc1/border1.cfg"}}
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
