"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. `tool.driver.rules` is the whole rule catalogue (id, name, descriptions, help,
default level), so a viewer can explain a rule even when it did not fire. Each result
has ruleId + ruleIndex, level (error / warning / note), message.text (the finding's
sentence, then the fix lines) and one physical location: the file as a relative URI with
forward slashes, plus region.startLine, always: a finding about something absent (line
0 in JSON) is shown at the most relevant existing line (`idcgen.anchors`: the section
the rule reads, else the hostname line, else line 1) and its message says so.

Results carry `partialFingerprints["idcgenFinding/v1"]`, a hash of rule, file and
message, so code scanning matches an alert across runs even when lines move and even for
line-less results (for which GitHub cannot compute its own line hash). Files that could
not be linted are reported as error notifications of the run's invocation, which is then
`executionSuccessful: false`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from idcgen import __version__
from idcgen.anchors import anchor_note
from idcgen.report import dumps_indented, dumps_indented_chunks

if TYPE_CHECKING:
    from idcgen.findings import Finding
    from idcgen.results import FileResult
    from idcgen.review import ReviewResult

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
SARIF_VERSION = "2.1.0"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
STDIN_URI = "stdin"


def artifact_uri(path: str, *, base: str | None = None) -> str:
    """A file path as a SARIF URI: relative to `base` (default: the current directory)
    with forward slashes when it lies below it, else an absolute file:// URI."""
    if path.startswith("<") and path.endswith(">"):  # <stdin>
        return STDIN_URI
    base_dir = Path(base) if base is not None else Path.cwd()
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(base_dir)
        except ValueError:
            return candidate.as_uri()
    posix = PurePosixPath(*candidate.parts) if candidate.parts else PurePosixPath(".")
    text = str(posix)
    while text.startswith("./"):
        text = text[2:]
    return quote(text, safe="/-._~")


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].strip()


def rule_descriptors() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The catalogue as reportingDescriptors, and each rule id's index among them."""
    try:
        from idcgen.rules import CATALOGUE
    except ImportError:  # rules not available: results still validate without rules
        CATALOGUE = {}  # noqa: N806
    rules: list[dict[str, Any]] = []
    for rule_id in sorted(CATALOGUE):
        info = CATALOGUE[rule_id]
        doc = (getattr(info, "doc", "") or "").strip()
        summary_text = getattr(info, "summary", "") or info.name
        descriptor: dict[str, Any] = {
            "id": info.id,
            "name": info.name,
            "shortDescription": {"text": summary_text},
            "fullDescription": {"text": _first_paragraph(doc) or summary_text},
            "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
            "properties": {"tags": ["alibaba-cloud", "network-config"]
                           + (["needs-site-model"] if getattr(info, "needs_site", False)
                              else [])},
        }
        if doc:
            descriptor["help"] = {"text": doc, "markdown": doc}
        rules.append(descriptor)
    return rules, {rule["id"]: index for index, rule in enumerate(rules)}


def _fingerprint(finding: Finding, uri: str) -> str:
    key = "\x1f".join((finding.rule, uri, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(finding: Finding, uri: str, rules: list[dict[str, Any]],
            index: dict[str, int]) -> dict[str, Any]:
    if finding.rule not in index:  # a rule missing from the catalogue: describe it minimally
        index[finding.rule] = len(rules)
        rules.append({"id": finding.rule, "name": finding.name,
                      "defaultConfiguration": {"level": LEVELS.get(finding.severity,
                                                                   "warning")}})
    text = finding.message
    line = finding.line
    if line <= 0:  # an absence: shown at the most relevant existing line (idcgen.anchors)
        line = finding.anchor if finding.anchor > 0 else 1
        text += " " + anchor_note(line, finding.anchor_reason if finding.anchor > 0 else "")
    if finding.fix:
        text += "\nFix:\n" + "\n".join(finding.fix)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri},
                                "region": {"startLine": line}}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"idcgenFinding/v1": _fingerprint(finding, uri)},
    }
    if finding.fix:
        result["properties"] = {"fix": "\n".join(finding.fix)}
    if finding.suppressed is not None:  # waived inline, or accepted in the baseline
        result["suppressions"] = [{
            "kind": "inSource" if finding.suppressed.kind == "inline" else "external",
            "status": "accepted",
            "justification": finding.suppressed.reason,
        }]
    return result


