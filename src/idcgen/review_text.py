"""Config-text helpers for review: what exists on the device, and how to undo a change.

Remediation lines come from the render macros (idcgen.generator.snippets); rollback lines
must return the device to exactly its current state. They are derived here from the
remediation lines and the running config itself, so whatever the macros emit is undone:

- an object the running config does not have (a sub-interface, an ACL, a class-map, a
  Junos filter term) is removed whole, with the vendor's negation form;
- a statement inside an object that exists is negated, or, for a single-valued
  statement the device already sets (description, the primary address), restored to the
  running config's own line.

Junos hierarchical configs are flattened to `set` lines first, so one code path serves
both forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Network

from idcgen.vendors.lines import indentation_tree

# --------------------------------------------------------------------------- Junos


def junos_set_lines(text: str) -> list[tuple[int, str]]:
    """(line number, `set ...`) for a Junos config in either form.

    Set-form lines are kept (`deactivate`/`delete` lines are applied: a deleted statement
    is dropped). Hierarchical text is flattened by a small brace walker that understands
    `inactive:`/`protect:` prefixes, `[ a b ]` lists, quotes and `#`/`##`/`/* */` comments.
    """
    stripped = [ln.strip() for ln in text.splitlines()]
    if any(s.startswith("set ") for s in stripped) and not any(s.endswith("{") for s in stripped):
        return _apply_set_form(stripped)
    return _flatten(text)


def _apply_set_form(lines: list[str]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("set "):
            out.append((number, line))
        elif line.startswith("delete "):
            path = "set " + line[len("delete "):]
            out = [(n, s) for n, s in out if not _under(s, path)]
    return out


def _under(line: str, path: str) -> bool:
    """Is set-line `line` the statement `path` or inside it (token boundary)?"""
    return line == path or line.startswith(path + " ")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{};\[\]]|[^\s{};\[\]"]+')


def _flatten(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    stack: list[list[str]] = []
    current: list[str] = []
    current_line = 0
    in_list = False
    list_items: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"/\*.*?\*/", "", raw)
        if line.lstrip().startswith("#"):
            continue
        line = line.split(" ## ")[0] if " ## " in line else line
        for token in _TOKEN.findall(line):
            if token.startswith("#"):
                break
            if not current:
                current_line = number
            if in_list:
                if token == "]":
                    in_list = False
                    for item in list_items:
                        out.append((current_line, _set(stack, [*current, item])))
                    list_items = []
                else:
                    list_items.append(token)
                continue
            if token == "[":
                in_list = True
            elif token == "{":
                stack.append([t for t in current if t not in ("inactive:", "protect:")])
                current = []
            elif token == "}":
                if stack:
                    stack.pop()
                current = []
            elif token == ";":
                if current:
                    out.append((current_line, _set(stack, current)))
                current = []
            else:
                current.append(token)
    return out


def _set(stack: list[list[str]], tail: list[str]) -> str:
    words = [w for part in stack for w in part] + [t for t in tail
                                                   if t not in ("inactive:", "protect:")]
    return "set " + " ".join(words)


# Junos statements that hold one value: undone by restoring the old value or deleting the
# statement without its value.
_JUNOS_SINGLE = ("description", "preference", "metric", "tag", "vlan-id", "mtu", "mss",
                 "input", "output")
# Named containers: when one is new, the rollback deletes it whole.
_JUNOS_CONTAINERS = (
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


def _junos_container(line: str, existing: list[str]) -> str | None:
    """The outermost named container of `line` that the device does not have."""
    best: str | None = None
    for pattern in _JUNOS_CONTAINERS:
        match = pattern.match(line)
        if match and not any(_under(e, match.group(0)) for e in existing) and (
                best is None or len(match.group(0)) < len(best)):
            best = match.group(0)
    return best


_JUNOS_HOP = re.compile(r"^(set routing-options static route \S+ (?:qualified-)?next-hop \S+)")
_JUNOS_INSERT = re.compile(
    r"^insert (firewall family inet filter \S+) term (\S+) (?:before|after) term (\S+)$")


def junos_terms(running: list[str], filter_path: str) -> list[str]:
    """Term names of a Junos filter in evaluation order."""
    prefix = f"set {filter_path} term "
    terms: list[str] = []
    for line in running:
        if line.startswith(prefix):
            name = line[len(prefix):].split()[0]
            if name not in terms:
                terms.append(name)
    return terms


def _junos_insert_undo(line: str, running: list[str]) -> list[str]:
    """Move a term back to where it was (nothing if it is new: its deletion undoes it)."""
    match = _JUNOS_INSERT.match(line)
    if not match:
        return []
    filter_path, term, _ = match.groups()
    terms = junos_terms(running, filter_path)
    if term not in terms:
        return []
    i = terms.index(term)
    if i > 0:
        return [f"insert {filter_path} term {term} after term {terms[i - 1]}"]
    if len(terms) > 1:
        return [f"insert {filter_path} term {term} before term {terms[1]}"]
    return []


def junos_invert(lines: list[str], running: list[str]) -> list[str]:
    """Undo `set`/`insert` lines against the running set lines, in reverse order."""
    out: list[str] = []
    deleted: set[str] = set()
    for line in reversed(lines):
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("insert "):
            out += _junos_insert_undo(line, running)
            continue
        if line.startswith("delete "):
            path = "set " + line[len("delete "):]
            out += [s for s in running if _under(s, path)]
            continue
        if not line.startswith("set ") or line in running:
            continue
        hop = _JUNOS_HOP.match(line)
        if hop and _junos_container(line, running) is None:
            out.append("delete " + hop.group(1)[len("set "):])
            continue
        container = _junos_container(line, running)
        if container is not None:
            if container not in deleted:
                deleted.add(container)
                out.append("delete " + container[len("set "):])
            continue
        words = line.split()
        for i, word in enumerate(words):
            if word in _JUNOS_SINGLE and i + 1 < len(words):
                path = " ".join(words[: i + 1])
                old = [s for s in running if _under(s, path)]
                out += old if old else ["delete " + path[len("set "):]]
                break
        else:
            out.append("delete " + line[len("set "):])
    return _dedupe(out)


# --------------------------------------------------------------------------- Cisco / Huawei


@dataclass
class Section:
    """A top-level command and its sub-commands (Cisco/Huawei), as text."""

    head: str
    children: list[str] = field(default_factory=list)
    line: int = 0


def sections(text: str, vendor: str) -> list[Section]:
    """Top-level blocks of a Cisco/Huawei config; children keep one level of indent
    relative to their parent (deeper levels keep theirs), so they print back as typed."""
    skip = ("!",) if vendor == "cisco_ios" else ("#", "!")
    out = []
    for block in indentation_tree(text, skip=skip):
        children: list[str] = []
        for child in block.children:
            children.append(" " + child.text)
            children += ["  " + grandchild.text for grandchild in child.walk()]
        out.append(Section(block.text, children, block.line))
    return out


def group(lines: list[str]) -> list[Section]:
    """Split remediation lines into sections (a line without indent starts one)."""
    out: list[Section] = []
    for line in lines:
        if not line.strip() or line.strip() in ("!", "#", "exit", "quit"):
            continue
        if line.lstrip().startswith(("!", "#")):
            continue  # comment lines carry instructions, not configuration
        if line[:1].isspace() and out:
            out[-1].children.append(line)
        else:
            out.append(Section(line.strip()))
    return out


_NEGATE = {"cisco_ios": "no ", "huawei_vrp": "undo "}

_ROUTE_CISCO = re.compile(r"^ip route (?:vrf \S+ )?(\S+) (\S+) (.*)$")
_ROUTE_HUAWEI = re.compile(r"^ip route-static (?:vpn-instance \S+ )?(\S+) (\S+) (.*)$")
_ADDR = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def _route_undo(vendor: str, line: str) -> str:
    """The minimal negation of a static route: prefix, mask, interface, next hop."""
    match = (_ROUTE_CISCO if vendor == "cisco_ios" else _ROUTE_HUAWEI).match(line)
    if not match:
        return _NEGATE[vendor] + line
    prefix, mask, rest = match.groups()
    words = rest.split()
    kept: list[str] = []
    for word in words:
        if _ADDR.match(word):
            kept.append(word)
            break
        if word.isdigit() or word in ("name", "tag", "preference", "description", "permanent",
                                      "track", "bfd"):
            break
        kept.append(word)  # outgoing interface, e.g. Tunnel1 / GigabitEthernet0/0/1
    head = "ip route" if vendor == "cisco_ios" else "ip route-static"
    return f"{_NEGATE[vendor]}{head} {prefix} {mask} {' '.join(kept)}".rstrip()


def _top_undo(vendor: str, head: str) -> str:
    """Negate a whole top-level object or command."""
    if head.startswith(("ip route ", "ip route-static ")):
        return _route_undo(vendor, head)
    if vendor == "cisco_ios":
        if head.startswith("class-map "):
            return "no class-map " + head.split()[-1]
        if head.startswith("crypto ipsec transform-set "):
            return "no " + " ".join(head.split()[:4])
        if head.startswith("crypto map ") and len(head.split()) >= 4:
            return "no " + " ".join(head.split()[:4])
    if vendor == "huawei_vrp" and head.startswith("cpu-defend-policy "):
        return "undo " + head
    return _NEGATE[vendor] + head


_SINGLE_CISCO = ("description ", "encapsulation dot1Q ", "ip address ")
_SINGLE_HUAWEI = ("description ", "dot1q termination vid ", "ip address ")


def _child_undo(vendor: str, child: str) -> str:
    text = child.strip()
    neg = _NEGATE[vendor]
    if text in ("no shutdown", "undo shutdown"):
        return ""
    if text.startswith("description "):
        return f" {neg}description"
    if vendor == "cisco_ios":
        if text.startswith("class "):
            return " no class " + text.split()[1]
        if text.startswith("encapsulation dot1Q"):
            return " no encapsulation dot1Q"
    if vendor == "huawei_vrp":
        if text.startswith("rule ") and text.split()[1].isdigit():
            return " undo rule " + text.split()[1]
        keyed = _huawei_keyed(text)
        if keyed is not None:  # cpu-defend: the flow / its CAR go by flow id alone
            return " undo " + keyed
        if text == "arp broadcast enable":
            return " undo arp broadcast enable"
    return " " + neg + text


# Huawei cpu-defend sub-commands that name one object by id: `user-defined-flow ID acl X`
# and `car user-defined-flow ID cir C` are undone (and redefined) by `... ID` alone.
_HUAWEI_KEYED = re.compile(r"^((?:car )?user-defined-flow \d+)(?: .*)?$")


def _huawei_keyed(text: str) -> str | None:
    """`car user-defined-flow 1 cir 64` -> `car user-defined-flow 1`; None otherwise."""
    match = _HUAWEI_KEYED.match(text.strip())
    return match.group(1) if match else None


def _is_physical(vendor: str, name: str) -> bool:
    """A physical port cannot be deleted, only its statements undone."""
    return "." not in name and not name.lower().startswith(("tunnel", "loopback", "vlanif"))


def cisco_huawei_invert(vendor: str, lines: list[str], running: list[Section]) -> list[str]:
    """Undo remediation lines (Cisco/Huawei) against the running config's sections."""
    by_head: dict[str, Section] = {}
    for section in running:
        by_head.setdefault(section.head, section)
    out: list[list[str]] = []
    for sec in group(lines):
        head = sec.head
        if head.startswith(("no ", "undo ")):
            original = _find_negated(vendor, head, running)
            if original is not None:
                out.append([original.head, *original.children])
            continue
        existing = by_head.get(head)
        if existing is None and not sec.children:
            out.append([_top_undo(vendor, head)])
            continue
        is_interface = head.startswith("interface ")
        context_always = head in ("control-plane",)
        if existing is None and not context_always and not (
                is_interface and _is_physical(vendor, head.split(None, 1)[1])):
            out.append([_top_undo(vendor, head)])
            continue
        have = existing.children if existing else []
        undo: list[str] = []
        for child in reversed(sec.children):
            text = child.strip()
            if child.startswith("  "):
                continue  # below a sub-command: undone with its parent
            if " " + text in have:
                continue
            if text in ("no shutdown", "undo shutdown"):
                if " shutdown" in have:
                    undo.append(" shutdown")
                continue
            if text.startswith(("no ", "undo ")):
                undo += _restore_negated(vendor, text, have)
                continue
            singles = _SINGLE_CISCO if vendor == "cisco_ios" else _SINGLE_HUAWEI
            single = next((p for p in singles if text.startswith(p)), None)
            if single and not (single == "ip address " and text.endswith((" secondary", " sub"))):
                old = [c for c in have if c.strip().startswith(single)
                       and not c.strip().endswith((" secondary", " sub"))]
                if old:
                    undo.append(old[0])
                    continue
            keyed = _huawei_keyed(text) if vendor == "huawei_vrp" else None
            if keyed is not None:  # a redefined flow id: put the running definition back
                old = [c for c in have if _huawei_keyed(c) == keyed]
                if old:
                    undo.append(old[0])
                    continue
            negation = _child_undo(vendor, child)
            if negation:
                undo.append(negation)
        if undo:
            out.append([head, *undo])
    flat: list[str] = []
    for block in reversed(out):
        flat += block
        if len(block) > 1:
            flat.append("exit" if vendor == "cisco_ios" else "quit")
    return flat


