"""Hypothesis strategies for hostile inputs: random Python programs (via ``ast.unparse``), structured
config documents of every kind, odd encodings and line endings, and planted secrets."""

from __future__ import annotations

import base64
import json
import string
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.grammar import python_from_bytes

# --- Python ---------------------------------------------------------------------------------------

URLS = st.sampled_from(
    (
        "http://auth.example.com/oauth/token",
        "https://auth.example.com/oauth2/token",
        "http://localhost:8080/token",
        "https://api.aelix.io/v1/accounts",
        "http://{host}/token",
        "ftp://x",
        "",
    )
)



def secret_like() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=string.ascii_letters + string.digits, min_size=16, max_size=48),
        st.sampled_from(("changeme", "<your-secret>", "${CLIENT_SECRET}", "xxx", "dummy", "test")),
    )


python_programs: st.SearchStrategy[str] = st.binary(min_size=1, max_size=400).map(python_from_bytes)

# --- pathological Python ----------------------------------------------------------------------------


@st.composite
def pathological_python(draw: st.DrawFn) -> str:
    """Deep nesting, huge literals and long concatenation chains, all of them legal or almost legal."""
    # Sizes stay below where libcst's native parser turns super-linear (~1 s per file here); the
    # 3000+ chains and 800-deep nestings are in test_resource_bounds.py, run under a hard timeout.
    depth = draw(st.integers(min_value=20, max_value=150))
    length = draw(st.integers(min_value=100, max_value=500))
    shape = draw(
        st.sampled_from(
            ("parens", "lists", "calls", "dicts", "attrs", "concat", "concat_names", "fstring_concat", "ifs", "big_int", "big_str", "big_float", "lambda", "subscripts", "unary", "comparisons")
        )
    )
    if shape == "parens":
        body = "(" * depth + "1" + ")" * depth
    elif shape == "lists":
        body = "[" * depth + "]" * depth
    elif shape == "calls":
        body = "requests.post(" * depth + "'http://x/token'" + ")" * depth
    elif shape == "dicts":
        body = '{"client_secret": ' * depth + '"Zk3P9qLm2Xv8Rt5Wb7Nc4Hd6"' + "}" * depth
    elif shape == "attrs":
        body = "session" + ".token" * length
    elif shape == "concat":
        body = " + ".join(["'ab'"] * length)
    elif shape == "concat_names":
        body = " + ".join(["token", "'Bearer '"] * (length // 2))
    elif shape == "fstring_concat":
        body = " + ".join(["f'{access_token}'"] * length)
    elif shape == "ifs":
        levels = min(depth, 99)  # CPython's tokenizer limit is 100 indentation levels
        lines = [" " * i + "if token:" for i in range(levels)]
        return "\n".join(lines) + "\n" + " " * levels + "print(token)\n"
    elif shape == "big_int":
        body = "9" * length
    elif shape == "big_str":
        body = "'" + "x" * (length * 100) + "'"
    elif shape == "big_float":
        body = "1" * length + ".5e" + "9" * 6
    elif shape == "lambda":
        body = "lambda: " * depth + "token"
    elif shape == "subscripts":
        body = "data" + "['access_token']" * length
    elif shape == "unary":
        body = "-" * depth + "1"
    else:
        body = " < ".join(["expires_in"] * length)
    target = draw(st.sampled_from(("CLIENT_SECRET = ", "token = ", "log.info(", "x = ")))
    close = ")" if target.endswith("(") else ""
    return "import requests, logging\nlog = logging.getLogger()\n" + target + body + close + "\n"


# --- config documents -----------------------------------------------------------------------------

KEYS = st.sampled_from(
    ("client_secret", "CLIENT_SECRET", "api_key", "password", "token_url", "url", "verify_ssl", "scope", "name", "image",
     "environment", "services", "env", "value", "secretKeyRef", "rotation_days", "AUTH_URL", "x", "0", "", "a b", "ключ", "🔑")
)
SCALARS = st.one_of(st.text(max_size=30), secret_like(), URLS, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False))

json_values = st.recursive(SCALARS, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(KEYS, c, max_size=4)), max_leaves=20)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """YAML with anchors, aliases, merge keys, tags (incl. python tags) and multi-document streams."""
    lines: list[str] = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        key = draw(KEYS).replace(":", "") or "k"
        choice = draw(st.integers(min_value=0, max_value=9))
        value = json.dumps(draw(SCALARS))
        if choice == 0:
            lines.append(f"{key}{i}: &a{i} {{inner: {value}}}")
        elif choice == 1 and i:
            lines.append(f"{key}{i}: *a{draw(st.integers(0, i - 1))}")
        elif choice == 2 and i:
            lines.append(f"m{i}:\n  <<: *a{draw(st.integers(0, i - 1))}\n  extra: {value}")
        elif choice == 3:
            tag = draw(st.sampled_from(("!!python/object/apply:os.system", "!!python/name:os.system", "!Ref", "!Sub", "!!binary", "!!str", "!!int", "!vault", "!!set", "!!omap", "!!timestamp")))
            lines.append(f"{key}{i}: {tag} {value}")
        elif choice == 4:
            lines.append(f"{key}{i}: |\n  {value}\n  second line")
        elif choice == 5:
            lines.append(f"- {key}{i}={value}")
        elif choice == 6:
            lines.append("---")
        elif choice == 7:
            lines.append(f"{key}{i}:\n  - name: CLIENT_SECRET\n    value: {value}")
        else:
            lines.append(f"{json.dumps(key)}: {value}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if key and all(c.isalnum() or c in "_-" for c in key) and key.isascii() else json.dumps(key)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for i in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines.append(f"[{_toml_key(draw(KEYS))}{i}]" if draw(st.booleans()) else "[[tool.credlint.secrets]]")
        value = draw(st.one_of(st.text(max_size=20).map(json.dumps), st.integers(-10**6, 10**6).map(str), st.sampled_from(("true", "1979-05-27", '"""multi\nline"""', "[1, 2]", '{a = "b"}', "inf", "'lit'"))))
        lines.append(f"{_toml_key(draw(KEYS))} = {value}")
    return "\n".join(lines) + "\n"


@st.composite
def ini_documents(draw: st.DrawFn) -> str:
    lines = []
    for i in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines.append(f"[{draw(st.sampled_from(('auth', 'default', 'oauth:prod', 'DEFAULT', '')))}]")
        sep = draw(st.sampled_from(("=", ":", " = ", ": ")))
        lines.append(f"{draw(KEYS)}{sep}{draw(st.text(alphabet=string.printable.replace(chr(10), '').replace(chr(13), ''), max_size=30))}")
        if draw(st.booleans()):
            lines.append("    continued value")
    return "\n".join(lines) + "\n"


@st.composite
def dotenv_documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(("CLIENT_SECRET", "API_KEY", "TOKEN_URL", "AUTH_URL", "VERIFY_SSL", "OAUTH_SCOPE", "X")))
        value = draw(st.text(alphabet=string.printable.replace("\n", ""), max_size=30))
        form = draw(st.sampled_from(('{k}={v}', '{k}="{v}"', "{k}='{v}'", "export {k}={v}", "{k} = {v} # c", '{k}="{v}\nmore"')))
        lines.append(form.format(k=key, v=value))
    return "\n".join(lines) + "\n"


