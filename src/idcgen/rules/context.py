"""What every rule needs to know about one device, computed once: the device's own
forwarding decisions (longest prefix match, preference, ECMP), which routes lead toward a
cloud-facing link, the cloud networks, the health-check probes, and `fix` rendering.

Routing semantics (the device's, already vendor-neutral in the Device):
- only the global table counts (VRF routes are not what the cloud links use here);
- for one prefix only the routes with the lowest preference are active; several active
  routes are ECMP; a route with a higher preference is a floating (standby) route;
- a destination follows the longest matching prefix that has a route.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any, Literal

from idcgen.cloud import HEALTH_CHECK_MIN_PPS, RFC1918
from idcgen.devicemodel import (
    Action,
    ControlPlanePolicy,
    ControlPlaneStage,
    Device,
    Filter,
    FilterEntry,
    LearnedRoute,
    StaticRoute,
)
from idcgen.findings import CloudLink
from idcgen.indexes import (
    Interval,
    Segments,
    address_int,
    count_in,
    filter_segments,
    first_match,
    net_interval,
    stage_intervals,
    union,
)
from idcgen.links import CLOUD_SERVICES
from idcgen.rules.routetable import (
    ALL_ONES,
    MAX_PREFIXLEN,
    PrefixKey,
    RouteTable,
    keys_overlap,
    last_address,
    network_of,
    prefix_key,
)
from idcgen.vendors.ipv4 import new_address, new_network

if TYPE_CHECKING:
    from idcgen.generator.intent import (
        DetectionIntent,
        ExemptionIntent,
        InterfaceIntent,
        RouteIntent,
    )
    from idcgen.sitemodel import Site
    from idcgen.vendors.base import VendorDriver

# Where a health-check source can be when the site model does not say: a VPC address
# (RFC 1918) or a system-assigned probe source in 100.64.0.0/10.
PRIVATE_SPACE = (*RFC1918, CLOUD_SERVICES)
CLOUD_SERVICES_KEY = prefix_key(CLOUD_SERVICES)  # 100.64.0.0/10 as a RouteTable key
# A route broader than this is a summary, not evidence of one VPC's CIDR (Alibaba's
# largest VPC CIDR is a whole 10.0.0.0/8).
MIN_VPC_PREFIXLEN = 8

PROBE_PPS = 0.5  # one echo every 2 s per source (docs/cloud.md#health-check-mechanism)
PROBE_BYTES = 100  # a typical echo, IP header included
# Alibaba's floor: the gateway must accept more than 500 ICMP echo requests per second
# (Express Connect limitations page, docs/vendor-commands.md#alibaba)
FLOOR_PPS = HEALTH_CHECK_MIN_PPS
FLOOR_BPS = HEALTH_CHECK_MIN_PPS * PROBE_BYTES * 8  # 400 kbit/s of 100-byte echoes

# partition's work list: a block, the longest prefix holding it, the prefixes strictly
# inside it (sorted)
_Pending = tuple[IPv4Network, PrefixKey | None, list[PrefixKey]]


def probe_rate_covers(stage: ControlPlaneStage, sources: int) -> bool:
    """Does the stage's police rate meet Alibaba's documented floor for the probes
    (more than 500 echo/s, whatever the number of sources)? A stage with no rate given
    polices at an unknown rate: not known to meet it."""
    if stage.rate_bps:
        return stage.rate_bps >= FLOOR_BPS
    if stage.rate_pps:
        return stage.rate_pps >= FLOOR_PPS
    return False

Decision = Literal["link", "elsewhere", "discard", "none"]


def active_among(routes: list[StaticRoute]) -> list[StaticRoute]:
    """Of the routes for one prefix, those the device uses: the lowest preference."""
    if not routes:
        return []
    best = min(r.preference for r in routes)
    return [r for r in routes if r.preference == best]


@dataclass(frozen=True)
class Block:
    """A piece of address space and the prefix whose routes decide it (None = no route)."""

    net: IPv4Network
    prefix: IPv4Network | None


@dataclass(frozen=True)
class ProbeVerdict:
    """How one control-plane policy treats one probe: the deciding stage (None = the
    policy's end treatment) and its treatment."""

    stage: ControlPlaneStage | None
    treatment: str


class Context:
    """The device, the site model (or None), the links, and derived routing facts."""

    def __init__(self, device: Device, site: Site | None, links: Sequence[CloudLink]):
        self.device = device
        self.site = site
        self.links = list(links)
        self.vendor = device.vendor
        self.routes: list[StaticRoute] = device.global_routes()
        if device.bgp is not None and device.bgp_neighbors:
            from idcgen.bgp import learned_routes

            # routes the VBR sessions bring (idcgen.bgp): judged like static routes
            self.routes += learned_routes(device, site, self.links)
        self.ran_topics: set[str] = set()  # sections the rules that ran read (IDC900)
        # per-device indexes of rule modules (key: a name the module owns), built on use
        self.memo: dict[str, Any] = {}

    @cached_property
    def table(self) -> RouteTable:
        """The routes indexed by prefix (built on first use: not every caller routes)."""
        return RouteTable(self.routes)

    # ----------------------------------------------------------------- links and routes
    @cached_property
    def leased(self) -> list[CloudLink]:
        """The leased-line links, in link order (built once: rules ask per prefix)."""
        return [link for link in self.links if link.kind == "leased-line"]

    @cached_property
    def leased_rank(self) -> dict[int, int]:
        """A leased line's position among `leased`, keyed by the link's id."""
        return {id(link): index for index, link in enumerate(self.leased)}

    @cached_property
    def leased_by_id(self) -> dict[int, CloudLink]:
        """The leased lines keyed by id (the keys of `routes_per_line`)."""
        return {id(link): link for link in self.leased}

    @cached_property
    def probed(self) -> list[CloudLink]:
        """The links Alibaba health-checks, the only ones the IDC30x rules judge: every
        leased line, and an IPsec connection only when the site model configures its
        health check (its link then has a health-check source). Without a site model a
        tunnel's probes are never judged: Alibaba sends none unless configured."""
        return [link for link in self.links if link.kind == "leased-line"
                or (self.site is not None and link.source == "site"
                    and link.health_check_source is not None)]

    @cached_property
    def _link_by_peer(self) -> dict[int, CloudLink]:
        """The first link per cloud-side peer, keyed by the address as an integer (hashing
        an IPv4Address costs more than the rest of `link_of`)."""
        found: dict[int, CloudLink] = {}
        for link in self.links:
            if link.peer_ip is not None:
                found.setdefault(int(link.peer_ip), link)
        return found

    @cached_property
    def _link_by_interface(self) -> dict[str, CloudLink]:
        """The first link per interface / tunnel name (case-insensitive)."""
        found: dict[str, CloudLink] = {}
        for link in self.links:
            if link.interface:
                found.setdefault(link.interface.lower(), link)
        return found

    def link_of(self, route: StaticRoute) -> CloudLink | None:
        """The link a route leads out of: next hop = the link's peer, or the outgoing
        interface = the link's interface / tunnel."""
        if route.discard:
            return None
        if route.next_hop is not None:
            link = self._link_by_peer.get(address_int(route.next_hop))
            if link is not None:
                return link
        if route.interface:
            return self._link_by_interface.get(route.interface.lower())
        return None

    @cached_property
    def link_routes(self) -> list[StaticRoute]:
        """The routes toward a link, in route order (one scan, shared by the rules)."""
        return [route for route in self.routes if self.link_of(route)]

    def active(self, prefix: IPv4Network) -> list[StaticRoute]:
        """The routes the device uses for exactly `prefix` (lowest preference; ECMP).
        Computed once per prefix (a prefix over many links is asked once per route)."""
        key = prefix_key(prefix)
        found = self._active.get(key)
        if found is None:
            found = self._active[key] = active_among(self.table.by_key.get(key, []))
        return found

    @cached_property
    def _active(self) -> dict[PrefixKey, list[StaticRoute]]:
        return {}

    @cached_property
    def _active_ids(self) -> dict[PrefixKey, set[int]]:
        return {}

    def is_active(self, route: StaticRoute) -> bool:
        key = prefix_key(route.prefix)
        ids = self._active_ids.get(key)
        if ids is None:
            ids = self._active_ids[key] = {id(r) for r in self.active(route.prefix)}
        return id(route) in ids

    def lpm(self, address: IPv4Address, *, include_default: bool = True
            ) -> tuple[IPv4Network | None, list[StaticRoute]]:
        """Longest matching prefix for `address` and its active routes."""
        value = int(address)
        shortest = 0 if include_default else 1
        for prefixlen in range(MAX_PREFIXLEN, shortest - 1, -1):
            key = (network_of(value, prefixlen), prefixlen)
            if key in self.table.by_key:
                best = self.table.prefix(key)
                return best, self.active(best)
        return None, []

    def routes_inside(self, net: IPv4Network, *, strictly: bool = False
                      ) -> list[StaticRoute]:
        """Routes whose prefix is `net` (unless `strictly`) or inside it, in route order."""
        return self.table.routes_inside(net, strictly=strictly)

    def routes_covering(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix is `net` or holds it, in route order."""
        return self.table.routes_covering(net)

    def routes_overlapping(self, net: IPv4Network) -> list[StaticRoute]:
        """Routes whose prefix holds, is, or lies inside `net`, in route order."""
        return self.table.routes_overlapping(net)

    def decision(self, prefix: IPv4Network | None) -> Decision:
        """What the active routes of `prefix` do: reach a link (any ECMP member does),
        discard, or go elsewhere; "none" when there is no route."""
        if prefix is None:
            return "none"
        active = self.active(prefix)
        if any(self.link_of(r) for r in active):
            return "link"
        if active and all(r.discard for r in active):
            return "discard"
        return "elsewhere"

    def partition(self, net: IPv4Network, *, include_default: bool,
                  skip: Callable[[StaticRoute], bool] | None = None) -> list[Block]:
        """Split `net` into blocks that each follow one prefix (longest match).

        Routes for which `skip` is true are ignored (e.g. health-check /32s when judging
        whether 100.64.0.0/10 as a whole is routed). A block is halved while a routed
        prefix lies strictly inside it; each half inherits the longest prefix covering it.
        """
        table = self.table

        def considered(key: PrefixKey) -> bool:
            return (include_default or key[1] > 0) and (
                skip is None or not all(skip(r) for r in table.by_key[key]))

        covering = [key for key in table.keys_covering(net) if considered(key)]
        inside = [key for key in table.keys_inside(net, strictly=True) if considered(key)]
        # depth first, lower half before upper, on an explicit stack: a recursive closure
        # would be a reference cycle (the function, its cell) holding the blocks list, and
        # with the collector paused during a lint every call's blocks stayed in memory
        # (a 100k-line config with 14,000 cloud networks: ~20 MB)
        blocks: list[Block] = []
        stack: list[_Pending] = [(net, covering[-1] if covering else None, inside)]
        while stack:
            block, decider, within = stack.pop()
            if not within:
                blocks.append(Block(block, table.prefix(decider) if decider else None))
                continue
            first, prefixlen = prefix_key(block)
            half = (first | (ALL_ONES >> (prefixlen + 1))) + 1  # the upper half's first
            split = bisect_left(within, (half, 0))
            halves: list[_Pending] = []
            for start, part in ((first, within[:split]), (half, within[split:])):
                key = (start, prefixlen + 1)
                if part and part[0] == key:  # the half is itself a routed prefix
                    halves.append((new_network(*key), key, part[1:]))
                else:
                    halves.append((new_network(*key), decider, part))
            stack += reversed(halves)  # the lower half is taken first
        return blocks

    def deciding_prefixes(self, blocks: Iterable[Block]) -> set[IPv4Network]:
        return {b.prefix for b in blocks if b.prefix is not None}

    # ----------------------------------------------------------------- cloud networks
    @cached_property
    def cloud_networks(self) -> list[tuple[IPv4Network, str]]:
        """(CIDR, label) of the cloud (VPC) networks: from the site model, or inferred from
        routes toward links (not 100.64.0.0/10, not host routes, nothing broader than a
        /8: that is a summary, not a VPC)."""
        if self.site is not None:
            nets = [(n.cidr, f"cloud network {n.name} ({n.cidr})")
                    for n in self.site.cloud_networks]
            for conn in self.site.ipsec:
                nets += [(cidr, f"cloud network {cidr} of IPsec connection {conn.name}")
                         for cidr in conn.cloud_networks if all(cidr != n for n, _ in nets)]
            return nets
        top: list[IPv4Network] = []
        last_of_top = -1
        for key in sorted({prefix_key(r.prefix) for r in self.link_routes}):
            if not MIN_VPC_PREFIXLEN <= key[1] < MAX_PREFIXLEN \
                    or keys_overlap(key, CLOUD_SERVICES_KEY):
                continue
            # sorted by first address, shorter first: a prefix inside an earlier one
            # ends no later than the furthest end seen so far
            if last_address(key) > last_of_top:
                top.append(self.table.prefix(key))
                last_of_top = last_address(key)
        return [(p, f"cloud network {p}") for p in top]

    @cached_property
    def vpc_region(self) -> list[IPv4Network]:
        """Where a health-check source can be when none is known: inside the cloud
        networks (or any route toward a link), else anywhere private or in 100.64/10."""
        nets = [n for n, _ in self.cloud_networks]
        if self.site is None:
            nets += [r.prefix for r in self.link_routes
                     if MIN_VPC_PREFIXLEN <= r.prefix.prefixlen < 32
                     and not keys_overlap(prefix_key(r.prefix), CLOUD_SERVICES_KEY)]
        nets = collapse(nets)
        return nets + [CLOUD_SERVICES] if nets else list(PRIVATE_SPACE)

    @cached_property
    def hc_sources(self) -> frozenset[IPv4Address]:
        """The known health-check sources of the links."""
        return frozenset(link.health_check_source for link in self.links
                         if link.health_check_source is not None)

    def hc_route(self, route: StaticRoute) -> bool:
        """A /32 toward a link whose destination is a link's health-check source."""
        return route.prefix.prefixlen == 32 and self.link_of(route) is not None \
            and route.prefix.network_address in self.hc_sources

    # ----------------------------------------------------------------- control plane
    def probe_verdict(self, policy: ControlPlanePolicy, src: IPv4Address, dst: IPv4Address
                      ) -> ProbeVerdict:
        """First stage that classifies an ICMP echo src -> dst decides (policy order).

        A policer that only the health-check sources can reach, at a rate that meets
        Alibaba's floor (more than 500 echo/s; a Cisco class or Huawei user-defined flow
        matching just those hosts), is their own budget, not one shared with all ICMP: it
        counts as an exemption. So does a per-type policer on a platform with no finer
        class (`per_type_budget`, Huawei CloudEngine CPCAR) at a rate that meets the floor:
        that is exactly what Alibaba asks of the gateway.
        """
        return self._verdict(policy, self._policy_index(policy, dst).at(address_int(src)), dst)

    def probe_verdicts(self, policy: ControlPlanePolicy, sources: Sequence[IPv4Address],
                       dst: IPv4Address) -> list[ProbeVerdict]:
        """`[probe_verdict(policy, src, dst) for src in sources]`, one verdict object per
        deciding stage (thousands of sample sources meet a handful of stages)."""
        index = self._policy_index(policy, dst)
        starts, values = index.starts, index.values
        memo: dict[int | None, ProbeVerdict] = {}
        out: list[ProbeVerdict] = []
        for src in sources:
            rank = values[bisect_right(starts, address_int(src)) - 1]
            verdict = memo.get(rank)
            if verdict is None:
                verdict = memo[rank] = self._verdict(policy, rank, dst)
            out.append(verdict)
        return out

    def _policy_index(self, policy: ControlPlanePolicy, dst: IPv4Address
                      ) -> Segments[int | None]:
        """The deciding stage's rank for every source, per (policy, destination)."""
        key = (id(policy), address_int(dst))
        index = self._verdict_index.get(key)
        if index is None:
            ranked = [(rank, self._stage_sources(stage, dst))
                      for rank, stage in enumerate(policy.stages)]
            index = self._verdict_index[key] = first_match(ranked)
        return index

    def _verdict(self, policy: ControlPlanePolicy, rank: int | None, dst: IPv4Address
                 ) -> ProbeVerdict:
        if rank is None:
            return ProbeVerdict(None, policy.end_treatment)
        stage = policy.stages[rank]
        if stage.treatment == "police" and (
                (stage.per_type_budget and probe_rate_covers(stage, len(self.hc_sources)))
                or self.dedicated_to_probes(stage, dst)):
            return ProbeVerdict(stage, "exempt")
        return ProbeVerdict(stage, stage.treatment)

    # Control-plane and filter look-ups for a fixed probe destination, computed once per
    # (policy or stage or filter, destination) as functions of the source address
    # (idcgen.indexes): a policy with thousands of classes and thousands of sample sources
    # is then thousands of bisects, not millions of ACL evaluations.
    @cached_property
    def _verdict_index(self) -> dict[tuple[int, int], Segments[int | None]]:
        return {}

    @cached_property
    def _stage_cache(self) -> dict[tuple[int, int], list[Interval]]:
        return {}

    @cached_property
    def _filter_index(self) -> dict[tuple[int, int], Segments[int | None]]:
        return {}

    @cached_property
    def _dedicated(self) -> dict[tuple[int, int], bool]:
        return {}

    def _stage_sources(self, stage: ControlPlaneStage, dst: IPv4Address) -> list[Interval]:
        """The sources for which `stage` classifies an ICMP echo to `dst`."""
        key = (id(stage), address_int(dst))
        found = self._stage_cache.get(key)
        if found is None:
            found = self._stage_cache[key] = stage_intervals(stage, self.device.filters, dst,
                                                             "icmp", "echo")
        return found

    def evaluate(self, flt: Filter, src: IPv4Address, dst: IPv4Address
                 ) -> tuple[Action, FilterEntry | None]:
        """`flt.evaluate(src, dst, "icmp", "echo")`, from an index per (filter, dst)."""
        return self._decision(flt, self._filter_at(flt, dst).at(address_int(src)))

    def evaluate_all(self, flt: Filter, sources: Sequence[IPv4Address], dst: IPv4Address
                     ) -> list[tuple[Action, FilterEntry | None]]:
        """`[evaluate(flt, src, dst) for src in sources]`."""
        index = self._filter_at(flt, dst)
        starts, values = index.starts, index.values
        decide = self._decision
        return [decide(flt, values[bisect_right(starts, address_int(src)) - 1])
                for src in sources]

    def _filter_at(self, flt: Filter, dst: IPv4Address) -> Segments[int | None]:
        key = (id(flt), address_int(dst))
        index = self._filter_index.get(key)
        if index is None:
            index = self._filter_index[key] = filter_segments(flt, dst, "icmp", "echo")
        return index

    @staticmethod
    def _decision(flt: Filter, position: int | None) -> tuple[Action, FilterEntry | None]:
        if position is None:
            return flt.default_action, None
        entry = flt.entries[position]
        assert entry.action is not None
        return entry.action, entry

    def dedicated_to_probes(self, stage: ControlPlaneStage, dst: IPv4Address) -> bool:
        """Does `stage` police only the known health-check sources, at a sufficient rate?

        That is: no sample source (`sample_sources([ANY])`) other than a health-check
        source is classified by the stage. Counted per interval of the sources the
        stage classifies, so the answer costs a few bisects per interval."""
        key = (id(stage), address_int(dst))
        found = self._dedicated.get(key)
        if found is None:
            found = self._dedicated[key] = self._dedicated_to_probes(stage, dst)
        return found

    def _dedicated_to_probes(self, stage: ControlPlaneStage, dst: IPv4Address) -> bool:
        sources = self.hc_sources
        if not sources or not probe_rate_covers(stage, len(sources)):
            return False
        witnesses, known = self._witnesses
        return not any(count_in(witnesses, lo, hi) > count_in(known, lo, hi)
                       for lo, hi in self._stage_sources(stage, dst))

    @cached_property
    def _witnesses(self) -> tuple[list[int], list[int]]:
        """The sample sources of all address space, and those that are health-check
        sources (both sorted integers)."""
        witnesses = self._sample_points(((0, ALL_ONES),))
        present = set(witnesses)
        return witnesses, sorted(p for p in map(int, self.hc_sources) if p in present)

    @cached_property
    def _edges(self) -> list[int]:
        """Where any source match of any filter or control-plane stage starts or ends
        (one past its last address), sorted."""
        edges: set[int] = set()
        for flt in self.device.filters.values():
            for entry in flt.entries:
                for net in entry.match.sources or []:
                    lo, hi = net_interval(net)
                    edges.update((lo, hi + 1))
        for policy in self.device.control_plane:
            for stage in policy.stages:
                for net in (stage.match.sources or []) if stage.match else []:
                    lo, hi = net_interval(net)
                    edges.update((lo, hi + 1))
        return sorted(edges)

    def _sample_points(self, region: Iterable[Interval]) -> list[int]:
        edges = self._edges
        points: list[int] = []
        for lo, hi in region:
            points.append(lo)
            points += edges[bisect_right(edges, lo):bisect_right(edges, hi)]
        return points

    @cached_property
    def _samples(self) -> dict[tuple[IPv4Network, ...], list[IPv4Address]]:
        return {}

    def sample_sources(self, region: Iterable[IPv4Network]) -> list[IPv4Address]:
        """One address per piece of `region` that every source match of every filter and
        control-plane stage treats alike: if all samples get a treatment, every address
        of the region does. (Computed once per region; do not modify the list.)"""
        key = tuple(region)
        found = self._samples.get(key)
        if found is None:
            points = self._sample_points(net_interval(net) for net in key)
            found = self._samples[key] = [new_address(p) for p in points]
        return found

    # ----------------------------------------------------------------- fixes
    def _syntax(self) -> VendorDriver:
        from idcgen.vendors import get_driver

        return get_driver(self.vendor)

    @cached_property
    def default_static_preference(self) -> int:
        """The vendor's default static-route preference (asked once per fixed route)."""
        return self._syntax().default_static_preference

    def preference_for(self, index: int, *, default: bool = False) -> int | None:
        """Preference of the `index`-th link's route in a fix: the vendor default (None)
        for ECMP; default + step per standby rank when the site is active-standby.
        `default=True`: the vendor default's number instead of None."""
        syntax = self._syntax()
        if self.site is None or self.site.redundancy != "active-standby" or index == 0:
            return syntax.default_static_preference if default else None
        return syntax.default_static_preference + index * syntax.standby_preference_step

    def route_intent(self, prefix: IPv4Network, link: CloudLink, *, purpose: str,
                     preference: int | None = None, replacing: StaticRoute | None = None,
                     detection: DetectionIntent | None = None) -> RouteIntent | None:
        """The route of a fix for `prefix` over `link`. `replacing`: the device's route
        it takes the place of, whose name it keeps; `detection`: the liveness check the
        route follows."""
        from idcgen.generator.intent import RouteIntent

        tunnel = link.kind == "ipsec" and bool(link.interface)
        if not tunnel and link.peer_ip is None:
            return None
        name = replacing.name if replacing is not None else self.route_name(purpose, link)
        if tunnel:
            return RouteIntent(prefix, interface=link.interface, preference=preference,
                               name=name, purpose=purpose, detection=detection)
        return RouteIntent(prefix, next_hop=link.peer_ip, preference=preference,
                           name=name, purpose=purpose, detection=detection)

    def route_name(self, purpose: str, link: CloudLink) -> str | None:
        tag = {"cloud-services": "SVC", "vpc": "VPC", "health-check": "HC"}.get(purpose)
        if tag is None or not link.name:
            return None
        try:
            from idcgen.generator.names import route_name
        except ImportError:
            return None
        return route_name(tag, link.name)

    def route_fix(self, prefixes: Iterable[IPv4Network], links: Iterable[CloudLink], *,
                  purpose: str) -> list[str]:
        """Routes for `prefixes` over `links` (ECMP, or standby ranks per the site)."""
        lines: list[str] = []
        links = list(links)
        for prefix in prefixes:
            for index, link in enumerate(links):
                intent = self.route_intent(prefix, link, purpose=purpose,
                                           preference=self.preference_for(index))
                if intent is not None:
                    lines += self.snippet("route_lines", intent)
        return lines

    def removal_fix(self, route: StaticRoute) -> list[str]:
        """Lines that delete `route`; none for a BGP-learned route (no command to
        delete; its import policy is what a fix would change)."""
        from idcgen.generator.intent import RouteIntent

        if isinstance(route, LearnedRoute):
            return []

        default = self.default_static_preference
        intent = RouteIntent(route.prefix, next_hop=route.next_hop,
                             interface=route.interface if not route.discard or route.interface
                             else None,
                             preference=None if route.preference == default else route.preference,
                             name=route.name)
        return self.snippet("route_removal_lines", intent)

    def exemption_fix(self, intent: ExemptionIntent) -> list[str]:
        return self.snippet("exemption_lines", intent)

    def interface_fix(self, intent: InterfaceIntent) -> list[str]:
        return self.snippet("interface_lines", intent)

    def snippet(self, function: str,
                intent: RouteIntent | ExemptionIntent | InterfaceIntent) -> list[str]:
        """Vendor lines from idcgen.generator.snippets (the render macros); a driver
        without the macro raises CapabilityError rather than giving no fix silently."""
        from idcgen.generator import snippets

        return list(getattr(snippets, function)(self.vendor, intent))


def collapse(nets: Iterable[IPv4Network]) -> list[IPv4Network]:
    """`list(ipaddress.collapse_addresses(nets))`, on integers: merge the address ranges,
    then cut each into its aligned CIDR blocks (the same unique minimal cover, sorted;
    collapse_addresses costs tens of microseconds per network on 10k-route configs)."""
    out: list[IPv4Network] = []
    for lo, hi in union(net_interval(n) for n in dict.fromkeys(nets)):
        while lo <= hi:
            size = (lo & -lo) or (1 << MAX_PREFIXLEN)  # the largest block aligned at lo
            while lo + size - 1 > hi:
                size >>= 1
            out.append(IPv4Network((lo, MAX_PREFIXLEN - size.bit_length() + 1)))
            lo += size
    return out


def fmt_nets(nets: Iterable[IPv4Network]) -> str:
    return ", ".join(str(n) for n in nets)


def fmt_route(route: StaticRoute) -> str:
    """`100.64.0.0/10 via 10.0.0.1` / `... via Null0 (discard)` / `... via Tunnel1`;
    `... via 10.0.0.1 (BGP)` for a route learned from a VBR."""
    if isinstance(route, LearnedRoute):
        return f"{route.prefix} via {route.next_hop} (BGP)"
    if route.discard:
        target = f"{route.interface} (discard)" if route.interface else "discard"
    elif route.next_hop is not None and route.interface:
        target = f"{route.next_hop} ({route.interface})"
    else:
        target = str(route.next_hop or route.interface)
    return f"{route.prefix} via {target}"


def link_label(link: CloudLink) -> str:
    """`line-a (GigabitEthernet0/0/1, peer 10.10.10.1)`, or `GigabitEthernet0/0/1 (peer
    10.10.10.1)` for an inferred link, or `peer 47.0.0.161`."""
    peer = f"peer {link.peer_ip}" if link.peer_ip else None
    if link.name:
        inner = ", ".join(p for p in (link.interface, peer) if p)
        return f"{link.name} ({inner})" if inner else link.name
    if link.interface:
        return f"{link.interface} ({peer})" if peer else link.interface
    return peer or "an unnamed link"


def routes_per_line(ctx: Context, routes: Iterable[StaticRoute],
                    rank: dict[int, int]) -> dict[int, list[StaticRoute]]:
    """The routes of one prefix grouped by the leased line (link id, a key of `rank`)
    they leave by; routes over other links are left out."""
    lines: dict[int, list[StaticRoute]] = {}
    for route in routes:
        link = ctx.link_of(route)
        if link is not None and id(link) in rank:
            lines.setdefault(id(link), []).append(route)
    return lines


def link_list(links: Iterable[CloudLink]) -> str:
    """Labels joined with "and": `Gi0/0/1 (peer 10.10.10.1) and Gi0/0/2 (peer ...)`."""
    labels = [link_label(link) for link in links]
    if len(labels) <= 1:
        return "".join(labels) or "no link"
    return ", ".join(labels[:-1]) + " and " + labels[-1]
