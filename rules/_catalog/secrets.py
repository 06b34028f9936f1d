"""Data tables for the secret family (OA101-OA103) and for ``rules._analysis.names``.

Only data lives here: names that denote credentials, values that are placeholders, client APIs whose
positional arguments are secrets, token formats and the noise that looks like them. The logic that
reads these tables is in ``rules._analysis.names`` (names and placeholders), the rule modules and
``checker.secrets_adapter`` (detect-secrets).
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------------
# Credential names (DOMAIN.md OA101 "Names to match"). Names are compared as word sequences after
# camelCase/kebab/snake/dots are split, so ("client", "secret") matches clientSecret, CLIENT_SECRET,
# client-secret and Aelix.ClientSecret.
# --------------------------------------------------------------------------------------------------

# Phrases, most specific first; the first phrase found in a name decides its role.
CREDENTIAL_PHRASES: tuple[tuple[str, ...], ...] = (
    ("client", "secret"),
    ("client", "credential"),
    ("client", "credentials"),
    ("secret", "access", "key"),
    ("secret", "key"),
    ("access", "token"),
    ("refresh", "token"),
    ("bearer", "token"),
    ("auth", "token"),
    ("id", "token"),
    ("api", "token"),
    ("api", "key"),
    ("apikey",),
    ("api", "secret"),
    ("app", "secret"),
    ("consumer", "secret"),
    ("signing", "secret"),
    ("signing", "key"),
    ("webhook", "secret"),
    ("shared", "secret"),
    ("jwt", "secret"),
    ("session", "secret"),
    ("private", "key"),
    ("access", "key"),
    ("auth", "key"),
    ("master", "key"),
    ("encryption", "key"),
    ("subscription", "key"),
    ("password",),
    ("passwd",),
    ("pwd",),
    ("passphrase",),
    ("secret",),
    ("token",),
    ("bearer",),
    ("authorization",),
    ("credential",),
    ("credentials",),
    ("clientsecret",),
    ("accesstoken",),
    ("refreshtoken",),
    ("authtoken",),
    ("secretkey",),
    ("privatekey",),
    ("accesskey",),
    ("apitoken",),
)

# Human wording of a phrase in messages ("client secret assigned from a string literal").
ROLE_WORDING: dict[tuple[str, ...], str] = {
    ("client", "secret"): "client secret",
    ("clientsecret",): "client secret",
    ("client", "credential"): "client credential",
    ("client", "credentials"): "client credential",
    ("secret", "access", "key"): "secret access key",
    ("access", "token"): "access token",
    ("accesstoken",): "access token",
    ("refresh", "token"): "refresh token",
    ("refreshtoken",): "refresh token",
    ("bearer", "token"): "bearer token",
    ("bearer",): "bearer token",
    ("auth", "token"): "auth token",
    ("authtoken",): "auth token",
    ("id", "token"): "ID token",
    ("api", "token"): "API token",
    ("apitoken",): "API token",
    ("api", "key"): "API key",
    ("apikey",): "API key",
    ("api", "secret"): "API secret",
    ("private", "key"): "private key",
    ("privatekey",): "private key",
    ("secretkey",): "secret key",
    ("accesskey",): "access key",
    ("password",): "password",
    ("passwd",): "password",
    ("pwd",): "password",
    ("passphrase",): "passphrase",
    ("authorization",): "authorization header",
    ("credentials",): "credential",
}

# Bare words that name *some* secret without saying which: confidence M, value must look random.
GENERIC_PHRASES: frozenset[tuple[str, ...]] = frozenset({("secret",), ("token",), ("credential",), ("credentials",)})

# A name ending in one of these describes something *about* a credential, not the credential:
# token_url, secret_name, password_min_length, client_secret_file, api_key_header ...
NON_VALUE_SUFFIXES: frozenset[str] = frozenset(
    {
        "url", "uri", "urls", "endpoint", "endpoints", "host", "hostname", "path", "paths", "file", "filename",
        "files", "dir", "directory", "folder", "type", "types", "name", "names", "id", "ids", "arn", "env", "var",
        "vars", "variable", "header", "headers", "hint", "prefix", "suffix", "hash", "hashed", "digest", "length",
        "len", "size", "ttl", "expiry", "expires", "expiration", "expire", "at", "in", "lifetime", "timeout", "field",
        "fields", "label", "labels", "format", "pattern", "regex", "re", "policy", "rotation", "count", "counts",
        "version", "versions", "location", "ref", "reference", "source", "store", "manager", "provider", "param",
        "params", "parameter", "mode", "method", "methods", "class", "cls", "scheme", "schema", "template", "min",
        "max", "minimum", "maximum", "required", "enabled", "disabled", "flag", "set", "exists", "valid",
        "validator", "validation", "error", "errors", "message", "msg", "help", "description", "placeholder",
        "widget", "input", "form", "column", "attr", "attribute", "index", "idx", "encrypted", "algorithm", "alg",
        "kind", "status", "state", "callback", "handler", "cache", "lock", "getter", "loader", "fn", "func",
        "function", "service", "client", "backend", "dialog", "storage", "vault", "keyring", "strength", "reset",
        "changed", "updated", "created", "rotated", "age", "days", "seconds", "prompt", "text", "title", "key_name",
        "keys", "list", "dict", "map", "mapping", "option", "options", "setting", "settings", "config", "spec",
        "secret_ref", "command", "cmd", "script", "module", "policy_arn", "property", "properties", "selector",
        "lookup", "kwarg", "kwargs", "arg", "args", "usage", "doc", "docs", "bytes_len", "bits", "rules",
        "requirements", "complexity", "retries", "attempts", "auth_method", "file_path", "expression", "selection", "examples", "regexp", "query", "queries", "request", "response", "limit", "id_attr", "enum", "uri_template", "provided", "present", "missing",
        "marker", "markers", "begin", "end", "delimiter", "separator",
    }
)

# Words that may follow a credential phrase without changing what the name holds:
# client_secret_value, API_KEY_PROD, access_token_b64. Any other two-word tail
# (api_key_selection_expression) describes something else.
VALUE_TAIL_WORDS: frozenset[str] = frozenset(
    {
        "value", "val", "str", "string", "raw", "plain", "plaintext", "b64", "base64", "encoded", "bytes", "prod",
        "production", "dev", "development", "staging", "stage", "test", "qa", "uat", "live", "sandbox", "local",
        "default", "old", "new", "current", "primary", "secondary", "v1", "v2", "v3", "1", "2", "3", "override",
    }
)

# Words before a bare "token" that make it a bookkeeping token, not a credential: AWS ClientToken and
# update tokens are idempotency keys, next/page tokens paginate, parser tokens are lexemes.
NON_CREDENTIAL_TOKEN_WORDS: frozenset[str] = frozenset(
    {
        "update", "client", "request", "next", "page", "continuation", "pagination", "sync", "change", "cancel",
        "idempotency", "form", "lexer", "parse", "parser", "end", "start", "first", "last", "current", "prev",
        "previous", "special", "stop", "split", "word", "sentence", "input", "output", "invite", "confirmation",
        "verification", "reset", "unsubscribe", "resume", "marker", "cursor", "offset", "seek", "lock", "fencing",
        "notification", "task", "wait", "continue",
    }
)

# Words that, anywhere in a name, mean "this is not a live credential value".
NON_VALUE_WORDS: frozenset[str] = frozenset(
    {
        "grant", "csrf", "xsrf", "tokenizer", "tokenize", "tokenized", "tokens", "pagination", "page", "next",
        "continuation", "cancellation", "sep", "eos", "bos", "pad", "unk", "cls", "mask", "public", "cert",
        "certificate", "fingerprint", "thumbprint", "kid", "issuer", "audience", "sample", "example", "dummy",
        "fake", "mock", "hashed", "salted", "masked", "redacted", "obfuscated", "encrypted", "forgot", "forgotten",
        "verification", "lexer", "parser", "sync", "idempotency", "nonce", "state", "captcha", "recaptcha",
    }
)

# --------------------------------------------------------------------------------------------------
# Placeholders (DOMAIN.md Appendix B)
# --------------------------------------------------------------------------------------------------

PLACEHOLDER_EXACT: frozenset[str] = frozenset(
    {
        "", "none", "null", "nil", "undefined", "todo", "tbd", "fixme", "changeme", "change_me", "change-me",
        "changeit", "replace_me", "replaceme", "replace-me", "placeholder", "dummy", "fake", "example", "sample",
        "test", "testing", "secret", "password", "passw0rd", "p@ssw0rd", "p@ssword", "foo", "bar", "baz", "foobar",
        "redacted", "hidden", "abc123", "qwerty", "letmein", "admin", "root", "default", "value", "string", "str",
        "xyz", "mysecret", "mypassword", "secret123", "password123", "supersecret", "token", "bearer", "basic",
        "client_secret", "api_key", "my_secret", "your_secret", "notasecret", "not-a-secret", "not_a_secret",
        "false", "true", "n/a", "na", "unknown", "empty", "missing", "required", "optional", "set-me", "set_me",
        "fill-me", "fillme", "secretpassword", "mysecretpassword", "pass", "pass123", "pa$$word", "s3cr3t",
        "sekret", "guest", "user", "username", "postgres", "mysql", "redis", "demo", "local", "dev", "development",
        "insecure", "unsafe", "invalid", "wrong", "bad", "none_set", "notset", "not-set", "not_set", "unset",
    }
)

# Segments (words of a value) that mark a value as made up for docs or tests: "test-token-123",
# "fake_client_secret", "my-dummy-key". Real keys with a test *mode* prefix are exempt (below).
PLACEHOLDER_SEGMENTS: frozenset[str] = frozenset(
    {
        "test", "testing", "fake", "mock", "mocked", "dummy", "sample", "example", "placeholder", "changeme",
        "todo", "fixme", "foo", "bar", "baz", "foobar", "xxx", "xxxx", "xxxxx", "notreal", "bogus", "stub",
        "redacted", "your", "yours", "insert", "replace", "invalid", "expired", "wrong", "bad",
    }
)

# Prefixes of real credentials issued for a provider's test mode: still secrets, never placeholders.
TEST_MODE_KEY_PREFIXES: tuple[str, ...] = ("ak_test_", "sk_test_", "rk_test_", "whsec_test", "pk_test_")

# Values published in documentation that look real (compared lowercased).
DOC_VALUES: frozenset[str] = frozenset(
    {
        "akiaiosfodnn7example",
        "wjalrxutnfemi/k7mdeng/bpxrficyexamplekey",
        "je7mtgbclwbf/2tk6ih6u/4rs6fgzmcw4f/2jnc6",
        # jwt.io's HS256 sample token
        "eyjhbgcioijiuzi1niisinr5cci6ikpxvcj9.eyjzdwiioiixmjm0nty3odkwiiwibmftzsi6ikpvag4grg9liiwiawf0ijoxnte2mjm5mdiyfq.sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
        # the same without the signature, and the RFC 7519 example token's header.payload
        "eyjhbgcioijiuzi1niisinr5cci6ikpxvcj9.eyjzdwiioiixmjm0nty3odkwiiwibmftzsi6ikpvag4grg9liiwiawf0ijoxnte2mjm5mdiyfq",
        "your-256-bit-secret",
        "django-insecure-change-me",
    }
)
# jwt.io's default secret and payload fragments: a JWT containing one of these is the sample.
JWT_SAMPLE_MARKERS: tuple[str, ...] = (
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
)

# Values that point at where a secret lives rather than holding it (prefixes, lowercased).
REFERENCE_PREFIXES: tuple[str, ...] = (
    "arn:aws:secretsmanager:", "arn:aws:ssm:", "arn:aws:kms:", "vault:", "ref+", "op://", "sm://", "gcp:",
    "gcpsm://", "azurekeyvault:", "akv://", "keyvault:", "!ref", "!sub", "!getatt", "!importvalue", "!vault",
    "{{resolve:", "enc[", "secretref:", "projects/", "ssm:", "ssm://", "awssm://", "secret://", "secrets://",
    "@microsoft.keyvault(", "$ansible_vault", "env:", "file:", "k8s://", "kms://", "sops://", "bws://",
)

# --------------------------------------------------------------------------------------------------
# Python APIs (OA101)
# --------------------------------------------------------------------------------------------------

# Qualified call name -> (positional index, role) of an argument that carries a secret. The key is
# matched against the end of the resolved name, so ``OAuth2Session`` imported from either authlib
# package matches, and so does ``requests.auth.HTTPBasicAuth`` imported as ``HTTPBasicAuth``.
SECRET_POSITIONAL_ARGS: dict[str, tuple[tuple[int, str], ...]] = {
    "authlib.integrations.requests_client.OAuth2Session": ((1, "client secret"),),
    "authlib.integrations.httpx_client.OAuth2Client": ((1, "client secret"),),
    "authlib.integrations.httpx_client.AsyncOAuth2Client": ((1, "client secret"),),
    "authlib.integrations.requests_client.OAuth2Auth": (),
    "httpx_auth.OAuth2ClientCredentials": ((2, "client secret"),),
    "requests_auth.OAuth2ClientCredentials": ((2, "client secret"),),
    "httpx_auth.OktaClientCredentials": ((2, "client secret"),),
    "requests_auth.OktaClientCredentials": ((2, "client secret"),),
    "azure.identity.ClientSecretCredential": ((2, "client secret"),),
    "azure.identity.aio.ClientSecretCredential": ((2, "client secret"),),
    "msal.ConfidentialClientApplication": ((1, "client credential"),),
    "requests.auth.HTTPBasicAuth": ((1, "password"),),
    "requests.auth.HTTPDigestAuth": ((1, "password"),),
    "requests.auth.HTTPProxyAuth": ((1, "password"),),
    "requests.HTTPBasicAuth": ((1, "password"),),
    "httpx.BasicAuth": ((1, "password"),),
    "httpx.DigestAuth": ((1, "password"),),
    "aiohttp.BasicAuth": ((1, "password"),),
    "requests_oauth2client.ClientSecretBasic": ((1, "client secret"),),
    "requests_oauth2client.ClientSecretPost": ((1, "client secret"),),
    "requests_oauth2client.ClientSecretJwt": ((1, "client secret"),),
    "ClientCredentialsAuthCredentials": ((1, "client secret"),),
    "pydantic.SecretStr": ((0, "secret"),),
    "pydantic.SecretBytes": ((0, "secret"),),
    "pydantic.types.SecretStr": ((0, "secret"),),
    "jwt.encode": ((1, "JWT signing key"),),
    "jose.jwt.encode": ((1, "JWT signing key"),),
    "smtplib.SMTP.login": ((1, "password"),),
    "smtplib.SMTP_SSL.login": ((1, "password"),),
    "ftplib.FTP.login": ((1, "password"),),
    "ftplib.FTP_TLS.login": ((1, "password"),),
    "imaplib.IMAP4.login": ((1, "password"),),
    "imaplib.IMAP4_SSL.login": ((1, "password"),),
    "poplib.POP3.pass_": ((0, "password"),),
}

# Short names that identify a constructor even when the import could not be resolved (a star import,
# a re-export): ``from mylib.auth import OAuth2ClientCredentials``.
SECRET_POSITIONAL_SHORT_NAMES: frozenset[str] = frozenset(
    {
        "OAuth2ClientCredentials", "OktaClientCredentials", "ClientSecretCredential", "ConfidentialClientApplication",
        "HTTPBasicAuth", "HTTPDigestAuth", "BasicAuth", "ClientSecretBasic", "ClientSecretPost",
        "ClientCredentialsAuthCredentials", "SecretStr", "SecretBytes",
    }
)

# Keyword arguments whose *value* is a credential although the keyword is not a credential name.
SECRET_KEYWORDS: dict[str, str] = {
    "client_credential": "client credential",
    "o_auth_client_secret": "client secret",
    "aws_secret_access_key": "secret access key",
    "aws_session_token": "session token",
    "passwd": "password",
    "pwd": "password",
    "private_token": "private token",
    "oauth_token": "OAuth token",
    "http_auth_password": "password",
}

# Environment lookups with a default: (qualified name, index of the variable name, index of the default).
ENV_LOOKUPS: dict[str, tuple[int, int]] = {
    "os.getenv": (0, 1),
    "os.environ.get": (0, 1),
    "os.environ.setdefault": (0, 1),
    "os.putenv": (0, 1),
    "environ.get": (0, 1),
    "environ.setdefault": (0, 1),
    "decouple.config": (0, -1),  # python-decouple: config("X", default="...")
    "environs.Env.str": (0, -1),
}
# Method names that set or read environment variables on test helpers (monkeypatch.setenv).
ENV_SETTER_METHODS: frozenset[str] = frozenset({"setenv", "putenv", "setdefault"})

# Calls that wrap a literal without changing what it is: the literal inside is the secret.
LITERAL_WRAPPERS: frozenset[str] = frozenset(
    {"SecretStr", "SecretBytes", "str", "bytes", "Secret", "SecretValue", "Field", "field", "ib", "attrib"}
)
LITERAL_METHODS: frozenset[str] = frozenset({"encode", "strip", "decode", "rstrip", "lstrip"})

# --------------------------------------------------------------------------------------------------
# Token formats (OA103) and look-alikes
# --------------------------------------------------------------------------------------------------

# Aelix resource ids are opaque identifiers, not secrets (DOMAIN.md section 0 item 7).
AELIX_ID_PREFIXES: tuple[str, ...] = ("acc_", "pay_", "txn_", "req_", "trc_")

# detect-secrets 1.5.0 plugins we run (DOMAIN.md OA103). Left out on purpose:
#  - IPPublicDetector: public IPs are not credentials;
#  - KeywordDetector: OA101/OA102 judge names with placeholders and references filtered;
#  - JwtTokenDetector and PrivateKeyDetector: our own detectors are stricter (a JWT header must carry
#    "alg"; a private key needs a key body, not just the BEGIN marker that PEM-parsing code contains).
DETECT_SECRETS_PLUGINS: tuple[dict[str, object], ...] = (
    {"name": "AWSKeyDetector"},
    {"name": "ArtifactoryDetector"},
    {"name": "AzureStorageKeyDetector"},
    {"name": "BasicAuthDetector"},
    {"name": "CloudantDetector"},
    {"name": "DiscordBotTokenDetector"},
    {"name": "GitHubTokenDetector"},
    {"name": "GitLabTokenDetector"},
    {"name": "IbmCloudIamDetector"},
    {"name": "IbmCosHmacDetector"},
    {"name": "MailchimpDetector"},
    {"name": "NpmDetector"},
    {"name": "OpenAIDetector"},
    {"name": "PypiTokenDetector"},
    {"name": "SendGridDetector"},
    {"name": "SlackDetector"},
    {"name": "SoftlayerDetector"},
    {"name": "SquareOAuthDetector"},
    {"name": "StripeDetector"},
    {"name": "TelegramBotTokenDetector"},
    {"name": "TwilioKeyDetector"},
    {"name": "Base64HighEntropyString", "limit": 4.5},
    {"name": "HexHighEntropyString", "limit": 3.0},
)
ENTROPY_TYPES: frozenset[str] = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})

# detect-secrets' own heuristic filters that make sense for us (run by the adapter by name).
# Left out: is_line_allowlisted (the engine turns "pragma: allowlist secret" into a visible
# suppression instead of a silent drop) and is_invalid_file/is_non_text_file (the engine classifies).
DETECT_SECRETS_FILTERS: tuple[str, ...] = (
    "detect_secrets.filters.heuristic.is_sequential_string",
    "detect_secrets.filters.heuristic.is_potential_uuid",
    "detect_secrets.filters.heuristic.is_likely_id_string",
    "detect_secrets.filters.heuristic.is_templated_secret",
    "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
    "detect_secrets.filters.heuristic.is_indirect_reference",
    "detect_secrets.filters.heuristic.is_lock_file",
    "detect_secrets.filters.heuristic.is_not_alphanumeric_string",
    "detect_secrets.filters.heuristic.is_swagger_file",
)

# Friendlier names for detect-secrets' secret types in messages.
FORMAT_LABELS: dict[str, str] = {
    "AWS Access Key": "AWS access key",
    "Artifactory Credentials": "Artifactory credential",
    "Azure Storage Account access key": "Azure Storage account key",
    "Basic Auth Credentials": "password in a URL",
    "Cloudant Credentials": "Cloudant credential",
    "Discord Bot Token": "Discord bot token",
    "GitHub Token": "GitHub token",
    "GitLab Token": "GitLab token",
    "IBM Cloud IAM Key": "IBM Cloud IAM key",
    "IBM COS HMAC Credentials": "IBM COS HMAC credential",
    "Mailchimp Access Key": "Mailchimp API key",
    "NPM tokens": "npm token",
    "OpenAI Token": "OpenAI API key",
    "PyPI Token": "PyPI token",
    "SendGrid API Key": "SendGrid API key",
    "Slack Token": "Slack token",
    "SoftLayer Credentials": "SoftLayer credential",
    "Square OAuth Secret": "Square OAuth secret",
    "Stripe Access Key": "Stripe secret key",
    "Telegram Bot Token": "Telegram bot token",
    "Twilio API Key": "Twilio API key",
    "Base64 High Entropy String": "high-entropy string",
    "Hex High Entropy String": "high-entropy hex string",
}

# Words on a line that say a long random string is a digest or an id, not a credential.
HASH_CONTEXT_WORDS: tuple[str, ...] = (
    "sha1", "sha-1", "sha224", "sha256", "sha-256", "sha384", "sha512", "sha-512", "sha3", "md5", "blake2", "hash",
    "digest", "checksum", "integrity", "commit", "revision", "rev:", "rev =", "\"rev\"", "fingerprint", "uuid",
    "guid", "etag", "nonce", "salt", "crc", "sri", "gitsha", "git_sha", "shasum", "sum:", "resolved", "tarball",
    "thumbprint", "object_id", "objectid", "tenant", "subscription_id", "checkpoint", "snapshot", "@sha256:",
    "image:", "hexdigest", "test_vector", "expected", "ciphertext", "encrypted", "signature_b64", "kid",
)
# Words on a line that make a random string more likely to be a credential (raise OA103 confidence).
CREDENTIAL_CONTEXT_WORDS: tuple[str, ...] = (
    "secret", "password", "passwd", "pwd", "token", "apikey", "api_key", "api-key", "access_key", "accesskey",
    "private_key", "privatekey", "credential", "auth", "bearer", "client_secret", "clientsecret", "signing",
)

# Base64 payloads that are files, not credentials (PNG, JPEG, GIF, SVG, zip/docx, PDF, WOFF, gzip).
BINARY_BASE64_PREFIXES: tuple[str, ...] = (
    "iVBORw0KGgo", "/9j/", "R0lGOD", "PHN2Zy", "PD94bWwg", "UEsDB", "JVBERi0", "d09GR", "d09GMg", "H4sI", "AAAB",
    "Qk0", "UklGR", "AAAAIGZ0eX", "AAAAHGZ0eX", "T2dnUw",
)

# Files made of digests and resolved URLs (lock files, checksum lists, SRI manifests).
LOCK_FILE_NAMES: frozenset[str] = frozenset(
    {
        "poetry.lock", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "pipfile.lock",
        "composer.lock", "gemfile.lock", "cargo.lock", "go.sum", "packages.lock.json", "podfile.lock",
        "cartfile.resolved", "package.resolved", "brewfile.lock.json", "uv.lock", "pdm.lock", "bun.lock",
        "flake.lock", "mix.lock", "pubspec.lock", "gradle.lockfile", "conda-lock.yml", "deno.lock",
        ".terraform.lock.hcl", "requirements.lock", "shrinkwrap.yaml", "sha256sums", "sha256sums.txt",
        "checksums.txt", "md5sums", ".secrets.baseline",
    }
)
LOCK_FILE_SUFFIXES: tuple[str, ...] = (".lock", ".sum", ".sha256", ".sha512", ".md5", ".sig", ".asc", ".pem.pub", ".pub")

# Config templates whose values are examples (real-looking values there are still reported, at M).
TEMPLATE_FILE_MARKERS: tuple[str, ...] = (".example", ".sample", ".template", ".dist", ".tmpl", ".tpl", ".defaults")
