"""decide check takes the log's place and rules from the base branch, and never passes without a log (real git)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo, memo_text

from decide.check import run_check
from decide.cli import main
from decide.config import load_config

A, B = "D-1AAAAA", "D-2BBBBB"
SUPERSEDE = f'write a new memo that supersedes it: decide supersede {A} "<new title>"'
DELETED = f'decisions/{A}-adopt.md: {A} was deleted; a memo is never deleted: restore the file, then set "status: retired" and a "reason:", or {SUPERSEDE}'


def cli(repo: GitRepo, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--root", str(repo.root), *args], catch_exceptions=False)
    print(result.stdout, result.stderr)
    return result


@pytest.fixture
def based(repo: GitRepo) -> GitRepo:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.branch("feature")
    return repo


@pytest.mark.parametrize("folder", ["decisions/", "./decisions", "decisions/.", "./decisions/./"])
@pytest.mark.parametrize("where", ["decide.toml", "pyproject.toml"])
def test_a_config_in_the_same_change_naming_the_log_another_way_hides_nothing(
    based: GitRepo, folder: str, where: str
) -> None:
    text = f'decisions = "{folder}"\n' if where == "decide.toml" else f'[tool.decide]\ndecisions = "{folder}"\n'
    based.write(where, text)
    based.git("rm", "-q", f"decisions/{A}-adopt.md")
    based.commit("hide and delete")
    assert [str(p) for p in run_check(load_config(based.root)).problems] == [DELETED]


def test_a_config_moving_the_log_is_refused_and_the_old_log_is_still_judged(based: GitRepo) -> None:
    based.write("decide.toml", '# moved\ndecisions = "log"\n')
    based.write(f"log/{A}-adopt.md", memo_text(A, title="Adopt MySQL"))  # a rewritten copy, "new" in log/
    based.git("rm", "-q", f"decisions/{A}-adopt.md")
    based.commit("move the log")
    assert [str(p) for p in run_check(load_config(based.root)).problems] == [
        'decide.toml:2: decisions: this change moves the log\'s folder from "decisions" to "log"; decide check judges a '
        "change with the base branch's configuration, so it never approves a move: make it in a pull request of its own, "
        "merged by someone allowed to bypass the check",
        DELETED,
    ]


def test_other_config_changes_are_noted_and_the_base_value_applies(based: GitRepo) -> None:
    based.write("pyproject.toml", "[project]\nname = 'x'\n\n[tool.decide]\nproposal-age-limit = 30\n")
    result = cli(based, "check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["notes"] == [
        "pyproject.toml: proposal_age_limit changes from 14 to 30; this check used the base branch's value"
    ]
    assert cli(based, "check").stdout.splitlines()[-2:] == [
        "note: pyproject.toml: proposal_age_limit changes from 14 to 30; this check used the base branch's value",
        "ok: no memos changed against main",
    ]


def test_a_branch_that_sets_up_the_log_uses_its_own_config(repo: GitRepo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("start")
    repo.branch("adopt")
    repo.write("decide.toml", 'decisions = "docs/decisions"\n')
    repo.write(f"docs/decisions/{A}-adopt.md", memo_text(A))
    result = run_check(load_config(repo.root))
    assert [(c.kind, c.path) for c in result.changes] == [("new", f"docs/decisions/{A}-adopt.md")]
    assert result.ok


@pytest.fixture
def handbook(repo: GitRepo) -> GitRepo:
    """The log and its config in handbook/, a decided memo in it; the branch deletes it. decisions/ at the top is empty."""
    repo.decisions.rmdir()
    repo.write("handbook/decide.toml", "")
    repo.write(f"handbook/decisions/{A}-adopt.md", memo_text(A))
    repo.write("src/app.py", "print('hi')\n")
    repo.commit("base")
    repo.branch("feature")
    repo.git("rm", "-q", f"handbook/decisions/{A}-adopt.md")
    repo.commit("delete A")
    return repo


def test_a_log_in_a_subfolder_is_found_from_the_top_and_paths_are_from_the_top(handbook: GitRepo) -> None:
    result = cli(handbook, "check", "--format", "github")
    assert result.exit_code == 1
    assert f"::error file=handbook/decisions/{A}-adopt.md,title=decide::{A} was deleted;" in result.stdout
    assert "::notice title=decide::no log in decisions/ in " in result.stdout
    assert "checked the one in handbook/decisions/ instead" in result.stdout


def test_paths_are_from_the_top_when_run_in_the_subfolder(handbook: GitRepo) -> None:
    result = CliRunner().invoke(main, ["-C", str(handbook.root / "handbook"), "check", "--format", "json"])
    assert [p["path"] for p in json.loads(result.stdout)["problems"]] == [f"handbook/decisions/{A}-adopt.md"]


def test_no_log_anywhere_cannot_run_and_says_where_it_looked(repo: GitRepo) -> None:
    repo.decisions.rmdir()
    repo.write("src/app.py", "print('hi')\n")
    repo.commit("no log")
    result = cli(repo, "check", "--base", "HEAD")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: no decision log to check: looked for decisions/ in {repo.root} (on the base branch and on this one), "
        "and for a decide.toml, a [tool.decide] table or a decisions/ folder anywhere in the repository; "
        "run decide check in the log's folder (decide -C DIR check), or set decisions under [tool.decide]\n"
    )


def test_two_logs_elsewhere_cannot_run_and_name_both(repo: GitRepo) -> None:
    repo.decisions.rmdir()
    repo.write(f"a/decisions/{A}-adopt.md", memo_text(A))
    repo.write(f"b/decisions/{B}-adopt.md", memo_text(B))
    repo.commit("two logs")
    result = cli(repo, "check", "--base", "HEAD")
    assert result.exit_code == 3
    assert "and several elsewhere: a/, b/;" in result.stderr


def test_the_hook_at_the_top_sees_a_staged_deletion_in_a_subfolder_log(repo: GitRepo) -> None:
    repo.decisions.rmdir()
    repo.write("handbook/decide.toml", "")
    repo.write(f"handbook/decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.git("rm", "-q", f"handbook/decisions/{A}-adopt.md")
    result = run_check(load_config(repo.root), staged=True)
    assert [(p.path, p.message.split(";")[0]) for p in result.problems] == [
        (f"handbook/decisions/{A}-adopt.md", f"{A} was deleted")
    ]


def test_the_extension_schema_of_the_base_branch_applies_and_a_change_to_it_is_noted(based: GitRepo) -> None:
    based.checkout("main")
    based.write("schema/decision.schema.json", '{"required": ["tags"]}\n')
    based.commit("our rule: every memo has tags")
    based.checkout("feature")
    based.git("merge", "-q", "main")
    based.write("schema/decision.schema.json", "{}\n")  # loosened in the same change
    based.write(f"decisions/{B}-untagged.md", memo_text(B))
    result = run_check(load_config(based.root))
    assert [(p.field, p.message) for p in result.problems] == [
        ("tags", "missing; add 'tags' (rule from schema/decision.schema.json)")
    ]
    assert result.notes == (
        "schema/decision.schema.json changes in this change; the memos were validated with the base branch's version",
    )
