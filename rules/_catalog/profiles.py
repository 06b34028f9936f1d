"""Provider profiles: which scope an API call needs (OA402) and which scopes exist (OA401).

The built-in ``aelix`` profile follows GUIDE.md: six documented scopes, ``payments:write`` as the
guide's alias of ``payments:initiate``, API hosts ``api.`` and ``sandbox-api.aelix.digitalapi.ai``.
Only ``GET /v1/accounts`` is shown literally in Aelix's docs; the rest of the map is inferred from
the scope descriptions (accounts, balances, transactions -> banking; payments -> payments;
identity/KYC -> identity; webhooks -> webhooks) and users override it with ``scope-map`` entries.

Map keys are ``"METHOD /path"`` (``*`` or no method = any method). In paths ``*`` matches one
segment, ``**`` any number of segments and ``{name}`` one segment. Write does not imply read: the
Aelix reference is silent on it, so each call needs its own scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from checker.model import Settings

READ_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class ScopeRule:
    """One ``METHOD /path-glob -> scope`` entry."""

    methods: frozenset[str]  # empty = any method
    pattern: str
    scope: str
    regex: re.Pattern[str] = field(compare=False, repr=False, default=re.compile(""))
    user: bool = False

    def matches(self, method: str, path: str) -> bool:
        return (not self.methods or method in self.methods) and bool(self.regex.match(path))


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``/v1/accounts/**`` -> regex; ``*`` one segment, ``**`` any, ``{x}`` one segment."""
    out = ["^"]
    i = 0
    text = pattern.rstrip("/") or "/"
    while i < len(text):
        if text.startswith("/**", i):
            out.append("(?:/.*)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "{":
            end = text.find("}", i)
            out.append("[^/]+")
            i = end + 1 if end > 0 else len(text)
        else:
            out.append(re.escape(text[i]))
            i += 1
    out.append("/?$")
    return re.compile("".join(out))


def parse_rule(key: str, scope: str, user: bool = False) -> ScopeRule | None:
    """``"GET /v1/accounts"`` -> rule; ``"/v1/webhooks/**"`` -> any method. None when malformed."""
    text = key.strip()
    if not text:
        return None
    method_text, _, path = text.partition(" ")
    if not path:
        method_text, path = "*", method_text
    if not path.startswith("/"):
        return None
    methods = frozenset(m.strip().upper() for m in method_text.split("|") if m.strip() and m.strip() not in ("*", "ANY"))
    return ScopeRule(methods=methods, pattern=path.strip(), scope=scope.strip(), regex=_glob_regex(path.strip()), user=user)


@dataclass(frozen=True)
class Profile:
    """A provider's API hosts, documented scopes, aliases and method/path -> scope map."""

    name: str
    hosts: tuple[str, ...]
    token_hosts: tuple[str, ...]
    scopes: frozenset[str]
    aliases: tuple[tuple[str, str], ...]
    rules: tuple[ScopeRule, ...]
    resources: frozenset[str] = frozenset()

    def canonical(self, scope: str) -> str:
        """The documented name of a scope (``payments:write`` -> ``payments:initiate``)."""
        return dict(self.aliases).get(scope, scope)

    def knows(self, scope: str) -> bool:
        return self.canonical(scope) in self.scopes

    def is_provider_scope(self, scope: str) -> bool:
        """Scopes in this provider's namespace (``banking:...``), known or not."""
        head = scope.split(":", 1)[0].lower()
        return ":" in scope and head in self.resources

    def serves(self, host: str | None) -> bool:
        """True when the call goes to one of the profile's API hosts (unknown host: True when the
        map holds user entries, which may describe any host)."""
        if host is None:
            return True
        if not self.hosts:
            return True
        return host.lower() in self.hosts or any(r.user for r in self.rules)

    def needed_scope(self, method: str, path: str) -> str | None:
        """The scope ``method path`` needs, or None when the map does not cover the call."""
        clean = normalize_path(path)
        for rule in self.rules:
            if rule.matches(method.upper(), clean):
                return self.canonical(rule.scope)
        return None


def normalize_path(path: str) -> str:
    """Strip query/fragment, collapse ``//``, turn ``{anything}`` holes into a single segment."""
    text = path.split("?", 1)[0].split("#", 1)[0]
    text = re.sub(r"\{[^{}/]*\}", "_param_", text)
    text = re.sub(r"/{2,}", "/", text)
    if not text.startswith("/"):
        text = "/" + text
    return text.rstrip("/") or "/"


_AELIX_MAP: tuple[tuple[str, str], ...] = (
    ("GET|HEAD /v1/accounts/**", "banking:read"),
    ("GET|HEAD /v1/balances/**", "banking:read"),
    ("GET|HEAD /v1/transactions/**", "banking:read"),
    ("POST|PUT|PATCH|DELETE /v1/accounts/**", "banking:write"),
    ("GET|HEAD /v1/payments/**", "payments:read"),
    ("POST|PUT|PATCH|DELETE /v1/payments/**", "payments:initiate"),
    ("GET|HEAD /v1/identity/**", "identity:read"),
    ("GET|HEAD /v1/kyc/**", "identity:read"),
    ("GET|HEAD /v1/customers/*/identity/**", "identity:read"),
    ("GET|HEAD /v1/customers/*/kyc/**", "identity:read"),
    ("* /v1/webhooks/**", "webhooks:manage"),
)

AELIX_SCOPES: frozenset[str] = frozenset(
    {"banking:read", "banking:write", "payments:read", "payments:initiate", "identity:read", "webhooks:manage"}
)
AELIX_ALIASES: tuple[tuple[str, str], ...] = (("payments:write", "payments:initiate"),)
AELIX_HOSTS: tuple[str, ...] = ("api.aelix.digitalapi.ai", "sandbox-api.aelix.digitalapi.ai")
AELIX_TOKEN_HOSTS: tuple[str, ...] = ("auth.aelix.digitalapi.ai",)


def _rules(entries: Iterable[tuple[str, str]], user: bool) -> list[ScopeRule]:
    out = []
    for key, scope in entries:
        rule = parse_rule(key, scope, user=user)
        if rule is not None:
            out.append(rule)
    return out


@lru_cache(maxsize=64)
def _build(profile: str, scope_map: tuple[tuple[str, str], ...]) -> Profile | None:
    user_rules = _rules(scope_map, user=True)
    if profile.lower() == "none":
        if not user_rules:
            return None
        scopes = frozenset(r.scope for r in user_rules)
        return Profile(
            name="custom",
            hosts=(),
            token_hosts=(),
            scopes=scopes,
            aliases=(),
            rules=tuple(user_rules),
            resources=frozenset(s.split(":", 1)[0].lower() for s in scopes if ":" in s),
        )
    if profile.lower() != "aelix":
        return None
    # User entries come first: the same key replaces the built-in entry, new keys add to it.
    user_keys = {(r.methods, r.pattern.rstrip("/")) for r in user_rules}
    builtin = [r for r in _rules(_AELIX_MAP, user=False) if (r.methods, r.pattern.rstrip("/")) not in user_keys]
    aliases = AELIX_ALIASES
    scopes = AELIX_SCOPES | frozenset(dict(aliases).get(r.scope, r.scope) for r in user_rules)
    return Profile(
        name="aelix",
        hosts=AELIX_HOSTS,
        token_hosts=AELIX_TOKEN_HOSTS,
        scopes=scopes,
        aliases=aliases,
        rules=tuple(user_rules + builtin),
        resources=frozenset({"banking", "payments", "identity", "webhooks"}),
    )


def active_profile(settings: Settings | None) -> Profile | None:
    """The profile for these settings: built-in ``aelix`` plus user ``scope-map`` entries,
    only the user's entries with ``profile = "none"`` (None when there are none)."""
    if settings is None:
        return _build("aelix", ())
    return _build(settings.profile or "aelix", tuple(settings.scope_map))


def describe(profile: Profile | None) -> list[str]:
    """Human lines for ``credlint explain``/``--verbose``: the active map."""
    if profile is None:
        return ["no scope profile active (profile = \"none\" and no scope-map entries)"]
    lines = [f"profile {profile.name}: hosts {', '.join(profile.hosts) or 'any'}"]
    for rule in profile.rules:
        methods = "|".join(sorted(rule.methods)) or "*"
        lines.append(f"  {methods} {rule.pattern} -> {rule.scope}{' (scope-map)' if rule.user else ''}")
    for alias, target in profile.aliases:
        lines.append(f"  alias {alias} = {target}")
    return lines
