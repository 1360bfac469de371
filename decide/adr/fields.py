"""How one ADR record's fields become a memo's: status, dates, DRI and inputs, title, aliases (the table in docs/import.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from decide.adr.dates import read_date
from decide.adr.formats import Note, Record
from decide.adr.names import title_from_name
from decide.adr.people import Decider, as_input, read_decider
from decide.person import TBD

_STATUS = {"accepted": "decided", "proposed": "proposed", "rejected": "rejected", "deprecated": "retired"}
_LATEST_FIRST = ("deprecated", "rejected", "accepted", "proposed")
TITLE_MAX = 300  # the schema's maxLength for title


@dataclass(frozen=True)
class Origin:
    """What git knows of a source file: the date, author and commit of the commit that added it."""

    date: str
    author: str
    commit: str = ""


def map_status(record: Record, *, has_successor: bool, notes: list[Note]) -> str:
    """accepted -> decided, proposed, rejected, deprecated -> retired; superseded is derived from the newer memo."""
    words = [w for w in record.statuses if w != "superseded"]
    superseded = "superseded" in record.statuses
    said = _short(record.status_said or record.status)
    if len(words) > 1:
        chosen = next(w for w in _LATEST_FIRST if w in words)
        message = f'two statuses ({", ".join(words)}) in "{said}"; imported as {_STATUS[chosen]}: check it'
        notes.append(Note("status", message, True))
    elif words:
        chosen = words[0]
        if record.status_said.strip(" .").casefold() != chosen:
            notes.append(Note("status", f'"{said}" read as {chosen}', kind="status read from prose"))
    elif superseded:
        chosen = "accepted"
    else:
        known = f'"{said}" is not a status this import knows' if said else "no status"
        notes.append(Note("status", f"{known}; imported as proposed: set the status by hand", True))
        return "proposed"
    if superseded and not has_successor:
        notes.append(Note("status", "superseded, but no record in the folder supersedes it; imported as retired", True))
        return "retired"
    return _STATUS[chosen]


def map_dates(
    record: Record, status: str, origin: Origin | None, order: str, notes: list[Note]
) -> tuple[str, str] | None:
    """``(date, decided_on)``: the record's date, else the one in its file name, else its first git commit's; None when none."""
    written = read_date(record.date_text, order)
    date = written.iso
    if written.note and date:
        notes.append(Note("date", written.note, written.needs_human, kind="" if written.needs_human else "dates read"))
    if not date:
        date = _fallback_date(record, origin, written.note, notes)
    if not date:
        return None
    if status != "decided":
        return date, ""
    return date, record.status_date if record.status_date >= date else date


def _fallback_date(record: Record, origin: Origin | None, unread: str, notes: list[Note]) -> str:
    """The date when the record has none it can be read by: from the file name, then git; one note says which."""
    why = unread.removesuffix("; treated as missing") if unread else "no date in the record"
    if record.name_date:
        notes.append(
            Note(
                "date",
                f"{why}; used the one in its file name ({record.name_date})",
                bool(unread),
                "dates from file names",
            )
        )
        return record.name_date
    if origin and origin.date:
        message = f"{why}; used the date of its first git commit ({origin.date})"
        notes.append(Note("date", message, bool(unread), "" if unread else "dates from git"))
        return origin.date
    notes.append(
        Note("date", f"{why}, and git has no commit of the file; add a 'Date: YYYY-MM-DD' line and import again", True)
    )
    return ""


def map_people(
    record: Record, status: str, origin: Origin | None, dri: str, notes: list[Note]
) -> tuple[str, tuple[str, ...]] | None:
    """``(dri, inputs)``: a group or role never becomes the DRI; several people, or none, follow docs/import.md."""
    deciders = [read_decider(d) for d in record.deciders]
    persons = [d for d in deciders if d.person]
    others = [d for d in deciders if not d.person]
    inputs = [as_input(d.text) for d in others]
    inputs += [f"{c} (consulted)" for c in record.consulted] + [f"{i} (informed)" for i in record.informed]
    notes += [
        Note("deciders", f"{d.why}; listed under inputs", kind="deciders that are not one person") for d in others
    ]
    notes += [
        Note("deciders", f'"{d.text}" read as {d.person}', kind="decider remarks left out")
        for d in persons
        if d.person != d.text
    ]
    if persons and (status != "proposed" or len(persons) == 1):
        return _first_person(persons, inputs, notes)
    if status == "proposed":
        return TBD, tuple([as_input(p.text) for p in persons] + inputs)
    said = (
        f"names no one person as decider ({_short(', '.join(d.text for d in others))})"
        if others
        else "names no decider"
    )
    found = _no_person(said, status, origin, dri, notes)
    return (found, tuple(inputs)) if found else None


def _first_person(persons: list[Decider], inputs: list[str], notes: list[Note]) -> tuple[str, tuple[str, ...]]:
    dri = persons[0].person
    if len(persons) > 1:
        names = ", ".join(p.person for p in persons)
        message = f"{len(persons)} deciders ({_short(names)}); the DRI is the first, {dri}: confirm the DRI"
        notes.append(Note("dri", message, True))
    return dri, tuple([as_input(p.text) for p in persons[1:]] + inputs)


def _no_person(said: str, status: str, origin: Origin | None, dri: str, notes: list[Note]) -> str | None:
    """The DRI of a decided record that names no person: ``--dri``, else the git author to confirm, else none."""
    if dri:
        notes.append(Note("dri", f"{said}; the DRI is {dri} (--dri)", kind="DRI given with --dri"))
        return dri
    if origin and origin.author:
        message = f"{said}; the DRI is {origin.author}, who committed the file first: confirm the DRI"
        notes.append(Note("dri", message, True))
        return origin.author
    message = f"{said}, and git does not know who added the file; pass --dri NAME to name the DRI of a {status} record"
    notes.append(Note("dri", message, True))
    return None


def map_title(record: Record, notes: list[Note]) -> str:
    """The cleaned title; the file name's words when there is none (or it is too short); cut at the schema's limit."""
    title = record.title.strip()
    if not record.heading and not title:
        notes.append(Note("title", "no '# Title' line; used the file name as the title", True))
    if record.title_number and record.number and int(record.title_number) != int(record.number):
        message = f"the title says {record.title_number}, the file name {record.number}; kept {record.number}"
        notes.append(Note("title", message, kind="numbers that differ"))
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
    """The original number (or, for a dated or unnumbered file, the file name's stem) of each record, unless ambiguous.

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
        alias, note = (record.number, None) if record.number else (stem, None)
        if record.number and len(counts[int(record.number)]) > 1:
            others = ", ".join(n for n in counts[int(record.number)] if n != record.name)
            alias = stem
            message = f"{record.number} is also the number of {_short(others)}; kept the alias {stem} instead, so 'decide show {int(record.number)}' finds neither"
            note = Note("number", message, True)
        if alias in taken or (alias.isdigit() and int(alias) in taken_numbers):
            alias, note = "", Note("number", f"the alias {alias} already names another memo; none kept", True)
        found[record.name] = ((alias,) if alias else (), (note,) if note else ())
    return found


def _short(text: str, limit: int = 80) -> str:
    """A value quoted in a one-line message, cut so the line stays readable."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
