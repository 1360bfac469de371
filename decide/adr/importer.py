"""Bringing an ADR log in: a pure plan of one memo per record, then a thin step that writes them."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from decide.adr.fields import Origin, map_aliases, map_dates, map_people, map_status, map_title
from decide.adr.formats import Note, Record, Unreadable, decode, detect_format, is_record_name, parse
from decide.adr.supersedes import Succession, resolve_succession
from decide.config import Config
from decide.decisions import load_log, memo_paths
from decide.draft import Draft, render_draft
from decide.errors import CannotRun, Refused, UsageError
from decide.ids import filename, id_from_filename, new_id
from decide.memo import MAX_BYTES
from decide.memo import parse as parse_memo
from decide.problem import Problem
from decide.schema import Checker, load_schemas
from decide.site.body import BodyCheck
from decide.validate import check_memo

_NAMED = re.compile(r"^\d+-")
Check = Callable[[str, str], Sequence[Problem]]


@dataclass(frozen=True)
class Source:
    """The records of one folder, in one format, with what git knows of them and the fallback DRI."""

    fmt: str
    folder: str
    records: tuple[Record | Unreadable, ...]
    history: Mapping[str, Origin] = field(default_factory=dict)
    dri: str = ""

    def source_of(self, name: str) -> str:
        """What ``imported.source`` says for a file: its path from the repository root (or from the folder's parent)."""
        return posixpath.join(self.folder, name)


@dataclass(frozen=True)
class Existing:
    """What the log already holds: IDs, aliases, imported sources (to their IDs), and memos already superseded."""

    ids: frozenset[str] = frozenset()
    aliases: frozenset[str] = frozenset()
    sources: Mapping[str, str] = field(default_factory=dict)
    superseded: frozenset[str] = frozenset()


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
    """The memos to write and the outcome of every source file."""

    fmt: str
    detected: str
    memos: tuple[Planned, ...]
    outcomes: tuple[Outcome, ...]
    ignored: tuple[str, ...] = ()

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


def plan_import(source: Source, existing: Existing, check: Check) -> ImportPlan:
    """One memo per new record; records already imported (same ``imported.source``) are left alone. Pure."""
    outcomes: dict[str, Outcome] = {}
    known = _already(source, existing)
    for name, memo_id in known.items():
        outcomes[name] = Outcome(source.source_of(name), "already imported", memo_id)
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
    return _finish(source, mapped, links, known, outcomes)


def _already(source: Source, existing: Existing) -> dict[str, str]:
    names = {source.source_of(r.name): r.name for r in source.records}
    return {names[s]: memo_id for s, memo_id in existing.sources.items() if s in names}


def _map(record: Record, context: _Context) -> _Mapped | Outcome:
    """The draft of one record, or why it is skipped (including every problem the memo would have)."""
    source, aliases = context.source, context.aliases[record.name]
    where = source.source_of(record.name)
    notes = list(record.notes) + list(aliases[1]) + list(context.links.notes.get(record.name, ()))
    origin = source.history.get(record.name)
    status = map_status(record, has_successor=record.name in context.links.successor, notes=notes)
    dates = map_dates(record, status, origin, notes)
    people = map_people(record, status, origin, source.dri, notes)
    if dates is None or people is None:
        return Outcome(where, "skipped", notes=tuple(notes))
    memo_id = new_id(context.taken)
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
        extra_yaml=_extra(aliases[0], record.fmt, where),
    )
    problems = context.check(_render(draft, memo_id, record.newline), filename(memo_id, draft.title))
    if problems:
        notes += [Note(p.field or "memo", p.message, True) for p in problems]
        return Outcome(where, "skipped", notes=tuple(notes))
    return _Mapped(record, memo_id, draft, tuple(notes))


def _finish(
    source: Source, mapped: list[_Mapped], links: Succession, known: Mapping[str, str], outcomes: dict[str, Outcome]
) -> ImportPlan:
    """Add the supersede links between memos that are being written, render them, and order the outcomes."""
    memos = []
    for item in mapped:
        older = tuple(known[name] for name in links.older.get(item.record.name, ()) if name in known)
        notes = item.notes + _lost_links(item.record.name, links, known)
        draft = replace(item.draft, supersedes=older)
        name = filename(item.id, draft.title)
        memos.append(Planned(item.id, name, _render(draft, item.id, item.record.newline)))
        outcomes[item.record.name] = Outcome(source.source_of(item.record.name), "imported", item.id, name, notes)
    ordered = tuple(outcomes[n] for n in sorted(outcomes))
    return ImportPlan(source.fmt, "", tuple(memos), ordered)


