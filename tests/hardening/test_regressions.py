"""Minimised inputs of every crash, hang and leak the hardening suite or the fuzzers found, inline, one
test each. A test here names where the input came from and what went wrong."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from checker.model import FileResult, Settings
from checker.pipeline import analyze_bytes
from checker.registry import all_rules

RULES = all_rules()


def timed(path: str, source: str, budget: float = 1.5) -> tuple[FileResult, float]:
    settings = replace(Settings(), time_budget_seconds=budget) if hasattr(Settings(), "time_budget_seconds") else Settings()
    started = time.monotonic()
    result = analyze_bytes(path, source.encode("utf-8", "surrogatepass"), settings, RULES)
    return result, time.monotonic() - started


# Found by test_resource_bounds.test_small_generated_programs_are_analysed_quickly (hypothesis, generated
# Python): OA402's client model (rules/_analysis/clients.py value_key/_name_key) followed every assignment
# of a name through every other assignment up to depth 10: n self-assignments cost n**10 steps. Four lines
# took > 20 s (the whole per-file budget). Fixed by memoising value_key per (expression, function).
@pytest.mark.parametrize(
    "source",
    [
        "client_secret = client_secret\n" * 4,
        "try:\n    global token\n" + "    client_secret = client_secret\n" * 3 + "except Exception as exc:\n    client_secret = client_secret\n",
        "import requests\n" + "a = b\nb = a\n" * 6 + "requests.post('https://x/token', data={'client_secret': a})\n",
        "def get_token():\n" + "    token = token + 'x'\n" * 8 + "    return token\n",
    ],
    ids=["self-assign-x4", "self-assign-in-try", "two-name-cycle", "self-concat-in-function"],
)
def test_repeated_self_assignment_is_linear(source: str) -> None:
    result, elapsed = timed("app/client.py", source)
    assert not [n for n in result.notes if n.kind in ("timeout", "rule-error")], result.notes
    assert elapsed < 2.0, f"{elapsed:.1f} s for {len(source)} bytes"


# Found by test_hostile_repos.test_odd_paths_in_a_directory_scan_are_all_reported_in_every_format: a file
# whose name is not valid UTF-8 (b"bad-\xff-bytes.py" arrives as "bad-\udcff-bytes.py") crashed the SARIF
# renderer in reports/sarif.py _uri (urllib.parse.quote encodes with errors="strict"): `credlint check
# --format sarif` exited 2 with an internal error on such a repository.
def test_sarif_renders_an_undecodable_file_name() -> None:
    from checker.model import Finding, Note, ScanMetadata, ScanResult, Severity
    from reports import RenderOptions, render

    path = b"bad-\xff-bytes.py".decode("utf-8", "surrogateescape")
    finding = Finding(rule="OA101", name="hardcoded-client-secret", family="secret", severity=Severity.HIGH, path=path, line=1, column=1, end_line=1, end_column=5, message="client secret assigned from a string literal", fingerprint="0" * 20)
    result = ScanResult(
        metadata=ScanMetadata(tool_version="0", root=".", started_at="2026-01-01T00:00:00Z", now="2026-01-01", config_hash="x"),
        rules=tuple(r.meta() for r in RULES),
        findings=(finding,),
        notes=(Note(path=path, kind="parse-error", message="x"),),
    )
    sarif = json.loads(render("sarif", result, RenderOptions()))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "bad-%FF-bytes.py"


# Found while writing test_never_crash's hostile shapes: a 5000-digit integer literal is beyond Python's
# int/str conversion limit (ValueError in int()), and 1e999 overflows to inf; literal evaluation must
# treat both as unknown values, not crash a rule.
@pytest.mark.parametrize(
    "source",
    [
        "expires_in = " + "9" * 5000 + "\nrefresh_margin = timedelta(seconds=expires_in - 60)\n",
        "import requests\nrequests.get('http://x/token', timeout=" + "9" * 5000 + ")\n",
        "expires_in = 1e999\nmargin = -1e999 - 60\nx = 1e999 * 0\ntimeout = float('nan')\n",
        "expires_at = time.time() + 10 ** 10 ** 10\n",
    ],
    ids=["huge-int", "huge-int-kwarg", "float-overflow", "power-tower"],
)
def test_extreme_numeric_literals(source: str) -> None:
    result, elapsed = timed("app/token.py", source)
    assert not [n for n in result.notes if n.kind in ("timeout", "rule-error")], result.notes
    assert elapsed < 2.0


# Found by the atheris pipeline harness (structure-aware mode, crash-a565d1ea…, 347 bytes, minimised with a
# ddmin pass to the two-line programs below): a module constant defined through itself is expanded again at
# every reference. rules/_analysis/literals.py evaluate() follows info.constants[name] with no cycle guard
# and no memo, so k self-references cost k**40 steps (_MAX_DEPTH); OA301 (visit_Call -> _keyword ->
# evaluate) and OA402 (clients.py) each spent > 20 s on 80 bytes and the file was abandoned.
@pytest.mark.parametrize(
    "source",
    [
        "_={('http://'[o]%t):t}\nclient_secret=(lambda:''(a=client_secret))%client_secret + client_secret + client_secret\n",
        "y={([]%e):t}()\nclient_secret=(lambda:'token'())%t%client_secret+client_secret+client_secret\n",
        "import requests\nTOKEN_URL = TOKEN_URL + TOKEN_URL + TOKEN_URL\nrequests.post(TOKEN_URL, data={'client_secret': 'x'})\n",
    ],
    ids=["fuzz-oa301", "fuzz-oa402", "self-referential-url"],
)
def test_self_referential_module_constant_is_not_expanded_forever(source: str) -> None:
    result, elapsed = timed("app/generated.py", source)
    assert not [n for n in result.notes if n.kind in ("timeout", "rule-error")], result.notes
    assert elapsed < 2.0, f"{elapsed:.1f} s for {len(source)} bytes"


# Follows from the previous one (the "billion laughs" of Python constants): each constant doubles the
# previous one, so evaluating the last of 20 lines walks 2**20 paths and builds a 9 MB string; the file
# is abandoned at the budget. Memoise evaluate() per (module, constant name) and cap folded strings.
DOUBLING = "import requests\nTOKEN_URL0 = 'http://ab'\n" + "".join(f"TOKEN_URL{i} = TOKEN_URL{i - 1} + TOKEN_URL{i - 1}\n" for i in range(1, 25))


def test_doubling_constants_are_folded_in_linear_time() -> None:
    result, elapsed = timed("app/laughs.py", DOUBLING + "requests.post(TOKEN_URL24, data={'grant_type': 'client_credentials'})\n")
    assert not [n for n in result.notes if n.kind in ("timeout", "rule-error")], result.notes
    assert elapsed < 2.0, f"{elapsed:.1f} s"


def test_a_slow_construct_cannot_hide_a_secret_in_the_same_file() -> None:
    """Evasion: the budget abandons the whole file, so any super-linear rule lets an attacker hide a
    committed secret by adding a few lines. The secret must still be reported."""
    source = 'CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"\n' + DOUBLING + "requests.post(TOKEN_URL24, data={'client_secret': CLIENT_SECRET})\n"
    result, _elapsed = timed("app/settings.py", source)
    assert "OA101" in {f.rule for f in result.findings}, f"the secret was not reported: {[(n.kind, n.message) for n in result.notes]}"
