"""Inline suppressions, per-file ignores and notes for unknown or unused suppressions."""

from __future__ import annotations

import pytest

from checker.model import FileResult, Finding, Settings, Severity
from checker.suppress import apply_config, apply_inline, parse_inline, path_matches

IDS = frozenset({"OA101", "OA102", "OA103", "OA201"})


def finding(rule: str = "OA201", line: int = 3, family: str = "log", path: str = "a.py") -> Finding:
    return Finding(rule=rule, name="n", family=family, severity=Severity.HIGH, path=path, line=line, column=1,
                   end_line=line, end_column=2, message="m", fingerprint=f"{rule}{line}")


def test_same_line_and_line_above() -> None:
    lines = ["x", "# credlint: ignore[OA201] token is a fake fixture", "log(token)", "log(token)  # credlint: ignore[OA201]"]
    sups = parse_inline(lines)
    result = FileResult(path="a.py", kind="python", findings=(finding(line=3), finding(line=4)), suppressions=sups)
    kept, quiet, notes = apply_inline(result, IDS)
    assert kept == [] and len(quiet) == 2
    assert quiet[0].suppression.reason == "token is a fake fixture" and quiet[1].suppression.reason == ""
    assert notes == []


def test_ignore_file_and_prefixes() -> None:
    sups = parse_inline(["# credlint: ignore-file[OA1] generated fixtures"])
    result = FileResult(path="a.py", kind="python", findings=(finding("OA101", 9, "secret"), finding("OA201", 10)), suppressions=sups)
    kept, quiet, _ = apply_inline(result, IDS)
    assert [f.rule for f in kept] == ["OA201"] and [s.finding.rule for s in quiet] == ["OA101"]


def test_pragma_allowlist_only_for_secret_family() -> None:
    lines = ["", "", "key = 'x'  # pragma: allowlist secret", "log(token)  # pragma: allowlist secret"]
    result = FileResult(path="a.py", kind="python", findings=(finding("OA101", 3, "secret"), finding("OA201", 4)), suppressions=parse_inline(lines))
    kept, quiet, _ = apply_inline(result, IDS)
    assert [f.rule for f in kept] == ["OA201"] and quiet[0].finding.rule == "OA101"


def test_unknown_and_unused_suppressions_become_notes() -> None:
    lines = ["x = 1  # credlint: ignore[OA999] typo", "y = 2  # credlint: ignore[OA201] nothing here"]
    result = FileResult(path="a.py", kind="python", suppressions=parse_inline(lines))
    _, _, notes = apply_inline(result, IDS)
    assert sorted(n.kind for n in notes) == ["unknown-suppression", "unused-suppression"]


@pytest.mark.parametrize("comment", ["# credlint: ignore[OA102] ok", "; credlint: ignore[OA102] ok", "// credlint: ignore[OA102] ok"])
def test_comment_characters_of_config_formats(comment: str) -> None:
    assert parse_inline([f"KEY=value {comment}"])[0].rules == ("OA102",)


def test_marker_inside_a_string_is_not_a_suppression() -> None:
    assert parse_inline(['msg = "credlint: ignore[OA201] nope"']) == ()


def test_per_file_ignores() -> None:
    settings = Settings(per_file_ignores=(("tests/**", ("OA101",)),))
    kept, quiet = apply_config([finding("OA101", 1, "secret", "tests/unit/test_a.py"), finding("OA101", 1, "secret", "app/a.py")], lambda _p: settings)
    assert [f.path for f in kept] == ["app/a.py"] and quiet[0].suppression.kind == "config"


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [("tests/a/b.py", "tests/**", True), ("src/tests/b.py", "tests/**", False), ("a/b/settings.py", "settings.py", True),
     ("migrations/0001.py", "migrations", True), ("a/x.min.js", "*.min.js", True), ("src/a.py", "**/a.py", True)],
)
def test_path_matches(path: str, pattern: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected
