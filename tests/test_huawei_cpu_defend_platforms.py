"""Issue #11 defects 1 and 5: the Huawei cpu-defend exemption per platform family, and
the linter's reading of the CloudEngine form (so render and lint agree).

- CloudEngine (ce): no user-defined flow; `car packet-type icmp pps N` above Alibaba's
  floor, `auto-port-defend whitelist` / `auto-defend whitelist` naming the probes' ACL,
  `cpu-defend-policy NAME` (no slot), then `commit` (CE6800 V300R023C00 references,
  docs/vendor-commands.md#huawei_vrp).
- AR (the default): `cpu-defend-policy NAME` (applied to the MPU, the AR form); the two
  user-defined-flow lines stay marked unverified on AR.
- S: `cpu-defend-policy NAME global`, as before.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from idcgen.generator.render import render_site
from idcgen.review import review_text
from idcgen.rules import run_rules
from idcgen.sitemodel import load_site
from idcgen.vendors import get_driver

ACCURACY = Path(__file__).parent / "fixtures" / "accuracy" / "huawei_vrp_ce"


def _model(platform: str | None = None, **control: str) -> dict:
    model: dict = {
        "site": "sh-dc1", "hostname": "dc1-border1",
        "onprem_networks": ["172.16.0.0/16"],
        "cloud_networks": [{"name": "prod", "cidr": "192.168.0.0/16"}],
        "lines": [
            {"name": "line-a", "interface": {"huawei_vrp": "100GE1/0/1"},
             "local_ip": "10.10.10.2/30", "vbr_ip": "10.10.10.1",
             "health_check_source": "192.168.10.1"},
            {"name": "line-b", "interface": {"huawei_vrp": "100GE1/0/2"},
             "local_ip": "10.10.11.2/30", "vbr_ip": "10.10.11.1",
             "health_check_source": "192.168.10.2"},
        ],
    }
    if platform:
        model["platform"] = {"huawei_vrp": platform}
    if control:
        model["control_plane"] = dict(control)
    return model


def _site(model: dict):
    return load_site("site.yaml", yaml.safe_dump(model, sort_keys=False))


def _lint(text: str, site=None):
    device = get_driver("huawei_vrp").parse(text, "r.cfg")
    return device, run_rules(device, site=site)


def _idc303(result) -> list:
    return [f for f in result.findings if f.rule == "IDC303"]


# ---- CloudEngine: render and lint agree ---------------------------------------------


def test_rendered_cloudengine_config_lints_clean_of_idc303() -> None:
    site = _site(_model("ce"))
    text = render_site(site, "huawei_vrp").text
    device, result = _lint(text, site)
    assert _idc303(result) == [], [f.message for f in _idc303(result)]
    assert device.platform == "ce"
    assert not device.unparsed, device.unparsed
    # also without a site model (links inferred from the rendered routes)
    assert _idc303(_lint(text)[1]) == []


def test_cloudengine_parse_models_cpcar_and_port_defence() -> None:
    """One CE cpu-defend policy is two applied policies of the same name: port attack
    defence first (the whitelist lets the probes through, a final stage limits all other
    ICMP), then the CPCAR whose ICMP CAR is a per-type budget in packet/s."""
    device = get_driver("huawei_vrp").parse((ACCURACY / "ce-good.cfg").read_text(), "ce.cfg")
    port, cpcar = [p for p in device.control_plane if p.name == "DC-PROTECT"]
    assert port.applied and cpcar.applied
    assert [(s.name, s.treatment, s.acl) for s in port.stages] == [
        ("DC-PROTECT auto-port-defend whitelist 1", "pass", "3901"),
        ("DC-PROTECT auto-port-defend", "police", None)]
    [car] = cpcar.stages  # arp-request's CAR does not touch ICMP
    assert (car.name, car.treatment, car.rate_pps, car.per_type_budget) == (
        "DC-PROTECT car icmp", "police", 1000, True)


def test_cloudengine_icmp_car_below_the_floor_fires_on_its_line() -> None:
    text = (ACCURACY / "ce-bad-car.cfg").read_text()
    [hit] = _idc303(_lint(text)[1])
    assert text.splitlines()[hit.line - 1] == " car packet-type icmp pps 300"
    assert "300 packet/s: below Alibaba's floor of more than 500" in hit.message
    # the fix is the CloudEngine form, recognised from the config (no site model)
    assert " car packet-type icmp pps 1000" in hit.fix
    assert not any("user-defined-flow" in line for line in hit.fix)


def test_cloudengine_without_port_defence_whitelist_fires() -> None:
    text = (ACCURACY / "ce-bad-nowl.cfg").read_text()
    [hit] = _idc303(_lint(text)[1])
    assert text.splitlines()[hit.line - 1].startswith("cpu-defend policy DC-PROTECT")
    assert "in DC-PROTECT auto-port-defend" in hit.message
    assert " auto-port-defend whitelist 1 acl 3901" in hit.fix


def test_cloudengine_all_packets_cap_below_the_floor_fires() -> None:
    text = (ACCURACY / "ce-bad-allpkts.cfg").read_text()
    [hit] = _idc303(_lint(text)[1])
    assert text.splitlines()[hit.line - 1] == " car all-packets pps 400"
    assert "capped by car all-packets" in hit.message and "400 packet/s" in hit.message


def test_cloudengine_port_defence_off_for_icmp_needs_no_whitelist() -> None:
    text = (ACCURACY / "ce-good-port-off.cfg").read_text()
    device, result = _lint(text)
    assert _idc303(result) == []
    assert [len(p.stages) for p in device.control_plane if p.name == "DC-PROTECT"] == [1]


def test_cloudengine_whitelist_that_misses_a_probe_fires() -> None:
    """A whitelist ACL that names line A's probe only leaves line B's subject to port
    attack defence."""
    text = (ACCURACY / "ce-good.cfg").read_text().replace(
        " rule 10 permit icmp source 192.168.10.2 0 destination 10.10.11.2 0 icmp-type echo\n",
        "")
    [hit] = _idc303(_lint(text)[1])
    assert "from 192.168.10.2 to 10.10.11.2" in hit.message


def test_cloudengine_interface_whitelist_covers_the_line() -> None:
    text = (ACCURACY / "ce-good.cfg").read_text().replace(
        " auto-port-defend whitelist 1 acl 3901\n",
        " auto-port-defend whitelist 1 interface 100GE1/0/1\n"
        " auto-port-defend whitelist 2 interface 100GE 1/0/2\n")
    assert _idc303(_lint(text)[1]) == []
    only_a = text.replace(" auto-port-defend whitelist 2 interface 100GE 1/0/2\n", "")
    [hit] = _idc303(_lint(only_a)[1])
    assert "to 10.10.11.2" in hit.message and "10.10.10.2" not in hit.message


def test_cloudengine_review_inserts_the_ce_lines_and_then_lints_clean() -> None:
    """review of a CE with an applied policy lacking the exemption: the remediation puts
    the CE lines into the running policy, and the result lints clean of IDC303."""
    site = _site(_model("ce", mode="insert", policy="DC-PROTECT"))
    running = (ACCURACY / "ce-bad-nowl.cfg").read_text().replace(
        " car packet-type icmp pps 1000\n", "").replace(" auto-defend whitelist 1 acl 3901\n", "")
    result = review_text(site, running, "ce.cfg", "huawei_vrp")
    at = result.remediation.index("cpu-defend policy DC-PROTECT")
    assert result.remediation[at + 1:at + 4] == [
        " car packet-type icmp pps 1000", " auto-port-defend whitelist 1 acl 3901",
        " auto-defend whitelist 1 acl 3901"]
    assert not any("user-defined-flow" in line or line.endswith(" global")
                   for line in result.remediation)
    # CE undo forms take the id / packet type only (CE6800 V300R023C00 references)
    at = result.rollback.index("cpu-defend policy DC-PROTECT")
    assert result.rollback[at + 1:at + 4] == [
        " undo auto-defend whitelist 1", " undo auto-port-defend whitelist 1",
        " undo car packet-type icmp"]
    patched = get_driver("huawei_vrp").apply_commands(running, result.remediation)
    assert _idc303(_lint(patched, site)[1]) == []


# ---- AR (defect 5) and S ------------------------------------------------------------


def test_ar_applies_the_policy_in_the_ar_form() -> None:
    text = render_site(_site(_model()), "huawei_vrp").text
    commands = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert "cpu-defend-policy ALIYUN-HC" in commands
    assert not any(ln.endswith(" global") for ln in commands)
    assert "Unverified on AR" in text and "check it with `?`" not in text
    # lint reads the AR form as applied: the dedicated flow exempts the probes
    device, result = _lint(text, _site(_model()))
    assert _idc303(result) == []
    assert all(p.applied for p in device.control_plane if p.name == "ALIYUN-HC")


def test_s_series_keeps_global() -> None:
    text = render_site(_site(_model("s")), "huawei_vrp").text
    assert "\ncpu-defend-policy ALIYUN-HC global\n" in text
    assert _idc303(_lint(text, _site(_model("s")))[1]) == []


def test_cloudengine_whitelist_id_in_use_is_noted() -> None:
    site = _site(_model("ce", mode="insert", policy="DC-PROTECT"))
    running = (ACCURACY / "ce-good.cfg").read_text().replace(
        " auto-port-defend whitelist 1 acl 3901\n", " auto-port-defend whitelist 1 acl 2000\n")
    result = review_text(site, running, "ce.cfg", "huawei_vrp")
    assert any("already uses auto-port-defend whitelist 1" in n and "ACL 2000" in n
               and "auto-defend whitelist 1" in n for n in result.notes), result.notes


def test_undo_port_defence_turns_the_port_policy_off() -> None:
    text = (ACCURACY / "ce-bad-nowl.cfg").read_text().replace(
        " description DC border protection\n",
        " description DC border protection\n undo auto-port-defend enable\n")
    device, result = _lint(text)
    assert _idc303(result) == []
    assert [p.stages[-1].name for p in device.control_plane if p.name == "DC-PROTECT"] == [
        "DC-PROTECT car icmp"]


def test_s_series_cir_form_is_not_read_as_cloudengine() -> None:
    """`car packet-type icmp cir N` (kbit/s, S form): no platform guess, no port-defence
    policy, and the shared CAR fires whatever its rate, as before."""
    text = (ACCURACY / "ce-good.cfg").read_text().replace(
        " car packet-type arp-request pps 512\n", "").replace(
        " car packet-type icmp pps 1000\n", " car packet-type icmp cir 4000\n")
    device, result = _lint(text)
    assert device.platform is None
    [policy] = [p for p in device.control_plane if p.name == "DC-PROTECT"]
    assert [s.name for s in policy.stages] == ["DC-PROTECT car icmp"]
    [hit] = _idc303(result)
    assert "shared with all other ICMP" in hit.message
    assert " user-defined-flow 1 acl 3901" in hit.fix  # the AR/S fix, not the CE one


AR_RUNNING = """#
sysname SH-BORDER-AR
#
acl number 4001
 rule 5 permit source-mac 0001-c0a8-0102
