"""Never leak: secrets planted in every context a credential takes never appear raw in any output —
every report format (as the CLI builds them, HTML with source excerpts), the baseline, the cache,
``--verbose`` logs and error messages. Only the redaction (``abcd…(N chars, sha256:…)``) may appear."""

from __future__ import annotations

import json
import random
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.redact import redact
from tests.hardening import strategies as S
from tests.hardening.helpers import all_files_text, assert_no_leak, leaks, run_cli, scan_tree, write_tree

# context name -> (path, template); "{s}" is the secret. Every context names the value's role the way
# real code and config do, so the value is a credential by any reading.
CONTEXTS: dict[str, tuple[str, str]] = {
    "py-assign": ("app/settings.py", 'CLIENT_SECRET = "{s}"\n'),
    "py-kwarg": ("app/client.py", 'from requests_oauthlib import OAuth2Session\nsession = OAuth2Session(client_id="svc", client_secret="{s}")\n'),
    "py-dict": ("app/token.py", 'import requests\npayload = {{"grant_type": "client_credentials", "client_secret": "{s}"}}\nrequests.post("http://auth.example.com/oauth/token", data=payload, verify=False)\n'),
    "py-fstring": ("app/api.py", 'import httpx\nheaders = {{"Authorization": f"Bearer {s}"}}\nhttpx.get("https://api.example.com/v1/accounts", headers=headers, verify=False)\n'),
    "py-log": ("app/debug.py", 'import logging\nlog = logging.getLogger(__name__)\nlog.info("using client secret %s", "{s}")\n'),
    "py-default-arg": ("app/helpers.py", 'def fetch_token(client_id="svc", client_secret="{s}"):\n    return client_secret\n'),
    "py-same-line-as-other-finding": ("app/inline.py", 'import requests\nrequests.post("http://auth.example.com/oauth/token", data={{"client_secret": "{s}"}}, verify=False)\n'),
    "env-unquoted": (".env", "CLIENT_SECRET={s}\n"),
    "env-quoted": (".env.production", 'CLIENT_SECRET="{s}"\n'),
    "env-export": ("deploy/prod.env", "export AELIX_API_KEY='{s}'\n"),
    "yaml-compose": ("deploy/docker-compose.yml", "services:\n  api:\n    image: api\n    environment:\n      - CLIENT_SECRET={s}\n      - TOKEN_URL=http://auth.example.com/oauth/token\n"),
    "yaml-map": ("config/settings.yaml", "auth:\n  token_url: https://auth.example.com/oauth/token\n  client_secret: {s}\n"),
    "json": ("appsettings.json", '{{"Auth": {{"ClientId": "svc", "ClientSecret": "{s}"}}}}\n'),
    "toml": ("config/app.toml", '[auth]\nclient_id = "svc"\nclient_secret = "{s}"\n'),
    "ini": ("setup.cfg", "[auth]\nclient_id = svc\nclient_secret = {s}\n"),
    "dockerfile": ("Dockerfile", "FROM python:3.12-slim\nENV CLIENT_SECRET={s}\n"),
    "hcl": ("infra/main.tf", 'variable "client_secret" {{\n  default = "{s}"\n}}\n'),
}

def _filler(path: str, count: int) -> str:
    """Harmless comment lines above the secret, so it moves down the file (JSON has no comments and a
    Dockerfile must start with FROM)."""
    if path.endswith((".json", "Dockerfile")):
        return ""
    return "".join(f"# comment {i}\n" for i in range(count))


def build_project(root: Path, plants: list[tuple[str, str, int]]) -> list[str]:
    """Write one file per (context, secret, filler lines); returns the planted secrets."""
    files: dict[str, str] = {}
    for context, secret, filler in plants:
        path, template = CONTEXTS[context]
        body = template.format(s=secret)
        files[path] = _filler(path, filler) + body  # one context per path (see ``plants``)
    write_tree(root, files)
    return [secret for _context, secret, _filler in plants]


def render_everything(result: object) -> dict[str, str]:
    """Every format as the CLI renders it (HTML with the CLI's redacted source excerpts), verbose."""
    from checker import __version__
    from checker.baseline import render_baseline
    from checker.cli import _source_excerpts
    from reports import FORMATS, RenderOptions, render

    excerpts = _source_excerpts(result)
    outputs = {}
    for fmt in FORMATS:
        options = RenderOptions(verbose=True, show_suppressed=True, source_lines=excerpts if fmt == "html" else None)
        outputs[fmt] = render(fmt, result, options)
    outputs["html-excerpts"] = "\n".join("\n".join(lines) for lines in excerpts.values())
    findings = list(result.findings) + [s.finding for s in result.suppressed]  # type: ignore[attr-defined]
    outputs["baseline"] = render_baseline(findings, __version__)
    return outputs


