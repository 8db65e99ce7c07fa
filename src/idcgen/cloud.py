"""Alibaba Cloud facts every part of idcgen shares (docs/cloud.md).

Kept in one light module (no pydantic, no jinja2) so the lint hot path, the site model
and review all read the same constants.
"""

from __future__ import annotations

from ipaddress import IPv4Network

# The cloud-services range (DNS, NTP, YUM, OSS, SLS...): routed to the cloud whole, or as
# its two /11 halves (docs/cloud.md#cloud-services-range)
CLOUD_SERVICES = IPv4Network("100.64.0.0/10")
CLOUD_SERVICES_HALVES = (IPv4Network("100.64.0.0/11"), IPv4Network("100.96.0.0/11"))

# What the Alibaba Cloud VPN Gateway offers (docs/cloud.md#ipsec-parameters), and the
# choices it still offers that are weak
ENCRYPTIONS: tuple[str, ...] = ("aes", "aes192", "aes256", "des", "3des")
INTEGRITIES: tuple[str, ...] = ("md5", "sha1", "sha256", "sha384", "sha512")
DH_GROUPS: tuple[int, ...] = (1, 2, 5, 14)
WEAK_ENCRYPTIONS = frozenset({"des", "3des"})
WEAK_INTEGRITIES = frozenset({"md5"})
WEAK_DH_GROUPS = frozenset({1, 2, 5})

__all__ = ["CLOUD_SERVICES", "CLOUD_SERVICES_HALVES", "DH_GROUPS", "ENCRYPTIONS",
           "INTEGRITIES", "WEAK_DH_GROUPS", "WEAK_ENCRYPTIONS", "WEAK_INTEGRITIES"]
