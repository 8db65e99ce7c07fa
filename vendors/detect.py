"""Which platform printed this config? (docs/vendors.md#detection)

`detect(text)` answers with a supported vendor id, or with `vendor=None` and what the
file looks like instead (NX-OS, IOS-XR, ASA, EOS, Comware ...), so `lint --vendor auto`
can refuse a look-alike with a clear message instead of parsing it as the wrong syntax.

Method: a table of markers (platform, first word of the line, pattern, weight). Only a
bounded sample is read (the first `SAMPLE_LINES` lines and the last `TAIL_LINES`), each
line is looked up by its first word and tried against that word's few patterns, and a
marker counts once however often it occurs. Scores are summed per platform, then:

1. the family with most evidence wins: Junos (braces / `set`), VRP-like (`sysname`,
   `#`, `return`, `undo`) or Cisco-like (`hostname`, `!`, `interface`, `end`);
2. inside the VRP family, Comware-only syntax refuses the file, otherwise Huawei VRP;
3. inside the Cisco family, a strong marker (weight >= STRONG) of ASA, IOS-XR, NX-OS or
   EOS refuses the file unless IOS-only evidence is larger; otherwise Cisco IOS.

Snippets without any header (only an ACL, only routes) are classified by IOS-only
syntax (`access-list 101 ...`, `ip route A M NH`, `ip access-list extended ...`).

The three built-in vendors' markers are tuned here together with their look-alikes. A
driver added later declares its own (`VendorDriver.detection_markers`); it is chosen when
its markers score at least STRONG and more than every built-in family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SAMPLE_LINES = 2000
TAIL_LINES = 50
STRONG = 10
MIN_EVIDENCE = 3  # below this, say nothing rather than guess

LOOKS_LIKE = {
    "cisco_ios": "Cisco IOS / IOS-XE",
    "huawei_vrp": "Huawei VRP",
    "junos": "Juniper Junos",
    "junos_set": "Juniper Junos (set)",
    "asa": "Cisco ASA",
    "iosxr": "Cisco IOS-XR",
    "nxos": "Cisco NX-OS",
    "eos": "Arista EOS",
    "comware": "H3C/HPE Comware",
    "vyos": "VyOS / EdgeOS",
}
_FAMILY = {"cisco": "cisco", "cisco_ios": "cisco", "asa": "cisco", "iosxr": "cisco",
           "nxos": "cisco", "eos": "cisco", "vrp": "vrp", "huawei_vrp": "vrp",
           "comware": "vrp", "junos": "junos", "junos_set": "junos", "vyos": "junos"}
_REFUSE_CISCO = ("asa", "iosxr", "nxos", "eos")

_IP = r"\d+\.\d+\.\d+\.\d+"

# (platform, first word of the stripped line, pattern matched against the stripped line,
#  weight). Comment lines are keyed by their first character (`!` or `#`).
# "cisco" and "vrp" are family-only evidence (shared by every member of the family).
_MARKER_ROWS: tuple[tuple[str, str, str, int], ...] = (
    # ---- Cisco family, not decisive between its members
    ("cisco", "hostname", r"hostname \S+$", 2),
    ("cisco", "!", r"!", 1),
    ("cisco", "end", r"end$", 2),
    ("cisco", "interface", r"interface [A-Za-z]", 1),
    ("cisco", "Building", r"Building configuration", 2),
    ("cisco", "no", r"no \S", 1),
    ("cisco", "route-map", r"route-map \S+ (permit|deny) \d+$", 3),
    ("cisco", "ip", r"ip prefix-list \S+ (seq \d+ )?(permit|deny) ", 2),
    ("cisco", "neighbor", r"neighbor \S+ remote-as \d", 1),
    # ---- Cisco IOS / IOS-XE only
    ("cisco_ios", "Current", r"Current configuration : \d+ bytes", 10),
    ("cisco_ios", "Using", r"Using \d+ out of \d+ bytes", 10),
    ("cisco_ios", "version", r"version \d+\.\d+$", 10),
    ("cisco_ios", "!", r"! Last configuration change at .* by ", 3),
    ("cisco_ios", "service", r"service (timestamps|password-encryption|config|pad)\b", 3),
    ("cisco_ios", "ip", rf"ip route (vrf \S+ )?{_IP} {_IP} ", 5),
    ("cisco_ios", "ip", r"ip access-list (standard|extended) \S+$", 5),
    ("cisco_ios", "ip", r"ip (cef|classless|subnet-zero|forward-protocol nd)$", 5),
    ("cisco_ios", "ip", rf"ip address {_IP} {_IP}", 2),
    ("cisco_ios", "ip", r"ip vrf forwarding ", 3),
    ("cisco_ios", "access-list", r"access-list \d+ (permit|deny|remark)\b", 5),
    ("cisco_ios", "crypto", r"crypto (isakmp|keyring|ikev2 (proposal|keyring|profile))\b", 5),
    ("cisco_ios", "crypto", r"crypto map \S+ \d+ ipsec-isakmp", 5),
    ("cisco_ios", "crypto", r"crypto ipsec (profile|transform-set) ", 3),
    ("cisco_ios", "class-map", r"class-map (match-any|match-all) \S+$", 3),
    ("cisco_ios", "encapsulation", r"encapsulation dot1Q \d+", 5),
    ("cisco_ios", "license", r"license udi pid ", 10),
    ("cisco_ios", "tunnel", r"tunnel protection ipsec profile ", 5),
    ("cisco_ios", "permit", rf"permit (ip|tcp|udp|icmp) (any|host {_IP}|{_IP} {_IP}) ", 2),
    ("cisco_ios", "deny", rf"deny (ip|tcp|udp|icmp) (any|host {_IP}|{_IP} {_IP}) ", 2),
    ("cisco_ios", "diagnostic", r"diagnostic bootup level", 5),
    ("cisco_ios", "multilink", r"multilink bundle-name authenticated", 5),
    ("cisco_ios", "memory-size", r"memory-size iomem", 5),
    ("cisco_ios", "line", r"line (vty|con) \d", 2),
    ("cisco_ios", "router", r"router (bgp|ospf|eigrp|rip)\b", 1),
    ("cisco_ios", "exit-address-family", r"exit-address-family$", 5),
    ("cisco_ios", "track", r"track \d+ (interface|ip route|ip sla|list) ", 5),
    ("cisco_ios", "standby", r"standby \d+ (ip|track|priority|preempt)\b", 3),
    # ---- Cisco ASA
    ("asa", "ASA", r"ASA Version", 20),
    ("asa", "PIX", r"PIX Version", 20),
    ("asa", ":", r": Saved", 10),
    ("asa", "!", r"!.*(Adaptive Security Appliance|\bASA\b)", 20),
    ("asa", "network-object", r"network-object ", 3),
    ("asa", "port-object", r"port-object ", 10),
    ("asa", "nameif", r"nameif \S+", 10),
    ("asa", "security-level", r"security-level \d+", 10),
    ("asa", "same-security-traffic", r"same-security-traffic", 10),
    ("asa", "object", r"object (network|service) \S+", 5),
    ("asa", "access-list", r"access-list \S+ extended (permit|deny)", 5),
    ("asa", "route", rf"route \S+ {_IP} {_IP} {_IP}", 10),
    ("asa", "nat", r"nat \(", 10),
    ("asa", "crypto", r"crypto ikev1 ", 10),
    ("asa", "tunnel-group", r"tunnel-group ", 10),
    ("asa", "asdm", r"asdm ", 10),
    # ---- Cisco IOS-XR
    ("iosxr", "!!", r"!! IOS XR", 20),
    ("iosxr", "!", r"!.*RANCID-CONTENT-TYPE: cisco-xr", 20),
    ("iosxr", "ipv4", r"ipv4 (address|access-list) ", 10),
    ("iosxr", "interface", r"interface (Bundle-Ether|TenGigE|HundredGigE|FortyGigE|MgmtEth)", 10),
    ("iosxr", "interface", r"interface \S*\d+/\d+/\d+/\d+", 10),
    ("iosxr", "end-policy", r"end-policy", 10),
    ("iosxr", "end-set", r"end-set", 10),
    ("iosxr", "route-policy", r"route-policy \S+", 10),
    ("iosxr", "prefix-set", r"prefix-set \S+", 10),
    ("iosxr", "community-set", r"community-set \S+", 10),
    ("iosxr", "group", r"group root-lr", 10),
    ("iosxr", "router", r"router static$", 5),
    ("iosxr", "line", r"line template ", 5),
    ("iosxr", "telnet", r"telnet vrf \S+ ipv4", 5),
    ("iosxr", "tpa", r"tpa$", 5),
    # ---- Cisco NX-OS
    ("nxos", "!", r"!.*RANCID-CONTENT-TYPE: cisco-nx", 20),
    ("nxos", "!", r"!.*(NX-OS|Nexus Operating System)", 20),
    ("nxos", "!Command:", r"!Command: ", 5),
    ("nxos", "!Time:", r"!Time: ", 5),
    ("nxos", "!Running", r"!Running configuration last done", 10),
    ("nxos", "feature", r"feature \S+$", 10),
    ("nxos", "install", r"install feature-set ", 10),
    ("nxos", "boot", r"boot nxos ", 20),
    ("nxos", "version", r"version \d+\.\d+\(\d+\)", 10),
    ("nxos", "vdc", r"vdc \S+", 10),
    ("nxos", "vrf", r"vrf context \S+", 10),
    ("nxos", "system", r"system default switchport", 10),
    ("nxos", "vpc", r"vpc domain ", 10),
    ("nxos", "copp", r"copp profile ", 10),
    ("nxos", "interface", r"interface mgmt0$", 10),
    ("nxos", "vn-segment", r"vn-segment \d+", 10),
    ("nxos", "fabricpath", r"fabricpath ", 10),
    ("nxos", "power", r"power redundancy-mode ", 10),
    ("nxos", "role", r"role name ", 5),
    # ---- Arista EOS
    ("eos", "!", r"!.*RANCID-CONTENT-TYPE: arista", 20),
    ("eos", "!", r"!.*\b(Arista|EOS-\d)", 20),
    ("eos", "!", r"! Command: show running-config", 5),
    ("eos", "transceiver", r"transceiver qsfp ", 10),
    ("eos", "aaa", r"aaa root ", 10),
    ("eos", "no", r"no aaa root", 10),
    ("eos", "management", r"management (api|console|ssh|security|cvx|defaults|telnet)\b", 10),
    ("eos", "service", r"service routing protocols model", 10),
    ("eos", "switchport", r"switchport default mode", 10),
    ("eos", "interface", r"interface Management\d+$", 10),
    ("eos", "interface", r"interface Ethernet\d+$", 5),
    ("eos", "daemon", r"daemon \S+", 10),
    ("eos", "mlag", r"mlag configuration", 10),
    ("eos", "vrf", r"vrf instance ", 10),
    ("eos", "ip", r"ip virtual-router ", 10),
    ("eos", "peer-filter", r"peer-filter ", 5),
    # ---- CIDR interface addresses / routes: NX-OS or EOS, never IOS
    ("nxos", "ip", rf"ip (address|route) {_IP}/\d+", 3),
    ("eos", "ip", rf"ip (address|route) {_IP}/\d+", 3),
    # ---- Huawei / Comware family (shared syntax)
    ("vrp", "sysname", r"sysname \S+", 5),
    ("vrp", "#", r"#$", 2),
    ("vrp", "return", r"return$", 5),
    ("vrp", "ip", r"ip route-static ", 5),
    ("vrp", "undo", r"undo \S", 3),
    ("vrp", "rule", r"rule \d+ (permit|deny)", 3),
    ("vrp", "acl", r"acl number \d+", 3),
    ("vrp", "info-center", r"info-center ", 2),
    # ---- Huawei VRP only
    ("huawei_vrp", "!Software", r"!Software Version V\d{3}R", 20),
    ("huawei_vrp", "!Last", r"!Last configuration was (updated|saved) at", 10),
    ("huawei_vrp", "#", r"#.*\bHuawei\b", 10),
    ("huawei_vrp", "interface",
     r"interface (Vlanif|Eth-Trunk|XGigabitEthernet|MEth|GE|10GE|25GE|40GE|100GE)\s?\d", 10),
    ("huawei_vrp", "undo", r"undo portswitch", 10),
    ("huawei_vrp", "port",
     r"port (trunk allow-pass|default vlan|hybrid (pvid|tagged|untagged))", 10),
    ("huawei_vrp", "vlan", r"vlan batch ", 10),
    ("huawei_vrp", "traffic-filter", r"traffic-filter (inbound|outbound) ", 10),
    ("huawei_vrp", "cpu-defend", r"cpu-defend policy ", 10),
    ("huawei_vrp", "ipsec", r"ipsec proposal ", 10),
    ("huawei_vrp", "ike-proposal", r"ike-proposal \d+", 10),
    ("huawei_vrp", "ipv4-family", r"ipv4-family", 10),
    ("huawei_vrp", "local-user", r"local-user \S+ (password irreversible-cipher|service-type|"
     r"privilege level)", 10),
    ("huawei_vrp", "acl", r"acl name \S+ (basic|advanced|\d+)", 10),
    # ---- H3C / HPE Comware only
    ("comware", "#", r"#.*\b(Comware|H3C)\b", 20),
    ("comware", "version", r"version \d+\.\d+\.\d+, (Release|ESS|Feature)", 20),
    ("comware", "interface",
     r"interface (Vlan-interface|Bridge-Aggregation|Route-Aggregation|Ten-GigabitEthernet|"
     r"M-GigabitEthernet)", 10),
    ("comware", "port", r"port (link-mode (route|bridge)|access vlan|trunk permit vlan)", 10),
    ("comware", "ike", r"ike (profile|keychain) ", 10),
    ("comware", "ipsec", r"ipsec (transform-set|apply policy) ", 10),
    ("comware", "local-user", r"local-user \S+ class (manage|network)", 10),
    ("comware", "acl", r"acl (basic|advanced|mac) (name )?\S+", 10),
    ("comware", "dhcp", r"dhcp server ip-pool ", 10),
    ("comware", "packet-filter", r"packet-filter ", 10),
    ("comware", "irf", r"irf ", 10),
    ("comware", "irf-port", r"irf-port", 10),
    ("comware", "password-recovery", r"password-recovery enable", 10),
    ("comware", "lldp", r"lldp global enable", 10),
    ("comware", "vlan", r"vlan \d+ to \d+", 10),
    # ---- Juniper Junos, hierarchical (see also the brace counter in `detect`)
    ("junos", "##", r"## Last (commit|changed): ", 20),
    ("junos", "#", r"#.*RANCID-CONTENT-TYPE: juniper", 20),
    ("junos", "#", r"# Junos: ", 20),
    ("junos", "version", r"version \S+;$", 10),
    ("junos", "host-name", r"host-name \S+;$", 10),
    ("junos", "inactive:", r"inactive: \S", 10),
    # ---- Juniper Junos, `display set`
    ("junos_set", "set", r"set (system|interfaces|routing-options|protocols|policy-options|"
     r"firewall|security|routing-instances|chassis|snmp|groups|apply-groups|vlans|"
     r"forwarding-options|class-of-service|applications|services|version|event-options|"
     r"bridge-domains|switch-options) ", 10),
    ("junos_set", "set", r"set interfaces (ge|xe|et|ae|lo|irb|fxp|em|me|st|reth|gr|fe)"
     r"-?\d\S* ", 10),
    ("junos_set", "deactivate", r"deactivate \S", 5),
    # ---- VyOS / EdgeOS (also `set` lines)
    ("vyos", "set", r"set interfaces (ethernet|loopback|bonding|bridge|wireguard) ", 20),
    ("vyos", "set", r"set service (ssh|dhcp-server|dns|nat) ", 10),
)


class _Markers:
    """The marker rows by first word, each word's patterns compiled on its first look-up:
    a config's sample meets a few dozen of the ~150 words, and compiling them all cost
    more start-up time than detecting."""

    def __init__(self, rows: tuple[tuple[str, str, str, int], ...]):
        self._rows: dict[str, list[tuple[str, int]]] = {}
        for index, (_, word, pattern, _) in enumerate(rows):
            self._rows.setdefault(word, []).append((pattern, index))
        self._compiled: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {}

    def get(self, word: str, default: tuple[()] = ()
            ) -> tuple[tuple[re.Pattern[str], int], ...]:
        found = self._compiled.get(word)
        if found is None:
            rows = self._rows.get(word)
            if rows is None:
                return default
            found = self._compiled[word] = tuple((re.compile(p), i) for p, i in rows)
        return found


_MARKERS = _Markers(_MARKER_ROWS)
_JUNOS_STANZA = re.compile(r"[\w\-/.:\"]+( [^{};]+)? \{$")


@dataclass(frozen=True)
class Detection:
    """`vendor`: canonical id when supported, else None; `looks_like`: what it resembles."""

    vendor: str | None
    looks_like: str | None
    reason: str


def _sample(text: str) -> list[str]:
    """The first SAMPLE_LINES and last TAIL_LINES lines, without reading the whole file."""
    head = text[:SAMPLE_LINES * 400].split("\n", SAMPLE_LINES)
    if len(head) <= SAMPLE_LINES:
        return head
    tail = text[-TAIL_LINES * 200:].split("\n")[-TAIL_LINES:]
    return head[:SAMPLE_LINES] + tail


def _evidence(lines: list[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Distinct markers hit -> score per platform, and the marker texts (for `reason`)."""
    hit: set[int] = set()
    braces = semicolons = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        if first in "!#":
            # comments: rows keyed by the first token (`!!`, `!Command:`) and by the mark
            word = line.split(" ", 1)[0]
            rows = _MARKERS.get(first, ()) + (_MARKERS.get(word, ()) if word != first else ())
        else:
            rows = _MARKERS.get(line.split(" ", 1)[0], ())
            last = line[-1]
            if last == "{" and _JUNOS_STANZA.match(line):
                braces += 1
            elif last == ";" or line.endswith("; ## SECRET-DATA"):
                semicolons += 1
        for pattern, index in rows:
            if index not in hit and pattern.match(line):
                hit.add(index)
    scores: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    for index in sorted(hit):
        platform, _, marker, weight = _MARKER_ROWS[index]
        scores[platform] = scores.get(platform, 0) + weight
        found.setdefault(platform, []).append(marker)
    if braces >= 2 and semicolons >= 2:
        scores["junos"] = scores.get("junos", 0) + 10 + min(braces + semicolons, 20)
        found.setdefault("junos", []).append(f"{braces} `{{` stanzas, {semicolons} `;` lines")
    return scores, found


