"""The site model: every validation rule fails and passes, errors come all at once with
FILE:LINE:COL and the field path, and hostile strings never reach a config.

Each rule in idcgen.sitemodel.schema (and the string types of fields.py) has a row in
INVALID (a model that breaks it, and the field path the error must name) and is covered
on the passing side by VALID (models at the edge of the rule that must load).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.errors import InputError
from idcgen.sitemodel import load_site

Mutation = Callable[[dict], None]


def base_model() -> dict:
    """A valid two-line model (scenario B) that each case changes in one place."""
    return {
        "site": "sh-dc1",
        "hostname": "dc1-border1",
        "vendor": "cisco_ios",
        "onprem_networks": ["172.16.0.0/16"],
        "cloud_networks": [{"name": "prod", "cidr": "192.168.0.0/16"}],
        "lines": [
            {"name": "line-a", "interface": {"cisco_ios": "GigabitEthernet0/0/1",
                                             "junos": "ge-0/0/1"},
             "local_ip": "10.10.10.2/30", "vbr_ip": "10.10.10.1",
             "health_check_source": "192.168.10.1"},
            {"name": "line-b", "interface": "GigabitEthernet0/0/2",
             "local_ip": "10.10.11.2/30", "vbr_ip": "10.10.11.1",
             "health_check_source": "192.168.10.2"},
        ],
    }


def load(model: dict):
    return load_site("site.yaml", yaml.safe_dump(model, sort_keys=False))


def problems_of(model: dict) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        load(model)
    return [(p.path, p.message) for p in info.value.problems]


def setter(path: tuple, value: object) -> Mutation:
    def apply(model: dict) -> None:
        node = model
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return apply


def deleter(path: tuple) -> Mutation:
    def apply(model: dict) -> None:
        node = model
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return apply


def line(index: int, **values: object) -> Mutation:
    def apply(model: dict) -> None:
        model["lines"][index].update(values)
    return apply


def extra_line(count: int) -> Mutation:
    def apply(model: dict) -> None:
        for i in range(count):
            model["lines"].append({
                "name": f"line-x{i}", "interface": f"ge-0/1/{i}",
                "local_ip": f"10.10.{20 + i}.2/30", "vbr_ip": f"10.10.{20 + i}.1",
                "health_check_source": f"192.168.20.{i + 1}"})
    return apply


# (id, mutation, field path the error names, part of the message)
INVALID: list[tuple[str, Mutation, str, str]] = [
    ("unknown-key", setter(("sites",), "x"), "sites", "unknown key"),
    ("unknown-line-key", line(0, peer_ip="10.10.10.1"), "lines[0].peer_ip", "unknown key"),
    ("site-missing", deleter(("site",)), "site", "required"),
    ("site-pattern", setter(("site",), "sh dc1"), "site", "letters, digits"),
    ("site-starts-with-digit", setter(("site",), "1dc"), "site", "starting with a letter"),
    ("site-too-long", setter(("site",), "a" * 25), "site", "longer than 24"),
    ("hostname-pattern", setter(("hostname",), "dc1_border"), "hostname", "letters, digits"),
    ("hostname-too-long", setter(("hostname",), "h" * 64), "hostname", "longer than 63"),
    ("vendor-unknown", setter(("vendor",), "nokia"), "vendor", "unknown vendor"),
    ("onprem-not-network", setter(("onprem_networks",), ["172.16.0.1/16"]),
     "onprem_networks[0]", "not a valid IPv4 network"),
    ("cloud-network-name", setter(("cloud_networks", 0, "name"), "prod vpc"),
     "cloud_networks[0].name", "letters, digits"),
    ("cloud-network-cidr", setter(("cloud_networks", 0, "cidr"), "192.168.0.0/33"),
     "cloud_networks[0].cidr", ""),
    ("cloud-network-description", setter(("cloud_networks", 0, "description"), "a;b"),
     "cloud_networks[0].description", "no line breaks"),
    ("cloud-services-type", setter(("cloud_services",), "yes please"), "cloud_services", ""),
    ("cloud-services-unknown-key", setter(("cloud_services",), {"splt": True}),
     "cloud_services.splt", "unknown key"),
    ("redundancy-choice", setter(("redundancy",), "load-share"), "redundancy", "ecmp"),
    ("too-many-lines", extra_line(3), "lines", "at most 4"),
    ("line-name", line(0, name="line a"), "lines[0].name", "letters, digits"),
    ("interface-pattern", line(1, interface="Gi 0/0/2"), "lines[1].interface",
     "interface name"),
    ("interface-too-long", line(1, interface="G" * 47 + "0/1"), "lines[1].interface",
     "longer than 48"),
    ("interface-vendor-key", line(0, interface={"nokia": "1/1/1"}), "lines[0].interface.nokia",
     "unknown vendor"),
    ("vlan-zero", line(0, vlan=0), "lines[0].vlan", "greater than or equal to 1"),
    ("vlan-too-big", line(0, vlan=4095), "lines[0].vlan", "outside the VBR's VLAN range"),
    # issue #11 defect 13: what Alibaba itself refuses
    ("vlan-over-vbr-range", line(0, vlan=3000), "lines[0].vlan", "VLAN range 0-2999"),
    ("line-in-cloud-services", line(0, local_ip="100.64.1.2/30", vbr_ip="100.64.1.1"),
     "lines[0].local_ip", "Express Connect limitations forbid 100.64.0.0/10"),
    ("line-description", line(0, description="line A\nreload"), "lines[0].description",
     "no line breaks"),
    ("local-ip-no-prefix", line(0, local_ip="10.10.10.2"), "lines[0].local_ip",
     "with its prefix length"),
    ("local-ip-invalid", line(0, local_ip="10.10.10.300/30"), "lines[0].local_ip", ""),
    ("vbr-ip-invalid", line(0, vbr_ip="vbr"), "lines[0].vbr_ip", ""),
    ("hc-source-invalid", line(0, health_check_source="192.168.10"),
     "lines[0].health_check_source", ""),
    ("control-plane-mode", setter(("control_plane",), {"mode": "replace"}),
     "control_plane.mode", "create"),
    ("control-plane-insert-needs-policy", setter(("control_plane",), {"mode": "insert"}),
     "control_plane", "needs `policy`"),
    ("control-plane-policy-pattern",
     setter(("control_plane",), {"mode": "insert", "policy": "COPP POLICY"}),
     "control_plane.policy", "letters, digits"),
    ("control-plane-before-pattern",
     setter(("control_plane",), {"mode": "insert", "policy": "COPP", "before": "a}b"}),
     "control_plane.before", "letters, digits"),
    ("huawei-family", setter(("control_plane",), {"huawei_family": "ne"}),
     "control_plane.huawei_family", "ar"),
    # cross checks (schema.cross_checks)
    ("no-line-no-ipsec", setter(("lines",), []), "lines", "at least one leased line"),
    ("duplicate-line-name", line(1, name="line-a"), "lines[1].name", "already used"),
    ("local-ip-host-route", line(0, local_ip="10.10.10.2/32"), "lines[0].local_ip",
     "no room for the VBR"),
    ("vbr-outside-subnet", line(0, vbr_ip="10.10.12.1"), "lines[0].vbr_ip",
     "is not in 10.10.10.0/30"),
    ("vbr-equals-local", line(0, vbr_ip="10.10.10.2"), "lines[0].vbr_ip",
     "also the customer-side address"),
    ("local-is-network-address", line(0, local_ip="10.10.10.0/30"), "lines[0].local_ip",
     "network address"),
    ("vbr-is-broadcast", line(0, vbr_ip="10.10.10.3"), "lines[0].vbr_ip", "broadcast address"),
    ("hc-source-duplicate", line(1, health_check_source="192.168.10.1"),
     "lines[1].health_check_source", "each line needs its own source"),
    ("hc-source-is-link-address", line(1, health_check_source="10.10.10.1"),
     "lines[1].health_check_source", "is a link address"),
    ("line-subnets-overlap", line(1, local_ip="10.10.10.1/29", vbr_ip="10.10.10.6"),
     "lines[1].local_ip", "overlaps the subnet of lines[0]"),
    ("interface-used-twice", line(1, interface="GigabitEthernet0/0/1"), "lines[1].interface",
     "already used by lines[0]"),
    ("onprem-overlaps-cloud", setter(("onprem_networks",), ["192.168.0.0/24"]),
     "onprem_networks[0]", "overlaps cloud network prod"),
    ("onprem-overlaps-services", setter(("onprem_networks",), ["100.100.0.0/16"]),
     "onprem_networks[0]", "cloud-services range"),
    ("onprem-overlaps-onprem", setter(("onprem_networks",), ["172.16.0.0/16", "172.16.1.0/24"]),
     "onprem_networks[1]", "overlaps on-premises network"),
    ("cloud-overlaps-cloud",
     setter(("cloud_networks",), [{"name": "a", "cidr": "192.168.0.0/16"},
                                  {"name": "b", "cidr": "192.168.1.0/24"}]),
     "cloud_networks[1].cidr", "overlaps cloud network a"),
    ("cloud-overlaps-services",
     setter(("cloud_networks",), [{"name": "svc", "cidr": "100.64.0.0/16"}]),
     "cloud_networks[0].cidr", "cloud-services range"),
]


@pytest.mark.parametrize(("mutate", "path", "message"),
                         [pytest.param(m, p, t, id=i) for i, m, p, t in INVALID])
def test_invalid_model_names_the_field(mutate: Mutation, path: str, message: str) -> None:
    model = base_model()
    mutate(model)
    found = problems_of(model)
    assert any(p == path and message in m for p, m in found), found


# Models at the edge of each rule that must load.
VALID: list[tuple[str, Mutation]] = [
    ("base", lambda m: None),
    ("no-vendor", deleter(("vendor",))),
    ("vendor-alias", setter(("vendor",), "Huawei")),
    ("site-24-chars", setter(("site",), "a" * 24)),
    ("hostname-63-chars", setter(("hostname",), "h" * 63)),
    ("cloud-services-shorthand-false", setter(("cloud_services",), False)),
    ("cloud-services-split", setter(("cloud_services",), {"split": True})),
    ("onprem-in-services-range-when-off",
     lambda m: m.update(cloud_services=False, onprem_networks=["100.100.0.0/16"])),
    ("active-standby", setter(("redundancy",), "active-standby")),
    ("four-lines", extra_line(2)),
    ("vlan-edges", lambda m: (line(0, vlan=1)(m), line(1, vlan=2999)(m))),
    ("same-interface-other-vlan",
     lambda m: (line(0, vlan=100)(m), line(1, interface="GigabitEthernet0/0/1", vlan=200)(m))),
    ("slash-31", line(0, local_ip="10.10.10.0/31", vbr_ip="10.10.10.1")),
    ("slash-29", line(0, local_ip="10.10.10.2/29", vbr_ip="10.10.10.6")),
    ("description-punctuation", line(0, description="Line A (CT 1G), order: 42/x @ HZ+1=ok")),
    ("insert-with-policy",
     setter(("control_plane",), {"mode": "insert", "policy": "CoPP-Policy.v2:1",
                                 "before": "class-icmp"})),
    ("mode-none", setter(("control_plane",), {"mode": "none"})),
    ("huawei-s", setter(("control_plane",), {"huawei_family": "s"})),
    ("no-cloud-networks", setter(("cloud_networks",), [])),
]


@pytest.mark.parametrize("mutate", [pytest.param(m, id=i) for i, m in VALID])
def test_valid_model_loads(mutate: Mutation) -> None:
    model = base_model()
    mutate(model)
    site = load(model)
    assert site.hostname == model["hostname"]


def test_cloud_services_prefixes() -> None:
    assert [str(p) for p in load(base_model()).cloud_services.prefixes] == ["100.64.0.0/10"]
    model = base_model()
    model["cloud_services"] = {"split": True}
    assert [str(p) for p in load(model).cloud_services.prefixes] == [
        "100.64.0.0/11", "100.96.0.0/11"]


# ---- all errors at once, with FILE:LINE:COL -------------------------------------------

BROKEN = """\
site: sh-dc1
hostname: dc1 border1
lines:
  - name: line-a
    interface: ge-0/0/1
    local_ip: 10.10.10.2/30
    vbr_ip: 10.10.11.1
    health_check_source: 192.168.10.1
    colour: blue
