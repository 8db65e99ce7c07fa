"""Alibaba IPsec algorithm names <-> Cisco IOS-XE keywords (docs/vendors.md#ipsec-keywords).

One table per vendor: render reads the forward maps, the parser the reverse maps.
Checked against Alibaba's Cisco example (isakmp policy, transform-set, IKEv2 proposal)
and Cisco field notice FN72510, which lists `encryption des|3des`, `hash md5`,
`group 1|2|5` (isakmp), `encryption des|3des`, `integrity md5` (IKEv2 proposal) and
`esp-des`, `esp-3des`, `esp-md5-hmac` (transform-set) as the weak keywords IOS XE
17.11.1+ refuses unless `crypto engine compliance shield disable` is configured.
`hash sha384|sha512` (isakmp) need IOS-XE 16.x or later (release-dependent).
"""

from __future__ import annotations

ISAKMP_ENCRYPTION = {"aes": "aes", "aes192": "aes 192", "aes256": "aes 256",
                     "des": "des", "3des": "3des"}
ISAKMP_HASH = {"md5": "md5", "sha1": "sha", "sha256": "sha256", "sha384": "sha384",
               "sha512": "sha512"}
IKEV2_ENCRYPTION = {"aes": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256",
                    "des": "des", "3des": "3des"}
IKEV2_INTEGRITY = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384",
                   "sha512": "sha512"}
ESP_ENCRYPTION = {"aes": "esp-aes", "aes192": "esp-aes 192", "aes256": "esp-aes 256",
                  "des": "esp-des", "3des": "esp-3des"}
ESP_INTEGRITY = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha256": "esp-sha256-hmac",
                 "sha384": "esp-sha384-hmac", "sha512": "esp-sha512-hmac"}


def dh_group(group: int) -> str:
    """`group 14` in isakmp policy / ikev2 proposal."""
    return f"group {group}"


def pfs_group(group: int) -> str:
    """`set pfs group14` argument."""
    return f"group{group}"


def _reverse(table: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in table.items()}


# parsing: vendor keyword (as printed in running-config) -> Alibaba name
REVERSE_ISAKMP_ENCRYPTION = _reverse(ISAKMP_ENCRYPTION) | {"aes 128": "aes"}
REVERSE_ISAKMP_HASH = _reverse(ISAKMP_HASH)
REVERSE_IKEV2_ENCRYPTION = _reverse(IKEV2_ENCRYPTION)
REVERSE_IKEV2_INTEGRITY = _reverse(IKEV2_INTEGRITY)
REVERSE_ESP_ENCRYPTION = _reverse(ESP_ENCRYPTION) | {"esp-aes 128": "aes"}
REVERSE_ESP_INTEGRITY = _reverse(ESP_INTEGRITY)
