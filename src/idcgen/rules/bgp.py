"""IDC601-IDC609: BGP sessions with the VBRs of the leased lines.

A VBR session is a BGP neighbor (IPv4, enabled) at a leased line's VBR address. What a
session's import and export policies do to a route is computed by idcgen.bgp (first
match, each vendor's default action, "unknown" for conditions idcgen does not evaluate:
no error is reported on an unknown answer). Alibaba's side of a session: AS 45104, at most
110 dynamic routes per peer, MD5 authentication supported, the health-check source
advertised as a /32 (docs/cloud.md#vbr-bgp-lint).
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network
from typing import Any

from idcgen.bgp import (
    DEFAULT_ROUTE_QUOTA,
    RESERVED_ASNS,
    VBR_ASN,
    Advertised,
    Decision,
    advertised,
    chain_key,
    export_decision,
    hosts_refused,
    import_decision,
    multipath_on,
    originated,
    vbr_sessions,
)
from idcgen.devicemodel import BgpNeighbor, LearnedRoute
from idcgen.findings import CloudLink
from idcgen.indexes import FirstOverlap
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import CLOUD_SERVICES, Context, fmt_nets, link_label

_TOPICS = ("bgp", "interfaces")
Session = tuple[CloudLink, BgpNeighbor]
_SHOWN = 5  # prefixes named in one message


def sessions(ctx: Context) -> list[Session]:
    """The VBR sessions (leased line, neighbor), computed once per device."""
    found: list[Session] | None = ctx.memo.get("bgp.sessions")
    if found is None:
        found = ctx.memo["bgp.sessions"] = vbr_sessions(ctx.device, ctx.links)
    return found


def hc_refused(ctx: Context, link: CloudLink) -> Decision | None:
    """The import decision that refuses `link`'s health-check /32 from its own VBR
    session, or None (no session, no known source, or the /32 is admitted)."""
    memo: dict[int, Decision | None] = ctx.memo.setdefault("bgp.hc_refused", {})
    if id(link) in memo:
        return memo[id(link)]
    found = None
    bgp = ctx.device.bgp
    if bgp is not None and link.health_check_source is not None:
        for own, neighbor in sessions(ctx):
            if own is link:
                decision = import_decision(bgp, neighbor,
                                           IPv4Network(f"{link.health_check_source}/32"))
                found = decision if decision.verdict == "deny" else None
                break
    memo[id(link)] = found
    return found


def _site_line(ctx: Context, link: CloudLink) -> Any:
    """The site model's effective BGP settings of the line behind `link`, or None."""
    if ctx.site is None or link.source != "site":
        return None
    from idcgen.sitemodel.bgp import effective_bgp

    for index, line in enumerate(ctx.site.lines):
        if line.name == link.name:
            return effective_bgp(ctx.site, index)
    return None


def _advertised(ctx: Context, neighbor: BgpNeighbor) -> list[Advertised]:
    memo: dict[int, list[Advertised]] = ctx.memo.setdefault("bgp.advertised", {})
    found = memo.get(id(neighbor))
    if found is None:
        found = memo[id(neighbor)] = advertised(ctx.device, neighbor)
    return found


def _session_label(link: CloudLink, neighbor: BgpNeighbor) -> str:
    return f"the BGP session to {neighbor.address} ({link_label(link)})"


# --------------------------------------------------------------------------- IDC601
@rule("IDC601", "bgp-health-check-refused", "error",
      "the import policy of a VBR session refuses the line's health-check /32 (the classic "
      "`le 24` prefix-list)", topics=_TOPICS)
