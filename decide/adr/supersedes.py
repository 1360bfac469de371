"""Which imported record supersedes or amends which: links resolved to files, made consistent (superseded once, no cycles)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from decide.adr.formats import Link, Note, Record
from decide.adr.names import read_name

_NUMBER = re.compile(r"^(?:adr[-_ #]?|#)?0*(\d+)(?:\D|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Succession:
    """``older``: newer file -> the files it supersedes; ``successor``: older file -> newer; ``amends``: newer -> older ones.

    ``notes`` are per file.
    """

    older: Mapping[str, tuple[str, ...]]
    successor: Mapping[str, str]
    notes: Mapping[str, tuple[Note, ...]]
    amends: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def resolve_succession(
    records: Sequence[Record], already: Mapping[str, str], superseded: Collection[str]
) -> Succession:
    """Supersede and amend links of the new ``records`` between them and the files ``already`` imported (name -> ID).

    ``superseded`` holds IDs the log already shows as superseded: they cannot be superseded again.
    """
    notes: dict[str, list[Note]] = {}
    names = {r.name for r in records} | set(already)
    by_number = _numbers(names)
    supersede_pairs, amend_pairs = _pairs(records, names, by_number, notes)
    successor: dict[str, str] = {}
    for newer, older in dict.fromkeys(supersede_pairs):
        why = _refuse(newer, older, already, superseded, successor)
        if why:
            notes.setdefault(why[0], []).append(why[1])
        elif not (newer in already and older in already):
            successor[older] = newer
    for older in _cycles(successor):
        newer = successor.pop(older)
        message = f"the supersede links between {older} and {newer} form a cycle; this one was not kept"
        notes.setdefault(older, []).append(Note("supersedes", message, True))
    olders: dict[str, list[str]] = {}
    for older, newer in sorted(successor.items()):
        olders.setdefault(newer, []).append(older)
    amends = _amendments(dict.fromkeys(amend_pairs), already, notes)
    return Succession(
        {k: tuple(v) for k, v in olders.items()},
        successor,
        {k: tuple(dict.fromkeys(v)) for k, v in notes.items()},
        amends,
    )


def _numbers(names: Collection[str]) -> dict[int, list[str]]:
    by_number: dict[int, list[str]] = {}
    for name in sorted(names):
        parts = read_name(name)
        if parts and parts.number:
            by_number.setdefault(int(parts.number), []).append(name)
    return by_number


def _pairs(
    records: Sequence[Record], names: set[str], by_number: Mapping[int, list[str]], notes: dict[str, list[Note]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(newer, older)`` for every supersede and every amend link that names a file; a note for each that does not."""
    supersede: list[tuple[str, str]] = []
    amend: list[tuple[str, str]] = []
    for record in records:
        for links, newer_first, pairs in (
            (record.superseded_by, True, supersede),
            (record.supersedes, False, supersede),
            (record.amended_by, True, amend),
            (record.amends, False, amend),
        ):
            for link in links:
                target = _resolve(link, names, by_number)
                if target is None:
                    if not link.target:  # a link's own URL is checked where it is, in the body
                        notes.setdefault(record.name, []).append(_missing(link))
                elif target != record.name:
                    pairs.append((target, record.name) if newer_first else (record.name, target))
    return supersede, amend


def _resolve(link: Link, names: set[str], by_number: Mapping[int, list[str]]) -> str | None:
    """The file a link points to: by its file name, else by a number that only one file has."""
    if "://" in link.target or link.target.startswith("mailto:"):
        return None
    base = posixpath.basename(unquote(link.target.split("#")[0].split("?")[0]))
    for candidate in (base, base + ".md", link.text, link.text + ".md"):
        if candidate in names:
            return candidate
    for text in (base, link.text):
        match = _NUMBER.match(text.strip())
        same = by_number.get(int(match.group(1)), []) if match else []
        if len(same) == 1:
            return same[0]
    return None


def _missing(link: Link) -> Note:
    message = f'{link.relation} "{link.text}": no such record in the folder; not linked'
    return Note("links", message, kind="relations to records not in the folder")


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


def _amendments(
    pairs: Mapping[tuple[str, str], None], already: Mapping[str, str], notes: dict[str, list[Note]]
) -> dict[str, tuple[str, ...]]:
    """Newer file -> the older files it amends; an amendment by a memo imported before is a note on the older one."""
    amends: dict[str, list[str]] = {}
    for newer, older in sorted(pairs):
        if newer in already and older not in already:
            message = (
                f"amended by {newer}, imported before as {already[newer]}; add this memo's ID to its amends by hand"
            )
            notes.setdefault(older, []).append(Note("amends", message, True))
        elif not (newer in already and older in already):
            amends.setdefault(newer, []).append(older)
    return {k: tuple(v) for k, v in amends.items()}


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
