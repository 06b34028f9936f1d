"""Generate an "OAuth-dense" project: every module is OAuth 2.0 client-credentials client code.

    python benchmarks/oauth_dense.py /tmp/dense                 # 400 files, seed 7
    python benchmarks/oauth_dense.py /tmp/dense --files 600 --seed 11

This is corpus (c) of the benchmark (issue 7): the worst case for credlint, because nearly every file
contains the words our rule triggers look for, so the cheap byte prefilter lets almost everything through
to the libcst parse. The project looks like a company's integration monorepo: several services, each with
token acquisition in one of many styles (requests / httpx / aiohttp / urllib raw token POSTs, authlib,
msal, requests-oauthlib, httpx-auth), token caches, API call modules, settings modules, logging helpers,
CLIs, tests, plus dotenv / YAML / JSON / TOML config files.

Most code is correct (secrets from the environment, HTTPS, cached tokens refreshed early); a minority
carries the mistakes credlint looks for (literal secrets, logged tokens, plain HTTP, ``verify=False``,
wildcard scopes, a token per call, short refresh margins), roughly at the rate a real codebase would.
Secret values are random strings drawn from the seed, so they are fake yet look real to scanners.

Output is a pure function of ``(files, seed)``: same arguments, byte-identical files. The file count is
exact. Templates use ``<<name>>`` placeholders (not ``{}`` or ``%``) so generated f-strings and
logging format strings need no escaping.
"""

from __future__ import annotations

import argparse
import random
import re
import string
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

GENERATOR_VERSION = 1  # bump when the output changes, so cached corpora are rebuilt

# --- the world the project lives in ---------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """An authorization server and the API behind it."""

    key: str
    token_url: str
    api_base: str
    scopes: tuple[str, ...]


PROVIDERS: tuple[Provider, ...] = (
    Provider("aelix", "https://auth.aelix.digitalapi.ai/oauth2/token", "https://api.aelix.digitalapi.ai",
             ("banking:read", "banking:write", "payments:read", "payments:initiate", "identity:read", "webhooks:manage")),
    Provider("aelix_sandbox", "https://auth.aelix.digitalapi.ai/oauth2/token", "https://sandbox-api.aelix.digitalapi.ai",
             ("banking:read", "payments:read", "payments:write")),
    Provider("keycloak", "https://sso.corp.example.com/realms/integrations/protocol/openid-connect/token",
             "https://ledger.corp.example.com/api", ("ledger.read", "ledger.write")),
    Provider("auth0", "https://tenant.eu.auth0.com/oauth/token", "https://billing.example.io/v2",
             ("read:invoices", "write:invoices", "read:customers")),
    Provider("okta", "https://dev-123456.okta.com/oauth2/default/v1/token", "https://hr.example.org/api/v1",
             ("hr.employees.read", "hr.payroll.read")),
)

SERVICES: tuple[str, ...] = (
    "payments", "ledger", "billing", "reporting", "kyc", "treasury", "payouts", "statements", "webhooks",
    "reconciliation", "onboarding", "fx", "cards", "notifications", "risk", "invoices", "accounts", "audit",
)

RESOURCES: tuple[tuple[str, str], ...] = (
    ("accounts", "/v1/accounts"), ("balances", "/v1/accounts/{account_id}/balances"),
    ("transactions", "/v1/accounts/{account_id}/transactions"), ("payments", "/v1/payments"),
    ("customers", "/v1/identity/customers"), ("webhooks", "/v1/webhooks"), ("invoices", "/v2/invoices"),
    ("statements", "/v1/accounts/{account_id}/statements"),
)

PACKAGE = "acme_integrations"
_TOKEN_FN = ("fetch_token", "get_access_token", "acquire_token", "request_token", "obtain_token", "_fetch_token", "new_token")
_SECRET_ENV = ("CLIENT_SECRET", "OAUTH_CLIENT_SECRET", "AELIX_CLIENT_SECRET", "{svc}_CLIENT_SECRET", "API_CLIENT_SECRET")
_ID_ENV = ("CLIENT_ID", "OAUTH_CLIENT_ID", "AELIX_CLIENT_ID", "{svc}_CLIENT_ID", "API_CLIENT_ID")


def fill(template: str, **values: object) -> str:
    """Substitute ``<<name>>`` placeholders (a missing value is a generator bug: KeyError).

    A multi-line value continues at the indentation of the line it was placed on, so blocks nest
    without manual re-indenting; lines left holding only spaces (an empty optional docstring) go.
    """
    out = []
    for line in textwrap.dedent(template).strip("\n").split("\n"):
        lead = line[: len(line) - len(line.lstrip(" "))]
        line = re.sub(r"<<(\w+)>>", lambda m: _continue(str(values[m.group(1)]), lead), line)
        out.extend(part for part in line.split("\n") if part == "" or part.strip())
    return "\n".join(out)


def _continue(value: str, lead: str) -> str:
    """Indent the continuation lines of ``value`` by ``lead``; blank lines stay empty, except the last,
    which the rest of the template line continues."""
    first, *rest = value.split("\n")
    last = len(rest) - 1
    return "\n".join([first] + [lead + l if (l.strip() or i == last) else "" for i, l in enumerate(rest)])


def indent(text: str, levels: int = 1) -> str:
    return textwrap.indent(text, "    " * levels, lambda line: bool(line.strip()))


def random_secret(rng: random.Random, length: int = 40) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(length))