def bgp_health_check_refused(ctx: Context) -> Iterator[Hit]:
    """The import policy of a VBR session refuses the line's health-check /32.

    What: for each leased line with a BGP session to its VBR and a known health-check
    source (site model; without one, learned from the config), the session's import
    filters (prefix-lists on the neighbor, then the route-map / route-policy /
    policy-statement chain, first match, the vendor's default when nothing matches) are
    evaluated for SOURCE/32. The rule fires when they refuse it — typically a prefix-list
    `192.168.0.0/16 le 24` written for the VPC CIDRs, which silently drops the /32.
    When the source is not known (no site model, and the config names none), the rule
    tests a host route inside each VPC network the import filters admit: a VBR-to-VPC
    health-check source is an unused VPC address advertised as a /32, so when every
    tested /32 is refused (and the filters name no /32 that could be the source), the
    source is refused too.

    Why: with BGP the VBR advertises the health-check source as a /32 and the data center
    must accept it, so the probe replies leave by the line that was probed (Express
    Connect "Configure and manage health checks", BGP method). Refused, the replies follow
    the covering VPC route, which may be the other line (ECMP) — Alibaba then declares
    the line faulty and moves traffic off it, although it is healthy.

    Fix: admit the line's own /32 before anything else in its import policy, e.g.
        Cisco IOS-XE:  ip prefix-list ALIYUN-IN-A seq 1 permit 192.168.10.1/32
        Huawei VRP:    ip ip-prefix ALIYUN-IN-A index 1 permit 192.168.10.1 32
        Juniper Junos: set policy-options policy-statement ALIYUN-IN-A term HC from
                        route-filter 192.168.10.1/32 exact
                       set policy-options policy-statement ALIYUN-IN-A term HC then accept
                       insert policy-options policy-statement ALIYUN-IN-A term HC before
                        term <first>
    (or raise the prefix-list bound to `le 32`).
    """
    bgp = ctx.device.bgp
    for link, neighbor in sessions(ctx):
        if link.health_check_source is None and bgp is not None:
            hosts = hosts_refused(bgp, neighbor)
            if hosts is not None:
                yield Hit(hosts.line or neighbor.line,
                          f"{_session_label(link, neighbor)} refuses host routes inside the "
                          f"cloud networks it admits ({hosts.why}): the line's health-check "
                          f"source, a VPC address the VBR advertises as a /32, is refused "
                          f"too, and the probe replies follow the covering route, not this "
                          f"line (give --site to name the source)")
            continue
        refused = hc_refused(ctx, link)
        if refused is None:
            continue
        yield Hit(refused.line or neighbor.line,
                  f"{_session_label(link, neighbor)} refuses the health-check source "
                  f"{link.health_check_source}/32: {refused.why}; the probe replies then "
                  f"follow the covering route, not this line")


# --------------------------------------------------------------------------- IDC602
@rule("IDC602", "bgp-multipath-off", "warning",
      "ECMP is intended (site) or several VBR sessions exist, but BGP installs only one "
      "path (no maximum-paths / maximum load-balancing / multipath)", topics=_TOPICS)
def bgp_multipath_off(ctx: Context) -> Iterator[Hit]:
    """ECMP is intended, or several VBR sessions exist, but BGP installs one path only.

    What: the device has BGP sessions to two or more VBRs, and neither `maximum-paths N`
    (Cisco), `maximum load-balancing N` (Huawei) nor `multipath` on every VBR group
    (Junos) lets it install more than one equal eBGP path. With a site model the rule
    fires when `redundancy: ecmp`; without one, unless the import or export policies of
    the sessions set a local preference, weight or AS-path prepend (the active/standby
    design, where one path is the point).

    Why: Alibaba forms ECMP over up to four lines from the cloud side; with one path on
    the customer side all upstream traffic takes one line and the replies of the other
    lines' flows return asymmetrically, and the second line's capacity is unused.

    Fix, for two lines:
        Cisco IOS-XE:  router bgp 65001 / address-family ipv4 / maximum-paths 2
        Huawei VRP:    bgp 65001 / ipv4-family unicast / maximum load-balancing 2
        Juniper Junos: set protocols bgp group ALIYUN multipath
                       (plus a forwarding-table export policy with load-balance per-packet)
    """
    bgp = ctx.device.bgp
    found = sessions(ctx)
    if bgp is None or len({id(link) for link, _ in found}) < 2 or multipath_on(bgp, found):
        return
    if ctx.site is not None:
        if ctx.site.redundancy != "ecmp":
            return
        why = "the site model says redundancy: ecmp"
    else:
        if _prefers_one(ctx, found):
            return
        why = f"{len(found)} VBR sessions exist"
    yield Hit(bgp.multipath_line or bgp.line,
              f"BGP installs one path only (multipath is off) although {why}: every "
              f"cloud prefix uses one line while the others stand by")


def _prefers_one(ctx: Context, found: list[Session]) -> bool:
    bgp = ctx.device.bgp
    assert bgp is not None
    for _, neighbor in found:
        for name in (*neighbor.import_policies, *neighbor.export_policies):
            policy = bgp.policies.get(name)
            if policy is not None and any(t.sets_preference for t in policy.terms):
                return True
    return False


