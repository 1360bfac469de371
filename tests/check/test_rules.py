"""decide check: the pull-request gate, on real git repositories (branches, merges, remotes, shallow clones)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import BODY, GitRepo, git, init_repo, memo_text

from decide.check import run_check
from decide.check.output import render
from decide.check.rules import CheckResult, Context, Holder, check_change
from decide.cli import main
from decide.config import Config, load_config
from decide.memo import parse
from decide.schema import Checker, load_schemas
from decide.validate import Ref

A, B, C, D = "D-1AAAAA", "D-2BBBBB", "D-3CCCCC", "D-4DDDDD"
SUPERSEDE = 'write a new memo that supersedes it: decide supersede {} "<new title>"'
SUPERSEDE_TITLE = '{} is decided, so its title may not change (only review_by, tags, reviews and "status: retired" may change); to change the decision, {}'


def md(text: str) -> str:
    """``text`` as the job summary writes it: every ASCII punctuation character after a backslash."""
    return re.sub(r"""([!-/:-@\[-`{-~])""", r"\\\1", text)


FETCH_DEPTH = "(in GitHub Actions: actions/checkout with fetch-depth: 0; in GitLab CI: GIT_DEPTH: 0)"


def put(repo: GitRepo, memo_id: str, slug: str = "adopt", body: str = BODY, **fields: object) -> str:
    """Write (or rewrite) ``decisions/<id>-<slug>.md`` and return its path relative to the repo."""
    rel = f"decisions/{memo_id}-{slug}.md"
    repo.write(rel, memo_text(memo_id, body, **fields))
    return rel


def proposed(**fields: object) -> dict[str, object]:
    return {"status": "proposed", "decided_on": None, **fields}


def check(repo: GitRepo, **options: object) -> CheckResult:
    return run_check(load_config(repo.root), **options)  # type: ignore[arg-type]


def text(result: CheckResult) -> list[str]:
    return render(result, "text").splitlines()


def cli(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, ["--root", str(root), *args], env=env, catch_exceptions=False)
    print(f"$ decide {' '.join(args)}\n[exit {result.exit_code}]\n{result.stdout}\n[stderr]\n{result.stderr}")
    return result


@pytest.fixture
def based(repo: GitRepo) -> GitRepo:
    """main holds a decided memo A and a proposed memo B; HEAD is branch ``feature`` made from it."""
    put(repo, A)
    put(repo, B, "pricing", **proposed(title="Raise prices in March"))
    repo.commit("base")
    repo.branch("feature")
    return repo


# --- the cases the issue lists --------------------------------------------------------------


def test_no_change_is_ok(based: GitRepo) -> None:
    result = check(based)
    assert result.ok and result.changes == ()
    assert text(result) == ["ok: no memos changed against main"]


def test_new_valid_memo_is_ok(based: GitRepo) -> None:
    put(based, C, "hire")
    based.commit("add C")
    assert text(check(based)) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        "ok: 1 memo checked against main (1 new)",
    ]


def test_new_invalid_memo_is_refused_with_every_problem(based: GitRepo) -> None:
    put(based, C, "hire", dri="Growth team", escalation=None)
    based.commit("add C")
    assert text(check(based)) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        f'decisions/{C}-hire.md:1: escalation: missing (required once decided); add "escalation:" with "trigger: when this goes up" and "to: the one person or role"',
        f'decisions/{C}-hire.md:7: dri: "Growth team" is a group ("team"); name one person (e.g. "Ana Ruiz")',
        "refused: 2 problems in 1 memo",
    ]


def test_new_memo_whose_dri_is_not_on_the_roster_is_refused(based: GitRepo) -> None:
    based.write("decisions/people.yml", "- name: Ana Ruiz\n  email: ana@example.com\n")
    based.commit("roster")
    based.git("branch", "-f", "main", "HEAD")
    put(based, C, "hire", dri="Bo Sand <bo@example.com>")
    assert [str(p) for p in check(based).problems] == [
        f'decisions/{C}-hire.md:7: dri: "Bo Sand <bo@example.com>" is not in decisions/people.yml; add them there or name someone who is',
        f'decisions/{C}-hire.md:12: escalation.to: "CTO" is neither a person nor a role in decisions/people.yml; add them there or name someone who is',
    ]


ROSTER = "- name: Ana Ruiz\n  email: ana@example.com\n- name: Bo Sand\n  role: CTO\n"


def test_problems_in_the_roster_are_refused(based: GitRepo) -> None:
    based.write("decisions/people.yml", ROSTER.replace("email:", "emial:"))
    assert [str(p) for p in check(based).problems] == [
        'decisions/people.yml:2: [0].emial: unknown field; did you mean "email"?'
    ]


def test_taking_someone_off_the_roster_rechecks_every_memo_that_names_them(based: GitRepo) -> None:
    based.write("decisions/people.yml", ROSTER)
    based.commit("roster")
    based.git("branch", "-f", "main", "HEAD")
    based.write("decisions/people.yml", "- name: Bo Sand\n  role: CTO\n")  # Ana left
    not_listed = '"Ana Ruiz <ana@example.com>" is not in decisions/people.yml; add them there or name someone who is'
    assert text(check(based)) == [
        f"decisions/{A}-adopt.md:7: dri: {not_listed}",
        f"decisions/{B}-pricing.md:6: dri: {not_listed}",
        "refused: 2 problems in 2 memos",
    ]


def test_adding_someone_to_the_roster_is_ok(based: GitRepo) -> None:
    based.write("decisions/people.yml", ROSTER)
    based.commit("roster")
    based.git("branch", "-f", "main", "HEAD")
    based.write("decisions/people.yml", ROSTER + "- name: Chen Okafor\n  handle: chen\n")
    assert text(check(based)) == ["ok: no memos changed against main"]


def test_staged_reads_the_roster_from_the_index(based: GitRepo) -> None:
    based.write("decisions/people.yml", ROSTER)
    based.commit("roster")
    based.git("branch", "-f", "main", "HEAD")
    based.write("decisions/people.yml", ROSTER.replace("Bo Sand", "Bo Sandberg").replace("CTO", "CFO"))
    based.git("add", "decisions/people.yml")
    based.write("decisions/people.yml", ROSTER)  # put back in the working tree only
    assert [str(p) for p in check(based, staged=True).problems] == [
        f'decisions/{A}-adopt.md:12: escalation.to: "CTO" is neither a person nor a role in decisions/people.yml; did you mean "CFO"?',
        f'decisions/{B}-pricing.md:11: escalation.to: "CTO" is neither a person nor a role in decisions/people.yml; did you mean "CFO"?',
    ]
    assert check(based).ok


def test_two_branches_from_one_base_each_adding_a_memo_merge_without_clash(based: GitRepo) -> None:
    put(based, C, "hire")
    based.commit("add C")
    based.branch("other", "main")
    put(based, D, "vendor")
    based.commit("add D")
    assert check(based).ok  # branch feature (holding C) is visible, but holds another ID
    based.checkout("feature")
    assert check(based).ok
    based.checkout("main")
    based.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    based.checkout("other")
    assert text(check(based)) == [
        f"new      {D}  decisions/{D}-vendor.md (decided)",
        "ok: 1 memo checked against main (1 new)",
    ]
    based.checkout("main")
    based.git("merge", "-q", "--no-ff", "-m", "merge other", "other")
    assert cli(based.root, "validate").exit_code == 0


def test_id_taken_on_the_base_since_the_branch_started_is_refused(based: GitRepo) -> None:
    based.checkout("main")
    put(based, C, "hire")
    based.commit("C on main")
    based.checkout("feature")
    put(based, C, "vendor", title="Pick a vendor")
    based.commit("C on feature too")
    assert text(check(based))[1:] == [
        f"decisions/{C}-vendor.md:2: id: {C} is already taken by decisions/{C}-hire.md on main; give this memo a new ID and rename its file (decide new prints a fresh one)",
        "refused: 1 problem in 1 memo",
    ]


def test_id_taken_only_on_another_remote_branch_is_refused_naming_the_branch(based: GitRepo, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    based.git("remote", "add", "origin", str(remote))
    based.git("push", "-q", "origin", "main")
    colleague = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(remote), str(colleague))
    mate = init_repo(colleague)
    mate.branch("pricing-v2")
    put(mate, C, "vendor", title="Pick a vendor")
    mate.commit("C")
    mate.git("push", "-q", "origin", "pricing-v2")
    based.git("fetch", "-q", "origin")
    put(based, C, "hire")
    based.commit("C here too")
    result = check(based)
    assert result.base == "origin/main"
    assert text(result)[1:] == [
        f"decisions/{C}-hire.md:2: id: {C} is already taken by decisions/{C}-vendor.md on origin/pricing-v2; give this memo a new ID and rename its file (decide new prints a fresh one)",
        "refused: 1 problem in 1 memo",
    ]


def test_same_id_at_the_same_path_on_another_branch_is_the_same_memo_not_a_clash(based: GitRepo) -> None:
    put(based, C, "hire")
    based.commit("add C")
    based.git("branch", "before-amend")  # a copy of the branch, which the amend leaves behind
    put(based, C, "hire", title="Hire a second billing engineer")
    based.git("commit", "-q", "-a", "--amend", "-m", "add C")
    assert based.git("branch", "--no-merged", "HEAD").split() == ["before-amend"]
    assert text(check(based)) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        "ok: 1 memo checked against main (1 new)",
    ]


@pytest.mark.parametrize("upstream", [True, False], ids=["upstream", "push-remote"])
def test_a_pushed_branch_renaming_its_new_memo_in_an_amend_does_not_clash_with_itself(
    based: GitRepo, tmp_path: Path, upstream: bool
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    based.git("remote", "add", "origin", str(remote))
    based.git("push", "-q", "origin", "main")
    put(based, C, "hire")
    based.commit("add C")
    if upstream:
        based.git("push", "-q", "-u", "origin", "feature")
    else:
        based.git("config", "push.default", "current")  # no upstream; @{push} is origin/feature
        based.git("push", "-q", "origin", "feature")
    based.git("mv", f"decisions/{C}-hire.md", f"decisions/{C}-hiring.md")
    based.git("commit", "-q", "--amend", "-m", "add C")
    assert based.git("branch", "-r", "--no-merged", "HEAD").split() == ["origin/feature"]
    assert text(check(based)) == [
        f"new      {C}  decisions/{C}-hiring.md (decided)",
        "ok: 1 memo checked against origin/main (1 new)",
    ]


def test_editing_a_decided_memos_decision_is_refused_naming_supersede(based: GitRepo) -> None:
    put(based, A, body=BODY.replace("We use A.", "We use B."))
    based.commit("rewrite history")
    assert text(check(based)) == [
        f"changed  {A}  decisions/{A}-adopt.md (decided)",
        f'decisions/{A}-adopt.md:23: body: {A} is decided, so its "## Decision" section may not change (only review_by, tags, reviews and "status: retired" may change); to change the decision, {SUPERSEDE.format(A)}',
        "refused: 1 problem in 1 memo",
    ]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (BODY + "\n## Decision\n\nWe use B after all.\n", 31),  # a second Decision section, appended
        (BODY.replace("## Context", "## Decision\n\nWe use B.\n\n## Context"), 15),  # or put first
        (BODY + "\n## Decision\n\nWe use A.\n", 31),  # even one that repeats the first
    ],
    ids=["appended", "first", "repeated"],
)
def test_adding_a_decision_section_to_a_decided_memo_is_refused(based: GitRepo, body: str, line: int) -> None:
    put(based, A, body=body)
    based.commit("a second decision")
    assert [str(p) for p in check(based).problems] == [
        f'decisions/{A}-adopt.md:{line}: body: {A} is decided, so its "## Decision" section may not change (only review_by, tags, reviews and "status: retired" may change); to change the decision, {SUPERSEDE.format(A)}'
    ]


def test_removing_a_second_decision_section_is_refused_too(based: GitRepo) -> None:
    put(based, C, "hire", body=BODY + "\n## Decision\n\nAnd C.\n")
    based.commit("C with two decision sections")
    based.git("branch", "-f", "main", "HEAD")
    put(based, C, "hire")
    assert [p.line for p in check(based).problems] == [14]


def test_editing_review_by_of_a_decided_memo_is_ok(based: GitRepo) -> None:
    put(based, A, review_by="2027-01-01", tags=["billing"], reviews=[{"date": "2026-06-01", "note": "holds"}])
    based.commit("review")
    assert text(check(based)) == [
        f"changed  {A}  decisions/{A}-adopt.md (decided)",
        "ok: 1 memo checked against main (1 changed)",
    ]


def test_proposed_to_decided_is_ok(based: GitRepo) -> None:
    put(based, B, "pricing", title="Raise prices in March")
    based.commit("decide B")
    assert text(check(based)) == [
        f"changed  {B}  decisions/{B}-pricing.md (proposed -> decided)",
        "ok: 1 memo checked against main (1 changed)",
    ]


def test_decided_to_proposed_is_refused(based: GitRepo) -> None:
    put(based, A, **proposed())
    based.commit("reopen A")
    assert text(check(based))[1:] == [
        f"decisions/{A}-adopt.md:4: status: decided -> proposed is not allowed: nothing goes back to proposed; to reopen the question, {SUPERSEDE.format(A)}",
        "refused: 1 problem in 1 memo",
    ]


def test_deleting_a_memo_is_refused(based: GitRepo) -> None:
    (based.decisions / f"{A}-adopt.md").unlink()
    based.commit("delete A")
    assert text(check(based)) == [
        f"deleted  {A}  decisions/{A}-adopt.md (decided)",
        f'decisions/{A}-adopt.md: {A} was deleted; a memo is never deleted: restore the file, then set "status: retired" and a "reason:", or {SUPERSEDE.format(A)}',
        "refused: 1 problem in 1 memo",
    ]


def test_deleting_a_file_with_no_id_is_ok_as_it_never_was_a_memo(based: GitRepo) -> None:
    based.write("decisions/README.md", "# Decisions\n\nOne memo per file.\n")
    based.commit("a README among the memos")
    based.git("branch", "-f", "main", "HEAD")
    based.git("rm", "-q", "decisions/README.md")
    assert text(check(based)) == [
        "deleted  ?         decisions/README.md",
        "ok: 1 memo checked against main (1 deleted)",
    ]


@pytest.mark.parametrize("how", ["git mv", "mv", "staged"])
def test_moving_a_memo_into_a_subfolder_says_memos_stay_in_the_folder(based: GitRepo, how: str) -> None:
    (based.decisions / "archive").mkdir()
    old, new = f"decisions/{A}-adopt.md", f"decisions/archive/{A}-adopt.md"
    if how == "mv":
        (based.root / old).rename(based.root / new)
    else:
        based.git("mv", old, new)
    assert [str(p) for p in check(based, staged=how == "staged").problems] == [
        f'{old}: {A} was moved to {new}; memos stay directly in decisions/, even when closed: move it back, then set "status: retired" and a "reason:", or {SUPERSEDE.format(A)}'
    ]


def test_renaming_a_memo_file_keeping_its_id_is_ok(based: GitRepo) -> None:
    based.git("mv", f"decisions/{B}-pricing.md", f"decisions/{B}-raise-prices.md")
    based.commit("rename")
    assert text(check(based)) == [
        f"renamed  {B}  decisions/{B}-pricing.md -> decisions/{B}-raise-prices.md (proposed)",
        "ok: 1 memo checked against main (1 renamed)",
    ]


def test_renaming_a_memo_file_without_git_mv_is_seen_as_a_rename(based: GitRepo) -> None:
    (based.decisions / f"{B}-pricing.md").rename(based.decisions / f"{B}-raise-prices.md")
    assert text(check(based)) == [
        f"renamed  {B}  decisions/{B}-pricing.md -> decisions/{B}-raise-prices.md (proposed)",
        "ok: 1 memo checked against main (1 renamed)",
    ]


def test_a_staged_memo_that_is_a_pipe_in_the_working_tree_is_never_opened(based: GitRepo) -> None:
    rel = put(based, C, "new")
    based.git("add", rel)
    (based.root / rel).unlink()
    os.mkfifo(based.root / rel)
    command = [sys.executable, "-m", "decide", "check", "--base", "main"]
    done = subprocess.run(command, cwd=based.root, capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout.splitlines()[1:]) == (
        1,
        [
            f"{rel}:1: is not a regular file (a pipe, socket or device); a memo must be a plain file",
            "refused: 1 problem in 1 memo",
        ],
    )


def test_missing_base_ref_cannot_run_and_says_how_to_fetch(based: GitRepo) -> None:
    result = cli(based.root, "check", "--base", "origin/develop")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: base origin/develop not found; fetch it: git fetch origin develop:refs/remotes/origin/develop "
        f"{FETCH_DEPTH}, or name another with --base REF\n"
    )


def test_a_base_that_looks_like_an_option_is_a_usage_error(based: GitRepo) -> None:
    put(based, A, dri="Growth team")
    result = cli(based.root, "check", "--base=--octopus")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--base': '--octopus' starts with '-', so it is not a branch; name one, e.g. origin/main\n"
    )


def test_no_default_base_cannot_run_and_says_how_to_fetch(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "trunk")
    put(repo, A)
    repo.commit("first")
    result = cli(repo.root, "check")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: no base branch to compare with: none of origin/main, main, origin/master, master exists here; fetch it: "
        f"git fetch origin main:refs/remotes/origin/main {FETCH_DEPTH}, or name one with --base REF\n"
    )


def diverge(based: GitRepo) -> None:
    """The feature branch adds C; main moves on with D (so a clone of depth 1 shares no history)."""
    put(based, C, "hire")
    based.commit("add C")
    based.checkout("main")
    put(based, D, "vendor")
    based.commit("main moves on")


def test_shallow_clone_cannot_run_and_says_fetch_depth(based: GitRepo, tmp_path: Path) -> None:
    diverge(based)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{based.root}", str(shallow))
    git(shallow, "checkout", "-q", "feature")
    result = cli(shallow, "check")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: this is a shallow clone, so HEAD and origin/main share no history here; "
        f"fetch all of it: git fetch --unshallow origin {FETCH_DEPTH}\n"
    )
    git(shallow, "fetch", "-q", "--unshallow", "origin")
    assert cli(shallow, "check").exit_code == 0


def test_single_branch_shallow_clone_says_how_to_fetch_the_base_and_the_hints_work(
    based: GitRepo, tmp_path: Path
) -> None:
    diverge(based)
    clone = tmp_path / "clone"
    url = f"file://{based.root}"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "--branch", "feature", url, str(clone))
    result = cli(clone, "check")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: no base branch to compare with: none of origin/main, main, origin/master, master exists here; fetch it: "
        f"git fetch origin main:refs/remotes/origin/main {FETCH_DEPTH}, or name one with --base REF; "
        "this is a shallow clone: fetch the full history with git fetch --unshallow origin\n"
    )
    git(clone, "fetch", "-q", "origin", "main:refs/remotes/origin/main")
    git(clone, "fetch", "-q", "--unshallow", "origin")
    assert text(check(GitRepo(clone))) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        "ok: 1 memo checked against origin/main (1 new)",
    ]


def test_staged_sees_the_index_not_the_working_tree(based: GitRepo) -> None:
    good = put(based, C, "hire")
    based.git("add", good)
    put(based, C, "hire", dri="Growth team")  # the working tree copy is broken, the staged one is fine
    put(based, D, "vendor", dri="")  # untracked: not in the index
    assert text(check(based, staged=True)) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        "ok: 1 memo checked against main (1 new)",
    ]
    working = check(based)
    assert [c.id for c in working.changes] == [C, D]
    assert not working.ok


def test_format_github_exact_text(based: GitRepo, tmp_path: Path) -> None:
    put(based, C, "a,b", dri="Growth team 100%")
    put(based, A, title="Adopt MySQL for billing")
    based.commit("two problems")
    summary = tmp_path / "summary.md"
    result = cli(based.root, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout == (
        f"changed  {A}  decisions/{A}-adopt.md (decided)\n"
        f"new      {C}  decisions/{C}-a,b.md (decided)\n"
        f'::error file=decisions/{A}-adopt.md,line=3,title=decide::title: {A} is decided, so its title may not change (only review_by, tags, reviews and "status: retired" may change); to change the decision, {SUPERSEDE.format(A)}\n'
        f'::error file=decisions/{C}-a%2Cb.md,line=7,title=decide::dri: "Growth team 100%25" is a group ("team"); name one person (e.g. "Ana Ruiz")\n'
        "refused: 2 problems in 2 memos\n"
    )
    assert summary.read_text(encoding="utf-8") == (
        "### decide check: refused\n\nrefused\\: 2 problems in 2 memos\n\n"
        f"#### New decisions\n\n- `{C}` Adopt Postgres for billing (decided)\n\n"
        "#### Problems\n\n"
        f"- `decisions/{A}-adopt.md:3` title\\: {md(SUPERSEDE_TITLE.format(A, SUPERSEDE.format(A)))}\n"
        f'- `decisions/{C}-a,b.md:7` dri\\: \\"Growth team 100\\%\\" is a group \\(\\"team\\"\\)\\; name one person \\(e\\.g\\. \\"Ana Ruiz\\"\\)\n\n'
    )


def test_format_github_summary_shows_a_deletion_without_a_line_number(based: GitRepo, tmp_path: Path) -> None:
    based.git("rm", "-q", f"decisions/{A}-adopt.md")
    summary = tmp_path / "summary.md"
    result = cli(based.root, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert f"::error file=decisions/{A}-adopt.md,title=decide::{A} was deleted;" in result.stdout
    assert summary.read_text(encoding="utf-8").splitlines()[-2] == (
        f"- `decisions/{A}-adopt.md` "
        + md(
            f'{A} was deleted; a memo is never deleted: restore the file, then set "status: retired" and a "reason:", or {SUPERSEDE.format(A)}'
        )
    )


def test_format_github_annotates_a_check_that_cannot_run(based: GitRepo) -> None:
    result = cli(based.root, "check", "--format", "github", "--base", "origin/develop")
    assert result.exit_code == 3
    message = (
        "base origin/develop not found; fetch it: git fetch origin develop:refs/remotes/origin/develop "
        f"{FETCH_DEPTH}, or name another with --base REF"
    )
    assert result.stdout == f"::error title=decide::{message}\n"
    assert result.stderr == f"Error: {message}\n"
    assert cli(based.root, "check", "--base", "origin/develop").stdout == ""


def test_format_github_writes_the_summary_when_a_file_name_is_not_utf8(based: GitRepo, tmp_path: Path) -> None:
    name = os.fsdecode(f"{C}-caf\xe9.md".encode("latin-1"))  # the byte 0xe9 alone is not UTF-8
    (based.decisions / name).write_text(memo_text(C, dri="Growth team"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = cli(based.root, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2] == (
        f'::error file=decisions/{C}-caf\\xe9.md,line=7,title=decide::dri: "Growth team" is a group ("team"); name one person (e.g. "Ana Ruiz")'
    )
    assert summary.read_text(encoding="utf-8").splitlines()[-2:] == [
        f"- `decisions/{C}-caf\\xe9.md:7` dri\\: "
        + md('"Growth team" is a group ("team"); name one person (e.g. "Ana Ruiz")'),
        "",
    ]
    as_json = cli(based.root, "check", "--format", "json")
    assert [c["path"] for c in json.loads(as_json.stdout)["changes"]] == [f"decisions/{name}"]


# --- more rules -----------------------------------------------------------------------------


def test_retiring_a_decided_memo_with_closed_on_and_reason_is_ok(based: GitRepo) -> None:
    put(based, A, status="retired", closed_on="2026-03-01", reason="We left billing to the vendor")
    based.commit("retire A")
    assert text(check(based))[-1] == "ok: 1 memo checked against main (1 changed)"


def test_a_retired_memo_is_frozen_too(based: GitRepo) -> None:
    put(based, A, status="retired", closed_on="2026-03-01", reason="Gone")
    based.commit("retire A")
    based.git("branch", "-f", "main", "HEAD")
    put(based, A, status="retired", closed_on="2026-03-01", reason="Gone for good", dri="Bo Sand")
    based.commit("edit retired A")
    assert [(p.field, p.message.split(",")[0]) for p in check(based).problems] == [
        ("dri", f"{A} is retired"),
        ("reason", f"{A} is retired"),
    ]


def test_rejected_to_decided_is_refused(based: GitRepo) -> None:
    put(based, B, "pricing", **proposed(status="rejected", closed_on="2026-02-01", reason="Too early"))
    based.commit("reject B")
    based.git("branch", "-f", "main", "HEAD")
    put(based, B, "pricing", title="Raise prices in March")
    based.commit("decide B after all")
    messages = [str(p) for p in check(based).problems if p.field == "status"]
    assert messages == [
        f"decisions/{B}-pricing.md:4: status: rejected -> decided is not allowed: a memo goes from proposed to decided or rejected, and from decided to retired; to change the outcome, {SUPERSEDE.format(B)}"
    ]


def test_proposed_to_decided_with_tbd_dri_is_refused_once(based: GitRepo) -> None:
    put(based, B, "pricing", title="Raise prices in March", dri="TBD")
    based.commit("decide B without a DRI")
    assert [str(p) for p in check(based).problems] == [
        f"decisions/{B}-pricing.md:7: dri: TBD is allowed only while proposed; name the one person who decided this decided memo"
    ]


@pytest.mark.parametrize(
    ("dri", "message"),
    [("", "is empty; fill it in"), ("  ", "is empty; name one person")],
)
def test_proposed_to_decided_with_an_empty_dri_is_refused_once(based: GitRepo, dri: str, message: str) -> None:
    put(based, B, "pricing", title="Raise prices in March", dri=dri)
    based.commit("decide B without a DRI")
    assert [str(p) for p in check(based).problems] == [f"decisions/{B}-pricing.md:7: dri: {message}"]


def test_retiring_a_decided_memo_without_closed_on_or_reason_is_allowed(based: GitRepo) -> None:
    put(based, A, status="retired")
    based.commit("retire A by hand")
    assert check(based).ok


def test_rename_that_changes_the_id_is_refused(based: GitRepo) -> None:
    based.git("mv", f"decisions/{B}-pricing.md", f"decisions/{C}-pricing.md")
    put(based, C, "pricing", **proposed(title="Raise prices in March"))
    based.commit("new ID")
    result = check(based)
    assert [c.kind for c in result.changes] == ["renamed"]
    assert [str(p) for p in result.problems] == [
        f'decisions/{C}-pricing.md:2: id: changed from {B} to {C}; a memo keeps its ID for life: set "id: {B}" and start the file name with "{B}-"'
    ]


def test_untracked_new_memo_is_seen_in_the_working_tree(based: GitRepo) -> None:
    put(based, C, "hire")
    assert [c.kind for c in check(based).changes] == ["new"]


def test_memo_added_with_intent_to_add_is_new_and_its_id_is_checked(based: GitRepo) -> None:
    based.branch("other", "main")
    put(based, C, "vendor", title="Pick a vendor")
    based.commit("C on other")
    based.checkout("feature")
    based.git("add", "-N", put(based, C, "hire"))
    assert text(check(based)) == [
        f"new      {C}  decisions/{C}-hire.md (decided)",
        f"decisions/{C}-hire.md:2: id: {C} is already taken by decisions/{C}-vendor.md on other; give this memo a new ID and rename its file (decide new prints a fresh one)",
        "refused: 1 problem in 1 memo",
    ]


def test_rules_across_memos_use_the_unchanged_memos_links(based: GitRepo) -> None:
    put(based, C, "hire", supersedes=[A])
    based.commit("C supersedes A")
    based.git("branch", "-f", "main", "HEAD")
    put(based, D, "vendor", supersedes=[A], aliases=["7"])
    based.commit("D supersedes A again")
    assert [str(p) for p in check(based).problems] == [
        f"decisions/{D}-vendor.md:13: supersedes: {A} is already superseded by {C} (decisions/{C}-hire.md); supersede {C} instead"
    ]


def test_bodies_are_judged_with_the_sites_markdown_setup(based: GitRepo) -> None:
    based.write("mkdocs.yml", "site_name: Log\nmarkdown_extensions:\n  - no_such_extension\n")
    put(based, C, "hire", body="\n## Decision\n\n<b onclick=alert(1)>We hire.</b>\n")
    result = cli(based.root, "check")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: mkdocs.yml: the Markdown extensions cannot be loaded to check memo bodies")


def test_a_working_tree_change_beyond_the_index_is_searched_too(based: GitRepo) -> None:
    put(based, D, "vendor", supersedes=[B])
    based.commit("D supersedes B")
    based.git("branch", "-f", "main", "HEAD")
    put(based, C, "hire", supersedes=[A])
    based.commit("C supersedes A")
    assert check(based).ok
    e = "D-5EEEEE"
    put(based, e, "office", supersedes=[B])  # untracked: only git status sees it
    assert [str(p) for p in check(based).problems] == [
        f"decisions/{e}-office.md:13: supersedes: {B} is already superseded by {D} (decisions/{D}-vendor.md); supersede {D} instead"
    ]


def test_a_cycle_through_unchanged_memos_is_followed_link_by_link(based: GitRepo) -> None:
    e = "D-5EEEEE"
    put(based, C, "hire", supersedes=[B])
    put(based, e, "office", supersedes=[C])
    put(based, D, "vendor", supersedes=[e])  # e names neither B nor D: only following D's link finds it
    based.commit("B <- C <- E <- D")
    based.git("branch", "-f", "main", "HEAD")
    put(based, B, "pricing", **proposed(title="Raise prices in March", supersedes=[D]))
    assert [str(p) for p in check(based).problems] == [
        f"decisions/{B}-pricing.md:12: supersedes: supersession cycle {B} -> {D} -> {e} -> {C} -> {B}; a memo cannot replace its own successor"
    ]


def test_an_alias_already_used_by_an_unchanged_memo_is_refused(based: GitRepo) -> None:
    put(based, C, "hire", aliases=["0007"])
    based.commit("C has alias 0007")
    based.git("branch", "-f", "main", "HEAD")
    put(based, D, "vendor", aliases=["0007"])
    assert [str(p) for p in check(based).problems] == [
        f'decisions/{D}-vendor.md:13: aliases: "0007" also names decisions/{C}-hire.md; an alias must point to one memo'
    ]


def test_superseding_an_unknown_id_suggests_one_from_the_whole_log(based: GitRepo) -> None:
    put(based, C, "hire", supersedes=["D-1AAAAB"])
    assert [p.message for p in check(based).problems] == [f'D-1AAAAB does not exist; did you mean "{A}"?']


def test_duplicate_of_a_memo_already_on_the_merge_base_is_reported_once(based: GitRepo) -> None:
    put(based, A, "copy", title="Adopt Postgres again")
    based.commit("copy A")
    assert [str(p) for p in check(based).problems] == [
        f"decisions/{A}-copy.md:2: id: {A} is also the ID of decisions/{A}-adopt.md; give one of them a new ID (decide new prints a fresh one)"
    ]


def test_base_from_configuration(based: GitRepo) -> None:
    based.checkout("main")
    based.branch("trunk")
    based.write("decide.toml", 'base = "trunk"\n')
    based.commit("config")
    based.branch("work")
    put(based, C, "hire")
    assert check(based).base == "trunk"


def test_json_format(based: GitRepo) -> None:
    put(based, B, "pricing", title="Raise prices in March")
    result = cli(based.root, "check", "--format", "json")
    assert result.exit_code == 0
    assert next(iter(json.loads(result.stdout))) == "version"
    assert json.loads(result.stdout) == {
        "version": 1,
        "base": "main",
        "ok": True,
        "changes": [
            {
                "kind": "changed",
                "id": B,
                "path": f"decisions/{B}-pricing.md",
                "old_path": "",
                "old_status": "proposed",
                "status": "decided",
                "title": "Raise prices in March",
            }
        ],
        "problems": [],
        "notes": [],
    }


def test_not_a_git_repository_cannot_run(tmp_path: Path) -> None:
    (tmp_path / "decisions").mkdir()
    result = cli(tmp_path, "check")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {tmp_path.resolve()} is not in a git repository;")


def test_log_in_a_subdirectory_of_the_repository(repo: GitRepo) -> None:
    sub = repo.root / "org"
    repo.write("org/decide.toml", "")
    (sub / "decisions").mkdir()
    repo.write(f"org/decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.branch("feature")
    repo.write(f"org/decisions/{A}-adopt.md", memo_text(A, title="Adopt MySQL"))
    repo.write(f"org/decisions/{C}-hire.md", memo_text(C))
    result = run_check(load_config(sub))
    assert [(c.kind, c.path) for c in result.changes] == [  # paths from the repository's top
        ("changed", f"org/decisions/{A}-adopt.md"),
        ("new", f"org/decisions/{C}-hire.md"),
    ]
    assert [p.field for p in result.problems] == ["title"]


# --- the pure core --------------------------------------------------------------------------


@pytest.fixture
def context(tmp_path: Path) -> Context:
    return Context(base="main", checker=Checker(load_schemas(Config(root=tmp_path))))


def parsed(memo_id: str, slug: str = "adopt", body: str = BODY, **fields: object) -> dict[str, object]:
    path = f"decisions/{memo_id}-{slug}.md"
    return {path: parse(memo_text(memo_id, body, **fields), path)}


def test_check_change_pairs_a_moved_file_by_id_without_git(context: Context) -> None:
    result = check_change(parsed(A), parsed(A, "renamed"), context)  # type: ignore[arg-type]
    assert [(c.kind, c.old_path, c.path) for c in result.changes] == [
        ("renamed", f"decisions/{A}-adopt.md", f"decisions/{A}-renamed.md")
    ]
    assert result.ok


def test_check_change_reports_clashes_from_holders_on_every_branch(context: Context) -> None:
    holders = {C: (Holder("origin/x", f"decisions/{C}-other.md"), Holder("origin/y", f"decisions/{C}-other.md"))}
    ctx = Context(base="main", checker=context.checker, holders=holders)
    result = check_change({}, parsed(C), ctx)  # type: ignore[arg-type]
    assert [p.message.split(";")[0] for p in result.problems] == [
        f"{C} is already taken by decisions/{C}-other.md on origin/x and origin/y"
    ]


def test_check_change_runs_the_rules_across_memos_with_unchanged_refs(context: Context) -> None:
    linked = (Ref(f"decisions/{B}-x.md", B, supersedes=(C,)),)
    ctx = Context(base="main", checker=context.checker, others={f"decisions/{B}-x.md": B}, linked=linked)
    result = check_change({}, parsed(C, supersedes=[B]), ctx)  # type: ignore[arg-type]
    assert [p.message for p in result.problems] == [
        f"supersession cycle {C} -> {B} -> {C}; a memo cannot replace its own successor"
    ]


# --- limits and derived supersession, the same as validate's ---------------------------------


@pytest.mark.parametrize("staged", [False, True], ids=["working-tree", "staged"])
def test_a_memo_over_one_megabyte_is_refused_staged_or_not(based: GitRepo, staged: bool) -> None:
    rel = put(based, C, "big", body=BODY + "x" * 5_000_000 + "\n")
    based.git("add", rel)
    assert [str(p) for p in check(based, staged=staged).problems] == [
        f"{rel}:1: is 5.0 MB; a memo is at most 1 MB: link large material instead"
    ]
    assert cli(based.root, "validate", str(based.root / rel)).stdout.splitlines() == [
        f"{rel}:1: is 5.0 MB; a memo is at most 1 MB: link large material instead"
    ]


def test_a_rejected_memo_supersedes_nothing_for_check_validate_and_the_index(based: GitRepo) -> None:
    rejected = proposed(status="rejected", closed_on="2026-02-01", reason="Too costly", supersedes=[A])
    put(based, C, "replace", title="Replace Postgres", **rejected)
    based.commit("a rejected replacement of A")
    based.git("branch", "-f", "main", "HEAD")
    put(based, D, "vendor", title="Move billing to a vendor", supersedes=[A])
    assert check(based).problems == ()  # A was never superseded by the rejected C
    based.commit("D supersedes A")
    assert cli(based.root, "validate").exit_code == 0
    shown = json.loads(cli(based.root, "show", A, "--format", "json").stdout)
    assert shown["decision"]["superseded_by"] == [D]
    only_rejected = json.loads(cli(based.root, "show", C, "--format", "json").stdout)["decision"]
    assert (only_rejected["status"], only_rejected["supersedes"]) == ("rejected", [A])
