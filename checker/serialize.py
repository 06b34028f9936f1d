"""JSON (never pickle: the cache lives in the scanned tree) round-trips of per-file results."""

from __future__ import annotations

from typing import Any

from checker.model import Confidence, Fact, FileResult, Finding, Fix, InlineSuppression, Note, Severity


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule, "name": f.name, "family": f.family, "severity": f.severity.label, "path": f.path,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
        "message": f.message, "snippet": f.snippet, "fingerprint": f.fingerprint, "confidence": f.confidence.label,
        "fix": None if f.fix is None else {"description": f.fix.description, "replacement": f.fix.replacement},
        "properties": [list(p) for p in f.properties],
    }


def finding_from_dict(d: dict[str, Any]) -> Finding:
    fix = d.get("fix")
    return Finding(
        rule=d["rule"], name=d["name"], family=d["family"], severity=Severity.parse(d["severity"]), path=d["path"],
        line=d["line"], column=d["column"], end_line=d["end_line"], end_column=d["end_column"], message=d["message"],
        snippet=d.get("snippet", ""), fingerprint=d.get("fingerprint", ""), confidence=Confidence[d.get("confidence", "high").upper()],
        fix=None if not fix else Fix(fix["description"], fix.get("replacement")),
        properties=tuple((str(k), str(v)) for k, v in d.get("properties", [])),
    )


def result_to_dict(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path, "kind": r.kind, "parsed": r.parsed, "skipped": r.skipped, "lines": r.lines,
        "families": list(r.families),
        "findings": [finding_to_dict(f) for f in r.findings],
        "facts": [{"kind": f.kind, "path": f.path, "line": f.line, "column": f.column, "data": dict(f.data), "rule": f.rule} for f in r.facts],
        "notes": [{"path": n.path, "kind": n.kind, "message": n.message, "line": n.line, "rule": n.rule} for n in r.notes],
        "suppressions": [{"line": s.line, "rules": list(s.rules), "reason": s.reason, "whole_file": s.whole_file, "kind": s.kind} for s in r.suppressions],
    }


def result_from_dict(d: dict[str, Any]) -> FileResult:
    return FileResult(
        path=d["path"], kind=d["kind"], parsed=d["parsed"], skipped=d["skipped"], lines=d["lines"],
        families=tuple(d.get("families", ())),
        findings=tuple(finding_from_dict(f) for f in d["findings"]),
        facts=tuple(Fact(kind=f["kind"], path=f["path"], line=f["line"], column=f["column"], data=f["data"], rule=f.get("rule", "")) for f in d["facts"]),
        notes=tuple(Note(path=n["path"], kind=n["kind"], message=n["message"], line=n.get("line"), rule=n.get("rule")) for n in d["notes"]),
        suppressions=tuple(InlineSuppression(line=s["line"], rules=tuple(s["rules"]), reason=s["reason"], whole_file=s["whole_file"], kind=s["kind"]) for s in d["suppressions"]),
    )
