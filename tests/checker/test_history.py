"""History scanning over real repositories: blobs introduced per commit, read once, findings dated."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from checker.gitinfo import GitRepo
from checker.history import (
    HistoryError,
    could_hold_secret,
    iter_history_blobs,
    read_blobs,
    scan_history,
    validate_range,
)
from checker.model import FileResult, Finding, Severity
from checker.pipeline import fingerprint, normalized_code
from tests.checker.test_gitinfo import GitBuilder, _isolated_git  # noqa: F401 - fixture re-export

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SECRET = "Zx8kq2LmP0aa77fghT5vW9yB3nD6pR1sU4xA"
_LITERAL = re.compile(r"""CLIENT_SECRET\s*[=:]\s*["']?([A-Za-z0-9]{20,})""")


def fake_analyze(path: str, data: bytes, calls: list[str] | None = None) -> FileResult:
    """A stand-in for the secret rules: one finding per ``CLIENT_SECRET = <literal>`` line, with the
    pipeline's own fingerprint function (so fingerprints behave exactly as in a real scan)."""
    if calls is not None:
        calls.append(path)
    findings = []
    for number, line in enumerate(data.decode().splitlines(), start=1):
        match = _LITERAL.search(line)
        if match:
            code = normalized_code(line, [match.group(1)])
            findings.append(
                Finding(
                    rule="OA101", name="hardcoded-client-secret", family="secret", severity=Severity.CRITICAL,
                    path=path, line=number, column=match.start(1) + 1, end_line=number, end_column=match.end(1) + 1,
                    message="client secret assigned from a string literal", fingerprint=fingerprint("OA101", path, code, 0),
                )
            )
    return FileResult(path=path, kind="python", findings=tuple(findings))


@pytest.fixture()
def leaky_repo(tmp_path: Path) -> tuple[GitBuilder, dict[str, str]]:
    """settings.py gets a secret in commit 2 and loses it in commit 3; other files churn."""
    b = GitBuilder(tmp_path / "repo")
    shas: dict[str, str] = {}
    b.write("app/settings.py", "import os\nCLIENT_ID = 'svc'\n")
    b.write("README.md", "# svc\n")
    shas["init"] = b.commit("2025-01-02")
    b.write("app/settings.py", f"import os\nCLIENT_ID = 'svc'\nCLIENT_SECRET = \"{SECRET}\"\n")
    shas["leak"] = b.commit("2025-02-03", "debug")
    b.write("app/settings.py", "import os\nCLIENT_ID = 'svc'\nCLIENT_SECRET = os.environ['CLIENT_SECRET']\n")
    b.write("README.md", "# svc\n\nUse env vars.\n")
    shas["fix"] = b.commit("2025-02-04", "remove secret")
    b.write("copy/settings_backup.py", f"import os\nCLIENT_ID = 'svc'\nCLIENT_SECRET = \"{SECRET}\"\n")  # same blob as the leak
    b.write("logo.png", "\x89PNG fake")
    shas["copy"] = b.commit("2025-03-01", "backup")
    b.git("rm", "-q", "copy/settings_backup.py")
    shas["rm"] = b.commit("2025-03-02", "rm backup")
    return b, shas


def test_validate_range_rejects_options() -> None:
    assert validate_range(None) == ["HEAD"]
    assert validate_range("") == ["HEAD"]
    assert validate_range("--all") == ["--all"]
    assert validate_range("main..HEAD") == ["main..HEAD"]
    for bad in ("--output=/tmp/x", "-p", "a\nb"):
        with pytest.raises(HistoryError):
            validate_range(bad)


