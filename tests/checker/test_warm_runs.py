"""Runs where nothing changed: the rule catalog snapshot (no rule import) and the cached project
phase must give exactly the cold run's answer, and anything the answer depends on must invalidate them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from checker import catalog
from checker.engine import ScanOptions, scan
from checker.model import ScanResult
from tests.checker.test_gitinfo import GitBuilder, _isolated_git  # noqa: F401 - fixture re-export

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "payments-service"
SECRET = "Zx8kq2LmP0aa77fghT5vW9yB3nD6pR1sU4xA"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def _fresh_catalog() -> Iterator[None]:
    catalog.reset()
    yield
    catalog.reset()


def _essence(result: ScanResult) -> tuple[object, ...]:
    return (result.findings, result.suppressed, result.notes, result.rotation, result.rules, result.evaluated_families)


# --- the catalog snapshot ------------------------------------------------------------------------


def test_snapshot_round_trip_gives_the_same_catalog(tmp_path: Path) -> None:
    built = catalog.rule_infos()
    catalog.save_snapshot(tmp_path)
    catalog.reset()
    catalog.use_snapshot(tmp_path)
    assert catalog.rule_infos() == built
    assert catalog._State.from_snapshot


def test_snapshot_of_other_rule_sources_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog.rule_infos()
    catalog.save_snapshot(tmp_path)
    catalog.reset()
    # an edited rule module changes the key (size or mtime of a file in the rules package)
    monkeypatch.setattr(catalog, "sources_key", lambda: "another-key")
    catalog.use_snapshot(tmp_path)
    catalog.rule_infos()
    assert not catalog._State.from_snapshot


@pytest.mark.parametrize("content", ["{not json", '{"key": "x"}', "[]", ""])
def test_broken_snapshot_is_ignored(tmp_path: Path, content: str) -> None:
    (tmp_path / catalog.SNAPSHOT_NAME).write_text(content)
    catalog.use_snapshot(tmp_path)
    assert catalog.known_ids()  # built from the rule classes
    assert not catalog._State.from_snapshot


def test_tampered_snapshot_with_the_right_key_is_ignored(tmp_path: Path) -> None:
    catalog.rule_infos()
    catalog.save_snapshot(tmp_path)
    data = json.loads((tmp_path / catalog.SNAPSHOT_NAME).read_text())
    data["rules"][0]["group"] = "nonsense"
    (tmp_path / catalog.SNAPSHOT_NAME).write_text(json.dumps(data))
    catalog.reset()
    catalog.use_snapshot(tmp_path)
    catalog.rule_infos()
    assert not catalog._State.from_snapshot


def test_symlinked_cache_directory_is_neither_read_nor_written(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    link = tmp_path / "cache"
    link.symlink_to(real, target_is_directory=True)
    catalog.rule_infos()
    catalog.save_snapshot(link)
    assert not (real / catalog.SNAPSHOT_NAME).exists()


def _run_cli_recording_imports(args: list[str], cwd: Path) -> list[str]:
    """Run the CLI in a fresh interpreter; return the libcst and rule modules it imported."""
    code = (
        "import sys\nfrom checker.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m == 'libcst' or m.startswith('rules.'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout.split()


def test_unchanged_rerun_imports_no_rule_and_reports_the_same(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    shutil.copytree(EXAMPLE, project)
    # reports go outside the scanned tree (a new file there would rightly be analysed)
    cold_imports = _run_cli_recording_imports(["check", ".", "--format", "json", "-o", "../cold.json", "--now", "2026-11-28"], project)
    warm_imports = _run_cli_recording_imports(["check", ".", "--format", "json", "-o", "../warm.json", "--now", "2026-11-28"], project)
    assert "libcst" in cold_imports
    assert warm_imports == []
    cold, warm = (json.loads((tmp_path / name).read_text()) for name in ("cold.json", "warm.json"))
    for report in (cold, warm):
        report["scan"].pop("started_at", None)
        report["scan"].pop("duration_ms", None)
        report["scan"].pop("files_cached", None)
    assert cold == warm
    assert cold["findings"]


# --- the cached project phase --------------------------------------------------------------------


def _scan(root: Path, now: dt.date, **kwargs: object) -> ScanResult:
    return scan(ScanOptions(paths=(root,), use_cache=True, now=now, jobs=1, **kwargs))  # type: ignore[arg-type]


@needs_git
def test_project_phase_is_reused_only_while_its_inputs_stay(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path / "svc")
    b.write("app/settings.py", f'CLIENT_ID = "payments"\nCLIENT_SECRET = "{SECRET}"\n')
    b.commit("2026-01-10")
    now = dt.date(2026, 8, 3)

    cold = _scan(b.root, now)
    stale = [(f.path, f.line) for f in cold.findings if f.rule == "OA601"]
    assert stale == [("app/settings.py", 2)]
    warm = _scan(b.root, now)
    assert _essence(warm) == _essence(cold)
    assert warm.stats.files_cached == cold.stats.files_seen

    # the date: 30 days after the commit the secret is not stale yet
    early = _scan(b.root, dt.date(2026, 2, 9))
    assert not [f for f in early.findings if f.rule == "OA601"]

    # git: the secret is rotated in a new commit
    b.write("app/settings.py", f'CLIENT_ID = "payments"\nCLIENT_SECRET = "{SECRET[::-1]}"\n')
    b.commit("2026-07-30")
    rotated = _scan(b.root, now)
    assert not [f for f in rotated.findings if f.rule == "OA601"]


def _repo_with_a_secret_after_one_commit(root: Path) -> GitBuilder:
    b = GitBuilder(root)
    b.write("README.md", "service\n")
    b.commit("2026-01-01")
    b.write("app/settings.py", f'CLIENT_SECRET = "{SECRET}"\n')
    return b


def _cold(root: Path, now: dt.date) -> ScanResult:
    return scan(ScanOptions(paths=(root,), use_cache=False, now=now, jobs=1))


@needs_git
def test_uncommitted_then_staged_file_is_not_served_from_the_cached_phase(tmp_path: Path) -> None:
    b = _repo_with_a_secret_after_one_commit(tmp_path / "svc")
    now = dt.date(2026, 8, 3)
    first = _scan(b.root, now)
    b.git("add", "app/settings.py")  # same content and HEAD; only the index changed
    second = _scan(b.root, now)
    assert _essence(second) == _essence(_cold(b.root, now))
    assert first.stats.files_seen == second.stats.files_seen


@needs_git
def test_moving_head_alone_invalidates_the_cached_phase(tmp_path: Path) -> None:
    b = _repo_with_a_secret_after_one_commit(tmp_path / "svc")
    b.commit("2026-01-10")
    now = dt.date(2026, 8, 3)
    assert [f.rule for f in _scan(b.root, now).findings if f.rule == "OA601"] == ["OA601"]
    # the commit that added the secret is undone; the file and the index stay as they were
    b.git("reset", "-q", "--soft", "HEAD~1")
    after = _scan(b.root, now)
    assert _essence(after) == _essence(_cold(b.root, now))
    assert not [f for f in after.findings if f.rule == "OA601"]


def test_verbose_runs_always_run_the_project_phase(tmp_path: Path) -> None:
    project = tmp_path / "svc"
    shutil.copytree(EXAMPLE, project)
    now = dt.date(2026, 11, 28)
    _scan(project, now)
    said: list[str] = []
    verbose = _scan(project, now, verbose=said.append)
    assert said  # OA402 explains its per-client scope decisions
    assert _essence(verbose) == _essence(_scan(project, now))


def test_editing_a_rule_module_invalidates_cached_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "svc"
    shutil.copytree(EXAMPLE, project)
    now = dt.date(2026, 11, 28)
    first = _scan(project, now)
    assert _scan(project, now).stats.files_cached == first.stats.files_seen
    catalog.reset()
    monkeypatch.setattr(catalog, "sources_key", lambda: "edited-rules")
    monkeypatch.setattr("checker.engine.sources_key", lambda: "edited-rules")
    assert _scan(project, now).stats.files_cached == 0
