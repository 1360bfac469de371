"""Architecture decision records written by other tools (adr-tools, MADR 2/3/4, log4brains): pure parsing into typed records.

One reader serves every format, because real logs mix them: YAML front-matter (MADR 3/4), field
lines before the first section (``* Status:``, ``- Date: [2023-05-09]``, ``**Date:** 2026-03-16``,
``Date: 2019-03-01``), a ``Status`` section as h1, h2 or h3 (adr-tools), and a ``Links`` section.
The format a record looks like only says what ``imported.from`` records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from decide.adr.names import clean_title, read_name
from decide.adr.people import as_text, split_deciders
from decide.adr.relations import AMENDED_BY, AMENDS, SUPERSEDED_BY, SUPERSEDES, Link, find_relations, read_status

FORMATS = ("adr-tools", "madr", "log4brains")
__all__ = ["FORMATS", "Link", "Note", "Record", "Unreadable", "decode", "detect_format", "is_record_name", "parse"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SECTION_NAMES = ("status", "date", "links", "context", "decision", "consequences", "deciders")
_FIELD = re.compile(
    r"^\s{0,3}(?:[*+-]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z ()_-]{0,30}?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(?P<value>.*?)\s*(?:<!--.*-->)?\s*$"
)
_FIELD_KEYS = {
    "status": "status",
    "date": "date",
    "deciders": "deciders",
    "decision-makers": "deciders",
    "decision makers": "deciders",
    "decided by": "deciders",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
    "supersedes": SUPERSEDES,
    "supersedes (partially)": AMENDS,
    "superseded by": SUPERSEDED_BY,
    "amends": AMENDS,
    "amended by": AMENDED_BY,
}
_FRONT_KEYS = {
    "status": "status",
    "date": "date",
    "deciders": "deciders",
    "decision-makers": "deciders",
    "decision_makers": "deciders",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
    "supersedes": SUPERSEDES,
    "superseded_by": SUPERSEDED_BY,
    "superseded-by": SUPERSEDED_BY,
    "amends": AMENDS,
    "amended_by": AMENDED_BY,
    "amended-by": AMENDED_BY,
}
# Keys of the site generators ADR folders are published with (Jekyll's Just the Docs, Docusaurus, Hugo,
# MkDocs): they say where a page sits in that site, nothing about the decision.
SITE_KEYS = frozenset(
    [
        "layout",
        "parent",
        "grand_parent",
        "nav_order",
        "nav_exclude",
        "has_children",
        "has_toc",
        "permalink",
        "title",
        "sidebar_position",
        "sidebar_label",
        "slug",
        "weight",
        "toc",
        "hide",
        "search_exclude",
        "description",
        "draft",
        "last_modified_date",
        "id",
    ]
)
_ISO_IN_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class _Loader(yaml.CSafeLoader):
    """The C safe loader, keeping dates as the text written (``2024-02-30`` must not crash the loader)."""


def _keep_text(loader: _Loader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)


@dataclass(frozen=True)
class Note:
    """Something about a file that could not be mapped as it stands; ``needs_human`` when a person must check it.

    ``kind`` names what an informational note is about, so the report can say it once for all files.
    """

    field: str
    message: str
    needs_human: bool = False
    kind: str = ""


@dataclass(frozen=True)
class Record:
    """One record as its tool wrote it. ``body`` is the file's text without its front-matter and title line, byte for byte."""

    name: str
    fmt: str
    number: str
    title: str
    date_text: str = ""
    status: str = ""
    front_status: str = ""
    statuses: tuple[str, ...] = ()
    status_said: str = ""
    status_date: str = ""
    heading: str = ""
    title_number: str = ""
    name_date: str = ""
    deciders: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    supersedes: tuple[Link, ...] = ()
    superseded_by: tuple[Link, ...] = ()
    amends: tuple[Link, ...] = ()
    amended_by: tuple[Link, ...] = ()
    links: tuple[Link, ...] = ()
    body: str = ""
    newline: str = "\n"
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Unreadable:
    """A file that cannot be turned into a record, and why."""

    name: str
    note: Note