def _find_negated(vendor: str, head: str, running: list[Section]) -> Section | None:
    """The running section a top-level `no X`/`undo X` removes."""
    target = head.split(None, 1)[1]
    return next((s for s in running if same_object(vendor, target, s.head)), None)


def _restore_negated(vendor: str, text: str, have: list[str]) -> list[str]:
    """The running sub-command (with its own sub-commands) that `no X` removed, put back
    at its place: a Cisco policy-map class goes back before the class that followed it."""
    target = text.split(None, 1)[1]
    out: list[str] = []
    for i, child in enumerate(have):
        if child.startswith("  "):
            continue
        if child.strip() == target or child.strip().startswith(target + " "):
            block = [child]
            j = i + 1
            while j < len(have) and have[j].startswith("  "):
                block.append(have[j])
                j += 1
            nxt = next((c for c in have[j:] if not c.startswith("  ")), None)
            if (vendor == "cisco_ios" and child.strip().startswith("class ") and nxt
                    and nxt.strip().startswith("class ") and nxt.strip() != "class class-default"):
                block[0] = f"{child} insert-before {nxt.split()[1]}"
            out += block
    return out


def _dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


# --------------------------------------------------------------------------- apply
# What the running config looks like after a list of commands: review's round-trip tests
# use it, and it documents the device semantics the remediation relies on (a new primary
# address replaces the old one on Cisco/Huawei, a `class X insert-before Y` lands above Y).


