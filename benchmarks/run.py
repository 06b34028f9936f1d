"""Benchmark credlint against bandit and detect-secrets (issue 7).

    python benchmarks/run.py                      # full run (< ~10 min on 2 cores once targets hold)
    python benchmarks/run.py --quick              # smaller corpora, 1 repeat: a few minutes
    python benchmarks/run.py --cases stdlib,dense --repeat 5
    python benchmarks/run.py --profile            # cProfile of credlint in-process, and the prefilter's hit rates
    python benchmarks/run.py --report benchmarks/.work/results.json   # re-print a saved run

Every tool runs as a child process on the same corpus, in the same run, interleaved (the order rotates
each repeat so that no tool always runs on a warmer machine). Wall time is ``time.perf_counter`` around
the child; CPU time and peak RSS come from ``os.wait4`` (RSS is the largest single process of the
child's tree, workers included once they are reaped). Medians are reported, with ratios
credlint / bandit and credlint / detect-secrets, a Markdown table for ``benchmarks/README.md`` and
PASS/MISS lines for the targets of issue 7. Results go to ``benchmarks/.work/results.json``.

Exit status: 1 when a tool failed (unexpected exit code, traceback, timeout), else 0 - a missed target
is reported, not a failure. See ``benchmarks/README.md`` for how to read the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import corpora  # noqa: E402  (a sibling module; benchmarks/ is not a package)
from corpora import Corpus, PrecommitCase, tool_path  # noqa: E402

CASES = ("stdlib", "packages", "dense", "precommit", "history", "cached", "scaling")
COMPARE_TOOLS = ("credlint", "bandit", "detect-secrets")
PRECOMMIT_TOOLS = ("credlint", "bandit", "detect-secrets-hook")  # the column order of the table
RESULTS = corpora.WORK_DIR / "results.json"

# Exit codes that mean "ran fine" (1 = findings for the linters; 3 = detect-secrets-hook updated its baseline).
OK_CODES = {"credlint": {0, 1}, "bandit": {0, 1}, "detect-secrets": {0}, "detect-secrets-hook": {0, 1, 3}}


@dataclass(frozen=True)
class Sizes:
    stdlib_files: int
    dense_files: int
    packages_files: int | None  # None: every file of the packages
    history_commits: int
    repeat: int
    precommit_repeat: int


FULL = Sizes(stdlib_files=400, dense_files=400, packages_files=None, history_commits=5000, repeat=3, precommit_repeat=7)
QUICK = Sizes(stdlib_files=100, dense_files=120, packages_files=80, history_commits=500, repeat=1, precommit_repeat=3)


# --- measuring one child process -------------------------------------------------------------------


@dataclass
class Measurement:
    case: str
    variant: str  # "cold", "cached", "j1", "25%", "history", ...
    tool: str
    repeat: int
    wall_s: float
    cpu_s: float
    max_rss_mb: float
    returncode: int
    ok: bool
    command: list[str]
    stderr_tail: str = ""
    files_reported: int | None = None  # credlint's own count of files scanned (skipped ones excluded)
    findings: int | None = None  # credlint's finding count (a sanity check that rules ran)
    problems: list[str] = field(default_factory=list)  # credlint notes: skipped files, rule errors, timeouts


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)  # the group of the child we started (start_new_session)
    except (ProcessLookupError, PermissionError):
        pass


def run_child(cmd: Sequence[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> tuple[int, float, float, float, str]:
    """(exit code or -9 on timeout, wall s, cpu s, peak RSS MB, stderr) of one run of ``cmd``."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            _kill_group(proc.pid)
            os.waitpid(proc.pid, 0)
            proc.returncode = -9
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return proc.returncode, wall, cpu, rss_mb, text


CREDLINT_REPORT = corpora.WORK_DIR / "credlint-last.json"
# credlint note kinds worth surfacing: a file not (fully) analysed, or a rule that crashed on a file
PROBLEM_NOTES = ("parse-error", "skipped-binary", "skipped-large", "skipped-encoding", "unreadable", "rule-error", "timeout", "analysis")


def _credlint_report() -> tuple[int | None, int | None, list[str]]:
    """(files scanned, findings, problem notes) from the JSON report of the last credlint run."""
    try:
        data = json.loads(CREDLINT_REPORT.read_text(encoding="utf-8"))
        CREDLINT_REPORT.unlink()
    except (OSError, ValueError):
        return None, None, []
    problems = [f"{n.get('kind')}: {n.get('path')}: {n.get('message')}" for n in data.get("notes", []) if n.get("kind") in PROBLEM_NOTES]
    return data.get("scan", {}).get("files_scanned"), data.get("summary", {}).get("total"), problems


