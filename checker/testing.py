"""Helpers for running rules on snippets in tests (used by the generic example test and rule tests)."""

from __future__ import annotations

import textwrap
from typing import Any, Mapping

from checker.model import Example, FileResult, Finding, Settings
from checker.pipeline import analyze_bytes
from checker.rule import Rule


def settings_with(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Default settings with some fields replaced (keys use the dataclass field names)."""
    base = Settings()
    if not overrides:
        return base
    from dataclasses import replace

    return replace(base, **dict(overrides))


def run_rules(code: str, path: str = "example.py", rules: tuple[type[Rule], ...] | None = None, settings: Settings | None = None) -> FileResult:
    """Analyse ``code`` (dedented) as if it were the file at ``path``."""
    if rules is None:
        from checker.registry import all_rules

        rules = all_rules()
    source = textwrap.dedent(code).lstrip("\n")
    return analyze_bytes(path, source.encode("utf-8"), settings or Settings(), rules)


def example_source(example: Example) -> str:
    return textwrap.dedent(example.code).lstrip("\n")


def run_example(rule: type[Rule], example: Example) -> list[Finding]:
    """Findings of ``rule`` alone on one of its examples."""
    settings = settings_with(example.config)
    result = analyze_bytes(example.path, example_source(example).encode("utf-8"), settings, (rule,))
    return [f for f in result.findings if f.rule == rule.id]


def run_project_example(rule: type[Rule], example: Example) -> list[Finding]:
    """Run a whole scan on a temporary project holding the example (and its extra files), so
    project rules (OA402, OA601) see facts from every file exactly as in a real run."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from checker.engine import ScanOptions, scan

    with tempfile.TemporaryDirectory(prefix="credlint-example-") as tmp:
        root = Path(tmp)
        files = {example.path: example_source(example), **{k: textwrap.dedent(v).lstrip("\n") for k, v in (example.files or {}).items()}}
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        overrides = dict(example.config or {})
        overrides.setdefault("select", (rule.id,))
        overrides.setdefault("strict", True)
        now = dt.date.fromisoformat(example.now) if example.now else None
        result = scan(ScanOptions(paths=(root,), overrides=overrides, use_cache=False, now=now, jobs=1))
    return [f for f in result.findings if f.rule == rule.id and f.path == example.path]
