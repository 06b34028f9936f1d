"""Immutable data model shared by the engine, the rules and the renderers.

Everything here is a frozen dataclass or an enum so that results can be cached, sent between
processes and rendered by pure functions without anyone mutating them on the way.
"""

from __future__ import annotations

import enum
import textwrap
from dataclasses import dataclass, field
from typing import Any, Mapping


class Severity(enum.IntEnum):
    """Ordered severities; ``info`` never fails a run."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected one of: {', '.join(s.label for s in cls)})") from None

    def lowered(self) -> "Severity":
        """One step lower (used for test code), never below ``info``."""
        return Severity(max(self.value - 1, Severity.INFO.value))


class Confidence(enum.IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.lower()


# Families in guide order; each maps to one of the guide's security tips.
FAMILIES: tuple[str, ...] = ("secret", "log", "http", "tls", "scope", "refresh", "rotation")

# One control per guide tip, used by the JSON summary and the HTML compliance table.
CONTROLS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("secret", "Never commit client secrets or other credentials", ("secret",)),
    ("log", "Never log access tokens or secrets", ("log",)),
    ("https", "Use HTTPS for every request", ("http", "tls")),
    ("scope", "Request only the scopes the application needs", ("scope",)),
    ("refresh", "Cache the token and refresh it 60 s before expiry", ("refresh",)),
    ("rotation", "Rotate client secrets every 90 days", ("rotation",)),
)


@dataclass(frozen=True)
class Example:
    """A code snippet attached to a rule; the test suite runs every one of them.

    For invalid examples the expected finding lines are either given in ``lines`` or marked in the
    code with a trailing ``# expect`` comment (formats without comments, such as JSON, use ``lines``).
    """

    code: str
    path: str = "example.py"
    lines: tuple[int, ...] = ()
    note: str = ""
    config: Mapping[str, Any] | None = None  # Settings fields to override, e.g. {"refresh_margin_seconds": 120}
    now: str | None = None  # ISO date for time-based rules (OA601)
    files: Mapping[str, str] | None = None  # extra files for project-rule examples: path -> content

    def expected_lines(self) -> tuple[int, ...]:
        if self.lines:
            return tuple(sorted(self.lines))
        source = textwrap.dedent(self.code).lstrip("\n")  # as the test harness feeds it to the rule
        return tuple(i for i, text in enumerate(source.splitlines(), start=1) if "# expect" in text)


@dataclass(frozen=True)
class RuleMeta:
    """What a rule is, independent of how it runs (renderers and docs only need this)."""

    id: str
    name: str
    family: str
    severity: Severity
    summary: str
    docs: str
    cwe: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: str = "0.1.0"
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()

    @property
    def tip(self) -> str:
        for _key, title, families in CONTROLS:
            if self.family in families:
                return title
        return ""

    @property
    def control(self) -> str:
        for key, _title, families in CONTROLS:
            if self.family in families:
                return key
        return self.family


@dataclass(frozen=True)
class Fix:
    """A suggested replacement for a region (SARIF ``fixes``); ``text`` never holds a secret."""

    description: str
    replacement: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    family: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    snippet: str = ""
    fingerprint: str = ""
    confidence: Confidence = Confidence.HIGH
    fix: Fix | None = None
    # Extra context for reports (e.g. commit of a history finding); values are already redacted.
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)

    def prop(self, key: str, default: str = "") -> str:
        return dict(self.properties).get(key, default)


@dataclass(frozen=True)
class Suppression:
    kind: str  # "inline" | "config" | "baseline"
    reason: str = ""
    line: int | None = None  # where an inline suppression comment sits


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    suppression: Suppression


# Note kinds are a closed vocabulary so that reports and the JSON schema can rely on them.
NOTE_KINDS: tuple[str, ...] = (
    "parse-error",
    "skipped-binary",
    "skipped-large",
    "skipped-encoding",
    "skipped-symlink",
    "unreadable",
    "rule-error",
    "timeout",
    "unknown-suppression",
    "unused-suppression",
    "rotation-unknown",
    "analysis",
    "config",
    "history",
)


@dataclass(frozen=True)
class Note:
    path: str
    kind: str
    message: str
    line: int | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Fact:
    """Something a file rule learned that a project rule combines across files.

    ``data`` holds plain JSON-able values (so facts can be cached); never raw secret values.
    """

    kind: str
    path: str
    line: int
    column: int
    data: Mapping[str, Any] = field(default_factory=dict)
    rule: str = ""

    def __hash__(self) -> int:  # data is a dict; identity by position and kind is enough
        return hash((self.kind, self.path, self.line, self.column, self.rule))


@dataclass(frozen=True)
class InlineSuppression:
    """A ``# credlint: ignore[...]`` comment found in a file (kept so unused ones can be reported)."""

    line: int
    rules: tuple[str, ...]  # empty tuple = all rules
    reason: str
    whole_file: bool = False
    kind: str = "credlint"  # "credlint" | "pragma" (detect-secrets allowlist)


