"""Git: the only module that talks to it. Git failures become DecideErrors that say what to do.

The reading verbs behind ``decide check`` run the git binary directly: importing gitpython
costs about 100 ms, a third of the whole check's budget, and each verb is one git process
either way. gitpython is imported only inside the verbs that use it.

Paths given to and returned by these verbs are relative to ``root`` (git runs there, with
``--relative`` or ``./`` paths), so a log in a subdirectory of a repository works.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from decide.errors import CannotRun

if TYPE_CHECKING:
    import git

FETCH_DEPTH_HINT = "in GitHub Actions: actions/checkout with fetch-depth: 0"


class GitFailed(CannotRun):
    """A git command failed; the message carries git's own words."""


@dataclass(frozen=True)
class RepoInfo:
    """Where git keeps its data for this checkout, and whether the history is cut short."""

    git_dir: Path
    shallow: bool


@dataclass(frozen=True)
class FileChange:
    """A memo file changed since a base commit: status A, M, D or R; ``old_name`` is set for R."""

    status: str
    name: str
    old_name: str = ""


def _run(root: Path, *args: str, stdin: bytes | None = None, ok: Sequence[int] = (0,)) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc
    if done.returncode not in ok:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed(f"git {args[0]} failed: {said[-1] if said else f'exit {done.returncode}'}")
    return done.stdout


def describe_repo(root: Path) -> RepoInfo:
    """The git directory shared by all worktrees, and whether this is a shallow clone."""
    try:
        out = _run(root, "rev-parse", "--git-common-dir", "--is-shallow-repository")
    except GitFailed as exc:
        raise CannotRun(f"{root} is not in a git repository; decide check compares with a base branch: {exc}") from exc
    git_dir, shallow = out.decode().splitlines()[:2]
    return RepoInfo(git_dir=(root / git_dir).resolve(), shallow=shallow == "true")


def resolve_commit(root: Path, ref: str) -> str | None:
    """The commit ``ref`` names, or None when there is no such ref here."""
    out = _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", ok=(0, 1, 128))
    return out.decode().strip() or None


