"""JUnit XML: valid XML, one case per rule × file with findings, passing cases for clean rules."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from checker.model import ScanResult, Severity
from reports import render


def _suite(result: ScanResult) -> ET.Element:
    root = ET.fromstring(render("junit", result).encode("utf-8"))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "credlint"
    return suite


def _cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in suite.iter("testcase")}


def test_one_case_per_rule_and_file(result: ScanResult) -> None:
    suite = _suite(result)
    cases = _cases(suite)
    failing = cases["OA201 token-logged: svc/client.py"]
    assert failing.get("classname") == "OA201"
    failure = failing.find("failure")
    assert failure is not None and "svc/client.py:12:8: [high] access token passed to logger.info" in (failure.text or "")
    assert "OA102 secret-in-config: docker-compose.yml" in cases  # suppressed only → skipped
    assert cases["OA102 secret-in-config: docker-compose.yml"].find("skipped") is not None
    assert int(suite.get("tests", "0")) == len(cases)
    assert int(suite.get("failures", "0")) == sum(1 for c in cases.values() if c.find("failure") is not None) == 7


def test_clean_rules_pass(clean: ScanResult) -> None:
    cases = _cases(_suite(clean))
    assert "OA201 token-logged: no findings" in cases
    assert all(c.find("failure") is None for c in cases.values())
    assert "OA502: disabled" in cases and cases["OA502: disabled"].find("skipped") is not None


def test_findings_below_fail_on_do_not_fail(result: ScanResult) -> None:
    relaxed = replace(result, metadata=replace(result.metadata, fail_on=Severity.HIGH))
    cases = _cases(_suite(relaxed))
    scope = cases["OA401 broad-scope: svc/client.py"]
    assert scope.find("failure") is None
    out = scope.find("system-out")
    assert out is not None and "[medium] scope 'admin' grants every permission" in (out.text or "")


def test_hostile_text_is_valid_xml(hostile: ScanResult) -> None:
    control = replace(hostile, findings=(replace(hostile.findings[0], message="bell\x07 nul\x00 esc\x1b ]]> done"),))
    suite = _suite(control)
    text = "".join(suite.itertext())
    assert "]]> done" in text and "\x00" not in text
