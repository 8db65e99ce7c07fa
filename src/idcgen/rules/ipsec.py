"""IDC401-IDC405: IKE / IPsec toward the Alibaba Cloud VPN Gateway (docs/cloud.md#ipsec-parameters).

Only what is actually used is judged: the IPsec proposals of configured tunnels (crypto
map entries, IPsec profiles/policies, Junos VPNs) and the IKE proposals their peers can
negotiate (a peer that names none, like Cisco's global isakmp policies, can use all of
its IKE version's). Algorithm names in the Device are Alibaba's (aes, aes192, aes256,
des, 3des; md5, sha1, sha256, sha384, sha512); common vendor spellings are mapped too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from ipaddress import IPv4Address, IPv4Network, collapse_addresses
from typing import TYPE_CHECKING, Any

from idcgen.cloud import (  # what the Alibaba Cloud VPN Gateway offers
    DH_GROUPS,
    ENCRYPTIONS,
    INTEGRITIES,
    WEAK_DH_GROUPS,
    WEAK_ENCRYPTIONS,
    WEAK_INTEGRITIES,
)
from idcgen.devicemodel import IkeProposal, IpsecPeer, IpsecProposal, IpsecTunnel
from idcgen.links import tunnel_peer_address
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import Context, fmt_nets
from idcgen.vendors.algorithms import norm_encryption, norm_integrity

if TYPE_CHECKING:
    from idcgen.sitemodel.ipsec import IpsecConnection

# --------------------------------------------------------------------------- what is used
def tunnel_peer(ctx: Context, tunnel: IpsecTunnel) -> IpsecPeer | None:
    peers = ctx.device.ipsec.peers
    if tunnel.peer and tunnel.peer in peers:
        return peers[tunnel.peer]
    if tunnel.peer_address is not None:
        return _peers_by_address(ctx).get(int(tunnel.peer_address))
    return None


def _peers_by_address(ctx: Context) -> dict[int, IpsecPeer]:
    """The first peer (in config order) per address: one dict instead of a scan of every
    peer per tunnel."""
    found: dict[int, IpsecPeer] | None = ctx.memo.get("ipsec.peers_by_address")
    if found is None:
        found = ctx.memo["ipsec.peers_by_address"] = {}
        for peer in ctx.device.ipsec.peers.values():
            if peer.address is not None:
                found.setdefault(int(peer.address), peer)
    return found


def tunnel_address(ctx: Context, tunnel: IpsecTunnel) -> IPv4Address | None:
    return tunnel_peer_address(ctx.device, tunnel)


def ike_candidates(ctx: Context, tunnel: IpsecTunnel) -> list[IkeProposal]:
    """The IKE proposals a tunnel's peer can negotiate."""
    cfg = ctx.device.ipsec
    peer = tunnel_peer(ctx, tunnel)
    if peer is not None and peer.ike_proposals:
        return [cfg.ike_proposals[n] for n in peer.ike_proposals if n in cfg.ike_proposals]
    version = peer.ike_version if peer is not None else None
    # Computed once per IKE version (the same list object each time: callers must not
    # modify it, and may skip a list they have already judged)
    by_version: dict[int | None, list[IkeProposal]] = ctx.memo.setdefault(
        "ipsec.ike_by_version", {})
    if version not in by_version:
        by_version[version] = [p for p in cfg.ike_proposals.values()
                               if version is None or p.version is None or p.version == version]
    return by_version[version]


def _is_shared(ctx: Context, candidates: list[IkeProposal]) -> bool:
    """Is this one of ike_candidates' per-version lists (not a per-peer one)?"""
    return any(candidates is shared
               for shared in ctx.memo.get("ipsec.ike_by_version", {}).values())


def ipsec_candidates(ctx: Context, tunnel: IpsecTunnel) -> list[IpsecProposal]:
    cfg = ctx.device.ipsec
    return [cfg.ipsec_proposals[n] for n in tunnel.proposals if n in cfg.ipsec_proposals]


