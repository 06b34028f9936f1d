"""A cheap import-alias table and binding table, computed once per module.

libcst's QualifiedNameProvider is accurate but expensive (it needs scope analysis), and it does not
follow variables anyway (``s = requests.Session(); s.get`` stays ``s.get``). Most rules only need
"which library does this call belong to", which this table answers from import statements and
simple assignments. Get it with ``module_info(ctx)``; it is computed once per file and shared by all
rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence

import libcst as cst

from checker.rule import FileContext
from rules._analysis.nodes import is_suite


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names/attributes; ``self.x`` included; None for anything else."""
    # exact type tests: isinstance on libcst classes is slow (see rules/_analysis/nodes.py), and
    # this runs for nearly every name the analyses look at
    kind = type(expr)
    if kind is cst.Name:
        return expr.value  # type: ignore[attr-defined, no-any-return]
    if kind is not cst.Attribute:
        return None
    parts: list[str] = []
    node: cst.BaseExpression = expr
    while kind is cst.Attribute:
        parts.append(node.attr.value)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
        kind = type(node)
    if kind is cst.Name:
        parts.append(node.value)  # type: ignore[attr-defined]
        return ".".join(reversed(parts))
    return None


def last_name(expr: cst.BaseExpression) -> str:
    """The last identifier of a callee: ``requests.post`` -> ``post``, ``fetch_token`` -> itself,
    ``a().b`` -> ``b``; "" for anything else."""
    kind = type(expr)
    if kind is cst.Attribute:
        return expr.attr.value  # type: ignore[attr-defined, no-any-return]
    if kind is cst.Name:
        return expr.value  # type: ignore[attr-defined, no-any-return]
    return ""


def display_name(expr: cst.BaseExpression) -> str:
    """How a callee reads in a message: ``requests.post``, ``requests.Session(...).get``."""
    name = dotted_name(expr)
    if name:
        return name
    if type(expr) is cst.Attribute:
        if type(expr.value) is cst.Call:
            return f"{display_name(expr.value.func)}(...).{expr.attr.value}"
        return f"{display_name(expr.value)}.{expr.attr.value}"
    return "a call"


