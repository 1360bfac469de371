"""Where the repository is, what a ref names, and which memo files a branch changes (diff and status, read with ``-z``)."""

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
    """A memo file changed since a base commit: status A, M, D or R; ``old_name`` is set for R."""

    status: str
    name: str
    old_name: str = ""


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
        diff = ["diff", "--no-ext-diff", "--relative", "--name-status", "-M", "-z", "--cached", "--end-of-options"]
        diff += [base, "--", f"{folder}/"]
        self._cached = Pending(root, diff, lambda out: _parse_name_status(out, folder))
        status = ["--no-optional-locks", "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all"]
        status += ["--", f"{folder}/"]
        self._worktree = None if staged else Pending(root, status, partial(_parse_status, folder=f"{prefix}{folder}"))

    def in_index(self) -> list[FileChange]:
        return self._cached.result()

    def result(self) -> list[FileChange]:
        return self.in_index() if self._worktree is None else combine_changes(self.in_index(), self._worktree.result())


def _parse_status(raw: bytes, folder: str) -> list[FileChange]:
    """Working tree against index from ``git status --porcelain -z --no-renames``: M, D, or A.

    A is an untracked file (``??``) or one added with ``git add -N`` (`` A``): the index holds
    only the intent to add it, and a diff of the index leaves it out.
    """
    changes = []
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        code, path = entry[:2], entry[3:]
        name = name_in(path, folder)
        if not name or code[1] == " ":
            continue
        changes.append(FileChange("A" if code in ("??", " A") else "D" if code[1] == "D" else "M", name))
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
            present[name] = FileChange("M", name) if gone.pop(name, None) else change
        else:
            was = present.pop(name, None)
            if was is None or was.status != "A":
                old = was.old_name if was is not None and was.status == "R" else name
                gone[old] = FileChange("D", old)
    return sorted([*present.values(), *gone.values()], key=lambda c: (c.name, c.status))


def _parse_name_status(raw: bytes, folder: str) -> list[FileChange]:
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    at = 0
    while at < len(fields) - 1:
        status, path = fields[at][:1], fields[at + 1]
        if status in "RC":
            changes.append(_moved(status, name_in(path, folder), name_in(fields[at + 2], folder)))
            at += 3
        else:
            changes.append(FileChange(status if status in "AD" else "M", name_in(path, folder)))
            at += 2
    return [c for c in changes if c.name]


def _moved(status: str, old: str, new: str) -> FileChange:
    """A rename or copy as seen from the folder: a move in or out of it is an addition or a deletion."""
    if status == "C" or not old:
        return FileChange("A", new)
    return FileChange("R", new, old) if new else FileChange("D", old)


def name_in(path: str, folder: str) -> str:
    """The file name when ``path`` is a memo file directly in ``folder``, else ``""``."""
    head, _, name = path.rpartition("/")
    return name if head == folder and name.endswith(".md") and "\n" not in name else ""


def index_names(root: Path, folder: str) -> list[str]:
    """The names of the memo files directly in ``folder`` in the index, sorted."""
    out = _run(root, "ls-files", "-z", "--cached", "--", f"{folder}/")
    return sorted(
        {name for name in (name_in(p, folder) for p in out.decode("utf-8", "surrogateescape").split("\0")) if name}
    )


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
