"""`idcgen lint`: read running configs, detect the vendor, parse, run the rules, report.

Inputs (CONTRACT.md): files, directories and `-` for standard input.

- A directory is walked **recursively**; every regular file in it is linted, in sorted
  order of its path; hidden files and hidden directories (name starting with `.`, e.g.
  `.git`) are skipped, and symlinked directories are not followed (no loops). Inside a
  directory, a file that is not a router config at all (binary, or text in which the
  detector recognises no platform: a README, a YAML site model) is skipped with a note
  on stderr; a config of an unsupported platform (NX-OS, ASA...) is still an input
  error. A file named on the command line is always linted or reported as an error.
- Bytes are decoded as UTF-8 with replacement (a UTF-16 file with a BOM is decoded as
  UTF-16); a UTF-8 BOM is dropped and CRLF / CR line ends become LF, so line numbers
  match what an editor shows.
- A file that cannot be linted (unreadable, binary, an unsupported platform) is named on
  stderr as `PATH: reason`, appears in JSON/SARIF with its error, and makes the exit code
  2; the other files are still linted and reported.

Exit code: 2 if any input error; else 1 if any finding is at or above `--fail-on` (or,
with `--strict`, any IDC900); else 0. A config the parser could not read to its end (a
reading limit, an internal parser error) is an input error at its line, never a clean
result; one statement it did not understand is an IDC900 at that line, and the rest of the
config is read (docs/CONTRACT.md, "Reading limits and partly read configs").

The hot path imports only the detector, one vendor parser and the rules: pydantic and
jinja2 load only with `--site` (the site model) or when a rule renders a fix.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from idcgen.findings import SEVERITY_RANK
from idcgen.results import FileResult
from idcgen.vendors.parsing import gc_paused

if TYPE_CHECKING:
    from idcgen.sitemodel import Site

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
UNPARSED = "IDC900"  # a statement not understood: fails the run under --strict
STDIN = "-"
STDIN_NAME = "<stdin>"
BINARY = "binary file, not a router config"
# bytes inspected for NUL to call a file binary (configs never hold NUL; UTF-16 is handled)
_BINARY_PROBE = 8192
_DEBUG_ENV = "IDCGEN_DEBUG"  # set to re-raise unexpected errors with their traceback


# --------------------------------------------------------------------------- text input
def decode(data: bytes) -> str:
    """Bytes of a config file as text with LF line ends (see module doc for the rules)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return normalise(text)


# Characters `str.splitlines` treats as line ends but editors do not (form feed in old
# banners, NEL, Unicode separators): made spaces so line numbers match the user's editor.
_NOT_LINE_ENDS = {ord(c): " " for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def normalise(text: str) -> str:
    """Drop a BOM and turn CRLF / lone CR into LF (so every parser counts lines alike)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(chr(code) in text for code in _NOT_LINE_ENDS):
        text = text.translate(_NOT_LINE_ENDS)
    return text


def looks_binary(data: bytes) -> bool:
    """NUL bytes near the start: an image, an archive, a compiled file — not a config."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in data[:_BINARY_PROBE]


# --------------------------------------------------------------------------- rule selection
def check_rule_ids(select: Sequence[str], ignore: Sequence[str]) -> None:
    """Reject an id or prefix that matches no rule: a typo would otherwise silence checks."""
    from idcgen.errors import InputError, Location, Problem
    from idcgen.rules import CATALOGUE, RETIRED

    problems = [
        Problem(Location("idcgen"), option, f"{item!r} matches no rule id; see `idcgen rules`")
        for option, items in (("--select", select), ("--ignore", ignore))
        for item in items
        if not any(rule_id.startswith(item) for rule_id in (*CATALOGUE, *RETIRED))
    ]
    if problems:
        raise InputError(problems)


# --------------------------------------------------------------------------- one file
def unsupported_message(detection: Any) -> str:
    """The user-facing reason a config was not recognised (names what it looks like)."""
    looks_like = getattr(detection, "looks_like", None)
    reason = getattr(detection, "reason", "") or ""
    if looks_like:
        return f"unsupported platform (looks like {looks_like})"
    from idcgen.vendors import supported

    names = list(supported().values())
    known = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)
    detail = f": {reason}" if reason else ""
    return (f"unsupported platform (not recognised as {known}{detail}); give --vendor to "
            "lint it anyway")


