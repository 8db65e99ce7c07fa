"""Alibaba Cloud facts every part of idcgen shares (docs/cloud.md).

Kept in one light module (no pydantic, no jinja2) so the lint hot path, the site model
and review all read the same constants.
"""

from __future__ import annotations

from ipaddress import IPv4Network

# The cloud-services range (DNS, NTP, YUM, OSS, SLS...): routed to the cloud whole, or as
# its two /11 halves (docs/cloud.md#cloud-services-range)
CLOUD_SERVICES = IPv4Network("100.64.0.0/10")
# RFC 1918 private space: where a VPC (and a VBR-to-VPC health-check source) lives
RFC1918 = (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12"),
           IPv4Network("192.168.0.0/16"))
CLOUD_SERVICES_HALVES = (IPv4Network("100.64.0.0/11"), IPv4Network("100.96.0.0/11"))

# Express Connect: a VBR's VLAN ID is 0-2999 (CreateVirtualBorderRouter `VlanId`; idcgen
# writes an untagged interface as no vlan at all), and the interconnect must not use the
# cloud-services range (Express Connect limitations page). docs/vendor-commands.md#alibaba
VBR_VLAN_MAX = 2999
ALIBABA_ASN = 45104  # Alibaba's own ASN: a customer gateway may not use it
# BGP with a VBR (docs/cloud.md#vbr-bgp): CreateBgpGroup says 65025 is a value Alibaba
# reserves and 45104 its own ASN; each BGP peer takes at most 110 dynamic routes
ALIBABA_RESERVED_ASNS = frozenset({ALIBABA_ASN, 65025})
VBR_ROUTE_QUOTA = 110
# BFD on a VBR: min_tx/min_rx 200-1000 ms, detect multiplier 3-10, default 1000 ms x 3
BFD_INTERVAL_RANGE = (200, 1000)
BFD_MULTIPLIER_RANGE = (3, 10)
VBR_BFD_DEFAULT_INTERVAL = 1000
VBR_BFD_DEFAULT_MULTIPLIER = 3
# What a customer gateway IP may not be (VPN Gateway "Customer gateway" constraints)
CUSTOMER_GATEWAY_FORBIDDEN: tuple[tuple[IPv4Network, str], ...] = (
    (IPv4Network("100.64.0.0/10"), "shared address space"),
    (IPv4Network("127.0.0.0/8"), "loopback"),
    (IPv4Network("169.254.0.0/16"), "link-local"),
    (IPv4Network("224.0.0.0/4"), "multicast"),
    (IPv4Network("255.0.0.0/8"), "reserved"),
)
# Tunnel /30s in 169.254.0.0/16 that may not be a tunnel CIDR (issue #11's list; see
# docs/vendor-commands.md#alibaba for what is and is not confirmed)
RESERVED_TUNNEL_CIDRS: tuple[IPv4Network, ...] = (
    *(IPv4Network(f"169.254.{n}.0/30") for n in range(7)),
    IPv4Network("169.254.169.252/30"),
)
# Alibaba: the data-center gateway must accept more than 500 ICMP echo requests per
# second (Express Connect limitations page); a policer on the probes below it is too small
HEALTH_CHECK_MIN_PPS = 500

# What the Alibaba Cloud VPN Gateway offers (docs/cloud.md#ipsec-parameters), and the
# choices it still offers that are weak
ENCRYPTIONS: tuple[str, ...] = ("aes", "aes192", "aes256", "des", "3des")
INTEGRITIES: tuple[str, ...] = ("md5", "sha1", "sha256", "sha384", "sha512")
DH_GROUPS: tuple[int, ...] = (1, 2, 5, 14)
WEAK_ENCRYPTIONS = frozenset({"des", "3des"})
WEAK_INTEGRITIES = frozenset({"md5"})
WEAK_DH_GROUPS = frozenset({1, 2, 5})

__all__ = ["ALIBABA_ASN", "ALIBABA_RESERVED_ASNS", "BFD_INTERVAL_RANGE", "BFD_MULTIPLIER_RANGE",
           "VBR_BFD_DEFAULT_INTERVAL", "VBR_BFD_DEFAULT_MULTIPLIER", "VBR_ROUTE_QUOTA",
           "CLOUD_SERVICES", "CLOUD_SERVICES_HALVES",
           "CUSTOMER_GATEWAY_FORBIDDEN", "DH_GROUPS", "ENCRYPTIONS", "HEALTH_CHECK_MIN_PPS",
           "INTEGRITIES", "RESERVED_TUNNEL_CIDRS", "VBR_VLAN_MAX", "WEAK_DH_GROUPS",
           "WEAK_ENCRYPTIONS", "WEAK_INTEGRITIES"]
