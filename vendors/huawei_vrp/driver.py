"""Huawei VRP driver (AR routers first; S/CE switches where the syntax is shared):
syntax facts, names, IPsec keywords, review text, parser.

Facts and their sources: docs/vendors.md#huawei-vrp.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from idcgen.vendors.base import ConfigText, IpsecKeywords, VendorDriver, VendorWords

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import ControlPlanePolicy, Device
    from idcgen.sitemodel.ipsec import IpsecConnection

# cpu-defend exemption: a user-defined flow (matched by a numbered advanced ACL) with its
# own CAR, which the device evaluates before the per-protocol CAR (`car packet-type
# icmp`) the probes would otherwise share with all other ICMP. The ACL number and the
# flow id must both be unused on the device (the rendered config says so).
HC_ACL = 3901
HC_FLOW = 1
# kbit/s. Alibaba: the data-center gateway must accept more than 500 ICMP echo requests
# per second (Express Connect limitations; idcgen.cloud.HEALTH_CHECK_MIN_PPS). 1024 kbit/s
# carries 500 echoes/s of up to 256 bytes (1280/s of 100 bytes); only the health-check
# sources match the flow, so nothing else can use it up. S-series range: 8-4096 kbit/s.
HC_FLOW_CIR_KBPS = 1024
CPU_DEFEND_POLICY = "ALIYUN-HC"  # 1-31 characters
# CloudEngine (no user-defined flow): the ICMP CPCAR in packet/s (`car packet-type icmp pps
# N`, 25-10000 pps, CE6800 V300R023C00) set above Alibaba's floor of more than 500 echo/s,
# and the ACL-based whitelists that keep port attack defence and attack source tracing
# (both on by default) from moving the probes into a low-rate queue. Whitelist ids: 1-32.
HC_ICMP_PPS = 1000
HC_WHITELIST = 1

IKE_PROPOSAL_TOP = 99  # AR ike proposal numbers are 1-99; counted down from 99
ACL_BASE = 3950  # advanced ACLs for policy-based selectors; 3901 is the health-check ACL


class HuaweiVrpDriver(VendorDriver):
    id = "huawei_vrp"
    name = "Huawei VRP"
    aliases = ("huawei", "vrp")
    default_static_preference = 60
    max_static_preference = 255
    comment_prefix = "#"
    show_running_command = "display current-configuration"
    interface_filter_default = "permit"  # traffic-filter: unmatched traffic passes
    words = VendorWords(control_plane="cpu-defend policy", control_plane_stage="",
                        control_plane_tag="cpu-defend", configuration_mode="system-view",
                        ipsec_map="ipsec policy")
    encrypted_key_prefixes = ("%^%#", "%@%@", "%$%$")

    # AR routers, S campus switches, CloudEngine (CE) data-center switches, NetEngine
    # (NE, VRP8) routers: the site model's `platform: {huawei_vrp: ...}`, or the older
    # `control_plane.huawei_family`
    platforms = ("ar", "s", "ce", "ne")
    default_platform = "ar"

    supports_ipsec = True
    tunnel_interface_pattern = re.compile(r"^Tunnel\d+/\d+/\d+$")
    tunnel_interface_example = "Tunnel<slot>/<card>/<port>, e.g. Tunnel0/0/1"
    groups_policy_maps = True
    ipsec_bgp_preferences: ClassVar[dict[str, int]] = {"preferred_weight": 200}

    # failure detection the templates render (docs/vendor-commands.md#failure-detection)
    detection_modes = ("track", "bfd")

    def detection_problem(self, mode: str, platform: str | None,
                          settings: Any = None) -> str | None:
        """NQA: the probe interval must be longer than the timeout (whole seconds), and a
        test of `failures` probes starts every failures x interval + 1 s, so a dead line
        is noticed only after up to that plus the probes of the next test."""
        if mode != "track" or settings is None:
            return super().detection_problem(mode, platform, settings)
        timeout = max(1, -(-settings.timeout_ms // 1000))
        if settings.interval_seconds <= timeout:
            return (f"Huawei NQA needs the probe interval ({settings.interval_seconds} s) "
                    f"longer than the probe timeout ({timeout} s, whole seconds): set "
                    "interval_seconds 2 or more (docs/vendor-commands.md#failure-detection)")
        worst = (2 * settings.failures - 1) * settings.interval_seconds + 1 + timeout
        if worst >= 16:
            return (f"with Huawei NQA tests of {settings.failures} probes "
                    f"{settings.interval_seconds} s apart a dead line is noticed only after "
                    f"up to {worst} s, no faster than Alibaba's health check (16 s): lower "
                    "interval_seconds or failures (docs/vendor-commands.md#failure-detection)")
        return None

    def parse(self, text: str, path: str) -> Device:
        from idcgen.vendors.huawei_vrp.parser import parse

        return parse(text, path)

    def template_names(self) -> dict[str, Any]:
        return {"HUAWEI_HC_ACL": HC_ACL, "HUAWEI_HC_FLOW": HC_FLOW,
                "HUAWEI_HC_FLOW_CIR_KBPS": HC_FLOW_CIR_KBPS,
                "HUAWEI_CPU_DEFEND_POLICY": CPU_DEFEND_POLICY,
                "HUAWEI_HC_ICMP_PPS": HC_ICMP_PPS, "HUAWEI_HC_WHITELIST": HC_WHITELIST}

    # ------------------------------------------------------------------ review
    def config_text(self, text: str) -> ConfigText:
        from idcgen.vendors.huawei_vrp.configtext import HuaweiConfigText

        return HuaweiConfigText(self, text)

    def apply_commands(self, text: str, commands: list[str]) -> str:
        from idcgen.vendors.huawei_vrp.configtext import HuaweiConfigText

        return HuaweiConfigText.apply(text, commands)

    def exemption_notes(self, policy: ControlPlanePolicy) -> list[str]:
        """The ids the exemption uses must be free in the policy it goes into (the flow;
        on CloudEngine the port-attack-defence whitelist, which the parser names like the
        flow): say so when the running policy uses one for something else (the
        remediation redefines it; the rollback puts the running definition back)."""
        notes: list[str] = []
        for key, what, also in (
                (f"user-defined-flow {HC_FLOW}", f"user-defined flow {HC_FLOW}", ""),
                (f"auto-port-defend whitelist {HC_WHITELIST}",
                 f"auto-port-defend whitelist {HC_WHITELIST}",
                 f" (and auto-defend whitelist {HC_WHITELIST})")):
            stage = next((s for s in policy.stages if s.name == f"{policy.name} {key}"), None)
            if stage is not None and stage.acl != str(HC_ACL):
                notes.append(
                    f"Huawei: cpu-defend policy {policy.name} already uses {what} (line "
                    f"{stage.line}, ACL {stage.acl}); the remediation redefines it{also} for "
                    "the health-check probes. Move the existing one to a free id first, or "
                    "pick another id for the exemption.")
        return notes

    # ------------------------------------------------------------------ platforms
    def platform_of(self, site: Any) -> str | None:
        chosen = getattr(site, "platform", {}).get(self.id)
        if chosen:
            return str(chosen)
        control = getattr(site, "control_plane", None)
        return str(getattr(control, "huawei_family", None) or self.default_platform)

    def platform_problems(self, site: Any, platform: str | None
                          ) -> list[tuple[tuple[Any, ...], str]]:
        problems: list[tuple[tuple[Any, ...], str]] = []
        control = getattr(site, "control_plane", None)
        legacy = getattr(control, "huawei_family", None)
        if (control is not None and "huawei_family" in control.model_fields_set
                and self.id in site.platform and legacy != site.platform[self.id]):
            problems.append((("control_plane", "huawei_family"),
                             f"huawei_family {legacy} contradicts platform.{self.id} "
                             f"{site.platform[self.id]}; keep one of them"))
        if platform in ("ce", "s", "ne") and site.ipsec:
            word = {"ce": "CloudEngine switches", "s": "S-series switches",
                    "ne": "NetEngine routers"}[platform]
            problems.append((("ipsec",),
                             f"Huawei {word} ({self.id} platform {platform}) have no "
                             "IPsec in idcgen's sources (the IPsec-VPN commands rendered here "
                             "are the AR router ones, docs/vendor-commands.md#huawei_vrp): "
                             "terminate the VPN on an AR router or another device, or remove "
                             "`ipsec:` for this device"))
        return problems

    # ------------------------------------------------------------------ IPsec
    def ipsec_problems(self, site: Any, conn: IpsecConnection,
                       base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
        from idcgen.sitemodel.ipsec import is_ip_identity

        problems: list[tuple[tuple[Any, ...], str]] = []
        fqdns = [c.local_identity for c in site.ipsec if not is_ip_identity(c.local_identity)]
        first_fqdn = fqdns[0] if fqdns else None
        local = conn.local_identity
        if is_ip_identity(local):
            if local != str(conn.customer_gateway_ip):
                problems.append(((*base, "local_id"),
                                 "Huawei AR sends the IKE peer's local-address as its IP "
                                 f"identity ({conn.customer_gateway_ip}); use that address "
                                 "or an FQDN"))
        elif local != first_fqdn:
            problems.append(((*base, "local_id"),
                             "Huawei AR has one FQDN identity per device (ike local-name); "
                             f"every FQDN local_id must be the same ({first_fqdn})"))
        for t in range(1, len(conn.gateways) + 1):
            rid = conn.remote_identity(t)
            if is_ip_identity(rid) and rid != str(conn.gateways[t - 1]):
                problems.append(((*base, "remote_id"),
                                 "Huawei AR checks an IP identity against the peer's "
                                 f"remote-address ({conn.gateways[t - 1]}); use that address "
                                 "or an FQDN"))
                break
        return problems

    def ipsec_keywords(self, conn: IpsecConnection) -> IpsecKeywords:
        from idcgen.vendors.huawei_vrp import ipsec_names as n

        ike, esp = conn.ike, conn.ipsec
        return IpsecKeywords(
            ike={"encryption": n.IKE_ENCRYPTION[ike.encryption],
                 "authentication": n.IKE_AUTHENTICATION[ike.integrity],
                 "integrity": n.IKE_INTEGRITY[ike.integrity],
                 "prf": n.IKE_PRF[ike.integrity],
                 "dh": n.dh_group(ike.dh_group)},
            esp={"encryption": n.ESP_ENCRYPTION[esp.encryption],
                 "integrity": n.ESP_AUTHENTICATION[esp.integrity],
                 "sha2": esp.integrity in n.SHA2_INTEGRITIES},
            pfs=None if esp.pfs == "disabled" else n.pfs_group(int(esp.pfs)))

    def ipsec_object_names(self, conn: IpsecConnection, index: int) -> dict[str, str]:
        return {"ike_proposal": str(IKE_PROPOSAL_TOP - index),
                "ipsec_proposal": f"P2-{conn.name}"}

    def ipsec_tunnel_names(self, conn: IpsecConnection, label: str) -> dict[str, str]:
        n = conn.name
        return {"ike_peer": f"{n}-{label}", "ipsec_profile": f"{n}-{label}"}

    def ipsec_map_acl_number(self, index: int) -> int | None:
        return ACL_BASE + index

    def ipsec_context(self, connections: list[Any]) -> dict[str, Any]:
        # SHA-2 ESP towards a standards-based peer needs `ipsec authentication sha2
        # compatible enable` (docs/cloud.md#pitfall-16)
        return {"huawei_sha2_compat": any(c.esp.get("sha2") for c in connections)}


DRIVER = HuaweiVrpDriver()
