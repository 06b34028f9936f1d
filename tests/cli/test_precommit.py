"""pre-commit, for real: a temporary repository whose hook is this checkout's `credlint` hook.

The hook definition (id, types, entry flags) is read from our `.pre-commit-hooks.yaml`; only the
executable is swapped for this interpreter (`language: system`), so pre-commit does not have to
build a virtualenv from the package index inside the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SECRET = "Zx8kQ2mN4pL7vR9tW3yBq6Hs"

pytestmark = pytest.mark.slow


def _pre_commit() -> list[str]:
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    pytest.importorskip("pre_commit")
    return [sys.executable, "-m", "pre_commit"]


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "PRE_COMMIT_HOME": str(home / ".pre-commit-cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.test",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _hook_config(args: list[str] | None = None) -> str:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "credlint")
    assert hook["entry"].startswith("credlint ")
    local = {
        "id": hook["id"],
        "name": hook["name"],
        "entry": f"{sys.executable} -m checker.cli {hook['entry'].split(' ', 1)[1]}",
        "language": "system",
        "types": hook["types"],
    }
    if args:
        local["args"] = args
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]})


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "repo"
    root.mkdir()
    env = _env(tmp_path)
    _git(root, env, "init", "-q")
    (root / "README.md").write_text("service\n")
    (root / ".pre-commit-config.yaml").write_text(_hook_config())
    _git(root, env, "add", "-A")
    _git(root, env, "commit", "-qm", "init")
    return root, env


def _run(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_pre_commit(), "run"], cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_staged_secret_fails_then_env_lookup_passes(repo: tuple[Path, dict[str, str]]) -> None:
    root, env = repo
    (root / "settings.py").write_text(f'CLIENT_SECRET = "{SECRET}"\n')
    _git(root, env, "add", "settings.py")
    failed = _run(root, env)
    assert failed.returncode != 0, failed.stdout
    assert "settings.py:1:" in failed.stdout and "OA101" in failed.stdout
    assert SECRET not in failed.stdout + failed.stderr

    (root / "settings.py").write_text('import os\n\nCLIENT_SECRET = os.environ["CLIENT_SECRET"]\n')
    _git(root, env, "add", "settings.py")
    passed = _run(root, env)
    assert passed.returncode == 0, passed.stdout


def test_staged_dotenv_is_scanned(repo: tuple[Path, dict[str, str]]) -> None:
    root, env = repo
    (root / ".env").write_text(f"AELIX_CLIENT_SECRET={SECRET}\n")
    _git(root, env, "add", "-f", ".env")
    failed = _run(root, env)
    assert failed.returncode != 0 and ".env:1:" in failed.stdout and "OA102" in failed.stdout


def test_baseline_is_honoured(repo: tuple[Path, dict[str, str]]) -> None:
    root, env = repo
    (root / "settings.py").write_text(f'CLIENT_SECRET = "{SECRET}"\n')
    subprocess.run([sys.executable, "-m", "checker.cli", "baseline", ".", "-o", ".credlint-baseline.json", "--no-cache"],
                   cwd=root, env=env, check=True, capture_output=True)
    (root / ".pre-commit-config.yaml").write_text(_hook_config(["--baseline", ".credlint-baseline.json"]))
    _git(root, env, "add", "-A")
    assert _run(root, env).returncode == 0
