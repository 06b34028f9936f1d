"""A small intra-module taint tracker: which values are tokens or secrets, and where they end up.

Used by OA201 (token-logged). The design follows DOMAIN.md §2 and the OA201 section:

* **Labels** describe what a value is by *origin* (a token response, a token object, an
  ``Authorization`` header dict, a secret read from the environment) or, with medium confidence, by
  *name* (``access_token``, ``client_secret`` …, through ``names.credential_name`` minus the
  never-sensitive list). Some labels are sensitive only through a field: printing a ``requests``
  response shows ``<Response [200]>``, but its ``.json()``/``.text`` is the token response; an httpx
  ``Headers`` object masks ``Authorization`` in its repr, ``dict(headers)`` does not.
* **Propagation** is a forward abstract interpretation of each function body (assignments,
  tuple unpacking, f-strings, ``%``, ``.format``, ``+``, ``str()``/``repr()``, ``json.dumps``,
  containers and their updates, ``self.x`` stores read in other methods, module globals, closures),
  with function **summaries** computed once per function and memoised: the labels a function
  returns, where each parameter flows (``PARAM`` labels with an access path), and which of its sinks
  a parameter reaches, so ``log_token(tok)`` is reported at the sink inside ``log_token``.
* **Sanitizers** (short slices, ``len``/``bool``/``hash``, hashlib, masking helpers, comparisons,
  ``SecretStr``, JWT claim decoding) make a value *definitely clean*, which also stops the name
  heuristics (``masked = mask(token)`` is not a token even though the name says so).
* **Sinks** are recognised by ``sink_of`` (logging, structlog, loguru, print, pprint, sys.std*.write,
  click/typer echo, tqdm.write, rich, warnings.warn, traceback, raising an exception).

The engine only runs when the visitor found a candidate sink (and the file passed the rule's
trigger words), and it analyses only the functions that contain candidate sinks plus the callees
and class methods they need. ``STATS`` counts engine builds for the cost test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import libcst as cst

from checker.model import Confidence
from checker.rule import FileContext
from rules._analysis.http import http_call, is_token_url, safe_is_token_request as is_token_request
from rules._analysis.imports import ModuleInfo, dotted_name, module_info
from rules._analysis.literals import evaluate, string_value
from rules._analysis.names import credential_name, is_placeholder, words
from rules._analysis.nodes import is_expression
from rules._catalog import sinks as cat

# How often a TaintEngine was built (the cost test checks files without sources/sinks never build one).
STATS: dict[str, int] = {"engines": 0, "functions": 0}

SECRET = "secret"  # the value itself is sensitive
BODY = "body"  # a token response body / token dict: sensitive when printed, fields decide
OBJECT = "object"  # a token object whose repr shows the token (azure AccessToken, BearerToken)
HEADERS = "headers"  # a header mapping holding credentials
CONTAINER = "container"  # a dict/list/tuple holding a sensitive value
RESPONSE = "response"  # an HTTP response object: its repr is safe, its body may not be
REQUEST = "request"  # the request behind a response: headers/body may carry credentials
MASKED = "masked-headers"  # httpx.Headers: repr masks Authorization
PARAM = "param"  # a function parameter (summaries); substituted at call sites
CLEAN = "clean"  # definitely not sensitive (stops the name heuristics)

LEAKY = frozenset({SECRET, BODY, OBJECT, HEADERS, CONTAINER})
_MAX_LABELS = 6
_MAX_ROUNDS = 2
_MAX_NESTING = 12  # nested summary computations (keeps deep call chains far from the recursion limit)


@dataclass(frozen=True)
class Label:
    kind: str
    role: str = ""
    origin: str = ""
    node: cst.CSTNode | None = field(default=None, repr=False)  # where the value came from (its line goes into the message)
    confidence: Confidence = Confidence.HIGH
    keys: frozenset | None = None  # containers: literal keys/indexes that hold the sensitive value
    param: int = -1
    path: tuple = ()
    library: str = ""
    token: bool = True  # RESPONSE/REQUEST: of a token request (False: an API request with credentials)
    mapping: bool = False  # a dict-like value: iterating it (or list()) yields its keys only

    def but(self, **changes: object) -> "Label":
        # dataclasses.replace re-runs __init__ and costs ~20x more; labels are plain frozen data
        # (no __post_init__), so copying the field dict is equivalent.
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"Label has no field(s) {sorted(unknown)}")
        new = object.__new__(Label)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new


Value = tuple  # tuple[Label, ...]; () means "unknown"
CLEAN_VALUE: Value = (Label(CLEAN),)


def is_clean(value: Value) -> bool:
    return bool(value) and all(label.kind == CLEAN for label in value)


def real(value: Value) -> list[Label]:
    return [label for label in value if label.kind != CLEAN]


def leaky(value: Value) -> list[Label]:
    return [label for label in value if label.kind in LEAKY]


def union(*values: Value) -> Value:
    """Join of several values: any real label wins; all-clean stays clean; otherwise unknown."""
    labels: list[Label] = []
    seen: set[tuple] = set()
    all_clean = bool(values)
    for value in values:
        if not is_clean(value):
            all_clean = False
        for label in value:
            if label.kind == CLEAN:
                continue
            key = (label.kind, label.role, label.param, label.path, id(label.node), label.keys)
            if key not in seen:
                seen.add(key)
                labels.append(label)
    if labels:
        labels.sort(key=lambda lab: (lab.kind not in LEAKY, -int(lab.confidence)))
        return tuple(labels[:_MAX_LABELS])
    return CLEAN_VALUE if all_clean else ()


def _lower(value: Value, confidence: Confidence) -> Value:
    return tuple(lab.but(confidence=min(lab.confidence, confidence)) if lab.kind != CLEAN else lab for lab in value)


# --- names ------------------------------------------------------------------------------------------

_EXTRA_NAMES = {
    ("auth", "header"): "Authorization header",
    ("auth", "headers"): "Authorization header",
    ("authorization", "header"): "Authorization header",
    ("bearer", "header"): "Authorization header",
    ("auth", "token"): "auth token",
}


@lru_cache(maxsize=8192)
def sensitive_name(name: str) -> tuple[str, bool] | None:
    """(role, generic) when ``name`` names a token or secret value; None otherwise.

    ``access_token`` -> ("access token", False); ``token`` -> ("token", True); ``token_type``,
    ``max_tokens``, ``csrf_token``, ``token_masked``, ``has_token``, ``credentials`` -> None.
    """
    if not name or name.lower() in cat.NEVER_SENSITIVE_KEYS:
        return None
    seq = words(name)
    if not seq or any(w in cat.NEVER_SENSITIVE_WORDS for w in seq):
        return None
    if seq[-2:] in _EXTRA_NAMES:
        return _EXTRA_NAMES[seq[-2:]], False
    if seq[-2:] in (("authorization", "code"), ("auth", "code")):
        return "authorization code", False
    if seq[-1] in cat.OBJECT_NAMES and len(seq) <= 2 and seq[0] not in ("client", "secret"):
        return None  # a credentials object (google print(creds) shows no token)
    verdict = credential_name(name)
    if verdict is None:
        return None
    if verdict.role in ("credential", "credentials", "client credential") and "client" not in seq:
        return None
    return verdict.role, verdict.strength == "generic"


_CREDENTIAL_WORDS = frozenset({"token", "tokens", "secret", "secrets", "password", "key", "bearer", "credential", "credentials"})


def _named_not_sensitive(name: str) -> bool:
    """A name that mentions a credential word but is explicitly something else (``csrf_token``)."""
    return sensitive_name(name) is None and any(w in _CREDENTIAL_WORDS for w in words(name))


def _key_role(key: str) -> str | None:
    found = sensitive_name(key)
    return found[0] if found else None


# --- sinks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sink:
    name: str  # shown in messages: "logger.info", "print", "an exception message"
    positional: str  # "all" | "first" | "skip-first" | "none"
    keywords: str  # "all" | "extra" | "message" | "none"
    confidence: Confidence = Confidence.HIGH
    kind: str = "log"  # "log" | "print" | "raise" | "bind"


def maybe_sink(call: cst.Call) -> bool:
    """Cheap syntactic pre-check used by the visitor (resolution happens in ``sink_of``)."""
    func = call.func
    if type(func) is cst.Name:
        return func.value in cat.SINK_FUNCTION_NAMES
    if type(func) is cst.Attribute:
        return func.attr.value in cat.SINK_METHOD_NAMES
    return False


def display_name(expr: cst.BaseExpression) -> str:
    """``logger.info``, ``logger.opt(...).debug``, ``structlog.get_logger().info``."""
    name = dotted_name(expr)
    if name:
        return name
    if type(expr) is cst.Attribute:
        inner = expr.value
        if type(inner) is cst.Call:
            return f"{display_name(inner.func)}(...).{expr.attr.value}"
        return f"{display_name(inner)}.{expr.attr.value}"
    if type(expr) is cst.Call:
        return f"{display_name(expr.func)}(...)"
    return "a call"


def _receiver_qualname(info: ModuleInfo, receiver: cst.BaseExpression) -> str | None:
    if type(receiver) is cst.Call:
        inner = info.qualify(receiver.func)
        return inner
    return info.qualify(receiver)


def _receiver_last(receiver: cst.BaseExpression) -> str:
    if type(receiver) is cst.Call:
        receiver = receiver.func
    name = dotted_name(receiver)
    if name:
        return name.rsplit(".", 1)[-1]
    if type(receiver) is cst.Attribute:
        return receiver.attr.value
    return ""


def _starts(qual: str, prefixes: Iterable[str]) -> bool:
    return any(qual == p or qual.startswith(p + ".") for p in prefixes)


@dataclass(frozen=True)
class ModuleFlags:
    structlog: bool = False
    loguru: bool = False
    lexer: bool = False  # "token" means a lexer/NLP/LLM token in this module


def module_flags(info: ModuleInfo) -> ModuleFlags:
    targets = set(info.imports.values())
    roots = {t.split(".")[0] for t in targets} | {t.rsplit(".", 1)[0] for t in targets}
    lexer = any(t in cat.NON_CREDENTIAL_TOKEN_MODULES or t.split(".")[0] in cat.NON_CREDENTIAL_TOKEN_MODULES for t in targets)
    return ModuleFlags(structlog="structlog" in roots, loguru="loguru" in roots, lexer=lexer)


def _print_to_file(call: cst.Call, info: ModuleInfo) -> bool:
    """``print(x, file=fh)`` writes to a file, not to a log/console (stdout/stderr still count)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "file":
            target = info.qualify(arg.value) or ""
            return not target.startswith(("sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__"))
    return False


def sink_of(call: cst.Call, info: ModuleInfo, flags: ModuleFlags) -> Sink | None:
    """Describe ``call`` as a sink (which arguments carry data, how sure we are), or None."""
    func = call.func
    qual = info.qualify(func)
    shown = display_name(func)
    if qual in cat.PRINT_FUNCTIONS:
        if qual in ("builtins.print", "rich.print", "click.echo", "click.secho", "typer.echo") and _print_to_file(call, info):
            return None
        mode = cat.PRINT_FUNCTIONS[qual]
        if qual == "structlog.contextvars.bind_contextvars":
            return Sink(shown, "none", "all", kind="bind")
        return Sink(shown, mode, "message" if mode == "first" else "none", kind="print")
    if type(func) is not cst.Attribute:
        if qual and qual.startswith("logging.") and qual.rsplit(".", 1)[-1] in cat.LOGGING_METHODS:
            return Sink(shown, "all", "extra")
        return None
    method = func.attr.value
    receiver = func.value
    rq = _receiver_qualname(info, receiver) or ""
    if rq:
        found = _resolved_sink(rq, method, shown, call, info)
        if found is not None:
            return found
    last = _receiver_last(receiver)
    if last and cat.LOGGER_NAME.match(last):
        dynamic_kwargs = "all" if (flags.structlog or flags.loguru) else "extra"
        if method in cat.LOGGING_METHODS or method in cat.LOGURU_METHODS or method in ("msg", "success", "trace"):
            confidence = Confidence.HIGH if rq and "log" in rq.split(".")[0].lower() else Confidence.MEDIUM
            return Sink(shown, "all", dynamic_kwargs, confidence)
        if method in ("bind", "new", "contextualize") and (flags.structlog or flags.loguru):
            return Sink(shown, "none", "all", Confidence.MEDIUM, kind="bind")
    return None