_LABEL = ((r"\d+\.\d+\.\d+\.\d+", "A.B.C.D"), (r"\S+", "X"), (r"\d+", "N"), (r"\d", "N"),
          (r"\s?", " "), (r"\b", ""), ("$", ""), (".*", "..."), ("\\", ""))


def _label(pattern: str) -> str:
    """A marker pattern as an engineer would write it (`ip route A.B.C.D A.B.C.D`)."""
    for regex, text in _LABEL:
        pattern = pattern.replace(regex, text)
    return pattern.strip()


def _why(found: dict[str, list[str]], platform: str, limit: int = 3) -> str:
    markers = [_label(m) for m in found.get(platform, [])]
    shown = ", ".join(f"`{m}`" for m in markers[:limit])
    more = f" (+{len(markers) - limit} more)" if len(markers) > limit else ""
    return f"{shown}{more}"


@lru_cache(maxsize=1)
def _driver_markers() -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str], int], ...]], ...]:
    """Markers of installed drivers beyond the built-in three (their `detection_markers`)."""
    from idcgen.vendors import drivers

    return tuple((d.id, tuple((word, re.compile(pattern), weight)
                              for word, pattern, weight in d.detection_markers))
                 for d in drivers() if d.detection_markers and d.id not in _FAMILY)


