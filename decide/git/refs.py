"""Branches: the other branches a new memo's ID must be free on, and short names for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from decide.git.process import Pending


def other_branches(root: Path) -> list[str]:
    """Local and remote-tracking branches (full ref names) whose tip is not already part of HEAD's history.

    HEAD's own upstream and the remote-tracking branch it pushes to are left out: they are this
    branch as it was pushed, and after an amend or a rebase they hold its memos as they were then.
    """
    return start_other_branches(root)()


def start_other_branches(root: Path, *, born: bool = True) -> Callable[[], list[str]]:
    """``other_branches``, with git working in the background; call the result for the answer.

    Also the heads of other pull requests fetched into ``refs/pull/`` (GitHub's ``refs/pull/N/head``,
    which a fork's branch is only visible as). ``born`` is False before the first commit: every branch is another.
    """
    fmt = "--format=%(refname)%00%(symref)"
    merged = ["--no-merged", "HEAD"] if born else []
    others = Pending(root, ["for-each-ref", fmt, *merged, "refs/heads", "refs/remotes", "refs/pull"], _rows)
    own = Pending(root, ["for-each-ref", "--points-at=HEAD", _UPSTREAMS, "refs/heads"], _own_upstreams)
    return lambda: [name for name, symref in others.result() if not symref and name not in own.result()]


_UPSTREAMS = "--format=%(HEAD)%00%(upstream)%00%(push)"


def _own_upstreams(out: bytes) -> set[str]:
    """The full names of ``@{upstream}`` and ``@{push}`` of the branch HEAD is on (none on a detached HEAD)."""
    for current, upstream, push in _rows(out):
        if current == "*":
            return {upstream, push} - {""}
    return set()


def _rows(out: bytes) -> list[list[str]]:
    """``for-each-ref`` output whose fields are separated by %00, one row per line."""
    return [line.split("\0") for line in out.decode("utf-8", "surrogateescape").splitlines()]


def short_ref(name: str) -> str:
    """``refs/remotes/origin/x`` -> ``origin/x``, ``refs/heads/x`` -> ``x``."""
    return name.removeprefix("refs/heads/").removeprefix("refs/remotes/")
