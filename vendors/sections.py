"""Review's config-text mechanism for indented CLIs (Cisco IOS, Huawei VRP and alike).

A running config is a list of top-level sections (a command and its indented
sub-commands). `SectionConfigText` answers review's questions against it — what already
exists, how remediation lines are pasted, how to undo them — and `apply` simulates what a
device does with pasted commands (review's round-trip tests rely on it).

Everything vendor-specific is a hook of the subclass a driver defines
(`vendors/cisco_ios/configtext.py`, `vendors/huawei_vrp/configtext.py`): the negation
word, the block closer, the static-route command, single-valued sub-commands, objects
that go by an id, ordered sub-commands. The rules of rollback:

- an object the running config does not have (a sub-interface, an ACL, a class-map) is
  removed whole, with the vendor's negation form;
- a statement inside an object that exists is negated, or, for a single-valued
  statement the device already sets (description, the primary address), restored to the
  running config's own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import TYPE_CHECKING, ClassVar

from idcgen.vendors.base import ConfigText
from idcgen.vendors.lines import indentation_tree

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import Device, StaticRoute
    from idcgen.vendors.base import VendorDriver

_ADDR = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


@dataclass
class Section:
    """A top-level command and its sub-commands, as text."""

    head: str
    children: list[str] = field(default_factory=list)
    line: int = 0


def group(lines: list[str], closers: tuple[str, ...] = ()) -> list[Section]:
    """Split remediation lines into sections (a line without indent starts one)."""
    out: list[Section] = []
    for line in lines:
        if not line.strip() or line.strip() in ("!", "#", *closers):
            continue
        if line.lstrip().startswith(("!", "#")):
            continue  # comment lines carry instructions, not configuration
        if line[:1].isspace() and out:
            out[-1].children.append(line)
        else:
            out.append(Section(line.strip()))
    return out


def child_blocks(children: list[str]) -> list[list[str]]:
    """Sub-commands with their own (deeper) sub-commands, one list each."""
    out: list[list[str]] = []
    for child in children:
        if child.startswith("  ") and out:
            out[-1].append(child)
        else:
            out.append([child])
    return out


def dedupe(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


class SectionConfigText(ConfigText):
    """Review's view of an indented running config; subclasses set the vendor hooks."""

    negate: ClassVar[str]  # "no " / "undo "
    closer: ClassVar[str]  # leaves a context: "exit" / "quit"
    separator: ClassVar[str]  # section separator in a printed config: "!" / "#"
    comment_marks: ClassVar[tuple[str, ...]]  # lines that are comments, not commands
    route_command: ClassVar[str]  # "ip route" / "ip route-static"
    route_pattern: ClassVar[re.Pattern[str]]  # groups: prefix, mask, rest
    # words after the next hop of a static route that do not identify it
    route_options: ClassVar[frozenset[str]] = frozenset(
        {"name", "tag", "preference", "description", "permanent", "track", "bfd",
         "distance"})
    # sub-commands that hold one value: a new one replaces the old, rollback restores it
    single_children: ClassVar[tuple[str, ...]]
    # sub-commands the device replaces in place when given again (apply)
    replaced_children: ClassVar[tuple[str, ...]]
    # contexts that always exist and are never removed (`control-plane`)
    permanent_contexts: ClassVar[tuple[str, ...]] = ()
    # top-level heads and interface sub-commands that make up rendered IPsec
    ipsec_heads: ClassVar[tuple[str, ...]] = ()
    ipsec_binds: ClassVar[tuple[str, ...]] = ()
    # sub-modes whose lines a remediation adds to or removes from in place (apply)
    merged_children: ClassVar[tuple[str, ...]] = ("address-family ", "ipv4-family ")
    # (first word, policy word) of the single-valued lines in those sub-modes
    submode_single: ClassVar[tuple[str, str] | None] = None
    # top-level heads and interface sub-commands that make up rendered BGP (routing bgp)
    bgp_heads: ClassVar[tuple[str, ...]] = ()
    bgp_binds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, driver: VendorDriver, text: str):
        self.driver = driver
        self.sections = self.parse_sections(text)

    # ------------------------------------------------------------------ reading
    @classmethod
    def parse_sections(cls, text: str) -> list[Section]:
        """Top-level blocks; children keep one level of indent relative to their parent
        (deeper levels keep theirs), so they print back as typed."""
        out = []
        for block in indentation_tree(text, skip=cls.comment_marks):
            children: list[str] = []
            for child in block.children:
                children.append(" " + child.text)
                children += ["  " + grandchild.text for grandchild in child.walk()]
            out.append(Section(block.text, children, block.line))
        return out

    @classmethod
    def group(cls, lines: list[str]) -> list[Section]:
        return group(lines, ("exit", "quit", cls.closer))

    # ------------------------------------------------------------------ vendor hooks
    def top_undo_special(self, head: str) -> str | None:
        """The negation of a top-level object whose `no`-form drops words (class-map)."""
        return None

    def child_undo_special(self, text: str) -> str | None:
        """The negation of a sub-command whose `no`-form drops words ("" = nothing)."""
        return None

    @classmethod
    def child_key(cls, text: str) -> str | None:
        """A sub-command that names one object by id (`rule 5 ...`): the id part."""
        return None

    @classmethod
    def same_object_special(cls, target: str, head: str) -> bool | None:
        """Vendor cases of "does `head` belong to the object `target` names"."""
        return None

    @classmethod
    def restored_head(cls, child: str, following: str | None) -> str:
        """A removed ordered sub-command put back at its place (Cisco `insert-before`)."""
        return child

    @classmethod
    def split_placement(cls, block: list[str]) -> tuple[list[str], str | None]:
        """An ordered sub-command's block as stored, and its placement hint (the class
        named by Cisco's `class X insert-before Y`)."""
        return block, None

    @classmethod
    def insert_index(cls, have: list[list[str]], text: str, hint: str | None) -> int | None:
        """Where an ordered sub-command lands among `have`; None = at the end."""
        return None

    # ------------------------------------------------------------------ route lines
    @classmethod
    def route_undo(cls, line: str) -> str:
        """The minimal negation of a static route line: prefix, mask, interface, next hop."""
        match = cls.route_pattern.match(line)
        if not match:
            return cls.negate + line
        prefix, mask, rest = match.groups()
        kept: list[str] = []
        for word in rest.split():
            if _ADDR.match(word):
                kept.append(word)
                break
            if word.isdigit() or word in cls.route_options:
                break
            kept.append(word)  # outgoing interface, e.g. Tunnel1 / GigabitEthernet0/0/1
        return f"{cls.negate}{cls.route_command} {prefix} {mask} {' '.join(kept)}".rstrip()

    @classmethod
    def _route_key(cls, line: str) -> tuple[str, ...] | None:
        """(prefix, interface / next hop...) of a route line or its negation; the mask
        may be dotted or a length."""
        text = line.split(None, 1)[1] if line.startswith(("no ", "undo ")) else line
        if not text.startswith(cls.route_command + " "):
            return None
        words = cls.route_undo(text).split()[1:]
        head = len(cls.route_command.split())
        try:
            prefix = IPv4Network(f"{words[head]}/{words[head + 1]}", strict=False)
        except (IndexError, ValueError):
            return tuple(words)
        return (str(prefix), *words[head + 2:])

    @classmethod
    def same_object(cls, target: str, head: str) -> bool:
        """Does the top-level `head` belong to the object the command names?"""
        if target.startswith(cls.route_command + " "):
            return cls._route_key(target) == cls._route_key(head)
        special = cls.same_object_special(target, head)
        if special is not None:
            return special
        return head == target or head.startswith(target + " ")

    # ------------------------------------------------------------------ ConfigText
    def without_existing(self, lines: list[str]) -> list[str]:
        """Drop what the device already has; an object an earlier remediation line
        removes does not count as present."""
        out: list[str] = []
        removed: list[str] = []
        by_head = {s.head: s for s in self.sections}
        for sec in self.group(lines):
            if sec.head.startswith(self.negate) and not sec.children:
                removed.append(sec.head.split(None, 1)[1])
            existing = by_head.get(sec.head)
            if existing is not None and any(self.same_object(r, sec.head) for r in removed):
                existing = None
            if existing is None:
                out += [sec.head, *sec.children]
                continue
            kids = child_blocks(sec.children)
            have = child_blocks(existing.children)
            new = [b for b in kids if b not in have and not self._is_noop(b, existing.children)]
            if new:
                out += [sec.head, *[ln for b in new for ln in b]]
        return out

    def _is_noop(self, block: list[str], have: list[str]) -> bool:
        """`no shutdown` on an interface that is not shut down changes nothing."""
        return block[0].strip() == f"{self.negate}shutdown" and " shutdown" not in have

    def paste_ready(self, lines: list[str]) -> list[str]:
        """Close each context block, so the lines paste in configuration mode as they are."""
        out: list[str] = []
        for sec in self.group(lines):
            out.append(sec.head)
            if sec.children:
                out += sec.children
                if sec.children[-1].startswith("  "):  # still in a sub-mode (class X)
                    out.append(" " + self.closer)
                out.append(self.closer)
        return out

    def route_removal(self, route: StaticRoute, *, replacing: bool,
                      prefix_kept: bool) -> list[str]:
        """The vendor's `route_removal` macro: without the next hop it would remove the
        prefix over every line."""
        from idcgen.generator.snippets import call_macro

        return call_macro(self.driver, "route_removal", route)

    def ipsec_objects(self, intended_text: str, intended: Device) -> list[str]:
        selector_acls = {t.selector_acl for t in intended.ipsec.tunnels if t.selector_acl}
        out: list[str] = []
        for sec in self.parse_sections(intended_text):
            words = sec.head.split()
            acl = (words[-1] if words[:1] == ["acl"] or sec.head.startswith("ip access-list")
                   else None)
            if sec.head.startswith(self.ipsec_heads) or (acl is not None
                                                         and acl in selector_acls):
                out += [sec.head, *sec.children]
            elif sec.head.startswith("interface "):
                binds = [c for c in sec.children if c.strip().startswith(self.ipsec_binds)]
                if binds:
                    out += [sec.head, *binds]
        return out

    def bgp_objects(self, intended_text: str) -> list[str]:
        out: list[str] = []
        for sec in self.parse_sections(intended_text):
            if sec.head.startswith(self.bgp_heads) or sec.head in self.bgp_heads:
                out += [sec.head, *sec.children]
            elif sec.head.startswith("interface ") and self.bgp_binds:
                binds = [c for c in sec.children if c.strip().startswith(self.bgp_binds)]
                if binds:
                    out += [sec.head, *binds]
        return out

    # ------------------------------------------------------------------ rollback
    def _top_undo(self, head: str) -> str:
        """Negate a whole top-level object or command."""
        if head.startswith(self.route_command + " "):
            return self.route_undo(head)
        special = self.top_undo_special(head)
        return special if special is not None else self.negate + head

    def _child_undo(self, child: str) -> str:
        text = child.strip()
        if text == f"{self.negate}shutdown":
            return ""
        if text.startswith("description "):
            return f" {self.negate}description"
        special = self.child_undo_special(text)
        if special is not None:
            return special
        key = self.child_key(text)
        if key is not None:  # an object by id is undone by its id alone
            return f" {self.negate}{key}"
        return " " + self.negate + text

    def rollback(self, remediation: list[str]) -> list[str]:
        """Undo remediation lines against the running sections, in reverse order."""
        if not remediation:
            return []
        running = self.sections
        by_head: dict[str, Section] = {}
        for section in running:
            by_head.setdefault(section.head, section)
        out: list[list[str]] = []
        for sec in self.group(remediation):
            head = sec.head
            if head.startswith(self.negate):
                original = self._find_negated(head)
                if original is not None:
                    out.append([original.head, *original.children])
                continue
            existing = by_head.get(head)
            if existing is None and not sec.children:
                out.append([self._top_undo(head)])
                continue
            is_interface = head.startswith("interface ")
            if existing is None and head not in self.permanent_contexts and not (
                    is_interface and self.driver.is_physical_port(head.split(None, 1)[1])):
                out.append([self._top_undo(head)])
                continue
            have = existing.children if existing else []
            undo = self._undo_children(sec.children, have)
            if undo:
                out.append([head, *undo])
        flat: list[str] = []
        for block in reversed(out):
            flat += block
            if len(block) > 1:
                flat.append(self.closer)
        return flat

    def _undo_children(self, children: list[str], have: list[str]) -> list[str]:
        undo: list[str] = []
        nested = self._undo_nested(children, have)
        for child in reversed(children):
            text = child.strip()
            if child.startswith("  "):
                continue  # below a sub-command: undone with its parent
            if child in nested:
                undo += nested[child]
                continue
            if " " + text in have:
                continue
            if text == f"{self.negate}shutdown":
                if " shutdown" in have:
                    undo.append(" shutdown")
                continue
            if text.startswith(self.negate):
                undo += self._restore_negated(text, have)
                continue
            single = next((p for p in self.single_children if text.startswith(p)), None)
            if single and not (single == "ip address " and text.endswith((" secondary", " sub"))):
                old = [c for c in have if c.strip().startswith(single)
                       and not c.strip().endswith((" secondary", " sub"))]
                if old:
                    undo.append(old[0])
                    continue
            key = self.child_key(text)
            if key is not None:  # a redefined id: put the running definition back
                old = [c for c in have if self.child_key(c) == key]
                if old:
                    undo.append(old[0])
                    continue
            negation = self._child_undo(child)
            if negation:
                undo.append(negation)
        return undo

    def _undo_nested(self, children: list[str], have: list[str]) -> dict[str, list[str]]:
        """A sub-mode the running config already has (Cisco `router bgp` / ` address-family
        ipv4`, Huawei `bgp` / ` ipv4-family unicast`) whose remediation adds deeper lines:
        re-enter it and negate those lines, newest first (removing the whole sub-mode
        would remove what the running config keeps in it)."""
        out: dict[str, list[str]] = {}
        for block in child_blocks(children):
            if len(block) < 2 or block[0] not in have:
                continue
            start = have.index(block[0])
            kept: list[str] = []
            for line in have[start + 1:]:
                if not line.startswith("  "):
                    break
                kept.append(line.strip())
            negations: list[str] = []
            for line in reversed(block[1:]):
                text = line.strip()
                if text in kept or text.startswith(self.negate):
                    continue
                key = self.submode_key(text)
                old = [k for k in kept if key is not None and self.submode_key(k) == key]
                # a single-valued line (one inbound policy) gets the running one back
                negations.append(f"  {old[0]}" if old else f"  {self.negate}{text}")
            out[block[0]] = [block[0], *negations, f" {self.closer}"] if negations else []
        return out

    def _find_negated(self, head: str) -> Section | None:
        """The running section a top-level negation removes."""
        target = head.split(None, 1)[1]
        return next((s for s in self.sections if self.same_object(target, s.head)), None)

    def _restore_negated(self, text: str, have: list[str]) -> list[str]:
        """The running sub-command (with its own sub-commands) a negation removed, put
        back at its place."""
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
                following = next((c for c in have[j:] if not c.startswith("  ")), None)
                block[0] = self.restored_head(child, following)
                out += block
        return out

    # ------------------------------------------------------------------ simulator
    @classmethod
    def apply(cls, text: str, commands: list[str]) -> str:
        """The running config `text` after `commands` were entered (simulation): a new
        primary address replaces the old one, an object by id is redefined in place."""
        running = cls.parse_sections(text)
        for sec in cls.group(commands):
            head = sec.head
            if head.startswith(cls.negate):
                target = head.split(None, 1)[1]
                running = [r for r in running if not cls.same_object(target, r.head)]
                continue
            if not sec.children and not head.startswith(("interface ", *cls.permanent_contexts)):
                if head.startswith(cls.route_command + " "):
                    running = [r for r in running if not cls.same_object(head, r.head)]
                if not any(r.head == head for r in running):
                    running.append(Section(head))
                continue
            existing = next((r for r in running if cls.same_object(head, r.head)
                             and cls._same_block(head, r.head)), None)
            if existing is None:
                existing = Section(head)
                running.append(existing)
            cls._apply_children(existing, sec.children)
        trailer = [r for r in running if r.head in ("end", "return")]
        running = [r for r in running if r.head not in ("end", "return")] + trailer
        out: list[str] = []
        for section in running:
            out.append(section.head)
            out += section.children
            out.append(cls.separator)
        return "\n".join(out) + "\n"

    @classmethod
    def submode_key(cls, text: str) -> str | None:
        """What a line in a merged sub-mode sets when the device keeps one value of it:
        `WHO ADDRESS POLICY-WORD NAME DIRECTION` (`submode_single`, e.g. a neighbor's
        inbound route-map): a new line with the same key replaces the old."""
        w = text.split()
        if cls.submode_single and len(w) == 5 and (w[0], w[2]) == cls.submode_single:
            return f"{w[0]} {w[1]} {w[2]} {w[4]}"
        return None

    @classmethod
    def _merge_submode(cls, block: list[str], lines: list[str]) -> None:
        """Lines entered in a sub-mode the section already has (an address family): a
        negation removes its line, anything else is added once, in order."""
        for line in lines:
            text = line.strip()
            if text.startswith(cls.negate):
                target = text.split(None, 1)[1]
                block[1:] = [b for b in block[1:] if not (b.strip() == target
                                                         or b.strip().startswith(target + " "))]
            elif all(b.strip() != text for b in block[1:]):
                key = cls.submode_key(text)
                if key is not None:  # replaces the line of the same key in place
                    for i, b in enumerate(block[1:], start=1):
                        if cls.submode_key(b.strip()) == key:
                            block[i] = "  " + text
                            break
                    else:
                        block.append("  " + text)
                else:
                    block.append("  " + text)

    @classmethod
    def _same_block(cls, head: str, running_head: str) -> bool:
        """A class-map head names its match type too: only the same head is the block."""
        return not head.startswith("class-map") or running_head == head

    @classmethod
    def _apply_children(cls, section: Section, children: list[str]) -> None:
        have = [[" " + b[0].strip(), *b[1:]] for b in child_blocks(section.children)]
        for block in [[" " + b[0].strip(), *b[1:]] for b in child_blocks(children)]:
            text = block[0].strip()
            if text == f"{cls.negate}shutdown":
                have = [b for b in have if b[0].strip() != "shutdown"]
                continue
            if text.startswith(cls.negate):
                target = text.split(None, 1)[1]
                target = cls.child_key(target) or target
                have = [b for b in have if not (b[0].strip() == target
                                                  or b[0].strip().startswith(target + " "))]
                continue
            same = next((b for b in have if b[0] == block[0]), None)
            if same is not None and len(block) > 1 and text.startswith(cls.merged_children):
                cls._merge_submode(same, block[1:])
                continue
            block, hint = cls.split_placement(block)
            text = block[0].strip()
            key: str | None = None
            if text.startswith("ip address ") and not text.endswith((" secondary", " sub")):
                have = [b for b in have if not (b[0].strip().startswith("ip address ")
                                                and not b[0].strip().endswith((" secondary",
                                                                               " sub")))]
            elif text.startswith(cls.replaced_children):
                key = next(p for p in cls.replaced_children if text.startswith(p))
            elif cls.child_key(text) is not None:
                key = f"{cls.child_key(text)} "  # an object by id is redefined in place
            elif text.startswith("class "):
                have = [b for b in have if b[0].strip() != text]
            if key is not None:
                have = [b for b in have if not b[0].strip().startswith(key)]
            if any(b == block for b in have):
                continue
            index = cls.insert_index(have, text, hint)
            if index is None:
                have.append(block)
            else:
                have.insert(index, block)
        section.children = [line for b in have for line in b]


def first_index(have: list[list[str]], wanted: str) -> int | None:
    """Index of the first block whose sub-command is `wanted`."""
    return next((i for i, b in enumerate(have) if b[0].strip() == wanted), None)


__all__ = ["Section", "SectionConfigText", "child_blocks", "dedupe", "first_index", "group"]
