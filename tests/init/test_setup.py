"""decide init in real repositories: what it writes, what it leaves alone, and a second run that changes nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import git, init_repo
from test_ci_files import parse_decide, run_lines

import decide
from decide.cli import main
from decide.config import load_config
from decide.init.source import installed_source

REQUIREMENT = f"decide-log=={decide.__version__}"  # this checkout is installed from its folder, so CI gets PyPI's


def bare_repo(root: Path) -> Path:
    """A fresh repository as a team has it: a README and a source file, no decisions/ and no commit yet."""
    repo = init_repo(root)
    (repo.root / "decisions").rmdir()
    (root / "README.md").write_text("# Billing\n", encoding="utf-8")
    (root / "app.py").write_text("print('hello')\n", encoding="utf-8")
    return root


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "billing")


def init(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--root", str(root), "init", *args], catch_exceptions=False)
    print(f"$ decide init {' '.join(args)}\n[exit {result.exit_code}]\n{result.stdout}\n[stderr]\n{result.stderr}")
    return result


def snapshot(root: Path) -> dict[str, str]:
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_init_in_a_fresh_repository_creates_the_log_and_says_what_next(bare: Path) -> None:
    result = init(bare)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "created    decisions/          the log folder\n"
        "created    decisions/.gitkeep  keeps the empty log folder in a clone\n"
        "created    .gitignore          /site/, the built site\n"
        "no CI workflow: no .github/, .gitlab-ci.yml or remote says which; pass --ci github or --ci gitlab\n"
        "\n"
        "Next: write the first decision, then commit what decide init wrote:\n"
        '  decide new "TITLE" --dri "NAME <email>"\n'
        '  git add decisions/ .gitignore && git commit -m "Start a decision log with decide"\n'
    )
    assert (bare / "decisions" / ".gitkeep").read_bytes() == b""
    assert (bare / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "/site/"
    assert git(bare, "check-ignore", "site/index.html").strip() == "site/index.html"
    assert not (bare / "decide.toml").exists() and not (bare / "pyproject.toml").exists()


def test_a_second_run_changes_nothing_and_says_so(bare: Path) -> None:
    (bare / ".github").mkdir()
    (bare / ".pre-commit-config.yaml").write_text("repos:\n  - repo: local\n    hooks: []\n", encoding="utf-8")
    assert init(bare, "--dir", "docs/decisions").exit_code == 0
    before = snapshot(bare)
    again = init(bare, "--dir", "docs/decisions")
    assert again.exit_code == 0
    assert snapshot(bare) == before
    assert again.stdout.splitlines()[-1] == "nothing to do: decide is set up here already"
    assert [line.split()[0] for line in again.stdout.splitlines()[:-1]] == ["unchanged"] * 5
    assert init(bare).stdout == again.stdout  # the folder now comes from the setting


def test_outside_a_git_repository_init_exits_3_and_says_what_to_do(tmp_path: Path) -> None:
    result = init(tmp_path)
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (
        f"Error: {tmp_path} is not in a git repository; cd into your repository, or start one with 'git init', "
        "then run 'decide init' again\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_from_a_subfolder_init_sets_up_the_top_of_the_repository(bare: Path) -> None:
    (bare / "src" / "billing").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-m", "decide", "init"],
        cwd=bare / "src" / "billing",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (bare / "decisions" / ".gitkeep").is_file() and not (bare / "src" / "billing" / "decisions").exists()


PYPROJECT = """\
# Billing service
[project]
name = "billing"   # the distribution
version = "1.0"

