"""How one ADR record's fields become a memo's: status, dates, DRI and inputs, title, aliases (the table in docs/import.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from decide.adr.formats import Note, Record, title_from_name
from decide.person import TBD, why_not_one_person

_STATUS = {"accepted": "decided", "proposed": "proposed", "rejected": "rejected", "deprecated": "retired"}
_LATEST_FIRST = ("deprecated", "rejected", "accepted", "proposed")
TITLE_MAX = 300  # the schema's maxLength for title


@dataclass(frozen=True)
class Origin:
    """What git knows of a source file: the date and author of the commit that added it."""

    date: str
    author: str


def map_status(record: Record, *, has_successor: bool, notes: list[Note]) -> str:
    """accepted -> decided, proposed, rejected, deprecated -> retired; superseded is derived from the newer memo."""
    words = [w for w in record.statuses if w != "superseded"]
    superseded = "superseded" in record.statuses
    if len(words) > 1:
        chosen = next(w for w in _LATEST_FIRST if w in words)
        notes.append(
            Note(
                "status",
                f'two statuses ({", ".join(words)}) in "{record.status}"; imported as {_STATUS[chosen]}: check it',
                True,
            )
        )
    elif words:
        chosen = words[0]
        if record.status.strip(" .").casefold() != chosen:
            notes.append(Note("status", f'"{record.status}" read as {chosen}'))
    elif superseded:
        chosen = "accepted"
    else:
        said = f'"{record.status}" is not a status this import knows' if record.status else "no status"
        notes.append(Note("status", f"{said}; imported as proposed: set the status by hand", True))
        return "proposed"
    if superseded and not has_successor:
        notes.append(Note("status", "superseded, but no record in the folder supersedes it; imported as retired", True))
        return "retired"
    return _STATUS[chosen]


def map_dates(record: Record, status: str, origin: Origin | None, notes: list[Note]) -> tuple[str, str] | None:
    """``(date, decided_on)``: the record's date, else the date of its first git commit; None when neither exists."""
    date = record.date
    if not date and origin and origin.date:
        date = origin.date
        notes.append(Note("date", f"no date in the record; used the date of its first git commit ({date})"))
    if not date:
        notes.append(
            Note(
                "date",
                "no date, and git has no commit of the file; add a 'Date: YYYY-MM-DD' line and import again",
                True,
            )
        )
        return None
    if status != "decided":
        return date, ""
    return date, record.status_date if record.status_date >= date else date


def map_people(
    record: Record, status: str, origin: Origin | None, dri: str, notes: list[Note]
) -> tuple[str, tuple[str, ...]] | None:
    """``(dri, inputs)``: one decider is the DRI; several, or none, follow the rules in docs/import.md."""
    persons = [d for d in record.deciders if why_not_one_person(d) is None]
    inputs = [f"{d} (decider)" for d in record.deciders if d not in persons]
    notes += [
        Note("deciders", f'"{d}" is not one person; listed under inputs') for d in record.deciders if d not in persons
    ]
    inputs += [f"{c} (consulted)" for c in record.consulted] + [f"{i} (informed)" for i in record.informed]
    if status == "proposed" or persons:
        dri = persons[0] if len(persons) == 1 or (persons and status != "proposed") else TBD
        others = [p for p in persons if p != dri]
        if others and status != "proposed":
            notes.append(
                Note(
                    "dri",
                    f"{len(persons)} deciders ({', '.join(persons)}); the DRI is the first, {dri}: confirm the DRI",
                    True,
                )
            )
        return dri, tuple([f"{p} (decider)" for p in others] + inputs)
    if dri:
        notes.append(Note("dri", f"names no decider; the DRI is {dri} (--dri)"))
        return dri, tuple(inputs)
    if origin and origin.author:
        notes.append(
            Note(
                "dri",
                f"names no decider; the DRI is {origin.author}, who committed the file first: confirm the DRI",
                True,
            )
        )
        return origin.author, tuple(inputs)
    notes.append(
        Note(
            "dri",
            f"names no decider, and git does not know who added the file; pass --dri NAME to name the DRI of a {status} record",
            True,
        )
    )
    return None


def map_title(record: Record, notes: list[Note]) -> str:
    title = record.title.strip()
    if len(title) < 3:
        named = title_from_name(record.name)
        if title:
            notes.append(Note("title", f'"{title}" is too short for a title; used "{named}"', True))
        title = named
    if len(title) > TITLE_MAX:
        notes.append(Note("title", f"is longer than {TITLE_MAX} characters; cut at {TITLE_MAX}", True))
    return title[:TITLE_MAX]


def map_aliases(
    records: Sequence[Record], taken: Collection[str]
) -> dict[str, tuple[tuple[str, ...], tuple[Note, ...]]]:
    """The original number (or, for log4brains, the file name's stem) of each record, unless it would be ambiguous.

    ``records`` are all the folder's records, imported before or not, so that a number shared with an
    earlier import is still seen as shared.
    """
    counts: dict[int, list[str]] = {}
    for record in records:
        if record.number:
            counts.setdefault(int(record.number), []).append(record.name)
    taken_numbers = {int(a) for a in taken if a.isdigit()}
    found: dict[str, tuple[tuple[str, ...], tuple[Note, ...]]] = {}
    for record in records:
        stem = record.name.removesuffix(".md")
        if not record.number:
            alias, note = stem, None
        elif len(counts[int(record.number)]) > 1:
            others = ", ".join(n for n in counts[int(record.number)] if n != record.name)
            alias = stem
            note = Note(
                "number",
                f"{record.number} is also the number of {others}; kept the alias {stem} instead, so 'decide show {int(record.number)}' finds neither",
                True,
            )
        else:
            alias, note = record.number, None
        if alias in taken or (alias.isdigit() and int(alias) in taken_numbers):
            alias, note = "", Note("number", f"the alias {alias} already names another memo; none kept", True)
        found[record.name] = ((alias,) if alias else (), (note,) if note else ())
    return found
