"""Read-only access to a git repository through the ``git`` command.

Why a subprocess and not a library: git itself is the reference implementation of blame, rename
following and shallow-clone handling, it is present wherever the code lives, and it needs no extra
dependency. Every command is an argument list (never a shell), never carries a secret (values are
searched in-process, see ``first_appearance``), has a timeout, and every failure becomes ``None`` or an
empty result: a scan never crashes because git is missing, old, or the directory is not a repository.

Paths given to and returned by the methods are POSIX paths relative to ``GitRepo.cwd`` (the directory
the repository was discovered from, normally the scan root), which may be a subdirectory of
``GitRepo.toplevel``.

Scanned repositories are untrusted: commands run with ``core.fsmonitor`` disabled (a repository-local
``core.fsmonitor`` is a command git would execute), without textconv filters and without pagers.
Results are cached per instance, so a rule asking twice costs one process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import IO, Callable, Iterable, Iterator, Sequence

# A commit id made of zeros is how blame marks lines that are not committed yet.
NOT_COMMITTED = "0" * 40

DEFAULT_TIMEOUT = 30.0
BLAME_TIMEOUT = 120.0
STREAM_TIMEOUT = 900.0

# Hardening for repositories we do not trust; applied to every command.
_SAFE_CONFIG: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", "core.quotePath=false",
    "-c", "log.showSignature=false",
    "-c", "diff.noprefix=false",
    "-c", "color.ui=false",
)


@dataclass(frozen=True)
class BlameInfo:
    """Who last changed one line, and when (author time is closest to "written": rebases and squash
    merges rewrite committer times)."""

    commit: str
    author_time: datetime
    committer_time: datetime
    original_path: str
    original_line: int = 0

    @property
    def committed(self) -> bool:
        return self.commit != NOT_COMMITTED


@dataclass(frozen=True)
class CommitInfo:
    commit: str
    author_time: datetime
    committer_time: datetime


@dataclass(frozen=True)
class Appearance:
    """The oldest commit (following renames) whose diff added a line containing a searched value."""

    commit: str
    author_time: datetime
    path: str


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",  # read-only: never take the index lock of the user's repository
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "LC_ALL": "C",
            "LANG": "C",
        }
    )
    # A scan must not be steered by a GIT_DIR/GIT_WORK_TREE leaking from a hook environment into a
    # different directory than the one asked for.
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    return env


def parse_git_time(epoch: str, tz: str) -> datetime | None:
    """``1704103200`` + ``+0200`` -> an aware datetime in the author's own offset."""
    try:
        seconds = int(epoch)
        sign = -1 if tz.startswith("-") else 1
        digits = tz.lstrip("+-")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])) * sign if len(digits) == 4 else timedelta(0)
        return datetime.fromtimestamp(seconds, tz=timezone(offset))
    except (ValueError, OverflowError, OSError):
        return None


