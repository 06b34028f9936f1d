"""Scan committed history for secrets (``credlint check --history [REV-RANGE]``).

A secret deleted from the working tree still lives in every clone's history, so removal does not
un-leak it. This module walks the blobs that commits introduced and hands each to the normal per-file
pipeline; it costs three git processes however long the history is:

1. ONE ``git log --raw --no-renames -z --reverse`` stream lists, oldest commit first, every blob a commit
   added or modified (``iter_history_blobs``); each distinct blob is kept once, with the first commit
   that introduced it, since the same content at another path or in a later commit is the same leak;
2. ONE ``git cat-file --batch-check`` stream gives their sizes, so large blobs are never read;
3. ONE ``git cat-file --batch`` stream reads the contents (``read_blobs``).

Range semantics: ``None`` means the history of ``HEAD`` (every commit reachable from the checked-out
commit, which is what a CI job or a clone holds); ``"--all"`` means every ref (all branches and tags);
anything else is a git revision range such as ``origin/main..HEAD`` or ``v1.2.0..``. A range may not
start with ``-`` (other than ``--all``), so user input can never become a git option.

Merge commits are diffed against their first parent, so content that only a merge introduced (a
conflict resolution) is scanned too; blobs that arrived through a merged branch are already attributed
to the branch commit that introduced them, because the walk is oldest first.

Findings carry properties ``commit`` (12 hex digits), ``date`` (author date, ``YYYY-MM-DD``) and
``history`` = ``"true"``; the message gets the suffix `` (in history: commit abc123def456, 2025-01-02)``.
Fingerprints are the pipeline's (rule, path, normalized code): stable across runs, identical to the
working-tree fingerprint of the same line, which is how history findings are deduplicated against the
working tree and against later versions of the same file.

Why it is fast: most commits change a few lines of a file that was already scanned. A finding is
anchored on a line and its fingerprint depends on that line's text, so a finding on a line that an
earlier version of the same path already had is a duplicate. A blob is therefore analysed only when at
least one of its *new* lines (not present in any earlier version of that path) could hold a secret
(``could_hold_secret``: a credential word, a token-like run, a literal of eight or more characters that
is not a name, path or URL, or a PEM header), and for Python only the top-level statements holding
those lines are analysed, with imports and module-level assignments kept as context
(``reduce_python``; line numbers are preserved). What this gives up: a finding on an old line whose
verdict changed because of a change elsewhere in the file (e.g. a constant renamed to
``client_secret``); pass ``changed_lines_only=False`` to analyse every blob in full.
"""

from __future__ import annotations

import ast
import posixpath
import re
import threading
from dataclasses import dataclass, replace
from typing import IO, Callable, Iterable, Iterator

from checker.gitinfo import STREAM_TIMEOUT, GitRepo
from checker.model import FileResult, Finding, Note

DEFAULT_MAX_BLOB_SIZE = 1_000_000
_ZERO_SHA = re.compile(r"^0+$")
# ":100644 100644 <old> <new> M" — the metadata record before each path in ``--raw -z`` output.
_RAW_META = re.compile(r"^:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) ([A-Z])\d*$")
_HEADER = "\x01"
_REGULAR_FILE_MODES = frozenset({"100644", "100755", "100664"})

# Never worth reading: formats no secret rule parses (the pipeline would skip them as binary anyway,
# but only after reading them).
_SKIP_EXTENSIONS = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd", ".mp3", ".mp4",
        ".mov", ".avi", ".wav", ".ogg", ".flac", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".zip", ".gz",
        ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".war", ".whl", ".egg", ".so", ".dll", ".dylib", ".exe",
        ".bin", ".o", ".a", ".class", ".pyc", ".pyo", ".pdf", ".parquet", ".sqlite", ".db", ".npy", ".pkl",
    }
)


class HistoryError(ValueError):
    """A bad revision range (the CLI turns it into a usage error, exit code 2)."""


@dataclass(frozen=True)
class HistoryBlob:
    commit: str
    author_date: str  # ISO 8601 as git prints it (``%aI``)
    path: str  # POSIX, relative to ``repo.cwd``
    blob_sha: str

    @property
    def date(self) -> str:
        return self.author_date[:10]


