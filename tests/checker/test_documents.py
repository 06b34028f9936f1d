"""Tests for checker.documents: exact key paths, values and positions per format, and robustness."""

from __future__ import annotations

import configparser
import datetime
import json
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.documents import KINDS, MAX_ENTRIES, HclBlock, classify_config_kind, hcl_blocks, parse_document
from checker.model import Document, Entry


def by_path(doc: Document) -> dict[tuple[str, ...], Entry]:
    """Entries keyed by key path (tests use unique paths)."""
    out: dict[tuple[str, ...], Entry] = {}
    for entry in doc.entries:
        assert entry.key_path not in out, f"duplicate path {entry.key_path}"
        out[entry.key_path] = entry
    return out


def loc(entry: Entry) -> tuple[int, int, int | None, int | None]:
    return entry.line, entry.column, entry.end_line, entry.end_column


# ----------------------------------------------------------------------------------------------- dotenv

DOTENV = """\
# Aelix sandbox credentials
export AELIX_CLIENT_ID=cli_123
AELIX_CLIENT_SECRET = "s3cr\\"et\\nx"   # rotated 2024-05
TOKEN='single # not a comment'
TOKEN_URL=https://auth.example.com/oauth2/token#frag
PLAIN=value # a comment
HASHED=abc#def
EMPTY=
DSN=postgres://u:p@h/db?sslmode=require&x=y
MULTI="line1
line2"
this line has no equals sign
  INDENTED = spaced
"""


def test_dotenv_values_and_positions() -> None:
    doc = parse_document("dotenv", DOTENV, ".env")
    assert doc.errors == ()
    got = by_path(doc)
    assert list(got) == [
        ("AELIX_CLIENT_ID",),
        ("AELIX_CLIENT_SECRET",),
        ("TOKEN",),
        ("TOKEN_URL",),
        ("PLAIN",),
        ("HASHED",),
        ("EMPTY",),
        ("DSN",),
        ("MULTI",),
        ("INDENTED",),
    ]
    assert got[("AELIX_CLIENT_ID",)].value == "cli_123"
    assert loc(got[("AELIX_CLIENT_ID",)]) == (2, 24, 2, 31)
    secret = got[("AELIX_CLIENT_SECRET",)]
    assert (secret.value, secret.quoted) == ('s3cr"et\nx', True)
    assert loc(secret) == (3, 23, 3, 36)  # column of the opening quote, end just past the closing one
    assert got[("TOKEN",)].value == "single # not a comment"
    assert got[("TOKEN_URL",)].value == "https://auth.example.com/oauth2/token#frag"
    assert (got[("PLAIN",)].value, got[("PLAIN",)].quoted) == ("value", False)
    assert loc(got[("PLAIN",)]) == (6, 7, 6, 12)
    assert got[("HASHED",)].value == "abc#def"
    assert got[("EMPTY",)].value == ""
    assert got[("DSN",)].value == "postgres://u:p@h/db?sslmode=require&x=y"
    assert got[("MULTI",)].value == "line1\nline2"
    assert loc(got[("MULTI",)]) == (10, 7, 11, 7)
    assert loc(got[("INDENTED",)]) == (13, 14, 13, 20)
    assert doc.data["DSN"] == "postgres://u:p@h/db?sslmode=require&x=y"


def test_dotenv_unterminated_quote_is_an_error_without_the_value() -> None:
    doc = parse_document("dotenv", 'OK=1\nSECRET="hunter2 never closed\nNEXT=2\n')
    assert doc.errors == ("dotenv: unterminated quoted value at line 2",)
    assert "hunter2" not in doc.errors[0]
    assert [e.key_path for e in doc.entries] == [("OK",), ("SECRET",), ("NEXT",)]
    assert doc.data is None


def test_dotenv_crlf_and_bom() -> None:
    doc = parse_document("dotenv", "\ufeffA=1\r\nB = 'two'\r\n")
    assert [(e.key_path, e.value, e.line, e.column) for e in doc.entries] == [
        (("A",), "1", 1, 3),
        (("B",), "two", 2, 5),
    ]


# ------------------------------------------------------------------------------------------------- YAML

