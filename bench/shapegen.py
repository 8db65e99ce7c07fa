"""Configs of one *shape*: one dimension scales, the others stay small.

`generate.py` makes one realistic mix; this module makes configs where a single thing
grows — interfaces, static routes (with many distinct next hops), ACL entries, ACLs
applied to interfaces, control-plane stages, IPsec tunnels, cloud-facing links, Junos
nesting depth, terms of a BGP export policy (with the static routes it is evaluated
against) — plus `border`, the mix of a large border router where everything grows
together (per 100k lines: ~860 interfaces, ~54k routes over ~15k next hops, ~900 ACLs).
That is where a lookup that scans one dimension per item of another shows up.

Every config is rendered from one vendor-neutral model, for Cisco IOS-XE, Huawei VRP
and Junos (hierarchical and `display set`), so the four forms say the same thing. Each
has the two Express Connect lines of scenario B: line A with a health-check /32, line B
without one (so the rules also take their "every VPC-side source" path), a CoPP /
cpu-defend / lo0 policy, routes to the VPC and to 100.64.0.0/10. Deterministic.

    python bench/shapegen.py routes cisco_ios 10000 > routes.cfg
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address

FORMS = ("cisco_ios", "huawei_vrp", "junos", "junos_set")


def ip(value: int) -> str:
    return str(IPv4Address(value & 0xFFFFFFFF))


def n2i(text: str) -> int:
    return int(IPv4Address(text))


def mask(plen: int) -> str:
    return ip((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF)


def wild(plen: int) -> str:
    return ip((1 << (32 - plen)) - 1)


# --------------------------------------------------------------------------- model
LINE_A, LINE_B = n2i("10.10.10.0"), n2i("10.10.11.0")
HC_A = n2i("192.168.10.1")
VPC = n2i("192.168.0.0")
CS = n2i("100.64.0.0")


@dataclass
class Iface:
    name: int  # index: rendered per vendor as a sub-interface / unit of a bulk port
    address: int
    plen: int
    description: str | None = None
    vlan: int | None = None
    acl_in: str | None = None
    cloud: bool = False  # on the cloud-facing port (TenGig / xe) instead of the bulk port


@dataclass
class Route:
    prefix: int
    plen: int
    next_hop: int | None = None
    interface: str | None = None  # a tunnel: ("st0.N" / "TunnelN" rendered per vendor)
    standby: bool = False  # a floating route (preference above the vendor default)


@dataclass
class Entry:
    action: str  # permit | deny
    proto: str  # ip | icmp | tcp
    src: int | None  # None = any
    src_plen: int = 32
    dst: int | None = None
    port: int | None = None


@dataclass
class Acl:
    name: str
    entries: list[Entry]


@dataclass
class Stage:
    """A control-plane stage ahead of the generic ICMP policer."""

    name: str
    src: int
    plen: int
    treatment: str  # exempt | police | drop


@dataclass
class Tunnel:
    index: int
    peer: int
    local: int  # /24 selectors
    remote: int


@dataclass
class PolicyTerm:
    """An export policy term / route-map entry: one prefix (exact), accept or reject."""

    prefix: int
    plen: int
    accept: bool


@dataclass
class Bgp:
    """eBGP to the VBRs of both lines (AS 45104, MD5, multipath): one import policy
    accepting the VPC (up to /32) and 100.64.0.0/10 (up to /11), one export policy of
    `terms` then a term rejecting the rest, fed by the static routes (Cisco `redistribute
    static`, Huawei `import-route static`, Junos `from protocol static`)."""

    local_as: int = 65010
    peer_as: int = 45104
    peers: tuple[int, ...] = (LINE_A + 1, LINE_B + 1)
    terms: list[PolicyTerm] = field(default_factory=list)


@dataclass
class Model:
    ifaces: list[Iface] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    acls: list[Acl] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    tunnels: list[Tunnel] = field(default_factory=list)
    depth: int = 0  # Junos: one chain of nested blocks this deep (other vendors: ignored)
    chains: int = 1
    bgp: Bgp | None = None


def base_model() -> Model:
    """The two lines of scenario B; line B's health-check source is not routed."""
    m = Model()
    m.ifaces.append(Iface(-1, LINE_A + 2, 30, "Express Connect line A - Aliyun VBR", cloud=True))
    m.ifaces.append(Iface(-2, LINE_B + 2, 30, "Express Connect line B - Aliyun VBR", cloud=True))
    m.ifaces.append(Iface(-3, n2i("172.16.0.1"), 16, "DC core"))
    for peer in (LINE_A + 1, LINE_B + 1):
        m.routes.append(Route(VPC, 16, peer))
        m.routes.append(Route(CS, 10, peer))
    m.routes.append(Route(HC_A, 32, LINE_A + 1))
    m.routes.append(Route(0, 0, n2i("172.16.0.254")))
    return m


