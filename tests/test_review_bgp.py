"""`idcgen review` with `routing: bgp` (#10): missing neighbors, policies, multipath and
networks are found by meaning; the remediation adds them in a safe order; running +
remediation reviews with nothing left to change; + rollback is the original device."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_review import CASES, VENDORS, apply_commands, meaning, running

from idcgen.devicemodel import Device
from idcgen.review import review_text
from idcgen.sitemodel import load_site
from idcgen.vendors import get_driver

FIXTURES = Path(__file__).parent / "fixtures" / "review"
KEY_ENV = "IDCGEN_TEST_BGP_MD5"
KEY = "Bgp-never-print-me-77"


def bgp_site(redundancy: str = "ecmp"):
    data = yaml.safe_load((FIXTURES / "site.yaml").read_text())
    data.update(routing="bgp", redundancy=redundancy,
                bgp={"local_asn": 65010, "password": {"env": KEY_ENV}, "bfd": True,
                     "timers": {"keepalive": 30, "hold": 90}})
    return load_site("site.yaml", yaml.safe_dump(data, sort_keys=False))


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)


def bgp_meaning(device: Device) -> dict:
    bgp = device.bgp
    neighbors = sorted((str(n.address), n.remote_as, tuple(n.import_policies),
                        tuple(n.export_policies), n.password, n.bfd, n.enabled, n.multipath)
                       for n in device.bgp_neighbors)
    if bgp is None:
        return {"neighbors": neighbors}
    lists = sorted((name, [(e.action, str(e.prefix), e.ge, e.le) for e in p.entries])
                   for name, p in bgp.prefix_lists.items())
    policies = sorted((name, [(t.name, t.action, tuple(t.prefix_lists),
                               [(f.action, str(f.prefix), f.ge, f.le) for f in t.route_filters])
                              for t in p.terms]) for name, p in bgp.policies.items())
    return {"neighbors": neighbors, "as": bgp.local_as, "multipath": bgp.multipath,
            "networks": sorted(str(n.prefix) for n in bgp.networks), "lists": lists,
            "policies": policies}


@pytest.mark.parametrize("redundancy", ["ecmp", "active-standby"])
@pytest.mark.parametrize(("vendor", "state"), CASES)
def test_bgp_round_trip(vendor: str, state: str, redundancy: str) -> None:
    site = bgp_site(redundancy)
    parse = get_driver(vendor).parse
    text = running(vendor, state)
    result = review_text(site, text, "running.cfg", vendor)
    kinds = {i.kind for i in result.missing}
    assert {"bgp-neighbor", "bgp-policy"} <= kinds
    assert ("bgp-multipath" in kinds) == (redundancy == "ecmp")
    printed = "\n".join(result.remediation + result.rollback)
    assert KEY not in printed and f"<PSK-from-env:{KEY_ENV}>" in printed
    after = apply_commands(vendor, text, result.remediation)
    again = review_text(site, after, "after.cfg", vendor)
    assert again.missing == [] and again.conflicting == []
    assert again.remediation == [] and again.rollback == []
    assert again.compliant, [(f.rule, f.message) for f in again.findings]
    neighbors = {str(n.address): n for n in parse(after, "after.cfg").bgp_neighbors}
    assert set(neighbors) == {"10.10.10.1", "10.10.11.1"}
    assert all(n.enabled and n.import_policies and n.export_policies and n.password
               for n in neighbors.values())
    back = apply_commands(vendor, after, result.rollback)
    original, restored = parse(text, "a"), parse(back, "b")
    assert meaning(restored) == meaning(original)
    assert bgp_meaning(restored) == bgp_meaning(original)


@pytest.mark.parametrize("vendor", VENDORS)
def test_policies_before_the_neighbor_that_uses_them(vendor: str) -> None:
    result = review_text(bgp_site(), running(vendor, "empty"), "running.cfg", vendor)
    lines = [ln.strip() for ln in result.remediation]

    def first(word: str) -> int:
        return next(i for i, ln in enumerate(lines) if word in ln)

    if vendor == "junos":
        assert first("policy-statement ALIYUN-LINE-A-IN") < first("neighbor 10.10.10.1")
        return
    policy = "route-map ALIYUN-LINE-A-IN permit" if vendor == "cisco_ios" else \
        "route-policy ALIYUN-LINE-A-IN permit"
    create = "neighbor 10.10.10.1 remote-as" if vendor == "cisco_ios" else \
        "peer 10.10.10.1 as-number"
    held = "neighbor 10.10.10.1 shutdown" if vendor == "cisco_ios" else "peer 10.10.10.1 ignore"
    attach = "ALIYUN-LINE-A-IN in" if vendor == "cisco_ios" else "ALIYUN-LINE-A-IN import"
    start = "no neighbor 10.10.10.1 shutdown" if vendor == "cisco_ios" else \
        "undo peer 10.10.10.1 ignore"
    assert first(policy) < first(create) < first(held) < first(attach) < first(start)


EXISTING = {
    "cisco_ios": ("router bgp 65010\n neighbor 10.10.10.1 remote-as 45104\n"
                  " neighbor 10.10.10.1 password x\n"
                  " neighbor 10.10.10.1 fall-over bfd\n !\n address-family ipv4\n"
                  "  neighbor 10.10.10.1 activate\n exit-address-family\n!\n"),
    "huawei_vrp": ("bgp 65010\n peer 10.10.10.1 as-number 45104\n"
                   " peer 10.10.10.1 password cipher x\n peer 10.10.10.1 bfd enable\n #\n"
                   " ipv4-family unicast\n  peer 10.10.10.1 enable\n#\n"),
    "junos": ("set routing-options autonomous-system 65010\n"
              "set protocols bgp group OLD type external\n"
              "set protocols bgp group OLD neighbor 10.10.10.1 peer-as 45104\n"),
}


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp"])
def test_running_session_without_import_policy_is_not_bounced(vendor: str) -> None:
    """A neighbor the device already runs gets its policies attached in place: no
    shutdown / ignore line that would drop the session."""
    text = running(vendor, "partial").replace("\nend\n", "\n").replace("\nreturn\n", "\n")
    text += EXISTING[vendor] + ("end\n" if vendor == "cisco_ios" else "return\n")
    result = review_text(bgp_site(), text, "running.cfg", vendor)
    conflict = [i.message for i in result.conflicting if i.kind == "bgp-neighbor"]
    assert any("10.10.10.1" in m and "import none" in m for m in conflict), conflict
    pasted = "\n".join(result.remediation)
    assert "neighbor 10.10.10.1 shutdown" not in pasted
    assert "peer 10.10.10.1 ignore" not in pasted
    assert ("neighbor 10.10.11.1 shutdown" in pasted) or ("peer 10.10.11.1 ignore" in pasted)
    # the running session's MD5 password (value unknown) is not replaced, nor removed back
    assert "10.10.10.1 password" not in pasted + "\n".join(result.rollback)
    assert any("keeps its configured MD5 password" in n for n in result.notes)
    after = apply_commands(vendor, text, result.remediation)
    again = review_text(bgp_site(), after, "after.cfg", vendor)
    assert again.missing == [] and again.conflicting == [] and again.remediation == []
    # the rollback re-enters the address family and takes back only what was added:
    # the existing session keeps no reference to a removed policy
    back = apply_commands(vendor, after, result.rollback)
    parse = get_driver(vendor).parse
    assert bgp_meaning(parse(back, "b")) == bgp_meaning(parse(text, "a"))
    assert meaning(parse(back, "b")) == meaning(parse(text, "a"))


@pytest.mark.parametrize("vendor", VENDORS)
def test_another_local_as_withholds_the_bgp_lines(vendor: str) -> None:
    text = running(vendor, "empty")
    extra = EXISTING[vendor].replace("65010", "64999")
    if vendor == "junos":
        text += extra
    else:
        tail = "end\n" if vendor == "cisco_ios" else "return\n"
        text = text.replace("\n" + tail, "\n") + extra + tail
    result = review_text(bgp_site(), text, "running.cfg", vendor)
    assert any(i.kind == "bgp-collision" and "AS 64999" in i.message
               for i in result.conflicting)
    assert not any(word in ln for ln in result.remediation
                   for word in ("neighbor 10.10.11.1", "peer 10.10.11.1", "protocols bgp"))
    assert any("BGP changes withheld" in n for n in result.notes)


def test_static_hc_route_over_the_wrong_line_is_removed_with_bgp() -> None:
    text = running("cisco_ios", "wrong")
    result = review_text(bgp_site(), text, "running.cfg", "cisco_ios")
    assert any("192.168.10.1/32" in i.message and "wrong line" in i.message
               for i in result.conflicting)
    assert "no ip route 192.168.10.1 255.255.255.255 10.10.11.1" in result.remediation
    assert any("remain for 192.168.0.0/16" in n for n in result.notes)


LE24 = {
    "cisco_ios": ("ip prefix-list VBR-IN seq 5 permit 0.0.0.0/0 le 24\n"
                  "route-map VBR-IN permit 10\n match ip address prefix-list VBR-IN\n!\n"
                  "router bgp 65010\n neighbor 10.10.10.1 remote-as 45104\n"
                  " !\n address-family ipv4\n  neighbor 10.10.10.1 activate\n"
                  "  neighbor 10.10.10.1 route-map VBR-IN in\n exit-address-family\n!\n"),
    "huawei_vrp": ("ip ip-prefix VBR-IN index 5 permit 0.0.0.0 0 less-equal 24\n"
                   "route-policy VBR-IN permit node 10\n if-match ip-prefix VBR-IN\n#\n"
                   "bgp 65010\n peer 10.10.10.1 as-number 45104\n #\n ipv4-family unicast\n"
                   "  peer 10.10.10.1 enable\n  peer 10.10.10.1 route-policy VBR-IN import\n#\n"),
}


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp"])
def test_le24_import_policy_is_replaced_and_restored(vendor: str) -> None:
    """The classic `le 24` import filter that refuses the health-check /32: review puts
    idcgen's import policy on the running session in place of it (one inbound policy per
    session on these vendors), and the rollback puts the old one back."""
    tail = "end\n" if vendor == "cisco_ios" else "return\n"
    text = running(vendor, "partial").replace("\n" + tail, "\n") + LE24[vendor] + tail
    site = bgp_site()
    result = review_text(site, text, "running.cfg", vendor)
    assert any("10.10.10.1" in i.message and "import VBR-IN" in i.message
               for i in result.conflicting)
    after = apply_commands(vendor, text, result.remediation)
    parse = get_driver(vendor).parse
    neighbor = next(n for n in parse(after, "a").bgp_neighbors
                    if str(n.address) == "10.10.10.1")
    assert neighbor.import_policies == ["ALIYUN-LINE-A-IN"]
    again = review_text(site, after, "after.cfg", vendor)
    assert again.missing == [] and again.conflicting == [] and again.remediation == []
    back = apply_commands(vendor, after, result.rollback)
    assert bgp_meaning(parse(back, "b")) == bgp_meaning(parse(text, "a"))


def test_junos_neighbor_in_another_group_is_a_collision() -> None:
    text = running("junos", "partial") + EXISTING["junos"]
    result = review_text(bgp_site(), text, "running.cfg", "junos")
    assert any(i.kind == "bgp-collision" and "group OLD" in i.message
               for i in result.conflicting)
    assert not any("protocols bgp" in ln for ln in result.remediation)


def test_junos_zone_lines_use_the_interface_s_running_zone() -> None:
    """On an SRX, BGP and BFD need host-inbound-traffic on the VBR-facing unit, in the zone
    the device already puts it in (a unit belongs to one zone)."""
    text = running("junos", "partial") + (
        "set security zones security-zone untrust interfaces ge-0/0/1.0\n")
    result = review_text(bgp_site(), text, "running.cfg", "junos")
    zone_lines = [ln for ln in result.remediation if ln.startswith("set security zones")]
    assert ("set security zones security-zone untrust interfaces ge-0/0/1.0 "
            "host-inbound-traffic protocols bgp") in zone_lines
    assert not any("ALIYUN-EC interfaces ge-0/0/1.0" in ln for ln in zone_lines)
    assert ("set security zones security-zone ALIYUN-EC interfaces ge-0/0/2.200 "
            "host-inbound-traffic protocols bfd") in zone_lines
    after = apply_commands("junos", text, result.remediation)
    assert review_text(bgp_site(), after, "after.cfg", "junos").compliant


def test_le24_sample_gets_the_health_check_error_and_nothing_else() -> None:
    """The issue's "done when": a running config learning by BGP with a `le 24` import
    filter gets the health-check error per line and nothing else; review fixes it."""
    from idcgen.lint import lint_text

    root = Path(__file__).resolve().parent.parent
    site = load_site(root / "samples" / "dual-line-bgp.yaml")
    path = root / "samples" / "running" / "cisco-dual-line-bgp-le24.cfg"
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, str(path), vendor="cisco_ios", site=site).findings
    assert sorted(f.rule for f in findings) == ["IDC601", "IDC601"]
    result = review_text(site, text, str(path), "cisco_ios")
    after = apply_commands("cisco_ios", text, result.remediation)
    assert review_text(site, after, "after.cfg", "cisco_ios").compliant
    assert lint_text(after, "after.cfg", vendor="cisco_ios", site=site).findings == []
