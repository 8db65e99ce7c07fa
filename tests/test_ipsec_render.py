"""IPsec render: golden configs per sample x vendor, the keyword of every Alibaba value on
every vendor, vendor-specific refusals, warnings, and the secret-handling of the CLI.

Golden files live in tests/golden/ipsec/<sample>.<vendor>.cfg, rendered with
--key-placeholder. Regenerate after an intended change with

    IDCGEN_UPDATE_GOLDEN=1 /work/venv/bin/python -m pytest tests/test_ipsec_render.py

and review `git diff tests/golden/ipsec` line by line.
"""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from ipsec_data import CONNECTION, PSK_ENV

from idcgen.cli import main
from idcgen.errors import InputError
from idcgen.generator.ipsec import plan_ipsec
from idcgen.generator.render import render_site
from idcgen.sitemodel import Site, load_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "ipsec"
SAMPLES = ("vpn-offices", "line-with-vpn-backup")
VENDORS = ("cisco_ios", "huawei_vrp", "junos")
UPDATE_GOLDEN = os.environ.get("IDCGEN_UPDATE_GOLDEN") == "1"
KEY = "Kx9-Secret_Value.2024"
ENV = PSK_ENV

def site_with(**changes: object) -> Site:
    conn = copy.deepcopy(CONNECTION)
    conn.update(changes)
    data = {"site": "office1", "hostname": "office1-gw", "ipsec": [conn]}
    return load_site("site.yaml", yaml.safe_dump(data, sort_keys=False))


def rendered(site: Site, vendor: str) -> list[str]:
    return render_site(site, vendor, key_placeholder=True).text.splitlines()


# ---- golden files -----------------------------------------------------------------

@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_matches_golden(sample: str, vendor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV, "ALIYUN_PSK_BACKUP"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / f"{sample}.yaml"),
                                       "--vendor", vendor, "--key-placeholder"])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN_DIR / f"{sample}.{vendor}.cfg"
    if UPDATE_GOLDEN:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


# ---- every Alibaba value on every vendor -------------------------------------------

ENC = ("aes", "aes192", "aes256", "des", "3des")
INTEG = ("md5", "sha1", "sha256", "sha384", "sha512")
GROUPS = (1, 2, 5, 14)

# the keywords of docs/vendors.md#ipsec-keywords (and the vendor references cited in
# ipsec_names.py), written out here independently of the tables under test
EXPECTED_IKE_ENC = {
    ("cisco_ios", "ikev1"): {"aes": " encryption aes", "aes192": " encryption aes 192",
                             "aes256": " encryption aes 256", "des": " encryption des",
                             "3des": " encryption 3des"},
    ("cisco_ios", "ikev2"): {"aes": " encryption aes-cbc-128", "aes192": " encryption aes-cbc-192",
                             "aes256": " encryption aes-cbc-256", "des": " encryption des",
                             "3des": " encryption 3des"},
    ("huawei_vrp", "ikev2"): {e: f" encryption-algorithm {k}" for e, k in zip(
        ENC, ("aes-128", "aes-192", "aes-256", "des", "3des"), strict=True)},
    ("junos", "ikev2"): {e: f"set security ike proposal ALIYUN-office1 encryption-algorithm {k}"
                         for e, k in zip(ENC, ("aes-128-cbc", "aes-192-cbc", "aes-256-cbc",
                                               "des-cbc", "3des-cbc"), strict=True)},
}
EXPECTED_IKE_INTEG = {
    ("cisco_ios", "ikev1"): {i: f" hash {k}" for i, k in zip(
        INTEG, ("md5", "sha", "sha256", "sha384", "sha512"), strict=True)},
    ("cisco_ios", "ikev2"): {i: f" integrity {i}" for i in INTEG},
    ("huawei_vrp", "ikev2"): {i: f" authentication-algorithm {k}" for i, k in zip(
        INTEG, ("md5", "sha1", "sha2-256", "sha2-384", "sha2-512"), strict=True)},
    ("junos", "ikev2"): {i: f"set security ike proposal ALIYUN-office1 authentication-algorithm {k}"
                         for i, k in zip(INTEG, ("md5", "sha1", "sha-256", "sha-384", "sha-512"),
                                         strict=True)},
}
EXPECTED_GROUP = {"cisco_ios": " group {g}", "huawei_vrp": " dh group{g}",
                  "junos": "set security ike proposal ALIYUN-office1 dh-group group{g}"}
