"""Record which files a piece of code opens, lists and writes, through a Python audit hook (PEP 578).

Audit hooks cannot be removed, so one hook is installed per process and records only while a
``recording()`` block is active. It sees every open() (builtins, io, pathlib), os.open, os.listdir and
os.scandir made in this process, including from C extensions that go through the Python I/O layer.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator


@dataclass
class Access:
    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)
    listings: set[str] = field(default_factory=set)


_ACTIVE: list[Access] = []
_LOCK = threading.Lock()
_INSTALLED = False

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _path(value: Any) -> str | None:
    if isinstance(value, int):
        return None  # an already-open file descriptor
    try:
        return os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _ACTIVE:
        return
    if event == "open":
        path = _path(args[0])
        if path is None:
            return
        mode, flags = args[1], args[2]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS)
        for access in _ACTIVE:
            (access.writes if writing else access.reads).add(path)
    elif event in ("os.listdir", "os.scandir"):
        path = _path(args[0] if args and args[0] is not None else ".")
        if path is not None:
            for access in _ACTIVE:
                access.listings.add(path)
    elif event in ("os.rename", "os.replace", "os.remove", "os.mkdir", "os.symlink", "os.link", "os.rmdir", "os.chmod", "os.truncate", "shutil.rmtree"):
        for arg in args[:2]:
            path = _path(arg)
            if path is not None:
                for access in _ACTIVE:
                    access.writes.add(path)


@contextmanager
def recording() -> Iterator[Access]:
    global _INSTALLED
    with _LOCK:
        if not _INSTALLED:
            sys.addaudithook(_hook)
            _INSTALLED = True
    access = Access()
    _ACTIVE.append(access)
    try:
        yield access
    finally:
        _ACTIVE.remove(access)


def under(path: str, directory: Path) -> bool:
    base = os.path.abspath(str(directory))
    return path == base or path.startswith(base + os.sep)
