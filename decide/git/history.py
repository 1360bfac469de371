"""Who you are to git, committing one file, and when each file of a folder first appeared (following renames)."""

from __future__ import annotations

from pathlib import Path

from decide.errors import CannotRun
from decide.git.process import GitFailed
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

    Follows renames, so a memo moved to a new name keeps its first date. One ``git log`` pass for the
    whole folder (one call per file takes a minute at 10,000 files). Empty outside git.
    """
    args = ["-c", "core.quotepath=off", "log", "--diff-filter=AR", "--name-status", "-M", "-z", "--reverse"]
    args += ["--date=short", "--format=%x01%ad\t%an <%ae>", "--relative", "--", "."]
    try:
        out = _run(folder, *args).decode("utf-8", "surrogateescape")
    except CannotRun:
        return {}  # not a repository, no commits yet, or no git: there is no history to draw on
    return {name: origin for name, origin in _parse_first_added(out).items() if "/" not in name}


def _parse_first_added(out: str) -> dict[str, tuple[str, str]]:
    first: dict[str, tuple[str, str]] = {}
    commit = ("", "")
    tokens = iter(out.split("\0"))
    for raw in tokens:
        token = raw.strip("\n")
        if token.startswith("\x01"):
            date, _tab, author = token[1:].partition("\t")
            commit = (date, author)
        elif token.startswith("A"):
            first.setdefault(next(tokens), commit)
        elif token.startswith("R"):
            old, new = next(tokens), next(tokens)
            first.setdefault(new, first.get(old, commit))
    return first