def merge_base(root: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history here."""
    return _run(root, "merge-base", one, other, ok=(0, 1)).decode().strip() or None


def changed_files(root: Path, base: str, folder: str, *, staged: bool) -> list[FileChange]:
    """Memo files (``folder/*.md``) that differ between ``base`` and the working tree, or the index if ``staged``.

    The working tree includes untracked files that are not ignored. Renames are detected (``-M``).
    """
    args = ["diff", "--no-ext-diff", "--relative", "--name-status", "-M", "-z"]
    out = _run(root, *args, *(["--cached"] if staged else []), base, "--", f"{folder}/")
    changes = list(_parse_name_status(out.decode("utf-8", "surrogateescape"), folder))
    if not staged:
        untracked = _run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", f"{folder}/")
        names = (_name_in(p, folder) for p in untracked.decode("utf-8", "surrogateescape").split("\0"))
        changes.extend(FileChange("A", name) for name in names if name)
    return changes


def _parse_name_status(out: str, folder: str) -> Iterable[FileChange]:
    fields = out.split("\0")
    at = 0
    while at < len(fields) - 1:
        status, path = fields[at][:1], fields[at + 1]
        if status in "RC":
            new = _name_in(fields[at + 2], folder)
            old = _name_in(path, folder)
            at += 3
            if status == "C" or not old:
                yield from [FileChange("A", new)] if new else []
            elif not new:
                yield FileChange("D", old)
            else:
                yield FileChange("R", new, old)
            continue
        at += 2
        name = _name_in(path, folder)
        if name:
            yield FileChange(status if status in "AD" else "M", name)


def _name_in(path: str, folder: str) -> str:
    """The file name when ``path`` is a memo file directly in ``folder``, else ``""``."""
    head, _, name = path.rpartition("/")
    return name if head == folder and name.endswith(".md") and "\n" not in name else ""


def blob_shas(root: Path, rev: str | None, folder: str) -> dict[str, str]:
    """File name -> blob SHA of every memo file in ``folder`` at ``rev`` (``None``: the index). One git call."""
    if rev is None:
        out = _run(root, "ls-files", "-s", "-z", "--", f"{folder}/")
        rows = (line.split("\t", 1) for line in out.decode("utf-8", "surrogateescape").split("\0") if line)
        pairs = ((path, meta.split()[1]) for meta, path in rows)
    else:
        out = _run(root, "ls-tree", "-z", rev, "--", f"{folder}/")
        rows = (line.split("\t", 1) for line in out.decode("utf-8", "surrogateescape").split("\0") if line)
        pairs = ((path, meta.split()[2]) for meta, path in rows if meta.split()[1] == "blob")
    return {name: sha for name, sha in ((_name_in(p, folder), sha) for p, sha in pairs) if name}


def read_blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The content of each object named in ``specs`` (``REV:./path``, ``:./path`` for the index, a SHA); None when missing.

    One ``git cat-file --batch`` for all of them.
    """
    return [found[1] if found else None for found in _batch(root, specs)]


def _batch(root: Path, specs: Sequence[str]) -> list[tuple[str, bytes] | None]:
    """(object id, content) of each object named in ``specs``, or None when missing."""
    if not specs:
        return []
    out = _run(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode("utf-8", "surrogateescape"))
    found: list[tuple[str, bytes] | None] = []
    at = 0
    for _spec in specs:
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
    """Names of the memo files in ``folder`` at ``rev`` containing any of ``words`` (fixed strings). One git call."""
    args = [arg for word in words for arg in ("-e", word)]
    out = _run(root, "grep", "-l", "-z", "-F", *args, rev, "--", f"{folder}/", ok=(0, 1))
    paths = (p.removeprefix(f"{rev}:") for p in out.decode("utf-8", "surrogateescape").split("\0") if p)
    return {name for name in (_name_in(p, folder) for p in paths) if name}


def other_branches(root: Path) -> list[str]:
    """Local and remote-tracking branches (full ref names) whose tip is not already part of HEAD's history."""
    fmt = "--format=%(refname)%00%(symref)"
    out = _run(root, "for-each-ref", fmt, "--no-merged", "HEAD", "refs/heads", "refs/remotes")
    rows = (line.split("\0") for line in out.decode("utf-8", "surrogateescape").splitlines())
    return [name for name, symref in rows if not symref]


def short_ref(name: str) -> str:
    """``refs/remotes/origin/x`` -> ``origin/x``, ``refs/heads/x`` -> ``x``."""
    return name.removeprefix("refs/heads/").removeprefix("refs/remotes/")


def folder_names(root: Path, revs: Sequence[str], folder: str) -> list[frozenset[str]]:
    """The memo file names in ``folder`` at each of ``revs`` (empty when it has no such folder). One git call."""
    parsed: dict[str, frozenset[str]] = {}
    result: list[frozenset[str]] = []
    for found in _batch(root, [f"{rev}:./{folder}" for rev in revs]):
        if found is None:
            result.append(frozenset())
        else:
            tree_id, tree = found
            result.append(parsed.get(tree_id) or parsed.setdefault(tree_id, _tree_names(tree, len(tree_id) // 2)))
    return result


def _tree_names(tree: bytes, hash_len: int) -> frozenset[str]:
    """File names in a raw tree object: ``<mode> <name>\\0<binary id>`` entries."""
    names = []
    at = 0
    while at < len(tree):
        nul = tree.index(b"\0", at)
        mode, _, name = tree[at:nul].partition(b" ")
        if not mode.startswith(b"4"):  # 40000 is a subdirectory
            names.append(name.decode("utf-8", "surrogateescape"))
        at = nul + 1 + hash_len
    return frozenset(n for n in names if n.endswith(".md"))


def git_identity(root: Path) -> str | None:
    """``Name <email>`` from git's ``user.name``/``user.email`` (repo, then global), or None when unset."""
    import git

    runner = git.Git(root)
    name = _config(runner, "user.name")
    email = _config(runner, "user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or None


def _config(runner: git.Git, key: str) -> str:
    import git

    try:
        return str(runner.config("--get", key)).strip()
    except git.GitCommandError:
        return ""
    except git.GitCommandNotFound as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc
