"""Every format rendered from the one hand-made ScanResult, compared with its golden file."""

from __future__ import annotations

import pytest

from checker.model import ScanResult
from reports import RenderOptions, render, rule_docs
from tests.reports import sample
from tests.reports.conftest import check_golden

CASES = [
    ("text", RenderOptions(), "report.txt"),
    ("text", RenderOptions(verbose=True, show_suppressed=True), "report-verbose.txt"),
    ("text", RenderOptions(color=True), "report-color.txt"),
    ("json", RenderOptions(), "report.json"),
    ("sarif", RenderOptions(), "report.sarif"),
    ("junit", RenderOptions(), "report.junit.xml"),
    ("github", RenderOptions(), "report.github.txt"),
    ("html", RenderOptions(), "report.html"),
]


@pytest.mark.parametrize(("fmt", "options", "golden"), CASES, ids=[c[2] for c in CASES])
def test_format_matches_golden(result: ScanResult, fmt: str, options: RenderOptions, golden: str) -> None:
    check_golden(golden, render(fmt, result, options))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_clean_run_matches_golden(clean: ScanResult, fmt: str) -> None:
    suffix = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "junit.xml", "github": "github.txt"}[fmt]
    check_golden(f"clean.{suffix}", render(fmt, clean, RenderOptions()))


def test_explain_matches_golden() -> None:
    check_golden("explain-OA101.txt", rule_docs.terminal(sample.OA101))
    check_golden("explain-OA101.md", rule_docs.markdown(sample.OA101, examples=True))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "html"])
def test_output_is_deterministic_and_order_independent(result: ScanResult, fmt: str) -> None:
    """Input order must not matter: the engine may collect findings from a process pool."""
    from dataclasses import replace

    shuffled = replace(
        result,
        findings=tuple(reversed(result.findings)),
        suppressed=tuple(reversed(result.suppressed)),
        notes=tuple(reversed(result.notes)),
        rotation=tuple(reversed(result.rotation)),
        rules=tuple(reversed(result.rules)),
    )
    assert render(fmt, result) == render(fmt, shuffled)
