"""Juniper Junos (MX/SRX), hierarchical and `display set` forms: syntax facts."""

from __future__ import annotations


class Syntax:
    vendor = "junos"
    default_static_preference = 5
    max_static_preference = 4294967295
    standby_preference_step = 10
    comment_prefix = "#"
    interface_filter_default = "deny"  # implicit discard at the end of a filter
