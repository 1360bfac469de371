"""Where the log lives and the limits that apply: ``[tool.decide]`` or ``decide.toml``."""

from __future__ import annotations

import posixpath
import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from decide.errors import CannotRun
from decide.files import read_config_text
from decide.suggest import did_you_mean

DEFAULT_FOLDER = "decisions"
ROSTER_NAME = "people.yml"


@dataclass(frozen=True)
class Config:
    """Settings for one repository; every path is relative to ``root``."""

    root: Path
    decisions: str = DEFAULT_FOLDER
    schema: str = "schema/decision.schema.json"
    roster: str = ""  # empty: people.yml in the log folder
    base: str | None = None
    proposal_age_limit: int = 14
    dri_load_limit: int = 5
    source: str = field(default="", compare=False)  # where the settings were read: "" for the defaults

    def __post_init__(self) -> None:
        if not self.roster:
            object.__setattr__(self, "roster", f"{self.decisions.rstrip('/')}/{ROSTER_NAME}")

    @property
    def decisions_dir(self) -> Path:
        return self.root / self.decisions

    @property
    def roster_path(self) -> Path:
        return self.root / self.roster

    @property
    def schema_path(self) -> Path:
        return self.root / self.schema


_KEYS = {f.name: f.type for f in fields(Config) if f.name not in ("root", "source")}
_INT_KEYS = {"proposal_age_limit", "dri_load_limit"}
PATH_KEYS = ("decisions", "schema", "roster")
CONFIG_FILES = ("decide.toml", "pyproject.toml")


def find_root(start: Path) -> Path:
    """The repository ``start`` is in, from any of its subfolders: where the log's configuration is read.

    Walking up from ``start``: the first folder with a ``decide.toml`` or a pyproject.toml holding
    ``[tool.decide]`` (a log configured below the top of a repository); else the top of the git
    repository (the folder holding ``.git``); outside git, the nearest folder holding ``decisions/``;
    else ``start`` itself. A pyproject.toml without ``[tool.decide]`` (a package inside a monorepo)
    and a ``decisions/`` folder inside the repository do not stop the walk.
    """
    start = start.resolve()
    folders = (start, *start.parents)
    for folder in folders:
        if _configures_decide(folder):
            return folder
        if (folder / ".git").exists():
            return folder
    return next((folder for folder in folders if (folder / DEFAULT_FOLDER).is_dir()), start)


def git_top(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``.git`` (a directory, or a file in a worktree), or None."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if (folder / ".git").exists()), None)


def _configures_decide(folder: Path) -> bool:
    if (folder / "decide.toml").is_file():
        return True
    pyproject = folder / "pyproject.toml"
    try:
        raw = pyproject.read_bytes() if pyproject.is_file() else b""
    except OSError:
        return True  # load_config says what is wrong with it
    if b"decide" not in raw:
        return False
    try:
        tool = tomllib.loads(raw.decode("utf-8")).get("tool", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # load_config names the file and the error
    return not isinstance(tool, dict) or "decide" in tool


def load_config(root: Path) -> Config:
    """Read ``decide.toml`` (all keys at top level) or ``pyproject.toml``'s ``[tool.decide]``."""
    own = _read_toml(root / "decide.toml")
    if own is not None:
        return _make_config(root, own, "decide.toml")
    pyproject = _read_toml(root / "pyproject.toml")
    if pyproject is not None:
        return _make_config(root, _tool_decide(pyproject), "pyproject.toml [tool.decide]")
    return Config(root=root)


def config_from_texts(root: Path, texts: dict[str, str | None], where: str = "") -> Config:
    """The configuration the files ``CONFIG_FILES`` with these texts make (None: no such file), as ``load_config`` reads them.

    For a configuration that is not on disk, such as a base branch's; ``where`` says whose it is in messages.
    """
    own, pyproject = texts.get("decide.toml"), texts.get("pyproject.toml")
    if own is not None:
        return _make_config(root, _parse_toml(own, f"{where}decide.toml"), f"{where}decide.toml")
    if pyproject is not None:
        table = _tool_decide(_parse_toml(pyproject, f"{where}pyproject.toml"))
        return _make_config(root, table, f"{where}pyproject.toml [tool.decide]")
    return Config(root=root)


def normal_path(value: str, where: str) -> str:
    """A folder or file of the repository written the one way: ``./decisions/``, ``decisions/.`` -> ``decisions``.

    Refused (CannotRun) when it leaves the repository or holds a control character or line break.
    """
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise CannotRun(f"{where} holds a control character or line break; write the path on one line")
    normal = posixpath.normpath(value.replace("\\", "/")) if value.strip() else ""
    if not normal or normal == "." or normal.startswith(("/", "../")) or normal == "..":
        raise CannotRun(f'{where} must be a path inside the repository, such as "decisions", not {value!r}')
    return normal


def _tool_decide(document: dict[str, Any]) -> dict[str, Any]:
    """pyproject.toml's ``[tool.decide]`` table; ``{}`` when there is none; CannotRun when it is not a table."""
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise CannotRun(
            f"pyproject.toml: tool must be a table (such as [tool.decide]), not {tool!r}; fix the 'tool = …' line"
        )
    table = tool.get("decide", {})
    if not isinstance(table, dict):
        raise CannotRun(
            f'pyproject.toml [tool.decide]: must be a table of settings (such as decisions = "decisions"), '
            f"not {table!r}; fix the 'decide = …' line under [tool]"
        )
    return table


def _checked(name: str, value: object, where: str) -> object:
    if name in _INT_KEYS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CannotRun(f"{where} must be a whole number of at least 0, not {value!r}")
    elif not isinstance(value, str):
        raise CannotRun(f"{where} must be a string, not {value!r}")
    return value


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The TOML file at ``path``, None when there is none; read as any configuration file is (``decide.files``)."""
    text = read_config_text(path, path.name)
    if text is None:
        return None
    return _parse_toml(text, path.name)


def _parse_toml(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CannotRun(f"{name}: cannot read the configuration: {exc}") from exc
    except RecursionError as exc:  # tomllib reads nested arrays and inline tables recursively
        raise CannotRun(
            f"{name}: cannot read the configuration: it nests arrays or tables thousands deep; "
            "no setting needs more than a few levels"
        ) from exc


def _make_config(root: Path, table: dict[str, Any], where: str) -> Config:
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _KEYS:
            raise CannotRun(
                f"{where}: unknown key {key!r}{did_you_mean(name, _KEYS)}; known keys: {', '.join(sorted(_KEYS))}"
            )
        values[name] = _checked(name, value, f"{where}: {key}")
        if name in PATH_KEYS:
            values[name] = normal_path(values[name], f"{where}: {key}")
    return Config(root=root, source=where, **values)
