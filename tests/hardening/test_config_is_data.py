"""The config is data: an attacker-controlled ``pyproject.toml`` (or ``.credlint.toml``) cannot make
credlint read outside the scanned root, write anywhere but the declared output and the cache, or disable
rules silently — disabled rules and suppressions are listed in the JSON and HTML reports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


from tests.hardening.audit import recording, under
from tests.hardening.helpers import REPO_ROOT, run_cli, scan_tree, tree_listing, write_tree

SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"
OUTSIDE_SECRET = "Qm9yZWFsT3V0c2lkZVNlY3JldDEy"

HOSTILE_PYPROJECT = (
    "[tool.credlint]\n"
    'exclude = ["../**", "../../**", "/etc/**", "../outside/*.py", "~/**"]\n'
    'per-file-ignores = {"../**" = ["OA1"], "../outside/leak.py" = ["ALL"], "/**" = ["OA301"]}\n'
    "max-file-size = 1000000000000\n"
    'token-endpoints = ["file:///etc/passwd", "../outside/leak.py"]\n'
    'allowed-http-hosts = ["../outside"]\n'
    "[[tool.credlint.secrets]]\n"
    'name = "../outside/leak.py"\n'
    "last-rotated = 2026-01-01\n"
    'where = ["../outside/**", "/etc/passwd", "~/.ssh/id_rsa"]\n'
)


def _project(base: Path) -> tuple[Path, Path]:
    root, outside = base / "repo", base / "outside"
    write_tree(
        outside,
        {"leak.py": f'CLIENT_SECRET = "{OUTSIDE_SECRET}"\n', "pyproject.toml": '[tool.credlint]\nfail-on = "critical"\n', "credlint.toml": 'fail-on = "critical"\n'},
    )
    write_tree(
        root,
        {
            "pyproject.toml": HOSTILE_PYPROJECT,
            "app/settings.py": f'CLIENT_SECRET = "{SECRET}"\n',
            "app/client.py": 'import requests\nrequests.get("http://api.example.com/v1/token", verify=False)\n',
            ".env": f"CLIENT_SECRET={SECRET}x\n",
        },
    )
    return root, outside


def _outside_accesses(access: object, root: Path, base: Path) -> list[str]:
    """Files and directories under the test's base directory but outside the scanned root."""
    paths = access.reads | access.listings  # type: ignore[attr-defined]
    return sorted(p for p in paths if under(p, base) and not under(p, root))


