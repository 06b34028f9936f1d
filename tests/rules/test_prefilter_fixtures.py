"""The byte prefilters (rule triggers and project rules' fact triggers) are sound on every fixture
tree: a whole scan finds exactly the same with every prefilter switched off. The per-example test in
``test_examples.py`` checks each rule alone; this one checks all rules together on realistic
multi-file projects, where project rules combine facts across files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import checker.pipeline
from checker.engine import ScanOptions, scan
from checker.registry import all_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TREES = sorted(p for family in FIXTURES.iterdir() if family.is_dir() for p in family.iterdir() if p.is_dir())


def _scan(root: Path) -> list[tuple[str, str, int, int, str]]:
    result = scan(ScanOptions(paths=(root,), overrides={"strict": True}, use_cache=False, now=dt.date(2026, 6, 1), jobs=1))
    return sorted((f.rule, f.path, f.line, f.column, f.message) for f in result.findings)


@pytest.mark.parametrize("root", TREES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_prefilters_change_no_finding(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_prefilters = _scan(root)
    for rule in all_rules():
        monkeypatch.setattr(rule, "triggered_by", classmethod(lambda cls, data, lowered=None: True))
    monkeypatch.setattr(checker.pipeline, "_fact_triggered", lambda rule, lowered: True)
    assert _scan(root) == with_prefilters
