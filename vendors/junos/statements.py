"""Turn a Junos config, hierarchical (`show configuration`) or flat (`display set`), into
one stream of statements: (path words, line, openers).

Both forms then go through the same interpretation table, so they cannot drift apart.
A hierarchical leaf `route 1.0.0.0/8 next-hop 2.2.2.2;` inside `routing-options { static {`
becomes ("routing-options", "static", "route", "1.0.0.0/8", "next-hop", "2.2.2.2"), exactly
what `set routing-options static route 1.0.0.0/8 next-hop 2.2.2.2` gives.

`openers` keeps where each enclosing block was opened: a tuple of (end index, line) from the
outermost block inwards, meaning "words[:end] were opened at that line". `line_at` uses it
so an object gets the line of its own block (`unit 0 {`), not of its first leaf. It is None
for `set` lines, whose words all sit on the statement's line.

Inactive configuration (`inactive:` prefixes, `deactivate` lines) is dropped here; so are
comments (`#`, `## SECRET-DATA`, `/* */`).

Limits (vendors/parsing.py): blocks nested deeper than `MAX_DEPTH`, a statement or
`[ ]` list of more than `MAX_STATEMENT_WORDS` words, and a line longer than `MAX_LINE`
stop the reading with `ReadLimit` at that line. The reader is a loop over lines with an
explicit stack: no recursion, whatever the input. The common hierarchical line (`word word {`,
`word word;`, `}`) takes a fast path of str methods only; anything with quotes, brackets,
comments or several statements on a line goes through a small regex tokenizer.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from itertools import chain

from idcgen.vendors.lines import split_lines
from idcgen.vendors.parsing import MAX_DEPTH, MAX_STATEMENT_WORDS, ReadLimit

Stmt = tuple[tuple[str, ...], int, "tuple[tuple[int, int], ...] | None"]

# Anything the fast path cannot take: quotes, lists, comments, a brace/semicolon that is not
# the last character of the line.
_SPECIAL = re.compile(r'["#\[\]]|/\*|[;{}].')
# A line whose only special part is one plain quoted string at its end (a description):
# `set ... "text"` or `word ... "text";`.
_QUOTED_LEAF = re.compile(r'([^"#\[\]{};]*)"([^"\\]*)"(;?)')
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|/\*|#.*|[{};\[\]]|[^\s{};\[\]"]+')
_SET_VERBS = frozenset({"set", "deactivate", "activate", "delete", "protect", "unprotect",
                        "annotate", "insert", "rename", "edit", "top", "up", "exit"})
# statement prefixes that are not part of the path
_PREFIXES = frozenset({"inactive:", "protect:", "replace:", "active:", "unprotect:"})


def line_at(stmt: Stmt, index: int) -> int:
    """Line on which word `index` of a statement was written (its block's line)."""
    openers = stmt[2]
    if openers:
        for end, line in openers:
            if index < end:
                return line
    return stmt[1]


def _unquote(token: str) -> str:
    if token.startswith('"'):
        body = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
        return body.replace('\\"', '"').replace("\\\\", "\\")
    return token


def _expand(words: list[str], items: list[str] | None, pos: int) -> list[tuple[str, ...]]:
    """A statement with a `[ a b ]` list is one statement per list item."""
    if items is None:
        return [tuple(words)]
    if not items:
        return [tuple(words)]
    return [tuple(words[:pos] + [item] + words[pos:]) for item in items]


class _Reader:
    """State machine over one config; `run` returns active statements in file order."""

    def __init__(self) -> None:
        self.out: list[Stmt] = []
        # stack entries: [path, openers, active, has_children, line]
        root: list = [(), (), True, True, 0]
        self.stack: list[list] = [root]
        self.pending: list[str] = []
        self.pending_line = 0
        self.pending_inactive = False
        self.list_items: list[str] | None = None
        self.list_pos = 0
        self.in_list = False
        self.in_comment = False
        self.deactivated: set[tuple[str, ...]] = set()
        self.deleted: list[tuple[int, tuple[str, ...]]] = []

    # ------------------------------------------------------------------ hierarchical
    def _leaf(self, words: list[str], line: int, inactive: bool,
              items: list[str] | None = None, pos: int = 0) -> None:
        top = self.stack[-1]
        top[3] = True
        if inactive or not top[2] or not words:
            return
        base = top[0]
        openers = top[1] or None
        for expanded in _expand(words, items, pos):
            self.out.append((base + expanded, line, openers))

    def _open(self, words: list[str], line: int, inactive: bool) -> None:
        if len(self.stack) > MAX_DEPTH:
            raise ReadLimit(line, f"blocks nested deeper than {MAX_DEPTH} levels "
                                  "(the reading limit)")
        top = self.stack[-1]
        top[3] = True
        path = top[0] + tuple(words)
        if len(path) > MAX_STATEMENT_WORDS:
            raise ReadLimit(line, self._too_long)
        self.stack.append([path, top[1] + ((len(path), line),), top[2] and not inactive,
                           False, line])

    def _close(self) -> None:
        if len(self.stack) <= 1:
            return  # stray brace: ignore rather than fail
        block = self.stack.pop()
        if not block[3] and block[2] and block[0]:
            # an empty block is a statement of its own (`set ... unit 0` in flat form)
            parent = self.stack[-1]
            self.out.append((block[0], block[4], parent[1] or None))

    def _flush_pending(self) -> None:
        if self.pending or self.list_items is not None:
            self._leaf(self.pending, self.pending_line, self.pending_inactive,
                       self.list_items, self.list_pos)
        self._reset_pending()

    def _reset_pending(self) -> None:
        self.pending = []
        self.pending_inactive = False
        self.list_items = None
        self.in_list = False

    # ------------------------------------------------------------------ flat (set) form
    def _set_line(self, tokens: list[str], line: int) -> None:
        verb = tokens[0]
        words: list[str] = []
        items: list[str] | None = None
        pos = 0
        in_list = False
        for tok in tokens[1:]:
            if tok == "[":
                in_list, items, pos = True, [], len(words)
            elif tok == "]":
                in_list = False
            elif in_list and items is not None:
                items.append(tok)
            else:
                words.append(tok)
        if not words:
            return
        if verb == "set":
            for expanded in _expand(words, items, pos):
                self.out.append((expanded, line, None))
        elif verb == "deactivate":
            self.deactivated.add(tuple(words))
        elif verb == "activate":
            self.deactivated.discard(tuple(words))
        elif verb == "delete":
            self.deleted.append((len(self.out), tuple(words)))

    # ------------------------------------------------------------------ slow path
    def _tokens(self, text: str, line: int) -> list[str]:
        """Tokens of one line (quotes kept), honouring and updating /* */ state."""
        tokens: list[str] = []
        pos = 0
        n = len(text)
        while pos < n:
            if self.in_comment:
                end = text.find("*/", pos)
                if end < 0:
                    return tokens
                self.in_comment = False
                pos = end + 2
                continue
            m = _TOKEN.search(text, pos)
            if m is None:
                break
            tok = m.group()
            pos = m.end()
            if tok == "/*":
                self.in_comment = True
            elif tok.startswith("#"):
                break
            else:
                tokens.append(tok)
        return tokens

    def _slow(self, text: str, line: int) -> None:
        tokens = self._tokens(text, line)
        if not tokens:
            return
        first = tokens[0]
        if (len(self.stack) == 1 and not self.pending and not self.in_list
                and first in _SET_VERBS):
            self._set_line([_unquote(t) for t in tokens], line)
            return
        for tok in tokens:
            if tok == ";":
                self._flush_pending()
            elif tok == "{":
                words, line0, inactive = self.pending, self.pending_line, self.pending_inactive
                self._reset_pending()
                self._open(words, line0 or line, inactive)
            elif tok == "}":
                self._flush_pending()
                self._close()
            elif tok == "[":
                if not self.pending:
                    self.pending_line = line
                self.in_list, self.list_items, self.list_pos = True, [], len(self.pending)
            elif tok == "]":
                self.in_list = False
            elif self.in_list and self.list_items is not None:
                self.list_items.append(_unquote(tok))
                if len(self.list_items) > MAX_STATEMENT_WORDS:
                    raise ReadLimit(line, self._too_long)
            else:
                if len(self.pending) >= MAX_STATEMENT_WORDS:
                    raise ReadLimit(line, self._too_long)
                if not self.pending and self.list_items is None:
                    if tok in _PREFIXES:
                        if tok == "inactive:":
                            self.pending_inactive = True
                        self.pending_line = line
                        continue
                    if not self.pending_inactive:
                        self.pending_line = line
                self.pending.append(_unquote(tok))

    _too_long = (f"statement of more than {MAX_STATEMENT_WORDS:,} words "
                 "(the reading limit; a missing `;` or `]`?)")

    def _quoted_leaf(self, s: str, line: int) -> bool:
        """What `_slow` makes of a `_QUOTED_LEAF` line, without the tokenizer (a config
        has one per interface description). False, doing nothing, for other lines."""
        m = _QUOTED_LEAF.fullmatch(s)
        if m is None:
            return False
        head, quoted, semicolon = m.groups()
        if "/*" in head:
            return False
        words = (*head.split(), quoted)
        stack = self.stack
        if semicolon:  # `word ... "text";` inside a block
            if len(stack) == 1 or words[0] in _PREFIXES:
                return False
            top = stack[-1]
            top[3] = True
            if top[2]:
                self.out.append((top[0] + words, line, top[1] or None))
            return True
        if len(stack) == 1 and words[0] == "set":
            self.out.append((words[1:], line, None))
            return True
        return False

    # ------------------------------------------------------------------ driver
    def run(self, text: str) -> list[Stmt]:
        """Every active statement of `text`, in file order."""
        for _ in self.read(text):
            pass
        return self._finish()

    def read(self, text: str, batch: int = sys.maxsize) -> Iterator[list[Stmt]]:
        """Read `text`, handing out the statements gathered so far whenever there are
        `batch` of them (and the rest at the end). `delete` / `deactivate` lines are
        only recorded: `_finish` applies them to the whole list afterwards."""
        special = _SPECIAL.search
        prefixes = _PREFIXES
        set_verbs = _SET_VERBS
        stack = self.stack
        out = self.out
        for lineno, raw in enumerate(split_lines(text), 1):
            if len(out) >= batch:
                yield out
                self.out = out = []
            s = raw.strip()
            if not s:
                continue
            if s[:4] == "set " and len(stack) == 1 and '"' not in s and "[" not in s \
                    and not (self.pending or self.in_comment or self.in_list):
                out.append((tuple(s[4:].split()), lineno, None))  # the flat form's fast path
                continue
            if '"' in s and not (self.pending or self.in_comment or self.in_list) \
                    and self._quoted_leaf(s, lineno):
                continue
            if self.pending or self.in_comment or self.in_list or special(s):
                if s[0] == "#" and not (self.in_comment or self.pending or self.in_list):
                    continue
                self._slow(s, lineno)
                continue
            last = s[-1]
            if last == ";":
                words = s[:-1].split()
                if not words:
                    continue
                top = stack[-1]
                top[3] = True
                if words[0] in prefixes:
                    if words[0] == "inactive:":
                        continue
                    words = words[1:]
                if top[2] and words:
                    out.append((top[0] + tuple(words), lineno, top[1] or None))
            elif last == "{":
                words = s[:-1].split()
                inactive = False
                if words and words[0] in prefixes:
                    inactive = words[0] == "inactive:"
                    words = words[1:]
                self._open(words, lineno, inactive)
            elif s == "}":
                self._close()
            else:
                words = s.split()
                if len(stack) == 1 and words[0] in set_verbs:
                    self._set_line(words, lineno)
                else:
                    # a statement continued on the next line, or one without `;`
                    self._slow(s, lineno)
        self._flush_pending()
        yield self.out

    def _finish(self) -> list[Stmt]:
        out = self.out
        if self.deleted:
            # `delete X` removes what earlier lines set under X (a `load set` file)
            # statement i goes when a `delete` of one of its prefixes comes after it:
            # one lookup per prefix length, not one scan of the statements per delete
            last: dict[tuple[str, ...], int] = {}
            for upto, prefix in self.deleted:
                last[prefix] = max(upto, last.get(prefix, 0))
            lengths = sorted({len(p) for p in last})
            out = [st for i, st in enumerate(out)
                   if not any(last.get(st[0][:k], -1) > i for k in lengths
                              if k <= len(st[0]))]
        if self.deactivated:
            deact = self.deactivated
            lengths = sorted({len(p) for p in deact})
            out = [st for st in out
                   if not any(st[0][:k] in deact for k in lengths if k <= len(st[0]))]
        return out


def statements(text: str) -> list[Stmt]:
    """Active statements of a Junos config in either form (or a mix), in file order."""
    return _Reader().run(text)


def iter_statements(text: str) -> Iterator[Stmt]:
    """`statements(text)`, handed out while reading, so the list of them all (hundreds
    of MB for a 500k-line config) never exists. A config with `delete` / `deactivate`
    lines, which act on statements read before them, is read whole first instead."""
    if "delete" in text or "deactivate" in text:
        return iter(statements(text))
    return chain.from_iterable(_Reader().read(text, batch=1024))
