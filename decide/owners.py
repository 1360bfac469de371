"""Routing reviews: CODEOWNERS lines that send every memo to its DRI, so the DRI must approve changes to it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from decide.ids import ALPHABET
from decide.memo import Memo
from decide.person import parse_person
from decide.roster import Roster

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Route:
    """One memo and the CODEOWNERS owner its DRI maps to (None: nobody to route to)."""

    path: str
    id: str
    dri: str
    owner: str | None


@dataclass(frozen=True)
class Routing:
    """The CODEOWNERS lines for a log, and the memos that could not be routed."""

    lines: tuple[str, ...]
    unroutable: tuple[Route, ...]


def owner_of(dri: str) -> str | None:
    """The CODEOWNERS owner for a DRI as written in a memo: its ``@handle``, else its email, else None.

    ``route`` takes any function of this shape; ``roster_owner`` looks the DRI up on the roster first.
    """
    person = parse_person(dri)
    return person.handle or person.email or None


def roster_owner(roster: Roster | None) -> Resolver:
    """``owner_of``, but a DRI on the roster (``decisions/people.yml``) routes to its handle there, else its email."""

    def owner(dri: str) -> str | None:
        member = roster.find(dri) if roster is not None else None
        if member is not None and (member.handle or member.email):
            return f"@{member.handle}" if member.handle else member.email
        return owner_of(dri)

    return owner


def route(memos: Iterable[Memo], owner: Resolver = owner_of) -> Routing:
    """A CODEOWNERS line per memo whose DRI maps to an owner, in path order; the rest are unroutable."""
    routes = sorted((Route(m.path, m.id, m.dri, owner(m.dri)) for m in memos), key=lambda r: r.path)
    lines = tuple(f"/{_escape(r.path)} {r.owner}" for r in routes if r.owner)
    return Routing(lines, tuple(r for r in routes if not r.owner))


def _escape(path: str) -> str:
    return path.replace("\\", "\\\\").replace(" ", "\\ ")


def managed_lines(text: str, folder: str) -> list[str]:
    """The lines of a CODEOWNERS file that ``decide owners`` writes: a memo file's path, then owners."""
    memo_line = re.compile(rf"^/{re.escape(folder)}/D-[{ALPHABET}]{{6}}[^/\s]*\s")
    return [line.rstrip() for line in text.splitlines() if memo_line.match(line)]


def stale_diff(text: str, lines: Sequence[str], folder: str, name: str) -> str:
    """A unified diff from the file's decide-managed lines to the current ones; empty when up to date."""
    have = managed_lines(text, folder)
    if have == list(lines):
        return ""
    diff = difflib.unified_diff(have, list(lines), f"{name} (lines for {folder}/)", "decide owners", lineterm="")
    return "\n".join(diff) + "\n"
