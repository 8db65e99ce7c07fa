"""Peering -> CEN migration: which CEN routes would be rejected, and the smooth plan.

Cloud-side steps (console/API), printed as numbered steps, never as device CLI. The
facts come from the Express Connect guide (docs/cloud.md#scenario-e): CEN rejects a route equal to
or more specific than a peering static route; the smooth migration bridges the gap with
two temporary halves of each CEN route, which stay more specific than the CEN route
while the covering peering route is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network

from idcgen.sitemodel.migration import CenMigration, CenRoute, PeeringRoute, blocking_routes


@dataclass
class Conflict:
    """One CEN route CEN would reject, and the peering routes that cause it."""

    cen: CenRoute
    blockers: list[PeeringRoute]

    def as_dict(self) -> dict:
        return {"cen_route": str(self.cen.cidr), "on": self.cen.on,
                "instance": self.cen.instance,
                "blocked_by": [str(p.cidr) for p in self.blockers]}


@dataclass
class PeeringPlan:
    """The smooth migration of one peering route and the CEN routes it blocks."""

    peering: PeeringRoute
    cen_routes: list[CenRoute] = field(default_factory=list)

    def halves(self) -> list[tuple[CenRoute, tuple[IPv4Network, IPv4Network] | None]]:
        """(CEN route, its two temporary halves); None for a /32 that cannot be split."""
        out: list[tuple[CenRoute, tuple[IPv4Network, IPv4Network] | None]] = []
        for cen in self.cen_routes:
            if cen.cidr.prefixlen >= 32:
                out.append((cen, None))
            else:
                low, high = cen.cidr.subnets(prefixlen_diff=1)
                out.append((cen, (low, high)))
        return out

    def uncovered(self) -> list[IPv4Network]:
        """Parts of the peering CIDR no CEN route covers: they lose their path when the
        peering route is deleted (unless something else routes them)."""
        remaining = [self.peering.cidr]
        for cen in self.cen_routes:
            nxt: list[IPv4Network] = []
            for net in remaining:
                if cen.cidr.subnet_of(net):
                    nxt.extend(net.address_exclude(cen.cidr))
                elif not net.subnet_of(cen.cidr):
                    nxt.append(net)
            remaining = nxt
        return sorted(IPv4Network(n) for n in _collapse(remaining))


def _collapse(nets: list[IPv4Network]) -> list[IPv4Network]:
    from ipaddress import collapse_addresses

    return list(collapse_addresses(nets))


def conflicts(migration: CenMigration | None) -> list[Conflict]:
    """Every CEN route CEN would reject, in the order of the site model."""
    if migration is None:
        return []
    out = []
    for cen in migration.cen_routes:
        blockers = blocking_routes(migration, cen)
        if blockers:
            out.append(Conflict(cen, blockers))
    return out


def plans(migration: CenMigration | None) -> list[PeeringPlan]:
    """One plan per peering route that blocks at least one CEN route."""
    if migration is None:
        return []
    out: list[PeeringPlan] = []
    for peering in migration.peering_routes:
        blocked = [c.cen for c in conflicts(migration) if peering in c.blockers]
        if blocked:
            out.append(PeeringPlan(peering, blocked))
    return out


def _table(on: str, instance: str | None) -> str:
    kind = on.upper()
    return f"{kind} {instance}" if instance else f"the {kind}"


def _route(p: PeeringRoute) -> str:
    return f"{p.cidr} -> {p.next_hop}"


def plan_steps(plan: PeeringPlan) -> tuple[list[str], list[str]]:
    """(smooth migration steps, rollback steps) for one peering route, unnumbered."""
    peer = plan.peering
    table = _table(peer.on, peer.instance)
    splittable = [(c, h) for c, h in plan.halves() if h is not None]
    temp = [str(n) for _, h in splittable for n in h]
    steps: list[str] = []
    rollback: list[str] = []
    if peer.on == "vbr":
        steps.append(f"Disable the health check of {table} before migrating "
                     "(configure it again on CEN after the migration).")
    if temp:
        steps.append(f"On {table}, add temporary static routes {', '.join(temp)} with next hop "
                     f"{peer.next_hop} (more specific than the CEN route, so traffic keeps "
                     "using the peering path).")
        if peer.bgp:
            steps.append(f"Advertise {', '.join(temp)} over the BGP session of {table}.")
    for cen, halves in plan.halves():
        if halves is None:
            steps.append(f"Note: {cen.cidr} cannot be split into halves; traffic to it is "
                         "interrupted between the next two steps.")
    steps.append(f"Delete the peering route {_route(peer)} from {table}.")
    cen_list = ", ".join(str(c.cidr) for c in plan.cen_routes)
    steps.append(f"Confirm that the CEN route(s) {cen_list} are now active in the route table "
                 f"of {table} (learned from CEN, not rejected).")
    if temp:
        if peer.bgp:
            steps.append(f"Withdraw the BGP advertisement of {', '.join(temp)} on {table}.")
        steps.append(f"Delete the temporary static routes {', '.join(temp)} from {table}; "
                     "traffic now follows the CEN route(s).")
    if peer.on == "vbr":
        steps.append(f"Configure the health check for {table} on CEN again.")

    # Rollback: reverse order, restore the exact previous state.
    if temp:
        rollback.append(f"Re-add the temporary static routes {', '.join(temp)} on {table} with "
                        f"next hop {peer.next_hop} (if already deleted).")
        if peer.bgp:
            rollback.append(f"Re-advertise {', '.join(temp)} over the BGP session of {table}.")
    rollback.append(f"Re-add the peering route {_route(peer)} on {table} (CEN routes equal to "
                    "or more specific than it are rejected again).")
    if peer.bgp:
        rollback.append(f"Re-advertise {peer.cidr} over the BGP session of {table}.")
    if temp:
        if peer.bgp:
            rollback.append(f"Withdraw {', '.join(temp)} from the BGP session of {table}.")
        rollback.append(f"Delete the temporary static routes {', '.join(temp)} from {table}.")
    if peer.on == "vbr":
        rollback.append(f"Re-enable the health check of {table} as it was before the migration.")
    return steps, rollback


def migration_report(site: object) -> list[str]:
    """Text lines for `check` and `review`: rejected CEN routes and the migration plan.

    Empty when the site model has no `cen_migration` section.
    """
    migration: CenMigration | None = getattr(site, "cen_migration", None)
    if migration is None:
        return []
    found = conflicts(migration)
    lines = ["CEN migration (cloud side, console/API steps):"]
    if not found:
        lines.append(f"  no CEN route is blocked by a peering static route "
                     f"({len(migration.cen_routes)} CEN route(s), "
                     f"{len(migration.peering_routes)} peering route(s) checked)")
        return lines
    for c in found:
        blockers = ", ".join(f"{p.cidr} ({p.next_hop})" for p in c.blockers)
        lines.append(f"  REJECTED: CEN route {c.cen.cidr} on {_table(c.cen.on, c.cen.instance)} "
                     f"is equal to or more specific than peering static route {blockers}")
    for plan in plans(migration):
        peer = plan.peering
        steps, rollback = plan_steps(plan)
        lines.append("")
        lines.append(f"  Smooth migration of peering route {peer.cidr} on "
                     f"{_table(peer.on, peer.instance)} (recommended):")
        lines += [f"    {i}. {s}" for i, s in enumerate(steps, 1)]
        lines.append("    Rollback:")
        lines += [f"    {i}. {s}" for i, s in enumerate(rollback, 1)]
        lines.append(f"  Migration with interruption (riskier): delete {peer.cidr} directly; "
                     "the CEN route takes over only after a disconnection that grows with the "
                     f"number of CEN routes. Rollback: re-add {peer.cidr}.")
        uncovered = plan.uncovered()
        if uncovered:
            shown = ", ".join(str(n) for n in uncovered[:4])
            more = f" and {len(uncovered) - 4} more" if len(uncovered) > 4 else ""
            lines.append(f"  Warning: no CEN route covers {shown}{more} of {peer.cidr}; that "
                         "traffic loses its path when the peering route is deleted.")
    lines.append("")
    lines.append("  Note: same-region peering connections in Hangzhou or Shanghai must not be "
                 "frozen or deleted after the migration.")
    return lines


def migration_json(site: object) -> dict | None:
    """The same report as data, for `review --format json`."""
    migration: CenMigration | None = getattr(site, "cen_migration", None)
    if migration is None:
        return None
    out_plans = []
    for plan in plans(migration):
        steps, rollback = plan_steps(plan)
        out_plans.append({"peering_route": str(plan.peering.cidr), "on": plan.peering.on,
                          "instance": plan.peering.instance, "steps": steps,
                          "rollback": rollback,
                          "uncovered": [str(n) for n in plan.uncovered()]})
    return {"rejected": [c.as_dict() for c in conflicts(migration)], "plans": out_plans}
