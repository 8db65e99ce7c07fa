"""`idcgen render` and `idcgen check`: read the site model, render or summarise it.

Both raise InputError (the CLI prints it and exits 2) for anything wrong with the input;
nothing is written unless the whole config rendered.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from idcgen.errors import InputError, Location, Problem
from idcgen.sitemodel import Site, load_site
from idcgen.sitemodel.bgp import effective_bgp, uses_bgp
from idcgen.sitemodel.loader import dotted_path, load_yaml
from idcgen.vendors import get_driver, supported, vendor_list

if TYPE_CHECKING:
    from idcgen.vendors.base import VendorDriver

STDIN_NAME = "<stdin>"


def _read(path: str) -> tuple[str, str]:
    """(name for messages, text) of the site model; `-` reads standard input."""
    from idcgen.inputs import read_text

    name = STDIN_NAME if path == "-" else path
    try:
        return name, read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Problem(Location(name), "", f"cannot read file: {exc}")) from None


def _load(path: str) -> tuple[Site, str, str]:
    name, text = _read(path)
    return load_site(name, text), name, text


def choose_vendor(site: Site, vendor: str | None, name: str) -> str:
    """--vendor wins, then the model's `vendor`; without either the render cannot start."""
    chosen = vendor or site.vendor
    if not chosen:
        raise InputError(Problem(
            Location(name), "vendor",
            f"no vendor: pass --vendor ({vendor_list()}) or set `vendor:` in the site model"))
    if chosen not in supported():  # the CLI and the model both canonicalise; a guard only
        raise InputError(Problem(Location(name), "vendor", f"unknown vendor {chosen!r}"))
    return chosen


def check_vendor_fit(site: Site, vendor: str, name: str, text: str | None) -> None:
    """Problems of a valid model that only show for one vendor, each at FILE:LINE:COL:
    a line or IPsec connection with no interface name on `vendor`, IPsec options the
    vendor's syntax cannot express. `text` None (a Site built in memory): not located."""
    _raise_located(vendor_fit_problems(site, vendor), name, text)


def check_detection_fit(site: Site, vendor: str, name: str, text: str | None) -> None:
    """The failure-detection part of `check_vendor_fit`, for `review` (a mode the vendor
    or platform cannot render would otherwise be reviewed as if it were `none`)."""
    _raise_located(_detection_problems(site, get_driver(vendor)), name, text)


def _raise_located(located: list[tuple[tuple, str]], name: str, text: str | None) -> None:
    if not located:
        return
    if text is None:
        raise InputError([Problem(Location(name), dotted_path(path), message)
                          for path, message in located])
    _, positions = load_yaml(name, text)
    raise InputError([Problem(positions.locate(path), dotted_path(path), message)
                      for path, message in located])


def vendor_fit_problems(site: Site, vendor: str) -> list[tuple[tuple, str]]:
    """`check_vendor_fit`'s problems as (field path, message) pairs."""
    from idcgen.generator.ipsec import ipsec_vendor_problems
    from idcgen.generator.plan import lines_without_interface
    from idcgen.generator.snippets import has_macro

    located: list[tuple[tuple, str]] = [
        (("lines", index, "interface"),
         f"no interface name for {vendor}; add `{vendor}: <interface>` to this mapping")
        for index in lines_without_interface(site, vendor)]
    driver = get_driver(vendor)
    located += driver.platform_problems(site, driver.platform_of(site))
    located += ipsec_vendor_problems(site, vendor)
    located += _detection_problems(site, driver)
    if site.control_plane.mode != "none" and site.lines and not has_macro(vendor, "exemption"):
        located.append((("control_plane", "mode"),
                        f"{vendor} has no control-plane exemption in idcgen (no `exemption` "
                        f"macro in templates/{vendor}/macros.j2); use mode none"))
    return located


def _detection_summary(site: Site, index: int) -> str:
    """`track (object 101): ICMP probe of the VBR every 2 s, dead after 3 lost in a row`."""
    d = site.detection_of(index)
    if d.mode == "none":
        return "none (routes fail over only when the port goes down)"
    number = site.detection_id(index)
    if d.mode == "track":
        return (f"track (object {number}): ICMP probe of the VBR every {d.interval_seconds} s, "
                f"dead after {d.failures} lost in a row")
    return (f"bfd (object {number}): every {d.bfd_interval_ms} ms, down after "
            f"{d.bfd_multiplier} misses ({d.bfd_seconds:g} s); the VBR must run BFD unless "
            "the vendor renders one-arm echo (docs/cloud.md#failure-detection)")


def _detection_problems(site: Site, driver: VendorDriver) -> list[tuple[tuple, str]]:
    """Failure-detection modes the vendor / platform cannot render, at the field that
    asks for them (the line's own setting, else the site's, reported once)."""
    platform = driver.platform_of(site)
    located: list[tuple[tuple, str]] = []
    site_reported = False
    for index, line in enumerate(site.lines):
        settings = site.detection_of(index)
        problem = driver.detection_problem(settings.mode, platform, settings)
        if problem is None:
            continue
        if line.failure_detection is not None:
            located.append((("lines", index, "failure_detection"), problem))
        elif not site_reported:
            located.append((("failure_detection",), problem))
            site_reported = True
    return located


