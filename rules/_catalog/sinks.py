"""Data tables for OA201 (token-logged): log/print sinks, sanitizers, source names and the names that
look sensitive but never are.

Kept as data (bandit-style) so that the taint engine in ``rules._analysis.taint`` stays generic and a
reviewer can see at a glance what counts as a sink. Sources: DOMAIN.md "OA201 token-logged" and the
library catalog (§1).
"""

from __future__ import annotations

import re

# --- sinks ------------------------------------------------------------------------------------------

# stdlib logging: module functions and Logger/LoggerAdapter methods (data in msg, *args and extra=).
LOGGING_METHODS: frozenset[str] = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
# structlog bound loggers: every positional and keyword argument is rendered.
STRUCTLOG_METHODS: frozenset[str] = LOGGING_METHODS | frozenset(
    {"msg", "adebug", "ainfo", "awarn", "awarning", "aerror", "acritical", "afatal", "aexception", "amsg", "alog"}
)
# loguru: ``{}``-style args and kwargs are formatted into the message.
LOGURU_METHODS: frozenset[str] = frozenset(
    {"trace", "debug", "info", "success", "warning", "error", "critical", "exception", "log"}
)
# Deferred sinks: context bound now is logged with every later event.
BIND_METHODS: frozenset[str] = frozenset({"bind", "new", "contextualize", "bind_contextvars"})

# Qualified names (through imports and the binding table) of logger factories per library.
STDLIB_LOGGER_FACTORIES: tuple[str, ...] = (
    "logging.getLogger",
    "logging.Logger",
    "logging.LoggerAdapter",
    "logging.root",
    "logging.getLoggerClass",
    "logging.RootLogger",
    "celery.utils.log.get_task_logger",
    "celery.utils.log.get_logger",
    "flask.current_app.logger",
    "flask.Flask.logger",
    "django.utils.log",
    "airflow.utils.log.logging_mixin.LoggingMixin.log",
)
LOGURU_PREFIXES: tuple[str, ...] = ("loguru.logger", "loguru._logger.Logger")

# Unresolved receivers whose names say "logger" (reported with medium confidence).
LOGGER_NAME = re.compile(r"^_*(?:log|logger|logging|LOG|LOGGER|Log|Logger|[A-Za-z0-9_]*_(?:log|logger|LOG|LOGGER))$")

# Functions that print their positional arguments: qualified name -> which arguments carry data.
# "all" = every positional argument, "first" = the first one (or message=/s=/obj= keywords).
PRINT_FUNCTIONS: dict[str, str] = {
    "builtins.print": "all",
    "rich.print": "all",
    "rich.print_json": "all",
    "rich.pretty.pprint": "first",
    "rich.inspect": "first",
    "pprint.pprint": "first",
    "pprint.pp": "first",
    "click.echo": "first",
    "click.secho": "first",
    "typer.echo": "first",
    "typer.secho": "first",
    "tqdm.write": "first",
    "tqdm.tqdm.write": "first",
    "tqdm.auto.tqdm.write": "first",
    "warnings.warn": "first",
    "warnings.warn_explicit": "first",
    "sys.stdout.write": "first",
    "sys.stderr.write": "first",
    "sys.__stdout__.write": "first",
    "sys.__stderr__.write": "first",
    "sys.stdout.writelines": "first",
    "sys.stderr.writelines": "first",
    "traceback.print_exception": "all",
    "traceback.print_exc": "none",
    "icecream.ic": "all",
    "structlog.contextvars.bind_contextvars": "none",
}
# Keyword names that carry the data for the "first" print functions.
PRINT_MESSAGE_KEYWORDS: frozenset[str] = frozenset({"message", "msg", "s", "obj", "object", "text", "json", "data"})

# rich Console / pprint.PrettyPrinter / tqdm instances: constructor qualified name -> printing methods.
PRINTER_CLASSES: dict[str, frozenset[str]] = {
    "rich.console.Console": frozenset({"print", "log", "out", "print_json", "rule"}),
    "rich.Console": frozenset({"print", "log", "out", "print_json"}),
    "rich.get_console": frozenset({"print", "log", "out", "print_json"}),
    "pprint.PrettyPrinter": frozenset({"pprint"}),
    "tqdm.tqdm": frozenset({"write"}),
    "tqdm.auto.tqdm": frozenset({"write"}),
}

