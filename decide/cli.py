"""The command line: parse options, call one core function, print, choose the exit code. The only module importing click."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from decide import __version__
from decide.errors import EXIT_FINDINGS, DecideError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from decide.config import Config
    from decide.index import IndexEntry
    from decide.problem import Problem
    from decide.validate import Report

STATUSES = ("proposed", "decided", "rejected", "retired")
F = TypeVar("F", bound=Callable[..., Any])


if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]  # generic in recent click; plain before 8.4, so not subscripted at run time
else:
    _ParamType = click.ParamType


class _PathArg(_ParamType):
    """A path argument giving a ``pathlib.Path``; the ``click.Path`` checks are built when a value arrives.

    Building ``click.Path``s and importing pathlib when the CLI starts costs about 15 ms of every run.
    """

    def __init__(self, **checks: bool) -> None:
        self._checks = checks
        self.name = (
            "file" if checks.get("dir_okay") is False else "directory" if checks.get("file_okay") is False else "path"
        )

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        checked = click.Path(
            exists=self._checks.get("exists", False),
            file_okay=self._checks.get("file_okay", True),
            dir_okay=self._checks.get("dir_okay", True),
        ).convert(value, param, ctx)
        return Path(os.fsdecode(checked))


class _Group(click.Group):
    """Maps every DecideError to ``Error: message`` on stderr and its exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DecideError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