EXPECTED_ESP_ENC = {
    "cisco_ios": dict(zip(ENC, ("esp-aes", "esp-aes 192", "esp-aes 256", "esp-des", "esp-3des"),
                          strict=True)),
    "huawei_vrp": {e: f" esp encryption-algorithm {k}" for e, k in zip(
        ENC, ("aes-128", "aes-192", "aes-256", "des", "3des"), strict=True)},
    "junos": {e: f"set security ipsec proposal ALIYUN-office1 encryption-algorithm {k}"
              for e, k in zip(ENC, ("aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "des-cbc",
                                    "3des-cbc"), strict=True)},
}
EXPECTED_ESP_INTEG = {
    "cisco_ios": dict(zip(INTEG, ("esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac",
                                  "esp-sha384-hmac", "esp-sha512-hmac"), strict=True)),
    "huawei_vrp": {i: f" esp authentication-algorithm {k}" for i, k in zip(
        INTEG, ("md5", "sha1", "sha2-256", "sha2-384", "sha2-512"), strict=True)},
    "junos": {i: f"set security ipsec proposal ALIYUN-office1 authentication-algorithm {k}"
              for i, k in zip(INTEG, ("hmac-md5-96", "hmac-sha1-96", "hmac-sha-256-128",
                                      "hmac-sha-384-192", "hmac-sha-512-256"), strict=True)},
}
EXPECTED_PFS = {"cisco_ios": " set pfs group{g}", "huawei_vrp": " pfs dh-group{g}",
                "junos": "set security ipsec policy ALIYUN-office1 perfect-forward-secrecy keys "
                         "group{g}"}


def _ike_cases() -> list[tuple[str, str, str]]:
    return [(vendor, version, value) for (vendor, version) in EXPECTED_IKE_ENC
            for value in ENC]


@pytest.mark.parametrize(("vendor", "version", "value"), _ike_cases())
def test_ike_encryption_keyword(vendor: str, version: str, value: str) -> None:
    lines = rendered(site_with(ike={"version": version, "encryption": value}), vendor)
    assert EXPECTED_IKE_ENC[(vendor, version)][value] in lines


@pytest.mark.parametrize(("vendor", "version", "value"),
                         [(v, ver, i) for (v, ver) in EXPECTED_IKE_INTEG for i in INTEG])
def test_ike_integrity_keyword(vendor: str, version: str, value: str) -> None:
    lines = rendered(site_with(ike={"version": version, "integrity": value}), vendor)
    assert EXPECTED_IKE_INTEG[(vendor, version)][value] in lines


@pytest.mark.parametrize("value", INTEG)
def test_huawei_ikev2_integrity_and_prf(value: str) -> None:
    lines = rendered(site_with(ike={"integrity": value}), "huawei_vrp")
    integrity = {"md5": "hmac-md5-96", "sha1": "hmac-sha1-96"}.get(value, f"hmac-sha2-{value[3:]}")
    prf = {"md5": "hmac-md5", "sha1": "hmac-sha1"}.get(value, f"hmac-sha2-{value[3:]}")
    assert f" integrity-algorithm {integrity}" in lines
    assert f" prf {prf}" in lines


