"""`idcgen review SITE RUNNING-CONFIG`: what must change on the device, how, and how back.

The intent is not compared as text: the site is rendered for the device's vendor (keys
as placeholders) and parsed with the same parser as the running config, so both sides
are `Device` models and a route written with a mask or a prefix length, a description
or the order of lines is never a difference.

Output: the lint findings with the site in force, the `missing` intended items, the
`conflicting` device items, a count of device items the intent does not cover (left
alone), remediation commands in a safe order and rollback commands that return the
device to exactly its current state, in reverse order:

1. interface addresses (a new path needs its address first),
2. IPsec objects,
3. the health-check exemption (before any policy change that could drop the probes),
4. new routes, most specific first (a more specific route takes over before anything
   covering it is touched),
5. removal of conflicting routes (their replacements are already in place),
6. removal of other conflicting items.

Removal forms follow the vendors' negation syntax (`no ...`, `undo ...` with the
arguments Huawei requires, `delete ...`). Cisco/Huawei context blocks end with
`exit`/`quit`, so the commands can be pasted in configuration mode as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from idcgen.devicemodel import ControlPlanePolicy, ControlPlaneStage, Device, StaticRoute
from idcgen.errors import InputError, Location, Problem
from idcgen.findings import Finding
from idcgen.review_migration import migration_json, migration_report
from idcgen.review_text import (
    Section,
    apply_commands,
    cisco_huawei_invert,
    group,
    junos_invert,
    junos_set_lines,
    same_object,
    sections,
)

if TYPE_CHECKING:
    from idcgen.rules.context import Context
    from idcgen.sitemodel import Site

EXIT_OK, EXIT_CHANGES, EXIT_INPUT = 0, 1, 2
CLOUD_SERVICES = IPv4Network("100.64.0.0/10")

# remediation phases (module doc)
PHASE_INTERFACE, PHASE_IPSEC, PHASE_EXEMPTION, PHASE_ROUTE_ADD = 10, 20, 30, 40
PHASE_ROUTE_REMOVE, PHASE_OTHER_REMOVE = 50, 60


# --------------------------------------------------------------------------- results
@dataclass
class Item:
    """One missing or conflicting item, for the report."""

    kind: str  # route | interface | exemption | ipsec-peer | ipsec-tunnel
    message: str
    line: int = 0  # line in the running config (0: absent)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "line": self.line}


@dataclass
class Change:
    """Remediation lines of one change; `phase` and `order` place it in the plan."""

    phase: int
    order: tuple
    lines: list[str]


@dataclass
class ReviewResult:
    """Everything `review` reports about one device."""

    path: str
    vendor: str
    findings: list[Finding] = field(default_factory=list)
    missing: list[Item] = field(default_factory=list)
    conflicting: list[Item] = field(default_factory=list)
    untouched: int = 0
    remediation: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    migration: list[str] = field(default_factory=list)
    migration_data: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        errors = any(f.severity == "error" for f in self.findings)
        return not (self.missing or self.conflicting or self.remediation or errors)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.path, "vendor": self.vendor,
            "findings": [f.as_dict() for f in self.findings],
            "missing": [i.as_dict() for i in self.missing],
            "conflicting": [i.as_dict() for i in self.conflicting],
            "untouched": self.untouched,
            "remediation": self.remediation, "rollback": self.rollback,
            "compliant": self.compliant,
            "notes": self.notes,
        }
        if self.migration_data is not None:
            out["cen_migration"] = self.migration_data
        return out


# --------------------------------------------------------------------------- inputs
def _read_config(path: str) -> str:
    from idcgen.lint import STDIN, decode, looks_binary, read_input

    try:
        data = read_input(path)
    except OSError as exc:
        raise InputError(Problem(Location(path), "", f"cannot read file: "
                                                     f"{exc.strerror or exc}")) from None
    name = "<stdin>" if path == STDIN else path
    if looks_binary(data):
        raise InputError(Problem(Location(name), "", "binary file, not a router config"))
    return decode(data)


def _vendor_of(text: str, path: str, vendor: str | None) -> str:
    if vendor is not None:
        return vendor
    from idcgen.lint import unsupported_message
    from idcgen.vendors.detect import detect

    detection = detect(text)
    if detection.vendor is None:
        raise InputError(Problem(Location(path), "", unsupported_message(detection)))
    return str(detection.vendor)


def _parse(vendor: str, text: str, path: str) -> Device:
    from idcgen.vendors import parser

    device: Device = parser(vendor).parse(text, path)
    if device.read_error is not None:  # a partly read config cannot be reviewed
        line, reason = device.read_error
        raise InputError(Problem(Location(path, line), "", reason))
    return device


def intended_text(site: Site, vendor: str) -> str:
    """The site rendered for `vendor`, keys replaced by placeholders naming their source."""
    from idcgen.generator.render import render_site

    return render_site(site, vendor, key_placeholder=True).text


def _check_interfaces(site: Site, vendor: str, site_path: str) -> None:
    from idcgen.generator.plan import lines_without_interface

    missing = lines_without_interface(site, vendor)
    if missing:
        raise InputError([Problem(Location(site_path), f"lines[{i}].interface",
                                  f"names no interface for {vendor}") for i in missing])


# --------------------------------------------------------------------------- review
def review_text(site: Site, text: str, path: str, vendor: str | None = None) -> ReviewResult:
    """Review one running config (held in memory) against `site`."""
    from idcgen.lint import normalise

    text = normalise(text)
    vendor = _vendor_of(text, path, vendor)
    device = _parse(vendor, text, path)
    intended = _parse(vendor, intended_text(site, vendor), "<intended>")
    result = ReviewResult(path, vendor)
    result.findings = _lint(text, path, vendor, site)
    _Comparer(site, vendor, device, intended, text, result).run()
    result.migration = migration_report(site)
    result.migration_data = migration_json(site)
    return result


def _lint(text: str, path: str, vendor: str, site: Site) -> list[Finding]:
    """Lint findings with the site in force (site rules included)."""
    import idcgen.rules
    from idcgen.lint import lint_text

    if not hasattr(idcgen.rules, "run_rules"):  # rules not installed yet
        return []
    return lint_text(text, path, vendor=vendor, site=site).findings


def review_command(site_path: str, config_path: str, *, vendor: str | None, fmt: str) -> int:
    """`idcgen review`: print the review; exit 0 compliant, 1 changes needed, 2 bad input."""
    import click

    from idcgen.sitemodel import load_site

    site = load_site(site_path)
    text = _read_config(config_path)
    name = "<stdin>" if config_path == "-" else config_path
    resolved = _vendor_of(text, name, vendor)
    _check_interfaces(site, resolved, site_path)
    result = review_text(site, text, name, resolved)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(render_review_text(result), nl=False)
    return EXIT_OK if result.compliant else EXIT_CHANGES


# --------------------------------------------------------------------------- compare
def _prefix_text(route: StaticRoute) -> str:
    via = route.next_hop or route.interface or ("discard" if route.discard else "?")
    return f"{route.prefix} via {via}"


def _route_key(route: StaticRoute) -> tuple:
    return (route.prefix, route.next_hop, route.interface, route.discard)


class _Comparer:
    """Compare the running Device with the intended Device and plan the changes."""

    def __init__(self, site: Site, vendor: str, device: Device, intended: Device, text: str,
                 result: ReviewResult):
        self.site, self.vendor, self.device, self.intended = site, vendor, device, intended
        self.text = text
        self.result = result
        self.changes: list[Change] = []
        self.touched_routes: set[int] = set()
        self.touched_policies: set[str] = set()
        if vendor == "junos":
            self.running_set = [s for _, s in junos_set_lines(text)]
            self.running_sections: list[Section] = []
        else:
            self.running_set = []
            self.running_sections = sections(text, vendor)

    # ------------------------------------------------------------------ driver
    def run(self) -> None:
        self._interfaces()
        self._ipsec()
        self._exemption()
        self._routes()
        self.changes.sort(key=lambda c: (c.phase, c.order))
        remediation: list[str] = []
        for change in self.changes:
            remediation += change.lines
        remediation = self._without_existing(remediation)
        self.result.remediation = redact(self._paste_ready(remediation))
        self.result.rollback = redact(self._rollback(remediation))
        self.result.untouched = self._untouched()

    # ------------------------------------------------------------------ helpers
    def _missing(self, kind: str, message: str) -> None:
        self.result.missing.append(Item(kind, message, 0))

    def _conflict(self, kind: str, message: str, line: int) -> None:
        self.result.conflicting.append(Item(kind, message, line))

    def _add(self, phase: int, order: tuple, lines: list[str]) -> None:
        if lines:
            self.changes.append(Change(phase, order, list(lines)))

    def _without_existing(self, lines: list[str]) -> list[str]:
        """Drop what the device already has, so re-sending never duplicates an entry.

        An object an earlier remediation line removes does not count as present."""
        if self.vendor == "junos":
            out: list[str] = []
            deleted: list[str] = []
            for ln in lines:
                if ln.startswith("#"):
                    continue
                if ln.startswith("delete "):
                    deleted.append("set " + ln[len("delete "):])
                elif ln in self.running_set and not any(
                        ln == d or ln.startswith(d + " ") for d in deleted):
                    continue
                out.append(ln)
            return out
        out = []
        removed: list[str] = []
        by_head = {s.head: s for s in self.running_sections}
        for sec in group(lines):
            if sec.head.startswith(("no ", "undo ")) and not sec.children:
                removed.append(sec.head.split(None, 1)[1])
            existing = by_head.get(sec.head)
            if existing is not None and any(same_object(self.vendor, r, sec.head)
                                            for r in removed):
                existing = None
            if existing is None:
                out += [sec.head, *sec.children]
                continue
            kids = _child_blocks(sec.children)
            have = _child_blocks(existing.children)
            new = [b for b in kids if b not in have and not _is_noop(b, existing.children)]
            if new:
                out += [sec.head, *[ln for b in new for ln in b]]
        return out

    def _paste_ready(self, lines: list[str]) -> list[str]:
        """Cisco/Huawei: close each context block with exit/quit (paste in config mode)."""
        if self.vendor == "junos":
            return lines
        out: list[str] = []
        closer = "exit" if self.vendor == "cisco_ios" else "quit"
        for sec in group(lines):
            out.append(sec.head)
            if sec.children:
                out += sec.children
                if sec.children[-1].startswith("  "):  # still in a sub-mode (class X)
                    out.append(" " + closer)
                out.append(closer)
        return out

    def _rollback(self, remediation: list[str]) -> list[str]:
        if not remediation:
            return []
        if self.vendor == "junos":
            return junos_invert(remediation, self.running_set)
        return cisco_huawei_invert(self.vendor, remediation, self.running_sections)

    def _snippets(self) -> Any:
        from idcgen.generator import snippets

        return snippets

    # ------------------------------------------------------------------ interfaces
    def _interfaces(self) -> None:
        from idcgen.generator.plan import plan_site

        plan = plan_site(self.site, self.vendor)
        for line_plan in plan.lines:
            intent = line_plan.interface
            name = _unit_name(self.vendor, intent.name, intent.vlan)
            iface = self.device.interfaces.get(name)
            want = intent.address
            if iface is not None and want in iface.addresses:
                continue
            holder = next((i for i in self.device.interfaces.values()
                           if i.name != name and any(a.network.overlaps(want.network)
                                                     for a in i.addresses)), None)
            if holder is not None:
                old = next(a for a in holder.addresses if a.network.overlaps(want.network))
                self._conflict("interface", f"{old} is configured on {holder.name}; the site "
                               f"puts {want} on {name}", holder.line)
                self._add(PHASE_INTERFACE, (0, holder.name),
                          self._address_removal(holder.name, old))
            if iface is not None and iface.addresses:
                others = ", ".join(str(a) for a in iface.addresses)
                self._conflict("interface", f"{name} has address {others}; the site model "
                               f"says {want}", iface.line)
                if self.vendor == "junos":
                    for old in iface.addresses:
                        self._add(PHASE_OTHER_REMOVE, (name,),
                                  self._address_removal(name, old))
            else:
                self._missing("interface", f"{name} with address {want} "
                              f"(line {line_plan.name}, VBR {line_plan.vbr_ip})")
            self._add(PHASE_INTERFACE, (1, name),
                      self._snippets().interface_lines(self.vendor, intent))

    def _address_removal(self, name: str, address: Any) -> list[str]:
        from idcgen.generator.templating import template

        module = template(f"{self.vendor}/review.j2").module
        return [ln for ln in str(module.address_removal(name, address)).splitlines()
                if ln.strip()]

    # ------------------------------------------------------------------ IPsec
    def _ipsec(self) -> None:
        want_peers = {p.address for p in self.intended.ipsec.peers.values() if p.address}
        have_peers = {p.address for p in self.device.ipsec.peers.values() if p.address}
        want_tunnels = {t.peer_address for t in self.intended.ipsec.tunnels if t.peer_address}
        have_tunnels = {t.peer_address for t in self.device.ipsec.tunnels if t.peer_address}
        gaps = False
        for address in sorted(want_peers - have_peers):
            self._missing("ipsec-peer", f"IKE peer {address}")
            gaps = True
        for address in sorted(want_tunnels - have_tunnels):
            self._missing("ipsec-tunnel", f"IPsec tunnel to {address}")
            gaps = True
        if gaps:
            self._add(PHASE_IPSEC, (), self._intended_ipsec_lines())

    def _intended_ipsec_lines(self) -> list[str]:
        """The IPsec objects of the rendered intent, as rendered (keys as placeholders)."""
        text = intended_text(self.site, self.vendor)
        if self.vendor == "junos":
            return [s for _, s in junos_set_lines(text)
                    if s.startswith(("set security ike ", "set security ipsec ",
                                     "set interfaces st0 ", "set security flow tcp-mss ipsec-vpn"))
                    or (s.startswith("set security zones ")
                        and (" st0." in s or s.endswith("system-services ike")))]
        selector_acls = {t.selector_acl for t in self.intended.ipsec.tunnels if t.selector_acl}
        heads = ("crypto ", "ike ", "ipsec ", "interface Tunnel")
        out: list[str] = []
        for sec in sections(text, self.vendor):
            words = sec.head.split()
            acl = words[-1] if words[:1] == ["acl"] or sec.head.startswith("ip access-list") \
                else None
            if sec.head.startswith(heads) or (acl is not None and acl in selector_acls):
                out += [sec.head, *sec.children]
            elif sec.head.startswith("interface "):
                binds = [c for c in sec.children
                         if c.strip().startswith(("crypto map ", "ipsec policy "))]
                if binds:
                    out += [sec.head, *binds]
        return out

    # ------------------------------------------------------------------ exemption
    def _exemption(self) -> None:
        from idcgen.generator.plan import plan_site

        plan = plan_site(self.site, self.vendor)
        intent = plan.exemption
        if intent is None:
            return
        kind = {"cisco_ios": "copp", "huawei_vrp": "cpu-defend", "junos": "lo0-filter"}
        applied = [p for p in self.device.applied_control_plane()
                   if p.kind == kind[self.vendor]]
        bad: list[tuple[IPv4Address, ControlPlanePolicy, ControlPlaneStage | None, str]] = []
        unexempt = False
        ctx = self._context()
        for src, dst in zip(intent.sources, intent.destinations, strict=False):
            verdict = _probe_verdict(ctx, applied, src, dst)
            if verdict is None:
                unexempt = True
            elif verdict[2] in ("police", "drop"):
                bad.append((src, verdict[0], verdict[1], verdict[2]))
        if not unexempt and not bad:
            return
        grouped: dict[tuple, list[str]] = {}
        for src, policy, stage, _treatment in bad:
            grouped.setdefault((id(policy), id(stage)), []).append(str(src))
        for _src, policy, stage, treatment in bad:
            sources = grouped.pop((id(policy), id(stage)), None)
            if sources is None:
                continue
            where = f"class/term {_stage_name(stage)}" if stage else "its default action"
            line = stage.line if stage else policy.line
            verb = "polices" if treatment == "police" else "drops"
            self._conflict("exemption", f"{policy.kind} {policy.name}: {where} {verb} the "
                           f"health-check probes from {', '.join(sources)} ahead of any "
                           "exemption", line)
        if unexempt and not bad:
            self._missing("exemption", "control-plane exemption of the health-check probes "
                          f"from {', '.join(str(s) for s in intent.sources)}")
        self._add(PHASE_EXEMPTION, (), self._exemption_lines(intent, applied, bad))

    def _context(self) -> Context:
        """The lint's view of the device with the site's lines, so review judges the
        probes exactly as IDC303 does (a policer only the health-check sources reach,
        at a rate covering them, is their exemption)."""
        from idcgen.links import links_from_site
        from idcgen.rules.context import Context

        return Context(self.device, self.site, links_from_site(self.site, self.device))

    def _exemption_lines(self, intent: Any, applied: list[ControlPlanePolicy],
                         bad: list) -> list[str]:
        """Exemption lines; on a device that already applies a policy, insert into it
        (a second policy would replace the first or be rejected), above the first stage
        that polices or drops the probes."""
        from dataclasses import replace

        from idcgen.generator import names

        snippets = self._snippets()
        target = applied[0] if applied else None
        if target is not None:
            self.touched_policies.add(target.name)
        if target is None or (intent.mode == "insert" and intent.policy != target.name):
            return snippets.exemption_lines(self.vendor, intent)
        first_bad = next((stage for _, policy, stage, _ in bad
                          if policy is target and stage is not None), None)
        ours = {"cisco_ios": names.CISCO_HC_CLASS, "junos": names.JUNOS_HC_TERM}.get(self.vendor)
        stage_names = [_stage_name(s) for s in target.stages]
        before = _stage_name(first_bad) if first_bad is not None else (
            next((n for n in stage_names if n != ours), None))
        if before == "class-default":
            before = None
        lines: list[str] = []
        if ours and ours in stage_names and before is not None:
            if self.vendor == "cisco_ios":  # IOS cannot move a class: remove, re-insert
                lines += [f"policy-map {target.name}", f" no class {ours}", "exit"]
            elif self.vendor == "junos":
                filter_path = f"firewall family inet filter {target.name}"
                return [f"insert {filter_path} term {ours} before term {before}"]
        if self.vendor == "huawei_vrp":
            self._huawei_flow_in_use(target)
        insert = replace(intent, mode="insert", policy=target.name, before=before)
        return lines + snippets.exemption_lines(self.vendor, insert)

    def _huawei_flow_in_use(self, target: ControlPlanePolicy) -> None:
        """The exemption's user-defined flow id must be free in the policy it goes into:
        say so when the running policy uses it for something else (the remediation
        redefines it; the rollback puts the running definition back)."""
        from idcgen.generator import names

        flow = f"{target.name} user-defined-flow {names.HUAWEI_HC_FLOW}"
        stage = next((s for s in target.stages if s.name == flow), None)
        if stage is not None and stage.acl != str(names.HUAWEI_HC_ACL):
            self.result.notes.append(
                f"Huawei: cpu-defend policy {target.name} already uses user-defined flow "
                f"{names.HUAWEI_HC_FLOW} (line {stage.line}, ACL {stage.acl}); the "
                "remediation redefines it for the health-check probes. Move the existing "
                "flow to a free id first, or pick another id for the exemption.")

    # ------------------------------------------------------------------ routes
    def _routes(self) -> None:
        intended = self.intended.global_routes()
        device = self.device.global_routes()
        want = {_route_key(r): r for r in intended}
        cloud_hops = {r.next_hop for r in intended if r.next_hop} | {
            line.vbr_ip for line in self.site.lines}
        cloud_ifaces = {r.interface for r in intended if r.interface}
        cloud_prefixes = [n.cidr for n in self.site.cloud_networks] + [r.prefix for r in intended]
        if self.site.cloud_services.enabled:
            cloud_prefixes.append(CLOUD_SERVICES)
        hc = {r.prefix: r for r in intended if r.prefix.prefixlen == 32
              and r.prefix.network_address in set(self.site.health_check_sources)}
        snippets = self._snippets()
        from idcgen.generator.intent import RouteIntent

        replaced: set[tuple] = set()
        for route in device:
            key = _route_key(route)
            target = want.get(key)
            if target is not None:
                if route.preference != target.preference:
                    self._conflict("route", f"{_prefix_text(route)} has preference "
                                   f"{route.preference}; the site model needs "
                                   f"{target.preference}", route.line)
                    self._remove_route(route, device, PHASE_ROUTE_ADD, replace=True)
                    replaced.add(key)
                continue
            reason = None
            if route.prefix in hc and route.next_hop != hc[route.prefix].next_hop:
                reason = (f"health-check return route {_prefix_text(route)} leaves over the "
                          f"wrong line (the site model: via {hc[route.prefix].next_hop})")
            elif any(route.prefix.subnet_of(p) for p in cloud_prefixes) and not (
                    (route.next_hop in cloud_hops) or (route.interface in cloud_ifaces
                                                       and route.interface is not None)):
                reason = (f"{_prefix_text(route)} sends a cloud network somewhere other than "
                          "a cloud-facing link")
            if reason:
                self._conflict("route", reason, route.line)
                self._remove_route(route, device, PHASE_ROUTE_REMOVE)
        have = {_route_key(r): r for r in device}
        for key, route in want.items():
            if key in have and key not in replaced:
                continue
            if key not in replaced:
                self._missing("route", f"{_prefix_text(route)}"
                              + (f" ({route.name})" if route.name else ""))
            intent = _route_intent(RouteIntent, route, self.vendor)
            self._add(PHASE_ROUTE_ADD, (-route.prefix.prefixlen, int(route.prefix.network_address)
                                        , 1), snippets.route_lines(self.vendor, intent))

    def _remove_route(self, route: StaticRoute, device: list[StaticRoute], phase: int,
                      *, replace: bool = False) -> None:
        """Remove exactly this next hop of the route; on Junos, the whole route when it is
        its last next hop (a static route without a next hop does not commit)."""
        self.touched_routes.add(id(route))
        order = (-route.prefix.prefixlen, int(route.prefix.network_address), 0)
        if self.vendor != "junos":
            from idcgen.generator.templating import template

            module = template(f"{self.vendor}/review.j2").module
            lines = [ln for ln in str(module.route_removal(route)).splitlines() if ln.strip()]
            self._add(phase, order, lines)
            return
        prefix = f"set routing-options static route {route.prefix} "
        mine = [s for s in self.running_set if s.startswith(prefix)]
        hop = str(route.next_hop or route.interface)
        hops = [s for s in mine if s.split()[5:6] in (["next-hop"], ["qualified-next-hop"])]
        others = [s for s in hops if s.split()[6:7] != [hop]]
        intended_same = [r for r in self.intended.global_routes() if r.prefix == route.prefix]
        if replace or (not others and not intended_same):
            self._add(phase, order, [f"delete routing-options static route {route.prefix}"])
            return
        kind = next((s.split()[5] for s in hops if s.split()[6:7] == [hop]), "next-hop")
        self._add(phase, order, [f"delete routing-options static route {route.prefix} "
                                 f"{kind} {hop}"])

    # ------------------------------------------------------------------ untouched
    def _untouched(self) -> int:
        """Device items the intent does not cover (left alone): routes, interfaces,
        filters, control-plane policies and IPsec peers not named by any change."""
        routes = sum(1 for r in self.device.static_routes if id(r) not in self.touched_routes
                     and _route_key(r) not in {_route_key(i) for i in self.intended.static_routes})
        intended_ifaces = set(self.intended.interfaces)
        ifaces = sum(1 for name in self.device.interfaces if name not in intended_ifaces)
        filters = sum(1 for name in self.device.filters if name not in self.intended.filters)
        policies = sum(1 for p in self.device.control_plane
                       if p.name not in {q.name for q in self.intended.control_plane}
                       and p.name not in self.touched_policies)
        peers = sum(1 for p in self.device.ipsec.peers.values()
                    if p.address not in {q.address for q in self.intended.ipsec.peers.values()})
        return routes + ifaces + filters + policies + peers


_SECRET = re.compile(
    r"\b(pre-shared-key|key|password|secret|authentication-key)"
    r"((?:\s+(?:local|remote|[0-9]|cipher|simple|ascii-text|hexadecimal))*)"
    r"\s+(?!\"?<|(?:local|remote|[0-9]|cipher|simple|ascii-text|hexadecimal)(?:\s|$))(\S+)",
    re.IGNORECASE)


def redact(lines: list[str]) -> list[str]:
    """Never print a key: a value after a key keyword that is not a placeholder naming its
    source (`<PSK-from-env:VAR>`) is replaced. A rollback that has to restore a key the
    device holds now says so instead of printing it."""
    return [ln if " description " in f" {ln.strip()}" else
            _SECRET.sub(r"\1\2 <key-as-configured-now:not-shown>", ln) for ln in lines]


def _stage_name(stage: ControlPlaneStage) -> str:
    """A stage's own name: the Junos parser prefixes terms with `FILTER term `."""
    return stage.name.rsplit(" term ", 1)[-1]