COMPOSE = """\
version: "3.9"
services:
  api:
    image: acme/api:1.2
    environment:
      - AELIX_CLIENT_ID=cli_123
      - "AELIX_CLIENT_SECRET=s3cret"
      - PASSTHROUGH
    ports: [8080, '443']
    healthcheck:
      disable: true
  worker:
    environment:
      TOKEN_URL: https://auth.example.com/oauth2/token
"""


def test_yaml_compose_list_environment() -> None:
    doc = parse_document("yaml", COMPOSE, "docker-compose.yml")
    assert doc.errors == ()
    got = by_path(doc)
    env = ("services", "api", "environment")
    assert got[env + ("AELIX_CLIENT_ID",)].value == "cli_123"
    assert loc(got[env + ("AELIX_CLIENT_ID",)]) == (6, 25, 6, 32)
    quoted = got[env + ("AELIX_CLIENT_SECRET",)]
    assert (quoted.value, quoted.quoted, quoted.line, quoted.column) == ("s3cret", True, 7, 30)
    assert got[env + ("2",)].value == "PASSTHROUGH"  # no "=": kept as a list item
    assert env + ("0",) not in got  # KEY=VALUE items are keyed by KEY instead of their index
    assert got[("version",)].value == "3.9" and got[("version",)].quoted
    assert got[("services", "api", "ports", "0")].value == 8080
    assert got[("services", "api", "ports", "1")].value == "443"
    assert got[("services", "api", "healthcheck", "disable")].value is True
    assert loc(got[("services", "worker", "environment", "TOKEN_URL")])[:2] == (14, 18)
    assert doc.data[0]["services"]["api"]["environment"][0] == "AELIX_CLIENT_ID=cli_123"


K8S = """\
apiVersion: v1
kind: Secret
metadata:
  name: aelix
stringData:
  client_secret: plain-text
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: AELIX_CLIENT_SECRET
              value: "s3cret"
            - name: FROM_SECRET
              valueFrom:
                secretKeyRef: {name: aelix, key: client_secret}
"""


def test_yaml_multi_document_and_k8s_env_list() -> None:
    doc = parse_document("yaml", K8S)
    assert doc.errors == ()
    assert isinstance(doc.data, list) and len(doc.data) == 2
    assert doc.data[1]["kind"] == "Deployment"
    paths = [e.key_path for e in doc.entries]
    assert paths.count(("apiVersion",)) == 2  # the document index is not part of the key path
    containers = ("spec", "template", "spec", "containers", "0", "env")
    extra = [e for e in doc.entries if e.key_path == containers + ("AELIX_CLIENT_SECRET",)]
    assert len(extra) == 1
    assert (extra[0].value, extra[0].line, extra[0].column, extra[0].quoted) == ("s3cret", 17, 22, True)
    originals = {e.key_path: e.value for e in doc.entries}
    assert originals[containers + ("0", "name")] == "AELIX_CLIENT_SECRET"
    assert originals[containers + ("0", "value")] == "s3cret"
    assert originals[containers + ("1", "valueFrom", "secretKeyRef", "key")] == "client_secret"
    assert containers + ("FROM_SECRET",) not in originals  # no literal value to report
    assert originals[("stringData", "client_secret")] == "plain-text"


CLOUDFORMATION = """\
Resources:
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      ClientSecret: !Ref ClientSecretParam
      Url: !Sub "https://${Domain}/oauth2/token"
      Arn: !GetAtt [Fn, Arn]
      Run: !!python/object/apply:os.system ["echo pwned"]
      Odd: !!int not-a-number
      Eq: =
      Rotated: 2024-05-01
"""