def apply_commands(vendor: str, text: str, commands: list[str]) -> str:
    """The running config `text` after `commands` were entered (simulation)."""
    if vendor == "junos":
        return junos_apply(text, commands)
    return cisco_huawei_apply(vendor, text, commands)


def junos_apply(text: str, commands: list[str]) -> str:
    lines = [s for _, s in junos_set_lines(text)]
    for command in commands:
        command = command.strip()
        if command.startswith("set "):
            if command in lines:
                continue
            words = command.split()
            for i, word in enumerate(words):
                if word in _JUNOS_SINGLE and i + 1 < len(words) and i >= 2:
                    path = " ".join(words[: i + 1])
                    lines = [s for s in lines if not _under(s, path)]
                    break
            lines.append(command)
        elif command.startswith("delete "):
            path = "set " + command[len("delete "):]
            lines = [s for s in lines if not _under(s, path)]
        elif command.startswith("insert "):
            lines = _junos_insert(lines, command)
    return "\n".join(lines) + "\n"


def _junos_insert(lines: list[str], command: str) -> list[str]:
    match = re.match(r"^insert (firewall family inet filter \S+) term (\S+) (before|after) "
                     r"term (\S+)$", command)
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


def _route_key(vendor: str, line: str) -> tuple | None:
    """(prefix, interface/next hop...) of a static route line or its negation; the mask
    may be dotted or a length (Huawei accepts both)."""
    text = line.split(None, 1)[1] if line.startswith(("no ", "undo ")) else line
    if not text.startswith("ip route"):
        return None
    words = _route_undo(vendor, text).split()[1:]
    head = 2  # after "ip route" / "ip route-static"
    try:
        prefix = IPv4Network(f"{words[head]}/{words[head + 1]}", strict=False)
    except (IndexError, ValueError):
        return tuple(words)
    return (str(prefix), *words[head + 2:])


