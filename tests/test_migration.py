"""Peering -> CEN migration (docs/cloud.md#scenario-e): the site model part and the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from idcgen.errors import InputError
from idcgen.review_migration import conflicts, migration_json, migration_report, plans
from idcgen.sitemodel import load_site

SAMPLE = Path(__file__).parent.parent / "samples" / "cen-migration.yaml"


@pytest.fixture(scope="module")
def site():
    return load_site(SAMPLE)


def test_sample_is_a_valid_site_with_a_line(site) -> None:
    assert len(site.lines) == 1
    assert site.cen_migration is not None


def test_guide_example_routes_are_rejected(site) -> None:
    found = {str(c.cen.cidr): [str(p.cidr) for p in c.blockers]
             for c in conflicts(site.cen_migration)}
    assert found == {"172.16.1.0/24": ["172.16.0.0/16"], "192.168.1.0/24": ["192.168.0.0/16"]}


def test_smooth_plan_for_the_vpc_example(site) -> None:
    text = "\n".join(migration_report(site))
    assert "REJECTED: CEN route 172.16.1.0/24" in text
    assert "172.16.1.0/25, 172.16.1.128/25" in text
    lines = migration_report(site)
    start = next(i for i, ln in enumerate(lines) if "peering route 172.16.0.0/16" in ln)
    steps = [ln.strip() for ln in lines[start + 1:start + 5]]
    assert steps[0].startswith("1. On VPC vpc-hz, add temporary static routes "
                               "172.16.1.0/25, 172.16.1.128/25")
    assert steps[1].startswith("2. Delete the peering route 172.16.0.0/16")
    assert steps[2].startswith("3. Confirm that the CEN route(s) 172.16.1.0/24")
    assert steps[3].startswith("4. Delete the temporary static routes")


def test_vbr_plan_has_health_check_and_bgp_steps(site) -> None:
    plan = next(p for p in plans(site.cen_migration) if p.peering.on == "vbr")
    from idcgen.review_migration import plan_steps

    steps, rollback = plan_steps(plan)
    assert "Disable the health check" in steps[0]
    assert any("Advertise 192.168.1.0/25, 192.168.1.128/25" in s for s in steps)
    assert "health check" in steps[-1] and "CEN" in steps[-1]
    assert any("Re-advertise" in s for s in rollback)
    assert any("Re-add the peering route 192.168.0.0/16" in s for s in rollback)


def test_interruption_method_is_flagged_as_riskier(site) -> None:
    text = "\n".join(migration_report(site))
    assert "Migration with interruption (riskier)" in text
    assert "Rollback: re-add 172.16.0.0/16" in text


def test_no_conflict_when_cen_route_is_less_specific(tmp_path: Path) -> None:
    text = SAMPLE.read_text().replace("cidr: 172.16.1.0/24", "cidr: 172.0.0.0/8") \
        .replace("cidr: 192.168.1.0/24", "cidr: 192.0.0.0/8")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    site = load_site(path)
    assert conflicts(site.cen_migration) == []
    assert "no CEN route is blocked" in "\n".join(migration_report(site))


def test_other_instance_does_not_conflict(tmp_path: Path) -> None:
    text = SAMPLE.read_text().replace("      instance: vpc-hz\n      description",
                                      "      instance: vpc-other\n      description")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    found = [str(c.cen.cidr) for c in conflicts(load_site(path).cen_migration)]
    assert found == ["192.168.1.0/24"]


def test_json_form(site) -> None:
    data = migration_json(site)
    assert data is not None
    assert {r["cen_route"] for r in data["rejected"]} == {"172.16.1.0/24", "192.168.1.0/24"}
    assert all(p["steps"] and p["rollback"] for p in data["plans"])


def test_no_section_no_report(tmp_path: Path) -> None:
    text = SAMPLE.read_text().split("cen_migration:")[0]
    path = tmp_path / "s.yaml"
    path.write_text(text)
    site = load_site(path)
    assert migration_report(site) == [] and migration_json(site) is None


@pytest.mark.parametrize("snippet, message", [
    ("bgp: true", "bgp applies to peering routes on a VBR only"),
    ("duplicate", "is already listed"),
])
def test_validation(tmp_path: Path, snippet: str, message: str) -> None:
    text = SAMPLE.read_text()
    if snippet == "bgp: true":
        text = text.replace("      next_hop: Express Connect router interface of the peering "
                            "connection\n",
                            "      next_hop: Express Connect router interface of the peering "
                            "connection\n      bgp: true\n")
    else:
        text = text.replace("  cen_routes:\n", "  cen_routes:\n    - cidr: 172.16.1.0/24\n"
                            "      on: vpc\n      instance: vpc-hz\n")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_site(path)
    assert message in str(info.value)
    assert "s.yaml:" in str(info.value)


def test_check_command_prints_the_plan() -> None:
    from click.testing import CliRunner

    from idcgen.cli import main

    result = CliRunner().invoke(main, ["check", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "REJECTED: CEN route 192.168.1.0/24" in result.output