def _lost_links(name: str, links: Succession, known: Mapping[str, str]) -> tuple[Note, ...]:
    """Notes for supersede links whose other end was skipped."""
    lost = [
        Note("supersedes", f"{older} was not imported, so this memo does not supersede it", True)
        for older in links.older.get(name, ())
        if older not in known
    ]
    newer = links.successor.get(name)
    if newer and newer not in known:
        lost.append(
            Note(
                "status",
                f"superseded by {newer}, which was not imported; import it to show this memo as superseded",
                True,
            )
        )
    return tuple(lost)


def _render(draft: Draft, memo_id: str, newline: str) -> str:
    """The memo's text; a CRLF record gets CRLF front-matter too, and its body stays byte for byte."""
    front = render_draft(replace(draft, body=""), memo_id)
    return front.replace("\n", newline) + draft.body


def _extra(aliases: tuple[str, ...], fmt: str, where: str) -> str:
    lines = ["aliases:", *(f"  - {json.dumps(a, ensure_ascii=False)}" for a in aliases)] if aliases else []
    return "\n".join([*lines, "imported:", f"  from: {fmt}", f"  source: {json.dumps(where, ensure_ascii=False)}"])


def import_folder(
    config: Config, folder: Path, *, fmt: str = "auto", dry_run: bool = False, dri: str = ""
) -> ImportPlan:
    """Read the records in ``folder`` (never changing it), plan the import and, unless ``dry_run``, write the memos."""
    from decide.files import write_new

    folder = _check_folder(config, folder)
    candidates = sorted(p.name for p in folder.iterdir() if p.suffix == ".md" and p.is_file() and _NAMED.match(p.name))
    texts = {name: _read(folder / name) for name in candidates}
    fmt, detected = _choose_format(fmt, {n: t for n, t in texts.items() if isinstance(t, str)})
    names = [n for n in candidates if is_record_name(n, fmt)]
    if not names:
        raise Refused(
            f"{folder}: no {fmt} records here (file names like 0001-title.md{', 20200902-title.md' if fmt == 'log4brains' else ''})"
        )
    source = Source(fmt, _label(config, folder), tuple(_record(texts[n], n, fmt) for n in names), _history(folder), dri)
    plan = plan_import(source, _existing(config), _checker(config))
    others = sorted(p.name for p in folder.iterdir() if p.name.endswith(".md") and p.name not in names)
    ignored = tuple(source.source_of(n) for n in others)
    plan = replace(plan, detected=detected, ignored=ignored)
    if not dry_run and plan.memos:
        config.decisions_dir.mkdir(parents=True, exist_ok=True)
        for memo in plan.memos:
            write_new(config.decisions_dir / memo.filename, memo.text)
    return plan


def _read(path: Path) -> str | Unreadable:
    try:
        return decode(path.read_bytes(), path.name)
    except OSError as exc:
        return Unreadable(path.name, Note("file", f"cannot be read: {exc.strerror or exc}", True))


def _check_folder(config: Config, folder: Path) -> Path:
    if not folder.exists():
        raise CannotRun(f"{folder}: no such folder; give the folder that holds the ADRs (e.g. doc/adr)")
    if not folder.is_dir():
        raise UsageError(f"{folder} is a file; give the folder that holds the ADRs (e.g. doc/adr)")
    folder = folder.resolve()
    if folder == config.decisions_dir.resolve():
        raise UsageError(
            f"{folder} is the decisions folder itself; move the ADRs to another folder and import from there"
        )
    return folder


def _choose_format(fmt: str, texts: Mapping[str, str]) -> tuple[str, str]:
    if fmt != "auto":
        return fmt, f"{fmt} (as asked)"
    found, why = detect_format(texts)
    if found is None:
        raise UsageError(why)
    return found, why


