"""Classify plain-HTTP URLs for OA301: which ``http://`` URLs are a transport problem and which are
loopback, allow-listed, cloud metadata, documentation hosts or identifiers that are never fetched.

Named filters (detect-secrets style), each small and tested on its own:

* ``is_loopback(host)`` — ``localhost``, ``*.localhost``, ``localhost.localdomain``, ``127.0.0.0/8``,
  ``::1``, ``0.0.0.0``, ``ip6-localhost`` — but not ``localhost.example.com`` or ``127.0.0.1.nip.io``
  (those resolve wherever their owner wants);
* ``is_allowed(host, settings)`` — ``allowed-http-hosts`` globs (``*.internal.test``);
* ``is_metadata_host(host)`` — cloud metadata endpoints that are plain HTTP by design;
* ``is_reserved_host(host)`` — RFC 2606/6761 documentation and test names;
* ``is_identifier_url(url)`` — XML namespaces, JSON-Schema ids, RDF vocabularies, licence links;
* ``is_private_host(host)`` — RFC 1918/ULA addresses and cluster-internal names (medium confidence:
  interception inside the network is still possible).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from checker.model import Confidence, Settings
from rules._analysis.names import words

_INSECURE_SCHEMES = ("http://", "ws://")

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "0.0.0.0", "[::]", "::"})
# Names that point at the developer's own machine or a test client, allow-listed by default.
_LOCAL_ALIASES = frozenset({"host.docker.internal", "gateway.docker.internal", "host.containers.internal", "testserver", "kubernetes.docker.internal"})

_METADATA_HOSTS = frozenset({"169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23",
                             "metadata.google.internal", "metadata", "metadata.azure.internal", "100.100.100.200"})

_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".example.com", ".example.org", ".example.net")
_RESERVED_NAMES = frozenset({"example.com", "example.org", "example.net", "example", "test", "invalid"})

# Hosts whose http:// URLs are identifiers (namespaces, schemas, licences), not endpoints.
_IDENTIFIER_HOSTS = frozenset(
    {"www.w3.org", "w3.org", "schemas.xmlsoap.org", "schemas.microsoft.com", "schemas.openxmlformats.org",
     "docs.oasis-open.org", "json-schema.org", "schema.org", "purl.org", "xmlns.com", "www.apache.org",
     "apache.org", "opensource.org", "www.opensource.org", "www.gnu.org", "gnu.org", "creativecommons.org",
     "ns.adobe.com", "www.omg.org", "java.sun.com", "xml.org", "www.xml.org", "relaxng.org", "ogp.me",
     "rdfs.org", "dublincore.org", "www.opengis.net", "maven.apache.org", "xmlpull.org", "www.springframework.org",
     "schemas.android.com", "www.eclipse.org", "ns.useplus.org", "iptc.org", "www.iana.org", "tools.ietf.org",
     "www.ietf.org", "json.schemastore.org", "www.mozilla.org", "mozilla.org", "openid.net", "specs.openid.net",
     "www.wtfpl.net", "unlicense.org", "semver.org", "keepachangelog.com", "www.python.org", "docs.python.org"}
)
_IDENTIFIER_PATH = re.compile(r"/(?:licen[cs]es?|xmlns|ns|schemas?|namespace|xsd|dtd|rdf|vocab)(?:/|$|\.|#)", re.IGNORECASE)

_PRIVATE_SUFFIXES = (".svc.cluster.local", ".cluster.local", ".svc", ".internal", ".local", ".lan", ".corp", ".intranet",
                     ".home.arpa", ".intra", ".private", ".consul", ".localdomain")


@dataclass(frozen=True)
class UrlVerdict:
    """What a URL is for OA301: ``insecure`` True means report it, with ``confidence``."""

    insecure: bool
    host: str | None = None
    reason: str = ""  # why it is fine (loopback, allowed, metadata, reserved, identifier, https, template)
    confidence: Confidence = Confidence.HIGH
    private: bool = False


def is_insecure_scheme(text: str) -> bool:
    return text.strip().lower().startswith(_INSECURE_SCHEMES)


def url_hostname(text: str) -> str | None:
    """Lower-case host of ``text`` (brackets stripped), None when there is none or it is a template hole."""
    try:
        parts = urlsplit(text.strip())
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    if "{" in host or "}" in host or "$" in host or "%" in host or "<" in host:
        return None
    return host.lower().rstrip(".")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True loopback only: ``localhost``/``*.localhost``/127.0.0.0/8/``::1``/``0.0.0.0``."""
    host = host.lower().strip("[]").rstrip(".")
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    address = _ip(host)
    if address is None:
        return False
    return address.is_loopback or address.is_unspecified


def is_allowed(host: str, settings: Settings | None) -> bool:
    """``allowed-http-hosts`` globs (case-insensitive) plus local developer aliases."""
    host = host.lower().strip("[]")
    if host in _LOCAL_ALIASES:
        return True
    if settings is None:
        return False
    for pattern in settings.allowed_http_hosts:
        pattern = pattern.lower().strip().strip("[]")
        if not pattern:
            continue
        if fnmatch.fnmatchcase(host, pattern):
            return True
        if pattern.startswith("*.") and host == pattern[2:]:
            return True
    return False


