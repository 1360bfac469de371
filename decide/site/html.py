"""HTML building blocks for the generated site: escaping, links between pages, badges, tables, people.

Generated pages are Markdown documents whose dynamic parts are raw HTML blocks built here: every
value from a memo goes through ``esc`` (so ``<script>`` shows as text) and sits inside a block
fenced by ``raw`` (so Markdown never reads it: ``[x](javascript:…)`` in a title cannot make a
link, nor ``{: onclick=… }`` an attribute), and every link is computed from page paths, so no
value is ever pasted into a URL unchecked.
"""

from __future__ import annotations

import datetime
import html
import posixpath
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from decide.ids import slugify
from decide.index import IndexEntry
from decide.person import TBD, parse_person
from decide.schema import parse_date

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CLASS = re.compile(r"[^a-z]")
# Current decisions first on the decision-rights map; the rest are history.
STATUS_ORDER = {"decided": 0, "proposed": 1, "superseded": 2, "retired": 3, "rejected": 4}
# Files beside the memos in the decisions folder that the site publishes at decisions/<path> (images
# and PDFs memos link to, such as those ``decide import`` copies): what a browser shows without
# running anything. SVG is not one: opened on its own it can run script.
PUBLISHED_BESIDE_MEMOS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".pdf"})


def esc(value: object) -> str:
    """``value`` as HTML text: ``<``, ``&`` and quotes become entities."""
    return html.escape(str(value), quote=True)


# Every character Python-Markdown lets a backslash escape (CommonMark accepts them all too).
_MARKDOWN_SYNTAX = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()>#+-.!"})


def markdown_text(value: object) -> str:
    """``value`` as Markdown text that stays text: HTML escaped, then every Markdown syntax character escaped.

    For the few places that must be Markdown (a heading that search and the table of contents
    should see); everywhere else values go into generated HTML blocks.
    """
    return esc(value).translate(_MARKDOWN_SYNTAX)


def safe_link(url: str) -> str | None:
    """``url`` when it is http(s), mailto or relative; None for ``javascript:`` and other schemes."""
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if any(ord(c) < 32 for c in url) or (scheme and scheme not in _SAFE_SCHEMES):
        return None
    return url or None


@dataclass(frozen=True)
class Linker:
    """Relative URLs between generated pages, the way MkDocs lays them out."""

    directory_urls: bool = True

    def url(self, page: str) -> str:
        """The site URL of a page path: ``log.md`` -> ``log/`` (or ``log.html``); other files keep their path."""
        if not page.endswith(".md"):
            return page
        stem = page[: -len(".md")]
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"

    def href(self, source: str, target: str) -> str:
        """The relative URL from page ``source`` to page ``target``: up to the site root, then down."""
        up, goal = _up(self.url(source)), self.url(target)
        return up + goal if up or goal else "./"

    def a(self, source: str, target: str, text: str, *, cls: str = "", fragment: str = "") -> str:
        """An ``<a>`` from ``source`` to ``target`` (at ``#fragment`` when given) with escaped ``text``."""
        extra = f' class="{esc(cls)}"' if cls else ""
        href = self.href(source, target) + (f"#{fragment}" if fragment else "")
        return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


@lru_cache(maxsize=4096)
def _up(url: str) -> str:
    """``../`` once per folder level of a page URL (``log/`` -> ``../``, ``a/b.html`` -> ``../``)."""
    return "../" * url.count("/", 0, len(url) - 1 if url.endswith("/") else len(url)) + (
        "../" if url.endswith("/") else ""
    )


def memo_page(entry: IndexEntry) -> str:
    """Where a memo's page lives in the site: ``decisions/<its file name>``."""
    return page_of(entry.path)


def page_of(path: str) -> str:
    """The page of the memo at ``path`` in the repository: ``decisions/<its file name>``."""
    return "decisions/" + posixpath.basename(path)


def badge(status: str) -> str:
    """A coloured status label."""
    return f'<span class="decide-badge decide-badge--{_CLASS.sub("", status)}">{esc(status)}</span>'


def time(date: str) -> str:
    """A date as a ``<time>`` element (kept on one line by the stylesheet)."""
    return f'<time datetime="{esc(date)}">{esc(date)}</time>' if date else ""


