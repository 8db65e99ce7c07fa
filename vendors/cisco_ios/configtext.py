"""Cisco IOS / IOS-XE hooks of review's indented config-text mechanism (sections.py).

Negation is `no`; context blocks close with `exit`. `no ip route P M [IF] NH` removes
exactly one next hop whatever its distance or name; `no class-map NAME` drops the match
type; a policy-map class cannot be moved, only removed and re-added, and a new class
lands before `class-default` (docs/vendors.md#cisco-ios).
"""

from __future__ import annotations

import re

from idcgen.vendors.sections import SectionConfigText, first_index

# `router bgp` sub-commands that hold one value per neighbor: a new one replaces the old,
# the rollback puts the running one back (or removes ours by its key)
_NEIGHBOR_SINGLE = re.compile(r"^(neighbor \S+ (?:description|timers|password))(?: .*)?$")


class CiscoConfigText(SectionConfigText):
    negate = "no "
    closer = "exit"
    separator = "!"
    comment_marks = ("!",)
    route_command = "ip route"
    route_pattern = re.compile(r"^ip route (?:vrf \S+ )?(\S+) (\S+) (.*)$")
    single_children = ("description ", "encapsulation dot1Q ", "ip address ")
    replaced_children = ("description ", "encapsulation dot1Q ", "service-policy input ")
    permanent_contexts = ("control-plane",)
    ipsec_heads = ("crypto ", "interface Tunnel")
    ipsec_binds = ("crypto map ",)
    # one route-map per neighbor and direction: a new one replaces the old
    submode_single = ("neighbor", "route-map")
    bgp_heads = ("ip prefix-list ", "route-map ", "router bgp ")
    bgp_binds = ("bfd interval ",)

    @classmethod
    def child_key(cls, text: str) -> str | None:
        match = _NEIGHBOR_SINGLE.match(text.strip())
        return match.group(1) if match else None

    def bgp_session_lines(self, address: object) -> tuple[frozenset[str], frozenset[str],
                                                           tuple[str, ...]]:
        a = address
        return (frozenset({f"neighbor {a} shutdown"}), frozenset({f"no neighbor {a} shutdown"}),
                (f"neighbor {a} password ",))

    def top_undo_special(self, head: str) -> str | None:
        words = head.split()
        if head.startswith("class-map "):
            return "no class-map " + words[-1]
        if head.startswith("crypto ipsec transform-set "):
            return "no " + " ".join(words[:4])
        if head.startswith("crypto map ") and len(words) >= 4:
            return "no " + " ".join(words[:4])
        if head.startswith("ip sla schedule ") and len(words) >= 4:
            return "no " + " ".join(words[:4])  # `no ip sla schedule N`
        if words[0] == "track" and len(words) >= 2:
            return "no track " + words[1]  # `no track N` removes the object
        return None

    def child_undo_special(self, text: str) -> str | None:
        if text.startswith("class "):
            return " no class " + text.split()[1]
        if text.startswith("encapsulation dot1Q"):
            return " no encapsulation dot1Q"
        return None

    @classmethod
    def same_object_special(cls, target: str, head: str) -> bool | None:
        if target.startswith("class-map ") and head.startswith("class-map "):
            return target.split()[-1] == head.split()[-1]
        return None

    @classmethod
    def restored_head(cls, child: str, following: str | None) -> str:
        """A removed policy-map class goes back before the class that followed it."""
        if (child.strip().startswith("class ") and following
                and following.strip().startswith("class ")
                and following.strip() != "class class-default"):
            return f"{child} insert-before {following.split()[1]}"
        return child

    @classmethod
    def split_placement(cls, block: list[str]) -> tuple[list[str], str | None]:
        text = block[0].strip()
        if text.startswith("class ") and " insert-before " in text:
            text, before = text.split(" insert-before ")
            return [" " + text, *block[1:]], before
        return block, None

    @classmethod
    def insert_index(cls, have: list[list[str]], text: str, hint: str | None) -> int | None:
        if hint is not None:
            index = first_index(have, f"class {hint}")
            return len(have) if index is None else index
        if text.startswith("class ") and text != "class class-default":
            index = first_index(have, "class class-default")
            return len(have) if index is None else index
        return None
