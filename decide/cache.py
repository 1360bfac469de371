"""What the rules across memos need of the memos a change leaves alone, cached inside the git directory.

The rules across memos (unique IDs and aliases, supersession) need every memo's ID,
``supersedes`` and ``aliases``. IDs come from file names (validation keeps them equal); the two
lists come from a cache keyed by blob SHA, and the whole answer for one base commit is kept too,
so checking again from the same base reads one small file and asks git nothing. Both keys name
exact contents, so no entry goes stale. The files live in ``<git dir>/decide/`` and are never
committed. Without them (a fresh CI clone) git finds the few memos that mention either key, and
only those are parsed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decide import repo
from decide.ident import id_from_filename
from decide.memo import parse_bytes, quick_lists
from decide.validate import Ref

BLOBS_FILE = "decide/links-v1.json"
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


def unchanged_memos(
    root: Path, git_dir: Path, fork: str, folder: str, touched: Collection[str]
) -> tuple[dict[str, str], tuple[Ref, ...]]:
    """The memos in ``folder`` at commit ``fork`` except the ``touched`` paths: path -> ID of each, and a Ref of each that links."""
    ids, linked = _at_base(root, git_dir, fork, folder)
    left = {path: memo_id for path, memo_id in ids.items() if path not in touched}
    return left, tuple(ref for ref in linked if ref.path not in touched)


def _at_base(root: Path, git_dir: Path, fork: str, folder: str) -> tuple[dict[str, str], tuple[Ref, ...]]:
    path = git_dir / BASE_FILE
    data = _read(path)
    try:
        if data["fork"] == fork and data["folder"] == folder:
            return dict(data["ids"]), tuple(Ref(p, i, tuple(s), tuple(a)) for p, i, s, a in data["linked"])
    except (KeyError, TypeError, ValueError):
        pass  # absent, another base, or unreadable: work it out and replace it
    ids, linked = _from_blobs(root, git_dir, fork, folder)
    rows = [[r.path, r.id, r.supersedes, r.aliases] for r in linked]
    _write(path, {"fork": fork, "folder": folder, "ids": ids, "linked": rows})
    return ids, linked


def _from_blobs(root: Path, git_dir: Path, fork: str, folder: str) -> tuple[dict[str, str], tuple[Ref, ...]]:
    listing = repo.blob_shas(root, fork, folder)
    cache_path = git_dir / BLOBS_FILE
    known = _load_blobs(cache_path)
    missing = {name: sha for name, sha in listing.items() if sha not in known}
    if missing:
        known.update(_fetch(root, fork, folder, missing))
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


def _fetch(root: Path, rev: str, folder: str, missing: Mapping[str, str]) -> dict[str, Links]:
    names = list(missing)
    if len(names) > GREP_ABOVE:
        mentioned = repo.grep_names(root, rev, folder, WORDS)
        names = [name for name in names if name in mentioned]
    found = dict.fromkeys(missing.values(), NO_LINKS)
    blobs = repo.read_blobs(root, [missing[name] for name in names])
    found.update({missing[name]: links_of(raw, f"{folder}/{name}") for name, raw in zip(names, blobs, strict=True)})
    return found


def _load_blobs(path: Path) -> dict[str, Links]:
    """The cached entries; an unreadable or foreign cache counts as empty (it is rebuilt)."""
    data = _read(path)
    try:
        known = dict.fromkeys(data["none"], NO_LINKS)
        known.update({sha: Links(tuple(s), tuple(a)) for sha, (s, a) in data["links"].items()})
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}
    return known


def _save_blobs(path: Path, entries: Mapping[str, Links]) -> None:
    """Keep only the entries of the current log, so the file stays the size of the log."""
    links = {sha: [entry.supersedes, entry.aliases] for sha, entry in sorted(entries.items()) if entry != NO_LINKS}
    _write(path, {"none": sorted(sha for sha, entry in entries.items() if entry == NO_LINKS), "links": links})


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