def lint_text(text: str, path: str, *, vendor: str | None = None, site: Site | None = None,
              select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileResult:
    """Lint one config held in memory. `vendor` None = auto-detect.

    An unrecognised platform comes back as a FileResult with `error` set (not an
    exception) so a caller linting many files can go on; parser or rule bugs do raise.
    """
    text = normalise(text)
    if vendor is None:
        detection = _detect(text)
        if detection.vendor is None:
            return FileResult(path, error=unsupported_message(detection),
                              line_count=_line_count(text),
                              not_a_config=not getattr(detection, "looks_like", None))
        vendor = detection.vendor

    device = _parse(vendor, text, path)
    if getattr(device, "read_error", None) is not None:
        # stopped at a reading limit or by an internal error: never a clean pass
        line, reason = device.read_error
        return FileResult(path, vendor, error=reason, error_line=line,
                          line_count=_line_count(text))
    return lint_device(device, text, path, site=site, select=select, ignore=ignore)


def lint_device(device: Any, text: str, path: str, *, site: Site | None = None,
                select: Sequence[str] = (), ignore: Sequence[str] = ()) -> FileResult:
    """Run the rules on an already parsed config (review parses once and lints that)."""
    result = _run_rules(device, site=site, select=list(select), ignore=list(ignore))
    findings = list(result.findings)  # run_rules applied --select / --ignore
    for finding in findings:
        finding.file = path
    findings.sort(key=lambda f: (f.line, -SEVERITY_RANK.get(f.severity, 0), f.rule))
    if "idcgen:" in text:  # inline waivers (idcgen.suppress): one substring test otherwise
        findings += _waivers(device, text, findings, site=site, links=result.links,
                             select=select, ignore=ignore)
        findings.sort(key=lambda f: (f.line, -SEVERITY_RANK.get(f.severity, 0), f.rule))
    if findings and not findings[0].line:  # absences: the line SARIF shows them at
        from idcgen.anchors import anchor_findings

        anchor_findings(findings, device, result.links, text)
    return FileResult(path, device.vendor, list(result.links), findings,
                      line_count=device.line_count or _line_count(text),
                      rejected_links=list(getattr(result, "rejected_links", [])))


def _waivers(device: Any, text: str, findings: list[Any], *, site: Site | None,
             links: Sequence[Any], select: Sequence[str], ignore: Sequence[str]) -> list[Any]:
    from idcgen.rules import CATALOGUE
    from idcgen.rules.base import selected
    from idcgen.suppress import NO_REASON, UNUSED, apply_waivers
    from idcgen.vendors import get_driver

    ran = [rid for rid, info in CATALOGUE.items() if selected(rid, select, ignore)
           and not (info.needs_site and site is None) and not (info.needs_links and not links)]
    report = {rid for rid in (UNUSED, NO_REASON) if selected(rid, select, ignore)}
    return apply_waivers(findings, text, get_driver(device.vendor).comment_prefix, ran=ran,
                         catalogue=CATALOGUE, report=report)


# The three stages, looked up at call time (lazy imports keep `--version` fast; tests
# replace them to check this layer on its own).
def _detect(text: str) -> Any:
    from idcgen.vendors.detect import detect

    return detect(text)


def _parse(vendor: str, text: str, path: str) -> Any:
    from idcgen.vendors import get_driver

    return get_driver(vendor).parse(text, path)


def _run_rules(device: Any, **options: Any) -> Any:
    from idcgen.rules import run_rules

    return run_rules(device, **options)


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def lint_bytes(data: bytes, path: str, **options: Any) -> FileResult:
    """Lint raw file content: refuse binary data, decode, then `lint_text`."""
    if looks_binary(data):
        return FileResult(path, error=BINARY, not_a_config=True)
    return lint_text(decode(data), path, **options)


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Input:
    """One thing to lint: a path (or `-`), the directory argument a walk found it in,
    and an error already known while expanding (empty or unreadable directory)."""

    path: str
    root: str | None = None  # the directory argument this file was found in
    error: str | None = None


def expand_inputs(paths: Iterable[str]) -> Iterator[Input]:
    """Every input in order: directories become their files; `-` stays `-`."""
    seen: set[str] = set()
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            files, error = _walk(path)
            if error:
                yield Input(path, error=error)
            elif not files:
                yield Input(path, error="directory holds no files to lint")
            for file in files:
                if file not in seen:
                    seen.add(file)
                    yield Input(file, root=path)
        elif path not in seen:
            seen.add(path)
            yield Input(path)


def _walk(directory: str) -> tuple[list[str], str | None]:
    """Every regular, non-hidden file under `directory`, sorted by path."""
    found: list[str] = []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            full = os.path.join(root, name)
            if not name.startswith(".") and os.path.isfile(full):
                found.append(full)
    if errors and not found:
        return [], f"cannot read directory: {errors[0].strerror or errors[0]}"
    return sorted(found), None


def read_input(path: str) -> bytes:
    """The bytes of a regular file, or of standard input for `-`, with the size limit
    (`idcgen.inputs`: FIFOs and devices are refused, never waited on or read forever)."""
    from idcgen.inputs import read_bytes

    return read_bytes(path)


def lint_path(path: str, **options: Any) -> FileResult:
    """Read and lint one input; read errors and internal errors become `error`.

    The cyclic garbage collector is paused while one file is linted: a parsed config is
    hundreds of thousands of small objects, and the collector re-scanning them costs 30-50 %
    of the run (bench/run.py) while finding almost nothing to free. It runs again between
    files, so memory held by cycles is reclaimed as usual.
    """
    name = STDIN_NAME if path == STDIN else path
    try:
        data = read_input(path)
    except OSError as exc:
        return FileResult(name, error=f"cannot read: {exc.strerror or exc}")
    if looks_binary(data):
        return FileResult(name, error=BINARY, not_a_config=True)
    text = decode(data)
    del data  # the bytes are not needed any more: a large config must not be held twice
    try:
        with gc_paused():
            return lint_text(text, name, **options)
    except Exception as exc:  # noqa: BLE001 - one bad file must not hide the others' findings
        if os.environ.get(_DEBUG_ENV):
            raise
        return FileResult(name, error=f"internal error: {type(exc).__name__}: {exc} "
                                      "(please report this with the config that caused it)")


# --------------------------------------------------------------------------- command
def lint_command(paths: list[str], *, vendor: str | None, site_path: str | None, fmt: str,
                 fail_on: str, select: list[str], ignore: list[str],
                 strict: bool = False, baseline: str | None = None,
                 write_baseline: str | None = None,
                 site_for: Callable[[str], Site | None] | None = None,
                 jobs: int | None = None) -> int:
    """`idcgen lint`: lint every input, print the report, return the exit code.

    Files are linted in parallel (idcgen.fleet; `jobs` processes, None or 0 = one per
    CPU, 1 = serial); results are taken in input order, so the output is the same.
    `write_baseline`: record every finding not waived inline in that file (idcgen.baseline)
    and then report them as baselined; `baseline`: suppress the findings it holds;
    `site_for`: the site model of each file (`[[tool.idcgen.sites]]`) when no `site_path`."""
    import click

    from idcgen.fleet import Progress, lint_files

    check_rule_ids(select, ignore)
    site = None
    if site_path is not None:
        from idcgen.sitemodel import load_site

        site = load_site(site_path)  # InputError -> exit 2 before any file is linted

    items = list(expand_inputs(paths))
    options: dict[str, Any] = {"vendor": vendor, "site": site, "select": select,
                               "ignore": ignore}

    def site_of(path: str) -> Site | None:
        return site_for(path) if site_for is not None and site is None else site

    # files that share a site model are linted together (standard input is read here;
    # every other file may go to a worker process); results are reported in input order
    groups: dict[int, tuple[Site | None, list[str]]] = {}
    for item in items:
        if not item.error and item.path != STDIN:
            file_site = site_of(item.path)
            groups.setdefault(id(file_site), (file_site, []))[1].append(item.path)
    progress = Progress(len(items))
    done: dict[str, FileResult] = {}
    for group_site, group_paths in groups.values():
        pooled = lint_files(group_paths, jobs=jobs, options={**options, "site": group_site})
        for path, result in zip(group_paths, pooled, strict=True):
            done[path] = result
            progress.advance()
    results: list[FileResult] = []
    kept: dict[str, int] = {}  # directory argument -> files it contributed to the report
    for item in items:
        if item.error:
            result = FileResult(item.path, error=item.error)
        elif item.path == STDIN:
            result = lint_path(item.path, **{**options, "site": site_of(item.path)})
            progress.advance()
        else:
            result = done[item.path]
        if item.root is not None:
            kept.setdefault(item.root, 0)
            if result.not_a_config:
                progress.clear()
                click.echo(f"{result.path}: skipped, not a router config", err=True)
                continue
            kept[item.root] += 1
        if result.error:
            progress.clear()
            click.echo(f"{result.where}: {result.error}", err=True)
        results.append(result)
    progress.clear()
    for root, count in kept.items():
        if not count:  # a directory of READMEs must not pass CI as "clean"
            result = FileResult(root, error="directory holds no router config")
            click.echo(f"{result.path}: {result.error}", err=True)
            results.append(result)

    baseline_info = None
    if write_baseline is not None:
        from idcgen.baseline import write_baseline as write

        count = write(write_baseline, results)
        click.echo(f"wrote {count} finding{'s' if count != 1 else ''} to {write_baseline}",
                   err=True)
        baseline = write_baseline
    if baseline is not None:
        from idcgen.baseline import apply_baseline

        baseline_info = apply_baseline(baseline, results)
    write_report(results, fmt, baseline_info)
    return exit_code(results, fail_on, strict=strict)


def write_report(results: list[FileResult], fmt: str,
                 baseline: dict[str, Any] | None = None) -> None:
    """Render `results` in `fmt` to stdout (colour only for text on a terminal)."""
    import click

    if fmt in ("json", "sarif"):
        if fmt == "json":
            from idcgen.report.json_report import render_json_chunks

            chunks = render_json_chunks(results, baseline)
        else:
            from idcgen.report.sarif import render_sarif_chunks

            chunks = render_sarif_chunks(results)
        for chunk in chunks:  # never the whole report as one string (peak memory)
            click.echo(chunk, nl=False)
        click.echo("")
    else:
        from idcgen.report.text import text_chunks, use_colour

        stale = len(baseline["stale"]) if baseline else 0
        for chunk in text_chunks(results, colour=use_colour(sys.stdout), stale=stale):
            click.echo(chunk, nl=False)


def exit_code(results: Iterable[FileResult], fail_on: str, *, strict: bool = False) -> int:
    """2 on any input error (a config only partly read is one); else 1 when a finding
    reaches `fail_on`, or with `strict` when any statement was not understood (IDC900);
    else 0."""
    results = list(results)
    if any(not r.ok for r in results):
        return EXIT_INPUT
    threshold = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK.get(f.severity, 0) >= threshold or (strict and f.rule == UNPARSED)
           for r in results for f in r.active):
        return EXIT_FINDINGS
    return EXIT_OK
