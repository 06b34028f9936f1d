"""Shared helpers of the hardening suite: building hostile trees, scanning them, driving the CLI, and
searching outputs for planted secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]

# Every kind of file credlint classifies, with a path that selects it (and test/CI variants).
KIND_PATHS: tuple[str, ...] = (
    "app/auth.py",
    "tests/test_auth.py",
    ".env",
    ".env.production",
    "config/settings.yaml",
    "deploy/docker-compose.yml",
    ".github/workflows/deploy.yml",
    "appsettings.json",
    "pyproject.toml",
    "setup.cfg",
    ".npmrc",
    "Dockerfile",
    "infra/main.tf",
    "requirements.txt",
    "notes.txt",
    "scripts/run",
)


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Create ``files`` (relative path -> content) under ``root``."""
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")


def tree_listing(root: Path) -> set[str]:
    """Every path under ``root`` (files, dirs, symlinks), relative and POSIX."""
    out: set[str] = set()
    for current, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            out.add((Path(current) / name).relative_to(root).as_posix())
    return out


def scan_tree(root: Path, **options: Any) -> Any:
    """An in-process full scan of ``root`` (no cache, one process unless told otherwise)."""
    from checker.engine import ScanOptions, scan

    options.setdefault("use_cache", False)
    options.setdefault("jobs", 1)
    return scan(ScanOptions(paths=(root,), **options))


@dataclass
class CliRun:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def run_cli(args: list[str], cwd: Path) -> CliRun:
    """``credlint ARGS`` in-process (click's CliRunner) with ``cwd`` as the working directory."""
    from click.testing import CliRunner

    from checker.cli import main

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    finally:
        os.chdir(previous)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return CliRun(result.exit_code, result.stdout, result.stderr, exception)


def run_cli_subprocess(args: list[str], cwd: Path, timeout: float = 120, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m checker.cli ARGS`` in a fresh interpreter whose cwd is ``cwd`` (the scanned tree),
    with the repository on PYTHONPATH and nothing from the scanned tree on it."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME")}
    environment["PYTHONPATH"] = str(REPO_ROOT)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def json_report(result: Any) -> dict[str, Any]:
    from reports import RenderOptions, render

    return json.loads(render("json", result, RenderOptions()))


def leaks(secret: str, text: str, window: int = 12) -> list[str]:
    """Pieces of ``secret`` found in ``text``: the whole value, or any ``window``-character slice of it
    (the redaction shows at most a 4-character prefix, so a longer slice is a partial leak)."""
    if secret in text:
        return [secret]
    if len(secret) <= window:
        return []
    return sorted({secret[i : i + window] for i in range(len(secret) - window + 1) if secret[i : i + window] in text})


def assert_no_leak(secrets: Iterable[str], outputs: Mapping[str, str]) -> None:
    """Fail naming the output and the redacted secret (never print the raw value in the failure)."""
    from checker.redact import redact

    problems = []
    for name, text in outputs.items():
        for secret in secrets:
            found = leaks(secret, text)
            if found:
                where = text.find(found[0])
                context = text[max(0, where - 60) : where].replace(secret, "<SECRET>")[-60:]
                problems.append(f"{name}: {redact(secret)} ({'whole value' if found[0] == secret else f'{len(found)} slices'}) after {context!r}")
    assert not problems, "raw secret in output:\n" + "\n".join(problems)


def all_files_text(root: Path) -> dict[str, str]:
    """Every regular file under ``root`` as text (for searching caches and outputs)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return out
