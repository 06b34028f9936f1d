"""The only module that imports detect-secrets (1.5.x).

detect-secrets keeps its configuration in a process-wide singleton, and its ad-hoc ``scan_line``
re-resolves every filter on each call and, with eager search, reports every word of a line. So we:

* configure the plugin list explicitly once, inside ``transient_settings`` (IPPublicDetector and
  KeywordDetector off, see ``rules._catalog.secrets.DETECT_SECRETS_PLUGINS``), keep the configured plugin
  instances and leave the global settings exactly as they were;
* run each plugin's ``analyze_line`` (the non-eager path: high-entropy strings must be quoted, as in
  a ``scan_file``) only on the candidate lines our own cheap prefilter picked;
* apply detect-secrets' heuristic filters that make sense for us by name, as plain functions.

Verification (network calls) is never enabled: the verification-policy filter is not configured, so
``BasePlugin.analyze_line`` does not call ``verify``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rules._analysis.names import shannon_entropy
from rules._catalog import secrets as catalog

__all__ = ["SecretHit", "plugin_names", "scan_line", "scan_value"]


@dataclass(frozen=True)
class SecretHit:
    """One value a detect-secrets plugin reported on a line."""

    type: str  # detect-secrets secret type, e.g. "AWS Access Key", "Base64 High Entropy String"
    value: str  # the whole token around the match (plugins sometimes report only a capture group)
    start: int  # offset of ``value`` in the scanned line (-1 when not found verbatim)

    @property
    def is_entropy(self) -> bool:
        return self.type in catalog.ENTROPY_TYPES


@lru_cache(maxsize=1)
def _plugins() -> tuple[Any, ...]:
    """The configured plugin instances, built once under ``transient_settings``."""
    from checker.collector import imports_frozen

    with imports_frozen():  # detect-secrets imports requests and its plugins: ~0.15 s
        from detect_secrets.settings import get_plugins, transient_settings

    config = {"plugins_used": [dict(p) for p in catalog.DETECT_SECRETS_PLUGINS], "filters_used": []}
    with transient_settings(config):
        return tuple(get_plugins())


@lru_cache(maxsize=1)
def _filters() -> dict[str, Callable[..., bool]]:
    found: dict[str, Callable[..., bool]] = {}
    for path in catalog.DETECT_SECRETS_FILTERS:
        module, _, name = path.rpartition(".")
        try:
            found[name] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):  # a future detect-secrets renamed it: skip, do not crash
            continue
    return found


# Cheap necessary conditions per plugin: a gate regex that must match the line for the plugin's own
# (slower) regexes to have any chance. Gates only skip plugins that cannot match; detect-secrets'
# regexes stay the authority. Plugins without a gate always run.
_GATES: dict[str, re.Pattern[str]] = {
    "AWSKeyDetector": re.compile(r"A(?:KIA|SIA|BIA|CCA|3T)|aws", re.IGNORECASE),
    "ArtifactoryDetector": re.compile(r"AKC|AP[0-9A-F]"),
    "AzureStorageKeyDetector": re.compile(r"AccountKey="),
    "BasicAuthDetector": re.compile(r"://[^\s]*@"),
    "CloudantDetector": re.compile(r"[\w\-]{24}"),  # its secrets are 24+ character words
    "DiscordBotTokenDetector": re.compile(r"[MNO][a-zA-Z\d_-]{23,25}\."),
    "GitHubTokenDetector": re.compile(r"gh[pousr]_"),
    "GitLabTokenDetector": re.compile(r"gl[a-z]{2,6}-|GR1348941"),
    "IbmCloudIamDetector": re.compile(r"[\w\-]{24}"),  # its secrets are 24+ character words
    "IbmCosHmacDetector": re.compile(r"[\w\-]{24}"),  # its secrets are 24+ character words
    "MailchimpDetector": re.compile(r"-us[0-9]"),
    "NpmDetector": re.compile(r"_authToken"),
    "OpenAIDetector": re.compile(r"T3BlbkFJ"),
    "PypiTokenDetector": re.compile(r"pypi-"),
    "SendGridDetector": re.compile(r"SG\."),
    "SlackDetector": re.compile(r"xox|hooks\.slack", re.IGNORECASE),
    "SoftlayerDetector": re.compile(r"[\w\-]{24}"),  # its secrets are 24+ character words
    "SquareOAuthDetector": re.compile(r"sq0csp-"),
    "StripeDetector": re.compile(r"k_live_"),
    "TelegramBotTokenDetector": re.compile(r"[0-9]{8}:"),
    "TwilioKeyDetector": re.compile(r"(?:AC|SK)[a-z0-9]{32}"),
    "Base64HighEntropyString": re.compile(r"[\"']"),
    "HexHighEntropyString": re.compile(r"[\"']"),
}


@lru_cache(maxsize=1)
def _gated_plugins() -> tuple[tuple[Any, bool, re.Pattern[str] | None], ...]:
    """(plugin, is_entropy, gate) for every configured plugin, computed once."""
    return tuple(
        (plugin, plugin.secret_type in catalog.ENTROPY_TYPES, _GATES.get(type(plugin).__name__)) for plugin in _plugins()
    )


def plugin_names() -> tuple[str, ...]:
    return tuple(type(p).__name__ for p in _plugins())


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-+/=.~]")


def _widen(line: str, value: str) -> tuple[str, int]:
    """Grow a reported value to the whole token it sits in (GitHubTokenDetector reports "ghp")."""
    start = line.find(value)
    if start < 0:
        return value, -1
    end = start + len(value)
    while start > 0 and _TOKEN_CHARS.match(line[start - 1]):
        start -= 1
    while end < len(line) and _TOKEN_CHARS.match(line[end]):
        end += 1
    return line[start:end], start


def _filtered(secret: str, line: str, filename: str, plugin: Any, entropy_plugin: bool) -> bool:
    """detect-secrets' heuristic filters (the ones listed in the catalog), by name."""
    filters = _filters()

    def says(name: str, *args: Any) -> bool:
        check = filters.get(name)
        return bool(check is not None and check(*args))

    if says("is_lock_file", filename) or says("is_swagger_file", filename):
        return True
    if any(
        says(name, secret)
        for name in ("is_sequential_string", "is_potential_uuid", "is_templated_secret", "is_prefixed_with_dollar_sign", "is_not_alphanumeric_string")
    ):
        return True
    if says("is_likely_id_string", secret, line, plugin):
        return True
    # "x = get_secret(...)" lines: only for entropy hits; a known token format inside a call
    # (requests.post(url, headers={"Authorization": "Bearer ghp_..."})) is still a token.
    return entropy_plugin and says("is_indirect_reference", line)


