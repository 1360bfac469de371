"""The index: every memo with its derived fields (effective status, superseded by), as data, JSON or Markdown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from decide.memo import Escalation, Input, Memo, Review

INDEX_VERSION = 1


@dataclass(frozen=True)
class IndexEntry:
    """One memo as readers see it: ``status`` is ``superseded`` when a newer memo replaces it."""

    id: str
    title: str
    status: str
    declared_status: str
    path: str
    date: str
    decided_on: str
    dri: str
    inputs: tuple[Input, ...]
    escalation: Escalation | None
    review_by: str
    supersedes: tuple[str, ...]
    superseded_by: tuple[str, ...]
    amends: tuple[str, ...]
    amended_by: tuple[str, ...]
    tags: tuple[str, ...]
    aliases: tuple[str, ...]
    reviews: tuple[Review, ...]
    closed_on: str
    reason: str
    imported_from: str
    needs_human: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (``dataclasses.asdict`` deep-copies and was half the time of ``decide index``)."""
        data = {name: getattr(self, name) for name in _FIELDS}
        data["inputs"] = [_plain(i) for i in self.inputs]
        data["escalation"] = _plain(self.escalation) if self.escalation else None
        data["reviews"] = [_plain(r) for r in self.reviews]
        return data


def _plain(record: Input | Escalation | Review) -> dict[str, str]:
    return {f.name: getattr(record, f.name) for f in fields(record)}


_FIELDS = tuple(f.name for f in fields(IndexEntry))


def build_index(memos: Iterable[Memo]) -> tuple[IndexEntry, ...]:
    """Entries sorted newest first (by date, then ID), with supersession and amendment derived both ways."""
    memos = list(memos)
    successors: dict[str, list[str]] = defaultdict(list)
    amenders: dict[str, list[str]] = defaultdict(list)
    for memo in memos:
        if not replaces(memo.status):
            continue  # a rejected memo replaces nothing: its target holds as it did
        for target in memo.supersedes:
            successors[target].append(memo.id)
        for target in memo.amends:
            amenders[target].append(memo.id)
    entries = [
        _entry(memo, tuple(sorted(successors.get(memo.id, ()))), tuple(sorted(amenders.get(memo.id, ()))))
        for memo in memos
    ]
    return tuple(sorted(entries, key=lambda e: (e.date, e.id), reverse=True))


def replaces(status: str) -> bool:
    """Whether a memo with this status replaces the memos it lists under ``supersedes``: all but a rejected one do."""
    return status != "rejected"


def _entry(memo: Memo, superseded_by: tuple[str, ...], amended_by: tuple[str, ...]) -> IndexEntry:
    return IndexEntry(
        id=memo.id,
        title=memo.title,
        status="superseded" if superseded_by else memo.status,
        declared_status=memo.status,
        path=memo.path,
        date=memo.date,
        decided_on=memo.decided_on,
        dri=memo.dri,
        inputs=memo.inputs,
        escalation=memo.escalation,
        review_by=memo.review_by,
        supersedes=memo.supersedes,
        superseded_by=superseded_by,
        amends=memo.amends,
        amended_by=amended_by,
        tags=memo.tags,
        aliases=memo.aliases,
        reviews=memo.reviews,
        closed_on=memo.closed_on,
        reason=memo.reason,
        imported_from=memo.imported_from,
        needs_human=memo.needs_human,
    )


def find_entry(entries: Sequence[IndexEntry], key: str) -> IndexEntry | None:
    """The entry whose ID or alias is ``key`` (IDs are matched the way people type them)."""
    from decide.ids import normalize_id

    wanted = normalize_id(key)
    number = _number(key)
    for entry in entries:
        if entry.id == wanted or key.strip() in entry.aliases:
            return entry
    if number is not None:
        # Imported ADRs keep their number as an alias ("0007"): "7", "0007" and "ADR-7" all cite it.
        for entry in entries:
            if any(_number(alias) == number for alias in entry.aliases):
                return entry
    return None


