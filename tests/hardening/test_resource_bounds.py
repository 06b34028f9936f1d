"""Resource bounds: a per-file size limit, a per-file time budget that really abandons a pathological
file, and bounded memory for a large corpus and for a gigantic (sparse) file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from checker.model import FileResult, Settings
from checker.pipeline import analyze_bytes
from checker.pyrule import PythonRule
from checker.registry import all_rules
from checker.rule import ConfigRule, FileContext, TextRule
from tests.hardening import strategies as S
from tests.hardening.helpers import REPO_ROOT, scan_tree, write_tree

RULES = all_rules()
HAS_BUDGET = hasattr(Settings(), "time_budget_seconds")
NO_BUDGET = "the per-file time budget (Settings.time_budget_seconds + a 'timeout' note) is not in checker/pipeline.py yet"


def budget(seconds: float) -> Settings:
    assert HAS_BUDGET, NO_BUDGET
    return replace(Settings(), time_budget_seconds=seconds)


# --- size limit ------------------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_skipped_with_a_note() -> None:
    result = analyze_bytes("app/big.py", b"x = 1\n" * 1000, replace(Settings(), max_file_size=1000), RULES)
    assert result.skipped and [n.kind for n in result.notes] == ["skipped-large"]


def test_gigantic_single_line_file_is_skipped_quickly(tmp_path: Path) -> None:
    line = b'client_secret = "' + b"A1b2" * (5 * 1024 * 1024 // 4) + b'"'  # 5 MB, one line
    write_tree(tmp_path, {"huge.py": line, "huge.json": b'{"k": "' + line[:5_000_000] + b'"}', "ok.py": "x = 1\n"})
    started = time.monotonic()
    result = scan_tree(tmp_path)
    assert time.monotonic() - started < 10
    kinds = {(n.path, n.kind) for n in result.notes}
    assert ("huge.py", "skipped-large") in kinds and ("huge.json", "skipped-large") in kinds


def test_one_long_line_under_the_limit_is_analysed_within_the_budget(tmp_path: Path) -> None:
    """1.5 MB on one line (a minified bundle): analysed or abandoned, but never for long."""
    body = ("var a=" + "{" * 50 + '"client_secret":"Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6",' * 30_000 + "}" * 50 + ";").encode()
    started = time.monotonic()
    result = analyze_bytes("static/app.min.js", body, budget(5.0), RULES)
    assert isinstance(result, FileResult)
    assert time.monotonic() - started < 8


# --- time budget ------------------------------------------------------------------------------------------


class SlowPython(PythonRule):
    """Spins on every module (deliberately slow; never registered)."""

    id = "OA971"
    name = "slow-python"
    family = "log"
    summary = "spins"
    triggers = ("slowdown",)

    def leave_Module(self, original_node: cst.Module) -> None:
        while True:
            sum(range(1000))


class SlowConfig(ConfigRule):
    id = "OA972"
    name = "slow-config"
    family = "secret"
    summary = "spins"

    def check(self, doc: Any, ctx: FileContext) -> None:
        while True:
            sum(range(1000))


class SlowText(TextRule):
    id = "OA973"
    name = "slow-text"
    family = "secret"
    summary = "spins"

    def check(self, ctx: FileContext) -> None:
        deadline = time.monotonic() + 60  # CPU-bound: the budget counts CPU time (ITIMER_VIRTUAL)
        while time.monotonic() < deadline:
            sum(range(1000))


class SwallowingSlowRule(PythonRule):
    """Catches every Exception around its slow loop: the budget must still win."""

    id = "OA974"
    name = "swallowing-slow"
    family = "log"
    summary = "spins inside try/except Exception"

    def leave_Module(self, original_node: cst.Module) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                sum(range(1000))
            except Exception:  # noqa: BLE001 - this is the point of the test
                pass


@pytest.mark.parametrize(
    ("rule", "path", "body"),
    [
        (SlowPython, "app/x.py", b"import requests\nx = 1  # slowdown\n"),
        (SwallowingSlowRule, "app/x.py", b"x = 1\n"),
        (SlowConfig, ".env", b"CLIENT_SECRET=x\n"),
        (SlowText, "notes.txt", b"hello\n"),
    ],
    ids=["python", "swallowing", "config", "text"],
)
def test_slow_rule_is_abandoned_with_a_timeout_note(rule: type, path: str, body: bytes) -> None:
    started = time.monotonic()
    result = analyze_bytes(path, body, budget(1.0), (rule,))
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the 1 s budget did not stop {rule.__name__} ({elapsed:.1f} s)"
    assert [n.kind for n in result.notes] == ["timeout"], result.notes
    assert result.notes[0].path == path


def test_budget_applies_during_a_full_scan_and_the_other_files_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.engine as engine

    write_tree(tmp_path, {"slow.py": "import requests\nx = 1  # slowdown\n", "settings.py": 'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"\n', "pyproject.toml": "[tool.credlint]\nfile-time-budget = 1\n"})
    real = engine.all_rules()
    monkeypatch.setattr(engine, "all_rules", lambda: real + (SlowPython,))
    started = time.monotonic()
    result = scan_tree(tmp_path)
    assert time.monotonic() - started < 10
    assert ("slow.py", "timeout") in {(n.path, n.kind) for n in result.notes}
    assert "OA101" in {f.rule for f in result.findings if f.path == "settings.py"}


def test_budget_leaves_signal_handlers_and_timers_as_it_found_them() -> None:
    import signal

    def handler(*_: object) -> None:
        return None

    saved = {sig: signal.signal(sig, handler) for sig in (signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF)}
    try:
        analyze_bytes("app/x.py", b"import requests\nx = 1\n", budget(5.0), RULES)
        analyze_bytes("app/y.py", b"x = 1  # slowdown\n", budget(0.001), (SlowPython,))  # one that expires
        for sig in saved:
            assert signal.getsignal(sig) is handler, f"{sig!r} handler not restored"
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            assert signal.getitimer(timer) == (0.0, 0.0), f"timer {timer} left running"
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)


# --- pathological Python: the budget cannot interrupt libcst's native parser ------------------------------------

# Each is legal Python of a few KB to ~100 KB that libcst's (native, uninterruptible) parser takes 5–60 s
# to parse: nesting and operator chains make it super-linear. With a 2 s budget each file must end in
# about 2 s; today the SIGALRM fires only after the parse returns.
PATHOLOGICAL = {
    "concat-3000": "CLIENT_SECRET = " + " + ".join(["'ab'"] * 3000),
    "fstring-concat-3000": "import requests\nrequests.post(" + " + ".join(["f'http://{host}/token'"] * 3000) + ")",
    "names-concat-4000": "import logging\nlogging.info(" + " + ".join(["access_token"] * 4000) + ")",
    "calls-800": "import requests\n" + "requests.post(" * 800 + "'http://x/token'" + ")" * 800,
    "lists-1000": "token = " + "[" * 1000 + "]" * 1000,
    "dicts-800": "payload = " + '{"client_secret": ' * 800 + "1" + "}" * 800,
}

_CHILD = textwrap.dedent(
    """
    import json, sys, time
    from dataclasses import replace
    from checker.model import Settings
    from checker.pipeline import analyze_bytes
    from checker.registry import all_rules
    rules = all_rules()
    settings = replace(Settings(), time_budget_seconds=2.0)
    analyze_bytes("warm.py", b"import requests\\n", settings, rules)
    for name, source in json.loads(sys.stdin.read()).items():
        started = time.monotonic()
        result = analyze_bytes("app/" + name + ".py", (source + "\\n").encode(), settings, rules)
        print(json.dumps({"name": name, "seconds": round(time.monotonic() - started, 2), "notes": [n.kind for n in result.notes]}), flush=True)
    """
)


def test_pathological_python_is_abandoned_within_the_budget() -> None:
    """All shapes in one child process under a hard wall-clock limit (a hang must not hang the suite)."""
    limit = 2.5 * len(PATHOLOGICAL)
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD], cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        out, err = proc.communicate(json.dumps(PATHOLOGICAL), timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    done = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    slow = [d for d in done if d["seconds"] > 2.5]
    missing = [name for name in PATHOLOGICAL if name not in {d["name"] for d in done}]
    assert not missing and not slow, (
        f"pathological Python not abandoned within the 2 s budget: unfinished after {limit:g} s: {missing}; slow: {slow}. "
        "libcst's native parser cannot be interrupted by SIGALRM; screen nesting depth before parsing."
    )


@settings(max_examples=40, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=S.python_programs)
def test_small_generated_programs_are_analysed_quickly(source: str) -> None:
    """No rule may be super-linear on a few hundred bytes (a 'timeout' note on such a file is a bug).
    No shrinking phase: a slow example costs the whole budget on each shrink step."""
    result = analyze_bytes("app/client.py", source.encode("utf-8", "surrogatepass"), budget(3.0), RULES)
    assert not [n for n in result.notes if n.kind == "timeout"], f"{len(source)}-byte program hit the 3 s budget:\n{source}"


# --- memory ---------------------------------------------------------------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import json, resource, runpy, sys
    sys.argv = ["credlint"] + sys.argv[1:]
    code = 0
    try:
        runpy.run_module("checker.cli", run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    usage = {"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "exit": code}
    print("RUSAGE " + json.dumps(usage), file=sys.stderr)
    """
)


