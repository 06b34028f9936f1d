"""The shared OAuth client model (``rules._analysis.clients``) and its project-side resolution."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from checker.model import Settings
from checker.rule import FileContext
from rules._analysis.clients import (
    FACT_API_CALL,
    FACT_CLIENT,
    FACT_FLOW,
    FACT_SCOPE_CONSTANT,
    ClientModel,
    client_facts,
    client_model,
    module_name_for,
    names_match,
    scope_name,
)
from rules._analysis.lifecycle import expiry_checks, expiry_stores, lifecycle, linearize
from tests.rules.test_scope import run_project


def model_of(code: str, path: str = "app/client.py") -> ClientModel:
    source = textwrap.dedent(code).lstrip("\n")
    ctx = FileContext(path=path, kind="python", text=source, settings=Settings())
    ctx.module = cst.parse_module(source)
    return client_model(ctx)


def kinds(model: ClientModel) -> list[tuple[str, str]]:
    return [(c.kind, c.library) for c in model.clients]


# ---------------------------------------------------------------------------------------------
# Clients by library
# ---------------------------------------------------------------------------------------------

LIBRARIES = {
    "raw_requests": ("""
        import requests
        requests.post("https://idp/oauth2/token", data={"grant_type": "client_credentials"})
    """, [("raw", "requests")]),
    "raw_by_url_only": ("""
        import httpx
        httpx.post("https://auth.aelix.digitalapi.ai/oauth2/token", auth=(CID, SECRET))
    """, [("raw", "httpx")]),
    "raw_grant_parameter": ("""
        import requests
        def token(url, grant_type="client_credentials"):
            return requests.post(url, data={"grant_type": grant_type, "client_id": CID})
    """, [("raw", "requests")]),
    "aiohttp": ("""
        import aiohttp
        async def t():
            async with aiohttp.ClientSession() as s:
                async with s.post(TOKEN_URL, data={"grant_type": "client_credentials"}) as r:
                    return await r.json()
    """, [("raw", "aiohttp")]),
    "authlib": ("""
        from authlib.integrations.requests_client import OAuth2Session
        s = OAuth2Session(CID, SECRET, scope="a b", token_endpoint=URL)
        s.fetch_token()
    """, [("session", "authlib"), ("fetch", "authlib")]),
    "requests_oauthlib": ("""
        from oauthlib.oauth2 import BackendApplicationClient
        from requests_oauthlib import OAuth2Session
        oauth = OAuth2Session(client=BackendApplicationClient(client_id=CID, scope=["x"]))
        oauth.fetch_token(token_url=URL, client_secret=SECRET)
    """, [("oauthlib-client", "oauthlib"), ("session", "requests-oauthlib"), ("fetch", "requests-oauthlib")]),
    "msal": ("""
        import msal
        app = msal.ConfidentialClientApplication(CID, client_credential=SECRET)
        app.acquire_token_for_client(scopes=["api://x/.default"])
    """, [("msal-app", "msal"), ("msal-acquire", "msal")]),
    "azure": ("""
        from azure.identity.aio import ClientSecretCredential
        cred = ClientSecretCredential(T, C, S)
        async def t():
            return await cred.get_token("api://x/.default")
    """, [("azure-credential", "azure-identity"), ("azure-get-token", "azure-identity")]),
    "httpx_auth": ("""
        from httpx_auth import OAuth2ClientCredentials
        auth = OAuth2ClientCredentials(URL, client_id=CID, client_secret=SECRET, scope=["a"])
    """, [("auth-object", "httpx-auth")]),
    "requests_oauth2client": ("""
        from requests_oauth2client import OAuth2Client, OAuth2ClientCredentialsAuth
        c = OAuth2Client(URL, auth=(CID, SECRET))
        token = c.client_credentials(scope="a")
        auth = OAuth2ClientCredentialsAuth(c, scope="a")
    """, [("roc-client", "requests-oauth2client"), ("roc-fetch", "requests-oauth2client"), ("auth-object", "requests-oauth2client")]),
    "google": ("""
        import google.auth
        import google.auth.transport.requests
        from google.oauth2 import service_account
        creds = service_account.Credentials.from_service_account_info(INFO, scopes=["s"])
        other, _ = google.auth.default(scopes=["s"])
        narrowed = creds.with_scopes(["t"])
        creds.refresh(google.auth.transport.requests.Request())
    """, [("google-credentials", "google-auth")] * 3 + [("google-refresh", "google-auth")]),
    "not_oauth": ("""
        import requests
        requests.get("https://example.com/api")
        requests.post("https://example.com/login", data={"username": "u", "password": "p"})
        token = tokenizer.get_token(text)
    """, []),
}


@pytest.mark.parametrize("name", sorted(LIBRARIES))
def test_clients_by_library(name: str) -> None:
    code, expected = LIBRARIES[name]
    assert sorted(kinds(model_of(code))) == sorted(expected)


def test_scope_values_in_many_shapes() -> None:
    model = model_of("""
        import requests
        BASE = ["banking:read"]
        EXTRA = "payments:read"
        class C:
            SCOPES = ("identity:read",)
            def t(self, extra):
                requests.post(URL, data={"grant_type": "client_credentials", "scope": " ".join(BASE + [EXTRA])})
                requests.post(URL, data={"grant_type": "client_credentials", "scope": " ".join(self.SCOPES)})
                requests.post(URL, data={"grant_type": "client_credentials", "scope": extra})
                requests.post(URL, data={"grant_type": "client_credentials", "scope": {"banking:read", "webhooks:manage"}})
                requests.post(URL, data=f"grant_type=client_credentials&scope={EXTRA}")
    """)
    requests_ = [c.scopes for c in model.clients]
    assert requests_[1] is not None and requests_[1].scopes == ["identity:read"]
    assert requests_[2] is not None and requests_[2].status == "param" and requests_[2].ref == "param:app.client.C.t#extra#0"
    assert requests_[3] is not None and sorted(requests_[3].scopes) == ["banking:read", "webhooks:manage"]


def test_scope_reference_to_other_module() -> None:
    model = model_of("""
        import requests
        from app import settings
        from .config import SCOPES
        requests.post(settings.TOKEN_URL, data={"grant_type": "client_credentials", "scope": settings.SCOPES})
        requests.post(settings.TOKEN_URL, data={"grant_type": "client_credentials", "scope": SCOPES})
    """, path="app/auth.py")
    refs = [c.scopes.ref for c in model.clients if c.scopes]
    assert refs == ["app.settings.SCOPES", "app.config.SCOPES"]


def test_api_calls_and_tokens() -> None:
    model = model_of("""
        import requests
        from app.auth import token_cache

        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + token_cache.get()

        def a():
            return requests.get(API + "/v1/accounts", headers={"Authorization": f"Bearer {token_cache.get()}"})

        def b():
            return session.get(API + "/v1/payments")

        def c(token):
            return requests.get(API + "/v1/x", headers={"authorization": "Bearer %s" % token})

        def public():
            return requests.get("https://example.com/status")
    """, path="app/api.py")
    tokens = {a.site.func.name: (a.token, a.token_via) for a in model.api_calls}
    assert tokens["a"] == ("call:app.auth.token_cache.get", "header")
    assert tokens["b"] == ("obj:app.api.session", "session")
    assert tokens["c"] == ("param:app.api.c#token#0", "header")
    assert model.object_edges["obj:app.api.session"] == ["call:app.auth.token_cache.get"]


def test_facts_are_plain_data_without_secrets() -> None:
    import json

    source = textwrap.dedent("""
        import requests
        SECRET = "zVTMSrWo9dwNORtcjrTBJiL8YETM5QZ8MgpyQlFF"
        SCOPES = "banking:read payments:write"
        def t():
            return requests.post(URL, data={"grant_type": "client_credentials", "client_secret": SECRET, "scope": SCOPES}).json()["access_token"]
        def a():
            return requests.get("https://api.aelix.digitalapi.ai/v1/accounts", headers={"Authorization": f"Bearer {t()}"})
    """).lstrip("\n")
    ctx = FileContext(path="app/c.py", kind="python", text=source, settings=Settings())
    ctx.module = cst.parse_module(source)
    facts = client_facts(ctx)
    text = json.dumps([f[4] for f in facts])
    assert "zVTMSrWo9dwNORtcjrTBJiL8YETM5QZ8MgpyQlFF" not in text
    by_kind = {f[0] for f in facts}
    assert {FACT_CLIENT, FACT_API_CALL, FACT_FLOW, FACT_SCOPE_CONSTANT} <= by_kind
    client = next(f for f in facts if f[0] == FACT_CLIENT)
    assert [(s["scope"], s["line"], s["column"]) for s in client[4]["scopes"]] == [("banking:read", 3, 11), ("payments:write", 3, 24)]


def test_module_names_and_matching() -> None:
    assert module_name_for("app/auth.py") == "app.auth"
    assert module_name_for("pkg/__init__.py") == "pkg"
    assert names_match("app.auth.fetch", "src.app.auth.fetch") and not names_match("auth.fetch", "app.authx.fetch")
    assert scope_name("AELIX_SCOPES") and scope_name("oauthScope") and not scope_name("REQUIRED_SCOPES") and not scope_name("telescope")


def test_cross_module_class_instance_and_wrapper() -> None:
    files = {
        "svc/auth.py": """
            import time, requests
            class Tokens:
                def __init__(self):
                    self._tok, self._exp = None, 0.0
                def get(self):
                    if self._tok is None or self._exp - time.time() < 60:
                        b = requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                          data={"grant_type": "client_credentials", "scope": "banking:read payments:read"}).json()  # expect
                        self._tok, self._exp = b["access_token"], time.time() + b["expires_in"]
                    return self._tok
            tokens = Tokens()
        """,
        "svc/api.py": """
            import requests
            from svc.auth import tokens

            class Api:
                base = "https://api.aelix.digitalapi.ai"

                def _request(self, method, path, **kw):
                    return requests.request(method, self.base + path, headers={"Authorization": f"Bearer {tokens.get()}"}, **kw)

                def accounts(self):
                    return self._request("GET", "/v1/accounts")

                def transactions(self, account_id):
                    return self._request("GET", f"/v1/accounts/{account_id}/transactions")
        """,
    }
    found, logs = run_project(files)
    assert [(p, l) for p, l, _m in found] == [("svc/auth.py", 8)]
    assert "payments:read" in found[0][2]
    assert any("call GET /v1/accounts/{account_id}/transactions" in line for line in logs)


# ---------------------------------------------------------------------------------------------
# Lifecycle helpers
# ---------------------------------------------------------------------------------------------


def test_fetcher_summaries_and_guards() -> None:
    model = model_of("""
        import requests
        def raw():
            return requests.post(URL, data={"grant_type": "client_credentials"}).json()["access_token"]
        def via():
            return raw()
        def cached():
            if _TOKEN:
                return _TOKEN
            return raw()
        def api():
            return requests.get(API, headers={"Authorization": "Bearer " + via()})
    """)
    life = lifecycle(model)
    by_name = {fn.name: fn for fn in model.functions}
    assert life.always_fetches(by_name["raw"]) and life.always_fetches(by_name["via"])
    assert not life.always_fetches(by_name["cached"])
    assert [a.fetcher for a in life.summary(by_name["api"]).acquisitions] == ["via"]
    assert len(life.summary(by_name["api"]).api_calls) == 1


@pytest.mark.parametrize(
    "expr,margin",
    [("now >= exp", 0), ("exp - now < 30", 30), ("now + 90 > exp", 90), ("exp < now + timedelta(minutes=2)", 120),
     ("(exp - now).total_seconds() <= 15", 15), ("now > exp - MARGIN", 45), ("now < exp", 0), ("exp + 30 > now", -30)],
)
def test_expiry_margins(expr: str, margin: float) -> None:
    model = model_of(f"""
        import time
        from datetime import timedelta
        MARGIN = 45
        def f(exp):
            now = time.time()
            return {expr}
    """)
    checks = expiry_checks(model)
    assert [c.margin for c in checks] == [margin]


def test_expiry_stores() -> None:
    model = model_of("""
        import time
        class C:
            def f(self, body):
                self.expires_at = time.time() + body["expires_in"] - 120
                self.refresh_at = time.monotonic() + body["expires_in"] * 0.9
                self.token_expiry = time.time() + 3600
    """)
    stores = {s.target: (s.offset, s.lifetime, s.clock_kind) for s in expiry_stores(model)}
    assert stores["self.expires_at"] == (120.0, None, "time")
    assert stores["self.refresh_at"][0] == pytest.approx(360.0)
    assert stores["self.token_expiry"] == (None, 3600.0, "time")


def test_linearize_unknown_for_calls() -> None:
    model = model_of("def f(x):\n    return x\n")
    fn = model.functions[1]
    assert linearize(cst.parse_expression("compute(x) - 3"), model, fn).unknown


def test_reexports_and_monorepo_imports() -> None:
    from rules._analysis.clients import reexport_match

    assert reexport_match("sdk.TokenProvider", "sdk.auth.TokenProvider")
    assert not reexport_match("sdk.TokenProvider", "other.auth.TokenProvider")
    model = model_of("from app.auth import fetch_token\nimport requests\n", path="services/pay/app/accounts.py")
    assert model.resolve_import("app.auth.fetch_token") == "services.pay.app.auth.fetch_token"
    assert model.resolve_import("requests.post") == "requests.post"


def test_two_services_with_the_same_package_name_stay_apart() -> None:
    auth = """
        import requests
        def fetch_token():
            return requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                 data={"grant_type": "client_credentials", "scope": "banking:read payments:read"}).json()["access_token"]
    """
    reads = """
        import requests
        from app.auth import fetch_token
        def accounts():
            return requests.get("https://api.aelix.digitalapi.ai/v1/accounts", headers={"Authorization": f"Bearer {fetch_token()}"})
    """
    pays = """
        import requests
        from app.auth import fetch_token
        def payments():
            return requests.get("https://api.aelix.digitalapi.ai/v1/payments", headers={"Authorization": f"Bearer {fetch_token()}"})
    """
    files = {"one/app/auth.py": auth, "one/app/api.py": reads, "two/app/auth.py": auth, "two/app/api.py": pays}
    found, _logs = run_project(files)
    assert [(p, l) for p, l, _m in found] == [("one/app/auth.py", 4), ("two/app/auth.py", 4)]
    assert "payments:read" in found[0][2] and "banking:read" in found[1][2]
