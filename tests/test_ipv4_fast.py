"""The fast IPv4 readers and builders (vendors/ipv4.py) give what `ipaddress` gives.

They take shortcuts (objects built from integers, shared values, a slotted `hosts` for
/32 networks); a shortcut must never change a value, nor let an unusual
spelling through that the slow path refuses.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from idcgen.vendors import ipv4


def _reference(text: str) -> int | None:
    """Canonical dotted decimal only (0-255 without leading zeros), as quad_int takes."""
    parts = text.split(".")
    if len(parts) != 4 or any(p not in ipv4._OCTET_VALUE for p in parts):
        return None
    return int(IPv4Address(text))


@pytest.mark.parametrize("text", [
    "10.1.2.3", "10.1.2.255", "10.1.2.256", "10.1.2.01", "10.1.2.", "10.1.2", "10.1.2.3.4",
    "010.1.2.3", "10.1.02.3", "10.1.2.-1", "10.1.2. 3", "10.1.2.٣", "", ".", "10.1.2.0",
    "255.255.255.255", "0.0.0.0", "1.2.3.4/24", "a.b.c.d"])
def test_quad_int_takes_canonical_dotted_decimal_only(text: str) -> None:
    assert ipv4.quad_int(text) == _reference(text)


@pytest.mark.parametrize("value", [0, 1, 0xC0A80101, 0xFFFFFFFF])
def test_host_network_is_the_constructors(value: int) -> None:
    ours, real = ipv4.new_network(value, 32), IPv4Network((value, 32))
    assert ours == real and str(ours) == str(real) and hash(ours) == hash(real)
    assert vars(ours).keys() == vars(real).keys()
    assert ours.hosts() == real.hosts() == [IPv4Address(value)]
    assert ours.hosts() is not ours.hosts()  # a new list each time, as the constructor's
    assert list(ours) == list(real)
    ipv4.clear_caches()


def test_shared_values_build_once_stay_bounded_and_keep_no_failure() -> None:
    built: list[str] = []

    def build(key: str) -> str | None:
        built.append(key)
        if key == "bad":
            raise ValueError("bad key")
        return None if key == "none" else key.upper()

    shared = ipv4.SharedValues(build, limit=3)
    assert shared["a"] == "A" and shared["a"] == "A" and built == ["a"]
    assert shared["none"] is None and "none" not in shared
    with pytest.raises(ValueError, match="bad key"):
        shared["bad"]
    assert "bad" not in shared
    for key in "bcdef":
        assert shared[key] == key.upper()
    assert len(shared) <= 3


def test_address_is_shared_and_refuses_what_ip_int_refuses() -> None:
    ipv4.clear_caches()
    assert ipv4.address("10.0.0.1") is ipv4.address("10.0.0.1") == IPv4Address("10.0.0.1")
    assert ipv4.address("10.0.0.256") is None and ipv4.address("next-hop") is None
    ipv4.clear_caches()
