"""Load and validate a site model, reporting every problem at once with its place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from idcgen.errors import InputError, Problem
from idcgen.sitemodel.fields import INTERFACE_PATTERN
from idcgen.sitemodel.loader import Positions, dotted_path, load_yaml
from idcgen.sitemodel.schema import (
    CLOUD_SERVICES,
    CLOUD_SERVICES_HALVES,
    CloudNetwork,
    CloudServices,
    ControlPlane,
    Line,
    Site,
    cross_checks,
)

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

_PATTERN_HINTS = {
    "^[A-Za-z][A-Za-z0-9_-]*$": "use letters, digits, '_' and '-' only, starting with a letter",
    "^[A-Za-z0-9][A-Za-z0-9_.:-]*$": "use letters, digits, '_', '.', ':' and '-' only",
    "^[A-Za-z0-9][A-Za-z0-9 _.,:/()@+=-]*$": (
        "use letters, digits, spaces and _ . , : / ( ) @ + = - only "
        "(no line breaks, quotes, ';', '#', '!', '?', braces)"),
    "^[A-Za-z][A-Za-z0-9-]*$": "use letters, digits and '-' only, starting with a letter",
    INTERFACE_PATTERN: "expected an interface name such as GigabitEthernet0/0/1, "
                       "10GE1/0/47, Eth-Trunk10 or ge-0/0/1 (no spaces)",
}


def _message(error: ErrorDetails) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the README's site model tour)"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern", ""),
                                  "contains characters that are not allowed")
        return f"{error.get('input')!r}: {hint}"
    if kind == "string_too_long":
        return f"longer than {ctx.get('max_length')} characters"
    msg = error.get("msg", "invalid value")
    msg = msg.removeprefix("Value error, ")
    if kind in ("ip_v4_address", "ip_v4_network", "ip_v4_interface") and "input" in error:
        return f"{error.get('input')!r}: {msg}"
    return msg


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union-branch labels (e.g. 'constrained-str', 'dict[...]')."""
    return tuple(part for part in loc if not (
        isinstance(part, str) and ("[" in part or part.startswith(("constrained-", "function-")))))


_TYPE_MISMATCH = {"string_type", "dict_type", "int_type", "list_type", "model_type"}


def problems_from_validation(exc: ValidationError, positions: Positions) -> list[Problem]:
    errors = [(_clean_loc(tuple(e.get("loc", ()))), e) for e in exc.errors(include_url=False)]
    # A union (interface: name | {vendor: name}) reports a type mismatch for each branch it
    # did not take; where a branch has a real complaint, the mismatches are noise.
    specific = {loc for loc, e in errors if e.get("type") not in _TYPE_MISMATCH}
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for loc, error in errors:
        kind = error.get("type", "")
        if kind in _TYPE_MISMATCH and loc in specific:
            continue
        message = _message(error)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        where = positions.locate(loc, key=kind == "extra_forbidden")
        problems.append(Problem(where, dotted_path(loc), message))
    return problems


# Problems printed per field (list indices ignored) before "... and N more": 2,000 copies
# of one network are one mistake, not 2,000 lines of output.
MAX_PROBLEMS_PER_FIELD = 5
_INDEX = re.compile(r"\[\d+\]")


def cap_problems(problems: list[Problem], limit: int = MAX_PROBLEMS_PER_FIELD) -> list[Problem]:
    """The first `limit` problems of each field (`onprem_networks[]`), then one line
    saying how many more that field has, at the place of the first one left out."""
    counts: dict[str, int] = {}
    out: list[Problem] = []
    more: dict[str, tuple[int, Problem]] = {}
    for problem in problems:
        field = _INDEX.sub("[]", problem.path)
        counts[field] = counts.get(field, 0) + 1
        if counts[field] <= limit:
            out.append(problem)
        elif field not in more:
            more[field] = (len(out), problem)
            out.append(problem)  # replaced below by the summary line
    for field, (position, first) in more.items():
        extra = counts[field] - limit
        out[position] = Problem(first.location, first.path,
                                f"... and {extra:,} more problem{'s' if extra != 1 else ''} "
                                f"like these in {field}")
    return out


def load_site(path: str | Path, text: str | None = None) -> Site:
    """Read, parse and validate a site model; raise InputError listing every problem."""
    try:
        data, positions = load_yaml(path, text)
    except InputError as exc:
        raise InputError(cap_problems(exc.problems)) from None
    if not isinstance(data, dict):
        raise InputError(Problem(positions.locate(()), "", "a site model is a YAML mapping"))
    try:
        site = Site.model_validate(data)
    except ValidationError as exc:
        raise InputError(cap_problems(problems_from_validation(exc, positions))) from None
    problems = [Problem(positions.locate(p), dotted_path(p), m) for p, m in cross_checks(site)]
    if problems:
        raise InputError(cap_problems(problems))
    return site


__all__ = [
    "CLOUD_SERVICES", "CLOUD_SERVICES_HALVES", "CloudNetwork", "CloudServices", "ControlPlane",
    "Line", "Site", "load_site",
]
