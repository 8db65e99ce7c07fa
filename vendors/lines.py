"""Split a config into numbered lines and an indentation tree (Cisco IOS, Huawei VRP).

Kept deliberately plain: one pass, no regex, so it costs about what read+split costs.
Vendor parsers walk `Block`s and match their children against tables of compiled
patterns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class Block:
    """A config line (`text` stripped of indentation and trailing space) and its children."""

    line: int  # 1-based line number in the file
    indent: int
    text: str
    children: list[Block] = field(default_factory=list)

    def walk(self) -> Iterator[Block]:
        for child in self.children:
            yield child
            yield from child.walk()


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line without trailing whitespace) for every line, blank ones included."""
    for number, raw in enumerate(text.splitlines(), start=1):
        yield number, raw.rstrip()


def indentation_tree(text: str, *, skip: tuple[str, ...] = ("!",)) -> list[Block]:
    """Top-level blocks; a line indented deeper than the previous one is its child.

    Lines that are empty or whose stripped text starts with one of `skip` (comment or
    separator markers such as `!` or `#`) are dropped; they never carry children.
    Tabs count as one column each, like IOS prints them.
    """
    roots: list[Block] = []
    stack: list[Block] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(skip):
            continue
        indent = len(raw) - len(raw.lstrip())
        block = Block(number, indent, stripped)
        while stack and stack[-1].indent >= indent:
            stack.pop()
        if stack:
            stack[-1].children.append(block)
        else:
            roots.append(block)
        stack.append(block)
    return roots
