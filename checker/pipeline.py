"""The per-file pipeline: bytes -> kind -> prefilter -> one parse -> one batched pass -> FileResult.

This module runs inside worker processes, so it takes only picklable inputs and returns an
immutable ``FileResult``. It never imports or executes anything from the scanned tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import signal
import threading
from typing import Any, Iterable, Iterator

from checker.collector import paused_for_one_file
from checker.filekinds import classify, is_binary, is_test_path
from checker.model import Fact, FileResult, Finding, Note, Settings, Severity
from checker.redact import redact_line, secret_hash
from checker.rule import CONFIG_KINDS, ConfigRule, FileContext, RawReport, Rule, TextRule, deeper_recursion, lowered_pattern
from checker.triggers import TriggerPattern

_BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str | None:
    """UTF-8 text (BOM stripped), or None when the bytes are not UTF-8."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class FileTimeout(BaseException):
    """Raised by the per-file time budget; a BaseException so that no rule's ``except Exception``
    can swallow it."""


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Abandon a pathological file after ``seconds`` of CPU time (a virtual timer, so a busy machine
    does not make results depend on load; POSIX main thread only)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise FileTimeout()

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def analyze_bytes(
    path: str,
    data: bytes,
    settings: Settings,
    rules: tuple[type[Rule], ...],
) -> FileResult:
    """Analyse one file's bytes with the given rules. Never raises for any input; a file that
    exceeds the per-file time budget is abandoned with a ``timeout`` note."""
    try:
        with time_budget(settings.time_budget_seconds), paused_for_one_file():
            return _analyze(path, data, settings, rules)
    except FileTimeout:
        message = f"analysis abandoned after {settings.time_budget_seconds:g} s of CPU time (per-file budget); file not scanned"
        return FileResult(path=path, kind=classify(path, data[:256]), notes=(Note(path=path, kind="timeout", message=message),), skipped=True)
    except RecursionError:
        return FileResult(path=path, kind=classify(path, data[:256]), notes=(Note(path=path, kind="analysis", message="input nested too deeply to analyse; file not scanned"),), skipped=True)


def _analyze(path: str, data: bytes, settings: Settings, rules: tuple[type[Rule], ...]) -> FileResult:
    if len(data) > settings.max_file_size:
        return _skipped(path, "skipped-large", f"file is larger than {settings.max_file_size} bytes; not scanned")
    if is_binary(data):
        return _skipped(path, "skipped-binary", "binary file; not scanned")
    text = decode(data)
    if text is None:
        return _skipped(path, "skipped-encoding", "file is not valid UTF-8; not scanned")
    kind = classify(path, data[:256])
    ctx = FileContext(path=path, kind=kind, text=text, settings=settings, is_test=is_test_path(path))
    lowered = data.lower()  # the trigger patterns search lowered bytes (see rule.lowered_pattern)
    active = [r for r in rules if r.reads(kind) and r.triggered_by(data, lowered)]
    parsed = False
    wrapper = None
    if kind == "python":
        python_rules = [r for r in active if _is_python_rule(r)]
        if python_rules:
            wrapper = _run_python_rules(ctx, python_rules)
            parsed = wrapper is not None
    if kind in CONFIG_KINDS:
        config_rules = [r for r in active if issubclass(r, ConfigRule) or (_is_python_rule(r) and hasattr(r, "check"))]
        if config_rules:
            _run_config_rules(ctx, config_rules)
    if kind != "python":
        # Python rules that also read dependency files or other text (e.g. version pins).
        for rule in (r for r in active if _is_python_rule(r) and hasattr(r, "check_text")):
            _guarded(ctx, rule, lambda rule=rule: rule(ctx).check_text(ctx))  # type: ignore[call-arg, attr-defined]
    for rule in (r for r in active if issubclass(r, TextRule)):
        _guarded(ctx, rule, lambda rule=rule: rule().check(ctx))
    _extract_project_facts(ctx, rules, lowered)
    findings = _build_findings(ctx, wrapper)
    facts = _build_facts(ctx, wrapper)
    from checker.suppress import parse_inline

    result = FileResult(
        path=path,
        kind=kind,
        findings=findings,
        facts=facts,
        notes=tuple(ctx.notes),
        suppressions=parse_inline(ctx.lines, kind),
        parsed=parsed,
        lines=len(ctx.lines),
        families=tuple(sorted({r.family for r in active})),
    )
    _release(ctx)
    return result


