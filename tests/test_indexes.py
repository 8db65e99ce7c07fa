"""The per-device indexes answer exactly what the direct scans answer (random data, fixed
seeds): next hop -> interface, first-match filter evaluation, control-plane stage
classification and policy verdicts, sample sources."""

from __future__ import annotations

import random
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

import pytest

from idcgen.devicemodel import (
    ControlPlanePolicy,
    ControlPlaneStage,
    Device,
    Filter,
    FilterEntry,
    Interface,
    PacketMatch,
)
from idcgen.findings import CloudLink
from idcgen.indexes import (
    ALL_ONES,
    ConnectedIndex,
    FirstOverlap,
    address_is_global,
    complement,
    filter_segments,
    first_match,
    intersect,
    network_is_private,
    stage_intervals,
    union,
)
from idcgen.rules.context import Context

BASE = int(IPv4Address("10.0.0.0"))


def naive_interface(device: Device, next_hop: IPv4Address) -> Interface | None:
    """The scan `Device.interface_for_next_hop` used to do."""
    best: tuple[int, Interface] | None = None
    for iface in device.interfaces.values():
        for addr in iface.addresses:
            if next_hop in addr.network and (best is None or addr.network.prefixlen > best[0]):
                best = (addr.network.prefixlen, iface)
    return best[1] if best else None


def random_address(rng: random.Random, span: int = 1 << 12) -> IPv4Address:
    return IPv4Address(BASE + rng.randrange(span))


def random_interfaces(rng: random.Random, count: int) -> dict[str, Interface]:
    """Overlapping subnets, secondaries, /31, /32, /0, duplicates and unnumbered ones."""
    out: dict[str, Interface] = {}
    for i in range(count):
        addresses = []
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):  # 0 = unnumbered
            plen = rng.choice((8, 16, 20, 24, 24, 28, 29, 30, 30, 31, 32, 32))
            addresses.append(IPv4Interface(f"{random_address(rng)}/{plen}"))
        if rng.random() < 0.01:
            addresses.append(IPv4Interface("0.0.0.1/0"))
        out[f"ge-0/0/{i}.{i % 7}"] = Interface(f"ge-0/0/{i}.{i % 7}", addresses=addresses)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_next_hop_index_equals_scan(seed: int) -> None:
    rng = random.Random(seed)
    device = Device("junos", interfaces=random_interfaces(rng, rng.choice((1, 5, 40, 200))))
    probes = [random_address(rng) for _ in range(400)]
    probes += [a.ip for i in device.interfaces.values() for a in i.addresses]  # own, /32
    probes += [a.network.broadcast_address for i in device.interfaces.values()
               for a in i.addresses]
    for hop in probes:
        assert device.interface_for_next_hop(hop) is naive_interface(device, hop), hop


def test_next_hop_index_rules() -> None:
    lan = Interface("lan", addresses=[IPv4Interface("10.0.0.1/16")])
    p2p = Interface("p2p", addresses=[IPv4Interface("10.0.1.0/31")])
    twin = Interface("twin", addresses=[IPv4Interface("10.0.1.1/31")])  # same /31, later
    loop = Interface("lo", addresses=[IPv4Interface("10.0.1.9/32")])
    unnumbered = Interface("unnumbered")
    device = Device("cisco_ios", interfaces={i.name: i for i in
                                             (lan, p2p, twin, loop, unnumbered)})
    assert device.interface_for_next_hop(IPv4Address("10.0.1.1")) is p2p  # first of equals
    assert device.interface_for_next_hop(IPv4Address("10.0.1.9")) is loop  # /32
    assert device.interface_for_next_hop(IPv4Address("10.0.1.8")) is lan  # longest
    assert device.interface_for_next_hop(IPv4Address("10.1.0.1")) is None
    # the index follows the interfaces dict when it is replaced or grows
    device.interfaces["wan"] = Interface("wan", addresses=[IPv4Interface("10.1.0.2/30")])
    wan = device.interface_for_next_hop(IPv4Address("10.1.0.1"))
    assert wan is not None and wan.name == "wan"
    device.interfaces = {}
    assert device.interface_for_next_hop(IPv4Address("10.0.1.1")) is None
    assert ConnectedIndex([]).lookup(0) is None


