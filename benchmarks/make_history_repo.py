"""Generate a git repository with a long, backdated history (for ``credlint check --history``).

    python benchmarks/make_history_repo.py /tmp/history-repo            # 5,000 commits
    python benchmarks/make_history_repo.py /tmp/h --commits 500 --seed 7

The repository looks like a small client-credentials service that evolved over years: a few dozen
Python modules, YAML/dotenv/JSON config and docs; each commit edits one to four files (a changed
constant, a new log line, a new function, a config tweak), some add new files. Every
``--leak-every`` commits a client secret (a fresh random value) is committed to a config file and
removed again a few commits later, so a history scan has known answers: the script prints them as
JSON (``--answers FILE``) with the commit, path and date of each leak.

Speed: one ``git fast-import`` process writes everything (no working tree, no per-commit process);
5,000 commits take a few seconds. Dates are backdated one commit every ~6 hours from 2021-01-04.
Git runs with ``GIT_CONFIG_GLOBAL``/``GIT_CONFIG_NOSYSTEM`` isolation, so the user's config is not read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
from dataclasses import dataclass, field

START_EPOCH = 1609750800  # 2021-01-04T09:00:00Z
STEP_SECONDS = 6 * 3600
_AUTHORS = (("Ada Lovelace", "ada@example.test"), ("Grace Hopper", "grace@example.test"), ("Alan Turing", "alan@example.test"))

_MODULE_TEMPLATE = '''"""{title} for the statements service."""

from __future__ import annotations

import logging
import os

import requests

logger = logging.getLogger(__name__)

API_BASE = os.environ.get("API_BASE", "https://api.example.test")
TIMEOUT_SECONDS = {timeout}
PAGE_SIZE = {page}


def fetch_{name}(session: requests.Session, account_id: str) -> list[dict]:
    """Fetch {name} for one account, page by page."""
    url = f"{{API_BASE}}/v1/accounts/{{account_id}}/{name}"
    items: list[dict] = []
    params = {{"limit": PAGE_SIZE}}
    while url:
        response = session.get(url, params=params, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        body = response.json()
        items.extend(body.get("data", []))
        url = body.get("next")
    logger.info("fetched %d {name}", len(items))
    return items
'''

_CONFIG_TEMPLATE = """service:
  name: statements-{name}
  replicas: {replicas}
  log_level: info
  api_base: https://api.example.test
  timeout_seconds: {timeout}
