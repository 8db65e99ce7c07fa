"""The IPsec part of the site model: defaults, refusals (with place and allowed values),
cross-field checks, and the weak-choice warnings."""

from __future__ import annotations

import copy

import pytest
import yaml
from click.testing import CliRunner
from ipsec_data import CONNECTION

from idcgen.cli import main
from idcgen.errors import InputError
from idcgen.generator.ipsec import ipsec_warnings
from idcgen.sitemodel import Site, load_site
from idcgen.sitemodel.ipsec import IpsecConnection


def model(*connections: dict, **site: object) -> dict:
    data: dict = {"site": "office1", "hostname": "office1-gw",
                  "ipsec": list(connections) or [copy.deepcopy(CONNECTION)]}
    data.update(site)
    return data


def conn(**changes: object) -> dict:
    data = copy.deepcopy(CONNECTION)
    data.update(changes)
    return data


def load(data: dict) -> Site:
    return load_site("site.yaml", yaml.safe_dump(data, sort_keys=False))


def errors(data: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        load(data)
    return [str(p) for p in exc.value.problems]


def test_defaults_are_the_safe_modern_set() -> None:
    c = load(model()).ipsec[0]
    assert (c.ike.version, c.ike.mode, c.ike.encryption, c.ike.integrity, c.ike.dh_group,
            c.ike.lifetime) == ("ikev2", "main", "aes256", "sha256", 14, 86400)
    assert (c.ipsec.encryption, c.ipsec.integrity, c.ipsec.pfs, c.ipsec.lifetime) == (
        "aes256", "sha256", 14, 86400)
    assert c.dpd.enabled and c.dpd.mode == "periodic" and c.role == "primary"
    assert (c.dpd.interval_seconds, c.dpd.retry_interval_seconds, c.dpd.retries) == (10, 2, 3)
    assert c.local_identity == "1.1.1.1" and c.remote_identity(1) == "5.5.5.5"
    # customer side takes the second usable address of the /30, Alibaba the first
    mine, alibaba = c.tunnel_addresses(1)
    assert str(mine) == "169.254.10.2/30" and str(alibaba) == "169.254.10.1"


def test_alibaba_spellings_are_accepted() -> None:
    c = load(model(conn(ike={"version": "IKEv1", "dh_group": "group2", "mode": "aggressive"},
                        ipsec={"pfs": "disabled", "encryption": "3DES"}))).ipsec[0]
    assert (c.ike.version, c.ike.dh_group, c.ike.mode) == ("ikev1", 2, "aggressive")
    assert (c.ipsec.pfs, c.ipsec.encryption) == ("disabled", "3des")


def test_chosen_tunnel_ip() -> None:
    data = conn()
    data["routing"]["tunnel_ip"] = "169.254.10.1"
    mine, alibaba = load(model(data)).ipsec[0].tunnel_addresses(1)
    assert str(mine) == "169.254.10.1/30" and str(alibaba) == "169.254.10.2"


@pytest.mark.parametrize(("section", "key", "value", "allowed"), [
    ("ike", "encryption", "sm4", "aes, aes192, aes256, des, 3des"),
    ("ike", "integrity", "sha3", "md5, sha1, sha256, sha384, sha512"),
    ("ike", "dh_group", 24, "1, 2, 5, 14"),
    ("ike", "version", "ikev3", "ikev1, ikev2"),
    ("ike", "mode", "quick", "main, aggressive"),
    ("ipsec", "encryption", "aes-gcm", "aes, aes192, aes256, des, 3des"),
    ("ipsec", "integrity", "sha224", "md5, sha1, sha256, sha384, sha512"),
    ("ipsec", "pfs", "group19", "disabled, 1, 2, 5, 14"),
])
def test_values_alibaba_does_not_offer_are_refused_at_their_place(
        tmp_path, section: str, key: str, value: object, allowed: str) -> None:
    data = model(conn(**{section: {key: value}}))
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert allowed in result.output
    text = path.read_text().splitlines()
    line = next(i for i, t in enumerate(text, start=1) if t.strip().startswith(f"{key}:")
                and str(value) in t)
    assert f"{path}:{line}:" in result.output
    assert f"ipsec[0].{section}.{key}" in result.output


@pytest.mark.parametrize("lifetime", [0, 179, 86401])
def test_lifetime_outside_what_every_side_accepts(lifetime: int) -> None:
    messages = errors(model(conn(ike={"lifetime": lifetime})))
    assert any("ipsec[0].ike.lifetime" in m and "180-86400" in m for m in messages)


def test_aggressive_mode_is_ikev1_only() -> None:
    messages = errors(model(conn(ike={"version": "ikev2", "mode": "aggressive"})))
    assert any("IKEv1 only" in m for m in messages)


def test_a_literal_key_is_refused_and_not_echoed() -> None:
    secret = "Sup3r-Secret-Key"
    for value in (secret, {"value": secret}, {"env": "Sup3r-Secret-Key!"}):
        messages = errors(model(conn(psk=value)))
        assert messages
        assert all(secret not in m for m in messages)
        assert any("ipsec[0].psk" in m for m in messages)


def test_psk_needs_exactly_one_source() -> None:
    messages = errors(model(conn(psk={"env": "A", "file": "/etc/k"})))
    assert any("exactly one" in m for m in messages)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"cloud_networks": ["10.10.0.0/16"]}, "overlaps local_networks[0]"),
    ({"local_networks": ["10.10.10.0/24", "10.10.10.128/25"]}, "overlaps local_networks[0]"),
    ({"extra_destinations": ["172.16.5.0/24"]}, "overlaps cloud_networks[0]"),
    ({"extra_destinations": ["5.5.5.0/24"]}, "contains the VPN gateway address 5.5.5.5"),
    ({"customer_gateway_ip": "5.5.5.5"}, "VPN gateway's own address"),
    # issue #11 defect 13: customer gateway IPs Alibaba refuses
    ({"customer_gateway_ip": "100.100.1.1"}, "(shared address space): Alibaba refuses"),
    ({"customer_gateway_ip": "127.0.0.1"}, "(loopback): Alibaba refuses"),
    ({"customer_gateway_ip": "169.254.1.1"}, "(link-local): Alibaba refuses"),
    ({"customer_gateway_ip": "239.1.1.1"}, "(multicast): Alibaba refuses"),
])
def test_selector_and_address_refusals(changes: dict, expected: str) -> None:
    assert any(expected in m for m in errors(model(conn(**changes))))


