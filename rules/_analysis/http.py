"""Recognise HTTP client calls and token requests (requests, httpx, aiohttp, urllib3, urllib,
http.client and the OAuth libraries' sessions, which are HTTP sessions too).

Shared by OA201 (token responses are sources), OA301 (URLs that reach a request), OA302 (TLS
switches on client calls), OA401/OA402 (scopes requested vs. API calls) and OA501/OA502.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import libcst as cst

from checker.model import Settings
from rules._analysis.imports import ModuleInfo, dotted_name, single_value
from rules._analysis.literals import StringValue, evaluate, string_template
from rules._analysis.names import words

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")

# qualified-name prefixes of things whose verb methods send HTTP requests
_MODULE_FUNCTIONS = {
    "requests": "requests",
    "requests.api": "requests",
    "httpx": "httpx",
    "urllib3": "urllib3",
}
_SESSION_CLASSES = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.ProxyManager": "urllib3",
    "urllib3.HTTPSConnectionPool": "urllib3",
    "urllib3.HTTPConnectionPool": "urllib3",
    "urllib3.connection_from_url": "urllib3",
    "authlib.integrations.requests_client.OAuth2Session": "authlib",
    "authlib.integrations.httpx_client.OAuth2Client": "authlib",
    "authlib.integrations.httpx_client.AsyncOAuth2Client": "authlib",
    "requests_oauthlib.OAuth2Session": "requests-oauthlib",
    "google.auth.transport.requests.AuthorizedSession": "google-auth",
    "requests_oauth2client.OAuth2Client": "requests-oauth2client",
}
# receivers we cannot resolve but whose names say "HTTP session" (self.session.get(...))
_SESSIONISH = re.compile(r"(?:^|_)(?:session|sess|client|http|http_client|api_client|httpx|requests)$", re.IGNORECASE)

TOKEN_PATH = re.compile(
    r"/(?:oauth2?/(?:v\d(?:\.\d)?/)?token|connect/token|oauth2/v2\.0/token|token|oauth/access_token|"
    r"v\d+/token|identity/oauth/token|auth/token|api/oauth2?/token|as/token\.oauth2|protocol/openid-connect/token)/?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HttpCall:
    """One HTTP request made by a call expression."""

    call: cst.Call
    library: str  # "requests", "httpx", "aiohttp", "urllib3", "urllib", "http.client", "authlib", "unknown"
    qualname: str  # resolved callee, or the dotted text when unresolved
    method: str | None  # upper-case verb, None when dynamic
    url: cst.BaseExpression | None
    keywords: dict[str, cst.BaseExpression] = field(default_factory=dict)
    resolved: bool = True  # False when the receiver was recognised by name only

    def keyword(self, name: str) -> cst.BaseExpression | None:
        return self.keywords.get(name)


def _keywords(call: cst.Call) -> dict[str, cst.BaseExpression]:
    return {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.args if arg.keyword is None and not arg.star]


def _library_of(qualname: str) -> tuple[str, str] | None:
    """(library, verb) for a qualified callee like ``requests.post`` or ``httpx.AsyncClient.get``."""
    owner, _, verb = qualname.rpartition(".")
    verb_l = verb.lower()
    if verb_l not in HTTP_VERBS and verb_l not in ("request", "stream", "urlopen", "request_encode_body", "ws_connect", "send"):
        return None
    if owner in _MODULE_FUNCTIONS:
        return _MODULE_FUNCTIONS[owner], verb_l
    for cls, library in _SESSION_CLASSES.items():
        same_class = owner.endswith("." + cls.rsplit(".", 1)[-1]) and owner.startswith(cls.split(".")[0] + ".")
        if owner == cls or same_class:
            return library, verb_l
    return None


def http_call(call: cst.Call, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None = None) -> HttpCall | None:
    """Describe ``call`` if it sends an HTTP request; None otherwise."""
    func = call.func
    qualname = info.qualify(func)
    resolved = True
    hit = _library_of(qualname) if qualname else None
    if hit is None and qualname in ("urllib.request.urlopen",):
        return _urlopen(call, info, scope, qualname)
    if hit is None and type(func) is cst.Attribute:
        hit = _by_receiver_name(func, qualname)
        resolved = False
        qualname = qualname or dotted_name(func) or func.attr.value
    if hit is None:
        return None
    library, verb = hit
    positional = _positional(call)
    keywords = _keywords(call)
    if verb in ("request", "urlopen", "request_encode_body") or (verb == "send" and library == "unknown"):
        method_expr = keywords.get("method") or (positional[0] if positional else None)
        method_value = evaluate(method_expr, info) if method_expr is not None else None
        method = method_value.upper() if isinstance(method_value, str) else None
        url = keywords.get("url") or (positional[1] if len(positional) > 1 else None)
    elif verb == "stream" and library == "httpx":
        method_value = evaluate(positional[0], info) if positional else None
        method = method_value.upper() if isinstance(method_value, str) else None
        url = keywords.get("url") or (positional[1] if len(positional) > 1 else None)
    elif verb == "ws_connect":
        method, url = "GET", keywords.get("url") or (positional[0] if positional else None)
    else:
        method = verb.upper()
        url = keywords.get("url") or (positional[0] if positional else None)
    return HttpCall(call=call, library=library, qualname=qualname or "", method=method, url=url, keywords=keywords, resolved=resolved)


def _by_receiver_name(func: cst.Attribute, qualname: str | None) -> tuple[str, str] | None:
    verb = func.attr.value.lower()
    if verb not in HTTP_VERBS and verb != "request":
        return None
    receiver = dotted_name(func.value)
    if receiver is None:
        return None
    last = receiver.rsplit(".", 1)[-1]
    if qualname and not qualname.startswith(receiver):  # resolved to something that is not a session
        return None
    if _SESSIONISH.search(last):
        return "unknown", verb
    return None


def _urlopen(call: cst.Call, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None, qualname: str) -> HttpCall:
    positional = _positional(call)
    keywords = _keywords(call)
    target = keywords.get("url") or (positional[0] if positional else None)
    method: str | None = "GET"
    url = target
    request = target
    if type(target) is cst.Name and scope is not None:
        request = single_value(target.value, scope, info) or target
    if type(request) is cst.Call and info.qualify(request.func) in ("urllib.request.Request",):
        inner_pos = _positional(request)
        inner_kw = _keywords(request)
        url = inner_kw.get("url") or (inner_pos[0] if inner_pos else None)
        data = inner_kw.get("data") or (inner_pos[1] if len(inner_pos) > 1 else None)
        method_value = evaluate(inner_kw.get("method"), info) if "method" in inner_kw else None
        method = method_value.upper() if isinstance(method_value, str) else ("POST" if data is not None else "GET")
        keywords = {**inner_kw, **({"data": data} if data is not None else {}), **keywords}
    elif "data" in keywords or len(positional) > 1:
        method = "POST"
        if len(positional) > 1:
            keywords = {**keywords, "data": positional[1]}
    return HttpCall(call=call, library="urllib", qualname=qualname, method=method, url=url, keywords=keywords)


def url_text(
    expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None = None, _depth: int = 0
) -> StringValue | None:
    """The URL an expression evaluates to (holes as ``{name}``), following one local assignment
    and ``urljoin(base, path)``. Depth-limited: ``url = urljoin(url, path)`` refers to itself."""
    if expr is None or _depth > 8:
        return None
    if type(expr) is cst.Name and scope is not None:
        bound = single_value(expr.value, scope, info)
        if bound is not None and bound is not expr:
            expr = bound
    if type(expr) is cst.Call and (info.qualify(expr.func) or "").endswith("urljoin") and len(expr.args) >= 2:
        base = url_text(expr.args[0].value, info, scope, _depth + 1)
        tail = url_text(expr.args[1].value, info, scope, _depth + 1)
        if base is not None and tail is not None:
            from urllib.parse import urljoin

            return StringValue(urljoin(base.text, tail.text), base.complete and tail.complete)
        return None
    return string_template(expr, info)


def is_token_url(text: str, settings: Settings | None = None) -> bool:
    """A URL (or path) that names an OAuth token endpoint."""
    if settings is not None:
        for endpoint in settings.token_endpoints:
            if text.rstrip("/") == endpoint.rstrip("/"):
                return True
    try:
        path = urlsplit(text).path if "://" in text else text.split("?", 1)[0]
    except ValueError:
        return False
    return bool(TOKEN_PATH.search(path))


def is_token_url_name(name: str) -> bool:
    """``TOKEN_URL``, ``token_endpoint``, ``access_token_url``, ``token_uri``, ``auth_url``."""
    w = words(name)
    return "token" in w and any(x in w for x in ("url", "uri", "endpoint")) or w[-2:] == ("auth", "url")


def dict_literal_items(expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None = None) -> dict[str, cst.BaseExpression] | None:
    """String-keyed items of a dict display or ``dict(k=v)`` call (following one local binding)."""
    if expr is None:
        return None
    if type(expr) is cst.Name and scope is not None:
        bound = single_value(expr.value, scope, info)
        if bound is not None and bound is not expr:
            expr = bound
    if type(expr) is cst.Dict:
        items: dict[str, cst.BaseExpression] = {}
        for element in expr.elements:
            if type(element) is cst.DictElement:
                key = evaluate(element.key, info)
                if isinstance(key, str):
                    items[key] = element.value
        return items
    if type(expr) is cst.Call and info.qualify(expr.func) == "builtins.dict":
        return {a.keyword.value: a.value for a in expr.args if a.keyword is not None}
    return None


def _body_has_client_credentials(expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None) -> bool:
    items = dict_literal_items(expr, info, scope)
    if items is not None:
        grant = items.get("grant_type")
        return grant is not None and evaluate(grant, info) == "client_credentials"
    if type(expr) is cst.Name and scope is not None:
        bound = single_value(expr.value, scope, info)
        if bound is not None and bound is not expr:
            expr = bound
    if type(expr) is cst.Call and (info.qualify(expr.func) or "").endswith("urlencode") and expr.args:
        return _body_has_client_credentials(expr.args[0].value, info, scope)
    if type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == "encode":
        return _body_has_client_credentials(expr.func.value, info, scope)
    text = string_template(expr, info) if expr is not None else None
    return text is not None and "grant_type=client_credentials" in text.text


def is_token_request(hc: HttpCall, info: ModuleInfo, settings: Settings | None = None, scope: cst.FunctionDef | cst.Module | None = None) -> bool:
    """A POST carrying ``grant_type=client_credentials`` or sent to a token endpoint."""
    if hc.method not in (None, "POST"):
        return False
    for key in ("data", "json", "params", "content", "body", "fields"):
        if _body_has_client_credentials(hc.keywords.get(key), info, scope):
            return True
    if hc.url is not None:
        text = url_text(hc.url, info, scope)
        if text is not None and is_token_url(text.text, settings):
            return True
        name = dotted_name(hc.url)
        if name and is_token_url_name(name.rsplit(".", 1)[-1]):
            return True
    return False


def url_host(text: str) -> str | None:
    try:
        return urlsplit(text).hostname
    except ValueError:
        return None


# --- guarded variants (OA201/OA301/OA302) --------------------------------------------------------------
# ``url_text`` follows local bindings, so ``url = urljoin(url, path)`` makes it recurse until Python's
# recursion limit; these wrappers turn that into "unknown" instead of losing the whole rule on the file.


def safe_url_text(expr: cst.BaseExpression | None, info: ModuleInfo, scope: cst.FunctionDef | cst.Module | None = None) -> StringValue | None:
    """``url_text`` that answers None (unknown) instead of raising RecursionError."""
    try:
        return url_text(expr, info, scope)
    except RecursionError:
        return None


def safe_is_token_request(hc: HttpCall, info: ModuleInfo, settings: Settings | None = None, scope: cst.FunctionDef | cst.Module | None = None) -> bool:
    """``is_token_request`` that answers False instead of raising RecursionError."""
    try:
        return is_token_request(hc, info, settings, scope)
    except RecursionError:
        return False