def random_match(rng: random.Random) -> PacketMatch:
    def nets() -> list[IPv4Network] | None:
        if rng.random() < 0.3:
            return None
        return [IPv4Network(f"{random_address(rng)}/{rng.choice((20, 24, 28, 30, 32))}",
                            strict=False) for _ in range(rng.choice((0, 1, 1, 2, 3)))]

    return PacketMatch(
        protocols=rng.choice((None, {"icmp"}, {"tcp"}, {"ip"}, {"tcp", "udp"})),
        sources=nets(), destinations=nets(),
        icmp_types=rng.choice((None, {"echo"}, {"echo-reply"})))


def random_filter(rng: random.Random, name: str, size: int) -> Filter:
    entries = [FilterEntry(random_match(rng), rng.choice(("permit", "deny", "deny", None)),
                           name=str(i)) for i in range(size)]
    return Filter(name, entries, default_action=rng.choice(("permit", "deny")))


def probe_points(rng: random.Random, flt_nets: list[IPv4Network]) -> list[IPv4Address]:
    points = [random_address(rng) for _ in range(150)]
    for net in flt_nets:
        first, last = int(net.network_address), int(net.broadcast_address)
        points += [IPv4Address(a) for a in (first, last, max(first - 1, 0),
                                            min(last + 1, ALL_ONES))]
    return points + [IPv4Address(0), IPv4Address(ALL_ONES)]


def _source_nets(flt: Filter) -> list[IPv4Network]:
    return [n for e in flt.entries for n in (e.match.sources or [])]


@pytest.mark.parametrize("seed", range(10))
def test_filter_segments_equal_evaluate(seed: int) -> None:
    rng = random.Random(100 + seed)
    flt = random_filter(rng, "ACL", rng.choice((0, 1, 5, 30, 120)))
    for dst in [random_address(rng) for _ in range(3)]:
        for protocol, icmp in (("icmp", "echo"), ("tcp", None), ("icmp", None)):
            segments = filter_segments(flt, dst, protocol, icmp)
            for src in probe_points(rng, _source_nets(flt)):
                index = segments.at(int(src))
                got = (flt.default_action, None) if index is None else (
                    flt.entries[index].action, flt.entries[index])
                assert got == flt.evaluate(src, dst, protocol, icmp), (src, dst, protocol)


@pytest.mark.parametrize("seed", range(10))
def test_stage_intervals_equal_classifies(seed: int) -> None:
    rng = random.Random(200 + seed)
    filters = {f"A{i}": random_filter(rng, f"A{i}", rng.choice((1, 4, 20))) for i in range(4)}
    for _ in range(12):
        stage = ControlPlaneStage(
            "S", "police", match=rng.choice((None, random_match(rng))),
            acl=rng.choice((None, "A0", "A1", "A2", "A3", "MISSING")),
            negate_acl=rng.random() < 0.3)
        dst = random_address(rng)
        intervals = stage_intervals(stage, filters, dst, "icmp", "echo")
        nets = [n for f in filters.values() for n in _source_nets(f)]
        nets += (stage.match.sources or []) if stage.match else []
        for src in probe_points(rng, nets):
            inside = any(lo <= int(src) <= hi for lo, hi in intervals)
            assert inside == stage.classifies(filters, src, dst, "icmp", "echo"), src


def naive_verdict(ctx: Context, policy: ControlPlanePolicy, src: IPv4Address,
                  dst: IPv4Address) -> tuple[ControlPlaneStage | None, str]:
    """Context.probe_verdict as it was: every stage in order, every witness."""
    filters = ctx.device.filters
    for stage in policy.stages:
        if stage.classifies(filters, src, dst, "icmp", "echo"):
            if stage.treatment == "police":
                sources = {link.health_check_source for link in ctx.links
                           if link.health_check_source is not None}
                from idcgen.rules.context import probe_rate_covers

                if sources and probe_rate_covers(stage, len(sources)):
                    edges: set[int] = set()
                    for flt in filters.values():
                        for net in _source_nets(flt):
                            edges.update((int(net.network_address),
                                          int(net.broadcast_address) + 1))
                    for pol in ctx.device.control_plane:
                        for st in pol.stages:
                            for net in (st.match.sources or []) if st.match else []:
                                edges.update((int(net.network_address),
                                              int(net.broadcast_address) + 1))
                    witnesses = [IPv4Address(p) for p in sorted({0} | {e for e in edges
                                                                      if 0 < e <= ALL_ONES})]
                    if not any(stage.classifies(filters, a, dst, "icmp", "echo")
                               for a in witnesses if a not in sources):
                        return stage, "exempt"
            return stage, stage.treatment
    return None, policy.end_treatment


