"""``decide import``'s reading and writing: the ADR folder and git read once, the plan made, the memos and images written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from decide.adr.dates import infer_order
from decide.adr.fields import Origin
from decide.adr.formats import Note, Record, Unreadable, decode, detect_format, is_record_name, parse
from decide.adr.importer import Check, Existing, ImportPlan, Source, plan_import
from decide.adr.links import local_targets
from decide.config import Config
from decide.decisions import load_log, memo_paths
from decide.errors import CannotRun, Refused, UsageError
from decide.files import read_regular
from decide.ids import id_from_filename
from decide.memo import MAX_BYTES, Memo
from decide.problem import Problem
from decide.schema import Checker, load_schemas
from decide.site.body import BodyCheck
from decide.validate import check_memo


@dataclass(frozen=True)
class ImportOptions:
    """What ``decide import`` was asked: the format (auto: detect it), a dry run, the fallback DRI, the date order."""

    fmt: str = "auto"
    dry_run: bool = False
    dri: str = ""
    date_order: str = "auto"


def import_folder(config: Config, folder: Path, options: ImportOptions | None = None) -> ImportPlan:
    """Read the records in ``folder`` (never changing it), plan the import and, unless a dry run, write the memos."""
    options = options or ImportOptions()
    fmt, dri, date_order = options.fmt, options.dri, options.date_order
    folder = _check_folder(config, folder)
    history = _history_in_background(folder)  # git reads the history while Python parses the records
    with os.scandir(folder) as entries:
        markdown = sorted(e.name for e in entries if e.name.endswith(".md") and e.is_file())
    names = [n for n in markdown if is_record_name(n)]
    if not names:
        raise Refused(
            f"{folder}: no ADR records here (file names like 0001-title.md, adr-001-title.md or 2023-05-15-title.md)"
        )
    raws = {name: read_regular(folder / name) for name in names}
    records = [_record(raws[name], name) for name in names]
    asked = fmt
    fmt, detected = _choose_format(fmt, [r for r in records if isinstance(r, Record)])
    records = [_with_format(r, fmt, forced=asked != "auto") for r in records]
    label = _label(config, folder)
    readable = [r for r in records if isinstance(r, Record)]
    order = date_order if date_order != "auto" else infer_order(r.date_text for r in readable) or "auto"
    source = Source(
        fmt=fmt,
        folder=label,
        records=tuple(records),
        history=history.result(),
        dri=dri,
        order=order,
        files=_link_targets(config, folder, label, readable, set(names)),
        seeds={name: _seed(folder, name, raws[name]) for name in names},
    )
    plan = plan_import(source, _existing(config), _checker(config))
    taken = set(names)
    ignored = tuple(source.source_of(n) for n in markdown if n not in taken)
    plan = replace(plan, detected=detected, ignored=ignored)
    if not options.dry_run:
        _write(config, folder, plan)
    return plan


def _write(config: Config, folder: Path, plan: ImportPlan) -> None:
    from decide.files import write_new_many

    files: list[tuple[Path, str | bytes]] = [(config.decisions_dir / m.filename, m.text) for m in plan.memos]
    for asset in plan.assets:
        raw = read_regular(folder / asset)
        if raw is not None:
            files.append((config.decisions_dir / asset, raw))
    if files:
        for path in {p.parent for p, _ in files}:
            path.mkdir(parents=True, exist_ok=True)
        write_new_many(files)


def _record(raw: bytes | None, name: str) -> Record | Unreadable:
    if raw is None:
        return Unreadable(
            name, Note("file", "cannot be read (not a regular file); copy the record in and import again", True)
        )
    if len(raw) > MAX_BYTES:
        message = "is larger than 1 MB, the most a memo may be; split it and import again"
        return Unreadable(name, Note("file", message, True))
    text = decode(raw, name)
    return text if isinstance(text, Unreadable) else parse(text, name)


def _with_format(record: Record | Unreadable, fmt: str, *, forced: bool) -> Record | Unreadable:
    """The format a record is recorded as coming from: the one asked for, else its own look, else the folder's."""
    if isinstance(record, Unreadable) or (record.fmt and not forced) or record.fmt == fmt:
        return record
    return replace(record, fmt=fmt)


def _seed(folder: Path, name: str, raw: bytes | None) -> str:
    """What a record's memo ID is derived from: the folder, the file and its bytes (not the time, not chance)."""
    return f"{folder}\0{name}\0{hashlib.sha256(raw or b'').hexdigest()}"


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


def _choose_format(fmt: str, records: Sequence[Record]) -> tuple[str, str]:
    if fmt != "auto":
        return fmt, f"{fmt} (as asked)"
    found, why = detect_format(records)
    if found is None:
        raise UsageError(why)
    return found, why


def _label(config: Config, folder: Path) -> str:
    """The folder as ``imported.source`` names it: from the repository root, or just its name when outside."""
    try:
        return folder.relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return folder.name


def _history_in_background(folder: Path) -> Future[dict[str, Origin]]:
    """What git knows of each file (``first_added``), asked in a thread: git runs while the records are parsed."""
    from decide.git import first_added

    def history() -> dict[str, Origin]:
        return {name: Origin(date, author) for name, (date, author) in first_added(folder).items()}

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(history)
    finally:
        pool.shutdown(wait=False)


def _link_targets(
    config: Config, folder: Path, label: str, records: Sequence[Record], names: set[str]
) -> dict[str, str]:
    """What is at each path the bodies link to: a ``file`` to copy, the ``same`` one already copied, a ``clash``, ``missing``."""
    paths = {path for record in records for path in local_targets(record.body, label)} - names
    found = {}
    for path in sorted(paths):
        raw = None if path.startswith("../") else read_regular(folder / path)
        if raw is None:
            found[path] = "missing"
            continue
        destination = config.decisions_dir / path
        there = read_regular(destination)
        if there is None:
            found[path] = "clash" if destination.exists() else "file"
        else:
            found[path] = "same" if there == raw else "clash"
    return found


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
        filenames={m.id: m.path.rsplit("/", 1)[-1] for m in log.memos},
        needs_human={m.id: m.needs_human for m in log.memos if m.needs_human},
    )


def _checker(config: Config) -> Check:
    """Every problem a memo would have (schema and rules on one memo), with the schemas loaded once."""
    checker = Checker(load_schemas(config))
    bodies = BodyCheck(config.root)
    prefix = config.decisions_dir.relative_to(config.root).as_posix()

    def check(data: Mapping[str, object], body: str, name: str) -> list[Problem]:
        memo = Memo(f"{prefix}/{name}", data, body, body_line=1)
        return checker.check(memo) + check_memo(memo, bodies)

    return check
