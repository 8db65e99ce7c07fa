"""The one redaction helper: every vendor's key forms are masked in recorded statements."""

from __future__ import annotations

import pytest

from idcgen.redact import mask_secrets, redact, safe_excerpt

SECRET = "S3cr3t-Val"


@pytest.mark.parametrize("line", [
    f"crypto isakmp key {SECRET} address 5.5.5.5",  # Cisco
    f" pre-shared-key local {SECRET}",  # Cisco IKEv2 keyring
    f" key 0 {SECRET}",
    f" pre-shared-key cipher {SECRET}",  # Huawei
    f"local-user admin password irreversible-cipher {SECRET}",
    f'security ike policy P pre-shared-key ascii-text "{SECRET}"',  # Junos
    f"system root-authentication encrypted-password {SECRET}",
])
def test_mask_secrets_hides_every_vendor_form(line: str) -> None:
    masked = mask_secrets(line)
    assert SECRET not in masked and "<redacted>" in masked


def test_review_redaction_keeps_placeholders_and_descriptions() -> None:
    lines = [" pre-shared-key cipher <PSK-from-env:ALIYUN_PSK>", f" pre-shared-key {SECRET}",
             " description key rotation notes"]
    out = redact(lines)
    assert out[0] == lines[0] and SECRET not in out[1] and out[2] == lines[2]
    assert safe_excerpt(f"crypto isakmp key {SECRET} address 1.1.1.1") == "crypto isakmp ..."
