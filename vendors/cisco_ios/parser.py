"""Cisco IOS / IOS-XE running config -> vendor-neutral `Device`.

How it works: `indentation_tree` splits the file into blocks; every top-level block is
dispatched on its first word to a short list of compiled patterns (`_TOP`), and the
matching handler reads the block's children through its own table (`_IFACE`) or a small
token parser (ACL entries, policers, static routes, whose grammar is too loose for one
regex). Objects that reference each other (policy-map -> class-map -> ACL, crypto map ->
ACL / peer, tunnel -> ipsec profile) are linked in `_Parser.finish`, so the order of
sections in the file does not matter.

Principles:
- Never raise: a relevant line that cannot be understood becomes an `UnparsedSection`
  (rules report it as IDC900); irrelevant sections are skipped silently.
- Never keep a secret: pre-shared keys are only classified (present / cleartext); any
  text recorded from a crypto line passes through `idcgen.redact.mask_secrets`.
- Line numbers are the 1-based lines of the file (`Block.line`).

Also accepted: "flat" configs with every indentation stripped (some tools export them);
sections are then delimited by `!` / blank lines (see `_regroup_flat`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

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
    Treatment,
    UnparsedSection,
)
from idcgen.redact import mask_secrets
from idcgen.vendors.cisco_ios.driver import DRIVER

from ..ipv4 import (
    SharedValues,
    clear_caches,
    new_address,
    new_interface,
    new_network,
    quad_int,
)
from ..lines import Block, BlockReader
from ..parsing import Topic, gc_paused, partial_on_error, statement_failed
from . import bgp, tracking
from .ipsec_names import (
    REVERSE_ESP_ENCRYPTION,
    REVERSE_ESP_INTEGRITY,
    REVERSE_IKEV2_ENCRYPTION,
    REVERSE_IKEV2_INTEGRITY,
    REVERSE_ISAKMP_ENCRYPTION,
    REVERSE_ISAKMP_HASH,
)

# IOS defaults that are not printed in a running config
ISAKMP_DEFAULTS: dict[str, str | int] = {"encryption": "des", "hash": "sha1", "group": 1,
                                          "lifetime": 86400}
IPSEC_SA_LIFETIME_DEFAULT = 3600  # `crypto ipsec security-association lifetime seconds`
IKEV2_LIFETIME_DEFAULT = 86400
PFS_DEFAULT_GROUP = 1  # bare `set pfs`

_IP = r"\d{1,3}(?:\.\d{1,3}){3}"


class _Unsupported(Exception):
    """A relevant construct the device model cannot express (object-groups, ...)."""


# --------------------------------------------------------------------------- dispatch
Handler = Callable[..., None]
Table = dict[str, tuple[tuple[re.Pattern[str], Handler, "Topic | None"], ...]]


def _table(*rows: tuple[str, str, Handler, Topic | None]) -> Table:
    """Rows of (first word, pattern, handler, topic for errors) -> dispatch table.

    Lines are looked up by their first word, then tried against that word's patterns in
    row order; `topic` names the UnparsedSection recorded when the handler fails.
    """
    table: dict[str, list[tuple[re.Pattern[str], Handler, Topic | None]]] = {}
    for word, pattern, handler, topic in rows:
        # ASCII: `\d` is 0-9 only, as on the device (not `٣`, read by int() as 3)
        table.setdefault(word, []).append(
            (re.compile(pattern, re.IGNORECASE | re.ASCII), handler, topic))
    return {word: tuple(rules) for word, rules in table.items()}


def _short(text: str, limit: int = 60) -> str:
    """An exception message cut to `limit` characters (it may quote a huge token)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --------------------------------------------------------------------------- addresses
_MASKLEN = {str(IPv4Network(f"0.0.0.0/{n}").netmask): n for n in range(33)}
_SHARED_CACHE_SIZE = 8192
_WILDCARD_LENGTH = {str(IPv4Address((1 << (32 - n)) - 1)): n for n in range(33)}  # 0.0.0.255: 24


def _is_ip(token: str) -> bool:
    return token[:1].isdigit() and token.count(".") == 3


def _ip_int(text: str) -> int:
    """Dotted quad -> int, about 3x cheaper than letting `ipaddress` parse the string.

    `quad_int` takes the usual spelling; anything else goes through int() per octet.
    """
    value = quad_int(text)
    if value is not None:
        return value
    w, x, y, z = text.split(".")
    a, b, c, d = int(w), int(x), int(y), int(z)
    if not (0 <= a <= 255 and 0 <= b <= 255 and 0 <= c <= 255 and 0 <= d <= 255):
        raise ValueError(f"not an IPv4 address: {text}")
    return (a << 24) | (b << 16) | (c << 8) | d


def _new_address_of(text: str) -> IPv4Address:
    return new_address(_ip_int(text))


# next hops, peers: few distinct, used often (see `SharedValues`); cleared after a parse
_ADDRESSES: SharedValues[str, IPv4Address] = SharedValues(_new_address_of, _SHARED_CACHE_SIZE)
_address: Callable[[str], IPv4Address] = _ADDRESSES.__getitem__


