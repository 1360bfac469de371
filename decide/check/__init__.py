"""The pull-request gate, in the order it runs.

``branch`` (the base, the merge-base and the changed files, found by git while the rest is still
being imported) -> ``changes`` (the changed memos at both ends, and ``nearby``: the unchanged
memos that name them) -> ``rules`` (pure verdicts) -> ``output`` (text, JSON, annotations, summary).

Importing this package is cheap on purpose: ``decide check`` starts git through
``decide.check.branch`` before the YAML parser and the schema are imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decide.check.branch import Branch
    from decide.check.rules import CheckResult
    from decide.config import Config


def run_check(
    config: Config, *, base: str | None = None, staged: bool = False, ci_base: str | None = None
) -> CheckResult:
    """Check the working tree (or the index, if ``staged``) against the merge-base with its base branch."""
    from decide.check.branch import scan_branch

    return check_branch(config, scan_branch(config, base=base, staged=staged, ci_base=ci_base))


def check_branch(config: Config, branch: Branch) -> CheckResult:
    """Check the change ``branch`` makes (found by ``decide.check.branch``, perhaps while the rules were imported).

    It is judged with the base branch's configuration (``branch.config``, which ``config`` was the
    starting point for), and every path in the result is relative to the repository's top.
    """
    from decide.check.changes import read_changeset
    from decide.check.rules import check_change

    data = read_changeset(branch.config, branch)
    result = check_change(data.base_files, data.head_files, data.context)
    notes = (*branch.notes, *branch.settings.notes)
    return result.with_settings(branch.settings.problems, notes).relocated(branch.settings.prefix)
