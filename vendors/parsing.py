"""What every vendor parser does around its own work: pause the GC, never raise, and
stop at the reading limits instead of spending unbounded time or memory on hostile input.

Three levels of failure, from cheapest to most serious (docs/CONTRACT.md, "Reading
limits and partly read configs"):

- one statement not understood (a malformed token, a bug in one handler): the parser
  records it as an `UnparsedSection` naming its line (IDC900) and reads on;
- a reading limit (`MAX_LINE`, `MAX_DEPTH`, `MAX_STATEMENT_WORDS`): the reader raises
  `ReadLimit`; the config is reported as an input error at that line (exit 2);
- an internal error outside any one statement (linking sections): the config was only
  partly read, which is also an input error (exit 2), never a clean pass.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from idcgen.devicemodel import Device, UnparsedSection

# A line longer than this (characters) stops the reader: no device prints one, and the
# regex tokenizers must not be handed megabytes at a time.
MAX_LINE = 65_536
# Junos blocks nested deeper than this stop the reader (real configs stay under 12).
# Cisco / Huawei indentation deeper than this is read as this depth (see lines.py).
MAX_DEPTH = 64
# A Junos statement (words before its `;`, possibly over several lines) longer than this.
MAX_STATEMENT_WORDS = 10_000


class ReadLimit(Exception):
    """The reader stopped at `line` (1-based) because the input exceeds a limit."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message

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


def statement_failed(exc: BaseException) -> str:
    """The IDC900 reason for one statement whose handler raised: the exception's type
    only (its text may quote a token of the line: a key, or 5,000 digits)."""
    return f"statement not understood ({type(exc).__name__}); skipped"


def partial_on_error(device: Device, work: Callable[[], Device]) -> Device:
    """Run `work`; if it fails, return what was read so far, marked as partly read.

    A config must never crash the linter, nor pass as clean when it was not read: a
    `ReadLimit` or an internal error sets `device.read_error` (line, reason), which
    `lint` reports as an input error at that line (exit 2) instead of a traceback.
    """
    try:
        return work()
    except ReadLimit as exc:
        device.read_error = (exc.line, exc.message)
        return device
    except Exception as exc:  # noqa: BLE001 - degrade, never raise
        device.read_error = (0, f"internal parser error ({type(exc).__name__}); the config "
                                "was only partly read (please report this)")
        return device


__all__ = ["MAX_DEPTH", "MAX_LINE", "MAX_STATEMENT_WORDS", "ReadLimit", "UnparsedSection",
           "gc_paused", "partial_on_error", "statement_failed"]
