"""Non-raising IPv4 helpers shared by the vendor parsers.

Dotted masks, mask lengths and ACL wildcards (Huawei, Cisco-like) and `a.b.c.d/len`
prefixes (Junos). Built from integers because `ipaddress` string parsing is the slowest
part of reading a 100k-line config. Nothing here raises: a bad token gives None, because
a parser must never fail on a config.

Results are immutable, so what configs repeat is shared rather than rebuilt: addresses
(next hops, peers), /31 and /32 networks (ACL hosts; ~420 bytes each), masks and
wildcards. Prefixes, the bulk of a big config and mostly unique, are not cached: a cache
would only hold their keys. Parsers call `clear_caches` when done.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any, TypeVar

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_DOTTED = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_ALL = 0xFFFFFFFF
_CACHE_SIZE = 8192
# "0".."255": the octets of an address written the way every device prints it
_OCTET_VALUE = {str(n): n for n in range(256)}
_K = TypeVar("_K")
_V = TypeVar("_V")


def quad_int(text: str, _octet: dict[str, int] = _OCTET_VALUE) -> int | None:
    """`a.b.c.d` in canonical decimal (0-255, no leading zero) -> int, else None.

    A fast path (four dict lookups, ~3x cheaper than int() per octet): callers fall back
    to their own rules for anything else, so unusual spellings keep their meaning.
    """
    try:
        w, x, y, z = text.split(".")
        return _octet[w] << 24 | _octet[x] << 16 | _octet[y] << 8 | _octet[z]
    except (KeyError, ValueError):
        return None


# ---- objects built from integers
# `ipaddress` constructors re-parse and re-validate their argument (~1 us for a network,
# ~2 us for an interface). These build the same objects from a checked int and length:
# the attributes the constructors set, nothing else. /31 and /32 networks get a per-object
# `hosts` override from the constructor, so those lengths still go through it (once per
# distinct network: they are shared).
# `_BUILT_LIKE_CONSTRUCTORS` (checked once at import) falls back to the constructors
# should a Python release change what they set.
# Typed as returning Any: the objects get private attributes (`_ip`, `_prefixlen`) that
# typeshed does not declare.
_NEW: Callable[[type], Any] = object.__new__
_NETMASK = [IPv4Network((0, length)).netmask for length in range(33)]
_MASK_BITS = [(_ALL << (32 - length)) & _ALL for length in range(33)]


def new_address(value: int) -> IPv4Address:
    """IPv4Address(value) for 0 <= value < 2**32."""
    addr = _NEW(IPv4Address)
    addr._ip = value
    return addr


def new_network(value: int, length: int) -> IPv4Network:
    """IPv4Network((value, length), strict=False): host bits cleared, 0 <= length <= 32."""
    if length > 30:
        return _host_network(value, length)
    if not _BUILT_LIKE_CONSTRUCTORS:
        return IPv4Network((value, length), strict=False)
    net = _NEW(IPv4Network)
    net.network_address = addr = _NEW(IPv4Address)
    addr._ip = value & _MASK_BITS[length]
    net.netmask = _NETMASK[length]
    net._prefixlen = length
    return net


class SharedValues(dict[_K, _V]):
    """Values built once per key and shared while a parse runs.

    `shared[key]` is a dict lookup in C for a key seen before (cheaper than calling an
    lru-cached function), `build(key)` for a new one. Emptied when it holds `limit`
    keys: bounded without an lru's bookkeeping on every miss (a big ACL or route table
    misses on nearly every line). A key whose build returns None or raises is not kept.
    """

    __slots__ = ("build", "limit")

    def __init__(self, build: Callable[[_K], _V], limit: int = _CACHE_SIZE) -> None:
        super().__init__()
        self.build = build
        self.limit = limit

    def __missing__(self, key: _K) -> _V:
        value = self.build(key)
        if value is not None:
            if len(self) >= self.limit:
                self.clear()
            self[key] = value
        return value


# /31 and /32 networks by address, shared: ~270 bytes each, and ACLs repeat the same
# hosts (most hosts of a big ACL are distinct, so misses must stay cheap: SharedValues).
_HOST_NETWORKS: tuple[SharedValues[int, IPv4Network], SharedValues[int, IPv4Network]] = (
    SharedValues(lambda value: _build_host_network(value, 31)),
    SharedValues(lambda value: _build_host_network(value, 32)))


def _host_network(value: int, length: int) -> IPv4Network:
    """IPv4Network((value, length), strict=False) for length 31 or 32, shared."""
    return _HOST_NETWORKS[length - 31][value & _MASK_BITS[length]]


def _build_host_network(value: int, length: int) -> IPv4Network:
    """A /31 or /32 network as the constructor builds it (checked: `_same_host_networks`)."""
    if not _HOSTS_LIKE_CONSTRUCTOR:
        return IPv4Network((value, length), strict=False)
    net = _NEW(IPv4Network)
    net.network_address = addr = _NEW(IPv4Address)
    addr._ip = value = value & _MASK_BITS[length]
    net.netmask = _NETMASK[length]
    net._prefixlen = length
    # what the constructor gives these two lengths (CPython 3.11-3.12): its own `hosts`
    if length == 31:
        net.hosts = net.__iter__
    else:
        net.hosts = _OneHost(value)
    return net


class _OneHost:
    """`hosts` of a /32 network: a list of its one address, as the constructor's lambda
    returns. A slotted callable is ~50 bytes; the lambda and its closure cell ~200, and an
    ACL with 100k `host` entries keeps 100k of them."""

    __slots__ = ("_ip",)

    def __init__(self, value: int) -> None:
        self._ip = value

    def __call__(self) -> list[IPv4Address]:
        return [new_address(self._ip)]


def new_interface(value: int, length: int) -> IPv4Interface:
    """IPv4Interface((value, length)) for 0 <= length <= 32."""
    if length > 30 or not _BUILT_LIKE_CONSTRUCTORS:
        return IPv4Interface((value, length))
    iface = _NEW(IPv4Interface)
    iface._ip = value
    iface.network = new_network(value, length)
    iface.netmask = _NETMASK[length]
    iface._prefixlen = length
    return iface


def _same_objects() -> bool:
    """Do `new_network` / `new_interface` build exactly what the constructors build?"""
    try:
        for value, length in ((0xC0A80A01, 24), (0, 0), (0xFFFFFFFF, 30), (0x0A000001, 8)):
            iface, real = new_interface(value, length), IPv4Interface((value, length))
            if vars(iface) != vars(real) or int(iface) != int(real) \
                    or vars(iface.network) != vars(real.network):
                return False
    except (AttributeError, TypeError):  # e.g. a release that gives these __slots__
        return False
    return True


def _same_host_networks() -> bool:
    """Does `_host_network` build what the constructor builds for /31 and /32 (the same
    attributes, a `hosts` giving the same addresses)? Checked with the fast path on."""
    try:
        for value, length in ((0xC0A80A01, 32), (0xC0A80A00, 31), (0xC0A80A01, 31), (0, 32)):
            ours, real = _build_host_network(value, length), \
                IPv4Network((value, length), strict=False)
            if vars(ours).keys() != vars(real).keys() or ours != real \
                    or list(ours.hosts()) != list(real.hosts()) \
                    or list(ours) != list(real) or str(ours) != str(real):
                return False
            if any(getattr(ours, k) != getattr(real, k) for k in vars(real) if k != "hosts"):
                return False
    except (AttributeError, TypeError):
        return False
    return True


_BUILT_LIKE_CONSTRUCTORS = True
_BUILT_LIKE_CONSTRUCTORS = _same_objects()
_HOSTS_LIKE_CONSTRUCTOR = True
_HOSTS_LIKE_CONSTRUCTOR = _BUILT_LIKE_CONSTRUCTORS and _same_host_networks()


# ---- strings
def ip_int(text: str, _match=_DOTTED.fullmatch) -> int | None:
    """Dotted quad -> int, or None (strict: no octal, no short forms)."""
    value = quad_int(text)
    if value is not None:
        return value
    if _match(text) is None:
        return None
    import socket  # here, not at start-up: only spellings quad_int does not take get here

    return int.from_bytes(socket.inet_aton(text), "big")


def _new_address_of(text: str) -> IPv4Address | None:
    value = ip_int(text)
    return None if value is None else new_address(value)


# Next hops and peers: few distinct, used many times; a config of distinct next hops must
# not keep every one's text to the end of the parse. See `clear_caches`.
_ADDRESSES: SharedValues[str, IPv4Address | None] = SharedValues(_new_address_of)
address: Callable[[str], IPv4Address | None] = _ADDRESSES.__getitem__


@lru_cache(maxsize=_CACHE_SIZE)
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


def network(addr: str, mask: str) -> IPv4Network | None:
    value = ip_int(addr)
    length = mask_length(mask)
    if value is None or length is None:
        return None
    return new_network(value, length)


def interface(addr: str, mask: str) -> IPv4Interface | None:
    value = ip_int(addr)
    length = mask_length(mask)
    if value is None or length is None:
        return None
    return new_interface(value, length)


def wildcard_network(addr: str, wildcard: str) -> tuple[IPv4Network | None, bool]:
    """ACL `source A W` -> (network, exact).

    Huawei wildcards are Cisco-like (0 bits must match); `0` means a host. A dotted
    netmask is tolerated (some releases print one). A non-contiguous wildcard is widened
    to the covering prefix and reported as not exact.
    """
    value = quad_int(addr)  # the usual spelling without `ip_int`'s call (twice per rule)
    if value is None:
        value = ip_int(addr)
        if value is None:
            return None, False
    shape = _wildcard_shape(wildcard)
    if shape is None:
        return None, False
    return new_network(value, shape[0]), shape[1]


@lru_cache(maxsize=_CACHE_SIZE)
def _wildcard_shape(wildcard: str) -> tuple[int, bool] | None:
    """A wildcard (see `wildcard_network`) -> (prefix length, exact), None if bad."""
    if wildcard.isdigit():  # `0` (host) or a prefix length
        length = int(wildcard)
        if length > 32:
            return None
        return (32 if length == 0 else length), True
    wild = ip_int(wildcard)
    if wild is None:
        return None
    if not wild & (wild + 1):  # 0...01...1: a proper wildcard
        return 32 - wild.bit_length(), True
    inverse = ~wild & _ALL
    if not inverse & (inverse + 1):  # 1...10...0 written as a netmask
        return 32 - inverse.bit_length(), True
    return 32 - wild.bit_length(), False  # bits that must match before the first "don't care"


# ---- `a.b.c.d/len` prefixes (Junos)
_PREFIX_LENGTH = {str(n): n for n in range(33)}


def _split(text: str) -> tuple[int, int] | None:
    addr, slash, plen_text = text.partition("/")
    value = ip_int(addr)
    if value is None:
        return None
    if not slash:
        return value, 32
    length = _PREFIX_LENGTH.get(plen_text)  # "0".."32"; anything else the slow way
    if length is None:
        if not plen_text.isdigit() or int(plen_text) > 32:
            return None
        length = int(plen_text)
    return value, length


def prefix_network(text: str) -> IPv4Network | None:
    """`a.b.c.d/len` (host bits allowed and cleared) or `a.b.c.d` (= /32)."""
    parts = _split(text)
    if parts is None:
        return None
    return new_network(*parts)


def prefix_interface(text: str) -> IPv4Interface | None:
    parts = _split(text)
    if parts is None:
        return None
    return new_interface(*parts)


def clear_caches() -> None:
    """Forget cached objects; parsers call this when done, so nothing outlives a parse."""
    _ADDRESSES.clear()
    for shared in _HOST_NETWORKS:
        shared.clear()
