"""The shared model of OAuth clients in one module (OA401, OA402, OA501, OA502).

``client_model(ctx)`` walks the module once (memoized on the file context) and records:

* **functions** with their call sites, returns, comparisons and assignments, each site knowing its
  context: enclosing class, innermost loop, enclosing ``if``/``while`` tests and early-exit guards,
  ``except`` handler, ``if __name__ == "__main__"`` block;
* **clients**: every place a token is obtained — raw token POSTs (``grant_type=client_credentials``
  or a token endpoint URL), authlib ``OAuth2Session``/``AsyncOAuth2Client``/``OAuth2Client`` with
  ``fetch_token``, requests-oauthlib ``OAuth2Session(client=BackendApplicationClient(...))``, msal
  ``acquire_token_for_client``, azure-identity credentials' ``get_token``, httpx-auth/requests-auth
  ``OAuth2ClientCredentials``, requests-oauth2client ``client_credentials``/
  ``OAuth2ClientCredentialsAuth``, google-auth service-account credentials and ``refresh``;
* **scope requests** (string, list, tuple, set, joined strings, module/class constants, or a
  reference to another module's constant) with the literal node of every scope;
* **API calls**: HTTP requests that are not token requests, with the token they carry (through an
  ``Authorization`` header, an ``auth=`` object or a session that holds the token).

Tokens are followed with string *keys* (``client:<module>#<n>``, ``call:<qualname>``,
``slot:<qualname>``, ``param:<function>#<name>#<index>``, ``obj:<qualname>``), so the same model
serves in-file verdicts and the project-wide facts that OA402 combines (``client_facts``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import libcst as cst

from checker.model import Settings
from checker.rule import FileContext
from rules._analysis.http import (
    HttpCall,
    dict_literal_items,
    http_call,
    is_token_request,
    url_host,
    url_text,
)
from rules._analysis.imports import (
    ModuleInfo,
    dotted_name,
    last_name,
    module_info,
)
from rules._analysis.literals import StringValue, evaluate, string_template
from rules._analysis.names import words
from rules._analysis.nodes import child_nodes, has_child_fields, is_expression, is_suite, literal_value
from rules._catalog.scopes import looks_like_scope, provider_hint, split_scopes

# ---------------------------------------------------------------------------------------------
# Library tables
# ---------------------------------------------------------------------------------------------

# Constructors of objects that obtain tokens, by (library prefix, class name) -> kind.
_OBJECT_CLASSES: dict[str, tuple[str, ...]] = {
    "authlib": ("OAuth2Session", "OAuth2Client", "AsyncOAuth2Client", "AssertionSession", "AsyncAssertionClient"),
    "requests-oauthlib": ("OAuth2Session",),
    "oauthlib": ("BackendApplicationClient",),
    "msal": ("ConfidentialClientApplication",),
    "azure-identity": (
        "ClientSecretCredential", "CertificateCredential", "DefaultAzureCredential", "ManagedIdentityCredential",
        "ClientAssertionCredential", "EnvironmentCredential", "WorkloadIdentityCredential", "AzureCliCredential",
        "ChainedTokenCredential",
    ),
    "httpx-auth": ("OAuth2ClientCredentials", "OktaClientCredentials"),
    "requests-auth": ("OAuth2ClientCredentials", "OktaClientCredentials"),
    "requests-oauth2client": ("OAuth2Client", "OAuth2ClientCredentialsAuth"),
    "apimatic": ("ClientCredentialsAuthCredentials",),
}
_LIBRARY_PREFIXES: dict[str, tuple[str, ...]] = {
    "authlib": ("authlib",),
    "requests-oauthlib": ("requests_oauthlib",),
    "oauthlib": ("oauthlib",),
    "msal": ("msal",),
    "azure-identity": ("azure.identity",),
    "httpx-auth": ("httpx_auth",),
    "requests-auth": ("requests_auth",),
    "requests-oauth2client": ("requests_oauth2client",),
    "apimatic": ("apimatic", "paypalserversdk"),
    "google-auth": ("google.auth", "google.oauth2"),
}
# Distinctive class names recognised even when the import cannot be resolved.
_UNAMBIGUOUS_CLASSES: dict[str, str] = {
    "BackendApplicationClient": "oauthlib",
    "ConfidentialClientApplication": "msal",
    "ClientSecretCredential": "azure-identity",
    "OAuth2ClientCredentials": "httpx-auth",
    "OktaClientCredentials": "httpx-auth",
    "OAuth2ClientCredentialsAuth": "requests-oauth2client",
    "AsyncOAuth2Client": "authlib",
    "ClientCredentialsAuthCredentials": "apimatic",
}
_GOOGLE_FACTORIES = ("from_service_account_file", "from_service_account_info", "from_json_keyfile_name")
_FETCH_METHODS = frozenset({"fetch_token", "fetch_access_token"})
# Function names that, imported from another module, say "this always asks for a new token".
_FETCHER_NAMES = re.compile(
    r"^_*(?:fetch|request|obtain|acquire|retrieve|get_new|request_new|fetch_new)_"
    r"(?:access_|oauth2?_|bearer_|api_|new_|auth_)?token(?:_from_server|_from_idp|_raw)?$",
    re.IGNORECASE,
)

CLOCK_CALLS = frozenset(
    {
        "time.time", "time.monotonic", "time.perf_counter", "time.time_ns", "time.monotonic_ns",
        "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.now", "datetime.utcnow",
        "datetime.datetime.today", "arrow.utcnow", "arrow.now", "pendulum.now", "pendulum.today",
        "django.utils.timezone.now", "timezone.now", "loop.time",
    }
)
_CLOCK_NAMES = frozenset({"now", "current_time", "now_ts", "ts_now", "time_now", "now_utc", "utcnow", "current", "t_now"})

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "msg", "bind"})
_IGNORED_SINKS = frozenset(
    {
        "builtins.print", "builtins.len", "builtins.str", "builtins.repr", "builtins.bool", "builtins.isinstance",
        "builtins.hash", "builtins.type", "builtins.id", "builtins.format", "builtins.int", "builtins.float",
        "json.dumps", "hashlib.sha256", "hashlib.md5", "hashlib.sha1", "jwt.decode", "jwt.get_unverified_header",
    }
)
_ROUTE_DECORATORS = re.compile(
    r"(?:^|\.)(?:route|get|post|put|patch|delete|api_route|websocket|api_view|action|task|shared_task|actor|job|"
    r"periodic_task|handler|lambda_handler|view|endpoint)$"
)
_TASK_DECORATOR_HEADS = ("app", "router", "api", "bp", "blueprint", "celery", "dramatiq", "huey", "rq", "views")
CACHE_DECORATORS = frozenset(
    {
        "functools.lru_cache", "functools.cache", "functools.cached_property", "lru_cache", "cache", "cached_property",
        "cachetools.cached", "cachetools.func.ttl_cache", "cachetools.func.lru_cache", "cached", "ttl_cache",
        "cachier.cachier", "cachier", "async_lru.alru_cache", "alru_cache", "aiocache.cached", "diskcache.memoize",
        "django.utils.functional.cached_property", "methodtools.lru_cache", "memoize", "memoized",
    }
)

# ---------------------------------------------------------------------------------------------
# Sites and functions
# ---------------------------------------------------------------------------------------------


@dataclass
class Site:
    """Where a node sits: function, class, innermost loop, guarding tests, except handler."""

    node: cst.CSTNode
    func: Function
    cls: str | None
    loop: cst.CSTNode | None = None
    guards: tuple[cst.BaseExpression, ...] = ()
    handler: cst.ExceptHandler | None = None
    main_guard: bool = False


@dataclass
class Assignment:
    targets: list[cst.BaseExpression]
    value: cst.BaseExpression
    site: Site
    augmented: bool = False


@dataclass
class Function:
    """A function, method or the module body (``node`` is the Module then)."""

    node: cst.FunctionDef | cst.Module
    name: str
    qualname: str
    cls: str | None = None
    parent: Function | None = None
    decorators: list[str] = field(default_factory=list)
    decorator_nodes: list[cst.Decorator] = field(default_factory=list)
    params: list[str] = field(default_factory=list)
    param_defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)
    param_annotations: dict[str, str] = field(default_factory=dict)
    is_async: bool = False
    calls: list[Site] = field(default_factory=list)
    returns: list[Site] = field(default_factory=list)
    compares: list[Site] = field(default_factory=list)
    assigns: list[Assignment] = field(default_factory=list)
    globals: set[str] = field(default_factory=set)
    handlers: list[Site] = field(default_factory=list)
    loops: list[cst.CSTNode] = field(default_factory=list)

    @property
    def is_module(self) -> bool:
        return type(self.node) is cst.Module

    @property
    def positional_params(self) -> list[str]:
        """Parameters as callers index them (``self``/``cls`` of methods left out)."""
        if self.cls is not None and self.params and self.params[0] in ("self", "cls"):
            return self.params[1:]
        return self.params


class _Walker:
    """One pass over the module recording functions and sites (cheap; no metadata providers)."""

    def __init__(self, module: cst.Module) -> None:
        self.module_fn = Function(node=module, name="<module>", qualname="<module>")
        self.functions: list[Function] = [self.module_fn]
        self.site_of: dict[int, Site] = {}
        self.classes: dict[str, cst.ClassDef] = {}
        self.class_bases: dict[str, list[str]] = {}

    # -- statements ---------------------------------------------------------------------------
    def block(self, stmts: Iterable[cst.CSTNode], ctx: Site) -> None:
        guards = ctx.guards
        for stmt in stmts:
            # sites are never changed once made, so the block's own site serves every statement
            # until an early-exit guard adds a test (a copy per statement was 5% of the walk)
            self.stmt(stmt, ctx if guards is ctx.guards else _with(ctx, guards=guards))
            if type(stmt) is cst.If and (_exits(stmt.body) or _may_return(stmt.body)):
                # code after ``if cached: return cached`` runs only when the test failed
                guards = guards + (stmt.test,)

    def suite(self, body: cst.BaseSuite, ctx: Site) -> None:
        if type(body) is cst.SimpleStatementSuite:
            for small in body.body:
                self.small(small, ctx)
        else:
            self.block(body.body, ctx)

    def stmt(self, stmt: cst.CSTNode, ctx: Site) -> None:
        # exact-type dispatch: libcst's concrete node classes have no subclasses (see nodes.py)
        kind = type(stmt)
        if kind is cst.SimpleStatementLine:
            for small in stmt.body:  # type: ignore[attr-defined]
                self.small(small, ctx)
        elif kind is cst.FunctionDef:
            self.function(stmt, ctx)  # type: ignore[arg-type]
        elif kind is cst.ClassDef:
            self.klass(stmt, ctx)  # type: ignore[arg-type]
        elif kind is cst.If:
            self.if_(stmt, ctx)  # type: ignore[arg-type]
        elif kind is cst.For or kind is cst.While:
            self.loop(stmt, ctx)  # type: ignore[arg-type]
        elif kind is cst.Try or kind is cst.TryStar:
            self.suite(stmt.body, ctx)
            for handler in stmt.handlers:
                if handler.type is not None:
                    self.expr(handler.type, ctx)
                hctx = _with(ctx, handler=handler)
                ctx.func.handlers.append(hctx)
                self.suite(handler.body, hctx)
            if stmt.orelse is not None:
                self.suite(stmt.orelse.body, ctx)
            if stmt.finalbody is not None:
                self.suite(stmt.finalbody.body, ctx)
        elif kind is cst.With:
            for item in stmt.items:
                self.expr(item.item, ctx)
                if item.asname is not None:
                    ctx.func.assigns.append(Assignment([item.asname.name], item.item, ctx))
            self.suite(stmt.body, ctx)
        elif kind is cst.Match:
            self.expr(stmt.subject, ctx)
            for case in stmt.cases:
                self.suite(case.body, ctx)
        else:
            for child in child_nodes(stmt):
                if is_suite(child):
                    self.suite(child, ctx)  # type: ignore[arg-type]
                elif is_expression(child):
                    self.expr(child, ctx)

    def if_(self, stmt: cst.If, ctx: Site) -> None:
        self.expr(stmt.test, ctx)
        main = ctx.func.is_module and _is_main_test(stmt.test)
        inner = _with(ctx, guards=ctx.guards + (stmt.test,), main_guard=ctx.main_guard or main)
        self.suite(stmt.body, inner if not main else _with(ctx, main_guard=True))
        orelse = stmt.orelse
        if type(orelse) is cst.If:
            self.if_(orelse, _with(ctx, guards=ctx.guards + (stmt.test,)))
        elif orelse is not None:
            self.suite(orelse.body, _with(ctx, guards=ctx.guards + (stmt.test,)))

    def loop(self, stmt: cst.For | cst.While, ctx: Site) -> None:
        if type(stmt) is cst.For:
            self.expr(stmt.iter, ctx)
            ctx.func.assigns.append(Assignment([stmt.target], stmt.iter, ctx))
            body_ctx = _with(ctx, loop=stmt)
        else:
            self.expr(stmt.test, ctx)
            constant = type(stmt.test) is cst.Name and stmt.test.value == "True" or type(stmt.test) is cst.Integer
            body_ctx = _with(ctx, loop=stmt, guards=ctx.guards if constant else ctx.guards + (stmt.test,))
        ctx.func.loops.append(stmt)
        self.suite(stmt.body, body_ctx)
        if stmt.orelse is not None:
            self.suite(stmt.orelse.body, ctx)

    def function(self, node: cst.FunctionDef, ctx: Site) -> None:
        for deco in node.decorators:
            self.expr(deco.decorator, ctx)
        parent = ctx.func
        if parent.is_module:
            qual = f"{ctx.cls}.{node.name.value}" if ctx.cls else node.name.value
        else:
            qual = f"{parent.qualname}.{node.name.value}"
        fn = Function(
            node=node,
            name=node.name.value,
            qualname=qual,
            cls=ctx.cls,
            parent=None if parent.is_module else parent,
            decorators=[_decorator_name(d) for d in node.decorators],
            decorator_nodes=list(node.decorators),
            params=_param_names(node.params),
            param_defaults={p.name.value: p.default for p in _all_params(node.params) if p.default is not None},
            param_annotations={p.name.value: _annotation_name(p.annotation) for p in _all_params(node.params) if p.annotation is not None and _annotation_name(p.annotation)},
            is_async=node.asynchronous is not None,
        )
        self.functions.append(fn)
        for param in _all_params(node.params):
            if param.default is not None:
                self.expr(param.default, ctx)
        self.suite(node.body, Site(node=node, func=fn, cls=fn.cls))

    def klass(self, node: cst.ClassDef, ctx: Site) -> None:
        for deco in node.decorators:
            self.expr(deco.decorator, ctx)
        for arg in node.bases:
            self.expr(arg.value, ctx)
        name = node.name.value
        self.classes.setdefault(name, node)
        self.class_bases[name] = [dotted_name(a.value) or "" for a in node.bases]
        inner = _with(ctx, cls=name, loop=None, guards=(), handler=None) if ctx.func.is_module else _with(ctx, cls=name)
        self.suite(node.body, inner)

    def small(self, small: cst.CSTNode, ctx: Site) -> None:
        fn = ctx.func
        kind = type(small)
        if kind is cst.Assign:
            if len(small.targets) == 1 and _parallel(small.targets[0].target, small.value):
                # ``self.tok, self.exp = b["access_token"], now + b["expires_in"]``: pair them up
                for target, value in zip(small.targets[0].target.elements, small.value.elements):  # type: ignore[attr-defined]
                    fn.assigns.append(Assignment([target.value], value.value, ctx))
            else:
                fn.assigns.append(Assignment([t.target for t in small.targets], small.value, ctx))
            for t in small.targets:
                self.expr(t.target, ctx)
            self.expr(small.value, ctx)
        elif kind is cst.AnnAssign:
            if small.value is not None:
                fn.assigns.append(Assignment([small.target], small.value, ctx))
                self.expr(small.value, ctx)
        elif kind is cst.AugAssign:
            fn.assigns.append(Assignment([small.target], small.value, ctx, augmented=True))
            self.expr(small.value, ctx)
        elif kind is cst.Return:
            if small.value is not None:
                fn.returns.append(_with(ctx, node=small.value))
                self.expr(small.value, ctx)
        elif kind is cst.Global or kind is cst.Nonlocal:
            fn.globals.update(n.name.value for n in small.names)
        else:
            for child in child_nodes(small):
                if is_expression(child):
                    self.expr(child, ctx)

    # -- expressions --------------------------------------------------------------------------
    def expr(self, node: cst.CSTNode, ctx: Site) -> None:
        stack: list[tuple[cst.CSTNode, Site]] = [(node, ctx)]
        while stack:
            current, site = stack.pop()
            kind = type(current)
            if _is_leaf(current):
                continue
            if kind is cst.Call:
                call_site = _with(site, node=current)
                site.func.calls.append(call_site)
                self.site_of[id(current)] = call_site
            elif kind is cst.Comparison:
                site.func.compares.append(_with(site, node=current))
            elif kind is cst.NamedExpr:
                site.func.assigns.append(Assignment([current.target], current.value, site))  # type: ignore[attr-defined]
            elif kind in _COMPREHENSIONS:
                site = _with(site, loop=current)
                site.func.loops.append(current)
            elif kind is cst.IfExp:
                stack.append((current.test, site))  # type: ignore[attr-defined]
                guarded = _with(site, guards=site.guards + (current.test,))  # type: ignore[attr-defined]
                stack.append((current.body, guarded))  # type: ignore[attr-defined]
                stack.append((current.orelse, guarded))  # type: ignore[attr-defined]
                continue
            # leaves are dropped here rather than after the pop: same walk, fewer stack entries
            stack.extend([(child, site) for child in reversed(child_nodes(current)) if not _is_leaf(child)])


_LEAVES = (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.BaseParenthesizableWhitespace)
_LEAF_CACHE: dict[type, bool] = {}


def _is_leaf(node: cst.CSTNode) -> bool:
    """Nodes the walker has nothing to record in or below: names, literals, whitespace, and nodes
    without child fields (commas, dots, operators)."""
    kind = type(node)
    leaf = _LEAF_CACHE.get(kind)
    if leaf is None:
        leaf = _LEAF_CACHE[kind] = issubclass(kind, _LEAVES) or not has_child_fields(kind)
    return leaf
_COMPREHENSIONS = frozenset({cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp})


def _with(site: Site, **changes: Any) -> Site:
    """``dataclasses.replace`` for ``Site`` without its per-call field validation (a hot path:
    the walker makes one site per statement and call)."""
    copy = object.__new__(Site)
    copy.__dict__.update(site.__dict__)
    copy.__dict__.update(changes)
    return copy


def _exits(body: cst.BaseSuite) -> bool:
    """The block ends in return/raise/continue/break (an early-exit guard)."""
    statements = body.body if type(body) in (cst.IndentedBlock, cst.SimpleStatementSuite) else ()
    if not statements:
        return False
    last = statements[-1]
    if type(last) is cst.SimpleStatementLine:
        return any(type(s) in (cst.Return, cst.Raise, cst.Continue, cst.Break) for s in last.body)
    if type(last) in (cst.Return, cst.Raise, cst.Continue, cst.Break):
        return True
    if type(last) is cst.If and last.orelse is not None and type(last.orelse) is not cst.If:
        return _exits(last.body) and _exits(last.orelse.body)
    return False


def _parallel(target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
    return (
        type(target) in (cst.Tuple, cst.List)
        and type(value) in (cst.Tuple, cst.List)
        and len(target.elements) == len(value.elements)
        and not any(type(e) is cst.StarredElement for e in (*target.elements, *value.elements))
    )


def _may_return(body: cst.BaseSuite) -> bool:
    """A ``return`` somewhere in the block (nested ``if``/``with``/``try``, not nested functions)."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is cst.Return:
            return True
        if kind is cst.FunctionDef or kind is cst.ClassDef or is_expression(node):
            continue  # (a Lambda is an expression)
        stack.extend(child_nodes(node))
    return False