MAX_WIDTH = 100
HELP_WIDTH = 80  # the site's command-line reference


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_WIDTH})
@click.option(
    "-C",
    "--root",
    type=_PathArg(file_okay=False),
    help="Run in this repository instead of the current one.",
)
@click.version_option(__version__, prog_name="decide")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Decision records with one DRI each, kept in git.

    Each decision is a Markdown memo in decisions/ naming the one person who decides (the DRI),
    the inputs consulted, when and to whom the call escalates, and when it is reviewed.

    \b
    Exit codes: 0 ok, 1 findings (invalid memos, refused change), 2 usage,
    3 cannot run.
    """
    ctx.obj = root


def _config(ctx: click.Context) -> Config:
    from pathlib import Path

    from decide.config import find_root, load_config

    start = ctx.find_root().obj or Path.cwd()
    if not Path(start).is_dir():
        raise UsageError(f"--root {start}: no such directory")
    return load_config(find_root(Path(start)))


def _check_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from decide.schema import is_date

    if value is not None and not is_date(value):
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD (e.g. 2026-02-28)", param=param)
    return value


def _check_ref(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value.startswith("-"):
        raise click.BadParameter(
            f"{value!r} starts with '-', so it is not a branch; name one, e.g. origin/main", param=param
        )
    return value


def _format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


def _print_problems(problems: Sequence[Problem], fmt: str) -> None:
    if fmt == "json":
        click.echo(_json([p.to_dict() for p in problems]))
    else:
        for problem in problems:
            click.echo(str(problem))


def _limits(config: Config) -> dict[str, int]:
    return {"proposal_age_limit": config.proposal_age_limit, "dri_load_limit": config.dri_load_limit}


def _json(data: object) -> str:
    import json  # ~10 ms of start-up, so only when asked for

    return json.dumps(data, indent=2, ensure_ascii=False)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


def _draft_options(dri_default: str) -> Callable[[F], F]:
    """The options of a new memo, shared by ``new`` and ``supersede``."""
    options = [
        click.option(
            "--dri", help=f"The one person who decides: a name, 'Name <email>' or '@handle'. Default: {dri_default}."
        ),
        click.option("--input", "inputs", multiple=True, metavar="WHO", help="Who or what was consulted (repeatable)."),
        click.option("--escalate-when", metavar="TRIGGER", help="The condition under which the call goes up."),
        click.option("--escalate-to", metavar="WHO", help="The one person or role it goes up to."),
        click.option(
            "--review-by", metavar="DATE", callback=_check_date, help="Date by which the decision is reviewed."
        ),
        click.option("--tag", "tags", multiple=True, help="A label (repeatable)."),
        click.option("--supersedes", multiple=True, metavar="ID", help="ID of a memo this one replaces (repeatable)."),
        click.option("--status", type=click.Choice(STATUSES), default="proposed", show_default=True),
        click.option("--date", metavar="DATE", callback=_check_date, help="Date the memo is opened.  [default: today]"),
        click.option("--no-edit", is_flag=True, help="Do not open $EDITOR on the new memo."),
    ]

    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


@main.command()
@click.argument("title")
@_draft_options("your git identity")
@click.pass_context
def new(ctx: click.Context, /, title: str, **options: Any) -> None:
    """Write a new decision memo and print its path (the last line of output).

    Missing required fields are asked for (on stderr) when stdin is a terminal; then $EDITOR
    opens the memo when stdout is a terminal too. If the editor fails, the memo stays written.

    \b
    Example:
      decide new "Adopt Postgres for billing" --dri "Ana Ruiz <ana@example.com>" \\
        --input "Platform team review" \\
        --escalate-when "cost exceeds $50k/yr" --escalate-to CTO
    """
    from decide.draft import create_memo, similar_titles

    config = _config(ctx)
    interactive = sys.stdin.isatty()
    draft = _draft(config, title, options, interactive=interactive)
    for memo_id, old_title, path in similar_titles(config, title):
        click.echo(f'Warning: decided before? see {memo_id} "{old_title}" ({path.relative_to(config.root)})', err=True)
    created = create_memo(config, draft)
    if interactive and sys.stdout.isatty() and not options["no_edit"]:
        _edit(config, created.path)
    click.echo(created.path.relative_to(config.root).as_posix())


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
    date = options["date"] or _today()
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


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


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


@main.command()
@click.argument("paths", nargs=-1, type=_PathArg())
@_format_option("text", "json")
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

    config = _config(ctx)
    targets = [_existing(p) for p in paths] or None
    report = run(config, targets)
    _print_problems(report.problems, fmt)
    files = len({p.path for p in report.problems})
    summary = (
        f"{len(report.problems)} problem(s) in {files} of {report.files} file(s)"
        if report.problems
        else f"{report.files} memo(s) valid"
    )
    click.echo(summary, err=True)
    _exit(EXIT_FINDINGS if report.problems else 0)


def _existing(path: Path) -> Path:
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{path}: no such file")
    return path.absolute()


def _entries(ctx: click.Context) -> tuple[Config, list[IndexEntry]]:
    from decide.decisions import load_log
    from decide.index import build_index

    config = _config(ctx)
    log = load_log(config)
    if log.problems:
        click.echo(
            f"Warning: {len({p.path for p in log.problems})} file(s) could not be read and are left out; run 'decide validate'",
            err=True,
        )
    return config, list(build_index(log.memos))


@main.command(name="list")
@click.option("--status", type=click.Choice((*STATUSES, "superseded")), help="Only memos with this (derived) status.")
@click.option("--dri", help="Only memos whose DRI contains this text.")
@click.option("--tag", help="Only memos with this tag.")
@_format_option("table", "json")
@click.pass_context
def list_(ctx: click.Context, status: str | None, dri: str | None, tag: str | None, fmt: str) -> None:
    """List decisions, newest first.

    \b
    Example:
      decide list --status proposed --dri Ana
    """
    from decide.index import filter_entries, render_table

    _config_unused, entries = _entries(ctx)
    found = filter_entries(entries, status=status, dri=dri, tag=tag)
    if fmt == "json":
        click.echo(_json([e.to_dict() for e in found]))
    elif found:
        click.echo(render_table(found), nl=False)
    else:
        click.echo("no decisions match", err=True)


@main.command()
@click.argument("memo_id", metavar="ID")
@_format_option("text", "json")
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
        click.echo(_json(entry.to_dict()))
        return
    parsed = load(config.root / entry.path, config.root)
    click.echo(render_entry(entry, parsed.memo.body if parsed.memo else ""), nl=False)


def _unknown_id(memo_id: str, entries: Sequence[IndexEntry]) -> str:
    from decide.suggest import close_matches

    close = close_matches(memo_id, [e.id for e in entries])
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'decide list' shows every ID"
    return f"no memo with ID {memo_id}{hint}"


@main.command()
@_format_option("json", "markdown")
@click.option(
    "--output",
    "-o",
    type=_PathArg(dir_okay=False),
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


@main.command(name="import")
@click.argument("path", type=_PathArg())
@click.option(
    "--from",
    "source_format",
    type=click.Choice(("auto", "adr-tools", "madr", "log4brains")),
    default="auto",
    show_default=True,
    help="The tool that wrote the records; auto looks at the files and says what it found.",
)
@click.option("--dri", default="", metavar="NAME", help="The DRI of decided records that name no decider.")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
@_format_option("text", "json")
@click.pass_context
def import_(ctx: click.Context, /, path: Path, fmt: str, **options: Any) -> None:
    """Bring an ADR folder (adr-tools, MADR, log4brains) in: one memo per record, the folder left untouched.

    Prints one line per file (imported as D-…, already imported, skipped and why) and every field
    that could not be mapped. Running it again imports nothing twice. Exit 1 when a record was
    skipped or needs a human (e.g. "confirm the DRI"), so CI notices.

    \b
    Example:
      decide import doc/adr --dry-run
      decide import doc/adr --from adr-tools --dri "Ana Ruiz <ana@example.com>"
    """
    from decide.adr.importer import import_folder, render_report, render_summary, report_dict

    config = _config(ctx)
    dri, dry_run = options["dri"], options["dry_run"]
    if dri:
        _check_person(dri)
    plan = import_folder(config, path.absolute(), fmt=options["source_format"], dry_run=dry_run, dri=dri)
    if fmt == "json":
        click.echo(_json(report_dict(plan, decisions=config.decisions, dry_run=dry_run)))
    else:
        click.echo(render_report(plan, decisions=config.decisions, dry_run=dry_run), nl=False)
    click.echo(render_summary(plan, dry_run=dry_run), err=True)
    _exit(plan.exit_code)


def _check_person(name: str) -> None:
    from decide.person import why_not_one_person

    why = why_not_one_person(name)
    if why:
        raise UsageError(f"--dri: {why}")


_commit_option = click.option("--commit", is_flag=True, help="Commit the changed file with git (only that file).")


def _print_change(config: Config, change: Any) -> None:
    from decide.lifecycle import render_change

    click.echo(render_change(change, config.root), nl=False)


@main.command()
@click.argument("memo_id", metavar="ID")
@_commit_option
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

    config = _config(ctx)
    _print_change(config, run(config, memo_id, _today(), commit=commit))


@main.command()
@click.argument("memo_id", metavar="ID")
@click.option("--reason", required=True, help="Why the proposal is turned down (one sentence).")
@_commit_option
@click.pass_context
def reject(ctx: click.Context, memo_id: str, reason: str, commit: bool) -> None:
    """Turn down a proposed decision (sets status, closed_on and reason).

    \b
    Example:
      decide reject D-7KQ2MX --reason "Too costly for this year's budget"
    """
    from decide.lifecycle import reject as run

    config = _config(ctx)
    _print_change(config, run(config, memo_id, reason, _today(), commit=commit))


@main.command()
@click.argument("memo_id", metavar="ID")
@click.option("--reason", required=True, help="Why the decision no longer holds (one sentence).")
@_commit_option
@click.pass_context
def retire(ctx: click.Context, memo_id: str, reason: str, commit: bool) -> None:
    """End a decision that no longer holds and has no successor (sets status, closed_on and reason).

    When a new decision replaces it, use 'decide supersede' instead.

    \b
    Example:
      decide retire D-7KQ2MX --reason "The billing service was shut down"
    """
    from decide.lifecycle import retire as run

    config = _config(ctx)
    _print_change(config, run(config, memo_id, reason, _today(), commit=commit))


@main.command()
@click.argument("memo_id", metavar="ID")
@click.option("--next", "next_date", metavar="DATE", callback=_check_date, help="The next review date.")
@click.option("--note", default="", help="What the review found (optional).")
@_commit_option
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

    config = _config(ctx)
    by = git_identity(config.root) or ""
    change = run(config, memo_id, Review(date=_today(), by=by, note=note), next_date, commit=commit)
    _print_change(config, change)


@main.command()
@click.argument("memo_id", metavar="ID")
@click.argument("title")
@_draft_options("the DRI of the memo it replaces")
@_commit_option
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

    config = _config(ctx)
    editing = sys.stdin.isatty() and sys.stdout.isatty() and not options["no_edit"]
    if commit and editing:
        check_commit(config)
    change = run(config, memo_id, _plain_draft(title, options), commit=commit and not editing)
    if editing:
        _edit(config, change.path)
        if commit:
            change = commit_change(config, change)
    _print_change(config, change)


@main.command()
@click.option("--fail", is_flag=True, help="Exit 1 when anything needs attention (for a scheduled CI job).")
@_format_option("text", "json")
@click.pass_context
def due(ctx: click.Context, fail: bool, fmt: str) -> None:
    """List what needs attention today, grouped, each line naming the memo, its DRI and how late it is.

    \b
    Groups: reviews past review_by; proposals open longer than
    proposal_age_limit days (default 14); decided memos without an escalation
    path (imported ones included); DRIs with more open proposals than
    dri_load_limit (default 5).

    \b
    Example:
      decide due --fail
    """
    from decide.due import find_due, render_due_json, render_due_text

    config, entries = _entries(ctx)
    report = find_due(entries, _today(), **_limits(config))
    click.echo(render_due_json(report) if fmt == "json" else render_due_text(report), nl=False)
    _exit(EXIT_FINDINGS if fail and report.count else 0)


@main.command()
@click.option("--since", metavar="DATE", callback=_check_date, help="Only memos opened on or after DATE.")
@_format_option("text", "json")
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

    figures = gather_stats(_config(ctx), since or "", _today())
    click.echo(render_stats_json(figures) if fmt == "json" else render_stats_text(figures), nl=False)


@main.command()
@click.option(
    "--base",
    metavar="REF",
    callback=_check_ref,
    help="Branch to compare with.  [default: [tool.decide] base, else origin/main, else main]",
)
@click.option("--staged", is_flag=True, help="Check the index (the next commit) instead of the working tree.")
@_format_option("text", "json", "github")
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
    is set. Needs the base branch's history: in GitHub Actions, check out with fetch-depth: 0.

    \b
    Example:
      decide check --base origin/main
      decide check --staged            # as a pre-commit hook
      decide check --format github     # in a pull-request workflow
    """
    from decide.check.branch import BranchScan

    try:
        config = _config(ctx)
        scan = BranchScan(config, base=base, staged=staged)  # git works while the checks are imported
        from decide.check import check_branch

        result = check_branch(config, scan.result())
    except DecideError as exc:
        if fmt == "github":
            from decide.check.output import error_annotation

            click.echo(error_annotation(str(exc)), nl=False)
        raise
    from decide.check.output import render, render_summary

    click.echo(render(result, fmt), nl=False)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render_summary(result))
        except OSError as exc:
            click.echo(f"Warning: cannot write the job summary to {summary}: {exc.strerror or exc}", err=True)
    _exit(EXIT_FINDINGS if result.problems else 0)


