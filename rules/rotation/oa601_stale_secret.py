"""OA601 stale-secret: a secret older than ``max-secret-age-days``, dated from real evidence."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from checker.model import Confidence, Example, Fact, RotationEntry, SecretInventoryEntry, Severity
from checker.redact import redact_line
from checker.rule import ProjectContext, ProjectRule
from rules._analysis.names import words

_MAX_READ = 2_000_000
# Roles that are not rotated by people: access/ID tokens and JWTs expire on their own.
_SELF_EXPIRING = re.compile(r"\b(access[ _-]?token|id[ _-]?token|jwt|json web token|session)\b", re.IGNORECASE)
# "client secret assigned from a string literal" -> "client secret"
_ROLE_END = re.compile(r"\s+(assigned|passed|in|at|hard-?coded|found|committed|bound|held|set|used|literal|from|with|of|that|stored)\b|[(:;,]")
_SOPS_SUFFIXES = (".yaml", ".yml", ".json", ".env", ".ini")
_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs", "fixtures"})


@dataclass
class _Verdict:
    """The dated evidence for one secret."""

    date: dt.date
    evidence: str
    limit: int
    upper_bound: bool = False  # SOPS/sealed metadata: the secret is at least this old


@dataclass
class _Location:
    """Where a secret lives: a committed value (from a secret finding) or an encrypted value."""

    path: str
    line: int
    column: int
    role: str
    rules: set[str] = field(default_factory=set)
    # The secret finding's own confidence (when the engine passes it in the fact): a "maybe a
    # credential" high-entropy string must not become a confident stale-secret finding.
    confidence: Confidence = Confidence.HIGH

    @property
    def label(self) -> str:
        return f"{self.path}:{self.line}"


class StaleSecret(ProjectRule):
    """
    ## What it does
    For every secret the project holds or tracks, finds the date of its last rotation from the
    strongest evidence available and reports it when it is older than `max-secret-age-days` (90;
    exactly 90 days old is compliant). Evidence, strongest first:

    1. the inventory in configuration: `[[tool.credlint.secrets]]` with `name`, `last-rotated`,
       optional `rotation-days` (a stricter team policy; a longer one does not relax the limit) and
       `where` (path globs or key names linking it to the places the secret lives);
    2. SOPS-encrypted files (`sops.lastmodified`, `sops_lastmodified=`) and Bitnami SealedSecrets
       (the commit that last changed each encrypted value): any rotation rewrites them, so an old
       date proves the secrets inside were not rotated since;
    3. git history for committed secret values (OA101–OA103 findings): the date the value first
       appeared, from `git blame -w -M -C` of its line (following renames and moves) and the file's
       history, whichever is older. Lines not committed yet are new (age 0).

    Without evidence — no git, a shallow clone (CI checkouts with depth 1 make every line look new),
    a file git does not track — the age is unknown: a `rotation-unknown` note, never "fresh".
    Secrets in test code and self-expiring tokens (access tokens, JWTs) are not rotated by people
    and are skipped. Each secret evaluated gets a row in the audit report's rotation calendar.

    ## Why is this bad?
    The guide says to rotate client secrets every 90 days. A secret that is older has had more time to
    leak through logs, laptops, CI caches and former colleagues, and a committed one stays readable in
    every clone of the repository.

    ## Example
    ```toml
    [[tool.credlint.secrets]]
    name = "aelix-client-secret"
    last-rotated = 2026-01-15   # 200 days before the scan
    ```

    ## Use instead
    Rotate the secret in the developer portal, store the new one in the secret manager, and record it:
    ```toml
    [[tool.credlint.secrets]]
    name = "aelix-client-secret"
    last-rotated = 2026-07-20
    where = ["AELIX_CLIENT_SECRET", "deploy/*.env"]
    ```
    In CI, check out the full history (`fetch-depth: 0`) so git evidence is available; run with
    `--now DATE` for reproducible results.

    ## References
    - Guide tip: rotate client secrets every 90 days.
    - CWE-324: Use of a Key Past its Expiration Date.
    - SOPS metadata (`lastmodified`); git blame `-M -C`; `git rev-parse --is-shallow-repository`.
    """

    id = "OA601"
    name = "stale-secret"
    family = "rotation"
    severity = Severity.HIGH
    summary = "secret not rotated within max-secret-age-days (90), dated by inventory, SOPS metadata or git history"
    cwe = ("CWE-324",)
    references = ("guide: rotate client secrets every 90 days", "CWE-324")

    invalid = (
        Example(
            path="pyproject.toml",
            now="2026-08-03",
            code="""\
            [tool.credlint]
            max-secret-age-days = 90

            [[tool.credlint.secrets]]
            name = "aelix-client-secret"
            last-rotated = 2026-01-15  # expect
            """,
            note="inventory: 200 days old; reported where the date is recorded",
        ),
        Example(
            path=".credlint.toml",
            now="2026-08-03",
            code="""\
            [[secrets]]
            name = "exporter-client-secret"
            last-rotated = 2026-05-04  # expect
            """,
            note="91 days old: one day past the limit",
        ),
        Example(
            path="pyproject.toml",
            now="2026-08-03",
            code="""\
            [[tool.credlint.secrets]]
            name = "webhook-signing-secret"
            last-rotated = 2026-06-01  # expect
            rotation-days = 30
            """,
            note="a stricter team policy (30 days) applies",
        ),
        Example(
            path="secrets/prod.enc.yaml",
            now="2026-08-03",
            code="""\
            aelix_client_secret: ENC[AES256_GCM,data:Tr2b8Vq1,iv:5dWq,tag:Q9vA,type:str]
            sops:
                kms:
                    - arn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd
                lastmodified: "2025-11-02T09:14:03Z"  # expect
                mac: ENC[AES256_GCM,data:ZmFrZQ==,iv:aXY=,tag:dGFn,type:str]
                version: 3.9.0
            """,
            note="SOPS: the file was last edited 274 days ago, so no secret in it was rotated since",
        ),
        Example(
            path="secrets/prod.enc.json",
            now="2026-08-03",
            code="""\
            {
              "client_secret": "ENC[AES256_GCM,data:Tr2b8Vq1,iv:5dWq,tag:Q9vA,type:str]",
              "sops": {
                "lastmodified": "2026-02-01T10:00:00Z",
                "version": "3.9.0"
              }
            }
            """,
            lines=(4,),
        ),
        Example(
            path="deploy/prod.env",
            now="2026-08-03",
            code="""\
            AELIX_CLIENT_SECRET=ENC[AES256_GCM,data:Tr2b8Vq1,iv:5dWq,tag:Q9vA,type:str]
            sops_version=3.9.0
            sops_lastmodified=2026-03-30T08:00:00Z  # expect
            """,
        ),
    )

    valid = (
        Example(
            path="pyproject.toml",
            now="2026-08-03",
            code="""\
            [[tool.credlint.secrets]]
            name = "aelix-client-secret"
            last-rotated = 2026-05-05
            """,
            note="exactly 90 days old is compliant",
        ),
        Example(
            path=".credlint.toml",
            now="2026-08-03",
            code="""\
            [[secrets]]
            name = "exporter-client-secret"
            last-rotated = 2026-07-20
            where = ["AELIX_EXPORTER_CLIENT_SECRET"]
            """,
        ),
        Example(
            path="pyproject.toml",
            now="2026-08-03",
            code="""\
            [[tool.credlint.secrets]]
            name = "aelix-client-secret"
            last-rotated = 2026-06-01
            rotation-days = 180
            """,
            note="63 days old; a longer team policy does not matter while within 90 days",
        ),
        Example(
            path="secrets/prod.enc.yaml",
            now="2026-08-03",
            code="""\
            aelix_client_secret: ENC[AES256_GCM,data:Tr2b8Vq1,iv:5dWq,tag:Q9vA,type:str]
            sops:
                lastmodified: "2026-07-30T09:14:03Z"
                version: 3.9.0
            """,
            note="SOPS file edited four days ago",
        ),
        Example(
            path=".env.example",
            now="2026-08-03",
            code="""\
            AELIX_CLIENT_ID=
            AELIX_CLIENT_SECRET=
            """,
            note="references without dated evidence: a rotation-unknown note, not a finding",
        ),
        Example(
            path="config/cache.yaml",
            now="2026-08-03",
            code="""\
            cache:
              lastmodified: "2020-01-01T00:00:00Z"
              ttl: 300
            """,
            note="a lastmodified key outside SOPS metadata is not rotation evidence",
        ),
    )

    def check(self, project: ProjectContext) -> None:
        _Evaluation(project, type(self)).run()


class _Evaluation:
    def __init__(self, project: ProjectContext, rule: type[ProjectRule]) -> None:
        self.project = project
        self.rule = rule
        self.settings = project.settings
        self.limit = int(self.settings.max_secret_age_days)
        now = project.now
        self.today: dt.date = now.date() if isinstance(now, dt.datetime) else (now or dt.date.today())
        self._texts: dict[str, str | None] = {}
        self.evaluated = False
        self.reported: set[tuple[str, int]] = set()

    # -- reading the project ---------------------------------------------------------------------

    def text(self, rel: str) -> str | None:
        if rel not in self._texts:
            self._texts[rel] = _read(self.project.root, rel)
        return self._texts[rel]

    def line_text(self, rel: str, line: int) -> str:
        text = self.text(rel)
        if text is None:
            return ""
        lines = text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    # -- the evaluation --------------------------------------------------------------------------

    def run(self) -> None:
        locations = self.secret_locations()
        claimed: set[str] = set()
        for entry in self.settings.secrets:
            claimed |= self.inventory(entry, locations)
        sops_paths = self.encrypted_files()
        remaining = [loc for loc in locations if loc.label not in claimed and loc.path not in sops_paths]
        self.git_evidence(remaining)
        self.references(claimed)
        if self.evaluated:
            self.project.evaluated.add("rotation")

    def secret_locations(self) -> list[_Location]:
        """One location per (path, line) of a committed secret; test code and tokens that expire by
        themselves are not rotated by people."""
        by_line: dict[tuple[str, int], _Location] = {}
        for fact in self.project.facts_of("secret-location"):
            if _is_test_path(fact.path):
                continue
            role = _role(fact)
            if _SELF_EXPIRING.search(role):
                continue
            key = (fact.path, fact.line)
            confidence = _confidence(fact)
            if key not in by_line:
                by_line[key] = _Location(fact.path, fact.line, fact.column, role, confidence=confidence)
            location = by_line[key]
            location.confidence = max(location.confidence, confidence)
            location.rules.add(str(fact.data.get("rule") or fact.rule))
            if location.role in ("secret", "") or (location.role.startswith("high-entropy") and not role.startswith("high-entropy")):
                location.role = role  # the rule that named the value's role wins over a format guess
        return sorted(by_line.values(), key=lambda loc: (loc.path, loc.line))

    # -- 1. inventory ---------------------------------------------------------------------------

    def inventory(self, entry: SecretInventoryEntry, locations: list[_Location]) -> set[str]:
        """Evaluate one inventory entry; returns the labels of the locations it covers."""
        rotated = _parse_date(entry.last_rotated)
        limit = min(self.limit, entry.rotation_days) if entry.rotation_days else self.limit
        policy = f"rotation-days {entry.rotation_days}" if entry.rotation_days and entry.rotation_days < self.limit else f"max-secret-age-days {self.limit}"
        matched = [loc for loc in locations if self.entry_covers(entry, loc)]
        anchor = self.inventory_anchor(entry)
        if rotated is None:
            self.unknown(entry.name, anchor[0], anchor[1], "its last-rotated date is not a date")
            return {loc.label for loc in matched}
        verdict = _Verdict(rotated, f"inventory entry '{entry.name}' (last-rotated {rotated.isoformat()})", limit)
        if not matched:
            self.judge(entry.name, anchor[0], anchor[1], 1, verdict, policy, f"secret '{entry.name}'", location_label=anchor[0] or "inventory")
        for loc in matched:
            self.judge(f"{entry.name} ({loc.role})", loc.path, loc.line, loc.column, verdict, policy, loc.role, confidence=loc.confidence)
        return {loc.label for loc in matched}

    def entry_covers(self, entry: SecretInventoryEntry, loc: _Location) -> bool:
        for pattern in entry.where:
            if _is_glob(pattern):
                if _path_matches(loc.path, pattern):
                    return True
            elif re.search(r"(?<![A-Za-z0-9_])" + re.escape(pattern) + r"(?![A-Za-z0-9_])", self.line_text(loc.path, loc.line), re.IGNORECASE):
                return True
        return False

    def inventory_anchor(self, entry: SecretInventoryEntry) -> tuple[str, int]:
        """Where an inventory entry is written: its ``last-rotated`` line in the config file."""
        source = _relative(self.project.root, self.settings.source or "")
        text = self.text(source) if source else None
        if not text:
            return source, 0
        lines = text.splitlines()
        name = re.compile(r"""^\s*name\s*=\s*["']""" + re.escape(entry.name) + r"""["']""")
        for index, line in enumerate(lines):
            if name.match(line):
                for offset in range(index, min(len(lines), index + 12)):
                    if offset > index and lines[offset].lstrip().startswith("["):
                        break
                    if re.match(r"^\s*last-rotated\s*=", lines[offset]):
                        return source, offset + 1
                return source, index + 1
        return source, 0

    # -- 2. encrypted files ---------------------------------------------------------------------

    def encrypted_files(self) -> set[str]:
        """SOPS files and SealedSecret manifests; returns the paths whose secrets they date."""
        paths: set[str] = set()
        inventory_globs = [p for e in self.settings.secrets for p in e.where if _is_glob(p)]
        for rel in self.project.files:
            if not rel.lower().endswith(_SOPS_SUFFIXES) and not posixpath.basename(rel).lower().startswith(".env"):
                continue
            # Read without caching: most candidates are ordinary config files and are dropped here.
            text = self._texts[rel] if rel in self._texts else _read(self.project.root, rel)
            if not text or "sops" not in text and "SealedSecret" not in text:
                continue
            self._texts[rel] = text
            if any(_path_matches(rel, g) for g in inventory_globs):
                paths.add(rel)  # the inventory is the stronger evidence
                continue
            stamp = sops_lastmodified(text, rel)
            if stamp is not None:
                paths.add(rel)
                when, line = stamp
                verdict = _Verdict(when.date(), f"SOPS metadata lastmodified {when.date().isoformat()} (any rotation rewrites it)", self.limit, upper_bound=True)
                self.judge(f"SOPS file {rel}", rel, line, 1, verdict, f"max-secret-age-days {self.limit}", "encrypted secrets")
                continue
            sealed = sealed_secret_lines(text)
            if sealed:
                paths.add(rel)
                self.sealed(rel, sealed)
        return paths

    def sealed(self, rel: str, lines: dict[int, str]) -> None:
        reason = self.git_unusable()
        if reason is not None:
            for line, key in lines.items():
                self.unknown(f"sealed secret {key}", rel, line, reason)
            return
        blamed = self.project.git.blame_lines(rel, list(lines))
        for line, key in lines.items():
            info = blamed.get(line)
            if info is None:
                self.unknown(f"sealed secret {key}", rel, line, "git blame gave no date for this line")
                continue
            date = min(info.author_time, info.committer_time).date() if info.committed else self.today
            evidence = f"encrypted value last changed in commit {info.commit[:12]} ({date.isoformat()})" if info.committed else "encrypted value not committed yet"
            self.judge(f"sealed secret {key}", rel, line, 1, _Verdict(date, evidence, self.limit, upper_bound=True), f"max-secret-age-days {self.limit}", "sealed secret")

    # -- 3. git history -------------------------------------------------------------------------

    def git_unusable(self) -> str | None:
        git = self.project.git
        if git is None:
            return "no git repository (or git is not installed) to date it"
        if not git.has_commits():
            return "the repository has no commits yet"
        shallow = git.is_shallow()
        if shallow is None:
            return "git could not tell whether this clone is shallow"
        if shallow:
            return "this is a shallow clone, so every line looks new; fetch the full history (e.g. actions/checkout fetch-depth: 0)"
        return None

    def git_evidence(self, locations: list[_Location]) -> None:
        if not locations:
            return
        reason = self.git_unusable()
        if reason is not None:
            for loc in locations:
                self.unknown(f"{loc.role} at {loc.label}", loc.path, loc.line, reason)
            return
        git = self.project.git
        by_path: dict[str, list[_Location]] = {}
        for loc in locations:
            by_path.setdefault(loc.path, []).append(loc)
        tracked = set(git.tracked_files(".", others=False))
        untracked = set(git.tracked_files(".", others=True)) - tracked
        self.prefetch_history({path: locs for path, locs in by_path.items() if path in tracked and path not in untracked})
        for path, locs in sorted(by_path.items()):
            if path in untracked:
                for loc in locs:  # a new file: its secrets were just written
                    self.judge(f"{loc.role} at {loc.label}", loc.path, loc.line, loc.column, _Verdict(self.today, "not committed yet", self.limit), f"max-secret-age-days {self.limit}", loc.role)
                continue
            if path not in tracked:
                for loc in locs:
                    self.unknown(f"{loc.role} at {loc.label}", loc.path, loc.line, "the file is not tracked by git (ignored?), so it has no history")
                continue
            self.blame_file(path, locs)

    def prefetch_history(self, by_path: dict[str, list[_Location]]) -> None:
        """Run the per-file git commands (blame, then the value's first appearance) of several files
        at once: each is a separate git process, so they use every core, and the repository wrapper
        caches their answers for ``blame_file``, which then judges the files in order."""
        if len(by_path) < 2:
            return
        from concurrent.futures import ThreadPoolExecutor

        workers = min(8, len(by_path), max(2, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda item: self.history_of(*item), sorted(by_path.items())))

    def history_of(self, path: str, locs: list[_Location]) -> tuple[dict[int, Any], dict[int, str], dict[str, Any]]:
        """(blame per line, the secret value per line, first appearance per committed value)."""
        git = self.project.git
        blamed = git.blame_lines(path, [loc.line for loc in locs])
        values = {loc.line: _value_on_line(self.line_text(path, loc.line), loc.column) for loc in locs}
        committed_values = [v for line, v in values.items() if v and line in blamed and blamed[line].committed]
        first = git.first_appearance(path, committed_values) if committed_values else {}
        return blamed, values, first

    def blame_file(self, path: str, locs: list[_Location]) -> None:
        blamed, values, first = self.history_of(path, locs)
        for loc in locs:
            info = blamed.get(loc.line)
            if info is None:
                self.unknown(f"{loc.role} at {loc.label}", loc.path, loc.line, "git blame gave no date for this line")
                continue
            if not info.committed:
                self.judge(f"{loc.role} at {loc.label}", loc.path, loc.line, loc.column, _Verdict(self.today, "line not committed yet", self.limit), f"max-secret-age-days {self.limit}", loc.role)
                continue
            date = min(info.author_time, info.committer_time).date()
            evidence = f"git blame: line last changed in commit {info.commit[:12]} ({date.isoformat()})"
            appearance = first.get(values.get(loc.line) or "")
            if appearance is not None and appearance.author_time.date() < date:
                date = appearance.author_time.date()
                evidence = f"git history: value first committed in {appearance.commit[:12]} ({date.isoformat()})"
            self.judge(f"{loc.role} at {loc.label}", loc.path, loc.line, loc.column, _Verdict(date, evidence, self.limit), f"max-secret-age-days {self.limit}", loc.role, secrets=(values.get(loc.line) or "",), confidence=loc.confidence)

    # -- references without values ----------------------------------------------------------------

    def references(self, claimed: set[str]) -> None:
        """Secret references (``secret-reference`` facts, ``.env.example`` keys) have no dated evidence
        of their own. One linked to an inventory entry (a ``where`` key, or a name whose words contain
        the key's, e.g. ``AELIX_CLIENT_SECRET`` -> ``payments/aelix-client-secret``) is covered by that
        entry's verdict; otherwise it is unknown."""
        entries = self.settings.secrets
        for fact in self.project.facts_of("secret-reference"):
            key = str(fact.data.get("key") or fact.data.get("name") or "")
            if f"{fact.path}:{fact.line}" in claimed or _is_test_path(fact.path) or linked_entry(key, entries) is not None:
                continue
            self.unknown(f"{key or 'secret'} referenced at {fact.path}:{fact.line}", fact.path, fact.line, "only referenced here; record its rotation in [[tool.credlint.secrets]]")
        for rel in self.project.files:
            if not _is_env_template(rel):
                continue
            for line, key in env_template_keys(self.text(rel) or ""):
                if linked_entry(key, entries) is None:
                    self.unknown(f"{key} (template {rel})", rel, line, "only referenced here; record its rotation in [[tool.credlint.secrets]]")

    # -- verdicts ---------------------------------------------------------------------------------

    def judge(
        self,
        secret: str,
        path: str,
        line: int,
        column: int,
        verdict: _Verdict,
        policy: str,
        role: str,
        *,
        location_label: str | None = None,
        secrets: Iterable[str] = (),
        confidence: Confidence | None = None,
    ) -> None:
        age = (self.today - verdict.date).days
        due = verdict.date + dt.timedelta(days=verdict.limit)
        stale = age > verdict.limit
        self.evaluated = True
        self.project.rotation.append(
            RotationEntry(
                secret=secret,
                location=location_label or (f"{path}:{line}" if line else path),
                last_rotated=verdict.date.isoformat(),
                due=due.isoformat(),
                status="stale" if stale else "ok",
                evidence=verdict.evidence,
            )
        )
        if not stale or (path, line) in self.reported or not path:
            return
        self.reported.add((path, line))
        bound = "at least " if verdict.upper_bound else ""
        message = (
            f"{role} is {bound}{age} days old, more than {verdict.limit} ({policy}): last rotated {verdict.date.isoformat()}, "
            f"due {due.isoformat()}; evidence: {verdict.evidence}"
        )
        snippet = redact_line(self.line_text(path, line).strip(), tuple(s for s in secrets if s), mask_literals=True) if line else ""
        self.project.report_at(self.rule, path, max(line, 1), max(column, 1), message, snippet=snippet, secrets=secrets, confidence=confidence, properties=(("evidence", verdict.evidence), ("last_rotated", verdict.date.isoformat()), ("due", due.isoformat()), ("age_days", str(age))))

    def unknown(self, secret: str, path: str, line: int, reason: str) -> None:
        self.project.rotation.append(RotationEntry(secret=secret, location=f"{path}:{line}" if line else path, last_rotated=None, due=None, status="unknown", evidence=reason))
        self.project.note("rotation-unknown", f"rotation age unknown for {secret}: {reason}", path=path, line=line or None, rule=self.rule.id)


