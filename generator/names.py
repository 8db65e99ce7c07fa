"""Vendor-neutral naming of the objects idcgen creates: route names, line labels.

The templates read these (with each driver's own object names, `template_names()`) as
the Jinja global `names`. Every name is one word of safe characters, so it is valid as
a route name or description, an ACL, class, policy, filter, term or prefix-list name on
every vendor.
"""

from __future__ import annotations

import hashlib

# Longest route name/description idcgen emits. Huawei documents descriptions of up to
# 80 characters (Comware siblings 60); the Cisco `name` limit is not documented in the
# sources we have, so one conservative bound serves all vendors.
ROUTE_NAME_MAX = 60


def line_label(line_name: str) -> str:
    """`a` / `line-a` -> `LINE-A`: the tag that says which leased line a route uses."""
    label = line_name.upper()
    return label if label.startswith("LINE") else f"LINE-{label}"


def fit(name: str, limit: int = ROUTE_NAME_MAX) -> str:
    """Shorten `name` to `limit` characters, keeping it unique with a short hash suffix."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6].upper()
    return f"{name[: limit - 7]}-{digest}"


def route_name(purpose: str, line_name: str, network_name: str | None = None) -> str:
    """ALIYUN-SVC-LINE-A, ALIYUN-VPC-PROD-LINE-A, ALIYUN-HC-LINE-A."""
    parts = ["ALIYUN", purpose]
    if network_name:
        parts.append(network_name.upper())
    parts.append(line_label(line_name))
    return fit("-".join(parts))


# Huawei BFD session names are 1-15 characters (S/AR references), NQA test names 1-32.
DETECTION_NAME_MAX = 15


def detection_name(line_name: str, number: int) -> str:
    """ALIYUN-LINE-A: the NQA test / BFD session of a line; ALIYUN-101 when the line's
    label would make it longer than every vendor allows."""
    name = f"ALIYUN-{line_label(line_name)}"
    return name if len(name) <= DETECTION_NAME_MAX else f"ALIYUN-{number}"
