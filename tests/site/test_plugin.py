"""Real MkDocs builds (``--strict``) of this repository's log and of a fixture log, and the build/serve commands."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import Result
from conftest import GitRepo
from site_log import (
    NEW,
    OLD,
    OVERDUE,
    REPO,
    RETIRED,
    SCRIPT,
    WAITING_NEW,
    WAITING_OLD,
    copy_site_config,
    write_hostile_log,
    write_site_log,
)

from decide.cli import command_help
from decide.site.build import build_site
from decide.site.html import fences, put_back, set_aside
from decide.site.plugin import NO_SITE_URL, search_text

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


pytestmark = pytest.mark.slow  # each test builds a site with MkDocs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture log built once with ``--strict``; returns the site directory."""
    from conftest import init_repo

    repo = init_repo(tmp_path_factory.mktemp("site") / "repo")
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    repo.commit("log")
    site = repo.root.parent / "public"
    assert build_site(repo.root, strict=True, site_dir=site).site_dir == site
    assert repo.git("status", "--porcelain") == "", "a build writes nothing into the repository"
    return site


def memo_dir(site: Path, memo_id: str) -> Path:
    return next((site / "decisions").glob(f"{memo_id}-*/"))


def memo_html(site: Path, memo_id: str) -> str:
    return (memo_dir(site, memo_id) / "index.html").read_text()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def broken_links(site: Path) -> list[str]:
    """Every relative link or script in every page whose target file is not in the site."""
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served for any path, so it links from the site root
            continue
        parser = _Links()
        parser.feed(page.read_text())
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target /= "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    return broken


