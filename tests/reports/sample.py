"""ONE hand-made ScanResult that every renderer test and golden file is built from.

It does not use the real rules (they are written concurrently): the RuleMeta objects are made here.
It holds findings in several families (one secret finding whose snippet is redacted), suppressed
findings of every kind with and without a reason, notes of several kinds, rotation entries, and
metadata with commit, branch and the "now" used.

``PLANTED_SECRETS`` are values that occur in the result only in redacted form; the leak test
checks that no renderer ever prints them.
"""

from __future__ import annotations

from dataclasses import replace

from checker.model import (
    Confidence,
    Example,
    Finding,
    Fix,
    Note,
    RotationEntry,
    RuleMeta,
    ScanMetadata,
    ScanResult,
    ScanStats,
    Severity,
    SuppressedFinding,
    Suppression,
)
from checker.redact import redact, redact_line

CLIENT_SECRET = "Zx8kQ2vN7pL4mR9tW3yB6cF1hJ5sD0gA"
ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMtcGF5bWVudHMifQ.c2lnbmF0dXJlLXZhbHVlLTEyMzQ1Njc4OTA"
API_KEY = "ak_live_9f8e7d6c5b4a3f2e1d0c9b8a"
PLANTED_SECRETS: tuple[str, ...] = (CLIENT_SECRET, ACCESS_TOKEN, API_KEY)

HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}"

_DOCS = """\
{summary}

## What it does
{what}

## Why is this bad?
{why}

## Example
```python
{bad}
```

## Use instead
{use}

## References
- Guide tip: {tip}
- [{cwe}](https://cwe.mitre.org/data/definitions/{cwe_number}.html)
"""


def _docs(summary: str, what: str, why: str, bad: str, use: str, tip: str, cwe: str) -> str:
    return _DOCS.format(summary=summary, what=what, why=why, bad=bad, use=use, tip=tip, cwe=cwe, cwe_number=cwe.split("-")[1])


OA101 = RuleMeta(
    id="OA101",
    name="hardcoded-client-secret",
    family="secret",
    severity=Severity.CRITICAL,
    summary="Client secret or other credential assigned from a string literal",
    docs=_docs(
        "Client secret or other credential assigned from a string literal.",
        "Finds string literals bound to credential-like names such as `client_secret`, `api_key` or\n`password`, including keyword arguments of OAuth client constructors.",
        "Anything committed to source control is readable by everyone with access to the repository\nand stays in its history after the line is deleted.",
        'client_secret = "s3cr3t-value-from-the-portal"',
        "Read the secret from the environment or a secret manager:\n\n```python\nimport os\n\nclient_secret = os.environ[\"CLIENT_SECRET\"]\n```",
        "Never commit client secrets",
        "CWE-798",
    ),
    cwe=("CWE-798",),
    references=("https://developer.aelix.example/guides/oauth2#security-tips",),
    kinds=("python",),
    valid=(Example(code='import os\nclient_secret = os.environ["CLIENT_SECRET"]\n'),),
    invalid=(Example(code='client_secret = "abc123def456ghi789"  # expect\n', note="a literal secret"),),
)

OA102 = RuleMeta(
    id="OA102",
    name="secret-in-config",
    family="secret",
    severity=Severity.CRITICAL,
    summary="Client secret committed in a configuration file",
    docs=_docs(
        "Client secret committed in a configuration file.",
        "Finds credential-like keys with literal values in dotenv, YAML, JSON, TOML and INI files.",
        "Config files are committed and copied around; the secret leaks with them.",
        "CLIENT_SECRET=s3cr3t-value-from-the-portal",
        "Reference the secret manager: `CLIENT_SECRET=${CLIENT_SECRET}`.",
        "Never commit client secrets",
        "CWE-312",
    ),
    cwe=("CWE-798", "CWE-312"),
    kinds=("dotenv", "yaml", "json"),
    invalid=(Example(code='{"client_secret": "abc123def456ghi789"}', path="settings.json", lines=(1,)),),
)

