"""A long route policy is evaluated through its term index (bgp.candidate_terms): the
decision must be the one a scan of every term gives, for any mix of conditions.

The BGP fixtures (tests/fixtures/bgp, cases IDC604-long-*) show it on real configs; this
checks the equivalence on random policies: route filters and prefix lists that hold,
nearly hold or miss the route, deny entries, undefined lists, conditions the model does
not evaluate, protocol and neighbor conditions, terms without a terminating action.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from idcgen import bgp
from idcgen.devicemodel import BgpConfig, PolicyTerm, PrefixList, PrefixMatch, RoutePolicy

# a small address space, so that filters and routes often overlap
_BASES = [IPv4Network(text) for text in ("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24",
                                         "10.1.2.128/25", "10.2.0.0/16", "192.168.0.0/16",
                                         "192.168.10.1/32", "0.0.0.0/0")]
_NEIGHBORS = [IPv4Address("10.10.10.1"), IPv4Address("10.10.11.1")]
_PROTOCOLS = ["bgp", "static", "direct", "aggregate"]


@st.composite
def _network(draw: st.DrawFn) -> IPv4Network:
    base = draw(st.sampled_from(_BASES))
    length = draw(st.integers(base.prefixlen, min(base.prefixlen + 9, 32)))
    offset = draw(st.integers(0, (1 << (length - base.prefixlen)) - 1))
    return IPv4Network((int(base.network_address) + (offset << (32 - length)), length))


@st.composite
def _match(draw: st.DrawFn) -> PrefixMatch:
    prefix = draw(_network())
    ge = draw(st.integers(prefix.prefixlen, 32))
    le = draw(st.integers(ge, 32))
    return PrefixMatch(prefix, ge, le, draw(st.sampled_from(["permit", "deny"])))


@st.composite
def _term(draw: st.DrawFn, list_names: list[str]) -> PolicyTerm:
    return PolicyTerm(
        name=f"T{draw(st.integers(0, 999))}",
        action=draw(st.sampled_from(["permit", "deny", None])),
        prefix_lists=draw(st.lists(st.sampled_from([*list_names, "UNDEFINED"]), max_size=2)),
        route_filters=draw(st.lists(_match(), max_size=3)),
        protocols=draw(st.lists(st.sampled_from(_PROTOCOLS), max_size=2)),
        neighbors=draw(st.lists(st.sampled_from(_NEIGHBORS), max_size=1)),
        other=draw(st.sampled_from([[], [], [], ["community NO-EXPORT"]])))


@st.composite
def _config(draw: st.DrawFn) -> tuple[BgpConfig, list[str]]:
    lists = {f"PL{i}": PrefixList(f"PL{i}", draw(st.lists(_match(), min_size=1, max_size=8)))
             for i in range(draw(st.integers(0, 4)))}
    config = BgpConfig(prefix_lists=lists)
    names = []
    for index in range(draw(st.integers(1, 2))):
        terms = draw(st.lists(_term(list(lists)), min_size=bgp.TERM_SCAN_LIMIT + 1,
                              max_size=30))
        name = f"POLICY{index}"
        config.policies[name] = RoutePolicy(
            name, terms, default_action=draw(st.sampled_from(["deny", None])))
        names.append(name)
    return config, names


def _scanned(config: BgpConfig, names: list[str], net: IPv4Network, protocol: str,
             neighbor: IPv4Address | None, monkeypatch: pytest.MonkeyPatch) -> bgp.Decision:
    """The decision of a plain scan of every term (the index switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr(bgp, "TERM_SCAN_LIMIT", 10**9)
        return bgp.evaluate_policies(config, names, net, protocol=protocol,
                                     neighbor=neighbor, default="permit")


# no shrinking: a failure is shown as drawn (shrinking policies of 17+ terms takes minutes)
@settings(max_examples=40, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(_config(), st.lists(_network(), min_size=4, max_size=8),
       st.sampled_from(_PROTOCOLS), st.sampled_from([None, *_NEIGHBORS]))
def test_the_index_decides_as_a_scan_of_every_term(
        monkeypatch: pytest.MonkeyPatch, built: tuple[BgpConfig, list[str]],
        nets: list[IPv4Network], protocol: str, neighbor: IPv4Address | None) -> None:
    config, names = built
    for net in nets:
        indexed = bgp.evaluate_policies(config, names, net, protocol=protocol,
                                        neighbor=neighbor, default="permit")
        assert indexed == _scanned(config, names, net, protocol, neighbor, monkeypatch), net


def test_candidates_keep_policy_order_and_leave_out_only_terms_that_cannot_match() -> None:
    lab = [PolicyTerm(f"NO-LAB-{i}", "deny",
                      route_filters=[PrefixMatch(IPv4Network(f"172.16.{200 + i}.0/24"), 24, 32)])
           for i in range(30)]
    community = PolicyTerm("COMMUNITY", "deny", route_filters=lab[3].route_filters,
                           other=["community NO-EXPORT"])
    listed = PolicyTerm("LISTED", "permit", prefix_lists=["PL-DC"])
    undefined = PolicyTerm("UNDEFINED", "deny", prefix_lists=["PL-NOWHERE"])
    final = PolicyTerm("REJECT", "deny")
    config = BgpConfig(prefix_lists={"PL-DC": PrefixList("PL-DC", [
        PrefixMatch(IPv4Network("172.16.0.0/16"), 16, 24)])})
    policy = RoutePolicy("OUT", [*lab, community, listed, undefined, final])
    names = [t.name for t in bgp.candidate_terms(config, policy,
                                                 IPv4Network("172.16.205.0/24"))]
    assert names == ["NO-LAB-5", "COMMUNITY", "LISTED", "UNDEFINED", "REJECT"]
    names = [t.name for t in bgp.candidate_terms(config, policy, IPv4Network("10.0.0.0/8"))]
    assert names == ["COMMUNITY", "UNDEFINED", "REJECT"]
