"""Parse config files once, with line numbers, into ``Document``/``Entry`` values for config rules.

Every config rule (OA102 secret-in-config, OA301 plain-HTTP URLs, OA601 rotation, ...) needs the same
thing: each scalar value of a file, the path of keys leading to it, and where it sits. Parsing once here
keeps the rules small and makes every format report locations the same way.

Conventions (all kinds):

* ``line``/``column`` are 1-based and count characters (a tab is one column). They point at the first
  character of the value *as written in the file*: for a quoted value that is the opening quote, for a
  YAML block scalar the ``|``/``>`` indicator. (A docker-compose ``- KEY=VALUE`` item points at ``VALUE``.)
* ``end_line``/``end_column``, when known, are exclusive: the position just after the value's last
  character (the SARIF convention), so ``end_column - column`` is the token's width on one line.
* ``key_path`` holds strings only; list indexes are ``str(index)``. YAML documents of a stream share key
  paths (the document index is only visible through ``Document.data``, a list of documents).
* ``parse_document`` never raises. Problems end up in ``Document.errors`` as short messages that never
  quote a value from the file (values may be secrets); ``data`` is None whenever there is an error, and
  ``entries`` holds whatever could be recovered before the problem.

``Document.data`` per kind: dotenv ``{KEY: value}``; YAML a list with one python object per document;
JSON ``json.loads``; TOML ``tomllib.loads``; INI ``{section: {key: value}}`` (section ``""`` for keys
before any header); Dockerfile ``{"ENV": {...}, "ARG": {...}}``; HCL a dict shaped like python-hcl2's
(bare strings, other expressions as ``${...}``) with ``__start_line__``/``__end_line__`` in each block
body (see ``hcl_blocks``). For repeated
keys ``data`` keeps the last value while ``entries`` has one entry per occurrence.
"""

from __future__ import annotations

import bisect
import json
import posixpath
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NamedTuple


from checker.model import Document, Entry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "KINDS",
    "MAX_DEPTH",
    "MAX_ENTRIES",
    "HclBlock",
    "classify_config_kind",
    "hcl_blocks",
    "parse_document",
]

KINDS: tuple[str, ...] = ("dotenv", "yaml", "json", "toml", "ini", "dockerfile", "hcl")

# Caps that keep hostile inputs (YAML alias bombs, pathological nesting) from exhausting time or memory.
MAX_ENTRIES = 100_000
MAX_DEPTH = 200
MAX_JSON_DEPTH = 500
_MAX_YAML_NODES = 4 * MAX_ENTRIES


class _LimitReached(Exception):
    """Raised inside a walker when a cap is hit; its message is safe to show (no file content)."""


# ---------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------


