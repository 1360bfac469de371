"""decide init: the log folder, its setting, the CI workflow, the hooks and the ignored site, each written once and never overwritten."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from decide import git
from decide.config import DEFAULT_FOLDER, Config, load_config
from decide.errors import CannotRun, Refused, UsageError
from decide.files import replace, write_new
from decide.init import edits
from decide.init.ci import GITLAB_CI, GITLAB_INCLUDED, detect_ci, render_template, workflow_for
from decide.init.source import Source

KEEPER = ".gitkeep"  # git keeps no empty folder; a dot-file is no memo to validate, the gate or the site
HOOK_IDS = ("decide-validate", "decide-check")


@dataclass(frozen=True)
class Step:
    """One thing decide init did or found: ``verb`` is created, added, unchanged or "by hand" (what to do is ``what``)."""

    verb: str
    path: str
    what: str


@dataclass(frozen=True)
class Setup:
    """What decide init did in the repository at ``top``, in order."""

    top: Path
    folder: str
    ci: str
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> list[str]:
        return [step.path for step in self.steps if step.verb in ("created", "added")]


def set_up(start: Path, *, folder: str | None, ci: str, source: Source) -> Setup:
    """Set decide up in the git repository holding ``start``; ``ci`` is github, gitlab, none or auto."""
    top = repository_top(start)
    config = load_config(top)
    wanted = _folder(folder, config)
    kind = detect_ci(top) if ci == "auto" else ci
    steps = [*_log_steps(top, wanted), *_setting_steps(top, config, wanted)]
    workflow = _workflow_steps(top, kind, source)
    steps += [*workflow, *_hook_steps(top, wanted, source), _ignore_step(top)]
    wrote_ci = any(step.verb == "created" for step in workflow)
    warnings = (source.warning,) if source.warning and wrote_ci else ()
    return Setup(top, wanted, kind, tuple(steps), warnings)


def repository_top(start: Path) -> Path:
    try:
        out = git.run(start, "rev-parse", "--show-toplevel")
    except git.GitFailed as exc:
        raise CannotRun(
            f"{start} is not in a git repository; cd into your repository, or start one with 'git init', "
            "then run 'decide init' again"
        ) from exc
    return Path(out.decode("utf-8", "surrogateescape").strip())


def _folder(wanted: str | None, config: Config) -> str:
    """The log folder: ``--dir`` (checked to lie inside the repository), else the configured one."""
    if wanted is None:
        return config.decisions
    path = PurePosixPath(wanted.replace("\\", "/"))
    if not wanted.strip() or path.is_absolute() or ".." in path.parts or str(path) == ".":
        raise UsageError(f"--dir {wanted}: name a folder inside the repository, such as docs/decisions")
    folder = path.as_posix()
    if config.decisions not in (DEFAULT_FOLDER, folder):
        raise Refused(
            f"{config.source} already sets decisions = {config.decisions!r}; decide init never changes a setting: "
            "change it there to move the log, or run 'decide init' without --dir"
        )
    return folder


def _log_steps(top: Path, folder: str) -> list[Step]:
    path = top / folder
    if path.is_dir():
        steps = [Step("unchanged", f"{folder}/", "the log folder is there")]
    else:
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise CannotRun(f"cannot create {folder}/: {exc.strerror or exc}") from exc
        steps = [Step("created", f"{folder}/", "the log folder")]
    if not any(path.iterdir()):
        _create(path / KEEPER, "")
        steps.append(Step("created", f"{folder}/{KEEPER}", "keeps the empty log folder in a clone"))
    return steps


def _setting_steps(top: Path, config: Config, folder: str) -> list[Step]:
    if folder == config.decisions:
        return [Step("unchanged", _config_file(top), f"sets decisions = {folder!r}")] if config.source else []
    name = _config_file(top)
    path = top / name
    line = edits.toml_setting(folder)
    if not path.exists():
        _create(path, f"# decide's settings: see Configuration in decide's README{chr(10)}{line}\n")
        return [Step("created", name, line)]
    text = _read(path)
    new = (
        edits.with_tool_decide(text, folder) if name == "pyproject.toml" else edits.with_top_level_setting(text, folder)
    )
    if new is None:
        table = " under [tool.decide]" if name == "pyproject.toml" else ""
        return [Step("by hand", name, f"add {line}{table}")]
    replace(path, new)
    return [Step("added", name, line + (" under [tool.decide]" if name == "pyproject.toml" else ""))]


def _config_file(top: Path) -> str:
    """Where the repository keeps decide's settings: decide.toml, else an existing pyproject.toml, else a new decide.toml."""
    if (top / "decide.toml").exists() or not (top / "pyproject.toml").exists():
        return "decide.toml"
    return "pyproject.toml"


