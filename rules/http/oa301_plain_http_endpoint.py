"""OA301 plain-http-endpoint: an ``http://`` URL that reaches a token request or an API request, in
Python code (literals, constants, f-strings, ``urljoin``, client keywords) and in config files (values
whose key marks them as an endpoint)."""

from __future__ import annotations

import libcst as cst

from checker.model import Confidence, Document, Entry, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.http import http_call, is_token_url, safe_is_token_request as is_token_request
from rules._analysis.imports import ModuleInfo, display_name, dotted_name, module_info, single_value
from rules._analysis.literals import evaluate, string_template, string_value
from rules._analysis.names import words
from rules._analysis.nodes import descendants
from rules._analysis.urls import UrlVerdict, classify_url, endpoint_name, is_insecure_scheme, is_proxy_name
from rules._catalog import tls as cat

_TOKEN_MESSAGE = "plain-HTTP token endpoint ({host}){where}: the client secret and the issued token cross the network unencrypted"
_API_MESSAGE = "plain-HTTP API endpoint ({host}){where}: bearer tokens and API data cross the network unencrypted"


class PlainHttpEndpoint(PythonRule):
    """Plain `http://` URL used for a token request or an API request.

    ## What it does
    Reports `http://` (and `ws://`) URLs that reach a token request or an API call: literal URL
    arguments of `requests`/`httpx`/`aiohttp`/`urllib`/`urllib3` calls, module constants, class
    attributes, f-strings and concatenations with constant parts, `urljoin`, client keywords such as
    `base_url=`, `token_endpoint=`, `endpoint_url=`, `authority=`, names that mark an endpoint
    (`TOKEN_URL`, `API_BASE`, `issuer`), and config values (YAML, JSON, TOML, INI, dotenv,
    Dockerfile `ENV`) whose key names an endpoint (`AELIX_TOKEN_URL`, `api_base`, `issuer`). A
    plain-HTTP **token endpoint** is reported as critical. Also reported (medium confidence):
    `OAUTHLIB_INSECURE_TRANSPORT` set to any non-empty value, requests-oauth2client `testing=True`
    and boto3 `use_ssl=False`.

    Silent on true loopback (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0` — not
    `localhost.example.com` or `127.0.0.1.nip.io`), hosts in `allowed-http-hosts`, documentation hosts
    (`example.com`, `*.test`, `*.invalid`), cloud metadata endpoints (`169.254.169.254`,
    `metadata.google.internal`), XML namespaces, `$schema` and licence URLs, docstrings and comments,
    package metadata (`setup(url=...)`), proxy settings and scheme-handling code
    (`url.replace("http://", "https://")`). Private (RFC 1918) and cluster-internal hosts are reported
    with medium confidence; mock hosts in tests with low confidence.

    ## Why is this bad?
    Over plain HTTP anyone on the path — a shared Wi-Fi, a compromised router, a proxy, another pod on
    the node — reads and changes the traffic. A token request over HTTP hands them the client secret;
    an API call hands them a bearer token that works until it expires. Guide tip: **use HTTPS for all
    requests**. CWE-319: Cleartext Transmission of Sensitive Information.

    ## Example
    ```python
    TOKEN_URL = "http://auth.aelix.digitalapi.ai/oauth2/token"
    API_BASE = "http://api.aelix.digitalapi.ai"
    ```

    ## Use instead
    ```python
    TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
    API_BASE = "https://api.aelix.digitalapi.ai"
    ```
    For local development use `http://localhost:<port>` or add the host to `allowed-http-hosts`.

    ## References
    - Aelix guide, "Security best practices": use HTTPS for all requests
    - CWE-319: https://cwe.mitre.org/data/definitions/319.html
    - RFC 6749 §3.2: the token endpoint MUST use TLS
    """

    id = "OA301"
    name = "plain-http-endpoint"
    family = "http"
    severity = Severity.HIGH
    summary = "A token or API endpoint is reached over plain HTTP"
    cwe = ("CWE-319",)
    references = ("https://cwe.mitre.org/data/definitions/319.html", "https://www.rfc-editor.org/rfc/rfc6749#section-3.2")
    kinds = ("python", "dotenv", "yaml", "json", "toml", "ini", "dockerfile")
    # A plain URL that starts a string literal or a config value; a URL inside prose (docstrings,
    # comments, licence headers) never starts right after a quote, colon or equals sign. A value may
    # continue on the next, indented line (YAML), but not after a blank line: that is prose after
    # "see:" or "specification:".
    trigger_regex = (
        rb"(?:[\"'`]|[:=][ \t]*(?:\r?\n[ \t]+)?)(?:http|ws)://|insecure_transport|testing\s*=\s*true|use_ssl|httpconnection"
    )

    invalid = (
        Example(
            """\
            import requests

            resp = requests.post(
                "http://auth.aelix.digitalapi.ai/oauth2/token",  # expect
                data={"grant_type": "client_credentials"},
            )
            """
        ),
        Example(
            """\
            API_BASE = "http://api.aelix.digitalapi.ai"  # expect
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
            """,
            note="a module constant named like an endpoint",
        ),
        Example(
            """\
            import httpx

            BASE = "http://10.0.12.7:8080"  # expect

            def accounts(token):
                return httpx.get(f"{BASE}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
            """,
            note="private host: medium confidence",
        ),
        Example(
            """\
            from urllib.parse import urljoin
            import requests

            ROOT = "http://payments.acme-corp.com/"  # expect

            def pay(session, body):
                return session.post(urljoin(ROOT, "v1/payments"), json=body)
            """
        ),
        Example(
            """\
            from authlib.integrations.requests_client import OAuth2Session

            client = OAuth2Session(CLIENT_ID, CLIENT_SECRET,
                                   token_endpoint="http://idp.acme-corp.com/oauth/token")  # expect
            """
        ),
        Example(
            """\
            import os

            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # expect
            """,
            note="requests-oauthlib then accepts http:// token URLs",
        ),
        Example(
            """\
            services:
              exporter:
                environment:
                  AELIX_TOKEN_URL: http://auth.aelix.digitalapi.ai/oauth2/token  # expect
                  AELIX_API_BASE: https://api.aelix.digitalapi.ai
            """,
            path="deploy/docker-compose.yml",
        ),
        Example(
            """\
            AELIX_CLIENT_ID=cl_123
            AELIX_ISSUER=http://auth.aelix.digitalapi.ai  # expect
            """,
            path=".env",
        ),
    )
    valid = (
        Example(
            """\
            import requests

            requests.get("http://localhost:8080/health")
            requests.post("http://127.0.0.1:5000/oauth2/token", data={"grant_type": "client_credentials"})
            requests.get("http://[::1]:9000/v1/accounts")
            """,
            note="true loopback",
        ),
        Example(
            """\
            import requests

            # Azure IMDS issues managed-identity tokens over plain HTTP by design
            IMDS = "http://169.254.169.254/metadata/identity/oauth2/token"
            resp = requests.get(IMDS, params={"resource": RESOURCE}, headers={"Metadata": "true"})
            """,
            note="cloud metadata endpoint",
        ),
        Example(
            """\
            import requests

            proxies = {"http": "http://proxy.corp.example:3128", "https": "http://proxy.acme-corp.com:3128"}
            HTTPS_PROXY = "http://proxy.acme-corp.com:3128"
            requests.get("https://api.aelix.digitalapi.ai/v1/accounts", proxies=proxies)
            """,
            note="proxy URLs use http:// and tunnel HTTPS through CONNECT",
        ),
        Example(
            """\
            NS = {"soap": "http://schemas.xmlsoap.org/soap/envelope/", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
            LICENSE_URL = "http://www.apache.org/licenses/LICENSE-2.0"

            def secure(url: str) -> str:
                \"\"\"Upgrade http://api.aelix.digitalapi.ai style URLs to https.\"\"\"
                if url.startswith("http://"):
                    return url.replace("http://", "https://", 1)
                return url
            """,
            note="namespaces, licence links, docstrings and scheme handling",
        ),
        Example(
            """\
            from setuptools import setup

            setup(name="aelix-client", url="http://github.com/acme/aelix-client", version="1.0")
            """,
            note="package metadata",
        ),
        Example(
            """\
            import requests

            requests.get("http://localhost.example.com/api")
            requests.get("http://api.example.org/v1/accounts")
            BASE_URL = "http://service.test/v1"
            """,
            note="reserved documentation/test hosts (RFC 2606)",
        ),
        Example(
            """\
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "homepage": "http://acme-corp.com",
              "api_base": "https://api.aelix.digitalapi.ai"
            }
            """,
            path="config.json",
        ),
        Example(
            """\
            import requests

            requests.get("http://ci-runner.internal.test/v1/accounts")
            """,
            config={"allowed_http_hosts": ("*.internal.test",)},
            note="allowed-http-hosts glob",
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._functions: list[cst.FunctionDef] = []
        self._classes: list[str] = []
        # origin literal -> (node, token?, where, verdict); reported in leave_Module (strongest wins)
        self._pending: dict[int, tuple[cst.CSTNode, bool, str, UrlVerdict]] = {}
        self._order: list[int] = []

    # -- Python ------------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def _scope(self) -> cst.FunctionDef | cst.Module:
        return self._functions[-1] if self._functions else self.ctx.module

    def _cls(self) -> str | None:
        return self._classes[-1] if self._classes else None

    def visit_Call(self, node: cst.Call) -> None:
        info = module_info(self.ctx)
        qual = info.qualify(node.func) or dotted_name(node.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if qual in cat.METADATA_CALLS or last in cat.METADATA_CALLS:
            return
        scope = self._scope()
        hc = http_call(node, info, scope)
        if hc is not None and hc.url is not None:
            token = is_token_request(hc, info, self.ctx.settings, scope)
            self._check(hc.url, token, f"used by {display_name(node.func)}")
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if positional and (last in cat.TOKEN_URL_FIRST_ARG_METHODS or (last in cat.TOKEN_URL_FIRST_ARG_CLASSES and _oauth_library(qual))):
            self._check(positional[0], True, f"used by {display_name(node.func)}")
        if positional and hc is None and (last == "ws_connect" or qual in ("websocket.create_connection", "websocket.WebSocketApp", "websockets.connect", "websockets.client.connect")):
            self._check(positional[0], False, f"used by {display_name(node.func)}")
        if qual in cat.PLAIN_HTTP_CONNECTIONS and positional:
            self._plain_connection(positional[0], qual)
        for arg in node.args:
            if arg.keyword is not None:
                self._keyword(node, arg, qual, hc is not None)
        self._insecure_transport_call(node, qual, positional)

    def _keyword(self, call: cst.Call, arg: cst.Arg, qual: str, is_http_call: bool) -> None:
        assert arg.keyword is not None
        keyword = arg.keyword.value
        if is_proxy_name(keyword):
            return
        kind = cat.ENDPOINT_KEYWORDS.get(keyword) or endpoint_name(keyword)
        if kind is not None:
            if keyword in cat.GENERIC_URL_KEYWORDS and not (is_http_call or _clientish(qual)):
                return
            if keyword in ("url", "uri") and is_http_call:
                return  # already checked as the request URL
            self._check(arg.value, kind == "token", f"passed as {keyword}=")
            return
        info = module_info(self.ctx)
        value = evaluate(arg.value, info)
        if keyword == "testing" and value is True and (qual.startswith("requests_oauth2client") or qual.rsplit(".", 1)[-1] in ("OAuth2Client", "ApiClient")) and _imports(info, "requests_oauth2client"):
            self.report(arg, "requests-oauth2client testing=True disables the https check on the token endpoint", confidence=Confidence.MEDIUM)
        elif keyword == "use_ssl" and value is False and qual.split(".")[0] in ("boto3", "botocore", "aioboto3", "aiobotocore", "minio"):
            self.report(arg, "use_ssl=False sends requests and signed credentials over plain HTTP", confidence=Confidence.MEDIUM)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node.target, node.value)

    def _assignment(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if type(target) is cst.Subscript:
            info = module_info(self.ctx)
            if (info.qualify(target.value) or "") == "os.environ" and len(target.slice) == 1 and type(target.slice[0].slice) is cst.Index:
                self._insecure_transport(target.slice[0].slice.value, value, target)
            return
        name = target.value if type(target) is cst.Name else (target.attr.value if type(target) is cst.Attribute else None)
        if name is None or is_proxy_name(name) or _generic_name(name):
            return  # `url = "http://..."` alone says nothing; it is reported if it reaches a request
        kind = endpoint_name(name)
        if kind is not None and _literal_url(value, module_info(self.ctx)):
            self._check(value, kind == "token", f"assigned to {name}")

    def visit_DictElement(self, node: cst.DictElement) -> None:
        info = module_info(self.ctx)
        key = string_value(node.key, info)
        if key is None:
            return
        if key.upper() in cat.INSECURE_TRANSPORT_VARS:
            self._insecure_transport(node.key, node.value, node)
            return
        if is_proxy_name(key) or _generic_name(key):
            return
        kind = endpoint_name(key)
        if kind is not None and _literal_url(node.value, info):
            self._check(node.value, kind == "token", f"under key {key!r}")

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is None:
            return
        name = node.name.value
        kind = None if is_proxy_name(name) or _generic_name(name) else endpoint_name(name)
        if kind is not None and _literal_url(node.default, module_info(self.ctx)):
            self._check(node.default, kind == "token", f"default of parameter {name}")

    def leave_Module(self, original_node: cst.Module) -> None:
        low = self.ctx.is_test and _imports_any(module_info(self.ctx), cat.MOCK_LIBRARIES)
        for key in self._order:
            node, token, where, verdict = self._pending[key]
            template = _TOKEN_MESSAGE if token else _API_MESSAGE
            confidence = Confidence.LOW if low else verdict.confidence
            self.report(
                node,
                template.format(host=verdict.host, where=f", {where}" if where else ""),
                severity=Severity.CRITICAL if token else None,
                confidence=confidence,
            )

    # -- checks -----------------------------------------------------------------------------------

    def _check(self, expr: cst.BaseExpression, token: bool, where: str) -> None:
        info = module_info(self.ctx)
        scope = self._scope()
        text = _url_text(expr, info, scope, self._cls())
        if text is None or not is_insecure_scheme(text):
            return
        verdict = classify_url(text, self.ctx.settings)
        if not verdict.insecure:
            return
        token = token or is_token_url(text, self.ctx.settings)
        origin = _origin(expr, info, scope, cls=self._cls()) or expr
        key = id(origin)
        current = self._pending.get(key)
        if current is None:
            self._order.append(key)
            self._pending[key] = (origin, token, where, verdict)
        elif token and not current[1]:
            self._pending[key] = (origin, True, where, verdict)

    def _plain_connection(self, host_expr: cst.BaseExpression, qual: str) -> None:
        host = string_value(host_expr, module_info(self.ctx))
        if not host or "://" in host:
            return
        verdict = classify_url("http://" + host.strip(), self.ctx.settings)
        if verdict.insecure:
            key = id(host_expr)
            if key not in self._pending:
                self._order.append(key)
                self._pending[key] = (host_expr, False, f"opened with {qual.rsplit('.', 1)[-1]}", verdict)

    def _insecure_transport_call(self, node: cst.Call, qual: str, positional: list[cst.BaseExpression]) -> None:
        last = qual.rsplit(".", 1)[-1]
        if qual in ("os.environ.setdefault", "os.putenv", "os.environ.__setitem__") or last == "setenv":
            if len(positional) >= 2:
                self._insecure_transport(positional[0], positional[1], node)

    def _insecure_transport(self, key_expr: cst.BaseExpression, value_expr: cst.BaseExpression, node: cst.CSTNode) -> None:
        info = module_info(self.ctx)
        key = string_value(key_expr, info)
        if key is None or key.upper() not in cat.INSECURE_TRANSPORT_VARS:
            return
        value = evaluate(value_expr, info)
        if value in (None, "", False) or (value is not True and not isinstance(value, (str, int))):
            return
        self.report(node, f"{key} is set: the OAuth library then accepts plain-HTTP token endpoints", confidence=Confidence.MEDIUM)

    # -- config files ------------------------------------------------------------------------------

    def check(self, doc: Document, ctx: FileContext) -> None:
        """Config values (YAML, JSON, TOML, INI, dotenv, Dockerfile ENV) whose key names an endpoint."""
        for entry in doc.entries:
            if not isinstance(entry.value, str):
                continue
            self._config_entry(entry, ctx)

    def _config_entry(self, entry: Entry, ctx: FileContext) -> None:
        keys = [k for k in entry.key_path if not k.isdigit()]
        if not keys:
            return
        key = keys[-1]
        value = entry.value.strip()
        if key.upper() in cat.INSECURE_TRANSPORT_VARS:
            if value and value.lower() not in ("",):
                ctx.report_at(type(self), entry.line, entry.column, f"{key} is set: the OAuth library then accepts plain-HTTP token endpoints",
                              end_line=entry.end_line, end_column=entry.end_column, confidence=Confidence.MEDIUM)
            return
        if not is_insecure_scheme(value) or " " in value:
            return
        if key.startswith("$") or any(is_proxy_name(k) for k in keys) or any(k.lower() in ("urls", "project_urls", "links") for k in keys):
            return
        context = keys[-2:] if _generic_key(key) and len(keys) > 1 else [key]
        kind = endpoint_name("_".join(context)) if len(context) > 1 else endpoint_name(key)
        if kind is None:
            return
        verdict = classify_url(value, ctx.settings)
        if not verdict.insecure:
            return
        token = kind == "token" or is_token_url(value, ctx.settings) or any(w in ("token", "oauth", "oauth2") for k in keys for w in words(k))
        template = _TOKEN_MESSAGE if token else _API_MESSAGE
        ctx.report_at(type(self), entry.line, entry.column, template.format(host=verdict.host, where=f", config key {'.'.join(keys)}"),
                      end_line=entry.end_line, end_column=entry.end_column,
                      severity=Severity.CRITICAL if token else None, confidence=verdict.confidence)


# --- helpers ----------------------------------------------------------------------------------------



_GENERIC_NAMES = frozenset({"url", "uri", "endpoint", "host", "hostname", "link", "href", "address", "addr", "server",
                            "base", "root", "api", "service", "domain", "origin", "site", "prefix", "full_url", "u"})


def _generic_name(name: str) -> bool:
    """``url``, ``endpoint``, ``full_url``: a Python name this generic marks nothing by itself."""
    seq = words(name)
    return "_".join(seq) in _GENERIC_NAMES or (len(seq) == 1 and seq[0] in _GENERIC_NAMES)


def _generic_key(key: str) -> bool:
    return tuple(words(key)) in (("url",), ("uri",), ("host",), ("endpoint",), ("address",), ("base",), ("server",), ("href",))


def _imports(info: ModuleInfo, root: str) -> bool:
    return any(t == root or t.startswith(root + ".") for t in info.imports.values())


def _imports_any(info: ModuleInfo, roots: frozenset[str]) -> bool:
    return any(t.split(".")[0] in roots for t in info.imports.values())


def _oauth_library(qual: str) -> bool:
    return qual.split(".")[0] in ("httpx_auth", "requests_auth", "requests_oauth2client", "authlib", "requests_oauthlib") or "." not in qual


def _clientish(qual: str) -> bool:
    """Constructors/methods where ``url=``/``host=`` name the service endpoint."""
    last = qual.rsplit(".", 1)[-1]
    return any(w in ("client", "session", "configuration", "config", "api", "connection", "connect", "transport",
                     "oauth2", "credentials", "auth") for w in words(last)) or qual.split(".")[0] in (
        "httpx", "requests", "aiohttp", "boto3", "botocore", "authlib", "requests_oauthlib", "msal", "hvac",
        "elasticsearch", "kubernetes", "openapi_client", "zeep", "suds", "influxdb_client")


def _literal_url(expr: cst.BaseExpression, info: ModuleInfo) -> bool:
    """The expression builds a URL from literal parts right here (not a bare reference)."""
    if type(expr) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation):
        value = string_template(expr, info)
        return value is not None and is_insecure_scheme(value.text)
    if type(expr) is cst.Call:
        value = _url_text(expr, info, None)
        return value is not None and is_insecure_scheme(value) and _origin(expr, info, None) is not None and _origin_inside(expr, _origin(expr, info, None))
    return False


def _origin_inside(expr: cst.CSTNode, origin: cst.CSTNode | None) -> bool:
    return origin is not None and any(node is origin for node in descendants(expr))


def _self_constant(expr: cst.BaseExpression, info: ModuleInfo, cls: str | None) -> cst.BaseExpression | None:
    """``self.BASE``/``cls.BASE``/``Client.BASE`` -> the class-level value (same-module classes)."""
    name = dotted_name(expr)
    if not name or "." not in name:
        return None
    owner, _, attr = name.rpartition(".")
    if owner in ("self", "cls") and cls is not None:
        owner = cls
    return info.class_constants.get(f"{owner}.{attr}")


_ENV_READERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "decouple.config"})


