"""Bringing one folder of another repository: a partial, sparse clone, and later fetches of what changed.

The clone has no file contents (``--filter=blob:none``) until a checkout needs them, and the
checkout is sparse: only the patterns given (a log folder and its configuration) are written,
so only their blobs are fetched. A server must allow filters (GitHub and GitLab do; a local
repository needs ``uploadpack.allowFilter``), or git fetches every blob.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from decide.git.process import GitFailed, run, run_remote

_SHA = re.compile(r"^[0-9a-f]{40,64}$")
TIMEOUT = 600.0


def clone_sparse(url: str, dest: Path, branch: str = "", *, timeout: float = TIMEOUT) -> None:
    """A partial (no blobs), sparse, not-checked-out clone of ``branch`` (default: the remote's own) into ``dest``."""
    args = ["clone", "--quiet", "--filter=blob:none", "--sparse", "--no-checkout", "--single-branch", "--no-tags"]
    args += ["--branch", branch] if branch else []
    run_remote(dest.parent, *args, "--", url, str(dest), timeout=timeout)


def fetch_tip(root: Path, branch: str = "", *, timeout: float = TIMEOUT) -> str:
    """Fetch ``branch`` (default: the remote's HEAD) from origin, only its new commits and trees; the commit it is at."""
    ref = f"refs/heads/{branch}" if branch else "HEAD"
    run_remote(root, "fetch", "--quiet", "--no-tags", "--filter=blob:none", "origin", ref, timeout=timeout)
    return _commit(root, "FETCH_HEAD")


def head_commit(root: Path) -> str:
    """The commit HEAD is at."""
    return _commit(root, "HEAD")


def _commit(root: Path, ref: str) -> str:
    sha = run(root, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    if not _SHA.match(sha):
        raise GitFailed(f"git rev-parse gave {sha!r} for {ref}, not a commit")
    return sha


def entries_at(root: Path, commit: str, paths: Sequence[str]) -> str:
    """What ``paths`` are at ``commit`` (mode, type, object ID of each one there), as one text: equal texts, equal contents.

    Reads trees only, so a partial clone answers without fetching anything.
    """
    out = run(root, "ls-tree", "-z", "--full-tree", commit, "--", *paths)
    return out.decode("utf-8", "surrogateescape")


def set_sparse(root: Path, patterns: Sequence[str], *, timeout: float = TIMEOUT) -> None:
    """Write only the paths matching ``patterns`` (gitignore style, from the top: ``/docs/decisions/``) in the working tree.

    Patterns the checkout now includes are fetched in one go.
    """
    run_remote(root, "sparse-checkout", "set", "--no-cone", *patterns, timeout=timeout)


def checkout_commit(root: Path, commit: str, *, timeout: float = TIMEOUT) -> None:
    """Put the working tree at ``commit`` (detached), fetching the blobs the sparse patterns need in one go."""
    if not _SHA.match(commit):
        raise GitFailed(f"{commit!r} is not a commit ID")
    run_remote(root, "checkout", "--quiet", "--force", "--detach", commit, timeout=timeout)


def origin_url(root: Path) -> str:
    """The URL the clone fetches from ("" when it has none)."""
    return run(root, "config", "--get", "remote.origin.url", ok=(0, 1)).decode("utf-8", "surrogateescape").strip()


def set_origin_url(root: Path, url: str) -> None:
    """Fetch from ``url`` from now on (the manifest moved the repository)."""
    run(root, "config", "remote.origin.url", url)


def sparse_pattern(path: str, *, folder: bool) -> str:
    """A sparse-checkout pattern matching exactly ``path`` from the top of the repository (wildcards escaped)."""
    escaped = re.sub(r"([\\*?\[\]!# ])", r"\\\1", path)
    return f"/{escaped}/" if folder else f"/{escaped}"
