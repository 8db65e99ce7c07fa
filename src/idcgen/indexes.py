"""Indexes built once per device, so no lookup scans a whole dimension of the config.

A 100k-line border router has hundreds of interfaces, tens of thousands of static routes
over thousands of next hops, hundreds of ACLs. A question asked once per item of one
dimension and answered by scanning another (next hop -> interface over every interface
subnet; a probe through every ACL entry) is a product of two dimensions: seconds instead
of milliseconds. Everything here works on plain integers:

- `ConnectedIndex`: address -> the interface whose subnet holds it, longest prefix first,
  one dict per prefix length present (at most 33 look-ups, usually 2-4);
- `Segments`: a function of a 32-bit address that is constant on intervals (sorted
  interval starts + values, one bisect per look-up), and `first_match`, which builds one
  from ranked interval sets in one sweep: "the lowest rank whose set holds the address" is
  first-match evaluation of an ACL, a filter or a control-plane policy over source
  addresses, for all sources at once;
- `filter_segments` / `stage_intervals`: an ACL / a control-plane stage, for one fixed
  destination, protocol and ICMP type, as such a function of the source address.

Each answers exactly what the direct method (`Device.interface_for_next_hop`'s scan,
`Filter.evaluate`, `ControlPlaneStage.classifies`) answers; tests/test_indexes.py compares
them on random data.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from heapq import heappop, heappush
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from idcgen.devicemodel import ControlPlaneStage, Filter, Interface, PacketMatch

ALL_ONES = (1 << 32) - 1
T = TypeVar("T")
Interval = tuple[int, int]  # first and last address, inclusive


def net_interval(net: IPv4Network) -> Interval:
    """(first, last) address of a network, as integers (no broadcast_address object)."""
    first = int(net.network_address)
    return first, first | (ALL_ONES >> net.prefixlen)


# --------------------------------------------------------------------------- connected
class ConnectedIndex:
    """Which interface's subnet holds an address: the longest prefix wins, and among
    equal prefixes the first interface (and address) in device order, exactly like
    scanning every interface address in order and keeping a strictly longer match."""

    __slots__ = ("_tables",)

    def __init__(self, interfaces: Iterable[Interface]):
        by_len: dict[int, dict[int, Interface]] = {}
        for iface in interfaces:
            for addr in iface.addresses:
                net = addr.network
                by_len.setdefault(net.prefixlen, {}).setdefault(int(net.network_address),
                                                                iface)
        self._tables = [((ALL_ONES << (32 - plen)) & ALL_ONES, by_len[plen])
                        for plen in sorted(by_len, reverse=True)]

    def lookup(self, address: int) -> Interface | None:
        for netmask, table in self._tables:
            iface = table.get(address & netmask)
            if iface is not None:
                return iface
        return None


# --------------------------------------------------------------------------- segments
class Segments(Generic[T]):
    """A function of an address, constant on intervals: `starts[i]` up to the next start
    (exclusive) maps to `values[i]`; `starts[0]` is 0, so every address has a value."""

    __slots__ = ("starts", "values")

    def __init__(self, starts: list[int], values: list[T]):
        self.starts = starts
        self.values = values

    def at(self, address: int) -> T:
        return self.values[bisect_right(self.starts, address) - 1]

    def intervals(self, keep: Iterable[T]) -> list[Interval]:
        """The maximal intervals on which the value is one of `keep`, in address order."""
        wanted = set(keep)
        out: list[Interval] = []
        ends = self.starts[1:] + [ALL_ONES + 1]
        for start, end, value in zip(self.starts, ends, self.values, strict=True):
            if value in wanted:
                if out and out[-1][1] + 1 == start:
                    out[-1] = (out[-1][0], end - 1)
                else:
                    out.append((start, end - 1))
        return out


def first_match(ranked: Iterable[tuple[int, Sequence[Interval]]]) -> Segments[int | None]:
    """For every address, the lowest rank whose intervals hold it (None: no rank does).

    One sweep over the interval ends with a heap of the ranks open at that point (stale
    ranks are dropped lazily): O(N log N) for N intervals, whatever their overlap."""
    events: list[tuple[int, int, int]] = []  # (address, 0 = close / 1 = open, rank)
    for rank, intervals in ranked:
        for lo, hi in intervals:
            events.append((lo, 1, rank))
            if hi < ALL_ONES:
                events.append((hi + 1, 0, rank))
    events.sort()
    starts: list[int] = [0]
    values: list[int | None] = [None]
    heap: list[int] = []
    open_count: dict[int, int] = {}
    i, total = 0, len(events)
    while i < total:
        pos = events[i][0]
        while i < total and events[i][0] == pos:
            _, kind, rank = events[i]
            if kind:
                open_count[rank] = open_count.get(rank, 0) + 1
                heappush(heap, rank)
            else:
                open_count[rank] -= 1
            i += 1
        while heap and not open_count.get(heap[0]):
            heappop(heap)
        value = heap[0] if heap else None
        if pos == starts[-1]:
            values[-1] = value
            if len(values) > 1 and values[-2] == value:
                starts.pop()
                values.pop()
        elif value != values[-1]:
            starts.append(pos)
            values.append(value)
    return Segments(starts, values)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted lists of disjoint intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def complement(a: Sequence[Interval]) -> list[Interval]:
    """The addresses not in a sorted list of disjoint intervals."""
    out: list[Interval] = []
    nxt = 0
    for lo, hi in a:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= ALL_ONES:
        out.append((nxt, ALL_ONES))
    return out


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, merged (disjoint, non-adjacent) intervals."""
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


