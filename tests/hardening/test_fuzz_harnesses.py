"""The atheris harnesses keep working without atheris: CI imports each ``TestOneInput`` and feeds it a
handful of seed inputs (the harness files themselves are never collected as tests)."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.fuzz import fuzz_documents, fuzz_pipeline

FUZZ_DIR = Path(__file__).resolve().parents[1] / "fuzz"
HARNESSES: dict[str, ModuleType] = {"documents": fuzz_documents, "pipeline": fuzz_pipeline}


def _sample(seeds: list[bytes], count: int = 12) -> list[bytes]:
    """Evenly spread seeds (every kind appears), plus edge inputs."""
    step = max(1, len(seeds) // count)
    return [b"", b"\x00", b"\xff" * 3] + seeds[::step][:count]


@pytest.mark.parametrize("name", sorted(HARNESSES))
def test_harness_runs_on_seed_inputs(name: str) -> None:
    harness = HARNESSES[name]
    seeds = harness.seed_inputs()
    assert len(seeds) >= 20, "the seed corpus should hold every rule example of the harness' kinds"
    for seed in _sample(seeds):
        harness.TestOneInput(seed)


def test_pipeline_harness_generates_python_from_bytes() -> None:
    path, body = fuzz_pipeline.split_input(bytes([len(fuzz_pipeline.PATHS)]) + bytes(range(40, 140)))
    assert path.endswith(".py") and body.strip()
    compile(body, path, "exec", dont_inherit=True, flags=0x400)  # ast.PyCF_ONLY_AST: generated code is Python


def test_harness_invariants_fire_on_a_broken_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness checks are real: a parser that quotes its input in an error is caught."""
    from checker import documents
    from checker.model import Document

    token = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"
    monkeypatch.setattr(documents, "parse_document", lambda kind, text, path="": Document(kind=kind, errors=(f"bad value {token}",)))
    with pytest.raises(AssertionError, match="quotes"):
        fuzz_documents.TestOneInput(bytes([0]) + f"CLIENT_SECRET={token}\n".encode())


def test_harness_files_are_not_collected_by_pytest(pytestconfig: pytest.Config) -> None:
    patterns = pytestconfig.getini("python_files") or ["test_*.py", "*_test.py"]
    harnesses = sorted(p.name for p in FUZZ_DIR.glob("*.py"))
    assert "fuzz_documents.py" in harnesses and "fuzz_pipeline.py" in harnesses
    collected = [name for name in harnesses for pattern in patterns if fnmatch.fnmatch(name, pattern)]
    assert not collected, f"pytest would collect {collected} as tests"


def test_harnesses_import_without_atheris(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.setitem(sys.modules, "atheris", None)  # "import atheris" now raises ImportError
    for module in ("tests.fuzz.fuzz_documents", "tests.fuzz.fuzz_pipeline"):
        harness = importlib.reload(importlib.import_module(module))
        assert callable(harness.TestOneInput) and harness.seed_inputs()  # usable for replaying seeds
