"""JSON report: the CONTRACTS.md shape, validated against our schema; stable and UTF-8."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from checker.model import CONTROLS, FAMILIES, NOTE_KINDS, ScanResult
from reports import render
from tests.reports import sample
from tests.reports.conftest import REPORT_SCHEMA_PATH


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("build", [sample.build_result, sample.clean_result, sample.suppressed_only_result, sample.hostile_result])
def test_validates_against_our_schema(validator: jsonschema.Draft202012Validator, build) -> None:
    errors = sorted(validator.iter_errors(json.loads(render("json", build()))), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_shape_of_the_contract(result: ScanResult) -> None:
    doc = json.loads(render("json", result))
    assert list(doc) == ["schema_version", "tool", "scan", "findings", "suppressed", "notes", "rotation", "summary"]
    assert doc["schema_version"] == "1"
    assert doc["tool"] == {"name": "credlint", "version": "0.1.0"}
    scan = doc["scan"]
    for key in ("root", "started_at", "now", "commit", "config_hash", "files_scanned", "files_skipped", "duration_ms"):
        assert key in scan
    assert scan["disabled_rules"] == ["OA502", "OA602"]
    first = next(f for f in doc["findings"] if f["rule"] == "OA201" and f["line"] == 12)
    assert first == {
        "rule": "OA201", "name": "token-logged", "family": "log", "severity": "high", "confidence": "high",
        "path": "svc/client.py", "line": 12, "column": 8, "end_line": 12, "end_column": 30,
        "message": "access token passed to logger.info",
        "snippet": 'logger.info("token %s", token["access_token"])', "fingerprint": "a1b2c3d4e5f60718293a",
    }


def test_findings_sorted_and_summary(result: ScanResult) -> None:
    doc = json.loads(render("json", result))
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in doc["findings"]]
    assert keys == sorted(keys)
    summary = doc["summary"]
    assert summary["by_severity"] == {"critical": 1, "high": 3, "medium": 3, "low": 0, "info": 0}
    assert summary["by_rule"] == {"OA101": 1, "OA201": 2, "OA301": 1, "OA401": 1, "OA501": 1, "OA601": 1}
    assert summary["controls"] == {"secret": "fail", "log": "fail", "https": "fail", "scope": "fail", "refresh": "fail", "rotation": "fail"}
    assert (summary["total"], summary["failing"], summary["suppressed"]) == (7, 7, 4)


def test_suppressed_carry_kind_and_reason(result: ScanResult) -> None:
    doc = json.loads(render("json", result))
    kinds = {(s["suppression"]["kind"], s["suppression"]["reason"]) for s in doc["suppressed"]}
    assert ("inline", "") in kinds and ("baseline", "") in kinds
    assert ("config", "per-file-ignores: local development compose file") in kinds


def test_clean_run_controls(clean: ScanResult) -> None:
    doc = json.loads(render("json", clean))
    assert doc["findings"] == [] and doc["summary"]["controls"]["scope"] == "not-evaluated"
    assert doc["summary"]["controls"]["secret"] == "pass"


def test_unicode_is_kept_and_lone_surrogates_do_not_crash(result: ScanResult) -> None:
    odd = replace(sample.FINDINGS[0], path="svc/clïent\udcff.py", message="jeton journalisé — access token")
    text = render("json", replace(result, findings=(odd,)))
    text.encode("utf-8")  # must not raise
    assert "jeton journalisé — access token" in text


def test_schema_enums_follow_the_model() -> None:
    """The schema's closed vocabularies are the model's (a new note kind must update both)."""
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert set(defs["note"]["properties"]["kind"]["enum"]) == set(NOTE_KINDS)
    assert set(defs["family"]["enum"]) == set(FAMILIES)
    assert set(schema["properties"]["summary"]["properties"]["controls"]["required"]) == {key for key, _t, _f in CONTROLS}


def test_schema_rejects_unknown_fields(validator: jsonschema.Draft202012Validator, result: ScanResult) -> None:
    doc = json.loads(render("json", result))
    doc["findings"][0]["secret_value"] = "x"
    assert not validator.is_valid(doc)
    doc = json.loads(render("json", result))
    doc["suppressed"][0]["suppression"]["who"] = "me"
    assert not validator.is_valid(doc)
