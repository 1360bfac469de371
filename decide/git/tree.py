"""Where the repository is, what a ref names, and which memo files a branch changes (diff and status, read with ``-z``).

A file name may hold any byte but NUL and ``/``: a line break, a tab, a quote, bytes that are not
UTF-8. So every name is read from NUL-separated output, and every blob is read by the object ID
git gives beside its name (``diff --raw``, ``status --porcelain=v2``, ``ls-tree``), never by a
path sent down the line-based ``cat-file --batch`` protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from decide.errors import CannotRun
from decide.git.process import GitFailed, Pending
from decide.git.process import run as _run


@dataclass(frozen=True)
class RepoInfo:
    """Where git keeps its data for this checkout, and whether the history is cut short."""

    git_dir: Path
    shallow: bool
    prefix: str = ""  # where ``root`` is inside the repository: "" at the top, else "sub/dir/"


@dataclass(frozen=True)
class FileChange:
    """A memo file changed since a base commit: status A, M, D or R; ``old_name`` is set for R.

    ``old_blob`` is the file's object ID at the base (for M, D and R), ``blob`` its ID in the index
    (for A, M and R, when the index holds it): the check reads both ends by ID.
    """

    status: str
    name: str
    old_name: str = ""
    old_blob: str = ""
    blob: str = ""


def describe_repo(root: Path) -> RepoInfo:
    """The git directory shared by all worktrees, and whether this is a shallow clone."""
    try:
        out = _run(root, "rev-parse", "--git-common-dir", "--is-shallow-repository", "--show-prefix")
    except GitFailed as exc:
        raise CannotRun(f"{root} is not in a git repository; run 'git init' there") from exc
    git_dir, shallow, prefix = [*out.decode("utf-8", "surrogateescape").splitlines(), ""][:3]
    return RepoInfo(git_dir=(root / git_dir).resolve(), shallow=shallow == "true", prefix=prefix)


def resolve_commit(root: Path, ref: str) -> str | None:
    """The commit ``ref`` names, or None when there is no such ref here."""
    out = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1, 128))
    return out.decode().strip() or None


def symbolic_ref(root: Path, name: str) -> str | None:
    """The ref that symbolic ref ``name`` (such as ``refs/remotes/origin/HEAD``) points to, or None."""
    out = _run(root, "symbolic-ref", "-q", "--", name, ok=(0, 1, 128))
    return out.decode("utf-8", "surrogateescape").strip() or None


def merge_base(root: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history here; GitFailed if one is missing."""
    return _run(root, "merge-base", "--end-of-options", one, other, ok=(0, 1)).decode().strip() or None


def changed_files(root: Path, base: str, folder: str, *, staged: bool, prefix: str = "") -> list[FileChange]:
    """Memo files (``folder/*.md``) that differ between ``base`` and the working tree, or the index if ``staged``.

    The working tree includes untracked files that are not ignored. Renames are detected (``-M``).
    Two quick comparisons (the index against ``base``, then one ``git status`` for the working
    tree against the index and untracked files) stand in for one slow diff: diffing the working
    tree with a commit other than HEAD walks the whole tree. Both run at once. ``prefix`` is
    ``RepoInfo.prefix``: git status names paths from the top of the repository.
    """
    return ChangedFiles(root, base, folder, staged=staged, prefix=prefix).result()


class ChangedFiles:
    """``changed_files`` with git working in the background: the index's answer comes first.

    ``in_index()`` is the index against the base, which is often the whole answer (in CI, the
    working tree is the commit); ``result()`` waits for ``git status`` and adds the working tree.
    """

    def __init__(self, root: Path, base: str, folder: str, *, staged: bool, prefix: str = "") -> None:
        diff = ["diff", "--no-ext-diff", "--relative", "--raw", "--no-abbrev", "-M", "-z", "--cached"]
        diff += ["--end-of-options", base, "--", f"{folder}/"]
        self._cached = Pending(root, diff, lambda out: _parse_raw(out, folder))
        status = ["--no-optional-locks", "status", "--porcelain=v2", "-z", "--no-renames", "--untracked-files=all"]
        status += ["--", f"{folder}/"]
        self._worktree = None if staged else Pending(root, status, partial(_parse_status, folder=f"{prefix}{folder}"))

    def in_index(self) -> list[FileChange]:
        return self._cached.result()

    def result(self) -> list[FileChange]:
        return self.in_index() if self._worktree is None else combine_changes(self.in_index(), self._worktree.result())


_NO_BLOB = "0" * 40


