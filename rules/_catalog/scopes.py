"""Scope words and provider catalogs for the least-privilege rules (OA401, OA402).

A scope string is judged on its own (``classify_scope``) and, for Aelix, against the profile's list
of documented scopes (see ``rules._catalog.profiles``). The tables are data so that adding a
provider is a one-line change; the reasons they cite are shown in findings.

Sources: DOMAIN.md (OA401), Google OAuth 2.0 scopes list, GitHub OAuth scopes, Microsoft Graph
permissions reference, Okta management API scopes, Amazon Cognito reserved scopes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.model import Confidence, Severity

# Whole-scope words that mean "everything" on any provider.
BROAD_WORDS: frozenset[str] = frozenset(
    {
        "*", "*:*", "all", "all:*", "full", "full_access", "fullaccess", "full-access", "all_access", "allaccess",
        "root", "superuser", "super_user", "admin", "administrator", "sudo",
    }
)

# Action parts of ``<resource>:<action>`` (or ``<resource>.<action>``) that mean "everything on it".
BROAD_ACTIONS: frozenset[str] = frozenset(
    {"*", "all", "full", "full_access", "fullaccess", "admin", "administrator", "superuser", "root", "sudo"}
)

# Resource parts that mean "every resource" (``*:write``, ``all:read``).
WILDCARD_RESOURCES: frozenset[str] = frozenset({"*", "all"})

# Words that make an admin-looking scope read-only (``admin.directory.user.readonly``, ``admin:read``).
READ_ONLY_WORDS: frozenset[str] = frozenset({"read", "readonly", "read-only", "read_only", "view", "list", "get"})

# Google: full-surface scopes.  ``cloud-platform`` is the recommended scope for service accounts
# (IAM does the narrowing), so it is only an informational finding.
GOOGLE_PREFIX = "https://www.googleapis.com/auth/"
GOOGLE_CLOUD_PLATFORM = GOOGLE_PREFIX + "cloud-platform"
GOOGLE_BROAD: dict[str, str] = {
    "https://mail.google.com/": "full Gmail access (read, send, delete every message)",
    "https://mail.google.com": "full Gmail access (read, send, delete every message)",
    GOOGLE_PREFIX + "drive": "full access to every Drive file (prefer drive.file or drive.readonly)",
    GOOGLE_PREFIX + "devstorage.full_control": "full control of Cloud Storage, including ACLs",
}

# Microsoft Graph application permissions that amount to tenant-wide administration.
GRAPH_BROAD: dict[str, str] = {
    "directory.readwrite.all": "write access to the whole directory",
    "rolemanagement.readwrite.directory": "can grant any directory role, including Global Administrator",
    "application.readwrite.all": "can add credentials to any application",
    "approleassignment.readwrite.all": "can grant itself any application permission",
    "sites.fullcontrol.all": "full control of every SharePoint site",
    "mail.readwrite": "read and write every mailbox in the tenant",
    "user.readwrite.all": "write access to every user",
    "group.readwrite.all": "write access to every group",
    "files.readwrite.all": "write access to every file in the tenant",
}

# GitHub scopes that are broad whatever the app (``admin:*`` is caught by the generic rule).
GITHUB_ALWAYS_BROAD: dict[str, str] = {"delete_repo": "can delete repositories"}
# GitHub scopes that are broad only when we know the provider is GitHub (``repo`` is a common word).
GITHUB_BROAD: dict[str, str] = {"repo": "full control of private repositories", "write:org": "write access to organisations"}

COGNITO_ADMIN = "aws.cognito.signin.user.admin"
_OKTA_MANAGE = re.compile(r"^okta\.[a-z0-9_]+\.manage$", re.IGNORECASE)

# OpenID Connect scopes: odd in a client-credentials request, never broad.
OIDC_SCOPES: frozenset[str] = frozenset({"openid", "profile", "email", "offline_access", "address", "phone"})


@dataclass(frozen=True)
class ScopeVerdict:
    """Why a scope is broad; ``severity``/``confidence`` override the rule defaults when set."""

    kind: str  # "wildcard" | "admin" | "provider" | "info"
    reason: str
    confidence: Confidence = Confidence.HIGH
    severity: Severity | None = None


def is_microsoft_default(scope: str) -> bool:
    """``<resource>/.default``: the mandatory form for Microsoft client credentials (not broad)."""
    return scope == ".default" or scope.endswith("/.default")


def _parts(scope: str) -> list[str]:
    """Split ``banking:read``, ``okta.users.manage``, ``api://x/y`` into lower-case parts."""
    return [p for p in re.split(r"[:./]", scope.lower()) if p]


def _google(scope: str) -> ScopeVerdict | None:
    if scope.rstrip("/") == GOOGLE_CLOUD_PLATFORM:
        return ScopeVerdict(
            "info",
            "Google cloud-platform scope grants every Google Cloud API; acceptable only when IAM roles narrow the service account",
            Confidence.LOW,
            Severity.INFO,
        )
    reason = GOOGLE_BROAD.get(scope) or GOOGLE_BROAD.get(scope.rstrip("/"))
    if reason:
        return ScopeVerdict("provider", f"Google scope with {reason}")
    tail = scope[len(GOOGLE_PREFIX):] if scope.startswith(GOOGLE_PREFIX) else ""
    if tail.startswith("admin.directory.") and not tail.endswith(".readonly"):
        return ScopeVerdict("provider", "Google Workspace directory administration scope (read-write)")
    if tail.endswith("*"):
        return ScopeVerdict("wildcard", "wildcard Google scope")
    return None