class Runner:
    def __init__(self, timeout: float, log: Callable[[str], None]) -> None:
        self.timeout = timeout
        self.log = log
        self.measurements: list[Measurement] = []
        self.env = _tool_env()

    def run(self, case: str, variant: str, tool: str, cmd: Sequence[str], cwd: Path, repeat: int, record: bool = True) -> Measurement:
        code, wall, cpu, rss, stderr = run_child(cmd, cwd, self.timeout, self.env)
        ok = code in OK_CODES[tool] and "Traceback (most recent call last)" not in stderr
        files, findings, problems = _credlint_report() if tool == "credlint" else (None, None, [])
        m = Measurement(case, variant, tool, repeat, round(wall, 4), round(cpu, 3), round(rss, 1), code, ok, list(cmd),
                        "" if ok else _tail(stderr), files, findings, problems)
        tag = "" if ok else f"   FAILED (exit {code}{', timeout' if code == -9 else ''})"
        if ok and findings is not None:
            tag = f"  {findings} findings"
        self.log(f"  {case:<10} {variant:<8} {tool:<20} #{repeat}  {wall:8.2f} s  cpu {cpu:7.2f} s  {rss:7.1f} MB{tag}")
        if not ok:
            for line in _tail(stderr).splitlines():
                self.log(f"      | {line}")
        if record:
            self.measurements.append(m)
        return m

    @property
    def failures(self) -> list[Measurement]:
        return [m for m in self.measurements if not m.ok]


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


PYCACHE = corpora.WORK_DIR / "pycache"


