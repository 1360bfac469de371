"""The organisation's log: each repository's last good copy merged into one typed index with repository-qualified IDs.

Every ID becomes ``repo:ID`` (an ID two repositories share stays two memos), every ``supersedes``
target is qualified (a plain ID names a memo of the same repository), and what readers see is
derived across the organisation: a memo superseded from another repository shows as superseded.
The links across repositories are judged as ``decide validate`` judges one log's: the target
exists, nothing is superseded twice, no cycle.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from decide.config import Config
from decide.decisions import load_log
from decide.errors import CannotRun, UsageError
from decide.ids import is_qualified, normalize_id, qualify, split_qualified
from decide.index import IndexEntry, build_index, find_entry
from decide.memo import Memo
from decide.org.fetch import log_config
from decide.org.manifest import MANIFEST, Manifest, Source
from decide.org.store import Copy, read_copy, read_memos
from decide.person import Person
from decide.problem import Problem
from decide.roster import Roster, load_roster
from decide.suggest import close_matches, did_you_mean
from decide.validate import Ref, check_log

_INDEX_FIELDS = tuple(f.name for f in fields(IndexEntry))


@dataclass(frozen=True)
class OrgEntry(IndexEntry):
    """A memo of the organisation's log: ``id`` is qualified (``payments:D-7KQ2MX``), as are its links.

    ``repo`` and ``local_id`` are the repository and the ID in it; ``path`` is the memo's path in
    its repository. Everything that reads an ``IndexEntry`` (list, due, stats, calendars) reads it.
    """

    repo: str
    local_id: str

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        return {"id": data.pop("id"), "repo": self.repo, "local_id": self.local_id, **data}


@dataclass(frozen=True)
class OrgRepo:
    """One repository of the manifest and its last good copy (None: never fetched, or the copy cannot be read)."""

    source: Source
    copy: Copy | None
    config: Config | None = None
    roster: Roster | None = None

    @property
    def name(self) -> str:
        return self.source.name


@dataclass(frozen=True)
class OrgIndex:
    """Every memo of every fetched repository, newest first; ``problems``: links across repositories that do not hold.

    ``notes`` say which repositories are left out and why (never fetched, a copy that cannot be read).
    """

    repos: tuple[OrgRepo, ...]
    entries: tuple[OrgEntry, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    def repo(self, name: str) -> OrgRepo | None:
        return next((r for r in self.repos if r.name == name), None)

    def of_repo(self, name: str) -> list[OrgEntry]:
        return [e for e in self.entries if e.repo == name]

    def contact(self, entry: IndexEntry) -> Person:
        """The entry's DRI as its own repository's roster knows them."""
        from decide.due import contact_in

        repo = self.repo(entry.repo) if isinstance(entry, OrgEntry) else None
        return contact_in(repo.roster if repo else None, entry.dri)


def load_org(manifest: Manifest) -> OrgIndex:
    """The organisation's log from the last good copies in the aggregator (``decide org fetch`` makes them)."""
    repos = tuple(open_repo(manifest.root, source) for source in manifest.sources)
    notes = tuple(f"{r.name}: not fetched yet; run 'decide org fetch {r.name}'" for r in repos if r.copy is None)
    left_out = {r.name for r in repos if r.config is None}
    known = {r.name for r in repos}
    entries, problems = merge_logs(((r.name, _memos(r)) for r in repos if r.config is not None), left_out, known)
    return OrgIndex(repos, entries, problems, notes)


def open_repo(aggregator: Path, source: Source) -> OrgRepo:
    """A repository's last good copy with its configuration (the log folder as fetched) and roster."""
    copy = read_copy(aggregator, source.name)
    if copy is None:
        return OrgRepo(source, None)
    try:
        config = log_config(copy.root(aggregator), copy.folder)
    except CannotRun:
        return OrgRepo(source, None)  # validated when fetched: only a hand-edited copy gets here
    return OrgRepo(source, copy, config, load_roster(config))


def _memos(repo: OrgRepo) -> Iterator[Memo]:
    """The copy's memos as they were validated when fetched (kept beside it), else read from its files."""
    assert repo.config is not None
    kept = read_memos(repo.config.root)
    yield from load_log(repo.config).memos if kept is None else kept