# ---------------------------------------------------------------------------------------------------
# Evidence readers (pure functions, tested directly)

_SOPS_YAML_TOP = re.compile(r"^sops:\s*$")
_SOPS_YAML_LASTMOD = re.compile(r"""^\s+lastmodified:\s*["']?([0-9][0-9T:.\-+Zz ]+?)["']?\s*(?:#.*)?$""")
_SOPS_JSON_TOP = re.compile(r'"sops"\s*:\s*\{')
_SOPS_JSON_LASTMOD = re.compile(r'"lastmodified"\s*:\s*"([^"]+)"')
_SOPS_FLAT = re.compile(r"""^\s*sops_lastmodified\s*=\s*["']?([0-9][0-9T:.\-+Zz ]+?)["']?\s*(?:#.*)?$""")
_SOPS_INI_SECTION = re.compile(r"^\s*\[sops\]\s*$")
_SOPS_INI_LASTMOD = re.compile(r"""^\s*lastmodified\s*=\s*["']?([0-9][0-9T:.\-+Zz ]+?)["']?\s*$""")


def sops_lastmodified(text: str, path: str = "") -> tuple[dt.datetime, int] | None:
    """SOPS metadata ``lastmodified`` (RFC 3339) and its 1-based line, for YAML, JSON, dotenv and INI
    files encrypted by SOPS; None for anything else (a ``lastmodified`` key outside ``sops`` metadata
    is not evidence)."""
    lines = text.splitlines()
    in_yaml_sops = in_ini_sops = False
    json_sops_at = None
    for number, line in enumerate(lines, start=1):
        flat = _SOPS_FLAT.match(line)
        if flat:
            return _stamp(parse_iso(flat.group(1)), number)
        if _SOPS_YAML_TOP.match(line):
            in_yaml_sops = True
            continue
        if in_yaml_sops:
            if line and not line[0].isspace() and not line.startswith("#"):
                in_yaml_sops = False
            else:
                match = _SOPS_YAML_LASTMOD.match(line)
                if match:
                    return _stamp(parse_iso(match.group(1)), number)
        if _SOPS_INI_SECTION.match(line):
            in_ini_sops = True
            continue
        if in_ini_sops:
            if line.lstrip().startswith("["):
                in_ini_sops = False
            else:
                match = _SOPS_INI_LASTMOD.match(line)
                if match:
                    return _stamp(parse_iso(match.group(1)), number)
        if json_sops_at is None and _SOPS_JSON_TOP.search(line):
            json_sops_at = number
        if json_sops_at is not None:
            match = _SOPS_JSON_LASTMOD.search(line)
            if match:
                return _stamp(parse_iso(match.group(1)), number)
    return None