def measure_scan(root: Path, *args: str, timeout: float = 120) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, "check", "--no-cache", "--format", "json", "-o", str(root.parent / f"{root.name}.json"), *args, "."],
        cwd=root, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    line = next((line for line in proc.stderr.splitlines() if line.startswith("RUSAGE ")), None)
    assert line is not None, proc.stderr[-2000:]
    usage = json.loads(line[len("RUSAGE ") :])
    usage["report"] = json.loads((root.parent / f"{root.name}.json").read_text(encoding="utf-8")) if usage["exit"] in (0, 1) else None
    usage["stderr"] = proc.stderr
    return usage


def _corpus(root: Path) -> int:
    """~50 MB: 12 × 3 MB files over the size limit, 14 × 1 MB logs, YAML/JSON configs and small Python
    modules that all rules read (≥ 64 files, so the process pool is used)."""
    import random

    rng = random.Random(50)
    words = "alpha beta gamma delta service handler request response payload record value index module config".split()
    total = 0
    for i in range(12):
        data = ("\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(3 * 12_000))).encode()
        (root / f"dump{i}.log").write_bytes(data)
        total += len(data)
    for i in range(14):
        data = ("\n".join(f"{i}-{j} " + " ".join(rng.choice(words) for _ in range(11)) for j in range(13_000))).encode()
        (root / "logs").mkdir(exist_ok=True)
        (root / "logs" / f"app{i}.txt").write_bytes(data)
        total += len(data)
    module = textwrap.dedent(
        '''
        import logging
        import requests

        log = logging.getLogger(__name__)
        TOKEN_URL = "https://auth.example.com/oauth/token"


        def fetch_{n}(client_id, client_secret):
            resp = requests.post(TOKEN_URL, data={{"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}}, timeout=10)
            return resp.json()["access_token"]
        '''
    )
    for i in range(40):
        (root / "pkg").mkdir(exist_ok=True)
        data = "".join(module.format(n=k) for k in range(3)).encode()
        (root / "pkg" / f"mod{i}.py").write_bytes(data)
        total += len(data)
    for i in range(12):
        (root / "deploy").mkdir(exist_ok=True)
        data = ("services:\n" + "".join(f"  svc{k}:\n    image: app:{k}\n    environment:\n      - TOKEN_URL=https://auth.example.com/oauth/token\n" for k in range(1500))).encode()
        (root / "deploy" / f"compose{i}.yml").write_bytes(data)
        total += len(data)
    return total


def test_scanning_a_50_mb_corpus_keeps_memory_bounded(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    size = _corpus(root)
    assert size > 50_000_000
    usage = measure_scan(root, "-j", "2")
    peak_mb = max(usage["self_kb"], usage["children_kb"]) / 1024
    assert usage["report"] is not None, usage["stderr"][-2000:]
    assert usage["report"]["scan"]["files_scanned"] >= 64
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB while scanning {size / 1e6:.0f} MB"


def test_gigantic_sparse_file_is_not_read_into_memory(tmp_path: Path) -> None:
    """A 600 MB file (sparse: no disk used) must be skipped by its size, not read whole and then skipped."""
    root = tmp_path / "repo"
    root.mkdir()
    with open(root / "blob.json", "wb") as handle:
        handle.truncate(600 * 1024 * 1024)
    (root / "app.py").write_text("x = 1\n", encoding="utf-8")
    usage = measure_scan(root, "-j", "1")
    peak_mb = max(usage["self_kb"], usage["children_kb"]) / 1024
    assert usage["report"] is not None, usage["stderr"][-2000:]
    assert any(n["path"] == "blob.json" and n["kind"].startswith("skipped") for n in usage["report"]["notes"])
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB: the 600 MB file was read into memory before the size check"
