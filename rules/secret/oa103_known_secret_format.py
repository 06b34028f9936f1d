"""OA103 known-secret-format: token formats and high-entropy strings in any text file."""

from __future__ import annotations

import bisect
import posixpath
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from checker.model import Confidence, Example, Severity
from checker.rule import FileContext, TextRule
from rules._analysis.names import (
    NameVerdict,
    credential_name,
    is_placeholder,
    secret_value_confidence,
    words,
)
from rules._analysis.secret_formats import (
    AELIX_API_KEY,
    AELIX_REFRESH_TOKEN,
    JWT,
    is_real_jwt,
    random_enough,
)
from rules._catalog import secrets as catalog

# --------------------------------------------------------------------------------------------------
# Cheap candidate-line prefilter. detect-secrets' plugins cost tens of microseconds per line, so only
# lines that may hold a token reach them: a run of 20+ base64 characters containing a digit (every
# random token and key), or one of a few short-format cues. The run search works on a translated
# copy of the bytes (token characters -> "a", others -> " ") with ``bytes.find``, which runs at
# memory speed; a regex over every position would cost more than the whole rest of the scan.
# --------------------------------------------------------------------------------------------------

_RUN = 20
_RUN_NEEDLE = b"a" * _RUN
_RUN_TABLE = bytes(
    ord("a") if chr(i) in string.ascii_letters + string.digits + "+/=" else ord(" ") for i in range(256)
)
_DIGIT = re.compile(rb"[0-9]")
# Short formats a run can miss, each found with one bytes.find pass (memory speed) and confirmed by a
# regex anchored at the hit. Every pass reads the whole file, so there are few of them: Slack and npm
# tokens carry long runs (and .npmrc `_authToken` keys are OA102's), PuTTY key files start with
# their marker (checked on the first bytes only).
_ANCHORED_CUES = (
    (b"PRIVATE KEY", re.compile(rb"PRIVATE KEY")),
    (b"ak_", re.compile(rb"ak_(?:live|test)_[A-Za-z0-9]{16}")),  # Aelix API keys with short bodies
    (b"rt_", re.compile(rb"rt_[A-Za-z0-9]{16}")),  # Aelix refresh tokens shorter than a run
    (b"://", re.compile(rb"://[^\s/@:'\"<>]*:[^\s/@'\"<>]+@")),  # a URL with a password
)
_MAX_CANDIDATE_LINES = 5000  # a generated file full of random strings: report the first ones only
_MAX_LINE = 1_000_000  # format detectors are linear regexes: minified bundles are scanned whole
_MAX_ENTROPY_LINE = 20_000  # entropy filters (detect-secrets' indirect-reference regex) are not

# --------------------------------------------------------------------------------------------------
# Our own detectors (DOMAIN.md OA103): Aelix keys and refresh tokens, bearer headers, JWTs, PEM keys.
# --------------------------------------------------------------------------------------------------

_BEARER = re.compile(r"(?<![A-Za-z0-9_])[Bb]earer\s+([A-Za-z0-9\-._~+/]{20,}=*)")
_PEM_BEGIN = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----|PuTTY-User-Key-File-\d"
)
_PEM_BODY = re.compile(r"^[\s\"'+,(]*([A-Za-z0-9+/]{40,}={0,2})")
_PEM_INLINE_BODY = re.compile(r"-----(?:\\n|\\r\\n|\s)+([A-Za-z0-9+/]{40,})")
_QUOTED_RUN = re.compile(r"""(["'`])[A-Za-z0-9+/=_\-.]{20,}\1""")
_UNQUOTED_VALUE = re.compile(r"""^\s*(?:export\s+|-\s+)?["']?[\w.\-\[\]]+["']?\s*(?::|=|:=)\s*([A-Za-z0-9+/=_\-.~]{20,})\s*(?:#.*)?$""")
_WORDY_PART = re.compile(r"^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+|[0-9]{1,4})$")
_HEXISH = re.compile(r"^[0-9a-fA-F]+$")


