"""OA302 tls-verification-disabled: certificate or hostname verification switched off for HTTP
clients, SSL contexts, urllib3 pools, SDK clients, or through config keys and environment variables."""

from __future__ import annotations

import libcst as cst

from checker.model import Confidence, Document, Entry, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.http import http_call, url_host, safe_url_text as url_text
from rules._analysis.imports import ModuleInfo, display_name, dotted_name, last_name, module_info, single_value
from rules._analysis.literals import UNKNOWN, evaluate, string_value
from rules._analysis.names import words
from rules._analysis.nodes import descendants
from rules._analysis.urls import is_loopback
from rules._catalog import tls as cat

_CONFIDENCE = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}


class TlsVerificationDisabled(PythonRule):
    """TLS certificate verification switched off.

    ## What it does
    Reports code and configuration that stop a client from checking the server's certificate or
    hostname: `verify=False` on requests/httpx calls, sessions and clients (also through a variable or
    constant that is `False`), `session.verify = False`, aiohttp `ssl=False`/`verify_ssl=False`/
    `TCPConnector(ssl=False)`, `ssl._create_unverified_context()` (and installing it as the default
    HTTPS context), `verify_mode = ssl.CERT_NONE`, `check_hostname = False`, a bare `ssl.SSLContext()`
    used as a client context, urllib3 `cert_reqs="CERT_NONE"`/`assert_hostname=False`, SDK switches
    (msal `verify=False`, azure-core `connection_verify=False`, boto3 `verify=False`, OpenAPI/kubernetes
    `configuration.verify_ssl = False`, Elasticsearch `verify_certs=False`, hvac `Client(verify=False)`),
    and config keys such as `verify_ssl: false`, `insecure: true`, `insecure-skip-tls-verify: true`,
    `skip_tls_verify`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY`, `PYTHONHTTPSVERIFY=0`.
    `urllib3.disable_warnings(InsecureRequestWarning)` is reported as "warning suppressed" (medium
    confidence next to disabled verification, low on its own). `CURL_CA_BUNDLE=""` is reported with low
    confidence: it disables verification only with requests < 2.28 (a project-level fact is emitted so
    a dependency pin can confirm it).

    Silent on `verify=True`, `verify="/path/ca.pem"`, `verify=certifi.where()`, custom-CA contexts,
    values we cannot evaluate (`verify=settings.VERIFY_SSL`), server-side contexts
    (`Purpose.CLIENT_AUTH`), PyJWT `verify_signature`/`jwt.decode(..., verify=False)`, `ssl=False` on
    redis/asyncpg/SMTP clients (not HTTP), the word "insecure" in comments, and test requests to
    loopback servers.

    ## Why is this bad?
    Without certificate verification anyone who can intercept the connection can impersonate the
    token endpoint or the API, collect the client secret from the token request and every bearer
    token, and feed the client forged responses. HTTPS without verification is plain HTTP with extra
    steps. Guide tip: **use HTTPS for all requests**. CWE-295: Improper Certificate Validation.

    ## Example
    ```python
    resp = requests.post(TOKEN_URL, data=body, verify=False)
    ```

    ## Use instead
    ```python
    # trust the corporate proxy's CA instead of turning verification off
    resp = requests.post(TOKEN_URL, data=body, verify="/etc/ssl/certs/corp-ca.pem")
    ```

    ## References
    - Aelix guide, "Security best practices": use HTTPS for all requests
    - CWE-295: https://cwe.mitre.org/data/definitions/295.html
    - psf/requests#6074 (CURL_CA_BUNDLE), PEP 493 (PYTHONHTTPSVERIFY)
    """

    id = "OA302"
    name = "tls-verification-disabled"
    family = "tls"
    severity = Severity.HIGH
    summary = "TLS certificate or hostname verification is switched off"
    cwe = ("CWE-295",)
    references = ("https://cwe.mitre.org/data/definitions/295.html",)
    kinds = ("python", "dotenv", "yaml", "json", "toml", "ini", "dockerfile")
    # A verification switch set to anything but an obvious "on", or one of the names that only
    # appear where verification is being turned off. "ssl"/"tls" alone would match every module
    # that imports ssl.
    trigger_regex = (
        rb"(?:verif\w*|check_hostname|assert_hostname)[\"']?\s*[=:]\s*(?![\"']?(?:true|yes|on|1)\b)"
        rb"|\bssl\s*=\s*(?:false|0\b)|ssl_?context\s*\(|cert_none|_create_unverified_context|cert_reqs"
        rb"|disable_warnings|insecure|skip_?tls|reject_unauthorized|ssl_no_verify|httpsverify|ca_bundle"
        rb"|verifypeer|verifyhost|no-check-certificate|curl\b[^\n]*?\s-k\b|sslopt"
    )

    invalid = (
        Example(
            """\
            import requests

            resp = requests.post(TOKEN_URL, data=body, verify=False)  # expect
            """
        ),
        Example(
            """\
            import requests

            VERIFY_TLS = False

            session = requests.Session()
            session.verify = False  # expect
            session.get(API_URL, verify=VERIFY_TLS)  # expect
            """,
            note="attribute and a constant that is False",
        ),
        Example(
            """\
            import ssl
            import urllib.request

            ctx = ssl._create_unverified_context()  # expect
            urllib.request.urlopen(TOKEN_URL, context=ctx)
            ssl._create_default_https_context = ssl._create_unverified_context  # expect
            """
        ),
        Example(
            """\
            import ssl

            ctx = ssl.create_default_context()
            ctx.check_hostname = False  # expect
            ctx.verify_mode = ssl.CERT_NONE  # expect
            """
        ),
        Example(
            """\
            import aiohttp

            async def fetch(url):
                connector = aiohttp.TCPConnector(ssl=False)  # expect
                async with aiohttp.ClientSession(connector=connector) as session:
                    async with session.get(url, ssl=False) as resp:  # expect
                        return await resp.json()
            """
        ),
        Example(
            """\
            import urllib3
            from msal import ConfidentialClientApplication

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # expect
            http = urllib3.PoolManager(cert_reqs="CERT_NONE")  # expect
            app = ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, verify=False)  # expect
            """
        ),
        Example(
            """\
            services:
              exporter:
                environment:
                  AELIX_VERIFY_SSL: "false"  # expect
            """,
            path="deploy/docker-compose.yml",
        ),
        Example(
            """\
            clusters:
            - name: prod
              cluster:
                server: https://k8s.acme-corp.com:6443
                insecure-skip-tls-verify: true  # expect
            """,
            path="kubeconfig.yaml",
        ),
        Example(
            """\
            NODE_TLS_REJECT_UNAUTHORIZED=0  # expect
            LOG_LEVEL=info
            """,
            path=".env",
        ),
    )
    valid = (
        Example(
            """\
            import certifi
            import requests

            requests.get(API_URL, verify=True)
            requests.post(TOKEN_URL, data=body, verify="/etc/ssl/certs/corp-ca.pem")
            requests.get(API_URL, verify=certifi.where())
            requests.get(API_URL, verify=settings.VERIFY_SSL)
            """
        ),
        Example(
            """\
            import jwt

            claims = jwt.decode(token, options={"verify_signature": False})
            legacy = jwt.decode(token, verify=False)
            """,
            note="JWT signature switches are not TLS",
        ),
        Example(
            """\
            import redis
            import smtplib

            cache = redis.Redis(host="cache", ssl=False)
            mail = smtplib.SMTP("mail.acme-corp.com", 25)
            """,
            note="ssl=False on non-HTTP clients is plaintext transport, not a verify switch",
        ),
        Example(
            """\
            import ssl

            server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_ctx.load_cert_chain("server.pem", "server.key")
            server_ctx.verify_mode = ssl.CERT_NONE
            client_ctx = ssl.create_default_context(cafile="/etc/ssl/corp-ca.pem")
            """,
            note="server-side context and a custom-CA client context",
        ),
        Example(
            """\
            import requests

            # never use verify=False or an insecure context in production
            def test_local_server(local_server):
                requests.get("https://localhost:8443/health", verify=False)
            """,
            path="tests/test_health.py",
            note="a test against a loopback server",
        ),
        Example(
            """\
            verify_signature: false
            jwt:
              verify: false
            tls:
              verify: true
            REQUESTS_CA_BUNDLE: ""
            """,
            path="config.yaml",
            note="JWT switches and REQUESTS_CA_BUNDLE (no effect) are not TLS verification",
        ),
        Example(
            """\
            import ssl
            import urllib.request

            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations("/etc/ssl/corp-ca.pem")
            urllib.request.urlopen(API_URL, context=ctx)
            """,
            note="PROTOCOL_TLS_CLIENT verifies by default",
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._functions: list[cst.FunctionDef] = []
        self._switch_branches = 0  # inside `if not verify:` / `elif verify is False:` style branches
        self._disabled = False  # something in this file disables verification (pairs with the warning)
        self._warnings: list[cst.CSTNode] = []
        # SSLContext() objects without verification: name -> (creating call, used by a client?, verified?)
        self._contexts: dict[str, list] = {}
        self._context_calls: dict[str, cst.Call] = {}
        self._skip_dicts: set[int] = set()

    def visit_Dict(self, node: cst.Dict) -> None:
        """``{"verify": False, "timeout": 5}``: request options built as a dict (medium confidence)."""
        if id(node) in self._skip_dicts:
            return
        info = module_info(self.ctx)
        for element in node.elements:
            if type(element) is not cst.DictElement:
                continue
            key = string_value(element.key, info)
            if key in ("verify", "verify_ssl", "ssl_verify", "verify_certs", "tls_verify") and self._is_false(element.value):
                self._flag(element, f"request options set {key}=False: the server certificate is not checked", Confidence.MEDIUM)

    # -- Python ------------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def _scope(self) -> cst.FunctionDef | cst.Module:
        return self._functions[-1] if self._functions else self.ctx.module

    def visit_If(self, node: cst.If) -> None:
        self._switch_branches += _is_verify_switch_test(node.test)

    def leave_If(self, original_node: cst.If) -> None:
        self._switch_branches -= _is_verify_switch_test(original_node.test)

    def _flag(self, node: cst.CSTNode, message: str, confidence: Confidence = Confidence.HIGH) -> None:
        self._disabled = True
        if self._switch_branches > 0:
            # code that implements a user-facing switch (`elif verify is False: ctx.verify_mode = CERT_NONE`)
            # disables verification only when someone asks for it: low confidence
            confidence = Confidence.LOW
            message += " (only when the surrounding verify switch is off)"
        self.report(node, message, confidence=confidence)

    def visit_Call(self, node: cst.Call) -> None:
        info = module_info(self.ctx)
        qual = info.qualify(node.func) or ""
        last = qual.rsplit(".", 1)[-1] if qual else last_name(node.func)
        if qual in ("ssl._create_unverified_context", "ssl._create_stdlib_context") or last == "_create_unverified_context":
            self._flag(node, "ssl._create_unverified_context() builds a context that accepts any certificate")
            return
        if qual in cat.WARNING_SILENCERS or (last == "disable_warnings" and "urllib3" in (dotted_name(node.func) or "")):
            self._warnings.append(node)
            return
        if qual in ("warnings.filterwarnings", "warnings.simplefilter") and _mentions_insecure_warning(node):
            self._warnings.append(node)
            return
        if last == "setopt" and len(node.args) >= 2:
            self._pycurl(node)
            return
        if _not_tls_call(qual, last):
            for arg in node.args:  # jwt.decode(t, options={"verify": False}) is not about TLS
                if type(arg.value) is cst.Dict:
                    self._skip_dicts.add(id(arg.value))
            return
        if last == "setdefault" and len(node.args) >= 2 and string_value(node.args[0].value, module_info(self.ctx)) in cat.VERIFY_KEYWORDS:
            if self._is_false(node.args[1].value):
                self._flag(node, "request options default to verify=False: the server certificate is not checked", Confidence.MEDIUM)
            return
        for arg in node.args:
            if arg.keyword is not None:
                self._keyword(node, arg, qual, last)
        self._context_use(node)

    def _keyword(self, call: cst.Call, arg: cst.Arg, qual: str, last: str) -> None:
        assert arg.keyword is not None
        keyword = arg.keyword.value
        info = module_info(self.ctx)
        if keyword in cat.CERT_REQS_KEYWORDS:
            if _is_cert_none(arg.value, info):
                self._flag(arg, f"{keyword}=CERT_NONE: the server certificate is not checked")
            return
        if keyword == "sslopt":
            self._sslopt(arg, info)
            return
        if keyword in ("ssl", "verify_ssl") and self._is_false(arg.value):
            if keyword == "ssl" and not self._aiohttp_call(call, qual):
                return
            if self._loopback_call(call):
                return
            self._flag(arg, f"{keyword}=False on an aiohttp request: the server certificate is not checked")
            return
        if keyword not in cat.VERIFY_KEYWORDS or not self._is_false(arg.value):
            return
        if self._loopback_call(call):
            return
        confidence = self._client_confidence(call, qual, last)
        if confidence is None:
            return
        what = {"verify": "verify=False", "connection_verify": "connection_verify=False", "verify_certs": "verify_certs=False",
                "assert_hostname": "assert_hostname=False", "check_hostname": "check_hostname=False"}.get(keyword, f"{keyword}=False")
        consequence = "the server's hostname is not checked" if keyword in ("assert_hostname", "check_hostname") else "the server certificate is not checked"
        self._flag(arg, f"{what} on {display_name(call.func)}: {consequence}", confidence)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment(target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node.target, node.value, node)

    def _assignment(self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        info = module_info(self.ctx)
        if type(target) is cst.Name and type(value) is cst.Call:
            self._track_context(target.value, value, info)
        if type(target) is cst.Subscript:
            if len(target.slice) != 1 or type(target.slice[0].slice) is not cst.Index:
                return
            key_expr = target.slice[0].slice.value
            if (info.qualify(target.value) or "") in ("os.environ", "environ"):
                self._environment(key_expr, value, node, info)
            elif string_value(key_expr, info) in ("verify", "verify_ssl", "ssl_verify", "verify_certs") and self._is_false(value):
                self._flag(node, "request options set verify=False: the server certificate is not checked", Confidence.MEDIUM)
            return
        if type(target) is not cst.Attribute:
            return
        attr = target.attr.value
        qual = info.qualify(target) or ""
        if qual == "ssl._create_default_https_context" or dotted_name(target) == "ssl._create_default_https_context":
            if (info.qualify(value) or "").endswith("_create_unverified_context"):
                self._flag(node, "the process-wide default HTTPS context is replaced by an unverified one: every urllib request accepts any certificate")
            return
        owner = dotted_name(target.value) or ""
        if attr == "verify_mode":
            if _is_cert_none(value, info) and not self._server_context(owner):
                self._flag(node, "verify_mode = CERT_NONE: the server certificate is not checked")
            elif owner in self._contexts and _is_cert_required(value, info):
                self._contexts[owner][2] = True
            return
        if attr in cat.VERIFY_ATTRIBUTES and self._is_false(value):
            if attr == "check_hostname":
                if not self._server_context(owner):
                    self._flag(node, "check_hostname = False: any valid certificate for any host is accepted")
                return
            self._flag(node, f"{owner or 'client'}.{attr} = False: the server certificate is not checked")

    def leave_Module(self, original_node: cst.Module) -> None:
        for name, (call, used, verified) in self._contexts.items():
            if used and not verified:
                self._flag(call, f"ssl.SSLContext() without verification is used as a client context ({name}): it defaults to CERT_NONE and no hostname check")
        for node in self._warnings:
            confidence = Confidence.MEDIUM if self._disabled else Confidence.LOW
            self.report(node, "InsecureRequestWarning suppressed: the warning about unverified HTTPS requests is hidden", confidence=confidence)

    # -- details -----------------------------------------------------------------------------------

    def _is_false(self, expr: cst.BaseExpression) -> bool:
        """``False``/``0`` literally, or a name/constant bound once to one."""
        info = module_info(self.ctx)
        value = evaluate(expr, info)
        if value is UNKNOWN and type(expr) is cst.Name:
            bound = single_value(expr.value, self._scope(), info)
            if bound is not None and bound is not expr:
                value = evaluate(bound, info)
        if isinstance(value, str):
            return False  # verify="false" is a (bogus) CA path, not a switch
        return value is False or (isinstance(value, int) and not isinstance(value, bool) and value == 0)

    def _client_confidence(self, call: cst.Call, qual: str, last: str) -> Confidence | None:
        info = module_info(self.ctx)
        root = qual.split(".")[0] if qual else ""
        if root in cat.TLS_CLIENT_ROOTS or qual.startswith(tuple(r + "." for r in cat.TLS_CLIENT_ROOTS)):
            return Confidence.HIGH
        if http_call(call, info, self._scope()) is not None:
            return Confidence.HIGH
        if last in ("fetch_token", "fetch_access_token", "refresh_token", "request", "send"):
            return Confidence.HIGH
        name_words = set(words(display_name(call.func).replace(".", "_")))
        if name_words & cat.HTTPISH_WORDS:
            return Confidence.MEDIUM
        return None

    def _aiohttp_call(self, call: cst.Call, qual: str) -> bool:
        info = module_info(self.ctx)
        if qual.startswith("aiohttp"):
            return True
        hc = http_call(call, info, self._scope())
        if hc is not None and hc.library == "aiohttp":
            return True
        if hc is not None and hc.library == "unknown" and _imports_any(info, frozenset({"aiohttp"})):
            return True
        return last_name(call.func) in ("TCPConnector", "ws_connect") and _imports_any(info, frozenset({"aiohttp"}))

    def _loopback_call(self, call: cst.Call) -> bool:
        """A request to a loopback test server (``https://localhost:8443``)."""
        info = module_info(self.ctx)
        hc = http_call(call, info, self._scope())
        if hc is None or hc.url is None:
            return False
        text = url_text(hc.url, info, self._scope())
        host = url_host(text.text) if text is not None else None
        return bool(host) and "{" not in (host or "") and is_loopback(host or "")

    def _pycurl(self, node: cst.Call) -> None:
        info = module_info(self.ctx)
        option = dotted_name(node.args[0].value) or ""
        if option.rsplit(".", 1)[-1] in ("SSL_VERIFYPEER", "SSL_VERIFYHOST", "PROXY_SSL_VERIFYPEER", "PROXY_SSL_VERIFYHOST"):
            if evaluate(node.args[1].value, info) in (0, False):
                self._flag(node, f"pycurl {option.rsplit('.', 1)[-1]} = 0: the server certificate is not checked")

    def _sslopt(self, arg: cst.Arg, info: ModuleInfo) -> None:
        if type(arg.value) is not cst.Dict:
            return
        for element in arg.value.elements:
            if type(element) is not cst.DictElement:
                continue
            key = string_value(element.key, info)
            if key == "cert_reqs" and _is_cert_none(element.value, info):
                self._flag(element, "sslopt cert_reqs=CERT_NONE: the server certificate is not checked")
            elif key == "check_hostname" and evaluate(element.value, info) is False:
                self._flag(element, "sslopt check_hostname=False: any certificate for any host is accepted")

    def _track_context(self, name: str, call: cst.Call, info: ModuleInfo) -> None:
        qual = info.qualify(call.func) or ""
        self._context_calls[name] = call
        if qual not in ("ssl.SSLContext",):
            return
        protocol = dotted_name(call.args[0].value) if call.args else None
        if protocol is None and call.args:
            return  # unknown protocol expression
        if protocol is None or protocol.rsplit(".", 1)[-1] in cat.UNVERIFIED_PROTOCOLS:
            self._contexts[name] = [call, False, False]

    def _context_use(self, call: cst.Call) -> None:
        """An unverified SSLContext handed to a client (``urlopen(..., context=ctx)``)."""
        for arg in call.args:
            name = dotted_name(arg.value) if arg.keyword is not None and arg.keyword.value in cat.CONTEXT_KEYWORDS else None
            if name in self._contexts:
                self._contexts[name][1] = True
        func = call.func
        if type(func) is cst.Attribute and func.attr.value == "wrap_socket":
            owner = dotted_name(func.value) or ""
            if owner in self._contexts and any(a.keyword is not None and a.keyword.value == "server_hostname" for a in call.args):
                self._contexts[owner][1] = True
            if owner in self._contexts and any(a.keyword is not None and a.keyword.value == "server_side" and evaluate(a.value) is True for a in call.args):
                self._contexts.pop(owner, None)

    def _server_context(self, owner: str) -> bool:
        call = self._context_calls.get(owner)
        if call is None:
            return False
        for arg in call.args:
            text = dotted_name(arg.value) or ""
            if text.endswith(("Purpose.CLIENT_AUTH", "PROTOCOL_TLS_SERVER")):
                return True
        return False

    def _environment(self, key_expr: cst.BaseExpression, value_expr: cst.BaseExpression, node: cst.CSTNode, info: ModuleInfo) -> None:
        key = string_value(key_expr, info)
        value = evaluate(value_expr, info)
        if key is None or (not isinstance(value, (str, int)) or isinstance(value, bool)):
            return
        verdict = _env_switch(key, str(value))
        if verdict is None:
            return
        message, confidence = verdict
        if key.upper() == "CURL_CA_BUNDLE":
            self.emit_fact("curl-ca-bundle-empty", node, {"where": "code"})
        self._flag(node, message, confidence)

    # -- config files ------------------------------------------------------------------------------

    def check(self, doc: Document, ctx: FileContext) -> None:
        for entry in doc.entries:
            self._config_entry(entry, ctx)

    def _config_entry(self, entry: Entry, ctx: FileContext) -> None:
        keys = [k for k in entry.key_path if not k.isdigit()]
        if not keys:
            return
        key = keys[-1]
        value = entry.value
        text = value if isinstance(value, str) else ("" if value is None else str(value).lower())
        verdict = _env_switch(key, text) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if verdict is None:
            verdict = _config_switch(keys, value)
        if verdict is None:
            verdict = _shell_switch(text) if isinstance(value, str) else None
        if verdict is None:
            return
        message, confidence = verdict
        if key.upper() == "CURL_CA_BUNDLE":
            ctx.emit_fact(type(self), "curl-ca-bundle-empty", entry.line, entry.column, {"where": ctx.kind})
        ctx.report_at(type(self), entry.line, entry.column, message, end_line=entry.end_line, end_column=entry.end_column, confidence=confidence)


# --- helpers ----------------------------------------------------------------------------------------




def _imports_any(info: ModuleInfo, roots: frozenset[str] | tuple[str, ...]) -> bool:
    return any(t.split(".")[0] in roots for t in info.imports.values())


def _not_tls_call(qual: str, last: str) -> bool:
    if qual and qual.startswith(tuple(r + "." for r in cat.NOT_TLS_ROOTS)) or qual in cat.NOT_TLS_ROOTS:
        return True
    return last in cat.NOT_TLS_METHODS


_SWITCH_WORDS = frozenset({"verify", "insecure", "ssl", "tls", "cert", "reqs", "hostname", "skip", "unverified",
                           "validate", "check", "pyopenssl", "verification"})


def _is_verify_switch_test(test: cst.BaseExpression) -> bool:
    """An ``if`` that branches on a verification option (``verify is False``, ``not self.verify_ssl``)."""
    return any(type(node) is cst.Name and not _SWITCH_WORDS.isdisjoint(words(node.value)) for node in descendants(test))


def _is_cert_none(expr: cst.BaseExpression, info: ModuleInfo) -> bool:
    name = dotted_name(expr) or ""
    if name.rsplit(".", 1)[-1] == "CERT_NONE":
        return True
    value = evaluate(expr, info)
    return isinstance(value, str) and value.strip() in cat.CERT_NONE_STRINGS


def _is_cert_required(expr: cst.BaseExpression, info: ModuleInfo) -> bool:
    name = dotted_name(expr) or ""
    return name.rsplit(".", 1)[-1] in ("CERT_REQUIRED", "CERT_OPTIONAL")


def _mentions_insecure_warning(call: cst.Call) -> bool:
    for arg in call.args:
        name = dotted_name(arg.value) or ""
        if name.rsplit(".", 1)[-1] in cat.INSECURE_WARNING_NAMES:
            return True
    return False


def _truthy(value: object) -> bool | None:
    """True/False for booleans and boolean-ish strings/numbers; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        low = value.strip().strip("\"'").lower()
        if low in cat.TRUE_STRINGS:
            return True
        if low in cat.FALSE_STRINGS:
            return False
    return None


def _env_switch(key: str, value: str) -> tuple[str, Confidence] | None:
    """Environment variables that switch verification off (code, env files, compose, Dockerfile)."""
    name = key.upper()
    spec = cat.ENV_SWITCHES.get(name)
    if spec is None:
        return None
    when, confidence, note = spec
    text = value.strip().strip("\"'")
    disabled = (
        (when == "zero" and text in ("0", "false"))
        or (when == "true" and _truthy(text) is True)
        or (when == "false" and _truthy(text) is False)
        or (when == "empty" and text == "")
    )
    if not disabled:
        return None
    shown = text or '""'
    return f"{name}={shown}: TLS certificate verification disabled ({note})", _CONFIDENCE[confidence]


def _config_switch(keys: list[str], value: object) -> tuple[str, Confidence] | None:
    """``verify_ssl: false``, ``insecure: true``, ``insecure-skip-tls-verify: true``, ``tlsSkipVerify: true``."""
    key = keys[-1]
    seq = words(key)
    if not seq:
        return None
    joined = ".".join(keys)
    if seq[-2:] == ("cert", "reqs") or seq[-1] == "certreqs":
        if isinstance(value, str) and value.strip().upper() in ("CERT_NONE", "NONE"):
            return _config_message(joined), Confidence.MEDIUM
        return None
    truth = _truthy(value)
    if truth is None:
        return None
    if "verify" in seq or "verification" in seq or seq[-1] in ("check_hostname",) or seq[-2:] == ("check", "hostname") or seq[-1] == "validate" or "validate" in seq:
        if any(w in ("skip", "no", "disable", "disabled", "without", "ignore") for w in seq):
            return (_config_message(joined), Confidence.HIGH) if truth else None
        others = [w for w in seq if w not in ("verify", "verification", "check", "validate", "enable", "enabled", "do", "should")]
        # a bare "verify" key: only when its parents do not make it about JWTs, emails, webhooks...
        if not others:
            parents = {w for k in keys[:-1] for w in words(k)}
            if parents & cat.NON_TLS_CONTEXT_WORDS:
                return None
            if truth is False:
                return _config_message(joined), Confidence.HIGH if parents & cat.TLS_QUALIFIERS else Confidence.MEDIUM
            return None
        # AELIX_VERIFY_SSL, partner.ssl_verify, ES_VERIFY_CERTS: an app prefix is fine, a TLS word is
        # required, and words such as signature/email/token make it something else
        if any(w in cat.TLS_QUALIFIERS for w in others) and not any(w in cat.NON_TLS_CONTEXT_WORDS for w in seq):
            return (_config_message(joined), Confidence.HIGH) if truth is False else None
        return None
    if "insecure" in seq:
        rest = [w for w in seq if w != "insecure"]
        if all(w in cat.TLS_QUALIFIERS or w in ("skip", "verify", "allow", "use", "mode") for w in rest):
            return (_config_message(joined), Confidence.HIGH) if truth else None
        return None
    if "skip" in seq and any(w in cat.TLS_QUALIFIERS for w in seq):
        return (_config_message(joined), Confidence.HIGH) if truth else None
    return None


def _config_message(key: str) -> str:
    return f"TLS certificate verification disabled by config key {key}"


def _shell_switch(text: str) -> tuple[str, Confidence] | None:
    """``curl -k``/``--insecure`` and ``wget --no-check-certificate`` in CI scripts (not to loopback)."""
    import re

    for line in text.splitlines():
        match = re.search(r"\bcurl\b[^\n|;&]*?\s(?:-k|--insecure)\b|\bwget\b[^\n|;&]*?\s--no-check-certificate\b", line)
        if match is None:
            continue
        hosts = re.findall(r"https?://([^/\s:'\"]+)", line)
        if hosts and all(is_loopback(h) for h in hosts):
            continue
        return "certificate verification disabled in a shell command (curl -k / wget --no-check-certificate)", Confidence.MEDIUM
    return None
