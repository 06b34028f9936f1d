"""OA401 broad-scope and OA402 unneeded-scope: unit cases, config files, catalogs and fixtures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.model import Confidence, Document, Entry, Settings, Severity
from checker.pipeline import analyze_bytes
from checker.rule import FileContext, ProjectContext
from checker.testing import run_rules
from rules._catalog.profiles import active_profile, normalize_path, parse_rule
from rules._catalog.scopes import classify_scope, is_write_scope, split_scopes
from rules.scope.oa401_broad_scope import BroadScope
from rules.scope.oa402_unneeded_scope import UnneededScope
from tests.rules.fixture_runner import parse_annotations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scope"
MARK = "# expect"


def _source(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def _marked(code: str) -> list[int]:
    return [i for i, line in enumerate(_source(code).splitlines(), start=1) if MARK in line]


def oa401_lines(code: str, path: str = "app/client.py", settings: Settings | None = None, min_confidence: Confidence = Confidence.MEDIUM) -> list[int]:
    result = run_rules(code, path=path, rules=(BroadScope,), settings=settings)
    assert not [n for n in result.notes if n.kind == "rule-error"], result.notes
    return sorted({f.line for f in result.findings if f.confidence >= min_confidence})


def run_project(files: dict[str, str], settings: Settings | None = None) -> tuple[list[tuple[str, int, str]], list[str]]:
    """Facts of every file, then OA402 over all of them: ([(path, line, message)], verbose lines)."""
    settings = settings or Settings()
    facts = []
    for path, code in files.items():
        result = analyze_bytes(path, _source(code).encode(), settings, (UnneededScope,))
        assert not [n for n in result.notes if n.kind == "rule-error"], result.notes
        facts.extend(result.facts)
    logs: list[str] = []
    project = ProjectContext(root=".", settings=settings, now=None, facts=tuple(facts), files=tuple(files), verbose=logs.append)
    UnneededScope().check(project)
    found = sorted((path, raw.line, raw.message) for _rule, path, raw in project.reports)
    return found, logs


def oa402_lines(files: dict[str, str], settings: Settings | None = None) -> list[tuple[str, int]]:
    return sorted({(p, line) for p, line, _m in run_project(files, settings)[0]})


def expected_402(files: dict[str, str]) -> list[tuple[str, int]]:
    return sorted((path, line) for path, code in files.items() for line in _marked(code))


# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope",
    ["*", "*:*", "banking:*", "*:write", "admin", "all", "full", "full_access", "root", "superuser", "payments:admin",
     "admin:org", "okta.users.manage", "aws.cognito.signin.user.admin", "https://www.googleapis.com/auth/drive",
     "https://mail.google.com/", "Directory.ReadWrite.All", "https://graph.microsoft.com/RoleManagement.ReadWrite.Directory",
     "delete_repo", "user.admin", "https://www.googleapis.com/auth/admin.directory.user"],
)
def test_broad_scopes(scope: str) -> None:
    assert classify_scope(scope) is not None


@pytest.mark.parametrize(
    "scope",
    ["banking:read", "payments:write", "webhooks:manage", "https://graph.microsoft.com/.default", "api://x/.default", ".default",
     "openid", "email", "profile", "okta.users.read", "https://www.googleapis.com/auth/drive.readonly",
     "https://www.googleapis.com/auth/drive.file", "User.Read.All", "admin:read", "read:org", "repo",
     "https://www.googleapis.com/auth/admin.directory.user.readonly", "accounts.read"],
)
def test_fine_scopes(scope: str) -> None:
    assert classify_scope(scope) is None


def test_cloud_platform_is_info_only() -> None:
    verdict = classify_scope("https://www.googleapis.com/auth/cloud-platform")
    assert verdict is not None and verdict.severity == Severity.INFO and verdict.confidence == Confidence.LOW


def test_github_repo_only_with_github_provider() -> None:
    assert classify_scope("repo") is None
    assert classify_scope("repo", provider="github") is not None


def test_split_scopes() -> None:
    assert split_scopes("banking:read  payments:write") == [("banking:read", 0), ("payments:write", 14)]
    assert [s for s, _ in split_scopes("a,b,a")] == ["a", "b"]
    assert [s for s, _ in split_scopes("banking:read+payments:read")] == ["banking:read", "payments:read"]
    assert [s for s, _ in split_scopes("https://www.googleapis.com/auth/drive")] == ["https://www.googleapis.com/auth/drive"]


def test_write_scopes() -> None:
    assert all(is_write_scope(s) for s in ("payments:write", "Mail.ReadWrite", "write:org", "payments:initiate", "reports.write", "webhooks:manage"))
    assert not any(is_write_scope(s) for s in ("banking:read", "https://graph.microsoft.com/.default", "read:org", "posts:read"))


def test_aelix_profile_map_and_alias() -> None:
    profile = active_profile(Settings())
    assert profile is not None
    assert profile.needed_scope("GET", "/v1/accounts") == "banking:read"
    assert profile.needed_scope("GET", "/v1/accounts/{id}/transactions?limit=5") == "banking:read"
    assert profile.needed_scope("POST", "/v1/payments") == "payments:initiate"
    assert profile.needed_scope("DELETE", "/v1/webhooks/{id}") == "webhooks:manage"
    assert profile.needed_scope("GET", "/v1/customers/{id}/identity") == "identity:read"
    assert profile.needed_scope("GET", "/v2/unknown") is None
    assert profile.canonical("payments:write") == "payments:initiate" and profile.knows("payments:write")
    assert not profile.knows("banking:delete") and profile.is_provider_scope("banking:delete")


def test_user_scope_map_adds_and_replaces() -> None:
    settings = Settings(scope_map=(("GET /v1/accounts", "accounts:list"), ("POST /v1/transfers", "payments:write")))
    profile = active_profile(settings)
    assert profile is not None
    assert profile.needed_scope("GET", "/v1/accounts") == "accounts:list"
    assert profile.needed_scope("POST", "/v1/transfers") == "payments:initiate"
    assert profile.needed_scope("GET", "/v1/accounts/{id}") == "banking:read"


def test_profile_none_keeps_only_user_entries() -> None:
    assert active_profile(Settings(profile="none")) is None
    custom = active_profile(Settings(profile="none", scope_map=(("GET /reports/**", "reports.read"),)))
    assert custom is not None and custom.needed_scope("GET", "/reports/1") == "reports.read"
    assert custom.needed_scope("GET", "/v1/accounts") is None


def test_rule_parsing() -> None:
    rule = parse_rule("/v1/webhooks/**", "webhooks:manage")
    assert rule is not None and not rule.methods and rule.matches("PATCH", "/v1/webhooks/abc")
    assert parse_rule("GET", "x") is None
    assert normalize_path("v1//accounts/{id}/") == "/v1/accounts/_param_"


# ---------------------------------------------------------------------------------------------
# OA401 in Python
# ---------------------------------------------------------------------------------------------

OA401_POSITIVE = {
    "raw_requests": """
        import requests
        resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "accounts:* payments:read"})  # expect
    """,
    "constant_list": """
        import requests
        SCOPES = ["banking:read", "admin"]  # expect
        body = {"grant_type": "client_credentials", "scope": " ".join(SCOPES)}
        requests.post(TOKEN_URL, data=body)
    """,
    "httpx_async": """
        import httpx
        async def token():
            async with httpx.AsyncClient() as c:
                r = await c.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "*"})  # expect
                return r.json()["access_token"]
    """,
    "authlib_fetch_token": """
        from authlib.integrations.requests_client import OAuth2Session
        s = OAuth2Session(CLIENT_ID, CLIENT_SECRET, token_endpoint=TOKEN_URL)
        s.fetch_token(scope="reports:read reports:full_access")  # expect
    """,
    "requests_oauthlib_session_scope": """
        from requests_oauthlib import OAuth2Session
        oauth = OAuth2Session(client_id=CLIENT_ID, scope=["superuser"])  # expect
    """,
    "msal_graph_app_permission": """
        import msal
        app = msal.ConfidentialClientApplication(CLIENT_ID, client_credential=SECRET)
        r = app.acquire_token_for_client(["https://graph.microsoft.com/Directory.ReadWrite.All"])  # expect
    """,
    "roc_client_credentials": """
        from requests_oauth2client import OAuth2Client
        client = OAuth2Client(TOKEN_ENDPOINT, auth=(CLIENT_ID, CLIENT_SECRET))
        token = client.client_credentials(scope="all")  # expect
    """,
    "google_default": """
        import google.auth
        creds, project = google.auth.default(scopes=["https://mail.google.com/"])  # expect
    """,
    "class_constant_in_body": """
        import requests
        class Aelix:
            SCOPE = "banking:read payments:*"  # expect
            def token(self):
                return requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": self.SCOPE}).json()
    """,
    "user_wrapper_with_client_kwargs": """
        from mycompany.oauth import ServiceClient
        client = ServiceClient(client_id=CLIENT_ID, client_secret=SECRET, scope="admin")  # expect
    """,
    "urlencoded_string": """
        import urllib.request
        body = "grant_type=client_credentials&scope=root"  # expect
        req = urllib.request.Request(TOKEN_URL, data=body.encode())
        urllib.request.urlopen(req)
    """,
    "aelix_unknown_scope": """
        import requests
        requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                      data={"grant_type": "client_credentials", "scope": "banking:read payments:refund"})  # expect
    """,
    "settings_module": """
        TOKEN_URL = "https://login.example.com/oauth2/token"
        CLIENT_ID = "svc-reports"
        OAUTH_SCOPES = "reports:read *:write"  # expect
    """,
}

OA401_NEGATIVE = {
    "documented_scopes": """
        import requests
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "banking:read payments:write webhooks:manage"})
    """,
    "ms_default": """
        from azure.identity import ClientSecretCredential
        cred = ClientSecretCredential(TENANT, CLIENT_ID, SECRET)
        cred.get_token("https://management.azure.com/.default")
    """,
    "pytest_fixture": """
        import pytest
        @pytest.fixture(scope="session")
        def admin():
            return {"role": "admin"}
    """,
    "fastapi_security": """
        from fastapi import Security
        from fastapi.security import OAuth2PasswordBearer
        scheme = OAuth2PasswordBearer(tokenUrl="token", scopes={"admin": "all"})
        def route(user=Security(current_user, scopes=["admin"])):
            pass
    """,
    "drf_server_required_scopes": """
        from rest_framework.views import APIView
        from oauth2_provider.contrib.rest_framework import TokenHasScope
        class Admin(APIView):
            permission_classes = [TokenHasScope]
            required_scopes = ["admin"]
    """,
    "search_scope_not_oauth": """
        SEARCH_SCOPE = "all"
        def search(q, scope=SEARCH_SCOPE):
            return index.query(q, scope=scope)
    """,
    "ldap_scope": """
        import ldap
        conn.search_s(BASE, ldap.SCOPE_SUBTREE, "(uid=*)")
        params = {"scope": "sub", "filter": "(objectClass=*)"}
    """,
    "cloud_platform_info_only": """
        from google.oauth2 import service_account
        creds = service_account.Credentials.from_service_account_file("sa.json", scopes=["https://www.googleapis.com/auth/cloud-platform"])
    """,
    "scope_from_env": """
        import os, requests
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": os.environ["SCOPES"]})
    """,
    "manage_is_not_broad": """
        import requests
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "webhooks:manage okta.users.read"})
    """,
    "openid_scopes": """
        import requests
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "openid profile email"})
    """,
    "unknown_scope_of_other_provider": """
        import requests
        requests.post("https://login.example.com/oauth2/token", data={"grant_type": "client_credentials", "scope": "payments:refund"})
    """,
    "di_scope": """
        from injector import Module, singleton
        binder.bind(Service, to=Service, scope=singleton)
        container.register(Repo, scope="all")
    """,
}


@pytest.mark.parametrize("name", sorted(OA401_POSITIVE))
def test_oa401_positive(name: str) -> None:
    code = OA401_POSITIVE[name]
    assert oa401_lines(code) == _marked(code)


@pytest.mark.parametrize("name", sorted(OA401_NEGATIVE))
def test_oa401_negative(name: str) -> None:
    assert oa401_lines(OA401_NEGATIVE[name]) == []


def test_oa401_cloud_platform_visible_with_strict_as_info() -> None:
    code = OA401_NEGATIVE["cloud_platform_info_only"]
    result = run_rules(code, path="app/gcs.py", rules=(BroadScope,))
    assert [(f.severity, f.confidence) for f in result.findings] == [(Severity.INFO, Confidence.LOW)]


def test_oa401_silent_in_tests() -> None:
    assert oa401_lines(OA401_POSITIVE["raw_requests"], path="tests/test_auth.py") == []


def test_oa401_unknown_scope_is_medium_confidence() -> None:
    result = run_rules(OA401_POSITIVE["aelix_unknown_scope"], path="app/c.py", rules=(BroadScope,))
    assert [f.confidence for f in result.findings] == [Confidence.MEDIUM]
    assert "payments:refund" in result.findings[0].message


def test_oa401_column_points_at_the_scope() -> None:
    code = 'import requests\nrequests.post(URL, data={"grant_type": "client_credentials", "scope": "banking:read banking:*"})\n'
    finding = run_rules(code, path="app/c.py", rules=(BroadScope,)).findings[0]
    assert code.splitlines()[1][finding.column - 1 :].startswith("banking:*")


def test_oa401_profile_none_disables_unknown_scope() -> None:
    settings = Settings(profile="none")
    assert oa401_lines(OA401_POSITIVE["aelix_unknown_scope"], settings=settings) == []


# ---------------------------------------------------------------------------------------------
# OA401 in config files
# ---------------------------------------------------------------------------------------------


def _config_lines(kind: str, path: str, text: str) -> list[tuple[int, int]]:
    from checker.documents import parse_document

    text = _source(text)
    ctx = FileContext(path=path, kind=kind, text=text, settings=Settings())
    doc = parse_document(kind, text, path)
    BroadScope(ctx).check(doc, ctx)
    return sorted((r.line, r.column) for r in ctx.reports)


def test_config_compose_wildcard() -> None:
    text = """
        services:
          exporter:
            environment:
              AELIX_CLIENT_ID: cl_x
              AELIX_SCOPES: "banking:* payments:read"
              EXPORT_SCHEDULE: "0 2 * * *"
    """
    assert _config_lines("yaml", "deploy/docker-compose.yml", text) == [(5, 22)]


def test_config_dotenv_and_ini_and_toml_and_json() -> None:
    assert _config_lines("dotenv", ".env", "OAUTH_SCOPE=admin\nCLIENT_ID=x\n") == [(1, 13)]
    assert _config_lines("ini", "setup.cfg", "[oauth]\nclient_id = x\nscope = read *\n") == [(3, 14)]
    assert [l for l, _c in _config_lines("toml", "app.toml", '[auth]\nclient_id = "x"\nscopes = ["read", "all"]\n')] == [3]
    assert [l for l, _c in _config_lines("json", "c.json", '{"oauth": {"client_id": "x", "scope": "full_access"}}')] == [1]


def test_config_needs_oauth_context_for_bare_words() -> None:
    assert _config_lines("yaml", "c.yml", "search:\n  scope: all\n") == []
    assert _config_lines("yaml", ".github/workflows/ci.yml", "steps:\n  - uses: actions/setup-node@v4\n    with:\n      scope: '@octocat'\n") == []
    # a <resource>:* wildcard is distinctive enough on its own
    assert [l for l, _c in _config_lines("yaml", "c.yml", "job:\n  scopes: 'reports:*'\n")] == [2]


def test_config_documents_built_by_hand() -> None:
    doc = Document(kind="yaml", entries=(Entry(("aelix", "client_id"), "x", 2, 14), Entry(("aelix", "scope"), "banking:read banking:admin", 3, 10, quoted=True)))
    ctx = FileContext(path="values.yaml", kind="yaml", text="", settings=Settings())
    BroadScope(ctx).check(doc, ctx)
    assert [(r.line, r.column) for r in ctx.reports] == [(3, 24)]


def test_config_unknown_aelix_scope() -> None:
    lines = _config_lines("yaml", "values.yaml", "env:\n  AELIX_CLIENT_ID: x\n  AELIX_SCOPES: banking:read accounts:close\n")
    assert lines == []  # accounts is not an Aelix resource: not judged
    lines = _config_lines("yaml", "values.yaml", "env:\n  AELIX_CLIENT_ID: x\n  AELIX_SCOPES: banking:read banking:close\n")
    assert [l for l, _c in lines] == [3]


# ---------------------------------------------------------------------------------------------
# OA402 across files
# ---------------------------------------------------------------------------------------------

SETTINGS_PY = """
    import os
    API_BASE = "https://api.aelix.digitalapi.ai"
    TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
    CLIENT_SECRET = os.environ["AELIX_CLIENT_SECRET"]
    SCOPES = "banking:read payments:write"  # expect
