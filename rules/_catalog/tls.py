"""Data tables for OA301 (plain-http-endpoint) and OA302 (tls-verification-disabled).

Sources: DOMAIN.md §1 (library catalog: TLS switch and plain-HTTP knob per library), the OA301 and
OA302 sections, and §0 item 10 (``CURL_CA_BUNDLE``/``PYTHONHTTPSVERIFY``).
"""

from __future__ import annotations

# --- OA301 --------------------------------------------------------------------------------------------

# Keyword arguments whose value is an endpoint URL ("token": a token endpoint, "api": an API base).
ENDPOINT_KEYWORDS: dict[str, str] = {
    "base_url": "api",
    "baseurl": "api",
    "base_uri": "api",
    "api_url": "api",
    "api_base": "api",
    "api_base_url": "api",
    "api_endpoint": "api",
    "endpoint_url": "api",
    "endpoint": "api",
    "server_url": "api",
    "host": "api",
    "url": "api",
    "uri": "api",
    "service_url": "api",
    "resource_url": "api",
    "token_endpoint": "token",
    "token_url": "token",
    "token_uri": "token",
    "access_token_url": "token",
    "auth_url": "token",
    "authority": "token",
    "authority_host": "token",
    "issuer": "token",
    "issuer_url": "token",
    "server_metadata_url": "token",
    "metadata_url": "token",
    "discovery_url": "token",
    "oidc_url": "token",
    "auto_refresh_url": "token",
    "refresh_url": "token",
    "introspection_endpoint": "token",
}
# ``url=``/``uri=``/``host=``/``endpoint=`` are too generic on unknown calls: only on these callees.
GENERIC_URL_KEYWORDS: frozenset[str] = frozenset({"url", "uri", "host", "endpoint"})
# Callees where ``url=`` is package metadata or a link, never an endpoint.
METADATA_CALLS: frozenset[str] = frozenset({"setup", "setuptools.setup", "distutils.core.setup", "Link", "Image",
                                            "webbrowser.open", "webbrowser.open_new", "webbrowser.open_new_tab",
                                            "redirect", "RedirectResponse", "HttpResponseRedirect", "url_for"})
# Callees whose first positional argument is a token endpoint URL.
TOKEN_URL_FIRST_ARG_METHODS: frozenset[str] = frozenset({"fetch_token", "fetch_access_token", "refresh_token"})
TOKEN_URL_FIRST_ARG_CLASSES: frozenset[str] = frozenset({"OAuth2ClientCredentials", "OktaClientCredentials",
                                                         "OAuth2Client", "ClientCredentialsAuth"})
# Classes whose first argument is a host reached over plain HTTP.
PLAIN_HTTP_CONNECTIONS: frozenset[str] = frozenset({"http.client.HTTPConnection", "httplib.HTTPConnection",
                                                    "urllib3.HTTPConnectionPool", "urllib3.connectionpool.HTTPConnectionPool"})
# Mock-HTTP libraries: hosts in their calls are fakes (low confidence in tests).
MOCK_LIBRARIES: frozenset[str] = frozenset({"responses", "requests_mock", "respx", "httpretty", "aioresponses",
                                            "pytest_httpserver", "vcr", "httmock", "pook", "mocket", "pytest_httpx"})
INSECURE_TRANSPORT_VARS: frozenset[str] = frozenset({"OAUTHLIB_INSECURE_TRANSPORT", "AUTHLIB_INSECURE_TRANSPORT"})

# --- OA302 --------------------------------------------------------------------------------------------

# Keyword arguments that turn certificate verification off when False.
VERIFY_KEYWORDS: frozenset[str] = frozenset({"verify", "verify_ssl", "connection_verify", "verify_certs",
                                             "ssl_verify", "verify_certificate", "tls_verify", "check_hostname",
                                             "validate_certs", "verify_tls", "assert_hostname"})
# Keyword arguments whose value CERT_NONE turns verification off.
CERT_REQS_KEYWORDS: frozenset[str] = frozenset({"cert_reqs", "ssl_cert_reqs", "verify_mode"})
CERT_NONE_STRINGS: frozenset[str] = frozenset({"CERT_NONE", "NONE", "none", "cert_none"})
# Receivers (qualified-name roots) where ``verify=False`` is known to be a TLS switch.
TLS_CLIENT_ROOTS: tuple[str, ...] = ("requests", "httpx", "aiohttp", "urllib3", "authlib", "requests_oauthlib",
                                     "msal", "hvac", "boto3", "botocore", "google", "azure", "zeep", "elasticsearch",
                                     "opensearchpy", "kubernetes", "openapi_client", "httpx_auth", "requests_auth",
                                     "requests_oauth2client", "aioboto3", "pysnow", "jira", "gitlab", "github",
                                     "pynetbox", "proxmoxer", "keycloak", "influxdb_client", "minio", "docker",
                                     "websocket", "websockets", "tornado", "treq", "pycurl", "httplib2", "suds",
                                     "grequests", "niquests", "ldap3", "splunklib", "ansible", "pyVim", "pyvmomi",
                                     "consul", "etcd3", "hcloud", "atlassian", "o365", "exchangelib", "spnego")
