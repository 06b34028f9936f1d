"""OA401 broad-scope: wildcard and all-access scopes requested in code or config."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import libcst as cst

from checker.model import Confidence, Document, Entry, Example, Severity
from checker.pyrule import PythonRule
from checker.rule import FileContext
from rules._analysis.clients import (
    ClientModel,
    ScopeItem,
    ScopeRequest,
    client_model,
    position,
    scope_constants,
    scope_name,
)
from rules._analysis.imports import dotted_name
from rules._analysis.names import words
from rules._catalog.profiles import Profile, active_profile
from rules._catalog.scopes import (
    ScopeVerdict,
    classify_scope,
    looks_like_scope,
    provider_hint,
    split_scopes,
)

# Callee words that make a ``scope=`` keyword an OAuth client request (user wrappers included).
_OAUTH_CALL_WORDS = frozenset({"oauth", "oauth2", "token", "client", "credential", "credentials", "auth", "session", "aelix", "msal", "authenticate", "bearer"})
# ...and callees that *check* scopes on the server side, or use "scope" for something else.
_NOT_REQUEST_WORDS = frozenset({"require", "requires", "required", "protected", "security", "fixture", "has", "check", "verify", "validate", "push", "configure", "scope", "scoped", "permission", "permissions", "depends", "resource", "provider", "server", "bearer"})
_CLIENT_KWARGS = frozenset({"client_id", "client_secret", "token_url", "token_endpoint", "token_uri", "grant_type", "tenant_id", "authority", "client_credential"})
# Imports that mean "this module is an OAuth server / resource server" (scopes there are checks).
_SERVER_MODULES = ("fastapi.security", "oauth2_provider", "rest_framework", "flask_oauthlib.provider", "authlib.integrations.flask_oauth2",
                   "authlib.integrations.django_oauth2", "authlib.oauth2.rfc6749", "authlib.oauth2.rfc6750", "oauthlib.oauth2.rfc6749.endpoints",
                   "flask_jwt_extended", "django_scopes")
# Evidence that a module is an OAuth *client* (settings modules that hold scopes for one).
_CLIENT_EVIDENCE_WORDS = frozenset({"client_credentials", "grant_type", "client_secret", "token_url", "token_endpoint", "oauth", "oauth2", "access_token", "token_uri"})

_CONFIG_EVIDENCE = frozenset({"oauth", "oauth2", "auth", "token", "client", "api", "aelix", "graph", "google", "okta", "azure", "entra", "cognito", "keycloak", "auth0", "grant", "credentials", "sso", "idp", "msal"})
_CONFIG_SIBLING_EVIDENCE = frozenset({"client", "secret", "token", "grant", "oauth", "authority", "tenant", "issuer", "audience"})


class BroadScope(PythonRule):
    """
    ## What it does
    Reports wildcard and all-access OAuth scopes where a token is requested: `*`, `<resource>:*`,
    `*:write`, `admin`, `<resource>:admin`, `admin:<resource>`, `all`, `full`, `full_access`,
    `root`, `superuser`, and provider super-scopes (Google `https://mail.google.com/` and full
    `drive`, Microsoft Graph `Directory.ReadWrite.All` and friends, GitHub `delete_repo`, Okta
    `okta.*.manage`, Cognito `aws.cognito.signin.user.admin`). Scopes are read from token request
    bodies, the OAuth libraries' `scope=`/`scopes=` arguments (authlib, requests-oauthlib and
    oauthlib, msal, azure-identity, httpx-auth, requests-oauth2client, google-auth), module and
    class constants named like `SCOPES`, and config files (`scope`, `scopes`, `*_SCOPES` keys in
    YAML, .env, JSON, TOML and INI).

    For Aelix, a scope in Aelix's namespace that is not one of the six documented scopes (or the
    guide's `payments:write` alias) is reported as an unknown scope (medium confidence).
    Microsoft's `<resource>/.default` is the required form for this flow and is never reported;
    Google's `cloud-platform` is reported as information only (low confidence, shown with
    `--strict`), because Google recommends it for service accounts whose IAM roles do the narrowing.
    `scope` arguments that mean something else (pytest fixtures, dependency-injection scopes,
    Sentry `push_scope`, server-side scope checks) are ignored, and so are test files.

    ## Why is this bad?
    A client-credentials token acts for the application itself, with every permission its scopes
    grant. A wildcard or admin scope turns a leaked token, or a bug in any code path that uses it,
    into full control of the API. The guide asks to register the application with, and request,
    only the scopes it actually needs.

    ## Example
    ```python
    data = {"grant_type": "client_credentials", "scope": "banking:* payments:write"}
    ```

    ## Use instead
    ```python
    data = {"grant_type": "client_credentials", "scope": "banking:read"}
    ```

    ## References
    - Guide tip: request only the scopes your application actually needs
    - CWE-250: Execution with Unnecessary Privileges
    - RFC 6749 section 3.3 (access token scope); Microsoft identity platform: the `.default` scope
    """

    id = "OA401"
    name = "broad-scope"
    family = "scope"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    summary = "A wildcard, admin or all-access OAuth scope is requested"
    cwe = ("CWE-250",)
    references = ("https://cwe.mitre.org/data/definitions/250.html", "https://www.rfc-editor.org/rfc/rfc6749#section-3.3")
    kinds: ClassVar[tuple[str, ...]] = ("python", "dotenv", "yaml", "json", "toml", "ini")  # type: ignore[assignment]  # PythonRule.kinds is typed tuple[str]
    # scopes are positional in msal/azure calls, so the method names are triggers too
    triggers = ("scope", "acquire_token", "get_token", "client_credentials", "grant_type")
    # An OAuth context must be there too: "scope" alone is pytest fixtures, DI containers, symtables.
    trigger_groups = (("token", "oauth", "credential", "grant_type", "client_id", "clientid", "msal", "authlib", "google", "azure", "auth_", "_auth", "authoriz", "bearer", "secret"),)

    valid = (
        Example(
            """\
            import requests
            data = {"grant_type": "client_credentials", "scope": "banking:read payments:write"}
            token = requests.post("https://auth.aelix.digitalapi.ai/oauth2/token", data=data).json()["access_token"]
            """,
            note="documented Aelix scopes (payments:write is the guide's alias of payments:initiate)",
        ),
        Example(
            """\
            import msal
            app = msal.ConfidentialClientApplication("id", client_credential=SECRET, authority=AUTHORITY)
            result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
            """,
            note="Microsoft's /.default is the mandatory form for client credentials",
        ),
        Example(
            """\
            import pytest

            @pytest.fixture(scope="session")
            def admin_client():
                return make_client(role="admin")
            """,
            note="pytest fixture scope, not an OAuth scope",
        ),
        Example(
            """\
            from fastapi import Security
            from fastapi.security import OAuth2PasswordBearer

            oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", scopes={"admin": "Administer everything"})

            async def delete_user(user=Security(get_current_user, scopes=["admin"])):
                ...
            """,
            note="a resource server checking scopes, not a client requesting them",
        ),
        Example(
            """\
            import requests
            token = requests.post(
                "https://auth.aelix.digitalapi.ai/oauth2/token",
                data={"grant_type": "client_credentials", "scope": "webhooks:manage"},
            ).json()["access_token"]
            """,
            note="webhooks:manage is a documented fine-grained scope ('manage' is not a broad word)",
        ),
        Example(
            """\
            import sentry_sdk
            with sentry_sdk.push_scope() as scope:
                scope.set_tag("component", "all")
            """,
            note="Sentry scopes are not OAuth scopes",
        ),
        Example(
            """\
            from azure.identity import ClientSecretCredential
            credential = ClientSecretCredential(TENANT, CLIENT_ID, CLIENT_SECRET)
            token = credential.get_token("api://payments-api/.default")
            """,
            note="azure-identity with a resource's /.default scope",
        ),
        Example(
            """\
            AELIX_CLIENT_ID=cl_syvpgjhr0k82pj61myrs
            AELIX_SCOPES=banking:read payments:write
            SEARCH_SCOPE=all
            """,
            path=".env",
            note="documented scopes in a dotenv file; SEARCH_SCOPE is not an OAuth setting",
        ),
    )
    invalid = (
        Example(
            """\
            import requests
            resp = requests.post(
                "https://auth.aelix.digitalapi.ai/oauth2/token",
                data={"grant_type": "client_credentials", "scope": "banking:* payments:read"},  # expect
            )
            """,
            note="<resource>:* wildcard in the token request body",
        ),
        Example(
            """\
            from authlib.integrations.requests_client import OAuth2Session
            session = OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope="admin",  # expect
                                    token_endpoint=TOKEN_URL)
            session.fetch_token()
            """,
            note="authlib session asking for admin",
        ),
        Example(
            """\
            from oauthlib.oauth2 import BackendApplicationClient
            from requests_oauthlib import OAuth2Session

            client = BackendApplicationClient(client_id=CLIENT_ID, scope=["read", "*"])  # expect
            oauth = OAuth2Session(client=client)
            token = oauth.fetch_token(token_url=TOKEN_URL, client_secret=CLIENT_SECRET)
            """,
            note="bare wildcard in an oauthlib client",
        ),
        Example(
            """\
            from google.oauth2 import service_account
            creds = service_account.Credentials.from_service_account_file(
                "sa.json", scopes=["https://www.googleapis.com/auth/drive"]  # expect
            )
            """,
            note="full Drive access for a service account",
        ),
        Example(
            """\
            import httpx_auth
            auth = httpx_auth.OAuth2ClientCredentials(
                TOKEN_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scope="payments:admin"  # expect
            )
            """,
            note="<resource>:admin",
        ),
        Example(
            """\
            TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"
            CLIENT_ID = "cl_123"
            AELIX_SCOPES = ["banking:read", "full_access"]  # expect
            """,
            note="settings module: a scope constant of an OAuth client",
        ),
        Example(
            """\
            import requests

            def token():
                body = "grant_type=client_credentials&scope=all"  # expect
                return requests.post(TOKEN_URL, data=body, auth=(CLIENT_ID, CLIENT_SECRET)).json()
            """,
            note="form-encoded body string",
        ),
        Example(
            """\
            import requests
            data = {"grant_type": "client_credentials", "scope": "banking:read banking:delete"}  # expect
            requests.post("https://auth.aelix.digitalapi.ai/oauth2/token", data=data)
            """,
            note="banking:delete is not a documented Aelix scope (unknown scope, medium confidence)",
        ),
        Example(
            """\
            services:
              statement-exporter:
                environment:
                  AELIX_CLIENT_ID: cl_4mzq8rkx1nwd7hbt0pva
                  AELIX_SCOPES: "banking:* payments:read"  # expect
                  EXPORT_SCHEDULE: "0 2 * * *"
            """,
            path="deploy/docker-compose.yml",
            note="config files too: a compose environment variable holding the scopes",
        ),
    )

    # -- Python -----------------------------------------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        if self.ctx.is_test:
            return
        model = client_model(self.ctx)
        profile = active_profile(self.ctx.settings)
        seen: set[tuple[int, str]] = set()
        for request in self._requests(model):
            self._judge(request, profile, seen)

    def _requests(self, model: ClientModel) -> Iterable[ScopeRequest]:
        yield from model.scope_requests
        if _is_server_module(model):
            return
        client_module = bool(model.clients) or _has_client_evidence(model)
        if client_module:
            for _qual, request in scope_constants(model):
                yield request
        yield from _keyword_requests(model)

    def _judge(self, request: ScopeRequest, profile: Profile | None, seen: set[tuple[int, str]]) -> None:
        aelix_context = _aelix_context(request, profile)
        for item in request.items:
            key = (id(item.node), item.scope)
            if key in seen:
                continue
            seen.add(key)
            verdict = classify_scope(item.scope, request.provider)
            if verdict is None and aelix_context and profile is not None:
                verdict = _unknown_scope(item.scope, profile)
            if verdict is None:
                continue
            self._report(item, request, verdict)

    def _report(self, item: ScopeItem, request: ScopeRequest, verdict: ScopeVerdict) -> None:
        confidence = verdict.confidence
        if request.name_only and confidence == Confidence.HIGH:
            confidence = Confidence.MEDIUM
        message = f"{_label(verdict)} scope {item.scope} requested ({verdict.reason}; {request.context})"
        if item.offset < 0:
            self.report(item.node, message, severity=verdict.severity, confidence=confidence, properties=(("scope", item.scope),))
            return
        # point at the scope inside the literal, not at its opening quote
        line, column = position(self.ctx, item.node)
        column += item.offset
        self.ctx.report_at(
            type(self), line, column, message, end_column=column + len(item.scope),
            severity=verdict.severity, confidence=confidence, properties=(("scope", item.scope),),
        )

    # -- config files -------------------------------------------------------------------------
    def check(self, doc: Document, ctx: FileContext) -> None:
        """Config documents: ``scope``/``scopes``/``*_SCOPES`` keys of OAuth client settings."""
        if ctx.is_test:
            return
        profile = active_profile(ctx.settings)
        entries = list(doc.entries)
        for entry in entries:
            key = _scope_key(entry)
            if key is None or not isinstance(entry.value, str):
                continue
            scopes = split_scopes(entry.value)
            if not scopes or not all(looks_like_scope(s) for s, _ in scopes):
                continue
            evidence = _config_evidence(entry, key, entries)
            provider = provider_hint(*(str(e.value) for e in _siblings(entry, entries) if isinstance(e.value, str)), key)
            aelix = profile is not None and (provider == "aelix" or any(profile.knows(s) for s, _ in scopes))
            for scope, offset in scopes:
                verdict = classify_scope(scope, provider)
                distinctive = verdict is not None and (":" in scope or "/" in scope or "." in scope)
                if verdict is None and aelix and profile is not None and evidence:
                    verdict = _unknown_scope(scope, profile)
                if verdict is None or not (evidence or distinctive):
                    continue
                column = entry.column + (1 if entry.quoted else 0) + offset
                ctx.report_at(
                    type(self), entry.line, column,
                    f"{_label(verdict)} scope {scope} configured in {'.'.join(entry.key_path)} ({verdict.reason})",
                    end_column=column + len(scope),
                    severity=verdict.severity,
                    confidence=verdict.confidence if evidence else Confidence.MEDIUM,
                    properties=(("scope", scope),),
                )


def _label(verdict: ScopeVerdict) -> str:
    return {"wildcard": "wildcard", "admin": "all-access", "provider": "broad", "info": "broad", "unknown": "unknown"}.get(verdict.kind, "broad")


def _unknown_scope(scope: str, profile: Profile) -> ScopeVerdict | None:
    if not profile.is_provider_scope(scope) or profile.knows(scope):
        return None
    documented = ", ".join(sorted(profile.scopes))
    return ScopeVerdict("unknown", f"not a documented {profile.name} scope; documented: {documented}", Confidence.MEDIUM)


def _aelix_context(request: ScopeRequest, profile: Profile | None) -> bool:
    """Unknown-scope checks only where the request is clearly for the profile's provider."""
    if profile is None:
        return False
    if request.provider == "aelix" and profile.name == "aelix":
        return True
    return any(profile.knows(s) for s in request.scopes)


