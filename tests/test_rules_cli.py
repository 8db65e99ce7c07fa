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
        "IDC205", "IDC305", "IDC403", "IDC405", "IDC503"}


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


def test_retired_rule_is_explained_and_still_accepted(tmp_path) -> None:
    """IDC306 is retired: the site model owns the check (two lines with one health-check
    source are refused with a located exit 2), and CI configs naming it keep working."""
    from pathlib import Path

    result = CliRunner().invoke(main, ["rules", "IDC306"])
    assert result.exit_code == 0 and result.output.startswith("IDC306 (retired):")
    assert "IDC306" not in CATALOGUE
    config = tmp_path / "r.cfg"
    config.write_text("hostname r1\ninterface GigabitEthernet0/0/1\n ip address 10.10.10.2 "
                      "255.255.255.252\n!\nip route 0.0.0.0 0.0.0.0 203.0.113.1\nend\n")
    ignored = CliRunner().invoke(main, ["lint", str(config), "--ignore", "IDC306"])
    assert ignored.exit_code == 0, ignored.output
    site = Path(__file__).parent / "fixtures" / "rules" / "sites" / "dual-line-idc306.yaml"
    refused = CliRunner().invoke(main, ["lint", str(config), "--site", str(site)])
    assert refused.exit_code == 2
    assert "each line needs its own source IP" in refused.output
    assert f"{site}:" in refused.output  # located: FILE:LINE:COL
