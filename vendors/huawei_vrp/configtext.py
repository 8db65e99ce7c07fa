"""Huawei VRP hooks of review's indented config-text mechanism (sections.py).

Negation is `undo`; context blocks close with `quit`. `undo ip route-static P L [IF] NH`
needs the next hop, or it removes the prefix over every line. ACL rules and cpu-defend
user-defined flows go by their id: `undo rule 5`, `undo car user-defined-flow 1`, and a
definition with the same id replaces the old one; so do a packet type's CAR and the
CloudEngine whitelists (docs/vendors.md#huawei-vrp).
"""

from __future__ import annotations

import re

from idcgen.vendors.sections import SectionConfigText

# sub-commands that name one object by id: `rule 5 ...`, `user-defined-flow 1 acl 3901`,
# `car user-defined-flow 1 cir 64`; the CPCAR of one packet type (`car packet-type icmp
# pps 1000`, undone by `undo car packet-type icmp`) and CloudEngine whitelists
# (`auto-port-defend whitelist 1 acl 3901`, undone by `undo auto-port-defend whitelist 1`;
# CE6800 V300R023C00 command reference)
_KEYED = re.compile(r"^(rule \d+|(?:car )?user-defined-flow \d+|car packet-type \S+"
                    r"|auto-port-defend whitelist \d+|auto-defend whitelist \d+"
                    # `bgp` sub-commands with one value per peer
                    r"|peer \S+ (?:description|timer|password))(?: .*)?$")


class HuaweiConfigText(SectionConfigText):
    negate = "undo "
    closer = "quit"
    separator = "#"
    comment_marks = ("#", "!")
    route_command = "ip route-static"
    route_pattern = re.compile(r"^ip route-static (?:vpn-instance \S+ )?(\S+) (\S+) (.*)$")
    single_children = ("description ", "dot1q termination vid ", "ip address ")
    replaced_children = ("description ", "dot1q termination vid ")
    ipsec_heads = ("ike ", "ipsec ", "interface Tunnel")
    ipsec_binds = ("ipsec policy ",)
    # one route-policy per peer and direction: a new one replaces the old
    submode_single = ("peer", "route-policy")
    bgp_heads = ("ip ip-prefix ", "route-policy ", "bfd", "bgp ")

    def bgp_session_lines(self, address: object) -> tuple[frozenset[str], frozenset[str],
                                                           tuple[str, ...]]:
        a = address
        return (frozenset({f"peer {a} ignore"}), frozenset({f"undo peer {a} ignore"}),
                (f"peer {a} password ",))

    @classmethod
    def child_key(cls, text: str) -> str | None:
        match = _KEYED.match(text.strip())
        return match.group(1) if match else None

    def top_undo_special(self, head: str) -> str | None:
        words = head.split()
        if words[0] == "bfd" and len(words) > 2 and words[2] == "bind":
            return "undo bfd " + words[1]  # a BFD session goes by its name
        return None

    @classmethod
    def same_object_special(cls, target: str, head: str) -> bool | None:
        # one cpu-defend policy is applied at a time: a new one replaces the old
        if target.startswith("cpu-defend-policy ") and head.startswith("cpu-defend-policy "):
            return True
        return None
