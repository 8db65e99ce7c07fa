"""The vendor-driver contract: discovery, capabilities, and core code that never names a
vendor (so a new vendor cannot fall through to another vendor's syntax)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.devicemodel import Device
from idcgen.errors import InputError
from idcgen.vendors import canonical_vendor, drivers, get_driver, supported, vendor_aliases
from idcgen.vendors.base import CapabilityError, VendorDriver, VendorWords

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BUILT_IN = ("cisco_ios", "huawei_vrp", "junos")


def test_registry_discovers_the_built_in_drivers() -> None:
    assert tuple(supported()) == BUILT_IN
    assert all(isinstance(d, VendorDriver) for d in drivers())
    assert canonical_vendor("Huawei") == "huawei_vrp" and canonical_vendor("ios") == "cisco_ios"
    assert vendor_aliases()["juniper"] == "junos"
    with pytest.raises(ValueError, match="unknown vendor 'eos'"):
        get_driver("eos")


@pytest.mark.parametrize("vendor", BUILT_IN)
def test_every_driver_meets_the_contract(vendor: str) -> None:
    driver = get_driver(vendor)
    assert driver.id == vendor and driver.name
    assert 0 < driver.default_static_preference < driver.max_static_preference
    assert driver.interface_filter_default in ("permit", "deny")
    assert driver.words.control_plane and driver.words.configuration_mode
    device = driver.parse("", "empty.cfg")
    assert isinstance(device, Device) and device.vendor == vendor
    text = driver.config_text("")
    assert text.rollback([]) == [] and text.without_existing([]) == []
    assert driver.supports_ipsec and driver.tunnel_interface_pattern is not None


@pytest.mark.parametrize("vendor", BUILT_IN)
def test_registry_finds_the_parser(vendor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry's driver parses with its own parser module's `parse`."""
    import importlib

    module = importlib.import_module(f"idcgen.vendors.{vendor}.parser")
    real = module.parse
    calls: list[str] = []
    monkeypatch.setattr(module, "parse", lambda text, path: calls.append(path) or real(text, path))
    device = get_driver(vendor).parse("", "probe.cfg")
    assert calls == ["probe.cfg"] and device.vendor == vendor


class _BareDriver(VendorDriver):
    """A driver with syntax facts and a parser only: everything else must say so."""

    id = "bare"
    name = "Bare OS"
    default_static_preference = 1
    max_static_preference = 255
    comment_prefix = "!"
    interface_filter_default = "deny"
    words = VendorWords(control_plane="policy", control_plane_stage="", control_plane_tag="cp",
                        configuration_mode="configure")

    def parse(self, text: str, path: str) -> Device:
        return Device(vendor=self.id, path=path)


@pytest.mark.parametrize(("call", "capability"), [
    (lambda d: d.config_text(""), "review (config_text)"),
    (lambda d: d.apply_commands("", []), "the command simulator (apply_commands)"),
    (lambda d: d.ipsec_keywords(None), "IPsec (ipsec_keywords)"),
    (lambda d: d.ipsec_object_names(None, 0), "IPsec (ipsec_object_names)"),
])
def test_a_missing_capability_is_a_clear_error(call, capability: str) -> None:
    with pytest.raises(CapabilityError) as caught:
        call(_BareDriver())
    message = caught.value.problems[0].message
    assert message == f"vendor bare: the driver does not implement {capability}"
    assert isinstance(caught.value, InputError)  # the CLI prints it and exits 2


def test_a_missing_macro_is_a_clear_error() -> None:
    from idcgen.generator.snippets import call_macro

    with pytest.raises(CapabilityError, match=r"vendor cisco_ios: .* no_such_macro macro"):
        call_macro(get_driver("cisco_ios"), "no_such_macro")


def test_unknown_vendor_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["render", str(SAMPLES / "single-line.yaml"),
                                       "--vendor", "foo"])
    assert result.exit_code == 2
    assert "Invalid value for --vendor: unknown vendor 'foo'" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


# Core code asks the driver: no vendor id or vendor-only keyword as a name or a one-word
# literal (a branch `if vendor == "junos"`, a table keyed by vendor). Prose in messages
# and docstrings may name vendors. `huawei_family` is the site model's field name.
_CORE = [*sorted((ROOT / "generator").glob("*.py")), *sorted((ROOT / "src/idcgen").rglob("*.py"))]
_VENDOR_WORD = re.compile(r"cisco|huawei|junos|juniper|\bcopp\b|lo0|cpu-defend", re.I)
_ALLOWED = re.compile(r"huawei_family|huawei family")


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal and name that is not a docstring."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            out.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((node.lineno, node.attr))
    return out


@pytest.mark.parametrize("path", _CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_code_names_no_vendor(path: Path) -> None:
    hits = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
            for line, text in _code_strings(path)
            if not any(ch.isspace() for ch in text.strip())
            and _VENDOR_WORD.search(_ALLOWED.sub("", text))]
    assert hits == []
