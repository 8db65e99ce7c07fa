"""Render of `routing: bgp` (#10): one neighbor per line with explicit import and export
policies per vendor, no static route to the cloud, multipath or local-preference /
prepend, the BGP password resolved only here, the CoPP / lo0 exemption in insert mode."""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.generator.plan import plan_site
from idcgen.generator.render import render_site
from idcgen.sitemodel import load_site
from idcgen.sitemodel.bgp import effective_bgp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "dual-line-bgp.yaml"
VENDORS = ("cisco_ios", "huawei_vrp", "junos")
KEY = "Md5-Key_2026"


def model(**changes: object) -> dict:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def site_of(data: dict):
    return load_site("site.yaml", yaml.safe_dump(data, sort_keys=False))


def render(data: dict, vendor: str) -> str:
    return render_site(site_of(data), vendor, key_placeholder=True).text


def first_match(entries, prefix: IPv4Network) -> bool:
    """What a prefix-list / ip-prefix / route-filter list does to `prefix`: the first
    entry that matches decides, no match is a refusal."""
    for e in entries:
        longest = e.prefix.prefixlen if e.longest is None else e.longest
        if prefix.subnet_of(e.prefix) and e.prefix.prefixlen <= prefix.prefixlen <= longest:
            return e.action == "permit"
    return False


PROBES = ["192.168.10.1/32", "192.168.10.2/32", "192.168.0.0/16", "192.168.7.0/24",
          "100.64.0.0/10", "100.64.0.0/11", "100.96.0.0/11", "100.64.0.0/12", "0.0.0.0/0",
          "10.0.0.0/8", "172.16.0.0/16", "192.169.0.0/16"]


@pytest.mark.parametrize("redundancy", ["ecmp", "active-standby"])
def test_plan_entries_are_the_intended_import_policy(redundancy: str) -> None:
    data = model(redundancy=redundancy)
    data["lines"][1]["bgp"] = {"accept": [{"cidr": "192.168.0.0/16", "up_to": 24}]}
    site = site_of(data)
    plan = plan_site(site, "cisco_ios", key_placeholder=True)
    assert plan.bgp is not None
    for i, neighbor in enumerate(plan.bgp.neighbors):
        eff = effective_bgp(site, i)
        assert eff is not None
        for probe in map(IPv4Network, PROBES):
            assert first_match(neighbor.import_entries, probe) == eff.admits(probe), probe
        assert [e.prefix for e in neighbor.export_entries] == [IPv4Network("172.16.0.0/16")]


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_static_route_to_the_cloud(vendor: str) -> None:
    lines = render(model(), vendor).splitlines()
    for word in ("ip route ", "ip route-static ", "set routing-options static route "):
        assert not [ln for ln in lines if ln.startswith(word)], word
    static = render(model(routing="static", bgp=None), vendor)
    assert "192.168.10.1/32" in static or "192.168.10.1 255.255.255.255" in static \
        or "192.168.10.1 32" in static


def test_cisco_policies_and_neighbors() -> None:
    text = render(model(), "cisco_ios")
    a_in = [ln for ln in text.splitlines() if ln.startswith("ip prefix-list ALIYUN-LINE-A-IN ")]
    assert a_in[:3] == ["ip prefix-list ALIYUN-LINE-A-IN seq 5 deny 192.168.10.2/32",
                        "ip prefix-list ALIYUN-LINE-A-IN seq 10 permit 192.168.10.1/32",
                        "ip prefix-list ALIYUN-LINE-A-IN seq 15 permit 192.168.0.0/16 le 32"]
    assert " neighbor 10.10.10.1 remote-as 45104" in text
    assert "  maximum-paths 2" in text
    assert "  neighbor 10.10.11.1 route-map ALIYUN-LINE-B-IN in" in text
    assert " neighbor 10.10.10.1 fall-over bfd" in text
    assert " bfd interval 1000 min_rx 1000 multiplier 3" in text
    # policies before the process, the session started only after they are attached
    assert text.index("route-map ALIYUN-LINE-A-IN permit 10") < text.index("router bgp 65010")
    assert text.index("route-map ALIYUN-LINE-A-IN in") < text.index(
        " no neighbor 10.10.10.1 shutdown")


def test_huawei_policies_and_peers() -> None:
    text = render(model(), "huawei_vrp")
    assert "ip ip-prefix ALIYUN-LINE-B-IN index 5 deny 192.168.10.1 32" in text
    assert ("ip ip-prefix ALIYUN-LINE-B-IN index 15 permit 192.168.0.0 16 greater-equal 16 "
            "less-equal 32") in text
    assert "  maximum load-balancing 2" in text
    assert "  peer 10.10.10.1 route-policy ALIYUN-LINE-A-IN import" in text
    assert (" peer 10.10.10.1 bfd min-tx-interval 1000 min-rx-interval 1000 "
            "detect-multiplier 3") in text
    assert text.index("peer 10.10.10.1 ignore") < text.index("ALIYUN-LINE-A-IN import") \
        < text.index("undo peer 10.10.10.1 ignore")