def _workflow_steps(top: Path, kind: str, source: Source) -> list[Step]:
    workflow = workflow_for(kind, top)
    if workflow is None:
        return []
    path = top / workflow.path
    steps = []
    if path.exists():
        steps.append(Step("unchanged", workflow.path, "exists; left as it is"))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _create(path, render_template(workflow.template, source.requirement))
        steps.append(Step("created", workflow.path, workflow.what))
    if workflow.path == GITLAB_INCLUDED:
        steps.append(_include_step(top))
    return steps


def _include_step(top: Path) -> Step:
    path = top / GITLAB_CI
    text = _read(path)
    if GITLAB_INCLUDED in text:
        return Step("unchanged", GITLAB_CI, f"includes {GITLAB_INCLUDED}")
    new = edits.with_gitlab_include(text, GITLAB_INCLUDED)
    if new is None:
        return Step("by hand", GITLAB_CI, f"add '- local: {GITLAB_INCLUDED}' to its include: list")
    replace(path, new)
    return Step("added", GITLAB_CI, f"include: {GITLAB_INCLUDED}")


def _hook_steps(top: Path, folder: str, source: Source) -> list[Step]:
    name = ".pre-commit-config.yaml"
    path = top / name
    if not path.exists():
        return []
    text = _read(path)
    if edits.has_hooks(text, HOOK_IDS):
        return [Step("unchanged", name, "runs decide's hooks")]
    new = edits.with_hooks(text, hook_block(folder, source))
    if new is None:
        return [Step("by hand", name, "add decide's hooks under repos: (see Gating pull requests in decide's docs)")]
    replace(path, new)
    where = f"{source.hook_repo} at {source.hook_rev[:12]}" if source.hook_repo else "the decide on PATH"
    return [Step("added", name, f"decide-validate and decide-check ({where})")]


def hook_block(folder: str, source: Source) -> str:
    """The ``repos:`` item that runs decide's hooks on the memos in ``folder``."""
    files = "'^" + re.escape(folder).replace("'", "''") + r"/[^/]*\.md$'"
    if source.hook_repo:
        return (
            f"- repo: {source.hook_repo}\n"
            f"  rev: {source.hook_rev}  # the commit of decide that ran decide init (decide has no release tags yet)\n"
            f"  hooks:\n    - id: decide-validate\n      files: {files}\n    - id: decide-check\n"
        )
    return (
        "- repo: local  # decide's hooks, run with the decide on PATH (installed with pip)\n"
        "  hooks:\n"
        "    - id: decide-validate\n      name: decide validate\n      entry: decide validate\n"
        f"      language: system\n      files: {files}\n      pass_filenames: true\n"
        "    - id: decide-check\n      name: decide check\n      entry: decide check --staged\n"
        "      language: system\n      always_run: true\n      pass_filenames: false\n"
    )


def _ignore_step(top: Path) -> Step:
    path = top / ".gitignore"
    text = _read(path) if path.exists() else ""
    if edits.ignores_site(text):
        return Step("unchanged", ".gitignore", "ignores the built site")
    replace(path, edits.with_ignored_site(text))
    return Step("added" if text else "created", ".gitignore", "/site/, the built site")


def _create(path: Path, text: str) -> None:
    """A new file, readable by all like any file in a checkout (the atomic write starts from a private temporary file)."""
    write_new(path, text)
    os.chmod(path, 0o644)


def _read(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotRun(f"cannot read {path.name}: {exc}; decide init changed nothing in it") from exc