plants = st.lists(
    st.tuples(st.sampled_from(sorted(CONTEXTS)), S.planted_secrets(), st.integers(min_value=0, max_value=30)),
    min_size=1,
    max_size=6,
    unique_by=lambda p: CONTEXTS[p[0]][0],
)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plants=plants)
def test_planted_secrets_never_appear_in_any_output_or_cache(plants: list[tuple[str, str, int]]) -> None:
    with tempfile.TemporaryDirectory(prefix="credlint-leak-") as tmp:
        root = Path(tmp)
        secrets = build_project(root, plants)
        logs: list[str] = []
        result = scan_tree(root, use_cache=True, verbose=logs.append, overrides={"strict": True})
        outputs = render_everything(result)
        outputs["verbose-log"] = "\n".join(logs)
        outputs.update({f"cache:{name}": text for name, text in all_files_text(root / ".credlint_cache").items()})
        assert_no_leak(secrets, outputs)


# --- the CLI, end to end ----------------------------------------------------------------------------------


def _fixed_secrets(count: int, seed: int = 8) -> list[str]:
    """Deterministic secrets of every shape (no hypothesis: the CLI run is expensive)."""
    rng = random.Random(seed)
    alnum = string.ascii_letters + string.digits

    def mixed(n: int) -> str:
        body = [rng.choice(alnum) for _ in range(n - 3)] + [rng.choice(string.ascii_uppercase), rng.choice(string.ascii_lowercase), rng.choice(string.digits)]
        rng.shuffle(body)
        return "".join(body)

    shapes = [
        lambda: mixed(rng.randint(16, 64)),
        lambda: "ak_live_" + mixed(28),
        lambda: "eyJ" + mixed(30) + ".eyJ" + mixed(40) + "." + mixed(43),
        lambda: "".join(rng.choice("0123456789abcdef") for _ in range(40)),
        lambda: mixed(22) + "+/" + mixed(20),
        lambda: "ghp_" + mixed(36),
    ]
    return [shapes[i % len(shapes)]() for i in range(count)]


@pytest.fixture(scope="module")
def planted_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("leaky-project")
    contexts = sorted(CONTEXTS)
    secrets = _fixed_secrets(len(contexts))
    build_project(root, [(c, s, i * 3) for i, (c, s) in enumerate(zip(contexts, secrets))])
    return root, secrets


def test_every_cli_output_is_free_of_planted_secrets(planted_tree: tuple[Path, list[str]]) -> None:
    root, secrets = planted_tree
    out = root.parent / f"{root.name}-out"
    out.mkdir(exist_ok=True)
    outputs: dict[str, str] = {}
    for fmt in ("text", "json", "sarif", "html", "junit", "github"):
        target = out / f"report.{fmt}"
        run = run_cli(["check", "--no-cache", "--strict", "--format", fmt, "-o", str(target), "."], cwd=root)
        assert run.exception is None and run.exit_code in (0, 1), (fmt, run.exit_code, run.stderr)
        outputs[f"{fmt} file"] = target.read_text(encoding="utf-8")
        outputs[f"{fmt} stderr"] = run.stderr
    run = run_cli(["check", "--verbose", "--strict", "."], cwd=root)  # text on stdout, verbose on stderr, cache written
    assert run.exit_code == 1, run.stderr
    outputs["text stdout"], outputs["verbose stderr"] = run.stdout, run.stderr
    baseline = out / "baseline.json"
    run = run_cli(["baseline", "--no-cache", "--verbose", "-o", str(baseline), "."], cwd=root)
    assert run.exit_code == 0, run.stderr
    outputs["baseline file"], outputs["baseline stderr"] = baseline.read_text(encoding="utf-8"), run.stderr
    run = run_cli(["check", "--no-cache", "--format", "json", "--baseline", str(baseline), "."], cwd=root)
    outputs["check --baseline"] = run.stdout + run.stderr
    assert json.loads(run.stdout)["summary"]["suppressed"] > 0
    outputs.update({f"cache:{name}": text for name, text in all_files_text(root / ".credlint_cache").items()})
    assert any(name.startswith("cache:") for name in outputs), "the verbose run should have written a cache"
    assert_no_leak(secrets, outputs)
    # The findings are there, redacted: the property is not vacuous.
    assert sum(redact(s) in outputs["json file"] for s in secrets) >= len(secrets) // 2


# --- error messages -------------------------------------------------------------------------------------------

SECRET = "Qm9yZWFsU2VjcmV0VmFsdWUxMjM0NTY3ODkw"
SHORT_SECRET = "hunter2Pass!"  # short and not token-shaped: only key-aware redaction would catch it

