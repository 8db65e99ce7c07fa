"""The library API: lint, render and review from Python, with the objects the JSON shows.

    import idcgen

    report = idcgen.lint_text(open("r1.cfg").read(), site="sites/dc1.yaml")
    for finding in report.active:          # the findings that count (not suppressed)
        print(finding.rule, finding.line, finding.message)
    report.as_dict()                        # == this file's object in `lint --format json`

    config = idcgen.render("sites/dc1.yaml", "huawei")        # str: the device config
    result = idcgen.review("sites/dc1.yaml", Path("r1.cfg"))  # ReviewResult
    result.compliant, result.remediation, result.as_dict()    # == `review --format json`

Stable (docs/CONTRACT.md, "Library API"): the three functions, their keyword
arguments, `LintReport` / `ReviewResult` / `Finding` / `CloudLink` attributes and their
`as_dict()` shapes. Bad input (an invalid site model, an unknown vendor, a file that
cannot be read) raises `idcgen.InputError`, whose `problems` carry the located messages
the CLI prints; a config of an unsupported platform is a `LintReport` with `error` set,
as in the JSON. No returned object holds a pre-shared key, except the text `render`
returns (which is the device config).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

from idcgen.errors import InputError, Location, Problem
from idcgen.findings import CloudLink, Finding
from idcgen.results import FileResult

if TYPE_CHECKING:
    from idcgen.review import ReviewResult
    from idcgen.sitemodel import Site

#: What `lint_text` returns: one file's result (`as_dict()` is its JSON object).
LintReport = FileResult

SiteLike = Union["Site", str, "os.PathLike[str]"]


def load_site(path: str | os.PathLike[str]) -> Site:
    """Read and validate a site model file; `InputError` lists every located problem."""
    from idcgen.generator.command import _read
    from idcgen.sitemodel import load_site as _load_site

    name, text = _read(os.fspath(path))
    return _load_site(name, text)


def _site(site: SiteLike) -> tuple[Site, str, str | None]:
    """(Site, name for messages, its YAML text or None) from a Site or a path."""
    if isinstance(site, (str, os.PathLike)):
        from idcgen.generator.command import _read
        from idcgen.sitemodel import load_site as _load_site

        name, text = _read(os.fspath(site))
        return _load_site(name, text), name, text
    from idcgen.sitemodel import Site

    if not isinstance(site, Site):
        raise TypeError(f"site must be an idcgen Site or a path, not {type(site).__name__}")
    return site, "<site>", None


def _vendor(vendor: str | None) -> str | None:
    if vendor is None or vendor.lower() == "auto":
        return None
    from idcgen.vendors import canonical_vendor

    try:
        return canonical_vendor(vendor)
    except ValueError as exc:
        raise InputError(Problem(Location("idcgen"), "vendor", str(exc))) from None


def lint_text(text: str, *, vendor: str | None = None, site: SiteLike | None = None,
              path: str = "<text>", select: Sequence[str] = (),
              ignore: Sequence[str] = ()) -> LintReport:
    """Lint one running config held in memory, as `idcgen lint` lints a file.

    `vendor` None (or "auto") detects it; `site` (a `Site` or the path of a site model)
    takes the cloud-facing links from the model and runs the (site) rules; `path` names
    the config in findings. Inline `idcgen: ignore` waivers in `text` apply (suppressed
    findings stay in `findings` with `suppressed` set; `active` leaves them out).
    """
    from idcgen.lint import check_rule_ids
    from idcgen.lint import lint_text as _lint_text

    select = [s.strip().upper() for s in select if s.strip()]
    ignore = [s.strip().upper() for s in ignore if s.strip()]
    check_rule_ids(select, ignore)
    model = _site(site)[0] if site is not None else None
    return _lint_text(text, path, vendor=_vendor(vendor), site=model, select=select,
                      ignore=ignore)


def render(site: SiteLike, vendor: str | None = None, *, key_placeholder: bool = False) -> str:
    """The device config of `site` for `vendor` (default: the model's `vendor`), as
    `idcgen render` prints it. It holds the pre-shared keys (resolved from their
    environment variable or file) unless `key_placeholder`."""
    from idcgen.generator.command import check_vendor_fit, choose_vendor
    from idcgen.generator.render import render_site

    model, name, text = _site(site)
    chosen = choose_vendor(model, _vendor(vendor), name)
    check_vendor_fit(model, chosen, name, text)
    return render_site(model, chosen, key_placeholder=key_placeholder).text


def review(site: SiteLike, running: str | os.PathLike[str], *, vendor: str | None = None,
           path: str | None = None) -> ReviewResult:
    """Review a running config against `site`, as `idcgen review` does.

    `running` is the config text (a `str`) or the path of the file (a `pathlib.Path` or
    other `os.PathLike`); `path` names it in findings (default: the file's path, or
    `<text>`). `ReviewResult.as_dict()` is `review --format json`.
    """
    from idcgen.review import _check_interfaces, _read_config, _vendor_of, review_text

    model, name, _ = _site(site)
    if isinstance(running, str):
        text, where = running, path or "<text>"
    else:
        where = path or os.fspath(running)
        text = _read_config(os.fspath(running))
    resolved = _vendor_of(text, where, _vendor(vendor))
    _check_interfaces(model, resolved, name)
    return review_text(model, text, where, resolved)


__all__ = ["CloudLink", "Finding", "InputError", "LintReport", "ReviewResult", "load_site",
           "lint_text", "render", "review"]


def __getattr__(name: str) -> object:  # ReviewResult without importing review eagerly
    if name == "ReviewResult":
        from idcgen.review import ReviewResult

        return ReviewResult
    raise AttributeError(name)
