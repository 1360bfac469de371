"""The roster: reading decisions/people.yml strictly, and validate checking DRIs and escalations against it."""

from __future__ import annotations

from conftest import GitRepo, memo_text
from hypothesis import given, settings
from hypothesis import strategies as st

from decide.config import load_config
from decide.roster import Member, may_break_memos, parse_roster
from decide.validate import validate

A, B = "D-7KQ2MX", "D-3ND8WZ"
PEOPLE = """\
# Who may decide, and the roles calls go up to.
- name: Ana Ruiz
  handle: "@ana"
  email: ana@example.com
  role: Head of Billing
- name: Bo Sand
  handle: bo
  role: CTO
"""


def test_a_roster_is_a_list_of_people() -> None:
    roster = parse_roster(PEOPLE, "decisions/people.yml")
    assert roster.problems == ()
    assert roster.people == (
        Member("Ana Ruiz", "ana", "ana@example.com", "Head of Billing"),
        Member("Bo Sand", "bo", "", "CTO"),
    )


def test_a_person_is_found_by_name_handle_or_email_in_any_case() -> None:
    roster = parse_roster(PEOPLE, "decisions/people.yml")
    for text in ("Ana Ruiz", "ana ruiz", "@ana", "Someone <ANA@example.com>", "Ana Ruiz <ana@example.com>"):
        assert roster.find(text) == roster.people[0], text
    assert roster.find("@bo") == roster.people[1]
    assert roster.find("@ana-ruiz") is None
    assert roster.has_role("cto") and not roster.has_role("CFO")


def test_only_a_roster_change_that_takes_someone_away_may_break_memos() -> None:
    path = "decisions/people.yml"
    old = parse_roster(PEOPLE, path)
    more = parse_roster(PEOPLE + "- name: Chen Okafor\n", path)
    fewer = parse_roster("- name: Bo Sand\n  handle: bo\n  role: CTO\n", path)
    broken = parse_roster("- nme: Ana Ruiz\n", path)
    assert not may_break_memos(old, old) and not may_break_memos(old, more)
    assert may_break_memos(old, fewer) and may_break_memos(None, old) and may_break_memos(broken, old)
    assert not may_break_memos(old, None) and not may_break_memos(old, broken)


def test_every_problem_in_the_roster_file_is_reported_with_its_line() -> None:
    text = "- name: Ana Ruiz\n  emial: ana@example.com\n- handle: '@bo'\n  role: [CTO]\n- just a name\n"
    roster = parse_roster(text, "decisions/people.yml")
    assert [str(p) for p in roster.problems] == [
        'decisions/people.yml:2: [0].emial: unknown field; did you mean "email"?',
        'decisions/people.yml:3: [1].name: missing; add "name: Ana Ruiz"',
        "decisions/people.yml:4: [1].role: must be text",
        'decisions/people.yml:5: [2]: must be "name: …" with optional handle, email and role',
    ]
    assert roster.people == ()


def test_a_handle_or_email_with_a_space_is_refused() -> None:
    text = "- name: Ana Ruiz\n  handle: ana ruiz\n- name: Bo Sand\n  handle: '@bo'\n  email: Bo <bo@example.com>\n"
    roster = parse_roster(text, "decisions/people.yml")
    assert [str(p) for p in roster.problems] == [
        'decisions/people.yml:2: [0].handle: "ana ruiz" has a space; a handle is one word, the user name (e.g. "ana-ruiz")',
        'decisions/people.yml:5: [1].email: "Bo <bo@example.com>" has a space; write the address alone (e.g. "bo@example.com")',
    ]


def test_the_roster_is_read_with_the_strict_memo_loader() -> None:
    roster = parse_roster("- name: Ana\n  name: Bo\n", "decisions/people.yml")
    assert [str(p) for p in roster.problems] == [
        "decisions/people.yml:2: [0].name: duplicate key (first on line 1); keep one of them"
    ]
    assert [str(p) for p in parse_roster("name: Ana\n", "decisions/people.yml").problems] == [
        'decisions/people.yml:1: must be a list of people: "- name: Ana Ruiz" with optional handle, email and role lines'
    ]


