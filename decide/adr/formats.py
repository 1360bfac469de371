"""Architecture decision records written by other tools (adr-tools, MADR, log4brains): pure parsing into typed records."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

FORMATS = ("adr-tools", "madr", "log4brains")

_NUMBERED = re.compile(r"^(\d+)-")
_DATED = re.compile(r"^(\d{4})(\d{2})(\d{2})-")
_HEADING = re.compile(r"^#\s+(.*?)\s*#*\s*$")
_SECTION = re.compile(r"^#{1,2}\s")
_TITLE_NUMBER = re.compile(r"^(\d+)\.\s*(.*)$")
_DATE_LINE = re.compile(r"^\s*date\s*:\s*(.*?)\s*$", re.IGNORECASE)
_STATUS_HEADING = re.compile(r"^##\s+status\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^[*-]\s+([A-Za-z][A-Za-z -]*?)\s*:\s*(.*?)\s*(?:<!--.*-->)?\s*$")
_LINK = re.compile(r"([A-Za-z][A-Za-z -]*?)\s*:?\s*\[([^\]]*)\]\(([^)\s]*)\)")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_WORDS = {
    "accepted": "accepted",
    "approved": "accepted",
    "decided": "accepted",
    "proposed": "proposed",
    "draft": "proposed",
    "rejected": "rejected",
    "declined": "rejected",
    "deprecated": "deprecated",
    "retired": "deprecated",
    "superseded": "superseded",
}
_STATUS_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
_PEOPLE_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


class _Loader(yaml.CSafeLoader):
    """The C safe loader, keeping dates as the text written (``2024-02-30`` must not crash the loader)."""


def _keep_text(loader: _Loader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)


@dataclass(frozen=True)
class Note:
    """Something about a file that could not be mapped as it stands; ``needs_human`` when a person must check it."""

    field: str
    message: str
    needs_human: bool = False


@dataclass(frozen=True)
class Link:
    """A relation written in a record, such as ``Superseded by [3. Foo](0003-foo.md)``."""

    relation: str
    text: str
    target: str


@dataclass(frozen=True)
class Record:
    """One record as its tool wrote it. ``body`` is the file's text without its front-matter and title line, byte for byte."""

    name: str
    fmt: str
    number: str
    title: str
    date: str
    status: str
    statuses: tuple[str, ...]
    status_date: str = ""
    deciders: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    supersedes: tuple[Link, ...] = ()
    superseded_by: tuple[Link, ...] = ()
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
        return Unreadable(
            name,
            Note(
                "file",
                f"is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); save it as UTF-8 and import again",
                True,
            ),
        )


def is_record_name(name: str, fmt: str) -> bool:
    """Whether a file name is a record of ``fmt`` (not a README, index or template)."""
    pattern = _DATED if fmt == "log4brains" else _NUMBERED
    return name.endswith(".md") and bool(pattern.match(name))


def title_from_name(name: str) -> str:
    """``0007-use-postgres.md`` -> ``Use postgres``: a title for a record that has none."""
    words = _DATED.sub("", _NUMBERED.sub("", name)).removesuffix(".md").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def detect_format(files: Mapping[str, str]) -> tuple[str | None, str]:
    """The format most record files in one folder look like, and a sentence saying why."""
    votes = dict.fromkeys(FORMATS, 0)
    for name, text in files.items():
        if _DATED.match(name):
            votes["log4brains"] += 1
        elif text.startswith("---") or _bullets(text.splitlines()):
            votes["madr"] += 1
        elif any(_STATUS_HEADING.match(line) for line in text.splitlines()):
            votes["adr-tools"] += 1
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    (best, count), (_second, runner_up) = ranked[0], ranked[1]
    if not count or count == runner_up:
        seen = ", ".join(f"{fmt}: {n}" for fmt, n in ranked if n) or "none looks like any of them"
        return None, f"cannot tell the format ({seen}); pass --from adr-tools, madr or log4brains"
    return best, f"detected {best} ({count} of {len(files)} record files look like it)"


def parse(text: str, name: str, fmt: str) -> Record | Unreadable:
    """Parse one record in the given format."""
    parser = {"adr-tools": parse_adr_tools, "madr": parse_madr, "log4brains": parse_log4brains}[fmt]
    if not text.strip():
        return Unreadable(name, Note("file", "is empty; nothing to import", True))
    return parser(text, name)


def parse_adr_tools(text: str, name: str) -> Record | Unreadable:
    """adr-tools (Nygard): ``# 1. Title``, ``Date: 2019-03-01``, a ``## Status`` section in prose with links."""
    lines = text.splitlines(keepends=True)
    at, title, number, notes = _title(lines, name)
    date_text = next((m.group(1) for line in lines if (m := _DATE_LINE.match(line))), "")
    date, date_notes = _date(date_text, "Date")
    status_lines = _section(lines, _STATUS_HEADING)
    links = tuple(link for line in status_lines for link in _links(line))
    prose = " ".join(_LINK.sub("", line).strip() for line in status_lines if _LINK.sub("", line).strip())
    return Record(
        name=name,
        fmt="adr-tools",
        number=number,
        title=title,
        date=date,
        status=prose,
        body=_without(lines, at),
        newline=_newline(text),
        notes=(*notes, *date_notes),
        **_status_fields(prose, links),
    )


