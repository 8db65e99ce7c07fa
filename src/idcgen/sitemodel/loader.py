"""Read YAML into plain Python data plus a map of where every value stood.

PyYAML's node tree carries line/column marks; we keep them per path so that a
validation error on `links[1].peer_ip` can be reported at `site.yaml:14:7`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from idcgen.errors import InputError, Location, Problem

PathKey = tuple[str | int, ...]

try:  # the C loader is much faster where libyaml is present
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


class Positions:
    """Line/column (1-based) of each value and mapping key in a YAML document."""

    def __init__(self, file: str):
        self.file = file
        self._values: dict[PathKey, tuple[int, int]] = {}
        self._keys: dict[PathKey, tuple[int, int]] = {}

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The closest known place for `path`, walking up to a parent when needed."""
        table = self._keys if key else self._values
        probe = tuple(path)
        while probe:
            if probe in table:
                return Location(self.file, *table[probe])
            if probe in self._values:
                return Location(self.file, *self._values[probe])
            probe = probe[:-1]
        return Location(self.file, *self._values.get((), (1, 1)))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# Limits on what one document may expand to (docs/CONTRACT.md, "Reading limits"). A real
# site model has a few hundred values and nests 5 deep; aliases make a few kilobytes
# expand to billions of values ("billion laughs"), so expansion is counted, not trusted.
MAX_VALUES = 100_000
MAX_NESTING = 32
# Explicit tags a site model may use: the plain scalar ones. Anything else (`!!binary`,
# `!!timestamp`, `!!set`, `!!python/...`, a local `!tag`) is refused at its place.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                        ("str", "int", "float", "bool", "null", "seq", "map"))
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_KINDS = {"tag:yaml.org,2002:int": "an integer", "tag:yaml.org,2002:float": "a number",
          "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:null": "null"}
_RESOLVER = yaml.resolver.Resolver()


class _Limit(Exception):
    """The document exceeds a limit: one located problem, the build stops."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Builder:
    """Nodes -> plain data and positions, iteratively bounded: at most MAX_VALUES values
    (aliases counted at every use), MAX_NESTING levels, no alias that contains itself."""

    def __init__(self, pos: Positions, problems: list[Problem]) -> None:
        self.pos = pos
        self.problems = problems
        self.count = 0
        self.active: set[int] = set()  # ids of the collection nodes on the current path

    def problem(self, node: yaml.Node, path: PathKey, message: str) -> Problem:
        return Problem(Location(self.pos.file, *_mark(node)), _dotted(path), message)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Limit(self.problem(node, path, (
                f"the document expands to more than {MAX_VALUES:,} values (YAML aliases "
                "repeating large parts?); not read")))
        if len(path) > MAX_NESTING:
            raise _Limit(self.problem(node, path, (
                f"nested deeper than {MAX_NESTING} levels; not read")))
        self.pos._values[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(self.problem(node, path, f"YAML tag {_tag(node)} is not "
                                              "allowed in a site model; remove it"))
            return None
        if id(node) in self.active:
            raise _Limit(self.problem(node, path, "a YAML alias that contains itself "
                                                  "(recursive); not read"))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys stay the text as written: YAML 1.1 would turn `on:` into True
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problems.append(self.problem(key_node, path,
                                                  "mapping keys must be plain words"))
                continue
            child = (*path, key)
            if key in result:
                self.problems.append(self.problem(key_node, child, "duplicate key"))
            self.pos._keys[child] = _mark(key_node)
            result[key] = self.build(value_node, child)
        return result

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        implicit = node.style in (None, "") and tag == _RESOLVER.resolve(
            yaml.ScalarNode, node.value, (True, False))
        if tag == _TIMESTAMP and implicit:
            return node.value  # a plain `2024-01-01` stays the text written (no dates here)
        if tag not in _PLAIN_TAGS:
            self.problems.append(self.problem(node, path, f"YAML tag {_tag(node)} is not "
                                              "allowed in a site model; remove it"))
            return None
        try:
            return yaml.SafeLoader.construct_object(_SCALAR_CONSTRUCTOR, node, deep=True)
        except Exception as exc:  # noqa: BLE001 - PyYAML raises anything (`!!int ''`: IndexError)
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            digits = sum(c.isdigit() for c in node.value)
            reason = (f" ({digits:,} digits; at most 4,300)" if "digits" in str(exc)
                      else "")
            self.problems.append(self.problem(node, path, (
                f"{shown!r} is not {_KINDS.get(tag, 'a valid ' + _tag(node))}{reason}")))
            return None


def _tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _build(node: yaml.Node, path: PathKey, pos: Positions, problems: list[Problem]) -> Any:
    builder = _Builder(pos, problems)
    try:
        return builder.build(node, path)
    except _Limit as exc:
        problems.append(exc.problem)
        return None


class _ScalarOnly(yaml.SafeLoader):
    def __init__(self) -> None:  # no stream: only used to construct scalars
        yaml.constructor.SafeConstructor.__init__(self)


_SCALAR_CONSTRUCTOR = _ScalarOnly()


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def dotted_path(path: PathKey) -> str:
    """`("links", 1, "peer_ip")` -> `links[1].peer_ip`."""
    return _dotted(path)


def _position(name: str, text: str, offset: int) -> Location:
    """Line and column (1-based) of character `offset` of `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return Location(name, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def load_yaml(path: str | Path, text: str | None = None) -> tuple[Any, Positions]:
    """Parse a YAML file; syntax errors become a located InputError."""
    name = str(path)
    if text is None:
        from idcgen.inputs import read_text

        try:
            text = read_text(name)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(Problem(Location(name), "", f"cannot read file: {exc}")) from None
    positions = Positions(name)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # the composer recurses per level; libyaml caps levels at 1000
        raise InputError(Problem(Location(name, 1, 1), "",
                                 "YAML nested too deeply; not read")) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: no mark
        where = _position(name, text, exc.position)
        raise InputError(Problem(where, "", f"YAML syntax error: {exc.reason} "
                                            f"(character {exc.character!r})")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError(Problem(where, "", f"YAML syntax error: {reason}")) from None
    if node is None:
        raise InputError(Problem(Location(name, 1, 1), "", "the file is empty"))
    problems: list[Problem] = []
    try:
        data = _build(node, (), positions, problems)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise InputError(Problem(where, "", f"YAML error: {exc}")) from None
    if problems:
        raise InputError(problems)
    return data, positions
