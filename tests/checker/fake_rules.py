"""Tiny rules used to test the engine without depending on the real rule catalog."""

from __future__ import annotations

import libcst as cst

from checker.model import Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext, TextRule


class MarkerLiteral(PythonRule):
    """Reports string literals that contain MARKER."""

    id = "OA990"
    name = "marker-literal"
    family = "secret"
    severity = Severity.HIGH
    summary = "a marker literal"
    triggers = ("MARKER",)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "MARKER" in node.value:
            self.report(node, "marker literal found", secrets=(node.evaluated_value,))


class Exploding(PythonRule):
    """Raises on every Name (a broken rule must not lose other rules' findings)."""

    id = "OA991"
    name = "exploding"
    family = "log"
    summary = "always raises"

    def visit_Name(self, node: cst.Name) -> None:
        raise ValueError("boom")


class TextMarker(TextRule):
    """Reports lines containing TEXTMARK in any text file."""

    id = "OA992"
    name = "text-marker"
    family = "secret"
    summary = "text marker"
    triggers = ("TEXTMARK",)

    def check(self, ctx: FileContext) -> None:
        for number, line in enumerate(ctx.lines, start=1):
            col = line.find("TEXTMARK")
            if col >= 0:
                ctx.report_at(type(self), number, col + 1, "text marker found")