def test_huawei_ikev1_peer() -> None:
    lines = rendered(site_with(ike={"version": "ikev1", "mode": "aggressive"}), "huawei_vrp")
    for expected in (" version 1", " undo version 2", " exchange-mode aggressive"):
        assert expected in lines
    assert not any(line.startswith(" prf ") for line in lines)


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("group", GROUPS)
def test_dh_group_keyword(vendor: str, group: int) -> None:
    lines = rendered(site_with(ike={"dh_group": group}), vendor)
    assert EXPECTED_GROUP[vendor].format(g=group) in lines


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("value", ENC)
def test_esp_encryption_keyword(vendor: str, value: str) -> None:
    lines = rendered(site_with(ipsec={"encryption": value}), vendor)
    expected = EXPECTED_ESP_ENC[vendor][value]
    if vendor == "cisco_ios":
        prefix = "crypto ipsec transform-set ALIYUN-office1 " + expected + " esp-"
        assert any(line.startswith(prefix) for line in lines)
    else:
        assert expected in lines


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("value", INTEG)
def test_esp_integrity_keyword(vendor: str, value: str) -> None:
    lines = rendered(site_with(ipsec={"integrity": value}), vendor)
    expected = EXPECTED_ESP_INTEG[vendor][value]
    if vendor == "cisco_ios":
        assert any(line.startswith("crypto ipsec transform-set ") and line.endswith(" " + expected)
                   for line in lines)
    else:
        assert expected in lines
    if vendor == "huawei_vrp":
        sha2 = "ipsec authentication sha2 compatible enable" in lines
        assert sha2 == value.startswith("sha2") or sha2 == (value in ("sha256", "sha384", "sha512"))


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("pfs", [*GROUPS, "disabled"])
def test_pfs_keyword(vendor: str, pfs: object) -> None:
    lines = rendered(site_with(ipsec={"pfs": pfs}), vendor)
    if pfs == "disabled":
        needle = EXPECTED_PFS[vendor].split("group{g}")[0].split(" dh-")[0].rstrip()
        assert not any(line.startswith(needle) for line in lines)
    else:
        assert EXPECTED_PFS[vendor].format(g=pfs) in lines


@pytest.mark.parametrize("vendor", VENDORS)
def test_lifetimes_are_explicit_on_both_phases(vendor: str) -> None:
    text = "\n".join(rendered(site_with(ike={"lifetime": 28800}, ipsec={"lifetime": 3600}), vendor))
    expected = {
        "cisco_ios": (" lifetime 28800", " set security-association lifetime seconds 3600"),
        "huawei_vrp": (" sa duration 28800", " sa duration time-based 3600"),
        "junos": ("lifetime-seconds 28800", "lifetime-seconds 3600"),
    }[vendor]
    for needle in expected:
        assert needle in text


# ---- structure and vendor-specific decisions -------------------------------------

def test_cisco_policy_based_ikev1() -> None:
    site = site_with(ike={"version": "ikev1"}, routing={"mode": "policy-based"},
                     extra_destinations=["192.168.0.0/16"])
    lines = rendered(site, "cisco_ios")
    for expected in ("crypto isakmp policy 900", " authentication pre-share",
                     "crypto isakmp key 0 <PSK-from-env:ALIYUN_PSK_OFFICE1> address 5.5.5.5",
                     "ip access-list extended ALIYUN-office1-CRYPTO",
                     " permit ip 10.10.10.0 0.0.0.255 172.16.0.0 0.0.255.255",
                     " permit ip 10.10.10.0 0.0.0.255 192.168.0.0 0.0.255.255",
                     "crypto map ALIYUN 10 ipsec-isakmp", " set peer 5.5.5.5",
                     " match address ALIYUN-office1-CRYPTO", "interface GigabitEthernet0/0/0",
                     " crypto map ALIYUN", "crypto isakmp keepalive 10 2 periodic",
                     "ip route 172.16.0.0 255.255.0.0 5.5.5.5 name ALIYUN-VPN-OFFICE1-T1"):
        assert expected in lines, expected
    assert not any(line.startswith("interface Tunnel") for line in lines)


def test_cisco_policy_based_ikev2_uses_the_profile() -> None:
    lines = rendered(site_with(routing={"mode": "policy-based"}), "cisco_ios")
    assert " set ikev2-profile ALIYUN-office1-T1" in lines
    assert "crypto map ALIYUN 10 ipsec-isakmp" in lines