@dataclass(frozen=True)
class Hit:
    """A credential-looking value on one line."""

    label: str  # format name for the message, e.g. "Aelix API key"
    value: str
    start: int  # 0-based offset in the line
    confidence: Confidence
    rank: int  # lower wins when two hits overlap (specific formats before entropy)
    secret: str = ""  # the part to mask when it differs from value


class KnownSecretFormat(TextRule):
    """Known credential formats and high-entropy strings in any committed text file.

    ## What it does
    Scans every text file (code, config, docs, notebooks, scripts) for credentials recognised by their
    shape: Aelix API keys (`ak_live_...`, `ak_test_...`) and refresh tokens (`rt_...`), JSON Web Tokens,
    `Bearer <token>` header values, PEM/OpenSSH/PuTTY private keys, and the formats of detect-secrets
    1.5 (AWS, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, npm, PyPI, OpenAI, Azure Storage, URLs
    with passwords...). High-entropy quoted strings are reported with medium confidence when the line
    talks about a credential and with low confidence (shown with `--strict`) otherwise.

    Not reported: Aelix resource ids (`acc_`, `pay_`, `txn_`, `req_`, `trc_`), documentation samples
    ending in `...`, the jwt.io example token, SOPS/ansible-vault/SealedSecret ciphertext, UUIDs, hashes
    and digests (lock files, `--hash=sha256:`, `integrity: sha512-...`, git SHAs), base64 images and
    data URIs, public IP addresses. When OA101 or OA102 reports the same value on the same line, that
    finding (which names the value's role) is kept instead.

    ## Why is this bad?
    A token format is proof that a working credential was committed: it can be used by anyone who reads
    the repository or its history, wherever it was pasted (a README, a test fixture, a shell script).
    (CWE-798: Use of Hard-coded Credentials.)

    ## Example
    ```sh
    curl -H "Authorization: Bearer ak_live_4f9Q2mX7pL3vR8tNz6Yw" https://api.aelix.digitalapi.ai/v1/accounts
    ```

    ## Use instead
    ```sh
    curl -H "Authorization: Bearer $AELIX_API_KEY" https://api.aelix.digitalapi.ai/v1/accounts
    ```
    Revoke and rotate the committed credential; git history keeps it.

    ## References
    - Guide tip: never commit the client secret to source control.
    - CWE-798: Use of Hard-coded Credentials.
    - detect-secrets (Yelp) plugin catalog.
    """

    id = "OA103"
    name = "known-secret-format"
    family = "secret"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    summary = "Known credential formats (API keys, tokens, private keys) and high-entropy strings in any file"
    cwe = ("CWE-798",)
    references = ("guide: never commit the client secret", "CWE-798")
    kinds = ("*",)
    triggers = ()  # high-entropy strings can be anywhere; the line prefilter keeps this cheap

    valid = (
        Example(
            """\
            # Aelix resource ids are identifiers, not secrets
            account = "acc_8f3k2LmQ9xZ7pR4tWq1Y"
            payment = "pay_2Hs9Kd8Lq3Zm7Xv4Tn6B"
            trace = "trc_9Zx8Yw7Vu6Ts5Rq4Po3N"
            """,
            path="docs/ids.md",
        ),
        Example(
            """\
            Authorization: Bearer eyJhbGciOiJSUzI1NiJ9...
            X-Api-Key: ak_live_xyz123...
            """,
            path="docs/quickstart.md",
            note="documentation samples end in ...",
        ),
        Example(
            """\
            jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
            request_id = "3f2a8c1e-9b4d-4e7a-a1c2-7d9e0f1b2c3d"
            commit = "8f14e45fceea167a5a36dedd4bea2543ab12cd34"
            """,
            path="notes.txt",
            note="jwt.io sample, UUID, git SHA",
        ),
        Example(
            """\
            client_secret: ENC[AES256_GCM,data:Tr7o1Zx8kQ9mP2vL7nR4tW1yB6cF3hJ5g,iv:Yb1Zx8kQ9mP2vL7nR4tW1yB6cF3hJ5gD0sA=,tag:q9=,type:str]
            """,
            path="secrets.enc.yaml",
            note="SOPS ciphertext",
        ),
        Example(
            """\
            [[package]]
            name = "requests"
            files = [{file = "requests-2.32.3.tar.gz", hash = "sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"}]
            """,
            path="poetry.lock",
            note="lock-file digests",
        ),
        Example(
            """\
            logo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
            server = "203.0.113.54"
            """,
            path="static/app.js",
            note="data URIs and public IPs",
        ),
    )
    invalid = (
        Example(
            """\
            curl -H "Authorization: Bearer ak_live_4f9Q2mX7pL3vR8tNz6Yw" https://api.aelix.digitalapi.ai/v1/accounts  # expect
            """,
            path="scripts/smoke.sh",
        ),
        Example(
            """\
            const refresh = "rt_9Kd8Lq3Zm7Xv4Tn6B2Hs";
            """,
            path="web/src/auth.js",
            lines=(1,),
        ),
        Example(
            """\
            AWS_ACCESS_KEY_ID=AKIAZ7QW3ERT5YUI8OPA  # expect
            GITHUB_TOKEN=ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5  # expect
            """,
            path="deploy/notes.txt",
        ),
        Example(
            """\
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEAvN3x8kQ9mP2vL7nR4tW1yB6cF3hJ5gD0sAZx8kQ9mP2vL7nR4tW1yB6c
            F3hJ5gD0sA==
            -----END RSA PRIVATE KEY-----
            """,
            path="deploy/id_rsa",
            lines=(1,),
        ),
        Example(
            """\
            token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcGF5bWVudHMiLCJzY29wZSI6ImJhbmtpbmc6cmVhZCJ9.Q2x8kQ9mP2vL7nR4tW1yB6cF3hJ5gD0sAZx8kQ9mP2vL"  # expect
            """,
            path="fixtures/session.txt",
        ),
        Example(
            """\
            headers:
              Authorization: "Bearer 9Kd8Lq3Zm7Xv4Tn6B2HsQ1wE5rT8yU"  # expect
            """,
            path="api/collection.http",
        ),
    )

    def check(self, ctx: FileContext) -> None:
        name = posixpath.basename(ctx.path).lower()
        lock_file = name in catalog.LOCK_FILE_NAMES or name.endswith(catalog.LOCK_FILE_SUFFIXES)
        if ctx.text.startswith("$ANSIBLE_VAULT"):
            return  # the whole file is ciphertext
        entropy_allowed = not lock_file and not (ctx.kind in ("yaml", "json") and _is_sealed_secret(ctx.text))
        numbers = _candidate_lines(ctx)
        if not numbers:
            return
        lines = ctx.lines
        sops_lines = _sops_block_lines(lines) if "sops:" in ctx.text else frozenset()
        named = _named_secrets(ctx)
        for number in numbers[:_MAX_CANDIDATE_LINES]:
            if number > len(lines) or number in sops_lines:
                continue
            line = lines[number - 1]
            for hit in _line_hits(line, number, lines, ctx, entropy_allowed):
                if hit.value in named or hit.secret in named:
                    continue  # OA101/OA102 named this value's role elsewhere in the file (asserts, reuse)
                ctx.report_at(
                    type(self),
                    number,
                    hit.start + 1,
                    _message(hit),
                    end_column=hit.start + 1 + len(hit.value),
                    confidence=hit.confidence,
                    secrets=tuple(s for s in (hit.value, hit.secret) if s),
                    properties=(("format", hit.label),),
                )


