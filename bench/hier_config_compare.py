"""Can hier_config 3.x replace review's hand-written remediation/rollback text? (issue #9)

    pip install hier-config            # not a dependency of idcgen; imported lazily here
    python bench/hier_config_compare.py [--runs 20] [--show CASE] [--markdown] [--json FILE]

For every round-trip case of tests/test_review.py (each vendor empty / partial / wrong, the
Huawei cpcar device, the IPsec gateways) plus the compliant case (the rendered config
itself), the running config and the intended config (`idcgen.review.intended_text`) go
to hier_config's `WorkflowRemediation` in two ways:

- full:   the whole running config against the intended config, as hier_config is meant
          to be used; everything else on the device is not in the intent, so it is negated;
- scoped: the running config cut down to what the intent is about before the comparison
          (top-level objects the intent also has, the singleton `control-plane` /
          `cpu-defend-policy ... global`, static routes inside the cloud prefixes, Junos
          statements whose path the intent sets). hier_config has no scope of its own;
          this is the cut any adoption would have to write.

Each plan (idcgen's and both hier_config ones) is judged with idcgen's own machinery:

- running + remediation (`review_text.apply_commands`, the simulator the tests use) is
  reviewed again: it must be compliant (nothing missing, nothing conflicting, no
  remediation left, no lint error);
- nothing unrelated is removed or changed: routes outside the cloud prefixes, interfaces
  and filters the intent does not name, the hostname, IPsec peers; a control-plane
  policy keeps its stages and stays applied;
- every step is safe: no route the intent needs is without any route between its removal
  and its replacement, and no named object (policy, class-map, ACL, filter, prefix
  list) is deleted while the config still references it (the device rejects that);
- running + remediation + rollback means the same as running (`meaning()` of the tests);
- hier_config's own `future()` prediction is also reviewed (column `future`).

Times are medians of --runs runs: `review` is `idcgen.review.review_text` (render, two
parses, lint, model comparison, remediation, rollback); `idcgen text` is the hand-written
text code that hier_config would replace (sections / Junos flattening + rollback
derivation); `hc` is hier_config's parse of both configs, the scope cut, remediation and
rollback (the rendered intent is given to it, as review renders it anyway).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "review"
PLATFORM = {"cisco_ios": "CISCO_IOS", "huawei_vrp": "HUAWEI_VRP", "junos": "JUNIPER_JUNOS"}
CLOUD_SERVICES = IPv4Network("100.64.0.0/10")


def load_hier_config() -> Any:
    """hier_config, imported only when the bench runs; a clear exit when it is absent."""
    try:
        import hier_config
    except ImportError:
        sys.exit("hier_config is not installed: `pip install hier-config` (3.x) in this "
                 "environment, then run this script again.")
    from importlib.metadata import version

    found = version("hier-config")
    if not found.startswith("3."):
        print(f"warning: hier-config {found} found; this bench was written for 3.x",
              file=sys.stderr)
    return hier_config


def load_tests() -> Any:
    """tests/test_review.py as a module: the same cases, IPsec inputs and meaning()."""
    spec = importlib.util.spec_from_file_location("_test_review", ROOT / "tests" /
                                                  "test_review.py")
    if spec is None or spec.loader is None:
        sys.exit("cannot load tests/test_review.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- cases
@dataclass
class Case:
    name: str
    vendor: str
    site: Any
    running: str
    ipsec: bool = False


def cases(tests: Any) -> list[Case]:
    from idcgen.review import intended_text
    from idcgen.sitemodel import load_site

    site = load_site(FIXTURES / "site.yaml")
    out = [Case(state, vendor, site, (FIXTURES / f"{vendor}-{state}.cfg").read_text())
           for vendor, state in tests.CASES]
    out += [Case("compliant", vendor, site, intended_text(site, vendor))
            for vendor in tests.VENDORS]
    os.environ.setdefault("IDCGEN_TEST_PSK", "Zq8-never-print-me-41")
    ipsec_site = load_site(FIXTURES / "site-ipsec.yaml")
    out += [Case("ipsec", vendor, ipsec_site, text, ipsec=True)
            for vendor, text in tests.IPSEC_RUNNING.items()]
    order = {v: i for i, v in enumerate(tests.VENDORS)}
    return sorted(out, key=lambda c: order[c.vendor])


# --------------------------------------------------------------------------- idcgen API
# The text helpers moved from idcgen.review_text into the vendor drivers (#9); the bench
# runs against either layout.
def apply_commands(vendor: str, text: str, commands: list[str]) -> str:
    try:
        from idcgen.vendors import get_driver
    except ImportError:
        from idcgen.review_text import apply_commands as old

        return old(vendor, text, commands)
    return get_driver(vendor).apply_commands(text, commands)


def junos_set_lines(text: str) -> list[tuple[int, str]]:
    try:
        from idcgen.vendors.junos.configtext import set_lines
    except ImportError:
        from idcgen.review_text import junos_set_lines as set_lines
    return set_lines(text)


def idcgen_text_work(case: Case, remediation: list[str]) -> None:
    """The hand-written text handling hier_config would replace, for one case: read the
    running config as sections / Junos set lines and derive the rollback."""
    try:
        from idcgen.vendors import get_driver
    except ImportError:
        from idcgen.review_text import (
            cisco_huawei_invert,
            junos_invert,
            sections,
        )

        if case.vendor == "junos":
            junos_invert(remediation, [s for _, s in junos_set_lines(case.running)])
        else:
            cisco_huawei_invert(case.vendor, remediation, sections(case.running,
                                                                   case.vendor))
        return
    get_driver(case.vendor).config_text(case.running).rollback(remediation)


# --------------------------------------------------------------------------- hier_config
_QUOTED = re.compile(r'"[^"]*"|\S+')


def hc_input(vendor: str, text: str) -> str:
    """Junos: drop `#` comment lines (hier_config's brace flattener turns each into a
    `set #...` statement, and two equal ones raise DuplicateChildError)."""
    if vendor != "junos":
        return text
    return "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("#")) + "\n"


def _route_prefix(vendor: str, text: str) -> IPv4Network | None:
    words = text.split()
    try:
        if vendor == "junos" and text.startswith("set routing-options static route "):
            return IPv4Network(words[4], strict=False)
        if vendor == "cisco_ios" and text.startswith("ip route ") and words[2] != "vrf":
            return IPv4Network(f"{words[2]}/{words[3]}", strict=False)
        if vendor == "huawei_vrp" and text.startswith("ip route-static ") \
                and words[2] != "vpn-instance":
            return IPv4Network(f"{words[2]}/{words[3]}", strict=False)
    except (IndexError, ValueError):
        return None
    return None


def _stem(text: str) -> str:
    """A Junos statement without its value: `set ... address 10.0.0.1/30` -> `set ...
    address` (quoted values count as one word)."""
    words = _QUOTED.findall(text)
    return " ".join(words[:-1])


def _singleton(vendor: str, text: str) -> str | None:
    if vendor == "huawei_vrp" and text.startswith("cpu-defend-policy ") \
            and text.endswith(" global"):
        return "cpu-defend-policy global"
    return None


def scope(hc: Any, vendor: str, running: Any, intended: Any, prefixes: list) -> Any:
    """The running HConfig cut down to what the intended config is about."""
    heads = {c.text for c in intended.children}
    singles = {_singleton(vendor, t) for t in heads} - {None}
    stems = {_stem(t) for t in heads} if vendor == "junos" else set()
    out = hc.HConfig(running.driver)
    for child in running.children:
        text = child.text
        prefix = _route_prefix(vendor, text)
        keep = (text in heads or _singleton(vendor, text) in singles
                or (prefix is not None and any(prefix.subnet_of(p) for p in prefixes))
                or (vendor == "junos" and _stem(text) in stems))
        if keep:
            out.add_deep_copy_of(child)
    return out


def hc_lines(vendor: str, config: Any) -> list[str]:
    """Commands as idcgen prints them (one space of indent per level; Junos flat)."""
    if vendor == "junos":
        return [c.text for c in config.all_children_sorted()]
    return [" " * (c.depth() - 1) + c.text for c in config.all_children_sorted()]


def cloud_prefixes(case: Case, intended_text: str) -> list[IPv4Network]:
    intended = _parse(case.vendor, intended_text, "<intended>")
    out = [r.prefix for r in intended.static_routes] + [n.cidr for n in
                                                         case.site.cloud_networks]
    if case.site.cloud_services.enabled:
        out.append(CLOUD_SERVICES)
    return out


# Extra ordering for the "tuned" variant: route removals after route additions, and a
# named object after what references it (the application, the policy, the class-map, the
# ACL), which is the order the devices accept.
_SINK = {
    "cisco_ios": [("no ip route ", 300), ("no policy-map ", 410), ("no class-map ", 420),
                  ("no ip access-list ", 430)],
    "huawei_vrp": [("undo ip route-static ", 300), ("undo cpu-defend-policy ", 400),
                   ("undo cpu-defend policy ", 410), ("undo acl ", 420)],
    "junos": [],
}


def _explicit_no_shutdown(config: Any) -> None:
    """An interface without `shutdown` is up: say so, so that the rollback of an added
    `no shutdown` is not `shutdown` (hier_config negates the line it added)."""
    neg = config.driver.negation_prefix
    for iface in config.get_children(startswith="interface "):
        if iface.get_child(equals="shutdown") is None and \
                iface.get_child(equals=f"{neg}shutdown") is None:
            iface.add_child(f"{neg}shutdown")


def hc_driver(hc: Any, vendor: str, *, tuned: bool) -> Any:
    from hier_config.models import MatchRule, OrderingRule

    driver = hc.get_hconfig_driver(getattr(hc.Platform, PLATFORM[vendor]))
    if tuned and vendor != "junos":
        extra = [OrderingRule(match_rules=(MatchRule(startswith=p),), weight=w)
                 for p, w in _SINK[vendor]]
        driver.rules = driver.rules.model_copy(update={
            "ordering": [*driver.rules.ordering, *extra],
            "post_load_callbacks": [*driver.rules.post_load_callbacks,
                                    _explicit_no_shutdown]})
    return driver


MODES = ("full", "scoped", "target", "tuned")


def hc_plan(hc: Any, case: Case, intended_text: str, prefixes: list, *, mode: str,
            target_text: str = "") -> tuple[list[str], list[str], str]:
    """(remediation, rollback, future() text) from hier_config.

    full / scoped: running -> the rendered intent (whole, or the running config cut to
    the intent's scope); target / tuned: running -> the config idcgen's own remediation
    leads to (its simulated result), i.e. hier_config only as the diff, negation and
    rollback engine; tuned adds the ordering and `no shutdown` rules above."""
    driver = hc_driver(hc, case.vendor, tuned=mode == "tuned")
    running = hc.get_hconfig(driver, hc_input(case.vendor, case.running))
    if mode in ("target", "tuned"):
        intended = hc.get_hconfig(driver, hc_input(case.vendor, target_text))
    else:
        intended = hc.get_hconfig(driver, hc_input(case.vendor, intended_text))
    base = scope(hc, case.vendor, running, intended, prefixes) if mode == "scoped" \
        else running
    flow = hc.WorkflowRemediation(base, intended)
    remediation = flow.remediation_config
    rollback = flow.rollback_config
    future = running.future(remediation)
    return (hc_lines(case.vendor, remediation), hc_lines(case.vendor, rollback),
            "\n".join(hc_lines(case.vendor, future)) + "\n")


# --------------------------------------------------------------------------- judging
@dataclass
class Verdict:
    ok: bool = True
    reasons: list[str] = field(default_factory=list)
    remediation: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    future_ok: bool | None = None
    kept_lines_lost: int = 0

    def fail(self, reason: str) -> None:
        self.ok = False
        self.reasons.append(reason)


def _parse(vendor: str, text: str, path: str) -> Any:
    try:
        from idcgen.vendors import get_driver
    except ImportError:
        from idcgen.vendors import parser

        return parser(vendor).parse(text, path)
    return get_driver(vendor).parse(text, path)


def _review_problems(case: Case, text: str) -> list[str]:
    from idcgen.review import review_text

    again = review_text(case.site, text, "after.cfg", case.vendor)
    out = []
    if again.missing:
        kinds = ", ".join(sorted({i.kind for i in again.missing}))
        out.append(f"{len(again.missing)} missing ({kinds})")
    if again.conflicting:
        out.append(f"{len(again.conflicting)} conflicting "
                   f"({'; '.join(i.message[:60] for i in again.conflicting[:2])})")
    errors = [f.rule for f in again.findings if f.severity == "error"]
    if errors:
        out.append(f"lint errors {','.join(sorted(set(errors)))}")
    if again.remediation and not out:
        out.append(f"{len(again.remediation)} remediation lines left")
    return out


def _route_id(r: Any) -> tuple:
    return (r.prefix, r.next_hop, r.interface, r.discard, r.preference, r.name, r.vrf)


def unrelated_changes(case: Case, before: Any, after: Any, intended: Any,
                      prefixes: list) -> list[str]:
    """What the change removed or altered outside idcgen's objects."""
    out: list[str] = []
    if before.hostname != after.hostname:
        out.append(f"hostname {before.hostname!r} -> {after.hostname!r}")
    have = {_route_id(r) for r in after.static_routes}
    for r in before.static_routes:
        if not any(r.prefix.subnet_of(p) for p in prefixes) and _route_id(r) not in have:
            out.append(f"route {r.prefix} via {r.next_hop or r.interface} removed")
    for name, i in before.interfaces.items():
        if name in intended.interfaces:
            continue
        j = after.interfaces.get(name)
        if j is None:
            out.append(f"interface {name} removed")
        elif (i.addresses, i.description, i.shutdown, i.inbound_filter) != (
                j.addresses, j.description, j.shutdown, j.inbound_filter):
            out.append(f"interface {name} changed")
    for name, f in before.filters.items():
        if name in intended.filters:
            continue
        g = after.filters.get(name)
        entries = [(e.action, repr(e.match), e.police_rate_bps) for e in (g.entries if g else [])]
        if g is None:
            out.append(f"filter {name} removed")
        elif any((e.action, repr(e.match), e.police_rate_bps) not in entries for e in f.entries):
            out.append(f"filter {name} lost entries")
    policies = {p.name: p for p in after.control_plane}
    for p in before.control_plane:
        q = policies.get(p.name)
        if q is None:
            out.append(f"{p.kind} policy {p.name} removed")
            continue
        if p.applied and not q.applied:
            out.append(f"{p.kind} policy {p.name} no longer applied "
                       f"(its {len(p.stages)} stages stop protecting the device)")
        kept = {(s.treatment, s.acl, s.rate_bps, s.rate_pps) for s in q.stages}
        lost = [s.name for s in p.stages if (s.treatment, s.acl, s.rate_bps, s.rate_pps)
                not in kept]
        if lost:
            out.append(f"{p.kind} policy {p.name} lost stages {', '.join(lost)}")
    for name in before.ipsec.peers:
        if name not in after.ipsec.peers:
            out.append(f"IPsec peer {name} removed")
    return out


_OBJECT_REMOVAL = {
    "cisco_ios": re.compile(r"^no (?:policy-map|class-map(?: match-any| match-all)?|"
                            r"ip access-list (?:extended|standard)) (\S+)$"),
    "huawei_vrp": re.compile(r"^undo (?:acl number|acl name|cpu-defend policy) (\S+)$"),
    "junos": re.compile(r"^delete (?:firewall family inet filter|firewall policer|"
                        r"policy-options prefix-list|policy-options policy-statement) (\S+)$"),
}


def _config_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines()
            if ln.strip() and ln.strip() not in ("!", "#", "end", "return")]