@st.composite
def hcl_documents(draw: st.DrawFn) -> str:
    blocks = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(('resource "aws_secretsmanager_secret_rotation" "r"', 'variable "client_secret"', 'locals', 'resource "google_secret_manager_secret" "s"', 'module "m"')))
        attr_names = ("default", "client_secret", "rotation_period", "automatically_after_days", "url", "x")
        attr_values = ("1", "90", '"2592000s"', "var.x", "{ a = 1 }", "[1, 2]", '"${var.y}"')
        attrs = "\n".join(
            f"  {draw(st.sampled_from(attr_names))}{j} = {draw(st.sampled_from(attr_values))}" for j in range(draw(st.integers(0, 4)))
        )
        rules = "\n  rotation_rules {\n    automatically_after_days = 180\n  }" if draw(st.booleans()) else ""
        blocks.append(f"{kind}{i if kind == 'locals' else ''} {{\n{attrs}{rules}\n}}")
    return "\n".join(blocks) + "\n"


@st.composite
def dockerfile_documents(draw: st.DrawFn) -> str:
    lines = ["FROM python:3.12-slim"]
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(("CLIENT_SECRET", "API_KEY", "TOKEN_URL", "PYTHONHTTPSVERIFY", "X")))
        value = draw(st.text(alphabet=string.ascii_letters + string.digits + ":/._-", max_size=30))
        form = draw(st.sampled_from(("ENV {k}={v}", "ENV {k} {v}", 'ARG {k}="{v}"', "ENV {k}={v} \\\n    OTHER=1", "RUN curl -k https://{v}", "# {k}={v}")))
        lines.append(form.format(k=key, v=value))
    return "\n".join(lines) + "\n"


