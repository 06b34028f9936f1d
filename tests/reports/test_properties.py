"""Property tests: any text from scanned files keeps every format well-formed and escaped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import RenderOptions, render
from tests.reports import sample

PIECES = ["<", ">", "&", '"', "'", "%", ":", ",", "\n", "\r", "{{", "}}", "::error::", "<b>", "</td>", "<script>", "]]>", "\x00", "\x1b", "\x0b", "\u2028", "\x85", "\x1b[2J"]
scanned_text = st.lists(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(PIECES)), min_size=1, max_size=15).map("".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def _tags(page: str) -> set[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


TEMPLATE_TAGS = _tags(render("html", sample.build_result()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message=scanned_text, path=scanned_text, snippet=scanned_text)
def test_every_format_survives_any_scanned_text(message: str, path: str, snippet: str) -> None:
    base = sample.build_result()
    finding = replace(sample.FINDINGS[0], message=message, path=path, snippet=snippet)
    result = replace(base, findings=(finding,), suppressed=(), notes=())

    doc = json.loads(render("json", result))
    assert doc["findings"][0]["message"] == message and doc["findings"][0]["path"] == path

    json.loads(render("sarif", result))

    suite = ET.fromstring(render("junit", result).encode("utf-8"))
    assert suite.tag == "testsuites"

    github = render("github", result)
    assert "\r" not in github  # the runner reads commands line by line (LF; CR escaped too)
    assert len(github.rstrip("\n").split("\n")) == 2 and github.startswith("::")

    text = render("text", result).splitlines()
    assert len(text) == 2

    page = render("html", result, RenderOptions(source_lines={path: (snippet, message)}))
    assert _tags(page) <= TEMPLATE_TAGS
    assert "<script" not in page