_OBJECT_CREATION = {
    "cisco_ios": re.compile(r"^(?:policy-map|class-map(?: match-any| match-all)?|"
                            r"ip access-list (?:extended|standard)) (\S+)$"),
    "huawei_vrp": re.compile(r"^(?:acl number|acl name|cpu-defend policy) (\S+)$"),
}
_JUNOS_HOP_DELETE = re.compile(r"^delete routing-options static route (\S+) "
                               r"(?:qualified-)?next-hop \S+$")


def _forward_references(start: str, commands: list[str], vendor: str) -> list[str]:
    """A line naming an object that the device does not have yet (created later)."""
    have = {m.group(1) for ln in _config_lines(start)
            if (m := _OBJECT_CREATION[vendor].match(ln))}
    out = []
    for i, line in enumerate(commands):
        match = _OBJECT_CREATION[vendor].match(line)
        if not match or match.group(1) in have:
            continue
        name = match.group(1)
        early = [ln.strip() for ln in commands[:i] if name in _QUOTED.findall(ln)
                 and not ln.strip().startswith(("no ", "undo ", "description "))]
        if early:
            out.append(f"'{early[0][:40]}' names {name} before it is created")
    return out


def _huawei_flow_order(commands: list[str]) -> list[str]:
    """`car user-defined-flow N` names flow N: the flow goes after its CAR."""
    out = []
    for i, line in enumerate(commands):
        match = re.match(r"^undo user-defined-flow (\d+)", line.strip())
        if match and any(ln.strip().startswith(f"undo car user-defined-flow {match.group(1)}")
                         for ln in commands[i + 1:]):
            out.append(f"'{line.strip()}' before the CAR that names the flow")
    return out


