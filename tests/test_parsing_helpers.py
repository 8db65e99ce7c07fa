"""The wrappers every parser runs in: the GC is restored, and errors degrade, not raise."""

import gc

import pytest

from idcgen.devicemodel import Device
from idcgen.vendors.parsing import gc_paused, partial_on_error


def test_gc_paused_restores_the_previous_state_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_partial_on_error_returns_what_was_read_and_says_so():
    device = Device("junos", path="r1.conf", hostname="r1")

    def explode() -> Device:
        raise KeyError("unexpected")

    result = partial_on_error(device, explode)
    assert result is device and result.hostname == "r1"
    [section] = result.unparsed
    assert "internal parser error (KeyError)" in section.reason


def test_partial_on_error_passes_a_good_result_through():
    device, other = Device("cisco_ios"), Device("cisco_ios", hostname="x")
    assert partial_on_error(device, lambda: other) is other
    assert device.unparsed == []
