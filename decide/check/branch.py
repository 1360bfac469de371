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

DEFAULT_BASES = ("origin/main", "main", "origin/master", "master")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # what a first commit is compared with
SKIP_HOOK = (
    "skip the decide-check hook there (in .pre-commit-config.yaml: ci: skip: [decide-check]; elsewhere: "
    "SKIP=decide-check) and let the pull-request workflow run decide check on the full history"
)


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
    notes: tuple[str, ...] = ()  # how the base was found, when a reviewer should know

    @property
    def config(self) -> Config:
        """The configuration the check runs with: the base branch's (``decide.check.settings``)."""
        return self.settings.config


@dataclass(frozen=True)
class EarlySearch:
    """A grep of the merge-base for ``words``, started as soon as the index's changes were known."""

    words: frozenset[str]
    found: git.Pending[set[str]]


def scan_branch(config: Config, *, base: str | None = None, staged: bool = False, ci_base: str | None = None) -> Branch:
    """The branch checked out in ``config.root``, compared with its base.

    The base is ``base``, else the pull request's target in CI (``ci_base``), else the configured
    one, else the default branch found here (``origin/HEAD``, then main or master). For the next
    commit (``staged``) a commit that touches no memo needs no base, and without one the index is
    judged against HEAD (on a first commit, against nothing).
    """
    info = git.describe_repo(config.root)
    wanted = base or (f"origin/{ci_base}" if ci_base else None) or config.base
    quiet = staged and not base and _next_commit_leaves_log_alone(config)
    base_name, fork, notes = ("HEAD", "HEAD", ()) if quiet else fork_point(config.root, wanted, info, staged=staged)
    settings = settle(config, fork, info)
    config, info = settings.config, git.RepoInfo(info.git_dir, info.shallow, settings.prefix)
    changes = git.ChangedFiles(config.root, fork, config.decisions, staged=staged, prefix=info.prefix)
    early = None if staged else _search_early(config, fork, changes.in_index())
    branches = git.start_other_branches(config.root, born=fork != EMPTY_TREE)  # listed while the change is read
    return Branch(info, base_name, fork, staged, changes, branches, settings, early, notes)


def _next_commit_leaves_log_alone(config: Config) -> bool:
    """Whether the index changes nothing of the log or its configuration since HEAD, and the log is there at HEAD.

    Such a commit needs no base branch: the pre-commit hook passes it at once, in any repository.
    """
    root = config.root
    if git.resolve_commit(root, "HEAD") is None or git.read_blobs(root, [f"HEAD:./{config.decisions}"])[0] is None:
        return False
    paths = [f"{config.decisions}/", config.roster, config.schema, "decide.toml", "pyproject.toml"]
    out = git.run(root, "--literal-pathspecs", "diff", "--cached", "--name-only", "-z", "HEAD", "--", *paths)
    return not out


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

    def __init__(
        self, config: Config, *, base: str | None = None, staged: bool = False, ci_base: str | None = None
    ) -> None:
        self._branch: Branch | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._scan, args=(config, base, staged, ci_base), daemon=True)
        self._thread.start()

    def _scan(self, config: Config, base: str | None, staged: bool, ci_base: str | None) -> None:
        try:
            self._branch = scan_branch(config, base=base, staged=staged, ci_base=ci_base)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> Branch:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._branch is not None
        return self._branch


def fork_point(
    root: Path, wanted: str | None, info: git.RepoInfo, *, staged: bool = False
) -> tuple[str, str, tuple[str, ...]]:
    """The base's name, its merge-base with HEAD (what the branch started from), and notes on how it was found."""
    head = git.resolve_commit(root, "HEAD") if staged else ""
    if staged and head is None:
        return "nothing (first commit)", EMPTY_TREE, ("this is the repository's first commit: every memo in it is new",)
    names = [wanted] if wanted else default_bases(root)
    for name in names:
        try:
            fork = git.merge_base(root, name, "HEAD")
        except git.GitFailed:
            if git.resolve_commit(root, name) is None:
                continue  # missing: try the next default, or say how to fetch it
            if git.resolve_commit(root, "HEAD") is None:
                raise CannotRun("HEAD has no commit yet; commit first, then run decide check") from None
            raise
        if fork:
            return name, fork, ()
        raise _unrelated(name, info, staged=staged)
    if staged and not wanted and head:
        looked = ", ".join(names)
        note = (
            f"no base branch here (looked for {looked}): the next commit was judged against HEAD alone; "
            "set base under [tool.decide] to compare with the branch pull requests go to"
        )
        return "HEAD", head, (note,)
    raise _missing(wanted, names, info)


def default_bases(root: Path) -> list[str]:
    """Where pull requests go when nobody says: the remote's default branch (``origin/HEAD``), then main, then master."""
    remote_head = git.symbolic_ref(root, "refs/remotes/origin/HEAD")
    found = [git.short_ref(remote_head)] if remote_head else []
    return list(dict.fromkeys([*found, *DEFAULT_BASES]))


def _unrelated(name: str, info: git.RepoInfo, *, staged: bool) -> CannotRun:
    if info.shallow and staged:
        return CannotRun(
            f"this is a shallow clone (as pre-commit.ci makes), so HEAD and {name} share no history here and "
            f"the next commit cannot be judged against it; {SKIP_HOOK}"
        )
    if info.shallow:
        return CannotRun(
            f"this is a shallow clone, so HEAD and {name} share no history here; fetch all of it: "
            f"git fetch --unshallow origin ({git.FETCH_DEPTH_HINT})"
        )
    return CannotRun(f"HEAD and {name} have no common history; name the branch this one was made from with --base REF")


def _missing(wanted: str | None, names: list[str], info: git.RepoInfo) -> CannotRun:
    if wanted:
        return CannotRun(
            f"base {wanted} not found; fetch it: {_fetch_command(wanted)} ({git.FETCH_DEPTH_HINT}), "
            f"or name another with --base REF{_shallow_note(info)}"
        )
    return CannotRun(
        f"no base branch to compare with: none of {', '.join(names)} exists here; fetch it: "
        f"{_fetch_command(names[0])} ({git.FETCH_DEPTH_HINT}), or name one with --base REF{_shallow_note(info)}"
    )


def _shallow_note(info: git.RepoInfo) -> str:
    return "; this is a shallow clone: fetch the full history with git fetch --unshallow origin" if info.shallow else ""


def _fetch_command(ref: str) -> str:
    """A fetch that makes ``ref``: in a single-branch clone, "git fetch origin main" fills only FETCH_HEAD."""
    remote, slash, branch = ref.partition("/")
    return f"git fetch {remote} {branch}:refs/remotes/{ref}" if slash and branch else f"git fetch origin {ref}:{ref}"
