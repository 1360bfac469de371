"""Every call to git, through one runner (``process``) and one error path (``GitFailed``, a ``CannotRun``).

``tree``: where the repository is, what refs name, which memo files a branch changes;
``objects``: blobs, trees and grep at a commit; ``refs``: other branches; ``history``: identity,
committing one file, first-added dates. Paths given to and returned by these verbs are relative
to the ``root`` they are given (git runs there, with ``--relative`` or ``./`` paths), so a log in
a subfolder of a repository works.
"""

from __future__ import annotations

from decide.git.history import check_can_commit, commit_file, first_added, git_identity
from decide.git.objects import (
    blob_shas,
    find_names,
    grep_names,
    read_blobs,
    start_blob_ids,
    start_blob_shas,
    start_find_names,
    start_grep_names,
    start_read_blobs,
)
from decide.git.process import FETCH_DEPTH_HINT, GitFailed, Pending, Ready, run
from decide.git.refs import other_branches, short_ref, start_other_branches
from decide.git.tree import (
    ChangedFiles,
    FileChange,
    RepoInfo,
    changed_files,
    combine_changes,
    describe_repo,
    index_blobs,
    merge_base,
    nested_files,
    resolve_commit,
    symbolic_ref,
)

__all__ = [
    "FETCH_DEPTH_HINT",
    "ChangedFiles",
    "FileChange",
    "GitFailed",
    "Pending",
    "Ready",
    "RepoInfo",
    "blob_shas",
    "changed_files",
    "check_can_commit",
    "combine_changes",
    "commit_file",
    "describe_repo",
    "find_names",
    "first_added",
    "git_identity",
    "grep_names",
    "index_blobs",
    "merge_base",
    "nested_files",
    "other_branches",
    "read_blobs",
    "resolve_commit",
    "run",
    "short_ref",
    "start_blob_ids",
    "start_blob_shas",
    "start_find_names",
    "start_grep_names",
    "start_other_branches",
    "start_read_blobs",
    "symbolic_ref",
]