def test_huawei_policy_based() -> None:
    lines = rendered(site_with(ike={"version": "ikev1"}, routing={"mode": "policy-based"}),
                     "huawei_vrp")
    for expected in ("acl number 3950",
                     " rule 5 permit ip source 10.10.10.0 0.0.0.255 destination 172.16.0.0 "
                     "0.0.255.255",
                     "ipsec policy ALIYUN 10 isakmp", " security acl 3950",
                     " ike-peer office1-T1", "interface GigabitEthernet0/0/8",
                     " ipsec policy ALIYUN", "ip route-static 172.16.0.0 16 5.5.5.5 description "
                     "ALIYUN-VPN-OFFICE1-T1"):
        assert expected in lines, expected


def test_junos_policy_based_uses_selectors_on_st0() -> None:
    site = site_with(ike={"version": "ikev1"}, routing={"mode": "policy-based",
                                                         "tunnel_interface": "st0.3"})
    lines = rendered(site, "junos")
    assert ("set security ipsec vpn ALIYUN-office1-T1 ike proxy-identity local 10.10.10.0/24 "
            "remote 172.16.0.0/16 service any") in lines
    assert "set interfaces st0 unit 3 family inet" in lines
    two = site_with(ike={"version": "ikev1"}, extra_destinations=["192.168.0.0/16"],
                    routing={"mode": "policy-based", "tunnel_interface": "st0.3"})
    lines = rendered(two, "junos")
    assert ("set security ipsec vpn ALIYUN-office1-T1 traffic-selector TS2 local-ip "
            "10.10.10.0/24 remote-ip 192.168.0.0/16") in lines


def test_junos_policy_based_ikev2_is_refused_for_junos_only() -> None:
    site = site_with(routing={"mode": "policy-based", "tunnel_interface": "st0.3"})
    with pytest.raises(InputError) as exc:
        render_site(site, "junos", key_placeholder=True)
    assert "docs/cloud.md#pitfall-12" in str(exc.value) and "ipsec[0].ike.version" in str(exc.value)
    render_site(site, "cisco_ios", key_placeholder=True)
    render_site(site, "huawei_vrp", key_placeholder=True)


@pytest.mark.parametrize(("vendor", "interface", "message"), [
    ("cisco_ios", "Tunnel0/0/1", "not a cisco_ios tunnel interface"),
    ("huawei_vrp", "Tunnel1", "not a huawei_vrp tunnel interface"),
    ("junos", "st0.16001", "reserved for HA"),
])
def test_tunnel_interface_names_are_checked_per_vendor(vendor: str, interface: str,
                                                       message: str) -> None:
    routing = {**CONNECTION["routing"], "tunnel_interface": interface}
    with pytest.raises(InputError) as exc:
        render_site(site_with(routing=routing), vendor, key_placeholder=True)
    assert message in str(exc.value)


def test_missing_vendor_interface_is_reported() -> None:
    site = site_with(outside_interface={"cisco_ios": "GigabitEthernet0/0/0"})
    with pytest.raises(InputError) as exc:
        render_site(site, "junos", key_placeholder=True)
    assert "ipsec[0].outside_interface" in str(exc.value)


def test_fqdn_identities() -> None:
    site = site_with(local_id="office1.example.com", remote_id="vpn.example.com")
    cisco = rendered(site, "cisco_ios")
    assert " identity local fqdn office1.example.com" in cisco
    assert " match identity remote fqdn vpn.example.com" in cisco
    huawei = rendered(site, "huawei_vrp")
    assert "ike local-name office1.example.com" in huawei
    assert " local-id-type fqdn" in huawei and " remote-id vpn.example.com" in huawei
    junos = rendered(site, "junos")
    assert ("set security ike gateway ALIYUN-office1-T1 local-identity hostname "
            "office1.example.com") in junos


