"""Hostile repositories, built by the tests in temporary directories: YAML bombs, deep nesting, many
tiny files, symlinks out of the tree and in loops, files that vanish or fail to read during the scan,
unreadable directories, and paths with spaces, newlines, unicode, undecodable bytes and leading dashes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from checker.model import FileResult
from tests.hardening.helpers import run_cli, scan_tree, write_tree

SECRET_LINE = 'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"\n'
# 20,000 files keeps this test at ~20 s on 2 cores; a million takes ~15 minutes and is not a CI test.
# CREDLINT_HARDENING_MANY_FILES=1000000 runs the real thing.
MANY_FILES = int(os.environ.get("CREDLINT_HARDENING_MANY_FILES", "20000"))


def finding_paths(result: object) -> set[str]:
    return {f.path for f in result.findings}  # type: ignore[attr-defined]


def note_kinds(result: object) -> set[tuple[str, str]]:
    return {(n.path, n.kind) for n in result.notes}  # type: ignore[attr-defined]


# --- parser bombs -----------------------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *[f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)],
        "client_secret: *i",
        "token_url: http://auth.example.com/oauth/token",
    ]
)


def test_parser_bombs_finish_quickly_with_notes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "bomb.yaml": BILLION_LAUGHS + "\n",
            "merge-bomb.yml": "base: &b {k: v}\n" + "".join(f"m{i}: &m{i}\n  <<: [*{'b' if i == 0 else 'm' + str(i - 1)}, *b]\n  x{i}: 1\n" for i in range(200)),
            # each carries a trigger word, so the config rules really parse it
            "deep.json": '[{"client_secret": "x"}, ' + "[" * 200_000 + "]" * 200_000 + "]",
            "deep-objects.json": '{"client_secret": "x", "a":' + '{"a":' * 100_000 + "1" + "}" * 100_001,
            "deep.yaml": "client_secret: x\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
            "deep-block.yaml": "client_secret: x\n" + "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v: 1\n",
            "deep.toml": 'client_secret = "x"\nx = ' + "[" * 50_000 + "]" * 50_000 + "\n",
            "deep.tf": 'variable "client_secret" {\n  default = ' + "[" * 20_000 + "]" * 20_000 + "\n}\n",
            "many-keys.json": json.dumps({f"client_secret_{i}": f"Zk3P9qLm2Xv8Rt5W{i:08d}" for i in range(150_000)}),
            "app/settings.py": SECRET_LINE,
        },
    )
    started = time.monotonic()
    result = scan_tree(tmp_path)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"parser bombs took {elapsed:.0f} s"
    assert "app/settings.py" in finding_paths(result), "the real secret next to the bombs must still be found"
    reported = {n.path for n in result.notes}
    for bomb in ("deep.json", "deep.yaml", "deep.toml"):
        assert bomb in reported, f"{bomb} was not fully parsed but no note says so"


# --- many tiny files -----------------------------------------------------------------------------------------


def test_many_tiny_files(tmp_path: Path) -> None:
    for i in range(MANY_FILES):
        directory = tmp_path / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            directory.mkdir()
        (directory / f"m{i}.py").write_bytes(b"x = 1\n")
    (tmp_path / "d000" / "settings.py").write_text(SECRET_LINE, encoding="utf-8")
    started = time.monotonic()
    result = scan_tree(tmp_path, jobs=2)
    elapsed = time.monotonic() - started
    assert result.stats.files_scanned == MANY_FILES + 1
    assert finding_paths(result) == {"d000/settings.py"}
    assert elapsed < max(60.0, MANY_FILES / 250), f"{MANY_FILES} tiny files took {elapsed:.0f} s"


# --- symlinks ------------------------------------------------------------------------------------------------


def test_symlinks_out_of_the_tree_and_loops_are_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    write_tree(outside, {"secret.py": SECRET_LINE, "dir/secret.env": "CLIENT_SECRET=Q2w3E4r5T6y7U8i9O0pA\n"})
    write_tree(root, {"app/ok.py": "x = 1\n", "app/real.py": SECRET_LINE})
    links = {
        "out-file.py": outside / "secret.py",
        "out-dir": outside / "dir",
        "abs-etc": Path("/etc"),
        "loop-self": root / "loop-self",
        "loop-a": root / "loop-b",
        "loop-b": root / "loop-a",
        "dir-loop": root,
        "app/up": root / "app",
        "dangling.py": root / "missing.py",
        "inside-link.py": root / "app" / "real.py",
    }
    for name, target in links.items():
        (root / name).symlink_to(target, target_is_directory=target.is_dir())
    started = time.monotonic()
    result = scan_tree(root)
    assert time.monotonic() - started < 30
    paths = finding_paths(result)
    assert "app/real.py" in paths
    assert not any(p.startswith(("out-", "abs-etc", "dir-loop", "app/up")) or ".." in p or p.startswith("/") for p in paths), paths
    kinds = note_kinds(result)
    assert ("out-file.py", "skipped-symlink") in kinds and ("dangling.py", "skipped-symlink") in kinds
    assert ("loop-self", "skipped-symlink") in kinds or "loop-self" not in {n.path for n in result.notes}


def test_explicit_symlink_argument_pointing_outside_is_not_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    write_tree(outside, {"secret.py": SECRET_LINE})
    root.mkdir()
    (root / "link.py").symlink_to(outside / "secret.py")
    run = run_cli(["check", "--no-cache", "--format", "json", "--", "link.py"], cwd=root)
    report = json.loads(run.stdout)
    assert report["findings"] == [], "an explicit symlink argument was followed out of the tree"


# --- files that vanish, fail or are unreadable -------------------------------------------------------------------


def test_file_vanishing_between_discovery_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.engine as engine

    write_tree(tmp_path, {"a.py": SECRET_LINE, "gone.py": SECRET_LINE, "z.py": SECRET_LINE})
    real_discover = engine.discover

    def discover_then_delete(*args: object, **kwargs: object) -> object:
        found = real_discover(*args, **kwargs)
        (tmp_path / "gone.py").unlink()
        return found

    monkeypatch.setattr(engine, "discover", discover_then_delete)
    result = scan_tree(tmp_path)
    assert finding_paths(result) == {"a.py", "z.py"}
    assert ("gone.py", "unreadable") in note_kinds(result)


@pytest.mark.parametrize("error", [FileNotFoundError, PermissionError, IsADirectoryError, OSError, MemoryError])
def test_read_errors_become_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]) -> None:
    write_tree(tmp_path, {"a.py": SECRET_LINE, "bad.py": SECRET_LINE, "z.py": SECRET_LINE})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "bad.py":
            raise error(5, "simulated")  # type: ignore[call-arg]
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = scan_tree(tmp_path)
    assert finding_paths(result) == {"a.py", "z.py"}
    assert ("bad.py", "unreadable") in note_kinds(result) or any(n.path == "bad.py" for n in result.notes)


def test_file_changing_during_the_scan_is_analysed_consistently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Content read once is the content analysed: findings, snippets and the cache agree."""
    write_tree(tmp_path, {"app.py": "x = 1\n"})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        data = real(self)
        if self.name == "app.py":
            self.write_text(SECRET_LINE, encoding="utf-8")  # changes right after the read
        return data

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    first = scan_tree(tmp_path, use_cache=True)
    monkeypatch.setattr(Path, "read_bytes", real)
    second = scan_tree(tmp_path, use_cache=True)
    assert first.findings == ()
    assert "app.py" in finding_paths(second), "the cache kept the result of the old content for the new file"