def test_yaml_tags_are_data_never_code() -> None:
    doc = parse_document("yaml", CLOUDFORMATION, "template.yaml")
    assert doc.errors == ()
    props = ("Resources", "Secret", "Properties")
    got = {e.key_path: e for e in doc.entries}
    assert got[props + ("ClientSecret",)].value == "!Ref ClientSecretParam"
    assert (got[props + ("ClientSecret",)].line, got[props + ("ClientSecret",)].column) == (5, 21)
    assert got[props + ("Url",)].value == "!Sub https://${Domain}/oauth2/token"
    assert got[props + ("Arn", "0")].value == "Fn"
    assert got[props + ("Run", "0")].value == "echo pwned"
    assert got[props + ("Odd",)].value == "not-a-number"
    assert got[props + ("Eq",)].value == "="
    assert got[props + ("Rotated",)].value == datetime.date(2024, 5, 1)
    data = doc.data[0]["Resources"]["Secret"]["Properties"]
    assert data["ClientSecret"] == "!Ref ClientSecretParam"
    assert data["Run"] == ["echo pwned"]
    assert data["Odd"] == "not-a-number"


def test_yaml_anchor_merge_and_alias() -> None:
    text = "base: &base\n  password: hunter2\napp:\n  <<: *base\n  user: u\ncopy: *base\n"
    doc = parse_document("yaml", text)
    assert doc.errors == ()
    got = {e.key_path: (e.value, e.line) for e in doc.entries}
    assert got == {
        ("base", "password"): ("hunter2", 2),
        ("app", "password"): ("hunter2", 2),  # merged keys point at where the literal is written
        ("app", "user"): ("u", 5),
        ("copy", "password"): ("hunter2", 2),
    }
    assert doc.data[0]["app"] == {"password": "hunter2", "user": "u"}


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)


def test_yaml_billion_laughs_is_capped() -> None:
    start = time.monotonic()
    doc = parse_document("yaml", BILLION_LAUGHS)
    assert time.monotonic() - start < 5
    assert doc.data is None
    assert len(doc.errors) == 1 and "too large" in doc.errors[0]
    assert len(doc.entries) <= MAX_ENTRIES


def test_yaml_recursive_alias_is_an_error() -> None:
    doc = parse_document("yaml", "a: &a [x, *a]\n")
    assert doc.data is None and "recursive alias" in doc.errors[0]


def test_yaml_syntax_error_has_position_but_no_snippet() -> None:
    doc = parse_document("yaml", "ok: 1\nsecret: hunter2: nope\n---\nlater: 2\n")
    assert len(doc.errors) == 1
    assert doc.errors[0].startswith("YAML parse error at line 2, column 16: mapping values are not allowed")
    assert doc.data is None


def test_yaml_error_in_later_document_keeps_what_was_read() -> None:
    doc = parse_document("yaml", "token: abc\n---\nkey: [unclosed\n")
    assert [(e.key_path, e.value) for e in doc.entries] == [(("token",), "abc"), (("key", "0"), "unclosed")]
    assert doc.errors and "hunter" not in doc.errors[0] and doc.errors[0].startswith("YAML parse error at line")


@pytest.mark.parametrize("text", [COMPOSE, K8S, CLOUDFORMATION, "a: &a [x]\nb: *a\n"])
def test_yaml_same_result_without_libyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_document("yaml", text)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    slow = parse_document("yaml", text)
    assert (slow.entries, slow.data, slow.errors) == (fast.entries, fast.data, fast.errors)


def test_yaml_undecodable_characters() -> None:
    doc = parse_document("yaml", "a: b\udc80c\nd: e\n")
    assert doc.errors == () and [(e.value, e.column) for e in doc.entries] == [("b?c", 4), ("e", 4)]


@pytest.mark.parametrize("text", ["[" * 100_000, "- " * 100_000 + "x", "{a: " * 100_000])
def test_yaml_deep_nesting_is_an_error(text: str) -> None:
    doc = parse_document("yaml", text)  # libyaml's own composer would crash the process on these
    assert doc.data is None and doc.errors


# ------------------------------------------------------------------------------------------------- JSON

APPSETTINGS = """\ufeff{
  "Aelix": {
    "ClientId": "cli_123",
    "ClientSecret": "s3cret",
    "Scopes": ["payments:write", "accounts:read"],
    "TimeoutSeconds": 30,
    "Verify": true,
    "Proxy": null,
    "Nested": [{"k": 1.5}, []]
  },
  "Esc\\u00e9": "\\"q\\""
}
"""


