"""Pre-shared keys: resolved only at render time, never shown anywhere else.

The site model names a key's source (`{env: VAR}` / `{file: PATH}`). `resolve_key`
reads it and checks it can stand in a vendor command line; `placeholder` names the
source instead, for review output (`render --key-placeholder`), without reading it.
Both return a `Secret`, whose repr/str never show the value, so a key that reaches a
log line, an exception or a debugger prints as `<secret>`; only templates call
`reveal()`. Error messages name the variable or file, never the value.
"""

from __future__ import annotations

import os
import re
import string

from idcgen.errors import InputError
from idcgen.sitemodel.ipsec import KeySource
from idcgen.vendors import get_driver

# Alibaba's PSK alphabet (docs/cloud.md#psk): letters, digits and ~!`@#$%^&*()_-+={}[]\|;:',.<>/?
ALIBABA_KEY_CHARS = frozenset(
    string.ascii_letters + string.digits + "~!`@#$%^&*()_-+={}[]\\|;:',.<>/?")
MAX_KEY_LENGTH = 100
# bytes read from a key file at most: a key is <= 100 characters (plus a line end)
KEY_FILE_LIMIT = 4096
# characters Alibaba allows but that break a pasted vendor line:
#   '  quote (Junos strings, Cisco/Huawei tokenisers); ? asks for help on every CLI as it
#   is typed; each driver adds its own (`key_breakers`, e.g. a backslash on Junos) and
#   the prefixes it takes for an already encrypted key (`encrypted_key_prefixes`)
_COMMON_BREAKERS = {"'": "a quote", "?": "'?' (the CLI help key)"}
_PLACEHOLDER_SAFE = re.compile(r"[^A-Za-z0-9_./-]")


class Secret:
    """A key (or a placeholder for one). repr/str hide it; templates call reveal()."""

    __slots__ = ("_value", "source", "is_placeholder")

    def __init__(self, value: str, source: str, *, is_placeholder: bool = False) -> None:
        self._value = value
        self.source = source
        self.is_placeholder = is_placeholder

    def reveal(self) -> str:
        """The text to put into the config."""
        return self._value

    def __repr__(self) -> str:
        kind = "placeholder" if self.is_placeholder else "secret"
        return f"Secret(<{kind} from {self.source}>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:  # never compare by value in logs/tests by accident
        return self is other

    __hash__ = object.__hash__

    def __reduce__(self) -> tuple:
        raise TypeError("a Secret cannot be pickled")


def placeholder(source: KeySource) -> Secret:
    """A stand-in that names the key's source and fits a single token position in every
    vendor syntax (no spaces or quotes). It is for review and will not pass
    negotiation if pasted."""
    if source.env:
        label = f"env:{source.env}"
    else:
        label = "file:" + _PLACEHOLDER_SAFE.sub("_", source.file or "")
    return Secret(f"<PSK-from-{label}>", source.describe(), is_placeholder=True)


def resolve_key(source: KeySource, vendor: str, *, what: str,
                kind: str = "pre-shared key") -> Secret:
    """Read a key from its source and check it for Alibaba and `vendor`; `what` names the
    model field for messages (e.g. `ipsec[0].psk`), `kind` the key (a BGP password)."""
    if source.env:
        value = os.environ.get(source.env)
        if value is None:
            raise InputError(f"{what}: environment variable {source.env} is not set "
                             f"(it must hold the {kind}; or render with --key-placeholder)")
        if value.endswith(("\n", "\r")):
            # refused, not stripped: the variable is set by a program, and a key that
            # differs from what the store holds by a byte must not be guessed at
            raise InputError(f"{what}: environment variable {source.env} ends with a line "
                             "break; set it to the key alone (e.g. `export "
                             f"{source.env}=\"$(cat keyfile)\"`, which drops it)")
    else:
        value = _read_key_file(source.file or "", what)
        value = value.removesuffix("\n").removesuffix("\r")  # the usual trailing newline
    check_key(value, vendor, where=f"{what} (from {source.describe()})")
    return Secret(value, source.describe())


def _read_key_file(name: str, what: str) -> str:
    """A key file's text: a regular file of at most KEY_FILE_LIMIT bytes (a FIFO, a
    device such as /dev/zero or /dev/stdin, or a huge file is refused, never read)."""
    from idcgen.inputs import read_bytes

    path = name if name != "-" else os.path.join(".", name)  # a file named `-`, not stdin
    try:
        return read_bytes(path, limit=KEY_FILE_LIMIT, what="the key file").decode("utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{what}: cannot read key file {name}: {reason}") from None
    except UnicodeDecodeError:
        raise InputError(f"{what}: cannot read key file {name}: not UTF-8 text") from None


def check_key(value: str, vendor: str, *, where: str) -> None:
    """Refuse a key Alibaba or the vendor line cannot take; the message never shows it."""
    if not value:
        raise InputError(f"{where}: the key is empty")
    if len(value) > MAX_KEY_LENGTH:
        raise InputError(f"{where}: the key has {len(value)} characters; Alibaba accepts "
                         f"1-{MAX_KEY_LENGTH}")
    if any(ch.isspace() for ch in value):
        raise InputError(f"{where}: the key contains whitespace or a line break, which "
                         "Alibaba does not accept and which would split the config line")
    outside = sorted({ch for ch in value if ch not in ALIBABA_KEY_CHARS})
    if outside:
        kinds = "a double quote" if outside == ['"'] else "characters outside"
        raise InputError(f"{where}: the key contains {kinds} Alibaba's allowed set (letters, "
                         "digits and ~!`@#$%^&*()_-+={}[]\\|;:',.<>/?)")
    driver = get_driver(vendor)
    breakers = {**_COMMON_BREAKERS, **driver.key_breakers}
    found = [label for ch, label in breakers.items() if ch in value]
    if found:
        raise InputError(f"{where}: the key contains {', '.join(found)}, which would break "
                         f"the {vendor} command line; choose a key without it on both sides")
    for prefix in driver.encrypted_key_prefixes:
        if value.startswith(prefix):
            raise InputError(f"{where}: the key starts with {prefix!r}, which {vendor} takes "
                             "for an already encrypted key; choose another key")


__all__ = ["ALIBABA_KEY_CHARS", "KEY_FILE_LIMIT", "MAX_KEY_LENGTH", "Secret", "check_key",
           "placeholder", "resolve_key"]
