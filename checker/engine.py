"""Scan orchestration: discover -> map files (parallel, cached) -> reduce (project rules) ->
suppressions and baseline -> an immutable ``ScanResult``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from checker import __version__
from checker.cache import CACHE_DIR, ResultCache, content_hash, entry_key
from checker.catalog import rule_infos, save_snapshot, sources_key, use_snapshot
from checker.config import ConfigResolver, settings_hash
from checker.discovery import discover, relative
from checker.model import (
    Confidence,
    Fact,
    FileResult,
    Finding,
    Note,
    RotationEntry,
    ScanMetadata,
    ScanResult,
    ScanStats,
    Settings,
    Severity,
    SuppressedFinding,
)
from checker.pipeline import analyze_bytes, fingerprint, normalized_code
from checker.redact import redact_line
from checker.registry import all_rules, known_ids, matches_selector, split_by_kind
from checker.suppress import path_matches
from checker.rule import ProjectContext, Rule

# Below this many files the process pool costs more than it saves (pre-commit start-up matters).
PARALLEL_THRESHOLD = 64
CHUNK_SIZE = 16
CHUNK_BYTES = 64_000  # a chunk is one task: big enough to amortise pickling, small enough to balance
SECRET_RULES = ("OA101", "OA102", "OA103")


@dataclass(frozen=True)
class ScanOptions:
    paths: tuple[Path, ...] = (Path("."),)
    config: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)  # Settings fields set by CLI flags
    baseline: Path | None = None
    staged: bool = False
    history: str | None = None  # None: no history scan; "" all history; else a rev range
    now: dt.date | None = None
    jobs: int | None = None
    use_cache: bool = True
    verbose: Callable[[str], None] | None = None
    progress: Callable[[int], Any] | None = None  # factory: total -> context manager with .update(n)


def scan_root(paths: Iterable[Path]) -> Path:
    """The directory paths in output are relative to: the cwd when every path is under it, else
    the common parent of the paths."""
    cwd = Path.cwd().resolve()
    resolved = [(p if p.is_absolute() else cwd / p) for p in paths]
    resolved = [Path(os.path.normpath(p)) for p in resolved]
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    return Path(os.path.commonpath([str(d) for d in dirs]))


class _RuleSets:
    """Rules active under each distinct Settings object, computed once per settings."""

    def __init__(self) -> None:
        self._by_settings: dict[int, tuple[Settings, tuple[type[Rule], ...]]] = {}

    def for_settings(self, settings: Settings) -> tuple[type[Rule], ...]:
        hit = self._by_settings.get(id(settings))
        if hit is not None and hit[0] is settings:
            return hit[1]
        rules = tuple(r for r in all_rules() if matches_selector(r.id, settings.select) and not matches_selector(r.id, settings.ignore))
        self._by_settings[id(settings)] = (settings, rules)
        return rules


# --- worker side -------------------------------------------------------------------------------

_WORKER_SETTINGS: list[Settings] = []


def _init_worker(settings_list: list[Settings]) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings_list
    all_rules()  # import every rule module once per worker


# No configuration can make a single file bigger than this be read into memory.
HARD_FILE_SIZE_LIMIT = 64_000_000


def _analyze_path(path: Path, rel: str, settings: Settings, rules: tuple[type[Rule], ...]) -> tuple[FileResult, str]:
    limit = min(settings.max_file_size, HARD_FILE_SIZE_LIMIT)
    try:
        if path.stat().st_size > limit:
            note = Note(rel, "skipped-large", f"file is larger than {limit} bytes; not scanned")
            return FileResult(path=rel, kind="skipped", notes=(note,), skipped=True), ""
        data = path.read_bytes()
    except MemoryError:
        return _unreadable(rel, "not enough memory to read the file; not scanned"), ""
    except PermissionError:
        return _unreadable(rel, "permission denied; not scanned"), ""
    except FileNotFoundError:
        return _unreadable(rel, "file vanished during the scan; not scanned"), ""
    except IsADirectoryError:
        return _unreadable(rel, "is a directory; not scanned"), ""
    except OSError as exc:
        return _unreadable(rel, f"cannot read file ({exc.__class__.__name__}); not scanned"), ""
    settings = settings if settings.max_file_size <= limit else replace(settings, max_file_size=limit)
    return analyze_bytes(rel, data, settings, rules), content_hash(data)


def _unreadable(rel: str, message: str) -> FileResult:
    return FileResult(path=rel, kind="skipped", notes=(Note(rel, "unreadable", message),), skipped=True)


def _worker_chunk(chunk: list[tuple[str, str, int]]) -> list[tuple[str, FileResult, str]]:
    rulesets = _RuleSets()
    out = []
    for abs_path, rel, settings_index in chunk:
        settings = _WORKER_SETTINGS[settings_index]
        result, digest = _analyze_path(Path(abs_path), rel, settings, rulesets.for_settings(settings))
        out.append((rel, result, digest))
    return out


# --- main side ---------------------------------------------------------------------------------


@dataclass
class _Job:
    path: Path
    rel: str
    settings: Settings
    settings_hash: str
    stat: os.stat_result | None
    data: bytes | None = None  # content given up front (the staged blob for --staged)


def _map_files(jobs: list[_Job], cache: ResultCache, workers: int, progress: Callable[[int], Any] | None) -> tuple[list[FileResult], int]:
    """Analyse every file (cache first); returns results in input order and the cache-hit count."""
    results: dict[str, FileResult] = {}
    pending: list[_Job] = []
    for job in jobs:
        if job.data is not None:
            digest = content_hash(job.data)
            key = entry_key(__version__, job.settings_hash, job.rel, digest)
            given = cache.lookup_by_content(job.rel, key) or analyze_bytes(job.rel, job.data, job.settings, _RuleSets().for_settings(job.settings))
            results[job.rel] = given
            cache.store(job.rel, key, None, job.settings_hash, given)
            continue
        hit = cache.lookup_by_stat(job.rel, job.stat, job.settings_hash) if job.stat is not None else None
        if hit is not None:
            results[job.rel] = hit
        else:
            pending.append(job)
    hits = len(results)
    rulesets = _RuleSets()

    def record(job: _Job, result: FileResult, digest: str) -> None:
        results[job.rel] = result
        if digest and not any(n.kind == "unreadable" for n in result.notes):
            cache.store(job.rel, entry_key(__version__, job.settings_hash, job.rel, digest), job.stat, job.settings_hash, result)

    bar = progress(len(pending)) if progress is not None and pending else None
    with (bar if bar is not None else _NullBar()) as tick:
        if workers > 1 and len(pending) >= PARALLEL_THRESHOLD:
            for job, result, digest in _map_parallel(pending, workers):
                record(job, result, digest)
                tick.update(1)
        else:
            for job in pending:
                result, digest = _analyze_path(job.path, job.rel, job.settings, rulesets.for_settings(job.settings))
                record(job, result, digest)
                tick.update(1)
    return [results[job.rel] for job in jobs], hits - sum(1 for job in jobs if job.data is not None)


class _NullBar:
    def __enter__(self) -> "_NullBar":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _map_parallel(pending: list[_Job], workers: int) -> Iterator[tuple[_Job, FileResult, str]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # here: small (pre-commit) runs never need it

    settings_list: list[Settings] = []
    index_of: dict[int, int] = {}
    for job in pending:
        if id(job.settings) not in index_of:
            index_of[id(job.settings)] = len(settings_list)
            settings_list.append(job.settings)
    by_rel = {job.rel: job for job in pending}
    chunks = [[(str(j.path), j.rel, index_of[id(j.settings)]) for j in chunk] for chunk in _balanced_chunks(pending)]
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(settings_list,)) as pool:
        for batch in pool.map(_worker_chunk, chunks):
            for rel, result, digest in batch:
                yield by_rel[rel], result, digest


def _balanced_chunks(pending: list[_Job]) -> list[list[_Job]]:
    """Largest files first, in chunks of about ``CHUNK_BYTES`` (at most ``CHUNK_SIZE`` files).

    Analysis time grows with file size, and a large module that arrives last keeps one worker busy
    while the others idle; handing out the biggest files first and the small ones at the end (longest
    processing time first) evens the workers out. Results do not depend on the order."""
    ordered = sorted(pending, key=lambda job: -(job.stat.st_size if job.stat is not None else 0))
    chunks: list[list[_Job]] = []
    current: list[_Job] = []
    size = 0
    for job in ordered:
        current.append(job)
        size += job.stat.st_size if job.stat is not None else 0
        if size >= CHUNK_BYTES or len(current) >= CHUNK_SIZE:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _secret_location_facts(results: Iterable[FileResult]) -> list[Fact]:
    """Every committed secret becomes a fact so rotation (OA601) can date it."""
    facts = []
    for result in results:
        for f in result.findings:
            if f.rule in SECRET_RULES:
                facts.append(Fact(kind="secret-location", path=f.path, line=f.line, column=f.column, rule=f.rule,
                                  data={"rule": f.rule, "role": f.message, "fingerprint": f.fingerprint, "confidence": f.confidence.label}))
    return facts


def _line_of(root: Path, rel: str, line: int) -> str:
    try:
        with (root / rel).open("r", encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text.rstrip("\n")
    except OSError:
        return ""
    return ""


def _run_project_rules(
    root: Path,
    settings: Settings,
    now: dt.date,
    results: list[FileResult],
    git: Any,
    verbose: Callable[[str], None],
) -> tuple[list[Finding], list[Note], list[RotationEntry], set[str]]:
    if not any(info.group == "project" and _selected(info.id, settings) for info in rule_infos()):
        return [], [], [], set()
    rules = [r for r in split_by_kind(all_rules())["project"] if _selected(r.id, settings)]
    facts = tuple(f for r in results for f in r.facts) + tuple(_secret_location_facts(results))
    project = ProjectContext(
        root=str(root), settings=settings, now=now, facts=facts, files=tuple(r.path for r in results if not r.skipped), git=git, verbose=verbose
    )
    for rule in rules:
        try:
            rule().check(project)
        except Exception as exc:  # noqa: BLE001 - one broken project rule must not lose the scan
            project.note("rule-error", f"{rule.id} failed ({type(exc).__name__}); its findings are missing", rule=rule.id)
    findings = [_project_finding(root, settings, rule, path, raw) for rule, path, raw in project.reports]
    evaluated = set(project.evaluated)
    return findings, list(project.notes), list(project.rotation), evaluated


def _project_key(cache: ResultCache, jobs: list[_Job], settings: Settings, now: dt.date, git: Any) -> str | None:
    """What the project phase's output depends on, or None when it cannot be reused: every file's
    cached result (its entry key covers the tool version, the file's settings and its content),
    the project settings, the date (rotation is date-based), and git's HEAD and index (OA601 dates
    secrets with blame and log; whether a file is tracked or committed changes what they say)."""
    import hashlib

    digest = hashlib.sha256(f"{__version__}\x00{settings_hash(settings)}\x00{now.isoformat()}".encode())
    for job in jobs:
        key = cache.entry_key_of(job.rel)
        if key is None:
            return None  # a file without a cache entry (unreadable, vanished): run the phase
        digest.update(f"\x00{job.rel}\x00{key}".encode("utf-8", "surrogatepass"))
    if git is not None:
        digest.update(f"\x00{_safe(git, 'head_commit')}\x00{_safe(git, 'index_stamp')}".encode())
    return digest.hexdigest()


def _project_output_to_dict(findings: list[Finding], notes: list[Note], rotation: list[RotationEntry], evaluated: set[str]) -> dict[str, Any]:
    from checker.serialize import finding_to_dict, note_to_dict, rotation_to_dict

    return {
        "findings": [finding_to_dict(f) for f in findings],
        "notes": [note_to_dict(n) for n in notes],
        "rotation": [rotation_to_dict(r) for r in rotation],
        "evaluated": sorted(evaluated),
    }


def _project_output_from_dict(data: dict[str, Any]) -> tuple[list[Finding], list[Note], list[RotationEntry], set[str]]:
    from checker.serialize import finding_from_dict, note_from_dict, rotation_from_dict

    return (
        [finding_from_dict(f) for f in data["findings"]],
        [note_from_dict(n) for n in data["notes"]],
        [rotation_from_dict(r) for r in data["rotation"]],
        set(data["evaluated"]),
    )


def _project_finding(root: Path, settings: Settings, rule: type[Rule], path: str, raw: Any) -> Finding:
    from checker.filekinds import is_test_path

    props = dict(raw.properties)
    snippet = props.pop("snippet", None)
    source = _line_of(root, path, raw.line) if raw.line else ""
    if snippet is None:
        snippet = redact_line(source.strip(), raw.secrets, mask_literals=rule.family in ("secret", "rotation"))
    severity = settings.severity_for(rule.id, raw.severity if raw.severity is not None else rule.severity)
    if is_test_path(path) and severity > Severity.INFO:
        severity = severity.lowered()
    code = normalized_code(source, raw.secrets) or raw.message
    return Finding(
        rule=rule.id, name=rule.name, family=rule.family, severity=severity, path=path, line=raw.line, column=raw.column,
        end_line=raw.end_line, end_column=raw.end_column, message=raw.message, snippet=snippet,
        fingerprint=fingerprint(rule.id, path, code, 0), confidence=raw.confidence if raw.confidence is not None else rule.confidence,
        fix=raw.fix, properties=tuple(props.items()),
    )


def _git_repo(root: Path) -> Any:
    try:
        from checker.gitinfo import GitRepo
    except ImportError:
        return None
    try:
        return GitRepo.discover(str(root))
    except Exception:  # noqa: BLE001 - git problems mean "no history", never a crash
        return None


def _git_lister(git: Any) -> Callable[[Path], list[str] | None] | None:
    """Lists tracked + untracked-not-ignored files of a directory, relative to that directory."""
    if git is None:
        return None
    base = Path(git.cwd)

    def list_dir(directory: Path) -> list[str] | None:
        try:
            rel = os.path.relpath(directory, base)
            if rel.startswith(".."):
                return None
            listing = git.tracked_files(rel)
        except Exception:  # noqa: BLE001 - fall back to a directory walk
            return None
        out = []
        for name in listing:
            try:
                out.append((base / name).relative_to(directory).as_posix())
            except ValueError:
                continue
        return out

    return list_dir


def _staged_files(git: Any, paths: tuple[Path, ...]) -> list[Path]:
    if git is None:
        return []
    base = Path(git.cwd)
    staged = [Path(os.path.normpath(base / p)) for p in git.staged_files()]
    wanted = [Path(os.path.normpath(Path.cwd() / p)) for p in paths]
    return [p for p in staged if any(p == w or w in p.parents for w in wanted)]


def scan(options: ScanOptions) -> ScanResult:
    started = time.monotonic()
    started_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    now = options.now or dt.date.today()
    verbose = options.verbose or (lambda _msg: None)
    root = scan_root(options.paths)
    if options.use_cache:
        use_snapshot(root / CACHE_DIR)
    resolver = ConfigResolver(root, options.config, options.overrides)
    project_settings = resolver.project
    git = _git_repo(root)

    staged_content: dict[Path, bytes] = {}
    if options.staged:
        files = _staged_files(git, options.paths)
        notes: list[Note] = [] if git is not None else [Note("", "config", "--staged needs a git repository; nothing scanned")]
        for path in files:
            # What the commit will contain, not the working-tree copy (which may differ).
            blob = git.staged_blob(os.path.relpath(path, git.cwd))
            if blob is not None:
                staged_content[path] = blob
        discovered_files = [f for f in files if f in staged_content or f.is_file()]
    else:
        discovered = discover(list(options.paths), root, resolver.for_file, _git_lister(git))
        discovered_files, notes = discovered.files, list(discovered.notes)

    hashes: dict[int, str] = {}
    jobs: list[_Job] = []
    for path in discovered_files:
        settings = resolver.for_file(path)
        digest = hashes.setdefault(id(settings), settings_hash(settings))
        try:
            stat = path.stat()
        except OSError:
            stat = None
        jobs.append(_Job(path=path, rel=relative(path, root), settings=settings, settings_hash=digest, stat=stat, data=staged_content.get(path)))

    notes.extend(_disabled_rule_notes(project_settings, [job.settings for job in jobs]))
    project_settings = _with_all_inventories(project_settings, [job.settings for job in jobs])
    # The rule sources' fingerprint is part of the cache's version: results of edited rules are
    # never reused (a stat of every rule file, about a millisecond).
    cache = ResultCache(root, f"{__version__}+{sources_key()}" if options.use_cache else __version__, enabled=options.use_cache)
    workers = options.jobs or os.cpu_count() or 1
    results, cache_hits = _map_files(jobs, cache, workers, options.progress)

    project_key = _project_key(cache, jobs, project_settings, now, git) if options.verbose is None else None
    cached_project = cache.lookup_project(project_key) if project_key is not None else None
    if cached_project is not None:
        project_findings, project_notes, rotation, evaluated = _project_output_from_dict(cached_project)
    else:
        project_findings, project_notes, rotation, evaluated = _run_project_rules(root, project_settings, now, results, git, verbose)
        if project_key is not None:
            cache.store_project(project_key, _project_output_to_dict(project_findings, project_notes, rotation, evaluated))
    cache.save()
    if cache.enabled:
        save_snapshot(cache.directory)

    findings: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    ids = known_ids()
    from checker.suppress import apply_config, apply_inline

    extra_by_path: dict[str, list[Finding]] = {}
    for f in project_findings:
        extra_by_path.setdefault(f.path, []).append(f)
    for result in results:
        merged = replace(result, findings=result.findings + tuple(extra_by_path.pop(result.path, ())))
        kept, quiet, sup_notes = apply_inline(merged, ids)
        findings.extend(kept)
        suppressed.extend(quiet)
        notes.extend(result.notes)
        notes.extend(sup_notes)
    for leftovers in extra_by_path.values():  # project findings in files that were not scanned
        findings.extend(leftovers)
    notes.extend(project_notes)

    settings_by_rel = {job.rel: job.settings for job in jobs}
    findings, quiet = apply_config(findings, lambda rel: settings_by_rel.get(rel, project_settings))
    suppressed.extend(quiet)

    if options.history is not None:
        working = {f.fingerprint for f in findings} | {s.finding.fingerprint for s in suppressed}
        history_findings, history_notes = _scan_history(git, options.history, project_settings, working, workers)
        findings.extend(history_findings)
        notes.extend(history_notes)

    if options.baseline is not None:
        from checker.baseline import apply_baseline, load_baseline

        findings, quiet = apply_baseline(findings, load_baseline(options.baseline))
        suppressed.extend(quiet)

    strict = project_settings.strict
    findings = [f for f in findings if strict or f.confidence > Confidence.LOW]
    findings.sort(key=lambda f: f.sort_key)
    suppressed.sort(key=lambda s: s.finding.sort_key)
    notes.sort(key=lambda n: (n.path, n.line or 0, n.kind))

    families = set(evaluated)
    for result in results:
        families.update(result.families)
    skipped = sum(1 for r in results if r.skipped)
    stats = ScanStats(
        files_seen=len(jobs),
        files_scanned=len(results) - skipped,
        files_parsed=sum(1 for r in results if r.parsed),
        files_skipped=skipped + sum(1 for n in notes if n.kind in ("skipped-symlink",)),
        files_cached=cache_hits,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    infos = rule_infos()
    selected = tuple(i.id for i in infos if _selected(i.id, project_settings))
    metadata = ScanMetadata(
        tool_version=__version__,
        root=_display_root(root),
        started_at=started_at.isoformat().replace("+00:00", "Z"),
        now=now.isoformat(),
        config_hash=settings_hash(project_settings),
        commit=_safe(git, "head_commit"),
        branch=_safe(git, "branch"),
        paths=tuple(relative(Path(os.path.normpath(Path.cwd() / p)), root) or "." for p in options.paths),
        selected_rules=selected,
        disabled_rules=tuple(i.id for i in infos if i.id not in selected),
        fail_on=project_settings.fail_on,
        strict=strict,
        history=options.history,
    )
    return ScanResult(
        metadata=metadata,
        rules=tuple(i.meta for i in infos),
        findings=tuple(findings),
        suppressed=tuple(suppressed),
        notes=tuple(notes),
        stats=stats,
        rotation=tuple(rotation),
        evaluated_families=tuple(sorted(families)),
    )


def _disabled_rule_notes(project: Settings, per_file: list[Settings]) -> list[Note]:
    """A package config that turns rules off is said out loud: config in the scanned tree is
    untrusted, and disabling checks silently is what an attacker would want."""
    notes = []
    ids = sorted(known_ids())
    project_off = {rule_id for rule_id in ids if not _selected(rule_id, project)}
    for settings in {id(s): s for s in per_file}.values():
        if settings is project or settings.source == project.source:
            continue
        off = [rule_id for rule_id in ids if not _selected(rule_id, settings) and rule_id not in project_off]
        if off:
            notes.append(Note(settings.source or "", "config", f"this config disables {', '.join(off)} for the files it governs"))
    return notes


def _selected(rule_id: str, settings: Settings) -> bool:
    return matches_selector(rule_id, settings.select) and not matches_selector(rule_id, settings.ignore)


def _with_all_inventories(project: Settings, per_file: list[Settings]) -> Settings:
    """Project rules see the root config, plus the secret inventories of every package config, so
    a monorepo scanned from its root dates the same secrets as each package scanned alone."""
    merged = list(project.secrets)
    for settings in {id(s): s for s in per_file}.values():
        merged.extend(e for e in settings.secrets if e not in merged)
    return replace(project, secrets=tuple(merged)) if len(merged) != len(project.secrets) else project


def _display_root(root: Path) -> str:
    cwd = Path.cwd().resolve()
    if root == cwd:
        return "."
    try:
        return root.relative_to(cwd).as_posix()
    except ValueError:
        return root.as_posix()


def _safe(git: Any, method: str) -> str | None:
    if git is None or not hasattr(git, method):
        return None
    try:
        return getattr(git, method)()
    except Exception:  # noqa: BLE001
        return None


def _scan_history(
    git: Any, rev_range: str, settings: Settings, working: set[str], jobs: int
) -> tuple[list[Finding], list[Note]]:
    if git is None:
        return [], [Note("", "history", "--history needs a git repository; history not scanned")]
    from checker.history import scan_history

    secret_rules = tuple(r for r in all_rules() if r.id in SECRET_RULES and matches_selector(r.id, settings.select) and not matches_selector(r.id, settings.ignore))
    if not secret_rules:
        return [], [Note("", "history", "no secret rule (OA101–OA103) selected; history not scanned")]
    analyze = functools.partial(analyze_bytes, settings=settings, rules=secret_rules)

    def keep(path: str) -> bool:
        return not any(path_matches(path, pattern) for pattern in settings.exclude)

    return scan_history(git, rev_range or None, analyze, working_tree_fingerprints=working, path_filter=keep, jobs=jobs)
