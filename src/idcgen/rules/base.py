"""Rule registry: each rule is a small function, registered with its catalogue entry.

The function's docstring *is* the rule's documentation (`idcgen rules ID` prints it), so
what a rule checks, why, and how to fix it stay next to the code that checks it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idcgen.findings import Severity
    from idcgen.rules.context import Context

Topic = str  # an UnparsedSection topic: routes, filters, control-plane, ipsec, interfaces


@dataclass(frozen=True)
class RuleInfo:
    """One catalogue entry (CONTRACT.md): stable id, name and severity."""

    id: str
    name: str
    severity: Severity
    summary: str  # one line: the contract's "fires when"
    needs_site: bool
    doc: str
    needs_links: bool = True  # a cloud rule: skipped when no cloud-facing link is known
    topics: tuple[Topic, ...] = ()  # device sections it reads (for IDC900)


@dataclass
class Hit:
    """What a check reports; the runner adds rule, name, severity and file."""

    line: int
    message: str
    fix: list[str] = field(default_factory=list)


Check = Callable[["Context"], Iterable[Hit]]

REGISTRY: dict[str, tuple[RuleInfo, Check]] = {}


def rule(rule_id: str, name: str, severity: Severity, summary: str, *,
         needs_site: bool = False, needs_links: bool = True,
         topics: tuple[Topic, ...] = (), examples: str = "") -> Callable[[Check], Check]:
    """Register a check under `rule_id`; its docstring (plus shared `examples`, for fix
    lines several rules show) becomes the rule's documentation."""

    def register(func: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        if examples:
            doc += "\n\n" + inspect.cleandoc(examples)
        REGISTRY[rule_id] = (RuleInfo(rule_id, name, severity, summary, needs_site, doc,
                                      needs_links, topics), func)
        return func

    return register


def selected(rule_id: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """`--select`/`--ignore` accept ids or prefixes ("IDC3"); ignore wins."""
    select = [s.strip().upper() for s in select if s.strip()]
    ignore = [s.strip().upper() for s in ignore if s.strip()]
    if select and not any(rule_id.startswith(s) for s in select):
        return False
    return not any(rule_id.startswith(i) for i in ignore)
