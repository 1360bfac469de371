"""Commands that read the log: validate, list, show, index, due, stats, owners."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from decide.cli.params import (
    STATUSES,
    PathArg,
    check_date,
    complete_ids,
    exit_with,
    format_option,
    limits,
    print_problems,
    repo_config,
    to_json,
    today,
    versioned,
)
from decide.errors import EXIT_FINDINGS, DecideError, UsageError
from decide.problem import one_line

if TYPE_CHECKING:
    from pathlib import Path

    from decide.config import Config
    from decide.due import DueReport
    from decide.index import IndexEntry
    from decide.owners import Routing

F = TypeVar("F", bound=Callable[..., Any])


@click.command()
@click.argument("paths", nargs=-1, type=PathArg())
@format_option("text", "json")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check memos against the schema and the rules; report every problem in every file.

    With no PATH, checks the whole log, including the rules across memos (unique IDs,
    supersedes targets exist, no cycles, nothing superseded twice). A PATH that is a folder
    stands for the memos in it; a file named twice is checked once.

    \b
    Example:
      decide validate
      decide validate decisions/D-7KQ2MX-adopt-postgres.md --format json
    """
    from decide.validate import validate as run

    config = repo_config(ctx)
    targets = [_existing(p) for p in paths] or None
    report = run(config, targets)
    print_problems(report.problems, fmt, files=report.files)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    files = len({p.path for p in report.problems})
    summary = (
        f"{len(report.problems)} problem(s) in {files} of {report.files} file(s)"
        if report.problems
        else f"{report.files} memo(s) valid"
    )
    click.echo(summary, err=True)
    exit_with(EXIT_FINDINGS if report.problems else 0)


def _existing(path: Path) -> Path:
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{path}: no such file")
    return path.absolute()


def _entries(ctx: click.Context) -> tuple[Config, list[IndexEntry]]:
    from decide.decisions import load_log
    from decide.index import build_index

    config = repo_config(ctx)
    log = load_log(config)
    if log.problems:
        click.echo(
            f"Warning: {len({p.path for p in log.problems})} file(s) could not be read and are left out; run 'decide validate'",
            err=True,
        )
    return config, list(build_index(log.memos))


@click.command(name="list")
@click.option("--status", type=click.Choice((*STATUSES, "superseded")), help="Only memos with this (derived) status.")
@click.option("--dri", help="Only memos whose DRI contains this text.")
@click.option("--tag", help="Only memos with this tag.")
@format_option("table", "json")
@click.pass_context
def list_(ctx: click.Context, status: str | None, dri: str | None, tag: str | None, fmt: str) -> None:
    """List decisions, newest first.

    \b
    Example:
      decide list --status proposed --dri Ana
    """
    from decide.index import filter_entries, render_table

    config, entries = _entries(ctx)
    found = filter_entries(entries, status=status, dri=dri, tag=tag)
    if fmt == "json":
        click.echo(to_json(versioned(decisions=[e.to_dict() for e in found])))
    elif found:
        click.echo(render_table(found), nl=False)
    elif not entries:
        from decide.decisions import empty_log_note

        click.echo(empty_log_note(config), err=True)
    else:
        click.echo("no decisions match", err=True)


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, memo_id: str, fmt: str) -> None:
    """Show one decision with its derived fields (e.g. "superseded by D-…").

    ID may be written in any case, or be an alias (the number of an imported ADR).

    \b
    Example:
      decide show D-7KQ2MX
    """
    from decide.index import find_entry, render_entry
    from decide.memo import load

    config, entries = _entries(ctx)
    entry = find_entry(entries, memo_id)
    if entry is None:
        raise UsageError(_unknown_id(memo_id, entries))
    if fmt == "json":
        click.echo(to_json(versioned(decision=entry.to_dict())))
        return
    parsed = load(config.root / entry.path, config.root)
    click.echo(render_entry(entry, parsed.memo.body if parsed.memo else ""), nl=False)


def _unknown_id(memo_id: str, entries: Sequence[IndexEntry]) -> str:
    from decide.suggest import close_matches

    close = close_matches(memo_id, [e.id for e in entries])
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'decide list' shows every ID"
    return f"no memo with ID {memo_id}{hint}"


