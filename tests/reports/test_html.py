"""HTML audit report: content for an auditor, self-contained, escaped, well-formed."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import jinja2
import pytest

from checker.model import CONTROLS, ScanResult
from reports import RenderOptions, render
from reports.html import build_page, environment
from tests.reports import sample

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Structure(HTMLParser):
    """Collects tags and attributes and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"] or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Structure:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return render("html", sample.build_result())


def test_environment_autoescapes_with_strict_undefined() -> None:
    env = environment()
    assert env.undefined is jinja2.StrictUndefined
    assert env.autoescape is True


def test_well_formed_with_unique_ids(page: str) -> None:
    parsed = _parse(page)
    assert not parsed.errors and not parsed.stack
    assert len(parsed.ids) == len(set(parsed.ids))
    # every in-page link has a target
    for tag, attrs in parsed.tags:
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("#"):
            assert href[1:] in parsed.ids, href


def test_self_contained_no_external_requests(page: str) -> None:
    parsed = _parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "video", "audio", "source", "form"}
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "srcset" not in attrs
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            assert re.match(r"^(#|https://)", attrs.get("href") or ""), attrs
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert "@media print" in css
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_scan_metadata(page: str) -> None:
    meta = sample.METADATA
    for text in (meta.commit, meta.branch, meta.now, meta.started_at, meta.config_hash, "credlint 0.1.0", "OA502, OA602", ">41<", ">3<"):
        assert text in page, text


def test_compliance_row_per_tip_with_evidence(page: str) -> None:
    for _key, title, _families in CONTROLS:
        assert title in page
    plain = " ".join(_parse(page).text)
    assert "2 findings in 2 files (OA201 ×2)." in plain
    assert "1 suppressed, 1 without a reason." in plain


def test_not_evaluated_and_pass_verdicts(clean: ScanResult) -> None:
    page = build_page(clean, RenderOptions())
    status = {row.key: row.status for row in page.controls}
    assert status["scope"] == "not-evaluated" and status["secret"] == "pass"
    html = render("html", clean)
    assert "not evaluated" in html and "No findings." in html and 'class="verdict pass"' in html


def test_findings_grouped_by_tip_in_guide_order_then_file(result: ScanResult) -> None:
    page = build_page(result, RenderOptions())
    assert [g.key for g in page.groups] == ["secret", "log", "https", "scope", "refresh", "rotation"]
    log = page.groups[1]
    assert [f.path for f in log.files] == ["svc/client.py", "tests/test_client.py"]
    assert log.advice[0].id == "OA201" and "token obtained" in str(log.advice[0].fix_html)


def test_fix_advice_and_references_from_rule_docs(page: str) -> None:
    assert "How to fix" in page
    assert "os.environ[&#34;CLIENT_SECRET&#34;]" in page or "os.environ[&quot;CLIENT_SECRET&quot;]" in page
    assert 'href="https://cwe.mitre.org/data/definitions/798.html"' in page
    assert "Suggested fix:" in page


def test_suppression_register_flags_missing_reasons(page: str, result: ScanResult) -> None:
    view = build_page(result, RenderOptions())
    assert len(view.suppressions) == 4 and view.unjustified_count == 2
    assert {s.kind for s in view.suppressions} == {"inline", "config", "baseline"}
    assert page.count("unjustified: no reason") == 2
    assert "fake credential used by the test-suite" in page


def test_rotation_calendar_only_with_evidence(page: str, clean: ScanResult) -> None:
    assert 'id="rotation"' in page and "aelix-client-secret" in page and "2025-12-30" in page
    assert 'id="rotation"' not in render("html", clean)


def test_notes_listed(page: str) -> None:
    for text in ("parse-error", "svc/broken.py:3", "skipped-binary", "assets/logo.png"):
        assert text in page


def test_source_excerpt_highlights_and_prefers_the_redacted_snippet(result: ScanResult) -> None:
    lines = tuple(f"line {n}" for n in range(1, 20))
    # The caller's lines were redacted without knowing the rule's secret: the finding's snippet wins.
    leaky = list(lines)
    leaky[3] = 'CLIENT_SECRET = "hunter2hunter2"'
    page = render("html", result, RenderOptions(source_lines={"svc/settings.py": tuple(leaky), "svc/client.py": lines}))
    assert "hunter2hunter2" not in page
    assert re.search(r'<tr class="hit"><td class="ln">12</td><td>logger\.info', page)
    assert '<td class="ln">10</td><td>line 10</td>' in page and '<td class="ln">14</td><td>line 14</td>' in page


def test_hostile_content_is_escaped(hostile: ScanResult) -> None:
    source = {f"evil/{sample.HOSTILE}.py": (sample.HOSTILE,) * 5}
    page = render("html", hostile, RenderOptions(source_lines=source))
    for raw in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<img", "<script"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page  # shown as text, never evaluated as a template
    parsed = _parse(page)
    assert not parsed.errors
    assert not any(name.startswith("on") for _tag, attrs in parsed.tags for name in attrs)


def test_long_unbroken_paths_can_wrap(result: ScanResult) -> None:
    long_path = "a" * 300 + "/" + "b" * 300 + ".py"
    page = render("html", replace(result, findings=(replace(sample.FINDINGS[0], path=long_path),)))
    assert long_path in page
    assert "overflow-wrap: anywhere" in page
