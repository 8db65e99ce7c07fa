"""The pre-commit hooks (.pre-commit-hooks.yaml) run through pre-commit's own machinery on
a temporary config repository, offline: the test repository's hooks are `repo: local`
copies of ours (same id, entry, files, types) with `language: system`, pointing at the
installed idcgen, so pre-commit builds no environment and downloads nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / ".pre-commit-hooks.yaml"
RUNNING = ROOT / "samples" / "running"

pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is not installed "
                                 "(it is in the test extra: pip install '.[test]')")


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(HOOKS))
    assert {h["id"] for h in hooks} == {"idcgen-lint", "idcgen-check"}
    assert all(h["entry"].split()[0] == "idcgen" for h in hooks)


def _idcgen() -> str:
    exe = Path(sys.executable).parent / "idcgen"
    if not exe.exists():
        pytest.skip("no idcgen console script beside the interpreter")
    return str(exe)


def _local_config(exe: str) -> str:
    hooks = []
    for hook in yaml.safe_load(HOOKS.read_text()):
        local = {k: hook[k] for k in ("id", "name", "entry", "files", "types") if k in hook}
        local["entry"] = local["entry"].replace("idcgen", exe, 1)
        local["language"] = "system"
        hooks.append(local)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "net-configs"
    (repo / "configs").mkdir(parents=True)
    (repo / "sites").mkdir()
    shutil.copy(RUNNING / "cisco-dual-line-broken.cfg", repo / "configs" / "r1.cfg")
    shutil.copy(RUNNING / "junos-dual-line-clean.cfg", repo / "configs" / "j1.cfg")
    shutil.copy(ROOT / "samples" / "dual-line-ecmp.yaml", repo / "sites" / "dc1.yaml")
    (repo / "README.md").write_text("not a config\n")
    (repo / ".pre-commit-config.yaml").write_text(_local_config(_idcgen()))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def _run(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
           "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1", "PIP_NO_INDEX": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                          cwd=repo, env=env, capture_output=True, text=True)


def test_hooks_fail_on_findings_and_pass_when_fixed(repo: Path) -> None:
    result = _run(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "idcgen lint (router configs)" in out and "Failed" in out
    assert "IDC303" in out and "configs/r1.cfg" in out
    assert "README.md" not in out  # `files` kept it out of the lint hook
    assert "idcgen check (site models)" in out
    # fix the config: everything passes
    shutil.copy(RUNNING / "cisco-dual-line-clean.cfg", repo / "configs" / "r1.cfg")
    _git(repo, "add", "-A")
    result = _run(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Passed") == 2


def test_check_hook_fails_on_an_invalid_site_model(repo: Path) -> None:
    shutil.copy(RUNNING / "cisco-dual-line-clean.cfg", repo / "configs" / "r1.cfg")
    site = repo / "sites" / "dc1.yaml"
    site.write_text(site.read_text().replace("vbr_ip: 10.10.11.1", "vbr_ip: 10.10.12.1"))
    _git(repo, "add", "-A")
    result = _run(repo)
    assert result.returncode == 1
    assert "sites/dc1.yaml:" in result.stdout and "10.10.12.1" in result.stdout
