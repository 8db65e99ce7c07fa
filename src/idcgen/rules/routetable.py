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

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
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


class _RoutesByKey:
    """The routes of each prefix, as a read-only mapping PrefixKey -> list of routes in
    route order; iteration follows the first route of each prefix.

    Held as three integer arrays, not a dict of lists: a 500k-line config holds hundreds
    of thousands of routes, and a tuple key plus a list per prefix cost ~130 bytes a route
    (bench/shapes.py, 500k-line route tables). The lists are built when asked for."""

    __slots__ = ("_routes", "_order", "_keys", "_starts", "_seen", "_shared", "lengths")

    def __init__(self, routes: Sequence[StaticRoute]):
        packed = [_packed(network_parts(route.prefix)) for route in routes]
        order = sorted(range(len(routes)), key=packed.__getitem__)  # stable: route order
        keys, starts = array("Q"), array("L")
        previous = -1
        for index, position in enumerate(order):
            if packed[position] != previous:
                previous = packed[position]
                keys.append(previous)
                starts.append(index)
        starts.append(len(order))
        self._routes = routes
        self._order = array("L", order)
        self._keys = keys  # distinct packed keys, sorted
        self._starts = starts  # group g is _order[_starts[g]:_starts[g + 1]]
        self._seen = array("L", sorted(range(len(keys)), key=lambda g: order[starts[g]]))
        self.lengths = sorted({packed & 63 for packed in keys})  # prefix lengths in use
        # the prefixes with two or more routes, the only ones most rules compare
        self._shared = array("L", (g for g in self._seen if starts[g + 1] - starts[g] > 1))

    def _group(self, key: PrefixKey) -> int:
        """The group index of `key`, -1 when no route has it."""
        packed = _packed(key)
        index = bisect_left(self._keys, packed)
        return index if index < len(self._keys) and self._keys[index] == packed else -1

    def _members(self, group: int) -> list[StaticRoute]:
        routes, order = self._routes, self._order
        return [routes[position]
                for position in order[self._starts[group]:self._starts[group + 1]]]

    def positions(self, key: PrefixKey) -> Sequence[int]:
        """Where the routes of `key` are in the route list (ascending)."""
        group = self._group(key)
        if group < 0:
            raise KeyError(key)
        return self._order[self._starts[group]:self._starts[group + 1]]

    def __getitem__(self, key: PrefixKey) -> list[StaticRoute]:
        group = self._group(key)
        if group < 0:
            raise KeyError(key)
        return self._members(group)

    def get(self, key: PrefixKey, default: list[StaticRoute]) -> list[StaticRoute]:
        group = self._group(key)
        return self._members(group) if group >= 0 else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._group(key) >= 0

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[PrefixKey]:
        keys = self._keys
        return (_unpacked(keys[group]) for group in self._seen)

    def values(self, at_least: int = 1) -> Iterator[list[StaticRoute]]:
        """The routes of each prefix that has `at_least` routes (at_least > 1 skips the
        single-route prefixes without building their lists)."""
        routes, order, starts = self._routes, self._order, self._starts
        for group in self._seen if at_least <= 1 else self._shared:
            if starts[group + 1] - starts[group] < at_least:
                continue
            start, end = starts[group], starts[group + 1]
            if end - start == 1:  # most prefixes have one route
                yield [routes[order[start]]]
            else:
                yield [routes[position] for position in order[start:end]]

    def keys_between(self, low: PrefixKey, high: PrefixKey) -> list[PrefixKey]:
        """The routed prefixes from `low` to `high` (both included), in sorted order:
        by first address, then shorter prefix first."""
        keys = self._keys
        return [_unpacked(packed) for packed in
                keys[bisect_left(keys, _packed(low)):bisect_right(keys, _packed(high))]]


def _packed(key: PrefixKey) -> int:
    """A key as one integer that sorts like the tuple (first address, prefix length)."""
    return key[0] << 6 | key[1]


def _unpacked(packed: int) -> PrefixKey:
    return packed >> 6, packed & 63


class RouteTable:
    """Routes grouped by prefix (first-seen order), with range queries by prefix."""

    def __init__(self, routes: Sequence[StaticRoute]):
        self.routes = routes
        self.by_key = _RoutesByKey(routes)

    def routes_for(self, prefix: IPv4Network) -> list[StaticRoute]:
        """The routes for exactly `prefix` ([] when none)."""
        return self.by_key.get(prefix_key(prefix), [])

    def prefix(self, key: PrefixKey) -> IPv4Network:
        """The routes' own IPv4Network for a key of the table."""
        return self.routes[self.by_key.positions(key)[0]].prefix

    def keys_inside(self, net: IPv4Network, *, strictly: bool = False) -> list[PrefixKey]:
        """Routed prefixes equal to (unless `strictly`) or inside `net`, in sorted order.

        Prefixes are aligned, so any prefix that starts inside `net` and is not shorter
        than it lies inside it: one slice of the sorted keys."""
        first, prefixlen = prefix_key(net)
        return self.by_key.keys_between((first, prefixlen + 1 if strictly else prefixlen),
                                        (last_address((first, prefixlen)), MAX_PREFIXLEN))

    def keys_covering(self, net: IPv4Network) -> list[PrefixKey]:
        """Routed prefixes equal to or holding `net`, shortest first (at most 33 look-ups)."""
        first, prefixlen = network_parts(net)
        by_key = self.by_key
        return [key for key in ((first & _NETMASKS[length], length)
                                for length in by_key.lengths if length <= prefixlen)
                if key in by_key]

    def routes_with(self, keys: Iterable[PrefixKey]) -> list[StaticRoute]:
        """The routes of these prefixes, in route order."""
        positions = sorted(position for key in keys for position in self.by_key.positions(key))
        routes = self.routes
        return [routes[position] for position in positions]

    def routes_inside(self, net: IPv4Network, *, strictly: bool = False) -> list[StaticRoute]:
        """Routes whose prefix is `net` (unless `strictly`) or inside it, in route order."""
        return self.routes_with(self.keys_inside(net, strictly=strictly))

    def routes_covering(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix is `net` or holds it, in route order."""
        return self.routes_with(self.keys_covering(net))

    def routes_overlapping(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix holds, is, or lies inside `net`, in route order."""
        return self.routes_with(self.keys_covering(net) + self.keys_inside(net, strictly=True))
