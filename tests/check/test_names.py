"""decide check sees every changed memo, whatever bytes its file name holds (real git, names read with -z)."""

from __future__ import annotations

import os

import pytest
from conftest import BODY, GitRepo, memo_text

from decide.check import run_check
from decide.config import load_config

A = "D-1AAAAA"
# Names git would quote or split on without -z, and names a tool could read as an option.
NAMES = {
    "line-break": f"{A}-a\nb.md",
    "carriage-return": f"{A}-a\rb.md",
    "tab": f"{A}-a\tb.md",
    "quotes": f"{A}-\"a\" 'b'.md",
    "backslash": f"{A}-a\\nb.md",
    "not-utf8": os.fsdecode(f"{A}-caf\xe9.md".encode("latin-1")),
    "leading-dash": f"{A}--cached.md",
    "glob": f"{A}-*[ab]?.md",
    "spaces": f"{A}- a  b .md",
}


@pytest.fixture(params=sorted(NAMES), ids=sorted(NAMES))
def named(request: pytest.FixtureRequest, repo: GitRepo) -> tuple[GitRepo, str]:
    """main holds decided memo A under a hostile name; HEAD is branch ``feature``."""
    name = NAMES[request.param]
    (repo.decisions / name).write_text(memo_text(A), encoding="utf-8")
    repo.commit("base")
    repo.branch("feature")
    return repo, name


def check(repo: GitRepo, *, staged: bool = False) -> list[tuple[str, str]]:
    return [(p.path, p.field) for p in run_check(load_config(repo.root), staged=staged).problems]


def path_of(name: str) -> str:
    return f"decisions/{name}"


@pytest.mark.parametrize("staged", [False, True], ids=["working-tree", "staged"])
def test_a_rewritten_decision_under_any_name_is_refused(named: tuple[GitRepo, str], staged: bool) -> None:
    repo, name = named
    (repo.decisions / name).write_text(memo_text(A, BODY.replace("We use A.", "We use B.")), encoding="utf-8")
    repo.git("add", "-A")
    assert check(repo, staged=staged) == [(path_of(name), "body")]


@pytest.mark.parametrize("staged", [False, True], ids=["working-tree", "staged"])
def test_a_deleted_memo_under_any_name_is_refused(named: tuple[GitRepo, str], staged: bool) -> None:
    repo, name = named
    repo.git("rm", "-q", "--", path_of(name))
    result = run_check(load_config(repo.root), staged=staged)
    assert [(c.kind, c.path) for c in result.changes] == [("deleted", path_of(name))]
    assert [p.message.split(";")[0] for p in result.problems] == [f"{A} was deleted"]


def test_a_new_invalid_memo_under_any_name_is_refused(named: tuple[GitRepo, str]) -> None:
    repo, name = named
    other = name.replace(A, "D-2BBBBB")
    (repo.decisions / other).write_text(memo_text("D-2BBBBB", dri="Growth team"), encoding="utf-8")
    result = run_check(load_config(repo.root))
    assert [(c.kind, c.path) for c in result.changes] == [("new", path_of(other))]
    assert [p.field for p in result.problems] == ["dri"]


def test_a_commit_renaming_a_memo_to_a_hostile_name_keeps_its_pairing(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.branch("feature")
    repo.git("mv", f"decisions/{A}-adopt.md", path_of(NAMES["line-break"]))
    repo.commit("rename")
    result = run_check(load_config(repo.root))
    assert [(c.kind, c.old_path, c.path) for c in result.changes] == [
        ("renamed", f"decisions/{A}-adopt.md", path_of(NAMES["line-break"]))
    ]
    assert result.ok
