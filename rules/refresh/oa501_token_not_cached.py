"""OA501 token-not-cached: a new access token is requested for every API call."""

from __future__ import annotations

import libcst as cst

from checker.model import Confidence, Example, Severity
from checker.pyrule import PythonRule
from rules._analysis.clients import (
    ClientModel,
    Function,
    child_nodes,
    client_model,
    tokenish,
)
from rules._analysis.imports import dotted_name
from rules._analysis.lifecycle import (
    Acquisition,
    Lifecycle,
    Summary,
    guarded,
    handler_kind,
    is_auth_flow,
    is_cached,
    is_retry_loop,
    is_test_function,
    lifecycle,
)

_ONE_SHOT = frozenset({"main", "run", "cli", "setup", "bootstrap", "init", "initialize", "initialise", "login", "authenticate", "connect", "start", "__init__", "__post_init__", "__enter__", "__aenter__", "configure", "refresh", "_refresh", "refresh_token", "_refresh_token", "renew", "_renew", "reauthenticate"})
_HANDLER_WORDING = {"route": "every request this route handles", "view": "every request this view handles", "task": "every run of this task", "lambda": "every invocation of this handler"}


class TokenNotCached(PythonRule):
    """
    ## What it does
    Reports code that asks the token endpoint for a new access token every time it calls the API:

    - token acquisition (a raw token POST, `fetch_token()`, requests-oauth2client
      `client_credentials()`, google-auth `credentials.refresh(Request())`, or a call to a function
      that always does one of these) in the same function that makes the API request,
      unconditionally;
    - acquisition inside a loop or comprehension body;
    - acquisition in a request handler (Flask/FastAPI/Django routes and views), a task
      (Celery, Dramatiq, RQ) or an AWS Lambda handler, or in a `requests` / `httpx` auth flow
      (`AuthBase.__call__`, `Auth.auth_flow`) that runs for every request;
    - a client object that caches tokens itself (msal `ConfidentialClientApplication`, azure-identity
      credentials, authlib sessions, requests-oauth2client auth) built anew in the function that
      uses it, so its cache is always empty.

    It stays silent when the acquisition only runs under a "missing or expired" check (an `if` on
    a stored token, an expiry comparison, a 401 / `TokenExpiredError` retry, an `except` branch),
    when the function is wrapped by a cache (`functools.lru_cache`/`cache`, `cachetools.cached`,
    `cachier`; whether that cache expires is OA502's business), when the token is fetched once in
    `__init__`, at module level or in `main()` before a loop (one-shot scripts), for library auth
    objects that cache across instances (httpx-auth / requests-auth `OAuth2ClientCredentials`),
    and in tests. A fetcher imported from another module is recognised by its name
    (`fetch_token`, `request_token`, `get_new_token`...) and reported with medium confidence.

    ## Why is this bad?
    Client-credentials tokens live for an hour. Fetching one per request doubles the latency of
    every call, multiplies the load on the authorization server (which rate-limits token
    requests), and sends the client secret over the network far more often than needed. The guide
    asks to cache the token and reuse it until shortly before it expires.

    ## Example
    ```python
    def list_accounts():
        token = fetch_token()                      # new token on every call
        return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    ```

    ## Use instead
    ```python
    def list_accounts():
        return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token_cache.get()}"})
    ```
    where `token_cache.get()` returns the stored token and fetches a new one only when fewer than 60
    seconds of its lifetime remain (see OA502).

    ## References
    - Guide tip: cache the token and refresh it 60 seconds before expiry
    - CWE-400: Uncontrolled Resource Consumption
    - MSAL Python: acquire_token_for_client uses the application's token cache (since 1.23)
    """

    id = "OA501"
    name = "token-not-cached"
    family = "refresh"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    summary = "A new access token is requested for every API call instead of being cached"
    cwe = ("CWE-400",)
    references = ("https://cwe.mitre.org/data/definitions/400.html",)
    triggers = ("token", "refresh", "credentials", "authlib", "msal", "oauth")
    # ...and something that makes requests (a token is only "per call" next to an API call).
    trigger_groups = (("requests", "httpx", "aiohttp", "urllib", "urlopen", "http", "session", "client", "authlib", "msal",
                       "oauth", "credential", "fetch", "api", ".get(", ".post(", ".request("),)

    valid = (
        Example(
            """\
            import requests

            def main():
                token = fetch_token()
                for account_id in ACCOUNT_IDS:
                    requests.get(f"{API}/v1/accounts/{account_id}", headers={"Authorization": f"Bearer {token}"})
            """,
            note="one-shot script: fetched once before the loop",
        ),
        Example(
            """\
            import time
            import requests

            class TokenCache:
                def __init__(self):
                    self._token, self._expires_at = None, 0.0

                def get(self):
                    if self._token is None or self._expires_at - time.monotonic() < 60:
                        payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                        self._token = payload["access_token"]
                        self._expires_at = time.monotonic() + payload["expires_in"]
                    return self._token

            cache = TokenCache()

            def list_accounts():
                return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {cache.get()}"})
            """,
            note="acquisition only under a missing-or-expired check",
        ),
        Example(
            """\
            import requests

            def get(path):
                resp = requests.get(API + path, headers={"Authorization": f"Bearer {_cached_token()}"})
                if resp.status_code == 401:
                    token = fetch_new_token()
                    resp = requests.get(API + path, headers={"Authorization": f"Bearer {token}"})
                return resp
            """,
            note="re-fetch only in the 401 retry branch",
        ),
        Example(
            """\
            import httpx
            from httpx_auth import OAuth2ClientCredentials

            def list_accounts():
                auth = OAuth2ClientCredentials(TOKEN_URL, client_id=CLIENT_ID, client_secret=SECRET, early_expiry=60)
                return httpx.get(f"{API}/v1/accounts", auth=auth).json()
            """,
            note="httpx-auth keeps tokens in a class-level cache shared by all instances",
        ),
        Example(
            """\
            import msal
            import requests

            app = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, authority=AUTHORITY)

            def list_users():
                result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
                return requests.get(GRAPH + "/users", headers={"Authorization": "Bearer " + result["access_token"]})
            """,
            note="msal application kept at module level: acquire_token_for_client answers from its cache",
        ),
        Example(
            """\
            import functools
            import requests

            @functools.lru_cache(maxsize=1)
            def get_token():
                return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

            def list_accounts():
                return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {get_token()}"})
            """,
            note="the fetcher is cached (that it never expires is OA502's finding)",
        ),
        Example(
            """\
            import requests

            def fetch_token():
                for attempt in range(3):
                    try:
                        resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}, timeout=5)
                        resp.raise_for_status()
                        return resp.json()["access_token"]
                    except requests.RequestException:
                        continue
                raise RuntimeError("token endpoint unavailable")
            """,
            note="a retry loop inside the fetcher is not a token per iteration",
        ),
        Example(
            """\
            import requests

            def test_list_accounts(requests_mock):
                token = fetch_token()
                assert requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"}).ok
            """,
            note="tests",
        ),
    )
    invalid = (
        Example(
            """\
            import requests
            from app.auth import fetch_token

            def list_accounts():
                token = fetch_token()  # expect
                resp = requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
                return resp.json()["data"]
            """,
            note="fetcher imported from another module, used once per API call",
        ),
        Example(
            """\
            import requests

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": CID, "client_secret": SECRET})
                return resp.json()["access_token"]

            def get_balance(account_id):
                headers = {"Authorization": f"Bearer {get_token()}"}  # expect
                return requests.get(f"{API}/v1/accounts/{account_id}/balances", headers=headers).json()
            """,
            note="same-module fetcher without a cache",
        ),
        Example(
            """\
            import requests

            for account_id in ACCOUNT_IDS:
                token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]  # expect
                requests.get(f"{API}/v1/accounts/{account_id}", headers={"Authorization": f"Bearer {token}"})
            """,
            note="a token per loop iteration",
        ),
        Example(
            """\
            import msal
            import requests
            from flask import Flask

            app = Flask(__name__)

            @app.route("/users")
            def users():
                cca = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, authority=AUTHORITY)
                result = cca.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])  # expect
                return requests.get(GRAPH + "/users", headers={"Authorization": "Bearer " + result["access_token"]}).json()
            """,
            note="msal application built per request: its token cache is always empty",
        ),
        Example(
            """\
            from authlib.integrations.requests_client import OAuth2Session

            def list_accounts():
                session = OAuth2Session(CLIENT_ID, CLIENT_SECRET, token_endpoint=TOKEN_URL)
                session.fetch_token()  # expect
                return session.get(f"{API}/v1/accounts").json()
            """,
            note="new authlib session and token per call",
        ),
        Example(
            """\
            import google.auth.transport.requests
            import requests

            def list_buckets(creds):
                creds.refresh(google.auth.transport.requests.Request())  # expect
                return requests.get(STORAGE_URL, headers={"Authorization": f"Bearer {creds.token}"}).json()
            """,
            note="google-auth credentials refreshed before every call",
        ),
        Example(
            """\
            import requests

            class AelixAuth(requests.auth.AuthBase):
                def __call__(self, request):
                    token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]  # expect
                    request.headers["Authorization"] = f"Bearer {token}"
                    return request
            """,
            note="requests auth flow that fetches on every request",
        ),
        Example(
            """\
            import httpx

            async def fetch_all(client: httpx.AsyncClient, ids):
                return [
                    await client.get(f"{API}/v1/accounts/{i}", headers={"Authorization": f"Bearer {await token(client)}"})  # expect
                    for i in ids
                ]

            async def token(client):
                r = await client.post(TOKEN_URL, data={"grant_type": "client_credentials"})
                return r.json()["access_token"]
            """,
            note="async comprehension: a token per item",
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.ctx.is_test:
            return
        model = client_model(self.ctx)
        if not model.clients and not _imports_fetcher(model):
            return
        life = lifecycle(model)
        for fn in model.functions:
            if is_test_function(fn) or is_cached(fn):
                continue
            summary = life.summary(fn)
            for acquisition in summary.acquisitions:
                if guarded(acquisition.site, model):
                    continue
                self._judge(acquisition, summary, life, model)

    def _judge(self, acquisition: Acquisition, summary: Summary, life: Lifecycle, model: ClientModel) -> None:
        site = acquisition.site
        fn = summary.fn
        how = acquisition.how
        base_confidence = Confidence.MEDIUM if acquisition.imported else Confidence.HIGH
        if site.loop is not None and not is_retry_loop(site.loop, model) and not _guarded_loop(site, model) and _loop_uses_token(site.loop, acquisition, summary, life, model):
            self.report(site.node, f"new access token requested in every loop iteration ({how}); fetch it once and reuse it until shortly before it expires", confidence=base_confidence)
            return
        if fn.is_module:
            return
        if is_auth_flow(fn, model):
            self.report(site.node, f"auth flow requests a new access token for every HTTP request ({how}); keep the token and renew it only before it expires", confidence=base_confidence)
            return
        kind = handler_kind(fn, model)
        if kind is not None:
            confidence = Confidence.MEDIUM if kind == "lambda" or acquisition.imported else Confidence.HIGH
            self.report(site.node, f"new access token requested on {_HANDLER_WORDING[kind]} ({how}); cache it outside the handler", confidence=confidence)
            return
        if not summary.api_calls or fn.name in _ONE_SHOT or _one_shot(fn, life, model):
            return
        callers = life.callers_of(fn)
        if callers and all(guarded(c, model) for c in callers):
            return
        hot = len(callers) > 1 or any(c.loop is not None for c in callers)
        confidence = Confidence.HIGH if hot and not acquisition.imported else Confidence.MEDIUM
        self.report(
            site.node,
            f"new access token requested on every call of {fn.name}(), which also makes the API request ({how}); cache the token and reuse it",
            confidence=confidence,
        )


def _loop_uses_token(loop: cst.CSTNode, acquisition: Acquisition, summary: Summary, life: Lifecycle, model: ClientModel) -> bool:
    """The loop also makes API calls (or hands the token on): a token per item, not a background
    refresher that sleeps between renewals."""
    fn = summary.fn
    api_nodes = {id(site.node) for site in summary.api_calls}
    stack: list[cst.CSTNode] = [loop]
    while stack:
        node = stack.pop()
        if type(node) in (cst.FunctionDef, cst.ClassDef):
            continue
        if type(node) is cst.Call and node is not acquisition.site.node:
            if id(node) in api_nodes:
                return True
            target = life.local_target(node, fn)
            if target is not None and life.summary(target).api_calls:
                return True
            for arg in node.args:
                key = model.value_key(arg.value, fn, 0)
                if key is not None and (key.startswith("client:") or (acquisition.fetcher and key.endswith("." + acquisition.fetcher))):
                    return True
                name = dotted_name(arg.value) or ""
                if tokenish(name.rsplit(".", 1)[-1]) and "session" not in name:
                    return True
        stack.extend(child_nodes(node))
    return False


def _imports_fetcher(model: ClientModel) -> bool:
    from rules._analysis.clients import _FETCHER_NAMES

    return any(_FETCHER_NAMES.match(q.rsplit(".", 1)[-1]) for q in model.info.imports.values()) or any(
        _FETCHER_NAMES.match(site.node.func.attr.value) for fn in model.functions for site in fn.calls
        if type(site.node) is cst.Call and type(site.node.func) is cst.Attribute
    )


def _guarded_loop(site: object, model: ClientModel) -> bool:
    """``while token is None`` style loops wait for a token; they do not fetch per item."""
    loop = getattr(site, "loop", None)
    if type(loop) is cst.While:
        from rules._analysis.lifecycle import is_cache_guard

        return is_cache_guard(loop.test, model, site.func)  # type: ignore[attr-defined]
    return False


def _one_shot(fn: Function, life: Lifecycle, model: ClientModel) -> bool:
    """Called only from the ``__main__`` block or ``main()``, outside loops."""
    callers = life.callers_of(fn)
    if not callers:
        return False
    for caller in callers:
        if caller.loop is not None:
            return False
        if not (caller.main_guard or caller.func.name in _ONE_SHOT):
            return False
    return True
