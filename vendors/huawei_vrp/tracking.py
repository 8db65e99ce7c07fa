"""Huawei VRP failure detection into the device model (issue #11).

`nqa test-instance ADMIN TEST` (test type, destination, source, probe count, interval,
timeout, frequency, `start`), `bfd` (global), `bfd NAME bind peer-ip X [interface IF]
[source-ip Y] [one-arm-echo | auto]` with its discriminators and timers, and on a
static route `track nqa ADMIN TEST`, `track bfd-session NAME` or `bfd enable` (dynamic
BFD for static routes). Sources: docs/vendor-commands.md#failure-detection.
"""

from __future__ import annotations

import re

from idcgen.devicemodel import Device, StaticRoute, Tracker
from idcgen.vendors.ipv4 import address
from idcgen.vendors.lines import Block

_IF_NUMBER = re.compile(r"\d+(?:/\d+)*(?:[.:]\d+)?")
_NQA_SETTINGS = ("test-type", "probe-count", "interval", "timeout", "frequency",
                 "fail-percent")
_BFD_SETTINGS = ("discriminator", "min-echo-rx-interval", "min-tx-interval",
                 "min-rx-interval", "detect-multiplier")


def nqa(device: Device, block: Block, words: list[str]) -> None:
    """`nqa test-instance ADMIN TEST` and its children."""
    if len(words) < 4:
        return
    key = f"nqa {words[2]} {words[3]}"
    tracker = Tracker(key=key, kind="probe", line=block.line)
    settings: list[str] = []
    started = False
    for child in block.walk():
        cw = child.text.split()
        if cw[0] == "destination-address" and len(cw) >= 3:
            tracker.target = address(cw[-1])
        elif cw[0] == "source-address" and len(cw) >= 3:
            tracker.source = address(cw[-1])
        elif cw[0] == "source-interface" and len(cw) >= 2:
            tracker.interface = "".join(cw[1:])
        elif cw[0] in _NQA_SETTINGS:
            settings.append(child.text.strip())
        elif cw[0] == "start":
            started = True
    tracker.settings = (*sorted(settings), "started" if started else "stopped")
    device.trackers[key] = tracker


def bfd(device: Device, block: Block, words: list[str]) -> None:
    """`bfd` (global BFD) or `bfd NAME bind peer-ip ...` with its session children."""
    if len(words) == 1:
        device.trackers["bfd"] = Tracker(key="bfd", kind="bfd", line=block.line)
        return
    if len(words) < 5 or words[2] != "bind":
        return
    key = f"bfd-session {words[1]}"
    tracker = Tracker(key=key, kind="bfd", line=block.line)
    options: list[str] = []
    i = 3
    while i < len(words):
        word = words[i]
        if word == "peer-ip" and i + 1 < len(words):
            tracker.target = address(words[i + 1])
            i += 2
        elif word == "source-ip" and i + 1 < len(words):
            tracker.source = address(words[i + 1])
            i += 2
        elif word == "interface" and i + 1 < len(words):
            name = words[i + 1]
            i += 2
            if i < len(words) and _IF_NUMBER.fullmatch(words[i]):
                name += words[i]
                i += 1
            tracker.interface = name
        else:
            options.append(word)
            i += 1
    children = sorted(child.text.strip() for child in block.walk()
                      if child.text.split()[0] in _BFD_SETTINGS)
    tracker.settings = (*options, *children)
    device.trackers[key] = tracker


def route_option(route: StaticRoute, words: list[str], i: int) -> int:
    """Read a route's `track nqa ADMIN TEST` / `track bfd-session NAME` / `bfd enable`
    at words[i]; the index after it."""
    if words[i] == "track" and i + 2 < len(words) and words[i + 1] == "nqa" \
            and i + 3 < len(words):
        route.tracker = f"nqa {words[i + 2]} {words[i + 3]}"
        return i + 4
    if words[i] == "track" and i + 2 < len(words) and words[i + 1] == "bfd-session":
        route.tracker = f"bfd-session {words[i + 2]}"
        return i + 3
    if words[i] == "bfd" and i + 1 < len(words) and words[i + 1] == "enable":
        route.tracker = "bfd enable"
        return i + 2
    return i + 1
