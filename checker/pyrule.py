"""The Python rule base class (kept apart from ``checker.rule`` so that scans without Python files
never import libcst)."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable, Mapping

import libcst as cst

from checker.model import Confidence, Fix, Severity
from checker.rule import PYTHON_KINDS, FileContext, Rule


def statement_ranges(module: cst.Module, text: str, statement: cst.CSTNode, indents: tuple[str, ...] = ()) -> "_Shifted | None":
    """``module_positions`` for the nodes of one statement, from that statement's code generation
    alone; None when it cannot be placed exactly (then use an enclosing statement or the module).

    A statement in a block is generated, within the module's code, with the indentation of the
    blocks around it (``indents``) and nothing else carried over, so generating it alone with the
    same indentation gives the same text and the same ranges, shifted by the line it starts on.
    That line is where its code occurs in the text, which must be exactly once and at a line start;
    carriage returns are left to the whole-module pass."""
    from libcst.metadata import PositionProvider
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    if "\r" in text:
        return None
    provider = PositionProvider()
    state = PositionProvidingCodegenState(default_indent=module.default_indent, default_newline=module.default_newline, provider=provider)
    state.indent_tokens = list(indents)
    statement._codegen(state)
    code = "".join(state.tokens)
    offset = text.find(code) if code else -1
    if offset < 0 or text.find(code, offset + 1) >= 0 or (offset > 0 and text[offset - 1] != "\n"):
        return None
    return _Shifted(provider._computed, text.count("\n", 0, offset))


class _Shifted:
    """Ranges of a statement generated alone, moved down by ``shift`` lines only when looked up
    (a statement has hundreds of nodes; one or two are ever asked for)."""

    __slots__ = ("ranges", "shift")

    def __init__(self, ranges: Mapping[cst.CSTNode, Any], shift: int) -> None:
        self.ranges, self.shift = ranges, shift

    def get(self, node: cst.CSTNode) -> Any:
        found = self.ranges.get(node)
        if found is None or not self.shift:
            return found
        from libcst.metadata import CodePosition, CodeRange

        return CodeRange(CodePosition(found.start.line + self.shift, found.start.column), CodePosition(found.end.line + self.shift, found.end.column))


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module`` without re-validating each node the parser builds.

    Every libcst node validates itself on construction (``CSTNode.__post_init__`` calls
    ``_validate``); for a tree the parser has just built from accepted syntax that only repeats what
    the grammar guaranteed (libcst's own comment there: "PERF: ... avoid validating the tree when
    parsing a file"), and it costs 15-20% of the parse. Validation is switched off for the parse
    alone, on this thread's call, and always restored; nodes the rules build later still validate.
    ``tests/checker/test_positions.py`` checks the trees are identical to libcst's.
    """
    base = cst.CSTNode
    validate = base.__dict__.get("__post_init__")
    if validate is None:  # a libcst without the hook: nothing to skip
        return cst.parse_module(source)
    base.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        base.__post_init__ = validate  # type: ignore[method-assign]


def _no_validation(self: cst.CSTNode) -> None:
    return None


def module_positions(module: cst.Module) -> Mapping[cst.CSTNode, Any]:
    """libcst's syntactic ``PositionProvider`` ranges for every node of ``module``.

    This is the provider's own code-generation pass, run directly: ``MetadataWrapper.resolve`` would
    also run an empty batched visit of the whole module (its resolver always visits for the batchable
    providers, even when there are none), which rebuilds every node and costs as much as the
    code generation itself. ``tests/checker/test_positions.py`` checks that both give the same ranges.
    """
    from libcst.metadata import PositionProvider
    from libcst.metadata.position_provider import PositionProvidingCodegenState

    provider = PositionProvider()
    state = PositionProvidingCodegenState(default_indent=module.default_indent, default_newline=module.default_newline, provider=provider)
    module._codegen(state)
    return provider._computed


class PythonRule(Rule, cst.BatchableCSTVisitor):
    """A batchable libcst visitor. Subclasses implement ``visit_*``/``leave_*`` methods.

    One instance is created per file. Keep every ``visit_*`` cheap and return early: a batched
    visitor cannot prune subtrees. Declare libcst metadata in ``METADATA_DEPENDENCIES`` only when
    needed (positions are free: the engine resolves them for reported nodes only). Prefer the shared
    import/binding tables in ``rules._analysis`` over ``QualifiedNameProvider``/``ScopeProvider``.
    """

    kinds = PYTHON_KINDS
    METADATA_DEPENDENCIES: ClassVar[tuple[Any, ...]] = ()

    def __init__(self, ctx: FileContext) -> None:
        cst.BatchableCSTVisitor.__init__(self)
        self.ctx = ctx

    @classmethod
    def _visitor_names(cls) -> tuple[str, ...]:
        """Names of the visit_/leave_ methods this class really implements (cached per class).

        libcst's own ``get_visitors`` collects them with ``inspect.getmembers`` on every instance
        (every file), and includes the hundreds of inherited no-op methods, which the batched
        traversal then calls for every node. Only overridden methods do anything, so dispatching to
        those alone is equivalent and much cheaper.
        """
        cached = cls.__dict__.get("_visitor_names_cache")
        if cached is None:
            names = []
            for name in dir(cls):
                if not (name.startswith("visit_") or name.startswith("leave_")):
                    continue
                if getattr(cls, name, None) is getattr(cst.BatchableCSTVisitor, name, None):
                    continue  # an inherited no-op
                names.append(name)
            cached = tuple(names)
            setattr(cls, "_visitor_names_cache", cached)
        return cached

    def get_visitors(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self)._visitor_names()}

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secrets: Iterable[str] = (),
        fix: Fix | None = None,
        properties: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.ctx.report_node(
            type(self), node, message, severity=severity, confidence=confidence, secrets=secrets, fix=fix, properties=properties
        )

    def emit_fact(self, kind: str, node: cst.CSTNode, data: Mapping[str, Any]) -> None:
        """Record a fact for project rules; its position is resolved like a report's."""
        self.ctx.emit_fact_node(type(self), kind, node, data)
