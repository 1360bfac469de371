"""The import command: bring an ADR folder written by another tool into the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from decide.cli.params import (
    PathArg,
    exit_with,
    format_option,
    repo_config,
    to_json,
)
from decide.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path


@click.command(name="import")
@click.argument("path", type=PathArg())
@click.option(
    "--from",
    "source_format",
    type=click.Choice(("auto", "adr-tools", "madr", "log4brains")),
    default="auto",
    show_default=True,
    help="The tool that wrote the records; auto looks at the files and says what it found.",
)
@click.option("--dri", default="", metavar="NAME", help="The DRI of decided records that name no person as decider.")
@click.option(
    "--date-order",
    type=click.Choice(("auto", "dmy", "mdy")),
    default="auto",
    show_default=True,
    help="How to read a date such as 05/06/2023: day first (dmy) or month first (mdy); auto follows the folder's other dates.",
)
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
@format_option("text", "json")
@click.pass_context
def import_(ctx: click.Context, /, path: Path, fmt: str, **options: Any) -> None:
    """Bring an ADR folder (adr-tools, MADR 2/3/4, log4brains) in: one memo per record, the folder left untouched.

    Prints what a person must do, grouped (confirm the DRI, check the status or date, fix links),
    one line each; notes said once; then the memos written. Each memo that needs a person keeps a
    needs_human list in its front-matter until someone clears it (decide due lists them). Links
    between records point to the new memos; images they link to are copied beside them. Running
    it again imports nothing twice and reports what is still to do. Exit 1 when a record was
    skipped or needs a human, so CI notices.

    \b
    Example:
      decide import doc/adr --dry-run
      decide import doc/adr --from adr-tools --dri "Ana Ruiz <ana@example.com>"
    """
    from decide.adr.folder import ImportOptions, import_folder
    from decide.adr.report import render_report, render_summary, report_dict

    config = repo_config(ctx)
    dri, dry_run = options["dri"], options["dry_run"]
    if dri:
        _check_person(dri)
    asked = ImportOptions(options["source_format"], dry_run, dri, options["date_order"])
    plan = import_folder(config, path.absolute(), asked)
    if fmt == "json":
        click.echo(to_json(report_dict(plan, decisions=config.decisions, dry_run=dry_run)))
    else:
        click.echo(render_report(plan, decisions=config.decisions, dry_run=dry_run), nl=False)
    click.echo(render_summary(plan, dry_run=dry_run), err=True)
    exit_with(plan.exit_code)


def _check_person(name: str) -> None:
    from decide.person import why_not_one_person

    why = why_not_one_person(name)
    if why:
        raise UsageError(f"--dri: {why}")
