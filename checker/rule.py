"""Rule base classes and the contexts rules report through.

Four kinds of rule, by what they read:

* ``PythonRule`` (in ``checker.pyrule``, which imports libcst) — a ``BatchableCSTVisitor``; the engine
  parses a file once and runs every active Python rule in one ``visit_batched`` pass. Report nodes
  with ``self.report(node, ...)``; positions are resolved only for files where something was reported.
* ``ConfigRule`` — gets a parsed ``Document`` (dotenv, YAML, JSON, TOML, INI, Dockerfile, HCL).
* ``TextRule`` — gets the raw text and lines of any text file.
* ``ProjectRule`` — runs once after all files, over the ``Fact``s file rules emitted.

A rule module defines one class. Its docstring is its documentation (Markdown with the headings
*What it does*, *Why is this bad?*, *Example*, *Use instead*, *References*), and its ``valid`` and
``invalid`` examples are run by the test suite and shown by ``credlint explain``.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Iterator, Mapping

from checker.model import (
    Confidence,
    Document,
    Example,
    Fact,
    Fix,
    Note,
    RotationEntry,
    RuleMeta,
    Settings,
    Severity,
)
from checker.triggers import TriggerPattern

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# libcst's traversal recurses once per nesting level; Python 3.11+ does not use C stack for
# Python-to-Python calls, so a higher limit is safe and lets real files with long concatenation
# chains be analysed instead of abandoned.
_RECURSION_LIMIT = 8000


@contextlib.contextmanager
def deeper_recursion() -> Iterator[None]:
    previous = sys.getrecursionlimit()
    if previous >= _RECURSION_LIMIT or sys.version_info < (3, 11):
        yield
        return
    sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def lowered_pattern(source: bytes) -> TriggerPattern:
    """A case-insensitive bytes regex, compiled for searching *lowered* bytes (``.hit(lowered)``).

    Python's ``re`` is three to eight times slower with ``IGNORECASE`` on these word alternations
    (the prefilter cost more than parsing on the standard library). Searching ``data.lower()``
    with a case-sensitive pattern gives the same answer whenever the pattern has no upper-case
    letter of its own (escapes aside); otherwise ``IGNORECASE`` is kept, which matches lowered
    bytes exactly as it matches the original ones (bytes case folding is ASCII-only either way).
    The search itself runs on RE2 where it can (``checker.triggers``).
    """
    has_upper = re.search(rb"[A-Z]", re.sub(rb"\\.", b"", source)) is not None
    return TriggerPattern(source, re.IGNORECASE if has_upper else 0)


PYTHON_KINDS = ("python",)
CONFIG_KINDS = ("dotenv", "yaml", "json", "toml", "ini", "dockerfile", "hcl")
ANY_TEXT = ("*",)


@dataclass
class RawReport:
    """A finding before the engine turns it into a ``Finding`` (position, snippet, fingerprint)."""

    rule: type["Rule"]
    message: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    node: Any = None  # libcst node whose position is resolved lazily
    severity: Severity | None = None
    confidence: Confidence | None = None
    secrets: tuple[str, ...] = ()
    fix: Fix | None = None
    properties: tuple[tuple[str, str], ...] = ()


@dataclass
class FileContext:
    """Everything a file rule may know about the file under analysis.

    ``memo`` lets shared analyses (import tables, taint summaries) be computed once per file and
    reused by every rule: ``ctx.memoized("imports", build)``. A memoised object with a
    ``release()`` method gets it called when the file is done (to break its reference cycles).
    """

    path: str
    kind: str
    text: str
    settings: Settings
    is_test: bool = False
    module: Any = None  # libcst.Module for Python files
    reports: list[RawReport] = field(default_factory=list)
    facts: list[tuple[type["Rule"], str, Any, int, int, Mapping[str, Any]]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            # Only \n, \r\n and \r end a line (as in editors and libcst); str.splitlines would also
            # split at form feeds and other separators and shift every line number after them.
            self._lines = _LINE_BREAK.split(self.text)
            if self._lines and self._lines[-1] == "":
                self._lines.pop()
        return self._lines

    def node_positions(self) -> Mapping[Any, Any]:
        """Positions (libcst ``CodeRange``) of every node of the parsed module, computed once per
        file and only when something needs one; empty when the module is missing or too deep."""
        if "positions" not in self.memo:
            positions: Mapping[Any, Any] = {}
            if self.module is not None:
                from checker.pyrule import module_positions

                try:
                    with deeper_recursion():
                        positions = module_positions(self.module)
                except RecursionError:
                    self.note("analysis", "expression nested too deeply to compute exact columns; lines are approximate")
            self.memo["positions"] = positions
        return self.memo["positions"]  # type: ignore[no-any-return]

    def node_range(self, node: Any) -> Any:
        """The position (libcst ``CodeRange``) of one node, as ``node_positions()`` would give it.

        Whole-module positions cost a code generation of the entire file; a node the batched walk
        visited is placed by generating only its innermost statement (with that statement's
        indentation), or an enclosing one when the innermost one's code is not unique in the file
        (see ``checker.pyrule.statement_ranges``). Anything else falls back to the whole module."""
        if "positions" in self.memo or self.module is None:
            return self.node_positions().get(node)
        statement_of = self.memo.get("statement_of")
        if statement_of is None:
            # No batched walk ran (a file parsed for a project rule's facts only): index the
            # statements now, which costs a small part of a whole-module code generation.
            statement_of = self.memo["statement_of"] = {}
            index = self.memo.get("index_statements")
            if index is not None:
                with deeper_recursion():
                    index(statement_of)
        where = statement_of.get(id(node))
        ranges = self.memo.setdefault("statement_ranges", {})
        while where is not None:
            statement, indents, outer = where
            if id(statement) not in ranges:
                from checker.pyrule import statement_ranges

                try:
                    with deeper_recursion():
                        ranges[id(statement)] = statement_ranges(self.module, self.text, statement, indents)
                except RecursionError:
                    ranges[id(statement)] = None
            found = ranges[id(statement)].get(node) if ranges[id(statement)] is not None else None
            if found is not None:
                return found
            where = outer
        return self.node_positions().get(node)

    def memoized(self, key: str, factory: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = factory()
        return self.memo[key]

    def report_at(
        self,
        rule: type["Rule"],
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secrets: Iterable[str] = (),
        fix: Fix | None = None,
        properties: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Report at an explicit 1-based line and column (config and text rules)."""
        self.reports.append(
            RawReport(
                rule=rule,
                message=message,
                line=line,
                column=column,
                end_line=end_line or line,
                end_column=end_column if end_column is not None else column,
                severity=severity,
                confidence=confidence,
                secrets=tuple(s for s in secrets if s),
                fix=fix,
                properties=tuple(properties),
            )
        )

    def report_node(
        self,
        rule: type["Rule"],
        node: Any,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        secrets: Iterable[str] = (),
        fix: Fix | None = None,
        properties: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Report a libcst node; its position is resolved after the batched pass."""
        self.reports.append(
            RawReport(
                rule=rule,
                message=message,
                node=node,
                severity=severity,
                confidence=confidence,
                secrets=tuple(s for s in secrets if s),
                fix=fix,
                properties=tuple(properties),
            )
        )

    def emit_fact(self, rule: type["Rule"], kind: str, line: int, column: int, data: Mapping[str, Any]) -> None:
        self.facts.append((rule, kind, None, line, column, dict(data)))

    def emit_fact_node(self, rule: type["Rule"], kind: str, node: Any, data: Mapping[str, Any]) -> None:
        self.facts.append((rule, kind, node, 0, 0, dict(data)))

    def note(self, kind: str, message: str, line: int | None = None, rule: str | None = None) -> None:
        self.notes.append(Note(path=self.path, kind=kind, message=message, line=line, rule=rule))


class Rule:
    """Base of every rule: metadata, documentation and examples."""

    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.MEDIUM
    confidence: ClassVar[Confidence] = Confidence.HIGH
    summary: ClassVar[str] = ""
    cwe: ClassVar[tuple[str, ...]] = ()
    references: ClassVar[tuple[str, ...]] = ()
    since: ClassVar[str] = "0.1.0"
    # File kinds the rule reads: "python", a config kind, "text" (non-config text files), or "*".
    kinds: ClassVar[tuple[str, ...]] = ()
    # Case-insensitive words of which a file must contain at least one for the rule to run on it.
    # They must over-approximate what the rule can find (a test checks every example). Empty: always.
    triggers: ClassVar[tuple[str, ...]] = ()
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()

    # Further any-of word groups that must ALL match too (e.g. a source word AND a sink word):
    # the file must contain one of ``triggers`` and one word of every group here. A group may also
    # be a bytes regex (matched case-insensitively).
    trigger_groups: ClassVar[tuple[tuple[str, ...] | bytes, ...]] = ()
    trigger_regex: ClassVar[bytes | None] = None

    _trigger_re: ClassVar[TriggerPattern | None] = None
    _trigger_group_res: ClassVar[tuple[TriggerPattern, ...] | None] = None

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def meta(cls) -> RuleMeta:
        return RuleMeta(
            id=cls.id,
            name=cls.name,
            family=cls.family,
            severity=cls.severity,
            summary=cls.summary,
            docs=cls.docs(),
            cwe=cls.cwe,
            references=cls.references,
            kinds=cls.kinds,
            since=cls.since,
            valid=cls.valid,
            invalid=cls.invalid,
        )

    @classmethod
    def trigger_pattern(cls) -> TriggerPattern | None:
        """One compiled bytes regex per rule class (None: the rule always runs), to be searched in
        the file's bytes lowered (``triggered_by``).

        ``trigger_regex`` (a bytes regex, matched case-insensitively) replaces the word list when a
        rule needs more precision than "the file mentions one of these words", e.g. "a credential
        word followed by a string literal".
        """
        if not cls.triggers and not cls.trigger_regex:
            return None
        if cls.__dict__.get("_trigger_re") is None:
            source = cls.trigger_regex or b"|".join(re.escape(t.lower().encode()) for t in cls.triggers)
            cls._trigger_re = lowered_pattern(source)
        return cls._trigger_re

    @classmethod
    def trigger_group_patterns(cls) -> tuple[TriggerPattern, ...]:
        if cls.__dict__.get("_trigger_group_res") is None:
            cls._trigger_group_res = tuple(
                lowered_pattern(group if isinstance(group, bytes) else b"|".join(re.escape(t.lower().encode()) for t in group))
                for group in cls.trigger_groups
                if group
            )
        return cls._trigger_group_res or ()

    @classmethod
    def triggered_by(cls, data: bytes, lowered: bytes | None = None) -> bool:
        """The cheap bytes prefilter: may this rule find anything in a file with these bytes?
        ``lowered`` is ``data.lower()`` when the caller has it already (one per file, not per rule)."""
        low = data.lower() if lowered is None else lowered
        pattern = cls.trigger_pattern()
        if pattern is not None and not pattern.hit(low):
            return False
        return all(group.hit(low) for group in cls.trigger_group_patterns())

    @classmethod
    def reads(cls, kind: str) -> bool:
        if "*" in cls.kinds:
            return True
        return kind in cls.kinds


class ConfigRule(Rule):
    """Reads one parsed config ``Document``; reports with ``ctx.report_at(type(self), line, col, msg)``."""

    kinds = CONFIG_KINDS

    def check(self, doc: Document, ctx: FileContext) -> None:
        raise NotImplementedError


class TextRule(Rule):
    """Reads the raw lines of any text file (``kinds`` narrows it)."""

    kinds = ANY_TEXT

    def check(self, ctx: FileContext) -> None:
        raise NotImplementedError


@dataclass
class ProjectContext:
    """What a project rule sees: every fact, the project settings, the clock and git.

    ``git`` is a ``checker.gitinfo.GitRepo`` (or None when the root is not in a usable repository);
    rules call its methods but never import the engine.
    """

    root: str
    settings: Settings
    now: Any  # datetime.date
    facts: tuple[Fact, ...]
    files: tuple[str, ...]
    git: Any = None
    verbose: Callable[[str], None] = lambda _msg: None
    reports: list[tuple[type[Rule], str, RawReport]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rotation: list[RotationEntry] = field(default_factory=list)
    evaluated: set[str] = field(default_factory=set)

    def facts_of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    def report_at(
        self,
        rule: type[Rule],
        path: str,
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        snippet: str | None = None,
        secrets: Iterable[str] = (),
        fix: Fix | None = None,
        properties: Iterable[tuple[str, str]] = (),
    ) -> None:
        raw = RawReport(
            rule=rule,
            message=message,
            line=line,
            column=column,
            end_line=end_line or line,
            end_column=end_column if end_column is not None else column,
            severity=severity,
            confidence=confidence,
            secrets=tuple(s for s in secrets if s),
            fix=fix,
            properties=tuple(properties) + ((("snippet", snippet),) if snippet is not None else ()),
        )
        self.reports.append((rule, path, raw))

    def note(self, kind: str, message: str, path: str = "", line: int | None = None, rule: str | None = None) -> None:
        self.notes.append(Note(path=path, kind=kind, message=message, line=line, rule=rule))


class ProjectRule(Rule):
    """Runs once per scan over the facts file rules emitted (``kinds`` is empty)."""

    kinds = ()

    def check(self, project: ProjectContext) -> None:
        raise NotImplementedError
