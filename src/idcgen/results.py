"""What linting one input produced: shared by lint (which fills it) and the reports
(which print it), so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from idcgen.findings import CloudLink, Finding, RejectedLink


@dataclass
class FileResult:
    """What linting one input produced: its findings, or why it could not be linted."""

    path: str
    vendor: str | None = None
    links: list[CloudLink] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # set when the file could not be linted (input error)
    error_line: int = 0  # the line the error is at (a reading limit), 0 for the whole file
    line_count: int = 0
    rejected_links: list[RejectedLink] = field(default_factory=list)
    # not a router config at all (binary, or no platform recognised): skippable in a walk
    not_a_config: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def active(self) -> list[Finding]:
        """The findings that count (exit code, text report): not suppressed."""
        return [f for f in self.findings if f.suppressed is None]

    def as_dict(self) -> dict[str, Any]:
        """This file's object of `lint --format json` (docs/CONTRACT.md)."""
        from idcgen.report.json_report import file_dict

        return file_dict(self)

    @property
    def where(self) -> str:
        """`PATH`, or `PATH:LINE` when the error has a line (as compilers print it)."""
        return f"{self.path}:{self.error_line}" if self.error_line else self.path
