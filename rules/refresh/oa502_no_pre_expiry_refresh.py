"""OA502 no-pre-expiry-refresh: a cached token is not renewed at least 60 s before it expires."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import libcst as cst

from checker.model import Confidence, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.clients import (
    ClientModel,
    Function,
    Site,
    _kwarg,
    child_nodes,
    client_model,
    tokenish,
)
from rules._analysis.imports import dotted_name, last_name
from rules._analysis.lifecycle import (
    ExpiryCheck,
    ExpiryStore,
    Lifecycle,
    expiry_checks,
    expiry_stores,
    guarded,
    is_test_function,
    lifecycle,
    linearize,
    obtains_tokens,
    store_offset,
    token_context,
)
from rules._analysis.literals import number_value
from rules._analysis.names import words
from rules._analysis.nodes import literal_value
from rules._catalog.libraries import pin_findings

_DOCUMENTED_LIFETIME = 3600.0
_NO_TTL_CACHES = frozenset({"lru_cache", "cache", "cached_property", "alru_cache", "memoize", "memoized", "cache_on_self"})
_TTL_KWARGS = ("ttl", "expire", "expires", "timeout", "ex", "time", "stale_after", "seconds", "maxage", "max_age")


class NoPreExpiryRefresh(PythonRule):
    """
    ## What it does
    Reports token caches that do not renew the token at least `refresh-margin-seconds` (60 by
    default) before it expires:

    - a stored token reused without any expiry check (`if self._token is None: ...` and no clock
      comparison anywhere in the class or module; `@lru_cache`/`@cache`/`@cached_property` on a
      function that fetches the token; a token fetched once in `__init__` or at import time and
      used by other functions);
    - expiry comparisons whose margin is below the setting: `now >= expires_at`,
      `expires_at - now < 30`, `expiry < now + timedelta(seconds=10)`, margins held in constants or
      attributes, and store-time offsets such as `expires_at = now + expires_in - 10` (the margin is
      the comparison's plus the store-time offset; `expires_in * 0.9` counts as 10 % of an hour);
    - hard-coded lifetimes used instead of the response's `expires_in`: `time.time() + 3600`,
      `timedelta(hours=1)`, `TTLCache(ttl=3600)`, `setex(key, 3600, token)`,
      `cache.set(key, token, 3600)`;
    - an expiry stored with `time.time()` but compared with `time.monotonic()` (or the reverse);
    - library settings below the margin: httpx-auth / requests-auth `OAuth2ClientCredentials`
      `early_expiry` (default 30 s, and 0 becomes 30), requests-oauth2client
      `OAuth2ClientCredentialsAuth` `leeway` (default 20 s), authlib `leeway=` below 60, APIMatic SDK
      `o_auth_clock_skew` (unset = 0 s), requests-oauthlib `auto_refresh_url` relied on for client
      credentials (no refresh token is issued in this flow, so it never refreshes), re-fetching
      only after `TokenExpiredError`;
    - dependency pins whose defaults are too short: `authlib<1.3.2` (no leeway) and
      `google-auth<2.24` (20 s) in `requirements*.txt`, `pyproject.toml`, `setup.cfg`, `Pipfile`,
      `poetry.lock` and `uv.lock`.

    Silent on correct caches (margin >= 60 s from `expires_in`, proportional margins such as
    `expires_in * 0.9`), msal, azure-identity, google-auth >= 2.24 and authlib >= 1.3.2 defaults,
    one-shot scripts, margins read from configuration we cannot evaluate, and tests.

    ## Why is this bad?
    A token checked only against its exact expiry is still sent in the last seconds of its life
    and arrives expired at a server whose clock runs slightly ahead, or after a slow network hop:
    requests fail with 401 mid-flight. A token cached with no expiry check at all breaks every
    request an hour after start-up. The guide asks to refresh when fewer than 60 seconds remain.

    ## Example
    ```python
    if self._token is None or time.time() >= self._expires_at:   # margin 0 s
        self._token = fetch_token()
        self._expires_at = time.time() + 3600                    # ignores expires_in
    ```

    ## Use instead
    ```python
    now = time.monotonic()
    if self._token is None or self._expires_at - now < 60:
        payload = request_token()
        self._token = payload["access_token"]
        self._expires_at = now + int(payload["expires_in"])
    ```

    ## References
    - Guide tip: cache the token and refresh it 60 seconds before expiry
    - CWE-613: Insufficient Session Expiration
    - RFC 6749 section 4.4.3 (no refresh token for client credentials)
    """

    id = "OA502"
    name = "no-pre-expiry-refresh"
    family = "refresh"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    summary = "A cached access token is not renewed at least 60 seconds before it expires"
    cwe = ("CWE-613",)
    references = ("https://cwe.mitre.org/data/definitions/613.html", "https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3")
    kinds: ClassVar[tuple[str, ...]] = ("python", "text", "toml", "ini")  # type: ignore[assignment]  # PythonRule.kinds is typed tuple[str]
    # A token (or a library with refresh settings) AND something about time, caching or refresh.
    triggers = (
        "token", "credential", "leeway", "early_expiry", "skew", "auto_refresh", "authlib", "google-auth",
        "google_auth", "google.auth", "oauth", "ClientCredentials", "o_auth",
    )
    trigger_groups = (
        ("expir", "leeway", "early_expiry", "ttl", "cache", "skew", "auto_refresh", "setex", "timedelta", "time(",
         "monotonic", "now(", "3600", "refresh", "authlib", "google-auth", "google_auth", "google.auth", "ClientCredentials",
         "o_auth", "lifetime", "valid", "global", "_token", ".token"),
    )

    valid = (
        Example(
            """\
            import time
            import requests

            REFRESH_MARGIN_SECONDS = 60

            class TokenCache:
                def __init__(self):
                    self._token = None
                    self._expires_at = 0.0

                def get(self):
                    now = time.monotonic()
                    if self._token is None or self._expires_at - now < REFRESH_MARGIN_SECONDS:
                        payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                        self._token = payload["access_token"]
                        self._expires_at = now + int(payload["expires_in"])
                    return self._token
            """,
            note="the guide's pattern: expires_in from the response, 60 s margin",
        ),
        Example(
            """\
            import time
            import requests

            _token = None
            _refresh_at = 0.0

            def get_token():
                global _token, _refresh_at
                if _token is None or time.time() >= _refresh_at:
                    payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    _token = payload["access_token"]
                    _refresh_at = time.time() + payload["expires_in"] * 0.9
                return _token
            """,
            note="proportional margin: 10 % of a one-hour token is 360 s",
        ),
        Example(
            """\
            from httpx_auth import OAuth2ClientCredentials
            auth = OAuth2ClientCredentials(TOKEN_URL, client_id=CLIENT_ID, client_secret=SECRET, early_expiry=120)
            """,
            note="httpx-auth with early_expiry above the margin",
        ),
        Example(
            """\
            import msal
            app = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET, authority=AUTHORITY)

            def token():
                return app.acquire_token_for_client(scopes=[SCOPE])["access_token"]
            """,
            note="msal renews from its cache 5 minutes early",
        ),
        Example(
            """\
            import datetime as dt
            import requests

            class Session:
                def __init__(self, settings):
                    self.margin = settings.refresh_margin
                    self.token = None
                    self.expiry = None

                def headers(self):
                    if self.token is None or self.expiry - dt.datetime.now(dt.timezone.utc) < self.margin:
                        data = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                        self.token = data["access_token"]
                        self.expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=data["expires_in"])
                    return {"Authorization": f"Bearer {self.token}"}
            """,
            note="margin from configuration we cannot evaluate: unknown, silent",
        ),
        Example(
            """\
            import time
            import requests

            def main():
                token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
                for account_id in ACCOUNT_IDS:
                    print(requests.get(f"{API}/v1/accounts/{account_id}", headers={"Authorization": f"Bearer {token}"}).json())

            if __name__ == "__main__":
                main()
            """,
            note="one-shot script",
        ),
        Example(
            """\
            import time

            class RateLimiter:
                def __init__(self):
                    self.reset_at = 0.0

                def wait(self):
                    if time.time() >= self.reset_at:
                        self.reset_at = time.time() + 60
            """,
            note="a clock comparison that has nothing to do with tokens",
        ),
    )
    invalid = (
        Example(
            """\
            import time

            from app.oauth import fetch_token

            class TokenCache:
                def __init__(self):
                    self._token = None
                    self._expires_at = 0.0

                def get(self):
                    if self._token is None or time.time() >= self._expires_at:  # expect
                        self._token = fetch_token()
                        self._expires_at = time.time() + 3600  # expect
                    return self._token
            """,
            note="margin 0 s and a hard-coded lifetime (the example project's cache)",
        ),
        Example(
            """\
            import time
            import requests

            EXPIRY_BUFFER = 30

            _token = None
            _expires_at = 0.0

            def get_token():
                global _token, _expires_at
                if _token is None or _expires_at - time.time() < EXPIRY_BUFFER:  # expect
                    payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    _token = payload["access_token"]
                    _expires_at = time.time() + payload["expires_in"]
                return _token
            """,
            note="margin held in a constant below 60 s",
        ),
        Example(
            """\
            import requests

            class Client:
                def __init__(self):
                    self._token = None

                def token(self):
                    if self._token is None:  # expect
                        self._token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
                    return self._token
            """,
            note="cache without any expiry check",
        ),
        Example(
            """\
            import functools
            import requests

            @functools.lru_cache(maxsize=1)  # expect
            def get_token():
                return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            """,
            note="lru_cache never expires",
        ),
        Example(
            """\
            from httpx_auth import OAuth2ClientCredentials
            auth = OAuth2ClientCredentials(TOKEN_URL, client_id=CLIENT_ID, client_secret=SECRET, early_expiry=0)  # expect
            """,
            note="httpx-auth turns 0 into its 30 s default",
        ),
        Example(
            """\
            import time
            import requests

            class Auth:
                def __init__(self):
                    self.token, self.expires_at = None, 0

                def bearer(self):
                    if not self.token or time.time() > self.expires_at:  # expect
                        body = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                        self.token = body["access_token"]
                        self.expires_at = time.time() + body["expires_in"] - 10
                    return self.token
            """,
            note="store-time offset of 10 s",
        ),
        Example(
            """\
            from requests_oauth2client import OAuth2Client, OAuth2ClientCredentialsAuth
            client = OAuth2Client(TOKEN_ENDPOINT, auth=(CLIENT_ID, CLIENT_SECRET))
            auth = OAuth2ClientCredentialsAuth(client, scope="banking:read")  # expect
            """,
            note="requests-oauth2client default leeway is 20 s",
        ),
        Example(
            """\
            from oauthlib.oauth2 import BackendApplicationClient
            from requests_oauthlib import OAuth2Session

            session = OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID),
                                    auto_refresh_url=TOKEN_URL)  # expect
            session.fetch_token(token_url=TOKEN_URL, client_secret=SECRET)
            """,
            note="auto_refresh_url never fires for client credentials (no refresh token)",
        ),
        Example(
            """\
            import cachetools
            import requests

            @cachetools.cached(cachetools.TTLCache(maxsize=1, ttl=3600))  # expect
            def get_token():
                return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            """,
            note="TTL equal to the token lifetime: margin 0",
        ),
        Example(
            """\
            authlib>=1.2,<1.3  # expect
            requests==2.32.3
            """,
            path="requirements.txt",
            note="authlib before 1.3.2 renews with 0 s leeway",
        ),
    )

    # -- dependency files ---------------------------------------------------------------------
    def check_text(self, ctx: FileContext) -> None:
        for pin in pin_findings(ctx.path, ctx.text):
            ctx.report_at(type(self), pin.line, pin.column, pin.message, end_column=pin.end_column)

    # -- Python -------------------------------------------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        if self.ctx.is_test:
            return
        model = client_model(self.ctx)
        if not obtains_tokens(model):
            return  # servers and token validators: nothing of ours to refresh here
        life = lifecycle(model)
        margin = float(self.ctx.settings.refresh_margin_seconds)
        checks = [c for c in expiry_checks(model) if _in_scope(c.site.func, model) and (token_context(c.site.func, model) or tokenish(c.expiry_name or ""))]
        stores = [s for s in expiry_stores(model) if _in_scope(s.assign.site.func, model) and (token_context(s.assign.site.func, model) or tokenish(s.target))]
        self._margins(checks, stores, model, margin)
        self._hard_coded(stores, margin)
        self._cache_calls(model, life, margin)
        self._decorators(model, life, margin)
        self._no_expiry(model, life, checks, stores)
        self._library_settings(model, margin)
        self._reactive_only(model, life, checks)

    def _margins(self, checks: list[ExpiryCheck], stores: list[ExpiryStore], model: ClientModel, margin: float) -> None:
        for check in checks:
            if check.margin is None:
                continue
            offset, matching = store_offset(check, stores, model)
            clocks = {s.clock_kind for s in matching if s.clock_kind} | ({check.clock_kind} if check.clock_kind else set())
            if {"time", "monotonic"} <= clocks:
                self.report(check.node, "token expiry stored with one clock and compared with another (time.time() vs time.monotonic()); use one clock for both")
                continue
            if offset is None:
                continue
            effective = check.margin + offset
            if effective >= margin:
                continue
            if effective <= 0:
                message = f"token is renewed only once it has expired (margin {effective:g} s); refresh when fewer than {margin:g} s remain"
            else:
                message = f"token is renewed only {effective:g} s before it expires; refresh when fewer than {margin:g} s remain"
            self.report(check.node, message)

    def _hard_coded(self, stores: list[ExpiryStore], margin: float) -> None:
        for store in stores:
            if store.lifetime is None or store.lifetime <= 0:
                continue
            confidence = Confidence.HIGH if store.lifetime > _DOCUMENTED_LIFETIME - margin else Confidence.MEDIUM
            self.report(
                store.assign.value,
                f"token lifetime hard-coded as {store.lifetime:g} s instead of the token response's expires_in",
                confidence=confidence,
            )

    def _cache_calls(self, model: ClientModel, life: Lifecycle, margin: float) -> None:
        """``TTLCache(ttl=3600)`` holding tokens, ``setex(key, 3600, token)``, ``cache.set(k, tok, 3600)``."""
        for fn in model.functions:
            if not _in_scope(fn, model):
                continue
            for site in fn.calls:
                call = site.node
                assert type(call) is cst.Call
                last = last_name(call.func)
                if last == "TTLCache" and self._token_holder(call, fn, model):
                    self._ttl(_arg(call, 1, "ttl"), margin, "TTLCache ttl", fn, model)
                elif last == "setex" and len(call.args) >= 3 and _is_token_value(call.args[2].value, fn, model):
                    self._ttl(call.args[1].value, margin, "setex expiry", fn, model)
                elif last in ("set", "set_many", "add") and len(call.args) >= 2 and _is_token_value(call.args[1].value, fn, model):
                    ttl = _kwarg(call, "ex") or _kwarg(call, "timeout") or _kwarg(call, "expire") or _kwarg(call, "ttl")
                    if ttl is None and len(call.args) >= 3 and call.args[2].keyword is None:
                        ttl = call.args[2].value
                    if ttl is not None:
                        self._ttl(ttl, margin, "cache expiry", fn, model)

    def _token_holder(self, call: cst.Call, fn: Function, model: ClientModel) -> bool:
        for assign in fn.assigns:
            if assign.value is call:
                return any(tokenish(dotted_name(t) or "") for t in assign.targets)
        return False

    def _ttl(self, expr: cst.BaseExpression | None, margin: float, what: str, fn: Function | None = None, model: ClientModel | None = None) -> None:
        if expr is None:
            return
        value = number_value(expr)
        if value is None and fn is not None and model is not None:
            # ``cache.set(key, token, data["expires_in"])``: the TTL is the lifetime minus what?
            lin = linearize(expr, model, fn)
            if not lin.unknown and not lin.margin_unknown and lin.lifetime and not lin.clock and not lin.expiry:
                left = (1 - lin.lifetime) * _DOCUMENTED_LIFETIME - lin.const
                if left < margin:
                    self.report(expr, f"token cached for its whole lifetime minus {left:g} s ({what}); expire the cache entry at least {margin:g} s before the token")
            return
        if value is None or value <= 0:
            return
        confidence = Confidence.HIGH if value > _DOCUMENTED_LIFETIME - margin else Confidence.MEDIUM
        self.report(expr, f"token cached with a hard-coded lifetime ({what} {value:g} s) instead of the token response's expires_in", confidence=confidence)

    def _decorators(self, model: ClientModel, life: Lifecycle, margin: float) -> None:
        for fn in model.functions:
            if fn.is_module or not fn.decorator_nodes or not _in_scope(fn, model) or not _returns_token(fn, model, life):
                continue
            for name, node in zip(fn.decorators, fn.decorator_nodes):
                last = name.rsplit(".", 1)[-1]
                deco = node.decorator
                if last in _NO_TTL_CACHES:
                    self.report(node, f"token cached by @{last} with no expiry: it is reused after it expires")
                elif last in ("cached", "ttl_cache", "cachier", "memoize", "alru_cache") and type(deco) is cst.Call:
                    self._decorator_ttl(deco, margin, last)

    def _decorator_ttl(self, deco: cst.Call, margin: float, name: str) -> None:
        for arg in deco.args:
            value = arg.value
            if type(value) is cst.Call and last_name(value.func) == "TTLCache":
                self._ttl(_arg(value, 1, "ttl"), margin, "TTLCache ttl")
                return
            if arg.keyword is not None and arg.keyword.value in _TTL_KWARGS:
                self._ttl(value, margin, f"{name} {arg.keyword.value}")
                return
            if arg.keyword is not None and arg.keyword.value == "cache" and type(value) is cst.Call and last_name(value.func) == "TTLCache":
                self._ttl(_arg(value, 1, "ttl"), margin, "TTLCache ttl")
                return

    def _no_expiry(self, model: ClientModel, life: Lifecycle, checks: list[ExpiryCheck], stores: list[ExpiryStore]) -> None:
        """A stored token reused with no expiry logic anywhere in its class / module."""
        reported: set[int] = set()
        for fn in model.functions:
            if not _in_scope(fn, model):
                continue
            for acquisition in life.summary(fn).acquisitions:
                site = acquisition.site
                owner = fn.cls if fn.cls else None
                if _has_expiry_logic(model, owner, checks, stores):
                    continue
                test = _slot_guard(site, model)
                if test is not None:
                    if id(test) not in reported:
                        reported.add(id(test))
                        self.report(test, "cached token is reused without any expiry check; store expires_in and refresh 60 s before it expires")
                    continue
                if not guarded(site, model) and _fetched_once(site, fn, model):
                    self.report(site.node, "token is fetched once and reused without any expiry check; it stops working when it expires", confidence=Confidence.MEDIUM)

    def _library_settings(self, model: ClientModel, margin: float) -> None:
        for client in model.clients:
            if not _in_scope(client.function, model):
                continue
            call = client.node
            last = last_name(call.func)
            if client.library in ("httpx-auth", "requests-auth") and client.kind == "auth-object":
                self._knob(call, "early_expiry", 30.0, margin, f"{client.library} {last}", zero_means_default=True)
            elif client.library == "requests-oauth2client" and last == "OAuth2ClientCredentialsAuth":
                self._knob(call, "leeway", 20.0, margin, "requests-oauth2client OAuth2ClientCredentialsAuth")
            elif client.library == "authlib" and client.kind == "session":
                self._knob(call, "leeway", None, margin, f"authlib {last}")
            elif client.library == "apimatic":
                self._knob(call, "o_auth_clock_skew", 0.0, margin, f"{last}")
            elif client.library in ("requests-oauthlib", "oauth-session") and client.kind == "session":
                refresh = _kwarg(call, "auto_refresh_url")
                if refresh is not None and _backend_client(call, client.function, model):
                    self.report(refresh, "requests-oauthlib auto_refresh_url never renews a client-credentials token (the flow issues no refresh token); renew it yourself before it expires", confidence=Confidence.MEDIUM)

    def _knob(self, call: cst.Call, knob: str, default: float | None, margin: float, what: str, zero_means_default: bool = False) -> None:
        value_node = _kwarg(call, knob)
        if value_node is None:
            if default is not None and default < margin:
                self.report(call, f"{what} renews the token only {default:g} s before it expires by default; set {knob}={margin:g} or more")
            return
        if type(value_node) is cst.Name and value_node.value == "None":
            if default is not None and default < margin:
                self.report(value_node, f"{what} with {knob}=None renews the token only {default:g} s before it expires; set {knob}={margin:g} or more")
            return
        value = number_value(value_node)
        if value is None:
            return
        if zero_means_default and not value and default is not None:
            value = default
        if value < margin:
            self.report(value_node, f"{what} renews the token only {value:g} s before it expires ({knob}); set {knob}={margin:g} or more")

    def _reactive_only(self, model: ClientModel, life: Lifecycle, checks: list[ExpiryCheck]) -> None:
        """Re-fetching only in ``except TokenExpiredError`` (requests-oauthlib): 0 s margin."""
        if checks:
            return
        for fn in model.functions:
            for handler_site in fn.handlers:
                handler = handler_site.handler
                if handler is None or handler.type is None:
                    continue
                names = [dotted_name(t) or "" for t in _handler_types(handler.type)]
                if not any(n.rsplit(".", 1)[-1] in ("TokenExpiredError", "InvalidTokenError", "ExpiredTokenError") for n in names):
                    continue
                if any(a.site.handler is handler for a in life.summary(fn).acquisitions):
                    self.report(handler.type, "token is renewed only after the server rejects it as expired; refresh it 60 s before it expires instead", confidence=Confidence.MEDIUM)


def _arg(call: cst.Call, index: int, name: str) -> cst.BaseExpression | None:
    found = _kwarg(call, name)
    if found is not None:
        return found
    positional = [a.value for a in call.args if a.keyword is None]
    return positional[index] if index < len(positional) else None


def _handler_types(expr: cst.BaseExpression) -> Iterable[cst.BaseExpression]:
    if type(expr) is cst.Tuple:
        return [e.value for e in expr.elements]
    return [expr]


def _in_scope(fn: Function, model: ClientModel) -> bool:
    return not is_test_function(fn)


def _is_token_value(expr: cst.BaseExpression, fn: Function, model: ClientModel) -> bool:
    name = dotted_name(expr)
    if name is not None and tokenish(name.rsplit(".", 1)[-1]) and "session" not in name:
        return True
    key = model.value_key(expr, fn, 0)
    return key is not None and key.startswith("client:")


def _returns_token(fn: Function, model: ClientModel, life: Lifecycle) -> bool:
    """The function obtains a token on every run and returns it (not a client object)."""
    acquisitions = [a for a in life.summary(fn).acquisitions if not guarded(a.site, model)]
    if not acquisitions:
        return False
    for ret in fn.returns:
        key = model.value_key(ret.node, fn, 0)  # type: ignore[arg-type]
        if key is None:
            continue
        if key.startswith("client:"):
            client = next((c for c in model.clients if c.key == key), None)
            if client is not None and not client.is_object:
                return True
        if key.startswith("call:") and any(a.fetcher and key.endswith("." + a.fetcher) for a in acquisitions):
            return True
    return False


def _has_expiry_logic(model: ClientModel, owner: str | None, checks: list[ExpiryCheck], stores: list[ExpiryStore]) -> bool:
    """Some expiry handling exists where the token is kept (class, or module for globals)."""
    if any(c.site.func.cls == owner for c in checks) or any(s.assign.site.func.cls == owner for s in stores):
        return True
    cache = getattr(model, "_expiry_words", None)
    if cache is None:
        cache = {}
        for fn in model.functions:
            # one walk per function body (walking per call site is quadratic on nested calls)
            text_words: set[str] = set()
            for name in _all_names(fn):
                text_words.update(words(name))
            flag = bool(text_words & {"expired", "expires", "expiry", "expiration", "exp", "ttl", "valid", "is_expired", "expire", "expiring", "lifetime", "stale"})
            cache[fn.cls] = cache.get(fn.cls, False) or flag
        model._expiry_words = cache  # type: ignore[attr-defined]
    return bool(cache.get(owner, False))


def _walk_names(node: cst.CSTNode) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) in (cst.Name, cst.Attribute):
            name = dotted_name(current)
            if name:
                out.append(name)
        if type(current) is cst.SimpleString:
            value = literal_value(current)
            value = value if isinstance(value, str) else ""
            out.append(value)
        stack.extend(child_nodes(current))
    return out


def _slot_guard(site: Site, model: ClientModel) -> cst.BaseExpression | None:
    """The ``if`` test that checks a stored token (``self._token is None``, ``not _token``)."""
    fn = site.func
    for test in site.guards:
        for name in _test_names(test):
            parts = name.split(".")
            slot = parts[1] if parts[0] in ("self", "cls") and len(parts) == 2 else (parts[0] if parts[0] in fn.globals and len(parts) == 1 else None)
            if slot is not None and tokenish(slot) and "session" not in slot and "lock" not in slot:
                return test
    return None


def _test_names(test: cst.BaseExpression) -> list[str]:
    out: list[str] = []
    stack: list[cst.CSTNode] = [test]
    while stack:
        node = stack.pop()
        if type(node) in (cst.Name, cst.Attribute):
            name = dotted_name(node)
            if name:
                out.append(name)
            continue
        if type(node) is cst.Call:
            continue  # self._token.expired() etc: the call itself is an expiry check
        stack.extend(child_nodes(node))
    return out


def _fetched_once(site: Site, fn: Function, model: ClientModel) -> bool:
    """Fetched in ``__init__`` (or at import time), stored in a token attribute/global, and read by
    other functions: the token outlives its expiry."""
    if fn.name == "__init__" and fn.cls:
        slots = [dotted_name(t) or "" for a in fn.assigns for t in a.targets if _value_contains(a.value, site.node)]
        slots = [s for s in slots if s.startswith("self.") and tokenish(s[5:]) and "session" not in s]
        if not slots:
            return False
        for other in model.functions:
            if other.cls == fn.cls and other is not fn and any(s in _all_names(other) for s in slots):
                return True
        return False
    if fn.is_module and not site.main_guard and not _has_main_guard(model):
        names = [dotted_name(t) or "" for a in fn.assigns for t in a.targets if _value_contains(a.value, site.node)]
        names = [n for n in names if "." not in n and tokenish(n) and "session" not in n.lower()]
        for other in model.functions:
            if not other.is_module and any(n in _all_names(other) for n in names):
                return True
    return False


def _value_contains(value: cst.BaseExpression, node: cst.CSTNode) -> bool:
    stack: list[cst.CSTNode] = [value]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(child_nodes(current))
    return False


def _all_names(fn: Function) -> set[str]:
    """Every name, attribute chain and string in a function body (nested functions excluded)."""
    cached = getattr(fn, "_names", None)
    if cached is None:
        cached = set()
        body = fn.node.body if type(fn.node) is cst.Module else [fn.node.body]
        stack: list[cst.CSTNode] = list(body)
        while stack:
            node = stack.pop()
            kind = type(node)  # exact types: isinstance on libcst classes is slow (see nodes.py)
            if (kind is cst.FunctionDef or kind is cst.ClassDef) and node is not fn.node:
                continue
            if kind is cst.Name:
                if node.value:
                    cached.add(node.value)
                continue  # a Name has no child nodes: skip the (most frequent) empty child_nodes call
            if kind is cst.Attribute:
                name = dotted_name(node)
                if name:
                    cached.add(name)
            elif kind is cst.SimpleString:
                value = literal_value(node)
                if isinstance(value, str):
                    cached.add(value)
                continue  # no child nodes either
            stack.extend(child_nodes(node))
        fn._names = cached  # type: ignore[attr-defined]
    return cached


def _has_main_guard(model: ClientModel) -> bool:
    return any(site.main_guard for site in model.module_fn.calls)


def _backend_client(call: cst.Call, fn: Function, model: ClientModel) -> bool:
    inner = _kwarg(call, "client")
    if inner is None:
        return False
    if type(inner) is not cst.Call:
        inner = model.single(inner, fn) or inner
    return type(inner) is cst.Call and last_name(inner.func) == "BackendApplicationClient"


__all__ = ["NoPreExpiryRefresh"]
