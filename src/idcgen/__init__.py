"""idcgen: customer-side configs for Alibaba Cloud Express Connect and IPsec-VPN.

Kept import-free on purpose: `idcgen --version` and `idcgen lint` must start fast, so
heavy libraries (pydantic, jinja2) are imported only by the commands that need them.
The library API (`idcgen.lint_text`, `idcgen.render`, `idcgen.review`, ...) lives in
`idcgen.api` and is loaded on first use (module `__getattr__`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from idcgen.api import (
        CloudLink,
        Finding,
        InputError,
        LintReport,
        ReviewResult,
        lint_text,
        load_site,
        render,
        review,
    )

_API = frozenset({"CloudLink", "Finding", "InputError", "LintReport", "ReviewResult",
                  "lint_text", "load_site", "render", "review"})


def __getattr__(name: str) -> object:
    if name in _API:
        from idcgen import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'idcgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


__all__ = ["CloudLink", "Finding", "InputError", "LintReport", "ReviewResult", "__version__",
           "lint_text", "load_site", "render", "review"]