def unsafe_steps(case: Case, start: str, commands: list[str], needed: set) -> list[str]:
    """Steps the device would reject or that leave a needed prefix without a route."""
    vendor = case.vendor
    out: list[str] = []
    if vendor == "junos":  # one atomic commit: only the final candidate counts, but a
        final = apply_commands(vendor, start, commands)  # route left without a next hop does not
        for line in commands:                 # commit
            match = _JUNOS_HOP_DELETE.match(line.strip())
            prefix = f"set routing-options static route {match.group(1)} " if match else ""
            if match and not any(s.startswith(prefix) for _, s in junos_set_lines(final)):
                out.append(f"'{line.strip()}' leaves route {match.group(1)} without a next "
                           "hop (does not commit)")
        return out
    out += _forward_references(start, commands, vendor)
    if vendor == "huawei_vrp":
        out += _huawei_flow_order(commands)
    for i, line in enumerate(commands):
        text = line.strip()
        removal = text.startswith(("no ", "undo ", "delete "))
        if not removal or line[:1].isspace():
            continue
        state = apply_commands(vendor, start, commands[: i + 1])
        match = _OBJECT_REMOVAL[vendor].match(text)
        if match:
            name = match.group(1)
            refs = [ln for ln in _config_lines(state) if name in _QUOTED.findall(ln)
                    and not ln.startswith(("description ", "remark "))]
            if refs:
                out.append(f"'{text}' while still referenced ('{refs[0][:50]}')")
        prefix = _route_prefix(vendor, text.split(None, 1)[1] if vendor != "junos"
                               else "set " + text[len("delete "):])
        if prefix is not None and prefix in needed:
            routes = {r.prefix for r in _parse(vendor, state, "step").static_routes}
            if prefix not in routes:
                out.append(f"{prefix} has no route after '{text[:60]}'")
    return out


