"""A memo's lifecycle: accept, reject, retire and review edit its front-matter in place; supersede writes a new memo."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec

from decide.config import Config
from decide.decisions import load_log, memo_paths, mentioning
from decide.draft import Draft, check_text, create_memo
from decide.edit import AddItem, Edit, SetField, apply_edits
from decide.errors import CannotRun, Refused, UsageError
from decide.files import Unreadable, log_lock, read_bounded, replace
from decide.ids import id_from_filename, normalize_id
from decide.index import IndexEntry, build_index, find_entry
from decide.memo import MAX_BYTES, Review
from decide.person import is_tbd
from decide.suggest import close_matches

P = ParamSpec("P")
DEFAULT_REVIEW_DAYS = 365
_ALLOWED = {
    "accept": ("proposed",),
    "reject": ("proposed",),
    "retire": ("decided",),
    "review": ("decided",),
    "supersede": ("proposed", "decided", "retired"),
}
_TARGET = {"accept": "decided", "reject": "rejected", "retire": "retired"}
_PAST = {
    "accept": "accepted",
    "reject": "rejected",
    "retire": "retired",
    "review": "reviewed",
    "supersede": "superseded",
}
_HINTS = {
    ("accept", "rejected"): "to reopen the question, write a new memo with decide new",
    ("accept", "retired"): "to reopen the question, write a new memo with decide new",
    ("reject", "decided"): "to end a decision that no longer holds, use decide retire",
    ("retire", "proposed"): "to close a proposal, use decide reject",
    ("review", "proposed"): "accept it first with decide accept",
    ("supersede", "rejected"): "there is no decision to replace; write a new memo with decide new",
}


def _locked(command: Callable[Concatenate[Config, P], Change]) -> Callable[Concatenate[Config, P], Change]:
    """``command`` holding the log's write lock from its first read to its last write (and commit).

    Two commands at once then run one after the other: the second reads what the first wrote, so a
    second supersede of one memo is refused and two reviews are both kept (``decide.files.log_lock``).
    """

    @functools.wraps(command)
    def locked(config: Config, /, *args: P.args, **kwargs: P.kwargs) -> Change:
        with log_lock(config.root):
            return command(config, *args, **kwargs)

    return locked


@dataclass(frozen=True)
class Change:
    """What a lifecycle command did to one memo file."""

    path: Path
    id: str
    title: str
    before_status: str
    after_status: str
    fields_changed: tuple[tuple[str, str], ...]
    message: str
    commit: str = ""


@dataclass(frozen=True)
class Found:
    """The memo a command works on: its index entry, file and text as it is on disk."""

    entry: IndexEntry
    path: Path
    text: str


@dataclass(frozen=True)
class _Plan:
    verb: str
    after_status: str
    edits: tuple[Edit, ...]


@_locked
def accept(config: Config, memo_id: str, today: str, *, commit: bool = False) -> Change:
    """proposed -> decided, setting ``decided_on``; refused while the DRI is TBD or inputs or escalation are missing."""
    found = _load(config, memo_id, "accept")
    _require_complete(found.entry)
    edits = (SetField("status", "decided"), SetField("decided_on", today))
    return _apply(config, found, _Plan("accept", "decided", edits), commit=commit)


@_locked
def reject(config: Config, memo_id: str, reason: str, today: str, *, commit: bool = False) -> Change:
    """proposed -> rejected, with ``closed_on`` and ``reason``."""
    return _close(config, memo_id, _Plan("reject", "rejected", _closing("rejected", reason, today)), commit=commit)


@_locked
def retire(config: Config, memo_id: str, reason: str, today: str, *, commit: bool = False) -> Change:
    """decided -> retired (the decision no longer holds), with ``closed_on`` and ``reason``."""
    return _close(config, memo_id, _Plan("retire", "retired", _closing("retired", reason, today)), commit=commit)


def _closing(status: str, reason: str, today: str) -> tuple[Edit, ...]:
    if not reason.strip():
        raise UsageError("--reason is empty; say in a sentence why")
    return SetField("status", status), SetField("closed_on", today), SetField("reason", reason.strip())


def _close(config: Config, memo_id: str, plan: _Plan, *, commit: bool) -> Change:
    found = _load(config, memo_id, plan.verb)
    return _apply(config, found, plan, commit=commit)


@_locked
def review(config: Config, memo_id: str, done: Review, next_date: str | None = None, *, commit: bool = False) -> Change:
    """Record a review (``done``: its date, who, a note) and move ``review_by`` to ``next_date``.

    Without ``next_date`` the memo keeps its rhythm: the next review is as far from ``done.date`` as the
    last ``review_by`` was from the previous review (or from ``decided_on``); a year when there was none.
    """
    found = _load(config, memo_id, "review")
    nxt = next_date or next_review(found.entry, done.date)
    if nxt <= done.date:
        raise UsageError(f"--next {nxt} is not after the review ({done.date}); give a later date")
    item = (("date", done.date), ("due", found.entry.review_by), ("by", done.by), ("note", done.note))
    edits = (AddItem("reviews", tuple((k, v) for k, v in item if v)), SetField("review_by", nxt))
    return _apply(config, found, _Plan("review", "decided", edits), commit=commit)


def next_review(entry: IndexEntry, today: str) -> str:
    """``today`` plus the memo's review interval (see ``review``)."""
    anchor = entry.reviews[-1].date if entry.reviews else entry.decided_on
    days = DEFAULT_REVIEW_DAYS
    if entry.review_by and anchor:
        days = (_day(entry.review_by) - _day(anchor)).days
    return (_day(today) + datetime.timedelta(days=days if days > 0 else DEFAULT_REVIEW_DAYS)).isoformat()


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@_locked
def supersede(config: Config, memo_id: str, draft: Draft, *, commit: bool = False) -> Change:
    """Write a new memo that supersedes ``memo_id``, taking DRI, inputs, escalation and tags from it unless ``draft`` sets them.

    The old memo is not edited: it shows as superseded because the new one lists it under ``supersedes``.
    """
    found = _load(config, memo_id, "supersede")
    if commit:
        check_commit(config)
    filled = prefill(draft, found.entry)
    created = create_memo(config, filled)
    old = found.entry.id
    change = Change(
        path=created.path,
        id=created.id,
        title=filled.title,
        before_status="",
        after_status=filled.status,
        fields_changed=(("supersedes", ", ".join(filled.supersedes)),),
        message=f'decide: supersede {old} with {created.id} "{filled.title}"',
    )
    return commit_change(config, change) if commit else change


