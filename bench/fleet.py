"""Lint a config repository: serial (`--jobs 1`) vs parallel (`--jobs 0`, one per CPU).

    python bench/fleet.py            # 2,000 configs, 3 runs each (~2 min on 2 cores)
    python bench/fleet.py --quick    # 300 configs, 1 run each
    python bench/fleet.py --files 5000 --runs 5

The repository: mixed vendors and forms (cisco_ios, huawei_vrp, junos, junos_set in
turn), 300-3,000 lines each (uniform, fixed seed), of `generate.py`'s border-router mix.
For each mode: `idcgen lint --format json DIR` as a child process: wall time (median),
files/s, lines/s, and CPU utilisation = (user + sys of the process tree) / (wall x CPUs).
The two reports must be byte-identical. Target (issue #8): parallel >= 1.8x the serial
throughput on 2 cores. Exit 1 when it is missed or the outputs differ.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import VENDORS, generate  # noqa: E402
from run import idcgen_command  # noqa: E402

TARGET_SPEEDUP = 1.8

# wall, CPU seconds (user + sys of the whole process tree), exit code, sha256 of stdout
_LAUNCHER = """
import hashlib, json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status),
                  hashlib.sha256(out).hexdigest()]))
"""


def make_repo(root: Path, files: int, seed: int = 8) -> int:
    """Write the configs; return their total line count."""
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        vendor = VENDORS[i % len(VENDORS)]
        lines = rng.randint(300, 3000)
        text = generate(vendor, lines)
        total += text.count("\n")
        sub = root / f"site-{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"dev-{i:05d}.{vendor}.cfg").write_text(text, encoding="utf-8")
    return total


def run(cmd: list[str]) -> tuple[float, float, int, str]:
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True,
                         text=True, check=True).stdout
    wall, cpu, code, digest = json.loads(out)
    return wall, cpu, code, digest


def measure(cmd: list[str], repo: Path, jobs: str, runs: int) -> dict[str, Any]:
    samples = [run([*cmd, "lint", "--format", "json", "--jobs", jobs, str(repo)])
               for _ in range(runs)]
    walls = [s[0] for s in samples]
    wall = statistics.median(walls)
    cpu = statistics.median(s[1] for s in samples)
    return {"jobs": jobs, "wall_s": wall, "walls": walls, "cpu_s": cpu,
            "exit": samples[-1][2], "sha256": {s[3] for s in samples}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 files, 1 run")
    parser.add_argument("--files", type=int)
    parser.add_argument("--runs", type=int)
    args = parser.parse_args(argv)
    files = args.files or (300 if args.quick else 2000)
    runs = args.runs or (1 if args.quick else 3)
    cpus = os.cpu_count() or 1
    cmd = idcgen_command()
    repo = Path(tempfile.mkdtemp(prefix="idcgen-fleet-"))
    try:
        start = time.perf_counter()
        lines = make_repo(repo, files)
        print(f"idcgen fleet bench: {' '.join(cmd)}; python {sys.version.split()[0]}; "
              f"{cpus} CPUs; {files:,} configs, {lines:,} lines (generated in "
              f"{time.perf_counter() - start:.1f} s); median of {runs} run(s)")
        serial = measure(cmd, repo, "1", runs)
        parallel = measure(cmd, repo, "0", runs)
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    print(f"\n{'mode':<22}{'wall s':>8}{'files/s':>9}{'lines/s':>12}{'CPU s':>8}"
          f"{'CPU use':>9}{'exit':>5}")
    for label, row in (("serial (--jobs 1)", serial), (f"parallel (--jobs 0={cpus})", parallel)):
        workers = 1 if row is serial else cpus
        util = row["cpu_s"] / (row["wall_s"] * workers)
        print(f"{label:<22}{row['wall_s']:>8.2f}{files / row['wall_s']:>9.0f}"
              f"{lines / row['wall_s']:>12,.0f}{row['cpu_s']:>8.1f}{util:>8.0%}"
              f"{row['exit']:>5}")
    speedup = serial["wall_s"] / parallel["wall_s"]
    same = serial["sha256"] == parallel["sha256"] and len(serial["sha256"]) == 1
    print(f"\nspeed-up {speedup:.2f}x on {cpus} CPUs; reports byte-identical: "
          f"{'yes' if same else 'NO'}")
    ok = speedup >= TARGET_SPEEDUP and same
    print(f"targets:\n  [{'ok' if speedup >= TARGET_SPEEDUP else 'MISS'}] parallel >= "
          f"{TARGET_SPEEDUP}x serial throughput ({speedup:.2f}x)\n"
          f"  [{'ok' if same else 'MISS'}] identical output")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "fleet.json").write_text(json.dumps(
        {"files": files, "lines": lines, "cpus": cpus, "serial": {**serial, "sha256": None},
         "parallel": {**parallel, "sha256": None}, "speedup": speedup, "identical": same},
        indent=1) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
