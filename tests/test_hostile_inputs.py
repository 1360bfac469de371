"""Every input of issue 16 ends in a message, never a traceback or a hang: through the command line, word for word.

The cases that hung run ``decide`` as a process with a generous time limit: a hang is the failure
they guard against, not a slow run (speed is measured in ``bench/``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import GitRepo, memo_text

A = "D-AAAAAA"
# Far longer than any of these runs takes; a hang (the failure guarded against) never ends.
HANG = 120
DEEP = 5000
ROSTER_FIX = 'the roster must be a plain YAML file listing people ("- name: Ana Ruiz")'


def run_decide(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``decide --root root ARGS`` as its own process, stopped (and the test failed) if it hangs."""
    command = [sys.executable, "-m", "decide", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=HANG, check=False)


def test_a_decide_toml_nested_thousands_deep_is_refused(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.write("decide.toml", "x = " + "[" * DEEP + "]" * DEEP + "\n")
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: decide.toml: cannot read the configuration: it nests arrays or tables thousands deep; "
        "no setting needs more than a few levels\n",
    )


SCHEMA_TOO_DEEP = (
    "Error: schema/decision.schema.json: the schema nests objects and lists more than 64 levels deep; "
    "no rule on a memo needs that many: flatten it, or move parts into $defs\n"
)


@pytest.mark.parametrize("depth", [DEEP, 200])
def test_a_schema_nested_too_deep_is_refused(repo: GitRepo, invoke: Callable[..., Result], depth: int) -> None:
    nested = '{"not": ' * depth + "{}" + "}" * depth
    repo.write("schema/decision.schema.json", '{"properties": {"x-a": ' + nested + "}}")
    repo.add_memo(A)
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (3, SCHEMA_TOO_DEEP)


def test_a_mkdocs_yml_nested_thousands_deep_is_refused(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.write("mkdocs.yml", "site_name: x\nextra: " + "[" * DEEP + "]" * DEEP + "\n")
    repo.add_memo(A)
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: mkdocs.yml:2: cannot be read to check memo bodies: exceeded maximum nesting depth\n",
    )


def test_a_mkdocs_yml_naming_a_module_that_is_not_there_is_refused(
    repo: GitRepo, invoke: Callable[..., Result]
) -> None:
    repo.write("mkdocs.yml", "site_name: x\nhooks: !!python/name:no_such_module.hook\n")
    repo.add_memo(A)
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: mkdocs.yml: cannot be read to check memo bodies: No module named 'no_such_module'\n",
    )


PLANT = "import pathlib\npathlib.Path('ran.txt').write_text('ran')\nhook = fence = None\n"


@pytest.mark.parametrize(
    ("config", "what"),
    [
        ("hooks: !!python/name:planted.hook\n", "!!python/name:planted.hook"),
        ("markdown_extensions:\n  - planted\n", "the Markdown extension 'planted'"),
        ("markdown_extensions:\n  - planted:Extension\n", "the Markdown extension 'planted:Extension'"),
        (
            "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
            "        - name: x\n          class: x\n          format: !!python/name:planted.fence\n",
            "!!python/name:planted.fence",
        ),
    ],
)
def test_a_pull_request_cannot_run_its_own_code_through_mkdocs_yml(repo: GitRepo, config: str, what: str) -> None:
    """A module added beside mkdocs.yml is never imported, even where Python would find it (run from the repository)."""
    repo.write("planted.py", PLANT)
    repo.write("mkdocs.yml", "site_name: x\n" + config)
    repo.add_memo(A)
    command = [sys.executable, "-m", "decide", "validate"]
    done = subprocess.run(command, cwd=repo.root, capture_output=True, text=True, timeout=HANG, check=False)
    assert not (repo.root / "ran.txt").exists()
    assert (done.returncode, done.stderr) == (
        3,
        f"Error: mkdocs.yml: {what} names code inside the repository (planted.py); decide does not import a "
        "repository's own code to check memo bodies: install the extension as a package, or remove it from mkdocs.yml\n",
    )


def test_installed_extensions_and_python_names_still_load(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.write(
        "mkdocs.yml",
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: x\n          class: x\n          format: !!python/name:pymdownx.superfences.fence_code_format\n",
    )
    repo.add_memo(A)
    result = invoke("validate")
    assert (result.exit_code, result.stderr) == (0, "1 memo(s) valid\n")


def test_a_roster_linked_to_dev_zero_is_a_problem_not_a_memory_error(repo: GitRepo) -> None:
    repo.add_memo(A)
    (repo.decisions / "people.yml").symlink_to("/dev/zero")
    done = run_decide(repo.root, "validate")
    assert (done.returncode, done.stdout) == (
        1,
        f"decisions/people.yml:1: is a device, not a regular file; {ROSTER_FIX}\n",
    )
    assert "Traceback" not in done.stderr


def test_a_roster_that_is_a_named_pipe_does_not_block(repo: GitRepo) -> None:
    repo.add_memo(A)
    os.mkfifo(repo.decisions / "people.yml")
    done = run_decide(repo.root, "validate")
    assert (done.returncode, done.stdout) == (
        1,
        f"decisions/people.yml:1: is a named pipe (FIFO), not a regular file; {ROSTER_FIX}\n",
    )


def test_a_roster_too_big_to_be_one_is_a_problem(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.add_memo(A)
    with (repo.decisions / "people.yml").open("wb") as handle:
        handle.truncate(17_000_000)  # sparse: no disk is filled
    result = invoke("validate")
    assert (result.exit_code, result.stdout) == (
        1,
        f"decisions/people.yml:1: is 17.0 MB, more than the 16 MB allowed; {ROSTER_FIX}\n",
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "decide.toml",
            "Error: decide.toml is a named pipe (FIFO), not a regular file; make it a regular file, or remove it\n",
        ),
        (
            "schema/decision.schema.json",
            "Error: schema/decision.schema.json is a named pipe (FIFO), not a regular file; make it a regular file, "
            "or remove it\n",
        ),
        (
            "mkdocs.yml",
            "Error: mkdocs.yml is a named pipe (FIFO), not a regular file; make it a regular file, or remove it\n",
        ),
    ],
)
def test_a_configuration_file_that_is_a_named_pipe_does_not_block(repo: GitRepo, path: str, message: str) -> None:
    repo.add_memo(A)
    (repo.root / path).parent.mkdir(exist_ok=True)
    os.mkfifo(repo.root / path)
    done = run_decide(repo.root, "validate")
    assert (done.returncode, done.stderr) == (3, message)