def scan_line(line: str, filename: str = "", *, entropy: bool = True, formats: bool = True) -> list[SecretHit]:
    """Every plugin hit on one line, after detect-secrets' filters. Never raises.

    ``entropy`` / ``formats`` select the high-entropy plugins and the known-format plugins.
    """
    if not _could_match(line, entropy, formats):
        return []  # decided without importing detect-secrets (about 0.2 s of start-up)
    hits: list[SecretHit] = []
    seen: set[tuple[str, str]] = set()
    for plugin, is_entropy, gate in _gated_plugins():
        if (is_entropy and not entropy) or (not is_entropy and not formats):
            continue
        if gate is not None and gate.search(line) is None:
            continue
        try:
            found = plugin.analyze_line(filename=filename or "adhoc", line=line, line_number=0)
        except Exception:  # noqa: BLE001 - a plugin bug must not stop the scan
            continue
        for potential in found:
            secret = potential.secret_value or ""
            if not secret or _filtered(secret, line, filename, plugin, is_entropy):
                continue
            value, start = (secret, line.find(secret)) if is_entropy else _widen(line, secret)
            key = (plugin.secret_type, value)
            if key not in seen:
                seen.add(key)
                hits.append(SecretHit(type=plugin.secret_type, value=value, start=start))
    return hits


_ENTROPY_PLUGIN_NAMES = frozenset({"Base64HighEntropyString", "HexHighEntropyString"})
_HEX_RUN = re.compile(r"""["'`]([0-9a-fA-F]{8,})["'`]""")
_B64_RUN = re.compile(r"""["'`]([A-Za-z0-9+/\-_=]{20,})["'`]""")


def _could_match(line: str, entropy: bool, formats: bool) -> bool:
    """Our own screen before detect-secrets: can any configured plugin possibly report this line?

    Format plugins are screened by their gates; entropy plugins by quoted runs whose Shannon entropy
    reaches below detect-secrets' own limits (hex 3.0, base64 4.5), so nothing they would report is
    skipped. Lines that pass are still judged by detect-secrets itself.
    """
    if formats:
        for spec in catalog.DETECT_SECRETS_PLUGINS:
            name = spec["name"]
            if name in _ENTROPY_PLUGIN_NAMES:
                continue
            gate = _GATES.get(name)
            if gate is None or gate.search(line):
                return True
    if entropy:
        if any(shannon_entropy(m.group(1)) >= 2.9 for m in _HEX_RUN.finditer(line)):
            return True
        if any(shannon_entropy(m.group(1)) >= 4.0 for m in _B64_RUN.finditer(line)):
            return True
    return False


def scan_value(value: str, filename: str = "") -> list[SecretHit]:
    """Hits for a bare value (a config value, a dotenv value): quoted so entropy plugins see it."""
    if not value or "\n" in value or len(value) > 4096:
        return []
    quote = '"' if '"' not in value else "'"
    return [h for h in scan_line(f"{quote}{value}{quote}", filename) if h.value and h.value in value]
