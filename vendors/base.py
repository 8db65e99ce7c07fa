"""The one contract every vendor driver implements (`vendors/<id>/driver.py`).

Core code (`generator/`, `rules/`, `review`, `links`, `sitemodel`) never names a vendor:
it asks the driver of the device or of the render for syntax facts, names, negation
forms, IPsec keywords and the parser. Each `vendors/<id>/driver.py` defines one subclass
of `VendorDriver` and exposes an instance as `DRIVER`; `idcgen.vendors` discovers them.

A driver that lacks a capability says so: the default of every optional method raises
`CapabilityError` naming the vendor and what is missing, so a new vendor can never get
another vendor's syntax by falling through a branch (CONTRIBUTING.md, "Adding a vendor").

Drivers are imported on first use; a driver module imports nothing heavy at top level
(its parser and config-text helpers load inside the methods that need them).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Interface
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from idcgen.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from idcgen.devicemodel import ControlPlanePolicy, Device, StaticRoute
    from idcgen.generator.intent import ExemptionIntent
    from idcgen.sitemodel.ipsec import IpsecConnection


class CapabilityError(InputError):
    """A driver was asked for something it does not implement (exit 2, never a guess)."""

    def __init__(self, vendor: str, capability: str):
        self.vendor = vendor
        self.capability = capability
        super().__init__(f"vendor {vendor}: the driver does not implement {capability}")


@dataclass(frozen=True)
class VendorWords:
    """The vendor's own words for things, for messages and reports."""

    control_plane: str  # what protects the control plane: "CoPP policy-map" ...
    control_plane_stage: str  # one ordered part of it: "class", "term" ("" = no word)
    control_plane_tag: str  # short tag in review items: "copp", "cpu-defend", "lo0-filter"
    configuration_mode: str  # how the operator enters configuration mode
    ipsec_map: str = "IPsec map"  # a policy-based map applied to an interface


@dataclass(frozen=True)
class IpsecKeywords:
    """The vendor keywords of one connection's algorithms: `ike` and `esp` become the
    template context (`conn.ike.encryption` ...), so each template reads its own keys;
    `pfs` is the PFS group keyword, None when PFS is disabled."""

    ike: dict[str, Any]
    esp: dict[str, Any]
    pfs: str | None


class ConfigText(ABC):
    """A running config as text, for review: what exists, and how to undo a change.

    Built once per review from the running config; remediation lines come from the
    render macros, rollback lines are derived here against the running text.
    """

    @abstractmethod
    def without_existing(self, lines: list[str]) -> list[str]:
        """Drop remediation lines the device already has (re-sending never duplicates)."""

    @abstractmethod
    def paste_ready(self, lines: list[str]) -> list[str]:
        """The remediation as the operator pastes it (context blocks closed)."""

    @abstractmethod
    def rollback(self, remediation: list[str]) -> list[str]:
        """Commands that return the device to exactly its current state, in order."""

    @abstractmethod
    def route_removal(self, route: StaticRoute, *, replacing: bool,
                      prefix_kept: bool) -> list[str]:
        """Remove exactly this route's next hop. `replacing`: the same route is re-added
        right after (another preference); `prefix_kept`: the intent still routes the
        prefix, so a vendor that deletes a route with its last next hop must not."""

    @abstractmethod
    def ipsec_objects(self, intended_text: str, intended: Device) -> list[str]:
        """The IPsec objects of the rendered intent, as rendered (keys as placeholders)."""

    def bgp_objects(self, intended_text: str) -> list[str]:
        """The BGP objects of the rendered intent (`routing: bgp`: prefix lists, policies,
        the process and its neighbors, per-interface BFD), as rendered, in render order
        (policies before the neighbors that use them). None by default."""
        return []

    def bgp_session_lines(self, address: Any) -> tuple[frozenset[str], frozenset[str],
                                                        tuple[str, ...]]:
        """For neighbor `address` in rendered BGP: the line that holds a new session down
        until its policies are attached, the line that starts it, and the start of its
        password line (review leaves all three out for a session the device runs)."""
        return frozenset(), frozenset(), ()


