"""The index: derived fields and renderings."""

from __future__ import annotations

import pytest
from conftest import memo_text

from decide.index import IndexEntry, build_index, filter_entries, find_entry, render_entry, render_markdown
from decide.memo import Memo, parse

A, B, C = "D-AAAAAA", "D-BBBBBB", "D-CCCCCC"


def memo(memo_id: str, **fields: object) -> Memo:
    parsed = parse(memo_text(memo_id, **fields), f"decisions/{memo_id}.md")
    assert parsed.memo is not None
    return parsed.memo


def test_superseded_status_is_derived_both_ways() -> None:
    entries = build_index([memo(A), memo(B, supersedes=[A], date="2026-02-01", decided_on="2026-02-01")])
    by_id = {e.id: e for e in entries}
    assert (by_id[A].status, by_id[A].declared_status, by_id[A].superseded_by) == ("superseded", "decided", (B,))
    assert (by_id[B].status, by_id[B].supersedes) == ("decided", (A,))


def test_amended_by_is_derived_and_the_amended_memo_stays_current() -> None:
    entries = build_index([memo(A), memo(B, amends=[A], needs_human=["dri: confirm the DRI"])])
    by_id = {e.id: e for e in entries}
    assert (by_id[A].status, by_id[A].amended_by, by_id[A].needs_human) == ("decided", (B,), ())
    assert (by_id[B].amends, by_id[B].needs_human) == ((A,), ("dri: confirm the DRI",))
    shown = render_entry(by_id[B], "").splitlines()
    assert shown[shown.index(f"amends:        {A}") + 1] == "to do:         dri: confirm the DRI"
    assert f"amended by:    {B}" in render_entry(by_id[A], "").splitlines()


def test_entries_are_newest_first() -> None:
    entries = build_index([memo(A, date="2026-01-01"), memo(B, date="2026-03-01"), memo(C, date="2026-02-01")])
    assert [e.id for e in entries] == [B, C, A]


def test_find_entry_by_id_in_any_case_or_by_alias() -> None:
    entries = build_index([memo(A, aliases=["7"]), memo(B)])
    assert find_entry(entries, "d-bbbbbb") is not None
    found = find_entry(entries, "7")
    assert found is not None and found.id == A
    assert find_entry(entries, "8") is None


def test_filters_combine() -> None:
    entries = build_index([memo(A, tags=["db"], dri="Ana"), memo(B, tags=["db"], dri="Bo"), memo(C, dri="Ana")])
    assert [e.id for e in filter_entries(entries, dri="ana", tag="db")] == [A]


def test_markdown_escapes_table_syntax_and_html() -> None:
    text = render_markdown(build_index([memo(A, title="Use a | b \\ c"), memo(B, title="<script>x</script>")]))
    assert f"| [{A}](decisions/{A}.md) | Use a \\| b \\\\ c | decided |" in text
    assert f"| [{B}](decisions/{B}.md) | &lt;script&gt;x&lt;/script&gt; | decided |" in text


@pytest.fixture
def imported() -> tuple[IndexEntry, ...]:
    return build_index([memo(A, aliases=["0007"]), memo(B, aliases=["20200902-use-x"])])


@pytest.mark.parametrize("key", ["D-AAAAAA", "d-aaaaaa", "0007", "7", "007", "ADR-7", "adr-0007"])
def test_numeric_aliases_match_as_numbers(imported: tuple[IndexEntry, ...], key: str) -> None:
    found = find_entry(imported, key)
    assert found is not None and found.id == A


def test_other_aliases_match_exactly(imported: tuple[IndexEntry, ...]) -> None:
    found = find_entry(imported, "20200902-use-x")
    assert found is not None and found.id == B
    assert find_entry(imported, "8") is None
    assert find_entry(imported, "²") is None


def test_markdown_cells_stay_text_when_rendered() -> None:
    import markdown

    attack = "[plan](javascript:alert(1)) `x`{: onclick=alert(2)} ![i](javascript:alert(3)) <b>b</b>"
    text = render_markdown(build_index([memo(A, title=attack, dri=attack, tags=[attack])]))
    html = markdown.markdown(text, extensions=["tables", "attr_list"])
    assert "javascript" not in html.replace("(javascript:alert(", "")
    assert "onclick" not in html.replace("{: onclick=alert(2)}", "") and "<b>" not in html
    assert f'<a href="decisions/{A}.md">{A}</a>' in html
    assert (
        "<td>[plan](javascript:alert(1)) `x`{: onclick=alert(2)} ![i](javascript:alert(3)) &lt;b&gt;b&lt;/b&gt;</td>"
        in html
    )