class _Scripted(HTMLParser):
    """Everything in a page that runs script: elements, on… handlers, script URLs; the theme's own scripts aside."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._inline = tag == "script" and not values.get("src")
        if tag in ("iframe", "object", "embed", "base") or (
            tag == "script" and urlsplit(values.get("src") or "").scheme
        ):
            self.found.append(self.get_starttag_text() or tag)
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            if name.startswith("on") or url.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(self.get_starttag_text() or name)

    def handle_data(self, data: str) -> None:
        if self._inline and "alert" in data:
            self.found.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._inline = False


def scripted(html: str) -> list[str]:
    parser = _Scripted()
    parser.feed(html)
    parser.close()
    return parser.found


def test_this_repositorys_own_log_builds_strict(tmp_path: Path) -> None:
    site = build_site(REPO, strict=True, site_dir=tmp_path / "site").site_dir
    assert (site / "index.html").is_file() and (site / "log" / "index.html").is_file()
    assert len(list((site / "decisions").glob("D-*/index.html"))) == len(list((REPO / "decisions").glob("D-*.md")))


def mkdocs_build(repo: GitRepo, site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` run directly (no ``decide build``, so nothing validated the log first)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", *options, "-d", str(site)]
    return subprocess.run(command, check=False, cwd=repo.root, capture_output=True, text=True, env=env)


def test_mkdocs_build_strict_works_directly(repo: GitRepo, tmp_path: Path) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    done = mkdocs_build(repo, tmp_path / "out", "--strict")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert (tmp_path / "out" / "people" / "dara-lind" / "index.html").is_file()


def test_mkdocs_build_strict_directly_stops_on_a_warning(repo: GitRepo, tmp_path: Path) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    repo.add_memo("D-0000C3", body="\n## Context\n\nSee [the plan](D-0000ZZ-missing.md).\n")
    done = mkdocs_build(repo, tmp_path / "out", "--strict")
    assert done.returncode == 1
    assert "contains a link 'D-0000ZZ-missing.md', but the target" in done.stderr
    assert "Aborted with 1 warnings in strict mode!" in done.stdout + done.stderr


UNSAFE_BODY = "\n## Context\n\n<script>alert(1)</script>\n\nWe chose A.\n"
DROPPED = (
    "body: the <script> element and everything in it would be dropped from the site; remove it, or put it in a "
    "code block to show it as text"
)
UNSAFE_WARNING = "WARNING -  decisions/{name}:17: " + DROPPED + " (run 'decide validate')"


def test_plain_mkdocs_build_strict_refuses_a_memo_that_would_run_script(repo: GitRepo, tmp_path: Path) -> None:
    copy_site_config(repo)
    path = repo.add_memo("D-0000D1", body=UNSAFE_BODY)
    done = mkdocs_build(repo, tmp_path / "out", "--strict")
    assert done.returncode == 1
    assert UNSAFE_WARNING.format(name=path.name) in done.stderr
    assert "Aborted with 1 warnings in strict mode!" in done.stdout + done.stderr


def test_plain_mkdocs_build_publishes_an_unsafe_body_without_what_the_sanitizer_drops(
    repo: GitRepo, tmp_path: Path
) -> None:
    copy_site_config(repo)
    path = repo.add_memo("D-0000D1", body=UNSAFE_BODY)
    done = mkdocs_build(repo, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert UNSAFE_WARNING.format(name=path.name) in done.stderr
    page = memo_html(tmp_path / "out", "D-0000D1")
    assert "alert(1)" not in page
    assert '<div class="decide-body">\n<h2 id="context">Context' in page and "<p>We chose A.</p>" in page


def test_plain_mkdocs_build_strict_reports_every_validation_problem(repo: GitRepo, tmp_path: Path) -> None:
    copy_site_config(repo)
    team = repo.add_memo("D-0000D2", dri="Sales team")
    repo.write("decisions/D-0000D3-broken.md", "broken\n")
    done = mkdocs_build(repo, tmp_path / "out", "--strict")
    assert done.returncode == 1
    assert (
        f'WARNING -  decisions/{team.name}:7: dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")'
        " (run 'decide validate')"
    ) in done.stderr
    assert (
        "WARNING -  decisions/D-0000D3-broken.md:1: has no front-matter; start the file with a '---' line, the fields, "
        "then '---' (left out of the site; run 'decide validate')"
    ) in done.stderr


def test_an_unreadable_memo_is_a_warning_and_left_out_of_the_site(repo: GitRepo, tmp_path: Path) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    repo.write("decisions/D-0000D3-broken.md", "broken\n")
    built = build_site(repo.root, site_dir=tmp_path / "site")
    assert built.warnings == (
        "decisions/D-0000D3-broken.md:1: has no front-matter; start the file with a '---' line, the fields, then '---'"
        " (left out of the site; run 'decide validate')",
    )
    assert not list((tmp_path / "site" / "decisions").glob("D-0000D3*"))
    assert (tmp_path / "site" / "decisions" / f"{NEW}-move-billing-to-postgres" / "index.html").is_file()


def test_a_mermaid_fence_in_a_memo_shows_its_source_as_code_and_no_diagram_script_ships(
    repo: GitRepo, tmp_path: Path
) -> None:
    diagram = "```mermaid\ngraph LR\n  a --> b\n```\n"
    example = "````markdown\n```mermaid\nnot a diagram\n```\n````\n"
    memo_id = "D-0000B1"
    repo.add_memo(memo_id, body=f"\n## Context\n\nSee:\n{diagram}\n{example}\n## Decision\n\nA.\n")
    copy_site_config(repo)
    site = build_site(repo.root, strict=True, site_dir=tmp_path / "site").site_dir
    page = memo_html(site, memo_id)
    assert '<pre><code class="language-mermaid">graph LR\n  a --&gt; b</code></pre>' in page
    assert 'class="mermaid"' not in page and "not a diagram" in page
    assert "mermaid.min.js" not in page and not (site / "assets" / "decide" / "mermaid.min.js").exists()


def test_no_link_in_the_built_site_is_broken(built: Path) -> None:
    assert broken_links(built) == []


def test_hostile_title_shows_as_text(built: Path) -> None:
    page = memo_html(built, SCRIPT)
    assert "<script>alert(1)</script>" not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    for path in built.rglob("*.html"):
        assert "<script>alert(1)" not in path.read_text(), path


def test_no_front_matter_value_runs_script_on_any_page(repo: GitRepo, tmp_path: Path) -> None:
    write_hostile_log(repo, datetime.date.today())
    copy_site_config(repo)
    site = build_site(repo.root, site_dir=tmp_path / "site").site_dir  # warns: the memos are invalid
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 30
    found = {str(p.relative_to(site)): scripted(p.read_text()) for p in pages}
    assert {page: what for page, what in found.items() if what} == {}
    channel = ET.fromstring((site / "feed.xml").read_text()).find("channel")
    assert channel is not None
    for item in channel.findall("item"):  # feed readers read titles as text and descriptions as HTML
        assert scripted(item.findtext("description") or "") == []
        assert "<" not in (item.findtext("description") or "").replace("&lt;", "")
    people = site / "people"
    assert {p.name for p in people.iterdir()} >= {"ana-javascript-alert-1", "bo-onclick-alert-1"}
    heading = '<h1 id="anajavascriptalert1">[Ana](javascript:alert(1))<a class="headerlink"'
    assert heading in (people / "ana-javascript-alert-1" / "index.html").read_text()
    heading = '<h1 id="bo-onclickalert1">Bo {: onclick=alert(1) }<a class="headerlink"'
    assert heading in (people / "bo-onclick-alert-1" / "index.html").read_text()
    assert '<h2 id="undated">Undated' in (site / "timeline" / "index.html").read_text(), "a date that is not one"


def test_memo_page_has_card_then_body(built: Path) -> None:
    page = memo_html(built, NEW)
    card = page.index('<div class="decide-card">')
    assert card < page.index('id="context"') and "decide:block" not in page
    assert "hosting cost exceeds $50k a year → Chen Park" in page
    old = memo_html(built, OLD)
    assert "decide-banner" in old and f"{NEW}: Move billing to Postgres" in old


def test_home_shows_waiting_proposals(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert WAITING_OLD in home and "20 days" in home


class _Tables(HTMLParser):
    """The text of every table cell, by table and row: ``tables[0][1]`` is the first table's second row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def section(html: str, heading_id: str) -> str:
    """The HTML from the heading with this id to the next heading of that level or higher."""
    start = html.index(f'id="{heading_id}"')
    level = html.rindex("<h", 0, start) + 2
    ends = [html.find(f"<h{n}", start) for n in range(1, int(html[level]) + 1)]
    return html[start : min([e for e in ends if e != -1], default=len(html))]


