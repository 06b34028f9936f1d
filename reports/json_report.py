"""The versioned JSON report (``schema_version "1"``), validated against ``schema/report.schema.json``.

Key order is fixed by construction and every list is sorted, so two runs over the same tree give
byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from checker.model import Finding, Note, RotationEntry, ScanResult, SuppressedFinding
from reports import RenderOptions
from reports._common import (
    TOOL_NAME,
    printable,
    rule_counts,
    severity_counts,
    sorted_findings,
    sorted_notes,
    sorted_rotation,
    sorted_suppressed,
)

SCHEMA_VERSION = "1"


def finding_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": finding.rule,
        "name": finding.name,
        "family": finding.family,
        "severity": finding.severity.label,
        "confidence": finding.confidence.label,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "snippet": finding.snippet,
        "fingerprint": finding.fingerprint,
    }
    if finding.properties:
        data["properties"] = {key: value for key, value in sorted(finding.properties)}
    if finding.fix is not None:
        data["fix"] = {"description": finding.fix.description, "replacement": finding.fix.replacement}
    return data


def suppressed_dict(item: SuppressedFinding) -> dict[str, Any]:
    suppression: dict[str, Any] = {"kind": item.suppression.kind, "reason": item.suppression.reason}
    if item.suppression.line is not None:
        suppression["line"] = item.suppression.line
    return {**finding_dict(item.finding), "suppression": suppression}


def note_dict(note: Note) -> dict[str, Any]:
    return {"path": note.path, "kind": note.kind, "message": note.message, "line": note.line, "rule": note.rule}


def rotation_dict(entry: RotationEntry) -> dict[str, Any]:
    return {
        "secret": entry.secret,
        "location": entry.location,
        "last_rotated": entry.last_rotated,
        "due": entry.due,
        "status": entry.status,
        "evidence": entry.evidence,
    }


def report_dict(result: ScanResult) -> dict[str, Any]:
    """The report as plain data (the CLI or tests may post-process it before dumping)."""
    meta = result.metadata
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": meta.tool_version},
        "scan": {
            "root": meta.root,
            "started_at": meta.started_at,
            "now": meta.now,
            "commit": meta.commit,
            "branch": meta.branch,
            "config_hash": meta.config_hash,
            "files_scanned": result.stats.files_scanned,
            "files_skipped": result.stats.files_skipped,
            "duration_ms": result.stats.duration_ms,
            "fail_on": meta.fail_on.label,
            "selected_rules": sorted(meta.selected_rules),
            "disabled_rules": sorted(meta.disabled_rules),
        },
        "findings": [finding_dict(f) for f in sorted_findings(result.findings)],
        "suppressed": [suppressed_dict(s) for s in sorted_suppressed(result.suppressed)],
        "notes": [note_dict(n) for n in sorted_notes(result.notes)],
        "rotation": [rotation_dict(r) for r in sorted_rotation(result.rotation)],
        "summary": {
            "total": len(result.findings),
            "failing": len(result.failing()),
            "suppressed": len(result.suppressed),
            "by_severity": severity_counts(result.findings),
            "by_rule": rule_counts(result.findings),
            "controls": result.control_status(),
        },
    }


def render(result: ScanResult, options: RenderOptions) -> str:
    return printable(json.dumps(report_dict(result), indent=2, sort_keys=False, ensure_ascii=False)) + "\n"
