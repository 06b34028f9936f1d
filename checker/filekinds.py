"""Classify a file by name (and a peek at its content) and decide whether it is test code."""

from __future__ import annotations

import posixpath
import re

_PY_SHEBANG = re.compile(rb"^#![^\n]*\bpython[0-9.]*\b")

_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs"})


def config_kind(path: str) -> str | None:
    """The config document kind of ``path``, or None (delegates to documents when available)."""
    try:
        from checker.documents import classify_config_kind
    except ImportError:  # pragma: no cover - documents is part of the package
        return None
    return classify_config_kind(path)


def classify(path: str, head: bytes = b"") -> str:
    """One of: python, a config kind (dotenv, yaml, json, toml, ini, dockerfile, hcl), or text."""
    name = posixpath.basename(path)
    lower = name.lower()
    if lower.endswith((".py", ".pyi", ".pyw")):
        return "python"
    kind = config_kind(path)
    if kind is not None:
        return kind
    if "." not in name and _PY_SHEBANG.match(head):
        return "python"
    return "text"


def is_test_path(path: str) -> bool:
    """Test code gets severity lowered by one step (not dropped: a real secret in a test is still real)."""
    parts = path.split("/")
    name = parts[-1]
    if any(p.lower() in _TEST_DIRS for p in parts[:-1]):
        return True
    return name.startswith("test_") or name.endswith(("_test.py", "_tests.py")) or name == "conftest.py"


def is_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]
