"""Which networks of a list overlap which others, in O(n log n), not one check per pair.

IPv4 prefixes are nested or disjoint, never partly overlapping, so sorted by start
address (the wider first) every prefix overlaps exactly the open prefixes that contain
it (a stack) and the ones that follow it inside its own range (a run of the sorted list).
`lowest_overlapping` answers, for each query network, the lowest index of a target
network that overlaps it: the one an error message names. A site model with 2,000 copies
of one network then costs 2,000 log 2,000 steps and one error per copy, not 2 million.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network

_NONE = 1 << 62


def lowest_overlapping(queries: Sequence[IPv4Network],
                       targets: Sequence[IPv4Network]) -> list[int | None]:
    """For each query, the lowest index into `targets` of a network overlapping it."""
    # (start, prefix length, kind, index): targets (kind 0) before equal queries
    items = sorted(
        [(int(n.network_address), n.prefixlen, 0, i) for i, n in enumerate(targets)]
        + [(int(n.network_address), n.prefixlen, 1, i) for i, n in enumerate(queries)])
    size = len(items)
    values = [index if kind == 0 else _NONE for _, _, kind, index in items]
    ancestors = [_NONE] * size  # lowest target index among the prefixes containing item p
    run_end = [size] * size  # items p+1 .. run_end-1 lie inside item p
    stack: list[tuple[int, int, int]] = []  # (position, last address, lowest target so far)
    for pos, (start, length, _, _) in enumerate(items):
        while stack and stack[-1][1] < start:
            run_end[stack.pop()[0]] = pos
        ancestors[pos] = stack[-1][2] if stack else _NONE
        last = start + (1 << (32 - length)) - 1
        stack.append((pos, last, min(ancestors[pos], values[pos])))
    table = _SparseMin(values)
    out: list[int | None] = [None] * len(queries)
    for pos, (_, _, kind, index) in enumerate(items):
        if kind == 1:
            best = min(ancestors[pos], table.min(pos + 1, run_end[pos]))
            out[index] = best if best != _NONE else None
    return out


def earlier_overlapping(nets: Sequence[IPv4Network]) -> list[int | None]:
    """For each network, the lowest index of an *earlier* one overlapping it, or None.

    (`lowest_overlapping(nets, nets)` counts a network as overlapping itself: j == i
    then means that no earlier one does.)"""
    return [j if j is not None and j < i else None
            for i, j in enumerate(lowest_overlapping(nets, nets))]


class _SparseMin:
    """Range minimum in O(1) after O(n log n) preparation."""

    def __init__(self, values: list[int]) -> None:
        self.levels = [values]
        width = 1
        while 2 * width <= len(values):
            prev = self.levels[-1]
            self.levels.append([min(prev[k], prev[k + width])
                                for k in range(len(values) - 2 * width + 1)])
            width *= 2

    def min(self, lo: int, hi: int) -> int:
        """Minimum of values[lo:hi]; _NONE for an empty range."""
        if hi <= lo:
            return _NONE
        level = (hi - lo).bit_length() - 1
        row = self.levels[level]
        return min(row[lo], row[hi - (1 << level)])


class PrefixIndex:
    """Networks, each with an orderable key, answering "the smallest key among the
    networks overlapping this one" in O(log n) (O(n log n) to build).

    A network overlaps a query when it contains it (looked up by the query's supernets,
    one dict probe per prefix length) or lies inside it (a run of the networks sorted by
    start address, answered by a range minimum). `strict` leaves out a network identical
    to the query: two offices may share a prefix, but not overlap it partly.
    """

    def __init__(self, items: Sequence[tuple[IPv4Network, tuple[int, int]]]) -> None:
        self.exact: dict[tuple[int, int], tuple[tuple[int, int], IPv4Network]] = {}
        for net, key in items:
            ident = (int(net.network_address), net.prefixlen)
            if ident not in self.exact or key < self.exact[ident][0]:
                self.exact[ident] = (key, net)
        ordered = sorted(self.exact.items())
        self.starts = [start for (start, _), _ in ordered]
        self.lengths = [length for (_, length), _ in ordered]
        self.entries = [entry for _, entry in ordered]
        self.rank = _SparseMinKeys([key for key, _ in self.entries])

    def first_overlapping(self, net: IPv4Network, *, strict: bool = False
                          ) -> tuple[tuple[int, int], IPv4Network] | None:
        from bisect import bisect_left, bisect_right

        start, length = int(net.network_address), net.prefixlen
        best: tuple[tuple[int, int], IPv4Network] | None = None
        for shorter in range(length + (0 if strict else 1)):  # networks containing it
            mask = ((1 << 32) - 1) ^ ((1 << (32 - shorter)) - 1)
            hit = self.exact.get((start & mask, shorter))
            if hit is not None and (best is None or hit[0] < best[0]):
                best = hit
        last = start + (1 << (32 - length)) - 1
        lo = bisect_left(self.starts, start)
        while lo < len(self.starts) and self.starts[lo] == start and self.lengths[lo] <= length:
            lo += 1  # the query itself and what contains it were looked up above
        hi = bisect_right(self.starts, last)
        position = self.rank.argmin(lo, hi)
        if position is not None and (best is None or self.entries[position][0] < best[0]):
            best = self.entries[position]
        return best


class _SparseMinKeys:
    """Position of the smallest key in keys[lo:hi], O(1) after O(n log n) preparation."""

    def __init__(self, keys: list[tuple[int, int]]) -> None:
        self.keys = keys
        self.levels = [list(range(len(keys)))]
        width = 1
        while 2 * width <= len(keys):
            prev = self.levels[-1]
            self.levels.append([prev[k] if keys[prev[k]] <= keys[prev[k + width]]
                                else prev[k + width]
                                for k in range(len(keys) - 2 * width + 1)])
            width *= 2

    def argmin(self, lo: int, hi: int) -> int | None:
        if hi <= lo:
            return None
        level = (hi - lo).bit_length() - 1
        row = self.levels[level]
        a, b = row[lo], row[hi - (1 << level)]
        return a if self.keys[a] <= self.keys[b] else b