def output_path(output: str, hostname: str, vendor: str) -> Path:
    """-o FILE as given; -o DIR (an existing directory, or any path ending in `/`, which
    is created when its parent exists) -> DIR/<hostname>.<vendor>.cfg. (`-o -` is
    standard output: render_command never calls this for it.)"""
    target = Path(output)
    if output.endswith(("/", os.sep)) and not target.is_dir():
        if not target.parent.is_dir():
            raise InputError(Problem(Location(output), "",
                                     f"directory {target.parent} does not exist"))
        try:
            target.mkdir()
        except OSError as exc:
            raise InputError(Problem(Location(output), "",
                                     f"cannot create directory: {exc.strerror or exc}")) \
                from None
    if target.is_dir():
        return target / f"{hostname}.{vendor}.cfg"
    if not target.parent.is_dir():
        raise InputError(Problem(Location(output), "",
                                 f"directory {target.parent} does not exist"))
    return target


def render_command(site_path: str, *, vendor: str | None = None, device: str | None = None,
                   output: str | None = None, key_placeholder: bool = False) -> int:
    """Render the device config of SITE to stdout, or atomically to -o FILE|DIR."""
    from idcgen.generator.ipsec import ipsec_warnings
    from idcgen.generator.render import render_site
    from idcgen.output import write_atomic

    site, name, text = _load(site_path)
    if device is not None and device != site.hostname:
        raise InputError(Problem(
            Location(name), "hostname",
            f"--device {device} does not match the site's hostname {site.hostname}; "
            "nothing rendered"))
    chosen = choose_vendor(site, vendor, name)
    check_vendor_fit(site, chosen, name, text)
    result = render_site(site, chosen, key_placeholder=key_placeholder)
    for warning in ipsec_warnings(site):
        click.echo(f"{name}: warning: {warning}", err=True)
    if output is None or output == "-":  # `-o -`: standard output, as everywhere else
        click.echo(result.text, nl=False)
        return 0
    target = output_path(output, site.hostname, chosen)
    try:
        write_atomic(target, result.text, secret=result.holds_secret)
    except OSError as exc:
        raise InputError(Problem(Location(str(target)), "", f"cannot write: {exc}")) from None
    click.echo(f"wrote {target}", err=True)
    return 0


def _row(key: str, value: object) -> str:
    return f"{key + ':':<16}{value}"


def summary(site: Site) -> list[str]:
    """The `check` summary: one screen that says what the model will render."""
    out = [
        _row("site", site.site),
        _row("hostname", site.hostname),
        _row("vendor", site.vendor or "(not set; render needs --vendor)"),
        _row("redundancy", site.redundancy),
        _row("routing", "bgp" if uses_bgp(site) else "static"),
        _row("lines", len(site.lines)),
    ]
    for i, line in enumerate(site.lines):
        if isinstance(line.interface, str):
            interfaces = line.interface
        else:
            interfaces = ", ".join(f"{v}={n}" for v, n in sorted(line.interface.items()))
        vlan = f" vlan {line.vlan}" if line.vlan else ""
        role = ("ecmp" if site.redundancy == "ecmp"
                else "active" if i == 0 else f"standby {i}")
        out.append(f"  {line.name} ({role}): {interfaces}{vlan}")
        out.append(f"    local {line.local_ip}  VBR {line.vbr_ip}  "
                   f"health check from {line.health_check_source}")
        eff = effective_bgp(site, i)
        if eff is not None:
            extras = [f"password from {eff.password.describe()}" if eff.password else
                      "no password", f"BFD {eff.bfd.interval} ms x {eff.bfd.multiplier}"
                      if eff.bfd else "no BFD"]
            if eff.local_preference is not None:
                extras.append(f"local-preference {eff.local_preference}, "
                              f"prepend x{eff.prepend}")
            out.append(f"    BGP AS {eff.local_asn} -> AS {eff.peer_asn} ({eff.peer_ip}): "
                       f"advertise {len(eff.advertise)} of quota {eff.route_quota}, accept "
                       f"{len(eff.accept)} + own health check; {', '.join(extras)}")
        out.append(f"    failure detection: {_detection_summary(site, i)}")
    out.append(_row("cloud networks",
                    ", ".join(f"{n.name} {n.cidr}" for n in site.cloud_networks) or "(none)"))
    services = " + ".join(str(p) for p in site.cloud_services.prefixes) or "off"
    if services != "off" and not site.lines:
        services += " (not rendered: it is routed over leased lines only)"
    out.append(_row("cloud services", services))
    out.append(_row("on-premises", ", ".join(str(n) for n in site.onprem_networks) or "(none)"))
    control = site.control_plane
    detail = ""
    if control.mode == "insert":
        detail = f" into {control.policy}" + (f" before {control.before}" if control.before else "")
    elif control.mode == "create" and control.policy:
        detail = f" named {control.policy}"
    out.append(_row("control plane", f"{control.mode}{detail}"))
    platforms = [f"{v} {p}" for v in supported()
                 if (p := get_driver(v).platform_of(site)) is not None]
    out.append(_row("platform", ", ".join(platforms) or "(vendor defaults)"))
    out.append(_row("ipsec", f"{len(site.ipsec)} connection(s)"))
    for conn in site.ipsec:
        gateways = ", ".join(str(ip) for ip in conn.gateways)
        out.append(f"  {conn.name} ({conn.role}, {conn.routing.mode}): gateway {gateways}; "
                   f"key from {conn.psk.describe()}")
    return out


def check_command(site_path: str) -> int:
    """Validate the site model (InputError when invalid) and print its summary."""
    site, name, _ = _load(site_path)
    click.echo(f"{name}: valid site model")
    for line in summary(site):
        click.echo(line)
    if site.cen_migration is not None:
        # issue #5's report: which CEN routes the cloud side would reject, and the plan
        from idcgen.review_migration import migration_report

        for line in migration_report(site):
            click.echo(line)
    return 0
