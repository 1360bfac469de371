"""The memos a change leaves alone that the rules across memos need: those that name the change.

The rules across memos (unique IDs and aliases, supersession) can only find fault with a
changed memo through a memo that names one of its IDs, targets or aliases: one that supersedes
the same memo, shares an alias, or leads a supersession chain back to it. So a ``git grep`` of
the merge-base finds those few (in the background, while the change is validated) and only they
are read; the memos a change names are found by file name, which validation keeps equal to the
ID. Nothing is cached, so a fresh CI clone costs the same as the tenth check on a laptop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from decide import git
from decide.check.branch import EarlySearch
from decide.ids import ID_PATTERN, id_from_filename
from decide.index import replaces
from decide.memo import Memo, parse_bytes
from decide.validate import Ref
from decide.yaml_lines import quick_lists

WORDS = ("supersedes", "aliases")


@dataclass(frozen=True)
class Links:
    """A memo's links to other memos."""

    supersedes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    replaces: bool = True  # False for a rejected memo: it supersedes nothing


NO_LINKS = Links()
# A top-level "status: rejected" line of the front-matter (the body is cut off before it is searched).
_REJECTED = re.compile(rb"""^status:[ \t]*["']?rejected["']?[ \t]*\r?$""", re.MULTILINE)
_FRONT_END = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def links_of(raw: bytes | None, path: str) -> Links:
    """The links in a memo's raw text. Pure; only the lines of the two keys are read when that is safe."""
    if raw is None or not any(word.encode() in raw for word in WORDS):
        return NO_LINKS
    quick = quick_lists(raw, WORDS)
    if quick is not None:
        end = _FRONT_END.search(raw, 3)
        rejected = _REJECTED.search(raw, 0, end.start() if end else len(raw)) is not None
        return Links(quick["supersedes"], quick["aliases"], replaces=not rejected)
    memo = parse_bytes(raw, path).memo
    return Links(memo.supersedes, memo.aliases, replaces(memo.status)) if memo else NO_LINKS


@dataclass(frozen=True)
class Nearby:
    """What the rules need of the unchanged memos: path -> ID of those the change names, and a Ref of each that links to it.

    ``ids`` holds every unchanged memo when a changed memo supersedes an ID that exists nowhere,
    so that "did you mean" can look through them all.
    """

    ids: dict[str, str]
    linked: tuple[Ref, ...]


def find_nearby(root: Path, fork: str, folder: str, memos: Sequence[Memo], touched: Collection[str]) -> Nearby:
    """The unchanged memos in ``folder`` at commit ``fork`` that the rules need to judge ``memos`` (``touched`` are not)."""
    return NearbySearch(Unchanged(root, fork, folder, frozenset(touched)), memos).result()


class NearbySearch:
    """``find_nearby`` with git grepping in the background; ``result()`` gives the answer, ``cancel()`` stops it.

    ``early`` is a grep already running (``decide.check.branch``) for words picked out of the changed
    files' text; only the words it does not cover are grepped for again.
    """

    def __init__(self, log: Unchanged, memos: Sequence[Memo], early: EarlySearch | None = None) -> None:
        self._memos, self._log = memos, log
        self._words = sorted({w for m in memos for w in (m.id, *m.supersedes, *m.aliases) if w})
        if early and not self._words:
            early.found.cancel()
            early = None
        missing = set(self._words) - (early.words if early else set())
        self._greps = [early.found] if early else []
        if missing:
            self._greps.append(git.start_grep_names(log.root, log.fork, log.folder, sorted(missing)))
        self._named = log.start_ids_named(self._words)

    def cancel(self) -> None:
        for grep in self._greps:
            grep.cancel()

    def result(self) -> Nearby:
        memos, log, words = self._memos, self._log, set(self._words)
        ids = self._named()  # first: the grep may still be running
        found = log.links(sorted(set[str]().union(*(grep.result() for grep in self._greps))))
        # A memo that only mentions a word in its text has no link the rules could find at fault.
        linked = tuple(ref for ref in found if words & {ref.id, *ref.supersedes, *ref.aliases})
        if _closes_a_loop(memos, linked):
            linked = _follow(log, memos, linked)
        targets = {t for m in memos for t in m.supersedes}
        if not targets <= {*ids.values(), *(m.id for m in memos)}:
            ids = log.all_ids()
        return Nearby(ids, linked)


@dataclass(frozen=True)
class Unchanged:
    """The memo files in ``folder`` at commit ``fork``, less the ``touched`` paths."""

    root: Path
    fork: str
    folder: str
    touched: frozenset[str]

    def links(self, names: Iterable[str]) -> tuple[Ref, ...]:
        """A Ref of each memo file in ``names`` that links to another memo."""
        names = [n for n in names if f"{self.folder}/{n}" not in self.touched]
        ids = git.start_blob_ids(self.root, self.fork, self.folder, names).result()
        names = [n for n in names if n in ids]
        blobs = git.read_blobs(self.root, [ids[name] for name in names])
        refs = []
        for name, raw in zip(names, blobs, strict=True):
            path, memo_id = f"{self.folder}/{name}", id_from_filename(name)
            links = links_of(raw, path)
            if memo_id and links is not NO_LINKS:
                refs.append(Ref(path, memo_id, links.supersedes, links.aliases, replaces=links.replaces))
        return tuple(refs)

    def ids_named(self, words: Iterable[str]) -> dict[str, str]:
        """Path -> ID of the memos whose ID is one of ``words``."""
        return self.start_ids_named(words)()

    def start_ids_named(self, words: Iterable[str]) -> Callable[[], dict[str, str]]:
        """``ids_named`` with git looking in the background; call the result for the answer."""
        wanted = sorted(w for w in words if ID_PATTERN.match(w))
        finding = git.start_find_names(self.root, [self.fork], self.folder, wanted)
        return lambda: {path: memo_id for path, memo_id in self._ids(finding.result()[0]).items() if memo_id in wanted}

    def all_ids(self) -> dict[str, str]:
        return self._ids(git.blob_shas(self.root, self.fork, self.folder))

    def _ids(self, names: Iterable[str]) -> dict[str, str]:
        found = {f"{self.folder}/{name}": id_from_filename(name) for name in names}
        return {path: memo_id for path, memo_id in sorted(found.items()) if memo_id and path not in self.touched}


def _closes_a_loop(memos: Sequence[Memo], linked: Sequence[Ref]) -> bool:
    """Whether an unchanged memo supersedes a changed one, the only way a cycle can run through the unchanged memos."""
    changed = {m.id for m in memos}
    return any(target in changed for ref in linked for target in ref.supersedes)


def _follow(log: Unchanged, memos: Sequence[Memo], linked: tuple[Ref, ...]) -> tuple[Ref, ...]:
    """``linked`` plus every unchanged memo that the changed ones lead to, link by link, so that a cycle shows whole."""
    known = {m.id for m in memos} | {r.id for r in linked}
    refs = list(linked)
    frontier = {t for m in memos for t in m.supersedes} | {t for r in linked for t in r.supersedes}
    while frontier := {t for t in frontier - known if ID_PATTERN.match(t)}:
        known |= frontier
        found = log.links(path.rpartition("/")[2] for path in log.ids_named(frontier))
        refs.extend(found)
        frontier = {t for r in found for t in r.supersedes}
    return tuple(sorted(refs, key=lambda r: r.path))