def _named_secrets(ctx: FileContext) -> frozenset[str]:
    """Values OA101/OA102 already reported in this file (the engine runs Python and config rules
    before text rules, so their reports are in ``ctx.reports``)."""
    return frozenset(
        secret for raw in ctx.reports if raw.rule.family == "secret" and raw.rule.id != "OA103" for secret in raw.secrets
    )


# --- candidate lines --------------------------------------------------------------------------------


def _candidate_lines(ctx: FileContext) -> list[int]:
    """1-based numbers (in ``ctx.lines`` numbering) of lines worth a closer look."""
    text = ctx.text
    data = text.encode("utf-8", "surrogatepass")
    offsets = _run_offsets(data) + _cue_offsets(data)
    if ctx.kind == "text" and _named_assignments_apply(ctx.path):
        offsets.extend(m.start() for m in _CREDENTIAL_WORD.finditer(data))
    if not offsets:
        return []
    offsets.sort()
    newlines = data.count(b"\n")
    if newlines + (0 if not text or text.endswith("\n") else 1) != len(ctx.lines):
        # form feeds and other separators that splitlines() counts: map offsets the slow way
        return _numbers_by_splitlines(text, data, offsets)
    numbers: list[int] = []
    line, previous = 1, 0
    for offset in offsets:
        line += data.count(b"\n", previous, offset)
        previous = offset
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _run_offsets(data: bytes) -> list[int]:
    """Starts of runs of 20+ base64 characters that contain a digit."""
    translated = data.translate(_RUN_TABLE)
    found: list[int] = []
    find, search = translated.find, _DIGIT.search
    i = find(_RUN_NEEDLE)
    while i >= 0:
        j = find(b" ", i + _RUN)
        if j < 0:
            j = len(translated)
        if search(data, i, j):
            found.append(i)
        i = find(_RUN_NEEDLE, j)
    return found


