"""A byte-driven Python grammar shared by the hypothesis strategies (tests/hardening) and the atheris
pipeline harness: every byte of the input is one grammar decision, so hypothesis shrinks programs by
shrinking bytes and libFuzzer's mutations stay syntactically meaningful."""

from __future__ import annotations

import ast
from typing import Any

# Names the rules care about (credentials, HTTP clients, loggers, token caches) next to neutral ones,
# so generated programs reach deep into the rules instead of stopping at the prefilter.
NAMES = (
    "client_secret", "CLIENT_SECRET", "client_id", "api_key", "password", "access_token", "token", "token_url",
    "refresh_token", "expires_in", "expires_at", "scope", "scopes", "headers", "data", "auth", "resp", "response",
    "session", "requests", "httpx", "logging", "log", "logger", "print", "os", "environ", "getenv", "self", "cls",
    "cache", "time", "datetime", "timedelta", "OAuth2Session", "BackendApplicationClient", "url", "verify", "x", "_",
)
ATTRS = (
    "post", "get", "request", "Session", "Client", "AsyncClient", "info", "debug", "warning", "error", "exception",
    "getLogger", "json", "text", "headers", "environ", "get", "fetch_token", "token", "access_token", "verify",
    "mount", "format", "join", "encode", "decode", "seconds", "total_seconds", "monotonic", "time", "now", "cache",
)
KWARGS = ("data", "json", "headers", "auth", "verify", "timeout", "scope", "client_secret", "client_id", "params", "url", "cert", "extra", None)

def _name(name: str) -> ast.expr:
    return ast.Name(id=name, ctx=ast.Load())


def _const(value: Any) -> ast.expr:
    return ast.Constant(value=value)


CONSTANT_POOL: tuple[Any, ...] = (
    "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6", "ak_live_Zk3P9qLm2Xv8Rt5Wb7Nc4", "changeme", "<your-secret>", "${CLIENT_SECRET}", "",
    "http://auth.example.com/oauth/token", "https://auth.example.com/oauth2/token", "http://localhost:8080/token",
    "https://api.aelix.io/v1/accounts", "read write admin", "accounts:read", "*", "Bearer ", "client_credentials",
    "token=%s", "Authorization", "{}", "\u2028", "é", "\x00", 0, 1, -1, 60, 3600, 10**30, 1.5, float("inf"), True, False, None,
)