def cloud_tunnels(ctx: Context) -> list[IpsecTunnel]:
    """Tunnels toward a cloud-facing link (with inferred links: every tunnel)."""
    peers = {link.peer_ip for link in ctx.links if link.kind == "ipsec"}
    ifaces = {link.interface for link in ctx.links if link.kind == "ipsec"}
    return [t for t in ctx.device.ipsec.tunnels
            if tunnel_address(ctx, t) in peers or (t.tunnel_interface and
                                                     t.tunnel_interface in ifaces)]


# --------------------------------------------------------------------------- rules
# IDC401/402 judge the device's own IPsec hygiene, whoever the peer is: they run even
# when no cloud-facing link is known.
@rule("IDC401", "ipsec-weak-algorithm", "warning",
      "IKE/IPsec uses DES, 3DES, MD5 or DH group 1, 2 or 5", topics=("ipsec",),
      needs_links=False)
def ipsec_weak_algorithm(ctx: Context) -> Iterator[Hit]:
    """IKE/IPsec uses DES, 3DES, MD5 or DH group 1, 2 or 5.

    What: an IKE proposal a configured tunnel can negotiate, an IPsec proposal (transform
    set) a tunnel uses, or a tunnel's PFS group includes a weak choice. Alibaba still
    offers them (its old API defaults are md5 and group2), so this is a warning.

    Why: DES and 3DES (64-bit blocks), MD5 and the 768/1024/1536-bit DH groups are broken
    or too weak; newer Huawei images ship them only in the WEAKEA package, so they can
    also disappear on upgrade. Change both sides together (the site model mirrors Alibaba).

    Fix: AES (aes/aes192/aes256), SHA-256 and group 14 on both sides, e.g.
        Cisco IOS-XE:  crypto ikev2 proposal PROP-ALIYUN
                        encryption aes-cbc-256
                        integrity sha256
                        group 14
                       crypto ipsec transform-set TS-ALIYUN esp-aes 256 esp-sha256-hmac
        Huawei VRP:    ike proposal 10
                        encryption-algorithm aes-256
                        authentication-algorithm sha2-256
                        dh group14
                       ipsec proposal P-ALIYUN
                        esp encryption-algorithm aes-256
                        esp authentication-algorithm sha2-256
        Juniper Junos: set security ike proposal P1 encryption-algorithm aes-256-cbc
                       set security ike proposal P1 authentication-algorithm sha-256
                       set security ike proposal P1 dh-group group14
                       set security ipsec policy P2 perfect-forward-secrecy keys group14
    """
    ike: dict[str, IkeProposal] = {}
    esp: dict[str, IpsecProposal] = {}
    shared: set[int] = set()  # shared candidate lists already merged (see ike_candidates)
    for tunnel in ctx.device.ipsec.tunnels:
        candidates = ike_candidates(ctx, tunnel)
        if id(candidates) not in shared:
            ike.update({p.name: p for p in candidates})
            if _is_shared(ctx, candidates):
                shared.add(id(candidates))
        esp.update({p.name: p for p in ipsec_candidates(ctx, tunnel)})
        if tunnel.pfs_group in WEAK_DH_GROUPS:
            yield Hit(tunnel.line, f"IPsec {tunnel.name} uses PFS DH group {tunnel.pfs_group}")
    for proposal in ike.values():
        weak = _weak(proposal.encryption, proposal.integrity, proposal.dh_groups)
        if weak:
            yield Hit(proposal.line, f"IKE proposal {proposal.name} uses {weak}")
    for sa_proposal in esp.values():
        weak = _weak(sa_proposal.encryption, sa_proposal.integrity, [])
        if weak:
            yield Hit(sa_proposal.line, f"IPsec proposal {sa_proposal.name} uses {weak}")


