"""No code execution: nothing in a scanned tree is imported, executed or used as a plugin — Python
files with import-time side effects (conftest.py, setup.py, sitecustomize.py, usercustomize.py, .pth
files, packages' __init__.py/__main__.py, modules shadowing credlint's own dependencies), YAML python
tags, a .secrets.baseline naming plugin files, a pyproject.toml with [tool.credlint] and build hooks,
expressions a careless evaluator would run, and git configuration that makes git run commands (fsmonitor,
clean/smudge/process filters, textconv, external diff, pagers, signature programs). Every vector would
create its own marker file; the scans run as real CLI subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.helpers import REPO_ROOT, write_tree

GIT = shutil.which("git")


def _touch(marker_dir: Path, name: str) -> str:
    """Python that creates marker ``name`` (no quotes inside, so it fits any string context)."""
    return f"__import__(chr(111)+chr(115)).makedirs({str(marker_dir)!r}, exist_ok=True) or open({str(marker_dir / name)!r}, {'w'!r}).close()"


def hostile_tree(root: Path, markers: Path) -> dict[str, str]:
    py = lambda name: f"{_touch(markers, name)}\n"  # noqa: E731
    shell = lambda name: f"touch {markers / name}"  # noqa: E731
    files = {
        "conftest.py": py("conftest"),
        "setup.py": py("setup") + 'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"\n',
        "sitecustomize.py": py("sitecustomize"),
        "usercustomize.py": py("usercustomize"),
        "evil.pth": f"import os; {_touch(markers, 'pth')}\n",
        "app/__init__.py": py("package-init"),
        "app/__main__.py": py("package-main"),
        "app/client.py": "import requests\nfrom . import settings\nrequests.get('http://api.example.com/token', verify=False)\n",
        "app/settings.py": f"CLIENT_SECRET = __import__('os').system({shell('eval-secret')!r})\nTOKEN_URL = eval({_touch(markers, 'eval-url')!r})\n"
        f"SCOPE = ' '.join(__import__('subprocess').check_output(['touch', {str(markers / 'eval-scope')!r}]))\nEXPIRES_IN = int(exec({_touch(markers, 'exec-int')!r}) or 3600)\n",
        # modules shadowing what credlint imports: only imported if the tree were on sys.path
        "checker/__init__.py": py("shadow-checker"),
        "yaml.py": py("shadow-yaml"),
        "click.py": py("shadow-click"),
        "libcst.py": py("shadow-libcst"),
        "detect_secrets/__init__.py": py("shadow-detect-secrets"),
        "config/app.yaml": (
            f"a: !!python/object/apply:os.system [{shell('yaml-apply')!r}]\n"
            f"b: !!python/object/new:subprocess.Popen [[touch, {markers / 'yaml-new'}]]\n"
            "c: !!python/name:os.system\n"
            f"d: !!python/object/apply:builtins.exec [{_touch(markers, 'yaml-exec')!r}]\n"
            "client_secret: Zk3P9qLm2Xv8Rt5Wb7Nc4Hd7\n"
        ),
        ".secrets.baseline": (
            '{"version": "1.5.0", "plugins_used": [{"path": "file://./evil_plugin.py", "name": "EvilDetector"}, {"name": "Base64HighEntropyString", "limit": 4.5}],'
            ' "filters_used": [{"path": "file://./evil_plugin.py::evil_filter"}], "results": {}}\n'
        ),
        "evil_plugin.py": py("detect-secrets-plugin"),
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "evil_backend"\nbackend-path = ["."]\n\n'
            '[project]\nname = "victim"\ndynamic = ["version"]\ndependencies = ["authlib==1.2.0"]\n\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "evil_backend.VERSION"}\n\n'
            '[tool.credlint]\nexclude = ["node_modules/**"]\ntoken-endpoints = ["https://auth.example.com/oauth/token"]\n'
        ),
        "evil_backend.py": py("build-backend") + "VERSION = '1.0'\n",
        ".env": f"CLIENT_SECRET=$({shell('dotenv-subst')})\nTOKEN_URL=`{shell('dotenv-backtick')}`\n",
        "Dockerfile": f"FROM python:3.12\nRUN {shell('dockerfile-run')}\nENV CLIENT_SECRET=Zk3P9qLm2Xv8Rt5Wb7Nc4Hd8\n",
        "infra/main.tf": f'data "external" "x" {{\n  program = ["sh", "-c", "{shell("hcl-external")}"]\n}}\nvariable "client_secret" {{\n  default = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd9"\n}}\n',
        "requirements.txt": "-e file:./evil_backend\nauthlib==1.2.0\n",
        "Makefile": f"all:\n\t{shell('make')}\n",
        "noxfile.py": py("noxfile"),
        "tox.ini": f"[testenv]\ncommands = {shell('tox')}\n",
        ".pre-commit-config.yaml": f"repos:\n- repo: local\n  hooks:\n  - id: x\n    entry: {shell('pre-commit')}\n    language: system\n",
        "scripts/run": f"#!/usr/bin/env python3\n{py('shebang-script')}",
        "notebook.ipynb": '{"cells": [{"cell_type": "code", "source": ["' + _touch(markers, "notebook").replace('"', '\\"') + '"]}]}',
    }
    write_tree(root, files)
    return files


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def make_hostile_git_repo(root: Path, markers: Path) -> None:
    """A repository whose own .git/config and .gitattributes make git run commands."""
    _git(root, "init", "-q", ".")
    _git(root, "config", "user.email", "a@example.com")
    _git(root, "config", "user.name", "a")
    _git(root, "config", "commit.gpgsign", "false")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "init")
    (root / "app" / "settings.py").write_text('CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"  # changed, not committed\n', encoding="utf-8")
    (root / "staged.py").write_text('API_KEY = "Qm9yZWFsU2VjcmV0VmFsdWUxMjM0"\n', encoding="utf-8")
    _git(root, "add", "staged.py")
    (root / ".gitattributes").write_text("* filter=evil diff=evil merge=evil\n", encoding="utf-8")
    hooks = root / "evil-hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "post-index-change", "pre-commit", "post-commit", "reference-transaction", "fsmonitor-watchman"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {markers / ('hook-' + hook)}\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    for key, name in (
        ("core.fsmonitor", "git-fsmonitor"),
        ("filter.evil.clean", "git-filter-clean"),
        ("filter.evil.smudge", "git-filter-smudge"),
        ("diff.evil.textconv", "git-textconv"),
        ("diff.evil.command", "git-diff-command"),
        ("diff.external", "git-diff-external"),
        ("core.pager", "git-pager"),
        ("pager.log", "git-pager-log"),
        ("pager.blame", "git-pager-blame"),
        ("gpg.program", "git-gpg"),
        ("core.sshCommand", "git-ssh"),
        ("core.editor", "git-editor"),
        ("credential.helper", "!git-credential"),
    ):
        command = f"touch {markers / name.lstrip('!')}; cat"
        _git(root, "config", key, ("!" + command) if name.startswith("!") else command)
    _git(root, "config", "core.hooksPath", str(hooks))
    _git(root, "config", "log.showSignature", "true")
    _git(root, "config", "core.untrackedCache", "true")


def console_script() -> list[str]:
    """The installed ``credlint`` entry point next to this interpreter (sys.path[0] is its bin dir,
    never the scanned tree), else the module under -P (which keeps the cwd off sys.path)."""
    script = Path(sys.executable).parent / "credlint"
    if script.is_file():
        return [sys.executable, str(script)]
    return [sys.executable, "-P", "-m", "checker.cli"]


def run(args: list[str], cwd: Path, via: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GIT_"))}
    env.update({"PYTHONPATH": str(REPO_ROOT), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    return subprocess.run([*via, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False)


def markers_in(markers: Path) -> list[str]:
    return sorted(p.name for p in markers.iterdir()) if markers.exists() else []


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    root, markers = tmp_path / "victim", tmp_path / "markers"
    root.mkdir()
    markers.mkdir()  # shell-command vectors (touch) need it to exist
    hostile_tree(root, markers)
    return root, markers


def test_the_markers_work(tree: tuple[Path, Path]) -> None:
    """Sanity: executing one of the planted files does create its marker (so silence means something)."""
    root, markers = tree
    subprocess.run([sys.executable, str(root / "conftest.py")], check=True)
    assert markers_in(markers) == ["conftest"]


@pytest.mark.parametrize("via", ["console-script", "python-P-module"])
def test_scanning_a_hostile_tree_executes_nothing(tree: tuple[Path, Path], via: str) -> None:
    root, markers = tree
    runner = console_script() if via == "console-script" else [sys.executable, "-P", "-m", "checker.cli"]
    commands = [["check", "--no-cache", "--strict", "--format", "json", "."]]
    if via == "console-script":  # every report path once; the module form only proves the entry point does not matter
        commands += [["check", "--format", "html", "-o", str(root.parent / "r.html"), "."], ["baseline", "-o", str(root.parent / "b.json"), "."]]
    for args in commands:
        proc = run(args, root, runner)
        assert proc.returncode in (0, 1), (args, proc.returncode, proc.stderr[-2000:])
        assert markers_in(markers) == [], f"{' '.join(args)} executed: {markers_in(markers)}"
        if "json" in args:
            assert '"OA101"' in proc.stdout, "the hostile tree should still be scanned (and its secrets found)"


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_hostile_git_configuration_executes_nothing(tree: tuple[Path, Path]) -> None:
    root, markers = tree
    make_hostile_git_repo(root, markers)
    assert markers_in(markers) == [], f"setting the repository up ran: {markers_in(markers)}"
    runner = console_script()
    executed: dict[str, list[str]] = {}
    for args in (["check", "--no-cache", "."], ["check", "--no-cache", "--history", "."], ["check", "--no-cache", "--staged"], ["baseline", "--no-cache", "-o", str(root.parent / "b.json"), "."]):
        proc = run(args, root, runner)
        assert proc.returncode in (0, 1), (args, proc.returncode, proc.stderr[-2000:])
        if markers_in(markers):
            executed[" ".join(args)] = markers_in(markers)
            for marker in markers.iterdir():
                marker.unlink()
    assert not executed, f"credlint made git run repository-configured commands: {executed}"
