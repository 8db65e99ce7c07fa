"""Inline waivers: `! idcgen: ignore IDC203 <reason>` in the device config's own comments.

Syntax (the comment prefix is the vendor driver's `comment_prefix`: `!` on Cisco IOS,
`#` on Huawei VRP and Junos), on a line of its own:

    ! idcgen: ignore IDC203 dual ISP default route, by design (NET-1234)
    ! idcgen: ignore IDC203,IDC204 <reason>
    ! idcgen: ignore-file IDC104 <reason>

- `ignore` waives the named rules for findings on the **next statement** (the next line
  that is neither blank nor a comment) and, when that statement opens a block, on the
  whole block: the lines indented deeper than it (Cisco, Huawei), or up to the matching
  `}` when it ends with `{` (Junos).
- `ignore-file` waives the named rules for every finding of the file, those about
  something absent (line 0) included: they have no statement to sit above.
- The reason is the rest of the line. A waiver without one still applies and is
  reported as IDC911 (warning): a CI gate needs to know why a finding was accepted.
- A waiver that waives nothing is reported as IDC910 (warning) at its line: no
  statement follows it, it names no rule id or an unknown one, or none of its rules
  had a finding there. A rule that did not run on the file (`--select`/`--ignore`, a
  (site) rule without `--site`, a cloud rule with no cloud-facing link) is not judged,
  so a waiver is never called unused for a rule that could not have fired.

Waived findings stay in the results with `suppressed` set (JSON `"suppressed": {"kind":
"inline", "reason": ..., "line": N}`, SARIF `suppressions: [{"kind": "inSource"}]`); they
do not count toward the exit code or the text report's findings. The waiver pass costs
one substring test on a config without `idcgen:`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from idcgen.findings import Finding, Suppression

if TYPE_CHECKING:
    from idcgen.rules.base import RuleInfo

MARKER = "idcgen:"
UNUSED, NO_REASON = "IDC910", "IDC911"
_RULE_ID = re.compile(r"^IDC\d{3}$", re.IGNORECASE)
MAX_REASON = 200  # characters of a reason kept in reports


@dataclass
class Waiver:
    """One `idcgen: ignore` comment and the lines it covers."""

    line: int
    rules: list[str]
    reason: str
    file_wide: bool = False
    start: int = 0  # first and last line covered (0 0: no statement follows)
    end: int = 0
    used: set[str] = field(default_factory=set)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _parse_waiver(body: str, number: int) -> Waiver | None:
    """`ignore[-file] IDS reason` after `idcgen:`; None when it is not a waiver at all."""
    words = body.split(None, 1)
    if not words or words[0].lower() not in ("ignore", "ignore-file"):
        return None
    rest = words[1] if len(words) > 1 else ""
    rules: list[str] = []
    tokens = re.split(r"(\s+|,)", rest)
    consumed = 0
    for token in tokens:
        stripped = token.strip(" \t,")
        if not stripped:
            consumed += len(token)
            continue
        if not _RULE_ID.match(stripped):
            break
        rules.append(stripped.upper())
        consumed += len(token)
    reason = rest[consumed:].strip()
    return Waiver(number, rules, reason[:MAX_REASON],
                  file_wide=words[0].lower() == "ignore-file")


def find_waivers(text: str, comment_prefix: str) -> list[Waiver]:
    """Every waiver of `text` with the lines it covers (see module doc)."""
    if MARKER not in text:
        return []
    lines = text.split("\n")
    waivers: list[Waiver] = []
    pending: list[Waiver] = []
    for index, raw in enumerate(lines):
        number = index + 1
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith(comment_prefix):
            body = stripped[len(comment_prefix):].lstrip(comment_prefix + " \t")
            if body.lower().startswith(MARKER):
                waiver = _parse_waiver(body[len(MARKER):].strip(), number)
                if waiver is not None:
                    waivers.append(waiver)
                    if not waiver.file_wide:
                        pending.append(waiver)
            continue
        if pending:
            end = _block_end(lines, index)
            for waiver in pending:
                waiver.start, waiver.end = number, end
            pending = []
    return waivers


def _block_end(lines: Sequence[str], index: int) -> int:
    """The last line (1-based) of the statement at `index` and the block it opens."""
    statement = lines[index]
    body = statement.rstrip()
    if body.endswith("{"):
        depth = 0
        for j in range(index, len(lines)):
            code = lines[j].split("#", 1)[0]
            depth += code.count("{") - code.count("}")
            if depth <= 0:
                return j + 1
        return len(lines)
    level = _indent(statement)
    end = index
    for j in range(index + 1, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        if _indent(line) <= level:
            break
        end = j
    return end + 1


def apply_waivers(findings: list[Finding], text: str, comment_prefix: str, *,
                  ran: Iterable[str], catalogue: dict[str, RuleInfo],
                  report: set[str]) -> list[Finding]:
    """Mark waived findings as suppressed; return the IDC910/IDC911 findings to add.

    `ran`: the rule ids that ran on this file (only their waivers can be judged unused);
    `report`: which of IDC910/IDC911 are selected.
    """
    waivers = find_waivers(text, comment_prefix)
    if not waivers:
        return []
    ran = set(ran)
    for finding in findings:
        for waiver in waivers:
            if finding.rule not in waiver.rules:
                continue
            if waiver.file_wide or waiver.start <= finding.line <= waiver.end \
                    and finding.line > 0:
                finding.suppressed = Suppression("inline", waiver.reason or "(no reason given)",
                                                 waiver.line)
                waiver.used.add(finding.rule)
                break
    return _waiver_findings(waivers, ran, catalogue, report)


def _waiver_findings(waivers: list[Waiver], ran: set[str], catalogue: dict[str, RuleInfo],
                     report: set[str]) -> list[Finding]:
    out: list[Finding] = []

    def add(rule_id: str, line: int, message: str) -> None:
        if rule_id in report:
            info = catalogue[rule_id]
            out.append(Finding(rule_id, info.name, info.severity, line, message))

    for waiver in waivers:
        kind = "ignore-file" if waiver.file_wide else "ignore"
        if not waiver.rules:
            add(UNUSED, waiver.line, f"`idcgen: {kind}` names no rule id (write "
                                     f"`idcgen: {kind} IDC203 <reason>`); it waives nothing")
            continue
        if not waiver.reason:
            add(NO_REASON, waiver.line, f"`idcgen: {kind} {','.join(waiver.rules)}` gives no "
                                        "reason; say why the finding is accepted")
        unknown = [r for r in waiver.rules if r not in catalogue]
        if unknown:
            add(UNUSED, waiver.line, f"`idcgen: {kind}` names {', '.join(unknown)}, which "
                                     "is no rule id (see `idcgen rules`)")
        if not waiver.file_wide and waiver.start == 0:
            add(UNUSED, waiver.line, f"`idcgen: {kind} {','.join(waiver.rules)}` has no "
                                     "statement after it to apply to")
            continue
        idle = [r for r in waiver.rules if r in catalogue and r in ran and r not in waiver.used]
        if idle:
            where = "in this file" if waiver.file_wide else (
                f"on the statement at line {waiver.start}" if waiver.start == waiver.end
                else f"in lines {waiver.start}-{waiver.end}")
            add(UNUSED, waiver.line, f"`idcgen: {kind}` waives {', '.join(idle)}, which "
                                     f"reported nothing {where}; remove it from the waiver")
    return out
