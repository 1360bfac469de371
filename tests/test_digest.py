"""Attention that reaches people: decide due's JSON keeps each DRI's contact, Markdown is escaped, one digest per DRI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import GitRepo

from decide.config import load_config
from decide.decisions import load_log
from decide.digest import markdown_text, render_due_markdown, split_by_dri
from decide.due import DueItem, DueReport, find_due, roster_contact, same_people
from decide.index import build_index
from decide.person import Person
from decide.roster import load_roster

A, B, C, D = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT", "D-4HJ6KA"
ROSTER = """\
- name: Ana Ruiz
  handle: ana-ruiz
  email: ana@example.com
- name: Bo Sand
  email: bo@example.com
"""
OLD = {"date": "2020-01-01", "decided_on": "2020-01-02", "review_by": "2020-06-01"}


def write_log(repo: GitRepo) -> None:
    repo.write("decisions/people.yml", ROSTER)
    repo.add_memo(A, dri="Ana Ruiz", **OLD)  # on the roster by name: handle and email come from it
    repo.add_memo(B, title="Hire a second SRE", dri="Bo Sand <bo@example.com>", **OLD)
    repo.add_memo(C, title="Keep the monolith", dri="@ana-ruiz", **OLD)  # the same Ana, by handle
    repo.add_memo(D, title="Price in euros", dri="cy@example.com", **OLD)  # not on the roster: its own email


def report_for(repo: GitRepo, today: str = "2020-06-11") -> DueReport:
    config = load_config(repo.root)
    entries = build_index(load_log(config).memos)
    contact = roster_contact(load_roster(config))
    return find_due(entries, today, proposal_age_limit=14, dri_load_limit=5, contact=contact)


def test_due_json_is_versioned_and_keeps_each_dris_handle_and_email(repo: GitRepo, invoke) -> None:
    write_log(repo)
    document = json.loads(invoke("due", "--format", "json").stdout)
    assert list(document)[:2] == ["version", "today"]
    assert document["version"] == 1
    people = {i["id"]: (i["dri"], i["dri_handle"], i["dri_email"]) for i in document["overdue_reviews"]}
    assert people == {
        A: ("Ana Ruiz", "@ana-ruiz", "ana@example.com"),
        B: ("Bo Sand", "", "bo@example.com"),
        C: ("Ana Ruiz", "@ana-ruiz", "ana@example.com"),
        D: ("cy@example.com", "", "cy@example.com"),
    }
    assert set(document["overdue_reviews"][0]) == {
        "id",
        "title",
        "path",
        "dri",
        "dri_handle",
        "dri_email",
        "days",
        "detail",
    }


def test_the_same_person_written_three_ways_is_one_person() -> None:
    people = [
        Person("Ana Ruiz"),
        Person("Ana Ruiz", email="ana@example.com"),
        Person("ana@example.com", email="ana@example.com"),
        Person("@ana", handle="@ana"),
        Person("Bo Sand"),
    ]
    groups = same_people(people)
    assert groups[0] == groups[1] == groups[2]
    assert len({groups[0], groups[3], groups[4]}) == 3


HOSTILE = "Ship <b>fast</b> | *now* [x](javascript:alert(1)) @everyone #12 ~~old~~\n# heading"


def test_markdown_escapes_every_value_and_mentions_nobody(repo: GitRepo) -> None:
    repo.add_memo(A, title=HOSTILE, dri="Ana_Ruiz <ana@example.com>", **OLD)
    text = render_due_markdown(report_for(repo))
    assert text == (
        "## Needs attention on 2020-06-11: 1 item\n\n"
        "### Reviews overdue (1)\n\n"
        "| ID | Title | DRI | What is due | File |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| {A} | Ship &lt;b&gt;fast&lt;/b&gt; \\| \\*now\\* \\[x\\]\\(javascript:alert\\(1\\)\\) @\u2060everyone #\u206012 "
        "\\~\\~old\\~\\~ #\u2060 heading | Ana\\_Ruiz (ana@\u2060example.com) | review was due 2020-06-01, 10 days late "
        f"| decisions/{A}-ship-b-fast-b-now-x-javascript-alert-1-everyone-12-old.md |\n"
    )


def test_markdown_says_when_nothing_is_due(repo: GitRepo, invoke) -> None:
    repo.add_memo(A)
    result = invoke("due", "--format", "markdown")
    assert result.stdout.startswith("## Nothing needs attention on ")


def test_markdown_text_keeps_a_value_on_one_line() -> None:
    assert markdown_text("a\nb\r\nc") == "a b  c"


def test_one_digest_per_person_with_their_contact(repo: GitRepo) -> None:
    write_log(repo)
    digests = split_by_dri(report_for(repo))
    assert [(d.title, d.mention, [i.id for i in d.report.overdue_reviews]) for d in digests] == [
        ("Decisions needing attention: @ana-ruiz", "@ana-ruiz", [A, C]),
        ("Decisions needing attention: bo@example.com", "", [B]),
        ("Decisions needing attention: cy@example.com", "", [D]),
    ]


def test_by_dri_writes_one_file_per_dri_and_an_index(repo: GitRepo, invoke, tmp_path: Path) -> None:
    write_log(repo)
    out = tmp_path / "digests"
    result = invoke("due", "--by-dri", "--format", "markdown", "--output-dir", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"wrote 3 digest(s) and {out / 'index.tsv'}\n"
    assert (out / "index.tsv").read_text(encoding="utf-8") == (
        "Decisions needing attention: @ana-ruiz\tana-ruiz.md\t@ana-ruiz\n"
        "Decisions needing attention: bo@example.com\tbo-example-com.md\t\n"
        "Decisions needing attention: cy@example.com\tcy-example-com.md\t\n"
    )
    ana = (out / "ana-ruiz.md").read_text(encoding="utf-8")
    assert ana.startswith(
        "@ana-ruiz: **Ana Ruiz** (@\u2060ana-ruiz, ana@\u2060example.com), 2 items need your attention as of "
    )
    assert "| ID | Title | What is due | File |\n" in ana
    bo = (out / "bo-example-com.md").read_text(encoding="utf-8")
    assert bo.startswith("**Bo Sand** (bo@\u2060example.com), 1 item needs your attention")


def test_a_later_run_removes_the_digest_of_someone_with_nothing_due(repo: GitRepo, invoke, tmp_path: Path) -> None:
    write_log(repo)
    out = tmp_path / "digests"
    (tmp_path / "digests").mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    invoke("due", "--by-dri", "--format", "markdown", "--output-dir", str(out))
    (repo.decisions / f"{D}-price-in-euros.md").unlink()
    invoke("due", "--by-dri", "--format", "markdown", "--output-dir", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["ana-ruiz.md", "bo-example-com.md", "index.tsv", "notes.md"]


def test_by_dri_json_holds_each_digest_with_its_contact(repo: GitRepo, invoke) -> None:
    write_log(repo)
    document = json.loads(invoke("due", "--by-dri", "--format", "json").stdout)
    assert list(document) == ["version", "today", "digests"]
    first = document["digests"][0]
    assert first["title"] == "Decisions needing attention: @ana-ruiz"
    assert first["dri"] == {"name": "Ana Ruiz", "handle": "@ana-ruiz", "email": "ana@example.com"}
    assert [i["id"] for i in first["overdue_reviews"]] == [A, C]


def test_output_dir_without_by_dri_is_a_usage_error(repo: GitRepo, invoke, tmp_path: Path) -> None:
    repo.add_memo(A)
    result = invoke("due", "--output-dir", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (2, "Error: --output-dir writes one digest per DRI; add --by-dri\n")


def test_a_due_item_names_its_person() -> None:
    item = DueItem(A, "t", "p", "Ana", 1, "d", dri_handle="@ana", dri_email="a@example.com")
    assert item.person == Person("Ana", "a@example.com", "@ana")
