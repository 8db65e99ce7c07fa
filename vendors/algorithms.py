"""Vendor spellings of IPsec algorithms -> Alibaba's names, for the rules.

Each driver's parser maps its own keywords with its `ipsec_names.py` reverse tables;
these aliases catch the spellings a parser may still pass through (older releases,
`esp-` prefixes, alternative forms), so IDC401/IDC403/IDC404 compare Alibaba names only.
"""

from __future__ import annotations

_ENC_ALIASES = {
    "aes128": "aes", "aes-128": "aes", "aes-cbc-128": "aes", "aes-128-cbc": "aes",
    "aes-cbc": "aes", "aes 128": "aes",
    "aes-192": "aes192", "aes-cbc-192": "aes192", "aes-192-cbc": "aes192", "aes 192": "aes192",
    "aes-256": "aes256", "aes-cbc-256": "aes256", "aes-256-cbc": "aes256", "aes 256": "aes256",
    "des-cbc": "des", "3des-cbc": "3des", "des3": "3des", "triple-des": "3des",
}
_INT_ALIASES = {
    "sha": "sha1", "sha-1": "sha1", "hmac-sha1-96": "sha1", "hmac-sha1": "sha1",
    "sha-256": "sha256", "sha2-256": "sha256", "hmac-sha-256-128": "sha256",
    "hmac-sha2-256": "sha256", "hmac-sha256": "sha256",
    "sha-384": "sha384", "sha2-384": "sha384", "hmac-sha-384": "sha384",
    "hmac-sha2-384": "sha384", "sha-512": "sha512", "sha2-512": "sha512",
    "hmac-sha-512": "sha512", "hmac-sha2-512": "sha512",
    "hmac-md5-96": "md5", "hmac-md5": "md5",
}


def norm_encryption(name: str) -> str:
    key = name.strip().lower().removeprefix("esp-")
    return _ENC_ALIASES.get(key, key)


def norm_integrity(name: str) -> str:
    key = name.strip().lower().removeprefix("esp-")
    return _INT_ALIASES.get(key, key)


__all__ = ["norm_encryption", "norm_integrity"]
