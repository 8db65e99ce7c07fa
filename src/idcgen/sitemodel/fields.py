"""Constrained string types shared by every part of the site model.

Anything from the site model that reaches a device config goes through one of these
types. They allow only characters every target vendor accepts inside a single
command, so no value can add a line break, a second command (`;` on Junos, `!`/`#`
comments, `?` help on a pasted Cisco line) or close a Junos block (`}`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from idcgen.vendors import canonical_vendor, supported

VENDORS: tuple[str, ...] = tuple(supported())  # every installed driver's id


def _vendor(value: str) -> str:
    return canonical_vendor(value)


Vendor = Annotated[str, AfterValidator(_vendor)]

# A name becomes part of object names (route names, ACL names, Huawei ipsec policy
# names are at most 15 characters, cpu-defend policies 31): one word, no spaces.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=False, min_length=1, max_length=24,
                      pattern=r"^[A-Za-z][A-Za-z0-9_-]*$"),
]
# An object name that already exists on a device (policy-map, lo0 filter, class).
DeviceObjectName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=63, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"),
]
# Free text for interface descriptions: spaces allowed, nothing that ends or starts a
# command, quotes a Junos string or asks for Cisco help.
Description = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64,
                      pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.,:/()@+=-]*$"),
]
Hostname = Annotated[
    str,
    StringConstraints(min_length=1, max_length=63, pattern=r"^[A-Za-z][A-Za-z0-9-]*$"),
]
# Every interface name the drivers' vendors use: Cisco GigabitEthernet0/0/1,
# TenGigabitEthernet1/0/1, HundredGigE0/1/0/0, Port-channel10, Ethernet1/1, Gi0/0/1.100;
# Huawei GE1/0/1, 10GE1/0/47, 25GE1/0/1, 100GE1/0/1, 400GE1/0/1 (CloudEngine names start
# with the speed), XGigabitEthernet0/0/1, Eth-Trunk10, Vlanif100; Junos ge-0/0/1,
# xe-0/0/0:1 (a channelized port), et-0/0/0, ae0, reth1, irb, irb.100, ge-0/0/1.0. A word
# (optionally after the speed digits), then numbers joined by `/`, `:` or `.`; never a
# space, `;`, `#`, `!`, `?`, a brace or a quote.
INTERFACE_PATTERN = r"^(?:[0-9]+)?[A-Za-z][A-Za-z0-9-]*(?:[/:.]?[0-9]+)*$"
InterfaceName = Annotated[
    str,
    StringConstraints(min_length=2, max_length=48, pattern=INTERFACE_PATTERN),
]
