"""The allowlist sanitizer: what the site's Markdown makes passes whole, what it removes is said, and the two agree."""

from __future__ import annotations

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decide.site.body import markdown_html, might_drop, setup_from
from decide.site.sanitize import (
    ALLOWED_TAGS,
    DROPPED_WITH_CONTENT,
    SAFE_SCHEMES,
    headings,
    rewrite_urls,
    sanitize,
    url_scheme,
)

SITE = setup_from(["admonition", "attr_list", "tables", {"toc": {"permalink": True}}])
# The extensions a Material site usually turns on, with the options its documentation shows.
RICH = setup_from(
    [
        "admonition",
        "attr_list",
        "abbr",
        "def_list",
        "footnotes",
        "md_in_html",
        "tables",
        {"toc": {"permalink": True}},
        "pymdownx.details",
        {"pymdownx.highlight": {"anchor_linenums": True, "line_spans": "__span"}},
        "pymdownx.inlinehilite",
        "pymdownx.superfences",
        "pymdownx.keys",
        "pymdownx.mark",
        "pymdownx.tilde",
        "pymdownx.caret",
        {"pymdownx.tabbed": {"alternate_style": True}},
        {"pymdownx.tasklist": {"custom_checkbox": True}},
    ]
)
EVERY_EXTENSION = """\
# Title _x_

[TOC]

| a | b |
|:-|-:|
| 1 | 2 |

!!! note "Heads up"
    Text.

??? warning "More"
    Hidden.

- [x] done
- [ ] todo

Term
:   Definition

Text[^1] with *HTML* ==mark== ~~del~~ ^^ins^^ H~2~O ++ctrl+alt+del++ `#!python print(1)`

[^1]: A note.

*[HTML]: Hyper Text

=== "Tab 1"
    One
=== "Tab 2"
    Two

```python linenums="1"
def f():
    return 1
```

<div markdown>
**Inside** HTML.
</div>

3. three
4. four

![A chart](chart.png){ width="300" }
"""


def test_what_the_usual_extensions_make_passes_the_allowlist_whole() -> None:
    html = markdown_html(EVERY_EXTENSION, RICH)
    clean = sanitize(html)
    assert clean.drops == ()
    for kept in (
        'class="headerlink"',
        '<div class="toc">',
        '<th align="left">',
        '<div class="admonition note">',
        '<details class="warning">',
        '<input type="checkbox" disabled="" checked="">',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">',
        '<abbr title="Hyper Text">',
        '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">',
        '<label for="__tabbed_1_2">',
        '<a id="__codelineno-0-1" name="__codelineno-0-1"></a>',
        '<span class="kn">' if '<span class="kn">' in html else '<span class="k">',
        '<img alt="A chart" src="chart.png" width="300">',
        "<strong>Inside</strong>",
    ):
        assert kept in clean.html, kept


@pytest.mark.parametrize(
    ("html", "kept", "dropped"),
    [
        ('<a href="https://x.example/a?b=1&amp;c">x</a>', '<a href="https://x.example/a?b=1&amp;c">x</a>', ()),
        ('<a href="../D-AAAAAA-plan.md#why">x</a>', '<a href="../D-AAAAAA-plan.md#why">x</a>', ()),
        ('<a href="mailto:ana@example.com">x</a>', '<a href="mailto:ana@example.com">x</a>', ()),
        ('<a href=" \tjava\nscript:alert(1)">x</a>', "<a>x</a>", ("the javascript: URL in the href of <a>",)),
        ('<a href="JAVASCRIPT:alert(1)">x</a>', "<a>x</a>", ("the javascript: URL in the href of <a>",)),
        ('<img src="data:image/png;base64,AA">', "<img>", ("the data: URL in the src of <img>",)),
        ('<a href="vbscript:x">x</a>', "<a>x</a>", ("the vbscript: URL in the href of <a>",)),
        ('<a href="file:///etc/passwd">x</a>', "<a>x</a>", ("the file: URL in the href of <a>",)),
        (
            "<form><button formaction=javascript:alert(1)>x</button></form>",
            "x",
            ("the <form> tag (its text is kept)", "the <button> tag (its text is kept)"),
        ),
        ('<base href="https://elsewhere.example/">', "", ("the <base> tag (its text is kept)",)),
        ('<meta http-equiv="refresh" content="0">', "", ("the <meta> tag (its text is kept)",)),
        ('<object data="x.swf">fallback</object>', "", ("the <object> element and everything in it",)),
        ("<!--> <img src=x onerror=alert(1)> -->", ' <img src="x"> --&gt;', ("the onerror attribute of <img>",)),
        ("<![CDATA[ x ]> <script>alert(1)</script> ]]>", "  ]]&gt;", ("the <script> element and everything in it",)),
        ("<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "", ("the <math> element and everything in it",)),
        ('<p class="note md-header decide-banner">x</p>', '<p class="note">x</p>', ('the class "md-header" of <p>',)),
        ('<h2 id="__config">x</h2>', "<h2>x</h2>", ('the id "__config" of <h2>',)),
        ('<label for="__drawer">x</label>', "<label>x</label>", ('the for "__drawer" of <label>',)),
        ('<input type="text" name="q">', '<input name="q">', ("the type attribute of <input>",)),
        ('<div data-md-component="search">x</div>', "<div>x</div>", ("the data-md-component attribute of <div>",)),
        ("<p>a<!-- secret -->b</p>", "<p>ab</p>", ()),
    ],
)
def test_the_sanitizer_keeps_what_is_safe_and_says_what_it_drops(
    html: str, kept: str, dropped: tuple[str, ...]
) -> None:
    clean = sanitize(html)
    assert (clean.html, tuple(d.words for d in clean.drops)) == (kept, dropped)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://x", "https"),
        (" \x00JavaScript:x", "javascript"),
        ("ja\tva\nscript:x", "javascript"),
        ("a/b:c", ""),
        ("#x", ""),
        ("C:\\x", "c"),
    ],
)
def test_url_schemes_are_read_as_browsers_read_them(url: str, scheme: str) -> None:
    assert url_scheme(url) == scheme