def _tool_env() -> dict[str, str]:
    """The children's environment. Bytecode is always cached, in one prefix for every tool: an
    installed tool has .pyc files (pip compiles on install), but an editable credlint under
    PYTHONDONTWRITEBYTECODE=1 would recompile its ~350 modules on every run (about 1 s of a pre-commit
    run). The prefix keeps those files out of the source tree."""
    env = dict(os.environ, NO_COLOR="1", PYTHONWARNINGS="ignore", PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not _has_credlint_script():  # fall back to ``python -m checker.cli`` from the checkout
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _has_credlint_script() -> bool:
    path = tool_path("credlint")
    return os.path.isabs(path) and os.access(path, os.X_OK)


def credlint_base() -> list[str]:
    return [tool_path("credlint")] if _has_credlint_script() else [sys.executable, "-m", "checker.cli"]


# --- tool command lines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    jobs: int
    select: str | None

    def credlint(self, paths: Sequence[str], jobs: int | None = None, cache: bool = False, history: bool = False) -> list[str]:
        # The JSON report goes to a file rather than /dev/null (same rendering cost) so that the run can
        # check what credlint saw: files scanned, findings, skipped files and rule errors.
        cmd = [*credlint_base(), "check", *paths, "--format", "json", "-o", str(CREDLINT_REPORT), "-q", "-j", str(jobs or self.jobs)]
        if not cache:
            cmd.append("--no-cache")
        if history:
            cmd.append("--history")
        if self.select:
            cmd += ["--select", self.select]
        return cmd

    @staticmethod
    def bandit(paths: Sequence[str]) -> list[str]:
        return [tool_path("bandit"), "-r", *paths, "-f", "json", "-o", os.devnull, "-q"]

    @staticmethod
    def detect_secrets(paths: Sequence[str]) -> list[str]:
        # In a repository ``scan DIR`` reads the git-tracked files (the corpora are repositories with
        # everything committed); ``--all-files`` would also walk .git/. The baseline goes to stdout.
        return [tool_path("detect-secrets"), "scan", *paths]

    @staticmethod
    def detect_secrets_hook(files: Sequence[str], baseline: Path) -> list[str]:
        # what detect-secrets' own pre-commit hook entry runs: detect-secrets-hook --baseline FILE <files>
        return [tool_path("detect-secrets-hook"), "--baseline", str(baseline), *files]

    def compare(self, paths: Sequence[str]) -> dict[str, list[str]]:
        return {"credlint": self.credlint(paths), "bandit": self.bandit(paths), "detect-secrets": self.detect_secrets(paths)}


def rotated(items: Sequence[str], shift: int) -> list[str]:
    shift %= len(items)
    return list(items[shift:]) + list(items[:shift])


# --- the cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One command of an interleaved group: what to run, where, and how to label it."""

    variant: str
    tool: str
    command: list[str]
    cwd: Path
    expected_files: int


@dataclass
class Bench:
    runner: Runner
    tools: Tools
    sizes: Sizes
    log: Callable[[str], None]
    corpora: dict[str, Corpus] = field(default_factory=dict)
    precommit: PrecommitCase | None = None
    notes: list[str] = field(default_factory=list)

    def interleaved(self, case: str, jobs: list[Job], repeat: int) -> None:
        """Every job once per round, in an order rotated each round, so that load drifts on a shared
        machine hit all of them alike; things compared with each other are always in one group."""
        for r in range(1, repeat + 1):
            for job in rotated(jobs, r - 1):
                m = self.runner.run(case, job.variant, job.tool, job.command, job.cwd, r)
                self._check_file_count(m, job.expected_files)

    def _check_file_count(self, m: Measurement, expected: int) -> None:
        """Say so when credlint did not analyse every file it was given, and why (its own notes)."""
        if m.tool != "credlint" or not m.ok:
            return
        if m.files_reported is not None and m.files_reported != expected:
            self._note(f"{m.case}/{m.variant}: credlint reports {m.files_reported} files scanned of {expected} given")
        for problem in m.problems:
            self._note(f"{m.case}/{m.variant}: credlint {problem}")

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)
            self.log(f"  note: {note}")

    def compare_case(self, case: str, corpus: Corpus) -> None:
        self.log(f"\n== ({'abc'[('stdlib', 'packages', 'dense').index(case)]}) {corpus.description}: "
                 f"{len(corpus.files)} files, {corpus.lines:,} lines")
        jobs = [Job("cold", tool, cmd, corpus.root, len(corpus.files)) for tool, cmd in self.tools.compare(["."]).items()]
        self.interleaved(case, jobs, self.sizes.repeat)

    def precommit_case(self, case: PrecommitCase) -> None:
        files = list(case.files)
        py_files = [f for f in files if f.endswith(".py")]
        self.log(f"\n== (d) pre-commit: {len(files)} changed files of the dense project ({', '.join(files)})")
        root = case.corpus.root
        jobs = [
            Job("cold", "credlint", self.tools.credlint(files), root, len(files)),
            Job("cold", "detect-secrets-hook", self.tools.detect_secrets_hook(files, case.baseline), root, len(files)),
            Job("cold", "bandit", self.tools.bandit(py_files), root, len(py_files)),  # reference: bandit reads Python only
        ]
        # one untimed run each: start-up is measured with warm OS caches and compiled .pyc files
        for job in jobs:
            self.runner.run("precommit", "warm-up", job.tool, job.command, root, 0, record=False)
        self.interleaved("precommit", jobs, self.sizes.precommit_repeat)

    def cached_case(self, name: str) -> None:
        """Unchanged re-runs with the cache on, against the cold runs of the same corpus (a 20x
        target, so the small drift between the two groups does not matter)."""
        corpus = self.corpora[name]
        cache_dir = corpus.root / ".credlint_cache"
        self.log(f"\n== cached re-run, {name}: a warm-up run fills .credlint_cache/, then unchanged re-runs")
        shutil.rmtree(cache_dir, ignore_errors=True)
        try:
            if not self._has("cold", name):
                self.interleaved(name, [Job("cold", "credlint", self.tools.credlint(["."]), corpus.root, len(corpus.files))], self.sizes.repeat)
            cached = self.tools.credlint(["."], cache=True)
            warm = self.runner.run(name, "warm-up", "credlint", cached, corpus.root, 0, record=False)
            if not warm.ok:
                self.runner.measurements.append(warm)
                return
            self.interleaved(name, [Job("cached", "credlint", cached, corpus.root, len(corpus.files))], self.sizes.repeat)
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)  # never let the cache leak into other cases

    def jobs_case(self, name: str) -> None:
        """-j 1 against -j N, interleaved (on a shared machine the comparison is only fair in one group)."""
        corpus = self.corpora[name]
        n = self.tools.jobs
        self.log(f"\n== scaling with workers, {name}: -j 1 against -j {n}")
        if n < 2:
            self.log("  skipped: one worker (--jobs 1 or one CPU)")
            return
        jobs = [Job(f"j{n}", "credlint", self.tools.credlint(["."], jobs=n), corpus.root, len(corpus.files)),
                Job("j1", "credlint", self.tools.credlint(["."], jobs=1), corpus.root, len(corpus.files))]
        self.interleaved(name, jobs, self.sizes.repeat)

    def size_case(self) -> None:
        """25%, 50% and 100% of the stdlib corpus (nested samples), interleaved."""
        base = self.corpora["stdlib"]
        self.log(f"\n== scaling with corpus size: 25% / 50% / 100% of the stdlib corpus ({len(base.files)} files)")
        jobs = []
        for percent in (25, 50, 100):
            subset = corpora.build_subset(base, percent, log=self.log) if percent < 100 else base
            self.corpora[f"stdlib-{percent}"] = subset
            jobs.append(Job(f"{percent}%", "credlint", self.tools.credlint(["."]), subset.root, len(subset.files)))
        # The peak is one process's largest moment: the syntax tree of the biggest file it parsed. That
        # file alone is the floor "flat memory" is judged against (holding trees would grow past it).
        largest = max((f for f in base.files if f.endswith(".py")), key=lambda f: (base.root / f).stat().st_size, default=None)
        if largest is not None:
            jobs.append(Job("largest", "credlint", self.tools.credlint([largest]), base.root, 1))
        self.interleaved("stdlib", jobs, self.sizes.repeat)

    def history_case(self, corpus: Corpus) -> None:
        commits = corpus.params.get("commits")
        self.log(f"\n== (e) history: {corpus.description}; working tree {len(corpus.files)} files")
        self.runner.run("history", "tree", "credlint", self.tools.credlint(["."]), corpus.root, 1)
        self.runner.run("history", "history", "credlint", self.tools.credlint(["."], history=True), corpus.root, 1)
        self.log(f"  ({commits} commits; one run each: the history scan is long and its cost is dominated by git)")

    def _has(self, variant: str, case: str) -> bool:
        return any(m.case == case and m.variant == variant and m.tool == "credlint" and m.ok for m in self.runner.measurements)


# --- summarising -------------------------------------------------------------------------------------


def medians(measurements: Iterable[Measurement]) -> dict[tuple[str, str, str], dict[str, float]]:
    groups: dict[tuple[str, str, str], list[Measurement]] = {}
    for m in measurements:
        if m.ok:
            groups.setdefault((m.case, m.variant, m.tool), []).append(m)
    return {
        key: {"wall_s": statistics.median(x.wall_s for x in ms), "cpu_s": statistics.median(x.cpu_s for x in ms),
              "max_rss_mb": max(x.max_rss_mb for x in ms), "runs": len(ms), "min_wall_s": min(x.wall_s for x in ms),
              "max_wall_s": max(x.wall_s for x in ms)}
        for key, ms in groups.items()
    }


