"""What a reader sees as a closed memo's decision, and whether a change to its body changes it.

The body is parsed with markdown-it-py, a CommonMark parser, set up like the site's Markdown
(tables, attribute lists on headings, admonitions, footnotes, definition lists, task lists from
``mkdocs.yml``), so a setext heading, ``## Decision {: #id }``, an escaped ``\\#`` or an entity is
read the way a browser shows it. Each Decision section (a heading whose text reads "Decision…",
to the next heading of its level or above) is rendered and the rendered text compared.

What this parser and the site's may read differently is refused rather than judged: a change to
raw HTML (a comment can hide the old heading, ``<h2>`` can make a new one) and a line or paragraph
separator other than a line break (U+2028 and the like), which tools split lines on and Markdown
does not. The site's own renderer (Python-Markdown with ``mkdocs.yml``'s extensions) is a second
witness: when it shows the Decision sections differently though CommonMark reads them unchanged
(an ``abbr`` definition added below, say), the change is refused too. markdown-it-py is imported
here only, and only when a closed memo's body changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Characters some tools end a line at and Markdown does not (Python's str.splitlines does).
SEPARATORS = {
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
    "\x85": "U+0085 NEXT LINE",
    "\x0b": "a vertical tab",
    "\x0c": "a form feed",
    "\x1c": "U+001C",
    "\x1d": "U+001D",
    "\x1e": "U+001E",
}
# Python-Markdown's attr_list reads "{: #id .class }" or "{#id}" at the end of a heading.
_HEADING_ATTRS = re.compile(r"[ \t]*\{:?[^}\n]*\}[ \t]*$")
# Letters from other scripts that look like the Latin letters of "decision".
_LOOKALIKES = str.maketrans(
    {
        "\u0435": "e",
        "\u0455": "s",
        "\u0441": "c",
        "\u0456": "i",
        "\u03bf": "o",
        "\u043e": "o",
        "\u03b9": "i",
        "\u0501": "d",
    }
)
_WORD = re.compile(r"[^\w ]|_")


@dataclass(frozen=True)
class Verdict:
    """Why a change to a closed memo's body is refused, and the body line (0-based) it is about."""

    offset: int
    reason: str  # "" when the Decision section changed; else what decide cannot judge


@dataclass(frozen=True)
class Section:
    """One Decision section: its heading's line, the heading as read, and its content rendered."""

    offset: int
    heading: str
    rendered: str
    attributes: str = ""  # "{: style=... }" on the heading: it can hide it on the site


def judge_decision(
    old: str, new: str, extensions: Sequence[str] = (), site: Callable[[str], str] | None = None
) -> Verdict | None:
    """None when ``new`` shows the same decision as ``old``; else why not, and where.

    ``site`` renders a body as the site does (Python-Markdown): a second witness, so that what
    the two renderers read differently is refused rather than passed.
    """
    if old == new:
        return None
    added = _separator_added(old, new)
    if added is not None:
        return added
    parser = _parser(tuple(extensions))
    before, after = parser.parse(old), parser.parse(new)
    html = _html_changed(before, after)
    if html is not None:
        return html
    verdict = _first_change(sections(before, parser), sections(after, parser))
    if verdict is None and site is not None and site_sections(site(old)) != site_sections(site(new)):
        return Verdict(0, "changes what the site shows as the Decision section, though CommonMark reads it unchanged")
    return verdict


_SITE_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def site_sections(html: str) -> list[tuple[str, str]]:
    """(heading, content) of each Decision section in HTML the site rendered, to the next heading of its level or above."""
    import html as entities

    headings = list(_SITE_HEADING.finditer(html))
    found = []
    for at, heading in enumerate(headings):
        text = entities.unescape(_TAG.sub("", heading.group(2)))
        if not is_decision(text):
            continue
        rank = int(heading.group(1))
        end = next((h.start() for h in headings[at + 1 :] if int(h.group(1)) <= rank), len(html))
        found.append((" ".join(text.split()), " ".join(html[heading.end() : end].split())))
    return found


def _separator_added(old: str, new: str) -> Verdict | None:
    for char, name in SEPARATORS.items():
        if new.count(char) > old.count(char):
            at = new.find(char) if char not in old else _first_difference(old, new)
            return Verdict(
                new.count("\n", 0, at), f"adds {name}, which some tools read as a line break and Markdown does not"
            )
    return None