def test_offices_must_not_overlap_each_other() -> None:
    second = conn(name="office2", gateway_ip="6.6.6.6", local_networks=["10.10.0.0/16"],
                  cloud_networks=["192.168.0.0/16"])
    second["routing"] = {**second["routing"], "tunnel_cidr": "169.254.20.0/30",
                         "tunnel_interface": "Tunnel2"}
    messages = errors(model(conn(), second))
    assert any("ipsec[1].local_networks[0]" in m and "overlaps" in m for m in messages)


def test_remote_networks_overlapping_another_office() -> None:
    second = conn(name="office2", gateway_ip="6.6.6.6", local_networks=["10.10.20.0/24"],
                  cloud_networks=["10.10.10.0/24"])
    second["routing"] = {**second["routing"], "tunnel_cidr": "169.254.20.0/30",
                         "tunnel_interface": "Tunnel2"}
    assert any("ipsec[1].cloud_networks[0]" in m for m in errors(model(conn(), second)))


@pytest.mark.parametrize(("routing", "expected"), [
    ({"tunnel_cidr": "169.254.10.0/29"}, "must be a /30 inside 169.254.0.0/16"),
    ({"tunnel_cidr": "10.0.0.0/30"}, "must be a /30 inside 169.254.0.0/16"),
    ({"tunnel_cidr": None}, "needs `tunnel_cidr`"),
    ({"tunnel_interface": None}, "needs `tunnel_interface`"),
    ({"tunnel_ip": "169.254.10.3"}, "not a usable address"),
    ({"bgp": {"local_asn": 45104}}, "Alibaba Cloud's own ASN, reserved"),
    ({"bgp": {"local_asn": 65000, "peer_asn": 65000}}, "eBGP"),
    # issue #11 defect 13: tunnel /30s the cloud reserves
    ({"tunnel_cidr": "169.254.0.0/30", "tunnel_ip": None}, "is reserved"),
    ({"tunnel_cidr": "169.254.6.0/30", "tunnel_ip": None}, "is reserved"),
    ({"tunnel_cidr": "169.254.169.252/30", "tunnel_ip": None}, "is reserved"),
    ({"mode": "policy-based"}, "applies to mode route-based only"),
])
def test_routing_refusals(routing: dict, expected: str) -> None:
    data = conn()
    data["routing"] = {**data["routing"], **routing}
    data["routing"] = {k: v for k, v in data["routing"].items() if v is not None}
    assert any(expected in m for m in errors(model(data)))