def validate_range(rev_range: str | None) -> list[str]:
    """The revision arguments for ``git log``; raises ``HistoryError`` for option-like input."""
    if rev_range is None or not rev_range.strip():
        return ["HEAD"]
    text = rev_range.strip()
    if text == "--all":
        return ["--all"]
    if text.startswith("-") or any(c in text for c in "\0\n\r"):
        raise HistoryError(f"invalid revision range {text!r}: a range cannot start with '-'")
    return text.split()


def iter_history_blobs(repo: GitRepo, rev_range: str | None = None, status: list[str] | None = None) -> Iterator[HistoryBlob]:
    """Every distinct blob that a commit in ``rev_range`` added or modified, oldest commit first.

    Deleted files, submodules and symlinks are skipped; a blob seen before (same content at another
    path, or re-added later) is not yielded again. Paths are relative to ``repo.cwd`` and limited to
    it when the scan root is a subdirectory (``--relative``). Git failures end the stream early and,
    when a ``status`` list is given, append a message to it (never an exception).
    """
    revisions = validate_range(rev_range)
    if revisions == ["HEAD"] and not repo.has_commits():
        return
    # Merges diffed against their first parent (git >= 2.31); older git: "-m", whose extra per-parent
    # entries are blobs seen before and so dropped by the dedup below.
    merges = "--diff-merges=first-parent" if repo.version() >= (2, 31) else "-m"
    args = [
        "log", "--raw", "--no-renames", "-z", "--no-abbrev", "--reverse", merges,
        "--no-textconv", "--no-ext-diff", "--format=" + _HEADER + "%H %aI",
    ]
    if _is_subdirectory(repo):
        args.append("--relative")
    args += revisions
    args += ["--"]
    seen: set[str] = set()
    with repo.stream(args) as proc:
        if proc is None or proc.stdout is None:
            if status is not None:
                status.append("git log could not be started")
            return
        for blob in _parse_raw_log(_nul_tokens(proc.stdout)):
            if blob.blob_sha in seen:
                continue
            seen.add(blob.blob_sha)
            yield blob
        if proc.wait() != 0 and status is not None:
            status.append(f"git log failed for {' '.join(revisions)} (unknown revision, or the walk timed out); history may be incomplete")


def _is_subdirectory(repo: GitRepo) -> bool:
    return posixpath.normpath(repo.cwd.replace("\\", "/")) != posixpath.normpath(repo.toplevel.replace("\\", "/"))


def _nul_tokens(stream: IO[bytes], chunk_size: int = 1 << 16) -> Iterator[str]:
    """Split a byte stream on NUL without holding it all in memory."""
    read = stream.read
    pending = b""
    while True:
        chunk = read(chunk_size)
        if not chunk:
            break
        pending += chunk
        parts = pending.split(b"\0")
        pending = parts.pop()
        for part in parts:
            yield part.decode("utf-8", "surrogateescape")
    if pending:
        yield pending.decode("utf-8", "surrogateescape")


def _parse_raw_log(tokens: Iterator[str]) -> Iterator[HistoryBlob]:
    """State machine over ``git log --raw -z`` tokens: a header token (``\\x01<sha> <date>``, possibly
    after a newline), then per changed file a metadata token followed by exactly one path token."""
    commit = date = ""
    meta: re.Match[str] | None = None
    for token in tokens:
        if meta is not None:
            # This token is the path belonging to the metadata record before it.
            blob = _blob_from(meta, token, commit, date)
            meta = None
            if blob is not None:
                yield blob
            continue
        text = token.lstrip("\n")
        if text.startswith(_HEADER):
            sha, _, when = text[1:].strip().partition(" ")
            commit, date = sha, when.strip()
            continue
        match = _RAW_META.match(text)
        if match:
            meta = match


def _blob_from(meta: re.Match[str], path: str, commit: str, date: str) -> HistoryBlob | None:
    new_mode, new_sha, status = meta.group(2), meta.group(4), meta.group(5)
    if status not in ("A", "M", "T") or new_mode not in _REGULAR_FILE_MODES or _ZERO_SHA.match(new_sha):
        return None
    if not commit:
        return None
    return HistoryBlob(commit=commit, author_date=date, path=path, blob_sha=new_sha)


