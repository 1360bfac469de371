"""The CI files shipped in the repository: the GitHub workflow, the pre-commit hooks, and the docs page about them."""

from __future__ import annotations

import importlib.util
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import GitRepo, memo_text

from decide.cli import commands as decide_commands
from decide.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "decide.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
OWN_CONFIG = ROOT / ".pre-commit-config.yaml"
A, B = "D-1AAAAA", "D-2BBBBB"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow() -> dict[str, Any]:
    data = load(WORKFLOW)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def run_lines(text: str) -> Iterator[list[str]]:
    """Each command of a ``run:`` script as words: lines joined, split at && || ; |, expressions replaced."""
    text = re.sub(r"\$\{\{.*?\}\}", "EXPR", text).replace("\\\n", " ")
    for line in text.splitlines():
        for command in re.split(r"&&|\|\||;|\|", line.split(" #")[0]):
            words = shlex.split(command)
            if words:
                yield words


def steps(job: str | None = None) -> list[dict[str, Any]]:
    jobs = workflow()["jobs"]
    return [step for name, body in jobs.items() if job in (None, name) for step in body["steps"]]


def commands() -> list[list[str]]:
    return [words for step in steps() if "run" in step for words in run_lines(step["run"])]


def parse_decide(words: list[str]) -> click.Context:
    """Parse ``decide SUB ARGS`` with the real command, as the shell would run it: unknown options fail."""
    assert words[0] == "decide"
    sub = words[1]
    known = decide_commands()
    assert sub in known, f"decide {sub} is not a command of decide (have: {', '.join(sorted(known))})"
    command = known[sub]
    return command.make_context(f"decide {sub}", words[2:])


def test_every_decide_command_in_the_workflow_is_a_real_command_with_real_options() -> None:
    called = [words for words in commands() if words[0] == "decide"]
    assert {words[1] for words in called} >= {"check", "build"}
    for words in called:
        parse_decide(words)


def test_every_run_step_uses_commands_that_exist() -> None:
    for words in commands():
        if words[0] == "decide":
            continue
        assert words[0] == "python", f"unknown command in the workflow: {' '.join(words)}"
        assert words[1] == "-m" and importlib.util.find_spec(words[2]) is not None, words