BAD_CONFIGS: dict[str, str] = {
    "fail-on": 'fail-on = "{s}"\n',
    "select": 'select = ["{s}"]\n',
    "ignore": 'ignore = ["OA201", "{s}"]\n',
    "severity-value": 'severity = {{OA101 = "{s}"}}\n',
    "severity-key": 'severity = {{"{s}" = "high"}}\n',
    "per-file-ignores": 'per-file-ignores = {{"tests/**" = ["{s}"]}}\n',
    "profile": 'profile = "{s}"\n',
    "unknown-key": '"{s}" = 1\n',
    "scope-map": 'scope-map = {{"{s}" = "accounts:read"}}\n',
    "secret-name-date": '[[tool.credlint.secrets]]\nname = "aelix"\nlast-rotated = "{s}"\n',
    "secret-unknown-key": '[[tool.credlint.secrets]]\nname = "aelix"\nlast-rotated = 2026-01-01\n"{s}" = 1\n',
    "invalid-toml": "client_secret = {s}\n",
    "strict": 'strict = "{s}"\n',
    "max-file-size": 'max-file-size = "{s}"\n',
}


@pytest.mark.parametrize("secret", [SECRET, SHORT_SECRET], ids=["token-shaped", "short-wordy"])
@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_config_errors_do_not_echo_the_invalid_value(tmp_path: Path, case: str, secret: str) -> None:
    body = BAD_CONFIGS[case].format(s=secret)
    header = "" if body.startswith("[[") else "[tool.credlint]\n"
    if body.startswith("[["):
        body = body.replace("[[tool.credlint.secrets]]", "[tool.credlint]\n[[tool.credlint.secrets]]", 1)
    write_tree(tmp_path, {"pyproject.toml": header + body, "app.py": "x = 1\n"})
    run = run_cli(["check", "--no-cache", "."], cwd=tmp_path)
    assert run.exit_code == 2, (case, run.exit_code, run.stdout, run.stderr)
    assert run.stderr.strip(), "a config error must say what is wrong"
    echoed = bool(leaks(secret, run.stderr + run.stdout, window=len(secret) if len(secret) < 16 else 12))
    assert not echoed, f"{case}: the error message echoes the invalid value: {run.stderr.replace(secret, '<SECRET>')!r}"


def test_invalid_baseline_file_does_not_echo_its_content(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "x = 1\n", "bad-baseline.json": f'{{"findings": [{{"snippet": "{SECRET}"}}], oops {SECRET}'})
    run = run_cli(["check", "--no-cache", "--baseline", "bad-baseline.json", "."], cwd=tmp_path)
    assert run.exit_code == 2 and run.stderr.strip()
    echoed = bool(leaks(SECRET, run.stderr + run.stdout))
    assert not echoed, run.stderr.replace(SECRET, "<SECRET>")


def test_baseline_of_the_wrong_shape_does_not_echo_its_content(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "x = 1\n", "baseline.json": json.dumps({"tool": SECRET, "findings": SECRET})})
    run = run_cli(["check", "--no-cache", "--baseline", "baseline.json", "."], cwd=tmp_path)
    assert run.exit_code == 2 and run.stderr.strip()
    echoed = bool(leaks(SECRET, run.stderr + run.stdout))
    assert not echoed, run.stderr.replace(SECRET, "<SECRET>")


def test_forced_config_file_with_a_secret_does_not_echo_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "x = 1\n", "custom.toml": f'fail-on = "{SECRET}"\n'})
    run = run_cli(["check", "--no-cache", "--config", "custom.toml", "."], cwd=tmp_path)
    assert run.exit_code == 2 and run.stderr.strip()
    echoed = bool(leaks(SECRET, run.stderr + run.stdout))
    assert not echoed, run.stderr.replace(SECRET, "<SECRET>")


def test_secret_in_a_file_that_fails_to_parse_is_not_echoed_in_parse_notes(tmp_path: Path) -> None:
    files = {
        "broken.py": f'client_secret = "{SECRET}"\ndef (:\n',
        "broken.json": f'{{"client_secret": "{SECRET}", }}',
        "broken.yaml": f"client_secret: {SECRET}\n  bad: [\n",
        "broken.toml": f'client_secret = "{SECRET}"\nx = = 1\n',
        "broken.tf": f'variable "client_secret" {{\n  default = "{SECRET}"\n',
        "broken.cfg": f"client_secret {SECRET}\n[",
    }
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    outputs = {"notes": "\n".join(f"{n.kind} {n.message}" for n in result.notes)}
    outputs.update(render_everything(result))
    assert_no_leak([SECRET], outputs)
