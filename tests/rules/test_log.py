"""OA201 token-logged: sources, propagation, sanitizers, sinks, messages, confidence, cost, fixtures."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from checker.model import Confidence, Severity
from checker.testing import run_rules
from rules._analysis import taint
from rules._analysis.taint import sensitive_name
from rules.log.oa201_token_logged import TokenLogged
from tests.rules.fixture_runner import check_fixture_tree, fixture_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "log"


def _findings(code: str, path: str = "svc/client.py"):
    return [f for f in run_rules(code, path=path, rules=(TokenLogged,)).findings if f.rule == "OA201"]


def _visible_lines(code: str, path: str = "svc/client.py") -> list[int]:
    return sorted({f.line for f in _findings(code, path) if f.confidence >= Confidence.MEDIUM})


def _marked(code: str) -> list[int]:
    source = textwrap.dedent(code).lstrip("\n")
    return [n for n, line in enumerate(source.splitlines(), start=1) if "# expect" in line]


# --- positives: sources by origin, propagation and sinks ---------------------------------------------

POSITIVES = {
    "requests-json-print": """
        import requests
        resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
        print(resp.json())  # expect
        """,
    "requests-text-logger": """
        import logging, requests
        log = logging.getLogger(__name__)
        r = requests.post("https://auth.acme.io/oauth2/token", data=form)
        log.debug("body: %s", r.text)  # expect
        """,
    "access-token-fstring": """
        import logging, requests
        logger = logging.getLogger()
        def get():
            payload = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
            token = payload["access_token"]
            logger.info(f"token={token}")  # expect
        """,
    "get-access-token-percent": """
        import logging, requests
        def get():
            data = requests.post(URL, json={"grant_type": "client_credentials"}).json()
            logging.info("token %s" % data.get("access_token"))  # expect
        """,
    "format-and-concat": """
        import requests
        tok = requests.post(TOKEN_URL, data=body).json()["access_token"]
        msg = "Bearer {}".format(tok)
        print(msg)  # expect
        print("token: " + tok)  # expect
        """,
    "httpx-async-await-json": """
        import httpx
        async def get(client: httpx.AsyncClient):
            resp = await client.post("/oauth/token", data={"grant_type": "client_credentials"})
            print((await resp.aread()))  # expect
            data = resp.json()
            print(data["access_token"])  # expect
        """,
    "aiohttp-async-with": """
        import aiohttp
        async def get():
            async with aiohttp.ClientSession() as session:
                async with session.post(TOKEN_URL, data={"grant_type": "client_credentials"}) as resp:
                    body = await resp.json()
                    print(body)  # expect
        """,
    "json-loads-text": """
        import json, requests
        r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
        body = json.loads(r.text)
        print(body["access_token"])  # expect
        """,
    "urllib-urlopen": """
        import json, urllib.parse, urllib.request
        data = urllib.parse.urlencode({"grant_type": "client_credentials"}).encode()
        with urllib.request.urlopen(urllib.request.Request(TOKEN_URL, data=data)) as r:
            print(json.loads(r.read()))  # expect
        """,
    "authlib-fetch-token": """
        from authlib.integrations.requests_client import OAuth2Session
        session = OAuth2Session(CID, CS)
        token = session.fetch_token(TOKEN_URL)
        print(token)  # expect
        print(session.token["access_token"])  # expect
        """,
    "requests-oauthlib": """
        from oauthlib.oauth2 import BackendApplicationClient
        from requests_oauthlib import OAuth2Session
        oauth = OAuth2Session(client=BackendApplicationClient(client_id=CID))
        token = oauth.fetch_token(token_url=TOKEN_URL, client_id=CID, client_secret=CS)
        print("token:", token["access_token"])  # expect
        """,
    "msal-result": """
        import msal
        app = msal.ConfidentialClientApplication(CID, client_credential=CS, authority=AUTH)
        result = app.acquire_token_for_client(scopes=SCOPES)
        print(result["access_token"])  # expect
        """,
    "azure-access-token": """
        from azure.identity import ClientSecretCredential
        cred = ClientSecretCredential(T, C, S)
        at = cred.get_token("https://graph.microsoft.com/.default")
        print(at)  # expect
        print(at.token)  # expect
        """,
    "google-creds-token": """
        from google.oauth2 import service_account
        creds = service_account.Credentials.from_service_account_file("key.json", scopes=SCOPES)
        print(creds.token)  # expect
        """,
    "header-dict": """
        import logging
        log = logging.getLogger(__name__)
        def call(t):
            headers = {"Authorization": "Bearer " + t, "Accept": "application/json"}
            log.debug("headers: %s", headers)  # expect
            log.debug("accept: %s", headers["Accept"])
        """,
    "header-item-store": """
        import logging
        log = logging.getLogger(__name__)
        def call(t):
            headers = {}
            headers["Authorization"] = f"Bearer {t}"
            log.debug(headers)  # expect
        """,
    "session-headers-update": """
        import logging, requests
        log = logging.getLogger(__name__)
        class Client:
            def __init__(self, token):
                self.session = requests.Session()
                self.session.headers.update({"Authorization": f"Bearer {token}"})
            def dump(self):
                log.debug("session headers %s", self.session.headers)  # expect
        """,
    "secret-from-env": """
        import os
        CLIENT_SECRET = os.environ["CLIENT_SECRET"]
        print("secret:", CLIENT_SECRET)  # expect
        """,
    "secret-getenv-other-key": """
        import os
        client_secret = os.getenv("AELIX_CS")
        print(client_secret)  # expect
        """,
    "self-attribute-other-method": """
        import logging, requests
        log = logging.getLogger(__name__)
        class Api:
            def login(self):
                self._token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            def show(self):
                log.info("using %s", self._token)  # expect
        """,
    "return-of-function": """
        import requests
        def fetch():
            r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
            return r.json()["access_token"]
        def main():
            t = fetch()
            print(t)  # expect
        """,
    "parameter-reaches-sink-in-callee": """
        import logging, requests
        log = logging.getLogger(__name__)
        def trace(what, value):
            log.debug("%s=%s", what, value)  # expect
        def main():
            r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
            trace("response", r.json())
            trace("status", r.status_code)
        """,
    "global-store": """
        import requests
        _token = None
        def refresh():
            global _token
            _token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
        def show():
            print(_token)  # expect
        """,
    "closure": """
        import requests
        def make():
            tok = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            def show():
                print(tok)  # expect
            return show
        """,
    "tuple-unpacking-and-containers": """
        import json, requests
        tok = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
        a, b = "user", tok
        print(b)  # expect
        print(a)
        print(json.dumps({"token": tok}))  # expect
        items = [tok]
        print(items)  # expect
        """,
    "structlog-kwargs-and-bind": """
        import structlog
        log = structlog.get_logger()
        def f(api_key):
            log.info("call", key=api_key)  # expect
            log.bind(key=api_key)  # expect
        """,
    "loguru-opt-and-bind": """
        from loguru import logger
        def f(client_secret):
            logger.opt(colors=True).info("secret {}", client_secret)  # expect
            logger.bind(secret=client_secret).info("x")  # expect
        """,
    "rich-console": """
        from rich.console import Console
        console = Console()
        def f(access_token):
            console.log(access_token)  # expect
        """,
    "std-streams-and-friends": """
        import sys, warnings, pprint, click
        def f(access_token):
            sys.stderr.write(access_token)  # expect
            warnings.warn("token " + access_token)  # expect
            pprint.pprint({"t": access_token})  # expect
            click.echo(access_token, err=True)  # expect
        """,
    "extra-dict": """
        import logging
        log = logging.getLogger(__name__)
        def f(refresh_token):
            log.info("refreshed", extra={"refresh_token": refresh_token})  # expect
        """,
    "logger-adapter-and-self-logger": """
        import logging
        class Svc:
            def __init__(self):
                self.log = logging.LoggerAdapter(logging.getLogger(__name__), {})
            def f(self, bearer_token):
                self.log.warning("bearer %s", bearer_token)  # expect
        """,
    "raise-with-token": """
        def check(access_token):
            raise ValueError(f"token rejected: {access_token}")  # expect
        """,
    "resp-request-headers": """
        import logging, requests
        log = logging.getLogger(__name__)
        def f(t):
            r = requests.get(API, headers={"Authorization": f"Bearer {t}"})
            log.debug("sent %s", r.request.headers)  # expect
        """,
    "whole-token-dict-items-loop": """
        import requests
        body = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
        for key, value in body.items():
            print(key, value)  # expect
        """,
    "flask-incoming-authorization": """
        import logging
        from flask import request
        log = logging.getLogger(__name__)
        def view():
            log.info("auth header %s", request.headers.get("Authorization"))  # expect
        """,
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive(name: str) -> None:
    code = POSITIVES[name]
    assert _visible_lines(code) == _marked(code)


# --- tricky negatives (DOMAIN.md) -----------------------------------------------------------------------

NEGATIVES = {
    "status-code-and-metadata": """
        import logging, requests
        log = logging.getLogger(__name__)
        r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
        log.info("status %s", r.status_code)
        p = r.json()
        log.info("type=%s expires_in=%s scope=%s", p["token_type"], p["expires_in"], p.get("scope"))
        print(r)
        """,
    "token-refreshed-message": """
        import logging
        logging.getLogger(__name__).info("token refreshed")
        print("Fetching access token...")
        """,
    "length-prefix-hash": """
        import hashlib, logging
        log = logging.getLogger(__name__)
        def f(token):
            print(len(token))
            log.debug("token=%s…", token[:6])
            log.debug("tail=%s", token[-4:])
            log.debug("sha=%s", hashlib.sha256(token.encode()).hexdigest())
            log.debug("valid=%s none=%s", bool(token), token is None)
            log.debug("jwt? %s", token.startswith("eyJ"))
        """,
    "masking-helpers": """
        import logging
        log = logging.getLogger(__name__)
        def redact(value):
            return value[:4] + "***"
        def f(access_token, client_secret):
            log.info("token %s", redact(access_token))
            log.info("secret %s", mask_secret(client_secret))
            masked = client_secret.replace(client_secret, "****")
        """,
    "httpx-headers-object": """
        import httpx, logging
        log = logging.getLogger(__name__)
        def f(t):
            headers = httpx.Headers({"Authorization": f"Bearer {t}"})
            log.debug("headers %s", headers)
        def hook(request):
            log.debug("headers %s", request.headers)
        """,
    "msal-error-fields": """
        import msal
        app = msal.ConfidentialClientApplication(CID, client_credential=CS)
        result = app.acquire_token_for_client(scopes=SCOPES)
        if "access_token" in result:
            print("got a token, expires in", result["expires_in"])
        else:
            print(result.get("error"), result.get("error_description"), result.get("correlation_id"))
        """,
    "google-print-creds": """
        import google.auth
        creds, project = google.auth.default()
        print(creds)
        print(creds.expiry, creds.valid, creds.scopes, creds.service_account_email)
        """,
    "test-assertions": """
        def test_token(client):
            token = client.fetch()
            assert token == "abc"
            assert token.startswith("ey")
        """,
    "llm-token-counts": """
        from openai import OpenAI
        client = OpenAI()
        resp = client.chat.completions.create(model="m", messages=[], max_tokens=100)
        print(resp.usage.total_tokens, resp.usage.prompt_tokens, resp.usage.completion_tokens)
        def on_llm_new_token(token: str, **kwargs):
            print(token, end="")
        """,
    "tokenizer-special-tokens": """
        from transformers import AutoTokenizer
        tok = AutoTokenizer.from_pretrained("gpt2")
        print(tok.eos_token, tok.pad_token, tok.bos_token, tok.unk_token, tok.mask_token)
        """,
    "pagination-and-csrf": """
        import logging
        log = logging.getLogger(__name__)
        def page(resp, request):
            log.info("next %s", resp["nextPageToken"])
            log.info("next %s", resp.get("continuation_token"))
            csrf_token = get_token(request)
            log.info("csrf %s", csrf_token)
            log.info("cancel %s", cancellation_token)
        """,
    "lexer-tokens": """
        import tokenize
        def show(readline):
            for token in tokenize.generate_tokens(readline):
                print(token)
                print(token.type, token.string)
        """,
    "jwt-claims": """
        import jwt
        def show(access_token):
            claims = jwt.decode(access_token, options={"verify_signature": False})
            print("exp", claims["exp"], "scope", claims.get("scope"))
            print(claims)
        """,
    "names-that-are-not-secrets": """
        import logging
        log = logging.getLogger(__name__)
        def f(token_url, token_type, expires_in, secret_name, secret_id, password_hash, max_tokens, token_count):
            log.info("%s %s %s %s %s %s %s %s", token_url, token_type, expires_in, secret_name, secret_id,
                     password_hash, max_tokens, token_count)
        """,
    "secretstr": """
        import os
        from pydantic import SecretStr
        secret = SecretStr(os.environ["CLIENT_SECRET"])
        print(secret)
        print(f"secret={secret}")
        """,
    "non-sensitive-env": """
        import os
        print(os.environ.get("HOME"), os.getenv("LOG_LEVEL"), os.environ["TOKEN_URL"])
        """,
    "api-response-body": """
        import requests
        r = requests.get(API_URL, headers={"Authorization": f"Bearer {TOKEN}"})
        print(r.json())
        print(r.status_code, r.headers)
        """,
    "print-to-file": """
        def save(access_token, path):
            with open(path, "w") as fh:
                print(access_token, file=fh)
        """,
    "filtered-headers": """
        import logging
        log = logging.getLogger(__name__)
        def f(headers):
            safe = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            log.debug("headers %s", safe)
            shown = {k: ("***" if k == "Authorization" else v) for k, v in headers.items()}
            log.debug("headers %s", shown)
        """,
    "unrelated-logger-calls": """
        import logging
        log = logging.getLogger(__name__)
        def f(user, items, path):
            log.info("user %s has %d items in %s", user, len(items), path)
        """,
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_negative(name: str) -> None:
    assert _visible_lines(NEGATIVES[name]) == []


# --- confidence, severity and messages ---------------------------------------------------------------


def test_error_branch_is_low_confidence() -> None:
    code = """
    import logging, requests
    log = logging.getLogger(__name__)
    r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
    if not r.ok:
        log.error("failed: %s", r.text)
    if r.status_code >= 400:
        raise RuntimeError(f"token request failed: {r.text}")
    try:
        body = r.json()
    except ValueError:
        log.error("bad json: %s", r.text)
    """
    findings = _findings(code)
    assert sorted(f.line for f in findings) == [5, 7, 11]
    assert all(f.confidence == Confidence.LOW for f in findings)


def test_secret_in_error_branch_keeps_confidence() -> None:
    code = """
    import logging
    log = logging.getLogger(__name__)
    def f(fetch):
        token = fetch_token()
        try:
            use(token)
        except Exception:
            log.exception("failed with token %s", token)
    """
    (finding,) = _findings(code)
    assert finding.confidence == Confidence.MEDIUM


def test_name_only_is_medium_and_provenance_is_high() -> None:
    code = """
    import logging, requests
    log = logging.getLogger(__name__)
    def f(access_token):
        log.info("%s", access_token)
        t = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
        log.info("%s", t)
    """
    by_line = {f.line: f.confidence for f in _findings(code)}
    assert by_line == {4: Confidence.MEDIUM, 6: Confidence.HIGH}


def test_unresolved_logger_name_is_medium() -> None:
    code = """
    from .logs import log
    import requests
    t = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
    log.info("%s", t)
    """
    (finding,) = _findings(code)
    assert finding.confidence == Confidence.MEDIUM


def test_message_names_role_origin_and_sink_never_the_value() -> None:
    code = """
    import logging, requests
    logger = logging.getLogger(__name__)
    SECRET = "zVTMSrWo9dwNORtcjrTBJiL8YETM5QZ8MgpyQlFF"
    def fetch():
        resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_secret": SECRET})
        logger.info("got %s", resp.json())
    """
    (finding,) = _findings(code)
    assert finding.message == "token response from POST to the token endpoint (line 5) passed to logger.info"
    assert "zVTMSrWo" not in finding.message
    assert finding.severity == Severity.HIGH


def test_message_via_helper_names_the_call() -> None:
    code = POSITIVES["parameter-reaches-sink-in-callee"]
    (finding,) = _findings(code)
    assert "via trace() (called at line 7)" in finding.message


def test_test_files_are_one_severity_lower() -> None:
    code = """
    import requests
    r = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
    print(r.json())
    """
    (finding,) = _findings(code, path="tests/test_client.py")
    assert finding.severity == Severity.MEDIUM


# --- HTTP debug switches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "import http.client as http_client\nhttp_client.HTTPConnection.debuglevel = 1\n",
        "import http.client\nhttp.client.HTTPSConnection.debuglevel = 2\n",
        "from http.client import HTTPConnection\nHTTPConnection.debuglevel = 1\n",
        "import httplib\nhttplib.HTTPConnection.debuglevel = 1\n",
        "import http.client\nconn = http.client.HTTPSConnection('api.acme.io')\nconn.set_debuglevel(1)\n",
        "import urllib.request\nopener = urllib.request.build_opener(urllib.request.HTTPSHandler(debuglevel=1))\n",
        "import logging\nlogging.getLogger('requests_oauthlib').setLevel(logging.DEBUG)\n",
        "import logging\nlog = logging.getLogger('requests_oauthlib')\nlog.setLevel('DEBUG')\n",
        "import logging\nfrom requests_oauthlib import OAuth2Session\nlogging.basicConfig(level=logging.DEBUG)\n",
    ],
)
def test_debug_switches(code: str) -> None:
    findings = _findings(code)
    assert len(findings) == 1
    assert "DEBUG" in findings[0].message or "debug" in findings[0].message


@pytest.mark.parametrize(
    "code",
    [
        "from http.client import HTTPConnection\nHTTPConnection.debuglevel = 0\n",
        "import smtplib\ns = smtplib.SMTP('mail')\ns.set_debuglevel(1)\n",
        "import logging\nlogging.getLogger('urllib3').setLevel(logging.DEBUG)\n",
        "import logging\nlogging.basicConfig(level=logging.DEBUG)\n",
        "import logging\nlogging.getLogger('requests_oauthlib').setLevel(logging.WARNING)\n",
    ],
)
def test_debug_switch_negatives(code: str) -> None:
    assert _findings(code) == []


def test_debug_switch_reported_once_per_file() -> None:
    code = "from http.client import HTTPConnection, HTTPSConnection\nHTTPConnection.debuglevel = 1\nHTTPSConnection.debuglevel = 1\n"
    assert [f.line for f in _findings(code)] == [2]


# --- names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, role",
    [("access_token", "access token"), ("client_secret", "client secret"), ("CLIENT_SECRET", "client secret"),
     ("refresh_token", "refresh token"), ("id_token", "ID token"), ("api_key", "API key"), ("apiKey", "API key"),
     ("bearer_token", "bearer token"), ("auth_header", "Authorization header"), ("password", "password"),
     ("token", "token")],
)
def test_sensitive_names(name: str, role: str) -> None:
    found = sensitive_name(name)
    assert found is not None and found[0] == role


@pytest.mark.parametrize(
    "name",
    ["token_type", "expires_in", "scope", "token_url", "token_endpoint", "max_tokens", "prompt_tokens", "tokens",
     "token_count", "tokenizer", "eos_token", "pad_token", "page_token", "next_token", "NextToken", "csrf_token",
     "cancellation_token", "secret_name", "secret_id", "password_hash", "token_masked", "has_token", "credentials",
     "creds", "token_type_ids", "error_description", "correlation_id"],
)
def test_never_sensitive_names(name: str) -> None:
    assert sensitive_name(name) is None


# --- cost: the taint engine only runs where a source and a sink can meet --------------------------------


def test_taint_engine_runs_only_on_files_with_source_and_sink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(taint.STATS, "engines", 0)
    files = {
        "no_source_words.py": "import logging\nlog = logging.getLogger()\nlog.info('hello %s', user)\n",
        "no_sink.py": "import requests\nTOKEN_URL = 'https://x/oauth2/token'\nr = requests.post(TOKEN_URL)\n",
        "source_and_sink.py": "import requests\nr = requests.post(TOKEN_URL, data=d)\nprint(r.json())\n",
        "plain_math.py": "def add(a, b):\n    return a + b\n",
    }
    results = {path: _findings(code, path=path) for path, code in files.items()}
    assert taint.STATS["engines"] == 1
    assert [f.line for f in results["source_and_sink.py"]] == [3]


def test_engine_analyses_only_functions_near_sinks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(taint.STATS, "functions", 0)
    body = "\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(50))
    code = body + "\ndef main(access_token):\n    print(access_token)\n"
    line = textwrap.dedent(code).splitlines().index("    print(access_token)") + 1
    assert [f.line for f in _findings(code)] == [line]
    assert taint.STATS["functions"] <= 3  # module body + main (no parameter reaches a sink elsewhere)


# --- fixtures -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", fixture_files(FIXTURES), ids=str)
def test_fixture(path: str) -> None:
    check_fixture_tree(FIXTURES, ("OA201",), only=path).assert_ok()


def test_fixture_annotations_are_plentiful() -> None:
    report = check_fixture_tree(FIXTURES, ("OA201",))
    assert report.checked >= 60


def test_example_project() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    bad = root / "payments-service"
    good = root / "payments-service-fixed"
    found = []
    for base in (bad, good):
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base).as_posix()
            for f in run_rules(path.read_text(), path=rel, rules=(TokenLogged,)).findings:
                if f.confidence >= Confidence.MEDIUM:
                    found.append((base.name, rel, f.line))
    assert found == [("payments-service", "app/auth.py", 34)]


def test_every_strong_credential_phrase_is_auth_context() -> None:
    """OA201 ignores generic names ("token") in modules without an authentication word, and its file
    trigger needs one; a strong phrase alone must therefore always count as such a word."""
    from rules._analysis.names import AUTH_CONTEXT, has_auth_context
    from rules._catalog.secrets import CREDENTIAL_PHRASES, GENERIC_PHRASES

    pattern = re.compile(AUTH_CONTEXT, re.IGNORECASE)
    for phrase in CREDENTIAL_PHRASES:
        if phrase in GENERIC_PHRASES and phrase != ("secret",) and phrase[0] != "credential" and phrase[0] != "credentials":
            continue
        for form in ("_".join(phrase), "".join(w.capitalize() for w in phrase), "_".join(phrase).upper(), "-".join(phrase)):
            assert has_auth_context(f"x = {form}\n"), form
            assert pattern.search(f"x = {form}\n".encode()), form


def test_generic_token_is_a_credential_once_the_module_talks_http() -> None:
    code = """\
    import requests

    def call(url, token):
        print("calling with", token)
        return requests.get(url, headers={"X-Token": token})
    """
    assert [f.line for f in run_rules(code, rules=(TokenLogged,)).findings] == [4]