# --------------------------------------------------------------------------- IDC603
@rule("IDC603", "bgp-import-unfiltered", "warning",
      "a VBR session has no import policy at all: anything the cloud sends is accepted",
      topics=_TOPICS)
def bgp_import_unfiltered(ctx: Context) -> Iterator[Hit]:
    """A VBR session has no import policy at all.

    What: the neighbor at a line's VBR address has no inbound route-map / prefix-list
    (Cisco), no import route-policy / ip-prefix (Huawei), and no import policy on the
    neighbor, its group or `protocols bgp` (Junos).

    Why: the VBR advertises whatever reaches its route table — other VPCs, other data
    centers' prefixes over CEN, a default route — and the device installs all of it, up
    to overriding its own routes. Alibaba's guides filter what is accepted: the cloud
    networks, the health-check /32s and 100.64.0.0/10.

    Fix: an import policy that admits exactly those, e.g.
        Cisco IOS-XE:  neighbor 10.10.10.1 route-map ALIYUN-IN in
        Huawei VRP:    peer 10.10.10.1 route-policy ALIYUN-IN import
        Juniper Junos: set protocols bgp group ALIYUN import ALIYUN-IN
    """
    for link, neighbor in sessions(ctx):
        if not neighbor.import_policies and not neighbor.import_lists:
            yield Hit(neighbor.line, f"{_session_label(link, neighbor)} has no import "
                                     f"policy: every route the VBR sends is installed")


# --------------------------------------------------------------------------- IDC604
@rule("IDC604", "bgp-advertises-cloud-prefix", "error",
      "the device advertises to a VBR a prefix that overlaps a cloud network or "
      "100.64.0.0/10", topics=("bgp", "routes", "interfaces"))
def bgp_advertises_cloud_prefix(ctx: Context) -> Iterator[Hit]:
    """The device advertises to a VBR a prefix overlapping a cloud network or 100.64/10.

    What: a prefix the device originates (a `network` / aggregate statement, a
    redistributed static or interface route, a route a Junos export policy picks) passes
    the session's export policy and overlaps a cloud (VPC) network (the site model's;
    without one, those the config routes toward the cloud) or 100.64.0.0/10. A default
    route (0.0.0.0/0) is not judged. Routes learned from the cloud are IDC609's.

    Why: the VBR installs what the data center advertises into the VPC's routes: a
    VPC CIDR or a part of it pulls that cloud traffic into the data center, and
    100.64.0.0/10 is reserved for Alibaba's services (Express Connect limitations: do
    not use it on premises).

    Fix: advertise only the on-premises prefixes (an export policy that admits exactly
    them), e.g. Cisco `neighbor 10.10.10.1 route-map ALIYUN-OUT out` with a prefix-list
    of the data-center networks; Huawei `peer 10.10.10.1 route-policy ALIYUN-OUT export`;
    Junos `set protocols bgp group ALIYUN export ALIYUN-OUT`.
    """
    cloud = [(net, label) for net, label in ctx.cloud_networks]
    cloud.append((CLOUD_SERVICES, "the cloud-services range 100.64.0.0/10"))
    first_cloud = FirstOverlap(cloud)  # advertised prefixes x cloud networks, indexed
    for link, neighbor in sessions(ctx):
        for item in _advertised(ctx, neighbor):
            if item.decision.verdict != "permit" or not item.prefix.prefixlen:
                continue
            hit = first_cloud.first(item.prefix)
            if hit is not None:
                yield Hit(item.line or neighbor.line,
                          f"{item.prefix} ({item.origin}) is advertised over "
                          f"{_session_label(link, neighbor)} ({item.decision.why}) and "
                          f"overlaps {hit}")


# --------------------------------------------------------------------------- IDC605
@rule("IDC605", "bgp-peer-as-wrong", "error",
      "the remote AS of a VBR neighbor is not 45104 (or the site model's peer_asn)",
      topics=_TOPICS)