OA201 = RuleMeta(
    id="OA201",
    name="token-logged",
    family="log",
    severity=Severity.HIGH,
    summary="Access token or secret reaches a log call",
    docs=_docs(
        "Access token or secret reaches a log call.",
        "Tracks values that are tokens or secrets into logging, print and exception messages.",
        "Logs are shipped to many systems and read by many people; a token in a log is a token\nanyone can replay until it expires.",
        'logger.info("token: %s", token["access_token"])',
        "Log that a token was obtained, never the token itself:\n\n```python\nlogger.info(\"token obtained, expires in %s s\", token[\"expires_in\"])\n```",
        "Never log access tokens",
        "CWE-532",
    ),
    cwe=("CWE-532",),
    kinds=("python",),
)

OA301 = RuleMeta(
    id="OA301",
    name="plain-http-endpoint",
    family="http",
    severity=Severity.HIGH,
    summary="Token request or API call over plain HTTP",
    docs=_docs(
        "Token request or API call over plain HTTP.",
        "Finds `http://` URLs that reach a token request or an API call.",
        "Interception over plain HTTP is trivial: the client secret and the token travel in clear text.",
        'requests.post("http://auth.example.com/oauth2/token", data=form)',
        "Use `https://` for every request.",
        "Use HTTPS for all requests",
        "CWE-319",
    ),
    cwe=("CWE-319",),
    kinds=("python", "yaml"),
)

OA401 = RuleMeta(
    id="OA401",
    name="broad-scope",
    family="scope",
    severity=Severity.MEDIUM,
    summary="Wildcard or administrative scope requested",
    docs=_docs(
        "Wildcard or administrative scope requested.",
        "Finds `*`, `admin`, `…:*` and similar scopes in token requests.",
        "A leaked token with broad scopes can do everything the API allows.",
        'scope = "admin"',
        "Request only the scopes the application needs, e.g. `banking:read`.",
        "Request only the scopes you need",
        "CWE-250",
    ),
    cwe=("CWE-250",),
    kinds=("python",),
)

OA501 = RuleMeta(
    id="OA501",
    name="token-not-cached",
    family="refresh",
    severity=Severity.MEDIUM,
    summary="A new token is requested for every API call",
    docs=_docs(
        "A new token is requested for every API call.",
        "Finds token requests inside the function or loop that makes the API call.",
        "Every call pays a round trip to the token endpoint, and the authorisation server may throttle.",
        "for account in accounts:\n    token = fetch_token()",
        "Cache the token and refresh it 60 s before it expires.",
        "Cache the token, refresh 60 s before expiry",
        "CWE-400",
    ),
    cwe=("CWE-400",),
    kinds=("python",),
)

OA601 = RuleMeta(
    id="OA601",
    name="stale-secret",
    family="rotation",
    severity=Severity.HIGH,
    summary="Client secret not rotated in the last 90 days",
    docs=_docs(
        "Client secret not rotated in the last 90 days.",
        "Finds the last rotation of each secret the project holds from the inventory, SOPS metadata or git history.",
        "A secret that never changes gives a leak an unlimited lifetime.",
        "# last-rotated = 2025-01-01 in the inventory",
        "Rotate the secret and record the date in `[[tool.credlint.secrets]]`.",
        "Rotate client secrets every 90 days",
        "CWE-324",
    ),
    cwe=("CWE-324",),
    kinds=("project",),
)

RULES: tuple[RuleMeta, ...] = (OA101, OA102, OA201, OA301, OA401, OA501, OA601)

METADATA = ScanMetadata(
    tool_version="0.1.0",
    root=".",
    started_at="2026-03-14T09:26:53+00:00",
    now="2026-03-14",
    config_hash="c0ffee1234abcd",
    commit="3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345",
    branch="main",
    paths=(".",),
    selected_rules=tuple(r.id for r in RULES),
    disabled_rules=("OA502", "OA602"),
    fail_on=Severity.LOW,
)

