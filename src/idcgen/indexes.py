"""Indexes built once per device, so no lookup scans a whole dimension of the config.

A 100k-line border router has hundreds of interfaces, tens of thousands of static routes
over thousands of next hops, hundreds of ACLs. A question asked once per item of one
dimension and answered by scanning another (next hop -> interface over every interface
subnet; a probe through every ACL entry) is a product of two dimensions: seconds instead
of milliseconds. Everything here works on plain integers:

- `ConnectedIndex`: address -> the interface whose subnet holds it, longest prefix first,
  one dict per prefix length present (at most 33 look-ups, usually 2-4);
- `FirstOverlap`: the first network of an ordered list that overlaps a given one;
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
from collections.abc import Callable, Iterable, Sequence
from heapq import heappop, heappush
from ipaddress import IPv4Address, IPv4Network
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from idcgen.devicemodel import ControlPlaneStage, Filter, Interface, PacketMatch

ALL_ONES = (1 << 32) - 1
T = TypeVar("T")
Interval = tuple[int, int]  # first and last address, inclusive


def _attribute_getters() -> tuple[Callable[[Any], int], Callable[[Any], tuple[int, int]]]:
    """`int(address)` and (first address, prefix length) of a network as C-level attribute
    reads of what CPython's ipaddress stores (`_ip`, `_prefixlen`): the `__int__` and
    `prefixlen` Python calls cost more than the integer work they feed. Checked once
    here; another implementation gets the public spelling."""
    value, parts = attrgetter("_ip"), attrgetter("network_address._ip", "_prefixlen")
    try:
        net = IPv4Network("10.1.2.0/24")
        if value(IPv4Address("10.1.2.3")) == int(IPv4Address("10.1.2.3")) \
                and parts(net) == (int(net.network_address), net.prefixlen):
            return value, parts
    except AttributeError:
        pass
    return int, lambda net: (int(net.network_address), net.prefixlen)


address_int, network_parts = _attribute_getters()


def net_interval(net: IPv4Network) -> Interval:
    """(first, last) address of a network, as integers (no broadcast_address object)."""
    first, prefixlen = network_parts(net)
    return first, first | (ALL_ONES >> prefixlen)


def net_contains(net: IPv4Network, address: int) -> bool:
    """`IPv4Address(address) in net`, on the integer."""
    first, prefixlen = network_parts(net)
    return address & (ALL_ONES << (32 - prefixlen)) == first


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


# --------------------------------------------------------------------------- overlaps
class FirstOverlap(Generic[T]):
    """The value of the first network of an ordered list that overlaps a given one,
    exactly `next((v for n, v in pairs if net.overlaps(n)), None)` without the scan.

    Two CIDR blocks overlap when one holds the other, so the networks overlapping `net`
    are those that hold it (one dict probe per prefix length present) and those that
    start inside it (one contiguous run of the networks sorted by start; a sparse table
    gives the lowest list position in any run in O(1))."""

    __slots__ = ("_holders", "_lengths", "_minima", "_starts", "_values")

    def __init__(self, pairs: Iterable[tuple[IPv4Network, T]]):
        self._values: list[T] = []
        self._holders: dict[tuple[int, int], int] = {}  # (length, network bits) -> position
        by_start: list[tuple[int, int]] = []
        for position, (net, value) in enumerate(pairs):
            first, length = network_parts(net)
            self._values.append(value)
            self._holders.setdefault((length, first >> (32 - length)), position)
            by_start.append((first, position))
        by_start.sort()
        self._lengths = sorted({length for length, _ in self._holders})
        self._starts = [first for first, _ in by_start]
        level = [position for _, position in by_start]
        self._minima = [level]  # _minima[k][i]: lowest position among 2**k from i
        width, size = 1, len(level)
        while 2 * width <= size:
            level = [min(level[i], level[i + width]) for i in range(len(level) - width)]
            self._minima.append(level)
            width *= 2

    def first(self, net: IPv4Network) -> T | None:
        first, length = network_parts(net)
        best = len(self._values)
        for held in self._lengths:
            if held > length:
                break
            position = self._holders.get((held, first >> (32 - held)))
            if position is not None and position < best:
                best = position
        lo = bisect_left(self._starts, first)
        hi = bisect_right(self._starts, first | (ALL_ONES >> length))
        if lo < hi:
            k = (hi - lo).bit_length() - 1
            best = min(best, self._minima[k][lo], self._minima[k][hi - (1 << k)])
        return self._values[best] if best < len(self._values) else None


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
    ranks are dropped lazily): O(N log N) for N intervals, whatever their overlap. Events
    are single integers (address, close/open, rank packed), which sort several times
    faster than tuples; one rank alone (a one-entry ACL, a single class) is its merged
    intervals, no sweep."""
    ranked = list(ranked)
    if len(ranked) == 1:
        return _one_rank(*ranked[0])
    events: list[int] = []
    push = events.append
    for rank, intervals in ranked:
        if not 0 <= rank < _RANKS:
            raise ValueError(f"rank {rank} out of range")
        for lo, hi in intervals:
            push(lo << _POS_SHIFT | _OPEN | rank)
            if hi < ALL_ONES:
                push((hi + 1) << _POS_SHIFT | rank)
    events.sort()
    starts: list[int] = [0]
    values: list[int | None] = [None]
    heap: list[int] = []
    open_count: dict[int, int] = {}
    i, total = 0, len(events)
    while i < total:
        event = events[i]
        pos = event >> _POS_SHIFT
        while True:
            rank = event & _RANK_MASK
            if event & _OPEN:
                open_count[rank] = open_count.get(rank, 0) + 1
                heappush(heap, rank)
            else:
                open_count[rank] -= 1
            i += 1
            if i == total:
                break
            event = events[i]
            if event >> _POS_SHIFT != pos:
                break
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