@pytest.mark.parametrize("seed", range(8))
def test_probe_verdict_equals_stage_walk(seed: int) -> None:
    rng = random.Random(300 + seed)
    filters = {f"A{i}": random_filter(rng, f"A{i}", rng.choice((1, 3, 10))) for i in range(6)}
    stages = []
    for i in range(rng.choice((1, 4, 15))):
        match = rng.choice((None, random_match(rng)))
        if rng.random() < 0.3:  # a class for just the health-check hosts
            match = PacketMatch({"icmp"}, [IPv4Network("10.0.0.9/32")])
        stages.append(ControlPlaneStage(
            f"S{i}", rng.choice(("exempt", "police", "drop", "pass")), match=match,
            acl=rng.choice((None, "A0", "A1", "A2", "A3", "A4", "A5", "NONE")),
            negate_acl=rng.random() < 0.2, rate_bps=rng.choice((None, 100, 64000))))
    policy = ControlPlanePolicy("P", "copp", stages, applied=True,
                                end_treatment=rng.choice(("pass", "drop")))
    device = Device("cisco_ios", filters=filters, control_plane=[policy])
    hc = rng.choice(([], [IPv4Address("10.0.0.9")],
                     [IPv4Address("10.0.0.9"), random_address(rng)]))
    links = [CloudLink(interface=f"l{i}", local_ip=None, peer_ip=None, kind="leased-line",
                       source="site", health_check_source=h) for i, h in enumerate(hc)]
    ctx = Context(device, None, links)
    nets = [n for f in filters.values() for n in _source_nets(f)]
    for dst in [random_address(rng) for _ in range(3)]:
        for src in probe_points(rng, nets) + hc:
            verdict = ctx.probe_verdict(policy, src, dst)
            assert (verdict.stage, verdict.treatment) == naive_verdict(ctx, policy, src, dst)
        flt = filters["A0"]
        for src in probe_points(rng, nets):
            assert ctx.evaluate(flt, src, dst) == flt.evaluate(src, dst, "icmp", "echo")


def test_sample_sources_equal_scan() -> None:
    rng = random.Random(7)
    filters = {f"A{i}": random_filter(rng, f"A{i}", 30) for i in range(5)}
    ctx = Context(Device("huawei_vrp", filters=filters), None, [])
    nets = [n for f in filters.values() for n in _source_nets(f)]
    edges = {e for n in nets for e in (int(n.network_address), int(n.broadcast_address) + 1)}
    for region in ([IPv4Network("0.0.0.0/0")], [IPv4Network("10.0.0.0/22"),
                                                IPv4Network("10.0.8.0/21")]):
        expected = []
        for net in region:
            lo, hi = int(net.network_address), int(net.broadcast_address)
            expected += [IPv4Address(p) for p in sorted({lo} | {e for e in edges
                                                               if lo < e <= hi})]
        assert ctx.sample_sources(region) == expected


@pytest.mark.parametrize("seed", range(20))
def test_first_match_equals_brute_force(seed: int) -> None:
    """Every address gets the lowest rank holding it, and the segments are canonical
    (adjacent segments differ), so equal functions give equal Segments: one rank (the
    merged-intervals path) and several (the sweep), with overlaps, adjacency, 0 and
    ALL_ONES at the ends."""
    rng = random.Random(300 + seed)
    points = [0, 1, 2, 50, 99, 100, 101, ALL_ONES - 1, ALL_ONES]
    ranked = []
    for rank in rng.sample(range(40), rng.choice((1, 1, 2, 3, 6))):
        intervals = []
        for _ in range(rng.choice((0, 1, 2, 4))):
            lo = rng.choice((0, rng.randrange(200), rng.randrange(ALL_ONES)))
            hi = rng.choice((lo, lo + rng.randrange(60), ALL_ONES))
            intervals.append((lo, min(hi, ALL_ONES)))
            points += [lo, max(lo - 1, 0), min(hi + 1, ALL_ONES), min(hi, ALL_ONES)]
        ranked.append((rank, intervals))
    seg = first_match(ranked)
    for p in points:
        holders = [rank for rank, intervals in ranked
                   if any(lo <= p <= hi for lo, hi in intervals)]
        assert seg.at(p) == (min(holders) if holders else None), (p, ranked)
    assert seg.starts[0] == 0 and seg.starts == sorted(set(seg.starts))
    assert all(a != b for a, b in zip(seg.values, seg.values[1:], strict=False))