def _parse_status(raw: bytes, folder: str) -> list[FileChange]:
    """Working tree against index from ``git status --porcelain=v2 -z --no-renames``: M, D, or A.

    A is an untracked file (``?``) or one added with ``git add -N`` (``.A``): the index holds
    only the intent to add it, and a diff of the index leaves it out. ``old_blob`` is the index's
    object ID, which is the base's whenever the index does not change the file.
    """
    changes = []
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        kind = entry[:1]
        if kind == "?":
            code, index_blob, path = "?A", "", entry[2:]
        elif kind in "1u" and entry:
            fields = entry.split(" ", 8 if kind == "1" else 10)
            code, index_blob, path = fields[1], fields[7] if kind == "1" else "", fields[-1]
        else:
            continue
        name = name_in(path, folder)
        if not name or code[1] == ".":
            continue
        status = "A" if code in ("?A", ".A") else "D" if code[1] == "D" else "M"
        changes.append(FileChange(status, name, old_blob="" if index_blob == _NO_BLOB else index_blob))
    return changes


def combine_changes(first: Sequence[FileChange], second: Sequence[FileChange]) -> list[FileChange]:
    """Changes base -> working tree, from base -> index (``first``) and index -> working tree (``second``: M, D, A)."""
    present = {c.name: c for c in first if c.status != "D"}
    gone = {c.name: c for c in first if c.status == "D"}
    for change in second:
        name = change.name
        if change.status == "M":
            present.setdefault(name, change)
        elif change.status == "A":
            was = gone.pop(name, None)
            present[name] = FileChange("M", name, old_blob=was.old_blob) if was else change
        else:
            was = present.pop(name, None)
            if was is None or was.status != "A":
                old = was.old_name if was is not None and was.status == "R" else name
                gone[old] = FileChange("D", old, old_blob=was.old_blob if was is not None else change.old_blob)
    return sorted([*present.values(), *gone.values()], key=lambda c: (c.name, c.status))


def _parse_raw(raw: bytes, folder: str) -> list[FileChange]:
    """``diff --raw -z``: ``:<mode> <mode> <old id> <new id> <status>``, NUL, the path (two for R and C), NUL."""
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    at = 0
    while at < len(fields) - 1:
        _modes, _mode, old_blob, blob, status = fields[at].lstrip(":").split(" ")
        old_blob, blob, status = _blob(old_blob), _blob(blob), status[:1]
        if status in "RC":
            old, new = name_in(fields[at + 1], folder), name_in(fields[at + 2], folder)
            changes.append(_moved(status, old, new, old_blob, blob))
            at += 3
        else:
            kind = status if status in "AD" else "M"
            changes.append(FileChange(kind, name_in(fields[at + 1], folder), old_blob=old_blob, blob=blob))
            at += 2
    return [c for c in changes if c.name]


def _blob(object_id: str) -> str:
    return "" if object_id == _NO_BLOB else object_id


def _moved(status: str, old: str, new: str, old_blob: str, blob: str) -> FileChange:
    """A rename or copy as seen from the folder: a move in or out of it is an addition or a deletion."""
    if status == "C" or not old:
        return FileChange("A", new, blob=blob)
    return FileChange("R", new, old, old_blob, blob) if new else FileChange("D", old, old_blob=old_blob)


def name_in(path: str, folder: str) -> str:
    """The file name when ``path`` is a memo file directly in ``folder``, else ``""``. Any name git can hold is one."""
    head, _, name = path.rpartition("/")
    return name if head == folder and name.endswith(".md") else ""


def index_blobs(root: Path, folder: str) -> dict[str, str]:
    """Name -> object ID of each memo file directly in ``folder`` in the index, in name order."""
    out = _run(root, "ls-files", "-z", "--stage", "--", f"{folder}/")
    found = {}
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        info, _tab, path = entry.partition("\t")
        name = name_in(path, folder)
        if name:
            found[name] = info.split(" ")[1]
    return dict(sorted(found.items()))


def nested_files(root: Path, folder: str, prefixes: Sequence[str], *, staged: bool) -> list[str]:
    """Paths of the ``.md`` files in subfolders of ``folder`` whose names start with one of ``prefixes``. One git call.

    Those in the index, and unless ``staged`` those untracked in the working tree (not ignored).
    """
    if not prefixes:
        return []
    specs = [f":(glob){folder}/**/{prefix}*.md" for prefix in prefixes]
    untracked = [] if staged else ["--others", "--exclude-standard"]
    out = _run(root, "ls-files", "-z", "--cached", *untracked, "--", *specs)
    paths = out.decode("utf-8", "surrogateescape").split("\0")
    return sorted({path for path in paths if path and not name_in(path, folder)})
