"""Lint every config of the third-party corpus in-process and check the linter holds up.

    python bench/corpus_check.py [CORPUS_DIR] [--all-findings] [--json FILE]

CORPUS_DIR defaults to ../shared/corpus beside the repository. For every file under its
platform folders it checks that:

- linting raises nothing (a traceback is a failure, printed in full);
- the five supported folders are detected as their vendor (cisco_ios, huawei_vrp, junos,
  junos_set -> junos) and the others (asa, comware, eos, iosxr, nxos) are refused as
  unsupported platforms.

It prints a confusion table (folder x detected vendor), what the refused files were taken
for, the findings per rule per folder, and every finding other than IDC901 / IDC2xx /
IDC4xx: configs that are not about Alibaba Cloud should produce nothing else, so those are
the suspected false alarms to investigate (`--all-findings` lists every finding instead).
Exit status: 0 when nothing crashed and every file was classified as expected, else 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXPECTED = {"cisco_ios": "cisco_ios", "huawei_vrp": "huawei_vrp", "junos": "junos",
            "junos_set": "junos"}
UNSUPPORTED = ("asa", "comware", "eos", "iosxr", "nxos")
UNSUPPORTED_COLUMN = "unsupported"
# expected on configs unrelated to Alibaba: no link found, generic route/IPsec hygiene
QUIET_PREFIXES = ("IDC901", "IDC2", "IDC4")


def lint_one(path: Path, name: str) -> dict[str, Any]:
    """Lint one file; never raises (a crash is recorded with its traceback)."""
    from idcgen import lint

    record: dict[str, Any] = {"file": name, "detected": None, "looks_like": None,
                              "findings": [], "error": None, "crash": None, "seconds": 0.0}
    start = time.perf_counter()
    try:
        data = path.read_bytes()
        if not lint.looks_binary(data):
            detection = lint._detect(lint.decode(data))
            record["looks_like"] = getattr(detection, "looks_like", None)
        result = lint.lint_bytes(data, name)
        record["detected"] = result.vendor if result.ok else UNSUPPORTED_COLUMN
        record["error"] = result.error
        record["findings"] = [
            {"rule": f.rule, "severity": f.severity, "line": f.line, "message": f.message}
            for f in result.findings]
    except Exception:  # noqa: BLE001 - the point is to catch and show every crash
        record["detected"] = "CRASH"
        record["crash"] = traceback.format_exc()
    record["seconds"] = time.perf_counter() - start
    return record


def check(corpus: Path) -> tuple[list[dict[str, Any]], list[str]]:
    records: list[dict[str, Any]] = []
    failures: list[str] = []
    folders = [d for d in sorted(corpus.iterdir()) if d.is_dir() and not d.name.startswith(".")]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = str(path.relative_to(corpus))
            record = lint_one(path, name)
            record["folder"] = folder.name
            records.append(record)
            if record["crash"]:
                failures.append(f"{name}: crashed\n{record['crash']}")
                continue
            expected = EXPECTED.get(folder.name, UNSUPPORTED_COLUMN
                                    if folder.name in UNSUPPORTED else None)
            if expected is not None and record["detected"] != expected:
                failures.append(f"{name}: detected as {record['detected']} "
                                f"({record['error'] or 'linted'}), expected {expected}")
    return records, failures


# --------------------------------------------------------------------------- printing
def print_confusion(records: list[dict[str, Any]]) -> None:
    columns = ["cisco_ios", "huawei_vrp", "junos", UNSUPPORTED_COLUMN, "CRASH"]
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        table[record["folder"]][record["detected"]] += 1
    print("confusion table (rows: corpus folder, columns: what idcgen decided)")
    print(f"  {'folder':<12}" + "".join(f"{c:>12}" for c in columns) + f"{'files':>8}")
    for folder in sorted(table):
        counts = table[folder]
        print(f"  {folder:<12}" + "".join(f"{counts.get(c, 0) or '.':>12}" for c in columns)
              + f"{sum(counts.values()):>8}")
    refused: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        if record["detected"] == UNSUPPORTED_COLUMN:
            refused[record["folder"]][str(record["looks_like"] or "-")] += 1
    if refused:
        print("\nrefused files: what they were taken for (looks_like)")
        for folder in sorted(refused):
            parts = ", ".join(f"{k} x{v}" for k, v in refused[folder].most_common())
            print(f"  {folder:<12} {parts}")


def print_rule_counts(records: list[dict[str, Any]]) -> None:
    per_folder: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        for finding in record["findings"]:
            per_folder[record["folder"]][finding["rule"]] += 1
    rules = sorted({rule for counts in per_folder.values() for rule in counts})
    print("\nfindings per rule per folder")
    if not rules:
        print("  (none)")
        return
    print(f"  {'folder':<12}" + "".join(f"{r:>8}" for r in rules))
    for folder in sorted(per_folder):
        counts = per_folder[folder]
        print(f"  {folder:<12}" + "".join(f"{counts.get(r, 0) or '.':>8}" for r in rules))


def print_suspects(records: list[dict[str, Any]], *, everything: bool) -> int:
    title = "all findings" if everything else (
        "suspected false alarms (anything but IDC901 / IDC2xx / IDC4xx)")
    print(f"\n{title}")
    count = 0
    for record in records:
        for finding in record["findings"]:
            if everything or not finding["rule"].startswith(QUIET_PREFIXES):
                count += 1
                print(f"  {record['file']}:{finding['line']}: {finding['rule']} "
                      f"[{finding['severity']}] {finding['message']}")
    if not count:
        print("  (none)")
    return count


def print_times(records: list[dict[str, Any]], total: float) -> None:
    per_folder: dict[str, list[float]] = defaultdict(list)
    for record in records:
        per_folder[record["folder"]].append(record["seconds"])
    slowest = max(records, key=lambda r: r["seconds"], default=None)
    print(f"\ntime: {total:.2f} s for {len(records)} files"
          + (f"; slowest {slowest['file']} {slowest['seconds'] * 1000:.0f} ms" if slowest else ""))
    for folder in sorted(per_folder):
        times = per_folder[folder]
        print(f"  {folder:<12} {sum(times) * 1000:8.0f} ms  ({len(times)} files)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--all-findings", action="store_true",
                        help="list every finding, not only the suspected false alarms")
    parser.add_argument("--json", help="also write every record to this file")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus_check: {corpus}: not a directory", file=sys.stderr)
        return 2
    start = time.perf_counter()
    records, failures = check(corpus)
    total = time.perf_counter() - start
    print(f"corpus: {corpus} ({len(records)} files)\n")
    print_confusion(records)
    print_rule_counts(records)
    print_suspects(records, everything=args.all_findings)
    print_times(records, total)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    if failures:
        print(f"\nFAILED: {len(failures)} file(s)")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("\nOK: no crash, every file classified as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
