"""IDC910-IDC911: the inline waivers themselves (`! idcgen: ignore IDC203 <reason>`).

The checks run in `idcgen.suppress` (they read comments, which the device model does
not keep); they are registered here so the catalogue, `idcgen rules ID`, SARIF and
`--select/--ignore` know them like any other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from idcgen.rules.base import Hit, rule
from idcgen.rules.context import Context


@rule("IDC910", "unused-suppression", "warning",
      "an `idcgen: ignore` waiver waives nothing: no statement follows it, it names no or "
      "an unknown rule id, or its rule reported nothing there", needs_links=False)
def unused_suppression(ctx: Context) -> Iterator[Hit]:
    """An inline waiver waives nothing.

    What: a comment `! idcgen: ignore IDC203 <reason>` (`!` on Cisco IOS, `#` on Huawei
    VRP and Junos: the driver's comment syntax) waives
    the named rules on the next statement and the block it opens; `idcgen: ignore-file
    IDC104 <reason>` waives them in the whole file. This finding, at the comment's
    line, says the waiver had no effect: no statement follows it, it names no rule id or
    an unknown one, or none of its rules reported anything where it applies. A rule
    that did not run on the file (deselected, a (site) rule without `--site`, a cloud
    rule with no cloud-facing link) is not judged.

    Why: a waiver left behind after the problem was fixed (or put above the wrong
    statement) would silently waive the next real finding there.

    Fix: delete the comment, or move it directly above the statement the finding is on.
    """
    return iter(())


@rule("IDC911", "suppression-without-reason", "warning",
      "an `idcgen: ignore` waiver gives no reason", needs_links=False)
def suppression_without_reason(ctx: Context) -> Iterator[Hit]:
    """An inline waiver gives no reason.

    What: `! idcgen: ignore IDC203` (Cisco; `# idcgen: ...` on Huawei and Junos) with
    nothing after the rule ids. The waiver still
    applies; this finding asks for the reason that reports and reviewers will see (JSON
    `suppressed.reason`, SARIF `justification`).

    Why: a gate that accepts a finding must say why, so the next engineer can tell an
    accepted design from a forgotten problem.

    Fix: add the reason after the ids: `! idcgen: ignore IDC203 dual ISP, NET-1234`.
    """
    return iter(())