def test_unreadable_directory_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"ok/a.py": SECRET_LINE, "locked/b.py": SECRET_LINE, "ok/locked.py": SECRET_LINE})
    if os.geteuid() == 0:
        # root reads through chmod 000: simulate the denial where discovery and the engine meet the OS
        real_scandir, real_read = os.scandir, Path.read_bytes

        def scandir(path: object = ".") -> object:
            if os.fspath(path).endswith("locked"):  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", os.fspath(path))  # type: ignore[arg-type]
            return real_scandir(path)  # type: ignore[arg-type]

        def read_bytes(self: Path) -> bytes:
            if self.name == "locked.py":
                raise PermissionError(13, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
        result = scan_tree(tmp_path)
    else:
        (tmp_path / "locked").chmod(0)
        (tmp_path / "ok" / "locked.py").chmod(0)
        try:
            result = scan_tree(tmp_path)
        finally:
            (tmp_path / "locked").chmod(0o755)
            (tmp_path / "ok" / "locked.py").chmod(0o644)
    assert finding_paths(result) == {"ok/a.py"}
    kinds = note_kinds(result)
    assert ("ok/locked.py", "unreadable") in kinds
    assert any(kind == "unreadable" and path.startswith("locked") for path, kind in kinds), kinds


# --- odd paths -------------------------------------------------------------------------------------------------

ODD_NAMES = (
    "my file.py",
    "new\nline.py",
    "tab\there.py",
    "ünïcødé/秘密.py",
    "emoji 🔑.py",
    "-rf.py",
    "--help.py",
    "--version/app.py",
    "-/x.py",
    "quote'\"name.py",
    "back\\slash.py",
    "percent%20and#hash?.py",
    ".hidden.py",
)


@pytest.fixture
def odd_tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_tree(root, {name: SECRET_LINE for name in ODD_NAMES})
    (root / os.fsdecode(b"bad-\xff-bytes.py")).write_text(SECRET_LINE, encoding="utf-8")
    return root


def test_odd_paths_in_a_directory_scan_are_all_reported_in_every_format(odd_tree: Path) -> None:
    from reports import FORMATS, RenderOptions, render

    result = scan_tree(odd_tree)
    expected = set(ODD_NAMES) | {os.fsdecode(b"bad-\xff-bytes.py")}
    assert finding_paths(result) == expected
    for fmt in FORMATS:
        out = render(fmt, result, RenderOptions(verbose=True))
        out.encode("utf-8")  # no lone surrogates escape into the output
        if fmt in ("json", "sarif"):
            json.loads(out)


@pytest.mark.parametrize("name", ["-rf.py", "--help.py", "--version/app.py", "my file.py", "new\nline.py"])
def test_odd_paths_given_explicitly_after_double_dash(odd_tree: Path, name: str) -> None:
    run = run_cli(["check", "--no-cache", "--format", "json", "--", name], cwd=odd_tree)
    assert run.exit_code == 1, (run.exit_code, run.stdout[-500:], run.stderr)
    assert [f["path"] for f in json.loads(run.stdout)["findings"]] == [name]


def test_dash_named_directory_scanned_as_a_directory(odd_tree: Path) -> None:
    run = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=odd_tree)
    paths = {f["path"] for f in json.loads(run.stdout)["findings"]}
    assert {"-rf.py", "--help.py", "--version/app.py"} <= paths


def test_analyze_bytes_accepts_any_path_string() -> None:
    from checker.model import Settings
    from checker.pipeline import analyze_bytes
    from checker.registry import all_rules

    for path in ("", ".", "/", "a/../b.py", "\udcff.py", "x" * 5000 + ".py", "C:\\win\\path.py", "dir/.env.py.yaml"):
        assert isinstance(analyze_bytes(path, SECRET_LINE.encode(), Settings(), all_rules()), FileResult)