@dataclass
class Target:
    name: str
    value: float | None
    limit: str
    passed: bool | None  # None: not measured in this run
    shown: str = ""

    @property
    def verdict(self) -> str:
        return "N/A" if self.passed is None else "PASS" if self.passed else "MISS"


def _wall(med: dict, case: str, variant: str, tool: str) -> float | None:
    entry = med.get((case, variant, tool))
    return entry["wall_s"] if entry else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def evaluate_targets(med: dict, lines: dict[str, int], jobs: int) -> list[Target]:
    """The targets of issue 7, from the medians of this run (N/A when a case was not run)."""
    out: list[Target] = []

    def ratio_target(name: str, value: float | None, limit: float) -> None:
        out.append(Target(name, value, f"<= {limit:g}", None if value is None else value <= limit, "" if value is None else f"{value:.3f}"))

    cred = lambda case, variant="cold": _wall(med, case, variant, "credlint")  # noqa: E731
    ratio_target("stdlib cold: credlint / bandit", _ratio(cred("stdlib"), _wall(med, "stdlib", "cold", "bandit")), 0.3)
    ratio_target("stdlib cold: credlint / detect-secrets", _ratio(cred("stdlib"), _wall(med, "stdlib", "cold", "detect-secrets")), 0.2)
    ratio_target("dense cold: credlint / bandit", _ratio(cred("dense"), _wall(med, "dense", "cold", "bandit")), 1.0)
    for case in ("stdlib", "dense"):
        ratio_target(f"{case} cached re-run / cold", _ratio(cred(case, "cached"), cred(case)), 0.05)
    pre = cred("precommit")
    out.append(Target("pre-commit (5 files): credlint wall", pre, "< 0.5 s", None if pre is None else pre < 0.5, "" if pre is None else f"{pre:.3f} s"))
    ratio_target("pre-commit: credlint / detect-secrets-hook", _ratio(pre, _wall(med, "precommit", "cold", "detect-secrets-hook")), 0.5)
    rss = med.get(("stdlib", "cold", "credlint"), {}).get("max_rss_mb")
    out.append(Target("stdlib: credlint peak RSS", rss, "< 500 MB", None if rss is None else rss < 500, "" if rss is None else f"{rss:.0f} MB"))
    small, half, full = (med.get(("stdlib", f"{p}%", "credlint")) for p in (25, 50, 100))
    largest = med.get(("stdlib", "largest", "credlint"))
    floor = max(small["max_rss_mb"], largest["max_rss_mb"] if largest else 0) if small else None
    growth = full["max_rss_mb"] / floor if floor and full else None
    out.append(Target("memory flat: peak RSS at 100% / max(25%, largest file alone) of stdlib", growth, "<= 1.25 (files x4)",
                      None if growth is None else growth <= 1.25, "" if growth is None else f"{growth:.2f}"))
    linear = None
    if half and full and lines.get("stdlib-50") and lines.get("stdlib-100"):
        linear = (full["wall_s"] / lines["stdlib-100"]) / (half["wall_s"] / lines["stdlib-50"])
    out.append(Target("linear: time per line at 100% / at 50% of stdlib", linear, "<= 1.25",
                      None if linear is None else linear <= 1.25, "" if linear is None else f"{linear:.2f}"))
    for case in ("stdlib", "dense"):
        speedup = _ratio(cred(case, "j1"), cred(case, f"j{jobs}"))
        want = 0.8 * jobs
        out.append(Target(f"{case}: speed-up -j {jobs} over -j 1", speedup, f">= {want:.1f}",
                          None if speedup is None or jobs < 2 else speedup >= want, "" if speedup is None else f"{speedup:.2f}x"))
    return out


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def _fmt_r(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"  # 0.051 must not print as 0.05 next to a MISS


def _cpu(med: dict, case: str, variant: str, tool: str) -> str:
    entry = med.get((case, variant, tool))
    return "-" if not entry or "cpu_s" not in entry else f"{entry['cpu_s']:.1f}"


def _rss(med: dict, case: str, variant: str, tool: str) -> str:
    entry = med.get((case, variant, tool))
    return "-" if not entry else f"{entry['max_rss_mb']:.0f}"


def markdown(meta: dict, med: dict, built: dict[str, dict], targets: list[Target]) -> str:
    title = "Preliminary figures" if meta.get("preliminary") else "Latest figures"
    lines = [
        f"**{title}** - {meta['date']}, {meta['machine']['summary']}; {meta['tool_versions_line']}; "
        f"{meta['mode']} run, medians of {meta['repeat']} (pre-commit: {meta['precommit_repeat']}); "
        f"credlint with -j {meta['jobs']}, detect-secrets with its default process pool, bandit single-process.",
        "",
        "| case | files | lines | credlint | bandit | detect-secrets | credlint / bandit | credlint / detect-secrets | CPU s (credlint / bandit / detect-secrets) | peak RSS MB (credlint / bandit / detect-secrets) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    labels = {"stdlib": "(a) standard library, cold", "packages": "(b) OAuth packages, cold", "dense": "(c) OAuth-dense project, cold"}
    for case, label in labels.items():
        if (case, "cold", "credlint") not in med and (case, "cold", "bandit") not in med:
            continue
        c, b, d = (_wall(med, case, "cold", t) for t in COMPARE_TOOLS)
        info = built.get(case, {})
        lines.append(f"| {label} | {info.get('files', '-')} | {info.get('lines', 0):,} | {_fmt_s(c)} | {_fmt_s(b)} | {_fmt_s(d)} | "
                     f"{_fmt_r(_ratio(c, b))} | {_fmt_r(_ratio(c, d))} | {' / '.join(_cpu(med, case, 'cold', t) for t in COMPARE_TOOLS)} | "
                     f"{' / '.join(_rss(med, case, 'cold', t) for t in COMPARE_TOOLS)} |")
    if ("precommit", "cold", "credlint") in med:
        c = _wall(med, "precommit", "cold", "credlint")
        b = _wall(med, "precommit", "cold", "bandit")
        d = _wall(med, "precommit", "cold", "detect-secrets-hook")
        lines.append(f"| (d) pre-commit, 5 files (vs detect-secrets-hook; bandit on the .py files) | 5 | - | {_fmt_s(c)} | {_fmt_s(b)} | "
                     f"{_fmt_s(d)} | {_fmt_r(_ratio(c, b))} | {_fmt_r(_ratio(c, d))} | "
                     f"{' / '.join(_cpu(med, 'precommit', 'cold', t) for t in PRECOMMIT_TOOLS)} | "
                     f"{' / '.join(_rss(med, 'precommit', 'cold', t) for t in PRECOMMIT_TOOLS)} |")
    lines += ["", "| credlint only | value | target | verdict |", "| --- | ---: | --- | --- |"]
    for case in ("stdlib", "dense"):
        cold, cached = _wall(med, case, "cold", "credlint"), _wall(med, case, "cached", "credlint")
        if cached is not None:
            lines.append(f"| cached re-run, {case}: {_fmt_s(cached)} vs cold {_fmt_s(cold)} | {_fmt_r(_ratio(cached, cold))} | <= 0.05 | "
                         f"{_verdict(targets, f'{case} cached re-run / cold')} |")
    for case in ("stdlib", "dense"):
        jobs = meta["jobs"]
        j1, jn = _wall(med, case, "j1", "credlint"), _wall(med, case, f"j{jobs}", "credlint")
        if j1 is not None:
            verdict = _verdict(targets, f"{case}: speed-up -j {jobs} over -j 1")
            lines.append(f"| workers, {case}: -j 1 {_fmt_s(j1)}, -j {jobs} {_fmt_s(jn)} | {_fmt_r(_ratio(j1, jn))}x | "
                         f">= {0.8 * jobs:.1f}x | {verdict} |")
    sizes = [(p, med.get(("stdlib", f"{p}%", "credlint")), built.get(f"stdlib-{p}", {})) for p in (25, 50, 100)]
    if sizes[0][1] and sizes[1][1]:
        per = " / ".join(f"{e['wall_s'] / max(1, i.get('lines', 1)) * 1e6:.0f}" if e else "-" for _, e, i in sizes)
        rss = " / ".join(f"{e['max_rss_mb']:.0f}" if e else "-" for _, e, _ in sizes)
        walls = " / ".join(_fmt_s(e["wall_s"]) if e else "-" for _, e, _ in sizes)
        linear = _target(targets, "linear: time per line at 100% / at 50% of stdlib")
        flat = _target(targets, "memory flat: peak RSS at 100% / max(25%, largest file alone) of stdlib")
        alone = med.get(("stdlib", "largest", "credlint"))
        lines.append(f"| size, stdlib 25% / 50% / 100%: wall {walls}; us per line {per} | {linear.shown or '-'} (100% / 50% per line) | "
                     f"<= 1.25 | {linear.verdict} |")
        largest_rss = f"{alone['max_rss_mb']:.0f}" if alone else "-"
        lines.append(f"| memory, stdlib 25% / 50% / 100%: peak RSS MB {rss}; largest file alone {largest_rss} | {flat.shown or '-'} "
                     f"(100% / max(25%, largest)) | <= 1.25 | {flat.verdict} |")
    if ("stdlib", "cold", "credlint") in med:
        lines.append(f"| peak RSS, stdlib cold | {_rss(med, 'stdlib', 'cold', 'credlint')} MB | < 500 MB | {_verdict(targets, 'stdlib: credlint peak RSS')} |")
    if ("precommit", "cold", "credlint") in med:
        lines.append(f"| pre-commit wall, 5 files | {_fmt_s(_wall(med, 'precommit', 'cold', 'credlint'))} | < 0.5 s | "
                     f"{_verdict(targets, 'pre-commit (5 files): credlint wall')} |")
    tree, hist = _wall(med, "history", "tree", "credlint"), _wall(med, "history", "history", "credlint")
    if hist is not None:
        commits = built.get("history", {}).get("params", {}).get("commits", "?")
        lines.append(f"| (e) --history, {commits} commits (working tree alone {_fmt_s(tree)}) | {_fmt_s(hist)} | - | - |")
    return "\n".join(lines)


def _target(targets: list[Target], name: str) -> Target:
    return next((t for t in targets if t.name == name), Target(name, None, "", None))


def _verdict(targets: list[Target], name: str) -> str:
    return _target(targets, name).verdict


# --- machine and versions ------------------------------------------------------------------------------


def machine_info() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    summary = f"{platform.machine()}, {nproc} CPUs{f' ({cpu})' if cpu else ''}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    return {"nproc": nproc, "machine": platform.machine(), "cpu": cpu, "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "load_at_start": [round(x, 2) for x in load], "summary": summary}


def tool_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str] = {}
    for dist in ("credlint", "bandit", "detect-secrets", "libcst"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "?"
    if out["credlint"] == "?":
        done = subprocess.run([*credlint_base(), "--version"], capture_output=True, text=True, env=_tool_env())
        out["credlint"] = done.stdout.strip().split()[-1] if done.returncode == 0 and done.stdout.strip() else "?"
    return out


def ensure_tools(install: bool, log: Callable[[str], None]) -> list[str]:
    """Problems that stop the run (missing tools); installs bandit/detect-secrets when allowed."""
    missing = [name for name in ("bandit", "detect-secrets", "detect-secrets-hook") if not shutil.which(tool_path(name))]
    if missing and install:
        log(f"installing the comparison tools ({', '.join(missing)}) from benchmarks/requirements.txt ...")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(BENCH_DIR / "requirements.txt")], check=True)
        missing = [name for name in missing if not shutil.which(tool_path(name))]
    problems = [f"{name} not found (pip install -r benchmarks/requirements.txt)" for name in missing]
    check = subprocess.run([*credlint_base(), "--version"], capture_output=True, text=True, env=_tool_env())
    if check.returncode != 0:
        problems.append(f"credlint does not start: {_tail(check.stderr, 5)} (pip install -e {REPO})")
    return problems