def _network(address: str, length: int) -> IPv4Network:
    """Network of `address`/`length`, host bits cleared (as IOS stores it)."""
    value = quad_int(address)
    if value is not None and 0 <= length <= 32:
        return new_network(value, length)
    # unusual spelling or length: `_ip_int` / the shift / ipaddress decide (and raise)
    return IPv4Network((_ip_int(address) & (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF, length))


def _prefix(address: str, mask: str) -> IPv4Network:
    """`A M` (dotted mask) -> network."""
    length = _MASKLEN.get(mask)
    if length is None:
        raise ValueError(f"not a contiguous mask: {mask}")
    return _network(address, length)


def _wildcard(address: str, wildcard: str) -> tuple[IPv4Network, bool]:
    """`A W` (ACL wildcard) -> (network, approximated).

    A non-contiguous wildcard (0.0.255.0) matches a set that is not a prefix: it is
    widened to the smallest prefix containing it and flagged, so the caller can record
    the approximation.
    """
    length = _WILDCARD_LENGTH.get(wildcard)
    if length == 32:
        return _host(address), False
    if length is not None:
        return _network(address, length), False
    w = _ip_int(wildcard)
    return _network(address, 32 - w.bit_length()), (w + 1) & w != 0


def _host(address: str) -> IPv4Network:
    return _network(address, 32)


# Per-entry values that repeat, shared by the entries of one parse rather than rebuilt for
# each (a one-item set is ~220 bytes, a one-item list ~100, times 100k+ entries in a big
# config). The parsed model is read-only. Cleared when the parse ends.
def _new_host_list(address: str) -> list[IPv4Network]:
    """`host A` as the list an ACL entry keeps."""
    return [_host(address)]


_HOST_LISTS: SharedValues[str, list[IPv4Network]] = SharedValues(_new_host_list,
                                                                   _SHARED_CACHE_SIZE)
_host_list: Callable[[str], list[IPv4Network]] = _HOST_LISTS.__getitem__


@cache
def _one_item_set(item: str) -> set[str]:
    """{item}: an entry's protocol or ICMP type."""
    return {item}


def _asn(token: str) -> int:
    """ASPLAIN or ASDOT (`65000.10`) -> int."""
    if "." in token:
        high, low = token.split(".", 1)
        return int(high) * 65536 + int(low)
    return int(token)


# --------------------------------------------------------------------------- ACL entries
_PROTOCOL_NUMBERS = {"0": "ip", "1": "icmp", "2": "igmp", "4": "ipinip", "6": "tcp",
                     "17": "udp", "47": "gre", "50": "esp", "51": "ahp", "88": "eigrp",
                     "89": "ospf", "103": "pim"}
_ICMP_TYPE_NUMBERS = {"0": "echo-reply", "3": "unreachable", "8": "echo",
                      "11": "time-exceeded"}
_ACTIONS: dict[str, Action] = {"permit": "permit", "deny": "deny"}
_PORT_OPERATORS = {"eq", "neq", "lt", "gt", "range"}
_ADDRESS_STARTS = {"any", "host", "object-group", "addrgroup"}
# options after the destination that do not name an ICMP type
_ACE_OPTIONS = {"log", "log-input", "established", "fragments", "dscp", "precedence", "tos",
                "ttl", "time-range", "option", "match-any", "match-all", "reflect", "ack",
                "fin", "psh", "rst", "syn", "urg", "sequence"}


def _ace_address(tokens: list[str], i: int) -> tuple[list[IPv4Network] | None, int, bool]:
    """Address at tokens[i] -> (networks or None for any, next index, approximated)."""
    token = tokens[i]
    if token == "any":
        return None, i + 1, False
    if token == "host":
        return _host_list(tokens[i + 1]), i + 2, False
    value = quad_int(token)
    if value is not None:  # `A W` as printed, a prefix wildcard: what `_wildcard` gives
        wildcard_length = _WILDCARD_LENGTH.get(tokens[i + 1])
        if wildcard_length is not None:  # ~10 % of a big ACL's parse: four calls less
            return [new_network(value, wildcard_length)], i + 2, False
    if token in ("object-group", "addrgroup"):
        raise _Unsupported(f"object-group {tokens[i + 1]} (not expanded)")
    if "/" in token:
        address, _, length = token.partition("/")
        return [_network(address, int(length))], i + 1, False
    if not _is_ip(token):
        raise ValueError(f"address expected: {token}")
    net, approx = _wildcard(token, tokens[i + 1])
    return [net], i + 2, approx


def _skip_ports(tokens: list[str], i: int) -> int:
    """Skip a tcp/udp port qualifier (`eq 80 443`, `range 1 2`, ...); ports are not modelled."""
    if i >= len(tokens) or tokens[i] not in _PORT_OPERATORS:
        return i
    if tokens[i] == "range":
        return i + 3
    i += 2
    while i < len(tokens) and tokens[i] not in _ADDRESS_STARTS and not _is_ip(tokens[i]):
        i += 1
    return i


def _parse_extended(tokens: list[str]) -> tuple[PacketMatch | None, str]:
    """`PROTO SRC [PORTS] DST [PORTS|ICMP-TYPE] [OPTIONS]` -> (match, approximation note).

    Returns (None, "") for an entry that can never match an unfragmented packet
    (`fragments`): it is left out of the filter rather than widened to all packets.
    """
    protocol = tokens[0]
    if protocol == "object-group":
        raise _Unsupported(f"protocol object-group {tokens[1]} (not expanded)")
    protocol = _PROTOCOL_NUMBERS.get(protocol, protocol)
    sources, i, approx_src = _ace_address(tokens, 1)
    if protocol in ("tcp", "udp"):
        i = _skip_ports(tokens, i)
    if i < len(tokens) and tokens[i] in ("eq", "neq", "lt", "gt", "range"):
        raise _Unsupported(f"port qualifier on protocol {protocol}")
    destinations, i, approx_dst = _ace_address(tokens, i)
    icmp_types = None
    if i < len(tokens):
        if "fragments" in tokens:
            return None, ""
        if protocol == "icmp" and tokens[i] not in _ACE_OPTIONS:
            icmp_types = _one_item_set(_ICMP_TYPE_NUMBERS.get(tokens[i], tokens[i]))
    note = "non-contiguous wildcard widened to the enclosing prefix" \
        if approx_src or approx_dst else ""
    # positional: a dataclass call with keywords costs twice as much, once per entry
    match = PacketMatch(None if protocol == "ip" else _one_item_set(protocol),
                        sources, destinations, icmp_types)
    return match, note


def _parse_standard(tokens: list[str]) -> tuple[PacketMatch | None, str]:
    """`any | host A | A [W] [log]` -> source-only match."""
    token = tokens[0]
    if token == "any":
        return PacketMatch(), ""
    if token == "host":
        return PacketMatch(sources=_host_list(tokens[1])), ""
    if not _is_ip(token):
        raise ValueError(f"address expected: {token}")
    if len(tokens) > 1 and _is_ip(tokens[1]):
        net, approx = _wildcard(token, tokens[1])
        note = "non-contiguous wildcard widened to the enclosing prefix" if approx else ""
        return PacketMatch(sources=[net]), note
    return PacketMatch(sources=_host_list(token)), ""


def _is_standard_number(number: int) -> bool | None:
    """IP ACL number ranges: True standard, False extended, None not an IPv4 ACL."""
    if 1 <= number <= 99 or 1300 <= number <= 1999:
        return True
    if 100 <= number <= 199 or 2000 <= number <= 2699:
        return False
    return None


# --------------------------------------------------------------------------- policers
def _police(tokens: list[str]) -> tuple[Treatment, int | None, int | None]:
    """A `police ...` command with its action sub-lines joined -> (treatment, bps, pps).

    Forms: `police BPS [BC [BE]] [actions]`, `police cir BPS|percent N ...`,
    `police rate N [bps|pps] ...`. Defaults: conform transmit, exceed drop, violate as
    exceed. All actions transmit -> exempt; conform drop -> drop; otherwise police.
    """
    bps = pps = None
    kind = tokens[1] if len(tokens) > 1 else ""
    if kind.isdigit():
        bps = int(kind)
    elif kind in ("cir", "rate"):
        if tokens[2] == "percent":
            pass  # a share of the interface rate: no absolute figure
        elif len(tokens) > 3 and tokens[3] == "pps":
            pps = int(tokens[2])
        else:
            bps = int(tokens[2])
    else:
        raise _Unsupported(f"police {kind}")
    actions = {"conform-action": "transmit", "exceed-action": "drop"}
    for i, token in enumerate(tokens[:-1]):
        if token in ("conform-action", "exceed-action", "violate-action"):
            action = tokens[i + 1]
            actions[token] = "drop" if action == "drop" else (
                "transmit" if action.endswith("transmit") else action)
    if actions["conform-action"] == "drop":
        return "drop", bps, pps
    if all(a == "transmit" for a in actions.values()):
        return "exempt", bps, pps
    return "police", bps, pps


# --------------------------------------------------------------------------- intermediate records
@dataclass
class _ClassMap:
    name: str
    line: int
    match_any: bool
    kind: str | None  # `type` keyword, None for plain QoS class-maps
    criteria: list[tuple[str, str, bool, int]] = field(default_factory=list)  # kind, arg, not, line
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, reason


@dataclass
class _PolicyClass:
    name: str
    line: int
    treatment: Treatment = "pass"
    rate_bps: int | None = None
    rate_pps: int | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class _PolicyMap:
    name: str
    line: int
    kind: str | None
    classes: list[_PolicyClass] = field(default_factory=list)


@dataclass
class _SaSettings:
    """`set ...` / `match address` lines of a crypto map entry or ipsec profile."""

    name: str
    line: int
    peers: list[IPv4Address] = field(default_factory=list)
    transform_sets: list[str] = field(default_factory=list)
    pfs_group: int | None = None
    lifetime_s: int | None = None
    acl: str | None = None
    ikev2_profile: str | None = None
    isakmp_profile: str | None = None
    dynamic_map: str | None = None


@dataclass
class _IkeProfile:
    """A `crypto isakmp profile` or `crypto ikev2 profile` (which keyrings, which peers)."""

    version: int
    keyrings: list[str] = field(default_factory=list)
    remotes: list[IPv4Network] = field(default_factory=list)
    local_identity: str | None = None
    remote_identity: str | None = None
    dpd: bool | None = None
    lifetime_s: int | None = None


def _grouped(children: Iterable[Block], head: str) -> Iterator[tuple[Block, list[Block]]]:
    """Children starting with `head` (`class`, `peer`) with their attribute lines.

    Attribute lines are the head's descendants, plus (flat configs) the siblings that
    follow it up to the next head.
    """
    current: tuple[Block, list[Block]] | None = None
    for child in children:
        if child.text.startswith(head):
            if current:
                yield current
            current = (child, list(child.walk()))
        elif current:
            current[1].append(child)
            current[1].extend(child.walk())
    if current:
        yield current


# --------------------------------------------------------------------------- the parser
class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.device = Device(vendor=DRIVER.id, path=path,
                             undefined_filter_action="permit")
        self.device.line_count = text.count("\n") + (0 if text.endswith("\n") or not text
                                                     else 1)
        self.class_maps: dict[str, _ClassMap] = {}
        self.policy_maps: dict[str, _PolicyMap] = {}
        self.cp_bindings: list[tuple[str, str, int]] = []  # policy, direction, line
        self.qos_refs: set[str] = set()  # policy-maps used outside the control plane
        self.crypto_entries: list[_SaSettings] = []
        self.dynamic_maps: dict[str, list[_SaSettings]] = {}
        self.ipsec_profiles: dict[str, _SaSettings] = {}
        self.crypto_map_ifaces: dict[str, str] = {}
        self.protections: list[tuple[str, str, int]] = []  # interface, profile, line
        self.keyrings: dict[str, list[str]] = {}  # keyring (v1 and v2) -> peer names
        self.ike_profiles: dict[str, _IkeProfile] = {}
        self.ikev2_policy_proposals: list[str] = []
        self.isakmp_keepalive = False
        self.sa_lifetime = IPSEC_SA_LIFETIME_DEFAULT
        self._peer_index: dict[IPv4Address, list[IpsecPeer]] | None = None  # see tunnel()

    # ---------------------------------------------------------------- helpers
    def unparsed(self, topic: Topic, line: int, text: str, reason: str = "") -> None:
        self.device.unparsed.append(UnparsedSection(topic=topic, line=line,
                                                    text=mask_secrets(text), reason=reason))

    def filter(self, name: str, line: int) -> Filter:
        acl = self.device.filters.get(name)
        if acl is None:
            acl = self.device.filters[name] = Filter(name=name, default_action="deny",
                                                     line=line)
        return acl

    def ace(self, acl: Filter, text: str, line: int, standard: bool) -> None:
        """One ACL entry (`[SEQ] permit|deny ...`), appended in order (first match wins)."""
        tokens = text.split()
        seq = None
        if tokens[0].isdigit():
            seq, tokens = tokens[0], tokens[1:]
        if not tokens or tokens[0] == "remark":
            return
        action = _ACTIONS.get(tokens[0])  # the constant: one string, not one per entry
        if action is None or len(tokens) < 2:
            self.unparsed("filters", line, text, f"ACL {acl.name}: unsupported entry")
            return
        try:
            match, note = (_parse_standard if standard else _parse_extended)(tokens[1:])
        except _Unsupported as exc:
            self.unparsed("filters", line, text, f"ACL {acl.name}: {exc}")
            return
        except (ValueError, IndexError) as exc:
            self.unparsed("filters", line, text, f"ACL {acl.name}: {exc or 'incomplete'}")
            return
        if note:
            self.unparsed("filters", line, text, f"ACL {acl.name}: approximated: {note}")
        if match is not None:
            acl.entries.append(FilterEntry(match, action, seq, line=line))

    def peer(self, name: str, line: int, **attrs: Any) -> IpsecPeer:
        """Get or create the IpsecPeer `name`, setting the given attributes."""
        peer = self.device.ipsec.peers.get(name)
        if peer is None:
            peer = self.device.ipsec.peers[name] = IpsecPeer(name=name, line=line)
        for key, value in attrs.items():
            setattr(peer, key, value)
        return peer

    def key_peer(self, name: str, address: IPv4Address | None, line: int, cleartext: bool,
                 version: int) -> IpsecPeer:
        """Record that a pre-shared key exists for a peer (never the key itself)."""
        peer = self.peer(name, line, address=address, psk_present=True, ike_version=version)
        peer.psk_cleartext = peer.psk_cleartext or cleartext
        peer.psk_line = peer.psk_line or line
        return peer

    # ---------------------------------------------------------------- driver
    def run(self, sections: Iterable[Block]) -> Device:
        self.dispatch(_TOP, sections)
        self.finish()  # if this fails, the config was only partly read (parse())
        return self.device

    def dispatch(self, table: Table, blocks: Iterable[Block], *context: object) -> None:
        """Run each block through `table`: first word, then its patterns in order.

        The handler gets (parser, *context, block, match); a handler that fails records
        an UnparsedSection under the row's topic (`interfaces` for rows without one), and
        the next block is read: a bad statement costs that statement only.
        """
        for block in blocks:
            text = block.text
            rules = table.get(text.partition(" ")[0])
            if rules is None:
                continue
            for pattern, handler, topic in rules:
                m = pattern.match(text)
                if m is None:
                    continue
                try:
                    handler(self, *context, block, m)
                except Exception as exc:  # a parser bug or odd input must not stop the lint
                    # an exception message may quote a token: never one of a crypto line,
                    # and never more than a few words of another (a 5,000-digit mask)
                    detail = type(exc).__name__ if topic == "ipsec" \
                        else f"{type(exc).__name__}: {_short(str(exc))}"
                    self.unparsed(topic or "interfaces", block.line, text,
                                  f"could not parse ({detail})")
                break

    # ---------------------------------------------------------------- linking
    def finish(self) -> None:
        self.finish_copp()
        self.finish_ipsec()
        bgp.finish(self)
        tracking.finish(self.device)

    def finish_copp(self) -> None:
        """Build ControlPlanePolicies from policy-maps, class-maps and `control-plane`."""
        bound: dict[str, tuple[bool, int]] = {}
        for name, direction, line in self.cp_bindings:
            applied = direction == "input"
            if applied or name not in bound:
                bound[name] = (applied, line if applied else 0)
        for pmap in self.policy_maps.values():
            if pmap.name not in bound:
                # a CoPP policy that was never attached: keep it when it looks like one
                if pmap.kind is not None or pmap.name in self.qos_refs:
                    continue
                if not any(c.treatment in ("police", "drop") for c in pmap.classes):
                    continue
            applied, applied_line = bound.get(pmap.name, (False, 0))
            policy = ControlPlanePolicy(name=pmap.name, kind="copp", applied=applied,
                                        applied_line=applied_line, line=pmap.line,
                                        end_treatment="pass")
            for pclass in pmap.classes:
                policy.stages.extend(self.stages(pmap, pclass))
            self.device.control_plane.append(policy)

    def stages(self, pmap: _PolicyMap, pclass: _PolicyClass) -> list[ControlPlaneStage]:
        """Stages of one policy-map class: one per alternative of a match-any class-map."""
        for line, text, reason in pclass.problems:
            self.unparsed("control-plane", line, text, f"policy-map {pmap.name}: {reason}")

        def stage(match: PacketMatch | None = None, acl: str | None = None,
                  negate: bool = False) -> ControlPlaneStage:
            return ControlPlaneStage(name=pclass.name, treatment=pclass.treatment,
                                     match=match, acl=acl, negate_acl=negate,
                                     rate_bps=pclass.rate_bps, rate_pps=pclass.rate_pps,
                                     line=pclass.line)

        if pclass.name == "class-default":
            return [stage(PacketMatch())]
        cmap = self.class_maps.get(pclass.name)
        if cmap is None:
            self.unparsed("control-plane", pclass.line, f"class {pclass.name}",
                          f"policy-map {pmap.name}: class-map {pclass.name} is not defined")
            return []
        for line, text, reason in cmap.problems:
            self.unparsed("control-plane", line, text, f"class-map {cmap.name}: {reason}")
        if cmap.match_any:
            out = []
            for kind, arg, negate, _line in cmap.criteria:
                if kind == "acl":
                    out.append(stage(acl=arg, negate=negate))
                elif kind == "any" or (kind == "protocol" and arg == "ip"):
                    out.append(stage(PacketMatch()))
                elif kind == "protocol":
                    out.append(stage(PacketMatch(protocols={arg})))
            return out
        # match-all: every criterion must hold
        acls = [(arg, neg) for kind, arg, neg, _ in cmap.criteria if kind == "acl"]
        protocols = {arg for kind, arg, _, _ in cmap.criteria
                     if kind == "protocol" and arg != "ip"}
        if not cmap.criteria:
            self.unparsed("control-plane", cmap.line, f"class-map {cmap.name}",
                          "class-map without match statements")
            return []
        if len(protocols) > 1:
            return []  # a packet has one protocol: this class never matches
        if len(acls) > 1:
            self.unparsed("control-plane", cmap.line, f"class-map {cmap.name}",
                          "match-all of several ACLs: only the first is evaluated")
        match = PacketMatch(protocols=protocols or None) if protocols or not acls else None
        acl, negate = acls[0] if acls else (None, False)
        return [stage(match, acl, negate)]

    def finish_ipsec(self) -> None:
        """Attach proposals to peers and build IpsecTunnels from crypto maps / VTIs."""
        ipsec = self.device.ipsec
        v1_names = [p.name for p in ipsec.ike_proposals.values() if p.version == 1]
        v2_names = [n for n in self.ikev2_policy_proposals if n in ipsec.ike_proposals]
        if not v2_names:
            v2_names = [p.name for p in ipsec.ike_proposals.values() if p.version == 2]
        for profile in self.ike_profiles.values():
            for keyring in profile.keyrings:
                for peer_name in self.keyrings.get(keyring, []):
                    peer = ipsec.peers[peer_name]
                    if profile.remotes and not (peer.address and any(
                            peer.address in net for net in profile.remotes)):
                        continue  # the profile's `match identity` selects other peers
                    peer.local_identity = peer.local_identity or profile.local_identity
                    peer.remote_identity = peer.remote_identity or profile.remote_identity
                    if profile.dpd is not None:
                        peer.dpd = profile.dpd
            if profile.version == 2 and profile.lifetime_s is not None:
                for name in v2_names:
                    ipsec.ike_proposals[name].lifetime_s = profile.lifetime_s
        for peer in ipsec.peers.values():
            if not peer.ike_proposals:
                peer.ike_proposals = list(v2_names if peer.ike_version == 2 else v1_names)
            if peer.ike_version == 1:
                peer.ike_mode = peer.ike_mode or "main"  # IOS initiates main mode with a PSK
                if peer.dpd is None and self.isakmp_keepalive:
                    peer.dpd = True
        for entry in self.crypto_entries:
            iface = self.crypto_map_ifaces.get(entry.name.split(" ")[0])
            if entry.dynamic_map:
                for dyn in self.dynamic_maps.get(entry.dynamic_map, []):
                    self.tunnel(dyn, interface=iface)
            else:
                self.tunnel(entry, interface=iface)
        for if_name, profile_name, line in self.protections:
            sa_profile = self.ipsec_profiles.get(profile_name)
            if sa_profile is None:
                self.unparsed("ipsec", line, f"tunnel protection ipsec profile {profile_name}",
                              f"interface {if_name}: ipsec profile is not defined")
                sa_profile = _SaSettings(name=profile_name, line=line)
            tunnel_if = self.device.interfaces.get(if_name)
            destination = tunnel_if.tunnel_destination if tunnel_if else None
            settings = _SaSettings(**{**sa_profile.__dict__, "name": if_name, "line": line,
                                      "peers": [destination] if destination else []})
            self.tunnel(settings, interface=if_name, route_based=True)

    def _peers_by_address(self) -> dict[IPv4Address, list[IpsecPeer]]:
        """The peers per address, in config order (built once: a scan of every peer per
        crypto map entry made a hub with thousands of peers quadratic)."""
        index = self._peer_index
        if index is None:
            index = {}
            for peer in self.device.ipsec.peers.values():
                if peer.address is not None:
                    index.setdefault(peer.address, []).append(peer)
            self._peer_index = index
        return index

    def tunnel(self, sa: _SaSettings, interface: str | None,
               route_based: bool = False) -> None:
        """One IpsecTunnel (and its peer, created keyless when no key names it)."""
        ipsec = self.device.ipsec
        address = sa.peers[0] if sa.peers else None
        peer_name = None
        if address is not None:
            version = 2 if sa.ikev2_profile else 1
            by_address = self._peers_by_address()
            candidates = list(by_address.get(address, ()))
            candidates.sort(key=lambda p: p.ike_version != version)
            if candidates:
                peer_name = candidates[0].name
            else:
                peer_name = str(address)
                existed = peer_name in ipsec.peers
                peer = self.peer(peer_name, sa.line, address=address, ike_version=version,
                                 ike_proposals=[p.name for p in ipsec.ike_proposals.values()
                                                if p.version == version])
                if existed:  # an odd config: a peer named like this address had another
                    self._peer_index = None
                else:
                    by_address.setdefault(address, []).append(peer)
        selectors: list[tuple[IPv4Network, IPv4Network]] = []
        if sa.acl is not None:
            acl = self.device.filters.get(sa.acl)
            if acl is None:
                self.unparsed("ipsec", sa.line, f"match address {sa.acl}",
                              f"crypto map {sa.name}: ACL {sa.acl} is not defined")
            else:
                for entry in acl.entries:
                    if entry.action == "permit":
                        selectors.extend((src, dst) for src in entry.match.sources or [ANY]
                                         for dst in entry.match.destinations or [ANY])
        lifetime = sa.lifetime_s if sa.lifetime_s is not None else self.sa_lifetime
        ipsec.tunnels.append(IpsecTunnel(
            name=sa.name, peer=peer_name, peer_address=address,
            proposals=list(sa.transform_sets), pfs_group=sa.pfs_group, lifetime_s=lifetime,
            route_based=route_based, tunnel_interface=interface, selectors=selectors,
            selector_acl=sa.acl, line=sa.line))


# =========================================================================== handlers
# Top level: (parser, block, match). Child tables: (parser, context object, block, match).

def _hostname(p: _Parser, b: Block, m: re.Match[str]) -> None:
    p.device.hostname = m.group(1)


# ------------------------------------------------------------------ interfaces
def _interface(p: _Parser, b: Block, m: re.Match[str]) -> None:
    # `interface GigabitEthernet 1/1` (older Catalyst output) is GigabitEthernet1/1
    name = m.group(1) + (m.group(2) or "")
    iface = p.device.interfaces.get(name)
    if iface is None:
        iface = p.device.interfaces[name] = Interface(name=name, line=b.line)
    p.dispatch(_IFACE, b.children, iface)


def _if_address(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    length = _MASKLEN.get(m.group(2))
    if length is None:
        raise ValueError(f"not a contiguous mask: {m.group(2)}")
    iface.addresses.append(new_interface(_ip_int(m.group(1)), length))


def _if_address_unknown(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    p.unparsed("interfaces", b.line, b.text, "address not understood")


def _if_acl_in(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.inbound_filter = m.group(1)
    iface.inbound_filter_line = b.line


def _if_vlan(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.vlan = int(m.group(1))


def _if_description(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.description = m.group(1)


def _if_shutdown(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.shutdown = True


def _if_nat_outside(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.nat_outside = True


def _if_zone(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.zone = m.group(1)


def _if_tunnel_destination(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    iface.tunnel_destination = _address(m.group(1))


def _if_protection(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    p.protections.append((iface.name, m.group(1), b.line))


def _if_crypto_map(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    p.crypto_map_ifaces.setdefault(m.group(1), iface.name)
    iface.ipsec_map, iface.ipsec_map_line = m.group(1), b.line


def _if_service_policy(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    p.qos_refs.add(m.group(1))


def _if_bfd(p: _Parser, iface: Interface, b: Block, m: re.Match[str]) -> None:
    tracking.bfd_timers(p.device, iface.name, b)


# ------------------------------------------------------------------ failure detection
def _ip_sla(p: _Parser, b: Block, m: re.Match[str]) -> None:
    tracking.sla(p.device, b, m.group(1))


def _ip_sla_schedule(p: _Parser, b: Block, m: re.Match[str]) -> None:
    tracking.sla_schedule(p.device, b, m.group(1), m.group(2))


def _track(p: _Parser, b: Block, m: re.Match[str]) -> None:
    tracking.track(p.device, b, m.group(1), m.group(2))


# ------------------------------------------------------------------ static routes
_ROUTE_FLAGS = {"permanent", "global", "multicast", "unicast"}
_ROUTE_OPTIONS = {"name", "tag", "track"}
_DEFAULT_PREFERENCE = DRIVER.default_static_preference


def _ip_route(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`ip route [vrf V] P M {NH | IFACE [NH]} [AD] [name N] [tag T] [permanent|track N]`."""
    tokens = m.group(1).split()
    i, vrf = 0, None
    if tokens[0] == "vrf":
        vrf, i = tokens[1], 2
    if tokens[i] in ("static", "profile"):
        if tokens[i:i + 2] == ["static", "bfd"]:  # failure detection, not a route
            tracking.static_bfd(p.device, b, tokens[i + 2:])
        return  # `ip route profile`: not a route
    prefix = _prefix(tokens[i], tokens[i + 1])
    i += 2
    next_hop = interface = None
    token = tokens[i]
    if token == "dhcp":
        p.unparsed("routes", b.line, b.text, "next hop learned from DHCP")
        return
    if _is_ip(token):
        next_hop = _address(token)
        i += 1
    else:
        interface = token
        i += 1
        if i < len(tokens) and _is_ip(tokens[i]):
            next_hop = _address(tokens[i])
            i += 1
    # positional (prefix, next_hop, interface, preference, name, tag, vrf, discard, line):
    # keywords cost ~60 ns each, once per route of a config with 100k of them
    route = StaticRoute(prefix, next_hop, interface, _DEFAULT_PREFERENCE, None, None, vrf,
                        interface is not None and interface.lower().startswith("null"),
                        b.line)
    if i < len(tokens) and tokens[i].isdigit():
        route.preference = int(tokens[i])
        i += 1
    unknown = []
    count = len(tokens)
    while i < count:
        token = tokens[i]
        if token in _ROUTE_OPTIONS and i + 1 < count:
            if token == "name":
                route.name = tokens[i + 1]
            elif token == "tag":
                route.tag = int(tokens[i + 1])
            else:
                route.tracker = f"track {tokens[i + 1]}"
            i += 2
        elif token in _ROUTE_FLAGS:
            i += 1
        else:
            unknown.append(token)
            i += 1
    p.device.static_routes.append(route)
    if unknown:
        p.unparsed("routes", b.line, b.text, f"ignored: {' '.join(unknown)}")


# ------------------------------------------------------------------ ACLs
def _named_acl(p: _Parser, b: Block, m: re.Match[str]) -> None:
    acl = p.filter(m.group(2), b.line)
    standard = m.group(1).lower() == "standard"
    for child in b.children:
        try:
            p.ace(acl, child.text, child.line, standard)
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("filters", child.line, child.text, statement_failed(exc))


def _numbered_acl(p: _Parser, b: Block, m: re.Match[str]) -> None:
    standard = _is_standard_number(int(m.group(1)))
    if standard is None:
        return  # MAC / protocol-type ACLs
    rest = m.group(2)
    if rest.startswith("remark"):
        return
    acl = p.filter(m.group(1), b.line)
    p.ace(acl, rest, b.line, standard)


# ------------------------------------------------------------------ CoPP
def _class_map(p: _Parser, b: Block, m: re.Match[str]) -> None:
    kind, mode, name = m.group(1), m.group(2), m.group(3)
    cmap = _ClassMap(name=name, line=b.line, match_any=(mode or "").lower() == "match-any",
                     kind=kind.lower() if kind else None)
    p.class_maps[name] = cmap
    p.dispatch(_CLASS_MAP, b.children, cmap)


def _cm_acl(p: _Parser, cmap: _ClassMap, b: Block, m: re.Match[str]) -> None:
    cmap.criteria.append(("acl", m.group(2), bool(m.group(1)), b.line))


def _cm_protocol(p: _Parser, cmap: _ClassMap, b: Block, m: re.Match[str]) -> None:
    cmap.criteria.append(("protocol", m.group(1).lower(), False, b.line))


def _cm_any(p: _Parser, cmap: _ClassMap, b: Block, m: re.Match[str]) -> None:
    cmap.criteria.append(("any", "", False, b.line))


def _cm_other(p: _Parser, cmap: _ClassMap, b: Block, m: re.Match[str]) -> None:
    how = "may match more" if cmap.match_any else "treated as matching everything"
    cmap.problems.append((b.line, b.text, f"criterion not modelled ({how})"))


def _policy_map(p: _Parser, b: Block, m: re.Match[str]) -> None:
    kind = m.group(1).lower() if m.group(1) else None
    pmap = p.policy_maps[m.group(2)] = _PolicyMap(name=m.group(2), line=b.line, kind=kind)
    for head, lines in _grouped(b.children, "class "):
        name = head.text.split()[-1]
        pclass = _PolicyClass(name=name, line=head.line)
        pmap.classes.append(pclass)
        for i, line in enumerate(lines):
            word = line.text.partition(" ")[0]
            if word == "police":
                # action sub-lines (conform-action ...) follow the police line
                tokens = line.text.split()
                for follower in lines[i + 1:]:
                    if not follower.text.startswith(("conform", "exceed", "violate")):
                        break
                    tokens += follower.text.split()
                try:
                    pclass.treatment, pclass.rate_bps, pclass.rate_pps = _police(tokens)
                except (_Unsupported, ValueError, IndexError) as exc:
                    pclass.treatment = "police"
                    pclass.problems.append((line.line, line.text, f"policer not modelled: {exc}"))
            elif word == "drop":
                pclass.treatment = "drop"
            elif word == "service-policy":
                p.qos_refs.add(line.text.split()[-1])
                pclass.problems.append((line.line, line.text, "nested policy not evaluated"))


def _control_plane(p: _Parser, b: Block, m: re.Match[str]) -> None:
    sub = (m.group(1) or "").lower()
    if sub not in ("", "host"):
        return  # transit / cef-exception subinterfaces do not see pings to the router
    for child in b.children:
        try:
            words = child.text.split()
            if len(words) == 3 and words[0] == "service-policy" and words[1] in ("input", "output"):
                p.cp_bindings.append((words[2], words[1], child.line))
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("control-plane", child.line, child.text, statement_failed(exc))


# ------------------------------------------------------------------ IPsec: IKE
def _isakmp_policy(p: _Parser, b: Block, m: re.Match[str]) -> None:
    d = ISAKMP_DEFAULTS
    proposal = IkeProposal(name=m.group(1), encryption=[str(d["encryption"])],
                           integrity=[str(d["hash"])], dh_groups=[int(d["group"])],
                           lifetime_s=int(d["lifetime"]), version=1, line=b.line)
    for child in b.children:
        try:
            words = child.text.split()
            keyword, value = words[0], " ".join(words[1:])
            if keyword in ("encryption", "encr"):
                proposal.encryption = [REVERSE_ISAKMP_ENCRYPTION.get(value, value)]
            elif keyword == "hash":
                proposal.integrity = [REVERSE_ISAKMP_HASH.get(value, value)]
            elif keyword == "group":
                proposal.dh_groups = [int(value)]
            elif keyword == "lifetime":
                proposal.lifetime_s = int(value)
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))
    p.device.ipsec.ike_proposals[proposal.name] = proposal


def _key_type_cleartext(words: list[str]) -> bool:
    """[TYPE] KEY -> is it stored readable? Type 0 or none: yes; 6 / 7: no."""
    return not (len(words) >= 2 and words[0] in ("6", "7"))


def _isakmp_key(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`crypto isakmp key [0|6|7] KEY {address IP [MASK] | hostname H} [no-xauth]`."""
    words = m.group(1).split()
    where = next(i for i, w in enumerate(words) if i > 0 and w in ("address", "hostname"))
    cleartext = _key_type_cleartext(words[:where])
    target = words[where + 1]
    address: IPv4Address | None = None
    name = target
    if words[where] == "address" and _is_ip(target):
        mask = words[where + 2] if len(words) > where + 2 and _is_ip(words[where + 2]) else None
        if mask is None or mask == "255.255.255.255":
            address = _address(target)
        else:
            name = str(_prefix(target, mask))
    p.key_peer(name, address, b.line, cleartext, version=1)


def _isakmp_keepalive(p: _Parser, b: Block, m: re.Match[str]) -> None:
    p.isakmp_keepalive = True


def _keyring_v1(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`crypto keyring K` / ` pre-shared-key address IP [MASK] key [TYPE] KEY`."""
    names = p.keyrings.setdefault(m.group(1), [])
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] != "pre-shared-key" or "key" not in words[2:]:
                continue
            where = words.index("key", 2)
            cleartext = _key_type_cleartext(words[where + 1:])
            address = None
            if words[1] == "address" and _is_ip(words[2]):
                mask = words[3] if where > 3 else None
                if mask in (None, "255.255.255.255"):
                    address = _address(words[2])
                    name = words[2]
                else:
                    name = str(_prefix(words[2], mask))
            else:
                name = words[2]
            p.key_peer(name, address, child.line, cleartext, version=1)
            names.append(name)
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))


def _isakmp_profile(p: _Parser, b: Block, m: re.Match[str]) -> None:
    profile = p.ike_profiles[m.group(1)] = _IkeProfile(version=1)
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] == "keyring" and len(words) > 1:
                profile.keyrings.append(words[1])
            elif words[:3] == ["match", "identity", "address"] and len(words) > 3:
                mask = words[4] if len(words) > 4 and _is_ip(words[4]) else "255.255.255.255"
                profile.remotes.append(_prefix(words[3], mask))
            elif words[0] == "keepalive":
                profile.dpd = True
            elif words[0] == "self-identity" and len(words) > 1:
                profile.local_identity = " ".join(words[1:])
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))


def _ikev2_proposal(p: _Parser, b: Block, m: re.Match[str]) -> None:
    proposal = IkeProposal(name=m.group(1), version=2, line=b.line)
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] == "encryption":
                proposal.encryption = [REVERSE_IKEV2_ENCRYPTION.get(w, w) for w in words[1:]]
            elif words[0] == "integrity":
                proposal.integrity = [REVERSE_IKEV2_INTEGRITY.get(w, w) for w in words[1:]]
            elif words[0] == "group":
                proposal.dh_groups = [int(w) for w in words[1:]]
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))
    p.device.ipsec.ike_proposals[proposal.name] = proposal


def _ikev2_policy(p: _Parser, b: Block, m: re.Match[str]) -> None:
    p.device.ipsec.ike_policies.setdefault(m.group(1), b.line)
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] == "proposal":
                p.ikev2_policy_proposals.extend(w for w in words[1:]
                                                if w not in p.ikev2_policy_proposals)
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))


def _ikev2_keyring(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`crypto ikev2 keyring K` / ` peer N` / `  address IP` / `  pre-shared-key ...`."""
    keyring = m.group(1)
    names = p.keyrings.setdefault(keyring, [])
    for head, lines in _grouped(b.children, "peer "):
        name = head.text.split(maxsplit=1)[1]
        if name in p.device.ipsec.peers and name not in names:
            name = f"{keyring}:{name}"
        peer = p.peer(name, head.line, ike_version=2)
        names.append(name)
        for line in lines:
            words = line.text.split()
            if words[0] == "address" and len(words) > 1 and _is_ip(words[1]):
                mask = words[2] if len(words) > 2 else "255.255.255.255"
                if mask == "255.255.255.255":
                    peer.address = _address(words[1])
            elif words[0] == "pre-shared-key":
                rest = [w for w in words[1:] if w not in ("local", "remote")]
                p.key_peer(name, peer.address, line.line, _key_type_cleartext(rest), 2)
            elif words[0] == "identity" and len(words) > 1:
                peer.remote_identity = " ".join(words[1:])


def _ikev2_profile(p: _Parser, b: Block, m: re.Match[str]) -> None:
    profile = p.ike_profiles[m.group(1)] = _IkeProfile(version=2)
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] == "keyring" and len(words) > 2:
                profile.keyrings.append(words[-1])
            elif words[:4] == ["match", "identity", "remote", "address"] and len(words) > 4:
                mask = words[5] if len(words) > 5 and _is_ip(words[5]) else "255.255.255.255"
                profile.remotes.append(_prefix(words[4], mask))
                profile.remote_identity = profile.remote_identity or " ".join(words[3:])
            elif words[:2] == ["identity", "local"] and len(words) > 2:
                profile.local_identity = " ".join(words[2:])
            elif words[0] == "dpd":
                profile.dpd = True
            elif words[0] == "lifetime" and len(words) > 1:
                profile.lifetime_s = int(words[1])
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))


# ------------------------------------------------------------------ IPsec: SAs
_ESP_KEY_SIZES = {"128", "192", "256"}


def _transform_set(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`crypto ipsec transform-set NAME esp-aes 256 esp-sha-hmac` (+ ` mode tunnel`)."""
    words = m.group(2).split()
    proposal = IpsecProposal(name=m.group(1), line=b.line)
    protocols = set()
    for i, word in enumerate(words):
        if word in _ESP_KEY_SIZES:
            continue
        keyword = f"{word} {words[i + 1]}" if i + 1 < len(words) and \
            words[i + 1] in _ESP_KEY_SIZES else word
        if keyword in REVERSE_ESP_ENCRYPTION or word in ("esp-gcm", "esp-gmac", "esp-null",
                                                         "esp-seal"):
            proposal.encryption.append(REVERSE_ESP_ENCRYPTION.get(keyword, keyword))
            protocols.add("esp")
        elif word.startswith("esp-"):
            proposal.integrity.append(REVERSE_ESP_INTEGRITY.get(word, word))
            protocols.add("esp")
        elif word.startswith("ah-"):
            ah = "esp-" + word[3:]
            proposal.integrity.append(REVERSE_ESP_INTEGRITY.get(ah, word))
            protocols.add("ah")
    proposal.protocol = "+".join(sorted(protocols, reverse=True)) or "esp"
    for child in b.children:
        try:
            words = child.text.split()
            if words[0] == "mode" and len(words) > 1:
                proposal.mode = words[1]
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))
    p.device.ipsec.ipsec_proposals[proposal.name] = proposal


def _sa_settings(p: _Parser, sa: _SaSettings, children: list[Block]) -> None:
    """The `set ...` and `match address` lines shared by crypto maps and ipsec profiles."""
    for child in children:
        try:
            words = child.text.split()
            if words[0] == "match" and len(words) > 2 and words[1] == "address":
                sa.acl = words[2]
                continue
            if words[0] != "set" or len(words) < 3:
                continue
            what = words[1]
            if what == "peer" and _is_ip(words[2]):
                sa.peers.append(_address(words[2]))
            elif what == "transform-set":
                sa.transform_sets = words[2:]
            elif what == "pfs":
                sa.pfs_group = int(words[2].removeprefix("group"))
            elif what == "security-association" and words[2:4] == ["lifetime", "seconds"]:
                sa.lifetime_s = int(words[4])
            elif what == "ikev2-profile":
                sa.ikev2_profile = words[2]
            elif what == "isakmp-profile":
                sa.isakmp_profile = words[2]
        except Exception as exc:  # noqa: BLE001 - one statement, not the section
            p.unparsed("ipsec", child.line, child.text.partition(" ")[0],
                       statement_failed(exc))
    for child in children:
        if child.text.strip() == "set pfs":
            sa.pfs_group = PFS_DEFAULT_GROUP


def _ipsec_profile(p: _Parser, b: Block, m: re.Match[str]) -> None:
    sa = p.ipsec_profiles[m.group(1)] = _SaSettings(name=m.group(1), line=b.line)
    _sa_settings(p, sa, b.children)


def _sa_lifetime(p: _Parser, b: Block, m: re.Match[str]) -> None:
    p.sa_lifetime = int(m.group(1))


def _crypto_map(p: _Parser, b: Block, m: re.Match[str]) -> None:
    """`crypto map NAME SEQ [ipsec-isakmp] [dynamic DYN]` and its settings."""
    mode = (m.group(3) or "ipsec-isakmp").lower()
    if mode != "ipsec-isakmp":
        p.unparsed("ipsec", b.line, b.text, f"crypto map type {mode} not modelled")
        return
    sa = _SaSettings(name=f"{m.group(1)} {m.group(2)}", line=b.line, dynamic_map=m.group(4))
    _sa_settings(p, sa, b.children)
    p.crypto_entries.append(sa)


def _dynamic_map(p: _Parser, b: Block, m: re.Match[str]) -> None:
    sa = _SaSettings(name=f"{m.group(1)} {m.group(2)}", line=b.line)
    _sa_settings(p, sa, b.children)
    p.dynamic_maps.setdefault(m.group(1), []).append(sa)


# ------------------------------------------------------------------ BGP
# router bgp, ip prefix-list and route-map: vendors/cisco_ios/bgp.py (its own module)


# =========================================================================== tables
_TOP = _table(
    ("hostname", r"hostname (\S+)$", _hostname, None),
    ("interface", r"interface (\S+)(?: (\d[\d/.:]*)(?: |$))?", _interface, "interfaces"),
    ("ip", r"ip route (.+)$", _ip_route, "routes"),
    ("ip", r"ip sla (\d+)$", _ip_sla, "routes"),
    ("ip", r"ip sla schedule (\d+)(.*)$", _ip_sla_schedule, "routes"),
    ("track", r"track (\d+) (.+)$", _track, "routes"),
    ("ip", r"ip access-list (standard|extended) (\S+)$", _named_acl, "filters"),
    ("access-list", r"access-list (\d+) (.+)$", _numbered_acl, "filters"),
    ("class-map", r"class-map(?: type (\S+))?(?: (match-any|match-all))? (\S+)$",
     _class_map, "control-plane"),
    ("policy-map", r"policy-map(?: type (\S+))? (\S+)$", _policy_map, "control-plane"),
    ("control-plane", r"control-plane(?: (\S+))?$", _control_plane, "control-plane"),
    ("crypto", r"crypto isakmp policy (\d+)$", _isakmp_policy, "ipsec"),
    ("crypto", r"crypto isakmp key (.+)$", _isakmp_key, "ipsec"),
    ("crypto", r"crypto isakmp keepalive\b", _isakmp_keepalive, None),
    ("crypto", r"crypto isakmp profile (\S+)$", _isakmp_profile, "ipsec"),
    ("crypto", r"crypto keyring (\S+)", _keyring_v1, "ipsec"),
    ("crypto", r"crypto ikev2 proposal (\S+)$", _ikev2_proposal, "ipsec"),
    ("crypto", r"crypto ikev2 policy (\S+)$", _ikev2_policy, "ipsec"),
    ("crypto", r"crypto ikev2 keyring (\S+)$", _ikev2_keyring, "ipsec"),
    ("crypto", r"crypto ikev2 profile (\S+)$", _ikev2_profile, "ipsec"),
    ("crypto", r"crypto ipsec transform-set (\S+) (.+)$", _transform_set, "ipsec"),
    ("crypto", r"crypto ipsec profile (\S+)$", _ipsec_profile, "ipsec"),
    ("crypto", r"crypto ipsec security-association lifetime seconds (\d+)$", _sa_lifetime,
     "ipsec"),
    ("crypto", r"crypto map (\S+) (\d+)(?: (ipsec-isakmp|ipsec-manual|gdoi))?"
     r"(?: dynamic (\S+))?", _crypto_map, "ipsec"),
    ("crypto", r"crypto dynamic-map (\S+) (\d+)$", _dynamic_map, "ipsec"),
    ("router", r"router bgp (\S+)$", bgp.router_bgp, "bgp"),
    ("ip", r"ip prefix-list (\S+) ", bgp.prefix_list, "bgp"),
    ("route-map", r"route-map (\S+)", bgp.route_map, "bgp"),
)

_IFACE = _table(
    ("ip", rf"ip address ({_IP}) ({_IP})(?: secondary)?$", _if_address, "interfaces"),
    # an address with a mask that is not one (5,000 digits, `255.255.255.２52`)
    ("ip", rf"ip address {_IP} \S+(?: secondary)?$", _if_address_unknown, "interfaces"),
    ("ip", r"ip access-group (\S+) in$", _if_acl_in, "interfaces"),
    ("ip", r"ip nat outside$", _if_nat_outside, None),
    ("zone-member", r"zone-member security (\S+)$", _if_zone, None),
    ("encapsulation", r"encapsulation dot1q (\d+)", _if_vlan, "interfaces"),
    ("description", r"description (.*)$", _if_description, None),
    ("shutdown", r"shutdown$", _if_shutdown, None),
    ("tunnel", rf"tunnel destination ({_IP})$", _if_tunnel_destination, "interfaces"),
    ("tunnel", r"tunnel protection ipsec profile (\S+)", _if_protection, "ipsec"),
    ("crypto", r"crypto map (\S+)", _if_crypto_map, "ipsec"),
    ("service-policy", r"service-policy (?:type \S+ )?(?:input|output) (\S+)",
     _if_service_policy, None),
    ("bfd", r"bfd interval ", _if_bfd, None),
)

_CLASS_MAP = _table(
    ("match", r"match (not )?access-group (?:name )?(\S+)$", _cm_acl, "control-plane"),
    ("match", r"match protocol (\S+)$", _cm_protocol, "control-plane"),
    ("match", r"match any$", _cm_any, "control-plane"),
    ("match", r"match ", _cm_other, "control-plane"),
)


# =========================================================================== flat configs
_SECTION_HEADS = ("interface ", "ip access-list ", "class-map ", "policy-map ", "control-plane",
                  "route-map ",
                  "crypto isakmp policy", "crypto isakmp profile", "crypto keyring",
                  "crypto ikev2 ", "crypto ipsec transform-set", "crypto ipsec profile",
                  "crypto map ", "crypto dynamic-map", "router ", "ip sla ", "track ")
_TOP_ONLY = ("ip route ", "access-list ", "hostname ", "end", "version ", "crypto ",
             "ip prefix-list ", "route-map ",
             "ip access-list ", "interface ", "router ", "line ", "banner ")


def _regroup_flat(roots: list[Block]) -> list[Block]:
    """Rebuild sections of a config printed without indentation.

    A section head (`interface`, `ip access-list`, `policy-map`, ...) takes the lines
    that follow it directly; a `!` or blank line, or a command that only exists at top
    level, ends it.
    """
    out: list[Block] = []
    head: Block | None = None
    previous = 0
    for block in roots:
        if block.text.startswith(_SECTION_HEADS):
            head = block
            out.append(block)
        elif head is not None and block.line == previous + 1 \
                and not block.text.startswith(_TOP_ONLY):
            head.children.append(block)
        else:
            head = None
            out.append(block)
        previous = block.line
    return out


def _has_handler(text: str) -> bool:
    """Does a top-level line head a section `_TOP` reads? (Others' lines are skipped.)"""
    return text.partition(" ")[0] in _TOP


def _sections(reader: BlockReader) -> Iterator[Block]:
    """Top-level blocks in file order, each as soon as it is complete.

    A flat config (no line indented under another) is regrouped first, which needs all
    of its blocks: they are held back until a nested line shows the config is not flat.
    """
    held: list[Block] = []
    for block in reader:
        if not reader.nested:
            held.append(block)
            continue
        if held:
            yield from held
            held = []
        yield block
    if held:
        yield from _regroup_flat(held)


def parse(text: str, path: str = "") -> Device:
    """Parse a Cisco IOS / IOS-XE running config. Never raises on bad input.

    Sections are parsed as they are read, so the tree of the whole file never exists.
    The cyclic garbage collector is paused while parsing: the device model is hundreds
    of thousands of long-lived objects, and repeated full collections over them cost
    more than the parse itself on big configs (nothing here creates cycles).
    """
    parser = _Parser(text, path)
    try:
        with gc_paused():
            return partial_on_error(parser.device, lambda: parser.run(
                _sections(BlockReader(text, wanted=_has_handler))))
    finally:
        _one_item_set.cache_clear()
        _ADDRESSES.clear()
        _HOST_LISTS.clear()
        clear_caches()