# Cheap pre-check in the visitor: call names that might be sinks (resolution happens later).
SINK_FUNCTION_NAMES: frozenset[str] = frozenset(
    {"print", "pprint", "pp", "echo", "secho", "warn", "ic", "inspect", "print_json", "print_exception",
     "bind_contextvars", "write"}
) | LOGGING_METHODS
SINK_METHOD_NAMES: frozenset[str] = (
    LOGGING_METHODS
    | STRUCTLOG_METHODS
    | LOGURU_METHODS
    | BIND_METHODS
    | frozenset({"write", "writelines", "echo", "secho", "warn", "pprint", "pp", "print", "out", "print_json",
                 "print_exception", "inspect", "bind_contextvars"})
)

# Keyword arguments of stdlib logging calls that carry no data.
LOGGING_CONTROL_KEYWORDS: frozenset[str] = frozenset({"exc_info", "stack_info", "stacklevel"})

# --- sanitizers -------------------------------------------------------------------------------------

# Builtins (and friends) whose result says nothing about the value's content.
SANITIZING_BUILTINS: frozenset[str] = frozenset(
    {"builtins.len", "builtins.bool", "builtins.hash", "builtins.type", "builtins.id", "builtins.isinstance",
     "builtins.callable", "builtins.hasattr", "builtins.int", "builtins.float", "builtins.any", "builtins.all",
     "builtins.issubclass"}
)
# A helper whose name says it masks (also matched on words of unresolved callees).
MASKING_WORDS: frozenset[str] = frozenset(
    {"mask", "masked", "redact", "redacted", "obfuscate", "obfuscated", "hash", "hashed", "scrub", "scrubbed",
     "truncate", "truncated", "hide", "hidden", "censor", "censored", "anonymize", "anonymise", "sanitize",
     "sanitise", "sanitized", "digest", "fingerprint", "sha256", "sha1", "md5", "shorten", "abbreviate",
     "preview", "elide", "strip_secrets", "safe"}
)
# Qualified-name prefixes of sanitising modules/classes.
SANITIZING_PREFIXES: tuple[str, ...] = (
    "hashlib.",
    "hmac.",
    "bcrypt.",
    "passlib.",
    "argon2.",
    "pydantic.SecretStr",
    "pydantic.SecretBytes",
    "pydantic.types.SecretStr",
    "jwt.decode",  # the claims (exp, sub, scope), not the token
    "jwt.get_unverified_header",
    "jwt.get_unverified_claims",
    "jose.jwt.decode",
    "jose.jwt.get_unverified_claims",
    "jose.jwt.get_unverified_header",
    "zlib.crc32",
    "uuid.",
    "secrets.compare_digest",
    "httpx.Headers",  # repr masks authorization (handled as masked headers, see taint)
    "time.",
    "datetime.",
)
# Max characters a literal slice may keep and still count as a mask (tok[:6], tok[-4:]).
MAX_SAFE_SLICE = 8

# String methods whose result is a boolean/number/position, never the content.
NON_PROPAGATING_METHODS: frozenset[str] = frozenset(
    {"startswith", "endswith", "count", "find", "rfind", "index", "rindex", "isalnum", "isalpha", "isdigit",
     "isnumeric", "isascii", "islower", "isupper", "isspace", "isidentifier", "isdecimal", "istitle", "__len__",
     "keys", "is_expired", "expired", "is_valid", "bit_length", "__bool__", "__contains__", "__eq__"}
)

# --- sources ----------------------------------------------------------------------------------------