def _record(text: str | Unreadable, name: str, fmt: str) -> Record | Unreadable:
    if isinstance(text, Unreadable):
        return text
    if len(text) > MAX_BYTES:
        return Unreadable(
            name, Note("file", "is larger than 1 MB, the most a memo may be; split it and import again", True)
        )
    return parse(text, name, fmt)


def _label(config: Config, folder: Path) -> str:
    """The folder as ``imported.source`` names it: from the repository root, or just its name when outside."""
    try:
        return folder.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return folder.name


def _history(folder: Path) -> dict[str, Origin]:
    from decide.git import first_added

    return {name: Origin(date, author) for name, (date, author) in first_added(folder).items()}


def _existing(config: Config) -> Existing:
    if not config.decisions_dir.is_dir():
        return Existing()
    log = load_log(config)
    ids = {m.id for m in log.memos} | {i for p in memo_paths(config) if (i := id_from_filename(p.name))}
    return Existing(
        ids=frozenset(ids),
        aliases=frozenset(a for m in log.memos for a in m.aliases),
        sources={m.imported_source: m.id for m in log.memos if m.imported_source},
        superseded=frozenset(s for m in log.memos for s in m.supersedes),
    )


def _checker(config: Config) -> Check:
    """Every problem a memo text would have (schema and rules on one memo), with the schemas loaded once."""
    checker = Checker(load_schemas(config))
    bodies = BodyCheck(config.root)
    prefix = config.decisions_dir.relative_to(config.root).as_posix()

    def check(text: str, name: str) -> list[Problem]:
        parsed = parse_memo(text, f"{prefix}/{name}")
        if parsed.memo is None:
            return list(parsed.problems)
        return checker.check(parsed.memo) + check_memo(parsed.memo, bodies)

    return check


def render_report(plan: ImportPlan, *, decisions: str, dry_run: bool) -> str:
    """One line per file (imported as D-…, already imported, skipped, ignored), then its notes, indented."""
    lines = [f"format: {plan.detected}"]
    for outcome in plan.outcomes:
        lines.append(f"{outcome.source}: {_describe(outcome, decisions, dry_run)}")
        lines += [f"  {'needs a human' if n.needs_human else 'note'}: {n.field}: {n.message}" for n in outcome.notes]
    example = "20200902-title.md" if plan.fmt == "log4brains" else "0001-title.md"
    lines += [f"{name}: ignored, not a record (records are named like {example})" for name in plan.ignored]
    return "\n".join(lines) + "\n"


def _describe(outcome: Outcome, decisions: str, dry_run: bool) -> str:
    if outcome.result == "imported":
        return f"{'would be imported' if dry_run else 'imported'} as {outcome.id} ({decisions}/{outcome.filename})"
    if outcome.result == "already imported":
        return f"already imported as {outcome.id}"
    return "skipped"


def render_summary(plan: ImportPlan, *, dry_run: bool) -> str:
    """``12 file(s): 10 imported, 1 skipped, 1 already imported; 3 need a human``."""
    counts = {r: sum(o.result == r for o in plan.outcomes) for r in ("imported", "skipped", "already imported")}
    if dry_run:
        counts = {("would be imported" if r == "imported" else r): n for r, n in counts.items()}
    parts = ", ".join(f"{n} {r}" for r, n in counts.items())
    human = sum(o.needs_human for o in plan.outcomes)
    return f"{len(plan.outcomes)} file(s): {parts}; {human} need a human" + (
        " (dry run: nothing written)" if dry_run else ""
    )


def report_dict(plan: ImportPlan, *, decisions: str, dry_run: bool) -> dict[str, Any]:
    """The report as data, for ``--format json``."""
    return {
        "format": plan.fmt,
        "detected": plan.detected,
        "dry_run": dry_run,
        "files": [
            {
                "source": o.source,
                "result": o.result,
                "id": o.id,
                "path": f"{decisions}/{o.filename}" if o.filename else "",
                "needs_human": o.needs_human,
                "notes": [asdict(n) for n in o.notes],
            }
            for o in plan.outcomes
        ],
        "ignored": list(plan.ignored),
        "exit_code": plan.exit_code,
    }
