"""atheris harness for ``checker.documents.parse_document`` (every config kind).

Input layout: the first byte picks the document kind and a file name that selects format variants
(``.npmrc`` splits keys on ``=`` only); the rest is the file's bytes (decoded as UTF-8 with
replacement, as the pipeline would hand over valid text). Invariants checked on every input:

* ``parse_document`` returns a ``Document`` of the requested kind and never raises;
* no error comes from the parser's catch-all (``could not be parsed (SomeError)``): that is an internal
  bug the catch-all hid; the harness re-runs the private parser to surface its traceback;
* every entry sits inside the text (1-based lines/columns, end after start) and there are at most
  ``MAX_ENTRIES`` of them; ``data`` is None whenever there are errors;
* error messages never quote a credential-like token of the input.

Run: ``python tests/fuzz/fuzz_documents.py -max_total_time=120`` (see tests/fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for ``python tests/fuzz/...``

from tests.fuzz._common import example_seeds, quotable_tokens, run_fuzzer  # noqa: E402

# (kind, path): path only matters for variants of a kind.
TARGETS: tuple[tuple[str, str], ...] = (
    ("dotenv", ".env"),
    ("yaml", "config.yaml"),
    ("json", "appsettings.json"),
    ("toml", "pyproject.toml"),
    ("ini", "setup.cfg"),
    ("ini", ".npmrc"),
    ("dockerfile", "Dockerfile"),
    ("hcl", "main.tf"),
)


class DocumentInvariantError(AssertionError):
    """A parse result broke a documented invariant (message never holds input content)."""


def split_input(data: bytes) -> tuple[str, str, str]:
    """(kind, path, text) of one fuzz input."""
    if not data:
        return TARGETS[0][0], TARGETS[0][1], ""
    kind, path = TARGETS[data[0] % len(TARGETS)]
    return kind, path, data[1:].decode("utf-8", "replace")


def check_document(kind: str, path: str, text: str) -> None:
    """Parse once and assert every invariant; raises DocumentInvariantError on a violation."""
    from checker import documents
    from checker.model import Document

    doc = documents.parse_document(kind, text, path)
    if not isinstance(doc, Document) or doc.kind != kind:
        raise DocumentInvariantError(f"parse_document({kind!r}) returned {type(doc).__name__} of kind {getattr(doc, 'kind', None)!r}")
    for error in doc.errors:
        if not isinstance(error, str):
            raise DocumentInvariantError(f"{kind}: error is a {type(error).__name__}, not a str")
        if "could not be parsed (" in error:
            _surface_internal_error(kind, path, text, error)
    if doc.errors and doc.data is not None:
        raise DocumentInvariantError(f"{kind}: data is set although the document has errors")
    if len(doc.entries) > documents.MAX_ENTRIES:
        raise DocumentInvariantError(f"{kind}: {len(doc.entries)} entries, above MAX_ENTRIES")
    _check_positions(kind, doc, _normalised(text))
    tokens = quotable_tokens(text)
    for error in doc.errors:
        quoted = [t for t in tokens if t in error]
        if quoted:
            raise DocumentInvariantError(f"{kind}: an error message quotes a {len(quoted[0])}-character token of the input")


def _normalised(text: str) -> str:
    text = text[1:] if text.startswith("\ufeff") else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_positions(kind: str, doc: object, text: str) -> None:
    line_count = text.count("\n") + 1
    for entry in doc.entries:  # type: ignore[attr-defined]
        if not all(isinstance(part, str) for part in entry.key_path):
            raise DocumentInvariantError(f"{kind}: key_path holds a non-string part")
        if not (1 <= entry.line <= line_count) or entry.column < 1:
            raise DocumentInvariantError(f"{kind}: entry at line {entry.line} column {entry.column}, outside the {line_count}-line text")
        if entry.end_line is not None:
            if entry.end_line < entry.line or entry.end_line > line_count:
                raise DocumentInvariantError(f"{kind}: entry ends at line {entry.end_line} (starts {entry.line}, text has {line_count})")
            if entry.end_line == entry.line and entry.end_column is not None and entry.end_column < entry.column:
                raise DocumentInvariantError(f"{kind}: entry ends at column {entry.end_column} before it starts ({entry.column})")


def _surface_internal_error(kind: str, path: str, text: str, error: str) -> None:
    """Re-run the kind's parser without the catch-all so the crash report shows the real traceback."""
    from checker import documents

    parser = getattr(documents, "_PARSERS", {}).get(kind)
    if parser is not None:
        parser(documents._normalise_text(text), path)  # raises the hidden exception
    raise DocumentInvariantError(f"{kind}: parser catch-all fired: {error}")


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    kind, path, text = split_input(data)
    check_document(kind, path, text)


def seed_inputs() -> list[bytes]:
    """Rule examples of every config kind plus a few hostile shapes, each prefixed with its selector."""
    from checker.filekinds import classify

    index_of = {kind: i for i, (kind, path) in reversed(list(enumerate(TARGETS)))}
    seeds = []
    for path, content in example_seeds():
        kind = classify(path, content[:256])
        if kind in index_of:
            seeds.append(bytes([index_of[kind]]) + content)
    seeds.extend(bytes([index_of[kind]]) + body for kind, body in HOSTILE_SEEDS)
    return seeds


HOSTILE_SEEDS: tuple[tuple[str, bytes], ...] = (
    ("yaml", b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"),
    ("yaml", b"key: !!python/object/apply:os.system ['true']\nother: !custom {a: 1}\n<<: {b: 2}\n"),
    ("yaml", b"--- \nx: 1\n...\n---\n- [[[[[[[[]]]]]]]]\n"),
    ("json", b'{"a": [1, 2, {"b": "c\\u00e9"}], "d": null, "e": 1e400}'),
    ("json", b"[" * 64 + b"]" * 64),
    ("toml", b'[a.b]\nc = "d"\n[[e]]\nf = [1, {g = "h"}]\ni.j = """multi\nline"""\n'),
    ("ini", b"[s]\nk = v\n  continued\nother: x\n"),
    ("dotenv", b'export A="multi\nline"\nB=\'x\'\nC=plain # comment\n'),
    ("dockerfile", b"FROM x\nENV A=1 B=\"2\" \\\n    C=3\nARG D=4\nENV E 5\n"),
    ("hcl", b'resource "a" "b" {\n  c = "d"\n  e = { f = "g" }\n  dynamic "h" { content { i = 1 } }\n}\n'),
)


def _instrument() -> None:
    import checker.documents  # noqa: F401 - imported inside atheris' instrumentation context


if __name__ == "__main__":
    run_fuzzer("documents", TestOneInput, seed_inputs, _instrument)
