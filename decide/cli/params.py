"""Options, argument types and small helpers the command modules share: the repository's config, dates, formats, JSON, exits."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from decide.errors import UsageError

if TYPE_CHECKING:
    from decide.config import Config
    from decide.problem import Problem


STATUSES = ("proposed", "decided", "rejected", "retired")
F = TypeVar("F", bound=Callable[..., Any])


if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]  # generic in recent click; plain before 8.4, so not subscripted at run time
else:
    _ParamType = click.ParamType


class PathArg(_ParamType):
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


def repo_config(ctx: click.Context) -> Config:
    from pathlib import Path

    from decide.config import find_root, load_config

    start = ctx.find_root().obj or Path.cwd()
    if not Path(start).is_dir():
        raise UsageError(f"--root {start}: no such directory")
    return load_config(find_root(Path(start)))


def complete_ids(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a memo ID from the log's file names alone (no memo is read), the slug as its help."""
    from pathlib import Path

    from click.shell_completion import CompletionItem

    from decide.config import find_root, load_config
    from decide.decisions import md_names
    from decide.errors import DecideError

    start = ctx.find_root().params.get("root") or Path.cwd()
    try:
        names = md_names(load_config(find_root(Path(start))).decisions_dir)
    except (DecideError, OSError):
        return []
    wanted = incomplete.upper()
    found = [(name[:8], name[9:-3].replace("-", " ")) for name in names if name.startswith("D-") and len(name) >= 11]
    return [CompletionItem(memo_id, help=slug or None) for memo_id, slug in found if memo_id.startswith(wanted)]


def check_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from decide.schema import is_date
    from decide.suggest import date_advice

    if value is not None and not is_date(value):
        raise click.BadParameter(f"{value!r} is not a date; {date_advice(value)}", param=param)
    return value


def check_ref(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value.startswith("-"):
        raise click.BadParameter(
            f"{value!r} starts with '-', so it is not a branch; name one, e.g. origin/main", param=param
        )
    return value


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


def print_problems(problems: Sequence[Problem], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json([p.to_dict() for p in problems]))
    else:
        for problem in problems:
            click.echo(str(problem))


def limits(config: Config) -> dict[str, int]:
    return {"proposal_age_limit": config.proposal_age_limit, "dri_load_limit": config.dri_load_limit}


def to_json(data: object) -> str:
    import json  # ~10 ms of start-up, so only when asked for

    return json.dumps(data, indent=2, ensure_ascii=False)


def exit_with(code: int) -> NoReturn:
    sys.exit(code)


def draft_options(dri_default: str) -> Callable[[F], F]:
    """The options of a new memo, shared by ``new`` and ``supersede``."""
    options = [
        click.option(
            "--dri", help=f"The one person who decides: a name, 'Name <email>' or '@handle'. Default: {dri_default}."
        ),
        click.option("--input", "inputs", multiple=True, metavar="WHO", help="Who or what was consulted (repeatable)."),
        click.option("--escalate-when", metavar="TRIGGER", help="The condition under which the call goes up."),
        click.option("--escalate-to", metavar="WHO", help="The one person or role it goes up to."),
        click.option(
            "--review-by", metavar="DATE", callback=check_date, help="Date by which the decision is reviewed."
        ),
        click.option("--tag", "tags", multiple=True, help="A label (repeatable)."),
        click.option("--supersedes", multiple=True, metavar="ID", help="ID of a memo this one replaces (repeatable)."),
        click.option("--status", type=click.Choice(STATUSES), default="proposed", show_default=True),
        click.option("--date", metavar="DATE", callback=check_date, help="Date the memo is opened.  [default: today]"),
        click.option("--no-edit", is_flag=True, help="Do not open $EDITOR on the new memo."),
    ]

    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


def today() -> str:
    import datetime

    return datetime.date.today().isoformat()


commit_option = click.option("--commit", is_flag=True, help="Commit the changed file with git (only that file).")
