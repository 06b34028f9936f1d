"""The one way any sensitive value is shown: a short prefix, its length and a short hash.

Every renderer, log line and exception message that could carry scanned content goes through
``redact`` or ``redact_line``; tests plant secrets and search every output for them.
"""

from __future__ import annotations

import hashlib
import re

_PREFIX_CHARS = 4
# Long runs of token-ish characters that mix letters and digits are masked in snippets even when
# no rule named them: a snippet is context for a reader, never a place to show credentials.
# '=' only as base64 padding at the end, and no ':' so that ``KEY=value`` and ``key: value`` keep
# their key visible while the value is masked.
_TOKENISH = re.compile(r"[A-Za-z0-9_\-+/.~]{16,}={0,2}")
_QUOTED = re.compile(r"""(?P<q>["'`])(?P<body>(?:\\.|(?!(?P=q)).){6,}?)(?P=q)""")


def secret_hash(value: str) -> str:
    """Stable, non-reversible identity of a secret (used in fingerprints and baselines)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def redact(value: str, prefix: int = _PREFIX_CHARS) -> str:
    """``eyJh…(812 chars, sha256:3f9a1c)``; short values show no prefix at all."""
    shown = value[:prefix] if len(value) >= 12 else ""
    return f"{shown}…({len(value)} chars, sha256:{secret_hash(value)[:6]})"


_WORDY_PARTS = (
    re.compile(r"[a-z]+[0-9]{0,2}[a-z]*"),  # snake_case words, sha256, b64encode
    re.compile(r"[A-Z0-9]{0,3}[A-Z]+[0-9]{0,2}"),  # CONSTANTS, HTTP2
    re.compile(r"(?:[A-Z]+[a-z]*[0-9]{0,2})+"),  # CamelCase, OAuth2Session
    re.compile(r"[0-9]{1,4}"),  # version numbers, ports
)


def _is_wordy(part: str) -> bool:
    if not part:
        return True
    if sum(c.isdigit() for c in part) > 2:
        return False
    return any(p.fullmatch(part) for p in _WORDY_PARTS)


def _looks_like_credential(run: str) -> bool:
    """True for long runs that are not made of ordinary identifier words."""
    parts = re.split(r"[._\-/:~+=]", run)
    return not all(_is_wordy(part) for part in parts)


def _mask_tokenish(line: str) -> str:
    def repl(match: re.Match[str]) -> str:
        run = match.group(0)
        if run.startswith(("http://", "https://")) or not _looks_like_credential(run):
            return run
        return redact(run)

    return _TOKENISH.sub(repl, line)


# ``KEY=value`` / ``key: value`` / ``"key": "value"`` where the key names a credential: the value is
# masked in every snippet whatever its shape (low-entropy secrets are still secrets).
_CREDENTIAL_ASSIGNMENT = re.compile(
    r"""((?:[A-Za-z_][\w.\-]*)?(?:secret|token|passw|pwd|passphrase|credential|api[_\-]?key|access[_\-]?key|private[_\-]?key|auth)[\w.\-]*["']?\s*[:=]\s*["']?)([^\s"',;)]{4,})""",
    re.IGNORECASE,
)


def _mask_credential_assignments(line: str) -> str:
    def mask(match: re.Match[str]) -> str:
        value = match.group(2)
        if "…(" in value or "(" in value or "[" in value or value.startswith(("os.", "env", "${", "$", "getenv", "settings.", "config", "self.")):
            return match.group(0)
        return match.group(1) + redact(value)

    return _CREDENTIAL_ASSIGNMENT.sub(mask, line)


def redact_line(line: str, secrets: tuple[str, ...] | list[str] = (), mask_literals: bool = False) -> str:
    """Mask every known secret in ``line`` plus anything that looks like a credential.

    ``mask_literals`` masks every quoted literal of six or more characters (used for lines a secret
    rule reported, where the value may be low-entropy and still secret).
    """
    out = line
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        if len(secret) >= 1:
            out = out.replace(secret, redact(secret))
    if mask_literals:
        out = _QUOTED.sub(lambda m: m.group("q") + (m.group("body") if "…(" in m.group("body") else redact(m.group("body"))) + m.group("q"), out)
    out = _mask_credential_assignments(out)
    out = _mask_tokenish(out)
    if len(out) > 240:
        out = out[:237] + "..."
    return out


def redact_text(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Redact a multi-line text (e.g. an error message that quotes scanned content)."""
    return "\n".join(redact_line(line, secrets) for line in text.splitlines())