class _LineIndex:
    """Maps string offsets to (line, column), built once per text so each lookup is a bisect."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(m.end() for m in re.finditer("\n", text))

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class _Sink:
    """Collects entries up to ``MAX_ENTRIES`` so a small hostile file cannot make millions of them."""

    def __init__(self) -> None:
        self.items: list[Entry] = []

    def add(self, entry: Entry) -> None:
        if len(self.items) >= MAX_ENTRIES:
            raise _LimitReached(f"more than {MAX_ENTRIES} values; the rest of the document was not read")
        self.items.append(entry)

    def span(self, path: tuple[str, ...], value: Any, index: _LineIndex, start: int, end: int, quoted: bool) -> None:
        """Add an entry located by string offsets (end exclusive)."""
        line, column = index.at(start)
        end_line, end_column = index.at(end)
        self.add(Entry(path, value, line, column, end_line, end_column, quoted))


def _document(kind: str, sink: _Sink, data: Any, errors: list[str]) -> Document:
    """Build the result; ``data`` is dropped on error so rules never walk a half-built structure."""
    return Document(kind=kind, entries=tuple(sink.items), data=None if errors else data, errors=tuple(errors))


def _normalise_text(text: Any) -> str:
    """Drop a BOM and unify line endings so every parser counts lines like an editor does."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = str(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _eol(text: str, pos: int) -> int:
    """Offset of the newline ending the line at ``pos`` (or the text's end)."""
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _flatten(path: tuple[str, ...], value: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Scalar leaves of a plain python structure (dicts and lists), depth-capped."""
    stack = [(path, value)]
    while stack:
        here, node = stack.pop()
        if len(here) - len(path) > MAX_DEPTH:
            raise _LimitReached(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((here + (str(k),), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((here + (str(i),), v) for i, v in reversed(list(enumerate(node))))
        else:
            yield here, node


# ---------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------


def parse_document(kind: str, text: str, path: str = "") -> Document:
    """Parse ``text`` as ``kind`` (one of ``KINDS``) with line numbers; never raises.

    ``path`` is only used for format variants that the kind alone cannot tell (``.npmrc`` splits keys on
    ``=`` only, because its keys contain ``:``).
    """
    parser = _PARSERS.get(kind)
    if parser is None:
        return Document(kind=str(kind), errors=(f"unknown document kind {kind!r}",))
    try:
        return parser(_normalise_text(text), path or "")
    except RecursionError:
        return Document(kind=kind, errors=(f"{kind} document is nested too deeply to parse",))
    except Exception as exc:  # noqa: BLE001 - a parse failure is a result, not a crash
        return Document(kind=kind, errors=(f"{kind} document could not be parsed ({type(exc).__name__})",))


_STRUCTURED_EXT = {".yml": "yaml", ".yaml": "yaml", ".json": "json", ".toml": "toml"}
_EXACT_NAMES = {
    ".flaskenv": "dotenv",
    ".envrc": "dotenv",
    "pipfile": "toml",
    ".pypirc": "ini",
    ".npmrc": "ini",
    "dockerfile": "dockerfile",
    "containerfile": "dockerfile",
}
_SUFFIX_KINDS = (
    ((".yml", ".yaml"), "yaml"),
    ((".json",), "json"),
    ((".toml",), "toml"),
    ((".ini", ".cfg"), "ini"),
    ((".tf", ".tfvars", ".hcl"), "hcl"),
    ((".dockerfile", ".containerfile"), "dockerfile"),
    ((".env",), "dotenv"),
)


def classify_config_kind(path: str) -> str | None:
    """The document kind for a POSIX ``path`` by its name, or None when it is not a config file we parse.

    ``.env.<anything>`` is dotenv (``.env.production``, ``.env.example``) unless it ends in a structured
    extension (``.env.yaml`` is YAML). ``*.conf`` is deliberately absent: nginx/apache configs are not INI.
    """
    name = posixpath.basename(path.replace("\\", "/")).lower()
    if not name:
        return None
    if name in _EXACT_NAMES:
        return _EXACT_NAMES[name]
    if name == ".env" or name.startswith(".env."):
        ext = posixpath.splitext(name)[1]
        return _STRUCTURED_EXT.get(ext, "dotenv")
    if name.startswith(("dockerfile.", "containerfile.")):
        return "dockerfile"
    for suffixes, kind in _SUFFIX_KINDS:
        if name.endswith(suffixes):
            return kind
    return None


# ---------------------------------------------------------------------------------------------------
# dotenv
# ---------------------------------------------------------------------------------------------------

# The key, then "=" (whitespace allowed around it); the value is read by hand after the "=".
_DOTENV_ASSIGN = re.compile(r"[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=")
_DOTENV_QUOTED = {
    '"': re.compile(r'"((?:[^"\\]|\\.)*)"', re.S),
    "'": re.compile(r"'((?:[^'\\]|\\.)*)'", re.S),
}
_DOTENV_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\", "$": "$", "`": "`"}
_DOTENV_COMMENT = re.compile(r"[ \t]#")  # "#" starts a comment only after whitespace (abc#def stays)


def _dotenv_unescape(raw: str, quote: str) -> str:
    """Decode backslash escapes like python-dotenv: full set in double quotes, only \\' and \\\\ in single."""
    if "\\" not in raw:
        return raw
    allowed = _DOTENV_ESCAPES if quote == '"' else {"'": "'", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: allowed.get(m.group(1), m.group(0)), raw, flags=re.S)


def _parse_dotenv(text: str, path: str) -> Document:
    """``KEY=VALUE`` lines; double/single-quoted values may span lines; other lines are ignored."""
    index, sink, errors, data = _LineIndex(text), _Sink(), [], {}
    pos = 0
    while pos < len(text):
        eol = _eol(text, pos)
        match = _DOTENV_ASSIGN.match(text, pos, eol)
        if match is None:
            pos = eol + 1
            continue
        key = match.group(1)
        value, start, end, quoted, resume = _dotenv_value(text, match.end(), eol, index, errors)
        data[key] = value
        try:
            sink.span((key,), value, index, start, end, quoted)
        except _LimitReached as exc:
            errors.append(f"dotenv: {exc}")
            break
        pos = resume
    return _document("dotenv", sink, data, errors)


def _dotenv_value(
    text: str, after_eq: int, eol: int, index: _LineIndex, errors: list[str]
) -> tuple[str, int, int, bool, int]:
    """Read one value: returns (value, start, end, quoted, offset where the next statement starts)."""
    start = after_eq
    while start < eol and text[start] in " \t":
        start += 1
    quote = text[start] if start < eol else ""
    if quote in _DOTENV_QUOTED:
        match = _DOTENV_QUOTED[quote].match(text, start)
        if match is not None:
            value = _dotenv_unescape(match.group(1), quote)
            return value, start, match.end(), True, _eol(text, match.end()) + 1
        errors.append(f"dotenv: unterminated quoted value at line {index.at(start)[0]}")
    raw = text[after_eq:eol]
    comment = _DOTENV_COMMENT.search(raw)
    if comment is not None:
        raw = raw[: comment.start()]
    value = raw.strip()
    return value, start, start + len(value), False, eol + 1


# ---------------------------------------------------------------------------------------------------
# YAML (in checker.yamldoc)
# ---------------------------------------------------------------------------------------------------


def _parse_yaml(text: str, path: str) -> Document:
    from checker.yamldoc import parse_yaml  # PyYAML is imported by the first YAML file, not at start-up

    return parse_yaml(text, path)


# ---------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------

_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_SCAN_ONCE = json.JSONDecoder().scan_once


class _JsonError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _JsonScanner:
    """Iterative JSON scanner recording each scalar's offsets (no recursion, so depth is just a counter)."""

    def __init__(self, text: str, index: _LineIndex, sink: _Sink) -> None:
        self.text, self.index, self.sink = text, index, sink
        self.stack: list[list[Any]] = []  # [opener, path of the container, next list index]

    def ws(self, pos: int) -> int:
        return _JSON_WS.match(self.text, pos).end()

    def key(self, pos: int) -> tuple[str, int]:
        """A member name and the offset after its ``:``."""
        if not self.text.startswith('"', pos):
            raise _JsonError("expecting a property name in double quotes", pos)
        try:
            name, pos = json.decoder.scanstring(self.text, pos + 1)
        except json.JSONDecodeError as exc:
            raise _JsonError(exc.msg, exc.pos) from None
        pos = self.ws(pos)
        if not self.text.startswith(":", pos):
            raise _JsonError("expecting ':' delimiter", pos)
        return name, self.ws(pos + 1)

    def open(self, pos: int, path: tuple[str, ...]) -> tuple[int, tuple[str, ...] | None]:
        """Enter a container at ``pos``; returns the next offset and the first child's path (None if empty)."""
        if len(self.stack) >= MAX_JSON_DEPTH:
            raise _LimitReached(f"nesting deeper than {MAX_JSON_DEPTH} levels")
        opener = self.text[pos]
        pos = self.ws(pos + 1)
        if self.text.startswith("}" if opener == "{" else "]", pos):
            return pos + 1, None
        self.stack.append([opener, path, 0])
        if opener == "[":
            return pos, path + ("0",)
        name, pos = self.key(pos)
        return pos, path + (name,)

    def scalar(self, pos: int, path: tuple[str, ...]) -> int:
        try:
            value, end = _JSON_SCAN_ONCE(self.text, pos)
        except StopIteration:
            raise _JsonError("expecting value", pos) from None
        except json.JSONDecodeError as exc:
            raise _JsonError(exc.msg, exc.pos) from None
        self.sink.span(path, value, self.index, pos, end, isinstance(value, str))
        return end

    def after_value(self, pos: int) -> tuple[int, tuple[str, ...] | None]:
        """Close finished containers; returns the next value's offset and path (None at the end)."""
        while True:
            pos = self.ws(pos)
            if not self.stack:
                if pos < len(self.text):
                    raise _JsonError("extra data after the document", pos)
                return pos, None
            top = self.stack[-1]
            closer = "}" if top[0] == "{" else "]"
            if self.text.startswith(",", pos):
                pos = self.ws(pos + 1)
                if top[0] == "[":
                    top[2] += 1
                    return pos, top[1] + (str(top[2]),)
                name, pos = self.key(pos)
                return pos, top[1] + (name,)
            if not self.text.startswith(closer, pos):
                raise _JsonError(f"expecting ',' or '{closer}'", pos)
            self.stack.pop()
            pos += 1

    def run(self) -> None:
        pos, path = self.ws(0), ()
        while path is not None:
            if self.text.startswith(("{", "["), pos):
                pos, child = self.open(pos, path)
                if child is not None:
                    path = child
                    continue
            else:
                pos = self.scalar(pos, path)
            pos, path = self.after_value(pos)


def _parse_json(text: str, path: str) -> Document:
    """JSON with each scalar's position; ``data`` is ``json.loads`` of the same text."""
    index, sink, errors = _LineIndex(text), _Sink(), []
    try:
        _JsonScanner(text, index, sink).run()
    except _JsonError as exc:
        line, column = index.at(min(exc.offset, len(text)))
        errors.append(f"JSON parse error at line {line}, column {column}: {exc}")
    except _LimitReached as exc:
        errors.append(f"JSON document too large or too deep: {exc}")
    data = None
    if not errors:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            errors.append(f"JSON parse error ({type(exc).__name__})")
    return _document("json", sink, data, errors)


# ---------------------------------------------------------------------------------------------------
# TOML
# ---------------------------------------------------------------------------------------------------

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_\-]+")
_BASIC_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_TOML_LITERAL_KEY = re.compile(r"'([^'\n]*)'")
_TOML_SPACES = re.compile(r"[ \t]*")
_ANY_SPACE = re.compile(r"\s*")
_TOML_STRINGS = (
    ('"""', re.compile(r'"""(?:[^\\]|\\.)*?"{3,5}', re.S)),
    ("'''", re.compile(r"'''.*?'{3,5}", re.S)),
    ('"', re.compile(r'"(?:[^"\\\n]|\\.)*"')),
    ("'", re.compile(r"'[^'\n]*'")),
)