def _is_main_test(test: cst.BaseExpression) -> bool:
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    left = dotted_name(test.left)
    right = evaluate(test.comparisons[0].comparator)
    return left == "__name__" and right == "__main__"


def _decorator_name(deco: cst.Decorator) -> str:
    node = deco.decorator
    if type(node) is cst.Call:
        node = node.func
    return dotted_name(node) or ""


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    if type(params.star_arg) is cst.Param:
        out.append(params.star_arg)
    if params.star_kwarg is not None:
        out.append(params.star_kwarg)
    return out


def _annotation_name(annotation: cst.Annotation | None) -> str:
    """``tokens: AelixTokenManager`` -> ``AelixTokenManager`` (``Optional[X]``/``X | None`` too)."""
    if annotation is None:
        return ""
    node = annotation.annotation
    if type(node) is cst.SimpleString:
        value = literal_value(node)
        return value if isinstance(value, str) else ""
    if type(node) is cst.BinaryOperation:
        node = node.left
    if type(node) is cst.Subscript and dotted_name(node.value) in ("Optional", "typing.Optional") and node.slice:
        inner = node.slice[0].slice
        node = inner.value if type(inner) is cst.Index else node
    return dotted_name(node) or ""


def _param_names(params: cst.Parameters) -> list[str]:
    return [p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)]


# ---------------------------------------------------------------------------------------------
# Scopes, clients and API calls
# ---------------------------------------------------------------------------------------------


@dataclass
class ScopeItem:
    """One requested scope and the literal that holds it (``offset``: columns into the literal)."""

    scope: str
    node: cst.CSTNode
    offset: int = -1


@dataclass
class ScopeRequest:
    """The scopes one request asks for, as far as this module shows them."""

    anchor: cst.CSTNode
    context: str
    items: list[ScopeItem] = field(default_factory=list)
    status: str = "literal"  # "literal" | "ref" | "unknown"
    ref: str | None = None  # qualified name of another module's constant holding the scopes
    reason: str = ""
    provider: str | None = None
    name_only: bool = False  # found by the name of a constant/key, not at a request

    @property
    def scopes(self) -> list[str]:
        return [i.scope for i in self.items]


@dataclass
class Client:
    """A place a token is obtained: an acquisition call, or a constructor of an object that obtains
    tokens (authlib/oauthlib sessions, msal apps, azure credentials, httpx-auth auth objects...)."""

    index: int
    node: cst.Call
    kind: str
    library: str
    site: Site
    scopes: ScopeRequest | None = None
    token_url: str | None = None
    holder: str | None = None  # object key of the object this call creates or acts on
    network: bool = False  # each execution contacts the token endpoint
    is_object: bool = False  # a constructor (the object may cache tokens itself)
    caches_internally: bool = False  # msal app, azure credential, authlib session, httpx-auth...
    per_call_object: bool = False  # acquisition on an object built in the same function
    provider: str | None = None
    key: str = ""

    @property
    def function(self) -> Function:
        return self.site.func


@dataclass
class ApiCall:
    """An HTTP request that is not a token request, with the token it carries (if any)."""

    hc: HttpCall
    site: Site
    token: str | None = None  # token key
    token_via: str = ""  # "header" | "auth" | "session" | ""
    url: StringValue | None = None


def _safe(func: Any, *args: Any) -> Any:
    """Shared helpers may recurse without bound on self-referential bindings (``url = urljoin(url,
    p)``); treat that as "unknown" instead of losing the whole file."""
    try:
        return func(*args)
    except RecursionError:
        return None


def module_name_for(path: str) -> str:
    """``app/auth.py`` -> ``app.auth``; ``pkg/__init__.py`` -> ``pkg``."""
    text = path.replace("\\", "/")
    if text.endswith((".py", ".pyi", ".pyw")):
        text = text.rsplit(".", 1)[0]
    parts = [p for p in text.split("/") if p and p != "."]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "__main__"


def tokenish(name: str) -> bool:
    """Names that hold tokens, token responses, credentials or token helpers."""
    w = set(words(name))
    return bool(w & {"token", "tokens", "tok", "tkn", "access", "bearer", "jwt", "credential", "credentials", "creds", "auth", "authorization", "oauth", "oauth2", "session"})


