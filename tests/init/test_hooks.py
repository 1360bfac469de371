"""decide init adds decide's hooks to a team's .pre-commit-config.yaml as text, and real pre-commit runs them."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import git, memo_text
from test_setup import bare_repo, init

from decide.init.edits import has_hooks, with_hooks
from decide.init.setup import hook_block
from decide.init.source import Source, source_from

LOCAL = Source("decide-log==0.1.0")
REMOTE = Source("decide-log @ git+https://example.com/decide@" + "a" * 40, "https://example.com/decide", "a" * 40)

# Shapes pre-commit configs have in real repositories: indented and flush items, comments, keys after repos.
CONFIGS = {
    "indented": (
        "# See https://pre-commit.com\n"
        "default_stages: [pre-commit]\n"
        "repos:\n"
        "  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
        "    rev: v4.6.0  # pinned\n"
        "    hooks:\n"
        "      - id: trailing-whitespace\n"
        "\n"
        "  # formatting\n"
        "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: v0.6.9\n"
        "    hooks:\n"
        "      - id: ruff\n"
        "# keep the ci block last\n"
        "ci:\n"
        "  autofix_prs: false\n"
    ),
    "flush": (
        "repos:\n"
        "- repo: https://github.com/psf/black\n"
        "  rev: 24.8.0\n"
        "  hooks:\n"
        "  - id: black\n"
        "default_language_version:\n"
        "  python: python3.12\n"
    ),
    "crlf, no final line break": "repos:\r\n  - repo: local\r\n    hooks:\r\n      - id: x\r\n        name: x\r\n        entry: 'true'\r\n        language: system",
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("source", [LOCAL, REMOTE], ids=["local", "remote"])
def test_the_hooks_are_the_last_repo_and_every_other_line_stays(name: str, source: Source) -> None:
    text = CONFIGS[name]
    block = hook_block("docs/decisions", source)
    new = with_hooks(text, block)
    assert new is not None
    before, after = yaml.safe_load(text), yaml.safe_load(new)
    assert after == {**before, "repos": [*before["repos"], *yaml.safe_load(block)]}
    kinds = {op for op, *_ in difflib.SequenceMatcher(None, text.splitlines(), new.splitlines()).get_opcodes()}
    assert kinds == {"equal", "insert"}  # every line of the team's file is kept, in order
    if "\r\n" in text:
        assert new.count("\r\n") == new.count("\n")
    assert has_hooks(new, ("decide-validate",)) and not has_hooks(text, ("decide-validate",))


def test_the_remote_hooks_pin_the_installed_commit_and_match_the_configured_folder() -> None:
    (repo,) = yaml.safe_load(hook_block("docs/decisions", REMOTE))
    assert (repo["repo"], repo["rev"]) == ("https://example.com/decide", "a" * 40)
    validate = next(h for h in repo["hooks"] if h["id"] == "decide-validate")
    assert validate["files"] == r"^docs/decisions/[^/]*\.md$"
    assert [h["id"] for h in repo["hooks"]] == ["decide-validate", "decide-check"]


@pytest.mark.parametrize("text", ["repos: []\n", "{repos: [{repo: local, hooks: []}]}\n", "fail_fast: true\n"])
def test_a_config_it_cannot_extend_as_text_is_left_to_a_human(text: str) -> None:
    assert with_hooks(text, hook_block("decisions", LOCAL)) is None


def test_real_pre_commit_runs_the_hooks_init_added(tmp_path: Path) -> None:
    root = bare_repo(tmp_path / "billing")
    (root / ".pre-commit-config.yaml").write_text(CONFIGS["crlf, no final line break"], encoding="utf-8")
    result = init(root, "--dir", "docs/decisions")
    assert "decide-validate and decide-check (the decide on PATH)" in result.stdout
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args], cwd=root, env=env, capture_output=True, text=True, check=False
        )

    assert pre_commit("validate-config", ".pre-commit-config.yaml").returncode == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "set up decide")  # decide check compares with main, so main has a commit
    git(root, "checkout", "-q", "-b", "first-decision")
    memo = root / "docs" / "decisions" / "D-1AAAAA-adopt-postgres-for-billing.md"
    memo.write_text(memo_text("D-1AAAAA", dri="Sales team"), encoding="utf-8")
    git(root, "add", "-A")
    refused = pre_commit("run")
    assert refused.returncode == 1
    assert 'docs/decisions/D-1AAAAA-adopt-postgres-for-billing.md:7: dri: "Sales team" is a group' in refused.stdout
    memo.write_text(memo_text("D-1AAAAA"), encoding="utf-8")
    git(root, "add", "-A")
    passed = pre_commit("run")
    assert passed.returncode == 0, passed.stdout
    assert "decide validate" in passed.stdout and "decide check" in passed.stdout


# What pip writes (PEP 610) for each way of installing decide.
@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, Source("decide-log==0.1.0")),
        (
            {"url": "https://github.com/acme/decide", "vcs_info": {"vcs": "git", "commit_id": "c" * 40}},
            Source(
                f"decide-log @ git+https://github.com/acme/decide@{'c' * 40}",
                "https://github.com/acme/decide",
                "c" * 40,
            ),
        ),
        (
            {"url": "https://example.com/decide.tar.gz", "archive_info": {"hashes": {"sha256": "0"}}},
            Source("decide-log @ https://example.com/decide.tar.gz"),
        ),
        (
            {
                "url": "https://g.example/mono",
                "subdirectory": "tools/decide",
                "vcs_info": {"vcs": "git", "commit_id": "d" * 40},
            },
            Source(f"decide-log @ git+https://g.example/mono@{'d' * 40}#subdirectory=tools/decide"),
        ),
    ],
)
def test_the_source_is_what_pip_recorded(direct_url: dict[str, object] | None, expected: Source) -> None:
    assert source_from(json.dumps(direct_url) if direct_url else None, "0.1.0") == expected


def test_a_folder_install_warns_that_ci_cannot_reach_it() -> None:
    found = source_from('{"url": "file:///home/ana/decide", "dir_info": {"editable": true}}', "0.1.0")
    assert found.requirement == "decide-log==0.1.0" and not found.hook_repo
    assert found.warning == (
        "decide was installed from a folder on this machine (file:///home/ana/decide), which CI cannot reach, so CI "
        'installs decide-log==0.1.0 from PyPI; if it is not published there, change the install line to "decide-log '
        '@ git+URL@COMMIT" (the repository you got decide from)'
    )


@pytest.mark.slow
def test_decide_installed_from_git_pins_hooks_and_ci_to_a_commit_that_exists(tmp_path: Path) -> None:
    """pip installs this checkout from a real git repository; decide init, run from that install, names its commit."""
    checkout = Path(__file__).resolve().parents[2]
    upstream = tmp_path / "decide.git"
    git(tmp_path, "clone", "-q", "--bare", str(checkout), str(upstream))
    target = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            f"git+{upstream.as_uri()}",
        ],
        check=True,
        capture_output=True,
    )
    root = bare_repo(tmp_path / "billing")
    (root / ".github").mkdir()
    (root / ".pre-commit-config.yaml").write_text(CONFIGS["flush"], encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "decide", "init"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ours = config["repos"][-1]
    assert ours["repo"] == upstream.as_uri()
    assert git(upstream, "cat-file", "-t", ours["rev"]).strip() == "commit"
    assert git(upstream, "cat-file", "-e", f"{ours['rev']}:.pre-commit-hooks.yaml") == ""
    workflow = (root / ".github" / "workflows" / "decide.yml").read_text(encoding="utf-8")
    assert f'python -m pip install "decide-log @ git+{upstream.as_uri()}@{ours["rev"]}"' in workflow
    assert "which CI cannot reach" in done.stderr  # a file:// repository: said, not hidden