def test_tunnel_cidrs_are_unique() -> None:
    second = conn(name="office2", gateway_ip="6.6.6.6", local_networks=["10.10.10.0/24"],
                  cloud_networks=["192.168.0.0/16"])
    second["routing"] = {**second["routing"], "tunnel_interface": "Tunnel2"}
    assert any("each tunnel needs its own /30" in m for m in errors(model(conn(), second)))


def test_dual_tunnel_needs_route_based_and_its_own_tunnel() -> None:
    messages = errors(model(conn(second_gateway_ip="5.5.5.6")))
    assert any("needs `second_tunnel_interface`" in m for m in messages)
    assert any("needs `second_tunnel_cidr`" in m for m in messages)
    policy = conn(second_gateway_ip="5.5.5.6", routing={"mode": "policy-based"})
    assert any("dual tunnel needs routing mode route-based" in m for m in errors(model(policy)))


def test_same_local_networks_towards_two_gateways_are_allowed() -> None:
    second = conn(name="vpc2", gateway_ip="6.6.6.6", cloud_networks=["192.168.0.0/16"])
    second["routing"] = {**second["routing"], "tunnel_cidr": "169.254.20.0/30",
                         "tunnel_interface": "Tunnel2"}
    assert len(load(model(conn(), second)).ipsec) == 2


def test_ipsec_only_site_is_valid_and_names_are_unique() -> None:
    assert load(model()).lines == []
    second = conn(gateway_ip="6.6.6.6", cloud_networks=["192.168.0.0/16"])
    second["routing"] = {**second["routing"], "tunnel_cidr": "169.254.20.0/30",
                         "tunnel_interface": "Tunnel2"}
    assert any("already used" in m for m in errors(model(conn(), second)))


def test_local_networks_must_not_overlap_the_site_cloud_networks() -> None:
    data = model(conn(local_networks=["192.168.1.0/24"]),
                 cloud_networks=[{"name": "prod", "cidr": "192.168.0.0/16"}])
    assert any("overlaps the site's cloud network" in m for m in errors(data))


def test_connection_name_fits_huawei_object_names() -> None:
    assert any("longer than 12" in m for m in errors(model(conn(name="a-very-long-name"))))


def test_weak_choices_warn_once_each() -> None:
    site = load(model(conn(ike={"version": "ikev1", "encryption": "des", "integrity": "md5",
                                "dh_group": 2},
                           ipsec={"encryption": "3des", "integrity": "md5", "pfs": 5})))
    warnings = ipsec_warnings(site)
    for phrase in ("ike.encryption des", "ike.integrity md5", "ike.dh_group 2",
                   "ipsec.encryption 3des", "ipsec.integrity md5", "ipsec.pfs group 5"):
        assert sum(phrase in w for w in warnings) == 1, phrase
    assert ipsec_warnings(load(model())) == []


def test_ikev1_with_several_cidrs_warns() -> None:
    site = load(model(conn(ike={"version": "ikev1"}, routing={"mode": "policy-based"},
                           extra_destinations=["192.168.0.0/16"])))
    assert any("docs/cloud.md#pitfall-11" in w for w in ipsec_warnings(site))


def test_model_is_frozen() -> None:
    c: IpsecConnection = load(model()).ipsec[0]
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error type
        c.name = "other"  # type: ignore[misc]
