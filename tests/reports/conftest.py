"""Fixtures for the renderer tests: the one hand-made ScanResult and the golden-file check.

Regenerate the golden files after an intended output change with
``CREDLINT_UPDATE_GOLDEN=1 python -m pytest tests/reports -q`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.model import ScanResult
from tests.reports import sample

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("CREDLINT_UPDATE_GOLDEN") == "1"
SARIF_SCHEMA_PATH = Path(__file__).resolve().parents[2] / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "reports" / "schema" / "report.schema.json"


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/<name>`` byte for byte (or rewrite it when updating)."""
    path = GOLDEN_DIR / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"golden file {name} is missing; run with CREDLINT_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from its golden file (CREDLINT_UPDATE_GOLDEN=1 rewrites it after review)"


@pytest.fixture()
def result() -> ScanResult:
    return sample.build_result()


@pytest.fixture()
def clean() -> ScanResult:
    return sample.clean_result()


@pytest.fixture()
def suppressed_only() -> ScanResult:
    return sample.suppressed_only_result()


@pytest.fixture()
def hostile() -> ScanResult:
    return sample.hostile_result()