def _weak(encryption: list[str], integrity: list[str], groups: list[int]) -> str:
    found = [e for e in encryption if norm_encryption(e) in WEAK_ENCRYPTIONS]
    found += [i for i in integrity if norm_integrity(i) in WEAK_INTEGRITIES]
    found += [f"DH group {g}" for g in groups if g in WEAK_DH_GROUPS]
    return ", ".join(dict.fromkeys(found))


@rule("IDC402", "ipsec-cleartext-key", "warning",
      "a pre-shared key is stored in clear text in the config (the message never shows it)",
      topics=("ipsec",), needs_links=False)
def ipsec_cleartext_key(ctx: Context) -> Iterator[Hit]:
    """A pre-shared key is stored in clear text in the config.

    What: an IKE pre-shared key kept readable in the running config: Cisco `crypto isakmp
    key 0 ...` / `pre-shared-key 0 ...` (or without a type) when no `password encryption
    aes` is active, Huawei `pre-shared-key simple ...`. The finding names the line; it
    never shows the key.

    Why: configs travel (backups, tickets, git, this linter's CI logs); anyone who reads
    one can impersonate the data center to the VPN gateway.

    Fix: store the key encrypted, then rotate it on both sides if the config has leaked:
        Cisco IOS-XE:  key config-key password-encrypt <master-key>
                       password encryption aes        (keys become type 6)
        Huawei VRP:    ike peer ALIYUN-T1
                        pre-shared-key cipher <key>
        Juniper Junos: keys are always stored as $9$ (or $8$ with system master-password)
    """
    for peer in ctx.device.ipsec.peers.values():
        if peer.psk_cleartext:
            line = peer.psk_line or peer.line
            yield Hit(line, f"the pre-shared key of IKE peer {peer.name} is stored in clear "
                            f"text at line {line}")


@rule("IDC403", "ipsec-parameter-mismatch", "error",
      "(site) IKE/IPsec parameters differ from the site model (which mirrors the cloud side)",
      needs_site=True, topics=("ipsec",))
def ipsec_parameter_mismatch(ctx: Context) -> Iterator[Hit]:
    """IKE/IPsec parameters differ from the site model.

    What: for each IPsec connection of the site model and each of its VPN-gateway
    addresses, the device must have a tunnel toward that address whose peer negotiates the
    model's IKE version and mode, and offers a proposal with the model's encryption,
    integrity and DH group; whose IPsec proposal offers the model's encryption and
    integrity; with the model's PFS group (or none when `pfs: disabled`) and, where the
    device states them, the model's lifetimes.

    Why: the site model mirrors the Alibaba side, and every one of these must match or
    phase 1 / phase 2 fails (Alibaba's FAQ lists exactly these causes); a missing tunnel
    to the second gateway address leaves the standby tunnel down.

    Fix: render the connection with `idcgen render` and apply the IKE/IPsec part, or
    correct the site model if the Alibaba side is what changed, e.g. for PFS group 14:
        Cisco IOS-XE:  crypto ipsec profile IPSEC-ALIYUN
                        set pfs group14
        Huawei VRP:    ipsec profile PF-ALIYUN-T1
                        pfs dh-group14
        Juniper Junos: set security ipsec policy IPSEC-ALIYUN perfect-forward-secrecy
                        keys group14
    """
    assert ctx.site is not None
    for conn in ctx.site.ipsec:
        for number, gateway in enumerate(conn.gateways, start=1):
            tunnels = [t for t in ctx.device.ipsec.tunnels if tunnel_address(ctx, t) == gateway]
            if not tunnels:
                yield Hit(0, f"IPsec connection {conn.name}: no IPsec tunnel toward VPN "
                             f"gateway {gateway} (tunnel {number})")
                continue
            for tunnel in tunnels:
                for line, problem in _mismatches(ctx, conn, tunnel):
                    yield Hit(line, f"IPsec connection {conn.name}, tunnel {tunnel.name} "
                                    f"toward {gateway}: {problem}")


