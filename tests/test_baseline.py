"""Baselines: `lint --write-baseline` / `--baseline` on a copy of the sample repository."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUNNING = ROOT / "samples" / "running"
PSK_CFG = ROOT / "tests" / "fixtures" / "lint" / "cisco-cleartext-psk.cfg"
PSK = "Sup3r-Secret-Known-PSK-4711"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    configs = tmp_path / "configs"
    configs.mkdir()
    for cfg in RUNNING.glob("*.cfg"):
        shutil.copy(cfg, configs / cfg.name)
    shutil.copy(PSK_CFG, configs / PSK_CFG.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", *args])
    return result.exit_code, result.stdout


def test_write_then_gate_only_on_new_findings(repo: Path) -> None:
    assert lint("configs")[0] == 1
    code, _ = lint("configs", "--write-baseline", "baseline.json")
    assert code == 0
    document = json.loads((repo / "baseline.json").read_text())
    assert document["format"] == "idcgen-baseline/v1" and document["findings"]
    assert lint("configs", "--baseline", "baseline.json")[0] == 0
    # lines added above every finding: nothing is new (fingerprints ignore line numbers)
    cfg = repo / "configs" / "cisco-dual-line-broken.cfg"
    cfg.write_text("! moved\n! down\n" + cfg.read_text())
    code, out = lint("configs", "--baseline", "baseline.json", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["error"] == 0 and data["baseline"]["stale"] == []
    # a new problem fails the gate
    cfg.write_text(cfg.read_text() + "ip route 172.16.0.0 255.255.0.0 172.16.0.254\n")
    code, out = lint("configs", "--baseline", "baseline.json", "--fail-on", "warning")
    assert code == 1 and "IDC202" in out


def test_baselined_findings_are_suppressed_external(repo: Path) -> None:
    lint("configs", "--write-baseline", "baseline.json")
    data = json.loads(lint("configs", "--baseline", "baseline.json", "--format", "json")[1])
    findings = [f for file in data["files"] for f in file["findings"]]
    assert findings and all(f["suppressed"]["kind"] == "baseline" for f in findings)
    assert data["suppressed"]["baseline"] == len(findings)
    sarif = json.loads(lint("configs", "--baseline", "baseline.json", "--format", "sarif")[1])
    kinds = {s["kind"] for r in sarif["runs"][0]["results"] for s in r["suppressions"]}
    assert kinds == {"external"}


def test_stale_entries_are_reported_not_failed(repo: Path) -> None:
    lint("configs", "--write-baseline", "baseline.json")
    cfg = repo / "configs" / "cisco-dual-line-broken.cfg"
    cfg.write_text((RUNNING / "cisco-dual-line-clean.cfg").read_text())
    code, out = lint("configs", "--baseline", "baseline.json")
    assert code == 0
    assert "stale baseline entr" in out.splitlines()[-1]
    data = json.loads(lint("configs", "--baseline", "baseline.json", "--format", "json")[1])
    assert {e["path"] for e in data["baseline"]["stale"]} == {
        "configs/cisco-dual-line-broken.cfg"}
    # linting one other file does not call this file's entries stale
    data = json.loads(lint("configs/junos-dual-line-broken-set.cfg", "--baseline",
                           "baseline.json", "--format", "json")[1])
    assert data["baseline"]["stale"] == []


def test_baseline_is_stable_sorted_and_holds_no_secret(repo: Path) -> None:
    lint("configs", "--write-baseline", "baseline.json")
    first = (repo / "baseline.json").read_text()
    lint("configs", "--write-baseline", "baseline.json")
    assert (repo / "baseline.json").read_text() == first
    entries = json.loads(first)["findings"]
    keys = [(e["path"], e["rule"], e["fingerprint"], e["occurrence"]) for e in entries]
    assert keys == sorted(keys)
    assert any(e["rule"] == "IDC402" for e in entries)
    assert PSK not in first
    # paths are relative to the baseline's folder: the same file works from elsewhere
    os.chdir(repo / "configs")
    assert lint(".", "--baseline", "../baseline.json")[0] == 0


def test_bad_baseline_is_a_located_input_error(repo: Path) -> None:
    (repo / "bad.json").write_text("{\n  oops\n")
    result = CliRunner().invoke(main, ["lint", "configs", "--baseline", "bad.json"])
    assert result.exit_code == 2 and "bad.json:2: not a baseline file" in result.stderr
    result = CliRunner().invoke(main, ["lint", "configs", "--baseline", "missing.json"])
    assert result.exit_code == 2 and "missing.json: cannot read baseline" in result.stderr
    (repo / "other.json").write_text('{"findings": []}')
    result = CliRunner().invoke(main, ["lint", "configs", "--baseline", "other.json"])
    assert result.exit_code == 2 and "not an idcgen baseline" in result.stderr
