"""What the three BGP parsers share: neighbor settings with group inheritance, prefix
entries with their length ranges, and the step that turns what a parser collected into
the Device's `BgpConfig` and `BgpNeighbor`s.

Each vendor module (vendors/<id>/bgp.py) reads its own syntax into a `BgpCollector`;
nothing here knows a vendor. Every lookup is a dict: a config with thousands of
neighbors or prefix-list entries costs one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from ipaddress import IPv4Address, IPv4Network
from typing import Any, Literal

from idcgen.devicemodel import (
    Action,
    BgpConfig,
    BgpNeighbor,
    BgpNetwork,
    Device,
    PolicyTerm,
    PrefixList,
    PrefixMatch,
    Redistribution,
    RoutePolicy,
)
from idcgen.vendors.ipv4 import address
from idcgen.vendors.lines import Block
from idcgen.vendors.parsing import statement_failed

ACTIONS: dict[str, Action] = {"permit": "permit", "deny": "deny"}


@dataclass(slots=True)
class Settings:
    """What one neighbor or group says (None = not said: inherited)."""

    line: int = 0
    remote_as: int | None = None
    local_as: int | None = None
    description: str | None = None
    group: str | None = None
    password: bool | None = None
    bfd: bool | None = None
    shutdown: bool | None = None
    activated: bool | None = None
    multipath: bool | None = None
    advertise_default: bool | None = None
    import_policies: list[str] | None = None
    export_policies: list[str] | None = None
    import_lists: list[str] | None = None
    export_lists: list[str] | None = None


_INHERITED = tuple(f.name for f in fields(Settings) if f.name not in ("line", "group"))


def asn(token: str) -> int:
    """ASPLAIN or ASDOT (`65000.10`) -> int (ValueError when neither)."""
    if "." in token:
        high, low = token.split(".", 1)
        return int(high) * 65536 + int(low)
    return int(token)


def collector_of(parser: Any, **defaults: Any) -> BgpCollector:
    """The parser's BGP collector (`parser.bgp_collector`), made with the vendor's
    `defaults` on first use."""
    found: BgpCollector | None = getattr(parser, "bgp_collector", None)
    if found is None:
        found = parser.bgp_collector = BgpCollector(**defaults)
    return found


def finish_of(parser: Any) -> None:
    """Fill `parser.device.bgp` if the parser read anything about BGP."""
    found: BgpCollector | None = getattr(parser, "bgp_collector", None)
    if found is not None:
        found.finish(parser.device)


def global_unicast(children: Iterable[Block], family: str, unicast: tuple[list[str], ...],
                   skip: tuple[str, ...] = ()) -> list[Block]:
    """The statements of a BGP process that concern the global IPv4 table: its own and
    those of the `family` sub-blocks whose words after `family` are one of `unicast`
    (`address-family ipv4 [unicast]`, `ipv4-family [unicast]`); other families, VRF /
    VPN-instance families and the `skip` heads are left out."""
    out: list[Block] = []
    for child in children:
        words = child.text.split()
        if words[:1] == [family]:
            if words[1:] in unicast:
                out.extend(child.children)
            continue
        if words[:1] and words[0] in skip:
            continue
        out.append(child)
    return out


def read_each(parser: Any, bgp: BgpCollector, blocks: Iterable[Block],
              statement: Callable[[Any, BgpCollector, Block], None]) -> None:
    """`statement` for every block; one that fails is an UnparsedSection, not the end."""
    for child in blocks:
        try:
            statement(parser, bgp, child)
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            parser.unparsed("bgp", child.line, child.text, statement_failed(exc))


def target(bgp: BgpCollector, who: str, line: int) -> Settings | None:
    """The settings a neighbor / peer statement addresses: the neighbor at an IPv4
    address, or the group of that name; None for an IPv6 neighbor."""
    peer = address(who)
    if peer is not None:
        return bgp.neighbor(peer, line)
    if ":" in who:
        return None
    return bgp.group(who, line)


def add_to(settings: Settings, attr: str, value: str) -> None:
    """Append `value` to a list setting (import / export chains)."""
    items = getattr(settings, attr)
    if items is None:
        setattr(settings, attr, [value])
    elif value not in items:
        items.append(value)


def length_range(prefix: IPv4Network, ge: int | None, le: int | None) -> tuple[int, int]:
    """Cisco / Huawei ge/le: no ge and no le = exact; ge only = ge..32; le only =
    length..le (Huawei `greater-equal` / `less-equal` likewise)."""
    length = prefix.prefixlen
    if ge is None and le is None:
        return length, length
    low = ge if ge is not None else length
    high = le if le is not None else 32
    return low, high


@dataclass
class BgpCollector:
    """Everything a parser read about BGP, before inheritance and defaults."""

    preference: int
    export_default: Literal["all", "bgp"]
    policy_default: Action | None
    needs_activation: bool = False  # neighbors exist for IPv4 only once activated
    peer_as_suppressed: bool = False
    process_line: int = 0
    local_as: int | None = None
    local_as_line: int = 0
    multipath: int = 1
    multipath_line: int = 0
    networks: list[BgpNetwork] = field(default_factory=list)
    redistribute: list[Redistribution] = field(default_factory=list)
    prefix_lists: dict[str, PrefixList] = field(default_factory=dict)
    policies: dict[str, RoutePolicy] = field(default_factory=dict)
    global_settings: Settings = field(default_factory=Settings)
    groups: dict[str, Settings] = field(default_factory=dict)
    neighbors: dict[IPv4Address, Settings] = field(default_factory=dict)
    # Cisco `seq`, Huawei `index` / `node` of each entry and term (by id): the device
    # model keeps only the order they give
    orders: dict[int, int] = field(default_factory=dict)

    def neighbor(self, address: IPv4Address, line: int) -> Settings:
        found = self.neighbors.get(address)
        if found is None:
            found = self.neighbors[address] = Settings(line=line)
        return found

    def group(self, name: str, line: int = 0) -> Settings:
        found = self.groups.get(name)
        if found is None:
            found = self.groups[name] = Settings(line=line)
        return found

    def prefix_list(self, name: str, line: int) -> PrefixList:
        found = self.prefix_lists.get(name)
        if found is None:
            found = self.prefix_lists[name] = PrefixList(name, line=line)
        return found

    def add_entry(self, name: str, line: int, action: Action, prefix: IPv4Network,
                  ge: int | None, le: int | None, order: int | None = None) -> None:
        plist = self.prefix_list(name, line)
        low, high = length_range(prefix, ge, le)
        entry = PrefixMatch(prefix, low, high, action, line)
        plist.entries.append(entry)
        if order is not None:
            self.orders[id(entry)] = order

    def policy(self, name: str, line: int) -> RoutePolicy:
        found = self.policies.get(name)
        if found is None:
            found = self.policies[name] = RoutePolicy(name, default_action=self.policy_default,
                                                      line=line)
        return found

    def add_term(self, name: str, line: int, term: PolicyTerm, order: int | None = None
                 ) -> None:
        policy = self.policy(name, line)
        policy.terms.append(term)
        if order is not None:
            self.orders[id(term)] = order

    # ------------------------------------------------------------------ finish
    def finish(self, device: Device) -> None:
        """Sort numbered entries, resolve inheritance, fill `device.bgp`."""
        if self.orders:
            orders = self.orders
            for plist in self.prefix_lists.values():
                plist.entries.sort(key=lambda item: orders.get(id(item), 0))
            for policy in self.policies.values():
                policy.terms.sort(key=lambda item: orders.get(id(item), 0))
        if not self.process_line and not self.neighbors:
            return
        device.local_as = device.local_as or self.local_as
        device.bgp = BgpConfig(local_as=self.local_as, line=self.process_line,
                               local_as_line=self.local_as_line or self.process_line,
                               preference=self.preference, multipath=self.multipath,
                               multipath_line=self.multipath_line,
                               export_default=self.export_default,
                               peer_as_suppressed=self.peer_as_suppressed,
                               networks=self.networks, redistribute=self.redistribute,
                               prefix_lists=self.prefix_lists, policies=self.policies)
        for peer, own in self.neighbors.items():
            group = self.groups.get(own.group or "") if own.group else None
            values = {}
            for name in _INHERITED:
                value = getattr(own, name)
                if value is None and group is not None:
                    value = getattr(group, name)
                if value is None:
                    value = getattr(self.global_settings, name)
                values[name] = value
            activated = values["activated"]
            enabled = not values["shutdown"] and (
                activated if activated is not None else not self.needs_activation)
            imports = values["import_policies"] or []
            device.bgp_neighbors.append(BgpNeighbor(
                address=peer, remote_as=values["remote_as"],
                local_as=values["local_as"] or self.local_as,
                import_policy=imports[0] if imports else None, line=own.line,
                description=values["description"], group=own.group,
                password=bool(values["password"]), bfd=bool(values["bfd"]),
                enabled=enabled, multipath=bool(values["multipath"]),
                import_policies=list(imports),
                export_policies=list(values["export_policies"] or []),
                import_lists=list(values["import_lists"] or []),
                export_lists=list(values["export_lists"] or []),
                advertise_default=bool(values["advertise_default"])))


__all__ = ["ACTIONS", "BgpCollector", "Settings", "add_to", "asn", "collector_of", "finish_of",
           "global_unicast",
           "length_range", "read_each", "target"]
