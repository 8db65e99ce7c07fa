"""A Nornir task: lint each host's running config over the connections you already use.

    pip install 'idcgen[nornir]'

    from nornir import InitNornir
    from idcgen.nornir_plugin import lint_running_config, reports

    nr = InitNornir(config_file="config.yaml")          # your inventory and plugins
    result = nr.run(task=lint_running_config, connection="netmiko", site="sites/dc1.yaml")
    for report in reports(result):                      # idcgen.LintReport per host
        print(report.path, [f.rule for f in report.active])

How the config is read, per host: `config=` given to the task (text you gathered
already) wins; else the host's connection named by `connection` (default "netmiko") is
opened through Nornir, and a NAPALM-style object (`get_config`) gives its running
config, any other (`send_command`: Netmiko, Scrapli and the like) is sent `command`,
default the vendor driver's `show_running_command` for the host's platform. The vendor
comes from `vendor=` or the host's `platform` (ids and aliases: ios, huawei, junos...),
else it is detected from the text. `site` is a `Site`, a path, or a per-host value in
the host's data under `idcgen_site`.

The task's Result: `result` is the host's `LintReport` (as `lint --format json` shows
it); `failed` is True when a finding not suppressed reaches `fail_on` (default "error")
or the config could not be linted. nornir is imported only by Nornir itself: this
module does not import it (the task receives Nornir's `Task`), so idcgen never needs it
installed except to run the task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from idcgen.findings import SEVERITY_RANK

if TYPE_CHECKING:
    from idcgen.api import LintReport, SiteLike

SITE_KEY = "idcgen_site"  # per-host site model in the inventory's data


def _vendor(task: Any, vendor: str | None) -> str | None:
    from idcgen.vendors import canonical_vendor

    for candidate in (vendor, getattr(task.host, "platform", None)):
        if candidate:
            try:
                return canonical_vendor(str(candidate))
            except ValueError:
                if candidate is vendor:
                    raise
    return None


def _running_config(task: Any, connection: str, command: str | None,
                    vendor: str | None) -> str:
    conn = task.host.get_connection(connection, task.nornir.config)
    if hasattr(conn, "get_config"):  # NAPALM
        return str(conn.get_config(retrieve="running")["running"])
    if command is None and vendor is not None:
        from idcgen.vendors import get_driver

        command = get_driver(vendor).show_running_command or None
    if command is None:
        raise ValueError(f"{task.host.name}: no command to show the running config; pass "
                         "command=... or set the host's platform")
    output = conn.send_command(command)
    return str(getattr(output, "result", output))  # Scrapli returns a Response


def lint_running_config(task: Any, *, site: SiteLike | None = None,
                        connection: str = "netmiko", command: str | None = None,
                        vendor: str | None = None, config: str | None = None,
                        fail_on: str = "error", select: tuple[str, ...] = (),
                        ignore: tuple[str, ...] = ()) -> Any:
    """Nornir task: lint this host's running config (see module doc)."""
    from nornir.core.task import Result

    from idcgen.api import lint_text

    chosen = _vendor(task, vendor)
    text = config if config is not None else _running_config(task, connection, command,
                                                             chosen)
    model = site if site is not None else task.host.data.get(SITE_KEY) \
        if hasattr(task.host, "data") else None
    report = lint_text(text, vendor=chosen, site=model, path=str(task.host.name),
                       select=select, ignore=ignore)
    threshold = SEVERITY_RANK[fail_on]
    failed = not report.ok or any(SEVERITY_RANK.get(f.severity, 0) >= threshold
                                  for f in report.active)
    return Result(host=task.host, result=report, failed=failed, changed=False)


def reports(result: Any) -> list[LintReport]:
    """The `LintReport` of every host of a `nr.run(task=lint_running_config)` result,
    in host order (hosts whose task raised are left out; Nornir reports them)."""
    from idcgen.results import FileResult

    out: list[LintReport] = []
    for multi in result.values():
        for item in multi:
            if isinstance(item.result, FileResult):
                out.append(item.result)
    return out
