"""The scheduled due workflow (decide/data/ci/due.yml): linted, minimal, and its issue upsert run against a stand-in gh."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import GitRepo

from decide.cli import commands, main

A, B, C = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT"
BIN = Path(sys.executable).parent
FAKE_GH = Path(__file__).with_name("fake_gh.py")
OLD = {"date": "2020-01-01", "decided_on": "2020-01-02", "review_by": "2020-06-01"}


def workflow_text() -> str:
    return files("decide").joinpath("data/ci/due.yml").read_text(encoding="utf-8")


def workflow() -> dict[str, Any]:
    data = yaml.safe_load(workflow_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps() -> list[dict[str, Any]]:
    return workflow()["jobs"]["digests"]["steps"]


def step(name: str) -> dict[str, Any]:
    return next(s for s in steps() if s.get("name") == name)


def test_it_runs_on_a_schedule_and_by_hand_with_minimal_permissions() -> None:
    flow = workflow()
    assert set(flow["on"]) == {"schedule", "workflow_dispatch"}
    assert flow["permissions"] == {}
    assert flow["jobs"]["digests"]["permissions"] == {"contents": "read", "issues": "write"}
    assert flow["concurrency"]["cancel-in-progress"] is False


def test_every_action_is_pinned_to_a_full_commit_with_its_version_named() -> None:
    uses = re.findall(r"uses: (\S+)@(\S+) +# (v[\d.]+)", workflow_text())
    assert [(action, len(sha), version) for action, sha, version in uses] == [
        ("actions/checkout", 40, "v6.0.1"),
        ("actions/setup-python", 40, "v6.1.0"),
    ]
    assert workflow_text().count("uses:") == 2
    assert steps()[0]["with"]["persist-credentials"] is False


def test_no_expression_is_expanded_inside_a_script() -> None:
    assert [s["name"] for s in steps() if "run" in s and "${{" in s["run"]] == []


def test_zizmor_finds_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", _copy(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_actionlint_finds_nothing_with_shellcheck_reading_the_scripts(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    assert shutil.which("shellcheck", path=env["PATH"]) is not None
    done = subprocess.run([BIN / "actionlint", _copy(tmp_path)], capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stdout) == (0, "")


def _copy(base: Path) -> str:
    """The packaged file, as a path the linters can read (a wheel's data may not be a plain file)."""
    target = base / ".github" / "workflows" / "due.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(workflow_text(), encoding="utf-8")
    return str(target)


def test_each_decide_command_in_it_is_real_with_real_options() -> None:
    script = step("Write one digest per DRI")["run"]
    called = [shlex.split(line) for line in script.splitlines() if line.strip().startswith("decide ")]
    assert [words[:3] for words in called] == [
        ["decide", "org", "fetch"],
        ["decide", "org", "due"],
        ["decide", "due", "--by-dri"],
    ]
    known = commands()
    for words in called:
        command, args = known[words[1]], words[2:]
        if words[1] == "org":
            command, args = command.commands[args[0]], args[1:]  # type: ignore[attr-defined]
        command.make_context(" ".join(words[:2]), [a for a in args if a != "||"][: _end(args)])


def _end(args: list[str]) -> int:
    return args.index("||") if "||" in args else len(args)


# The issue upsert: the workflow's own script, run with bash against a stand-in for gh.


class Remote:
    """The stand-in GitHub: the issues the fake gh keeps, and the calls it got."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.bin = base / "bin"
        self.bin.mkdir(parents=True)
        gh = self.bin / "gh"
        gh.write_text(f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(FAKE_GH)!r}, run_name='__main__')\n")
        gh.chmod(0o755)
        self.state, self.log = base / "gh-state.json", base / "gh-calls.jsonl"

    def issues(self) -> list[dict[str, Any]]:
        return json.loads(self.state.read_text(encoding="utf-8"))["issues"]

    def calls(self) -> list[list[str]]:
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        self.log.unlink(missing_ok=True)
        return [json.loads(line) for line in lines]

    def post(self, digests: Path) -> subprocess.CompletedProcess[str]:
        """Run the workflow's upsert step as the runner does (bash -eo pipefail), with its env filled in."""
        posting = step("Create or update one issue per DRI")
        values = {"github.token": "fake-token", "github.repository": "acme/decisions", "runner.temp": str(self.base)}
        env = {k: re.sub(r"\$\{\{ (\S+) \}\}", lambda m: values[m.group(1)], str(v)) for k, v in posting["env"].items()}
        env["DIGESTS"] = str(digests)
        run_env = {
            **os.environ,
            **env,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(self.base),
        }
        run_env |= {"FAKE_GH_STATE": str(self.state), "FAKE_GH_LOG": str(self.log)}
        script = self.base / "post.sh"
        script.write_text(posting["run"], encoding="utf-8")
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
        )


ROSTER = "- name: Ana Ruiz\n  handle: ana\n- name: Bo Sand\n  handle: bo-sand\n"


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    return Remote(tmp_path / "github")


