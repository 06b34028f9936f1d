"""Infrastructure-as-code helpers for the rotation rules: HCL blocks with exact lines, CloudFormation
templates as YAML node trees (tags kept), duration parsing and schedule analysis.

Why a block reader here as well as ``checker.documents``' HCL scanner: the rotation rules reason
about blocks (``resource``, nested ``rotation_rules``) and need each attribute's expression as source
text with its exact line, while the document scanner gives config rules values by key path.
Reading blocks and ``name = expression`` attributes only needs strings, heredocs, comments and
bracket nesting right, which ``parse_hcl`` does; expressions are kept as source text and evaluated
by ``hcl_value`` only when they are literals (or ``var.x``/``local.x`` with a literal value in the
same file). Anything else is ``UNKNOWN`` with a reason, never a guess.

Schedules: ``cron_max_gap_days`` computes the longest interval between two firings of an AWS
``cron(...)`` expression by walking the calendar (checkov's CKV_AWS_304 passes every cron; a
``cron(0 0 1 */4 ? *)`` fires every four months, 123 days at worst).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Mapping

from checker.documents import hcl_literal, hcl_string_end

# ---------------------------------------------------------------------------------------------------
# Unknown values


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be resolved statically; ``reason`` is shown in notes (never a value)."""

    reason: str

    def __bool__(self) -> bool:
        return False


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


# ---------------------------------------------------------------------------------------------------
# HCL


@dataclass(frozen=True)
class HclAttribute:
    name: str
    expr: str  # source text of the expression, stripped
    line: int
    column: int
    end_line: int


@dataclass
class HclBlock:
    type: str
    labels: tuple[str, ...]
    line: int
    column: int
    end_line: int
    attributes: dict[str, HclAttribute] = field(default_factory=dict)
    blocks: list["HclBlock"] = field(default_factory=list)

    @property
    def address(self) -> str:
        """``aws_secretsmanager_secret.app`` for resources, ``var.x`` style ids for the rest."""
        if self.type in ("resource", "data") and len(self.labels) >= 2:
            prefix = "data." if self.type == "data" else ""
            return f"{prefix}{self.labels[0]}.{self.labels[1]}"
        return ".".join((self.type, *self.labels))

    def children(self, type_name: str) -> list["HclBlock"]:
        return [b for b in self.blocks if b.type == type_name]

    def child(self, type_name: str) -> "HclBlock | None":
        found = self.children(type_name)
        return found[0] if found else None

    def attr(self, name: str) -> HclAttribute | None:
        return self.attributes.get(name)


@dataclass
class HclFile:
    blocks: list[HclBlock] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def resources(self, resource_type: str | None = None) -> Iterator[HclBlock]:
        for block in self.blocks:
            if block.type == "resource" and len(block.labels) >= 2 and (resource_type is None or block.labels[0] == resource_type):
                yield block

    def variables(self) -> dict[str, Any]:
        """``var.x`` and ``local.x`` with literal values (defaults of ``variable`` blocks, ``locals``)."""
        values: dict[str, Any] = {}
        for block in self.blocks:
            if block.type == "variable" and block.labels:
                default = block.attr("default")
                values[f"var.{block.labels[0]}"] = hcl_value(default.expr) if default else Unknown(f"variable {block.labels[0]} has no default")
            elif block.type == "locals":
                for name, attr in block.attributes.items():
                    values[f"local.{name}"] = hcl_value(attr.expr)
        return values


@dataclass(frozen=True)
class _Tok:
    kind: str  # ident, string, heredoc, number, punct, newline, other
    text: str
    start: int
    end: int


