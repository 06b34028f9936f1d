"""Baselines: accept today's findings so that only new ones fail the run.

The file is sorted JSON keyed by line-independent fingerprints (rule, path, normalised code with
secrets replaced by their hash, occurrence index); it holds no line numbers, so moving code does not
churn it, and no secret, only redacted snippets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from checker.model import Finding, SuppressedFinding, Suppression

BASELINE_VERSION = 1


class BaselineError(Exception):
    pass


def render_baseline(findings: Iterable[Finding], tool_version: str) -> str:
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "path": f.path, "snippet": f.snippet} for f in findings),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"]),
    )
    unique = list({e["fingerprint"]: e for e in entries}.values())
    return json.dumps({"version": BASELINE_VERSION, "tool": "credlint", "tool_version": tool_version, "findings": unique}, indent=2) + "\n"


def load_baseline(path: Path) -> dict[str, dict[str, str]]:
    """fingerprint -> entry; raises BaselineError with a one-line reason."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc.__class__.__name__})") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("tool") != "credlint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a credlint baseline (expected a 'findings' list written by `credlint baseline`)")
    entries: dict[str, dict[str, str]] = {}
    for item in data["findings"]:
        if isinstance(item, dict) and isinstance(item.get("fingerprint"), str):
            entries[item["fingerprint"]] = item
    return entries


def apply_baseline(findings: Iterable[Finding], baseline: dict[str, dict[str, str]]) -> tuple[list[Finding], list[SuppressedFinding]]:
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for finding in findings:
        if finding.fingerprint in baseline:
            suppressed.append(SuppressedFinding(finding, Suppression(kind="baseline", reason="accepted in baseline")))
        else:
            kept.append(finding)
    return kept, suppressed
