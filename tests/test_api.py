"""The library API (`idcgen.lint_text`, `idcgen.render`, `idcgen.review`): the objects it
returns are the ones the CLI's JSON shows, bad input raises a located InputError, and
nothing returned holds a key except the rendered config."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import idcgen
from idcgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BROKEN = SAMPLES / "running" / "cisco-dual-line-broken.cfg"
SITE = SAMPLES / "dual-line-ecmp.yaml"
PSK_CFG = ROOT / "tests" / "fixtures" / "lint" / "cisco-cleartext-psk.cfg"
PSK = "Sup3r-Secret-Known-PSK-4711"


def _cli_json(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_lint_text_equals_the_json_file_object() -> None:
    report = idcgen.lint_text(BROKEN.read_text(), site=str(SITE), path=str(BROKEN))
    cli = _cli_json("lint", str(BROKEN), "--site", str(SITE), "--format", "json")
    assert report.as_dict() == cli["files"][0]
    assert report.vendor == "cisco_ios"
    assert {f.rule for f in report.findings} == {"IDC301", "IDC303"} or report.findings
    assert all(isinstance(f, idcgen.Finding) for f in report.findings)
    assert all(isinstance(link, idcgen.CloudLink) for link in report.links)


def test_lint_text_accepts_a_site_object_and_a_vendor_alias() -> None:
    site = idcgen.load_site(SITE)
    by_path = idcgen.lint_text(BROKEN.read_text(), site=SITE)
    by_object = idcgen.lint_text(BROKEN.read_text(), vendor="ios", site=site)
    assert by_object.as_dict() == by_path.as_dict()
    assert by_object.path == "<text>"


def test_lint_text_never_returns_a_key() -> None:
    report = idcgen.lint_text(PSK_CFG.read_text())
    assert "IDC402" in {f.rule for f in report.findings}
    assert PSK not in json.dumps(report.as_dict())
    assert PSK not in repr(report)


def test_lint_text_unsupported_platform_is_a_report_with_error() -> None:
    nxos = (ROOT / "tests" / "fixtures" / "lint" / "nxos-switch.cfg").read_text()
    report = idcgen.lint_text(nxos)
    assert report.error is not None and "NX-OS" in report.error
    assert report.as_dict()["error"] == report.error


def test_bad_input_raises_located_input_error(tmp_path: Path) -> None:
    with pytest.raises(idcgen.InputError) as bad_vendor:
        idcgen.lint_text(BROKEN.read_text(), vendor="nxos")
    assert "nxos" in str(bad_vendor.value.problems[0])
    site = tmp_path / "site.yaml"
    site.write_text(SITE.read_text().replace("vbr_ip: 10.10.11.1", "vbr_ip: 10.10.12.1"))
    with pytest.raises(idcgen.InputError) as bad_site:
        idcgen.render(site, "cisco")
    assert any(str(p).startswith(f"{site}:") and "10.10.12.1" in str(p)
               for p in bad_site.value.problems)
    with pytest.raises(idcgen.InputError):
        idcgen.lint_text("hostname r1\n", select=["IDC999"])


def test_render_equals_the_cli_and_accepts_a_site_object() -> None:
    cli = CliRunner().invoke(main, ["render", str(SITE), "--vendor", "huawei"])
    assert cli.exit_code == 0
    assert idcgen.render(SITE, "huawei") == cli.stdout
    assert idcgen.render(idcgen.load_site(SITE), "huawei_vrp") == cli.stdout


def test_render_resolves_the_key_only_in_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIYUN_PSK_OFFICE1", "Office1-Key-xyz-123")
    text = idcgen.render(SAMPLES / "vpn-offices.yaml", "cisco")
    assert "Office1-Key-xyz-123" in text
    assert "Office1-Key-xyz-123" not in idcgen.render(SAMPLES / "vpn-offices.yaml", "cisco",
                                                      key_placeholder=True)


def test_review_equals_the_cli_json() -> None:
    result = idcgen.review(SITE, BROKEN)
    cli = _cli_json("review", str(SITE), str(BROKEN), "--format", "json")
    assert result.as_dict() == cli
    assert isinstance(result, idcgen.ReviewResult)
    assert not result.compliant and result.remediation
    from_text = idcgen.review(SITE, BROKEN.read_text(), path=str(BROKEN))
    assert from_text.as_dict() == cli


def test_api_is_lazy_and_version_stays_light() -> None:
    code = ("import sys, idcgen; idcgen.__version__; "
            "print(sorted(m for m in ('pydantic', 'jinja2', 'idcgen.api') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert "lint_text" in dir(idcgen)
    with pytest.raises(AttributeError):
        _ = idcgen.no_such_thing  # type: ignore[attr-defined]


def test_review_is_callable_after_the_review_module_is_imported() -> None:
    code = ("import idcgen.review, idcgen; from pathlib import Path; "
            f"r = idcgen.review({str(SITE)!r}, Path({str(BROKEN)!r})); "
            "print(type(r).__name__, r.compliant, callable(idcgen.review.review_text))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["ReviewResult", "False", "True"]
