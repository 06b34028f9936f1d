"""Configuration: ``[tool.credlint]`` in pyproject.toml or ``.credlint.toml``, strictly validated.

Discovered per directory, as ruff does: each file is governed by the nearest config between it and
the scan root, so a monorepo scanned from its root gives the same result as each package scanned on
its own. ``--config FILE`` forces one file. Every problem names the file and the key (exit 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from checker.model import SecretInventoryEntry, Settings, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = (".credlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """A user error in configuration; the message names the file and the key."""


_PLAIN = re.compile(r"^(?:OA\d{0,3}|ALL|[A-Za-z][A-Za-z0-9_\-]{0,40}|[A-Za-z0-9_\-./*{}]{1,60}|(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|\*) /[A-Za-z0-9_\-./*{}]{0,60})$")


def shown(value: object) -> str:
    """How an invalid config value or key appears in an error message.

    A user may paste a secret into the wrong key; an error must not print it back. Identifiers,
    rule ids, globs and routes are shown as written; anything else only by its redaction.
    """
    from checker.redact import _looks_like_credential, redact

    text = str(value)
    if _PLAIN.match(text) and (text.upper().startswith("OA") or not _looks_like_credential(text)):
        return repr(text)
    return redact(text)


def _where(source: str, key: str) -> str:
    return f"{source}: [tool.credlint] {key}" if source.endswith("pyproject.toml") else f"{source}: {key}"


def _str_list(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{_where(source, key)} must be a list of strings")
    return tuple(value)


def _rule_selectors(value: Any, source: str, key: str, is_valid: Callable[[str], bool]) -> tuple[str, ...]:
    items = _str_list(value, source, key)
    for item in items:
        if not is_valid(item):
            raise ConfigError(f"{_where(source, key)}: unknown rule id or prefix {shown(item)}")
    return tuple(i.upper() for i in items)


def _severity(value: Any, source: str, key: str) -> Severity:
    if not isinstance(value, str):
        raise ConfigError(f"{_where(source, key)} must be a string (low, medium, high or critical)")
    try:
        return Severity.parse(value)
    except ValueError:
        raise ConfigError(f"{_where(source, key)} must be one of info, low, medium, high, critical (got {shown(value)})") from None


def _positive_int(value: Any, source: str, key: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{_where(source, key)} must be an integer ≥ {minimum}")
    return value


def _date(value: Any, source: str, key: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ConfigError(f"{_where(source, key)} must be a date like 2026-09-01")


def _per_file_ignores(value: Any, source: str, key: str, is_valid: Callable[[str], bool]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(source, key)} must be a table of glob = [rule ids]")
    return tuple((pattern, _rule_selectors(ids, source, f"{key}.{shown(pattern)}", is_valid)) for pattern, ids in sorted(value.items()))


def _severity_overrides(value: Any, source: str, key: str, known: Callable[[str], bool]) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(source, key)} must be a table of rule id = severity")
    out = []
    for rule_id, sev in sorted(value.items()):
        if not known(rule_id) or len(rule_id) != 5:
            raise ConfigError(f"{_where(source, key)}: unknown rule id {shown(rule_id)}")
        out.append((rule_id.upper(), _severity(sev, source, f"{key}.{rule_id}")))
    return tuple(out)


def _scope_map(value: Any, source: str, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(source, key)} must be a table of \"METHOD /path\" = \"scope\"")
    out = []
    for route, scope in sorted(value.items()):
        parts = route.split()
        if len(parts) != 2 or parts[0].upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*") or not parts[1].startswith("/"):
            raise ConfigError(f"{_where(source, key)}: entry {shown(route)} must look like \"GET /v1/accounts\"")
        if not isinstance(scope, str) or not scope.strip():
            raise ConfigError(f"{_where(source, key)}.{shown(route)} must be a scope string")
        out.append((f"{parts[0].upper()} {parts[1]}", scope.strip()))
    return tuple(out)


def _secrets(value: Any, source: str, key: str) -> tuple[SecretInventoryEntry, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{_where(source, key)} must be an array of tables ([[tool.credlint.secrets]])")
    entries = []
    for index, item in enumerate(value):
        where = f"{key}[{index}]"
        unknown = set(item) - {"name", "last-rotated", "where", "rotation-days"}
        if unknown:
            raise ConfigError(f"{_where(source, where)}: unknown key {shown(sorted(unknown)[0])}")
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ConfigError(f"{_where(source, where + '.name')} is required and must be a string")
        if "last-rotated" not in item:
            raise ConfigError(f"{_where(source, where + '.last-rotated')} is required")
        entries.append(
            SecretInventoryEntry(
                name=item["name"],
                last_rotated=_date(item["last-rotated"], source, where + ".last-rotated"),
                where=_str_list(item.get("where", []), source, where + ".where"),
                rotation_days=_positive_int(item["rotation-days"], source, where + ".rotation-days", 1) if "rotation-days" in item else None,
            )
        )
    return tuple(entries)


def _profile(value: Any, source: str, key: str) -> str:
    if value not in ("aelix", "none"):
        raise ConfigError(f"{_where(source, key)} must be \"aelix\" or \"none\"")
    return value


def _bool(value: Any, source: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{_where(source, key)} must be true or false")
    return value


def _parsers(is_valid: Callable[[str], bool], known: Callable[[str], bool]) -> dict[str, tuple[str, Callable[[Any, str, str], Any]]]:
    """config key -> (Settings field, parser)."""
    return {
        "select": ("select", lambda v, s, k: _rule_selectors(v, s, k, is_valid)),
        "ignore": ("ignore", lambda v, s, k: _rule_selectors(v, s, k, is_valid)),
        "extend-select": ("select", lambda v, s, k: _rule_selectors(v, s, k, is_valid)),
        "exclude": ("exclude", _str_list),
        "per-file-ignores": ("per_file_ignores", lambda v, s, k: _per_file_ignores(v, s, k, is_valid)),
        "severity": ("severity", lambda v, s, k: _severity_overrides(v, s, k, known)),
        "fail-on": ("fail_on", _severity),
        "token-endpoints": ("token_endpoints", _str_list),
        "allowed-http-hosts": ("allowed_http_hosts", _str_list),
        "refresh-margin-seconds": ("refresh_margin_seconds", lambda v, s, k: _positive_int(v, s, k, 0)),
        "max-secret-age-days": ("max_secret_age_days", lambda v, s, k: _positive_int(v, s, k, 1)),
        "profile": ("profile", _profile),
        "scope-map": ("scope_map", _scope_map),
        "secrets": ("secrets", _secrets),
        "max-file-size": ("max_file_size", lambda v, s, k: _positive_int(v, s, k, 1)),
        "file-time-budget": ("time_budget_seconds", lambda v, s, k: float(_positive_int(v, s, k, 1))),
        "strict": ("strict", _bool),
    }


def _registry_checks() -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    from checker.registry import is_valid_selector, known_ids

    return is_valid_selector, lambda rule_id: rule_id.upper() in known_ids()


def read_table(path: Path) -> dict[str, Any] | None:
    """The credlint table of a config file (None when a pyproject.toml has no [tool.credlint])."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.__class__.__name__})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("credlint")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.credlint] must be a table")
        return table
    return data