class _TomlSpan(NamedTuple):
    start: int
    end: int
    is_value: bool  # False for a table header (only used as a fallback location)


def _toml_key_part(text: str, pos: int) -> tuple[str | None, int]:
    """One (bare, "basic" or 'literal') key part at ``pos``."""
    for pattern, is_basic in ((_BASIC_STRING, True), (_TOML_LITERAL_KEY, False), (_TOML_BARE_KEY, None)):
        match = pattern.match(text, pos)
        if match is None:
            continue
        if is_basic is None:
            return match.group(0), match.end()
        raw = match.group(1)
        if is_basic and "\\" in raw:
            try:
                raw = json.loads(f'"{raw}"')
            except ValueError:
                pass
        return raw, match.end()
    return None, pos


def _toml_key(text: str, pos: int) -> tuple[list[str] | None, int]:
    """A dotted key (``a."b c".d``) and the offset after it (and any trailing spaces)."""
    parts: list[str] = []
    while True:
        pos = _TOML_SPACES.match(text, pos).end()
        part, pos = _toml_key_part(text, pos)
        if part is None:
            return None, pos
        parts.append(part)
        pos = _TOML_SPACES.match(text, pos).end()
        if not text.startswith(".", pos):
            return parts, pos
        pos += 1


def _toml_skip_value(text: str, pos: int) -> int:
    """Offset just after the value at ``pos`` (strings, nested arrays/tables across lines, comments)."""
    depth, end, n = 0, pos, len(text)
    while pos < n:
        char = text[pos]
        if char in "\"'":
            match = next((rx.match(text, pos) for opener, rx in _TOML_STRINGS if text.startswith(opener, pos)), None)
            pos = match.end() if match else _eol(text, pos)
            end = pos
            continue
        if char == "#":
            pos = _eol(text, pos)
            continue
        if char == "\n" and depth == 0:
            break
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if not char.isspace():
            end = pos + 1
        pos += 1
    return end


