"""OA101 hardcoded-client-secret: literal credentials in Python source."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote_plus

import libcst as cst

from checker.model import Confidence, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.imports import ModuleInfo, last_name, module_info
from rules._analysis.literals import StringValue, evaluate
from rules._analysis.names import (
    NameVerdict,
    authorization_secret,
    credential_name,
    secret_value_confidence,
)
from rules._analysis.secret_formats import format_of
from rules._catalog import secrets as catalog

# A URL with a password in its userinfo: scheme://user:password@host
_URL_USERINFO = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://([^\s:/@'\"]*):([^\s/@'\"]+)@[A-Za-z0-9\[{$%]")
# "k=v&k2=v2" / "k=v;k2=v2" (form bodies, query strings, connection strings)
_PARAM_SEPARATORS = re.compile(r"[&;]")
# A whole string that is an Authorization value: "Bearer <token>" / "Basic <base64>"
_AUTH_SCHEMES = re.compile(r"^\s*(?:(?:proxy-)?authorization\s*:\s*)?(?:bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*\s*$", re.IGNORECASE)
_DICT_KEY = re.compile(r"^[A-Za-z_$@][A-Za-z0-9_.\-]{0,63}$")
_REGEX_MARKERS = ("[^", "(?", "\\", ".*", "]*", "]+", "\\d", "\\w")

# Last name parts of calls that need a closer look (resolved only for these, which keeps visit_Call cheap).
_POSITIONAL_SHORT = frozenset(key.rsplit(".", 1)[-1] for key in catalog.SECRET_POSITIONAL_ARGS) | catalog.SECRET_POSITIONAL_SHORT_NAMES
_ENV_SHORT = frozenset(key.rsplit(".", 1)[-1] for key in catalog.ENV_LOOKUPS) | catalog.ENV_SETTER_METHODS
_OPTION_CALLS = frozenset({"add_argument", "option", "Option", "add_option", "Argument"})
_AUTH_TUPLE_ROLE = NameVerdict(role="password", strength="strong")


def _short(func: cst.BaseExpression) -> str:
    return last_name(func)


def _string_of(expr: cst.BaseExpression) -> str | None:
    """A complete string (or bytes) value folded from literals only: no names, no holes."""
    if type(expr) not in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation):
        return None
    value = evaluate(expr, None)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _raw_text(expr: cst.BaseExpression) -> str | None:
    """The literal's text between its quotes as written (escapes differ from the value)."""
    if type(expr) is cst.SimpleString:
        return expr.raw_value
    return None