def test_validate_checks_dri_and_escalation_against_the_roster(repo: GitRepo) -> None:
    repo.write("decisions/people.yml", PEOPLE)
    ok = repo.add_memo(A, dri="@ana", escalation={"trigger": "cost exceeds $50k", "to": "cto"})
    bad = repo.add_memo(
        B, title="Hire an SRE", dri="Ana Ruis", escalation={"trigger": "cost exceeds $50k", "to": "CTOO"}
    )
    report = validate(load_config(repo.root))
    assert [str(p) for p in report.problems] == [
        f'decisions/{bad.name}:7: dri: "Ana Ruis" is not in decisions/people.yml; did you mean "Ana Ruiz"?',
        f'decisions/{bad.name}:12: escalation.to: "CTOO" is neither a person nor a role in decisions/people.yml; did you mean "CTO"?',
    ]
    assert ok.name not in {p.path for p in report.problems}


def test_someone_far_from_anyone_on_the_roster_gets_the_fix(repo: GitRepo, invoke) -> None:
    repo.write("decisions/people.yml", PEOPLE)
    path = repo.add_memo(A, dri="Zed Quill")
    result = invoke("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        f'decisions/{path.name}:7: dri: "Zed Quill" is not in decisions/people.yml; add them there or name someone who is\n'
    )


def test_a_tbd_dri_and_a_log_without_roster_are_not_checked(repo: GitRepo) -> None:
    repo.add_memo(A, dri="Zed Quill")
    assert validate(load_config(repo.root)).problems == ()
    repo.write("decisions/people.yml", PEOPLE)
    repo.add_memo(B, title="Hire an SRE", dri="TBD", status="proposed", decided_on=None)
    assert [p.field for p in validate(load_config(repo.root)).problems] == ["dri"]


def test_a_broken_roster_is_reported_and_checks_nothing_against_it(repo: GitRepo) -> None:
    repo.write("decisions/people.yml", "- name: [Ana\n")
    repo.add_memo(A, dri="Zed Quill")
    problems = validate(load_config(repo.root)).problems
    assert [(p.path, p.line) for p in problems] == [("decisions/people.yml", 2)]
    assert problems[0].message.startswith("YAML syntax error")


def test_the_roster_is_not_taken_for_a_memo(repo: GitRepo, invoke) -> None:
    repo.write("decisions/people.yml", PEOPLE)
    repo.add_memo(A, dri="Ana Ruiz")
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0 and "people.yml" not in result.stdout


def test_the_roster_path_is_configurable(repo: GitRepo) -> None:
    repo.write("decide.toml", 'roster = "team/people.yml"\n')
    repo.write("team/people.yml", PEOPLE)
    repo.add_memo(A, dri="Zed Quill")
    assert [p.field for p in validate(load_config(repo.root)).problems] == ["dri"]


class _CountedPeople(tuple):  # type: ignore[type-arg]
    """The roster's people, counting how often someone walks through all of them."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).walks += 1
        return super().__iter__()


def test_checking_many_memos_walks_the_roster_a_few_times_not_once_a_memo() -> None:
    from decide.memo import parse
    from decide.roster import Roster, check_people

    people = _CountedPeople(
        Member(f"Person {n}", f"p{n}", f"p{n}@example.com", "CTO" if n == 0 else "") for n in range(2000)
    )
    roster = Roster("decisions/people.yml", people)
    memos = [parse(memo_text(A, dri=f"Person {n}", title="Memo"), "decisions/x.md").memo for n in range(0, 2000, 7)]
    _CountedPeople.walks = 0
    assert [p for memo in memos if memo for p in check_people(memo, roster)] == []
    assert _CountedPeople.walks <= 5, "an index is built once; a lookup per memo must not walk the roster"


# Roster lines of every shape: the plain ones the quick reader takes, and the ones it must leave to YAML.
_LINE = st.sampled_from(
    [
        *("- name: Ana Ruiz", "  handle: ana", '  handle: "@ana"', "  email: ana@example.com", "  role: CTO"),
        *("- name: Bo", "  name: Bo", "  role: Head of Billing", "  role: 'Head: Billing'", "  role: a #b"),
        *("  role: true", "  role: ~", "  role: 12", "  role: -x", "  role: [CTO]", '  role: "a\\"b"', "  role:"),
        *("# comment", "", "   ", "    deep: x", "- just text", "name: top", "  role: O'Brien", "  role: C#", "---"),
        *("\t- name: tab", "- name: x\r", "  x-y: z", "  role: a: b", "  role: x  ", "  role: 'a''b'"),
    ]
)


@given(st.lists(_LINE, max_size=12).map("\n".join))
@settings(max_examples=500, deadline=None)
def test_the_quick_roster_reader_reads_what_yaml_reads(text: str) -> None:
    from decide.yaml_lines import load_yaml, quick_records

    quick = quick_records(text)
    if quick is not None:
        data, lines, problems = load_yaml(text, "decisions/people.yml")
        assert (quick, problems) == ((data, lines), ())
