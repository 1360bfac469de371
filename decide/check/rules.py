"""The pull-request gate: what a change does to the log, judged against the base branch.

``check_change`` is pure: it takes the changed memos as they are at the merge-base and in the
head (parsed), plus what the rules need of everything else, and returns a ``CheckResult``.
``decide.check.run_check`` gets that data from git (``decide.check.changes``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from decide.ids import id_from_filename
from decide.memo import Memo, Parsed
from decide.problem import Problem
from decide.roster import Roster, check_people
from decide.schema import STATUSES, Checker
from decide.site.body import DEFAULT_CHECK, BodyCheck
from decide.validate import Ref, check_log, check_memo

FROZEN = ("decided", "rejected", "retired")
TRANSITIONS = frozenset({("proposed", "decided"), ("proposed", "rejected"), ("decided", "retired")})
MAY_CHANGE = frozenset({"review_by", "tags", "reviews"})
SET_BY_RETIRING = frozenset({"closed_on", "reason"})
SET_BY_STATUS = SET_BY_RETIRING | {"decided_on"}
CHECK_JSON_VERSION = 1


@dataclass(frozen=True)
class Change:
    """One memo the change touches: ``new``, ``changed``, ``renamed`` or ``deleted``."""

    kind: str
    id: str
    path: str
    old_path: str = ""
    old_status: str = ""
    status: str = ""
    title: str = ""


@dataclass(frozen=True)
class Holder:
    """A memo file that holds an ID on some branch."""

    branch: str
    path: str


@dataclass(frozen=True)
class Context:
    """What the rules need besides the changed memos.

    ``others`` maps the path of each memo the change leaves alone whose ID the change names to
    that ID (every one of them when a changed memo supersedes an ID found nowhere); ``linked``
    holds a Ref of each unchanged memo that names the change and links to other memos (see
    ``decide.check.nearby``); ``holders`` says where else
    (base tip, other branches) an ID is taken; ``renames`` is git's rename detection (new -> old);
    ``roster`` the people memos may name, if the log has one; ``people`` the memos the change
    leaves alone, when it changes the roster so that they may name someone no longer on it;
    ``moved`` where a deleted memo went when it went into a subfolder (path -> new path);
    ``bodies`` judges memo bodies with the site's Markdown setup (``decide.site.body``).
    """

    base: str
    checker: Checker
    others: Mapping[str, str] = field(default_factory=dict)
    linked: tuple[Ref, ...] = ()
    holders: Mapping[str, tuple[Holder, ...]] = field(default_factory=dict)
    renames: Mapping[str, str] = field(default_factory=dict)
    roster: Roster | None = None
    people: tuple[Memo, ...] = ()
    moved: Mapping[str, str] = field(default_factory=dict)
    bodies: BodyCheck = DEFAULT_CHECK


@dataclass(frozen=True)
class CheckResult:
    """The memos a change touches and every problem with it."""

    base: str
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def with_settings(self, problems: tuple[Problem, ...], notes: tuple[str, ...]) -> CheckResult:
        """This result with the problems and notes about the configuration the change makes."""
        return replace(self, problems=tuple(sorted({*self.problems, *problems})), notes=self.notes + notes)

    def relocated(self, prefix: str) -> CheckResult:
        """Every path made relative to the repository's top, for a log whose root is at ``prefix`` ("" or "sub/")."""
        if not prefix:
            return self
        changes = tuple(
            replace(c, path=prefix + c.path, old_path=prefix + c.old_path if c.old_path else "") for c in self.changes
        )
        problems = tuple(replace(p, path=prefix + p.path) for p in self.problems)
        return replace(self, changes=changes, problems=problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": CHECK_JSON_VERSION,
            "base": self.base,
            "ok": self.ok,
            "changes": [asdict(c) for c in self.changes],
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
        }


def supersede_hint(memo_id: str) -> str:
    return f'write a new memo that supersedes it: decide supersede {memo_id} "<new title>"'


def check_change(base: Mapping[str, Parsed], head: Mapping[str, Parsed], context: Context) -> CheckResult:
    """Judge a change: ``base`` holds the changed and removed memo files at the merge-base, ``head`` the changed and added ones."""
    pairs = list(_pair(base, head, context.renames))
    problems = _validate(head, context)
    for kind, old, new in pairs:
        problems.extend(_judge(kind, base.get(old or ""), head.get(new or ""), context))
    changes = tuple(_describe(kind, base.get(old or ""), head.get(new or ""), old, new) for kind, old, new in pairs)
    return CheckResult(context.base, changes, tuple(sorted(set(problems))))


