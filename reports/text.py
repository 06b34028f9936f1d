"""Plain text: one line per finding, then a one-line summary (what a terminal and pre-commit show).

    svc/client.py:12:8: OA201 [high] access token passed to logger.info (token-logged)
    1 finding (1 high) in 41 files; 2 suppressed
"""

from __future__ import annotations

import re

from checker.model import Finding, Note, ScanResult, Severity, SuppressedFinding
from reports import RenderOptions
from reports._common import plural, printable, sorted_findings, sorted_notes, sorted_suppressed, summary_line

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_SEVERITY_COLORS: dict[Severity, str] = {
    Severity.CRITICAL: "\033[1;35m",
    Severity.HIGH: "\033[1;31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


# Line breaks of any kind (str.splitlines splits on all of them) and other control characters: text
# from scanned files must neither break the one-line format nor drive the terminal (ANSI injection).
_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _one_line(text: str) -> str:
    return _CONTROLS.sub("\ufffd", _BREAKS.sub(" ", text))


def finding_line(finding: Finding, color: bool = False) -> str:
    # A whole-file or project-level finding (line 0) names only the path, never a fake position.
    position = f":{finding.line}:{max(finding.column, 1)}" if finding.line > 0 else ""
    location = _paint(f"{_one_line(finding.path)}{position}:", _BOLD, color)
    severity = _paint(f"[{finding.severity.label}]", _SEVERITY_COLORS[finding.severity], color)
    rule = _paint(finding.rule, _BOLD, color)
    return f"{location} {rule} {severity} {_one_line(finding.message)} ({finding.name})"


def _suppressed_line(item: SuppressedFinding, color: bool) -> str:
    reason = item.suppression.reason.strip()
    why = f"{item.suppression.kind}: {_one_line(reason)}" if reason else f"{item.suppression.kind}, no reason given"
    return _paint(f"{finding_line(item.finding)} [suppressed {why}]", _DIM, color)


def _note_line(note: Note) -> str:
    where = f"{_one_line(note.path)}:{note.line}" if note.line else _one_line(note.path)
    rule = f" {note.rule}" if note.rule else ""
    return f"{where}: note[{note.kind}]{rule} {_one_line(note.message)}"


def render(result: ScanResult, options: RenderOptions) -> str:
    lines = [finding_line(f, options.color) for f in sorted_findings(result.findings)]
    if options.show_suppressed and result.suppressed:
        lines.extend(_suppressed_line(s, options.color) for s in sorted_suppressed(result.suppressed))
    if options.verbose and result.notes:
        lines.extend(_note_line(n) for n in sorted_notes(result.notes))
    summary = summary_line(result)
    if options.verbose and result.stats.files_skipped:
        clean = summary.endswith(".")
        summary = summary.rstrip(".") + f"; {plural(result.stats.files_skipped, 'file')} skipped" + ("." if clean else "")
    lines.append(_paint(summary, _BOLD, options.color) if options.color else summary)
    return printable("\n".join(lines)) + "\n"
