"""The change a branch makes to the log, read from git: changed memos at the merge-base and in the head, and the rest.

Only changed memos are read and parsed, and the few others that name them (``decide.check.nearby``), so
a check costs about the same on a log of 10 or 10,000. The exception is a change to the roster
that takes someone off it: then every memo is read, since any of them may name that person.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from decide import git
from decide.check.branch import Branch, EarlySearch
from decide.check.nearby import NearbySearch, Unchanged
from decide.check.rules import Context, Holder, memo_id
from decide.config import Config
from decide.decisions import load_log, memo_names
from decide.ids import id_from_filename
from decide.memo import MAX_BYTES, Memo, Parsed, load, parse_bytes, too_large
from decide.problem import Problem
from decide.roster import Roster, load_roster, may_break_memos, parse_roster_bytes
from decide.schema import Checker, load_schemas, schemas_from
from decide.site.body import BodyCheck


@dataclass(frozen=True)
class ChangeSet:
    """Everything ``check_change`` needs, read from one repository."""

    base_files: Mapping[str, Parsed]
    head_files: Mapping[str, Parsed]
    context: Context


def read_changeset(config: Config, branch: Branch) -> ChangeSet:
    """Read the change ``branch`` makes: between its merge-base and the working tree (or the index, if staged)."""
    root, folder, staged = config.root, config.decisions, branch.staged
    base_name, fork, found = branch.base, branch.fork, branch.changes
    # Start on what the index changes (in CI, everything) while git status looks at the working
    # tree; the grep for the memos that name the change is already running (decide.check.branch).
    changes = found.in_index()
    head_files, roster = _read_head(config, _new_ones(changes), staged=staged)
    nearby = _search_nearby(config, fork, changes, head_files, branch.early)
    if (everything := found.result()) != changes:  # the working tree changes more: read and search again
        nearby.cancel()
        changes = everything
        head_files, roster = _read_head(config, _new_ones(changes), staged=staged)
        nearby = _search_nearby(config, fork, changes, head_files)
    old_names = [c.old_name or c.name for c in changes if c.status in "MDR"]
    touched = {f"{folder}/{name}" for name in (*old_names, *(c.name for c in _new_ones(changes)))}
    old_ones = [c for c in changes if c.status in "MDR"]
    base = _start_base(config, fork, old_ones, want_roster=roster is not None and not roster.problems)
    new_ids = _new_ids({f"{folder}/{name}" for name in old_names}, head_files)
    holders = _start_holders(root, base_name, folder, new_ids, branch.other_branches)
    settings = branch.settings
    checker = Checker(schemas_from(config.schema, settings.schema) if settings.base_schema else load_schemas(config))
    checker.prepare()  # Python compiles the schema while git reads
    base_files, old_roster = base()
    # The one case for reading the whole log: someone a memo names may have left the roster.
    people = _unchanged_memos(config, touched, staged=staged) if may_break_memos(old_roster, roster) else ()
    unchanged = nearby.result()  # last: the longer git has had, the less this waits
    context = Context(
        base=base_name,
        checker=checker,
        others=unchanged.ids,
        linked=unchanged.linked,
        holders=holders(),
        renames={f"{folder}/{c.name}": f"{folder}/{c.old_name}" for c in changes if c.status == "R"},
        roster=roster,
        people=people,
        bodies=BodyCheck(root),
        moved=_moved_away(root, folder, [c.name for c in changes if c.status == "D"], staged=staged),
    )
    return ChangeSet(base_files, head_files, context)


def _new_ones(changes: Sequence[git.FileChange]) -> list[git.FileChange]:
    return [c for c in changes if c.status in "AMR"]


def _search_nearby(
    config: Config,
    fork: str,
    changes: Sequence[git.FileChange],
    head_files: Mapping[str, Parsed],
    early: EarlySearch | None = None,
) -> NearbySearch:
    """Start looking for the unchanged memos that name the changed ones (``decide.check.nearby``)."""
    folder = config.decisions
    touched = {f"{folder}/{name}" for c in changes for name in (c.name, c.old_name) if name}
    memos = [parsed.memo for parsed in head_files.values() if parsed.memo is not None]
    return NearbySearch(Unchanged(config.root, fork, folder, frozenset(touched)), memos, early)


def _parse_all(folder: str, names: Sequence[str], blobs: Sequence[bytes | None]) -> dict[str, Parsed]:
    """Parse memo blobs read from git; a missing one becomes a problem."""
    parsed = {}
    for name, raw in zip(names, blobs, strict=True):
        path = f"{folder}/{name}"
        if raw is None:
            parsed[path] = Parsed(None, (Problem(path, 1, "", "not in git"),))
        else:  # the limit validate applies to a file applies to a blob of the index too
            parsed[path] = too_large(path, len(raw)) if len(raw) > MAX_BYTES else parse_bytes(raw, path)
    return parsed


def _start_base(
    config: Config, fork: str, changes: Sequence[git.FileChange], *, want_roster: bool
) -> Callable[[], tuple[dict[str, Parsed], Roster | None]]:
    """The changed memo files at the merge-base (read by object ID), and its roster if wanted: in the background."""
    folder = config.decisions
    names = [c.old_name or c.name for c in changes]
    known = {c.old_name or c.name: c.old_blob for c in changes if c.old_blob}
    # A blob the diff did not name (a file changed only in the working tree after a merge conflict) is looked up.
    looking = git.start_blob_ids(config.root, fork, folder, [n for n in names if n not in known])
    roster = [f"{fork}:./{config.roster}"] if want_roster else []

    def result() -> tuple[dict[str, Parsed], Roster | None]:
        ids = {**known, **looking.result()}
        blobs = git.read_blobs(config.root, [ids.get(n, _MISSING) for n in names] + roster)
        parsed_roster = parse_roster_bytes(blobs.pop(), config.roster) if want_roster else None
        return _parse_all(folder, names, blobs), parsed_roster

    return result


_MISSING = "0" * 40  # an object ID git has no object for: reads as missing


def _read_head(
    config: Config, changes: Sequence[git.FileChange], *, staged: bool
) -> tuple[dict[str, Parsed], Roster | None]:
    """The memo files of ``changes`` and the roster, from the working tree or (by object ID) the index."""
    folder = config.decisions
    names = [c.name for c in changes]
    if not staged:
        return {f"{folder}/{n}": load(config.decisions_dir / n, config.root) for n in names}, load_roster(config)
    specs = [c.blob or _MISSING for c in changes]
    *blobs, roster = git.read_blobs(config.root, [*specs, f":./{config.roster}"])
    return _parse_all(folder, names, blobs), parse_roster_bytes(roster, config.roster)


def _unchanged_memos(config: Config, touched: Collection[str], *, staged: bool) -> tuple[Memo, ...]:
    """Every memo the change leaves alone, as it is in the working tree or the index; those that cannot be read are left out."""
    folder = config.decisions
    if not staged:
        names = [n for n in memo_names(config) if f"{folder}/{n}" not in touched]
        return load_log(config, [config.decisions_dir / n for n in names]).memos
    ids = {n: blob for n, blob in git.index_blobs(config.root, folder).items() if f"{folder}/{n}" not in touched}
    parsed = _parse_all(folder, list(ids), git.read_blobs(config.root, list(ids.values())))
    return tuple(p.memo for p in parsed.values() if p.memo is not None)


def _moved_away(root: Path, folder: str, deleted: Sequence[str], *, staged: bool) -> dict[str, str]:
    """Deleted memo path -> the file in a subfolder of ``folder`` with its ID, where it was moved to."""
    ids = {name: id_from_filename(name) for name in deleted}
    found: dict[str | None, str] = {}
    for path in git.nested_files(root, folder, sorted({i for i in ids.values() if i}), staged=staged):
        found.setdefault(id_from_filename(path.rpartition("/")[2]), path)
    return {f"{folder}/{name}": found[the_id] for name, the_id in ids.items() if the_id and the_id in found}


def _new_ids(base_paths: Collection[str], head_files: Mapping[str, Parsed]) -> set[str]:
    """IDs of head files that are not at the merge-base (a superset of the new memos' IDs)."""
    return {memo_id(parsed, path) for path, parsed in head_files.items() if path not in base_paths} - {""}


def _start_holders(
    root: Path, base: str, folder: str, ids: set[str], other_branches: Callable[[], list[str]]
) -> Callable[[], dict[str, tuple[Holder, ...]]]:
    """Where else each of ``ids`` is taken: on the tip of ``base`` and on every one of ``other_branches()``.

    One git call, in the background; call the result for the answer.
    """
    others = [r for r in other_branches() if git.short_ref(r) != base] if ids else []
    branches = [base, *(git.short_ref(r) for r in others)]
    finding = git.start_find_names(root, [base, *others], folder, sorted(ids))

    def result() -> dict[str, tuple[Holder, ...]]:
        found: dict[str, list[Holder]] = {}
        for branch, names in zip(branches, finding.result(), strict=True):
            for name in sorted(names):
                the_id = id_from_filename(name)
                if the_id in ids:
                    found.setdefault(the_id, []).append(Holder(branch, f"{folder}/{name}"))
        return {key: tuple(value) for key, value in found.items()}

    return result