"""


def test_every_problem_reported_with_place(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert f"{path}:2:11: hostname: 'dc1 border1': use letters, digits and '-' only, " \
           "starting with a letter" in errors
    assert f"{path}:9:5: lines[0].colour: unknown key (check the spelling; see the README's " \
           "site model tour)" in errors
    assert result.stdout == ""


def test_cross_checks_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(BROKEN.replace("dc1 border1", "dc1-border1").replace("    colour: blue\n",
                                                                         ""), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_site(path)
    rendered = [str(p) for p in info.value.problems]
    assert rendered == [f"{path}:7:13: lines[0].vbr_ip: 10.10.11.1 is not in 10.10.10.0/30 of "
                        "10.10.10.2/30"]


def test_several_cross_check_errors_at_once() -> None:
    model = base_model()
    line(1, name="line-a", health_check_source="192.168.10.1")(model)
    found = problems_of(model)
    assert ("lines[1].name" in {p for p, _ in found}
            and "lines[1].health_check_source" in {p for p, _ in found})


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("site: a\nlines: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:")
    assert "YAML syntax error" in result.stderr


def test_unreadable_file_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "cannot read file" in result.stderr


# ---- hostile strings --------------------------------------------------------------------

HOSTILE = ["line\nreload", "a;delete", "a}b", "a#b", "a?b", "a\x00b", "a\x1bb", "a\tb",
           "a!b", 'a"b', "x" * 200]
HOSTILE_FIELDS: list[tuple[str, Callable[[dict, str], None]]] = [
    ("site", lambda m, v: m.update(site=v)),
    ("hostname", lambda m, v: m.update(hostname=v)),
    ("cloud_networks[0].name", lambda m, v: m["cloud_networks"][0].update(name=v)),
    ("cloud_networks[0].description",
     lambda m, v: m["cloud_networks"][0].update(description=v)),
    ("lines[0].name", lambda m, v: m["lines"][0].update(name=v)),
    ("lines[0].description", lambda m, v: m["lines"][0].update(description=v)),
    ("lines[1].interface", lambda m, v: m["lines"][1].update(interface=v)),
    ("lines[0].interface.junos", lambda m, v: m["lines"][0]["interface"].update(junos=v)),
    ("control_plane.policy",
     lambda m, v: m.update(control_plane={"mode": "insert", "policy": v})),
    ("control_plane.before",
     lambda m, v: m.update(control_plane={"mode": "insert", "policy": "P", "before": v})),
]


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize(("field", "put"), HOSTILE_FIELDS, ids=[f for f, _ in HOSTILE_FIELDS])
def test_hostile_string_refused_and_nothing_written(tmp_path: Path, field: str,
                                                    put: Callable[[dict, str], None],
                                                    value: str) -> None:
    model = copy.deepcopy(base_model())
    put(model, value)
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", "junos",
                                       "-o", str(out_dir)])
    assert result.exit_code == 2, result.output
    assert f": {field}" in result.stderr or f": {field.rsplit('.', 1)[0]}" in result.stderr
    assert list(out_dir.iterdir()) == []
    assert result.stdout == ""


def test_hostile_yaml_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(base_model()) + "? [a, b]\n: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "mapping keys must be plain words" in result.stderr