def same_object(vendor: str, target: str, head: str) -> bool:
    """Does the top-level `head` belong to the object the command names?"""
    if target.startswith("ip route"):
        return _route_key(vendor, target) == _route_key(vendor, head)
    if target.startswith("class-map ") and head.startswith("class-map "):
        return target.split()[-1] == head.split()[-1]
    if target.startswith("cpu-defend-policy ") and head.startswith("cpu-defend-policy "):
        return True
    return head == target or head.startswith(target + " ")


_REPLACE_CHILD = ("description ", "encapsulation dot1Q ", "dot1q termination vid ",
                  "service-policy input ")


def cisco_huawei_apply(vendor: str, text: str, commands: list[str]) -> str:
    running = sections(text, vendor)
    for sec in group(commands):
        head = sec.head
        if head.startswith(("no ", "undo ")):
            target = head.split(None, 1)[1]
            running = [r for r in running if not same_object(vendor, target, r.head)]
            continue
        if not sec.children and not head.startswith(("interface ", "control-plane")):
            if head.startswith("ip route"):
                running = [r for r in running if not same_object(vendor, head, r.head)]
            if not any(r.head == head for r in running):
                running.append(Section(head))
            continue
        existing = next((r for r in running if same_object(vendor, head, r.head)
                         and (not head.startswith("class-map") or r.head == head)), None)
        if existing is None:
            existing = Section(head)
            running.append(existing)
        _apply_children(vendor, existing, sec.children)
    sep = "!" if vendor == "cisco_ios" else "#"
    trailer = [r for r in running if r.head in ("end", "return")]
    running = [r for r in running if r.head not in ("end", "return")] + trailer
    out: list[str] = []
    for section in running:
        out.append(section.head)
        out += section.children
        out.append(sep)
    return "\n".join(out) + "\n"