structured_files = st.one_of(
    python_programs.map(lambda s: ("app/client.py", s)),
    json_values.map(lambda v: ("appsettings.json", json.dumps(v, indent=draw_indent(v)))),
    yaml_documents().map(lambda s: ("deploy/docker-compose.yml", s)),
    yaml_documents().map(lambda s: ("config/settings.yaml", s)),
    toml_documents().map(lambda s: ("pyproject.toml", s)),
    ini_documents().map(lambda s: ("setup.cfg", s)),
    dotenv_documents().map(lambda s: (".env", s)),
    hcl_documents().map(lambda s: ("infra/main.tf", s)),
    dockerfile_documents().map(lambda s: ("Dockerfile", s)),
)


def draw_indent(value: Any) -> int | None:
    return 2 if isinstance(value, (dict, list)) else None


# --- byte-level perturbations ---------------------------------------------------------------------

BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@st.composite
def perturbed(draw: st.DrawFn, text: str) -> bytes:
    """Re-encode ``text`` with odd line endings, tabs, BOMs, encodings, NULs and random byte edits."""
    eol = draw(st.sampled_from(("\n", "\r\n", "\r", "\u2028", "\x0c\n", "\x85")))
    text = text.replace("\n", eol)
    if draw(st.booleans()):
        text = text.replace("    ", "\t")
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig")))
    data = text.encode(encoding, errors="replace")
    data = draw(st.sampled_from(BOMS)) + data
    for _ in range(draw(st.integers(0, 3))):
        edit = draw(st.sampled_from(("insert", "delete", "nul", "truncate")))
        at = draw(st.integers(0, len(data)))
        if edit == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
        elif edit == "delete":
            data = data[:at] + data[at + 1 :]
        elif edit == "nul":
            data = data[:at] + b"\x00" + data[at:]
        else:
            data = data[:at]
    return data


# --- planted secrets --------------------------------------------------------------------------------


@st.composite
def mixed_alnum(draw: st.DrawFn, min_size: int = 16, max_size: int = 64) -> str:
    """Random alphanumeric with at least one upper, lower and digit (the shape real secrets have)."""
    body = draw(st.text(alphabet=string.ascii_letters + string.digits, min_size=min_size - 3, max_size=max_size - 3))
    extra = draw(st.sampled_from(string.ascii_uppercase)) + draw(st.sampled_from(string.ascii_lowercase)) + draw(st.sampled_from(string.digits))
    at = draw(st.integers(0, len(body)))
    return body[:at] + extra + body[at:]


@st.composite
def planted_secrets(draw: st.DrawFn) -> str:
    """Secret values of the shapes credentials take: random alnum/base64/hex (mixed character
    classes), vendor-prefixed keys, JWT-shaped tokens."""
    shape = draw(st.sampled_from(("alnum", "base64", "hex", "ak_live", "jwt", "prefixed")))
    raw = draw(st.binary(min_size=12, max_size=40))
    if shape == "alnum":
        return draw(mixed_alnum())
    if shape == "base64":
        value = base64.b64encode(raw).decode().rstrip("=")
        return value if any(c.isdigit() for c in value) else value + "7"
    if shape == "hex":
        value = raw.hex()[:64]
        return value if any(c.isalpha() for c in value) else value[:-1] + "f"
    if shape == "ak_live":
        return "ak_live_" + draw(mixed_alnum(24, 32))
    if shape == "jwt":
        def seg(n: int) -> str:
            return base64.urlsafe_b64encode(draw(st.binary(min_size=n, max_size=n + 20))).decode().rstrip("=")

        return "eyJ" + seg(18) + "." + "eyJ" + seg(30) + "." + seg(32)
    return draw(st.sampled_from(("sk_live_", "ghp_", "glpat-", "xoxb-", "AKIA"))) + draw(mixed_alnum(20, 36))
