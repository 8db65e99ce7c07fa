"""Site model -> the BGP part of the render plan (#10): eBGP with each line's VBR.

Every decision is made here; the templates only spell it. Per line (docs/cloud.md#vbr-bgp,
docs/vendor-commands.md#bgp):

- one neighbor, the line's `vbr_ip`, with its description, timers, BFD and MD5 password;
- an import policy that refuses the other lines' health-check /32s first (each probe's
  reply must leave by its own line), admits the line's own health-check /32, then the
  `accept` prefixes (exact, or up to a length), and refuses everything else;
- an export policy that admits exactly the `advertise` prefixes and refuses the rest;
- ECMP: multipath over the sessions (as many paths as lines); active-standby: the line
  order as preference, local-preference on import and AS-path prepends on export of the
  standby lines.

Passwords are resolved here (generator.secrets), or replaced by a placeholder naming
their source with key_placeholder=True, exactly like IPsec pre-shared keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any

from idcgen.generator import names
from idcgen.generator.secrets import Secret, placeholder, resolve_key
from idcgen.sitemodel.bgp import BfdSettings, BgpTimers, effective_bgp, uses_bgp


@dataclass(frozen=True)
class PrefixEntry:
    """One prefix-list / ip-prefix / route-filter entry, in policy order.

    `longest` is None for an exact match, else the longest length admitted (`le`,
    `less-equal`, `upto` / `orlonger`)."""

    action: str  # "permit" | "deny"
    prefix: IPv4Network
    longest: int | None
    sequence: int
    purpose: str  # "health-check-other" | "health-check" | "accept" | "advertise"

    @property
    def orlonger(self) -> bool:
        return self.longest == 32


@dataclass(frozen=True)
class NeighborPlan:
    """One eBGP session to a VBR."""

    line: str  # LINE-A
    interface: str  # where a per-interface BFD setting goes (Cisco), unit included
    peer_ip: IPv4Address
    local_ip: IPv4Interface
    peer_asn: int
    description: str
    password: Secret | None
    bfd: BfdSettings | None
    timers: BgpTimers | None
    import_name: str  # prefix-list / route-policy / policy-statement name, inbound
    export_name: str
    import_entries: tuple[PrefixEntry, ...]
    export_entries: tuple[PrefixEntry, ...]
    local_preference: int | None
    prepend: int  # how many times the local ASN is prepended on export

    @property
    def rejects(self) -> tuple[PrefixEntry, ...]:
        return tuple(e for e in self.import_entries if e.action == "deny")

    @property
    def admits(self) -> tuple[PrefixEntry, ...]:
        return tuple(e for e in self.import_entries if e.action == "permit")


@dataclass(frozen=True)
class BgpPlan:
    local_asn: int
    neighbors: tuple[NeighborPlan, ...]
    multipath: int  # paths to install (ECMP), 0 = no multipath
    advertise: tuple[IPv4Network, ...]  # every prefix any neighbor exports (`network`)
    holds_secret: bool
    key_placeholder: bool

    @property
    def peers(self) -> tuple[IPv4Address, ...]:
        return tuple(n.peer_ip for n in self.neighbors)


SEQUENCE_STEP = 5


def _entries(raw: list[tuple[str, IPv4Network, int | None, str]]) -> tuple[PrefixEntry, ...]:
    return tuple(PrefixEntry(action, prefix, longest, (i + 1) * SEQUENCE_STEP, purpose)
                 for i, (action, prefix, longest, purpose) in enumerate(raw))


def _password(source: Any, vendor: str, where: str) -> Secret:
    from idcgen.errors import InputError
    from idcgen.vendors import get_driver

    secret = resolve_key(source, vendor, what=where, kind="BGP MD5 password")
    problem = get_driver(vendor).bgp_password_problem(secret.reveal())
    if problem:
        raise InputError(f"{where} (from {source.describe()}): {problem}; choose another "
                         "password on both sides")
    return secret


def plan_bgp(site: Any, vendor: str, interfaces: dict[int, str], *,
             key_placeholder: bool = False) -> BgpPlan | None:
    """The BGP plan of `site`, or None for static routing. `interfaces` maps a line index
    to its interface name on `vendor` (unit / sub-interface included)."""
    if not uses_bgp(site):
        return None
    neighbors: list[NeighborPlan] = []
    secrets: dict[Any, Secret] = {}
    advertise: dict[IPv4Network, None] = {}
    for i, line in enumerate(site.lines):
        eff = effective_bgp(site, i)
        if eff is None:  # validation keeps every line on one routing
            continue
        password = None
        if eff.password is not None:
            if eff.password not in secrets:
                where = (f"lines[{i}].bgp.password" if line.bgp and line.bgp.password
                         else "bgp.password")
                secrets[eff.password] = (placeholder(eff.password) if key_placeholder
                                         else _password(eff.password, vendor, where))
            password = secrets[eff.password]
        label = names.line_label(line.name)
        imports: list[tuple[str, IPv4Network, int | None, str]] = [
            ("deny", hc, None, "health-check-other") for hc in eff.other_health_checks]
        imports.append(("permit", eff.own_health_check, None, "health-check"))
        imports += [("permit", a.cidr, None if a.exact else a.longest, "accept")
                    for a in eff.accept]
        exports: list[tuple[str, IPv4Network, int | None, str]] = [
            ("permit", net, None, "advertise") for net in eff.advertise]
        advertise.update(dict.fromkeys(eff.advertise))
        neighbors.append(NeighborPlan(
            line=label, interface=interfaces[i], peer_ip=eff.peer_ip, local_ip=line.local_ip,
            peer_asn=eff.peer_asn,
            description=names.fit(f"ALIYUN {label} VBR {eff.peer_ip} AS {eff.peer_asn}"),
            password=password, bfd=eff.bfd, timers=eff.timers,
            import_name=f"ALIYUN-{label}-IN", export_name=f"ALIYUN-{label}-OUT",
            import_entries=_entries(imports), export_entries=_entries(exports),
            local_preference=eff.local_preference, prepend=eff.prepend))
    if not neighbors:
        return None
    multipath = len(neighbors) if site.redundancy == "ecmp" and len(neighbors) > 1 else 0
    return BgpPlan(local_asn=site.bgp.local_asn, neighbors=tuple(neighbors), multipath=multipath,
                   advertise=tuple(advertise),
                   holds_secret=bool(secrets) and not key_placeholder,
                   key_placeholder=key_placeholder)


__all__ = ["BgpPlan", "NeighborPlan", "PrefixEntry", "plan_bgp"]
