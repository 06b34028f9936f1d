"""Shared plumbing of the atheris harnesses (not a test module: pytest collects only ``test_*.py``).

The harnesses must keep working without atheris installed (CI imports ``TestOneInput`` and calls it on
seed inputs), so everything atheris-specific happens in ``run_fuzzer``.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Callable, Iterable

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # run as ``python tests/fuzz/fuzz_x.py`` from anywhere
    sys.path.insert(0, str(REPO_ROOT))

# Runs of identifier characters mixing letters and digits, long enough to be a credential: if one of
# these from the input shows up verbatim in an error message, the message quotes file content.
_QUOTABLE = re.compile(r"[A-Za-z0-9_]{16,}")


def quotable_tokens(text: str) -> set[str]:
    """Input tokens that no message about the input may repeat (they could be secrets)."""
    return {t for t in _QUOTABLE.findall(text) if any(c.isdigit() for c in t) and any(c.isalpha() for c in t)}


def example_seeds(kinds: Iterable[str] | None = None) -> list[tuple[str, bytes]]:
    """(path, content) of every registered rule example: realistic starting points for mutation."""
    from checker.registry import all_rules

    wanted = set(kinds) if kinds is not None else None
    out: list[tuple[str, bytes]] = []
    for rule in all_rules():
        for example in (*rule.valid, *rule.invalid):
            files = {example.path: example.code, **dict(example.files or {})}
            for path, code in files.items():
                source = textwrap.dedent(code).lstrip("\n").encode("utf-8")
                out.append((path, source))
    if wanted is None:
        return out
    from checker.filekinds import classify

    return [(p, c) for p, c in out if classify(p, c[:256]) in wanted]


def run_fuzzer(name: str, test_one_input: Callable[[bytes], None], seeds: Callable[[], list[bytes]], instrument: Callable[[], None]) -> None:
    """Entry point of ``python tests/fuzz/fuzz_<name>.py [libFuzzer flags] [corpus dirs]``.

    Without a corpus directory argument the harness uses ``tests/fuzz/corpus/<name>/`` and fills it
    with seed inputs first (that directory is git-ignored).
    """
    import atheris

    with atheris.instrument_imports(include=["checker", "rules"]):
        instrument()
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        corpus = Path(__file__).resolve().parent / "corpus" / name
        corpus.mkdir(parents=True, exist_ok=True)
        if not any(corpus.iterdir()):
            for index, seed in enumerate(seeds()):
                (corpus / f"seed-{index:04d}").write_bytes(seed)
        argv.append(str(corpus))
    os.environ.setdefault("CREDLINT_FUZZING", "1")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