# --------------------------------------------------------------------------- shapes
def shape_interfaces(n: int) -> Model:
    """n sub-interfaces (/30 each, description, VLAN); 10 routes onto some of them."""
    m = base_model()
    base = n2i("10.128.0.0")
    for i in range(n):
        m.ifaces.append(Iface(i, base + 4 * i + 1, 30, f"customer-vlan-{i} rack {i % 40}",
                              vlan=i % 4000 + 1))
    for r in range(10):
        m.routes.append(Route(n2i("20.0.0.0") + 256 * r, 24,
                              base + 4 * (r * max(n // 10, 1) % max(n, 1)) + 2))
    return m


def shape_routes(n: int) -> Model:
    """n static routes over many distinct next hops (8 LAN /16s, up to 500k hosts); 5 %
    are specifics of 100.64.0.0/10 over both cloud lines."""
    m = base_model()
    for k in range(8):
        m.ifaces.append(Iface(k, n2i(f"10.{100 + k}.0.1"), 16, f"LAN {k}"))
    for r in range(n):
        if r % 20 == 0:
            m.routes.append(Route(CS + 256 * (r // 20), 24,
                                  (LINE_A if r % 40 == 0 else LINE_B) + 1))
            continue
        nh = n2i(f"10.{100 + r % 8}.0.0") + ((r // 8) % 62500) + 2
        m.routes.append(Route(n2i("20.0.0.0") + 256 * r, 24, nh))
    return m


def _edge_entry(j: int) -> Entry:
    src = CS + 4 * j if j % 3 else VPC + 4 * (j % 16384)
    if j % 5 == 0:
        return Entry("deny", "icmp", src, 30)
    return Entry("permit", "tcp", src, 30, n2i("172.16.0.0") + j % 65000, 1024 + j % 50000)


def shape_acl_entries(n: int) -> Model:
    """n ACL entries: half in one ACL inbound on line B, a quarter inbound on line A, the
    rest in ACLs of 50 entries applied nowhere. Sources lie in the VPC-side region."""
    m = base_model()
    big_b, big_a = n // 2, n // 4
    m.acls.append(Acl("EDGE-B", [_edge_entry(j) for j in range(big_b)]
                      + [Entry("permit", "ip", None)]))
    m.acls.append(Acl("EDGE-A", [_edge_entry(j + big_b) for j in range(big_a)]
                      + [Entry("permit", "icmp", HC_A), Entry("permit", "ip", None)]))
    m.ifaces[0].acl_in, m.ifaces[1].acl_in = "EDGE-A", "EDGE-B"
    rest = n - big_a - big_b
    for k in range(0, rest, 50):
        m.acls.append(Acl(f"SPARE-{k // 50}",
                          [_edge_entry(j) for j in range(k, min(k + 50, rest))]))
    return m


def shape_acls_applied(n: int) -> Model:
    """n sub-interfaces, each with its own 4-entry inbound ACL."""
    m = base_model()
    base = n2i("10.128.0.0")
    for i in range(n):
        name = f"IF-{i}"
        m.acls.append(Acl(name, [Entry("deny", "icmp", base + 4 * i + 2),
                                 Entry("permit", "tcp", n2i("172.16.0.0"), 16,
                                       base + 4 * i + 1, 22),
                                 Entry("deny", "tcp", None, 32, None, 23),
                                 Entry("permit", "ip", None)]))
        m.ifaces.append(Iface(i, base + 4 * i + 1, 30, f"server-{i}", vlan=i % 4000 + 1,
                              acl_in=name))
    return m


def shape_copp(n: int) -> Model:
    """n control-plane stages (CoPP classes / cpu-defend rules / lo0 terms) before the
    generic ICMP policer, matching VPC-side sources."""
    m = base_model()
    for i in range(n):
        src = VPC + 4 * (i % 16384) if i % 2 else CS + 4 * i
        m.stages.append(Stage(f"S{i}", src, 30, ("exempt", "police", "drop")[i % 3]))
    return m


def shape_ipsec(n: int) -> Model:
    """n IPsec tunnels to Alibaba VPN gateways (peers / crypto map entries / VPNs), each
    with its own selectors and a route."""
    m = base_model()
    m.ifaces.append(Iface(-4, n2i("1.1.1.1"), 30, "Internet uplink"))
    for i in range(n):
        t = Tunnel(i + 1, n2i("47.0.0.0") + 4 * i + 1, n2i("10.0.0.0") + 256 * (i % 65536),
                   n2i("172.16.0.0") + 256 * (i % 4096))
        m.tunnels.append(t)
    m.routes.append(Route(0, 0, n2i("1.1.1.2")))
    return m


def shape_links(n: int) -> Model:
    """n more cloud-facing lines (described /30 sub-interfaces), each with its VPC /24 over
    itself and its neighbour (ECMP) and a health-check /32 via its own VBR."""
    m = base_model()
    base = n2i("10.200.0.0")
    for i in range(n):
        m.ifaces.append(Iface(i, base + 4 * i + 2, 30, f"Aliyun VBR line {i}",
                              vlan=i % 4000 + 1, cloud=True))
    for i in range(n):
        vpc = n2i("172.20.0.0") + 256 * i
        m.routes.append(Route(vpc, 24, base + 4 * i + 1))
        m.routes.append(Route(vpc, 24, base + 4 * (i ^ 1 if (i ^ 1) < n else i) + 1))
        m.routes.append(Route(n2i("192.168.128.0") + i, 32, base + 4 * i + 1))
    return m


# Levels of one chain: under `system`, 62 nested blocks keep the deepest leaf within the
# reader's limit (vendors/parsing.py MAX_DEPTH = 64); a deeper config is an input error
# at that line (exit 2, by design), so it cannot be timed as a lint.
CHAIN_DEPTH = 62


def shape_depth(n: int) -> Model:
    """Junos: n nested levels, one leaf per level, as one chain up to CHAIN_DEPTH deep and
    as several chains of that depth beyond it (others: n/10 sub-interfaces, to give them
    a size)."""
    m = base_model()
    m.depth = min(n, CHAIN_DEPTH)
    m.chains = -(-n // m.depth)
    return m


def depth_chains(chains: int, depth: int = CHAIN_DEPTH) -> Model:
    """Junos: `chains` nested chains of blocks, each `depth` deep (a long config of deep
    nesting, for the line-count targets)."""
    m = base_model()
    m.depth, m.chains = depth, chains
    return m


def shape_border(n: int) -> Model:
    """The large border router of issue #8, scaled: n = thousands of static routes.
    Per 1000 routes: 16 interfaces (/27), 280 distinct next hops, 17 ACLs of 40 entries."""
    m = base_model()
    n_if = max(n * 16 // 1000, 1)
    base = n2i("10.128.0.0")
    for i in range(n_if):
        acl = f"IF-{i}" if i < n * 17 // 1000 else None
        m.ifaces.append(Iface(i, base + 32 * i + 1, 27, f"server-net-{i}", vlan=i % 4000 + 1,
                              acl_in=acl))
    for k in range(n * 17 // 1000):
        m.acls.append(Acl(f"IF-{k}", [Entry("permit" if j % 4 else "deny", "tcp",
                                            n2i("172.24.0.0") + 256 * (40 * k + j), 24,
                                            base + 32 * (k % n_if) + 1 + j % 29,
                                            1024 + j) for j in range(40)]
                          + [Entry("permit", "ip", None)]))
    for r in range(n):
        nh = base + 32 * (r % n_if) + 2 + (r // n_if) % 17
        m.routes.append(Route(n2i("20.0.0.0") + 256 * r, 24, nh))
    return m


DC_CORE_NH = n2i("172.16.0.254")
DC_NETS = n2i("172.20.0.0")


def shape_bgp_policy(n: int) -> Model:
    """eBGP to both VBRs with an export policy of n terms, term i matching one data-center
    /24 (172.20.0.0 + 256 i) and accepting it unless i % 4 == 0, then a term rejecting the
    rest; n static routes, one per /24, to the DC core, exported through that policy.
    (Past ~110 announced prefixes IDC607, the VBR's route quota, fires: expected.)"""
    m = base_model()
    m.bgp = Bgp()
    for i in range(n):
        m.bgp.terms.append(PolicyTerm(DC_NETS + 256 * i, 24, i % 4 != 0))
        m.routes.append(Route(DC_NETS + 256 * i, 24, DC_CORE_NH))
    return m


SHAPES: dict[str, tuple[Callable[[int], Model], str]] = {
    "interfaces": (shape_interfaces, "sub-interfaces"),
    "routes": (shape_routes, "static routes"),
    "acl_entries": (shape_acl_entries, "ACL entries"),
    "acls_applied": (shape_acls_applied, "interfaces with an inbound ACL"),
    "copp": (shape_copp, "CoPP classes / cpu-defend rules / lo0 terms"),
    "ipsec": (shape_ipsec, "IPsec peers + tunnels"),
    "links": (shape_links, "cloud-facing links (+ /32 HC routes)"),
    "depth": (shape_depth, "Junos nesting depth"),
    "border": (shape_border, "static routes, border-router mix"),
    "bgp_policy": (shape_bgp_policy, "BGP export policy terms (+ as many static routes)"),
}


# --------------------------------------------------------------------------- Cisco
def _cisco_if(i: Iface) -> str:
    if i.name < 0:
        return f"GigabitEthernet0/0/{-i.name}"
    return (f"TenGigabitEthernet0/1/0.{i.name + 1}" if i.cloud
            else f"Port-channel1.{i.name + 1}")


def _cisco_entry(e: Entry) -> str:
    src = "any" if e.src is None else (f"host {ip(e.src)}" if e.src_plen == 32
                                       else f"{ip(e.src)} {wild(e.src_plen)}")
    dst = "any" if e.dst is None else f"host {ip(e.dst)}"
    tail = " echo" if e.proto == "icmp" and e.src is not None else ""
    port = f" eq {e.port}" if e.port else ""
    return f" {e.action} {e.proto} {src} {dst}{port}{tail}\n"


CISCO_MD5 = ("0822455D0A16544541", "070C285F4D06485744")


def _cisco_bgp(b: Bgp) -> Iterator[str]:
    yield ("ip prefix-list PL-ALIYUN-IN seq 10 permit 192.168.0.0/16 le 32\n"
           "ip prefix-list PL-ALIYUN-IN seq 20 permit 100.64.0.0/10 le 11\n")
    for i, t in enumerate(b.terms):
        yield f"ip prefix-list PL-DC-{i} seq 5 permit {ip(t.prefix)}/{t.plen}\n"
    yield "!\nroute-map RM-ALIYUN-IN permit 10\n match ip address prefix-list PL-ALIYUN-IN\n!\n"
    for i, t in enumerate(b.terms):
        yield (f"route-map RM-ALIYUN-OUT {'permit' if t.accept else 'deny'} {i + 1}\n"
               f" match ip address prefix-list PL-DC-{i}\n!\n")
    yield f"route-map RM-ALIYUN-OUT deny {len(b.terms) + 1}\n!\n"
    yield (f"router bgp {b.local_as}\n bgp router-id 172.16.0.1\n bgp log-neighbor-changes\n"
           " no bgp default ipv4-unicast\n")
    for k, peer in enumerate(b.peers):
        yield (f" neighbor {ip(peer)} remote-as {b.peer_as}\n"
               f" neighbor {ip(peer)} description Aliyun VBR line {'AB'[k % 2]}\n"
               f" neighbor {ip(peer)} password 7 {CISCO_MD5[k % 2]}\n")
    yield " !\n address-family ipv4\n  redistribute static\n"
    for peer in b.peers:
        yield (f"  neighbor {ip(peer)} activate\n"
               f"  neighbor {ip(peer)} route-map RM-ALIYUN-IN in\n"
               f"  neighbor {ip(peer)} route-map RM-ALIYUN-OUT out\n")
    yield f"  maximum-paths {len(b.peers)}\n exit-address-family\n!\n"


def render_cisco(m: Model) -> Iterator[str]:
    yield ("Building configuration...\n!\nversion 17.6\nservice timestamps log datetime msec\n"
           "!\nhostname shape-border1\n!\n")
    yield ("ip access-list extended ACL-COPP-ALIYUN-HC\n permit icmp host 192.168.10.1 any echo\n"
           "ip access-list extended ACL-COPP-ICMP\n permit icmp any any\n!\n")
    for s in m.stages:
        yield (f"ip access-list extended ACL-CP-{s.name}\n"
               f" permit icmp {ip(s.src)} {wild(s.plen)} any echo\n"
               f"class-map match-all CM-CP-{s.name}\n match access-group name ACL-CP-{s.name}\n")
    yield ("class-map match-all CM-COPP-ALIYUN-HC\n match access-group name ACL-COPP-ALIYUN-HC\n"
           "class-map match-all CM-COPP-ICMP\n match access-group name ACL-COPP-ICMP\n!\n"
           "policy-map PM-COPP\n class CM-COPP-ALIYUN-HC\n"
           "  police 1000000 conform-action transmit exceed-action transmit\n")
    actions = {"exempt": "transmit exceed-action transmit", "police": "transmit exceed-action "
               "drop", "drop": "drop exceed-action drop"}
    for s in m.stages:
        yield (f" class CM-CP-{s.name}\n  police 64000 conform-action {actions[s.treatment]}\n")
    yield (" class CM-COPP-ICMP\n  police 64000 conform-action transmit exceed-action drop\n"
           " class class-default\n  police 1000000 conform-action transmit exceed-action drop\n"
           "!\n")
    for acl in m.acls:
        yield f"ip access-list extended ACL-{acl.name}\n"
        for e in acl.entries:
            yield _cisco_entry(e)
    yield "!\n"
    if m.tunnels:
        yield ("crypto isakmp policy 10\n encryption aes 256\n hash sha256\n"
               " authentication pre-share\n group 14\n!\n")
        for t in m.tunnels:
            yield f"crypto isakmp key 6 bXlfZW5jcnlwdGVkX2tleQAAAAA= address {ip(t.peer)}\n"
        yield "crypto ipsec transform-set TS-ALIYUN esp-aes 256 esp-sha256-hmac\n mode tunnel\n!\n"
        for t in m.tunnels:
            yield (f"ip access-list extended ACL-VPN-{t.index}\n"
                   f" permit ip {ip(t.local)} 0.0.0.255 {ip(t.remote)} 0.0.0.255\n"
                   f"crypto map CM-ALIYUN {t.index} ipsec-isakmp\n set peer {ip(t.peer)}\n"
                   f" set transform-set TS-ALIYUN\n set pfs group14\n"
                   f" match address ACL-VPN-{t.index}\n")
        yield "!\n"
    for i in m.ifaces:
        yield f"interface {_cisco_if(i)}\n"
        if i.description:
            yield f" description {i.description}\n"
        if i.vlan:
            yield f" encapsulation dot1Q {i.vlan}\n"
        yield f" ip address {ip(i.address)} {mask(i.plen)}\n"
        if i.acl_in:
            yield f" ip access-group ACL-{i.acl_in} in\n"
        if m.tunnels and i.name == -4:
            yield " crypto map CM-ALIYUN\n"
        yield "!\n"
    if m.bgp:
        yield from _cisco_bgp(m.bgp)
    for r in m.routes:
        pref = " 20" if r.standby else ""
        yield f"ip route {ip(r.prefix)} {mask(r.plen)} {ip(r.next_hop or 0)}{pref}\n"
    for t in m.tunnels:
        yield f"ip route {ip(t.remote)} 255.255.255.0 {ip(t.peer)}\n"
    yield "!\ncontrol-plane\n service-policy input PM-COPP\n!\nline vty 0 4\n!\nend\n"


# --------------------------------------------------------------------------- Huawei
def _huawei_if(i: Iface) -> str:
    if i.name < 0:
        return f"GigabitEthernet0/0/{-i.name}"
    return (f"XGigabitEthernet0/1/0.{i.name + 1}" if i.cloud
            else f"Eth-Trunk1.{i.name + 1}")


def _huawei_rule(seq: int, e: Entry) -> str:
    wildcard = wild(e.src_plen) if e.src_plen < 32 else "0"
    src = "" if e.src is None else f" source {ip(e.src)} {wildcard}"
    dst = "" if e.dst is None else f" destination {ip(e.dst)} 0"
    port = f" destination-port eq {e.port}" if e.port else ""
    icmp = " icmp-type echo" if e.proto == "icmp" and e.src is not None else ""
    return f" rule {seq} {e.action} {e.proto}{src}{dst}{port}{icmp}\n"


HUAWEI_MD5 = ("%^%#Kq8w1Yb3N<Q[m!d0(sN9Ff:Z@sR-vP7/X%^%#",
              "%^%#Zr2w1Yb3N<Q[m!d0(sN9Ff:Z@sR-vP7/X%^%#")


def _huawei_bgp(b: Bgp) -> Iterator[str]:
    yield f"bgp {b.local_as}\n router-id 172.16.0.1\n"
    for k, peer in enumerate(b.peers):
        yield (f" peer {ip(peer)} as-number {b.peer_as}\n"
               f" peer {ip(peer)} description Aliyun-VBR-line-{'AB'[k % 2]}\n"
               f" peer {ip(peer)} password cipher {HUAWEI_MD5[k % 2]}\n")
    yield (" #\n ipv4-family unicast\n  undo synchronization\n  import-route static\n"
           f"  maximum load-balancing ebgp {len(b.peers)}\n")
    for peer in b.peers:
        yield (f"  peer {ip(peer)} enable\n"
               f"  peer {ip(peer)} route-policy RP-ALIYUN-IN import\n"
               f"  peer {ip(peer)} route-policy RP-ALIYUN-OUT export\n")
    yield ("#\nip ip-prefix PL-ALIYUN-IN index 10 permit 192.168.0.0 16 greater-equal 16 "
           "less-equal 32\nip ip-prefix PL-ALIYUN-IN index 20 permit 100.64.0.0 10 "
           "greater-equal 10 less-equal 11\n")
    for i, t in enumerate(b.terms):
        yield f"ip ip-prefix PL-DC-{i} index 10 permit {ip(t.prefix)} {t.plen}\n"
    yield "#\nroute-policy RP-ALIYUN-IN permit node 10\n if-match ip-prefix PL-ALIYUN-IN\n#\n"
    for i, t in enumerate(b.terms):
        yield (f"route-policy RP-ALIYUN-OUT {'permit' if t.accept else 'deny'} node {i + 1}\n"
               f" if-match ip-prefix PL-DC-{i}\n#\n")
    yield f"route-policy RP-ALIYUN-OUT deny node {len(b.terms) + 1}\n#\n"


def render_huawei(m: Model) -> Iterator[str]:
    yield "!Software Version V200R010C10SPC700\n#\nsysname shape-border1\n#\n"
    yield "acl number 3999\n rule 5 permit icmp source 192.168.10.1 0\n#\n"
    for s in m.stages:
        yield (f"acl name CP-{s.name} advance\n"
               f" rule 5 permit icmp source {ip(s.src)} {wild(s.plen)}\n#\n")
    for acl in m.acls:
        yield f"acl name {acl.name} advance\n"
        for seq, e in enumerate(acl.entries, 1):
            yield _huawei_rule(seq * 5, e)
        yield "#\n"
    yield "cpu-defend policy POL-ALIYUN\n whitelist 1 acl 3999\n"
    for k, s in enumerate(m.stages, 2):
        if s.treatment == "exempt":
            yield f" whitelist {k} acl name CP-{s.name}\n"
        elif s.treatment == "drop":
            yield f" blacklist {k} acl name CP-{s.name}\n"
        else:
            yield (f" user-defined-flow {k} acl name CP-{s.name}\n"
                   f" car user-defined-flow {k} cir 64\n")
    yield " car packet-type icmp cir 64\n#\ncpu-defend-policy POL-ALIYUN global\n#\n"
    if m.tunnels:
        yield ("ike proposal 10\n encryption-algorithm aes-256\n dh group14\n"
               " authentication-algorithm sha2-256\n#\n"
               "ipsec proposal P-ALIYUN\n esp authentication-algorithm sha2-256\n"
               " esp encryption-algorithm aes-256\n#\n")
        for t in m.tunnels:
            yield (f"ike peer ALIYUN-{t.index}\n pre-shared-key cipher %^%#K8m:Xr>6v1Q3v%^%#\n"
                   f" ike-proposal 10\n remote-address {ip(t.peer)}\n#\n"
                   f"acl name VPN-{t.index} advance\n rule 5 permit ip source {ip(t.local)} "
                   f"0.0.0.255 destination {ip(t.remote)} 0.0.0.255\n#\n")
        for t in m.tunnels:
            yield (f"ipsec policy MAP-ALIYUN {t.index} isakmp\n security acl name VPN-{t.index}\n"
                   f" ike-peer ALIYUN-{t.index}\n proposal P-ALIYUN\n pfs dh-group14\n#\n")
    for i in m.ifaces:
        yield f"interface {_huawei_if(i)}\n"
        if i.description:
            yield f" description {i.description.replace(' ', '-')}\n"
        if i.vlan:
            yield f" dot1q termination vid {i.vlan}\n"
        yield f" ip address {ip(i.address)} {mask(i.plen)}\n"
        if i.acl_in:
            yield f" traffic-filter inbound acl name {i.acl_in}\n"
        if m.tunnels and i.name == -4:
            yield " ipsec policy MAP-ALIYUN\n"
        yield "#\n"
    if m.bgp:
        yield from _huawei_bgp(m.bgp)
    for r in m.routes:
        pref = " preference 80" if r.standby else ""
        yield f"ip route-static {ip(r.prefix)} {r.plen} {ip(r.next_hop or 0)}{pref}\n"
    for t in m.tunnels:
        yield f"ip route-static {ip(t.remote)} 24 {ip(t.peer)}\n"
    yield "#\nreturn\n"


# --------------------------------------------------------------------------- Junos
Stmt = tuple[tuple[str, ...], str]  # (enclosing blocks, leaf statement)


def _junos_if(i: Iface) -> tuple[str, str]:
    if i.name < 0:
        return f"ge-0/0/{-i.name}", "0"
    return ("xe-0/1/0" if i.cloud else "ae1"), str(i.name + 1)


def _junos_term(e: Entry) -> list[str]:
    out = []
    if e.src is not None:
        out.append(f"from source-address {ip(e.src)}/{e.src_plen}")
    if e.dst is not None:
        out.append(f"from destination-address {ip(e.dst)}/32")
    if e.proto != "ip":
        out.append(f"from protocol {e.proto}")
    if e.proto == "icmp" and e.src is not None:
        out.append("from icmp-type echo-request")
    if e.port:
        out.append(f"from destination-port {e.port}")
    out.append("then accept" if e.action == "permit" else "then discard")
    return out


def junos_statements(m: Model) -> Iterator[Stmt]:
    yield (), "version 21.4R3-S5.4"
    yield ("system",), "host-name shape-border1"
    for c in range(m.chains if m.depth else 0):
        for d in range(m.depth):
            yield (("system", *(f"apply-macro C{c}M{k}" for k in range(d + 1))),
                   f"level-{d} value-{d}")
    for i in m.ifaces:
        ifd, unit = _junos_if(i)
        if i.vlan:
            yield ("interfaces", ifd), "vlan-tagging"
        if i.description and i.name < 0:
            yield ("interfaces", ifd), f'description "{i.description}"'
        block = ("interfaces", ifd, f"unit {unit}")
        if i.description and i.name >= 0:
            yield block, f'description "{i.description}"'
        if i.vlan:
            yield block, f"vlan-id {i.vlan}"
        yield (*block, "family inet"), f"address {ip(i.address)}/{i.plen}"
        if i.acl_in:
            yield (*block, "family inet", "filter"), f"input {i.acl_in}"
    yield ("interfaces", "lo0", "unit 0", "family inet", "filter"), "input PROTECT-RE"
    for t in m.tunnels:
        yield ("interfaces", "st0", f"unit {t.index}"), "family inet"
    yield ("policy-options", "prefix-list ALIYUN-HC"), "192.168.10.1/32"
    pol = ("firewall", "policer ICMP-LIMIT")
    yield (*pol, "if-exceeding"), "bandwidth-limit 1m"
    yield (*pol, "if-exceeding"), "burst-size-limit 15k"
    yield (*pol, "then"), "discard"
    re_ = ("firewall", "family inet", "filter PROTECT-RE")
    yield (*re_, "term ALIYUN-HC", "from", "source-prefix-list"), "ALIYUN-HC"
    yield (*re_, "term ALIYUN-HC", "from"), "protocol icmp"
    yield (*re_, "term ALIYUN-HC", "then"), "accept"
    for s in m.stages:
        term = (*re_, f"term {s.name}")
        yield (*term, "from"), f"source-address {ip(s.src)}/{s.plen}"
        yield (*term, "from"), "protocol icmp"
        if s.treatment == "police":
            yield (*term, "then"), "policer ICMP-LIMIT"
        yield (*term, "then"), "discard" if s.treatment == "drop" else "accept"
    yield (*re_, "term ICMP", "from"), "protocol icmp"
    yield (*re_, "term ICMP", "then"), "policer ICMP-LIMIT"
    yield (*re_, "term ICMP", "then"), "accept"
    yield (*re_, "term REST", "then"), "accept"
    for acl in m.acls:
        for j, e in enumerate(acl.entries):
            term = ("firewall", "family inet", f"filter {acl.name}", f"term T{j}")
            for leaf in _junos_term(e):
                head, _, rest = leaf.partition(" ")
                yield (*term, head), rest
    if m.tunnels:
        ike = ("security", "ike")
        yield (*ike, "proposal P1"), "authentication-method pre-shared-keys"
        yield (*ike, "proposal P1"), "authentication-algorithm sha-256"
        yield (*ike, "proposal P1"), "encryption-algorithm aes-256-cbc"
        yield (*ike, "proposal P1"), "dh-group group14"
        yield (*ike, "policy IKE-ALIYUN"), "mode main"
        yield (*ike, "policy IKE-ALIYUN"), "proposals P1"
        yield (*ike, "policy IKE-ALIYUN"), 'pre-shared-key ascii-text "$9$H.fz9A0hSe36SevW"'
        sec = ("security", "ipsec")
        yield (*sec, "proposal P2"), "protocol esp"
        yield (*sec, "proposal P2"), "authentication-algorithm hmac-sha-256-128"
        yield (*sec, "proposal P2"), "encryption-algorithm aes-256-cbc"
        yield (*sec, "policy IPSEC-ALIYUN"), "perfect-forward-secrecy keys group14"
        yield (*sec, "policy IPSEC-ALIYUN"), "proposals P2"
        for t in m.tunnels:
            gw = (*ike, f"gateway GW-ALIYUN-{t.index}")
            yield gw, "ike-policy IKE-ALIYUN"
            yield gw, f"address {ip(t.peer)}"
            yield gw, "external-interface ge-0/0/4.0"
            vpn = (*sec, f"vpn VPN-ALIYUN-{t.index}")
            yield vpn, f"bind-interface st0.{t.index}"
            yield (*vpn, "ike"), f"gateway GW-ALIYUN-{t.index}"
            yield (*vpn, "ike"), "ipsec-policy IPSEC-ALIYUN"
            yield (*vpn, "ike"), (f"proxy-identity local {ip(t.local)}/24 remote "
                                  f"{ip(t.remote)}/24")
    static = ("routing-options", "static")
    for r in m.routes:
        if r.standby:
            yield (*static, f"route {ip(r.prefix)}/{r.plen}"), (
                f"qualified-next-hop {ip(r.next_hop or 0)} preference 20")
        else:
            yield static, f"route {ip(r.prefix)}/{r.plen} next-hop {ip(r.next_hop or 0)}"
    for t in m.tunnels:
        yield static, f"route {ip(t.remote)}/24 next-hop st0.{t.index}"
    if m.bgp:
        yield from _junos_bgp(m.bgp)


def _junos_bgp(b: Bgp) -> Iterator[Stmt]:
    yield ("routing-options",), f"autonomous-system {b.local_as}"
    yield ("routing-options",), "router-id 172.16.0.1"
    yield ("routing-options", "forwarding-table"), "export LOAD-BALANCE"
    group = ("protocols", "bgp", "group ALIYUN")
    yield group, "type external"
    yield group, 'authentication-key "$9$Hk5FCtO1IcyKMLNbw2aZk.mTz6/t0O"'
    yield group, "multipath"
    yield group, "import ALIYUN-IN"
    yield group, "export ALIYUN-OUT"
    for k, peer in enumerate(b.peers):
        yield (*group, f"neighbor {ip(peer)}"), f'description "Aliyun VBR line {"AB"[k % 2]}"'
        yield (*group, f"neighbor {ip(peer)}"), f"peer-as {b.peer_as}"
    imp = ("policy-options", "policy-statement ALIYUN-IN")
    yield (*imp, "term CLOUD", "from"), "route-filter 192.168.0.0/16 upto /32"
    yield (*imp, "term CLOUD", "from"), "route-filter 100.64.0.0/10 upto /11"
    yield (*imp, "term CLOUD", "then"), "accept"
    yield (*imp, "term REJECT", "then"), "reject"
    exp = ("policy-options", "policy-statement ALIYUN-OUT")
    for i, t in enumerate(b.terms):
        yield (*exp, f"term T{i}", "from"), "protocol static"
        yield (*exp, f"term T{i}", "from"), f"route-filter {ip(t.prefix)}/{t.plen} exact"
        yield (*exp, f"term T{i}", "then"), "accept" if t.accept else "reject"
    yield (*exp, "term REJECT", "then"), "reject"
    yield ("policy-options", "policy-statement LOAD-BALANCE", "then"), "load-balance per-packet"


def render_junos_set(m: Model) -> Iterator[str]:
    for blocks, leaf in junos_statements(m):
        yield "set " + " ".join((*blocks, leaf)) + "\n"


def render_junos(m: Model) -> Iterator[str]:
    """Braces: statements merged into blocks in first-seen order (as Junos prints)."""
    tree: dict = {}
    for blocks, leaf in junos_statements(m):
        node = tree
        for b in blocks:
            node = node.setdefault(b, {})
        node.setdefault(None, []).append(leaf)
    yield "## Last commit: 2025-03-05 08:55:12 UTC by bench\n"
    stack: list[tuple[Iterator, int]] = [(iter(tree.items()), 0)]
    while stack:
        items, depth = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            if stack:
                yield "    " * (depth - 1) + "}\n"
            continue
        key, value = item
        pad = "    " * depth
        if key is None:
            for leaf in value:
                yield f"{pad}{leaf};\n"
        else:
            yield f"{pad}{key} {{\n"
            stack.append((iter(value.items()), depth + 1))


RENDER: dict[str, Callable[[Model], Iterator[str]]] = {
    "cisco_ios": render_cisco, "huawei_vrp": render_huawei, "junos": render_junos,
    "junos_set": render_junos_set,
}


def generate(shape: str, form: str, n: int) -> str:
    model = SHAPES[shape][0](n)
    if shape == "depth" and not form.startswith("junos"):
        model = shape_interfaces(max(n // 10, 1))
    return "".join(RENDER[form](model))


if __name__ == "__main__":
    sys.stdout.write(generate(sys.argv[1], sys.argv[2], int(sys.argv[3])))
