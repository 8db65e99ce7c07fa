"""Secrets never leave idcgen: the one place that hides them in text it prints.

`redact` is for command lines review prints (remediation, rollback): a value after a key
keyword is replaced unless it is a placeholder naming the key's source
(`<PSK-from-env:VAR>`). `mask_secrets` is for a config statement a parser records (an
unparsed section): every vendor's key words and the value after them. `safe_excerpt` is
for a config line quoted in a message: it is cut before the first word after which a
secret may follow.
"""

from __future__ import annotations

import re

_SECRET = re.compile(
    r"\b(pre-shared-key|key|password|secret|authentication-key)"
    r"((?:\s+(?:local|remote|[0-9]|cipher|simple|ascii-text|hexadecimal))*)"
    r"\s+(?!\"?<|(?:local|remote|[0-9]|cipher|simple|ascii-text|hexadecimal)(?:\s|$))(\S+)",
    re.IGNORECASE)


def redact(lines: list[str]) -> list[str]:
    """Never print a key: a value after a key keyword that is not a placeholder naming its
    source (`<PSK-from-env:VAR>`) is replaced. A rollback that has to restore a key the
    device holds now says so instead of printing it."""
    return [ln if " description " in f" {ln.strip()}" else
            _SECRET.sub(r"\1\2 <key-as-configured-now:not-shown>", ln) for ln in lines]


# Every vendor's words that a secret follows (Cisco `key 0 X`, `pre-shared-key X`; Huawei
# `cipher X`, `irreversible-cipher X`; Junos `ascii-text "X"`, `encrypted-password X`),
# with the modifiers that may stand between the word and the value.
_MASKED = re.compile(
    r"\b(key|pre-shared-key|password|secret|cipher|simple|irreversible-cipher|shared-key|"
    r"authentication-key|ascii-text|hexadecimal|encrypted-password|simple-password)"
    r"((?:\s+(?:local|remote|[0-9]|cipher|simple|irreversible-cipher|ascii-text|"
    r"hexadecimal))*)(\s+)\S+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`text` with the value after every key word replaced by `<redacted>`."""
    return _MASKED.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}<redacted>", text)


# Words after which a config line may carry a secret: an excerpt ends before them.
_SECRET_WORD = re.compile(r"\b(key|secret|password|pre-shared|psk|cipher|simple|ascii-text|"
                          r"hexadecimal|community|md5|authentication-key)\b", re.I)


def safe_excerpt(text: str, limit: int = 60) -> str:
    """A config line for a message, cut before anything that may be a secret."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    match = _SECRET_WORD.search(first)
    if match:
        first = first[:match.start()].rstrip() + " ..."
    return first if len(first) <= limit else first[:limit - 3].rstrip() + "..."


__all__ = ["mask_secrets", "redact", "safe_excerpt"]
