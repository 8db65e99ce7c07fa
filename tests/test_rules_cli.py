"""`idcgen rules` and `idcgen rules ID` through the real click entry point."""

from __future__ import annotations

from click.testing import CliRunner

from idcgen.cli import main
from idcgen.rules import CATALOGUE


def test_rules_lists_the_catalogue() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(CATALOGUE)
    assert lines[0].startswith("IDC101  error    cloud-services-route-missing")
    site_lines = [line for line in lines if line.endswith("(site)")]
    assert {line.split()[0] for line in site_lines} == {
        "IDC205", "IDC305", "IDC306", "IDC403", "IDC405"}


def test_rules_explains_one_rule() -> None:
    result = CliRunner().invoke(main, ["rules", "idc303"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("IDC303 health-check-rate-limited (error)")
    for needle in ("Why:", "Fix:", "Cisco IOS-XE", "Huawei VRP", "Juniper Junos",
                   "0.5 packet/s"):
        assert needle in out, needle
    assert "whatever the police rate" in " ".join(out.split())


def test_rules_unknown_id_is_input_error() -> None:
    result = CliRunner().invoke(main, ["rules", "IDC999"])
    assert result.exit_code == 2
    assert "unknown rule 'IDC999'" in result.output
    assert "Traceback" not in result.output