def parse_madr(text: str, name: str) -> Record | Unreadable:
    """MADR 2 (``* Status:`` bullets) or MADR 3/4 (YAML front-matter: status, date, deciders or decision-makers, ...)."""
    lines = text.splitlines(keepends=True)
    front, start = _front_matter(lines, name)
    if isinstance(front, Unreadable):
        return front
    at, title, number, notes = _title(lines, name, start=start)
    fields = {**_bullets(lines[start:]), **front}
    date, date_notes = _date(_text(fields.get("date")), "date")
    status = _text(fields.get("status"))
    deciders = fields.get("deciders") or fields.get("decision-makers")
    return Record(
        name=name,
        fmt="madr",
        number=number,
        title=title,
        date=date,
        status=_LINK.sub("", status).strip(" ,;"),
        deciders=_people(deciders),
        consulted=_people(fields.get("consulted")),
        informed=_people(fields.get("informed")),
        tags=_people(fields.get("tags")),
        body=_without(lines[start:], at - start),
        newline=_newline(text),
        notes=(*notes, *date_notes, *_unmapped(front)),
        **_status_fields(status, _links(status)),
    )


def parse_log4brains(text: str, name: str) -> Record | Unreadable:
    """log4brains: MADR 2 bullets, file names ``YYYYMMDD-slug.md`` (the date in the name stands in for a missing one)."""
    record = parse_madr(text, name)
    if isinstance(record, Unreadable):
        return record
    match = _DATED.match(name)
    named = _iso("-".join(match.groups())) if match else ""
    extra: tuple[Note, ...] = ()
    date = record.date
    if not date and named:
        date, extra = named, (Note("date", f"no date in the record; used the one in its file name ({named})"),)
    notes = tuple(n for n in record.notes if not (n.field == "date" and date)) + extra
    return replace(record, fmt="log4brains", number="", date=date, notes=notes)


def _status_fields(status: str, links: tuple[Link, ...]) -> dict[str, Any]:
    """Status words, a date written in the status, and the links sorted by relation."""
    relation = {link: link.relation.casefold() for link in links}
    found = [_WORDS[w.casefold()] for w in _STATUS_WORD.findall(status)]
    found += ["superseded" for link in links if relation[link] == "superseded by"]
    dated = _ISO.search(status)
    return {
        "statuses": tuple(dict.fromkeys(found)),
        "status_date": _iso(dated.group(0)) if dated else "",
        "supersedes": tuple(x for x in links if relation[x] == "supersedes"),
        "superseded_by": tuple(x for x in links if relation[x] == "superseded by"),
        "links": tuple(x for x in links if relation[x] not in ("supersedes", "superseded by")),
    }


def _title(lines: list[str], name: str, *, start: int = 0) -> tuple[int, str, str, tuple[Note, ...]]:
    """Index of the title line (-1 if none), the title without its ``N.`` prefix, the number, and notes."""
    file_number = match.group(1) if (match := _NUMBERED.match(name)) else ""
    at = next((i for i in range(start, len(lines)) if _HEADING.match(lines[i].rstrip("\r\n"))), -1)
    if at < 0:
        return at, "", file_number, (Note("title", "no '# Title' line; used the file name as the title", True),)
    heading = _HEADING.match(lines[at].rstrip("\r\n"))
    title = heading.group(1) if heading else ""
    numbered = _TITLE_NUMBER.match(title)
    if not numbered:
        return at, title, file_number, ()
    notes: tuple[Note, ...] = ()
    if file_number and int(numbered.group(1)) != int(file_number):
        notes = (Note("title", f"the title says {numbered.group(1)}, the file name {file_number}; kept {file_number}"),)
    return at, numbered.group(2), file_number or numbered.group(1), notes


def _without(lines: list[str], at: int) -> str:
    return "".join(lines[:at] + lines[at + 1 :]) if at >= 0 else "".join(lines)


def _section(lines: list[str], heading: re.Pattern[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if heading.match(line.rstrip("\r\n"))), -1)
    if start < 0:
        return []
    end = next((i for i in range(start + 1, len(lines)) if _SECTION.match(lines[i])), len(lines))
    return [line.strip() for line in lines[start + 1 : end] if line.strip()]


def _links(text: str) -> tuple[Link, ...]:
    return tuple(Link(m.group(1).strip(), m.group(2), m.group(3)) for m in _LINK.finditer(text))


def _bullets(lines: list[str]) -> dict[str, str]:
    """``* Status: accepted`` lines before the first section, keyed in lower case."""
    found: dict[str, str] = {}
    for line in lines:
        if line.startswith("## "):
            break
        match = _BULLET.match(line.rstrip("\r\n"))
        if match and match.group(1).casefold() in ("status", "deciders", "date", "tags", "consulted", "informed"):
            found.setdefault(match.group(1).casefold(), match.group(2))
    return found


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


def _unmapped(front: Mapping[str, object]) -> tuple[Note, ...]:
    known = ("status", "date", "deciders", "decision-makers", "consulted", "informed", "tags")
    return tuple(
        Note(key, f'"{key}: {_text(value)}" has no place in a memo; left out')
        for key, value in front.items()
        if key not in known
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value).strip()


def _people(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else _PEOPLE_SPLIT.split(_text(value))
    return tuple(dict.fromkeys(t for item in items if (t := _text(item).strip(" []{}")))) if value else ()


def _date(text: str, field: str) -> tuple[str, tuple[Note, ...]]:
    if not text:
        return "", ()
    iso = _iso(text)
    if iso:
        return iso, ()
    return "", (Note(field, f'"{text}" is not a date (YYYY-MM-DD); treated as missing'),)


def _iso(text: str) -> str:
    """``2019-03-01`` (also from ``2019/3/1``) when ``text`` starts with a real date, else ''."""
    match = _ISO.match(text.strip())
    if not match:
        return ""
    try:
        return datetime.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return ""


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"
