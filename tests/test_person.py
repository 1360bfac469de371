"""One DRI: a person, never a team or two people."""

from __future__ import annotations

import pytest

from decide.person import Person, is_tbd, parse_person, why_not_one_person


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz",
        "Alla Sand",
        "Anderson",
        "Brandon",
        "Allison Teamsworth",
        "Zoë Ångström",
        "O'Neil",
        "@ana-ruiz",
        "Ana Ruiz <ana@example.com>",
        "Jean-Luc Picard",
        "Randall",
        "chen@example.com",
        "ana+decide@example.com",
        "Ana Ruiz <ana+decide@example.com>",
    ],
)
def test_one_person(text: str) -> None:
    assert why_not_one_person(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Sales team", '"Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")'),
        ("Pricing Committee", '"Pricing Committee" is a group ("committee"); name one person (e.g. "Ana Ruiz")'),
        ("the board", '"the board" is a group ("board"); name one person (e.g. "Ana Ruiz")'),
        ("Everyone", '"Everyone" is a group ("everyone"); name one person (e.g. "Ana Ruiz")'),
        ("all", '"all" is a group ("all"); name one person (e.g. "Ana Ruiz")'),
        ("co-leads", '"co-leads" is a group ("co-leads"); name one person (e.g. "Ana Ruiz")'),
        ("Architecture Meeting", '"Architecture Meeting" is a group ("meeting"); name one person (e.g. "Ana Ruiz")'),
        ("arch meeting", '"arch meeting" is a group ("meeting"); name one person (e.g. "Ana Ruiz")'),
        ("Tekton meeting", '"Tekton meeting" is a group ("meeting"); name one person (e.g. "Ana Ruiz")'),
        ("Design review", '"Design review" is a group ("review"); name one person (e.g. "Ana Ruiz")'),
        ("the maintainers", '"the maintainers" is a group ("maintainers"); name one person (e.g. "Ana Ruiz")'),
        ("Office of the CTO", '"Office of the CTO" is a group ("office"); name one person (e.g. "Ana Ruiz")'),
        ("Ana and Bo", '"Ana and Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ana & Bo", '"Ana & Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ana/Bo", '"Ana/Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ana + Bo", '"Ana + Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ruiz, Ana", '"Ruiz, Ana" names more than one person; name one DRI and list the others under inputs'),
        (
            "Ana <ana@x.com>, Bo <bo@x.com>",
            '"Ana <ana@x.com>, Bo <bo@x.com>" names more than one person; name one DRI and list the others under inputs',
        ),
        (
            "Ana Ruiz <ana@x.com> and Bo",
            '"Ana Ruiz <ana@x.com> and Bo" names more than one person; name one DRI and list the others under inputs',
        ),
        (
            "ana@x.com, bo@x.com",
            '"ana@x.com, bo@x.com" names more than one person; name one DRI and list the others under inputs',
        ),
        ("Ana＆Bo", '"Ana＆Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ana，Bo", '"Ana，Bo" names more than one person; name one DRI and list the others under inputs'),
        ("Ana ＋ Bo", '"Ana ＋ Bo" names more than one person; name one DRI and list the others under inputs'),
        (
            "Ana\nBo",
            '"Ana\nBo" contains a line break, tab or other control character; name one person on one line',
        ),
        (
            "Ana\tBo",
            '"Ana\tBo" contains a line break, tab or other control character; name one person on one line',
        ),
        ("Ana <ana>", '"Ana <ana>" is not "Name <email>"; write e.g. "Ana Ruiz <ana@example.com>"'),
        ("@acme/platform", '"@acme/platform" is a team handle; name one person (e.g. "@ana-ruiz")'),
        ("   ", "is empty; name one person"),
    ],
)
def test_not_one_person(text: str, message: str) -> None:
    assert why_not_one_person(text) == message


@pytest.mark.parametrize("role", ["CTO", "Product owner", "Tech lead"])
def test_a_role_is_one_person_at_a_time(role: str) -> None:
    assert why_not_one_person(role) is None


def test_a_group_may_receive_an_escalation() -> None:
    assert why_not_one_person("the Board", allow_groups=True) is None
    assert why_not_one_person("CTO and CFO", allow_groups=True) is not None


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Ana Ruiz <ana@example.com>", Person("Ana Ruiz", email="ana@example.com")),
        ("@ana", Person("@ana", handle="@ana")),
        ("Ana Ruiz", Person("Ana Ruiz")),
        ("<ana@example.com>", Person("ana@example.com", email="ana@example.com")),
        ("chen@example.com", Person("chen@example.com", email="chen@example.com")),
    ],
)
def test_parse_person(text: str, person: Person) -> None:
    assert parse_person(text) == person


@pytest.mark.parametrize(
    ("text", "tbd"),
    [("TBD", True), (" tbd ", True), ("TBD <x@example.com>", True), ("Ana Ruiz", False), ("@tbd", False)],
)
def test_is_tbd(text: str, tbd: bool) -> None:
    assert is_tbd(text) is tbd
