"""Shell completion: real bash completes memo IDs from any subfolder; zsh and fish get their scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import init_repo, memo_text

from decide.cli import commands

BIN = Path(sys.executable).parent
A, B, C = "D-1AAAAA", "D-1BBBBB", "D-2CCCCC"
TAKES_AN_ID = ("show", "accept", "reject", "retire", "review", "supersede")


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A repository with its log in docs/decisions (configured), and three memos."""
    repo = init_repo(tmp_path / "repo")
    repo.write("pyproject.toml", '[tool.decide]\ndecisions = "docs/decisions"\n')
    for memo_id, slug in ((A, "adopt-postgres"), (B, "pick-a-queue"), (C, "freeze-pricing")):
        repo.write(f"docs/decisions/{memo_id}-{slug}.md", memo_text(memo_id))
    repo.write("docs/decisions/notes.md", "not a memo\n")
    (repo.root / "src" / "app").mkdir(parents=True)
    return repo.root


def bash_complete(cwd: Path, line: str) -> list[str]:
    """What bash offers after ``line`` with decide's completion script sourced, as pressing Tab would ask."""
    script = (
        'eval "$(_DECIDE_COMPLETE=bash_source decide)"\n'
        "complete -p decide >/dev/null || exit 9\n"
        f"COMP_WORDS=({line}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
        '[[ "$COMP_LINE" == *" " ]] && COMP_CWORD=${#COMP_WORDS[@]}\n'
        "_decide_completion decide\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COMP_LINE": line}
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return [word for word in done.stdout.splitlines() if word]


@pytest.mark.parametrize("command", TAKES_AN_ID)
def test_bash_completes_memo_ids_for_every_command_that_takes_one(log: Path, command: str) -> None:
    assert bash_complete(log / "src" / "app", f"decide {command} D-1") == [A, B]


def test_bash_completes_an_id_typed_in_lower_case_and_from_the_log_folder_itself(log: Path) -> None:
    assert bash_complete(log / "docs" / "decisions", "decide show d-2") == [C]
    assert bash_complete(log, "decide show D-") == [A, B, C]


def test_bash_completes_commands_and_options(log: Path) -> None:
    assert bash_complete(log, "decide va") == ["validate"]
    assert "init" in bash_complete(log, "decide i")
    assert bash_complete(log, "decide init --c") == ["--ci"]


def test_completion_outside_a_repository_offers_nothing_and_fails_nothing(tmp_path: Path) -> None:
    assert bash_complete(tmp_path, "decide show D-") == []


def test_the_commands_that_take_an_id_are_the_ones_completed() -> None:
    completed = {
        name
        for name, command in commands().items()
        if any(getattr(p, "_custom_shell_complete", None) for p in command.params)
    }
    assert completed == set(TAKES_AN_ID)


@pytest.mark.parametrize(
    ("shell", "needle"), [("zsh", "#compdef decide"), ("fish", "complete --no-files --command decide")]
)
def test_zsh_and_fish_get_their_scripts(shell: str, needle: str) -> None:
    env = {**os.environ, "_DECIDE_COMPLETE": f"{shell}_source"}
    done = subprocess.run([str(BIN / "decide")], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and needle in done.stdout and f"_DECIDE_COMPLETE={shell}_complete" in done.stdout


def test_zsh_gets_each_id_with_its_title_words(log: Path) -> None:
    env = {**os.environ, "_DECIDE_COMPLETE": "zsh_complete", "COMP_WORDS": "decide show D-2", "COMP_CWORD": "2"}
    done = subprocess.run([str(BIN / "decide")], cwd=log, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == ["plain", C, "freeze pricing"]
