"""Discovery: git listing or .gitignore-aware walk, excludes, symlinks, explicit files."""

from __future__ import annotations

import os
from pathlib import Path

from checker.discovery import discover
from checker.model import Settings


def tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def rels(result, root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in result.files]


def test_walk_honours_gitignore_and_default_excludes(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "build/\n*.log\n", "a.py": "", "build/x.py": "", "debug.log": "", "sub/.gitignore": "local.env\n",
                    "sub/local.env": "", "sub/b.py": "", "node_modules/m.js": "", ".venv/lib.py": "", ".git/config": ""})
    result = discover([tmp_path], tmp_path, lambda _p: Settings())
    assert rels(result, tmp_path) == [".gitignore", "a.py", "sub/.gitignore", "sub/b.py"]


def test_exclude_globs(tmp_path: Path) -> None:
    tree(tmp_path, {"migrations/0001.py": "", "app/a.py": ""})
    result = discover([tmp_path], tmp_path, lambda _p: Settings(exclude=("migrations/**",)))
    assert rels(result, tmp_path) == ["app/a.py"]


def test_explicit_files_are_scanned_even_if_gitignored(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "*.env\n", "prod.env": "X=1"})
    result = discover([tmp_path / "prod.env"], tmp_path, lambda _p: Settings())
    assert rels(result, tmp_path) == ["prod.env"]


def test_broken_symlink_loop_and_outside_links_are_noted(tmp_path: Path) -> None:
    root = tmp_path / "root"
    tree(root, {"a.py": ""})
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    os.symlink(root / "missing", root / "broken.py")
    os.symlink(outside, root / "escape.txt")
    os.symlink(root, root / "loop")  # directory symlink: never followed
    os.symlink(root / "self_a", root / "self_b")
    os.symlink(root / "self_b", root / "self_a")
    result = discover([root], root, lambda _p: Settings())
    assert rels(result, root) == ["a.py"]
    kinds = sorted((n.path, n.kind) for n in result.notes)
    assert ("broken.py", "skipped-symlink") in kinds and ("escape.txt", "skipped-symlink") in kinds
    assert ("self_a", "skipped-symlink") in kinds


def test_missing_path_is_a_note(tmp_path: Path) -> None:
    result = discover([tmp_path / "nope"], tmp_path, lambda _p: Settings())
    assert result.files == [] and result.notes[0].kind == "unreadable"


def test_unicode_spaces_and_dashes_in_names(tmp_path: Path) -> None:
    tree(tmp_path, {"we ird/-rf.py": "", "ünï/cödé.env": ""})
    result = discover([tmp_path], tmp_path, lambda _p: Settings())
    assert rels(result, tmp_path) == ["we ird/-rf.py", "ünï/cödé.env"]
