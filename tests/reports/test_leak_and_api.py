"""Renderers never print secret values; the package API; renderers stay pure (imports)."""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path

import pytest

from checker.model import ScanResult
from checker.redact import redact, redact_line
from reports import FORMATS, RENDERERS, RenderOptions, render
from tests.reports import sample

REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"

ALL_OPTIONS = [
    RenderOptions(),
    RenderOptions(color=True, verbose=True, show_suppressed=True),
]


def _windows(secret: str, size: int = 8) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def _source_lines() -> dict[str, tuple[str, ...]]:
    """What the CLI would pass: the files' lines, each through redact_line."""
    files = {
        "svc/settings.py": ("import os", "", "# settings", f'CLIENT_SECRET = "{sample.CLIENT_SECRET}"', f"TOKEN = '{sample.ACCESS_TOKEN}'"),
        "tests/fixtures/fake_settings.py": ("", "# credlint: ignore[OA101] fake", f'client_secret = "{sample.API_KEY}"'),
    }
    return {path: tuple(redact_line(line, sample.PLANTED_SECRETS) for line in lines) for path, lines in files.items()}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("options", ALL_OPTIONS, ids=["plain", "everything"])
def test_no_renderer_prints_a_planted_secret(result: ScanResult, fmt: str, options: RenderOptions) -> None:
    options = dataclasses.replace(options, source_lines=_source_lines())
    out = render(fmt, result, options)
    for secret in sample.PLANTED_SECRETS:
        leaked = [w for w in _windows(secret) if w in out]
        assert not leaked, f"{fmt} printed part of a planted secret: {leaked[:3]}"


def test_the_sample_really_holds_the_secrets_redacted(result: ScanResult) -> None:
    text = render("json", result, RenderOptions(verbose=True))
    assert redact(sample.API_KEY) in text  # the note and the suppressed snippet carry the redacted form


def test_registry_of_formats() -> None:
    assert set(RENDERERS) == set(FORMATS) == {"text", "json", "sarif", "html", "junit", "github"}
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render("pdf", sample.build_result(), RenderOptions())


def test_render_options_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RenderOptions().color = True  # type: ignore[misc]


def test_default_options(result: ScanResult) -> None:
    assert render("text", result) == render("text", result, RenderOptions())


ALLOWED_IMPORTS = {"checker.model", "checker.redact", "jinja2", "markupsafe", "reports", "__future__"}


@pytest.mark.parametrize("path", sorted(REPORTS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_renderers_import_only_the_model_redaction_and_jinja(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            ok = name in ALLOWED_IMPORTS or top in {"reports", "jinja2", "markupsafe"} or top in sys.stdlib_module_names
            assert ok, f"{path.name} imports {name}"


def test_renderers_do_not_read_the_clock(result: ScanResult) -> None:
    """Time comes from result.metadata: the same result renders the same bytes tomorrow."""
    for path in REPORTS_DIR.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".now(" not in source and "time.time(" not in source and ".today(" not in source, path.name