def _added_vendor(lines: list[str], best: int) -> Detection | None:
    """A driver-added vendor whose own markers outweigh every built-in family."""
    scored: list[tuple[int, str, list[str]]] = []
    for vendor, markers in _driver_markers():
        hit: list[str] = []
        score = 0
        for word, pattern, weight in markers:
            if any(line.strip().split(" ", 1)[0] == word and pattern.match(line.strip())
                   for line in lines):
                score += weight
                hit.append(pattern.pattern)
        scored.append((score, vendor, hit))
    if not scored:
        return None
    score, vendor, hit = max(scored)
    if score < STRONG or score <= best:
        return None
    from idcgen.vendors import supported

    shown = ", ".join(f"`{_label(m)}`" for m in hit[:3])
    return Detection(vendor, supported()[vendor], f"{vendor} markers: {shown}")


def detect(text: str) -> Detection:
    """Guess the platform of a running config from a bounded sample of its lines."""
    sample = _sample(text)
    scores, found = _evidence(sample)
    families = {"cisco": 0, "vrp": 0, "junos": 0}
    for platform, score in scores.items():
        families[_FAMILY[platform]] += score
    family = max(families, key=lambda f: families[f])
    added = _added_vendor(sample, families[family])
    if added is not None:
        return added
    if families[family] < MIN_EVIDENCE:
        return Detection(None, None, "no recognisable router configuration syntax")

    if family == "junos":
        if scores.get("vyos", 0) >= STRONG and scores.get("vyos", 0) >= scores.get("junos_set", 0):
            return Detection(None, LOOKS_LIKE["vyos"], f"VyOS syntax: {_why(found, 'vyos')}")
        form = "junos_set" if scores.get("junos_set", 0) > scores.get("junos", 0) else "junos"
        return Detection("junos", LOOKS_LIKE[form], f"Junos markers: {_why(found, form)}")

    if family == "vrp":
        huawei, comware = scores.get("huawei_vrp", 0), scores.get("comware", 0)
        if comware > huawei:
            return Detection(None, LOOKS_LIKE["comware"],
                             f"Comware-only syntax: {_why(found, 'comware')}")
        if huawei:
            return Detection("huawei_vrp", LOOKS_LIKE["huawei_vrp"],
                             f"Huawei markers: {_why(found, 'huawei_vrp')}")
        return Detection("huawei_vrp", LOOKS_LIKE["huawei_vrp"],
                         f"VRP-style syntax ({_why(found, 'vrp')}), no Comware-only syntax")

    ios = scores.get("cisco_ios", 0)
    rival = max(_REFUSE_CISCO, key=lambda p: scores.get(p, 0))
    if scores.get(rival, 0) >= STRONG and scores[rival] >= ios:
        return Detection(None, LOOKS_LIKE[rival],
                         f"{LOOKS_LIKE[rival]} syntax: {_why(found, rival)}")
    if ios:
        return Detection("cisco_ios", LOOKS_LIKE["cisco_ios"],
                         f"IOS syntax: {_why(found, 'cisco_ios')}")
    if scores.get(rival, 0):
        return Detection(None, LOOKS_LIKE[rival],
                         f"weak {LOOKS_LIKE[rival]} markers: {_why(found, rival)}")
    return Detection("cisco_ios", LOOKS_LIKE["cisco_ios"],
                     f"Cisco-style syntax ({_why(found, 'cisco')}), no other platform's markers")
