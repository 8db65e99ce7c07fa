"""Non-raising IPv4 helpers shared by the vendor parsers.

Dotted masks, mask lengths and ACL wildcards (Huawei, Cisco-like) and `a.b.c.d/len`
prefixes (Junos). Built from integers because `ipaddress` string parsing is the slowest
part of reading a 100k-line config; results are cached (they are immutable). Nothing
here raises: a bad token gives None, because a parser must never fail on a config.
"""

from __future__ import annotations

import re
import socket
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_DOTTED = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_ALL = 0xFFFFFFFF


def ip_int(text: str, _match=_DOTTED.fullmatch, _aton=socket.inet_aton) -> int | None:
    """Dotted quad -> int, or None (strict: no octal, no short forms)."""
    if _match(text) is None:
        return None
    return int.from_bytes(_aton(text), "big")


@lru_cache(maxsize=65536)
def address(text: str) -> IPv4Address | None:
    value = ip_int(text)
    return None if value is None else IPv4Address(value)


@lru_cache(maxsize=65536)
def mask_length(text: str) -> int | None:
    """`255.255.255.0` or `24` -> 24; None for a non-contiguous or bad mask."""
    if text.isdigit():
        length = int(text)
        return length if length <= 32 else None
    value = ip_int(text)
    if value is None:
        return None
    inverse = ~value & _ALL
    if inverse & (inverse + 1):
        return None
    return 32 - inverse.bit_length()


@lru_cache(maxsize=65536)
def network(addr: str, mask: str) -> IPv4Network | None:
    value = ip_int(addr)
    length = mask_length(mask)
    if value is None or length is None:
        return None
    return IPv4Network((value, length), strict=False)


@lru_cache(maxsize=65536)
def interface(addr: str, mask: str) -> IPv4Interface | None:
    value = ip_int(addr)
    length = mask_length(mask)
    if value is None or length is None:
        return None
    return IPv4Interface((value, length))


@lru_cache(maxsize=65536)
def wildcard_network(addr: str, wildcard: str) -> tuple[IPv4Network | None, bool]:
    """ACL `source A W` -> (network, exact).

    Huawei wildcards are Cisco-like (0 bits must match); `0` means a host. A dotted
    netmask is tolerated (some releases print one). A non-contiguous wildcard is widened
    to the covering prefix and reported as not exact.
    """
    value = ip_int(addr)
    if value is None:
        return None, False
    if wildcard.isdigit():  # `0` (host) or a prefix length
        length = int(wildcard)
        if length > 32:
            return None, False
        return IPv4Network((value, 32 if length == 0 else length), strict=False), True
    wild = ip_int(wildcard)
    if wild is None:
        return None, False
    if not wild & (wild + 1):  # 0...01...1: a proper wildcard
        return IPv4Network((value, 32 - wild.bit_length()), strict=False), True
    inverse = ~wild & _ALL
    if not inverse & (inverse + 1):  # 1...10...0 written as a netmask
        return IPv4Network((value, 32 - inverse.bit_length()), strict=False), True
    leading = 32 - wild.bit_length()  # bits that must match before the first "don't care"
    return IPv4Network((value, leading), strict=False), False


# ---- `a.b.c.d/len` prefixes (Junos)
def _split(text: str) -> tuple[int, int] | None:
    addr, slash, plen_text = text.partition("/")
    value = ip_int(addr)
    if value is None:
        return None
    if not slash:
        return value, 32
    if not plen_text.isdigit() or int(plen_text) > 32:
        return None
    return value, int(plen_text)


@lru_cache(maxsize=65536)
def prefix_network(text: str) -> IPv4Network | None:
    """`a.b.c.d/len` (host bits allowed and cleared) or `a.b.c.d` (= /32)."""
    parts = _split(text)
    if parts is None:
        return None
    return IPv4Network(parts, strict=False)


@lru_cache(maxsize=65536)
def prefix_interface(text: str) -> IPv4Interface | None:
    parts = _split(text)
    if parts is None:
        return None
    return IPv4Interface(parts)