def _release(ctx: FileContext) -> None:
    """Drop the file's syntax tree and analyses now. Rule instances and analyses refer to each
    other through the context, a reference cycle that would keep the whole tree alive until the
    cyclic garbage collector gets to it (and makes every collection until then walk it)."""
    for value in ctx.memo.values():
        release = getattr(value, "release", None)
        if callable(release):
            release()  # analyses whose own objects refer to each other (checker.rule.FileContext.memo)
    ctx.memo.clear()
    ctx.reports.clear()
    ctx.facts.clear()
    ctx.module = None


def _is_python_rule(rule: type[Rule]) -> bool:
    return "python" in rule.kinds and not issubclass(rule, (ConfigRule, TextRule))


def _skipped(path: str, kind: str, message: str) -> FileResult:
    return FileResult(path=path, kind="skipped", notes=(Note(path=path, kind=kind, message=message),), skipped=True)


def _guarded(ctx: FileContext, rule: type[Rule], run: Any) -> None:
    """Run one rule; an exception becomes a note naming the rule, and other rules keep their findings."""
    before = len(ctx.reports)
    try:
        run()
    except RecursionError:
        del ctx.reports[before:]
        ctx.note("rule-error", f"{rule.id} gave up: input nested too deeply", rule=rule.id)
    except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the scan
        del ctx.reports[before:]
        ctx.note("rule-error", f"{rule.id} failed on this file ({type(exc).__name__}); other rules still ran", rule=rule.id)


def _run_python_rules(ctx: FileContext, rules: list[type[Rule]]) -> Any:
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    from checker.pyrule import parse_module

    reason = too_complex(ctx.text)
    if reason:
        # libcst's native parser cannot be interrupted by the time budget, and these shapes make it
        # (and every tree walk after it) crawl; real code never looks like this.
        ctx.note("analysis", f"Python source {reason}; syntax-tree rules skipped, text rules only")
        ctx.memo["unparsable"] = True
        return None
    try:
        module = parse_module(ctx.text)
    except cst.ParserSyntaxError as exc:
        ctx.note("parse-error", f"Python syntax error at line {exc.raw_line}, column {exc.raw_column}; text rules only", line=exc.raw_line)
        ctx.memo["unparsable"] = True
        return None
    except RecursionError:
        ctx.note("parse-error", "Python source nested too deeply to parse; text rules only")
        return None
    except Exception as exc:  # noqa: BLE001 - parser bugs must not stop the scan
        ctx.note("parse-error", f"Python source could not be parsed ({type(exc).__name__}); text rules only")
        return None
    ctx.module = module
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ctx.memo["wrapper"] = wrapper
    try:
        with deeper_recursion():
            visit_batched(wrapper, [rule(ctx) for rule in rules], ctx.memo.setdefault("statement_of", {}))
    except RecursionError:
        # Either one rule recursed too deeply, or the traversal itself is too deep (thousands of
        # implicitly concatenated strings). Run each rule alone to tell them apart.
        ctx.reports.clear()
        ctx.facts.clear()
        before = len(ctx.notes)
        with deeper_recursion():
            for rule in rules:
                _guarded(ctx, rule, lambda rule=rule: visit_batched(wrapper, [rule(ctx)]))
        failed = ctx.notes[before:]
        if len(failed) == len(rules) and len(rules) > 1:
            del ctx.notes[before:]
            ctx.note("analysis", "Python source nested too deeply for the syntax-tree rules; text rules only")
            return None
    except Exception:  # noqa: BLE001 - find the rule that broke by running each alone
        ctx.reports.clear()
        ctx.facts.clear()
        for rule in rules:
            _guarded(ctx, rule, lambda rule=rule: visit_batched(wrapper, [rule(ctx)]))
    return wrapper


