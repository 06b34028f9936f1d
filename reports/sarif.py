"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

One run; ``tool.driver.rules`` lists every rule of the run (help from the rule's own docs);
results carry our fingerprint in ``partialFingerprints``; suppressed findings are results with
``suppressions``; notes become ``toolExecutionNotifications``. Validated in tests against the OASIS
schema.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from checker.model import Finding, Note, RuleMeta, ScanResult, Severity, SuppressedFinding
from reports import RenderOptions, rule_docs
from reports._common import (
    INFORMATION_URI,
    TOOL_NAME,
    printable,
    severity_level,
    sorted_findings,
    sorted_notes,
    sorted_rules,
    sorted_suppressed,
)

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "credlint/v1"

# GitHub sorts and filters code-scanning alerts by this number (a string, 0.0–10.0).
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}

# Notes that mean part of the tree was not analysed are warnings; the rest are informational.
_WARNING_NOTES = frozenset({"parse-error", "unreadable", "rule-error", "timeout", "skipped-encoding", "skipped-large", "config"})


_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def _cwe_tag(cwe: str) -> str:
    """GitHub shows CWE tags written as ``external/cwe/cwe-798``."""
    return "external/cwe/" + cwe.strip().lower()


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    tags = ["security", meta.family]
    for cwe in meta.cwe:
        tags.extend([cwe, _cwe_tag(cwe)])
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary or meta.name},
        "fullDescription": {"text": rule_docs.description(meta) if meta.docs else (meta.summary or meta.name)},
    }
    if meta.docs:
        descriptor["help"] = {"text": rule_docs.plain_text(meta), "markdown": rule_docs.markdown(meta)}
    descriptor["helpUri"] = rule_docs.help_uri(meta)
    descriptor["defaultConfiguration"] = {"level": severity_level(meta.severity)}
    descriptor["properties"] = {
        "tags": tags,
        "security-severity": SECURITY_SEVERITY[meta.severity],
        "severity": meta.severity.label,
        "family": meta.family,
        "control": meta.control,
    }
    return descriptor


def _uri(path: str) -> str:
    """Relative POSIX path as a URI reference (percent-encode what a URI cannot hold literally)."""
    # Bytes that were not UTF-8 in the file name arrive as surrogate escapes: percent-encode them.
    raw = path.replace("\\", "/").encode("utf-8", "surrogateescape")
    return quote(raw, safe="/-._~!$&'()*+,;=:@")


def _region(finding: Finding) -> dict[str, Any] | None:
    if finding.line < 1:
        # Whole-file or project-level finding: GitHub needs a start line, so point at the file's top.
        return {"startLine": 1}
    region: dict[str, Any] = {"startLine": finding.line}
    if finding.column >= 1:
        region["startColumn"] = finding.column
    end_line = finding.end_line if finding.end_line >= finding.line else finding.line
    region["endLine"] = end_line
    # endColumn is exclusive; an end before the start on the same line would be invalid, so drop it.
    if finding.end_column >= 1 and (end_line > finding.line or finding.end_column >= max(finding.column, 1)):
        region["endColumn"] = finding.end_column
    return region


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.path), "uriBaseId": SRCROOT}}
    region = _region(finding)
    if region is not None:
        physical["region"] = region
        if finding.snippet and finding.line >= 1:
            # The redacted source line: context for the reader, never the raw region text.
            physical["contextRegion"] = {"startLine": region["startLine"], "endLine": region["startLine"], "snippet": {"text": finding.snippet}}
    return {"physicalLocation": physical}


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    fix = finding.fix
    region = _region(finding)
    if fix is None or fix.replacement is None or region is None or finding.line < 1:
        return []
    return [
        {
            "description": {"text": fix.description or "Apply the suggested replacement."},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": SRCROOT},
                    "replacements": [{"deletedRegion": region, "insertedContent": {"text": fix.replacement}}],
                }
            ],
        }
    ]


def _suppression(item: SuppressedFinding) -> dict[str, Any]:
    kind = "inSource" if item.suppression.kind == "inline" else "external"
    suppression: dict[str, Any] = {"kind": kind, "status": "accepted"}
    if item.suppression.reason.strip():
        suppression["justification"] = item.suppression.reason.strip()
    if item.suppression.kind == "inline" and item.suppression.line:
        suppression["location"] = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(item.finding.path), "uriBaseId": SRCROOT},
                "region": {"startLine": item.suppression.line},
            }
        }
    suppression["properties"] = {"credlintKind": item.suppression.kind}
    return suppression


