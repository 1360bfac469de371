"""What the rules across memos need of the memos a change leaves alone, cached inside the git directory.

The rules across memos (unique IDs and aliases, supersession) need every memo's ID,
``supersedes`` and ``aliases``. IDs come from file names (validation keeps them equal); the two
lists come from a cache keyed by blob SHA, and the whole answer for one base commit is kept too,
so checking again from the same base reads one small file and asks git nothing. Both keys name
exact contents, so no entry goes stale. The files live in ``<git dir>/decide/`` and are never
committed. Without them (a fresh CI clone) git lists the folder and finds the few memos that
mention either key, in the background while the change itself is read, and only those are parsed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decide import repo
from decide.ident import id_from_filename
from decide.memo import parse_bytes, quick_lists
from decide.validate import Ref

BLOBS_FILE = "decide/links-v2.json"
BASE_FILE = "decide/base-v1.json"
WORDS = ("supersedes", "aliases")
# Below this many unknown memos, reading them is cheaper than one git grep over the whole log.
GREP_ABOVE = 200


@dataclass(frozen=True)
class Links:
    """A memo's links to other memos."""

    supersedes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


NO_LINKS = Links()


def links_of(raw: bytes | None, path: str) -> Links:
    """The links in a memo's raw text. Pure; only the lines of the two keys are read when that is safe."""
    if raw is None or not any(word.encode() in raw for word in WORDS):
        return NO_LINKS
    quick = quick_lists(raw, WORDS)
    if quick is not None:
        return Links(quick["supersedes"], quick["aliases"])
    memo = parse_bytes(raw, path).memo
    return Links(memo.supersedes, memo.aliases) if memo else NO_LINKS


Unchanged = tuple[dict[str, str], tuple[Ref, ...]]


def unchanged_memos(root: Path, git_dir: Path, fork: str, folder: str, touched: Collection[str]) -> Unchanged:
    """The memos in ``folder`` at commit ``fork`` except the ``touched`` paths: path -> ID of each, and a Ref of each that links."""
    return start_unchanged(root, git_dir, fork, folder)(touched)


def start_unchanged(root: Path, git_dir: Path, fork: str, folder: str) -> Callable[[Collection[str]], Unchanged]:
    """Start working out ``unchanged_memos``; call the result with the touched paths to get the answer.

    With no stored answer for ``fork``, git lists the folder and greps it in the background
    while the caller reads the change itself.
    """
    path = git_dir / BASE_FILE
    stored = _stored(_read(path), fork, folder)
    if stored is None:
        listing = repo.start_blob_shas(root, fork, folder)
        mentioned = repo.start_grep_names(root, fork, folder, WORDS)

    def finish(touched: Collection[str]) -> Unchanged:
        if stored is None:
            ids, linked = _from_blobs(root, git_dir, folder, listing.result(), mentioned)
            rows = [[r.path, r.id, r.supersedes, r.aliases] for r in linked]
            _write(path, {"fork": fork, "folder": folder, "ids": ids, "linked": rows})
        else:
            ids, linked = stored
        left = {p: memo_id for p, memo_id in ids.items() if p not in touched}
        return left, tuple(ref for ref in linked if ref.path not in touched)

    return finish


def _stored(data: Any, fork: str, folder: str) -> Unchanged | None:
    """The stored answer when it is for ``fork`` and ``folder``; None when absent, for another base, or unreadable."""
    try:
        if data["fork"] == fork and data["folder"] == folder:
            return dict(data["ids"]), tuple(Ref(p, i, tuple(s), tuple(a)) for p, i, s, a in data["linked"])
    except (KeyError, TypeError, ValueError):
        pass
    return None


def _from_blobs(
    root: Path, git_dir: Path, folder: str, listing: Mapping[str, str], mentioned: repo.Pending[set[str]]
) -> Unchanged:
    cache_path = git_dir / BLOBS_FILE
    known = _load_blobs(cache_path)
    missing = {name: sha for name, sha in listing.items() if sha not in known}
    if len(missing) > GREP_ABOVE:
        names = mentioned.result()
        missing_linked = {name: sha for name, sha in missing.items() if name in names}
    else:  # reading a few memos is cheaper than waiting for the grep
        mentioned.cancel()
        missing_linked = missing
    if missing:
        known.update(dict.fromkeys(missing.values(), NO_LINKS))
        known.update(_links(root, folder, missing_linked))
        _save_blobs(cache_path, {sha: known[sha] for sha in set(listing.values())})
    ids: dict[str, str] = {}
    linked = []
    for name, sha in sorted(listing.items()):
        memo_id = id_from_filename(name)
        if memo_id:
            path = f"{folder}/{name}"
            ids[path] = memo_id
            links = known[sha]
            if links != NO_LINKS:
                linked.append(Ref(path, memo_id, links.supersedes, links.aliases))
    return ids, tuple(linked)


def _links(root: Path, folder: str, memos: Mapping[str, str]) -> dict[str, Links]:
    """Blob SHA -> links of each memo file name -> blob SHA in ``memos``, read in one git call."""
    blobs = repo.read_blobs(root, list(memos.values()))
    return {sha: links_of(raw, f"{folder}/{name}") for (name, sha), raw in zip(memos.items(), blobs, strict=True)}


def _load_blobs(path: Path) -> dict[str, Links]:
    """The cached entries; an unreadable or foreign cache counts as empty (it is rebuilt)."""
    data = _read(path)
    try:
        known = dict.fromkeys(data["none"].split(), NO_LINKS)
        known.update({sha: Links(tuple(s), tuple(a)) for sha, (s, a) in data["links"].items()})
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}
    return known


def _save_blobs(path: Path, entries: Mapping[str, Links]) -> None:
    """Keep only the entries of the current log, so the file stays the size of the log.

    The SHAs of memos without links, most of them, are one space-separated string: quick to
    write and to read.
    """
    links = {
        sha: [entry.supersedes, entry.aliases] for sha, entry in entries.items() if entry.supersedes or entry.aliases
    }
    _write(path, {"none": " ".join(sha for sha in entries if sha not in links), "links": links})


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write(path: Path, data: object) -> None:
    """Write beside the old file and rename over it; not synced to disk, as losing it costs only time."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
