"""Bringing an ADR log in: a pure plan of one memo per record (and the images they link to), then a thin step that writes them."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from decide.adr.fields import Origin, map_aliases, map_dates, map_people, map_status, map_title
from decide.adr.formats import Note, Record, Unreadable
from decide.adr.links import rewrite_links
from decide.adr.names import derive_id
from decide.adr.supersedes import Succession, resolve_succession
from decide.draft import Draft, render_draft
from decide.ids import filename
from decide.problem import Problem

Check = Callable[[str, str], Sequence[Problem]]
_PLAIN_STATUSES = frozenset({"accepted", "proposed", "rejected", "deprecated", "draft", "superseded"})


@dataclass(frozen=True)
class Source:
    """The records of one folder, with what git knows of them, the fallback DRI and how to read ``05/06/2023``.

    ``files`` says what is at each path the bodies link to (see ``decide.adr.links.rewrite_links``);
    ``seeds`` makes each record's memo ID (the same in a dry run and the real one).
    """

    fmt: str
    folder: str
    records: tuple[Record | Unreadable, ...]
    history: Mapping[str, Origin] = field(default_factory=dict)
    dri: str = ""
    order: str = "auto"
    files: Mapping[str, str] = field(default_factory=dict)
    seeds: Mapping[str, str] = field(default_factory=dict)

    def source_of(self, name: str) -> str:
        """What ``imported.source`` says for a file: its path from the repository root (or from the folder's parent)."""
        return posixpath.join(self.folder, name)


@dataclass(frozen=True)
class Existing:
    """What the log already holds: IDs, aliases, imported sources (to their IDs), memos superseded, file names, to-dos."""

    ids: frozenset[str] = frozenset()
    aliases: frozenset[str] = frozenset()
    sources: Mapping[str, str] = field(default_factory=dict)
    superseded: frozenset[str] = frozenset()
    filenames: Mapping[str, str] = field(default_factory=dict)
    needs_human: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Planned:
    """A memo to write: its file name in the decisions folder and its full text."""

    id: str
    filename: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """What happened to one source file: ``imported``, ``skipped`` or ``already imported``, with its notes."""

    source: str
    result: str
    id: str = ""
    filename: str = ""
    notes: tuple[Note, ...] = ()

    @property
    def needs_human(self) -> bool:
        return self.result == "skipped" or any(n.needs_human for n in self.notes)


@dataclass(frozen=True)
class ImportPlan:
    """The memos to write, the files to copy beside them (paths from the ADR folder), and the outcome of every file."""

    fmt: str
    detected: str
    memos: tuple[Planned, ...]
    outcomes: tuple[Outcome, ...]
    ignored: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """1 when a record was skipped or needs a human, so that CI notices; else 0."""
        return 1 if any(o.needs_human for o in self.outcomes) else 0


@dataclass(frozen=True)
class _Context:
    """What mapping one record needs to know of the others."""

    source: Source
    links: Succession
    aliases: Mapping[str, tuple[tuple[str, ...], tuple[Note, ...]]]
    taken: set[str]
    check: Check


@dataclass(frozen=True)
class _Mapped:
    record: Record
    id: str
    draft: Draft
    notes: tuple[Note, ...]
    aliases: tuple[str, ...]


def plan_import(source: Source, existing: Existing, check: Check) -> ImportPlan:
    """One memo per new record; records already imported (same ``imported.source``) are left alone. Pure."""
    outcomes: dict[str, Outcome] = {}
    known = _already(source, existing)
    for name, memo_id in known.items():
        outcomes[name] = Outcome(
            source.source_of(name), "already imported", memo_id, notes=_still_to_do(existing, memo_id)
        )
    records = [r for r in source.records if isinstance(r, Record) and r.name not in known]
    links = resolve_succession(records, known, existing.superseded)
    readable = [r for r in source.records if isinstance(r, Record)]
    context = _Context(source, links, map_aliases(readable, existing.aliases), set(existing.ids), check)
    mapped: list[_Mapped] = []
    for item in source.records:
        if item.name in known:
            continue
        if isinstance(item, Unreadable):
            outcomes[item.name] = Outcome(source.source_of(item.name), "skipped", notes=(item.note,))
            continue
        result = _map(item, context)
        if isinstance(result, Outcome):
            outcomes[item.name] = result
        else:
            mapped.append(result)
            known[item.name] = result.id
    return _finish(context, existing, mapped, known, outcomes)


def _already(source: Source, existing: Existing) -> dict[str, str]:
    names = {source.source_of(r.name): r.name for r in source.records}
    return {names[s]: memo_id for s, memo_id in existing.sources.items() if s in names}


def _still_to_do(existing: Existing, memo_id: str) -> tuple[Note, ...]:
    """The to-dos an earlier import left in the memo and nobody has cleared yet, so a second run reports them again."""
    items = existing.needs_human.get(memo_id, ())
    split = [item.partition(": ") for item in items]
    return tuple(Note(field, message, True) if message else Note("memo", field, True) for field, _, message in split)


def _map(record: Record, context: _Context) -> _Mapped | Outcome:
    """The draft of one record, or why it is skipped (including every problem the memo would have)."""
    source, aliases = context.source, context.aliases[record.name]
    where = source.source_of(record.name)
    notes = list(record.notes) + list(aliases[1]) + list(context.links.notes.get(record.name, ()))
    origin = source.history.get(record.name)
    status = map_status(record, has_successor=record.name in context.links.successor, notes=notes)
    dates = map_dates(record, status, origin, source.order, notes)
    people = map_people(record, status, origin, source.dri, notes)
    if dates is None or people is None:
        return Outcome(where, "skipped", notes=tuple(notes))
    memo_id = derive_id(source.seeds.get(record.name, where), context.taken)
    context.taken.add(memo_id)
    draft = Draft(
        title=map_title(record, notes),
        dri=people[0],
        date=dates[0],
        status=status,
        decided_on=dates[1],
        inputs=people[1],
        tags=tuple(dict.fromkeys(t for t in record.tags if len(t) <= 60)),
        body=record.body,
    )
    draft = replace(draft, extra_yaml=_extra(record, where, draft.title, {"aliases": aliases[0]}))
    problems = context.check(_render(draft, memo_id, record.newline), filename(memo_id, draft.title))
    if problems:
        notes += [Note(p.field or "memo", p.message, True) for p in problems]
        return Outcome(where, "skipped", notes=tuple(notes))
    return _Mapped(record, memo_id, draft, tuple(notes), aliases[0])


def _finish(
    context: _Context, existing: Existing, mapped: list[_Mapped], known: Mapping[str, str], outcomes: dict[str, Outcome]
) -> ImportPlan:
    """Link the memos being written (supersedes, amends, links in their bodies), render them, and order the outcomes."""
    source, links = context.source, context.links
    names = {item.record.name: filename(item.id, item.draft.title) for item in mapped}
    names.update({n: existing.filenames.get(i, "") for n, i in known.items() if n not in names})
    names.update({r.name: "" for r in source.records if r.name not in names})
    memos: list[Planned] = []
    assets: set[str] = set()
    for item in mapped:
        body = rewrite_links(item.draft.body, source.folder, names, source.files)
        assets.update(body.assets)
        notes = item.notes + _lost_links(item.record.name, links, known) + body.notes
        where = source.source_of(item.record.name)
        lists = {
            "amends": tuple(known[n] for n in links.amends.get(item.record.name, ()) if n in known),
            "aliases": item.aliases,
            "needs_human": tuple(dict.fromkeys(f"{n.field}: {n.message}" for n in notes if n.needs_human)),
        }
        extra = _extra(item.record, where, item.draft.title, lists)
        older = tuple(known[n] for n in links.older.get(item.record.name, ()) if n in known)
        draft = replace(item.draft, supersedes=older, body=body.body, extra_yaml=extra)
        name = names[item.record.name]
        memos.append(Planned(item.id, name, _render(draft, item.id, item.record.newline)))
        outcomes[item.record.name] = Outcome(where, "imported", item.id, name, notes)
    ordered = tuple(outcomes[n] for n in sorted(outcomes))
    return ImportPlan(source.fmt, "", tuple(memos), ordered, assets=tuple(sorted(assets)))


def _lost_links(name: str, links: Succession, known: Mapping[str, str]) -> tuple[Note, ...]:
    """Notes for supersede and amend links whose other end was skipped."""
    lost = [
        Note("supersedes", f"{older} was not imported, so this memo does not supersede it", True)
        for older in links.older.get(name, ())
        if older not in known
    ]
    lost += [
        Note("amends", f"{older} was not imported, so this memo does not amend it", True)
        for older in links.amends.get(name, ())
        if older not in known
    ]
    newer = links.successor.get(name)
    if newer and newer not in known:
        message = f"superseded by {newer}, which was not imported; import it to show this memo as superseded"
        lost.append(Note("status", message, True))
    return tuple(lost)


def _render(draft: Draft, memo_id: str, newline: str) -> str:
    """The memo's text; a CRLF record gets CRLF front-matter too, and its body stays byte for byte."""
    front = render_draft(replace(draft, body=""), memo_id)
    return front.replace("\n", newline) + draft.body


def _extra(record: Record, where: str, title: str, lists: Mapping[str, tuple[str, ...]]) -> str:
    """The fields ``decide new`` does not write: amends, aliases, where the memo came from, and ``needs_human`` last."""
    lines = [_list(key, lists.get(key, ())) for key in ("amends", "aliases")]
    lines.append(f"imported:\n  from: {record.fmt}\n  source: {_quoted(where)}\n")
    if record.heading and record.heading.strip() != title:
        lines.append(f"  title: {_quoted(record.heading.strip())}\n")
    if record.front_status and record.front_status.casefold() not in _PLAIN_STATUSES:
        lines.append(f"  status: {_quoted(record.front_status)}\n")  # the front-matter it was in is not in the body
    lines.append(_list("needs_human", lists.get("needs_human", ())))
    return "".join(lines).rstrip("\n")


def _list(key: str, values: tuple[str, ...]) -> str:
    return f"{key}:\n" + "".join(f"  - {_quoted(v)}\n" for v in values) if values else ""


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar, so every reader (not only decide's) reads back the same string."""
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(c if c.isprintable() else json.dumps(c).strip('"') for c in quoted)