def merge_logs(
    logs: Iterable[tuple[str, Iterable[Memo]]], left_out: Collection[str] = (), known: Collection[str] | None = None
) -> tuple[tuple[OrgEntry, ...], tuple[Problem, ...]]:
    """Each repository's memos qualified and merged: the entries newest first, and the links across repositories that fail.

    ``logs`` is read one repository at a time, and each memo is kept without its body, so the
    whole organisation's memos fit in memory (100,000 memos: see bench/org.py). A link into a
    repository that is ``left_out`` (not fetched yet) is not judged; one into a repository not
    ``known`` (not in the manifest) is a problem. ``known`` defaults to the repositories given.
    """
    qualified: list[Memo] = []
    refs: list[Ref] = []
    problems: list[Problem] = []
    collecting = gc.isenabled()
    gc.disable()  # many small, long-lived, acyclic objects: the cyclic collector would find nothing (as in load_log)
    try:
        for repo, memos in logs:
            for memo in memos:
                slim, ref = _qualified(repo, memo)
                qualified.append(slim)
                refs.append(ref)
        names = set(known) if known is not None else {r.id.partition(":")[0] for r in refs}
        refs = [_judged(ref, left_out, names, problems) for ref in refs]
        problems += check_log(refs, qualified=True)
        entries = tuple(_org_entry(e) for e in build_index(qualified))
    finally:
        if collecting:
            gc.enable()
    return entries, tuple(sorted(set(problems)))


def _judged(ref: Ref, left_out: Collection[str], known: Collection[str], problems: list[Problem]) -> Ref:
    """``ref`` with only the targets that can be judged here; a target in a repository not in the manifest is a problem."""
    keep = []
    for target in ref.supersedes:
        repo = target.partition(":")[0]
        if repo not in known:
            hint = did_you_mean(repo, known)
            message = f"{target} names the repository {repo!r}, which is not in {MANIFEST}{hint}"
            problems.append(Problem(ref.path, ref.line_of_supersedes, "supersedes", message))
        elif repo not in left_out:
            keep.append(target)
    return dataclasses.replace(ref, supersedes=tuple(keep)) if len(keep) < len(ref.supersedes) else ref


def _qualified(repo: str, memo: Memo) -> tuple[Memo, Ref]:
    """The memo as the organisation sees it (qualified ID and targets, no body), and what the link rules need of it."""
    memo_id = qualify(repo, memo.id)
    targets = tuple(_target(repo, t) for t in memo.supersedes)
    data = MappingProxyType({**memo.data, "id": memo_id, "supersedes": list(targets)})
    where = f"{repo}/{memo.path}"
    ref = Ref(where, memo_id, targets, (), memo.line_of(("supersedes",)), line_of_id=memo.line_of(("id",)))
    return Memo(memo.path, data, "", memo.body_line), ref


def _target(repo: str, target: str) -> str:
    """A ``supersedes`` entry qualified: ``payments:D-7KQ2MX`` as written, ``D-7KQ2MX`` in the memo's own repository."""
    if is_qualified(target):
        return target
    return qualify(repo, target)


def _org_entry(entry: IndexEntry) -> OrgEntry:
    repo, _colon, local_id = entry.id.partition(":")
    return OrgEntry(**{name: getattr(entry, name) for name in _INDEX_FIELDS}, repo=repo, local_id=local_id)


def find_org_entry(index: OrgIndex, key: str) -> OrgEntry:
    """The memo ``key`` names: ``payments:D-7KQ2MX``, or an ID or alias found in one repository only; UsageError otherwise."""
    repo, local = _split_key(key)
    if repo and index.repo(repo) is None:
        known = [r.name for r in index.repos]
        raise UsageError(f"no repository named {repo!r} in {MANIFEST}{did_you_mean(repo, known) or ''}")
    scope = [e for e in index.entries if not repo or e.repo == repo]
    found = [e for e in scope if e.local_id == normalize_id(local)] or _by_alias(scope, local)
    if len(found) > 1:
        names = ", ".join(sorted(e.id for e in found))
        raise UsageError(
            f"{local} names memos in {len(found)} repositories: {names}; name one, e.g. {min(e.id for e in found)}"
        )
    if not found:
        raise UsageError(_unknown(key, [e.id for e in index.entries]))
    return found[0]


def _split_key(key: str) -> tuple[str, str]:
    repo, _memo_id = split_qualified(key)
    return (repo, key.strip().rpartition(":")[2].strip()) if repo else ("", key.strip())


def _by_alias(scope: Sequence[OrgEntry], local: str) -> list[OrgEntry]:
    """Memos whose alias (an imported ADR's number) is ``local``, at most one per repository."""
    found = []
    for repo in dict.fromkeys(e.repo for e in scope):
        mine = [dataclasses.replace(e, id=e.local_id) for e in scope if e.repo == repo and e.aliases]
        hit = find_entry(mine, local)
        if hit is not None:
            found.append(next(e for e in scope if e.repo == repo and e.local_id == hit.id))
    return found


def _unknown(key: str, ids: Sequence[str]) -> str:
    close = close_matches(key, list(ids))
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'decide org list' shows every ID"
    return f"no memo with ID {key} in the organisation's log{hint}"