def fake_jwt(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    payload = "".join(rng.choice(alphabet) for _ in range(rng.randint(60, 120)))
    signature = "".join(rng.choice(alphabet) for _ in range(43))
    return f"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.{payload}.{signature}"


# --- per-file context ----------------------------------------------------------------------------


@dataclass
class Ctx:
    """Everything one generated file may vary on; blocks register the imports they need."""

    rng: random.Random
    service: str
    provider: Provider
    package: str
    imports: set[str] = field(default_factory=set)
    hints: bool = True
    docstrings: bool = True
    uses_logger: bool = False

    def need(self, *lines: str) -> None:
        self.imports.update(lines)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(list(options))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ret(self, annotation: str) -> str:
        return f" -> {annotation}" if self.hints else ""

    def ann(self, annotation: str) -> str:
        return f": {annotation}" if self.hints else ""

    def param(self, name: str, annotation: str, default: str) -> str:
        """A parameter with a default, spaced the way PEP 8 wants with and without an annotation."""
        return f"{name}: {annotation} = {default}" if self.hints else f"{name}={default}"

    def doc(self, text: str) -> str:
        """A docstring line (or nothing) for the body of a def/class."""
        return f'"""{text}"""\n' if self.docstrings else ""

    def env(self, pattern: str) -> str:
        return pattern.replace("{svc}", self.service.upper())

    def logger(self) -> str:
        self.need("import logging")
        self.uses_logger = True
        return "logger"

    def scopes(self, count: int | None = None) -> list[str]:
        pool = list(self.provider.scopes)
        n = count if count is not None else self.rng.randint(1, min(3, len(pool)))
        return self.rng.sample(pool, n)


# --- module-level constants -----------------------------------------------------------------------


def block_constants(c: Ctx) -> str:
    """TOKEN_URL, API_BASE, CLIENT_ID, CLIENT_SECRET, SCOPES, TIMEOUT with realistic variations."""
    c.need("import os")
    secret_env, id_env = c.env(c.pick(_SECRET_ENV)), c.env(c.pick(_ID_ENV))
    roll = c.rng.random()
    if roll < 0.62:
        secret = f'os.environ["{secret_env}"]'
    elif roll < 0.80:
        secret = f'os.getenv("{secret_env}", "")'
    elif roll < 0.86:
        secret = f'_read_secret("{c.service}/oauth/client-secret")'
    elif roll < 0.92:
        secret = f'"{c.pick(("YOUR_CLIENT_SECRET", "<client-secret>", "changeme", "${CLIENT_SECRET}"))}"'
    else:  # the mistake credlint exists for
        secret = f'"{random_secret(c.rng, c.rng.choice((32, 40, 48)))}"'
    roll = c.rng.random()
    if roll < 0.86:
        token_url = f'"{c.provider.token_url}"'
    elif roll < 0.92:
        token_url = f'os.environ.get("TOKEN_URL", "{c.provider.token_url}")'
    elif roll < 0.96:
        token_url = '"http://localhost:8080/oauth2/token"'
    else:
        token_url = f'"http://auth.{c.service}.internal/oauth2/token"'
    api_base = f'"{c.provider.api_base}"' if c.chance(0.8) else f'os.environ.get("API_BASE", "{c.provider.api_base}")'
    scopes = c.scopes() if c.chance(0.95) else [c.pick(("*", "admin", "full_access"))]
    scope_expr = repr(scopes) if c.chance(0.6) else repr(" ".join(scopes))
    lines = [
        f"TOKEN_URL = {token_url}",
        f"API_BASE = {api_base}",
        f'CLIENT_ID = os.environ.get("{id_env}", "{c.service}-integration")',
        f"CLIENT_SECRET = {secret}",
        f"SCOPES = {scope_expr}",
        f"TIMEOUT = {c.rng.choice((5, 10, 15, 30))}",
    ]
    if "_read_secret" in secret:
        c.need("import json", "import subprocess")
        helper = fill('''
            def _read_secret(name<<a_str>>)<<r_str>>:
                <<doc>>out = subprocess.run(["vault", "kv", "get", "-format=json", name], capture_output=True, check=True)
                return json.loads(out.stdout)["data"]["data"]["value"]
            ''', a_str=c.ann("str"), r_str=c.ret("str"), doc=c.doc("Read one value from Vault (the CLI handles auth)."))
        return helper + "\n\n\n" + "\n".join(lines)
    return "\n".join(lines)


# --- token acquisition styles ---------------------------------------------------------------------


def _form(c: Ctx, with_secret: bool = True) -> str:
    parts = ['"grant_type": "client_credentials"', '"client_id": CLIENT_ID']
    if with_secret:
        parts.append('"client_secret": CLIENT_SECRET')
    if c.chance(0.8):
        parts.append('"scope": " ".join(SCOPES) if isinstance(SCOPES, list) else SCOPES')
    return "{" + ", ".join(parts) + "}"


def _verify_kw(c: Ctx, name: str = "verify") -> str:
    roll = c.rng.random()
    if roll < 0.05:
        return f", {name}=False"
    if roll < 0.12:
        return f', {name}=os.environ.get("CA_BUNDLE", True)' if name == "verify" else ""
    return ""


def _token_log(c: Ctx, var: str, indent_levels: int = 1) -> str:
    """Usually a safe log line; sometimes the token itself (an OA201 true positive)."""
    log = c.logger()
    roll = c.rng.random()
    if roll < 0.06:
        line = f'{log}.debug("got access token %s", {var})'
    elif roll < 0.10 and var.isidentifier():
        line = f'{log}.info(f"token={{{var}}}")'
    elif roll < 0.40:
        line = f'{log}.info("access token acquired (%s...)", {var}[:4])'
    elif roll < 0.70:
        line = f'{log}.debug("access token acquired, %d chars", len({var}))'
    else:
        return ""
    return indent(line, indent_levels) + "\n"


def block_requests_token(c: Ctx, name: str) -> str:
    c.need("import requests")
    auth_style = c.rng.random()
    if auth_style < 0.35:
        call = f"requests.post(TOKEN_URL, data={_form(c, with_secret=False)}, auth=(CLIENT_ID, CLIENT_SECRET), timeout=TIMEOUT{_verify_kw(c)})"
    else:
        call = f"requests.post(\n        TOKEN_URL,\n        data={_form(c)},\n        timeout=TIMEOUT{_verify_kw(c)},\n    )"
    return fill('''
        def <<name>>()<<ret>>:
            <<doc>>response = <<call>>
            response.raise_for_status()
            payload = response.json()
            token = payload["access_token"]
        <<log>>    return token, int(payload.get("expires_in", 3600))
        ''', name=name, ret=c.ret("tuple[str, int]"), call=call, log=_token_log(c, "token"),
        doc=c.doc("Client-credentials grant against the authorization server."))


def block_session_token(c: Ctx, name: str) -> str:
    c.need("import requests")
    setup = "_session.verify = False\n" if c.chance(0.04) else ""
    retry = c.chance(0.5)
    if retry:
        c.need("from requests.adapters import HTTPAdapter", "from urllib3.util.retry import Retry")
        setup += f'_session.mount("https://", HTTPAdapter(max_retries=Retry(total={c.rng.randint(2, 5)}, backoff_factor=0.5)))\n'
    return fill('''
        _session = requests.Session()
        _session.headers.update({"Accept": "application/json", "User-Agent": "<<svc>>-client/<<ver>>"})
        <<setup>>

        def <<name>>()<<ret>>:
            <<doc>>resp = _session.post(TOKEN_URL, data=<<form>>, timeout=TIMEOUT)
            if resp.status_code != 200:
                raise RuntimeError(f"token endpoint returned {resp.status_code}: {resp.text[:200]}")
            body = resp.json()
        <<log>>    return body
        ''', svc=c.service, ver=f"{c.rng.randint(1, 4)}.{c.rng.randint(0, 20)}", setup=setup.rstrip("\n"), name=name,
        ret=c.ret("dict"), form=_form(c), log=_token_log(c, 'body["access_token"]'),
        doc=c.doc("POST the client-credentials form; returns the token response."))


def block_httpx_token(c: Ctx, name: str) -> str:
    c.need("import httpx")
    if c.chance(0.5):
        return fill('''
            def <<name>>()<<ret>>:
                <<doc>>with httpx.Client(timeout=TIMEOUT<<verify>>) as client:
                    r = client.post(TOKEN_URL, data=<<form>>)
                    r.raise_for_status()
                    data = r.json()
            <<log>>    return data["access_token"], data["expires_in"]
            ''', name=name, ret=c.ret("tuple[str, int]"), verify=_verify_kw(c), form=_form(c),
            log=_token_log(c, 'data["access_token"]'), doc=c.doc("Fetch a token with httpx."))
    return fill('''
        async def <<name>>(client<<ann>>)<<ret>>:
            <<doc>>r = await client.post(TOKEN_URL, data=<<form>>, headers={"Accept": "application/json"})
            r.raise_for_status()
            data = r.json()
        <<log>>    return data
        ''', name=name, ann=c.ann("httpx.AsyncClient"), ret=c.ret("dict"), form=_form(c),
        log=_token_log(c, 'data["access_token"]'), doc=c.doc("Fetch a token on a shared AsyncClient."))


def block_aiohttp_token(c: Ctx, name: str) -> str:
    c.need("import aiohttp")
    ssl = ", ssl=False" if c.chance(0.05) else ""
    return fill('''
        async def <<name>>(session<<ann>>)<<ret>>:
            <<doc>>form = <<form>>
            async with session.post(TOKEN_URL, data=form<<ssl>>) as resp:
                resp.raise_for_status()
                payload = await resp.json()
            token = payload["access_token"]
        <<log>>    return token, payload.get("expires_in", 3600)
        ''', name=name, ann=c.ann("aiohttp.ClientSession"), ret=c.ret("tuple[str, int]"), form=_form(c), ssl=ssl,
        log=_token_log(c, "token"), doc=c.doc("Client-credentials grant over aiohttp."))


def block_urllib_token(c: Ctx, name: str) -> str:
    c.need("import json", "import urllib.parse", "import urllib.request")
    context = ""
    if c.chance(0.06):
        c.need("import ssl")
        context = ", context=ssl._create_unverified_context()"
    return fill('''
        def <<name>>()<<ret>>:
            <<doc>>body = urllib.parse.urlencode(<<form>>).encode()
            request = urllib.request.Request(TOKEN_URL, data=body, method="POST")
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            with urllib.request.urlopen(request, timeout=TIMEOUT<<context>>) as resp:
                return json.loads(resp.read().decode("utf-8"))
        ''', name=name, ret=c.ret("dict"), form=_form(c), context=context, doc=c.doc("Standard library only."))


def block_authlib(c: Ctx, name: str) -> str:
    leeway = "" if c.chance(0.6) else f", leeway={c.pick(('30', '60', '90', '120'))}"
    if c.chance(0.6):
        c.need("from authlib.integrations.requests_client import OAuth2Session")
        return fill('''
            _client = OAuth2Session(
                CLIENT_ID,
                CLIENT_SECRET,
                scope=SCOPES,
                token_endpoint=TOKEN_URL,
                grant_type="client_credentials"<<leeway>>,
            )


            def <<name>>()<<ret>>:
                <<doc>>if not _client.token or _client.token.is_expired():
                    _client.fetch_token()
                return _client
            ''', leeway=leeway, name=name, ret=c.ret("OAuth2Session"), doc=c.doc("A session that renews its own token."))
    c.need("from authlib.integrations.httpx_client import AsyncOAuth2Client")
    return fill('''
        async def <<name>>()<<ret>>:
            <<doc>>client = AsyncOAuth2Client(CLIENT_ID, CLIENT_SECRET, scope=SCOPES, token_endpoint=TOKEN_URL<<leeway>>)
            await client.fetch_token(TOKEN_URL, grant_type="client_credentials")
            return client
        ''', leeway=leeway, name=name, ret=c.ret("AsyncOAuth2Client"), doc=c.doc("An httpx client with a token."))


def block_msal(c: Ctx, name: str) -> str:
    c.need("import msal")
    tenant = f"{c.rng.randint(10**7, 10**8 - 1):08x}-0000-4000-8000-{c.rng.randint(10**11, 10**12 - 1):012x}"
    per_call = c.chance(0.25)
    app = fill('''
        msal.ConfidentialClientApplication(
            CLIENT_ID,
            client_credential=CLIENT_SECRET,
            authority="https://login.microsoftonline.com/<<tenant>>",
        )
        ''', tenant=tenant)
    log = c.logger()
    if per_call:  # an app per call: no token cache survives (OA501)
        return fill('''
            def <<name>>()<<ret>>:
                <<doc>>app = <<app>>
                result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
                if "access_token" not in result:
                    <<log>>.error("token request failed: %s (%s)", result.get("error"), result.get("correlation_id"))
                    raise RuntimeError(result.get("error_description"))
                return result["access_token"]
            ''', name=name, ret=c.ret("str"), app=app, log=log, doc=c.doc("Token for Microsoft Graph."))
    return fill('''
        _app = <<app>>


        def <<name>>()<<ret>>:
            <<doc>>result = _app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
            if "access_token" not in result:
                <<log>>.error("token request failed: %s", result.get("error_description"))
                raise RuntimeError(result.get("error"))
            return result["access_token"]
        ''', app=app, name=name, ret=c.ret("str"), log=log, doc=c.doc("msal caches the token on the app object."))


def block_requests_oauthlib(c: Ctx, name: str) -> str:
    c.need("from oauthlib.oauth2 import BackendApplicationClient", "from requests_oauthlib import OAuth2Session")
    refresh = ", auto_refresh_url=TOKEN_URL" if c.chance(0.2) else ""
    return fill('''
        def <<name>>()<<ret>>:
            <<doc>>client = BackendApplicationClient(client_id=CLIENT_ID, scope=SCOPES)
            session = OAuth2Session(client=client<<refresh>>)
            session.fetch_token(token_url=TOKEN_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET<<verify>>)
            return session
        ''', name=name, ret=c.ret("OAuth2Session"), refresh=refresh, verify=_verify_kw(c),
        doc=c.doc("requests-oauthlib backend application flow."))


def block_httpx_auth(c: Ctx, name: str) -> str:
    c.need("import httpx", "import httpx_auth")
    early = "" if c.chance(0.5) else f", early_expiry={c.pick(('30', '60', '90'))}"
    return fill('''
        _auth = httpx_auth.OAuth2ClientCredentials(
            TOKEN_URL,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            scope=SCOPES<<early>>,
        )


        def <<name>>()<<ret>>:
            <<doc>>return httpx.Client(auth=_auth, base_url=API_BASE, timeout=TIMEOUT)
        ''', early=early, name=name, ret=c.ret("httpx.Client"), doc=c.doc("An httpx client that renews its token."))


RAW_TOKEN_BLOCKS: tuple[Callable[[Ctx, str], str], ...] = (
    block_requests_token, block_session_token, block_httpx_token, block_aiohttp_token, block_urllib_token,
)
LIBRARY_BLOCKS: tuple[Callable[[Ctx, str], str], ...] = (block_authlib, block_msal, block_requests_oauthlib, block_httpx_auth)


# --- caches ---------------------------------------------------------------------------------------


def block_token_cache(c: Ctx, fetch: str) -> str:
    c.need("import threading", "import time")
    margin = c.pick(("60", "60", "90", "120", "30", "0")) if c.chance(0.9) else "REFRESH_MARGIN"
    prelude = f"REFRESH_MARGIN = {c.pick(('60', '30', '120'))}\n\n\n" if margin == "REFRESH_MARGIN" else ""
    cls = c.pick(("TokenCache", "TokenProvider", "AccessTokenCache", "CachedToken"))
    return prelude + fill('''
        class <<cls>>:
            <<doc>>def __init__(self)<<rnone>>:
                self._lock = threading.Lock()
                self._token<<opt_str>> = None
                self._expires_at = 0.0

            def get(self)<<rstr>>:
                with self._lock:
                    if self._token is None or time.monotonic() >= self._expires_at - <<margin>>:
                        token, expires_in = <<fetch>>()
                        self._token = token
                        self._expires_at = time.monotonic() + expires_in
                    return self._token

            def invalidate(self)<<rnone>>:
                with self._lock:
                    self._token = None


        _cache = <<cls>>()
        ''', cls=cls, doc=c.doc("Caches the access token; refreshes it shortly before expiry."), rnone=c.ret("None"),
        opt_str=c.ann("str | None"), rstr=c.ret("str"), margin=margin, fetch=fetch)


def block_global_cache(c: Ctx, fetch: str) -> str:
    c.need("import time")
    if c.chance(0.3):  # cached forever: no expiry check (OA502)
        c.need("import functools")
        return fill('''
            @functools.lru_cache(maxsize=1)
            def cached_token()<<ret>>:
                <<doc>>token, _ = <<fetch>>()
                return token
            ''', ret=c.ret("str"), fetch=fetch, doc=c.doc("The token, fetched once per process."))
    return fill('''
        _TOKEN<<ann>> = None
        _EXPIRES_AT = 0.0


        def cached_token()<<ret>>:
            <<doc>>global _TOKEN, _EXPIRES_AT
            if _TOKEN is None or time.time() > _EXPIRES_AT - <<margin>>:
                _TOKEN, lifetime = <<fetch>>()
                _EXPIRES_AT = time.time() + lifetime
            return _TOKEN
        ''', ann=c.ann("str | None"), ret=c.ret("str"), fetch=fetch, margin=c.pick(("60", "60", "120", "10")),
        doc=c.doc("Module-level token cache."))


# --- API calls ------------------------------------------------------------------------------------


def _path_call(path: str) -> tuple[str, str]:
    """(f-string URL, parameter list) for a resource path with ``{account_id}`` holes."""
    params = "account_id" if "{account_id}" in path else ""
    return f'f"{{API_BASE}}{path}"', params


def block_api_calls(c: Ctx, token_expr: str) -> str:
    c.need("import requests")
    out = []
    for resource, path in c.rng.sample(list(RESOURCES), c.rng.randint(2, 4)):
        url, params = _path_call(path)
        sig = f"{params}{c.ann('str')}" if params else ""
        if resource in ("payments", "webhooks") and c.chance(0.5):
            out.append(fill('''
                def create_<<res>>(<<sig_comma>>body<<ann>>)<<ret>>:
                    <<doc>>headers = {"Authorization": f"Bearer {<<tok>>}", "Idempotency-Key": body.get("reference", "")}
                    resp = requests.post(<<url>>, json=body, headers=headers, timeout=TIMEOUT)
                    resp.raise_for_status()
                    return resp.json()
                ''', res=resource.rstrip("s"), sig_comma=(sig + ", ") if sig else "", ann=c.ann("dict"), ret=c.ret("dict"),
                doc=c.doc(f"Create one {resource.rstrip('s')}."), tok=token_expr, url=url))
            continue
        paginate = c.chance(0.4)
        if paginate:
            out.append(fill('''
                def list_<<res>>(<<sig>>)<<ret>>:
                    <<doc>>url = <<url>>
                    items = []
                    while url:
                        resp = requests.get(url, headers={"Authorization": f"Bearer {<<tok>>}"}, params={"limit": <<limit>>}, timeout=TIMEOUT)
                        resp.raise_for_status()
                        page = resp.json()
                        items.extend(page.get("data", []))
                        url = page.get("next")
                    return items
                ''', res=resource, sig=sig, ret=c.ret("list[dict]"), doc=c.doc(f"All {resource}, page by page."),
                url=url, tok=token_expr, limit=c.pick(("50", "100", "200"))))
        else:
            out.append(fill('''
                def get_<<res>>(<<sig>>)<<ret>>:
                    <<doc>>resp = requests.get(
                        <<url>>,
                        headers={"Authorization": "Bearer " + <<tok>>, "Accept": "application/json"},
                        timeout=TIMEOUT,
                    )
                    resp.raise_for_status()
                    return resp.json()["data"]
                ''', res=resource, sig=sig, ret=c.ret("list[dict]"), doc=c.doc(f"The {resource} visible to this client."),
                url=url, tok=token_expr))
    return "\n\n\n".join(out)


def block_client_class(c: Ctx, token_expr: str) -> str:
    """The SDK style: one class, a private _request that adds the bearer header, a method per resource."""
    c.need("import requests")
    log = c.logger()
    cls = f"{c.service.title().replace('_', '')}{c.pick(('Client', 'API', 'Gateway', 'Service'))}"
    methods = []
    for resource, path in c.rng.sample(list(RESOURCES), c.rng.randint(2, 5)):
        params = "account_id" if "{account_id}" in path else ""
        sig = f", {params}{c.ann('str')}" if params else ""
        method = "POST" if resource in ("payments", "webhooks") and c.chance(0.4) else "GET"
        body = ", json=body" if method == "POST" else ""
        sig += f", body{c.ann('dict')}" if method == "POST" else ""
        verb = "create" if method == "POST" else "list"
        methods.append(fill('''
            def <<verb>>_<<res>>(self<<sig>>)<<ret>>:
                <<doc>>return self._request("<<method>>", f"<<path>>"<<body>>)
            ''', verb=verb, res=resource, sig=sig, ret=c.ret("dict"), doc=c.doc(f"{verb.title()} {resource}."), method=method,
            path=path, body=body))
    auth_header = c.pick((f'f"Bearer {{{token_expr}}}"', f'"Bearer " + {token_expr}'))
    return fill('''
        class <<cls>>:
            <<doc>>def __init__(self, <<p_base>>, <<p_timeout>>)<<rnone>>:
                self._base_url = base_url.rstrip("/")
                self._timeout = timeout
                self._session = requests.Session()
                self._session.headers["Accept"] = "application/json"

            def _request(self, method<<s>>, path<<s>>, **kwargs)<<rdict>>:
                headers = {"Authorization": <<auth>>}
                resp = self._session.request(method, self._base_url + path, headers=headers, timeout=self._timeout, **kwargs)
                if resp.status_code == 401:
                    <<log>>.warning("401 from %s %s; token rejected", method, path)
                resp.raise_for_status()
                return resp.json() if resp.content else {}

            <<methods>>

            def close(self)<<rnone>>:
                self._session.close()
        ''', cls=cls, doc=c.doc(f"Thin client for the {c.service} API."), s=c.ann("str"),
        p_base=c.param("base_url", "str", "API_BASE"), p_timeout=c.param("timeout", "float", "TIMEOUT"), rnone=c.ret("None"),
        rdict=c.ret("dict"), auth=auth_header, log=log, methods="\n\n".join(methods))


def block_api_per_call(c: Ctx, fetch: str) -> str:
    """A token request inside a loop or per API call (OA501), or done right through the cache."""
    c.need("import requests")
    log = c.logger()
    if c.chance(0.5):
        return fill('''
            def sync_accounts(account_ids<<ann>>)<<ret>>:
                <<doc>>for account_id in account_ids:
                    token, _ = <<fetch>>()
                    resp = requests.get(f"{API_BASE}/v1/accounts/{account_id}", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
                    if resp.status_code == 404:
                        <<log>>.warning("account %s vanished", account_id)
                        continue
                    resp.raise_for_status()
            ''', ann=c.ann("list[str]"), ret=c.ret("None"), fetch=fetch, log=log, doc=c.doc("Refresh every account."))
    return fill('''
        def account_balance(account_id<<ann>>)<<ret>>:
            <<doc>>token, _ = <<fetch>>()
            resp = requests.get(f"{API_BASE}/v1/accounts/{account_id}/balances", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
            resp.raise_for_status()
            return float(resp.json()["available"]["amount"])
        ''', ann=c.ann("str"), ret=c.ret("float"), fetch=fetch, doc=c.doc("Available balance of one account."))


# --- supporting code (OAuth-adjacent, mostly harmless) ---------------------------------------------


def block_models(c: Ctx) -> str:
    c.need("from dataclasses import dataclass, field", "from decimal import Decimal")
    names = c.rng.sample(["Account", "Payment", "Transaction", "Balance", "Webhook", "Invoice", "Customer", "Statement"], 2)
    out = []
    for name in names:
        fields = c.rng.sample(["id: str", "currency: str = \"EUR\"", "amount: Decimal = Decimal(\"0\")", "status: str = \"pending\"",
                               "created_at: str = \"\"", "reference: str = \"\"", "metadata: dict = field(default_factory=dict)"], 4)
        fields.sort(key=lambda f: "=" in f)
        body = "\n".join(fields)
        out.append(fill('''
            @dataclass
            class <<name>>:
                <<doc>><<fields>>

                @classmethod
                def from_api(cls, data<<ann>>)<<ret>>:
                    known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
                    return cls(**known)
            ''', name=name, doc=c.doc(f"One {name.lower()} as returned by the API."), fields=body,
            ann=c.ann("dict"), ret=c.ret(f'"{name}"')))
    return "\n\n\n".join(out)


def block_retry(c: Ctx) -> str:
    c.need("import functools", "import random", "import time")
    log = c.logger()
    return fill('''
        def with_retries(<<p_attempts>>, <<p_delay>>):
            <<doc>>def decorate(func):
                @functools.wraps(func)
                def wrapper(*args, **kwargs):
                    for attempt in range(1, attempts + 1):
                        try:
                            return func(*args, **kwargs)
                        except (ConnectionError, TimeoutError) as exc:
                            if attempt == attempts:
                                raise
                            delay = base_delay * 2 ** attempt + random.random()
                            <<log>>.warning("%s failed (%s); retry %d in %.1fs", func.__name__, exc, attempt, delay)
                            time.sleep(delay)
                return wrapper
            return decorate
        ''', p_attempts=c.param("attempts", "int", str(c.rng.randint(2, 6))),
        p_delay=c.param("base_delay", "float", c.pick(("0.2", "0.5", "1.0"))), log=log,
        doc=c.doc("Retry transient network errors with exponential backoff."))


def block_log_helpers(c: Ctx) -> str:
    log = c.logger()
    masked = c.chance(0.8)
    body = (
        'safe = {k: ("***" if k.lower() in ("authorization", "cookie") else v) for k, v in headers.items()}\n'
        f'{log}.debug("request %s %s headers=%s", method, url, safe)'
        if masked else
        f'{log}.debug("request %s %s headers=%s", method, url, headers)'
    )
    return fill('''
        def log_request(method<<s>>, url<<s>>, headers<<d>>)<<rnone>>:
            <<doc>><<body>>


        def log_response(status<<i>>, elapsed_ms<<f>>)<<rnone>>:
            <<log>>.info("response status=%d elapsed=%.1fms", status, elapsed_ms)
        ''', s=c.ann("str"), d=c.ann("dict"), i=c.ann("int"), f=c.ann("float"), rnone=c.ret("None"),
        doc=c.doc("Debug log of an outgoing request."), body=body, log=log)


def block_cli(c: Ctx, token_call: str) -> str:
    c.need("import argparse", "import sys")
    return fill('''
        def main(<<p_argv>>)<<ret>>:
            <<doc>>parser = argparse.ArgumentParser(description="<<svc>> maintenance tasks")
            parser.add_argument("--dry-run", action="store_true")
            parser.add_argument("--limit", type=int, default=<<limit>>)
            args = parser.parse_args(argv)
            token = <<call>>
            if args.dry_run:
                print("would sync", args.limit, "records with a token of", len(token), "chars")
                return 0
            return 0


        if __name__ == "__main__":
            sys.exit(main())
        ''', p_argv=c.param("argv", "list[str] | None", "None"), ret=c.ret("int"), doc=c.doc("Entry point."), svc=c.service,
        limit=c.rng.randint(10, 500), call=token_call)


def block_settings(c: Ctx) -> str:
    c.need("import os", "from dataclasses import dataclass, field")
    secret_default = ""
    if c.chance(0.06):
        secret_default = random_secret(c.rng)
    elif c.chance(0.2):
        secret_default = c.pick(("change-me", "YOUR_CLIENT_SECRET", "<set in vault>"))
    margin = c.pick(("60", "60", "120", "30"))
    return fill('''
        @dataclass(frozen=True)
        class OAuthSettings:
            <<doc>>client_id: str
            client_secret: str = field(repr=False)
            token_url: str = "<<token_url>>"
            api_base: str = "<<api_base>>"
            scopes: tuple = <<scopes>>
            refresh_margin_seconds: int = <<margin>>
            timeout_seconds: float = <<timeout>>

            @classmethod
            def from_env(cls, <<p_prefix>>)<<ret>>:
                return cls(
                    client_id=os.environ[prefix + "CLIENT_ID"],
                    client_secret=os.environ.get(prefix + "CLIENT_SECRET", "<<secret_default>>"),
                    token_url=os.environ.get(prefix + "TOKEN_URL", cls.token_url),
                )
        ''', doc=c.doc("OAuth client settings, read from the environment."), token_url=c.provider.token_url,
        api_base=c.provider.api_base, scopes=repr(tuple(c.scopes())), margin=margin, timeout=c.pick(("5.0", "10.0", "30.0")),
        p_prefix=c.param("prefix", "str", f'"{c.service.upper()}_"'), ret=c.ret('"OAuthSettings"'), secret_default=secret_default)


def block_webhook_handler(c: Ctx) -> str:
    c.need("import hashlib", "import hmac", "import json", "import os")
    log = c.logger()
    return fill('''
        WEBHOOK_SECRET = os.environ.get("<<svc>>_WEBHOOK_SECRET", "").encode()


        def verify_signature(payload<<b>>, signature<<s>>)<<rbool>>:
            <<doc>>expected = hmac.new(WEBHOOK_SECRET, payload, hashlib.sha256).hexdigest()
            return hmac.compare_digest(expected, signature)


        def handle_event(payload<<b>>, signature<<s>>)<<rdict>>:
            if not verify_signature(payload, signature):
                <<log>>.warning("rejected webhook with a bad signature")
                raise PermissionError("bad signature")
            event = json.loads(payload)
            <<log>>.info("webhook %s for %s", event.get("type"), event.get("resource_id"))
            return event
        ''', svc=c.service.upper(), b=c.ann("bytes"), s=c.ann("str"), rbool=c.ret("bool"), rdict=c.ret("dict"),
        doc=c.doc("HMAC-SHA256 signature check (constant time)."), log=log)


def block_debug_switch(c: Ctx) -> str:
    c.need("import logging", "import os")
    if c.chance(0.25):
        c.need("import http.client")
        return fill('''
            if os.environ.get("HTTP_DEBUG"):
                http.client.HTTPConnection.debuglevel = 1
                logging.getLogger("urllib3").setLevel(logging.DEBUG)
            ''')
    return fill('''
        if os.environ.get("LOG_LEVEL", "INFO").upper() == "DEBUG":
            logging.basicConfig(level=logging.DEBUG)
            logging.getLogger("<<lib>>").setLevel(logging.<<level>>)
        ''', lib=c.pick(("requests_oauthlib", "urllib3", "httpx")), level=c.pick(("DEBUG", "WARNING", "INFO")))


# --- file kinds -----------------------------------------------------------------------------------


def _assemble(c: Ctx, title: str, blocks: list[str]) -> str:
    header = f'"""{title}"""\n\nfrom __future__ import annotations\n' if c.docstrings or c.chance(0.5) else "from __future__ import annotations\n"
    by_module = lambda line: (line.split()[1], line)  # isort's order: by module, "import" and "from" mixed
    stdlib = sorted((i for i in c.imports if _is_stdlib_import(i)), key=by_module)
    third = sorted((i for i in c.imports if not _is_stdlib_import(i)), key=by_module)
    parts = [header]
    if stdlib:
        parts.append("\n".join(stdlib) + "\n")
    if third:
        parts.append("\n".join(third) + "\n")
    if c.uses_logger:
        parts.append(f"logger = logging.getLogger({c.pick(('__name__', repr(c.package + '.' + c.service)))})\n")
    text = "\n".join(parts) + "\n\n" + "\n\n\n".join(b for b in blocks if b.strip()) + "\n"
    return text


_STDLIB_ROOTS = frozenset({"argparse", "dataclasses", "decimal", "functools", "hashlib", "hmac", "http", "json", "logging", "os",
                           "random", "ssl", "subprocess", "sys", "threading", "time", "urllib", "asyncio", "typing"})


def _is_stdlib_import(line: str) -> bool:
    module = line.split()[1]
    return module.split(".")[0] in _STDLIB_ROOTS


def python_client(c: Ctx) -> str:
    """Token acquisition + (often) cache + API calls, the core OAuth-dense shape."""
    fetch = c.pick(_TOKEN_FN)
    blocks = [block_constants(c)]
    raw = c.chance(0.65)
    if raw:
        style = c.pick(list(RAW_TOKEN_BLOCKS))  # type: ignore[arg-type]
        blocks.append(style(c, fetch))  # type: ignore[operator]
        # caches and per-call shapes need a synchronous fetch returning (token, expires_in)
        if style is block_requests_token or (style is block_httpx_token and "async def" not in blocks[-1]):
            roll = c.rng.random()
            if roll < 0.5:
                blocks.append(block_token_cache(c, fetch))
                blocks.append((block_api_calls if c.chance(0.5) else block_client_class)(c, "_cache.get()"))
            elif roll < 0.75:
                blocks.append(block_global_cache(c, fetch))
                blocks.append((block_api_calls if c.chance(0.5) else block_client_class)(c, "cached_token()"))
            else:
                blocks.append(block_api_per_call(c, fetch))
    else:
        lib = c.pick(list(LIBRARY_BLOCKS))  # type: ignore[arg-type]
        blocks.append(lib(c, fetch))  # type: ignore[operator]
        if lib is block_msal:
            blocks.append((block_api_calls if c.chance(0.5) else block_client_class)(c, f"{fetch}()"))
        elif lib is block_requests_oauthlib or "OAuth2Session(" in blocks[-1]:
            blocks.append(block_client_class(c, f"{fetch}().token['access_token']"))
    for block, p in ((block_models, 0.35), (block_retry, 0.35), (block_log_helpers, 0.25), (block_webhook_handler, 0.1)):
        if c.chance(p):
            blocks.append(block(c))
    if c.chance(0.2):
        blocks.append(block_debug_switch(c))
    return _assemble(c, f"{c.service.title()} API client ({c.provider.key}).", blocks)


def python_api_module(c: Ctx) -> str:
    """API calls with the token from another module's cache."""
    c.need(f"from {c.package}.{c.service}.auth import cached_token")
    c.need("import os")
    blocks = [fill('''
        API_BASE = os.environ.get("API_BASE", "<<base>>")
        TIMEOUT = <<t>>
        ''', base=c.provider.api_base, t=c.rng.choice((5, 10, 20)))]
    blocks.append((block_api_calls if c.chance(0.6) else block_client_class)(c, "cached_token()"))
    if c.chance(0.6):
        blocks.append(block_models(c))
    if c.chance(0.3):
        blocks.append(block_log_helpers(c))
    return _assemble(c, f"{c.service.title()} resources.", blocks)


def python_settings(c: Ctx) -> str:
    blocks = [block_settings(c)]
    if c.chance(0.5):
        blocks.append(block_debug_switch(c))
    return _assemble(c, f"Settings for the {c.service} integration.", blocks)


def python_support(c: Ctx) -> str:
    options = [block_models, block_retry, block_log_helpers, block_webhook_handler]
    chosen = c.rng.sample(options, c.rng.randint(2, 4))
    return _assemble(c, f"{c.service.title()} helpers.", [b(c) for b in chosen])


def python_cli(c: Ctx) -> str:
    fetch = c.pick(_TOKEN_FN)
    blocks = [block_constants(c), block_requests_token(c, fetch), block_cli(c, f"{fetch}()[0]")]
    return _assemble(c, f"Command line tools for {c.service}.", blocks)


def python_test(c: Ctx) -> str:
    c.need("import pytest")
    token = fake_jwt(c.rng) if c.chance(0.5) else c.pick(("test-token", "fake-access-token", "dummy"))
    secret = c.pick(("test-secret", "not-a-real-secret", "dummy"))
    return _assemble(c, f"Tests for the {c.service} client.", [fill('''
        FAKE_TOKEN = "<<token>>"


        class FakeResponse:
            def __init__(self, payload, status_code=200):
                self._payload = payload
                self.status_code = status_code
                self.text = str(payload)

            def json(self):
                return self._payload

            def raise_for_status(self):
                if self.status_code >= 400:
                    raise RuntimeError(self.status_code)


        @pytest.fixture
        def token_response():
            return FakeResponse({"access_token": FAKE_TOKEN, "token_type": "Bearer", "expires_in": 3600, "scope": "<<scope>>"})


        def test_token_is_cached(monkeypatch, token_response):
            calls = []
            monkeypatch.setenv("<<svc>>_CLIENT_SECRET", "<<secret>>")
            monkeypatch.setattr("requests.post", lambda *a, **k: calls.append(a) or token_response)
            assert token_response.json()["access_token"] == FAKE_TOKEN
            assert len(calls) <= 1


        @pytest.mark.parametrize("status", [400, 401, 500])
        def test_errors_raise(status):
            with pytest.raises(RuntimeError):
                FakeResponse({}, status_code=status).raise_for_status()
        ''', token=token, scope=" ".join(c.scopes()), svc=c.service.upper(), secret=secret)])


def python_init(c: Ctx) -> str:
    return f'"""{c.service.title()} integration."""\n\n__all__ = ["client", "settings"]\n'


def config_env(c: Ctx) -> str:
    prefix = c.service.upper()
    roll = c.rng.random()
    secret = random_secret(c.rng) if roll < 0.15 else ("" if roll < 0.5 else c.pick(("changeme", "${VAULT_SECRET}", "<secret>")))
    lines = [
        f"# {c.service} integration",
        f"{prefix}_CLIENT_ID={c.service}-integration",
        f"{prefix}_CLIENT_SECRET={secret}",
        f"{prefix}_TOKEN_URL={c.provider.token_url}",
        f"{prefix}_SCOPES=\"{' '.join(c.scopes())}\"",
        f"LOG_LEVEL={c.pick(('INFO', 'DEBUG', 'WARNING'))}",
        f"HTTP_TIMEOUT={c.rng.randint(5, 30)}",
    ]
    if c.chance(0.05):
        lines.append("REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt")
    return "\n".join(lines) + "\n"


def config_yaml(c: Ctx) -> str:
    if c.chance(0.5):
        secret = "${CLIENT_SECRET}" if c.chance(0.85) else random_secret(c.rng)
        scopes = "\n".join(f"    - {s}" for s in c.scopes())
        return fill('''
            service:
              name: <<svc>>
              replicas: <<r>>
            oauth:
              token_url: <<url>>
              client_id: <<svc>>-integration
              client_secret: "<<secret>>"
              scopes:
            <<scopes>>
              refresh_margin_seconds: <<margin>>
            api:
              base_url: <<base>>
              timeout_seconds: <<t>>
              verify_tls: <<verify>>
            ''', svc=c.service, r=c.rng.randint(1, 6), url=c.provider.token_url, secret=secret, scopes=scopes,
            margin=c.pick(("60", "120", "30")), base=c.provider.api_base, t=c.rng.randint(5, 30),
            verify=c.pick(("true", "true", "true", "false"))) + "\n"
    return fill('''
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: <<svc>>-worker
          labels:
            app: <<svc>>
        spec:
          replicas: <<r>>
          template:
            spec:
              containers:
                - name: worker
                  image: registry.example.com/<<svc>>:<<ver>>
                  env:
                    - name: CLIENT_ID
                      value: <<svc>>-integration
                    - name: CLIENT_SECRET
                      valueFrom:
                        secretKeyRef:
                          name: <<svc>>-oauth
                          key: client-secret
                    - name: TOKEN_URL
                      value: <<url>>
        ''', svc=c.service, r=c.rng.randint(1, 6), ver=f"1.{c.rng.randint(0, 40)}.{c.rng.randint(0, 9)}", url=c.provider.token_url) + "\n"


def config_json(c: Ctx) -> str:
    import json

    doc = {
        "service": c.service,
        "oauth": {"tokenUrl": c.provider.token_url, "clientId": f"{c.service}-integration", "scopes": c.scopes(),
                  "clientSecret": "" if c.chance(0.9) else random_secret(c.rng)},
        "api": {"baseUrl": c.provider.api_base, "timeoutSeconds": c.rng.randint(5, 30)},
        "logging": {"level": c.pick(("info", "debug"))},
    }
    return json.dumps(doc, indent=2) + "\n"


def config_toml(c: Ctx) -> str:
    return fill('''
        [oauth]
        token_url = "<<url>>"
        client_id = "<<svc>>-integration"
        scopes = [<<scopes>>]
        refresh_margin_seconds = <<margin>>

        [api]
        base_url = "<<base>>"
        timeout = <<t>>
        ''', url=c.provider.token_url, svc=c.service, scopes=", ".join(f'"{s}"' for s in c.scopes()),
        margin=c.pick(("60", "30", "120")), base=c.provider.api_base, t=c.rng.randint(5, 30)) + "\n"


# (kind, weight, writer, path pattern); weights sum to 100 for readability.
FILE_KINDS: tuple[tuple[str, int, Callable[[Ctx], str], str], ...] = (
    ("client", 34, python_client, "src/{pkg}/{svc}/{name}.py"),
    ("api", 16, python_api_module, "src/{pkg}/{svc}/{name}.py"),
    ("settings", 7, python_settings, "src/{pkg}/{svc}/{name}.py"),
    ("support", 12, python_support, "src/{pkg}/{svc}/{name}.py"),
    ("cli", 5, python_cli, "scripts/{svc}_{name}.py"),
    ("test", 10, python_test, "tests/{svc}/test_{name}.py"),
    ("init", 3, python_init, "src/{pkg}/{svc}/{name}.py"),
    ("env", 4, config_env, "deploy/{svc}/{name}.env"),
    ("yaml", 5, config_yaml, "deploy/{svc}/{name}.yaml"),
    ("json", 2, config_json, "config/{svc}/{name}.json"),
    ("toml", 2, config_toml, "config/{svc}/{name}.toml"),
)

_NAME_WORDS = {
    "client": ("client", "auth", "oauth", "token_client", "gateway", "connector", "session"),
    "api": ("api", "resources", "endpoints", "calls", "sync", "fetchers"),
    "settings": ("settings", "config", "conf", "oauth_settings"),
    "support": ("models", "helpers", "util", "webhooks", "retry", "logging_utils"),
    "cli": ("sync", "backfill", "export", "rotate_check", "smoke"),
    "test": ("client", "auth", "api", "token_cache", "settings"),
    "init": ("__init__",),
    "env": ("dev", "staging", "prod", "local", "example"),
    "yaml": ("values", "config", "deployment", "worker", "cronjob"),
    "json": ("appsettings", "config", "client"),
    "toml": ("oauth", "client", "settings"),
}


def _unique_path(pattern: str, svc: str, base: str, used: set[str]) -> str:
    for attempt in range(1, 10_000):
        name = base if attempt == 1 else f"{base}{'_' if base[-1:].isalnum() else ''}{attempt}"
        path = pattern.format(pkg=PACKAGE, svc=svc, name=name)
        if path not in used:
            return path
    raise RuntimeError(f"no free name for {pattern}")  # pragma: no cover - 10k files per service


def plan(files: int, seed: int) -> list[tuple[str, str, str, int]]:
    """(path, kind, service, per-file seed) of every file: exactly ``files`` of them, paths unique."""
    rng = random.Random(seed)
    kinds = [k for k, w, _, _ in FILE_KINDS for _ in range(w)]
    patterns = {k: p for k, _, _, p in FILE_KINDS}
    used: set[str] = set()
    out: list[tuple[str, str, str, int]] = []
    while len(out) < files:
        kind = rng.choice(kinds)
        svc = rng.choice(SERVICES)
        base = rng.choice(_NAME_WORDS[kind])
        if kind == "init" and patterns[kind].format(pkg=PACKAGE, svc=svc, name=base) in used:
            kind, base = "support", "compat"  # one __init__ per package
        path = _unique_path(patterns[kind], svc, base, used)
        used.add(path)
        out.append((path, kind, svc, rng.randrange(2**32)))
    return out


def render(kind: str, service: str, file_seed: int) -> str:
    """The text of one file; depends only on its kind, service and seed."""
    rng = random.Random(file_seed)
    provider = PROVIDERS[SERVICES.index(service) % len(PROVIDERS)] if rng.random() < 0.8 else rng.choice(PROVIDERS)
    c = Ctx(rng=rng, service=service, provider=provider, package=PACKAGE, hints=rng.random() < 0.75,
            docstrings=rng.random() < 0.8)
    writer = {k: w for k, _, w, _ in FILE_KINDS}[kind]
    return writer(c)


def generate(directory: str | Path, files: int = 400, seed: int = 7) -> list[str]:
    """Write the project into ``directory``; returns the relative paths written (sorted)."""
    root = Path(directory)
    written = []
    for path, kind, service, file_seed in plan(files, seed):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(kind, service, file_seed), encoding="utf-8")
        written.append(path)
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.files < 1:
        parser.error("--files must be at least 1")
    written = generate(args.directory, args.files, args.seed)
    print(f"{len(written)} files written to {args.directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