class HardcodedClientSecret(PythonRule):
    """Client secrets, passwords, API keys and tokens written as string literals in Python code.

    ## What it does
    Reports a string literal bound to a credential: a variable, attribute, class attribute or
    annotated field named like a credential (`client_secret`, `api_key`, `password`,
    `access_token`...), a keyword argument (`client_secret="..."`, `client_credential="..."`,
    `aws_secret_access_key="..."`), a known positional argument of an OAuth client constructor
    (`OAuth2Session(client_id, "<secret>")`, `ClientSecretCredential(tenant, client, "<secret>")`,
    `OAuth2ClientCredentials(url, id, "<secret>")`, `HTTPBasicAuth(id, "<secret>")`), a dict value
    under a credential key, an `auth=(id, "<secret>")` tuple, a form body or query string literal
    (`"grant_type=client_credentials&client_secret=..."`), an `Authorization: Bearer/Basic` literal,
    a parameter default, the fallback of `os.getenv("CLIENT_SECRET", "...")`, or the password of a
    URL (`postgresql://user:password@host/db`).

    Placeholders (`YOUR_CLIENT_SECRET`, `<client_secret>`, `${VAR}`, `changeme`, values ending in
    `...`, AWS and jwt.io documentation samples), references, names of environment variables,
    comparisons and assertions stay silent. Confidence is high for specific names (`client_secret`,
    `api_key`), medium for generic ones (`secret`, `token`) and low for values under 8 characters.
    Findings in test code are reported one severity lower.

    ## Why is this bad?
    A secret in source code is shared with everyone who can read the repository, its forks, CI logs
    and every clone, forever: removing it later does not remove it from git history. The Aelix guide's
    first tip is to never commit `client_secret` to source control; whoever holds it can request tokens
    with all the application's scopes. (CWE-798: Use of Hard-coded Credentials.)

    ## Example
    ```python
    from authlib.integrations.requests_client import OAuth2Session

    CLIENT_SECRET = "Zx8kQ9mP2vL7nR4tW1yB6cF3"
    session = OAuth2Session("my-client", CLIENT_SECRET)
    ```

    ## Use instead
    ```python
    import os

    CLIENT_SECRET = os.environ["AELIX_CLIENT_SECRET"]  # injected from the secret manager
    session = OAuth2Session(os.environ["AELIX_CLIENT_ID"], CLIENT_SECRET)
    ```
    Rotate any secret that was ever committed.

    ## References
    - Guide tip: never commit the client secret to source control.
    - CWE-798: Use of Hard-coded Credentials.
    - OWASP Secrets Management Cheat Sheet.
    """

    id = "OA101"
    name = "hardcoded-client-secret"
    family = "secret"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    summary = "Client secrets, passwords, API keys and tokens written as string literals in Python code"
    cwe = ("CWE-798",)
    references = ("guide: never commit the client secret", "CWE-798")
    # A credential word followed (within a few lines) by a string literal, a URL with a password,
    # or a call whose positional arguments carry secrets. Much tighter than "mentions 'key'", which
    # would send most of any large codebase through the parser (see benchmarks/README.md).
    trigger_regex = (
        rb"(?:secret|token|credential|passw|pwd|passphrase|bearer|authoriz|"
        rb"(?:api|access|auth|master|encryption|signing|private|app)[_\-.]?key)[\s\S]{0,200}?[\"'][^\"'\s]{4}"
        rb"|://[^\s/@'\"]*:[^\s/@'\"]+@"
        rb"|(?:secret|token|credential|passw|pwd|passphrase|(?:api|access|auth|private)[_\-.]?key)\w*=[^\s&\"'{}]{4}"  # form bodies
        rb"|(?:login|pass_)\s*\(|jwt|oauth2|basicauth|digestauth|proxyauth|clientsecret|clientcredentials"
        rb"|confidentialclient|secretstr|secretbytes|auth\w*\s*=\s*[(\[]"
    )

    valid = (
        Example(
            """\
            import os
            CLIENT_SECRET = os.environ["AELIX_CLIENT_SECRET"]
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
            token_type = "Bearer"
            secret_name = "prod/aelix/client-secret"
            client_id = "svc-payments-7f3a9c"
            """,
            note="reads from the environment; names that are about a secret, not the secret",
        ),
        Example(
            """\
            CLIENT_SECRET = "YOUR_CLIENT_SECRET"
            API_KEY = "ak_live_xyz123..."
            PASSWORD = "<password>"
            DB_URL = "postgresql://app:${DB_PASSWORD}@db:5432/app"
            headers = {"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9..."}
            """,
            note="documentation placeholders",
        ),
        Example(
            """\
            def test_login(client):
                token = client.login()
                assert token == "abc123def456ghi789"
                if client.secret == "Zx8kQ9mP2vL7nR4t":
                    pass
            """,
            path="tests/test_login.py",
            note="comparisons hold expected values, not credentials",
        ),
        Example(
            """\
            import os
            from pydantic import SecretStr
            secret = SecretStr(os.environ["CLIENT_SECRET"])
            secret_env = os.getenv("CLIENT_SECRET", "")
            fallback = os.getenv("AELIX_CLIENT_SECRET", "changeme")
            password_env_var = "AELIX_CLIENT_SECRET"
            """,
            note="wrapped environment reads and empty or placeholder defaults",
        ),
        Example(
            """\
            def fetch(session, client_id, client_secret):
                return session.fetch_token(
                    "https://auth.aelix.digitalapi.ai/oauth2/token",
                    client_id=client_id,
                    client_secret=client_secret,
                    headers={"Authorization": f"Bearer {client_secret}"},
                )
            """,
            note="variables and f-string holes are not literals",
        ),
        Example(
            """\
            max_tokens = 4096
            csrf_token = "csrfmiddlewaretoken"
            password_min_length = "12"
            PASSWORD_FIELD = "password"
            secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:aelix-AbCdEf"
            body = "grant_type=client_credentials&client_id={cid}&client_secret={secret}"
            """,
            note="names that only contain the word, template bodies",
        ),
    )
    invalid = (
        Example(
            """\
            CLIENT_SECRET = "Zx8kQ9mP2vL7nR4tW1yB6cF3"  # expect
            class Settings:
                api_key: str = "ak_live_4f9Q2mX7pL3vR8tN"  # expect
            """
        ),
        Example(
            """\
            from authlib.integrations.requests_client import OAuth2Session
            from azure.identity import ClientSecretCredential
            session = OAuth2Session("svc-client", "Zx8kQ9mP2vL7nR4tW1yB")  # expect
            credential = ClientSecretCredential("tenant-id", "client-id", "p7Q~Xv2kLm9RtW4yZb8N")  # expect
            """
        ),
        Example(
            """\
            import requests
            resp = requests.post(
                "https://auth.aelix.digitalapi.ai/oauth2/token",
                data={"grant_type": "client_credentials", "client_secret": "Zx8kQ9mP2vL7nR4t"},  # expect
                auth=("svc-client", "p7QXv2kLm9RtW4yZ"),  # expect
            )
            """
        ),
        Example(
            """\
            BODY = "grant_type=client_credentials&client_id=svc&client_secret=Zx8kQ9mP2vL7nR4t"  # expect
            HEADERS = {"Authorization": "Basic c3ZjLWNsaWVudDpaeDhrUTltUDJ2TDduUjR0"}  # expect
            """
        ),
        Example(
            """\
            import os
            class Client:
                def __init__(self, client_secret="Zx8kQ9mP2vL7nR4tW1yB"):  # expect
                    self.secret = os.getenv("AELIX_CLIENT_SECRET", "p7QXv2kLm9RtW4yZb8Nc")  # expect
            """
        ),
        Example(
            """\
            import boto3
            s3 = boto3.client("s3", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8kLm2vX4")  # expect
            DATABASE_URL = "postgresql://app:S3cr3tPassw0rd9@db.internal:5432/app"  # expect
            """
        ),
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._quiet_depth = 0  # inside comparisons and assertions: expected values, not credentials
        self._docstrings: set[int] = set()
        self._reported: set[int] = set()
        self._functions: list[str] = []  # enclosing function names, innermost last

    # --- context -------------------------------------------------------------------------------

    @property
    def _info(self) -> ModuleInfo:
        return module_info(self.ctx)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._quiet_depth += 1

    def leave_Comparison(self, original_node: cst.Comparison) -> None:
        self._quiet_depth -= 1

    def visit_Assert(self, node: cst.Assert) -> None:
        self._quiet_depth += 1

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self._quiet_depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def visit_Return(self, node: cst.Return) -> None:
        """``def client_secret(): return "..."`` (fixtures, config getters) binds the literal to the name."""
        if node.value is None or not self._functions or self._quiet_depth:
            return
        function = self._functions[-1]
        verdict = credential_name(function)
        if verdict is not None:
            self._judge(node.value, verdict, f"returned as a string literal from `{function}()`", key=function)

    def visit_Expr(self, node: cst.Expr) -> None:
        # a bare string statement is a docstring or a comment-like note
        if type(node.value) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString):
            self._docstrings.add(id(node.value))

    # --- reporting -----------------------------------------------------------------------------

    def _judge(
        self,
        value_expr: cst.BaseExpression,
        verdict: NameVerdict,
        how: str,
        key: str | None = None,
        follow_constants: bool = False,
    ) -> None:
        """Report ``value_expr`` when it is a literal credential for a name judged ``verdict``."""
        for candidate in _alternatives(value_expr):
            self._judge_one(candidate, verdict, how, key, follow_constants)

    def _judge_one(
        self, value_expr: cst.BaseExpression, verdict: NameVerdict, how: str, key: str | None, follow_constants: bool
    ) -> None:
        found = self._literal(value_expr, follow_constants)
        if found is None:
            return
        node, value = found
        if id(node) in self._reported:
            return
        if type(value_expr) is cst.Name and node is not value_expr:
            how = f"in constant `{value_expr.value}`, {how}"  # the literal sits on the constant's line
        if verdict.role == "authorization header" or _AUTH_SCHEMES.match(value):
            self._judge_authorization(node, value, bare=verdict.role == "authorization header")
            return
        confidence = secret_value_confidence(value, verdict, key)
        if confidence is None:
            return
        self._emit(node, f"{verdict.role} {how}", confidence, value)

    def _judge_authorization(self, node: cst.CSTNode, value: str, bare: bool = False) -> None:
        found = authorization_secret(value, bare=bare)
        if found is None or id(node) in self._reported:
            return
        self._emit(node, f"{found.role} in an Authorization header literal", found.confidence, value, found.credential, found.secret)

    def _emit(self, node: cst.CSTNode, message: str, confidence: Confidence, *values: str) -> None:
        self._reported.add(id(node))
        raw = _raw_text(node) if isinstance(node, cst.BaseExpression) else None
        label = format_of(values[-1]) if values else None  # the secret itself (decoded for Basic)
        self.report(
            node,
            message,
            confidence=confidence,
            secrets=tuple(v for v in (*values, raw) if v),
            properties=(("format", label),) if label else (),
        )

    def _literal(self, expr: cst.BaseExpression, follow_constants: bool = False) -> tuple[cst.BaseExpression, str] | None:
        """(node to report, string value) for a literal, a wrapped literal or (optionally) a module
        constant bound once to a literal; None for anything computed."""
        for _ in range(4):
            text = _string_of(expr)
            if text is not None:
                return expr, text
            inner = self._unwrap(expr)
            if inner is None and follow_constants and type(expr) is cst.Name:
                info = self._info
                if expr.value in info.constants and expr.value not in info.reassigned:
                    inner = info.constants[expr.value]
            if inner is None:
                return None
            expr = inner
        return None

    @staticmethod
    def _unwrap(expr: cst.BaseExpression) -> cst.BaseExpression | None:
        """``SecretStr("x")``, ``Field(default="x")``, ``"x".encode()`` -> the literal inside."""
        if type(expr) is not cst.Call:
            return None
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in catalog.LITERAL_METHODS:
            return func.value
        if _short(func) not in catalog.LITERAL_WRAPPERS:
            return None
        for arg in expr.args:
            if arg.keyword is not None and arg.keyword.value == "default":
                return arg.value
        positional = [a for a in expr.args if a.keyword is None and not a.star]
        return positional[0].value if positional else None

    # --- bindings: assignments, annotated fields, parameters -----------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._quiet_depth:
            return
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._quiet_depth or node.value is None:
            return
        self._bind(node.target, node.value)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if type(target) in (cst.Tuple, cst.List):
            if type(value) in (cst.Tuple, cst.List) and len(target.elements) == len(value.elements):
                for t, v in zip(target.elements, value.elements):
                    if type(t) is not cst.StarredElement and type(v) is not cst.StarredElement:
                        self._bind(t.value, v.value)
            return
        name = _target_name(target)
        if name is None:
            return
        if name == "auth" and type(value) in (cst.Tuple, cst.List):
            self._auth_tuple(value)  # session.auth = ("svc", "<secret>")
            return
        verdict = credential_name(name)
        if verdict is not None:
            self._judge(value, verdict, "assigned from a string literal", key=name)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is None:
            return
        verdict = credential_name(node.name.value)
        if verdict is not None:
            self._judge(node.default, verdict, f"as the default value of parameter `{node.name.value}`", key=node.name.value)

    # --- calls: keywords, known positional arguments, env lookups ------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        short = _short(node.func)
        if short.startswith("assert"):
            self._quiet_depth += 1  # mock.assert_called_with(client_secret="...") holds expected values
            return
        if self._quiet_depth:
            return
        self._keywords(node, short)
        if short in _POSITIONAL_SHORT:
            self._positional(node, short)
        if short in _ENV_SHORT:
            self._env_lookup(node, short)
        if short in _OPTION_CALLS:
            self._option_default(node)
        if short in ("b64encode", "standard_b64encode", "urlsafe_b64encode", "encodebytes"):
            self._basic_pair(node)

    def leave_Call(self, original_node: cst.Call) -> None:
        if _short(original_node.func).startswith("assert"):
            self._quiet_depth -= 1

    def _keywords(self, node: cst.Call, short: str) -> None:
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            if keyword == "auth" and type(arg.value) in (cst.Tuple, cst.List):
                self._auth_tuple(arg.value)
                continue
            verdict = credential_name(keyword)
            if verdict is None and keyword in catalog.SECRET_KEYWORDS:
                verdict = NameVerdict(role=catalog.SECRET_KEYWORDS[keyword], strength="strong")
            if verdict is not None:
                self._judge(arg.value, verdict, f"passed as a string literal to {short or 'a call'}", key=keyword, follow_constants=True)

    def _auth_tuple(self, value: cst.Tuple | cst.List) -> None:
        elements = value.elements
        if len(elements) == 2 and type(elements[1]) is not cst.StarredElement:
            self._judge(elements[1].value, _AUTH_TUPLE_ROLE, "passed as a string literal in an auth tuple", follow_constants=True)

    def _positional(self, node: cst.Call, short: str) -> None:
        slots = _positional_slots(self._info.call_name(node), short)
        if not slots:
            return
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        for index, role in slots:
            if index < len(positional):
                verdict = NameVerdict(role=role, strength="strong")
                self._judge(positional[index], verdict, f"passed as a string literal to {short}", follow_constants=True)

    def _env_lookup(self, node: cst.Call, short: str) -> None:
        qual = self._info.call_name(node) or ""
        slots = _env_slots(qual, short)
        if slots is None:
            return
        name_index, default_index = slots
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if name_index >= len(positional):
            return
        variable = _string_of(positional[name_index])
        verdict = credential_name(variable) if variable else None
        if verdict is None:
            return
        default = _keyword_value(node, "default")
        if default is None and 0 <= default_index < len(positional):
            default = positional[default_index]
        if default is None:
            return
        how = "written to an environment variable from a string literal" if short in ("setenv", "putenv") else "as the fallback value of an environment lookup"
        self._judge(default, verdict, how, key=variable)

    def _basic_pair(self, node: cst.Call) -> None:
        """``base64.b64encode(b"svc:<secret>")``: Basic credentials built from a literal pair."""
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if not positional:
            return
        found = self._literal(positional[0])
        if found is None:
            return
        literal, value = found
        user, sep, password = value.partition(":")
        if not sep or not user or " " in value or "/" in user:
            return
        confidence = secret_value_confidence(password, _AUTH_TUPLE_ROLE, key=user)
        if confidence is not None and id(literal) not in self._reported:
            self._emit(literal, "basic-auth credentials encoded from a string literal", confidence, value, password)

    def _option_default(self, node: cst.Call) -> None:
        """``parser.add_argument("--client-secret", default="...")`` / ``click.option(...)``."""
        default = _keyword_value(node, "default")
        if default is None:
            return
        for arg in node.args:
            flag = _string_of(arg.value) if arg.keyword is None else None
            verdict = credential_name(flag.lstrip("-")) if flag else None
            if verdict is not None:
                self._judge(default, verdict, "as the default value of a command-line option", key=flag)
                return

    # --- dict literals ------------------------------------------------------------------------

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if self._quiet_depth:
            return
        key = _string_of(node.key)
        if not key or not _DICT_KEY.match(key):
            return  # "AWS::ApiGateway::ApiKey" is a type name, not a field
        verdict = credential_name(key)
        if verdict is not None:
            self._judge(node.value, verdict, "stored in a dict literal", key=key, follow_constants=True)

    # --- strings: form bodies, query strings, URL passwords, Authorization literals -----------

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        raw = node.value
        if len(raw) < 12 or self._quiet_depth or id(node) in self._docstrings or id(node) in self._reported:
            return
        if "=" not in raw and "://" not in raw and " " not in raw:
            return
        value = _string_of(node)
        if value:
            self._scan_string(node, value)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if self._quiet_depth or id(node) in self._docstrings or id(node) in self._reported:
            return
        value = evaluate(node, None)
        text = value.text if isinstance(value, StringValue) else value if isinstance(value, str) else None
        if text and len(text) >= 10:
            self._scan_string(node, text)

    def _scan_string(self, node: cst.BaseExpression, value: str) -> None:
        if len(value) > 4096:
            return
        if "://" in value and "@" in value:
            self._url_password(node, value)
        if "=" in value and id(node) not in self._reported and not any(m in value for m in _REGEX_MARKERS):
            self._params(node, value)
        if " " in value and id(node) not in self._reported and _AUTH_SCHEMES.match(value):
            self._judge_authorization(node, value)

    def _url_password(self, node: cst.BaseExpression, value: str) -> None:
        for match in _URL_USERINFO.finditer(value):
            user, password = match.group(1), unquote_plus(match.group(2))
            verdict = NameVerdict(role="password", strength="strong")
            confidence = secret_value_confidence(password, verdict, key=user or None)
            if confidence is not None:
                self._emit(node, "password in the userinfo of a URL literal", confidence, password, match.group(2))
                return

    def _params(self, node: cst.BaseExpression, value: str) -> None:
        query = value.split("?", 1)[1] if "?" in value and "://" in value else value
        for part in _PARAM_SEPARATORS.split(query.split("#", 1)[0]):
            key, sep, raw = part.partition("=")
            key = key.strip()
            if not sep or not key or " " in key.strip() and not key.lower().startswith(("user id", "password")):
                continue
            verdict = credential_name(key)
            if verdict is None:
                continue
            secret = unquote_plus(raw.strip())
            confidence = secret_value_confidence(secret, verdict, key=key)
            if confidence is not None:
                self._emit(node, f"{verdict.role} in a form body or query string literal", confidence, secret, raw)
                return


