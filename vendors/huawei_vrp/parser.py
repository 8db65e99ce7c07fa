"""Huawei VRP `display current-configuration` (AR routers, S/CE switches, NE) -> Device.

The config is split into an indentation tree (`vendors.lines`); top-level blocks are
dispatched on their first two words, then on their first word (`_TOP`), and each section
dispatches its children on their first word. Vendor facts resolved here so rules need not
know them:

- static route preference defaults to 60; NULL0 is a discard route;
- a traffic-filter ACL passes what no rule matches (Filter.default_action "permit");
- ACL rules are evaluated in rule-id order (or approximately depth-first with
  `match-order auto`); wildcards are Cisco-like and `0` means a host;
- cpu-defend stages are ordered the way the device evaluates them: whitelist (exempt),
  blacklist (drop), user-defined flows, then deny/car per packet type; `icmp rate-limit`
  and `anti-attack icmp-flood` are police stages of an always-applied pseudo policy;
- AR routers rate a type with `packet-type TYPE rate-limit PPS`: a shared ICMP police stage;
- the CloudEngine form (`car packet-type TYPE pps N`: CE has no user-defined flow) marks
  the device as platform "ce": its ICMP CPCAR is a per-type budget (at or above
  Alibaba's floor it is what the platform can give the probes; `car all-packets pps N`
  caps it), and port attack defence, on by default, is a second policy of the same name
  in front: its `auto-port-defend whitelist` stages let the probes through (pass), a
  final stage polices all other ICMP (docs/vendors.md#huawei-cpu-defend);
- IKE peers of AR V200R008+ speak both IKE versions unless one is undone.

A pre-shared key is looked at only for its stored form (`simple` = cleartext); its value
is never kept, and UnparsedSection texts are redacted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from ipaddress import IPv4Network
from typing import overload

from idcgen.devicemodel import (
    ANY,
    Action,
    ControlPlanePolicy,
    ControlPlaneStage,
    Device,
    Filter,
    FilterEntry,
    IkeProposal,
    Interface,
    IpsecPeer,
    IpsecProposal,
    IpsecTunnel,
    PacketMatch,
    StaticRoute,
    UnparsedSection,
)
from idcgen.redact import mask_secrets
from idcgen.vendors.huawei_vrp import bgp, tracking
from idcgen.vendors.huawei_vrp import ipsec_names as names
from idcgen.vendors.huawei_vrp.driver import DRIVER
from idcgen.vendors.ipv4 import (
    address,
    clear_caches,
    interface,
    ip_int,
    mask_length,
    network,
    new_network,
    wildcard_network,
)
from idcgen.vendors.lines import Block, BlockReader
from idcgen.vendors.parsing import Topic, gc_paused, partial_on_error, statement_failed

_IF_NUMBER = re.compile(r"\d+(?:/\d+)*(?:[.:]\d+)?")
_PROTOCOLS = {"ip": None, "icmp": "icmp", "tcp": "tcp", "udp": "udp", "gre": "gre",
              "ospf": "ospf", "igmp": "igmp", "ipinip": "ipinip", "1": "icmp", "6": "tcp",
              "17": "udp", "47": "gre", "89": "ospf", "0": None}
_ICMP_TYPES = {"8": "echo", "0": "echo-reply", "3": "unreachable", "11": "time-exceeded",
               "ttl-exceeded": "time-exceeded"}
# ACL rule keywords followed by one argument we ignore
_RULE_ONE_ARG = frozenset({"vpn-instance", "time-range", "dscp", "precedence", "tos",
                           "source-pool", "destination-pool", "ttl", "packet-length"})
_PORT_OPS = {"eq": 1, "gt": 1, "lt": 1, "neq": 1, "range": 2}
_ICMP_PACKET_TYPES = frozenset({"icmp", "icmp-reply", "icmp-request", "icmp-echo",
                                "icmp-echo-reply"})


# Per-rule values that repeat (`{"tcp"}` ~220 bytes, rule ids "5", "10"...), shared by the
# rules of one parse rather than rebuilt for each; the parsed model is read-only. Cleared
# when the parse ends.
@cache
def _one_item_set(item: str) -> set[str]:
    return {item}


@lru_cache(maxsize=4096)
def _decimal(number: int) -> str:
    return str(number)


def _if_name(words: list[str]) -> str:
    """`GigabitEthernet 0/0/1` and `GigabitEthernet0/0/1` name the same interface."""
    if len(words) >= 2 and _IF_NUMBER.fullmatch(words[1]):
        return words[0] + words[1]
    return words[0] if words else ""


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _as_number(text: str) -> int | None:
    high, dot, low = text.partition(".")
    if dot and high.isdigit() and low.isdigit():
        return int(high) * 65536 + int(low)
    return _int(text)


def _add(items: list, value: object) -> None:
    if value is not None and value not in items:
        items.append(value)


def _algorithms(words: list[str], table: dict[str, str]) -> list[str]:
    """Vendor keywords -> Alibaba names; `aes 256` (two words) and unknowns kept as typed."""
    joined = " ".join(words)
    if joined in table:
        return [table[joined]]
    return [table.get(word, word) for word in words]


# --------------------------------------------------------------------------- collectors
@dataclass
class _Acl:
    """An ACL's rules in rule-id order: a list while ids only grow (as configs print
    them), a dict by id once one does not (~8 bytes a rule instead of ~90)."""

    name: str
    line: int
    auto_order: bool = False
    step: int = 5
    in_order: list[FilterEntry] = field(default_factory=list)  # while `by_id` is None
    last_id: int = -1  # the largest rule id so far (-1: none)
    by_id: dict[int, FilterEntry] | None = None  # rule id -> entry (a repeated id replaces)

    def add(self, rule_id: int, entry: FilterEntry) -> None:
        if self.by_id is None:
            if rule_id > self.last_id:
                self.in_order.append(entry)
                self.last_id = rule_id
                return
            # entry names are the ids' decimal text: the same dict `rule_id -> entry`
            self.by_id = {int(str(e.name)): e for e in self.in_order}
            self.in_order = []
        self.by_id[rule_id] = entry
        self.last_id = max(self.last_id, rule_id)

    def entries(self) -> list[FilterEntry]:
        """The rules in rule-id order."""
        if self.by_id is None:
            return self.in_order
        return [self.by_id[rule_id] for rule_id in sorted(self.by_id)]


@dataclass
class _CpuPolicy:
    name: str
    line: int
    whitelist: list[ControlPlaneStage] = field(default_factory=list)
    blacklist: list[ControlPlaneStage] = field(default_factory=list)
    flows: dict[int, ControlPlaneStage] = field(default_factory=dict)
    deny: list[ControlPlaneStage] = field(default_factory=list)
    car: list[ControlPlaneStage] = field(default_factory=list)
    applied_line: int = 0
    # CloudEngine form: `car packet-type X pps N` / `car all-packets pps N`
    pps_form: bool = False
    all_packets_pps: tuple[int, int] | None = None  # (pps, line)
    # port attack defence (CE: on by default, ICMP included): whitelist stages, and the
    # line that turns it (or its ICMP part) off
    port_whitelist: list[ControlPlaneStage] = field(default_factory=list)
    port_whitelist_ifaces: list[tuple[ControlPlaneStage, str]] = field(default_factory=list)
    port_defence_off: int = 0
    port_defence_line: int = 0  # `auto-port-defend enable` (explicit), else 0


@dataclass
class _IpsecPolicy:
    name: str
    line: int
    peer: str | None = None
    proposals: list[str] = field(default_factory=list)
    pfs: int | None = None
    lifetime: int | None = None
    acl: str | None = None
    route_based: bool = False


Handler = Callable[["_Builder", Block, list[str]], None]


class _Builder:
    """Collects the config's meaning; `finish` resolves references into a Device."""

    def __init__(self, path: str, line_count: int) -> None:
        self.device = Device(vendor=DRIVER.id, path=path, line_count=line_count)
        self.default_preference = DRIVER.default_static_preference
        self.acls: dict[str, _Acl] = {}
        self.zone_members: dict[str, str] = {}  # interface -> firewall zone
        self.acl_alias: dict[str, str] = {}  # number of a named ACL -> its name
        self.traffic_filter_acls: set[str] = set()
        self.cpu_policies: dict[str, _CpuPolicy] = {}
        self.cpu_applied: dict[str, int] = {}
        self.icmp_limits: list[ControlPlaneStage] = []
        self.icmp_rate_limit_enable = 0
        self.icmp_total_threshold: tuple[int, int] | None = None
        self.anti_attack_enable = 0
        self.anti_attack_cir: tuple[int, int] | None = None
        self.ipsec_policies: list[_IpsecPolicy] = []
        self.profiles: dict[str, _IpsecPolicy] = {}
        self.profile_interfaces: dict[str, list[str]] = {}
        self.peer_versions: dict[str, tuple[int | None, set[int], set[int]]] = {}

    def unparsed(self, topic: Topic, line: int, text: str, reason: str) -> None:
        self.device.unparsed.append(
            UnparsedSection(topic, line, mask_secrets(text), reason))

    # ------------------------------------------------------------------ dispatch
    def feed(self, blocks: Iterable[Block]) -> None:
        top2, top1 = _TOP2_BY_FIRST, _TOP
        for block in blocks:
            words = block.text.split()
            # `_TOP2[" ".join(words[:2])]`, without building the key for every line
            second = top2.get(words[0]) if len(words) > 1 else None
            handler = second.get(words[1]) if second is not None else None
            if handler is None:
                handler = top1.get(words[0])
            if handler is not None:
                try:
                    handler(self, block, words)
                except Exception as exc:  # noqa: BLE001 - one statement, not the config
                    self.unparsed(_TOPICS.get(words[0], "interfaces"), block.line, block.text,
                                  statement_failed(exc))

    # ------------------------------------------------------------------ system
    def h_sysname(self, block: Block, words: list[str]) -> None:
        if len(words) > 1:
            self.device.hostname = block.text.split(None, 1)[1]

    # ------------------------------------------------------------------ interfaces
    def h_interface(self, block: Block, words: list[str]) -> None:
        name = _if_name(words[1:])
        if not name:
            return
        iface = self.device.interfaces.get(name)
        if iface is None:
            iface = self.device.interfaces[name] = Interface(name=name, line=block.line)
            if name.lower().startswith("vlanif") and name[6:].isdigit():
                iface.vlan = int(name[6:])  # a VLANIF carries its VLAN's tag on trunks
        for child in block.children:
            try:
                cw = child.text.split()
                handler = _IFACE.get(cw[0])
                if handler is not None:
                    handler(self, iface, child, cw)
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("interfaces", child.line, child.text, statement_failed(exc))

    def i_ip(self, iface: Interface, block: Block, w: list[str]) -> None:
        if len(w) >= 4 and w[1] == "address" and ip_int(w[2]) is not None:
            addr = interface(w[2], w[3])
            if addr is None:
                self.unparsed("interfaces", block.line, block.text, "address not understood")
            elif addr not in iface.addresses:
                iface.addresses.append(addr)
        elif len(w) == 3 and w[1] == "address" and "/" in w[2]:
            addr_text, _, length = w[2].partition("/")
            addr = interface(addr_text, length)
            if addr is not None and addr not in iface.addresses:
                iface.addresses.append(addr)

    def i_dot1q(self, iface: Interface, block: Block, w: list[str]) -> None:
        # dot1q termination vid N [to M]
        if len(w) >= 4 and w[1] == "termination" and w[2] == "vid" and iface.vlan is None:
            iface.vlan = _int(w[3])

    def i_vlan_type(self, iface: Interface, block: Block, w: list[str]) -> None:
        # vlan-type dot1q N (older AR sub-interfaces)
        if len(w) >= 3 and w[1] == "dot1q":
            iface.vlan = _int(w[2])

    def i_description(self, iface: Interface, block: Block, w: list[str]) -> None:
        parts = block.text.split(None, 1)
        iface.description = parts[1] if len(parts) > 1 else ""

    def i_shutdown(self, iface: Interface, block: Block, w: list[str]) -> None:
        iface.shutdown = True

    def i_nat(self, iface: Interface, block: Block, w: list[str]) -> None:
        # nat outbound ACL [address-group N] / nat easy-ip: this is the NAT outside side
        if w[1:2] in (["outbound"], ["easy-ip"]):
            iface.nat_outside = True

    def i_undo(self, iface: Interface, block: Block, w: list[str]) -> None:
        if w[1:] == ["shutdown"]:
            iface.shutdown = False

    def i_traffic_filter(self, iface: Interface, block: Block, w: list[str]) -> None:
        """traffic-filter inbound acl {N | name NAME} (also `acl N inbound`, L2+L3 pairs)."""
        if "inbound" not in w or "ipv6" in w:
            return
        candidates: list[str] = []
        for k, word in enumerate(w):
            if word != "acl" or k + 1 >= len(w):
                continue
            ref = w[k + 2] if w[k + 1] == "name" and k + 2 < len(w) else w[k + 1]
            candidates.append(ref)
        # an L2 ACL (4000-4999) classifies on MAC fields; keep the IPv4 one of a pair
        ip_acls = [c for c in candidates if not (c.isdigit() and 4000 <= int(c) <= 4999)]
        pool = ip_acls or candidates
        chosen = pool[0] if pool else None
        if chosen is None:
            self.unparsed("filters", block.line, block.text, "traffic-filter not understood")
            return
        if iface.inbound_filter is None:
            iface.inbound_filter, iface.inbound_filter_line = chosen, block.line

    def i_traffic_policy(self, iface: Interface, block: Block, w: list[str]) -> None:
        if "inbound" in w:
            self.unparsed("filters", block.line, block.text,
                          "traffic-policy (MQC) on an interface is not evaluated")

    def i_ipsec(self, iface: Interface, block: Block, w: list[str]) -> None:
        if len(w) >= 3 and w[1] == "profile":
            self.profile_interfaces.setdefault(w[2], []).append(iface.name)
        elif len(w) >= 3 and w[1] == "policy":
            iface.ipsec_map, iface.ipsec_map_line = w[2], block.line

    def i_destination(self, iface: Interface, block: Block, w: list[str]) -> None:
        if len(w) >= 2:
            iface.tunnel_destination = address(w[-1]) or iface.tunnel_destination

    # ------------------------------------------------------------------ static routes
    def h_route_static(self, block: Block, w: list[str]) -> None:
        route = self._route(block, w)
        if route is not None:
            self.device.static_routes.append(route)

    def _route(self, block: Block, w: list[str]) -> StaticRoute | None:
        n = len(w)
        i = 2
        vrf = None
        if i + 1 < n and w[i] == "vpn-instance":
            vrf, i = w[i + 1], i + 2
        if i < n and w[i] == "default-preference" and i + 1 < n:
            value = _int(w[i + 1])
            if value is not None:
                self.default_preference = value
                self.unparsed("routes", block.line, block.text,
                              "default preference changed: assumed to apply to the static "
                              "routes after this line without their own preference")
            return None
        value = ip_int(w[i]) if i + 1 < n else None
        if value is None:
            if i < n and w[i] in ("bfd", "frr", "track", "recursive-lookup", "selection-rule",
                                   "nexthop-unchanged", "dependent-arp"):
                return None  # global options of static routing, not routes
            self.unparsed("routes", block.line, block.text, "static route not understood")
            return None
        length = mask_length(w[i + 1])  # `network(w[i], w[i + 1])`, the address read once
        prefix = None if length is None else new_network(value, length)
        if prefix is None:
            self.unparsed("routes", block.line, block.text, "route prefix or mask not understood")
            return None
        i += 2
        if i + 1 < n and w[i] == "vpn-instance":
            i += 2  # next hop resolved in another VPN instance
        elif i < n and w[i] == "public":
            i += 1
        route = StaticRoute(prefix, preference=self.default_preference, vrf=vrf,
                            line=block.line)
        # `address` is cached: next hops repeat (and parsing it twice costs)
        if i < n and (next_hop := address(w[i])) is not None:
            route.next_hop = next_hop
            i += 1
        elif i < n and (w[i][:1].isalpha() or _DIGIT_PORT.match(w[i])) \
                and w[i] not in _ROUTE_OPTIONS:
            name = w[i]
            i += 1
            if i < n and _IF_NUMBER.fullmatch(w[i]) and ip_int(w[i]) is None:
                name += w[i]
                i += 1
            if name.lower().startswith("null"):
                route.discard = True
                route.interface = "NULL0"
            else:
                route.interface = name
                if i < n and (next_hop := address(w[i])) is not None:
                    route.next_hop = next_hop
                    i += 1
        else:
            self.unparsed("routes", block.line, block.text, "next hop not understood")
            return None
        while i < n:
            word = w[i]
            if word == "preference" and i + 1 < n:
                route.preference = _int(w[i + 1]) or route.preference
                i += 2
            elif word == "tag" and i + 1 < n:
                route.tag = _int(w[i + 1])
                i += 2
            elif word == "description":
                rest = block.text.split(" description ", 1)
                route.name = rest[1].strip() if len(rest) > 1 else None
                break
            elif word in ("track", "bfd"):
                i = tracking.route_option(route, w, i)
            else:
                i += 1
        return route

    # ------------------------------------------------------------------ failure detection
    def h_nqa(self, block: Block, words: list[str]) -> None:
        tracking.nqa(self.device, block, words)

    def h_bfd(self, block: Block, words: list[str]) -> None:
        tracking.bfd(self.device, block, words)

    # ------------------------------------------------------------------ ACLs
    def h_acl(self, block: Block, words: list[str]) -> None:
        """acl number N | acl name NAME [N|basic|advanced] | acl N | acl [basic|advanced] ..."""
        w = words[1:]
        if not w or w[0] in ("ipv6", "mac"):
            return
        name: str | None = None
        number: str | None = None
        if w[0] == "number" and len(w) > 1:
            name = number = w[1]
        elif w[0] == "name" and len(w) > 1:
            name = w[1]
            number = w[2] if len(w) > 2 and w[2].isdigit() else None
        elif w[0] in ("basic", "advanced") and len(w) > 1:  # Comware-like spellings
            name = w[2] if w[1] == "name" and len(w) > 2 else w[1]
        elif w[0].isdigit():
            name = number = w[0]
        if name is None:
            self.unparsed("filters", block.line, block.text, "ACL header not understood")
            return
        if number is not None and 4000 <= int(number) <= 4999:
            return  # layer-2 ACL: MAC fields, nothing for IPv4 rules to read
        if number is not None and number != name:
            self.acl_alias[number] = name
        acl = self.acls.get(name)
        if acl is None:
            acl = self.acls[name] = _Acl(name, block.line)
        acl.auto_order = acl.auto_order or ("match-order" in w and "auto" in w)
        for child in block.children:
            try:
                cw = child.text.split()
                if cw[0] == "rule":
                    self._rule(acl, child, cw)
                elif cw[0] == "step" and len(cw) > 1 and cw[1].isdigit():
                    acl.step = int(cw[1]) or 5
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("filters", child.line, child.text, statement_failed(exc))

    def _rule(self, acl: _Acl, block: Block, w: list[str]) -> None:
        n = len(w)
        i = 1
        if i < n and w[i].isdigit():
            rule_id, i = int(w[i]), i + 1
        else:
            last = max(acl.last_id, 0)
            rule_id = (last // acl.step + 1) * acl.step
        if i + 1 < n and w[i] == "name":
            i += 2
        if i >= n or w[i] in ("description", "comment", "remark"):
            return
        if w[i] not in ("permit", "deny"):
            self.unparsed("filters", block.line, block.text, "ACL rule not understood")
            return
        action = w[i]
        i += 1
        protocols: set[str] | None = None
        if i < n and w[i] in _PROTOCOLS:
            proto = _PROTOCOLS[w[i]]
            protocols = _one_item_set(proto) if proto else None
            i += 1
        elif i < n and w[i].isdigit():
            protocols = {f"proto-{w[i]}"}
            i += 1
        sources: list[IPv4Network] | None = None
        dests: list[IPv4Network] | None = None
        icmp_types: set[str] | None = None
        ports = False
        while i < n:
            word = w[i]
            if word in ("source", "destination") and i + 1 < n:
                if w[i + 1] == "any":  # same as leaving the field out
                    i += 2
                    continue
                net: IPv4Network | None
                if "/" in w[i + 1]:
                    addr_text, _, length = w[i + 1].partition("/")
                    net = network(addr_text, length)
                    i += 2
                elif i + 2 < n:
                    net, exact = wildcard_network(w[i + 1], w[i + 2])
                    if net is not None and not exact:
                        self.unparsed("filters", block.line, block.text,
                                      "non-contiguous wildcard widened to "
                                      f"{net.with_prefixlen}")
                    i += 3
                else:
                    net = None
                    i += 2
                if net is None:
                    self.unparsed("filters", block.line, block.text, f"{word} not understood")
                    return
                if word == "source":
                    sources = [net]
                else:
                    dests = [net]
            elif word in ("source-port", "destination-port") and i + 1 < n:
                ports = True
                i += 2 + _PORT_OPS.get(w[i + 1], 0)
            elif word == "icmp-type" and i + 1 < n:
                value = w[i + 1]
                if value.isdigit():
                    icmp_types = {_ICMP_TYPES.get(value, f"type-{value}")}
                    i += 3 if i + 2 < n and w[i + 2].isdigit() else 2
                else:
                    icmp_types = {_ICMP_TYPES.get(value, value)}
                    i += 2
            elif word in _RULE_ONE_ARG:
                i += 2
            elif word == "tcp-flag":
                break
            else:
                i += 1
        if ports and protocols is None:
            protocols = {"tcp", "udp"}
        # positional: a dataclass call with keywords costs twice as much, once per rule
        match = PacketMatch(protocols, sources, dests, icmp_types)
        acl.add(rule_id, FilterEntry(match, "permit" if action == "permit" else "deny",
                                     _decimal(rule_id), line=block.line))

    # ------------------------------------------------------------------ control plane
    def h_cpu_defend_policy(self, block: Block, words: list[str]) -> None:
        if len(words) < 3:
            return
        policy = self.cpu_policies.setdefault(words[2], _CpuPolicy(words[2], block.line))
        for child in block.children:
            try:
                text = child.text
                first = text.split(None, 1)[0]
                patterns = _CPU_CHILDREN.get(first)
                if patterns is None:
                    continue
                for pattern, kind in patterns:
                    m = pattern.fullmatch(text)
                    if m is not None:
                        self._cpu_stage(policy, kind, m, child)
                        break
                else:
                    if first in ("car", "deny", "whitelist", "blacklist", "auto-port-defend"):
                        self.unparsed("control-plane", child.line, text,
                                      "cpu-defend statement not understood")
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("control-plane", child.line, child.text, statement_failed(exc))

    def _cpu_stage(self, policy: _CpuPolicy, kind: str, m: re.Match, block: Block) -> None:
        line = block.line
        if kind == "whitelist":
            policy.whitelist.append(ControlPlaneStage(
                f"{policy.name} whitelist {m.group(1) or ''}".rstrip(), "exempt",
                acl=m.group(2), line=line))
        elif kind == "blacklist":
            policy.blacklist.append(ControlPlaneStage(
                f"{policy.name} blacklist {m.group(1) or ''}".rstrip(), "drop",
                acl=m.group(2), line=line))
        elif kind == "flow":
            flow = int(m.group(1))
            stage = policy.flows.setdefault(flow, ControlPlaneStage(
                f"{policy.name} user-defined-flow {flow}", "pass", line=line))
            stage.acl, stage.line = m.group(2), line
        elif kind in ("flow-car", "flow-deny"):
            flow = int(m.group(1))
            stage = policy.flows.setdefault(flow, ControlPlaneStage(
                f"{policy.name} user-defined-flow {flow}", "pass", line=line))
            if kind == "flow-deny":
                stage.treatment = "drop"
            elif stage.treatment != "drop":
                stage.treatment, stage.rate_bps = "police", int(m.group(2)) * 1000
        elif kind == "car-all-pps":
            policy.pps_form = True
            policy.all_packets_pps = (int(m.group(1)), line)
        elif kind == "port-whitelist":
            policy.port_whitelist.append(ControlPlaneStage(
                f"{policy.name} auto-port-defend whitelist {m.group(1)}", "pass",
                acl=m.group(2), line=line))
        elif kind == "port-whitelist-if":
            stage = ControlPlaneStage(f"{policy.name} auto-port-defend whitelist {m.group(1)}",
                                      "pass", line=line)
            policy.port_whitelist_ifaces.append((stage, m.group(2).replace(" ", "")))
        elif kind == "port-off":
            policy.port_defence_off = line
        elif kind == "port-on":
            policy.port_defence_line = line
        elif kind in ("car", "car-pps", "rate-limit", "deny"):
            if kind == "car-pps":
                policy.pps_form = True
            packet_type = m.group(1)
            if packet_type not in _ICMP_PACKET_TYPES:
                return  # other protocols' CPCAR does not touch ICMP probes
            icmp = PacketMatch(protocols={"icmp"})
            if kind == "deny":
                policy.deny.append(ControlPlaneStage(
                    f"{policy.name} deny packet-type {packet_type}", "drop", match=icmp,
                    line=line))
            elif kind == "car-pps":
                # CloudEngine: packet/s, and no finer class the probes could have
                policy.car.append(ControlPlaneStage(
                    f"{policy.name} car {packet_type}", "police", match=icmp,
                    rate_pps=int(m.group(2)), per_type_budget=True, line=line))
            elif kind == "rate-limit":  # AR: packet/s, shared by all ICMP to the router
                policy.car.append(ControlPlaneStage(
                    f"{policy.name} packet-type {packet_type} rate-limit", "police",
                    match=icmp, rate_pps=int(m.group(2)), line=line))
            else:
                policy.car.append(ControlPlaneStage(
                    f"{policy.name} car {packet_type}", "police", match=icmp,
                    rate_bps=int(m.group(2)) * 1000, line=line))  # CIR is in kbit/s

    def h_cpu_defend_apply(self, block: Block, words: list[str]) -> None:
        if len(words) >= 2:
            self.cpu_applied.setdefault(words[1], block.line)

    def h_slot(self, block: Block, words: list[str]) -> None:
        for child in block.children:
            try:
                cw = child.text.split()
                if cw[0] == "cpu-defend-policy":
                    self.h_cpu_defend_apply(child, cw)
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("control-plane", child.line, child.text, statement_failed(exc))

    def h_icmp(self, block: Block, words: list[str]) -> None:
        # icmp rate-limit enable | icmp rate-limit {total | interface IF} threshold N
        if len(words) < 3 or words[1] != "rate-limit":
            return
        if words[2] == "enable":
            self.icmp_rate_limit_enable = block.line
        elif "threshold" in words:
            value = _int(words[-1])
            if value is None:
                self.unparsed("control-plane", block.line, block.text,
                              "icmp rate-limit not understood")
            elif words[2] == "total":
                self.icmp_total_threshold = (value, block.line)
            elif value:
                self.icmp_limits.append(ControlPlaneStage(
                    " ".join(words[:-2]), "police", match=PacketMatch(protocols={"icmp"}),
                    rate_pps=value, line=block.line))

    def h_anti_attack(self, block: Block, words: list[str]) -> None:
        # anti-attack icmp-flood enable | anti-attack icmp-flood car cir N
        if len(words) < 3 or words[1] != "icmp-flood":
            return
        if words[2] == "enable":
            self.anti_attack_enable = block.line
        elif words[2] == "car" and "cir" in words:
            value = _int(words[words.index("cir") + 1]) if words[-1] != "cir" else None
            if value is not None:
                self.anti_attack_cir = (value, block.line)

    # ------------------------------------------------------------------ IPsec
    def h_ike_proposal(self, block: Block, words: list[str]) -> None:
        if len(words) < 3:
            return
        prop = IkeProposal(words[2], line=block.line)
        for child in block.children:
            try:
                w = child.text.split()
                if len(w) < 2:
                    continue
                key = w[0]
                if key == "encryption-algorithm":
                    for alg in _algorithms(w[1:], names.REVERSE_IKE_ENCRYPTION):
                        _add(prop.encryption, alg)
                elif key == "authentication-algorithm":
                    for alg in _algorithms(w[1:], names.REVERSE_IKE_AUTHENTICATION):
                        _add(prop.integrity, alg)
                elif key == "integrity-algorithm":
                    for alg in _algorithms(w[1:], names.REVERSE_IKE_INTEGRITY):
                        _add(prop.integrity, alg)
                elif key == "dh" and w[1].startswith("group"):
                    _add(prop.dh_groups, _int(w[1][5:]))
                elif key == "sa" and len(w) >= 3 and w[1] == "duration":
                    prop.lifetime_s = _int(w[2])
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                              statement_failed(exc))
        self.device.ipsec.ike_proposals[prop.name] = prop

    def h_ike_peer(self, block: Block, words: list[str]) -> None:
        if len(words) < 3:
            return
        peer = IpsecPeer(words[2], line=block.line)
        header_version = {"v1": 1, "v2": 2}.get(words[3]) if len(words) > 3 else None
        explicit: set[int] = set()
        undone: set[int] = set()
        local_address: str | None = None
        for child in block.children:
            try:
                w = child.text.split()
                key = w[0]
                if key == "pre-shared-key":
                    # `simple KEY` is readable; `cipher %^%#..%^%#` and USG's bare form are not
                    peer.psk_present = True
                    peer.psk_cleartext = len(w) > 2 and w[1] == "simple"
                    peer.psk_line = child.line
                elif key == "version" and len(w) > 1 and w[1] in ("1", "2"):
                    explicit.add(int(w[1]))
                elif key == "undo" and len(w) > 2 and w[1] == "version" and w[2] in ("1", "2"):
                    undone.add(int(w[2]))
                elif key == "undo" and w[1:3] == ["nat", "traversal"]:
                    peer.nat_traversal = False
                elif key == "undo" and w[1:2] == ["dpd"]:
                    peer.dpd = False
                elif key == "exchange-mode" and len(w) > 1:
                    peer.ike_mode = w[1]
                elif key == "ike-proposal" and len(w) > 1:
                    for proposal in w[1:]:
                        _add(peer.ike_proposals, proposal)
                elif key == "remote-address" and len(w) > 1:
                    peer.address = peer.address or address(w[-1] if len(w) == 2 else w[1])
                elif key == "local-address" and len(w) > 1:
                    local_address = w[1]
                elif key == "local-id" and len(w) > 1:
                    peer.local_identity = w[1]
                elif key == "remote-id" and len(w) > 1:
                    peer.remote_identity = w[1]
                elif key == "dpd":
                    peer.dpd = True
                elif key == "nat" and w[1:2] == ["traversal"]:
                    peer.nat_traversal = True
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                              statement_failed(exc))
        if peer.local_identity is None and local_address is not None:
            peer.local_identity = local_address  # default local ID type is the IP address
        if header_version is not None:
            peer.ike_version = header_version
        elif undone:
            enabled = {1, 2} - undone
            peer.ike_version = enabled.pop() if len(enabled) == 1 else None
        elif len(explicit) == 1:
            peer.ike_version = explicit.pop()
        self.device.ipsec.peers[peer.name] = peer

    def h_ipsec_proposal(self, block: Block, words: list[str]) -> None:
        if len(words) < 3:
            return
        prop = IpsecProposal(words[2], line=block.line)
        for child in block.children:
            try:
                w = child.text.split()
                if len(w) >= 3 and w[0] in ("esp", "ah") and w[1] == "encryption-algorithm":
                    for alg in _algorithms(w[2:], names.REVERSE_ESP_ENCRYPTION):
                        _add(prop.encryption, alg)
                elif len(w) >= 3 and w[0] in ("esp", "ah") and w[1] == "authentication-algorithm":
                    for alg in _algorithms(w[2:], names.REVERSE_ESP_AUTHENTICATION):
                        _add(prop.integrity, alg)
                elif len(w) >= 2 and w[0] == "transform":
                    prop.protocol = w[1]
                elif len(w) >= 2 and w[0] == "encapsulation-mode":
                    prop.mode = w[1]
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                              statement_failed(exc))
        self.device.ipsec.ipsec_proposals[prop.name] = prop

    def h_ipsec_policy(self, block: Block, words: list[str]) -> None:
        # ipsec policy NAME SEQ isakmp [template T] | ipsec policy NAME SEQ manual
        if len(words) < 4:
            return
        if len(words) >= 5 and words[4] == "manual":
            self.unparsed("ipsec", block.line, block.text, "manual IPsec SAs are not modelled")
            return
        if "template" in words[4:]:
            return  # the template carries the parameters (see ipsec policy-template)
        self.ipsec_policies.append(self._ipsec_children(f"{words[2]} {words[3]}", block))

    def h_ipsec_template(self, block: Block, words: list[str]) -> None:
        if len(words) >= 4:
            self.ipsec_policies.append(
                self._ipsec_children(f"template {words[2]} {words[3]}", block))

    def h_ipsec_profile(self, block: Block, words: list[str]) -> None:
        if len(words) >= 3:
            policy = self._ipsec_children(words[2], block)
            policy.route_based = True
            self.profiles[words[2]] = policy

    def _ipsec_children(self, name: str, block: Block) -> _IpsecPolicy:
        policy = _IpsecPolicy(name, block.line)
        for child in block.children:
            try:
                w = child.text.split()
                key = w[0]
                if key == "security" and len(w) >= 3 and w[1] == "acl":
                    policy.acl = w[3] if w[2] == "name" and len(w) > 3 else w[2]
                elif key == "ike-peer" and len(w) > 1:
                    policy.peer = w[1]
                elif key == "proposal":
                    for proposal in w[1:]:
                        _add(policy.proposals, proposal)
                elif key == "pfs" and len(w) > 1 and w[1].startswith("dh-group"):
                    policy.pfs = _int(w[1][8:])
                elif key == "sa" and len(w) >= 4 and w[1:3] == ["duration", "time-based"]:
                    policy.lifetime = _int(w[3])
            except Exception as exc:  # noqa: BLE001 - one statement, not the section
                self.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                              statement_failed(exc))
        return policy

    # ------------------------------------------------------------------ BGP
    # the bgp view, ip ip-prefix and route-policy: vendors/huawei_vrp/bgp.py
    def h_bgp(self, block: Block, words: list[str]) -> None:
        bgp.bgp_view(self, block, words)

    def h_ip_prefix(self, block: Block, words: list[str]) -> None:
        bgp.ip_prefix(self, block, words)

    def h_route_policy(self, block: Block, words: list[str]) -> None:
        bgp.route_policy(self, block, words)

    # ------------------------------------------------------------------ finish
    def h_firewall_zone(self, block: Block, words: list[str]) -> None:
        """firewall zone NAME / zone NAME, with `add interface X` children (AR, USG)."""
        if len(words) < 3:
            return
        zone = words[-1]
        for child in block.children:
            cw = child.text.split()
            if len(cw) >= 3 and cw[0] == "add" and cw[1] == "interface":
                self.zone_members[_if_name(cw[2:]) or cw[2]] = zone

    def finish(self) -> Device:
        for name, zone in self.zone_members.items():
            iface = self.device.interfaces.get(name)
            if iface is not None:
                iface.zone = zone
        self._finish_filters()
        self._finish_control_plane()
        self._finish_ipsec()
        bgp.finish(self)
        return self.device

    @overload
    def _resolve(self, ref: str) -> str: ...
    @overload
    def _resolve(self, ref: None) -> None: ...
    @overload
    def _resolve(self, ref: str | None) -> str | None: ...

    def _resolve(self, ref: str | None) -> str | None:
        return self.acl_alias.get(ref, ref) if ref is not None else None

    def _finish_filters(self) -> None:
        dev = self.device
        for iface in dev.interfaces.values():
            if iface.inbound_filter is not None:
                iface.inbound_filter = self._resolve(iface.inbound_filter)
                self.traffic_filter_acls.add(iface.inbound_filter)
        for acl in self.acls.values():
            entries = acl.entries()
            if acl.auto_order:
                entries.sort(key=_depth_first_key)
            # traffic-filter: a packet no rule matches is permitted (docs/vendors.md#interface-acls)
            default: Action = "permit" if acl.name in self.traffic_filter_acls else "deny"
            dev.filters[acl.name] = Filter(acl.name, entries, default_action=default,
                                           line=acl.line)

    def _finish_control_plane(self) -> None:
        dev = self.device
        if any(p.pps_form for p in self.cpu_policies.values()):
            dev.platform = "ce"
        for policy in self.cpu_policies.values():
            applied_line = self.cpu_applied.get(policy.name, 0)
            if dev.platform == "ce":
                self._ce_budget(policy)
                port = self._port_defence(policy)
                if port:
                    dev.control_plane.append(ControlPlanePolicy(
                        policy.name, "cpu-defend", port, applied=bool(applied_line),
                        end_treatment="pass", line=policy.line, applied_line=applied_line))
            stages = policy.whitelist + policy.blacklist + [
                policy.flows[k] for k in sorted(policy.flows)] + policy.deny + policy.car
            for stage in stages:
                if stage.acl is not None:
                    stage.acl = self._resolve(stage.acl)
            dev.control_plane.append(ControlPlanePolicy(
                policy.name, "cpu-defend", stages, applied=bool(applied_line),
                end_treatment="pass", line=policy.line, applied_line=applied_line))
        limits: list[ControlPlaneStage] = []
        if self.icmp_rate_limit_enable:
            total = self.icmp_total_threshold
            if total is None or total[0]:
                limits.append(ControlPlaneStage(
                    "icmp rate-limit total", "police", match=PacketMatch(protocols={"icmp"}),
                    rate_pps=total[0] if total else None,  # None: the model's default
                    line=total[1] if total else self.icmp_rate_limit_enable))
            limits.extend(self.icmp_limits)
        if self.anti_attack_enable:
            cir = self.anti_attack_cir
            limits.append(ControlPlaneStage(
                "anti-attack icmp-flood", "police", match=PacketMatch(protocols={"icmp"}),
                rate_bps=cir[0] if cir else 155_000_000,  # documented default CAR
                line=cir[1] if cir else self.anti_attack_enable))
        if limits:
            first = min(s.line for s in limits)
            dev.control_plane.append(ControlPlanePolicy(
                "system ICMP limits", "cpu-defend", limits, applied=True,
                end_treatment="pass", line=first, applied_line=first))

    def _ce_budget(self, policy: _CpuPolicy) -> None:
        """CloudEngine: `car all-packets pps N` caps every per-type CAR (the device uses
        the smaller value), so it caps the ICMP CAR, or is the ICMP budget itself."""
        if policy.all_packets_pps is None:
            return
        pps, line = policy.all_packets_pps
        for stage in policy.car:
            if stage.rate_pps is not None and pps < stage.rate_pps:
                stage.rate_pps, stage.line = pps, line
                stage.name += " (capped by car all-packets)"
        if not policy.car:
            policy.car.append(ControlPlaneStage(
                f"{policy.name} car all-packets", "police",
                match=PacketMatch(protocols={"icmp"}), rate_pps=pps, per_type_budget=True,
                line=line))

    def _port_defence(self, policy: _CpuPolicy) -> list[ControlPlaneStage]:
        """CloudEngine port attack defence (on by default, ICMP among its protocols): the
        whitelisted probes pass on to the CPCAR; all other ICMP is subject to it. [] when
        the policy turns it off."""
        if policy.port_defence_off:
            return []
        stages = list(policy.port_whitelist)
        for stage in stages:
            stage.acl = self._resolve(stage.acl)
        for stage, ifname in policy.port_whitelist_ifaces:
            iface = self.device.interfaces.get(ifname)
            if iface is None or not iface.addresses:
                continue  # no address: no probe can arrive there
            stage.match = PacketMatch(protocols={"icmp"}, destinations=[
                IPv4Network(f"{a.ip}/32") for a in iface.addresses])
            stages.append(stage)
        stages.append(ControlPlaneStage(
            f"{policy.name} auto-port-defend", "police", match=PacketMatch(protocols={"icmp"}),
            line=policy.port_defence_line or policy.line))
        return stages

    def _finish_ipsec(self) -> None:
        cfg = self.device.ipsec
        for policy in self.ipsec_policies:
            cfg.tunnels.append(self._tunnel(policy, None))
        for name, policy in self.profiles.items():
            for ifname in self.profile_interfaces.get(name, [None]):
                cfg.tunnels.append(self._tunnel(policy, ifname))

    def _tunnel(self, policy: _IpsecPolicy, ifname: str | None) -> IpsecTunnel:
        peer = self.device.ipsec.peers.get(policy.peer or "")
        acl_name = self._resolve(policy.acl)
        selectors: list[tuple[IPv4Network, IPv4Network]] = []
        acl = self.device.filters.get(acl_name or "")
        if acl is not None:
            for entry in acl.entries:
                if entry.action != "permit":
                    continue
                for src in entry.match.sources or [ANY]:
                    for dst in entry.match.destinations or [ANY]:
                        selectors.append((src, dst))
        elif acl_name is not None:
            self.unparsed("ipsec", policy.line, f"ipsec policy {policy.name}",
                          f"security acl {acl_name} is not defined")
        return IpsecTunnel(
            name=policy.name, peer=policy.peer, peer_address=peer.address if peer else None,
            proposals=list(policy.proposals), pfs_group=policy.pfs, lifetime_s=policy.lifetime,
            route_based=policy.route_based, tunnel_interface=ifname, selectors=selectors,
            selector_acl=acl_name, line=policy.line)


