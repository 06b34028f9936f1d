"""Find the files to scan: explicit files and directories, git-tracked files in a repository, a
walk honouring ``.gitignore`` (pathspec) otherwise, ``exclude`` globs, and ``--staged``.

Never follows directory symlinks (loops, and trees outside the scan root); file symlinks that
point outside the root or nowhere are skipped with a note.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from checker.model import Note, Settings
from checker.suppress import path_matches

# Directories no user wants scanned by default (VCS internals, caches, virtual environments).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".credlint_cache", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", ".hypothesis"}
)


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)  # absolute paths, sorted, unique
    notes: list[Note] = field(default_factory=list)


def relative(path: Path, root: Path) -> str:
    """POSIX path relative to the scan root (absolute POSIX when outside it)."""
    try:
        text = path.relative_to(root).as_posix()
    except ValueError:
        text = path.as_posix()
    # Names that are not valid UTF-8 keep their surrogate escapes (so the file can be read again);
    # every renderer encodes them safely.
    return text


def _excluded(rel: str, settings: Settings) -> bool:
    parts = rel.split("/")
    if any(p in DEFAULT_EXCLUDED_DIRS for p in parts[:-1]):
        return True
    return any(path_matches(rel, pattern) for pattern in settings.exclude)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _check_file(path: Path, root: Path, rel: str, notes: list[Note]) -> bool:
    """True when ``path`` is a regular file we may read; otherwise a note explains why not."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            notes.append(Note(rel, "skipped-symlink", "broken or looping symlink; not scanned"))
            return False
        if not _inside(target, root):
            notes.append(Note(rel, "skipped-symlink", "symlink points outside the scanned root; not scanned"))
            return False
    try:
        if not path.is_file():
            return False
    except OSError:
        notes.append(Note(rel, "unreadable", "cannot stat file; not scanned"))
        return False
    return True


def _git_listing(directory: Path, git_files: Callable[[Path], list[str] | None] | None) -> list[str] | None:
    if git_files is None:
        return None
    return git_files(directory)


def _walk(directory: Path, root: Path, notes: list[Note]) -> Iterable[Path]:
    """os.walk honouring every .gitignore from the root down (pathspec's gitignore semantics)."""
    import pathspec

    specs: list[tuple[Path, pathspec.PathSpec]] = []
    for ancestor in reversed([directory, *directory.parents]):
        if not _inside(ancestor, root):
            continue
        spec = _load_gitignore(ancestor, pathspec)
        if spec is not None:
            specs.append((ancestor, spec))

    def ignored(path: Path, is_dir: bool) -> bool:
        for base, spec in specs:
            if base in path.parents:
                rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
                if spec.match_file(rel):
                    return True
        return False

    if directory != root and ignored(directory, True):
        # The user named an ignored directory explicitly: scan it, honouring only its own ignores.
        specs = [(base, spec) for base, spec in specs if base == directory or directory in base.parents]

    def on_error(error: OSError) -> None:
        notes.append(Note(relative(Path(error.filename or directory), root), "unreadable", "cannot list directory; not scanned"))

    for current, dirnames, filenames in os.walk(directory, onerror=on_error, followlinks=False):
        here = Path(current)
        if here != directory:
            spec = _load_gitignore(here, pathspec)
            if spec is not None:
                specs.append((here, spec))
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if name in DEFAULT_EXCLUDED_DIRS or sub.is_symlink() or ignored(sub, True):
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if not ignored(path, False):
                yield path


def _load_gitignore(directory: Path, pathspec_module: object) -> object | None:
    gitignore = directory / ".gitignore"
    if gitignore.is_symlink():
        return None  # a symlinked .gitignore may point out of the tree; outside content is not read
    try:
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec_module.GitIgnoreSpec.from_lines(lines)  # type: ignore[attr-defined]


def discover(
    paths: list[Path],
    root: Path,
    settings_for: Callable[[Path], Settings],
    git_files: Callable[[Path], list[str] | None] | None = None,
) -> Discovery:
    """Expand ``paths`` into files. ``git_files(dir)`` lists tracked + untracked-not-ignored files
    (relative to ``dir``) or returns None outside a repository."""
    result = Discovery()
    seen: set[Path] = set()

    def add(path: Path, explicit: bool) -> None:
        absolute = path if path.is_absolute() else (Path.cwd() / path)
        absolute = Path(os.path.normpath(absolute))
        if absolute in seen:
            return
        rel = relative(absolute, root)
        if not explicit and _excluded(rel, settings_for(absolute)):
            return
        if explicit and any(path_matches(rel, p) for p in settings_for(absolute).exclude):
            return
        if _check_file(absolute, root, rel, result.notes):
            seen.add(absolute)
            result.files.append(absolute)

    for given in paths:
        absolute = Path(os.path.normpath(given if given.is_absolute() else Path.cwd() / given))
        if not os.path.lexists(absolute):
            result.notes.append(Note(relative(absolute, root), "unreadable", "path does not exist"))
            continue
        if absolute.is_dir() and not absolute.is_symlink():
            listing = _git_listing(absolute, git_files)
            # An empty listing means the directory is outside the work tree's index, e.g. an
            # ignored folder the user named explicitly: walk it instead of scanning nothing.
            if listing:
                for rel_name in listing:
                    add(absolute / rel_name, explicit=False)
            else:
                for path in _walk(absolute, root, result.notes):
                    add(path, explicit=False)
        else:
            add(absolute, explicit=True)
    result.files.sort()
    return result
