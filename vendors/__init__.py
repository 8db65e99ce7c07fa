"""Vendor drivers, discovered from the packages under `idcgen.vendors`.

Each supported platform is a subpackage `idcgen.vendors.<id>` with a `driver.py` whose
`DRIVER` is an instance of `idcgen.vendors.base.VendorDriver`; its templates live in
`templates/<id>/`. Adding a vendor means adding those two folders: no registry line,
no list in pyproject (CONTRIBUTING.md, "Adding a vendor"). Discovery imports only the
small driver modules; parsers and review helpers load on first use, and `idcgen
--version` imports none of this.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.vendors.base import VendorDriver


@lru_cache(maxsize=1)
def _registry() -> dict[str, VendorDriver]:
    """canonical id -> driver, in sorted id order."""
    from idcgen.vendors.base import VendorDriver

    found: dict[str, VendorDriver] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module_name = f"{__name__}.{info.name}.driver"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # a helper package, not a driver
            raise
        driver = getattr(module, "DRIVER", None)
        if not isinstance(driver, VendorDriver) or driver.id != info.name:
            raise TypeError(f"{module_name}: DRIVER must be a VendorDriver with id "
                            f"{info.name!r}")
        found[driver.id] = driver
    return found


def drivers() -> tuple[VendorDriver, ...]:
    """Every installed driver, in id order."""
    return tuple(_registry().values())


def supported() -> dict[str, str]:
    """canonical id -> human name of every installed driver."""
    return {d.id: d.name for d in drivers()}


def vendor_aliases() -> dict[str, str]:
    """Every name the CLI and the site model accept -> canonical id."""
    out: dict[str, str] = {}
    for d in drivers():
        out[d.id] = d.id
        out.update({alias: d.id for alias in d.aliases})
    return out


def canonical_vendor(name: str) -> str:
    """Map a CLI alias (`huawei`, `ios`...) to the canonical vendor id, or raise ValueError."""
    aliases = vendor_aliases()
    try:
        return aliases[name.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(aliases))
        raise ValueError(f"unknown vendor {name!r}; use one of: {allowed}") from None


def get_driver(vendor: str) -> VendorDriver:
    """The driver of a canonical vendor id; ValueError (a usage error) for another name."""
    try:
        return _registry()[vendor]
    except KeyError:
        allowed = ", ".join(_registry())
        raise ValueError(f"unknown vendor {vendor!r}; use one of: {allowed}") from None


def vendor_list(separator: str = ", ") -> str:
    """`cisco_ios, huawei_vrp, junos`, for help texts and messages."""
    return separator.join(_registry())


__all__ = ["canonical_vendor", "drivers", "get_driver", "supported",
           "vendor_aliases", "vendor_list"]
