"""Lint reports: text for people, JSON for scripts, SARIF for code-scanning tools.

Each renderer takes the list of `idcgen.lint.FileResult`s and returns a string; the
shapes are fixed by CONTRACT.md. Shared here: the finding/link dictionaries and the
severity summary, so the three formats can never disagree on what a finding says.
Nothing here prints a config line: reports carry only rule messages and fix lines,
which the rules build without key material.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from idcgen.findings import CloudLink, Finding, RejectedLink

if TYPE_CHECKING:
    from idcgen.results import FileResult

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    """Count findings per severity over every linted file (always all three keys);
    suppressed findings are left out (`suppressed_counts`)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for result in results:
        for finding in result.findings:
            if finding.suppressed is None:  # waived / baselined findings do not count
                counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


def suppressed_counts(results: Iterable[FileResult]) -> dict[str, int]:
    """Suppressed findings per kind (inline waiver, baseline): always both keys."""
    counts = {"inline": 0, "baseline": 0}
    for result in results:
        for finding in result.findings:
            if finding.suppressed is not None:
                counts[finding.suppressed.kind] += 1
    return counts


def link_dict(link: CloudLink) -> dict[str, Any]:
    """A cloud-facing link as the JSON contract spells it."""
    return {
        "interface": link.interface,
        "local_ip": str(link.local_ip) if link.local_ip is not None else None,
        "peer_ip": str(link.peer_ip) if link.peer_ip is not None else None,
        "source": link.source,
        "evidence": list(link.evidence) if link.evidence else [link.source],
    }


def rejected_dict(link: RejectedLink) -> dict[str, Any]:
    """A candidate inference turned down, as the JSON contract spells it."""
    return {
        "interface": link.interface,
        "local_ip": str(link.local_ip) if link.local_ip is not None else None,
        "peer_ip": str(link.peer_ip) if link.peer_ip is not None else None,
        "evidence": list(link.evidence),
        "counter_evidence": list(link.counter_evidence),
        "reason": link.reason,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding in lint's JSON (its file is the enclosing file object's `path`)."""
    return finding.as_dict(with_file=False)


# --------------------------------------------------------------------------- JSON text
class _Unusual(Exception):
    """A value `dumps_indented` leaves to json.dumps (non-str key, NaN, another type)."""


def dumps_indented(obj: Any) -> str:
    """`json.dumps(obj, indent=2, ensure_ascii=False)`, byte for byte, several times faster.

    With `indent` set, json.dumps takes its pure-Python encoder (a generator per nesting
    level): for a report of 10k+ links and findings that is a quarter of the whole lint.
    This writes the same text with one call per value, for what reports hold (dicts with
    str keys, lists, tuples, str, int, bool, None, finite floats); anything else (or a
    circular structure) is handed to json.dumps itself, which then answers or raises
    exactly as before."""
    return "".join(dumps_indented_chunks(obj))


CHUNK_PIECES = 8192  # small strings joined into one chunk at a time


def dumps_indented_chunks(obj: Any) -> list[str]:
    """`dumps_indented`'s text as a list of chunks (their concatenation is the text).

    A report of 100k findings is hundreds of MB as one string, and millions of small
    pieces before it is joined: the chunks hold it about once, and the caller writes
    them one by one instead of building the whole string (peak RSS, bench/shapes.py)."""
    import json

    chunks: list[str] = []
    pieces: list[str] = []

    def emit(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) >= CHUNK_PIECES:
            chunks.append("".join(pieces))
            pieces.clear()

    try:
        _encode(obj, emit, "\n", json.encoder.encode_basestring)
    except (_Unusual, RecursionError):
        return [json.dumps(obj, indent=2, ensure_ascii=False)]
    chunks.append("".join(pieces))
    return chunks


def _encode(value: Any, emit: Any, newline: str, string: Any) -> None:
    if isinstance(value, str):
        emit(string(value))
    elif value is None:
        emit("null")
    elif value is True:
        emit("true")
    elif value is False:
        emit("false")
    elif isinstance(value, int):
        emit(int.__repr__(value))
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unusual
        emit(float.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            emit("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            emit(separator)
            separator = "," + inner
            _encode(item, emit, inner, string)
        emit(newline + "]")
    elif isinstance(value, dict):
        if not value:
            emit("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            emit(separator + string(key) + ": ")
            separator = "," + inner
            _encode(item, emit, inner, string)
        emit(newline + "}")
    else:
        raise _Unusual
