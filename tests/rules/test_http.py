"""OA301 plain-http-endpoint: URL classification, Python contexts, config files, fixtures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.model import Confidence, Settings, Severity
from checker.testing import run_rules, settings_with
from rules._analysis.urls import (
    classify_url,
    endpoint_name,
    is_allowed,
    is_identifier_url,
    is_loopback,
    is_metadata_host,
    is_private_host,
    is_reserved_host,
)
from rules.http.oa301_plain_http_endpoint import PlainHttpEndpoint
from tests.rules.fixture_runner import check_fixture_tree, fixture_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"


def _findings(code: str, path: str = "svc/client.py", settings: Settings | None = None):
    return [f for f in run_rules(code, path=path, rules=(PlainHttpEndpoint,), settings=settings).findings if f.rule == "OA301"]


def _lines(code: str, path: str = "svc/client.py", settings: Settings | None = None) -> list[int]:
    return sorted({f.line for f in _findings(code, path, settings) if f.confidence >= Confidence.MEDIUM})


def _marked(code: str) -> list[int]:
    source = textwrap.dedent(code).lstrip("\n")
    return [n for n, line in enumerate(source.splitlines(), start=1) if "# expect" in line]


# --- URL classification ------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "api.localhost", "localhost.localdomain", "127.0.0.1",
                                  "127.8.9.10", "::1", "[::1]", "0.0.0.0", "ip6-localhost"])
def test_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["localhost.example.com", "127.0.0.1.nip.io", "localhost.evil.com", "10.0.0.1",
                                  "128.0.0.1", "my-localhost", "localhostx"])
def test_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_allowed_hosts_globs() -> None:
    settings = settings_with({"allowed_http_hosts": ("*.internal.test", "ci-runner", "10.1.*")})
    assert is_allowed("api.internal.test", settings)
    assert is_allowed("internal.test", settings)
    assert is_allowed("CI-RUNNER", settings)
    assert is_allowed("10.1.2.3", settings)
    assert not is_allowed("api.internal.test.evil.com", settings)
    assert is_allowed("host.docker.internal", None)


@pytest.mark.parametrize("host", ["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "metadata.google.internal", "metadata"])
def test_metadata_hosts(host: str) -> None:
    assert is_metadata_host(host)


@pytest.mark.parametrize("host, expected", [("example.com", True), ("api.example.org", True), ("svc.test", True),
                                            ("x.invalid", True), ("foo.example", True), ("example.co.uk", False),
                                            ("myexample.com", False)])
def test_reserved_hosts(host: str, expected: bool) -> None:
    assert is_reserved_host(host) is expected


@pytest.mark.parametrize("url", ["http://www.w3.org/2001/XMLSchema-instance", "http://schemas.xmlsoap.org/soap/envelope/",
                                 "http://json-schema.org/draft-07/schema#", "http://www.apache.org/licenses/LICENSE-2.0",
                                 "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "http://purl.org/dc/terms/"])
def test_identifier_urls(url: str) -> None:
    assert is_identifier_url(url)


@pytest.mark.parametrize("host, expected", [("10.1.2.3", True), ("192.168.0.5", True), ("172.16.4.4", True),
                                            ("auth.svc.cluster.local", True), ("keycloak", True), ("api.corp", True),
                                            ("8.8.8.8", False), ("api.aelix.digitalapi.ai", False)])
def test_private_hosts(host: str, expected: bool) -> None:
    assert is_private_host(host) is expected


def test_classify_url_verdicts() -> None:
    assert classify_url("https://api.acme.io").insecure is False
    assert classify_url("http://{host}/token").insecure is False  # unknown host
    public = classify_url("http://api.acme.io/v1")
    assert public.insecure and public.confidence == Confidence.HIGH and public.host == "api.acme.io"
    private = classify_url("http://10.0.0.8:8080/v1")
    assert private.insecure and private.confidence == Confidence.MEDIUM
    assert classify_url("ws://stream.acme.io/feed").insecure
    assert not classify_url("http://user:pw@localhost:8080/").insecure


@pytest.mark.parametrize("name, kind", [("TOKEN_URL", "token"), ("token_endpoint", "token"), ("access_token_url", "token"),
                                        ("AELIX_TOKEN_URL", "token"), ("issuer", "token"), ("authority", "token"),
                                        ("auth_url", "token"), ("API_BASE", "api"), ("base_url", "api"), ("apiUrl", "api"),
                                        ("SERVICE_HOST", "api"), ("endpoint", "api")])
def test_endpoint_names(name: str, kind: str) -> None:
    assert endpoint_name(name) == kind


@pytest.mark.parametrize("name", ["homepage", "docs_url", "LICENSE_URL", "http_proxy", "HTTPS_PROXY", "redirect_uri",
                                  "callback_url", "schema_url", "repository", "webhook_url", "image_url", "timeout",
                                  "SENTRY_DSN", "metrics_url", "client_id"])
def test_not_endpoint_names(name: str) -> None:
    assert endpoint_name(name) is None


# --- Python positives -----------------------------------------------------------------------------------

POSITIVES = {
    "literal-get": """
        import requests
        requests.get("http://api.acme-pay.com/v1/accounts")  # expect
        """,
    "literal-token-post": """
        import requests
        requests.post("http://auth.acme-pay.com/oauth2/token", data={"grant_type": "client_credentials"})  # expect
        """,
    "module-constant-fstring": """
        import requests
        BASE = "http://api.acme-pay.com"  # expect
        def f():
            return requests.get(f"{BASE}/v1/accounts")
        """,
    "concatenation": """
        import requests
        ROOT = "http://api.acme-pay.com"  # expect
        def f(session):
            return session.get(ROOT + "/v1/payments")
        """,
    "urljoin": """
        from urllib.parse import urljoin
        import httpx
        SERVICE = "http://billing.acme-pay.com/"  # expect
        httpx.get(urljoin(SERVICE, "v1/invoices"))
        """,
    "local-variable": """
        import requests
        def f():
            url = "http://api.acme-pay.com/v1/x"  # expect
            return requests.get(url)
        """,
    "format-call": """
        import requests
        def f(acc):
            return requests.get("http://api.acme-pay.com/v1/accounts/{}".format(acc))  # expect
        """,
    "class-attribute-via-self": """
        import requests
        class Api:
            ROOT = "http://api.acme-pay.com"  # expect
            def get(self):
                return requests.get(self.ROOT + "/v1/accounts")
        """,
    "endpoint-names": """
        TOKEN_URL = "http://auth.acme-pay.com/oauth/token"  # expect
        API_BASE_URL = "http://api.acme-pay.com"  # expect
        class Settings:
            issuer: str = "http://idp.acme-pay.com"  # expect
        """,
    "param-default": """
        def connect(base_url="http://api.acme-pay.com"):  # expect
            pass
        """,
    "dict-config": """
        CONFIG = {"token_url": "http://auth.acme-pay.com/token", "scope": "read"}  # expect
        """,
    "client-keywords": """
        import httpx, msal, boto3
        from authlib.integrations.httpx_client import AsyncOAuth2Client
        c = httpx.Client(base_url="http://api.acme-pay.com")  # expect
        a = msal.ConfidentialClientApplication(CID, authority="http://login.acme-pay.com/t")  # expect
        s3 = boto3.client("s3", endpoint_url="http://s3.acme-pay.com")  # expect
        o = AsyncOAuth2Client(CID, CS, token_endpoint="http://auth.acme-pay.com/token")  # expect
        """,
    "positional-token-urls": """
        from httpx_auth import OAuth2ClientCredentials
        auth = OAuth2ClientCredentials("http://auth.acme-pay.com/token", client_id=C, client_secret=S)  # expect
        def f(session):
            return session.fetch_token("http://auth.acme-pay.com/token")  # expect
        """,
    "aiohttp-and-urlopen": """
        import aiohttp, urllib.request
        async def f():
            async with aiohttp.ClientSession() as s:
                async with s.get("http://api.acme-pay.com/v1") as r:  # expect
                    return await r.json()
        urllib.request.urlopen("http://api.acme-pay.com/v1/status")  # expect
        """,
    "http-client-connection": """
        import http.client
        conn = http.client.HTTPConnection("api.acme-pay.com")  # expect
        """,
    "insecure-transport-env": """
        import os
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # expect
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "true")  # expect
        """,
    "oauth2client-testing-and-use-ssl": """
        import boto3
        from requests_oauth2client import OAuth2Client
        c = OAuth2Client("https://auth.acme-pay.com/token", auth=(A, B), testing=True)  # expect
        s3 = boto3.client("s3", use_ssl=False)  # expect
        """,
    "env-default": """
        import os, requests
        API_BASE = os.getenv("API_BASE", "http://api.acme-pay.com")  # expect
        def f():
            return requests.get(os.environ.get("STATUS_URL", "http://status.acme-pay.com/v1"))  # expect
        """,
    "websocket": """
        import aiohttp
        async def f(session: aiohttp.ClientSession):
            return await session.ws_connect("ws://stream.acme-pay.com/feed")  # expect
        """,
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive(name: str) -> None:
    code = POSITIVES[name]
    assert _lines(code) == _marked(code)


NEGATIVES = {
    "loopback": """
        import requests
        requests.get("http://localhost:8080/v1")
        requests.get("http://127.0.0.1:5000/oauth/token")
        requests.get("http://[::1]:9000/")
        requests.get("http://0.0.0.0:8000/")
        requests.get("http://api.localhost/v1")
        """,
    "metadata": """
        import requests
        requests.get("http://169.254.169.254/metadata/identity/oauth2/token", headers={"Metadata": "true"})
        requests.get("http://metadata.google.internal/computeMetadata/v1/")
        requests.get("http://169.254.170.2" + RELATIVE_URI)
        """,
    "reserved-hosts": """
        import requests
        requests.get("http://api.example.com/v1")
        BASE_URL = "http://service.test/v1"
        TOKEN_URL = "http://auth.invalid/token"
        """,
    "namespaces-and-licences": """
        NS = {"soap": "http://schemas.xmlsoap.org/soap/envelope/"}
        LICENSE = "http://www.apache.org/licenses/LICENSE-2.0"
        SCHEMA_URL = "http://json-schema.org/draft-07/schema#"
        """,
    "docstrings-and-comments": '''
        def f():
            """Calls http://api.acme-pay.com/v1 (legacy)."""
            # see http://docs.acme-pay.com
            print("http://api.acme-pay.com is deprecated")
        ''',
    "scheme-handling": """
        def secure(url):
            if url.startswith("http://"):
                url = url.replace("http://", "https://", 1)
            return url.lower().startswith(("http://", "https://"))
        """,
    "proxies": """
        import requests
        PROXY_URL = "http://proxy.acme-pay.com:3128"
        HTTPS_PROXY = "http://proxy.acme-pay.com:3128"
        requests.get("https://api.acme-pay.com", proxies={"https": "http://proxy.acme-pay.com:3128"})
        """,
    "package-metadata": """
        from setuptools import setup
        setup(name="x", url="http://github.com/acme/x", download_url="http://pypi.acme.io/x")
        """,
    "https-everywhere": """
        import requests
        TOKEN_URL = "https://auth.acme-pay.com/oauth2/token"
        requests.post(TOKEN_URL, data={"grant_type": "client_credentials"})
        requests.get(f"https://{HOST}/v1")
        """,
    "unknown-host": """
        import requests
        def f(host):
            return requests.get(f"http://{host}/v1/accounts")
        """,
    "non-endpoint-names": """
        homepage = "http://acme-pay.com"
        DOCS_URL = "http://docs.acme-pay.com"
        CALLBACK_URL = "http://app.acme-pay.com/callback"
        webhook_url = "http://hooks.acme-pay.com/x"
        message = "visit http://acme-pay.com"
        """,
    "redirect-uri-loopback": """
        flow = {"redirect_uri": "http://127.0.0.1:8400/callback", "client_id": "x"}
        """,
    "allowed-host": """
        import requests
        requests.get("http://localhost:8080/ok")
        """,
    "insecure-transport-empty": """
        import os
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = ""
        """,
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_negative(name: str) -> None:
    assert _lines(NEGATIVES[name]) == []


def test_allowed_http_hosts_setting() -> None:
    code = 'import requests\nrequests.get("http://api.internal.test/v1")\nrequests.get("http://api.acme-pay.com/v1")\n'
    settings = settings_with({"allowed_http_hosts": ("*.internal.test",)})
    assert _lines(code, settings=settings) == [3]


def test_token_endpoint_is_critical_and_api_high() -> None:
    code = """
    import requests
    requests.post("http://auth.acme-pay.com/oauth2/token", data={"grant_type": "client_credentials"})
    requests.get("http://api.acme-pay.com/v1/accounts")
    """
    by_line = {f.line: f for f in _findings(code)}
    assert by_line[2].severity == Severity.CRITICAL
    assert by_line[3].severity == Severity.HIGH
    assert "auth.acme-pay.com" in by_line[2].message and "token endpoint" in by_line[2].message


def test_private_host_is_medium() -> None:
    (finding,) = _findings('import requests\nrequests.get("http://10.2.3.4:8080/v1")\n')
    assert finding.confidence == Confidence.MEDIUM


def test_mock_hosts_in_tests_are_low() -> None:
    code = """
    import requests, responses
    @responses.activate
    def test_x():
        responses.add(responses.GET, "http://api.acme-pay.com/v1", json={})
        requests.get("http://api.acme-pay.com/v1")
    """
    findings = _findings(code, path="tests/test_api.py")
    assert findings and all(f.confidence == Confidence.LOW for f in findings)


def test_constant_used_twice_is_reported_once_at_the_literal() -> None:
    code = """
    import requests
    BASE = "http://api.acme-pay.com"
    requests.get(BASE + "/a")
    requests.get(f"{BASE}/b")
    """
    assert [f.line for f in _findings(code)] == [2]


def test_self_referencing_url_does_not_crash() -> None:
    code = """
    from urllib.parse import urljoin
    import requests
    def f(url, path):
        url = urljoin(url, path)
        return requests.get(url)
    """
    result = run_rules(code, rules=(PlainHttpEndpoint,))
    assert [n for n in result.notes if n.kind == "rule-error"] == []


# --- config files --------------------------------------------------------------------------------------

CONFIG_CASES = [
    ("config.yaml", "oauth:\n  token_url: http://auth.acme-pay.com/oauth2/token\n", [2], Severity.CRITICAL),
    ("config.yaml", "api:\n  base_url: http://api.acme-pay.com\n", [2], Severity.HIGH),
    ("config.yaml", "oauth:\n  url: http://idp.acme-pay.com\n", [2], Severity.CRITICAL),
    ("config.yaml", "proxy:\n  http: http://proxy.acme-pay.com:3128\nhomepage: http://acme-pay.com\n", [], None),
    ("config.yaml", "repository:\n  url: http://github.com/acme/x\n", [], None),
    ("config.yaml", "api:\n  base_url: http://localhost:8080\n", [], None),
    ("config.json", '{"$schema": "http://json-schema.org/draft-07/schema#", "apiUrl": "http://api.acme-pay.com"}', [1], Severity.HIGH),
    ("pyproject.toml", '[project.urls]\nHomepage = "http://acme-pay.com"\n[tool.app]\nissuer = "http://idp.acme-pay.com"\n', [4], Severity.CRITICAL),
    ("app.ini", "[oauth]\ntoken_endpoint = http://auth.acme-pay.com/token\n[docs]\nurl = http://docs.acme-pay.com\n", [2], Severity.CRITICAL),
    (".env", "TOKEN_URL=http://auth.acme-pay.com/token\nHTTPS_PROXY=http://proxy:3128\n", [1], Severity.CRITICAL),
    (".env", "OAUTHLIB_INSECURE_TRANSPORT=1\n", [1], Severity.HIGH),
    (".env", "OAUTHLIB_INSECURE_TRANSPORT=\n", [], None),
    ("Dockerfile", "FROM python:3.12\nENV API_BASE=http://api.acme-pay.com\n", [2], Severity.HIGH),
    ("docker-compose.yml", "services:\n  a:\n    environment:\n      - TOKEN_URL=http://auth.acme-pay.com/token\n", [4], Severity.CRITICAL),
]


@pytest.mark.parametrize("path, text, lines, severity", CONFIG_CASES)
def test_config(path: str, text: str, lines: list[int], severity: Severity | None) -> None:
    findings = _findings(text, path=path)
    assert sorted(f.line for f in findings) == lines
    if severity is not None:
        assert findings[0].severity == severity


# --- fixtures and the example project ----------------------------------------------------------------------


@pytest.mark.parametrize("path", fixture_files(FIXTURES), ids=str)
def test_fixture(path: str) -> None:
    check_fixture_tree(FIXTURES, ("OA301",), only=path).assert_ok()


def test_example_project() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    found = []
    for base in (root / "payments-service", root / "payments-service-fixed"):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).as_posix()
            for f in run_rules(path.read_text(), path=rel, rules=(PlainHttpEndpoint,)).findings:
                if f.confidence >= Confidence.MEDIUM:
                    found.append((base.name, rel, f.line))
    assert sorted(found) == [("payments-service", "app/settings.py", 8), ("payments-service", "deploy/docker-compose.yml", 15)]
