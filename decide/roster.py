"""The roster of people (``decisions/people.yml``) and checking each memo's DRI and escalation against it."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from decide.config import Config
from decide.files import ROSTER_BYTES, Unreadable, read_bounded
from decide.memo import Memo
from decide.person import is_tbd, parse_person
from decide.problem import Problem
from decide.suggest import did_you_mean
from decide.yaml_lines import FieldPath, label, load_yaml, quick_records

FIELDS = ("name", "handle", "email", "role")


@dataclass(frozen=True)
class Member:
    """One person on the roster; ``handle`` is kept without its leading ``@``."""

    name: str
    handle: str = ""
    email: str = ""
    role: str = ""


@dataclass(frozen=True)
class Roster:
    """The people a log's memos may name, and the problems of the roster file itself.

    Lookups go through indexes built on first use, so checking 300 memos against 20,000 people
    costs 600 dictionary lookups, not 12 million comparisons.
    """

    path: str
    people: tuple[Member, ...]
    problems: tuple[Problem, ...] = ()

    def find(self, text: str) -> Member | None:
        """The member ``text`` names by email, handle or name (case-insensitive), or None; the first on the roster wins."""
        person = parse_person(text)
        email, handle, name = person.email.casefold(), person.handle.lstrip("@").casefold(), person.name.casefold()
        index = self._index
        found = [index.by_email.get(email) if email else None, index.by_handle.get(handle) if handle else None]
        if not handle:
            found.append(index.by_name.get(name))
        first = min((at for at in found if at is not None), default=None)
        return None if first is None else self.people[first]

    def has_role(self, text: str) -> bool:
        return text.strip().casefold() in self._index.roles

    def names(self) -> list[str]:
        return [m.name for m in self.people] + [f"@{m.handle}" for m in self.people if m.handle]

    def suggest(self, word: str, extra: Sequence[str] = ()) -> str:
        """``did_you_mean`` among the roster's names and handles (and ``extra``), fast on a roster of thousands."""
        return self._index.suggest(word, extra)

    @cached_property
    def _index(self) -> _Index:
        return _Index.of(self)


@dataclass(frozen=True)
class _Index:
    """Where each email, handle and name (casefolded) first appears on the roster, the roles, and the words for hints."""

    by_email: dict[str, int]
    by_handle: dict[str, int]
    by_name: dict[str, int]
    roles: frozenset[str]
    words: tuple[str, ...]

    @classmethod
    def of(cls, roster: Roster) -> _Index:
        people = list(enumerate(roster.people))[::-1]  # built from the end, so that the first of twins wins

        def first(field: str) -> dict[str, int]:
            return {getattr(m, field).casefold(): at for at, m in people if getattr(m, field)}

        roles = frozenset(m.role.casefold() for _, m in people if m.role)
        return cls(first("email"), first("handle"), first("name"), roles, tuple(roster.names()))

    def suggest(self, word: str, extra: Sequence[str]) -> str:
        choices = [*self.words, *extra]
        if len(choices) > _SHORTLIST:
            choices = _shortlist(word, choices)
        return did_you_mean(word, choices)


# Above this many names, a "did you mean" hint compares the word with the names sharing most letter pairs with it:
# difflib against 40,000 names takes over a second a memo.
_SHORTLIST = 500


def _shortlist(word: str, choices: Sequence[str]) -> list[str]:
    """The choices that share most pairs of letters with ``word`` (difflib's ratio rewards the same)."""
    counts: Counter[int] = Counter()
    wanted = _letter_pairs(word)
    for at, choice in enumerate(choices):
        shared = len(wanted & _letter_pairs(choice))
        if shared:
            counts[at] = shared
    return [choices[at] for at, _ in counts.most_common(_SHORTLIST)]


@functools.lru_cache(maxsize=65536)
def _letter_pairs(word: str) -> frozenset[str]:
    folded = word.casefold()
    return frozenset(folded[at : at + 2] for at in range(len(folded) - 1))


def load_roster(config: Config) -> Roster | None:
    """The roster, or None when the log has none; a file that is not a regular one, or too big, is a problem."""
    try:
        raw = read_bounded(config.roster_path, limit=ROSTER_BYTES)
    except Unreadable as exc:
        if exc.kind == "missing" and not os.path.lexists(config.roster_path):
            return None
        return Roster(config.roster, (), (Problem(config.roster, 1, "", f"{exc.why}; {_FIX}"),))
    return parse_roster_bytes(raw, config.roster)


_FIX = 'the roster must be a plain YAML file listing people ("- name: Ana Ruiz")'


