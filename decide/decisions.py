"""The decision log on disk: finding memo files and loading them."""

from __future__ import annotations

import gc
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from decide.config import Config, git_top
from decide.errors import CannotRun
from decide.files import read_regular
from decide.memo import Memo, load
from decide.problem import Problem


@dataclass(frozen=True)
class Log:
    """Every memo that could be read, and the problems of those that could not."""

    memos: tuple[Memo, ...]
    problems: tuple[Problem, ...]


def memo_paths(config: Config) -> list[Path]:
    """Every ``*.md`` directly in the decisions directory, sorted; directories and links included (validation refuses them)."""
    folder = config.decisions_dir
    return [folder / name for name in memo_names(config)]


def memo_names(config: Config) -> list[str]:
    """The file names of :func:`memo_paths`, without building 10,000 Path objects."""
    folder = config.decisions_dir
    if not folder.is_dir():
        raise missing_log(config)
    return md_names(folder)


# Where teams keep a log, looked at only to say where memos are when the configured folder is missing.
_USUAL_FOLDERS = ("decisions", "docs/decisions", "doc/decisions", "docs/adr", "doc/adr", "adr")


def missing_log(config: Config) -> CannotRun:
    """The error for a log folder that is not there, saying where it looked and what to do."""
    folder = config.decisions.rstrip("/")
    if git_top(config.root) is None:
        return CannotRun(
            f"{config.root} is not in a git repository and has no {folder}/ folder; cd into your repository "
            "(or pass -C PATH), or start one here with 'git init' and 'decide init'"
        )
    if config.source:
        return CannotRun(
            f"no {folder}/ folder in {config.root} (decisions is set in {config.source}); "
            f"create it with 'decide init', or correct the setting"
        )
    found = next((f for f in _USUAL_FOLDERS if f != folder and _holds_memos(config.root / f)), None)
    if found:
        return CannotRun(
            f"no {folder}/ folder in {config.root}, but {found}/ holds memos: run 'decide init --dir {found}' to use it"
        )
    return CannotRun(
        f"no {folder}/ folder in {config.root}; run 'decide init' to start the log, "
        "or set decisions under [tool.decide] in pyproject.toml (or in decide.toml) to the folder it is in"
    )


def _holds_memos(folder: Path) -> bool:
    return folder.is_dir() and any(name.startswith("D-") for name in md_names(folder))


def empty_log_note(config: Config) -> str:
    """What to say when the log holds no memo yet (a site or a list would show nothing)."""
    return f'{config.decisions.rstrip("/")}/ holds no memo yet; write the first with: decide new "TITLE"'


def md_names(folder: Path) -> list[str]:
    """The names of the ``*.md`` entries directly in ``folder``, sorted."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.name.endswith(".md"))


def mentioning(paths: Iterable[Path], words: Collection[str]) -> list[Path]:
    """The files among ``paths`` whose text holds one of ``words`` (IDs), such as a successor listing one under supersedes.

    A byte search instead of parsing thousands of memos: the rules across memos need only the
    memos that name an ID to judge a change to it.
    """
    needles = [word.encode() for word in words]
    return [path for path in paths if _holds(read_regular(path) or b"", needles)]


def _holds(raw: bytes, needles: list[bytes]) -> bool:
    return any(needle in raw for needle in needles)


def load_log(config: Config, paths: Iterable[Path] | None = None) -> Log:
    """Load the given memo files (default: all of them)."""
    memos: list[Memo] = []
    problems: list[Problem] = []
    # Loading builds many small, long-lived, acyclic objects; the cyclic collector would rescan
    # them again and again (about a tenth of the time at 10,000 memos) and would find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Joined as text: building 10,000 Path objects costs more than reading the files' metadata.
        folder = str(config.decisions_dir)
        files = (os.path.join(folder, name) for name in memo_names(config)) if paths is None else paths
        for path in files:
            parsed = load(path, config.root)
            if parsed.memo is not None:
                memos.append(parsed.memo)
            problems.extend(parsed.problems)
    finally:
        if collecting:
            gc.enable()
    return Log(tuple(memos), tuple(problems))