def test_hostile_config_cannot_make_credlint_read_outside_the_root(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    with recording() as access:
        result = scan_tree(root)
    assert not _outside_accesses(access, root, tmp_path), f"read outside the scanned root: {_outside_accesses(access, root, tmp_path)}"
    assert all(not f.path.startswith(("..", "/")) and "outside" not in f.path for f in result.findings)
    assert "OA101" in {f.rule for f in result.findings}, "the hostile config must not have silenced the real finding"
    assert all(OUTSIDE_SECRET not in json.dumps(n.__dict__) for n in result.notes)


def test_symlinked_config_files_pointing_outside_are_not_read(tmp_path: Path) -> None:
    """A config or .gitignore that is a symlink out of the tree is outside content, like any file
    symlink the discovery already refuses to follow."""
    root, outside = _project(tmp_path)
    (root / "pyproject.toml").unlink()
    (root / "pyproject.toml").symlink_to(outside / "pyproject.toml")
    (root / "app" / ".credlint.toml").symlink_to(outside / "credlint.toml")
    (root / ".gitignore").symlink_to(outside / "leak.py")
    with recording() as access:
        result = scan_tree(root)
    assert not _outside_accesses(access, root, tmp_path), f"followed a symlink out of the scanned root: {_outside_accesses(access, root, tmp_path)}"
    assert result.metadata.fail_on.label != "critical", "the outside config was applied"


def test_huge_max_file_size_from_the_config_still_bounds_memory(tmp_path: Path) -> None:
    """``max-file-size`` comes from the untrusted tree: lifting it must not let a 600 MB (sparse) file be
    read into memory. Needs a hard ceiling on the setting and a size check before reading."""
    from tests.hardening.test_resource_bounds import measure_scan

    root = tmp_path / "repo"
    write_tree(root, {"pyproject.toml": "[tool.credlint]\nmax-file-size = 1000000000000\n", "app.py": "x = 1\n"})
    with open(root / "dump.json", "wb") as handle:
        handle.truncate(600 * 1024 * 1024)
    usage = measure_scan(root, "-j", "1")
    peak_mb = max(usage["self_kb"], usage["children_kb"]) / 1024
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB: the config's max-file-size let a 600 MB file be read whole"


def test_scan_writes_only_the_declared_output_and_the_cache(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = tree_listing(tmp_path)
    with recording() as access:
        for fmt in ("json", "sarif", "html", "junit", "github", "text"):
            run = run_cli(["check", "--format", fmt, "-o", str(out_dir / f"report.{fmt}"), "."], cwd=root)
            assert run.exit_code in (0, 1), run.stderr
        run = run_cli(["baseline", "-o", str(out_dir / "baseline.json"), "."], cwd=root)
        assert run.exit_code == 0, run.stderr
    after = tree_listing(tmp_path)
    created = sorted(after - before)
    allowed_prefixes = ("repo/.credlint_cache", "out/report.", "out/baseline.json")
    assert all(p.startswith(allowed_prefixes) for p in created), f"unexpected files: {[p for p in created if not p.startswith(allowed_prefixes)]}"
    cache_dir, declared = root / ".credlint_cache", {str(out_dir / name) for name in os.listdir(out_dir)}
    stray = sorted(
        p for p in access.writes
        if not under(p, cache_dir) and p not in declared and p != os.devnull
        and not under(p, Path(REPO_ROOT)) and not p.startswith(sys.prefix) and "__pycache__" not in p
    )
    assert not stray, f"wrote outside the declared output and the cache: {stray}"
    assert before - after == set(), f"deleted: {sorted(before - after)}"


def test_cache_directory_cannot_be_redirected_by_a_symlink(tmp_path: Path) -> None:
    """A planted ``.credlint_cache`` symlink must not make credlint write outside the tree."""
    root, outside = _project(tmp_path)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (root / ".credlint_cache").symlink_to(target, target_is_directory=True)
    run = run_cli(["check", "--format", "json", "."], cwd=root)
    assert run.exit_code in (0, 1), run.stderr
    assert list(target.iterdir()) == [], f"the cache followed a symlink out of the tree: {[p.name for p in target.iterdir()]}"


# --- no silent disabling ------------------------------------------------------------------------------------


def _reports(root: Path, out: Path) -> tuple[dict, str]:
    for fmt in ("json", "html"):
        run = run_cli(["check", "--no-cache", "--format", fmt, "-o", str(out / f"r.{fmt}"), "."], cwd=root)
        assert run.exit_code in (0, 1), run.stderr
    return json.loads((out / "r.json").read_text(encoding="utf-8")), (out / "r.html").read_text(encoding="utf-8")


def test_rules_disabled_by_the_root_config_are_listed_in_json_and_html(tmp_path: Path) -> None:
    from checker.registry import all_rules

    root = tmp_path / "repo"
    write_tree(root, {"pyproject.toml": '[tool.credlint]\nselect = ["OA1", "OA2", "OA3"]\nignore = ["OA2", "OA301"]\n', "app/settings.py": f'CLIENT_SECRET = "{SECRET}"\n'})
    report, html = _reports(root, tmp_path)
    expected = sorted(r.id for r in all_rules() if not r.id.startswith(("OA1", "OA3")) or r.id == "OA301")
    assert report["scan"]["disabled_rules"] == expected
    assert "OA101" in report["scan"]["selected_rules"]
    for rule_id in expected:
        assert rule_id in html, f"{rule_id} is disabled but not shown in the HTML report"
    assert "Disabled rules" in html


def test_suppressions_from_config_and_comments_are_listed_in_json_and_html(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            "pyproject.toml": '[tool.credlint]\nper-file-ignores = {"legacy/**" = ["OA1"]}\n',
            "legacy/settings.py": f'CLIENT_SECRET = "{SECRET}"\n',
            "app/settings.py": f'API_KEY = "{SECRET}z"  # credlint: ignore[OA101] rotated fixture\n',
        },
    )
    report, html = _reports(root, tmp_path)
    kinds = {(s["path"], s["suppression"]["kind"]) for s in report["suppressed"]}
    assert ("legacy/settings.py", "config") in kinds and ("app/settings.py", "inline") in kinds
    assert "legacy/settings.py" in html and "app/settings.py" in html and "per-file-ignores" in html


def test_a_nested_config_that_disables_rules_is_not_silent(tmp_path: Path) -> None:
    """``vendor/pyproject.toml`` with ``ignore = ["OA"]`` turns every rule off for ``vendor/``: the
    report must say so (a note of kind "config" naming the file and the rules, or the rules in
    ``scan.disabled_rules``), or a planted config silently hides a committed secret."""
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            "app/ok.py": "x = 1\n",
            "vendor/pyproject.toml": '[tool.credlint]\nignore = ["OA"]\n',
            "vendor/settings.py": f'CLIENT_SECRET = "{SECRET}"\n',
        },
    )
    report, html = _reports(root, tmp_path)
    mentioned = [n for n in report["notes"] if n["kind"] == "config" and "vendor" in (n["path"] + n["message"])] or [r for r in report["scan"]["disabled_rules"] if r == "OA101"]
    assert mentioned, "vendor/pyproject.toml disabled every rule for vendor/ and neither the notes nor scan.disabled_rules say so"
    assert "vendor" in html, "the HTML report does not mention the nested config that disabled rules"