def ids_in(html: str) -> list[str]:
    """The memo IDs linked in ``html``, in order (one per link; a row's ID and title links count once)."""
    found = re.findall(r'href="[^"]*decisions/(D-[0-9A-Z]{6})-', html)
    return [memo_id for i, memo_id in enumerate(found) if i == 0 or found[i - 1] != memo_id]


def ago(days: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


def test_home_lists_the_newest_decisions_newest_first(built: Path) -> None:
    newest = section((built / "index.html").read_text(), "newest-decisions")
    assert ids_in(newest) == [SCRIPT, NEW, OVERDUE], "decided memos by decision date, newest first"
    assert [row[-1] for row in tables(newest)[0][1:]] == [ago(29), ago(35), ago(199)]


def test_home_counts_decisions_by_status(built: Path) -> None:
    home = (built / "index.html").read_text()
    counts = re.search(r'<p class="decide-counts">(.*?)</p>', home, re.DOTALL)
    assert counts is not None
    text = " ".join(re.sub(r"<[^>]+>", "", counts.group(1)).split())
    assert text == "7 decisions: decided 3 proposed 2 superseded 1 retired 1"


def test_timeline_groups_memos_under_the_month_they_were_decided(built: Path) -> None:
    page = (built / "timeline" / "index.html").read_text()
    days = {OLD: 340, NEW: 35, SCRIPT: 29, WAITING_OLD: 20, WAITING_NEW: 3, RETIRED: 499, OVERDUE: 199}
    expected: dict[str, set[str]] = {}
    for memo_id, days_ago in days.items():  # decided on, or opened on while proposed
        expected.setdefault(ago(days_ago)[:7], set()).add(memo_id)
    months = re.findall(r'<h2 id="(\d{4}-\d{2})"', page)
    assert months == sorted(expected, reverse=True), "newest month first"
    listed = {month: set(re.findall(r'decisions/(D-[0-9A-Z]{6})-[^"]*">\1:', section(page, month))) for month in months}
    assert listed == expected
    assert f'superseded by <a href="../decisions/{NEW}-move-billing-to-postgres/">{NEW}</a>' in section(
        page, ago(340)[:7]
    )


def test_tags_page_lists_each_tags_memos(built: Path) -> None:
    page = (built / "tags" / "index.html").read_text()
    [billing] = tables(section(page, "tag:billing"))
    assert billing[0] == ["ID", "Title", "Status", "DRI", "Decided", "Opened"]
    assert billing[1] == [NEW, "Move billing to Postgres", "decided", "Ana Ruiz", ago(35), ago(40)]
    assert billing[2] == [
        OLD,
        f"Host billing on MySQL superseded by {NEW}",
        "superseded",
        "Bo Sand",
        ago(340),
        ago(400),
    ]
    assert ids_in(section(page, "tag:databases")) == [NEW]
    assert ids_in(section(page, "tag:ltbgtboldltbgt")) == [SCRIPT]


def test_log_table_has_status_dri_date_and_tags_columns(built: Path) -> None:
    [table] = tables((built / "log" / "index.html").read_text())
    assert table[0] == ["ID", "Title", "Status", "DRI", "Decided", "Opened", "Tags"]
    rows = {row[0]: row for row in table[1:]}
    new = [NEW, "Move billing to Postgres", "decided", "Ana Ruiz", ago(35), ago(40), "billing, databases"]
    assert rows[NEW] == new
    assert rows[OLD][1:] == [
        f"Host billing on MySQL superseded by {NEW}",
        "superseded",
        "Bo Sand",
        ago(340),
        ago(400),
        "billing",
    ]
    assert rows[WAITING_NEW][2:] == ["proposed", "TBD", "", ago(3), ""], "not decided: no decision date"
    assert rows[RETIRED][2:4] == ["retired", "Dara Lind"] and rows[RETIRED][5] == ago(500)


def test_log_tags_link_to_their_tag_on_the_tags_page(built: Path) -> None:
    log = (built / "log" / "index.html").read_text()
    links = re.findall(r'<a href="\.\./tags/#([^"]+)">([^<]*)</a>', log)
    assert sorted(set(links)) == [
        ("tag:billing", "billing"),
        ("tag:databases", "databases"),
        ("tag:ltbgtboldltbgt", "&lt;b&gt;bold&lt;/b&gt;"),
    ]
    tags = (built / "tags" / "index.html").read_text()
    for anchor, _name in links:
        assert f'<h2 id="{anchor}">' in tags, f"no heading #{anchor} on the tags page"


def test_a_persons_table_does_not_repeat_them_as_dri(built: Path) -> None:
    [table] = tables((built / "people" / "dara-lind" / "index.html").read_text())
    assert table[0] == ["ID", "Title", "Status", "Escalates when → to", "Decided", "Tags"]
    assert table[1][:4] == [OVERDUE, "Keep the EU region warm", "decided", "cost exceeds $50k a year → CTO"]


def _card_row(page: str, label: str) -> str:
    found = re.search(rf"<dt data-search-exclude>{label}</dt><dd>(.*?)</dd>", page)
    assert found is not None, f"no {label} row"
    return found.group(1)


def test_header_card_shows_superseded_by_and_decided_on(built: Path) -> None:
    superseded_by = _card_row(memo_html(built, OLD), "Superseded by")
    assert (
        superseded_by
        == f'<a href="../../decisions/{NEW}-move-billing-to-postgres/">{NEW}: Move billing to Postgres</a>'
    )
    decided_on = _card_row(memo_html(built, NEW), "Decided on")
    assert decided_on == f'<time datetime="{ago(35)}">{ago(35)}</time>'
    assert "<dt data-search-exclude>Decided on</dt>" not in memo_html(built, WAITING_OLD), "not while proposed"


def test_memo_pages_stay_out_of_the_navigation(built: Path) -> None:
    for page in (built / "index.html", built / "graph" / "index.html", memo_dir(built, NEW) / "index.html"):
        html = page.read_text()
        links = re.findall(r'href="([^"]*)"', _primary_nav(html) + _tabs(html))
        assert any(link.endswith("log/") for link in links), "the index pages are listed"
        assert not [link for link in links if "decisions/D-" in link], page


def test_search_indexes_memo_cards_not_bodies(built: Path) -> None:
    index = json.loads((built / "search" / "search_index.json").read_text())
    entries = {d["location"]: d for d in index["docs"]}
    new = next(d for loc, d in entries.items() if loc.startswith(f"decisions/{NEW}"))
    assert new["title"] == "Move billing to Postgres"
    assert new["text"] == f"<p>{NEW} Ana Ruiz</p>"
    assert new["tags"] == ["billing", "databases"]
    assert sum(loc.startswith(f"decisions/{NEW}") for loc in entries) == 1, "one entry per memo, no body sections"
    assert not any(loc.startswith(("log/", "timeline/")) for loc in entries)
    assert entries["people/ana-ruiz/"]["title"] == "Ana Ruiz"


def test_feeds_and_bundled_scripts_are_published(built: Path) -> None:
    data = json.loads((built / "decisions.json").read_text())
    assert {d["id"] for d in data["decisions"]} >= {NEW, OLD, SCRIPT}
    assert (built / "feed.xml").read_text().startswith("<?xml")
    home = (built / "index.html").read_text()
    assert "assets/decide/tablesort.min.js" in home and "assets/decide/log-filter.js" in home
    graph = (built / "graph" / "index.html").read_text()
    assert "mermaid" not in graph and '<svg class="decide-graph"' in graph
    assert "fonts.googleapis.com" not in home and "unpkg.com" not in home


def test_every_page_names_the_rss_feed(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if "assets" not in p.parts and p.name != "404.html"]
    for page in pages:
        found = re.search(
            r'<link rel="alternate" type="application/rss\+xml" title="([^"]*)" href="([^"]*)">', page.read_text()
        )
        assert found is not None, page
        assert found.group(1) == "Decisions: new decisions"
        assert (page.parent / found.group(2)).resolve() == (built / "feed.xml").resolve(), page


def test_without_site_url_the_build_notes_that_feed_links_are_relative(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    monkeypatch.delenv("SITE_URL", raising=False)
    built = build_site(repo.root, strict=True, site_dir=tmp_path / "relative")
    assert (built.notes, built.warnings) == ((NO_SITE_URL,), ()), "a note, not a warning: --strict still builds"
    assert "<link>decisions/" in (tmp_path / "relative" / "feed.xml").read_text()
    monkeypatch.setenv("SITE_URL", "https://decisions.example.com/log/")  # this project's mkdocs.yml reads it
    built = build_site(repo.root, strict=True, site_dir=tmp_path / "absolute")
    assert built.notes == ()
    assert (
        f"<link>https://decisions.example.com/log/decisions/{NEW}-" in (tmp_path / "absolute" / "feed.xml").read_text()
    )


def test_decide_build_shows_the_note_about_site_url(
    repo: GitRepo, invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    monkeypatch.delenv("SITE_URL", raising=False)
    result = invoke("build", "--strict", "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert f"Note: {NO_SITE_URL}\n" in result.stderr


def test_cli_reference_page_lists_every_command(built: Path) -> None:
    page = (built / "cli" / "index.html").read_text()
    for name, _text in command_help():
        slug = re.sub(r"\W+", "-", name).strip("-")
        assert f'id="{slug}"' in page, f"{name} is missing from the command-line reference"


def build_with_option(repo: GitRepo, site: Path, option: str) -> Path:
    """The fixture log built with one ``decide`` plugin option set in mkdocs.yml, e.g. ``search_bodies: true``."""
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - decide\n", f"  - decide:\n      {option}\n"))
    return build_site(repo.root, strict=True, site_dir=site).site_dir


def test_search_bodies_option_indexes_bodies(repo: GitRepo, tmp_path: Path) -> None:
    site = build_with_option(repo, tmp_path / "site", "search_bodies: true")
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    assert any(d["location"].startswith(f"decisions/{NEW}") and "Why." in d["text"] for d in docs)


def _search_workers(site: Path) -> list[Path]:
    return sorted((site / "assets" / "javascripts" / "workers").iterdir())


def test_search_is_answered_by_decides_worker(built: Path) -> None:
    [worker] = _search_workers(built)  # Material's source map is gone with its worker
    assert re.fullmatch(r"search\.[0-9a-f]+\.min\.js", worker.name)
    assert worker.read_bytes() == (REPO / "decide" / "site" / "assets" / "search-worker.js").read_bytes()


def test_search_worker_option_off_keeps_materials_lunr_search(repo: GitRepo, tmp_path: Path) -> None:
    site = build_with_option(repo, tmp_path / "site", "search_worker: false")
    worker, source_map = _search_workers(site)
    assert source_map.name == f"{worker.name}.map"
    assert "lunr" in worker.read_text()


def test_generated_page_clashing_with_a_doc_is_refused(repo: GitRepo, tmp_path: Path) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    (repo.root / "docs" / "log.md").write_text("# My log\n")
    from decide.errors import CannotRun

    with pytest.raises(CannotRun, match=r"decide: docs/log\.md clashes with a generated page; rename or remove it"):
        build_site(repo.root, site_dir=tmp_path / "site")


def test_set_aside_and_put_back_round_trip() -> None:
    RAW_START, RAW_END = fences()
    markdown = f"# T\n\n{RAW_START}\n<table><tr><td>a</td></tr></table>\n{RAW_END}\n\ntext\n"
    blocks: list[str] = []
    aside = set_aside(markdown, blocks)
    assert "<table>" not in aside and blocks == ["<table><tr><td>a</td></tr></table>"]
    assert put_back(aside, blocks) == markdown.replace(f"{RAW_START}\n", "").replace(f"\n{RAW_END}", "")


def test_search_text_drops_labels_dates_and_banner() -> None:
    head = (
        '<div class="decide-banner" data-search-exclude><p>Superseded</p></div>'
        '<dl><div><dt data-search-exclude>DRI</dt><dd><a href="x">Ana Ruiz</a><span data-search-exclude> &lt;a@x&gt;</span></dd></div>'
        '<div data-search-exclude><dt>Opened</dt><dd><time datetime="2026-01-01">2026-01-01</time></dd></div></dl>'
    )
    assert search_text(head) == "Ana Ruiz"


def test_decide_build_refuses_an_invalid_log(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    copy_site_config(repo)
    repo.add_memo("D-0000C1", dri="Sales team")
    result = invoke("build")
    assert result.exit_code == 1
    assert 'dri: "Sales team" is a group ("team"); name one person (e.g. "Ana Ruiz")' in result.stdout
    assert "1 problem(s) in 1 file(s); the site was not built" in result.stderr
    assert not (repo.root / "site").exists()


def test_decide_build_without_mkdocs_config(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    repo.add_memo("D-0000C2")
    result = invoke("build")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: no mkdocs.yml in {repo.root}; add one with 'plugins: [decide]'")


def test_a_mkdocs_yml_without_the_decide_plugin_is_refused(
    repo: GitRepo, invoke: Callable[..., Result], tmp_path: Path
) -> None:
    copy_site_config(repo)
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - decide\n", ""))
    repo.add_memo("D-0000C4")
    result = invoke("build", "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert result.stderr == "Error: mkdocs.yml does not use the decide plugin; add '- decide' under 'plugins:'\n"
    assert not (tmp_path / "out").exists()


def test_decide_build_strict(repo: GitRepo, invoke: Callable[..., Result], tmp_path: Path) -> None:
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    result = invoke("build", "--strict", "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert f"built 7 decision(s) into {tmp_path / 'out'}" in result.stderr
    assert (tmp_path / "out" / "graph" / "index.html").is_file()


def test_decide_build_strict_stops_on_a_broken_link_in_a_memo(
    repo: GitRepo, invoke: Callable[..., Result], tmp_path: Path
) -> None:
    copy_site_config(repo)
    repo.add_memo("D-0000C3", body="\n## Context\n\nSee [the plan](D-0000ZZ-missing.md).\n")
    result = invoke("build", "--strict", "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: the site was not built: Aborted with 1 warnings in strict mode!\n  Doc file"
    )
    assert "contains a link 'D-0000ZZ-missing.md', but the target" in result.stderr


def test_the_documented_minimal_config_builds_strict(repo: GitRepo, tmp_path: Path) -> None:
    guide = (REPO / "docs" / "site.md").read_text()
    config = guide.split("add a `mkdocs.yml` next to `decisions/`:\n\n```yaml\n")[1].split("```")[0]
    (repo.root / "mkdocs.yml").write_text(config)
    (repo.root / "docs").mkdir()
    write_site_log(repo, datetime.date.today())
    site = build_site(repo.root, strict=True, site_dir=tmp_path / "site").site_dir
    assert (site / "people" / "ana-ruiz" / "index.html").is_file()
    assert broken_links(site) == []


def test_decide_serve_refuses_an_invalid_log(repo: GitRepo, invoke: Callable[..., Result]) -> None:
    import socket

    copy_site_config(repo)
    path = repo.add_memo("D-0000C1", body=UNSAFE_BODY)
    with socket.socket() as taken:  # were it to serve, it would fail here at once instead of serving
        taken.bind(("127.0.0.1", 0))
        result = invoke("serve", "--dev-addr", f"127.0.0.1:{taken.getsockname()[1]}")
    assert result.exit_code == 1
    assert result.stdout == f"decisions/{path.name}:17: {DROPPED}\n"
    assert result.stderr == "1 problem(s) in 1 file(s); the site was not served\n"


def test_decide_serve_serves_the_site(repo: GitRepo) -> None:
    import socket
    import time
    import urllib.request

    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    decide = str(Path(sys.executable).parent / "decide")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [decide, "--root", str(repo.root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, page = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/people/dara-lind/", timeout=2) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert "Keep the EU region warm" in page
    finally:
        server.terminate()
        server.wait(timeout=20)


def _primary_nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary')
    return html[start : html.index("</nav>", start)]


def _tabs(html: str) -> str:
    start = html.index('<nav class="md-tabs"')
    return html[start : html.index("</nav>", start)]


def test_memo_pages_share_one_navigation_identical_to_materials_own(built: Path, tmp_path: Path) -> None:
    from conftest import init_repo

    unshared = build_with_option(init_repo(tmp_path / "own"), tmp_path / "unshared", "shared_navigation: false")
    for memo_id in (NEW, OLD):
        assert _primary_nav(memo_html(built, memo_id)) == _primary_nav(memo_html(unshared, memo_id))
        assert _tabs(memo_html(built, memo_id)) == _tabs(memo_html(unshared, memo_id))
        assert memo_html(built, memo_id) == memo_html(unshared, memo_id), "shared partials change nothing"
    assert 'href="../../due/"' in _primary_nav(memo_html(built, NEW))