def judge(case: Case, remediation: list[str], rollback: list[str], intended_text: str,
          prefixes: list, meaning: Callable, idcgen_after: str | None) -> Verdict:
    vendor = case.vendor
    v = Verdict(remediation=remediation, rollback=rollback)
    try:
        after = apply_commands(vendor, case.running, remediation)
    except Exception as exc:  # noqa: BLE001 - a bench reports, it does not stop
        v.fail(f"simulator rejects remediation: {exc!r}"[:100])
        return v
    problems = _review_problems(case, after)
    if problems:
        v.fail("not compliant after remediation: " + "; ".join(problems))
    before_dev = _parse(vendor, case.running, "running.cfg")
    after_dev = _parse(vendor, after, "after.cfg")
    intended = _parse(vendor, intended_text, "<intended>")
    if len(after_dev.unparsed) > len(before_dev.unparsed):
        v.fail(f"{len(after_dev.unparsed) - len(before_dev.unparsed)} unparsed sections "
               "after remediation")
    unrelated = unrelated_changes(case, before_dev, after_dev, intended, prefixes)
    if unrelated:
        v.fail(f"{len(unrelated)} unrelated changes: " + "; ".join(unrelated[:4])
               + ("; ..." if len(unrelated) > 4 else ""))
    needed = {r.prefix for r in intended.static_routes}
    steps = unsafe_steps(case, case.running, remediation, needed)
    if steps:
        v.fail(f"unsafe remediation order ({len(steps)}): " + "; ".join(steps[:2]))
    back = apply_commands(vendor, after, rollback)
    back_dev = _parse(vendor, back, "back.cfg")
    want, got = meaning(before_dev), meaning(back_dev)
    if want != got:
        diff = [k for k in want if want[k] != got[k]]
        detail = []
        if "interfaces" in diff:
            w, g = dict((i[0], i) for i in want["interfaces"]), dict((i[0], i) for i in
                                                                    got["interfaces"])
            detail += [f"{n}: {w.get(n)} -> {g.get(n)}" for n in sorted(set(w) | set(g))
                       if w.get(n) != g.get(n)][:1]
        v.fail(f"rollback does not restore {', '.join(diff)}"
               + (f" ({'; '.join(detail)})" if detail else ""))
    if case.ipsec and (back_dev.ipsec.peers.keys() != before_dev.ipsec.peers.keys()
                       or len(back_dev.ipsec.tunnels) != len(before_dev.ipsec.tunnels)):
        v.fail("rollback does not restore the IPsec peers/tunnels")
    if before_dev.hostname != back_dev.hostname:
        v.fail("rollback does not restore the hostname")
    steps = unsafe_steps(case, after, rollback, set())
    if steps:
        v.fail(f"unsafe rollback order ({len(steps)}): " + "; ".join(steps[:2]))
    if idcgen_after is not None:
        mine = set(_config_lines(after))
        running = set(_config_lines(case.running))
        v.kept_lines_lost = len([ln for ln in set(_config_lines(idcgen_after)) & running
                                 if ln not in mine])
    return v


