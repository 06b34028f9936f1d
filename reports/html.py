"""The HTML audit report: one self-contained page for an auditor who did not write the code.

Rendered by jinja2 with autoescaping and ``StrictUndefined`` from ``reports/templates``. This module
only turns the ``ScanResult`` into a view model (plain dataclasses of strings and numbers); the
templates lay it out. Everything that came from scanned files is escaped by jinja2; the only
``Markup`` handed to templates is the rule documentation rendered by ``rule_docs.html`` (which
escapes its input too).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from checker.model import CONTROLS, FAMILIES, Finding, RuleMeta, ScanResult, Severity, SuppressedFinding
from reports import RenderOptions, rule_docs
from reports._common import (
    INFORMATION_URI,
    SEVERITIES_DESC,
    TOOL_NAME,
    control_key,
    plural,
    printable,
    sorted_findings,
    sorted_notes,
    sorted_rotation,
    sorted_rules,
    sorted_suppressed,
    summary_line,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"
# Lines of context shown around a finding when the caller supplied the file's (redacted) lines.
CONTEXT_LINES = 2
MAX_EXCERPT_LINES = 12


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --------------------------------------------------------------------------------------------
# View model


@dataclass(frozen=True)
class ExcerptLine:
    number: int | None
    text: str
    hit: bool


@dataclass(frozen=True)
class FindingView:
    anchor: str
    rule: str
    name: str
    severity: str
    confidence: str
    message: str
    location: str
    excerpt: tuple[ExcerptLine, ...]
    fix: str
    replacement: str
    properties: tuple[tuple[str, str], ...]
    rule_anchor: str


@dataclass(frozen=True)
class FileGroup:
    path: str
    findings: tuple[FindingView, ...]
    severity_counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RuleAdvice:
    id: str
    name: str
    summary: str
    anchor: str
    fix_html: Markup
    why: Markup
    references: tuple[tuple[str, str], ...]  # (label, url or "")
    count: int


@dataclass(frozen=True)
class ControlRow:
    key: str
    title: str
    status: str
    findings: int
    suppressed: int
    by_severity: tuple[tuple[str, int], ...]
    rules: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ControlGroup:
    key: str
    title: str
    status: str
    advice: tuple[RuleAdvice, ...]
    files: tuple[FileGroup, ...]
    count: int


@dataclass(frozen=True)
class SuppressionRow:
    rule: str
    name: str
    severity: str
    location: str
    message: str
    kind: str
    reason: str
    justified: bool
    snippet: str


@dataclass(frozen=True)
class FamilyRow:
    family: str
    counts: tuple[tuple[str, int], ...]
    total: int


@dataclass(frozen=True)
class RuleRow:
    id: str
    name: str
    family: str
    severity: str
    summary: str
    status: str  # "selected" | "disabled"
    findings: int
    anchor: str
    url: str


@dataclass
class Page:
    """Everything the template shows (no logic beyond loops and conditionals in the template)."""

    tool: str
    tool_version: str
    information_uri: str
    verdict: str
    verdict_text: str
    summary: str
    metadata: list[tuple[str, str]]
    severity_cards: list[tuple[str, int]]
    suppressed_count: int
    unjustified_count: int
    notes_count: int
    controls: list[ControlRow]
    families: list[FamilyRow]
    severities: list[str]
    groups: list[ControlGroup]
    suppressions: list[SuppressionRow]
    rotation: list[dict[str, str]]
    notes: list[dict[str, str]]
    note_counts: list[tuple[str, int]]
    rules: list[RuleRow]
    fail_on: str
    failing: int


def _location(finding: Finding) -> str:
    if finding.line < 1:
        return finding.path
    return f"{finding.path}:{finding.line}:{max(finding.column, 1)}"


def _finding_anchor(finding: Finding) -> str:
    ident = finding.fingerprint or hashlib.sha256(repr(finding.sort_key).encode("utf-8", "replace")).hexdigest()[:16]
    return f"f-{finding.rule.lower()}-{ident}"


def _rule_anchor(rule_id: str, group: str = "") -> str:
    return f"rule-{rule_id.lower()}" + (f"-{group}" if group else "")


def _known_snippets(result: ScanResult) -> dict[str, dict[int, str]]:
    """Per path and line, the redacted snippet the engine built for any finding on that line.

    The caller's source lines were redacted without knowing which literals a rule judged secret;
    a finding's snippet was redacted with that knowledge, so it wins on its own line.
    """
    known: dict[str, dict[int, str]] = defaultdict(dict)
    for finding in [*result.findings, *(s.finding for s in result.suppressed)]:
        if finding.line > 0 and finding.snippet:
            known[finding.path].setdefault(finding.line, finding.snippet)
    return known


def _excerpt(finding: Finding, source_lines: Mapping[str, tuple[str, ...]] | None, known: Mapping[int, str]) -> tuple[ExcerptLine, ...]:
    lines = source_lines.get(finding.path) if source_lines else None
    if lines and 1 <= finding.line <= len(lines):
        last_hit = min(max(finding.end_line, finding.line), finding.line + MAX_EXCERPT_LINES - 2 * CONTEXT_LINES - 1)
        start = max(1, finding.line - CONTEXT_LINES)
        stop = min(len(lines), last_hit + CONTEXT_LINES)
        out = []
        for number in range(start, stop + 1):
            text = lines[number - 1]
            if number in known:
                indent = text[: len(text) - len(text.lstrip())]
                text = indent + known[number]
            out.append(ExcerptLine(number, text.rstrip("\r\n"), finding.line <= number <= last_hit))
        return tuple(out)
    if finding.snippet:
        return (ExcerptLine(finding.line if finding.line > 0 else None, finding.snippet, True),)
    return ()


def _finding_view(finding: Finding, source_lines: Mapping[str, tuple[str, ...]] | None, known: Mapping[int, str], group: str) -> FindingView:
    return FindingView(
        anchor=_finding_anchor(finding),
        rule=finding.rule,
        name=finding.name,
        severity=finding.severity.label,
        confidence=finding.confidence.label,
        message=finding.message,
        location=_location(finding),
        excerpt=_excerpt(finding, source_lines, known),
        fix=finding.fix.description if finding.fix else "",
        replacement=(finding.fix.replacement or "") if finding.fix else "",
        properties=tuple(sorted(finding.properties)),
        rule_anchor=_rule_anchor(finding.rule, group),
    )


def _references(meta: RuleMeta) -> tuple[tuple[str, str], ...]:
    refs: list[tuple[str, str]] = []
    cwes = {c.strip().upper() for c in meta.cwe}
    for ref in meta.references:
        if ref.strip().upper() in cwes:
            continue  # listed below with its link
        refs.append((ref, ref if ref.startswith(("https://", "http://")) else ""))
    for cwe in meta.cwe:
        refs.append((cwe, rule_docs.cwe_url(cwe) or ""))
    refs.append((f"credlint docs: {meta.id} {meta.name}", rule_docs.help_uri(meta)))
    return tuple(dict.fromkeys(refs))


def _advice(meta: RuleMeta, count: int, group: str) -> RuleAdvice:
    use_instead = rule_docs.section(meta, "Use instead")
    return RuleAdvice(
        id=meta.id,
        name=meta.name,
        summary=meta.summary.rstrip("."),
        anchor=_rule_anchor(meta.id, group),
        fix_html=rule_docs.html(use_instead, heading_offset=3) if use_instead else Markup(""),
        why=rule_docs.inline_html(rule_docs.first_paragraph(rule_docs.section(meta, "Why is this bad?"))),
        references=_references(meta),
        count=count,
    )


def _severity_tuple(findings: Iterable[Finding]) -> tuple[tuple[str, int], ...]:
    counts = Counter(f.severity for f in findings)
    return tuple((s.label, counts[s]) for s in SEVERITIES_DESC if counts[s])


def _groups(result: ScanResult, metas: dict[str, RuleMeta], options: RenderOptions) -> list[ControlGroup]:
    known = _known_snippets(result)
    status = result.control_status()
    by_control: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted_findings(result.findings):
        by_control[control_key(finding.family)].append(finding)
    order = [key for key, _t, _f in CONTROLS] + sorted(k for k in by_control if k not in {c[0] for c in CONTROLS})
    titles = {key: title for key, title, _f in CONTROLS}
    groups = []
    for key in order:
        findings = by_control.get(key)
        if not findings:
            continue
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            by_file[finding.path].append(finding)
        files = tuple(
            FileGroup(path, tuple(_finding_view(f, options.source_lines, known.get(path, {}), key) for f in items), _severity_tuple(items))
            for path, items in sorted(by_file.items())
        )
        rule_count = Counter(f.rule for f in findings)
        advice = tuple(_advice(metas[rule], rule_count[rule], key) for rule in sorted(rule_count))
        groups.append(ControlGroup(key, titles.get(key, key), status.get(key, "fail"), advice, files, len(findings)))
    return groups


def _control_rows(result: ScanResult, metas: dict[str, RuleMeta]) -> list[ControlRow]:
    status = result.control_status()
    disabled = set(result.metadata.disabled_rules)
    rows = []
    for key, title, families in CONTROLS:
        findings = [f for f in result.findings if f.family in families]
        suppressed = [s for s in result.suppressed if s.finding.family in families]
        rules = tuple(m.id for m in metas.values() if m.family in families and m.id not in disabled)
        off = tuple(sorted(r for r in disabled if (m := metas.get(r)) is not None and m.family in families))
        rows.append(
            ControlRow(
                key=key,
                title=title,
                status=status[key],
                findings=len(findings),
                suppressed=len(suppressed),
                by_severity=_severity_tuple(findings),
                rules=rules,
                evidence=_evidence(status[key], findings, suppressed, rules, off),
            )
        )
    return rows


def _evidence(status: str, findings: list[Finding], suppressed: list[SuppressedFinding], rules: tuple[str, ...], off: tuple[str, ...]) -> tuple[str, ...]:
    """Plain sentences saying why a control got its verdict."""
    lines: list[str] = []
    ran = ", ".join(rules) if rules else "no rule"
    if status == "fail":
        per_rule = Counter(f.rule for f in findings if f.severity > Severity.INFO)
        files = len({f.path for f in findings})
        detail = ", ".join(f"{rule} ×{n}" for rule, n in sorted(per_rule.items()))
        lines.append(f"{plural(sum(per_rule.values()), 'finding')} in {plural(files, 'file')} ({detail}).")
    elif status == "pass":
        lines.append(f"{ran} checked the files that could hold evidence; no finding above info.")
    elif rules:
        lines.append(f"Not evaluated: no scanned file gave {ran} anything to check.")
    elif off:
        lines.append("Not evaluated: every rule of this tip is disabled.")
    else:
        lines.append("Not evaluated: no rule of this tip was part of the scan.")
    infos = sum(1 for f in findings if f.severity == Severity.INFO)
    if infos:
        lines.append(f"{plural(infos, 'informational finding')} (does not fail the control).")
    if suppressed:
        unjustified = sum(1 for s in suppressed if not s.suppression.reason.strip())
        text = f"{len(suppressed)} suppressed"
        if unjustified:
            text += f", {unjustified} without a reason"
        lines.append(text + ".")
    if off:
        lines.append(f"Disabled by configuration: {', '.join(off)}.")
    return tuple(lines)


def _family_rows(result: ScanResult) -> list[FamilyRow]:
    rows = []
    families = list(FAMILIES) + sorted({f.family for f in result.findings} - set(FAMILIES))
    for family in families:
        items = [f for f in result.findings if f.family == family]
        counts = Counter(f.severity for f in items)
        rows.append(FamilyRow(family, tuple((s.label, counts[s]) for s in SEVERITIES_DESC), len(items)))
    return rows


def _suppression_rows(result: ScanResult) -> list[SuppressionRow]:
    return [
        SuppressionRow(
            rule=s.finding.rule,
            name=s.finding.name,
            severity=s.finding.severity.label,
            location=_location(s.finding) + (f" (comment on line {s.suppression.line})" if s.suppression.kind == "inline" and s.suppression.line else ""),
            message=s.finding.message,
            kind=s.suppression.kind,
            reason=s.suppression.reason.strip(),
            justified=bool(s.suppression.reason.strip()),
            snippet=s.finding.snippet,
        )
        for s in sorted_suppressed(result.suppressed)
    ]


def _rule_rows(result: ScanResult) -> list[RuleRow]:
    counts = Counter(f.rule for f in result.findings)
    disabled = set(result.metadata.disabled_rules)
    rows = [
        RuleRow(m.id, m.name, m.family, m.severity.label, m.summary, "disabled" if m.id in disabled else "selected", counts[m.id], _rule_anchor(m.id), rule_docs.help_uri(m))
        for m in sorted_rules(result)
    ]
    listed = {r.id for r in rows}
    rows.extend(RuleRow(rid, "", "", "", "", "disabled", 0, _rule_anchor(rid), "") for rid in sorted(disabled - listed))
    return rows


def _metadata(result: ScanResult) -> list[tuple[str, str]]:
    meta = result.metadata
    stats = result.stats
    rows = [
        ("Tool", f"{TOOL_NAME} {meta.tool_version}"),
        ("Project root", meta.root),
        ("Paths scanned", ", ".join(meta.paths) if meta.paths else meta.root),
        ("Git commit", meta.commit or "not a git checkout"),
        ("Git branch", meta.branch or "—"),
        ("Scan started", meta.started_at),
        ("Date used by time-based rules (now)", meta.now),
        ("Configuration hash", meta.config_hash),
        ("Files scanned", str(stats.files_scanned)),
        ("Files skipped", str(stats.files_skipped)),
        ("Duration", f"{stats.duration_ms / 1000:.1f} s"),
        ("Fails at severity", f"{meta.fail_on.label} and above"),
        ("Low-confidence findings", "shown (--strict)" if meta.strict else "hidden (use --strict to show)"),
        ("Selected rules", ", ".join(sorted(meta.selected_rules)) or "—"),
        ("Disabled rules", ", ".join(sorted(meta.disabled_rules)) or "none"),
    ]
    if meta.history:
        rows.insert(5, ("History scanned", meta.history))
    return rows


def build_page(result: ScanResult, options: RenderOptions) -> Page:
    metas = {m.id: m for m in sorted_rules(result)}
    suppressions = _suppression_rows(result)
    failing = len(result.failing())
    notes = sorted_notes(result.notes)
    verdict = "fail" if failing else "pass"
    if failing:
        verdict_text = f"{plural(failing, 'finding')} at or above “{result.metadata.fail_on.label}” fail the run."
    else:
        verdict_text = f"No finding at or above “{result.metadata.fail_on.label}”: the run passes."
    return Page(
        tool=TOOL_NAME,
        tool_version=result.metadata.tool_version,
        information_uri=INFORMATION_URI,
        verdict=verdict,
        verdict_text=verdict_text,
        summary=summary_line(result),
        metadata=_metadata(result),
        severity_cards=[(s.label, sum(1 for f in result.findings if f.severity == s)) for s in SEVERITIES_DESC],
        suppressed_count=len(suppressions),
        unjustified_count=sum(1 for s in suppressions if not s.justified),
        notes_count=len(notes),
        controls=_control_rows(result, metas),
        families=_family_rows(result),
        severities=[s.label for s in SEVERITIES_DESC],
        groups=_groups(result, metas, options),
        suppressions=suppressions,
        rotation=[
            {
                "secret": r.secret,
                "location": r.location,
                "last_rotated": r.last_rotated or "unknown",
                "due": r.due or "—",
                "status": r.status,
                "evidence": r.evidence,
            }
            for r in sorted_rotation(result.rotation)
        ],
        notes=[
            {"kind": n.kind, "location": f"{n.path}:{n.line}" if n.line else n.path, "message": n.message, "rule": n.rule or ""}
            for n in notes
        ],
        note_counts=sorted(Counter(n.kind for n in notes).items()),
        rules=_rule_rows(result),
        fail_on=result.metadata.fail_on.label,
        failing=failing,
    )


def render(result: ScanResult, options: RenderOptions) -> str:
    page = build_page(result, options)
    return printable(environment().get_template("report.html.j2").render(page=page))