"""
AUTH_PY = """
    import requests
    from app import settings

    def fetch_token():
        resp = requests.post(settings.TOKEN_URL, data={"grant_type": "client_credentials", "scope": settings.SCOPES})
        return resp.json()["access_token"]
"""
ACCOUNTS_PY = """
    import requests
    from app import settings
    from app.auth import fetch_token

    def list_accounts():
        token = fetch_token()
        return requests.get(f"{settings.API_BASE}/v1/accounts", headers={"Authorization": f"Bearer {token}"}).json()

    def balances(account_id):
        return requests.get(f"{settings.API_BASE}/v1/accounts/{account_id}/balances",
                            headers={"Authorization": "Bearer " + fetch_token()}).json()
"""


def test_oa402_three_modules() -> None:
    files = {"app/settings.py": SETTINGS_PY, "app/auth.py": AUTH_PY, "app/accounts.py": ACCOUNTS_PY}
    found, logs = run_project(files)
    assert [(p, l) for p, l, _m in found] == expected_402(files)
    message = found[0][2]
    assert "payments:write" in message and "GET /v1/accounts" in message and "banking:read" in message
    assert any("requests banking:read payments:write" in line for line in logs)
    assert any("needed: banking:read" in line for line in logs)


def test_oa402_src_layout_and_relative_imports() -> None:
    files = {
        "src/app/settings.py": SETTINGS_PY,
        "src/app/auth.py": AUTH_PY.replace("from app import settings", "from . import settings"),
        "src/app/accounts.py": ACCOUNTS_PY.replace("from app.auth import fetch_token", "from .auth import fetch_token"),
    }
    assert oa402_lines(files) == expected_402(files)


def test_oa402_write_scope_used() -> None:
    files = {
        "app/settings.py": SETTINGS_PY.replace("  # expect", ""),
        "app/auth.py": AUTH_PY,
        "app/accounts.py": ACCOUNTS_PY + """
    def pay(amount):
        return requests.post(f"{settings.API_BASE}/v1/payments", json={"amount": amount},
                             headers={"Authorization": f"Bearer {fetch_token()}"})
