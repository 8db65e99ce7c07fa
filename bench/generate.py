"""Synthetic running configs of a given size, per vendor, for the benchmark.

Each config is what a large data-center border router looks like: the two Express
Connect lines of scenario B (descriptions, /30s, routes into the VPC and 100.64.0.0/10,
health-check /32s, a CoPP / cpu-defend / lo0 policy), then bulk that grows with the size:
VLAN sub-interfaces with descriptions and addresses, long ACLs / firewall filters, and
static routes. Deterministic (no randomness), so runs compare.

    python bench/generate.py cisco_ios 100000 > big.cfg
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from ipaddress import IPv4Address

VENDORS = ("cisco_ios", "huawei_vrp", "junos", "junos_set")


def _ip(value: int) -> str:
    return str(IPv4Address(value))


BASE_SUBNET = int(IPv4Address("10.128.0.0"))  # sub-interfaces: 10.128.0.0/9 in /30s
BASE_ROUTE = int(IPv4Address("172.20.0.0"))
BASE_ACL = int(IPv4Address("172.24.0.0"))


def _masklen_to_mask(length: int) -> str:
    return _ip((0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF)


def _wildcard(length: int) -> str:
    return _ip((1 << (32 - length)) - 1)


# --------------------------------------------------------------------------- Cisco IOS-XE
CISCO_HEAD = """\
Building configuration...

Current configuration : 999999 bytes
!
version 17.6
service timestamps debug datetime msec
service timestamps log datetime msec
service password-encryption
!
hostname bench-border1
!
ip access-list extended ACL-COPP-ALIYUN-HC
 permit icmp host 192.168.10.1 any echo
 permit icmp host 192.168.10.2 any echo
ip access-list extended ACL-COPP-ICMP
 permit icmp any any
!
class-map match-all CM-COPP-ALIYUN-HC
 match access-group name ACL-COPP-ALIYUN-HC
class-map match-all CM-COPP-ICMP
 match access-group name ACL-COPP-ICMP
!
policy-map PM-COPP
 class CM-COPP-ALIYUN-HC
  police 1000000 conform-action transmit exceed-action transmit
 class CM-COPP-ICMP
  police 64000 conform-action transmit exceed-action drop
 class class-default
  police 1000000 conform-action transmit exceed-action drop
!
interface GigabitEthernet0/0/1
 description Express Connect line A - Aliyun VBR
 ip address 10.10.10.2 255.255.255.252
!
interface GigabitEthernet0/0/2
 description Express Connect line B - Aliyun VBR
 ip address 10.10.11.2 255.255.255.252
!
ip route 192.168.0.0 255.255.0.0 10.10.10.1 name ALIYUN-VPC-A
ip route 192.168.0.0 255.255.0.0 10.10.11.1 name ALIYUN-VPC-B
ip route 100.64.0.0 255.192.0.0 10.10.10.1 name ALIYUN-SVC-A
ip route 100.64.0.0 255.192.0.0 10.10.11.1 name ALIYUN-SVC-B
ip route 192.168.10.1 255.255.255.255 10.10.10.1 name ALIYUN-HC-A
ip route 192.168.10.2 255.255.255.255 10.10.11.1 name ALIYUN-HC-B
!
control-plane
 service-policy input PM-COPP
