"""Validation: schema, per-memo rules and rules across memos, with exact messages."""

from __future__ import annotations

import pytest
from conftest import GitRepo, memo_text

from decide.config import Config, load_config
from decide.validate import validate

A, B, C = "D-AAAAAA", "D-BBBBBB", "D-CCCCCC"


def problems(repo: GitRepo) -> list[str]:
    return [str(p) for p in validate(Config(root=repo.root)).problems]


def test_a_valid_log_has_no_problems(repo: GitRepo) -> None:
    repo.add_memo(A)
    repo.add_memo(B, status="proposed", decided_on=None, inputs=None, escalation=None, dri="TBD")
    report = validate(Config(root=repo.root))
    assert report.problems == ()
    assert report.files == 2


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"dri": ["Ana", "Bo"]},
            "7: dri: must be one person, not a list; name the DRI and put the others under inputs",
        ),
        (
            {"tags": "pricing"},
            '13: tags: must be a list, not the text "pricing"; write "[pricing]" or one "- pricing" line per item',
        ),
        ({"status": "no"}, '4: status: the text "no" is not one of: proposed, decided, rejected, retired'),
        ({"date": "2026-1-2"}, '5: date: "2026-1-2" is not a real date; write YYYY-MM-DD: 2026-01-02'),
        ({"date": "2026-02-30"}, '5: date: "2026-02-30" is not a real date; write YYYY-MM-DD (e.g. 2026-02-28)'),
        ({"dri": "Sales team"}, '7: dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")'),
        (
            {"dri": "Ana and Bo"},
            '7: dri: "Ana and Bo" names more than one person; name one DRI and list the others under inputs',
        ),
        (
            {"dri": "Ana, Bo"},
            '7: dri: "Ana, Bo" names more than one person; name one DRI and list the others under inputs',
        ),
        (
            {"dri": "TBD"},
            "7: dri: TBD is allowed only while proposed; name the one person who decided this decided memo",
        ),
        (
            {"dri": "TBD <x@example.com>"},
            "7: dri: TBD is allowed only while proposed; name the one person who decided this decided memo",
        ),
        ({"dri": ""}, "7: dri: is empty; fill it in"),
        (
            {"decided_on": None},
            '1: decided_on: missing (required once decided); add "decided_on: YYYY-MM-DD", the day the DRI made the call',
        ),
        ({"inputs": []}, "8: inputs: is empty (required once decided); add at least one entry"),
        (
            {"escalation": None},
            '1: escalation: missing (required once decided); add "escalation:" with "trigger: when this goes up" and "to: the one person or role"',
        ),
        (
            {"escalation": {"trigger": "cost > $1M"}},
            '10: escalation.to: missing; add "to: …", the one person or role it goes to',
        ),
        (
            {"escalation": {"trigger": "cost > $1M", "to": "CTO and CFO"}},
            '12: escalation.to: "CTO and CFO" names more than one person; name the one person or role it goes to',
        ),
        (
            {"review_by": "2026-01-05"},
            "13: review_by: 2026-01-05 is not after the memo was opened (2026-01-05); pick a later review date",
        ),
        (
            {"decided_on": "2025-12-31"},
            "6: decided_on: 2025-12-31 is before the memo was opened (2026-01-05); it cannot be decided before it exists",
        ),
        ({"stauts": "decided"}, '13: stauts: unknown field; did you mean "status"?'),
        ({"owner": "Ana"}, '13: owner: unknown field; own fields must start with "x-"'),
        (
            {"status": "superseded"},
            "4: status: superseded is derived, never written: leave this memo as it is and list its ID under supersedes in the new memo (allowed: proposed, decided, rejected, retired)",
        ),
        ({"supersedes": ["D-ZZZZZZ"]}, "13: supersedes: D-ZZZZZZ does not exist"),
        (
            {"supersedes": ["7"]},
            '14: supersedes[0]: "7" is not a decide ID (D- and six of 0-9, A-Z without I, L, O, U); '
            "a memo in another repository is named with its repository, e.g. payments:D-7KQ2MX",
        ),
        (
            {"inputs": [{"what": "numbers"}]},
            '9: inputs[0]: must be a name, or "who:" with optional "what:" and "link:"',
        ),
        (
            {"inputs": [{"who": "Bo", "wat": "cost"}]},
            '10: inputs[0].wat: unknown field; did you mean "what"?',
        ),
        (
            {"inputs": [{"who": "Bo", "x-a": "cost"}]},
            "10: inputs[0].x-a: unknown field; allowed here: who, what, link",
        ),
        (
            {"escalation": {"trigger": "cost > $1M", "to": "CTO", "x-a": "b"}},
            "13: escalation.x-a: unknown field; allowed here: trigger, to",
        ),
    ],
)
def test_one_bad_field_gives_one_exact_message(repo: GitRepo, fields: dict[str, object], expected: str) -> None:
    path = repo.add_memo(A, **fields)
    assert problems(repo) == [f"decisions/{path.name}:{expected}"]