def settings_from_table(table: Mapping[str, Any], source: str, base: Settings | None = None) -> Settings:
    """Validate a config table and build Settings; unknown keys and bad values raise ConfigError."""
    is_valid, known = _registry_checks()
    parsers = _parsers(is_valid, known)
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in parsers:
            raise ConfigError(f"{_where(source, 'unknown key')} {shown(key)} (known: {', '.join(sorted(parsers))})")
        field_name, parse = parsers[key]
        parsed = parse(raw, source, key)
        if key == "extend-select":
            parsed = tuple(values.get("select", (base or Settings()).select)) + parsed
        values[field_name] = parsed
    values["source"] = source
    return replace(base or Settings(), **values)


def settings_hash(settings: Settings) -> str:
    """Stable hash of the effective settings (part of the cache key and the report metadata)."""
    def default(obj: Any) -> Any:
        if isinstance(obj, Severity):
            return obj.label
        return str(obj)

    payload = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name != "source"}
    blob = json.dumps(payload, default=default, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class ConfigResolver:
    """Finds and caches the governing config of each directory under the scan root."""

    def __init__(self, root: Path, forced: Path | None = None, overrides: Mapping[str, Any] | None = None) -> None:
        self.root = root.resolve()
        self.overrides = dict(overrides or {})
        self._by_dir: dict[Path, Settings] = {}
        self._by_given: dict[Path, Settings] = {}  # as passed in (unresolved), to skip resolve()
        self._loaded: dict[Path, Settings | None] = {}
        self.forced: Settings | None = None
        if forced is not None:
            if not forced.is_file():
                raise ConfigError(f"{forced}: config file not found")
            table = read_table(forced)
            if table is None:
                raise ConfigError(f"{forced}: no [tool.credlint] table in this pyproject.toml")
            self.forced = self._finish(settings_from_table(table, self._display(forced)), forced.parent)

    def _display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return str(path)

    def _finish(self, settings: Settings, config_dir: Path) -> Settings:
        """Apply CLI overrides and rebase path patterns onto the scan root."""
        settings = replace(settings, **self.overrides)
        try:
            base = config_dir.resolve().relative_to(self.root).as_posix()
        except ValueError:
            base = ""
        if base in ("", "."):
            return settings
        rebase = lambda p: p if "/" not in p.strip("/") and not p.startswith("/") else f"{base}/{p.lstrip('/')}"  # noqa: E731
        return replace(
            settings,
            exclude=tuple(rebase(p) for p in settings.exclude),
            per_file_ignores=tuple((rebase(p), ids) for p, ids in settings.per_file_ignores),
            secrets=tuple(replace(e, where=tuple(rebase(w) for w in e.where)) for e in settings.secrets),
        )

    def _config_in(self, directory: Path) -> Settings | None:
        if directory in self._loaded:
            return self._loaded[directory]
        found: Settings | None = None
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and self._trusted_location(candidate):
                table = read_table(candidate)
                if table is not None:
                    found = self._finish(settings_from_table(table, self._display(candidate)), directory)
                    break
        self._loaded[directory] = found
        return found

    def _trusted_location(self, candidate: Path) -> bool:
        """A config that is a symlink out of the scanned tree is outside content: not read."""
        if not candidate.is_symlink():
            return True
        try:
            target = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return False
        return target == self.root or self.root in target.parents

    def for_directory(self, directory: Path) -> Settings:
        if self.forced is not None:
            return self.forced
        known = self._by_given.get(directory)
        if known is not None:
            return known  # resolving costs a system call per path component, for every file
        given = directory
        directory = directory.resolve()
        if directory in self._by_dir:
            self._by_given[given] = self._by_dir[directory]
            return self._by_dir[directory]
        settings = self._config_in(directory)
        if settings is None:
            parent = directory.parent
            inside = directory != self.root and (self.root in directory.parents)
            if inside:
                settings = self.for_directory(parent)
            else:
                settings = self._outside_root_default()
        self._by_dir[directory] = settings
        self._by_given[given] = settings
        return settings

    def _outside_root_default(self) -> Settings:
        """Root-level fallback: the config of the git work tree containing the root, if any."""
        top = _git_toplevel(self.root)
        directory = self.root
        while top is not None and directory != top and top in directory.parents:
            directory = directory.parent
            found = self._config_in(directory)
            if found is not None:
                return found
        return replace(Settings(), **self.overrides)

    def for_file(self, path: Path) -> Settings:
        return self.for_directory(path.parent)

    @property
    def project(self) -> Settings:
        """Settings of the scan root (used by project rules)."""
        return self.for_directory(self.root)


def _git_toplevel(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def describe(settings: Settings) -> dict[str, Any]:
    """JSON-able view of settings (for --verbose and reports)."""
    data = asdict(settings)
    data["fail_on"] = settings.fail_on.label
    data["severity"] = {k: v.label for k, v in settings.severity}
    return data


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