def decode(raw: bytes, name: str) -> str | Unreadable:
    """UTF-8 text without a BOM, or why not."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); save it as UTF-8 and import again"
        return Unreadable(name, Note("file", message, True))


def is_record_name(name: str) -> bool:
    """Whether a file name is a record's (``0001-x.md``, ``adr-001-x.md``, ``2023-05-15-x.md``), not a README or template."""
    return read_name(name) is not None


def detect_format(records: Sequence[Record]) -> tuple[str | None, str]:
    """The format most records of one folder look like, and a sentence saying why."""
    votes = dict.fromkeys(FORMATS, 0)
    for record in records:
        if record.fmt:
            votes[record.fmt] += 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    (best, count), (_second, runner_up) = ranked[0], ranked[1]
    if not count or count == runner_up:
        seen = ", ".join(f"{fmt}: {n}" for fmt, n in ranked if n) or "none looks like any of them"
        return None, f"cannot tell the format ({seen}); pass --from adr-tools, madr or log4brains"
    return best, f"detected {best} ({count} of {len(records)} record files look like it)"


def parse(text: str, name: str) -> Record | Unreadable:
    """Parse one record, whatever tool wrote it; ``Record.fmt`` says which it looks like ("" when none)."""
    if not text.strip():
        return Unreadable(name, Note("file", "is empty; nothing to import", True))
    lines = text.splitlines(keepends=True)
    front, start = _front_matter(lines, name)
    if isinstance(front, Unreadable):
        return front
    at, heading = _heading(lines, start)
    sections = _sections(lines, start)
    fields = _fields(lines, start, at, sections.get("status", []))
    values = {**{k: v for k, v in fields.items() if v}, **{k: v for k, v in _mapped(front).items() if v}}
    status_text = as_text(values.get("status")) or " ".join(sections.get("status", ())) or _inline_status(lines)
    status = read_status(status_text)
    relations = _relations(values, sections, heading) + status.links
    file_name = read_name(name)
    number = file_name.number if file_name else ""
    title = clean_title(heading, number) if heading else None
    dated = _ISO_IN_TEXT.search(status_text)
    return Record(
        name=name,
        fmt=_looks_like(front, fields, sections, file_name.date if file_name else ""),
        number=number,
        title=title.title if title else as_text(front.get("title")),
        heading=heading,
        title_number=title.number if title else "",
        name_date=file_name.date if file_name else "",
        date_text=as_text(values.get("date")) or next(iter(sections.get("date", ())), ""),
        status=status.prose,
        front_status=as_text(_mapped(front).get("status")),
        status_said=status.said,
        statuses=status.words,
        status_date="-".join(dated.groups()) if dated else "",
        deciders=split_deciders(values.get("deciders")),
        consulted=split_deciders(values.get("consulted")),
        informed=split_deciders(values.get("informed")),
        tags=_tags(values.get("tags")),
        body=_without(lines[start:], at - start) if at >= 0 else "".join(lines[start:]),
        newline="\r\n" if "\r\n" in text else "\n",
        notes=_unmapped(front),
        **_by_relation(relations),
    )


def _front_matter(lines: list[str], name: str) -> tuple[dict[str, object] | Unreadable, int]:
    """The YAML front-matter's fields and the index of the line after it (0 without front-matter)."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    if not end:
        return Unreadable(name, Note("front-matter", "is never closed; add a '---' line after it", True)), 0
    try:
        data = yaml.load("".join(lines[1:end]), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be read"
        message = f"is not valid YAML{where} ({problem}); fix it and import again"
        return Unreadable(name, Note("front-matter", message, True)), 0
    if data is None:
        return {}, end + 1
    if not isinstance(data, dict):
        return Unreadable(name, Note("front-matter", "is not 'key: value' fields; fix it and import again", True)), 0
    return {str(k).casefold(): v for k, v in data.items()}, end + 1


def _heading(lines: list[str], start: int) -> tuple[int, str]:
    """The index and text of the title: the first h1 that is not a section such as ``# Status`` (-1 if none)."""
    for i in range(start, len(lines)):
        match = _HEADING.match(lines[i].rstrip("\r\n"))
        if match and len(match.group(1)) == 1 and _section_name(match.group(2)) not in _SECTION_NAMES:
            return i, match.group(2)
    return -1, ""