#
cpu-defend policy devicesafety
 auto-defend enable
 blacklist 1 acl 4001
 packet-type arp-request rate-limit 64
 packet-type icmp rate-limit 50
 packet-type dhcp-client priority 3
#
interface GigabitEthernet0/0/1
 description Aliyun Express Connect VBR line A
 ip address 10.10.10.2 255.255.255.252
#
ip route-static 100.64.0.0 10 10.10.10.1
ip route-static 192.168.0.0 16 10.10.10.1
ip route-static 192.168.10.1 32 10.10.10.1
#
cpu-defend-policy devicesafety
#
return
"""


def test_ar_packet_type_rate_limit_is_read_and_fires() -> None:
    """The AR per-type form (Huawei's AR example: `packet-type TYPE rate-limit PPS`,
    applied with `cpu-defend-policy NAME`) limits ICMP to the router: IDC303 sees it."""
    device, result = _lint(AR_RUNNING)
    [policy] = device.control_plane
    assert policy.applied and [(s.name, s.rate_pps) for s in policy.stages] == [
        ("devicesafety blacklist 1", None), ("devicesafety packet-type icmp rate-limit", 50)]
    [hit] = _idc303(result)
    assert AR_RUNNING.splitlines()[hit.line - 1] == " packet-type icmp rate-limit 50"
    assert "at 50 packet/s: below Alibaba's floor" in hit.message
    wireless = AR_RUNNING.replace("rate-limit 50", "rate-limit 50 wireless")
    assert _idc303(_lint(wireless)[1]) == []  # CAPWAP-encapsulated packets only
