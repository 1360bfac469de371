"""A newcomer's first mistakes each get a message that says what to do next; decide new says what it left empty."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo

from decide.suggest import date_advice

Invoke = Callable[..., Result]
ESCALATION = "no escalation (--escalate-when TRIGGER --escalate-to WHO)"


def test_new_without_a_terminal_lists_what_accept_will_need(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", "Pick a queue", "--no-edit")
    path = result.stdout.strip()
    assert (result.exit_code, result.stderr) == (
        0,
        f"Note: {path} has no inputs (--input WHO), {ESCALATION}: fill them in before 'decide accept'\n",
    )
    assert "inputs: []\n# escalation:\n" in (repo.root / path).read_text(encoding="utf-8")


def test_new_names_a_tbd_dri_among_what_is_missing(repo: GitRepo, invoke: Invoke, tmp_path: Path) -> None:
    repo.git("config", "--unset", "user.name")
    repo.git("config", "--unset", "user.email")
    env = {"HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = invoke("new", "Pick a queue", "--input", "Platform team", env=env)
    assert result.stderr == (
        f"Note: {result.stdout.strip()} has DRI TBD (--dri NAME), {ESCALATION}: fill them in before 'decide accept'\n"
    )


def test_new_with_everything_accept_needs_says_nothing_more(invoke: Invoke) -> None:
    args = ["--input", "Platform team", "--escalate-when", "cost exceeds $5k", "--escalate-to", "CTO", "--no-edit"]
    assert invoke("new", "Pick a queue", *args).stderr == ""
    assert invoke("new", "Pick a bus", "--status", "decided", *args).stderr == ""


def test_new_without_a_title_and_no_terminal_says_how_to_pass_one(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", input="")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: decide new needs a TITLE, and stdin is not a terminal, so it cannot ask for one; pass it: "
        'decide new "Adopt Postgres for billing" --dri "Ana Ruiz <ana@example.com>"\n'
    )
    assert list(repo.decisions.iterdir()) == []


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        (
            "12/05/2026",
            "write YYYY-MM-DD: 2026-05-12 if it means 12 May 2026, or 2026-12-05 if it means 5 December 2026",
        ),
        ("13/05/2026", "write YYYY-MM-DD: 2026-05-13"),
        ("05/13/2026", "write YYYY-MM-DD: 2026-05-13"),
        ("31.12.2026", "write YYYY-MM-DD: 2026-12-31"),
        ("2026/3/7", "write YYYY-MM-DD: 2026-03-07"),
        ("07/07/2026", "write YYYY-MM-DD: 2026-07-07"),
        ("2026-02-30", "write YYYY-MM-DD (e.g. 2026-02-28)"),
        ("31/02/2026", "write YYYY-MM-DD (e.g. 2026-02-28)"),
        ("next June", "write YYYY-MM-DD (e.g. 2026-02-28)"),
    ],
)
def test_a_date_written_another_way_gets_its_readings(value: str, advice: str) -> None:
    assert date_advice(value) == advice


def test_an_option_date_like_12_05_2026_suggests_both_readings(invoke: Invoke) -> None:
    result = invoke("new", "Pick a queue", "--review-by", "12/05/2026", "--no-edit")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--review-by': '12/05/2026' is not a date; write YYYY-MM-DD: 2026-05-12 if it "
        "means 12 May 2026, or 2026-12-05 if it means 5 December 2026\n"
    )


def test_a_memo_date_like_12_05_2026_suggests_both_readings(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo("D-1AAAAA", review_by="12/05/2026")
    result = invoke("validate")
    assert result.stdout == (
        f'decisions/{path.name}:13: review_by: "12/05/2026" is not a real date; write YYYY-MM-DD: 2026-05-12 if it '
        "means 12 May 2026, or 2026-12-05 if it means 5 December 2026\n"
    )


def test_a_misspelt_field_is_hinted(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo("D-1AAAAA", escalaton={"trigger": "cost exceeds $5k", "to": "CTO"}, escalation=None)
    lines = invoke("validate").stdout.splitlines()
    assert f'decisions/{path.name}:10: escalaton: unknown field; did you mean "escalation"?' in lines


def test_a_misspelt_command_is_hinted(invoke: Invoke) -> None:
    result = invoke("vaildate")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: no command 'vaildate'; did you mean \"validate\"?\n")
    assert invoke("frobnicate").stderr.endswith("Error: no command 'frobnicate'; 'decide --help' lists them\n")


def test_list_and_build_on_an_empty_log_say_how_to_start(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("list")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        'decisions/ holds no memo yet; write the first with: decide new "TITLE"\n',
    )


@pytest.mark.slow
def test_build_on_an_empty_log_says_how_to_start(repo: GitRepo) -> None:
    repo.write("docs/about.md", "# About\n")
    repo.write("mkdocs.yml", "site_name: Log\ntheme: material\nplugins: [decide]\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "decide", "build"], cwd=repo.root, capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    assert (
        'Note: decisions/ holds no memo yet; write the first with: decide new "TITLE"; the site shows an empty '
        "log until then\n"
    ) in done.stderr


def test_the_top_help_says_where_to_start(invoke: Invoke) -> None:
    assert "Start in a repository with 'decide init', then 'decide new \"TITLE\"'." in " ".join(
        invoke("--help").stdout.split()
    )
