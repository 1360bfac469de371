"""Git, through gitpython: the only module that imports it. Git failures become DecideErrors that say what to do."""

from __future__ import annotations

from pathlib import Path

import git

from decide.errors import CannotRun


def git_identity(root: Path) -> str | None:
    """``Name <email>`` from git's ``user.name``/``user.email`` (repo, then global), or None when unset."""
    runner = git.Git(root)
    name = _config(runner, "user.name")
    email = _config(runner, "user.email")
    if name and email:
        return f"{name} <{email}>"
    return name or None


def _config(runner: git.Git, key: str) -> str:
    try:
        return str(runner.config("--get", key)).strip()
    except git.GitCommandError:
        return ""
    except git.GitCommandNotFound as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc


def first_added(folder: Path) -> dict[str, tuple[str, str]]:
    """For each file in ``folder`` (by name): the date and author of the commit that added it. Empty outside git.

    One ``git log`` pass for the whole folder: one call per file would take a minute at 10,000 files.
    """
    try:
        out = str(
            git.Git(folder)(c="core.quotepath=off").log(
                "--diff-filter=A",
                "--no-renames",
                "--date=short",
                "--format=@@%ad\t%an <%ae>",
                "--name-only",
                "--relative",
                "--",
                ".",
            )
        )
    except (git.GitCommandError, git.GitCommandNotFound):
        return {}  # not a repository (or no git): there is simply no history to draw on
    found: dict[str, tuple[str, str]] = {}
    commit = ("", "")
    for line in out.splitlines():
        if line.startswith("@@"):
            date, _tab, author = line[2:].partition("\t")
            commit = (date, author)
        elif line and "/" not in line:
            found[line] = commit  # newest first, so the oldest commit that added the name wins
    return found