def classify_scope(scope: str, provider: str | None = None) -> ScopeVerdict | None:
    """A verdict when ``scope`` grants far more than one application needs; None when it is fine.

    ``provider`` is a hint from the request context ("microsoft", "google", "github", "okta",
    "aelix", ...); it only enables provider-specific words that would be ambiguous elsewhere.
    """
    text = scope.strip()
    if not text:
        return None
    low = text.lower()
    if is_microsoft_default(low):
        return None
    if low.startswith(("https://www.googleapis.com/", "https://mail.google.com")):
        return _google(text)
    if low in OIDC_SCOPES:
        return None
    graph_name = low.rsplit("/", 1)[-1]
    if graph_name in GRAPH_BROAD:
        return ScopeVerdict("provider", f"Microsoft Graph permission with {GRAPH_BROAD[graph_name]}")
    if low in GITHUB_ALWAYS_BROAD:
        return ScopeVerdict("provider", f"GitHub scope that {GITHUB_ALWAYS_BROAD[low]}")
    if provider == "github" and low in GITHUB_BROAD:
        return ScopeVerdict("provider", f"GitHub scope with {GITHUB_BROAD[low]}")
    if low == COGNITO_ADMIN:
        return ScopeVerdict("provider", "Cognito scope that allows every user-pool API on the user's behalf")
    if _OKTA_MANAGE.match(low):
        return ScopeVerdict("provider", "Okta management scope with write access to the whole org resource")
    if low in BROAD_WORDS:
        kind = "wildcard" if "*" in low or low == "all" else "admin"
        return ScopeVerdict(kind, "all-access scope" if kind == "admin" else "wildcard scope")
    return _structured(low)


def _structured(low: str) -> ScopeVerdict | None:
    """``<res>:*``, ``*:write``, ``<res>:admin``, ``admin:<res>``, ``<res>.*``, ``*.admin``."""
    if "*" in low:
        return ScopeVerdict("wildcard", "wildcard scope")
    parts = _parts(low)
    if len(parts) < 2:
        return None
    if any(p in READ_ONLY_WORDS for p in parts):
        return None
    separator = ":" if ":" in low and "://" not in low else "."
    if separator == ":":
        resource, _, action = low.partition(":")
        if action in BROAD_ACTIONS:
            return ScopeVerdict("admin", f"all-access action on the {resource} resource")
        if resource in WILDCARD_RESOURCES:
            return ScopeVerdict("wildcard", "scope that applies to every resource")
        if resource in ("admin", "superuser", "root"):
            return ScopeVerdict("admin", "administration scope")
        return None
    if parts[-1] in ("admin", "administrator", "superuser") or parts[0] in ("admin", "superuser"):
        return ScopeVerdict("admin", "administration scope")
    return None


def split_scopes(text: str) -> list[tuple[str, int]]:
    """Scopes in a requested string with their offsets: split on whitespace, or on ``,``/``+``
    (pre-encoded) when there is no whitespace. Duplicates keep their first position."""
    pieces: list[tuple[str, int]]
    if re.search(r"\s", text.strip()):
        pieces = [(m.group(0), m.start()) for m in re.finditer(r"\S+", text)]
    elif "," in text:
        pieces = [(m.group(0).strip(), m.start()) for m in re.finditer(r"[^,]+", text) if m.group(0).strip()]
    elif "+" in text and not text.startswith("http"):
        pieces = [(m.group(0), m.start()) for m in re.finditer(r"[^+]+", text)]
    else:
        pieces = [(text.strip(), text.find(text.strip()))] if text.strip() else []
    seen: set[str] = set()
    out: list[tuple[str, int]] = []
    for scope, offset in pieces:
        if scope and scope not in seen:
            seen.add(scope)
            out.append((scope, offset))
    return out


_SCOPE_TOKEN = re.compile(r"^[A-Za-z0-9_.:/*\-+@?=&%]+$")


def looks_like_scope(text: str) -> bool:
    """Cheap shape test for one scope token (not prose, not a path on disk)."""
    return bool(_SCOPE_TOKEN.match(text)) and not text.startswith(("./", "../"))


_WRITE_WORDS = frozenset(
    {"write", "readwrite", "initiate", "create", "delete", "update", "manage", "modify", "send", "admin", "full",
     "execute", "transfer", "refund", "post", "edit", "upload", "remove", "cancel"}
)


def is_write_scope(scope: str) -> bool:
    """Scopes that allow changes: ``payments:write``, ``Mail.ReadWrite``, ``write:org``, ``*.manage``."""
    low = scope.lower()
    if is_microsoft_default(low):
        return False
    if "readwrite" in low:
        return True
    parts = _parts(low)
    return any(p in _WRITE_WORDS for p in parts) or any(p.startswith(("write", "create", "delete", "update", "manage")) for p in parts)


def provider_hint(*texts: str | None) -> str | None:
    """Guess the provider from URLs, hosts or library names seen around a request."""
    for text in texts:
        if not text:
            continue
        low = text.lower()
        if "aelix" in low:
            return "aelix"
        if "microsoftonline" in low or "graph.microsoft" in low or low in ("msal", "azure-identity"):
            return "microsoft"
        if "googleapis" in low or low.startswith("google"):
            return "google"
        if "github" in low:
            return "github"
        if "okta" in low:
            return "okta"
        if "amazoncognito" in low or "cognito" in low:
            return "cognito"
        if "salesforce" in low:
            return "salesforce"
    return None