def test_junos_policies_and_group() -> None:
    text = render(model(), "junos")
    assert ("set policy-options policy-statement ALIYUN-LINE-A-IN term HC-OTHER-LINES from "
            "route-filter 192.168.10.2/32 exact") in text
    assert ("set policy-options policy-statement ALIYUN-LINE-A-IN term ACCEPT from "
            "route-filter 192.168.0.0/16 orlonger") in text
    assert "set policy-options policy-statement ALIYUN-LINE-A-IN term REJECT then reject" in text
    assert "set protocols bgp group ALIYUN-VBR multipath" in text
    assert "set routing-options forwarding-table export ALIYUN-ECMP" in text
    assert ("set security zones security-zone ALIYUN-EC interfaces ge-0/0/1.0 "
            "host-inbound-traffic protocols bgp") in text
    data = model()
    data["bgp"]["accept"] = [{"cidr": "192.168.0.0/16", "up_to": 24}]
    assert "route-filter 192.168.0.0/16 upto /24" in render(data, "junos")


def test_active_standby_preference_and_prepend() -> None:
    data = model(redundancy="active-standby")
    cisco, huawei, junos = (render(data, v) for v in VENDORS)
    assert "  maximum-paths" not in cisco and "group ALIYUN-VBR multipath" not in junos
    assert " set local-preference 200" in cisco and " set local-preference 190" in cisco
    assert " set as-path prepend 65010" in cisco
    assert " apply local-preference 190" in huawei
    assert " apply as-path 65010 additive" in huawei
    assert "term ACCEPT then local-preference 200" in junos
    assert 'ALIYUN-LINE-B-OUT term ADVERTISE then as-path-prepend "65010"' in junos
    assert "ALIYUN-LINE-A-OUT term ADVERTISE then as-path-prepend" not in junos


def test_password_only_in_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIYUN_BGP_MD5", KEY)
    site = load_site(SAMPLE)
    for vendor in VENDORS:
        result = render_site(site, vendor)
        assert KEY in result.text and result.holds_secret
        placeholder = render_site(site, vendor, key_placeholder=True)
        assert KEY not in placeholder.text and not placeholder.holds_secret
        assert "env:ALIYUN_BGP_MD5" in placeholder.text
    result = CliRunner().invoke(main, ["check", str(SAMPLE)])
    assert result.exit_code == 0 and KEY not in result.output


def test_cisco_refuses_a_password_starting_with_a_digit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIYUN_BGP_MD5", "9Secret-key")
    result = CliRunner().invoke(main, ["render", str(SAMPLE), "--vendor", "cisco_ios"])
    assert result.exit_code == 2
    assert "starts with a digit" in result.output + result.stderr
    assert "9Secret-key" not in result.output + result.stderr
    result = CliRunner().invoke(main, ["render", str(SAMPLE), "--vendor", "junos"])
    assert result.exit_code == 0


def test_insert_mode_exempts_bgp_and_bfd() -> None:
    data = model(control_plane={"mode": "insert", "policy": "PM-COPP", "before": "CM-ICMP"})
    cisco = render(data, "cisco_ios")
    assert " permit tcp host 10.10.10.1 host 10.10.10.2 eq bgp" in cisco
    assert " permit udp host 10.10.11.1 host 10.10.11.2 range 3784 3785" in cisco
    assert " class CM-ALIYUN-BGP insert-before CM-ICMP" in cisco
    data["control_plane"] = {"mode": "insert", "policy": "PROTECT-RE", "before": "DISCARD"}
    junos = render(data, "junos")
    assert "set firewall family inet filter PROTECT-RE term ALIYUN-BGP from port bgp" in junos
    assert ("insert firewall family inet filter PROTECT-RE term ALIYUN-BFD before term "
            "DISCARD") in junos
    created = render(model(), "cisco_ios")
    assert "CM-ALIYUN-BGP" not in created  # our own policy polices nothing but class HC


PLATFORM_CASES = [("cisco_ios", None), ("huawei_vrp", "ar"), ("huawei_vrp", "s"),
                  ("huawei_vrp", "ce"), ("huawei_vrp", "ne"), ("junos", "srx"),
                  ("junos", "mx")]


@pytest.mark.parametrize("redundancy", ["ecmp", "active-standby"])
@pytest.mark.parametrize(("vendor", "platform"), PLATFORM_CASES)
def test_rendered_bgp_config_lints_clean_and_reviews_compliant(
        vendor: str, platform: str | None, redundancy: str) -> None:
    """The issue's "done when": the rendered config (as pasted) lints without a finding
    with the site in force, and reviews with nothing missing, conflicting or to change."""
    from idcgen.lint import lint_text
    from idcgen.review import review_text

    site = site_of(model(redundancy=redundancy))
    if platform is not None:
        site = site.model_copy(update={"platform": {**site.platform, vendor: platform}})
    text = render_site(site, vendor, key_placeholder=True).text
    findings = lint_text(text, "rendered.cfg", vendor=vendor, site=site).findings
    assert [(f.rule, f.message) for f in findings] == []
    result = review_text(site, text, "rendered.cfg", vendor)
    missing = result.missing
    if platform in ("ce", "ne"):
        # CloudEngine / NetEngine: the cpu-defend exemption is not rendered (unverified
        # form, the render says so), so review still asks for it; static sites alike
        missing = [i for i in missing if i.kind != "exemption"]
    assert missing == [] and result.conflicting == []
    assert result.remediation == [] and result.rollback == []


def test_a_vendor_without_bgp_templates_is_a_capability_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A vendor whose templates have no bgp.j2 refuses routing bgp by name (exit 2)
    instead of rendering a config without the routing."""
    from idcgen.generator import templating
    from idcgen.vendors.base import CapabilityError

    real = templating.has_template
    monkeypatch.setattr(templating, "has_template",
                        lambda name: False if name.endswith("/bgp.j2") else real(name))
    with pytest.raises(CapabilityError, match="routing bgp"):
        render(model(), "cisco_ios")
