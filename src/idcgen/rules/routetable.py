"""The global static routes indexed by prefix, on plain integers.

A 100k-line config holds tens of thousands of static routes, and the rules keep asking
the same few questions of them: which routes have exactly this prefix, which prefixes lie
inside or cover a network. Answered with ipaddress per route and per question, that is
microseconds each time (and `subnet_of` computes and caches a broadcast address per
network), which made the rules cost more than the parse. The table computes one integer
key per route once and answers from a dict and a sorted list.

A prefix is keyed as (first address, prefix length); ipaddress normalises the network
address, so two equal IPv4Networks always have the same key.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import cached_property
from ipaddress import IPv4Network

from idcgen.devicemodel import StaticRoute
from idcgen.indexes import network_parts

PrefixKey = tuple[int, int]  # (first address as an integer, prefix length)
MAX_PREFIXLEN = 32
ALL_ONES = (1 << MAX_PREFIXLEN) - 1


def prefix_key(net: IPv4Network) -> PrefixKey:
    return network_parts(net)  # (int(net.network_address), net.prefixlen), one C call


def network_of(address: int, prefixlen: int) -> int:
    """The first address of the /prefixlen holding `address`."""
    return address & (ALL_ONES << (MAX_PREFIXLEN - prefixlen)) & ALL_ONES


_NETMASKS = [network_of(ALL_ONES, length) for length in range(MAX_PREFIXLEN + 1)]


def last_address(key: PrefixKey) -> int:
    first, prefixlen = key
    return first | (ALL_ONES >> prefixlen)


def key_within(inner: PrefixKey, outer: PrefixKey) -> bool:
    """Is `inner` equal to or inside `outer` (IPv4Network.subnet_of, on keys)?"""
    return inner[1] >= outer[1] and network_of(inner[0], outer[1]) == outer[0]


def keys_overlap(a: PrefixKey, b: PrefixKey) -> bool:
    """Prefixes are either nested or disjoint: they overlap when one holds the other."""
    return key_within(a, b) or key_within(b, a)


class RouteTable:
    """Routes grouped by prefix (first-seen order), with range queries by prefix."""

    def __init__(self, routes: Sequence[StaticRoute]):
        self.routes = routes
        self.by_key: dict[PrefixKey, list[StaticRoute]] = {}
        for route in routes:
            self.by_key.setdefault(prefix_key(route.prefix), []).append(route)

    def routes_for(self, prefix: IPv4Network) -> list[StaticRoute]:
        """The routes for exactly `prefix` ([] when none)."""
        return self.by_key.get(prefix_key(prefix), [])

    def prefix(self, key: PrefixKey) -> IPv4Network:
        """The routes' own IPv4Network for a key of the table."""
        return self.by_key[key][0].prefix

    @cached_property
    def sorted_keys(self) -> list[PrefixKey]:
        """Every routed prefix, by first address, then shorter prefix first."""
        return sorted(self.by_key)

    @cached_property
    def _position(self) -> dict[int, int]:
        """Where each route is in `routes`, by identity (routes are not hashable): range
        queries answer in route order, as the rules' own scans over all routes did."""
        return {id(route): index for index, route in enumerate(self.routes)}

    def keys_inside(self, net: IPv4Network, *, strictly: bool = False) -> list[PrefixKey]:
        """Routed prefixes equal to (unless `strictly`) or inside `net`, in sorted order.

        Prefixes are aligned, so any prefix that starts inside `net` and is not shorter
        than it lies inside it: one slice of the sorted keys."""
        first, prefixlen = prefix_key(net)
        keys = self.sorted_keys
        start = bisect_left(keys, (first, prefixlen + 1 if strictly else prefixlen))
        end = bisect_right(keys, (last_address((first, prefixlen)), MAX_PREFIXLEN))
        return keys[start:end]

    def keys_covering(self, net: IPv4Network) -> list[PrefixKey]:
        """Routed prefixes equal to or holding `net`, shortest first (at most 33 look-ups)."""
        first, prefixlen = network_parts(net)
        by_key = self.by_key
        found = []
        for length in range(prefixlen + 1):
            key = (first & _NETMASKS[length], length)
            if key in by_key:
                found.append(key)
        return found

    def routes_with(self, keys: Iterable[PrefixKey]) -> list[StaticRoute]:
        """The routes of these prefixes, in route order."""
        found = [route for key in keys for route in self.by_key[key]]
        found.sort(key=lambda route: self._position[id(route)])
        return found

    def routes_inside(self, net: IPv4Network, *, strictly: bool = False) -> list[StaticRoute]:
        """Routes whose prefix is `net` (unless `strictly`) or inside it, in route order."""
        return self.routes_with(self.keys_inside(net, strictly=strictly))

    def routes_covering(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix is `net` or holds it, in route order."""
        return self.routes_with(self.keys_covering(net))

    def routes_overlapping(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix holds, is, or lies inside `net`, in route order."""
        return self.routes_with(self.keys_covering(net) + self.keys_inside(net, strictly=True))