def _mismatches(ctx: Context, conn: IpsecConnection, tunnel: IpsecTunnel
                ) -> Iterator[tuple[int, str]]:
    peer = tunnel_peer(ctx, tunnel)
    want_version = 1 if conn.ike.version == "ikev1" else 2
    if peer is not None and peer.ike_version is not None and peer.ike_version != want_version:
        yield peer.line, f"IKE version is v{peer.ike_version}, the model says {conn.ike.version}"
    if peer is not None and want_version == 1 and peer.ike_mode is not None \
            and peer.ike_mode != conn.ike.mode:
        yield peer.line, f"IKE mode is {peer.ike_mode}, the model says {conn.ike.mode}"
    ike = ike_candidates(ctx, tunnel)
    if ike and not any(_ike_matches(p, conn) for p in ike):
        yield (ike[0].line, f"no IKE proposal offers {conn.ike.encryption}/"
                            f"{conn.ike.integrity}/DH group {conn.ike.dh_group} (found "
                            f"{'; '.join(_describe_ike(p) for p in ike)})")
    else:
        for p in ike:
            if _ike_matches(p, conn) and p.lifetime_s is not None \
                    and p.lifetime_s != conn.ike.lifetime:
                yield (p.line, f"IKE lifetime is {p.lifetime_s} s, the model says "
                               f"{conn.ike.lifetime} s")
                break
    esp = ipsec_candidates(ctx, tunnel)
    if esp and not any(_esp_matches(p, conn) for p in esp):
        yield (esp[0].line, f"no IPsec proposal offers {conn.ipsec.encryption}/"
                            f"{conn.ipsec.integrity} (found "
                            f"{'; '.join(_describe_esp(p) for p in esp)})")
    want_pfs = None if conn.ipsec.pfs == "disabled" else conn.ipsec.pfs
    if tunnel.pfs_group != want_pfs:
        have = f"group {tunnel.pfs_group}" if tunnel.pfs_group else "off"
        want = f"group {want_pfs}" if want_pfs else "disabled"
        yield tunnel.line, f"PFS is {have}, the model says {want}"
    if tunnel.lifetime_s is not None and tunnel.lifetime_s != conn.ipsec.lifetime:
        yield (tunnel.line, f"IPsec lifetime is {tunnel.lifetime_s} s, the model says "
                            f"{conn.ipsec.lifetime} s")


def _ike_matches(p: IkeProposal, conn: IpsecConnection) -> bool:
    return (conn.ike.encryption in {norm_encryption(e) for e in p.encryption}
            and conn.ike.integrity in {norm_integrity(i) for i in p.integrity}
            and conn.ike.dh_group in p.dh_groups)


def _esp_matches(p: IpsecProposal, conn: IpsecConnection) -> bool:
    return (conn.ipsec.encryption in {norm_encryption(e) for e in p.encryption}
            and conn.ipsec.integrity in {norm_integrity(i) for i in p.integrity})


def _describe_ike(p: IkeProposal) -> str:
    groups = ",".join(str(g) for g in p.dh_groups) or "?"
    return (f"{p.name}: {','.join(p.encryption) or '?'}/{','.join(p.integrity) or '?'}/"
            f"DH group {groups}")


def _describe_esp(p: IpsecProposal) -> str:
    return f"{p.name}: {','.join(p.encryption) or '?'}/{','.join(p.integrity) or '?'}"


@rule("IDC404", "ipsec-unsupported-by-cloud", "error",
      "an algorithm, group or mode that the Alibaba Cloud VPN Gateway does not offer",
      topics=("ipsec",))
