"""Rule docs for the terminal, Markdown and HTML from one source (docstring + examples)."""

from __future__ import annotations

import re

import pytest

from checker.model import Example, RuleMeta, Severity
from reports import rule_docs
from tests.reports import sample

DOCS = """\
Summary line.

## What it does
Finds things.

```python
## not a heading inside code
x = 1
```

## Why is this bad?
Because.

## Use instead
Do **this** with `os.environ` — see [the guide](https://example.com/guide) or <https://cwe.mitre.org/>.

- one
- two

| a | b |
| --- | --- |
| 1 | 2 |

## References
- CWE-798
"""

META = RuleMeta(
    id="OA999",
    name="sample-rule",
    family="log",
    severity=Severity.HIGH,
    summary="A sample rule",
    docs=DOCS,
    cwe=("CWE-532",),
    valid=(Example(code="    ok = 1\n"),),
    invalid=(Example(code="\n    a = 1\n    b = 2  # expect\n"), Example(code='{"k": "v"}', path="x.json", lines=(1,))),
)


def test_sections_split_at_level_two_headings_outside_code() -> None:
    titles = [title for title, _body in rule_docs.sections(DOCS)]
    assert titles == ["", "What it does", "Why is this bad?", "Use instead", "References"]
    assert "## not a heading" in rule_docs.section(META, "what it does")


def test_section_lookup() -> None:
    assert rule_docs.section(META, "Use instead").startswith("Do **this**")
    assert rule_docs.section(META, "Why is this bad") == "Because."
    assert rule_docs.section(META, "Nonexistent") == ""
    assert rule_docs.description(META) == "Finds things."


def test_terminal_marks_reported_lines_and_strips_markers() -> None:
    text = rule_docs.terminal(META)
    assert "OA999 sample-rule" in text and "Guide tip: Never log access tokens or secrets" in text
    assert "  > 2 | b = 2" in text and "    1 | a = 1" in text
    assert "# expect" not in text
    assert "  > 1 | {\"k\": \"v\"}" in text
    assert "```" not in text and "\033[" not in text
    assert "\033[" in rule_docs.terminal(META, color=True)


def test_markdown_shifts_headings_and_lists_examples() -> None:
    text = rule_docs.markdown(META, examples=True)
    assert text.startswith("## OA999 sample-rule\n")
    assert "### What it does" in text and "\n## not a heading inside code" in text  # code untouched
    assert "credlint reports line 2." in text and "credlint reports line 1." in text
    assert "```json" in text
    assert "# expect" not in text


def test_html_escapes_and_renders_subset() -> None:
    html = str(rule_docs.html(DOCS))
    assert "<h4>What it does</h4>" in html
    assert "<strong>this</strong>" in html and "<code>os.environ</code>" in html
    assert '<a href="https://example.com/guide" rel="noopener noreferrer">the guide</a>' in html
    assert '<a href="https://cwe.mitre.org/"' in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html
    assert "<pre><code class=\"language-python\">## not a heading inside code\nx = 1</code></pre>" in html


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "[x](javascript:alert(1))", '`"><img src=x onerror=alert(1)>`', "**<b>**"],
)
def test_html_never_passes_markup_through(hostile: str) -> None:
    html = str(rule_docs.html(hostile))
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "<b>" not in html


def test_catalog_anchors_match_help_uri() -> None:
    text = rule_docs.catalog_markdown(sample.RULES)
    for meta in sample.RULES:
        heading = f"## {meta.id} {meta.name}"
        assert heading in text
        # GitHub's anchor for that heading: lower-case, spaces → "-".
        assert rule_docs.help_uri(meta).endswith("#" + re.sub(r"\s+", "-", heading[3:].lower()))


def test_real_rules_render(real_rules: list[RuleMeta]) -> None:
    for meta in real_rules:
        assert meta.id in rule_docs.terminal(meta)
        assert rule_docs.markdown(meta).startswith(f"## {meta.id} {meta.name}")
        assert rule_docs.section(meta, "Use instead"), f"{meta.id}: no 'Use instead' section for fix advice"
        rule_docs.html(rule_docs.section(meta, "Use instead"))


@pytest.fixture()
def real_rules() -> list[RuleMeta]:
    """The registered rules (written concurrently); the test is skipped while there are none."""
    from checker.registry import all_rules

    metas = [rule.meta() for rule in all_rules()]
    if not metas:
        pytest.skip("no rule is registered yet")
    return metas


def test_body_drops_a_preamble_that_repeats_the_summary() -> None:
    meta = RuleMeta(id="OA998", name="x", family="log", severity=Severity.LOW, summary="A sample rule", docs="A sample rule.\n\n## What it does\nThings.\n")
    assert rule_docs.body(meta).startswith("## What it does")
    assert rule_docs.body(META) == META.docs  # "Summary line." differs from the summary: kept


def test_terminal_separates_code_from_the_next_paragraph() -> None:
    meta = RuleMeta(id="OA998", name="x", family="log", severity=Severity.LOW, summary="s", docs="## Use instead\n```python\nx = 1\n```\nThen rotate.\n")
    assert "    x = 1\n\nThen rotate." in rule_docs.terminal(meta)
