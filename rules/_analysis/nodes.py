"""Cheap type tests and child iteration for libcst nodes.

Every libcst node class has ``ABCMeta`` as its metaclass, so ``isinstance(node, cst.Name)`` runs
``ABCMeta.__instancecheck__`` (a Python-level call) each time; in the analyses' inner loops that was
millions of calls and the largest single cost after parsing. No concrete libcst node class has
subclasses, so ``type(node) is cst.Name`` answers the same question for concrete classes; tests
against abstract bases (``BaseExpression``, ``BaseSuite``...) use ``kind_test``, which caches the
answer per concrete type.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterator

import libcst as cst


def kind_test(*classes: type) -> Callable[[Any], bool]:
    """A function equivalent to ``lambda node: isinstance(node, classes)``, cached per ``type(node)``."""
    cache: dict[type, bool] = {}

    def test(node: Any) -> bool:
        kind = type(node)
        hit = cache.get(kind)
        if hit is None:
            hit = cache[kind] = issubclass(kind, classes)
        return hit

    return test


is_expression = kind_test(cst.BaseExpression)
is_suite = kind_test(cst.BaseSuite)

# child_nodes leaves out whitespace, comments and blank lines: the analyses never look at them.
_SKIP_FIELD_TYPES = (cst.BaseParenthesizableWhitespace, cst.Comment, cst.Newline, cst.EmptyLine, cst.TrailingWhitespace)
_SKIP_FIELD_PREFIXES = ("whitespace", "lpar", "rpar", "leading_lines", "lines_after")
_FIELDS: dict[type, tuple[str, ...]] = {}
# How a field value is treated, by its type: _KEEP (a child node), _SEQUENCE (a tuple/list whose
# node items are children) or _DROP (anything else: sentinels, strings, trivia nodes).
_KEEP, _SEQUENCE, _DROP = 1, 2, 0
_VALUE_KIND: dict[type, int] = {}


def _value_kind(kind: type) -> int:
    if issubclass(kind, cst.CSTNode):
        found = _DROP if issubclass(kind, _SKIP_FIELD_TYPES) else _KEEP
    elif issubclass(kind, (tuple, list)):
        found = _SEQUENCE
    else:
        found = _DROP
    _VALUE_KIND[kind] = found
    return found


def _fields(kind: type) -> tuple[str, ...]:
    names = tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith(_SKIP_FIELD_PREFIXES))
    _FIELDS[kind] = names
    return names


def has_child_fields(kind: type) -> bool:
    """Whether nodes of this class can have children for ``child_nodes`` at all (``Comma``, ``Dot``
    and the operators hold only whitespace)."""
    names = _FIELDS.get(kind)
    if names is None:
        names = _fields(kind)
    return bool(names)


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's child nodes in source order (whitespace and comments left out).

    ``CSTNode.children`` rebuilds the node through a visitor on every access; reading the dataclass
    fields directly, classifying each value by its exact type, is many times faster."""
    kind = type(node)
    names = _FIELDS.get(kind)
    if names is None:
        names = _fields(kind)
    value_kind = _VALUE_KIND
    out: list[cst.CSTNode] = []
    for name in names:
        value = getattr(node, name, None)
        how = value_kind.get(type(value))
        if how is None:
            how = _value_kind(type(value))
        if how == _KEEP:
            out.append(value)
        elif how == _SEQUENCE:
            for item in value:
                item_how = value_kind.get(type(item))
                if item_how is None:
                    item_how = _value_kind(type(item))
                if item_how == _KEEP:
                    out.append(item)
    return out


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it, depth first in source order (``child_nodes``'s view:
    no whitespace or comments). Cheaper than a ``CSTVisitor``, which rebuilds what it visits."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(child_nodes(current)))


def literal_value(node: cst.SimpleString) -> str | bytes:
    """``node.evaluated_value`` (``ast.literal_eval`` of the literal, raising as it does), without
    compiling the literal when its text is its value: a plain or raw ``str`` literal with no escapes
    and only ASCII text (``literal_eval`` compiles source, ~30 us per string)."""
    text = node.value
    quote_at = 0
    while text[quote_at] not in "'\"":
        quote_at += 1
    prefix = text[:quote_at].lower()
    if prefix in ("", "u", "r"):
        width = 3 if text.startswith(('"""', "'''"), quote_at) else 1
        body = text[quote_at + width : len(text) - width]
        if (prefix == "r" or "\\" not in body) and body.isascii() and "\r" not in body and "\x00" not in body:
            return body
    return node.evaluated_value
