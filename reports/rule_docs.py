"""A rule's documentation for the terminal, Markdown and HTML, from one source of truth.

The source is ``RuleMeta.docs`` (the rule class's Markdown docstring with the headings *What it
does*, *Why is this bad?*, *Example*, *Use instead*, *References*) and the rule's ``valid`` /
``invalid`` examples, the very ones the test suite runs. ``credlint explain`` prints
``terminal(meta)``, SARIF ``help.markdown`` is ``markdown(meta)``, the HTML report embeds
``html(...)`` of the *Use instead* section, and ``catalog_markdown`` writes ``docs/rules.md``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from markupsafe import Markup, escape

from checker.model import Example, RuleMeta
from reports._common import RULE_DOCS_URL

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)\s*$")
_EXPECT = re.compile(r"\s*#\s*expect\b.*$")
_CWE = re.compile(r"^CWE-(\d+)$", re.IGNORECASE)

# --------------------------------------------------------------------------------------------
# Structure


def sections(docs: str) -> list[tuple[str, str]]:
    """Split Markdown docs at level-2 headings: ``[(heading, body), ...]``; the text before the first
    heading comes first with heading ``""``. Headings inside code fences do not count."""
    out: list[tuple[str, list[str]]] = [("", [])]
    in_fence = False
    for line in docs.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 2:
            out.append((match.group(2), []))
        else:
            out[-1][1].append(line)
    return [(heading, "\n".join(body).strip("\n")) for heading, body in out if heading or "\n".join(body).strip()]


def _same_sentence(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.split()).rstrip(".").lower()

    return norm(a) == norm(b)


def body(meta: RuleMeta) -> str:
    """The docs without a leading paragraph that only repeats the summary (shown in the title)."""
    parts = sections(meta.docs)
    if parts and parts[0][0] == "" and _same_sentence(parts[0][1], meta.summary):
        lines = meta.docs.splitlines()
        for index, line in enumerate(lines):
            if _HEADING.match(line):
                return "\n".join(lines[index:])
    return meta.docs


def section(meta: RuleMeta, heading: str) -> str:
    """The body of one ``## heading`` of the rule's docs (case-insensitive), ``""`` if absent."""
    wanted = heading.strip().rstrip("?").lower()
    for title, body in sections(meta.docs):
        if title.strip().rstrip("?").lower() == wanted:
            return body.strip()
    return ""


def anchor(meta: RuleMeta) -> str:
    """The GitHub anchor of the rule's heading ``## OA201 token-logged`` in ``docs/rules.md``."""
    return f"{meta.id.lower()}-{meta.name}"


def help_uri(meta: RuleMeta) -> str:
    return f"{RULE_DOCS_URL}#{anchor(meta)}"


def cwe_url(cwe: str) -> str | None:
    match = _CWE.match(cwe.strip())
    return f"https://cwe.mitre.org/data/definitions/{match.group(1)}.html" if match else None


def first_paragraph(text: str) -> str:
    """The first paragraph of Markdown text, joined on one line (for one-line descriptions)."""
    paragraph: list[str] = []
    for line in text.strip().splitlines():
        if not line.strip():
            if paragraph:
                break
            continue
        if _FENCE.match(line) or _HEADING.match(line):
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)


def description(meta: RuleMeta) -> str:
    """One paragraph saying what the rule does (SARIF fullDescription)."""
    return first_paragraph(section(meta, "What it does")) or meta.summary


def example_source(example: Example) -> str:
    return textwrap.dedent(example.code).lstrip("\n").rstrip()


def _example_lines(example: Example) -> list[str]:
    """The example's code with the test-only ``# expect`` markers removed."""
    return [_EXPECT.sub("", line) for line in example_source(example).splitlines()]


def _expected(example: Example) -> tuple[int, ...]:
    # expected_lines() reads the raw code; our code is dedented and stripped of leading blank lines.
    return Example(code=example_source(example), lines=example.lines).expected_lines()


