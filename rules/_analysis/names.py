"""Classify identifiers and config keys as credential-like, and values as placeholders.

Shared by the secret rules (OA101/OA102), the token-logging rule (OA201) and config rules. Names are
normalised to lowercase words (camelCase, kebab-case, dots and underscores split), so
``clientSecret``, ``CLIENT_SECRET``, ``client-secret`` and ``Aelix.ClientSecret`` all read
``client secret``. The word lists are data in ``rules._catalog.secrets``.

Public API: ``words``, ``credential_name`` / ``NameVerdict``, ``is_placeholder``, ``is_reference``,
``is_identifier_like``, ``shannon_entropy``, ``looks_like_secret_value`` and
``secret_value_confidence`` (the one judgement OA101 and OA102 share).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from checker.model import Confidence
from checker.rule import lowered_pattern
from rules._catalog import secrets as catalog

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


@lru_cache(maxsize=8192)
def words(name: str) -> tuple[str, ...]:
    """``clientSecret`` -> ("client", "secret"); ``AWS_SECRET_ACCESS_KEY`` -> ("aws", "secret", "access", "key")."""
    spaced = _CAMEL.sub(" ", name)
    return tuple(w.lower() for w in _SEPARATORS.split(spaced) if w)


# Words that show a module deals with authentication, credentials or HTTP requests at all. Without
# any of them a bare ``token`` is a lexer, parser or NLP token (email header parsers, tokenizers,
# grammars), not a credential. Every strong credential phrase of ``catalog.CREDENTIAL_PHRASES``
# matches here, so only generic names depend on it. Plain ASCII without ``\b``/``\s``/``\w``, so
# the bytes form (a rule's file trigger) matches wherever the text form (the rule itself) does.
AUTH_CONTEXT = (
    rb"bearer|authoriz|oauth|secret|passw|passphrase|pwd|credential|apikey|jwt|msal|login|expires"
    rb"|api[_.-]?(?:key|token|secret)|(?:access|refresh|id|auth|session|bot)[_.-]?token"
    rb"|(?:access|private|secret|signing|master|encryption|subscription|auth|app)[_.-]?key"
    rb"|fetch_token|acquire_token|token[_.-]?(?:url|endpoint|uri)|client[_.-]?(?:id|secret|credential)"
    # "auth" not followed by "or" ("author"), spelt without a lookahead so that RE2 runs it exactly
    rb"|grant[_.-]?type|auth(?:[^o]|o[^r]|o?\Z)|debuglevel|https?handler|headers[ \t]*=|requests|httpx|aiohttp"
    rb"|urllib3|urlopen|http\.client|httplib|session|environ|getenv"
)
_AUTH_CONTEXT = lowered_pattern(AUTH_CONTEXT)


def has_auth_context(text: str) -> bool:
    """Whether a module talks about authentication, credentials or HTTP anywhere (``AUTH_CONTEXT``),
    answered exactly as the rule's file trigger answers it (lowered UTF-8 bytes, RE2)."""
    return _AUTH_CONTEXT.hit(text.encode("utf-8", "surrogatepass").lower())


@dataclass(frozen=True)
class NameVerdict:
    """Why a name is credential-like: the matched phrase and how specific it is."""

    role: str  # human wording, e.g. "client secret", "access token", "password"
    strength: str  # "strong" (exact credential phrase) or "generic" (bare secret/token/credential)


def _contains(seq: tuple[str, ...], phrase: tuple[str, ...]) -> int:
    """Index just past the last occurrence of ``phrase`` in ``seq``, or -1."""
    n = len(phrase)
    for start in range(len(seq) - n, -1, -1):
        if seq[start : start + n] == phrase:
            return start + n
    return -1


