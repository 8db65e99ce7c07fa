"""Vendor auto-detection: supported platforms are named, look-alikes are refused.

Fixtures are excerpts of third-party configs (see tests/fixtures/detect/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from idcgen.vendors.detect import Detection, detect

FIXTURES = Path(__file__).parent / "fixtures" / "detect"


def _detect(name: str) -> Detection:
    return detect((FIXTURES / name).read_text())


@pytest.mark.parametrize(("fixture", "vendor", "looks_like"), [
    ("cisco_ios-running.cfg", "cisco_ios", "Cisco IOS / IOS-XE"),
    ("cisco_ios-acl-snippet.cfg", "cisco_ios", "Cisco IOS / IOS-XE"),
    ("cisco_ios-route-map-snippet.cfg", "cisco_ios", "Cisco IOS / IOS-XE"),
    ("huawei_vrp.cfg", "huawei_vrp", "Huawei VRP"),
    ("junos.cfg", "junos", "Juniper Junos"),
    ("junos-set.cfg", "junos", "Juniper Junos (set)"),
])
def test_supported_platforms(fixture: str, vendor: str, looks_like: str) -> None:
    result = _detect(fixture)
    assert (result.vendor, result.looks_like) == (vendor, looks_like), result.reason
    assert result.reason


@pytest.mark.parametrize(("fixture", "looks_like"), [
    ("asa.cfg", "Cisco ASA"),
    ("iosxr.cfg", "Cisco IOS-XR"),
    ("nxos.cfg", "Cisco NX-OS"),
    ("eos.cfg", "Arista EOS"),
    ("comware.cfg", "H3C/HPE Comware"),
    ("comware-bgp-acl.cfg", "H3C/HPE Comware"),
])
def test_look_alikes_are_refused(fixture: str, looks_like: str) -> None:
    result = _detect(fixture)
    assert result.vendor is None
    assert result.looks_like == looks_like, result.reason


@pytest.mark.parametrize("text", ["", "\n\n", "hello world\n", "\x00\x01\x02binary\xff",
                                  "{ } ; ; {"])
def test_no_evidence_gives_no_vendor(text: str) -> None:
    result = detect(text)
    assert result.vendor is None
    assert result.looks_like is None


def test_ios_snippets_without_headers() -> None:
    assert detect("ip route 10.0.0.0 255.0.0.0 192.0.2.1\n").vendor == "cisco_ios"
    assert detect("access-list 101 permit icmp any any echo\n").vendor == "cisco_ios"


def test_cidr_addresses_are_not_ios() -> None:
    text = "hostname leaf1\nfeature bgp\ninterface Ethernet1/1\n  ip address 10.0.0.1/31\n"
    assert detect(text).looks_like == "Cisco NX-OS"


def test_vrp_style_without_comware_syntax_is_huawei() -> None:
    text = "#\nsysname R1\n#\nip route-static 100.64.0.0 10 10.0.0.1\n#\nreturn\n"
    assert detect(text).vendor == "huawei_vrp"


def test_huawei_only_syntax_wins_over_shared_syntax() -> None:
    text = ("#\nsysname R1\n#\ninterface Vlanif10\n ip address 10.0.0.1 255.255.255.0\n"
            " traffic-filter inbound acl 3000\n#\nreturn\n")
    assert detect(text).vendor == "huawei_vrp"


def test_only_a_bounded_prefix_is_read() -> None:
    """Markers far down a huge file do not change the answer: detection stays cheap."""
    head = "hostname R1\nversion 15.2\n" + "!\n" * 5000
    assert detect(head + "feature bgp\n" * 10 + "!\n" * 100).vendor == "cisco_ios"