def _cue_offsets(data: bytes) -> list[int]:
    found: list[int] = []
    if data.startswith(b"PuTTY-User-Key-File"):
        found.append(0)
    for literal, pattern in _ANCHORED_CUES:
        i = data.find(literal)
        while i >= 0:
            if pattern.match(data, i):
                found.append(i)
            i = data.find(literal, i + len(literal))
    return found


def _numbers_by_splitlines(text: str, data: bytes, offsets: list[int]) -> list[int]:
    """Line numbers for files with form feeds or other separators that ``splitlines`` counts."""
    starts = [0]
    position = 0
    for line in text.splitlines(keepends=True):
        position += len(line.encode("utf-8", "surrogatepass"))
        starts.append(position)
    numbers = sorted({bisect.bisect_right(starts, offset) for offset in offsets})
    return numbers


# --- per-line detection --------------------------------------------------------------------------


def _line_hits(line: str, number: int, lines: list[str], ctx: FileContext, entropy_allowed: bool) -> list[Hit]:
    if len(line) > _MAX_LINE or "ENC[" in line or "$ANSIBLE_VAULT" in line:
        return []
    hits = list(_own_hits(line, number, lines))
    from checker import secrets_adapter

    for found in secrets_adapter.scan_line(line, ctx.path, entropy=False):
        hit = _format_hit(found.type, found.value, found.start, line)
        if hit is not None:
            hits.append(hit)
    if entropy_allowed and len(line) <= _MAX_ENTROPY_LINE:
        hits.extend(_entropy_hits(line, ctx))
    if ctx.kind == "text" and _named_assignments_apply(ctx.path):
        hits.extend(_named_assignment_hits(line, ctx.path))
    return _best(hits)


# --- named assignments in languages no other rule parses ------------------------------------------
# OA101 reads Python and OA102 reads config formats; a JavaScript, Go, Java, shell or .properties file
# only reaches OA103. There, `clientSecret = "..."` / `aelix.client-secret=...` is judged like OA101
# would (same names, placeholders and references), at medium confidence at most because the
# assignment is found by a regex, not a parser.

