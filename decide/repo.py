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


def _open(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise CannotRun(f"{root} is not in a git repository; run 'git init' there") from exc
    except git.GitCommandNotFound as exc:
        raise CannotRun("git is not installed or not on PATH; install git") from exc


def check_can_commit(root: Path) -> None:
    """Refuse early (before anything is written) when a commit could not be made here."""
    try:
        repo = _open(root)
    except CannotRun as exc:
        raise CannotRun(f"{exc}, or leave out --commit") from exc
    if repo.bare:
        raise CannotRun(f"{root} is a bare git repository; run decide in a working tree")
    identity = git_identity(root)
    if not identity or "<" not in identity:
        raise CannotRun('git does not know who you are; run git config user.name "Your Name" and user.email')


def commit_file(root: Path, path: Path, message: str) -> str:
    """Commit exactly ``path`` (new or changed) with ``message``, leaving anything else staged as it was; the new SHA."""
    repo = _open(root)
    try:
        repo.git.add("--", str(path))
        repo.git.commit("-q", "-m", message, "--only", "--", str(path))
        return str(repo.head.commit.hexsha)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().removeprefix("stderr:").strip(" '")
        raise CannotRun(
            f"{path.name} was written but not committed: git commit failed: {detail}; commit it yourself"
        ) from exc


def first_added(folder: Path) -> dict[str, tuple[str, str]]:
    """For each file directly in ``folder`` (by name): ``(date, "Name <email>")`` of the commit that first added it.

    Follows renames, so a memo moved to a new name keeps its first date. One ``git log`` pass for the
    whole folder (one call per file takes a minute at 10,000 files). Empty outside git.
    """
    try:
        out = str(
            git.Git(folder)(c="core.quotepath=off").log(
                "--diff-filter=AR",
                "--name-status",
                "-M",
                "-z",
                "--reverse",
                "--date=short",
                "--format=%x01%ad\t%an <%ae>",
                "--relative",
                "--",
                ".",
            )
        )
    except (git.GitCommandError, git.GitCommandNotFound):
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


def is_shallow(root: Path) -> bool:
    """True in a shallow clone, where history (and so first-commit dates) is cut short."""
    return str(_open(root).git.rev_parse("--is-shallow-repository")).strip() == "true"
