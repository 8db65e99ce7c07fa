"""Huawei ACL rules come out in rule-id order however they were read (the parser keeps a
list while ids grow and switches to a dict by id when one does not)."""

from __future__ import annotations

from idcgen.vendors.huawei_vrp.parser import parse

_CONFIG = """\
acl number 3000
 rule 10 permit ip source 10.0.0.1 0
 rule 20 deny ip source 10.0.0.2 0
 rule 5 permit ip source 10.0.0.3 0
 rule 20 permit ip source 10.0.0.4 0
 rule deny ip source 10.0.0.5 0
acl number 3001
 step 10
 rule permit ip source 10.0.1.1 0
 rule 15 deny ip source 10.0.1.2 0
 rule permit ip source 10.0.1.3 0
"""


def _rules(name: str) -> list[tuple[str | None, str | None, str]]:
    acl = parse(_CONFIG).filters[name]
    return [(e.name, e.action, str(e.match.sources[0]) if e.match.sources else "any")
            for e in acl.entries]


def test_ids_out_of_order_and_repeated() -> None:
    # 5 sorts first; the second `rule 20` replaces the first; an unnumbered rule takes
    # the next multiple of the step above the largest id
    assert _rules("3000") == [("5", "permit", "10.0.0.3/32"), ("10", "permit", "10.0.0.1/32"),
                              ("20", "permit", "10.0.0.4/32"), ("25", "deny", "10.0.0.5/32")]


def test_ids_in_order_with_a_step() -> None:
    assert _rules("3001") == [("10", "permit", "10.0.1.1/32"), ("15", "deny", "10.0.1.2/32"),
                              ("20", "permit", "10.0.1.3/32")]
