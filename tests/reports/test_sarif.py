"""SARIF 2.1.0: valid against the official OASIS schema and shaped for GitHub code scanning."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest

from checker.model import Fix, ScanResult, Severity
from reports import render
from tests.reports import sample
from tests.reports.conftest import SARIF_SCHEMA_PATH


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA_PATH.exists():
        pytest.skip(f"official SARIF schema not found at {SARIF_SCHEMA_PATH}")
    schema = json.loads(SARIF_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-04/")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _sarif(result: ScanResult) -> dict[str, Any]:
    return json.loads(render("sarif", result))


def _assert_valid(validator: jsonschema.Draft4Validator, doc: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize(
    "build",
    [sample.clean_result, sample.build_result, sample.suppressed_only_result, sample.hostile_result],
    ids=["clean", "findings", "suppressions", "hostile"],
)
def test_validates_against_official_schema(validator: jsonschema.Draft4Validator, build) -> None:
    _assert_valid(validator, _sarif(build()))


def test_driver_lists_every_rule_with_help(result: ScanResult) -> None:
    driver = _sarif(result)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "credlint" and driver["version"] == "0.1.0" and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == sorted(m.id for m in sample.RULES)
    oa101 = driver["rules"][0]
    assert oa101["name"] == "hardcoded-client-secret"
    assert oa101["shortDescription"]["text"] == sample.OA101.summary
    assert oa101["fullDescription"]["text"].startswith("Finds string literals bound to credential-like names")
    assert "## OA101 hardcoded-client-secret" in oa101["help"]["markdown"]
    assert "Use instead" in oa101["help"]["text"] and "os.environ" in oa101["help"]["markdown"]
    assert oa101["helpUri"].endswith("#oa101-hardcoded-client-secret")
    assert oa101["defaultConfiguration"]["level"] == "error"
    assert oa101["properties"]["security-severity"] == "9.5"
    assert {"security", "secret", "CWE-798", "external/cwe/cwe-798"} <= set(oa101["properties"]["tags"])


def test_levels_and_security_severity_by_severity(result: ScanResult) -> None:
    rules = {r["id"]: r for r in _sarif(result)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["OA201"]["defaultConfiguration"]["level"] == "error"
    assert rules["OA401"]["defaultConfiguration"]["level"] == "warning"
    assert rules["OA401"]["properties"]["security-severity"] == "5.5"
    low = replace(sample.FINDINGS[0], severity=Severity.LOW)
    doc = _sarif(replace(result, findings=(low,), suppressed=()))
    assert doc["runs"][0]["results"][0]["level"] == "note"


def test_results_reference_rules_and_locations(result: ScanResult) -> None:
    run = _sarif(result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["partialFingerprints"]["credlint/v1"]
        location = res["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
    logged = next(r for r in run["results"] if r["ruleId"] == "OA201" and "suppressions" not in r and r["level"] == "error")
    assert logged["message"]["text"] == "access token passed to logger.info"
    assert logged["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 8, "endLine": 12, "endColumn": 30}
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]
    assert run["automationDetails"]["id"].startswith("credlint/")


def test_suppressions_inline_are_in_source_others_external(suppressed_only: ScanResult) -> None:
    results = _sarif(suppressed_only)["runs"][0]["results"]
    assert len(results) == 4 and all(len(r["suppressions"]) == 1 for r in results)
    by_uri = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["suppressions"][0] for r in results}
    assert by_uri["tests/fixtures/fake_settings.py"]["kind"] == "inSource"
    assert by_uri["tests/fixtures/fake_settings.py"]["justification"] == "fake credential used by the test-suite"
    assert by_uri["docker-compose.yml"]["kind"] == "external"
    assert by_uri["legacy/client.py"]["kind"] == "external" and "justification" not in by_uri["legacy/client.py"]


def test_fix_with_replacement_becomes_sarif_fix(result: ScanResult) -> None:
    results = _sarif(result)["runs"][0]["results"]
    secret = next(r for r in results if r["ruleId"] == "OA101" and "suppressions" not in r)
    change = secret["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"]["text"] == 'os.environ["CLIENT_SECRET"]'
    assert change["replacements"][0]["deletedRegion"]["startLine"] == 4
    http = next(r for r in results if r["ruleId"] == "OA301" and "suppressions" not in r)
    assert "fixes" not in http and http["properties"]["fix"] == "Use an https:// URL"


def test_notes_become_tool_notifications(result: ScanResult) -> None:
    invocation = _sarif(result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["startTimeUtc"] == "2026-03-14T09:26:53.000Z"
    kinds = {n["descriptor"]["id"]: n for n in invocation["toolExecutionNotifications"]}
    assert kinds["parse-error"]["level"] == "warning"
    assert kinds["skipped-binary"]["level"] == "note"
    assert kinds["unused-suppression"]["associatedRule"] == {"id": "OA103"}


def test_file_level_finding_points_at_first_line(result: ScanResult) -> None:
    results = _sarif(result)["runs"][0]["results"]
    stale = next(r for r in results if r["ruleId"] == "OA601")
    assert stale["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_odd_positions_stay_valid(validator: jsonschema.Draft4Validator, result: ScanResult) -> None:
    odd = (
        replace(sample.FINDINGS[0], column=0, end_column=0),
        replace(sample.FINDINGS[0], end_line=11, end_column=3),  # end before start
        replace(sample.FINDINGS[0], path="dir with space/ünï#?.py", fix=Fix("x", "y"), line=0, end_line=0),
    )
    _assert_valid(validator, _sarif(replace(result, findings=odd)))


def test_unknown_rule_in_findings_gets_a_descriptor(result: ScanResult) -> None:
    stray = replace(sample.FINDINGS[0], rule="OA999", name="mystery-rule")
    run = _sarif(replace(result, findings=(stray,), suppressed=()))["runs"][0]
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "OA999"


def test_absolute_root_becomes_file_uri(result: ScanResult) -> None:
    doc = _sarif(replace(result, metadata=replace(result.metadata, root="/home/ci/work/repo")))
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"] == {"uri": "file:///home/ci/work/repo/"}