@main.command()
@click.option(
    "--check",
    "check_file",
    metavar="FILE",
    type=_PathArg(dir_okay=False, exists=True),
    help="Exit 1 and print a diff when FILE's lines for memos are out of date.",
)
@click.pass_context
def owners(ctx: click.Context, check_file: Path | None) -> None:
    """Print CODEOWNERS lines that route each memo to its DRI, so the DRI must approve changes to it.

    Each line is a memo's path and its DRI's @handle, or email ("Name <email>" or a bare
    email); a DRI on the roster (decisions/people.yml) gets the handle or email listed there.
    Memos whose DRI has neither are listed on stderr as unroutable. Hand-written lines in the
    file are left alone; put the generated ones last, since the last matching line wins.

    \b
    Example:
      decide owners >> .github/CODEOWNERS
      decide owners --check .github/CODEOWNERS
    """
    from decide.decisions import load_log
    from decide.owners import roster_owner, route, stale_diff
    from decide.roster import load_roster

    config = _config(ctx)
    log = load_log(config)
    roster = load_roster(config)
    if roster is not None and roster.problems:
        for problem in roster.problems:
            click.echo(f"Warning: {problem}", err=True)
        click.echo(
            f"Warning: {roster.path} is left out until it is fixed; only a DRI's own @handle or email routes", err=True
        )
    routing = route(log.memos, roster_owner(roster))
    for unroutable in routing.unroutable:
        click.echo(f'unroutable: {unroutable.path}: DRI "{unroutable.dri}" has no @handle or email', err=True)
    if log.problems:
        click.echo(
            f"Warning: {len({p.path for p in log.problems})} file(s) could not be read; run 'decide validate'", err=True
        )
    if check_file is None:
        click.echo("\n".join(routing.lines), nl=bool(routing.lines))
        return
    diff = stale_diff(_read_text(check_file), routing.lines, config.decisions, str(check_file))
    if diff:
        click.echo(diff, nl=False)
        click.echo(f"{check_file} is out of date; regenerate its lines for memos with 'decide owners'", err=True)
        _exit(EXIT_FINDINGS)
    click.echo(f"ok: {check_file} routes {len(routing.lines)} memo(s) to their DRI")