STATS = ScanStats(files_seen=44, files_scanned=41, files_parsed=38, files_skipped=3, files_cached=0, duration_ms=1234)


def _finding(meta: RuleMeta, path: str, line: int, column: int, end_column: int, message: str, snippet: str, fingerprint: str, **extra: object) -> Finding:
    return Finding(
        rule=meta.id,
        name=meta.name,
        family=meta.family,
        severity=extra.pop("severity", meta.severity),  # type: ignore[arg-type]
        path=path,
        line=line,
        column=column,
        end_line=extra.pop("end_line", line),  # type: ignore[arg-type]
        end_column=end_column,
        message=message,
        snippet=snippet,
        fingerprint=fingerprint,
        **extra,  # type: ignore[arg-type]
    )


FINDINGS: tuple[Finding, ...] = (
    # Deliberately unsorted: renderers sort.
    _finding(
        OA201, "svc/client.py", 12, 8, 30, "access token passed to logger.info",
        'logger.info("token %s", token["access_token"])', "a1b2c3d4e5f60718293a",
    ),
    _finding(
        OA101, "svc/settings.py", 4, 17, 51, "client secret assigned from a string literal",
        redact_line(f'CLIENT_SECRET = "{CLIENT_SECRET}"', (CLIENT_SECRET,), mask_literals=True), "0f1e2d3c4b5a69788796",
        fix=Fix(description="Read the client secret from the environment", replacement='os.environ["CLIENT_SECRET"]'),
    ),
    _finding(
        OA301, "deploy/values.yaml", 7, 14, 52, "token endpoint uses plain HTTP",
        "tokenUrl: http://auth.example.com/oauth2/token", "5a5b5c5d5e5f60616263",
        fix=Fix(description="Use an https:// URL"),
    ),
    _finding(
        OA401, "svc/client.py", 20, 15, 22, "scope 'admin' grants every permission",
        'scope="admin",', "99887766554433221100", confidence=Confidence.MEDIUM,
    ),
    _finding(
        OA501, "svc/client.py", 31, 9, 31, "token requested inside a loop over API calls",
        "token = fetch_token()", "77665544332211009988", end_line=31,
    ),
    _finding(
        OA601, ".env", 0, 0, 0, "client secret last rotated 2025-10-01, 164 days ago (limit 90)",
        "", "abcdefabcdefabcdef01", properties=(("evidence", "git history"), ("last_rotated", "2025-10-01")),
    ),
    _finding(
        OA201, "tests/test_client.py", 9, 5, 40, "access token passed to print",
        "print(resp.json())", "fedcba98765432100123", severity=Severity.MEDIUM,
    ),
)

SUPPRESSED: tuple[SuppressedFinding, ...] = (
    SuppressedFinding(
        _finding(
            OA101, "tests/fixtures/fake_settings.py", 3, 17, 40, "client secret assigned from a string literal",
            redact_line(f'client_secret = "{API_KEY}"', (API_KEY,), mask_literals=True), "1111222233334444aaaa",
        ),
        Suppression(kind="inline", reason="fake credential used by the test-suite", line=2),
    ),
    SuppressedFinding(
        _finding(
            OA201, "scripts/debug_token.py", 5, 1, 20, "access token passed to print",
            "print(token)", "2222333344445555bbbb",
        ),
        Suppression(kind="inline", reason="", line=5),
    ),
    SuppressedFinding(
        _finding(
            OA102, "docker-compose.yml", 11, 22, 58, "client secret committed in docker-compose environment",
            redact_line(f"CLIENT_SECRET: {ACCESS_TOKEN}", (ACCESS_TOKEN,)), "3333444455556666cccc",
        ),
        Suppression(kind="config", reason="per-file-ignores: local development compose file"),
    ),
    SuppressedFinding(
        _finding(
            OA301, "legacy/client.py", 40, 12, 50, "API call uses plain HTTP",
            'requests.get("http://legacy.internal/v1/accounts")', "4444555566667777dddd",
        ),
        Suppression(kind="baseline", reason=""),
    ),
)

