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
    date="2020-01-01",
    status="accepted",
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
    assert map_status(replace(BASE, statuses=statuses, status=statuses[0]), has_successor=True, notes=notes) == expected
    assert notes == []


def test_superseded_without_successor_is_retired_for_a_human() -> None:
    notes: list[Note] = []
    assert map_status(replace(BASE, statuses=("superseded",), status=""), has_successor=False, notes=notes) == "retired"
    assert notes == [Note("status", "superseded, but no record in the folder supersedes it; imported as retired", True)]


def test_unknown_status_is_proposed_for_a_human() -> None:
    notes: list[Note] = []
    assert map_status(replace(BASE, statuses=(), status="WIP"), has_successor=False, notes=notes) == "proposed"
    assert notes == [
        Note("status", '"WIP" is not a status this import knows; imported as proposed: set the status by hand', True)
    ]


def test_decided_on_is_the_status_date_unless_before_the_record_date() -> None:
    assert map_dates(replace(BASE, status_date="2020-02-01"), "decided", None, []) == ("2020-01-01", "2020-02-01")
    assert map_dates(replace(BASE, status_date="2019-12-01"), "decided", None, []) == ("2020-01-01", "2020-01-01")
    assert map_dates(BASE, "proposed", None, []) == ("2020-01-01", "")


def test_missing_date_comes_from_git_or_the_record_is_refused() -> None:
    notes: list[Note] = []
    undated = replace(BASE, date="")
    assert map_dates(undated, "decided", Origin("2021-05-05", "Bo Sand <bo@example.com>"), notes) == (
        "2021-05-05",
        "2021-05-05",
    )
    assert map_dates(undated, "decided", None, notes) is None
    assert [n.message for n in notes] == [
        "no date in the record; used the date of its first git commit (2021-05-05)",
        "no date, and git has no commit of the file; add a 'Date: YYYY-MM-DD' line and import again",
    ]


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
    assert notes == [Note("deciders", '"Platform team" is not one person; listed under inputs')]


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
