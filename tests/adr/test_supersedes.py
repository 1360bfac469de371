"""Supersede links between imported records: resolved to files, superseded once, no cycles."""

from __future__ import annotations

from decide.adr.formats import Link, Note, Record
from decide.adr.supersedes import resolve_succession


def rec(name: str, *, supersedes: tuple[str, ...] = (), superseded_by: tuple[str, ...] = ()) -> Record:
    return Record(
        name=name,
        fmt="adr-tools",
        number=name[:4],
        title="A title",
        date="2020-01-01",
        status="Accepted",
        statuses=("accepted",),
        supersedes=tuple(Link("Supersedes", t, t) for t in supersedes),
        superseded_by=tuple(Link("Superseded by", t, t) for t in superseded_by),
    )


def test_links_from_both_sides_make_one_edge() -> None:
    found = resolve_succession(
        [rec("0001-a.md", superseded_by=("0002-b.md",)), rec("0002-b.md", supersedes=("0001-a.md",))], {}, set()
    )
    assert (found.older, found.successor, found.notes) == (
        {"0002-b.md": ("0001-a.md",)},
        {"0001-a.md": "0002-b.md"},
        {},
    )


def test_link_by_number_when_the_file_was_renamed() -> None:
    found = resolve_succession([rec("0001-a.md"), rec("0002-b.md", supersedes=("0001-old-name.md",))], {}, set())
    assert found.successor == {"0001-a.md": "0002-b.md"}


def test_link_to_a_missing_record_is_a_note() -> None:
    found = resolve_succession([rec("0002-b.md", supersedes=("0009-gone.md",))], {}, set())
    assert found.successor == {}
    assert found.notes == {
        "0002-b.md": (
            Note("links", 'Supersedes "0009-gone.md": no such record in the folder; the link stays in the body only'),
        )
    }


def test_web_links_are_never_records() -> None:
    found = resolve_succession([rec("0001-a.md"), rec("0002-b.md", supersedes=("https://x.example/1",))], {}, set())
    assert found.successor == {}


def test_superseded_twice_keeps_the_first() -> None:
    found = resolve_succession(
        [rec("0001-a.md"), rec("0002-b.md", supersedes=("0001-a.md",)), rec("0003-c.md", supersedes=("0001-a.md",))],
        {},
        set(),
    )
    assert found.successor == {"0001-a.md": "0002-b.md"}
    assert found.notes["0001-a.md"] == (
        Note(
            "supersedes", "superseded by both 0002-b.md and 0003-c.md; kept 0002-b.md (a memo is superseded once)", True
        ),
    )


def test_cycle_is_broken_with_a_note() -> None:
    found = resolve_succession(
        [rec("0001-a.md", supersedes=("0002-b.md",)), rec("0002-b.md", supersedes=("0001-a.md",))], {}, set()
    )
    assert len(found.successor) == 1
    assert found.notes["0001-a.md"] == (
        Note(
            "supersedes",
            "the supersede links between 0001-a.md and 0002-b.md form a cycle; this one was not kept",
            True,
        ),
    )


def test_newer_record_imported_before_cannot_be_edited() -> None:
    found = resolve_succession([rec("0001-a.md", superseded_by=("0002-b.md",))], {"0002-b.md": "D-BBBBBB"}, set())
    assert found.successor == {}
    assert found.notes["0001-a.md"][0].message == (
        "superseded by 0002-b.md, imported before as D-BBBBBB; add this memo's ID to its supersedes by hand"
    )


def test_older_record_imported_before_is_superseded_by_its_id() -> None:
    found = resolve_succession([rec("0002-b.md", supersedes=("0001-a.md",))], {"0001-a.md": "D-AAAAAA"}, set())
    assert found.older == {"0002-b.md": ("0001-a.md",)}
    refused = resolve_succession([rec("0002-b.md", supersedes=("0001-a.md",))], {"0001-a.md": "D-AAAAAA"}, {"D-AAAAAA"})
    assert refused.older == {}
    assert (
        refused.notes["0002-b.md"][0].message == "0001-a.md (D-AAAAAA) is already superseded in the log; link not kept"
    )
