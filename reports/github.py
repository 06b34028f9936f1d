"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

    ::error file=svc/client.py,line=12,col=8,endLine=12,endColumn=30,title=OA201 token-logged::access token passed to logger.info

critical/high → ``error``, medium → ``warning``, low/info → ``notice``. Escaping follows the
runner's rules (``%``, CR and LF in the message; additionally ``:`` and ``,`` in properties), so a
message from scanned content can never start a workflow command of its own.
"""

from __future__ import annotations

from checker.model import Finding, Note, ScanResult, Severity
from reports import RenderOptions
from reports._common import printable, sorted_findings, sorted_notes, summary_line


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding) -> str:
    if finding.severity >= Severity.HIGH:
        return "error"
    return "warning" if finding.severity == Severity.MEDIUM else "notice"


def annotation(finding: Finding) -> str:
    props = [("file", finding.path)]
    if finding.line > 0:
        props.append(("line", str(finding.line)))
        if finding.column > 0:
            props.append(("col", str(finding.column)))
        end_line = max(finding.end_line, finding.line)
        props.append(("endLine", str(end_line)))
        # The runner honours columns only within one line.
        if finding.end_column > 0 and end_line == finding.line and finding.end_column >= finding.column:
            props.append(("endColumn", str(finding.end_column)))
    props.append(("title", f"{finding.rule} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{_command(finding)} {rendered}::{escape_data(finding.message)}"


def _note_annotation(note: Note) -> str:
    props = [("file", note.path)] + ([("line", str(note.line))] if note.line else []) + [("title", f"credlint {note.kind}")]
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::warning {rendered}::{escape_data(note.message)}"


# Notes worth an annotation: parts of the tree that were not analysed (shown with --verbose only,
# since GitHub limits the number of annotations per step).
_ANNOTATED_NOTES = frozenset({"parse-error", "unreadable", "rule-error", "timeout"})


def render(result: ScanResult, options: RenderOptions) -> str:
    lines = [annotation(f) for f in sorted_findings(result.findings)]
    if options.verbose:
        lines.extend(_note_annotation(n) for n in sorted_notes(result.notes) if n.kind in _ANNOTATED_NOTES)
    # A plain line for the log (escaped too: it is not a command, so it must not look like one).
    lines.append(escape_data(summary_line(result)))
    return printable("\n".join(lines)) + "\n"