def test_backup_routes_float_above_the_leased_line() -> None:
    site = load_site(str(SAMPLES_DIR / "line-with-vpn-backup.yaml"))
    expected = {
        "cisco_ios": ["ip route 192.168.0.0 255.255.0.0 Tunnel1 11 name ALIYUN-VPN-BACKUP-T1",
                      "ip route 192.168.0.0 255.255.0.0 Tunnel2 21 name ALIYUN-VPN-BACKUP-T2"],
        "huawei_vrp": ["ip route-static 192.168.0.0 16 Tunnel0/0/1 preference 70 description "
                       "ALIYUN-VPN-BACKUP-T1",
                       "ip route-static 192.168.0.0 16 Tunnel0/0/2 preference 80 description "
                       "ALIYUN-VPN-BACKUP-T2"],
        "junos": ["set routing-options static route 192.168.0.0/16 qualified-next-hop st0.1 "
                  "preference 15",
                  "set routing-options static route 192.168.0.0/16 qualified-next-hop st0.2 "
                  "preference 25"],
    }
    for vendor, routes in expected.items():
        lines = rendered(site, vendor)
        for route in routes:
            assert route in lines


def test_primary_dual_tunnel_keeps_tunnel_1_at_the_default() -> None:
    routing = {**CONNECTION["routing"], "second_tunnel_interface": {
        "cisco_ios": "Tunnel2", "huawei_vrp": "Tunnel0/0/2", "junos": "st0.2"},
        "second_tunnel_cidr": "169.254.20.0/30"}
    site = site_with(second_gateway_ip="5.5.5.6", routing=routing)
    lines = rendered(site, "cisco_ios")
    assert "ip route 172.16.0.0 255.255.0.0 Tunnel1 name ALIYUN-VPN-OFFICE1-T1" in lines
    assert "ip route 172.16.0.0 255.255.0.0 Tunnel2 11 name ALIYUN-VPN-OFFICE1-T2" in lines
    assert " match identity remote address 5.5.5.6 255.255.255.255" in lines


@pytest.mark.parametrize("vendor", VENDORS)
def test_bgp_over_the_tunnel(vendor: str) -> None:
    routing = {**CONNECTION["routing"], "bgp": {"local_asn": 65001}}
    lines = rendered(site_with(routing=routing), vendor)
    expected = {
        "cisco_ios": ["router bgp 65001", " neighbor 169.254.10.1 remote-as 45104",
                      "  network 10.10.10.0 mask 255.255.255.0"],
        "huawei_vrp": ["bgp 65001", " peer 169.254.10.1 as-number 45104",
                       "  network 10.10.10.0 24"],
        "junos": ["set routing-options autonomous-system 65001",
                  "set protocols bgp group ALIYUN-office1-T1 neighbor 169.254.10.1",
                  "set security zones security-zone vpn interfaces st0.1 host-inbound-traffic "
                  "protocols bgp"],
    }[vendor]
    for needle in expected:
        assert needle in lines, needle
    assert not any("ALIYUN-VPN-OFFICE1" in line for line in lines)  # no static routes


def test_no_ipsec_no_plan() -> None:
    data = {"site": "s", "hostname": "h", "lines": [{
        "name": "a", "interface": "GigabitEthernet0/0/1", "local_ip": "10.10.10.2/30",
        "vbr_ip": "10.10.10.1", "health_check_source": "192.168.10.1"}]}
    assert plan_ipsec(load_site("s.yaml", yaml.safe_dump(data)), "junos") is None


# ---- CLI: secrets and warnings -----------------------------------------------------

