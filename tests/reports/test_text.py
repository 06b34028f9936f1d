"""Text renderer: the CONTRACTS.md line format, ordering, summary wording and colour."""

from __future__ import annotations

from dataclasses import replace

from checker.model import ScanResult, ScanStats, Severity
from reports import RenderOptions, render
from reports.text import finding_line
from tests.reports import sample


def test_line_format_is_the_contract(result: ScanResult) -> None:
    lines = render("text", result).splitlines()
    assert "svc/client.py:12:8: OA201 [high] access token passed to logger.info (token-logged)" in lines


def test_sorted_by_path_line_column_rule(result: ScanResult) -> None:
    lines = render("text", result).splitlines()[:-1]
    keys = [line.split(": OA")[0] for line in lines]
    located = [(k.split(":")[0], int(k.split(":")[1]) if ":" in k else 0) for k in keys]
    assert located == sorted(located)


def test_summary_counts_and_plurals(result: ScanResult) -> None:
    assert render("text", result).splitlines()[-1] == "7 findings (1 critical, 3 high, 3 medium) in 41 files; 4 suppressed"
    one = replace(result, findings=result.findings[:1], suppressed=(), stats=ScanStats(files_scanned=1))
    assert render("text", one).splitlines()[-1] == "1 finding (1 high) in 1 file"


def test_clean_run_says_so(clean: ScanResult) -> None:
    assert render("text", clean) == "No findings in 41 files.\n"
    assert render("text", replace(clean, suppressed=sample.SUPPRESSED)) == "No findings in 41 files; 4 suppressed.\n"


def test_whole_file_finding_has_no_fake_position(result: ScanResult) -> None:
    assert ".env: OA601 [high]" in render("text", result)


def test_verbose_lists_notes_and_skips(result: ScanResult) -> None:
    quiet = render("text", result)
    verbose = render("text", result, RenderOptions(verbose=True))
    assert "note[" not in quiet
    assert "svc/broken.py:3: note[parse-error] invalid syntax" in verbose
    assert verbose.splitlines()[-1].endswith("; 3 files skipped")


def test_show_suppressed_gives_kind_and_reason(result: ScanResult) -> None:
    text = render("text", result, RenderOptions(show_suppressed=True))
    assert "[suppressed inline: fake credential used by the test-suite]" in text
    assert "[suppressed baseline, no reason given]" in text


def test_colour_only_when_asked(result: ScanResult) -> None:
    assert "\033[" not in render("text", result)
    coloured = render("text", result, RenderOptions(color=True))
    assert "\033[1;31m[high]\033[0m" in coloured


def test_message_with_newline_stays_on_one_line() -> None:
    finding = replace(sample.FINDINGS[0], message="token\nlogged\r\nhere")
    assert finding_line(finding) == "svc/client.py:12:8: OA201 [high] token logged here (token-logged)"


def test_scanned_text_cannot_drive_the_terminal() -> None:
    finding = replace(sample.FINDINGS[0], message="token\x1b[2J\u2028x", path="a\x07b.py")
    line = finding_line(finding)
    assert "\x1b" not in line and "\x07" not in line and len(line.splitlines()) == 1


def test_info_severity_is_counted(result: ScanResult) -> None:
    info = replace(result, findings=(replace(sample.FINDINGS[0], severity=Severity.INFO),), suppressed=())
    assert render("text", info).splitlines()[-1] == "1 finding (1 info) in 41 files"
