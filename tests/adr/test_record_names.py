"""What a record's file name and title say: number or date, a title without prefixes, a derived ID."""

from __future__ import annotations

import pytest

from decide.adr.names import CleanTitle, FileName, clean_title, derive_id, read_name
from decide.ids import ID_PATTERN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("0001-use-x.md", FileName("0001-use-x", number="0001", words="use-x")),
        ("adr-001-use-x.md", FileName("adr-001-use-x", number="001", words="use-x")),
        ("ADR-0001-use-x.md", FileName("ADR-0001-use-x", number="0001", words="use-x")),
        ("001_use_x.md", FileName("001_use_x", number="001", words="use_x")),
        ("2023-05-15-use-x.md", FileName("2023-05-15-use-x", date="2023-05-15", words="use-x")),
        ("20230515-use-x.md", FileName("20230515-use-x", date="2023-05-15", words="use-x")),
        ("README.md", None),
        ("adr-template.md", None),
    ],
)
def test_file_name_styles(name: str, expected: FileName | None) -> None:
    assert read_name(name) == expected


@pytest.mark.parametrize(
    ("heading", "number", "expected"),
    [
        ("12. Use X", "0012", CleanTitle("Use X", "12")),
        ("23 Use X", "0023", CleanTitle("Use X", "23")),
        ("3 tier architecture", "0007", CleanTitle("3 tier architecture")),
        ("3-tier architecture", "0003", CleanTitle("3-tier architecture")),
        ("1.5 release train", "0001", CleanTitle("1.5 release train")),
        (
            "[Superseded by [ADR-0017](0017-persist-dex.md)] Do not persist Dex",
            "0016",
            CleanTitle("Do not persist Dex"),
        ),
        ("[Deprecated] Use jQuery", "0002", CleanTitle("Use jQuery")),
        ("Architecture Decision Record: Caching Strategy", "", CleanTitle("Caching Strategy")),
        ("ADR-0077: Wall mirrors", "0077", CleanTitle("Wall mirrors", "77")),
        ("ADR 0004: Hosted Auth Boundary", "0004", CleanTitle("Hosted Auth Boundary", "4")),
        ("ADR-004 — Idempotent ingestion", "004", CleanTitle("Idempotent ingestion", "4")),
        ("0001 — Canonical AGENTS.md", "0001", CleanTitle("Canonical AGENTS.md", "1")),
        ("ADR-tools are fine", "0001", CleanTitle("ADR-tools are fine")),
        ("12.", "0012", CleanTitle("12.")),
    ],
)
def test_titles_lose_the_prefixes_teams_strip(heading: str, number: str, expected: CleanTitle) -> None:
    assert clean_title(heading, number) == expected


def test_derived_ids_are_ids_and_depend_only_on_the_seed_and_what_is_taken() -> None:
    first = derive_id("doc/adr\0a.md\0x", set())
    assert ID_PATTERN.match(first)
    assert derive_id("doc/adr\0a.md\0x", set()) == first
    assert derive_id("doc/adr\0b.md\0x", set()) != first
    again = derive_id("doc/adr\0a.md\0x", {first})
    assert again != first and ID_PATTERN.match(again)