def _resolved_sink(rq: str, method: str, shown: str, call: cst.Call, info: ModuleInfo) -> Sink | None:
    if rq == "logging" and method in cat.LOGGING_METHODS:
        return Sink(shown, "all", "extra")
    if _starts(rq, cat.LOGURU_PREFIXES) or rq.startswith("loguru.logger"):
        if method in cat.LOGURU_METHODS:
            return Sink(shown, "all", "all")
        if method in ("bind", "contextualize"):
            return Sink(shown, "none", "all", kind="bind")
        return None
    if rq.startswith("structlog"):
        if method in cat.STRUCTLOG_METHODS:
            return Sink(shown, "all", "all")
        if method in ("bind", "new"):
            return Sink(shown, "none", "all", kind="bind")
        if rq == "structlog.contextvars" and method == "bind_contextvars":
            return Sink(shown, "none", "all", kind="bind")
        return None
    if _starts(rq, cat.STDLIB_LOGGER_FACTORIES) and method in cat.LOGGING_METHODS:
        return Sink(shown, "all", "extra")
    for cls, methods in cat.PRINTER_CLASSES.items():
        if _starts(rq, (cls,)) and method in methods:
            if method == "print_json":
                return Sink(shown, "all", "message", kind="print")
            return Sink(shown, "all", "none", kind="print")
    if rq.startswith(("sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__")) and method in ("write", "writelines"):
        return Sink(shown, "first", "none", kind="print")
    return None


RAISE_SINK = Sink("an exception message", "all", "all", Confidence.MEDIUM, kind="raise")


# --- leaks ------------------------------------------------------------------------------------------


@dataclass
class Leak:
    """A sensitive value reaching a sink (reported on ``node``, the sink call or raise)."""

    node: cst.CSTNode
    sink: Sink
    label: Label
    confidence: Confidence
    error_branch: bool = False
    via: cst.Call | None = None
    via_name: str = ""


@dataclass
class FunctionResult:
    returns: Value = ()
    returned: bool = False
    done: bool = False
    ever: dict[str, Value] = field(default_factory=dict)  # every value a name was bound to
    self_stores: dict[str, Value] = field(default_factory=dict)  # "attr" (after self.) -> value
    global_stores: dict[str, Value] = field(default_factory=dict)
    param_sinks: list[tuple[cst.CSTNode, Sink, Label, bool]] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)  # local name -> same-module class name
    lib_types: dict[str, str] = field(default_factory=dict)  # local name -> qualified constructor
    defs: dict[str, cst.FunctionDef] = field(default_factory=dict)


@dataclass
class _Scope:
    """Where a function sits: its class (for self.x) and enclosing function (closures)."""

    cls: str | None = None
    parent: cst.FunctionDef | None = None


class _Frame:
    def __init__(self, engine: "TaintEngine", node: cst.FunctionDef | cst.Module, result: FunctionResult) -> None:
        self.node = node
        self.result = result
        scope = engine.scopes.get(node, _Scope()) if type(node) is cst.FunctionDef else _Scope()
        self.cls = scope.cls
        self.parent = scope.parent
        self.env: dict[str, Value] = {}
        self.params: dict[str, int] = {}
        self.globals: set[str] = set()
        self.error = 0  # > 0 inside an error branch (failed response, except handler)
        self.token_conns: set[str] = set()


# --- the engine -------------------------------------------------------------------------------------


