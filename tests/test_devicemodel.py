"""Semantics of the vendor-neutral device model that rules depend on."""

from ipaddress import IPv4Address, IPv4Network

from idcgen.devicemodel import (
    ControlPlaneStage,
    Filter,
    FilterEntry,
    PacketMatch,
)

HC = IPv4Address("192.168.10.1")
OTHER = IPv4Address("198.51.100.7")
LINK = IPv4Address("10.10.10.2")


def _filter(default: str) -> Filter:
    only_hc = PacketMatch(protocols={"icmp"}, sources=[IPv4Network(f"{HC}/32")])
    return Filter("HC", [FilterEntry(only_hc, "permit", line=3)], default_action=default)


def test_filter_first_match_and_default_action():
    permit_default = _filter("permit")
    assert permit_default.evaluate(HC, LINK, "icmp", "echo")[0] == "permit"
    action, entry = permit_default.evaluate(OTHER, LINK, "icmp", "echo")
    assert (action, entry) == ("permit", None)  # no entry matched: the default decides
    assert _filter("deny").evaluate(OTHER, LINK, "icmp", "echo") == ("deny", None)


def test_classifier_matches_only_on_an_explicit_permit_entry():
    # a Huawei ACL used both as traffic-filter (default permit) and as a cpu-defend
    # classifier must not classify packets that none of its rules matches
    filters = {"HC": _filter("permit")}
    stage = ControlPlaneStage("whitelist", "exempt", acl="HC")
    assert stage.classifies(filters, HC, LINK, "icmp", "echo")
    assert not stage.classifies(filters, OTHER, LINK, "icmp", "echo")


def test_negated_and_missing_classifier_acl():
    filters = {"HC": _filter("deny")}
    negated = ControlPlaneStage("not-hc", "police", acl="HC", negate_acl=True)
    assert negated.classifies(filters, OTHER, LINK, "icmp", "echo")
    assert not negated.classifies(filters, HC, LINK, "icmp", "echo")
    missing = ControlPlaneStage("ghost", "police", acl="NOPE")
    assert not missing.classifies(filters, HC, LINK, "icmp", "echo")
