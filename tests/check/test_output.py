"""What decide check prints in a workflow: only the commands it means, and a job summary that holds every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GitRepo, memo_text

from decide.cli import main

A = "D-1AAAAA"
OURS = ("::error file=", "::error title=decide::", "::notice title=decide::")
HOSTILE = "x\n::stop-commands::hush\n##[add-mask]secret\n  ::warning::fake\n\n# Heading\n- item"


def cli(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, ["--root", str(repo.root), *args], env=env, catch_exceptions=False)
    print(result.stdout, result.stderr)
    return result


def assert_only_our_commands(text: str) -> None:
    for line in text.splitlines():
        if line.lstrip().startswith("::"):
            assert line.startswith(OURS), line
        else:
            assert "##[" not in line, line


@pytest.fixture
def hostile(repo: GitRepo) -> GitRepo:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.branch("feature")
    repo.write(f"decisions/{A}-adopt.md", memo_text(HOSTILE, title=HOSTILE, dri=HOSTILE))
    return repo


def test_no_value_of_a_memo_becomes_a_workflow_command(hostile: GitRepo, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = cli(hostile, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert_only_our_commands(result.stdout)
    assert_only_our_commands(result.stderr)
    assert result.stdout.splitlines()[0] == (
        f"changed  x\\n::stop-commands::hush\\n##\\[add-mask]secret\\n  ::warning::fake\\n\\n# Heading\\n- item "
        f"decisions/{A}-adopt.md (decided)"
    )


def test_the_summary_escapes_every_value_and_keeps_one_item_per_problem(hostile: GitRepo, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = cli(hostile, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    problems = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    lines = summary.read_text(encoding="utf-8").splitlines()
    items = lines[lines.index("#### Problems") + 2 : -1]
    assert len(items) == len(problems) and all(item.startswith("- `decisions/") for item in items)
    assert [line for line in lines if line.startswith("#")] == ["### decide check: refused", "#### Problems"]
    assert "\\\\n\\\\n\\# Heading\\\\n\\- item" in summary.read_text(encoding="utf-8")


def test_a_failure_to_run_is_one_line_on_stderr_too(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    result = cli(repo, "check", "--format", "github", "--base", "no-such\n::stop-commands::x")
    assert result.exit_code in (2, 3)
    assert_only_our_commands(result.stdout)
    assert_only_our_commands(result.stderr)


def test_the_summary_holds_every_problem_past_the_ten_github_shows(repo: GitRepo, tmp_path: Path) -> None:
    repo.commit("base")
    repo.branch("feature")
    for number in range(12):
        memo_id = f"D-{number + 10:02d}AAAA"
        repo.write(f"decisions/{memo_id}-x.md", memo_text(memo_id, dri="Growth team"))
    summary = tmp_path / "summary.md"
    cli(repo, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert "GitHub shows 10 annotations of a step; all 12 are here." in text
    assert text.count("is a group") == 12


def test_format_gitlab_is_a_code_quality_report(hostile: GitRepo) -> None:
    import json

    result = cli(hostile, "check", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert issues and {tuple(sorted(issue)) for issue in issues} == {
        ("check_name", "description", "fingerprint", "location", "severity")
    }
    first = issues[0]
    assert first["severity"] == "major" and first["location"]["path"] == f"decisions/{A}-adopt.md"
    assert first["location"]["lines"]["begin"] >= 1 and len(first["fingerprint"]) == 64
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert json.loads(cli(hostile, "check", "--format", "gitlab").stdout) == issues  # stable across runs


def test_format_junit_is_well_formed_xml_whatever_the_values_hold(hostile: GitRepo, repo: GitRepo) -> None:
    import xml.etree.ElementTree as ET

    hostile.write(f"decisions/{A}-adopt.md", memo_text(A, title="a\x01b\x1b]0;x\x07 <&> \ufffe", dri="Growth team"))
    result = cli(hostile, "check", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode())
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "decide check against main"
    (case,) = suite.findall("testcase")
    assert case.get("name") == f"decisions/{A}-adopt.md"
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == "3 problems"  # title, dri (a group), and dri changed
    assert root.get("failures") == "1"


def test_format_junit_passes_with_one_case_when_nothing_changed(repo: GitRepo) -> None:
    import xml.etree.ElementTree as ET

    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    root = ET.fromstring(cli(repo, "check", "--format", "junit", "--base", "HEAD").stdout.encode())
    assert [(c.get("name"), c.find("failure")) for c in root.iter("testcase")] == [("decide check", None)]