def parse_roster_bytes(raw: bytes | None, path: str) -> Roster | None:
    """Read a roster file's bytes (as git gives them; None: there is no roster)."""
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return Roster(path, (), (Problem(path, 1, "", f"cannot be read: {exc}"),))
    return parse_roster(text, path)


def may_break_memos(old: Roster | None, new: Roster | None) -> bool:
    """Whether a memo that was fine with roster ``old`` may name someone missing from roster ``new``.

    No usable roster (none, or one with problems) checks nobody, and adding people only lets
    more memos through; any other change may leave a memo naming someone who is gone.
    """
    if new is None or new.problems:
        return False
    if old is None or old.problems:
        return True
    return not set(old.people) <= set(new.people)


def parse_roster(text: str, path: str) -> Roster:
    """Read a roster's text; a roster with problems has no people (a partial one would flag the wrong memos)."""
    quick = quick_records(text)
    data, lines, problems = (*quick, ()) if quick else load_yaml(text, path)
    if problems:
        return Roster(path, (), problems)
    if not isinstance(data, list):
        message = 'must be a list of people: "- name: Ana Ruiz" with optional handle, email and role lines'
        return Roster(path, (), (Problem(path, 1, "", message),))
    found = [
        p
        for index, entry in enumerate(data)
        if not _plain(entry)
        for p in _entry_problems(entry, (index,), path, lines)
    ]
    if found:
        return Roster(path, (), tuple(found))
    return Roster(path, tuple(_member(entry) for entry in data))


def _plain(entry: Any) -> bool:
    """An entry that is plainly fine (the common case, checked at a glance on a roster of thousands)."""
    return (
        isinstance(entry, dict)
        and entry.keys() <= _FIELD_SET
        and all(isinstance(value, str) for value in entry.values())
        and bool(entry.get("name", "").strip())
        and all(len(entry.get(key, "").split()) < 2 for key in ("handle", "email"))
    )


_FIELD_SET = frozenset(FIELDS)


def _entry_problems(entry: Any, where: FieldPath, path: str, lines: dict[FieldPath, int]) -> Iterator[Problem]:
    line = lines.get(where, 1)
    if not isinstance(entry, dict):
        yield Problem(path, line, label(where), 'must be "name: …" with optional handle, email and role')
        return
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        yield Problem(path, line, label((*where, "name")), 'missing; add "name: Ana Ruiz"')
    for key, value in entry.items():
        at = lines.get((*where, key), line)
        if key not in FIELDS:
            hint = did_you_mean(key, FIELDS) or f"; known fields: {', '.join(FIELDS)}"
            yield Problem(path, at, label((*where, key)), f"unknown field{hint}")
        else:
            why = _value_problem(key, value)
            if why:
                yield Problem(path, at, label((*where, key)), why)


def _value_problem(key: str, value: Any) -> str | None:
    """What is wrong with one field's value; a handle or email goes into CODEOWNERS, where a space splits it in two."""
    if not isinstance(value, str):
        return "must be text"
    words = value.strip().lstrip("@").split()
    if len(words) < 2 or key not in ("handle", "email"):
        return None
    if key == "handle":
        return f'"{value}" has a space; a handle is one word, the user name (e.g. "{"-".join(words)}")'
    address = next((w.strip("<>,;") for w in words if "@" in w), "ana@example.com")
    return f'"{value}" has a space; write the address alone (e.g. "{address}")'


def _member(entry: dict[str, str]) -> Member:
    return Member(
        name=entry["name"].strip(),
        handle=entry.get("handle", "").strip().lstrip("@"),
        email=entry.get("email", "").strip(),
        role=entry.get("role", "").strip(),
    )


def check_people(memo: Memo, roster: Roster | None) -> list[Problem]:
    """The memo's DRI must be a person on the roster; ``escalation.to`` a person or a role on it."""
    if roster is None or roster.problems:
        return []
    problems = []
    dri = memo.dri.strip()
    if dri and not is_tbd(dri) and roster.find(dri) is None:
        problems.append(Problem(memo.path, memo.line_of(("dri",)), "dri", _not_listed(dri, roster)))
    to = memo.escalation.to.strip() if memo.escalation else ""
    if to and roster.find(to) is None and not roster.has_role(to):
        roles = sorted({m.role for m in roster.people if m.role})
        message = _not_listed(to, roster, roles).replace("is not in", "is neither a person nor a role in")
        problems.append(Problem(memo.path, memo.line_of(("escalation", "to")), "escalation.to", message))
    return problems


def _not_listed(text: str, roster: Roster, roles: Sequence[str] = ()) -> str:
    person = parse_person(text)
    hint = roster.suggest(person.handle or person.name, roles)
    return f'"{text}" is not in {roster.path}' + (hint or "; add them there or name someone who is")
