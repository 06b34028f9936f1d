"""OAuth client libraries: refresh margins by library (DOMAIN.md Appendix A) and dependency pins
whose defaults refresh too late (OA502).

``pin_findings(path, text)`` reads ``requirements*.txt``, ``pyproject.toml``, ``setup.cfg``,
``Pipfile``, ``poetry.lock`` and ``uv.lock`` line by line and reports pins that only allow versions
with a short refresh threshold: authlib < 1.3.2 (no leeway: 0 s) and google-auth < 2.24
(``REFRESH_THRESHOLD`` 20 s, 10 s in 1.x; 300 s in 2.11.x, which we do not treat specially).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass



@dataclass(frozen=True)
class LibraryDefault:
    """A library's refresh margin before expiry and the knob that sets it."""

    library: str
    knob: str
    default_seconds: float
    note: str


# Appendix A of DOMAIN.md (seconds; >= 60 passes).
DEFAULT_MARGINS: dict[str, LibraryDefault] = {
    "httpx-auth": LibraryDefault("httpx-auth", "early_expiry", 30, "any falsy value (including 0) becomes 30"),
    "requests-auth": LibraryDefault("requests-auth", "early_expiry", 30, "any falsy value (including 0) becomes 30"),
    "requests-oauth2client": LibraryDefault("requests-oauth2client", "leeway", 20, "OAuth2ClientCredentialsAuth leeway"),
    "authlib": LibraryDefault("authlib", "leeway", 60, "60 since 1.3.2; 0 in 1.3.1 and older"),
    "apimatic": LibraryDefault("apimatic", "o_auth_clock_skew", 0, "unset means 0"),
    "requests-oauthlib": LibraryDefault("requests-oauthlib", "-", 0, "reactive only: TokenExpiredError after expiry"),
    "msal": LibraryDefault("msal", "-", 300, "refreshes from its cache 5 minutes early"),
    "azure-identity": LibraryDefault("azure-identity", "-", 300, "DEFAULT_REFRESH_OFFSET"),
    "google-auth": LibraryDefault("google-auth", "REFRESH_THRESHOLD", 225, "225 since 2.24.0; 20 in 2.0-2.23"),
}


@dataclass(frozen=True)
class PinRule:
    """A distribution whose versions below ``first_good`` refresh with a short margin."""

    names: frozenset[str]  # normalised distribution names
    first_good: str
    message: str


PIN_RULES: tuple[PinRule, ...] = (
    PinRule(
        frozenset({"authlib"}),
        "1.3.2",
        "authlib pinned below 1.3.2, whose OAuth2 clients renew tokens with 0 s leeway (60 s from 1.3.2)",
    ),
    PinRule(
        frozenset({"google-auth"}),
        "2.24.0",
        "google-auth pinned below 2.24, whose credentials refresh only 20 s before expiry (225 s from 2.24.0)",
    ),
)

# Later versions we probe to decide whether a specifier still allows a fixed release.
_PROBES: dict[str, tuple[str, ...]] = {
    "1.3.2": ("1.3.2", "1.3.3", "1.4.0", "1.5.0", "1.6.0", "1.9.10", "2.0.0", "3.0.0", "99.0"),
    "2.24.0": ("2.24.0", "2.25.0", "2.30.0", "2.40.0", "2.63.0", "3.0.0", "99.0"),
}
_OLD_PROBES: dict[str, tuple[str, ...]] = {
    "1.3.2": ("0.15.5", "1.0.0", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1"),
    "2.24.0": ("1.35.0", "2.0.0", "2.6.0", "2.11.0", "2.16.0", "2.20.0", "2.22.0", "2.23.4"),
}


def normalise_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:4])


def _allows(spec: str, version: str) -> bool | None:
    """Whether ``version`` satisfies ``spec`` (None when the spec is not understood)."""
    try:  # imported here: only dependency files need it, and every scan imports this module
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pragma: no cover - packaging is installed with pip; a small comparator otherwise
        return _fallback_allows(spec, version)
    try:
        return SpecifierSet(spec, prereleases=False).contains(Version(version))
    except (InvalidSpecifier, InvalidVersion, TypeError):
        return None


def _fallback_allows(spec: str, version: str) -> bool | None:  # pragma: no cover - no packaging
    have = _version_tuple(version)
    for clause in (c.strip() for c in spec.split(",") if c.strip()):
        match = re.match(r"^(==|!=|<=|>=|<|>|~=)\s*([0-9][0-9.*]*)$", clause)
        if not match:
            return None
        op, text = match.groups()
        want = _version_tuple(text.replace("*", "0"))
        ok = {"==": have[: len(want)] == want, "!=": have[: len(want)] != want, "<=": have <= want, ">=": have >= want,
              "<": have < want, ">": have > want, "~=": have >= want and have[: len(want) - 1] == want[: len(want) - 1]}[op]
        if not ok:
            return False
    return True


def pins_short_default(spec: str, rule: PinRule) -> bool:
    """True when ``spec`` allows some old version and no version from ``first_good`` on."""
    spec = spec.strip()
    if not spec:
        return False
    probes = _PROBES[rule.first_good]
    allowed_new = [_allows(spec, v) for v in probes]
    if any(a is None for a in allowed_new) or any(allowed_new):
        return False
    return any(_allows(spec, v) for v in _OLD_PROBES[rule.first_good])


