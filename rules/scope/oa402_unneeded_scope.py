"""OA402 unneeded-scope: scopes requested that no API call made with the token needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checker.model import Confidence, Example, Severity
from checker.rule import FileContext, ProjectContext, ProjectRule
from rules._analysis.clients import (
    ProjectClients,
    client_facts,
    describe_clients,
    describe_verdicts,
)
from rules._catalog.profiles import active_profile, describe


class UnneededScope(ProjectRule):
    """
    ## What it does
    For every OAuth client in the project, compares the scopes it requests with the scopes that
    the API calls made with its token actually need, and reports each scope that no call needs,
    at the place the scope is written.

    How the needed scopes are derived:

    1. **Clients.** Every place a token is obtained: a raw POST with
       `grant_type=client_credentials` or to a token endpoint, authlib/requests-oauthlib sessions and
       `fetch_token`, msal `acquire_token_for_client`, azure-identity `get_token`, httpx-auth /
       requests-auth `OAuth2ClientCredentials`, requests-oauth2client, google-auth credentials. Its
       requested scopes are read from literals, module and class constants, lists, tuples, sets,
       `" ".join(...)`, and constants imported from another module (e.g. `settings.SCOPES`).
    2. **Calls made with its token.** The token is followed through return values, local variables,
       `self` attributes, module globals, cache objects, function parameters and imports across
       files, into `Authorization` headers, `auth=` objects and sessions that carry it.
    3. **Method and path of each call.** The method comes from `get`/`post`/... or
       `request("POST", ...)`; the path from literals, constants, f-strings (holes become
       `{param}`), `urljoin` and string concatenation, and from the literal arguments that callers
       pass to wrapper methods such as `self._get("/v1/accounts")`.
    4. **Needed scopes.** Each `METHOD /path` is looked up in the active profile: the `scope-map`
       entries of your configuration first (an entry with the same key replaces the built-in
       one), then the built-in `aelix` map for `api.aelix.digitalapi.ai` and
       `sandbox-api.aelix.digitalapi.ai` (paths include everything below them):

       | method | path | scope |
       | --- | --- | --- |
       | GET, HEAD | `/v1/accounts`, `/v1/balances`, `/v1/transactions` | `banking:read` |
       | POST, PUT, PATCH, DELETE | `/v1/accounts` | `banking:write` |
       | GET, HEAD | `/v1/payments` | `payments:read` |
       | POST, PUT, PATCH, DELETE | `/v1/payments` | `payments:initiate` (the guide's `payments:write`) |
       | GET, HEAD | `/v1/identity`, `/v1/kyc`, `/v1/customers/{id}/identity` | `identity:read` |
       | any | `/v1/webhooks` | `webhooks:manage` |

       Write does not imply read. With `profile = "none"` only your entries are used.
    5. **Verdict.** A requested scope the profile knows but no call needs is reported. Without a
       profile, a write scope (`:write`, `ReadWrite`, `:initiate`, `:manage`, ...) requested by a
       client whose calls are all `GET`/`HEAD`/`OPTIONS` is reported.

    The rule stays silent for a client when any call made with its token could not be resolved (a
    URL or method built at run time, a token handed to code outside the project, a call whose
    token we could not trace); `--verbose` prints, per client, the requested scopes, the resolved
    calls, the needed scopes and why a client was not judged.

    ## Why is this bad?
    A token that carries `payments:write` but is only used to list accounts turns any leak of that
    token (a log line, a proxy, a compromised host) into the ability to move money. The guide asks
    to request only the scopes the application actually needs, so that the damage a stolen token
    can do is limited to what the application does anyway.

    ## Example
    ```python
    SCOPES = "banking:read payments:write"   # payments:write is never used

    def list_accounts():
        token = get_token(SCOPES)
        return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    ```

    ## Use instead
    ```python
    SCOPES = "banking:read"   # what GET /v1/accounts needs
    ```
    Register a second client (or request the write scope in a separate token) for the flow that
    really writes.

    ## References
    - Guide tip: request only the scopes your application actually needs
    - CWE-250: Execution with Unnecessary Privileges
    - RFC 6749 section 3.3 (access token scope)
    """

    id = "OA402"
    name = "unneeded-scope"
    family = "scope"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    summary = "A requested scope is not needed by any API call made with the token"
    cwe = ("CWE-250",)
    references = ("https://cwe.mitre.org/data/definitions/250.html", "https://www.rfc-editor.org/rfc/rfc6749#section-3.3")
    fact_kinds = ("python",)
    # wide on purpose: API wrappers' callers (``self._get("/v1/accounts")``) must be seen too
    # Token or scope words, or calls through a shared session/client (``self._session.get(``), or a
    # private request helper called with a literal path (an API module whose token lives in another
    # module: ``self._get("/accounts")``; ``self._get(key)`` in a cache or a queue is no API call),
    # or an API path literal.
    fact_trigger_regex = (
        rb"token|bearer|authoriz|oauth|scope|credential|api_?key"
        rb"|(?:session|client|http|api)\w*\.(?:get|post|put|patch|delete|request)\s*\("
        rb"|_(?:get|post|put|patch|delete|request)\s*\(\s*[rbuf]{0,2}[\"'`]|[\"'`]/(?:v\d+|api)/"
    )

    valid = (
        Example(
            '''\
            import requests

            API = "https://api.aelix.digitalapi.ai"
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "banking:read"})
                return resp.json()["access_token"]

            def list_accounts():
                token = get_token()
                return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"}).json()
            ''',
            path="client.py",
            note="exactly the scope GET /v1/accounts needs",
        ),
        Example(
            '''\
            import requests

            API = "https://api.aelix.digitalapi.ai"
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "banking:read payments:write"})
                return resp.json()["access_token"]

            def pay(amount):
                token = get_token()
                headers = {"Authorization": f"Bearer {token}"}
                requests.get(f"{API}/v1/accounts", headers=headers)
                return requests.post(f"{API}/v1/payments", json={"amount": amount}, headers=headers)
            ''',
            path="client.py",
            note="the write scope is used by POST /v1/payments",
        ),
        Example(
            '''\
            import requests

            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "banking:read payments:write"})
                return resp.json()["access_token"]

            def call(method, url):
                token = get_token()
                return requests.request(method, url, headers={"Authorization": f"Bearer {token}"})
            ''',
            path="client.py",
            note="method and URL chosen at run time: unknown, so silent",
        ),
        Example(
            '''\
            import requests
            from aelix_sdk import AelixClient

            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
            API = "https://api.aelix.digitalapi.ai"

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": "banking:read payments:write"})
                return resp.json()["access_token"]

            def main():
                token = get_token()
                requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
                AelixClient(token).payments.create(amount=10)
            ''',
            path="client.py",
            note="the token is also handed to an SDK outside the project: unknown, so silent",
        ),
        Example(
            '''\
            import os
            import requests

            API = "https://api.aelix.digitalapi.ai"

            def get_token():
                resp = requests.post(os.environ["TOKEN_URL"], data={"grant_type": "client_credentials", "scope": os.environ["SCOPES"]})
                return resp.json()["access_token"]

            def list_accounts():
                return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {get_token()}"})
            ''',
            path="client.py",
            note="scopes from the environment: nothing to compare",
        ),
        Example(
            '''\
            import requests

            API = "https://api.aelix.digitalapi.ai"

            class Aelix:
                def __init__(self, session: requests.Session):
                    self.session = session

                def token(self):
                    r = self.session.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                          data={"grant_type": "client_credentials", "scope": "banking:read webhooks:manage"})
                    return r.json()["access_token"]

                def _get(self, path):
                    return self.session.get(API + path, headers={"Authorization": "Bearer " + self.token()})

                def _post(self, path, body):
                    return self.session.post(API + path, json=body, headers={"Authorization": "Bearer " + self.token()})

                def accounts(self):
                    return self._get("/v1/accounts")

                def register_hook(self, url):
                    return self._post("/v1/webhooks", {"url": url})
            ''',
            path="client.py",
            note="wrapper methods: both scopes are used",
        ),
    )
    invalid = (
        Example(
            '''\
            import requests

            API = "https://api.aelix.digitalapi.ai"
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
            SCOPES = "banking:read payments:write"  # expect

            def get_token():
                resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials", "scope": SCOPES})
                return resp.json()["access_token"]

            def list_accounts():
                token = get_token()
                return requests.get(f"{API}/v1/accounts", headers={"Authorization": f"Bearer {token}"}).json()
            ''',
            path="client.py",
            note="the guide's example: payments:write requested, only GET /v1/accounts made",
        ),
        Example(
            '''\
            import time
            import requests

            API = "https://api.aelix.digitalapi.ai"

            class TokenCache:
                def __init__(self):
                    self._token = None
                    self._expires_at = 0.0

                def get(self):
                    if self._token is None or self._expires_at - time.monotonic() < 60:
                        resp = requests.post(
                            "https://auth.aelix.digitalapi.ai/oauth2/token",
                            data={"grant_type": "client_credentials",
                                  "scope": "banking:read identity:read"},  # expect
                        )
                        payload = resp.json()
                        self._token = payload["access_token"]
                        self._expires_at = time.monotonic() + payload["expires_in"]
                    return self._token

            cache = TokenCache()

            def transactions(account_id):
                url = f"{API}/v1/accounts/{account_id}/transactions"
                return requests.get(url, headers={"Authorization": f"Bearer {cache.get()}"}).json()
            ''',
            path="client.py",
            note="identity:read is never used by a call made with the cached token",
        ),
        Example(
            '''\
            from authlib.integrations.requests_client import OAuth2Session

            session = OAuth2Session(
                "client-id", "client-secret",
                scope=["banking:read", "banking:write", "payments:read"],  # expect
                token_endpoint="https://auth.aelix.digitalapi.ai/oauth2/token",
            )
            session.fetch_token()

            def balances():
                return session.get("https://api.aelix.digitalapi.ai/v1/balances").json()

            def payments():
                return session.get("https://api.aelix.digitalapi.ai/v1/payments").json()
            ''',
            path="client.py",
            note="authlib session: banking:write is never needed (reads only)",
        ),
        Example(
            '''\
            import httpx

            SCOPE = "banking:read payments:initiate"  # expect

            async def token(client: httpx.AsyncClient) -> str:
                r = await client.post("https://auth.aelix.digitalapi.ai/oauth2/token",
                                      data={"grant_type": "client_credentials", "scope": SCOPE})
                return r.json()["access_token"]

            async def account(client: httpx.AsyncClient, account_id: str) -> dict:
                tok = await token(client)
                r = await client.get(f"https://api.aelix.digitalapi.ai/v1/accounts/{account_id}",
                                     headers={"Authorization": f"Bearer {tok}"})
                return r.json()
            ''',
            path="client.py",
            note="async httpx: payments:initiate is never needed",
        ),
        Example(
            '''\
            import requests

            BASE = "https://api.aelix.digitalapi.ai"

            class AelixClient:
                SCOPES = ["banking:read", "webhooks:manage"]  # expect

                def __init__(self, client_id, client_secret):
                    self.client_id = client_id
                    self.client_secret = client_secret

                def _token(self):
                    resp = requests.post("https://auth.aelix.digitalapi.ai/oauth2/token", data={
                        "grant_type": "client_credentials", "client_id": self.client_id,
                        "client_secret": self.client_secret, "scope": " ".join(self.SCOPES)})
                    return resp.json()["access_token"]

                def _get(self, path):
                    return requests.get(BASE + path, headers={"Authorization": f"Bearer {self._token()}"})

                def accounts(self):
                    return self._get("/v1/accounts").json()

                def transactions(self, account_id):
                    return self._get(f"/v1/accounts/{account_id}/transactions").json()
            ''',
            path="client.py",
            note="class constant joined into the body; calls go through a wrapper method",
        ),
        Example(
            '''\
            import requests

            def get_token():
                resp = requests.post(
                    "https://login.example.com/oauth2/token",
                    data={"grant_type": "client_credentials", "scope": "reports.read reports.write"},  # expect
                )
                return resp.json()["access_token"]

            def report(report_id):
                token = get_token()
                return requests.get(f"https://api.example.com/reports/{report_id}",
                                    headers={"Authorization": f"Bearer {token}"}).json()
            ''',
            path="client.py",
            note="no profile covers this provider, but a write scope with only GET calls is reported",
        ),
    )

    @classmethod
    def file_facts(cls, ctx: FileContext) -> Iterable[tuple[str, Any, int, int, dict[str, Any]]]:
        """Per-file facts (clients, API calls, token flow, scope constants) for ``check``."""
        return client_facts(ctx)

    def check(self, project: ProjectContext) -> None:
        model = ProjectClients(project.facts, project.settings)
        verdicts = model.verdicts()
        if verdicts:
            project.evaluated.add("scope")
            for line in describe(active_profile(project.settings)):
                project.verbose(f"OA402 {line}")
            for line in describe_verdicts(verdicts):
                project.verbose(line)
        reported: set[tuple[str, int, int, str]] = set()
        for verdict in verdicts:
            calls = ", ".join(c.label() for c in verdict.calls[:6]) + (" ..." if len(verdict.calls) > 6 else "")
            for item in verdict.unneeded:
                key = (verdict.scope_path, item["line"], item["column"], item["scope"])
                if key in reported:
                    continue
                reported.add(key)
                if verdict.mode == "profile":
                    needed = " ".join(sorted(verdict.needed)) or "no scope"
                    message = f"scope {item['scope']} is requested but no API call made with this token needs it (calls: {calls}; needed: {needed})"
                else:
                    message = f"write scope {item['scope']} is requested but every API call made with this token only reads (calls: {calls})"
                project.report_at(
                    type(self), verdict.scope_path, item["line"], item["column"], message,
                    end_column=item["column"] + len(item["scope"]),
                    confidence=Confidence.HIGH if verdict.mode == "profile" else Confidence.MEDIUM,
                    properties=(("scope", item["scope"]), ("client", f"{verdict.fact.path}:{verdict.fact.line}")),
                )


__all__ = ["UnneededScope", "describe_clients"]
