"""Front-matter edits on the memo's text: only the intended lines change."""

from __future__ import annotations

import pytest

from decide.edit import AddItem, SetField, apply_edits
from decide.errors import Refused

PATH = "decisions/D-7KQ2MX-x.md"


def memo(*front: str, body: str = "\nBody with status: proposed and\n---\na rule.\n", newline: str = "\n") -> str:
    return newline.join(["---", *front, "---"]) + newline + body.replace("\n", newline)


def test_set_field_replaces_only_its_line_and_keeps_the_end_of_line_comment() -> None:
    text = memo("id: D-7KQ2MX", "status: proposed   # flip when decided", "dri: Ana")
    out = apply_edits(text, PATH, [SetField("status", "decided")])
    assert out == text.replace("status: proposed   # flip", "status: decided   # flip")


def test_set_field_keeps_a_quoted_key_and_a_comment_after_a_quoted_value() -> None:
    text = memo("id: D-7KQ2MX", "\"reason\": 'it is # not a comment'  # real comment", "dri: Ana")
    out = apply_edits(text, PATH, [SetField("reason", "new: reason")])
    assert out == text.replace("'it is # not a comment'", '"new: reason"')


def test_a_missing_field_is_added_just_before_the_closing_line_with_the_files_line_endings() -> None:
    text = memo("id: D-7KQ2MX", "dri: Ana", "# last comment", newline="\r\n")
    out = apply_edits(text, PATH, [SetField("decided_on", "2026-02-01")])
    assert out == text.replace("# last comment\r\n---", "# last comment\r\ndecided_on: 2026-02-01\r\n---")


def test_a_value_written_over_several_lines_is_replaced_whole_and_the_comment_after_it_stays() -> None:
    text = memo("id: D-7KQ2MX", "reason: |", "  long", "  # part of the text", "", "# about dri", "dri: Ana")
    out = apply_edits(text, PATH, [SetField("reason", "short")])
    assert out == text.replace("reason: |\n  long\n  # part of the text\n", "reason: short\n")


def test_an_entry_is_appended_to_a_block_list_with_its_indentation() -> None:
    text = memo("id: D-7KQ2MX", "reviews:", "- date: 2026-01-06", "  by: Bo   # was late", "# after", "dri: Ana")
    out = apply_edits(text, PATH, [AddItem("reviews", (("date", "2026-02-02"), ("note", "still: holds")))])
    assert out == text.replace("# was late\n", '# was late\n- date: 2026-02-02\n  note: "still: holds"\n')


def test_an_empty_flow_list_becomes_a_block_list_keeping_its_comment() -> None:
    text = memo("id: D-7KQ2MX", "reviews: []  # none yet", "dri: Ana", newline="\r\n")
    out = apply_edits(text, PATH, [AddItem("reviews", (("date", "2026-02-02"),))])
    assert out == text.replace("reviews: []  # none yet\r\n", "reviews:  # none yet\r\n  - date: 2026-02-02\r\n")


def test_a_missing_list_is_created_before_the_closing_line() -> None:
    text = memo("id: D-7KQ2MX", "dri: Ana")
    out = apply_edits(text, PATH, [AddItem("reviews", (("date", "2026-02-02"), ("by", "Bo")))])
    assert out == text.replace("dri: Ana\n", "dri: Ana\nreviews:\n  - date: 2026-02-02\n    by: Bo\n")


def test_a_byte_order_mark_is_kept() -> None:
    text = "\ufeff" + memo("id: D-7KQ2MX", "status: proposed")
    assert apply_edits(text, PATH, [SetField("status", "decided")]) == text.replace("proposed\n", "decided\n", 1)


def test_several_edits_apply_in_order() -> None:
    text = memo("id: D-7KQ2MX", "status: proposed", "review_by: 2026-03-01")
    edits = [AddItem("reviews", (("date", "2026-02-02"),)), SetField("review_by", "2026-09-01")]
    out = apply_edits(text, PATH, edits)
    assert out == memo("id: D-7KQ2MX", "status: proposed", "review_by: 2026-09-01", "reviews:", "  - date: 2026-02-02")


def test_an_inline_list_with_entries_is_refused_with_the_fix() -> None:
    text = memo("id: D-7KQ2MX", "reviews: [{date: 2026-01-01}]")
    with pytest.raises(Refused) as refused:
        apply_edits(text, PATH, [AddItem("reviews", (("date", "2026-02-02"),))])
    assert str(refused.value) == (
        f"{PATH}:3: reviews: is written inline ([...]); write one '- ' entry per line, then run the command again"
    )


def test_a_layout_that_would_not_read_back_as_intended_is_refused() -> None:
    # Front-matter written as one flow mapping over several lines: replacing a line would break it.
    text = memo("{id: D-7KQ2MX,", "status: proposed}")
    with pytest.raises(Refused) as refused:
        apply_edits(text, PATH, [SetField("status", "decided"), SetField("decided_on", "2026-02-01")])
    assert str(refused.value) == (
        f"{PATH}: the front-matter is laid out in a way decide cannot edit safely; set status, decided_on by hand"
    )


def test_unreadable_text_is_refused_naming_the_problem() -> None:
    with pytest.raises(Refused) as refused:
        apply_edits("no front-matter\n", PATH, [SetField("status", "decided")])
    assert str(refused.value) == (
        f"{PATH} cannot be read; nothing was written:\n"
        f"  {PATH}:1: has no front-matter; start the file with a '---' line, the fields, then '---'"
    )