_CREDENTIAL_WORD = re.compile(rb"(?i)secret|passw|pwd|token|api[_-]?key|credential|private[_-]?key|authorization")
_UNQUOTED_EXTENSIONS = (".properties", ".sh", ".bash", ".zsh", ".ksh", ".conf", ".cnf", ".service", ".envrc", ".ps1", ".bat", ".cmd")
_TEXT_SKIP_EXTENSIONS = (".md", ".rst", ".txt", ".adoc", ".html", ".htm", ".xml", ".svg", ".csv", ".log", ".lock", ".sum")
_NAMED_QUOTED = re.compile(
    r"""(?P<key>[A-Za-z_$@][\w.\-]*)["'`\]]?\s*(?::\s*[A-Za-z_][\w<>\[\]?.]*\s*(?==[^=]))?(?:(?<![=!<>:])(?::=|=|:|=>|<-)(?![=~>]))\s*(?:new\s+\w+\(\s*)?(?P<q>["'`])(?P<value>[^"'`\\\n]{4,256})(?P=q)"""
)
_NAMED_UNQUOTED = re.compile(r"""^\s*(?:export\s+|set\s+|\$env:|Environment=)?(?P<key>[A-Za-z_][\w.\-]*)\s*[=:]\s*(?P<value>[^\s"'`#;]{4,256})\s*(?:[#;].*)?$""")


def _named_assignments_apply(path: str) -> bool:
    """Source and script files; prose and markup (READMEs, HTML) are left to the format detectors."""
    return not path.lower().endswith(_TEXT_SKIP_EXTENSIONS)


def _named_assignment_hits(line: str, path: str) -> Iterator[Hit]:
    matches = list(_NAMED_QUOTED.finditer(line))
    if not matches and path.lower().endswith(_UNQUOTED_EXTENSIONS):
        unquoted = _NAMED_UNQUOTED.match(line)
        matches = [unquoted] if unquoted else []
    for match in matches:
        key, value = match.group("key"), match.group("value")
        verdict = credential_name(key.rsplit(".", 1)[-1] if "." in key and not key.startswith(".") else key) or credential_name(key)
        if verdict is None or verdict.role == "authorization header":
            continue
        confidence = secret_value_confidence(value, verdict, key)
        if confidence is None:
            continue
        yield Hit(f"{verdict.role} assigned from a string literal", value, match.start("value"), min(confidence, Confidence.MEDIUM), 4)


def _own_hits(line: str, number: int, lines: list[str]) -> Iterator[Hit]:
    for match in AELIX_API_KEY.finditer(line):
        value = match.group(0)
        if _usable(value, line, match.end()):
            live = match.group(1) == "live"
            yield Hit("Aelix API key" if live else "Aelix test-mode API key", value, match.start(), Confidence.HIGH if live else Confidence.MEDIUM, 0)
    for match in AELIX_REFRESH_TOKEN.finditer(line):
        value = match.group(0)
        if _usable(value, line, match.end()) and random_enough(value[3:]):
            yield Hit("Aelix refresh token", value, match.start(), Confidence.HIGH, 0)
    for match in _BEARER.finditer(line):
        token = match.group(1)
        if _usable(token, line, match.end()) and random_enough(token) and not token.startswith(catalog.AELIX_ID_PREFIXES):
            yield Hit("bearer token", token, match.start(1), Confidence.HIGH, 2)
    for match in JWT.finditer(line):
        token = match.group(0)
        if _usable(token, line, match.end()) and is_real_jwt(token):
            yield Hit("JSON Web Token", token, match.start(), Confidence.MEDIUM, 3)
    if "PRIVATE KEY" in line or "PuTTY" in line:
        yield from _private_key_hits(line, number, lines)


def _usable(value: str, line: str, end: int) -> bool:
    """Not a documentation sample (``ak_live_xyz123...``) and not a placeholder."""
    after = line[end : end + 3]
    return not after.startswith(("...", "…")) and not is_placeholder(value)


