"""The wrappers every parser runs in: the GC is restored, and errors degrade, not raise."""

import gc

import pytest

from idcgen.devicemodel import Device
from idcgen.vendors.parsing import ReadLimit, gc_paused, partial_on_error


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
    assert result.read_error is not None
    line, reason = result.read_error
    assert line == 0 and "internal parser error (KeyError)" in reason
    assert "partly read" in reason


def test_partial_on_error_keeps_the_line_of_a_reading_limit():
    device = Device("junos", path="r1.conf")

    def too_deep() -> Device:
        raise ReadLimit(70, "blocks nested deeper than 64 levels")

    assert partial_on_error(device, too_deep).read_error == (
        70, "blocks nested deeper than 64 levels")


def test_partial_on_error_passes_a_good_result_through():
    device, other = Device("cisco_ios"), Device("cisco_ios", hostname="x")
    assert partial_on_error(device, lambda: other) is other
    assert device.unparsed == []
