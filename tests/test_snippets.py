"""idcgen.generator.snippets: intents -> vendor lines, with the macros `render` uses."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest

from idcgen.generator import snippets, templating
from idcgen.generator.intent import ExemptionIntent, InterfaceIntent, RouteIntent
from idcgen.generator.plan import plan_site
from idcgen.generator.render import render_site
from idcgen.sitemodel import load_site

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
VENDORS = ("cisco_ios", "huawei_vrp", "junos")

SERVICES = IPv4Network("100.64.0.0/10")
VBR_A = IPv4Address("10.10.10.1")
DEFAULT_ROUTE = RouteIntent(prefix=SERVICES, next_hop=VBR_A, name="ALIYUN-SVC-LINE-A",
                            purpose="cloud-services")
STANDBY_ROUTE = RouteIntent(prefix=SERVICES, next_hop=IPv4Address("10.10.11.1"),
                            preference=11, name="ALIYUN-SVC-LINE-B", purpose="cloud-services")
TUNNEL_ROUTE = RouteIntent(prefix=IPv4Network("192.168.0.0/16"), interface="Tunnel10",
                           purpose="ipsec")
HC_SOURCES = (IPv4Address("192.168.10.1"), IPv4Address("192.168.10.2"))
HC_TARGETS = (IPv4Address("10.10.10.2"), IPv4Address("10.10.11.2"))


@pytest.mark.parametrize(("vendor", "expected"), [
    ("cisco_ios", ["ip route 100.64.0.0 255.192.0.0 10.10.10.1 name ALIYUN-SVC-LINE-A"]),
    ("huawei_vrp", ["ip route-static 100.64.0.0 10 10.10.10.1 description ALIYUN-SVC-LINE-A"]),
    ("junos", ["set routing-options static route 100.64.0.0/10 next-hop 10.10.10.1"]),
])
def test_route_at_default_preference(vendor: str, expected: list[str]) -> None:
    assert snippets.route_lines(vendor, DEFAULT_ROUTE) == expected


@pytest.mark.parametrize(("vendor", "expected"), [
    ("cisco_ios", ["ip route 100.64.0.0 255.192.0.0 10.10.11.1 11 name ALIYUN-SVC-LINE-B"]),
    ("huawei_vrp", ["ip route-static 100.64.0.0 10 10.10.11.1 preference 11 "
                    "description ALIYUN-SVC-LINE-B"]),
    ("junos", ["set routing-options static route 100.64.0.0/10 qualified-next-hop 10.10.11.1 "
               "preference 11"]),
])
def test_route_with_preference(vendor: str, expected: list[str]) -> None:
    assert snippets.route_lines(vendor, STANDBY_ROUTE) == expected


@pytest.mark.parametrize(("vendor", "expected"), [
    ("cisco_ios", ["ip route 192.168.0.0 255.255.0.0 Tunnel10"]),
    ("huawei_vrp", ["ip route-static 192.168.0.0 16 Tunnel10"]),
    ("junos", ["set routing-options static route 192.168.0.0/16 next-hop Tunnel10"]),
])
def test_interface_route_without_name(vendor: str, expected: list[str]) -> None:
    assert snippets.route_lines(vendor, TUNNEL_ROUTE) == expected


def test_interface_and_next_hop_route() -> None:
    route = RouteIntent(prefix=SERVICES, next_hop=VBR_A, interface="GigabitEthernet0/0/1")
    assert snippets.route_lines("cisco_ios", route) == [
        "ip route 100.64.0.0 255.192.0.0 GigabitEthernet0/0/1 10.10.10.1"]
    assert snippets.route_lines("huawei_vrp", route) == [
        "ip route-static 100.64.0.0 10 GigabitEthernet0/0/1 10.10.10.1"]


@pytest.mark.parametrize(("vendor", "route", "expected"), [
    # one removal form per vendor (lint fixes and review alike): prefix, mask, next hop
    ("cisco_ios", STANDBY_ROUTE, ["no ip route 100.64.0.0 255.192.0.0 10.10.11.1"]),
    ("huawei_vrp", STANDBY_ROUTE, ["undo ip route-static 100.64.0.0 10 10.10.11.1"]),
    ("junos", DEFAULT_ROUTE,
     ["delete routing-options static route 100.64.0.0/10 next-hop 10.10.10.1"]),
    ("junos", STANDBY_ROUTE,
     ["delete routing-options static route 100.64.0.0/10 qualified-next-hop 10.10.11.1"]),
])
def test_route_removal(vendor: str, route: RouteIntent, expected: list[str]) -> None:
    assert snippets.route_removal_lines(vendor, route) == expected


def test_interface_lines() -> None:
    plain = InterfaceIntent(name="GigabitEthernet0/0/1", address=IPv4Interface("10.10.10.2/30"),
                            description="ALIYUN LINE-A")
    assert snippets.interface_lines("cisco_ios", plain) == [
        "interface GigabitEthernet0/0/1", " description ALIYUN LINE-A",
        " ip address 10.10.10.2 255.255.255.252", " no shutdown"]
    tagged = InterfaceIntent(name="GigabitEthernet0/0/1", address=IPv4Interface("10.10.10.2/30"),
                             vlan=100)
    assert snippets.interface_lines("huawei_vrp", tagged) == [
        "interface GigabitEthernet0/0/1.100", " dot1q termination vid 100",
        " arp broadcast enable", " ip address 10.10.10.2 255.255.255.252", " undo shutdown"]
    junos = InterfaceIntent(name="ge-0/0/1", address=IPv4Interface("10.10.10.2/30"), vlan=100,
                            description="ALIYUN LINE-A")
    assert snippets.interface_lines("junos", junos) == [
        "set interfaces ge-0/0/1 vlan-tagging",
        'set interfaces ge-0/0/1 unit 100 description "ALIYUN LINE-A"',
        "set interfaces ge-0/0/1 unit 100 vlan-id 100",
        "set interfaces ge-0/0/1 unit 100 family inet address 10.10.10.2/30"]


def test_exemption_insert_lines() -> None:
    intent = ExemptionIntent(sources=HC_SOURCES, destinations=HC_TARGETS, mode="insert",
                             policy="COPP", before="ICMP")
    assert snippets.exemption_lines("cisco_ios", intent) == [
        "ip access-list extended ACL-ALIYUN-HC",
        " permit icmp host 192.168.10.1 host 10.10.10.2 echo",
        " permit icmp host 192.168.10.2 host 10.10.11.2 echo",
        "class-map match-any CM-ALIYUN-HC",
        " match access-group name ACL-ALIYUN-HC",
        "policy-map COPP",
        " class CM-ALIYUN-HC insert-before ICMP",
        "  police 1000000 conform-action transmit exceed-action transmit"]
    assert snippets.exemption_lines("junos", intent) == [
        "set policy-options prefix-list ALIYUN-HC 192.168.10.1/32",
        "set policy-options prefix-list ALIYUN-HC 192.168.10.2/32",
        "set firewall family inet filter COPP term ALIYUN-HC from source-prefix-list ALIYUN-HC",
        "set firewall family inet filter COPP term ALIYUN-HC from protocol icmp",
        "set firewall family inet filter COPP term ALIYUN-HC from icmp-type echo-request",
        "set firewall family inet filter COPP term ALIYUN-HC then accept",
        "insert firewall family inet filter COPP term ALIYUN-HC before term ICMP"]
    assert snippets.exemption_lines("huawei_vrp", intent) == [
        "acl number 3901",
        " description ALIYUN-HC Alibaba Cloud health-check probes",
        " rule 5 permit icmp source 192.168.10.1 0 destination 10.10.10.2 0 icmp-type echo",
        " rule 10 permit icmp source 192.168.10.2 0 destination 10.10.11.2 0 icmp-type echo",
        "cpu-defend policy COPP",
        " user-defined-flow 1 acl 3901",
        " car user-defined-flow 1 cir 1024"]


def test_exemption_without_destinations_matches_any_target() -> None:
    """Lint builds an intent from the HC sources alone when it has no site model."""
    intent = ExemptionIntent(sources=HC_SOURCES[:1])
    cisco = snippets.exemption_lines("cisco_ios", intent)
    assert " permit icmp host 192.168.10.1 any echo" in cisco
    assert cisco[-2:] == ["control-plane", " service-policy input PM-ALIYUN-COPP"]
    huawei = snippets.exemption_lines("huawei_vrp", intent)
    assert " rule 5 permit icmp source 192.168.10.1 0 icmp-type echo" in huawei
    assert huawei[-1] == "cpu-defend-policy ALIYUN-HC"  # platform None: the AR form
    s_series = snippets.exemption_lines("huawei_vrp", replace(intent, platform="s"))
    assert s_series[-1] == "cpu-defend-policy ALIYUN-HC global"


def test_insert_without_before_keeps_the_instruction() -> None:
    intent = ExemptionIntent(sources=HC_SOURCES, mode="insert", policy="PROTECT-RE")
    junos = snippets.exemption_lines("junos", intent)
    assert any(line.startswith("# Junos appends") for line in junos)
    assert not any(line.startswith("insert ") for line in junos)


def test_ecmp_policy_lines() -> None:
    assert snippets.ecmp_policy_lines("junos") == [
        "set policy-options policy-statement ALIYUN-ECMP then load-balance per-packet",
        "set routing-options forwarding-table export ALIYUN-ECMP"]
    assert snippets.ecmp_policy_lines("cisco_ios") == []


def test_unknown_vendor() -> None:
    with pytest.raises(ValueError, match="unknown vendor"):
        snippets.route_lines("nokia", DEFAULT_ROUTE)


@pytest.mark.parametrize("vendor", VENDORS)
def test_snippets_agree_with_render(vendor: str) -> None:
    """Every snippet of the plan's intents appears verbatim in the rendered config."""
    site = load_site(SAMPLES_DIR / "dual-line-active-standby.yaml")
    plan = plan_site(site, vendor)
    text = render_site(site, vendor).text.splitlines()
    produced = []
    for route in plan.routes:
        produced += snippets.route_lines(vendor, route)
    for interface in plan.interfaces:
        produced += snippets.interface_lines(vendor, interface)
    assert plan.exemption is not None
    produced += snippets.exemption_lines(vendor, plan.exemption)
    for line in produced:
        assert line in text, line


def test_macros_are_compiled_once() -> None:
    assert templating.macros("junos") is templating.macros("junos")
    assert templating.environment() is templating.environment()


def test_importing_the_generator_does_not_load_jinja2() -> None:
    code = ("import sys, idcgen.generator.snippets, idcgen.generator.plan, "
            "idcgen.generator.command; print('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_words_joins_the_present_parts_and_keeps_an_address_and_its_interface_apart() -> None:
    from ipaddress import IPv4Address, IPv4Interface, IPv4Network

    from idcgen.generator.templating import words

    address, interface = IPv4Address("10.10.10.1"), IPv4Interface("10.10.10.1/30")
    assert words(["ip route", IPv4Network("192.168.0.0/16").network_address, None, "",
                  address, 5]) == "ip route 192.168.0.0 10.10.10.1 5"
    assert words([interface, address, interface]) == "10.10.10.1/30 10.10.10.1 10.10.10.1/30"
    assert words(["name", ["unhashable"]]) == "name ['unhashable']"
