"""Body safety: memo bodies judged by what the site renders, with exact messages and lines."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GitRepo
from site_log import SCRIPT_BODIES

from decide.config import Config
from decide.site.body import find_unsafe, might_run_script, read_setup, setup_from
from decide.validate import validate

A = "D-AAAAAA"
MESSAGE = "would run in readers' browsers; remove it, or put it in a code block to show it"
# The memo's body starts on line 14 (DEFAULTS in conftest); "\n## Context\n\n" puts the first line of a snippet on 17.
FIRST = 17

# Where each of SCRIPT_BODIES is found, and what is shown (tests/test_site_browser.py builds them).
EXPECTED = {
    "attribute on the next line": [(FIRST + 1, "<img src=x onerror=")],
    "attribute joined by a blockquote": [(FIRST + 1, "<img src=x onerror=")],
    "entity in the scheme": [(FIRST, "javascript:")],
    "named entity for the colon": [(FIRST, "javascript:")],
    "fence indented one space": [(FIRST + 1, "<script")],
    "fence with a free-text info string": [(FIRST + 1, "<script")],
    "backslash-escaped backticks": [(FIRST, "<script")],
    "markdown link": [(FIRST, "javascript:")],
    "markdown link with an entity": [(FIRST, "javascript:")],
    "reference link": [(FIRST + 2, "javascript:")],
    "attribute list": [(FIRST + 1, "<p onclick=")],
    "attribute list on a code span": [(FIRST, "<code onmouseover=")],
    "comment that a browser ends early": [(FIRST, "<img src=x onerror=")],
    "data URL": [(FIRST, "data:")],
}


def body_problems(repo: GitRepo, snippet: str) -> list[str]:
    path = repo.add_memo(A, body=f"\n## Context\n\n{snippet}\n")
    return [str(p).removeprefix(f"decisions/{path.name}:") for p in validate(Config(root=repo.root)).problems]


@pytest.mark.parametrize("name", SCRIPT_BODIES)
def test_script_that_markdown_lets_through_is_found_on_its_line(repo: GitRepo, name: str) -> None:
    expected = [f'{line}: body: "{shown}" {MESSAGE}' for line, shown in EXPECTED[name]]
    assert body_problems(repo, SCRIPT_BODIES[name]) == expected


@pytest.mark.parametrize(
    "snippet",
    [
        "<https://example.com/plan>",
        "<javascript:alert(1)>",  # Python-Markdown links http(s) and ftp only: this is an unknown tag, not a link
        "<ana@example.com>",
        "[plan](https://example.com/plan) and [notes](../docs/notes.md)",
        "Use `<script>` never; ``<img onerror=x>`` neither.",
        "```html\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "R&D owns the metadata: see the data team. The script: run it nightly.",
        '<!-- What forces this decision now? -->\n\n<img src="chart.png" alt="Latency">',
        "Escaped: &lt;script&gt;alert(1)&lt;/script&gt;",
    ],
)
def test_what_renders_as_text_links_or_images_is_allowed(repo: GitRepo, snippet: str) -> None:
    assert body_problems(repo, snippet) == []


def test_every_finding_in_a_body_is_reported_with_its_own_line(repo: GitRepo) -> None:
    snippet = "Intro.\n\n<script>alert(1)</script>\n\n[a](javascript:alert(2))\n\n<iframe src=x></iframe>"
    assert body_problems(repo, snippet) == [
        f'{FIRST + 2}: body: "<script" {MESSAGE}',
        f'{FIRST + 4}: body: "javascript:" {MESSAGE}',
        f'{FIRST + 6}: body: "<iframe" {MESSAGE}',
    ]


def test_bodies_are_rendered_with_the_extensions_of_mkdocs_yml(repo: GitRepo) -> None:
    snippet = "Read this.\n{: onclick=alert(1) }"
    repo.write("mkdocs.yml", "site_name: Decisions\nmarkdown_extensions:\n  - toc\n")
    assert body_problems(repo, snippet) == [], "without attr_list the braces are text"
    repo.write("mkdocs.yml", "site_name: Decisions\nmarkdown_extensions:\n  - attr_list\n")
    assert body_problems(repo, snippet) == [f'{FIRST + 1}: body: "<p onclick=" {MESSAGE}']


def test_mkdocs_yml_tags_are_read_as_mkdocs_reads_them(repo: GitRepo) -> None:
    repo.write(
        "mkdocs.yml",
        "site_name: !ENV [SITE_NAME, Decisions]\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: demo\n"
        "          class: demo\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
    )
    setup = read_setup(repo.root / "mkdocs.yml")
    assert setup.extensions == ("toc", "tables", "fenced_code", "pymdownx.superfences")
    from pymdownx.superfences import fence_code_format

    assert setup.configs == {
        "pymdownx.superfences": {"custom_fences": [{"name": "demo", "class": "demo", "format": fence_code_format}]}
    }
    # The named function is the one superfences formats the custom fence with.
    assert body_problems(repo, "```demo\n<script>alert(1)</script>\n```\n\n<b>ok</b>") == []
    assert body_problems(repo, "```demo\nok\n```\n\n<script>alert(1)</script>") == [
        f'{FIRST + 4}: body: "<script" {MESSAGE}'
    ]


def test_a_snippet_pasted_in_by_an_extension_is_judged_too(repo: GitRepo) -> None:
    repo.write("mkdocs.yml", f"markdown_extensions:\n  - pymdownx.snippets:\n      base_path: {str(repo.root)!r}\n")
    repo.write("notes.html", "<p>Notes</p>\n<script>alert(1)</script>\n")
    assert body_problems(repo, '--8<-- "notes.html"') == [f'15: body: "<script" {MESSAGE}'], "the body's first line"


def test_setup_from_a_mapping_and_the_builtins_first() -> None:
    setup = setup_from({"attr_list": None, "toc": {"permalink": True}})
    assert setup.extensions == ("toc", "tables", "fenced_code", "attr_list")
    assert setup.configs == {"toc": {"permalink": True}}


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("Plain prose: we chose A. Options: A, B.", False),
        ("<!-- What forces this decision now? -->\n\nWe chose A.", False),
        ("We chose <b>A</b>,<br/>not B.<br>", False),
        ("a < b, b<3, <= 2, <", False),
        ("We chose <b onclick=alert(1)>A</b>.", True),
        ("We chose <script>x</script>.", True),
        ("We chose <SVG>.", True),
        ("<img\n> src=x onerror=alert(1)>", True),
        ("<<img src=x onerror=alert(1)>", True),
        ("See <https://example.com>.", True),
        ("<!DOCTYPE html>", True),
        ("<!-- note --> <b>", False),
        ('--8<-- "notes.html"', True),
        ("R&D chose A, Q&A and AT&T.", False),
        ("[a](jav&#x61;script:x)", True),
        ("[a](javascript&colon;x)", True),
        ("[a](jav&#97script:x)", True),
        ("Heading {: #id }", True),
        ("[a](javascript:x)", True),
        ("[a](JavaScript:x)", True),
        ("[a](java\n\tscript:x)", True),
        ("[a](vbscript:x)", True),
        ("[a](data:x)", True),
        ("[a](da\nta:x)", True),
    ],
)
def test_the_prefilter_passes_only_bodies_that_cannot_run_script(body: str, flagged: bool) -> None:
    assert might_run_script(body) is flagged


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("<!--> <img src=x onerror=alert(1)> -->", "<img src=x onerror="),
        ("<!---> <img src=x onerror=alert(1)> -->", "<img src=x onerror="),
        ("<!-- a --!> <img src=x onerror=alert(1)> -->", "<img src=x onerror="),
        ("<![CDATA[ x ]> <script>alert(1)</script> ]]>", "<script"),
        ('<a href=" \tjava\nscript:alert(1)">x</a>', "javascript:"),
        ('<a href="JAVASCRIPT:alert(1)">x</a>', "javascript:"),
        ("<form><button formaction=javascript:alert(1)>x</button></form>", "javascript:"),
        ("<svg><a><text>x</text></a></svg>", "<svg"),
        ("<SCRIPT>alert(1)</SCRIPT>", "<SCRIPT"),
        ('<base href="https://elsewhere.example/">', "<base"),
        ('<meta http-equiv="refresh" content="0">', "<meta"),
        ('<object data="x.swf"></object>', "<object"),
        ('<embed src="x.swf">', "<embed"),
    ],
)
def test_find_unsafe_reads_html_as_a_browser_would(html: str, shown: str) -> None:
    assert [u.shown for u in find_unsafe(html)] == [shown]


def test_validating_plain_memos_does_not_load_markdown(repo: GitRepo) -> None:
    for n in range(3):
        repo.add_memo(f"D-AAAAA{n}")
    code = (
        "import sys; from pathlib import Path; from decide.config import Config; from decide.validate import validate; "
        f"assert validate(Config(root=Path({str(repo.root)!r}))).problems == (); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown', 'html')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
