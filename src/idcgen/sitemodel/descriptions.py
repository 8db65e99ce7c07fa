"""Descriptions and examples of every site-model field, for `idcgen schema`.

One table, keyed by model (class) name and field name, applied when the JSON Schema is
generated (`idcgen.sitemodel.jsonschema`), so the model classes stay as they are. A new
field must add its entry: `tests/test_schema.py` fails for a field without a description
and an example.
"""

from __future__ import annotations

from typing import Any


def _per_vendor(name: str) -> dict[str, str]:
    """An example mapping of every installed vendor id to an interface name."""
    from idcgen.vendors import supported

    return dict.fromkeys(supported(), name)


_IFACE = _per_vendor("GigabitEthernet0/0/1")


def _platforms() -> dict[str, str]:
    """An example platform mapping: each driver that has families, its last one."""
    from idcgen.vendors import drivers

    return {d.id: d.platforms[-1] for d in drivers() if d.platforms}


_PLATFORMS = _platforms()

# model -> field -> (description, examples)
FIELDS: dict[str, dict[str, tuple[str, list[Any]]]] = {
    "Site": {
        "site": ("Name of the site (data center or office); letters, digits, '_' and '-'. "
                 "It becomes part of route and object names.", ["shanghai-dc1"]),
        "hostname": ("The device's hostname: `render --device` checks it, review reports "
                     "name it.", ["dc1-border1"]),
        "vendor": ("Default vendor for render: an installed vendor id or alias (`idcgen "
                   "render --help` lists them); --vendor overrides.", sorted(_IFACE)[:1]),
        "onprem_networks": ("On-premises networks; they must not overlap the cloud networks "
                            "or 100.64.0.0/10.", [["172.16.0.0/16"]]),
        "cloud_networks": ("VPC (or other cloud-side) CIDRs routed over the lines.",
                           [[{"name": "prod", "cidr": "192.168.0.0/16"}]]),
        "cloud_services": ("The 100.64.0.0/10 route to Alibaba's in-VPC services; `true`/"
                           "`false` is short for {enabled: ...}.",
                           [{"enabled": True, "split": False}, True]),
        "platform": ("The platform family per vendor id, e.g. {huawei_vrp: ce, junos: mx}; "
                     "each driver lists its own, unset = the driver's default (Huawei ar, "
                     "Junos srx).", [_PLATFORMS]),
        "redundancy": ("How the lines share traffic: ecmp, or active-standby (line order is "
                       "the priority; standby routes float).", ["ecmp", "active-standby"]),
        "routing": ("How the leased lines exchange routes with their VBRs: static (static "
                    "routes, the default) or bgp (eBGP with each line's VBR, settings in "
                    "`bgp`); a line may override it, but all lines must agree.",
                    ["static", "bgp"]),
        "bgp": ("eBGP settings for routing bgp: local_asn, peer_asn (default 45104), the MD5 "
                "password's source, BFD, what to advertise and accept, route quota, timers.",
                [{"local_asn": 65010, "password": {"env": "ALIYUN_BGP_MD5"}}]),
        "lines": ("Express Connect leased lines, 1 to 4 (Alibaba's ECMP limit).",
                  [[{"name": "line-a", "interface": _IFACE, "local_ip": "10.10.10.2/30",
                     "vbr_ip": "10.10.10.1", "health_check_source": "192.168.10.1"}]]),
        "control_plane": ("How the health-check probes are exempted from control-plane "
                          "protection.", [{"mode": "create"},
                                          {"mode": "insert", "policy": "PM-CP-PROTECT"}]),
        "ipsec": ("IPsec-VPN connections to Alibaba Cloud VPN Gateways.",
                  [[{"name": "office1", "gateway_ip": "5.5.5.5",
                     "customer_gateway_ip": "1.1.1.1",
                     "outside_interface": "GigabitEthernet0/0/0",
                     "local_networks": ["10.10.10.0/24"],
                     "cloud_networks": ["172.16.0.0/16"],
                     "psk": {"env": "ALIYUN_PSK_OFFICE1"}}]]),
        "failure_detection": ("How every line notices a dead line whose port stays up "
                              "(none, track, bfd; a line's own setting wins). `track` or "
                              "`bfd` alone is short for {mode: ...}.",
                              ["none", {"mode": "track", "interval_seconds": 1,
                                        "failures": 3}]),
        "cen_migration": ("A VPC/VBR moving from a peering connection to CEN: which CEN "
                          "routes would be rejected, and the plan.",
                          [{"peering_routes": [], "cen_routes": []}]),
    },
    "CloudNetwork": {
        "name": ("Name of the cloud network (route names).", ["prod"]),
        "cidr": ("The VPC CIDR.", ["192.168.0.0/16"]),
        "description": ("Free text for route descriptions.", ["Production VPC"]),
    },
    "CloudServices": {
        "enabled": ("Route 100.64.0.0/10 (DNS, NTP, YUM, OSS endpoints) over the lines.",
                    [True]),
        "split": ("Render 100.64.0.0/11 + 100.96.0.0/11 instead of the /10.", [False]),
    },
    "Line": {
        "name": ("Name of the line (route and object names).", ["line-a"]),
        "interface": ("The physical interface, one name or one per vendor.",
                      [_IFACE, "GigabitEthernet0/0/1"]),
        "vlan": ("VLAN of a tagged sub-interface / unit, 1-2999 (the VBR's range); omit "
                 "for untagged.", [100]),
        "security_zone": ("Junos SRX: the security zone the line's unit joins, with "
                          "host-inbound ping for the health check (an existing zone, or a "
                          "new one by this name).", ["ALIYUN-EC"]),
        "description": ("Interface description.", ["Express Connect line A to Aliyun VBR"]),
        "local_ip": ("Customer-side address with prefix length (/29-/31).", ["10.10.10.2/30"]),
        "vbr_ip": ("Alibaba side (VBR) address: next hop of every route over this line.",
                   ["10.10.10.1"]),
        "health_check_source": ("The idle VPC address Alibaba's health check probes from; "
                                "one per line.", ["192.168.10.1"]),
        "routing": ("This line's routing (static or bgp); unset = the site's `routing`.",
                    ["bgp"]),
        "bgp": ("This line's overrides of the site's `bgp` block (any field but local_asn), "
                "e.g. another peer_asn for a line to an Express Connect Router.",
                [{"peer_asn": 64600}, {"bfd": False}]),
        "failure_detection": ("This line's failure detection; unset = the site's "
                              "`failure_detection`.", ["track", {"mode": "bfd"}]),
    },
    "BgpSettings": {
        "local_asn": ("The data center's AS number, 2- or 4-byte (1-4294967295, or asdot "
                      "`1.10`); not 45104 or 65025, which Alibaba reserves.", [65010]),
        "peer_asn": ("The VBR side's AS number: 45104 (Alibaba) unless the VBR sits on an "
                     "Express Connect Router with its own ASN.", [45104]),
        "password": ("Where the BGP MD5 password (the BGP group's AuthKey) comes from; never "
                     "the password itself.", [{"env": "ALIYUN_BGP_MD5"},
                                              {"file": "/etc/idcgen/bgp.key"}]),
        "bfd": ("BFD for the sessions: true (1000 ms x 3, the VBR's default), false, or "
                "{interval, multiplier} in the VBR's range (200-1000 ms, 3-10).",
                [True, {"interval": 300, "multiplier": 3}]),
        "advertise": ("On-premises prefixes announced to the VBRs (default: "
                      "onprem_networks); at most route_quota per VBR.", [["172.16.0.0/16"]]),
        "accept": ("Prefixes admitted from the VBRs: a CIDR (exactly it) or {cidr, up_to}. "
                   "Default: each cloud network up to /32, 100.64.0.0/10 and its /11 halves. "
                   "Each line's own health-check /32 is always admitted, the other lines' "
                   "refused.", [["192.168.0.0/16", {"cidr": "10.0.0.0/8", "up_to": 24}]]),
        "route_quota": ("Most prefixes one VBR peer takes (Alibaba: 110 dynamic routes per "
                        "BGP peer; the rest is dropped).", [110]),
        "timers": ("Keepalive and hold time in seconds; unset = the device's defaults.",
                   [{"keepalive": 30, "hold": 90}]),
    },
    "LineBgp": {
        "peer_asn": ("The VBR side's AS number for this line.", [45104]),
        "password": ("This line's MD5 password source.", [{"env": "ALIYUN_BGP_MD5_B"}]),
        "bfd": ("This line's BFD: true, false or {interval, multiplier}.", [False]),
        "advertise": ("Prefixes announced over this line.", [["172.16.0.0/16"]]),
        "accept": ("Prefixes admitted over this line.", [["192.168.0.0/16"]]),
        "route_quota": ("This VBR peer's route quota.", [110]),
        "timers": ("This line's keepalive and hold time.", [{"keepalive": 10, "hold": 30}]),
    },
    "BfdSettings": {
        "enabled": ("Run BFD (false: none, e.g. on one line of a BFD site).", [True]),
        "interval": ("Transmit and receive interval in ms, 200-1000 (the VBR's range).",
                     [1000]),
        "multiplier": ("Missed packets before the session is down, 3-10.", [3]),
    },
    "BgpTimers": {
        "keepalive": ("Keepalive interval in seconds; at most a third of hold.", [30]),
        "hold": ("Hold time in seconds, 3-65535.", [90]),
    },
    "AcceptPrefix": {
        "cidr": ("The prefix.", ["192.168.0.0/16"]),
        "up_to": ("Also admit the prefixes inside cidr up to this length (32 = any); unset "
                  "= exactly cidr.", [24]),
    },
    "FailureDetection": {
        "mode": ("none: routes fail over only when the port goes down; track: an ICMP probe "
                 "of the VBR address withdraws the line's cloud routes when it stops "
                 "answering; bfd: a BFD session to the VBR does (the VBR must run BFD too, "
                 "except Huawei's one-arm echo).", ["none", "track", "bfd"]),
        "interval_seconds": ("track: seconds between probes (1-60; Huawei NQA: more than "
                             "the timeout, so 2 or more).", [2]),
        "timeout_ms": ("track: how long a probe waits for the reply, at most the interval.",
                       [1000]),
        "failures": ("track: lost probes in a row before the line counts as dead; with the "
                     "interval it must notice faster than Alibaba's 16 s.", [3]),
        "bfd_interval_ms": ("bfd: transmit and receive interval, 200-1000 ms (the VBR's "
                            "range).", [300]),
        "bfd_multiplier": ("bfd: missed packets before the session goes down, 3-10 (the "
                           "VBR's range).", [3]),
        "object_id": ("Number of the probe / track object / BFD discriminator (Cisco ip sla "
                      "and track, Huawei BFD); on the site: the first line's, the next "
                      "lines count up. Default 101, 102, ...", [101]),
    },
    "ControlPlane": {
        "mode": ("create a policy, insert the exemption into the device's policy, or none.",
                 ["create", "insert", "none"]),
        "policy": ("Name of the policy to create, or the existing one to insert into (needed "
                   "for insert).", ["PM-CP-PROTECT"]),
        "before": ("insert: the class/term the exemption goes in front of.", ["CM-ICMP"]),
        "huawei_family": ("The huawei family (AR router, S or CE switch) whose "
                          "control-plane syntax is rendered: ar, s or ce.", ["ar"]),
    },
    "DpdSettings": {
        "enabled": ("Send dead-peer-detection probes at all.", [True]),
        "mode": ("periodic: probe even an idle tunnel (Alibaba's standby tunnel 2 is idle); "
                 "on-demand: only when traffic is sent and nothing comes back.",
                 ["periodic"]),
        "interval_seconds": ("Seconds between probes (10-3600; Junos allows up to 60).", [10]),
        "retry_interval_seconds": ("Seconds between resends of an unanswered probe (not a "
                                   "count); below the interval.", [2]),
        "retries": ("Unanswered probes before the peer is declared dead (1-5; rendered where "
                    "the vendor lets it be set).", [3]),
    },
    "IpsecConnection": {
        "name": ("Name of the connection (object names; some vendors allow 15 characters).",
                 ["office1"]),
        "description": ("Tunnel interface description.", ["IPsec to Aliyun VPN gateway"]),
        "role": ("primary, or backup of the leased lines (routes at a worse preference).",
                 ["primary", "backup"]),
        "gateway_ip": ("Public IP of the Alibaba VPN gateway.", ["5.5.5.5"]),
        "second_gateway_ip": ("Second gateway IP of a dual-tunnel VPN gateway.", ["5.5.5.6"]),
        "customer_gateway_ip": ("This device's public IP (Alibaba's customer gateway).",
                                ["1.1.1.1"]),
        "outside_interface": ("The internet-facing interface, one name or one per vendor.",
                              ["GigabitEthernet0/0/0", _per_vendor("GigabitEthernet0/0/0")]),
        "local_networks": ("On-premises networks behind this tunnel (Alibaba: remote "
                           "network).", [["10.10.10.0/24"]]),
        "cloud_networks": ("VPC networks reached through it (Alibaba: local network).",
                           [["172.16.0.0/16"]]),
        "extra_destinations": ("Further networks reached through the gateway (via CEN).",
                               [["192.168.0.0/16"]]),
        "ike": ("IKE (phase 1) parameters; the defaults are the safe modern set.",
                [{"version": "ikev2", "encryption": "aes256", "integrity": "sha256",
                  "dh_group": 14, "lifetime": 86400}]),
        "ipsec": ("IPsec (phase 2) parameters.",
                  [{"encryption": "aes256", "integrity": "sha256", "pfs": 14,
                    "lifetime": 86400}]),
        "dpd": ("Dead peer detection: true (the defaults below), false, or the settings.",
                [True, {"mode": "periodic", "interval_seconds": 10}]),
        "local_id": ("IKE identity of this side (default: customer_gateway_ip).",
                     ["1.1.1.1"]),
        "remote_id": ("IKE identity of Alibaba's side (default: gateway_ip).", ["5.5.5.5"]),
        "psk": ("Where the pre-shared key comes from; never the key itself.",
                [{"env": "ALIYUN_PSK_OFFICE1"}, {"file": "/etc/idcgen/office1.psk"}]),
        "second_psk": ("Key source of the second tunnel.", [{"env": "ALIYUN_PSK_OFFICE1_B"}]),
        "routing": ("route-based (tunnel interface) or policy-based routing, and BGP.",
                    [{"mode": "route-based", "tunnel_interface": "Tunnel1",
                      "tunnel_cidr": "169.254.10.0/30"}]),
        "outside_zone": ("Security zone of the outside interface (zone-based firewalls).",
                         ["untrust"]),
        "tunnel_zone": ("Security zone of the tunnel interface (zone-based firewalls).",
                        ["vpn"]),
    },
    "IkeSettings": {
        "version": ("IKE version.", ["ikev2"]),
        "mode": ("IKEv1 negotiation mode.", ["main"]),
        "encryption": ("IKE encryption algorithm (Alibaba's set).", ["aes256"]),
        "integrity": ("IKE integrity algorithm.", ["sha256"]),
        "dh_group": ("Diffie-Hellman group (14 or \"group14\").", [14]),
        "lifetime": ("IKE SA lifetime in seconds, 180-86400.", [86400]),
    },
    "IpsecSettings": {
        "encryption": ("ESP encryption algorithm.", ["aes256"]),
        "integrity": ("ESP integrity algorithm.", ["sha256"]),
        "pfs": ("PFS DH group, or \"disabled\".", [14]),
        "lifetime": ("IPsec SA lifetime in seconds, 180-86400.", [86400]),
    },
    "KeySource": {
        "env": ("Environment variable holding the key.", ["ALIYUN_PSK_OFFICE1"]),
        "file": ("File holding the key (at most 4 KiB).", ["/etc/idcgen/office1.psk"]),
    },
    "Routing": {
        "mode": ("route-based (Alibaba: destination routing) or policy-based (protected "
                 "data flows).", ["route-based"]),
        "tunnel_interface": ("Tunnel interface, one name or one per vendor.",
                             ["Tunnel1", _per_vendor("Tunnel1")]),
        "tunnel_cidr": ("Alibaba TunnelCidr (a /30 in 169.254.0.0/16).", ["169.254.10.0/30"]),
        "tunnel_ip": ("This side's tunnel address (default: the second host of tunnel_cidr).",
                      ["169.254.10.2"]),
        "second_tunnel_interface": ("Tunnel interface of the second tunnel.", ["Tunnel2"]),
        "second_tunnel_cidr": ("TunnelCidr of the second tunnel.", ["169.254.20.0/30"]),
        "second_tunnel_ip": ("This side's address on the second tunnel.", ["169.254.20.2"]),
        "bgp": ("BGP over the tunnel.", [{"local_asn": 65001, "peer_asn": 45104}]),
    },
    "Bgp": {
        "local_asn": ("This side's AS number.", [65001]),
        "peer_asn": ("Alibaba's AS number (45104).", [45104]),
    },
    "CenMigration": {
        "peering_routes": ("Static routes of the peering connection, on VPC/VBR tables.",
                           [[{"cidr": "10.0.0.0/8", "on": "vbr", "next_hop": "VPC peering"}]]),
        "cen_routes": ("Routes CEN will learn into the VPC/VBR tables.",
                       [[{"cidr": "192.168.0.0/16", "on": "vpc"}]]),
    },
    "PeeringRoute": {
        "cidr": ("Destination of the route.", ["10.0.0.0/8"]),
        "on": ("The route table: vpc or vbr.", ["vbr"]),
        "instance": ("VPC/VBR name; omitted matches any instance.", ["vbr-dc1"]),
        "next_hop": ("The peering next hop, in words, for the plan.",
                     ["router interface ri-123"]),
        "bgp": ("The VBR learns the data center's routes over BGP.", [False]),
    },
    "CenRoute": {
        "cidr": ("Destination CEN will learn.", ["192.168.0.0/16"]),
        "on": ("The route table: vpc or vbr.", ["vpc"]),
        "instance": ("VPC/VBR name; omitted matches any instance.", ["vpc-prod"]),
        "description": ("Free text for the plan.", ["VPC 2 via CEN"]),
    },
}
