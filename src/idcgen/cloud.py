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

__all__ = ["CLOUD_SERVICES", "CLOUD_SERVICES_HALVES"]