def test_pull_requests_run_the_check_with_full_history_and_github_annotations() -> None:
    data = workflow()
    assert "pull_request" in data["on"] and data["on"]["push"]["branches"] == ["main"]
    checkout = next(s for s in steps("check") if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    check = next(w for s in steps("check") if "run" in s for w in run_lines(s["run"]) if w[:2] == ["decide", "check"])
    ctx = parse_decide(check)
    assert ctx.params["fmt"] == "github" and ctx.params["base"] == "origin/EXPR"
    assert "github.base_ref" in next(s["run"] for s in steps("check") if "decide check" in s.get("run", ""))


def test_main_builds_and_publishes_the_site() -> None:
    publish = workflow()["jobs"]["publish"]
    assert "refs/heads/main" in publish["if"]
    runs = [w for s in publish["steps"] if "run" in s for w in run_lines(s["run"])]
    assert ["decide", "build", "--strict"] in runs
    uses = [s["uses"].split("@")[0] for s in publish["steps"] if "uses" in s]
    assert uses[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    upload = next(s for s in publish["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def runs(job: str, event: str, ref: str = "refs/heads/main") -> bool:
    """Whether ``job`` runs for ``event`` on ``ref``: its ``if:`` evaluated (the workflow uses ==, &&, || and parentheses)."""
    condition = workflow()["jobs"][job]["if"]
    python = condition.replace("&&", " and ").replace("||", " or ")
    python = python.replace("github.event_name", repr(event)).replace("github.ref", repr(ref))
    assert re.fullmatch(r"[\w\s'/()=.-]*", python), condition
    return bool(eval(python))  # the workflow's own condition, checked above to hold comparisons only


def test_the_site_is_rebuilt_every_day_so_ages_and_overdue_flags_stay_current() -> None:
    (schedule,) = workflow()["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    assert runs("publish", "schedule") and runs("publish", "push")
    assert not runs("publish", "push", "refs/heads/other") and not runs("publish", "pull_request")
    assert runs("check", "pull_request") and not runs("check", "schedule")
    assert "daily" in (ROOT / "docs" / "site.md").read_text(encoding="utf-8")


def test_the_published_site_gets_its_address_so_the_feed_links_are_absolute() -> None:
    publish = steps("publish")
    pages = next(s for s in publish if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in publish if "decide build" in s.get("run", ""))
    assert publish.index(pages) < publish.index(build)
    assert build["env"]["SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r'^site_url: !ENV \[SITE_URL, ""\]$', mkdocs, re.MULTILINE)


def hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in load(HOOKS)}


def test_published_hooks_call_real_commands() -> None:
    published = hooks()
    assert set(published) == {"decide-validate", "decide-check"}
    for hook in published.values():
        assert hook["language"] == "python"
        parse_decide(shlex.split(hook["entry"]))
    assert published["decide-check"]["entry"] == "decide check --staged"
    assert published["decide-check"]["always_run"] is True and published["decide-check"]["pass_filenames"] is False
    pattern = re.compile(published["decide-validate"]["files"])
    assert pattern.search(f"decisions/{A}-adopt.md") and not pattern.search("docs/ci.md")
    assert not pattern.search(f"decisions/archive/{A}-adopt.md")


def test_this_repository_uses_its_own_hooks() -> None:
    (local,) = load(OWN_CONFIG)["repos"]
    assert local["repo"] == "local"
    published = hooks()
    for hook in local["hooks"]:
        mine = published[hook["id"]]
        assert {k: hook[k] for k in ("entry", "pass_filenames")} == {k: mine[k] for k in ("entry", "pass_filenames")}
        assert hook.get("files") == mine.get("files") and hook.get("always_run") == mine.get("always_run")


def run_hook(repo: GitRepo, hook_id: str) -> int:
    """Run a hook's entry the way pre-commit does: with the staged files matching ``files`` when it passes them."""
    hook = hooks()[hook_id]
    args = shlex.split(hook["entry"])[1:]
    if hook["pass_filenames"]:
        staged = repo.git("diff", "--cached", "--name-only", "--diff-filter=ACMR").split()
        args += [str(repo.root / f) for f in staged if re.search(hook["files"], f)]
    result = CliRunner().invoke(main, ["--root", str(repo.root), *args], catch_exceptions=False)
    print(result.stdout, result.stderr)
    return result.exit_code


@pytest.mark.parametrize("hook_id", ["decide-validate", "decide-check"])
def test_hooks_refuse_a_bad_staged_memo_and_pass_a_good_one(repo: GitRepo, hook_id: str) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.write(f"decisions/{B}-pricing.md", memo_text(B, dri="Pricing team"))
    repo.git("add", "-A")
    assert run_hook(repo, hook_id) == 1
    repo.write(f"decisions/{B}-pricing.md", memo_text(B))
    repo.git("add", "-A")
    assert run_hook(repo, hook_id) == 0


def test_check_hook_judges_the_index_so_an_unstaged_fix_does_not_count(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.write(f"decisions/{B}-pricing.md", memo_text(B, dri="Pricing team"))
    repo.git("add", "-A")
    repo.write(f"decisions/{B}-pricing.md", memo_text(B))
    assert run_hook(repo, "decide-check") == 1


def test_check_hook_refuses_a_staged_deletion(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-adopt.md", memo_text(A))
    repo.commit("base")
    repo.git("rm", "-q", f"decisions/{A}-adopt.md")
    assert run_hook(repo, "decide-check") == 1


def docs_job() -> dict[str, Any]:
    """The pull-request job the docs page gives to copy."""
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(  check:\n.*?)```", page, re.DOTALL)
    assert snippet, "docs/ci.md shows the check job in a yaml block"
    data: dict[str, Any] = yaml.safe_load(snippet.group(1))
    return data["check"]


def test_the_docs_job_installs_decide_from_git_and_is_named_as_the_required_check() -> None:
    job = docs_job()
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    required = re.search(r"require the status check \*\*(.+?)\*\*", page)
    assert required and job["name"] == required.group(1) == workflow()["jobs"]["check"]["name"]
    runs = [w for s in job["steps"] if "run" in s for w in run_lines(s["run"])]
    install = next(w for w in runs if w[:4] == ["python", "-m", "pip", "install"])
    assert install[4:] == ["decide-log @ git+https://github.com/your-org/decide@COMMIT"], "PyPI's decide is another"
    assert "Replace `your-org/decide@COMMIT` with the repository you install `decide` from" in page
    ours = [w for s in steps("check") if "run" in s for w in run_lines(s["run"]) if w[0] == "decide"]
    assert [w for w in runs if w[0] == "decide"] == ours
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_no_page_installs_decide_from_pypi() -> None:
    # decide-log is not published yet either: only "decide-log @ <url>" installs it.
    pypi = re.compile(r"pip install (?:-\S+ )*[\"']?decide(?:-log)?\b(?!\s*@|[@/-])")
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        found = pypi.search(page.read_text(encoding="utf-8"))
        assert found is None, f"{page.name}: {found.group(0) if found else ''} installs an unrelated package"


def test_docs_page_covers_the_workflow_pre_commit_and_codeowners() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for needle in ("fetch-depth: 0", "decide check --staged", "decide owners", "CODEOWNERS", ".pre-commit-hooks.yaml"):
        assert needle in page
    assert 'decide check --base "origin/${{ github.base_ref }}" --format github' in page
    assert 'decide check --base "origin/${{ github.base_ref }}" --format github' in WORKFLOW.read_text(encoding="utf-8")