def prefill(draft: Draft, old: IndexEntry) -> Draft:
    """``draft`` with what it leaves empty taken from the memo it supersedes."""
    escalation = old.escalation if not (draft.escalate_when or draft.escalate_to) else None
    return dataclasses.replace(
        draft,
        dri=draft.dri or old.dri,
        inputs=draft.inputs or old.inputs,
        escalate_when=escalation.trigger if escalation else draft.escalate_when,
        escalate_to=escalation.to if escalation else draft.escalate_to,
        tags=draft.tags or old.tags,
        supersedes=(old.id, *(s for s in draft.supersedes if s != old.id)),
    )


def _load(config: Config, memo_id: str, verb: str) -> Found:
    """The memo, once it is known to be consistent as it stands and in a status that allows ``verb``."""
    found = find_memo(config, memo_id)
    problems = check_text(config, found.text.removeprefix("\ufeff"), found.path)
    if problems:
        raise Refused(
            f"{found.entry.path} is not consistent as it stands; fix it by hand first (nothing was written):\n"
            + _lines(problems)
        )
    _require_status(found.entry, verb)
    return found


def find_memo(config: Config, key: str) -> Found:
    """The memo with ID or alias ``key``; an unknown ID is a usage error naming the close ones."""
    wanted = normalize_id(key)
    log = load_log(config, _candidates(config, wanted))
    entries = build_index(log.memos)
    entry = find_entry(entries, key)
    if entry is None:
        broken = [p for p in log.problems if id_from_filename(Path(p.path).name) == wanted]
        if broken:
            raise Refused(f"{wanted} cannot be read; fix it first (nothing was written):\n" + _lines(broken))
        raise UsageError(unknown_id(key, entries))
    twins = [e.path for e in entries if e.id == entry.id]
    if len(twins) > 1:
        raise Refused(f"{entry.id} is the ID of {len(twins)} files ({', '.join(twins)}); run decide validate")
    path = config.root / entry.path
    try:
        text = read_bounded(path, limit=MAX_BYTES, links=False).decode("utf-8")
    except Unreadable as exc:
        raise CannotRun(f"{entry.path} {exc.why}; nothing was written") from exc
    except UnicodeDecodeError as exc:
        raise CannotRun(f"{entry.path} cannot be read: {exc}") from exc
    return Found(entry, path, text)


