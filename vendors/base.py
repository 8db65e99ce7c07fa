"""What every vendor driver provides (documentation of the interface, checked in tests)."""

from __future__ import annotations

from typing import ClassVar, Protocol


class Syntax(Protocol):
    """Syntax facts a driver exposes as class attributes of `Syntax` in its __init__."""

    vendor: ClassVar[str]  # canonical id
    default_static_preference: ClassVar[int]  # Cisco 1, Huawei 60, Junos 5
    max_static_preference: ClassVar[int]
    standby_preference_step: ClassVar[int]  # added per standby rank (domain.md pitfall 1)
    comment_prefix: ClassVar[str]  # "!" / "#" / "#"
    # a packet that matches no entry of an interface ACL/filter: "deny" or "permit"
    interface_filter_default: ClassVar[str]
