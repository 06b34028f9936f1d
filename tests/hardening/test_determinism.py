"""Deterministic: the same tree gives byte-identical JSON and SARIF (apart from the declared time fields
``scan.started_at``, ``scan.duration_ms`` and SARIF's invocation times, which are normalised here) across
runs, worker counts (one process vs the process pool), cache off/cold/warm, and file creation orders."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checker.engine import PARALLEL_THRESHOLD
from reports import RenderOptions, render
from tests.hardening.helpers import scan_tree, write_tree

FIXED_START = "2026-01-01T00:00:00Z"


def project_files() -> dict[str, str]:
    """More than PARALLEL_THRESHOLD files of every kind, with findings, suppressions and notes."""
    files: dict[str, str] = {
        "pyproject.toml": '[tool.credlint]\nper-file-ignores = {"legacy/**" = ["OA301"]}\n',
        "app/settings.py": 'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"\nTOKEN_URL = "http://auth.example.com/oauth/token"\n',
        "app/client.py": (
            "import logging\nimport requests\n\nlog = logging.getLogger(__name__)\n\n\n"
            "def fetch(secret):\n"
            '    resp = requests.post("http://auth.example.com/oauth/token", data={"client_secret": secret, "scope": "admin"}, verify=False)\n'
            '    token = resp.json()["access_token"]\n'
            '    log.info("got %s", token)\n'
            "    return token\n"
        ),
        "app/suppressed.py": 'API_KEY = "Qm9yZWFsU2VjcmV0VmFsdWUxMjM0"  # credlint: ignore[OA101] test fixture\n',
        "legacy/old.py": 'import requests\nrequests.get("http://api.example.com/v1/accounts")\n',
        ".env": "CLIENT_SECRET=Q2w3E4r5T6y7U8i9O0pA\nAELIX_API_KEY=ak_live_9f8e7d6c5b4a3f2e1d0cAbCd\n",
        "deploy/docker-compose.yml": "services:\n  api:\n    environment:\n      - CLIENT_SECRET=Zk3P9qLm2Xv8Rt5Wb7Nc4Hd7\n      - VERIFY_SSL=false\n",
        "config/app.json": '{"auth": {"client_secret": "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd8", "token_url": "http://x/token"}}\n',
        "infra/main.tf": 'resource "aws_secretsmanager_secret_rotation" "r" {\n  rotation_rules {\n    automatically_after_days = 180\n  }\n}\n',
        "broken.py": "def broken(:\n",
        "broken.yaml": "a: [\n",
        "binary.py": "x = '\x00'\n",
        "requirements.txt": "authlib==1.2.0\nrequests\n",
    }
    for i in range(PARALLEL_THRESHOLD + 6):
        kind = i % 4
        if kind == 0:
            files[f"pkg/mod{i:03d}.py"] = f'import requests\n\nURL = "http://svc{i}.example.com/token"\nrequests.get(URL, verify={i % 2 == 0})\n'
        elif kind == 1:
            files[f"pkg/conf{i:03d}.yaml"] = f"service: s{i}\nclient_secret: Zk3P9qLm2Xv8Rt{i:03d}Wb7Nc4Hd\n"
        elif kind == 2:
            files[f"pkg/env{i:03d}.env"] = f"TOKEN_URL=http://auth{i}.example.com/token\n"
        else:
            files[f"pkg/notes{i:03d}.txt"] = f"nothing to see {i}\n"
    return files


def normalised(result: Any) -> Any:
    """The result with its declared time fields fixed."""
    return replace(result, metadata=replace(result.metadata, started_at=FIXED_START), stats=replace(result.stats, duration_ms=0, files_cached=0))


def outputs(result: Any) -> dict[str, str]:
    fixed = normalised(result)
    return {fmt: render(fmt, fixed, RenderOptions()) for fmt in ("json", "sarif")}


def assert_identical(a: dict[str, str], b: dict[str, str], what: str) -> None:
    for fmt in a:
        if a[fmt] != b[fmt]:
            import difflib

            diff = "\n".join(list(difflib.unified_diff(a[fmt].splitlines(), b[fmt].splitlines(), lineterm="", n=1))[:40])
            pytest.fail(f"{fmt} differs {what}:\n{diff}")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("determinism") / "project"
    root.mkdir()
    write_tree(root, project_files())
    return root


@pytest.fixture(scope="module")
def reference(tree: Path) -> dict[str, str]:
    return outputs(scan_tree(tree, jobs=1, use_cache=False))


def test_reference_is_not_trivial(reference: dict[str, str]) -> None:
    import json

    report = json.loads(reference["json"])
    assert report["summary"]["total"] >= 10 and report["suppressed"] and report["notes"]
    assert report["scan"]["files_scanned"] > PARALLEL_THRESHOLD


def test_same_output_on_a_second_run(tree: Path, reference: dict[str, str]) -> None:
    assert_identical(reference, outputs(scan_tree(tree, jobs=1, use_cache=False)), "between two runs")


def test_same_output_with_the_process_pool(tree: Path, reference: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.engine as engine

    used = []
    real = engine._map_parallel

    def spy(pending: Any, workers: int) -> Any:
        used.append(workers)
        return real(pending, workers)

    monkeypatch.setattr(engine, "_map_parallel", spy)
    pooled = outputs(scan_tree(tree, jobs=2, use_cache=False))
    assert used == [2], "the process pool was not used"
    assert_identical(reference, pooled, "between --jobs 1 and --jobs 2")


def test_same_output_with_a_cold_and_a_warm_cache(tmp_path: Path, reference: dict[str, str], tree: Path) -> None:
    copy = tmp_path / "project"  # a private copy: the cache is written into the scanned tree
    shutil.copytree(tree, copy, symlinks=True)
    cold_result = scan_tree(copy, jobs=1, use_cache=True)
    warm_result = scan_tree(copy, jobs=1, use_cache=True)
    assert warm_result.stats.files_cached == warm_result.stats.files_seen > 0, "the second run should be served by the cache"
    cold, warm = outputs(cold_result), outputs(warm_result)
    assert_identical(cold, warm, "between a cold and a warm cache")
    # the copy lives elsewhere, so only the root differs from the reference
    assert_identical({k: v.replace(str(copy), str(tree)) for k, v in cold.items()}, reference, "between cache on and off")


def test_same_output_whatever_the_file_creation_order(tree: Path, reference: dict[str, str]) -> None:
    files = project_files()
    for seed in (1, 2):
        shutil.rmtree(tree)
        tree.mkdir()
        order = list(files)
        random.Random(seed).shuffle(order)
        write_tree(tree, {name: files[name] for name in order})
        assert_identical(reference, outputs(scan_tree(tree, jobs=1, use_cache=False)), f"after creating files in order #{seed}")
