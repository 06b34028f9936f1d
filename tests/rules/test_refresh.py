"""OA501 token-not-cached and OA502 no-pre-expiry-refresh: unit cases, pins and fixtures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.model import Confidence, Settings
from checker.testing import run_rules
from rules._catalog.libraries import (
    PIN_RULES,
    dependency_file,
    pin_findings,
    pins_short_default,
)
from rules.refresh.oa501_token_not_cached import TokenNotCached
from rules.refresh.oa502_no_pre_expiry_refresh import NoPreExpiryRefresh
from tests.rules.test_scope import assert_fixture_project

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "refresh"


def _marked(code: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(code).lstrip("\n").splitlines(), start=1) if "# expect" in line]


def lines(rule: type, code: str, path: str = "app/client.py", settings: Settings | None = None) -> list[int]:
    result = run_rules(code, path=path, rules=(rule,), settings=settings)
    assert not [n for n in result.notes if n.kind == "rule-error"], result.notes
    return sorted({f.line for f in result.findings if f.confidence >= Confidence.MEDIUM})


# ---------------------------------------------------------------------------------------------
# OA501
# ---------------------------------------------------------------------------------------------

OA501_POSITIVE = {
    "fetch_in_api_function": """
        import requests

        def token():
            return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}, auth=(CID, SECRET)).json()["access_token"]

        def accounts():
            t = token()  # expect
            return requests.get(API + "/v1/accounts", headers={"Authorization": "Bearer " + t}).json()
    """,
    "direct_post_and_get": """
        import requests

        def get_payments(account_id):
            resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": CID, "client_secret": SECRET})  # expect
            token = resp.json()["access_token"]
            return requests.get(f"{API}/v1/payments?account={account_id}", headers={"Authorization": f"Bearer {token}"}).json()
    """,
    "method_calls_fetcher": """
        import requests

        class Aelix:
            def _token(self):
                return requests.post(self.token_url, data={"grant_type": "client_credentials"}, auth=self.auth).json()["access_token"]

            def accounts(self):
                return requests.get(self.api + "/v1/accounts", headers={"Authorization": f"Bearer {self._token()}"}).json()  # expect
    """,
    "while_loop_worker": """
        import time
        import requests
        from app.auth import fetch_token

        def worker(queue):
            while True:
                job = queue.get()
                token = fetch_token()  # expect
                requests.post(API + "/v1/payments", json=job, headers={"Authorization": f"Bearer {token}"})
    """,
    "fastapi_route": """
        import httpx
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/accounts")
        async def accounts():
            async with httpx.AsyncClient() as client:
                tok = (await client.post(TOKEN_URL, data={"grant_type": "client_credentials"})).json()["access_token"]  # expect
                return (await client.get(API + "/v1/accounts", headers={"Authorization": f"Bearer {tok}"})).json()
    """,
    "lambda_handler": """
        import json
        import urllib.request

        def lambda_handler(event, context):
            req = urllib.request.Request(TOKEN_URL, data=b"grant_type=client_credentials", method="POST")
            token = json.load(urllib.request.urlopen(req))["access_token"]  # expect
            return {"statusCode": 200}
    """,
    "azure_credential_per_call": """
        import requests
        from azure.identity import ClientSecretCredential

        def list_vms(sub):
            cred = ClientSecretCredential(TENANT, CLIENT_ID, SECRET)
            token = cred.get_token("https://management.azure.com/.default")  # expect
            return requests.get(f"https://management.azure.com/subscriptions/{sub}/providers/Microsoft.Compute/virtualMachines",
                                headers={"Authorization": f"Bearer {token.token}"}).json()
    """,
    "httpx_auth_flow": """
        import httpx

        class BearerFlow(httpx.Auth):
            def auth_flow(self, request):
                token = httpx.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]  # expect
                request.headers["Authorization"] = f"Bearer {token}"
                yield request
    """,
    "list_comprehension": """
        import requests
        from .tokens import get_new_token

        def fetch_all(ids):
            return [requests.get(f"{API}/v1/accounts/{i}", headers={"Authorization": f"Bearer {get_new_token()}"}).json() for i in ids]  # expect
    """,
    "django_view_method": """
        import requests
        from django.views import View

        class Accounts(View):
            def get(self, request):
                token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]  # expect
                return requests.get(API, headers={"Authorization": f"Bearer {token}"}).json()
    """,
}

OA501_NEGATIVE = {
    "main_before_loop": """
        import requests

        def main():
            token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            for i in range(100):
                requests.get(f"{API}/v1/accounts/{i}", headers={"Authorization": f"Bearer {token}"})
    """,
    "module_level_script": """
        import requests
        token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
        print(requests.get(API + "/v1/accounts", headers={"Authorization": f"Bearer {token}"}).json())
    """,
    "init_fetch": """
        import requests

        class Client:
            def __init__(self):
                self.token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

            def accounts(self):
                return requests.get(API, headers={"Authorization": f"Bearer {self.token}"}).json()
    """,
    "guarded_by_expiry": """
        import time
        import requests

        _token, _exp = None, 0.0

        def token():
            global _token, _exp
            if _token and time.time() < _exp - 60:
                return _token
            body = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
            _token, _exp = body["access_token"], time.time() + body["expires_in"]
            return _token

        def accounts():
            return requests.get(API, headers={"Authorization": f"Bearer {token()}"}).json()
    """,
    "except_branch": """
        import requests
        from oauthlib.oauth2 import TokenExpiredError

        def accounts(session):
            try:
                return session.get(API).json()
            except TokenExpiredError:
                session.fetch_token(TOKEN_URL, client_secret=SECRET)
                return session.get(API).json()
    """,
    "background_refresher": """
        import time
        import requests

        def refresher(state):
            while True:
                state["token"] = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
                time.sleep(3000)
    """,
    "cachetools_cached": """
        import cachetools
        import requests

        @cachetools.cached(cachetools.TTLCache(maxsize=1, ttl=3000))
        def token():
            return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

        def accounts():
            return requests.get(API, headers={"Authorization": f"Bearer {token()}"}).json()
    """,
    "msal_module_app": """
        import msal
        import requests
        app = msal.ConfidentialClientApplication(CID, client_credential=SECRET)

        def users():
            tok = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])["access_token"]
            return requests.get(GRAPH, headers={"Authorization": "Bearer " + tok}).json()
    """,
    "authlib_session_on_self": """
        from authlib.integrations.requests_client import OAuth2Session

        class Api:
            def __init__(self):
                self.session = OAuth2Session(CID, SECRET, token_endpoint=TOKEN_URL, grant_type="client_credentials")
                self.session.fetch_token()

            def accounts(self):
                return self.session.get(API + "/v1/accounts").json()
    """,
    "fetcher_not_used_for_api": """
        import requests

        def get_token():
            return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

        def refresh(cache):
            cache.set("token", get_token())
    """,
    "get_token_not_a_fetcher_name": """
        import requests
        from app.auth import get_token

        def accounts():
            return requests.get(API, headers={"Authorization": f"Bearer {get_token()}"}).json()
    """,
    "while_token_none": """
        import time
        import requests

        def wait_for_token():
            token = None
            while token is None:
                token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json().get("access_token")
                time.sleep(1)
            return requests.get(API, headers={"Authorization": f"Bearer {token}"})
    """,
}


@pytest.mark.parametrize("name", sorted(OA501_POSITIVE))
def test_oa501_positive(name: str) -> None:
    code = OA501_POSITIVE[name]
    assert lines(TokenNotCached, code) == _marked(code)


@pytest.mark.parametrize("name", sorted(OA501_NEGATIVE))
def test_oa501_negative(name: str) -> None:
    assert lines(TokenNotCached, OA501_NEGATIVE[name]) == []


def test_oa501_silent_in_tests_and_fixtures() -> None:
    code = OA501_POSITIVE["fetch_in_api_function"]
    assert lines(TokenNotCached, code, path="tests/test_client.py") == []
    fixture = """
        import pytest, requests

        @pytest.fixture
        def accounts():
            t = fetch_token()
            return requests.get(API, headers={"Authorization": f"Bearer {t}"}).json()
    """
    assert lines(TokenNotCached, fixture) == []


def test_oa501_imported_fetcher_is_medium_confidence() -> None:
    code = """
        import requests
        from app.auth import fetch_token

        def accounts():
            token = fetch_token()
            return requests.get(API, headers={"Authorization": f"Bearer {token}"}).json()
    """
    findings = run_rules(code, path="app/accounts.py", rules=(TokenNotCached,)).findings
    assert [f.confidence for f in findings] == [Confidence.MEDIUM]
    assert "fetch_token" in findings[0].message and "accounts()" in findings[0].message


def test_oa501_hot_function_is_high_confidence() -> None:
    code = """
        import requests

        def token():
            return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

        def account(i):
            t = token()
            return requests.get(f"{API}/v1/accounts/{i}", headers={"Authorization": "Bearer " + t}).json()

        def report(ids):
            return [account(i) for i in ids]
    """
    findings = run_rules(code, path="app/a.py", rules=(TokenNotCached,)).findings
    assert [(f.line, f.confidence) for f in findings] == [(7, Confidence.HIGH)]


# ---------------------------------------------------------------------------------------------
# OA502
# ---------------------------------------------------------------------------------------------

OA502_POSITIVE = {
    "margin_zero_datetime": """
        import datetime
        import requests

        class Token:
            def __init__(self):
                self.value, self.expiry = None, None

            def get(self):
                if self.value is None or datetime.datetime.utcnow() >= self.expiry:  # expect
                    data = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.value = data["access_token"]
                    self.expiry = datetime.datetime.utcnow() + datetime.timedelta(seconds=data["expires_in"])
                return self.value
    """,
    "timedelta_margin_10s": """
        import datetime as dt
        import requests

        class Token:
            def __init__(self):
                self.value = None
                self.expires_at = dt.datetime.min

            def get(self):
                if self.value is None or self.expires_at - dt.datetime.now() < dt.timedelta(seconds=10):  # expect
                    data = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.value = data["access_token"]
                    self.expires_at = dt.datetime.now() + dt.timedelta(seconds=data["expires_in"])
                return self.value
    """,
    "margin_in_class_attribute": """
        import time
        import requests

        class Token:
            BUFFER = 30

            def __init__(self):
                self._token, self._expires_at = None, 0

            def get(self):
                if not self._token or time.monotonic() > self._expires_at - self.BUFFER:  # expect
                    body = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self._token = body["access_token"]
                    self._expires_at = time.monotonic() + body["expires_in"]
                return self._token
    """,
    "jwt_exp_no_margin": """
        import time
        import jwt
        import requests

        _token = None

        def token():
            global _token
            if _token is None or jwt.decode(_token, options={"verify_signature": False})["exp"] < time.time():  # expect
                _token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            return _token
    """,
    "hard_coded_timedelta": """
        import datetime
        import requests

        class Token:
            def __init__(self):
                self.token, self.expires = None, datetime.datetime.min

            def get(self):
                if self.token is None or datetime.datetime.now() > self.expires - datetime.timedelta(minutes=5):
                    self.token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
                    self.expires = datetime.datetime.now() + datetime.timedelta(hours=1)  # expect
                return self.token
    """,
    "cached_property": """
        from functools import cached_property
        import requests

        class Api:
            @cached_property  # expect
            def token(self):
                return requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
    """,
    "global_cache_no_expiry": """
        import requests

        _TOKEN = None

        def get_token():
            global _TOKEN
            if not _TOKEN:  # expect
                _TOKEN = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            return _TOKEN
    """,
    "init_fetch_never_refreshed": """
        import requests

        class Client:
            def __init__(self):
                self.access_token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]  # expect

            def accounts(self):
                return requests.get(API, headers={"Authorization": f"Bearer {self.access_token}"}).json()
    """,
    "redis_setex_hard_coded": """
        import redis
        import requests

        r = redis.Redis()

        def token():
            cached = r.get("tok")
            if cached:
                return cached
            access_token = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
            r.setex("tok", 3600, access_token)  # expect
            return access_token
    """,
    "django_cache_set": """
        from django.core.cache import cache
        import requests

        def token():
            tok = cache.get("aelix-token")
            if tok is None:
                tok = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]
                cache.set("aelix-token", tok, 3600)  # expect
            return tok
    """,
    "authlib_leeway": """
        from authlib.integrations.httpx_client import AsyncOAuth2Client
        client = AsyncOAuth2Client(CID, SECRET, token_endpoint=TOKEN_URL, grant_type="client_credentials", leeway=10)  # expect
    """,
    "apimatic_default_skew": """
        from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
        creds = ClientCredentialsAuthCredentials(o_auth_client_id=CID, o_auth_client_secret=SECRET)  # expect
    """,
    "wrong_clock": """
        import time
        import requests

        class Cache:
            def __init__(self):
                self.tok, self.exp = None, 0.0

            def get(self):
                if self.tok is None or self.exp - time.monotonic() < 120:  # expect
                    b = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.tok, self.exp = b["access_token"], time.time() + b["expires_in"]
                return self.tok
    """,
    "okta_client_credentials_default": """
        import httpx_auth
        okta = httpx_auth.OktaClientCredentials("acme.okta.com", client_id=CID, client_secret=SECRET, scope="okta.users.read")  # expect
    """,
}

OA502_NEGATIVE = {
    "store_time_margin": """
        import time
        import requests

        class Cache:
            def __init__(self):
                self.tok, self.exp = None, 0.0

            def get(self):
                if self.tok is None or time.time() >= self.exp:
                    b = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.tok = b["access_token"]
                    self.exp = time.time() + int(b["expires_in"]) - 60
                return self.tok
    """,
    "large_margin_timedelta": """
        import datetime as dt
        import requests

        class Cache:
            def __init__(self):
                self.tok, self.expires_at = None, None

            def get(self):
                if self.tok is None or dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5) >= self.expires_at:
                    b = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.tok = b["access_token"]
                    self.expires_at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=b["expires_in"])
                return self.tok
    """,
    "proportional": """
        import time
        import requests

        _tok = None
        _renew_at = 0.0

        def tok():
            global _tok, _renew_at
            if _tok is None or time.monotonic() >= _renew_at:
                b = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                _tok = b["access_token"]
                _renew_at = time.monotonic() + b["expires_in"] * 0.8
            return _tok
    """,
    "margin_from_settings": """
        import time
        import requests
        from django.conf import settings

        class Cache:
            def __init__(self):
                self.tok, self.exp = None, 0.0

            def get(self):
                if self.tok is None or self.exp - time.time() < settings.TOKEN_REFRESH_MARGIN:
                    b = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                    self.tok, self.exp = b["access_token"], time.time() + b["expires_in"]
                return self.tok
    """,
    "not_a_token": """
        import time

        class Throttle:
            def __init__(self):
                self.until = 0.0

            def allow(self):
                if time.time() < self.until:
                    return False
                self.until = time.time() + 3600
                return True
    """,
    "cookie_expiry": """
        import time

        def fresh_cookies(jar):
            return [c for c in jar if c.expires is None or c.expires > time.time()]
    """,
    "lru_cache_on_client_factory": """
        import functools
        from authlib.integrations.requests_client import OAuth2Session

        @functools.lru_cache(maxsize=None)
        def session():
            s = OAuth2Session(CID, SECRET, token_endpoint=TOKEN_URL, grant_type="client_credentials")
            s.fetch_token()
            return s
    """,
    "httpx_auth_explicit": """
        from httpx_auth import OAuth2ClientCredentials
        auth = OAuth2ClientCredentials(TOKEN_URL, client_id=CID, client_secret=SECRET, early_expiry=300)
    """,
    "authlib_default_leeway": """
        from authlib.integrations.requests_client import OAuth2Session
        session = OAuth2Session(CID, SECRET, token_endpoint=TOKEN_URL, grant_type="client_credentials")
    """,
    "azure_and_msal": """
        import msal
        from azure.identity import DefaultAzureCredential
        cred = DefaultAzureCredential()
        app = msal.ConfidentialClientApplication(CID, client_credential=SECRET)
        def token():
            return cred.get_token("https://storage.azure.com/.default").token
    """,
    "one_shot_script_global": """
        import requests

        TOKEN = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()["access_token"]

        def accounts():
            return requests.get(API, headers={"Authorization": f"Bearer {TOKEN}"}).json()

        if __name__ == "__main__":
            print(accounts())
    """,
    "ttl_from_response_in_cache": """
        from django.core.cache import cache
        import requests

        def token():
            tok = cache.get("aelix-token")
            if tok is None:
                body = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}).json()
                tok = body["access_token"]
                cache.set("aelix-token", tok, timeout=body["expires_in"] - 120)
            return tok
    """,
    "session_expiry_for_users": """
        import time

        class UserSession:
            def __init__(self, ttl):
                self.expires_at = time.time() + ttl

            def valid(self):
                return time.time() < self.expires_at
    """,
}


@pytest.mark.parametrize("name", sorted(OA502_POSITIVE))
def test_oa502_positive(name: str) -> None:
    code = OA502_POSITIVE[name]
    assert lines(NoPreExpiryRefresh, code) == _marked(code)


@pytest.mark.parametrize("name", sorted(OA502_NEGATIVE))
def test_oa502_negative(name: str) -> None:
    assert lines(NoPreExpiryRefresh, OA502_NEGATIVE[name]) == []


def test_oa502_margin_setting_is_honoured() -> None:
    code = OA502_NEGATIVE["store_time_margin"]
    assert lines(NoPreExpiryRefresh, code, settings=Settings(refresh_margin_seconds=120)) == [9]


def test_oa502_messages_name_the_margin() -> None:
    code = OA502_POSITIVE["margin_in_class_attribute"]
    finding = run_rules(code, path="app/t.py", rules=(NoPreExpiryRefresh,)).findings[0]
    assert "30 s" in finding.message and "60 s" in finding.message


# ---------------------------------------------------------------------------------------------
# Dependency pins (text check)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec,bad",
    [("<1.3", True), (">=1.2,<1.3", True), ("==1.3.1", True), ("~=1.2.0", True), ("<=1.3.1", True),
     (">=1.3.2", False), ("==1.3.2", False), ("<2", False), ("", False), (">=1.0", False), ("!=1.3.0", False)],
)
def test_authlib_specifiers(spec: str, bad: bool) -> None:
    assert pins_short_default(spec, PIN_RULES[0]) is bad


def test_google_auth_specifiers() -> None:
    rule = PIN_RULES[1]
    assert pins_short_default("==2.23.4", rule) and pins_short_default("<2.24", rule) and pins_short_default("~=2.22.0", rule)
    assert not pins_short_default(">=2.24", rule) and not pins_short_default("==2.30.0", rule)


@pytest.mark.parametrize(
    "path,text,expected",
    [
        ("requirements.txt", "requests\nauthlib>=1.2,<1.3  # pinned for py3.7\n", [2]),
        ("requirements/prod.txt", "Authlib==1.2.1\ngoogle-auth==2.30.0\n", [1]),
        ("requirements-dev.txt", "google_auth<2.24 ; python_version >= '3.8'\n", [1]),
        ("constraints.txt", "authlib==1.9.10\n", []),
        ("pyproject.toml", '[project]\ndependencies = [\n  "authlib<1.3",\n  "google-auth-oauthlib==0.4.1",\n]\n', [3]),
        ("pyproject.toml", '[tool.poetry.dependencies]\nauthlib = "^1.2"\n', []),
        ("pyproject.toml", '[tool.poetry.dependencies]\nauthlib = {version = "~1.2", extras = ["x"]}\n', [2]),
        ("Pipfile", '[packages]\nauthlib = "==1.2.1"\ngoogle-auth = "*"\n', [2]),
        ("setup.cfg", "[options]\ninstall_requires =\n    authlib<1.3\n", [3]),
        ("poetry.lock", '[[package]]\nname = "authlib"\nversion = "1.3.1"\n\n[[package]]\nname = "google-auth"\nversion = "2.24.0"\n', [3]),
        ("uv.lock", '[[package]]\nname = "google-auth"\nversion = "2.22.0"\nsource = { registry = "https://pypi.org/simple" }\n', [3]),
        ("README.txt", "authlib<1.3\n", []),
    ],
)
def test_pin_files(path: str, text: str, expected: list[int]) -> None:
    assert [p.line for p in pin_findings(path, text)] == expected


def test_pin_rule_runs_through_the_pipeline() -> None:
    result = run_rules("authlib>=1.2,<1.3\n", path="requirements.txt", rules=(NoPreExpiryRefresh,))
    assert [(f.line, f.column) for f in result.findings] == [(1, 1)]
    assert dependency_file("app/requirements.in") == "requirements" and dependency_file("package.json") is None


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_refresh_fixture(name: str) -> None:
    assert_fixture_project(FIXTURES / name, ("OA501", "OA502"))


def test_example_projects() -> None:
    """The bundled example: exact lines for every scope/refresh finding; the fixed twin is clean."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    from checker.engine import ScanOptions, scan

    selected = ("OA401", "OA402", "OA501", "OA502")
    result = scan(ScanOptions(paths=(examples / "payments-service",), overrides={"select": selected}, use_cache=False, jobs=1))
    found = sorted((f.path.split("payments-service/")[-1], f.line, f.rule) for f in result.findings)
    assert found == [
        ("app/accounts.py", 14, "OA501"),
        ("app/auth.py", 46, "OA502"),
        ("app/auth.py", 49, "OA502"),
        ("app/settings.py", 16, "OA402"),
        ("deploy/docker-compose.yml", 19, "OA401"),
        ("requirements.txt", 3, "OA502"),
    ]
    fixed = scan(ScanOptions(paths=(examples / "payments-service-fixed",), overrides={"select": selected}, use_cache=False, jobs=1))
    assert list(fixed.findings) == []
