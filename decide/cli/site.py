"""The site's commands: build and serve."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from decide.cli.params import (
    PathArg,
    exit_with,
    print_problems,
    repo_config,
)
from decide.errors import EXIT_FINDINGS

if TYPE_CHECKING:
    from pathlib import Path

    from decide.config import Config
    from decide.validate import Report


@click.command()
@click.option("--strict", is_flag=True, help="Stop on any warning (a broken link, an unreadable memo).")
@click.option(
    "--site-dir",
    type=PathArg(file_okay=False),
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

    config = repo_config(ctx)
    report = _valid_log(config, "built")
    if not report.files:
        from decide.decisions import empty_log_note

        click.echo(f"Note: {empty_log_note(config)}; the site shows an empty log until then", err=True)
    built = build_site(
        config.root, strict=strict, site_dir=site_dir.absolute() if site_dir else None, memos=report.memos
    )
    for note in built.notes:
        click.echo(f"Note: {note}", err=True)
    for warning in built.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"built {report.files} decision(s) into {built.site_dir}", err=True)


@click.command()
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

    config = repo_config(ctx)
    _valid_log(config, "served")
    serve_site(config.root, dev_addr=dev_addr)


def _valid_log(config: Config, what: str) -> Report:
    """The validated log; with any problem, print them all and exit 1 (the site is not ``what``)."""
    from decide.validate import validate as run

    report = run(config)
    if report.problems:
        print_problems(report.problems, "text")
        files = len({p.path for p in report.problems})
        click.echo(f"{len(report.problems)} problem(s) in {files} file(s); the site was not {what}", err=True)
        exit_with(EXIT_FINDINGS)
    return report
