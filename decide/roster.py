"""The roster of people (``decisions/people.yml``) and checking each memo's DRI and escalation against it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from decide.config import Config
from decide.memo import Memo
from decide.person import is_tbd, parse_person
from decide.problem import Problem
from decide.suggest import did_you_mean
from decide.yaml_lines import FieldPath, label, load_yaml

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
    """The people a log's memos may name, and the problems of the roster file itself."""

    path: str
    people: tuple[Member, ...]
    problems: tuple[Problem, ...] = ()

    def find(self, text: str) -> Member | None:
        """The member ``text`` names by email, handle or name (case-insensitive), or None."""
        person = parse_person(text)
        email, handle, name = person.email.casefold(), person.handle.lstrip("@").casefold(), person.name.casefold()
        for member in self.people:
            if (email and email == member.email.casefold()) or (handle and handle == member.handle.casefold()):
                return member
            if not handle and name == member.name.casefold():
                return member
        return None

    def has_role(self, text: str) -> bool:
        return any(m.role and m.role.casefold() == text.strip().casefold() for m in self.people)

    def names(self) -> list[str]:
        return [m.name for m in self.people] + [f"@{m.handle}" for m in self.people if m.handle]


def load_roster(config: Config) -> Roster | None:
    """The roster, or None when the log has none."""
    path = config.roster_path
    if not path.exists():
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Roster(config.roster, (), (Problem(config.roster, 1, "", f"cannot be read: {exc}"),))
    return parse_roster_bytes(raw, config.roster)


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
    data, lines, problems = load_yaml(text, path)
    if problems:
        return Roster(path, (), problems)
    if not isinstance(data, list):
        message = 'must be a list of people: "- name: Ana Ruiz" with optional handle, email and role lines'
        return Roster(path, (), (Problem(path, 1, "", message),))
    found = [p for index, entry in enumerate(data) for p in _entry_problems(entry, (index,), path, lines)]
    if found:
        return Roster(path, (), tuple(found))
    return Roster(path, tuple(_member(entry) for entry in data))


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
        problems.append(Problem(memo.path, memo.line_of(("dri",)), "dri", _not_listed(dri, roster.names(), roster)))
    to = memo.escalation.to.strip() if memo.escalation else ""
    if to and roster.find(to) is None and not roster.has_role(to):
        roles = sorted({m.role for m in roster.people if m.role})
        message = _not_listed(to, roster.names() + roles, roster).replace(
            "is not in", "is neither a person nor a role in"
        )
        problems.append(Problem(memo.path, memo.line_of(("escalation", "to")), "escalation.to", message))
    return problems


def _not_listed(text: str, choices: list[str], roster: Roster) -> str:
    person = parse_person(text)
    hint = did_you_mean(person.handle or person.name, choices)
    return f'"{text}" is not in {roster.path}' + (hint or "; add them there or name someone who is")
