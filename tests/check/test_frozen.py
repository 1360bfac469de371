"""A closed memo's Decision section is judged on what a reader sees (markdown-it-py), on real git."""

from __future__ import annotations

import pytest
from conftest import BODY, GitRepo, memo_text

from decide.check import run_check
from decide.check.frozen import _parser, judge_decision, sections
from decide.config import load_config

A = "D-1AAAAA"
SUPERSEDE = f'write a new memo that supersedes it: decide supersede {A} "<new title>"'
CHANGED = f'{A} is decided, so its "## Decision" section may not change (only review_by, tags, reviews and "status: retired" may change); to change the decision, {SUPERSEDE}'
OLD = "## Decision\n\nWe use A.\n"
HEAD = "\n## Context\n\nWhy.\n\n"


def cannot_judge(reason: str) -> str:
    return (
        f"{A} is decided, and this change to its body {reason}, so decide cannot tell whether its "
        f'"## Decision" section still says the same; undo that part of the change, or to change the decision, {SUPERSEDE}'
    )


HTML = "changes raw HTML, which can hide a heading or make one"
# Each rewrites the decision so that the site shows only "We use B." as the decision.
BYPASSES = {
    "setext": (f"{HEAD}Decision\n--------\n\nWe use B.\n", 5, CHANGED),
    "attr-list": (f"{HEAD}## Decision {{: #decision }}\n\nWe use B.\n", 5, CHANGED),
    "escaped-hash": (f"{HEAD}## Decision \\#\n\nWe use B.\n", 5, CHANGED),
    "entity": (f"{HEAD}## D&#101;cision\n\nWe use B.\n", 5, CHANGED),
    "emphasis": (f"{HEAD}## **Decision:**\n\nWe use B.\n", 5, CHANGED),
    "zero-width": (f"{HEAD}## Deci\u200bsion\n\nWe use B.\n", 5, CHANGED),
    "cyrillic-e": (f"{HEAD}## D\u0435cision\n\nWe use B.\n", 5, CHANGED),
    "comment-wrap": (
        f"{HEAD}<!--\n## Decision\n\nWe use A.\n-->\nDecision\n--------\n\nWe use B.\n",
        5,
        cannot_judge(HTML),
    ),
    "raw-h2": (f"{HEAD}<!-- {OLD} -->\n<h2>Decision</h2>\n<p>We use B.</p>\n", 5, cannot_judge(HTML)),
    "u2028": (
        f"{HEAD}## Decision\n\nWe use A.\u2028We use B instead.\n",
        7,
        cannot_judge("adds U+2028 LINE SEPARATOR, which some tools read as a line break and Markdown does not"),
    ),
    "u2029": (
        f"{HEAD}## Decision\n\nWe use A.\u2029## Consequences\n\nWe use B.\n",
        7,
        cannot_judge("adds U+2029 PARAGRAPH SEPARATOR, which some tools read as a line break and Markdown does not"),
    ),
    "appended-text": (f"{HEAD}## Decision\n\nWe use A.\nAnd B.\n", 5, CHANGED),
    "lower-level-heading": (f"{HEAD}## Decision\n\nWe use A.\n\n### But\n\nWe use B.\n", 5, CHANGED),
    "second-section": (f"{HEAD}{OLD}\n# Decision\n\nWe use B.\n", 9, CHANGED),
    "in-a-quote": (f"{HEAD}{OLD}\n> ## Decision\n> We use B.\n", 5, CHANGED),  # the quote is in the first section
    "removed": (f"{HEAD}## Choice\n\nWe use A.\n", 0, CHANGED),
    "hidden-heading": (f'{HEAD}## Decision {{: style="display:none" }}\n\nWe use A.\n', 5, CHANGED),
}


@pytest.fixture
def decided(repo: GitRepo) -> GitRepo:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A, f"{HEAD}{OLD}"))
    repo.commit("base")
    repo.branch("feature")
    return repo


@pytest.mark.parametrize("case", sorted(BYPASSES))
def test_a_rewritten_decision_is_refused_however_it_is_written(decided: GitRepo, case: str) -> None:
    body, offset, message = BYPASSES[case]
    decided.write(f"decisions/{A}-adopt.md", memo_text(A, body))
    decided.commit("rewrite the decision")
    problems = run_check(load_config(decided.root)).problems
    line = 14 + offset  # the body starts on line 14, after the 13 lines of front-matter
    expected = [f"decisions/{A}-adopt.md:{line}: body: {message}"]
    if case == "hidden-heading":  # the site's sanitizer drops the style too, and validation says so
        expected.append(
            f"decisions/{A}-adopt.md:{line}: body: the style attribute of <h2> would be dropped from the site; "
            "remove it, or put it in a code block to show it as text"
        )
    assert [str(p) for p in problems] == expected


ALLOWED = {
    "consequences-edited": f"{HEAD}{OLD}\n## Consequences\n\nMore A, and a note.\n",
    "same-decision-as-setext": f"{HEAD}Decision\n========\n\nWe use A.\n",
    "same-decision-reflowed": f"{HEAD}## Decision\n\nWe use\nA.\n".replace("use\nA", "use A"),
    "context-edited": f"\n## Context\n\nWhy, at length.\n\n{OLD}",
    "code-block-mentions-decision": f"{HEAD}{OLD}\n## Notes\n\n```\n## Decision\nWe use B.\n```\n",
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_a_change_that_leaves_the_decision_as_readers_see_it_is_ok(decided: GitRepo, case: str) -> None:
    decided.write(f"decisions/{A}-adopt.md", memo_text(A, ALLOWED[case]))
    decided.commit("edit around the decision")
    assert run_check(load_config(decided.root)).problems == ()


def test_the_fixture_body_shows_one_decision_section() -> None:
    parser = _parser(())
    found = sections(parser.parse(BODY), parser)
    assert [(s.offset, s.heading, s.rendered) for s in found] == [(9, "Decision", "<p>We use A.</p>")]
    assert judge_decision(BODY, BODY) is None


def test_markdown_it_is_imported_only_when_a_closed_memos_body_changes(decided: GitRepo) -> None:
    import subprocess
    import sys

    decided.write(f"decisions/{A}-adopt.md", memo_text(A, f"{HEAD}{OLD}", review_by="2027-01-01"))
    code = (
        "import sys\nfrom decide.check import run_check\nfrom decide.config import load_config\n"
        f"run_check(load_config(__import__('pathlib').Path({str(decided.root)!r})))\n"
        "print('markdown_it' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "False\n"


def test_what_only_the_sites_markdown_reads_as_a_change_is_refused_too(decided: GitRepo) -> None:
    """With the site's abbr extension, a definition added below changes the decision as shown; CommonMark has no abbr."""
    decided.write("mkdocs.yml", "site_name: Log\nmarkdown_extensions:\n  - abbr\n")
    decided.write(f"decisions/{A}-adopt.md", memo_text(A, f"{HEAD}{OLD}\n## Notes\n\n*[A]: Anything but Postgres\n"))
    assert [str(p) for p in run_check(load_config(decided.root)).problems] == [
        f"decisions/{A}-adopt.md:14: body: "
        + cannot_judge("changes what the site shows as the Decision section, though CommonMark reads it unchanged")
    ]
