"""Vendor drivers: syntax facts, running-config parser and detection per platform.

Each supported platform is a subpackage `idcgen.vendors.<id>` whose `__init__` holds the
syntax facts (class `Syntax`) and whose `parser.parse(text, path) -> Device` reads a
running config into the vendor-neutral device model. Templates for rendering live in
`templates/<id>/`. Adding a vendor means adding those two things and one registry line.
Drivers are imported lazily: `idcgen --version` must not pay for any of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# canonical id -> human name
SUPPORTED: dict[str, str] = {
    "cisco_ios": "Cisco IOS / IOS-XE",
    "huawei_vrp": "Huawei VRP",
    "junos": "Juniper Junos",
}


# every name the CLI and the site model accept -> canonical id
VENDOR_ALIASES: dict[str, str] = {
    "cisco_ios": "cisco_ios", "cisco": "cisco_ios", "ios": "cisco_ios", "iosxe": "cisco_ios",
    "huawei_vrp": "huawei_vrp", "huawei": "huawei_vrp", "vrp": "huawei_vrp",
    "junos": "junos", "juniper": "junos",
}


def canonical_vendor(name: str) -> str:
    """Map a CLI alias (`huawei`, `ios`...) to the canonical vendor id, or raise ValueError."""
    try:
        return VENDOR_ALIASES[name.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(VENDOR_ALIASES))
        raise ValueError(f"unknown vendor {name!r}; use one of: {allowed}") from None


def driver(vendor: str) -> ModuleType:
    """The driver package of a canonical vendor id (`idcgen.vendors.cisco_ios`...)."""
    if vendor not in SUPPORTED:
        raise KeyError(vendor)
    return importlib.import_module(f"idcgen.vendors.{vendor}")


def parser(vendor: str) -> ModuleType:
    """The parser module of a vendor: `parse(text: str, path: str) -> Device`."""
    if vendor not in SUPPORTED:
        raise KeyError(vendor)
    return importlib.import_module(f"idcgen.vendors.{vendor}.parser")
