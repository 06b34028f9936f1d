"""Baseline stable: inserting or deleting lines above a finding (comments, blank lines, unrelated code)
keeps its fingerprint, so a baseline keeps suppressing it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.model import Settings
from checker.pipeline import analyze_bytes
from checker.registry import all_rules
from tests.hardening.helpers import scan_tree, write_tree

RULES = all_rules()

# (path, lines, neutral lines to insert); lines marked None are neutral (may be deleted).
PYTHON = [
    "import logging",
    "import requests",
    None,
    "log = logging.getLogger(__name__)",
    'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"',
    None,
    None,
    "def fetch():",
    '    resp = requests.post("http://auth.example.com/oauth/token", data={"client_secret": CLIENT_SECRET}, verify=False)',
    '    token = resp.json()["access_token"]',
    '    log.info("token %s", token)',
    "    return token",
]
PY_NEUTRAL = ("# a comment", "", "x = 1", "def helper():\n    return 2", '"""a docstring\nover two lines"""', "    # indented comment")
ENV = ["# settings", "CLIENT_SECRET=Q2w3E4r5T6y7U8i9O0pA", None, "AELIX_API_KEY=ak_live_9f8e7d6c5b4a3f2e1d0cAbCd", "TOKEN_URL=http://auth.example.com/oauth/token"]
ENV_NEUTRAL = ("# comment", "", "LOG_LEVEL=info", "export REGION=eu-west-1")
YAML = ["services:", "  api:", "    environment:", "      - LOG_LEVEL=info", "      - CLIENT_SECRET=Zk3P9qLm2Xv8Rt5Wb7Nc4Hd7", "      - VERIFY_SSL=false"]
YAML_NEUTRAL = ("# comment", "")

CASES = {"app/client.py": (PYTHON, PY_NEUTRAL), ".env": (ENV, ENV_NEUTRAL), "deploy/docker-compose.yml": (YAML, YAML_NEUTRAL)}


def fingerprints(path: str, lines: list[str]) -> list[tuple[str, str]]:
    """(rule, fingerprint) of every finding (messages may name line numbers, fingerprints must not)."""
    result = analyze_bytes(path, ("\n".join(lines) + "\n").encode(), Settings(), RULES)
    return sorted((f.rule, f.fingerprint) for f in result.findings)


def base_lines(lines: list[str | None]) -> list[str]:
    return [line if line is not None else "" for line in lines]


def test_every_case_has_findings() -> None:
    for path, (lines, _neutral) in CASES.items():
        assert len(fingerprints(path, base_lines(lines))) >= 2, path


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(sorted(CASES)),
    edits=st.lists(st.tuples(st.sampled_from(("insert", "delete")), st.integers(0, 1000), st.integers(0, 100)), min_size=1, max_size=8),
)
def test_inserting_or_deleting_lines_above_keeps_fingerprints(path: str, edits: list[tuple[str, int, int]]) -> None:
    template, neutral = CASES[path]
    before = fingerprints(path, base_lines(template))
    lines: list[str | None] = list(template)
    for op, where, which in edits:
        if op == "insert":
            at = where % (len(lines) + 1)
            block = neutral[which % len(neutral)]
            if path.endswith(".py") and lines[at:at + 1] and (lines[at] or "").startswith("    "):
                block = "    # inserted" if which % 2 else ""  # inside the function body: keep indentation valid
            lines.insert(at, block or None)
        else:
            removable = [i for i, line in enumerate(lines) if line is None or line in neutral or line == "    # inserted"]
            if removable:
                del lines[removable[where % len(removable)]]
    after = fingerprints(path, base_lines(lines))
    assert after == before, f"fingerprints changed after {edits}"


def test_baseline_still_suppresses_after_lines_move(tmp_path: Path) -> None:
    from checker import __version__
    from checker.baseline import render_baseline

    files = {path: "\n".join(base_lines(lines)) + "\n" for path, (lines, _) in CASES.items()}
    write_tree(tmp_path / "repo", files)
    first = scan_tree(tmp_path / "repo")
    assert first.findings
    baseline = tmp_path / "baseline.json"
    baseline.write_text(render_baseline(first.findings, __version__), encoding="utf-8")
    moved = {path: "# new header\n\n# more\n" + text.replace("\n\n", "\n\n\n# moved\n", 1) for path, text in files.items()}
    write_tree(tmp_path / "repo", moved)
    second = scan_tree(tmp_path / "repo", baseline=baseline)
    assert not second.findings, [(f.rule, f.path, f.line) for f in second.findings]
    assert len(second.suppressed) == len(first.findings)