def parse_iso(text: str) -> datetime | None:
    """ISO 8601 / RFC 3339 as git (``%aI``) and SOPS write it; ``Z`` and nanoseconds accepted."""
    value = text.strip().strip("'\"")
    if not value:
        return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # Python < 3.11 accepts at most 6 fractional digits.
    value = re.sub(r"(\.\d{6})\d+", r"\1", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# Subcommands that never run a filter driver (they read refs, the index's paths or nothing from the
# working tree's content), so they need not pay for the ``.gitattributes`` lookup below.
_NEVER_FILTERS = frozenset({"rev-parse", "symbolic-ref", "ls-files", "version"})


@dataclass
class GitRepo:
    """One repository, discovered from ``cwd``; see the module docstring for path conventions."""

    toplevel: str
    cwd: str
    git: str = "git"
    timeout: float = DEFAULT_TIMEOUT
    _cache: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False)
    _blame: dict[str, dict[int, BlameInfo]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __getstate__(self) -> dict[str, object]:
        """Picklable (for process pools): caches and the lock stay behind."""
        return {"toplevel": self.toplevel, "cwd": self.cwd, "git": self.git, "timeout": self.timeout}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    # ------------------------------------------------------------------ discovery and plumbing

    @classmethod
    def discover(cls, path: str, git: str | None = None) -> "GitRepo | None":
        """The repository containing ``path`` (a directory or a file), or None when git is missing or
        ``path`` is not inside a work tree (bare repositories and ``.git`` internals included)."""
        executable = git or shutil.which("git")
        if not executable:
            return None
        directory = os.path.abspath(path)
        if not os.path.isdir(directory):
            directory = os.path.dirname(directory)
        if not os.path.isdir(directory):
            return None
        probe = cls(toplevel=directory, cwd=directory, git=executable)
        out = probe._run(["rev-parse", "--is-inside-work-tree", "--show-toplevel"])
        if out is None:
            return None
        lines = out.decode("utf-8", "surrogateescape").splitlines()
        if len(lines) < 2 or lines[0].strip() != "true":
            return None
        return cls(toplevel=os.path.normpath(lines[1].strip()), cwd=directory, git=executable)

    def _command(self, args: Sequence[str]) -> list[str]:
        if args and args[0] in _NEVER_FILTERS:
            return [self.git, *_SAFE_CONFIG, *args]
        return [self.git, *_SAFE_CONFIG, *self._neutral_filters(), *args]

    def _neutral_filters(self) -> list[str]:
        """Override every filter driver the repository's attributes name.

        A scanned repository's ``.git/config`` can define ``filter.<name>.clean`` commands that git
        runs when it hashes working-tree files (blame does); the repository is untrusted, so each
        driver named in ``.gitattributes`` is replaced by ``cat`` for our git processes.
        """
        cached = self._cache.get(("filters",))
        if isinstance(cached, list):
            return cached
        names: set[str] = set()
        candidates = [os.path.join(self.toplevel, ".git", "info", "attributes")]
        listing = self._run(["ls-files", "-z", "-co", "--exclude-standard", "--full-name", "--", ":(top,glob)**/.gitattributes"])
        for name in (listing or b"").decode("utf-8", "surrogateescape").split("\0")[:200]:
            if name:
                candidates.append(os.path.join(self.toplevel, name))
        for candidate in candidates:
            try:
                with open(candidate, encoding="utf-8", errors="replace") as handle:
                    names.update(re.findall(r"(?:^|\s)filter=([A-Za-z0-9_.\-]+)", handle.read(200_000)))
            except OSError:
                continue
        args: list[str] = []
        for name in sorted(names):
            args += ["-c", f"filter.{name}.clean=cat", "-c", f"filter.{name}.smudge=cat", "-c", f"filter.{name}.process=", "-c", f"filter.{name}.required=false"]
        self._cache[("filters",)] = args
        return args

    def _run(self, args: Sequence[str], *, input: bytes | None = None, timeout: float | None = None) -> bytes | None:
        """stdout of a git command, or None on any failure (non-zero exit, timeout, missing binary)."""
        try:
            proc = subprocess.run(
                self._command(args),
                cwd=self.cwd,
                input=input,
                stdin=None if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_git_env(),
                timeout=timeout or self.timeout,
                check=False,
            )
        except (OSError, subprocess.SubprocessError, ValueError):
            return None
        if proc.returncode != 0:
            return None
        return proc.stdout

    def _cached(self, key: tuple[object, ...], compute: Callable[[], object]) -> object:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
        return value

    @contextmanager
    def stream(self, args: Sequence[str], *, timeout: float = STREAM_TIMEOUT, stdin: bool = False) -> Iterator[subprocess.Popen[bytes] | None]:
        """A running git process whose stdout is read incrementally (history streams).

        Yields None when git cannot be started. A watchdog kills the process after ``timeout`` seconds,
        which ends the stream early rather than hanging a CI job; the process is always reaped.
        """
        try:
            proc = subprocess.Popen(
                self._command(args),
                cwd=self.cwd,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_git_env(),
            )
        except (OSError, ValueError):
            yield None
            return
        watchdog = threading.Timer(timeout, _kill, args=(proc,))
        watchdog.daemon = True
        watchdog.start()
        try:
            yield proc
        finally:
            watchdog.cancel()
            _kill(proc)

    # ------------------------------------------------------------------ simple facts

    def head_commit(self) -> str | None:
        out = self._cached(("head",), lambda: self._run(["rev-parse", "--verify", "-q", "HEAD^{commit}"]))
        if not isinstance(out, bytes):
            return None
        return out.decode("ascii", "replace").strip() or None

    def branch(self) -> str | None:
        """Current branch name; None when detached, unborn-without-name or on failure."""
        out = self._cached(("branch",), lambda: self._run(["symbolic-ref", "--short", "-q", "HEAD"]))
        if not isinstance(out, bytes):
            return None
        return out.decode("utf-8", "replace").strip() or None

    def is_shallow(self) -> bool | None:
        """True for shallow clones (CI checkouts with depth 1); None when git could not tell."""
        out = self._cached(("shallow",), lambda: self._run(["rev-parse", "--is-shallow-repository"]))
        if not isinstance(out, bytes):
            return None
        text = out.decode().strip()
        if text in ("true", "false"):
            return text == "true"
        return None  # git < 2.15 echoes the option back

    def version(self) -> tuple[int, ...]:
        """git's version, e.g. (2, 39, 5); (0,) when unknown."""
        out = self._cached(("version",), lambda: self._run(["version"]))
        match = re.search(rb"(\d+)\.(\d+)(?:\.(\d+))?", out) if isinstance(out, bytes) else None
        return tuple(int(g) for g in match.groups() if g is not None) if match else (0,)

    def index_stamp(self) -> str | None:
        """Size and modification time of git's index, which every ``git add`` and commit rewrites
        (None when there is none yet or it cannot be found). Read from the file system: no git run."""
        dot_git = os.path.join(self.toplevel, ".git")
        git_dir = dot_git
        try:
            if os.path.isfile(dot_git):  # worktrees and submodules: "gitdir: <path>"
                with open(dot_git, encoding="utf-8", errors="replace") as handle:
                    line = handle.readline().strip()
                if not line.startswith("gitdir:"):
                    return None
                git_dir = os.path.join(self.toplevel, line.partition(":")[2].strip())
            index = os.environ.get("GIT_INDEX_FILE") or os.path.join(git_dir, "index")
            stat = os.stat(index)
        except OSError:
            return None
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    def has_commits(self) -> bool:
        return self.head_commit() is not None

    def tracked_files(self, directory: str = ".", *, others: bool = True) -> list[str]:
        """Files git knows about under ``directory`` (relative to ``cwd``): tracked ones plus, with
        ``others``, untracked files that are not ignored (``git ls-files -z -co --exclude-standard``)."""
        args = ["ls-files", "-z", "--cached", "--exclude-standard"]
        if others:
            args.append("--others")
        args += ["--", directory]
        out = self._cached(("ls-files", directory, others), lambda: self._run(args))
        if not isinstance(out, bytes):
            return []
        return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})

    def is_tracked(self, path: str) -> bool:
        """True when ``path`` is in the index (committed or staged), untracked files excluded."""
        return _normal(path) in set(self.tracked_files(".", others=False))

    def staged_files(self) -> list[str]:
        """Files added, copied, modified or renamed in the index, relative to ``cwd``."""
        out = self._cached(
            ("staged",),
            lambda: self._run(["diff", "--cached", "--name-only", "-z", "--relative", "--no-ext-diff", "--diff-filter=ACMR"]),
        )
        if not isinstance(out, bytes):
            return []
        return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})

    def staged_blob(self, path: str) -> bytes | None:
        """The staged content of ``path`` (what a commit would contain), not the working-tree copy."""
        relative = self._from_top(path)
        if relative is None:
            return None
        return self._run(["cat-file", "blob", f":{relative}"])

    def _from_top(self, path: str) -> str | None:
        """``path`` (relative to cwd) as a path relative to the toplevel, as index pathspecs need."""
        full = os.path.normpath(os.path.join(self.cwd, path))
        top = os.path.normpath(self.toplevel)
        try:
            rel = os.path.relpath(full, top)
        except ValueError:
            return None
        if rel.startswith(".."):
            return None
        return rel.replace(os.sep, "/")

    # ------------------------------------------------------------------ dating lines and files

    def blame_lines(self, path: str, lines: Iterable[int]) -> dict[int, BlameInfo]:
        """Blame the requested working-tree lines of ``path`` in ONE ``git blame`` process.

        ``-w`` ignores whitespace-only edits and ``-M -C`` follow moved and copied lines (renames are
        followed by blame itself), so re-indenting or moving a secret does not reset its age. Lines
        not committed yet come back with ``commit == NOT_COMMITTED``. Empty on failure (untracked
        file, line beyond the end, no git).
        """
        wanted = sorted({n for n in lines if isinstance(n, int) and n > 0})
        if not wanted:
            return {}
        known = self._blame.setdefault(_normal(path), {})
        missing = [n for n in wanted if n not in known]
        if missing:
            known.update(self._blame_ranges(path, missing))
            for n in missing:  # remember failures too, so a bad line is not blamed again
                known.setdefault(n, None)  # type: ignore[arg-type]
        return {n: known[n] for n in wanted if known.get(n) is not None}

    def _blame_ranges(self, path: str, lines: list[int]) -> dict[int, BlameInfo]:
        args = ["blame", "--porcelain", "-w", "-M", "-C", "--no-textconv"]
        for start, end in _ranges(lines):
            args += ["-L", f"{start},{end}"]
        args += ["--", path]
        out = self._run(args, timeout=BLAME_TIMEOUT)
        if out is None and len(lines) > 1:
            # One line beyond the end fails the whole command; retry line by line is too slow, so
            # fall back to a full-file blame and keep what exists.
            out = self._run(["blame", "--porcelain", "-w", "-M", "-C", "--no-textconv", "--", path], timeout=BLAME_TIMEOUT)
        if out is None:
            return {}
        wanted = set(lines)
        return {n: info for n, info in parse_porcelain(out).items() if n in wanted}

    def last_change(self, path: str) -> datetime | None:
        """Committer date of the last commit that changed ``path`` (following renames)."""
        info = self.last_commit(path)
        return info.committer_time if info else None

    def last_commit(self, path: str) -> CommitInfo | None:
        """The last commit that changed ``path`` (``git log -1 --follow``), with both dates."""

        def compute() -> CommitInfo | None:
            out = self._run(["log", "-1", "--format=%H%x00%aI%x00%cI", "--follow", "--no-textconv", "--", path])
            if not out:
                return None
            parts = out.decode("utf-8", "replace").strip().split("\0")
            if len(parts) != 3:
                return None
            author, committer = parse_iso(parts[1]), parse_iso(parts[2])
            if author is None or committer is None:
                return None
            return CommitInfo(commit=parts[0], author_time=author, committer_time=committer)

        value = self._cached(("last-commit", _normal(path)), compute)
        return value if isinstance(value, CommitInfo) else None

    def first_appearance(self, path: str, needles: Iterable[str]) -> dict[str, Appearance]:
        """For each value in ``needles``, the oldest commit in the history of ``path`` (following
        renames) whose diff ADDED a line containing it. Empty when git fails.

        This dates a value rather than a line: blame only knows the last edit of the line (a reworded
        comment on the same line resets it), while a value's first appearance is when it was really
        introduced. The values are searched in this process, in one ``git log -p --reverse --follow``
        stream: never ``git log -S<secret>``, which would put the secret on a command line. The
        result is cached per (path, values).
        """
        remaining = frozenset(n for n in needles if n)
        if not remaining:
            return {}
        value = self._cached(("first", _normal(path), remaining), lambda: self._first_appearance(path, remaining))
        return dict(value) if isinstance(value, dict) else {}

    def _first_appearance(self, path: str, remaining: frozenset[str]) -> dict[str, Appearance]:
        found: dict[str, Appearance] = {}
        encoded = {n: n.encode("utf-8", "surrogateescape") for n in remaining}
        # Newest first: ``--follow`` does not combine with ``--reverse`` (git then loses the commits
        # before a rename), so read the whole stream and keep the last (oldest) match per value.
        args = [
            "log", "--follow", "-p", "--no-color", "--no-ext-diff", "--no-textconv", "-U0",
            "--format=%x01%H %at %ad", "--date=format:%z", "--", path,
        ]
        with self.stream(args, timeout=BLAME_TIMEOUT) as proc:
            if proc is None or proc.stdout is None:
                return found
            commit: tuple[str, datetime] | None = None
            current_path = path
            for raw in proc.stdout:
                if raw.startswith(b"\x01"):
                    commit = _parse_log_header(raw)
                    continue
                if raw.startswith(b"+++ "):
                    name = raw[4:].rstrip(b"\n").decode("utf-8", "surrogateescape")
                    current_path = name[2:] if name.startswith("b/") else current_path
                    continue
                if commit is None or not raw.startswith(b"+"):
                    continue
                for needle, value in encoded.items():
                    if value in raw:
                        found[needle] = Appearance(commit=commit[0], author_time=commit[1], path=current_path)
            if proc.wait() != 0:
                return {}
        return found


