"""Parsing records written by adr-tools, MADR and log4brains (fixtures in tests/adr/fixtures/<format>/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from decide.adr.formats import Link, Note, Record, Unreadable, decode, detect_format, is_record_name, parse
from decide.adr.names import title_from_name

FIXTURES = Path(__file__).parent / "fixtures"


def read(folder: str, name: str) -> Record | Unreadable:
    text = decode((FIXTURES / folder / name).read_bytes(), name)
    return text if isinstance(text, Unreadable) else parse(text, name)


def record(fmt: str, name: str) -> Record:
    found = read(fmt, name)
    assert isinstance(found, Record), found
    return found


def folder_records(folder: str) -> list[Record]:
    found = [read(folder, path.name) for path in sorted((FIXTURES / folder).glob("*.md")) if is_record_name(path.name)]
    return [r for r in found if isinstance(r, Record)]


def test_adr_tools_record_has_title_without_number_date_and_status() -> None:
    found = record("adr-tools", "0001-record-architecture-decisions.md")
    assert (found.number, found.title, found.date_text) == ("0001", "Record architecture decisions", "2019-03-01")
    assert (found.status, found.statuses, found.notes, found.fmt) == ("Accepted", ("accepted",), (), "adr-tools")
    assert (found.heading, found.title_number) == ("1. Record architecture decisions", "1")


def test_adr_tools_body_is_the_file_without_its_title_line_byte_for_byte() -> None:
    raw = (FIXTURES / "adr-tools" / "0007-split-the-monolith.md").read_text(encoding="utf-8")
    found = record("adr-tools", "0007-split-the-monolith.md")
    assert "# 7. Split the monolith\n" + found.body == raw


def test_crlf_record_keeps_crlf_in_its_body() -> None:
    raw = (FIXTURES / "adr-tools" / "0004-use-postgres.md").read_bytes()
    found = record("adr-tools", "0004-use-postgres.md")
    assert found.newline == "\r\n"
    assert b"# 4. Use Postgres\r\n" + found.body.encode() == raw
    assert found.supersedes == (Link("supersedes", "2. Use MySQL", "0002-use-mysql.md"),)


def test_superseded_by_link_is_a_status_and_a_link() -> None:
    found = record("adr-tools", "0002-use-mysql.md")
    assert found.statuses == ("superseded",)
    assert found.superseded_by == (Link("superseded by", "4. Use Postgres", "0004-use-postgres.md"),)
    assert (found.status, found.status_said) == ("Superseded by 4. Use Postgres", "")


def test_status_in_prose_keeps_its_words_and_its_date() -> None:
    found = record("adr-tools", "0003-deploy-on-fridays.md")
    assert found.status == "Accepted (2019-03-05) after the architecture review"
    assert (found.statuses, found.status_date) == (("accepted",), "2019-03-05")


def test_two_statuses_are_both_kept() -> None:
    assert record("adr-tools", "0009-nightly-builds.md").statuses == ("accepted", "deprecated")


def test_relations_are_links_not_statuses() -> None:
    found = record("adr-tools", "0010-keep-the-cache.md")
    assert found.statuses == ("accepted",)
    assert found.supersedes == (Link("supersedes", "98. Drop the cache", "0098-drop-the-cache.md"),)
    assert found.amended_by == (Link("amended by", "99. Cache sizes", "0099-cache-sizes.md"),)
    assert found.links == ()


def test_non_ascii_title_is_kept() -> None:
    assert record("adr-tools", "0005-café-für-alle.md").title == "Café für alle: Kaffeemaschine im Büro ☕"


def test_missing_date_is_empty() -> None:
    found = record("adr-tools", "0006-rejected-without-date.md")
    assert (found.date_text, found.statuses) == ("", ("rejected",))


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
    assert (found.title, found.date_text, found.statuses, found.deciders) == (
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
    assert found.front_status == "superseded by [ADR-0004](0004-host-on-our-own-kubernetes.md)"


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
    assert found.notes == (Note("impact", '"impact: high" has no place in a memo; left out', kind="fields left out"),)


def test_madr_impossible_date_is_kept_as_written_for_the_mapping_to_judge() -> None:
    found = parse("---\ndate: 2024-02-30\nstatus: accepted\n---\n# A title\n", "0001-a.md")
    assert isinstance(found, Record)
    assert (found.date_text, found.notes) == ("2024-02-30", ())


def test_log4brains_tags_and_no_number() -> None:
    found = record("log4brains", "20200902-use-log4brains-to-manage-the-adrs.md")
    assert (found.fmt, found.number, found.tags, found.date_text) == (
        "log4brains",
        "",
        ("dev-tools", "doc"),
        "2020-09-02",
    )
    assert found.name_date == "2020-09-02"


def test_record_without_title_line_has_no_heading() -> None:
    found = parse("Date: 2020-01-01\n\n## Status\n\nAccepted\n", "0004-use-redis.md")
    assert isinstance(found, Record)
    assert (found.title, found.heading, found.statuses) == ("", "", ("accepted",))
    assert title_from_name("0004-use-redis.md") == "Use redis"


@pytest.mark.parametrize("fmt", ["adr-tools", "madr", "log4brains"])
def test_detect_format_of_each_fixture_folder(fmt: str) -> None:
    found, why = detect_format(folder_records(fmt))
    assert found == fmt
    assert why.startswith(f"detected {fmt} (")


def test_detect_format_refuses_to_guess() -> None:
    found = parse("just text\n", "0001-a.md")
    assert isinstance(found, Record)
    assert detect_format([found]) == (
        None,
        "cannot tell the format (none looks like any of them); pass --from adr-tools, madr or log4brains",
    )


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("0001-a.md", True),
        ("adr-001-a.md", True),
        ("ADR-0001-a.md", True),
        ("2023-05-15-a.md", True),
        ("20230515-a.md", True),
        ("README.md", False),
        ("template.md", False),
        ("adr-template.md", False),
        ("0000-template.md", False),
        ("index.md", False),
        ("0001-a.txt", False),
    ],
)
def test_record_names(name: str, record: bool) -> None:
    assert is_record_name(name) is record


def test_madr4_supersession_without_links_in_the_status() -> None:
    older = record("madr4", "0056-build-stories-with-webpack.md")
    newer = record("madr4", "0057-storybook-on-the-vite-builder.md")
    assert (older.statuses, older.superseded_by) == (("superseded",), (Link("superseded by", "ADR-0057"),))
    assert (newer.statuses, newer.supersedes, newer.status_said) == (
        ("accepted",),
        (Link("supersedes", "ADR-0045"),),
        "accepted",
    )
    assert newer.deciders == ("Yurii Anichkin", "Dee Park")


def test_madr4_partly_superseded_is_an_amendment_and_rejected_keeps_its_words() -> None:
    partly = record("madr4", "0061-use-rest-for-the-public-api.md")
    assert (partly.statuses, partly.amended_by, partly.superseded_by) == (
        ("accepted",),
        (Link("amended by", "ADR-0062"),),
        (),
    )
    rejected = record("madr4", "0060-drop-internet-explorer.md")
    assert (rejected.statuses, rejected.status) == (("rejected",), "rejected (see ADR-0019)")
    assert rejected.links == (Link("see", "ADR-0019", "0019-support-old-browsers.md"),)


def test_site_generator_keys_are_one_note_other_fields_one_each() -> None:
    found = record("madr4", "0058-host-docs-on-read-the-docs.md")
    assert found.notes == (
        Note("front-matter", "layout, nav_order, parent", kind="site-generator keys left out"),
        Note("impact", '"impact: medium" has no place in a memo; left out', kind="fields left out"),
    )


def test_madr2_deciders_split_outside_parentheses_and_the_status_prefix_leaves_the_title() -> None:
    found = record("madr2-meetings", "0005-push-metrics-via-thanos.md")
    assert found.deciders == ("Ana Ruiz (Platform, Berlin)", "Bo Sand (Security; on call)")
    prefixed = record("madr2-meetings", "0006-do-not-persist-dex.md")
    assert (prefixed.title, prefixed.heading) == (
        "Do not persist Dex",
        "[Superseded by [ADR-0007](0007-persist-dex.md)] Do not persist Dex",
    )
    assert prefixed.superseded_by == (Link("superseded by", "ADR-0007", "0007-persist-dex.md"),)
    assert record("madr2-meetings", "0003-run-tekton-on-the-management-cluster.md").deciders == (
        "Cluster API management and Tekton meeting",
    )


def test_adr_tools_status_as_h1_amends_and_superceded() -> None:
    h1 = record("nygard", "0017-use-managed-dns.md")
    assert (h1.statuses, h1.supersedes, h1.fmt) == (
        ("accepted",),
        (Link("supersedes", "15. Run our own DNS", "0015-dns.md"),),
        "adr-tools",
    )
    assert record("nygard", "0015-dns.md").superseded_by == (
        Link("superseded by", "17. Use managed DNS", "0017-use-managed-dns.md"),
    )
    assert record("nygard", "0016-use-the-elite2-api.md").amends == (
        Link("amends", "12. Use the Custody API to access NOMIS data", "0012-use-the-custody-api.md"),
    )
    assert record("nygard", "0019-support-old-browsers.md").amended_by == (
        Link("amended by", "23. Drop Internet Explorer", "0023-drop-internet-explorer.md"),
    )


@pytest.mark.parametrize(
    ("folder", "name", "title", "number"),
    [
        ("nygard", "0023-drop-internet-explorer.md", "Drop Internet Explorer", "0023"),
        ("nygard", "0024-rewrite-the-frontend.md", "Rewrite the frontend", "0024"),
        ("adr-prefixed", "adr-001-record-architecture-decisions.md", "Record architecture decisions", "001"),
        ("adr-prefixed", "adr-003-zustand-stores.md", "Zustand domain stores", "003"),
        ("adr-upper", "ADR-0004-hosted-auth-boundary.md", "Hosted Auth Boundary", "0004"),
        ("dated", "2023-05-15-use-kafka.md", "Use Kafka for events", ""),
    ],
)
def test_titles_lose_their_prefixes_and_numbers_come_from_the_file_name(
    folder: str, name: str, title: str, number: str
) -> None:
    found = record(folder, name)
    assert (found.title, found.number) == (title, number)


@pytest.mark.parametrize(
    ("folder", "name", "date_text", "statuses"),
    [
        ("adr-prefixed", "adr-001-record-architecture-decisions.md", "2026-03-16", ("accepted",)),
        ("adr-prefixed", "adr-002-client-side-only.md", "2026-03-20", ("accepted",)),
        ("adr-prefixed", "adr-003-zustand-stores.md", "2026-04-28", ("proposed",)),
        ("adr-upper", "ADR-0004-hosted-auth-boundary.md", "2024-06-17", ("accepted",)),
        ("dated", "2023-05-15-use-kafka.md", "[2023-05-09]", ("accepted",)),
        ("dates", "0003-bold.md", "2026-03-16", ("accepted",)),
    ],
)
def test_fields_written_bold_bulleted_or_as_sections(
    folder: str, name: str, date_text: str, statuses: tuple[str, ...]
) -> None:
    found = record(folder, name)
    assert (found.date_text, found.statuses) == (date_text, statuses)


def test_a_dated_file_name_is_a_date_not_a_number() -> None:
    found = record("dated", "2023-05-15-use-kafka-streams.md")
    assert (found.number, found.name_date, found.date_text) == ("", "2023-05-15", "")