@lru_cache(maxsize=8192)
def credential_name(name: str) -> NameVerdict | None:
    """Classify a variable/attribute/key name; None when it does not name a credential value.

    ``client_secret``, ``AELIX_CLIENT_SECRET``, ``clientSecret``, ``api_key``, ``DB_PASSWORD`` match;
    ``token_url``, ``token_type``, ``secret_name``, ``client_id``, ``password_min_length``,
    ``max_tokens``, ``csrf_token``, ``hashed_password`` do not.
    """
    seq = words(name)
    if not seq or any(w in catalog.NON_VALUE_WORDS for w in seq):
        return None
    for phrase in catalog.CREDENTIAL_PHRASES:
        end = _contains(seq, phrase)
        if end < 0:
            continue
        tail = seq[end:]
        # "client_secret_name", "token_url": a trailing qualifier names metadata, not the value.
        if any(t in catalog.NON_VALUE_SUFFIXES for t in tail):
            return None
        if len([t for t in tail if t not in catalog.VALUE_TAIL_WORDS]) > 1:
            return None  # api_key_selection_expression: a long qualifier describes something else
        if phrase == ("token",) and end >= 2 and seq[end - 2] in catalog.NON_CREDENTIAL_TOKEN_WORDS:
            return None  # ClientToken, next_token, update_token: bookkeeping tokens
        if phrase == ("id", "token") and end >= 3 and seq[end - 3] == "client":
            return None  # "client_id_token" reads as a client id
        role = catalog.ROLE_WORDING.get(phrase, " ".join(phrase))
        strength = "generic" if phrase in catalog.GENERIC_PHRASES else "strong"
        return NameVerdict(role=role, strength=strength)
    return None


# --- placeholder filter (DOMAIN.md Appendix B) -------------------------------------------------