class VendorDriver(ABC):
    """Syntax facts, naming, negation, IPsec keywords and the parser of one platform."""

    # ------------------------------------------------------------------ identity
    id: ClassVar[str]  # canonical id, the folder name under vendors/ and templates/
    name: ClassVar[str]  # human name: "Cisco IOS / IOS-XE"
    aliases: ClassVar[tuple[str, ...]] = ()  # other names the CLI and site model accept

    # ------------------------------------------------------------------ syntax facts
    default_static_preference: ClassVar[int]  # docs/vendors.md#static-routes
    max_static_preference: ClassVar[int]
    standby_preference_step: ClassVar[int] = 10  # added per standby rank
    comment_prefix: ClassVar[str]  # starts a comment line in pasted config
    # the CLI command that prints the running config in the form the parser reads (the
    # Nornir task sends it over the user's connection); "" = the user must name one
    show_running_command: ClassVar[str] = ""
    # a packet that matches no entry of an interface ACL/filter: "deny" or "permit"
    interface_filter_default: ClassVar[str]
    words: ClassVar[VendorWords]
    # a new primary `ip address` replaces the old one (Cisco/Huawei); False: addresses
    # accumulate and the old one must be removed (Junos)
    address_replaces_primary: ClassVar[bool] = True
    # ECMP over 2+ equal static next hops needs an extra forwarding policy (Junos)
    ecmp_needs_policy: ClassVar[bool] = False

    # ------------------------------------------------------------------ keys
    # characters Alibaba allows in a key that would break this vendor's command line
    key_breakers: ClassVar[Mapping[str, str]] = {}
    # prefixes the device takes for an already encrypted key (and would decrypt)
    encrypted_key_prefixes: ClassVar[tuple[str, ...]] = ()

    def bgp_password_problem(self, value: str) -> str | None:
        """Why the device's BGP MD5 password command cannot take `value` (beyond the
        checks every key gets, generator.secrets.check_key), or None. The message must
        not show the value."""
        return None

    # ------------------------------------------------------------------ detection
    # extra (first word, pattern, weight) markers for vendors/detect.py; the three
    # built-in vendors' markers are tuned together with the look-alikes there
    detection_markers: ClassVar[tuple[tuple[str, str, int], ...]] = ()

    # ------------------------------------------------------------------ objects idcgen names
    # name of the exemption's own class/term inside a control-plane policy, when the
    # policy is ordered (None: the vendor evaluates it ahead of everything anyway)
    exemption_stage: ClassVar[str | None] = None

    def unsupported(self, capability: str) -> NoReturn:
        """Raise the error every missing capability gives."""
        raise CapabilityError(self.id, capability)

    # ------------------------------------------------------------------ parsing
    @abstractmethod
    def parse(self, text: str, path: str) -> Device:
        """Read a running config into the vendor-neutral device model."""

    # ------------------------------------------------------------------ naming
    def interface_unit(self, name: str, vlan: int | None) -> str:
        """The name the parser gives a leased line's L3 interface (VLAN sub-interface)."""
        return f"{name}.{vlan}" if vlan else name

    def logical_interface(self, name: str) -> str:
        """The logical interface zones and IKE gateways take (Junos: `ge-0/0/0.0`)."""
        return name

    def is_physical_port(self, name: str) -> bool:
        """A port that cannot be deleted, only its statements undone."""
        return "." not in name and not name.lower().startswith(("tunnel", "loopback", "vlanif"))

    # ------------------------------------------------------------------ review
    def config_text(self, text: str) -> ConfigText:
        """The running config as text, for review's remediation and rollback."""
        self.unsupported("review (config_text)")

    def apply_commands(self, text: str, commands: list[str]) -> str:
        """The running config after `commands` were entered (review's simulator)."""
        self.unsupported("the command simulator (apply_commands)")

    def address_removal(self, interface: str, address: IPv4Interface) -> list[str]:
        """Remove one address from an interface (macro `address_removal`)."""
        from idcgen.generator.snippets import call_macro

        return call_macro(self, "address_removal", interface, address)

    def exemption_into_policy(self, intent: ExemptionIntent, *, present: bool,
                              before: str | None) -> list[str]:
        """Lines that put the exemption into the running policy `intent.policy`, above
        stage `before`; `present`: our stage is already in the policy (to be moved)."""
        from idcgen.generator.snippets import exemption_lines

        return exemption_lines(self.id, intent)

    def exemption_notes(self, policy: ControlPlanePolicy) -> list[str]:
        """Notes for review about objects of ours that collide in a running policy."""
        return []

    # ------------------------------------------------------------------ platforms
    # The platform families whose syntax differs (site model `platform: {<id>: NAME}`);
    # the templates branch on `plan.platform`. () = one syntax for the whole vendor.
    platforms: ClassVar[tuple[str, ...]] = ()
    default_platform: ClassVar[str | None] = None

    def platform_of(self, site: Any) -> str | None:
        """The site's platform on this vendor: `platform.<id>`, else the default."""
        chosen = getattr(site, "platform", {}).get(self.id)
        return chosen or self.default_platform

    def platform_problems(self, site: Any, platform: str | None
                          ) -> list[tuple[tuple[Any, ...], str]]:
        """What the site asks for that `platform` cannot do: (model path, message)."""
        return []

    # ------------------------------------------------------------------ failure detection
    # the lines[].failure_detection modes the templates render (a `detection` macro);
    # () = none: a site asking for one is refused at its place
    detection_modes: ClassVar[tuple[str, ...]] = ()

    def detection_problem(self, mode: str, platform: str | None,
                          settings: Any = None) -> str | None:
        """Why failure detection `mode` (with the model's `settings`, a FailureDetection)
        cannot be rendered here (None = it can)."""
        if mode == "none" or mode in self.detection_modes:
            return None
        offered = ", ".join(self.detection_modes) or "none"
        return (f"{self.describe()} has no failure_detection {mode} in idcgen (offered: "
                f"{offered})")

    # ------------------------------------------------------------------ IPsec
    supports_ipsec: ClassVar[bool] = False
    # a built-in IKE policy that stops applying once any user-defined one exists
    # (Cisco IKEv2 default policy): review reports the other peers that relied on it
    ike_policy_replaces_default: ClassVar[bool] = False
    # tunnel interface names this vendor takes, and an example for messages
    tunnel_interface_pattern: ClassVar[re.Pattern[str] | None] = None
    tunnel_interface_example: ClassVar[str] = ""
    # policy-based selectors are bound to a tunnel interface too (Junos st0 units)
    policy_based_needs_tunnel: ClassVar[bool] = False
    # policy-based static routes point at the peer (Cisco/Huawei), else at the tunnel
    policy_routes_via_peer: ClassVar[bool] = True
    # policy-based connections on one outside interface share one map / policy group
    groups_policy_maps: ClassVar[bool] = False

    def ipsec_problems(self, site: Any, conn: IpsecConnection,
                       base: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
        """Vendor-only reasons `conn` cannot be rendered: (model path, message)."""
        return []

    def ipsec_tunnel_problem(self, name: str) -> str | None:
        """Why a valid-looking tunnel interface name is refused (reserved units...)."""
        return None

    def ipsec_keywords(self, conn: IpsecConnection) -> IpsecKeywords:
        """The connection's algorithms in this vendor's keywords."""
        self.unsupported("IPsec (ipsec_keywords)")

    def ipsec_object_names(self, conn: IpsecConnection, index: int) -> dict[str, str]:
        """Names (and numbers) of the per-connection objects idcgen creates."""
        self.unsupported("IPsec (ipsec_object_names)")

    def ipsec_tunnel_names(self, conn: IpsecConnection, label: str) -> dict[str, str]:
        """Names of the per-tunnel objects idcgen creates."""
        self.unsupported("IPsec (ipsec_tunnel_names)")

    # per-connection BGP preferences the template reads (tunnel 2 is Alibaba's standby)
    ipsec_bgp_preferences: ClassVar[Mapping[str, int]] = {}

    def ipsec_map_acl_number(self, index: int) -> int | None:
        """Number of the selector ACL of policy-based connection `index` (numbered ACLs)."""
        return None

    def ipsec_context(self, connections: list[Any]) -> dict[str, Any]:
        """Values the vendor's ipsec template reads besides the connections (DPD timers,
        MSS, policies built from several connections)."""
        return {}

    # ------------------------------------------------------------------ names for templates
    def template_names(self) -> Mapping[str, Any]:
        """Names of the objects idcgen renders on this vendor (Jinja global `names`,
        next to the vendor-neutral helpers of idcgen.generator.names)."""
        return {}

    def describe(self) -> str:
        return f"{self.id} ({self.name})"


__all__ = ["CapabilityError", "ConfigText", "IpsecKeywords", "VendorDriver", "VendorWords"]
