"""Render one device config: site model -> plan -> templates/<vendor>/site.j2."""

from __future__ import annotations

from dataclasses import dataclass

from idcgen.generator.ipsec import plan_ipsec
from idcgen.generator.plan import RenderPlan, plan_site
from idcgen.generator.templating import template
from idcgen.sitemodel import Site


@dataclass(frozen=True)
class RenderResult:
    """The config text, and whether it holds a secret (then it is written with mode 0600)."""

    text: str
    holds_secret: bool


def render_plan(plan: RenderPlan) -> str:
    """The config text of a plan (no timestamp: the same plan gives the same bytes).

    A plan that needs a macro the vendor's templates lack is a CapabilityError naming
    it (the render command reports the site-model field first, `check_vendor_fit`)."""
    from idcgen.generator.snippets import has_macro
    from idcgen.vendors import get_driver

    if plan.exemption is not None and not has_macro(plan.vendor, "exemption"):
        get_driver(plan.vendor).unsupported(
            f"the control-plane exemption (no exemption macro in templates/{plan.vendor}/"
            "macros.j2)")
    if plan.bgp is not None:
        from idcgen.generator.templating import has_template

        if not has_template(f"{plan.vendor}/bgp.j2"):
            get_driver(plan.vendor).unsupported(
                f"routing bgp (no templates/{plan.vendor}/bgp.j2)")
    return template(f"{plan.vendor}/site.j2").render(plan=plan)


def render_site(site: Site, vendor: str, *, key_placeholder: bool = False) -> RenderResult:
    """Render `site` for `vendor` (canonical id).

    `key_placeholder` asks the IPsec part (and the BGP passwords) to name each key's
    source instead of resolving it, so the output can be reviewed without holding a secret.
    """
    ipsec = plan_ipsec(site, vendor, key_placeholder=key_placeholder)
    plan = plan_site(site, vendor, ipsec=ipsec, key_placeholder=key_placeholder)
    holds_secret = bool(ipsec and ipsec.get("holds_secret")) or bool(
        plan.bgp and plan.bgp.holds_secret)
    return RenderResult(text=render_plan(plan), holds_secret=holds_secret)