def ipsec_unsupported_by_cloud(ctx: Context) -> Iterator[Hit]:
    """An algorithm, group or mode that the Alibaba Cloud VPN Gateway does not offer.

    What: for each tunnel toward a cloud-facing link, negotiation needs at least one IKE
    proposal and one IPsec proposal entirely within what Alibaba offers:
    - encryption aes, aes192, aes256, des, 3des (no AES-GCM, no AES-CTR);
    - integrity md5, sha1, sha256, sha384, sha512;
    - DH / PFS groups 1, 2, 5, 14 (no 15, 16, 19, 20, 21, 24...);
    - ESP in tunnel mode (no AH, no transport mode); IKE main or aggressive mode.
    When a peer can choose among several proposals, one acceptable proposal is enough;
    the rule fires on the proposals only when none is acceptable (and always on an
    unsupported PFS group, protocol or mode of the tunnel itself).

    Why: the gateway simply refuses the proposal: phase 1 or phase 2 never comes up.

    Fix: use the values of the site model (`idcgen render`), e.g. group 14 instead of 19:
        Cisco IOS-XE:  crypto ikev2 proposal PROP-ALIYUN
                        encryption aes-cbc-256
                        group 14
        Huawei VRP:    ike proposal 10
                        encryption-algorithm aes-256
                        dh group14
        Juniper Junos: set security ike proposal P1 encryption-algorithm aes-256-cbc
                       set security ike proposal P1 dh-group group14
    """
    reported: set[tuple[str, str]] = set()
    judged: set[int] = set()  # shared IKE candidate lists already judged
    for tunnel in cloud_tunnels(ctx):
        peer = tunnel_peer(ctx, tunnel)
        if peer is not None and peer.ike_mode not in (None, "main", "aggressive"):
            yield Hit(peer.line, f"IKE peer {peer.name} uses {peer.ike_mode} mode; Alibaba "
                                 f"offers main and aggressive")
        if tunnel.pfs_group is not None and tunnel.pfs_group not in DH_GROUPS:
            yield Hit(tunnel.line, f"IPsec {tunnel.name} uses PFS DH group {tunnel.pfs_group}; "
                                   f"Alibaba offers groups {_groups()}")
        candidates = ike_candidates(ctx, tunnel)
        if id(candidates) not in judged:  # judging a list again reports nothing new
            if _is_shared(ctx, candidates):
                judged.add(id(candidates))
            yield from _unsupported_proposals(
                "ike", "IKE proposal {name} offers {problems}", candidates,
                _ike_problems, reported)
        yield from _unsupported_proposals(
            "esp", "IPsec proposal {name} uses {problems}", ipsec_candidates(ctx, tunnel),
            _esp_problems, reported)


def _unsupported_proposals(kind: str, template: str, proposals: list,
                           problems_of: Callable[[Any], str],
                           reported: set[tuple[str, str]]) -> Iterator[Hit]:
    """Each proposal of a tunnel whose every proposal has something Alibaba does not offer
    (one acceptable proposal is enough to negotiate), once per proposal name."""
    if not proposals or any(not problems_of(p) for p in proposals):
        return
    for p in proposals:
        if (kind, p.name) not in reported:
            reported.add((kind, p.name))
            yield Hit(p.line, template.format(name=p.name, problems=problems_of(p))
                      + ", which the Alibaba Cloud VPN Gateway does not offer")


def _groups() -> str:
    return ", ".join(map(str, DH_GROUPS))


def _only_unsupported(values: list[str], norm, allowed: tuple[str, ...]) -> list[str]:
    """The values, when none of them is allowed (one allowed choice is enough)."""
    if not values or any(norm(v) in allowed for v in values):
        return []
    return values


def _ike_problems(p: IkeProposal) -> str:
    bad = _only_unsupported(p.encryption, norm_encryption, ENCRYPTIONS)
    bad += _only_unsupported(p.integrity, norm_integrity, INTEGRITIES)
    if p.dh_groups and not any(g in DH_GROUPS for g in p.dh_groups):
        bad += [f"DH group {g}" for g in p.dh_groups]
    return ", ".join(bad)


def _esp_problems(p: IpsecProposal) -> str:
    bad = _only_unsupported(p.encryption, norm_encryption, ENCRYPTIONS)
    bad += _only_unsupported(p.integrity, norm_integrity, INTEGRITIES)
    if p.protocol.lower() != "esp":
        bad.append(f"protocol {p.protocol}")
    if p.mode.lower() != "tunnel":
        bad.append(f"{p.mode} mode")
    return ", ".join(bad)