def _env_default(call: cst.Call, qual: str) -> cst.BaseExpression | None:
    """The literal default of an environment read (used whenever the variable is unset)."""
    if qual not in _ENV_READERS:
        return None
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and index == 1) or (arg.keyword is not None and arg.keyword.value == "default"):
            return arg.value
    return None


def _mentions_self_constant(expr: cst.BaseExpression, info: ModuleInfo, cls: str | None) -> bool:
    """The first part of a concatenation/f-string is ``self.BASE`` (a class constant)."""
    first: cst.BaseExpression | None = None
    if type(expr) is cst.BinaryOperation:
        first = expr.left
    elif type(expr) is cst.FormattedString and expr.parts and type(expr.parts[0]) is cst.FormattedStringExpression:
        first = expr.parts[0].expression
    return type(first) is cst.Attribute and _self_constant(first, info, cls) is not None


def _url_text(expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None,
              cls: str | None = None, depth: int = 0) -> str | None:
    """The URL text (``{hole}`` placeholders for dynamic parts), following locals, constants, class
    attributes, ``urljoin`` and ``.format``."""
    from rules._analysis.http import safe_url_text as url_text

    if expr is None or depth > 8:
        return None
    depth += 1
    if type(expr) is cst.Name and scope is not None:
        bound = single_value(expr.value, scope, info)
        if bound is not None and bound is not expr and type(bound) in (cst.Call, cst.Attribute):
            return _url_text(bound, info, scope, cls, depth)
    if type(expr) is cst.Attribute:
        constant = _self_constant(expr, info, cls)
        if constant is not None:
            return _url_text(constant, info, None, cls, depth)
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add and _mentions_self_constant(expr, info, cls):
        left = _url_text(expr.left, info, scope, cls, depth)
        if left is None:
            return None
        return left + (_url_text(expr.right, info, scope, cls, depth) or "{path}")
    if type(expr) is cst.FormattedString and _mentions_self_constant(expr, info, cls):
        parts: list[str] = []
        for part in expr.parts:
            if type(part) is cst.FormattedStringText:
                parts.append(part.value)
            elif type(part) is cst.FormattedStringExpression:
                parts.append(_url_text(part.expression, info, scope, cls, depth) or "{param}")
        return "".join(parts)
    if type(expr) is cst.Call:
        qual = info.qualify(expr.func) or ""
        default = _env_default(expr, qual)
        if default is not None:
            return _url_text(default, info, scope, cls, depth)  # os.getenv("API_URL", "http://...")
        if qual.endswith("urljoin") and len(expr.args) >= 2:
            base = _url_text(expr.args[0].value, info, scope, cls, depth)
            tail = _url_text(expr.args[1].value, info, scope, cls, depth) or "{path}"
            if base is None:
                return None
            from urllib.parse import urljoin

            try:
                return urljoin(base, tail)
            except ValueError:
                return base
        if type(expr.func) is cst.Attribute and expr.func.attr.value == "format":
            return _url_text(expr.func.value, info, scope, cls, depth)
    value = url_text(expr, info, scope)
    if value is None and type(expr) is cst.Attribute:
        value = string_template(expr, info)
    return value.text if value is not None else None


