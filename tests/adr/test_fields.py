"""How one record's fields become a memo's: status, dates, DRI and inputs, title, aliases."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from decide.adr.fields import TITLE_MAX, Origin, map_aliases, map_dates, map_people, map_status, map_title
from decide.adr.formats import Note, Record
from decide.schema import packaged_schema_text

BASE = Record(
    name="0007-use-postgres.md",
    fmt="madr",
    number="0007",
    title="Use Postgres",
    heading="7. Use Postgres",
    date_text="2020-01-01",
    status="accepted",
    status_said="accepted",
    statuses=("accepted",),
)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("accepted",), "decided"),
        (("proposed",), "proposed"),
        (("rejected",), "rejected"),
        (("deprecated",), "retired"),
        (("accepted", "superseded"), "decided"),
    ],
)
def test_status_table(statuses: tuple[str, ...], expected: str) -> None:
    notes: list[Note] = []
    record = replace(BASE, statuses=statuses, status=statuses[0], status_said=statuses[0])
    assert map_status(record, has_successor=True, notes=notes) == expected
    assert notes == []


def test_superseded_without_successor_is_retired_for_a_human() -> None:
    notes: list[Note] = []
    assert map_status(replace(BASE, statuses=("superseded",), status=""), has_successor=False, notes=notes) == "retired"
    assert notes == [Note("status", "superseded, but no record in the folder supersedes it; imported as retired", True)]


def test_unknown_status_is_proposed_for_a_human() -> None:
    notes: list[Note] = []
    record = replace(BASE, statuses=(), status="WIP", status_said="WIP")
    assert map_status(record, has_successor=False, notes=notes) == "proposed"
    assert notes == [
        Note("status", '"WIP" is not a status this import knows; imported as proposed: set the status by hand', True)
    ]


def test_decided_on_is_the_status_date_unless_before_the_record_date() -> None:
    assert map_dates(replace(BASE, status_date="2020-02-01"), "decided", None, "auto", []) == (
        "2020-01-01",
        "2020-02-01",
    )
    assert map_dates(replace(BASE, status_date="2019-12-01"), "decided", None, "auto", []) == (
        "2020-01-01",
        "2020-01-01",
    )
    assert map_dates(BASE, "proposed", None, "auto", []) == ("2020-01-01", "")


def test_missing_date_comes_from_git_or_the_record_is_refused() -> None:
    notes: list[Note] = []
    undated = replace(BASE, date_text="")
    assert map_dates(undated, "decided", Origin("2021-05-05", "Bo Sand <bo@example.com>"), "auto", notes) == (
        "2021-05-05",
        "2021-05-05",
    )
    assert map_dates(undated, "decided", None, "auto", notes) is None
    assert notes == [
        Note(
            "date", "no date in the record; used the date of its first git commit (2021-05-05)", kind="dates from git"
        ),
        Note(
            "date",
            "no date in the record, and git has no commit of the file; add a 'Date: YYYY-MM-DD' line and import again",
            True,
        ),
    ]


def test_a_date_that_cannot_be_read_is_never_called_missing() -> None:
    notes: list[Note] = []
    written = replace(BASE, date_text="March 2019")
    assert map_dates(written, "decided", Origin("2019-03-04", "Bo Sand"), "auto", notes) == ("2019-03-04", "2019-03-04")
    assert notes == [
        Note(
            "date", '"March 2019" is not a date (YYYY-MM-DD); used the date of its first git commit (2019-03-04)', True
        )
    ]


def test_a_dated_file_name_stands_in_before_git() -> None:
    notes: list[Note] = []
    dated = replace(BASE, name="2023-05-15-use-kafka.md", number="", date_text="", name_date="2023-05-15")
    assert map_dates(dated, "decided", Origin("2024-01-01", "Bo Sand"), "auto", notes) == ("2023-05-15", "2023-05-15")
    assert notes == [
        Note("date", "no date in the record; used the one in its file name (2023-05-15)", kind="dates from file names")
    ]


@pytest.mark.parametrize(
    ("order", "expected", "needs_human"),
    [("auto", "2023-06-05", True), ("dmy", "2023-06-05", False), ("mdy", "2023-05-06", False)],
)
def test_an_ambiguous_date_is_flagged_unless_the_order_is_given(order: str, expected: str, needs_human: bool) -> None:
    notes: list[Note] = []
    assert map_dates(replace(BASE, date_text="05/06/2023"), "proposed", None, order, notes) == (expected, "")
    assert [n.needs_human for n in notes] == ([True] if needs_human else [])


def test_one_decider_is_the_dri() -> None:
    notes: list[Note] = []
    assert map_people(replace(BASE, deciders=("Ana Ruiz",), consulted=("Bo",)), "decided", None, "", notes) == (
        "Ana Ruiz",
        ("Bo (consulted)",),
    )
    assert notes == []


def test_several_deciders_of_a_proposed_record_leave_the_dri_tbd() -> None:
    notes: list[Note] = []
    found = map_people(replace(BASE, deciders=("Ana Ruiz", "Bo Sand")), "proposed", None, "", notes)
    assert found == ("TBD", ("Ana Ruiz (decider)", "Bo Sand (decider)"))


def test_several_deciders_of_a_decided_record_need_a_human_to_confirm() -> None:
    notes: list[Note] = []
    found = map_people(replace(BASE, deciders=("Ana Ruiz", "Bo Sand")), "decided", None, "", notes)
    assert found == ("Ana Ruiz", ("Bo Sand (decider)",))
    assert notes == [
        Note("dri", "2 deciders (Ana Ruiz, Bo Sand); the DRI is the first, Ana Ruiz: confirm the DRI", True)
    ]


def test_a_team_as_decider_becomes_an_input() -> None:
    notes: list[Note] = []
    assert map_people(replace(BASE, deciders=("Platform team",)), "proposed", None, "", notes) == (
        "TBD",
        ("Platform team (decider)",),
    )
    assert notes == [
        Note(
            "deciders",
            '"Platform team" is a group ("team"); listed under inputs',
            kind="deciders that are not one person",
        )
    ]


def test_no_decider_uses_dri_option_then_git_author_else_refuses() -> None:
    origin = Origin("2020-01-01", "Bo Sand <bo@example.com>")
    assert map_people(BASE, "decided", origin, "Ana Ruiz", []) == ("Ana Ruiz", ())
    assert map_people(BASE, "decided", origin, "", []) == ("Bo Sand <bo@example.com>", ())
    notes: list[Note] = []
    assert map_people(BASE, "rejected", None, "", notes) is None
    assert notes[-1].needs_human


def test_title_falls_back_to_the_file_name() -> None:
    notes: list[Note] = []
    assert map_title(replace(BASE, title="DB"), notes) == "Use postgres"
    assert notes == [Note("title", '"DB" is too short for a title; used "Use postgres"', True)]
    notes.clear()
    assert map_title(replace(BASE, title="x" * 350), notes) == "x" * 300
    assert notes == [Note("title", "is longer than 300 characters; cut at 300", True)]
    assert json.loads(packaged_schema_text())["properties"]["title"]["maxLength"] == TITLE_MAX


def test_aliases_are_numbers_unless_shared() -> None:
    other = replace(BASE, name="0007-use-mysql.md")
    single = replace(BASE, name="0003-a.md", number="0003")
    found = map_aliases([BASE, other, single], ["12"])
    assert found["0003-a.md"] == (("0003",), ())
    assert found["0007-use-postgres.md"][0] == ("0007-use-postgres",)
    assert found["0007-use-mysql.md"][1][0].needs_human
    assert map_aliases([replace(BASE, number="0012")], ["12"])[BASE.name] == (
        (),
        (Note("number", "the alias 0012 already names another memo; none kept", True),),
    )


@pytest.mark.parametrize(
    "deciders",
    [
        ("Architecture Meeting",),
        ("arch meeting",),
        ("Tekton meeting",),
        ("product owner",),
        ("Cluster API management and Tekton meeting",),
    ],
)
def test_a_meeting_or_a_role_never_becomes_the_dri(deciders: tuple[str, ...]) -> None:
    origin = Origin("2020-01-01", "Bo Sand <bo@example.com>")
    record = replace(BASE, deciders=deciders)
    notes: list[Note] = []
    assert map_people(record, "decided", origin, "Ana Ruiz", notes) == ("Ana Ruiz", (f"{deciders[0]} (decider)",))
    assert notes[-1] == Note(
        "dri",
        f"names no one person as decider ({deciders[0]}); the DRI is Ana Ruiz (--dri)",
        kind="DRI given with --dri",
    )
    notes.clear()
    assert map_people(record, "decided", origin, "", notes) == (
        "Bo Sand <bo@example.com>",
        (f"{deciders[0]} (decider)",),
    )
    assert notes[-1] == Note(
        "dri",
        f"names no one person as decider ({deciders[0]}); the DRI is Bo Sand <bo@example.com>, who committed the file first: confirm the DRI",
        True,
    )
    assert map_people(record, "proposed", origin, "", []) == ("TBD", (f"{deciders[0]} (decider)",))


def test_a_person_named_beside_a_meeting_is_the_dri_and_remarks_in_parentheses_are_left_out() -> None:
    notes: list[Note] = []
    record = replace(BASE, deciders=("Ana Ruiz (Platform, Berlin)", "Tekton meeting"))
    assert map_people(record, "decided", None, "", notes) == ("Ana Ruiz", ("Tekton meeting (decider)",))
    assert notes == [
        Note(
            "deciders",
            '"Tekton meeting" is a group ("meeting"); listed under inputs',
            kind="deciders that are not one person",
        ),
        Note("deciders", '"Ana Ruiz (Platform, Berlin)" read as Ana Ruiz', kind="decider remarks left out"),
    ]
    several = replace(BASE, deciders=("Ana Ruiz (Platform, Berlin)", "Bo Sand (Security)"))
    assert map_people(several, "decided", None, "", [])[1] == ("Bo Sand (Security; decider)",)


def test_title_number_that_disagrees_with_the_file_name_keeps_the_file_name() -> None:
    notes: list[Note] = []
    assert map_title(replace(BASE, number="0004", title_number="3"), notes) == "Use Postgres"
    assert notes == [Note("title", "the title says 3, the file name 0004; kept 0004", kind="numbers that differ")]


def test_no_title_line_uses_the_file_name_for_a_human_to_check() -> None:
    notes: list[Note] = []
    assert map_title(replace(BASE, title="", heading=""), notes) == "Use postgres"
    assert notes == [Note("title", "no '# Title' line; used the file name as the title", True)]
