"""The git verbs behind decide check, on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GitRepo, memo_text

from decide import git
from decide.errors import CannotRun
from decide.git import FileChange, combine_changes

A, B, C = "D-1AAAAA", "D-2BBBBB", "D-3CCCCC"


def test_combine_changes_composes_index_and_working_tree() -> None:
    first = [
        FileChange("A", "added.md"),
        FileChange("A", "added-then-removed.md"),
        FileChange("M", "edited.md"),
        FileChange("R", "moved.md", "origin.md"),
        FileChange("D", "deleted-then-recreated.md"),
    ]
    second = [
        FileChange("D", "added-then-removed.md"),
        FileChange("D", "moved.md"),
        FileChange("M", "untouched-in-index.md"),
        FileChange("A", "deleted-then-recreated.md"),
        FileChange("A", "untracked.md"),
    ]
    assert combine_changes(first, second) == [
        FileChange("A", "added.md"),
        FileChange("M", "deleted-then-recreated.md"),
        FileChange("M", "edited.md"),
        FileChange("D", "origin.md"),
        FileChange("M", "untouched-in-index.md"),
        FileChange("A", "untracked.md"),
    ]


@pytest.fixture
def two_commits(repo: GitRepo) -> tuple[GitRepo, str]:
    repo.write(f"decisions/{A}-a.md", memo_text(A))
    repo.write(f"decisions/{B}-b.md", memo_text(B))
    repo.write("decisions/README.txt", "not a memo")
    repo.write(f"decisions/sub/{C}-c.md", memo_text(C))
    return repo, repo.commit("base")


def test_changed_files_sees_index_working_tree_untracked_and_renames(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, base = two_commits
    git_repo.git("mv", f"decisions/{A}-a.md", f"decisions/{A}-renamed.md")
    git_repo.write(f"decisions/{B}-b.md", memo_text(B, title="Edited"))
    git_repo.write(f"decisions/{C}-new.md", memo_text(C))
    git_repo.write(f"decisions/sub/{C}-c.md", "nested files are not memos")
    changes = git.changed_files(git_repo.root, base, "decisions", staged=False)
    blob = {name: git_repo.git("rev-parse", f"{base}:decisions/{name}").strip() for name in (f"{A}-a.md", f"{B}-b.md")}
    assert changes == [
        FileChange("R", f"{A}-renamed.md", f"{A}-a.md", blob[f"{A}-a.md"], blob[f"{A}-a.md"]),
        FileChange("M", f"{B}-b.md", old_blob=blob[f"{B}-b.md"]),  # the base's ID, from git status
        FileChange("A", f"{C}-new.md"),
    ]
    assert git.changed_files(git_repo.root, base, "decisions", staged=True) == [changes[0]]


def test_blob_shas_lists_the_memo_files_directly_in_the_folder(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, base = two_commits
    shas = git.blob_shas(git_repo.root, base, "decisions")
    assert shas == {
        f"{A}-a.md": git_repo.git("rev-parse", f"{base}:decisions/{A}-a.md").strip(),
        f"{B}-b.md": git_repo.git("rev-parse", f"{base}:decisions/{B}-b.md").strip(),
    }
    assert git.blob_shas(git_repo.root, base, "nothing-here") == {}


def test_grep_names_runs_in_the_background_and_finds_memos_naming_a_word(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, base = two_commits
    git_repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))
    head = git_repo.commit("B supersedes A")
    pending = git.start_grep_names(git_repo.root, head, "decisions", ["supersedes"])
    assert pending.result() == {f"{B}-b.md"}
    assert git.grep_names(git_repo.root, base, "decisions", ["supersedes"]) == set()


def test_grep_names_matches_whole_words_only(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, _base = two_commits
    git_repo.write(f"decisions/{B}-b.md", memo_text(B, aliases=["7"], date="2026-07-17"))
    git_repo.write(f"decisions/{C}-c.md", memo_text(C, date="2026-07-17"))
    head = git_repo.commit("an alias")
    assert git.grep_names(git_repo.root, head, "decisions", ["7"]) == {f"{B}-b.md"}


def test_a_background_git_command_that_fails_says_so_and_one_not_needed_can_be_stopped(
    two_commits: tuple[GitRepo, str],
) -> None:
    git_repo, _base = two_commits
    failing = git.Pending(git_repo.root, ["cat-file", "-p", "no-such-object"], bytes)
    with pytest.raises(git.GitFailed, match=r"^git cat-file failed: fatal: Not a valid object name no-such-object$"):
        failing.result()
    unneeded = git.start_grep_names(git_repo.root, "HEAD", "decisions", ["supersedes"])
    unneeded.cancel()
    assert unneeded._process.poll() is not None, "cancel leaves no git process behind"


def test_find_names_searches_each_branch_folder_for_id_prefixes(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, _base = two_commits
    git_repo.branch("other")
    git_repo.write(f"decisions/{C}-other.md", memo_text(C))
    git_repo.write(f"decisions/{C}-folder.md/notes.txt", "a folder, not a memo")
    git_repo.commit("other")
    found = git.find_names(git_repo.root, ["main", "other", "no-such-branch"], "decisions", [A, C])
    assert found == [frozenset({f"{A}-a.md"}), frozenset({f"{A}-a.md", f"{C}-other.md"}), frozenset()]


def test_other_branches_leaves_out_those_already_in_head(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, _base = two_commits
    git_repo.git("branch", "behind")
    git_repo.branch("ahead")
    git_repo.commit("ahead")
    git_repo.checkout("main")
    assert git.other_branches(git_repo.root) == ["refs/heads/ahead"]


def test_refs_are_never_read_as_options(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, base = two_commits
    with pytest.raises(git.GitFailed, match=r"^git merge-base failed: fatal: Not a valid object name --octopus$"):
        git.merge_base(git_repo.root, "--octopus", "HEAD")
    with pytest.raises(git.GitFailed, match=r"^git diff failed: fatal: bad revision '--cached'$"):
        git.changed_files(git_repo.root, "--cached", "decisions", staged=True)
    assert git.blob_shas(git_repo.root, "--help", "decisions") == {}
    assert git.merge_base(git_repo.root, base, "HEAD") == base


def test_read_blobs_reads_commits_the_index_and_reports_missing(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, base = two_commits
    git_repo.write(f"decisions/{A}-a.md", "staged\n")
    git_repo.git("add", "-A")
    blobs = git.read_blobs(git_repo.root, [f"{base}:./decisions/{A}-a.md", f":./decisions/{A}-a.md", "HEAD:nope"])
    assert blobs == [memo_text(A).encode(), b"staged\n", None]


def test_blob_ids_takes_names_literally_and_any_bytes(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, _base = two_commits
    names = [f"{C}-a\nb.md", f"{C}-*.md", f"{C}-:(glob)x.md"]
    for name in names:
        git_repo.write(f"decisions/{name}", name)
    head = git_repo.commit("odd names")
    found = git.start_blob_ids(git_repo.root, head, "decisions", [*names, f"{C}-none.md"]).result()
    assert sorted(found) == sorted(names)
    assert git.read_blobs(git_repo.root, [found[n] for n in names]) == [n.encode() for n in names]
    assert git.index_blobs(git_repo.root, "decisions")[names[0]] == found[names[0]]


def test_describe_repo_outside_git_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(CannotRun, match="is not in a git repository"):
        git.describe_repo(tmp_path)


def test_other_branches_include_pull_request_heads_fetched_into_refs_pull(two_commits: tuple[GitRepo, str]) -> None:
    git_repo, _base = two_commits
    git_repo.branch("fork-work")
    head = git_repo.commit("a fork's commit")
    git_repo.checkout("main")
    git_repo.git("branch", "-D", "fork-work")
    git_repo.git("update-ref", "refs/pull/7/head", head)
    assert git.other_branches(git_repo.root) == ["refs/pull/7/head"]
