"""Trigger patterns search lowered bytes with a case-sensitive regex (much faster than
IGNORECASE); the answer must be the IGNORECASE answer on the original bytes, for every rule."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.registry import all_rules
from checker.rule import lowered_pattern

WORDS = [b"\x0b", b"'", b'"', b"=", b"://", b"Token", b"SECRET", b"Passw", b"HTTPConnection", b"verify=False", b'"http://', b"Bearer ", b"Authorization", b"__author__", b"\xc3\xa9", b"API_KEY", b"os.environ"]


def _sources() -> list[bytes]:
    sources: list[bytes] = []
    for rule in all_rules():
        if rule.trigger_regex:
            sources.append(rule.trigger_regex)
        elif rule.triggers:
            sources.append(b"|".join(re.escape(t.encode()) for t in rule.triggers))
        for group in rule.trigger_groups:
            sources.append(group if isinstance(group, bytes) else b"|".join(re.escape(t.encode()) for t in group))
        for name in ("fact_trigger_regex",):
            if getattr(rule, name, None):
                sources.append(getattr(rule, name))
    return sources


SOURCES = _sources()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.binary(max_size=12)), max_size=12))
def test_lowered_search_equals_ignorecase_search(parts: list[bytes]) -> None:
    data = b" ".join(parts)
    for source in SOURCES:
        expected = re.compile(source, re.IGNORECASE).search(data) is not None
        assert lowered_pattern(source).hit(data.lower()) == expected, source


def test_upper_case_literals_keep_ignorecase() -> None:
    assert lowered_pattern(rb"HTTPConnection").flags & re.IGNORECASE
    assert not lowered_pattern(rb"\S+token\W").flags & re.IGNORECASE  # escapes are not letters
    assert lowered_pattern(rb"HTTPConnection").hit(b"httpconnection(")