@pytest.mark.parametrize(
    "dri", ["Alla Sand", "Anderson", "Ana Ruiz <ana@example.com>", "@ana-ruiz", "Zoë Ångström", "chen@example.com"]
)
def test_one_person_passes(repo: GitRepo, dri: str) -> None:
    repo.add_memo(A, dri=dri)
    assert problems(repo) == []


def test_tbd_and_no_inputs_are_fine_while_proposed(repo: GitRepo) -> None:
    repo.add_memo(A, status="proposed", decided_on=None, dri="TBD", inputs=None, escalation=None)
    assert problems(repo) == []


def test_extension_fields_starting_with_x_are_allowed(repo: GitRepo) -> None:
    repo.add_memo(A, **{"x-budget": "50k", "x-jira": "OPS-1"})
    assert problems(repo) == []


def test_imported_decided_memos_may_lack_inputs_and_escalation(repo: GitRepo) -> None:
    repo.add_memo(A, inputs=None, escalation=None, imported={"from": "adr-tools", "source": "doc/adr/0001-x.md"})
    assert problems(repo) == []


def test_every_problem_in_every_file_in_one_run(repo: GitRepo) -> None:
    first = repo.add_memo(A, dri="Sales team", tags="pricing", date="2026-02-30")
    second = repo.add_memo(B, status="no")
    repo.write("decisions/broken.md", "no front-matter\n")
    found = problems(repo)
    assert [p.split(":")[0] for p in found] == [
        f"decisions/{first.name}",
        f"decisions/{first.name}",
        f"decisions/{first.name}",
        f"decisions/{second.name}",
        "decisions/broken.md",
    ]


def test_id_must_match_the_file_name(repo: GitRepo) -> None:
    repo.write("decisions/D-BBBBBB-x.md", memo_text(A))
    assert problems(repo) == [
        'decisions/D-BBBBBB-x.md:2: id: D-AAAAAA does not match the file name; rename the file to start with "D-AAAAAA-"'
    ]


