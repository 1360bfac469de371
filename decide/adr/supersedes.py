"""Which imported record supersedes which: links resolved to files, made consistent (superseded once, no cycles)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from decide.adr.formats import Link, Note, Record

_NUMBER = re.compile(r"^(?:adr[-_ ]?)?0*(\d+)(?:\D|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Succession:
    """``older``: newer file -> the files it supersedes; ``successor``: older file -> newer; notes per file."""

    older: Mapping[str, tuple[str, ...]]
    successor: Mapping[str, str]
    notes: Mapping[str, tuple[Note, ...]]


def resolve_succession(
    records: Sequence[Record], already: Mapping[str, str], superseded: Collection[str]
) -> Succession:
    """Supersede links of the new ``records`` between them and the files ``already`` imported (name -> ID).

    ``superseded`` holds IDs the log already shows as superseded: they cannot be superseded again.
    """
    notes: dict[str, list[Note]] = {}
    pairs = _pairs(records, set(already), notes)
    successor: dict[str, str] = {}
    for newer, older in dict.fromkeys(pairs):
        why = _refuse(newer, older, already, superseded, successor)
        if why:
            notes.setdefault(why[0], []).append(why[1])
        elif not (newer in already and older in already):
            successor[older] = newer
    for older in _cycles(successor):
        newer = successor.pop(older)
        notes.setdefault(older, []).append(
            Note(
                "supersedes",
                f"the supersede links between {older} and {newer} form a cycle; this one was not kept",
                True,
            )
        )
    olders: dict[str, list[str]] = {}
    for older, newer in sorted(successor.items()):
        olders.setdefault(newer, []).append(older)
    return Succession(
        {k: tuple(v) for k, v in olders.items()}, successor, {k: tuple(dict.fromkeys(v)) for k, v in notes.items()}
    )


def _pairs(records: Sequence[Record], others: set[str], notes: dict[str, list[Note]]) -> list[tuple[str, str]]:
    """``(newer, older)`` for every link that names a file in the folder; a note for every link that does not."""
    names = {r.name for r in records} | others
    by_number: dict[int, list[str]] = {}
    for name in sorted(names):
        match = _NUMBER.match(name)
        if match:
            by_number.setdefault(int(match.group(1)), []).append(name)
    pairs = []
    for record in records:
        for link, newer_first in [(x, True) for x in record.superseded_by] + [(x, False) for x in record.supersedes]:
            target = _resolve(link, names, by_number)
            if target is None:
                notes.setdefault(record.name, []).append(_missing(link))
            elif target != record.name:
                pairs.append((target, record.name) if newer_first else (record.name, target))
    return pairs


def _resolve(link: Link, names: set[str], by_number: Mapping[int, list[str]]) -> str | None:
    """The file a link points to: by its file name, else by a number that only one file has."""
    if "://" in link.target:
        return None
    base = posixpath.basename(link.target.split("#")[0].split("?")[0])
    for candidate in (base, base + ".md"):
        if candidate in names:
            return candidate
    for text in (base, link.text):
        match = _NUMBER.match(text)
        same = by_number.get(int(match.group(1)), []) if match else []
        if len(same) == 1:
            return same[0]
    return None


def _missing(link: Link) -> Note:
    return Note(
        "links",
        f'{link.relation} "{link.target}": no such record in the folder; the link stays in the body only',
    )


def _refuse(
    newer: str, older: str, already: Mapping[str, str], superseded: Collection[str], successor: Mapping[str, str]
) -> tuple[str, Note] | None:
    """Why a link cannot become ``supersedes`` on the newer memo: ``(file to note, note)``, or None."""
    if newer in already and older not in already:
        message = (
            f"superseded by {newer}, imported before as {already[newer]}; add this memo's ID to its supersedes by hand"
        )
        return older, Note("supersedes", message, True)
    if older in already and already[older] in superseded:
        return newer, Note(
            "supersedes", f"{older} ({already[older]}) is already superseded in the log; link not kept", True
        )
    if older in successor and successor[older] != newer:
        message = (
            f"superseded by both {successor[older]} and {newer}; kept {successor[older]} (a memo is superseded once)"
        )
        return older, Note("supersedes", message, True)
    return None


def _cycles(successor: Mapping[str, str]) -> list[str]:
    """One file of each cycle in the older -> newer graph (each file has at most one successor)."""
    done: set[str] = set()
    found = []
    for start in sorted(successor):
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = successor.get(node)
        if node is not None and node in path:
            found.append(min(path[path.index(node) :]))
        done.update(path)
    return found
