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


def _build(node: yaml.Node, path: PathKey, pos: Positions, problems: list[Problem]) -> Any:
    pos._values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys stay the text as written: YAML 1.1 would turn `on:` into True
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(Problem(Location(pos.file, *_mark(key_node)), _dotted(path),
                                        "mapping keys must be plain words"))
                continue
            child = (*path, key)
            if key in result:
                problems.append(Problem(Location(pos.file, *_mark(key_node)), _dotted(child),
                                        "duplicate key"))
            pos._keys[child] = _mark(key_node)
            result[key] = _build(value_node, child, pos, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), pos, problems) for i, item in enumerate(node.value)]
    return _build_scalar(node)


def _build_scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.SafeLoader.construct_object(_SCALAR_CONSTRUCTOR, node, deep=True)


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
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
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
