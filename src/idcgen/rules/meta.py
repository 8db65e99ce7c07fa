"""IDC900-IDC901: what the linter could not see. Both are informational: they say where
the other rules' view of the device is incomplete, so a clean result is not over-trusted."""

from __future__ import annotations

from collections.abc import Iterator

from idcgen.redact import safe_excerpt
from idcgen.rules.base import Hit, rule
from idcgen.rules.context import Context

_TOPIC_NAMES = {"routes": "static routes", "filters": "ACL / filter",
                "control-plane": "control-plane protection", "ipsec": "IPsec",
                "interfaces": "interface", "bgp": "BGP"}


@rule("IDC900", "unparsed-section", "info",
      "a section relevant to the rules could not be understood (names the lines)",
      needs_links=False)
def unparsed_section(ctx: Context) -> Iterator[Hit]:
    """A section relevant to the rules could not be understood.

    What: the parser recognised a section that matters to a rule that ran (static routes,
    ACLs / filters, control-plane protection, IPsec, interfaces) but could not read it —
    an unusual syntax, a newer release's keyword. One finding per section, at its line.

    Why: rules cannot judge what they cannot see: a missing route, policer or selector
    may be hidden there, so a clean result for that part is not a proof.

    Fix: nothing to change on the device; check that part by hand, and report the lines
    (without secrets) so the parser learns the syntax. Silence with `--ignore IDC900`.
    """
    topics = ctx.ran_topics
    for section in ctx.device.unparsed:
        if section.topic not in topics:
            continue
        what = _TOPIC_NAMES.get(section.topic, section.topic)
        excerpt = safe_excerpt(section.text) if section.topic != "ipsec" else ""
        shown = f" ({excerpt!r})" if excerpt else ""
        reason = f": {section.reason}" if section.reason else ""
        yield Hit(section.line, f"could not understand the {what} section at line "
                                f"{section.line}{shown}{reason}; rules reading it may miss "
                                f"problems there")


@rule("IDC901", "no-cloud-link-found", "info",
      "no cloud-facing link could be found; cloud-specific rules skipped", needs_links=False)
def no_cloud_link_found(ctx: Context) -> Iterator[Hit]:
    """No cloud-facing link could be found; cloud-specific rules were skipped.

    What: without a site model, links are inferred from the config: an interface whose
    description names Aliyun / Alibaba / VBR / Express Connect / CEN and has a /29-/31
    address (or is a tunnel), a static route into 100.64.0.0/10 via a /29-/31 neighbour,
    or an IPsec peer. None was found, so the cloud rules (routes, health check, IPsec,
    redundancy) did not run.

    Why: guessing links from weaker evidence would produce false alarms on devices that
    have nothing to do with Alibaba Cloud.

    Fix: lint with `--site SITE.yaml` (the links come from the model), or describe the
    leased-line interface, e.g.
        Cisco IOS-XE:  interface GigabitEthernet0/0/1
                        description Aliyun Express Connect line A
        Huawei VRP:    interface GigabitEthernet0/0/1
                        description Aliyun-VBR-line-A
        Juniper Junos: set interfaces ge-0/0/1 description "Aliyun VBR line A"
    """
    if not ctx.links:
        yield Hit(0, "no cloud-facing link found (no site model; no interface described as "
                     "Aliyun/Alibaba/VBR/Express Connect/CEN, no route into 100.64.0.0/10 via "
                     "a point-to-point neighbour, no IPsec peer); cloud-specific rules skipped")