class ClientModel:
    """Everything the scope and refresh rules need to know about one module."""

    def release(self) -> None:
        """Break the function <-> call site reference cycles once the file is done, so that its
        syntax tree is freed at once instead of by a garbage collection (``checker.pipeline``)."""
        for fn in self.functions:
            for sites in (fn.calls, fn.returns, fn.compares, fn.assigns, fn.handlers):
                sites.clear()
        self.__dict__.clear()

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.settings: Settings = ctx.settings
        self.info: ModuleInfo = module_info(ctx)
        self.module_name = module_name_for(ctx.path)
        self.is_package = posixpath.basename(ctx.path) == "__init__.py"
        walker = _Walker(ctx.module)
        walker.block(ctx.module.body, Site(node=ctx.module, func=walker.module_fn, cls=None))
        self.module_fn = walker.module_fn
        self.functions = walker.functions
        self.site_of = walker.site_of
        self.classes = walker.classes
        self.class_bases = walker.class_bases
        self.by_qualname: dict[str, Function] = {f.qualname: f for f in self.functions if not f.is_module}
        self._locals: dict[int, dict[str, list[cst.BaseExpression]]] = {}
        self._binding_stack: set[tuple[int, str]] = set()
        self._callee_keys: dict[tuple[int, int], tuple[cst.Call, Function, str | None]] = {}
        self._value_keys: dict[tuple[int, int], str | None] = {}
        self.clients: list[Client] = []
        self.client_at: dict[int, Client] = {}
        self.object_edges: dict[str, list[str]] = {}
        self.scope_requests: list[ScopeRequest] = []
        self.api_calls: list[ApiCall] = []
        self.http_calls: list[tuple[Site, HttpCall]] = []
        self.token_requests: set[int] = set()
        self.other_grant_calls: set[int] = set()
        self._recognise_all()

    # -- resolution helpers -------------------------------------------------------------------
    def locals_of(self, fn: Function) -> dict[str, list[cst.BaseExpression]]:
        cached = self._locals.get(id(fn))
        if cached is not None:
            return cached
        found: dict[str, list[cst.BaseExpression]] = {}
        for assign in fn.assigns:
            if assign.augmented:
                continue
            for target in assign.targets:
                for name in _target_names(target):
                    found.setdefault(name, []).append(assign.value)
        self._locals[id(fn)] = found
        return found

    def resolve_import(self, qual: str) -> str:
        """Make an import target project-absolute: ``.auth.fetch`` in ``app.accounts`` ->
        ``app.auth.fetch``, and ``app.auth.fetch`` in ``services/pay/app/accounts.py`` ->
        ``services.pay.app.auth.fetch`` (two services with an ``app`` package stay apart)."""
        if not qual.startswith("."):
            top = qual.split(".", 1)[0]
            parts = self.module_name.split(".")[:-1]
            if top in parts and top not in _KNOWN_ROOTS and parts.index(top) > 0:
                return ".".join(parts[: parts.index(top)] + [qual])
            return qual
        level = len(qual) - len(qual.lstrip("."))
        rest = qual[level:]
        parts = self.module_name.split(".")
        package = parts if self.is_package else parts[:-1]
        base = package[: max(len(package) - (level - 1), 0)]
        return ".".join([*base, rest] if rest else base)

    def qualify(self, expr: cst.BaseExpression) -> str | None:
        q = self.info.qualify(expr)
        return self.resolve_import(q) if q else None

    def name_values(self, name: str, fn: Function) -> tuple[str, list[cst.BaseExpression], Function | None]:
        """Where a bare name comes from: ("local"|"param"|"module"|"import"|"unknown", values, owner)."""
        if name in fn.globals:
            return ("module", self.locals_of(self.module_fn).get(name, []), self.module_fn)
        scope: Function | None = fn
        while scope is not None:
            values = self.locals_of(scope).get(name)
            if values:
                return ("module" if scope.is_module else "local", values, scope)
            if name in scope.params:
                return ("param", [], scope)
            scope = scope.parent if scope.parent is not None else (self.module_fn if not scope.is_module else None)
        if name in self.info.imports:
            return ("import", [], None)
        return ("unknown", [], None)

    def function_key(self, fn: Function) -> str:
        return f"{self.module_name}.{fn.qualname}"

    def obj_key(self, expr: cst.BaseExpression, fn: Function) -> str | None:
        """A stable key for the object an expression names (``self.session`` -> ``M.C.session``)."""
        while type(expr) is cst.Await:
            expr = expr.expression
        name = dotted_name(expr)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in ("self", "cls") and fn.cls:
            return f"{self.module_name}.{fn.cls}.{rest}" if rest else None
        if head in self.classes and rest:
            return f"{self.module_name}.{head}.{rest}"
        origin, _values, owner = self.name_values(head, fn)
        tail = f".{rest}" if rest else ""
        if origin == "module":
            return f"{self.module_name}.{name}"
        if origin == "local" and owner is not None:
            return f"{self.module_name}.{owner.qualname}.<locals>.{name}"
        if origin == "param" and owner is not None:
            return self.param_key(owner, head) + tail
        if origin == "import":
            return self.resolve_import(self.info.imports[head]) + tail
        return None

    def param_key(self, fn: Function, name: str) -> str:
        params = fn.positional_params
        index = params.index(name) if name in params else -1
        return f"param:{self.function_key(fn)}#{name}#{index}"

    def callee_key(self, call: cst.Call, fn: Function) -> str | None:
        """Qualified name of a called project function/method (``M.f``, ``M.C.m``, ``pkg.mod.f``).

        Memoized per (call, function): the lifecycle, the facts and the edges ask for the same calls.
        Only outermost questions are remembered: inside ``bound_class`` the cycle guard may answer
        None for what is, asked afresh, a known class."""
        if self._binding_stack:
            return self._callee_key(call, fn)
        memo = self._callee_keys.get((id(call), id(fn)))
        if memo is not None and memo[0] is call and memo[1] is fn:
            return memo[2]
        found = self._callee_key(call, fn)
        self._callee_keys[(id(call), id(fn))] = (call, fn, found)
        return found

    def _callee_key(self, call: cst.Call, fn: Function) -> str | None:
        func = call.func
        if type(func) is cst.Name:
            name = func.value
            inner: Function | None = fn
            while inner is not None and not inner.is_module:
                nested = self.by_qualname.get(f"{inner.qualname}.{name}")
                if nested is not None:
                    return self.function_key(nested)
                inner = inner.parent
            if name in self.by_qualname or name in self.classes:
                return f"{self.module_name}.{name}"
            if name in self.info.imports:
                return self.resolve_import(self.info.imports[name])
            return None
        if type(func) is cst.Attribute:
            method = func.attr.value
            receiver = func.value
            if type(receiver) is cst.Name and receiver.value in ("self", "cls") and fn.cls:
                if f"{fn.cls}.{method}" not in self.by_qualname:
                    inherited = self._inherited(fn.cls, method)
                    if inherited is not None:
                        return inherited
                return f"{self.module_name}.{fn.cls}.{method}"
            if type(receiver) is cst.Call and type(receiver.func) is cst.Name and receiver.func.value == "super":
                return None
            if type(receiver) is cst.Call:
                inner_key = self.callee_key(receiver, fn)
                return f"{inner_key}.{method}" if inner_key else None
            if type(receiver) is cst.Name and receiver.value in fn.param_annotations:
                annotated = self._class_key(fn.param_annotations[receiver.value])
                if annotated is not None:
                    return f"{annotated}.{method}"
            owner = self.obj_key(receiver, fn)
            if owner is not None:
                bound = self.bound_class(receiver, fn)
                return f"{bound}.{method}" if bound else f"{owner}.{method}"
        return None

    def _inherited(self, cls: str, method: str, depth: int = 0) -> str | None:
        """``self._request`` defined in a base class (here or imported): its qualified name."""
        for base in self.class_bases.get(cls, []):
            if not base or base in ("object", "ABC", "abc.ABC"):
                continue
            if base in self.classes and depth < 5:
                if f"{base}.{method}" in self.by_qualname:
                    return f"{self.module_name}.{base}.{method}"
                found = self._inherited(base, method, depth + 1)
                if found is not None:
                    return found
                continue
            key = self._class_key(base)
            if key is not None and not key.startswith(("requests.", "httpx.", "aiohttp.")):
                return f"{key}.{method}"
        return None

    def _class_key(self, name: str) -> str | None:
        """A class named in an annotation, as a project-qualified name (None for builtins/typing)."""
        head = name.split(".")[0]
        if name in self.classes:
            return f"{self.module_name}.{name}"
        if head in self.info.imports and not self.info.imports[head].startswith(("typing", "collections", "builtins")):
            return self.resolve_import(self.info.imports[head]) + name[len(head):]
        return None

    def bound_class(self, receiver: cst.BaseExpression, fn: Function) -> str | None:
        """The project class an object was built from, when this module shows it."""
        name = dotted_name(receiver)
        if name is None:
            return None
        marker = (id(fn), name)
        if marker in self._binding_stack:
            return None  # ``x = x.child()``: a cycle through the same name
        self._binding_stack.add(marker)
        try:
            for value in self.values_of(receiver, fn):
                if type(value) is cst.Call:
                    key = self.callee_key(value, fn)
                    if key is not None:
                        return key
            return None
        finally:
            self._binding_stack.discard(marker)

    def values_of(self, expr: cst.BaseExpression, fn: Function) -> list[cst.BaseExpression]:
        """Expressions assigned to a name or ``self.attr`` (flow-insensitive)."""
        name = dotted_name(expr)
        if name is None:
            return []
        if name.startswith(("self.", "cls.")) and fn.cls:
            attr = name.split(".", 1)[1]
            out: list[cst.BaseExpression] = []
            for other in self.functions:
                if other.cls == fn.cls:
                    out.extend(self.locals_of(other).get(f"self.{attr}", []))
                    out.extend(self.locals_of(other).get(f"cls.{attr}", []))
            const = self.info.class_constants.get(f"{fn.cls}.{attr}")
            if const is not None:
                out.append(const)
            return out
        if "." in name:
            return []
        origin, values, _owner = self.name_values(name, fn)
        return values if origin in ("local", "module") else []

    def single(self, expr: cst.BaseExpression, fn: Function) -> cst.BaseExpression | None:
        values = self.values_of(expr, fn)
        return values[0] if len(values) == 1 else None

    # -- recognition --------------------------------------------------------------------------
    def _recognise_all(self) -> None:
        for fn in self.functions:
            for site in fn.calls:
                self._recognise(site)
        for fn in self.functions:
            for site in fn.calls:
                hc = self._http.get(id(site.node)) if hasattr(self, "_http") else None
                if hc is not None and id(site.node) not in self.token_requests:
                    self._api_call(site, hc)
        self._object_edges()
        self._link_objects()

    def _recognise(self, site: Site) -> None:
        call = site.node
        assert type(call) is cst.Call
        fn = site.func
        scope_node = fn.node
        # http_call only recognises verb-named callees; skip the qualification work for the rest
        hc = _safe(http_call, call, self.info, scope_node) if last_name(call.func).lower() in _HTTP_CALLEE_NAMES else None
        if hc is not None:
            if not hasattr(self, "_http"):
                self._http: dict[int, HttpCall] = {}
            self._http[id(call)] = hc
            self.http_calls.append((site, hc))
            if _safe(is_token_request, hc, self.info, self.settings, scope_node) or self._posts_client_credentials(hc, fn):
                self.token_requests.add(id(call))
                if not self._other_grant(hc, fn):
                    self._add_raw_client(site, hc)
                else:
                    self.other_grant_calls.add(id(call))
                return
        qual = self.qualify(call.func) or ""
        last = last_name(call.func)
        library = self._object_library(qual, last)
        if library is not None:
            self._add_object_client(site, library, last, qual)
            return
        if qual in ("google.auth.default", "google.auth.load_credentials_from_file"):
            self._add_google(site, qual.rsplit(".", 1)[-1])
            return
        if type(call.func) is not cst.Attribute:
            return
        receiver = call.func.value
        receiver_class = self._receiver_class(receiver, fn)
        if last in _FETCH_METHODS:
            self._add_fetch(site, receiver, receiver_class)
        elif last == "acquire_token_for_client":
            self._add_method_client(site, "msal-acquire", "msal", receiver, _arg(call, 0, "scopes"), "msal acquire_token_for_client")
        elif last in ("get_token", "get_token_info") and receiver_class.startswith("azure.identity"):
            scopes = [a.value for a in call.args if a.keyword is None and not a.star]
            self._add_method_client(site, "azure-get-token", "azure-identity", receiver, scopes or None, "azure-identity get_token")
        elif last == "client_credentials" and (receiver_class.startswith("requests_oauth2client") or "requests_oauth2client" in self._imported_roots()):
            self._add_method_client(site, "roc-fetch", "requests-oauth2client", receiver, _arg(call, 0, "scope"), "requests-oauth2client client_credentials")
        elif last in _GOOGLE_FACTORIES or qual.endswith(("service_account.Credentials.from_service_account_file", "service_account.Credentials.from_service_account_info")) or last == "with_scopes" and (receiver_class.startswith("google") or "google" in self._imported_roots()):
            self._add_google(site, last)
        elif last == "refresh" and self._is_google_refresh(call):
            self._add_method_client(site, "google-refresh", "google-auth", receiver, None, "google-auth refresh")

    def _imported_roots(self) -> set[str]:
        roots = getattr(self, "_roots", None)
        if roots is None:
            roots = {q.split(".")[0] for q in self.info.imports.values()}
            self._roots = roots
        return roots

    def _posts_client_credentials(self, hc: HttpCall, fn: Function) -> bool:
        """A POST whose body carries a ``grant_type`` (any value: it may be a parameter defaulting to
        ``client_credentials``) or the client's ``client_id`` and ``client_secret``, also when the
        dict is built in a local variable or completed later (``data["grant_type"] = ...``)."""
        if hc.method not in (None, "POST"):
            return False
        for key in ("data", "json", "params", "body", "content"):
            body = hc.keywords.get(key)
            if body is None:
                continue
            candidates = [body]
            if type(body) is cst.Name:
                candidates = list(self.locals_of(fn).get(body.value, [])) or [body]
            for value in candidates:
                items = dict_literal_items(value, self.info, fn.node)
                if items is None:
                    continue
                if "grant_type" in items:
                    grant = evaluate(items["grant_type"], self.info)
                    if grant in ("client_credentials", None) or not isinstance(grant, str) or grant == "":
                        return True
                if "client_id" in items and "client_secret" in items and "refresh_token" not in items and "code" not in items:
                    return True
            if type(body) is cst.Name:
                for assign in fn.assigns:
                    for target in assign.targets:
                        if type(target) is cst.Subscript and dotted_name(target.value) == body.value and _subscript_key(target, self.info) == "grant_type":
                            return evaluate(assign.value, self.info) in ("client_credentials",) or not isinstance(evaluate(assign.value, self.info), str)
        return False

    def _other_grant(self, hc: HttpCall, fn: Function) -> bool:
        """A token request for another grant (authorization code, refresh token, password,
        token exchange): a user login flow, not this application's client-credentials token."""
        for key in ("data", "json", "params", "body", "content"):
            body = hc.keywords.get(key)
            if body is None:
                continue
            items = dict_literal_items(body, self.info, fn.node)
            if items is None:
                text = string_template(body, self.info)
                if text is not None and "grant_type=" in text.text:
                    return "grant_type=client_credentials" not in text.text
                continue
            grant = evaluate(items.get("grant_type"), self.info) if "grant_type" in items else None
            if isinstance(grant, str) and grant and grant != "client_credentials":
                return True
            if any(k in items for k in ("code", "refresh_token", "password", "code_verifier", "subject_token", "device_code")):
                return True
        return False

    def _object_library(self, qual: str, last: str) -> str | None:
        """The OAuth library whose token-obtaining class a constructor call builds, or None."""
        return _object_library_of(qual, last)

    def _receiver_class(self, receiver: cst.BaseExpression, fn: Function) -> str:
        """Qualified constructor of a method receiver (``self.app`` -> ``msal.ConfidentialClientApplication``)."""
        if type(receiver) is cst.Call:
            return self.qualify(receiver.func) or ""
        qual = self.qualify(receiver)
        if qual and "." in qual and qual.split(".")[0] in _KNOWN_ROOTS:
            return qual
        for value in self.values_of(receiver, fn):
            while type(value) is cst.Await:
                value = value.expression
            if type(value) is cst.Call:
                inner = self.qualify(value.func) or last_name(value.func)
                if inner:
                    return inner
        return qual or ""

    def _is_google_refresh(self, call: cst.Call) -> bool:
        if len(call.args) != 1 or type(call.args[0].value) is not cst.Call:
            return False
        inner = self.qualify(call.args[0].value.func) or ""
        return inner.startswith("google.auth.transport") and inner.endswith("Request")

    # -- client constructors ------------------------------------------------------------------
    def _new_client(self, site: Site, kind: str, library: str, **kw: Any) -> Client:
        call = site.node
        assert type(call) is cst.Call
        client = Client(index=len(self.clients), node=call, kind=kind, library=library, site=site, **kw)
        client.key = f"client:{self.module_name}#{client.index}"
        self.clients.append(client)
        self.client_at[id(call)] = client
        if client.scopes is not None:
            client.scopes.provider = client.scopes.provider or client.provider
            self.scope_requests.append(client.scopes)
        return client

    def _add_raw_client(self, site: Site, hc: HttpCall) -> None:
        fn = site.func
        url = _safe(url_text, hc.url, self.info, fn.node) if hc.url is not None else None
        scopes = self._body_scopes(hc, fn)
        token_url = url.text if url is not None else None
        self._new_client(
            site, "raw", hc.library, scopes=scopes, token_url=token_url, network=True,
            provider=provider_hint(token_url), holder=self._assigned_key(site),
        )

    def _body_scopes(self, hc: HttpCall, fn: Function) -> ScopeRequest | None:
        for key in ("data", "json", "params", "content", "body", "fields"):
            body = hc.keywords.get(key)
            if body is None:
                continue
            request = self._scopes_in_body(body, fn, depth=0)
            if request is not None:
                return request
        url = _safe(url_text, hc.url, self.info, fn.node) if hc.url is not None else None
        if url is not None and "scope=" in url.text:
            return self._scopes_in_query(hc.url, url.text, "token request URL")  # type: ignore[arg-type]
        return None

    def _scopes_in_body(self, body: cst.BaseExpression, fn: Function, depth: int) -> ScopeRequest | None:
        if depth > 3:
            return None
        items = dict_literal_items(body, self.info, fn.node)
        if items is not None:
            for name in ("scope", "scopes"):
                if name in items:
                    return self.scope_request(items[name], fn, "token request body")
            if type(body) is cst.Name:
                for value in self.locals_of(fn).get(body.value, []):
                    if type(value) is cst.Subscript:
                        continue
                for assign in fn.assigns:
                    for target in assign.targets:
                        if type(target) is cst.Subscript and dotted_name(target.value) == body.value and _subscript_key(target, self.info) in ("scope", "scopes"):
                            return self.scope_request(assign.value, fn, "token request body")
            return None
        while type(body) is cst.Name:
            bound = self.single(body, fn)
            if bound is None:
                break
            body = bound
        if type(body) is cst.Call:
            qual = self.qualify(body.func) or ""
            if qual.endswith("urlencode") and body.args:
                return self._scopes_in_body(body.args[0].value, fn, depth + 1)
            if type(body.func) is cst.Attribute and body.func.attr.value == "encode":
                return self._scopes_in_body(body.func.value, fn, depth + 1)
        text = string_template(body, self.info)
        if text is not None and "scope=" in text.text:
            return self._scopes_in_query(body, text.text, "token request body")
        return None

    def _scopes_in_query(self, node: cst.BaseExpression, text: str, context: str) -> ScopeRequest:
        from urllib.parse import parse_qs

        query = text.split("?", 1)[1] if "?" in text else text
        values = parse_qs(query).get("scope", [])
        request = ScopeRequest(anchor=node, context=context)
        for value in values:
            if "{" in value:
                request.status, request.reason = "unknown", "scope built at run time"
                continue
            for scope, _offset in split_scopes(value):
                request.items.append(ScopeItem(scope, node, -1))
        if not request.items and request.status == "literal":
            request.status, request.reason = "unknown", "scope built at run time"
        return request

    def _assigned_key(self, site: Site) -> str | None:
        """The object key the call's result is assigned to (``self.session = OAuth2Session(...)``)."""
        call = site.node
        for assign in site.func.assigns:
            value = assign.value
            while type(value) is cst.Await:
                value = value.expression
            if value is call:
                for target in assign.targets:
                    key = self.obj_key(target, site.func)
                    if key is not None:
                        return key
        return None

    def _add_object_client(self, site: Site, library: str, last: str, qual: str) -> None:
        call = site.node
        assert type(call) is cst.Call
        holder = self._assigned_key(site)
        scopes: ScopeRequest | None = None
        token_url: str | None = None
        kind = "object"
        caches = library in ("msal", "azure-identity", "httpx-auth", "requests-auth", "authlib", "google-auth", "apimatic")
        if library in ("authlib", "oauth-session", "requests-oauthlib"):
            kind = "session"
            scope_expr = _arg(call, 4, "scope")  # fifth positional in authlib and requests-oauthlib
            if scope_expr is not None:
                scopes = self.scope_request(scope_expr, site.func, f"{library} {last} scope")
            url_expr = _kwarg(call, "token_endpoint") or _kwarg(call, "token_url") or _kwarg(call, "auto_refresh_url")
            if url_expr is not None:
                text = _safe(url_text, url_expr, self.info, site.func.node)
                token_url = text.text if text else None
            inner = _kwarg(call, "client")
            if inner is not None and scopes is None:
                scopes = self._backend_scopes(inner, site.func)
        elif library == "oauthlib":
            kind = "oauthlib-client"
            scope_expr = _arg(call, 99, "scope")
            if scope_expr is not None:
                scopes = self.scope_request(scope_expr, site.func, "oauthlib BackendApplicationClient scope")
        elif library in ("httpx-auth", "requests-auth"):
            kind = "auth-object"
            scope_expr = _kwarg(call, "scope")
            if scope_expr is not None:
                scopes = self.scope_request(scope_expr, site.func, f"{library} {last} scope")
            url_expr = _arg(call, 0, "token_url")
            text = _safe(url_text, url_expr, self.info, site.func.node) if url_expr is not None else None
            token_url = text.text if text else None
        elif library == "requests-oauth2client":
            if last == "OAuth2ClientCredentialsAuth":
                kind = "auth-object"
                caches = True
                scope_expr = _kwarg(call, "scope")
                if scope_expr is not None:
                    scopes = self.scope_request(scope_expr, site.func, "requests-oauth2client OAuth2ClientCredentialsAuth scope")
            else:
                kind = "roc-client"
                url_expr = _arg(call, 0, "token_endpoint")
                text = _safe(url_text, url_expr, self.info, site.func.node) if url_expr is not None else None
                token_url = text.text if text else None
        elif library == "msal":
            kind = "msal-app"
            authority = _kwarg(call, "authority")
            text = string_template(authority, self.info) if authority is not None else None
            token_url = text.text if text else "https://login.microsoftonline.com"
        elif library == "azure-identity":
            kind = "azure-credential"
            token_url = "https://login.microsoftonline.com"
        elif library == "apimatic":
            kind = "auth-object"
        self._new_client(
            site, kind, library, scopes=scopes, token_url=token_url, holder=holder, is_object=True,
            caches_internally=caches, provider=provider_hint(token_url, library),
        )

    def _backend_scopes(self, expr: cst.BaseExpression, fn: Function) -> ScopeRequest | None:
        value: cst.BaseExpression | None = expr
        if type(value) is not cst.Call:
            value = self.single(expr, fn)
        if type(value) is cst.Call and last_name(value.func) == "BackendApplicationClient":
            scope_expr = _kwarg(value, "scope")
            if scope_expr is not None:
                existing = self.client_at.get(id(value))
                if existing is not None and existing.scopes is not None:
                    return existing.scopes
                return self.scope_request(scope_expr, fn, "oauthlib BackendApplicationClient scope")
        return None

    def _add_fetch(self, site: Site, receiver: cst.BaseExpression, receiver_class: str) -> None:
        call = site.node
        assert type(call) is cst.Call
        library = "authlib" if receiver_class.startswith("authlib") else (
            "requests-oauthlib" if receiver_class.startswith("requests_oauthlib") else "oauth-session")
        scope_expr = _kwarg(call, "scope")
        scopes = self.scope_request(scope_expr, site.func, f"{library} fetch_token scope") if scope_expr is not None else None
        url_expr = _arg(call, 0, "url") or _kwarg(call, "token_url")
        text = _safe(url_text, url_expr, self.info, site.func.node) if url_expr is not None else None
        holder = self.obj_key(receiver, site.func)
        self._new_client(
            site, "fetch", library, scopes=scopes, token_url=text.text if text else None, holder=holder, network=True,
            per_call_object=self._built_here(receiver, site.func), provider=provider_hint(text.text if text else None),
        )

    def _add_method_client(
        self, site: Site, kind: str, library: str, receiver: cst.BaseExpression,
        scope_expr: cst.BaseExpression | list[cst.BaseExpression] | None, context: str,
    ) -> None:
        scopes: ScopeRequest | None = None
        if isinstance(scope_expr, list):
            scopes = ScopeRequest(anchor=site.node, context=context)
            for part in scope_expr:
                self._merge(scopes, self.scope_request(part, site.func, context))
        elif scope_expr is not None:
            scopes = self.scope_request(scope_expr, site.func, context)
        built_here = self._built_here(receiver, site.func)
        # msal (>= 1.23) and azure-identity answer from the object's cache; a fresh object has none.
        network = kind in ("roc-fetch", "google-refresh") or built_here
        provider = "microsoft" if library in ("msal", "azure-identity") else ("google" if library == "google-auth" else None)
        self._new_client(
            site, kind, library, scopes=scopes, holder=self.obj_key(receiver, site.func), network=network,
            per_call_object=built_here, provider=provider,
        )

    def _add_google(self, site: Site, last: str) -> None:
        call = site.node
        assert type(call) is cst.Call
        scope_expr = _kwarg(call, "scopes")
        if scope_expr is None and last == "with_scopes":
            scope_expr = _arg(call, 0, "scopes")
        scopes = self.scope_request(scope_expr, site.func, f"google-auth {last} scopes") if scope_expr is not None else None
        self._new_client(
            site, "google-credentials", "google-auth", scopes=scopes, holder=self._assigned_key(site), is_object=True,
            caches_internally=True, provider="google", token_url="https://oauth2.googleapis.com/token",
        )

    def _built_here(self, receiver: cst.BaseExpression, fn: Function) -> bool:
        """The receiver object was constructed in this same function (not ``__init__``/module level)."""
        if fn.is_module or fn.name in ("__init__", "__post_init__", "setup", "setUp", "__enter__", "__aenter__"):
            return False
        if type(receiver) is cst.Call:
            return self._object_library(self.qualify(receiver.func) or "", last_name(receiver.func)) is not None
        if type(receiver) is not cst.Name:
            return False
        for value in self.locals_of(fn).get(receiver.value, []):
            while type(value) is cst.Await:
                value = value.expression
            if type(value) is cst.Call and self._object_library(self.qualify(value.func) or "", last_name(value.func)):
                return True
        return False

    # -- scope values -------------------------------------------------------------------------
    def scope_request(self, expr: cst.BaseExpression, fn: Function, context: str) -> ScopeRequest:
        request = ScopeRequest(anchor=expr, context=context)
        self._scope_items(expr, fn, request, 0)
        if request.status == "literal" and not request.items:
            request.status = "unknown" if not request.reason else request.status
        return request

    def _merge(self, into: ScopeRequest, other: ScopeRequest) -> None:
        into.items.extend(other.items)
        if other.status != "literal":
            into.status, into.reason = other.status, other.reason
            into.ref = into.ref or other.ref

    def _unknown(self, request: ScopeRequest, reason: str) -> None:
        if request.status == "literal":
            request.status = "unknown"
            request.reason = reason

    def _scope_items(self, expr: cst.BaseExpression, fn: Function, request: ScopeRequest, depth: int) -> None:
        if depth > 6:
            self._unknown(request, "scope built through too many indirections")
            return
        if type(expr) in (cst.SimpleString, cst.ConcatenatedString):
            value = evaluate(expr, self.info)
            if isinstance(value, str):
                base = _literal_offset(expr, value)
                for scope, offset in split_scopes(value):
                    request.items.append(ScopeItem(scope, expr, base + offset if base >= 0 else -1))
            else:
                self._unknown(request, "scope is not a plain string")
            return
        if type(expr) in (cst.List, cst.Tuple, cst.Set):
            for element in expr.elements:
                if type(element) is cst.StarredElement:
                    self._scope_items(element.value, fn, request, depth + 1)
                else:
                    self._scope_items(element.value, fn, request, depth + 1)
            return
        if type(expr) in (cst.FormattedString, cst.BinaryOperation):
            value = evaluate(expr, self.info)
            if isinstance(value, str):
                for scope, _offset in split_scopes(value):
                    request.items.append(ScopeItem(scope, expr, -1))
            else:
                self._unknown(request, "scope built at run time")
            return
        if type(expr) is cst.Call:
            self._scope_call(expr, fn, request, depth)
            return
        if type(expr) is cst.Name:
            self._scope_name(expr, fn, request, depth)
            return
        if type(expr) is cst.Attribute:
            self._scope_attribute(expr, fn, request, depth)
            return
        if type(expr) is cst.Name and expr.value == "None":
            return
        self._unknown(request, "scope comes from an expression we cannot evaluate")

    def _scope_call(self, expr: cst.Call, fn: Function, request: ScopeRequest, depth: int) -> None:
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value == "join" and expr.args:
            self._scope_items(expr.args[0].value, fn, request, depth + 1)
            return
        qual = self.qualify(func) or ""
        if qual in ("builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted", "builtins.frozenset") and expr.args:
            self._scope_items(expr.args[0].value, fn, request, depth + 1)
            return
        if type(func) is cst.Attribute and func.attr.value == "split" and not expr.args:
            self._scope_items(func.value, fn, request, depth + 1)
            return
        if qual.startswith(("os.environ", "os.getenv")) or qual in ("os.getenv", "os.environ.get"):
            self._unknown(request, "scope read from the environment")
            return
        self._unknown(request, "scope returned by a function call")

    def _scope_name(self, expr: cst.Name, fn: Function, request: ScopeRequest, depth: int) -> None:
        if expr.value == "None":
            return
        origin, values, owner = self.name_values(expr.value, fn)
        if origin in ("local", "module") and owner is not None:
            if len(values) == 1:
                self._scope_items(values[0], owner, request, depth + 1)
            else:
                self._unknown(request, f"{expr.value} is assigned more than once")
            return
        if origin == "param" and owner is not None:
            # filled in by callers (``AelixClient(scope="...")``): resolved project-wide
            if request.status == "literal":
                request.status, request.ref = "param", self.param_key(owner, expr.value)
                request.reason = f"scope passed in as parameter {expr.value} of {owner.qualname}"
            return
        if origin == "import":
            request.status = "ref" if request.status == "literal" else request.status
            request.ref = self.resolve_import(self.info.imports[expr.value])
            request.reason = request.reason or f"scope defined in {request.ref}"
            return
        self._unknown(request, f"{expr.value} is not defined in this module")

    def _scope_attribute(self, expr: cst.Attribute, fn: Function, request: ScopeRequest, depth: int) -> None:
        name = dotted_name(expr)
        if name is None:
            self._unknown(request, "scope comes from an expression we cannot evaluate")
            return
        head, _, rest = name.partition(".")
        if (head in ("self", "cls") and fn.cls) or head in self.classes:
            cls = fn.cls if head in ("self", "cls") else head
            const = self.info.class_constants.get(f"{cls}.{rest}")
            values = self.values_of(expr, fn) if head in ("self", "cls") else ([const] if const is not None else [])
            values = [v for v in values if not (type(v) is cst.Name and v.value == "None")]
            if len(values) == 1:
                owner = self._owner_of(values[0], cls) or fn
                self._scope_items(values[0], owner, request, depth + 1)
            else:
                self._unknown(request, f"{name} is set from constructor arguments or more than once")
            return
        origin, _values, _owner = self.name_values(head, fn)
        if origin == "import":
            qual = self.resolve_import(self.info.imports[head]) + "." + rest
            if qual.startswith(("os.environ", "django.conf.settings")):
                self._unknown(request, f"scope read from {qual.rsplit('.', 1)[0]}")
                return
            request.status = "ref" if request.status == "literal" else request.status
            request.ref = qual
            request.reason = request.reason or f"scope defined in {qual}"
            return
        self._unknown(request, f"scope read from {name}")

    def _owner_of(self, value: cst.BaseExpression, cls: str | None) -> Function | None:
        for fn in self.functions:
            if fn.cls == cls:
                for assign in fn.assigns:
                    if assign.value is value:
                        return fn
        return None

    # -- API calls and the tokens they carry ----------------------------------------------------
    def _api_call(self, site: Site, hc: HttpCall) -> None:
        fn = site.func
        api = ApiCall(hc=hc, site=site)
        api.url = self.url_template(hc.url, fn) if hc.url is not None else None
        headers = hc.keywords.get("headers")
        if headers is not None:
            key = self.header_token(headers, fn, 0)
            if key is not None:
                api.token, api.token_via = key, "header"
        auth = hc.keywords.get("auth")
        if api.token is None and auth is not None:
            key = self.auth_token(auth, fn)
            if key is not None:
                api.token, api.token_via = key, "auth"
        if api.token is None and type(hc.call.func) is cst.Attribute:
            receiver = hc.call.func.value
            if type(receiver) is not cst.Call:
                key = self.obj_key(receiver, fn)
                if key is not None and hc.library not in ("requests", "httpx", "urllib3") or (
                    key is not None and self.qualify(receiver) not in ("requests", "httpx", "urllib3")
                ):
                    api.token, api.token_via = (f"obj:{key}" if not key.startswith("param:") else key), "session"
            elif self._object_library(self.qualify(receiver.func) or "", last_name(receiver.func)):
                client = self.client_at.get(id(receiver))
                if client is not None:
                    api.token, api.token_via = client.key, "session"
        for name in ("params", "data"):
            if api.token is None and name in hc.keywords:
                items = dict_literal_items(hc.keywords[name], self.info, fn.node) or {}
                if "access_token" in items:
                    api.token, api.token_via = self.value_key(items["access_token"], fn, 0) or "unknown:query", "header"
        self.api_calls.append(api)

    def url_template(self, expr: cst.BaseExpression, fn: Function, depth: int = 0) -> StringValue | None:
        """Like ``url_text`` but keeps unknown prefixes as holes (``self.base + "/v1/x"``)."""
        if depth > 6:
            return None
        text = _safe(url_text, expr, self.info, fn.node)
        if text is not None:
            return text
        if type(expr) is cst.Name:
            bound = self.single(expr, fn)
            if bound is not None and bound is not expr:
                return self.url_template(bound, fn, depth + 1)
            return StringValue("{" + expr.value + "}", complete=False)
        if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add:
            left = self.url_template(expr.left, fn, depth + 1)
            right = self.url_template(expr.right, fn, depth + 1)
            if left is not None and right is not None:
                return StringValue(left.text + right.text, complete=False)
            return None
        if type(expr) is cst.Attribute:
            return StringValue("{" + expr.attr.value + "}", complete=False)
        if type(expr) is cst.Call:
            qual = self.qualify(expr.func) or ""
            if qual.endswith("urljoin") and len(expr.args) >= 2:
                base = self.url_template(expr.args[0].value, fn, depth + 1)
                tail = self.url_template(expr.args[1].value, fn, depth + 1)
                if base is not None and tail is not None:
                    joiner = "" if base.text.endswith("/") or tail.text.startswith("/") else "/"
                    return StringValue(base.text + joiner + tail.text, complete=False)
        return None

    def header_token(self, expr: cst.BaseExpression, fn: Function, depth: int) -> str | None:
        """Token key of the ``Authorization`` value in a headers expression (None: no token)."""
        if depth > 4:
            return "unknown:headers"
        while type(expr) is cst.Await:
            expr = expr.expression
        if type(expr) is cst.Dict:
            for element in expr.elements:
                if type(element) is cst.DictElement:
                    key = evaluate(element.key, self.info)
                    if isinstance(key, str) and _is_auth_header(key):
                        return self.value_key(element.value, fn, 0) or "literal:"
                elif type(element) is cst.StarredDictElement:
                    inner = self.header_token(element.value, fn, depth + 1)
                    if inner is not None:
                        return inner
            return None
        if type(expr) is cst.Call:
            qual = self.qualify(expr.func) or ""
            if qual == "builtins.dict":
                for arg in expr.args:
                    if arg.keyword is not None and _is_auth_header(arg.keyword.value):
                        return self.value_key(arg.value, fn, 0) or "literal:"
                    if arg.keyword is None:
                        inner = self.header_token(arg.value, fn, depth + 1)
                        if inner is not None:
                            return inner
                return None
            callee = self._local_function(expr, fn)
            if callee is not None:
                for ret in callee.returns:
                    inner = self.header_token(ret.node, callee, depth + 1)  # type: ignore[arg-type]
                    if inner is not None:
                        return inner
                return None
            key = self.callee_key(expr, fn)
            if key is not None and not key.startswith(("requests.", "httpx.", "json.", "os.", "copy.", "dict.")):
                # a headers helper from another module: followed (or left open) project-wide
                return f"call:{key}"
            return None
        if type(expr) in (cst.Name, cst.Attribute):
            values = self.values_of(expr, fn)
            owner_fn = fn
            for value in values:
                owner = self._owner_of(value, fn.cls) if dotted_name(expr or cst.Name("x")) and (dotted_name(expr) or "").startswith("self.") else fn
                inner = self.header_token(value, owner or owner_fn, depth + 1)
                if inner is not None:
                    return inner
            if not values:
                origin = dotted_name(expr) or ""
                head = origin.split(".")[0]
                kind, _v, owner = self.name_values(head, fn)
                if kind == "param" and owner is not None and tokenish(origin):
                    return self.param_key(owner, head)
                if kind == "import" and tokenish(origin):
                    return f"call:{self.resolve_import(self.info.imports[head])}"
            return None
        return None

    def auth_token(self, expr: cst.BaseExpression, fn: Function) -> str | None:
        """Token key carried by an ``auth=`` argument (None for basic auth tuples)."""
        if type(expr) is cst.Tuple:
            return None
        if type(expr) is cst.Call:
            client = self.client_at.get(id(expr))
            if client is not None:
                return client.key
            qual = self.qualify(expr.func) or ""
            if qual.endswith(("HTTPBasicAuth", "BasicAuth", "HTTPDigestAuth", "DigestAuth")):
                return None
            for arg in expr.args:
                key = self.value_key(arg.value, fn, 0)
                if key is not None:
                    return key
            return None
        key = self.value_key(expr, fn, 0)
        if key is None:
            okey = self.obj_key(expr, fn)
            return f"obj:{okey}" if okey and not okey.startswith("param:") else okey
        return key

    def _local_function(self, call: cst.Call, fn: Function) -> Function | None:
        key = self.callee_key(call, fn)
        prefix = self.module_name + "."
        if key is None or not key.startswith(prefix):
            return None
        return self.by_qualname.get(key[len(prefix):])

    def value_key(self, expr: cst.BaseExpression, fn: Function, depth: int) -> str | None:
        """The token key an expression carries, or None when it is not traceable to anything.

        Memoized per (expression, function): names assigned many times would otherwise make the
        search exponential (a module reassigning ``url``/``rv`` in every branch)."""
        if depth > 10:
            return None
        memo_key = (id(expr), id(fn))
        if memo_key in self._value_keys:
            return self._value_keys[memo_key]
        self._value_keys[memo_key] = None  # cycle guard while computing
        result = self._value_key(expr, fn, depth)
        self._value_keys[memo_key] = result
        return result

    def _value_key(self, expr: cst.BaseExpression, fn: Function, depth: int) -> str | None:
        while type(expr) is cst.Await:
            expr = expr.expression
        if type(expr) is cst.FormattedString:
            for part in expr.parts:
                if type(part) is cst.FormattedStringExpression:
                    key = self.value_key(part.expression, fn, depth + 1)
                    if key is not None:
                        return key
            return None
        if type(expr) is cst.BinaryOperation:
            return self.value_key(expr.right, fn, depth + 1) or self.value_key(expr.left, fn, depth + 1)
        if type(expr) is cst.Subscript:
            return self.value_key(expr.value, fn, depth + 1)
        if type(expr) is cst.BooleanOperation:
            return self.value_key(expr.left, fn, depth + 1) or self.value_key(expr.right, fn, depth + 1)
        if type(expr) is cst.IfExp:
            return self.value_key(expr.body, fn, depth + 1) or self.value_key(expr.orelse, fn, depth + 1)
        if type(expr) is cst.Call:
            return self._call_key(expr, fn, depth)
        if type(expr) is cst.Attribute:
            return self._attribute_key(expr, fn, depth)
        if type(expr) is cst.Name:
            return self._name_key(expr, fn, depth)
        return None

    def _call_key(self, expr: cst.Call, fn: Function, depth: int) -> str | None:
        client = self.client_at.get(id(expr))
        if client is not None:
            return client.key
        if id(expr) in self.other_grant_calls:
            return "literal:user-token"  # a user's token (authorization code, refresh): not ours to judge
        if self.http_call_at(expr) is not None:
            return "literal:response"  # an API response, not a token source
        func = expr.func
        if type(func) is cst.Attribute:
            method = func.attr.value
            if method == "format":
                for arg in expr.args:
                    key = self.value_key(arg.value, fn, depth + 1)
                    if key is not None:
                        return key
                return None
            # resp.json(), payload.get("access_token"), raw.decode(): the same value, reshaped
            dict_get = method == "get" and bool(expr.args) and isinstance(evaluate(expr.args[0].value, self.info), str)
            if method in ("json", "decode", "strip", "text") or dict_get:
                return self.value_key(func.value, fn, depth + 1)
        qual = self.qualify(func) or ""
        if qual in ("json.loads", "builtins.str", "builtins.dict") and expr.args:
            return self.value_key(expr.args[0].value, fn, depth + 1)
        if qual.startswith(("os.environ", "os.getenv")) or qual in ("os.getenv",):
            return None
        key = self.callee_key(expr, fn)
        if key is not None:
            receiver = func.value if type(func) is cst.Attribute else None
            if type(receiver) in (cst.Name, cst.Attribute) and not (type(receiver) is cst.Name and receiver.value in ("self", "cls")):
                owner = self.obj_key(receiver, fn)
                if owner is not None and not owner.startswith("param:") and self.bound_class(receiver, fn) is not None:
                    return f"call:{key}@{owner}"  # a method of one instance (``reader = Cache("banking:read")``)
            return f"call:{key}"
        return None

    def _attribute_key(self, expr: cst.Attribute, fn: Function, depth: int) -> str | None:
        name = dotted_name(expr)
        if name is None:
            return self.value_key(expr.value, fn, depth + 1)
        head, _, rest = name.partition(".")
        if head in ("self", "cls") and fn.cls:
            return f"slot:{self.module_name}.{fn.cls}.{rest}"
        if head in self.classes:
            return f"slot:{self.module_name}.{name}"
        if expr.attr.value in ("token", "access_token", "accessToken", "value") and type(expr.value) is not cst.Name or (
            expr.attr.value in ("token", "access_token", "accessToken")
        ):
            inner = self.value_key(expr.value, fn, depth + 1)
            if inner is not None:
                if inner.startswith("obj:"):
                    return inner
                return inner
        okey = self.obj_key(expr, fn)
        if okey is None:
            return None
        if okey.startswith("param:"):
            return okey
        return f"slot:{okey}"

    def _name_key(self, expr: cst.Name, fn: Function, depth: int) -> str | None:
        name = expr.value
        if name in ("None", "True", "False"):
            return None
        origin, values, owner = self.name_values(name, fn)
        if origin == "unknown" and name in self.by_qualname:
            return f"call:{self.module_name}.{name}"  # a module function passed as a callback
        if origin == "param" and owner is not None:
            return self.param_key(owner, name)
        if origin == "import":
            return f"slot:{self.resolve_import(self.info.imports[name])}"
        if origin == "module" and (owner is None or owner.is_module) and (name in fn.globals or not fn.is_module):
            # a module global read from a function: its value may change (a cache slot)
            return f"slot:{self.module_name}.{name}"
        if origin in ("local", "module") and owner is not None:
            keys: list[str] = []
            for value in values:
                while type(value) is cst.Await:
                    value = value.expression
                if type(value) is cst.Call and self._constructs_object(value):
                    return f"obj:{self.obj_key(expr, fn)}"
                key = self.value_key(value, owner, depth + 1)
                if key is not None:
                    keys.append(key)
            # ``tok = cache.get(k)`` then ``tok = fetch()``: the token request is what matters
            return next((k for k in keys if k.startswith("client:")), keys[0] if keys else None)
        return None

    def _constructs_object(self, call: cst.Call) -> bool:
        client = self.client_at.get(id(call))
        if client is not None:
            return client.is_object
        qual = self.qualify(call.func) or ""
        return qual in _SESSION_CONSTRUCTORS

    # -- object edges -------------------------------------------------------------------------
    def add_edge(self, source: str, target: str | None) -> None:
        if target is None or source == target:
            return
        bucket = self.object_edges.setdefault(source, [])
        if target not in bucket:
            bucket.append(target)

    def _object_edges(self) -> None:
        for fn in self.functions:
            for assign in fn.assigns:
                for target in assign.targets:
                    self._edge_from_assign(target, assign.value, fn)
            for site in fn.calls:
                call = site.node
                assert type(call) is cst.Call
                func = call.func
                if type(func) is cst.Attribute and func.attr.value == "update" and type(func.value) is cst.Attribute and func.value.attr.value == "headers":
                    key = self.obj_key(func.value.value, fn)
                    if key is not None and call.args:
                        token = None
                        for arg in call.args:
                            if arg.keyword is not None and _is_auth_header(arg.keyword.value):
                                token = self.value_key(arg.value, fn, 0) or "literal:"
                            elif arg.keyword is None:
                                token = token or self.header_token(arg.value, fn, 0)
                        if token is not None:
                            self.add_edge(f"obj:{key}", token)
                elif type(func) is cst.Attribute and func.attr.value in ("setdefault", "__setitem__") and type(func.value) is cst.Attribute and func.value.attr.value == "headers":
                    key = self.obj_key(func.value.value, fn)
                    if key is not None and len(call.args) >= 2:
                        header = evaluate(call.args[0].value, self.info)
                        if isinstance(header, str) and _is_auth_header(header):
                            self.add_edge(f"obj:{key}", self.value_key(call.args[1].value, fn, 0) or "literal:")

    def _edge_from_assign(self, target: cst.BaseExpression, value: cst.BaseExpression, fn: Function) -> None:
        while type(value) is cst.Await:
            value = value.expression
        if type(target) is cst.Subscript and type(target.value) is cst.Attribute and target.value.attr.value == "headers":
            header = _subscript_key(target, self.info)
            key = self.obj_key(target.value.value, fn)
            if key is not None and isinstance(header, str) and _is_auth_header(header):
                self.add_edge(f"obj:{key}", self.value_key(value, fn, 0) or "literal:")
            return
        if type(target) is cst.Attribute and target.attr.value in ("auth", "headers", "token", "access_token"):
            owner = self.obj_key(target.value, fn)
            if owner is not None and not (type(target.value) is cst.Name and target.value.value == "self"):
                token = self.header_token(value, fn, 0) if target.attr.value == "headers" else (
                    self.auth_token(value, fn) if target.attr.value == "auth" else self.value_key(value, fn, 0))
                if token is not None:
                    self.add_edge(f"obj:{owner}", token)
                return
        key = self.obj_key(target, fn)
        if key is None or key.startswith("param:"):
            return
        if type(value) is cst.Call:
            client = self.client_at.get(id(value))
            if client is not None and client.is_object:
                self.add_edge(f"obj:{key}", client.key)
                return
            qual = self.qualify(value.func) or ""
            if qual in _SESSION_CONSTRUCTORS or qual.endswith("AuthorizedSession"):
                headers = _kwarg(value, "headers")
                if headers is not None:
                    self.add_edge(f"obj:{key}", self.header_token(headers, fn, 0))
                auth = _kwarg(value, "auth")
                if auth is not None:
                    self.add_edge(f"obj:{key}", self.auth_token(auth, fn))
                if qual.endswith("AuthorizedSession") and value.args:
                    creds = self.obj_key(value.args[0].value, fn)
                    inner_client = self.client_at.get(id(value.args[0].value))
                    self.add_edge(f"obj:{key}", inner_client.key if inner_client else (f"obj:{creds}" if creds else None))
                return
            if self.http_call_at(value) is not None:
                return
            callee = self.callee_key(value, fn)
            # instances of project classes and results of token/session factories; other calls
            # (loggers, locks, parsers) never carry a token
            if callee is not None and (tokenish(key) or _objectish(key) or tokenish(callee.rsplit(".", 1)[-1]) or _objectish(callee.rsplit(".", 1)[-1])):
                self.add_edge(f"obj:{key}", f"call:{callee}")
            return
        if type(value) in (cst.Name, cst.Attribute):
            other = self.obj_key(value, fn)
            if other is not None and other != key:
                self.add_edge(f"obj:{key}", other if other.startswith("param:") else f"obj:{other}")

    def _link_objects(self) -> None:
        """Acquisitions on an object are that object's tokens; they inherit its scopes."""
        by_holder: dict[str, list[Client]] = {}
        for client in self.clients:
            if client.is_object and client.holder:
                by_holder.setdefault(client.holder, []).append(client)
        for client in self.clients:
            if client.is_object or not client.holder:
                continue
            self.add_edge(f"obj:{client.holder}", client.key)
            if client.scopes is None:
                for owner in by_holder.get(client.holder, []):
                    if owner.scopes is not None:
                        client.scopes = owner.scopes
                        break
            for owner in by_holder.get(client.holder, []):
                client.provider = client.provider or owner.provider
                client.token_url = client.token_url or owner.token_url

    # -- queries used by the rules --------------------------------------------------------------
    def http_call_at(self, call: cst.Call) -> HttpCall | None:
        return getattr(self, "_http", {}).get(id(call))

    def is_token_request(self, call: cst.Call) -> bool:
        return id(call) in self.token_requests

    def acquisitions(self) -> list[Client]:
        """Clients whose call contacts the token endpoint when it runs."""
        return [c for c in self.clients if c.network]


