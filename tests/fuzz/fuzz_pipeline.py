"""atheris harness for the per-file pipeline ``checker.pipeline.analyze_bytes`` with every rule.

Input layout: the first byte picks a file path (and so the file kind: Python, test code, dotenv, YAML
incl. compose/CI workflows, JSON, TOML, INI, Dockerfile, HCL, requirements, plain text) or, for the
``GENERATED`` selectors, a Python file whose source is *generated* from the remaining bytes by the grammar
in ``tests/fuzz/grammar.py`` (structure-aware fuzzing of the Python rules); otherwise the rest are the
file's raw bytes. Invariants checked on every input:

* ``analyze_bytes`` returns a ``FileResult`` for the same path and never raises;
* no rule failed (a ``rule-error`` note means the engine caught a rule's exception: a rule bug), no
  file hit the per-file time budget (a ``timeout`` note on a small input is a performance bug) and the
  Python parser's catch-all did not fire; the harness re-runs the failing rule alone to surface its
  traceback. Set ``CREDLINT_FUZZ_ALLOW_RULE_ERRORS=1`` to only check the engine's own guarantees;
* every finding sits inside the file, has a snippet of at most 240 characters and a fingerprint;
* the same bytes give the same result twice (determinism).

Run: ``python tests/fuzz/fuzz_pipeline.py -max_total_time=120`` (see tests/fuzz/README.md).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for ``python tests/fuzz/...``

from tests.fuzz._common import example_seeds, run_fuzzer  # noqa: E402
from tests.fuzz.grammar import python_from_bytes  # noqa: E402

PATHS: tuple[str, ...] = (
    "app/auth.py",
    "tests/test_auth.py",
    ".env",
    "config/settings.yaml",
    "deploy/docker-compose.yml",
    ".github/workflows/deploy.yml",
    "appsettings.json",
    "pyproject.toml",
    "setup.cfg",
    "Dockerfile",
    "infra/main.tf",
    "requirements.txt",
    "notes.txt",
    "k8s/secret.yaml",
    ".env.example",
    "scripts/run",  # no extension: a python shebang makes it Python
)


class PipelineInvariantError(AssertionError):
    """A FileResult broke a documented invariant (message never holds input content)."""


@lru_cache(maxsize=1)
def _rules() -> tuple[type, ...]:
    from checker.registry import all_rules

    return all_rules()


@lru_cache(maxsize=1)
def _settings() -> Any:
    from dataclasses import replace

    from checker.model import Settings

    # A short budget keeps a pathological input from stalling the fuzzer; libFuzzer's -timeout is the
    # backstop for hangs the budget cannot interrupt (C code).
    return replace(Settings(), time_budget_seconds=TIME_BUDGET_SECONDS) if hasattr(Settings(), "time_budget_seconds") else Settings()


# Selector values (first byte modulo SELECTORS) at or above len(PATHS) generate Python from the bytes.
GENERATED = ("app/generated.py", "tests/test_generated.py")
SELECTORS = len(PATHS) + len(GENERATED)
# Small inputs must finish well within this; the engine's default budget is much larger.
TIME_BUDGET_SECONDS = 10.0


def split_input(data: bytes) -> tuple[str, bytes]:
    if not data:
        return PATHS[0], b""
    selector = data[0] % SELECTORS
    if selector < len(PATHS):
        return PATHS[selector], data[1:]
    return GENERATED[selector - len(PATHS)], python_from_bytes(data[1:]).encode("utf-8", "surrogatepass")


def check_file(path: str, body: bytes, allow_rule_errors: bool | None = None) -> Any:
    """Analyse once (twice for determinism) and assert every invariant; returns the FileResult."""
    from checker.model import FileResult
    from checker.pipeline import analyze_bytes
    from checker.serialize import result_to_dict

    if allow_rule_errors is None:
        allow_rule_errors = os.environ.get("CREDLINT_FUZZ_ALLOW_RULE_ERRORS", "") not in ("", "0")
    result = analyze_bytes(path, body, _settings(), _rules())
    if not isinstance(result, FileResult) or result.path != path:
        raise PipelineInvariantError(f"analyze_bytes returned {type(result).__name__} for another path")
    if not allow_rule_errors:
        _check_no_rule_errors(path, body, result)
    _check_findings(result)
    again = analyze_bytes(path, body, _settings(), _rules())
    if result_to_dict(again) != result_to_dict(result):
        raise PipelineInvariantError(f"{path}: two analyses of the same bytes differ")
    return result


def _check_no_rule_errors(path: str, body: bytes, result: Any) -> None:
    for note in result.notes:
        if note.kind == "rule-error":
            _surface_rule_error(path, body, note.rule)
            raise PipelineInvariantError(f"{path}: {note.message}")
        if note.kind == "parse-error" and "could not be parsed (" in note.message:
            raise PipelineInvariantError(f"{path}: parser catch-all fired: {note.message}")
        if note.kind == "timeout" and len(body) < 100_000:
            raise PipelineInvariantError(f"{path}: a {len(body)}-byte file exhausted the {TIME_BUDGET_SECONDS:g} s budget")


def _surface_rule_error(path: str, body: bytes, rule_id: str | None) -> None:
    """Run the failing rule alone with the engine's guard switched off, so the crash report shows the
    rule's own traceback (a failing batched Python pass is re-run rule by rule through the same guard)."""
    from checker import pipeline

    rule = next((r for r in _rules() if r.id == rule_id), None)
    if rule is None:
        return
    original = pipeline._guarded

    def unguarded(_ctx: Any, _rule: Any, run: Any) -> None:
        run()

    pipeline._guarded = unguarded  # type: ignore[assignment]
    try:
        pipeline.analyze_bytes(path, body, _settings(), (rule,))
    finally:
        pipeline._guarded = original  # type: ignore[assignment]


