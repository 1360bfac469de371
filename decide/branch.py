"""The branch a check looks at: its base, where it forked from it, and which memo files it changes.

Finding these takes git calls one after another (where the repository is, the merge-base, the
diff). ``BranchScan`` makes them in a thread that needs nothing but git, so they run while the
rest of the check (the YAML parser, the schema) is still being imported. Git only; no memo is
read here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from decide import repo
from decide.config import Config
from decide.errors import CannotRun

DEFAULT_BASES = ("origin/main", "main")


@dataclass(frozen=True)
class Branch:
    """What git says about the branch: the base's name, the merge-base, the changed files, the other branches."""

    info: repo.RepoInfo
    base: str
    fork: str
    changes: repo.ChangedFiles
    other_branches: Callable[[], list[str]]


def scan_branch(config: Config, *, base: str | None = None, staged: bool = False) -> Branch:
    """The branch checked out in ``config.root``, compared with ``base`` (else the configured or default base)."""
    root = config.root
    info = repo.describe_repo(root)
    branches = repo.start_other_branches(root)  # git lists them while the change is read
    base_name, fork = fork_point(root, base or config.base, info)
    changes = repo.ChangedFiles(root, fork, config.decisions, staged=staged, prefix=info.prefix)
    return Branch(info, base_name, fork, changes, branches)


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


def fork_point(root: Path, wanted: str | None, info: repo.RepoInfo) -> tuple[str, str]:
    """The base's name and its merge-base with HEAD: what the branch started from."""
    for name in [wanted] if wanted else DEFAULT_BASES:
        try:
            fork = repo.merge_base(root, name, "HEAD")
        except repo.GitFailed:
            if repo.resolve_commit(root, name) is None:
                continue  # missing: try the next default, or say how to fetch it
            if repo.resolve_commit(root, "HEAD") is None:
                raise CannotRun("HEAD has no commit yet; commit first, then run decide check") from None
            raise
        if fork:
            return name, fork
        if info.shallow:
            raise CannotRun(
                f"this is a shallow clone, so HEAD and {name} share no history here; fetch all of it: "
                f"git fetch --unshallow origin ({repo.FETCH_DEPTH_HINT})"
            )
        raise CannotRun(
            f"HEAD and {name} have no common history; name the branch this one was made from with --base REF"
        )
    if wanted:
        raise CannotRun(
            f"base {wanted} not found; fetch it: {_fetch_command(wanted)} ({repo.FETCH_DEPTH_HINT}), "
            f"or name another with --base REF{_shallow_note(info)}"
        )
    raise CannotRun(
        "no base branch to compare with: neither origin/main nor main exists here; fetch it: "
        f"{_fetch_command('origin/main')} ({repo.FETCH_DEPTH_HINT}), or name one with --base REF{_shallow_note(info)}"
    )


def _shallow_note(info: repo.RepoInfo) -> str:
    return "; this is a shallow clone: fetch the full history with git fetch --unshallow origin" if info.shallow else ""


def _fetch_command(ref: str) -> str:
    """A fetch that makes ``ref``: in a single-branch clone, "git fetch origin main" fills only FETCH_HEAD."""
    remote, slash, branch = ref.partition("/")
    return f"git fetch {remote} {branch}:refs/remotes/{ref}" if slash and branch else f"git fetch origin {ref}:{ref}"
