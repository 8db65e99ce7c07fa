"""Names idcgen gives to the objects it creates on a device, in one place.

The templates read them (as the Jinja global `names`) and lint/review can import them
to recognise objects idcgen rendered. Every name is one word of safe characters, so it
is valid as a Cisco route `name`, a Huawei `description`, an ACL, class, policy, filter,
term or prefix-list name on all three vendors.
"""

from __future__ import annotations

import hashlib

# Cisco IOS-XE CoPP exemption
CISCO_HC_ACL = "ACL-ALIYUN-HC"
CISCO_HC_CLASS = "CM-ALIYUN-HC"
CISCO_COPP_POLICY = "PM-ALIYUN-COPP"  # only used for control_plane mode create

# Huawei VRP cpu-defend exemption: a user-defined flow (matched by a numbered advanced
# ACL) with its own CAR, which the device evaluates before the per-protocol CAR
# (`car packet-type icmp`) the probes would otherwise share with all other ICMP.
# The ACL number and the flow id must both be unused on the device (in the policy the
# flow is added to): the rendered config comments ask the operator to check them.
HUAWEI_HC_ACL = 3901
HUAWEI_HC_FLOW = 1
# kbit/s: far above the probes' need (0.5 packet/s per source, about 400 bit/s) and
# used by nothing else, since only the health-check sources match the flow.
HUAWEI_HC_FLOW_CIR_KBPS = 64
HUAWEI_CPU_DEFEND_POLICY = "ALIYUN-HC"  # 1-31 characters

# Junos lo0 filter exemption and ECMP forwarding-table policy
JUNOS_HC_PREFIX_LIST = "ALIYUN-HC"
JUNOS_HC_TERM = "ALIYUN-HC"
JUNOS_LO0_FILTER = "ALIYUN-HC-LO0"  # only used for control_plane mode create
JUNOS_LO0_REST_TERM = "ACCEPT-REST"
JUNOS_ECMP_POLICY = "ALIYUN-ECMP"

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
