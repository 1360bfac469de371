"""Who a record names as deciders: a list split the way people write it, and whether each one is a person, a group or a role."""

from __future__ import annotations

import re
from dataclasses import dataclass

from decide.person import why_not_one_person

# A role in the singular names nobody the import could make the DRI ("Deciders: product owner"), though
# decide/person.py lets a memo's DRI be one (see memo D-779J1E). Groups are person.py's own words.
_ROLE_WORDS = frozenset(
    [
        "owner",
        "lead",
        "manager",
        "architect",
        "architecture",
        "engineer",
        "engineering",
        "developer",
        "maintainer",
        "designer",
        "cto",
        "ceo",
        "cio",
        "ciso",
        "coo",
        "cpo",
        "vp",
        "director",
        "head",
        "chair",
        "chairperson",
        "po",
        "pm",
        "em",
        "tl",
        "sre",
        "devops",
        "ops",
        "qa",
        "security",
        "platform",
        "infrastructure",
        "infra",
        "product",
        "ai",
        "agent",
        "assistant",
        "bot",
        "codex",
        "claude",
        "copilot",
        "chatgpt",
        "gpt",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_WRAPPING = " \t[]{}\"'`*_"
_PLACEHOLDER = re.compile(r"^(?:tbd|tba|n/?a|none|nobody|-+|\?+|…|\.\.\.)$|list everyone|^\{", re.IGNORECASE)
_BETWEEN_PEOPLE = re.compile(r"\s+(?:and|&)\s+|\s*[&+]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Decider:
    """One decider as written, the person it names ("" when it names no one person), and why not."""

    text: str
    person: str = ""
    why: str = ""


def split_deciders(value: object) -> tuple[str, ...]:
    """The deciders in a YAML list or a line (``Ana Ruiz (Platform, Berlin), Bo and Chen``), placeholders left out.

    Commas and semicolons inside parentheses do not split; ``and`` splits when it joins a person to
    someone (``Ana Ruiz and Tekton meeting``), so ``Cluster API management and Tekton meeting`` stays one group.
    """
    items = value if isinstance(value, list) else _split_outside_parentheses(as_text(value))
    found: list[str] = []
    for item in items:
        text = as_text(item).strip(_WRAPPING)
        if not text or _PLACEHOLDER.search(text):
            continue
        parts = _BETWEEN_PEOPLE.split(text)
        whole = len(parts) == 1 or "(" in text or not any(read_decider(p).person for p in parts)
        found += [text] if whole else [p.strip(_WRAPPING) for p in parts if p.strip(_WRAPPING)]
    return tuple(dict.fromkeys(found))


def read_decider(text: str) -> Decider:
    """Whether ``text`` names one person the import may make the DRI: ``Ana Ruiz (Platform, Berlin)`` names Ana Ruiz."""
    bare = _bare(text)
    why = why_not_one_person(bare) if bare else f'"{text}" names no one'
    if why:
        return Decider(text, why=why.split("; ")[0])  # what it is, without the advice a memo's author gets
    if _is_role(bare):
        return Decider(text, why=f'"{bare}" is a role, not a name')
    return Decider(text, person=bare)


def as_input(decider: str) -> str:
    """A decider listed under inputs: ``Bo Sand (decider)``, or ``Bo Sand (Security; decider)``."""
    return f"{decider[:-1]}; decider)" if decider.endswith(")") else f"{decider} (decider)"


def _bare(text: str) -> str:
    return " ".join(_PARENTHESES.sub("", text).split()).strip(_WRAPPING)


def _is_role(text: str) -> bool:
    return any(word.casefold() in _ROLE_WORDS for word in _WORD.findall(text)) and "@" not in text


def _split_outside_parentheses(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if char in ",;" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*parts, "".join(current)]


def as_text(value: object) -> str:
    """A YAML value as one line of text: nothing for null, a list joined with commas."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(as_text(v) for v in value)
    return str(value).strip()