[tool.ruff]
line-length = 100
"""


def test_a_folder_is_stored_under_tool_decide_in_an_existing_pyproject_everything_else_kept(bare: Path) -> None:
    (bare / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    result = init(bare, "--dir", "docs/decisions")
    assert 'added      pyproject.toml           decisions = "docs/decisions" under [tool.decide]' in result.stdout
    text = (bare / "pyproject.toml").read_text(encoding="utf-8")
    assert text == PYPROJECT + '\n[tool.decide]\ndecisions = "docs/decisions"\n'
    assert load_config(bare).decisions_dir == bare / "docs" / "decisions"
    assert (bare / "docs" / "decisions" / ".gitkeep").is_file() and not (bare / "decide.toml").exists()


def test_an_existing_tool_decide_table_gets_the_line_under_its_header_crlf_kept(bare: Path) -> None:
    original = '[project]\r\nname = "x"\r\n\r\n[tool.decide]  # our log\r\nbase = "origin/trunk"\r\n\r\n[tool.other]\r\na = 1\r\n'
    (bare / "pyproject.toml").write_bytes(original.encode())
    assert init(bare, "--dir", "adr").exit_code == 0
    assert (bare / "pyproject.toml").read_bytes().decode() == original.replace(
        "# our log\r\n", '# our log\r\ndecisions = "adr"\r\n'
    )
    config = load_config(bare)
    assert (config.decisions, config.base) == ("adr", "origin/trunk")


def test_a_pyproject_it_cannot_extend_safely_is_left_alone_with_the_line_to_add(bare: Path) -> None:
    original = '[tool]\ndecide = { base = "origin/main" }\n'
    (bare / "pyproject.toml").write_text(original, encoding="utf-8")
    result = init(bare, "--dir", "docs/decisions")
    assert result.exit_code == 0
    assert 'by hand    pyproject.toml           add decisions = "docs/decisions" under [tool.decide]' in result.stdout
    assert (bare / "pyproject.toml").read_text(encoding="utf-8") == original


def test_without_pyproject_the_folder_goes_to_a_new_decide_toml(bare: Path) -> None:
    result = init(bare, "--dir", "docs/decisions")
    assert 'created    decide.toml              decisions = "docs/decisions"' in result.stdout
    assert tomllib.loads((bare / "decide.toml").read_text(encoding="utf-8")) == {"decisions": "docs/decisions"}
    assert load_config(bare).source == "decide.toml"


def test_a_folder_other_than_the_configured_one_is_refused(bare: Path) -> None:
    (bare / "decide.toml").write_text('decisions = "adr"\n', encoding="utf-8")
    before = snapshot(bare)
    result = init(bare, "--dir", "docs/decisions")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: decide.toml already sets decisions = 'adr'; decide init never changes a setting: "
        "change it there to move the log, or run 'decide init' without --dir\n"
    )
    assert snapshot(bare) == before and not (bare / "docs").exists()


@pytest.mark.parametrize("folder", ["../outside", "/abs/decisions", ".", " "])
def test_a_folder_outside_the_repository_is_a_usage_error(bare: Path, folder: str) -> None:
    result = init(bare, "--dir", folder)
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --dir {folder}: name a folder inside the repository, such as docs/decisions\n",
    )


def test_an_existing_log_gets_no_keeper(bare: Path) -> None:
    (bare / "decisions").mkdir()
    (bare / "decisions" / "D-1AAAAA-x.md").write_text("x", encoding="utf-8")
    assert init(bare).stdout.startswith("unchanged  decisions/  the log folder is there\ncreated    .gitignore")
    assert not (bare / "decisions" / ".gitkeep").exists()


def test_an_ignored_site_and_an_existing_mkdocs_yml_are_left_alone(bare: Path) -> None:
    (bare / ".gitignore").write_text("*.pyc\nsite/\n", encoding="utf-8")
    (bare / "mkdocs.yml").write_text("site_name: Billing docs\n", encoding="utf-8")
    result = init(bare)
    assert "unchanged  .gitignore          ignores the built site" in result.stdout
    assert (bare / ".gitignore").read_text(encoding="utf-8") == "*.pyc\nsite/\n"
    assert (bare / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Billing docs\n"


def test_a_gitignore_without_the_site_keeps_its_lines(bare: Path) -> None:
    (bare / ".gitignore").write_text("*.pyc", encoding="utf-8")  # no final line break
    init(bare)
    assert (bare / ".gitignore").read_text(encoding="utf-8") == (
        "*.pyc\n\n# The site decide build writes (built in CI, never committed)\n/site/\n"
    )


def test_the_empty_log_folder_survives_a_clone_and_validates(bare: Path, tmp_path: Path) -> None:
    init(bare, "--dir", "docs/decisions")
    git(bare, "add", "-A")
    git(bare, "commit", "-q", "-m", "set up decide")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    assert (clone / "docs" / "decisions").is_dir()
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=clone, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "0 memo(s) valid\n")


def workflow(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def scripts(jobs: dict[str, Any]) -> list[list[str]]:
    """Every command a workflow's jobs run, as words: GitHub's run: steps, GitLab's script: lines."""
    found = []
    for job in jobs.values():
        if not isinstance(job, dict):
            continue
        lines = [s["run"] for s in job.get("steps", []) if "run" in s] + list(job.get("script", []))
        found += [words for text in lines for words in run_lines(text)]
    return found