def test_two_memos_with_one_id(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-one.md", memo_text(A))
    repo.write(f"decisions/{A}-two.md", memo_text(A))
    assert problems(repo) == [
        f"decisions/{A}-one.md:2: id: {A} is also the ID of decisions/{A}-two.md; give one of them a new ID (decide new prints a fresh one)",
        f"decisions/{A}-two.md:2: id: {A} is also the ID of decisions/{A}-one.md; give one of them a new ID (decide new prints a fresh one)",
    ]


def test_a_duplicate_id_is_reported_on_the_line_of_the_id(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-one.md", memo_text(A).replace("---\n", "---\n# copied from the wiki\n", 1))
    repo.write(f"decisions/{A}-two.md", memo_text(A))
    assert [(p.path, p.line, p.field) for p in validate(Config(root=repo.root)).problems] == [
        (f"decisions/{A}-one.md", 3, "id"),
        (f"decisions/{A}-two.md", 2, "id"),
    ]


def test_an_alias_clash_is_reported_on_the_line_of_the_aliases(repo: GitRepo) -> None:
    first = repo.add_memo(A, aliases=["0007"])
    second = repo.add_memo(B, title="Hire", aliases=[A])
    third = repo.add_memo(C, title="Vendor", tags=["x"], aliases=["0007"])
    assert problems(repo) == [
        f'decisions/{first.name}:13: aliases: "0007" also names decisions/{third.name}; an alias must point to one memo',
        f'decisions/{second.name}:13: aliases: "{A}" also names decisions/{first.name}; an alias must point to one memo',
        f'decisions/{third.name}:15: aliases: "0007" also names decisions/{first.name}; an alias must point to one memo',
    ]


def test_supersedes_target_must_exist_with_a_hint(repo: GitRepo) -> None:
    repo.add_memo(A)
    path = repo.add_memo(B, supersedes=["D-AAAAAB"])
    assert problems(repo) == [f'decisions/{path.name}:13: supersedes: D-AAAAAB does not exist; did you mean "{A}"?']


def test_amends_targets_must_exist_and_not_be_the_memo_itself(repo: GitRepo) -> None:
    repo.add_memo(A)
    path = repo.add_memo(B, amends=[A, "D-AAAAAB"])
    itself = repo.add_memo(C, amends=[C])
    assert problems(repo) == [
        f'decisions/{path.name}:13: amends: D-AAAAAB does not exist; did you mean "{A}"?',
        f"decisions/{itself.name}:13: amends: a memo cannot amend itself",
    ]


def test_needs_human_is_a_list_of_things_to_do(repo: GitRepo) -> None:
    repo.add_memo(A, needs_human=["dri: confirm the DRI"])
    path = repo.add_memo(B, needs_human="confirm the DRI")
    assert problems(repo) == [
        f'decisions/{path.name}:13: needs_human: must be a list, not the text "confirm the DRI"; write "[confirm the DRI]" or one "- confirm the DRI" line per item'
    ]


def test_supersession_cycles_are_found(repo: GitRepo) -> None:
    a = repo.add_memo(A, supersedes=[C])
    b = repo.add_memo(B, supersedes=[A])
    c = repo.add_memo(C, supersedes=[B])
    message = "supersedes: supersession cycle {}; a memo cannot replace its own successor"
    assert problems(repo) == [
        f"decisions/{a.name}:13: " + message.format(f"{A} -> {C} -> {B} -> {A}"),
        f"decisions/{b.name}:13: " + message.format(f"{B} -> {A} -> {C} -> {B}"),
        f"decisions/{c.name}:13: " + message.format(f"{C} -> {B} -> {A} -> {C}"),
    ]


def test_a_memo_cannot_supersede_itself(repo: GitRepo) -> None:
    path = repo.add_memo(A, supersedes=[A])
    assert problems(repo) == [f"decisions/{path.name}:13: supersedes: a memo cannot supersede itself"]


def test_a_memo_is_not_superseded_twice(repo: GitRepo) -> None:
    repo.add_memo(A)
    first = repo.add_memo(B, supersedes=[A])
    second = repo.add_memo(C, supersedes=[A])
    assert problems(repo) == [
        f"decisions/{second.name}:13: supersedes: {A} is already superseded by {B} (decisions/{first.name}); supersede {B} instead"
    ]


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("<script>alert(1)</script>", "the <script> element and everything in it"),
        ('<iframe src="https://example.com">', "the <iframe> element and everything in it"),
        ('<img src=x onerror="alert(1)">', "the onerror attribute of <img>"),
        ("[click](javascript:alert(1))", "the javascript: URL in the href of <a>"),
    ],
)
def test_what_the_site_would_drop_from_the_body_names_its_line(repo: GitRepo, line: str, dropped: str) -> None:
    path = repo.add_memo(A, body=f"\n## Context\n\n{line}\n")
    assert problems(repo) == [
        f"decisions/{path.name}:17: body: {dropped} would be dropped from the site; "
        "remove it, or put it in a code block to show it as text"
    ]


