"""Token lifecycle analysis on top of the client model (OA501 token-not-cached, OA502
no-pre-expiry-refresh).

* **Function summaries**: which functions obtain a token every time they run ("fetchers"), which
  acquisitions are guarded by a cache check (an ``if`` on a stored token, an expiry comparison, a
  401 retry, an ``except`` branch), which run in loops, request handlers or auth flows, and which
  functions also make API requests.
* **Expiry checks**: comparisons between a clock (``time.time()``, ``time.monotonic()``,
  ``datetime.now()``...) and an expiry value, normalised to "refresh when ``expiry - now < m``",
  plus the offset applied when the expiry is stored (``expires_at = now + expires_in - 60``), so the
  effective margin is ``m + offset``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from rules._analysis.clients import (
    _FETCHER_NAMES,
    _ROUTE_DECORATORS,
    CACHE_DECORATORS,
    CLOCK_CALLS,
    Assignment,
    Client,
    ClientModel,
    Function,
    Site,
    child_nodes,
    tokenish,
)
from rules._analysis.imports import dotted_name, last_name
from rules._analysis.literals import evaluate
from rules._analysis.names import words
from rules._analysis.nodes import is_expression

# Words in a guard that make it a cache / expiry / retry check.
_GUARD_WORDS = frozenset(
    {"token", "tokens", "expir", "expiry", "expires", "expired", "expiration", "exp", "valid", "validity", "cache",
     "cached", "fresh", "stale", "deadline", "until", "refresh", "renew", "access", "bearer", "credentials", "creds",
     "jwt", "auth", "authenticated", "ttl", "age", "lifetime", "unauthorized", "status", "code", "retry", "retries",
     "needs", "should", "invalid", "cred", "session", "login", "logged", "expire", "expiring", "outdated", "current"}
)
_EXPIRY_WORDS = frozenset({"expir", "expiry", "expires", "expired", "expiration", "exp", "expire", "deadline", "until", "valid", "refresh", "renew", "expiring", "expiresat", "expiresin", "expireson", "eol"})
_DURATION_WORDS = frozenset({"in", "ttl", "lifetime", "duration", "seconds", "secs", "life"})
_MARGIN_WORDS = frozenset({"margin", "buffer", "leeway", "skew", "early", "threshold", "before", "grace", "slack", "window", "safety", "offset", "padding", "tolerance", "headroom", "refresh"})
_RETRY_WORDS = frozenset({"attempt", "attempts", "retry", "retries", "tries", "try", "backoff", "tried"})
_ONE_SHOT_NAMES = frozenset({"main", "run", "cli", "setup", "bootstrap", "init", "initialize", "initialise", "login", "authenticate", "connect", "start", "__init__", "__post_init__", "__enter__", "__aenter__", "setUp", "setUpClass", "configure", "smoke_test"})
_AUTH_FLOW_BASES = ("AuthBase", "requests.auth.AuthBase", "httpx.Auth", "Auth", "aiohttp.BasicAuth")
_VIEW_BASES = ("View", "APIView", "MethodView", "Resource", "ViewSet", "GenericAPIView", "RequestHandler", "HTTPEndpoint")
_HTTP_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


# ---------------------------------------------------------------------------------------------
# Guards, loops, handlers
# ---------------------------------------------------------------------------------------------


def _names_in(expr: cst.CSTNode) -> list[str]:
    out: list[str] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) in (cst.Name, cst.Attribute):
            name = dotted_name(node)
            if name is not None:
                out.append(name)
                if type(node) is cst.Attribute:
                    stack.append(node.value)
                continue
        if type(node) is cst.Call:
            name = dotted_name(node.func)
            if name:
                out.append(name)
        stack.extend(child_nodes(node))
    return out


def is_cache_guard(test: cst.BaseExpression, model: ClientModel, fn: Function) -> bool:
    """A condition that decides whether a stored token is reused: token/expiry/cache words, a
    persistent slot (``self.x``, a global), a clock, or an HTTP 401/403 status."""
    for node in _iter(test):
        if type(node) is cst.Integer and node.value in ("401", "403"):
            return True
        if type(node) is cst.Call and is_clock(node, model):
            return True
    for name in _names_in(test):
        parts = name.split(".")
        if parts[0] in ("self", "cls") and len(parts) > 1:
            return True
        if parts[0] in fn.globals or (parts[0] in model.info.constants and not fn.is_module and parts[0] in _module_slots(model)):
            return True
        w = set(words(name))
        if w & _GUARD_WORDS or any(x.startswith(("expir", "token")) for x in w):
            return True
    return False


def _module_slots(model: ClientModel) -> set[str]:
    """Module globals rebound inside functions (``global _token``): cache slots."""
    cached = getattr(model, "_module_slots", None)
    if cached is None:
        cached = set()
        for fn in model.functions:
            cached |= fn.globals
        model._module_slots = cached  # type: ignore[attr-defined]
    return cached


def _iter(node: cst.CSTNode) -> list[cst.CSTNode]:
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(child_nodes(current))
    return out


def guarded(site: Site, model: ClientModel) -> bool:
    """The call only runs under a cache/expiry/401 condition or in an ``except`` branch."""
    if site.handler is not None:
        return True
    return any(is_cache_guard(test, model, site.func) for test in site.guards)


def is_retry_loop(loop: cst.CSTNode, model: ClientModel) -> bool:
    """``for attempt in range(3)``, ``while retries < 5``, or a loop that exits once it succeeds."""
    if type(loop) is cst.For:
        target = dotted_name(loop.target) or ""
        if set(words(target)) & _RETRY_WORDS:
            return True
        if type(loop.iter) is cst.Call and dotted_name(loop.iter.func) == "range":
            values = [evaluate(a.value, model.info) for a in loop.iter.args]
            if values and all(isinstance(v, int) and v <= 10 for v in values):
                return True
        if set(words(dotted_name(loop.iter) or "")) & _RETRY_WORDS:
            return True
    if type(loop) is cst.While and any(set(words(n)) & _RETRY_WORDS for n in _names_in(loop.test)):
        return True
    if type(loop) in (cst.For, cst.While):
        body = _iter(loop.body)
        has_try = any(type(n) in (cst.Try, cst.TryStar) for n in body)
        exits = any(type(n) in (cst.Break, cst.Return) for n in body)
        if has_try and exits:
            return True
    return False


def is_clock(call: cst.Call, model: ClientModel) -> bool:
    qual = model.qualify(call.func) or ""
    name = dotted_name(call.func) or ""
    if qual in CLOCK_CALLS or name in CLOCK_CALLS:
        return True
    if qual.endswith(("get_running_loop.time", "get_event_loop.time", "new_event_loop.time")):
        return True  # the event loop's monotonic clock
    if name.endswith(".time") and "loop" in name.rsplit(".", 1)[0].lower():
        return True
    return name.endswith(("time.time", "time.monotonic", ".utcnow", "datetime.now", "timezone.now")) or name in ("monotonic", "utcnow", "_now", "now")


def is_test_function(fn: Function) -> bool:
    if fn.name.startswith("test") or any(d.endswith("fixture") for d in fn.decorators):
        return True
    parent = fn.parent
    while parent is not None:
        if parent.name.startswith("test"):
            return True
        parent = parent.parent
    return bool(fn.cls and fn.cls.startswith("Test"))


def is_cached(fn: Function) -> bool:
    return any(d in CACHE_DECORATORS or d.rsplit(".", 1)[-1] in CACHE_DECORATORS for d in fn.decorators)


def handler_kind(fn: Function, model: ClientModel) -> str | None:
    """"route" / "task" / "lambda" / "view" when the function runs once per request or job."""
    if fn.is_module:
        return None
    for deco in fn.decorators:
        if not deco:
            continue
        last = deco.rsplit(".", 1)[-1]
        head = deco.split(".")[0]
        if last in ("task", "shared_task", "actor", "job", "periodic_task", "cron", "scheduled_job"):
            return "task"
        if "." in deco and _ROUTE_DECORATORS.search(deco) and head.lower() not in ("functools", "pytest", "property", "staticmethod", "classmethod", "abc"):
            return "route"
    if fn.name in ("lambda_handler", "handler") and len(fn.params) == 2 and fn.params[1] in ("context", "ctx", "_context"):
        return "lambda"
    if fn.cls and fn.name in _HTTP_METHOD_NAMES and any(b.rsplit(".", 1)[-1] in _VIEW_BASES for b in model.class_bases.get(fn.cls, [])):
        return "view"
    return None


def is_auth_flow(fn: Function, model: ClientModel) -> bool:
    """``requests.auth.AuthBase.__call__`` / ``httpx.Auth.auth_flow``: runs for every request."""
    if fn.cls is None:
        return False
    bases = model.class_bases.get(fn.cls, [])
    if fn.name in ("request", "send", "_request") and any(_http_session_base(b, model) for b in bases):
        return True  # a requests.Session / httpx.Client subclass overriding request(): every call
    if fn.name not in ("__call__", "auth_flow", "async_auth_flow", "sync_auth_flow"):
        return False
    return any(b in _AUTH_FLOW_BASES or b.rsplit(".", 1)[-1] in ("AuthBase", "Auth") for b in bases)


def _http_session_base(base: str, model: ClientModel) -> bool:
    head = base.split(".")[0]
    qual = model.resolve_import(model.info.imports[head]) + base[len(head):] if head in model.info.imports else base
    return qual in ("requests.Session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession")


# ---------------------------------------------------------------------------------------------
# Function summaries
# ---------------------------------------------------------------------------------------------


@dataclass
class Acquisition:
    """A call that obtains a new token each time it runs (directly or through a fetcher)."""

    site: Site
    how: str  # human wording: "token request", "fetch_token()", "call to fetch_token()"...
    client: Client | None = None
    fetcher: str | None = None  # name of the fetcher function called
    imported: bool = False  # fetcher imported from another module, judged by its name


@dataclass
class Summary:
    fn: Function
    acquisitions: list[Acquisition] = field(default_factory=list)
    api_calls: list[Site] = field(default_factory=list)


class Lifecycle:
    """Per-module summaries shared by OA501 and OA502 (``lifecycle(model)``)."""

    def __init__(self, model: ClientModel) -> None:
        self.model = model
        self.summaries: dict[int, Summary] = {}
        self._fetchers: dict[int, bool] = {}
        self.callers: dict[str, list[Site]] = {}
        self._build()

    def _build(self) -> None:
        model = self.model
        for fn in model.functions:
            summary = Summary(fn)
            self.summaries[id(fn)] = summary
            for site in fn.calls:
                call = site.node
                assert type(call) is cst.Call
                client = model.client_at.get(id(call))
                if client is not None and self._is_acquisition(client):
                    summary.acquisitions.append(Acquisition(site, _how(client), client=client))
                    continue
                hc = model.http_call_at(call)
                if hc is not None and not model.is_token_request(call) and not _is_discovery(hc, model, fn):
                    summary.api_calls.append(site)
                    continue
                callee = model.callee_key(call, fn)
                if callee is not None:
                    self.callers.setdefault(callee, []).append(site)
        # fetcher calls need every function's own acquisitions first
        for fn in model.functions:
            summary = self.summaries[id(fn)]
            for site in fn.calls:
                call = site.node
                assert type(call) is cst.Call
                if id(call) in model.client_at or model.http_call_at(call) is not None:
                    continue
                target = self.local_target(call, fn)
                if target is not None:
                    if target is not fn and self.always_fetches(target):
                        summary.acquisitions.append(Acquisition(site, f"call to {target.name}()", fetcher=target.name))
                    continue
                name = last_name(call.func)
                if name and _FETCHER_NAMES.match(name) and self._imported_callee(call, fn):
                    summary.acquisitions.append(Acquisition(site, f"call to {name}()", fetcher=name, imported=True))

    def _is_acquisition(self, client: Client) -> bool:
        if client.network:
            return True
        # a fresh requests-oauth2client auth object or authlib session has an empty token cache
        # (when the code calls fetch_token() on it, that call is the acquisition instead)
        if not (client.is_object and client.library in ("requests-oauth2client", "authlib") and client.kind in ("auth-object", "session")):
            return False
        if any(c.network and c.holder == client.holder for c in self.model.clients if c is not client):
            return False
        return self._per_call(client)

    def _per_call(self, client: Client) -> bool:
        fn = client.function
        if fn.is_module or fn.name in _ONE_SHOT_NAMES or fn.name.startswith("_init"):
            return False
        holder = client.holder or ""
        return "<locals>" in holder or holder == ""

    def _imported_callee(self, call: cst.Call, fn: Function) -> bool:
        func = call.func
        if type(func) is cst.Name:
            return func.value in self.model.info.imports
        head = (dotted_name(func) or "").split(".")[0]
        return head in self.model.info.imports and head not in ("self", "cls")

    def local_target(self, call: cst.Call, fn: Function) -> Function | None:
        key = self.model.callee_key(call, fn)
        prefix = self.model.module_name + "."
        if key is None or not key.startswith(prefix):
            return None
        return self.model.by_qualname.get(key[len(prefix):])

    def summary(self, fn: Function) -> Summary:
        return self.summaries[id(fn)]

    def always_fetches(self, fn: Function, _depth: int = 0) -> bool:
        """True when every run of ``fn`` obtains a new token (an unguarded acquisition, no cache
        decorator)."""
        key = id(fn)
        if key in self._fetchers:
            return self._fetchers[key]
        self._fetchers[key] = False  # recursion guard
        result = False
        if not is_cached(fn) and _depth < 6:
            for site in fn.calls:
                call = site.node
                assert type(call) is cst.Call
                if guarded(site, self.model):
                    continue
                client = self.model.client_at.get(id(call))
                if client is not None and self._is_acquisition(client):
                    result = True
                    break
                target = self.local_target(call, fn)
                if target is not None and target is not fn and self.always_fetches(target, _depth + 1):
                    result = True
                    break
        self._fetchers[key] = result
        return result

    def callers_of(self, fn: Function) -> list[Site]:
        return self.callers.get(self.model.function_key(fn), [])


def _how(client: Client) -> str:
    return {
        "raw": "token request",
        "fetch": f"{last_name(client.node.func) or 'fetch_token'}()",
        "msal-acquire": "acquire_token_for_client() on a new msal application",
        "azure-get-token": "get_token() on a new azure-identity credential",
        "roc-fetch": "client_credentials()",
        "google-refresh": "credentials.refresh()",
        "auth-object": "a new OAuth2ClientCredentialsAuth",
        "session": "a new OAuth2 session",
    }.get(client.kind, "token request")


def _is_discovery(hc: Any, model: ClientModel, fn: Function) -> bool:
    """OpenID discovery / JWKS fetches are part of obtaining a token, not API calls."""
    if hc.url is None:
        return False
    text = model.url_template(hc.url, fn)
    return text is not None and any(p in text.text for p in (".well-known", "jwks", "/oauth2/", "/oauth/", "/token"))


def lifecycle(model: ClientModel) -> Lifecycle:
    cached = getattr(model, "_lifecycle", None)
    if cached is None:
        cached = Lifecycle(model)
        model._lifecycle = cached  # type: ignore[attr-defined]
    return cached


# ---------------------------------------------------------------------------------------------
# Expiry checks (OA502)
# ---------------------------------------------------------------------------------------------

@dataclass
class Linear:
    """``clock * a + expiry * b + lifetime * c + const``; ``unknown`` when some term is not understood."""

    clock: float = 0.0
    expiry: float = 0.0
    lifetime: float = 0.0
    const: float = 0.0
    unknown: bool = False
    margin_unknown: bool = False  # a margin-named operand we could not evaluate (config)
    expiry_name: str | None = None
    clock_kind: str | None = None

    def __add__(self, other: Linear) -> Linear:
        return Linear(
            self.clock + other.clock, self.expiry + other.expiry, self.lifetime + other.lifetime, self.const + other.const,
            self.unknown or other.unknown, self.margin_unknown or other.margin_unknown,
            self.expiry_name or other.expiry_name, self.clock_kind or other.clock_kind,
        )

    def scaled(self, k: float) -> Linear:
        return Linear(self.clock * k, self.expiry * k, self.lifetime * k, self.const * k, self.unknown, self.margin_unknown, self.expiry_name, self.clock_kind)


def _is_expiry_name(name: str) -> bool:
    w = set(words(name))
    if not w or w & (_MARGIN_WORDS - {"refresh", "before"}):
        return False  # EXPIRY_BUFFER, expiry_margin: a margin, not an expiry
    if w & {"expires", "expiry", "expiration", "exp", "expire", "deadline", "expireson", "expiresat", "valid"} and not w & _DURATION_WORDS - {"in"}:
        # expires_in is a duration, not a point in time
        return not ("in" in w and ("expires" in w or "expire" in w))
    return bool(w & {"until", "refresh", "renew"} and w & {"at", "time", "ts", "deadline", "after", "by"})


def _is_duration_name(name: str) -> bool:
    w = words(name)
    joined = "_".join(w)
    return joined.endswith(("expires_in", "expire_in", "ttl", "lifetime", "expires_after", "valid_for", "token_lifetime")) or w[-2:] == ("expires", "in")


def _is_margin_name(name: str) -> bool:
    return bool(set(words(name)) & _MARGIN_WORDS)


def linearize(expr: cst.BaseExpression, model: ClientModel, fn: Function, depth: int = 0) -> Linear:
    """Split a time expression into clock / expiry / lifetime / constant terms."""
    if depth > 8:
        return Linear(unknown=True)
    while type(expr) is cst.Await:
        expr = expr.expression
    if type(expr) is cst.BinaryOperation:
        left = linearize(expr.left, model, fn, depth + 1)
        right = linearize(expr.right, model, fn, depth + 1)
        if type(expr.operator) is cst.Add:
            return left + right
        if type(expr.operator) is cst.Subtract:
            return left + right.scaled(-1)
        if type(expr.operator) is cst.Multiply:
            if _const_only(right):
                return left.scaled(right.const)
            if _const_only(left):
                return right.scaled(left.const)
        if type(expr.operator) in (cst.Divide, cst.FloorDivide) and _const_only(right) and right.const:
            return left.scaled(1 / right.const)
        return Linear(unknown=True)
    if type(expr) is cst.UnaryOperation and type(expr.operator) is cst.Minus:
        return linearize(expr.expression, model, fn, depth + 1).scaled(-1)
    if type(expr) in (cst.Name, cst.Attribute):
        # names first: a module global rebound through ``global`` is not a constant
        named = _linear_name(expr, model, fn, depth)
        if not named.unknown or named.margin_unknown:
            return named
    value = evaluate(expr, model.info)
    if isinstance(value, _dt.timedelta):
        return Linear(const=value.total_seconds())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Linear(const=float(value))
    if type(expr) is cst.Call:
        return _linear_call(expr, model, fn, depth)
    if type(expr) is cst.Subscript:
        key = _subscript_text(expr)
        if key and _is_duration_name(key):
            return Linear(lifetime=1.0)
        if key and _is_expiry_name(key):
            return Linear(expiry=1.0, expiry_name=key)
        return Linear(unknown=True)
    return Linear(unknown=True)


def _const_only(lin: Linear) -> bool:
    return not lin.unknown and not lin.clock and not lin.expiry and not lin.lifetime


def _subscript_text(expr: cst.Subscript) -> str | None:
    if len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index:
        value = evaluate(expr.slice[0].slice.value)
        if isinstance(value, str):
            return value
    return None


def _linear_call(expr: cst.Call, model: ClientModel, fn: Function, depth: int) -> Linear:
    if is_clock(expr, model):
        qual = model.qualify(expr.func) or dotted_name(expr.func) or ""
        kind = "monotonic" if "monotonic" in qual or "perf_counter" in qual else ("datetime" if "now" in qual or "today" in qual else "time")
        if qual.endswith("utcnow"):
            kind = "datetime"
        return Linear(clock=1.0, clock_kind=kind)
    func = expr.func
    if type(func) is cst.Attribute and func.attr.value in ("total_seconds", "timestamp"):
        return linearize(func.value, model, fn, depth + 1)
    qual = model.qualify(func) or ""
    if qual in ("builtins.int", "builtins.float", "builtins.round") and expr.args:
        return linearize(expr.args[0].value, model, fn, depth + 1)
    if qual.endswith("timedelta"):
        total = Linear()
        factors = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "milliseconds": 0.001, "weeks": 604800}
        for index, arg in enumerate(expr.args):
            key = arg.keyword.value if arg.keyword is not None else ("days", "seconds")[index] if index < 2 else ""
            if key not in factors:
                return Linear(unknown=True)
            total = total + linearize(arg.value, model, fn, depth + 1).scaled(factors[key])
        return total
    if type(func) is cst.Attribute and func.attr.value == "get" and expr.args:
        key = evaluate(expr.args[0].value, model.info)
        if isinstance(key, str):
            if _is_duration_name(key):
                return Linear(lifetime=1.0)
            if _is_expiry_name(key):
                return Linear(expiry=1.0, expiry_name=key)
    if type(func) is cst.Attribute and func.attr.value == "fromtimestamp" and expr.args:
        return linearize(expr.args[0].value, model, fn, depth + 1)
    return Linear(unknown=True)


def _linear_name(expr: cst.Name | cst.Attribute, model: ClientModel, fn: Function, depth: int) -> Linear:
    name = dotted_name(expr) or ""
    last = name.rsplit(".", 1)[-1]
    if _is_duration_name(last):
        return Linear(lifetime=1.0)
    if _is_expiry_name(last):
        return Linear(expiry=1.0, expiry_name=name)
    if last in ("now", "current_time", "now_ts", "ts_now", "time_now", "utcnow", "t_now", "now_utc", "current") or _is_margin_name(last):
        values = model.values_of(expr, fn)
        if len(values) == 1:
            inner = linearize(values[0], model, _owner(model, values[0]) or fn, depth + 1)
            if not inner.unknown:
                return inner
        if _is_margin_name(last):
            const = _class_or_module_number(expr, model, fn)
            if const is None and type(expr) is cst.Name and expr.value in fn.param_defaults:
                const = _number(evaluate(fn.param_defaults[expr.value], model.info))  # def expired(self, leeway=30)
            if const is not None:
                return Linear(const=const)
            return Linear(margin_unknown=True)
        if last in ("now", "current_time", "now_ts", "ts_now", "time_now", "utcnow", "t_now", "now_utc"):
            return Linear(clock=1.0, clock_kind="time")
        return Linear(unknown=True)
    values = model.values_of(expr, fn)
    if len(values) == 1 and type(expr) is cst.Name:
        return linearize(values[0], model, fn, depth + 1)
    return Linear(unknown=True)


def _number(value: Any) -> float | None:
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _owner(model: ClientModel, value: cst.BaseExpression) -> Function | None:
    for fn in model.functions:
        for assign in fn.assigns:
            if assign.value is value:
                return fn
    return None


def _class_or_module_number(expr: cst.BaseExpression, model: ClientModel, fn: Function) -> float | None:
    name = dotted_name(expr) or ""
    if name.startswith(("self.", "cls.")) and fn.cls:
        const = model.info.class_constants.get(f"{fn.cls}.{name.split('.', 1)[1]}")
        value = evaluate(const, model.info) if const is not None else None
    else:
        value = evaluate(expr, model.info)
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass
class ExpiryCheck:
    """A clock-vs-expiry comparison: refresh happens ``margin`` seconds before the stored expiry."""

    node: cst.Comparison
    site: Site
    margin: float | None  # None: not known (config)
    expiry_name: str | None
    clock_kind: str | None


def expiry_checks(model: ClientModel) -> list[ExpiryCheck]:
    out: list[ExpiryCheck] = []
    for fn in model.functions:
        for site in fn.compares:
            node = site.node
            assert type(node) is cst.Comparison
            check = _expiry_check(node, site, model)
            if check is not None:
                out.append(check)
    return out


def _validation_only(node: cst.Comparison, site: Site) -> bool:
    """``if claims["exp"] < time.time(): raise Expired``: validating a token we received."""
    enclosing = _if_of_tests(site.func).get(id(node))
    if enclosing is None:
        return False
    body = enclosing.body.body if type(enclosing.body) in (cst.IndentedBlock, cst.SimpleStatementSuite) else ()
    first = body[0] if body else None
    if type(first) is cst.SimpleStatementLine:
        first = first.body[0] if first.body else None
    return type(first) is cst.Raise


def _if_of_tests(fn: Function) -> dict[int, cst.If]:
    """Comparison node id -> the ``if`` whose test holds it; one walk per function."""
    cached = getattr(fn, "_if_tests", None)
    if cached is not None:
        return cached
    found: dict[int, cst.If] = {}
    stack: list[cst.CSTNode] = [fn.node]
    while stack:
        current = stack.pop()
        if type(current) is cst.If:
            test_stack: list[cst.CSTNode] = [current.test]
            while test_stack:
                inner = test_stack.pop()
                if type(inner) is cst.Comparison:
                    found.setdefault(id(inner), current)
                test_stack.extend(child_nodes(inner))
        if is_expression(current):
            continue
        stack.extend(child_nodes(current))
    fn._if_tests = found  # type: ignore[attr-defined]
    return found


def _contains(tree: cst.CSTNode, node: cst.CSTNode) -> bool:
    stack = [tree]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(child_nodes(current))
    return False


def _expiry_check(node: cst.Comparison, site: Site, model: ClientModel) -> ExpiryCheck | None:
    if len(node.comparisons) != 1:
        return None
    target = node.comparisons[0]
    if type(target.operator) not in (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual):
        return None
    left = linearize(node.left, model, site.func)
    right = linearize(target.comparator, model, site.func)
    diff = left + right.scaled(-1)
    if diff.unknown or not diff.clock or not diff.expiry or abs(diff.clock + diff.expiry) > 1e-9 or diff.lifetime:
        return None
    if _validation_only(node, site):
        return None
    normalised = diff.scaled(1 / diff.expiry)  # expiry - clock + const  (op) 0
    margin = None if diff.margin_unknown else -normalised.const
    return ExpiryCheck(node, site, margin, left.expiry_name or right.expiry_name, left.clock_kind or right.clock_kind)


@dataclass
class ExpiryStore:
    """An assignment of an expiry value: its target, store-time offset and hard-coded lifetime."""

    assign: Assignment
    target: str
    offset: float | None  # seconds subtracted from the real lifetime at store time (None: unknown)
    lifetime: float | None  # hard-coded lifetime (no expires_in in the expression)
    clock_kind: str | None


def expiry_stores(model: ClientModel) -> list[ExpiryStore]:
    out: list[ExpiryStore] = []
    for fn in model.functions:
        for assign in fn.assigns:
            if assign.augmented:
                continue
            for target in assign.targets:
                name = dotted_name(target)
                if name is None or not _is_expiry_name(name.rsplit(".", 1)[-1]):
                    continue
                lin = linearize(assign.value, model, fn)
                if lin.unknown or not lin.clock:
                    if not lin.unknown and lin.expiry and not lin.clock:
                        # absolute expiry from the response/JWT, maybe with a margin subtracted
                        out.append(ExpiryStore(assign, name, -lin.const if not lin.margin_unknown else None, None, None))
                    continue
                if lin.margin_unknown:
                    out.append(ExpiryStore(assign, name, None, None, lin.clock_kind))
                elif lin.lifetime:
                    offset = -lin.const + (1 - lin.lifetime) * 3600.0
                    out.append(ExpiryStore(assign, name, offset, None, lin.clock_kind))
                elif lin.expiry:
                    out.append(ExpiryStore(assign, name, -lin.const, None, lin.clock_kind))
                else:
                    out.append(ExpiryStore(assign, name, None, lin.const, lin.clock_kind))
    return out


def store_offset(check: ExpiryCheck, stores: list[ExpiryStore], model: ClientModel) -> tuple[float | None, list[ExpiryStore]]:
    """The smallest store-time offset of the slot a check reads (0 when stored without one)."""
    if check.expiry_name is None:
        return 0.0, []
    name = check.expiry_name
    matching = [s for s in stores if _same_slot(s.target, name, s.assign.site.func, check.site.func)]
    if not matching:
        return 0.0, []
    offsets: list[float] = []
    for store in matching:
        if store.offset is None and store.lifetime is None:
            return None, matching
        if store.lifetime is not None:
            offsets.append(max(0.0, 3600.0 - store.lifetime))
        elif store.offset is not None:
            offsets.append(store.offset)
    return (min(offsets) if offsets else 0.0), matching


def _same_slot(store_name: str, check_name: str, store_fn: Function, check_fn: Function) -> bool:
    if store_name == check_name:
        if store_name.startswith("self."):
            return store_fn.cls == check_fn.cls
        return True
    # payload["expires_at"] read back as self._expires_at etc: compare last words
    return store_name.rsplit(".", 1)[-1] == check_name.rsplit(".", 1)[-1] and store_fn.cls == check_fn.cls


def _from_call(value: cst.BaseExpression) -> bool:
    while type(value) in (cst.Await, cst.Subscript):
        value = value.expression if type(value) is cst.Await else value.value
    return type(value) is cst.Call


def obtains_tokens(model: ClientModel) -> bool:
    """The module obtains client-credentials tokens (a token request, an OAuth library client, or a
    call to a token fetcher). Servers that validate or issue tokens do not."""
    if model.clients:
        return True
    life = lifecycle(model)
    return any(life.summary(fn).acquisitions for fn in model.functions)


def token_context(fn: Function, model: ClientModel) -> bool:
    """The function deals with an OAuth token: its class or module holds a token slot or obtains
    tokens, or it names tokens itself; and the module obtains tokens at all."""
    if not obtains_tokens(model):
        return False
    if getattr(model, "_token_classes", None) is None:
        classes: set[str | None] = set()
        module_level = bool(model.clients)
        life = lifecycle(model)
        for other in model.functions:
            # a token attribute filled from a call (not a constructor argument being validated)
            has_token_slot = any(
                (dotted_name(t) or "").startswith("self.") and tokenish((dotted_name(t) or "").split(".", 1)[1])
                and "session" not in (dotted_name(t) or "") and _from_call(a.value)
                for a in other.assigns for t in a.targets
            )
            if has_token_slot or life.summary(other).acquisitions:
                classes.add(other.cls)
            if life.summary(other).acquisitions or any(tokenish(g) for g in other.globals):
                module_level = True
        model._token_classes = classes  # type: ignore[attr-defined]
        model._token_module = module_level  # type: ignore[attr-defined]
    if fn.cls is not None:
        # class AccessToken / TokenCache / BearerToken: the class itself models a token
        return fn.cls in model._token_classes or (tokenish(fn.cls) and "session" not in fn.cls.lower())  # type: ignore[attr-defined]
    return bool(model._token_module)  # type: ignore[attr-defined]