def _read_text(path: Path) -> str:
    from decide.errors import CannotRun

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotRun(f"cannot read {path}: {exc}") from exc


@main.command()
@click.option("--strict", is_flag=True, help="Stop on any warning (a broken link, an unreadable memo).")
@click.option(
    "--site-dir",
    type=_PathArg(file_okay=False),
    help="Write the site here.  [default: site/, or mkdocs.yml's site_dir]",
)
@click.pass_context
def build(ctx: click.Context, strict: bool, site_dir: Path | None) -> None:
    """Validate the log, then build the published site with MkDocs (mkdocs.yml at the repository root).

    Nothing is built while a memo is invalid: the problems are printed and the exit code is 1.
    The pages are generated from the memos at build time; nothing generated is written into
    the repository.

    \b
    Example:
      decide build --strict
      decide build --site-dir public
    """
    from decide.site.build import build_site

    config = _config(ctx)
    report = _valid_log(config, "built")
    built = build_site(
        config.root, strict=strict, site_dir=site_dir.absolute() if site_dir else None, memos=report.memos
    )
    for note in built.notes:
        click.echo(f"Note: {note}", err=True)
    for warning in built.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"built {report.files} decision(s) into {built.site_dir}", err=True)


@main.command()
@click.option("--dev-addr", metavar="IP:PORT", help="Address to serve on.  [default: 127.0.0.1:8000]")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str | None) -> None:
    """Validate the log, then serve the published site locally; it rebuilds when a memo changes. Stop with Ctrl+C.

    Nothing is served while a memo is invalid: the problems are printed and the exit code is 1.
    A memo edited into an invalid state while serving is reported as a warning on the rebuild.

    \b
    Example:
      decide serve --dev-addr 127.0.0.1:8001
    """
    from decide.site.build import serve_site

    config = _config(ctx)
    _valid_log(config, "served")
    serve_site(config.root, dev_addr=dev_addr)


