"""The How-we-decide page: values from the configuration stay text whatever Markdown or HTML they hold."""

from __future__ import annotations

import html5lib

from decide.schema import PACKAGED, packaged_schema_text
from decide.site.guide import render_how_we_decide
from decide.site.html import put_back, set_aside

# The site's extensions (this repository's mkdocs.yml), as MkDocs renders a generated page with them.
EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list"]
PATHS = [
    "[plan](javascript:alert(1)).json",
    "s.json {: onclick=alert(1) }",
    "<img src=x onerror=alert(1)>.json",
    "`x`{: onmouseover=alert(1)} <javascript:alert(1)> ![i](javascript:alert(1))",
]


def _page(source: str) -> object:
    import json

    import markdown

    text = render_how_we_decide([(PACKAGED, json.loads(packaged_schema_text())), (source, {"properties": {}})])
    blocks: list[str] = []
    body = text.split("\n---\n", 1)[1]
    rendered = markdown.markdown(
        set_aside(body, blocks), extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}}
    )
    return html5lib.parse(put_back(rendered, blocks), namespaceHTMLElements=False)


def test_a_schema_path_from_decide_toml_is_text_in_the_headings() -> None:
    for source in PATHS:
        tree = _page(source)
        headings = ["".join(h.itertext()).removesuffix("¶") for h in tree.iter() if h.tag in ("h2", "h3")]  # type: ignore[attr-defined]
        assert f"Fields added by {source}" in headings and f"The schema ({source})" in headings, source
        live = [
            (element.tag, name)
            for element in tree.iter()  # type: ignore[attr-defined]
            for name, value in element.attrib.items()
            if name.startswith("on") or "javascript:" in value
        ]
        assert live == [], source
        assert not [e for e in tree.iter() if e.tag in ("img", "script")], source  # type: ignore[attr-defined]