def _blocks(children: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for child in children:
        if child.startswith("  ") and out:
            out[-1].append(child)
        else:
            out.append([" " + child.strip()])
    return out


def _apply_children(vendor: str, section: Section, children: list[str]) -> None:
    have = _blocks(section.children)
    for block in _blocks(children):
        text = block[0].strip()
        if text in ("no shutdown", "undo shutdown"):
            have = [b for b in have if b[0].strip() != "shutdown"]
            continue
        if text.startswith(("no ", "undo ")):
            target = text.split(None, 1)[1]
            if vendor == "huawei_vrp" and target.startswith("rule "):
                target = " ".join(target.split()[:2])
            if vendor == "huawei_vrp":
                target = _huawei_keyed(target) or target
            have = [b for b in have if not (b[0].strip() == target
                                              or b[0].strip().startswith(target + " "))]
            continue
        before: str | None = None
        if vendor == "cisco_ios" and text.startswith("class ") and " insert-before " in text:
            text, before = text.split(" insert-before ")
            block = [" " + text, *block[1:]]
        key: str | None = None
        if text.startswith("ip address ") and not text.endswith((" secondary", " sub")):
            have = [b for b in have if not (b[0].strip().startswith("ip address ")
                                            and not b[0].strip().endswith((" secondary", " sub")))]
        elif text.startswith(_REPLACE_CHILD):
            key = next(p for p in _REPLACE_CHILD if text.startswith(p))
        elif vendor == "huawei_vrp" and text.startswith("rule "):
            key = " ".join(text.split()[:2]) + " "
        elif vendor == "huawei_vrp" and _huawei_keyed(text) is not None:
            key = f"{_huawei_keyed(text)} "  # a flow id is redefined in place
        elif text.startswith("class "):
            have = [b for b in have if b[0].strip() != text]
        if key is not None:
            have = [b for b in have if not b[0].strip().startswith(key)]
        if any(b == block for b in have):
            continue
        if before is not None:
            idx = next((i for i, b in enumerate(have) if b[0].strip() == f"class {before}"),
                       len(have))
            have.insert(idx, block)
        elif vendor == "cisco_ios" and text.startswith("class ") and text != "class class-default":
            idx = next((i for i, b in enumerate(have) if b[0].strip() == "class class-default"),
                       len(have))
            have.insert(idx, block)
        else:
            have.append(block)
    section.children = [line for b in have for line in b]