def _sections(lines: list[str], start: int) -> dict[str, list[str]]:
    """The non-empty lines of the sections this import reads (status, date, links), by name, outside code fences."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in lines[start:]:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line.rstrip("\r\n"))
        if match:
            name = _section_name(match.group(2))
            current = found.setdefault(name, []) if name in ("status", "date", "links") and name not in found else None
        elif current is not None and line.strip() and not fenced:
            current.append(line.strip())
    return found


def _section_name(heading: str) -> str:
    return heading.strip(" *_:").casefold()


def _inline_status(lines: list[str]) -> str:
    """``## Status: Accepted`` written in the heading itself."""
    for line in lines:
        match = _HEADING.match(line.rstrip("\r\n"))
        if match and match.group(2).casefold().startswith("status:"):
            return match.group(2).split(":", 1)[1].strip()
    return ""


def _fields(lines: Sequence[str], start: int, title: int, status_lines: Sequence[str]) -> dict[str, str]:
    """Field lines before the first section after the title (and in the Status section), keyed by what they mean."""
    found: dict[str, str] = {}
    head = []
    for i in range(start, len(lines)):
        if i != title and _HEADING.match(lines[i].rstrip("\r\n")):
            break
        head.append(lines[i])
    for line in [*head, *status_lines]:
        match = _FIELD.match(line.rstrip("\r\n"))
        key = _FIELD_KEYS.get(" ".join(match.group("key").casefold().split())) if match else None
        if match and key:
            found.setdefault(key, match.group("value").strip())
    return found


def _mapped(front: Mapping[str, object]) -> dict[str, object]:
    return {_FRONT_KEYS[key]: value for key, value in front.items() if key in _FRONT_KEYS}


def _relations(values: Mapping[str, object], sections: Mapping[str, list[str]], heading: str) -> tuple[Link, ...]:
    """Relations written as their own fields (``supersedes:``, ``* Amends: …``), in a Links section, or in the title."""
    texts = [
        f"{kind} {as_text(values[kind])}" for kind in (SUPERSEDES, SUPERSEDED_BY, AMENDS, AMENDED_BY) if kind in values
    ]
    texts += sections.get("links", [])
    texts += [heading[: heading.find("]") + 1]] if heading.startswith("[") else []
    return tuple(link for text in texts for link in find_relations(text)[0])


def _by_relation(links: tuple[Link, ...]) -> dict[str, tuple[Link, ...]]:
    known = {SUPERSEDES: "supersedes", SUPERSEDED_BY: "superseded_by", AMENDS: "amends", AMENDED_BY: "amended_by"}
    found: dict[str, list[Link]] = {field: [] for field in (*known.values(), "links")}
    for link in dict.fromkeys(links):
        found[known.get(link.relation, "links")].append(link)
    return {field: tuple(items) for field, items in found.items()}


def _looks_like(
    front: Mapping[str, object], fields: Mapping[str, str], sections: Mapping[str, list[str]], dated: str
) -> str:
    if any(key in _FRONT_KEYS for key in front):
        return "madr"
    if "status" in fields and not sections.get("status"):
        return "log4brains" if dated else "madr"
    if sections.get("status") or "status" in fields:
        return "adr-tools"
    return ""


def _unmapped(front: Mapping[str, object]) -> tuple[Note, ...]:
    """A note for the front-matter fields that have no place in a memo; site-generator keys are one note."""
    site = sorted(key for key in front if key in SITE_KEYS)
    notes = [Note("front-matter", ", ".join(site), kind="site-generator keys left out")] if site else []
    notes += [
        Note(key, f'"{key}: {_short(as_text(value))}" has no place in a memo; left out', kind="fields left out")
        for key, value in front.items()
        if key not in _FRONT_KEYS and key not in SITE_KEYS
    ]
    return tuple(notes)


def _without(lines: list[str], at: int) -> str:
    return "".join(lines[:at] + lines[at + 1 :])


def _tags(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else re.split(r"\s*[,;]\s*", as_text(value))
    return tuple(dict.fromkeys(t for item in items if (t := as_text(item).strip(" []{}#")))) if value else ()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