!
"""


def _cisco(lines: int) -> Iterator[str]:
    yield CISCO_HEAD
    budget = lines - CISCO_HEAD.count("\n") - 8
    # 40 % interfaces (5 lines each), 35 % ACL entries, 25 % routes
    n_if = budget * 40 // 100 // 5
    n_acl = budget * 35 // 100
    n_route = budget - n_if * 5 - n_acl - n_acl // 50 - 2
    for i in range(n_if):
        net = BASE_SUBNET + 4 * i
        yield (f"interface GigabitEthernet0/0/3.{i + 1}\n"
               f" description customer-vlan-{i + 1} rack {i % 40} port {i % 48}\n"
               f" encapsulation dot1Q {i % 4000 + 1}\n"
               f" ip address {_ip(net + 1)} 255.255.255.252\n!\n")
    for entry in range(n_acl):
        if entry % 50 == 0:
            yield f"ip access-list extended ACL-EDGE-{entry // 50}\n"
        src = BASE_ACL + 256 * entry
        yield (f" permit tcp {_ip(src)} 0.0.0.255 host 172.16.{entry % 250}.{entry % 200 + 1}"
               f" eq {1024 + entry % 50000}\n")
    yield "!\n"
    for r in range(max(n_route, 0)):
        yield (f"ip route {_ip(BASE_ROUTE + 256 * r)} 255.255.255.0 "
               f"{_ip(BASE_SUBNET + 4 * (r % max(n_if, 1)) + 2)} name R{r}\n")
    yield "!\nline vty 0 4\n transport input ssh\n!\nend\n"


# --------------------------------------------------------------------------- Huawei VRP
HUAWEI_HEAD = """\
!Software Version V200R010C10SPC700
#
sysname bench-border1
#
acl number 3999
 rule 5 permit icmp source 192.168.10.1 0
 rule 10 permit icmp source 192.168.10.2 0
#
cpu-defend policy POL-ALIYUN
 whitelist 1 acl 3999
 car packet-type icmp cir 512
#
cpu-defend-policy POL-ALIYUN global
#
interface GigabitEthernet0/0/1
 description Express Connect line A to Aliyun VBR
 ip address 10.10.10.2 255.255.255.252
#
interface GigabitEthernet0/0/2
 description Express Connect line B to Aliyun VBR
 ip address 10.10.11.2 255.255.255.252
