"""Dates as teams write them in ADRs, read as ISO dates; an ambiguous one is said so."""

from __future__ import annotations

import pytest

from decide.adr.dates import DateRead, infer_order, read_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019-03-01", "2019-03-01"),
        ("2019/3/1", "2019-03-01"),
        ("15/05/2023", "2023-05-15"),
        ("05/15/2023", "2023-05-15"),
        ("15/05/23", "2023-05-15"),
        ("15.05.2023", "2023-05-15"),
        ("05/05/2023", "2023-05-05"),
        ("[2023-05-09]", "2023-05-09"),
        ("**2026-03-16**", "2026-03-16"),
        ("2023-05-09T10:00:00Z", "2023-05-09"),
        ("2019-03-05 (accepted)", "2019-03-05"),
        ("15 May 2023", "2023-05-15"),
        ("May 15, 2023", "2023-05-15"),
        ("3rd March 2021", "2021-03-03"),
    ],
)
def test_written_dates(text: str, iso: str) -> None:
    assert read_date(text) == DateRead(iso)


def test_day_and_month_swapped_in_iso_is_read_with_a_note() -> None:
    assert read_date("2023-13-10") == DateRead(
        "2023-10-13", '"2023-13-10" has its day and month swapped; read as 2023-10-13'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-02-30", '"2024-02-30" is not a real date; treated as missing'),
        ("32/01/2023", '"32/01/2023" is not a real date; treated as missing'),
        ("March 2019", '"March 2019" is not a date (YYYY-MM-DD); treated as missing'),
        (
            "{YYYY-MM-DD when the decision was last updated}",
            '"{YYYY-MM-DD when the decision was last …" is not a date (YYYY-MM-DD); treated as missing',
        ),
    ],
)
def test_what_is_not_a_date_says_so(text: str, message: str) -> None:
    assert read_date(text) == DateRead("", message)


def test_an_ambiguous_date_is_read_day_first_for_a_human_unless_the_order_is_given() -> None:
    assert read_date("05/06/2023") == DateRead(
        "2023-06-05",
        '"05/06/2023" is 5 June 2023 or 6 May 2023; read day first (2023-06-05): check it, or pass --date-order mdy',
        needs_human=True,
    )
    assert read_date("05/06/2023", "mdy") == DateRead("2023-05-06")
    assert read_date("05/06/2023", "dmy") == DateRead("2023-06-05")
    assert read_date("15/05/2023", "mdy") == DateRead("2023-05-15")  # what is written wins over the option


def test_the_order_is_inferred_only_when_the_folder_agrees() -> None:
    assert infer_order(["15/05/2023", "05/06/2023", "2023-01-01"]) == "dmy"
    assert infer_order(["05/15/2023"]) == "mdy"
    assert infer_order(["15/05/2023", "05/15/2023"]) == ""
    assert infer_order(["05/06/2023"]) == ""
