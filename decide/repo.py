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


def first_added_dates(root: Path, folder: Path) -> dict[Path, str]:
    """The day (author date, YYYY-MM-DD) each file under ``folder`` first appeared in HEAD's history, following renames.

    One ``git log`` pass over the whole history (one call per file would take a minute at 10,000 memos).
    """
    repo = _open(root)
    top = Path(repo.working_tree_dir or root)
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        raise CannotRun("this is a shallow clone; fetch the whole history (GitHub Actions: fetch-depth: 0)")
    try:
        out = repo.git.log(
            "--diff-filter=AR", "--name-status", "-M", "-z", "--reverse", "--format=%x01%as", "--", str(folder)
        )
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc.stderr):
            return {}
        raise CannotRun(f"git log failed: {str(exc.stderr).strip()}") from exc
    return {top / name: day for name, day in _parse_first_added(out).items()}


def _parse_first_added(out: str) -> dict[str, str]:
    first: dict[str, str] = {}
    day = ""
    tokens = iter(out.split("\0"))
    for raw in tokens:
        token = raw.strip("\n")
        if token.startswith("\x01"):
            day = token[1:]
        elif token.startswith("A"):
            first.setdefault(next(tokens), day)
        elif token.startswith("R"):
            old, new = next(tokens), next(tokens)
            first.setdefault(new, first.get(old, day))
    return first