def memo_id(parsed: Parsed | None, path: str) -> str:
    """The memo's ID: its ``id`` field, else the one its file name starts with."""
    if parsed is not None and parsed.memo is not None and parsed.memo.id:
        return parsed.memo.id
    return id_from_filename(path.rpartition("/")[2]) or ""


def _pair(
    base: Mapping[str, Parsed], head: Mapping[str, Parsed], renames: Mapping[str, str]
) -> Iterator[tuple[str, str | None, str | None]]:
    """(kind, old path, new path): a file that moved keeps its pairing by ID, or by git's rename detection."""
    gone = {memo_id(base[p], p): p for p in sorted(base, reverse=True) if p not in head}
    claimed: set[str] = set()
    for path in sorted(head):
        if path in base:
            yield "changed", path, path
            continue
        old = gone.get(memo_id(head[path], path))
        if old is None or old in claimed:
            old = renames.get(path)
        if old is not None and old in base and old not in head and old not in claimed:
            claimed.add(old)
            yield "renamed", old, path
        else:
            yield "new", None, path
    for path in sorted(set(base) - set(head) - claimed):
        yield "deleted", path, None


def _describe(kind: str, old: Parsed | None, new: Parsed | None, old_path: str | None, path: str | None) -> Change:
    before, after = (p.memo if p else None for p in (old, new))
    either = after or before
    return Change(
        kind=kind,
        id=memo_id(new, path) if path else memo_id(old, old_path or ""),
        path=path or old_path or "",
        old_path=old_path if kind == "renamed" and old_path else "",
        old_status=before.status if before else "",
        status=after.status if after else "",
        title=either.title if either else "",
    )


def _validate(head: Mapping[str, Parsed], context: Context) -> list[Problem]:
    """Full validation of every changed memo, the roster, and the rules across memos on the whole log."""
    problems: list[Problem] = []
    memos = []
    for parsed in head.values():
        problems.extend(parsed.problems)
        if parsed.memo is not None:
            memos.append(parsed.memo)
            problems.extend(context.checker.check(parsed.memo))
            problems.extend(check_memo(parsed.memo, context.bodies))
            problems.extend(check_people(parsed.memo, context.roster))
    if context.roster is not None:
        problems.extend(context.roster.problems)
    for memo in context.people:
        problems.extend(check_people(memo, context.roster))
    changed = {m.path for m in memos}
    refs = _unchanged_refs(memos, head, context) + [Ref.of(m) for m in memos]
    problems.extend(p for p in check_log(refs) if p.path in changed)
    return problems


def _unchanged_refs(memos: list[Memo], head: Mapping[str, Parsed], context: Context) -> list[Ref]:
    """The unchanged memos the rules across memos need to judge ``memos``, in path order.

    Those that link (only they can close a cycle, supersede the same memo or share an alias),
    and those whose ID any of these use. Every one when a changed memo names an ID that exists
    nowhere, so that "did you mean" can look through them all.
    """
    linked = {r.path: r for r in context.linked if r.path not in head}
    sources: list[Memo | Ref] = [*memos, *linked.values()]
    named = {m.id for m in memos} | {i for r in sources for i in (*r.supersedes, *r.aliases)}
    known = set(context.others.values()) | {m.id for m in memos}
    everything = not {t for m in memos for t in m.supersedes} <= known
    plain = {
        path: Ref(path, memo_id, loaded=False)
        for path, memo_id in context.others.items()
        if (everything or memo_id in named) and path not in linked and path not in head
    }
    chosen = {**plain, **linked}
    return [chosen[path] for path in sorted(chosen)]


def _judge(kind: str, old: Parsed | None, new: Parsed | None, context: Context) -> Iterator[Problem]:
    if kind == "deleted" and old is not None:
        yield from _deleted(old, context.moved)
    elif kind == "new" and new is not None and new.memo is not None:
        yield from _clashes(new.memo, context)
    elif old is not None and old.memo is not None and new is not None and new.memo is not None:
        yield from _edited(old.memo, new.memo, context)


def _deleted(old: Parsed, moved: Mapping[str, str]) -> Iterator[Problem]:
    """A memo is never deleted, nor moved out of the folder. A file with no ID never was a memo: validation refuses it."""
    path = old.memo.path if old.memo else old.problems[0].path
    the_id = memo_id(old, path)
    if not the_id:
        return
    status = old.memo.status if old.memo else ""
    then = {
        "proposed": ', then set "status: rejected" and a "reason:" if it will not be decided',
        "decided": f', then set "status: retired" and a "reason:", or {supersede_hint(the_id)}',
    }.get(status, "")
    if path in moved:
        folder = path.rpartition("/")[0]
        yield Problem(
            path,
            0,  # the file is gone from here: no line to point at
            "",
            f"{the_id} was moved to {moved[path]}; memos stay directly in {folder}/, even when closed: move it back{then}",
        )
    else:
        yield Problem(path, 0, "", f"{the_id} was deleted; a memo is never deleted: restore the file{then}")