def blob_sizes(repo: GitRepo, shas: Iterable[str]) -> dict[str, int]:
    """Sizes of many blobs through one ``git cat-file --batch-check`` process."""
    shas = list(shas)
    sizes: dict[str, int] = {}
    if not shas:
        return sizes
    with repo.stream(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], stdin=True) as proc:
        if proc is None or proc.stdin is None or proc.stdout is None:
            return sizes
        writer = _feed(proc.stdin, shas)
        for raw in proc.stdout:
            parts = raw.decode("ascii", "replace").split()
            if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
                sizes[parts[0]] = int(parts[2])
        writer.join(timeout=5)
    return sizes


def read_blobs(repo: GitRepo, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """``(sha, content)`` for each blob, in order, through ONE ``git cat-file --batch`` process.

    Missing objects (a partial clone, a pruned object) are skipped. The shas are written by a
    thread so that neither side of the pipe can fill up and deadlock.
    """
    shas = list(shas)
    if not shas:
        return
    with repo.stream(["cat-file", "--batch"], stdin=True, timeout=STREAM_TIMEOUT) as proc:
        if proc is None or proc.stdin is None or proc.stdout is None:
            return
        writer = _feed(proc.stdin, shas)
        out = proc.stdout
        for _ in shas:
            header = out.readline()
            if not header:
                break
            parts = header.split()
            if len(parts) == 2 and parts[1] == b"missing":
                continue
            if len(parts) != 3 or not parts[2].isdigit():
                break  # protocol out of step: stop rather than misattribute content
            size = int(parts[2])
            data = out.read(size)
            out.read(1)  # the newline after each object
            if len(data) != size:
                break
            yield parts[0].decode("ascii"), data
        writer.join(timeout=5)


def _feed(stdin: object, shas: list[str]) -> threading.Thread:
    def run() -> None:
        try:
            for sha in shas:
                stdin.write(sha.encode("ascii") + b"\n")  # type: ignore[attr-defined]
            stdin.close()  # type: ignore[attr-defined]
        except (OSError, ValueError):
            pass  # the reader stopped early (timeout or protocol error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# Over-approximates a line on which OA101-OA103 could report: a credential word (including parts such as
# "passw", "auth", "key"), a token-like run of 16+ characters mixing letters and digits, a quoted or
# unquoted (dotenv, YAML) value of 8+ characters that is not an identifier, path, URL or template
# (secrets are rarely shorter; shorter ones are low confidence), or a PEM header.
_SECRET_WORDS = re.compile(
    r"secret|passw|pwd|token|key|auth|bearer|credential|private|cookie|session|signature|salt|"
    r"-----BEGIN|ak_live|sk_live|xox[abposr]-|gh[pousr]_|AKIA|eyJ",
    re.IGNORECASE,
)
_TOKENISH = re.compile(r"[A-Za-z0-9+/=_\-]{16,}")
_LITERAL = re.compile(r"""(["'`])([^\s"'`]{8,})\1""")
_UNQUOTED_VALUE = re.compile(r"""[=:][ \t]*([^\s"'#]{8,})[ \t]*$""")
_PLAIN_WORDS = re.compile(r"[a-z_.\-/]+")  # identifiers, dotted names, mime types, paths


def _secretish(value: str) -> bool:
    """Could this literal be a credential value (rather than a name, URL, path or template)?"""
    if any(c in value for c in "{}%<>$") or "://" in value or value.startswith(("/", "./", "../")):
        return False
    return not _PLAIN_WORDS.fullmatch(value)


def could_hold_secret(line: str) -> bool:
    """True when a secret rule could report on ``line`` (cheap; used to skip unchanged blobs)."""
    if _SECRET_WORDS.search(line):
        return True
    if any(_secretish(m.group(2)) for m in _LITERAL.finditer(line)):
        return True
    unquoted = _UNQUOTED_VALUE.search(line)
    if unquoted and _secretish(unquoted.group(1)):
        return True
    for match in _TOKENISH.finditer(line):
        run = match.group(0)
        if run.count("/") <= 2 and any(c.isdigit() for c in run) and any(c.isalpha() for c in run):
            return True
    return False


class _LineMemory:
    """Per path, the lines every earlier version had (as hashes, to bound memory)."""

    def __init__(self) -> None:
        self._seen: dict[str, set[int]] = {}

    def novel_lines(self, path: str, text: str) -> dict[int, str]:
        """Line number -> text of the lines no earlier version of ``path`` had."""
        seen = self._seen.setdefault(path, set())
        novel: dict[int, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            key = hash(line.strip())
            if key not in seen:
                seen.add(key)
                novel[number] = line
        return novel


_CONTEXT_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)


def reduce_python(text: str, lines: Iterable[int]) -> str | None:
    """``text`` with every top-level statement blanked out except imports, module-level assignments
    (context for qualified names and constants) and the statements containing ``lines``; line numbers
    are preserved. None when reducing would not pay (or the text does not parse with ``ast``).

    Why: most history blobs are a known file with a few new lines; parsing and visiting only the
    statements around the new lines gives the same findings on them at a fraction of the cost (a
    finding on an unchanged line is a duplicate anyway, see the module docstring).
    """
    wanted = set(lines)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    keep: set[int] = set()
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = getattr(node, "end_lineno", None) or node.lineno
        if isinstance(node, _CONTEXT_STATEMENTS) or any(start <= n <= end for n in wanted):
            keep.update(range(start, end + 1))
    source = text.splitlines(keepends=True)
    if len(keep) > 0.7 * len(source):
        return None
    return "".join(line if number in keep else "\n" for number, line in enumerate(source, start=1))


def _skippable_path(path: str) -> bool:
    return posixpath.splitext(path.lower())[1] in _SKIP_EXTENSIONS


def history_suffix(blob: HistoryBlob) -> str:
    return f" (in history: commit {blob.commit[:12]}, {blob.date})"


ROTATE_ADVICE = "; no longer in the working tree, but removing it does not un-leak it: rotate the secret"


def scan_history(
    repo: GitRepo,
    rev_range: str | None,
    analyze: Callable[[str, bytes], FileResult],
    *,
    working_tree_fingerprints: set[str] | None = None,
    max_blob_size: int = DEFAULT_MAX_BLOB_SIZE,
    path_filter: Callable[[str], bool] | None = None,
    honour_inline: bool = True,
    changed_lines_only: bool = True,
    jobs: int = 1,
) -> tuple[list[Finding], list[Note]]:
    """Analyse every blob introduced in ``rev_range`` once and return history findings and notes.

    ``analyze(path, data)`` is the per-file pipeline (``functools.partial(analyze_bytes,
    settings=..., rules=secret_rules)``). ``working_tree_fingerprints`` are the fingerprints of the
    current scan: a finding with one of them is already reported for the working tree and is skipped;
    when the set is given, every remaining finding is a secret that was removed (or changed) since,
    and its message says to rotate it. ``path_filter`` returns False for paths to skip (config
    ``exclude``). Inline suppressions in a historic blob are honoured when ``honour_inline``.
    ``changed_lines_only`` skips blobs none of whose new lines could hold a secret (module docstring).
    ``jobs`` > 1 analyses blobs in a process pool (``analyze`` must then be picklable, e.g. a
    ``functools.partial`` of a module-level function); results are still consumed oldest first.
    Raises ``HistoryError`` for an invalid range; git failures become notes.
    """
    validate_range(rev_range)  # fail fast, before any process starts
    notes: list[Note] = []
    if repo.is_shallow():
        notes.append(Note(path="", kind="history", message="history is shallow (a depth-limited clone): only the commits present were scanned; fetch the full history (e.g. fetch-depth: 0) to scan all of it"))
    blobs: dict[str, HistoryBlob] = {}
    skipped_large = 0
    problems: list[str] = []
    for blob in iter_history_blobs(repo, rev_range, problems):
        if _skippable_path(blob.path) or (path_filter is not None and not path_filter(blob.path)):
            continue
        blobs[blob.blob_sha] = blob
    sizes = blob_sizes(repo, blobs)
    wanted: list[str] = []
    for sha in blobs:
        size = sizes.get(sha)
        if size is None:
            continue
        if size > max_blob_size:
            skipped_large += 1
            continue
        wanted.append(sha)
    findings: list[Finding] = []
    seen = set(working_tree_fingerprints or ())
    removed = working_tree_fingerprints is not None
    candidates = _candidates(read_blobs(repo, wanted), blobs, changed_lines_only)
    for blob, result in _analysed(candidates, analyze, jobs):
        for finding in _kept(result, honour_inline):
            if finding.fingerprint in seen:
                continue
            seen.add(finding.fingerprint)
            findings.append(_as_history(finding, blob, removed=removed))
    scanned, unchanged = candidates.analysed, candidates.unchanged
    notes.extend(Note(path="", kind="history", message=problem) for problem in problems)
    if skipped_large:
        notes.append(Note(path="", kind="history", message=f"{skipped_large} historic blob(s) larger than {max_blob_size} bytes were not scanned"))
    notes.append(
        Note(
            path="",
            kind="history",
            message=f"history ({_describe(rev_range)}): analysed {scanned} distinct blob(s); {unchanged} more only changed lines that cannot hold a secret",
        )
    )
    return findings, notes


class _Candidates:
    """The blobs worth analysing, in history order; counts what it skipped."""

    def __init__(self, contents: Iterator[tuple[str, bytes]], blobs: dict[str, HistoryBlob], changed_lines_only: bool) -> None:
        self._contents = contents
        self._blobs = blobs
        self._changed_lines_only = changed_lines_only
        self._memory = _LineMemory()
        self.analysed = 0
        self.unchanged = 0

    def __iter__(self) -> Iterator[tuple[HistoryBlob, bytes]]:
        for sha, data in self._contents:
            if b"\0" in data[:8192]:
                continue  # binary
            blob = self._blobs[sha]
            if self._changed_lines_only:
                text = data.decode("utf-8", "replace")
                novel = self._memory.novel_lines(blob.path, text)
                interesting = [n for n, line in novel.items() if could_hold_secret(line)]
                if not interesting:
                    self.unchanged += 1
                    continue
                if blob.path.endswith((".py", ".pyi", ".pyw")) and len(novel) * 2 < text.count("\n") + 1:
                    reduced = reduce_python(text, interesting)
                    if reduced is not None:
                        data = reduced.encode("utf-8", "surrogateescape")
            self.analysed += 1
            yield blob, data


def _candidates(contents: Iterator[tuple[str, bytes]], blobs: dict[str, HistoryBlob], changed_lines_only: bool) -> _Candidates:
    return _Candidates(contents, blobs, changed_lines_only)


def _analysed(
    candidates: Iterable[tuple[HistoryBlob, bytes]],
    analyze: Callable[[str, bytes], FileResult],
    jobs: int,
    batch: int = 256,
) -> Iterator[tuple[HistoryBlob, FileResult]]:
    """``analyze`` over the candidates, in order; in a process pool when ``jobs`` > 1."""
    if jobs <= 1:
        for blob, data in candidates:
            yield blob, analyze(blob.path, data)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: list[tuple[HistoryBlob, bytes]] = []
        for item in candidates:
            pending.append(item)
            if len(pending) >= batch:
                yield from _map_batch(pool, analyze, pending)
                pending = []
        if pending:
            yield from _map_batch(pool, analyze, pending)


def _map_batch(pool: object, analyze: Callable[[str, bytes], FileResult], items: list[tuple[HistoryBlob, bytes]]) -> Iterator[tuple[HistoryBlob, FileResult]]:
    results = pool.map(analyze, [b.path for b, _ in items], [d for _, d in items], chunksize=max(1, len(items) // 32))  # type: ignore[attr-defined]
    for (blob, _data), result in zip(items, results, strict=True):
        yield blob, result


def _describe(rev_range: str | None) -> str:
    return "HEAD" if not rev_range or not rev_range.strip() else rev_range.strip()


def _kept(result: FileResult, honour_inline: bool) -> list[Finding]:
    if not honour_inline or not result.suppressions:
        return list(result.findings)
    from checker.suppress import apply_inline

    kept, _suppressed, _notes = apply_inline(result, frozenset())
    return kept


def _as_history(finding: Finding, blob: HistoryBlob, *, removed: bool) -> Finding:
    message = finding.message + history_suffix(blob) + (ROTATE_ADVICE if removed else "")
    properties = tuple((k, v) for k, v in finding.properties if k not in ("commit", "date", "history"))
    properties += (("commit", blob.commit[:12]), ("date", blob.date), ("history", "true"))
    return replace(finding, message=message, properties=properties)