# first_match's packed events: address << _POS_SHIFT | _OPEN (1 = open, 0 = close) | rank
_POS_SHIFT = 34
_OPEN = 1 << 33
_RANKS = 1 << 33
_RANK_MASK = _RANKS - 1


def _one_rank(rank: int, intervals: Sequence[Interval]) -> Segments[int | None]:
    """`first_match([(rank, intervals)])`: the rank on its merged intervals, else None."""
    starts: list[int] = [0]
    values: list[int | None] = [None]
    for lo, hi in union(intervals):
        if lo == 0:
            values[0] = rank
        else:
            starts.append(lo)
            values.append(rank)
        if hi < ALL_ONES:
            starts.append(hi + 1)
            values.append(None)
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
def _fixed_part_matches(match: PacketMatch, dst: int, protocol: str,
                        icmp_type: str | None) -> bool:
    """`PacketMatch.matches` without the source condition (the same tests, in order);
    `dst` as an integer."""
    if match.protocols is not None and protocol not in match.protocols \
            and "ip" not in match.protocols:
        return False
    if match.destinations is not None and not any(net_contains(n, dst)
                                                  for n in match.destinations):
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
    return first_match(_ranked_entries(flt, dst, protocol, icmp_type))


def _ranked_entries(flt: Filter, dst: IPv4Address, protocol: str, icmp_type: str | None
                    ) -> list[tuple[int, list[Interval]]]:
    """(index, source intervals) of the entries that can decide for this destination,
    protocol and ICMP type, in order, up to the first that matches every source."""
    ranked: list[tuple[int, list[Interval]]] = []
    dst_int = address_int(dst)
    for index, entry in enumerate(flt.entries):
        if entry.action is None or not _fixed_part_matches(entry.match, dst_int, protocol,
                                                           icmp_type):
            continue
        ranked.append((index, source_intervals(entry.match)))
        if entry.match.sources is None:
            break  # matches every source: no later entry is ever the first match
    return ranked


def permitted_sources(flt: Filter, dst: IPv4Address, protocol: str, icmp_type: str | None
                      ) -> list[Interval]:
    """The sources whose deciding entry in `flt` is an explicit permit (sorted, disjoint,
    merged): `filter_segments(...).intervals(permit entries)`. When the entries that can
    decide all permit (or all deny), which entry decides does not matter: the union of
    their sources (or nothing), without the sweep."""
    ranked = _ranked_entries(flt, dst, protocol, icmp_type)
    entries = flt.entries
    actions = {entries[index].action for index, _ in ranked}
    if "deny" not in actions:
        return union(interval for _, intervals in ranked for interval in intervals)
    if "permit" not in actions:
        return []
    permits = {index for index, _ in ranked if entries[index].action == "permit"}
    return first_match(ranked).intervals(permits)