# --------------------------------------------------------------------------- timing
def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def import_times() -> dict[str, float]:
    """hier_config's import: `-X importtime` cumulative, and wall clock (median of 5)
    alone and on top of what `idcgen review` imports already."""
    py = sys.executable
    res = subprocess.run([py, "-X", "importtime", "-c", "import hier_config"],
                         capture_output=True, text=True, check=True)
    cumulative = 0.0
    for line in res.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == "hier_config":
            cumulative = int(parts[1]) / 1000

    def wall(code: str) -> float:
        return median_ms(lambda: subprocess.run([py, "-c", code], check=True), 5)

    base = "import idcgen.review, idcgen.sitemodel, idcgen.vendors.cisco_ios.parser"
    empty = wall("pass")
    return {"importtime_cumulative_ms": cumulative,
            "wall_alone_ms": wall("import hier_config") - empty,
            "wall_on_top_of_idcgen_review_ms": wall(f"{base}; import hier_config")
            - wall(base)}


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="timing runs per case (median)")
    ap.add_argument("--show", metavar="VENDOR-CASE", help="print the plans of one case, "
                    "e.g. cisco_ios-wrong")
    ap.add_argument("--markdown", action="store_true", help="table in Markdown")
    ap.add_argument("--json", metavar="FILE", help="write all results as JSON")
    args = ap.parse_args(argv)

    hc = load_hier_config()
    from importlib.metadata import version

    from idcgen.review import intended_text, review_text

    tests = load_tests()
    rows: list[dict[str, Any]] = []
    for case in cases(tests):
        label = f"{case.vendor}-{case.name}"
        it = intended_text(case.site, case.vendor)
        prefixes = cloud_prefixes(case, it)
        result = review_text(case.site, case.running, "running.cfg", case.vendor)
        idcgen = judge(case, result.remediation, result.rollback, it, prefixes,
                       tests.meaning, None)
        idcgen_after = apply_commands(case.vendor, case.running, result.remediation)
        row: dict[str, Any] = {"case": label, "vendor": case.vendor, "idcgen": idcgen}
        for variant in MODES:
            try:
                rem, rb, future = hc_plan(hc, case, it, prefixes, mode=variant,
                                          target_text=idcgen_after)
            except Exception as exc:  # noqa: BLE001
                verdict = Verdict()
                verdict.fail(f"hier_config raised {exc!r}"[:120])
            else:
                verdict = judge(case, rem, rb, it, prefixes, tests.meaning, idcgen_after)
                try:
                    verdict.future_ok = not _review_problems(case, future)
                except Exception:  # noqa: BLE001
                    verdict.future_ok = False
            row[variant] = verdict
        row["ms_review"] = median_ms(
            lambda c=case: review_text(c.site, c.running, "r.cfg", c.vendor), args.runs)
        row["ms_idcgen_text"] = median_ms(
            lambda c=case, r=result.remediation: idcgen_text_work(c, r), args.runs)
        for variant in MODES:
            try:
                row[f"ms_hc_{variant}"] = median_ms(
                    lambda c=case, t=it, p=prefixes, m=variant, a=idcgen_after: hc_plan(
                        hc, c, t, p, mode=m, target_text=a),
                    args.runs)
            except Exception:  # noqa: BLE001
                row[f"ms_hc_{variant}"] = float("nan")
        rows.append(row)
        if args.show == label:
            for name in ("idcgen", *MODES):
                print(f"==== {label} {name}: remediation")
                print("\n".join(row[name].remediation))
                print(f"==== {label} {name}: rollback")
                print("\n".join(row[name].rollback))

    imports = import_times()
    print_table(rows, version("hier-config"), imports, markdown=args.markdown)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "hier_config": version("hier-config"), "imports": imports,
            "rows": [{k: (vars(v) if isinstance(v, Verdict) else v) for k, v in r.items()}
                     for r in rows]}, indent=2, default=str))
    return 0


