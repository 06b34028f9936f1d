"""Per-file result cache keyed by (tool version, effective config hash, file content hash).

One JSON file per scan root under ``.credlint_cache/`` (like ruff's), never pickle: the cache sits in
the scanned tree and must be data only. A file whose size and mtime are unchanged is trusted without
re-hashing (as git and ruff do); otherwise its content hash decides. Writes are atomic (temp file +
rename) so concurrent runs never see a torn file; the last writer wins, and every entry is
self-validating through its key.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.model import FileResult
from checker.serialize import result_from_dict, result_to_dict

CACHE_DIR = ".credlint_cache"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_key(version: str, settings_hash: str, rel_path: str, digest: str) -> str:
    return hashlib.sha256(f"{version}\x00{settings_hash}\x00{rel_path}\x00{digest}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass
class CacheEntry:
    key: str  # entry_key(...) of the content that produced ``result``
    size: int
    mtime_ns: int
    settings_hash: str
    result: dict[str, Any]


class ResultCache:
    def __init__(self, root: Path, version: str, enabled: bool = True) -> None:
        self.enabled = enabled
        self.version = version
        self.directory = root / CACHE_DIR
        self.file = self.directory / f"results-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]}.json"
        self.entries: dict[str, CacheEntry] = {}
        # The project phase's output (project rules over every file's facts) and the key it is
        # valid for; see ``checker.engine._project_key``.
        self.project: dict[str, Any] | None = None
        self.dirty = False
        if self.directory.is_symlink() or self.file.is_symlink():
            # A symlinked cache could make us read or write outside the scanned tree.
            self.enabled = False
        if self.enabled:
            self._load()

    def _load(self) -> None:
        try:
            with self.file.open("r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("version") != self.version:
            return
        project = data.get("project")
        if isinstance(project, dict) and isinstance(project.get("key"), str) and isinstance(project.get("output"), dict):
            self.project = project
        for rel, raw in data.get("entries", {}).items():
            try:
                self.entries[rel] = CacheEntry(raw["key"], raw["size"], raw["mtime_ns"], raw["settings_hash"], raw["result"])
            except (KeyError, TypeError):
                continue

    def lookup_by_stat(self, rel: str, stat: os.stat_result, settings_hash: str) -> FileResult | None:
        """A hit without reading the file: same size, mtime and settings as when it was cached."""
        entry = self.entries.get(rel) if self.enabled else None
        if entry is None or entry.settings_hash != settings_hash:
            return None
        if entry.size != stat.st_size or entry.mtime_ns != stat.st_mtime_ns:
            return None
        return self._decode(entry)

    def lookup_by_content(self, rel: str, key: str) -> FileResult | None:
        entry = self.entries.get(rel) if self.enabled else None
        if entry is None or entry.key != key:
            return None
        return self._decode(entry)

    def _decode(self, entry: CacheEntry) -> FileResult | None:
        try:
            return result_from_dict(entry.result)
        except (KeyError, TypeError, ValueError):
            return None

    def entry_key_of(self, rel: str) -> str | None:
        """The key of the entry now held for ``rel`` (None when it has none)."""
        entry = self.entries.get(rel) if self.enabled else None
        return entry.key if entry is not None else None

    def lookup_project(self, key: str) -> dict[str, Any] | None:
        if not self.enabled or self.project is None or self.project["key"] != key:
            return None
        return self.project["output"]  # type: ignore[no-any-return]

    def store_project(self, key: str, output: dict[str, Any]) -> None:
        if not self.enabled:
            return
        self.project = {"key": key, "output": output}
        self.dirty = True

    def store(self, rel: str, key: str, stat: os.stat_result | None, settings_hash: str, result: FileResult) -> None:
        if not self.enabled:
            return
        self.entries[rel] = CacheEntry(
            key=key,
            size=stat.st_size if stat else -1,
            mtime_ns=stat.st_mtime_ns if stat else -1,
            settings_hash=settings_hash,
            result=result_to_dict(result),
        )
        self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by credlint\n*\n", encoding="utf-8")
            payload = {
                "version": self.version,
                "project": self.project,
                "entries": {
                    rel: {"key": e.key, "size": e.size, "mtime_ns": e.mtime_ns, "settings_hash": e.settings_hash, "result": e.result}
                    for rel, e in sorted(self.entries.items())
                },
            }
            fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".tmp", dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError:
            # A read-only tree or a full disk must not fail the scan; the next run is just cold.
            return