def _is_server_module(model: ClientModel) -> bool:
    return any(q.startswith(_SERVER_MODULES) for q in model.info.imports.values())


def _has_client_evidence(model: ClientModel) -> bool:
    names = set(model.info.constants) | {k.split(".", 1)[-1] for k in model.info.class_constants}
    for name in names:
        w = words(name)
        joined = "_".join(w)
        if any(e in joined for e in ("client_secret", "client_id", "token_url", "token_endpoint", "grant_type", "oauth", "token_uri", "authority")):
            return True
    roots = {q.split(".")[0] for q in model.info.imports.values()}
    if roots & {"authlib", "requests_oauthlib", "oauthlib", "msal", "httpx_auth", "requests_auth", "requests_oauth2client"}:
        return True
    text = model.ctx.text
    return any(e in text for e in ("client_credentials", "grant_type"))


def _keyword_requests(model: ClientModel) -> Iterable[ScopeRequest]:
    """``scope=``/``scopes=`` of user wrappers that look like OAuth clients (``AelixClient(...,
    client_secret=..., scope="admin")``), and scope keys of client parameter dicts."""
    for fn in model.functions:
        for site in fn.calls:
            call = site.node
            assert type(call) is cst.Call
            if id(call) in model.client_at:
                continue
            callee = dotted_name(call.func) or ""
            callee_words = set(words(callee.rsplit(".", 1)[-1])) if callee else set()
            kwargs = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
            oauthish = bool(callee_words & _OAUTH_CALL_WORDS) and not callee_words & _NOT_REQUEST_WORDS
            has_client_kwargs = bool(set(kwargs) & _CLIENT_KWARGS)
            for name, value in kwargs.items():
                if name in ("scope", "scopes") and (has_client_kwargs or oauthish) and type(value) in (cst.SimpleString, cst.ConcatenatedString, cst.List, cst.Tuple, cst.Set, cst.Name, cst.Attribute, cst.Call):
                    request = model.scope_request(value, fn, f"scope argument of {callee or 'a call'}")
                    request.name_only = not has_client_kwargs
                    yield request
                elif type(value) is cst.Dict and (has_client_kwargs or name in ("client_kwargs", "token_params", "auth_params", "params", "extra_params")) and has_client_kwargs:
                    for element in value.elements:
                        if type(element) is cst.DictElement and type(element.key) is cst.SimpleString:
                            key = element.key.evaluated_value
                            if key in ("scope", "scopes"):
                                yield model.scope_request(element.value, fn, f"{name} of {callee or 'a call'}")