def parse_iso(text: str) -> dt.datetime | None:
    """RFC 3339 as SOPS writes it (``Z`` suffix, up to nanoseconds); naive values are UTC."""
    value = text.strip().strip("'\"")
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    value = re.sub(r"(\.\d{6})\d+", r"\1", value)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


def _stamp(when: dt.datetime | None, line: int) -> tuple[dt.datetime, int] | None:
    return (when, line) if when is not None else None


_SEALED_KIND = re.compile(r"^kind:\s*SealedSecret\s*$", re.MULTILINE)
_ENCRYPTED_DATA = re.compile(r"^(\s*)encryptedData:\s*$")
_YAML_KEY = re.compile(r"""^(\s*)["']?([A-Za-z0-9_.\-]+)["']?:\s*\S""")


def sealed_secret_lines(text: str) -> dict[int, str]:
    """Lines of the encrypted values in Bitnami SealedSecret manifests: line -> key."""
    if not _SEALED_KIND.search(text):
        return {}
    found: dict[int, str] = {}
    indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _ENCRYPTED_DATA.match(line)
        if header:
            indent = len(header.group(1))
            continue
        if indent is None:
            continue
        if line.strip() == "" or line.lstrip().startswith("#"):
            continue
        key = _YAML_KEY.match(line)
        if key is None or len(key.group(1)) <= indent:
            indent = None
            continue
        found[number] = key.group(2)
    return found