NOTES: tuple[Note, ...] = (
    Note(path="svc/broken.py", kind="parse-error", message="invalid syntax; text and config rules still ran", line=3),
    Note(path="assets/logo.png", kind="skipped-binary", message="binary file skipped"),
    Note(path="data/dump.json", kind="skipped-large", message="file larger than 2000000 bytes skipped"),
    Note(path="svc/client.py", kind="unused-suppression", message="suppression for OA103 silenced nothing", line=44, rule="OA103"),
    Note(path=".", kind="rotation-unknown", message=f"last rotation of {redact(API_KEY)} unknown: shallow clone", rule="OA601"),
)

ROTATION: tuple[RotationEntry, ...] = (
    RotationEntry(secret="aelix-client-secret", location=".env:2", last_rotated="2025-10-01", due="2025-12-30", status="stale", evidence="git history of .env"),
    RotationEntry(secret="aelix-api-key", location="deploy/values.yaml:9", last_rotated=None, due=None, status="unknown", evidence="shallow clone: no history"),
    RotationEntry(secret="webhook-signing-secret", location="pyproject.toml [[tool.credlint.secrets]]", last_rotated="2026-02-01", due="2026-05-02", status="ok", evidence="inventory last-rotated"),
)


def build_result() -> ScanResult:
    """The hand-made result of a scan with findings, suppressions, notes and rotation evidence."""
    return ScanResult(
        metadata=METADATA,
        rules=RULES,
        findings=FINDINGS,
        suppressed=SUPPRESSED,
        notes=NOTES,
        stats=STATS,
        rotation=ROTATION,
        evaluated_families=("secret", "log", "http", "tls", "scope", "refresh", "rotation"),
    )


def clean_result() -> ScanResult:
    """A clean run: no findings, no suppressions; the scope family had nothing to look at."""
    return ScanResult(
        metadata=METADATA,
        rules=RULES,
        stats=replace(STATS, files_skipped=0),
        evaluated_families=("secret", "log", "http", "refresh"),
    )


def suppressed_only_result() -> ScanResult:
    """Every finding suppressed (SARIF suppressions; the run passes)."""
    return ScanResult(metadata=METADATA, rules=RULES, suppressed=SUPPRESSED, stats=STATS, evaluated_families=("secret", "log", "http"))


def hostile_result() -> ScanResult:
    """Scanned content trying to break out of HTML, XML, JSON, workflow commands and templates."""
    finding = Finding(
        rule="OA201",
        name="token-logged",
        family="log",
        severity=Severity.HIGH,
        path=f"evil/{HOSTILE}.py",
        line=3,
        column=1,
        end_line=3,
        end_column=10,
        message=f"access token passed to {HOSTILE}\n::error::injected",
        snippet=f"print({HOSTILE})",
        fingerprint="eeeeeeeeeeeeeeeeeeee",
        fix=Fix(description=f"remove {HOSTILE}", replacement=HOSTILE),
        properties=(("sink", HOSTILE),),
    )
    return ScanResult(
        metadata=replace(METADATA, root=f"/tmp/{HOSTILE}", branch=HOSTILE),
        rules=RULES,
        findings=(finding,),
        suppressed=(SuppressedFinding(replace(finding, line=4, fingerprint="ffff"), Suppression(kind="inline", reason=HOSTILE, line=4)),),
        notes=(Note(path=f"evil/{HOSTILE}", kind="parse-error", message=HOSTILE, line=1),),
        stats=STATS,
        rotation=(RotationEntry(secret=HOSTILE, location=HOSTILE, last_rotated=None, due=None, status="unknown", evidence=HOSTILE),),
        evaluated_families=("log",),
    )
