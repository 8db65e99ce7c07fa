"""What every vendor parser does around its own work: pause the GC, never raise."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from idcgen.devicemodel import Device, UnparsedSection

# UnparsedSection.topic
Topic = Literal["routes", "filters", "control-plane", "ipsec", "interfaces", "bgp"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore its state.

    A parse allocates ~10 long-lived objects a line and none in cycles; generation sweeps
    over that growing heap cost more than the parse itself on big configs.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def partial_on_error(device: Device, work: Callable[[], Device]) -> Device:
    """Run `work`; if it fails, return what was read so far, marked as partly read.

    A config must never crash the linter: an internal error becomes an UnparsedSection
    (reported as IDC900) instead of a traceback.
    """
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - the whole point: degrade, never raise
        device.unparsed.append(UnparsedSection(
            "interfaces", 0, "", f"internal parser error ({type(exc).__name__}); "
            "the config was only partly read"))
        return device
