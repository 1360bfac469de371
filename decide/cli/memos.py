"""Commands that write or move a memo: new, accept, reject, retire, review, supersede."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from decide.cli.params import (
    check_date,
    commit_option,
    complete_ids,
    draft_options,
    repo_config,
    today,
)
from decide.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from decide.config import Config


@click.command()
@click.argument("title", required=False)
@draft_options("your git identity")
@click.pass_context
def new(ctx: click.Context, /, title: str | None, **options: Any) -> None:
    """Write a new decision memo and print its path (the last line of output).

    Missing required fields are asked for (on stderr) when stdin is a terminal; then $EDITOR
    opens the memo when stdout is a terminal too. If the editor fails, the memo stays written.
    Without the editor, what 'decide accept' will need and the memo lacks is listed on stderr.

    \b
    Example:
      decide new "Adopt Postgres for billing" --dri "Ana Ruiz <ana@example.com>" \\
        --input "Platform team review" \\
        --escalate-when "cost exceeds $50k/yr" --escalate-to CTO
    """
    from decide.draft import create_memo, similar_titles

    config = repo_config(ctx)
    interactive = sys.stdin.isatty()
    title = title or _ask_title(interactive)
    draft = _draft(config, title, options, interactive=interactive)
    for memo_id, old_title, path in similar_titles(config, title):
        click.echo(f'Warning: decided before? see {memo_id} "{old_title}" ({path.relative_to(config.root)})', err=True)
    created = create_memo(config, draft)
    rel = created.path.relative_to(config.root).as_posix()
    if interactive and sys.stdout.isatty() and not options["no_edit"]:
        _edit(config, created.path)
    elif _left_empty(draft):
        click.echo(f"Note: {rel} has {_left_empty(draft)}: fill them in before 'decide accept'", err=True)
    click.echo(rel)


def _ask_title(interactive: bool) -> str:
    if not interactive:
        raise UsageError(
            "decide new needs a TITLE, and stdin is not a terminal, so it cannot ask for one; "
            'pass it: decide new "Adopt Postgres for billing" --dri "Ana Ruiz <ana@example.com>"'
        )
    return str(click.prompt("Title (what is decided, as a short sentence)", err=True)).strip()


def _left_empty(draft: Any) -> str:
    """What a proposal lacks that accepting it needs, with the option that would have given it ("" when nothing)."""
    if draft.status != "proposed":
        return ""
    missing = [
        *(["DRI TBD (--dri NAME)"] if draft.dri in ("", "TBD") else []),
        *(["no inputs (--input WHO)"] if not draft.inputs else []),
        *(["no escalation (--escalate-when TRIGGER --escalate-to WHO)"] if not draft.escalate_when else []),
    ]
    return ", ".join(missing)


def _draft(config: Config, title: str, options: dict[str, Any], *, interactive: bool) -> Any:
    status = options["status"]
    dri = options["dri"] or _default_dri(config, interactive)
    if not dri:
        if status != "proposed":
            raise UsageError(f"a {status} memo needs a DRI: pass --dri NAME")
        dri = "TBD"
    inputs, when, to = options["inputs"], options["escalate_when"], options["escalate_to"]
    if interactive and status == "decided":
        inputs = inputs or tuple(
            filter(None, [click.prompt("Who was consulted (inputs)", default="", show_default=False, err=True)])
        )
        when = when or click.prompt("Escalate when (trigger)", default="", show_default=False, err=True)
        to = to or click.prompt("Escalate to (one person or role)", default="", show_default=False, err=True)
    return _plain_draft(title, {**options, "dri": dri, "inputs": inputs, "escalate_when": when, "escalate_to": to})


def _plain_draft(title: str, options: dict[str, Any]) -> Any:
    """The draft the options describe; what they leave out stays empty."""
    from decide.draft import Draft

    status = options["status"]
    date = options["date"] or today()
    return Draft(
        title=title,
        dri=options["dri"] or "",
        date=date,
        status=status,
        decided_on=date if status == "decided" else "",
        inputs=tuple(options["inputs"]),
        escalate_when=options["escalate_when"] or "",
        escalate_to=options["escalate_to"] or "",
        review_by=options["review_by"] or "",
        tags=tuple(options["tags"]),
        supersedes=tuple(s.upper() for s in options["supersedes"]),
    )


def _default_dri(config: Config, interactive: bool) -> str:
    from decide.git import git_identity

    identity = git_identity(config.root) or ""
    if interactive:
        return str(click.prompt("DRI (the one person who decides)", default=identity or None, err=True))
    return identity


def _edit(config: Config, path: Path) -> None:
    """Open $EDITOR on a memo just written; when the editor fails, say so and go on, since the memo is written."""
    try:
        click.edit(filename=str(path))
    except click.ClickException as exc:
        rel = path.relative_to(config.root).as_posix()
        click.echo(f"Warning: {exc.format_message()}; the memo is written: edit {rel} yourself", err=True)
        return
    _warn_after_edit(config, path)


def _warn_after_edit(config: Config, path: Path) -> None:
    from decide.validate import validate

    for problem in validate(config, [path]).problems:
        click.echo(f"Warning: {problem}", err=True)


def _print_change(config: Config, change: Any) -> None:
    from decide.lifecycle import render_change

    click.echo(render_change(change, config.root), nl=False)


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@commit_option
@click.pass_context
def accept(ctx: click.Context, memo_id: str, commit: bool) -> None:
    """Mark a proposed decision as decided today (sets status and decided_on).

    Refused while the DRI is TBD or the memo lists no inputs or no escalation;
    the message says which. Only the changed lines of the file are touched.

    \b
    Example:
      decide accept D-7KQ2MX --commit
    """
    from decide.lifecycle import accept as run

    config = repo_config(ctx)
    _print_change(config, run(config, memo_id, today(), commit=commit))


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@click.option("--reason", required=True, help="Why the proposal is turned down (one sentence).")
@commit_option
@click.pass_context
def reject(ctx: click.Context, memo_id: str, reason: str, commit: bool) -> None:
    """Turn down a proposed decision (sets status, closed_on and reason).

    \b
    Example:
      decide reject D-7KQ2MX --reason "Too costly for this year's budget"
    """
    from decide.lifecycle import reject as run

    config = repo_config(ctx)
    _print_change(config, run(config, memo_id, reason, today(), commit=commit))


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@click.option("--reason", required=True, help="Why the decision no longer holds (one sentence).")
@commit_option
@click.pass_context
def retire(ctx: click.Context, memo_id: str, reason: str, commit: bool) -> None:
    """End a decision that no longer holds and has no successor (sets status, closed_on and reason).

    When a new decision replaces it, use 'decide supersede' instead.

    \b
    Example:
      decide retire D-7KQ2MX --reason "The billing service was shut down"
    """
    from decide.lifecycle import retire as run

    config = repo_config(ctx)
    _print_change(config, run(config, memo_id, reason, today(), commit=commit))


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@click.option("--next", "next_date", metavar="DATE", callback=check_date, help="The next review date.")
@click.option("--note", default="", help="What the review found (optional).")
@commit_option
@click.pass_context
def review(ctx: click.Context, memo_id: str, next_date: str | None, note: str, commit: bool) -> None:
    """Record that a decision was reviewed today and still holds, and move review_by.

    Adds a dated entry under reviews (with your git identity and the date it was due).
    Without --next, the next review keeps the memo's rhythm: as far from today as the last
    review date was from the previous review (or from decided_on); a year if it had none.

    \b
    Example:
      decide review D-7KQ2MX --next 2027-03-01 \\
        --note "Costs still under the threshold"
    """
    from decide.git import git_identity
    from decide.lifecycle import review as run
    from decide.memo import Review

    config = repo_config(ctx)
    by = git_identity(config.root) or ""
    change = run(config, memo_id, Review(date=today(), by=by, note=note), next_date, commit=commit)
    _print_change(config, change)


@click.command()
@click.argument("memo_id", metavar="ID", shell_complete=complete_ids)
@click.argument("title")
@draft_options("the DRI of the memo it replaces")
@commit_option
@click.pass_context
def supersede(ctx: click.Context, /, memo_id: str, title: str, commit: bool, **options: Any) -> None:
    """Write a new memo that replaces memo ID; the old one then shows as superseded.

    The new memo lists ID under supersedes and starts with the old memo's DRI, inputs,
    escalation and tags unless you give them. The old file is not edited.

    \b
    Example:
      decide supersede D-7KQ2MX "Move billing to managed Postgres" \\
        --review-by 2027-01-01
    """
    from decide.lifecycle import check_commit, commit_change
    from decide.lifecycle import supersede as run

    config = repo_config(ctx)
    editing = sys.stdin.isatty() and sys.stdout.isatty() and not options["no_edit"]
    if commit and editing:
        check_commit(config)
    change = run(config, memo_id, _plain_draft(title, options), commit=commit and not editing)
    if editing:
        _edit(config, change.path)
        if commit:
            change = commit_change(config, change)
    _print_change(config, change)
