"""Status words and relations in every written form: MADR 2/3/4, adr-tools, with links and without."""

from __future__ import annotations

import pytest

from decide.adr.relations import Link, read_status


@pytest.mark.parametrize(
    ("text", "words", "links"),
    [
        ("superseded by ADR-0057", ("superseded",), (Link("superseded by", "ADR-0057"),)),
        ("accepted; supersedes ADR-0045", ("accepted",), (Link("supersedes", "ADR-0045"),)),
        (
            "superseded by [ADR-0005](0005-example.md)",
            ("superseded",),
            (Link("superseded by", "ADR-0005", "0005-example.md"),),
        ),
        (
            "Accepted, supersedes [ADR-0003](0003-a.md)",
            ("accepted",),
            (Link("supersedes", "ADR-0003", "0003-a.md"),),
        ),
        (
            "Superceded by [2. Use X](0002-use-x.md)",
            ("superseded",),
            (Link("superseded by", "2. Use X", "0002-use-x.md"),),
        ),
        (
            "Partly superseded by [ADR 0002](0002-b.md)",
            ("accepted",),
            (Link("amended by", "ADR 0002", "0002-b.md"),),
        ),
        ("accepted; partly superseded by ADR-0062", ("accepted",), (Link("amended by", "ADR-0062"),)),
        ("Partly superseded", ("accepted",), ()),
        (
            "Accepted Amended by [16. Use Elite2](0016-e.md)",
            ("accepted",),
            (Link("amended by", "16. Use Elite2", "0016-e.md"),),
        ),
        ("Amends [6. Profiles](0006-p.md) (direction only)", (), (Link("amends", "6. Profiles", "0006-p.md"),)),
        (
            "superseded by ADR-0003 and ADR-0004",
            ("superseded",),
            (Link("superseded by", "ADR-0003"), Link("superseded by", "ADR-0004")),
        ),
        ("supersedes 12, 13", (), (Link("supersedes", "12"), Link("supersedes", "13"))),
        ("superseded by 20201016-use-slugs", ("superseded",), (Link("superseded by", "20201016-use-slugs"),)),
        ("Rejected (see [019](0019-x.md))", ("rejected",), (Link("see", "019", "0019-x.md"),)),
        ("Relates to [2](0002-x.md)", (), (Link("Relates to", "2", "0002-x.md"),)),
        ("Accepted Deprecated", ("accepted", "deprecated"), ()),
        ("superseded by 2024-01-01", ("superseded",), ()),
        ("WIP", (), ()),
    ],
)
def test_status_forms(text: str, words: tuple[str, ...], links: tuple[Link, ...]) -> None:
    found = read_status(text)
    assert (found.words, found.links) == (words, links)


def test_prose_keeps_the_words_of_links() -> None:
    found = read_status("Rejected (see [019](0019-x.md))")
    assert (found.prose, found.said) == ("Rejected (see 019)", "Rejected (see 019)")
    assert read_status("accepted; supersedes ADR-0045").said == "accepted"