def _valid_log(config: Config, what: str) -> Report:
    """The validated log; with any problem, print them all and exit 1 (the site is not ``what``)."""
    from decide.validate import validate as run

    report = run(config)
    if report.problems:
        _print_problems(report.problems, "text")
        files = len({p.path for p in report.problems})
        click.echo(f"{len(report.problems)} problem(s) in {files} file(s); the site was not {what}", err=True)
        _exit(EXIT_FINDINGS)
    return report


def run() -> None:
    """The ``decide`` command: ``main`` with the terminal's width worked out here.

    click would import shutil to ask for it, about 5 ms of every ``decide --help``; this asks the
    way shutil does (``COLUMNS``, then the terminal, then 80) and applies click's own limits.
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    main(terminal_width=max(min(columns or 80, MAX_WIDTH) - 2, 50))


def command_help() -> list[tuple[str, str]]:
    """Every command's name and ``--help`` text, in order, for the site's command-line reference.

    Wrapped at HELP_WIDTH columns whatever the terminal of the build, so every build is the same
    and a line fits the site's code box on a laptop screen.
    """
    settings = {**main.context_settings, "terminal_width": HELP_WIDTH, "max_content_width": HELP_WIDTH}
    root = click.Context(main, info_name="decide", **settings)
    found: list[tuple[str, str]] = [("decide", main.get_help(root))]
    _collect_help(main, root, found)
    return found


def _collect_help(group: click.Group, parent: click.Context, found: list[tuple[str, str]]) -> None:
    for name in group.list_commands(parent):
        command = group.get_command(parent, name)
        if command is None or command.hidden:
            continue
        ctx = click.Context(command, info_name=name, parent=parent)
        found.append((ctx.command_path, command.get_help(ctx)))
        if isinstance(command, click.Group):
            _collect_help(command, ctx, found)
