"""The decide-check hook under real pre-commit, in repositories as people have them: master, first commits, shallow CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GitRepo, git, init_repo, memo_text

from decide.check import run_check
from decide.check.branch import SKIP_HOOK
from decide.config import load_config

ROOT = Path(__file__).resolve().parents[2]
A, B = "D-1AAAAA", "D-2BBBBB"
pytestmark = pytest.mark.slow


def hook_config() -> str:
    """This project's published hooks as a local repo's config: the same entries, run from this environment."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = [{**hook, "language": "system"} for hook in hooks]
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)


def env(tmp_path: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc")}


def commit(repo: GitRepo, tmp_path: Path, message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` with the hooks installed by pre-commit: what a developer's commit runs."""
    repo.git("add", "-A")
    done = subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo.root,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    print(done.stdout, done.stderr)
    return done


def install(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(".pre-commit-config.yaml", hook_config())
    cmd = [sys.executable, "-m", "pre_commit", "install"]
    subprocess.run(cmd, cwd=repo.root, env=env(tmp_path), check=True, capture_output=True)


@pytest.fixture
def master(tmp_path: Path) -> GitRepo:
    """A repository whose default branch is master (no main, no remote), with a decided memo and the hooks."""
    repo = init_repo(tmp_path / "repo")
    repo.git("symbolic-ref", "HEAD", "refs/heads/master")
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    install(repo, tmp_path)
    return repo


def test_the_first_commit_of_a_new_repository_passes(master: GitRepo, tmp_path: Path) -> None:
    assert commit(master, tmp_path, "first").returncode == 0


def test_in_a_master_repository_unrelated_commits_pass_and_a_rewritten_decision_is_refused(
    master: GitRepo, tmp_path: Path
) -> None:
    assert commit(master, tmp_path, "first").returncode == 0
    master.write("src/app.py", "print('hi')\n")
    assert commit(master, tmp_path, "code").returncode == 0
    master.write(f"decisions/{A}-adopt.md", memo_text(A, title="Adopt MySQL for billing"))
    refused = commit(master, tmp_path, "rewrite A")
    assert refused.returncode == 1
    assert f"decisions/{A}-adopt.md:3: title: {A} is decided, so its title may not change" in refused.stderr
    assert run_check(load_config(master.root), staged=True).base == "master"


def test_a_staged_deletion_is_refused_by_the_hook(master: GitRepo, tmp_path: Path) -> None:
    assert commit(master, tmp_path, "first").returncode == 0
    master.git("rm", "-q", f"decisions/{A}-adopt.md")
    refused = commit(master, tmp_path, "delete A")
    assert refused.returncode == 1
    assert f"{A} was deleted" in refused.stderr


def test_without_any_base_the_next_commit_is_judged_against_head_and_says_so(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "trunk")
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("first")
    repo.write(f"decisions/{B}-hire.md", memo_text(B))
    repo.git("add", "-A")
    result = run_check(load_config(repo.root), staged=True)
    assert result.ok and result.base == "HEAD"
    assert result.notes == (
        "no base branch here (looked for origin/main, main, origin/master, master): the next commit was judged "
        "against HEAD alone; set base under [tool.decide] to compare with the branch pull requests go to",
    )


def test_the_remote_default_branch_is_found_through_origin_head(repo: GitRepo, tmp_path: Path) -> None:
    repo.git("checkout", "-q", "-b", "trunk")
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("first")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo.root), str(clone))
    mate = init_repo(clone)
    mate.branch("feature")
    mate.write(f"decisions/{B}-hire.md", memo_text(B))
    assert run_check(load_config(clone)).base == "origin/trunk"


@pytest.mark.parametrize("variable", ["GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"])
def test_in_ci_the_pull_requests_target_is_the_default_base(repo: GitRepo, tmp_path: Path, variable: str) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("first")
    repo.branch("release")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-single-branch", str(repo.root), str(clone))
    mate = init_repo(clone)
    mate.branch("fix", "origin/release")
    command = [sys.executable, "-m", "decide", "check"]
    done = subprocess.run(
        command, cwd=clone, env={**os.environ, variable: "release"}, capture_output=True, text=True, check=False
    )
    assert done.stdout == "ok: no memos changed against origin/release\n"


def test_a_shallow_clone_says_to_skip_the_hook_there(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("first")
    repo.branch("feature")
    repo.write("x.txt", "x")
    repo.commit("feature work")
    repo.checkout("main")
    repo.write("y.txt", "y")
    repo.commit("main moves on")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo.root}", str(shallow))
    mate = init_repo(shallow)
    mate.checkout("feature")
    mate.write(f"decisions/{B}-hire.md", memo_text(B))
    mate.git("add", "-A")
    command = [sys.executable, "-m", "decide", "check", "--staged"]
    done = subprocess.run(command, cwd=shallow, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (
        3,
        "Error: this is a shallow clone (as pre-commit.ci makes), so HEAD and origin/main share no history here and "
        f"the next commit cannot be judged against it; {SKIP_HOOK}\n",
    )
