"""The branch a check looks at: its base, where it forked from it, and which memo files it changes.

Finding these takes git calls one after another (where the repository is, the merge-base, the
diff). ``BranchScan`` makes them in a thread that needs nothing but git, so they run while the
rest of the check (the YAML parser, the schema) is still being imported. As soon as the diff is
known, the same thread picks the IDs out of the changed files' text (no YAML) and starts the grep
for the memos that name them (``decide.check.nearby``), the longest git call of a check.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from decide import git
from decide.check.settings import Settings, settle
from decide.config import Config
from decide.errors import CannotRun
from decide.ids import id_from_filename, ids_in

DEFAULT_BASES = ("origin/main", "main")


@dataclass(frozen=True)
class Branch:
    """What git says about the branch: the base's name, the merge-base, the changed files, the other branches."""

    info: git.RepoInfo
    base: str
    fork: str
    staged: bool  # compared as the index is (for pre-commit), not as the working tree is
    changes: git.ChangedFiles
    other_branches: Callable[[], list[str]]
    settings: Settings
    early: EarlySearch | None = None

    @property
    def config(self) -> Config:
        """The configuration the check runs with: the base branch's (``decide.check.settings``)."""
        return self.settings.config


@dataclass(frozen=True)
class EarlySearch:
    """A grep of the merge-base for ``words``, started as soon as the index's changes were known."""

    words: frozenset[str]
    found: git.Pending[set[str]]


def scan_branch(config: Config, *, base: str | None = None, staged: bool = False) -> Branch:
    """The branch checked out in ``config.root``, compared with ``base`` (else the configured or default base)."""
    info = git.describe_repo(config.root)
    base_name, fork = fork_point(config.root, base or config.base, info)
    settings = settle(config, fork, info)
    config, info = settings.config, git.RepoInfo(info.git_dir, info.shallow, settings.prefix)
    changes = git.ChangedFiles(config.root, fork, config.decisions, staged=staged, prefix=info.prefix)
    early = None if staged else _search_early(config, fork, changes.in_index())
    branches = git.start_other_branches(config.root)  # git lists them while the change is read
    return Branch(info, base_name, fork, staged, changes, branches, settings, early)


def _search_early(config: Config, fork: str, changes: list[git.FileChange]) -> EarlySearch | None:
    """Grep the merge-base for every ID in the names and the working-tree text of ``changes``."""
    words = {found for c in changes for found in (id_from_filename(c.name), id_from_filename(c.old_name)) if found}
    for change in changes:
        if change.status != "D":
            words |= ids_in(_head_text(config.decisions_dir / change.name))
    if not words:
        return None
    return EarlySearch(frozenset(words), git.start_grep_names(config.root, fork, config.decisions, sorted(words)))


def _head_text(path: Path) -> bytes:
    """Up to 1 MiB of a memo file as it is now, if it is a plain file (a pipe would block); else empty.

    Only a first guess at the words to grep for: the check reads the memos properly later, says
    what is wrong with those it cannot read, and greps for any word this guess missed.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return b""
        with open(path, "rb") as handle:
            return handle.read(1 << 20)
    except OSError:
        return b""


class BranchScan:
    """``scan_branch`` in a thread; ``result()`` waits for it and raises what it raised."""

    def __init__(self, config: Config, *, base: str | None = None, staged: bool = False) -> None:
        self._branch: Branch | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._scan, args=(config, base, staged), daemon=True)
        self._thread.start()

    def _scan(self, config: Config, base: str | None, staged: bool) -> None:
        try:
            self._branch = scan_branch(config, base=base, staged=staged)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> Branch:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._branch is not None
        return self._branch


def fork_point(root: Path, wanted: str | None, info: git.RepoInfo) -> tuple[str, str]:
    """The base's name and its merge-base with HEAD: what the branch started from."""
    for name in [wanted] if wanted else DEFAULT_BASES:
        try:
            fork = git.merge_base(root, name, "HEAD")
        except git.GitFailed:
            if git.resolve_commit(root, name) is None:
                continue  # missing: try the next default, or say how to fetch it
            if git.resolve_commit(root, "HEAD") is None:
                raise CannotRun("HEAD has no commit yet; commit first, then run decide check") from None
            raise
        if fork:
            return name, fork
        if info.shallow:
            raise CannotRun(
                f"this is a shallow clone, so HEAD and {name} share no history here; fetch all of it: "
                f"git fetch --unshallow origin ({git.FETCH_DEPTH_HINT})"
            )
        raise CannotRun(
            f"HEAD and {name} have no common history; name the branch this one was made from with --base REF"
        )
    if wanted:
        raise CannotRun(
            f"base {wanted} not found; fetch it: {_fetch_command(wanted)} ({git.FETCH_DEPTH_HINT}), "
            f"or name another with --base REF{_shallow_note(info)}"
        )
    raise CannotRun(
        "no base branch to compare with: neither origin/main nor main exists here; fetch it: "
        f"{_fetch_command('origin/main')} ({git.FETCH_DEPTH_HINT}), or name one with --base REF{_shallow_note(info)}"
    )


def _shallow_note(info: git.RepoInfo) -> str:
    return "; this is a shallow clone: fetch the full history with git fetch --unshallow origin" if info.shallow else ""


def _fetch_command(ref: str) -> str:
    """A fetch that makes ``ref``: in a single-branch clone, "git fetch origin main" fills only FETCH_HEAD."""
    remote, slash, branch = ref.partition("/")
    return f"git fetch {remote} {branch}:refs/remotes/{ref}" if slash and branch else f"git fetch origin {ref}:{ref}"
