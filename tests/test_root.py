"""Every command finds the repository and its configured log folder from any subfolder of a real repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo, init_repo, memo_text

from decide.cli import main
from decide.config import Config, find_root, load_config

A, B = "D-1AAAAA", "D-2BBBBB"
FIXTURES = Path(__file__).parent / "adr" / "fixtures"
LOG = "docs/decisions"


def in_folder(folder: Path, *args: str) -> Result:
    """Run decide with ``folder`` as the working directory and no ``--root``, as a user in a terminal would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    print(f"$ cd {folder} && decide {' '.join(args)}\n[exit {result.exit_code}]\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def docs_repo(tmp_path: Path) -> GitRepo:
    """A repository that keeps its log in docs/decisions, configured in its pyproject.toml, with a package inside."""
    repo = init_repo(tmp_path / "repo")
    (repo.root / "decisions").rmdir()
    repo.write("pyproject.toml", f'[project]\nname = "app"\n\n[tool.decide]\ndecisions = "{LOG}"\n')
    repo.write("src/pkg/pyproject.toml", '[project]\nname = "pkg"\n')  # a package of a monorepo: not the root
    repo.write("docs/index.md", "# App\n")
    repo.write(f"{LOG}/D-1AAAAA-adopt-postgres-for-billing.md", memo_text(A, dri="@ana"))
    repo.write(
        f"{LOG}/D-2BBBBB-pick-a-queue.md", memo_text(B, title="Pick a queue", status="proposed", decided_on=None)
    )
    repo.commit("log in docs/decisions")
    return repo


SUBFOLDERS = ["docs", LOG, "src/pkg", "src"]


@pytest.mark.parametrize("sub", SUBFOLDERS)
def test_find_root_from_any_subfolder_is_the_configured_repository(docs_repo: GitRepo, sub: str) -> None:
    root = find_root(docs_repo.root / sub)
    assert root == docs_repo.root
    assert load_config(root).decisions_dir == docs_repo.root / LOG


def test_the_roster_lives_in_the_configured_folder(docs_repo: GitRepo) -> None:
    config = load_config(docs_repo.root)
    assert (config.roster, config.roster_path) == (f"{LOG}/people.yml", docs_repo.root / LOG / "people.yml")
    assert Config(Path("/r"), "adr").roster == "adr/people.yml"


def test_a_decide_toml_below_the_top_is_a_log_of_its_own(docs_repo: GitRepo) -> None:
    docs_repo.write("services/billing/decide.toml", 'decisions = "adr"\n')
    inner = docs_repo.root / "services" / "billing" / "src"
    inner.mkdir(parents=True)
    assert find_root(inner) == docs_repo.root / "services" / "billing"


def test_outside_git_the_nearest_folder_with_a_log_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "team" / "decisions").mkdir(parents=True)
    (tmp_path / "team" / "notes").mkdir()
    assert find_root(tmp_path / "team" / "notes") == tmp_path / "team"
    (tmp_path / "elsewhere").mkdir()
    assert find_root(tmp_path / "elsewhere") == tmp_path / "elsewhere"


@pytest.mark.parametrize("sub", SUBFOLDERS)
def test_validate_list_show_due_stats_index_owners_from_a_subfolder(docs_repo: GitRepo, sub: str) -> None:
    here = docs_repo.root / sub
    assert in_folder(here, "validate").stderr == "2 memo(s) valid\n"
    listed = in_folder(here, "list").stdout
    assert A in listed and B in listed
    shown = in_folder(here, "show", B.lower())
    assert shown.exit_code == 0 and "Pick a queue" in shown.stdout
    assert in_folder(here, "due").exit_code == 0
    assert in_folder(here, "stats").exit_code == 0
    assert A in in_folder(here, "index").stdout
    assert in_folder(here, "owners").stdout.splitlines() == [
        f"/{LOG}/D-1AAAAA-adopt-postgres-for-billing.md @ana",
        f"/{LOG}/D-2BBBBB-pick-a-queue.md ana@example.com",
    ]


def test_new_and_the_lifecycle_from_a_subfolder_write_into_the_configured_folder(docs_repo: GitRepo) -> None:
    here = docs_repo.root / "src" / "pkg"
    created = in_folder(here, "new", "Use one queue", "--dri", "@bo", "--no-edit")
    assert created.exit_code == 0
    path = docs_repo.root / created.stdout.splitlines()[-1]
    assert path.parent == docs_repo.root / LOG and path.is_file()
    accepted = in_folder(here, "accept", B)
    assert accepted.exit_code == 0, accepted.stderr
    assert "status: decided" in (docs_repo.root / LOG / "D-2BBBBB-pick-a-queue.md").read_text(encoding="utf-8")
    retired = in_folder(docs_repo.root / "docs", "retire", A, "--reason", "Billing moved")
    assert retired.exit_code == 0, retired.stderr
    assert not (docs_repo.root / "decisions").exists() and not (here / "decisions").exists()