# Response attributes/methods that give the body of a response.
RESPONSE_BODY_ATTRS: frozenset[str] = frozenset(
    {"text", "content", "json", "read", "body", "data", "raw", "iter_content", "iter_lines", "iter_text",
     "aread", "iter_bytes", "aiter_bytes", "aiter_text", "aiter_lines", "readlines", "readline", "_content",
     "__dict__", "text_content"}
)
# Client-library methods whose result is a token or a token response.
TOKEN_FETCH_METHODS: dict[str, str] = {
    "fetch_token": "token from fetch_token()",
    "fetch_access_token": "token from fetch_access_token()",
    "acquire_token_for_client": "token result from acquire_token_for_client()",
    "acquire_token_silent": "token result from acquire_token_silent()",
    "acquire_token_silent_with_error": "token result from acquire_token_silent_with_error()",
    "acquire_token_on_behalf_of": "token result from acquire_token_on_behalf_of()",
    "acquire_token_by_username_password": "token result from acquire_token_by_username_password()",
    "acquire_token_by_authorization_code": "token result from acquire_token_by_authorization_code()",
    "acquire_token_by_refresh_token": "token result from acquire_token_by_refresh_token()",
    "acquire_token_interactive": "token result from acquire_token_interactive()",
    "acquire_token_by_device_flow": "token result from acquire_token_by_device_flow()",
    "refresh_token": "token from refresh_token()",
    "client_credentials": "token from client_credentials()",
}
# Attributes of token objects/results that carry the token itself.
TOKEN_OBJECT_SECRET_ATTRS: frozenset[str] = frozenset({"token", "access_token", "id_token", "refresh_token", "value"})
# Library prefixes whose objects carry a ``.token`` attribute that is the access token.
CREDENTIAL_PREFIXES: tuple[str, ...] = ("google.", "azure.", "msal.", "authlib.", "requests_oauthlib.", "requests_oauth2client.")
# OAuth sessions whose ``.token`` is the token dict and ``.access_token`` the token string.
OAUTH_SESSION_PREFIXES: tuple[str, ...] = (
    "authlib.integrations.requests_client.OAuth2Session",
    "authlib.integrations.httpx_client.OAuth2Client",
    "authlib.integrations.httpx_client.AsyncOAuth2Client",
    "authlib.integrations.requests_client",
    "authlib.integrations.httpx_client",
    "requests_oauthlib.OAuth2Session",
    "requests_oauthlib.",
)

# Header names whose values are credentials.
AUTH_HEADER_KEYS: frozenset[str] = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token",
     "x-amz-security-token", "ocp-apim-subscription-key", "x-functions-key", "private-token", "x-vault-token",
     "authentication", "x-authorization", "x-token", "token"}
)
# Prefixes of header values that carry credentials ("Bearer eyJ…", "Basic …", "token ghp_…").
AUTH_SCHEMES = re.compile(r"^\s*(?:bearer|basic|token|jwt|sso-key|apikey|digest)\s", re.IGNORECASE)

# Environment readers: qualified names whose first argument is a variable name.
ENV_READERS: frozenset[str] = frozenset(
    {"os.getenv", "os.environ.get", "os.environ.setdefault", "os.environ.pop", "os.getenvb", "decouple.config",
     "environ.Env", "environs.Env", "dotenv.get_key"}
)

# Keys/attributes never sensitive even inside a token response (DOMAIN.md "Never sensitive").
NEVER_SENSITIVE_KEYS: frozenset[str] = frozenset(
    {"token_type", "expires_in", "expires_at", "expires_on", "ext_expires_in", "expiry", "expiration", "exp", "iat",
     "nbf", "iss", "aud", "sub", "jti", "azp", "scope", "scopes", "error", "error_description", "error_codes",
     "error_uri", "correlation_id", "trace_id", "timestamp", "status_code", "status", "token_source", "refresh_in",
     "not_before", "resource", "tenant_id", "client_id", "grant_type", "message", "detail", "code", "type", "name",
     "id", "kid", "alg", "typ", "url", "token_url", "token_endpoint", "issued_at", "expires"}
)