def _depth_first_key(entry: FilterEntry) -> tuple[int, int, int]:
    """`match-order auto`, approximately: protocol given first, then longer prefixes."""
    m = entry.match
    proto = 0 if m.protocols else 1
    src = -(m.sources[0].prefixlen if m.sources else 0)
    dst = -(m.destinations[0].prefixlen if m.destinations else 0)
    return proto, src, dst


# CloudEngine Ethernet port types begin with their speed: 10GE1/0/47, 25GE, 100GE, 400GE
_DIGIT_PORT = re.compile(r"\d+GE(?:\d|$)", re.I)
_ROUTE_OPTIONS = frozenset({"preference", "tag", "description", "bfd", "track", "permanent",
                            "inherit-cost", "no-advertise", "no-install", "relay-arp"})

# cpu-defend policy children: first word -> (pattern, kind) tried in order
_CPU_CHILDREN: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "whitelist": [(re.compile(r"whitelist(?: (\d+))? acl (?:name )?(\S+).*"), "whitelist")],
    "blacklist": [(re.compile(r"blacklist(?: (\d+))? acl (?:name )?(\S+).*"), "blacklist")],
    "user-defined-flow": [(re.compile(r"user-defined-flow (\d+) acl (?:name )?(\S+).*"),
                           "flow")],
    "car": [(re.compile(r"car user-defined-flow (\d+) cir (\d+).*"), "flow-car"),
            (re.compile(r"car whitelist .*"), "ignore"),
            (re.compile(r"car all-packets pps (\d+)"), "car-all-pps"),
            (re.compile(r"car packet-type (\S+) pps (\d+)"), "car-pps"),
            (re.compile(r"car (?:packet-type )?(\S+) cir (\d+).*"), "car")],
    # CloudEngine port attack defence (on by default)
    "auto-port-defend": [
        (re.compile(r"auto-port-defend whitelist (\d+) acl (?:ipv6 )\S+"), "ignore"),
        (re.compile(r"auto-port-defend whitelist (\d+) acl (\d+)"), "port-whitelist"),
        (re.compile(r"auto-port-defend whitelist (\d+) interface (.+)"), "port-whitelist-if"),
        (re.compile(r"auto-port-defend enable"), "port-on"),
        (re.compile(r"auto-port-defend protocol icmp disable"), "port-off"),
        (re.compile(r"auto-port-defend .*"), "ignore")],
    "undo": [(re.compile(r"undo auto-port-defend enable"), "port-off")],
    # AR: `packet-type TYPE rate-limit PPS` (AR V300: `... wired | wireless`; wireless
    # means CAPWAP-encapsulated packets only); `packet-type TYPE priority N` is ignored
    "packet-type": [
        (re.compile(r"packet-type (\S+) rate-limit (\d+) wireless"), "ignore"),
        (re.compile(r"packet-type (\S+) rate-limit (\d+)(?: wired)?"), "rate-limit"),
        (re.compile(r"packet-type .*"), "ignore")],
    "deny": [(re.compile(r"deny user-defined-flow (\d+).*"), "flow-deny"),
             (re.compile(r"deny (?:packet-type )?(\S+).*"), "deny")],
}