class ChoiceProgram:
    """Builds a Python module from a byte string, one grammar decision per byte.

    Hypothesis draws the bytes (cheap to generate, and shrinking them shrinks the program); the atheris
    harness feeds its raw input the same way, so both explore the same grammar: assignments, calls
    with keyword arguments, attributes, dicts, lists, f-strings, ``+``/``%`` chains, subscripts,
    conditionals, functions, classes, loops, ``with``/``try`` blocks and imports of the HTTP, OAuth
    and logging libraries the rules know.
    """

    MAX_DEPTH = 6

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def pick(self, items: tuple[Any, ...]) -> Any:
        return items[self.byte() % len(items)]

    def expr(self, depth: int = 0) -> ast.expr:
        choice = self.byte() % (16 if depth < self.MAX_DEPTH else 2)
        if choice == 0:
            return _name(self.pick(NAMES))
        if choice == 1:
            return _const(self.pick(CONSTANT_POOL))
        if choice == 2:
            return ast.Attribute(value=self.expr(depth + 1), attr=self.pick(ATTRS), ctx=ast.Load())
        if choice in (3, 4):
            func = ast.Attribute(value=_name(self.pick(NAMES)), attr=self.pick(ATTRS), ctx=ast.Load()) if choice == 3 else self.expr(depth + 1)
            args = [self.expr(depth + 1) for _ in range(self.byte() % 3)]
            keywords = [ast.keyword(arg=self.pick(KWARGS), value=self.expr(depth + 1)) for _ in range(self.byte() % 4)]
            return ast.Call(func=func, args=args, keywords=keywords)
        if choice == 5:
            count = self.byte() % 4
            return ast.Dict(keys=[self.expr(depth + 1) for _ in range(count)], values=[self.expr(depth + 1) for _ in range(count)])
        if choice == 6:
            return ast.List(elts=[self.expr(depth + 1) for _ in range(self.byte() % 4)], ctx=ast.Load())
        if choice == 7:
            return ast.Tuple(elts=[self.expr(depth + 1) for _ in range(1 + self.byte() % 3)], ctx=ast.Load())
        if choice in (8, 9):
            return ast.BinOp(left=self.expr(depth + 1), op=ast.Add() if choice == 8 else ast.Mod(), right=self.expr(depth + 1))
        if choice == 10:
            return ast.Subscript(value=self.expr(depth + 1), slice=self.expr(depth + 1), ctx=ast.Load())
        if choice == 11:
            parts: list[ast.expr] = []
            for _ in range(1 + self.byte() % 4):
                if self.byte() % 2:
                    parts.append(_const(self.pick(("Bearer ", "token=", "http://", "/oauth/token", " ", "secret: "))))
                else:
                    parts.append(ast.FormattedValue(value=self.expr(depth + 1), conversion=self.pick((-1, 114, 115)), format_spec=None))
            return ast.JoinedStr(values=parts)
        if choice == 12:
            return ast.IfExp(test=self.expr(depth + 1), body=self.expr(depth + 1), orelse=self.expr(depth + 1))
        if choice == 13:
            return ast.Await(value=self.expr(depth + 1))
        if choice == 14:
            return ast.Lambda(args=_arguments(()), body=self.expr(depth + 1))
        return ast.BinOp(left=self.expr(depth + 1), op=ast.Sub(), right=_const(self.pick((60, 30, 0, 1.5))))

    def target(self) -> ast.expr:
        choice = self.byte() % 3
        if choice == 0:
            return ast.Name(id=self.pick(NAMES), ctx=ast.Store())
        if choice == 1:
            return ast.Attribute(value=_name(self.pick(("self", "cls", "config"))), attr=self.pick(NAMES), ctx=ast.Store())
        return ast.Subscript(value=_name(self.pick(("headers", "data", "cache", "environ"))), slice=_const(self.pick(("Authorization", "client_secret", "token"))), ctx=ast.Store())

    def statement(self, depth: int = 0) -> ast.stmt:
        choice = self.byte() % (16 if depth < 3 else 7)
        if choice in (0, 1):
            return ast.Assign(targets=[self.target()], value=self.expr(), lineno=1)
        if choice == 2:
            return ast.Expr(value=self.expr())
        if choice == 3:
            return ast.Return(value=self.expr())
        if choice == 4:
            return self.pick(IMPORTS)
        if choice == 5:
            return ast.AnnAssign(target=ast.Name(id=self.pick(NAMES), ctx=ast.Store()), annotation=_name(self.pick(("str", "int", "float", "dict"))), value=self.expr(), simple=1)
        if choice == 6:
            return ast.AugAssign(target=ast.Name(id=self.pick(NAMES), ctx=ast.Store()), op=ast.Add(), value=self.expr())
        body = self.block(depth + 1)
        if choice in (7, 8):
            kind = ast.AsyncFunctionDef if choice == 8 else ast.FunctionDef
            names = tuple(dict.fromkeys(self.pick(("self", "token", "client_secret", "url", "x")) for _ in range(self.byte() % 3)))
            return kind(name=self.pick(("get_token", "fetch", "__init__", "refresh", "call_api", "f")), args=_arguments(names), body=body, decorator_list=[], returns=None, type_params=[])
        if choice == 9:
            return ast.ClassDef(name=self.pick(("TokenClient", "Settings", "Auth")), bases=[], keywords=[], body=body, decorator_list=[], type_params=[])
        if choice == 10:
            return ast.If(test=self.expr(), body=body, orelse=self.block(depth + 1) if self.byte() % 2 else [])
        if choice == 11:
            return ast.For(target=ast.Name(id=self.pick(NAMES), ctx=ast.Store()), iter=self.expr(), body=body, orelse=[])
        if choice == 12:
            return ast.While(test=self.expr(), body=body, orelse=[])
        if choice == 13:
            return ast.With(items=[ast.withitem(context_expr=self.expr(), optional_vars=ast.Name(id="s", ctx=ast.Store()))], body=body)
        if choice == 14:
            return ast.Try(body=body, handlers=[ast.ExceptHandler(type=_name("Exception"), name="exc", body=self.block(depth + 1))], orelse=[], finalbody=[])
        return ast.Global(names=["token"])

    def block(self, depth: int) -> list[ast.stmt]:
        return [self.statement(depth) for _ in range(1 + self.byte() % 4)]

    def module(self) -> str:
        body = []
        while self.pos < len(self.data) and len(body) < 40:
            body.append(self.statement())
        return unparse(body or [ast.Pass()])


def _arguments(names: tuple[str, ...]) -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in names], kwonlyargs=[], kw_defaults=[], defaults=[])


IMPORTS: tuple[ast.stmt, ...] = (
    ast.Import(names=[ast.alias(name="requests")]),
    ast.Import(names=[ast.alias(name="logging", asname="log")]),
    ast.Import(names=[ast.alias(name="httpx")]),
    ast.Import(names=[ast.alias(name="logging")]),
    ast.ImportFrom(module="requests_oauthlib", names=[ast.alias(name="OAuth2Session")], level=0),
    ast.ImportFrom(module="oauthlib.oauth2", names=[ast.alias(name="BackendApplicationClient")], level=0),
    ast.ImportFrom(module="authlib.integrations.requests_client", names=[ast.alias(name="OAuth2Session")], level=0),
    ast.ImportFrom(module="os", names=[ast.alias(name="environ"), ast.alias(name="getenv")], level=0),
    ast.ImportFrom(module="datetime", names=[ast.alias(name="timedelta")], level=0),
    ast.ImportFrom(module=None, names=[ast.alias(name="settings")], level=1),
)


def unparse(body: list[ast.stmt]) -> str:
    """Source text of a statement list; statements ``ast.unparse`` cannot print (a backslash inside an
    f-string expression, before 3.12) are dropped one by one."""
    printed = []
    for statement in body:
        try:
            printed.append(ast.unparse(ast.fix_missing_locations(ast.Module(body=[statement], type_ignores=[]))))
        except Exception:  # noqa: BLE001 - a generator corner case, not what the test is about
            continue
    return "\n".join(printed) + "\n" if printed else "pass\n"


def python_from_bytes(data: bytes) -> str:
    return ChoiceProgram(data).module()
