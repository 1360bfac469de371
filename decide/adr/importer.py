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

# Every problem a memo would have, given its front-matter as data, its body and its file name.
Check = Callable[[Mapping[str, object], str, str], Sequence[Problem]]
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
    """What mapping one record needs to know of the others (``new_names``: memo file names given in this run)."""

    source: Source
    links: Succession
    aliases: Mapping[str, tuple[tuple[str, ...], tuple[Note, ...]]]
    taken: set[str]
    check: Check
    new_names: dict[str, str] = field(default_factory=dict)


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
    context.new_names[record.name] = filename(memo_id, draft.title)
    return _Mapped(record, memo_id, draft, tuple(notes), aliases[0])


def _finish(
    context: _Context, existing: Existing, mapped: list[_Mapped], known: dict[str, str], outcomes: dict[str, Outcome]
) -> ImportPlan:
    """Render the memos linked to each other, check each as validate would, and order the outcomes.

    A memo that would not pass is skipped with every problem named, and the others are rendered
    again without links to it (rare: one extra round per round of failures).
    """
    while True:
        names = _memo_names(context, existing, known)
        rendered = [_render_linked(context, item, known, names) for item in mapped]
        failed = {item.record.name for item, memo, _notes, _assets in rendered if memo is None}
        if not failed:
            break
        for item, _memo, notes, _assets in rendered:
            if item.record.name in failed:
                outcomes[item.record.name] = Outcome(context.source.source_of(item.record.name), "skipped", notes=notes)
                del known[item.record.name]
        mapped = [item for item in mapped if item.record.name not in failed]
    for item, memo, notes, _assets in rendered:
        assert memo is not None
        outcomes[item.record.name] = Outcome(
            context.source.source_of(item.record.name), "imported", item.id, memo.filename, notes
        )
    assets = sorted({path for *_rest, paths in rendered for path in paths})
    memos = tuple(memo for _item, memo, _notes, _assets in rendered if memo is not None)
    ordered = tuple(outcomes[n] for n in sorted(outcomes))
    return ImportPlan(context.source.fmt, "", memos, ordered, assets=tuple(assets))


_Rendered = tuple[_Mapped, Planned | None, tuple[Note, ...], tuple[str, ...]]


def _render_linked(context: _Context, item: _Mapped, known: Mapping[str, str], names: Mapping[str, str]) -> _Rendered:
    """One memo with its supersedes, amends and body links to the other memos; None (and why) when it would not pass."""
    source, links, name = context.source, context.links, item.record.name
    body = rewrite_links(item.draft.body, source.folder, names, source.files)
    notes = item.notes + _lost_links(name, links, known) + body.notes
    lists = {
        "amends": tuple(known[n] for n in links.amends.get(name, ()) if n in known),
        "aliases": item.aliases,
        "needs_human": tuple(dict.fromkeys(f"{n.field}: {n.message}" for n in notes if n.needs_human)),
    }
    imported = _imported(item.record, source.source_of(name), item.draft.title)
    older = tuple(known[n] for n in links.older.get(name, ()) if n in known)
    draft = replace(item.draft, supersedes=older, body=body.body, extra_yaml=_extra(imported, lists))
    text = _render(draft, item.id, item.record.newline)
    problems = context.check(_data(draft, item.id, imported, lists), draft.body, names[name])
    if problems:
        return item, None, item.notes + tuple(Note(p.field or "memo", p.message, True) for p in problems), ()
    return item, Planned(item.id, names[name], text), notes, body.assets


def _memo_names(context: _Context, existing: Existing, known: Mapping[str, str]) -> dict[str, str]:
    """Record file name -> the file name of its memo (new or imported before), or "" when it has none."""
    names = {r.name: "" for r in context.source.records}
    names.update({n: existing.filenames.get(i, "") for n, i in known.items()})
    names.update({n: f for n, f in context.new_names.items() if n in known})
    return names


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
    text = render_draft(draft, memo_id)
    front = text[: len(text) - len(draft.body)]
    return (front.replace("\n", newline) if newline != "\n" else front) + draft.body


def _imported(record: Record, where: str, title: str) -> dict[str, str]:
    """``imported``: the tool and the file, the title as written when it was cleaned, and a front-matter status.

    The status is kept when it said more than a word (``accepted; supersedes ADR-0045``): the
    front-matter it was in is replaced by the memo's, so it is not in the body.
    """
    found = {"from": record.fmt, "source": where}
    if record.heading and record.heading.strip() != title:
        found["title"] = record.heading.strip()
    if record.front_status and record.front_status.casefold() not in _PLAIN_STATUSES:
        found["status"] = record.front_status
    return found


def _extra(imported: Mapping[str, str], lists: Mapping[str, tuple[str, ...]]) -> str:
    """The fields ``decide new`` does not write: amends, aliases, where the memo came from, and ``needs_human`` last."""
    lines = [_list(key, lists.get(key, ())) for key in ("amends", "aliases")]
    lines.append("imported:\n" + "".join(f"  {k}: {v if k == 'from' else _quoted(v)}\n" for k, v in imported.items()))
    lines.append(_list("needs_human", lists.get("needs_human", ())))
    return "".join(lines).rstrip("\n")


def _data(
    draft: Draft, memo_id: str, imported: Mapping[str, str], lists: Mapping[str, tuple[str, ...]]
) -> dict[str, object]:
    """The front-matter ``_render`` writes, as the data ``decide validate`` will read back from it (so it is not parsed again)."""
    data: dict[str, object] = {"id": memo_id, "title": draft.title, "status": draft.status, "date": draft.date}
    if draft.decided_on:
        data["decided_on"] = draft.decided_on
    data |= {"dri": draft.dri, "inputs": [i if isinstance(i, str) else i.who for i in draft.inputs]}
    fields = {"supersedes": draft.supersedes, "tags": draft.tags, **lists}
    data |= {key: list(values) for key, values in fields.items() if values}
    data["imported"] = dict(imported)
    return data


def _list(key: str, values: tuple[str, ...]) -> str:
    return f"{key}:\n" + "".join(f"  - {_quoted(v)}\n" for v in values) if values else ""


def _quoted(value: str) -> str:
    """A double-quoted YAML scalar, so every reader (not only decide's) reads back the same string."""
    quoted = json.dumps(value, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return "".join(c if c.isprintable() else json.dumps(c).strip('"') for c in quoted)