""",
    }
    assert oa402_lines(files) == []


def test_oa402_silent_when_a_call_is_unresolved() -> None:
    files = {
        "app/settings.py": SETTINGS_PY.replace("  # expect", ""),
        "app/auth.py": AUTH_PY,
        "app/accounts.py": ACCOUNTS_PY + """
    def anything(path):
        return requests.get(settings.API_BASE + path, headers={"Authorization": f"Bearer {fetch_token()}"})
""",
    }
    found, logs = run_project(files)
    assert found == []
    assert any("not judged" in line and "URL built at run time" in line for line in logs)


def test_oa402_silent_when_token_escapes_to_unknown_code() -> None:
    files = {
        "app/settings.py": SETTINGS_PY.replace("  # expect", ""),
        "app/auth.py": AUTH_PY,
        "app/accounts.py": ACCOUNTS_PY + """
    def sdk():
        from aelix import Client
        return Client(token=fetch_token()).payments.create(amount=1)
""",
    }
    found, logs = run_project(files)
    assert found == []
    assert any("token passed to" in line for line in logs)


def test_oa402_token_passed_as_parameter() -> None:
    files = {
        "svc/client.py": """
            import requests
            SCOPE = "banking:read identity:read"  # expect

            def token():
                return requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                     data={"grant_type": "client_credentials", "scope": SCOPE}).json()["access_token"]

            def accounts(tok):
                return requests.get("https://api.aelix.digitalapi.ai/v1/accounts", headers={"Authorization": f"Bearer {tok}"})
        """,
        "svc/main.py": """
            from svc.client import accounts, token

            def main():
                t = token()
                print(accounts(t))
        """,
    }
    assert oa402_lines(files) == expected_402(files)


def test_oa402_parameter_without_known_callers_is_unresolved() -> None:
    files = {
        "svc/client.py": """
            import requests
            SCOPE = "banking:read identity:read"

            def token():
                return requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                     data={"grant_type": "client_credentials", "scope": SCOPE}).json()["access_token"]

            def accounts(tok):
                return requests.get("https://api.aelix.digitalapi.ai/v1/accounts", headers={"Authorization": f"Bearer {tok}"})
        """,
    }
    assert oa402_lines(files) == []


def test_oa402_session_headers() -> None:
    files = {
        "svc/api.py": """
            import requests

            class Api:
                def __init__(self):
                    self.session = requests.Session()
                    token = requests.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                          data={"grant_type": "client_credentials", "scope": "banking:read webhooks:manage"}).json()["access_token"]  # expect
                    self.session.headers.update({"Authorization": f"Bearer {token}"})

                def accounts(self):
                    return self.session.get("https://api.aelix.digitalapi.ai/v1/accounts").json()
        """,
    }
    assert oa402_lines(files) == expected_402(files)


def test_oa402_httpx_auth_object() -> None:
    files = {
        "svc/http.py": """
            import httpx
            from httpx_auth import OAuth2ClientCredentials

            auth = OAuth2ClientCredentials("https://auth.aelix.digitalapi.ai/oauth2/token", client_id="x", client_secret=SECRET,
                                           scope=["banking:read", "payments:read"], early_expiry=60)  # expect
            client = httpx.Client(auth=auth)

            def accounts():
                return client.get("https://api.aelix.digitalapi.ai/v1/accounts").json()
        """,
    }
    assert oa402_lines(files) == expected_402(files)


def test_oa402_host_outside_profile_uses_reads_only_rule() -> None:
    files = {
        "svc/c.py": """
            import requests
            def tok():
                return requests.post("https://idp.example.com/oauth2/token",
                                     data={"grant_type": "client_credentials", "scope": "orders:read orders:write"}).json()["access_token"]  # expect
            def orders():
                return requests.get("https://api.example.com/orders", headers={"Authorization": "Bearer " + tok()}).json()
        """,
    }
    found, _logs = run_project(files)
    assert [(p, l) for p, l, _m in found] == expected_402(files)
    assert "orders:write" in found[0][2] and "only reads" in found[0][2]


def test_oa402_scope_map_from_config() -> None:
    files = {
        "svc/c.py": """
            import requests
            def tok():
                return requests.post("https://idp.example.com/oauth2/token",
                                     data={"grant_type": "client_credentials", "scope": "orders:read invoices:read"}).json()["access_token"]  # expect
            def orders():
                return requests.get("https://api.example.com/v2/orders", headers={"Authorization": "Bearer " + tok()}).json()
        """,
    }
    settings = Settings(profile="none", scope_map=(("GET /v2/orders/**", "orders:read"), ("GET /v2/invoices/**", "invoices:read")))
    found, _ = run_project(files, settings)
    assert [(p, l) for p, l, _m in found] == expected_402(files) and "invoices:read" in found[0][2]
    assert run_project(files, Settings(profile="none"))[0] == []


def test_oa402_marks_scope_family_evaluated() -> None:
    facts = []
    for path, code in {"app/auth.py": AUTH_PY}.items():
        facts.extend(analyze_bytes(path, _source(code).encode(), Settings(), (UnneededScope,)).facts)
    project = ProjectContext(root=".", settings=Settings(), now=None, facts=tuple(facts), files=())
    UnneededScope().check(project)
    assert "scope" in project.evaluated


def test_oa402_ignores_test_files() -> None:
    files = {
        "app/settings.py": SETTINGS_PY.replace("  # expect", ""),
        "app/auth.py": AUTH_PY,
        "tests/test_accounts.py": ACCOUNTS_PY,
    }
    assert oa402_lines(files) == []


def test_oa402_explain_documents_derivation() -> None:
    docs = UnneededScope.docs()
    for phrase in ("How the needed scopes are derived", "scope-map", "--verbose", "payments:write"):
        assert phrase in docs


# ---------------------------------------------------------------------------------------------
# Fixtures (multi-file projects, annotations on the line before)
# ---------------------------------------------------------------------------------------------


def _fixture_projects() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", _fixture_projects())
def test_scope_fixture(name: str) -> None:
    root = FIXTURES / name
    assert_fixture_project(root, ("OA401", "OA402"))


def assert_fixture_project(root: Path, rule_ids: tuple[str, ...], settings: Settings | None = None) -> None:
    """Every ``# expect: OAxxx`` annotation has its finding and no other finding appears (visible
    findings only: low confidence is hidden, as without ``--strict``)."""
    from checker.registry import rule_by_id

    settings = settings or Settings()
    rules = tuple(r for r in (rule_by_id(i) for i in rule_ids) if r is not None)
    facts, actual, texts = [], set(), {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        texts[rel] = data.decode("utf-8")
        result = analyze_bytes(rel, data, settings, rules)
        assert not [n for n in result.notes if n.kind in ("rule-error", "parse-error")], result.notes
        facts.extend(result.facts)
        actual |= {(f.path, f.line, f.rule) for f in result.findings if f.rule in rule_ids and f.confidence >= Confidence.MEDIUM}
    if "OA402" in rule_ids:
        project = ProjectContext(root=str(root), settings=settings, now=None, facts=tuple(facts), files=tuple(texts))
        UnneededScope().check(project)
        actual |= {(p, raw.line, "OA402") for _r, p, raw in project.reports if (raw.confidence or Confidence.HIGH) >= Confidence.MEDIUM}
    expected, todo = set(), set()
    for rel, text in texts.items():
        for line, kinds in parse_annotations(text).items():
            expected |= {(rel, line, r) for r in kinds.get("expect", ()) if r in rule_ids}
            todo |= {(rel, line, r) for r in kinds.get("todo-expect", ()) if r in rule_ids}
    assert sorted(expected - actual) == [], "missing findings"
    assert sorted(actual - expected - todo) == [], "unexpected findings"
    if todo - actual:
        pytest.xfail(f"known gaps: {sorted(todo - actual)}")




def test_oa402_scopes_passed_to_a_client_class() -> None:
    """Class-based style: a token provider gets its scopes as a constructor argument from the
    application, an API client subclass calls through its base class's wrapper."""
    files = {
        "sdk/__init__.py": """
            from sdk.auth import TokenProvider
            from sdk.accounts import Accounts
        """,
        "sdk/auth.py": """
            import time, requests

            class TokenProvider:
                def __init__(self, client_id, secret, scopes=("banking:read",)):
                    self._auth = (client_id, secret)
                    self._scopes = scopes
                    self._token, self._exp = None, 0.0

                def token(self):
                    if self._token is None or self._exp - time.monotonic() < 60:
                        body = requests.post("https://auth.aelix.digitalapi.ai/oauth2/token", auth=self._auth,
                                             data={"grant_type": "client_credentials", "scope": " ".join(self._scopes)}).json()
                        self._token, self._exp = body["access_token"], time.monotonic() + body["expires_in"]
                    return self._token
        """,
        "sdk/base.py": """
            import requests

            class Base:
                def __init__(self, provider):
                    self.provider = provider

                def _get(self, path):
                    return requests.get("https://api.aelix.digitalapi.ai" + path,
                                        headers={"Authorization": f"Bearer {self.provider.token()}"}).json()
        """,
        "sdk/accounts.py": """
            from sdk.base import Base

            class Accounts(Base):
                def all(self):
                    return self._get("/v1/accounts")
        """,
        "app/main.py": """
            import os
            from sdk import Accounts, TokenProvider

            def main():
                provider = TokenProvider(os.environ["ID"], os.environ["SECRET"], scopes=["banking:read", "banking:write"])  # expect
                print(Accounts(provider).all())
        """,
    }
    found, _logs = run_project(files)
    assert [(p, l) for p, l, _m in found] == expected_402(files)
    assert "banking:write" in found[0][2]