@lru_cache(maxsize=65536)
def person_name(dri: str) -> str:
    """The name a DRI is grouped under: ``Ana Ruiz <ana@x>`` and ``Ana Ruiz`` are one person."""
    return " ".join(parse_person(dri).name.split())


def person_slugs(entries: Iterable[IndexEntry]) -> dict[str, str]:
    """Each DRI name (casefolded) -> a unique page slug; TBD is nobody and gets no page."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted({person_name(e.dri) for e in entries}):
        key = name.casefold()
        if not name or name.upper() == TBD or key in slugs:
            continue
        base = slugify(name) or "person"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        slugs[key] = slug
    return slugs


def person_page(slug: str) -> str:
    return f"people/{slug}.md"


_SLUG_MARKUP = re.compile(r"</?[^>]*>")
_SLUG_DROPPED = re.compile(r"[^\w\- ]")


@lru_cache(maxsize=4096)
def tag_anchor(tag: str) -> str:
    """The id of ``tag``'s heading on the tags page.

    Material's tags plugin makes it from the name in the page's front-matter (``esc(tag)``, see
    ``decide.site.memo_page``) with its default slugify (pymdownx's, lower case) and format ``tag:{slug}``.
    """
    slug = _SLUG_MARKUP.sub("", unicodedata.normalize("NFC", esc(tag))).strip().lower()
    return "tag:" + _SLUG_DROPPED.sub("", slug).replace(" ", "-")


def tag_links(source: str, tags: Iterable[str], linker: Linker) -> str:
    """Each tag linked to its heading on the tags page, comma-separated."""
    return ", ".join(linker.a(source, "tags.md", tag, fragment=tag_anchor(tag)) for tag in tags)


# Generated HTML blocks are fenced by comments that any Markdown processor passes through as raw HTML,
# and a site generator may set them aside instead of parsing them (``decide.site.plugin`` does). The
# comments hold a secret drawn again for every build, so that no text in a memo or a page can forge a
# fence or a placeholder: it would have to guess 128 random bits.
_SECRET = [secrets.token_hex(16)]


def renew_secret() -> None:
    """Draw a new secret for the fences and placeholders of generated blocks (at the start of every build)."""
    _SECRET[0] = secrets.token_hex(16)


def fences() -> tuple[str, str]:
    """The comments that open and close a generated block in this build."""
    return f"<!-- decide:html {_SECRET[0]} -->", f"<!-- /decide:html {_SECRET[0]} -->"


def raw(html_text: str) -> str:
    """A block of generated HTML, fenced so that it can skip Markdown processing."""
    start, end = fences()
    return f"{start}\n{html_text}\n{end}"


@lru_cache(maxsize=4)
def _patterns(secret: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    start, end = f"<!-- decide:html {secret} -->", f"<!-- /decide:html {secret} -->"
    block = re.compile(re.escape(start) + r"\n(.*?)\n" + re.escape(end), re.DOTALL)
    return block, re.compile(rf"<!-- decide:block {secret} (\d+) -->")


def set_aside(markdown: str, blocks: list[str]) -> str:
    """Replace each generated HTML block by a placeholder comment, collecting the blocks in order."""
    secret = _SECRET[0]

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"<!-- decide:block {secret} {len(blocks) - 1} -->"

    return _patterns(secret)[0].sub(keep, markdown)


def put_back(html: str, blocks: list[str]) -> str:
    """The rendered page with every placeholder replaced by its block."""
    if not blocks:
        return html
    placeholder = _patterns(_SECRET[0])[1]
    return placeholder.sub(lambda m: blocks[int(m.group(1))] if int(m.group(1)) < len(blocks) else "", html)


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`\n]*")


def mermaid_fences(markdown: str) -> str:
    """``markdown`` with each top-level ```` ```mermaid ```` fence turned into a raw ``<pre class="mermaid">`` block.

    That is the element Material's diagram script draws, and what pymdownx.superfences would make
    of the fence; doing it here spares every page that extension. Other fences, and everything
    inside them, are left as they are; an unclosed fence runs to the end, as in Markdown.
    """
    if "mermaid" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.fullmatch(lines[i])
        if opening is None:
            out.append(lines[i])
            i += 1
            continue
        marker = opening.group(1)
        closing = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*")
        end = next((j for j in range(i + 1, len(lines)) if closing.fullmatch(lines[j])), len(lines))
        if opening.group(2) == "mermaid":
            source = esc("\n".join(lines[i + 1 : end]))
            out += ["", raw(f'<pre><code class="language-mermaid">{source}</code></pre>'), ""]
        else:
            out.extend(lines[i : end + 1])
        i = end + 1
    return "\n".join(out)


@dataclass(frozen=True)
class Cell:
    """A table cell whose text does not sort the way it reads ("3 days" after "20 days"): ``sort`` is its key."""

    html: str
    sort: str


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str | Cell]],
    *,
    cls: str = "",
    attrs: str = "",
    row_attrs: Sequence[str] = (),
) -> str:
    """An HTML table; ``head`` is plain text, cells are HTML already escaped by the caller.

    A ``Cell`` carries its sort key in ``data-sort``, which the sortable tables read instead of the text.
    Each cell is labelled with its column's heading (``data-label``), which a phone shows when the
    stylesheet stacks a row into a card. ``attrs`` and ``row_attrs`` (one per row) are attributes
    already escaped by the caller.
    """
    attr = (f' class="{cls}"' if cls else "") + (f" {attrs}" if attrs else "")
    labels = [f' data-label="{esc(h)}"' if h else "" for h in head]
    out = [f"<table{attr}>", "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead>", "<tbody>"]
    for index, row in enumerate(rows):
        extra = f" {row_attrs[index]}" if index < len(row_attrs) and row_attrs[index] else ""
        out.append(
            f"<tr{extra}>" + "".join(_td(cell, label) for cell, label in zip(row, labels, strict=False)) + "</tr>"
        )
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _td(cell: str | Cell, label: str) -> str:
    if isinstance(cell, Cell):
        return f'<td{label} data-sort="{esc(cell.sort)}">{cell.html}</td>'
    return f"<td{label}>{cell}</td>"


def front_matter(**fields: object) -> str:
    """A YAML front-matter block; JSON is YAML, so ``json.dumps`` quotes every value safely.

    Characters YAML does not allow written out (a DEL or a line separator in a title) are escaped as
    ``\\uXXXX`` (``\\UXXXXXXXX`` beyond), which YAML reads; the rest of Unicode stays as it is.
    """
    import json

    lines = [
        f"{key}: {_printable(json.dumps(value, ensure_ascii=False))}"
        for key, value in fields.items()
        if value is not None
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _printable(text: str) -> str:
    return "".join(
        c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in text
    )


@dataclass(frozen=True)
class SiteContext:
    """What every page renderer needs: the entries, lookups, today's date and how pages link."""

    entries: tuple[IndexEntry, ...]
    today: datetime.date
    linker: Linker
    proposal_age_limit: int = 14
    review_window_days: int = 30

    @cached_property
    def by_id(self) -> dict[str, IndexEntry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def people(self) -> dict[str, str]:
        return person_slugs(self.entries)

    def person_link(self, source: str, who: str) -> str:
        """``who`` linked to their decision-rights page when they have one, else as text."""
        name = person_name(who)
        slug = self.people.get(name.casefold())
        return self.linker.a(source, person_page(slug), name) if slug else esc(who)

    def memo_link(self, source: str, memo_id: str, *, with_title: bool = False) -> str:
        """A link to the memo with this ID; plain text when no such memo exists."""
        entry = self.by_id.get(memo_id)
        if entry is None:
            return f"{esc(memo_id)} (not in the log)"
        text = f"{entry.id}: {entry.title}" if with_title else entry.id
        return self.linker.a(source, memo_page(entry), text)


def review_state(entry: IndexEntry, today: datetime.date, window_days: int = 30) -> str:
    """``overdue`` (review date passed), ``due`` (within the window) or empty; only current decisions are reviewed."""
    due = parse_date(entry.review_by)
    if entry.status != "decided" or due is None:
        return ""
    if due < today:
        return "overdue"
    return "due" if (due - today).days <= window_days else ""
