"""Every --format json output is one object, "version" first, with every field documented in docs/json.md."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo

Invoke = Callable[..., Result]

A, B = "D-1AAAAA", "D-2BBBBB"
PAGE = (Path(__file__).resolve().parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
COMMANDS = {
    "validate": ["validate", "--format", "json"],
    "list": ["list", "--format", "json"],
    "show": ["show", A, "--format", "json"],
    "index": ["index"],
    "stats": ["stats", "--format", "json"],
    "check": ["check", "--format", "json", "--base", "HEAD"],
}


def table_fields(command: str) -> set[str]:
    """The field names in the tables of the page's section for ``command``."""
    section = PAGE.split(f"## `decide {command}")[1].split("\n## ")[0]
    rows = re.findall(r"^\| (`.+?`) \|", section, re.MULTILINE)
    return {name for row in rows for name in re.findall(r"`(\w+)`", row)}


def documented(command: str) -> set[str]:
    """``command``'s fields, those of a decision (in the index's section) and of a problem and a change."""
    records = {name for braces in re.findall(r"`\{(.+?)\}`", PAGE) for name in re.findall(r'"(\w+)"', braces)}
    return table_fields(command) | table_fields("index") | records


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_is_one_object_with_version_first_and_every_field_documented(
    repo: GitRepo, invoke: Invoke, command: str
) -> None:
    repo.add_memo(A, supersedes=[B], reviews=[{"date": "2026-02-01", "note": "holds"}])
    repo.add_memo(B, title="Raise prices", status="proposed", decided_on=None)
    repo.commit("log")
    data = json.loads(invoke(*COMMANDS[command]).stdout)
    assert next(iter(data)) == "version" and data["version"] == 1
    keys = set(data)
    for nested in ("decisions", "problems", "changes"):
        keys |= {k for item in data.get(nested, []) for k in item}
    keys |= set(data.get("decision", {}))
    assert keys - documented(command) == set()
