"""Huawei VRP (AR routers first; S/CE switches where syntax is shared): syntax facts."""

from __future__ import annotations


class Syntax:
    vendor = "huawei_vrp"
    default_static_preference = 60
    max_static_preference = 255
    standby_preference_step = 10
    comment_prefix = "#"
    interface_filter_default = "permit"  # traffic-filter: unmatched traffic passes
