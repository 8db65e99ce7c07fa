"""`render -o`: `-` is standard output; a path ending in `/` is a directory (issue #14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dual-line-ecmp.yaml"
NAME = "dc1-border1.huawei_vrp.cfg"


def render(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["render", str(SAMPLE), "--vendor", "huawei", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_dash_is_standard_output(in_tmp: Path) -> None:
    code, out, _ = render("-o", "-")
    assert code == 0
    assert out == render()[1] and "ip route-static 100.64.0.0" in out
    assert list(in_tmp.iterdir()) == []  # no file named `-`


def test_trailing_slash_creates_the_directory(in_tmp: Path) -> None:
    code, _, err = render("-o", "newdir/")
    assert code == 0, err
    assert (in_tmp / "newdir").is_dir()
    assert (in_tmp / "newdir" / NAME).read_text() == render()[1]


def test_trailing_slash_on_an_existing_directory(in_tmp: Path) -> None:
    (in_tmp / "out").mkdir()
    assert render("-o", "out/")[0] == 0
    assert [p.name for p in (in_tmp / "out").iterdir()] == [NAME]


def test_trailing_slash_with_missing_parent_is_exit_2(in_tmp: Path) -> None:
    code, _, err = render("-o", "a/b/")
    assert code == 2 and "directory a does not exist" in err
    assert list(in_tmp.iterdir()) == []


def test_trailing_slash_on_an_existing_file_is_exit_2(in_tmp: Path) -> None:
    (in_tmp / "taken").write_text("previous\n")
    code, _, err = render("-o", "taken/")
    assert code == 2 and "taken/" in err
    assert (in_tmp / "taken").read_text() == "previous\n"