# Fields that hold only whitespace, comments and punctuation: no rule visits those node types, and
# skipping them is most of the speed-up of the read-only walk below.
_TRIVIA_FIELDS = frozenset({"leading_lines", "lines_after_decorators", "header", "footer", "lpar", "rpar", "comma", "semicolon", "trailing_whitespace"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        import dataclasses

        names = tuple(f.name for f in dataclasses.fields(cls) if f.name not in _TRIVIA_FIELDS and not f.name.startswith("whitespace"))
        _CHILD_FIELDS[cls] = names
    return names


_NODE, _SEQUENCE, _OTHER = 1, 2, 3
_VALUE_KINDS: dict[type, int] = {}


def _value_kind(cls: type) -> int:
    import libcst as cst

    kind = _NODE if issubclass(cls, cst.CSTNode) else _SEQUENCE if issubclass(cls, (tuple, list)) else _OTHER
    _VALUE_KINDS[cls] = kind
    return kind


def visit_batched(wrapper: Any, visitors: list[Any], statement_of: dict[int, Any] | None = None) -> None:
    """Run batchable visitors over the module in one read-only walk.

    libcst's own traversal rebuilds every node of the tree even for read-only visitors (its source
    says "TODO: provide traversal where children are not replaced") and calls visitors for every
    whitespace and punctuation node; this walk only reads, in field order, and skips trivia, which is
    about eight times faster. Visitors that declare libcst metadata, or use attribute visitors
    (``visit_Call_func``), get libcst's traversal. ``statement_of`` (when given) receives, by ``id``
    of each visited node, where it sits: ``(innermost statement, indentation of that statement,
    the same for the enclosing statement)`` (see ``FileContext.node_range``).
    """
    import libcst as cst

    names = [name for v in visitors for name in v.get_visitors()]
    if any(getattr(v, "METADATA_DEPENDENCIES", ()) for v in visitors) or any(name.count("_") > 1 for name in names):
        wrapper.visit_batched(visitors)
        return
    visit: dict[str, list[Any]] = {}
    leave: dict[str, list[Any]] = {}
    for v in visitors:
        for name, fn in v.get_visitors().items():
            kind, _, node_type = name.partition("_")
            (visit if kind == "visit" else leave).setdefault(node_type, []).append(fn)
    holder: dict[int, Any] = statement_of if statement_of is not None else {}
    # What a field value is, by exact type: isinstance against libcst's abstract node class goes
    # through ABCMeta.__instancecheck__, which cost more than the rest of the walk.
    kinds = _VALUE_KINDS

    module = wrapper.module
    block_type = cst.IndentedBlock

    def walk(node: Any, where: Any) -> None:
        holder[id(node)] = where
        node_type = type(node).__name__
        for fn in visit.get(node_type, ()):
            fn(node)
        if type(node) is block_type:
            # statements of a block: each becomes the innermost statement of what it holds
            indents = where[1] + (module.default_indent if node.indent is None else node.indent,)
            for item in node.body:
                walk(item, (item, indents, where))
        else:
            for field_name in _child_fields(type(node)):
                value = getattr(node, field_name)
                kind = kinds.get(type(value)) or _value_kind(type(value))
                if kind == _NODE:
                    walk(value, where)
                elif kind == _SEQUENCE:
                    for item in value:
                        if (kinds.get(type(item)) or _value_kind(type(item))) == _NODE:
                            walk(item, where)
        for fn in leave.get(node_type, ()):
            fn(node)

    for fn in visit.get("Module", ()):
        fn(module)
    for statement in module.body:  # the module's only child field outside trivia
        walk(statement, (statement, (), None))
    for fn in leave.get("Module", ()):
        fn(module)
    # ``walk`` refers to itself through its closure: a reference cycle that would keep the
    # visitors, their context and so the whole tree alive until the garbage collector runs.
    del walk


_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")
MAX_BRACKET_DEPTH = 100
MAX_OPERATORS_PER_LINE = 400


def too_complex(text: str) -> str | None:
    """Why a Python file is too pathological to parse (None for any real code)."""
    depth = 0
    for ch in _NOT_BRACKETS.sub("", text):
        if ch in "([{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return f"nests brackets more than {MAX_BRACKET_DEPTH} deep"
        elif depth:
            depth -= 1
    for line in text.split("\n"):
        if len(line) > 2000 and line.count("+") + line.count("*") + line.count("%") > MAX_OPERATORS_PER_LINE:
            return f"has a line with more than {MAX_OPERATORS_PER_LINE} operators"
    return None


def _locate(ctx: FileContext, wrapper: Any, node: Any) -> tuple[int, int, int, int]:
    code_range = ctx.node_range(node) if ctx.module is not None else None
    if code_range is None:
        return _approximate(ctx, node)
    return (code_range.start.line, code_range.start.column + 1, code_range.end.line, code_range.end.column + 1)


def _approximate(ctx: FileContext, node: Any) -> tuple[int, int, int, int]:
    """Fallback when positions could not be computed: find the node's first code line in the text."""
    try:
        code = ctx.module.code_for_node(node).strip().splitlines()[0]
    except Exception:  # noqa: BLE001
        return (1, 1, 1, 1)
    for number, line in enumerate(ctx.lines, start=1):
        col = line.find(code)
        if col >= 0:
            return (number, col + 1, number, col + 1 + len(code))
    return (1, 1, 1, 1)


def _severity(raw: RawReport, ctx: FileContext) -> Severity:
    default = raw.severity if raw.severity is not None else raw.rule.severity
    severity = ctx.settings.severity_for(raw.rule.id, default)
    if ctx.is_test and severity > Severity.INFO:
        severity = severity.lowered()
    return severity


_WS = re.compile(r"\s+")


def fingerprint(rule_id: str, path: str, normalized_code: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{rule_id}\x00{path}\x00{normalized_code}\x00{occurrence}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def normalized_code(line: str, secrets: Iterable[str]) -> str:
    """The offending line with whitespace collapsed and every secret replaced by its hash."""
    text = line
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, "<" + secret_hash(secret)[:16] + ">")
    return _WS.sub(" ", text).strip()


def _build_findings(ctx: FileContext, wrapper: Any) -> tuple[Finding, ...]:
    located: list[tuple[RawReport, tuple[int, int, int, int]]] = []
    for raw in ctx.reports:
        position = _locate(ctx, wrapper, raw.node) if raw.node is not None else (raw.line, raw.column, raw.end_line, raw.end_column)
        located.append((raw, position))
    located = _dedupe(located)
    located.sort(key=lambda item: (item[1][0], item[1][1], item[0].rule.id))
    occurrences: dict[tuple[str, str], int] = {}
    findings: list[Finding] = []
    for raw, (line, column, end_line, end_column) in located:
        source = ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else ""
        code = normalized_code(source, raw.secrets)
        index = occurrences.get((raw.rule.id, code), 0)
        occurrences[(raw.rule.id, code)] = index + 1
        snippet_override = dict(raw.properties).get("snippet")
        findings.append(
            Finding(
                rule=raw.rule.id,
                name=raw.rule.name,
                family=raw.rule.family,
                severity=_severity(raw, ctx),
                path=ctx.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=raw.message,
                snippet=snippet_override if snippet_override is not None else redact_line(source.strip(), raw.secrets, mask_literals=raw.rule.family == "secret"),
                fingerprint=fingerprint(raw.rule.id, ctx.path, code, index),
                confidence=raw.confidence if raw.confidence is not None else raw.rule.confidence,
                fix=raw.fix,
                properties=tuple((k, v) for k, v in raw.properties if k != "snippet"),
            )
        )
    return tuple(findings)


def _dedupe(located: list[tuple[RawReport, tuple[int, int, int, int]]]) -> list[tuple[RawReport, tuple[int, int, int, int]]]:
    """One finding per (rule, position); a known-format finding (OA103) yields to OA101/OA102 on the
    same line and secret, since those name the value's role."""
    seen: set[tuple[str, int, int]] = set()
    role_lines: dict[int, set[str]] = {}
    for raw, pos in located:
        if raw.rule.family == "secret" and raw.rule.id != "OA103":
            role_lines.setdefault(pos[0], set()).update(raw.secrets or ("*",))
    out = []
    for raw, pos in located:
        key = (raw.rule.id, pos[0], pos[1])
        if key in seen:
            continue
        if raw.rule.id == "OA103" and pos[0] in role_lines:
            named = role_lines[pos[0]]
            if "*" in named or not raw.secrets or any(s in n or n in s for s in raw.secrets for n in named):
                continue
        seen.add(key)
        out.append((raw, pos))
    return out


def _build_facts(ctx: FileContext, wrapper: Any) -> tuple[Fact, ...]:
    facts = []
    for rule, kind, node, line, column, data in ctx.facts:
        if node is not None:
            line, column, _el, _ec = _locate(ctx, wrapper, node)
        facts.append(Fact(kind=kind, path=ctx.path, line=line, column=column, data=data, rule=rule.id))
    return tuple(facts)


def _run_config_rules(ctx: FileContext, rules: list[type[Rule]]) -> None:
    from checker.documents import parse_document

    doc = parse_document(ctx.kind, ctx.text, ctx.path)
    for error in doc.errors:
        ctx.note("parse-error", f"{ctx.kind} document could not be fully parsed: {error}")
    ctx.memo["document"] = doc
    for rule in rules:
        _guarded(ctx, rule, lambda rule=rule: _instantiate(rule, ctx).check(doc, ctx))  # type: ignore[attr-defined]


def _instantiate(rule: type[Rule], ctx: FileContext) -> Any:
    """Config rules take no arguments; Python rule classes that also read config take the context."""
    return rule(ctx) if _is_python_rule(rule) else rule()  # type: ignore[call-arg]


def _extract_project_facts(ctx: FileContext, rules: tuple[type[Rule], ...], lowered: bytes) -> None:
    """Project rules with a per-file ``file_facts(ctx)`` pass emit facts on the files they read
    (``lowered``: the file's bytes, lowered for the fact triggers)."""
    from checker.rule import ProjectRule

    for rule in rules:
        if not (issubclass(rule, ProjectRule) and hasattr(rule, "file_facts")):
            continue
        kinds = getattr(rule, "fact_kinds", ("python",))
        if ctx.kind not in kinds:
            continue
        if not _fact_triggered(rule, lowered):
            continue
        if ctx.kind == "python" and ctx.module is None:
            _ensure_parsed(ctx)
            if ctx.module is None:
                continue
        _guarded(ctx, rule, lambda rule=rule: _collect_facts(ctx, rule))


_FACT_TRIGGERS: dict[type, "TriggerPattern | None"] = {}


def _fact_triggered(rule: type[Rule], lowered: bytes) -> bool:
    """``fact_trigger_regex`` (bytes regex) or ``fact_triggers`` (words) of a project rule's file
    pass, searched in the file's lowered bytes."""
    pattern = fact_pattern(rule)
    return pattern is None or pattern.hit(lowered)


def fact_pattern(rule: type[Rule]) -> "TriggerPattern | None":
    """The compiled fact trigger of a project rule (None: its file pass reads every file)."""
    if rule not in _FACT_TRIGGERS:
        regex = getattr(rule, "fact_trigger_regex", None)
        words = getattr(rule, "fact_triggers", ())
        if regex:
            _FACT_TRIGGERS[rule] = lowered_pattern(regex)
        elif words:
            _FACT_TRIGGERS[rule] = lowered_pattern(b"|".join(re.escape(w.lower().encode()) for w in words))
        else:
            _FACT_TRIGGERS[rule] = None
    return _FACT_TRIGGERS[rule]


def _ensure_parsed(ctx: FileContext) -> None:
    from libcst.metadata import MetadataWrapper

    from checker.pyrule import parse_module

    if ctx.memo.get("unparsable") or too_complex(ctx.text):
        return
    try:
        ctx.module = parse_module(ctx.text)
    except Exception:  # noqa: BLE001 - a parse error is noted once, by the Python pass
        ctx.module = None
        ctx.memo["unparsable"] = True
        return
    wrapper = ctx.memo["wrapper"] = MetadataWrapper(ctx.module, unsafe_skip_copy=True)
    ctx.memo["index_statements"] = lambda statement_of: visit_batched(wrapper, [], statement_of)


def _collect_facts(ctx: FileContext, rule: type[Rule]) -> None:
    for item in rule.file_facts(ctx):  # type: ignore[attr-defined]
        kind, node, line, column, payload = item
        if node is not None:
            ctx.emit_fact_node(rule, kind, node, payload)
        else:
            ctx.emit_fact(rule, kind, line, column, payload)
