"""GitRepo against real repositories built in temporary directories with backdated commits."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.gitinfo import NOT_COMMITTED, GitRepo, parse_iso, parse_porcelain

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class GitBuilder:
    """A throwaway repository whose commits carry the dates we choose (isolated from user config)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    @staticmethod
    def env(date: str | None = None) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            env.pop(name, None)
        env.update(
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_CONFIG_NOSYSTEM="1",
            GIT_AUTHOR_NAME="Test Author",
            GIT_AUTHOR_EMAIL="author@example.test",
            GIT_COMMITTER_NAME="Test Author",
            GIT_COMMITTER_EMAIL="author@example.test",
        )
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        return env

    def git(self, *args: str, date: str | None = None, cwd: Path | None = None) -> str:
        out = subprocess.run(["git", *args], cwd=cwd or self.root, env=self.env(date), check=True, capture_output=True)
        return out.stdout.decode("utf-8", "replace").strip()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, date: str, message: str = "change") -> str:
        """Commit everything with author and committer date ``date`` (``2026-01-15`` or ISO)."""
        stamp = date if "T" in date else f"{date}T12:00:00+00:00"
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=stamp)
        return self.git("rev-parse", "HEAD")

    def shallow_clone(self, target: Path) -> Path:
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{self.root}", str(target)], env=self.env(), check=True, capture_output=True)
        return target


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """GitRepo reads os.environ: never let the developer's git config or a hook's GIT_DIR leak in."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


SECRET_LINE = 'CLIENT_SECRET = "Zx8kq2LmP0aa77fghT5vW9yB3nD6pR1sU4xA"\n'


def test_discover_none_outside_a_repository(tmp_path: Path) -> None:
    assert GitRepo.discover(str(tmp_path)) is None
    assert GitRepo.discover(str(tmp_path / "missing")) is None


def test_discover_none_without_git(tmp_path: Path) -> None:
    GitBuilder(tmp_path)
    assert GitRepo.discover(str(tmp_path), git=str(tmp_path / "no-such-git")) is None


def test_basic_facts(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path / "repo")
    b.write("app/settings.py", "X = 1\n")
    sha = b.commit("2025-01-02")
    repo = GitRepo.discover(str(b.root / "app"))
    assert repo is not None
    assert Path(repo.toplevel) == b.root.resolve()
    assert repo.head_commit() == sha
    assert repo.branch() == "main"
    assert repo.is_shallow() is False
    assert repo.has_commits()


def test_unborn_repository(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    assert repo.head_commit() is None and not repo.has_commits()
    assert repo.blame_lines("x.py", [1]) == {}
    assert repo.last_change("x.py") is None


def test_tracked_and_staged_files_relative_to_cwd(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write(".gitignore", "*.log\n")
    b.write("svc/a.py", "a = 1\n")
    b.write("top.txt", "x\n")
    b.commit("2025-01-02")
    b.write("svc/new.py", "n = 1\n")
    b.write("svc/debug.log", "ignored\n")
    b.write("svc/a.py", "a = 2\n")
    b.git("add", "svc/a.py")
    repo = GitRepo.discover(str(b.root / "svc"))
    assert repo is not None
    assert repo.tracked_files() == ["a.py", "new.py"]
    assert repo.tracked_files(others=False) == ["a.py"]
    assert repo.staged_files() == ["a.py"]
    assert repo.staged_blob("a.py") == b"a = 2\n"
    assert repo.staged_blob("missing.py") is None
    assert repo.is_tracked("a.py") and not repo.is_tracked("new.py")


def test_blame_dates_lines_once_per_file(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("settings.py", "import os\n" + SECRET_LINE)
    old = b.commit("2025-01-02")
    b.write("settings.py", "import os\n" + SECRET_LINE + "DEBUG = True\n")
    new = b.commit("2026-03-04")
    b.write("settings.py", "import os\n" + SECRET_LINE + "DEBUG = True\nEXTRA = 1\n")  # uncommitted line 4
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    blamed = repo.blame_lines("settings.py", [2, 3, 4, 99])
    assert blamed[2].commit == old and blamed[2].author_time.date() == dt.date(2025, 1, 2)
    assert blamed[3].commit == new
    assert blamed[4].commit == NOT_COMMITTED and not blamed[4].committed
    assert 99 not in blamed
    # cached: a second question costs no process
    repo.git = str(tmp_path / "no-such-git")
    assert repo.blame_lines("settings.py", [2])[2].commit == old


def test_blame_follows_renames_and_ignores_whitespace(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("old_settings.py", "import os\n" + SECRET_LINE)
    first = b.commit("2025-01-02")
    b.git("mv", "old_settings.py", "settings.py")
    b.commit("2026-05-01", "rename")
    b.write("settings.py", "import os\n" + "    " + SECRET_LINE.strip() + "   \n")
    b.commit("2026-06-01", "reindent")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    info = repo.blame_lines("settings.py", [2])[2]
    assert info.commit == first
    assert info.original_path == "old_settings.py"


def test_last_change_and_last_commit(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("a.yaml", "a: 1\n")
    b.commit("2025-01-02")
    b.git("mv", "a.yaml", "b.yaml")
    b.commit("2025-02-03T10:00:00+02:00")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    when = repo.last_change("b.yaml")
    assert when is not None and when.isoformat() == "2025-02-03T10:00:00+02:00"
    info = repo.last_commit("b.yaml")
    assert info is not None and info.author_time == when
    assert repo.last_change("missing.yaml") is None


def test_first_appearance_follows_renames_and_keeps_values_off_the_command_line(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("conf.py", SECRET_LINE)
    first = b.commit("2025-01-02")
    b.git("mv", "conf.py", "settings.py")
    b.commit("2025-06-01")
    b.write("settings.py", SECRET_LINE.rstrip("\n") + "  # reviewed\n")  # the line changes, the value does not
    b.commit("2026-01-01")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None
    value = "Zx8kq2LmP0aa77fghT5vW9yB3nD6pR1sU4xA"
    found = repo.first_appearance("settings.py", [value, "never-committed-value"])
    assert set(found) == {value}
    assert found[value].commit == first and found[value].author_time.date() == dt.date(2025, 1, 2)


def test_shallow_clone_is_detected(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path / "origin")
    b.write("a.py", "a = 1\n")
    b.commit("2025-01-02")
    b.write("a.py", "a = 2\n")
    b.commit("2025-02-02")
    clone = b.shallow_clone(tmp_path / "clone")
    repo = GitRepo.discover(str(clone))
    assert repo is not None and repo.is_shallow() is True


def test_failures_are_empty_results_not_exceptions(tmp_path: Path) -> None:
    repo = GitRepo(toplevel=str(tmp_path), cwd=str(tmp_path), git=str(tmp_path / "no-such-git"))
    assert repo.head_commit() is None
    assert repo.branch() is None
    assert repo.is_shallow() is None
    assert repo.tracked_files() == []
    assert repo.staged_files() == []
    assert repo.blame_lines("a.py", [1]) == {}
    assert repo.first_appearance("a.py", ["value"]) == {}
    with repo.stream(["log"]) as proc:
        assert proc is None


def test_parse_porcelain_repeated_commit_headers() -> None:
    sha = "a" * 40
    out = (
        f"{sha} 1 1 2\nauthor A\nauthor-time 1704103200\nauthor-tz +0000\ncommitter-time 1704103300\ncommitter-tz -0130\nfilename x.py\n\tline one\n"
        f"{sha} 2 2\nfilename x.py\n\tline two\n"
    ).encode()
    parsed = parse_porcelain(out)
    assert set(parsed) == {1, 2}
    assert parsed[2].committer_time.utcoffset() == -dt.timedelta(hours=1, minutes=30)


def test_parse_iso() -> None:
    assert parse_iso("2025-01-02T03:04:05Z") == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert parse_iso("2025-01-02T03:04:05.123456789+02:00") is not None
    assert parse_iso("yesterday") is None


def test_repo_is_picklable(tmp_path: Path) -> None:
    import pickle

    b = GitBuilder(tmp_path)
    b.write("a.py", "a = 1\n")
    b.commit("2025-01-02")
    repo = GitRepo.discover(str(b.root))
    assert repo is not None and repo.head_commit()
    clone = pickle.loads(pickle.dumps(repo))
    assert clone.toplevel == repo.toplevel and clone.head_commit() == repo.head_commit()
