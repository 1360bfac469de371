"""Memo IDs cited in a body's text ("see D-8Q1K17") made links to their pages.

Works on the body's rendered HTML, before the sanitizer: only text is changed, never inside a
link, code, a code block or a heading's permalink, and everything else is written back as it was
read, so the sanitizer judges the same markup it would have judged without the links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser

from decide.ids import ALPHABET, ID_LENGTH

_ID = re.compile(rf"\bD-[{ALPHABET}]{{{ID_LENGTH}}}\b")
# Inside these an ID stays text: a link cannot hold a link, and code shows what was typed.
_PLAIN = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "title"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def link_ids(rendered: str, links: Mapping[str, str]) -> str:
    """``rendered`` with each ID of ``links`` in its text wrapped in a link to that URL."""
    if "D-" not in rendered:
        return rendered
    parser = _Linker(links)
    try:
        parser.feed(rendered)
        parser.close()
    except AssertionError:  # markup the standard parser gives up on (``<![x[``): left unlinked, still sanitized
        return rendered
    out = "".join(parser.out)
    return out if _same_but_links(rendered, out) else rendered


def _same_but_links(rendered: str, out: str) -> bool:
    """Whether ``out`` is ``rendered`` with links added and nothing else changed (else it is not used)."""
    return _ADDED.sub(r"\1", out) == _ADDED.sub(r"\1", rendered)


_ADDED = re.compile(rf'<a href="[^"<>]*">({_ID.pattern})</a>')


class _Linker(HTMLParser):
    """Writes back what it reads, verbatim, except IDs in text outside the elements of ``_PLAIN``."""

    def __init__(self, links: Mapping[str, str]) -> None:
        super().__init__(convert_charrefs=False)
        self.links = links
        self.out: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in _PLAIN and tag not in _VOID:
            self.plain.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.plain:
            while self.plain and self.plain.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.plain or "D-" not in data:
            self.out.append(data)
            return
        self.out.append(_ID.sub(self._link, data))

    def _link(self, match: re.Match[str]) -> str:
        url = self.links.get(match.group(0))
        return f'<a href="{html.escape(url, quote=True)}">{match.group(0)}</a>' if url else match.group(0)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")