def stage_intervals(stage: ControlPlaneStage, filters: dict[str, Filter], dst: IPv4Address,
                    protocol: str, icmp_type: str | None) -> list[Interval]:
    """The source addresses `stage.classifies(filters, src, dst, protocol, icmp_type)`
    is true for, as sorted disjoint intervals."""
    hits: list[Interval] | None = None
    if stage.acl is not None:
        acl = filters.get(stage.acl)
        hits = [] if acl is None else permitted_sources(acl, dst, protocol, icmp_type)
        if stage.negate_acl:
            hits = complement(hits)
    if stage.match is not None:
        if not _fixed_part_matches(stage.match, address_int(dst), protocol, icmp_type):
            return []
        matched = union(source_intervals(stage.match))
        return matched if hits is None else intersect(hits, matched)
    return hits or []


def count_in(sorted_points: Sequence[int], lo: int, hi: int) -> int:
    """How many of the sorted points lie in [lo, hi]."""
    return bisect_right(sorted_points, hi) - bisect_left(sorted_points, lo)


# --------------------------------------------------------------------------- special ranges
class _Special:
    """`is_private` of networks and `is_global` of addresses on integers: the stdlib
    properties test membership in a dozen networks one `in` at a time (microseconds per
    call, and a config with 10k+ cloud links asks per link and per route). Built from the
    stdlib's own tables on first use, checked against the properties at every table
    boundary, and replaced by the properties themselves should they disagree (a Python
    release that changes their rules)."""

    def __init__(self) -> None:
        constants: Any = getattr(IPv4Network, "_constants", None)
        private = [net_interval(n) for n in getattr(constants, "_private_networks", ())]
        exceptions = [net_interval(n)
                      for n in getattr(constants, "_private_networks_exceptions", ())]
        public = getattr(constants, "_public_network", None)
        self.private = private
        self.exceptions = exceptions
        self.public = net_interval(public) if public is not None else (1, 0)
        self.exact = bool(private) and public is not None and self._agrees()

    def network_private(self, net: IPv4Network) -> bool:
        if not self.exact:
            return net.is_private
        lo, hi = net_interval(net)
        return any(a <= lo and hi <= b for a, b in self.private) and \
            not any(a <= lo <= b or a <= hi <= b for a, b in self.exceptions)

    def address_global(self, address: IPv4Address) -> bool:
        if not self.exact:
            return address.is_global
        value = address_int(address)
        lo, hi = self.public
        if lo <= value <= hi:
            return False
        return not (any(a <= value <= b for a, b in self.private)
                    and not any(a <= value <= b for a, b in self.exceptions))

    def _agrees(self) -> bool:
        """The properties' answers at and around each table network's ends."""
        self.exact = True
        for lo, hi in (*self.private, *self.exceptions, self.public):
            length = 32 - (hi - lo + 1).bit_length() + 1
            for p in (lo - 1, lo, hi, hi + 1):
                if 0 <= p <= ALL_ONES and \
                        self.address_global(IPv4Address(p)) != IPv4Address(p).is_global:
                    return False
            for p, plen in ((lo, length), (lo, length - 1), (lo, length + 1), (hi, 32),
                            (lo - 1, 32), (hi + 1, 32)):
                if 0 <= p <= ALL_ONES and 0 <= plen <= 32:
                    net = IPv4Network((p, plen), strict=False)
                    if self.network_private(net) != net.is_private:
                        return False
        return True


_SPECIAL: list[_Special] = []


def _special() -> _Special:
    if not _SPECIAL:
        _SPECIAL.append(_Special())
    return _SPECIAL[0]


def network_is_private(net: IPv4Network) -> bool:
    """`net.is_private`."""
    return _special().network_private(net)


def address_is_global(address: IPv4Address) -> bool:
    """`address.is_global`."""
    return _special().address_global(address)
