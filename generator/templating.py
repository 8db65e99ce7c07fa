"""The one Jinja2 environment render and snippets share, built once and cached.

Templates ship as package data of `idcgen.templates` and are read through
importlib.resources, so an installed wheel renders from any working directory.
jinja2 is imported here only when a template is first needed: `idcgen --version`,
`check` and the lint rules that never build a fix do not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATE_PACKAGE = "idcgen.templates"


def _load_template(name: str) -> tuple[str, None, Any] | None:
    """(source, no filename, always up to date) from package data, or None = not found."""
    node = resources.files(TEMPLATE_PACKAGE)
    for part in name.split("/"):
        node = node.joinpath(part)
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8"), None, lambda: True


# str() of the addresses and masks commands are made of: a fix repeats them (the same
# next hop and mask in a removal and its replacement, on route after route), and
# ipaddress formats an address anew each time (~1.5 us). Only these immutable, hashable
# types are cached; typed=True keeps an address and an interface of equal value apart.
_address_text: Callable[[Any], str] = lru_cache(maxsize=4096, typed=True)(str)
_CACHED_TYPES = frozenset({IPv4Address, IPv4Interface, IPv4Network})


def _text(item: Any) -> str:
    return _address_text(item) if type(item) in _CACHED_TYPES else str(item)


def words(items: list[Any]) -> str:
    """Join the present parts of a command with single spaces (None and "" are left out).

    Templates build one command from optional parts with it, so no optional argument can
    leave a double space or a dangling keyword behind. Strings are tested as strings:
    `address != ""` would go through ipaddress's __eq__, which raises and catches an
    AttributeError for every comparison with a str (a third of a lint fix's cost).
    """
    parts = []
    for item in items:
        if item is None:
            continue
        text = item if isinstance(item, str) else _text(item)
        if text:
            parts.append(text)
    return " ".join(parts)


def template_names() -> SimpleNamespace:
    """The Jinja global `names`: the vendor-neutral helpers of idcgen.generator.names and
    every driver's object names (each driver's keys carry its own prefix)."""
    from idcgen.generator import names
    from idcgen.vendors import drivers

    values: dict[str, Any] = {key: getattr(names, key) for key in dir(names)
                              if not key.startswith("_")}
    for driver in drivers():
        for key, value in driver.template_names().items():
            if key in values:
                raise ValueError(f"vendor {driver.id}: template name {key} is already taken")
            values[key] = value
    return SimpleNamespace(**values)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """StrictUndefined: a typo in a template fails the render instead of emitting blanks."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["names"] = template_names()
    env.filters["words"] = words
    return env


@lru_cache(maxsize=16)
def template(name: str) -> jinja2.Template:
    """A compiled template, cached for the life of the process."""
    return environment().get_template(name)


@lru_cache(maxsize=8)
def macros(vendor: str) -> Any:
    """The macro module of templates/<vendor>/macros.j2 (one macro per intent kind)."""
    return template(f"{vendor}/macros.j2").module


def has_template(name: str) -> bool:
    """Does the package ship templates/`name`?"""
    return _load_template(name) is not None