def _alternatives(expr: cst.BaseExpression, depth: int = 0) -> list[cst.BaseExpression]:
    """The values an expression may take: both branches of ``a if c else b`` and the fallback of
    ``os.getenv("X") or "literal"`` are each a literal bound to the name."""
    if depth < 4 and type(expr) is cst.IfExp:
        return _alternatives(expr.body, depth + 1) + _alternatives(expr.orelse, depth + 1)
    if depth < 4 and type(expr) is cst.BooleanOperation and type(expr.operator) is cst.Or:
        return _alternatives(expr.left, depth + 1) + _alternatives(expr.right, depth + 1)
    return [expr]


def _target_name(target: cst.BaseExpression) -> str | None:
    """The name a value is bound to: ``x``, ``self.x`` -> ``x``, ``cfg["x"]`` -> ``x``."""
    if type(target) is cst.Name:
        return target.value
    if type(target) is cst.Attribute:
        return target.attr.value
    if type(target) is cst.Subscript and len(target.slice) == 1:
        index = target.slice[0].slice
        if type(index) is cst.Index:
            return _string_of(index.value)
    return None


def _keyword_value(node: cst.Call, keyword: str) -> cst.BaseExpression | None:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def _positional_slots(qual: str | None, short: str) -> Sequence[tuple[int, str]]:
    """Secret-carrying positional arguments of a resolved call (or of a well-known short name)."""
    if qual:
        if qual in catalog.SECRET_POSITIONAL_ARGS:
            return catalog.SECRET_POSITIONAL_ARGS[qual]
        head, last = qual.split(".", 1)[0], qual.rsplit(".", 1)[-1]
        for key, slots in catalog.SECRET_POSITIONAL_ARGS.items():
            # same top-level package and same final name: a deeper import path of the same class
            if key.rsplit(".", 1)[-1] == last and key.split(".", 1)[0] == head and "." in key:
                return slots
        if head in _KNOWN_TOP_LEVELS:
            return ()  # resolved to some other API of a package we know (requests_oauthlib.OAuth2Session)
    if short in catalog.SECRET_POSITIONAL_SHORT_NAMES:
        for key, slots in catalog.SECRET_POSITIONAL_ARGS.items():
            if key.rsplit(".", 1)[-1] == short:
                return slots
    return ()


_KNOWN_TOP_LEVELS = frozenset(key.split(".", 1)[0] for key in catalog.SECRET_POSITIONAL_ARGS if "." in key) | {
    "requests_oauthlib",
    "oauthlib",
}


def _env_slots(qual: str, short: str) -> tuple[int, int] | None:
    if qual in catalog.ENV_LOOKUPS:
        return catalog.ENV_LOOKUPS[qual]
    for key, slots in catalog.ENV_LOOKUPS.items():
        if qual.endswith("." + key):
            return slots
    if short in ("setenv", "putenv"):
        return (0, 1)  # monkeypatch.setenv("CLIENT_SECRET", "...") / os.putenv
    return None
