"""Juniper Junos driver (MX/SRX; hierarchical and `display set` forms): syntax facts,
names, IPsec keywords, review text, parser.

Facts and their sources: docs/vendors.md#junos.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from idcgen.vendors.base import ConfigText, IpsecKeywords, VendorDriver, VendorWords

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import Device
    from idcgen.generator.intent import ExemptionIntent
    from idcgen.sitemodel.ipsec import IpsecConnection

# lo0 filter exemption and the ECMP forwarding-table policy
HC_PREFIX_LIST = "ALIYUN-HC"
HC_TERM = "ALIYUN-HC"
LO0_FILTER = "ALIYUN-HC-LO0"  # only used for control_plane mode create
LO0_REST_TERM = "ACCEPT-REST"
ECMP_POLICY = "ALIYUN-ECMP"
# routing bgp (templates/junos/bgp.j2): the VBR sessions' group, and the lo0 filter
# terms (insert mode) that pass BGP and BFD from the VBR addresses
BGP_GROUP = "ALIYUN-VBR"
BGP_PREFIX_LIST = "ALIYUN-VBR"
BGP_TERM = "ALIYUN-BGP"
BFD_TERM = "ALIYUN-BFD"

DPD_MAX_INTERVAL = 60  # dead-peer-detection interval range 0-60 s (docs/vendor-commands.md#dpd)
TCP_MSS = 1350
RESERVED_ST0 = range(16000, 16386)  # HA control-link encryption on SRX


class JunosDriver(VendorDriver):
    id = "junos"
    name = "Juniper Junos"
    aliases = ("juniper",)
    default_static_preference = 5
    max_static_preference = 4294967295
    comment_prefix = "#"
    show_running_command = "show configuration | display set"
    interface_filter_default = "deny"  # implicit discard at the end of a filter
    words = VendorWords(control_plane="lo0 input filter", control_plane_stage="term",
                        control_plane_tag="lo0-filter",
                        configuration_mode="configure (then `show | compare` and "
                                           "`commit confirmed`)")
    address_replaces_primary = False  # `set ... address` adds one; the old stays
    ecmp_needs_policy = True  # the FIB installs one next hop without load-balance export
    key_breakers: ClassVar[dict[str, str]] = {
        "\\": "a backslash (escape character in a Junos string)"}
    encrypted_key_prefixes = ("$9$", "$8$")
    exemption_stage = HC_TERM

    # SRX (security flow: zones, `security ike/ipsec`, st0) or MX (packet mode: no
    # `set security` hierarchy, no st0): the site model's `platform: {junos: ...}`
    platforms = ("srx", "mx")
    default_platform = "srx"

    supports_ipsec = True
    tunnel_interface_pattern = re.compile(r"^st0\.\d+$")
    tunnel_interface_example = "st0.<unit>, e.g. st0.1"
    policy_based_needs_tunnel = True  # the selectors are bound to an st0 unit
    policy_routes_via_peer = False
    ipsec_bgp_preferences: ClassVar[dict[str, int]] = {"junos_standby_preference": 175}

    # failure detection the templates render (docs/vendor-commands.md#failure-detection)
    detection_modes = ("bfd",)

    def detection_problem(self, mode: str, platform: str | None,
                          settings: Any = None) -> str | None:
        if mode == "track":
            return ("Junos withdraws a static next hop on a failed liveness check only "
                    "through BFD (bfd-liveness-detection); RPM probes act on routes only "
                    "through SRX ip-monitoring, which installs a replacement route instead "
                    "of withdrawing the dead one and is not rendered by idcgen: use "
                    "failure_detection: bfd (docs/vendor-commands.md#failure-detection)")
        return super().detection_problem(mode, platform, settings)

    def parse(self, text: str, path: str) -> Device:
        from idcgen.vendors.junos.parser import parse

        return parse(text, path)

    def platform_problems(self, site: Any, platform: str | None
                          ) -> list[tuple[tuple[Any, ...], str]]:
        if platform == "mx" and site.ipsec:
            return [(("ipsec",),
                     "Junos MX has no `set security ike/ipsec` hierarchy and no st0 "
                     "interfaces (they are SRX-only; IPsec on MX needs a services card and "
                     "another syntax idcgen does not render): set platform.junos srx, or "
                     "remove `ipsec:` for this device")]
        return []

    def interface_unit(self, name: str, vlan: int | None) -> str:
        """Junos names every L3 interface by its unit: `ge-0/0/1.0`, `ge-0/0/1.100`."""
        if vlan:
            return f"{name}.{vlan}"
        return name if "." in name else f"{name}.0"

    def logical_interface(self, name: str) -> str:
        return name if "." in name else f"{name}.0"

    def template_names(self) -> dict[str, Any]:
        return {"JUNOS_HC_PREFIX_LIST": HC_PREFIX_LIST, "JUNOS_HC_TERM": HC_TERM,
                "JUNOS_LO0_FILTER": LO0_FILTER, "JUNOS_LO0_REST_TERM": LO0_REST_TERM,
                "JUNOS_ECMP_POLICY": ECMP_POLICY, "JUNOS_BGP_GROUP": BGP_GROUP,
                "JUNOS_BGP_PREFIX_LIST": BGP_PREFIX_LIST, "JUNOS_BGP_TERM": BGP_TERM,
                "JUNOS_BFD_TERM": BFD_TERM}

    # ------------------------------------------------------------------ review
    def config_text(self, text: str) -> ConfigText:
        from idcgen.vendors.junos.configtext import JunosConfigText

        return JunosConfigText(self, text)

    def apply_commands(self, text: str, commands: list[str]) -> str:
        from idcgen.vendors.junos.configtext import apply

        return apply(text, commands)

    def exemption_into_policy(self, intent: ExemptionIntent, *, present: bool,
                              before: str | None) -> list[str]:
        """Our term already in the filter only moves: `insert ... before term X`."""
        if present and before is not None:
            return [f"insert firewall family inet filter {intent.policy} term {HC_TERM} "
                    f"before term {before}"]
        return super().exemption_into_policy(intent, present=present, before=before)

    # ------------------------------------------------------------------ IPsec
    def ipsec_tunnel_problem(self, name: str) -> str | None:
        if int(name.split(".")[1]) in RESERVED_ST0:
            return f"{name} is reserved for HA on SRX (st0.16000-16385)"
        return None

    def ipsec_problems(self, site: Any, conn: IpsecConnection,
                       base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
        if conn.routing.mode == "policy-based" and conn.ike.version == "ikev2":
            return [((*base, "ike", "version"),
                     "Junos: policy-based VPNs do not support IKEv2 "
                     "(docs/cloud.md#pitfall-12); use ike version ikev1, or routing mode "
                     "route-based (Alibaba Destination Routing Mode)")]
        if conn.dpd.enabled and conn.dpd.interval_seconds > DPD_MAX_INTERVAL:
            return [((*base, "dpd", "interval_seconds"),
                     f"Junos dead-peer-detection interval is at most {DPD_MAX_INTERVAL} s")]
        return []

    def ipsec_keywords(self, conn: IpsecConnection) -> IpsecKeywords:
        from idcgen.vendors.junos import ipsec_names as n

        ike, esp = conn.ike, conn.ipsec
        return IpsecKeywords(
            ike={"encryption": n.IKE_ENCRYPTION[ike.encryption],
                 "integrity": n.IKE_AUTHENTICATION[ike.integrity],
                 "dh": n.dh_group(ike.dh_group)},
            esp={"encryption": n.IPSEC_ENCRYPTION[esp.encryption],
                 "integrity": n.IPSEC_AUTHENTICATION[esp.integrity]},
            pfs=None if esp.pfs == "disabled" else n.pfs_group(int(esp.pfs)))

    def ipsec_object_names(self, conn: IpsecConnection, index: int) -> dict[str, str]:
        n = conn.name
        return {"ike_proposal": f"ALIYUN-{n}", "ipsec_proposal": f"ALIYUN-{n}",
                "ipsec_policy": f"ALIYUN-{n}", "bgp_group": f"ALIYUN-{n}",
                "export_policy": f"ALIYUN-{n}-EXPORT"}

    def ipsec_tunnel_names(self, conn: IpsecConnection, label: str) -> dict[str, str]:
        n = conn.name
        return {"ike_policy": f"ALIYUN-{n}-{label}", "ike_gateway": f"ALIYUN-{n}-{label}",
                "vpn": f"ALIYUN-{n}-{label}", "bgp_group": f"ALIYUN-{n}-{label}"}

    def ipsec_context(self, connections: list[Any]) -> dict[str, Any]:
        return {"junos_tcp_mss": TCP_MSS}


DRIVER = JunosDriver()
