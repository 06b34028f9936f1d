"""Reproducible corpora for the benchmark (issue 7), built under ``benchmarks/.work/corpora/``.

Each corpus is a directory that is its own small git repository with every file committed (fixed
author, date and message). Why a repository: ``benchmarks/.work/`` is ignored by the project's own
git repository, so credlint (which lists git-tracked plus untracked-not-ignored files) and
detect-secrets (which scans git-tracked files unless ``--all-files``) would otherwise see nothing; and
``detect-secrets scan --all-files`` would walk ``.git/`` too. Committed files give all three tools the
same file set: credlint and detect-secrets list the tracked files, bandit walks ``*.py`` (the only files
it reads). Real users also run these tools inside a repository.

Building is idempotent: a stamp file next to each corpus records the inputs (source paths, versions,
sizes, seeds); an unchanged stamp means the corpus on disk is reused. Git runs with
``GIT_CONFIG_GLOBAL``/``GIT_CONFIG_NOSYSTEM`` isolation and an explicit ``GIT_DIR`` inside the corpus,
so no command can touch the project's repository or read the user's git config.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / ".work"
CORPORA_DIR = WORK_DIR / "corpora"
CORPUS_FORMAT = 1  # bump to force every corpus to be rebuilt

# Directories of the standard library that are not library code (test suites hold deliberately broken
# syntax, odd encodings and generated data: they measure error paths, not throughput) or are not
# Python sources of this interpreter's library.
STDLIB_EXCLUDED_DIRS = frozenset({"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"})

# Import name -> distribution name on the package index (corpus (b): packages that really do OAuth).
OAUTH_PACKAGES: dict[str, str] = {
    "authlib": "authlib",
    "requests_oauthlib": "requests-oauthlib",
    "oauthlib": "oauthlib",
    "msal": "msal",
    "httpx_auth": "httpx-auth",
}

COMMIT_DATE = "2025-01-15T12:00:00+00:00"


@dataclass(frozen=True)
class Corpus:
    """A built corpus: where it is and what it holds (``files`` are POSIX paths relative to ``root``)."""

    name: str
    root: Path
    files: tuple[str, ...]
    lines: int
    size_bytes: int
    description: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def python_files(self) -> tuple[str, ...]:
        return tuple(f for f in self.files if f.endswith(".py"))

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name, "root": str(self.root), "files": len(self.files), "python_files": len(self.python_files),
            "lines": self.lines, "bytes": self.size_bytes, "description": self.description, "params": self.params,
        }


@dataclass(frozen=True)
class PrecommitCase:
    """Case (d): a handful of changed files inside a project, passed by name as pre-commit does."""

    corpus: Corpus
    files: tuple[str, ...]
    baseline: Path  # detect-secrets baseline for these files (outside the corpus, so no tool scans it)


# --- helpers ---------------------------------------------------------------------------------------


def evenly_spaced(items: Sequence[str], count: int) -> list[str]:
    """``count`` items spread evenly over ``items`` (sorted input gives a representative sample).
    Nested: the sample of ``n // 2`` is a subset of the sample of ``n`` when ``n`` is even."""
    if count >= len(items):
        return list(items)
    return [items[(i * len(items)) // count] for i in range(count)]


def _git_env(root: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="credlint-bench", GIT_AUTHOR_EMAIL="bench@example.test", GIT_AUTHOR_DATE=COMMIT_DATE,
               GIT_COMMITTER_NAME="credlint-bench", GIT_COMMITTER_EMAIL="bench@example.test", GIT_COMMITTER_DATE=COMMIT_DATE)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    if root is not None:
        env["GIT_DIR"] = str(root / ".git")
        env["GIT_WORK_TREE"] = str(root)
    return env


def commit_all(root: Path) -> None:
    """Make ``root`` a repository of its own with every file committed once."""
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=_git_env(), stdout=subprocess.DEVNULL)
    env = _git_env(root)
    # the credlint cache of the "cached" case must never become part of the corpus
    (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text(".credlint_cache/\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "benchmark corpus"],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def _count(root: Path, files: Sequence[str]) -> tuple[int, int]:
    lines = size = 0
    for rel in files:
        data = (root / rel).read_bytes()
        size += len(data)
        lines += data.count(b"\n")
    return lines, size


def _stamp_path(name: str) -> Path:
    return CORPORA_DIR / f"{name}.stamp.json"


def _load_stamp(name: str, params: dict[str, object]) -> Corpus | None:
    """The corpus recorded by a stamp whose inputs equal ``params`` and whose files still exist."""
    try:
        data = json.loads(_stamp_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    root = CORPORA_DIR / name
    if data.get("params") != json.loads(json.dumps(params)) or not (root / ".git").is_dir():
        return None
    files = tuple(data["files"])
    if not all((root / f).is_file() for f in files[:: max(1, len(files) // 20)]):
        return None
    return Corpus(name, root, files, data["lines"], data["bytes"], data["description"], params)


def _build(name: str, params: dict[str, object], description: str, populate: Callable[[Path], list[str]],
           log: Callable[[str], None]) -> Corpus:
    """Reuse the corpus if its stamp matches ``params``; otherwise rebuild it with ``populate(root)``."""
    cached = _load_stamp(name, params)
    if cached is not None:
        return cached
    root = CORPORA_DIR / name
    log(f"building corpus {name} ...")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    files = tuple(sorted(populate(root)))
    commit_all(root)
    lines, size = _count(root, files)
    corpus = Corpus(name, root, files, lines, size, description, params)
    _stamp_path(name).write_text(json.dumps({"params": params, "files": files, "lines": lines, "bytes": size,
                                             "description": description}, indent=1), encoding="utf-8")
    return corpus


def _copy(src_root: Path, rels: Sequence[str], dest: Path, prefix: str = "") -> list[str]:
    out = []
    for rel in rels:
        target = dest / prefix / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src_root / rel, target)
        out.append(f"{prefix}{rel}")
    return out


def _python_files(top: Path, excluded: frozenset[str] = frozenset({"__pycache__"})) -> list[str]:
    """Sorted POSIX paths of ``*.py`` files under ``top``, not descending into ``excluded`` names."""
    out = []
    for current, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in excluded and not d.startswith("config-"))
        base = Path(current)
        out.extend((base / f).relative_to(top).as_posix() for f in filenames if f.endswith(".py"))
    return sorted(out)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


# --- (a) the standard library ---------------------------------------------------------------------


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_candidates() -> list[str]:
    """Library modules of the running interpreter: every ``*.py`` except test suites and site-packages."""
    return _python_files(stdlib_root(), STDLIB_EXCLUDED_DIRS)


def build_stdlib(files: int, log: Callable[[str], None] = print) -> Corpus:
    """``files`` standard-library modules, evenly spaced over the sorted list (a representative mix of
    small and large, old and new code), copied so every tool sees the same stable paths."""
    candidates = stdlib_candidates()
    chosen = evenly_spaced(candidates, files)
    params = {"format": CORPUS_FORMAT, "python": sys.version.split()[0], "stdlib": str(stdlib_root()),
              "files": len(chosen), "of": len(candidates)}
    description = f"Python {params['python']} standard library, {len(chosen)} of {len(candidates)} modules (tests excluded)"
    return _build("stdlib", params, description, lambda root: _copy(stdlib_root(), chosen, root), log)


def build_subset(base: Corpus, percent: int, log: Callable[[str], None] = print) -> Corpus:
    """A nested ``percent``% sample of ``base`` (for the time-versus-size scaling case)."""
    count = max(1, round(len(base.files) * percent / 100))
    chosen = evenly_spaced(list(base.files), count)
    params = {"format": CORPUS_FORMAT, "base": base.name, "base_params": base.params, "percent": percent, "files": count}
    description = f"{percent}% of {base.name} ({count} files)"
    return _build(f"{base.name}-{percent}", params, description, lambda root: _copy(base.root, chosen, root), log)


# --- (b) installed packages that do OAuth ------------------------------------------------------------


def missing_packages() -> list[str]:
    """Distribution names of the OAuth packages that are not importable here."""
    return [dist for module, dist in OAUTH_PACKAGES.items() if importlib.util.find_spec(module) is None]


def install_packages(dists: Sequence[str], log: Callable[[str], None] = print) -> None:
    """pip-install into the running interpreter's environment (needs the package index)."""
    log(f"installing {', '.join(dists)} with pip ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *dists], check=True)
    importlib.invalidate_caches()


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{module} is not installed as a package")
    return Path(next(iter(spec.submodule_search_locations)))


def _dist_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def build_packages(max_files: int | None = None, log: Callable[[str], None] = print) -> Corpus:
    """The ``*.py`` sources of authlib, requests-oauthlib, oauthlib, msal and httpx-auth (each under its
    import name); ``max_files`` takes an evenly spaced sample (quick mode)."""
    sources = {module: _package_dir(module) for module in OAUTH_PACKAGES}
    everything = sorted(f"{module}/{rel}" for module, top in sources.items() for rel in _python_files(top))
    chosen = evenly_spaced(everything, max_files) if max_files else everything
    params = {"format": CORPUS_FORMAT, "versions": {d: _dist_version(d) for d in OAUTH_PACKAGES.values()},
              "files": len(chosen), "of": len(everything)}

    def populate(root: Path) -> list[str]:
        for rel in chosen:
            module, _, inner = rel.partition("/")
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sources[module] / inner, target)
        return list(chosen)

    versions = ", ".join(f"{d} {v}" for d, v in params["versions"].items())  # type: ignore[union-attr]
    return _build("packages", params, f"OAuth client libraries ({versions}), {len(chosen)} of {len(everything)} files", populate, log)


# --- (c) the generated OAuth-dense project and (d) the pre-commit case ------------------------------


def build_dense(files: int, seed: int = 7, log: Callable[[str], None] = print) -> Corpus:
    sys.path.insert(0, str(BENCH_DIR))
    try:
        import oauth_dense
    finally:
        sys.path.remove(str(BENCH_DIR))
    params = {"format": CORPUS_FORMAT, "generator": oauth_dense.GENERATOR_VERSION, "source": _digest(Path(oauth_dense.__file__)),
              "files": files, "seed": seed}
    return _build("dense", params, f"generated OAuth-dense project, {files} files (seed {seed})",
                  lambda root: oauth_dense.generate(root, files, seed), log)


def precommit_files(dense: Corpus, count: int = 5) -> tuple[str, ...]:
    """``count`` changed files of the dense project: client modules spread over the tree, plus one
    dotenv file when there is one (pre-commit hands over config files too)."""
    env_files = [f for f in dense.files if f.endswith(".env")]
    python = [f for f in dense.files if f.startswith("src/") and f.endswith(".py") and not f.endswith("__init__.py")]
    chosen = evenly_spaced(python, count - (1 if env_files and count > 1 else 0))
    if env_files and count > 1:
        chosen.append(env_files[len(env_files) // 2])
    return tuple(chosen)


def build_precommit(dense: Corpus, count: int = 5, log: Callable[[str], None] = print) -> PrecommitCase:
    """Case (d) and the detect-secrets baseline its hook is normally run with (made by scanning the
    same files once, so the hook reports no new secret and does not rewrite the baseline)."""
    files = precommit_files(dense, count)
    baseline = WORK_DIR / "precommit" / "secrets.baseline"
    stamp = baseline.with_suffix(".stamp")
    key = json.dumps({"dense": dense.params, "files": files})
    if not (baseline.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key):
        baseline.parent.mkdir(parents=True, exist_ok=True)
        log("writing the detect-secrets baseline for the pre-commit case ...")
        out = subprocess.run([tool_path("detect-secrets"), "scan", *files], cwd=dense.root, check=True,
                             capture_output=True, text=True)
        baseline.write_text(out.stdout, encoding="utf-8")
        stamp.write_text(key, encoding="utf-8")
    return PrecommitCase(dense, files, baseline)


# --- (e) the history repository ----------------------------------------------------------------------


def build_history(commits: int, log: Callable[[str], None] = print) -> Corpus | None:
    """The many-commit repository of ``make_history_repo.py`` (owned by another module), or None when
    that script is not there yet."""
    script = BENCH_DIR / "make_history_repo.py"
    if not script.is_file():
        log("case history skipped: benchmarks/make_history_repo.py does not exist yet")
        return None
    params = {"format": CORPUS_FORMAT, "source": _digest(script), "commits": commits}
    cached = _load_stamp("history", params)
    if cached is not None:
        return cached
    root = CORPORA_DIR / "history"
    if root.exists():
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    log(f"building the history repository ({commits} commits) ...")
    answers = WORK_DIR / "history-answers.json"
    subprocess.run([sys.executable, str(script), str(root), "--commits", str(commits), "--answers", str(answers)],
                   check=True, env=_git_env(), stdout=subprocess.DEVNULL)
    (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text(".credlint_cache/\n", encoding="utf-8")
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True, env=_git_env(root))
    files = tuple(sorted(p for p in listed.stdout.decode("utf-8").split("\0") if p))
    lines, size = _count(root, files)
    description = f"git repository with {commits} commits (make_history_repo.py)"
    _stamp_path("history").write_text(json.dumps({"params": params, "files": files, "lines": lines, "bytes": size,
                                                  "description": description}, indent=1), encoding="utf-8")
    return Corpus("history", root, files, lines, size, description, params)


# --- tools -----------------------------------------------------------------------------------------


def tool_path(name: str) -> str:
    """The console script ``name`` of the running interpreter's environment (not a pyenv/asdf shim,
    whose own start-up would be charged to the tool), else whatever is on PATH, else the bare name."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name) or name
