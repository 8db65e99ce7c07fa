"""`--format text`: the report for a person at a terminal or reading a CI log.

    samples/running/r1.cfg (cisco_ios)
      cloud links:
        GigabitEthernet0/0/1  10.10.10.2/30 -> 10.10.10.1  (inferred: description ...)
       -  error    IDC301 health-check-return-route-missing  No /32 return route ...
                   fix: ip route 192.168.10.2 255.255.255.255 10.10.11.1
      42  warning  IDC402 ipsec-cleartext-key  ...

    2 files, 1 not linted: 3 errors, 1 warning, 0 info

Line `-` marks a finding about something absent (line 0 in JSON). Suppressed findings
(inline waivers, baseline) are not listed; the summary line counts them, and the stale
baseline entries. Files that could not
be linted are named on stderr by the command, and counted in the summary line. Colour
only when stdout is a terminal and NO_COLOR is unset: never escape codes in files/pipes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING

from idcgen.report import summary, suppressed_counts

if TYPE_CHECKING:
    from idcgen.results import FileResult

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_SEV_WIDTH = len("warning")


def use_colour(stream: IO[str]) -> bool:
    """Colour for a terminal only; honour NO_COLOR (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed stream
        return False


def render_text(results: Sequence[FileResult], *, colour: bool = False, stale: int = 0) -> str:
    """The whole report; ends with the summary line and a newline."""
    return "".join(text_chunks(results, colour=colour, stale=stale))


def text_chunks(results: Sequence[FileResult], *, colour: bool = False, stale: int = 0,
                lines_per_chunk: int = 4096) -> Iterator[str]:
    """The report in chunks of whole lines, each ending in a newline: written one by one,
    a report of 100k findings is never one string (peak memory, bench/shapes.py)."""
    out: list[str] = []
    for line in _text_lines(results, colour=colour, stale=stale):
        out.append(line)
        if len(out) >= lines_per_chunk:
            yield "\n".join(out) + "\n"
            out.clear()
    if out:
        yield "\n".join(out) + "\n"


def _text_lines(results: Sequence[FileResult], *, colour: bool, stale: int
                ) -> Iterator[str]:
    style = _styler(colour)
    for result in results:
        if result.error is not None:
            continue  # reported on stderr as "PATH: reason"
        yield style(f"{result.path} ({result.vendor})", bold=True)
        if result.links:
            yield "  cloud links:"
            for link in result.links:
                local = str(link.local_ip) if link.local_ip is not None else "?"
                peer = str(link.peer_ip) if link.peer_ip is not None else "?"
                yield f"    {link.interface or '?'}  {local} -> {peer}  ({link.source})"
        rejected = getattr(result, "rejected_links", [])
        if rejected:
            yield "  not cloud links:"
            for cand in rejected:
                yield f"    {cand.interface}: {cand.reason}"
        findings = [f for f in result.findings if f.suppressed is None]
        if not findings:
            yield "  no findings"
        width = max((len(str(f.line)) for f in findings), default=1)
        indent = " " * (2 + width + 2 + _SEV_WIDTH + 2)
        for finding in findings:
            line = str(finding.line) if finding.line > 0 else "-"
            severity = style(finding.severity.ljust(_SEV_WIDTH),
                             fg=_SEVERITY_COLOUR.get(finding.severity))
            rule = style(finding.rule, bold=True)
            yield (f"  {line.rjust(width)}  {severity}  {rule} {finding.name}  "
                   f"{finding.message}")
            for number, fix in enumerate(finding.fix):
                label = "fix: " if number == 0 else "     "
                yield f"{indent}{style(label + fix, dim=True)}"
        yield ""
    yield _summary_line(results, stale)


def _summary_line(results: Sequence[FileResult], stale: int = 0) -> str:
    counts = summary(results)
    failed = sum(1 for r in results if r.error is not None)
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    if failed:
        files += f", {failed} not linted"
    parts = [f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
             f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
             f"{counts['info']} info"]
    line = f"{files}: {', '.join(parts)}"
    waived = suppressed_counts(results)
    if any(waived.values()):
        line += (f" ({waived['inline'] + waived['baseline']} suppressed: {waived['inline']} "
                 f"inline, {waived['baseline']} baseline)")
    if stale:
        line += f"; {stale} stale baseline entr{'ies' if stale != 1 else 'y'}"
    return line


def _styler(colour: bool) -> Callable[..., str]:
    """click.style when colouring, else identity (click is imported only when needed)."""
    if not colour:
        return lambda text, **_: text
    import click

    return lambda text, **kw: click.style(text, **kw)