def _clashes(memo: Memo, context: Context) -> Iterator[Problem]:
    holders = context.holders.get(memo.id, ())
    # A holder that is also in the log at the merge-base is a plain duplicate ID, which check_log reports.
    here = {path for path in (h.path for h in holders) if context.others.get(path) == memo.id}
    where: dict[str, list[str]] = {}
    for holder in holders:
        # The same ID at the same path means the same file name, slug and all: almost surely this memo as
        # it was elsewhere (a copy of the branch kept before an amend or rebase), not another memo. Two memos
        # that drew the same random ID and the same title would pass here; git stops the second merge, as
        # both add the same file.
        if holder.path != memo.path and holder.path not in here:
            where.setdefault(holder.path, []).append(holder.branch)
    if where:
        taken = "; ".join(f"{path} on {' and '.join(branches)}" for path, branches in where.items())
        yield Problem(
            memo.path,
            memo.line_of(("id",)),
            "id",
            f"{memo.id} is already taken by {taken}; give this memo a new ID and rename its file (decide new prints a fresh one)",
        )


def _edited(old: Memo, new: Memo, context: Context) -> Iterator[Problem]:
    if old.id and new.id != old.id:
        yield Problem(
            new.path,
            new.line_of(("id",)),
            "id",
            f'changed from {old.id} to {new.id}; a memo keeps its ID for life: set "id: {old.id}" and start the file name with "{old.id}-"',
        )
    moved = list(_transition(old, new))
    yield from moved
    if old.status in FROZEN:
        # A refused status change says it all; the dates and reason that go with it are part of it.
        skip = SET_BY_STATUS if any(p.field == "status" for p in moved) else frozenset()
        yield from _frozen(old, new, skip=skip)
        yield from _frozen_body(old, new, context)


def _transition(old: Memo, new: Memo) -> Iterator[Problem]:
    """A status may only move along TRANSITIONS. (A decided memo's DRI is validation's business: TBD or empty is refused there.)"""
    move = (old.status, new.status)
    line = new.line_of(("status",))
    if old.status != new.status and set(move) <= set(STATUSES) and move not in TRANSITIONS:
        why = (
            "nothing goes back to proposed; to reopen the question, "
            if new.status == "proposed"
            else "a memo goes from proposed to decided or rejected, and from decided to retired; to change the outcome, "
        )
        yield Problem(
            new.path, line, "status", f"{old.status} -> {new.status} is not allowed: {why}{supersede_hint(old.id)}"
        )


def _may_change(old: Memo) -> str:
    return (
        'review_by, tags, reviews and "status: retired"' if old.status == "decided" else "review_by, tags and reviews"
    )


def _frozen(old: Memo, new: Memo, *, skip: frozenset[str]) -> Iterator[Problem]:
    retiring = old.status == "decided" and new.status == "retired"
    allowed = MAY_CHANGE | (SET_BY_RETIRING if retiring else frozenset()) | {"id", "status"} | skip
    why = f"(only {_may_change(old)} may change); to change the decision, {supersede_hint(old.id)}"
    for key in sorted(set(old.data) | set(new.data)):
        if key not in allowed and old.data.get(key) != new.data.get(key):
            yield Problem(
                new.path, new.line_of((key,)), key, f"{old.id} is {old.status}, so its {key} may not change {why}"
            )


def _frozen_body(old: Memo, new: Memo, context: Context) -> Iterator[Problem]:
    """The Decision section of a closed memo, as a reader sees it, stays as it was (``decide.check.frozen``)."""
    if old.body == new.body:
        return
    from decide.check.frozen import judge_decision
    from decide.site.body import render_body

    bodies = context.bodies
    verdict = judge_decision(
        old.body, new.body, bodies.setup.extensions, lambda body: render_body(body, bodies.setup).html
    )
    if verdict is None:
        return
    fix = f"to change the decision, {supersede_hint(old.id)}"
    if verdict.reason:
        message = (
            f"{old.id} is {old.status}, and this change to its body {verdict.reason}, so decide cannot tell "
            f'whether its "## Decision" section still says the same; undo that part of the change, or {fix}'
        )
    else:
        message = f'{old.id} is {old.status}, so its "## Decision" section may not change (only {_may_change(old)} may change); {fix}'
    yield Problem(new.path, new.body_line + verdict.offset, "body", message)