#
ip route-static 192.168.0.0 255.255.0.0 10.10.10.1 description ALIYUN-VPC-A
ip route-static 192.168.0.0 255.255.0.0 10.10.11.1 description ALIYUN-VPC-B
ip route-static 100.64.0.0 255.192.0.0 10.10.10.1 description ALIYUN-SVC-A
ip route-static 100.64.0.0 255.192.0.0 10.10.11.1 description ALIYUN-SVC-B
ip route-static 192.168.10.1 255.255.255.255 10.10.10.1 description ALIYUN-HC-A
ip route-static 192.168.10.2 255.255.255.255 10.10.11.1 description ALIYUN-HC-B
#
"""


def _huawei(lines: int) -> Iterator[str]:
    yield HUAWEI_HEAD
    budget = lines - HUAWEI_HEAD.count("\n") - 2
    n_if = budget * 40 // 100 // 5
    n_acl = budget * 35 // 100
    n_route = budget - n_if * 5 - n_acl - 2 * (n_acl // 50) - 1
    for i in range(n_if):
        net = BASE_SUBNET + 4 * i
        yield (f"interface GigabitEthernet0/0/3.{i + 1}\n"
               f" description customer-vlan-{i + 1} rack {i % 40} port {i % 48}\n"
               f" dot1q termination vid {i % 4000 + 1}\n"
               f" ip address {_ip(net + 1)} 255.255.255.252\n#\n")
    for entry in range(n_acl):
        if entry % 50 == 0:
            if entry:
                yield "#\n"
            yield f"acl number {3000 + entry // 50 % 999}\n"
        src = BASE_ACL + 256 * entry
        yield (f" rule {5 * (entry % 50 + 1)} permit tcp source {_ip(src)} 0.0.0.255 "
               f"destination 172.16.{entry % 250}.{entry % 200 + 1} 0 "
               f"destination-port eq {1024 + entry % 50000}\n")
    yield "#\n"
    for r in range(max(n_route, 0)):
        yield (f"ip route-static {_ip(BASE_ROUTE + 256 * r)} 255.255.255.0 "
               f"{_ip(BASE_SUBNET + 4 * (r % max(n_if, 1)) + 2)} description R{r}\n")
    yield "#\nreturn\n"


# --------------------------------------------------------------------------- Junos (set)
JUNOS_SET_HEAD = """\
set version 21.4R3-S5.4
set system host-name bench-border1
set interfaces ge-0/0/1 description "Express Connect line A - Aliyun VBR"
set interfaces ge-0/0/1 unit 0 family inet address 10.10.10.2/30
set interfaces ge-0/0/2 description "Express Connect line B - Aliyun VBR"
set interfaces ge-0/0/2 unit 0 family inet address 10.10.11.2/30
set interfaces lo0 unit 0 family inet filter input PROTECT-RE
set policy-options prefix-list ALIYUN-HC 192.168.10.1/32
set policy-options prefix-list ALIYUN-HC 192.168.10.2/32
set firewall policer ICMP-LIMIT if-exceeding bandwidth-limit 1m
set firewall policer ICMP-LIMIT if-exceeding burst-size-limit 15k
set firewall policer ICMP-LIMIT then discard
set firewall family inet filter PROTECT-RE term ALIYUN-HC from source-prefix-list ALIYUN-HC
set firewall family inet filter PROTECT-RE term ALIYUN-HC from protocol icmp
set firewall family inet filter PROTECT-RE term ALIYUN-HC then accept
set firewall family inet filter PROTECT-RE term ICMP from protocol icmp
set firewall family inet filter PROTECT-RE term ICMP then policer ICMP-LIMIT
set firewall family inet filter PROTECT-RE term ICMP then accept
set firewall family inet filter PROTECT-RE term REST then accept
set routing-options static route 192.168.0.0/16 next-hop 10.10.10.1
set routing-options static route 192.168.0.0/16 next-hop 10.10.11.1
set routing-options static route 100.64.0.0/10 next-hop 10.10.10.1
set routing-options static route 100.64.0.0/10 next-hop 10.10.11.1
set routing-options static route 192.168.10.1/32 next-hop 10.10.10.1
set routing-options static route 192.168.10.2/32 next-hop 10.10.11.1
"""


def _junos_set(lines: int) -> Iterator[str]:
    yield JUNOS_SET_HEAD
    budget = lines - JUNOS_SET_HEAD.count("\n")
    n_if = budget * 40 // 100 // 3
    n_term = budget * 35 // 100 // 5
    n_route = budget - 3 * n_if - 5 * n_term
    for i in range(n_if):
        unit = f"set interfaces ge-0/0/3 unit {i + 1}"
        yield (f'{unit} description "customer-vlan-{i + 1} rack {i % 40} port {i % 48}"\n'
               f"{unit} vlan-id {i % 4000 + 1}\n"
               f"{unit} family inet address {_ip(BASE_SUBNET + 4 * i + 1)}/30\n")
    for t in range(n_term):
        term = f"set firewall family inet filter EDGE-{t // 50} term T{t}"
        yield (f"{term} from source-address {_ip(BASE_ACL + 256 * t)}/24\n"
               f"{term} from destination-address 172.16.{t % 250}.{t % 200 + 1}/32\n"
               f"{term} from protocol tcp\n"
               f"{term} from destination-port {1024 + t % 50000}\n"
               f"{term} then accept\n")
    for r in range(max(n_route, 0)):
        yield (f"set routing-options static route {_ip(BASE_ROUTE + 256 * r)}/24 "
               f"next-hop {_ip(BASE_SUBNET + 4 * (r % max(n_if, 1)) + 2)}\n")


# --------------------------------------------------------------------------- Junos (braces)
JUNOS_HEAD = """\
## Last commit: 2025-03-05 08:55:12 UTC by bench
version 21.4R3-S5.4;
system {
    host-name bench-border1;
}
"""


def _junos(lines: int) -> Iterator[str]:
    yield JUNOS_HEAD
    budget = lines - JUNOS_HEAD.count("\n") - 60
    n_if = budget * 40 // 100 // 7
    n_term = budget * 35 // 100 // 9
    n_route = budget - 7 * n_if - 9 * n_term
    yield "interfaces {\n"
    for number, letter in ((1, "A"), (2, "B")):
        yield (f"    ge-0/0/{number} {{\n"
               f'        description "Express Connect line {letter} - Aliyun VBR";\n'
               "        unit 0 {\n            family inet {\n"
               f"                address 10.10.1{number - 1}.2/30;\n"
               "            }\n        }\n    }\n")
    yield "    ge-0/0/3 {\n        vlan-tagging;\n"
    for i in range(n_if):
        yield (f"        unit {i + 1} {{\n"
               f'            description "customer-vlan-{i + 1} rack {i % 40} port {i % 48}";\n'
               f"            vlan-id {i % 4000 + 1};\n"
               "            family inet {\n"
               f"                address {_ip(BASE_SUBNET + 4 * i + 1)}/30;\n"
               "            }\n        }\n")
    yield "    }\n"
    yield ("    lo0 {\n        unit 0 {\n            family inet {\n"
           "                filter {\n                    input PROTECT-RE;\n"
           "                }\n            }\n        }\n    }\n}\n")
    yield ("policy-options {\n    prefix-list ALIYUN-HC {\n        192.168.10.1/32;\n"
           "        192.168.10.2/32;\n    }\n}\n")
    yield ("firewall {\n    policer ICMP-LIMIT {\n        if-exceeding {\n"
           "            bandwidth-limit 1m;\n            burst-size-limit 15k;\n        }\n"
           "        then discard;\n    }\n    family inet {\n"
           "        filter PROTECT-RE {\n"
           "            term ALIYUN-HC {\n                from {\n"
           "                    source-prefix-list {\n                        ALIYUN-HC;\n"
           "                    }\n                    protocol icmp;\n                }\n"
           "                then accept;\n            }\n"
           "            term ICMP {\n                from {\n                    protocol icmp;\n"
           "                }\n                then {\n                    policer ICMP-LIMIT;\n"
           "                    accept;\n                }\n            }\n"
           "            term REST {\n                then accept;\n            }\n        }\n")
    for t in range(n_term):
        if t % 50 == 0:
            if t:
                yield "        }\n"
            yield f"        filter EDGE-{t // 50} {{\n"
        yield (f"            term T{t} {{\n                from {{\n"
               f"                    source-address {_ip(BASE_ACL + 256 * t)}/24;\n"
               f"                    destination-address 172.16.{t % 250}.{t % 200 + 1}/32;\n"
               "                    protocol tcp;\n"
               f"                    destination-port {1024 + t % 50000};\n"
               "                }\n                then accept;\n            }\n")
    if n_term:
        yield "        }\n"
    yield "    }\n}\n"
    yield ("routing-options {\n    static {\n"
           "        route 192.168.0.0/16 next-hop [ 10.10.10.1 10.10.11.1 ];\n"
           "        route 100.64.0.0/10 next-hop [ 10.10.10.1 10.10.11.1 ];\n"
           "        route 192.168.10.1/32 next-hop 10.10.10.1;\n"
           "        route 192.168.10.2/32 next-hop 10.10.11.1;\n")
    for r in range(max(n_route, 0)):
        yield (f"        route {_ip(BASE_ROUTE + 256 * r)}/24 "
               f"next-hop {_ip(BASE_SUBNET + 4 * (r % max(n_if, 1)) + 2)};\n")
    yield "    }\n}\n"


GENERATORS: dict[str, Callable[[int], Iterator[str]]] = {
    "cisco_ios": _cisco, "huawei_vrp": _huawei, "junos": _junos, "junos_set": _junos_set,
}


def generate(vendor: str, lines: int) -> str:
    """A config of about `lines` lines (within a few percent) for `vendor`."""
    return "".join(GENERATORS[vendor](lines))


if __name__ == "__main__":
    sys.stdout.write(generate(sys.argv[1], int(sys.argv[2])))
