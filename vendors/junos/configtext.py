"""Review's config-text view of a Junos config: `set` lines, and how to undo them.

Both forms are read by the one Junos statement reader (`statements.py`, the parser's), so
review and lint cannot disagree on what a config holds. Statements print back as `set`
lines with words quoted where Junos quotes them. Rollback rules:

- a new named container (a unit, a static route, a filter term, a prefix-list...) is
  deleted whole;
- a single-valued statement (description, preference...) is restored to its running
  value, or deleted without its value when it had none;
- a next hop added to an existing route is deleted alone (`delete ... next-hop X`);
- an `insert ... before term` is undone by moving the term back to where it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from idcgen.vendors.base import ConfigText
from idcgen.vendors.junos.statements import statements
from idcgen.vendors.sections import dedupe

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import Device, StaticRoute
    from idcgen.vendors.base import VendorDriver

_NEEDS_QUOTES = re.compile(r'[\s;{}\[\]"#]')


def _quote(word: str) -> str:
    if word and not _NEEDS_QUOTES.search(word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_lines(text: str) -> list[tuple[int, str]]:
    """(line number, `set ...`) of every active statement of a Junos config in either form
    (`delete` / `deactivate` lines already applied)."""
    return [(line, "set " + " ".join(_quote(w) for w in words))
            for words, line, _ in statements(text)]


def _under(line: str, path: str) -> bool:
    """Is set-line `line` the statement `path` or inside it (token boundary)?"""
    return line == path or line.startswith(path + " ")


# Statements that hold one value: undone by restoring the old value or deleting the
# statement without its value.
_SINGLE = ("description", "preference", "metric", "tag", "vlan-id", "mtu", "mss",
           "input", "output")
# Named containers: when one is new, the rollback deletes it whole.
_CONTAINERS = (
    re.compile(r"^set interfaces \S+ unit \d+"),
    re.compile(r"^set routing-options static route \S+"),
    re.compile(r"^set firewall family inet filter \S+ term \S+"),
    re.compile(r"^set firewall family inet filter \S+"),
    re.compile(r"^set firewall policer \S+"),
    re.compile(r"^set policy-options prefix-list \S+"),
    re.compile(r"^set policy-options policy-statement \S+"),
    re.compile(r"^set security ike (?:proposal|policy|gateway) \S+"),
    re.compile(r"^set security ipsec (?:proposal|policy|vpn) \S+"),
    re.compile(r"^set interfaces st0 unit \d+"),
)
_HOP = re.compile(r"^(set routing-options static route \S+ (?:qualified-)?next-hop \S+)")
_INSERT = re.compile(
    r"^insert (firewall family inet filter \S+) term (\S+) (before|after) term (\S+)$")
# what of a rendered config is its IPsec part
_IPSEC_PREFIXES = ("set security ike ", "set security ipsec ", "set interfaces st0 ",
                   "set security flow tcp-mss ipsec-vpn")


def _container(line: str, existing: list[str]) -> str | None:
    """The outermost named container of `line` that the device does not have."""
    best: str | None = None
    for pattern in _CONTAINERS:
        match = pattern.match(line)
        if match and not any(_under(e, match.group(0)) for e in existing) and (
                best is None or len(match.group(0)) < len(best)):
            best = match.group(0)
    return best


def filter_terms(running: list[str], filter_path: str) -> list[str]:
    """Term names of a Junos filter in evaluation order."""
    prefix = f"set {filter_path} term "
    terms: list[str] = []
    for line in running:
        if line.startswith(prefix):
            name = line[len(prefix):].split()[0]
            if name not in terms:
                terms.append(name)
    return terms


def _insert_undo(line: str, running: list[str]) -> list[str]:
    """Move a term back to where it was (nothing if it is new: its deletion undoes it)."""
    match = _INSERT.match(line)
    if not match:
        return []
    filter_path, term, _, _ = match.groups()
    terms = filter_terms(running, filter_path)
    if term not in terms:
        return []
    i = terms.index(term)
    if i > 0:
        return [f"insert {filter_path} term {term} after term {terms[i - 1]}"]
    if len(terms) > 1:
        return [f"insert {filter_path} term {term} before term {terms[1]}"]
    return []


def invert(lines: list[str], running: list[str]) -> list[str]:
    """Undo `set` / `insert` / `delete` lines against the running set lines, in reverse."""
    out: list[str] = []
    deleted: set[str] = set()
    for line in reversed(lines):
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("insert "):
            out += _insert_undo(line, running)
            continue
        if line.startswith("delete "):
            path = "set " + line[len("delete "):]
            out += [s for s in running if _under(s, path)]
            continue
        if not line.startswith("set ") or line in running:
            continue
        hop = _HOP.match(line)
        if hop and _container(line, running) is None:
            out.append("delete " + hop.group(1)[len("set "):])
            continue
        container = _container(line, running)
        if container is not None:
            if container not in deleted:
                deleted.add(container)
                out.append("delete " + container[len("set "):])
            continue
        words = line.split()
        for i, word in enumerate(words):
            if word in _SINGLE and i + 1 < len(words):
                path = " ".join(words[: i + 1])
                old = [s for s in running if _under(s, path)]
                out += old if old else ["delete " + path[len("set "):]]
                break
        else:
            out.append("delete " + line[len("set "):])
    return dedupe(out)


def apply(text: str, commands: list[str]) -> str:
    """The config after `commands` were entered, as `set` lines (simulation)."""
    lines = [s for _, s in set_lines(text)]
    for command in commands:
        command = command.strip()
        if command.startswith("set "):
            if command in lines:
                continue
            words = command.split()
            for i, word in enumerate(words):
                if word in _SINGLE and i + 1 < len(words) and i >= 2:
                    path = " ".join(words[: i + 1])
                    lines = [s for s in lines if not _under(s, path)]
                    break
            lines.append(command)
        elif command.startswith("delete "):
            path = "set " + command[len("delete "):]
            lines = [s for s in lines if not _under(s, path)]
        elif command.startswith("insert "):
            lines = _apply_insert(lines, command)
    return "\n".join(lines) + "\n"


def _apply_insert(lines: list[str], command: str) -> list[str]:
    match = _INSERT.match(command)
    if not match:
        return lines
    filter_path, term, where, other = match.groups()
    moving_prefix = f"set {filter_path} term {term} "
    moving = [s for s in lines if s.startswith(moving_prefix)]
    rest = [s for s in lines if not s.startswith(moving_prefix)]
    other_prefix = f"set {filter_path} term {other} "
    idx = [i for i, s in enumerate(rest) if s.startswith(other_prefix)]
    if not idx:
        return lines
    at = idx[0] if where == "before" else idx[-1] + 1
    return rest[:at] + moving + rest[at:]


class JunosConfigText(ConfigText):
    """Review's view of a running Junos config (either form) as `set` lines."""

    def __init__(self, driver: VendorDriver, text: str):
        self.driver = driver
        self.running = [s for _, s in set_lines(text)]

    def without_existing(self, lines: list[str]) -> list[str]:
        """Drop `set` lines the device has, unless an earlier line deletes them."""
        out: list[str] = []
        deleted: list[str] = []
        running = set(self.running)
        for ln in lines:
            if ln.startswith("#"):
                continue
            if ln.startswith("delete "):
                deleted.append("set " + ln[len("delete "):])
            elif ln in running and not any(_under(ln, d) for d in deleted):
                continue
            out.append(ln)
        return out

    def paste_ready(self, lines: list[str]) -> list[str]:
        return lines  # `set` lines need no context closing

    def rollback(self, remediation: list[str]) -> list[str]:
        return invert(remediation, self.running) if remediation else []

    def route_removal(self, route: StaticRoute, *, replacing: bool,
                      prefix_kept: bool) -> list[str]:
        """Delete this next hop; the whole route when it is the last one (a static route
        without a next hop does not commit) or when it is re-added right after."""
        prefix = f"set routing-options static route {route.prefix} "
        mine = [s for s in self.running if s.startswith(prefix)]
        hop = str(route.next_hop or route.interface)
        hops = [s for s in mine if s.split()[5:6] in (["next-hop"], ["qualified-next-hop"])]
        others = [s for s in hops if s.split()[6:7] != [hop]]
        if replacing or (not others and not prefix_kept):
            return [f"delete routing-options static route {route.prefix}"]
        kind = next((s.split()[5] for s in hops if s.split()[6:7] == [hop]), "next-hop")
        return [f"delete routing-options static route {route.prefix} {kind} {hop}"]

    def bgp_session_lines(self, address: object) -> tuple[frozenset[str], frozenset[str],
                                                           tuple[str, ...]]:
        # commit is atomic: no session is held down; the key is `authentication-key`
        return frozenset(), frozenset(), (f"neighbor {address} authentication-key ",)

    def bgp_objects(self, intended_text: str) -> list[str]:
        """The rendered BGP lines; on an SRX also the zone lines of the VBR-facing
        interfaces (BGP, BFD and the probes' ping), in the zone the running config already
        puts the interface in (an interface belongs to one zone)."""
        intended = [s for _, s in set_lines(intended_text)]
        # set security zones security-zone ZONE interfaces UNIT host-inbound-traffic ...
        bgp_units = {line.split()[6] for line in intended
                     if line.startswith("set security zones security-zone ")
                     and len(line.split()) > 7 and line.endswith(_BGP_ZONE_ENDINGS)}
        out: list[str] = []
        for line in intended:
            if line.startswith(_BGP_PREFIXES):
                out.append(line)
                continue
            w = line.split()
            if (line.startswith("set security zones security-zone ") and len(w) > 7
                    and w[5] == "interfaces" and w[6] in bgp_units
                    and line.endswith((*_BGP_ZONE_ENDINGS, "system-services ping"))):
                zone = self._zone_of(w[6]) or w[4]
                out.append(" ".join([*w[:4], zone, *w[5:]]))
        return out

    def _zone_of(self, unit: str) -> str | None:
        """The security zone the running config puts interface unit `unit` in."""
        for line in self.running:
            w = line.split()
            if (line.startswith("set security zones security-zone ") and len(w) > 6
                    and w[5] == "interfaces" and w[6] == unit):
                return w[4]
        return None

    def ipsec_objects(self, intended_text: str, intended: Device) -> list[str]:
        return [s for _, s in set_lines(intended_text)
                if s.startswith(_IPSEC_PREFIXES)
                or (s.startswith("set security zones ")
                    and (" st0." in s or s.endswith("system-services ike")))]


_BGP_ZONE_ENDINGS = ("host-inbound-traffic protocols bgp", "host-inbound-traffic protocols bfd")
# rendered BGP (templates/junos/bgp.j2): the local AS, the policies, the VBR group, the
# forwarding-table load-balance export of ECMP
_BGP_PREFIXES = ("set routing-options autonomous-system ", "set policy-options policy-statement ",
                 "set protocols bgp ", "set routing-options forwarding-table export ")

__all__ = ["JunosConfigText", "apply", "filter_terms", "invert", "set_lines"]
