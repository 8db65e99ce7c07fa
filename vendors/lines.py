"""Split a config into numbered lines and an indentation tree (Cisco IOS, Huawei VRP).

Kept deliberately plain: one pass, no regex, so it costs about what read+split costs.
Vendor parsers walk `Block`s and match their children against tables of compiled
patterns.

`BlockReader` hands out one top-level block at a time, as soon as its subtree is
complete, so a parser that handles sections one by one never holds the whole tree (a
500k-line config's tree is ~100 MB); it also reads the text in slices rather than
splitting it into one list of every line. `indentation_tree` is the same as one list.

Limits (vendors/parsing.py): a line longer than `MAX_LINE` stops the reading with
`ReadLimit`; a line indented deeper than `MAX_DEPTH` levels below its section head is
read as a child of the block at that depth (no device nests so deep; the tree, and every
walk over it, stays bounded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from .parsing import MAX_DEPTH, MAX_LINE, ReadLimit

# characters per slice of text split at a time (cut after a newline)
_SLICE = 1 << 20


@dataclass(slots=True)
class Block:
    """A config line (`text` stripped of indentation and trailing space) and its children."""

    line: int  # 1-based line number in the file
    indent: int
    text: str
    children: list[Block] = field(default_factory=list)

    def walk(self) -> Iterator[Block]:
        """Every descendant, depth first, in file order (iterative: no recursion)."""
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                yield child
                if child.children:
                    stack.append(iter(child.children))
                break
            else:
                stack.pop()


def split_lines(text: str) -> Iterator[str]:
    """`text.splitlines()`, one slice of the text at a time (never a list of every line).

    Slices end just after a `\n`, so no line and no `\r\n` pair is cut in two. A line
    longer than `MAX_LINE` raises `ReadLimit` (checked per slice, at C speed).
    """
    return chain.from_iterable(map(_SliceSplitter(), _slices(text)))


class _SliceSplitter:
    """`str.splitlines` of successive slices, counting lines to locate a too-long one."""

    def __init__(self) -> None:
        self.lines_before = 0

    def __call__(self, piece: str) -> list[str]:
        lines = piece.splitlines()
        if len(piece) > MAX_LINE and max(map(len, lines)) > MAX_LINE:
            index = next(i for i, line in enumerate(lines) if len(line) > MAX_LINE)
            raise ReadLimit(self.lines_before + index + 1,
                            f"line longer than {MAX_LINE:,} characters (the reading limit)")
        self.lines_before += len(lines)
        return lines


def _slices(text: str) -> Iterator[str]:
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start + _SLICE) + 1 or size
        yield text[start:end]
        start = end


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line without trailing whitespace) for every line, blank ones included."""
    for number, raw in enumerate(split_lines(text), start=1):
        yield number, raw.rstrip()


class BlockReader:
    """Top-level blocks of a config, each yielded once its last child has been read.

    A line indented deeper than the previous one is its child. Lines that are empty or
    whose stripped text starts with one of `skip` (comment or separator markers such as
    `!` or `#`) are dropped; they never carry children. Tabs count as one column each,
    like IOS prints them.

    `wanted(text)` (optional) says whether a top-level line heads a section the caller
    reads: the lines under one it does not want are stepped over without building
    blocks, and it is yielded without children. `nested` tells whether any line so far
    was a child (wanted or not), which is how a config printed without indentation is
    told apart.
    """

    def __init__(self, text: str, *, skip: tuple[str, ...] = ("!",),
                 wanted: Callable[[str], bool] | None = None) -> None:
        self.text = text
        self.skip = skip
        self.wanted = wanted
        self.nested = False

    def __iter__(self) -> Iterator[Block]:
        skip, wanted = self.skip, self.wanted
        root: Block | None = None
        root_indent = -1  # no section open yet: any line starts one
        stack: list[Block] = []  # the open blocks, root first
        keep_children = True
        nested = self.nested
        # per line, in locals rather than attributes (a 500k-line config): `root_indent`,
        # `nested`, and the children list given to Block (its default_factory costs more)
        for number, raw in enumerate(split_lines(self.text), start=1):
            body = raw.lstrip()
            if not body:
                continue
            text = body.rstrip()
            if text.startswith(skip):
                continue
            indent = len(raw) - len(body)
            if indent > root_indent >= 0:  # inside the current section
                if not nested:
                    nested = self.nested = True
                if not keep_children:
                    continue
                block = Block(number, indent, text, [])
                while stack[-1].indent >= indent:
                    stack.pop()
                stack[-1].children.append(block)
                if len(stack) <= MAX_DEPTH:  # deeper: siblings at the deepest level
                    stack.append(block)
                continue
            if root is not None:
                yield root
            root = Block(number, indent, text, [])
            root_indent = indent
            stack = [root]
            keep_children = wanted is None or wanted(text)
        if root is not None:
            yield root


def indentation_tree(text: str, *, skip: tuple[str, ...] = ("!",)) -> list[Block]:
    """Top-level blocks (see `BlockReader`), all in one list."""
    return list(BlockReader(text, skip=skip))
