"""Finding a memo by ID or alias."""

from __future__ import annotations

from pathlib import Path

import pytest

from decide.index import build_index, find_entry
from decide.memo import parse
from tests.conftest import memo_text


@pytest.fixture
def entries() -> tuple:
    memos = []
    for memo_id, aliases in (("D-AAAAAA", ["0007"]), ("D-BBBBBB", ["20200902-use-x"])):
        parsed = parse(memo_text(memo_id, aliases=aliases), str(Path("decisions") / f"{memo_id}.md"))
        assert parsed.memo is not None
        memos.append(parsed.memo)
    return build_index(memos)


@pytest.mark.parametrize("key", ["D-AAAAAA", "d-aaaaaa", "0007", "7", "007", "ADR-7", "adr-0007"])
def test_numeric_aliases_match_as_numbers(entries: tuple, key: str) -> None:
    found = find_entry(entries, key)
    assert found is not None and found.id == "D-AAAAAA"


def test_other_aliases_match_exactly(entries: tuple) -> None:
    found = find_entry(entries, "20200902-use-x")
    assert found is not None and found.id == "D-BBBBBB"
    assert find_entry(entries, "8") is None
    assert find_entry(entries, "²") is None
