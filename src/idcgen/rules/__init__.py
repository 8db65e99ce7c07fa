"""Lint rules: a vendor-neutral Device in, findings out.

Rules never look at config text and never branch on the vendor: the parsers resolved
vendor meaning into the Device. The only vendor-specific thing a rule does is ask
idcgen.generator.snippets for `fix` lines. One module per area, each rule a small
function whose docstring is its documentation (`idcgen rules ID`):

    cloud_services  IDC101-104   100.64.0.0/10
    prefixes        IDC201-205   overlaps, duplicate / conflicting / diverted routes
    health_check    IDC301-306   Alibaba's per-line health check
    ipsec           IDC401-405   IKE / IPsec toward the VPN gateway
    redundancy      IDC501-503   ECMP width, failover, redundancy vs the site
    bgp             IDC601-609   BGP sessions with the VBRs
    failover        IDC504       liveness checks on routes over several leased lines
    meta            IDC900-901   what the linter could not see
    waivers         IDC910-911   inline waivers (checked by idcgen.suppress)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from idcgen.findings import CloudLink, Finding, RejectedLink
from idcgen.rules import (  # noqa: F401 - importing registers the rules
    bgp,
    cloud_services,
    failover,
    health_check,
    ipsec,
    meta,
    prefixes,
    redundancy,
    waivers,
)
from idcgen.rules.base import REGISTRY, Hit, RuleInfo, selected

if TYPE_CHECKING:
    from idcgen.devicemodel import Device
    from idcgen.sitemodel import Site

CATALOGUE: dict[str, RuleInfo] = {rid: REGISTRY[rid][0] for rid in sorted(REGISTRY)}
# Retired ids are never reused; --select/--ignore still accept them (a CI config that
# names one keeps working) and `idcgen rules ID` says why it went.
RETIRED: dict[str, str] = {
    "IDC306": "health-check-source-duplicate: the site model refuses two lines with the "
              "same health-check source (exit 2, located), so no config can be linted "
              "against such a model",
}
# Device sections link inference reads (IDC900 names them when they could not be parsed).
_INFERENCE_TOPICS = ("routes", "interfaces", "ipsec")


@dataclass
class LintResult:
    """The links the rules used (from the site model or inferred) and the findings."""

    links: list[CloudLink] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejected_links: list[RejectedLink] = field(default_factory=list)


def run_rules(device: Device, *, site: Site | None = None, select: list[str] | None = None,
              ignore: list[str] | None = None) -> LintResult:
    """Run the selected rules on one device; findings sorted by line, then rule id.

    With `site`, links come from the site model and the (site) rules run; without it,
    links are inferred from the config, and with none found only IDC901 (and the rules
    that need no link: IDC202, IDC900) can fire.
    """
    from idcgen.links import infer_links_detailed, links_from_site
    from idcgen.rules.context import Context

    select, ignore = list(select or []), list(ignore or [])
    rejected: list[RejectedLink] = []
    if site is not None:
        links = links_from_site(site, device)
    else:
        links, rejected = infer_links_detailed(device)
    ctx = Context(device, site, links)
    ctx.ran_topics = set(_INFERENCE_TOPICS) if site is None else set()
    findings: list[Finding] = []
    meta_rules: list[str] = []
    for rule_id, (info, check) in sorted(REGISTRY.items()):
        if not selected(rule_id, select, ignore):
            continue
        if info.needs_site and site is None:
            continue
        if info.needs_links and not links:
            continue
        if rule_id == "IDC900":
            meta_rules.append(rule_id)  # after the others: it reports on what they read
            continue
        ctx.ran_topics.update(info.topics)
        findings += _findings(info, check(ctx), device.path)
    for rule_id in meta_rules:
        info, check = REGISTRY[rule_id]
        findings += _findings(info, check(ctx), device.path)
    findings.sort(key=lambda f: (f.line, f.rule))
    return LintResult(links=links, findings=findings, rejected_links=rejected)


def _findings(info: RuleInfo, hits: Iterable[Hit], path: str) -> list[Finding]:
    out: list[Finding] = []
    for hit in hits:
        assert isinstance(hit, Hit)
        out.append(Finding(rule=info.id, name=info.name, severity=info.severity,
                           line=hit.line, message=hit.message, fix=list(hit.fix), file=path))
    return out


def rules_command(rule_id: str | None) -> int:
    """`idcgen rules [ID]`: the catalogue, or one rule's documentation."""
    import click

    from idcgen.errors import InputError

    if rule_id is None:
        width = max(len(info.name) for info in CATALOGUE.values())
        for rule in CATALOGUE.values():
            site = " (site)" if rule.needs_site else ""
            summary = rule.summary.removeprefix("(site) ")
            click.echo(f"{rule.id}  {rule.severity:<7}  {rule.name:<{width}}  "
                       f"{summary}{site}")
        return 0
    key = rule_id.strip().upper()
    info = CATALOGUE.get(key)
    if info is None and key in RETIRED:
        click.echo(f"{key} (retired): {RETIRED[key]}")
        return 0
    if info is None:
        raise InputError(f"unknown rule {rule_id!r}; `idcgen rules` lists them "
                         f"({next(iter(CATALOGUE))}...{list(CATALOGUE)[-1]})")
    click.echo(f"{info.id} {info.name} ({info.severity})"
               + ("  [needs --site]" if info.needs_site else ""))
    click.echo(f"Fires when: {info.summary}")
    click.echo("")
    click.echo(info.doc)
    return 0


__all__ = ["CATALOGUE", "RETIRED", "LintResult", "RuleInfo", "rules_command", "run_rules"]
