"""IDC301-IDC305: Alibaba's health check of each leased line (IDC306 is retired: the
site model itself refuses two lines with one health-check source).

Alibaba pings the customer-side interface address of each line from that line's
health-check source (a VPC address) every 2 s; 8 misses in a row, or a reply that
comes back over another path, take the line out of service (docs/cloud.md#health-check). The
probes are "to the box": they meet the interface ACL and the control-plane protection.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from idcgen.devicemodel import ControlPlanePolicy, ControlPlaneStage, Filter
from idcgen.links import find_line_interface
from idcgen.rules.base import Hit, rule
from idcgen.rules.bgp import hc_refused
from idcgen.rules.context import (
    FLOOR_PPS,
    PROBE_BYTES,
    PROBE_PPS,
    Context,
    ProbeVerdict,
    fmt_nets,
    fmt_route,
    link_label,
    probe_rate_covers,
)

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.vendors.base import VendorWords

_LIMITING = ("police", "drop")


@rule("IDC301", "health-check-return-route-missing", "error",
      "a link's health-check source has no /32 return route via that link's cloud-side IP",
      topics=("routes", "interfaces"))
def health_check_return_route_missing(ctx: Context) -> Iterator[Hit]:
    """A line's health-check source has no /32 return route via that line's VBR address.

    What: for every link whose health-check source is known (from the site model, or
    learned from the config: the one /32 route via the link's peer, an ACL / filter /
    CoPP entry permitting ICMP from one host to the line's address, an address the
    line's description names), the device must have a host
    route SOURCE/32 whose next hop is that link's cloud-side address. A covering route
    (the VPC CIDR over ECMP, or the default route) does not count, even when it happens to
    lead out of the right line today. When a leased line's source cannot be learned but
    another line has its /32 return route, the rule fires for the line without one
    (line 0): its probes come back over whatever the covering route picks.

    Why: Alibaba declares a line faulty when the echo reply comes back over another path.
    With ECMP or a default route the reply may leave by the other line or the Internet;
    with static routing the only reliable return path is a per-line /32 (Express Connect
    guide, section 6; with BGP, accept the /32 the VBR advertises instead: a /32 learned
    from the line's VBR session counts, and one its import policy refuses is IDC601's).

    Fix, for source 192.168.10.1 on the line whose VBR address is 10.10.10.1:
        Cisco IOS-XE:  ip route 192.168.10.1 255.255.255.255 10.10.10.1 name ALIYUN-HC-LINE-A
        Huawei VRP:    ip route-static 192.168.10.1 32 10.10.10.1 description ALIYUN-HC-LINE-A
        Juniper Junos: set routing-options static route 192.168.10.1/32 next-hop 10.10.10.1
    """
    with_route = [link for link in ctx.probed if link.health_check_source is not None
                  and link.peer_ip is not None
                  and any(ctx.link_of(r) == link for r in ctx.active(
                      IPv4Network(f"{link.health_check_source}/32")))]
    for link in ctx.probed:
        src = link.health_check_source
        if src is None and with_route and link.peer_ip is not None \
                and link not in with_route and link.source != "site":
            other = with_route[0]
            yield Hit(0, f"{link_label(link)} has no /32 return route for its health-check "
                         f"source via {link.peer_ip} (its source is not shown in the config); "
                         f"{link_label(other)} has one ({other.health_check_source}/32 via "
                         f"{other.peer_ip}), so this line's probes come back over whatever "
                         f"the covering route picks")
            continue
        if src is None or (link.peer_ip is None and link.interface is None):
            continue
        host = IPv4Network(f"{src}/32")
        if ctx.active(host) or hc_refused(ctx, link) is not None:
            continue  # a /32 its own VBR session refuses is IDC601's
        prefix, routes = ctx.lpm(src)
        if routes:
            now = f"replies now follow {'; '.join(fmt_route(r) for r in routes)}"
        else:
            now = "there is no route to it at all"
        yield Hit(0, f"health-check source {src} of {link_label(link)} has no /32 return "
                     f"route via {link.peer_ip or link.interface}; {now}",
                  ctx.route_fix([host], [link], purpose="health-check"))


@rule("IDC302", "health-check-return-route-wrong-link", "error",
      "the /32 return route exists but leads out another link or elsewhere",
      topics=("routes", "interfaces"))
def health_check_return_route_wrong_link(ctx: Context) -> Iterator[Hit]:
    """The health-check /32 return route exists but leads out another link or elsewhere.

    What: the active route(s) for SOURCE/32 (lowest preference) include a next hop that
    is not the link's own cloud-side address: another line's VBR (the classic copy-paste
    of line A's route for line B), an ECMP pair over both lines, a LAN router, or a
    discard route.

    Why: the reply must come back over the line that was probed; a reply over another
    path counts as a failure, so the line is declared faulty and traffic fails over even
    though it is healthy — or, worse, both lines' checks depend on one line.

    Fix: one /32 per line, each via its own VBR address, e.g.
        Cisco IOS-XE:  no ip route 192.168.10.2 255.255.255.255 10.10.10.1
                       ip route 192.168.10.2 255.255.255.255 10.10.11.1 name ALIYUN-HC-LINE-B
        Huawei VRP:    undo ip route-static 192.168.10.2 32 10.10.10.1
                       ip route-static 192.168.10.2 32 10.10.11.1 description ALIYUN-HC-LINE-B
        Juniper Junos: delete routing-options static route 192.168.10.2/32
                       set routing-options static route 192.168.10.2/32 next-hop 10.10.11.1
    """
    reported: set[int] = set()
    for link in ctx.probed:
        src = link.health_check_source
        if src is None:
            continue
        host = IPv4Network(f"{src}/32")
        active = ctx.active(host)
        wrong = [r for r in active if ctx.link_of(r) != link]
        if not active or not wrong:
            continue
        fix: list[str] = []
        for route in wrong:
            fix += ctx.removal_fix(route)
        if all(ctx.link_of(r) != link for r in active):
            fix += ctx.route_fix([host], [link], purpose="health-check")
        for route in wrong:
            if id(route) in reported:
                continue
            reported.add(id(route))
            other = ctx.link_of(route)
            where = (f"out of {link_label(other)}" if other is not None else
                     "to a discard route" if route.discard else
                     f"to {route.next_hop or route.interface}, not a cloud-facing link")
            yield Hit(route.line, f"the return route {fmt_route(route)} for health-check "
                                  f"source {src} of {link_label(link)} leads {where}, not "
                                  f"via {link.peer_ip or link.interface}", fix)


@rule("IDC303", "health-check-rate-limited", "error",
      "control-plane protection (CoPP, cpu-defend / local attack defence, a lo0 filter with "
      "policers) drops or polices ICMP toward the device and nothing earlier exempts the "
      "health-check sources — whatever the rate, since the budget is shared with all other "
      "ICMP to the device (a policer only the probes reach, or the ICMP CPCAR of a Huawei "
      "CloudEngine, which has no finer class, counts as theirs at Alibaba's floor of more "
      "than 500 echo/s)", topics=("control-plane", "filters", "interfaces", "routes"))
def health_check_rate_limited(ctx: Context) -> Iterator[Hit]:
    """Control-plane protection polices or drops the health-check probes.

    What: for every applied control-plane policy (Cisco CoPP service-policy input,
    Huawei applied cpu-defend policy, Junos lo0 input filter), the probe "ICMP echo from
    the health-check source to the line's customer-side address" is walked through the
    stages in order; the first stage that classifies it decides. The rule fires when
    that stage polices or drops it, or when no stage matches and the policy's end
    treatment does (a Junos lo0 filter ends in an implicit discard). It fires whatever the
    police rate: the probes need only 0.5 packet/s per source (about 400 bit/s for a
    100-byte echo), but the budget is shared with all other ICMP to the device, so any
    ping flood or traceroute burst makes the check flap. The exception is a policer only
    the health-check sources reach (a Huawei user-defined flow with its own CAR, a Cisco
    class matching just those hosts) at a rate that meets Alibaba's documented floor:
    the Express Connect limitations page asks the data-center gateway to allow more than
    500 ICMP echo requests per second, since rate-limiting the probes disrupts the line.
    idcgen reads that as 500 packet/s, or 400 kbit/s of 100-byte echoes; a dedicated
    policer below it (e.g. `car user-defined-flow 1 cir 64`, about 80 echoes/s) fires.
    Huawei CloudEngine has no user-defined flow: there the ICMP CPCAR (`car packet-type
    icmp pps N`, capped by `car all-packets pps N`) at or above the floor is the budget
    Alibaba asks for, and port attack defence (on by default) must not limit the probes:
    without an `auto-port-defend whitelist` ACL (or interface) that covers them, or with
    the CAR below the floor, the rule fires.

    Without a known health-check source (inferred links with no /32 route), the probe is
    "ICMP echo from any VPC-side address" (the networks routed toward the links, else
    RFC 1918 and 100.64.0.0/10): the rule fires only when *every* such source would be
    policed or dropped, so a policy that exempts some VPC addresses is given the benefit
    of the doubt.

    Why: Alibaba's health-check pages warn that CoPP (Cisco) and local attack defence
    (Huawei) drop the probes and make the check flap; a flapping check moves traffic
    between lines or takes the only line down.

    Fix: exempt the probes in a stage placed before every stage that can match ICMP:
        Cisco IOS-XE:  ip access-list extended ACL-ALIYUN-HC
                        permit icmp host 192.168.10.1 host 10.10.10.2 echo
                       class-map match-any CM-ALIYUN-HC
                        match access-group name ACL-ALIYUN-HC
                       policy-map PM-COPP
                        class CM-ALIYUN-HC insert-before CM-COPP-ICMP
                         police 1000000 conform-action transmit exceed-action transmit
        Huawei VRP:    acl number 3901
                        rule 5 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0
                         icmp-type echo
                       cpu-defend policy POLICY
                        user-defined-flow 1 acl 3901
                        car user-defined-flow 1 cir 1024
                       (user-defined flows are evaluated before `car packet-type icmp`;
                       flow 1 and ACL 3901 must be unused on the device)
        Huawei CE:     the same ACL 3901, then
                       cpu-defend policy POLICY
                        car packet-type icmp pps 1000
                        auto-port-defend whitelist 1 acl 3901
                        auto-defend whitelist 1 acl 3901
        Juniper Junos: set policy-options prefix-list ALIYUN-HC 192.168.10.1/32
                       set firewall family inet filter PROTECT-RE term ALIYUN-HC from
                        source-prefix-list ALIYUN-HC
                       set firewall family inet filter PROTECT-RE term ALIYUN-HC from protocol icmp
                       set firewall family inet filter PROTECT-RE term ALIYUN-HC then accept
                       insert firewall family inet filter PROTECT-RE term ALIYUN-HC before
                        term ICMP
    """
    for policy in ctx.device.applied_control_plane():
        groups: dict[tuple, tuple[ProbeVerdict, list[tuple[IPv4Address, IPv4Address]]]] = {}
        generic: dict[tuple, tuple[ProbeVerdict, list[IPv4Address]]] = {}
        for link in ctx.probed:
            if link.local_ip is None:
                continue
            dst = link.local_ip.ip
            if link.health_check_source is not None:
                verdict = ctx.probe_verdict(policy, link.health_check_source, dst)
                if verdict.treatment in _LIMITING:
                    key = (id(verdict.stage), verdict.treatment)
                    groups.setdefault(key, (verdict, []))[1].append(
                        (link.health_check_source, dst))
            elif link.kind == "leased-line":
                samples = ctx.sample_sources(ctx.vpc_region)
                verdicts = ctx.probe_verdicts(policy, samples, dst)
                if verdicts and all(v.treatment in _LIMITING for v in verdicts):
                    key = (id(verdicts[0].stage), verdicts[0].treatment)
                    generic.setdefault(key, (verdicts[0], []))[1].append(dst)
        for verdict, pairs in groups.values():
            sources = [s for s, _ in pairs]
            verb, rest = _treats(ctx, verdict, len(sources))
            yield Hit(_line(policy, verdict.stage),
                      f"{_policy_label(ctx, policy)} {verb} the health-check pings from "
                      f"{', '.join(map(str, sources))} to "
                      f"{', '.join(str(d) for _, d in pairs)} {rest}",
                      ctx.exemption_fix(_exemption(ctx, policy, verdict.stage, pairs)))
        for verdict, dsts in generic.values():
            verb, rest = _treats(ctx, verdict, 1)
            yield Hit(_line(policy, verdict.stage),
                      f"{_policy_label(ctx, policy)} {verb} ICMP echo from every VPC-side address "
                      f"({fmt_nets(ctx.vpc_region)}) to {', '.join(map(str, dsts))}, so also "
                      f"the health-check pings, {rest} (exempt the health-check sources; "
                      f"give them in a site model for an exact fix)")


def _policy_label(ctx: Context, policy: ControlPlanePolicy) -> str:
    """`CoPP policy-map X` / `lo0 input filter X`: the device vendor's own words."""
    return f"{_words(ctx).control_plane} {policy.name}"


def _stage_label(ctx: Context, stage: ControlPlaneStage) -> str:
    kind = _words(ctx).control_plane_stage
    return f"{kind} {stage.name}" if kind else stage.name


def _words(ctx: Context) -> VendorWords:
    from idcgen.vendors import get_driver

    return get_driver(ctx.vendor).words


def _treats(ctx: Context, verdict: ProbeVerdict, sources: int) -> tuple[str, str]:
    """(verb, the rest): where the probes are limited and how that compares with need."""
    where = (f"in {_stage_label(ctx, verdict.stage)}" if verdict.stage is not None
             else "(no stage matches them, so the policy's end treatment applies)")
    if verdict.treatment == "drop":
        return "drops", where
    stage = verdict.stage
    need_bps = int(sources * PROBE_PPS * PROBE_BYTES * 8)
    need = f"{sources} × {PROBE_PPS} packet/s ≈ {need_bps} bit/s"
    rate = ""
    if stage is not None and stage.rate_bps:
        rate = f" at {stage.rate_bps} bit/s"
    elif stage is not None and stage.rate_pps:
        rate = f" at {stage.rate_pps} packet/s"
    if not rate:
        tail = (f" (a limit whose rate the config does not give; the probes need {need}): "
                "the budget is shared with all other ICMP to the device, so any ICMP burst "
                "drops probes and the check flaps")
    elif stage is None or probe_rate_covers(stage, sources):
        tail = (f": more than the probes' own need ({need}), but the budget is shared with "
                "all other ICMP to the device, so any ICMP burst drops probes and the check "
                "flaps")
    else:
        tail = (f": below Alibaba's floor of more than {FLOOR_PPS} ICMP echo/s for the "
                f"data-center gateway (the probes themselves need {need}; Express Connect "
                "limitations: rate-limiting them disrupts the line)")
    return "polices", f"{where}{rate}{tail}"


def _line(policy: ControlPlanePolicy, stage: ControlPlaneStage | None) -> int:
    if stage is not None and stage.line:
        return stage.line
    return policy.line or policy.applied_line


def _exemption(ctx: Context, policy: ControlPlanePolicy, stage: ControlPlaneStage | None,
               pairs: list[tuple[IPv4Address, IPv4Address]]):
    from idcgen.generator.intent import ExemptionIntent
    from idcgen.vendors import get_driver

    driver = get_driver(ctx.vendor)
    platform = (driver.platform_of(ctx.site) if ctx.site is not None
                else ctx.device.platform or driver.default_platform)
    family = ctx.site.control_plane.huawei_family if ctx.site is not None else "ar"
    return ExemptionIntent(sources=tuple(s for s, _ in pairs), mode="insert",
                           policy=policy.name, before=stage.name if stage else None,
                           huawei_family=family, site=ctx.site.site if ctx.site else "",
                           destinations=tuple(d for _, d in pairs), platform=platform)


@rule("IDC304", "health-check-blocked-by-acl", "error",
      "an inbound ACL / filter on the cloud-facing interface denies ICMP echo from a "
      "health-check source (first match wins; implicit deny counts)",
      topics=("filters", "interfaces", "routes"))
def health_check_blocked_by_acl(ctx: Context) -> Iterator[Hit]:
    """An inbound ACL / filter on the cloud-facing interface denies the probes.

    What: the probe (ICMP echo from the health-check source to the interface address) is
    evaluated against the interface's inbound ACL / traffic-filter / firewall filter,
    first match wins; a packet no entry matches gets the filter's default action (deny on
    Cisco and Junos, permit for a Huawei traffic-filter). A Cisco `ip access-group` naming
    an ACL that does not exist passes everything. On an SRX, the interface's zone must
    also allow `host-inbound-traffic system-services ping`. Without a known source the
    rule fires only when echo from every VPC-side address would be denied.

    Why: the probes never reach the device, the line is declared faulty and traffic
    fails over (or stops).

    Fix: permit the probes at the top of the filter, e.g.
        Cisco IOS-XE:  ip access-list extended ACL-IN
                        1 permit icmp host 192.168.10.1 host 10.10.10.2 echo
        Huawei VRP:    acl number 3001
                        rule 1 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0
        Juniper Junos: set firewall family inet filter IN term ALIYUN-HC from source-address
                        192.168.10.1/32
                       set firewall family inet filter IN term ALIYUN-HC from protocol icmp
                       set firewall family inet filter IN term ALIYUN-HC then accept
                       insert firewall family inet filter IN term ALIYUN-HC before term FIRST
                       set security zones security-zone ZONE interfaces ge-0/0/1.0
                        host-inbound-traffic system-services ping
    """
    for link in ctx.probed:
        iface = ctx.device.interfaces.get(link.interface) if link.interface else None
        if iface is None or link.local_ip is None:
            continue
        if link.health_check_source is None and link.kind != "leased-line":
            continue
        dst = link.local_ip.ip
        if iface.host_inbound_ping is False:
            yield Hit(iface.line, f"the security zone of {iface.name} does not allow "
                                  f"host-inbound ping, so the health-check pings to {dst} "
                                  f"are dropped")
        if iface.inbound_filter is None:
            continue
        flt = ctx.device.filters.get(iface.inbound_filter)
        applied = iface.inbound_filter_line or iface.line
        if flt is None:
            if ctx.device.undefined_filter_action == "deny":
                yield Hit(applied, f"inbound filter {iface.inbound_filter} on {iface.name} is "
                                   f"not defined and drops everything, including the "
                                   f"health-check pings to {dst}")
            continue
        if link.health_check_source is not None:
            src = link.health_check_source
            action, entry = flt.evaluate(src, dst, "icmp", "echo")
            if action == "deny":
                yield Hit(_deny_line(flt, entry, applied),
                          f"inbound filter {flt.name} on {iface.name} denies ICMP echo from "
                          f"health-check source {src} to {dst}{_by(entry)}")
            continue
        samples = ctx.sample_sources(ctx.vpc_region)
        results = ctx.evaluate_all(flt, samples, dst)  # indexed flt.evaluate
        if results and all(action == "deny" for action, _ in results):
            entry = results[0][1]
            yield Hit(_deny_line(flt, entry, applied),
                      f"inbound filter {flt.name} on {iface.name} denies ICMP echo from every "
                      f"VPC-side address ({fmt_nets(ctx.vpc_region)}) to {dst}{_by(entry)}, "
                      f"so the health-check pings are dropped")


def _deny_line(flt: Filter, entry: object, applied: int) -> int:
    line = getattr(entry, "line", 0) if entry is not None else 0
    return line or applied or flt.line


def _by(entry: object) -> str:
    if entry is None:
        return " (no entry permits it: the filter's implicit deny)"
    name = getattr(entry, "name", None)
    return f" (entry {name})" if name else ""


@rule("IDC305", "health-check-target-mismatch", "error",
      "(site) the cloud-facing interface's address is not the health-check destination "
      "of the site model", needs_site=True, topics=("interfaces",))
def health_check_target_mismatch(ctx: Context) -> Iterator[Hit]:
    """The line's interface does not hold the health-check destination of the site model.

    What: Alibaba's health check pings the customer-side address of each line
    (`lines[].local_ip` in the site model). The rule fires when no interface of the
    device holds that address: the line's interface has another address, or is missing.

    Why: nothing answers the probes, so Alibaba declares the line faulty even though the
    circuit is fine.

    Fix: put the address on the line's interface (or correct the site model), e.g.
        Cisco IOS-XE:  interface GigabitEthernet0/0/1
                        ip address 10.10.10.2 255.255.255.252
        Huawei VRP:    interface GigabitEthernet0/0/1
                        ip address 10.10.10.2 255.255.255.252
        Juniper Junos: set interfaces ge-0/0/1 unit 0 family inet address 10.10.10.2/30
    """
    assert ctx.site is not None
    from idcgen.generator.intent import InterfaceIntent

    for line in ctx.site.lines:
        target = line.local_ip.ip
        if any(i.has_address(target) for i in ctx.device.interfaces.values()):
            continue
        base = line.interface_for(ctx.vendor)
        iface = find_line_interface(ctx.device, target, base, line.vlan)
        fix = ctx.interface_fix(InterfaceIntent(base, line.local_ip, line.vlan,
                                                line.description)) if base else []
        if iface is not None:
            have = ", ".join(str(a) for a in iface.addresses) or "no IPv4 address"
            yield Hit(iface.line, f"{iface.name} has {have}, but the health-check destination "
                                  f"of {line.name} is {line.local_ip}", fix)
        else:
            yield Hit(0, f"no interface holds {line.local_ip}, the health-check destination "
                         f"of {line.name}" + (f" (expected on {base})" if base else ""), fix)