def check_commands(commands: list[list[str]]) -> None:
    """Each decide command parses with the real command line; each pip install installs the source decide runs from."""
    called = [words for words in commands if words[0] == "decide"]
    assert {words[1] for words in called} >= {"check", "build"}
    for words in called:
        parse_decide(words)
    installs = [words[4:] for words in commands if words[:4] == ["python", "-m", "pip", "install"]]
    assert installs and all(args == [installed_source().requirement] for args in installs), installs


def test_a_repository_with_github_gets_the_workflow_gate_and_site(bare: Path) -> None:
    (bare / ".github").mkdir()
    result = init(bare)
    assert "created    .github/workflows/decide.yml  pull-request gate and site" in result.stdout
    assert result.stderr.startswith("Warning: decide was installed from a folder on this machine (file://")
    data = workflow(bare / ".github" / "workflows" / "decide.yml")
    assert "pull_request" in data["on"]
    check_commands(scripts(data["jobs"]))
    checkout = [
        s for j in data["jobs"].values() for s in j["steps"] if s.get("uses", "").startswith("actions/checkout")
    ]
    assert checkout and all(s["with"]["fetch-depth"] == 0 for s in checkout)


@pytest.mark.parametrize(
    ("remote", "expected"),
    [("git@github.com:acme/billing.git", "github"), ("https://gitlab.example.com/acme/billing.git", "gitlab")],
)
def test_the_ci_is_detected_from_the_remote(bare: Path, remote: str, expected: str) -> None:
    git(bare, "remote", "add", "origin", remote)
    init(bare)
    assert (bare / ".github" / "workflows" / "decide.yml").exists() == (expected == "github")
    assert (bare / ".gitlab-ci.yml").exists() == (expected == "gitlab")


def test_gitlab_gets_a_pipeline_with_the_gate_and_pages(bare: Path) -> None:
    assert "created    .gitlab-ci.yml" in init(bare, "--ci", "gitlab").stdout
    data = yaml.safe_load((bare / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    check_commands(scripts(data))
    assert "public" in data["pages"]["artifacts"]["paths"]


def test_an_existing_gitlab_pipeline_includes_decide_and_keeps_its_text(bare: Path) -> None:
    original = "# our pipeline\nstages: [test]\n\ntests:\n  stage: test\n  script:\n    - make test\n"
    (bare / ".gitlab-ci.yml").write_text(original, encoding="utf-8")
    result = init(bare)
    assert "created    .gitlab/decide.gitlab-ci.yml" in result.stdout
    assert f"added      {'.gitlab-ci.yml':<28}  include: .gitlab/decide.gitlab-ci.yml" in result.stdout
    text = (bare / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert text.startswith(original)
    assert yaml.safe_load(text)["include"] == [{"local": ".gitlab/decide.gitlab-ci.yml"}]
    check_commands(scripts(yaml.safe_load((bare / ".gitlab" / "decide.gitlab-ci.yml").read_text(encoding="utf-8"))))


def test_a_gitlab_pipeline_with_its_own_include_list_is_told_what_to_add(bare: Path) -> None:
    original = "include:\n  - template: Security/SAST.gitlab-ci.yml\n"
    (bare / ".gitlab-ci.yml").write_text(original, encoding="utf-8")
    result = init(bare)
    wanted = "add '- local: .gitlab/decide.gitlab-ci.yml' to its include: list"
    assert f"by hand    {'.gitlab-ci.yml':<28}  {wanted}" in result.stdout
    assert (bare / ".gitlab-ci.yml").read_text(encoding="utf-8") == original


def test_an_existing_workflow_is_never_overwritten(bare: Path) -> None:
    (bare / ".github" / "workflows").mkdir(parents=True)
    (bare / ".github" / "workflows" / "decide.yml").write_text("name: ours\n", encoding="utf-8")
    result = init(bare)
    assert "unchanged  .github/workflows/decide.yml  exists; left as it is" in result.stdout
    assert (bare / ".github" / "workflows" / "decide.yml").read_text(encoding="utf-8") == "name: ours\n"
    assert result.stderr == ""  # nothing installs decide from what it wrote, so no warning about the source


def test_ci_none_writes_no_workflow(bare: Path) -> None:
    (bare / ".github").mkdir()
    init(bare, "--ci", "none")
    assert not (bare / ".github" / "workflows").exists()
