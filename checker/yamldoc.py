"""YAML documents for ``checker.documents`` (kept apart so that scans without YAML files never
import PyYAML: ``parse_document`` imports this module on the first YAML file).

Entries come from composed nodes (with marks), ``data`` from a safe constructor; libyaml's event
parser is used when available, and our own composer keeps anchors, aliases and depth bounded.
"""

from __future__ import annotations

import re
import types
from typing import Any

import yaml

from checker.documents import MAX_DEPTH, _MAX_YAML_NODES, Document, Entry, _document, _LimitReached, _Sink

_YAML_MERGE = "tag:yaml.org,2002:merge"
_LIST_ENV_KEYS = frozenset({"environment", "env", "variables"})  # compose/CI "- KEY=VALUE" lists
_NAME_VALUE_ENV_KEYS = frozenset({"env", "environment"})  # k8s / ECS "- name: X\n  value: Y" lists
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


def _tagged_text(node: yaml.ScalarNode) -> str:
    """Text of a scalar whose tag we do not construct.

    Local tags (CloudFormation ``!Ref X``, ``!Sub ...``) keep the tag in the value so rules can see the
    value is a reference, not a literal; other unknown tags (``!!python/...``) give the bare text.
    """
    if node.tag.startswith("!") and node.tag != "!":
        return f"{node.tag} {node.value}".rstrip()
    return node.value


