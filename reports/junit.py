"""JUnit XML for CI systems that display test reports (GitLab, Jenkins, Azure DevOps, CircleCI).

One test suite "credlint"; one test case per rule × file that has findings (classname = rule id),
failing when a finding there fails the run; one passing case per rule without findings
("OA201 token-logged: no findings"). Findings below the failing severity and suppressed ones are
listed in the case's ``system-out`` (a case with only suppressed findings is ``skipped``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from checker.model import Finding, ScanResult, SuppressedFinding
from reports import RenderOptions
from reports._common import TOOL_NAME, plural, sorted_findings, sorted_notes, sorted_rules, sorted_suppressed, summary_line

# XML 1.0 cannot carry these characters even escaped; scanned text may contain them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _finding_text(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{max(finding.column, 1)}" if finding.line > 0 else finding.path
    return f"{where}: [{finding.severity.label}] {finding.message}"


def _suppressed_text(item: SuppressedFinding) -> str:
    reason = item.suppression.reason.strip() or "no reason given"
    return f"{_finding_text(item.finding)} (suppressed {item.suppression.kind}: {reason})"


def _element(tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.Element(tag, {k.rstrip("_"): _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _case(rule_id: str, rule_name: str, path: str, active: list[Finding], suppressed: list[SuppressedFinding], failing: set[int]) -> tuple[ET.Element, str]:
    """One test case and its outcome ("failure" | "skipped" | "passed")."""
    case = _element("testcase", classname=rule_id, name=f"{rule_id} {rule_name}: {path}", file=path, time="0")
    failures = [f for f in active if id(f) in failing]
    others = [_finding_text(f) for f in active if id(f) not in failing] + [_suppressed_text(s) for s in suppressed]
    outcome = "passed"
    if failures:
        outcome = "failure"
        worst = max(f.severity for f in failures)
        message = f"{plural(len(failures), 'finding')} ({worst.label})"
        case.append(_element("failure", "\n".join(_finding_text(f) for f in failures), message=message, type=rule_id))
    elif suppressed and not active:
        outcome = "skipped"
        case.append(_element("skipped", message=f"{plural(len(suppressed), 'finding')} suppressed"))
    if others:
        case.append(_element("system-out", "\n".join(others)))
    return case, outcome


def render(result: ScanResult, options: RenderOptions) -> str:
    failing = {id(f) for f in result.failing()}
    active: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in sorted_findings(result.findings):
        active[(finding.rule, finding.path)].append(finding)
    silenced: dict[tuple[str, str], list[SuppressedFinding]] = defaultdict(list)
    for item in sorted_suppressed(result.suppressed):
        silenced[(item.finding.rule, item.finding.path)].append(item)

    cases: list[ET.Element] = []
    outcomes: dict[str, int] = {"failure": 0, "skipped": 0, "passed": 0}
    disabled = set(result.metadata.disabled_rules)
    for meta in sorted_rules(result):
        paths = sorted({p for (rule, p) in [*active, *silenced] if rule == meta.id})
        if not paths:
            if meta.id in disabled:
                case = _element("testcase", classname=meta.id, name=f"{meta.id} {meta.name}: disabled", time="0")
                case.append(_element("skipped", message="rule disabled by configuration"))
                outcomes["skipped"] += 1
            else:
                case = _element("testcase", classname=meta.id, name=f"{meta.id} {meta.name}: no findings", time="0")
                outcomes["passed"] += 1
            cases.append(case)
            continue
        for path in paths:
            case, outcome = _case(meta.id, meta.name, path, active.get((meta.id, path), []), silenced.get((meta.id, path), []), failing)
            outcomes[outcome] += 1
            cases.append(case)

    for rule_id in sorted(disabled - {m.id for m in sorted_rules(result)}):
        case = _element("testcase", classname=rule_id, name=f"{rule_id}: disabled", time="0")
        case.append(_element("skipped", message="rule disabled by configuration"))
        outcomes["skipped"] += 1
        cases.append(case)

    seconds = f"{result.stats.duration_ms / 1000:.3f}"
    counts = {"tests": str(len(cases)), "failures": str(outcomes["failure"]), "errors": "0", "skipped": str(outcomes["skipped"]), "time": seconds}
    root = _element("testsuites", name=TOOL_NAME, **{k: v for k, v in counts.items() if k != "skipped"})
    suite = _element("testsuite", name=TOOL_NAME, timestamp=result.metadata.started_at, **counts)
    properties = ET.SubElement(suite, "properties")
    for key, value in (
        ("tool_version", result.metadata.tool_version),
        ("root", result.metadata.root),
        ("commit", result.metadata.commit or ""),
        ("now", result.metadata.now),
        ("config_hash", result.metadata.config_hash),
        ("fail_on", result.metadata.fail_on.label),
    ):
        properties.append(_element("property", name=key, value=value))
    suite.extend(cases)
    notes = [f"{n.path}{':' + str(n.line) if n.line else ''}: note[{n.kind}] {n.message}" for n in sorted_notes(result.notes)]
    suite.append(_element("system-out", "\n".join([summary_line(result), *notes])))
    root.append(suite)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
