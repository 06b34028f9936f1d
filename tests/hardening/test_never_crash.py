"""Never crash: every input, of every file kind, through the per-file pipeline with ALL rules yields a
``FileResult`` (findings or notes), never an exception; a broken rule becomes a note naming the rule and
the file while the other rules' findings are kept."""

from __future__ import annotations

import textwrap
from typing import Any

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.model import FileResult, Settings
from checker.pipeline import analyze_bytes
from checker.pyrule import PythonRule
from checker.registry import all_rules
from checker.rule import ConfigRule, FileContext, TextRule
from tests.hardening import strategies as S
from tests.hardening.helpers import KIND_PATHS

RULES = all_rules()
SETTINGS = Settings()
FAST = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def analyze(path: str, data: bytes) -> FileResult:
    result = analyze_bytes(path, data, SETTINGS, RULES)
    assert isinstance(result, FileResult)
    assert result.path == path
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1, (finding.rule, finding.line, finding.column)
        assert len(finding.snippet) <= 240
    return result


def rule_errors(result: FileResult) -> list[str]:
    return [n.message for n in result.notes if n.kind == "rule-error"]


# --- arbitrary input ------------------------------------------------------------------------------


@FAST
@given(path=st.sampled_from(KIND_PATHS), data=st.binary(max_size=2000))
def test_arbitrary_bytes_of_every_kind(path: str, data: bytes) -> None:
    analyze(path, data)


@FAST
@given(path=st.sampled_from(KIND_PATHS), text=st.text(max_size=1500), bom=st.booleans())
def test_arbitrary_text_of_every_kind(path: str, text: str, bom: bool) -> None:
    data = text.encode("utf-8", "surrogatepass")
    analyze(path, (b"\xef\xbb\xbf" if bom else b"") + data)


# --- generated Python -------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=S.python_programs, path=st.sampled_from(("app/client.py", "tests/test_client.py")))
def test_generated_python_programs(source: str, path: str) -> None:
    result = analyze(path, source.encode("utf-8", "surrogatepass"))
    # A rule that raises is caught by the engine, but it is still a bug in that rule.
    assert not rule_errors(result), rule_errors(result)


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=S.pathological_python())
def test_pathological_python_nesting_literals_and_chains(source: str) -> None:
    analyze("app/deep.py", source.encode("utf-8"))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source=S.python_programs, data=st.data())
def test_python_with_odd_encodings_line_ends_and_edits(source: str, data: st.DataObject) -> None:
    analyze("app/client.py", data.draw(S.perturbed(source)))


# --- every config kind --------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(file=S.structured_files)
def test_structured_documents_of_every_kind(file: tuple[str, str]) -> None:
    path, text = file
    result = analyze(path, text.encode("utf-8", "surrogatepass"))
    assert not rule_errors(result), rule_errors(result)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(file=S.structured_files, data=st.data())
def test_perturbed_documents_of_every_kind(file: tuple[str, str], data: st.DataObject) -> None:
    path, text = file
    analyze(path, data.draw(S.perturbed(text)))


# --- fixed hostile shapes (fast, explicit, easy to read when they fail) ---------------------------------