# Names that contain credential words but are never the credential (beyond names.credential_name).
NEVER_SENSITIVE_WORDS: frozenset[str] = frozenset(
    {"masked", "redacted", "hashed", "obfuscated", "truncated", "preview", "prefix", "suffix", "hint", "len",
     "length", "count", "fingerprint", "digest", "safe", "short", "prompt", "placeholder", "regex", "pattern",
     "policy", "requirements", "strength", "label", "help", "title", "tokens", "num", "sha", "sha256", "md5",
     "provider", "manager", "handler", "getter", "factory", "validator", "cache", "lock", "expires", "expiry",
     "expiration", "refreshed", "refreshing", "source", "kind", "format", "encoding", "lifetime", "ttl", "age",
     "is", "has", "should", "use", "needs", "need", "with", "no", "without", "valid", "invalid", "missing",
     "present", "enabled", "required", "changed", "updated", "rotated", "spec", "schema", "claims", "claim",
     # pagination/sync cursors and NLP vocabulary ("starting_token", "sync_token", "stop_token")
     "starting", "resume", "cursor", "sync", "marker", "paging", "continuation", "pagination", "page", "next",
     "input", "output", "stop", "special", "vocab", "padding", "sep", "delimiter", "end", "start", "unknown"}
)
# Names meaning a bare "credentials"/"creds" object (google print(creds) is a negative: its repr
# does not show the token).
OBJECT_NAMES: frozenset[str] = frozenset({"credential", "credentials", "creds", "cred"})

# Imports that mean "token" is a lexer/NLP/LLM token in this module, not a credential.
NON_CREDENTIAL_TOKEN_MODULES: frozenset[str] = frozenset(
    {"tokenize", "token", "ply", "lark", "pygments", "nltk", "spacy", "transformers", "tiktoken", "sentencepiece",
     "tokenizers", "jieba", "antlr4", "parso", "sly", "pyparsing", "rply", "lib2to3", "sqlparse", "mistune",
     "markdown", "openai", "anthropic", "langchain", "langchain_core", "langchain_openai", "llama_index", "vllm",
     "torch", "tensorflow", "keras", "datasets", "gensim", "stanza", "textblob", "llama_cpp", "ollama", "litellm",
     "google.generativeai", "cohere", "mistralai", "jinja2.lexer", "libcst", "ast", "esprima", "tree_sitter"}
)

# Verbs stripped from callee names before judging them by name (``get_access_token()``).
# ("generate_token(48)" mints a random nonce/verifier, so "generate" is not a getter verb.)
GETTER_VERBS: frozenset[str] = frozenset(
    {"get", "fetch", "acquire", "obtain", "request", "retrieve", "load", "read", "refresh", "renew",
     "create", "new", "issue", "make", "build", "current", "lookup", "resolve", "ensure", "grab", "pull", "do"}
)

# --- error branches ----------------------------------------------------------------------------------

STATUS_ATTRS: frozenset[str] = frozenset({"status_code", "status", "code", "getcode"})
ERROR_FLAG_ATTRS: frozenset[str] = frozenset({"is_error", "is_client_error", "is_server_error"})
SUCCESS_FLAG_ATTRS: frozenset[str] = frozenset({"ok", "is_success"})
ERROR_KEYS: frozenset[str] = frozenset({"error", "error_description", "errors", "error_codes"})

# --- HTTP debug switches (print headers incl. Authorization and request bodies) --------------------------

DEBUGLEVEL_TARGETS: tuple[str, ...] = ("HTTPConnection.debuglevel", "HTTPSConnection.debuglevel")
DEBUG_HANDLER_CLASSES: tuple[str, ...] = (
    "urllib.request.HTTPHandler",
    "urllib.request.HTTPSHandler",
    "urllib2.HTTPHandler",
    "urllib2.HTTPSHandler",
)
# Loggers that log tokens at DEBUG (requests-oauthlib: "Obtained token %s", request headers/bodies).
TOKEN_LOGGING_LOGGERS: frozenset[str] = frozenset({"requests_oauthlib", "oauthlib", "requests_oauthlib.oauth2_session"})
NON_HTTP_DEBUG_PREFIXES: tuple[str, ...] = ("smtplib.", "ftplib.", "imaplib.", "poplib.", "telnetlib.", "nntplib.")