def _first_difference(old: str, new: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))


def _html_changed(before: Sequence[Token], after: Sequence[Token]) -> Verdict | None:
    """A change to the raw HTML of the body (which can hide a heading or make one), at its first line."""
    old, new = Counter(text for _, text in _raw_html(before)), Counter(text for _, text in _raw_html(after))
    if old == new:
        return None
    added = [line for line, text in _raw_html(after) if new[text] > old[text]]
    return Verdict(added[0] if added else 0, "changes raw HTML, which can hide a heading or make one")


def _raw_html(tokens: Sequence[Token]) -> Iterator[tuple[int, str]]:
    """(line, text) of each piece of raw HTML; only the text is compared, so moving HTML is no change."""
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            yield line, token.content.strip()
        for child in token.children or ():
            if child.type == "html_inline":
                yield line, child.content


def _first_change(before: list[Section], after: list[Section]) -> Verdict | None:
    for old, new in zip(before, after, strict=False):
        if (old.heading, old.rendered, old.attributes) != (new.heading, new.rendered, new.attributes):
            return Verdict(new.offset, "")
    if len(after) > len(before):
        return Verdict(after[len(before)].offset, "")
    return Verdict(0, "") if len(before) > len(after) else None


def sections(tokens: Sequence[Token], parser: MarkdownIt) -> list[Section]:
    """Every Decision section of a parsed body, in order; one inside a quote or list ends where it does."""
    found = []
    for at, token in enumerate(tokens):
        if token.type == "heading_open" and is_decision(heading_text(tokens[at + 1])):
            end = _section_end(tokens, at)
            rendered = parser.renderer.render(list(tokens[at + 3 : end]), parser.options, {})
            offset = token.map[0] if token.map else 0
            attributes = str(tokens[at + 1].meta.get("attributes", ""))
            found.append(Section(offset, heading_text(tokens[at + 1]), " ".join(rendered.split()), attributes))
    return found


def _section_end(tokens: Sequence[Token], start: int) -> int:
    opening = tokens[start]
    rank, depth = int(opening.tag[1]), opening.level
    for at in range(start + 3, len(tokens)):
        token = tokens[at]
        if token.level < depth or (token.type == "heading_open" and token.level == depth and int(token.tag[1]) <= rank):
            return at
    return len(tokens)


def heading_text(inline: Token) -> str:
    """A heading's text as a reader sees it: entities and escapes resolved, markup and raw HTML left out."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def is_decision(text: str) -> bool:
    """Whether a heading names the decision: its first word is "decision…", however it is written."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LOOKALIKES)
    words = _WORD.sub(" ", "".join(c for c in folded if unicodedata.category(c) != "Cf")).split()
    return bool(words) and words[0].startswith("decision")


# Site Markdown extensions -> the markdown-it-py plugin that reads the same syntax.
_PLUGINS = {
    "admonition": ("mdit_py_plugins.admon", "admon_plugin"),
    "footnotes": ("mdit_py_plugins.footnote", "footnote_plugin"),
    "def_list": ("mdit_py_plugins.deflist", "deflist_plugin"),
    "pymdownx.tasklist": ("mdit_py_plugins.tasklists", "tasklists_plugin"),
    "attr_list": ("mdit_py_plugins.attrs", "attrs_plugin"),
}


@cache
def _parser(extensions: tuple[str, ...]) -> MarkdownIt:
    """A CommonMark parser with the syntax of the site's extensions (``attr_list`` on headings always)."""
    import importlib

    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    for name in sorted(set(extensions) & set(_PLUGINS)):
        module, plugin = _PLUGINS[name]
        parser.use(getattr(importlib.import_module(module), plugin))
    parser.core.ruler.after("block", "heading_attrs", _strip_heading_attrs)
    return parser


def _strip_heading_attrs(state: Any) -> None:
    """``## Decision {: #decision }`` is the heading "Decision" with an ID, as Python-Markdown's attr_list reads it."""
    tokens = state.tokens
    for at, token in enumerate(tokens[:-1]):
        if token.type == "heading_open":
            inline = tokens[at + 1]
            found = _HEADING_ATTRS.search(inline.content)
            if found:
                inline.meta = {**(inline.meta or {}), "attributes": found.group(0).strip()}
                inline.content = inline.content[: found.start()]
