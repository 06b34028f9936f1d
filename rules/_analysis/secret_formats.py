"""Credential formats recognised by shape (shared by OA101/OA102 for labelling and OA103 for detection).

Our own formats are plain regexes here (Aelix API keys and refresh tokens, JSON Web Tokens); the
detect-secrets catalogue is reached only through ``checker.secrets_adapter``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from rules._analysis.names import shannon_entropy
from rules._catalog import secrets as catalog

AELIX_API_KEY = re.compile(r"(?<![A-Za-z0-9_])ak_(live|test)_[A-Za-z0-9]{16,}(?![A-Za-z0-9_])")
AELIX_REFRESH_TOKEN = re.compile(r"(?<![A-Za-z0-9_])rt_[A-Za-z0-9]{16,}(?![A-Za-z0-9_])")
JWT = re.compile(r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}(?:\.[A-Za-z0-9_\-]+){0,2}")
_PEM_PRIVATE = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")


def random_enough(value: str) -> bool:
    """Letters and digits with some variety: what generated tokens look like."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value) and shannon_entropy(value) >= 3.0


def _b64json(part: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def is_real_jwt(token: str) -> bool:
    """Header decodes to JSON with a signing "alg" (not "none"); not the jwt.io / RFC sample."""
    parts = token.split(".")
    if len(parts) < 3:
        return False
    header, payload = _b64json(parts[0]), _b64json(parts[1])
    if not isinstance(header, dict) or "alg" not in header or str(header.get("alg")).lower() == "none":
        return False
    if isinstance(payload, dict) and (payload.get("sub") == "1234567890" or payload.get("name") == "John Doe"):
        return False
    return not any(marker in token for marker in catalog.JWT_SAMPLE_MARKERS)


def format_of(value: str) -> str | None:
    """The credential format of a whole value ("Aelix API key", "JSON Web Token", "AWS access key"...),
    or None. Used to label OA101/OA102 findings; cheap, call it only for values being reported."""
    text = value.strip()
    match = AELIX_API_KEY.fullmatch(text)
    if match:
        return "Aelix API key" if match.group(1) == "live" else "Aelix test-mode API key"
    if AELIX_REFRESH_TOKEN.fullmatch(text):
        return "Aelix refresh token"
    if JWT.fullmatch(text) and is_real_jwt(text):
        return "JSON Web Token"
    if _PEM_PRIVATE.search(text):
        return "private key"
    from checker import secrets_adapter

    for hit in secrets_adapter.scan_value(text):
        if not hit.is_entropy:
            return catalog.FORMAT_LABELS.get(hit.type, hit.type)
    return None
