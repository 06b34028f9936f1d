"""Suppressions: inline comments, per-file ignores from config, and the baseline.

Inline forms (any comment character: ``#``, ``//``, ``;``):
``credlint: ignore[OA201] reason`` on the finding's line or the line above,
``credlint: ignore-file[OA102] reason`` anywhere, and detect-secrets' ``pragma: allowlist secret``
(secret family only). Unknown ids and suppressions that silenced nothing become notes.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Callable, Iterable

from checker.model import FileResult, Finding, InlineSuppression, Note, Settings, SuppressedFinding, Suppression

_INLINE = re.compile(
    r"credlint:\s*(?P<what>ignore-file|ignore)(?:\[(?P<ids>[^\]]*)\])?(?P<reason>[^\n]*)",
    re.IGNORECASE,
)
_PRAGMA = re.compile(r"pragma:\s*allowlist[ -]secret", re.IGNORECASE)
_COMMENT_START = re.compile(r"(#|//|;|--|<!--)")


def _clean_reason(text: str) -> str:
    reason = text.strip()
    reason = re.sub(r"^[\s:\-–—]+", "", reason)
    reason = re.sub(r"\s*(-->|\*/)\s*$", "", reason)
    return reason.strip()


def parse_inline(lines: list[str], kind: str = "python") -> tuple[InlineSuppression, ...]:
    """Every suppression comment in a file (cheap: a substring test before any regex)."""
    found: list[InlineSuppression] = []
    text = "\n".join(lines).lower()
    if "credlint:" not in text and "allowlist" not in text:  # substring tests: no regex on most files
        return ()
    for number, line in enumerate(lines, start=1):
        low = line.lower()
        if "credlint:" in low:
            match = _INLINE.search(line)
            if match and _COMMENT_START.search(line[: match.start()] or "#"):
                ids = tuple(i.strip().upper() for i in (match.group("ids") or "").split(",") if i.strip())
                found.append(
                    InlineSuppression(
                        line=number,
                        rules=ids,
                        reason=_clean_reason(match.group("reason")),
                        whole_file=match.group("what").lower() == "ignore-file",
                    )
                )
        if "allowlist" in low and _PRAGMA.search(line):
            found.append(InlineSuppression(line=number, rules=("OA101", "OA102", "OA103"), reason="pragma: allowlist secret", kind="pragma"))
    return tuple(found)


def _covers(sup: InlineSuppression, finding: Finding) -> bool:
    if sup.rules and not any(finding.rule.startswith(r) for r in sup.rules):
        return False
    if sup.whole_file:
        return True
    return sup.line in (finding.line, finding.line - 1)


def per_file_ignored(settings: Settings, finding: Finding) -> str | None:
    for pattern, ids in settings.per_file_ignores:
        if path_matches(finding.path, pattern) and any(finding.rule.startswith(i) or i == "ALL" for i in ids):
            return pattern
    return None


def path_matches(path: str, pattern: str) -> bool:
    """gitignore-like glob: ``tests/**`` matches anything below tests; a pattern without a slash
    matches the file name at any depth."""
    pat = pattern.rstrip("/")
    if fnmatch.fnmatchcase(path, pat):
        return True
    if pat.endswith("/**") and (path + "/").startswith(pat[:-2]):
        return True
    if "/" not in pat and fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pat):
        return True
    if pat.startswith("**/") and (fnmatch.fnmatchcase(path, pat[3:]) or path_matches(path, pat[3:])):
        return True
    # directory prefix without glob: "migrations" matches "migrations/x.py"
    return path.startswith(pat + "/")


def apply_inline(result: FileResult, known_ids: frozenset[str]) -> tuple[list[Finding], list[SuppressedFinding], list[Note]]:
    """Split one file's findings into kept and suppressed; report unknown and unused suppressions."""
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    used: set[int] = set()
    for finding in result.findings:
        match = None
        for index, sup in enumerate(result.suppressions):
            if sup.kind == "pragma" and finding.family != "secret":
                continue
            if _covers(sup, finding):
                match = (index, sup)
                break
        if match is None:
            kept.append(finding)
            continue
        used.add(match[0])
        sup = match[1]
        suppressed.append(SuppressedFinding(finding, Suppression(kind="inline", reason=sup.reason, line=sup.line)))
    notes: list[Note] = []
    for index, sup in enumerate(result.suppressions):
        unknown = [r for r in sup.rules if not any(k.startswith(r) for k in known_ids)]
        if unknown and sup.kind == "credlint":
            notes.append(Note(result.path, "unknown-suppression", f"suppression names unknown rule id(s): {', '.join(unknown)}", line=sup.line))
        elif index not in used and sup.kind == "credlint":
            notes.append(Note(result.path, "unused-suppression", "suppression comment silenced no finding", line=sup.line))
    return kept, suppressed, notes


def apply_config(findings: Iterable[Finding], settings_for: Callable[[str], Settings]) -> tuple[list[Finding], list[SuppressedFinding]]:
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for finding in findings:
        pattern = per_file_ignored(settings_for(finding.path), finding)
        if pattern is None:
            kept.append(finding)
        else:
            suppressed.append(SuppressedFinding(finding, Suppression(kind="config", reason=f"per-file-ignores: {pattern}")))
    return kept, suppressed
