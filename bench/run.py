"""Benchmark `idcgen lint` on generated configs: one command, a table, the targets.

    python bench/run.py                       # 1k/10k/100k/500k lines x 4 vendor forms
    python bench/run.py --sizes 1000,100000 --vendors cisco_ios,junos

For every vendor form (cisco_ios, huawei_vrp, junos hierarchical, junos set) and size:

- read+split  baseline: read the file, decode, splitlines (the floor any linter pays)
- parse       the vendor parser on the decoded text
- lint        the whole in-process path (`idcgen.lint.lint_path`: read, detect, parse, rules)
- process     `idcgen lint FILE` as a child process: wall time including interpreter
              start, and its peak RSS (ru_maxrss via os.wait4)

plus `idcgen --version` wall time (median of several runs). Targets: 100k lines linted in
<= 0.5 s process wall; `--version` <= 0.12 s; peak RSS < 250 MB at 500k lines. When one
is missed the script profiles the case (cProfile, python -X importtime, tracemalloc) and
prints where the time or memory goes, by function and by module. In-process times are the
best of several runs (1 run at 500k). Results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import VENDORS, generate  # noqa: E402

TARGET_100K_WALL_S = 0.5
TARGET_VERSION_S = 0.12
TARGET_500K_RSS_MB = 250
PARSER_VENDOR = {"cisco_ios": "cisco_ios", "huawei_vrp": "huawei_vrp", "junos": "junos",
                 "junos_set": "junos"}


def ensure_bytecode() -> None:
    """Compile idcgen's modules to bytecode where they are not yet.

    A wheel install ships them compiled; an editable install run with
    PYTHONDONTWRITEBYTECODE=1 (set on some CI and development machines) compiles every
    module again in every `idcgen` process: 0.1-0.2 s of start-up that a user's install
    does not pay, and that would be measured as the tool's own."""
    import compileall
    import importlib

    dirs: set[str] = set()
    for name in ("idcgen", "idcgen.vendors", "idcgen.generator"):
        try:
            dirs.update(getattr(importlib.import_module(name), "__path__", []))
        except ImportError:
            continue
    for directory in sorted(dirs):
        compileall.compile_dir(directory, quiet=1)