@click.command()
@format_option("json", "markdown")
@click.option(
    "--output",
    "-o",
    type=PathArg(dir_okay=False),
    help="Write to FILE (atomically) instead of stdout.",
)
@click.pass_context
def index(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Print the index of all decisions with derived fields (generated; never commit it).

    \b
    Example:
      decide index > decisions.json
      decide index --format markdown --output INDEX.md
    """
    from decide.files import replace
    from decide.index import render_json, render_markdown

    _config_unused, entries = _entries(ctx)
    text = render_json(entries) if fmt == "json" else render_markdown(entries)
    if output is None:
        click.echo(text, nl=False)
    else:
        replace(output.absolute(), text)
        click.echo(f"wrote {len(entries)} decision(s) to {output}", err=True)


def due_options(func: F) -> F:
    """The options ``decide due`` and ``decide org due`` share."""
    options = [
        click.option("--fail", is_flag=True, help="Exit 1 when anything needs attention (for a scheduled CI job)."),
        format_option("text", "json", "markdown"),
        click.option("--by-dri", is_flag=True, help="One digest per DRI, with their handle and email."),
        click.option(
            "--output-dir",
            type=PathArg(file_okay=False),
            help="With --by-dri: write one file per DRI and an index.tsv into DIR instead of stdout.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def print_due(report: DueReport, *, fmt: str, by_dri: bool, output_dir: Path | None, fail: bool) -> None:
    """Print (or write, one file per DRI) what is due, then exit 1 with --fail when anything is."""
    from decide.due import render_due_json, render_due_text

    if output_dir is not None and not by_dri:
        raise UsageError("--output-dir writes one digest per DRI; add --by-dri")
    if by_dri:
        _print_digests(report, fmt, output_dir)
    elif fmt == "markdown":
        from decide.digest import render_due_markdown

        click.echo(render_due_markdown(report), nl=False)
    else:
        click.echo(render_due_json(report) if fmt == "json" else render_due_text(report), nl=False)
    exit_with(EXIT_FINDINGS if fail and report.count else 0)


def _print_digests(report: DueReport, fmt: str, output_dir: Path | None) -> None:
    from decide.digest import render_digests, split_by_dri, write_digests

    digests = split_by_dri(report)
    if output_dir is None:
        click.echo(render_digests(digests, fmt, report.today), nl=False)
        return
    written = write_digests(digests, output_dir.absolute(), fmt)
    click.echo(f"wrote {len(written)} digest(s) and {output_dir / 'index.tsv'}", err=True)


@click.command()
@due_options
@click.pass_context
def due(ctx: click.Context, fail: bool, fmt: str, by_dri: bool, output_dir: Path | None) -> None:
    """List what needs attention today, grouped, each line naming the memo, its DRI and how late it is.

    \b
    Groups: reviews past review_by; proposals open longer than
    proposal_age_limit days (default 14); decided memos without an escalation
    path (imported ones included); imported memos whose needs_human list
    still has items; DRIs with more open proposals than dri_load_limit
    (default 5).

    Each DRI is named with their handle and email from the roster
    (decisions/people.yml), else as the memo writes them. --by-dri makes one
    digest per DRI; with --output-dir each goes to its own file, listed in
    index.tsv, for the scheduled workflow that posts them as issues.

    \b
    Example:
      decide due --fail
      decide due --by-dri --format markdown --output-dir digests
    """
    from decide.due import find_due, roster_contact
    from decide.roster import load_roster

    config, entries = _entries(ctx)
    contact = roster_contact(load_roster(config))
    report = find_due(entries, today(), **limits(config), contact=contact)
    print_due(report, fmt=fmt, by_dri=by_dri, output_dir=output_dir, fail=fail)


@click.command()
@click.option("--since", metavar="DATE", callback=check_date, help="Only memos opened on or after DATE.")
@format_option("text", "json")
@click.pass_context
def stats(ctx: click.Context, since: str | None, fmt: str) -> None:
    """Show coordination figures: decision latency, load per DRI, open proposals by age, reviews, supersession.

    Dates come from the front-matter; memos whose file first appeared in git more than a day
    after their date (or before it) are listed, so you can tell when the record was backfilled.

    \b
    Example:
      decide stats --since 2026-01-01 --format json
    """
    from decide.stats import gather_stats, render_stats_json, render_stats_text

    figures = gather_stats(repo_config(ctx), since or "", today())
    click.echo(render_stats_json(figures) if fmt == "json" else render_stats_text(figures), nl=False)


@click.command()
@click.option(
    "--check",
    "check_file",
    metavar="FILE",
    type=PathArg(dir_okay=False, exists=True),
    help="Exit 1 when FILE's lines for memos are out of date (with a diff) or a memo cannot be routed.",
)
@click.option(
    "--write",
    "write_file",
    metavar="FILE",
    type=PathArg(dir_okay=False),
    help="Keep FILE's block of lines for memos current in place (creating FILE and its folder).",
)
@click.pass_context
def owners(ctx: click.Context, check_file: Path | None, write_file: Path | None) -> None:
    """Print CODEOWNERS lines that route each memo to its DRI, so the DRI must approve changes to it.

    Each line is a memo's path and its DRI's @handle or email ("Name <email>" or a bare email);
    a DRI on the roster (decisions/people.yml) gets the handle or email listed there. A team,
    a handle GitHub would reject and a DRI with neither are listed on stderr as unroutable.
    --write keeps one marked block at the end of FILE current and leaves the rest alone; run it
    on the main branch (a scheduled or push job), never in pull requests, so that no two pull
    requests touch the file. --check fails when the block is stale or a memo is unroutable.

    \b
    Example:
      decide owners --write .github/CODEOWNERS
      decide owners --check .github/CODEOWNERS
    """
    from decide.owners import stale_diff, write_owners

    routing, folder = _routing(ctx)
    if write_file is not None:
        changed = write_owners(write_file.absolute(), routing.lines, folder)
        state = "updated" if changed else "already up to date"
        click.echo(f"{write_file}: {state}; {len(routing.lines)} memo(s) routed to their DRI")
    if check_file is None:
        if write_file is None:
            click.echo("\n".join(routing.lines), nl=bool(routing.lines))
        return
    diff = stale_diff(_read_text(check_file), routing.lines, folder, str(check_file))
    if diff:
        click.echo(diff, nl=False)
        click.echo(f"{check_file} is out of date; regenerate it with 'decide owners --write {check_file}'", err=True)
    if routing.unroutable:
        click.echo(
            f"{len(routing.unroutable)} memo(s) cannot be routed to their DRI; fix their dri (see above)", err=True
        )
    if diff or routing.unroutable:
        exit_with(EXIT_FINDINGS)
    click.echo(f"ok: {check_file} routes {len(routing.lines)} memo(s) to their DRI")


def _routing(ctx: click.Context) -> tuple[Routing, str]:
    """The routing of every memo (warnings on stderr), and the log's folder as CODEOWNERS names it."""
    from decide.decisions import load_log
    from decide.owners import roster_owner, route
    from decide.roster import load_roster

    config = repo_config(ctx)
    log = load_log(config)
    roster = load_roster(config)
    if roster is not None and roster.problems:
        for problem in roster.problems:
            click.echo(f"Warning: {problem}", err=True)
        click.echo(
            f"Warning: {roster.path} is left out until it is fixed; only a DRI's own @handle or email routes", err=True
        )
    prefix = _repo_prefix(config.root)
    routing = route(log.memos, roster_owner(roster), prefix)
    for unroutable in routing.unroutable:
        click.echo(one_line(f'unroutable: {unroutable.path}: DRI "{unroutable.dri}" {unroutable.why}'), err=True)
    if log.problems:
        click.echo(
            f"Warning: {len({p.path for p in log.problems})} file(s) could not be read; run 'decide validate'", err=True
        )
    return routing, f"{prefix}{config.decisions}"


def _repo_prefix(root: Path) -> str:
    """Where ``root`` is inside its git repository ("" at the top, or outside git)."""
    from decide import git

    try:
        return git.describe_repo(root).prefix
    except git.GitFailed:
        return ""
    except DecideError:
        return ""


def _read_text(path: Path) -> str:
    from decide.errors import CannotRun

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotRun(f"cannot read {path}: {exc}") from exc