def _number(text: str) -> int | None:
    digits = text.strip().upper().removeprefix("ADR").lstrip("- ")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def filter_entries(
    entries: Iterable[IndexEntry], *, status: str | None = None, dri: str | None = None, tag: str | None = None
) -> list[IndexEntry]:
    """Entries matching every given filter; ``dri`` matches any part of the name, case-insensitively."""
    found = []
    for entry in entries:
        if status and entry.status != status:
            continue
        if dri and dri.casefold() not in entry.dri.casefold():
            continue
        if tag and tag not in entry.tags:
            continue
        found.append(entry)
    return found


def render_json(entries: Sequence[IndexEntry]) -> str:
    """The machine-readable index: ``{"version": 1, "decisions": [...]}``, one decision per line.

    One line each keeps it readable and diffable, and lets json's C encoder do the work
    (``indent=`` falls back to the pure-Python one, four times slower on a large log).
    """
    import json

    rows = ",\n".join(f"    {json.dumps(e.to_dict(), ensure_ascii=False)}" for e in entries)
    listed = f"\n{rows}\n  " if rows else ""
    return f'{{\n  "version": {INDEX_VERSION},\n  "decisions": [{listed}]\n}}\n'


def render_markdown(entries: Sequence[IndexEntry]) -> str:
    """A Markdown table of the index, linking each memo by its path."""
    from urllib.parse import quote

    rows = ["| ID | Title | Status | DRI | Date | Tags |", "| --- | --- | --- | --- | --- | --- |"]
    for e in entries:
        cells = [e.title, e.status, e.dri, e.date, ", ".join(e.tags)]
        link = f"[{markdown_cell(e.id)}]({quote(e.path)})"
        rows.append("| " + " | ".join([link, *(markdown_cell(c) for c in cells)]) + " |")
    return "\n".join(rows) + "\n"


# Markdown syntax that can make a link, an image, code, emphasis or (with attr_list) attributes,
# and the table's column break; each is escaped with a backslash, which Markdown accepts for all of them.
_MARKDOWN_SYNTAX = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()!|"} | {"\n": " ", "\r": " "})


def markdown_cell(text: str) -> str:
    """Text that stays text inside a Markdown table cell: no raw HTML, no Markdown syntax, no column breaks."""
    import html

    return html.escape(text, quote=False).translate(_MARKDOWN_SYNTAX)


def render_table(entries: Sequence[IndexEntry]) -> str:
    """Aligned plain-text columns for a terminal."""
    rows = [("ID", "STATUS", "DATE", "DRI", "TITLE")] + [(e.id, e.status, e.date, e.dri, e.title) for e in entries]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "".join("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] + "\n" for r in rows)


def render_entry(entry: IndexEntry, body: str) -> str:
    """A memo for reading in a terminal: derived facts first, then the body."""
    lines = [f"{entry.id}: {entry.title}", f"status:        {entry.status}"]
    if entry.superseded_by:
        lines.append(f"superseded by: {', '.join(entry.superseded_by)}")
    lines += [f"dri:           {entry.dri}", f"date:          {entry.date}"]
    if entry.decided_on:
        lines.append(f"decided on:    {entry.decided_on}")
    for item in entry.inputs:
        lines.append(f"input:         {_describe_input(item)}")
    if entry.escalation:
        lines.append(f"escalation:    {entry.escalation.trigger} -> {entry.escalation.to}")
    optional = (
        ("review by", entry.review_by),
        ("supersedes", ", ".join(entry.supersedes)),
        ("amends", ", ".join(entry.amends)),
        ("amended by", ", ".join(entry.amended_by)),
        ("tags", ", ".join(entry.tags)),
        ("aliases", ", ".join(entry.aliases)),
        ("closed on", entry.closed_on),
        ("reason", entry.reason),
    )
    lines += [f"{name + ':':<15}{value}" for name, value in optional if value]
    lines += [
        f"reviewed:      {r.date}{' by ' + r.by if r.by else ''}{': ' + r.note if r.note else ''}"
        for r in entry.reviews
    ]
    lines += [f"to do:         {item}" for item in entry.needs_human]
    lines.append(f"file:          {entry.path}")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def _describe_input(item: Input) -> str:
    text = item.who + (f": {item.what}" if item.what else "")
    return text + (f" <{item.link}>" if item.link else "")