def _candidates(config: Config, wanted: str) -> list[Path] | None:
    """The files named for ``wanted`` and those that mention it (a successor lists it under supersedes).

    A byte search instead of parsing thousands of memos; None (read them all) for an alias or an unknown ID.
    """
    paths = memo_paths(config)
    named = [p for p in paths if id_from_filename(p.name) == wanted]
    if not named:
        return None
    return named + mentioning([p for p in paths if p not in named], [wanted])


def unknown_id(key: str, entries: Sequence[IndexEntry]) -> str:
    close = close_matches(key, [e.id for e in entries])
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'decide list' shows every ID"
    return f"no memo with ID {key}{hint}"


def _require_status(entry: IndexEntry, verb: str) -> None:
    allowed = _ALLOWED[verb]
    if entry.status in allowed:
        return
    if entry.superseded_by:
        raise Refused(
            f"{entry.id} is superseded by {', '.join(entry.superseded_by)}, which replaces it; nothing was changed"
        )
    if _TARGET.get(verb) == entry.status:
        when = entry.decided_on if entry.status == "decided" else entry.closed_on
        raise Refused(f"{entry.id} is already {entry.status}{f' (on {when})' if when else ''}; nothing was changed")
    hint = _HINTS.get((verb, entry.status), f"only a {' or '.join(allowed)} memo can be {_PAST[verb]}")
    raise Refused(f"{entry.id} is {entry.status}; {hint}")


def _require_complete(entry: IndexEntry) -> None:
    missing = []
    if is_tbd(entry.dri):
        missing.append("dri: is TBD; name the one person who decides")
    if not entry.inputs:
        missing.append("inputs: none listed; add who was consulted")
    if entry.escalation is None:
        missing.append("escalation: missing; add its trigger and who it goes to")
    if missing:
        raise Refused(
            f"{entry.id} cannot be accepted yet; edit {entry.path} (nothing was written):\n"
            + "\n".join(f"  {m}" for m in missing)
        )


def _apply(config: Config, found: Found, plan: _Plan, *, commit: bool) -> Change:
    """Edit the memo's text, check the result, and only then write it (atomically) and commit."""
    rel = found.entry.path
    before = check_text(config, found.text.removeprefix("\ufeff"), found.path)
    if before:
        raise Refused(
            f"{rel} is not consistent as it stands; fix it by hand first (nothing was written):\n" + _lines(before)
        )
    if commit:
        check_commit(config)
    new_text = apply_edits(found.text, rel, plan.edits)
    after = check_text(config, new_text.removeprefix("\ufeff"), found.path)
    if after:
        raise Refused(f"{plan.verb} would leave {rel} invalid, so nothing was written:\n" + _lines(after))
    _write(found.path, rel, new_text)
    change = Change(
        path=found.path,
        id=found.entry.id,
        title=found.entry.title,
        before_status=found.entry.status,
        after_status=plan.after_status,
        fields_changed=tuple(_shown(edit) for edit in plan.edits),
        message=f'decide: {plan.verb} {found.entry.id} "{found.entry.title}"',
    )
    return commit_change(config, change) if commit else change


def _shown(edit: Edit) -> tuple[str, str]:
    if isinstance(edit, SetField):
        return edit.key, edit.value
    return edit.key, "+ " + ", ".join(f"{k}: {v}" for k, v in edit.item)


def _write(path: Path, rel: str, text: str) -> None:
    # A rename would replace a read-only file without complaint; the user marked it read-only, so respect that.
    if not path.stat().st_mode & 0o222:
        raise CannotRun(f"{rel} is read-only; nothing was written (make it writable with chmod u+w)")
    replace(path, text)


def check_commit(config: Config) -> None:
    """Refuse before anything is written when --commit could not make a commit here."""
    from decide.git import check_can_commit

    check_can_commit(config.root)


def commit_change(config: Config, change: Change) -> Change:
    """Commit exactly the changed file, with the change's message; the change with its commit SHA."""
    from decide.git import commit_file

    return dataclasses.replace(change, commit=commit_file(config.root, change.path, change.message))


def render_change(change: Change, root: Path) -> str:
    """What changed, for people: the file, the status move, each field set."""
    rel = change.path.relative_to(root).as_posix()
    move = f"{change.before_status} -> {change.after_status}" if change.before_status else f"new, {change.after_status}"
    lines = [f'{change.id} "{change.title}": {move}', f"  file: {rel}"]
    lines += [f"  {key}: {value}" for key, value in change.fields_changed]
    if change.commit:
        lines.append(f"  committed {change.commit[:7]}: {change.message}")
    return "\n".join(lines) + "\n"


def _lines(problems: Sequence[object]) -> str:
    return "\n".join(f"  {p}" for p in problems)