class TaintEngine:
    """Per-module analysis; build once per file (``engine_for(ctx)``) and ask ``leaks(candidates)``."""

    def __init__(self, ctx: FileContext, info: ModuleInfo | None = None) -> None:
        STATS["engines"] += 1
        self.ctx = ctx
        self.module: cst.Module = ctx.module
        self.info = info or module_info(ctx)
        self.settings = ctx.settings
        self.flags = module_flags(self.info)
        self.sinks: dict[int, Sink | None] = {}
        self.results: dict[int, FunctionResult] = {}
        self.scopes: dict[cst.FunctionDef, _Scope] = {}
        self.methods: dict[str, dict[str, cst.FunctionDef]] = {}
        self.bases: dict[str, list[str]] = {}
        self.class_body: dict[str, cst.ClassDef] = {}
        self.global_writers: dict[str, list[cst.FunctionDef]] = {}
        self.found: dict[int, Leak] = {}
        self.previous: dict[int, FunctionResult] = {}
        self._reentrant = False
        self._class_attr_active: set[tuple[str, str]] = set()
        self.callers: dict[str, set] | None = None
        self._depth = 0
        self._frozen = False
        self._http_calls: dict[tuple[int, int], tuple[cst.Call, cst.CSTNode, object]] = {}
        self._index(self.module.body, None, None)

    # -- indexing --------------------------------------------------------------------------------

    def _index(self, stmts: Sequence[cst.CSTNode], cls: str | None, func: cst.FunctionDef | None) -> None:
        for stmt in stmts:
            if type(stmt) is cst.FunctionDef:
                self.scopes[stmt] = _Scope(cls, func)
                if cls is not None:
                    self.methods.setdefault(cls, {}).setdefault(stmt.name.value, stmt)
                self._index(_body(stmt), None, stmt)
            elif type(stmt) is cst.ClassDef:
                name = stmt.name.value
                self.class_body.setdefault(name, stmt)
                self.bases[name] = [b for b in (dotted_name(a.value) for a in stmt.bases) if b]
                self._index(_body(stmt), name, func)
            elif type(stmt) is cst.SimpleStatementLine:
                for small in stmt.body:
                    if type(small) is cst.Global and func is not None:
                        for item in small.names:
                            self.global_writers.setdefault(item.name.value, []).append(func)
            else:
                for block in _sub_blocks(stmt):
                    self._index(block, cls, func)

    # -- public API ------------------------------------------------------------------------------

    def leaks(
        self,
        candidates: dict[cst.CSTNode, cst.FunctionDef | None],
        callers: dict[str, set] | None = None,
    ) -> list[Leak]:
        """Leaks at the candidate sinks (calls and raises); ``candidates`` maps each to its function.

        ``callers`` (callee name -> functions containing a call to it, None for module level), when the
        caller collected it during its pass, limits the search for call sites of functions whose
        parameters reach a sink; without it every function is analysed in that case.
        """
        self.callers = callers
        for node in candidates:
            if type(node) is cst.Call:
                self.sinks[id(node)] = sink_of(node, self.info, self.flags)
            else:
                self.sinks[id(node)] = RAISE_SINK
        if not any(self.sinks.values()):
            return []
        signature: frozenset | None = None
        for _round in range(_MAX_ROUNDS):
            # Functions that read each other's summaries (method A reads self.x stored by B, which
            # calls A) see a partial summary the first time; a further round then reads the previous
            # round's summaries. Files without such cycles need exactly one round.
            self.previous, self.results = self.results, {}
            self.found = {}
            self._reentrant = False
            self._run_round(candidates)
            if not self._reentrant:
                return list(self.found.values())
            current = self._signature()
            if not current:
                return list(self.found.values())  # nothing sensitive flows between functions
            if current == signature:
                break
            signature = current
        # Final pass: walk the functions with sinks once more, reading every other function's
        # summary from the last round instead of re-analysing it, so no sink sees a partial view.
        self.previous, self.results = self.results, {}
        self.found = {}
        self._frozen = True
        try:
            self._run_round(candidates)
        finally:
            self._frozen = False
        return list(self.found.values())

    def _run_round(self, candidates: dict[cst.CSTNode, cst.FunctionDef | None]) -> None:
        self.analyze(self.module)
        for node, func in candidates.items():
            if self.sinks.get(id(node)) is not None and func is not None:
                self.analyze(func)
        if self.callers is None:
            if any(result.param_sinks for result in list(self.results.values())):
                for func in list(self.scopes):
                    self.analyze(func)
            return
        # a parameter reaches a sink: analyse the functions that call it (a worklist, since those
        # callers may pass their own parameters on)
        done: set[int] = set()
        while True:
            pending = [func for func in self.scopes if id(func) not in done and self.results.get(id(func)) is not None
                       and self.results[id(func)].param_sinks]
            if not pending:
                return
            for func in pending:
                done.add(id(func))
                for caller in self.callers.get(func.name.value, ()):
                    self.analyze(caller if caller is not None else self.module)

    def _signature(self) -> frozenset:
        items: set[tuple] = set()
        for key, result in self.results.items():
            for label in result.returns:
                if label.kind != CLEAN:
                    items.add((key, "return", label.kind, label.role, int(label.confidence)))
            for slot in (result.self_stores, result.global_stores):
                for name, value in slot.items():
                    for label in value:
                        if label.kind != CLEAN:
                            items.add((key, name, label.kind, label.role, int(label.confidence)))
        return frozenset(items)

    def analyze(self, node: cst.FunctionDef | cst.Module) -> FunctionResult:
        """Analyse a function (or the module body) once; a re-entrant call sees the partial result."""
        key = id(node)
        if self._frozen and self._depth > 0 and key in self.previous:
            return self.previous[key]
        if key in self.results:
            result = self.results[key]
            if not result.done:
                self._reentrant = True
                return self.previous.get(key, result)
            return result
        if self._depth >= _MAX_NESTING:
            # a long chain of summaries (A needs B needs C ...): use what the last round knew
            self._reentrant = True
            return self.previous.get(key, FunctionResult(done=True))
        STATS["functions"] += 1
        result = FunctionResult()
        self.results[key] = result
        frame = _Frame(self, node, result)
        self._depth += 1
        try:
            if type(node) is cst.FunctionDef:
                self._bind_params(node, frame)
            body = node.body if type(node) is cst.Module else _body(node)
            self._block(body, frame)
        finally:
            self._depth -= 1
        result.done = True
        return result

    # -- parameters and summaries ----------------------------------------------------------------

    def _bind_params(self, func: cst.FunctionDef, frame: _Frame) -> None:
        params = _param_list(func)
        skip_first = frame.cls is not None and not _is_static(func)
        for index, param in enumerate(params):
            name = param.name.value
            if index == 0 and skip_first:
                frame.env[name] = ()
                continue
            labels: list[Label] = [Label(PARAM, role=name, param=index)]
            named = self._name_label(name, None)
            if named is not None:
                labels.append(named)
            frame.params[name] = index
            frame.env[name] = tuple(labels)
        star = func.params.star_arg
        if type(star) is cst.Param:
            frame.env[star.name.value] = ()
        if func.params.star_kwarg is not None:
            frame.env[func.params.star_kwarg.name.value] = ()

    def _apply_summary(self, callee: cst.FunctionDef, offset: int, call: cst.Call, args: list[tuple[str | None, Value]], frame: _Frame) -> Value:
        result = self.analyze(callee)
        names = [p.name.value for p in _param_list(callee)]
        by_index: dict[int, Value] = {}
        position = offset
        for keyword, value in args:
            if keyword is None:
                by_index[position] = value
                position += 1
            elif keyword in names:
                by_index[names.index(keyword)] = value
        out: list[Value] = []
        for label in result.returns:
            if label.kind == PARAM:
                out.append(self._subst(label, by_index.get(label.param, ())))
            else:
                out.append((label,))
        for sink_node, sink, label, in_error in result.param_sinks:
            value = self._subst(label, by_index.get(label.param, ()))
            for leak_label in leaky(value):
                if leak_label.kind == SECRET and leak_label.confidence < Confidence.HIGH and leak_label.node is None:
                    continue  # name-only labels were already judged inside the callee
                self._record(sink_node, sink, leak_label, in_error or frame.error > 0, via=call, via_name=callee.name.value)
        if not result.returns:
            return ()
        if is_clean(result.returns):
            return CLEAN_VALUE
        return union(*out) if out else ()

    def _subst(self, label: Label, value: Value) -> Value:
        for op in label.path:
            if op[0] == "attr":
                value = self._attr_of(value, op[1], None)
            elif op[0] == "sub":
                value = self._sub_of(value, op[1], None)
            elif op[0] == "meth":
                value = self._method_of(value, op[1], op[2], [], None)
            elif op[0] == "iter":
                value = self._element_of(value)
        return value

    # -- statements ------------------------------------------------------------------------------

    def _block(self, stmts: Sequence[cst.CSTNode], frame: _Frame) -> bool:
        """Run statements in order; True when the block always leaves (return/raise/continue/break)."""
        for stmt in stmts:
            if self._statement(stmt, frame):
                return True
        return False

    def _statement(self, stmt: cst.CSTNode, frame: _Frame) -> bool:
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if self._small(small, frame):
                    return True
            return False
        if type(stmt) is cst.If:
            return self._if(stmt, frame)
        if type(stmt) is cst.For:
            return self._for(stmt, frame)
        if type(stmt) is cst.While:
            self._expr(stmt.test, frame)
            before = dict(frame.env)
            for _ in range(2):
                self._block(_body(stmt), frame)
            frame.env = _merge(before, frame.env)
            if stmt.orelse is not None:
                self._block(_body(stmt.orelse), frame)
            return False
        if type(stmt) is cst.Try:
            return self._try(stmt, frame)
        if type(stmt) is cst.With:
            for item in stmt.items:
                value = self._expr(item.item, frame)
                if item.asname is not None:
                    self._bind(item.asname.name, value, item.item, frame)
            return self._block(_body(stmt), frame)
        if type(stmt) is cst.FunctionDef:
            frame.result.defs[stmt.name.value] = stmt
            frame.env[stmt.name.value] = CLEAN_VALUE
            return False
        if type(stmt) is cst.ClassDef:
            # class bodies run at definition time; their methods are analysed on demand
            saved = frame.cls
            for inner in _body(stmt):
                if type(inner) not in (cst.FunctionDef, cst.ClassDef):
                    self._statement(inner, frame)
            frame.cls = saved
            frame.env[stmt.name.value] = CLEAN_VALUE
            return False
        if type(stmt) is cst.Match:
            self._expr(stmt.subject, frame)
            before = dict(frame.env)
            envs = []
            for case in stmt.cases:
                frame.env = dict(before)
                if not self._block(_body(case), frame):
                    envs.append(frame.env)
            frame.env = _merge(before, *envs) if envs else before
            return False
        return False

    def _small(self, small: cst.BaseSmallStatement, frame: _Frame) -> bool:
        if type(small) is cst.Expr:
            self._expr(small.value, frame)
        elif type(small) is cst.Assign:
            value = self._expr(small.value, frame)
            for target in small.targets:
                self._bind(target.target, value, small.value, frame)
        elif type(small) is cst.AnnAssign:
            if small.value is not None:
                value = self._expr(small.value, frame)
                self._bind(small.target, value, small.value, frame)
        elif type(small) is cst.AugAssign:
            value = self._expr(small.value, frame)
            old = self._expr(small.target, frame)
            self._bind(small.target, union(old, _stringify(value)), None, frame)
        elif type(small) is cst.Return:
            self._returned(self._expr(small.value, frame) if small.value is not None else CLEAN_VALUE, frame)
            return True
        elif type(small) is cst.Raise:
            self._raise(small, frame)
            return True
        elif type(small) in (cst.Global, cst.Nonlocal):
            if type(small) is cst.Global:
                frame.globals.update(item.name.value for item in small.names)
        elif type(small) in (cst.Import, cst.ImportFrom):
            for name in _imported_names(small):
                frame.env[name] = CLEAN_VALUE
        elif type(small) in (cst.Continue, cst.Break):
            return True
        elif type(small) is cst.Assert:
            self._expr(small.test, frame)
        elif type(small) is cst.Del:
            return False
        return False

    def _if(self, stmt: cst.If, frame: _Frame) -> bool:
        self._expr(stmt.test, frame)
        polarity = branch_polarity(stmt.test, self)
        before = dict(frame.env)
        frame.error += polarity < 0
        then_left = self._block(_body(stmt), frame)
        frame.error -= polarity < 0
        then_env = frame.env
        frame.env = dict(before)
        else_left = False
        if stmt.orelse is not None:
            frame.error += polarity > 0
            if type(stmt.orelse) is cst.If:
                else_left = self._if(stmt.orelse, frame)
            else:
                else_left = self._block(_body(stmt.orelse), frame)
            frame.error -= polarity > 0
        else_env = frame.env
        live = [env for env, left in ((then_env, then_left), (else_env, else_left)) if not left]
        frame.env = _merge({}, *live) if live else before
        return then_left and else_left

    def _for(self, stmt: cst.For, frame: _Frame) -> bool:
        iterable = self._expr(stmt.iter, frame)
        element = self._element_of(iterable, stmt.iter)
        before = dict(frame.env)
        for _ in range(2):
            self._bind_loop_target(stmt.target, element, stmt.iter, frame)
            self._block(_body(stmt), frame)
        frame.env = _merge(before, frame.env)
        if stmt.orelse is not None:
            self._block(_body(stmt.orelse), frame)
        return False

    def _bind_loop_target(self, target: cst.BaseExpression, element: Value, iterable: cst.BaseExpression, frame: _Frame) -> None:
        # for k, v in d.items(): the key is clean, the value carries the mapping's labels
        if type(target) is cst.Tuple and len(target.elements) == 2 and _is_method_call(iterable, "items"):
            self._bind(target.elements[0].value, CLEAN_VALUE, None, frame)
            self._bind(target.elements[1].value, self._sub_of(element, None, None) if real(element) else element, None, frame)
            return
        if not real(element):
            element = CLEAN_VALUE if not element or is_clean(element) else element
        self._bind(target, element, None, frame)

    def _try(self, stmt: cst.Try, frame: _Frame) -> bool:
        before = dict(frame.env)
        body_left = self._block(_body(stmt), frame)
        after_body = frame.env
        envs = [] if body_left else [after_body]
        for handler in stmt.handlers:
            frame.env = _merge(before, after_body)
            if handler.name is not None and type(handler.name.name) is cst.Name:
                frame.env[handler.name.name.value] = ()
            frame.error += 1
            left = self._block(_body(handler), frame)
            frame.error -= 1
            if not left:
                envs.append(frame.env)
        frame.env = _merge({}, *envs) if envs else _merge(before, after_body)
        if stmt.orelse is not None and not body_left:
            self._block(_body(stmt.orelse), frame)
        if stmt.finalbody is not None:
            self._block(_body(stmt.finalbody), frame)
        return body_left and not stmt.handlers

    def _returned(self, value: Value, frame: _Frame) -> None:
        result = frame.result
        result.returns = union(result.returns, value) if result.returned else value
        result.returned = True

    def _raise(self, small: cst.Raise, frame: _Frame) -> None:
        exc = small.exc
        if exc is None:
            return
        self._expr(exc, frame)
        sink = self.sinks.get(id(small))
        if sink is None or type(exc) is not cst.Call:
            return
        for arg in exc.args:
            value = self._expr(arg.value, frame)
            if type(arg.value) in (cst.Name, cst.Attribute):
                # raise TokenUpdated(token): the value travels as an exception attribute for the
                # caller, it is not formatted into a message
                value = _lower(value, Confidence.LOW)
            self._sink_value(small, sink, value, frame)

    # -- binding ---------------------------------------------------------------------------------

    def _bind(self, target: cst.BaseExpression, value: Value, rhs: cst.BaseExpression | None, frame: _Frame) -> None:
        if type(target) is cst.Name:
            name = target.value
            value = self._named(value, name, rhs)
            frame.env[name] = value
            frame.result.ever[name] = union(frame.result.ever.get(name, ()), value) if name in frame.result.ever else value
            if name in frame.globals:
                frame.result.global_stores[name] = union(frame.result.global_stores.get(name, ()), _drop_params(value))
            cls_name = _constructed_class(rhs, self)
            if cls_name:
                frame.result.types[name] = cls_name
            constructor = _constructor_qualname(rhs, self.info)
            if constructor:
                frame.result.lib_types[name] = constructor
            return
        if type(target) is cst.Attribute:
            path = dotted_name(target)
            value = self._named(value, target.attr.value, rhs)
            if path:
                frame.env[path] = value
                frame.result.ever[path] = union(frame.result.ever.get(path, ()), value) if path in frame.result.ever else value
                if path.startswith("self.") and frame.cls:
                    key = path[5:]
                    frame.result.self_stores[key] = union(frame.result.self_stores.get(key, ()), _drop_params(value)) if key in frame.result.self_stores else _drop_params(value)
                    cls_name = _constructed_class(rhs, self)
                    if cls_name:
                        frame.result.types[path] = cls_name
            return
        if type(target) in (cst.Tuple, cst.List):
            elements = [e for e in target.elements]
            if type(rhs) in (cst.Tuple, cst.List) and len(rhs.elements) == len(elements) and not any(type(e) is cst.StarredElement for e in rhs.elements):
                for el, src in zip(elements, rhs.elements):
                    self._bind(_element_target(el), self._expr(src.value, frame), src.value, frame)
                return
            constructor = _constructor_qualname(rhs, self.info)
            first = _element_target(elements[0]) if elements else None
            if constructor and constructor.startswith("google.auth.") and type(first) is cst.Name:
                frame.result.lib_types[first.value] = constructor  # creds, project = google.auth.default()
            for index, el in enumerate(elements):
                part = self._sub_of(value, index, None) if real(value) else value
                self._bind(_element_target(el), part, None, frame)
            return
        if type(target) is cst.Subscript:
            self._store_item(target, value, frame)
            return
        if type(target) is cst.StarredElement:
            self._bind(target.value, value, None, frame)

    def _store_item(self, target: cst.Subscript, value: Value, frame: _Frame) -> None:
        """``headers["Authorization"] = ...`` / ``data["token"] = tok``: a weak update of the container."""
        path = dotted_name(target.value)
        key = _subscript_key(target, self.info)
        added: Value = ()
        mapping = not isinstance(key, int)
        if isinstance(key, str) and key.lower() in cat.AUTH_HEADER_KEYS and not is_clean(value):
            added = (Label(HEADERS, "Authorization header", "", target, Confidence.HIGH, frozenset({key}), mapping=True),)
        elif leaky(value):
            first = leaky(value)[0]
            added = (first.but(kind=CONTAINER, keys=None, mapping=mapping),)
        elif isinstance(key, str) and not is_clean(value):
            named = self._name_label(key, None)
            if named is not None:
                added = (named.but(kind=CONTAINER, mapping=True),)
        if not added or not path:
            return
        self._weak_update(path, added, frame)

    def _weak_update(self, path: str, added: Value, frame: _Frame) -> None:
        current = frame.env.get(path, ())
        frame.env[path] = union(current, added)
        frame.result.ever[path] = union(frame.result.ever.get(path, ()), added)
        if path.startswith("self.") and frame.cls:
            key = path[5:]
            frame.result.self_stores[key] = union(frame.result.self_stores.get(key, ()), _drop_params(added))
        if path in frame.globals:
            frame.result.global_stores[path] = union(frame.result.global_stores.get(path, ()), _drop_params(added))

    def _named(self, value: Value, name: str, rhs: cst.BaseExpression | None) -> Value:
        """The value stored under ``name``: name heuristics apply only to values of unknown origin."""
        if real(value):
            if _named_not_sensitive(name) and all(lab.confidence < Confidence.HIGH or lab.kind == PARAM for lab in value):
                # csrf_token = get_token(request), password_hash = user.password: the target's name
                # wins over a guess made from another name
                kept = tuple(lab for lab in value if lab.kind == PARAM)
                return kept or CLEAN_VALUE
            return value
        if is_clean(value):
            if rhs is not None and _real_looking_literal(rhs, name, self.info):
                named = self._name_label(name, None)
                return (named,) if named is not None else value
            return value
        env_key = _env_read_key(rhs, self.info) if rhs is not None else None
        named = self._name_label(name, rhs if env_key is not None else None, env_read=env_key is not None)
        return (named,) if named is not None else value

    def _with_name(self, value: Value, key: object) -> Value:
        """A field of a parameter (``request.POST["password"]``) is judged by its name as well."""
        if isinstance(key, str) and value and all(label.kind == PARAM for label in value):
            named = self._name_label(key, None)
            if named is not None:
                return value + (named,)
        return value

    def _name_label(self, name: str, node: cst.CSTNode | None, env_read: bool = False) -> Label | None:
        found = sensitive_name(name)
        if found is None:
            return None
        role, generic = found
        if generic and self.flags.lexer:
            return None
        if env_read:
            return Label(SECRET, role, "read from the environment", node, Confidence.HIGH)
        return Label(SECRET, role, "", None, Confidence.MEDIUM)

    # -- expressions -----------------------------------------------------------------------------

    def _expr(self, expr: cst.BaseExpression | None, frame: _Frame) -> Value:
        if expr is None:
            return ()
        if type(expr) is cst.Name:
            return self._read_name(expr.value, frame)
        if type(expr) in (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis):
            return CLEAN_VALUE
        if type(expr) is cst.Attribute:
            return self._read_attr(expr, frame)
        if type(expr) is cst.Subscript:
            return self._read_subscript(expr, frame)
        if type(expr) is cst.Call:
            return self._call(expr, frame)
        if type(expr) is cst.Await:
            return self._expr(expr.expression, frame)
        if type(expr) is cst.FormattedString:
            return self._fstring(expr, frame)
        if type(expr) is cst.ConcatenatedString:
            return union(self._expr(expr.left, frame), self._expr(expr.right, frame))
        if type(expr) is cst.BinaryOperation:
            return self._binary(expr, frame)
        if type(expr) is cst.BooleanOperation:
            return union(self._expr(expr.left, frame), self._expr(expr.right, frame))
        if type(expr) is cst.UnaryOperation:
            inner = self._expr(expr.expression, frame)
            return CLEAN_VALUE if type(expr.operator) is cst.Not else inner
        if type(expr) is cst.Comparison:
            self._expr(expr.left, frame)
            for target in expr.comparisons:
                self._expr(target.comparator, frame)
            return CLEAN_VALUE
        if type(expr) is cst.IfExp:
            self._expr(expr.test, frame)
            body = self._expr(expr.body, frame)
            orelse = self._expr(expr.orelse, frame)
            if _masking_test(expr.test, self.info) and (is_clean(body) or is_clean(orelse)):
                return CLEAN_VALUE  # "***" if key == "Authorization" else value
            return union(body, orelse)
        if type(expr) is cst.Dict:
            return self._dict(expr, frame)
        if type(expr) in (cst.List, cst.Tuple, cst.Set):
            return self._sequence(expr, frame)
        if type(expr) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            return self._comprehension(expr, frame)
        if type(expr) is cst.NamedExpr:
            value = self._expr(expr.value, frame)
            self._bind(expr.target, value, expr.value, frame)
            return value
        if type(expr) is cst.Yield:
            if is_expression(expr.value):
                self._returned(self._expr(expr.value, frame), frame)
            return ()
        if type(expr) is cst.StarredElement:
            return self._expr(expr.value, frame)
        return ()

    def _read_name(self, name: str, frame: _Frame) -> Value:
        if name in frame.env:
            return frame.env[name]
        if name in frame.result.defs:
            return CLEAN_VALUE
        parent = frame.parent
        while parent is not None:
            outer = self.analyze(parent)
            if name in outer.ever:
                return outer.ever[name]
            if name in outer.defs:
                return CLEAN_VALUE
            parent = self.scopes.get(parent, _Scope()).parent
        if frame.node is not self.module:
            found = self._global(name)
            if found is not None:
                return found
        target = self.info.imports.get(name)
        if target is not None and "." not in target and target == name:
            return CLEAN_VALUE  # an imported module (import token) is not a value
        if name in self.info.functions or name in self.info.classes or name in ("True", "False", "None"):
            return CLEAN_VALUE
        named = self._name_label(name, None)
        return (named,) if named is not None else ()

    def _global(self, name: str) -> Value | None:
        module_result = self.analyze(self.module)
        found = name in module_result.ever
        value = module_result.ever.get(name, ())
        for writer in self.global_writers.get(name, ()):
            stored = self.analyze(writer).global_stores.get(name)
            if stored is not None:
                found = True
                value = union(value, stored) if value else stored
        return value if found else None

    def _read_attr(self, expr: cst.Attribute, frame: _Frame) -> Value:
        path = dotted_name(expr)
        attr = expr.attr.value
        if path:
            if path in frame.env:
                return frame.env[path]
            head, _, rest = path.partition(".")
            if head == "self" and frame.cls:
                found, value = self._class_attr(frame.cls, rest)
                if found:
                    return value
            cls_name = self._type_of(head, frame)
            if cls_name and rest:
                found, value = self._class_attr(cls_name, rest)
                if found:
                    return value
            if head in self.info.classes and rest:
                found, value = self._class_attr(head, rest)
                if found:
                    return value
            if frame.node is not self.module and head not in frame.env:
                module_result = self.analyze(self.module)
                if path in module_result.ever:
                    return module_result.ever[path]
        qual = self.info.qualify(expr) or ""
        if qual == "os.environ":
            return (Label(CONTAINER, "process environment", "(may hold client secrets)", None, Confidence.LOW),)
        base = self._expr(expr.value, frame)
        if real(base):
            return self._with_name(self._attr_of(base, attr, expr), attr)
        if is_clean(base) and not _is_module_ref(expr.value, self.info):
            return CLEAN_VALUE if type(expr.value) is not cst.Name or expr.value.value in frame.env else self._attr_by_name(attr, expr, frame)
        return self._attr_by_name(attr, expr, frame)

    def _attr_by_name(self, attr: str, expr: cst.Attribute, frame: _Frame) -> Value:
        base_qual = _receiver_qualname(self.info, expr.value) or self._lib_type(dotted_name(expr.value) or "", frame) or ""
        if base_qual and attr in ("token", "access_token"):
            if _starts(base_qual, cat.OAUTH_SESSION_PREFIXES) or base_qual.startswith(cat.OAUTH_SESSION_PREFIXES):
                kind = BODY if attr == "token" else SECRET
                return (Label(kind, "token" if attr == "token" else "access token", "held by the OAuth session", expr, Confidence.HIGH, mapping=kind == BODY),)
            if base_qual.startswith(cat.CREDENTIAL_PREFIXES):
                return (Label(SECRET, "access token", "of the credentials object", expr, Confidence.HIGH),)
        named = self._name_label(attr, None)
        if named is not None:
            return (named,)
        return ()

    def _lib_type(self, name: str, frame: _Frame) -> str | None:
        if not name:
            return None
        if name in frame.result.lib_types:
            return frame.result.lib_types[name]
        module_result = self.results.get(id(self.module))
        if module_result is not None and name not in frame.env:
            return module_result.lib_types.get(name)
        return None

    def _type_of(self, head: str, frame: _Frame) -> str | None:
        if head in frame.result.types:
            return frame.result.types[head]
        if frame.node is not self.module:
            module_result = self.results.get(id(self.module))
            if module_result is not None and head in module_result.types and head not in frame.env:
                return module_result.types[head]
        return None

    def _class_attr(self, cls_name: str, attr_path: str, depth: int = 0) -> tuple[bool, Value]:
        key = (cls_name, attr_path)
        if key in self._class_attr_active:
            # a re-entrant read (a method storing it is being analysed): use the previous round's stores
            if not self._frozen:
                self._reentrant = True
            found = False
            value: Value = ()
            for method in self.methods.get(cls_name, {}).values():
                previous = self.previous.get(id(method))
                stored = previous.self_stores.get(attr_path) if previous is not None else None
                if stored is not None:
                    found = True
                    value = union(value, stored) if value else stored
            return found, value
        self._class_attr_active.add(key)
        try:
            return self._class_attr_uncached(cls_name, attr_path, depth)
        finally:
            self._class_attr_active.discard(key)

    def _class_attr_uncached(self, cls_name: str, attr_path: str, depth: int) -> tuple[bool, Value]:
        found = False
        value: Value = ()
        for method in self.methods.get(cls_name, {}).values():
            stored = self.analyze(method).self_stores.get(attr_path)
            if stored is not None:
                found = True
                value = union(value, stored) if value else stored
        cls_node = self.class_body.get(cls_name)
        if cls_node is not None and "." not in attr_path:
            for stmt in _body(cls_node):
                if type(stmt) is cst.SimpleStatementLine:
                    for small in stmt.body:
                        target_value = _class_level_value(small, attr_path)
                        if target_value is not None:
                            found = True
                            module_frame = _Frame(self, self.module, FunctionResult())
                            evaluated = self._named(self._expr(target_value, module_frame), attr_path, target_value)
                            value = union(value, evaluated) if value else evaluated
        if not found and depth < 4:
            for base in self.bases.get(cls_name, ()):
                if base in self.methods or base in self.class_body:
                    found, value = self._class_attr(base, attr_path, depth + 1)
                    if found:
                        break
        return found, value

    def _read_subscript(self, expr: cst.Subscript, frame: _Frame) -> Value:
        qual = self.info.qualify(expr.value) or ""
        key = _subscript_key(expr, self.info)
        if qual in ("os.environ", "environ"):
            return self._env_value(key, expr)
        base = self._expr(expr.value, frame)
        for element in expr.slice:
            if type(element.slice) is cst.Index:
                self._expr(element.slice.value, frame)
        if real(base):
            return self._with_name(self._sub_of(base, key, expr), key)
        if isinstance(key, str):
            named = self._name_label(key, None)
            if named is not None:
                return (named,)
            return CLEAN_VALUE if key.lower() in cat.NEVER_SENSITIVE_KEYS else ()
        if isinstance(key, _Slice):
            return CLEAN_VALUE if key.safe else base
        return () if not is_clean(base) else CLEAN_VALUE

    def _env_value(self, key: object, node: cst.CSTNode) -> Value:
        if isinstance(key, str):
            named = self._name_label(key, node, env_read=True)
            if named is not None:
                return (named,)
            return ()
        return ()

    # -- calls -----------------------------------------------------------------------------------

    def _call(self, call: cst.Call, frame: _Frame) -> Value:
        func = call.func
        receiver: Value = ()
        if type(func) is cst.Attribute:
            receiver = self._expr(func.value, frame)
        elif type(func) is not cst.Name:
            self._expr(func, frame)
        args: list[tuple[str | None, Value]] = []
        for arg in call.args:
            value = self._expr(arg.value, frame)
            if arg.star == "**":
                continue
            args.append((arg.keyword.value if arg.keyword is not None else None, value))
        sink = self.sinks.get(id(call))
        if sink is not None:
            self._sink_call(call, sink, frame)
        return self._call_result(call, receiver, args, frame)

    def _sink_call(self, call: cst.Call, sink: Sink, frame: _Frame) -> None:
        positional = [a for a in call.args if a.keyword is None]
        data: list[cst.BaseExpression] = []
        if sink.positional == "all":
            data.extend(a.value for a in positional)
        elif sink.positional == "first" and positional:
            data.append(positional[0].value)
        for arg in call.args:
            if arg.keyword is None:
                if arg.star == "**" and sink.keywords in ("all", "extra"):
                    data.append(arg.value)
                continue
            name = arg.keyword.value
            if sink.keywords == "all" and name not in cat.LOGGING_CONTROL_KEYWORDS:
                data.append(arg.value)
            elif sink.keywords == "extra" and name == "extra":
                data.append(arg.value)
            elif sink.keywords == "message" and name in cat.PRINT_MESSAGE_KEYWORDS:
                data.append(arg.value)
        for expr in data:
            self._sink_value(call, sink, self._expr(expr, frame), frame)

    def _sink_value(self, node: cst.CSTNode, sink: Sink, value: Value, frame: _Frame) -> None:
        for label in value:
            if label.kind == PARAM:
                frame.result.param_sinks.append((node, sink, label, frame.error > 0))
            elif label.kind in LEAKY:
                self._record(node, sink, label, frame.error > 0)

    def _record(self, node: cst.CSTNode, sink: Sink, label: Label, in_error: bool, via: cst.Call | None = None, via_name: str = "") -> None:
        confidence = min(label.confidence, sink.confidence)
        if in_error and (label.kind == BODY or (label.node is None and label.confidence < Confidence.HIGH)):
            # a failed token response carries error fields, not tokens; and a value judged only by
            # its name is usually the missing/invalid one in an error branch (if not token: raise ...)
            confidence = Confidence.LOW
        leak = Leak(node, sink, label, confidence, in_error and label.kind == BODY, via, via_name)
        current = self.found.get(id(node))
        if current is None or _leak_rank(leak) > _leak_rank(current):
            self.found[id(node)] = leak

    def _call_result(self, call: cst.Call, receiver: Value, args: list[tuple[str | None, Value]], frame: _Frame) -> Value:
        func = call.func
        qual = self.info.qualify(func) or ""
        callee = self._resolve_callee(func, frame)
        name = func.attr.value if type(func) is cst.Attribute else (func.value if type(func) is cst.Name else "")
        if name and _masking_name(name):
            return CLEAN_VALUE
        if callee is not None:
            summary = self._apply_summary(callee[0], callee[1], call, args, frame)
            if summary:
                return summary
            # a stub or a function returning something unknown: its name still says what it returns
            return self._name_result(callee[0].name.value, call)
        positional = [value for keyword, value in args if keyword is None]
        if qual in cat.SANITIZING_BUILTINS or (qual and qual.startswith(cat.SANITIZING_PREFIXES)):
            if qual.startswith(("httpx.Headers",)) and any(leaky(v) for v in positional):
                first = leaky(union(*positional))[0]
                return (first.but(kind=MASKED),)
            return CLEAN_VALUE
        propagated = self._propagating_call(qual, positional, args)
        if propagated is not None:
            return propagated
        if qual in cat.ENV_READERS or qual.endswith(("environ.get", "os.getenv")):
            key = string_value(call.args[0].value, self.info) if call.args else None
            return self._env_value(key, call)
        hc = self._http_call(call, frame.node)
        if hc is not None:
            return self._http_result(hc, frame)
        if type(func) is cst.Attribute:
            return self._method_result(call, func, receiver, args, frame)
        if type(func) is cst.Name:
            if func.value in self.class_body:
                return self._instance(func.value, args)
            return self._name_result(func.value, call)
        return ()

    def _http_call(self, call: cst.Call, scope: cst.FunctionDef | cst.Module) -> object:
        """``http_call(call, info, scope)``, remembered: a function is analysed again in every round
        and for every summary request, and the description is a pure function of the call, the
        scope and the module's frozen tables."""
        key = (id(call), id(scope))
        hit = self._http_calls.get(key)
        if hit is None:
            # the nodes are kept with the answer so that their ids cannot be reused
            hit = self._http_calls[key] = (call, scope, http_call(call, self.info, scope))
        return hit[2]

    def _instance(self, cls_name: str, args: list[tuple[str | None, Value]]) -> Value:
        """A same-module class built from sensitive values: its repr shows them (dataclasses,
        NamedTuples, pydantic models) unless the class defines its own ``__repr__``/``__str__``."""
        methods = self.methods.get(cls_name, {})
        if "__repr__" in methods or "__str__" in methods:
            return CLEAN_VALUE
        node = self.class_body[cls_name]
        decorators = {(dotted_name(d.decorator.func if type(d.decorator) is cst.Call else d.decorator) or "").rsplit(".", 1)[-1]
                      for d in node.decorators}
        bases = {b.rsplit(".", 1)[-1] for b in self.bases.get(cls_name, ())}
        generated_repr = bool(decorators & {"dataclass", "define", "frozen", "attrs", "s"} or bases & {"NamedTuple", "BaseModel", "BaseSettings"})
        found = [lab for _keyword, value in args for lab in value if lab.kind in LEAKY]
        if generated_repr and found:
            first = max(found, key=lambda lab: int(lab.confidence))
            return (first.but(kind=OBJECT, mapping=False),)
        return ()

    def _propagating_call(self, qual: str, positional: list[Value], args: list[tuple[str | None, Value]]) -> Value | None:
        if qual in ("builtins.str", "builtins.repr", "builtins.format", "builtins.ascii", "builtins.bytes",
                    "builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted", "builtins.reversed",
                    "builtins.frozenset", "builtins.iter", "builtins.next", "builtins.vars"):
            if not positional:
                return CLEAN_VALUE
            joined = union(*positional)
            if qual in ("builtins.str", "builtins.repr", "builtins.format", "builtins.ascii"):
                return _stringify(joined)
            if qual in ("builtins.list", "builtins.tuple", "builtins.set", "builtins.sorted", "builtins.frozenset",
                        "builtins.reversed", "builtins.iter", "builtins.next"):
                # list(mapping) is its keys; list(pairs)/list(values) keeps the labels
                kept = tuple(lab for lab in joined if not (lab.mapping and lab.kind in LEAKY))
                return kept if kept else (CLEAN_VALUE if joined else ())
            return joined
        if qual == "builtins.dict":
            values = [value for _keyword, value in args]
            joined = union(*values) if values else CLEAN_VALUE
            return tuple(lab.but(kind=HEADERS, mapping=True) if lab.kind == MASKED else (lab.but(mapping=True) if lab.kind in LEAKY else lab) for lab in joined)
        root = qual.split(".")[0]
        if qual in ("json.dumps", "json.loads", "json.dump", "ujson.dumps", "ujson.loads", "orjson.dumps", "orjson.loads",
                    "simplejson.dumps", "simplejson.loads", "copy.copy", "copy.deepcopy", "pprint.pformat",
                    "yaml.dump", "yaml.safe_dump", "yaml.safe_load", "yaml.load", "textwrap.shorten", "textwrap.indent",
                    "textwrap.dedent", "textwrap.fill", "dataclasses.asdict", "urllib.parse.urlencode",
                    "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.unquote", "shlex.quote",
                    "html.escape", "rich.pretty.pretty_repr", "reprlib.repr", "collections.OrderedDict",
                    "types.MappingProxyType", "codecs.encode", "codecs.decode", "binascii.hexlify"):
            if qual == "textwrap.shorten":
                return CLEAN_VALUE
            joined = union(*positional) if positional else ()
            if qual.endswith(("loads", "load", "safe_load", "OrderedDict", "MappingProxyType", "asdict")):
                return tuple(lab.but(mapping=True) if lab.kind in LEAKY else lab for lab in joined)
            return _stringify(joined) if qual.endswith(("dumps", "dump", "pformat", "quote", "quote_plus", "urlencode", "repr")) else joined
        if root == "base64":
            return union(*positional) if positional else ()
        return None

    def _http_result(self, hc: object, frame: _Frame) -> Value:
        from rules._analysis.http import HttpCall

        assert isinstance(hc, HttpCall)
        if is_token_request(hc, self.info, self.settings, frame.node) or self._token_request_hint(hc, frame):
            method = hc.method or "a request"
            origin = f"from {method} to the token endpoint"
            return (Label(RESPONSE, "token response", origin, hc.call, Confidence.HIGH, library=hc.library, token=True),)
        headers = hc.keywords.get("headers")
        if headers is not None:
            value = self._expr(headers, frame)
            if any(lab.kind in (HEADERS, SECRET) for lab in value) or hc.keywords.get("auth") is not None:
                return (Label(RESPONSE, "API response", "", hc.call, Confidence.HIGH, library=hc.library, token=False),)
        return ()

    def _token_request_hint(self, hc: object, frame: _Frame) -> bool:
        """Token requests the shared recogniser cannot see: the URL read from config/env under a
        token-URL key (``cfg["token_url"]``, ``os.getenv("TOKEN_URL")``), or a POST body carrying
        ``grant_type``/``client_secret`` fields with non-literal values."""
        from rules._analysis.http import HttpCall, dict_literal_items, is_token_url_name

        assert isinstance(hc, HttpCall)
        if hc.method not in (None, "POST"):
            return False
        url = hc.url
        key: object = None
        if type(url) is cst.Subscript:
            key = _subscript_key(url, self.info)
        elif type(url) is cst.Call and url.args:
            qual = self.info.qualify(url.func) or ""
            if qual in cat.ENV_READERS or (type(url.func) is cst.Attribute and url.func.attr.value == "get"):
                key = string_value(url.args[0].value, self.info)
        if isinstance(key, str) and is_token_url_name(key):
            return True
        for keyword in ("data", "json", "params"):
            items = dict_literal_items(hc.keywords.get(keyword), self.info, frame.node)
            if items and ("grant_type" in items or "client_secret" in items):
                return True
        return False

    def _method_result(self, call: cst.Call, func: cst.Attribute, receiver: Value, args: list[tuple[str | None, Value]], frame: _Frame) -> Value:
        method = func.attr.value
        key = None
        if call.args and call.args[0].keyword is None:
            key = _const(call.args[0].value, self.info)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = None
        positional = [value for keyword, value in args if keyword is None]
        recv_path = dotted_name(func.value) or ""
        if method in ("update", "append", "extend", "add", "insert", "__setitem__") and recv_path:
            values = union(*positional) if positional else ()
            if method == "update":
                values = union(values, *[v for k, v in args if k is not None]) if args else values
            self._mutated(recv_path, values, call, frame)
            return ()
        if real(receiver):
            value = self._method_of(receiver, method, key, positional, call)
            return self._with_name(value, key) if method in ("get", "pop", "getlist", "get_one") else value
        # http.client: conn.request("POST", "/oauth2/token", body) then conn.getresponse()
        if method == "request" and self._http_client_token_request(call):
            frame.token_conns.add(recv_path)
            return ()
        if method == "getresponse" and recv_path in frame.token_conns:
            return (Label(RESPONSE, "token response", "from POST to the token endpoint", call, Confidence.HIGH, library="http.client"),)
        library = self._library_token(call, func, method)
        if library is not None:
            return library
        if method in ("format", "format_map", "join"):
            template = string_value(func.value, self.info) if method == "format" else None
            if template is not None and _AUTH_TAIL.search(template.split("{", 1)[0] + "{}") and positional and not is_clean(union(*positional)) and not leaky(union(*positional)):
                return (_bearer_label(call),)
            return _stringify(union(receiver, *positional)) if positional else receiver
        if method in ("get", "pop", "setdefault", "getenv") and isinstance(key, str):
            if is_clean(receiver):
                return CLEAN_VALUE
            named = self._name_label(key, None)
            if named is not None:
                return (named,)
            return CLEAN_VALUE if key.lower() in cat.NEVER_SENSITIVE_KEYS else ()
        if is_clean(receiver) and method in cat.NON_PROPAGATING_METHODS:
            return CLEAN_VALUE
        return self._name_result(method, call)

    def _mutated(self, path: str, values: Value, call: cst.Call, frame: _Frame) -> None:
        added = [lab for lab in values if lab.kind in LEAKY]
        if not added:
            return
        kind = HEADERS if any(lab.kind == HEADERS for lab in added) or path.endswith("headers") else CONTAINER
        first = added[0]
        mapping = kind == HEADERS or call.func.attr.value in ("update", "setdefault") if type(call.func) is cst.Attribute else False
        self._weak_update(path, (first.but(kind=kind, keys=None, mapping=mapping),), frame)

    def _library_token(self, call: cst.Call, func: cst.Attribute, method: str) -> Value | None:
        rq = _receiver_qualname(self.info, func.value) or ""
        if method in cat.TOKEN_FETCH_METHODS and method not in ("refresh_token", "client_credentials"):
            return (Label(BODY, "token", cat.TOKEN_FETCH_METHODS[method].replace("token result ", "").replace("token ", ""), call, Confidence.HIGH, mapping=True),)
        if method == "refresh_token" and _starts(rq, cat.OAUTH_SESSION_PREFIXES):
            return (Label(BODY, "token", "from refresh_token()", call, Confidence.HIGH, mapping=True),)
        if method in ("get_token", "get_token_info") and rq.startswith(("azure.", "msal.")):
            return (Label(OBJECT, "access token", f"from {method}()", call, Confidence.HIGH),)
        if method == "client_credentials" and rq.startswith("requests_oauth2client"):
            return (Label(OBJECT, "access token", "from client_credentials()", call, Confidence.HIGH),)
        return None

    def _http_client_token_request(self, call: cst.Call) -> bool:
        func = call.func
        assert type(func) is cst.Attribute
        rq = _receiver_qualname(self.info, func.value) or ""
        if not (rq.startswith("http.client.") or rq.startswith("httplib.")):
            return False
        positional = [a.value for a in call.args if a.keyword is None]
        if len(positional) < 2:
            return False
        method = string_value(positional[0], self.info)
        path = string_value(positional[1], self.info)
        if (method or "").upper() != "POST":
            return False
        if path and is_token_url(path, self.settings):
            return True
        body = positional[2] if len(positional) > 2 else None
        text = string_value(body, self.info) if body is not None else None
        return bool(text and "grant_type=client_credentials" in text)

    def _name_result(self, name: str, call: cst.Call) -> Value:
        """An unknown callee judged by name: ``get_access_token()`` returns an access token."""
        seq = list(words(name))
        stripped = False
        while seq and seq[0] in cat.GETTER_VERBS:
            seq.pop(0)
            stripped = True
        if not seq or not stripped:
            return ()
        if seq[-1] in ("header", "headers") and any(w in ("auth", "authorization") for w in seq):
            return (Label(HEADERS, "Authorization header", f"from {name}()", call, Confidence.MEDIUM),)
        found = sensitive_name("_".join(seq))
        if found is None:
            return ()
        role, generic = found
        if generic and self.flags.lexer:
            return ()
        return (Label(SECRET, role, f"from {name}()", call, Confidence.MEDIUM),)

    def _resolve_callee(self, func: cst.BaseExpression, frame: _Frame) -> tuple[cst.FunctionDef, int] | None:
        if type(func) is cst.Name:
            name = func.value
            if name in frame.result.defs:
                return frame.result.defs[name], 0
            parent = frame.parent
            while parent is not None:
                outer = self.results.get(id(parent))
                if outer is not None and name in outer.defs:
                    return outer.defs[name], 0
                parent = self.scopes.get(parent, _Scope()).parent
            found = self.info.functions.get(name)
            if found is not None and self.scopes.get(found, _Scope()).cls is None:
                return found, 0
            return None
        if type(func) is not cst.Attribute:
            return None
        method = func.attr.value
        receiver = dotted_name(func.value)
        if receiver is None:
            return None
        cls_name: str | None = None
        offset = 1
        if receiver in ("self", "cls") and frame.cls:
            cls_name = frame.cls
        elif receiver in self.methods or receiver in self.class_body:
            cls_name, offset = receiver, 0
        else:
            cls_name = self._type_of(receiver, frame)
            if cls_name is None and receiver.startswith("self.") and frame.cls:
                found_cls = None
                for m in self.methods.get(frame.cls, {}).values():
                    found_cls = self.analyze(m).types.get(receiver) or found_cls
                cls_name = found_cls
        if cls_name is None:
            return None
        method_node = self._method(cls_name, method)
        if method_node is None:
            return None
        if _is_static(method_node):
            offset = 0
        elif offset == 0 and _is_classmethod(method_node):
            offset = 1
        return method_node, offset

    def _method(self, cls_name: str, method: str, depth: int = 0) -> cst.FunctionDef | None:
        found = self.methods.get(cls_name, {}).get(method)
        if found is not None or depth > 4:
            return found
        for base in self.bases.get(cls_name, ()):
            found = self._method(base, method, depth + 1)
            if found is not None:
                return found
        return None

    # -- label algebra -----------------------------------------------------------------------------

    def _attr_of(self, value: Value, attr: str, node: cst.CSTNode | None) -> Value:
        out: list[Value] = []
        for label in value:
            kind = label.kind
            if kind == CLEAN:
                out.append(CLEAN_VALUE)
            elif kind == PARAM:
                out.append((label.but(path=label.path + (("attr", attr),)),))
            elif kind == RESPONSE:
                if attr in cat.RESPONSE_BODY_ATTRS and attr != "raw":
                    out.append((label.but(kind=BODY),) if label.token else ())
                elif attr == "request":
                    out.append((label.but(kind=REQUEST, role="request"),))
                else:
                    out.append(CLEAN_VALUE)
            elif kind == REQUEST:
                if attr == "headers":
                    masked = label.library == "httpx"
                    role = "token request headers" if label.token else "request headers with credentials"
                    out.append((label.but(kind=MASKED if masked else HEADERS, role=role),))
                elif attr in ("body", "content", "data", "read") and label.token:
                    out.append((label.but(kind=SECRET, role="token request body (client credentials)"),))
                else:
                    out.append(CLEAN_VALUE)
            elif kind in (BODY, OBJECT):
                if attr in cat.TOKEN_OBJECT_SECRET_ATTRS:
                    role = "access token" if attr in ("token", "value", "access_token") else (_key_role(attr) or "access token")
                    out.append((label.but(kind=SECRET, role=role, origin=_from(label)),))
                else:
                    out.append(CLEAN_VALUE)
            elif kind in (HEADERS, MASKED):
                out.append((label.but(kind=HEADERS),) if attr in ("raw", "_store", "_dict") else CLEAN_VALUE)
            elif kind == CONTAINER:
                out.append(CLEAN_VALUE if attr.lower() in cat.NEVER_SENSITIVE_KEYS else (label,))
            elif kind == SECRET:
                if attr.lower() in cat.NEVER_SENSITIVE_KEYS or attr in ("expires_on", "expires_at", "name", "id", "type", "scopes"):
                    out.append(CLEAN_VALUE)
                elif attr in ("value", "secret", "token", "key", "raw", "plain", "decoded", "access_token") or sensitive_name(attr):
                    out.append((label,))
                else:
                    out.append(CLEAN_VALUE)
        return union(*out) if out else ()

    def _sub_of(self, value: Value, key: object, node: cst.CSTNode | None) -> Value:
        out: list[Value] = []
        for label in value:
            kind = label.kind
            if kind == CLEAN:
                out.append(CLEAN_VALUE)
                continue
            if kind == PARAM:
                op_key = key if isinstance(key, (str, int)) else None
                if isinstance(key, _Slice):
                    out.append(CLEAN_VALUE if key.safe else (label,))
                    continue
                out.append((label.but(path=label.path + (("sub", op_key),)),))
                continue
            if isinstance(key, _Slice):
                out.append(CLEAN_VALUE if key.safe else (label,))
                continue
            if kind in (RESPONSE, REQUEST):
                out.append(CLEAN_VALUE)
            elif kind in (BODY, OBJECT):
                out.append(self._field(label, key))
            elif kind in (HEADERS, MASKED):
                if isinstance(key, str):
                    sensitive = key.lower() in cat.AUTH_HEADER_KEYS or (label.keys is not None and key in label.keys)
                    out.append((label.but(kind=SECRET, role="Authorization header value" if "auth" in key.lower() else f"{key} header value"),) if sensitive else CLEAN_VALUE)
                elif kind == HEADERS:
                    out.append((label.but(kind=SECRET, confidence=min(label.confidence, Confidence.MEDIUM)),))
                else:
                    out.append(CLEAN_VALUE)
            elif kind == CONTAINER:
                if label.keys is not None and isinstance(key, (str, int)):
                    out.append((label.but(kind=SECRET, mapping=False),) if key in label.keys else CLEAN_VALUE)
                elif isinstance(key, str):
                    # keys unknown (filled by updates): only a credential-named key holds the secret
                    out.append((label.but(kind=SECRET, role=_key_role(key) or label.role, mapping=False),) if _key_role(key) else CLEAN_VALUE)
                else:
                    out.append((label.but(kind=SECRET, confidence=min(label.confidence, Confidence.MEDIUM), mapping=False),))
            elif kind == SECRET:
                if isinstance(key, str):
                    # a string key on a "secret": it is really a mapping; only credential fields count
                    out.append((label.but(role=_key_role(key) or label.role),) if _key_role(key) else CLEAN_VALUE)
                elif isinstance(key, int):
                    out.append(CLEAN_VALUE)  # one character of a string
                else:
                    out.append((label,))
        return union(*out) if out else ()

    def _field(self, label: Label, key: object) -> Value:
        """A field of a token response/token object: the token fields are secrets, the rest is not."""
        if isinstance(key, int):
            return (label.but(kind=SECRET, role="access token", origin=_from(label)),) if label.kind == OBJECT and key == 0 else CLEAN_VALUE
        if isinstance(key, str):
            low = key.lower()
            if low in cat.NEVER_SENSITIVE_KEYS or low in cat.ERROR_KEYS:
                return CLEAN_VALUE
            role = _key_role(key)
            if role is not None:
                return (label.but(kind=SECRET, role=role, origin=_from(label)),)
            return CLEAN_VALUE
        # dynamic key: could be any field, including the token
        return (label.but(kind=SECRET, role="token response field", origin=_from(label), confidence=Confidence.MEDIUM),)

    def _method_of(self, value: Value, method: str, key: object, positional: list[Value], node: cst.CSTNode | None) -> Value:
        out: list[Value] = []
        for label in value:
            kind = label.kind
            if kind == CLEAN:
                if method in ("format", "format_map", "join") and positional:
                    out.append(_stringify(union(*positional)))
                else:
                    out.append(CLEAN_VALUE)
            elif kind == PARAM:
                out.append((label.but(path=label.path + (("meth", method, key),)),))
            elif method in cat.NON_PROPAGATING_METHODS:
                out.append(CLEAN_VALUE)
            elif kind == RESPONSE:
                if method in cat.RESPONSE_BODY_ATTRS:
                    out.append((label.but(kind=BODY, mapping=method == "json"),) if label.token else ())
                else:
                    out.append(CLEAN_VALUE)
            elif kind in (BODY, OBJECT, HEADERS, MASKED, CONTAINER):
                out.append(self._container_method(label, method, key))
            elif kind == SECRET:
                if method == "replace" and len(positional) >= 2 and is_clean(positional[1]) and not real(positional[1]):
                    out.append(CLEAN_VALUE if node is not None and _replaces_with_mask(node, self.info) else (label,))
                elif method in ("get", "pop") and isinstance(key, str):
                    out.append(self._sub_of((label,), key, node))
                elif method in ("split", "rsplit", "partition", "rpartition", "splitlines"):
                    out.append((label.but(kind=CONTAINER, keys=None, mapping=False),))  # the parts hold the secret
                else:
                    out.append((label,))
            else:
                out.append(CLEAN_VALUE)
        return union(*out) if out else ()

    def _container_method(self, label: Label, method: str, key: object) -> Value:
        if method in ("get", "pop", "setdefault", "__getitem__", "getone", "getall", "get_all"):
            return self._sub_of((label,), key, None)
        if label.kind == MASKED:
            if method in ("items", "multi_items", "raw", "values"):
                return (label.but(kind=HEADERS),)
            if method == "copy":
                return (label,)
            return CLEAN_VALUE
        if method in ("items", "values"):
            return (label.but(mapping=False),)
        if method in ("copy", "to_dict", "dict", "model_dump", "as_dict", "_asdict"):
            return (label,)
        if method in ("json", "model_dump_json", "to_json", "__repr__", "__str__", "decode", "encode", "strip"):
            return (label.but(mapping=False),)
        if method in ("keys", "__len__"):
            return CLEAN_VALUE
        return CLEAN_VALUE if label.kind in (OBJECT, MASKED) else (label,)

    def _element_of(self, value: Value, iterable: cst.BaseExpression | None = None) -> Value:
        out: list[Value] = []
        for label in value:
            kind = label.kind
            if kind == PARAM:
                out.append((label.but(path=label.path + (("iter",),)),))
            elif kind == RESPONSE:
                out.append((label.but(kind=BODY),) if label.token else ())
            elif kind in (BODY, HEADERS, CONTAINER):
                out.append(CLEAN_VALUE if label.mapping else (label,))  # iterating a dict yields its keys
            elif kind == OBJECT:
                out.append((label.but(kind=SECRET),))
            else:
                out.append(CLEAN_VALUE)
        return union(*out) if out else ()

    # -- literals and formatting -------------------------------------------------------------------

    def _fstring(self, expr: cst.FormattedString, frame: _Frame) -> Value:
        values: list[Value] = []
        bearer = False
        previous = ""
        for part in expr.parts:
            if type(part) is cst.FormattedStringText:
                previous = part.value
                continue
            if type(part) is cst.FormattedStringExpression:
                value = self._expr(part.expression, frame)
                values.append(value)
                # f"Bearer {x}", f"Authorization: Bearer {x}": whatever x is, this is a credential
                if _AUTH_TAIL.search(previous) and not is_clean(value):
                    bearer = True
                previous = ""
        joined = union(CLEAN_VALUE, *values) if values else CLEAN_VALUE
        if bearer and not leaky(joined):
            return union(_stringify(joined), (_bearer_label(expr),))
        return _stringify(joined)

    def _binary(self, expr: cst.BinaryOperation, frame: _Frame) -> Value:
        left = self._expr(expr.left, frame)
        right = self._expr(expr.right, frame)
        joined = union(left, right)
        if type(expr.operator) in (cst.Add, cst.Modulo):
            prefix = string_value(expr.left, self.info) if type(expr.left) in (cst.SimpleString, cst.ConcatenatedString) else None
            if prefix is not None and _AUTH_TAIL.search(prefix) and not is_clean(right) and not leaky(right):
                return (_bearer_label(expr),)
            return _stringify(joined)
        if type(expr.operator) is cst.Multiply:
            return joined if real(joined) else (CLEAN_VALUE if is_clean(joined) else ())
        return CLEAN_VALUE if is_clean(joined) or not real(joined) else joined

    def _dict(self, expr: cst.Dict, frame: _Frame) -> Value:
        labels: list[Label] = []
        keys: set[object] = set()
        header = False
        unknown_keys = False
        all_clean = True
        for element in expr.elements:
            if type(element) is cst.StarredDictElement:
                value = self._expr(element.value, frame)
                if leaky(value):
                    labels.extend(leaky(value))
                    unknown_keys = True
                    header = header or any(lab.kind == HEADERS for lab in value)
                all_clean = all_clean and is_clean(value)
                continue
            key_value = _const(element.key, self.info)
            self._expr(element.key, frame) if type(element.key) is not cst.SimpleString else None
            value = self._expr(element.value, frame)
            all_clean = all_clean and is_clean(value)
            if isinstance(key_value, str) and key_value.lower() in cat.AUTH_HEADER_KEYS and key_value.lower() != "token":
                if not _clean_literal(element.value, self.info):
                    header = True
                    keys.add(key_value)
                    labels.append(Label(HEADERS, "Authorization header" if "auth" in key_value.lower() else f"{key_value} header", "", expr, Confidence.HIGH))
                continue
            if leaky(value):
                labels.extend(leaky(value))
                if isinstance(key_value, (str, int)):
                    keys.add(key_value)
                else:
                    unknown_keys = True
            elif isinstance(key_value, str) and not is_clean(value):
                named = self._name_label(key_value, None)
                if named is not None:
                    labels.append(named)
                    keys.add(key_value)
        if labels:
            first = max(labels, key=lambda lab: (lab.kind == HEADERS, int(lab.confidence)))
            kind = HEADERS if header else CONTAINER
            role = first.role if not header else "Authorization header"
            return (first.but(kind=kind, role=role, keys=None if unknown_keys else frozenset(keys), mapping=True),)
        return CLEAN_VALUE if all_clean else ()

    def _sequence(self, expr: cst.List | cst.Tuple | cst.Set, frame: _Frame) -> Value:
        labels: list[Label] = []
        keys: set[int] = set()
        all_clean = True
        for index, element in enumerate(expr.elements):
            value = self._expr(element.value, frame)
            all_clean = all_clean and is_clean(value)
            if leaky(value):
                labels.extend(leaky(value))
                keys.add(index)
            for lab in value:
                if lab.kind == PARAM:
                    labels.append(lab)
        if labels:
            leaks = [lab for lab in labels if lab.kind in LEAKY]
            out: list[Label] = []
            if leaks:
                first = max(leaks, key=lambda lab: int(lab.confidence))
                out.append(first.but(kind=CONTAINER, keys=frozenset(keys)))
            out.extend(lab for lab in labels if lab.kind == PARAM)
            return tuple(out)
        return CLEAN_VALUE if all_clean else ()

    def _comprehension(self, expr: cst.BaseComp, frame: _Frame) -> Value:
        saved = dict(frame.env)
        filtered = False
        node: cst.CompFor | None = expr.for_in
        while node is not None:
            iterable = self._expr(node.iter, frame)
            self._bind_loop_target(node.target, self._element_of(iterable, node.iter), node.iter, frame)
            for cond in node.ifs:
                self._expr(cond.test, frame)
                if _masking_test(cond.test, self.info):
                    filtered = True
            node = node.inner_for_in
        if type(expr) is cst.DictComp:
            self._expr(expr.key, frame)
            result = self._expr(expr.value, frame)
        else:
            result = self._expr(expr.elt, frame)
        frame.env = saved
        if filtered:
            return CLEAN_VALUE
        if leaky(result):
            first = leaky(result)[0]
            kind = first.kind if first.kind in (HEADERS, BODY) else CONTAINER
            return (first.but(kind=kind, keys=None, mapping=type(expr) is cst.DictComp),)
        return result


