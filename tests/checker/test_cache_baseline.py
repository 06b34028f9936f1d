"""Result cache (JSON, atomic, keyed by version/config/content) and baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.baseline import BaselineError, apply_baseline, load_baseline, render_baseline
from checker.cache import ResultCache, content_hash, entry_key
from checker.model import FileResult, Finding, Note, Severity


def finding(fp: str = "abc", path: str = "a.py") -> Finding:
    return Finding(rule="OA101", name="hardcoded-client-secret", family="secret", severity=Severity.CRITICAL, path=path,
                   line=3, column=1, end_line=3, end_column=9, message="client secret assigned from a string literal",
                   snippet='S = "Zx8k…(20 chars, sha256:7d6f7d)"', fingerprint=fp)


def test_cache_round_trip_and_stat_fast_path(tmp_path: Path) -> None:
    file = tmp_path / "a.py"
    file.write_text("x = 1\n")
    result = FileResult(path="a.py", kind="python", findings=(finding(),), notes=(Note("a.py", "analysis", "n"),))
    cache = ResultCache(tmp_path, "1.0")
    key = entry_key("1.0", "cfg", "a.py", content_hash(file.read_bytes()))
    cache.store("a.py", key, file.stat(), "cfg", result)
    cache.save()
    again = ResultCache(tmp_path, "1.0")
    assert again.lookup_by_stat("a.py", file.stat(), "cfg") == result
    assert again.lookup_by_stat("a.py", file.stat(), "other-config") is None
    assert ResultCache(tmp_path, "2.0").lookup_by_stat("a.py", file.stat(), "cfg") is None
    assert (tmp_path / ".credlint_cache" / ".gitignore").exists()


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "1.0")
    cache.directory.mkdir()
    cache.file.write_text("{not json")
    assert ResultCache(tmp_path, "1.0").entries == {}


def test_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, "1.0", enabled=False)
    cache.store("a.py", "k", None, "cfg", FileResult(path="a.py", kind="python"))
    cache.save()
    assert not (tmp_path / ".credlint_cache").exists()


def test_baseline_is_sorted_line_free_and_secret_free(tmp_path: Path) -> None:
    text = render_baseline([finding("b", "z.py"), finding("a", "a.py")], "0.1.0")
    data = json.loads(text)
    assert [e["path"] for e in data["findings"]] == ["a.py", "z.py"]
    assert "line" not in data["findings"][0] and "Zx8kQ2mN4pL7vR9tW3yB" not in text
    path = tmp_path / "b.json"
    path.write_text(text)
    kept, quiet = apply_baseline([finding("a", "a.py"), finding("new", "a.py")], load_baseline(path))
    assert [f.fingerprint for f in kept] == ["new"] and quiet[0].suppression.kind == "baseline"


@pytest.mark.parametrize("content", ["{", "[]", '{"tool": "other"}'])
def test_bad_baseline_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match="b.json"):
        load_baseline(path)