schedule: "0 {hour} * * *"
"""

_LEAK_TARGETS = ("config/settings.py", "deploy/.env", "deploy/values.yaml")


@dataclass
class FileState:
    path: str
    lines: list[str]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Leak:
    commit_index: int
    path: str
    date: str
    removed_at: int | None = None
    mark: int = 0
    commit: str = ""


@dataclass
class Generator:
    rng: random.Random
    files: dict[str, FileState] = field(default_factory=dict)
    counter: int = 0

    def new_module(self) -> FileState:
        self.counter += 1
        name = f"{self.rng.choice(['payments', 'accounts', 'balances', 'statements', 'transfers', 'webhooks'])}_{self.counter}"
        text = _MODULE_TEMPLATE.format(title=name.replace("_", " ").title(), name=name, timeout=self.rng.randint(5, 30), page=self.rng.choice([50, 100, 200]))
        return FileState(f"svc/{name}.py", text.splitlines())

    def new_config(self) -> FileState:
        self.counter += 1
        name = f"job{self.counter}"
        text = _CONFIG_TEMPLATE.format(name=name, replicas=self.rng.randint(1, 5), timeout=self.rng.randint(5, 60), hour=self.rng.randint(0, 23))
        return FileState(f"deploy/jobs/{name}.yaml", text.splitlines())

    def edit(self, state: FileState) -> None:
        """One realistic small edit: tweak a number, add a helper, a request header, a log line or a
        URL constant. About a third of the edits add a line a secret rule has to look at (a token
        word, a long literal), as real edits of a client-credentials service do."""
        choice = self.rng.random()
        word = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(6))
        if state.path.endswith(".py"):
            if choice < 0.30:
                index = next((i for i, l in enumerate(state.lines) if l.startswith("TIMEOUT_SECONDS")), None)
                if index is not None:
                    state.lines[index] = f"TIMEOUT_SECONDS = {self.rng.randint(5, 60)}"
                    return
            if choice < 0.55:
                state.lines += ["", "", f"def helper_{word}(value: int) -> int:", f'    """Scale a {word} count."""', f"    return value * {self.rng.randint(2, 9)}"]
                return
            if choice < 0.70:
                state.lines += ["", "", f"def headers_{word}(access_token: str) -> dict[str, str]:", '    return {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}']
                return
            if choice < 0.85:
                state.lines.insert(min(len(state.lines), 14), f'{word.upper()}_URL = f"{{API_BASE}}/v1/{word}/{self.rng.randint(1, 999)}"')
                return
            state.lines.insert(min(len(state.lines), 14), f"RETRIES_{self.rng.randint(1, 99)} = {self.rng.randint(1, 5)}")
            return
        key = self.rng.choice(["replicas", "timeout_seconds", "log_level"])
        for i, line in enumerate(state.lines):
            if line.strip().startswith(key + ":"):
                value = self.rng.choice(["debug", "info", "warning"]) if key == "log_level" else self.rng.randint(1, 60)
                state.lines[i] = line.split(":")[0] + f": {value}"
                return
        state.lines.append(f"# note {self.rng.randint(1, 10**6)}")


def _secret(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(40))


def _leak_line(path: str, value: str) -> str:
    if path.endswith(".py"):
        return f'CLIENT_SECRET = "{value}"'
    if path.endswith(".env"):
        return f"AELIX_CLIENT_SECRET={value}"
    return f"client_secret: {value}"


def _initial_files(gen: Generator) -> None:
    for _ in range(30):
        module = gen.new_module()
        gen.files[module.path] = module
    for _ in range(10):
        config = gen.new_config()
        gen.files[config.path] = config
    gen.files["config/settings.py"] = FileState("config/settings.py", ['"""Settings."""', "", "import os", "", 'CLIENT_ID = os.environ.get("CLIENT_ID", "")', 'CLIENT_SECRET = os.environ.get("CLIENT_SECRET", "")'])
    gen.files["deploy/.env"] = FileState("deploy/.env", ["LOG_LEVEL=info", "AELIX_CLIENT_ID=", "AELIX_CLIENT_SECRET="])
    gen.files["deploy/values.yaml"] = FileState("deploy/values.yaml", ["image: statements:1.0", "env:", "  log_level: info", "  client_secret: ${CLIENT_SECRET}"])
    gen.files["README.md"] = FileState("README.md", ["# statements service", "", "Exports statements nightly."])


def _data(payload: bytes) -> bytes:
    return b"data " + str(len(payload)).encode() + b"\n" + payload + b"\n"


def generate(directory: str, commits: int, seed: int, leak_every: int) -> list[Leak]:
    rng = random.Random(seed)
    gen = Generator(rng)
    _initial_files(gen)
    os.makedirs(directory, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", directory], check=True, env=env)
    marks = os.path.join(directory, ".git", "credlint-bench-marks")
    proc = subprocess.Popen(["git", "-C", directory, "fast-import", "--quiet", "--done", f"--export-marks={marks}"], stdin=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    out = proc.stdin
    leaks: list[Leak] = []
    open_leak: tuple[Leak, str, int] | None = None  # leak, path, line index
    for index in range(commits):
        when = START_EPOCH + index * STEP_SECONDS + rng.randint(0, 3600)
        name, email = rng.choice(_AUTHORS)
        changed: list[FileState] = []
        if index == 0:
            changed = list(gen.files.values())
        else:
            for _ in range(rng.randint(1, 4)):
                roll = rng.random()
                if roll < 0.05:
                    state = gen.new_module() if rng.random() < 0.7 else gen.new_config()
                    gen.files[state.path] = state
                else:
                    state = gen.files[rng.choice(sorted(p for p in gen.files if p.startswith(("svc/", "deploy/jobs/"))))]
                    gen.edit(state)
                changed.append(state)
        message = f"change {index}"
        if open_leak is None and index and index % leak_every == 0:
            path = _LEAK_TARGETS[(index // leak_every) % len(_LEAK_TARGETS)]
            state = gen.files[path]
            state.lines.append(_leak_line(path, _secret(rng)))
            leak = Leak(commit_index=index, path=path, date=_iso(when), mark=index + 1)
            leaks.append(leak)
            open_leak = (leak, path, len(state.lines) - 1)
            changed.append(state)
            message = f"temporary: debug credentials ({index})"
        elif open_leak is not None and index - open_leak[0].commit_index >= 3:
            leak, path, line = open_leak
            state = gen.files[path]
            del state.lines[line]
            leak.removed_at = index
            open_leak = None
            changed.append(state)
            message = f"remove credentials ({index})"
        out.write(f"commit refs/heads/main\nmark :{index + 1}\n".encode())
        out.write(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
        out.write(_data(message.encode()))
        if index:
            out.write(f"from :{index}\n".encode())
        for state in {s.path: s for s in changed}.values():
            out.write(f"M 100644 inline {state.path}\n".encode())
            out.write(_data(state.text().encode()))
        out.write(b"\n")
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", directory, "checkout", "-q", "-f", "main"], check=True, env=env)
    shas = _read_marks(marks)
    for leak in leaks:
        leak.commit = shas.get(leak.mark, "")
    return leaks


def _read_marks(path: str) -> dict[int, str]:
    out: dict[int, str] = {}
    with open(path, encoding="ascii") as handle:
        for line in handle:
            mark, _, sha = line.strip().partition(" ")
            if mark.startswith(":") and mark[1:].isdigit():
                out[int(mark[1:])] = sha
    os.remove(path)
    return out


def _iso(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).strftime("%Y-%m-%d")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--leak-every", type=int, default=250, help="commit a secret every N commits (removed 3 commits later)")
    parser.add_argument("--answers", help="write the leaks (commit index, path, date) as JSON here")
    parser.add_argument("--measure", action="store_true", help="then time a history scan with the secret rules (OA101-OA103)")
    parser.add_argument("--jobs", type=int, default=1, help="processes for --measure")
    args = parser.parse_args(argv)
    if os.path.exists(os.path.join(args.directory, ".git")):
        print(f"{args.directory} already holds a git repository", file=sys.stderr)
        return 2
    leaks = generate(args.directory, args.commits, args.seed, args.leak_every)
    answers = [{"commit_index": l.commit_index, "commit": l.commit, "path": l.path, "date": l.date, "removed_at": l.removed_at} for l in leaks]
    if args.answers:
        with open(args.answers, "w", encoding="utf-8") as handle:
            json.dump(answers, handle, indent=2)
    print(f"{args.commits} commits, {len(leaks)} leaked secrets written to {args.directory}")
    if args.measure:
        return measure(args.directory, answers, args.jobs)
    return 0


def measure(directory: str, answers: list[dict[str, object]], jobs: int = 1) -> int:
    """Time ``scan_history`` over the whole history with the registered secret rules and check that
    every leak was found with its commit (run from the repository root so ``checker`` imports)."""
    import functools
    import time

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("GIT_CONFIG_GLOBAL", os.devnull)
    from checker.gitinfo import GitRepo
    from checker.history import scan_history
    from checker.model import Settings
    from checker.pipeline import analyze_bytes
    from checker.registry import all_rules

    rules = tuple(r for r in all_rules() if r.id in ("OA101", "OA102", "OA103"))
    repo = GitRepo.discover(directory)
    if repo is None:
        print("not a git repository", file=sys.stderr)
        return 2
    analyze = functools.partial(analyze_bytes, settings=Settings(), rules=rules)
    wall, cpu = time.perf_counter(), time.process_time()
    findings, notes = scan_history(repo, None, analyze, working_tree_fingerprints=set(), jobs=jobs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found = {(f.path, f.prop("commit")) for f in findings}
    hits = sum(1 for a in answers if (a["path"], str(a["commit"])[:12]) in found)
    print(f"rules: {', '.join(r.id for r in rules) or 'none'}; jobs {jobs}")
    print(f"history scan: {wall:.1f} s wall, {cpu:.1f} s CPU in this process; {len(findings)} findings; leaks found {hits}/{len(answers)}")
    for note in notes:
        print(f"  note: {note.message}")
    return 0 if hits == len(answers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
