"""The command line: the ``decide`` group, error -> exit code in one place, and ``run``.

Each command area has its module (``memos``, ``read``, ``check``, ``site``, ``adr``), sharing
options from ``params``: parse options, call one core function, print, choose the exit code.
Only this package imports click.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from decide import __version__
from decide.cli.params import PathArg
from decide.errors import DecideError

if TYPE_CHECKING:
    from pathlib import Path


# Each command lives in the module of its area and is imported only when it runs (or help lists it).
COMMANDS = {
    "accept": ("memos", "accept"),
    "build": ("site", "build"),
    "check": ("check", "check"),
    "due": ("read", "due"),
    "import": ("adr", "import_"),
    "index": ("read", "index"),
    "init": ("init", "init"),
    "list": ("read", "list_"),
    "new": ("memos", "new"),
    "owners": ("read", "owners"),
    "reject": ("memos", "reject"),
    "retire": ("memos", "retire"),
    "review": ("memos", "review"),
    "schema": ("init", "schema"),
    "serve": ("site", "serve"),
    "show": ("read", "show"),
    "stats": ("read", "stats"),
    "supersede": ("memos", "supersede"),
    "validate": ("read", "validate"),
}


class _Group(click.Group):
    """Finds each command in its module, and maps every DecideError to ``Error: message`` and its exit code, in one place."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        import importlib

        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f"decide.cli.{module}"), name)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's own, with a "did you mean" for a misspelt command (``decide vaildate``)."""
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            from decide.suggest import did_you_mean

            hint = did_you_mean(args[0], self.list_commands(ctx)) or "; 'decide --help' lists them"
            ctx.fail(f"no command {args[0]!r}{hint}")
        return super().resolve_command(ctx, args)

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
    type=PathArg(file_okay=False),
    help="Run in this repository instead of the current one.",
)
@click.version_option(__version__, prog_name="decide")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Decision records with one DRI each, kept in git.

    Each decision is a Markdown memo in decisions/ naming the one person who decides (the DRI),
    the inputs consulted, when and to whom the call escalates, and when it is reviewed.
    Start in a repository with 'decide init', then 'decide new "TITLE"'.

    \b
    Exit codes: 0 ok, 1 findings (invalid memos, refused change), 2 usage,
    3 cannot run.
    """
    ctx.obj = root


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


def commands() -> dict[str, click.Command]:
    """Every command of ``decide`` by name (each module imported), for the help reference and tests."""
    ctx = click.Context(main, info_name="decide")
    found = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


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
