"""Docs guarded by tests: the README's quick start, CI running its test command, ignored output."""

from __future__ import annotations

import itertools
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.DOTALL)


def test_the_quick_start_has_exactly_two_one_line_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "decide validate" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_built_site_is_ignored_and_the_site_package_is_not() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "site/index.html", "decide/site/pages.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == ["site/index.html"]


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_the_readme_shows_adoption_in_three_commands_that_parse() -> None:
    from test_ci_files import parse_decide

    blocks = re.findall(r"```sh\n(.*?)\n```", _section("Adopting it in your repository"), flags=re.DOTALL)
    (three,) = [block for block in blocks if block.startswith("decide init")]
    commands = [shlex.split(line) for line in three.splitlines()]
    assert [words[:2] for words in commands] == [["decide", "init"], ["decide", "new"], ["decide", "build"]]
    for words in commands:
        parse_decide(words)
    assert "docs/adopting.md" in _section("Adopting it in your repository")


def test_the_readme_installs_this_project_by_path_not_by_a_name_pypi_gives_to_others() -> None:
    installs = re.findall(r"pip install (\S+)", _section("Adopting it in your repository"))
    assert installs[0] == "./decide"
    assert '"decide-log @ git+URL@COMMIT"' in _section("Adopting it in your repository")


def test_docs_cite_only_tags_that_exist() -> None:
    tags = set(subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split())
    pages = [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "docs").glob("*.md"))]
    pages += sorted((ROOT / "decide" / "data" / "ci").glob("*"))
    cited = {(page.name, ref) for page in pages for ref in _decide_refs(page.read_text(encoding="utf-8"))}
    assert {(page, ref) for page, ref in cited if ref not in tags} == set()


def _decide_refs(text: str) -> list[str]:
    """The tags of decide a text pins: ``…/decide@v1`` in an install line, ``rev: v1`` under a decide ``repo:``."""
    refs = re.findall(r"decide[^\s\"']*@(v\d[\w.]*)", text)
    lines = text.splitlines()
    for before, line in itertools.pairwise(lines):
        rev = re.search(r"rev:\s*(v\d[\w.]*)", line)
        if rev and "decide" in before:
            refs.append(rev.group(1))
    return refs


def test_the_ref_finder_finds_the_old_tag() -> None:
    text = 'pip install "git+https://github.com/o/decide@v0.1.0"\n  - repo: https://x/decide\n    rev: v0.2.0\n'
    assert _decide_refs(text + "- uses: actions/checkout@v4\n") == ["v0.1.0", "v0.2.0"]


def test_the_adopting_page_is_in_the_site_nav() -> None:
    assert "      - adopting.md\n" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