def _check_findings(result: Any) -> None:
    for finding in result.findings:
        if finding.line < 1 or (result.lines and finding.line > result.lines + 1) or finding.column < 1:
            raise PipelineInvariantError(f"{finding.rule}: finding at {finding.line}:{finding.column} outside the {result.lines}-line file")
        if finding.end_line < finding.line:
            raise PipelineInvariantError(f"{finding.rule}: finding ends at line {finding.end_line} before it starts ({finding.line})")
        if len(finding.snippet) > 240:
            raise PipelineInvariantError(f"{finding.rule}: snippet of {len(finding.snippet)} characters")
        if not finding.fingerprint:
            raise PipelineInvariantError(f"{finding.rule}: finding without a fingerprint")


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    path, body = split_input(data)
    check_file(path, body)


def seed_inputs() -> list[bytes]:
    """Every rule example, prefixed with the selector of a path of the same kind (or its own path)."""
    from checker.filekinds import classify

    by_kind: dict[str, int] = {}
    for index, path in enumerate(PATHS):
        by_kind.setdefault(classify(path, b""), index)
    seeds = []
    for path, content in example_seeds():
        selector = PATHS.index(path) if path in PATHS else by_kind.get(classify(path, content[:256]), PATHS.index("notes.txt"))
        seeds.append(bytes([selector]) + content)
    seeds.append(bytes([PATHS.index("scripts/run")]) + b"#!/usr/bin/env python3\nimport requests\nrequests.get('http://x', verify=False)\n")
    seeds.extend(bytes([len(PATHS)]) + bytes(range(n, n + 64)) for n in range(0, 192, 16))  # generated programs
    return seeds


def _instrument() -> None:
    from checker.registry import all_rules

    import checker.pipeline  # noqa: F401 - imported inside atheris' instrumentation context

    all_rules()


if __name__ == "__main__":
    run_fuzzer("pipeline", TestOneInput, seed_inputs, _instrument)
