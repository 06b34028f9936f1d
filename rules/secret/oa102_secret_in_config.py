"""OA102 secret-in-config: literal credentials in committed configuration files."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import posixpath
import re
from urllib.parse import unquote

from checker.model import Confidence, Document, Entry, Example, Severity
from checker.rule import ConfigRule, FileContext
from rules._analysis.names import (
    NameVerdict,
    authorization_secret,
    credential_name,
    secret_value_confidence,
)
from rules._analysis.secret_formats import format_of
from rules._catalog import secrets as catalog

# Keys whose value belongs to the key above: HCL ``variable "x" { default = ... }``, CloudFormation
# ``Parameters: X: Default:``, Helm-style ``clientSecret: {value: ...}``.
_VALUE_KEYS = frozenset({"default", "value", "val", "defaultvalue", "default_value", "initial_value", "initialvalue"})
_URL_USERINFO = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]*://([^\s:/@'\"]*):([^\s/@'\"]+)@[A-Za-z0-9\[{$%]")
_AUTH_VALUE = re.compile(r"^\s*(?:bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*\s*$", re.IGNORECASE)
_FLAG = re.compile(r"(?<![\w-])--?([A-Za-z][\w-]*)(?:=|\s+)(\"[^\"]*\"|'[^']*'|[^\s\"']+)")
_YAML_DOC_START = re.compile(r"^---(?:\s|$)")
_K8S_SECRET_ROLE = NameVerdict(role="Kubernetes Secret value", strength="generic")
_URL_PASSWORD_ROLE = NameVerdict(role="password", strength="strong")


class SecretInConfig(ConfigRule):
    """Client secrets, passwords, API keys and tokens written into committed configuration files.

    ## What it does
    Reads each value of dotenv files (quoted or not), YAML (app config, docker-compose `environment`,
    Kubernetes manifests, CI workflows, Helm values), JSON (`appsettings.json` `ClientSecret`, service
    account keys), TOML, INI/cfg (`.pypirc`, `alembic.ini`), Dockerfile `ENV`/`ARG` and Terraform
    (`variable` defaults, `*.tfvars`, resource arguments), and reports a literal credential under a
    credential-like key (`CLIENT_SECRET`, `clientSecret`, `api_key`, `password`, `*_TOKEN`...), an
    `Authorization: Bearer/Basic` value, or a URL/DSN with a password (`postgresql://app:pw@db/app`).
    Kubernetes `kind: Secret` `data` values are base64-decoded before they are judged; `stringData` is
    plain text. The message names the key path, never the value.

    Silent on references (`${VAR}`, `$VAR`, `${{ secrets.X }}`, `{{ .Values.x }}`, `!Ref`,
    `{{resolve:secretsmanager:...}}`, `arn:aws:secretsmanager:...`, `vault:`, `op://`), encrypted values
    (SOPS `ENC[...]` and the `sops:` block, SealedSecret `encryptedData`, ansible-vault), empty values,
    placeholders (`changeme`, `<secret>`, `YOUR_API_KEY`), lock files, digests and public keys. In
    template files (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `*.example.*`) real-looking
    values are still reported, with medium confidence.

    ## Why is this bad?
    Configuration files are committed, copied into images and shared across environments; a secret in
    one is readable by everyone with repository access and stays in git history after removal
    (CWE-798: Use of Hard-coded Credentials; CWE-312: Cleartext Storage of Sensitive Information).

    ## Example
    ```yaml
    services:
      api:
        environment:
          AELIX_CLIENT_SECRET: Zx8kQ9mP2vL7nR4tW1yB
    ```

    ## Use instead
    ```yaml
    services:
      api:
        environment:
          AELIX_CLIENT_SECRET: ${AELIX_CLIENT_SECRET}   # injected from the secret manager at deploy time
    ```

    ## References
    - Guide tip: never commit the client secret to source control.
    - CWE-798: Use of Hard-coded Credentials. CWE-312: Cleartext Storage of Sensitive Information.
    - Kubernetes documentation: Secrets are only base64-encoded, not encrypted.
    """

    id = "OA102"
    name = "secret-in-config"
    family = "secret"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    summary = "Client secrets, passwords, API keys and tokens written into committed configuration files"
    cwe = ("CWE-798", "CWE-312")
    references = ("guide: never commit the client secret", "CWE-798", "CWE-312")
    triggers = (
        "secret", "password", "passwd", "pwd", "passphrase", "token", "key", "credential", "authorization",
        "bearer", "basic", "auth", "://", "private",
    )

    valid = (
        Example(
            """\
            AELIX_CLIENT_ID=svc-payments
            AELIX_CLIENT_SECRET=
            AELIX_TOKEN_URL=https://auth.aelix.digitalapi.ai/oauth2/token
            DB_PASSWORD=${DB_PASSWORD}
            """,
            path=".env",
        ),
        Example(
            """\
            AELIX_CLIENT_SECRET=your-client-secret-here
            API_KEY=<your api key>
            DB_PASSWORD=changeme
            """,
            path=".env.example",
            note="template with placeholders",
        ),
        Example(
            """\
            jobs:
              deploy:
                env:
                  AELIX_CLIENT_SECRET: ${{ secrets.AELIX_CLIENT_SECRET }}
                  TOKEN_ENDPOINT: https://auth.aelix.digitalapi.ai/oauth2/token
            """,
            path=".github/workflows/deploy.yml",
        ),
        Example(
            """\
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            spec:
              encryptedData:
                client-secret: AgBy8hCi8Zx8kQ9mP2vL7nR4tW1yB6cF3hJ5gD0sAZx8kQ9mP2vL7nR4tW1yB6cF3hJ5g
            """,
            path="k8s/sealed.yaml",
        ),
        Example(
            """\
            client_secret: ENC[AES256_GCM,data:Tr7o1Zx8kQ9mP2vL7nR4t,iv:Yb1Zx8kQ9m=,tag:q9=,type:str]
            sops:
              mac: ENC[AES256_GCM,data:Zx8kQ9mP2vL7nR4tW1yB6cF3,iv:x,tag:y,type:str]
              lastmodified: '2026-05-01T10:00:00Z'
            """,
            path="secrets.enc.yaml",
        ),
        Example(
            """\
            {"Aelix": {"ClientId": "svc-payments", "ClientSecret": "", "TokenUrl": "https://auth.aelix.digitalapi.ai/oauth2/token",
                       "ClientSecretName": "aelix-client-secret", "PasswordMinLength": "12"}}
            """,
            path="appsettings.json",
        ),
    )
    invalid = (
        Example(
            """\
            AELIX_CLIENT_ID=svc-payments
            AELIX_CLIENT_SECRET=Zx8kQ9mP2vL7nR4tW1yB  # expect
            export API_TOKEN="ak_live_4f9Q2mX7pL3vR8tN"  # expect
            """,
            path=".env",
        ),
        Example(
            """\
            services:
              api:
                environment:
                  - AELIX_CLIENT_SECRET=Zx8kQ9mP2vL7nR4tW1yB  # expect
                  - LOG_LEVEL=info
            """,
            path="docker-compose.yml",
        ),
        Example(
            """\
            {
              "Aelix": {
                "ClientId": "svc-payments",
                "ClientSecret": "p7Q~Xv2kLm9RtW4yZb8Nc3Df"
              }
            }
            """,
            path="appsettings.json",
            lines=(4,),
        ),
        Example(
            """\
            apiVersion: v1
            kind: Secret
            metadata:
              name: aelix
            data:
              client-secret: Wng4a1E5bVAydkw3blI0dFcxeUI=  # expect
            """,
            path="k8s/secret.yaml",
        ),
        Example(
            """\
            [distutils]
            index-servers = pypi
            [pypi]
            username = deploy
            password = Zx8kQ9mP2vL7nR4tW1yB
            [alembic]
            sqlalchemy.url = postgresql://app:S3cr3tPassw0rd9@db.internal/app
            """,
            path="deploy.cfg",
            lines=(5, 7),
            note="INI keeps '#' inside values (passwords may contain it), so the lines are listed",
        ),
        Example(
            """\
            variable "client_secret" {
              type    = string
              default = "Zx8kQ9mP2vL7nR4tW1yB"  # expect
            }
            """,
            path="infra/variables.tf",
        ),
    )

    def check(self, doc: Document, ctx: FileContext) -> None:
        name = posixpath.basename(ctx.path).lower()
        if name in catalog.LOCK_FILE_NAMES:
            return
        template = _is_template(name)
        kinds = _yaml_document_kinds(doc, ctx) if doc.kind == "yaml" else None
        for entry in doc.entries:
            if not isinstance(entry.value, str) or not entry.value.strip() or entry.value.startswith("$ANSIBLE_VAULT"):
                continue
            if entry.key_path and entry.key_path[0] == "sops":
                continue  # SOPS metadata: MACs and wrapped data keys
            if doc.kind == "hcl" and not entry.quoted:
                continue  # an HCL expression (var.x, local.y, a function call), not a literal
            kind = kinds(entry.line) if kinds is not None else ""
            if kind == "SealedSecret":
                continue
            self._judge_entry(entry, ctx, template, kind == "Secret")

    def _judge_entry(self, entry: Entry, ctx: FileContext, template: bool, k8s_secret: bool) -> None:
        value: str = entry.value
        key = _value_name(entry.key_path)
        if k8s_secret and len(entry.key_path) >= 2 and entry.key_path[0] == "data":
            self._judge_k8s_data(entry, ctx, key)
            return
        verdict = credential_name(key) if key else None
        if k8s_secret and verdict is None and entry.key_path and entry.key_path[0] == "stringData":
            verdict = _K8S_SECRET_ROLE
        header = verdict is not None and verdict.role == "authorization header"
        found = authorization_secret(value, bare=header) if header or _AUTH_VALUE.match(value) else None
        if found is not None:
            self._report(entry, ctx, f"{found.role} in config key `{entry.dotted}`", found.confidence, template, value, found.credential, found.secret)
            return
        if verdict is not None and verdict.role != "authorization header":
            confidence = secret_value_confidence(value, verdict, key)
            if confidence is not None:
                self._report(entry, ctx, f"{verdict.role} in config key `{entry.dotted}`", confidence, template, value)
                return
        if "://" in value and "@" in value:
            self._judge_url(entry, ctx, template)
            return
        if value.lstrip().startswith("{") and value.rstrip().endswith("}"):
            self._judge_embedded_json(entry, ctx, template)
            return
        if "--" in value:
            self._judge_flags(entry, ctx, template)

    def _judge_embedded_json(self, entry: Entry, ctx: FileContext, template: bool) -> None:
        """A JSON object inside a string value: CloudFormation ``SecretString: '{"password": "..."}'``."""
        try:
            inner = json.loads(entry.value)
        except ValueError:
            return
        if not isinstance(inner, dict):
            return
        for key, value in inner.items():
            verdict = credential_name(str(key))
            if verdict is None or not isinstance(value, str):
                continue
            confidence = secret_value_confidence(value, verdict, str(key))
            if confidence is not None:
                message = f"{verdict.role} in JSON inside config key `{entry.dotted}`"
                self._report(entry, ctx, message, confidence, template, value)
                return

    def _judge_flags(self, entry: Entry, ctx: FileContext, template: bool) -> None:
        """Command lines in config (``command: serve --client-secret=...``)."""
        for match in _FLAG.finditer(entry.value):
            verdict = credential_name(match.group(1))
            if verdict is None:
                continue
            secret = match.group(2).strip("\"'")
            confidence = secret_value_confidence(secret, verdict, match.group(1))
            if confidence is not None:
                message = f"{verdict.role} in a command-line flag in config key `{entry.dotted}`"
                self._report(entry, ctx, message, confidence, template, secret)
                return

    def _judge_k8s_data(self, entry: Entry, ctx: FileContext, key: str) -> None:
        """``kind: Secret`` ``data`` values are base64: decode, then judge the plain value."""
        decoded = _b64_text(entry.value.strip())
        if decoded is None:
            return
        verdict = credential_name(key) or _K8S_SECRET_ROLE
        confidence = secret_value_confidence(decoded, verdict, key)
        if confidence is not None:
            message = f"{verdict.role} (base64 in a Kubernetes Secret) in config key `{entry.dotted}`"
            self._report(entry, ctx, message, confidence, False, entry.value.strip(), decoded)

    def _judge_url(self, entry: Entry, ctx: FileContext, template: bool) -> None:
        for match in _URL_USERINFO.finditer(entry.value):
            user, password = match.group(1), unquote(match.group(2))
            confidence = secret_value_confidence(password, _URL_PASSWORD_ROLE, key=user or None)
            if confidence is not None:
                message = f"password in a connection URL in config key `{entry.dotted}`"
                self._report(entry, ctx, message, confidence, template, password, match.group(2))
                return

    def _report(self, entry: Entry, ctx: FileContext, message: str, confidence: Confidence, template: bool, *secrets: str) -> None:
        if template and confidence > Confidence.MEDIUM:
            confidence = Confidence.MEDIUM  # a template should hold placeholders; a real-looking value is suspect
        raw = _raw_value(ctx, entry)
        label = format_of(secrets[-1]) if secrets else None  # the secret itself (decoded when base64)
        end_column = entry.end_column if entry.end_line in (None, entry.line) else None
        ctx.report_at(
            type(self),
            entry.line,
            entry.column,
            message,
            end_line=entry.line,
            end_column=end_column,
            confidence=confidence,
            secrets=tuple(s for s in (*secrets, raw) if s),
            properties=(("key", entry.dotted),) + ((("format", label),) if label else ()),
        )


def _is_template(name: str) -> bool:
    """``.env.example``, ``config.sample.yaml``, ``settings.template.json``, ``.env.dist``."""
    return any(marker + "." in name or name.endswith(marker) for marker in catalog.TEMPLATE_FILE_MARKERS)


def _value_name(key_path: tuple[str, ...]) -> str:
    """The name a value is bound to: the key, or the key above ``default``/``value``."""
    if not key_path:
        return ""
    key = key_path[-1]
    if key.lower() in _VALUE_KEYS and len(key_path) >= 2:
        return key_path[-2]
    return key


def _b64_text(value: str) -> str | None:
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _raw_value(ctx: FileContext, entry: Entry) -> str:
    """The value as written on its line (quotes stripped), so the snippet masks it exactly."""
    if not 0 < entry.line <= len(ctx.lines):
        return ""
    line = ctx.lines[entry.line - 1]
    start = entry.column - 1
    end = entry.end_column - 1 if entry.end_column and entry.end_line in (None, entry.line) else len(line)
    return line[start:end].strip().strip("\"'")


def _yaml_document_kinds(doc: Document, ctx: FileContext):  # type: ignore[no-untyped-def]
    """A function line -> the ``kind:`` of the YAML document (of a stream) holding that line."""
    starts: list[int] = []
    for number, line in enumerate(ctx.lines, start=1):
        if line.startswith("---") and _YAML_DOC_START.match(line):
            starts.append(number)
    kinds_by_doc: dict[int, str] = {}
    for entry in doc.entries:
        if entry.key_path == ("kind",) and isinstance(entry.value, str):
            kinds_by_doc[bisect.bisect_right(starts, entry.line)] = entry.value.strip()
    if not kinds_by_doc:
        return lambda _line: ""
    return lambda line: kinds_by_doc.get(bisect.bisect_right(starts, line), "")

