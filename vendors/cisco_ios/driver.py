"""Cisco IOS / IOS-XE driver: syntax facts, names, IPsec keywords, review text, parser.

Facts and their sources: docs/vendors.md#cisco-ios.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from idcgen.vendors.base import ConfigText, IpsecKeywords, VendorDriver, VendorWords

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import Device
    from idcgen.generator.intent import ExemptionIntent
    from idcgen.sitemodel.ipsec import IpsecConnection

# CoPP exemption objects
HC_ACL = "ACL-ALIYUN-HC"
HC_CLASS = "CM-ALIYUN-HC"
COPP_POLICY = "PM-ALIYUN-COPP"  # only used for control_plane mode create
BGP_ACL = "ACL-ALIYUN-BGP"  # CoPP insert mode with routing bgp: BGP and BFD from the VBRs
BGP_CLASS = "CM-ALIYUN-BGP"

TUNNEL_MTU, TCP_MSS = 1400, 1360  # room for ESP tunnel-mode overhead
ISAKMP_PRIORITY_BASE = 900  # high numbers, away from the usual 1/10/100 policies


class CiscoIosDriver(VendorDriver):
    id = "cisco_ios"
    name = "Cisco IOS / IOS-XE"
    aliases = ("cisco", "ios", "iosxe")
    default_static_preference = 1  # administrative distance of a static route
    max_static_preference = 254  # 255 = never installed
    comment_prefix = "!"
    show_running_command = "show running-config"
    interface_filter_default = "deny"  # implicit deny; an undefined ACL permits all
    words = VendorWords(control_plane="CoPP policy-map", control_plane_stage="class",
                        control_plane_tag="copp", configuration_mode="configure terminal",
                        ipsec_map="crypto map")
    exemption_stage = HC_CLASS

    supports_ipsec = True
    ike_policy_replaces_default = True
    tunnel_interface_pattern = re.compile(r"^Tunnel\d+$")
    tunnel_interface_example = "Tunnel<number>, e.g. Tunnel1"
    groups_policy_maps = True
    ipsec_bgp_preferences: ClassVar[dict[str, int]] = {"preferred_weight": 200}

    # failure detection the templates render (docs/vendor-commands.md#failure-detection)
    detection_modes = ("track", "bfd")

    def parse(self, text: str, path: str) -> Device:
        from idcgen.vendors.cisco_ios.parser import parse

        return parse(text, path)

    def bgp_password_problem(self, value: str) -> str | None:
        """`neighbor ... password`: at most 80 characters, the first not a digit (IOS
        command reference; docs/vendor-commands.md#bgp). With `service password-encryption`
        IOS may take at most 25 (unverified; the render says so)."""
        if value[:1].isdigit():
            return "it starts with a digit, which `neighbor ... password` does not accept"
        if len(value) > 80:
            return f"it has {len(value)} characters; `neighbor ... password` takes at most 80"
        return None

    def template_names(self) -> dict[str, Any]:
        return {"CISCO_HC_ACL": HC_ACL, "CISCO_HC_CLASS": HC_CLASS,
                "CISCO_COPP_POLICY": COPP_POLICY, "CISCO_BGP_ACL": BGP_ACL,
                "CISCO_BGP_CLASS": BGP_CLASS}

    # ------------------------------------------------------------------ review
    def config_text(self, text: str) -> ConfigText:
        from idcgen.vendors.cisco_ios.configtext import CiscoConfigText

        return CiscoConfigText(self, text)

    def apply_commands(self, text: str, commands: list[str]) -> str:
        from idcgen.vendors.cisco_ios.configtext import CiscoConfigText

        return CiscoConfigText.apply(text, commands)

    def exemption_into_policy(self, intent: ExemptionIntent, *, present: bool,
                              before: str | None) -> list[str]:
        """IOS cannot move a class: remove ours, then insert it again above `before`."""
        from idcgen.generator.snippets import exemption_lines

        lines: list[str] = []
        if present and before is not None:
            lines = [f"policy-map {intent.policy}", f" no class {HC_CLASS}", "exit"]
        return lines + exemption_lines(self.id, intent)

    # ------------------------------------------------------------------ IPsec
    def ipsec_problems(self, site: Any, conn: IpsecConnection,
                       base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
        problems: list[tuple[tuple[Any, ...], str]] = []
        if conn.ike.version == "ikev1" and conn.ike.mode == "aggressive":
            problems.append(((*base, "ike", "mode"),
                             "Cisco IOS initiates IKEv1 in main mode; aggressive mode needs a "
                             "per-peer isakmp profile idcgen does not render: use main mode "
                             "or ike version ikev2"))
        if conn.ike.version == "ikev1" and conn.local_identity != str(conn.customer_gateway_ip):
            problems.append(((*base, "local_id"),
                             "Cisco IKEv1 identifies itself by the outside address "
                             f"{conn.customer_gateway_ip} (crypto isakmp identity is global); "
                             "a different local_id needs ike version ikev2"))
        problems += _ikev1_dpd_problems(site, conn, base)
        return problems

    def ipsec_keywords(self, conn: IpsecConnection) -> IpsecKeywords:
        from idcgen.vendors.cisco_ios import ipsec_names as n

        ike, esp = conn.ike, conn.ipsec
        v2 = ike.version == "ikev2"
        return IpsecKeywords(
            ike={"encryption": (n.IKEV2_ENCRYPTION if v2 else n.ISAKMP_ENCRYPTION)[ike.encryption],
                 "integrity": (n.IKEV2_INTEGRITY if v2 else n.ISAKMP_HASH)[ike.integrity],
                 "dh": n.dh_group(ike.dh_group)},
            esp={"encryption": n.ESP_ENCRYPTION[esp.encryption],
                 "integrity": n.ESP_INTEGRITY[esp.integrity]},
            pfs=None if esp.pfs == "disabled" else n.pfs_group(int(esp.pfs)))

    def ipsec_object_names(self, conn: IpsecConnection, index: int) -> dict[str, str]:
        n = conn.name
        return {"isakmp_priority": str(ISAKMP_PRIORITY_BASE + 10 * index),
                "proposal": f"ALIYUN-{n}", "keyring": f"ALIYUN-{n}",
                "transform_set": f"ALIYUN-{n}", "acl": f"ALIYUN-{n}-CRYPTO",
                "ikev2_profile": f"ALIYUN-{n}"}

    def ipsec_tunnel_names(self, conn: IpsecConnection, label: str) -> dict[str, str]:
        n = conn.name
        return {"peer": f"ALIYUN-{n}-{label}", "ikev2_profile": f"ALIYUN-{n}-{label}",
                "ipsec_profile": f"ALIYUN-{n}-{label}"}

    def ipsec_context(self, connections: list[Any]) -> dict[str, Any]:
        return {"mtu": TUNNEL_MTU, "tcp_mss": TCP_MSS,
                "ikev2_policies": _ikev2_policies(connections)}


def _ikev1_dpd_problems(site: Any, conn: IpsecConnection,
                        base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """`crypto isakmp keepalive` is global: every IKEv1 connection must ask for the same
    DPD settings as the first one (or turn DPD off)."""
    if conn.ike.version != "ikev1" or not conn.dpd.enabled:
        return []
    first = next((c for c in site.ipsec if c.ike.version == "ikev1" and c.dpd.enabled), None)
    if first is None or first is conn or first.dpd == conn.dpd:
        return []
    return [((*base, "dpd"),
             f"Cisco IKEv1 DPD (crypto isakmp keepalive) is global; connection {first.name} "
             "already sets different dpd values: use the same ones, or ike version ikev2")]


def _ikev2_policies(connections: list[Any]) -> list[dict[str, Any]]:
    """One IKEv2 policy, `match fvrf any`, listing every IKEv2 proposal (issue #11,
    defect 7). Not `match address local`: behind NAT the local address is not the
    customer gateway IP, so such a policy never matches. docs/vendor-commands.md#ikev2-policy"""
    proposals: list[str] = []
    for c in connections:
        if c.ike_version == "ikev2" and c.names.get("proposal") not in (None, *proposals):
            proposals.append(c.names["proposal"])
    return [{"name": "ALIYUN", "proposals": proposals}] if proposals else []


DRIVER = CiscoIosDriver()