def idcgen_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m idcgen`
    (with the package's bytecode compiled: `ensure_bytecode`)."""
    ensure_bytecode()
    script = Path(sys.executable).with_name("idcgen")
    if script.exists():
        return [str(script)]
    found = shutil.which("idcgen")
    return [found] if found else [sys.executable, "-m", "idcgen"]


def best_of(runs: int, func: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


# Runs one command and reports its wall time and peak RSS. It is started as a fresh
# interpreter, so the measured child is forked from a small process: a child forked from
# the bench process itself would inherit the bench's own (large) peak RSS in ru_maxrss.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
print(json.dumps([wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]))
"""


def run_child(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one child process (ru_maxrss is KiB)."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *argv], capture_output=True,
                         text=True, check=True).stdout
    wall, rss, code = json.loads(out)
    return wall, rss, code


def read_split(path: Path) -> int:
    with open(path, "rb") as handle:
        return len(handle.read().decode("utf-8", errors="replace").splitlines())


def measure(vendor: str, lines: int, path: Path, cmd: list[str]) -> dict[str, Any]:
    from idcgen import lint
    from idcgen.vendors.parsing import gc_paused

    runs = 3 if lines <= 100_000 else 1
    row: dict[str, Any] = {"vendor": vendor, "lines": read_split(path),
                           "mb": path.stat().st_size / 1e6}
    row["baseline_s"] = best_of(runs, lambda: read_split(path))
    text = lint.decode(path.read_bytes())
    try:
        with gc_paused():  # as `idcgen lint` runs it
            row["parse_s"] = best_of(runs, lambda: lint._parse(PARSER_VENDOR[vendor], text,
                                                               str(path)))
    except Exception as exc:  # noqa: BLE001 - a missing stage is reported, not fatal
        row["parse_s"] = None
        row["error"] = f"parse: {type(exc).__name__}: {exc}"
    result_holder: list[Any] = []
    try:
        row["lint_s"] = best_of(runs, lambda: result_holder.append(lint.lint_path(str(path))))
        result = result_holder[-1]
        row["findings"] = len(result.findings)
        if result.error:
            row["error"] = f"lint: {result.error}"
    except Exception as exc:  # noqa: BLE001
        row["lint_s"] = None
        row["error"] = f"lint: {type(exc).__name__}: {exc}"
    walls = []
    for _ in range(runs):
        wall, rss, code = run_child([*cmd, "lint", str(path)])
        walls.append(wall)
        row["rss_mb"], row["exit"] = rss, code
    row["wall_s"] = min(walls)
    return row


def version_wall(cmd: list[str], runs: int) -> float:
    return statistics.median(run_child([*cmd, "--version"])[0] for _ in range(runs))


# --------------------------------------------------------------------------- output
def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:,.0f}"


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (f"{'vendor':<11}{'lines':>9}{'MB':>7}{'read+split':>11}{'parse':>9}{'lint':>9}"
            f"{'lines/s':>11}{'x base':>8}{'process':>10}{'exit':>5}{'RSS MB':>8}")
    print(head)
    print(f"{'':<11}{'':>9}{'':>7}{'ms':>11}{'ms':>9}{'ms':>9}{'(lint)':>11}{'(lint)':>8}"
          f"{'wall ms':>10}{'':>5}{'peak':>8}")
    print("-" * len(head))
    for row in rows:
        lint_s = row.get("lint_s")
        rate = f"{row['lines'] / lint_s:,.0f}" if lint_s else "n/a"
        ratio = f"{lint_s / row['baseline_s']:.0f}x" if lint_s else "n/a"
        print(f"{row['vendor']:<11}{row['lines']:>9,}{row['mb']:>7.1f}"
              f"{_ms(row['baseline_s']):>11}{_ms(row.get('parse_s')):>9}{_ms(lint_s):>9}"
              f"{rate:>11}{ratio:>8}{_ms(row['wall_s']):>10}{row['exit']:>5}"
              f"{row['rss_mb']:>8.0f}")
    for row in rows:
        if row.get("error"):
            print(f"  ! {row['vendor']} {row['lines']:,}: {row['error']}")


# --------------------------------------------------------------------------- profiling
def _module_of(filename: str) -> str:
    """A profiled file as a short module path (repo-relative, or the last components)."""
    repo = str(HERE.parent) + os.sep
    if filename.startswith(repo):
        return filename[len(repo):]
    if "site-packages" in filename:
        return "site-packages/" + filename.split("site-packages/", 1)[1]
    if filename == "~":
        return "builtins (C functions, e.g. str methods, dict.get)"
    return "/".join(Path(filename).parts[-2:]) if filename.startswith("/") else filename


def profile_lint(path: Path, top: int = 15) -> str:
    """cProfile of one in-process lint: stage times, top functions by own time, the repo
    functions by cumulative time, who calls the hottest library functions, and own time
    per module. (cProfile roughly doubles the run time; compare shares, not totals.)"""
    from idcgen import lint

    text = lint.decode(path.read_bytes())
    vendor = lint._detect(text).vendor
    stage = {}
    start = time.perf_counter()
    device = lint._parse(vendor, text, str(path))
    stage["parse"] = time.perf_counter() - start
    start = time.perf_counter()
    lint._run_rules(device, site=None, select=[], ignore=[])
    stage["rules"] = time.perf_counter() - start
    del device
    profiler = cProfile.Profile()
    profiler.enable()
    lint.lint_path(str(path))
    profiler.disable()
    out = io.StringIO()
    out.write("stage times without profiler (GC on, unlike `idcgen lint`): "
              + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stage.items()) + "\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    out.write("repo functions by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(re.escape(str(HERE.parent)), top)
    hottest = [func for func in sorted(stats.stats, key=lambda f: -stats.stats[f][2])  # type: ignore[attr-defined]
               if not func[0].startswith(str(HERE.parent))][:3]
    for filename, _, name in hottest:
        out.write(f"callers of {Path(filename).name}:{name}:\n")
        stats.print_callers(rf"\({re.escape(name)}\)$")
    per_module: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        per_module[_module_of(filename)] = per_module.get(_module_of(filename), 0.0) + tottime
    out.write("own time per module:\n")
    for module, seconds in sorted(per_module.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"  {seconds * 1000:9.1f} ms  {module}\n")
    return out.getvalue()


def profile_imports(cmd_python: str, top: int = 12) -> str:
    """`python -X importtime` of the CLI entry: the slowest imports (cumulative)."""
    proc = subprocess.run([cmd_python, "-X", "importtime", "-c", "import idcgen.cli"],
                          capture_output=True, text=True, timeout=60)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line[len("import time:"):].split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    rows.sort(reverse=True)
    return "\n".join(f"  {us / 1000:7.1f} ms  {name}" for us, name in rows[:top])


def profile_memory(path: Path, top: int = 12) -> str:
    """tracemalloc of one in-process lint: the traced peak, and what the parsed Device
    (alive while the rules run) holds, by allocating line."""
    import tracemalloc

    from idcgen import lint

    text = lint.decode(path.read_bytes())
    vendor = lint._detect(text).vendor
    tracemalloc.start()
    device = lint._parse(vendor, text, str(path))
    parsed, parse_peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    lint._run_rules(device, site=None, select=[], ignore=[])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    lines = [f"  text {len(text) / 1e6:.0f} MB (str); traced: parse peak {parse_peak / 1e6:.0f} MB,"
             f" Device alive after parse {parsed / 1e6:.0f} MB, peak with rules {peak / 1e6:.0f}"
             " MB", "  what the parsed Device holds, by allocating line:"]
    for stat in snapshot.statistics("lineno")[:top]:
        lines.append(f"  {stat.size / 1e6:8.1f} MB {stat.count:>9,} objects  {stat.traceback}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,500000")
    parser.add_argument("--vendors", default=",".join(VENDORS))
    parser.add_argument("--version-runs", type=int, default=9)
    parser.add_argument("--keep", help="write the generated configs here and keep them")
    parser.add_argument("--no-profile", action="store_true", help="skip profiling misses")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    vendors = [v for v in args.vendors.split(",") if v]
    cmd = idcgen_command()
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="idcgen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"idcgen bench: {' '.join(cmd)}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs; configs in {workdir}")
    rows = []
    try:
        for vendor in vendors:
            for size in sizes:
                path = workdir / f"{vendor}-{size}.cfg"
                path.write_text(generate(vendor, size), encoding="utf-8")
                rows.append(measure(vendor, size, path, cmd))
                print(f"  measured {vendor} {size:,}", file=sys.stderr)
        version_s = version_wall(cmd, args.version_runs)
        print()
        print_table(rows)
        print(f"\nidcgen --version: {version_s * 1000:.0f} ms wall (median of "
              f"{args.version_runs})")
        misses = report_targets(rows, version_s)
        if misses and not args.no_profile:
            explain(misses, workdir)
        save(rows, version_s)
        return 1 if misses else 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def report_targets(rows: list[dict[str, Any]], version_s: float) -> list[tuple[str, Any]]:
    print("\ntargets:")
    misses: list[tuple[str, Any]] = []

    def check(ok: bool, text: str, miss: tuple[str, Any]) -> None:
        print(f"  [{'ok' if ok else 'MISS'}] {text}")
        if not ok:
            misses.append(miss)

    for row in rows:
        if 90_000 <= row["lines"] <= 110_000:
            check(row["wall_s"] <= TARGET_100K_WALL_S and row["exit"] in (0, 1),
                  f"{row['vendor']} {row['lines']:,} lines: process wall "
                  f"{row['wall_s']:.3f} s <= {TARGET_100K_WALL_S} s (exit {row['exit']})",
                  ("time", row))
        if row["lines"] >= 400_000:
            check(row["rss_mb"] < TARGET_500K_RSS_MB and row["exit"] in (0, 1),
                  f"{row['vendor']} {row['lines']:,} lines: peak RSS {row['rss_mb']:.0f} MB"
                  f" < {TARGET_500K_RSS_MB} MB (exit {row['exit']})", ("memory", row))
    check(version_s <= TARGET_VERSION_S,
          f"idcgen --version {version_s:.3f} s <= {TARGET_VERSION_S} s", ("version", None))
    return misses


def explain(misses: list[tuple[str, Any]], workdir: Path) -> None:
    for kind, row in misses:
        if kind == "version":
            print("\n--- --version: slowest imports of idcgen.cli (cumulative)")
            print(profile_imports(sys.executable))
            continue
        path = workdir / f"{row['vendor']}-{_size_of(row, workdir)}.cfg"
        if not path.exists():
            continue
        if kind == "time":
            print(f"\n--- {row['vendor']} {row['lines']:,} lines: where lint spends its time")
            try:
                print(profile_lint(path))
            except Exception as exc:  # noqa: BLE001
                print(f"  cannot profile: {type(exc).__name__}: {exc}")
        else:
            print(f"\n--- {row['vendor']} {row['lines']:,} lines: where the memory goes")
            try:
                print(profile_memory(path))
            except Exception as exc:  # noqa: BLE001
                print(f"  cannot trace: {type(exc).__name__}: {exc}")


def _size_of(row: dict[str, Any], workdir: Path) -> int:
    """The requested size whose generated file produced this row."""
    candidates = sorted(workdir.glob(f"{row['vendor']}-*.cfg"),
                        key=lambda p: abs(int(p.stem.rsplit("-", 1)[1]) - row["lines"]))
    return int(candidates[0].stem.rsplit("-", 1)[1]) if candidates else row["lines"]


def save(rows: list[dict[str, Any]], version_s: float) -> None:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(
        {"rows": rows, "version_s": version_s, "python": sys.version}, indent=2) + "\n",
        encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
