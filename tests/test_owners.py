"""decide owners: CODEOWNERS lines that route each memo to its DRI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result
from conftest import GitRepo, memo_text

from decide.memo import parse
from decide.owners import BEGIN, END, managed_lines, owner_of, route

A, B, C, D = "D-1AAAAA", "D-2BBBBB", "D-3CCCCC", "D-4DDDDD"
Invoke = Callable[..., Result]


@pytest.fixture
def log(repo: GitRepo) -> GitRepo:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A, dri="@ana-ruiz"))
    repo.write(f"decisions/{B}-pricing.md", memo_text(B, dri="Bo Sand <bo@example.com>"))
    repo.write(f"decisions/{C}-hire.md", memo_text(C, dri="Chen Okafor"))
    repo.write(f"decisions/{D}-vendor.md", memo_text(D, dri="TBD", status="proposed", decided_on=None))
    return repo


def test_owners_prints_a_line_per_routable_memo_and_lists_the_rest_on_stderr(log: GitRepo, invoke: Invoke) -> None:
    result = invoke("owners")
    assert result.exit_code == 0
    assert result.stdout == (f"/decisions/{A}-adopt.md @ana-ruiz\n/decisions/{B}-pricing.md bo@example.com\n")
    assert result.stderr == (
        f'unroutable: decisions/{C}-hire.md: DRI "Chen Okafor" has no @handle or email\n'
        f'unroutable: decisions/{D}-vendor.md: DRI "TBD" has no @handle or email\n'
    )


def test_check_passes_when_the_managed_lines_are_current(log: GitRepo, invoke: Invoke) -> None:
    for memo_id in (C, D):
        (log.decisions / f"{memo_id}-{'hire' if memo_id == C else 'vendor'}.md").unlink()
    log.write(
        ".github/CODEOWNERS",
        f"# hand-written rules stay\n* @org/maintainers\n/docs/ @docs-lead\n"
        f"/decisions/{A}-adopt.md @ana-ruiz\n/decisions/{B}-pricing.md bo@example.com\n",
    )
    result = invoke("owners", "--check", str(log.root / ".github/CODEOWNERS"))
    assert result.exit_code == 0
    assert result.stdout == f"ok: {log.root / '.github/CODEOWNERS'} routes 2 memo(s) to their DRI\n"


def test_check_fails_with_a_diff_when_a_dri_changed(log: GitRepo, invoke: Invoke) -> None:
    owners_file = log.write(
        "CODEOWNERS",
        f"* @org/maintainers\n/decisions/{A}-adopt.md @someone-else\n/decisions/{B}-pricing.md bo@example.com\n",
    )
    result = invoke("owners", "--check", str(owners_file))
    assert result.exit_code == 1
    assert result.stdout == (
        f"--- {owners_file} (lines for decisions/)\n"
        "+++ decide owners\n"
        "@@ -1,2 +1,2 @@\n"
        f"-/decisions/{A}-adopt.md @someone-else\n"
        f"+/decisions/{A}-adopt.md @ana-ruiz\n"
        f" /decisions/{B}-pricing.md bo@example.com\n"
    )
    assert result.stderr.endswith(
        f"{owners_file} is out of date; regenerate it with 'decide owners --write {owners_file}'\n"
        "2 memo(s) cannot be routed to their DRI; fix their dri (see above)\n"
    )


def test_check_fails_when_a_memo_is_missing_from_the_file(log: GitRepo, invoke: Invoke) -> None:
    owners_file = log.write("CODEOWNERS", f"/decisions/{A}-adopt.md @ana-ruiz\n")
    result = invoke("owners", "--check", str(owners_file))
    assert result.exit_code == 1
    assert f"+/decisions/{B}-pricing.md bo@example.com\n" in result.stdout


def test_check_of_a_missing_file_is_a_usage_error(log: GitRepo, invoke: Invoke) -> None:
    result = invoke("owners", "--check", str(log.root / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize(
    ("dri", "owner"),
    [
        ("@ana-ruiz", "@ana-ruiz"),
        ("Ana Ruiz <ana@example.com>", "ana@example.com"),
        ("chen@example.com", "chen@example.com"),
        ("Ana Ruiz", None),
        ("TBD", None),
    ],
)
def test_owner_of_takes_the_handle_else_the_email(dri: str, owner: str | None) -> None:
    assert owner_of(dri) == owner


def test_route_takes_another_resolver_such_as_a_roster() -> None:
    memo = parse(memo_text(A, dri="Chen Okafor"), f"decisions/{A}-adopt.md").memo
    assert memo is not None
    roster = {"Chen Okafor": "@chen"}
    assert route([memo], roster.get).lines == (f"/decisions/{A}-adopt.md @chen",)
    assert route([memo]).unroutable[0].dri == "Chen Okafor"


def test_managed_lines_are_memo_paths_only() -> None:
    text = f"# /decisions/{A}-x.md @a\n/decisions/ @team\n/decisions/{A}-x.md   @a  \n/other/{A}-x.md @b\n"
    assert managed_lines(text, "decisions") == [f"/decisions/{A}-x.md   @a"]


def test_owners_routes_a_dri_on_the_roster_to_its_handle_there(log: GitRepo, invoke: Invoke) -> None:
    log.write(
        "decisions/people.yml", "- name: Chen Okafor\n  email: chen@example.com\n- name: Ana Ruiz\n  handle: ana\n"
    )
    result = invoke("owners")
    assert result.stdout == (
        f"/decisions/{A}-adopt.md @ana-ruiz\n/decisions/{B}-pricing.md bo@example.com\n/decisions/{C}-hire.md chen@example.com\n"
    )
    assert result.stderr == f'unroutable: decisions/{D}-vendor.md: DRI "TBD" has no @handle or email\n'


def test_owners_leaves_out_a_roster_whose_handle_has_a_space_and_says_so(log: GitRepo, invoke: Invoke) -> None:
    log.write("decisions/people.yml", "- name: Chen Okafor\n  handle: chen okafor\n")
    result = invoke("owners")
    assert result.stdout == f"/decisions/{A}-adopt.md @ana-ruiz\n/decisions/{B}-pricing.md bo@example.com\n"
    assert result.stderr == (
        'Warning: decisions/people.yml:2: [0].handle: "chen okafor" has a space; a handle is one word, the user name (e.g. "chen-okafor")\n'
        "Warning: decisions/people.yml is left out until it is fixed; only a DRI's own @handle or email routes\n"
        f'unroutable: decisions/{C}-hire.md: DRI "Chen Okafor" has no @handle or email\n'
        f'unroutable: decisions/{D}-vendor.md: DRI "TBD" has no @handle or email\n'
    )


@pytest.mark.parametrize(
    ("dri", "why"),
    [
        (
            "@eve.smith",
            "@eve.smith is not a GitHub user name (letters, digits and single hyphens, at most 39); fix the handle",
        ),
        (
            "@" + "a" * 45,
            "@"
            + "a" * 45
            + " is not a GitHub user name (letters, digits and single hyphens, at most 39); fix the handle",
        ),
        (
            "@da--na",
            "@da--na is not a GitHub user name (letters, digits and single hyphens, at most 39); fix the handle",
        ),
        ("@org/platform", "@org/platform is a team; a DRI is one person: name their @handle"),
        ("Eve <eve@localhost>", "eve@localhost is not an email address CODEOWNERS accepts; fix it or name an @handle"),
    ],
)
def test_only_owners_github_accepts_are_written(repo: GitRepo, invoke: Invoke, dri: str, why: str) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A, dri=dri, status="proposed", decided_on=None))
    result = invoke("owners")
    assert (result.stdout, result.stderr) == ("", f'unroutable: decisions/{A}-adopt.md: DRI "{dri}" {why}\n')


def test_a_file_name_cannot_inject_a_codeowners_line(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(f"decisions/{A}-x\n*\t@attacker\n.md", memo_text(A, dri="@ana"))
    repo.write(f"decisions/{B}-a [b] #c !d\\e*f.md", memo_text(B, dri="@bo"))
    result = invoke("owners")
    assert result.stdout == f"/decisions/{B}-a*b*c*d*e*f.md @bo\n"
    assert "@attacker" not in result.stdout
    assert result.stderr.startswith(
        f'unroutable: decisions/{A}-x\\n*\\t@attacker\\n.md: DRI "@ana" its file name holds'
    )


def test_an_unroutable_new_memo_fails_check(log: GitRepo, invoke: Invoke) -> None:
    owners_file = log.root / ".github" / "CODEOWNERS"
    assert invoke("owners", "--write", str(owners_file)).exit_code == 0
    result = invoke("owners", "--check", str(owners_file))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.endswith("2 memo(s) cannot be routed to their DRI; fix their dri (see above)\n")


def test_write_keeps_the_block_current_in_place_and_is_idempotent(log: GitRepo, invoke: Invoke) -> None:
    owners_file = log.root / ".github" / "CODEOWNERS"
    result = invoke("owners", "--write", str(owners_file))
    assert result.stdout == f"{owners_file}: updated; 2 memo(s) routed to their DRI\n"
    block = [BEGIN, f"/decisions/{A}-adopt.md @ana-ruiz", f"/decisions/{B}-pricing.md bo@example.com", END]
    assert owners_file.read_text(encoding="utf-8").splitlines() == block
    owners_file.write_text(
        "# ours\n* @org/maintainers\n\n" + owners_file.read_text(encoding="utf-8") + "/docs/ @docs\n"
    )
    log.write(f"decisions/{C}-hire.md", memo_text(C, dri="@chen"))
    invoke("owners", "--write", str(owners_file))
    text = owners_file.read_text(encoding="utf-8")
    assert text.splitlines() == [
        "# ours",
        "* @org/maintainers",
        "",
        "/docs/ @docs",
        "",
        BEGIN,
        *block[1:3],
        f"/decisions/{C}-hire.md @chen",
        END,
    ]
    again = invoke("owners", "--write", str(owners_file))
    assert again.stdout == f"{owners_file}: already up to date; 3 memo(s) routed to their DRI\n"
    assert owners_file.read_text(encoding="utf-8") == text


def test_write_replaces_lines_an_older_decide_wrote(log: GitRepo, invoke: Invoke) -> None:
    owners_file = log.write("CODEOWNERS", f"* @org/x\n/decisions/{A}-adopt.md @someone-else\n")
    invoke("owners", "--write", str(owners_file))
    assert owners_file.read_text(encoding="utf-8").splitlines()[:2] == ["* @org/x", ""]
    assert f"/decisions/{A}-adopt.md @someone-else" not in owners_file.read_text(encoding="utf-8")


def test_two_parallel_pull_requests_adding_memos_merge_without_a_conflict(repo: GitRepo, invoke: Invoke) -> None:
    """Each pull request adds only its memo; CODEOWNERS is regenerated on main after each merge, as the workflow does."""
    repo.write(f"decisions/{A}-adopt.md", memo_text(A, dri="@ana-ruiz"))
    owners_file = repo.root / ".github" / "CODEOWNERS"
    invoke("owners", "--write", str(owners_file))
    repo.commit("base, with CODEOWNERS generated on main")
    for branch, dri in (("one", "@bo"), ("two", "@chen")):
        repo.branch(branch, "main")
        result = invoke("new", f"Decision of {branch}", "--dri", dri, "--input", "x", "--no-edit")
        assert result.exit_code == 0, result.stderr
        repo.commit(f"{branch} adds a memo")
        changed = repo.git("diff", "--name-only", "main...HEAD").split()
        assert len(changed) == 1 and changed[0].startswith("decisions/D-"), changed  # no generated file touched
    repo.checkout("main")
    for branch in ("one", "two"):
        repo.git("merge", "-q", "--no-ff", "-m", f"merge {branch}", branch)  # raises on any conflict
        invoke("owners", "--write", str(owners_file))  # the job on main
        repo.commit("CODEOWNERS")
    assert invoke("owners", "--check", str(owners_file)).exit_code == 0
    assert len(managed_lines(owners_file.read_text(encoding="utf-8"), "decisions")) == 3
