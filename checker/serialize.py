"""JSON (never pickle: the cache lives in the scanned tree) round-trips of per-file results."""

from __future__ import annotations

from typing import Any

from checker.model import Confidence, Example, Fact, FileResult, Finding, Fix, InlineSuppression, Note, RotationEntry, RuleMeta, Severity


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


def note_to_dict(n: Note) -> dict[str, Any]:
    return {"path": n.path, "kind": n.kind, "message": n.message, "line": n.line, "rule": n.rule}


def note_from_dict(d: dict[str, Any]) -> Note:
    return Note(path=d["path"], kind=d["kind"], message=d["message"], line=d.get("line"), rule=d.get("rule"))


def rotation_to_dict(r: RotationEntry) -> dict[str, Any]:
    return {"secret": r.secret, "location": r.location, "last_rotated": r.last_rotated, "due": r.due, "status": r.status, "evidence": r.evidence}


def rotation_from_dict(d: dict[str, Any]) -> RotationEntry:
    return RotationEntry(secret=d["secret"], location=d["location"], last_rotated=d["last_rotated"], due=d["due"], status=d["status"], evidence=d["evidence"])


def _example_to_dict(e: Example) -> dict[str, Any]:
    return {"code": e.code, "path": e.path, "lines": list(e.lines), "note": e.note, "config": _json_ready(e.config), "now": e.now}


def _example_from_dict(d: dict[str, Any]) -> Example:
    return Example(code=d["code"], path=d["path"], lines=tuple(d["lines"]), note=d["note"], config=_from_json(d["config"]), now=d["now"])


def meta_to_dict(m: RuleMeta) -> dict[str, Any]:
    return {
        "id": m.id, "name": m.name, "family": m.family, "severity": m.severity.label, "summary": m.summary, "docs": m.docs,
        "cwe": list(m.cwe), "references": list(m.references), "kinds": list(m.kinds), "since": m.since,
        "valid": [_example_to_dict(e) for e in m.valid], "invalid": [_example_to_dict(e) for e in m.invalid],
    }


def meta_from_dict(d: dict[str, Any]) -> RuleMeta:
    return RuleMeta(
        id=d["id"], name=d["name"], family=d["family"], severity=Severity.parse(d["severity"]), summary=d["summary"], docs=d["docs"],
        cwe=tuple(d["cwe"]), references=tuple(d["references"]), kinds=tuple(d["kinds"]), since=d["since"],
        valid=tuple(_example_from_dict(e) for e in d["valid"]), invalid=tuple(_example_from_dict(e) for e in d["invalid"]),
    )


def _json_ready(value: Any) -> Any:
    """Tuples become tagged lists so that a round trip gives back equal values."""
    if isinstance(value, tuple):
        return {"__tuple__": [_json_ready(v) for v in value]}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(_from_json(v) for v in value["__tuple__"])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value
