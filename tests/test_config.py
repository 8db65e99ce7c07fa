"""`[tool.idcgen]` / idcgen.toml: one `idcgen lint configs/` for a repository of devices."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.config import find_config, glob_pattern

ROOT = Path(__file__).resolve().parent.parent
RUNNING = ROOT / "samples" / "running"

PYPROJECT = '''
[project]
name = "dc-configs"

[tool.idcgen]
fail-on = "warning"
ignore = ["IDC104"]

[[tool.idcgen.sites]]
glob = "configs/dc1/**/*.cfg"
site = "sites/dc1.yaml"
'''


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "configs" / "dc1" / "border").mkdir(parents=True)
    (tmp_path / "configs" / "branch").mkdir(parents=True)
    (tmp_path / "sites").mkdir()
    shutil.copy(ROOT / "samples" / "dual-line-ecmp.yaml", tmp_path / "sites" / "dc1.yaml")
    shutil.copy(RUNNING / "cisco-dual-line-broken.cfg",
                tmp_path / "configs" / "dc1" / "border" / "r1.cfg")
    shutil.copy(RUNNING / "junos-dual-line-broken-set.cfg",
                tmp_path / "configs" / "branch" / "j1.cfg")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["lint", *args, "--format", "json"])
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return result.exit_code, data, result.stderr


def _files(data: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in data["files"]}


def test_sites_are_mapped_per_path_and_settings_apply(repo: Path) -> None:
    code, data, _ = lint("configs")
    files = _files(data)
    # r1 is linted against sites/dc1.yaml: links from the site model
    assert {link["source"] for link in files["r1.cfg"]["cloud_links"]} == {"site"}
    # j1 matches no glob: links inferred
    assert all(link["source"].startswith("inferred")
               for link in files["j1.cfg"]["cloud_links"])
    rules = {f["rule"] for f in files["j1.cfg"]["findings"]}
    assert "IDC104" not in rules  # ignore = ["IDC104"]
    assert code == 1


def test_command_line_overrides_the_file(repo: Path) -> None:
    # without the config, j1 has IDC104 and only warnings+errors decide with --fail-on
    _, data, _ = lint("configs", "--no-config")
    assert "IDC104" in {f["rule"] for f in _files(data)["j1.cfg"]["findings"]}
    assert {link["source"] for link in _files(data)["r1.cfg"]["cloud_links"]} != {"site"}
    _, data, _ = lint("configs", "--ignore", "IDC3")  # replaces the file's ignore list
    rules = {f["rule"] for f in _files(data)["j1.cfg"]["findings"]}
    assert "IDC104" in rules and not any(r.startswith("IDC3") for r in rules)
    # --site applies one model to every file
    _, data, _ = lint("configs", "--site", "sites/dc1.yaml")
    assert {link["source"] for link in _files(data)["j1.cfg"]["cloud_links"]} == {"site"}


def test_fail_on_from_the_file(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.idcgen]\nfail-on = "warning"\n')
    # j1 (junos broken) has errors and an IDC104 warning: the warning alone fails now
    code, data, _ = lint("configs", "--select", "IDC104")
    assert code == 1 and data["summary"]["warning"] >= 1 and data["summary"]["error"] == 0
    code, _, _ = lint("configs", "--select", "IDC104", "--fail-on", "error")
    assert code == 0


def test_idcgen_toml_is_found_from_a_subdirectory(repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "idcgen.toml").write_text('select = ["IDC1"]\n')
    monkeypatch.chdir(repo / "configs")
    assert find_config() == (repo / "idcgen.toml").resolve()
    _, data, _ = lint("branch")
    assert {f["rule"][:4] for f in data["files"][0]["findings"]} <= {"IDC1"}


def test_config_option_and_baseline_key(repo: Path) -> None:
    other = repo / "ci.toml"
    other.write_text('baseline = "base.json"\n')
    code, _, _ = lint("configs", "--config", str(other), "--write-baseline", "base.json")
    assert code == 0
    code, data, _ = lint("configs", "--config", str(other))
    assert code == 0 and data["baseline"]["file"].endswith("base.json")


@pytest.mark.parametrize(("text", "message"), [
    ('[tool.idcgen]\nfail_on = "warning"\n', "tool.idcgen.fail_on: unknown key"),
    ('[tool.idcgen]\nfail-on = "fatal"\n', "'fatal' is not one of error, warning, info"),
    ('[tool.idcgen]\nselect = "IDC1"\nstrict = "yes"\n', "tool.idcgen.strict: true or false"),
    ('[[tool.idcgen.sites]]\nglob = "*.cfg"\n', "needs exactly `glob` and `site`"),
    ('[tool.idcgen\n', "invalid TOML"),
])
def test_bad_config_is_a_located_input_error(repo: Path, text: str, message: str) -> None:
    (repo / "pyproject.toml").write_text(text)
    code, _, stderr = lint("configs")
    assert code == 2 and "pyproject.toml" in stderr and message in stderr, stderr


def test_a_mapped_site_that_is_invalid_is_exit_2(repo: Path) -> None:
    (repo / "sites" / "dc1.yaml").write_text("site: dc1\nhostname: r1\nlines: 7\n")
    code, _, stderr = lint("configs")
    assert code == 2 and "sites/dc1.yaml:3" in stderr


def test_glob_semantics() -> None:
    assert glob_pattern("configs/**/*.cfg").fullmatch("configs/a/b/r1.cfg")
    assert glob_pattern("configs/**/*.cfg").fullmatch("configs/r1.cfg")
    assert not glob_pattern("configs/*.cfg").fullmatch("configs/a/r1.cfg")
    assert glob_pattern("configs/dc?/*.cfg").fullmatch("configs/dc1/r.cfg")
