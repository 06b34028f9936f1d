"""Small helpers every renderer shares: stable orderings, counts and wording.

Each renderer must be deterministic (golden files), so all orderings live here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from checker.model import CONTROLS, Finding, Note, RotationEntry, RuleMeta, ScanResult, Severity, SuppressedFinding

TOOL_NAME = "credlint"
INFORMATION_URI = "https://github.com/credlint/credlint"
# One constant for every "read more about rule X" link (SARIF helpUri, HTML report, explain).
RULE_DOCS_URL = "https://github.com/credlint/credlint/blob/main/docs/rules.md"

# Most severe first: summaries and tables read top-down.
SEVERITIES_DESC: tuple[Severity, ...] = tuple(sorted(Severity, reverse=True))


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (*f.sort_key, f.end_line, f.end_column, f.message, f.fingerprint))


def sorted_suppressed(items: Iterable[SuppressedFinding]) -> list[SuppressedFinding]:
    return sorted(
        items,
        key=lambda s: (*s.finding.sort_key, s.finding.end_line, s.finding.end_column, s.finding.message, s.finding.fingerprint, s.suppression.kind),
    )


def sorted_notes(notes: Iterable[Note]) -> list[Note]:
    return sorted(notes, key=lambda n: (n.path, n.line or 0, n.kind, n.rule or "", n.message))


def sorted_rotation(entries: Iterable[RotationEntry]) -> list[RotationEntry]:
    """Soonest (or longest overdue) first; entries without a due date last."""
    return sorted(entries, key=lambda r: (r.due is None, r.due or "", r.secret, r.location))


def sorted_rules(result: ScanResult) -> list[RuleMeta]:
    """The run's rules by id, plus a stub for any rule id that has findings but no metadata."""
    metas = {meta.id: meta for meta in result.rules}
    for finding in [*result.findings, *(s.finding for s in result.suppressed)]:
        if finding.rule not in metas:
            metas[finding.rule] = RuleMeta(
                id=finding.rule, name=finding.name, family=finding.family, severity=finding.severity, summary=finding.name, docs=""
            )
    return [metas[key] for key in sorted(metas)]


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """All severities, most severe first, zero counts included (stable keys for JSON and tables)."""
    counts = Counter(f.severity for f in findings)
    return {sev.label: counts.get(sev, 0) for sev in SEVERITIES_DESC}


def rule_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.rule for f in findings)
    return {rule: counts[rule] for rule in sorted(counts)}


def family_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.family for f in findings)
    return {family: counts[family] for family in sorted(counts)}


def control_key(family: str) -> str:
    for key, _title, families in CONTROLS:
        if family in families:
            return key
    return family


def severity_level(severity: Severity) -> str:
    """The three-level scale of SARIF and GitHub: critical/high → error, medium → warning, else note."""
    if severity >= Severity.HIGH:
        return "error"
    if severity == Severity.MEDIUM:
        return "warning"
    return "note"


def summary_line(result: ScanResult) -> str:
    """``3 findings (2 high, 1 medium) in 41 files; 2 suppressed`` / ``No findings in 41 files.``"""
    files = plural(result.stats.files_scanned, "file")
    suppressed = f"; {len(result.suppressed)} suppressed" if result.suppressed else ""
    if not result.findings:
        return f"No findings in {files}{suppressed}."
    counts = severity_counts(result.findings)
    parts = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
    return f"{plural(len(result.findings), 'finding')} ({parts}) in {files}{suppressed}"


_SURROGATES = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """Replace lone surrogates (undecodable file names arrive as them) so output encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)
