"""Our shortcuts around libcst must give exactly libcst's results: the direct position pass (the
provider's own code generation without the resolver's extra visit) and the parse without node
re-validation. Both guard libcst upgrades."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from checker.pyrule import module_positions
from checker.rule import FileContext
from checker.model import Settings

SAMPLES = [
    Path(__file__).resolve().parents[2] / "examples" / "payments-service",
    Path(cst.__file__).parent / "_nodes",
]


def _sources() -> list[Path]:
    files: list[Path] = []
    for root in SAMPLES:
        files.extend(sorted(root.rglob("*.py"))[:6])
    return files


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_same_ranges_as_libcst_resolver(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    ours = module_positions(module)
    assert len(ours) == len(expected) > 0
    assert all(ours[node] == code_range for node, code_range in expected.items())


def test_context_computes_positions_once_and_only_with_a_module() -> None:
    ctx = FileContext(path="a.py", kind="python", text="x = 1\n", settings=Settings())
    assert ctx.node_positions() == {}
    ctx = FileContext(path="a.py", kind="python", text="x = 1\n", settings=Settings(), module=cst.parse_module("x = 1\n"))
    first = ctx.node_positions()
    assert first and ctx.node_positions() is first
    assign = ctx.module.body[0].body[0]
    assert first[assign].start.line == 1 and first[assign].start.column == 0


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_parse_without_validation_builds_the_same_tree(path: Path) -> None:
    from checker.pyrule import parse_module

    source = path.read_text(encoding="utf-8")
    ours, theirs = parse_module(source), cst.parse_module(source)
    assert ours.deep_equals(theirs) and ours.code == source


def test_validation_is_restored_after_parsing_even_on_errors() -> None:
    from checker.pyrule import parse_module

    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")  # nodes built outside the parse still validate


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_statement_level_ranges_equal_whole_module_ranges(path: Path) -> None:
    """``FileContext.node_range`` generates one top-level statement; every node must get the range
    the whole-module pass gives it."""
    from checker.pipeline import visit_batched

    source = path.read_text(encoding="utf-8")
    module = cst.parse_module(source)
    statement_of: dict[int, cst.CSTNode] = {}
    visit_batched(MetadataWrapper(module, unsafe_skip_copy=True), [], statement_of)
    ctx = FileContext(path=path.name, kind="python", text=source, settings=Settings(), module=module)
    ctx.memo["statement_of"] = statement_of
    expected = module_positions(module)
    nodes = [node for node in expected if id(node) in statement_of]
    assert nodes
    got = [ctx.node_range(node) for node in nodes]
    assert "positions" not in ctx.memo  # no whole-module pass was needed
    assert got == [expected[node] for node in nodes]


def test_statement_level_ranges_fall_back_when_a_statement_repeats() -> None:
    from checker.pipeline import visit_batched

    source = "x = 1\nprint(x)\nx = 1\n"
    module = cst.parse_module(source)
    statement_of: dict[int, cst.CSTNode] = {}
    visit_batched(MetadataWrapper(module, unsafe_skip_copy=True), [], statement_of)
    ctx = FileContext(path="a.py", kind="python", text=source, settings=Settings(), module=module)
    ctx.memo["statement_of"] = statement_of
    third = module.body[2].body[0]
    assert ctx.node_range(third).start.line == 3  # found by the whole-module pass
    assert "positions" in ctx.memo