def _mark(v: Verdict) -> str:
    return "ok" if v.ok else "FAIL"


def print_table(rows: list[dict], hc_version: str, imports: dict, *, markdown: bool) -> None:
    head = ["case", "idcgen", *[f"hc {m}" for m in MODES], "future() " + "/".join(MODES),
            "lines lost " + "/".join(MODES), "ms review", "ms idcgen text",
            *[f"ms hc {m}" for m in MODES]]
    body = []
    for r in rows:
        fut = "/".join("-" if r[m].future_ok is None else ("ok" if r[m].future_ok else "no")
                       for m in MODES)
        body.append([r["case"], _mark(r["idcgen"]), *[_mark(r[m]) for m in MODES], fut,
                     "/".join(str(r[m].kept_lines_lost) for m in MODES),
                     f"{r['ms_review']:.2f}", f"{r['ms_idcgen_text']:.3f}",
                     *[f"{r[f'ms_hc_{m}']:.2f}" for m in MODES]])
    body.append(["passed", *[str(sum(r[m].ok for r in rows)) + f"/{len(rows)}"
                             for m in ("idcgen", *MODES)], "", "",
                 *[f"{sum(r[k] for r in rows):.2f}" for k in (
                     "ms_review", "ms_idcgen_text", *[f"ms_hc_{m}" for m in MODES])]])
    print(f"hier_config {hc_version} vs idcgen review (judged by idcgen's simulator, "
          "review, parsers); last row: cases passed, sums of the medians\n")
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for b in body:
            print("| " + " | ".join(b) + " |")
    else:
        widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
        for b in [head, *body]:
            print("  ".join(x.ljust(w) for x, w in zip(b, widths, strict=True)))
    print("\nfailure reasons:")
    for r in rows:
        for variant in ("idcgen", *MODES):
            for reason in r[variant].reasons:
                print(f"- {r['case']} [{variant}]: {reason}")
    print("\nimport hier_config: -X importtime cumulative "
          f"{imports['importtime_cumulative_ms']:.0f} ms; wall alone +"
          f"{imports['wall_alone_ms']:.0f} ms; on top of idcgen review's imports +"
          f"{imports['wall_on_top_of_idcgen_review_ms']:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
