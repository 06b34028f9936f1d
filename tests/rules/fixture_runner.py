"""Run rules over annotated fixture trees (semgrep-style annotations on the line *before*).

Annotations (in any file with ``#`` or ``//`` comments; several ids comma-separated)::

    # expect: OA201          the next code line must have an OA201 finding
    # ok: OA201              the next code line must not have one (documents a tricky negative)
    # todo-expect: OA201     a known gap: reported as xfail while missing, as "fixed" once found

Several annotation lines may be stacked; they all apply to the next line that is not itself an
annotation. Findings below ``min_confidence`` (low confidence by default: hidden unless ``--strict``)
are ignored, as a user would not see them. Each file is analysed as the path relative to the fixture
root, so ``tests/`` folders inside a fixture behave like test code.

Usage from a test module::

    from tests.rules.fixture_runner import check_fixture_tree, fixture_files

    @pytest.mark.parametrize("path", fixture_files(ROOT), ids=str)
    def test_fixture(path):
        report = check_fixture_tree(ROOT, ("OA201",), only=path)
        report.assert_ok()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from checker.model import Confidence, Finding, Settings
from checker.pipeline import analyze_bytes
from checker.registry import rule_by_id

_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(expect|ok|todo-expect)\s*:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)\s*$")
_SKIP_NAMES = frozenset({"__pycache__", ".pytest_cache"})


@dataclass
class FixtureReport:
    """Differences between the annotations of a fixture tree and the findings of its rules."""

    missing: list[str] = field(default_factory=list)  # expected, not found
    unexpected: list[str] = field(default_factory=list)  # found, not expected (incl. "ok" violations)
    todo_missing: list[str] = field(default_factory=list)  # known gaps still open
    todo_fixed: list[str] = field(default_factory=list)  # known gaps that now work
    checked: int = 0  # annotations compared
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unexpected

    def assert_ok(self) -> None:
        """Fail on differences; xfail (pytest) when only known gaps remain."""
        if not self.ok:
            lines = ["fixture annotations and findings differ:"]
            lines += [f"  missing    {item}" for item in self.missing]
            lines += [f"  unexpected {item}" for item in self.unexpected]
            raise AssertionError("\n".join(lines))
        if self.todo_missing:
            import pytest

            pytest.xfail("known gaps: " + "; ".join(self.todo_missing))


def fixture_files(root: Path) -> list[str]:
    """Relative POSIX paths of the files of a fixture tree that carry at least one annotation."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part in _SKIP_NAMES for part in path.parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if any(_ANNOTATION.match(line) for line in text.splitlines()):
            found.append(path.relative_to(root).as_posix())
    return found


def parse_annotations(text: str) -> dict[int, dict[str, set[str]]]:
    """Line number -> {"expect"|"ok"|"todo-expect": {rule ids}} for the lines the annotations target."""
    targets: dict[int, dict[str, set[str]]] = {}
    pending: list[tuple[str, set[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ANNOTATION.match(line)
        if match:
            pending.append((match.group(1), {part.strip() for part in match.group(2).split(",")}))
            continue
        if pending:
            slot = targets.setdefault(number, {})
            for kind, ids in pending:
                slot.setdefault(kind, set()).update(ids)
            pending = []
    return targets


def check_fixture_tree(
    root: Path,
    rule_ids: tuple[str, ...],
    *,
    only: str | None = None,
    settings: Settings | None = None,
    min_confidence: Confidence = Confidence.MEDIUM,
) -> FixtureReport:
    """Compare the annotations of every file under ``root`` (or just ``only``) with the findings of
    ``rule_ids``; only annotations naming one of ``rule_ids`` are checked."""
    rules = tuple(rule for rule in (rule_by_id(rid) for rid in rule_ids) if rule is not None)
    missing_rules = set(rule_ids) - {rule.id for rule in rules}
    if missing_rules:
        raise ValueError(f"unknown rule ids: {sorted(missing_rules)}")
    report = FixtureReport()
    paths = [only] if only is not None else fixture_files(root)
    for relative in paths:
        _check_file(root, relative, rules, rule_ids, settings or Settings(), min_confidence, report)
    return report


def _check_file(root: Path, relative: str, rules: tuple, rule_ids: tuple[str, ...], settings: Settings,
                min_confidence: Confidence, report: FixtureReport) -> None:
    data = (root / relative).read_bytes()
    result = analyze_bytes(relative, data, settings, rules)
    for note in result.notes:
        if note.kind in ("rule-error", "parse-error"):
            report.unexpected.append(f"{relative}: {note.kind}: {note.message}")
    visible = [f for f in result.findings if f.rule in rule_ids and f.confidence >= min_confidence]
    report.findings.extend(visible)
    actual = {(f.line, f.rule) for f in visible}
    messages = {(f.line, f.rule): f.message for f in visible}
    annotations = parse_annotations(data.decode("utf-8"))
    expected: set[tuple[int, str]] = set()
    todo: set[tuple[int, str]] = set()
    for line, kinds in annotations.items():
        for rule in kinds.get("expect", ()):
            if rule in rule_ids:
                expected.add((line, rule))
        for rule in kinds.get("todo-expect", ()):
            if rule in rule_ids:
                todo.add((line, rule))
        report.checked += sum(1 for kind in kinds.values() for rule in kind if rule in rule_ids)
    for line, rule in sorted(expected - actual):
        report.missing.append(f"{relative}:{line} {rule}")
    for line, rule in sorted(actual - expected - todo):
        report.unexpected.append(f"{relative}:{line} {rule} ({messages[(line, rule)]})")
    for line, rule in sorted(todo - actual):
        report.todo_missing.append(f"{relative}:{line} {rule}")
    for line, rule in sorted(todo & actual):
        report.todo_fixed.append(f"{relative}:{line} {rule}")
