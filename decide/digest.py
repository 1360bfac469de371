"""What needs attention, for people to read: Markdown with every value escaped, and one digest per DRI.

A digest is one person's part of ``decide due``: their contact and their items. ``write_digests``
puts one file per person in a folder with an ``index.tsv`` (title, file, mention) that a scheduled
workflow reads to create or update one tracking issue per person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decide.due import (
    DUE_VERSION,
    GROUPS,
    OVERLOADED,
    DriLoad,
    DueItem,
    DueReport,
    keep_items,
    merge_people,
    render_due_text,
    same_people,
)
from decide.files import read_regular, replace
from decide.ids import slugify
from decide.index import markdown_cell
from decide.person import Person, is_tbd

INDEX_FILE = "index.tsv"
# A GitHub user name: letters, digits and single hyphens, at most 39 characters.
_MENTIONABLE = re.compile(r"^@[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$")
# GitHub turns "@name" into a notification and "#12" into a link; a word joiner after either keeps them text.
_QUIET = str.maketrans({"@": "@\u2060", "#": "#\u2060", "~": "\\~"})


@dataclass(frozen=True)
class Digest:
    """What needs attention from one person: their contact and their part of the report."""

    person: Person
    report: DueReport

    @property
    def who(self) -> str:
        """How the title names the person: their handle, else email, else name."""
        if not self.person.name.strip() or is_tbd(self.person.name):
            return "no DRI named yet"
        return self.person.handle or self.person.email or self.person.name

    @property
    def title(self) -> str:
        """Stable while the person keeps their handle (or email, or name): a tracking issue is found by it."""
        return one_line(f"Decisions needing attention: {self.who}")

    @property
    def mention(self) -> str:
        """The ``@handle`` that notifies the person on GitHub, or "" when they have none."""
        return self.person.handle if _MENTIONABLE.match(self.person.handle) else ""

    def to_dict(self) -> dict[str, Any]:
        person = {"name": self.person.name, "handle": self.person.handle, "email": self.person.email}
        return {"title": self.title, "dri": person, **self.report.to_dict()}


def split_by_dri(report: DueReport) -> tuple[Digest, ...]:
    """One digest per person (``same_people``: however the memos write them), ordered by title."""
    people = [thing.person for thing in _things(report)]
    members: dict[int, list[Person]] = {}
    for person, number in zip(people, same_people(people), strict=True):
        members.setdefault(number, []).append(person)
    digests = [Digest(merge_people(found), keep_items(report, set(found).__contains__)) for found in members.values()]
    return tuple(sorted(digests, key=lambda d: (d.title.casefold(), d.title)))


def _things(report: DueReport) -> list[DueItem | DriLoad]:
    return [
        *report.overdue_reviews,
        *report.stale_proposals,
        *report.no_escalation,
        *report.needs_human,
        *report.overloaded,
    ]


def markdown_text(text: str) -> str:
    """A value that stays text in GitHub Markdown: no HTML, no Markdown syntax, no mention, no issue link, one line."""
    return markdown_cell(text).translate(_QUIET)


def one_line(text: str) -> str:
    """``text`` with every line break, tab or other control character made a space."""
    return " ".join("".join(" " if not c.isprintable() else c for c in text).split())


def render_due_markdown(report: DueReport, *, level: int = 2) -> str:
    """The whole report as Markdown: a heading, then one table per group; nobody is mentioned."""
    head = "#" * level
    count = report.count
    if not count:
        return f"{head} Nothing needs attention on {report.today}\n"
    return f"{head} Needs attention on {report.today}: {_items(count)}\n\n" + _groups(report, level + 1, dri=True)


def render_digest_markdown(digest: Digest) -> str:
    """One person's digest: who it is for (mentioned once, so GitHub notifies them), then their tables."""
    report, person = digest.report, digest.person
    named = "" if person.name == digest.mention else f"**{markdown_text(person.name)}**"
    contact = ", ".join(markdown_text(v) for v in (person.handle, person.email) if v and v != person.name)
    named += f" ({contact})" if contact and named else ""
    lead = ": ".join(part for part in (digest.mention, named) if part)
    needs = "needs" if report.count == 1 else "need"
    intro = f"{lead}, {_items(report.count)} {needs} your attention as of {report.today}."
    footer = f"_Written by decide due on {report.today}._"
    return f"{intro}\n\n{_groups(report, 2, dri=False)}\n{footer}\n"


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def _groups(report: DueReport, level: int, *, dri: bool) -> str:
    head = "#" * level
    parts = []
    for field, heading in GROUPS:
        items: Sequence[DueItem] = getattr(report, field)
        if items:
            columns = ["ID", "Title", *(["DRI"] if dri else []), "What is due", "File"]
            rows = [[i.id, i.title, *([_person(i.person)] if dri else []), i.detail, i.path] for i in items]
            parts.append(f"{head} {heading} ({len(items)})\n\n{_table(columns, rows, raw=2 if dri else None)}")
    if report.overloaded:
        rows = [[_person(d.person), str(d.open), str(d.limit), ", ".join(d.ids)] for d in report.overloaded]
        table = _table(["DRI", "Open proposals", "Limit", "Decisions"], rows, raw=0)
        parts.append(f"{head} {OVERLOADED} ({len(report.overloaded)})\n\n{table}")
    return "\n".join(parts)