def _scope_key(entry: Entry) -> str | None:
    """The scope-ish key of a config entry (list items take their parent's key)."""
    path = entry.key_path
    if not path:
        return None
    key = path[-1]
    if key.isdigit() and len(path) > 1:
        key = path[-2]
    return key if scope_name(key) else None


def _siblings(entry: Entry, entries: list[Entry]) -> list[Entry]:
    parent = entry.key_path[:-1] if not entry.key_path[-1].isdigit() else entry.key_path[:-2]
    return [e for e in entries if e.key_path[: len(parent)] == parent and len(e.key_path) == len(parent) + 1]


def _config_evidence(entry: Entry, key: str, entries: list[Entry]) -> bool:
    key_words = set(words(key))
    if key_words & _CONFIG_EVIDENCE:
        return True
    for part in entry.key_path[:-1]:
        if set(words(part)) & _CONFIG_EVIDENCE:
            return True
    # AELIX_SCOPES next to AELIX_CLIENT_ID; a lone SEARCH_SCOPE in a flat .env says nothing
    prefix = words(key)[0] if len(words(key)) > 1 else None
    for sibling in _siblings(entry, entries):
        sibling_words = words(sibling.key)
        if prefix is not None and (not sibling_words or sibling_words[0] != prefix):
            continue
        if set(sibling_words) & _CONFIG_SIBLING_EVIDENCE:
            return True
    return False
