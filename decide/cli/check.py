"""The pull-request gate's command: decide check."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from decide.cli.params import (
    check_ref,
    exit_with,
    format_option,
    repo_config,
)
from decide.errors import EXIT_FINDINGS, DecideError

if TYPE_CHECKING:
    pass


@click.command()
@click.option(
    "--base",
    metavar="REF",
    callback=check_ref,
    help=(
        "Branch to compare with.  [default: the pull request's target in CI ($GITHUB_BASE_REF, "
        "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME), else [tool.decide] base, else origin/HEAD, main or master]"
    ),
)
@click.option("--staged", is_flag=True, help="Check the index (the next commit) instead of the working tree.")
@format_option("text", "json", "github", "gitlab", "junit")
@click.pass_context
def check(ctx: click.Context, base: str | None, staged: bool, fmt: str) -> None:
    """Check what this branch changes in the log against its base branch: the pull-request gate.

    Compares with the merge-base of HEAD and REF. Changed memos are validated in full and the
    rules across memos re-checked on the whole log; so is the roster, and when a change to it
    takes someone off, every memo's DRI and escalation. Then: a new memo's ID is not taken on the
    base or any other branch; decided, rejected and retired memos keep their decision (only
    review_by, tags, reviews and "status: retired" may change); statuses move proposed ->
    decided | rejected and decided -> retired; memos are never deleted; a rename keeps the ID.

    --format github writes workflow annotations, and a job summary when $GITHUB_STEP_SUMMARY
    is set; --format gitlab a GitLab Code Quality report; --format junit JUnit XML. Needs the
    base branch's history: in GitHub Actions, check out with fetch-depth: 0; in GitLab CI, set
    GIT_DEPTH: 0. In CI the default base is the pull request's target branch.

    \b
    Example:
      decide check --base origin/main
      decide check --staged            # as a pre-commit hook
      decide check --format github     # in a pull-request workflow
    """
    from decide.check.branch import BranchScan

    try:
        config = repo_config(ctx)
        ci_base = os.environ.get("GITHUB_BASE_REF") or os.environ.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        scan = BranchScan(config, base=base, staged=staged, ci_base=ci_base)  # git works while checks are imported
        from decide.check import check_branch

        result = check_branch(config, scan.result())
    except DecideError as exc:
        if fmt != "github":
            raise
        from decide.check.output import error_annotation, error_line

        click.echo(error_annotation(str(exc)), nl=False)
        click.echo(error_line(str(exc)), nl=False, err=True)
        exit_with(exc.exit_code)
    from decide.check.output import render, render_summary

    click.echo(render(result, fmt), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render_summary(result))
        except OSError as exc:
            click.echo(f"Warning: cannot write the job summary to {summary}: {exc.strerror or exc}", err=True)
    exit_with(EXIT_FINDINGS if result.problems else 0)