# Long operator chains and deep call/list/dict nesting are in test_resource_bounds.py: they are legal
# but take libcst's native parser tens of seconds, so they run in a subprocess under a hard timeout.
HOSTILE: dict[str, tuple[str, bytes]] = {
    "concat-300": ("app/a.py", ("CLIENT_SECRET = " + " + ".join(["'ab'"] * 300) + "\n").encode()),
    "calls-100": ("app/a.py", ("import requests\n" + "requests.post(" * 100 + "'http://x'" + ")" * 100 + "\n").encode()),
    "parens-1000": ("app/a.py", ("token = " + "(" * 1000 + "'x'" + ")" * 1000 + "\n").encode()),
    "int-5000-digits": ("app/a.py", ("expires_in = " + "9" * 5000 + "\nrefresh_margin = timedelta(seconds=" + "9" * 5000 + ")\n").encode()),
    "float-overflow": ("app/a.py", b"expires_in = 1e999\nmargin = -1e999 - 60\nx = 1e999 * 0\ntimeout = float('nan')\n"),
    "string-1mb": ("app/a.py", ("client_secret = '" + "Ab1" * 350_000 + "'\n").encode()),
    "nul-after-8k": ("app/a.py", b"x = 1\n" * 1500 + b"token = '\x00'\n"),
    "cr-only": ("app/a.py", b"import logging\rtoken = 'Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6'\rlogging.info(token)\r"),
    "u2028-in-string": ("app/a.py", "import logging\nCLIENT_SECRET = 'abc\u2028Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6'\nlogging.info(CLIENT_SECRET)\n".encode()),
    "formfeed-tabs": ("app/a.py", b"\x0cimport requests\n\tif True:\n\t\trequests.get('http://x/token', verify=False)\n"),
    "latin1-cookie": ("app/a.py", "# -*- coding: latin-1 -*-\nclient_secret = 'caf\u00e9Zk3P9qLm2Xv8Rt5'\n".encode("utf-8")),
    "bom-utf8": ("app/a.py", b"\xef\xbb\xbfclient_secret = 'Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6'\n"),
    "utf16": ("app/a.py", "client_secret = 'Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6'\n".encode("utf-16")),
    "lone-surrogate-escape": ("app/a.py", b"token = '\\ud800'\nlog = logging.getLogger()\nlog.info('\\udfff' + token)\n"),
    "indent-99": ("app/a.py", ("import logging\n" + "".join(" " * i + "if token:\n" for i in range(99)) + " " * 99 + "logging.info(token)\n").encode()),
    "yaml-billion-laughs": ("config/settings.yaml", b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\nclient_secret: *i\n'),
    "yaml-deep-flow": ("config/settings.yaml", b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    "yaml-deep-block": ("config/settings.yaml", "".join(" " * i + f"k{i}:\n" for i in range(400)).encode() + b" " * 400 + b"client_secret: Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\n"),
    "yaml-python-tags": ("config/settings.yaml", b"a: !!python/object/apply:os.system ['touch /tmp/credlint-pwned']\nb: !!python/name:os.system\nc: !!python/object/new:subprocess.Popen [['true']]\nclient_secret: !!binary WmszUDlxTG0yWHY4UnQ1V2I3TmM0SGQ2\n"),
    "yaml-recursive-alias": ("config/settings.yaml", b"a: &a\n  b: *a\nclient_secret: &s Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\nc: *s\n"),
    "yaml-merge-loop": ("config/settings.yaml", b"base: &base\n  <<: *base\n  url: http://x/token\n"),
    "json-deep": ("appsettings.json", b"[" * 100_000 + b"]" * 100_000),
    "json-deep-objects": ("appsettings.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "json-huge-number": ("appsettings.json", b'{"expires_in": ' + b"9" * 10_000 + b', "x": 1e99999}'),
    "json-dup-keys": ("appsettings.json", b'{"client_secret": "a", "client_secret": "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"}'),
    "toml-deep": ("pyproject.toml", b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n"),
    "toml-deep-inline": ("pyproject.toml", b"x = " + b"{a = " * 2000 + b"1" + b"}" * 2000 + b"\n"),
    "toml-credlint-weird": ("pyproject.toml", b'[tool.credlint]\nfail-on = 3\nselect = "OA"\n[[tool.credlint.secrets]]\nname = 1\n'),
    "ini-no-section": ("setup.cfg", b"client_secret = Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\n[\n]]\n=\n:\n"),
    "hcl-deep": ("infra/main.tf", b'locals {\n  x = ' + b"[" * 3000 + b"]" * 3000 + b"\n}\n"),
    "hcl-deep-objects": ("infra/main.tf", b'locals {\n  x = ' + b"{a = " * 1000 + b"1" + b"}" * 1000 + b"\n}\n"),
    "hcl-heredoc-unterminated": ("infra/main.tf", b'variable "client_secret" {\n  default = <<EOT\nZk3P9qLm2Xv8Rt5Wb7Nc4Hd6\n'),
    "dockerfile-continuations": ("Dockerfile", b"FROM x\nENV " + b"A=1 \\\n" * 5000 + b"CLIENT_SECRET=Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\n"),
    "dotenv-unterminated-quote": (".env", b'CLIENT_SECRET="Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\nOTHER=1\n' + b"X=\\\n" * 1000),
    "dotenv-only-export": (".env", b"export\nexport =\n=\n" * 100),
    "requirements-odd": ("requirements.txt", b"authlib<1.3 ; python_version < '3.8' \\\n  --hash=sha256:" + b"0" * 64 + b"\n-e git+https://x\n" + b"requests===" + b"9" * 5000 + b"\n"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_inputs_never_raise(case: str) -> None:
    path, data = HOSTILE[case]
    analyze(path, data)


# --- a broken rule is isolated ------------------------------------------------------------------------


class BrokenVisitor(PythonRule):
    """Raises while visiting (deliberately broken; never registered)."""

    id = "OA981"
    name = "broken-visitor"
    family = "log"
    summary = "raises in visit_Call"

    def visit_Call(self, node: cst.Call) -> None:
        raise KeyError("boom")


class BrokenLeave(PythonRule):
    """Raises in leave_Module, after the whole file was visited."""

    id = "OA982"
    name = "broken-leave"
    family = "log"
    summary = "raises in leave_Module"

    def leave_Module(self, original_node: cst.Module) -> None:
        raise ZeroDivisionError("boom")


class BrokenInit(PythonRule):
    """Raises in its constructor (before the batched pass starts)."""

    id = "OA983"
    name = "broken-init"
    family = "log"
    summary = "raises in __init__"

    def __init__(self, ctx: FileContext) -> None:
        raise RuntimeError("boom")


class BrokenRecursion(PythonRule):
    """Recurses without end on every string."""

    id = "OA984"
    name = "broken-recursion"
    family = "log"
    summary = "infinite recursion"

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        def down(n: int) -> int:
            return down(n + 1) + 1

        down(0)


class BrokenConfig(ConfigRule):
    """Raises on every config document."""

    id = "OA985"
    name = "broken-config"
    family = "secret"
    summary = "raises in check"

    def check(self, doc: Any, ctx: FileContext) -> None:
        raise ValueError("boom")


class BrokenText(TextRule):
    """Raises on every text file."""

    id = "OA986"
    name = "broken-text"
    family = "secret"
    summary = "raises in check"

    def check(self, ctx: FileContext) -> None:
        raise IndexError("boom")


class BrokenReport(PythonRule):
    """Reports a position outside the file and a node from another tree."""

    id = "OA987"
    name = "broken-report"
    family = "log"
    summary = "reports nonsense positions"

    def leave_Module(self, original_node: cst.Module) -> None:
        self.ctx.report_at(type(self), 10_000, 0, "nowhere")
        self.report(cst.Name("elsewhere"), "node from another tree")


PY_SOURCE = textwrap.dedent(
    """\
    import logging
    import requests

    CLIENT_SECRET = "Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"
    log = logging.getLogger(__name__)
    resp = requests.get("https://api.example.com", verify=False)
    """
).encode()


def real_rule(rule_id: str) -> type:
    return next(r for r in RULES if r.id == rule_id)


@pytest.mark.parametrize("broken", [BrokenVisitor, BrokenLeave, BrokenInit, BrokenRecursion], ids=lambda r: r.__name__)
def test_broken_python_rule_becomes_a_note_and_real_findings_are_kept(broken: type) -> None:
    rules = (real_rule("OA101"), broken, real_rule("OA302"))
    result = analyze_bytes("app/settings.py", PY_SOURCE, SETTINGS, rules)
    notes = [n for n in result.notes if n.kind == "rule-error"]
    assert len(notes) == 1, result.notes
    assert notes[0].rule == broken.id and broken.id in notes[0].message and notes[0].path == "app/settings.py"
    assert "boom" not in notes[0].message  # the exception text may quote content; only its type is shown
    assert {f.rule for f in result.findings} == {"OA101", "OA302"}, [f.rule for f in result.findings]


def test_broken_config_and_text_rules_become_notes_and_real_findings_are_kept() -> None:
    env = b"CLIENT_SECRET=Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6\nAELIX_API_KEY=ak_live_Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6x\n"
    rules = (BrokenConfig, real_rule("OA102"), BrokenText, real_rule("OA103"))
    result = analyze_bytes(".env", env, SETTINGS, rules)
    errors = {n.rule: n for n in result.notes if n.kind == "rule-error"}
    assert set(errors) == {"OA985", "OA986"}
    assert all(n.path == ".env" and n.rule in n.message for n in errors.values())
    assert "OA102" in {f.rule for f in result.findings}


def test_rule_reporting_nonsense_positions_does_not_crash_the_file() -> None:
    result = analyze_bytes("app/settings.py", PY_SOURCE, SETTINGS, (BrokenReport, real_rule("OA101")))
    assert isinstance(result, FileResult)
    assert "OA101" in {f.rule for f in result.findings}
