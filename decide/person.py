"""People named in memos: one DRI, never a team or two people."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

TBD = "TBD"

# Whole words that name a group rather than a person: a team, a meeting or forum, or people in the plural.
# A role in the singular ("CTO", "product owner") is one person at a time and passes; the ADR import is
# stricter, because a record's "Deciders: product owner" names nobody it could make the DRI.
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
        "meeting",
        "meetings",
        "forum",
        "forums",
        "panel",
        "panels",
        "review",
        "reviews",
        "standup",
        "standups",
        "sync",
        "syncs",
        "assembly",
        "community",
        "org",
        "organisation",
        "organization",
        "company",
        "office",
        "people",
        "members",
        "maintainers",
        "contributors",
        "engineers",
        "developers",
        "architects",
        "reviewers",
        "approvers",
        "deciders",
        "stakeholders",
        "participants",
        "attendees",
    ]
)
_JOINERS = re.compile(r"\sand\s|&|/|\+|,|;", re.IGNORECASE)
_ANGLE = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>@\s]+@[^<>\s]+)>$")
_EMAIL = re.compile(r"^[^<>@\s,;]+@[^<>@\s,;]+$")
_BRACKETED = re.compile(r"<[^<>]*>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
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
    if _EMAIL.match(text):
        return Person(name=text, email=text)
    return Person(name=text)


def is_tbd(text: str) -> bool:
    """Whether ``text`` names nobody yet: ``TBD``, in any case, also with an email (``TBD <x@example.com>``)."""
    return TBD in text.upper() and parse_person(text).name.strip().upper() == TBD


@functools.lru_cache(maxsize=4096)
def why_not_one_person(text: str, *, allow_groups: bool = False) -> str | None:
    """Why ``text`` does not name exactly one person, or None when it does (cached: logs repeat names)."""
    text = text.strip()
    if not text:
        return "is empty; name one person"
    if _CONTROL.search(text):
        return f'"{text}" contains a line break, tab or other control character; name one person on one line'
    if _HANDLE.match(text):
        if "/" in text:
            return f'"{text}" is a team handle; name one person (e.g. "@ana-ruiz")'
        return None
    return _why_not_one_name(text) or (None if allow_groups else _why_group(text))


def _why_not_one_name(text: str) -> str | None:
    # NFKC first, so that full-width joiners (＆ ， ＋ ／) count as the ASCII ones they look like.
    normal = unicodedata.normalize("NFKC", text)
    if not any(c.isalpha() for c in normal):
        return f'"{text}" has no letters, so it names nobody (a number is not a person); write a name, "Name <email>" or "@handle"'
    outside = _BRACKETED.sub(" ", normal)  # the names and what joins them, without any <email>
    if not _EMAIL.match(normal) and _JOINERS.search(f" {outside} "):
        return f'"{text}" names more than one person; name one DRI and list the others under inputs'
    if ("<" in normal or ">" in normal) and not _ANGLE.match(normal):
        return f'"{text}" is not "Name <email>"; write e.g. "Ana Ruiz <ana@example.com>"'
    return None


def _why_group(text: str) -> str | None:
    words = _WORD.findall(unicodedata.normalize("NFKC", text))
    group = sorted({w.casefold() for w in words} & _GROUP_WORDS)
    return f'"{text}" is a group ("{group[0]}"); name one person (e.g. "Ana Ruiz")' if group else None


def display_name(text: str) -> str:
    """A DRI as a person's name: ``Ana Ruiz <ana@example.com>`` and ``Ana Ruiz`` are the same person."""
    return parse_person(text).name