def test_links_and_headings_are_read_back_from_sanitized_html() -> None:
    html = sanitize(
        '<h2 id="ctx">A &lt;b&gt; <em>x</em><a class="headerlink" href="#ctx" title="P">¶</a></h2>'
        '<p><a title="a>b" href="D-X.md#y">l</a><img alt="i" src="a b.png"></p>'
    ).html
    assert rewrite_urls(html, lambda url: f"../{url}") == html.replace('"#ctx"', '"../#ctx"').replace(
        '"D-X.md#y"', '"../D-X.md#y"'
    ).replace('"a b.png"', '"../a b.png"')
    assert [(h.level, h.id, h.text) for h in headings(html)] == [(2, "ctx", "A &lt;b&gt; x")]


# Pieces of HTML that hit every rule of the allowlist, put together at random.
_TAGS = (
    sorted(ALLOWED_TAGS)[:12] + sorted(DROPPED_WITH_CONTENT)[:8] + ["center", "form", "button", "ana", "svg", "math"]
)
_ATTRIBUTES = st.sampled_from(
    ["id", "class", "title", "href", "src", "onclick", "style", "name", "for", "type", "data-x", "align", "open"]
)
_VALUES = st.sampled_from(
    [
        "x",
        "md-header",
        "__config",
        "__tabbed_1",
        "javascript:alert(1)",
        "https://x",
        "ftp://x",
        "data:x",
        "checkbox",
        "a b",
        "",
    ]
)
_PIECE = st.one_of(
    st.builds(lambda t, a, v: f'<{t} {a}="{v}">', st.sampled_from(_TAGS), _ATTRIBUTES, _VALUES),
    st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
    st.sampled_from(["text", "<!-- c -->", "<![x]>", "&lt;", "<p>", "</p>", "<table><tr><td>", "'", '"', ">"]),
)


@given(st.lists(_PIECE, max_size=12).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_when_nothing_is_reported_dropped_the_sanitizer_removed_nothing(html: str) -> None:
    # The same parser keeping every attribute of the allowed elements: what the HTML would be without the allowlist's rules.
    keep_all = nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        generic_attribute_prefixes={""},
        url_schemes=set(SAFE_SCHEMES) | {"javascript", "vbscript", "data", "file"},
        link_rel=None,
    )
    clean = sanitize(html)
    if not clean.drops:
        assert clean.html == keep_all.clean(html)


# Markdown and HTML pieces for the prefilter: each way a body could make something the allowlist removes.
_MARKDOWN = st.sampled_from(
    [
        *("word ", "\n", "\n\n", "# ", "## ", "===", "---", "> ", "- ", "1. ", "    ", "```", "`", "*", "_", "__"),
        *("[a]", "(", ")", "](", "]:", "![i]", "<", ">", "</", "/>", "b", "script", "img", "p", "div", "center"),
        *(" src=x", " onerror=alert(1)", " style=x", "javascript:", "java\\-script:", "data:", "https://x", "ftp:"),
        *("mailto:a@b", "{", "}", "{: ", " .md-x", " #__config", " onclick=x", "&#x61;", "&colon;", "&amp;", "&"),
        *("!!! ", "note", "md-dialog", "decide-x", "??? ", "=== ", '"T"', "[^1]", "*[X]: ", "| a |", "|:-|", "\\_"),
        *("<!--", "-->", "<b>", "</b>", "<br>", "<kbd>", "x", ":", "=", "'", '"', "\t"),
    ]
)


@given(st.lists(_MARKDOWN, max_size=16).map("".join), st.sampled_from([SITE, RICH]))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_prefilter_never_passes_a_body_the_sanitizer_would_change(body: str, setup: object) -> None:
    if not might_drop(body, setup):  # type: ignore[arg-type]
        assert sanitize(markdown_html(body, setup)).drops == ()  # type: ignore[arg-type]