@rule("IDC405", "ipsec-selector-mismatch", "error",
      "(site) policy-based selectors differ from the site's local/remote networks",
      needs_site=True, topics=("ipsec", "filters"))
def ipsec_selector_mismatch(ctx: Context) -> Iterator[Hit]:
    """Policy-based selectors differ from the site's local/remote networks.

    What: for a connection in policy-based mode (Alibaba "Protected Data Flows"), the
    device tunnel toward the gateway must select exactly the connection's networks: local
    = `local_networks` (Alibaba's "remote network"), remote = `cloud_networks` plus
    `extra_destinations` (Alibaba's "local network"). A route-based device tunnel without
    proxy identities proposes 0.0.0.0/0 and does not match either.

    Why: Alibaba checks the phase-2 selectors against the connection's networks; a
    mismatch fails phase 2 (the most common IPsec failure in Alibaba's FAQ), and a missing
    network is simply not encrypted.

    Where a security policy binds the tunnel (a classic policy-based VPN), the policy's
    source and destination addresses are the selectors; the finding is then at the
    policy.

    Fix: make the crypto ACL / security ACL / proxy identity (or the tunnelling policy's
    addresses) list exactly those networks:
        Cisco IOS-XE:  ip access-list extended ACL-ALIYUN
                        permit ip 10.10.10.0 0.0.0.255 192.168.0.0 0.0.255.255
        Huawei VRP:    acl number 3101
                        rule 5 permit ip source 10.10.10.0 0.0.0.255 destination
                        192.168.0.0 0.0.255.255
        Juniper Junos: set security ipsec vpn VPN-ALIYUN ike proxy-identity local
                        10.10.10.0/24 remote 192.168.0.0/16
                       (bound by policy: set security address-book global address-set
                        LAN-TO-ALIYUN address LAN-SERVERS)
    """
    assert ctx.site is not None
    for conn in ctx.site.ipsec:
        if conn.routing.mode != "policy-based":
            continue
        want_local = list(collapse_addresses(conn.local_networks))
        want_remote = list(collapse_addresses(conn.remote_networks))
        for gateway in conn.gateways:
            for tunnel in ctx.device.ipsec.tunnels:
                if tunnel_address(ctx, tunnel) != gateway:
                    continue
                if not tunnel.selectors:
                    if tunnel.route_based:
                        yield Hit(tunnel.line, f"IPsec {tunnel.name} toward {gateway} is "
                                               f"route-based and proposes 0.0.0.0/0 selectors, "
                                               f"but connection {conn.name} is policy-based "
                                               f"({fmt_nets(want_local)} to "
                                               f"{fmt_nets(want_remote)})")
                    continue
                have_local = list(collapse_addresses(loc for loc, _ in tunnel.selectors))
                have_remote = list(collapse_addresses(rem for _, rem in tunnel.selectors))
                diff = _diff("local", have_local, want_local) + \
                    _diff("remote", have_remote, want_remote)
                if diff:
                    yield Hit(tunnel.selector_line or tunnel.line,
                              f"IPsec {tunnel.name} toward {gateway} selects "
                              f"{fmt_nets(have_local)} to {fmt_nets(have_remote)}; "
                              f"connection {conn.name} needs "
                              f"{fmt_nets(want_local)} to {fmt_nets(want_remote)} "
                              f"({'; '.join(diff)})")


def _diff(side: str, have: list[IPv4Network], want: list[IPv4Network]) -> list[str]:
    missing = [n for n in want if n not in have]
    extra = [n for n in have if n not in want]
    out = []
    if missing:
        out.append(f"{side} missing {fmt_nets(missing)}")
    if extra:
        out.append(f"{side} extra {fmt_nets(extra)}")
    return out