def _private_key_hits(line: str, number: int, lines: list[str]) -> Iterator[Hit]:
    """A BEGIN marker followed by a key body; code that only names the marker stays silent."""
    match = _PEM_BEGIN.search(line)
    if match is None:
        return
    body = _PEM_INLINE_BODY.search(line, match.end())
    secret = body.group(1) if body else None
    if secret is None:
        for following in lines[number : number + 4]:
            found = _PEM_BODY.match(following)
            if found:
                secret = found.group(1)
                break
            if following.strip() and ":" not in following:  # RFC 1421 headers (Proc-Type:) may precede
                break
    if secret is None or is_placeholder(secret) or len(set(secret)) < 10:
        return
    encrypted = "ENCRYPTED" in match.group(0)
    label = "encrypted private key" if encrypted else "private key"
    yield Hit(label, match.group(0), match.start(), Confidence.MEDIUM if encrypted else Confidence.HIGH, 0, secret=secret)


# detect-secrets regexes that also match ordinary text: reported only at medium confidence
_WEAK_FORMATS = frozenset({"Artifactory Credentials", "Twilio API Key", "Telegram Bot Token", "Cloudant Credentials", "IBM Cloud IAM Key", "SoftLayer Credentials", "Discord Bot Token"})


def _format_hit(kind: str, value: str, start: int, line: str) -> Hit | None:
    if start < 0:
        start = max(line.find(value), 0)
    if value.startswith(catalog.AELIX_ID_PREFIXES) or is_placeholder(value):
        return None
    if line[start + len(value) : start + len(value) + 3].startswith(("...", "…")):
        return None
    if kind == "Basic Auth Credentials":
        return _url_password_hit(value, start, line)
    if kind in _WEAK_FORMATS and not random_enough(value):
        return None
    if kind == "Twilio API Key" and value.startswith("AC"):
        return None  # a Twilio Account SID identifies the account; API keys start with SK
    label = catalog.FORMAT_LABELS.get(kind, kind)
    confidence = Confidence.MEDIUM if kind in _WEAK_FORMATS else Confidence.HIGH
    return Hit(label, value, start, confidence, 1)


_URL_USERINFO = re.compile(r"://([^\s:/@'\"]*):([^\s/@'\"]+)@")


def _url_password_hit(password: str, start: int, line: str) -> Hit | None:
    """A URL password judged like OA101/OA102 judge one (placeholders, ``${VAR}``, short values)."""
    user = None
    for match in _URL_USERINFO.finditer(line):
        if match.group(2) == password:
            user = match.group(1) or None
            break
    confidence = secret_value_confidence(password, NameVerdict(role="password", strength="strong"), key=user)
    if confidence is None:
        return None
    return Hit(catalog.FORMAT_LABELS["Basic Auth Credentials"], password, start, confidence, 1)


def _is_alphabet(value: str) -> bool:
    """Character sets written out ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef...0123456789-_"): mostly runs of
    consecutive characters."""
    steps = sum(1 for a, b in pairwise(value) if ord(b) - ord(a) == 1)
    return steps >= 0.7 * (len(value) - 1)


def _entropy_hits(line: str, ctx: FileContext) -> Iterator[Hit]:
    """detect-secrets' high-entropy plugins on quoted strings (and unquoted config values)."""
    from checker import secrets_adapter

    found = []
    if _QUOTED_RUN.search(line):
        found = [(h.type, h.value, h.start) for h in secrets_adapter.scan_line(line, ctx.path, formats=False)]
    elif ctx.kind != "python":
        match = _UNQUOTED_VALUE.match(line)
        if match:
            value = match.group(1)
            found = [(h.type, h.value, match.start(1)) for h in secrets_adapter.scan_value(value, ctx.path) if h.is_entropy]
    if not found:
        return
    low = line.lower()
    if any(word in low for word in catalog.HASH_CONTEXT_WORDS):
        return
    for kind, value, start in found:
        if _not_a_credential(value, line):
            continue
        credential_context = _credential_context(line, start, low)
        is_hex = kind == "Hex High Entropy String" or _HEXISH.match(value) is not None
        if is_hex and not credential_context:
            continue  # bare hex strings are digests and ids far more often than keys
        confidence = Confidence.MEDIUM if credential_context else Confidence.LOW
        yield Hit(catalog.FORMAT_LABELS.get(kind, "high-entropy string"), value, max(start, 0), confidence, 5)


