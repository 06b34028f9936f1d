"""The command line, through click's runner and through a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.registry import all_rules

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "payments-service"
FIXED = REPO / "examples" / "payments-service-fixed"
SECRET = "Zx8kQ2mN4pL7vR9tW3yBq6Hs"


def run(args: list[str], cwd: Path | None = None) -> "subprocess.CompletedProcess[str]":
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "checker.cli", *args], cwd=cwd or REPO, capture_output=True, text=True, env=env, timeout=300)


def invoke(args: list[str], cwd: Path) -> "object":
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def test_version_in_a_real_process() -> None:
    proc = run(["--version"])
    assert proc.returncode == 0 and re.match(r"credlint \d+\.\d+\.\d+", proc.stdout)


def test_help_lists_commands() -> None:
    proc = run(["--help"])
    for command in ("check", "baseline", "rules", "explain"):
        assert command in proc.stdout


def test_example_project_fails_with_every_committed_secret_and_exact_lines() -> None:
    proc = run(["check", "examples/payments-service", "--no-cache", "--format", "json"])
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    located = {(f["path"], f["line"], f["rule"]) for f in report["findings"]}
    base = "examples/payments-service/"
    for path, line, rule in [("app/settings.py", 12, "OA101"), (".env", 3, "OA102"), (".env", 4, "OA102"), ("deploy/docker-compose.yml", 18, "OA102")]:
        assert (base + path, line, rule) in located, (path, line, rule, sorted(located))


def test_fixed_example_is_clean() -> None:
    proc = run(["check", "examples/payments-service-fixed", "--no-cache", "--now", "2026-12-01"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout


def test_text_output_lines_follow_the_contract(tmp_path: Path) -> None:
    write(tmp_path, {"app/settings.py": f'CLIENT_SECRET = "{SECRET}"\n'})
    result = invoke(["check", ".", "--no-cache"], tmp_path)
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert re.match(r"^app/settings\.py:1:17: OA101 \[critical\] .+ \(hardcoded-client-secret\)$", first), first
    assert re.search(r"^1 finding \(1 critical\) in 1 file", result.output, re.MULTILINE)


def test_json_output_validates_against_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    write(tmp_path, {"a.py": f'CLIENT_SECRET = "{SECRET}"\nx = 1  # credlint: ignore[OA201] nothing\n', ".env": f"API_KEY={SECRET}\n"})
    result = invoke(["check", ".", "--format", "json", "--no-cache"], tmp_path)
    schema = json.loads((REPO / "reports" / "schema" / "report.schema.json").read_text())
    document = json.loads(result.output)
    jsonschema.validate(document, schema)
    assert document["findings"] and document["notes"]


def test_unknown_rule_id_is_a_one_line_error_exit_2() -> None:
    proc = run(["check", "--select", "OA999", "examples"])
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "OA999" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_config_names_file_and_key(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.credlint]\nfail-on = 'sometimes'\n", "a.py": "x = 1\n"})
    proc = run(["check", str(tmp_path), "--no-cache"])
    assert proc.returncode == 2
    assert "pyproject.toml" in proc.stderr and "fail-on" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_path_is_exit_2(tmp_path: Path) -> None:
    proc = run(["check", str(tmp_path / "nope")])
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_bad_now_is_exit_2() -> None:
    proc = run(["check", "--now", "tomorrow", "examples/payments-service-fixed"])
    assert proc.returncode == 2 and "--now" in proc.stderr


def test_severity_threshold(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": f'CLIENT_SECRET = "{SECRET}"\n'})  # test code: critical lowered to high
    assert invoke(["check", ".", "--no-cache"], tmp_path).exit_code == 1
    assert invoke(["check", ".", "--no-cache", "--severity", "critical"], tmp_path).exit_code == 0


def test_rules_and_explain() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    for rule in all_rules():
        assert rule.id in listing.output and rule.name in listing.output
    explained = runner.invoke(main, ["explain", "oa101", "--no-color"])
    assert explained.exit_code == 0 and "Why is this bad?" in explained.output
    unknown = runner.invoke(main, ["explain", "OA000"])
    assert unknown.exit_code == 2


def test_baseline_only_new_findings_fail_and_moves_are_stable(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": f'import os\nCLIENT_SECRET = "{SECRET}"\n'})
    assert invoke(["baseline", ".", "-o", "baseline.json", "--no-cache"], tmp_path).exit_code == 0
    text = (tmp_path / "baseline.json").read_text()
    assert SECRET not in text
    assert invoke(["check", ".", "--baseline", "baseline.json", "--no-cache"], tmp_path).exit_code == 0
    # moving the code down does not make the baselined finding new
    write(tmp_path, {"app.py": f'import os\n\n\ndef helper():\n    return 1\n\n\nCLIENT_SECRET = "{SECRET}"\n'})
    assert invoke(["check", ".", "--baseline", "baseline.json", "--no-cache"], tmp_path).exit_code == 0
    # a new secret fails the run
    write(tmp_path, {"other.py": 'API_KEY = "Qp7tZ2wX9rL4mN8vB3cK6hJd"\n'})
    result = invoke(["check", ".", "--baseline", "baseline.json", "--no-cache"], tmp_path)
    assert result.exit_code == 1 and "other.py" in result.output and "app.py" not in result.output.split("finding")[0]


def test_inline_suppression_and_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.py": f'CLIENT_SECRET = "{SECRET}"  # credlint: ignore[OA101] rotated test tenant\n',
        "fixtures/b.py": f'CLIENT_SECRET = "{SECRET}"\n',
        ".credlint.toml": 'per-file-ignores = { "fixtures/**" = ["OA1"] }\n',
    })
    result = invoke(["check", ".", "--format", "json", "--no-cache"], tmp_path)
    document = json.loads(result.output)
    assert result.exit_code == 0 and document["findings"] == []
    kinds = sorted(s["suppression"]["kind"] for s in document["suppressed"])
    assert kinds == ["config", "inline"]


def test_monorepo_config_is_the_same_from_root_and_package(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/.credlint.toml": 'ignore = ["OA101"]\n',
        "pkg/a.py": f'CLIENT_SECRET = "{SECRET}"\n',
        "b.py": f'CLIENT_SECRET = "{SECRET}"\n',
    })
    from_root = json.loads(invoke(["check", ".", "--format", "json", "--no-cache"], tmp_path).output)
    assert [f["path"] for f in from_root["findings"] if f["rule"] == "OA101"] == ["b.py"]
    from_files = json.loads(invoke(["check", "pkg/a.py", "b.py", "--format", "json", "--no-cache"], tmp_path).output)
    assert [f["path"] for f in from_files["findings"] if f["rule"] == "OA101"] == ["b.py"]


def test_cache_gives_the_same_result(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": f'CLIENT_SECRET = "{SECRET}"\n'})
    first = json.loads(invoke(["check", ".", "--format", "json"], tmp_path).output)
    second = json.loads(invoke(["check", ".", "--format", "json"], tmp_path).output)
    assert first["findings"] == second["findings"]
    assert (tmp_path / ".credlint_cache").is_dir()


def test_parse_error_and_binary_are_notes_not_crashes(tmp_path: Path) -> None:
    write(tmp_path, {"bad.py": f'def f(:\n    CLIENT_SECRET = "{SECRET}"\n'})
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    result = invoke(["check", ".", "--format", "json", "--no-cache"], tmp_path)
    document = json.loads(result.output)
    kinds = {n["kind"] for n in document["notes"]}
    assert {"parse-error", "skipped-binary"} <= kinds


def test_readme_rule_table_matches_registry() -> None:
    from checker.cli import rules_markdown

    readme = (REPO / "README.md").read_text()
    assert rules_markdown([r.meta() for r in all_rules()]) in readme


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```(?:sh|bash|console)?\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    lines = [line for block in commands for line in block.strip().splitlines()]
    assert lines == [
        "pip install . && credlint check examples/payments-service",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && python -m pytest" in ci


def test_docs_rules_page_matches_the_rules() -> None:
    """SARIF helpUri and the HTML report link to docs/rules.md; it is generated from the rules."""
    from reports.rule_docs import catalog_markdown

    expected = catalog_markdown([r.meta() for r in all_rules()])
    assert (REPO / "docs" / "rules.md").read_text() == expected, "regenerate docs/rules.md with reports.rule_docs.catalog_markdown"


def test_staged_scans_the_staged_content_not_the_working_tree(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    git = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *a], cwd=tmp_path, env=env, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    write(tmp_path, {"settings.py": f'CLIENT_SECRET = "{SECRET}"\n', "clean.py": "x = 1\n"})
    git("add", "settings.py", "clean.py")
    # the working tree is fixed but the fix is not staged: the commit would still leak the secret
    write(tmp_path, {"settings.py": 'import os\nCLIENT_SECRET = os.environ["CLIENT_SECRET"]\n'})
    result = invoke(["check", "--staged", "--no-cache", "--format", "json"], tmp_path)
    document = json.loads(result.output)
    assert result.exit_code == 1
    assert [(f["path"], f["line"], f["rule"]) for f in document["findings"]] == [("settings.py", 1, "OA101")]
    git("add", "settings.py")
    assert invoke(["check", "--staged", "--no-cache"], tmp_path).exit_code == 0
