"""The RE2 search of trigger patterns (checker.triggers) answers exactly as Python's re does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.triggers import TriggerPattern, translate

re2 = pytest.importorskip("re2")

ALPHABET = [b"caf\xc9", b"CAF\xe9", b"auth", b"o", b"r", b"\x0b", b"\x0c", b"\xc3\xa9", b"\xff", b"'", b'"', b"=", b":", b"\n", b" ", b"token", b"secret", b"verify", b"false", b"true", b"_auth", b"_author", b"or", b"http://", b"ab", b"1"]


def test_whitespace_classes_include_vertical_tab() -> None:
    # RE2's own \s has no \v; re's has. The translation spells the POSIX class out.
    pattern = TriggerPattern(rb"token\s*=\s*[^\s'\"]{2}")
    assert pattern.uses_re2
    assert pattern.hit(b"token\x0b=\x0bab")
    assert not pattern.hit(b"token=\x0ba\x0b")


def test_one_byte_is_one_character() -> None:
    # In RE2's UTF-8 mode "é" would be one character; re's bytes mode sees two.
    pattern = TriggerPattern(rb"=[^ ]{4}!")
    assert pattern.uses_re2
    assert pattern.hit("=éé!".encode())
    assert not pattern.hit("=éé é!".encode())


def test_lookarounds_are_dropped_then_confirmed_with_re() -> None:
    pattern = TriggerPattern(rb"_auth(?!or)")
    assert pattern.uses_re2 and not pattern._screen_is_exact
    assert pattern.hit(b"x_auth = 1")
    assert not pattern.hit(b"__author__ = 'me'")


@pytest.mark.parametrize("source", [rb"(a)\1", rb"end$", rb"(?x) a  n d", rb"(?P<x>a)(?P=x)", rb"a++", rb"xa{,3}n"])
def test_untranslatable_patterns_stay_on_re(source: bytes) -> None:
    pattern = TriggerPattern(source)
    assert not pattern.uses_re2
    for data in (b"aa", b"end", b"a", b"and", b"xend\n", b"[:", b"xn", b"xaan"):
        assert pattern.hit(data) == (re.search(source, data) is not None)


def test_translation_of_classes() -> None:
    assert translate(rb"[\s\S]") == (rb"[[:space:][:^space:]]", True)
    assert translate(rb"[]a]") == (rb"[\]a]", True)
    assert translate(rb"[^]a]") == (rb"[^\]a]", True)
    assert translate(rb"a(?=b[)])c") == (rb"ac", False)


SOURCES = [rb"(?i)caf\xe9", rb"auth(?:[^o]|o[^r]|o?\Z)", rb"\Atoken|secret\Z", rb"token\s*=\s*[\"'][^\"'\s]{4}", rb"_auth(?!or)", rb"(?:verif\w*)[\"']?\s*[=:]\s*(?![\"']?(?:true|1)\b)", rb"\bssl\s*=\s*(?:false|0\b)", rb"[\s\S]{0,5}?[\"'][^\"'\s]{2}", rb"=[^\s&\"'{}]{3}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=14))
def test_answers_equal_re(parts: list[bytes]) -> None:
    data = b"".join(parts)
    for source in SOURCES:
        assert TriggerPattern(source).hit(data) == (re.search(source, data) is not None), (source, data)


def test_every_rule_trigger_runs_on_re2() -> None:
    # Not a timing test: a pattern that silently falls back to re costs ten times more per file.
    from checker.pipeline import fact_pattern
    from checker.registry import all_rules

    for rule in all_rules():
        patterns = [rule.trigger_pattern(), *rule.trigger_group_patterns()]
        if hasattr(rule, "file_facts"):
            patterns.append(fact_pattern(rule))
        for pattern in patterns:
            assert pattern is None or pattern.uses_re2, (rule.id, pattern.pattern)


def test_without_the_re2_wheel_every_pattern_runs_on_re(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "re2", None)  # "import re2" now raises ImportError
    for source in SOURCES:
        pattern = TriggerPattern(source)
        assert not pattern.uses_re2
        for data in (b"token = 'abcd'", b"_author", b"x_auth y", b"verify=False", b""):
            assert pattern.hit(data) == (re.search(source, data) is not None)
