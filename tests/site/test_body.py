"""Memo bodies: what validation says the site would drop, with exact messages and lines, and what a body renders to."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GitRepo
from site_log import HOSTILE_BODIES, SCRIPT_BODIES

from decide.config import Config
from decide.site.body import MarkdownSetup, might_drop, read_setup, render_body, setup_from
from decide.validate import validate

A = "D-AAAAAA"
SHOW = "would be dropped from the site; remove it, or put it in a code block to show it as text"
RENAME = "would be dropped from the site; it is reserved for the site's own layout and scripts: use another name"
# The memo's body starts on line 14 (DEFAULTS in conftest); "\n## Context\n\n" puts the first line of a snippet on 17.
FIRST = 17
SCRIPT = "the <script> element and everything in it"
ONERROR = "the onerror attribute of <img>"
JAVASCRIPT = "the javascript: URL in the href of <a>"

# Where each of SCRIPT_BODIES is found, and what is dropped (tests/site/test_hostile.py builds them).
EXPECTED = {
    "attribute on the next line": [(FIRST + 1, ONERROR)],
    "attribute joined by a blockquote": [(FIRST + 1, ONERROR)],
    "entity in the scheme": [(FIRST, JAVASCRIPT)],
    "named entity for the colon": [(FIRST, JAVASCRIPT)],
    "fence indented one space": [(FIRST + 1, SCRIPT)],
    "fence with a free-text info string": [(FIRST + 1, SCRIPT)],
    "backslash-escaped backticks": [(FIRST, SCRIPT)],
    "markdown link": [(FIRST, JAVASCRIPT)],
    "markdown link with an entity": [(FIRST, JAVASCRIPT)],
    "reference link": [(FIRST + 2, JAVASCRIPT)],
    "attribute list": [(FIRST + 1, "the onclick attribute of <p>")],
    "attribute list on a code span": [(FIRST, "the onmouseover attribute of <code>")],
    "comment that a browser ends early": [(FIRST, ONERROR)],
    "data URL": [(FIRST, "the data: URL in the href of <a>")],
}
# The same for the bodies of the issue; the forged placeholder and the declaration are harmless comments, and
# comments are left out without a word (readers never saw them).
EXPECTED_HOSTILE = {
    "forged placeholder": [],
    **{
        f"mutation through <{tag}>": [(FIRST, f"the <{tag}> element and everything in it"), (FIRST, ONERROR)]
        for tag in ("noscript", "textarea", "title", "xmp", "noembed", "noframes")
    },
    "svg onload": [(FIRST, "the <svg> element and everything in it")],
    "style that hides the banner": [(FIRST, "the <style> element and everything in it")],
    "style attribute that covers the banner": [(FIRST + 1, "the style attribute of <p>")],
    "classes of the theme": [(FIRST + 1, 'the class "md-dialog" of <p>', RENAME)],
    "a declaration the HTML parser choked on": [],
}


def body_problems(repo: GitRepo, snippet: str) -> list[str]:
    path = repo.add_memo(A, body=f"\n## Context\n\n{snippet}\n")
    return [str(p).removeprefix(f"decisions/{path.name}:") for p in validate(Config(root=repo.root)).problems]


def expected(found: list[tuple[int, str] | tuple[int, str, str]]) -> list[str]:
    return [f"{line}: body: {what} {fix[0] if fix else SHOW}" for line, what, *fix in found]


@pytest.mark.parametrize("name", SCRIPT_BODIES)
def test_script_that_markdown_lets_through_is_reported_on_its_line(repo: GitRepo, name: str) -> None:
    assert body_problems(repo, SCRIPT_BODIES[name]) == expected(EXPECTED[name])


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_the_bodies_of_the_issue_are_reported_on_their_lines(repo: GitRepo, name: str) -> None:
    assert body_problems(repo, HOSTILE_BODIES[name]) == expected(EXPECTED_HOSTILE[name])


@pytest.mark.parametrize(
    "snippet",
    [
        "<https://example.com/plan>",
        "<ana@example.com>",
        "[plan](https://example.com/plan) and [notes](../docs/notes.md) and [mail](mailto:ana@example.com)",
        "Use `<script>` never; ``<img onerror=x>`` neither.",
        "```html\n<script>alert(1)</script>\n```",
        "    <script>alert(1)</script>",
        "R&D owns the metadata: see the data team. The script: run it nightly.",
        '<!-- What forces this decision now? -->\n\n<img src="chart.png" alt="Latency">',
        "Escaped: &lt;script&gt;alert(1)&lt;/script&gt;",
        "We chose <b>A</b>, <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O.<br>\n\n<details><summary>More</summary>x</details>",
        "A table:\n\n| a | b |\n|:-|-:|\n| 1 | 2 |",
        "Read this.\n{: #why .note title='Why we chose' }",
    ],
)
def test_what_the_sanitizer_keeps_is_not_reported(repo: GitRepo, snippet: str) -> None:
    assert body_problems(repo, snippet) == []


def test_every_drop_in_a_body_is_reported_with_its_own_line(repo: GitRepo) -> None:
    snippet = "Intro.\n\n<script>alert(1)</script>\n\n[a](javascript:alert(2))\n\n<iframe src=x></iframe>"
    assert body_problems(repo, snippet) == expected(
        [(FIRST + 2, SCRIPT), (FIRST + 4, JAVASCRIPT), (FIRST + 6, "the <iframe> element and everything in it")]
    )


def test_an_unknown_tag_is_reported_because_readers_lose_it(repo: GitRepo) -> None:
    assert body_problems(repo, "Ask <Ana Ruiz> first, then <center>A</center>.") == expected(
        [(FIRST, "the <ana> tag (its text is kept)"), (FIRST, "the <center> tag (its text is kept)")]
    )


def test_bodies_are_rendered_with_the_extensions_of_mkdocs_yml(repo: GitRepo) -> None:
    snippet = "Read this.\n{: onclick=alert(1) }"
    repo.write("mkdocs.yml", "site_name: Decisions\nmarkdown_extensions:\n  - toc\n")
    assert body_problems(repo, snippet) == [], "without attr_list the braces are text"
    repo.write("mkdocs.yml", "site_name: Decisions\nmarkdown_extensions:\n  - attr_list\n")
    assert body_problems(repo, snippet) == expected([(FIRST + 1, "the onclick attribute of <p>")])


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
    assert body_problems(repo, "```demo\nok\n```\n\n<script>alert(1)</script>") == expected([(FIRST + 4, SCRIPT)])


def test_a_snippet_pasted_in_by_an_extension_is_judged_too(repo: GitRepo) -> None:
    repo.write("mkdocs.yml", f"markdown_extensions:\n  - pymdownx.snippets:\n      base_path: {str(repo.root)!r}\n")
    repo.write("notes.html", "<p>Notes</p>\n<script>alert(1)</script>\n")
    assert body_problems(repo, '--8<-- "notes.html"') == [f"15: body: {SCRIPT} {SHOW}"], "the body's first line"


def test_setup_from_a_mapping_and_the_builtins_first() -> None:
    setup = setup_from({"attr_list": None, "toc": {"permalink": True}})
    assert setup.extensions == ("toc", "tables", "fenced_code", "attr_list")
    assert setup.configs == {"toc": {"permalink": True}}


SITE = setup_from(["admonition", "attr_list", "tables", {"toc": {"permalink": True}}])


def test_a_body_renders_with_the_sites_markdown_and_keeps_what_it_makes() -> None:
    body = (
        '## Context\n\nWe chose **A**.\n\n!!! warning "Costs"\n    It costs $5k.\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n'
        "```python\nprint('<b>')\n```\n\n```mermaid\ngraph LR\n  a --> b\n```\n\nSee [the plan](D-AAAAAB-plan.md#why).\n"
        "{: #see .wide }\n"
    )
    assert render_body(body, SITE) == render_body(body, SITE) and render_body(body, SITE).dropped == ()
    assert render_body(body, SITE).html == (
        '<h2 id="context">Context<a class="headerlink" href="#context" title="Permanent link">¶</a></h2>\n'
        "<p>We chose <strong>A</strong>.</p>\n"
        '<div class="admonition warning">\n<p class="admonition-title">Costs</p>\n<p>It costs $5k.</p>\n</div>\n'
        '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n</tbody>\n</table>\n'
        "<pre><code class=\"language-python\">print('&lt;b&gt;')\n</code></pre>\n"
        '<pre><code class="language-mermaid">graph LR\n  a --&gt; b</code></pre>\n\n'
        '<p class="wide" id="see">See <a href="D-AAAAAB-plan.md#why">the plan</a>.</p>'
    )


def test_what_is_dropped_is_said_in_words_and_gone_from_the_html() -> None:
    rendered = render_body('<p onclick="x" style="color:red">A</p>\n\n<script>alert(1)</script>', SITE)
    assert rendered.html == "<p>A</p>\n\n"
    assert rendered.dropped == (
        "the onclick attribute of <p>",
        "the style attribute of <p>",
        "the <script> element and everything in it",
    )


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("Plain prose: we chose A. Options: A, B.", False),
        ("<!-- What forces this decision now? -->\n\nWe chose A.", False),
        ("We chose <b>A</b>,<br/>not B.<br>", False),
        ("a < b, b<3, <= 2, <", False),
        ("## Context\n\nSee [the plan](https://example.com/plan) or [notes](notes.md).", False),
        ("[ask](mailto:ana@example.com)\n\n[p]: https://example.com", False),
        ("We chose <b onclick=alert(1)>A</b>.", True),
        ("We chose <script>x</script>.", True),
        ("We chose <SVG>.", True),
        ("We chose <center>A</center>.", True),
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
        ("[a](java\\-script:x)", True),
        ("[a]( <vbscript:x>)", True),
        ("[a](data:x)", True),
        ("[a](da\nta:x)", True),
        ("[a]: file:///etc/passwd", True),
        ("!!! md-dialog\n    Covers the page.", True),
        ("# \\_\\_config", True),
        ("\\_\\_config\n===", True),
        ("An _emphasis_ in prose.", False),
    ],
)
def test_the_prefilter_passes_only_bodies_from_which_nothing_can_be_dropped(body: str, flagged: bool) -> None:
    assert might_drop(body, SITE) is flagged


def test_with_an_extension_it_does_not_know_the_prefilter_passes_nothing() -> None:
    assert might_drop("Plain prose.", MarkdownSetup(("toc", "pymdownx.emoji")))
    assert might_drop("Plain prose.", setup_from([{"toc": {"permalink_class": "md-header"}}]))
    assert not might_drop("Plain prose.", setup_from([{"toc": {"permalink": True}}]))


def test_validating_plain_memos_does_not_load_markdown(repo: GitRepo) -> None:
    for n in range(3):
        repo.add_memo(f"D-AAAAA{n}")
    code = (
        "import sys; from pathlib import Path; from decide.config import Config; from decide.validate import validate; "
        f"assert validate(Config(root=Path({str(repo.root)!r}))).problems == (); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown', 'html', 'nh3')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_linking_cited_ids_writes_every_other_byte_of_the_html_back_as_it_was() -> None:
    from decide.site.body import markdown_html
    from decide.site.citations import link_ids

    for body in [*HOSTILE_BODIES.values(), *SCRIPT_BODIES.values()]:
        rendered = markdown_html(body, SITE) + "\n<p>D-</p>"
        assert link_ids(rendered, {"D-0000ZZ": "D-0000ZZ-x.md"}) == rendered, body


def test_a_cited_id_is_linked_in_text_and_headings_but_not_in_code_links_or_attributes() -> None:
    links = {"D-0000B1": "D-0000B1-first.md"}
    body = (
        "## After D-0000B1\n\nSee D-0000B1, `D-0000B1`, [D-0000B1](https://example.com/) and D-0000B12.\n\n"
        '<abbr title="D-0000B1">D-0000B1</abbr> &amp; D-0000ZZ\n'
    )
    rendered = render_body(body, SITE, links=links)
    assert rendered.dropped == ()
    assert rendered.html == (
        '<h2 id="after-d-0000b1">After <a href="D-0000B1-first.md">D-0000B1</a>'
        '<a class="headerlink" href="#after-d-0000b1" title="Permanent link">¶</a></h2>\n'
        '<p>See <a href="D-0000B1-first.md">D-0000B1</a>, <code>D-0000B1</code>, '
        '<a href="https://example.com/">D-0000B1</a> and D-0000B12.</p>\n'
        '<p><abbr title="D-0000B1"><a href="D-0000B1-first.md">D-0000B1</a></abbr> &amp; D-0000ZZ</p>'
    )