_HTTP_CALLEE_NAMES = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "urlopen", "request_encode_body", "ws_connect", "send"}
)
_SESSION_CONSTRUCTORS = frozenset(
    {
        "requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient",
        "aiohttp.ClientSession", "urllib3.PoolManager", "google.auth.transport.requests.AuthorizedSession",
    }
)
_KNOWN_ROOTS = frozenset({"authlib", "requests_oauthlib", "oauthlib", "msal", "azure", "httpx_auth", "requests_auth", "requests_oauth2client", "google", "requests", "httpx", "aiohttp"})


@lru_cache(maxsize=8192)
def _object_library_of(qual: str, last: str) -> str | None:
    """``ClientModel._object_library``: a pure function of the two names, asked for nearly every
    call of a module (its prefix scan over every library showed in the recognition's profile)."""
    if not last or qual.startswith("builtins."):
        return None
    for library, classes in _OBJECT_CLASSES.items():
        if last in classes and any(qual.startswith(p + ".") for p in _LIBRARY_PREFIXES[library]):
            return library
    if any(qual.startswith(p + ".") for ps in _LIBRARY_PREFIXES.values() for p in ps):
        return None  # another class of a known library
    # unresolved, or re-exported through a project module: distinctive class names only
    if last in _UNAMBIGUOUS_CLASSES:
        return _UNAMBIGUOUS_CLASSES[last]
    if last == "OAuth2Session":
        return "oauth-session"
    return None