_IDENT_START = re.compile(r"[A-Za-z_]")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n")


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[_Tok] = []

    def run(self) -> list[_Tok]:
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            if c == "\n":
                self._emit("newline", self.pos, self.pos + 1)
            elif c in " \t\r\ufeff":
                self.pos += 1
            elif c == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                self.pos = n if end < 0 else end + 2
            elif c == '"':
                self._emit("string", self.pos, hcl_string_end(text, self.pos))
            elif text.startswith("<<", self.pos) and _HEREDOC.match(text, self.pos):
                self._heredoc()
            elif _IDENT_START.match(c):
                match = _IDENT.match(text, self.pos)
                self._emit("ident", self.pos, match.end() if match else self.pos + 1)
            elif c.isdigit():
                match = _NUMBER.match(text, self.pos)
                self._emit("number", self.pos, match.end() if match else self.pos + 1)
            elif c in "{}[]()=,:?.":
                # "==" / "=>" are operators inside expressions, not an attribute's "="
                if c == "=" and text.startswith(("==", "=>"), self.pos):
                    self._emit("other", self.pos, self.pos + 2)
                else:
                    self._emit("punct", self.pos, self.pos + 1)
            else:
                self._emit("other", self.pos, self.pos + 1)
        return self.tokens

    def _emit(self, kind: str, start: int, end: int) -> None:
        self.tokens.append(_Tok(kind, self.text[start:end], start, end))
        self.pos = max(end, start + 1)

    def _heredoc(self) -> None:
        match = _HEREDOC.match(self.text, self.pos)
        assert match is not None
        marker = match.group(2)
        closing = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*$", re.MULTILINE)
        found = closing.search(self.text, match.end())
        end = len(self.text) if found is None else found.end()
        self._emit("heredoc", self.pos, end)


class _HclParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _Lexer(text).run()
        self.i = 0
        self.errors: list[str] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._line_starts[lo] + 1

    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def body(self, closing: bool) -> tuple[dict[str, HclAttribute], list[HclBlock], int]:
        attributes: dict[str, HclAttribute] = {}
        blocks: list[HclBlock] = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if tok.kind == "newline" or (tok.kind == "punct" and tok.text == ","):
                self.i += 1
                continue
            if tok.kind == "punct" and tok.text == "}":
                if closing:
                    self.i += 1
                    return attributes, blocks, tok.end
                self.errors.append(f"unexpected '}}' at line {self.position(tok.start)[0]}")
                self.i += 1
                continue
            if tok.kind in ("ident", "string"):
                self.item(attributes, blocks)
                continue
            self.errors.append(f"unexpected token at line {self.position(tok.start)[0]}")
            self._skip_line()
        if closing:
            self.errors.append("unterminated block")
        return attributes, blocks, len(self.text)

    def item(self, attributes: dict[str, HclAttribute], blocks: list[HclBlock]) -> None:
        first = self.tokens[self.i]
        nxt = self.peek(1)
        if nxt is not None and nxt.kind == "punct" and nxt.text in "=:":
            self.i += 2
            name = _unquote_label(first.text)
            expr_start, expr_end = self.expression()
            line, column = self.position(first.start)
            end_line = self.position(max(expr_start, expr_end - 1))[0]
            attributes[name] = HclAttribute(name, self.text[expr_start:expr_end].strip(), line, column, end_line)
            return
        # a block: type label* {
        labels: list[str] = []
        j = self.i + 1
        while j < len(self.tokens) and self.tokens[j].kind in ("ident", "string"):
            labels.append(_unquote_label(self.tokens[j].text))
            j += 1
        if j < len(self.tokens) and self.tokens[j].kind == "punct" and self.tokens[j].text == "{":
            self.i = j + 1
            line, column = self.position(first.start)
            attrs, children, end = self.body(closing=True)
            blocks.append(HclBlock(first.text if first.kind == "ident" else _unquote_label(first.text), tuple(labels), line, column, self.position(max(0, end - 1))[0], attrs, children))
            return
        self.errors.append(f"cannot read line {self.position(first.start)[0]}")
        self._skip_line()

    def expression(self) -> tuple[int, int]:
        """Consume tokens up to the newline (or ``,``/``}``) that ends the expression at depth 0."""
        depth = 0
        start = end = None
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if depth == 0 and (tok.kind == "newline" or (tok.kind == "punct" and tok.text in ",}")):
                break
            if tok.kind == "punct" and tok.text in "([{":
                depth += 1
            elif tok.kind == "punct" and tok.text in ")]}":
                depth -= 1
            if start is None and tok.kind != "newline":
                start = tok.start
            if tok.kind != "newline":
                end = tok.end
            self.i += 1
        if start is None or end is None:
            pos = self.tokens[self.i - 1].end if self.i else 0
            return pos, pos
        return start, end

    def _skip_line(self) -> None:
        while self.i < len(self.tokens) and self.tokens[self.i].kind != "newline":
            self.i += 1