def bgp_peer_as_wrong(ctx: Context) -> Iterator[Hit]:
    """The remote AS of a VBR neighbor is not Alibaba's.

    What: the neighbor at a line's VBR address has a remote AS other than 45104, or
    other than the line's `bgp.peer_asn` in the site model (a VBR associated with an
    Express Connect Router speaks the ECR's ASN). A neighbor without any remote AS
    (neither its own nor its group's) is reported too.

    Why: the VBR side of every Express Connect BGP session is AS 45104 ("The ASN of
    Alibaba Cloud is 45104", CreateBgpGroup); with another number the session never
    comes up (the OPEN carries 45104) and no route is exchanged.

    Fix: Cisco `neighbor 10.10.10.1 remote-as 45104`, Huawei `peer 10.10.10.1 as-number
    45104`, Junos `set protocols bgp group ALIYUN peer-as 45104`.
    """
    for link, neighbor in sessions(ctx):
        settings = _site_line(ctx, link)
        expected = settings.peer_asn if settings is not None else VBR_ASN
        if neighbor.remote_as == expected:
            continue
        said = f"AS {neighbor.remote_as}" if neighbor.remote_as is not None else \
            "no remote AS"
        source = "the site model's peer_asn" if settings is not None else \
            "Alibaba's AS (give the site model's bgp.peer_asn if the VBR uses another)"
        yield Hit(neighbor.line, f"{_session_label(link, neighbor)} has {said}; the VBR "
                                 f"speaks AS {expected} ({source})")


# --------------------------------------------------------------------------- IDC606
@rule("IDC606", "bgp-local-as-reserved", "error",
      "the local AS of a VBR session is 45104 or 65025, both reserved by Alibaba",
      topics=_TOPICS)
def bgp_local_as_reserved(ctx: Context) -> Iterator[Hit]:
    """The device speaks AS 45104 or 65025 on a VBR session.

    What: the AS the device uses on the session (the BGP process's AS, or a
    `local-as` override on the neighbor or its group) is 45104 or 65025.

    Why: 45104 is Alibaba's own ASN, and Alibaba's CreateBgpGroup reference lists 65025
    as reserved; a data-center ASN equal to either is refused on the VBR side (and 45104
    makes the session internal, so no route is accepted as external).

    Fix: use the data center's own (private or public) ASN, e.g. Cisco `router bgp
    65001`, Huawei `bgp 65001`, Junos `set routing-options autonomous-system 65001`.
    """
    bgp = ctx.device.bgp
    seen: set[tuple[int, int]] = set()
    for link, neighbor in sessions(ctx):
        local = neighbor.local_as
        if local not in RESERVED_ASNS:
            continue
        assert local is not None
        line = neighbor.line if bgp is None or local != bgp.local_as else bgp.local_as_line
        if (local, line) in seen:
            continue
        seen.add((local, line))
        yield Hit(line, f"the device speaks AS {local} on {_session_label(link, neighbor)}; "
                        f"AS {local} is reserved by Alibaba")


# --------------------------------------------------------------------------- IDC607
@rule("IDC607", "bgp-route-quota-exceeded", "error",
      "more prefixes are advertised to one VBR than its route quota (110 by default)",
      topics=("bgp", "routes", "interfaces"))
def bgp_route_quota_exceeded(ctx: Context) -> Iterator[Hit]:
    """More prefixes are advertised to one VBR than its route quota.

    What: the prefixes the device originates toward a VBR session and that its export
    policy certainly admits (see IDC604) number more than the line's route quota: 110,
    or the site model's `bgp.route_quota`. Prefixes whose export depends on conditions
    idcgen does not evaluate are not counted.

    Why: each VBR BGP peer takes at most 110 dynamic routes; "routes are denied when the
    upper limit is exceeded" (Express Connect, Virtual border routers, limits): some
    on-premises networks then have no route from the cloud, unpredictably which.

    Fix: summarise the advertised networks (an aggregate / summary route per site), e.g.
        Cisco IOS-XE:  aggregate-address 172.16.0.0 255.255.0.0 summary-only
        Huawei VRP:    aggregate 172.16.0.0 255.255.0.0 detail-suppressed
        Juniper Junos: set routing-options aggregate route 172.16.0.0/16 (exported
                        instead of the more specific routes)
    or raise the quota with Alibaba and record it in the site model (`bgp.route_quota`).
    """
    for link, neighbor in sessions(ctx):
        settings = _site_line(ctx, link)
        quota = settings.route_quota if settings is not None else DEFAULT_ROUTE_QUOTA
        sure = [item for item in _advertised(ctx, neighbor) if item.decision.verdict == "permit"]
        if len(sure) > quota:
            yield Hit(neighbor.line,
                      f"{len(sure)} prefixes are advertised over "
                      f"{_session_label(link, neighbor)}; the VBR accepts {quota} and drops "
                      f"the rest (first: {fmt_nets(i.prefix for i in sure[:_SHOWN])})")