class _TomlScanner:
    """Finds where each key's value starts; tracks ``[table]`` and ``[[array]]`` headers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[tuple[str, ...], _TomlSpan] = {}
        self.table: tuple[str, ...] = ()
        self.arrays: dict[tuple[str, ...], int] = {}  # array-of-tables path -> elements seen

    def resolve(self, parts: list[str], is_array: bool) -> tuple[str, ...]:
        """Header key -> full path with array-of-tables indexes (``fruits.physical`` -> fruits/0/physical)."""
        out: list[str] = []
        for i, part in enumerate(parts):
            out.append(part)
            here = tuple(out)
            if is_array and i == len(parts) - 1:
                count = self.arrays.get(here, 0)
                self.arrays[here] = count + 1
                out.append(str(count))
            elif here in self.arrays:
                out.append(str(self.arrays[here] - 1))
        return tuple(out)

    def header(self, pos: int) -> int:
        is_array = self.text.startswith("[[", pos)
        parts, after = _toml_key(self.text, pos + (2 if is_array else 1))
        if parts is not None and self.text.startswith("]]" if is_array else "]", after):
            self.table = self.resolve(parts, is_array)
            self.spans.setdefault(self.table, _TomlSpan(pos, pos, False))
        return _eol(self.text, pos)

    def pair(self, pos: int) -> int:
        parts, after = _toml_key(self.text, pos)
        if parts is None or not self.text.startswith("=", after):
            return _eol(self.text, pos)
        start = _TOML_SPACES.match(self.text, after + 1).end()
        end = _toml_skip_value(self.text, start)
        self.spans[self.table + tuple(parts)] = _TomlSpan(start, end, True)
        return max(end, start + 1)

    def run(self) -> dict[tuple[str, ...], _TomlSpan]:
        pos, n = 0, len(self.text)
        while pos < n:
            pos = _ANY_SPACE.match(self.text, pos).end()
            if pos >= n:
                break
            char = self.text[pos]
            if char == "#":
                pos = _eol(self.text, pos)
            elif char == "[":
                pos = self.header(pos)
            else:
                pos = self.pair(pos)
        return self.spans


def _toml_locate(spans: dict, path: tuple[str, ...]) -> tuple[_TomlSpan | None, bool]:
    """The span of ``path`` or of its nearest recorded ancestor; True when it is the exact path."""
    for cut in range(len(path), 0, -1):
        span = spans.get(path[:cut])
        if span is not None:
            return span, cut == len(path)
    return None, False


def _toml_entry(sink: _Sink, index: _LineIndex, spans: dict, path: tuple[str, ...], value: Any) -> None:
    span, exact = _toml_locate(spans, path)
    quoted = isinstance(value, str)
    if span is None:
        sink.add(Entry(path, value, 1, 1, quoted=quoted))
    elif exact and span.is_value:
        sink.span(path, value, index, span.start, span.end, quoted)
    else:
        line, column = index.at(span.start)
        sink.add(Entry(path, value, line, column, quoted=quoted))


def _parse_toml(text: str, path: str) -> Document:
    """``tomllib`` for values; a line scan for where each key sits (values inside arrays and inline
    tables point at their key's value)."""
    index, sink, errors = _LineIndex(text), _Sink(), []
    spans = _TomlScanner(text).run()
    data = None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        errors.append(f"TOML parse error: {str(exc)[:160]}")
    except RecursionError:
        errors.append("TOML document is nested too deeply to parse")
    try:
        leaves = _flatten((), data) if data is not None else _toml_recover(text, spans)
        for key_path, value in leaves:
            _toml_entry(sink, index, spans, key_path, value)
    except _LimitReached as exc:
        errors.append(f"TOML document too large or too deep: {exc}")
    return _document("toml", sink, data, errors)


def _toml_recover(text: str, spans: dict) -> Iterator[tuple[tuple[str, ...], Any]]:
    """After a parse error, still read each ``key = value`` on its own (a secret in a broken file is real)."""
    for key_path, span in spans.items():
        if not span.is_value:
            continue
        try:
            value = tomllib.loads("v = " + text[span.start : span.end])["v"]
        except Exception:  # noqa: BLE001 - that one value is broken, keep the others
            continue
        yield from _flatten(key_path, value)


# ---------------------------------------------------------------------------------------------------
# INI / cfg / .npmrc
# ---------------------------------------------------------------------------------------------------

_INI_SECTION = re.compile(r"\[(?P<header>.+)\]")  # configparser's SECTCRE
_INI_OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$")  # configparser's OPTCRE
_INI_OPTION_EQ = re.compile(r"(?P<option>.*?)\s*(?P<vi>=)\s*(?P<value>.*)$")  # .npmrc keys contain ':'


@dataclass
class _IniOption:
    """An option being read: its pieces (one per physical line) with their (line, start, end) columns."""

    section: str
    key: str
    pieces: list[str] = field(default_factory=list)
    places: list[tuple[int, int, int]] = field(default_factory=list)  # one per non-blank piece
    indent: int = 0

    def entry(self) -> Entry:
        value = "\n".join(self.pieces).rstrip()
        located = [place for place in self.places if place[2] > place[1]] or self.places
        (line, column, _), (end_line, _, end_column) = located[0], located[-1]
        return Entry((self.section, self.key), value, line, column, end_line, end_column)


def _parse_ini(text: str, path: str) -> Document:
    """RawConfigParser(strict=False, interpolation=None) semantics with line numbers, keys' case kept.

    Keys before any ``[section]`` belong to section ``""`` (``.npmrc``); no inline comments.
    """
    option_re = _INI_OPTION_EQ if posixpath.basename(path).lower() == ".npmrc" else _INI_OPTION
    sink, errors, data = _Sink(), [], {}
    section, current = "", None
    options: list[_IniOption] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            if not stripped and current is not None:
                current.pieces.append("")  # configparser keeps inner blank lines (not comment lines)
            continue
        indent = len(line) - len(line.lstrip())
        if current is not None and indent > current.indent:
            current.pieces.append(stripped)
            current.places.append((lineno, indent + 1, indent + 1 + len(stripped)))
            continue
        header = _INI_SECTION.match(stripped)
        if header:
            section, current = header.group("header"), None
            data.setdefault(section, {})
            continue
        current = _ini_option(option_re, line, lineno, section, indent)
        if current is None:
            errors.append(f"INI parse error at line {lineno}: expected '[section]' or 'key = value'")
        else:
            options.append(current)
    try:
        for option in options:
            entry = option.entry()
            data.setdefault(option.section, {})[option.key] = entry.value
            sink.add(entry)
    except _LimitReached as exc:
        errors.append(f"INI document too large: {exc}")
    if len(errors) > 1:  # one note per file is enough; a non-INI file would otherwise flood the report
        errors[1:] = [f"and {len(errors) - 1} more lines that are neither a section nor a key/value"]
    return _document("ini", sink, data, errors)


def _ini_option(option_re: re.Pattern, line: str, lineno: int, section: str, indent: int) -> _IniOption | None:
    stripped = line.strip()
    match = option_re.match(stripped)
    if match is None or not match.group("option"):
        return None
    value = match.group("value").strip()
    column = indent + match.start("value") + 1
    option = _IniOption(section, match.group("option").rstrip(), indent=indent)
    option.pieces.append(value)
    option.places.append((lineno, column, column + len(value)))
    return option


# ---------------------------------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------------------------------

_DOCKER_DIRECTIVE = re.compile(r"#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$")
_DOCKER_INSTRUCTION = re.compile(r"[ \t]*([A-Za-z]+)(?=[ \t]|$)[ \t]*")
_DOCKER_PAIR_KEY = re.compile(r"([^\s=\"']+)=")
_DOCKER_HEREDOC = re.compile(r"<<-?[ \t]*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")


class _Logical(NamedTuple):
    """One instruction after joining continuation lines, with a map back to physical lines."""

    text: str
    starts: list[int]  # logical offset where each physical piece starts
    lines: list[int]  # the piece's physical line number

    def at(self, offset: int) -> tuple[int, int]:
        piece = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[piece], offset - self.starts[piece] + 1


def _docker_escape(lines: list[str]) -> str:
    """The ``# escape=`` parser directive (only valid before the first instruction or comment)."""
    for line in lines:
        match = _DOCKER_DIRECTIVE.match(line.strip())
        if match is None:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            return match.group(2)
    return "\\"


def _docker_logical_lines(lines: list[str], escape: str) -> Iterator[_Logical]:
    """Join ``\\``-continued lines; comment and blank lines inside a continuation are dropped (as Docker does)."""
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        parts: list[str] = []
        logical = _Logical("", [], [])
        length = 0
        while i < len(lines):
            raw = lines[i]
            i += 1
            if parts and (not raw.strip() or raw.lstrip().startswith("#")):
                continue
            body = raw.rstrip()
            continued = body.endswith(escape)
            body = body[:-1] if continued else body
            logical.starts.append(length)
            logical.lines.append(i)
            parts.append(body)
            length += len(body)
            if not continued:
                break
        logical = logical._replace(text="".join(parts))
        yield logical
        i = _docker_skip_heredocs(logical.text, lines, i)


def _docker_skip_heredocs(instruction: str, lines: list[str], i: int) -> int:
    """Skip ``RUN <<EOF`` bodies so their lines are not read as instructions."""
    for match in _DOCKER_HEREDOC.finditer(instruction):
        word = match.group(2)
        while i < len(lines) and lines[i].strip() != word:
            i += 1
        i += 1
    return min(i, len(lines))


def _docker_word(s: str, pos: int) -> tuple[str, int]:
    """A shell-like word at ``pos``: quotes removed, backslash escapes applied; returns (value, end)."""
    out: list[str] = []
    n = len(s)
    while pos < n and not s[pos].isspace():
        char = s[pos]
        if char == "'":
            close = s.find("'", pos + 1)
            close = n if close == -1 else close
            out.append(s[pos + 1 : close])
            pos = close + 1
        elif char == '"':
            pos += 1
            while pos < n and s[pos] != '"':
                if s[pos] == "\\" and pos + 1 < n and s[pos + 1] in '"\\$`':
                    pos += 1
                out.append(s[pos])
                pos += 1
            pos += 1
        elif char == "\\" and pos + 1 < n:
            out.append(s[pos + 1])
            pos += 2
        else:
            out.append(char)
            pos += 1
    return "".join(out), min(pos, n)


def _docker_pairs(s: str, pos: int) -> Iterator[tuple[str, str, int, int]]:
    """``KEY=VALUE`` words of ENV/ARG: yields (key, value, value start, value end)."""
    n = len(s)
    while pos < n:
        while pos < n and s[pos].isspace():
            pos += 1
        if pos >= n:
            return
        match = _DOCKER_PAIR_KEY.match(s, pos)
        if match is None:
            pos = _docker_word(s, pos)[1]  # a word without "=" (ARG NAME): no value
            continue
        value, end = _docker_word(s, match.end())
        yield match.group(1), value, match.end(), end
        pos = max(end, match.end())


def _docker_legacy_env(s: str, pos: int) -> Iterator[tuple[str, str, int, int]]:
    """Legacy ``ENV KEY rest of the line`` (the value may contain spaces)."""
    match = re.compile(r"(\S+)[ \t]+").match(s, pos)
    if match is None:
        return
    raw = s[match.end() :].rstrip()
    value = raw
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        value = _docker_word(raw, 0)[0] if " " not in raw[1:-1] else raw[1:-1]
    yield match.group(1), value, match.end(), match.end() + len(raw)


def _parse_dockerfile(text: str, path: str) -> Document:
    """``ENV``/``ARG`` values (key_path ``("ENV", KEY)`` / ``("ARG", NAME)``), located on physical lines."""
    lines = text.split("\n")
    sink, errors, data = _Sink(), [], {"ENV": {}, "ARG": {}}
    try:
        for logical in _docker_logical_lines(lines, _docker_escape(lines)):
            match = _DOCKER_INSTRUCTION.match(logical.text)
            if match is None or match.group(1).upper() not in ("ENV", "ARG"):
                continue
            instruction = match.group(1).upper()
            legacy = instruction == "ENV" and not _DOCKER_PAIR_KEY.match(logical.text, match.end())
            pairs = (_docker_legacy_env if legacy else _docker_pairs)(logical.text, match.end())
            for key, value, start, end in pairs:
                data[instruction][key] = value
                line, column = logical.at(start)
                end_line, end_column = logical.at(max(end - 1, start))
                quoted = logical.text[start : start + 1] in ("'", '"')
                sink.add(Entry((instruction, key), value, line, column, end_line, end_column + (end > start), quoted))
    except _LimitReached as exc:
        errors.append(f"Dockerfile too large: {exc}")
    return _document("dockerfile", sink, data, errors)


# ---------------------------------------------------------------------------------------------------
# HCL (Terraform)
# ---------------------------------------------------------------------------------------------------

_HCL_IDENT = re.compile(r"[^\W\d][\w\-]*")
_HCL_HEREDOC = re.compile(r"<<-?([A-Za-z_][\w\-]*)[ \t]*\n")
_HCL_META = frozenset({"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"})
_HCL_FOR = re.compile(r"for\b")
_HCL_HEREDOC_VALUE = re.compile(r"<<(-?)([A-Za-z_][\w\-]*)\n(.*?)\n?[ \t]*\2\Z", re.S)
_HCL_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class HclBlock:
    """One HCL block, e.g. ``resource "aws_secretsmanager_secret_rotation" "this" { ... }``.

    ``attributes`` is the block's parsed body as in ``Document.data`` (nested blocks are lists of bodies
    that carry ``__start_line__``/``__end_line__``). ``path`` is the block's key path in entries, e.g.
    ``("resource", "aws_secretsmanager_secret_rotation", "this", "rotation_rules")`` for a nested block.
    """

    block_type: str
    labels: tuple[str, ...]
    start_line: int
    end_line: int
    attributes: dict[str, Any] = field(default_factory=dict, compare=False)
    path: tuple[str, ...] = ()


class _Occ:
    """Where something sits in HCL text (offsets); ``kind`` is "value", "object", "tuple" or "block"."""

    __slots__ = ("start", "end", "quoted", "kind")

    def __init__(self, start: int, kind: str, quoted: bool = False) -> None:
        self.start, self.end, self.quoted, self.kind = start, start, quoted, kind


class _HclScanner:
    """A structural HCL scanner: records, per key path and in text order, where each attribute value,
    object member, tuple element and block sits, and builds the values in python-hcl2's shape.

    It replaces python-hcl2 (a lark grammar: ~10 ms per KB of Terraform, seconds for a module
    directory, and values without positions). Expressions other than literals, lists and objects are
    kept as source text, and a syntax error (an empty or dangling expression, a stray token) makes
    the document a parse error whose string literals are still checked (``_hcl_recover``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.found: dict[tuple[str, ...], list[_Occ]] = defaultdict(list)
        self.redefined: list[int] = []  # offsets of attributes/object keys defined twice in one body
        self.errors: list[tuple[int, str]] = []  # (offset, what): syntax Terraform would reject

    def error(self, offset: int, what: str) -> None:
        self.errors.append((offset, what))

    def unique(self, seen: set[str], name: str, start: int) -> None:
        """Terraform rejects a name defined twice in one body; keeping the last value silently (as
        python-hcl2 does) would hide the first, so we treat it as an error."""
        if name in seen:
            self.redefined.append(start)
        seen.add(name)

    # -- low level -------------------------------------------------------------------------------
    def skip_space(self, newlines: bool) -> None:
        """Skip blanks and comments (and newlines when asked)."""
        t, n = self.text, len(self.text)
        while self.i < n:
            c = t[self.i]
            if c in " \t" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#" or t.startswith("//", self.i):
                self.i = _eol(t, self.i)
            elif t.startswith("/*", self.i):
                close = t.find("*/", self.i + 2)
                self.i = n if close == -1 else close + 2
            else:
                return

    def skip_heredoc(self, i: int) -> int | None:
        match = _HCL_HEREDOC.match(self.text, i)
        if match is None:
            return None
        end = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*$", re.M).search(self.text, match.end())
        return len(self.text) if end is None else end.end()

    def skip_expr(self, stops: str) -> int:
        """Move past one expression; stops at a top-level char in ``stops`` or an unmatched closer.
        Returns the offset after the last non-blank character. Iterative, so nesting cannot recurse."""
        t, n = self.text, len(self.text)
        stack: list[str] = []  # expected closers; '"' means "inside a string"
        i, last = self.i, self.i
        while i < n:
            c = t[i]
            if stack and stack[-1] == '"':
                if c == "\\" or t.startswith(("$${", "%%{"), i):  # escapes, incl. literal $${ and %%{
                    i += 3 if c != "\\" else 2
                    continue
                if c == '"' or c == "\n":
                    stack.pop()
                elif c in "$%" and t.startswith("{", i + 1):
                    stack.append("}")
                    i += 1
                i += 1
                last = i
                continue
            if c == '"':
                stack.append('"')
            elif c == "#" or t.startswith("//", i) or t.startswith("/*", i):
                self.i = i
                self.skip_space(newlines=False)
                i = self.i
                continue
            elif t.startswith("<<", i) and (end := self.skip_heredoc(i)) is not None:
                i = last = end
                continue
            elif c in _HCL_PAIRS:
                stack.append(_HCL_PAIRS[c])
            elif c in ")]}":
                if not stack:
                    break
                stack.pop()
            elif not stack and c in stops:
                break
            i += 1
            if not c.isspace():
                last = i
        self.i = i
        return last

    def record(self, path: tuple[str, ...], occ: _Occ) -> _Occ:
        self.found[path].append(occ)
        return occ

    # -- structure ---------------------------------------------------------------------------------
    def value(self, path: tuple[str, ...], stops: str, depth: int) -> Any:
        """Record one expression's position and return its value (see ``_hcl_scalar``)."""
        t = self.text
        start = self.i
        c = t[start] if start < len(t) else ""
        if not _HCL_EXPR_START.match(c) and not t.startswith("<<", start):
            self.error(start, "unexpected end of input" if not c else "unexpected token")
        kind = "object" if c == "{" else "tuple" if c == "[" else "value"
        occ = self.record(path, _Occ(start, kind, quoted=c == '"' or t.startswith("<<", start)))
        built: Any = None
        closed = start
        if kind != "value" and depth < MAX_DEPTH:
            self.i += 1
            built = (self.object if kind == "object" else self.tuple)(path, depth + 1)
            closed = self.i
        occ.end = self.skip_expr(stops)
        if built is not None and not t[closed : occ.end].strip():
            return built
        self.check_operands(start, occ.end)
        return _hcl_scalar(t[start : occ.end])

    def check_operands(self, start: int, end: int) -> None:
        """Two cheap checks Terraform's parser would fail: a string literal directly followed by
        another operand (``"a" "b"``), and an expression that ends in an operator (``a +``)."""
        t = self.text
        if t.startswith('"', start):
            after = hcl_string_end(t, start)
            rest = t[after:end].lstrip(" \t")
            if rest and (rest[0] == '"' or rest[0].isalnum() or rest[0] == "_"):
                self.error(end - len(rest), "unexpected token")
                return
        if _HCL_TRAILING_OPERATOR.search(t, start, end) and not t.startswith("<<", start):
            newline = t.find("\n", end)
            self.error(len(t) if newline < 0 else newline + 1, "unexpected token")

    def label(self) -> str | None:
        """A block label: an identifier or a string literal."""
        t = self.text
        if t.startswith('"', self.i):
            match = _BASIC_STRING.match(t, self.i)
            if match is None:
                return None
            self.i = match.end()
            try:
                return json.loads(match.group(0))
            except ValueError:
                return match.group(1)
        match = _HCL_IDENT.match(t, self.i)
        if match is None:
            return None
        self.i = match.end()
        return match.group(0)

    def object(self, path: tuple[str, ...], depth: int) -> dict[str, Any] | None:
        """Members ``key = value`` / ``key: value`` up to the closing ``}``; None for a for-expression
        (or anything else that is not a plain object), whose value is then its source text."""
        seen: set[str] = set()
        members: dict[str, Any] | None = {}
        while self.i < len(self.text):
            self.skip_space(newlines=True)
            if self.text.startswith("}", self.i) or self.i >= len(self.text):
                if self.i >= len(self.text):
                    self.error(self.i, "unexpected end of input")
                self.i += 1
                return members
            before = self.i
            key = self.label()
            self.skip_space(newlines=False)
            if key is not None and key != "for" and self.text[self.i : self.i + 1] in ("=", ":"):
                self.unique(seen, key, before)
                self.i += 1
                self.skip_space(newlines=False)
                member = self.value(path + (key,), "\n,", depth)
                if members is not None:
                    members[key] = member
            else:
                members = None
                self.skip_expr("\n,")
            if self.text.startswith(",", self.i) or self.i == before:
                self.i += 1
        self.error(self.i, "unexpected end of input")
        return members

    def tuple(self, path: tuple[str, ...], depth: int) -> list[Any] | None:
        """Elements up to the closing ``]``; None for a ``[for ...]`` expression (no elements of its own)."""
        index = 0
        elements: list[Any] | None = []
        while self.i < len(self.text):
            self.skip_space(newlines=True)
            if self.text.startswith("]", self.i) or self.i >= len(self.text):
                if self.i >= len(self.text):
                    self.error(self.i, "unexpected end of input")
                self.i += 1
                return elements
            before = self.i
            if _HCL_FOR.match(self.text, self.i):
                self.skip_expr("")
                elements = None
                continue
            element = self.value(path + (str(index),), ",", depth)
            if elements is not None:
                elements.append(element)
            index += 1
            self.skip_space(newlines=True)
            if self.text.startswith(",", self.i) or self.i == before:
                self.i += 1
        self.error(self.i, "unexpected end of input")
        return elements

    def body(self, path: tuple[str, ...], depth: int, closing: bool) -> dict[str, Any]:
        """Attributes and blocks until ``}`` (or the end of the file for the top level), as python-hcl2
        serialises them: ``name: value`` and ``type: [{label: {label2: {..., "__is_block__": True}}}]``."""
        t = self.text
        seen: set[str] = set()
        out: dict[str, Any] = {}
        while True:
            self.skip_space(newlines=True)
            if self.i >= len(t):
                if closing:
                    self.error(self.i, "unexpected end of input")
                return out
            if t[self.i] == "}" and closing:
                self.i += 1
                return out
            start = self.i
            name = self.label() if _HCL_IDENT.match(t, self.i) else None
            if name is None:
                self.error(start, "unexpected character")
                self.i = _eol(t, start) if _eol(t, start) > start else start + 1
                continue
            self.skip_space(newlines=False)
            if t.startswith("=", self.i) and not t.startswith("==", self.i):
                self.unique(seen, name, start)
                self.i += 1
                self.skip_space(newlines=False)
                out[name] = self.value(path + (name,), "\n", depth)
                self.expect_line_end()
            else:
                block = self.block(path, name, start, depth)
                if block is not None:
                    out.setdefault(name, []).append(block)

    def expect_line_end(self) -> None:
        """An attribute ends at the end of its line (or a comment, or the closing brace)."""
        self.skip_space(newlines=False)
        if self.i < len(self.text) and self.text[self.i] not in "\n}":
            self.error(self.i, "unexpected token")

    def block(self, path: tuple[str, ...], name: str, start: int, depth: int) -> Any:
        labels = [name]
        while True:
            self.skip_space(newlines=False)
            if self.text.startswith("{", self.i):
                break
            label = self.label()
            if label is None:
                self.error(self.i, "unexpected end of input" if self.i >= len(self.text) else "unexpected token")
                self.i = max(_eol(self.text, self.i), self.i + 1)
                return None
            labels.append(label)
        occ = _Occ(start, "block")
        for cut in range(1, len(labels) + 1):
            self.record(path + tuple(labels[:cut]), occ)
        self.i += 1
        inner: Any = {}
        if depth < MAX_DEPTH:
            inner = self.body(path + tuple(labels), depth + 1, closing=True)
        else:
            self.skip_expr("")
            self.i += 1
        occ.end = self.i - 1
        inner["__is_block__"] = True
        for label in reversed(labels[1:]):
            inner = {label: inner}
        return inner


_HCL_TRAILING_OPERATOR = re.compile(r"(?:(?<!\.)\*|[-+/%<>!?:=]|&&|\|\|)\s*\Z")  # not a legacy splat "x.*"
_HCL_EXPR_START = re.compile(r'[\w"{\[(\-!]')
_HCL_INT = re.compile(r"-?\d+")
_HCL_FLOAT = re.compile(r"-?\d+\.\d+(?:[eE][+-]?\d+)?|-?\d+[eE][+-]?\d+")
_HCL_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_HCL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _hcl_scalar(source: str) -> Any:
    """The value of one HCL expression as python-hcl2 serialises it: a single string literal
    unquoted (escapes decoded, ``${...}`` templates kept as written), numbers, booleans and null as
    such, a heredoc as its source (decoded by ``_hcl_heredoc``), a bare identifier (a type such as
    ``string``) as its name, and any other expression as ``${<source>}``."""
    text = source.strip()
    if text.startswith("<<"):
        return text
    if text.startswith('"') and hcl_string_end(text, 0) == len(text) and len(text) >= 2:
        return _HCL_ESCAPE.sub(_hcl_unescape, text[1:-1])
    is_literal, value = hcl_literal(text)
    if is_literal:
        return value
    if _HCL_IDENT.fullmatch(text):
        return text
    return "${" + text + "}"


def hcl_literal(text: str) -> tuple[bool, Any]:
    """``(True, value)`` for an HCL number, ``true``/``false`` or ``null`` literal, else ``(False, None)``."""
    if _HCL_INT.fullmatch(text):
        return True, int(text)
    if _HCL_FLOAT.fullmatch(text):
        return True, float(text)
    if text in ("true", "false"):
        return True, text == "true"
    if text == "null":
        return True, None
    return False, None


def _hcl_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        try:
            return chr(int(code[1:], 16))
        except ValueError:
            return match.group(0)
    return _HCL_ESCAPES.get(code, match.group(0))


def hcl_string_end(text: str, start: int) -> int:
    """End (exclusive) of the quoted string at ``start``: escapes and ``${ }``/``%{ }`` templates
    (which may hold nested strings and braces) are skipped; a literal ``$${`` opens no template."""
    i, n = start + 1, len(text)
    depth = 0
    while i < n:
        c = text[i]
        if depth == 0:
            if c == "\\":
                i += 2
                continue
            if text.startswith(("$${", "%%{"), i):
                i += 3
                continue
            if c == '"' or c == "\n":
                return i + 1 if c == '"' else i
            if c in "$%" and text.startswith("{", i + 1):
                depth, i = 1, i + 2
                continue
        else:
            if c == '"':
                i = hcl_string_end(text, i)
                continue
            depth += (c == "{") - (c == "}")
        i += 1
    return n


def _hcl_heredoc(value: str) -> str:
    """The content of a ``<<EOT`` / ``<<-EOT`` heredoc as Terraform sees it (``<<-`` drops the common indent)."""
    match = _HCL_HEREDOC_VALUE.match(value)
    if match is None:
        return value
    lines = match.group(3).split("\n")
    if match.group(1):
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return "\n".join(lines) + "\n"


def _block_chain(element: Any, marker: str) -> tuple[list[str], dict] | None:
    """Labels and body of a serialized block ``{"label": {"label2": {..., marker: ...}}}``, else None."""
    labels: list[str] = []
    node = element
    while isinstance(node, dict):
        if marker in node:
            return labels, node
        if len(node) != 1 or len(labels) > MAX_DEPTH:
            return None
        ((label, node),) = node.items()
        labels.append(str(label))
    return None


def _as_blocks(value: Any, marker: str) -> list[tuple[list[str], dict]] | None:
    """A body value that is a list of blocks, as (labels, body) pairs; None for an ordinary value."""
    if not isinstance(value, list) or not value:
        return None
    chains = []
    for item in value:
        chain = _block_chain(item, marker)
        if chain is None:
            return None
        chains.append(chain)
    return chains


class _HclWalk:
    """Walks the scanner's values in document order, pairing each value with its recorded position."""

    def __init__(self, found: dict, index: _LineIndex, sink: _Sink) -> None:
        self.found, self.index, self.sink = found, index, sink
        self.cursor: dict[tuple[str, ...], int] = defaultdict(int)

    def take(self, path: tuple[str, ...]) -> _Occ | None:
        """The next unused position recorded for ``path`` (same paths occur in the same order on both sides)."""
        k = self.cursor[path]
        self.cursor[path] = k + 1
        occs = self.found.get(path)
        return occs[k] if occs is not None and k < len(occs) else None

    def body(self, body: dict, path: tuple[str, ...], fallback: _Occ | None) -> dict:
        out: dict[str, Any] = {}
        for key, value in body.items():
            if key in _HCL_META:
                continue
            chains = _as_blocks(value, "__is_block__")
            if chains is None:
                out[key] = self.value(value, path + (str(key),), fallback)
            else:
                out[key] = [self.block(labels, inner, path + (str(key),), fallback) for labels, inner in chains]
        return out

    def block(self, labels: list[str], inner: dict, path: tuple[str, ...], fallback: _Occ | None) -> Any:
        if len(path) > MAX_DEPTH:
            raise _LimitReached(f"nesting deeper than {MAX_DEPTH} levels")
        occ = self.take(path) or fallback
        for label in labels:
            path += (label,)
            occ = self.take(path) or occ
        result: Any = self.body(inner, path, occ)
        start_line = self.index.at(occ.start)[0] if occ else 1
        result["__start_line__"] = start_line
        result["__end_line__"] = self.index.at(occ.end)[0] if occ and occ.kind == "block" else start_line
        for label in reversed(labels):
            result = {label: result}
        return result

    def value(self, value: Any, path: tuple[str, ...], fallback: _Occ | None) -> Any:
        if len(path) > MAX_DEPTH:
            raise _LimitReached(f"nesting deeper than {MAX_DEPTH} levels")
        exact = self.take(path)
        occ = exact or fallback
        if isinstance(value, dict):
            return {k: self.value(v, path + (str(k),), occ) for k, v in value.items() if k not in _HCL_META}
        if isinstance(value, list):
            return [self.value(v, path + (str(i),), occ) for i, v in enumerate(value)]
        if isinstance(value, str) and value.startswith("<<"):
            value = _hcl_heredoc(value)
        if occ is None:
            self.sink.add(Entry(path, value, 1, 1))
        elif exact is not None:
            self.sink.span(path, value, self.index, occ.start, occ.end, occ.quoted)
        else:
            self.sink.add(Entry(path, value, *self.index.at(occ.start)))
        return value


def _parse_hcl(text: str, path: str) -> Document:
    """One scanner pass for values and lines. ``data`` has python-hcl2's shape with bare strings, no
    ``__is_block__``/comment keys, and ``__start_line__``/``__end_line__`` in every block body."""
    index, sink, errors = _LineIndex(text), _Sink(), []
    scanner = _HclScanner(text)
    raw: Any = None
    try:
        raw = scanner.body((), 0, closing=False)
    except RecursionError:
        errors.append("HCL document is nested too deeply to parse")
    if raw is not None and scanner.errors:
        offset, what = scanner.errors[0]
        line, column = index.at(offset)
        errors.append(f"HCL parse error at line {line}, column {column}: {what}")
        raw = None
    if raw is not None and scanner.redefined:
        raw = None
        errors.append(f"HCL error at line {index.at(scanner.redefined[0])[0]}: attribute defined twice in one block")
    data = None
    try:
        if raw is not None:
            data = _HclWalk(scanner.found, index, sink).body(raw, (), None)
        else:
            _hcl_recover(scanner, index, sink)
    except _LimitReached as exc:
        errors.append(f"HCL document too large or too deep: {exc}")
    return _document("hcl", sink, data, errors)


def _hcl_recover(scanner: _HclScanner, index: _LineIndex, sink: _Sink) -> None:
    """After a parse error, still report string literals the scanner found (a secret in a broken file is real)."""
    text = scanner.text
    for key_path, occs in scanner.found.items():
        for occ in occs:
            raw = text[occ.start : occ.end]
            if occ.kind == "value" and occ.quoted and _BASIC_STRING.fullmatch(raw):
                try:
                    value = json.loads(raw)
                except ValueError:
                    value = raw[1:-1]
                sink.span(key_path, value, index, occ.start, occ.end, True)


def hcl_blocks(doc: Document, nested: bool = True) -> list[HclBlock]:
    """Every block of an HCL document in document order (nested ones too unless ``nested=False``),
    so rotation rules can walk ``resource`` blocks and their ``rotation_rules`` without re-parsing."""
    if doc.kind != "hcl" or not isinstance(doc.data, dict):
        return []
    out: list[HclBlock] = []
    _collect_blocks(doc.data, (), out, nested)
    return out


def _collect_blocks(body: dict, path: tuple[str, ...], out: list[HclBlock], nested: bool) -> None:
    for key, value in body.items():
        chains = _as_blocks(value, "__start_line__")
        if chains is None:
            continue
        for labels, inner in chains:
            block_path = path + (str(key),) + tuple(labels)
            attributes = {k: v for k, v in inner.items() if k not in _HCL_META}
            start, end = inner["__start_line__"], inner["__end_line__"]
            out.append(HclBlock(str(key), tuple(labels), start, end, attributes, block_path))
            if nested and len(block_path) < MAX_DEPTH:
                _collect_blocks(inner, block_path, out, nested)


_PARSERS: dict[str, Callable[[str, str], Document]] = {
    "dotenv": _parse_dotenv,
    "yaml": _parse_yaml,
    "json": _parse_json,
    "toml": _parse_toml,
    "ini": _parse_ini,
    "dockerfile": _parse_dockerfile,
    "hcl": _parse_hcl,
}
