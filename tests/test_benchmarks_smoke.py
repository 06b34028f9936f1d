"""Smoke tests of the benchmark tooling (issue 7): the generator and the summarising code only.

Fast on purpose: no external tool runs and no timing assertions (timings belong to
``python benchmarks/run.py``, never to the unit tests).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    """Import a module of benchmarks/ (a directory of scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved  # run.py puts benchmarks/ on the path for its sibling imports
    return module


@pytest.fixture(scope="module")
def dense() -> ModuleType:
    return _load("oauth_dense")


def test_tiny_dense_corpus_is_valid_python(dense: ModuleType, tmp_path: Path) -> None:
    written = dense.generate(tmp_path, files=5, seed=3)
    assert len(written) == 5
    on_disk = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert on_disk == written
    for rel in written:
        if rel.endswith(".py"):
            ast.parse((tmp_path / rel).read_text(encoding="utf-8"), filename=rel)


def test_every_file_kind_parses(dense: ModuleType, tmp_path: Path) -> None:
    """Large enough that every file kind is drawn; Python, YAML, JSON and TOML must all be valid."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    kinds = {kind for _, kind, _, _ in dense.plan(150, 7)}
    assert kinds == {kind for kind, _, _, _ in dense.FILE_KINDS}
    for rel in dense.generate(tmp_path, files=150, seed=7):
        text = (tmp_path / rel).read_text(encoding="utf-8")
        if rel.endswith(".py"):
            ast.parse(text, filename=rel)
        elif rel.endswith(".yaml"):
            yaml.safe_load(text)
        elif rel.endswith(".json"):
            json.loads(text)
        elif rel.endswith(".toml"):
            tomllib.loads(text)


def test_generation_is_deterministic_and_files_differ(dense: ModuleType, tmp_path: Path) -> None:
    first = dense.generate(tmp_path / "a", files=40, seed=11)
    second = dense.generate(tmp_path / "b", files=40, seed=11)
    assert first == second
    texts = [(tmp_path / "a" / rel).read_bytes() for rel in first]
    assert texts == [(tmp_path / "b" / rel).read_bytes() for rel in second]
    assert len(set(texts)) == len(texts), "generated files should not be identical copies"
    other = dense.generate(tmp_path / "c", files=40, seed=12)
    assert [(tmp_path / "c" / rel).read_bytes() for rel in other] != texts


def test_evenly_spaced_samples_are_nested() -> None:
    corpora = _load("corpora")
    items = [f"m{i:03}.py" for i in range(733)]
    full = corpora.evenly_spaced(items, 400)
    half = corpora.evenly_spaced(full, 200)
    assert len(full) == 400 and len(set(full)) == 400
    assert set(half) <= set(full)
    assert corpora.evenly_spaced(items[:3], 10) == items[:3]


def test_targets_and_markdown_from_fake_medians() -> None:
    run = _load("run")
    med = {
        ("stdlib", "cold", "credlint"): {"wall_s": 3.0, "max_rss_mb": 200.0},
        ("stdlib", "cold", "bandit"): {"wall_s": 14.0, "max_rss_mb": 90.0},
        ("stdlib", "cold", "detect-secrets"): {"wall_s": 21.0, "max_rss_mb": 60.0},
        ("stdlib", "cached", "credlint"): {"wall_s": 0.3, "max_rss_mb": 80.0},
        ("stdlib", "25%", "credlint"): {"wall_s": 1.0, "max_rss_mb": 190.0},
        ("stdlib", "50%", "credlint"): {"wall_s": 1.6, "max_rss_mb": 195.0},
        ("stdlib", "100%", "credlint"): {"wall_s": 3.1, "max_rss_mb": 200.0},
        ("stdlib", "largest", "credlint"): {"wall_s": 0.9, "max_rss_mb": 150.0},
        ("stdlib", "j1", "credlint"): {"wall_s": 5.7, "max_rss_mb": 150.0},
        ("stdlib", "j2", "credlint"): {"wall_s": 3.2, "max_rss_mb": 200.0},
        ("precommit", "cold", "credlint"): {"wall_s": 0.6, "max_rss_mb": 50.0},
        ("precommit", "cold", "detect-secrets-hook"): {"wall_s": 1.0, "max_rss_mb": 30.0},
    }
    targets = {t.name: t for t in run.evaluate_targets(med, {"stdlib-100": 200_000, "stdlib-50": 100_000}, jobs=2)}
    assert targets["stdlib cold: credlint / bandit"].verdict == "PASS"
    assert targets["stdlib cached re-run / cold"].verdict == "MISS"  # 0.1 > 0.05
    assert targets["pre-commit (5 files): credlint wall"].verdict == "MISS"
    assert targets["dense cold: credlint / bandit"].verdict == "N/A"
    assert targets["stdlib: speed-up -j 2 over -j 1"].verdict == "PASS"
    assert targets["linear: time per line at 100% / at 50% of stdlib"].verdict == "PASS"
    meta = {"date": "2026-01-01", "machine": {"summary": "x86_64, 2 CPUs"}, "tool_versions_line": "credlint 0.1.0",
            "mode": "full", "repeat": 3, "precommit_repeat": 7, "jobs": 2, "preliminary": True}
    built = {"stdlib": {"files": 400, "lines": 200_000}, "stdlib-25": {"lines": 50_000}, "stdlib-50": {"lines": 100_000},
             "stdlib-100": {"lines": 200_000}}
    table = run.markdown(meta, med, built, list(targets.values()))
    assert table.startswith("**Preliminary figures** - 2026-01-01")
    assert "| (a) standard library, cold | 400 | 200,000 | 3.00 s | 14.00 s | 21.00 s | 0.21 | 0.14 | - / - / - | 200 / 90 / 60 |" in table
    assert "| workers, stdlib: -j 1 5.70 s, -j 2 3.20 s | 1.78x | >= 1.6x | PASS |" in table
    assert ("| memory, stdlib 25% / 50% / 100%: peak RSS MB 190 / 195 / 200; largest file alone 150 | 1.05 "
            "(100% / max(25%, largest)) | <= 1.25 | PASS |") in table
    assert targets["memory flat: peak RSS at 100% / max(25%, largest file alone) of stdlib"].verdict == "PASS"
    json.dumps([t.__dict__ for t in targets.values()])  # the results file must serialise


def test_run_child_reports_exit_code_and_usage(tmp_path: Path) -> None:
    run = _load("run")
    code, wall, cpu, rss, stderr = run.run_child([sys.executable, "-c", "import sys; sys.stderr.write('hi'); sys.exit(3)"], tmp_path, 60)
    assert code == 3 and stderr == "hi"
    assert wall > 0 and cpu >= 0 and rss > 0


def test_prefilter_report_labels_never_show_what_follows_the_trigger_word() -> None:
    run = _load("run")
    assert run._trigger_label(b'secret = "hunter2-pa55word"') == "secret"
    assert run._trigger_label(b"://deploy:s3cr3tPassw0rd@") == "://deploy"
    assert run._trigger_label(b'"http://api.example.org') == '"http'
