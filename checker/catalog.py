"""What the rules are (ids, kinds, documentation) without importing them.

Importing the rule modules imports libcst (about 0.25 s of node-class creation) and every shared
analysis. A scan whose files all come from the result cache runs no rule, but still needs the rule
ids (selectors, suppressions) and their metadata (reports). This module serves them from a JSON
snapshot kept in the scan's cache directory, valid while the credlint version and the rule sources
(path, size and modification time of every file of the ``rules`` package and of the rule model)
are unchanged; otherwise it imports the rules (``checker.registry``) and can write a new snapshot.

Like the result cache, the snapshot is data only (JSON, never pickle) and is ignored when it does
not match, cannot be read, or sits behind a symlink.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from checker import __version__
from checker.model import RuleMeta

SNAPSHOT_NAME = "rules.json"
GROUPS = ("python", "config", "text", "project")


@dataclass(frozen=True)
class RuleInfo:
    """One rule as the engine and the reports see it before (or without) importing it."""

    id: str
    group: str  # "python" | "config" | "text" | "project" (checker.registry.split_by_kind)
    meta: RuleMeta


class _State:
    infos: tuple[RuleInfo, ...] | None = None
    from_snapshot = False
    directory: Path | None = None


def use_snapshot(directory: Path | None) -> None:
    """Read (and later write, see ``save_snapshot``) the snapshot in ``directory`` (None: never).
    Call before anything asks for rule ids; an answer computed already is kept."""
    _State.directory = directory


def rule_infos() -> tuple[RuleInfo, ...]:
    """Every registered rule, sorted by id."""
    if _State.infos is None:
        loaded = _load(_State.directory) if _State.directory is not None else None
        _State.from_snapshot = loaded is not None
        _State.infos = loaded if loaded is not None else _from_classes()
    return _State.infos


def known_ids() -> frozenset[str]:
    return frozenset(info.id for info in rule_infos())


def save_snapshot(directory: Path) -> None:
    """Write the snapshot when this process imported the rules and the directory lacks a current
    one. Never fails the scan (a read-only tree just stays slower)."""
    if _State.from_snapshot or directory.is_symlink() or (directory / SNAPSHOT_NAME).is_symlink():
        return
    infos = rule_infos()
    if _State.from_snapshot:
        return
    key = sources_key()
    if _load(directory, key) is not None:
        return
    from checker.serialize import meta_to_dict

    payload = {"key": key, "rules": [{"id": i.id, "group": i.group, "meta": meta_to_dict(i.meta)} for i in infos]}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, separators=(",", ":"))
        os.replace(tmp, directory / SNAPSHOT_NAME)
    except OSError:
        return


def reset() -> None:
    """Forget what this process knows (tests)."""
    _State.infos = None
    _State.from_snapshot = False
    _State.directory = None


def _from_classes() -> tuple[RuleInfo, ...]:
    from checker.registry import all_rules, split_by_kind

    classes = all_rules()
    group_of = {cls: group for group, members in split_by_kind(classes).items() for cls in members}
    return tuple(RuleInfo(id=cls.id, group=group_of[cls], meta=cls.meta()) for cls in classes)


def _load(directory: Path, key: str | None = None) -> tuple[RuleInfo, ...] | None:
    path = directory / SNAPSHOT_NAME
    try:
        if directory.is_symlink() or path.is_symlink():
            return None
        with path.open("r", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != (key or sources_key()):
        return None
    from checker.serialize import meta_from_dict

    try:
        infos = tuple(RuleInfo(id=r["id"], group=r["group"], meta=meta_from_dict(r["meta"])) for r in data["rules"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not infos or any(i.group not in GROUPS or i.id != i.meta.id for i in infos):
        return None
    return infos


def sources_key() -> str:
    """Fingerprint of what the rule metadata is made from: the version, the rule model, and every
    file of the ``rules`` package (stat only; no file is read)."""
    import checker
    from checker.registry import rule_source_dirs

    digest = hashlib.sha256(__version__.encode())
    checker_dir = Path(checker.__file__).parent
    entries: list[tuple[str, int, int]] = []
    for name in ("model.py", "rule.py", "pyrule.py", "serialize.py"):
        entries.append(_stat_entry(checker_dir / name, checker_dir))
    for root in rule_source_dirs():
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for filename in sorted(filenames):
                if filename.endswith(".py"):
                    entries.append(_stat_entry(Path(dirpath) / filename, root))
    for entry in sorted(entries):
        digest.update(repr(entry).encode())
    return digest.hexdigest()[:32]


def _stat_entry(path: Path, root: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path.relative_to(root)), -1, -1)
    return (str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns)