def _person(person: Person) -> str:
    """A person in a table cell, escaped (and not mentioned): ``Ana Ruiz (@ana, ana@example.com)``."""
    extra = [markdown_text(v) for v in (person.handle, person.email) if v and v != person.name]
    return markdown_text(person.name) + (f" ({', '.join(extra)})" if extra else "")


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, raw: int | None) -> str:
    """A Markdown table; every cell escaped except column ``raw``, already escaped by ``_person``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for row in rows:
        cells = [cell if at == raw else markdown_text(cell) for at, cell in enumerate(row)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_digests(digests: Sequence[Digest], fmt: str, today: str) -> str:
    """Every digest in one text, for stdout: JSON (one document), Markdown or text (one section each)."""
    if fmt == "json":
        document = {"version": DUE_VERSION, "today": today, "digests": [d.to_dict() for d in digests]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if not digests:
        return f"Nothing needs attention on {today}.\n"
    if fmt == "markdown":
        return "\n".join(f"# {markdown_text(d.title)}\n\n{render_digest_markdown(d)}" for d in digests)
    return "\n".join(f"{d.title}\n{render_due_text(d.report)}" for d in digests)


def render_digest(digest: Digest, fmt: str) -> str:
    """One digest in ``fmt``: the body of a tracking issue (Markdown), a JSON document, or text."""
    if fmt == "json":
        return json.dumps({"version": DUE_VERSION, **digest.to_dict()}, indent=2, ensure_ascii=False) + "\n"
    return render_digest_markdown(digest) if fmt == "markdown" else render_due_text(digest.report)


_EXTENSIONS = {"markdown": ".md", "json": ".json", "text": ".txt"}


def write_digests(digests: Sequence[Digest], folder: Path, fmt: str) -> list[Path]:
    """One file per digest in ``folder`` and an ``index.tsv`` of ``title<TAB>file<TAB>mention`` lines; the paths written.

    Each file is written atomically. Files an earlier run listed in the index and this run does
    not write (a person with nothing due any more) are removed; no other file is touched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    earlier = set(_listed(folder))
    names = _file_names(digests, _EXTENSIONS[fmt])
    written = []
    for digest, name in zip(digests, names, strict=True):
        replace(folder / name, render_digest(digest, fmt))
        written.append(folder / name)
    index = "".join(f"{d.title}\t{name}\t{d.mention}\n" for d, name in zip(digests, names, strict=True))
    replace(folder / INDEX_FILE, index)
    for stale in earlier - set(names):
        (folder / stale).unlink(missing_ok=True)
    return written


def _file_names(digests: Sequence[Digest], extension: str) -> list[str]:
    names: list[str] = []
    for digest in digests:
        base = slugify(digest.who) or "dri"
        name, n = f"{base}{extension}", 2
        while name in names:
            name, n = f"{base}-{n}{extension}", n + 1
        names.append(name)
    return names


def _listed(folder: Path) -> list[str]:
    """The files an earlier ``write_digests`` listed in the folder's index (plain names only)."""
    raw = read_regular(folder / INDEX_FILE) or b""
    rows = (line.split("\t") for line in raw.decode("utf-8", "replace").splitlines())
    return [r[1] for r in rows if len(r) > 1 and r[1] and "/" not in r[1] and r[1] not in (".", "..", INDEX_FILE)]
