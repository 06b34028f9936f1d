"""The per-file pipeline: bad input becomes notes, never exceptions; positions and fingerprints."""

from __future__ import annotations

from checker.model import Settings
from checker.pipeline import analyze_bytes, decode

from tests.checker.fake_rules import Exploding, MarkerLiteral, TextMarker

RULES = (MarkerLiteral, TextMarker)


def analyze(data: bytes | str, path: str = "app/x.py", rules=RULES, settings: Settings | None = None):
    raw = data.encode() if isinstance(data, str) else data
    return analyze_bytes(path, raw, settings or Settings(), rules)


def test_reports_exact_position_of_the_node() -> None:
    result = analyze('import os\nvalue = "MARKER-abc"\n')
    [finding] = result.findings
    assert (finding.line, finding.column, finding.end_line) == (2, 9, 2)
    assert finding.rule == "OA990" and finding.path == "app/x.py"
    assert result.parsed


def test_secret_is_masked_in_snippet() -> None:
    result = analyze('token = "MARKER-Zx8kQ2mN4pL7vR9tW3yB"\n')
    assert "Zx8kQ2mN4pL7vR9tW3yB" not in result.findings[0].snippet
    assert "chars, sha256:" in result.findings[0].snippet


def test_syntax_error_falls_back_to_text_rules_with_a_note() -> None:
    result = analyze('def broken(:\n    x = "MARKER"\n# TEXTMARK here\n')
    kinds = [n.kind for n in result.notes]
    assert "parse-error" in kinds
    assert [f.rule for f in result.findings] == ["OA992"]
    assert not result.parsed


def test_binary_file_is_skipped_with_note() -> None:
    result = analyze(b"\x00\x01MARKER\x00", path="blob.py")
    assert result.skipped and result.notes[0].kind == "skipped-binary"


def test_non_utf8_file_is_skipped_with_note() -> None:
    result = analyze("x = 'MARKER é'\n".encode("latin-1"))
    assert result.skipped and result.notes[0].kind == "skipped-encoding"


def test_large_file_is_skipped_with_note() -> None:
    big = "x = 1\n" * 100
    result = analyze(big, settings=Settings(max_file_size=100))
    assert result.skipped and result.notes[0].kind == "skipped-large"


def test_empty_file_is_fine() -> None:
    result = analyze("")
    assert result.findings == () and not result.skipped


def test_bom_is_stripped() -> None:
    result = analyze(b'\xef\xbb\xbfx = "MARKER"\n')
    assert [f.line for f in result.findings] == [1]


def test_broken_rule_becomes_a_note_and_others_keep_findings() -> None:
    result = analyze('x = "MARKER"\n', rules=(MarkerLiteral, Exploding))
    assert [f.rule for f in result.findings] == ["OA990"]
    [note] = [n for n in result.notes if n.kind == "rule-error"]
    assert note.rule == "OA991" and "boom" not in note.message


def test_deep_concatenation_does_not_crash() -> None:
    # A long chain of string concatenations overflows libcst's recursive position code.
    chain = " + ".join(['"a"'] * 3000)
    result = analyze(f'x = "MARKER" + {chain}\n')
    assert not result.skipped
    assert all(n.kind in ("parse-error", "analysis", "rule-error") for n in result.notes)


def test_prefilter_skips_parsing_files_without_triggers() -> None:
    result = analyze("import os\nprint('hello')\n")
    assert not result.parsed


def test_fingerprint_is_stable_when_code_moves() -> None:
    first = analyze('x = "MARKER-1"\n')
    moved = analyze('\n\n\nimport os\n\nx = "MARKER-1"\n')
    assert first.findings[0].fingerprint == moved.findings[0].fingerprint
    assert first.findings[0].line != moved.findings[0].line


def test_identical_lines_get_distinct_fingerprints() -> None:
    result = analyze('x = "MARKER-1"\nx = "MARKER-1"\n')
    assert len({f.fingerprint for f in result.findings}) == 2


def test_test_paths_lower_severity_one_step() -> None:
    normal = analyze('x = "MARKER"\n', path="app/x.py").findings[0]
    test = analyze('x = "MARKER"\n', path="tests/test_x.py").findings[0]
    assert test.severity == normal.severity.lowered()


def test_decode_handles_bom_and_rejects_latin1() -> None:
    assert decode(b"\xef\xbb\xbfabc") == "abc"
    assert decode("é".encode("latin-1")) is None


def test_inline_suppressions_are_collected() -> None:
    result = analyze('x = "MARKER"  # credlint: ignore[OA990] test fixture\n')
    [sup] = result.suppressions
    assert sup.rules == ("OA990",) and sup.reason == "test fixture"


def test_slow_file_is_abandoned_with_a_timeout_note() -> None:
    import time

    from checker.pyrule import PythonRule

    class Slow(PythonRule):
        id = "OA993"
        name = "slow"
        family = "log"
        summary = "sleeps"

        def visit_Module(self, node: object) -> None:
            end = time.process_time() + 5
            while time.process_time() < end:  # burn CPU: the budget counts CPU time, not sleep
                pass

    result = analyze('x = "MARKER"\n', rules=(MarkerLiteral, Slow), settings=Settings(time_budget_seconds=0.3))
    assert [n.kind for n in result.notes] == ["timeout"] and result.skipped


CLIENT = '''import logging
import requests

log = logging.getLogger(__name__)


class Client:
    def __init__(self, secret):
        self.secret = secret
        self.session = requests.Session()

    def token(self):
        resp = self.session.post("https://auth.example.com/token", data={"client_secret": self.secret, "scope": "a b"})
        log.info("token %s", resp.json()["access_token"])
        return resp.json()["access_token"]
'''


def test_collector_is_paused_per_file_and_leaves_no_cycles_behind() -> None:
    import gc

    from checker.registry import all_rules

    gc.collect()
    assert gc.isenabled()
    result = analyze_bytes("svc/client.py", CLIENT.encode(), Settings(), all_rules())
    assert result.parsed and result.findings
    assert gc.isenabled()
    assert gc.collect() == 0  # the file's tree and analyses were freed by the time it returned


def test_collector_left_off_by_the_caller_stays_off() -> None:
    import gc

    from checker.registry import all_rules

    gc.disable()
    try:
        analyze_bytes("svc/client.py", CLIENT.encode(), Settings(), all_rules())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_file_leaves_no_reference_cycles_for_the_collector() -> None:
    """The tree, the rules and the shared analyses are freed by reference counting when the file is
    done (no cycle through the walk's closure, the context or the client model's call sites)."""
    import gc
    from pathlib import Path

    from checker.registry import all_rules

    example = Path(__file__).resolve().parents[2] / "examples" / "payments-service" / "app"
    rules = all_rules()
    files = [(path.name, path.read_bytes()) for path in sorted(example.glob("*.py"))]
    for name, data in files:  # first runs import what the rules import lazily
        analyze_bytes(name, data, Settings(), rules)
    gc.collect()
    gc.disable()
    try:
        for name, data in files:
            analyze_bytes(name, data, Settings(), rules)
        assert gc.collect() == 0
    finally:
        gc.enable()
