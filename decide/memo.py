"""One decision memo: the typed record, and reading a memo file into it (the YAML itself is ``decide.yaml_lines``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from decide.files import Unreadable, read_bounded
from decide.problem import Problem
from decide.yaml_lines import FieldPath, read_yaml

MAX_BYTES = 1_000_000
_OPEN = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


@dataclass(frozen=True)
class Input:
    """Someone or something consulted before the call."""

    who: str
    what: str = ""
    link: str = ""


@dataclass(frozen=True)
class Escalation:
    """When the call goes up, and to whom."""

    trigger: str
    to: str


@dataclass(frozen=True)
class Review:
    """A dated record that the decision was reviewed and still holds."""

    date: str
    by: str = ""
    note: str = ""
    due: str = ""


@dataclass(frozen=True)
class Memo:
    """A parsed memo. Accessors are lenient: a wrongly typed field reads as empty (validation reports it)."""

    path: str
    data: Mapping[str, Any]
    body: str
    body_line: int
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)

    def line_of(self, where: FieldPath) -> int:
        """The line of the field at ``where`` or of its nearest parent; 1 (the opening ``---``) if unknown."""
        for end in range(len(where), 0, -1):
            line = self.lines.get(where[:end])
            if line:
                return line
        return 1

    def _str(self, key: str) -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) else ""

    def _strs(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    @property
    def id(self) -> str:
        return self._str("id")

    @property
    def title(self) -> str:
        return self._str("title")

    @property
    def status(self) -> str:
        return self._str("status")

    @property
    def date(self) -> str:
        return self._str("date")

    @property
    def decided_on(self) -> str:
        return self._str("decided_on")

    @property
    def dri(self) -> str:
        return self._str("dri")

    @property
    def review_by(self) -> str:
        return self._str("review_by")

    @property
    def closed_on(self) -> str:
        return self._str("closed_on")

    @property
    def reason(self) -> str:
        return self._str("reason")

    @property
    def supersedes(self) -> tuple[str, ...]:
        return self._strs("supersedes")

    @property
    def amends(self) -> tuple[str, ...]:
        return self._strs("amends")

    @property
    def tags(self) -> tuple[str, ...]:
        return self._strs("tags")

    @property
    def needs_human(self) -> tuple[str, ...]:
        """What a person must still do to the memo (``needs_human``, written by the import)."""
        return self._strs("needs_human")

    @property
    def aliases(self) -> tuple[str, ...]:
        return self._strs("aliases")

    @property
    def imported_from(self) -> str:
        imported = self.data.get("imported")
        return str(imported.get("from", "")) if isinstance(imported, dict) else ""

    @property
    def imported_source(self) -> str:
        """The original file of an imported memo (``imported.source``), or ''."""
        imported = self.data.get("imported")
        return str(imported.get("source", "")) if isinstance(imported, dict) else ""

    @property
    def inputs(self) -> tuple[Input, ...]:
        value = self.data.get("inputs")
        return tuple(_input(v) for v in value if isinstance(v, str | dict)) if isinstance(value, list) else ()

    @property
    def escalation(self) -> Escalation | None:
        value = self.data.get("escalation")
        if not isinstance(value, dict):
            return None
        return Escalation(trigger=str(value.get("trigger") or ""), to=str(value.get("to") or ""))

    @property
    def reviews(self) -> tuple[Review, ...]:
        value = self.data.get("reviews")
        if not isinstance(value, list):
            return ()
        return tuple(
            Review(**{k: str(r.get(k) or "") for k in ("date", "by", "note", "due")})
            for r in value
            if isinstance(r, dict)
        )


def _input(value: str | dict[str, Any]) -> Input:
    if isinstance(value, str):
        return Input(who=value)
    return Input(who=str(value.get("who") or ""), what=str(value.get("what") or ""), link=str(value.get("link") or ""))


@dataclass(frozen=True)
class Parsed:
    """The result of parsing one file: the memo when the front-matter could be read, and every problem."""

    memo: Memo | None
    problems: tuple[Problem, ...]


def load(path: Path | str, root: Path) -> Parsed:
    """Read and parse one memo file; every failure becomes a problem naming the file (line 1 when it is the whole file)."""
    rel = _relative(path, root)
    try:
        raw = read_bounded(path, limit=MAX_BYTES, links=False)
    except Unreadable as exc:
        message = _UNREADABLE.get(exc.kind, exc.why)
        return _fail(rel, 1, message.format(mb=exc.size / 1e6) if exc.kind == "large" else message)
    return parse_bytes(raw, rel)


_UNREADABLE = {
    "link": "is a symbolic link; a memo must be a regular file (move the real file here)",
    "directory": "is a directory, not a memo; rename it so it does not end in .md",
    # A named pipe would block the read forever, a device fill the memory.
    "special": "is not a regular file (a pipe, socket or device); a memo must be a plain file",
    "large": "is {mb:.1f} MB; a memo is at most 1 MB: link large material instead",
}


def too_large(path: str, size: int) -> Parsed:
    """The problem with a memo of ``size`` bytes, over MAX_BYTES (read from disk or from git)."""
    return _fail(path, 1, _UNREADABLE["large"].format(mb=size / 1e6))


def parse_bytes(raw: bytes, path: str) -> Parsed:
    """Decode UTF-8 (a BOM is accepted and ignored) and parse."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _fail(path, line, f"is not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
    return parse(text.removeprefix("\ufeff"), path)


def parse(text: str, path: str) -> Parsed:
    """Parse a memo's text. Pure: no IO. CRLF line endings are accepted."""
    if not text.strip():
        return _fail(path, 1, "is empty; a memo starts with a '---' line, its fields, and another '---' line")
    opening = _OPEN.match(text)
    if not opening:
        return _fail(path, 1, "has no front-matter; start the file with a '---' line, the fields, then '---'")
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        return _fail(path, 1, "front-matter is never closed; add a '---' line after the last field")
    front = text[opening.end() : closing.start()]
    if "\t" in front:
        tabs = [
            Problem(path, number, "", "tab in indentation; YAML needs spaces")
            for number, line in enumerate(front.split("\n"), start=2)
            if "\t" in line[: len(line) - len(line.lstrip())]
        ]
        if tabs:
            return Parsed(None, tuple(tabs))
    body_line = text.count("\n", 0, closing.end()) + 1
    return _parse_front(front, path, text[closing.end() :], body_line)


def _parse_front(front: str, path: str, body: str, body_line: int) -> Parsed:
    data, lines, problems = read_yaml(front, path, first_line=2, mapping=True)
    if problems:
        return Parsed(None, problems)
    return Parsed(Memo(path, MappingProxyType(data), body, body_line, MappingProxyType(lines)), ())


def _relative(path: Path | str, root: Path) -> str:
    text, prefix = str(path), str(root) + os.sep
    relative = text[len(prefix) :] if text.startswith(prefix) else text
    return relative.replace(os.sep, "/")


def _fail(path: str, line: int, message: str) -> Parsed:
    return Parsed(None, (Problem(path, line, "", message),))
