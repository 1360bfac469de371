"""The organisation's manifest, ``decide-org.toml``: one ``[[repo]]`` table per repository, read with every problem named.

```toml
[[repo]]
name = "payments"                               # qualifies IDs: payments:D-7KQ2MX
url = "https://github.com/acme/payments.git"    # any git URL; file:// and local paths too
branch = "main"                                 # optional; the default branch when absent
dir = "docs/decisions"                          # optional; the repository's own config when absent
```
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from decide.errors import CannotRun
from decide.ids import REPO_NAME_PATTERN, slugify
from decide.problem import Problem
from decide.suggest import did_you_mean

MANIFEST = "decide-org.toml"
REPO_KEYS = ("name", "url", "branch", "dir")
TOP_KEYS = ("repo", "dri_load_limit")
DEFAULT_DRI_LOAD_LIMIT = 5
_EXAMPLE = '[[repo]] with name = "payments" and url = "https://github.com/acme/payments.git"'
_BAD_BRANCH = re.compile(r"^-|\.\.|[\x00-\x20\x7f~^:?*\[\\]|@\{|/$|\.lock$|^/|//")


@dataclass(frozen=True)
class Source:
    """One repository of the organisation: its short name, where git finds it, and optionally a branch and a log folder."""

    name: str
    url: str
    branch: str = ""
    dir: str = ""


@dataclass(frozen=True)
class Manifest:
    """The repositories of the organisation, in the manifest's order; ``root`` is the aggregator repository."""

    root: Path
    sources: tuple[Source, ...]
    dri_load_limit: int = DEFAULT_DRI_LOAD_LIMIT

    def find(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


class ManifestError(CannotRun):
    """The manifest cannot be used; ``problems`` holds every problem in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{MANIFEST} has {len(problems)} problem(s); fix them and run again:\n{lines}")


def find_aggregator(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a ``decide-org.toml``; CannotRun when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
    raise CannotRun(
        f"no {MANIFEST} in {start} or above; run decide org in the aggregator repository, "
        f"or create {MANIFEST} there with one {_EXAMPLE} per repository"
    )


def load_manifest(root: Path) -> Manifest:
    """Read and check ``root/decide-org.toml``; ManifestError naming every problem."""
    path = root / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotRun(f"{MANIFEST}: cannot be read: {exc}") from exc
    return parse_manifest(text, root)


def parse_manifest(text: str, root: Path) -> Manifest:
    """The manifest in ``text``; ManifestError naming every problem, each with its line."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        raise ManifestError([Problem(MANIFEST, line, "", f"is not valid TOML: {exc}")]) from exc
    lines = _Lines(text)
    problems = list(_top_problems(document, lines))
    tables = document.get("repo", [])
    tables = tables if isinstance(tables, list) else []
    sources = [_source(table, at, lines, problems) for at, table in enumerate(tables)]
    problems += _duplicate_names(tables, lines)
    if problems:
        raise ManifestError(sorted(problems, key=lambda p: p.line))
    limit = document.get("dri_load_limit", document.get("dri-load-limit", DEFAULT_DRI_LOAD_LIMIT))
    return Manifest(root, tuple(s for s in sources if s is not None), limit)


class _Lines:
    """Where each ``[[repo]]`` table and each key starts in the text (tomllib keeps no lines)."""

    def __init__(self, text: str) -> None:
        self.tables: list[int] = []
        self.keys: dict[tuple[int, str], int] = {}
        table = -1  # -1: the top level, before any table; -2: some other table
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if re.match(r"^\[\[\s*repo\s*\]\]", stripped):
                self.tables.append(number)
                table = len(self.tables) - 1
            elif stripped.startswith("["):
                table = -2
            elif key := re.match(r"""^["']?([A-Za-z0-9_-]+)["']?\s*=""", stripped):
                self.keys.setdefault((table, key.group(1)), number)

    def of_table(self, at: int) -> int:
        return self.tables[at] if at < len(self.tables) else 1

    def of_key(self, at: int, key: str) -> int:
        return self.keys.get((at, key), self.of_table(at) if at >= 0 else 1)


def _top_problems(document: dict[str, Any], lines: _Lines) -> Iterator[Problem]:
    for key in document:
        if key.replace("-", "_") not in TOP_KEYS:
            hint = did_you_mean(key, TOP_KEYS) or f"; known keys: {', '.join(TOP_KEYS)}"
            yield Problem(MANIFEST, lines.of_key(-1, key), key, f"unknown key{hint}")
    tables = document.get("repo")
    if tables is None or tables == []:
        yield Problem(MANIFEST, 1, "repo", f"no repositories; add one {_EXAMPLE} per repository")
    elif not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        yield Problem(MANIFEST, lines.of_key(-1, "repo"), "repo", f"must be [[repo]] tables: {_EXAMPLE}")
    limit = document.get("dri_load_limit", document.get("dri-load-limit", DEFAULT_DRI_LOAD_LIMIT))
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        key = "dri_load_limit" if "dri_load_limit" in document else "dri-load-limit"
        yield Problem(MANIFEST, lines.of_key(-1, key), key, f"must be a whole number of at least 0, not {limit!r}")


def _source(table: object, at: int, lines: _Lines, problems: list[Problem]) -> Source | None:
    if not isinstance(table, dict):
        return None
    name = table.get("name")
    where = f"repo[{at}]" + (f" ({name})" if isinstance(name, str) and name else "")
    found = [Problem(MANIFEST, lines.of_key(at, k), f"{where}.{k}", m) for k, m in _table_problems(table)]
    problems += found
    if found:
        return None
    return Source(
        str(name), table["url"].strip(), table.get("branch", "").strip(), clean_folder(table.get("dir", "")) or ""
    )


def _table_problems(table: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in table:
        if key not in REPO_KEYS:
            yield key, f"unknown key{did_you_mean(key, REPO_KEYS) or ''}; known keys: {', '.join(REPO_KEYS)}"
    for key in REPO_KEYS:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            yield key, f"must be a string, not {value!r}"
    yield from _value_problems(table)


def _value_problems(table: dict[str, Any]) -> Iterator[tuple[str, str]]:
    name, url, branch, folder = (table.get(k) for k in REPO_KEYS)
    if name is None or name == "":
        yield "name", 'missing; add name = "payments", the short name that qualifies its IDs (payments:D-7KQ2MX)'
    elif isinstance(name, str) and not REPO_NAME_PATTERN.match(name):
        yield "name", f"{name!r} is not a short name; {_name_hint(name)}"
    if url is None or (isinstance(url, str) and not url.strip()):
        yield "url", 'missing; add url = "https://github.com/acme/payments.git" (any git URL, file:// or a local path)'
    elif isinstance(url, str) and url.strip().startswith("-"):
        yield "url", f"{url!r} starts with '-'; write the repository's URL or path"
    if isinstance(branch, str) and _BAD_BRANCH.search(branch.strip()):
        yield "branch", f"{branch!r} is not a branch name; write one such as main, or leave branch out for the default"
    if isinstance(folder, str) and clean_folder(folder) is None:
        yield (
            "dir",
            f"{folder!r} must be a folder inside the repository, such as docs/decisions (no '..', not absolute)",
        )


def _name_hint(name: str) -> str:
    suggestion = slugify(name)
    example = f' (e.g. "{suggestion}")' if suggestion and REPO_NAME_PATTERN.match(suggestion) else ""
    return f"use lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit{example}"


def _duplicate_names(tables: list[Any], lines: _Lines) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for at, table in enumerate(tables):
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name:
            continue
        if name in first:
            was = first[name]
            yield Problem(
                MANIFEST,
                lines.of_key(at, "name"),
                f"repo[{at}].name",
                f'"{name}" is also the name of repo[{was}] (line {lines.of_key(was, "name")}); '
                "give each repository its own name",
            )
        else:
            first[name] = at


def clean_folder(text: str) -> str | None:
    """A folder inside a repository, normalised (``./docs/decisions/`` -> ``docs/decisions``); None if it leads outside.

    The same rule holds for a folder named in the manifest and for one a fetched repository's own
    configuration names: a log may not point outside its repository (``..``, an absolute path).
    """
    text = text.strip().replace("\\", "/")
    if not text or text.startswith("/") or re.match(r"^[A-Za-z]:", text) or any(ord(c) < 32 for c in text):
        return None if text else ""
    parts = [p for p in PurePosixPath(text).parts if p != "."]
    return None if ".." in parts or not parts else "/".join(parts)