_TOP: dict[str, Handler] = {
    "sysname": _Builder.h_sysname,
    "interface": _Builder.h_interface,
    "acl": _Builder.h_acl,
    "cpu-defend-policy": _Builder.h_cpu_defend_apply,
    "slot": _Builder.h_slot,
    "icmp": _Builder.h_icmp,
    "anti-attack": _Builder.h_anti_attack,
    "bgp": _Builder.h_bgp,
    "route-policy": _Builder.h_route_policy,
    "bfd": _Builder.h_bfd,
}
_TOP2: dict[str, Handler] = {
    "ip route-static": _Builder.h_route_static,
    "ip ip-prefix": _Builder.h_ip_prefix,
    "nqa test-instance": _Builder.h_nqa,
    "firewall zone": _Builder.h_firewall_zone,
    "cpu-defend policy": _Builder.h_cpu_defend_policy,
    "ike proposal": _Builder.h_ike_proposal,
    "ike peer": _Builder.h_ike_peer,
    "ipsec proposal": _Builder.h_ipsec_proposal,
    "ipsec policy": _Builder.h_ipsec_policy,
    "ipsec policy-template": _Builder.h_ipsec_template,
    "ipsec profile": _Builder.h_ipsec_profile,
}
_TOP2_BY_FIRST: dict[str, dict[str, Handler]] = {}
for _key, _handler in _TOP2.items():
    _first, _second = _key.split()
    _TOP2_BY_FIRST.setdefault(_first, {})[_second] = _handler
