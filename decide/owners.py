"""Routing reviews: CODEOWNERS lines that send every memo to its DRI, so the DRI must approve changes to it.

Only what GitHub accepts is written: a user's ``@handle`` (letters, digits and single hyphens, at
most 39) or an email address; a team is never a DRI. A file name is written as a pattern that
matches only itself: characters CODEOWNERS reads as syntax (spaces, ``#``, ``!``, ``[ ]``,
backslashes, ``*``) become ``*``, which still matches only this memo, since the pattern starts
with its unique ID; a name holding a line break or control character is not written at all. The
generated lines live in one marked block that ``write_owners`` replaces in place, on the main
branch only (see docs/ci.md): pull requests never touch the file, so two of them cannot conflict.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from decide.ids import ALPHABET
from decide.memo import Memo
from decide.person import parse_person
from decide.roster import Roster

Resolver = Callable[[str], "str | None"]
BEGIN = "# BEGIN decide owners: each memo's DRI; regenerated on main by 'decide owners --write', do not edit"
END = "# END decide owners"
# GitHub user names: letters, digits and single hyphens inside, at most 39 characters.
_USER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_SAFE = re.compile(r"[^A-Za-z0-9._/-]+")


@dataclass(frozen=True)
class Route:
    """One memo and the CODEOWNERS owner its DRI maps to (None: nobody to route to, and ``why``)."""

    path: str
    id: str
    dri: str
    owner: str | None
    why: str = ""


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


def route(memos: Iterable[Memo], owner: Resolver = owner_of, prefix: str = "") -> Routing:
    """A CODEOWNERS line per memo whose DRI maps to an owner GitHub accepts, in path order; the rest are unroutable.

    ``prefix`` is where the log's root is in the repository ("" or "sub/"): CODEOWNERS paths start at the top.
    """
    routes = sorted((_route(m, owner) for m in memos), key=lambda r: r.path)
    lines = tuple(f"{pattern(prefix + r.path)} {r.owner}" for r in routes if r.owner)
    return Routing(lines, tuple(r for r in routes if not r.owner))


def _route(memo: Memo, owner: Resolver) -> Route:
    found = owner(memo.dri)
    why = _refusal(memo.path, found)
    return Route(memo.path, memo.id, memo.dri, None if why else found, why)


def _refusal(path: str, owner: str | None) -> str:
    """Why ``owner`` cannot be written for the memo at ``path``, or "" when it can."""
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in path):
        return "its file name holds a line break or control character, which CODEOWNERS cannot hold; rename the file"
    if not owner:
        return "has no @handle or email"
    if owner.startswith("@") and "/" in owner:
        return f"{owner} is a team; a DRI is one person: name their @handle"
    if owner.startswith("@") and not _USER.match(owner):
        return f"{owner} is not a GitHub user name (letters, digits and single hyphens, at most 39); fix the handle"
    if not owner.startswith("@") and not _EMAIL.match(owner):
        return f"{owner} is not an email address CODEOWNERS accepts; fix it or name an @handle"
    return ""


def pattern(path: str) -> str:
    """A CODEOWNERS pattern matching exactly this memo file: anything CODEOWNERS reads as syntax becomes ``*``."""
    return "/" + _SAFE.sub("*", path)


def managed_lines(text: str, folder: str) -> list[str]:
    """The lines of a CODEOWNERS file that ``decide owners`` owns: its block, or (as older versions wrote) memo lines."""
    lines = text.splitlines()
    if BEGIN in lines and END in lines[lines.index(BEGIN) :]:
        start = lines.index(BEGIN)
        return [line.rstrip() for line in lines[start + 1 : lines.index(END, start)]]
    memo_line = re.compile(rf"^/{re.escape(folder)}/D-[{ALPHABET}]{{6}}[^/\s]*\s")
    return [line.rstrip() for line in lines if memo_line.match(line)]


def with_block(text: str, lines: Sequence[str], folder: str) -> str:
    """``text`` (a CODEOWNERS file, maybe empty) with the managed block holding ``lines``, last (the last match wins)."""
    kept = text.splitlines()
    if BEGIN in kept and END in kept[kept.index(BEGIN) :]:
        start = kept.index(BEGIN)
        kept = kept[:start] + kept[kept.index(END, start) + 1 :]
    else:
        old = set(managed_lines(text, folder))
        kept = [line for line in kept if line.rstrip() not in old]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, *([""] if kept else []), BEGIN, *lines, END]) + "\n"


def write_owners(path: Path, lines: Sequence[str], folder: str) -> bool:
    """Keep the managed block of the CODEOWNERS file at ``path`` current, creating the file and its folder; whether it changed."""
    from decide.files import replace

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    wanted = with_block(text, lines, folder)
    if wanted == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    replace(path, wanted)
    return True


def stale_diff(text: str, lines: Sequence[str], folder: str, name: str) -> str:
    """A unified diff from the file's decide-managed lines to the current ones; empty when up to date."""
    have = managed_lines(text, folder)
    if have == list(lines):
        return ""
    diff = difflib.unified_diff(have, list(lines), f"{name} (lines for {folder}/)", "decide owners", lineterm="")
    return "\n".join(diff) + "\n"
