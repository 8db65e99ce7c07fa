"""`idcgen lint` on many files in parallel (idcgen.fleet): byte-identical to `--jobs 1` in
every format, including error lines and exit codes; a dead worker or Ctrl-C never hangs."""

from __future__ import annotations

import concurrent.futures
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen import fleet
from idcgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "running"
RULES = Path(__file__).parent / "fixtures" / "rules"
LINT = Path(__file__).parent / "fixtures" / "lint"


def idcgen(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "idcgen", *args], capture_output=True,
                          timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def fleet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real configs of every vendor with findings, plus the awkward cases: a config of
    an unsupported platform, a non-config (skipped), binary data, an unreadable file."""
    root = tmp_path_factory.mktemp("fleet")
    for vendor in ("cisco_ios", "huawei_vrp", "junos"):
        for path in sorted((RULES / vendor).glob("IDC[1-4]*-bad.cfg"))[:12]:
            shutil.copy(path, root / f"{vendor}-{path.name}")
    for path in SAMPLES.glob("*.cfg"):
        shutil.copy(path, root / path.name)
    shutil.copy(LINT / "nxos-switch.cfg", root / "zz-nxos.cfg")
    (root / "README.md").write_text("# not a config\n")
    (root / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    locked = root / "locked.cfg"
    locked.write_text("hostname x\n")
    locked.chmod(0)
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_parallel_output_is_byte_identical_to_serial(fleet_dir: Path, fmt: str) -> None:
    serial = idcgen("lint", "--format", fmt, "--jobs", "1", str(fleet_dir))
    parallel = idcgen("lint", "--format", fmt, "--jobs", "3", str(fleet_dir))
    assert serial.stdout and serial.returncode == 2  # the nxos file is an input error
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert parallel.returncode == serial.returncode
    if os.geteuid() != 0:  # root reads mode-0 files
        assert b"locked.cfg: cannot read" in serial.stderr
    assert b"zz-nxos.cfg: unsupported platform" in serial.stderr
    assert b"README.md: skipped, not a router config" in serial.stderr


def test_several_files_and_stdin_keep_their_order(fleet_dir: Path) -> None:
    files = sorted(str(p) for p in fleet_dir.glob("*.cfg") if p.name != "locked.cfg")[:6]
    stdin = (SAMPLES / "cisco-dual-line-broken.cfg").read_bytes()
    args = ["lint", "--format", "json", files[0], "-", *files[1:]]
    runs = [subprocess.run([sys.executable, "-m", "idcgen", *args, "--jobs", jobs],
                           input=stdin, capture_output=True, timeout=300)
            for jobs in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
    assert runs[0].stdout.index(b"<stdin>") > runs[0].stdout.index(files[0].encode())


def test_default_jobs_uses_every_cpu_and_one_file_is_serial() -> None:
    assert fleet.worker_count(None, 100) == (os.cpu_count() or 1)
    assert fleet.worker_count(0, 100) == (os.cpu_count() or 1)
    assert fleet.worker_count(8, 3) == 3
    assert fleet.worker_count(4, 1) == 1
    assert fleet.worker_count(1, 100) == 1


def test_one_file_never_starts_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_: object, **__: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    path = str(SAMPLES / "cisco-dual-line-clean.cfg")
    [result] = fleet.lint_files([path], jobs=4, options={})
    assert result.ok and result.vendor == "cisco_ios"
    assert len(list(fleet.lint_files([path, path], jobs=1, options={}))) == 2


def test_one_file_never_imports_the_pool_machinery() -> None:
    """`idcgen lint FILE` is the common start-up path: multiprocessing and
    concurrent.futures (~20 ms of imports) load only for a pool."""
    code = ("import sys; from idcgen.cli import main\n"
            "try:\n    main(['lint', '--format', 'json', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('multiprocessing', 'concurrent.futures') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "cisco-dual-line-clean.cfg")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def _die_on_broken(path: str, **options: object) -> object:
    if "broken" in path:
        os._exit(9)  # a worker killed mid-file (OOM killer, segfault)
    assert _real_lint_path is not None
    return _real_lint_path(path, **options)


_real_lint_path: Callable[..., object] | None = None


def test_a_dead_worker_is_reported_not_hung(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("workers inherit the patched function only with fork")
    from idcgen import lint

    global _real_lint_path
    _real_lint_path = lint.lint_path
    monkeypatch.setattr(lint, "lint_path", _die_on_broken)
    paths = [str(p) for p in sorted(SAMPLES.glob("*.cfg"))]
    results = list(fleet.lint_files(paths, jobs=2, options={}))
    assert [r.path for r in results] == paths
    dead = [r for r in results if r.error == fleet.WORKER_DIED]
    assert dead and any("broken" in r.path for r in dead)
    assert all(r.ok for r in results if "broken" not in r.path and r not in dead)


def _interrupt(path: str, **options: object) -> object:
    raise KeyboardInterrupt


def test_ctrl_c_exits_130_without_waiting(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("workers inherit the patched function only with fork")
    from idcgen import lint

    monkeypatch.setattr(lint, "lint_path", _interrupt)
    for name in ("a.cfg", "b.cfg", "c.cfg"):
        shutil.copy(SAMPLES / "cisco-dual-line-clean.cfg", tmp_path / name)
    result = CliRunner().invoke(main, ["lint", "--jobs", "2", str(tmp_path)])
    assert result.exit_code == 130
    assert "interrupted" in result.output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_and_for_many_files() -> None:
    tty = _Tty()
    progress = fleet.Progress(fleet.PROGRESS_MIN_FILES, tty)
    for _ in range(fleet.PROGRESS_MIN_FILES):
        progress.advance()
    progress.clear()
    assert f"{fleet.PROGRESS_MIN_FILES}/{fleet.PROGRESS_MIN_FILES} files" in tty.getvalue()
    assert tty.getvalue().endswith("\r\x1b[K")
    for stream, total in ((io.StringIO(), 500), (_Tty(), fleet.PROGRESS_MIN_FILES - 1)):
        quiet = fleet.Progress(total, stream)
        for _ in range(total):
            quiet.advance()
        quiet.clear()
        assert stream.getvalue() == ""


def test_piped_stderr_has_no_progress(fleet_dir: Path) -> None:
    proc = idcgen("lint", "--jobs", "2", str(fleet_dir))
    assert b"\r" not in proc.stderr and b"files" not in proc.stderr.split(b"\n")[-1]
