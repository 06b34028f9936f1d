"""OA201 token-logged: a token, token response, Authorization header or client secret reaches a log
or console sink (with a small intra-module taint analysis, ``rules._analysis.taint``)."""

from __future__ import annotations

import libcst as cst

from checker.model import Confidence, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.imports import dotted_name, module_info
from rules._analysis.literals import evaluate
from rules._analysis.names import AUTH_CONTEXT, has_auth_context
from rules._analysis.taint import Leak, engine_for, maybe_sink, node_line
from rules._catalog import sinks as cat

_DEBUGLEVEL_MESSAGE = (
    "HTTP debug output enabled ({what}): http.client then prints every request's headers, including "
    "Authorization, and the token request body with the client secret"
)
_OAUTHLIB_MESSAGE = (
    "DEBUG logging enabled for {what}: requests-oauthlib logs obtained tokens, request headers and "
    "token request bodies at DEBUG"
)


class TokenLogged(PythonRule):
    """Token or secret written to a log, the console or an exception message.

    ## What it does
    Follows values that *are* tokens or secrets through the module — the response of a token request
    (`resp.json()`, `["access_token"]`, `await resp.json()`), the results of `fetch_token`,
    `acquire_token_for_client` or `get_token`, `Authorization`/`Bearer` header dicts, client secrets
    read from the environment, and variables named like credentials — and reports the call where one
    reaches `logging`, structlog, loguru, `print`, `pprint`, `sys.stdout.write`, `click.echo`, rich,
    `warnings.warn` or a raised exception's message. Propagation covers assignments, f-strings, `%`,
    `.format`, `+`, `str()`, `json.dumps`, containers, `self.x` attributes and the return values and
    parameters of functions in the same module. Masked values (`token[:6]`, hashes, `len(token)`),
    `token_type`, `expires_in`, `scope`, status codes, httpx `Headers` objects (they mask
    `Authorization`) and LLM token counts stay silent. Also reported: switches that dump HTTP traffic
    (`http.client.HTTPConnection.debuglevel = 1`) or requests-oauthlib's DEBUG logging.

    The finding sits on the sink call; the message names what leaked, where it came from and the
    sink. Names alone (a parameter called `access_token`) give medium confidence; a token response
    logged only inside an error branch (`if not resp.ok:`) gives low confidence, because an error
    response carries `error`/`error_description`, not a token.

    ## Why is this bad?
    Logs are copied to aggregators, tickets, CI output and support bundles that far more people can
    read than the secret manager. A bearer token in a log is a working credential until it expires;
    a client secret in a log is a working credential until it is rotated. Guide tip: **never log
    access tokens**. CWE-532: Insertion of Sensitive Information into Log File.

    ## Example
    ```python
    payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
    logger.debug(f"got token {payload['access_token']}")
    ```

    ## Use instead
    ```python
    payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
    logger.debug("token refreshed (expires_in=%s, scope=%s)", payload["expires_in"], payload["scope"])
    ```
    If you must correlate tokens, log a short prefix or a hash (`token[:6]`, `sha256(token)[:12]`).

    ## References
    - Aelix guide, "Security best practices": never log access tokens
    - CWE-532: https://cwe.mitre.org/data/definitions/532.html
    - OWASP Logging Cheat Sheet: data to exclude
    """

    id = "OA201"
    name = "token-logged"
    family = "log"
    severity = Severity.HIGH
    summary = "An access token, token response, Authorization header or client secret is logged or printed"
    cwe = ("CWE-532",)
    references = ("https://cwe.mitre.org/data/definitions/532.html",)
    # A file without any of these words has no source (token/secret/header/credential) to leak.
    # Source words (sinks are everywhere, sources are not). "auth" alone would match every
    # "author"; the auth-related sources are caught by "authoriz", "oauth" and the name words.
    # A module without any authentication or HTTP word has no source: its "token" is a lexer token.
    trigger_groups = (AUTH_CONTEXT,)
    # "_auth" must not be the start of "__author__", which nearly every module of some codebases has.
    trigger_regex = (
        rb"token|secret|passw|pwd|passphrase|authoriz|oauth|bearer|api_key|apikey|api-key|access_key|credential"
        rb"|debuglevel|private_key|auth_|_auth(?:[^o]|o[^r]|o?\Z)"  # "_auth" but not "__author__"
    )

    invalid = (
        Example(
            '''\
            import logging
            import requests

            logger = logging.getLogger(__name__)

            def fetch_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
                payload = resp.json()
                access_token = payload["access_token"]
                logger.debug(f"got token {access_token}")  # expect
                return access_token
            '''
        ),
        Example(
            '''\
            import requests

            resp = requests.post("https://auth.example.org/oauth2/token", data=body, auth=(cid, secret))
            print("token response:", resp.json())  # expect
            '''
        ),
        Example(
            '''\
            import logging
            import msal

            log = logging.getLogger("svc")
            app = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, authority=AUTHORITY)
            result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
            if "access_token" in result:
                log.info("token: %s", result["access_token"])  # expect
            ''',
            note="msal result dict; the token field logged in the success branch",
        ),
        Example(
            '''\
            import logging

            logger = logging.getLogger(__name__)

            def call_api(session, token):
                headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
                logger.debug("request headers: %s", headers)  # expect
                return session.get(API_URL, headers=headers)
            '''
        ),
        Example(
            '''\
            import os
            import click

            CLIENT_SECRET = os.environ["AELIX_CLIENT_SECRET"]

            @click.command()
            def show():
                click.echo(f"using secret {CLIENT_SECRET}")  # expect
            '''
        ),
        Example(
            '''\
            import structlog
            from authlib.integrations.requests_client import OAuth2Session

            log = structlog.get_logger()

            class Client:
                def __init__(self):
                    self.session = OAuth2Session(CLIENT_ID, CLIENT_SECRET)

                def login(self):
                    self.token = self.session.fetch_token(TOKEN_URL)

                def report(self):
                    log.info("session ready", token=self.token)  # expect
            ''',
            note="self.token stored in one method, logged in another (structlog logs every keyword)",
        ),
        Example(
            '''\
            import http.client as http_client

            http_client.HTTPConnection.debuglevel = 1  # expect
            ''',
            note="prints every request's headers (Authorization) and bodies (client_secret)",
        ),
        Example(
            '''\
            from loguru import logger

            def get_token(client):
                return client.post("/oauth/token", data={"grant_type": "client_credentials"}).json()["access_token"]

            def main(client):
                token = get_token(client)
                logger.info("token {}", token)  # expect
            ''',
            note="the return value of a same-module function",
        ),
    )
    valid = (
        Example(
            '''\
            class Lexer:
                def __init__(self, text):
                    self.tokens = text.split()

                def next_token(self):
                    token = self.tokens.pop(0)
                    print("token:", token)
                    if token == ")":
                        raise SyntaxError(f"unexpected token {token!r}")
                    return token
            ''',
            note="a module with no authentication or HTTP word at all: its tokens are a parser's",
        ),
        Example(
            '''\
            import logging
            import requests

            logger = logging.getLogger(__name__)

            def fetch_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
                if resp.status_code != 200:
                    logger.warning("token request failed with status %s", resp.status_code)
                payload = resp.json()
                logger.info("token refreshed (type=%s, expires_in=%s, scope=%s)",
                            payload["token_type"], payload.get("expires_in"), payload.get("scope"))
                return payload["access_token"]
            ''',
            note="status code, token_type, expires_in and scope are not secrets",
        ),
        Example(
            '''\
            import logging

            log = logging.getLogger(__name__)

            def use(token):
                log.info("token refreshed")
                log.debug("token=%s... (%d chars)", token[:6], len(token))
                print(len(token))
            ''',
            note="masked prefix and length only",
        ),
        Example(
            '''\
            import msal

            app = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, authority=AUTHORITY)
            result = app.acquire_token_for_client(scopes=SCOPES)
            if "access_token" not in result:
                print(result.get("error"))
                print(result.get("error_description"))
                print(result.get("correlation_id"))
            ''',
            note="Microsoft's sample prints the error fields, never the token",
        ),
        Example(
            '''\
            import logging
            import httpx

            logger = logging.getLogger(__name__)

            def log_request(request: httpx.Request) -> None:
                logger.debug("%s %s headers=%s", request.method, request.url, request.headers)

            client = httpx.Client(event_hooks={"request": [log_request]})
            ''',
            note="httpx Headers mask Authorization in their repr",
        ),
        Example(
            '''\
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
            max_tokens = 512
            print(tokenizer.eos_token, tokenizer.pad_token, max_tokens)
            for token in tokenizer.tokenize("hello world"):
                print(token)
            ''',
            note="tokenizer tokens and token counts are not credentials",
        ),
        Example(
            '''\
            import google.auth
            from google.auth.transport.requests import Request

            creds, project = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
            creds.refresh(Request())
            print(creds)
            print(creds.expiry, creds.valid)
            ''',
            note="the credentials object's repr does not show the token",
        ),
        Example(
            '''\
            import jwt

            def show_expiry(access_token):
                claims = jwt.decode(access_token, options={"verify_signature": False})
                print("token expires at", claims["exp"])
                print(f"scopes: {claims.get('scope')}")
            ''',
            note="decoded JWT claims (exp, scope) are not the token; the Aelix troubleshooting page prints exp",
        ),
        Example(
            '''\
            import hashlib
            import logging

            logger = logging.getLogger(__name__)

            def mask_token(value):
                return value[:4] + "****"

            def audit(access_token, client_secret):
                logger.info("token %s", mask_token(access_token))
                logger.info("secret fingerprint %s", hashlib.sha256(client_secret.encode()).hexdigest()[:12])
                logger.info("secret set: %s", bool(client_secret))
            ''',
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._functions: list[cst.FunctionDef] = []
        self._candidates: dict[cst.CSTNode, cst.FunctionDef | None] = {}
        self._switches: dict[str, tuple[cst.CSTNode, str, Confidence]] = {}
        self._oauthlib_loggers: set[str] = set()
        self._callers: dict[str, set[cst.FunctionDef | None]] = {}

    # -- the batched pass: cheap collection only ---------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        enclosing = self._functions[-1] if self._functions else None
        if maybe_sink(node):
            self._candidates[node] = enclosing
        # callee name -> callers, so the engine finds call sites of helpers that log a parameter
        callee = func.attr.value if type(func) is cst.Attribute else (func.value if type(func) is cst.Name else None)
        if callee is not None:
            self._callers.setdefault(callee, set()).add(enclosing)
        if type(func) is cst.Attribute and func.attr.value in ("set_debuglevel", "setLevel"):
            self._debug_method(node, func)
        elif type(func) in (cst.Name, cst.Attribute):
            name = func.attr.value if type(func) is cst.Attribute else func.value
            if name in ("HTTPHandler", "HTTPSHandler", "basicConfig"):
                self._debug_call(node, name)

    def visit_Raise(self, node: cst.Raise) -> None:
        if type(node.exc) is cst.Call and node.exc.args:
            self._candidates[node] = self._functions[-1] if self._functions else None

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        for target in node.targets:
            self._debuglevel_assignment(target.target, value)
            if type(value) is cst.Call and self._is_oauthlib_logger(value):
                name = dotted_name(target.target)
                if name:
                    self._oauthlib_loggers.add(name)

    def leave_Module(self, original_node: cst.Module) -> None:
        # Without an authentication or HTTP word the only possible sources are generic names such
        # as a parser's "token", which are not credentials there: no taint analysis at all.
        if self._candidates and has_auth_context(self.ctx.text):
            for leak in engine_for(self.ctx).leaks(self._candidates, self._callers):
                self.report(leak.node, self._message(leak), confidence=leak.confidence)
        for node, message, confidence in self._switches.values():
            self.report(node, message, confidence=confidence)

    # -- messages ----------------------------------------------------------------------------------

    def _message(self, leak: Leak) -> str:
        label = leak.label
        text = label.role or "secret"
        if label.origin:
            text += f" {label.origin}"
        line = node_line(self.ctx, label.node)
        sink_line = node_line(self.ctx, leak.node)
        if line is not None and line != sink_line:
            text += f" (line {line})"
        if leak.sink.kind == "raise":
            text += " used in the message of a raised exception"
        elif leak.sink.kind == "bind":
            text += f" bound to the log context by {leak.sink.name}"
        else:
            text += f" passed to {leak.sink.name}"
        if leak.via is not None:
            via_line = node_line(self.ctx, leak.via)
            text += f" via {leak.via_name}()" + (f" (called at line {via_line})" if via_line else "")
        if leak.error_branch:
            text += " inside an error branch (an error response usually carries no token)"
        return text

    # -- HTTP debug switches -------------------------------------------------------------------------

    def _debuglevel_assignment(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if type(target) is not cst.Attribute or target.attr.value != "debuglevel":
            return
        info = module_info(self.ctx)
        qual = info.qualify(target) or dotted_name(target) or ""
        if not qual.endswith(cat.DEBUGLEVEL_TARGETS):
            return
        if _positive(evaluate(value, info)):
            what = ".".join(qual.split(".")[-2:]) + " = " + str(evaluate(value, info))
            self._switch("debuglevel", target, _DEBUGLEVEL_MESSAGE.format(what=what), Confidence.HIGH)

    def _debug_method(self, node: cst.Call, func: cst.Attribute) -> None:
        info = module_info(self.ctx)
        if not node.args:
            return
        level = evaluate(node.args[0].value, info)
        if func.attr.value == "set_debuglevel":
            receiver = info.qualify(func.value) if type(func.value) is not cst.Call else info.qualify(func.value.func)
            receiver = receiver or ""
            if not _positive(level) or receiver.startswith(cat.NON_HTTP_DEBUG_PREFIXES):
                return
            if receiver.startswith(("http.client", "httplib")):
                self._switch("debuglevel", node, _DEBUGLEVEL_MESSAGE.format(what="set_debuglevel"), Confidence.HIGH)
            elif not receiver and any(t.startswith(("http.client", "httplib")) for t in info.imports.values()):
                self._switch("debuglevel", node, _DEBUGLEVEL_MESSAGE.format(what="set_debuglevel"), Confidence.MEDIUM)
            return
        # setLevel(DEBUG) on the requests-oauthlib logger (or the root logger in a module using it)
        if not _is_debug_level(node.args[0].value, level, info):
            return
        receiver_expr = func.value
        if type(receiver_expr) is cst.Call and self._is_oauthlib_logger(receiver_expr):
            self._switch("oauthlib", node, _OAUTHLIB_MESSAGE.format(what="requests_oauthlib"), Confidence.HIGH)
        elif (dotted_name(receiver_expr) or "") in self._oauthlib_loggers:
            self._switch("oauthlib", node, _OAUTHLIB_MESSAGE.format(what="requests_oauthlib"), Confidence.HIGH)
        elif _is_root_logger(receiver_expr, info) and _uses_requests_oauthlib(info):
            self._switch("oauthlib", node, _OAUTHLIB_MESSAGE.format(what="the root logger while requests-oauthlib is used"), Confidence.MEDIUM)

    def _debug_call(self, node: cst.Call, name: str) -> None:
        info = module_info(self.ctx)
        qual = info.qualify(node.func) or ""
        if name in ("HTTPHandler", "HTTPSHandler"):
            if not (qual in cat.DEBUG_HANDLER_CLASSES or qual.endswith(("request.HTTPHandler", "request.HTTPSHandler"))):
                return
            for index, arg in enumerate(node.args):
                if (arg.keyword is not None and arg.keyword.value == "debuglevel") or (arg.keyword is None and index == 0):
                    if _positive(evaluate(arg.value, info)):
                        self._switch("debuglevel", node, _DEBUGLEVEL_MESSAGE.format(what=f"{name}(debuglevel=...)"), Confidence.HIGH)
            return
        if qual == "logging.basicConfig" and _uses_requests_oauthlib(info):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "level" and _is_debug_level(arg.value, evaluate(arg.value, info), info):
                    self._switch("oauthlib", node, _OAUTHLIB_MESSAGE.format(what="the root logger while requests-oauthlib is used"), Confidence.MEDIUM)

    def _is_oauthlib_logger(self, call: cst.Call) -> bool:
        info = module_info(self.ctx)
        if (info.qualify(call.func) or "") != "logging.getLogger" or not call.args:
            return False
        name = evaluate(call.args[0].value, info)
        return isinstance(name, str) and name in cat.TOKEN_LOGGING_LOGGERS

    def _switch(self, kind: str, node: cst.CSTNode, message: str, confidence: Confidence) -> None:
        # one finding per file and kind: the first switch is the one to remove
        current = self._switches.get(kind)
        if current is None or (confidence > current[2]):
            if current is None:
                self._switches[kind] = (node, message, confidence)


def _positive(value: object) -> bool:
    return (isinstance(value, (int, float)) and value > 0) or value is True


def _is_debug_level(expr: cst.BaseExpression, value: object, info: object) -> bool:
    name = dotted_name(expr) or ""
    if name.rsplit(".", 1)[-1] == "DEBUG":
        return True
    if isinstance(value, str) and value.upper() == "DEBUG":
        return True
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10


def _is_root_logger(expr: cst.BaseExpression, info: object) -> bool:
    from rules._analysis.imports import ModuleInfo

    assert isinstance(info, ModuleInfo)
    if type(expr) is cst.Call and (info.qualify(expr.func) or "") == "logging.getLogger":
        if not expr.args:
            return True
        value = evaluate(expr.args[0].value, info)
        return value is None or value == "" or value == "root"
    return (info.qualify(expr) or "") == "logging.root"


def _uses_requests_oauthlib(info: object) -> bool:
    from rules._analysis.imports import ModuleInfo

    assert isinstance(info, ModuleInfo)
    return any(t.startswith(("requests_oauthlib", "oauthlib")) for t in info.imports.values())
