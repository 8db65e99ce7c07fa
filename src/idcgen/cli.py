"""Command line: `idcgen render|check|lint|review|rules|schema`.

Exit codes (CONTRACT.md): 0 clean, 1 findings at/above --fail-on (review: changes
needed), 2 bad input or usage. No traceback ever reaches the user: InputError is printed
with its location; anything unexpected is reported as an internal error, exit 2.
Commands import their machinery lazily so `idcgen --version` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from idcgen import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _guard(func: Callable[..., int]) -> Callable[..., None]:
    """Run a command; turn its result into the exit code and errors into exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from idcgen.errors import InputError

        try:
            code = func(*args, **kwargs)
        except click.ClickException:
            raise  # a usage error: click prints it with the usage line and exits 2
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            click.echo(f"idcgen: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("please report this with the input that caused it", err=True)
            sys.exit(EXIT_INPUT)
        sys.exit(code or EXIT_OK)

    return wrapper


class _VendorHelp(click.Option):
    """An option whose help lists the installed vendors, looked up only when help is
    shown (start-up never imports the drivers)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help and "{vendors}" in self.help:
            from idcgen.vendors import vendor_list

            self.help = self.help.replace("{vendors}", vendor_list(" | "))
        return super().get_help_record(ctx)


def _vendor_option(value: str | None, *, allow_auto: bool = False) -> str | None:
    if value is None or (allow_auto and value.lower() == "auto"):
        return None
    from idcgen.vendors import canonical_vendor

    try:
        return canonical_vendor(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--vendor") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="idcgen")
def main() -> None:
    """Render, lint and review customer-side configs for Alibaba Cloud hybrid links."""


@main.command()
@click.argument("site", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--vendor", "vendor", cls=_VendorHelp, help="{vendors} (or an alias); "
              "default: the site model's `vendor`")
@click.option("--device", help="render only if the site's hostname is NAME (guards scripts "
              "that loop over devices)")
@click.option("-o", "--output", type=click.Path(), help="write to FILE, or into DIR as "
              "<hostname>.<vendor>.cfg (atomically; mode 0600 when it holds a key)")
@click.option("--key-placeholder", is_flag=True, help="print a placeholder naming each "
              "pre-shared key's source instead of its value (for review)")
@_guard
def render(site: str, vendor: str | None, device: str | None, output: str | None,
           key_placeholder: bool) -> int:
    """Write the device config for SITE."""
    from idcgen.generator.command import render_command

    return render_command(site, vendor=_vendor_option(vendor), device=device, output=output,
                          key_placeholder=key_placeholder)


@main.command()
@click.argument("sites", nargs=-1, required=True,
                type=click.Path(dir_okay=False, allow_dash=True))
@_guard
def check(sites: tuple[str, ...]) -> int:
    """Validate the site model(s) only, and summarise each (every file is checked; exit 2
    when any is invalid)."""
    from idcgen.errors import InputError
    from idcgen.generator.command import check_command

    problems = []
    for site in sites:
        try:
            check_command(site)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return 0


@main.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--vendor", default="auto", show_default=True, cls=_VendorHelp,
              help="auto, or {vendors} (or an alias)")
@click.option("--site", "site", type=click.Path(dir_okay=False),
              help="site model: take the cloud-facing links from it and run the (site) rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="exit 1 when a finding has this severity or higher  [default: error, or "
              "the config file's fail-on]")
@click.option("--select", default="", help="comma-separated rule ids or prefixes (IDC3) to run")
@click.option("--ignore", default="", help="comma-separated rule ids or prefixes to skip")
@click.option("--strict", is_flag=True, help="exit 1 when a statement was not understood "
              "(any IDC900), whatever --fail-on says")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="processes linting files in parallel (default 0: one per CPU; 1: serial)")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="suppress the findings recorded in this baseline file; only new ones fail")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="record every current finding (not waived inline) in this file")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="settings file (pyproject.toml with [tool.idcgen], or idcgen.toml); "
              "default: the nearest one from the current directory up")
@click.option("--no-config", is_flag=True, help="ignore pyproject.toml / idcgen.toml")
@_guard
def lint(configs: tuple[str, ...], vendor: str, site: str | None, fmt: str,
         fail_on: str | None, select: str, ignore: str, strict: bool, baseline: str | None,
         write_baseline: str | None, config_file: str | None, no_config: bool,
         jobs: int) -> int:
    """Report what in running CONFIGS would break the connection to Alibaba Cloud."""
    from idcgen.config import lint_options, resolve_config
    from idcgen.lint import lint_command

    options = lint_options(resolve_config(config_file, no_config), select=_id_list(select),
                           ignore=_id_list(ignore), fail_on=fail_on, strict=strict,
                           baseline=baseline, site=site)
    return lint_command(list(configs), vendor=_vendor_option(vendor, allow_auto=True),
                        site_path=options.site_path, fmt=fmt, fail_on=options.fail_on,
                        select=options.select, ignore=options.ignore, strict=options.strict,
                        baseline=options.baseline, write_baseline=write_baseline,
                        site_for=options.site_for, jobs=jobs)


@main.command()
@click.argument("site", type=click.Path(dir_okay=False))
@click.argument("running_config", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--vendor", help="default: detected from the running config")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@_guard
def review(site: str, running_config: str, vendor: str | None, fmt: str) -> int:
    """Compare SITE with RUNNING_CONFIG: findings, commands to apply, commands to roll back."""
    from idcgen.review import review_command

    return review_command(site, running_config, vendor=_vendor_option(vendor), fmt=fmt)


@main.command()
@_guard
def schema() -> int:
    """Print the JSON Schema of the site model (for editors and check-jsonschema)."""
    from idcgen.sitemodel.jsonschema import render_schema

    click.echo(render_schema(), nl=False)
    return 0


@main.command()
@click.argument("rule_id", required=False)
@_guard
def rules(rule_id: str | None) -> int:
    """List the rule catalogue, or explain one rule."""
    from idcgen.rules import rules_command

    return rules_command(rule_id)


def _id_list(value: str) -> list[str]:
    return [part.strip().upper() for part in value.split(",") if part.strip()]


if __name__ == "__main__":  # pragma: no cover
    main()
