"""Body safety: what a memo's body becomes on the site, and whether any of it would run script in a reader's browser.

A body is judged by rendering it the way the site does (the Markdown extensions of ``mkdocs.yml``,
mermaid fences and generated blocks as ``decide.site.plugin`` handles them) and reading the HTML that
comes out, so an indented fence, a backslash before a backtick or an attribute on the next line is
seen as the browser will see it. Rendering costs about 2 ms a body, so a cheap scan first passes
the bodies that cannot hold any of it: script needs raw HTML (``<``), an attribute list (``{``),
a character reference (``&#…`` or ``&name;``) or a Markdown link to a ``…script:`` or ``data:`` URL.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from decide.errors import CannotRun
from decide.problem import Problem

if TYPE_CHECKING:
    from pathlib import Path

    from decide.memo import Memo

# Elements that run script, load another document or plugin, or change what the page's links and
# refreshes do; SVG and MathML are on the list because their animation elements can set a link's
# target to script, which no attribute check sees in full.
UNSAFE_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "svg", "math"}
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
# MkDocs always adds these to the site's extensions; attr_list is added when there is no
# mkdocs.yml to read because it is the one common extension that lets Markdown set attributes.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
DEFAULT_EXTENSIONS = (*MKDOCS_BUILTINS, "attr_list")
# A body full of script is reported by its first findings; locating each costs a scan of the lines.
MAX_FINDINGS = 100
MESSAGE = "would run in readers' browsers; remove it, or put it in a code block to show it"
# Browsers drop tabs and line breaks anywhere in a URL, and spaces and controls around it; dropping them
# everywhere errs on the safe side.
_URL_NOISE = dict.fromkeys(range(33))
_BREAKS = "\t\n\r"
_TAG_NAME = re.compile(r"<\s*([^\s/>]+)")
# Each "<" in a body: a comment's opening (1), a whole tag without attributes such as "<b>",
# "</sub>" or "<br/>" (2: its name), a "<" that cannot open a tag (3), or anything else (none).
_ANGLE = re.compile(r"<(?:(!--)|/?([A-Za-z][A-Za-z0-9]*)/?>|()(?=[^A-Za-z/!?]|\Z)|)")
# A reference that can spell a letter or a colon: numeric, or named with its semicolon (the
# names a browser also reads without one all stand for other characters).
_CHARACTER_REFERENCE = re.compile(r"&(?:#|[A-Za-z][A-Za-z0-9]*;)")


@dataclass(frozen=True)
class MarkdownSetup:
    """The Markdown extensions (and their options) the site renders memo bodies with."""

    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    configs: Mapping[str, Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class Unsafe:
    """One thing in a rendered body that would run script: the text shown to the author, and what to look for in the source."""

    shown: str
    clues: tuple[str, ...]


def might_run_script(body: str) -> bool:
    """False when ``body`` cannot render to anything that runs script; a few µs.

    That holds for Python-Markdown's extensions and pymdownx's: an attribute list needs ``{``, and
    a snippet (a file pasted in by pymdownx.snippets) its ``--8<--`` marker.
    """
    if "{" in body or "--8<--" in body or ("<" in body and not _plain_tags_only(body)):
        return True
    if "&" in body and _CHARACTER_REFERENCE.search(body):
        return True
    colon = body.find(":")
    while colon != -1:
        if _scheme_before(body, colon).endswith(("script", "data")):
            return True
        colon = body.find(":", colon + 1)
    return False


def _plain_tags_only(body: str) -> bool:
    """True when every ``<`` opens a comment, is text (not followed by a letter, ``/``, ``!`` or ``?``),
    or is a whole tag without attributes (``<b>``, ``</sub>``) of an element that is not unsafe.

    Markdown cannot give such a tag an attribute: its ``>`` directly follows the name, where no
    Markdown syntax can remove it. Anything else (an attribute, an autolink, a tag split over
    lines, which a blockquote's ``>`` markers may join) is rendered.
    """
    for match in _ANGLE.finditer(body):
        comment, name, text = match.groups()
        if comment is None and text is None and (name is None or name.lower() in UNSAFE_ELEMENTS):
            return False
    return True


def _scheme_before(text: str, colon: int) -> str:
    """The last (up to six) letters before ``colon``, lower-cased, skipping the tabs and line breaks browsers drop."""
    letters: list[str] = []
    at = colon - 1
    while at >= 0 and len(letters) < 6:
        char = text[at]
        if char.isascii() and char.isalpha():
            letters.append(char.lower())
        elif char not in _BREAKS:
            break
        at -= 1
    return "".join(reversed(letters))


def find_unsafe(html: str) -> list[Unsafe]:
    """Everything in ``html`` that would run script, in document order.

    Comments and other markup the parser skips are read again as HTML: where Python's parser and
    a browser disagree on where a comment ends (``<!-->``, ``--!>``), the browser must not find a
    live tag the parser took for a comment.
    """
    found: list[Unsafe] = []
    pending = [html]
    while pending:
        scan = _scanner()()
        scan.feed(pending.pop(0))
        scan.close()
        found += scan.found
        pending += scan.skipped
    return found


@cache
def _scanner() -> Any:
    """The HTML reader of :func:`find_unsafe` (html.parser is imported on first use: most bodies never need it)."""
    from html.parser import HTMLParser

    class Scan(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.found: list[Unsafe] = []
            self.skipped: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            source = self.get_starttag_text() or f"<{tag}>"
            if tag in UNSAFE_ELEMENTS:
                written = _TAG_NAME.match(source)
                self.found.append(Unsafe(f"<{written.group(1) if written else tag}", (f"<{tag}",)))
            for name, value in attrs:
                if name.startswith("on"):
                    self.found.append(Unsafe(_attribute_shown(source, tag, name), (name,)))
                elif value and _unsafe_scheme(value):
                    self.found.append(Unsafe(_unsafe_scheme(value), (*_attribute_source(source, name), value, name)))

        handle_startendtag = handle_starttag

        def handle_comment(self, data: str) -> None:
            self.skipped.append(data)

        def handle_decl(self, decl: str) -> None:
            self.skipped.append(decl)

        def unknown_decl(self, data: str) -> None:
            self.skipped.append(data)

        def handle_pi(self, data: str) -> None:
            self.skipped.append(data)

    return Scan


def _unsafe_scheme(value: str) -> str:
    """``javascript:``, ``vbscript:`` or ``data:`` when a browser would read ``value`` as such a URL, else ''."""
    url = value.translate(_URL_NOISE).lower()
    return next((scheme for scheme in UNSAFE_SCHEMES if url.startswith(scheme)), "")


def _attribute_shown(source: str, tag: str, name: str) -> str:
    """The start tag as written, up to the attribute and its ``=``, on one line; ``<tag … name=`` when that is long."""
    at = re.search(rf"(?i)(?<=[\s/\"']){re.escape(name)}\s*=?", source)
    if at is None:
        return f"<{tag} {name}="
    shown = " ".join(source[: at.end()].split())
    return shown if len(shown) <= 60 else f"<{tag} … {''.join(at.group(0).split())}"


def _attribute_source(source: str, name: str) -> tuple[str, ...]:
    """The attribute's value as written in the start tag (entities and all), to find its line in the memo."""
    at = re.search(rf"(?i)(?<=[\s/\"']){re.escape(name)}\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", source)
    return (at.group(1).strip("\"'"),) if at else ()


def render_body(body: str, markdown: Any) -> str:
    """``body`` as HTML, the way the site renders it on the memo's page."""
    from decide.site.html import mermaid_fences, put_back, set_aside

    blocks: list[str] = []
    markdown.reset()
    return put_back(markdown.convert(set_aside(mermaid_fences(body), blocks)), blocks)


def locate(lines: Sequence[str], findings: Sequence[Unsafe]) -> Iterator[tuple[int, Unsafe]]:
    """Each finding with the index of the source line that best holds it (the first line with text when none does).

    A clue is looked for as written, then with white space left out on both sides (Markdown turns
    tabs into spaces). Findings come in document order, so each search starts at the line of the
    one before.
    """
    lowered = [line.lower() for line in lines]
    squeezed = ["".join(line.split()) for line in lowered]
    fallback = next((index for index, line in enumerate(squeezed) if line), 0)
    cursor = 0
    for finding in findings:
        clues = [c.lower() for c in finding.clues if c.strip()]
        line = _first_line(lowered, clues, cursor)
        if line is None:
            line = _first_line(squeezed, ["".join(c.split()) for c in clues], cursor)
        cursor = fallback if line is None else line
        yield cursor, finding


def _first_line(lines: Sequence[str], clues: Sequence[str], start: int) -> int | None:
    for clue in clues:
        for index in itertools.chain(range(start, len(lines)), range(start)):
            if clue in lines[index]:
                return index
    return None


@dataclass(frozen=True)
class BodyCheck:
    """Judges memo bodies by rendering them as the site would; Markdown is loaded for the first body that needs it.

    ``root`` is where ``mkdocs.yml`` is read from; without one (or without the file) the bodies
    are rendered with MkDocs' built-in extensions plus ``attr_list``.
    """

    root: Path | None = None

    @cached_property
    def setup(self) -> MarkdownSetup:
        return read_setup(self.root / "mkdocs.yml") if self.root else MarkdownSetup()

    @cached_property
    def markdown(self) -> Any:
        import markdown

        setup = self.setup
        try:
            return markdown.Markdown(extensions=list(setup.extensions), extension_configs=dict(setup.configs or {}))
        except Exception as exc:  # an extension that cannot load would stop the site's build just the same
            raise CannotRun(
                f"mkdocs.yml: the Markdown extensions cannot be loaded to check memo bodies: {exc}"
            ) from exc

    def problems(self, memo: Memo) -> list[Problem]:
        """Every part of ``memo``'s body that would run script, as problems on the lines that hold them."""
        if not might_run_script(memo.body):
            return []
        findings = find_unsafe(render_body(memo.body, self.markdown))[:MAX_FINDINGS]
        lines = memo.body.splitlines()
        located = dict.fromkeys((memo.body_line + index, f.shown) for index, f in locate(lines, findings))
        return [Problem(memo.path, line, "body", f'"{shown}" {MESSAGE}') for line, shown in located]


DEFAULT_CHECK = BodyCheck()


def read_setup(config_file: Path) -> MarkdownSetup:
    """The ``markdown_extensions`` of an ``mkdocs.yml`` as MkDocs applies them (its built-ins first); defaults without one."""
    if not config_file.is_file():
        return MarkdownSetup()
    import yaml

    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), _loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CannotRun(f"{config_file.name}: cannot be read to check memo bodies: {exc}") from exc
    listed = data.get("markdown_extensions") if isinstance(data, dict) else None
    return setup_from(listed or [])


def setup_from(listed: Sequence[Any] | Mapping[str, Any]) -> MarkdownSetup:
    """A ``markdown_extensions`` value (a list of names and one-item mappings, or a mapping) as a setup."""
    items = list(listed.items()) if isinstance(listed, Mapping) else [_item(entry) for entry in listed]
    names = list(MKDOCS_BUILTINS)
    configs: dict[str, Mapping[str, Any]] = {}
    for name, options in items:
        if name not in names:
            names.append(name)
        if isinstance(options, Mapping) and options:
            configs[name] = options
    return MarkdownSetup(tuple(names), configs)


def _item(entry: Any) -> tuple[str, Any]:
    if isinstance(entry, Mapping) and len(entry) == 1:
        return next(iter(entry.items()))
    return str(entry), None


def _loader() -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader with MkDocs' tags: ``!!python/name:`` imports what it names, as MkDocs does; ``!ENV`` and the rest give their value."""

    def python_name(loader: Any, suffix: str, node: Any) -> Any:
        import importlib

        module, _, attribute = suffix.rpartition(".")
        return getattr(importlib.import_module(module), attribute)

    def other(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", python_name)
    Loader.add_multi_constructor("!", other)
    return Loader


def publishable(memos: Sequence[Memo], problems: Sequence[Problem]) -> tuple[Memo, ...]:
    """``memos`` with every body that has a body problem replaced by its text shown as code, and a note saying why."""
    unsafe = {p.path for p in problems if p.field == "body"}
    return tuple(replace(m, body=neutralised(m.body)) if m.path in unsafe else m for m in memos)


def neutralised(body: str) -> str:
    """A body that runs nothing: a warning, then the memo's text as plain text in a code block."""
    from decide.site.html import esc, raw

    note = (
        '<div class="admonition danger"><p class="admonition-title">Not shown as written</p>'
        "<p>This memo's text holds HTML that would run in readers' browsers, so it is shown as plain text. "
        "Run <code>decide validate</code> to find it.</p></div>"
    )
    return "\n" + raw(f"{note}\n<pre><code>{esc(body.strip(chr(10)))}</code></pre>") + "\n"