# --------------------------------------------------------------------------- filters
def _fixed_part_matches(match: PacketMatch, dst: IPv4Address, protocol: str,
                        icmp_type: str | None) -> bool:
    """`PacketMatch.matches` without the source condition (the same tests, in order)."""
    if match.protocols is not None and protocol not in match.protocols \
            and "ip" not in match.protocols:
        return False
    if match.destinations is not None and not any(dst in n for n in match.destinations):
        return False
    return not (match.icmp_types is not None and icmp_type is not None
                and icmp_type not in match.icmp_types)


def source_intervals(match: PacketMatch) -> list[Interval]:
    """The source addresses a match accepts (None: any; an empty list: none)."""
    if match.sources is None:
        return [(0, ALL_ONES)]
    return [net_interval(n) for n in match.sources]


def filter_segments(flt: Filter, dst: IPv4Address, protocol: str, icmp_type: str | None
                    ) -> Segments[int | None]:
    """`flt.evaluate(src, dst, protocol, icmp_type)` for every source address at once:
    the index of the deciding entry (None: the filter's default action decides)."""
    ranked: list[tuple[int, list[Interval]]] = []
    for index, entry in enumerate(flt.entries):
        if entry.action is None or not _fixed_part_matches(entry.match, dst, protocol,
                                                           icmp_type):
            continue
        ranked.append((index, source_intervals(entry.match)))
        if entry.match.sources is None:
            break  # matches every source: no later entry is ever the first match
    return first_match(ranked)


def stage_intervals(stage: ControlPlaneStage, filters: dict[str, Filter], dst: IPv4Address,
                    protocol: str, icmp_type: str | None) -> list[Interval]:
    """The source addresses `stage.classifies(filters, src, dst, protocol, icmp_type)`
    is true for, as sorted disjoint intervals."""
    hits: list[Interval] | None = None
    if stage.acl is not None:
        acl = filters.get(stage.acl)
        if acl is None:
            hits = []
        else:
            segments = filter_segments(acl, dst, protocol, icmp_type)
            permits = {i for i, e in enumerate(acl.entries) if e.action == "permit"}
            hits = segments.intervals(permits)
        if stage.negate_acl:
            hits = complement(hits)
    if stage.match is not None:
        if not _fixed_part_matches(stage.match, dst, protocol, icmp_type):
            return []
        matched = union(source_intervals(stage.match))
        return matched if hits is None else intersect(hits, matched)
    return hits or []


def count_in(sorted_points: Sequence[int], lo: int, hi: int) -> int:
    """How many of the sorted points lie in [lo, hi]."""
    return bisect_right(sorted_points, hi) - bisect_left(sorted_points, lo)