def _child_blocks(children: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for child in children:
        if child.startswith("  ") and out:
            out[-1].append(child)
        else:
            out.append([child])
    return out


def _is_noop(block: list[str], have: list[str]) -> bool:
    """`no shutdown` on an interface that is not shut down changes nothing."""
    text = block[0].strip()
    return text in ("no shutdown", "undo shutdown") and " shutdown" not in have


def _unit_name(vendor: str, name: str, vlan: int | None) -> str:
    """The interface name the parser gives the leased-line (sub-)interface."""
    if vendor == "junos":
        return f"{name}.{vlan or 0}"
    return f"{name}.{vlan}" if vlan else name


def _route_intent(cls: Any, route: StaticRoute, vendor: str) -> Any:
    from idcgen.vendors import driver

    default = driver(vendor).Syntax.default_static_preference
    preference = None if route.preference == default else route.preference
    return cls(prefix=route.prefix, next_hop=route.next_hop, interface=route.interface,
               preference=preference, name=route.name)


def _probe_verdict(ctx: Context, policies: list[ControlPlanePolicy], src: IPv4Address,
                   dst: IPv4Address) -> tuple[ControlPlanePolicy, ControlPlaneStage | None,
                                              str] | None:
    """How the first applied policy that decides treats a probe: (policy, stage,
    treatment), with the lint's verdict per policy (`Context.probe_verdict`: a policer
    dedicated to the probes counts as exempt). None when no policy exempts it
    explicitly and none limits it."""
    for policy in policies:
        verdict = ctx.probe_verdict(policy, src, dst)
        if verdict.stage is not None:
            if verdict.treatment in ("police", "drop", "exempt"):
                return policy, verdict.stage, verdict.treatment
        elif verdict.treatment in ("police", "drop"):
            return policy, None, verdict.treatment
    return None


# --------------------------------------------------------------------------- text
def render_review_text(result: ReviewResult) -> str:
    """The human report."""
    out: list[str] = [f"review of {result.path} ({result.vendor})"]
    if result.findings:
        out.append("")
        out.append(f"lint findings ({len(result.findings)}):")
        for f in result.findings:
            where = f"{f.file}:{f.line}" if f.line else f.file
            out.append(f"  {where}: {f.severity} {f.rule} {f.name}: {f.message}")
    out.append("")
    out.append(f"missing ({len(result.missing)}):")
    out += [f"  - {i.kind}: {i.message}" for i in result.missing] or ["  none"]
    out.append(f"conflicting ({len(result.conflicting)}):")
    out += [f"  - line {i.line}: {i.kind}: {i.message}" if i.line else
            f"  - {i.kind}: {i.message}" for i in result.conflicting] or ["  none"]
    out.append(f"left alone: {result.untouched} device item(s) the site model does not cover")
    mode = {"cisco_ios": "configure terminal", "huawei_vrp": "system-view",
            "junos": "configure (then `show | compare` and `commit confirmed`)"}[result.vendor]
    out.append("")
    if result.remediation:
        out.append(f"remediation (enter in {mode}, in this order):")
        out += [f"  {ln}" for ln in result.remediation]
        out.append("")
        out.append("rollback (returns the device to its current state, in this order):")
        out += [f"  {ln}" for ln in result.rollback]
    else:
        out.append("remediation: none")
    if result.notes:
        out.append("")
        out += [f"note: {n}" for n in result.notes]
    if result.migration:
        out.append("")
        out += result.migration
    out.append("")
    if result.compliant:
        out.append("compliant: the device matches the site model")
    else:
        errors = sum(1 for f in result.findings if f.severity == "error")
        extra = f"; {errors} lint error(s)" if errors else ""
        out.append(f"not compliant: {len(result.missing)} missing, "
                   f"{len(result.conflicting)} conflicting{extra}")
    return "\n".join(out) + "\n"


def preview(result: ReviewResult, text: str) -> str:
    """The running config as it would read after the remediation (simulation)."""
    return apply_commands(result.vendor, text, result.remediation)


__all__ = ["ReviewResult", "migration_report", "preview", "render_review_text",
           "review_command", "review_text"]