def _lines_phrase(lines: Iterable[int]) -> str:
    numbers = [str(n) for n in lines]
    if not numbers:
        return ""
    return f"line {numbers[0]}" if len(numbers) == 1 else "lines " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _fence_language(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    if name.startswith(".env") or name.endswith(".env"):
        return "dotenv"
    if name == "dockerfile" or name.startswith("dockerfile."):
        return "dockerfile"
    return {"py": "python", "yml": "yaml", "yaml": "yaml", "json": "json", "toml": "toml", "ini": "ini", "cfg": "ini", "tf": "hcl"}.get(suffix, "")


# --------------------------------------------------------------------------------------------
# Markdown


def _facts(meta: RuleMeta) -> list[tuple[str, str]]:
    facts = [("Severity", meta.severity.label), ("Family", meta.family)]
    if meta.tip:
        facts.append(("Guide tip", meta.tip))
    if meta.cwe:
        facts.append(("CWE", ", ".join(meta.cwe)))
    if meta.kinds:
        facts.append(("Reads", ", ".join(meta.kinds)))
    facts.append(("Since", meta.since))
    return facts


def _markdown_examples(title: str, examples: tuple[Example, ...], invalid: bool) -> list[str]:
    if not examples:
        return []
    out = [f"### {title}", ""]
    for example in examples:
        caption = f"`{example.path}`" + (f" — {example.note}" if example.note else "")
        out.append(caption)
        out.append("")
        out.append(f"```{_fence_language(example.path)}")
        out.extend(_example_lines(example))
        out.append("```")
        lines = _expected(example) if invalid else ()
        if lines:
            out.extend(["", f"credlint reports {_lines_phrase(lines)}."])
        out.append("")
    return out


def markdown(meta: RuleMeta, examples: bool = False, heading_level: int = 2) -> str:
    """Markdown help for a rule: title, facts, the docs; optionally the test-suite examples.

    ``heading_level`` is the level of the title; the docs' own headings are shifted below it.
    """
    shift = "#" * max(heading_level - 1, 0)
    lines = [f"{'#' * heading_level} {meta.id} {meta.name}", "", meta.summary, ""]
    facts = []
    for label, value in _facts(meta):
        if label == "CWE":
            value = ", ".join(f"[{c}]({cwe_url(c)})" if cwe_url(c) else c for c in meta.cwe)
        facts.append(f"**{label}:** {value}")
    lines.extend([" · ".join(facts), ""])
    in_fence = False
    for line in body(meta).splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        lines.append(shift + line if (not in_fence and _HEADING.match(line)) else line)
    if examples:
        sub = "#" * (heading_level + 1)
        extra = _markdown_examples("Invalid examples", meta.invalid, True) + _markdown_examples("Valid examples", meta.valid, False)
        if extra:
            lines.extend(["", f"{sub} Examples from the test suite", ""])
            lines.extend(line.replace("### ", "#" * (heading_level + 2) + " ", 1) if line.startswith("### ") else line for line in extra)
    return "\n".join(lines).rstrip() + "\n"


def catalog_markdown(metas: Iterable[RuleMeta], title: str = "credlint rules") -> str:
    """``docs/rules.md``: a table of every rule, then each rule's docs and examples (anchors match
    ``help_uri``)."""
    metas = sorted(metas, key=lambda m: m.id)
    lines = [f"# {title}", "", "| id | name | family | severity | summary |", "| --- | --- | --- | --- | --- |"]
    for meta in metas:
        lines.append(f"| [{meta.id}](#{anchor(meta)}) | {meta.name} | {meta.family} | {meta.severity.label} | {meta.summary} |")
    lines.append("")
    for meta in metas:
        lines.append(markdown(meta, examples=True, heading_level=2))
    return "\n".join(lines).rstrip() + "\n"


def plain_text(meta: RuleMeta) -> str:
    """Plain-text help (SARIF ``help.text``): the terminal rendering without colour."""
    return terminal(meta, color=False, examples=False)


# --------------------------------------------------------------------------------------------
# Terminal

_BOLD = "\033[1m"
_UNDERLINE = "\033[4m"
_DIM = "\033[2m"
_CYAN = "\033[36m"
_RED = "\033[31m"
_RESET = "\033[0m"
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD_MD = re.compile(r"\*\*(.+?)\*\*")


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and text else text


def _terminal_inline(text: str, color: bool) -> str:
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} <{m.group(2)}>", text)
    text = _BOLD_MD.sub(lambda m: _paint(m.group(1), _BOLD, color), text)
    if color:
        text = re.sub(r"`([^`]+)`", lambda m: _paint(m.group(1), _CYAN, True), text)
    return text


def _terminal_docs(docs: str, color: bool) -> list[str]:
    out: list[str] = []
    in_fence = False
    after_code = False
    for line in docs.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            after_code = not in_fence
            continue
        if after_code and line.strip():
            out.append("")  # a paragraph right after a code block still reads as a new paragraph
        after_code = False
        if in_fence:
            out.append(_paint("    " + line, _CYAN, color))
            continue
        match = _HEADING.match(line)
        if match:
            heading = match.group(2)
            out.append(_paint(heading, _BOLD + _UNDERLINE, color) if color else heading)
            if not color:
                out.append("-" * len(heading))
            continue
        out.append(_terminal_inline(line, color))
    return out


def _terminal_examples(title: str, examples: tuple[Example, ...], invalid: bool, color: bool) -> list[str]:
    if not examples:
        return []
    heading = title + (" (> marks the lines credlint reports)" if invalid else " (credlint stays silent)")
    out = ["", _paint(heading, _BOLD, True) if color else heading, "" if color else "-" * len(heading)]
    for example in examples:
        expected = set(_expected(example)) if invalid else set()
        caption = example.path + (f" — {example.note}" if example.note else "")
        out.append(_paint(caption, _DIM, color))
        lines = _example_lines(example)
        width = len(str(len(lines)))
        for number, line in enumerate(lines, start=1):
            marker = ">" if number in expected else " "
            text = f"  {marker} {number:>{width}} | {line}".rstrip()
            out.append(_paint(text, _RED, color) if marker == ">" else text)
        out.append("")
    return out


