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
    return template(f"{plan.vendor}/site.j2").render(plan=plan)


def render_site(site: Site, vendor: str, *, key_placeholder: bool = False) -> RenderResult:
    """Render `site` for `vendor` (canonical id).

    `key_placeholder` asks the IPsec part to name each pre-shared key's source instead of
    resolving it, so the output can be reviewed without holding a secret.
    """
    from idcgen.sitemodel.bgp import uses_bgp

    if uses_bgp(site):  # the BGP templates follow in the next commit (#10, step 2)
        from idcgen.errors import InputError

        raise InputError("routing bgp: this build validates the BGP site model but does not "
                         "render it yet")
    ipsec = plan_ipsec(site, vendor, key_placeholder=key_placeholder)
    plan = plan_site(site, vendor, ipsec=ipsec)
    holds_secret = bool(ipsec and ipsec.get("holds_secret"))
    return RenderResult(text=render_plan(plan), holds_secret=holds_secret)
