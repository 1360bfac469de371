"""Setting a repository and an editor up: decide init, decide schema."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from decide.init.setup import Setup


@click.command()
@click.option(
    "--dir", "folder", metavar="FOLDER", help="Keep the log in FOLDER.  [default: decisions, or the configured one]"
)
@click.option(
    "--ci",
    type=click.Choice(("auto", "github", "gitlab", "none")),
    default="auto",
    show_default=True,
    help="The CI workflow to write; auto looks at .github/, .gitlab-ci.yml and the remotes.",
)
@click.pass_context
def init(ctx: click.Context, folder: str | None, ci: str) -> None:
    """Set decide up in this git repository: the log folder, its setting, CI, hooks, .gitignore.

    Writes each file only if it is not there (an existing file is never overwritten): the log
    folder (a non-default one stored under [tool.decide] in pyproject.toml, else in decide.toml),
    a CI workflow for the pull-request gate and the site, decide's hooks in an existing
    .pre-commit-config.yaml, and /site/ in .gitignore. Prints what it did and what to run next;
    run again, it changes nothing and says so.

    \b
    Example:
      decide init
      decide init --dir docs/decisions --ci gitlab
    """
    from pathlib import Path

    from decide.init.setup import set_up
    from decide.init.source import installed_source

    start = ctx.find_root().obj or Path.cwd()
    done = set_up(Path(start), folder=folder, ci=ci, source=installed_source())
    click.echo(render_setup(done), nl=False)
    for warning in done.warnings:
        click.echo(f"Warning: {warning}", err=True)


def render_setup(done: Setup) -> str:
    """One line per step, then what to run next (or that nothing changed)."""
    width = max(len(step.path) for step in done.steps)
    lines = [f"{step.verb:<10} {step.path:<{width}}  {step.what}".rstrip() for step in done.steps]
    if done.ci == "none":
        lines.append(
            "no CI workflow: no .github/, .gitlab-ci.yml or remote says which; pass --ci github or --ci gitlab"
        )
    by_hand = [step for step in done.steps if step.verb == "by hand"]
    if not done.changed:
        lines.append(
            "nothing changed; the steps marked 'by hand' are yours"
            if by_hand
            else "nothing to do: decide is set up here already"
        )
        return "\n".join(lines) + "\n"
    folders = [path for path in done.changed if path.endswith("/")]
    changed = [path for path in done.changed if not any(path != f and path.startswith(f) for f in folders)]
    paths = " ".join(shlex.quote(path) for path in changed)
    lines += [
        "",
        "Next: write the first decision, then commit what decide init wrote:",
        '  decide new "TITLE" --dri "NAME <email>"',
        f'  git add {paths} && git commit -m "Start a decision log with decide"',
    ]
    return "\n".join(lines) + "\n"


@click.command()
def schema() -> None:
    """Print the JSON Schema of the front-matter that this decide checks memos against, for an editor.

    Write it outside schema/ (a schema/decision.schema.json of your own is an extension that
    tightens the rules), and write it again after upgrading decide.

    \b
    Example:
      decide schema > .vscode/decision.schema.json
    """
    from decide.schema import packaged_schema_text

    click.echo(packaged_schema_text(), nl=False)
