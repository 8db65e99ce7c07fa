"""`[tool.idcgen]` in pyproject.toml, or idcgen.toml: lint settings for a repository.

    [tool.idcgen]
    select = ["IDC1", "IDC2", "IDC3"]      # ids or prefixes, as --select
    ignore = ["IDC104"]
    fail-on = "warning"                   # error | warning | info
    strict = true
    baseline = "idcgen-baseline.json"

    [[tool.idcgen.sites]]                 # which site model applies to which configs
    glob = "configs/dc1/**/*.cfg"
    site = "sites/dc1.yaml"

In `idcgen.toml` the same keys sit at the top level (or under `[tool.idcgen]`), and the
site table is `[[sites]]`.

Found from the current directory upwards: in each directory `idcgen.toml` first, then a
`pyproject.toml` that has `[tool.idcgen]`; the first found is used. `--config FILE`
names one, `--no-config` ignores them. Paths in the file (baseline, site, glob) are
relative to its directory. Globs match the config's path relative to that directory
with forward slashes: `*` and `?` within one folder name, `**` across folders; the
first matching entry wins, and a config no glob matches is linted without a site model.

Options on the command line win: `--select` / `--ignore` replace the file's lists,
`--fail-on`, `--baseline` and `--site` (one model for every file) override, `--strict`
adds. An unknown key or a value of the wrong type is an input error naming the file and
the key (exit 2).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idcgen.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from idcgen.sitemodel import Site

NAMES = ("idcgen.toml", "pyproject.toml")
_KEYS = {"select", "ignore", "fail-on", "strict", "baseline", "sites"}
_SEVERITIES = ("error", "warning", "info")


@dataclass
class Config:
    """The settings of one config file (paths already made absolute)."""

    path: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    strict: bool = False
    baseline: str | None = None
    sites: list[tuple[re.Pattern[str], str]] = field(default_factory=list)  # (glob, site)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def site_for(self, config_path: str) -> str | None:
        """The site model (absolute path) mapped to `config_path`, or None."""
        if not self.sites or config_path.startswith("<"):
            return None
        try:
            relative = Path(os.path.abspath(config_path)).relative_to(self.root).as_posix()
        except ValueError:
            return None
        return next((site for pattern, site in self.sites if pattern.fullmatch(relative)), None)


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A glob with `**` as a regular expression over forward-slash paths."""
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from idcgen.inputs import read_text

    try:
        return tomllib.loads(read_text(str(path), what="config file"))
    except OSError as exc:
        raise InputError(Problem(Location(str(path)), "", f"cannot read: "
                                                          f"{exc.strerror or exc}")) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise InputError(Problem(Location(str(path), line), "", f"invalid TOML: {exc}")) \
            from None


def _table(path: Path, data: dict[str, Any], *, named: bool) -> dict[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("idcgen"), dict):
        return tool["idcgen"]
    if path.name != "pyproject.toml" and (named or path.name == "idcgen.toml"):
        return {k: v for k, v in data.items() if k != "tool"}
    return None


def find_config(start: Path | None = None) -> Path | None:
    """The config file that applies in `start` (default: the current directory)."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / "idcgen.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if re.search(r"(?m)^\s*\[\[?\s*tool\.idcgen\b", text):
                return candidate
    return None


def load_config(path: Path, *, named: bool = False) -> Config:
    """Read and check one config file (`named`: given with --config)."""
    table = _table(path, _toml(path), named=named)
    if table is None:
        raise InputError(Problem(Location(str(path)), "tool.idcgen",
                                 "no [tool.idcgen] table in this file"))
    prefix = "tool.idcgen." if path.name == "pyproject.toml" or "tool" in table else ""
    where = Location(str(path))

    def bad(key: str, message: str) -> InputError:
        return InputError(Problem(where, prefix + key, message))

    problems = [Problem(where, prefix + key, f"unknown key (known: {', '.join(sorted(_KEYS))})")
                for key in table if key not in _KEYS]
    if problems:
        raise InputError(problems)
    config = Config(path=path.resolve())
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad(key, "a list of rule ids or prefixes, e.g. [\"IDC1\", \"IDC203\"]")
        setattr(config, key, [v.strip().upper() for v in value if v.strip()])
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in _SEVERITIES:
        raise bad("fail-on", f"{fail_on!r} is not one of {', '.join(_SEVERITIES)}")
    config.fail_on = fail_on
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise bad("strict", "true or false")
    config.strict = strict
    baseline = table.get("baseline")
    if baseline is not None:
        if not isinstance(baseline, str) or not baseline:
            raise bad("baseline", "the path of a baseline file")
        config.baseline = str(config.root / baseline)
    sites = table.get("sites", [])
    if not isinstance(sites, list):
        raise bad("sites", "an array of tables: [[tool.idcgen.sites]] glob = ..., site = ...")
    for index, entry in enumerate(sites):
        if not isinstance(entry, dict) or set(entry) != {"glob", "site"} \
                or not all(isinstance(entry[k], str) and entry[k] for k in ("glob", "site")):
            raise bad(f"sites[{index}]", "needs exactly `glob` and `site` (strings)")
        config.sites.append((glob_pattern(entry["glob"]), str(config.root / entry["site"])))
    return config


def resolve_config(config_file: str | None, no_config: bool) -> Config:
    """The Config in force: --no-config, --config FILE, or the one found upwards."""
    if no_config:
        return Config()
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise InputError(Problem(Location(config_file), "", "no such config file"))
        return load_config(path, named=True)
    found = find_config()
    return load_config(found) if found is not None else Config()


@dataclass
class LintOptions:
    """`idcgen lint`'s options after merging the command line over the config file."""

    select: list[str]
    ignore: list[str]
    fail_on: str
    strict: bool
    baseline: str | None
    site_path: str | None
    site_for: Callable[[str], Site | None] | None = None


def lint_options(config: Config, *, select: list[str], ignore: list[str],
                 fail_on: str | None, strict: bool, baseline: str | None,
                 site: str | None) -> LintOptions:
    """Merge (see module doc); per-file site models are loaded on first use, once each."""
    options = LintOptions(select=select or config.select, ignore=ignore or config.ignore,
                          fail_on=fail_on or config.fail_on or "error",
                          strict=strict or config.strict,
                          baseline=baseline if baseline is not None else config.baseline,
                          site_path=site)
    if site is None and config.sites:
        cache: dict[str, Site] = {}

        def site_for(path: str) -> Site | None:
            model = config.site_for(path)
            if model is None:
                return None
            if model not in cache:
                from idcgen.sitemodel import load_site

                cache[model] = load_site(_shown(model))
            return cache[model]

        options.site_for = site_for
    return options


def _shown(path: str) -> str:
    """A path as messages show it: relative to the current directory when below it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
