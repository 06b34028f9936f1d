"""Every rule's own valid/invalid examples, run automatically (docs cannot rot)."""

from __future__ import annotations

import pytest

from checker.model import Example
from checker.registry import all_rules
from checker.rule import ProjectRule
from checker.testing import example_source, run_example, run_project_example


def _cases(kind: str) -> list[tuple[type, int, Example]]:
    return [(rule, i, ex) for rule in all_rules() for i, ex in enumerate(getattr(rule, kind))]


def _findings(rule: type, example: Example) -> list:
    if issubclass(rule, ProjectRule):
        return run_project_example(rule, example)
    return run_example(rule, example)


def _id(case: tuple[type, int, Example]) -> str:
    return f"{case[0].id}-{case[1]}"


@pytest.mark.parametrize("case", _cases("invalid"), ids=_id)
def test_invalid_example_fires_exactly_where_marked(case: tuple[type, int, Example]) -> None:
    rule, _index, example = case
    expected = example.expected_lines()
    assert expected, f"{rule.id} invalid example has no '# expect' marker or lines=()"
    lines = sorted({f.line for f in _findings(rule, example)})
    assert lines == sorted(set(expected)), f"{rule.id} on:\n{example_source(example)}"


@pytest.mark.parametrize("case", _cases("valid"), ids=_id)
def test_valid_example_is_silent(case: tuple[type, int, Example]) -> None:
    rule, _index, example = case
    findings = _findings(rule, example)
    assert findings == [], f"{rule.id} fired on a valid example:\n{example_source(example)}\n{findings}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_has_docs_and_examples(rule: type) -> None:
    docs = rule.docs()
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        assert heading in docs, f"{rule.id} docs lack '{heading}'"
    assert rule.summary and rule.name and rule.family and rule.cwe
    assert len(rule.invalid) >= 4 and len(rule.valid) >= 4, f"{rule.id} needs at least 4 valid and 4 invalid examples"


@pytest.mark.parametrize("case", _cases("invalid"), ids=_id)
def test_prefilter_is_sound_on_invalid_examples(case: tuple[type, int, Example]) -> None:
    """The trigger words over-approximate: every invalid example passes the prefilter."""
    rule, _index, example = case
    if issubclass(rule, ProjectRule):
        pytest.skip("project rules have no file prefilter")
    assert rule.triggered_by(example_source(example).encode()), f"{rule.id} triggers miss an invalid example"


@pytest.mark.parametrize("case", _cases("invalid") + _cases("valid"), ids=_id)
def test_prefilter_changes_no_result(case: tuple[type, int, Example], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example gives the same findings with the trigger prefilter on and off."""
    rule, _index, example = case
    if issubclass(rule, ProjectRule):
        pytest.skip("project rules have no file prefilter")
    with_prefilter = [(f.line, f.column, f.message) for f in run_example(rule, example)]
    monkeypatch.setattr(rule, "triggered_by", classmethod(lambda cls, data, lowered=None: True))
    without = [(f.line, f.column, f.message) for f in run_example(rule, example)]
    assert with_prefilter == without


def _fact_rule_cases() -> list[tuple[type, int, Example]]:
    return [case for case in _cases("invalid") + _cases("valid") if hasattr(case[0], "file_facts")]


@pytest.mark.parametrize("case", _fact_rule_cases(), ids=_id)
def test_fact_prefilter_changes_no_result(case: tuple[type, int, Example], monkeypatch: pytest.MonkeyPatch) -> None:
    """A project rule's per-file fact pass (``fact_trigger_regex``) skips no file that matters: its
    examples, extra files included, give the same findings with that prefilter on and off."""
    import checker.pipeline

    rule, _index, example = case
    with_prefilter = [(f.path, f.line, f.column, f.message) for f in run_project_example(rule, example)]
    monkeypatch.setattr(checker.pipeline, "_fact_triggered", lambda rule, lowered: True)
    without = [(f.path, f.line, f.column, f.message) for f in run_project_example(rule, example)]
    assert with_prefilter == without