_PLACEHOLDER_RE = re.compile(
    r"""^(?:
        x{3,}|\*{3,}|\.{2,}|-{2,}|_{3,}|0{3,}|\#{3,}|•{3,}|\?{3,}|
        1234(?:5\d*)?|12345678\d*|
        (?:your|my|insert|enter|put|replace|add|set|fill)[\s_\-].*|
        (?:your|my|insert|enter)[A-Z].*|
        <[^<>]*>|\{[^{}]*\}|\[[^\[\]]*\]|\{\{.*\}\}|\$\{.*\}|\$\(.*\)|%\(.*\)s|%[A-Za-z_][A-Za-z0-9_]*%|
        \$[A-Za-z_][A-Za-z0-9_]*|__[A-Za-z0-9_]+__|@[A-Za-z0-9_]+@|\#\{.*\}|
        .*(?:\.\.\.|…)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_PLACEHOLDER_WORDS = re.compile(
    r"example|placeholder|changeme|change[_-]me|your[_-]|dummy|redacted|replace[_-]?(?:me|this|with)|xxxx|<.+>|\$\{|\{\{",
    re.IGNORECASE,
)
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm", "9876543210")


def _is_sequential(low: str) -> bool:
    """"abcdefgh", "12345678", "abcd1234", "qwertyuiop"."""
    stripped = re.sub(r"[^a-z0-9]", "", low)
    if len(stripped) < 6:
        return False
    letters = "".join(c for c in stripped if c.isalpha())
    digits = "".join(c for c in stripped if c.isdigit())
    parts = [p for p in (letters, digits) if p]
    if stripped != letters + digits and stripped != digits + letters:
        return False
    return all(any(p in seq for seq in _SEQUENCES) for p in parts)


def is_placeholder(value: str, key: str | None = None) -> bool:
    """True for documentation placeholders, templates and obviously fake values."""
    text = value.strip().strip("\"'")
    low = text.lower()
    if low in catalog.PLACEHOLDER_EXACT or low in catalog.DOC_VALUES:
        return True
    if key is not None and low in {key.lower(), "_".join(words(key)), "-".join(words(key)), "".join(words(key))}:
        return True
    if _PLACEHOLDER_RE.match(text) or _PLACEHOLDER_WORDS.search(text):
        return True
    if len(low) >= 3 and len(set(low)) <= 2:  # "aaaaaaaa", "abababab"
        return True
    if _is_sequential(low):
        return True
    if not low.startswith(catalog.TEST_MODE_KEY_PREFIXES) and any(
        w in catalog.PLACEHOLDER_SEGMENTS for w in words(text)
    ):
        return True  # "test-token-123", "fake_client_secret", "mock-api-key"
    return any(marker in text for marker in catalog.JWT_SAMPLE_MARKERS)


_REFERENCE_RE = re.compile(
    r"^\$\{\{.*\}\}$|^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^%\(.*\)s$|^\$\(.*\)$|^%[A-Za-z_]+%$"
)


def is_reference(value: str) -> bool:
    """Indirections that name where a secret lives rather than holding it."""
    text = value.strip()
    low = text.lower()
    return bool(
        _REFERENCE_RE.match(text)
        or low.startswith(catalog.REFERENCE_PREFIXES)
        or "${{ secrets." in low
        or "${{secrets." in low
        or "{{ .values" in low
        or "{{.values" in low
        or "valuefrom" in low
    )


_IDENTIFIER_SHAPES = (
    re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$"),  # AELIX_CLIENT_SECRET: an env var's name
    re.compile(r"^[a-z][a-z]*(?:_[a-z]+)+$"),  # client_secret_value: a key name
    re.compile(r"^[a-z][a-z]*(?:-[a-z]+)+$"),  # client-secret: a header or key name
    re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$"),  # settings.client_secret: a path
    re.compile(r"^(?:[A-Z][a-z]+){2,}$"),  # ClientSecret: a key or class name
)


def is_identifier_like(value: str) -> bool:
    """Values that name something (an env var, a key, a setting path) instead of being a credential."""
    text = value.strip()
    if any(shape.match(text) for shape in _IDENTIFIER_SHAPES):
        # a dotted run of random parts (a JWT) is not an identifier: every part must be wordy
        return all(_wordy(part) for part in re.split(r"[._\-]", text) if part)
    return False


def _wordy(part: str) -> bool:
    return part.isalpha() or (part.isalnum() and sum(c.isdigit() for c in part) <= 2 and not part[0].isdigit())


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    total = len(text)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


_URL_WITHOUT_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^@\s]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_VERSIONISH = re.compile(r"^v?\d+(?:\.\d+){1,3}(?:[-+.][A-Za-z0-9]+)*$")


def _not_a_credential_shape(text: str) -> bool:
    """Shapes that are never a literal credential whatever the name says."""
    if _URL_WITHOUT_USERINFO.match(text) or _EMAIL.match(text) or _NUMBER.match(text) or _VERSIONISH.match(text):
        return True
    if text.startswith(("/", "./", "~/", "../")) or re.match(r"^[A-Za-z]:\\", text):
        return True  # a path to a key file, not the key
    if re.search(r"\.(?:pem|key|json|p12|pfx|crt|txt|env|ya?ml|ini|cfg|toml)$", text, re.IGNORECASE) and "/" in text:
        return True
    if " " in text.strip() and not text.lower().startswith(("bearer ", "basic ", "-----begin")):
        return True  # prose, messages, SQL, prompts
    return False


_PASSWORD_HASH = re.compile(r"^(?:\$(?:2[abxy]?|argon2(?:id|i|d)|pbkdf2[-_a-z0-9]*|scrypt|[156]|apr1|y|gy|7)\$|pbkdf2_sha\d+\$|bcrypt\$|sha\d+\$|md5\$|\{(?:SSHA|SHA|MD5|CRYPT|SSHA512)\})")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/]{40,}")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_CREDENTIAL_WORD_IN_VALUE = re.compile(r"secret|passw|token|apikey|api_key|api-key|credential|private", re.IGNORECASE)
_WEAK_VALUE_WORDS = frozenset({"pass", "pwd", "key", "pw", "admin", "root", "user", "demo", "local", "dev", "prod", "app"})


def is_password_hash(value: str) -> bool:
    """bcrypt/argon2/crypt(3)/Django/LDAP password hashes: stored verifiers, not credentials."""
    return bool(_PASSWORD_HASH.match(value.strip()))


def _looks_dummy(text: str) -> bool:
    """Values that restate what they stand for ("ABCSECRETKEY", "moto_pass", "supersecretpassword"):
    made up for docs, tests and local setups far more often than real."""
    if text.startswith("-----BEGIN"):
        return False
    if sum(c.isdigit() for c in text) > 2:
        return False  # "S3cr3tPassw0rd9", "MySecretPassword123!": chosen passwords, not restatements
    if _CREDENTIAL_WORD_IN_VALUE.search(text):
        return True
    return any(w in _WEAK_VALUE_WORDS for w in words(text))


def secret_value_confidence(value: str, verdict: NameVerdict, key: str | None = None) -> Confidence | None:
    """How sure we are that ``value``, bound to a name judged ``verdict``, is a real credential.

    None: silent (placeholder, reference, identifier, path, prose, too short for a generic name).
    HIGH: strong name and a plausible value. MEDIUM: generic name (``secret``, ``token``) with a
    random-looking value. LOW: strong name but fewer than 8 characters (shown with ``--strict``).
    """
    text = value.strip()
    if not text or len(text) > 4096 or "\n" in text and not text.lstrip().startswith("-----BEGIN"):
        return None
    if is_reference(text) or is_placeholder(text, key) or is_identifier_like(text) or _not_a_credential_shape(text):
        return None
    if text.startswith("-----BEGIN") and not _PEM_BODY.search(text):
        return None  # a PEM marker without a key body: code that recognises keys, not a key
    if text.startswith("$") or is_password_hash(text):
        return None  # "$request.header.x-api-key" (a reference), "$2b$12$..." (a hash)
    if _UUID.match(text):
        return Confidence.MEDIUM if verdict.strength == "strong" else None
    if len(text) < 8:
        if verdict.strength == "strong" and len(text) >= 4 and len(set(text)) >= 3:
            return Confidence.LOW
        return None
    if verdict.strength == "generic":
        # bare "secret"/"token": require some randomness so labels like "session_cookie" stay silent
        if shannon_entropy(text) >= 3.0 and any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return Confidence.MEDIUM
        return None
    if _looks_dummy(text):
        return Confidence.LOW
    return Confidence.HIGH


def looks_like_secret_value(value: str, strength: str = "strong") -> bool:
    """A value worth reporting when bound to a credential name (medium confidence or better)."""
    confidence = secret_value_confidence(value, NameVerdict(role="secret", strength=strength))
    return confidence is not None and confidence >= Confidence.MEDIUM


# --- Authorization header values ----------------------------------------------------------------

_AUTH_VALUE = re.compile(
    r"^\s*(?:(?:proxy-)?authorization\s*:\s*)?(bearer|basic|token|apikey|api-key|ssws|key|jwt)\s+([A-Za-z0-9\-._~+/]+=*)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AuthorizationSecret:
    """The credential inside an ``Authorization`` header value."""

    role: str  # "bearer token" | "basic-auth credentials" | "API key"
    credential: str  # the part after the scheme, as written (base64 for Basic)
    secret: str  # the secret itself (decoded password for Basic)
    confidence: Confidence


def authorization_secret(value: str, bare: bool = False) -> AuthorizationSecret | None:
    """``Bearer eyJ...`` / ``Basic <base64 of id:secret>`` / ``Token abc`` with a real-looking credential.

    Basic credentials are decoded and must read ``id:secret`` with a non-placeholder secret;
    templates (``Bearer {token}``, ``Bearer <token>``, ``Bearer ${TOKEN}``) and doc samples ending in
    ``...`` are not credentials. With ``bare=True`` (the value is known to be an Authorization header)
    a value without a scheme is judged as an API key.
    """
    match = _AUTH_VALUE.match(value)
    if match is None:
        return _bare_credential(value) if bare else None
    scheme, credential = match.group(1).lower(), match.group(2)
    if scheme == "basic":
        return _basic_secret(credential)
    role = "bearer token" if scheme in ("bearer", "jwt") else "API key"
    if not any(c.isdigit() for c in credential):
        return None  # real tokens carry digits; "Bearer token", "Token abcdef" are prose or fakes
    confidence = secret_value_confidence(credential, NameVerdict(role=role, strength="strong"))
    if confidence is None:
        return None
    return AuthorizationSecret(role=role, credential=credential, secret=credential, confidence=confidence)


def _bare_credential(value: str) -> AuthorizationSecret | None:
    text = value.strip()
    if not text or any(c.isspace() for c in text) or not any(c.isdigit() for c in text):
        return None
    confidence = secret_value_confidence(text, NameVerdict(role="API key", strength="strong"))
    if confidence is None:
        return None
    return AuthorizationSecret(role="API key", credential=text, secret=text, confidence=confidence)


def _basic_secret(credential: str) -> AuthorizationSecret | None:
    import base64
    import binascii

    try:
        decoded = base64.b64decode(credential + "=" * (-len(credential) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    if not sep:
        return None
    confidence = secret_value_confidence(password, NameVerdict(role="password", strength="strong"), key=user or None)
    if confidence is None:
        return None
    return AuthorizationSecret(role="basic-auth credentials", credential=credential, secret=password, confidence=confidence)