# --- profiling -----------------------------------------------------------------------------------------


_LABEL = re.compile(rb"[^a-z0-9]{0,3}[a-z_]{0,20}")


def _trigger_label(matched: bytes) -> str:
    """The word a trigger matched on (``token``, ``"http``), never what follows it: a match can run
    into a string literal or a URL's password, which a report must not print."""
    label = _LABEL.match(matched)
    return label.group(0).decode("ascii", "replace") if label else ""


def prefilter_report(corpus: Corpus, log: Callable[[str], None], top: int = 12) -> None:
    """How many Python files the byte prefilters let through to libcst, per rule (Python rules'
    triggers and project rules' fact triggers) and per matched trigger text. "alone" counts files
    that only this rule lets through: tightening its triggers would spare exactly those parses."""
    sys.path.insert(0, str(REPO))
    from checker.filekinds import classify
    from checker.pipeline import _fact_triggered, fact_pattern
    from checker.registry import all_rules
    from checker.rule import ConfigRule, ProjectRule, TextRule
    from checker.triggers import TriggerPattern

    def parses(rule: type) -> bool:
        if issubclass(rule, ProjectRule):
            return hasattr(rule, "file_facts") and "python" in getattr(rule, "fact_kinds", ("python",))
        return "python" in rule.kinds and not issubclass(rule, (ConfigRule, TextRule))

    rules = [r for r in all_rules() if parses(r)]

    def pattern(rule: type) -> "TriggerPattern | None":
        return fact_pattern(rule) if issubclass(rule, ProjectRule) else rule.trigger_pattern()

    def passes(rule: type, lowered: bytes) -> bool:
        return _fact_triggered(rule, lowered) if issubclass(rule, ProjectRule) else rule.triggered_by(lowered, lowered)

    total = reach = lines = 0
    per_rule: dict[str, int] = {r.id: 0 for r in rules}
    alone: dict[str, int] = {r.id: 0 for r in rules}
    per_text: dict[str, int] = {}
    for rel in corpus.files:
        data = (corpus.root / rel).read_bytes()
        if classify(rel, data[:256]) != "python":
            continue
        total += 1
        data = data.lower()  # trigger patterns search lowered bytes
        hits = [r for r in rules if passes(r, data)]
        if hits:
            reach += 1
            lines += data.count(b"\n")
        for rule in hits:
            per_rule[rule.id] += 1
            found = pattern(rule)
            for text in {_trigger_label(m.group(0)) for m in found.finditer(data)} if found else ():
                per_text[text] = per_text.get(text, 0) + 1
        if len(hits) == 1:
            alone[hits[0].id] += 1
    always = [r.id for r in rules if pattern(r) is None]
    log(f"\n  prefilter on {corpus.name}: {reach} of {total} Python files ({lines:,} lines) reach libcst"
        + (f" (rules without triggers run on every file: {', '.join(always)})" if always else ""))
    log("  files let through per rule (alone): " + ", ".join(f"{rid} {n} ({alone[rid]})" for rid, n in per_rule.items()))
    busiest = sorted(per_text.items(), key=lambda kv: -kv[1])[:top]
    log("  trigger matches in most files: " + ", ".join(f"{w!r} {n}" for w, n in busiest))