# --- helpers ----------------------------------------------------------------------------------------

# text right before a formatted value that makes it an Authorization credential ("Bearer ", "Basic %s")
_AUTH_TAIL = re.compile(r"\b(?:bearer|basic)\s+(?:%s|%r|\{\}|\{0\})?$", re.IGNORECASE)


def _bearer_label(node: cst.CSTNode) -> Label:
    return Label(SECRET, "bearer token", "in an Authorization header value", node, Confidence.HIGH)


@dataclass(frozen=True)
class _Slice:
    safe: bool


def _from(label: Label) -> str:
    if label.kind == BODY and label.role == "token response":
        return "from the token response"
    if label.origin:
        return label.origin
    return f"from the {label.role}" if label.role else ""


def _stringify(value: Value) -> Value:
    """Formatting a value into text: reprs that hide content (responses, httpx Headers) stay safe."""
    out = []
    for label in value:
        if label.kind in (RESPONSE, REQUEST, MASKED):
            continue
        out.append(label.but(mapping=False) if label.mapping else label)
    if not out:
        return CLEAN_VALUE if value and all(lab.kind in (RESPONSE, REQUEST, MASKED, CLEAN) for lab in value) else value
    return tuple(out)


def _drop_params(value: Value) -> Value:
    kept = tuple(lab for lab in value if lab.kind != PARAM)
    return kept if kept or not value else ()