def terminal(meta: RuleMeta, color: bool = False, examples: bool = True) -> str:
    """``credlint explain``: title, facts, the docs, then the invalid and valid examples."""
    title = f"{meta.id} {meta.name}"
    out = [_paint(title, _BOLD, color), "" if color else "=" * len(title), meta.summary, ""]
    if color:
        out.pop(1)
    width = max(len(label) for label, _ in _facts(meta))
    out.extend(f"{label + ':':<{width + 1}} {value}" for label, value in _facts(meta))
    out.append(f"{'Docs:':<{width + 1}} {help_uri(meta)}")
    out.append("")
    out.extend(_terminal_docs(body(meta), color))
    if examples:
        out.extend(_terminal_examples("Invalid examples", meta.invalid, True, color))
        out.extend(_terminal_examples("Valid examples", meta.valid, False, color))
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# HTML (a small, safe Markdown subset: everything is escaped first)

_INLINE_TOKEN = re.compile(r"`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|<(https?://[^>\s]+)>|(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")
_SAFE_URL = re.compile(r"^(https?://|#|/|\./)", re.IGNORECASE)


def _link(url: str, label: Markup | str) -> Markup:
    if not _SAFE_URL.match(url):  # javascript:, data: … are never made clickable
        return escape(label)
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, label)


def inline_html(text: str) -> Markup:
    out: list[Markup] = []
    pos = 0
    for match in _INLINE_TOKEN.finditer(text):
        out.append(escape(text[pos : match.start()]))
        code, label, url, bold, auto, bare = match.groups()
        if code is not None:
            out.append(Markup("<code>{}</code>").format(code))
        elif label is not None:
            out.append(_link(url, inline_html(label)))
        elif bold is not None:
            out.append(Markup("<strong>{}</strong>").format(inline_html(bold)))
        else:
            target = auto or bare
            out.append(_link(target, target))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _table_html(rows: list[str]) -> Markup:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    body = [r for r in cells if not all(re.fullmatch(r":?-{3,}:?", c) for c in r if c)]
    if not body:
        return Markup("")
    head, rest = body[0], body[1:]
    html = Markup("<table><thead><tr>") + Markup("").join(Markup("<th>{}</th>").format(inline_html(c)) for c in head) + Markup("</tr></thead><tbody>")
    for row in rest:
        html += Markup("<tr>") + Markup("").join(Markup("<td>{}</td>").format(inline_html(c)) for c in row) + Markup("</tr>")
    return html + Markup("</tbody></table>")


def html(markdown_text: str, heading_offset: int = 2) -> Markup:
    """Render a Markdown subset (headings, paragraphs, lists, tables, code fences, inline code,
    bold, links) to escaped HTML. ``heading_offset`` demotes headings (``##`` → ``h4`` by default)."""
    blocks: list[Markup] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = "ul"
    table: list[str] = []
    code: list[str] | None = None
    language = ""

    def flush() -> None:
        nonlocal paragraph, items, table
        if paragraph:
            blocks.append(Markup("<p>{}</p>").format(inline_html(" ".join(paragraph))))
            paragraph = []
        if items:
            lis = Markup("").join(Markup("<li>{}</li>").format(inline_html(i)) for i in items)
            blocks.append(Markup(f"<{list_tag}>") + lis + Markup(f"</{list_tag}>"))
            items = []
        if table:
            blocks.append(_table_html(table))
            table = []

    for line in textwrap.dedent(markdown_text).splitlines():
        fence = _FENCE.match(line)
        if code is not None:
            if fence:
                cls = Markup(' class="language-{}"').format(language) if language else Markup("")
                blocks.append(Markup("<pre><code{}>{}</code></pre>").format(cls, "\n".join(code)))
                code = None
            else:
                code.append(line)
            continue
        if fence:
            flush()
            code, language = [], fence.group(2)
            continue
        stripped = line.strip()
        heading = _HEADING.match(line)
        bullet = re.match(r"^\s*[-*+]\s+(.*)$", line)
        numbered = re.match(r"^\s*\d+[.)]\s+(.*)$", line)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + heading_offset, 6)
            blocks.append(Markup(f"<h{level}>") + inline_html(heading.group(2)) + Markup(f"</h{level}>"))
        elif stripped.startswith("|"):
            if paragraph or items:
                flush()
            table.append(stripped)
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or table or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped  # continuation of a list item
        else:
            if items or table:
                flush()
            paragraph.append(stripped)
    if code is not None:  # unterminated fence: still show the code
        blocks.append(Markup("<pre><code>{}</code></pre>").format("\n".join(code)))
    flush()
    return Markup("\n").join(blocks)