def test_json_positions() -> None:
    doc = parse_document("json", APPSETTINGS, "appsettings.json")
    assert doc.errors == ()
    got = by_path(doc)
    assert loc(got[("Aelix", "ClientSecret")]) == (4, 21, 4, 29)
    assert got[("Aelix", "ClientSecret")].quoted
    assert got[("Aelix", "Scopes", "1")].value == "accounts:read"
    assert loc(got[("Aelix", "Scopes", "1")])[:2] == (5, 34)
    assert (got[("Aelix", "TimeoutSeconds")].value, got[("Aelix", "TimeoutSeconds")].quoted) == (30, False)
    assert got[("Aelix", "Verify")].value is True
    assert got[("Aelix", "Proxy")].value is None
    assert got[("Aelix", "Nested", "0", "k")].value == 1.5
    assert got[("Escé",)].value == '"q"'
    assert doc.data == json.loads(APPSETTINGS.lstrip("\ufeff"))
    assert len(doc.entries) == 9


def test_json_errors() -> None:
    broken = parse_document("json", '{"client_secret": "hunter2",\n "b": [1,, 2]}')
    assert broken.errors == ("JSON parse error at line 2, column 10: expecting value",)
    assert [e.key_path for e in broken.entries] == [("client_secret",), ("b", "0")]
    assert broken.data is None
    assert parse_document("json", "").errors == ("JSON parse error at line 1, column 1: expecting value",)
    assert "extra data" in parse_document("json", "{} {}").errors[0]
    unterminated = parse_document("json", '{"secret": "hunter2')
    assert unterminated.errors and "hunter2" not in unterminated.errors[0]


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000, "[" * 501 + "]" * 501])
def test_json_deep_nesting_is_an_error(text: str) -> None:
    doc = parse_document("json", text)
    assert doc.data is None and "deeper than 500" in doc.errors[0]


def test_json_scalar_root_and_duplicate_keys() -> None:
    assert [(e.key_path, e.value) for e in parse_document("json", ' "x" ').entries] == [((), "x")]
    dup = parse_document("json", '{"a": 1, "a": 2}')
    assert [e.value for e in dup.entries] == [1, 2] and dup.data == {"a": 2}


# ------------------------------------------------------------------------------------------------- TOML

PYPROJECT = """\
title = "demo"

[tool.aelix]
client_id = "cli_123"   # public
client_secret = 's3cret'
"token.url" = "https://auth.example.com/oauth2/token"
retry.max = 3
scopes = [
  "payments:write",
  "accounts:read",
]
auth = { user = "u", password = "p" }
rotated = 2024-05-01
notes = \"\"\"
multi
line\"\"\"

[[tool.aelix.profiles]]
name = "sandbox"
[tool.aelix.profiles.headers]
x-api-key = "k1"
[[tool.aelix.profiles]]
name = "live"
"""


def test_toml_positions() -> None:
    doc = parse_document("toml", PYPROJECT, "pyproject.toml")
    assert doc.errors == ()
    got = by_path(doc)
    aelix = ("tool", "aelix")
    assert loc(got[aelix + ("client_id",)]) == (4, 13, 4, 22)
    assert (got[aelix + ("client_secret",)].value, got[aelix + ("client_secret",)].line) == ("s3cret", 5)
    assert got[aelix + ("token.url",)].line == 6
    assert (got[aelix + ("retry", "max")].value, got[aelix + ("retry", "max")].line) == (3, 7)
    # values inside arrays and inline tables point at their key's value
    assert (got[aelix + ("scopes", "1")].value, got[aelix + ("scopes", "1")].line) == ("accounts:read", 8)
    assert (got[aelix + ("auth", "password")].line, got[aelix + ("auth", "password")].column) == (12, 8)
    assert got[aelix + ("rotated",)].value == datetime.date(2024, 5, 1)
    assert loc(got[aelix + ("notes",)]) == (14, 9, 16, 8)
    assert got[aelix + ("profiles", "0", "name")].line == 19
    assert got[aelix + ("profiles", "0", "headers", "x-api-key")].line == 21
    assert got[aelix + ("profiles", "1", "name")].line == 23
    assert doc.data["tool"]["aelix"]["profiles"][1] == {"name": "live"}