@dataclass(frozen=True)
class FileResult:
    path: str
    kind: str
    findings: tuple[Finding, ...] = ()
    facts: tuple[Fact, ...] = ()
    notes: tuple[Note, ...] = ()
    suppressions: tuple[InlineSuppression, ...] = ()
    parsed: bool = False
    skipped: bool = False
    lines: int = 0
    # families of the rules that had something to look at in this file (compliance "evaluated")
    families: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanStats:
    files_seen: int = 0
    files_scanned: int = 0
    files_parsed: int = 0
    files_skipped: int = 0
    files_cached: int = 0
    duration_ms: int = 0


@dataclass(frozen=True)
class ScanMetadata:
    tool_version: str
    root: str
    started_at: str
    now: str
    config_hash: str
    commit: str | None = None
    branch: str | None = None
    paths: tuple[str, ...] = ()
    selected_rules: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    fail_on: Severity = Severity.LOW
    strict: bool = False
    history: str | None = None


@dataclass(frozen=True)
class RotationEntry:
    """One line of the rotation calendar shown in the audit report."""

    secret: str
    location: str
    last_rotated: str | None
    due: str | None
    status: str  # "ok" | "stale" | "unknown"
    evidence: str


@dataclass(frozen=True)
class ScanResult:
    metadata: ScanMetadata
    rules: tuple[RuleMeta, ...]
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[SuppressedFinding, ...] = ()
    notes: tuple[Note, ...] = ()
    stats: ScanStats = ScanStats()
    rotation: tuple[RotationEntry, ...] = ()
    # Rule families that actually had something to look at (for "not evaluated" verdicts).
    evaluated_families: tuple[str, ...] = ()

    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity >= self.metadata.fail_on and f.severity > Severity.INFO)

    @property
    def exit_code(self) -> int:
        return 1 if self.failing() else 0

    def rule(self, rule_id: str) -> RuleMeta | None:
        for meta in self.rules:
            if meta.id == rule_id:
                return meta
        return None

    def control_status(self) -> dict[str, str]:
        """pass / fail / not-evaluated per guide tip."""
        status: dict[str, str] = {}
        for key, _title, families in CONTROLS:
            if any(f.family in families and f.severity > Severity.INFO for f in self.findings):
                status[key] = "fail"
            elif any(fam in self.evaluated_families for fam in families):
                status[key] = "pass"
            else:
                status[key] = "not-evaluated"
        return status


@dataclass(frozen=True)
class SecretInventoryEntry:
    """``[[tool.credlint.secrets]]``: a secret the team tracks, with its last rotation date."""

    name: str
    last_rotated: str  # ISO date
    where: tuple[str, ...] = ()  # globs (paths) or key names linking it to findings
    rotation_days: int | None = None


@dataclass(frozen=True)
class Settings:
    """The effective configuration for one file (or the project), as rules see it."""

    select: tuple[str, ...] = ("OA",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.LOW
    token_endpoints: tuple[str, ...] = ()
    allowed_http_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    refresh_margin_seconds: int = 60
    max_secret_age_days: int = 90
    profile: str = "aelix"
    scope_map: tuple[tuple[str, str], ...] = ()
    secrets: tuple[SecretInventoryEntry, ...] = ()
    max_file_size: int = 2_000_000
    time_budget_seconds: float = 30.0  # per-file analysis budget; a slower file is abandoned with a note
    strict: bool = False
    source: str | None = None  # config file this came from (relative), None for defaults

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        return dict(self.severity).get(rule_id, default)


@dataclass(frozen=True)
class Entry:
    """One scalar value of a parsed config document, with where it sits.

    ``key_path`` is the path of keys (list indexes as strings) leading to the value, e.g.
    ``("services", "api", "environment", "CLIENT_SECRET")``. ``line``/``column`` are 1-based and point
    at the value (for dotenv/INI/Dockerfile: the value's start on its line).
    """

    key_path: tuple[str, ...]
    value: Any
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    quoted: bool = False

    @property
    def key(self) -> str:
        return self.key_path[-1] if self.key_path else ""

    @property
    def dotted(self) -> str:
        return ".".join(self.key_path)


@dataclass(frozen=True)
class Document:
    """A config file parsed once with line numbers; ``data`` is the plain parsed structure.

    For YAML ``data`` is a list (one item per document); for HCL a dict in python-hcl2's shape.
    """

    kind: str
    entries: tuple[Entry, ...] = ()
    data: Any = None
    errors: tuple[str, ...] = ()
