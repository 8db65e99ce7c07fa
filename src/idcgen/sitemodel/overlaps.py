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