def _unquote_label(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def parse_hcl(text: str) -> HclFile:
    """Blocks (with nested blocks) and attributes of an HCL file, with 1-based lines. Never raises;
    unreadable parts are skipped and listed in ``errors``."""
    parser = _HclParser(text)
    try:
        attributes, blocks, _end = parser.body(closing=False)
    except RecursionError:
        return HclFile(errors=["nested too deeply"])
    return HclFile(blocks=blocks, errors=parser.errors)


_INTERPOLATION_ONLY = re.compile(r'^"\$\{\s*([^{}"]+?)\s*\}"$')
_REFERENCE = re.compile(r"^(?:var|local)\.[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def hcl_value(expr: str, variables: Mapping[str, Any] | None = None) -> Any:
    """The literal value of an HCL expression, or ``Unknown(reason)``.

    Literals: strings without templates, numbers, ``true``/``false``/``null``; references
    ``var.x``/``local.x`` (also as ``"${var.x}"``) resolved through ``variables``; ``a * b`` of
    resolvable numbers (``90 * 24``). Everything else is unknown.
    """
    text = expr.strip()
    if not text:
        return Unknown("empty expression")
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        interpolation = _INTERPOLATION_ONLY.match(text)
        if interpolation:
            return hcl_value(interpolation.group(1), variables)
        body = text[1:-1]
        if "${" in body or "%{" in body:
            return Unknown("string template with interpolation")
        return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)
    is_literal, literal = hcl_literal(text)
    if is_literal:
        return literal
    if _REFERENCE.match(text):
        if variables is None or text not in variables:
            return Unknown(f"{text} is not defined with a literal value in this file")
        value = variables[text]
        return value if not is_unknown(value) else Unknown(f"{text} has no literal value ({value.reason})")
    product = re.fullmatch(r"(.+?)\s*\*\s*(.+)", text)
    if product and "(" not in text:
        left, right = hcl_value(product.group(1), variables), hcl_value(product.group(2), variables)
        if _is_number(left) and _is_number(right):
            return left * right
    return Unknown("not a literal value")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TIMEADD = re.compile(r'^timeadd\(\s*(?P<base>[^,]+?)\s*,\s*(?P<dur>"[^"]*"|[A-Za-z_][\w.\-]*)\s*\)$')


def timeadd_duration(expr: str, variables: Mapping[str, Any] | None = None) -> tuple[str, Any] | None:
    """``timeadd(base, "2160h")`` -> (base text, seconds or Unknown); None when not a timeadd call."""
    match = _TIMEADD.match(expr.strip())
    if not match:
        return None
    duration = hcl_value(match.group("dur"), variables)
    if is_unknown(duration):
        return match.group("base"), duration
    seconds = go_duration_seconds(str(duration))
    return match.group("base"), seconds if seconds is not None else Unknown(f"unreadable duration {str(duration)[:20]!r}")


def references(expr: str, resource_type: str) -> list[str]:
    """Names of ``resource_type.NAME`` references in an expression (``aws_secretsmanager_secret.app.id``)."""
    return re.findall(r"(?<![\w.])" + re.escape(resource_type) + r"\.([A-Za-z_][A-Za-z0-9_\-]*)", expr)


# ---------------------------------------------------------------------------------------------------
# Durations

DAY = 86400
_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def go_duration_seconds(text: str) -> float | None:
    """Go ``time.ParseDuration`` syntax (``2160h``, ``1h30m``, ``90s``) as Terraform providers use."""
    value = text.strip()
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", value)
    if not parts or "".join(n + u for n, u in parts) != value.lstrip("+"):
        return None
    return sum(float(n) * _GO_UNITS[u] for n, u in parts)


def seconds_string(text: str) -> float | None:
    """Google duration strings: ``"7776000s"`` (decimal seconds with an ``s``)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s\s*", text)
    return float(match.group(1)) if match else None


_ISO_DURATION = re.compile(
    r"^P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


def iso_duration_max_days(text: str) -> float | None:
    """The longest span an ISO 8601 duration (``P90D``, ``P3M``, ``P1Y``) can cover, in days.

    Calendar units are taken at their longest (a month up to 31 days, three consecutive months up to
    92, a year 366), because the question is whether rotation can be more than N days apart.
    """
    match = _ISO_DURATION.match(text.strip())
    if not match or text.strip().upper() in ("P", "PT"):
        return None
    g = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    days = g["y"] * 366 + max_days_in_months(int(g["mo"])) + g["w"] * 7 + g["d"]
    return days + g["h"] / 24 + g["mi"] / 1440 + g["s"] / DAY


def max_days_in_months(months: int) -> int:
    """Longest run of ``months`` consecutive calendar months, in days (3 -> 92, 6 -> 184, 12 -> 366)."""
    if months <= 0:
        return 0
    best = 0
    for year in (2023, 2024):  # a common and a leap year
        for start in range(1, 13):
            total, y, m = 0, year, start
            for _ in range(months):
                total += calendar.monthrange(y, m)[1]
                m += 1
                if m > 12:
                    m, y = 1, y + 1
            best = max(best, total)
    return best


# ---------------------------------------------------------------------------------------------------
# AWS schedule expressions


@dataclass(frozen=True)
class Schedule:
    """What a schedule expression means for rotation: the longest gap between firings, in days.

    ``max_gap_days`` is ``float("inf")`` when it stops firing (a year list that ends) or never fires;
    ``description`` explains it in words for messages.
    """

    max_gap_days: float
    description: str


_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$", re.IGNORECASE)
_CRON = re.compile(r"^cron\((.*)\)$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=256)
def schedule_gap(expression: str) -> Schedule | Unknown:
    """Parse an AWS ``rate(...)`` or ``cron(...)`` expression (Secrets Manager / EventBridge syntax)."""
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2).lower().rstrip("s")
        seconds = amount * {"minute": 60, "hour": 3600, "day": DAY}[unit]
        return Schedule(seconds / DAY, f"every {amount} {unit}{'s' if amount != 1 else ''}")
    cron = _CRON.match(text)
    if cron:
        return cron_schedule(cron.group(1))
    return Unknown("not a rate() or cron() expression")


_MONTHS = {name: i for i, name in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_WEEKDAYS = {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}


def _field_values(text: str, low: int, high: int, names: Mapping[str, int] | None = None) -> set[int] | None:
    """Values of a cron field made of ``*``, lists, ranges and steps; None when unreadable."""
    values: set[int] = set()
    for part in text.split(","):
        part = part.strip().upper()
        step = 1
        stepped = "/" in part
        if stepped:
            part, _, step_text = part.partition("/")
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        first: int | None
        last: int | None
        if part in ("*", "?", ""):
            first, last = low, high
        elif "-" in part:
            a, _, b = part.partition("-")
            first, last = _field_number(a, names), _field_number(b, names)
        else:
            first = _field_number(part, names)
            last = high if stepped else first  # "5/10": from 5, every 10
        if first is None or last is None:
            return None
        start, end = first, last
        if not (low <= start <= high and low <= end <= high):
            return None
        if start <= end:
            values.update(range(start, end + 1, step))
        else:  # wrapping range such as FRI-MON
            values.update(v for i, v in enumerate(list(range(start, high + 1)) + list(range(low, end + 1))) if i % step == 0)
    return values


def _field_number(text: str, names: Mapping[str, int] | None) -> int | None:
    text = text.strip().upper()
    if text.isdigit():
        return int(text)
    if names and text in names:
        return names[text]
    return None


class _DayMatcher:
    """Day-of-month and day-of-week fields with AWS extensions: ``L``, ``LW``, ``15W``, ``5L``, ``3#2``."""

    def __init__(self, dom: str, dow: str) -> None:
        self.dom = dom.strip().upper()
        self.dow = dow.strip().upper()
        self.ok = True
        self._dom_values = self._dom_set()
        self._dow_spec = self._dow_parse()
        # Sorted days of month when the schedule is only "these days of the month" (no L/W, no weekday).
        self.plain_day_of_month: list[int] | None = sorted(self._dom_values) if self._dom_values is not None and self._dow_spec is None else None

    def _dom_set(self) -> set[int] | None:
        if self.dom in ("?", "*") or "L" in self.dom or "W" in self.dom:
            return None
        values = _field_values(self.dom, 1, 31)
        if values is None:
            self.ok = False
        return values

    def _dow_parse(self) -> tuple[str, Any] | None:
        text = self.dow
        if text in ("?", "*"):
            return None
        if "#" in text:
            day, _, nth = text.partition("#")
            number = _field_number(day, _WEEKDAYS)
            if number is None or not nth.isdigit() or not 1 <= int(nth) <= 5:
                self.ok = False
                return None
            return ("nth", (number, int(nth)))
        if text == "L":
            return ("set", {7})  # AWS: "L" alone in day-of-week is the last day of the week (Saturday)
        if text.endswith("L"):
            number = _field_number(text[:-1], _WEEKDAYS)
            if number is None:
                self.ok = False
                return None
            return ("last", number)
        values = _field_values(text, 1, 7, _WEEKDAYS)
        if values is None:
            self.ok = False
            return None
        return ("set", values)

    def matches(self, day: dt.date) -> bool:
        dom_any = self.dom in ("?", "*")
        dow_any = self._dow_spec is None
        if dom_any and dow_any:
            return True
        dom_hit = not dom_any and self._dom_matches(day)
        dow_hit = not dow_any and self._dow_matches(day)
        if dom_any:
            return dow_hit
        if dow_any:
            return dom_hit
        return dom_hit or dow_hit  # both given (AWS rejects this; classic cron means "either")

    def _dom_matches(self, day: dt.date) -> bool:
        last = calendar.monthrange(day.year, day.month)[1]
        text = self.dom
        if text == "L":
            return day.day == last
        if text.startswith("L-") and text[2:].isdigit():
            return day.day == last - int(text[2:])
        if text == "LW":
            return day == _nearest_weekday(day.replace(day=last), last)
        if text.endswith("W") and text[:-1].isdigit():
            target = min(int(text[:-1]), last)
            return day == _nearest_weekday(day.replace(day=target), last)
        return self._dom_values is not None and day.day in self._dom_values

    def _dow_matches(self, day: dt.date) -> bool:
        assert self._dow_spec is not None
        kind, spec = self._dow_spec
        weekday = (day.isoweekday() % 7) + 1  # AWS numbering: 1 = Sunday ... 7 = Saturday
        if kind == "set":
            return weekday in spec
        if kind == "nth":
            number, nth = spec
            return weekday == number and (day.day - 1) // 7 + 1 == nth
        last = calendar.monthrange(day.year, day.month)[1]
        return weekday == spec and day.day + 7 > last


def _nearest_weekday(target: dt.date, last: int) -> dt.date:
    """The weekday nearest ``target`` without leaving its month (``W`` semantics)."""
    if target.weekday() < 5:
        return target
    if target.weekday() == 5:  # Saturday -> Friday, or Monday when the 1st is a Saturday
        return target - dt.timedelta(days=1) if target.day > 1 else target + dt.timedelta(days=2)
    return target + dt.timedelta(days=1) if target.day < last else target - dt.timedelta(days=2)


# One 28-year solar cycle (plus a year so gaps that wrap around a year end are seen): every
# combination of weekday, leap year and month appears (2100, the next non-leap century, is outside).
_SIM_START = dt.date(2001, 1, 1)
_SIM_END = dt.date(2029, 12, 31)


def cron_schedule(body: str) -> Schedule | Unknown:
    """Longest gap between firing days of ``cron(min hour dom month dow year)`` (AWS, six fields)."""
    fields = body.split()
    if len(fields) != 6:
        return Unknown(f"cron expression needs 6 fields (AWS syntax), found {len(fields)}")
    minutes, hours, dom, month, dow, year = fields
    if _field_values(minutes, 0, 59) is None or _field_values(hours, 0, 23) is None:
        return Unknown("unreadable minutes or hours field")
    months = _field_values(month, 1, 12, _MONTHS)
    if months is None:
        return Unknown("unreadable month field")
    days = _DayMatcher(dom, dow)
    if not days.ok:
        return Unknown("unreadable day-of-month or day-of-week field")
    years: set[int] | None = None
    if year.strip() not in ("*", "?"):
        years = _field_values(year, 1970, 2199)
        if years is None:
            return Unknown("unreadable year field")
    firing = _firing_days(months, days, years)
    if not firing:
        return Schedule(float("inf"), "never fires")
    if years is not None and max(years) < 2199:
        return Schedule(float("inf"), f"stops firing after {max(years)}")
    # Day granularity: several firings a day still count as daily, which is all a 90-day limit needs.
    gap = max((b - a).days for a, b in zip(firing, firing[1:], strict=False)) if len(firing) > 1 else float("inf")
    return Schedule(float(gap), _describe_cron(float(gap)))


def _firing_days(months: set[int], days: _DayMatcher, years: set[int] | None) -> list[dt.date]:
    if years is not None:
        start, end = dt.date(max(min(years), 1970), 1, 1), dt.date(min(max(years), 2199), 12, 31)
    else:
        start, end = _SIM_START, _SIM_END
    if days.plain_day_of_month is not None:
        # Fast path for the common "day N of some months" schedules: no per-day matching.
        return [
            dt.date(y, m, d)
            for y in range(start.year, end.year + 1)
            if years is None or y in years
            for m in sorted(months)
            for d in days.plain_day_of_month
            if d <= calendar.monthrange(y, m)[1]
        ]
    out: list[dt.date] = []
    day = start
    one = dt.timedelta(days=1)
    while day <= end:
        if day.month in months and (years is None or day.year in years) and days.matches(day):
            out.append(day)
            day += one
            continue
        if day.month not in months:  # jump to the first of the next month
            day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            continue
        day += one
    return out


def _describe_cron(gap: float) -> str:
    return f"up to {gap:g} day{'s' if gap != 1 else ''} between rotations"


# ---------------------------------------------------------------------------------------------------
# CloudFormation (YAML or JSON) as node trees with lines


@dataclass
class CfnNode:
    """A YAML node reduced to what the rules need: its tag (``!Ref`` …), value and position."""

    tag: str
    value: Any  # str for scalars, list[CfnNode] for sequences, list[tuple[CfnNode, CfnNode]] for maps
    line: int
    column: int
    kind: str  # "scalar" | "sequence" | "mapping"

    def get(self, key: str) -> "CfnNode | None":
        if self.kind != "mapping":
            return None
        for k, v in self.value:
            if k.kind == "scalar" and k.value == key:
                return v
        return None

    def key_node(self, key: str) -> "CfnNode | None":
        if self.kind != "mapping":
            return None
        for k, _v in self.value:
            if k.kind == "scalar" and k.value == key:
                return k
        return None

    def items(self) -> list[tuple["CfnNode", "CfnNode"]]:
        return list(self.value) if self.kind == "mapping" else []

    @property
    def scalar(self) -> str | None:
        return self.value if self.kind == "scalar" else None


def _convert(node: Any) -> CfnNode:
    import yaml

    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return CfnNode(node.tag, node.value, line, column, "scalar")
    if isinstance(node, yaml.SequenceNode):
        return CfnNode(node.tag, [_convert(n) for n in node.value], line, column, "sequence")
    return CfnNode(node.tag, [(_convert(k), _convert(v)) for k, v in node.value], line, column, "mapping")


def cfn_templates(text: str) -> list[CfnNode]:
    """The CloudFormation templates in a YAML or JSON text (documents with a ``Resources`` mapping
    holding at least one ``Type: AWS::…``). Short-form intrinsics (``!Ref``) are kept as tags because
    nodes are composed, never constructed. Never raises."""
    import yaml

    source = text.replace("\t", "  ") if text.lstrip().startswith("{") else text
    try:
        documents = list(yaml.compose_all(source, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    templates: list[CfnNode] = []
    for document in documents:
        if document is None or not isinstance(document, yaml.MappingNode):
            continue
        root = _convert(document)
        resources = root.get("Resources")
        if resources is None or resources.kind != "mapping":
            continue
        if any((r.get("Type") or CfnNode("", None, 0, 0, "")).scalar and str(r.get("Type").scalar).startswith(("AWS::", "Custom::")) for _k, r in resources.items()):  # type: ignore[union-attr]
            templates.append(root)
    return templates


_INTRINSICS = ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::FindInMap", "Fn::ImportValue", "Fn::Select", "Fn::Split", "Fn::GetAZs", "Fn::Base64", "Fn::Transform")


def cfn_intrinsic(node: CfnNode) -> tuple[str, CfnNode] | None:
    """``!Ref X`` / ``{"Ref": "X"}`` / ``Fn::Sub`` … as (function name, argument node)."""
    if node.tag.startswith("!"):
        name = node.tag[1:]
        name = name if name == "Ref" else "Fn::" + name
        return name, node
    if node.kind == "mapping" and len(node.value) == 1:
        key = node.value[0][0].scalar
        if key in _INTRINSICS:
            return key, node.value[0][1]
    return None


def cfn_ref_target(node: CfnNode | None) -> str | None:
    """The logical id a ``Ref`` (or ``GetAtt X.Arn``) points at, if that is what ``node`` is."""
    if node is None:
        return None
    intrinsic = cfn_intrinsic(node)
    if intrinsic is None:
        return None
    name, arg = intrinsic
    if name == "Ref" and arg.scalar:
        return arg.scalar
    if name == "Fn::GetAtt":
        if arg.scalar:
            return arg.scalar.split(".")[0]
        if arg.kind == "sequence" and arg.value and arg.value[0].scalar:
            return arg.value[0].scalar
    return None


def cfn_value(node: CfnNode | None, template: CfnNode) -> Any:
    """A literal property value; ``Ref`` to a Parameter with a literal ``Default`` is resolved;
    other intrinsics are ``Unknown``."""
    if node is None:
        return Unknown("missing")
    intrinsic = cfn_intrinsic(node)
    if intrinsic is not None:
        name, arg = intrinsic
        if name == "Ref" and arg.scalar:
            parameters = template.get("Parameters")
            parameter = parameters.get(arg.scalar) if parameters is not None else None
            default = parameter.get("Default") if parameter is not None else None
            if default is not None and default.kind == "scalar" and cfn_intrinsic(default) is None:
                return _yaml_scalar(default)
            return Unknown(f"Ref {arg.scalar} has no literal Default")
        return Unknown(f"{name} cannot be resolved statically")
    if node.kind == "scalar":
        return _yaml_scalar(node)
    return Unknown("not a scalar")


def _yaml_scalar(node: CfnNode) -> Any:
    text = node.value
    if node.tag.endswith(":int") or re.fullmatch(r"[-+]?\d+", str(text)):
        try:
            return int(text)
        except ValueError:
            return text
    if node.tag.endswith(":float"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


def json_or_yaml_number(value: Any) -> float | None:
    """An integer-like property value (CloudFormation accepts ``"30"`` as well as ``30``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", value):
        return float(value)
    return None


__all__ = [
    "CfnNode",
    "DAY",
    "HclAttribute",
    "HclBlock",
    "HclFile",
    "Schedule",
    "Unknown",
    "cfn_intrinsic",
    "cfn_ref_target",
    "cfn_templates",
    "cfn_value",
    "cron_schedule",
    "go_duration_seconds",
    "hcl_value",
    "is_unknown",
    "iso_duration_max_days",
    "json_or_yaml_number",
    "max_days_in_months",
    "parse_hcl",
    "references",
    "schedule_gap",
    "seconds_string",
    "timeadd_duration",
]
