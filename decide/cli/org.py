"""``decide org``: one decision log for the whole organisation, run in the aggregator repository that holds decide-org.toml."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from decide.cli.params import check_date, exit_with, format_option, today
from decide.cli.read import due_options, print_due
from decide.errors import EXIT_FINDINGS, CannotRun, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from decide.org.fetch import Outcome
    from decide.org.manifest import Manifest
    from decide.org.merge import OrgIndex
    from decide.problem import Problem


@click.group()
def org() -> None:
    """One decision log for the whole organisation: every repository's memos, one view.

    Run in the aggregator repository, whose decide-org.toml lists the repositories
    (one [[repo]] table each: name, url, optional branch and dir). 'decide org fetch'
    brings each log folder into .decide-org/ (ignored by git); the other commands read
    those copies. IDs are qualified by repository: payments:D-7KQ2MX.

    \b
    Example:
      decide org fetch
      decide org due --by-dri --format markdown --output-dir digests
    """


def _manifest(ctx: click.Context) -> Manifest:
    from pathlib import Path

    from decide.org.manifest import find_aggregator, load_manifest

    start = ctx.find_root().obj or Path.cwd()
    if not Path(start).is_dir():
        raise UsageError(f"--root {start}: no such directory")
    return load_manifest(find_aggregator(Path(start)))


def _index(ctx: click.Context) -> tuple[Manifest, OrgIndex]:
    """The merged log, with a warning for each repository left out and for links across repositories that fail."""
    from decide.org.merge import load_org

    manifest = _manifest(ctx)
    index = load_org(manifest)
    if all(repo.copy is None for repo in index.repos):
        raise CannotRun("no repository has been fetched yet; run 'decide org fetch' first")
    for note in index.notes:
        click.echo(f"Warning: {note}", err=True)
    if index.problems:
        click.echo(
            f"Warning: {len(index.problems)} link(s) across repositories do not hold; run 'decide org validate'",
            err=True,
        )
    return manifest, index


@org.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=8, show_default=True, help="Repositories fetched at once."
)
@click.option(
    "--timeout", type=click.FloatRange(1), default=600.0, show_default=True, help="Seconds one git command may take."
)
@format_option("text", "json")
@click.pass_context
def fetch(ctx: click.Context, names: tuple[str, ...], jobs: int, timeout: float, fmt: str) -> None:
    """Bring each repository's log folder (only it: a partial, sparse clone), validate it, keep it.

    Later runs fetch only what changed. A repository that cannot be reached, has no
    log, or whose log does not validate is reported by name and its last good copy is
    kept; the others go on. Then the links across repositories are checked. Exit 1
    when any repository failed or a link does not hold. Progress goes to stderr on a
    terminal.

    \b
    Example:
      decide org fetch
      decide org fetch payments billing --jobs 4
    """
    from decide.org.fetch import fetch_all
    from decide.org.merge import load_org
    from decide.org.store import fetch_lock
    from decide.org.views import render_fetch_json

    manifest = _manifest(ctx)
    progress = _Progress(len(names) or len(manifest.sources))
    with fetch_lock(manifest.root):
        outcomes = fetch_all(manifest, names=names, jobs=jobs, timeout=timeout, on_done=progress)
    progress.clear()
    links = load_org(manifest).problems
    if fmt == "json":
        click.echo(render_fetch_json(outcomes, links), nl=False)
    else:
        _print_outcomes(outcomes, links)
    failed = [o.name for o in outcomes if o.failed]
    fetched = sum(o.state == "fetched" for o in outcomes)
    summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} repositories up to date ({fetched} fetched)"
    click.echo(summary + (f"; {len(failed)} failed: {', '.join(failed)}" if failed else ""), err=True)
    exit_with(EXIT_FINDINGS if failed or links else 0)


def _print_outcomes(outcomes: tuple[Outcome, ...], links: tuple[Problem, ...]) -> None:
    for outcome in outcomes:
        click.echo(outcome.describe())
        for problem in outcome.problems:
            click.echo(f"  {outcome.name}/{problem}")
    if links:
        click.echo(f"{len(links)} link(s) across repositories do not hold:")
        for problem in links:
            click.echo(f"  {problem}")


class _Progress:
    """``fetching: 37 of 200 repositories (1 failed)`` rewritten in place on a terminal's stderr; nothing elsewhere."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.shown = sys.stderr.isatty()

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.failed
        if self.shown:
            failed = f" ({self.failed} failed)" if self.failed else ""
            click.echo(
                f"\rfetching: {self.done} of {self.total} repositories{failed}, last {outcome.name}\x1b[K",
                err=True,
                nl=False,
            )

    def clear(self) -> None:
        if self.shown and self.done:
            click.echo("\r\x1b[K", err=True, nl=False)