def write_site(tmp_path: Path, **changes: object) -> Path:
    conn = copy.deepcopy(CONNECTION)
    conn.update(changes)
    data = {"site": "office1", "hostname": "office1-gw", "ipsec": [conn]}
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("vendor", VENDORS)
def test_render_with_a_key_writes_it_into_a_private_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vendor: str) -> None:
    monkeypatch.setenv(ENV, KEY)
    out = tmp_path / "office1.cfg"
    result = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml"),
                                       "--vendor", vendor, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert KEY in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert KEY not in result.stderr and KEY not in result.stdout
    stdout = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml"),
                                       "--vendor", vendor])
    assert stdout.exit_code == 0
    line = {"cisco_ios": f"  pre-shared-key 0 {KEY}",
            "huawei_vrp": f" pre-shared-key cipher {KEY}",
            "junos": f'set security ike policy ALIYUN-office1-T1 pre-shared-key ascii-text "{KEY}"'}
    assert line[vendor] in stdout.stdout.splitlines()
    assert KEY not in stdout.stderr


def test_placeholder_output_never_holds_the_key(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, KEY)
    out = tmp_path / "review.cfg"
    for vendor in VENDORS:
        result = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml"),
                                           "--vendor", vendor, "--key-placeholder"])
        assert result.exit_code == 0
        assert KEY not in result.output
        assert f"<PSK-from-env:{ENV}>" in result.stdout
    CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml"),
                              "--key-placeholder", "-o", str(out)])
    assert stat.S_IMODE(out.stat().st_mode) != 0o600 or os.umask(0o022) == 0o077


def test_check_never_prints_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, KEY)
    result = CliRunner().invoke(main, ["check", str(SAMPLES_DIR / "vpn-offices.yaml")])
    assert result.exit_code == 0
    assert KEY not in result.output


def test_missing_variable_exits_2_naming_it(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    out = tmp_path / "office1.cfg"
    result = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml"),
                                       "-o", str(out)])
    assert result.exit_code == 2
    assert ENV in result.stderr and "not set" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("bad", ["has space", "end?", "quo'te"])
def test_an_unusable_key_exits_2_without_echo(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(ENV, bad)
    result = CliRunner().invoke(main, ["render", str(SAMPLES_DIR / "vpn-offices.yaml")])
    assert result.exit_code == 2
    assert bad not in result.output
    assert ENV in result.stderr


def test_key_file_is_read(tmp_path: Path) -> None:
    keyfile = tmp_path / "office1.psk"
    keyfile.write_text(KEY + "\n", encoding="utf-8")
    path = write_site(tmp_path, psk={"file": str(keyfile)})
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", "junos"])
    assert result.exit_code == 0, result.stderr
    assert f'pre-shared-key ascii-text "{KEY}"' in result.stdout


def test_weak_algorithms_warn_on_stderr(tmp_path: Path) -> None:
    path = write_site(tmp_path, ike={"encryption": "3des", "dh_group": 2},
                      ipsec={"integrity": "md5"})
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", "cisco_ios",
                                       "--key-placeholder"])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 3
    assert all("IDC401" in w for w in warnings)
    assert "warning" not in result.stdout


def test_unsupported_value_exits_2_listing_the_allowed(tmp_path: Path) -> None:
    path = write_site(tmp_path, ike={"dh_group": 19})
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", "huawei",
                                       "--key-placeholder"])
    assert result.exit_code == 2
    assert "allowed: 1, 2, 5, 14" in result.stderr
    assert result.stderr.startswith(f"{path}:")


def test_selector_overlap_exits_2(tmp_path: Path) -> None:
    path = write_site(tmp_path, cloud_networks=["10.10.10.128/25"])
    result = CliRunner().invoke(main, ["render", str(path), "--vendor", "junos",
                                       "--key-placeholder"])
    assert result.exit_code == 2
    assert "ipsec[0].cloud_networks[0]" in result.stderr and "overlaps" in result.stderr


def test_the_plan_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, KEY)
    plan = plan_ipsec(site_with(), "junos")
    assert plan is not None and plan["holds_secret"]
    assert KEY not in repr(plan) and KEY not in str(plan)
    assert plan["connections"][0].tunnels[0].psk.reveal() == KEY
    placeholder_plan = plan_ipsec(site_with(), "junos", key_placeholder=True)
    assert placeholder_plan is not None and not placeholder_plan["holds_secret"]


