"""Alibaba IPsec algorithm names <-> Junos SRX keywords (docs/vendors.md#ipsec-keywords).

One table per vendor: render reads the forward maps, the parser the reverse maps.
IKE proposal keywords checked against the current Junos CLI reference
(`authentication-algorithm md5|sha1|sha-256|sha-384|sha-512`, `encryption-algorithm
des-cbc|3des-cbc|aes-128-cbc|aes-192-cbc|aes-256-cbc`, `dh-group group1|2|5|14`).
IPsec proposal: `hmac-md5-96`, `hmac-sha1-96`, `hmac-sha-256-128` are documented;
`hmac-sha-384-192` and `hmac-sha-512-256` exist on recent SRX releases only
(release-dependent, not confirmed from a source here).
"""

from __future__ import annotations

IKE_ENCRYPTION = {"aes": "aes-128-cbc", "aes192": "aes-192-cbc", "aes256": "aes-256-cbc",
                  "des": "des-cbc", "3des": "3des-cbc"}
IKE_AUTHENTICATION = {"md5": "md5", "sha1": "sha1", "sha256": "sha-256", "sha384": "sha-384",
                      "sha512": "sha-512"}
IPSEC_ENCRYPTION = dict(IKE_ENCRYPTION)
IPSEC_AUTHENTICATION = {"md5": "hmac-md5-96", "sha1": "hmac-sha1-96",
                        "sha256": "hmac-sha-256-128", "sha384": "hmac-sha-384-192",
                        "sha512": "hmac-sha-512-256"}


def dh_group(group: int) -> str:
    """`dh-group group14` argument."""
    return f"group{group}"


def pfs_group(group: int) -> str:
    """`perfect-forward-secrecy keys group14` argument."""
    return f"group{group}"


def _reverse(table: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in table.items()}


REVERSE_IKE_ENCRYPTION = _reverse(IKE_ENCRYPTION)
REVERSE_IKE_AUTHENTICATION = _reverse(IKE_AUTHENTICATION)
REVERSE_IPSEC_ENCRYPTION = _reverse(IPSEC_ENCRYPTION)
REVERSE_IPSEC_AUTHENTICATION = _reverse(IPSEC_AUTHENTICATION)
