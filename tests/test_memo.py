"""Parsing one memo: the strict loader, line numbers, and every kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from decide.memo import MAX_BYTES, load, parse, parse_bytes
from decide.problem import Problem
from decide.yaml_lines import render_scalar

GOOD = (
    "---\nid: D-ABCDEF\ntitle: Adopt Postgres\nstatus: proposed\ndate: 2026-01-02\ndri: Ana Ruiz\n---\n\n## Context\n"
)


def only_problem(text: str) -> Problem:
    parsed = parse(text, "decisions/m.md")
    assert parsed.memo is None
    assert len(parsed.problems) == 1, parsed.problems
    return parsed.problems[0]


def test_a_good_memo_parses_with_field_lines_and_body() -> None:
    memo = parse(GOOD, "decisions/m.md").memo
    assert memo is not None
    assert memo.id == "D-ABCDEF"
    assert memo.line_of(("dri",)) == 6
    assert memo.body == "\n## Context\n"
    assert memo.body_line == 8


def test_dates_and_numbers_stay_the_strings_written() -> None:
    text = "---\ndate: 2026-01-02\nreview_by: 2026-1-2\nstatus: no\ntags: [0123, 1.10, 12:30, on]\n---\n"
    memo = parse(text, "m.md").memo
    assert memo is not None
    assert dict(memo.data) == {
        "date": "2026-01-02",
        "review_by": "2026-1-2",
        "status": "no",
        "tags": ["0123", "1.10", "12:30", "on"],
    }


def test_true_false_and_null_keep_their_yaml_meaning() -> None:
    memo = parse("---\nx-a: true\nx-b: False\nx-c:\nx-d: ~\n---\n", "m.md").memo
    assert memo is not None
    assert dict(memo.data) == {"x-a": True, "x-b": False, "x-c": None, "x-d": None}


def test_no_front_matter() -> None:
    assert only_problem("# Title\n\ntext\n") == Problem(
        "decisions/m.md", 1, "", "has no front-matter; start the file with a '---' line, the fields, then '---'"
    )


def test_front_matter_never_closed() -> None:
    assert only_problem("---\nid: x\n").message == "front-matter is never closed; add a '---' line after the last field"


@pytest.mark.parametrize(
    ("front", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "a single value")],
)
def test_front_matter_that_is_not_fields(front: str, kind: str) -> None:
    problem = only_problem(f"---\n{front}---\n")
    assert problem.message == f"front-matter is {kind}; it must be 'key: value' fields (id, title, status, date, dri)"
    assert problem.line == 2


def test_yaml_syntax_error_reports_its_line() -> None:
    problem = only_problem('---\nid: D-ABCDEF\ntitle: "unclosed\nstatus: proposed\n---\n')
    assert problem.path == "decisions/m.md"
    assert problem.line == 5
    assert problem.message.startswith("YAML syntax error: ")


def test_duplicate_keys_are_refused_not_merged() -> None:
    problem = only_problem("---\nid: D-ABCDEF\ndri: Ana\ntitle: x\ndri: Bo\n---\n")
    assert problem == Problem("decisions/m.md", 5, "dri", "duplicate key (first on line 3); keep one of them")


def test_duplicate_nested_keys_are_refused() -> None:
    problem = only_problem("---\nescalation:\n  to: CTO\n  to: CFO\n---\n")
    assert (problem.line, problem.field) == (4, "escalation.to")


def test_tabs_in_indentation_name_the_line() -> None:
    problem = only_problem("---\nescalation:\n\ttrigger: x\n---\n")
    assert problem == Problem("decisions/m.md", 3, "", "tab in indentation; YAML needs spaces")


def test_python_tags_are_refused() -> None:
    problem = only_problem("---\ntitle: !!python/object/apply:os.system [echo hi]\n---\n")
    assert problem.line == 2
    assert problem.field == "title"
    assert problem.message == "YAML tag !!python/object/apply:os.system is not allowed; write a plain value"


def test_local_tags_are_refused() -> None:
    assert "YAML tag !secret is not allowed" in only_problem("---\ntitle: !secret x\n---\n").message


def test_alias_bomb_is_refused_without_expanding() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    parsed = parse("---\n" + "\n".join(levels) + "\n---\n", "m.md")
    assert parsed.memo is None
    assert parsed.problems[0] == Problem(
        "m.md", 3, "a1", "YAML anchors and aliases (& and *) are not allowed; write the value out"
    )


def test_empty_file() -> None:
    message = "is empty; a memo starts with a '---' line, its fields, and another '---' line"
    assert only_problem("") == Problem("decisions/m.md", 1, "", message)
    assert only_problem("\n  \n").message == message


def test_empty_front_matter() -> None:
    assert only_problem("---\n---\nbody\n").message.startswith("front-matter is empty")


def test_non_utf8_bytes_name_the_line() -> None:
    parsed = parse_bytes(b"---\nid: D-ABCDEF\ntitle: caf\xe9\n---\n", "m.md")
    assert parsed.problems == (Problem("m.md", 3, "", "is not UTF-8 (byte 0xe9); save the file as UTF-8"),)


def test_a_byte_order_mark_is_accepted() -> None:
    parsed = parse_bytes(b"\xef\xbb\xbf" + GOOD.encode(), "m.md")
    assert parsed.problems == ()
    assert parsed.memo is not None
    assert parsed.memo.id == "D-ABCDEF"


def test_crlf_line_endings_are_accepted() -> None:
    parsed = parse(GOOD.replace("\n", "\r\n"), "m.md")
    assert parsed.problems == ()
    assert parsed.memo is not None
    assert parsed.memo.dri == "Ana Ruiz"
    assert parsed.memo.line_of(("dri",)) == 6
    assert parsed.memo.body == "\r\n## Context\r\n"


def test_a_huge_memo_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "decisions" / "big.md"
    path.parent.mkdir()
    path.write_text(GOOD + "x" * (5 * 1024 * 1024), encoding="utf-8")
    parsed = load(path, tmp_path)
    assert parsed.problems == (
        Problem("decisions/big.md", 1, "", "is 5.2 MB; a memo is at most 1 MB: link large material instead"),
    )
    assert path.stat().st_size > MAX_BYTES


def test_a_directory_named_md_is_refused(tmp_path: Path) -> None:
    (tmp_path / "decisions" / "D-ABCDEF-x.md").mkdir(parents=True)
    problem = load(tmp_path / "decisions" / "D-ABCDEF-x.md", tmp_path).problems[0]
    assert problem.message == "is a directory, not a memo; rename it so it does not end in .md"


def test_a_symlink_named_md_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text(GOOD, encoding="utf-8")
    link = tmp_path / "decisions" / "D-ABCDEF-x.md"
    link.parent.mkdir()
    os.symlink(target, link)
    problem = load(link, tmp_path).problems[0]
    assert problem == Problem(
        "decisions/D-ABCDEF-x.md", 1, "", "is a symbolic link; a memo must be a regular file (move the real file here)"
    )


def test_lenient_accessors_read_wrong_types_as_empty() -> None:
    memo = parse("---\ndri: [a, b]\ntags: pricing\nescalation: soon\ninputs: [x, {who: y, what: z}]\n---\n", "m").memo
    assert memo is not None
    assert (memo.dri, memo.tags, memo.escalation) == ("", (), None)
    assert [i.who for i in memo.inputs] == ["x", "y"]


@given(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60))
def test_render_scalar_reads_back_as_the_same_text(value: str) -> None:
    parsed = parse(f"---\ntitle: {render_scalar(value)}\n---\n", "m.md")
    assert parsed.memo is not None, parsed.problems
    assert parsed.memo.data["title"] == value


@given(st.text(st.sampled_from("aZ09 ,.()'/_-<>@+&:#\"tTrRuUeEnNlL"), min_size=1, max_size=12))
def test_render_scalar_writes_plain_text_as_loading_it_would(value: str) -> None:
    from decide.yaml_lines import _Loader

    loader = _Loader(f"k: {value}\n")
    try:
        plain = loader.get_single_data() == {"k": value} and value == value.strip()
    except yaml.YAMLError:
        plain = False
    finally:
        loader.dispose()
    assert (render_scalar(value) == value) is (plain and not value.startswith(("'", '"', "#")))


def test_a_control_character_names_its_line() -> None:
    problem = only_problem("---\nid: x\ntitle: a\x99b\n---\n")
    assert problem == Problem(
        "decisions/m.md", 3, "", "contains the character #x0099, which YAML does not allow; remove it"
    )


@pytest.mark.parametrize(
    "value",
    ["[" * 400 + "]" * 400, "{a: " * 400 + "x" + "}" * 400, "\n" + "".join("  " * i + "  a:\n" for i in range(400))],
)
def test_deep_nesting_is_refused_on_the_fields_line(value: str) -> None:
    problem = only_problem(f"---\nid: D-ABCDEF\nx-a: {value}\n---\n")
    assert problem == Problem(
        "decisions/m.md",
        3,
        "x-a",
        "is nested more than 20 levels deep; flatten it to a few levels of lists and 'key: value' fields",
    )


def test_nesting_up_to_the_limit_is_read() -> None:
    memo = parse("---\nx-a: " + "[" * 20 + "]" * 20 + "\n---\n", "m.md").memo
    assert memo is not None
