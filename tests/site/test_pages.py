"""The generated pages as data: content, escaping, links between pages, feeds, CLI reference."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import GitRepo
from site_log import NEW, OLD, OVERDUE, RETIRED, SCRIPT, SCRIPT_TITLE, WAITING_NEW, WAITING_OLD, write_site_log

from decide.cli import command_help, commands
from decide.config import load_config
from decide.decisions import load_log
from decide.index import build_index, render_json
from decide.schema import load_schemas
from decide.site.html import Linker, fences, safe_link
from decide.site.pages import SiteOptions, render_site

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def pages(repo: GitRepo) -> dict[str, str]:
    write_site_log(repo, TODAY)
    config = load_config(repo.root)
    schemas = [(s.source, s.document) for s in load_schemas(config)]
    options = SiteOptions(today=TODAY, site_url="https://decisions.example.com/")
    return render_site(load_log(config).memos, options, schemas=schemas, commands=command_help())


def page_of(pages: dict[str, str], memo_id: str) -> str:
    return next(text for path, text in pages.items() if path.startswith(f"decisions/{memo_id}"))


def test_every_page_kind_is_generated(pages: dict[str, str]) -> None:
    fixed = {"index.md", "log.md", "timeline.md", "graph.md", "tags.md", "how-we-decide.md", "cli.md"}
    assert fixed | {"people/index.md", "decisions.json", "feed.xml"} <= set(pages)
    assert sum(p.startswith("decisions/") and p.endswith(".md") for p in pages) == 7
    assert {"people/ana-ruiz.md", "people/bo-sand.md", "people/dara-lind.md"} <= set(pages)
    assert not any("tbd" in p for p in pages), "TBD is nobody and gets no page"


def test_front_matter_values_are_escaped_everywhere(pages: dict[str, str]) -> None:
    for path, text in pages.items():
        if path == "decisions.json":  # data, not HTML: served as JSON, read by programs
            continue
        assert "<script>" not in text, path
        assert "<b>bold</b>" not in text, path
    page = page_of(pages, SCRIPT)
    assert 'title: "&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert 'tags: ["&lt;b&gt;bold&lt;/b&gt;"]' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["log.md"]


def test_an_unsafe_input_link_is_shown_as_text_not_linked(pages: dict[str, str]) -> None:
    page = page_of(pages, NEW)
    assert '<a href="https://example.com/forecast">Finance forecast</a>' in page
    assert 'href="javascript' not in page
    assert "A pasted link (javascript:alert(2))" in page


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.example/a", True),
        ("mailto:a@example.com", True),
        ("../docs/a.md", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<b>", False),
        ("vbscript:x", False),
    ],
)
def test_safe_link(url: str, safe: bool) -> None:
    assert (safe_link(url) is not None) is safe


def test_home_lists_waiting_proposals_oldest_first_with_age(pages: dict[str, str]) -> None:
    home = pages["index.md"]
    waiting = home.split("## Proposals waiting")[1].split("## ")[0]
    assert waiting.index(WAITING_OLD) < waiting.index(WAITING_NEW)
    overdue = '<td data-label="Waiting" data-sort="20">20 days <span class="decide-flag decide-flag--overdue">overdue'
    assert overdue in waiting
    assert '<td data-label="Waiting" data-sort="3">3 days</td>' in waiting, (
        "the number of days sorts the column, not the text"
    )
    reviews = home.split("## Reviews due")[1].split("## ")[0]
    assert OVERDUE in reviews and "overdue" in reviews and NEW not in reviews
    assert "7 decisions" in home


def test_superseded_memo_has_a_banner_naming_its_successor_and_links_both_ways(pages: dict[str, str]) -> None:
    old, new = page_of(pages, OLD), page_of(pages, NEW)
    banner = old.split('<div class="admonition warning decide-banner"')[1].split("</div>")[0]
    assert f'<a href="../../decisions/{NEW}-move-billing-to-postgres/">{NEW}: Move billing to Postgres</a>' in banner
    assert f'<dt data-search-exclude>Supersedes</dt><dd><a href="../../decisions/{OLD}-host-billing-on-mysql/">' in new
    assert "decide-banner" not in new


def test_retired_memo_has_a_banner_with_its_reason(pages: dict[str, str]) -> None:
    page = page_of(pages, RETIRED)
    assert "This decision was retired on" in page and "the release train replaced the freeze." in page


def test_header_card_names_dri_escalation_and_review(pages: dict[str, str]) -> None:
    page = page_of(pages, NEW)
    assert (
        '<a href="../../people/ana-ruiz/">Ana Ruiz</a><span data-search-exclude> &lt;<a href="mailto:ana@example.com">'
        in page
    )
    assert 'hosting cost exceeds $50k a year → <a href="../../people/chen-park/">Chen Park</a>' not in page
    assert "hosting cost exceeds $50k a year → Chen Park" in page
    overdue = page_of(pages, OVERDUE)
    assert 'decide-flag--overdue">overdue</span>' in overdue


def test_per_dri_page_lists_current_decisions_first(pages: dict[str, str]) -> None:
    dara = pages["people/dara-lind.md"]
    assert dara.index(OVERDUE) < dara.index(WAITING_OLD) < dara.index(RETIRED)
    assert SCRIPT not in dara
    ana = pages["people/ana-ruiz.md"]
    assert NEW in ana and SCRIPT in ana, "Ana Ruiz with and without an email is one person"


def test_graph_draws_each_chain_as_svg_whose_boxes_link_to_the_memos(pages: dict[str, str]) -> None:
    graph = pages["graph.md"]
    assert graph.count('<svg class="decide-graph"') == 1 and "mermaid" not in graph and "<script" not in graph
    old = f'<a href="../decisions/{OLD}-host-billing-on-mysql/" class="decide-graph__node decide-graph__node--superseded">'
    new = f'<a href="../decisions/{NEW}-move-billing-to-postgres/" class="decide-graph__node decide-graph__node--decided">'
    assert old in graph and new in graph
    assert graph.index(old) < graph.index(new) and 'x="1" y="1"' in graph.split(old)[1].split("</a>")[0]
    assert 'x="271" y="1"' in graph.split(new)[1].split("</a>")[0], "the successor one column to the right"


def test_graph_labels_cut_at_32_characters_end_with_an_ellipsis(repo: GitRepo) -> None:
    repo.add_memo("D-0000B1", title="Move the billing database to a managed Postgres cluster in the EU")
    repo.add_memo("D-0000B2", title="Short title", supersedes=["D-0000B1"])
    graph = render_site(load_log(load_config(repo.root)).memos, SiteOptions(today=TODAY))["graph.md"]
    assert ">Move the billing database to a…</text>" in graph
    assert ">Short title</text>" in graph, "no ellipsis when the title fits"


def test_graph_texts_are_escaped_and_chains_are_drawn_apart(repo: GitRepo) -> None:
    repo.add_memo("D-0000B1", title='Quote " and ] and <b>')
    repo.add_memo("D-0000B2", title="Next", supersedes=["D-0000B1"])
    repo.add_memo("D-0000C1", title="Other")
    repo.add_memo("D-0000C2", title="Other again", supersedes=["D-0000C1"])
    repo.add_memo("D-0000C3", title="Third", supersedes=["D-0000C2"])
    memos = load_log(load_config(repo.root)).memos
    graph = render_site(memos, SiteOptions(today=TODAY))["graph.md"]
    assert ">Quote &quot; and ] and &lt;b&gt;</text>" in graph and "<b>" not in graph
    assert graph.count('<svg class="decide-graph"') == 2, "one drawing per chain"
    assert 'viewBox="0 0 772 48"' in graph, "three columns for D-0000C1 -> C2 -> C3"


def test_generated_html_is_fenced_so_it_can_skip_markdown(pages: dict[str, str]) -> None:
    RAW_START, RAW_END = fences()
    assert pages["log.md"].count(RAW_START) == pages["log.md"].count(RAW_END) == 1
    assert page_of(pages, NEW).count(RAW_START) == 2, "the card, and the body"


def test_json_feed_is_the_index(pages: dict[str, str], repo: GitRepo) -> None:
    memos = load_log(load_config(repo.root)).memos
    assert pages["decisions.json"] == render_json(build_index(memos))
    assert len(json.loads(pages["decisions.json"])["decisions"]) == 7


def test_rss_feed_lists_new_decisions_with_absolute_links(pages: dict[str, str]) -> None:
    channel = ET.fromstring(pages["feed.xml"]).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("guid") for i in items][:2] == [SCRIPT, NEW]
    assert items[0].findtext("title") == f"{SCRIPT}: {SCRIPT_TITLE}"
    assert items[1].findtext("link") == f"https://decisions.example.com/decisions/{NEW}-move-billing-to-postgres/"
    assert WAITING_OLD not in pages["feed.xml"]
    assert channel.findtext("title") == "Decisions: new decisions"
    assert channel.findtext("description") == (
        "The latest decisions, newest first, each with its status, its DRI and when it escalates."
    )


def _all_commands() -> list[str]:
    return [name for name, _ in command_help()]


def test_cli_reference_lists_every_registered_command(pages: dict[str, str]) -> None:
    names = [f"decide {n}" for n in commands()]
    assert names and set(names) <= set(_all_commands())
    for name, text in command_help():
        assert f"## {name}\n" in pages["cli.md"]
        assert text.splitlines()[0] in pages["cli.md"]


@pytest.mark.parametrize("columns", ["40", "200"])
def test_cli_reference_is_80_columns_wide_whatever_the_terminal_of_the_build(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    lines = [line for _name, text in command_help() for line in text.splitlines()]
    assert max(map(len, lines)) <= 80, [line for line in lines if len(line) > 80]
    assert max(map(len, lines)) > 70, "wrapped at 80, not at the terminal's 40"


def test_how_we_decide_renders_the_schema_fields(pages: dict[str, str]) -> None:
    text = pages["how-we-decide.md"]
    for field in ("id", "dri", "escalation", "review_by", "supersedes"):
        assert f"<code>{field}</code>" in text
    assert "once decided" in text and '"$id": "urn:decide-log:schema:decision:v1"' in text


@pytest.mark.parametrize(
    ("directory_urls", "source", "target", "expected"),
    [
        (True, "log.md", "decisions/D-1.md", "../decisions/D-1/"),
        (True, "index.md", "decisions/D-1.md", "decisions/D-1/"),
        (True, "decisions/D-1.md", "people/ana.md", "../../people/ana/"),
        (True, "decisions/D-1.md", "index.md", "../../"),
        (True, "index.md", "index.md", "./"),
        (True, "people/index.md", "feed.xml", "../feed.xml"),
        (False, "decisions/D-1.md", "index.md", "../index.html"),
        (False, "log.md", "people/index.md", "people/index.html"),
    ],
)
def test_links_between_pages(directory_urls: bool, source: str, target: str, expected: str) -> None:
    assert Linker(directory_urls).href(source, target) == expected


def test_page_generation_does_not_import_mkdocs() -> None:
    code = (
        "import sys, decide.site.pages; print(sorted(m for m in sys.modules if m.startswith(('mkdocs', 'material'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_needs_attention_lists_what_decide_due_lists_with_links(pages: dict[str, str]) -> None:
    due = pages["due.md"]
    dara = '<td data-label="DRI"><a href="../people/dara-lind/">Dara Lind</a></td>'
    overdue = f'<a href="../decisions/{OVERDUE}-keep-the-eu-region-warm/" class="decide-id">{OVERDUE}</a>'
    stale = f'<a href="../decisions/{WAITING_OLD}-adopt-a-weekly-on-call-rotation/" class="decide-id">{WAITING_OLD}</a>'
    assert f'<tr><td data-label="Decision">{overdue} Keep the EU region warm</td>{dara}' in due
    assert f'<tr><td data-label="Decision">{stale} Adopt a weekly on-call rotation</td>{dara}' in due
    assert WAITING_NEW not in due, "a proposal 3 days old is within the 14-day limit"
    assert "&lt;script&gt;" not in due and "<script>" not in due


def test_coordination_page_has_figures_and_inline_svg_charts(pages: dict[str, str]) -> None:
    stats = pages["stats.md"]
    assert "\n# Coordination\n" in stats
    assert "<svg" in stats
    assert "http" not in stats.replace("http://www.w3.org/2000/svg", ""), "charts load nothing from elsewhere"
    assert "1 of 5 decisions superseded (20%)" in stats


def test_home_and_needs_attention_say_the_day_ages_are_counted_from(pages: dict[str, str]) -> None:
    day = '<time datetime="2026-06-01">2026-06-01</time>'
    assert f"Ages, overdue flags and reviews due as of {day}, the day this site was built." in pages["index.md"]
    assert f"<p>As of {day}, the day this site was built: 2 items.</p>" in pages["due.md"]


def test_memo_page_shows_amends_both_ways_and_what_is_still_to_check(repo: GitRepo) -> None:
    old, new = "D-AAAAAA", "D-BBBBBB"
    repo.add_memo(old, title="Use the Custody API")
    repo.add_memo(new, title="Use the Elite2 API", amends=[old], needs_human=["dri: <b>confirm</b> the DRI"])
    config = load_config(repo.root)
    pages = render_site(load_log(config).memos, SiteOptions(today=TODAY), schemas=[], commands={})
    amended, amending = page_of(pages, old), page_of(pages, new)
    assert (
        f'<dt data-search-exclude>Amended by</dt><dd><a href="../../decisions/{new}-use-the-elite2-api/">'
        f"{new}: Use the Elite2 API</a></dd>" in amended
    )
    assert f'<dt data-search-exclude>Amends</dt><dd><a href="../../decisions/{old}-use-the-custody-api/">' in amending
    assert "decide-banner" not in amended
    assert (
        '<div class="admonition info decide-banner" data-search-exclude>\n<p class="admonition-title">To check</p>\n'
        "<p>This memo still needs a person to check it (<code>needs_human</code> in its front-matter):</p>\n"
        "<ul><li>dri: &lt;b&gt;confirm&lt;/b&gt; the DRI</li></ul>\n<p>Remove each item once it is done.</p>\n</div>"
    ) in amending


def test_log_links_titles_names_its_dates_and_carries_what_the_filter_reads(pages: dict[str, str]) -> None:
    log = pages["log.md"]
    assert "<th>Decided</th><th>Opened</th>" in log and "<th>Date</th>" not in log
    old = log.split('<tr data-status="superseded" data-dri="Bo Sand" data-tags="[&quot;billing&quot;]">')[1]
    old = old.split("</tr>")[0]
    link = f'<a href="../decisions/{OLD}-host-billing-on-mysql/">Host billing on MySQL</a>'
    successor = f'<a href="../decisions/{NEW}-move-billing-to-postgres/">{NEW}</a>'
    assert f'<td data-label="Title">{link} <span class="decide-replaced">superseded by {successor}</span></td>' in old
    assert '<form class="decide-filter" data-decide-filter hidden>' in log, "hidden until its script shows it"
    assert '<option value="superseded">superseded</option>' in log and '<option value="Bo Sand">Bo Sand</option>' in log
    assert '<option value="&lt;b&gt;bold&lt;/b&gt;">&lt;b&gt;bold&lt;/b&gt;</option>' in log


def test_superseded_by_shows_wherever_a_memo_is_listed(pages: dict[str, str]) -> None:
    note = '<span class="decide-replaced">superseded by <a href="../'
    for path in ("log.md", "timeline.md", "tags.md"):
        assert f'{note}decisions/{NEW}-move-billing-to-postgres/">{NEW}</a></span>' in pages[path], path
    assert f'{note}../decisions/{NEW}-move-billing-to-postgres/">{NEW}</a></span>' in pages["people/bo-sand.md"]
    assert "opened <time" in pages["timeline.md"] and "decided <time" in pages["timeline.md"]


def test_tags_page_lists_each_tags_memos_with_id_status_and_date(pages: dict[str, str]) -> None:
    tags = pages["tags.md"]
    assert "material/tags" not in tags
    billing = tags.split('<h2 id="tag:billing">billing</h2>')[1].split("<h2 ")[0]
    assert billing.index(NEW) < billing.index(OLD), "newest first"
    assert 'decide-badge--superseded">superseded</span>' in billing and "<th>Decided</th><th>Opened</th>" in billing
    assert '<h2 id="tag:ltbgtboldltbgt">&lt;b&gt;bold&lt;/b&gt;</h2>' in tags
    assert '<a href="#tag:billing">billing (2)</a>' in tags


def test_ids_cited_in_a_body_link_to_their_memo_but_not_in_code_or_links(repo: GitRepo) -> None:
    repo.add_memo("D-0000B1", title="First")
    body = (
        "## Context\n\nSee D-0000B1 and D-0000ZZ. `D-0000B1` and [D-0000B1](https://example.com/).\n\n"
        "```\nD-0000B1\n```\n"
    )
    repo.add_memo("D-0000B2", title="Second", body=body)
    page = render_site(load_log(load_config(repo.root)).memos, SiteOptions(today=TODAY))["decisions/D-0000B2-second.md"]
    assert '<p>See <a href="D-0000B1-first.md">D-0000B1</a> and D-0000ZZ. <code>D-0000B1</code> and ' in page
    assert '<a href="https://example.com/">D-0000B1</a>' in page and "<pre><code>D-0000B1\n</code></pre>" in page


def test_graph_of_a_few_hundred_memos_draws_every_chain_in_columns(repo: GitRepo) -> None:
    from decide.site.graph import find_chains

    edges = [(f"D-{i:06d}", f"D-{i + 1:06d}") for i in range(250)]  # one chain of 251 memos
    edges += [("D-00A000", f"D-00B{i:03d}") for i in range(40)]  # one memo replaced by 40
    chains = find_chains(edges)
    assert len(chains) == 2
    long = next(c for c in chains if len(c.places) == 251)
    assert long.places["D-000000"] == (0, 0) and long.places["D-000250"] == (250, 0)
    fan = next(c for c in chains if len(c.places) == 41)
    assert fan.places["D-00A000"] == (0, 0) and sorted(r for c, r in fan.places.values() if c == 1) == list(range(40))
