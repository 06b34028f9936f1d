"""GitHub Actions workflow commands: levels, properties and the runner's escaping rules."""

from __future__ import annotations

from dataclasses import replace

from checker.model import ScanResult, Severity
from reports import RenderOptions, render
from reports.github import annotation, escape_data, escape_property
from tests.reports import sample


def test_annotation_format() -> None:
    assert annotation(sample.FINDINGS[0]) == (
        "::error file=svc/client.py,line=12,col=8,endLine=12,endColumn=30,title=OA201 token-logged::access token passed to logger.info"
    )


def test_levels_follow_severity() -> None:
    base = sample.FINDINGS[0]
    assert annotation(replace(base, severity=Severity.CRITICAL)).startswith("::error ")
    assert annotation(replace(base, severity=Severity.MEDIUM)).startswith("::warning ")
    assert annotation(replace(base, severity=Severity.LOW)).startswith("::notice ")
    assert annotation(replace(base, severity=Severity.INFO)).startswith("::notice ")


def test_escaping_rules() -> None:
    assert escape_data("100%\r\ndone") == "100%25%0D%0Adone"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_injection_cannot_start_a_command(hostile: ScanResult) -> None:
    out = render("github", hostile)
    lines = out.splitlines()
    assert len(lines) == 2  # one annotation + the summary line
    assert lines[0].startswith("::error file=evil/") and "%0A::error::injected" in lines[0]
    prop = replace(hostile.findings[0], path="a,b:c.py")
    assert "file=a%2Cb%3Ac.py," in annotation(prop)


def test_multiline_region_drops_end_column() -> None:
    text = annotation(replace(sample.FINDINGS[0], end_line=14, end_column=3))
    assert "endLine=14" in text and "endColumn" not in text


def test_file_level_finding_has_no_line(result: ScanResult) -> None:
    assert render("github", result).splitlines()[0] == (
        "::error file=.env,title=OA601 stale-secret::client secret last rotated 2025-10-01, 164 days ago (limit 90)"
    )


def test_notes_only_with_verbose(result: ScanResult) -> None:
    assert "parse-error" not in render("github", result)
    assert "::warning file=svc/broken.py,line=3,title=credlint parse-error::" in render("github", result, RenderOptions(verbose=True))
