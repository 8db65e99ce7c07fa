"""Where to show a finding about something absent (line 0) in a viewer that needs a line.

GitHub code scanning shows a SARIF result in the diff only at a line. A finding about an
absence ("no route for 100.64.0.0/10") has no line of its own, so JSON keeps `line: 0`
and SARIF anchors it at the most relevant line that does exist, derived generically from
what the rule reads (its catalogue `topics`, in the order the rule lists them):

    routes          the first static route of the global table
    interfaces      the first cloud-facing interface
    ipsec           the first IKE/IPsec object
    control-plane   the first applied control-plane policy
    filters         the first inbound filter on a cloud-facing interface

then the line that names the device's hostname, then line 1. The reason goes into the
SARIF message ("shown at the first static route, line 40"). Computed only for line-0
findings, so the lint hot path does not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idcgen.devicemodel import Device
    from idcgen.findings import CloudLink, Finding

Anchor = tuple[int, str]  # (line > 0, what that line is, in words)


def _first(lines: Iterable[tuple[int, str]]) -> Anchor | None:
    found = [(line, what) for line, what in lines if line > 0]
    return min(found) if found else None


def _routes(device: Device, links: Sequence[CloudLink]) -> Anchor | None:
    return _first((r.line, "the first static route") for r in device.global_routes())


def _link_interfaces(device: Device, links: Sequence[CloudLink]) -> list[tuple[int, str]]:
    out = []
    for link in links:
        iface = device.interfaces.get(link.interface or "")
        if iface is not None:
            out.append((iface.line, f"cloud-facing interface {iface.name}"))
    return out


def _interfaces(device: Device, links: Sequence[CloudLink]) -> Anchor | None:
    return _first(_link_interfaces(device, links))


def _ipsec(device: Device, links: Sequence[CloudLink]) -> Anchor | None:
    ipsec = device.ipsec
    items: list[tuple[int, str]] = [(p.line, "the IPsec configuration")
                                    for p in ipsec.peers.values()]
    items += [(t.line, "the IPsec configuration") for t in ipsec.tunnels]
    items += [(o.line, "the IPsec configuration") for o in ipsec.ike_proposals.values()]
    items += [(o.line, "the IPsec configuration") for o in ipsec.ipsec_proposals.values()]
    return _first(items)


def _control_plane(device: Device, links: Sequence[CloudLink]) -> Anchor | None:
    return _first((p.line, f"control-plane policy {p.name}")
                  for p in device.applied_control_plane())


def _filters(device: Device, links: Sequence[CloudLink]) -> Anchor | None:
    items = []
    for link in links:
        iface = device.interfaces.get(link.interface or "")
        if iface is not None and iface.inbound_filter:
            items.append((iface.inbound_filter_line,
                          f"inbound filter {iface.inbound_filter} of {iface.name}"))
    return _first(items)


_BY_TOPIC: dict[str, Callable[[Device, Sequence[CloudLink]], Anchor | None]] = {
    "routes": _routes, "interfaces": _interfaces, "ipsec": _ipsec,
    "control-plane": _control_plane, "filters": _filters,
}


def hostname_line(device: Device, text: str) -> int:
    """The first line naming the device's hostname as a word (0 if none)."""
    if not device.hostname or not text:
        return 0
    match = re.search(rf"(?m)^.*(?<![\w.-]){re.escape(device.hostname)}(?![\w.-])", text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def anchor_for(topics: Sequence[str], device: Device, links: Sequence[CloudLink],
               text: str) -> Anchor:
    """The line to show an absence at (see module doc); always > 0."""
    for topic in topics:
        finder = _BY_TOPIC.get(topic)
        found = finder(device, links) if finder is not None else None
        if found is not None:
            return found
    line = hostname_line(device, text)
    if line:
        return line, "the hostname statement"
    return 1, ""


def anchor_note(line: int, what: str) -> str:
    """The sentence SARIF adds to an anchored absence's message."""
    where = f"{what}, line {line}" if what else f"line {line}"
    return f"(Absent from the config: shown at {where}.)"


def anchor_findings(findings: Iterable[Finding], device: Device, links: Sequence[CloudLink],
                    text: str) -> None:
    """Set `anchor` / `anchor_reason` on every line-0 finding (from its rule's topics)."""
    from idcgen.rules import CATALOGUE

    for finding in findings:
        if finding.line != 0:
            continue
        info = CATALOGUE.get(finding.rule)
        topics = info.topics if info is not None else ()
        finding.anchor, finding.anchor_reason = anchor_for(topics, device, links, text)