# The name a value is given on its line: `key = "v"`, `"Key": "v"`, `key: v`, `--flag "v"`, `key => "v"`.
_KEY_BEFORE = re.compile(
    r"""([A-Za-z_$@][\w.\-]*)["'`\]]?\s*(?::\s*[A-Za-z_][\w<>\[\]?.]*\s*)?(?::=|=>|=|:)\s*(?:new\s+\w+\(\s*)?["'`(]?\s*$"""
)
_FLAG_BEFORE = re.compile(r"""--?([A-Za-z][\w-]*)(?:=|\s+)["']?$""")
_STRONG_CONTEXT_WORDS = ("secret", "password", "passwd", "private key", "private_key", "privatekey", "api key", "api_key", "apikey", "credential")


def _credential_context(line: str, start: int, low: str) -> bool:
    """Is the value named as a credential? The key or flag right before it decides when there is
    one (`NextToken` and `ShardIterator` are not credentials, `ClientSecret` is); otherwise only
    unambiguous words on the line count ("token" alone is too common: page tokens, lexer tokens)."""
    before = line[:start]
    match = _KEY_BEFORE.search(before) or _FLAG_BEFORE.search(before)
    if match is not None:
        key = match.group(1)
        verdict = credential_name(key)
        if verdict is None:
            return False
        # "token_signature": a generic word inside a longer name qualifies something else
        return verdict.strength == "strong" or words(key)[-1] in ("token", "tokens", "secret", "credential", "credentials")
    return any(word in low for word in _STRONG_CONTEXT_WORDS)


def _not_a_credential(value: str, line: str) -> bool:
    """Long random-looking strings that are something else."""
    if value.startswith(catalog.AELIX_ID_PREFIXES + catalog.BINARY_BASE64_PREFIXES):
        return True
    if "data:" in line and ";base64," in line:
        return True
    if is_placeholder(value) or _is_wordy(value) or _is_alphabet(value):
        return True
    if len(value) > 1000:
        return True  # an embedded file, not a credential
    return False


def _is_wordy(value: str) -> bool:
    """Identifiers and paths: every part between separators is a word, a CamelCase word or a number."""
    parts = [p for p in re.split(r"[._\-/:+=~]", value) if p]
    if not parts:
        return True
    for part in parts:
        pieces = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", part)
        if "".join(pieces) != part or not all(_WORDY_PART.match(p) for p in pieces):
            return False
        if len(pieces) > 1 and sum(len(p) <= 2 for p in pieces) * 2 > len(pieces):
            return False  # "Zx8kQ9mP": many one- and two-letter pieces read as random, not words
    return True


def _best(hits: list[Hit]) -> list[Hit]:
    """One hit per span: the most specific detector wins where hits overlap."""
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.rank, h.start)):
        span = (hit.start, hit.start + len(hit.value))
        if any(span[0] < c.start + len(c.value) and c.start < span[1] for c in chosen):
            continue
        chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _message(hit: Hit) -> str:
    if hit.label.endswith("from a string literal"):
        return hit.label
    if hit.label.startswith("high-entropy"):
        return f"{hit.label} that may be a committed credential"
    return f"{hit.label} committed in this file"


# --- encrypted material ---------------------------------------------------------------------------


def _is_sealed_secret(text: str) -> bool:
    """Bitnami SealedSecret manifests: their encryptedData is ciphertext."""
    return "kind: SealedSecret" in text or '"kind": "SealedSecret"' in text


def _sops_block_lines(lines: list[str]) -> frozenset[int]:
    """Line numbers of a top-level YAML ``sops:`` block (SOPS metadata: MACs, wrapped data keys)."""
    inside = False
    found: set[int] = set()
    for number, line in enumerate(lines, start=1):
        if line.startswith("sops:"):
            inside = True
            found.add(number)
            continue
        if inside:
            if line and not line[0].isspace() and not line.startswith("#"):
                inside = False
                continue
            found.add(number)
    return frozenset(found)