class _YamlBuilder(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """SafeLoader's resolver and constructor without its reader/parser (we compose nodes ourselves).

    Tolerates any tag: nothing is imported or executed, unknown tags become plain data.
    """

    def __init__(self) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Fall back to the scalar's text when a known tag rejects it (``!!int abc``, bad dates)."""
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            if not isinstance(node, yaml.ScalarNode):
                raise
            self.recursive_objects.pop(node, None)
            return _tagged_text(node) if node.tag.startswith("!") else node.value


def _construct_unknown(loader: _YamlBuilder, node: yaml.Node) -> Any:
    """Constructor for tags SafeLoader does not know: plain value, tag text kept for local scalars."""
    if isinstance(node, yaml.ScalarNode):
        return _tagged_text(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_YamlBuilder.add_constructor(None, _construct_unknown)


def _yaml_scalar(loader: _YamlBuilder, node: yaml.ScalarNode) -> Any:
    """Python value of one scalar with SafeLoader semantics (``true`` -> True, ``'3'`` stays a str)."""
    constructor = loader.yaml_constructors.get(node.tag)
    if constructor is None or constructor is _construct_unknown:
        return _tagged_text(node)
    try:
        value = constructor(loader, node)
    except Exception:  # noqa: BLE001 - a bad scalar is still text the rules may want to see
        return node.value
    return node.value if isinstance(value, types.GeneratorType) else value


_YAML_QUOTED_PART = re.compile(r"'[^']{3,}'")  # longer than one (escaped) character such as '\\t'


def _yaml_error(exc: BaseException) -> str:
    """PyYAML's problem text and position, never its snippet (which would quote the file)."""
    if isinstance(exc, yaml.reader.ReaderError):
        return f"YAML parse error: {exc.reason}"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or type(exc).__name__
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = _YAML_QUOTED_PART.sub("'…'", str(problem))  # alias/tag names come from the file
    return f"YAML parse error{where}: {problem[:120]}"


class _YamlWalker:
    """Turns composed YAML nodes into entries, expanding aliases under the caps of this module."""

    def __init__(self, loader: _YamlBuilder, sink: _Sink) -> None:
        self.loader = loader
        self.sink = sink
        self.visits = 0
        self.active: set[int] = set()  # collection nodes on the current path: detects recursive aliases

    def _scalar_entry(self, node: yaml.ScalarNode, path: tuple[str, ...]) -> None:
        start, end = node.start_mark, node.end_mark
        quoted = node.style in ("'", '"')
        value = _yaml_scalar(self.loader, node)
        self.sink.add(Entry(path, value, start.line + 1, start.column + 1, end.line + 1, end.column + 1, quoted))

    def walk(self, node: yaml.Node, path: tuple[str, ...]) -> None:
        self.visits += 1
        if self.visits > _MAX_YAML_NODES:
            raise _LimitReached(f"more than {_MAX_YAML_NODES} nodes after alias expansion")
        if len(path) > MAX_DEPTH:
            raise _LimitReached(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            self._scalar_entry(node, path)
            return
        if id(node) in self.active:
            raise _LimitReached("recursive alias (a node that contains itself)")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self._sequence(node, path)
            else:
                self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: tuple[str, ...]) -> None:
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_MERGE:
                self._merge(value_node, path)
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            self.walk(value_node, path + (str(key),))

    def _merge(self, node: yaml.Node, path: tuple[str, ...]) -> None:
        """``<<: *base`` puts the base's keys at this path (not under a ``<<`` key)."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if isinstance(source, yaml.MappingNode):
                if id(source) in self.active:
                    raise _LimitReached("recursive alias (a node that contains itself)")
                self.active.add(id(source))
                try:
                    self._mapping(source, path)
                finally:
                    self.active.discard(id(source))

    def _sequence(self, node: yaml.SequenceNode, path: tuple[str, ...]) -> None:
        parent = path[-1] if path else ""
        list_env = parent in _LIST_ENV_KEYS or (parent == "args" and len(path) > 1 and path[-2] == "build")
        for i, item in enumerate(node.value):
            if list_env and isinstance(item, yaml.ScalarNode) and self._list_env_item(item, path):
                continue
            self.walk(item, path + (str(i),))
            if parent in _NAME_VALUE_ENV_KEYS and isinstance(item, yaml.MappingNode):
                self._name_value_item(item, path)

    def _list_env_item(self, node: yaml.ScalarNode, path: tuple[str, ...]) -> bool:
        """docker-compose ``- KEY=VALUE``: one entry keyed by KEY, located at VALUE. False if not that form."""
        key, sep, value = node.value.partition("=")
        if not sep or not _ENV_NAME.match(key) or node.tag != "tag:yaml.org,2002:str":
            return False
        start = node.start_mark
        shift = len(key) + 1 + (1 if node.style in ("'", '"') else 0)
        end = node.end_mark
        self.sink.add(
            Entry(path + (key,), value, start.line + 1, start.column + 1 + shift, end.line + 1, end.column + 1,
                  node.style in ("'", '"'))
        )
        return True

    def _name_value_item(self, node: yaml.MappingNode, path: tuple[str, ...]) -> None:
        """Kubernetes/ECS ``- name: X`` / ``value: Y``: an extra entry ``(..., "env", X)`` at Y."""
        fields = {
            k.value.lower(): v for k, v in node.value if isinstance(k, yaml.ScalarNode) and isinstance(k.value, str)
        }
        name, value = fields.get("name"), fields.get("value")
        if isinstance(name, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode) and name.value:
            self._scalar_entry(value, path + (name.value,))


def _yaml_parser(text: str) -> Any:
    """An event source: libyaml's parser when available (much faster), else PyYAML's. Both parsers are
    state machines with explicit stacks, so they are safe on deep input; libyaml's *composer* is not
    (it recurses in C and crashes the process on ``[[[[...``), which is why we compose ourselves."""
    if getattr(yaml, "__with_libyaml__", False):
        if not text.isascii():
            # libyaml reads UTF-8: lone surrogates (undecodable bytes) become "?" (same length, same columns)
            text = text.encode("utf-8", "replace").decode("utf-8")
        return yaml.cyaml.CParser(text)
    return _PyParser(text)


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_NO_KEY = object()


class _YamlComposer:
    """Builds PyYAML nodes from parser events without recursion; stops beyond ``MAX_DEPTH`` levels.

    Same nodes as ``yaml.compose_all`` (tags resolved by SafeLoader's resolver, aliases share nodes).
    """

    def __init__(self, builder: _YamlBuilder) -> None:
        self.builder = builder
        self.documents: list[yaml.Node] = []
        self.stack: list[list[Any]] = []  # [collection node, pending mapping key]
        self.anchors: dict[str, yaml.Node] = {}
        self.root: yaml.Node | None = None

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent)):
            return
        if isinstance(event, yaml.DocumentStartEvent):
            self.anchors, self.root = {}, None
        elif isinstance(event, yaml.DocumentEndEvent):
            self.finish()
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.stack.pop()[0].end_mark = event.end_mark
        else:
            self.attach(self.node(event), event)

    def node(self, event: yaml.Event) -> yaml.Node:
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
            return self.anchors[event.anchor]
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            if tag is None or tag == "!":
                tag = self.builder.resolve(yaml.ScalarNode, event.value, event.implicit)
            return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
        if tag is None or tag == "!":
            tag = self.builder.resolve(kind, None, event.implicit)
        return kind(tag, [], event.start_mark, None, flow_style=event.flow_style)

    def attach(self, node: yaml.Node, event: yaml.Event) -> None:
        if getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent):
            self.anchors[event.anchor] = node
        if not self.stack:
            self.root = node
        elif isinstance(self.stack[-1][0], yaml.SequenceNode):
            self.stack[-1][0].value.append(node)
        elif self.stack[-1][1] is _NO_KEY:
            self.stack[-1][1] = node
        else:
            self.stack[-1][0].value.append((self.stack[-1][1], node))
            self.stack[-1][1] = _NO_KEY
        if isinstance(event, yaml.CollectionStartEvent):
            if len(self.stack) >= MAX_DEPTH:
                raise _LimitReached(f"nesting deeper than {MAX_DEPTH} levels")
            self.stack.append([node, _NO_KEY])

    def finish(self) -> None:
        """Keep the current document (also a partial one after an error: its entries are still real)."""
        if self.root is not None:
            self.documents.append(self.root)
        self.root, self.stack = None, []


def _compose_yaml(text: str, builder: _YamlBuilder, errors: list[str]) -> list[yaml.Node]:
    composer = _YamlComposer(builder)
    parser = None
    try:
        parser = _yaml_parser(text)
        while parser.check_event():
            composer.feed(parser.get_event())
    except yaml.YAMLError as exc:
        errors.append(_yaml_error(exc))
    except _LimitReached as exc:
        errors.append(f"YAML document too large or too deep: {exc}")
    finally:
        composer.finish()
        if parser is not None:
            parser.dispose()
    return composer.documents


def parse_yaml(text: str, path: str) -> Document:
    """All documents of a stream; entries from composed nodes (with marks), data built by a safe constructor."""
    sink, errors, builder = _Sink(), [], _YamlBuilder()
    nodes = _compose_yaml(text, builder, errors)
    try:
        walker = _YamlWalker(builder, sink)
        for node in nodes:
            walker.walk(node, ())
    except _LimitReached as exc:
        errors.append(f"YAML document too large or too deep: {exc}")
    data = None if errors else _yaml_data(builder, nodes, errors)
    return _document("yaml", sink, data, errors)


def _yaml_data(builder: _YamlBuilder, nodes: list[yaml.Node], errors: list[str]) -> list[Any] | None:
    """Plain python documents (only called once the walk proved the stream is within the caps)."""
    try:
        return [builder.construct_document(node) for node in nodes]
    except yaml.YAMLError as exc:
        errors.append(_yaml_error(exc))
    except (ValueError, TypeError, RecursionError) as exc:
        errors.append(f"YAML value could not be built ({type(exc).__name__})")
    return None
