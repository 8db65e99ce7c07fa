"""IPsec part of the render plan (issue #4 fills this in)."""

from __future__ import annotations


def plan_ipsec(site, vendor: str, *, key_placeholder: bool = False) -> dict | None:
    """Template context for templates/<vendor>/ipsec.j2, or None when the site has no IPsec.

    The dict carries `holds_secret: bool` so the caller writes the file with mode 0600.
    """
    return None


def ipsec_warnings(site) -> list[str]:
    """Warnings for weak-but-allowed choices (DES, 3DES, MD5, DH 1/2/5), for stderr."""
    return []
