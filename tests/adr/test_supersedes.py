"""Supersede and amend links between imported records: resolved to files, superseded once, no cycles."""

from __future__ import annotations

from decide.adr.formats import Link, Note, Record
from decide.adr.supersedes import resolve_succession


def rec(name: str, **links: tuple[str, ...]) -> Record:
    relation = {
        "supersedes": "supersedes",
        "superseded_by": "superseded by",
        "amends": "amends",
        "amended_by": "amended by",
    }
    return Record(
        name=name,
        fmt="adr-tools",
        number=name[:4],
        title="A title",
        date_text="2020-01-01",
        status="Accepted",
        statuses=("accepted",),
        **{key: tuple(Link(relation[key], t, t) for t in targets) for key, targets in links.items()},
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


def test_a_link_to_a_missing_record_is_left_to_the_body_a_reference_is_a_note() -> None:
    found = resolve_succession([rec("0002-b.md", supersedes=("0009-gone.md",))], {}, set())
    assert (found.successor, found.notes) == ({}, {})
    reference = Record("0002-b.md", "madr", "0002", "B", supersedes=(Link("supersedes", "ADR-0045"),))
    assert resolve_succession([reference], {}, set()).notes == {
        "0002-b.md": (
            Note(
                "links",
                'supersedes "ADR-0045": no such record in the folder; not linked',
                kind="relations to records not in the folder",
            ),
        )
    }


def test_references_without_links_resolve_by_number_or_name() -> None:
    newer = Record("0057-b.md", "madr", "0057", "B", supersedes=(Link("supersedes", "ADR-0045"),))
    older = Record("0056-a.md", "madr", "0056", "A", superseded_by=(Link("superseded by", "ADR-0057"),))
    dated = Record("20201016-slug.md", "log4brains", "", "C", supersedes=(Link("supersedes", "20200926-number"),))
    names = [newer, older, rec("0045-c.md"), dated, Record("20200926-number.md", "log4brains", "", "D")]
    found = resolve_succession(names, {}, set())
    assert found.successor == {
        "0045-c.md": "0057-b.md",
        "0056-a.md": "0057-b.md",
        "20200926-number.md": "20201016-slug.md",
    }
    assert found.older["0057-b.md"] == ("0045-c.md", "0056-a.md")


def test_amends_from_either_side_make_one_link_and_an_amended_memo_may_have_several() -> None:
    found = resolve_succession(
        [
            rec("0012-a.md", amended_by=("0016-b.md",)),
            rec("0016-b.md", amends=("0012-a.md",)),
            rec("0019-c.md", amends=("0012-a.md",)),
        ],
        {},
        set(),
    )
    assert (found.amends, found.successor, found.notes) == (
        {"0016-b.md": ("0012-a.md",), "0019-c.md": ("0012-a.md",)},
        {},
        {},
    )


def test_an_amendment_imported_before_is_a_note_on_the_amended_record() -> None:
    found = resolve_succession([rec("0012-a.md", amended_by=("0016-b.md",))], {"0016-b.md": "D-BBBBBB"}, set())
    assert found.amends == {}
    assert found.notes["0012-a.md"] == (
        Note(
            "amends",
            "amended by 0016-b.md, imported before as D-BBBBBB; add this memo's ID to its amends by hand",
            True,
        ),
    )


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
