"""Edits of a team's own files as text, so comments, order and quoting stay; each edit is checked by parsing the result.

Every function returns the new text, or None when the file is written in a way the edit cannot
safely extend (the caller then says what to add by hand). Line endings follow the file's own.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

_TOOL_DECIDE = re.compile(r"^\[[ \t]*tool[ \t]*\.[ \t]*decide[ \t]*\][ \t]*(#[^\r\n]*)?\r?$", re.MULTILINE)
_REPOS = re.compile(r"^repos[ \t]*:[ \t]*(#[^\r\n]*)?\r?$", re.MULTILINE)
_INCLUDE = re.compile(r"^include[ \t]*:", re.MULTILINE)
SITE_PATTERNS = frozenset({"site", "site/", "/site", "/site/"})


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _ended(text: str) -> str:
    """``text`` ending with a line break (none added to an empty file)."""
    return text if not text or text.endswith(("\n", "\r")) else text + newline_of(text)


def toml_setting(folder: str) -> str:
    """The TOML line that sets the log folder; json's escapes are TOML's for a basic string."""
    return f"decisions = {json.dumps(folder)}"


def with_tool_decide(text: str, folder: str) -> str | None:
    """pyproject.toml with ``decisions`` set under ``[tool.decide]`` (the table added at the end if missing)."""
    nl, line = newline_of(text), toml_setting(folder)
    header = _TOOL_DECIDE.search(text)
    if header:
        end = text.find("\n", header.end()) + 1 or len(text)
        new = _ended(text[:end]) + line + nl + text[end:]
    else:
        new = f"{_ended(text)}{nl if text.strip() else ''}[tool.decide]{nl}{line}{nl}"
    return new if _adds_setting(text, new, ("tool", "decide"), folder) else None


def with_top_level_setting(text: str, folder: str) -> str | None:
    """decide.toml with ``decisions`` set, as its first line."""
    nl = newline_of(text)
    new = f"{toml_setting(folder)}{nl}{text}"
    return new if _adds_setting(text, new, (), folder) else None


def _adds_setting(old: str, new: str, table: tuple[str, ...], folder: str) -> bool:
    """Whether ``new`` parses to ``old`` with ``decisions = folder`` added to ``table``, and nothing else changed."""
    try:
        before, after = tomllib.loads(old), tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return False
    expected: dict[str, Any] = before
    for key in table:
        inner = expected.setdefault(key, {})
        if not isinstance(inner, dict):
            return False
        expected = inner
    expected["decisions"] = folder
    return after == before


def has_hooks(text: str, ids: tuple[str, ...]) -> bool:
    """Whether a pre-commit config already runs one of the hooks ``ids``."""
    data = _yaml(text)
    repos = data.get("repos") if isinstance(data, dict) else None
    hooks = [h for r in repos if isinstance(r, dict) for h in r.get("hooks") or []] if isinstance(repos, list) else []
    return any(isinstance(h, dict) and h.get("id") in ids for h in hooks)


def with_hooks(text: str, block: str) -> str | None:
    """A pre-commit config with ``block`` (one ``- repo:`` item, at column 0) added as the last item of ``repos``."""
    found = _REPOS.search(text)
    if not found:
        return None
    nl = newline_of(text)
    lines = text.splitlines(keepends=True)
    start = text.count("\n", 0, found.start()) + 1  # the line after "repos:"
    indent, end = _sequence_end(lines, start)
    item = "".join(f"{indent}{line}{nl}" if line else nl for line in block.splitlines())
    new = _ended("".join(lines[:end])) + item + "".join(lines[end:])
    return new if _appends_repo(text, new, block) else None


def _sequence_end(lines: list[str], start: int) -> tuple[str, int]:
    """The indentation of the items after ``repos:`` and the index of the line after the last of them."""
    indent, last = None, start
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        width = len(lines[index]) - len(lines[index].lstrip(" "))
        if indent is None:
            indent = lines[index][:width] if stripped.startswith("- ") else ""
        elif width < len(indent) or (width == len(indent) and not stripped.startswith("-")):
            break
        last = index + 1
    return indent or "", last


def _appends_repo(old: str, new: str, block: str) -> bool:
    before, after, added = _yaml(old), _yaml(new), _yaml(block)
    if not (isinstance(before, dict) and isinstance(after, dict) and isinstance(added, list)):
        return False
    repos = before.get("repos") or []
    return isinstance(repos, list) and after == {**before, "repos": [*repos, *added]}


def ignores_site(text: str) -> bool:
    return any(line.strip() in SITE_PATTERNS for line in text.splitlines())


def with_ignored_site(text: str) -> str:
    """A .gitignore that ignores the built site at the top of the repository."""
    nl = newline_of(text)
    gap = nl if text.strip() else ""
    return f"{_ended(text)}{gap}# The site decide build writes (built in CI, never committed){nl}/site/{nl}"


def with_gitlab_include(text: str, path: str) -> str | None:
    """A .gitlab-ci.yml that includes ``path``; None when it has an ``include:`` already (a list to extend by hand)."""
    if _INCLUDE.search(text):
        return None
    nl = newline_of(text)
    new = f"{_ended(text)}{nl}# decide's merge-request gate and site, written by decide init{nl}include:{nl}  - local: {path}{nl}"
    before, after = _yaml(text), _yaml(new)
    if not isinstance(after, dict) or {k: v for k, v in after.items() if k != "include"} != (before or {}):
        return None
    return new


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None