# --------------------------------------------------------------------------- IDC608
@rule("IDC608", "bgp-no-password", "warning",
      "a VBR session has no MD5 password", topics=_TOPICS)
def bgp_no_password(ctx: Context) -> Iterator[Hit]:
    """A VBR session has no MD5 password.

    What: the neighbor at a line's VBR address (its group, peer-group or `protocols
    bgp`) has no `password` / `authentication-key` (nor a key chain or TCP-AO key).

    Why: Alibaba's Express Connect requirements ask for BGP with MD5 authentication on
    the data-center device; without it anyone on the path can reset or hijack the
    session, and a BGP group with an authentication key on the VBR never establishes
    with an unauthenticated neighbor.

    Fix: set the key that the VBR's BGP group uses (AuthKey), e.g. Cisco
    `neighbor 10.10.10.1 password KEY`, Huawei `peer 10.10.10.1 password cipher KEY`,
    Junos `set protocols bgp group ALIYUN authentication-key KEY`.
    """
    for link, neighbor in sessions(ctx):
        if not neighbor.password:
            yield Hit(neighbor.line, f"{_session_label(link, neighbor)} has no MD5 password")


# --------------------------------------------------------------------------- IDC609
@rule("IDC609", "bgp-cloud-transit", "warning",
      "routes learned from one VBR (AS 45104) are re-advertised to another 45104 peer",
      topics=_TOPICS)
def bgp_cloud_transit(ctx: Context) -> Iterator[Hit]:
    """Routes learned from one VBR are re-advertised to another AS-45104 peer.

    What: the device has BGP sessions to two or more VBRs, and the export policy toward
    one of them admits routes the device learns from another (the cloud networks, the
    health-check /32s, 100.64.0.0/10). Junos does not advertise a route to a peer of the
    AS the route came from unless `advertise-peer-as` is set; Cisco and Huawei do.

    Why: the data center becomes a transit between VBRs. With CEN, VBRs may not pass
    the AS path on, so routes that went through the data center come back looking like
    the cloud's own and BGP loops and route flapping follow (Express Connect, "Scenarios
    in which you need to avoid attaching VBRs to CEN").

    Fix: export only the on-premises prefixes to every VBR (an export policy that
    admits exactly them), e.g. Cisco `neighbor 10.10.11.1 route-map ALIYUN-OUT out`,
    Huawei `peer 10.10.11.1 route-policy ALIYUN-OUT export`, Junos a final
    `then reject` term in the group's export policy (and no `advertise-peer-as`).
    """
    bgp = ctx.device.bgp
    found = sessions(ctx)
    if bgp is None or len(found) < 2 or bgp.peer_as_suppressed:
        return
    own = {prefix for prefix, _, _ in originated(ctx.device)}  # the local path is best
    # prefix -> the sessions (neighbor ids) it is learned from, in route order
    learned: dict[IPv4Network, set[int]] = {}
    by_address = {int(neighbor.address): id(neighbor) for _, neighbor in found}
    for route in ctx.routes:
        if isinstance(route, LearnedRoute) and route.next_hop is not None \
                and route.prefix not in own:
            learned.setdefault(route.prefix, set()).add(by_address.get(int(route.next_hop), 0))
    exported: dict[tuple, list[IPv4Network]] = {}  # per export chain: what passes it
    for link, neighbor in found:
        chain = chain_key(bgp, neighbor, "export")
        passes = exported.get(chain)
        if passes is None:
            passes = exported[chain] = [p for p in learned if export_decision(
                bgp, neighbor, p, "bgp").verdict == "permit"]
        passed: list[IPv4Network] = []
        for prefix in passes:  # a prefix learned only from this session is not transit
            if learned[prefix] - {id(neighbor)}:
                passed.append(prefix)
                if len(passed) > _SHOWN:
                    break
        if passed:
            yield Hit(neighbor.line,
                      f"{_session_label(link, neighbor)} re-advertises routes learned from "
                      f"the other VBR sessions ({fmt_nets(passed[:_SHOWN])}"
                      f"{', ...' if len(passed) > _SHOWN else ''}): the data center becomes "
                      f"a transit between AS {VBR_ASN} peers")