_ENV_TEMPLATE_NAMES = (".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "example.env", "sample.env")
_ENV_KEY = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_SECRET_KEY_WORDS = re.compile(r"(SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|CLIENT_CREDENTIAL)", re.IGNORECASE)


def _is_env_template(rel: str) -> bool:
    name = posixpath.basename(rel).lower()
    return name in _ENV_TEMPLATE_NAMES


def env_template_keys(text: str) -> list[tuple[int, str]]:
    """Secret-like keys declared (without a real value) in an ``.env.example``-style template."""
    keys: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _ENV_KEY.match(line)
        if match and _SECRET_KEY_WORDS.search(match.group(1)) and not match.group(1).upper().endswith(("_NAME", "_ID", "_URL", "_FILE", "_PATH", "_ARN")):
            keys.append((number, match.group(1)))
    return keys


_QUOTED = re.compile(r"""(["'`])((?:\\.|(?!\1).){8,}?)\1""")
_UNQUOTED = re.compile(r"""(?:[=:]\s*)([^\s"'`#,;]{8,})""")


def _value_on_line(line: str, column: int) -> str | None:
    """The secret value on a finding's line: the quoted literal (or unquoted ``KEY=value``/``key: value``)
    at or after the finding's column, else the longest one. Only used in-process to search history."""
    candidates: list[tuple[int, str]] = [(m.start(2), m.group(2)) for m in _QUOTED.finditer(line)]
    if not candidates:
        candidates = [(m.start(1), m.group(1)) for m in _UNQUOTED.finditer(line)]
    if not candidates:
        return None
    at = column - 1
    for start, value in candidates:
        if start <= at < start + len(value) or start >= at:
            return value
    return max(candidates, key=lambda c: len(c[1]))[1]


def linked_entry(key: str, entries: Iterable[SecretInventoryEntry]) -> SecretInventoryEntry | None:
    """The inventory entry a referenced key belongs to: named in ``where``, or the unique entry whose
    name words contain all of the key's words with the fewest extra words."""
    if not key:
        return None
    wanted = set(words(key))
    best: list[tuple[int, SecretInventoryEntry]] = []
    for entry in entries:
        if any(not _is_glob(p) and p.lower() == key.lower() for p in entry.where):
            return entry
        have = set(words(entry.name))
        if len(wanted) >= 2 and wanted <= have:
            best.append((len(have - wanted), entry))
    best.sort(key=lambda item: item[0])
    if best and (len(best) == 1 or best[0][0] < best[1][0]):
        return best[0][1]
    return None


def _confidence(fact: Fact) -> Confidence:
    """``confidence`` from the fact data ("high"/"medium"/"low"); high-entropy guesses are medium at most."""
    text = str(fact.data.get("confidence") or "high").strip().upper()
    confidence = Confidence[text] if text in Confidence.__members__ else Confidence.HIGH
    if str(fact.data.get("role") or "").lower().startswith("high-entropy"):
        confidence = min(confidence, Confidence.MEDIUM)
    return confidence


def _role(fact: Fact) -> str:
    """A short role from the finding message ("client secret assigned from …" -> "client secret")."""
    text = str(fact.data.get("role") or "secret").strip()
    cut = _ROLE_END.search(text)
    role = text[: cut.start()].strip() if cut else text
    return role[:60] or "secret"


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "/*?[.")


def _path_matches(path: str, pattern: str) -> bool:
    """gitignore-like: ``deploy/*.env``, ``secrets/**``, or a bare file name at any depth."""
    pat = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    if fnmatch.fnmatchcase(path, pat):
        return True
    if pat.endswith("/**") and (path + "/").startswith(pat[:-2]):
        return True
    if "/" not in pat and fnmatch.fnmatchcase(posixpath.basename(path), pat):
        return True
    if pat.startswith("**/"):
        return _path_matches(path, pat[3:])
    return path.startswith(pat.rstrip("/") + "/")


def _is_test_path(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    return any(p.lower() in _TEST_DIRS for p in parts[:-1]) or name.startswith("test_") or name.endswith(("_test.py", "_tests.py")) or name == "conftest.py"


def _relative(root: str, path: str) -> str:
    """Settings.source may be absolute; findings need paths relative to the scan root."""
    if not path or not os.path.isabs(path):
        return path.replace(os.sep, "/")
    rel = os.path.relpath(path, root)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _read(root: str, rel: str) -> str | None:
    full = os.path.join(root, rel)
    try:
        if os.path.getsize(full) > _MAX_READ:
            return None
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")