def profile(targets: list[tuple[str, Corpus, tuple[str, ...]]], select: str | None, log: Callable[[str], None], top: int = 25) -> None:
    """credlint in-process under cProfile (-j 1), top entries by cumulative and own time.
    ``targets`` are (label, corpus, paths inside it); the first scan also pays credlint's lazy imports.
    A label ending in "-cached" profiles an unchanged re-run: an unprofiled scan fills the cache first."""
    import cProfile
    import io
    import pstats

    sys.path.insert(0, str(REPO))
    sys.dont_write_bytecode = False  # as for the child processes (see _tool_env): profile analysis, not compilation
    sys.pycache_prefix = str(PYCACHE)
    from checker.engine import ScanOptions, scan

    out_dir = corpora.WORK_DIR / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    overrides = {"select": tuple(s.strip().upper() for s in select.split(",") if s.strip())} if select else {}
    for label, corpus, paths in targets:
        cached = label.endswith("-cached")
        log(f"\n== profile {label}: credlint on {corpus.description} ({len(paths) if paths != ('.',) else len(corpus.files)} files), "
            f"in-process, -j 1, {'unchanged re-run with the cache on' if cached else 'no cache'}")
        if paths == (".",) and not cached:
            prefilter_report(corpus, log)
        cwd = os.getcwd()
        os.chdir(corpus.root)  # the scan root (and the paths in results) follow the working directory
        profiler = cProfile.Profile()
        options = ScanOptions(paths=tuple(Path(p) for p in paths), use_cache=cached, jobs=1, overrides=overrides)
        try:
            if cached:
                shutil.rmtree(corpus.root / ".credlint_cache", ignore_errors=True)
                scan(options)
            start = time.perf_counter()
            profiler.enable()
            result = scan(options)
            profiler.disable()
            wall = time.perf_counter() - start
        finally:
            os.chdir(cwd)
            shutil.rmtree(corpus.root / ".credlint_cache", ignore_errors=True)
        stats = result.stats
        log(f"  {wall:.2f} s under the profiler; files seen {stats.files_seen}, parsed {stats.files_parsed}, "
            f"skipped {stats.files_skipped}, from cache {stats.files_cached}, findings {len(result.findings)}")
        skipped = [n for n in result.notes if n.kind in ("timeout", "skipped-large", "skipped-encoding", "skipped-binary", "analysis")]
        for note in skipped[:10]:
            log(f"  skipped: {note.path}: {note.message}")
        dump = out_dir / f"{label}.prof"
        profiler.dump_stats(str(dump))
        for key, count in (("cumulative", top), ("tottime", 15)):
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(key).print_stats(count)
            text = buffer.getvalue()
            body = text[text.find("   ncalls"):] if "   ncalls" in text else text
            log(f"\n  top {count} by {key} time:\n{body.rstrip()}")
        log(f"\n  full profile: {dump} (python -m pstats {dump}; or snakeviz)")


