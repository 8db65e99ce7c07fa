"""`idcgen review` on the command line: JSON shape, exit codes, secrets never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "review"
SITE = str(FIXTURES / "site.yaml")
KEY = "Zq8-never-print-me-41"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["review", *args], env=env)


def test_json_shape_and_exit_1_when_changes_are_needed() -> None:
    result = run(SITE, str(FIXTURES / "cisco_ios-partial.cfg"), "--vendor", "cisco",
                 "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    for key in ("findings", "missing", "conflicting", "remediation", "rollback", "compliant",
                "file", "vendor"):
        assert key in data
    assert data["vendor"] == "cisco_ios"
    assert data["compliant"] is False
    assert all(isinstance(line, str) for line in data["remediation"] + data["rollback"])
    assert {"kind", "message", "line"} <= set(data["missing"][0])
    assert {"kind", "message", "line"} <= set(data["conflicting"][0])
    assert "cen_migration" not in data


def test_exit_0_when_compliant(tmp_path: Path) -> None:
    from idcgen.generator.render import render_site
    from idcgen.sitemodel import load_site

    config = tmp_path / "rendered.cfg"
    config.write_text(render_site(load_site(SITE), "cisco_ios").text)
    result = run(SITE, str(config), "--vendor", "cisco_ios")
    assert result.exit_code == 0, result.output
    assert "compliant: the device matches the site model" in result.output
    data = json.loads(run(SITE, str(config), "--vendor", "ios", "--format", "json").output)
    assert data["compliant"] is True and data["remediation"] == [] and data["rollback"] == []


def test_text_output_sections() -> None:
    result = run(SITE, str(FIXTURES / "junos-wrong.cfg"), "--vendor", "junos")
    assert result.exit_code == 1
    for heading in ("missing (", "conflicting (", "left alone:", "remediation (",
                    "rollback ("):
        assert heading in result.output


@pytest.mark.parametrize("args", [
    ("does-not-exist.yaml", str(FIXTURES / "cisco_ios-empty.cfg"), "--vendor", "cisco"),
    (SITE, "does-not-exist.cfg", "--vendor", "cisco"),
    (SITE, str(FIXTURES / "cisco_ios-empty.cfg"), "--vendor", "nokia"),
])
def test_exit_2_on_bad_input(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_exit_2_on_invalid_site(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("site: x\nhostname: y\nlines: []\n")
    result = run(str(bad), str(FIXTURES / "cisco_ios-empty.cfg"), "--vendor", "cisco")
    assert result.exit_code == 2
    assert "bad.yaml" in result.output


def test_secret_never_printed(tmp_path: Path) -> None:
    """The key to set appears as a placeholder naming its source; a key the device holds
    now is not echoed in the rollback either."""
    site = str(FIXTURES / "site-ipsec.yaml")
    config = tmp_path / "gw.cfg"
    config.write_text("hostname office1-gw\n!\ninterface GigabitEthernet0/0/0\n"
                      " ip address 1.1.1.1 255.255.255.0\n!\n"
                      "crypto isakmp key 0 OldKeyOnDevice77 address 9.9.9.9\n!\nend\n")
    env = {"IDCGEN_TEST_PSK": KEY}
    for fmt in ("text", "json"):
        result = run(site, str(config), "--vendor", "cisco", "--format", fmt, env=env)
        assert result.exit_code == 1, result.output
        assert KEY not in result.output
        assert "OldKeyOnDevice77" not in result.output
        assert "<PSK-from-env:IDCGEN_TEST_PSK>" in result.output


def test_review_includes_the_migration_plan(tmp_path: Path) -> None:
    site = str(Path(__file__).parent.parent / "samples" / "cen-migration.yaml")
    config = tmp_path / "r.cfg"
    config.write_text("hostname hz-dc1-edge1\n!\nend\n")
    text = run(site, str(config), "--vendor", "cisco").output
    assert "REJECTED: CEN route 172.16.1.0/24" in text
    data = json.loads(run(site, str(config), "--vendor", "cisco", "--format", "json").output)
    rejected = {r["cen_route"] for r in data["cen_migration"]["rejected"]}
    assert rejected == {"172.16.1.0/24", "192.168.1.0/24"}


def test_vendor_detected_when_not_given() -> None:
    pytest.importorskip("idcgen.vendors.detect")
    result = run(SITE, str(FIXTURES / "cisco_ios-empty.cfg"), "--format", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.output)["vendor"] == "cisco_ios"