@org.command(name="list")
@click.option("--repo", "repo_name", metavar="NAME", help="Only memos of this repository.")
@click.option("--status", type=click.Choice(("proposed", "decided", "rejected", "retired", "superseded")))
@click.option("--dri", help="Only memos whose DRI contains this text.")
@click.option("--tag", help="Only memos with this tag.")
@format_option("text", "json", "markdown")
@click.pass_context
def list_(ctx: click.Context, /, fmt: str, **filters: str | None) -> None:
    """List every memo of every repository, newest first, with qualified IDs (payments:D-7KQ2MX).

    \b
    Example:
      decide org list --status proposed --repo payments
    """
    from decide.index import filter_entries
    from decide.org.views import render_list

    _manifest_unused, index = _index(ctx)
    entries = index.entries
    repo_name = filters.pop("repo_name")
    if repo_name:
        _known_repo(index, repo_name)
        entries = tuple(index.of_repo(repo_name))
    found = filter_entries(entries, **filters)
    click.echo(render_list(found, fmt), nl=False)  # type: ignore[arg-type]
    if not found and fmt == "text":
        click.echo("no decisions match", err=True)


def _known_repo(index: OrgIndex, name: str) -> None:
    from decide.org.manifest import MANIFEST
    from decide.suggest import did_you_mean

    if index.repo(name) is None:
        known = [r.name for r in index.repos]
        raise UsageError(f"no repository named {name!r} in {MANIFEST}{did_you_mean(name, known) or ''}")


@org.command()
@click.argument("memo_id", metavar="ID")
@format_option("text", "json", "markdown")
@click.pass_context
def show(ctx: click.Context, memo_id: str, fmt: str) -> None:
    """Show one memo of the organisation's log: payments:D-7KQ2MX, or an ID only one repository has.

    \b
    Example:
      decide org show payments:D-7KQ2MX
    """
    from decide.memo import load
    from decide.org.merge import find_org_entry
    from decide.org.views import render_show

    manifest, index = _index(ctx)
    entry = find_org_entry(index, memo_id)
    repo = index.repo(entry.repo)
    assert repo is not None and repo.copy is not None
    root = repo.copy.root(manifest.root)
    parsed = load(root / entry.path, root)
    click.echo(render_show(index, entry, parsed.memo.body if parsed.memo else "", fmt), nl=False)


@org.command()
@due_options
@click.pass_context
def due(ctx: click.Context, fail: bool, fmt: str, by_dri: bool, output_dir: Path | None) -> None:
    """What needs attention across the organisation, as 'decide due' says it for one repository.

    Each repository's proposals are judged by its own proposal_age_limit; open
    proposals per DRI are counted across all repositories (dri_load_limit in
    decide-org.toml, default 5). Each DRI's contact comes from their repository's
    roster. --by-dri makes one digest per DRI.

    \b
    Example:
      decide org due --fail
      decide org due --by-dri --format markdown --output-dir digests
    """
    from decide.org.views import due_for_json, org_due

    manifest, index = _index(ctx)
    report = org_due(index, today(), manifest.dri_load_limit)
    if fmt == "json" and not by_dri:
        import json

        click.echo(json.dumps(due_for_json(report), indent=2, ensure_ascii=False))
        exit_with(EXIT_FINDINGS if fail and report.count else 0)
    print_due(report, fmt=fmt, by_dri=by_dri, output_dir=output_dir, fail=fail)


@org.command()
@click.option("--since", metavar="DATE", callback=check_date, help="Only memos opened on or after DATE.")
@format_option("text", "json", "markdown")
@click.pass_context
def stats(ctx: click.Context, since: str | None, fmt: str) -> None:
    """Coordination figures across the organisation, and each repository's share of the memos.

    \b
    Example:
      decide org stats --since 2026-01-01 --format markdown
    """
    from decide.org.views import org_stats, render_org_stats

    _manifest_unused, index = _index(ctx)
    click.echo(render_org_stats(org_stats(index, since or "", today()), fmt), nl=False)


@org.command()
@format_option("text", "json")
@click.pass_context
def validate(ctx: click.Context, fmt: str) -> None:
    """Check the links across repositories: each supersedes target exists, nothing is superseded twice, no cycle.

    Each repository's own log was validated when it was fetched.

    \b
    Example:
      decide org validate
    """
    from decide.org.merge import load_org
    from decide.org.views import render_problems_json

    index = load_org(_manifest(ctx))
    if fmt == "json":
        click.echo(render_problems_json(index.problems), nl=False)
    else:
        for problem in index.problems:
            click.echo(str(problem))
    for note in index.notes:
        click.echo(f"Warning: {note}", err=True)
    memos = len(index.entries)
    repos = sum(r.copy is not None for r in index.repos)
    verdict = f"{len(index.problems)} link problem(s)" if index.problems else "every link holds"
    click.echo(f"{verdict} across {memos} memo(s) in {repos} repositories", err=True)
    exit_with(EXIT_FINDINGS if index.problems else 0)