def _result(finding: Finding, rule_index: dict[str, int], suppression: SuppressedFinding | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "kind": "fail",
        "level": severity_level(finding.severity),
        "message": {"text": finding.message},
        "locations": [_location(finding)],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    fixes = _fixes(finding)
    if fixes:
        result["fixes"] = fixes
    if suppression is not None:
        result["suppressions"] = [_suppression(suppression)]
    properties: dict[str, Any] = {
        "severity": finding.severity.label,
        "security-severity": SECURITY_SEVERITY[finding.severity],
        "confidence": finding.confidence.label,
        "family": finding.family,
    }
    if finding.fix is not None and not fixes:
        properties["fix"] = finding.fix.description
    for key, value in sorted(finding.properties):
        properties.setdefault(key, value)
    result["properties"] = properties
    return result


def _notification(note: Note) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "descriptor": {"id": note.kind},
        "level": "warning" if note.kind in _WARNING_NOTES else "note",
        "message": {"text": note.message},
    }
    if note.path:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(note.path), "uriBaseId": SRCROOT}}
        if note.line and note.line > 0:
            physical["region"] = {"startLine": note.line}
        notification["locations"] = [{"physicalLocation": physical}]
    if note.rule:
        notification["associatedRule"] = {"id": note.rule}
    return notification


def _utc(text: str) -> str | None:
    """ISO 8601 → SARIF's UTC form, or None when the text carries no usable time."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None  # a naive time is ambiguous; SARIF requires UTC
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _invocation(result: ScanResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    start = _utc(result.metadata.started_at)
    if start is not None:
        invocation["startTimeUtc"] = start
        end = datetime.fromisoformat(start.replace("Z", "+00:00")) + timedelta(milliseconds=result.stats.duration_ms)
        invocation["endTimeUtc"] = end.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    invocation["toolExecutionNotifications"] = [_notification(n) for n in sorted_notes(result.notes)]
    return invocation


def _original_uri_base(root: str) -> dict[str, Any]:
    posix = root.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + _uri(posix.rstrip("/") + "/")}
    # A relative root has no absolute URI; describe it instead (consumers resolve against the checkout).
    return {"description": {"text": f"The scan root ({posix or '.'}), relative to the working directory."}}


def sarif_dict(result: ScanResult) -> dict[str, Any]:
    meta = result.metadata
    rules = sorted_rules(result)
    rule_index = {r.id: i for i, r in enumerate(rules)}
    items: list[tuple[Finding, SuppressedFinding | None]] = [(f, None) for f in sorted_findings(result.findings)]
    items.extend((s.finding, s) for s in sorted_suppressed(result.suppressed))
    items.sort(key=lambda pair: (*pair[0].sort_key, pair[1] is not None, pair[0].fingerprint))
    run_properties: dict[str, Any] = {
        "root": meta.root,
        "now": meta.now,
        "configHash": meta.config_hash,
        "failOn": meta.fail_on.label,
        "selectedRules": sorted(meta.selected_rules),
        "disabledRules": sorted(meta.disabled_rules),
        "filesScanned": result.stats.files_scanned,
        "filesSkipped": result.stats.files_skipped,
        "controls": result.control_status(),
    }
    if meta.commit:
        run_properties["commit"] = meta.commit
    if meta.branch:
        run_properties["branch"] = meta.branch
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": meta.tool_version,
                        **({"semanticVersion": meta.tool_version} if _SEMVER.match(meta.tool_version) else {}),
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(r) for r in rules],
                    }
                },
                # GitHub keys analyses on the part before the last "/" (the category).
                "automationDetails": {"id": f"{TOOL_NAME}/{meta.started_at}"},
                "originalUriBaseIds": {SRCROOT: _original_uri_base(meta.root)},
                "invocations": [_invocation(result)],
                "columnKind": "utf16CodeUnits",
                "results": [_result(f, rule_index, s) for f, s in items],
                "properties": run_properties,
            }
        ],
    }


def render(result: ScanResult, options: RenderOptions) -> str:
    return printable(json.dumps(sarif_dict(result), indent=2, ensure_ascii=False)) + "\n"