def test_toml_error_recovers_simple_values() -> None:
    doc = parse_document("toml", 'a = "ok"\nb = = broken\nclient_secret = "hunter2"\n')
    assert doc.data is None
    assert doc.errors == ("TOML parse error: Invalid value (at line 2, column 5)",)
    assert [(e.key_path, e.value, e.line) for e in doc.entries] == [
        (("a",), "ok", 1),
        (("client_secret",), "hunter2", 3),
    ]


# -------------------------------------------------------------------------------------------------- INI

SETUP_CFG = """\
; top comment
[metadata]
Name = demo
password: hunter2
[options]
install_requires =
    requests
    # a comment inside the value

    click>=8
[alembic]
sqlalchemy.url = postgresql://app:%(DB_PASS)s@db/app
script_location = migrations
  continued here
"""


def test_ini_positions_and_configparser_semantics() -> None:
    doc = parse_document("ini", SETUP_CFG, "setup.cfg")
    assert doc.errors == ()
    got = by_path(doc)
    assert loc(got[("metadata", "Name")]) == (3, 8, 3, 12)  # case kept
    assert loc(got[("metadata", "password")]) == (4, 11, 4, 18)
    requires = got[("options", "install_requires")]
    assert requires.value == "\nrequests\n\nclick>=8"  # the blank line stays, the comment goes
    assert loc(requires) == (7, 5, 10, 13)  # from the first non-empty piece to the end of the last
    assert got[("alembic", "sqlalchemy.url")].value == "postgresql://app:%(DB_PASS)s@db/app"
    assert got[("alembic", "script_location")].value == "migrations\ncontinued here"
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(SETUP_CFG)
    assert doc.data == {s: dict(parser.items(s)) for s in parser.sections()}


def test_ini_without_sections_and_npmrc_keys() -> None:
    doc = parse_document("ini", "registry=https://r.example\n//r.example/:_authToken=npm_abc\n", ".npmrc")
    assert doc.errors == ()
    assert [(e.key_path, e.value, e.column) for e in doc.entries] == [
        (("", "registry"), "https://r.example", 10),
        (("", "//r.example/:_authToken"), "npm_abc", 25),
    ]
    pypirc = parse_document("ini", "[pypi]\nusername = __token__\npassword = pypi-AgEI\n", ".pypirc")
    assert {e.key_path: e.value for e in pypirc.entries}[("pypi", "password")] == "pypi-AgEI"


def test_ini_bad_lines_are_one_error() -> None:
    doc = parse_document("ini", "[a]\nk = v\nnot ini\nsecret-ish words\n")
    assert doc.errors == (
        "INI parse error at line 3: expected '[section]' or 'key = value'",
        "and 1 more lines that are neither a section nor a key/value",
    )
    assert [e.value for e in doc.entries] == ["v"]


# ------------------------------------------------------------------------------------------- Dockerfile

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
ARG VERSION
ARG AELIX_CLIENT_ID=cli_123 BUILD=1
env AELIX_CLIENT_SECRET="s3 cret" \\
    # comment lines inside a continuation are dropped
    TOKEN=tok\\ en \\
    TOKEN_URL=https://auth.example.com/oauth2/token