def _crafted(
    repo: GitRepo, schema: dict[str, object], **fields: object
) -> tuple[str, subprocess.CompletedProcess[str]]:
    repo.write("schema/decision.schema.json", json.dumps(schema))
    path = repo.add_memo(A, **fields)
    return f"decisions/{path.name}", run_decide(repo.root, "validate")


CRAFTED = "a" * 40 + "!"  # about 2**40 steps for a backtracking engine


def test_a_schema_pattern_that_backtracks_finishes_on_a_crafted_title(repo: GitRepo) -> None:
    path, done = _crafted(repo, {"properties": {"title": {"pattern": "^(a+)+$"}}}, title=CRAFTED)
    assert (done.returncode, done.stdout) == (
        1,
        f"{path}:3: title: '{CRAFTED}' does not match '^(a+)+$' (rule from schema/decision.schema.json)\n",
    )


def test_pattern_properties_that_backtrack_finish_on_a_crafted_field_name(repo: GitRepo) -> None:
    schema = {"patternProperties": {"^x-(a+)+$": {"type": "integer"}}, "properties": {}}
    path, done = _crafted(repo, schema, **{"x-" + CRAFTED: "text", "x-aaaa": "text"})
    assert (done.returncode, done.stdout) == (
        1,
        f'{path}:14: x-aaaa: must be integer, not the text "text" (rule from schema/decision.schema.json)\n',
    )


def test_a_pattern_that_needs_backtracking_is_refused_in_words(repo: GitRepo) -> None:
    _path, done = _crafted(repo, {"properties": {"x-code": {"pattern": "^(a)\\1$"}}})
    assert (done.returncode, done.stderr) == (
        3,
        "Error: schema/decision.schema.json: the pattern \"^(a)\\\\1$\" at '/properties/x-code/pattern' cannot be "
        "used (invalid escape sequence: \\1): decide runs patterns with RE2, which takes the same short time on any "
        "value but has no look-arounds or back-references; rewrite it without them\n",
    )


def test_pattern_properties_with_unevaluated_properties_are_refused(repo: GitRepo) -> None:
    _path, done = _crafted(repo, {"patternProperties": {"^x-": {}}, "unevaluatedProperties": False})
    assert (done.returncode, done.stderr) == (
        3,
        "Error: schema/decision.schema.json: patternProperties (at '/') cannot be combined with unevaluatedProperties: "
        "decide would have to run the patterns with a backtracking engine; use additionalProperties instead\n",
    )


BROKEN_DECLARATION = "\n## Context\n\n<div><![x]>\n"


def test_a_declaration_the_html_parser_choked_on_validates(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.add_memo(A, body=BROKEN_DECLARATION)
    result = invoke("validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "1 memo(s) valid\n")


def test_a_declaration_the_html_parser_choked_on_passes_the_gate(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.add_memo("D-AAAAAB", title="First")
    repo.commit("log")
    repo.branch("change")
    repo.add_memo(A, body=BROKEN_DECLARATION)
    repo.commit("a body with a declaration")
    result = invoke("check", "--base", "main")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_declaration_the_html_parser_choked_on_is_imported(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    record = "# 1. Use a div\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Decision\n\n<div><![x]>\n"
    repo.write("doc/adr/0001-use-a-div.md", record)
    result = invoke("import", str(repo.root / "doc" / "adr"), "--dri", "Ana Ruiz")
    assert (result.exit_code, result.stderr) == (
        0,
        "1 file(s): 1 imported, 0 skipped, 0 already imported; 0 need a human\n",
    )


def test_twenty_thousand_people_and_three_hundred_memos_finish(repo: GitRepo) -> None:
    people = "".join(f"- name: Person {n:05d}\n  handle: p{n}\n  email: p{n}@example.com\n" for n in range(20_000))
    people += "- name: Chen Park\n  role: CTO\n"
    repo.write("decisions/people.yml", people)
    for n in range(300):
        memo_id = f"D-{n:06d}"
        repo.write(f"decisions/{memo_id}-m.md", memo_text(memo_id, dri=f"Person {n * 61:05d}", title="Memo"))
    repo.write("decisions/D-ZZZZZZ-m.md", memo_text("D-ZZZZZZ", dri="Persn 00017", title="Memo"))
    done = run_decide(repo.root, "validate")
    assert (done.returncode, done.stdout) == (
        1,
        'decisions/D-ZZZZZZ-m.md:7: dri: "Persn 00017" is not in decisions/people.yml; did you mean "Person 00017"?\n',
    )
