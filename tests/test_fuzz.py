"""Fuzzed memos: bodies and front-matter built from the pieces of known attacks never raise, and no page they make holds script.

Each example goes the whole way a memo goes: parsed, checked against the schema, the body rules and a
roster, then published with every page of the site rendered as the plugin renders it (generated blocks
set aside, the site's Markdown, blocks put back, the title in a heading as the theme shows it). The
HTML5 parse of each page, by html5lib (an implementation of the parsing algorithm browsers use),
may hold no script or style element, no event handler, no style attribute and no script or data URL.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import html5lib
import yaml
from conftest import memo_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decide.config import Config
from decide.memo import parse
from decide.roster import check_people, parse_roster
from decide.schema import Checker, load_schemas
from decide.site.body import BodyCheck
from decide.site.html import put_back, set_aside
from decide.site.pages import SiteOptions, render_site
from decide.validate import check_memo

EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list"]
PIECES = [
    *("<script>alert(1)</script>", "<svg onload=alert(1)>", "<img src=x onerror=alert(1)>", "<style>*{}</style>"),
    *('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<textarea>", "</textarea>"),
    *("<title>", "<xmp>", "<iframe srcdoc=x>", "<math><mi xlink:href=javascript:alert(1)>", "<!-->", "--!>"),
    *(
        "<!-- decide:html -->",
        "<!-- /decide:html -->",
        "<!-- decide:block 0 -->",
        "<!-- decide:block 1 -->",
        "<div><![x]>",
    ),
    *("[plan](javascript:alert(1))", "[p](jav&#x61;script:x)", "[p]: javascript:x", "![i](data:text/html,x)"),
    *("{: onclick=alert(1) }", '{: style="color:red" }', "{: .md-dialog #__config }", "`x`{: onmouseover=x }"),
    *("```", "~~~", "```mermaid\n", "    ", "> ", "- ", "# ", "!!! note", "\n", "\n\n", "<", ">", "&", '"', "'"),
    *("<a href=", "javascript:", "java\nscript:", " onerror=", "alert(1)", "<b>", "</b>", "<p ", "=", "x", "é"),
]
BODY = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=14).map("".join)
HOSTILE = st.one_of(st.sampled_from(PIECES), st.text(max_size=20), BODY)
VALUE = st.recursive(
    st.one_of(HOSTILE, st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["who", "what", "link", "trigger", "to", "date", "note"]), inner, max_size=3),
    ),
    max_leaves=6,
)
FIELDS = st.dictionaries(
    st.sampled_from(
        [
            "title",
            "dri",
            "status",
            "date",
            "decided_on",
            "tags",
            "inputs",
            "escalation",
            "reason",
            "reviews",
            "aliases",
            "supersedes",
            "x-note",
        ]
    ),
    VALUE,
    max_size=5,
)
ROSTER = parse_roster("- name: Ana Ruiz\n  role: CTO\n", "decisions/people.yml")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcdoc"}


def _live(tree: Any) -> list[str]:
    """Everything in an HTML5 tree that runs script or styles the page."""
    found = []
    for element in tree.iter():
        tag = str(element.tag).rpartition("}")[2]
        if tag in ("script", "style", "iframe", "object", "embed", "base", "meta", "link"):
            found.append(tag)
        for key, value in element.attrib.items():
            name = str(key[1] if isinstance(key, tuple) else key).rpartition("}")[2].lower()
            if name.startswith("on") or name == "style":
                found.append(f"{tag} {name}")
            elif name in URL_ATTRIBUTES and "".join(value.split()).lower().startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                found.append(f"{tag} {name}={value}")
    return found


def _rendered(page: str) -> str:
    """A generated page as the site shows it: the plugin's blocks and the site's Markdown, under the theme's heading."""
    import markdown

    meta, _, body = page.removeprefix("---\n").partition("\n---\n")
    title = (yaml.safe_load(meta) or {}).get("title", "") if page.startswith("---\n") else ""
    blocks: list[str] = []
    content = markdown.markdown(set_aside(body, blocks), extensions=EXTENSIONS)
    return f"<h1>{title}</h1>\n{put_back(content, blocks)}"


CHECKER = Checker(load_schemas(Config(root=Path("/nonexistent"))))  # the packaged schema alone


@given(body=BODY, fields=FIELDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_fuzzed_memo_raises_nothing_and_no_page_it_makes_holds_script(body: str, fields: dict[str, Any]) -> None:
    memos = []
    for memo_id, extra in (("D-AAAAAA", fields), ("D-AAAAAB", {"supersedes": ["D-AAAAAA"], "title": "Newer"})):
        try:
            text = memo_text(memo_id, body=body, **extra)
        except yaml.YAMLError:
            continue
        parsed = parse(text, f"decisions/{memo_id}-x.md")
        if parsed.memo is not None:
            CHECKER.check(parsed.memo)
            check_memo(parsed.memo, BodyCheck())
            check_people(parsed.memo, ROSTER)
            memos.append(parsed.memo)
    pages = render_site(memos, SiteOptions(today=datetime.date(2026, 6, 1)))
    for path, page in pages.items():
        if path.endswith(".md"):
            tree = html5lib.parse(_rendered(page), namespaceHTMLElements=False)
            assert _live(tree) == [], path


@given(
    st.lists(
        st.one_of(
            st.sampled_from([*PIECES, ": ", "- ", "  ", "id: ", "title: ", "&a", "*a", "!!x", "{", "["]),
            st.text(max_size=6),
        ),
        max_size=16,
    ).map("".join)
)
@settings(max_examples=200, deadline=None)
def test_any_front_matter_text_ends_in_problems_not_a_traceback(front: str) -> None:
    parsed = parse(f"---\n{front}\n---\n\nBody.\n", "decisions/D-AAAAAA-x.md")
    if parsed.memo is not None:
        CHECKER.check(parsed.memo)
        check_memo(parsed.memo, BodyCheck())
    else:
        assert parsed.problems
