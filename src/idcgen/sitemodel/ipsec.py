"""IPsec-VPN connections of the site model (issue #4 fills this in).

Placeholder kept minimal so the rest of the site model can reference it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class IpsecConnection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str


def validate_ipsec(site) -> list[tuple[tuple, str]]:
    """Cross-field checks of the IPsec part: (path, message) pairs."""
    return []
