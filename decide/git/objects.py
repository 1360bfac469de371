"""Reading git's objects: the blobs of a folder at a commit, their content, a grep of them, the names in trees."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from decide.git.process import Pending, Ready
from decide.git.tree import name_in as _name_in

T = TypeVar("T")


def blob_shas(root: Path, rev: str, folder: str) -> dict[str, str]:
    """File name -> blob SHA of every memo file in ``folder`` at ``rev`` (empty when it has no such folder). One git call."""
    return start_blob_shas(root, rev, folder).result()


def start_blob_shas(root: Path, rev: str, folder: str) -> Pending[dict[str, str]]:
    """``blob_shas``, running in the background."""
    return Pending(root, ["ls-tree", "-z", "--end-of-options", f"{rev}:./{folder}"], _parse_tree, ok=(0, 128))


# ls-tree -z entries: "<mode> <type> <sha>\t<name>\0"; one expression over them all beats a loop.
_TREE_BLOB = re.compile(r"(?:^|\0)\d{6} blob ([0-9a-f]+)\t([^\0]*?\.md)(?=\0)")


def _parse_tree(raw: bytes) -> dict[str, str]:
    return {name: sha for sha, name in _TREE_BLOB.findall(raw.decode("utf-8", "surrogateescape"))}


def start_blob_ids(
    root: Path, rev: str, folder: str, names: Sequence[str]
) -> Pending[dict[str, str]] | Ready[dict[str, str]]:
    """Name -> object ID of each of ``names`` that is a file directly in ``folder`` at ``rev``. One git call.

    The names go to git as literal pathspecs, so ``*``, ``[`` or a leading ``:`` in one match only itself.
    """
    if not names:
        return Ready({})
    paths = [f"{folder}/{name}" for name in names]
    args = ["--literal-pathspecs", "ls-tree", "-z", "--end-of-options", rev, "--", *paths]
    return Pending(
        root, args, lambda out: {_name_in(path, folder): sha for path, sha in _tree_entries(out)}, ok=(0, 128)
    )


def _tree_entries(raw: bytes) -> list[tuple[str, str]]:
    """(path, object ID) of each blob in ``ls-tree -z`` output."""
    found = []
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        info, _tab, path = entry.partition("\t")
        parts = info.split(" ")
        if len(parts) == 3 and parts[1] == "blob":
            found.append((path, parts[2]))
    return found


def read_blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The content of each object named in ``specs`` (``REV:./path``, ``:./path`` for the index, a SHA); None when missing.

    One ``git cat-file --batch`` for all of them. The protocol is one name a line, so a spec never
    holds a memo's file name (which may hold a line break): memos are read by object ID, and only
    paths decide chooses itself (the configuration's) are read by path.
    """
    return start_read_blobs(root, specs).result()


def start_read_blobs(root: Path, specs: Sequence[str]) -> Pending[list[bytes | None]] | Ready[list[bytes | None]]:
    """``read_blobs``, running in the background."""
    return _start_batch(root, specs, lambda found: [item[1] if item else None for item in found])


def _start_batch(
    root: Path, specs: Sequence[str], then: Callable[[list[tuple[str, bytes] | None]], T]
) -> Pending[T] | Ready[T]:
    """One ``git cat-file --batch`` for ``specs``; ``result()`` is ``then`` of what ``_parse_batch`` makes of it."""
    if not specs:
        return Ready(then([]))
    if any("\n" in spec for spec in specs):
        raise ValueError("cat-file --batch reads one name a line; read this object by its ID")
    stdin = "".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape")
    return Pending(root, ["cat-file", "--batch"], lambda out: then(_parse_batch(out, len(specs))), stdin=stdin)


def _parse_batch(out: bytes, count: int) -> list[tuple[str, bytes] | None]:
    """(object id, content) of each of the ``count`` objects asked of ``cat-file --batch``, or None when missing."""
    found: list[tuple[str, bytes] | None] = []
    at = 0
    for _ in range(count):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            found.append((header[0].decode(), out[end + 1 : end + 1 + size]))
            at = end + 1 + size + 1
        else:
            found.append(None)
            at = end + 1
    return found


def grep_names(root: Path, rev: str, folder: str, words: Sequence[str]) -> set[str]:
    """Names of the memo files in ``folder`` at ``rev`` containing any of ``words`` (fixed strings, whole words). One git call."""
    return start_grep_names(root, rev, folder, words).result()


def start_grep_names(root: Path, rev: str, folder: str, words: Sequence[str]) -> Pending[set[str]]:
    """``grep_names``, running in the background."""
    args = [arg for word in words for arg in ("-e", word)]

    def parse(out: bytes) -> set[str]:
        paths = (p.removeprefix(f"{rev}:") for p in out.decode("utf-8", "surrogateescape").split("\0") if p)
        return {name for name in (_name_in(p, folder) for p in paths) if name}

    # One thread: grepping a commit's blobs is bound by unpacking them, and threads only contend (measured: 70 vs 100 ms).
    # git grep (2.39) takes no --end-of-options before a revision; ``rev`` is a commit ID here, never a name typed in.
    return Pending(
        root, ["grep", "--threads=1", "-l", "-z", "-F", "-w", *args, rev, "--", f"{folder}/"], parse, ok=(0, 1)
    )


def find_names(root: Path, revs: Sequence[str], folder: str, prefixes: Sequence[str]) -> list[frozenset[str]]:
    """For each of ``revs``, the memo file names in ``folder`` that start with one of ``prefixes``. One git call.

    The folder's tree objects are searched for the prefixes rather than parsed: a branch's
    10,000 entries cost one regular expression that starts with a literal, not 10,000 Python steps.
    """
    return start_find_names(root, revs, folder, prefixes).result()


def start_find_names(
    root: Path, revs: Sequence[str], folder: str, prefixes: Sequence[str]
) -> Pending[list[frozenset[str]]] | Ready[list[frozenset[str]]]:
    """``find_names``, running in the background."""
    if not prefixes:
        return Ready([frozenset[str]() for _ in revs])
    entry = re.compile(rb" ((?:" + b"|".join(re.escape(p.encode()) for p in prefixes) + rb")[^\0/]*\.md)\0")

    def names_in(trees: list[tuple[str, bytes] | None]) -> list[frozenset[str]]:
        scanned: dict[str, frozenset[str]] = {}
        result = []
        for found in trees:
            if found is None:
                result.append(frozenset[str]())
                continue
            tree_id, tree = found
            if tree_id not in scanned:
                # An entry is "<mode> <name>\0<20-byte id>"; folders (mode 40000) named *.md are not memos.
                names = (
                    m.group(1) for m in entry.finditer(tree) if tree[max(m.start() - 6, 0) : m.start()] in _FILE_MODES
                )
                scanned[tree_id] = frozenset(name.decode("utf-8", "surrogateescape") for name in names)
            result.append(scanned[tree_id])
        return result

    return _start_batch(root, [f"{rev}:./{folder}" for rev in revs], names_in)


_FILE_MODES = frozenset({b"100644", b"100755", b"120000", b"160000"})
