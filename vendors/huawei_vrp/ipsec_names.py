"""Alibaba IPsec algorithm names <-> Huawei AR (VRP V200R008+) keywords
(docs/vendors.md#ipsec-keywords).

One table per vendor: render reads the forward maps, the parser the reverse maps
(which also accept older AR spellings such as `aes-cbc-128`). Checked against the AR
command reference (`esp authentication-algorithm md5|sha1|sha2-256|sha2-384|sha2-512`),
Huawei's AR651 cloud example (`aes-128`, `sha2-256`, `dh group14`,
`integrity-algorithm hmac-sha2-256`, `prf hmac-sha2-256`) and the VRP `prf` reference
(`hmac-md5|hmac-sha1|hmac-sha2-256|hmac-sha2-384|hmac-sha2-512`). The IKEv2
`integrity-algorithm` spellings other than hmac-sha2-256 follow the same pattern but
were not seen in a source. MD5/SHA-1/DES need the WEAKEA package on new images.
"""

from __future__ import annotations

IKE_ENCRYPTION = {"aes": "aes-128", "aes192": "aes-192", "aes256": "aes-256",
                  "des": "des", "3des": "3des"}
IKE_AUTHENTICATION = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256",
                      "sha384": "sha2-384", "sha512": "sha2-512"}
IKE_INTEGRITY = {"md5": "hmac-md5-96", "sha1": "hmac-sha1-96", "sha256": "hmac-sha2-256",
                 "sha384": "hmac-sha2-384", "sha512": "hmac-sha2-512"}
IKE_PRF = {"md5": "hmac-md5", "sha1": "hmac-sha1", "sha256": "hmac-sha2-256",
           "sha384": "hmac-sha2-384", "sha512": "hmac-sha2-512"}
ESP_ENCRYPTION = {"aes": "aes-128", "aes192": "aes-192", "aes256": "aes-256",
                  "des": "des", "3des": "3des"}
ESP_AUTHENTICATION = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256",
                      "sha384": "sha2-384", "sha512": "sha2-512"}
# ESP with these needs `ipsec authentication sha2 compatible enable` towards a
# standards-based peer such as Alibaba (docs/cloud.md#pitfall-16)
SHA2_INTEGRITIES = frozenset({"sha256", "sha384", "sha512"})


def dh_group(group: int) -> str:
    """`dh group14` argument in an ike proposal."""
    return f"group{group}"


def pfs_group(group: int) -> str:
    """`pfs dh-group14` argument in an ipsec policy/profile."""
    return f"dh-group{group}"


def _reverse(table: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in table.items()}


_OLD_CIPHERS = {"aes-cbc-128": "aes", "aes-cbc-192": "aes192", "aes-cbc-256": "aes256",
                "3des-cbc": "3des", "des-cbc": "des", "aes 128": "aes", "aes 192": "aes192",
                "aes 256": "aes256"}
REVERSE_IKE_ENCRYPTION = _reverse(IKE_ENCRYPTION) | _OLD_CIPHERS
REVERSE_IKE_AUTHENTICATION = _reverse(IKE_AUTHENTICATION) | {"sha2": "sha256"}
REVERSE_IKE_INTEGRITY = _reverse(IKE_INTEGRITY)
REVERSE_IKE_PRF = _reverse(IKE_PRF)
REVERSE_ESP_ENCRYPTION = _reverse(ESP_ENCRYPTION) | _OLD_CIPHERS
REVERSE_ESP_AUTHENTICATION = _reverse(ESP_AUTHENTICATION)
