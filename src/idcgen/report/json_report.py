"""`--format json`: the CONTRACT.md shape, for scripts and dashboards.

A file that could not be linted keeps its place in `files` with an extra `"error"`
string (e.g. "unsupported platform (looks like Cisco NX-OS)"), `"vendor": null` and
empty `cloud_links` / `findings`, so consumers can iterate without special cases.
`summary` counts the findings of all files that are not suppressed; it has exactly the
keys error/warning/info. `suppressed` counts the suppressed ones per kind (inline,
baseline), present only when something was suppressed or a baseline was read; `baseline`
(with --baseline) names the file and its stale entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from idcgen import __version__
from idcgen.report import (
    dumps_indented,
    dumps_indented_chunks,
    finding_dict,
    link_dict,
    rejected_dict,
    summary,
    suppressed_counts,
)

if TYPE_CHECKING:
    from idcgen.results import FileResult


def file_dict(result: FileResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": result.path,
        "vendor": result.vendor,
        "cloud_links": [link_dict(link) for link in result.links],
        "rejected_links": [rejected_dict(link) for link in result.rejected_links],
        "findings": [finding_dict(f) for f in result.findings],
    }
    if result.error is not None:
        entry["error"] = result.error
        if getattr(result, "error_line", 0):
            entry["error_line"] = result.error_line
    return entry


def report_dict(results: Sequence[FileResult],
                baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {
        "tool": {"name": "idcgen", "version": __version__},
        "files": [file_dict(r) for r in results],
        "summary": summary(results),
    }
    waived = suppressed_counts(results)
    if any(waived.values()) or baseline is not None:  # absent when nothing is suppressed
        out["suppressed"] = waived
    if baseline is not None:
        out["baseline"] = baseline
    return out


def render_json(results: Sequence[FileResult],
                baseline: dict[str, Any] | None = None) -> str:
    """The report as indented JSON (UTF-8 text, non-ASCII kept readable)."""
    return dumps_indented(report_dict(results, baseline))  # = json.dumps(indent=2, ...)


def render_json_chunks(results: Sequence[FileResult],
                       baseline: dict[str, Any] | None = None) -> list[str]:
    """`render_json`'s text in chunks, for writing without one string of it all."""
    return dumps_indented_chunks(report_dict(results, baseline))
