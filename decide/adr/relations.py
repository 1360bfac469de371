"""Relations and status words in a record's status text, written with links or without (``superseded by ADR-0057``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPERSEDES, SUPERSEDED_BY, AMENDS, AMENDED_BY = "supersedes", "superseded by", "amends", "amended by"

# Each way teams write a relation, and what it means; "superceded" is how adr-tools itself spells it.
_PHRASES = (
    (r"(?:partly|partially)\s+super[sc]eded\s+by|super[sc]eded\s+in\s+part\s+by", AMENDED_BY),
    (r"super[sc]eded\s+by|replaced\s+by", SUPERSEDED_BY),
    (r"(?:partly|partially)\s+super[sc]edes|super[sc]edes\s+(?:in\s+part|\((?:partly|partially|in\s+part)\))", AMENDS),
    (r"super[sc]edes|replaces", SUPERSEDES),
    (r"amended\s+by", AMENDED_BY),
    (r"amends", AMENDS),
)
_PHRASE = re.compile(
    r"\b(?:" + "|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(_PHRASES)) + r")\b\s*:?\s*", re.IGNORECASE
)
_MARKDOWN_LINK = r"\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<url><[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)"
_REFERENCE = r"(?P<ref>\bADR[-_ #]?\d+\b|#\d+\b|\b\d{8}-[\w-]+\b|\b[\w.-]+\.md\b|\b\d{1,5}\b(?![-/.]\d))"
_TARGET = re.compile(f"{_MARKDOWN_LINK}|{_REFERENCE}", re.IGNORECASE)
_JOIN = re.compile(r"\s*(?:,|&|\band\b|/)\s*", re.IGNORECASE)
_LINK_ALONE = re.compile(_MARKDOWN_LINK)
_ANY_LINK = re.compile(r"([A-Za-z][A-Za-z -]*?)?\s*:?\s*" + _MARKDOWN_LINK)
_WORDS = {
    "accepted": "accepted",
    "approved": "accepted",
    "adopted": "accepted",
    "decided": "accepted",
    "implemented": "accepted",
    "active": "accepted",
    "proposed": "proposed",
    "draft": "proposed",
    "pending": "proposed",
    "in review": "proposed",
    "under review": "proposed",
    "rejected": "rejected",
    "declined": "rejected",
    "withdrawn": "rejected",
    "deprecated": "deprecated",
    "retired": "deprecated",
    "obsolete": "deprecated",
    "superseded": "superseded",
    "superceded": "superseded",
    "partly superseded": "accepted",
    "partially superseded": "accepted",
}
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Link:
    """A relation written in a record, such as ``Superseded by [3. Foo](0003-foo.md)`` or ``supersedes ADR-0045``.

    ``relation`` is one of the four this import knows, or the words written before another link
    (``Relates to``); ``target`` is the link's URL, "" for a reference without one (``ADR-0045``).
    """

    relation: str
    text: str
    target: str = ""


@dataclass(frozen=True)
class StatusText:
    """What a status says: its words (accepted, proposed, rejected, deprecated, superseded), its links, its prose.

    ``prose`` is the whole text on one line with links replaced by their words; ``said`` is the same
    without the relations, which is what the words were read from.
    """

    words: tuple[str, ...]
    links: tuple[Link, ...]
    prose: str
    said: str = ""


def read_status(text: str) -> StatusText:
    """Status words, relations and other links in ``text``; ``prose`` is the text with each link replaced by its words."""
    lowered = text.casefold()
    related = any(word in lowered for word in ("super", "amend", "replac"))
    relations, rest = find_relations(text) if related else ((), text)
    linked = "](" in rest
    others = tuple(
        Link((m.group(1) or "").strip(), m.group("text"), _url(m.group("url")))
        for m in (_ANY_LINK.finditer(rest) if linked else ())
    )
    plain = _ANY_LINK.sub(lambda m: f"{m.group(1) or ''} {m.group('text')}", rest) if linked else rest
    words = _status_words(plain)
    words += ["superseded" for link in relations if link.relation == SUPERSEDED_BY]
    if not words and any(link.relation == AMENDED_BY for link in relations) and _partly(text):
        words.append("accepted")  # "Partly superseded by [2](…)": still in force, in part
    return StatusText(tuple(dict.fromkeys(words)), relations + others, prose_of(text), prose_of(rest).strip(" ,;.:"))


def _status_words(text: str) -> list[str]:
    """The status words in ``text``, two-word ones ("partly superseded", "in review") first."""
    found, words = [], _LETTERS.findall(text.casefold())
    at = 0
    while at < len(words):
        pair = " ".join(words[at : at + 2])
        if pair in _WORDS:
            found.append(_WORDS[pair])
            at += 2
        else:
            if words[at] in _WORDS:
                found.append(_WORDS[words[at]])
            at += 1
    return found


def find_relations(text: str) -> tuple[tuple[Link, ...], str]:
    """The relations in ``text`` (each phrase with every target after it), and the text without them."""
    found: list[Link] = []
    kept, at = [], 0
    for phrase in _PHRASE.finditer(text):
        if phrase.start() < at:
            continue
        relation = next(kind for i, (_, kind) in enumerate(_PHRASES) if phrase.group(f"p{i}"))
        targets, end = _targets(text, phrase.end())
        if not targets:
            continue
        found += [Link(relation, text_of, url) for text_of, url in targets]
        kept.append(text[at : phrase.start()])
        at = end
    kept.append(text[at:])
    return tuple(found), " ".join(kept)


def _targets(text: str, at: int) -> tuple[list[tuple[str, str]], int]:
    targets: list[tuple[str, str]] = []
    while match := _TARGET.match(text, at):
        ref = match.group("ref")
        targets.append((ref, "") if ref else (match.group("text"), _url(match.group("url"))))
        at = match.end()
        join = _JOIN.match(text, at)
        if not (join and _TARGET.match(text, join.end())):
            break
        at = join.end()
    return targets, at


def prose_of(text: str) -> str:
    """``text`` on one line with each Markdown link replaced by its words: ``Rejected (see [019](…))`` -> ``Rejected (see 019)``."""
    plain = _LINK_ALONE.sub(lambda m: m.group("text"), text) if "](" in text else text
    return " ".join(plain.split())


def _partly(text: str) -> bool:
    return bool(re.search(r"\b(?:partly|partially|in\s+part)\b", text, re.IGNORECASE))


def _url(url: str) -> str:
    return url[1:-1] if url.startswith("<") and url.endswith(">") else url
