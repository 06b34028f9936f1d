"""OA302 tls-verification-disabled: Python switches, contexts, SDKs, config/env files, fixtures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from checker.model import Confidence
from checker.testing import run_rules
from rules.tls.oa302_tls_verification_disabled import TlsVerificationDisabled
from tests.rules.fixture_runner import check_fixture_tree, fixture_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tls"


def _result(code: str, path: str = "svc/client.py"):
    return run_rules(code, path=path, rules=(TlsVerificationDisabled,))


def _findings(code: str, path: str = "svc/client.py"):
    return [f for f in _result(code, path).findings if f.rule == "OA302"]


def _lines(code: str, path: str = "svc/client.py") -> list[int]:
    return sorted({f.line for f in _findings(code, path) if f.confidence >= Confidence.MEDIUM})


def _marked(code: str) -> list[int]:
    source = textwrap.dedent(code).lstrip("\n")
    return [n for n, line in enumerate(source.splitlines(), start=1) if "# expect" in line]


POSITIVES = {
    "requests-call": """
        import requests
        requests.post(TOKEN_URL, data=body, verify=False)  # expect
        requests.request("GET", URL, verify=False)  # expect
        """,
    "session-attribute-and-call": """
        import requests
        s = requests.Session()
        s.verify = False  # expect
        s.get(URL, verify=False)  # expect
        """,
    "self-session-attribute": """
        import requests
        class Api:
            def __init__(self):
                self.session = requests.Session()
                self.session.verify = False  # expect
        """,
    "constant-false": """
        import requests
        VERIFY = False
        def f():
            return requests.get(URL, verify=VERIFY)  # expect
        """,
    "local-false": """
        import httpx
        def f():
            verify = False
            return httpx.Client(verify=verify)  # expect
        """,
    "httpx-clients": """
        import httpx
        httpx.get(URL, verify=False)  # expect
        c = httpx.Client(verify=False)  # expect
        a = httpx.AsyncClient(verify=0)  # expect
        """,
    "aiohttp": """
        import aiohttp
        conn = aiohttp.TCPConnector(ssl=False)  # expect
        conn2 = aiohttp.TCPConnector(verify_ssl=False)  # expect
        async def f(session: aiohttp.ClientSession):
            async with session.get(URL, ssl=False) as r:  # expect
                return r
        """,
    "unverified-context": """
        import ssl, urllib.request
        ctx = ssl._create_unverified_context()  # expect
        ssl._create_default_https_context = ssl._create_unverified_context  # expect
        """,
    "context-attributes": """
        import ssl
        ctx = ssl.create_default_context()
        ctx.check_hostname = False  # expect
        ctx.verify_mode = ssl.CERT_NONE  # expect
        """,
    "bare-sslcontext-used-by-client": """
        import ssl, urllib.request
        ctx = ssl.SSLContext()  # expect
        urllib.request.urlopen(URL, context=ctx)
        """,
    "sslcontext-wrap-socket": """
        import ssl, socket
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)  # expect
        sock = ctx.wrap_socket(socket.socket(), server_hostname="api.acme-pay.com")
        """,
    "urllib3": """
        import ssl, urllib3
        urllib3.PoolManager(cert_reqs="CERT_NONE")  # expect
        urllib3.PoolManager(cert_reqs=ssl.CERT_NONE)  # expect
        urllib3.HTTPSConnectionPool("api.acme-pay.com", assert_hostname=False)  # expect
        """,
    "sdks": """
        import boto3, hvac, msal
        from azure.storage.blob import BlobServiceClient
        from elasticsearch import Elasticsearch
        boto3.client("s3", verify=False)  # expect
        hvac.Client(url=U, verify=False)  # expect
        msal.ConfidentialClientApplication(C, client_credential=S, verify=False)  # expect
        BlobServiceClient(U, credential=K, connection_verify=False)  # expect
        Elasticsearch(H, verify_certs=False)  # expect
        """,
    "openapi-configuration": """
        import kubernetes
        cfg = kubernetes.client.Configuration()
        cfg.verify_ssl = False  # expect
        """,
    "authlib-fetch-token": """
        from authlib.integrations.requests_client import OAuth2Session
        s = OAuth2Session(C, S)
        s.fetch_token(TOKEN_URL, verify=False)  # expect
        """,
    "websocket-sslopt": """
        import ssl, websocket
        ws = websocket.WebSocketApp(URL)
        ws.run_forever(sslopt={"cert_reqs": ssl.CERT_NONE})  # expect
        """,
    "pycurl": """
        import pycurl
        c = pycurl.Curl()
        c.setopt(pycurl.SSL_VERIFYPEER, 0)  # expect
        c.setopt(pycurl.SSL_VERIFYHOST, 0)  # expect
        """,
    "environment": """
        import os
        os.environ["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"  # expect
        os.environ["GIT_SSL_NO_VERIFY"] = "1"  # expect
        """,
    "warning-suppressed-with-disabled-verification": """
        import requests, urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # expect
        requests.get(URL, verify=False)  # expect
        """,
    "request-options-dicts": """
        import requests
        OPTIONS = {"timeout": 5, "verify": False}  # expect
        def call(url, **kwargs):
            kwargs.setdefault("verify", False)  # expect
            kwargs["verify"] = False  # expect
            return requests.get(url, **kwargs)
        """,
    "unresolved-session-name": """
        class Client:
            def get(self, url):
                return self._session.get(url, verify=False)  # expect
        """,
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive(name: str) -> None:
    code = POSITIVES[name]
    assert _lines(code) == _marked(code)


NEGATIVES = {
    "verify-true-and-ca-paths": """
        import certifi, requests
        requests.get(URL, verify=True)
        requests.get(URL, verify="/etc/ssl/certs/corp-ca.pem")
        requests.get(URL, verify=certifi.where())
        requests.get(URL, verify="false")
        """,
    "dynamic-values": """
        import os, requests
        VERIFY = os.getenv("VERIFY_SSL", "1") != "0"
        requests.get(URL, verify=VERIFY)
        requests.get(URL, verify=settings.VERIFY_SSL)
        requests.get(URL, verify=not INSECURE)
        """,
    "pyjwt": """
        import jwt
        from jose import jwt as jose_jwt
        jwt.decode(token, options={"verify_signature": False})
        jwt.decode(token, key, verify=False)
        jose_jwt.decode(token, key, options={"verify": False, "verify_aud": False})
        """,
    "non-http-ssl-false": """
        import redis, asyncpg, smtplib, pymongo
        redis.Redis(host="cache", ssl=False)
        asyncpg.connect(DSN, ssl=False)
        pymongo.MongoClient(URI, ssl=False)
        """,
    "server-contexts": """
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.verify_mode = ssl.CERT_NONE
        ctx.check_hostname = False
        srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        srv.verify_mode = ssl.CERT_NONE
        """,
    "custom-ca-contexts": """
        import ssl, urllib.request, httpx
        ctx = ssl.create_default_context(cafile="/etc/ssl/corp-ca.pem")
        urllib.request.urlopen(URL, context=ctx)
        client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        httpx.Client(verify=client_ctx)
        legacy = ssl.SSLContext(ssl.PROTOCOL_TLS)
        legacy.verify_mode = ssl.CERT_REQUIRED
        urllib.request.urlopen(URL, context=legacy)
        """,
    "unused-bare-context": """
        import ssl
        ctx = ssl.SSLContext()
        ctx.load_cert_chain("server.pem")
        """,
    "comments-and-strings": '''
        # never use verify=False; insecure connections are rejected
        WARNING = "insecure transport disabled (verify=False is not allowed)"
        def f():
            """Do not set ssl._create_default_https_context = ssl._create_unverified_context."""
        ''',
    "unrelated-verify-keyword": """
        def save(model):
            model.save(verify=False)
            form.validate(verify=False)
        """,
    "requests-ca-bundle-empty": """
        import os
        os.environ["REQUESTS_CA_BUNDLE"] = ""
        """,
    "loopback-test-server": """
        import requests
        requests.get("https://localhost:8443/health", verify=False)
        requests.get("https://127.0.0.1:9443/", verify=False)
        """,
    "verify-mode-required": """
        import ssl
        ctx = ssl.create_default_context()
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.check_hostname = True
        """,
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_negative(name: str) -> None:
    assert _lines(NEGATIVES[name]) == []


def test_warning_alone_is_low_confidence() -> None:
    code = "import urllib3\nurllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)\n"
    (finding,) = _findings(code)
    assert finding.confidence == Confidence.LOW
    assert "suppressed" in finding.message


def test_warning_with_disabled_verification_is_medium() -> None:
    code = POSITIVES["warning-suppressed-with-disabled-verification"]
    by_line = {f.line: f.confidence for f in _findings(code)}
    assert by_line == {2: Confidence.MEDIUM, 3: Confidence.HIGH}


def test_curl_ca_bundle_is_low_with_fact() -> None:
    result = _result('import os\nos.environ["CURL_CA_BUNDLE"] = ""\n')
    (finding,) = [f for f in result.findings if f.rule == "OA302"]
    assert finding.confidence == Confidence.LOW
    assert "requests < 2.28" in finding.message
    assert [fact.kind for fact in result.facts] == ["curl-ca-bundle-empty"]


def test_message_names_the_switch() -> None:
    (finding,) = _findings('import requests\nrequests.post(URL, verify=False)\n')
    assert finding.message == "verify=False on requests.post: the server certificate is not checked"
    assert (finding.line, finding.column) == (2, 20)


# --- config and env files ---------------------------------------------------------------------------------

CONFIG_CASES = [
    ("config.yaml", "api:\n  verify_ssl: false\n", [2]),
    ("config.yaml", "api:\n  verify_ssl: true\n", []),
    ("config.yaml", "tls:\n  insecure: true\n", [2]),
    ("config.yaml", "tls:\n  insecure: false\n", []),
    ("config.yaml", "cluster:\n  insecure-skip-tls-verify: true\n", [2]),
    ("config.yaml", "datasource:\n  tlsSkipVerify: true\n", [2]),
    ("config.yaml", "client:\n  ssl_verify: 'no'\n", [2]),
    ("config.yaml", "jwt:\n  verify: false\nverify_signature: false\nverify_email: false\n", []),
    ("config.yaml", "http:\n  verify: false\n", [2]),
    ("config.yaml", "redis:\n  ssl_cert_reqs: none\n", [2]),
    ("config.yaml", "steps:\n  - run: curl -k https://api.acme-pay.com/health\n  - run: curl -k https://localhost/health\n", [2]),
    ("config.json", '{"VerifySsl": false, "insecure": "maybe"}', [1]),
    ("settings.toml", "[client]\nverify_certs = false\n", [2]),
    ("app.ini", "[partner]\nssl_verify = off\n", [2]),
    (".env", "AELIX_VERIFY_SSL=false\nVERIFY_SIGNATURE=false\n", [1]),
    (".env", "NODE_TLS_REJECT_UNAUTHORIZED=0\nGIT_SSL_NO_VERIFY=true\n", [1, 2]),
    (".env", "NODE_TLS_REJECT_UNAUTHORIZED=1\nREQUESTS_CA_BUNDLE=\n", []),
    ("Dockerfile", "FROM python:3.12\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n", [2]),
    ("docker-compose.yml", "services:\n  a:\n    environment:\n      AELIX_VERIFY_SSL: \"false\"\n", [4]),
]


@pytest.mark.parametrize("path, text, lines", CONFIG_CASES)
def test_config(path: str, text: str, lines: list[int]) -> None:
    assert _lines(text, path=path) == lines


def test_env_file_low_confidence_switches() -> None:
    findings = _findings("PYTHONHTTPSVERIFY=0\nCURL_CA_BUNDLE=\n", path=".env")
    assert sorted(f.line for f in findings) == [1, 2]
    assert all(f.confidence == Confidence.LOW for f in findings)


# --- fixtures and the example project ----------------------------------------------------------------------


@pytest.mark.parametrize("path", fixture_files(FIXTURES), ids=str)
def test_fixture(path: str) -> None:
    check_fixture_tree(FIXTURES, ("OA302",), only=path).assert_ok()


def test_example_project() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    found = []
    for base in (root / "payments-service", root / "payments-service-fixed"):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(base).as_posix()
            for f in run_rules(path.read_text(), path=rel, rules=(TlsVerificationDisabled,)).findings:
                if f.confidence >= Confidence.MEDIUM:
                    found.append((base.name, rel, f.line, f.confidence))
    assert sorted(found) == [
        ("payments-service", "app/auth.py", 14, Confidence.MEDIUM),
        ("payments-service", "app/auth.py", 29, Confidence.HIGH),
        ("payments-service", "deploy/docker-compose.yml", 20, Confidence.HIGH),
    ]
