"""The command line: output, exit codes, and no tracebacks on bad input."""

from __future__ import annotations

import datetime
import json
import os
import re
import select
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo, init_repo, memo_text

from decide.cli import commands

Invoke = Callable[..., Result]
A, B, C, D = "D-AAAAAA", "D-BBBBBB", "D-CCCCCC", "D-DDDDDD"
ROOT = Path(__file__).resolve().parents[2]


def test_every_command_has_help_with_an_example(invoke: Invoke) -> None:
    for name, command in commands().items():
        assert command.help, name
        assert "Example" in command.help, name
        assert invoke(name, "--help").exit_code == 0


def test_validate_ok_exits_0(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    result = invoke("validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "1 memo(s) valid\n")


def test_validate_findings_exit_1_one_line_each(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo(A, dri="Sales team", tags="pricing")
    result = invoke("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'decisions/{path.name}:7: dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")',
        f'decisions/{path.name}:13: tags: must be a list, not the text "pricing"; write "[pricing]" or one "- pricing" line per item',
    ]
    assert result.stderr == "2 problem(s) in 1 of 1 file(s)\n"


def test_validate_json(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo(A, status="no")
    result = invoke("validate", "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "path": f"decisions/{path.name}",
            "line": 4,
            "field": "status",
            "message": 'the text "no" is not one of: proposed, decided, rejected, retired',
        }
    ]


def test_each_problem_is_one_line_of_text_whatever_the_values_hold(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo(A, status="no\nfoo.md:1: fake: injected", tags="a\tb\r\x1b\u2028")
    result = invoke("validate")
    assert result.stdout.splitlines() == [
        f'decisions/{path.name}:4: status: the text "no\\nfoo.md:1: fake: injected" is not one of: proposed, decided, rejected, retired',
        f'decisions/{path.name}:15: tags: must be a list, not the text "a\\tb\\r\\x1b\\u2028"; write "[a\\tb\\r\\x1b\\u2028]" or one "- a\\tb\\r\\x1b\\u2028" line per item',
    ]
    found = json.loads(invoke("validate", "--format", "json").stdout)
    assert found[0]["message"] == (
        'the text "no\nfoo.md:1: fake: injected" is not one of: proposed, decided, rejected, retired'
    )


def test_validate_named_paths(repo: GitRepo, invoke: Invoke) -> None:
    good = repo.add_memo(A)
    repo.add_memo(B, dri="")
    assert invoke("validate", str(good)).exit_code == 0


def test_validate_reads_a_file_named_twice_once(repo: GitRepo, invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo.add_memo(A)
    monkeypatch.chdir(repo.root)
    result = invoke("validate", str(path), f"decisions/{path.name}", f"./decisions/{path.name}", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "1 memo(s) valid\n")


def test_validate_a_folder_checks_the_memos_in_it(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    bad = repo.add_memo(B, title="Hire", status="no")
    (repo.decisions / "notes").mkdir()
    (repo.decisions / "folder.md").mkdir()
    result = invoke("validate", str(repo.decisions), str(repo.decisions / bad.name))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'decisions/{bad.name}:4: status: the text "no" is not one of: proposed, decided, rejected, retired',
        "decisions/folder.md:1: is a directory, not a memo; rename it so it does not end in .md",
    ]
    assert result.stderr == "2 problem(s) in 2 of 3 file(s)\n"


def test_this_repositorys_own_decisions_are_valid() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert done.stderr.endswith(" memo(s) valid\n")


def test_usage_errors_exit_2(invoke: Invoke) -> None:
    assert invoke("validate", "--format", "xml").exit_code == 2
    result = invoke("validate", "decisions/missing.md")
    assert (result.exit_code, result.stderr) == (2, "Error: decisions/missing.md: no such file\n")
    assert invoke("no-such-command").exit_code == 2


def test_no_decisions_directory_cannot_run(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    (repo.root / "decisions").rmdir()
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 3
    assert done.stderr == (
        f"Error: no decisions/ folder in {repo.root}; run 'decide init' to start the log, or set decisions "
        "under [tool.decide] in pyproject.toml (or in decide.toml) to the folder it is in\n"
    )
    assert "Traceback" not in done.stderr


def test_unreadable_schema_cannot_run(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("schema/decision.schema.json", "{")
    repo.add_memo(A)
    result = invoke("validate")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: schema/decision.schema.json:1: the schema is not valid JSON")


def test_unknown_config_key_cannot_run(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("pyproject.toml", "[tool.decide]\ndecision = 'adr'\n")
    result = invoke("validate")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Error: pyproject.toml [tool.decide]: unknown key 'decision'; did you mean \"decisions\"?"
    )


BAD_INPUTS: dict[str, bytes] = {
    "no-front-matter": b"# Title\n",
    "list": b"---\n- a\n---\n",
    "scalar": b"---\nhello\n---\n",
    "syntax": b"---\ntitle: [a\n---\n",
    "duplicate": b"---\nid: a\nid: b\n---\n",
    "tabs": b"---\nx:\n\ty: 1\n---\n",
    "types": b"---\ndri: [a, b]\ntags: pricing\n---\n",
    "yaml11": b"---\nstatus: no\ndate: 2026-1-2\n---\n",
    "python-tag": b"---\ntitle: !!python/object/apply:os.system [ls]\n---\n",
    "bomb": b"---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n",
    "empty": b"",
    "big": b"---\ntitle: x\n---\n" + b"x" * 5_000_000,
    "latin1": b"---\ntitle: caf\xe9\n---\n",
}
# Complete memos that only look unusual: they must be valid, not merely reported.
GOOD_INPUTS: dict[str, bytes] = {
    f"{C}-bom": b"\xef\xbb\xbf" + memo_text(C).encode(),
    f"{D}-crlf": memo_text(D).replace("\n", "\r\n").encode(),
}


def test_bad_inputs_each_get_a_line_and_no_traceback(repo: GitRepo) -> None:
    for name, raw in {**BAD_INPUTS, **GOOD_INPUTS}.items():
        repo.write(f"decisions/{name}.md", raw)
    (repo.decisions / "folder.md").mkdir()
    os.symlink(repo.root / "README", repo.decisions / "link.md")
    repo.write(f"decisions/{A}-one.md", memo_text(A))
    repo.write(f"decisions/{A}-two.md", memo_text(A))
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert all(re.match(r"^decisions/[^:]+\.md:[1-9][0-9]*: ", line) for line in done.stdout.splitlines()), done.stdout
    files = {line.split(":")[0] for line in done.stdout.splitlines()}
    expected = {f"decisions/{n}.md" for n in BAD_INPUTS} | {"decisions/folder.md", "decisions/link.md"}
    assert files == expected | {f"decisions/{A}-one.md", f"decisions/{A}-two.md"}
    good = [f"decisions/{name}.md" for name in GOOD_INPUTS]
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate", *good], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "2 memo(s) valid\n")


def test_a_pipe_named_like_a_memo_is_refused_without_being_opened(repo: GitRepo) -> None:
    repo.add_memo(A, status="proposed", decided_on=None)
    os.mkfifo(repo.decisions / f"{B}-fifo.md")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "decide", *args]
        return subprocess.run(command, cwd=repo.root, capture_output=True, text=True, check=False, timeout=60)

    done = run("validate")
    assert (done.returncode, done.stdout) == (
        1,
        f"decisions/{B}-fifo.md:1: is not a regular file (a pipe, socket or device); a memo must be a plain file\n",
    )
    assert run("accept", A).returncode == 0


def test_new_prints_the_path_last_and_writes_a_valid_memo(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", "Adopt Postgres", "--no-edit", "--tag", "db", "--review-by", "2027-01-01")
    assert result.exit_code == 0
    path = repo.root / result.stdout.splitlines()[-1]
    assert path.parent == repo.decisions
    text = path.read_text(encoding="utf-8")
    assert "dri: Ana Ruiz <ana@example.com>\n" in text
    assert "\nreview_by: 2027-01-01\n" in text
    assert invoke("validate").exit_code == 0


def test_new_opens_the_memo_today_unless_told_otherwise(repo: GitRepo, invoke: Invoke) -> None:
    before = datetime.date.today().isoformat()
    result = invoke("new", "Pick a CI vendor", "--no-edit")
    after = datetime.date.today().isoformat()
    text = (repo.root / result.stdout.strip()).read_text()
    assert f"\ndate: {before}\n" in text or f"\ndate: {after}\n" in text


def test_new_decided_with_every_field(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke(
        "new",
        "Freeze pricing",
        "--status",
        "decided",
        "--dri",
        "Bo Sand",
        "--input",
        "Finance",
        "--input",
        "Sales",
        "--escalate-when",
        "churn reaches 3%",
        "--escalate-to",
        "CEO",
        "--date",
        "2026-03-01",
        "--no-edit",
    )
    path = repo.root / result.stdout.strip()
    shown = json.loads(invoke("show", path.name[:8], "--format", "json").stdout)
    assert shown["escalation"] == {"trigger": "churn reaches 3%", "to": "CEO"}
    assert [i["who"] for i in shown["inputs"]] == ["Finance", "Sales"]
    assert (shown["status"], shown["decided_on"], shown["dri"]) == ("decided", "2026-03-01", "Bo Sand")


def test_new_refuses_an_invalid_memo_and_writes_nothing(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", "Freeze pricing", "--dri", "Sales team", "--no-edit")
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: the memo was not written:\n  dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")\n'
    )
    assert list(repo.decisions.iterdir()) == []


def test_new_shows_a_refused_value_on_one_line(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", "Freeze pricing", "--dri", "Ana\nBo", "--no-edit")
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: the memo was not written:\n  dri: "Ana\\nBo" contains a line break, tab or other control character; '
        "name one person on one line\n",
    )


def test_new_supersedes_a_memo(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    result = invoke("new", "Move billing to managed Postgres", "--supersedes", A.lower(), "--no-edit")
    assert result.exit_code == 0
    assert f"\nsupersedes:\n  - {A}\n" in (repo.root / result.stdout.splitlines()[-1]).read_text()
    assert invoke("validate").exit_code == 0
    assert json.loads(invoke("show", A, "--format", "json").stdout)["status"] == "superseded"


def test_new_refuses_to_supersede_a_memo_that_does_not_exist(repo: GitRepo, invoke: Invoke) -> None:
    path = repo.add_memo(A)
    result = invoke("new", "Move billing", "--supersedes", "D-AAAAAB", "--no-edit")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error: the memo was not written:\n  supersedes: D-AAAAAB does not exist; did you mean "D-AAAAAA"?\n'
    )
    assert list(repo.decisions.iterdir()) == [path]


def test_new_refuses_to_supersede_a_memo_superseded_already(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    newer = repo.add_memo(B, title="Managed Postgres", supersedes=[A], date="2026-02-01", decided_on="2026-02-02")
    before = sorted(repo.decisions.iterdir())
    result = invoke("new", "Move billing", "--supersedes", A, "--no-edit")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: the memo was not written:\n"
        f"  supersedes: {A} is already superseded by {B} (decisions/{newer.name}); supersede {B} instead\n"
    )
    assert sorted(repo.decisions.iterdir()) == before


def test_new_decided_without_escalation_says_what_is_missing(repo: GitRepo, invoke: Invoke) -> None:
    result = invoke("new", "Freeze pricing", "--status", "decided", "--no-edit")
    assert result.exit_code == 1
    assert "  escalation: missing (required once decided)" in result.stderr
    assert "  inputs: is empty (required once decided); add at least one entry" in result.stderr


def test_new_with_a_bad_date_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("new", "Freeze pricing", "--date", "2026-02-30", "--no-edit")
    assert result.exit_code == 2
    assert "'2026-02-30' is not a date; write YYYY-MM-DD" in result.stderr


def test_new_warns_when_a_similar_decision_exists(repo: GitRepo, invoke: Invoke) -> None:
    old = repo.add_memo(A, title="Adopt Postgres for billing")
    result = invoke("new", "Adopt PostgreSQL for billing", "--no-edit")
    assert f'Warning: decided before? see {A} "Adopt Postgres for billing" (decisions/{old.name})' in result.stderr
    assert result.exit_code == 0


def test_new_warns_when_a_similar_decision_has_a_title_in_another_script(repo: GitRepo, invoke: Invoke) -> None:
    first = invoke(
        "new", "日本語のタイトル", "--no-edit", "--input", "Ana", "--escalate-when", "cost > 5k", "--escalate-to", "Bo"
    )
    result = invoke(
        "new", "日本語のタイトル", "--no-edit", "--input", "Ana", "--escalate-when", "cost > 5k", "--escalate-to", "Bo"
    )
    assert result.exit_code == 0
    path = first.stdout.strip()
    assert result.stderr == f'Warning: decided before? see {path[10:18]} "日本語のタイトル" ({path})\n'


def test_new_without_git_identity_leaves_a_proposal_tbd(repo: GitRepo, invoke: Invoke, tmp_path: Path) -> None:
    repo.git("config", "--unset", "user.name")
    repo.git("config", "--unset", "user.email")
    env = {"HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = invoke("new", "Pick a CI vendor", "--no-edit", env=env)
    assert "dri: TBD\n" in (repo.root / result.stdout.strip()).read_text()
    result = invoke("new", "Pick a CI vendor now", "--status", "decided", "--no-edit", env=env)
    assert (result.exit_code, result.stderr) == (2, "Error: a decided memo needs a DRI: pass --dri NAME\n")


def test_two_branches_each_adding_a_memo_merge_cleanly(repo: GitRepo) -> None:
    repo.commit("base")
    created = []
    for branch in ("left", "right"):
        repo.branch(branch, "main")
        done = subprocess.run(
            [sys.executable, "-m", "decide", "new", f"Decision from {branch}", "--no-edit"],
            cwd=repo.root,
            capture_output=True,
            text=True,
            check=True,
        )
        created.append(done.stdout.strip())
        repo.commit(branch)
    repo.checkout("main")
    repo.git("merge", "-q", "left")
    repo.git("merge", "-q", "--no-edit", "right")
    assert sorted(p.name for p in repo.decisions.iterdir()) == sorted(Path(c).name for c in created)
    done = subprocess.run(
        [sys.executable, "-m", "decide", "validate"], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "2 memo(s) valid\n")


def _pty_session(repo: GitRepo, args: list[str], answers: list[bytes], env: dict[str, str] | None = None) -> str:
    """Run decide on a real pseudo-terminal, answering each prompt in turn; return everything it printed."""
    return _pty_run(repo, args, answers, env).terminal


@dataclass
class PtyRun:
    terminal: str  # what the terminal showed: stderr, and stdout unless it was piped
    stdout: str | None  # stdout when it was piped
    code: int


def _pty_run(
    repo: GitRepo,
    args: list[str],
    answers: list[bytes],
    env: dict[str, str] | None = None,
    *,
    pipe_stdout: bool = False,
) -> PtyRun:
    """Run decide with stdin and stderr on a real pseudo-terminal (stdout too, unless piped), answering each prompt."""
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "decide", *args],
        cwd=repo.root,
        stdin=follower,
        stdout=subprocess.PIPE if pipe_stdout else follower,
        stderr=follower,
        env={**os.environ, **(env or {})},
    )
    os.close(follower)
    output = b""
    pending = list(answers)
    while True:
        ready, _, _ = select.select([leader], [], [], 20)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if pending and chunk.rstrip().endswith((b":", b"]:")):
            os.write(leader, pending.pop(0))
    piped = process.stdout.read().decode() if process.stdout else None
    code = process.wait(timeout=20)
    os.close(leader)
    return PtyRun(output.decode(), piped, code)


def test_new_in_a_terminal_prompts_with_the_git_identity_and_opens_the_editor(repo: GitRepo) -> None:
    editor = repo.write("edit.sh", "#!/bin/sh\nsed -i 's/^title: .*/title: Edited in the editor/' \"$1\"\n")
    editor.chmod(0o755)
    output = _pty_session(repo, ["new", "Pick a CI vendor"], [b"\r"], env={"EDITOR": str(editor)})
    assert "DRI (the one person who decides) [Ana Ruiz <ana@example.com>]:" in output
    path = repo.root / output.strip().splitlines()[-1]
    text = path.read_text()
    assert "dri: Ana Ruiz <ana@example.com>\n" in text
    assert "title: Edited in the editor\n" in text


def test_new_decided_in_a_terminal_asks_for_inputs_and_escalation(repo: GitRepo) -> None:
    answers = [b"Bo Sand\r", b"Finance review\r", b"spend exceeds $10k\r", b"CFO\r"]
    output = _pty_session(repo, ["new", "Cap vendor spend", "--status", "decided", "--no-edit"], answers)
    path = repo.root / output.strip().splitlines()[-1]
    text = path.read_text()
    assert "dri: Bo Sand\ninputs:\n  - Finance review\nescalation:\n  trigger: spend exceeds $10k\n  to: CFO\n" in text


def test_new_prompts_on_stderr_when_only_stdin_is_a_terminal(repo: GitRepo) -> None:
    answers = [b"Bo Sand\r", b"Finance review\r", b"spend exceeds $10k\r", b"CFO\r"]
    run = _pty_run(repo, ["new", "Cap vendor spend", "--status", "decided"], answers, pipe_stdout=True)
    assert "DRI (the one person who decides) [Ana Ruiz <ana@example.com>]:" in run.terminal
    assert "Escalate to (one person or role):" in run.terminal
    assert run.code == 0
    assert run.stdout is not None and re.fullmatch(r"decisions/D-\w{6}-cap-vendor-spend\.md\n", run.stdout)
    text = (repo.root / run.stdout.strip()).read_text()
    assert "dri: Bo Sand\ninputs:\n  - Finance review\nescalation:\n  trigger: spend exceeds $10k\n  to: CFO\n" in text


@pytest.mark.parametrize("editor", ["false", "/nonexistent/editor"])
def test_new_keeps_the_memo_and_prints_its_path_when_the_editor_fails(repo: GitRepo, editor: str) -> None:
    run = _pty_run(repo, ["new", "Pick a CI vendor"], [b"\r"], env={"EDITOR": editor})
    path = run.terminal.strip().splitlines()[-1]
    assert re.fullmatch(r"decisions/D-\w{6}-pick-a-ci-vendor\.md", path)
    assert (repo.root / path).is_file()
    assert f"; the memo is written: edit {path} yourself" in run.terminal
    assert f"Warning: {editor}: Editing failed" in run.terminal
    assert run.code == 0


def test_supersede_keeps_the_new_memo_when_the_editor_fails(repo: GitRepo) -> None:
    repo.add_memo(A)
    run = _pty_run(repo, ["supersede", A, "Managed Postgres"], [], env={"EDITOR": "false"})
    assert run.code == 0
    assert "Warning: false: Editing failed; the memo is written: edit decisions/" in run.terminal
    assert f"  supersedes: {A}" in run.terminal


def test_list_filters_and_json(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A, title="Adopt Postgres", tags=["db"], date="2026-01-01", decided_on="2026-01-02")
    repo.add_memo(B, title="Hire SRE", status="proposed", decided_on=None, dri="Bo Sand", date="2026-02-01")
    table = invoke("list").stdout.splitlines()
    assert table[0].split() == ["ID", "STATUS", "DATE", "DRI", "TITLE"]
    assert [line.split()[0] for line in table[1:]] == [B, A]
    assert [e["id"] for e in json.loads(invoke("list", "--format", "json", "--status", "proposed").stdout)] == [B]
    assert [e["id"] for e in json.loads(invoke("list", "--format", "json", "--dri", "ana").stdout)] == [A]
    assert [e["id"] for e in json.loads(invoke("list", "--format", "json", "--tag", "db").stdout)] == [A]
    result = invoke("list", "--tag", "nothing")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no decisions match\n")


def test_show_derives_superseded_by(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    repo.add_memo(B, supersedes=[A], date="2026-02-01", decided_on="2026-02-02")
    result = invoke("show", A.lower())
    assert result.stdout.startswith(f"{A}: Adopt Postgres for billing\nstatus:        superseded\nsuperseded by: {B}\n")
    assert result.stdout.endswith("## Decision\n\nWe use A.\n\n## Consequences\n\nMore A.\n")


def test_show_unknown_id_suggests_close_ones(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    result = invoke("show", "D-AAAAAB")
    assert (result.exit_code, result.stderr) == (2, f"Error: no memo with ID D-AAAAAB; did you mean {A}?\n")


def test_index_json_and_output_file(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    repo.add_memo(B, supersedes=[A], date="2026-02-01", decided_on="2026-02-02")
    document = json.loads(invoke("index").stdout)
    assert document["version"] == 1
    assert [(d["id"], d["status"], d["superseded_by"]) for d in document["decisions"]] == [
        (B, "decided", []),
        (A, "superseded", [B]),
    ]
    result = invoke("index", "--format", "markdown", "--output", str(repo.root / "out.md"))
    assert result.stderr == f"wrote 2 decision(s) to {repo.root / 'out.md'}\n"
    assert (repo.root / "out.md").read_text().startswith("| ID | Title | Status | DRI | Date | Tags |\n")


def test_index_warns_about_unreadable_files(repo: GitRepo, invoke: Invoke) -> None:
    repo.add_memo(A)
    repo.write("decisions/broken.md", "nope")
    result = invoke("index")
    assert result.exit_code == 0
    assert result.stderr == "Warning: 1 file(s) could not be read and are left out; run 'decide validate'\n"


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_top_level_options(invoke: Invoke, args: list[str]) -> None:
    assert invoke(*args).exit_code == 0


def test_the_command_wraps_help_to_the_width_click_would_choose() -> None:
    def help_text(code: str, columns: str | None) -> str:
        env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ({"COLUMNS": columns} if columns else {})
        done = subprocess.run(
            [sys.executable, "-c", code, "--help"], check=False, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    lines = {}
    for columns in ("60", "130", None):
        ours = help_text("from decide.cli import run; run()", columns)
        assert ours == help_text("from decide.cli import main; main()", columns)  # click asking shutil itself
        lines[columns] = len(ours.splitlines())
    assert lines["60"] > lines[None] > lines["130"]


def test_new_without_a_title_in_a_terminal_asks_for_it(repo: GitRepo) -> None:
    output = _pty_session(repo, ["new", "--no-edit"], [b"Pick a queue\r", b"\r"])
    assert "Title (what is decided, as a short sentence):" in output
    path = repo.root / output.strip().splitlines()[-1]
    assert path.name.endswith("-pick-a-queue.md") and "title: Pick a queue\n" in path.read_text()