def _module_name(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    return dotted_name(node) or ""


@dataclass
class ModuleInfo:
    """Facts about a module that many rules need, each computed once per file."""

    # local name -> qualified name ("p" -> "requests.post", "hc" -> "http.client")
    imports: dict[str, str] = field(default_factory=dict)
    # "name" or "self.attr" -> qualified name of the constructor call assigned to it
    bindings: dict[str, str] = field(default_factory=dict)
    # module-level names assigned exactly once -> the assigned expression
    constants: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # "Class.attr" -> expression for class-level assignments
    class_constants: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # names assigned more than once at module level (never treated as constants)
    reassigned: set[str] = field(default_factory=set)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    # evaluated values of constants (literals.evaluate memo; also its cycle guard)
    folded: dict[str, object] = field(default_factory=dict)
    # qualify's answers by node (id -> (node, answer); the node is kept so its id is not reused).
    # None while the tables are being built: build_module_info's own qualify calls see partial
    # bindings, so the memo is switched on only once they are complete (see ``freeze``).
    _qualified: dict[int, tuple[cst.BaseExpression, str | None]] | None = field(default=None, init=False, repr=False, compare=False)

    def freeze(self) -> None:
        """Declare the tables complete: from now on ``qualify`` remembers its answers (the analyses
        ask about the same callee nodes many times: about three quarters of the calls repeat)."""
        self._qualified = {}

    def qualify(self, expr: cst.BaseExpression) -> str | None:
        """Qualified name of a name/attribute chain through imports and bindings (memoized per
        node once the tables are frozen; see ``_qualify``)."""
        memo = self._qualified
        if memo is None:
            return self._qualify(expr)
        hit = memo.get(id(expr))
        if hit is not None and hit[0] is expr:
            return hit[1]
        answer = self._qualify(expr)
        memo[id(expr)] = (expr, answer)
        return answer

    def _qualify(self, expr: cst.BaseExpression) -> str | None:
        """Qualified name of a name/attribute chain through imports and bindings.

        ``requests.post`` -> ``requests.post``; ``p`` (from requests import post as p) ->
        ``requests.post``; ``s.get`` (s = requests.Session()) -> ``requests.Session.get``;
        ``requests.Session().get`` -> ``requests.Session.get``; builtins resolve to ``builtins.x``
        unless shadowed by an import or definition. Returns None when nothing is known.
        """
        if type(expr) is cst.Attribute:
            value_kind = type(expr.value)  # type: ignore[attr-defined]
            if value_kind is cst.Call:
                inner = self.qualify(expr.value.func)  # type: ignore[attr-defined]
                return f"{inner}.{expr.attr.value}" if inner else None  # type: ignore[attr-defined]
            if value_kind is cst.Await:
                return self._qualify(cst.Attribute(value=expr.value.expression, attr=expr.attr))  # type: ignore[attr-defined]
        name = dotted_name(expr)
        if name is None:
            return None
        if "." not in name:
            return self._qualify_simple(name)
        parts = name.split(".")
        # the longest bound prefix wins: self.session.get -> binding of "self.session"
        for cut in range(len(parts), 0, -1):
            head = ".".join(parts[:cut])
            rest = parts[cut:]
            target = self.bindings.get(head)
            if target is None and cut == 1:
                target = self.imports.get(head)
            if target is not None:
                return ".".join([target, *rest])
        if parts[0] in _BUILTINS and parts[0] not in self.functions and parts[0] not in self.classes:
            return "builtins." + name
        return None

    def _qualify_simple(self, name: str) -> str | None:
        """``qualify`` of a bare name (the common case, without the prefix loop)."""
        target = self.bindings.get(name)
        if target is None:
            target = self.imports.get(name)
        if target is not None:
            return target
        if name in _BUILTINS and name not in self.functions and name not in self.classes:
            return "builtins." + name
        return None

    def call_name(self, call: cst.Call) -> str | None:
        return self.qualify(call.func)


_BUILTINS = frozenset(
    {"print", "open", "len", "str", "repr", "bool", "int", "float", "dict", "list", "tuple", "set", "hash", "type",
     "isinstance", "format", "getattr", "setattr", "vars", "input", "exec", "eval", "min", "max", "sorted", "any",
     "all", "sum", "range", "enumerate", "zip", "map", "filter", "iter", "next", "id", "super", "object",
     "Exception", "ValueError", "RuntimeError", "KeyError", "TypeError", "PermissionError", "ConnectionError"}
)


def _block_statements(block: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    if type(block) is cst.SimpleStatementSuite:
        yield from block.body
    else:
        yield from _iter_blocks(block.body)


def _iter_blocks(stmts: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Small and compound statements of a body, recursing into nested blocks but not expressions."""
    for stmt in stmts:
        if type(stmt) is cst.SimpleStatementLine:
            yield from stmt.body
            continue
        yield stmt
        body = getattr(stmt, "body", None)
        if is_suite(body):
            yield from _block_statements(body)
        for handler in getattr(stmt, "handlers", ()) or ():
            yield from _block_statements(handler.body)
        for case in getattr(stmt, "cases", ()) or ():
            yield from _block_statements(case.body)
        orelse = getattr(stmt, "orelse", None)
        while orelse is not None:
            if type(orelse) is cst.If:
                yield orelse
                yield from _block_statements(orelse.body)
                orelse = orelse.orelse
            else:
                yield from _block_statements(orelse.body)
                orelse = None
        final = getattr(stmt, "finalbody", None)
        if final is not None:
            yield from _block_statements(final.body)


def _record_import(info: ModuleInfo, stmt: cst.Import | cst.ImportFrom) -> None:
    if type(stmt) is cst.Import:
        for alias in stmt.names:
            full = _module_name(alias.name)
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                info.imports[alias.asname.name.value] = full
            else:
                head = full.split(".")[0]
                info.imports[head] = head
        return
    module = "." * len(stmt.relative) + _module_name(stmt.module)
    if type(stmt.names) is cst.ImportStar:
        return
    for alias in stmt.names:
        name = _module_name(alias.name)
        local = name
        if alias.asname is not None and type(alias.asname.name) is cst.Name:
            local = alias.asname.name.value
        info.imports[local] = f"{module}.{name}" if module and not module.endswith(".") else f"{module}{name}"


def _call_qualname(info: ModuleInfo, value: cst.BaseExpression) -> str | None:
    while type(value) is cst.Await:
        value = value.expression
    if type(value) is cst.Call:
        return info.qualify(value.func)
    return None


def _record_binding(info: ModuleInfo, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
    qual = _call_qualname(info, value)
    name = dotted_name(target)
    if qual and name:
        info.bindings[name] = qual


def _record_module_assign(info: ModuleInfo, stmt: cst.Assign | cst.AnnAssign) -> None:
    targets = [t.target for t in stmt.targets] if type(stmt) is cst.Assign else [stmt.target]
    if stmt.value is None:
        return
    for target in targets:
        if type(target) is cst.Name:
            if target.value in info.constants or target.value in info.reassigned:
                info.constants.pop(target.value, None)
                info.reassigned.add(target.value)
            else:
                info.constants[target.value] = stmt.value


def build_module_info(module: cst.Module) -> ModuleInfo:
    info = ModuleInfo()
    # Pass 1: imports anywhere in statement blocks (function-level imports included) and defs.
    statements = list(_iter_blocks(module.body))
    for stmt in statements:
        if type(stmt) in (cst.Import, cst.ImportFrom):
            _record_import(info, stmt)
    for stmt in module.body:
        if type(stmt) is cst.FunctionDef:
            info.functions[stmt.name.value] = stmt
        elif type(stmt) is cst.ClassDef:
            info.classes[stmt.name.value] = stmt
            _record_class(info, stmt)
        elif type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) in (cst.Assign, cst.AnnAssign):
                    _record_module_assign(info, small)
    # Pass 2: bindings from assignments and with-items anywhere (flow-insensitive, by name).
    for stmt in statements:
        if type(stmt) is cst.Assign:
            for target in stmt.targets:
                _record_binding(info, target.target, stmt.value)
        elif type(stmt) is cst.AnnAssign and stmt.value is not None:
            _record_binding(info, stmt.target, stmt.value)
        elif type(stmt) is cst.With:
            for item in stmt.items:
                if item.asname is not None:
                    _record_binding(info, item.asname.name, item.item)
    info.freeze()
    return info


def _record_class(info: ModuleInfo, cls: cst.ClassDef) -> None:
    for stmt in cls.body.body if type(cls.body) is cst.IndentedBlock else ():
        if type(stmt) is cst.FunctionDef:
            info.functions.setdefault(f"{cls.name.value}.{stmt.name.value}", stmt)
        if type(stmt) is not cst.SimpleStatementLine:
            continue
        for small in stmt.body:
            if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                info.class_constants[f"{cls.name.value}.{small.targets[0].target.value}"] = small.value
            elif type(small) is cst.AnnAssign and small.value is not None and type(small.target) is cst.Name:
                info.class_constants[f"{cls.name.value}.{small.target.value}"] = small.value


def module_info(ctx: FileContext) -> ModuleInfo:
    """The shared ``ModuleInfo`` of the file under analysis (built on first use)."""
    return ctx.memoized("module_info", lambda: build_module_info(ctx.module))


_ASSIGNMENT_CACHE: "dict[int, tuple[cst.CSTNode, dict[str, list[cst.BaseExpression]]]]" = {}


def function_assignments(func: cst.FunctionDef | cst.Module | None) -> dict[str, list[cst.BaseExpression]]:
    """Names (and ``self.attr``) assigned inside ``func``'s body -> every value assigned to them.

    Flow-insensitive and cheap (statements only); cached per function node for the life of the
    module. Use it to resolve a local like ``data = {"grant_type": ...}; requests.post(u, data=data)``.
    """
    if func is None:
        return {}
    key = id(func)
    cached = _ASSIGNMENT_CACHE.get(key)
    if cached is not None and cached[0] is func:
        return cached[1]
    body = func.body if type(func) is cst.Module else (func.body.body if type(func.body) is cst.IndentedBlock else ())
    found: dict[str, list[cst.BaseExpression]] = {}
    for stmt in _iter_blocks(body):
        if type(stmt) is cst.Assign:
            for target in stmt.targets:
                name = dotted_name(target.target)
                if name:
                    found.setdefault(name, []).append(stmt.value)
        elif type(stmt) is cst.AnnAssign and stmt.value is not None:
            name = dotted_name(stmt.target)
            if name:
                found.setdefault(name, []).append(stmt.value)
        elif type(stmt) is cst.With:
            for item in stmt.items:
                if item.asname is not None:
                    name = dotted_name(item.asname.name)
                    if name:
                        found.setdefault(name, []).append(item.item)
    if len(_ASSIGNMENT_CACHE) > 4096:
        _ASSIGNMENT_CACHE.clear()
    _ASSIGNMENT_CACHE[key] = (func, found)
    return found


def single_value(name: str, func: cst.FunctionDef | cst.Module | None, info: ModuleInfo | None = None) -> cst.BaseExpression | None:
    """The one expression bound to ``name`` in ``func`` (or at module level), None if zero or several."""
    values = function_assignments(func).get(name, [])
    if len(values) == 1:
        return values[0]
    if not values and info is not None and name in info.constants:
        return info.constants[name]
    return None