def _parse_log_header(raw: bytes) -> tuple[str, datetime] | None:
    parts = raw[1:].decode("utf-8", "replace").split()
    if len(parts) < 2:
        return None
    when = parse_git_time(parts[1], parts[2] if len(parts) > 2 else "+0000")
    return (parts[0], when) if when else None


def parse_porcelain(out: bytes) -> dict[int, BlameInfo]:
    """Parse ``git blame --porcelain``: each group starts ``<sha> <orig> <final> [<n>]``; commit
    headers (author-time, …) appear only the first time a commit is seen; content lines start with a tab."""
    commits: dict[str, dict[str, str]] = {}
    result: dict[int, BlameInfo] = {}
    current: str | None = None
    orig_line = final_line = 0
    for raw in out.split(b"\n"):
        if raw.startswith(b"\t"):
            if current is not None:
                info = _blame_info(current, commits.get(current, {}), orig_line)
                if info is not None:
                    result[final_line] = info
            current = None
            continue
        line = raw.decode("utf-8", "surrogateescape")
        head = line.split(" ")
        if current is None and len(head) >= 3 and _is_sha(head[0]):
            current = head[0]
            try:
                orig_line, final_line = int(head[1]), int(head[2])
            except ValueError:
                current = None
            commits.setdefault(head[0], {})
            continue
        if current is not None and " " in line:
            key, _, value = line.partition(" ")
            if key in ("author-time", "author-tz", "committer-time", "committer-tz", "filename"):
                commits[current][key] = value
        elif current is not None and line == "boundary":
            commits[current]["boundary"] = "1"
    return result


def _blame_info(commit: str, headers: dict[str, str], orig_line: int) -> BlameInfo | None:
    author = parse_git_time(headers.get("author-time", ""), headers.get("author-tz", "+0000"))
    committer = parse_git_time(headers.get("committer-time", ""), headers.get("committer-tz", "+0000"))
    if author is None or committer is None:
        return None
    return BlameInfo(
        commit=commit,
        author_time=author,
        committer_time=committer,
        original_path=headers.get("filename", ""),
        original_line=orig_line,
    )


def _is_sha(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _ranges(lines: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]: one ``-L`` per run of consecutive lines."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(lines)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _normal(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    for pipe in (proc.stdin, proc.stdout):
        _close(pipe)
    try:
        proc.wait(timeout=5)
    except subprocess.SubprocessError:
        pass


def _close(pipe: IO[bytes] | None) -> None:
    if pipe is not None:
        try:
            pipe.close()
        except OSError:
            pass