del _key, _handler, _first, _second
_IFACE: dict[str, Callable[[_Builder, Interface, Block, list[str]], None]] = {
    "ip": _Builder.i_ip,
    "dot1q": _Builder.i_dot1q,
    "vlan-type": _Builder.i_vlan_type,
    "description": _Builder.i_description,
    "shutdown": _Builder.i_shutdown,
    "undo": _Builder.i_undo,
    "traffic-filter": _Builder.i_traffic_filter,
    "traffic-policy": _Builder.i_traffic_policy,
    "nat": _Builder.i_nat,
    "ipsec": _Builder.i_ipsec,
    "destination": _Builder.i_destination,
}


# the UnparsedSection topic of a top-level statement that fails, by its first word
_TOPICS: dict[str, Topic] = {
    "interface": "interfaces", "acl": "filters", "cpu-defend-policy": "control-plane",
    "cpu-defend": "control-plane", "slot": "control-plane", "icmp": "control-plane",
    "anti-attack": "control-plane", "bgp": "bgp", "route-policy": "bgp", "ip": "routes",
    "ike": "ipsec", "ipsec": "ipsec", "firewall": "interfaces", "nqa": "routes",
    "bfd": "routes"}
_HEAD_WORDS = frozenset(_TOP) | {key.split()[0] for key in _TOP2}


def _has_handler(text: str) -> bool:
    """Does a top-level line head a section `feed` reads? (Others' lines are skipped.)"""
    return text.split(None, 1)[0] in _HEAD_WORDS


def parse(text: str, path: str = "") -> Device:
    """Parse a Huawei VRP running config; never raises."""
    line_count = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    builder = _Builder(path, line_count)

    def run() -> Device:
        builder.feed(BlockReader(text, skip=("#", "!"), wanted=_has_handler))
        return builder.finish()

    try:
        with gc_paused():
            return partial_on_error(builder.device, run)
    finally:
        for cached in (_one_item_set, _decimal):
            cached.cache_clear()
        clear_caches()


__all__ = ["parse"]
