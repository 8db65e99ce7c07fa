"""Peering -> CEN migration data of the site model (issue #5 fills this in)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CenMigration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def validate_migration(site) -> list[tuple[tuple, str]]:
    """Cross-field checks of the migration part: (path, message) pairs."""
    return []
