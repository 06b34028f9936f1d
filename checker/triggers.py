"""Compiled prefilter patterns: "may this rule find anything in a file with these bytes?".

Every file is searched with about fifteen trigger patterns, most of them long word alternations.
Python's backtracking ``re`` tries every alternative at every byte; on the standard library that
cost more than a quarter of a whole scan. RE2 (``google-re2``) runs the same patterns as a DFA in
one pass, about ten times faster, so a pattern is searched with RE2 when it can be, and with
``re`` otherwise. The answer must never change: a trigger that says "no" wrongly hides findings.

* The RE2 source is the ``re`` source with ``\\s``/``\\S`` spelled as POSIX classes (RE2's ``\\s``
  lacks ``\\v``), searched in Latin-1 mode so that, as in ``re``'s bytes mode, one byte is one
  character (in RE2's default UTF-8 mode ``[^"]{4}`` would count code points, not bytes).
* Constructs RE2 lacks are handled by over-approximating: lookaround groups are dropped (the
  RE2 pattern then matches at least wherever the ``re`` one does) and a hit is confirmed with
  ``re``. The same holds for ``IGNORECASE``, which RE2 applies to Latin-1 letters too.
* Anything else RE2 cannot compile (or a missing ``google-re2`` wheel) leaves ``re`` alone.

A property test checks that the answer equals ``re``'s for every rule's patterns.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

# Letter escapes RE2 and re read alike in a bytes pattern (ASCII classes); \s and \S are rewritten,
# and an escaped punctuation character is that character in both.
_SAME_LETTER_ESCAPES = frozenset(b"wWdDbBtnrfvax")
_UNSUPPORTED = (b"(?P=", b"(?(", b"(?>", b"*+", b"++", b"?+", b"}+")


class TriggerPattern:
    """One trigger regex, compiled for searching a file's *lowered* bytes.

    ``hit(lowered)`` answers exactly as ``re.compile(source, flags).search(lowered)`` would;
    ``finditer`` (for reports) and ``pattern``/``flags`` are those of the ``re`` pattern.
    """

    __slots__ = ("exact", "_screen", "_screen_is_exact")

    def __init__(self, source: bytes, flags: int = 0) -> None:
        self.exact = re.compile(source, flags)
        self._screen, self._screen_is_exact = _re2_screen(source, flags)

    @property
    def pattern(self) -> bytes:
        return self.exact.pattern

    @property
    def flags(self) -> int:
        return self.exact.flags

    @property
    def uses_re2(self) -> bool:
        return self._screen is not None

    def hit(self, lowered: bytes) -> bool:
        if self._screen is None:
            return self.exact.search(lowered) is not None
        if self._screen.search(lowered) is None:
            return False
        return self._screen_is_exact or self.exact.search(lowered) is not None

    def finditer(self, data: bytes) -> Iterator[re.Match[bytes]]:
        return self.exact.finditer(data)


def _re2_screen(source: bytes, flags: int) -> tuple[Any, bool]:
    """(RE2 pattern matching a superset of ``source``'s matches or None, whether it is exact)."""
    if flags & ~(re.IGNORECASE | re.ASCII) or any(token in source for token in _UNSUPPORTED):
        return None, False
    translated = translate(source)
    if translated is None:
        return None, False
    text, exact = translated
    if flags & re.IGNORECASE:
        text, exact = b"(?i)" + text, False
    elif re.search(rb"\(\?[a-zA-Z]*i", source):
        exact = False  # an inline (?i): RE2 also folds Latin-1 letters, so confirm hits with re
    try:
        import re2  # google-re2; optional at run time (see module docstring)

        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        options.log_errors = False
        options.never_capture = True
        return re2.compile(text, options), exact
    except Exception:  # noqa: BLE001 - ImportError, or a construct RE2 rejects: keep re
        return None, False


def translate(source: bytes) -> tuple[bytes, bool] | None:
    """The RE2 spelling of a ``re`` bytes pattern and whether it is exact (False: lookarounds were
    dropped, so it over-approximates), or None when it uses something this does not translate."""
    out = bytearray()
    exact = True
    i, n = 0, len(source)
    in_class = False
    while i < n:
        c = source[i]
        if c == ord("\\"):
            if i + 1 >= n:
                return None
            e = source[i + 1]
            if e == ord("s"):
                out += b"[:space:]" if in_class else b"[[:space:]]"
            elif e == ord("S"):
                out += b"[:^space:]" if in_class else b"[^[:space:]]"
            elif (e in _SAME_LETTER_ESCAPES and not (e in b"bB" and in_class)) or not (chr(e).isalnum() or e > 0x7F):
                out += source[i : i + 2]
            elif e in b"AZ" and not in_class:
                out += b"\\A" if e == ord("A") else b"\\z"  # start and very end of the text in both
            else:
                return None  # \N, \u, backreferences and the like
            i += 2
            continue
        if in_class:
            if c == ord("[") and source[i + 1 : i + 2] == b":":
                return None  # a literal "[:" inside a class means a POSIX class to RE2
            if c == ord("]"):
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == ord("["):
            in_class = True
            out.append(c)
            i += 1
            # a "]" or "^]" right after the opening bracket is a literal in both dialects
            if source[i : i + 1] == b"^":
                out.append(source[i])
                i += 1
            if source[i : i + 1] == b"]":
                out += b"\\]"
                i += 1
            continue
        if c == ord("$"):
            return None  # re's $ also matches before a final newline
        if c == ord("{") and source[i + 1 : i + 2] == b",":
            return None  # re reads x{,3} as x{0,3}, RE2 as the literal text "{,3}"
        if source.startswith((b"(?=", b"(?!", b"(?<=", b"(?<!"), i):
            end = _group_end(source, i)
            if end is None:
                return None
            exact = False
            i = end
            continue
        out.append(c)
        i += 1
    if in_class:
        return None
    return bytes(out), exact


def _group_end(source: bytes, start: int) -> int | None:
    """Index just past the group opened at ``start`` (escapes and classes skipped)."""
    depth = 0
    i, n = start, len(source)
    in_class = False
    while i < n:
        c = source[i]
        if c == ord("\\"):
            i += 2
            continue
        if in_class:
            if c == ord("]"):
                in_class = False
        elif c == ord("["):
            in_class = True
            if source[i + 1 : i + 2] == b"^":
                i += 1
            if source[i + 1 : i + 2] == b"]":
                i += 1
        elif c == ord("("):
            depth += 1
        elif c == ord(")"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None
