"""Links in a record's body: to other records (rewritten to their memos) and to images (copied next to the memos).

A memo's page is ``decisions/<its file name>`` on the site, and files beside it in the decisions
folder are published with it, so a link to ``0015-dns.md`` must become the memo's file name and an
image at ``assets/x.png`` in the ADR folder must be copied to ``assets/x.png`` in the decisions folder
(its link then stays as written). Code blocks and code spans are left alone.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from decide.adr.formats import Note
from decide.site.html import PUBLISHED_BESIDE_MEMOS

_INLINE = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^(\s{0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)", re.MULTILINE)
_HTML = re.compile(r"(<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*[\"'])([^\"'>]+)", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass(frozen=True)
class Target:
    """Where a local link in the body points: ``path`` from the ADR folder (normalised), and what is after it."""

    path: str
    rest: str = ""


@dataclass(frozen=True)
class Rewritten:
    """A body with its links to records rewritten, the files it needs copied, and what a person must fix."""

    body: str
    assets: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()


def local_targets(body: str, folder: str) -> set[str]:
    """The paths (from the ADR folder) of every relative link in ``body``, for the importer to look at on disk."""
    found: set[str] = set()

    def keep(url: str) -> str:
        target = resolve(url, folder)
        if target:
            found.add(target.path)
        return url

    _substitute(body, keep)
    return found


def resolve(url: str, folder: str) -> Target | None:
    """A relative link as a path from the ADR folder ``folder`` (``../adr/x.md`` in ``doc/adr`` is ``x.md``).

    None for web links, anchors and absolute paths.
    """
    if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
        return None
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path = posixpath.normpath(unquote(url[:cut]))
    if path in (".", ""):
        return None
    inside = posixpath.normpath(posixpath.join(folder or ".", path))
    prefix = posixpath.normpath(folder or ".")
    if prefix == "." and not inside.startswith("../"):
        return Target(inside, url[cut:])
    return Target(inside[len(prefix) + 1 :] if inside.startswith(prefix + "/") else path, url[cut:])


def rewrite_links(body: str, folder: str, memos: Mapping[str, str], files: Mapping[str, str]) -> Rewritten:
    """``body`` with links to records pointing at their memos (``memos``: record file name -> memo file name or "").

    ``files`` says, for each path :func:`local_targets` found, what is there: ``file`` (copy it),
    ``same`` (already beside the memos, unchanged), ``clash`` (a different file is there), or
    ``missing``. A record that was not imported maps to "" and its link is named for a person to fix.
    """
    notes: dict[str, Note] = {}
    assets: set[str] = set()

    def replace(url: str) -> str:
        target = resolve(url, folder)
        if target is None:
            return url
        if target.path in memos:
            memo = memos[target.path]
            if memo:
                return quote(memo) + target.rest
            notes.setdefault(target.path, _note(url, "is a record that was not imported; the link will not work"))
            return url
        why = _asset(target.path, files.get(target.path, "missing"), assets)
        if why:
            notes.setdefault(target.path, _note(url, why))
        return url

    return Rewritten(_substitute(body, replace), tuple(sorted(assets)), tuple(notes.values()))


def _asset(path: str, state: str, assets: set[str]) -> str:
    """Why a link to ``path`` will not work on the site, or "" (and ``path`` joins the files to copy when it must)."""
    if path.startswith("../"):
        return "is outside the ADR folder; copy the file next to the memo and fix the link"
    if state == "missing":
        return "does not exist; fix or remove the link"
    if path.endswith(".md"):
        return "is not a record; link to the page's address, or remove the link"
    if posixpath.splitext(path)[1].casefold() not in PUBLISHED_BESIDE_MEMOS:
        return "is not a file the site publishes (images and PDFs); convert it or link to it elsewhere"
    if state == "clash":
        return f"decisions/{path} exists with other content; not copied: copy it under another name and fix the link"
    if state == "file":
        assets.add(path)
    return ""


def _note(url: str, why: str) -> Note:
    shown = url if len(url) <= 80 else url[:79] + "…"
    return Note("links", f'"{shown}" {why}', True)


def _substitute(body: str, replace: Callable[[str], str]) -> str:
    """Apply ``replace`` to every link URL outside code: inline links and images, reference definitions, HTML src/href."""
    if "](" not in body and "]:" not in body and "<" not in body:
        return body  # most bodies link nowhere
    out: list[str] = []
    fenced = ""
    for line in body.splitlines(keepends=True):
        fence = _FENCE.match(line)
        if fenced:
            fenced = "" if fence and fence.group(1) == fenced else fenced
            out.append(line)
        elif fence:
            fenced = fence.group(1)
            out.append(line)
        else:
            out.append(_outside_code_spans(line, replace))
    return "".join(out)


def _outside_code_spans(line: str, replace: Callable[[str], str]) -> str:
    if "](" not in line and "]:" not in line and "<" not in line:
        return line  # most lines hold no link at all
    pieces, at = [], 0
    for span in _CODE_SPAN.finditer(line):
        pieces += [_in_text(line[at : span.start()], replace), span.group(0)]
        at = span.end()
    return "".join([*pieces, _in_text(line[at:], replace)])


def _in_text(text: str, replace: Callable[[str], str]) -> str:
    for pattern in (_INLINE, _REFERENCE, _HTML):
        text = pattern.sub(lambda m: m.group(1) + _keep_brackets(m.group(2), replace), text)
    return text


def _keep_brackets(url: str, replace: Callable[[str], str]) -> str:
    if url.startswith("<") and url.endswith(">"):
        return f"<{replace(url[1:-1])}>"
    return replace(url)