def _origin(expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None, depth: int = 0,
            cls: str | None = None) -> cst.CSTNode | None:
    """The string literal where the ``http://`` of a URL expression is written."""
    if expr is None or depth > 12:
        return None
    depth += 1
    if type(expr) is cst.Attribute:
        constant = _self_constant(expr, info, cls)
        if constant is not None:
            return _origin(constant, info, None, depth, cls)
    if type(expr) is cst.SimpleString:
        value = string_value(expr, info)
        return expr if value is not None and is_insecure_scheme(value) else None
    if type(expr) is cst.ConcatenatedString:
        return _origin(expr.left, info, scope, depth, cls) or _origin(expr.right, info, scope, depth, cls)
    if type(expr) is cst.FormattedString:
        first = expr.parts[0] if expr.parts else None
        if type(first) is cst.FormattedStringText:
            return expr if is_insecure_scheme(first.value) else None
        if type(first) is cst.FormattedStringExpression:
            return _origin(first.expression, info, scope, depth, cls)
        return None
    if type(expr) is cst.BinaryOperation:
        left = _origin(expr.left, info, scope, depth, cls)
        if left is not None or type(expr.operator) is not cst.Modulo:
            return left
        right = expr.right
        if type(right) is cst.Tuple and right.elements:
            right = right.elements[0].value
        return _origin(right, info, scope, depth, cls)
    if type(expr) is cst.Name:
        bound = single_value(expr.value, scope, info) if scope is not None else info.constants.get(expr.value)
        if bound is None and expr.value in info.constants:
            bound = info.constants[expr.value]
        return _origin(bound, info, scope if bound is not info.constants.get(expr.value) else None, depth, cls) if bound is not None and bound is not expr else None
    if type(expr) is cst.Attribute:
        name = dotted_name(expr)
        if name:
            owner, _, attr = name.rpartition(".")
            found = info.class_constants.get(f"{owner}.{attr}")
            if found is not None:
                return _origin(found, info, None, depth, cls)
        return None
    if type(expr) is cst.Call:
        qual = info.qualify(expr.func) or ""
        default = _env_default(expr, qual)
        if default is not None:
            return _origin(default, info, scope, depth, cls)
        if qual.endswith("urljoin") and expr.args:
            return _origin(expr.args[0].value, info, scope, depth, cls)
        if type(expr.func) is cst.Attribute and expr.func.attr.value == "format":
            return _origin(expr.func.value, info, scope, depth, cls)
        if qual == "builtins.str" and expr.args:
            return _origin(expr.args[0].value, info, scope, depth, cls)
    return None