def digests_of(repo: GitRepo, out: Path) -> Path:
    result = CliRunner().invoke(
        main, ["--root", str(repo.root), "due", "--by-dri", "--format", "markdown", "--output-dir", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    return out


def issue_calls(remote: Remote, *verbs: str) -> list[list[str]]:
    return [c for c in remote.calls() if c[0] == "issue" and c[1] in verbs]


def titles(remote: Remote) -> list[tuple[int, str, str]]:
    return [(i["number"], i["state"], i["title"]) for i in remote.issues()]


def test_the_first_run_creates_one_issue_per_dri(repo: GitRepo, remote: Remote, tmp_path: Path) -> None:
    repo.write("decisions/people.yml", ROSTER)
    repo.add_memo(A, dri="Ana Ruiz", **OLD)
    repo.add_memo(B, title="Hire", dri="Bo Sand", **OLD)
    done = remote.post(digests_of(repo, tmp_path / "digests"))
    assert done.returncode == 0, done.stderr
    assert [c[:3] for c in remote.calls()] == [
        ["label", "create", "decide-due"],
        ["issue", "list", "--label"],
        ["issue", "create", "--title"],
        ["issue", "create", "--title"],
    ]
    assert titles(remote) == [
        (1, "OPEN", "Decisions needing attention: @ana"),
        (2, "OPEN", "Decisions needing attention: @bo-sand"),
    ]
    assert remote.issues()[0]["body"].startswith("@ana: **Ana Ruiz** (@\u2060ana), 1 item needs your attention")


def test_later_runs_update_in_place_and_never_duplicate(repo: GitRepo, remote: Remote, tmp_path: Path) -> None:
    repo.write("decisions/people.yml", ROSTER)
    repo.add_memo(A, dri="Ana Ruiz", **OLD)
    repo.add_memo(B, title="Hire", dri="Bo Sand", **OLD)
    out = tmp_path / "digests"
    remote.post(digests_of(repo, out))
    remote.calls()
    assert remote.post(digests_of(repo, out)).returncode == 0  # nothing changed: nothing written, nobody pinged
    assert [c[:2] for c in remote.calls()] == [
        ["label", "create"],
        ["issue", "list"],
        ["issue", "view"],
        ["issue", "view"],
    ]
    repo.add_memo(C, title="Keep the monolith", dri="Ana Ruiz", **OLD)
    assert remote.post(digests_of(repo, out)).returncode == 0
    assert issue_calls(remote, "create", "edit", "comment") == [
        ["issue", "edit", "1", "--body-file", str(out / "ana.md")],
        ["issue", "comment", "1", "--body", "@ana: what needs your attention has changed; the description lists it."],
    ]
    assert "2 items need your attention" in remote.issues()[0]["body"]
    assert len(remote.issues()) == 2


def test_an_issue_closes_when_nothing_is_due_and_reopens_when_something_is(
    repo: GitRepo, remote: Remote, tmp_path: Path
) -> None:
    repo.write("decisions/people.yml", ROSTER)
    repo.add_memo(A, dri="Ana Ruiz", **OLD)
    bo = repo.add_memo(B, title="Hire", dri="Bo Sand", **OLD)
    out = tmp_path / "digests"
    remote.post(digests_of(repo, out))
    bo.unlink()
    remote.calls()
    remote.post(digests_of(repo, out))
    assert [c[:3] for c in issue_calls(remote, "close")] == [["issue", "close", "2"]]
    assert titles(remote)[1] == (2, "CLOSED", "Decisions needing attention: @bo-sand")
    repo.add_memo(B, title="Hire", dri="Bo Sand", **OLD)
    remote.post(digests_of(repo, out))
    assert [c[:3] for c in issue_calls(remote, "create", "reopen", "comment")] == [
        ["issue", "reopen", "2"],
        ["issue", "comment", "2"],
    ]
    assert titles(remote) == [
        (1, "OPEN", "Decisions needing attention: @ana"),
        (2, "OPEN", "Decisions needing attention: @bo-sand"),
    ]


def test_a_second_issue_with_the_same_title_is_closed_and_the_oldest_kept(
    repo: GitRepo, remote: Remote, tmp_path: Path
) -> None:
    repo.write("decisions/people.yml", ROSTER)
    repo.add_memo(A, dri="Ana Ruiz", **OLD)
    out = digests_of(repo, tmp_path / "digests")
    remote.post(out)
    state = json.loads(remote.state.read_text(encoding="utf-8"))
    state["issues"].append({**state["issues"][0], "number": 7, "body": "made by hand"})
    remote.state.write_text(json.dumps(state), encoding="utf-8")
    remote.calls()
    assert remote.post(out).returncode == 0
    assert [c[:3] for c in issue_calls(remote, "edit", "close", "create")] == [["issue", "close", "7"]]


def test_a_dri_without_a_handle_gets_an_issue_that_mentions_nobody(
    repo: GitRepo, remote: Remote, tmp_path: Path
) -> None:
    repo.add_memo(A, dri="Cy Berg <cy@example.com>", **OLD)
    remote.post(digests_of(repo, tmp_path / "digests"))
    assert titles(remote) == [(1, "OPEN", "Decisions needing attention: cy@example.com")]
    assert remote.issues()[0]["body"].startswith("**Cy Berg** (cy@\u2060example.com), 1 item needs")


def test_the_script_stops_when_gh_fails(repo: GitRepo, remote: Remote, tmp_path: Path) -> None:
    repo.add_memo(A, **OLD)
    out = digests_of(repo, tmp_path / "digests")
    (out / "index.tsv").write_text("Decisions needing attention: x\tmissing.md\t\n", encoding="utf-8")
    done = remote.post(out)
    assert done.returncode != 0
    assert remote.issues() == []
