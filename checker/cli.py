"""The ``credlint`` command line (click).

Exit codes: 0 no finding at or above the failing severity; 1 findings that fail the run; 2 usage,
configuration or internal error (one-line message on stderr; a traceback only with --verbose).
Heavy modules (libcst, detect-secrets, jinja2, the rules) are imported only by the commands that
need them, so ``credlint --version`` and small pre-commit runs start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from checker import __version__

FORMATS = ("text", "json", "sarif", "html", "junit", "github")
SEVERITIES = ("low", "medium", "high", "critical")


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"credlint: error: {self.format_message()}", err=True)


def _fail(message: str) -> NoReturn:
    raise UserError(message)


def _parse_now(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            from checker.config import shown

            _fail(f"--now: {shown(value)} is not a date like 2026-11-28")


def _selectors(value: str | None, option: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    from checker.registry import is_valid_selector

    items = tuple(s.strip().upper() for s in value.split(",") if s.strip())
    for item in items:
        if not is_valid_selector(item):
            from checker.config import shown

            _fail(f"{option}: unknown rule id or prefix {shown(item)} (see `credlint rules`)")
    return items


def _progress_factory(quiet: bool) -> Callable[[int], Any] | None:
    """A progress bar on stderr, only for a terminal and only for scans with many files."""
    if quiet or not sys.stderr.isatty():
        return None

    def factory(total: int) -> Any:
        if total < 200:
            return None
        return click.progressbar(length=total, label="scanning", file=sys.stderr, show_pos=True)

    return factory


def _run_guarded(verbose: bool, body: Callable[[], int]) -> None:
    """Turn user errors into exit 2 with a one-line message; internal errors too (no traceback
    unless --verbose)."""
    from checker.config import ConfigError

    try:
        code = body()
    except click.ClickException:
        raise
    except ConfigError as exc:
        _fail(str(exc))
    except Exception as exc:  # noqa: BLE001
        name = type(exc).__name__
        if name in ("BaselineError", "RegistryError", "HistoryError"):
            _fail(str(exc))
        if verbose:
            import traceback

            traceback.print_exc()
        click.echo(f"credlint: internal error: {name}: {_safe_message(exc)} (rerun with --verbose for details)", err=True)
        sys.exit(2)
    sys.exit(code)


def _safe_message(exc: BaseException) -> str:
    from checker.redact import redact_text

    return redact_text(str(exc))[:300]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="credlint", message="%(prog)s %(version)s")
def main() -> None:
    """credlint: security linter and compliance checker for OAuth 2.0 Client Credentials.

    Finds committed client secrets, logged tokens, plain-HTTP endpoints, disabled TLS checks,
    over-broad scopes, uncached or late-refreshed tokens and stale secrets, following the Aelix
    guide "Authenticating with OAuth 2.0".

    \b
    Examples:
      credlint check                       scan the current directory
      credlint check src/ --format sarif -o credlint.sarif
      credlint check --staged              what pre-commit runs
      credlint explain OA201               documentation of one rule
    """


def _scan_options(
    paths: tuple[str, ...],
    select: str | None,
    ignore: str | None,
    severity: str | None,
    baseline: str | None,
    staged: bool,
    history: str | None,
    config: str | None,
    now: str | None,
    jobs: int | None,
    no_cache: bool,
    strict: bool,
    verbose: bool,
    quiet: bool,
) -> Any:
    from checker.engine import ScanOptions
    from checker.model import Severity

    if not no_cache:
        # Before anything asks for rule ids: a fully cached run then never imports the rules.
        from checker.cache import CACHE_DIR
        from checker.catalog import use_snapshot
        from checker.engine import scan_root

        use_snapshot(scan_root([Path(p) for p in paths] or [Path(".")]) / CACHE_DIR)
    overrides: dict[str, Any] = {}
    if (sel := _selectors(select, "--select")) is not None:
        overrides["select"] = sel
    if (ign := _selectors(ignore, "--ignore")) is not None:
        overrides["ignore"] = ign
    if severity is not None:
        overrides["fail_on"] = Severity.parse(severity)
    if strict:
        overrides["strict"] = True
    if config is not None and not Path(config).is_file():
        _fail(f"--config: {config}: file not found")
    if baseline is not None and not Path(baseline).is_file():
        _fail(f"--baseline: {baseline}: file not found")
    if jobs is not None and jobs < 1:
        _fail("--jobs must be at least 1")
    for p in paths:
        if not os.path.lexists(p):
            _fail(f"{p}: no such file or directory")

    def say(message: str) -> None:
        if verbose:
            click.echo(message, err=True)

    return ScanOptions(
        paths=tuple(Path(p) for p in paths) or (Path("."),),
        config=Path(config) if config else None,
        overrides=overrides,
        baseline=Path(baseline) if baseline else None,
        staged=staged,
        history=history,
        now=_parse_now(now),
        jobs=jobs,
        use_cache=not no_cache,
        verbose=say if verbose else None,
        progress=_progress_factory(quiet),
    )


def _common_scan_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=str)),
        click.option("--select", metavar="IDS", help="Only these rule ids or prefixes, comma-separated (e.g. OA1,OA301)."),
        click.option("--ignore", metavar="IDS", help="Skip these rule ids or prefixes."),
        click.option("--config", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), help="Use this config file for every file (default: nearest pyproject.toml [tool.credlint] or .credlint.toml)."),
        click.option("--staged", is_flag=True, help="Only files staged in git (what a pre-commit hook checks)."),
        click.option("--now", metavar="DATE", help="The date time-based rules use (YYYY-MM-DD; default: today)."),
        click.option("--jobs", "-j", type=int, metavar="N", help="Worker processes for large scans (default: CPU count)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write .credlint_cache/."),
        click.option("--strict", is_flag=True, help="Also show low-confidence findings."),
        click.option("--verbose", "-v", is_flag=True, help="Explain decisions (per-client scopes, skipped analyses) on stderr."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but findings (no summary, no progress)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@_common_scan_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format; html is the audit report.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, writable=True, path_type=str), help="Write the report to FILE instead of stdout.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="Lowest severity that fails the run (default: config fail-on, else low).")
@click.option("--baseline", metavar="FILE", type=click.Path(path_type=str), help="Findings recorded in this baseline do not fail the run.")
@click.option("--history", is_flag=False, flag_value="", default=None, metavar="[REV-RANGE]", help="Also scan committed git history for secrets (OA101–OA103); optional range like main..HEAD.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: when stdout is a terminal).")
def check(
    paths: tuple[str, ...], select: str | None, ignore: str | None, config: str | None, staged: bool, now: str | None,
    jobs: int | None, no_cache: bool, strict: bool, verbose: bool, quiet: bool, fmt: str, output: str | None,
    severity: str | None, baseline: str | None, history: str | None, color: bool | None,
) -> None:
    """Scan PATHS (default: the current directory) and report findings.

    Exit code 0 when no finding reaches the failing severity, 1 when one does, 2 on errors.
    """

    def body() -> int:
        from checker.engine import scan

        options = _scan_options(paths, select, ignore, severity, baseline, staged, history, config, now, jobs, no_cache, strict, verbose, quiet)
        result = scan(options)
        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        text = _render(fmt, result, use_color, verbose, quiet)
        _emit(text, output)
        if output is not None and not quiet and fmt != "text":
            click.echo(_summary_line(result), err=True)
        return result.exit_code

    _run_guarded(verbose, body)


def _summary_line(result: Any) -> str:
    n = len(result.findings)
    return f"credlint: {n} finding{'s' if n != 1 else ''} in {result.stats.files_scanned} files; {len(result.suppressed)} suppressed"


def _render(fmt: str, result: Any, color: bool, verbose: bool, quiet: bool) -> str:
    from reports import RenderOptions, render

    source_lines = _source_excerpts(result) if fmt == "html" else None
    options = RenderOptions(color=color, verbose=verbose, source_lines=source_lines)
    text = render(fmt, result, options)
    if fmt == "text" and quiet:
        text = "\n".join(line for line in text.splitlines() if ":" in line and " [" in line)
        text = text + "\n" if text else ""
    return text


def _source_excerpts(result: Any, context: int = 3) -> dict[str, tuple[str, ...]]:
    """Redacted lines around each finding for the HTML report (secrets masked line by line)."""

    wanted: dict[str, set[int]] = {}
    for finding in list(result.findings) + [s.finding for s in result.suppressed]:
        if "history" in dict(finding.properties):
            continue
        lines = wanted.setdefault(finding.path, set())
        lines.update(range(max(1, finding.line - context), finding.line + context + 1))
    excerpts: dict[str, tuple[str, ...]] = {}
    root = Path(result.metadata.root)
    for rel, numbers in wanted.items():
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        excerpts[rel] = tuple(_redact_context(line) if (i + 1) in numbers else "" for i, line in enumerate(text[: max(numbers)]))
    return excerpts


def _redact_context(line: str) -> str:
    """A context line of the HTML excerpt: every literal and every value assigned to a
    credential-named key masked (``redact_line`` does both)."""
    from checker.redact import redact_line

    return redact_line(line, mask_literals=True)


def _emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"-o {output}: cannot write ({exc.strerror or exc.__class__.__name__})")


@main.command()
@_common_scan_options
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, path_type=str), default=".credlint-baseline.json", show_default=True, help="Where to write the baseline.")
def baseline(
    paths: tuple[str, ...], select: str | None, ignore: str | None, config: str | None, staged: bool, now: str | None,
    jobs: int | None, no_cache: bool, strict: bool, verbose: bool, quiet: bool, output: str,
) -> None:
    """Write a baseline of today's findings: later `check --baseline FILE` fails only on new ones."""

    def body() -> int:
        from checker.baseline import render_baseline
        from checker.engine import scan

        options = _scan_options(paths, select, ignore, None, None, staged, None, config, now, jobs, no_cache, strict, verbose, quiet)
        result = scan(options)
        _emit(render_baseline(result.findings, __version__), output)
        if not quiet:
            n = len(result.findings)
            click.echo(f"credlint: wrote {n} finding{'s' if n != 1 else ''} to {output}", err=True)
        return 0

    _run_guarded(verbose, body)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List every rule: id, name, family, default severity and summary."""
    from checker.registry import all_rules

    metas = [r.meta() for r in all_rules()]
    if fmt == "markdown":
        click.echo(rules_markdown(metas))
        return
    if fmt == "json":
        import json

        click.echo(json.dumps([{"id": m.id, "name": m.name, "family": m.family, "severity": m.severity.label, "summary": m.summary, "cwe": list(m.cwe)} for m in metas], indent=2))
        return
    width = max((len(m.name) for m in metas), default=10)
    click.echo(f"{'ID':<6} {'NAME':<{width}} {'FAMILY':<9} {'SEVERITY':<9} SUMMARY")
    for m in metas:
        click.echo(f"{m.id:<6} {m.name:<{width}} {m.family:<9} {m.severity.label:<9} {m.summary}")


def rules_markdown(metas: list[Any]) -> str:
    """The rule table of the README (a test keeps the README in sync with the registry)."""
    rows = ["| id | name | family | severity | guide tip | what it finds |", "| --- | --- | --- | --- | --- | --- |"]
    for m in metas:
        rows.append(f"| {m.id} | {m.name} | {m.family} | {m.severity.label} | {m.tip} | {m.summary} |")
    return "\n".join(rows)


@main.command()
@click.argument("rule_id")
@click.option("--color/--no-color", default=None, help="Colour the output (default: when stdout is a terminal).")
def explain(rule_id: str, color: bool | None) -> None:
    """Show a rule's documentation and its valid/invalid examples."""
    from checker.registry import all_rules, rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        ids = ", ".join(r.id for r in all_rules())
        from checker.config import shown

        _fail(f"unknown rule id {shown(rule_id)} (known: {ids})")
    from reports.rule_docs import terminal

    use_color = color if color is not None else sys.stdout.isatty()
    click.echo(terminal(rule.meta(), color=use_color))


if __name__ == "__main__":  # pragma: no cover
    main()