def _error_location(uri: str, result: FileResult) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if result.error_line > 0:
        location["region"] = {"startLine": result.error_line}
    return location


def sarif_log(results: Sequence[FileResult], *, base: str | None = None) -> dict[str, Any]:
    """The SARIF log object (see module doc)."""
    rules, index = rule_descriptors()
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    for file_result in results:
        uri = artifact_uri(file_result.path, base=base)
        artifacts.append({"location": {"uri": uri}, "roles": ["analysisTarget"]})
        if file_result.error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": f"{file_result.where}: {file_result.error}"},
                "locations": [{"physicalLocation": _error_location(uri, file_result)}],
            })
            continue
        for finding in file_result.findings:
            sarif_results.append(_result(finding, uri, rules, index))
    # every artifact once (uniqueItems), in input order
    unique_artifacts = list({a["location"]["uri"]: a for a in artifacts}.values())
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "idcgen",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": not notifications,
            "toolExecutionNotifications": notifications,
        }],
        "artifacts": unique_artifacts,
        "results": sarif_results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


# review's own results: what the device lacks and what contradicts the site model
REVIEW_RULES: tuple[tuple[str, str, str], ...] = (
    ("review/missing", "intended-item-missing",
     "the device lacks an item the site model intends (an address, route, exemption or "
     "IPsec object); the run's properties hold the remediation that adds it"),
    ("review/conflicting", "device-item-conflicts",
     "a device item contradicts the site model (another address on the line's subnet, "
     "a route elsewhere, a policer ahead of the exemption); the remediation replaces it"),
)


def review_sarif_log(review: ReviewResult, *, base: str | None = None) -> dict[str, Any]:
    """`review --format sarif`: the lint findings with the site in force plus one result
    per missing or conflicting item (rules `review/missing`, `review/conflicting`, level
    error: review exits 1 for them). Remediation and rollback are run properties."""
    from idcgen.results import FileResult

    log = sarif_log([FileResult(review.path, review.vendor, [], list(review.findings))],
                    base=base)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    uri = run["artifacts"][0]["location"]["uri"]
    for rule_id, name, summary_text in REVIEW_RULES:
        rules.append({"id": rule_id, "name": name,
                      "shortDescription": {"text": summary_text},
                      "fullDescription": {"text": summary_text},
                      "defaultConfiguration": {"level": "error"},
                      "properties": {"tags": ["alibaba-cloud", "network-config", "review"]}})
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for rule_id, items in (("review/missing", review.missing),
                           ("review/conflicting", review.conflicting)):
        for item in items:
            text = f"{item.kind}: {item.message}"
            line = item.line
            if line <= 0:
                line = item.anchor if item.anchor > 0 else 1
                text += " " + anchor_note(line, item.anchor_reason if item.anchor > 0 else "")
            key = "\x1f".join((rule_id, uri, item.kind, item.message))
            run["results"].append({
                "ruleId": rule_id, "ruleIndex": index[rule_id], "level": "error",
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                    "region": {"startLine": line}}}],
                "partialFingerprints": {"idcgenFinding/v1": hashlib.sha256(
                    key.encode("utf-8")).hexdigest()[:32]},
            })
    run["properties"] = {"compliant": review.compliant, "remediation": review.remediation,
                         "rollback": review.rollback, "untouched": review.untouched}
    return log


def render_review_sarif(review: ReviewResult, *, base: str | None = None) -> str:
    return json.dumps(review_sarif_log(review, base=base or os.getcwd()), indent=2,
                      ensure_ascii=False)


def render_sarif(results: Sequence[FileResult], *, base: str | None = None) -> str:
    return dumps_indented(sarif_log(results, base=base or os.getcwd()))


def render_sarif_chunks(results: Sequence[FileResult], *, base: str | None = None) -> list[str]:
    """`render_sarif`'s text in chunks, for writing without one string of it all."""
    return dumps_indented_chunks(sarif_log(results, base=base or os.getcwd()))
