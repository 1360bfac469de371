"""Decider lists as teams write them: split outside parentheses; groups and roles named as such."""

from __future__ import annotations

import pytest

from decide.adr.people import Decider, as_input, read_decider, split_deciders


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ana Ruiz (Platform, Berlin), Bo Sand", ("Ana Ruiz (Platform, Berlin)", "Bo Sand")),
        ("Johan, Cristian; Viktor", ("Johan", "Cristian", "Viktor")),
        ("[Ana Ruiz, Bo Sand]", ("Ana Ruiz", "Bo Sand")),
        (["Ana Ruiz", "Bo Sand"], ("Ana Ruiz", "Bo Sand")),
        ("Ana and Bo", ("Ana", "Bo")),
        ("Ana Ruiz and Tekton meeting", ("Ana Ruiz", "Tekton meeting")),
        ("Cluster API management and Tekton meeting", ("Cluster API management and Tekton meeting",)),
        ("TBD", ()),
        ("[list everyone involved in the decision]", ()),
        ("{list everyone involved in the decision}", ()),
        (None, ()),
    ],
)
def test_split_deciders(value: object, expected: tuple[str, ...]) -> None:
    assert split_deciders(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana Ruiz", Decider("Ana Ruiz", "Ana Ruiz")),
        ("Ana Ruiz (Platform, Berlin)", Decider("Ana Ruiz (Platform, Berlin)", "Ana Ruiz")),
        ("Ana Ruiz <ana@example.com>", Decider("Ana Ruiz <ana@example.com>", "Ana Ruiz <ana@example.com>")),
        ("@ana", Decider("@ana", "@ana")),
        ("Architecture Meeting", Decider("Architecture Meeting", why='"Architecture Meeting" is a group ("meeting")')),
        ("arch meeting", Decider("arch meeting", why='"arch meeting" is a group ("meeting")')),
        ("product owner", Decider("product owner", why='"product owner" is a role, not a name')),
        ("product owner (Gonzalo)", Decider("product owner (Gonzalo)", why='"product owner" is a role, not a name')),
        ("Codex", Decider("Codex", why='"Codex" is a role, not a name')),
        (
            "Cluster API management and Tekton meeting",
            Decider(
                "Cluster API management and Tekton meeting",
                why='"Cluster API management and Tekton meeting" names more than one person',
            ),
        ),
    ],
)
def test_read_decider(text: str, expected: Decider) -> None:
    assert read_decider(text) == expected


def test_as_input() -> None:
    assert (as_input("Bo Sand"), as_input("Bo Sand (Security)")) == ("Bo Sand (decider)", "Bo Sand (Security; decider)")