@pytest.mark.parametrize("seed", range(20))
def test_first_overlap_equals_the_scan(seed: int) -> None:
    """Nested, equal, adjacent and disjoint networks, duplicates with other values,
    0.0.0.0/0 and /32s: the first overlapping network's value, as the scan finds it."""
    rng = random.Random(500 + seed)

    def network() -> IPv4Network:
        length = rng.choice((0, 4, 8, 12, 16, 20, 22, 24, 24, 26, 28, 30, 32, 32))
        return IPv4Network(f"{random_address(rng, 1 << 14)}/{length}", strict=False)

    pairs = [(network(), f"v{i}") for i in range(rng.choice((0, 1, 2, 5, 40, 300)))]
    pairs += [(net, value + "-again") for net, value in rng.sample(pairs, len(pairs) // 4)]
    index = FirstOverlap(pairs)
    for net in [network() for _ in range(300)] + [n for n, _ in pairs[:20]]:
        assert index.first(net) == next((v for n, v in pairs if net.overlaps(n)), None), net


def test_interval_helpers() -> None:
    assert union([(5, 9), (0, 2), (3, 4), (20, 30), (25, 26)]) == [(0, 9), (20, 30)]
    assert complement([]) == [(0, ALL_ONES)]
    assert complement([(0, 4), (10, ALL_ONES)]) == [(5, 9)]
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    seg = first_match([(2, [(0, 100)]), (1, [(50, 60)]), (0, [(55, 55)])])
    assert [seg.at(a) for a in (0, 49, 50, 55, 56, 61, 100, 101)] == [2, 2, 1, 0, 1, 2, 2, None]
    assert seg.intervals([1]) == [(50, 54), (56, 60)]
    assert first_match([]).at(ALL_ONES) is None


def test_collapse_equals_collapse_addresses() -> None:
    from ipaddress import collapse_addresses

    from idcgen.rules.context import collapse

    rng = random.Random(11)
    for _ in range(500):
        nets = [IPv4Network((BASE + rng.randrange(1 << 14) if rng.random() < 0.9
                             else rng.randrange(1 << 12) << 20,
                             rng.choice((0, 1, 8, 16, 22, 24, 25, 30, 31, 32))), strict=False)
                for _ in range(rng.choice((0, 1, 3, 10, 50)))]
        assert collapse(nets) == list(collapse_addresses(nets)), nets


def test_private_and_global_equal_the_stdlib_properties() -> None:
    """`network_is_private` / `address_is_global` answer what `is_private` / `is_global`
    answer: random networks and addresses, and every special range's ends."""
    rng = random.Random(7)
    special = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
               "172.16.0.0/12", "192.0.0.0/24", "192.0.0.8/32", "192.0.0.170/31",
               "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "203.0.113.0/24",
               "240.0.0.0/4", "255.255.255.255/32"]
    points = [rng.randrange(ALL_ONES + 1) for _ in range(3000)]
    for text in special:
        net = IPv4Network(text)
        lo, hi = int(net.network_address), int(net.broadcast_address)
        points += [p for p in (lo - 1, lo, lo + 1, hi - 1, hi, hi + 1) if 0 <= p <= ALL_ONES]
    for p in points:
        address = IPv4Address(p)
        assert address_is_global(address) == address.is_global, address
        for length in (32, 31, 30, 24, 16, 15, 12, 10, 8, 4, 0):
            net = IPv4Network((p, length), strict=False)
            assert network_is_private(net) == net.is_private, net
