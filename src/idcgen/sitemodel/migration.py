"""Peering connection -> CEN migration data of the site model (docs/cloud.md#scenario-e).

A static route of a peering connection beats CEN's dynamic routes: CEN rejects every
route that is equal to or more specific than an existing static route in the same route
table. The site model lists the cloud side's peering static routes and the routes CEN
will learn, so `check` and `review` can name the routes CEN would reject and print the
smooth migration plan (idcgen.review_migration). These are cloud-side (console/API)
objects: nothing here is rendered into a device config.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from idcgen.sitemodel.fields import Description, Name

RouteTable = Literal["vpc", "vbr"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeeringRoute(_Model):
    """A static route of a peering connection, on a VPC or a VBR route table.

    `next_hop` describes the peering next hop for the plan's text (e.g. the Express
    Connect router interface); `bgp` marks a VBR whose routes reach the data center over
    BGP, where the plan advertises/withdraws the temporary blocks instead of only adding
    static routes.
    """

    cidr: IPv4Network
    on: RouteTable
    instance: Name | None = Field(default=None,
                                  description="VPC/VBR name; None matches any instance")
    next_hop: Description
    bgp: bool = False


class CenRoute(_Model):
    """A route CEN will learn into the VPC/VBR route table (e.g. another VPC's CIDR)."""

    cidr: IPv4Network
    on: RouteTable
    instance: Name | None = None
    description: Description | None = None


class CenMigration(_Model):
    """The `cen_migration:` section."""

    peering_routes: list[PeeringRoute] = Field(default_factory=list)
    cen_routes: list[CenRoute] = Field(default_factory=list)


def same_table(peering: PeeringRoute, cen: CenRoute) -> bool:
    """Do the two routes sit in one route table (same kind, and same instance if named)?"""
    if peering.on != cen.on:
        return False
    return peering.instance is None or cen.instance is None or peering.instance == cen.instance


def blocking_routes(migration: CenMigration, cen: CenRoute) -> list[PeeringRoute]:
    """The peering static routes that make CEN reject `cen` (equal or less specific)."""
    return [p for p in migration.peering_routes
            if same_table(p, cen) and cen.cidr.subnet_of(p.cidr)]


def validate_migration(site: object) -> list[tuple[tuple, str]]:
    """Cross-field checks of the migration part: (path, message) pairs.

    Duplicates would print the same plan step twice; `bgp` on a VPC route has no meaning
    (a VPC route table does not speak BGP to the data center).
    """
    migration: CenMigration | None = getattr(site, "cen_migration", None)
    if migration is None:
        return []
    errors: list[tuple[tuple, str]] = []
    tables: tuple[tuple[str, Sequence[PeeringRoute | CenRoute]], ...] = (
        ("peering_routes", migration.peering_routes), ("cen_routes", migration.cen_routes))
    for field, routes in tables:
        seen: dict[tuple, int] = {}
        for i, route in enumerate(routes):
            path = ("cen_migration", field, i)
            key = (route.on, route.instance, route.cidr)
            if key in seen:
                errors.append(((*path, "cidr"), f"{route.cidr} on {route.on} is already "
                                                f"listed as {field}[{seen[key]}]"))
            seen.setdefault(key, i)
            if isinstance(route, PeeringRoute) and route.bgp and route.on != "vbr":
                errors.append(((*path, "bgp"), "bgp applies to peering routes on a VBR only"))
    return errors


__all__ = ["CenMigration", "CenRoute", "PeeringRoute", "blocking_routes", "same_table",
           "validate_migration"]