# Receivers where ``verify=False``/``ssl=False`` is something else (JWT signatures, non-HTTP transports).
NOT_TLS_ROOTS: tuple[str, ...] = ("jwt", "jose", "jwcrypto", "authlib.jose", "itsdangerous", "redis", "aioredis",
                                  "asyncpg", "aiosmtplib", "smtplib", "pymongo", "motor", "psycopg", "psycopg2",
                                  "aiomysql", "pymysql", "mysql", "nacl", "cryptography", "gnupg", "gpg", "hmac",
                                  "hashlib", "ecdsa", "rsa", "webauthn", "pyotp", "bcrypt", "passlib", "argon2",
                                  "aio_pika", "pika", "kombu", "celery", "nats", "aiokafka", "kafka", "paho",
                                  "asyncssh", "paramiko", "imaplib", "poplib", "ftplib", "ldap", "sqlalchemy")
NOT_TLS_METHODS: frozenset[str] = frozenset({"decode", "verify", "verify_signature", "loads", "validate_token",
                                             "decode_token", "verify_token", "unsign", "check_password",
                                             "verify_password"})
# Words in an unresolved callee that suggest an HTTP client call.
HTTPISH_WORDS: frozenset[str] = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request",
                                           "session", "client", "connect", "fetch", "download", "upload", "api",
                                           "http", "https", "urlopen", "send", "call", "token", "auth", "rest",
                                           "pool", "connector", "adapter", "transport", "login", "stream"})
# Attributes that turn verification off when set to False (``session.verify = False``).
VERIFY_ATTRIBUTES: frozenset[str] = frozenset({"verify", "verify_ssl", "check_hostname", "verify_certs",
                                               "assert_hostname", "ssl_verify", "validate_certs"})
# SSLContext protocols whose default is CERT_NONE and no hostname check (PROTOCOL_TLS_CLIENT is safe).
UNVERIFIED_PROTOCOLS: frozenset[str] = frozenset({"PROTOCOL_TLS", "PROTOCOL_SSLv23", "PROTOCOL_TLSv1",
                                                  "PROTOCOL_TLSv1_1", "PROTOCOL_TLSv1_2", "PROTOCOL_SSLv3",
                                                  "PROTOCOL_SSLv2"})
# Keyword arguments through which an SSLContext is used by a client.
CONTEXT_KEYWORDS: frozenset[str] = frozenset({"context", "ssl", "ssl_context", "verify", "sslcontext", "tls_context"})
# Calls that only silence the warning about unverified requests.
WARNING_SILENCERS: frozenset[str] = frozenset({"urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings",
                                               "requests.urllib3.disable_warnings", "urllib3.warnings.simplefilter"})
INSECURE_WARNING_NAMES: frozenset[str] = frozenset({"InsecureRequestWarning", "InsecurePlatformWarning",
                                                    "SubjectAltNameWarning"})

# Environment variables (code and env files) -> (disabled when, confidence label, note)
ENV_SWITCHES: dict[str, tuple[str, str, str]] = {
    "NODE_TLS_REJECT_UNAUTHORIZED": ("zero", "high", "Node.js accepts any certificate"),
    "GIT_SSL_NO_VERIFY": ("true", "medium", "git accepts any certificate"),
    "PYTHONHTTPSVERIFY": ("zero", "low", "honoured only by some distribution-patched Python interpreters, PEP 493"),
    "CURL_CA_BUNDLE": ("empty", "low", "effective only with requests < 2.28, see psf/requests#6074"),
    "SSL_CERT_VERIFY": ("false", "medium", "certificate verification switched off"),
    "HTTPX_VERIFY": ("false", "medium", "certificate verification switched off"),
    "REQUESTS_VERIFY": ("false", "medium", "certificate verification switched off"),
    "AWS_CA_BUNDLE": ("never", "low", ""),
}
FALSE_STRINGS: frozenset[str] = frozenset({"false", "0", "no", "off", "n", "f", "disabled", "disable"})
TRUE_STRINGS: frozenset[str] = frozenset({"true", "1", "yes", "on", "y", "t", "enabled", "enable"})
# Config-key words (after the verify/insecure word) that keep the key about TLS.
TLS_QUALIFIERS: frozenset[str] = frozenset({"ssl", "tls", "cert", "certs", "certificate", "certificates", "host",
                                            "hostname", "peer", "server", "https", "x509", "ca"})
# Parent keys that make a bare ``verify: false`` about something other than TLS.
NON_TLS_CONTEXT_WORDS: frozenset[str] = frozenset({"jwt", "signature", "signatures", "token", "tokens", "email",
                                                   "webhook", "hmac", "checksum", "hash", "gpg", "pgp", "signing",
                                                   "sign", "audience", "aud", "exp", "iat", "nbf", "iss", "claims",
                                                   "otp", "captcha", "recaptcha", "phone", "sms", "account",
                                                   "payment", "integrity", "schema", "migration", "migrations"})