def test_each_distinct_blob_once_oldest_commit_first(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, shas = leaky_repo
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    blobs = list(iter_history_blobs(repo))
    assert len({bl.blob_sha for bl in blobs}) == len(blobs)
    leak = [bl for bl in blobs if bl.commit == shas["leak"]]
    assert [bl.path for bl in leak] == ["app/settings.py"]
    assert leak[0].date == "2025-02-03"
    # the backup is byte-identical to the leaked version: not yielded again
    assert not any(bl.path == "copy/settings_backup.py" for bl in blobs)
    assert [bl.commit for bl in blobs][0] == shas["init"]
    contents = dict(read_blobs(repo, [bl.blob_sha for bl in leak]))
    assert SECRET.encode() in contents[leak[0].blob_sha]


def test_removed_secret_found_with_commit_date_and_rotation_advice(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, shas = leaky_repo
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    calls: list[str] = []
    findings, notes = scan_history(repo, None, functools.partial(fake_analyze, calls=calls), working_tree_fingerprints=set())
    assert len(findings) == 1
    finding = findings[0]
    assert finding.path == "app/settings.py" and finding.line == 3
    assert finding.prop("commit") == shas["leak"][:12]
    assert finding.prop("date") == "2025-02-03"
    assert finding.prop("history") == "true"
    assert f"(in history: commit {shas['leak'][:12]}, 2025-02-03)" in finding.message
    assert "rotate" in finding.message
    assert SECRET not in finding.message and SECRET not in finding.snippet
    # each distinct blob analysed at most once; binaries never read into analyze
    assert "logo.png" not in calls
    assert any(n.kind == "history" for n in notes)


def test_blob_count_matches_distinct_blobs_without_line_filter(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, _shas = leaky_repo
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    distinct = {bl.blob_sha for bl in iter_history_blobs(repo) if not bl.path.endswith(".png")}
    calls: list[str] = []
    scan_history(repo, None, functools.partial(fake_analyze, calls=calls), changed_lines_only=False)
    assert len(calls) == len(distinct)


def test_working_tree_duplicates_are_skipped(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("settings.py", f'CLIENT_SECRET = "{SECRET}"\n')
    b.commit("2025-01-02")
    b.write("settings.py", f'# header\nCLIENT_SECRET = "{SECRET}"\n')  # moved down one line
    b.commit("2025-01-03")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    working = {f.fingerprint for f in fake_analyze("settings.py", (b.root / "settings.py").read_bytes()).findings}
    findings, _ = scan_history(repo, None, fake_analyze, working_tree_fingerprints=working)
    assert findings == []
    # without the working-tree set, the secret is reported once (not once per version)
    findings, _ = scan_history(repo, None, fake_analyze)
    assert len(findings) == 1 and "rotate" not in findings[0].message


def test_rev_range_limits_the_scan(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, shas = leaky_repo
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    findings, _ = scan_history(repo, f"{shas['fix']}..HEAD", fake_analyze)
    # only the backup commit introduced the secret inside this range
    assert [(f.path, f.prop("commit")) for f in findings] == [("copy/settings_backup.py", shas["copy"][:12])]
    findings, _ = scan_history(repo, f"{shas['init']}..{shas['leak']}", fake_analyze)
    assert [f.prop("commit") for f in findings] == [shas["leak"][:12]]
    with pytest.raises(HistoryError):
        scan_history(repo, "--upload-pack=evil", fake_analyze)


def test_all_refs_include_other_branches(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("a.py", "a = 1\n")
    b.commit("2025-01-02")
    b.git("checkout", "-q", "-b", "feature")
    b.write("b.env", f"CLIENT_SECRET={SECRET}\n")
    b.commit("2025-01-03")
    b.git("checkout", "-q", "main")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    assert scan_history(repo, None, fake_analyze)[0] == []
    assert [f.path for f in scan_history(repo, "--all", fake_analyze)[0]] == ["b.env"]


def test_subdirectory_scan_root_gets_relative_paths(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, _shas = leaky_repo
    repo = GitRepo.discover(str(b.root / "app"))
    assert repo is not None
    paths = {bl.path for bl in iter_history_blobs(repo)}
    assert paths == {"settings.py"}


def test_large_blobs_and_inline_suppressions(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("big.py", f'CLIENT_SECRET = "{SECRET}"\n' + "# pad\n" * 5000)
    b.write("ok.py", f'CLIENT_SECRET = "{SECRET}Q"  # credlint: ignore[OA101] rotated fixture\n')
    b.commit("2025-01-02")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None

    def analyze_with_suppressions(path: str, data: bytes) -> FileResult:
        from checker.suppress import parse_inline

        result = fake_analyze(path, data)
        return FileResult(path=path, kind="python", findings=result.findings, suppressions=parse_inline(data.decode().splitlines()))

    findings, notes = scan_history(repo, None, analyze_with_suppressions, max_blob_size=1000)
    assert findings == []
    assert any("larger than 1000" in n.message for n in notes)


def test_shallow_history_is_noted(leaky_repo: tuple[GitBuilder, dict[str, str]], tmp_path: Path) -> None:
    b, _shas = leaky_repo
    clone = b.shallow_clone(tmp_path / "clone")
    repo = GitRepo.discover(str(clone))
    assert repo is not None
    findings, notes = scan_history(repo, None, fake_analyze)
    assert findings == []
    assert any("shallow" in n.message for n in notes)


def test_not_a_repository_yields_nothing(tmp_path: Path) -> None:
    repo = GitRepo(toplevel=str(tmp_path), cwd=str(tmp_path))
    assert list(iter_history_blobs(repo)) == []
    assert scan_history(repo, None, fake_analyze)[0] == []


@pytest.mark.parametrize(
    "line",
    [
        f'CLIENT_SECRET = "{SECRET}"',
        "AELIX_CLIENT_SECRET=s3cr3tValue99",
        "password: hunter2hunter2",
        '    "hunter2hunter2",',
        "-----BEGIN PRIVATE KEY-----",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
        'headers = {"Authorization": f"Bearer {tok}"}',
    ],
)
def test_could_hold_secret_over_approximates(line: str) -> None:
    assert could_hold_secret(line)


@pytest.mark.parametrize("line", ["TIMEOUT_SECONDS = 30", "    return value * 3", "def helper(value: int) -> int:", '    """Scale a count."""', ""])
def test_could_hold_secret_skips_plain_code(line: str) -> None:
    assert not could_hold_secret(line)


def test_real_pipeline_on_history(tmp_path: Path) -> None:
    """The integrator's call: analyze = analyze_bytes with the secret rules that exist."""
    from checker.pipeline import analyze_bytes
    from checker.registry import all_rules
    from checker.model import Settings

    secret_rules = tuple(r for r in all_rules() if r.id in ("OA101", "OA102", "OA103"))
    if not secret_rules:
        pytest.skip("no secret rules registered")
    b = GitBuilder(tmp_path)
    b.write("settings.py", f'CLIENT_SECRET = "{SECRET}"\n')
    sha = b.commit("2025-01-02")
    b.write("settings.py", 'import os\nCLIENT_SECRET = os.environ["CLIENT_SECRET"]\n')
    b.commit("2025-01-03")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    analyze = functools.partial(analyze_bytes, settings=Settings(), rules=secret_rules)
    findings, _ = scan_history(repo, None, analyze, working_tree_fingerprints=set())
    assert findings and all(f.prop("commit") == sha[:12] for f in findings)
    assert all(SECRET not in f.snippet and SECRET not in f.message for f in findings)


def test_unknown_revision_is_a_note(leaky_repo: tuple[GitBuilder, dict[str, str]]) -> None:
    b, _shas = leaky_repo
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    findings, notes = scan_history(repo, "no-such-branch..HEAD", fake_analyze)
    assert findings == []
    assert any("git log failed" in n.message for n in notes)


def test_reduce_python_keeps_context_and_line_numbers() -> None:
    from checker.history import reduce_python

    text = (
        "import os\n"
        "from authlib.integrations.requests_client import OAuth2Session\n"
        "BASE = 'https://api.example.test'\n"
        "\n"
        "def unrelated():\n"
        "    return 1\n"
        "\n"
        "def unrelated_too():\n"
        "    return 2\n"
        "\n"
        "def client():\n"
        f"    return OAuth2Session('id', '{SECRET}')\n"
        "\n"
        "def more():\n"
        "    return 3\n"
    )
    reduced = reduce_python(text, [12])
    assert reduced is not None
    lines = reduced.splitlines()
    assert len(lines) == len(text.splitlines())
    assert lines[0] == "import os" and lines[2].startswith("BASE") and SECRET in lines[11]
    assert lines[4] == "" and lines[13] == ""
    assert reduce_python("def broken(:\n", [1]) is None
