"""Who you are to git, committing one file, and when each file of a folder first appeared (following renames)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from pathlib import Path

from decide.errors import CannotRun
from decide.git.process import GitFailed, Pending
from decide.git.process import run as _run


def git_identity(root: Path) -> str | None:
    """``Name <email>`` from git's ``user.name``/``user.email`` (repo, then global), or None when unset."""
    name, email = _config(root, "user.name"), _config(root, "user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or None


def _config(root: Path, key: str) -> str:
    """A git setting, or "" when it is unset (or ``root`` is not a folder git can run in)."""
    try:
        return _run(root, "config", "--get", key, ok=(0, 1)).decode("utf-8", "replace").strip()
    except GitFailed:
        return ""


def check_can_commit(root: Path) -> None:
    """Refuse early (before anything is written) when a commit could not be made here."""
    try:
        bare = _run(root, "rev-parse", "--is-bare-repository").decode().strip() == "true"
    except GitFailed as exc:
        raise CannotRun(f"{root} is not in a git repository; run 'git init' there, or leave out --commit") from exc
    if bare:
        raise CannotRun(f"{root} is a bare git repository; run decide in a working tree")
    identity = git_identity(root)
    if not identity or "<" not in identity:
        raise CannotRun('git does not know who you are; run git config user.name "Your Name" and user.email')


def commit_file(root: Path, path: Path, message: str) -> str:
    """Commit exactly ``path`` (new or changed) with ``message``, leaving anything else staged as it was; the new SHA."""
    try:
        _run(root, "add", "--", str(path))
        _run(root, "commit", "-q", "-m", message, "--only", "--", str(path))
        return _run(root, "rev-parse", "HEAD").decode().strip()
    except GitFailed as exc:
        raise CannotRun(f"{path.name} was written but not committed: {exc}; commit it yourself") from exc


def first_added(folder: Path) -> dict[str, tuple[str, str]]:
    """For each file directly in ``folder`` (by name): ``(date, "Name <email>")`` of the commit that first added it.

    Follows renames, also across folder moves (``doc/adr`` renamed to ``docs/adr``), as ``git log
    --follow`` does for one file: a file that appears in the folder by an "add" is looked up in that
    commit's whole tree, and when it came from elsewhere, that folder's history is read too. One
    ``git log`` pass over the folders that ever held these files (one call per file takes a minute at
    10,000 files), plus one call per move found. Empty outside git.
    """
    try:
        prefix = _run(folder, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    except CannotRun:
        return {}  # not a repository, or no git: there is no history to draw on
    folders, checked = {prefix.rstrip("/")}, set[str]()
    for _round in range(_MAX_MOVES):
        first = _first_events(folder, folders)
        mine = {path: event for path, event in first.items() if posixpath.dirname(path) == prefix.rstrip("/")}
        added = {event.commit for event in mine.values()} - checked
        starts = {event.path for event in mine.values() if event.commit in added}
        moved_from = _rename_sources(folder, added, starts, prefix.rstrip("/"))
        checked |= added
        if not moved_from - folders:
            break
        folders |= moved_from
    return {posixpath.basename(path): (e.date, e.author) for path, e in mine.items()}


_MAX_MOVES = 8  # folder moves followed back; a log moved more often than this keeps its later dates
_FORMAT = "--format=%x01%H%x09%ad%x09%an <%ae>"


@dataclass(frozen=True)
class _Event:
    """The commit a path's history starts with, and the path it was added at there (a rename from outside the folders read looks like an add)."""

    commit: str
    date: str
    author: str
    path: str = ""


def _first_events(folder: Path, folders: set[str]) -> dict[str, _Event]:
    """Each path's first event in the history of ``folders`` (paths from the repository root), renames followed."""
    specs = [f":(top,literal){f}/" if f else ":(top)." for f in sorted(folders)]
    args = ["-c", "core.quotepath=off", "log", "--diff-filter=AR", "--name-status", "-M", "-z", "--reverse"]
    try:
        out = _run(folder, *args, "--date=short", _FORMAT, "--", *specs).decode("utf-8", "surrogateescape")
    except CannotRun:
        return {}  # no commits yet
    return _parse_first_events(out)


def _parse_first_events(out: str) -> dict[str, _Event]:
    first: dict[str, _Event] = {}
    commit = _Event("", "", "")
    tokens = iter(out.split("\0"))
    for raw in tokens:
        token = raw.strip("\n")
        if token.startswith("\x01"):
            sha, _tab, rest = token[1:].partition("\t")
            date, _tab, author = rest.partition("\t")
            commit = _Event(sha, date, author)
        elif token.startswith("A"):
            path = next(tokens)
            first.setdefault(path, replace(commit, path=path))
        elif token.startswith("R"):
            old, new = next(tokens), next(tokens)
            first.setdefault(new, first.get(old) or replace(commit, path=new))
    return first


def _rename_sources(folder: Path, commits: set[str], paths: set[str], inside: str) -> set[str]:
    """The folders that ``paths`` were renamed from in ``commits``, looking at each commit's whole tree.

    Only a commit that also deletes a file outside the folder can have moved one in; finding those
    first skips the folder's own tree, which is what costs time when it holds thousands of files.
    """
    exclude = f":(top,exclude,literal){inside}/" if inside else ":(top,exclude)*"
    deleting = _log_each(folder, commits, ["--no-renames", "--diff-filter=D", "--name-only", "--", ":(top)", exclude])
    moved = _log_each(folder, set(deleting), ["-M", "--diff-filter=R", "--name-status"])
    return {posixpath.dirname(old) for renamed in moved.values() for old, new in renamed if new in paths}


def _log_each(folder: Path, commits: set[str], args: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each of ``commits`` that has any, its changed paths as ``(old, new)`` (both the path unless renamed). One git call."""
    if not commits:
        return {}
    stdin = "".join(f"{sha}\n" for sha in sorted(commits)).encode()
    command = ["-c", "core.quotepath=off", "log", "--no-walk=unsorted", "--stdin", "-z", "--format=%x01%H", *args]
    try:
        out = Pending(folder, command, bytes, stdin=stdin).result()
    except CannotRun:
        return {}  # a shallow clone lacks the parents: the dates found so far stand
    found: dict[str, list[tuple[str, str]]] = {}
    sha = ""
    tokens = iter(out.decode("utf-8", "surrogateescape").split("\0"))
    for raw in tokens:
        token = raw.strip("\n")
        if token.startswith("\x01"):
            sha = token[1:]
        elif token[:1] == "R" and token[1:].isdigit():
            found.setdefault(sha, []).append((next(tokens), next(tokens)))
        elif token:
            found.setdefault(sha, []).append((token, token))
    return found