ENV LEGACY_SECRET value with spaces
RUN <<EOF
ENV NOT_AN_INSTRUCTION=1
EOF
Env AFTER='x'
"""


def test_dockerfile_env_and_arg() -> None:
    doc = parse_document("dockerfile", DOCKERFILE, "Dockerfile")
    assert doc.errors == ()
    got = by_path(doc)
    assert list(got) == [
        ("ARG", "AELIX_CLIENT_ID"),
        ("ARG", "BUILD"),
        ("ENV", "AELIX_CLIENT_SECRET"),
        ("ENV", "TOKEN"),
        ("ENV", "TOKEN_URL"),
        ("ENV", "LEGACY_SECRET"),
        ("ENV", "AFTER"),
    ]
    assert loc(got[("ARG", "AELIX_CLIENT_ID")]) == (4, 21, 4, 28)
    secret = got[("ENV", "AELIX_CLIENT_SECRET")]
    assert (secret.value, secret.quoted) == ("s3 cret", True)
    assert loc(secret) == (5, 25, 5, 34)
    assert (got[("ENV", "TOKEN")].value, got[("ENV", "TOKEN")].line, got[("ENV", "TOKEN")].column) == ("tok en", 7, 11)
    assert got[("ENV", "TOKEN_URL")].line == 8  # the physical line where the value starts
    assert got[("ENV", "LEGACY_SECRET")].value == "value with spaces"
    assert (got[("ENV", "AFTER")].value, got[("ENV", "AFTER")].line) == ("x", 13)
    assert doc.data["ARG"] == {"AELIX_CLIENT_ID": "cli_123", "BUILD": "1"}


def test_dockerfile_escape_directive() -> None:
    doc = parse_document("dockerfile", "# escape=`\nFROM x\nENV A=1 `\n    B=2\n")
    assert [(e.key_path, e.value, e.line) for e in doc.entries] == [(("ENV", "A"), "1", 3), (("ENV", "B"), "2", 4)]


# -------------------------------------------------------------------------------------------------- HCL

TERRAFORM = """\
# rotation for the Aelix client secret
variable "aelix_client_secret" {
  type    = string
  default = "s3cret-${var.env}"
}

resource "aws_secretsmanager_secret_rotation" "this" {
  secret_id           = aws_secretsmanager_secret.aelix.id
  rotation_lambda_arn = aws_lambda_function.rotate.arn

  rotation_rules {
    automatically_after_days = 30
  }

  tags = {
    Name     = "aelix"
    "team"   = 7
  }
  scopes = ["payments:write",
            "accounts:read"]
  note = <<EOT
hello
EOT
}
"""


def test_hcl_rotation_resource_lines() -> None:
    doc = parse_document("hcl", TERRAFORM, "rotation.tf")
    assert doc.errors == ()
    got = by_path(doc)
    res = ("resource", "aws_secretsmanager_secret_rotation", "this")
    days = got[res + ("rotation_rules", "automatically_after_days")]
    assert (days.value, *loc(days)) == (30, 12, 32, 12, 34)
    default = got[("variable", "aelix_client_secret", "default")]
    assert (default.value, default.quoted, default.line, default.column) == ("s3cret-${var.env}", True, 4, 13)
    kind = got[("variable", "aelix_client_secret", "type")]
    assert (kind.value, kind.quoted) == ("string", False)  # a bare type expression, not a string
    secret_id = got[res + ("secret_id",)]
    assert (secret_id.value, secret_id.line) == ("${aws_secretsmanager_secret.aelix.id}", 8)
    assert (got[res + ("tags", "Name")].value, got[res + ("tags", "Name")].line) == ("aelix", 16)
    assert (got[res + ("tags", "team")].value, got[res + ("tags", "team")].line) == (7, 17)
    assert (got[res + ("scopes", "1")].value, got[res + ("scopes", "1")].line) == ("accounts:read", 20)
    assert (got[res + ("note",)].value, got[res + ("note",)].line) == ("hello\n", 21)
    body = doc.data["resource"][0]["aws_secretsmanager_secret_rotation"]["this"]
    assert body["rotation_rules"][0]["automatically_after_days"] == 30
    assert (body["__start_line__"], body["__end_line__"]) == (7, 24)
    assert "__is_block__" not in json.dumps(doc.data)


def test_hcl_blocks() -> None:
    blocks = hcl_blocks(parse_document("hcl", TERRAFORM))
    assert [(b.block_type, b.labels, b.start_line, b.end_line) for b in blocks] == [
        ("variable", ("aelix_client_secret",), 2, 5),
        ("resource", ("aws_secretsmanager_secret_rotation", "this"), 7, 24),
        ("rotation_rules", (), 11, 13),
    ]
    rotation = blocks[1]
    assert isinstance(rotation, HclBlock)
    assert rotation.attributes["rotation_rules"][0]["automatically_after_days"] == 30
    assert "__start_line__" not in rotation.attributes
    assert blocks[2].path == ("resource", "aws_secretsmanager_secret_rotation", "this", "rotation_rules")
    top_level = hcl_blocks(parse_document("hcl", TERRAFORM), nested=False)
    assert [b.block_type for b in top_level] == ["variable", "resource"]
    assert hcl_blocks(parse_document("yaml", "a: 1")) == []


def test_hcl_tfvars_and_repeated_blocks() -> None:
    doc = parse_document("hcl", 'client_secret = "abc"\ningress {\n  port = 80\n}\ningress {\n  port = 443\n}\n')
    assert [(e.key_path, e.value, e.line) for e in doc.entries] == [
        (("client_secret",), "abc", 1),
        (("ingress", "port"), 80, 3),
        (("ingress", "port"), 443, 6),
    ]


def test_hcl_strings_heredocs_and_escapes() -> None:
    text = (
        'a = "lit$${x} \\"q\\""\n'
        "b = <<-EOT\n    {\"k\": \"v\"}\n      indented\n  EOT\n"
        'c = var.on ? "x" : "y"\n'
        'd = "after"\n'
    )
    doc = parse_document("hcl", text)
    assert doc.errors == ()
    assert [(e.key_path, e.value, e.line, e.quoted) for e in doc.entries] == [
        (("a",), 'lit$${x} "q"', 1, True),
        (("b",), '{"k": "v"}\n  indented\n', 2, True),  # <<- drops the common indent, as Terraform does
        (("c",), '${var.on ? "x" : "y"}', 6, False),
        (("d",), "after", 7, True),
    ]


def test_hcl_attribute_defined_twice_is_an_error() -> None:
    # Terraform rejects the file (keeping the last value silently would hide the first). Both literals are reported.
    doc = parse_document("hcl", 'client_secret = "first"\nclient_secret = "second"\n')
    assert doc.errors == ("HCL error at line 2: attribute defined twice in one block",)
    assert [(e.value, e.line) for e in doc.entries] == [("first", 1), ("second", 2)]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('a = "x" "y"\n', "HCL parse error at line 1, column 9: unexpected token"),
        ("a = b +\nc = 1\n", "HCL parse error at line 2, column 1: unexpected token"),
        ("a =\n", "HCL parse error at line 1, column 4: unexpected token"),
        ('a = 1 )\n', "HCL parse error at line 1, column 7: unexpected token"),
        ('resource "x" {\n  a = 1\n', "HCL parse error at line 3, column 1: unexpected end of input"),
        ("@ = 1\n", "HCL parse error at line 1, column 1: unexpected character"),
    ],
)
def test_hcl_syntax_errors_are_reported_with_their_position(text: str, error: str) -> None:
    assert parse_document("hcl", text).errors == (error,)


def test_hcl_values_in_python_hcl2_shape() -> None:
    text = (
        'z = [1, 2.5, true, null, "s", -1]\n'
        'w = {a = 1, "b" = [2, {c = "d"}]}\n'
        'x = [for s in var.list : upper(s)]\n'
        'u = file("${path.module}/x")\n'
        't = local.a[0]\n'
        'e = "\\u00e9\\t${var.x}"\n'
        'k = string\n'
        's = aws_instance.web.*.id\n'
    )
    doc = parse_document("hcl", text)
    assert doc.errors == ()
    assert doc.data == {
        "z": [1, 2.5, True, None, "s", -1],
        "w": {"a": 1, "b": [2, {"c": "d"}]},
        "x": "${[for s in var.list : upper(s)]}",
        "u": '${file("${path.module}/x")}',
        "t": "${local.a[0]}",
        "e": "\u00e9\t${var.x}",
        "k": "string",
        "s": "${aws_instance.web.*.id}",
    }


def test_hcl_parse_error_recovers_string_literals() -> None:
    doc = parse_document("hcl", 'resource "a" "b" {\n  password = "p@ss"\n  broken = = 1\n}\n')
    assert doc.errors == ("HCL parse error at line 3, column 12: unexpected token",)
    assert [(e.key_path, e.value, e.line) for e in doc.entries] == [(("resource", "a", "b", "password"), "p@ss", 2)]
    assert doc.data is None


# ------------------------------------------------------------------------------------------ classification


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".env", "dotenv"),
        ("svc/.env.production", "dotenv"),
        (".env.example", "dotenv"),
        ("config/prod.env", "dotenv"),
        (".flaskenv", "dotenv"),
        (".env.yaml", "yaml"),
        ("docker-compose.yml", "yaml"),
        ("chart/values.YAML", "yaml"),
        ("appsettings.json", "json"),
        ("main.tf.json", "json"),
        ("pyproject.toml", "toml"),
        ("Pipfile", "toml"),
        ("setup.cfg", "ini"),
        ("alembic.ini", "ini"),
        ("home/.pypirc", "ini"),
        (".npmrc", "ini"),
        ("Dockerfile", "dockerfile"),
        ("docker/Dockerfile.prod", "dockerfile"),
        ("api.dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("infra/main.tf", "hcl"),
        ("prod.tfvars", "hcl"),
        ("terragrunt.hcl", "hcl"),
        ("nginx.conf", None),
        ("terraform.tfstate", None),
        ("client.py", None),
        ("README.md", None),
        ("environment.py", None),
        ("", None),
    ],
)
def test_classify_config_kind(path: str, kind: str | None) -> None:
    assert classify_config_kind(path) == kind


# ------------------------------------------------------------------------------------------- robustness


def test_unknown_kind_is_an_error_not_an_exception() -> None:
    assert parse_document("xml", "<a/>").errors == ("unknown document kind 'xml'",)


@pytest.mark.parametrize("kind", KINDS)
def test_empty_and_whitespace(kind: str) -> None:
    for text in ("", "\n\n", "   "):
        doc = parse_document(kind, text)
        assert doc.kind == kind and doc.entries == ()


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("dotenv", 'SECRET="Zq9sEcReT'),
        ("yaml", "a: Zq9sEcReT: b\n"),
        ("yaml", 'a: "Zq9sEcReT\\q"\n'),
        ("yaml", "a: *Zq9sEcReT\n"),
        ("yaml", "a: Zq9sEcReT\x00\n"),
        ("json", '{"a": "Zq9sEcReT\\q"}'),
        ("json", '{"a": Zq9sEcReT}'),
        ("toml", "a = Zq9sEcReT\n"),
        ("toml", 'a = "Zq9sEcReT'),
        ("ini", "Zq9sEcReT\n"),
        ("hcl", 'a = "Zq9sEcReT" "x"\n'),
        ("hcl", "a = Zq9sEcReT +\n"),
        ("hcl", 'a = "Zq9sEcReT"\na = "dup"\n'),
        ("hcl", 'm = { k = "Zq9sEcReT", k = "dup" }\n'),
    ],
)
def test_errors_never_quote_file_content(kind: str, text: str) -> None:
    doc = parse_document(kind, text)
    assert doc.errors, "the input is broken on purpose"
    assert not any("Zq9sEcReT" in message for message in doc.errors)


_GARBAGE = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")),
    st.text(alphabet=st.sampled_from(list('{}[]()"\'=:,#;\\$<>-!&*|\n\t abcKEY_=01.`/')), max_size=200),
)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_GARBAGE)
def test_parse_document_never_raises(kind: str, text: str) -> None:
    doc = parse_document(kind, text, "fuzz")
    assert isinstance(doc, Document) and doc.kind == kind
    assert all(isinstance(e, Entry) and e.line >= 1 and e.column >= 1 for e in doc.entries)
    assert all(isinstance(message, str) and len(message) < 300 for message in doc.errors)
    if doc.errors:
        assert doc.data is None


def test_hcl_literals_shared_by_the_document_scanner_and_the_rotation_reader() -> None:
    from checker.documents import hcl_literal
    from rules._analysis.iac import hcl_value

    assert [hcl_literal(t) for t in ("90", "-3", "2.5", "1e3", "true", "false", "null")] == [
        (True, 90), (True, -3), (True, 2.5), (True, 1000.0), (True, True), (True, False), (True, None)]
    assert [hcl_literal(t) for t in ("1.", '"90"', "var.days", "nulls")] == [(False, None)] * 4
    assert hcl_value("90") == 90 and hcl_value("true") is True and hcl_value("null") is None