def test_import_from_a_subfolder_writes_into_the_configured_folder(docs_repo: GitRepo) -> None:
    shutil.copytree(FIXTURES / "adr-tools", docs_repo.root / "doc" / "adr")
    docs_repo.commit("ADRs")
    here = docs_repo.root / "src" / "pkg"
    imported = in_folder(here, "import", "../../doc/adr", "--dri", "Ana Ruiz")
    assert imported.exit_code in (0, 1), imported.stderr  # 1: some records need a human, as the import says
    written = sorted(p.name for p in (docs_repo.root / LOG).glob("D-*.md"))
    assert len(written) > 2 and not (docs_repo.root / "decisions").exists()


def test_check_from_a_subfolder_sees_the_configured_folder(docs_repo: GitRepo) -> None:
    docs_repo.branch("change")
    docs_repo.write(f"{LOG}/D-1AAAAA-adopt-postgres-for-billing.md", memo_text(A, dri="@ana", title="Adopt MySQL"))
    docs_repo.commit("rewrite a decided memo")
    refused = in_folder(docs_repo.root / "src" / "pkg", "check", "--base", "main")
    assert refused.exit_code == 1
    assert f"{LOG}/D-1AAAAA-adopt-postgres-for-billing.md" in refused.stdout


def test_a_subprocess_in_a_deep_subfolder_finds_the_log(docs_repo: GitRepo) -> None:
    deep = docs_repo.root / "src" / "pkg" / "deep"
    deep.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=deep, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "2 memo(s) valid\n")


def test_an_unconfigured_log_in_docs_is_found_and_named_in_the_error(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo.root / "decisions").rmdir()
    repo.write(f"{LOG}/D-1AAAAA-adopt-postgres-for-billing.md", memo_text(A))
    result = in_folder(repo.root / "docs", "validate")
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: no decisions/ folder in {repo.root}, but {LOG}/ holds memos: run 'decide init --dir {LOG}' to use it\n",
    )


def test_a_configured_folder_that_is_missing_names_the_setting(docs_repo: GitRepo) -> None:
    shutil.rmtree(docs_repo.root / LOG)
    result = in_folder(docs_repo.root / "src", "list")
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: no {LOG}/ folder in {docs_repo.root} (decisions is set in pyproject.toml [tool.decide]); "
        "create it with 'decide init', or correct the setting\n",
    )


def test_outside_a_repository_every_command_says_what_to_do(tmp_path: Path) -> None:
    message = (
        f"Error: {tmp_path} is not in a git repository and has no decisions/ folder; cd into your repository "
        "(or pass -C PATH), or start one here with 'git init' and 'decide init'\n"
    )
    for args in (["validate"], ["list"], ["new", "A title", "--no-edit"], ["due"]):
        result = in_folder(tmp_path, *args)
        assert (result.exit_code, result.stderr) == (3, message), args
    assert list(tmp_path.iterdir()) == []


def site_repo(tmp_path: Path) -> GitRepo:
    """A repository with its own MkDocs site in docs/ and its log elsewhere, configured in pyproject.toml."""
    repo = init_repo(tmp_path / "site-repo")
    (repo.root / "decisions").rmdir()
    repo.write("pyproject.toml", '[tool.decide]\ndecisions = "handbook/decisions"\n')
    repo.write("handbook/decisions/D-1AAAAA-adopt-postgres-for-billing.md", memo_text(A))
    repo.write("docs/about.md", "# About\n")
    repo.write("mkdocs.yml", "site_name: Billing\ntheme: material\nplugins: [decide]\n")
    (repo.root / "src" / "pkg").mkdir(parents=True)
    return repo


QUIET = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.mark.slow
def test_build_from_a_subfolder_publishes_the_configured_log(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "decide", "build"],
        cwd=repo.root / "src" / "pkg",
        env=QUIET,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list((repo.root / "site").rglob(f"{A}*/index.html")) and not (repo.root / "src" / "pkg" / "site").exists()


@pytest.mark.slow
def test_serve_from_a_subfolder_serves_the_configured_log(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    repo = site_repo(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "decide", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=repo.root / "src" / "pkg",
        env=QUIET,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        for _ in range(120):  # the first build takes a few seconds; at most a minute
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/log/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert A in page
    finally:
        server.terminate()
        server.wait(timeout=20)
