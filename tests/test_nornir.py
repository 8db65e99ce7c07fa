"""The Nornir task on a SimpleInventory (tmp files) with a fake connection plugin that
returns canned running configs: no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("nornir", reason="nornir is not installed (pip install 'idcgen[nornir]')")

from nornir import InitNornir  # noqa: E402
from nornir.core.plugins.connections import ConnectionPluginRegister  # noqa: E402

import idcgen  # noqa: E402
from idcgen.nornir_plugin import lint_running_config, reports  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNNING = ROOT / "samples" / "running"
SITE = ROOT / "samples" / "dual-line-ecmp.yaml"
CONFIGS = {  # host -> (platform, canned running config)
    "dc1-border1": ("ios", RUNNING / "cisco-dual-line-broken.cfg"),
    "dc1-border2": ("ios", RUNNING / "cisco-dual-line-clean.cfg"),
    "dc2-vrp1": ("huawei", RUNNING / "huawei-dual-line-broken.cfg"),
    "dc3-mx1": ("junos", RUNNING / "junos-dual-line-clean.cfg"),
}
SENT: list[tuple[str, str]] = []


class FakeDevice:
    """What a Netmiko connection looks like to the task: send_command(text) -> str."""

    def __init__(self, host: str) -> None:
        self.host = host

    def send_command(self, command: str) -> str:
        SENT.append((self.host, command))
        return CONFIGS[self.host][1].read_text()


class FakeConnection:
    """A Nornir connection plugin (open/close/connection), registered as `fake`."""

    def open(self, hostname: str | None, username: str | None, password: str | None,
             port: int | None, platform: str | None, extras: dict[str, Any] | None = None,
             configuration: Any = None) -> None:
        self.connection = FakeDevice(str(hostname))

    def close(self) -> None:
        pass


@pytest.fixture
def nr(tmp_path: Path) -> Any:
    ConnectionPluginRegister.register("fake", FakeConnection)
    hosts = "\n".join(f"{name}:\n  hostname: {name}\n  platform: {platform}\n"
                      for name, (platform, _) in CONFIGS.items())
    hosts += f"  data:\n    idcgen_site: {SITE}\n"  # dc3-mx1 has a site model of its own
    (tmp_path / "hosts.yaml").write_text(hosts)
    (tmp_path / "groups.yaml").write_text("{}\n")
    (tmp_path / "defaults.yaml").write_text("{}\n")
    SENT.clear()
    return InitNornir(runner={"plugin": "serial"}, logging={"enabled": False},
                      inventory={"plugin": "SimpleInventory", "options": {
                          "host_file": str(tmp_path / "hosts.yaml"),
                          "group_file": str(tmp_path / "groups.yaml"),
                          "defaults_file": str(tmp_path / "defaults.yaml")}})


def test_fleet_is_linted_over_the_fake_connection(nr: Any) -> None:
    result = nr.run(task=lint_running_config, connection="fake")
    assert dict(SENT) == {"dc1-border1": "show running-config",
                          "dc1-border2": "show running-config",
                          "dc2-vrp1": "display current-configuration",
                          "dc3-mx1": "show configuration | display set"}
    failed = {host for host, multi in result.items() if multi.failed}
    assert failed == {"dc1-border1", "dc2-vrp1"}
    by_host = {r.path: r for r in reports(result)}
    assert set(by_host) == set(CONFIGS)
    # the same objects as `idcgen lint` on the file
    expected = idcgen.lint_text(CONFIGS["dc1-border1"][1].read_text(), path="dc1-border1")
    assert by_host["dc1-border1"].as_dict() == expected.as_dict()
    assert by_host["dc2-vrp1"].vendor == "huawei_vrp"
    # the per-host site model from the inventory's data
    assert {link.source for link in by_host["dc3-mx1"].links} == {"site"}


def test_site_fail_on_and_given_text(nr: Any) -> None:
    one = nr.filter(name="dc1-border2")
    result = one.run(task=lint_running_config, connection="fake", fail_on="info",
                     config=(RUNNING / "cisco-dual-line-broken.cfg").read_text())
    assert not SENT  # config= given: nothing sent
    assert result["dc1-border2"].failed
    one.data.reset_failed_hosts()  # Nornir skips hosts that failed a previous run
    result = one.run(task=lint_running_config, connection="fake", site=str(SITE))
    [report] = reports(result)
    assert {link.source for link in report.links} == {"site"}
    assert not result["dc1-border2"].failed