@pytest.mark.parametrize(("vendor", "changes", "message"), [
    ("cisco_ios", {"ike": {"version": "ikev1", "mode": "aggressive"}}, "main mode"),
    ("cisco_ios", {"ike": {"version": "ikev1"}, "local_id": "office1.example.com"},
     "needs ike version ikev2"),
    ("huawei_vrp", {"local_id": "9.9.9.9"}, "local-address"),
    ("huawei_vrp", {"remote_id": "9.9.9.9"}, "remote-address"),
])
def test_vendor_limits_are_refused(vendor: str, changes: dict, message: str) -> None:
    with pytest.raises(InputError) as exc:
        render_site(site_with(**changes), vendor, key_placeholder=True)
    assert message in str(exc.value)


# ---- issue #11 defect 8: DPD numbers mean what the model names them --------------

def test_dpd_defaults_are_periodic_with_a_retry_interval_in_seconds() -> None:
    """`dpd 10 3 on-demand` read 3 as a count and never probed an idle backup tunnel."""
    cisco = rendered(site_with(), "cisco_ios")
    assert " dpd 10 2 periodic" in cisco
    assert not any("on-demand" in line for line in cisco)
    v1 = rendered(site_with(ike={"version": "ikev1"}), "cisco_ios")
    assert "crypto isakmp keepalive 10 2 periodic" in v1
    assert " dpd type periodic" in rendered(site_with(), "huawei_vrp")
    junos = rendered(site_with(), "junos")
    assert any(line.endswith("dead-peer-detection always-send") for line in junos)
    assert any(line.endswith("dead-peer-detection interval 10 threshold 3") for line in junos)


def test_dpd_fields_are_rendered_where_each_vendor_takes_them() -> None:
    dpd = {"mode": "on-demand", "interval_seconds": 30, "retry_interval_seconds": 5,
           "retries": 4}
    assert " dpd 30 5 on-demand" in rendered(site_with(dpd=dpd), "cisco_ios")
    v1 = rendered(site_with(dpd=dpd, ike={"version": "ikev1"}), "cisco_ios")
    assert "crypto isakmp keepalive 30 5 on-demand" in v1
    assert " dpd type on-demand" in rendered(site_with(dpd=dpd), "huawei_vrp")
    junos = rendered(site_with(dpd=dpd), "junos")
    assert not any("always-send" in line for line in junos)
    assert any(line.endswith("dead-peer-detection interval 30 threshold 4") for line in junos)


def test_dpd_false_renders_no_dpd() -> None:
    for vendor in VENDORS:
        assert not any("dpd" in line.lower() and not line.lstrip().startswith(("!", "#"))
                       for line in rendered(site_with(dpd=False), vendor)), vendor


@pytest.mark.parametrize("dpd, field", [
    ({"retry_interval_seconds": 10}, "dpd"),
    ({"interval_seconds": 5}, "interval_seconds"),
    ({"retries": 9}, "retries"),
    ({"mode": "always"}, "mode"),
])
def test_dpd_values_are_checked(dpd: dict, field: str) -> None:
    with pytest.raises(InputError) as exc:
        site_with(dpd=dpd)
    assert field in str(exc.value)


def test_junos_refuses_a_dpd_interval_above_60() -> None:
    with pytest.raises(InputError) as exc:
        plan_ipsec(site_with(dpd={"interval_seconds": 90}), "junos", key_placeholder=True)
    assert "at most 60" in str(exc.value)


# ---- issue #11 defect 7: the IKEv2 policy matches behind NAT ---------------------

def test_cisco_ikev2_policy_matches_any_fvrf_not_the_local_address() -> None:
    lines = rendered(site_with(), "cisco_ios")
    at = lines.index("crypto ikev2 policy ALIYUN")
    assert lines[at + 1:at + 3] == [" match fvrf any", " proposal ALIYUN-office1"]
    assert not any(line.startswith(" match address local") for line in lines)
    assert any("default IKEv2 policy only while no user-defined one exists" in line
               for line in lines)
