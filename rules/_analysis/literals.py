"""Evaluate constant expressions: strings, numbers, booleans, and names bound once to them.

Anything we cannot evaluate is ``UNKNOWN``; rules never fire a "value" finding on an unknown.
f-strings are evaluated with their holes replaced by ``{name}`` placeholders and marked incomplete,
which is what URL and path analysis wants (``f"{BASE}/v1/accounts/{acc_id}"`` ->
``https://api.../v1/accounts/{acc_id}`` when ``BASE`` is a module constant).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import libcst as cst

from rules._analysis.imports import ModuleInfo, dotted_name
from rules._analysis.nodes import literal_value


class _Unknown:
    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class StringValue:
    """A string folded from literals; ``complete`` is False when it contains ``{hole}`` placeholders."""

    text: str
    complete: bool = True


_MAX_DEPTH = 40


def evaluate(expr: cst.BaseExpression | None, info: ModuleInfo | None = None, _depth: int = 0) -> Any:
    """Value of ``expr`` if it is a constant (str, int, float, bool, None, timedelta), else UNKNOWN.

    Strings with holes evaluate to a ``StringValue`` with ``complete=False``.
    """
    if expr is None or _depth > _MAX_DEPTH:
        return UNKNOWN
    depth = _depth + 1
    if type(expr) is cst.SimpleString:
        try:
            return literal_value(expr)
        except Exception:  # odd escapes: treat as unknown rather than crash
            return UNKNOWN
    if type(expr) is cst.Integer:
        try:
            return int(expr.value.replace("_", ""), 0)
        except ValueError:
            return UNKNOWN
    if type(expr) is cst.Float:
        try:
            return float(expr.value.replace("_", ""))
        except ValueError:
            return UNKNOWN
    if type(expr) is cst.Name:
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        if info is not None and expr.value in info.constants:
            return _folded(expr.value, info.constants[expr.value], info, depth)
        return UNKNOWN
    if type(expr) is cst.Attribute and info is not None:
        name = dotted_name(expr)
        if name:
            owner, _, attr = name.rpartition(".")
            if owner in info.classes and f"{owner}.{attr}" in info.class_constants:
                return _folded(f"{owner}.{attr}", info.class_constants[f"{owner}.{attr}"], info, depth)
        return UNKNOWN
    if type(expr) is cst.ConcatenatedString:
        return _join(evaluate(expr.left, info, depth), evaluate(expr.right, info, depth))
    if type(expr) is cst.FormattedString:
        return _fstring(expr, info, depth)
    if type(expr) is cst.UnaryOperation:
        inner = evaluate(expr.expression, info, depth)
        if type(expr.operator) is cst.Minus and isinstance(inner, (int, float)) and not isinstance(inner, bool):
            return -inner
        if type(expr.operator) is cst.Not and inner is not UNKNOWN and not isinstance(inner, StringValue):
            return not inner
        return UNKNOWN
    if type(expr) is cst.BinaryOperation:
        return _binary(expr, info, depth)
    if type(expr) is cst.Call:
        return _call(expr, info, depth)
    return UNKNOWN


def _folded(key: str, expr: cst.BaseExpression, info: ModuleInfo, depth: int) -> Any:
    """A module or class constant's value, computed once per module. Marking it UNKNOWN before
    evaluating makes self-reference (``URL = URL + "/x"``) terminate, and the memo keeps chains
    like ``A2 = A1 + A1; A3 = A2 + A2`` linear instead of exponential."""
    if key in info.folded:
        return info.folded[key]
    info.folded[key] = UNKNOWN
    value = evaluate(expr, info, depth)
    info.folded[key] = value
    return value


_MAX_STRING = 100_000


def _join(left: Any, right: Any) -> Any:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if isinstance(left, (str, StringValue)) and isinstance(right, (str, StringValue)):
        complete = all(not isinstance(v, StringValue) or v.complete for v in (left, right))
        text = _text(left) + _text(right)
        if len(text) > _MAX_STRING:  # doubling constants must not build gigabyte strings
            return StringValue(text[:_MAX_STRING], complete=False)
        return text if complete else StringValue(text, complete=False)
    return UNKNOWN


def _text(value: Any) -> str:
    return value.text if isinstance(value, StringValue) else str(value)


def _fstring(expr: cst.FormattedString, info: ModuleInfo | None, depth: int) -> Any:
    parts: list[str] = []
    complete = True
    for part in expr.parts:
        if type(part) is cst.FormattedStringText:
            parts.append(part.value.replace("{{", "{").replace("}}", "}"))
            continue
        if type(part) is cst.FormattedStringExpression:
            value = evaluate(part.expression, info, depth)
            if isinstance(value, str) and part.format_spec is None and part.conversion is None:
                parts.append(value)
            elif isinstance(value, StringValue):
                parts.append(value.text)
                complete = False
            else:
                parts.append("{" + (_hole_name(part.expression)) + "}")
                complete = False
    text = "".join(parts)
    return text if complete else StringValue(text, complete=False)


def _hole_name(expr: cst.BaseExpression) -> str:
    name = dotted_name(expr)
    if name:
        return name.rsplit(".", 1)[-1]
    if type(expr) is cst.Subscript:
        return _hole_name(expr.value)
    if type(expr) is cst.Call:
        return _hole_name(expr.func)
    return "param"


def _binary(expr: cst.BinaryOperation, info: ModuleInfo | None, depth: int) -> Any:
    left = evaluate(expr.left, info, depth)
    right = evaluate(expr.right, info, depth)
    op = expr.operator
    if type(op) is cst.Add:
        if isinstance(left, (str, StringValue)) or isinstance(right, (str, StringValue)):
            return _join(left, right)
        if _number(left) and _number(right):
            return left + right
        if isinstance(left, _dt.timedelta) and isinstance(right, _dt.timedelta):
            return left + right
        return UNKNOWN
    if not (_number(left) and _number(right)):
        if type(op) is cst.Modulo and isinstance(left, str):
            return StringValue(left, complete=False)
        return UNKNOWN
    try:
        if type(op) is cst.Subtract:
            return left - right
        if type(op) is cst.Multiply:
            return left * right
        if type(op) is cst.FloorDivide:
            return left // right
        if type(op) is cst.Divide:
            return left / right
    except (ZeroDivisionError, OverflowError):
        return UNKNOWN
    return UNKNOWN


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TIMEDELTA_KEYS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1, "milliseconds": 0.001, "weeks": 604800}


def _call(expr: cst.Call, info: ModuleInfo | None, depth: int) -> Any:
    qual = info.qualify(expr.func) if info is not None else dotted_name(expr.func)
    if qual and qual.rsplit(".", 1)[-1] == "timedelta":
        return _timedelta(expr, info, depth)
    if qual in ("builtins.int", "builtins.float", "builtins.str") and len(expr.args) == 1:
        value = evaluate(expr.args[0].value, info, depth)
        try:
            if qual == "builtins.int" and value is not UNKNOWN:
                return int(value)
            if qual == "builtins.float" and value is not UNKNOWN:
                return float(value)
            if qual == "builtins.str" and isinstance(value, (str, int, float)):
                return str(value)
        except (TypeError, ValueError):
            return UNKNOWN
    if type(expr.func) is cst.Attribute and expr.func.attr.value == "join" and len(expr.args) == 1:
        return _str_join(expr, info, depth)
    return UNKNOWN


def _timedelta(expr: cst.Call, info: ModuleInfo | None, depth: int) -> Any:
    seconds = 0.0
    positional = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
    for index, arg in enumerate(expr.args):
        key = arg.keyword.value if arg.keyword is not None else (positional[index] if index < len(positional) else "")
        value = evaluate(arg.value, info, depth)
        if not _number(value):
            return UNKNOWN
        factor = _TIMEDELTA_KEYS.get(key, 1e-6 if key == "microseconds" else None)
        if factor is None:
            return UNKNOWN
        seconds += value * factor
    try:
        return _dt.timedelta(seconds=seconds)
    except OverflowError:
        return UNKNOWN


def _str_join(expr: cst.Call, info: ModuleInfo | None, depth: int) -> Any:
    assert type(expr.func) is cst.Attribute
    separator = evaluate(expr.func.value, info, depth)
    items = sequence_items(expr.args[0].value, info, depth)
    if not isinstance(separator, str) or items is None:
        return UNKNOWN
    if not all(isinstance(i, str) for i in items):
        return UNKNOWN
    return separator.join(items)


def sequence_items(expr: cst.BaseExpression, info: ModuleInfo | None = None, _depth: int = 0) -> list[Any] | None:
    """Evaluated items of a list/tuple/set literal (or a constant bound to one); None if not a literal."""
    if type(expr) is cst.Name and info is not None and expr.value in info.constants and _depth < _MAX_DEPTH:
        return sequence_items(info.constants[expr.value], info, _depth + 1)
    if type(expr) in (cst.List, cst.Tuple, cst.Set):
        values = []
        for element in expr.elements:
            if type(element) is cst.StarredElement:
                return None
            values.append(evaluate(element.value, info, _depth + 1))
        return values
    return None


def string_value(expr: cst.BaseExpression | None, info: ModuleInfo | None = None) -> str | None:
    """The complete string value of ``expr`` or None (holes, non-strings and unknowns give None)."""
    value = evaluate(expr, info)
    return value if isinstance(value, str) else None


def string_template(expr: cst.BaseExpression | None, info: ModuleInfo | None = None) -> StringValue | None:
    """A string with ``{hole}`` placeholders where parts are dynamic (URLs, paths), or None."""
    value = evaluate(expr, info)
    if isinstance(value, str):
        return StringValue(value)
    if isinstance(value, StringValue):
        return value
    return None


def number_value(expr: cst.BaseExpression | None, info: ModuleInfo | None = None) -> float | None:
    """Seconds for numbers and timedeltas; None when unknown."""
    value = evaluate(expr, info)
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if _number(value):
        return float(value)
    return None
