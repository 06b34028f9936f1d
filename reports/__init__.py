"""Report renderers: pure functions ``render(result, options) -> str`` of a ``ScanResult``.

Every format lives in its own module and sees only the immutable result (plus a few presentation
options), never the engine or the CLI. Format modules are imported lazily so that a pre-commit run
that prints text does not pay for jinja2.

    from reports import RenderOptions, render
    print(render("sarif", result, RenderOptions()))
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from checker.model import ScanResult
from reports._common import summary_line


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices; nothing here changes *what* was found.

    ``source_lines`` maps a finding's path to the file's lines, each already passed through
    ``checker.redact.redact_line`` by the caller (the HTML report shows them as code excerpts and
    escapes them again).
    """

    color: bool = False
    verbose: bool = False
    show_suppressed: bool = False
    source_lines: Mapping[str, tuple[str, ...]] | None = None


Renderer = Callable[[ScanResult, RenderOptions], str]

# format name -> module defining ``render(result, options)``
_MODULES: dict[str, str] = {
    "text": "reports.text",
    "json": "reports.json_report",
    "sarif": "reports.sarif",
    "html": "reports.html",
    "junit": "reports.junit",
    "github": "reports.github",
}

FORMATS: tuple[str, ...] = tuple(_MODULES)


def _lazy(module_name: str) -> Renderer:
    def render_format(result: ScanResult, options: RenderOptions) -> str:
        renderer: Renderer = importlib.import_module(module_name).render
        return renderer(result, options)

    render_format.__name__ = f"render_{module_name.rsplit('.', 1)[-1]}"
    render_format.__doc__ = f"Render with {module_name}.render (imported on first use)."
    return render_format


RENDERERS: dict[str, Renderer] = {name: _lazy(module) for name, module in _MODULES.items()}


def render(fmt: str, result: ScanResult, options: RenderOptions | None = None) -> str:
    """Render ``result`` in format ``fmt`` (one of ``FORMATS``); raises ``ValueError`` otherwise."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})") from None
    return renderer(result, options or RenderOptions())


__all__ = ["FORMATS", "RENDERERS", "RenderOptions", "Renderer", "render", "summary_line"]
