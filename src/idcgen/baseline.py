"""Baselines: accept today's findings so a CI gate fails only on new ones.

    idcgen lint configs/ --write-baseline idcgen-baseline.json   # once, commit the file
    idcgen lint configs/ --baseline idcgen-baseline.json         # in CI

A finding is identified by a fingerprint that survives edits elsewhere in the file:

    rule + path + normalised statement (+ an occurrence counter)

- path: relative to the baseline file's directory when the config lies below it (so the
  same baseline works from any working directory), else absolute; forward slashes.
- statement: the finding's config line, stripped and with runs of whitespace collapsed;
  a finding about an absence (line 0) uses its message with `line N` references
  neutralised. Only a SHA-256 digest of it is stored, so no config text — and never a
  key — reaches the baseline file; the entry also carries the rule's message (rule
  messages never hold key material) for people reading the diff.
- occurrence: identical (rule, path, statement) findings are numbered in line order.

Line numbers are not part of the fingerprint: adding a line above a baselined finding
does not make it new. The file is JSON, entries sorted, written atomically; a finding it
holds is suppressed (`"suppressed": {"kind": "baseline"}`, SARIF `external`); entries
that match nothing any more are *stale*: reported in the summary, never a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idcgen.errors import InputError, Location, Problem
from idcgen.findings import Finding, Suppression
from idcgen.results import FileResult

FORMAT = "idcgen-baseline/v1"
_LINE_REF = re.compile(r"\blines? \d+(?:\s*-\s*\d+)?")


def statement_key(finding: Finding, lines: Sequence[str] | None) -> str:
    """The normalised statement of `finding` (see module doc), before hashing."""
    if finding.line > 0 and lines is not None and finding.line <= len(lines):
        return " ".join(lines[finding.line - 1].split())
    return "absent: " + _LINE_REF.sub("line N", finding.message)


def fingerprint(rule: str, path: str, statement: str) -> str:
    key = "\x1f".join((rule, path, statement))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def baseline_path_key(path: str, base_dir: Path) -> str:
    """The path as the baseline records it (relative to `base_dir` when below it)."""
    if path.startswith("<"):
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base_dir).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass(frozen=True)
class Entry:
    path: str
    rule: str
    fingerprint: str
    occurrence: int
    message: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.path, self.rule, self.fingerprint, self.occurrence)

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "rule": self.rule, "fingerprint": self.fingerprint,
                "occurrence": self.occurrence, "message": self.message}


def entries_for(result: FileResult, base_dir: Path,
                lines: Sequence[str] | None) -> list[tuple[Finding, Entry]]:
    """Each finding of `result` that is not waived inline, with its baseline entry."""
    path = baseline_path_key(result.path, base_dir)
    seen: dict[tuple[str, str], int] = {}
    out: list[tuple[Finding, Entry]] = []
    for finding in sorted(result.findings, key=lambda f: (f.line, f.rule, f.message)):
        if finding.suppressed is not None and finding.suppressed.kind == "inline":
            continue
        digest = fingerprint(finding.rule, path, statement_key(finding, lines))
        count = seen[(finding.rule, digest)] = seen.get((finding.rule, digest), 0) + 1
        out.append((finding, Entry(path, finding.rule, digest, count, finding.message)))
    return out


def _lines(path: str) -> list[str] | None:
    """The config's lines as lint numbered them (decoded the same way), or None."""
    if path.startswith("<"):
        return None
    from idcgen.lint import decode, read_input

    try:
        return decode(read_input(path)).split("\n")
    except OSError:
        return None


def _collect(results: Sequence[FileResult], base_dir: Path,
             texts: dict[str, str] | None) -> list[tuple[Finding, Entry]]:
    pairs: list[tuple[Finding, Entry]] = []
    for result in results:
        if not result.ok or not result.findings:
            continue
        if texts is not None and result.path in texts:
            lines: list[str] | None = texts[result.path].split("\n")
        else:
            lines = _lines(result.path)
        pairs += entries_for(result, base_dir, lines)
    return pairs


def write_baseline(target: str, results: Sequence[FileResult], *,
                   texts: dict[str, str] | None = None) -> int:
    """Write every not-waived finding of `results` to `target` (atomically); return how
    many. `texts` (path -> config text) spares re-reading files (stdin, tests)."""
    from idcgen.output import write_atomic

    base_dir = Path(os.path.abspath(target)).parent
    entries = sorted((entry for _, entry in _collect(results, base_dir, texts)),
                     key=lambda e: e.key)
    document = {"format": FORMAT, "findings": [e.as_dict() for e in entries]}
    try:
        write_atomic(Path(target), json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                     secret=False)
    except OSError as exc:
        raise InputError(Problem(Location(target), "", f"cannot write: {exc}")) from None
    return len(entries)


def read_baseline(path: str) -> list[Entry]:
    """The entries of a baseline file; InputError (exit 2) when unreadable or malformed."""
    from idcgen.inputs import read_text

    try:
        data = json.loads(read_text(path, what="baseline"))
    except OSError as exc:
        raise InputError(Problem(Location(path), "", f"cannot read baseline: "
                                                     f"{exc.strerror or exc}")) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        raise InputError(Problem(Location(path, line), "", "not a baseline file (invalid "
                                 "JSON); write one with `idcgen lint --write-baseline`")) \
            from None
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("findings"), list):
        raise InputError(Problem(Location(path), "", f"not an idcgen baseline (expected "
                                                     f"\"format\": \"{FORMAT}\")"))
    entries: list[Entry] = []
    for index, item in enumerate(data["findings"]):
        try:
            entries.append(Entry(str(item["path"]), str(item["rule"]),
                                 str(item["fingerprint"]), int(item["occurrence"]),
                                 str(item.get("message", ""))))
        except (KeyError, TypeError, ValueError):
            raise InputError(Problem(Location(path), f"findings[{index}]",
                                     "needs path, rule, fingerprint and occurrence")) from None
    return entries


def apply_baseline(path: str, results: Sequence[FileResult], *,
                   texts: dict[str, str] | None = None) -> dict[str, Any]:
    """Suppress the findings `path` holds; return the JSON `baseline` object (file,
    matched count, stale entries)."""
    entries = read_baseline(path)
    wanted = {entry.key: entry for entry in entries}
    base_dir = Path(os.path.abspath(path)).parent
    matched: set[tuple[str, str, str, int]] = set()
    linted = {baseline_path_key(r.path, base_dir) for r in results if r.ok}
    for finding, entry in _collect(results, base_dir, texts):
        if entry.key in wanted:
            finding.suppressed = Suppression("baseline", f"accepted in baseline {path}")
            matched.add(entry.key)
    # stale: entries of files linted now that matched nothing (other files: not judged)
    stale = [e for e in entries if e.key not in matched and e.path in linted]
    return {"file": path, "matched": len(matched),
            "stale": [e.as_dict() for e in stale]}