def _merge(base: dict[str, Value], *envs: dict[str, Value]) -> dict[str, Value]:
    merged = dict(base)
    for env in envs:
        for name, value in env.items():
            if name in merged and merged[name] is not value:
                merged[name] = union(merged[name], value) if (merged[name] and value) else (merged[name] or value)
            else:
                merged[name] = value
    return merged


def _leak_rank(leak: Leak) -> tuple[int, int]:
    return (int(leak.confidence), 1 if leak.label.node is not None else 0)


def _body(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    body = getattr(node, "body", None)
    if type(body) is cst.IndentedBlock:
        return body.body
    if type(body) is cst.SimpleStatementSuite:
        return [cst.SimpleStatementLine(body=body.body)]
    if isinstance(body, (list, tuple)):
        return body
    return ()


def _sub_blocks(stmt: cst.CSTNode) -> list[Sequence[cst.CSTNode]]:
    blocks: list[Sequence[cst.CSTNode]] = []
    if type(stmt) in (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar):
        blocks.append(_body(stmt))
        orelse = getattr(stmt, "orelse", None)
        while orelse is not None:
            blocks.append(_body(orelse))
            orelse = orelse.orelse if type(orelse) is cst.If else None
        for handler in getattr(stmt, "handlers", ()) or ():
            blocks.append(_body(handler))
        final = getattr(stmt, "finalbody", None)
        if final is not None:
            blocks.append(_body(final))
    elif type(stmt) is cst.Match:
        blocks.extend(_body(case) for case in stmt.cases)
    return blocks


def _param_list(func: cst.FunctionDef) -> list[cst.Param]:
    params = func.params
    return [*params.posonly_params, *params.params, *params.kwonly_params]


def _decorator_names(func: cst.FunctionDef) -> set[str]:
    names = set()
    for dec in func.decorators:
        target = dec.decorator.func if type(dec.decorator) is cst.Call else dec.decorator
        name = dotted_name(target)
        if name:
            names.add(name.rsplit(".", 1)[-1])
    return names


def _is_static(func: cst.FunctionDef) -> bool:
    return "staticmethod" in _decorator_names(func)


def _is_classmethod(func: cst.FunctionDef) -> bool:
    return "classmethod" in _decorator_names(func)


def _imported_names(small: cst.Import | cst.ImportFrom) -> list[str]:
    names: list[str] = []
    if type(small.names) is cst.ImportStar:
        return names
    for alias in small.names:
        if alias.asname is not None and type(alias.asname.name) is cst.Name:
            names.append(alias.asname.name.value)
        else:
            full = dotted_name(alias.name) or ""
            names.append(full.split(".")[0])
    return names


def _element_target(element: cst.BaseElement) -> cst.BaseExpression:
    if type(element) is cst.StarredElement:
        return element.value
    return element.value


def _is_method_call(expr: cst.BaseExpression, method: str) -> bool:
    return type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == method


def _is_module_ref(expr: cst.BaseExpression, info: ModuleInfo) -> bool:
    name = dotted_name(expr)
    if not name:
        return False
    head = name.split(".")[0]
    return head in info.imports


def _constructed_class(rhs: cst.BaseExpression | None, engine: TaintEngine) -> str | None:
    while type(rhs) is cst.Await:
        rhs = rhs.expression
    if type(rhs) is cst.Call and type(rhs.func) is cst.Name:
        name = rhs.func.value
        if name in engine.class_body:
            return name
    return None


def _constructor_qualname(rhs: cst.BaseExpression | None, info: ModuleInfo) -> str | None:
    while type(rhs) is cst.Await:
        rhs = rhs.expression
    if type(rhs) is cst.Call:
        return info.qualify(rhs.func)
    return None


def _class_level_value(small: cst.BaseSmallStatement, attr: str) -> cst.BaseExpression | None:
    if type(small) is cst.Assign:
        for target in small.targets:
            if type(target.target) is cst.Name and target.target.value == attr:
                return small.value
    if type(small) is cst.AnnAssign and small.value is not None and type(small.target) is cst.Name and small.target.value == attr:
        return small.value
    return None


_SIMPLE_QUOTED = re.compile(r"""^(?:'([^'\\\n]*)'|"([^"\\\n]*)")$""")


def _const(expr: cst.BaseExpression, info: ModuleInfo) -> object:
    """``evaluate`` with a fast path for plain quoted literals (dict keys, subscripts)."""
    if type(expr) is cst.SimpleString:
        match = _SIMPLE_QUOTED.match(expr.value)
        if match is not None:
            return match.group(1) if match.group(1) is not None else match.group(2)
    if type(expr) is cst.Integer and expr.value.isdigit():
        return int(expr.value)
    return evaluate(expr, info)


def _subscript_key(expr: cst.Subscript, info: ModuleInfo) -> object:
    if len(expr.slice) != 1:
        return None
    element = expr.slice[0].slice
    if type(element) is cst.Index:
        value = _const(element.value, info)
        if isinstance(value, bool):
            return None
        if isinstance(value, (str, int)):
            return value
        return None
    if type(element) is cst.Slice:
        return _Slice(safe=_short_slice(element, info))
    return None


def _short_slice(element: cst.Slice, info: ModuleInfo) -> bool:
    """``tok[:6]``, ``tok[-4:]``, ``tok[2:8]``: at most a few characters survive."""
    lower = evaluate(element.lower, info) if element.lower is not None else 0
    upper = evaluate(element.upper, info) if element.upper is not None else None
    if not isinstance(lower, int) or isinstance(lower, bool):
        return False
    if upper is None:
        return lower < 0 and -lower <= cat.MAX_SAFE_SLICE
    if not isinstance(upper, int) or isinstance(upper, bool):
        return False
    if lower >= 0 and upper >= 0:
        return upper - lower <= cat.MAX_SAFE_SLICE
    if lower < 0 and upper < 0:
        return upper - lower <= cat.MAX_SAFE_SLICE
    return False


def _masking_name(name: str) -> bool:
    seq = words(name)
    return any(w in cat.MASKING_WORDS for w in seq) and not any(w in ("unmask", "unmasked", "unredacted", "reveal") for w in seq)


def _masking_test(test: cst.BaseExpression, info: ModuleInfo) -> bool:
    """A condition comparing against a sensitive key (``k.lower() != "authorization"``)."""
    if type(test) is cst.UnaryOperation:
        return _masking_test(test.expression, info)
    if type(test) is cst.BooleanOperation:
        return _masking_test(test.left, info) or _masking_test(test.right, info)
    if type(test) is not cst.Comparison:
        return False
    operands = [test.left, *(c.comparator for c in test.comparisons)]
    for operand in operands:
        texts: list[str] = []
        value = evaluate(operand, info)
        if isinstance(value, str):
            texts.append(value)
        elif type(operand) in (cst.Tuple, cst.List, cst.Set):
            texts.extend(v for v in (evaluate(e.value, info) for e in operand.elements) if isinstance(v, str))
        elif type(operand) is cst.Name and operand.value in info.constants:
            inner = info.constants[operand.value]
            if type(inner) in (cst.Tuple, cst.List, cst.Set):
                texts.extend(v for v in (evaluate(e.value, info) for e in inner.elements) if isinstance(v, str))
        for text in texts:
            low = text.lower()
            if low in cat.AUTH_HEADER_KEYS or sensitive_name(text) is not None:
                return True
    return False


def _replaces_with_mask(node: cst.CSTNode, info: ModuleInfo) -> bool:
    if type(node) is not cst.Call or len(node.args) < 2:
        return False
    replacement = string_value(node.args[1].value, info)
    return replacement is not None and (set(replacement) <= set("*x#•.-_ ") or "redact" in replacement.lower() or "mask" in replacement.lower() or "hidden" in replacement.lower())


def _clean_literal(expr: cst.BaseExpression, info: ModuleInfo) -> bool:
    """A header value that is a literal placeholder (``"Bearer <token>"``) or empty."""
    value = string_value(expr, info)
    if value is None:
        return False
    body = _AUTH_PREFIX.sub("", value)
    return not body.strip() or is_placeholder(body)


_AUTH_PREFIX = re.compile(r"^\s*(?:bearer|basic|token)\s+", re.IGNORECASE)


def _real_looking_literal(rhs: cst.BaseExpression, name: str, info: ModuleInfo) -> bool:
    value = string_value(rhs, info)
    if value is None or not value.strip():
        return False
    # the cheap length test first: is_placeholder (pure) costs regexes and word splits
    return len(value) >= 8 and not is_placeholder(value, key=name)


def _env_read_key(rhs: cst.BaseExpression | None, info: ModuleInfo) -> str | None:
    """The variable name of ``os.environ["X"]`` / ``os.getenv("X")`` / ``os.environ.get("X")``."""
    while type(rhs) is cst.Await:
        rhs = rhs.expression
    if type(rhs) is cst.Subscript:
        if (info.qualify(rhs.value) or "") in ("os.environ", "environ"):
            key = _subscript_key(rhs, info)
            return key if isinstance(key, str) else ""
        return None
    if type(rhs) is cst.Call:
        qual = info.qualify(rhs.func) or ""
        if qual in cat.ENV_READERS or qual.endswith(("environ.get", "os.getenv")):
            key = string_value(rhs.args[0].value, info) if rhs.args else None
            return key or ""
    return None


# --- error branches ---------------------------------------------------------------------------------


def branch_polarity(test: cst.BaseExpression, engine: TaintEngine | None = None) -> int:
    """+1 when ``test`` is true on success (``resp.ok``), -1 when true on failure (``not resp.ok``,
    ``status_code >= 400``, ``"error" in result``), 0 when it says nothing about the response."""
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return -branch_polarity(test.expression, engine)
    if type(test) is cst.BooleanOperation:
        left = branch_polarity(test.left, engine)
        right = branch_polarity(test.right, engine)
        if type(test.operator) is cst.Or:
            return -1 if -1 in (left, right) else (left or right)
        return 1 if 1 in (left, right) and -1 not in (left, right) else (left or right)
    if type(test) is cst.Comparison and len(test.comparisons) == 1:
        return _comparison_polarity(test)
    if type(test) is cst.Attribute:
        if test.attr.value in cat.SUCCESS_FLAG_ATTRS:
            return 1
        if test.attr.value in cat.ERROR_FLAG_ATTRS:
            return -1
        return 1 if sensitive_name(test.attr.value) else 0
    if type(test) is cst.Call and type(test.func) is cst.Attribute and test.func.attr.value == "get" and test.args:
        key = string_value(test.args[0].value)
        if key in cat.ERROR_KEYS:
            return -1
        if key and sensitive_name(key):
            return 1
        return 0
    if type(test) is cst.Subscript:
        key = string_value(test.slice[0].slice.value) if test.slice and type(test.slice[0].slice) is cst.Index else None
        return -1 if key in cat.ERROR_KEYS else 0
    if type(test) is cst.Name:
        return 1 if sensitive_name(test.value) else 0
    return 0


def _status_operand(expr: cst.BaseExpression) -> bool:
    if type(expr) is cst.Attribute:
        return expr.attr.value in cat.STATUS_ATTRS
    if type(expr) is cst.Call and type(expr.func) is cst.Attribute:
        return expr.func.attr.value in ("getcode",)
    if type(expr) is cst.Name:
        return expr.value in ("status", "status_code", "code")
    return False


def _numbers(expr: cst.BaseExpression) -> list[int]:
    if type(expr) is cst.Integer:
        try:
            return [int(expr.value)]
        except ValueError:
            return []
    if type(expr) in (cst.Tuple, cst.List, cst.Set):
        out: list[int] = []
        for element in expr.elements:
            out.extend(_numbers(element.value))
        return out
    if type(expr) is cst.Attribute and expr.attr.value in ("OK", "CREATED"):
        return [200]
    return []


def _comparison_polarity(test: cst.Comparison) -> int:
    left = test.left
    op = test.comparisons[0].operator
    right = test.comparisons[0].comparator
    if _status_operand(left):
        numbers = _numbers(right)
        if not numbers:
            return 0
        n = numbers[0]
        ok = all(200 <= x < 300 for x in numbers)
        if type(op) is cst.Equal:
            return 1 if ok else -1
        if type(op) is cst.NotEqual:
            return -1 if ok else 0
        if type(op) is cst.In:
            return 1 if ok else -1
        if type(op) is cst.NotIn:
            return -1 if ok else 0
        if type(op) is cst.GreaterThanEqual:
            return -1 if n >= 300 else 0
        if type(op) is cst.GreaterThan:
            return -1 if n >= 299 else 0
        if type(op) is cst.LessThan:
            return 1 if 200 < n <= 400 else 0
        if type(op) is cst.LessThanEqual:
            return 1 if 200 <= n < 400 else 0
        return 0
    key = string_value(left)
    if key is not None and type(op) in (cst.In, cst.NotIn):
        sign = 1 if type(op) is cst.In else -1
        if key in cat.ERROR_KEYS:
            return -sign
        if sensitive_name(key):
            return sign
        return 0
    if type(op) in (cst.Is, cst.IsNot) and type(right) is cst.Name and right.value == "None":
        name = dotted_name(left) or ""
        if name and sensitive_name(name.rsplit(".", 1)[-1]):
            return -1 if type(op) is cst.Is else 1
    return 0


# --- positions --------------------------------------------------------------------------------------


def node_line(ctx: FileContext, node: cst.CSTNode | None) -> int | None:
    """1-based line of ``node`` (positions shared with the pipeline, see ``FileContext.node_range``)."""
    if node is None or ctx.module is None:
        return None
    found = ctx.node_range(node)
    return found.start.line if found is not None else None


def engine_for(ctx: FileContext) -> TaintEngine:
    """The file's engine, built once and shared by every rule that needs taint facts."""
    return ctx.memoized("taint_engine", lambda: TaintEngine(ctx))
