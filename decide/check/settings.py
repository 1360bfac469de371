"""The configuration a check runs with: the base branch's, what the change does to it, and where the log is.

A pull request may change ``decide.toml`` or ``[tool.decide]`` too, so the log's location and
rules are read from the merge-base, and a change to them is itself reported: moving the log is
refused (the memos would leave the gate's sight), other keys get a note. Only a base with no log
at all (a log being set up) lets the branch's own configuration apply. When neither the base nor
the branch has a log where the configuration says, the repository is searched for one, and the
check stops (exit 3) saying where it looked rather than passing having seen nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from decide import git
from decide.config import CONFIG_FILES, PATH_KEYS, Config, config_from_texts, load_config
from decide.errors import CannotRun
from decide.problem import Problem

_NOUNS = {"decisions": "folder", "roster": "roster", "schema": "extension schema"}


@dataclass(frozen=True)
class Settings:
    """The configuration to check with, what the change does to it, and where its root is in the repository."""

    config: Config
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    prefix: str = ""  # the config's root inside the repository: "" at the top, else "sub/dir/"
    schema: str | None = None  # the base branch's extension schema, when the check must use it (else read from disk)
    base_schema: bool = False  # whether ``schema`` holds the base's (None then: the base has none)


def settle(config: Config, fork: str, info: git.RepoInfo, *, search: bool = True) -> Settings:
    """The settings for checking ``config.root``'s change since ``fork``; CannotRun when there is no log to check."""
    base, here, schema = _base_config(config, fork)
    if here if base.decisions == config.decisions else _has_log(config.root, fork, base.decisions):
        problems, notes = _compare(base, config)
        if base.schema != config.schema:
            schema = _text(git.read_blobs(config.root, [f"{fork}:./{base.schema}"])[0])
        notes += _schema_note(base, schema)
        return Settings(base, problems, notes, info.prefix, schema, base_schema=True)
    if (config.root / config.decisions).is_dir() or _has_log(config.root, fork, config.decisions):
        return Settings(config, (), (), info.prefix)  # no log on the base yet: this branch sets one up
    return _elsewhere(config, fork, info, search=search)


def _base_config(config: Config, fork: str) -> tuple[Config, bool, str | None]:
    """The base branch's configuration, whether ``config``'s log folder is there, and its extension schema: one git call."""
    specs = [f"{fork}:./{name}" for name in CONFIG_FILES] + [
        f"{fork}:./{config.decisions}",
        f"{fork}:./{config.schema}",
    ]
    *texts, folder, schema = git.read_blobs(config.root, specs)
    decoded = {name: _text(raw) for name, raw in zip(CONFIG_FILES, texts, strict=True)}
    return config_from_texts(config.root, decoded, "the base branch's "), folder is not None, _text(schema)


def _schema_note(base: Config, schema: str | None) -> tuple[str, ...]:
    """A note when this change edits the extension schema: the memos were judged with the base branch's."""
    try:
        now = (base.root / base.schema).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        now = None
    if now == schema:
        return ()
    return (f"{base.schema} changes in this change; the memos were validated with the base branch's version",)


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace").removeprefix("\ufeff")


def _has_log(root: Path, rev: str, folder: str) -> bool:
    return git.read_blobs(root, [f"{rev}:./{folder}"])[0] is not None


def _compare(base: Config, head: Config) -> tuple[tuple[Problem, ...], tuple[str, ...]]:
    """A problem for each change to where the log lives, a note for each other key that changes."""
    source, text = _head_file(head.root)
    problems, notes = [], []
    for key in (f.name for f in fields(Config) if f.name not in ("root", "source")):
        old, new = getattr(base, key), getattr(head, key)
        if old == new or (key == "roster" and _default_roster(base) and _default_roster(head)):
            continue  # a roster left at its default (people.yml in the log) moves with the log: one problem, not two
        if key in PATH_KEYS:
            problems.append(Problem(source, _line_of(text, key), key, _moved(key, old, new)))
        else:
            notes.append(f"{source}: {key} changes from {old!r} to {new!r}; this check used the base branch's value")
    return tuple(problems), tuple(notes)


def _default_roster(config: Config) -> bool:
    return config.roster == Config(root=config.root, decisions=config.decisions).roster


def _moved(key: str, old: str, new: str) -> str:
    return (
        f'this change moves the log\'s {_NOUNS[key]} from "{old}" to "{new}"; decide check judges a change with the '
        "base branch's configuration, so it never approves a move: make it in a pull request of its own, "
        "merged by someone allowed to bypass the check"
    )


def _head_file(root: Path) -> tuple[str, str]:
    """The configuration file of the branch (or where it would be) and its text."""
    for name in CONFIG_FILES:
        try:
            return name, (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return CONFIG_FILES[0], ""


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key).replace('_', '[_-]')}[\"']?\s*=", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _elsewhere(config: Config, fork: str, info: git.RepoInfo, *, search: bool) -> Settings:
    """The log when it is not where ``config`` says: the one folder of the repository that holds one, or CannotRun."""
    top = _top(config.root, info.prefix)
    found = sorted(set(_log_roots(top)) - {info.prefix}) if search else []
    looked = f"{config.decisions}/ in {config.root} (on the base branch and on this one)"
    if len(found) == 1:
        there = settle(load_config(top / found[0]), fork, replace(info, prefix=found[0]), search=False)
        note = f"no log in {looked}; checked the one in {found[0]}{there.config.decisions}/ instead"
        return replace(there, notes=(note, *there.notes))
    how = "run decide check in the log's folder (decide -C DIR check), or set decisions under [tool.decide]"
    if found:
        raise CannotRun(f"no log in {looked}, and several elsewhere: {', '.join(f or './' for f in found)}; {how}")
    raise CannotRun(
        f"no decision log to check: looked for {looked}, and for a decide.toml, a [tool.decide] table or a "
        f"decisions/ folder anywhere in the repository; {how}"
    )


def _top(root: Path, prefix: str) -> Path:
    top = root
    for _ in [part for part in prefix.split("/") if part]:
        top = top.parent
    return top


def _log_roots(top: Path) -> list[str]:
    """Each folder (as a prefix such as "handbook/") with a decide configuration or a decisions/ folder of memos."""
    out = git.run(top, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    roots = []
    for path in out.decode("utf-8", "surrogateescape").split("\0"):
        folder, _, name = path.rpartition("/")
        prefix = f"{folder}/" if folder else ""
        if name == "decide.toml" or (name == "pyproject.toml" and _has_table(top / path)):
            roots.append(prefix)
        elif name.endswith(".md") and (folder == "decisions" or folder.endswith("/decisions")):
            roots.append(folder.removesuffix("decisions"))
    return roots


def _has_table(pyproject: Path) -> bool:
    try:
        return "[tool.decide]" in pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
