"""What the rules across memos need of the memos a change leaves alone, cached by blob SHA inside the git directory.

The rules across memos (unique IDs and aliases, supersession) need every memo's ID,
``supersedes`` and ``aliases``. IDs come from file names (validation keeps them equal). The
two lists come from this cache: a blob SHA names one exact content, so an entry never goes
stale. It lives in ``<git dir>/decide/`` and is never committed; without it (a fresh CI clone)
git finds the few memos that mention either key and only those are parsed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from decide import repo
from decide.errors import CannotRun
from decide.files import replace
from decide.ident import id_from_filename
from decide.memo import parse_bytes
from decide.validate import Ref

CACHE_FILE = "decide/links-v1.json"
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
    """The links in a memo's raw text. Pure; a memo that names neither key is not parsed."""
    if raw is None or not any(word.encode() in raw for word in WORDS):
        return NO_LINKS
    memo = parse_bytes(raw, path).memo
    return Links(memo.supersedes, memo.aliases) if memo else NO_LINKS


def unchanged_refs(root: Path, git_dir: Path, rev: str, folder: str, listing: Mapping[str, str]) -> list[Ref]:
    """A Ref for each memo file in ``listing`` (file name -> blob SHA at ``rev``), from the cache or git."""
    path = git_dir / CACHE_FILE
    known = _load(path)
    missing = {name: sha for name, sha in listing.items() if sha not in known}
    if missing:
        known.update(_fetch(root, rev, folder, missing))
        _save(path, {sha: known[sha] for sha in set(listing.values())})
    refs = []
    for name, sha in listing.items():
        memo_id = id_from_filename(name)
        if memo_id:
            links = known[sha]
            refs.append(Ref(f"{folder}/{name}", memo_id, links.supersedes, links.aliases))
    return refs


def _fetch(root: Path, rev: str, folder: str, missing: Mapping[str, str]) -> dict[str, Links]:
    names = list(missing)
    if len(names) > GREP_ABOVE:
        mentioned = repo.grep_names(root, rev, folder, WORDS)
        names = [name for name in names if name in mentioned]
    found = dict.fromkeys(missing.values(), NO_LINKS)
    blobs = repo.read_blobs(root, [missing[name] for name in names])
    found.update({missing[name]: links_of(raw, f"{folder}/{name}") for name, raw in zip(names, blobs, strict=True)})
    return found


def _load(path: Path) -> dict[str, Links]:
    """The cached entries; an unreadable or foreign cache counts as empty (it is rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        known = dict.fromkeys(data["none"], NO_LINKS)
        known.update({sha: Links(tuple(s), tuple(a)) for sha, (s, a) in data["links"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return known


def _save(path: Path, entries: Mapping[str, Links]) -> None:
    """Keep only the entries of the current log, so the file stays the size of the log."""
    data = {
        "none": sorted(sha for sha, links in entries.items() if links == NO_LINKS),
        "links": {
            sha: [links.supersedes, links.aliases] for sha, links in sorted(entries.items()) if links != NO_LINKS
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace(path, json.dumps(data, separators=(",", ":")))
    except (OSError, CannotRun):
        pass  # a cache that cannot be written only costs time on the next run