def _objectish(name: str) -> bool:
    """Names of objects that may hold a token: clients, sessions, caches, providers."""
    w = set(words(name.rsplit(".", 1)[-1]))
    return bool(w & {"client", "session", "api", "http", "cache", "provider", "manager", "auth", "authenticator", "conn", "connection", "sdk", "service", "token", "tokens", "credential", "credentials", "creds", "settings", "config", "conf", "cfg"})


def _is_auth_header(name: str) -> bool:
    low = name.lower()
    return low in ("authorization", "proxy-authorization") or low in ("x-auth-token", "x-access-token", "access-token", "x-api-token", "token")



def _kwarg(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _arg(call: cst.Call, index: int, name: str) -> cst.BaseExpression | None:
    """Keyword ``name`` or the positional argument at ``index``."""
    found = _kwarg(call, name)
    if found is not None:
        return found
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    return positional[index] if index < len(positional) else None


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if type(target) in (cst.Tuple, cst.List):
        for element in target.elements:
            yield from _target_names(element.value)
        return
    if type(target) is cst.StarredElement:
        yield from _target_names(target.value)
        return
    name = dotted_name(target)
    if name:
        yield name


def _subscript_key(target: cst.Subscript, info: ModuleInfo) -> Any:
    if len(target.slice) != 1 or type(target.slice[0].slice) is not cst.Index:
        return None
    return evaluate(target.slice[0].slice.value, info)


def _literal_offset(expr: cst.BaseExpression, value: str) -> int:
    """Columns from the literal's start to its first value character (-1 if escapes shift them)."""
    if type(expr) is not cst.SimpleString:
        return -1
    raw = expr.value
    prefix = len(expr.prefix) + len(expr.quote)
    body = raw[prefix : len(raw) - len(expr.quote)]
    if body != value or "\n" in body:
        return -1
    return prefix


def client_model(ctx: FileContext) -> ClientModel:
    """The shared ``ClientModel`` of the file under analysis (built once, on first use)."""
    return ctx.memoized("client_model", lambda: ClientModel(ctx))


# ---------------------------------------------------------------------------------------------
# Scope constants found by name (settings modules, class attributes)
# ---------------------------------------------------------------------------------------------

_SCOPE_NAME_EXCLUDE = frozenset(
    {"required", "allowed", "supported", "available", "valid", "known", "granted", "protected", "accepted",
     "expected", "test", "mock", "fake", "regex", "pattern", "separator", "sep", "delimiter", "description",
     "descriptions", "map", "mapping", "provider", "server", "resource", "type", "name", "names", "key", "param",
     "claim", "field", "header", "enum"}
)


def scope_name(name: str) -> bool:
    """``SCOPES``, ``AELIX_SCOPE``, ``oauth_scopes``, ``DEFAULT_SCOPES`` (not ``REQUIRED_SCOPES``)."""
    w = words(name)
    return bool(w) and ("scope" in w or "scopes" in w) and not any(x in _SCOPE_NAME_EXCLUDE for x in w)


def scope_constants(model: ClientModel) -> list[tuple[str, ScopeRequest]]:
    """Module- and class-level constants whose name says "scopes": (qualified name, request)."""
    out: list[tuple[str, ScopeRequest]] = []
    for fn in model.functions:
        if not fn.is_module and fn.name != "__init__":
            continue
        for assign in fn.assigns:
            if assign.augmented:
                continue
            for target in assign.targets:
                name = dotted_name(target)
                if name is None or not scope_name(name.rsplit(".", 1)[-1]):
                    continue
                if not fn.is_module and not name.startswith("self."):
                    continue
                if type(assign.value) not in (cst.SimpleString, cst.ConcatenatedString, cst.List, cst.Tuple, cst.Set, cst.Call, cst.BinaryOperation):
                    continue
                request = model.scope_request(assign.value, fn, "scope constant")
                request.name_only = True
                if not request.items or not all(looks_like_scope(i.scope) for i in request.items):
                    continue
                owner = fn.cls if not fn.is_module else assign.site.cls
                attr = name.split(".", 1)[1] if name.startswith("self.") else name
                qual = f"{model.module_name}.{owner}.{attr}" if owner else f"{model.module_name}.{attr}"
                out.append((qual, request))
    return out


# ---------------------------------------------------------------------------------------------
# Facts for OA402: emitted per file, combined across files by ``ProjectClients``
# ---------------------------------------------------------------------------------------------

FACT_CLIENT = "oauth-client"
FACT_API_CALL = "api-call"
FACT_FLOW = "token-flow"
FACT_SCOPE_CONSTANT = "scope-constant"
FACT_KINDS = (FACT_CLIENT, FACT_API_CALL, FACT_FLOW, FACT_SCOPE_CONSTANT)

_STORE_METHODS = frozenset({"set", "setex", "psetex", "set_many", "add", "put", "hset", "store", "save", "__setitem__", "set_all_tiers", "setdefault", "dump", "write", "update"})
_PATH_PARAM_NAMES = frozenset({"path", "endpoint", "url", "route", "uri", "resource", "suffix", "relative_url", "api_path", "rel", "target", "href", "location", "full_url", "request_path", "url_path", "endpoint_path"})
_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def position(ctx: FileContext, node: cst.CSTNode) -> tuple[int, int]:
    """1-based (line, column) of a node.

    Resolving libcst positions costs code generation, so a node whose source text occurs exactly
    once in the file is located by a text search instead; anything ambiguous gets the
    PositionProvider's range (``ctx.node_range``: generated per top-level statement). After the first
    ambiguous node the file stays with the provider's ranges, as when that fallback generated the
    whole module, and the text search is used only where it provably finds the same place."""
    if "positions" not in ctx.memo and (_PROVIDER_MODE not in ctx.memo or _text_start_is_exact(node)):
        fast = _unique_text_position(ctx, node)
        if fast is not None:
            return fast
        if _text_start_is_exact(node):
            # its first line occurs elsewhere too (``requests.post(`` in every test), but the
            # whole code may not: where the text start is the provider's, that is its position.
            # The file still switches to provider mode, as the statement fallback would make it.
            ctx.memo[_PROVIDER_MODE] = True
            whole = _unique_code_position(ctx, node)
            if whole is not None:
                return whole
    ctx.memo[_PROVIDER_MODE] = True
    found = ctx.node_range(node)
    if found is None:
        return (1, 1)
    return (found.start.line, found.start.column + 1)


# ctx.memo key: set once a node of the file needed the provider (its text search was ambiguous).
_PROVIDER_MODE = "clients.provider_positions"


def _text_start_is_exact(node: cst.CSTNode) -> bool:
    """The text search finds the provider's start: an expression without its own parentheses
    generates code from its first token, where the provider's syntactic range starts (with
    parentheses the range starts inside them, the text match at the ``(``)."""
    return is_expression(node) and not getattr(node, "lpar", None)


def _unique_text_position(ctx: FileContext, node: cst.CSTNode) -> tuple[int, int] | None:
    try:
        code = ctx.module.code_for_node(node)
    except Exception:  # noqa: BLE001 - codegen of a detached node: use the slow path
        return None
    code = code.strip()
    first = code.split("\n", 1)[0]
    if len(first) < 8:
        return None
    text = ctx.text
    offset = text.find(first)
    if offset < 0 or text.find(first, offset + 1) >= 0:
        return None
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return (line, column)


# A continuation line of a node's code: inside brackets, libcst puts the enclosing block's
# indentation before it when generating the whole module, but not when generating the node alone.
_LINE_INDENT = " \t\x0c"


def _unique_code_position(ctx: FileContext, node: cst.CSTNode) -> tuple[int, int] | None:
    """Where a multi-line node's whole code occurs exactly once in the text, each continuation line
    after any indentation; None otherwise. The node's own place always matches (its source is its
    code with block indentation added at line starts), so a single match is that place."""
    try:
        code = ctx.module.code_for_node(node).strip()
    except Exception:  # noqa: BLE001 - codegen of a detached node: use the slow path
        return None
    lines = code.split("\n")
    text = ctx.text
    if len(lines) < 2 or "\r" in code or "\r" in text:
        return None
    pattern = re.escape(lines[0]) + "".join(
        f"\\n[{_LINE_INDENT}]*" + re.escape(line.lstrip(_LINE_INDENT)) for line in lines[1:]
    )
    matches = re.finditer(pattern, text)
    found = next(matches, None)
    if found is None or next(matches, None) is not None:
        return None
    offset = found.start()
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return (line, column)


def _scope_positions(ctx: FileContext, request: ScopeRequest) -> list[dict[str, Any]]:
    out = []
    for item in request.items:
        line, column = position(ctx, item.node)
        if item.offset >= 0:
            column += item.offset
        out.append({"scope": item.scope, "line": line, "column": column})
    return out


def _relevant(key: str | None, name: str) -> bool:
    """Edges worth emitting: towards a token request, or between token-named things (module and
    class names count: ``slot:app.auth.Tokens._tok``)."""
    if key is None or key.startswith("literal:"):
        return False
    return key.startswith("client:") or tokenish(name) or tokenish(key.split(":", 1)[-1]) or _objectish(name)


def _flow_edges(model: ClientModel) -> list[list[str]]:
    edges: list[list[str]] = [[src, dst] for src, targets in model.object_edges.items() for dst in targets]
    for fn in model.functions:
        if fn.is_module:
            continue
        for ret in fn.returns:
            key = model.value_key(ret.node, fn, 0)  # type: ignore[arg-type]
            if key is None and type(ret.node) in (cst.Dict, cst.Call):
                key = model.header_token(ret.node, fn, 0)
            if key is not None and _relevant(key, fn.name):
                edges.append([f"call:{model.function_key(fn)}", key])
    for fn in model.functions:
        for assign in fn.assigns:
            if assign.augmented:
                continue
            for target in assign.targets:
                name = dotted_name(target)
                if name is None:
                    continue
                if name.startswith("self.") and fn.cls and name.count(".") == 1:
                    slot = f"slot:{model.module_name}.{fn.cls}.{name[5:]}"
                elif "." not in name and (fn.is_module or name in fn.globals):
                    slot = f"slot:{model.module_name}.{name}"
                else:
                    continue
                key = model.value_key(assign.value, fn, 0)
                attr = name.rsplit(".", 1)[-1]
                if key is not None and not key.startswith("literal:") and (tokenish(attr) or _objectish(attr) or key.startswith("client:")):
                    edges.append([slot, key])
    seen: set[tuple[str, str]] = set()
    unique = []
    for src, dst in edges:
        if (src, dst) not in seen and src != dst:
            seen.add((src, dst))
            unique.append([src, dst])
    return unique


def _call_sites(model: ClientModel) -> list[dict[str, Any]]:
    """Calls to project functions that pass a token, a path string, an HTTP verb or a parameter."""
    out: list[dict[str, Any]] = []
    for fn in model.functions:
        for site in fn.calls:
            call = site.node
            assert type(call) is cst.Call
            if model.http_call_at(call) is not None or id(call) in model.client_at:
                continue
            qual = model.qualify(call.func) or ""
            if qual in _IGNORED_SINKS or last_name(call.func) in _LOG_METHODS or qual.startswith(("logging.", "builtins.")):
                continue
            if qual in _SESSION_CONSTRUCTORS:
                continue  # a session built with the token/auth object: followed through object edges
            if last_name(call.func) in _STORE_METHODS:
                continue  # cache.set(key, token, ttl): a store, read back through its own key
            args = _interesting_args(model, call, fn)
            if not args:
                continue
            callee = model.callee_key(call, fn)
            record = {"callee": callee or "?" + (dotted_name(call.func) or last_name(call.func)), "args": args, "function": model.function_key(fn) if not fn.is_module else f"{model.module_name}.<module>"}
            target = model._assigned_key(site)
            if target is not None:
                record["target"] = target
            out.append(record)
    return out


def _interesting_args(model: ClientModel, call: cst.Call, fn: Function) -> list[dict[str, Any]]:
    args: list[dict[str, Any]] = []
    index = 0
    for arg in call.args:
        if arg.star:
            continue
        record: dict[str, Any] = {"i": index if arg.keyword is None else -1, "kw": arg.keyword.value if arg.keyword else None}
        if arg.keyword is None:
            index += 1
        key = model.value_key(arg.value, fn, 0)
        if key is not None and (key.startswith("client:") or tokenish(key.split("#")[0].rsplit(".", 1)[-1]) or (key.startswith("param:") and tokenish(key.split("#")[1]))):
            record["token"] = key
        text = string_template(arg.value, model.info)
        if text is not None and ("/" in text.text or text.text.upper() in _VERBS):
            record["str"] = text.text
        if type(arg.value) is cst.Name:
            origin, _values, owner = model.name_values(arg.value.value, fn)
            if origin == "param" and owner is not None:
                record["param"] = model.param_key(owner, arg.value.value)
        _scope_argument(model, arg, fn, record)
        if len(record) > 2:
            args.append(record)
    return args


def _scope_argument(model: ClientModel, arg: cst.Arg, fn: Function, record: dict[str, Any]) -> None:
    """Scopes handed to a constructor or function (``AelixClient(scope="banking:read")``)."""
    value = arg.value
    keyword = arg.keyword.value if arg.keyword is not None else ""
    named = bool(keyword) and scope_name(keyword)
    shaped = type(value) in (cst.SimpleString, cst.List, cst.Tuple, cst.Set) or (
        type(value) in (cst.Name, cst.Attribute) and scope_name((dotted_name(value) or "").rsplit(".", 1)[-1])
    )
    if not (named or shaped) or (keyword and not named):
        return
    literal = literal_value(value) if type(value) is cst.SimpleString else None
    if isinstance(literal, str) and literal.startswith(("/", "http://", "{")):
        return  # a path or URL argument
    request = model.scope_request(value, fn, "scope argument")
    if request.status == "literal" and request.items:
        if not named and not all(looks_like_scope(i.scope) and any(c in i.scope for c in ":./") for i in request.items):
            return  # a positional string that does not look like scopes
        record["scopes"] = _scope_positions(model.ctx, request)
    elif request.status == "ref" and request.ref and named:
        record["scope_ref"] = request.ref


def _url_params(model: ClientModel, api: ApiCall) -> tuple[list[str] | None, str | None]:
    """(wrapper path parameter [name, index], leading reference) for an API call's URL."""
    expr = api.hc.url
    fn = api.site.func
    if expr is None:
        return None, None
    if type(expr) is cst.Name:
        bound = model.single(expr, fn)
        if bound is not None:
            expr = bound
    names = [n for n in _expression_names(expr)]
    params = fn.positional_params
    wrapper: list[str] | None = None
    text = api.url.text if api.url else ""
    for name in names:
        if name in params and (name.lower() in _PATH_PARAM_NAMES or text.startswith("{" + name + "}") or ("}{" + name + "}") in text):
            wrapper = [name, str(params.index(name))]
            break
    lead: str | None = None
    if text.startswith("{"):
        first = _first_hole(expr)
        if first is not None:
            values = model.values_of(first, fn) if type(first) in (cst.Name, cst.Attribute) else []
            resolved = string_template(values[0], model.info) if len(values) == 1 else None
            if resolved is not None and resolved.text.startswith("http"):
                lead = "value:" + resolved.text
            else:
                first_name = dotted_name(first)
                if first_name is not None:
                    head = first_name.split(".")[0]
                    if head in model.info.imports:
                        lead = "ref:" + model.resolve_import(model.info.imports[head]) + first_name[len(head):]
    return wrapper, lead


def _expression_names(expr: cst.BaseExpression) -> Iterator[str]:
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if type(node) is cst.Name:
            yield node.value
            continue
        if type(node) is cst.Attribute:
            continue
        stack.extend(child_nodes(node))


def _first_hole(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if type(expr) is cst.FormattedString:
        for part in expr.parts:
            if type(part) is cst.FormattedStringExpression:
                return part.expression
            return None
    if type(expr) is cst.BinaryOperation:
        return _first_hole(expr.left) if type(expr.left) not in (cst.Name, cst.Attribute) else expr.left
    if type(expr) is cst.Call and expr.args:
        return _first_hole(expr.args[0].value) if type(expr.args[0].value) not in (cst.Name, cst.Attribute) else expr.args[0].value
    if type(expr) in (cst.Name, cst.Attribute):
        return expr
    return None


def _url_constants(model: ClientModel) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, expr in model.info.constants.items():
        value = string_template(expr, model.info)
        if value is not None and value.complete and value.text.startswith(("http://", "https://")) and len(value.text) < 300:
            out[f"{model.module_name}.{name}"] = value.text
    return out


def client_facts(ctx: FileContext) -> list[tuple[str, Any, int, int, dict[str, Any]]]:
    """The per-file facts OA402 combines: clients, API calls, token flow, scope constants."""
    model = client_model(ctx)
    facts: list[tuple[str, Any, int, int, dict[str, Any]]] = []
    module = model.module_name
    for client in model.clients:
        request = client.scopes
        line, column = position(ctx, client.node)
        url_ref = None
        if client.token_url is None and client.kind == "raw" and client.site.node is not None:
            hc = model.http_call_at(client.node)
            name = dotted_name(hc.url) if hc is not None and hc.url is not None else None
            if name and name.split(".")[0] in model.info.imports:
                url_ref = model.resolve_import(model.info.imports[name.split(".")[0]]) + name[len(name.split(".")[0]):]
        facts.append((FACT_CLIENT, None, line, column, {
            "module": module, "key": client.key, "kind": client.kind, "library": client.library,
            "function": model.function_key(client.function) if not client.function.is_module else f"{module}.<module>",
            "scopes": _scope_positions(ctx, request) if request is not None else [],
            "scope_status": request.status if request is not None else "none",
            "scope_ref": request.ref if request is not None else None,
            "scope_reason": request.reason if request is not None else "no scope requested",
            "token_url": client.token_url, "token_url_ref": url_ref, "provider": client.provider,
            "holder": client.holder, "is_object": client.is_object, "test": ctx.is_test,
        }))
    for api in model.api_calls:
        if api.token is None or api.token.startswith("literal:"):
            continue
        line, column = position(ctx, api.hc.call)
        wrapper, lead = _url_params(model, api)
        method_param = None
        if api.hc.method is None:
            method_expr = api.hc.keywords.get("method") or next((a.value for a in api.hc.call.args if a.keyword is None), None)
            if type(method_expr) is cst.Name and method_expr.value in api.site.func.positional_params:
                method_param = [method_expr.value, str(api.site.func.positional_params.index(method_expr.value))]
        fn = api.site.func
        facts.append((FACT_API_CALL, None, line, column, {
            "module": module, "function": model.function_key(fn) if not fn.is_module else f"{module}.<module>",
            "method": api.hc.method, "method_param": method_param, "url": api.url.text if api.url else None,
            "url_complete": bool(api.url and api.url.complete), "url_param": wrapper, "lead": lead,
            "token": api.token, "via": api.token_via, "library": api.hc.library, "test": ctx.is_test,
        }))
    for qual, request in scope_constants(model):
        line, column = position(ctx, request.anchor)
        facts.append((FACT_SCOPE_CONSTANT, None, line, column, {
            "name": qual, "scopes": _scope_positions(ctx, request), "status": request.status, "test": ctx.is_test,
        }))
    aliases = [[f"{module}.{local}", model.resolve_import(target)] for local, target in model.info.imports.items()] if model.is_package else []
    bases = [[f"{module}.{cls}", key] for cls in model.classes for key in (model._class_key(b) for b in model.class_bases.get(cls, []) if b) if key]
    flow = {
        "module": module, "edges": _flow_edges(model), "calls": _call_sites(model), "aliases": aliases, "bases": bases,
        "functions": [model.function_key(f) for f in model.functions if not f.is_module],
        "classes": [f"{module}.{c}" for c in model.classes], "constants": _url_constants(model), "test": ctx.is_test,
    }
    if flow["edges"] or flow["calls"] or model.clients or model.api_calls or flow["constants"] or aliases or bases:
        facts.append((FACT_FLOW, None, 1, 1, flow))
    return facts


# ---------------------------------------------------------------------------------------------
# Project side: combine the facts of every file (OA402, ``--verbose``)
# ---------------------------------------------------------------------------------------------


def names_match(ref: str, defined: str) -> bool:
    """``app.auth.fetch`` matches ``src.app.auth.fetch`` (a file's module name depends on the scan
    root, an import does not)."""
    return ref == defined or defined.endswith("." + ref) or ref.endswith("." + defined)


def _tail(name: str) -> str:
    return ".".join(name.split(".")[-2:])


def reexport_match(ref: str, defined: str) -> bool:
    """``sdk.TokenProvider`` (imported from the package) matches ``sdk.auth.TokenProvider`` when the
    package's ``__init__`` re-exports it (a fallback when that file gave no alias facts)."""
    ref_parts, def_parts = ref.split("."), defined.split(".")
    if len(ref_parts) < 2 or len(def_parts) <= len(ref_parts):
        return False
    # same package prefix, same trailing name(s), one module level skipped in between
    return def_parts[: len(ref_parts) - 1] == ref_parts[:-1] and def_parts[-1] == ref_parts[-1] and len(def_parts) == len(ref_parts) + 1


@dataclass
class ResolvedCall:
    """One API call made with a client's token, with its method and path once resolved."""

    path: str  # file
    line: int
    method: str | None
    url: str | None
    host: str | None = None
    api_path: str | None = None
    problem: str = ""

    def label(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.problem:
            return f"{self.method or '?'} {self.url or '?'} ({where}: {self.problem})"
        return f"{self.method} {self.api_path} ({where})"


@dataclass
class ClientVerdict:
    """What the project analysis concluded about one client (for OA402 and ``--verbose``)."""

    fact: Any
    requested: list[dict[str, Any]]
    scope_path: str
    calls: list[ResolvedCall] = field(default_factory=list)
    needed: set[str] = field(default_factory=set)
    unneeded: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    mode: str = ""  # "profile" | "reads-only" | ""

    @property
    def key(self) -> str:
        return self.fact.data["key"]


class ProjectClients:
    """Follows tokens from clients to API calls across the files of a project."""

    def __init__(self, facts: Iterable[Any], settings: Settings) -> None:
        from rules._catalog.profiles import active_profile

        self.settings = settings
        self.profile = active_profile(settings)
        self.clients = [f for f in facts if f.kind == FACT_CLIENT and not f.data.get("test")]
        self.api_calls = [f for f in facts if f.kind == FACT_API_CALL and not f.data.get("test")]
        self.scope_constants = [f for f in facts if f.kind == FACT_SCOPE_CONSTANT]
        flows = [f for f in facts if f.kind == FACT_FLOW and not f.data.get("test")]
        self.edges: dict[str, dict[str, list[str]]] = {}
        self.call_sites: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.functions: set[str] = set()
        self.constants: dict[str, str] = {}
        self.aliases: dict[str, str] = {}  # package re-exports: pkg.Client -> pkg.client.Client
        self.bases: dict[str, list[str]] = {}  # class -> base classes
        for flow in flows:
            for src, dst in flow.data.get("edges", ()):
                kind, _, name = src.partition(":")
                kind = "slot" if kind in ("obj", "slot") else kind
                self.edges.setdefault(_tail(name), {}).setdefault(f"{kind}:{name}", []).append(dst)
            for record in flow.data.get("calls", ()):
                self.call_sites.setdefault(record["callee"].rsplit(".", 1)[-1], []).append((flow.path, record))
            self.functions.update(flow.data.get("functions", ()))
            self.functions.update(flow.data.get("classes", ()))
            self.constants.update(flow.data.get("constants", {}))
            for alias, target in flow.data.get("aliases", ()):
                if alias != target:
                    self.aliases[alias] = target
            for cls, base in flow.data.get("bases", ()):
                self.bases.setdefault(cls, []).append(base)
        self._memo: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        self._member_index: dict[str, list[tuple[str, list[str]]]] | None = None
        self._functions_by_last: dict[str, list[str]] | None = None

    # -- token origins ------------------------------------------------------------------------
    def _edges_for(self, kind: str, name: str) -> list[str]:
        name = self.canonical(name)
        out: list[str] = []
        loose: list[str] = []
        for key, targets in self.edges.get(_tail(name), {}).items():
            k, _, defined = key.partition(":")
            if k == kind and names_match(name, defined):
                out.extend(targets)
        if not out and name.count(".") >= 2:
            # sdk.TokenProvider.token -> sdk.auth.TokenProvider.token (re-exported class)
            owner, _, member = name.rpartition(".")
            for key, targets in self._edges_by_member().get(member, ()):
                k, _, defined = key.partition(":")
                if k == kind and reexport_match(owner, defined.rpartition(".")[0]):
                    loose.extend(targets)
        return out or loose

    def _edges_by_member(self) -> dict[str, list[tuple[str, list[str]]]]:
        """Every edge by the last part of its name, in edge order (built once: the re-export fallback
        above would otherwise scan all edges of the project for each lookup)."""
        if self._member_index is None:
            index: dict[str, list[tuple[str, list[str]]]] = {}
            for bucket in self.edges.values():
                for key, targets in bucket.items():
                    index.setdefault(key.partition(":")[2].rpartition(".")[2], []).append((key, targets))
            self._member_index = index
        return self._member_index

    def _is_project_function(self, name: str) -> bool:
        if self._functions_by_last is None:
            by_last: dict[str, list[str]] = {}
            for function in self.functions:
                by_last.setdefault(function.rsplit(".", 1)[-1], []).append(function)
            self._functions_by_last = by_last
        candidates = self._functions_by_last.get(name.rsplit(".", 1)[-1], ())
        return any(names_match(name, f) or reexport_match(name, f) for f in candidates)

    def origins(self, key: str, _seen: frozenset[str] = frozenset()) -> tuple[frozenset[str], tuple[str, ...]]:
        """(client keys the token may come from, reasons it may also come from elsewhere)."""
        if key in self._memo:
            return self._memo[key]
        if key in _seen or len(_seen) > 40:
            return frozenset(), ()
        seen = _seen | {key}
        if "@" in key and not key.startswith("client:"):
            # reached through an instance: tag every client found with that instance
            plain, _, tag = key.rpartition("@")
            found, reasons = self.origins(plain, seen)
            return frozenset(f"{k.split('@', 1)[0]}@{tag}" for k in found), reasons
        kind, _, name = key.partition(":")
        clients: set[str] = set()
        open_: list[str] = []
        if kind == "client":
            only: tuple[frozenset[str], tuple[str, ...]] = (frozenset({key}), ())  # may carry an @instance tag
            self._memo[key] = only
            return only
        if kind == "literal":
            return frozenset(), ()
        targets: list[str] = []
        if kind == "call":
            targets = self._edges_for("call", name)
        elif kind in ("slot", "obj"):
            targets = self._edges_for("slot", name)
        elif kind == "param":
            targets = self._param_sources(name)
            if not targets:
                open_.append(f"parameter {name.split('#')[1]} of {name.split('#')[0]} is never given a token we can follow")
        else:
            open_.append(f"token from {key}")
        if not targets and kind in ("slot", "obj"):
            targets = self._edges_for("call", name)  # a function passed as a value (token_getter=bearer)
        if not targets and kind in ("call", "slot", "obj"):
            targets = self._through_instance(kind, name)
            if not targets:
                what = "function" if kind == "call" else "attribute"
                if kind == "call" and self._is_project_function(name):
                    return frozenset(), ()
                open_.append(f"token comes from {what} {name}, which we could not follow")
        for target in targets:
            found, reasons = self.origins(target, seen)
            clients |= found
            open_.extend(reasons)
        result = (frozenset(clients), tuple(dict.fromkeys(open_)))
        if not _seen:
            self._memo[key] = result
        return result

    def _through_instance(self, kind: str, name: str) -> list[str]:
        """``call:app.auth.cache.get`` -> ``call:app.auth.TokenCache.get`` via ``cache = TokenCache()``
        (also through attributes and parameters that receive the instance); the results are tagged
        ``@owner`` so per-instance scopes can be told apart."""
        owner, _, member = name.rpartition(".")
        if not owner:
            return []
        out: list[str] = []
        for cls in self._constructors(owner, 0):
            out.append(f"{kind if kind != 'obj' else 'slot'}:{cls}.{member}@{owner}")
        return out

    def _constructors(self, owner: str, depth: int) -> list[str]:
        """Classes (qualified) whose instances may be what ``owner`` names."""
        if depth > 4:
            return []
        targets = self._param_sources(owner[6:]) if owner.startswith("param:") else self._edges_for("slot", owner)
        out: list[str] = []
        for target in targets:
            if target.startswith("call:"):
                out.append(self.canonical(target[5:]))
            elif target.startswith(("slot:", "obj:", "param:")):
                inner = target if target.startswith("param:") else target.split(":", 1)[1]
                out.extend(self._constructors(inner, depth + 1))
        return out

    def _param_sources(self, name: str) -> list[str]:
        function, pname, index = (name.split("#") + ["", "", "-1"])[:3]
        out: list[str] = []
        for _path, record in self._sites_of(function):
            for arg in record["args"]:
                if arg.get("kw") == pname or (arg.get("i", -1) >= 0 and str(arg["i"]) == index):
                    if "token" in arg:
                        out.append(arg["token"])
                    elif "param" in arg:
                        out.append(arg["param"])
        return out

    def canonical(self, name: str) -> str:
        """Follow package re-exports (``from .client import Client`` in ``pkg/__init__.py``)."""
        for _ in range(3):
            for alias, target in self.aliases.items():
                if name == alias or name.startswith(alias + "."):
                    name = target + name[len(alias):]
                    break
            else:
                return name
        return name

    def _sites_of(self, function: str) -> list[tuple[str, dict[str, Any]]]:
        """Call sites of a function; for ``C.__init__`` the constructor calls of ``C`` and of its
        subclasses that do not define their own ``__init__``."""
        wanted = [function]
        if function.endswith(".__init__"):
            cls = function[: -len(".__init__")]
            wanted.append(cls)
            for sub, bases in self.bases.items():
                if any(names_match(b, cls) for b in bases) and not any(names_match(f"{sub}.__init__", f) for f in self.functions if f.endswith(".__init__")):
                    wanted.append(sub)
        out: list[tuple[str, dict[str, Any]]] = []
        for name in wanted:
            last = name.rsplit(".", 1)[-1]
            for p, r in self.call_sites.get(last, []):
                callee = self.canonical(r["callee"])
                if names_match(callee, name) or reexport_match(callee, name):
                    out.append((p, r))
        return out

    # -- API call resolution ------------------------------------------------------------------
    def _constant(self, ref: str) -> str | None:
        for name, value in self.constants.items():
            if names_match(ref, name):
                return value
        return None

    def _arg_strings(self, function: str, pname: str, index: str, depth: int = 0) -> list[str | None]:
        """Every string a wrapper parameter receives at its call sites (None: not a literal)."""
        sites = self._sites_of(function)
        if not sites or depth > 3:
            return [None]
        values: list[str | None] = []
        for _path, record in sites:
            found: str | None = None
            matched = False
            for arg in record["args"]:
                if arg.get("kw") == pname or (arg.get("i", -1) >= 0 and str(arg["i"]) == index):
                    matched = True
                    if "str" in arg:
                        found = arg["str"]
                        values.append(found)
                    elif "param" in arg:
                        fname, inner, idx = (arg["param"][6:].split("#") + ["", "", "-1"])[:3]
                        values.extend(self._arg_strings(fname, inner, idx, depth + 1))
                    else:
                        values.append(None)
            if not matched:
                values.append(None)
        return values or [None]

    def expand(self, fact: Any) -> list[ResolvedCall]:
        """Concrete (method, path) pairs of one API call fact, following wrapper parameters."""
        data = fact.data
        methods: list[str | None] = [data.get("method")]
        if data.get("method_param"):
            name, index = data["method_param"]
            methods = [m.upper() if isinstance(m, str) else None for m in self._arg_strings(data["function"], name, index)]
        urls: list[str | None] = [data.get("url")]
        if data.get("url_param"):
            name, index = data["url_param"]
            template = data.get("url") or "{" + name + "}"
            urls = [template.replace("{" + name + "}", s) if s is not None else None for s in self._arg_strings(data["function"], name, index)]
        if data.get("method_param") and data.get("url_param") and len(methods) == len(urls):
            pairs = list(zip(methods, urls))
        else:
            pairs = [(m, u) for m in methods for u in urls]
        return [self._resolve_call(fact, m, u) for m, u in pairs]

    def _resolve_call(self, fact: Any, method: str | None, url: str | None) -> ResolvedCall:
        call = ResolvedCall(path=fact.path, line=fact.line, method=method, url=url)
        if method is None:
            call.problem = "HTTP method chosen at run time"
            return call
        if url is None:
            call.problem = "URL built at run time"
            return call
        lead = fact.data.get("lead")
        text = url
        if text.startswith("{"):
            end = text.find("}")
            base = None
            if lead and lead.startswith("value:"):
                base = lead[6:]
            elif lead and lead.startswith("ref:"):
                base = self._constant(lead[4:])
            rest = text[end + 1 :]
            if base is not None:
                text = base.rstrip("/") + ("/" + rest.lstrip("/") if rest else "")
            elif rest.startswith("/"):
                text = rest
            else:
                call.problem = "URL built at run time"
                return call
        if "://" in text:
            from urllib.parse import urlsplit

            try:
                parts = urlsplit(text)
                call.host = parts.hostname if "{" not in (parts.netloc or "") else None
                call.api_path = parts.path or "/"
            except ValueError:
                call.problem = "URL could not be parsed"
                return call
        elif text.startswith("/"):
            call.api_path = text.split("?", 1)[0]
        else:
            call.problem = "URL built at run time"
            return call
        if call.api_path.startswith("{"):
            call.problem = "path built at run time"
        return call

    # -- verdicts -----------------------------------------------------------------------------
    def requested(self, client: Any) -> tuple[list[dict[str, Any]], str, str]:
        """(scopes with positions, the file they are written in, reason when unknown)."""
        data = client.data
        status = data.get("scope_status")
        if status == "literal" and data.get("scopes"):
            return data["scopes"], client.path, ""
        if status == "ref" and data.get("scope_ref"):
            return self._constant_scopes(data["scope_ref"], client.path)
        return [], client.path, data.get("scope_reason") or "scopes could not be read"

    def _constant_scopes(self, ref: str, path: str) -> tuple[list[dict[str, Any]], str, str]:
        ref = self.canonical(ref)
        owner, _, attr = ref.rpartition(".")
        candidates = [ref] + [f"{t[5:]}.{attr}" for t in self._edges_for("slot", owner) if t.startswith("call:")]
        for name in candidates:  # settings.SCOPES, or settings = Settings() with a class attribute
            for const in self.scope_constants:
                if names_match(name, const.data["name"]) and const.data.get("status") == "literal":
                    return const.data["scopes"], const.path, ""
        return [], path, f"scopes come from {ref}, which we could not read"

    def instances(self, client: Any) -> list[tuple[list[dict[str, Any]], str, str | None, str]]:
        """For scopes passed in as a parameter: (scopes, file, instance key, reason) per call site."""
        ref = client.data.get("scope_ref") or ""
        function, pname, index = (ref[6:].split("#") + ["", "", "-1"])[:3]
        out: list[tuple[list[dict[str, Any]], str, str | None, str]] = []
        for path, record in self._sites_of(function):
            found = False
            for arg in record["args"]:
                if arg.get("kw") == pname or (arg.get("i", -1) >= 0 and str(arg["i"]) == index):
                    found = True
                    if "scopes" in arg:
                        out.append((arg["scopes"], path, record.get("target"), ""))
                    elif "scope_ref" in arg:
                        scopes, where, why = self._constant_scopes(arg["scope_ref"], path)
                        out.append((scopes, where, record.get("target"), why))
                    else:
                        out.append(([], path, record.get("target"), "scopes passed in at run time"))
            if not found:
                out.append(([], path, record.get("target"), "a caller does not pass the scopes we could read"))
        return out

    def verdicts(self) -> list[ClientVerdict]:
        from rules._catalog.profiles import READ_METHODS
        from rules._catalog.scopes import is_write_scope

        calls_by_client: dict[str, list[Any]] = {}
        calls_by_instance: dict[tuple[str, str], list[Any]] = {}
        unattributed: list[str] = []
        escapes: dict[str, list[str]] = {}
        for api in self.api_calls:
            found, reasons = self.origins(api.data["token"])
            for key in found:
                base, _, tag = key.partition("@")
                if api not in calls_by_client.setdefault(base, []):
                    calls_by_client[base].append(api)
                if tag:
                    calls_by_instance.setdefault((base, tag), []).append(api)
            if not found and reasons and api.data.get("via") in ("header", "auth"):
                unattributed.append(f"{api.path}:{api.line} sends a token we could not trace ({reasons[0]})")
        for sites in self.call_sites.values():
            for path, record in sites:
                callee = record["callee"]
                if not callee.startswith("?") and self._is_project_function(self.canonical(callee)):
                    continue
                for arg in record["args"]:
                    if "token" in arg:
                        found, _ = self.origins(arg["token"])
                        for key in found:
                            escapes.setdefault(key.partition("@")[0], []).append(f"token passed to {callee.lstrip('?')} ({path})")
        out: list[ClientVerdict] = []
        for client in self.clients:
            key = client.data["key"]
            if client.data.get("scope_status") == "param":
                out.extend(self._instance_verdicts(client, calls_by_client, calls_by_instance, unattributed, escapes, READ_METHODS, is_write_scope))
                continue
            requested, scope_path, why = self.requested(client)
            verdict = ClientVerdict(fact=client, requested=requested, scope_path=scope_path)
            out.append(verdict)
            if not requested:
                verdict.reasons.append(why or "no scope requested")
                continue
            self._evaluate(verdict, client, calls_by_client.get(key, []), escapes.get(key, []), unattributed, READ_METHODS, is_write_scope)
        return out

    def _instance_verdicts(
        self, client: Any, calls_by_client: dict[str, list[Any]], calls_by_instance: dict[tuple[str, str], list[Any]],
        unattributed: list[str], escapes: dict[str, list[str]], read_methods: frozenset[str], is_write_scope: Any,
    ) -> list[ClientVerdict]:
        key = client.data["key"]
        instances = self.instances(client)
        if not instances:
            verdict = ClientVerdict(fact=client, requested=[], scope_path=client.path)
            verdict.reasons.append(client.data.get("scope_reason") or "scopes passed in by callers we could not see")
            return [verdict]
        tagged = {api for (base, _tag), apis in calls_by_instance.items() if base == key for api in apis}
        untagged = [api for api in calls_by_client.get(key, []) if api not in tagged]
        out = []
        for scopes, path, target, why in instances:
            verdict = ClientVerdict(fact=client, requested=scopes, scope_path=path)
            out.append(verdict)
            if not scopes:
                verdict.reasons.append(why or "no scope requested")
                continue
            mine = [api for (base, tag), apis in calls_by_instance.items() if base == key and target and names_match(tag, target) for api in apis]
            if len(instances) > 1 and not mine and not untagged:
                verdict.reasons.append("no API call made with this instance's token was found")
                continue
            # calls we cannot attribute to one instance count for every instance (never fewer needs)
            self._evaluate(verdict, client, mine + untagged if len(instances) > 1 else calls_by_client.get(key, []), escapes.get(key, []), unattributed, read_methods, is_write_scope)
        return out

    def _evaluate(self, verdict: ClientVerdict, client: Any, facts: list[Any], escaped: list[str], unattributed: list[str], read_methods: frozenset[str], is_write_scope: Any) -> None:
        for api in facts:
            verdict.calls.extend(self.expand(api))
        if not verdict.calls:
            verdict.reasons.append("no API call made with its token was found")
            return
        problems = [c for c in verdict.calls if c.problem]
        if problems:
            verdict.reasons.extend(f"unresolved call {c.label()}" for c in problems)
            return
        if escaped:
            verdict.reasons.extend(escaped[:3])
            return
        if unattributed:
            verdict.reasons.extend(unattributed[:3])
            return
        self._judge(verdict, client, read_methods, is_write_scope)

    def _judge(self, verdict: ClientVerdict, client: Any, read_methods: frozenset[str], is_write_scope: Any) -> None:
        profile = self.profile
        applies = profile is not None and self._profile_applies(client, verdict.requested)
        mapped = True
        if applies:
            assert profile is not None
            for call in verdict.calls:
                if not profile.serves(call.host):
                    mapped = False
                    verdict.reasons.append(f"{call.label()} goes to a host outside the {profile.name} profile")
                    continue
                scope = profile.needed_scope(call.method or "", call.api_path or "")
                if scope is None:
                    mapped = False
                    verdict.reasons.append(f"the {profile.name} profile has no scope for {call.method} {call.api_path}")
                else:
                    verdict.needed.add(scope)
        if applies and mapped:
            assert profile is not None
            verdict.mode = "profile"
            for item in verdict.requested:
                scope = item["scope"]
                if profile.knows(scope) and profile.canonical(scope) not in verdict.needed:
                    verdict.unneeded.append(item)
            return
        if all((c.method or "") in read_methods for c in verdict.calls):
            verdict.mode = "reads-only"
            for item in verdict.requested:
                if is_write_scope(item["scope"]):
                    verdict.unneeded.append(item)
            if not verdict.unneeded and not applies:
                verdict.reasons.append("no profile covers these calls; only write scopes can be judged")

    def _profile_applies(self, client: Any, requested: list[dict[str, Any]] | None = None) -> bool:
        profile = self.profile
        assert profile is not None
        if any(r.user for r in profile.rules):
            return True
        url = client.data.get("token_url")
        if not url and client.data.get("token_url_ref"):
            url = self._constant(client.data["token_url_ref"])
        host = url_host(url) if url and "://" in url else None
        if host and profile.token_hosts and host not in profile.token_hosts:
            return False
        scopes = [i["scope"] for i in (requested if requested is not None else self.requested(client)[0])]
        if not scopes:
            return False
        # the provider's namespace must show in what is requested (banking:read, payments:write ...)
        return bool(host) or any(profile.is_provider_scope(s) or profile.knows(s) for s in scopes)


def describe_verdicts(verdicts: list[ClientVerdict]) -> list[str]:
    """``--verbose`` lines: per client, requested scopes, resolved calls and needed scopes."""
    lines: list[str] = []
    for verdict in verdicts:
        data = verdict.fact.data
        scopes = " ".join(i["scope"] for i in verdict.requested) or "(none readable)"
        lines.append(f"OA402 client {data['kind']} ({data['library']}) at {verdict.fact.path}:{verdict.fact.line}: requests {scopes}")
        for call in verdict.calls:
            lines.append(f"  call {call.label()}")
        if verdict.mode:
            lines.append(f"  needed: {' '.join(sorted(verdict.needed)) or '(none)'} [{verdict.mode}]")
        for reason in verdict.reasons:
            lines.append(f"  note: {reason}" if verdict.mode else f"  not judged: {reason}")
    return lines


def describe_clients(project: Any) -> list[str]:
    """``--verbose`` lines for a ``ProjectContext``: per client, requested scopes, resolved calls
    and needed scopes (or why the client was not judged)."""
    return describe_verdicts(ProjectClients(project.facts, project.settings).verdicts())
