"""People named in memos: one DRI, never a team or two people."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

TBD = "TBD"

# Whole words that name a group rather than a person.
_GROUP_WORDS = frozenset(
    [
        "team",
        "teams",
        "committee",
        "committees",
        "board",
        "boards",
        "everyone",
        "everybody",
        "all",
        "group",
        "groups",
        "council",
        "squad",
        "squads",
        "department",
        "dept",
        "crew",
        "staff",
        "leads",
        "leadership",
        "folks",
        "guild",
        "chapter",
        "tribe",
        "management",
        "managers",
        "owners",
        "us",
        "we",
        "they",
        "co-leads",
        "co-lead",
        "coleads",
        "colead",
    ]
)
_JOINERS = re.compile(r"\sand\s|&|/|\+|,|;", re.IGNORECASE)
_ANGLE = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>@\s]+@[^<>\s]+)>$")
_HANDLE = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?$")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Person:
    """A person as written in a memo: ``Name``, ``Name <email>`` or ``@handle``."""

    name: str
    email: str = ""
    handle: str = ""


def parse_person(text: str) -> Person:
    """Split ``Ana Ruiz <ana@example.com>`` or ``@ana`` into its parts."""
    text = text.strip()
    if _HANDLE.match(text):
        return Person(name=text, handle=text)
    match = _ANGLE.match(text)
    if match:
        return Person(name=match["name"] or match["email"], email=match["email"])
    return Person(name=text)


@functools.lru_cache(maxsize=4096)
def why_not_one_person(text: str, *, allow_groups: bool = False) -> str | None:
    """Why ``text`` does not name exactly one person, or None when it does (cached: logs repeat names)."""
    text = text.strip()
    if not text:
        return "is empty; name one person"
    if _HANDLE.match(text):
        if "/" in text:
            return f'"{text}" is a team handle; name one person (e.g. "@ana-ruiz")'
        return None
    return _why_not_one_name(text) or (None if allow_groups else _why_group(text))


def _why_not_one_name(text: str) -> str | None:
    person = parse_person(text)
    name = person.name if person.email else text
    if "<" in name or ">" in name:
        return f'"{text}" is not "Name <email>"; write e.g. "Ana Ruiz <ana@example.com>"'
    if _JOINERS.search(f" {name} "):
        return f'"{text}" names more than one person; name one DRI and list the others under inputs'
    return None


def _why_group(text: str) -> str | None:
    group = sorted({w.casefold() for w in _WORD.findall(text)} & _GROUP_WORDS)
    return f'"{text}" is a group ("{group[0]}"); name one person (e.g. "Ana Ruiz")' if group else None