def _rule_for(name: str) -> PinRule | None:
    norm = normalise_name(name)
    for rule in PIN_RULES:
        if norm in rule.names:
            return rule
    return None


@dataclass(frozen=True)
class PinFinding:
    line: int
    column: int
    end_column: int
    message: str


_REQ_LINE = re.compile(
    r"""(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?|===)\s*[^;#\s"',\]]+(?:\s*,\s*(?:[<>=!~]=?)\s*[^;#\s"',\]]+)*)"""
)
_TOML_ASSIGN = re.compile(r"""^\s*"?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)"?\s*=\s*(?P<value>.+)$""")
_LOCK_NAME = re.compile(r"""^\s*name\s*=\s*"(?P<name>[^"]+)"\s*$""")
_LOCK_VERSION = re.compile(r"""^\s*version\s*=\s*"(?P<version>[^"]+)"\s*$""")


def dependency_file(path: str) -> str | None:
    """The dependency-file flavour of ``path`` or None when it is not one we read."""
    name = posixpath.basename(path).lower()
    parent = posixpath.basename(posixpath.dirname(path)).lower()
    if name.endswith(".txt") and ("requirement" in name or name.startswith(("constraints", "requirements")) or parent == "requirements"):
        return "requirements"
    if name in ("requirements.in", "constraints.txt") or (name.endswith(".in") and "requirement" in name):
        return "requirements"
    if name == "pyproject.toml":
        return "pyproject"
    if name == "setup.cfg":
        return "setupcfg"
    if name == "pipfile":
        return "pipfile"
    if name in ("poetry.lock", "uv.lock", "pdm.lock"):
        return "lock"
    return None


def _poetry_constraint(value: str) -> str | None:
    """Poetry/Pipfile value (``"^1.2"``, ``"~1.2"``, ``"==1.2.1"``, ``{version = "<1.3"}``) -> PEP 440."""
    match = re.search(r"""version\s*=\s*["']([^"']+)["']""", value) if "{" in value else re.match(r"""\s*["']([^"']+)["']""", value)
    if not match:
        return None
    text = match.group(1).strip()
    if text == "*":
        return None
    if text.startswith("^"):
        base = _version_tuple(text[1:])
        if not base:
            return None
        bump = next((i for i, p in enumerate(base) if p != 0), len(base) - 1)
        upper = list(base[: bump + 1])
        upper[-1] += 1
        return f">={text[1:]},<{'.'.join(map(str, upper))}"
    if text.startswith("~") and not text.startswith("~="):
        base = _version_tuple(text[1:])
        if not base:
            return None
        upper = [base[0], base[1] + 1] if len(base) > 1 else [base[0] + 1]
        return f">={text[1:]},<{'.'.join(map(str, upper))}"
    if re.match(r"^\d", text):
        return "==" + text
    return text


def pin_findings(path: str, text: str) -> list[PinFinding]:
    """Pins of authlib / google-auth that only allow versions with a short refresh margin."""
    flavour = dependency_file(path)
    if flavour is None:
        return []
    lines = text.splitlines()
    if flavour == "lock":
        return _lock_findings(lines)
    out: list[PinFinding] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.split("#", 1)[0] if flavour in ("requirements", "setupcfg") else line
        if not stripped.strip():
            continue
        out.extend(_requirement_findings(number, line, stripped))
        if flavour in ("pyproject", "pipfile"):
            out.extend(_table_findings(number, line))
    return _dedupe(out)


def _requirement_findings(number: int, line: str, text: str) -> list[PinFinding]:
    found = []
    for match in _REQ_LINE.finditer(text):
        rule = _rule_for(match.group("name"))
        if rule is None:
            continue
        # the name must start a requirement (not be part of a URL or another word)
        start = match.start("name")
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_./"):
            continue
        spec = re.sub(r"\s+", "", match.group("spec"))
        if pins_short_default(spec, rule):
            found.append(PinFinding(number, start + 1, match.end("spec") + 1, rule.message))
    return found


def _table_findings(number: int, line: str) -> list[PinFinding]:
    match = _TOML_ASSIGN.match(line)
    if not match:
        return []
    rule = _rule_for(match.group("name"))
    if rule is None:
        return []
    spec = _poetry_constraint(match.group("value"))
    if spec and pins_short_default(spec, rule):
        return [PinFinding(number, match.start("name") + 1, len(line.rstrip()) + 1, rule.message)]
    return []


def _lock_findings(lines: list[str]) -> list[PinFinding]:
    out: list[PinFinding] = []
    current: PinRule | None = None
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith("[["):
            current = None
            continue
        name = _LOCK_NAME.match(line)
        if name:
            current = _rule_for(name.group("name"))
            continue
        version = _LOCK_VERSION.match(line)
        if version and current is not None:
            if pins_short_default("==" + version.group("version"), current):
                col = line.find(version.group("version")) + 1
                out.append(PinFinding(number, col, col + len(version.group("version")), current.message))
            current = None
    return out


def _dedupe(findings: list[PinFinding]) -> list[PinFinding]:
    seen: set[tuple[int, str]] = set()
    out = []
    for f in findings:
        if (f.line, f.message) not in seen:
            seen.add((f.line, f.message))
            out.append(f)
    return out