# --- main ----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Cases: " + ", ".join(CASES) + ". See benchmarks/README.md.")
    parser.add_argument("--quick", action="store_true", help="smaller corpora and one repeat (a few minutes on 2 cores)")
    parser.add_argument("--repeat", type=int, help="timed runs per tool and case (default 3; --quick 1)")
    parser.add_argument("--cases", help=f"comma-separated subset of {','.join(CASES)} (default: all)")
    parser.add_argument("--profile", action="store_true", help="cProfile credlint in-process on the pre-commit files, the stdlib "
                        "and the dense corpus, and a cached re-run of the dense corpus "
                        "(alone unless --cases is also given)")
    parser.add_argument("--jobs", "-j", type=int, help="credlint worker processes (default: CPUs available)")
    parser.add_argument("--select", metavar="IDS", help="run credlint with --select IDS (e.g. while some rules are unfinished)")
    parser.add_argument("--stdlib-files", type=int, help="size of corpus (a) (default 400; --quick 100)")
    parser.add_argument("--dense-files", type=int, help="size of corpus (c) (default 400; --quick 120)")
    parser.add_argument("--history-commits", type=int, help="commits in corpus (e) (default 5000; --quick 500)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before one tool run is killed (default 900)")
    parser.add_argument("--no-install", action="store_true", help="never pip-install missing tools or OAuth packages")
    parser.add_argument("--preliminary", action="store_true", help="label the Markdown table as preliminary figures")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results file (default {RESULTS.relative_to(REPO)})")
    parser.add_argument("--report", type=Path, metavar="RESULTS_JSON", help="run nothing: re-print the table and targets of a "
                        "saved results file (with --preliminary: relabel it)")
    args = parser.parse_args(argv)
    if args.cases:
        wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in CASES]
        if unknown:
            parser.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
        args.case_list = wanted
    else:
        args.case_list = [] if args.profile else list(CASES)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def sizes_from(args: argparse.Namespace) -> Sizes:
    base = QUICK if args.quick else FULL
    repeat = args.repeat or base.repeat
    return Sizes(
        stdlib_files=args.stdlib_files or base.stdlib_files,
        dense_files=args.dense_files or base.dense_files,
        packages_files=base.packages_files,
        history_commits=args.history_commits or base.history_commits,
        repeat=repeat,
        precommit_repeat=max(base.precommit_repeat, repeat),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log: Callable[[str], None] = lambda text: print(text, flush=True)  # noqa: E731
    if args.report is not None:
        data = json.loads(args.report.read_text(encoding="utf-8"))
        data["meta"]["preliminary"] = data["meta"].get("preliminary") or args.preliminary
        report(data, log, None)
        return 0
    sizes = sizes_from(args)
    cases = args.case_list
    started = time.perf_counter()
    meta_machine = machine_info()
    jobs = args.jobs or int(meta_machine["nproc"])  # type: ignore[arg-type]
    problems = ensure_tools(not args.no_install, log) if cases else []
    if problems:
        for p in problems:
            log(f"error: {p}")
        return 1
    versions = tool_versions()
    log(f"credlint benchmark - {meta_machine['summary']}; " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    load = meta_machine["load_at_start"][0]  # type: ignore[index]
    if load > 0.5 * int(meta_machine["nproc"]):  # type: ignore[arg-type]
        log(f"warning: load average {load} at start - the machine is busy; absolute times are inflated, "
            "ratios (tools interleaved in the same run) stay comparable")

    runner = Runner(args.timeout, log)
    tools = Tools(jobs=jobs, select=args.select)
    bench = Bench(runner, tools, sizes, log)
    needs = set(cases)
    if needs & {"stdlib", "cached", "scaling"} or args.profile:
        bench.corpora["stdlib"] = corpora.build_stdlib(sizes.stdlib_files, log=log)
    if needs & {"dense", "precommit", "cached", "scaling"} or args.profile:
        bench.corpora["dense"] = corpora.build_dense(sizes.dense_files, log=log)
    if "packages" in needs:
        missing = corpora.missing_packages()
        if missing and not args.no_install:
            corpora.install_packages(missing, log=log)
            missing = corpora.missing_packages()
        if missing:
            bench.notes.append(f"packages case skipped: {', '.join(missing)} not installed")
            log(f"case packages skipped: {', '.join(missing)} not installed (run without --no-install)")
        else:
            bench.corpora["packages"] = corpora.build_packages(sizes.packages_files, log=log)
    history = corpora.build_history(sizes.history_commits, log=log) if "history" in needs else None
    if history is not None:
        bench.corpora["history"] = history
    elif "history" in needs:
        bench.notes.append("history case skipped: benchmarks/make_history_repo.py missing")

    try:
        if "precommit" in needs:
            bench.precommit = corpora.build_precommit(bench.corpora["dense"], log=log)
            bench.precommit_case(bench.precommit)
        for case in ("stdlib", "packages", "dense"):
            if case in needs and case in bench.corpora:
                bench.compare_case(case, bench.corpora[case])
        if "cached" in needs:
            for name in ("stdlib", "dense"):
                bench.cached_case(name)
        if "scaling" in needs:
            for name in ("stdlib", "dense"):
                bench.jobs_case(name)
            bench.size_case()
        if history is not None:
            bench.history_case(history)
    except KeyboardInterrupt:
        log("\ninterrupted; summarising what was measured")

    if args.profile:
        dense = bench.corpora["dense"]
        profile([("precommit", dense, corpora.precommit_files(dense)), ("stdlib", bench.corpora["stdlib"], (".",)),
                 ("dense", dense, (".",)), ("dense-cached", dense, (".",))], args.select, log)

    if not cases:
        return 0
    meta = {
        "date": dt.date.today().isoformat(), "machine": meta_machine, "versions": versions,
        "tool_versions_line": ", ".join(f"{k} {v}" for k, v in versions.items() if k != "libcst") + f" (libcst {versions['libcst']})",
        "mode": "quick" if args.quick else "full", "repeat": sizes.repeat, "precommit_repeat": sizes.precommit_repeat, "jobs": jobs,
        "select": args.select, "cases": cases, "preliminary": args.preliminary,
        "load_at_end": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "duration_s": round(time.perf_counter() - started, 1),
    }
    built = {name: c.summary() for name, c in bench.corpora.items()}
    data = {"meta": meta, "corpora": built, "sizes": asdict(sizes), "measurements": [asdict(m) for m in runner.measurements],
            "notes": bench.notes}
    report(data, log, args.output)
    return 1 if runner.failures else 0


def report(data: dict, log: Callable[[str], None], output: Path | None) -> None:
    """Medians, targets and the Markdown table from the raw measurements in ``data``; written back
    to ``output`` (also used by --report to re-render a saved results file)."""
    measurements = [Measurement(**m) for m in data["measurements"]]
    meta, built = data["meta"], data["corpora"]
    med = medians(measurements)
    targets = evaluate_targets(med, {name: int(c["lines"]) for name, c in built.items()}, int(meta["jobs"]))
    table = markdown(meta, med, built, targets)
    log("\n== Markdown for benchmarks/README.md\n")
    log(table)
    log("\n== targets (issue 7)")
    for t in targets:
        log(f"{t.verdict:<4}  {t.name}: {t.shown or '-'} (target {t.limit})")
    for note in data.get("notes", []):
        log(f"note: {note}")
    for m in measurements:
        if not m.ok:
            log(f"FAILED: {m.tool} on {m.case}/{m.variant} exited {m.returncode}: {' '.join(m.command)}")
    data = dict(data, medians=[{"case": c, "variant": v, "tool": t, **vals} for (c, v, t), vals in sorted(med.items())],
                targets=[asdict(t) | {"verdict": t.verdict} for t in targets], markdown=table)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, indent=1), encoding="utf-8")
        log(f"\nresults: {output}" + (f" ({meta['duration_s']} s in all)" if meta.get("duration_s") else ""))

if __name__ == "__main__":
    raise SystemExit(main())
