"""Findings and cloud-facing links: what rules produce and what reports print."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class CloudLink:
    """An interface or tunnel toward Alibaba Cloud, from the site model or inferred.

    `kind` is "leased-line" (peer = the VBR address) or "ipsec" (peer = the VPN
    gateway's public IP, or the far end of the tunnel interface's /30).
    `health_check_source` is known from the site model, or inferred from a /32 route.
    """

    interface: str | None
    local_ip: IPv4Interface | None
    peer_ip: IPv4Address | None
    kind: Literal["leased-line", "ipsec"] = "leased-line"
    source: str = "site"  # "site" or "inferred: <why>"
    health_check_source: IPv4Address | None = None
    name: str | None = None  # the site model's line/connection name
    # why the link was accepted, one fact per item (inferred links; ("site model",) else)
    evidence: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class RejectedLink:
    """A candidate for a cloud-facing link that inference turned down, and why: only weak
    evidence (a 100.64.0.0/10 route) against counter-evidence (it carries the default
    route, it is the NAT outside, an Internet-like description, a public peer)."""

    interface: str
    local_ip: IPv4Interface | None
    peer_ip: IPv4Address | None
    evidence: tuple[str, ...] = ()
    counter_evidence: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return (f"only a 100.64.0.0/10 route ({'; '.join(self.evidence)}), and "
                f"{' and '.join(self.counter_evidence)}")


@dataclass
class Finding:
    """One problem found in one config. `fix` holds vendor-syntax lines (may be empty)."""

    rule: str
    name: str
    severity: Severity
    line: int
    message: str
    fix: list[str] = field(default_factory=list)
    file: str = ""
    # set when an inline waiver or the baseline suppresses it (not counted, not failing)
    suppressed: Suppression | None = None
    # for a line-0 finding (an absence): the existing line SARIF shows it at, and why
    anchor: int = 0
    anchor_reason: str = ""

    def as_dict(self, *, with_file: bool = True) -> dict[str, Any]:
        """The finding as the JSON contract spells it (`fix` is one string, lines joined
        by LF); lint's per-file JSON leaves out `file`, the file's own key has it.
        `suppressed` is present only on a suppressed finding."""
        out: dict[str, Any] = {"rule": self.rule, "name": self.name,
                               "severity": self.severity}
        if with_file:
            out["file"] = self.file
        out.update(line=self.line, message=self.message, fix="\n".join(self.fix))
        if self.suppressed is not None:
            out["suppressed"] = self.suppressed.as_dict()
        return out


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: an inline `idcgen: ignore` waiver (`kind` "inline",
    the comment's line) or a baseline entry (`kind` "baseline", the baseline file)."""

    kind: Literal["inline", "baseline"]
    reason: str
    line: int = 0  # the waiver comment's line (inline)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "reason": self.reason}
        if self.line:
            out["line"] = self.line
        return out
