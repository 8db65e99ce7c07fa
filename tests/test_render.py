"""`idcgen render`: golden configs, plan decisions, CLI behaviour and safe writing.

Golden files: tests/golden/<sample>.<vendor>.cfg hold the whole expected output for every
sample x vendor. After an intended change to templates or plan, regenerate them with

    IDCGEN_UPDATE_GOLDEN=1 /work/venv/bin/python -m pytest tests/test_render.py

and read `git diff tests/golden` line by line as a reviewer would before committing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.generator import render as render_module
from idcgen.generator.plan import plan_site
from idcgen.generator.render import render_site
from idcgen.sitemodel import Site, load_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SAMPLES = ("single-line", "dual-line-ecmp", "dual-line-active-standby", "dual-line-bgp")
VENDORS = ("cisco_ios", "huawei_vrp", "junos")
# platform families other than each vendor's default (huawei_vrp ar, junos srx): one
# golden file each, <sample>.<vendor>.<platform>.cfg
PLATFORMS = (("huawei_vrp", "s"), ("huawei_vrp", "ce"), ("huawei_vrp", "ne"), ("junos", "mx"))
UPDATE_GOLDEN = os.environ.get("IDCGEN_UPDATE_GOLDEN") == "1"
# failure_detection samples (issue #11): every vendor and platform that renders the mode
# (Junos renders only bfd: a track model is refused, test_junos_refuses_track)
DETECTION_SAMPLES = {"dual-line-track": ("cisco_ios", "huawei_vrp"),
                     "dual-line-bfd": ("cisco_ios", "huawei_vrp", "junos")}
DETECTION_CASES = [(sample, vendor, platform) for sample, vendors in DETECTION_SAMPLES.items()
                   for vendor in vendors
                   for platform in (None, *(p for v, p in PLATFORMS if v == vendor))]


def base_model(**changes: object) -> dict:
    """Scenario B (two lines, ECMP) as plain data; tests change what they are about."""
    model: dict = {
        "site": "sh-dc1",
        "hostname": "dc1-border1",
        "onprem_networks": ["172.16.0.0/16"],
        "cloud_networks": [{"name": "prod", "cidr": "192.168.0.0/16"}],
        "lines": [
            {"name": "line-a", "interface": {"cisco_ios": "GigabitEthernet0/0/1",
                                             "huawei_vrp": "GigabitEthernet0/0/1",
                                             "junos": "ge-0/0/1"},
             "local_ip": "10.10.10.2/30", "vbr_ip": "10.10.10.1",
             "health_check_source": "192.168.10.1"},
            {"name": "line-b", "interface": {"cisco_ios": "GigabitEthernet0/0/2",
                                             "huawei_vrp": "GigabitEthernet0/0/2",
                                             "junos": "ge-0/0/2"},
             "local_ip": "10.10.11.2/30", "vbr_ip": "10.10.11.1",
             "health_check_source": "192.168.10.2"},
        ],
    }
    model.update(changes)
    return model


def site_from(model: dict) -> Site:
    return load_site("site.yaml", yaml.safe_dump(model, sort_keys=False))


def write_model(tmp_path: Path, model: dict, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    return path


def render(model: dict, vendor: str) -> str:
    return render_site(site_from(model), vendor).text


# ---- golden files -----------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden(sample: str, vendor: str) -> None:
    site = load_site(SAMPLES_DIR / f"{sample}.yaml")
    text = render_site(site, vendor, key_placeholder=True).text  # no key in a golden file
    golden = GOLDEN_DIR / f"{sample}.{vendor}.cfg"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"missing {golden}; run with IDCGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("vendor", "platform"), PLATFORMS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden_per_platform(sample: str, vendor: str, platform: str) -> None:
    site = load_site(SAMPLES_DIR / f"{sample}.yaml")
    site = site.model_copy(update={"platform": {**site.platform, vendor: platform}})
    text = render_site(site, vendor, key_placeholder=True).text
    golden = GOLDEN_DIR / f"{sample}.{vendor}.{platform}.cfg"
    if UPDATE_GOLDEN:
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"missing {golden}; run with IDCGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("sample", "vendor", "platform"), DETECTION_CASES)
def test_detection_sample_matches_golden(sample: str, vendor: str, platform: str | None) -> None:
    site = load_site(SAMPLES_DIR / f"{sample}.yaml")
    if platform is not None:
        site = site.model_copy(update={"platform": {**site.platform, vendor: platform}})
    text = render_site(site, vendor).text
    golden = GOLDEN_DIR / ".".join(x for x in (sample, vendor, platform, "cfg") if x)
    if UPDATE_GOLDEN:
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"missing {golden}; run with IDCGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("vendor", VENDORS)
def test_golden_files_are_all_used(vendor: str) -> None:
    names = {p.name for p in GOLDEN_DIR.glob(f"*.{vendor}*.cfg")}
    detection = {".".join(x for x in (s, v, p, "cfg") if x)
                 for s, v, p in DETECTION_CASES if v == vendor}
    assert names == ({f"{s}.{vendor}.cfg" for s in SAMPLES}
                     | {f"{s}.{vendor}.{p}.cfg" for s in SAMPLES
                        for v, p in PLATFORMS if v == vendor} | detection)


# ---- header and determinism ---------------------------------------------------------


@pytest.mark.parametrize(("vendor", "comment"), [("cisco_ios", "!"), ("huawei_vrp", "#"),
                                                 ("junos", "#")])
def test_header_names_site_hostname_vendor_and_version(vendor: str, comment: str) -> None:
    text = render(base_model(), vendor)
    header = []
    for line in text.splitlines():
        if not line.startswith(comment):
            break
        header.append(line)
    joined = "\n".join(header)
    for needle in ("sh-dc1", "dc1-border1", vendor, "idcgen 0.1.0"):
        assert needle in joined


@pytest.mark.parametrize("vendor", VENDORS)
def test_same_model_gives_identical_bytes(tmp_path: Path, vendor: str) -> None:
    path = write_model(tmp_path, base_model())
    runner = CliRunner()
    first = runner.invoke(main, ["render", str(path), "--vendor", vendor])
    second = runner.invoke(main, ["render", str(path), "--vendor", vendor])
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes


# ---- plan decisions -------------------------------------------------------------------


def test_ecmp_uses_vendor_default_everywhere() -> None:
    for vendor in VENDORS:
        plan = plan_site(site_from(base_model()), vendor)
        assert {r.preference for r in plan.routes} == {None}


@pytest.mark.parametrize(("vendor", "standby"), [("cisco_ios", [11, 21, 31]),
                                                 ("huawei_vrp", [70, 80, 90]),
                                                 ("junos", [15, 25, 35])])
def test_active_standby_ranks_by_line_order(vendor: str, standby: list[int]) -> None:
    model = base_model(redundancy="active-standby")
    for i, octet in ((2, 12), (3, 13)):
        model["lines"].append({
            "name": f"line-{i}", "interface": f"ge-0/0/{i + 1}",
            "local_ip": f"10.10.{octet}.2/30", "vbr_ip": f"10.10.{octet}.1",
            "health_check_source": f"192.168.10.{i + 1}"})
    plan = plan_site(site_from(model), vendor)
    assert [line.preference for line in plan.lines] == [None, *standby]
    for route in plan.routes:
        if route.purpose == "health-check":
            assert route.preference is None  # never floating
        else:
            line = next(line for line in plan.lines if line.vbr_ip == route.next_hop)
            assert route.preference == line.preference


def test_health_check_route_per_line_via_own_vbr_only() -> None:
    plan = plan_site(site_from(base_model()), "cisco_ios")
    health = [r for r in plan.routes if r.purpose == "health-check"]
    assert [(str(r.prefix), str(r.next_hop)) for r in health] == [
        ("192.168.10.1/32", "10.10.10.1"), ("192.168.10.2/32", "10.10.11.1")]
    assert [r.name for r in health] == ["ALIYUN-HC-LINE-A", "ALIYUN-HC-LINE-B"]


def test_every_cloud_prefix_over_every_line() -> None:
    plan = plan_site(site_from(base_model()), "huawei_vrp")
    pairs = {(str(r.prefix), str(r.next_hop)) for r in plan.routes if r.purpose != "health-check"}
    assert pairs == {(p, nh) for p in ("100.64.0.0/10", "192.168.0.0/16")
                     for nh in ("10.10.10.1", "10.10.11.1")}
    names = [r.name for r in plan.routes if r.purpose == "vpc"]
    assert names == ["ALIYUN-VPC-PROD-LINE-A", "ALIYUN-VPC-PROD-LINE-B"]


def test_cloud_services_split_and_off() -> None:
    split = render(base_model(cloud_services={"split": True}), "cisco_ios")
    assert "ip route 100.64.0.0 255.224.0.0 10.10.10.1 name ALIYUN-SVC-LINE-A" in split
    assert "ip route 100.96.0.0 255.224.0.0 10.10.11.1 name ALIYUN-SVC-LINE-B" in split
    assert "255.192.0.0" not in split
    off = render(base_model(cloud_services=False), "junos")
    assert "100.64.0.0" not in off


def test_long_names_are_fitted() -> None:
    model = base_model(cloud_networks=[{"name": "n" * 24, "cidr": "192.168.0.0/16"}])
    model["lines"][0]["name"] = "l" * 24
    plan = plan_site(site_from(model), "huawei_vrp")
    assert all(len(r.name or "") <= 60 for r in plan.routes)
    assert len({r.name for r in plan.routes}) == len(plan.routes)


def test_junos_ecmp_policy_only_with_two_equal_lines() -> None:
    assert "load-balance per-packet" in render(base_model(), "junos")
    standby = render(base_model(redundancy="active-standby"), "junos")
    assert "load-balance" not in standby
    assert "qualified-next-hop 10.10.11.1 preference 15" in standby


# ---- interfaces ---------------------------------------------------------------------


def test_vlan_sub_interfaces() -> None:
    model = base_model()
    model["lines"][0]["vlan"] = 100
    cisco = render(model, "cisco_ios")
    assert "interface GigabitEthernet0/0/1.100\n" in cisco
    assert " encapsulation dot1Q 100\n" in cisco
    huawei = render(model, "huawei_vrp")
    assert "interface GigabitEthernet0/0/1.100\n" in huawei
    assert " dot1q termination vid 100\n arp broadcast enable\n" in huawei
    junos = render(model, "junos")
    assert "set interfaces ge-0/0/1 vlan-tagging\n" in junos
    assert "set interfaces ge-0/0/1 unit 100 vlan-id 100\n" in junos
    assert "set interfaces ge-0/0/1 unit 100 family inet address 10.10.10.2/30\n" in junos
    assert "set interfaces ge-0/0/2 unit 0 family inet address 10.10.11.2/30\n" in junos


def test_cisco_parent_port_of_a_sub_interface_is_brought_up() -> None:
    """Issue #11 defect 6: router ports start administratively down; a sub-interface
    on a shut parent never comes up."""
    model = base_model()
    model["lines"][0]["vlan"] = 100
    cisco = render(model, "cisco_ios")
    assert ("interface GigabitEthernet0/0/1\n no shutdown\n"
            "interface GigabitEthernet0/0/1.100\n") in cisco
    # an untagged line is the port itself: one block, with its own no shutdown
    assert cisco.count("interface GigabitEthernet0/0/2\n") == 1


def test_no_annotate_in_junos_set_form() -> None:
    for sample in SAMPLES:
        text = render_site(load_site(SAMPLES_DIR / f"{sample}.yaml"), "junos",
                           key_placeholder=True).text
        for line in text.splitlines():
            assert line.startswith(("set ", "#", "insert ")), line


# ---- control plane ------------------------------------------------------------------


def test_control_plane_insert_with_before() -> None:
    model = base_model(control_plane={"mode": "insert", "policy": "COPP", "before": "ICMP"})
    cisco = render(model, "cisco_ios")
    assert "policy-map COPP\n class CM-ALIYUN-HC insert-before ICMP\n" in cisco
    assert "service-policy input" not in cisco  # the existing policy is already attached
    junos = render(model, "junos")
    assert "set firewall family inet filter COPP term ALIYUN-HC then accept" in junos
    assert "insert firewall family inet filter COPP term ALIYUN-HC before term ICMP" in junos
    assert "filter input" not in junos and "ACCEPT-REST" not in junos
    huawei = render(model, "huawei_vrp")
    assert ("cpu-defend policy COPP\n user-defined-flow 1 acl 3901\n"
            " car user-defined-flow 1 cir 1024\n") in huawei
    assert "cpu-defend-policy COPP global" not in huawei  # already applied


def test_control_plane_insert_without_before_says_to_move_it() -> None:
    model = base_model(control_plane={"mode": "insert", "policy": "COPP"})
    assert "move CM-ALIYUN-HC above every class" in render(model, "cisco_ios")
    assert "move ALIYUN-HC above every term" in render(model, "junos")


def test_control_plane_create_never_drops_anything_else() -> None:
    cisco = render(base_model(), "cisco_ios")
    section = cisco.split("policy-map PM-ALIYUN-COPP")[1].split("control-plane")[0]
    assert "class-default" not in section and "drop" not in section
    junos = render(base_model(), "junos")
    assert "term ACCEPT-REST then accept" in junos
    commands = [line for line in junos.splitlines() if not line.startswith("#")]
    assert not any("discard" in line or "policer" in line for line in commands)


def test_control_plane_none_renders_no_exemption() -> None:
    model = base_model(control_plane={"mode": "none"})
    for vendor in VENDORS:
        text = render(model, vendor)
        assert "ALIYUN-HC-" not in text.replace("ALIYUN-HC-LINE", "")
        assert "mode none" in text


def test_huawei_family_comment() -> None:
    """Issue #11 defect 5: the AR render applies the policy in the AR form (`cpu-defend-policy
    NAME`, no S-series `global`) and names exactly what is still unverified on AR."""
    ar = render(base_model(), "huawei_vrp")
    block = ar.split("Local attack defence")[1]
    assert "\ncpu-defend-policy ALIYUN-HC\n" in block
    assert "cpu-defend-policy ALIYUN-HC global" not in ar
    assert "Unverified on AR:\n# `user-defined-flow` and `car user-defined-flow`" in block
    assert "Check the two flow\n# lines with `?` before committing them" in block
    s_family = render(base_model(control_plane={"huawei_family": "s"}), "huawei_vrp")
    assert "unverified:" not in s_family.split("Local attack defence")[1].lower()
    assert "cpu-defend-policy ALIYUN-HC global" in s_family


def test_huawei_cloudengine_and_netengine_ports() -> None:
    """Issue #12 class 6: CloudEngine speed-named ports render; NetEngine (VRP8) renders
    routed ports like AR, commits like CE and says what is unverified."""
    ce_model = base_model(platform={"huawei_vrp": "ce"})
    ce_model["lines"][0]["interface"] = {"huawei_vrp": "10GE1/0/47"}
    ce_model["lines"][1]["interface"] = {"huawei_vrp": "100GE1/0/1"}
    ce_model["lines"][1]["vlan"] = 100
    ce = render(ce_model, "huawei_vrp")
    assert "interface 10GE1/0/47\n undo portswitch\n" in ce
    assert "interface 100GE1/0/1.100\n" in ce and ce.endswith("commit\nreturn\n")
    ne_model = base_model(platform={"huawei_vrp": "ne"})
    ne_model["lines"][1]["vlan"] = 100
    ne = render(ne_model, "huawei_vrp")
    assert "undo portswitch\n" not in ne
    assert " dot1q termination vid 100\n arp broadcast enable\n" in ne
    assert ne.endswith("commit\nreturn\n") and "unverified" in ne
    assert "cpu-defend-policy" not in ne and "user-defined-flow 1" not in ne


def test_huawei_ce_renders_the_cloudengine_exemption() -> None:
    """Issue #11 defect 1: CloudEngine has no user-defined flow and no
    `cpu-defend-policy NAME global`: the render gives the ICMP CPCAR in packet/s above
    Alibaba's floor, ACL whitelists for port attack defence and attack source tracing,
    applies the policy device-wide (`cpu-defend-policy NAME`, no slot) and commits."""
    from idcgen.cloud import HEALTH_CHECK_MIN_PPS
    from idcgen.vendors.huawei_vrp.driver import HC_ICMP_PPS

    ce = render(base_model(platform={"huawei_vrp": "ce"}), "huawei_vrp")
    commands = [ln for ln in ce.splitlines() if not ln.startswith("#")]
    assert not any("user-defined-flow" in ln or ln.endswith(" global") for ln in commands)
    at = commands.index("cpu-defend policy ALIYUN-HC")
    assert commands[at:at + 5] == [
        "cpu-defend policy ALIYUN-HC", f" car packet-type icmp pps {HC_ICMP_PPS}",
        " auto-port-defend whitelist 1 acl 3901", " auto-defend whitelist 1 acl 3901",
        "cpu-defend-policy ALIYUN-HC"]
    assert HC_ICMP_PPS > HEALTH_CHECK_MIN_PPS and 25 <= HC_ICMP_PPS <= 10000
    assert " rule 5 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0 icmp-type echo" \
        in commands
    assert commands.index("acl number 3901") < at  # the whitelists name an existing ACL
    assert ce.endswith("commit\nreturn\n")
    assert "Unverified: the\n#   switch's default ICMP CPCAR" in ce
    assert "NOT RENDERED" not in ce


def test_huawei_ce_insert_adds_to_the_running_policy() -> None:
    """Issue #11 defect 1, mode insert: the CE lines go into the named policy, which is
    already applied (no apply line), and the render says the ICMP CAR is replaced."""
    model = base_model(platform={"huawei_vrp": "ce"},
                       control_plane={"mode": "insert", "policy": "DC-PROTECT"})
    ce = render(model, "huawei_vrp")
    assert ("cpu-defend policy DC-PROTECT\n car packet-type icmp pps 1000\n"
            " auto-port-defend whitelist 1 acl 3901\n auto-defend whitelist 1 acl 3901\n"
            ) in ce
    assert "\ncpu-defend-policy" not in ce
    assert "its ICMP CAR becomes 1000 pps" in ce


def test_huawei_exemption_meets_alibabas_500_pps_floor() -> None:
    """Issue #11 defect 12: the dedicated CAR carries more than 500 echo/s."""
    from idcgen.cloud import HEALTH_CHECK_MIN_PPS
    from idcgen.vendors.huawei_vrp.driver import HC_FLOW_CIR_KBPS

    assert HC_FLOW_CIR_KBPS * 1000 >= HEALTH_CHECK_MIN_PPS * 100 * 8
    assert " car user-defined-flow 1 cir 1024\n" in render(base_model(), "huawei_vrp")


def test_huawei_ce_commits_and_makes_ports_layer3() -> None:
    """Issue #11 defects 2 and 3: CE is two-stage (commit), ports are Layer 2 by default
    (undo portswitch), and `arp broadcast enable` is not rendered on CE."""
    model = base_model(platform={"huawei_vrp": "ce"})
    model["lines"][0]["vlan"] = 100
    ce = render(model, "huawei_vrp")
    assert ce.endswith("commit\nreturn\n")
    assert ("interface GigabitEthernet0/0/1\n undo portswitch\n undo shutdown\n"
            "interface GigabitEthernet0/0/1.100\n") in ce
    assert "arp broadcast enable" not in ce.replace("`arp broadcast enable`", "")
    assert "interface GigabitEthernet0/0/2\n undo portswitch\n" in ce
    model.pop("platform")
    ar = render(model, "huawei_vrp")
    assert "\ncommit\n" not in ar and "undo portswitch\n" not in ar
    assert " dot1q termination vid 100\n arp broadcast enable\n" in ar


def test_huawei_s_uses_a_vlanif_for_a_tagged_line() -> None:
    """Issue #11 defect 3: an S-series port is Layer 2; a tagged line is a VLANIF."""
    model = base_model(platform={"huawei_vrp": "s"})
    model["lines"][0]["vlan"] = 100
    s = render(model, "huawei_vrp")
    assert ("vlan batch 100\ninterface GigabitEthernet0/0/1\n port link-type trunk\n"
            " port trunk allow-pass vlan 100\n") in s
    assert "interface Vlanif100\n" in s and "dot1q termination" not in s
    assert "\ncommit\n" not in s


# ---- IPsec hook ---------------------------------------------------------------------


def test_ipsec_context_is_included_and_marks_secret(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def fake_plan_ipsec(site: Site, vendor: str, *, key_placeholder: bool = False) -> dict:
        seen["key_placeholder"] = key_placeholder
        return {"holds_secret": True}

    monkeypatch.setattr(render_module, "plan_ipsec", fake_plan_ipsec)
    result = render_site(site_from(base_model()), "cisco_ios", key_placeholder=True)
    assert seen == {"key_placeholder": True}
    assert result.holds_secret
    assert "IPsec" in result.text
    assert result.text.rstrip().endswith("end")

    path = write_model(tmp_path, base_model())
    out = tmp_path / "out.cfg"
    outcome = CliRunner().invoke(main, ["render", str(path), "--vendor", "ios", "-o", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# ---- command line -------------------------------------------------------------------


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_vendor_from_model_and_alias(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(vendor="huawei"))
    result = invoke("render", str(path))
    assert result.exit_code == 0
    assert "ip route-static" in result.stdout
    assert "set routing-options" in invoke("render", str(path), "--vendor", "juniper").stdout


def test_no_vendor_is_a_usage_error(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model())
    result = invoke("render", str(path))
    assert result.exit_code == 2
    assert "--vendor" in result.stderr
    assert result.stdout == ""


def test_unknown_vendor_is_exit_2(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model())
    result = invoke("render", str(path), "--vendor", "nokia")
    assert result.exit_code == 2


def test_missing_interface_is_located(tmp_path: Path) -> None:
    text = (SAMPLES_DIR / "dual-line-ecmp.yaml").read_text(encoding="utf-8")
    text = text.replace("      junos: ge-0/0/2\n", "")
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("render", str(path), "--vendor", "junos")
    assert result.exit_code == 2
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines, 1)
               if line.strip() == "cisco_ios: GigabitEthernet0/0/2")
    col = lines[row - 1].index("cisco_ios") + 1
    assert f"{path}:{row}:{col}: lines[1].interface: no interface name for junos" in result.stderr
    assert invoke("render", str(path), "--vendor", "cisco").exit_code == 0


def test_device_must_match_hostname(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(vendor="junos"))
    assert invoke("render", str(path), "--device", "dc1-border1").exit_code == 0
    result = invoke("render", str(path), "--device", "dc2-border1")
    assert result.exit_code == 2
    assert "dc1-border1" in result.stderr and result.stdout == ""


def test_site_from_stdin() -> None:
    result = invoke("render", "-", "--vendor", "cisco",
                    stdin=yaml.safe_dump(base_model()))
    assert result.exit_code == 0
    assert "ip route 192.168.10.2 255.255.255.255 10.10.11.1 name ALIYUN-HC-LINE-B" in result.stdout


def test_output_file_and_directory(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(vendor="huawei_vrp"))
    out_file = tmp_path / "r1.cfg"
    assert invoke("render", str(path), "-o", str(out_file)).exit_code == 0
    expected = render(base_model(), "huawei_vrp")
    assert out_file.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(out_file.stat().st_mode) & 0o077 != 0o077  # not a secret: umask mode
    out_dir = tmp_path / "configs"
    out_dir.mkdir()
    assert invoke("render", str(path), "-o", str(out_dir)).exit_code == 0
    assert (out_dir / "dc1-border1.huawei_vrp.cfg").read_text(encoding="utf-8") == expected


def test_output_into_missing_directory_is_exit_2(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(vendor="junos"))
    result = invoke("render", str(path), "-o", str(tmp_path / "nope" / "r1.cfg"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_failed_render_writes_nothing_and_keeps_existing_file(tmp_path: Path) -> None:
    model = base_model(vendor="junos")
    del model["lines"][1]["interface"]["junos"]
    path = write_model(tmp_path, model)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    existing = out_dir / "r1.cfg"
    existing.write_text("previous config\n", encoding="utf-8")
    for target in (existing, out_dir):
        result = invoke("render", str(path), "-o", str(target))
        assert result.exit_code == 2
    assert existing.read_text(encoding="utf-8") == "previous config\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["r1.cfg"]  # no temp file left


def test_failed_render_inside_templates_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(site: Site, vendor: str, *, key_placeholder: bool = False):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(render_module, "render_site", broken)
    path = write_model(tmp_path, base_model(vendor="cisco_ios"))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = invoke("render", str(path), "-o", str(out_dir))
    assert result.exit_code == 2
    assert "internal error" in result.stderr
    assert list(out_dir.iterdir()) == []


def test_check_summary(tmp_path: Path) -> None:
    result = invoke("check", str(SAMPLES_DIR / "dual-line-active-standby.yaml"))
    assert result.exit_code == 0
    out = result.stdout
    assert "valid site model" in out
    for needle in ("shanghai-dc1", "dc1-border1", "huawei_vrp", "active-standby",
                   "line-a (active)", "line-b (standby 1)", "10.10.10.2/30",
                   "VBR 10.10.11.1", "health check from 192.168.10.2",
                   "prod 192.168.0.0/16", "100.64.0.0/10", "control plane:  create",
                   "0 connection(s)"):
        assert needle in out, needle
    assert len(out.splitlines()) <= 25  # one screen


def test_check_invalid_model_is_exit_2(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(hostname="bad host"))
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert "hostname" in result.stderr


@pytest.mark.parametrize(("vendor", "platform", "needle"), [
    ("huawei_vrp", "ce", "Huawei CloudEngine switches"),
    ("huawei_vrp", "s", "Huawei S-series switches"),
    ("huawei_vrp", "ne", "Huawei NetEngine routers"),
    ("junos", "mx", "Junos MX has no `set security ike/ipsec` hierarchy"),
])
def test_ipsec_is_refused_where_the_platform_has_none(tmp_path: Path, vendor: str,
                                                      platform: str, needle: str) -> None:
    """Issue #11 defects 4 and 9: CE/S switches and MX have no (rendered) IPsec: a located
    exit-2 error instead of 100+ lines the device rejects."""
    model = yaml.safe_load((SAMPLES_DIR / "vpn-offices.yaml").read_text(encoding="utf-8"))
    model["platform"] = {vendor: platform}
    path = write_model(tmp_path, model)
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", vendor])
    assert result.exit_code == 2
    assert needle in result.output
    assert "site.yaml:" in result.output and "ipsec" in result.output
    # the default platform (ar / srx) still renders it
    model["platform"] = {}
    ok = CliRunner().invoke(main, ["render", str(write_model(tmp_path, model)), "--vendor",
                                   vendor, "--key-placeholder"])
    assert ok.exit_code == 0, ok.output
    assert needle not in ok.output


def test_unknown_platform_is_a_located_error(tmp_path: Path) -> None:
    path = write_model(tmp_path, base_model(platform={"junos": "ex"}))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "platform.junos" in result.output and "known: srx, mx" in result.output


def test_srx_puts_each_line_in_a_zone_that_answers_ping() -> None:
    """Issue #11 defect 10: an SRX drops the probes of an interface in no zone, or in a
    zone without host-inbound ping. MX has no zones."""
    from idcgen.vendors import get_driver

    model = base_model()
    model["lines"][0]["vlan"] = 100
    model["lines"][1]["security_zone"] = "untrust-ec"
    srx = render(model, "junos")
    assert ("set security zones security-zone ALIYUN-EC interfaces ge-0/0/1.100 "
            "host-inbound-traffic system-services ping\n") in srx
    assert ("set security zones security-zone untrust-ec interfaces ge-0/0/2.0 "
            "host-inbound-traffic system-services ping\n") in srx
    device = get_driver("junos").parse(srx, "srx.cfg")
    assert device.interfaces["ge-0/0/1.100"].host_inbound_ping is True
    assert device.interfaces["ge-0/0/2.0"].host_inbound_ping is True
    mx = render(base_model(platform={"junos": "mx"}), "junos")
    assert "set security" not in mx
