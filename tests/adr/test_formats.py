"""Parsing records written by adr-tools, MADR and log4brains (fixtures in tests/adr/fixtures/<format>/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from decide.adr.formats import (
    Link,
    Note,
    Record,
    Unreadable,
    decode,
    detect_format,
    is_record_name,
    parse,
    title_from_name,
)

FIXTURES = Path(__file__).parent / "fixtures"


def read(fmt: str, name: str) -> Record | Unreadable:
    text = decode((FIXTURES / fmt / name).read_bytes(), name)
    return text if isinstance(text, Unreadable) else parse(text, name, fmt)


def record(fmt: str, name: str) -> Record:
    found = read(fmt, name)
    assert isinstance(found, Record), found
    return found


def folder_texts(fmt: str) -> dict[str, str]:
    texts = {}
    for path in sorted((FIXTURES / fmt).glob("*.md")):
        text = decode(path.read_bytes(), path.name)
        if isinstance(text, str) and is_record_name(path.name, fmt):
            texts[path.name] = text
    return texts


def test_adr_tools_record_has_title_without_number_date_and_status() -> None:
    found = record("adr-tools", "0001-record-architecture-decisions.md")
    assert (found.number, found.title, found.date) == ("0001", "Record architecture decisions", "2019-03-01")
    assert (found.status, found.statuses, found.notes) == ("Accepted", ("accepted",), ())


def test_adr_tools_body_is_the_file_without_its_title_line_byte_for_byte() -> None:
    raw = (FIXTURES / "adr-tools" / "0007-split-the-monolith.md").read_text(encoding="utf-8")
    found = record("adr-tools", "0007-split-the-monolith.md")
    assert "# 7. Split the monolith\n" + found.body == raw


def test_crlf_record_keeps_crlf_in_its_body() -> None:
    raw = (FIXTURES / "adr-tools" / "0004-use-postgres.md").read_bytes()
    found = record("adr-tools", "0004-use-postgres.md")
    assert found.newline == "\r\n"
    assert b"# 4. Use Postgres\r\n" + found.body.encode() == raw
    assert found.supersedes == (Link("Supersedes", "2. Use MySQL", "0002-use-mysql.md"),)


def test_superseded_by_link_is_a_status_and_a_link() -> None:
    found = record("adr-tools", "0002-use-mysql.md")
    assert found.statuses == ("superseded",)
    assert found.superseded_by == (Link("Superseded by", "4. Use Postgres", "0004-use-postgres.md"),)
    assert found.status == ""


def test_status_in_prose_keeps_its_words_and_its_date() -> None:
    found = record("adr-tools", "0003-deploy-on-fridays.md")
    assert found.status == "Accepted (2019-03-05) after the architecture review"
    assert (found.statuses, found.status_date) == (("accepted",), "2019-03-05")


def test_two_statuses_are_both_kept() -> None:
    assert record("adr-tools", "0009-nightly-builds.md").statuses == ("accepted", "deprecated")


def test_other_relations_are_links_not_statuses() -> None:
    found = record("adr-tools", "0010-keep-the-cache.md")
    assert found.statuses == ("accepted",)
    assert found.supersedes == (Link("Supersedes", "98. Drop the cache", "0098-drop-the-cache.md"),)
    assert found.links == (Link("Amended by", "99. Cache sizes", "0099-cache-sizes.md"),)


def test_non_ascii_title_is_kept() -> None:
    assert record("adr-tools", "0005-café-für-alle.md").title == "Café für alle: Kaffeemaschine im Büro ☕"


def test_missing_date_is_empty() -> None:
    found = record("adr-tools", "0006-rejected-without-date.md")
    assert (found.date, found.statuses) == ("", ("rejected",))


def test_non_utf8_file_is_unreadable_with_the_byte_and_line() -> None:
    assert read("adr-tools", "0011-latin-1-menu.md") == Unreadable(
        "0011-latin-1-menu.md",
        Note("file", "is not UTF-8 (byte 0xe9 on line 1); save it as UTF-8 and import again", True),
    )


def test_empty_file_is_unreadable() -> None:
    assert read("adr-tools", "0012-empty.md") == Unreadable(
        "0012-empty.md", Note("file", "is empty; nothing to import", True)
    )


def test_madr2_bullets() -> None:
    found = record("madr", "0001-use-markdown-architectural-decision-records.md")
    assert (found.title, found.date, found.statuses, found.deciders) == (
        "Use Markdown Architectural Decision Records",
        "2020-01-10",
        ("accepted",),
        ("Ana Ruiz",),
    )
    assert found.body.startswith("\n* Status: accepted\n* Deciders: Ana Ruiz\n")


def test_madr3_front_matter_people() -> None:
    found = record("madr", "0002-use-yaml-front-matter.md")
    assert (found.deciders, found.consulted, found.informed) == (
        ("Ana Ruiz", "Bo Sand"),
        ("Platform team",),
        ("Dee Park",),
    )
    assert found.body == (
        "\n## Context and Problem Statement\n\nMADR 3 moved the metadata into front-matter.\n\n"
        "## Decision Outcome\n\nChosen option: front-matter.\n"
    )


def test_madr4_decision_makers_and_superseded_status_link() -> None:
    found = record("madr", "0003-host-on-heroku.md")
    assert found.deciders == ("Chen Lind",)
    assert found.superseded_by == (Link("superseded by", "ADR-0004", "0004-host-on-our-own-kubernetes.md"),)


def test_madr_invalid_front_matter_is_unreadable_with_its_line() -> None:
    assert read("madr", "0005-broken-front-matter.md") == Unreadable(
        "0005-broken-front-matter.md",
        Note(
            "front-matter",
            "is not valid YAML on line 4 (did not find expected ',' or ']'); fix it and import again",
            True,
        ),
    )


def test_madr_unknown_front_matter_field_is_a_note() -> None:
    found = record("madr", "0006-no-status.md")
    assert found.statuses == ()
    assert found.notes == (Note("impact", '"impact: high" has no place in a memo; left out'),)


def test_madr_impossible_date_is_a_note_not_a_crash() -> None:
    found = parse("---\ndate: 2024-02-30\nstatus: accepted\n---\n# A title\n", "0001-a.md", "madr")
    assert isinstance(found, Record)
    assert found.date == ""
    assert found.notes == (Note("date", '"2024-02-30" is not a date (YYYY-MM-DD); treated as missing'),)


def test_log4brains_tags_and_no_number() -> None:
    found = record("log4brains", "20200902-use-log4brains-to-manage-the-adrs.md")
    assert (found.fmt, found.number, found.tags, found.date) == ("log4brains", "", ("dev-tools", "doc"), "2020-09-02")


def test_log4brains_date_from_file_name_when_missing() -> None:
    found = record("log4brains", "20200926-use-react.md")
    assert found.date == "2020-09-26"
    assert found.notes == (Note("date", "no date in the record; used the one in its file name (2020-09-26)"),)


def test_title_number_that_disagrees_with_the_file_name_keeps_the_file_name() -> None:
    found = parse("# 3. Wrong\n\nDate: 2020-01-01\n", "0004-wrong.md", "adr-tools")
    assert isinstance(found, Record)
    assert (found.number, found.notes) == ("0004", (Note("title", "the title says 3, the file name 0004; kept 0004"),))


def test_record_without_title_line_gets_a_note() -> None:
    found = parse("Date: 2020-01-01\n\n## Status\n\nAccepted\n", "0004-use-redis.md", "adr-tools")
    assert isinstance(found, Record)
    assert found.title == ""
    assert found.notes == (Note("title", "no '# Title' line; used the file name as the title", True),)
    assert title_from_name("0004-use-redis.md") == "Use redis"


@pytest.mark.parametrize("fmt", ["adr-tools", "madr", "log4brains"])
def test_detect_format_of_each_fixture_folder(fmt: str) -> None:
    texts = folder_texts(fmt)
    found, why = detect_format(texts)
    assert found == fmt
    assert why.startswith(f"detected {fmt} (")


def test_detect_format_refuses_to_guess() -> None:
    assert detect_format({"0001-a.md": "just text\n"}) == (
        None,
        "cannot tell the format (none looks like any of them); pass --from adr-tools, madr or log4brains",
    )


def test_record_names() -> None:
    assert is_record_name("0001-a.md", "madr")
    assert not is_record_name("README.md", "adr-tools")
    assert not is_record_name("template.md", "log4brains")
    assert not is_record_name("0001-a.md", "log4brains")