def test_html_in_code_blocks_and_code_spans_is_allowed(repo: GitRepo) -> None:
    body = "\n## Decision\n\nUse `<script>` tags never.\n\n```html\n<script>alert(1)</script>\n```\n"
    repo.add_memo(A, body=body)
    assert problems(repo) == []


def test_validating_named_paths_checks_references_against_the_whole_log(repo: GitRepo) -> None:
    repo.add_memo(A)
    repo.write(f"decisions/{C}-bad.md", "broken\n")
    path = repo.add_memo(B, supersedes=[A, "D-ZZZZZZ"])
    report = validate(Config(root=repo.root), [path])
    assert [str(p) for p in report.problems] == [f"decisions/{path.name}:13: supersedes: D-ZZZZZZ does not exist"]
    assert report.files == 1


def test_named_path_with_a_duplicate_id_of_another_file(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-one.md", memo_text(A))
    path = repo.write(f"decisions/{A}-two.md", memo_text(A))
    found = [str(p) for p in validate(Config(root=repo.root), [path]).problems]
    assert found == [
        f"decisions/{A}-two.md:2: id: {A} is also the ID of decisions/{A}-one.md; give one of them a new ID (decide new prints a fresh one)"
    ]


@pytest.mark.parametrize("written", ["12345", '"12345"', "1.5", "'+1 555 0100'"])
def test_a_number_is_not_a_dri(repo: GitRepo, written: str) -> None:
    path = repo.write(
        f"decisions/{A}-adopt.md", memo_text(A).replace("dri: Ana Ruiz <ana@example.com>", f"dri: {written}")
    )
    shown = written.strip("\"'")
    assert [str(p) for p in validate(load_config(repo.root)).problems] == [
        f'decisions/{path.name}:7: dri: "{shown}" has no letters, so it names nobody (a number is not a person); '
        'write a name, "Name <email>" or "@handle"'
    ]


def test_a_memo_in_another_repository_is_outside_the_log_with_a_note(repo: GitRepo, invoke) -> None:
    repo.add_memo(A, supersedes=["payments:D-7KQ2MX"])
    report = validate(Config(root=repo.root))
    assert report.problems == ()
    assert [str(n) for n in report.notes] == [
        f"decisions/{A}-adopt-postgres-for-billing.md:13: supersedes: payments:D-7KQ2MX is in another repository "
        "(payments), outside this log; 'decide org validate' in the organisation's aggregator checks it"
    ]
    result = invoke("validate")
    assert result.exit_code == 0
    assert result.stderr == f"note: {report.notes[0]}\n1 memo(s) valid\n"


def test_a_qualified_id_must_name_a_repository_in_lowercase(repo: GitRepo) -> None:
    repo.add_memo(A, supersedes=["Payments:D-7KQ2MX"])
    assert problems(repo) == [
        f'decisions/{A}-adopt-postgres-for-billing.md:14: supersedes[0]: "Payments:D-7KQ2MX" is not a decide ID '
        "(D- and six of 0-9, A-Z without I, L, O, U); a memo in another repository is named with its repository, "
        "e.g. payments:D-7KQ2MX"
    ]


def test_decide_new_writes_a_qualified_supersedes_as_typed_in_any_case(repo: GitRepo, invoke) -> None:
    result = invoke("new", "Move billing", "--supersedes", "Payments:d-7kq2mx", "--no-edit", "--dri", "Ana Ruiz")
    assert result.exit_code == 0, result.stderr
    written = (repo.root / result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert "supersedes:\n  - payments:D-7KQ2MX\n" in written