def is_metadata_host(host: str) -> bool:
    return host.lower().strip("[]") in _METADATA_HOSTS


def is_reserved_host(host: str) -> bool:
    host = host.lower()
    return host in _RESERVED_NAMES or host.endswith(_RESERVED_SUFFIXES)


def is_identifier_url(text: str) -> bool:
    """XML namespaces, JSON-Schema/JSON-LD ids, RDF vocabularies, licence and spec links."""
    host = url_hostname(text)
    if host is None:
        return False
    if host in _IDENTIFIER_HOSTS:
        return True
    try:
        path = urlsplit(text.strip()).path
    except ValueError:
        return False
    return bool(_IDENTIFIER_PATH.search(path))


def is_private_host(host: str) -> bool:
    """RFC 1918 / ULA / link-local addresses, cluster-internal and single-label (service) names."""
    host = host.lower().strip("[]")
    address = _ip(host)
    if address is not None:
        return address.is_private or address.is_link_local
    if host.endswith(_PRIVATE_SUFFIXES):
        return True
    return "." not in host  # docker-compose / k8s service names: http://keycloak:8080


def classify_url(text: str, settings: Settings | None = None) -> UrlVerdict:
    """Verdict for one URL string (``{hole}`` placeholders allowed in the path)."""
    stripped = text.strip()
    if not is_insecure_scheme(stripped):
        return UrlVerdict(False, reason="https")
    host = url_hostname(stripped)
    if host is None:
        return UrlVerdict(False, reason="template")
    if is_loopback(host):
        return UrlVerdict(False, host, "loopback")
    if is_allowed(host, settings):
        return UrlVerdict(False, host, "allowed")
    if is_metadata_host(host):
        return UrlVerdict(False, host, "metadata")
    if is_reserved_host(host):
        return UrlVerdict(False, host, "reserved")
    if is_identifier_url(stripped):
        return UrlVerdict(False, host, "identifier")
    if is_private_host(host):
        return UrlVerdict(True, host, confidence=Confidence.MEDIUM, private=True)
    return UrlVerdict(True, host)


# --- names that say "this value is an endpoint" ---------------------------------------------------------

_ENDPOINT_WORDS = frozenset({"url", "uri", "urls", "endpoint", "endpoints", "host", "hostname", "base", "baseurl",
                             "issuer", "authority", "server", "api", "address", "addr", "domain", "origin",
                             "gateway", "service", "href", "link", "site", "root", "prefix"})
# Words that make an URL-ish name something we must not treat as an endpoint.
_NON_ENDPOINT_WORDS = frozenset({"proxy", "proxies", "schema", "namespace", "xmlns", "ns", "homepage", "home",
                                 "doc", "docs", "documentation", "license", "licence", "repo", "repository",
                                 "source", "website", "help", "issues", "issue", "bug", "bugs", "tracker",
                                 "changelog", "download", "image", "icon", "logo", "avatar", "redirect",
                                 "callback", "webhook", "return", "cancel", "success", "failure", "terms", "privacy",
                                 "tos", "support", "example", "sample", "sentry", "dsn", "jaeger", "otel", "otlp",
                                 "zipkin", "prometheus", "metrics", "grafana", "statsd", "syslog", "loki",
                                 "pushgateway", "jenkins", "ci", "funding", "sponsor", "twitter", "github", "wiki",
                                 "public", "frontend", "ui", "web", "dashboard", "portal", "login", "signup",
                                 "unsubscribe", "static", "media", "cdn", "asset", "assets", "font", "css",
                                 "registry", "index", "mirror", "pypi", "npm", "artifactory", "nexus"})
# Words that make an endpoint a token endpoint (plain HTTP there is critical).
_TOKEN_WORDS = frozenset({"token", "oauth", "oauth2", "auth", "authority", "issuer", "sts", "idp", "oidc", "sso",
                          "keycloak", "okta", "cognito", "login"})


def endpoint_name(name: str) -> str | None:
    """"token" for a token endpoint name (``TOKEN_URL``, ``token_endpoint``, ``authority``), "api" for
    other endpoint names (``API_BASE``, ``base_url``, ``host``), None otherwise (``homepage``, ``proxy``)."""
    seq = words(name)
    if not seq:
        return None
    if any(w in _NON_ENDPOINT_WORDS for w in seq) and not ("token" in seq or "oauth" in seq or "oauth2" in seq):
        return None
    joined = "".join(seq)
    if not (seq[-1] in _ENDPOINT_WORDS or joined.endswith(("url", "uri", "endpoint", "baseurl"))):
        return None
    if "token" in seq or seq[-1] in ("authority", "issuer") or ("auth" in seq and seq[-1] in ("url", "uri", "endpoint")) or "oauth" in seq or "oauth2" in seq:
        return "token"
    return "api"


def is_proxy_name(name: str) -> bool:
    seq = words(name)
    return any(w in ("proxy", "proxies", "no_proxy") for w in seq)
