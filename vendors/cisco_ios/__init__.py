"""Cisco IOS / IOS-XE: syntax facts."""

from __future__ import annotations


class Syntax:
    vendor = "cisco_ios"
    default_static_preference = 1  # administrative distance of a static route
    max_static_preference = 254  # 255 = never installed
    standby_preference_step = 10
    comment_prefix = "!"
    interface_filter_default = "deny"  # implicit deny; an undefined ACL permits all
