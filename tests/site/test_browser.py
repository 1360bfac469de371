"""The built site in a real headless Chromium, served over HTTP on 127.0.0.1 with every other host blocked."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import init_repo
from site_log import (
    NEW,
    OLD,
    OVERDUE,
    REPO,
    RETIRED,
    SCRIPT,
    SCRIPT_TITLE,
    WAITING_NEW,
    WAITING_OLD,
    copy_site_config,
    write_hostile_log,
    write_script_bodies,
    write_site_log,
)

from decide.site.build import build_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("DECIDE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DECIDE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """``site`` served on a free port of 127.0.0.1; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture log built with --strict and served on a free port of 127.0.0.1."""
    _require_chromium()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    repo = init_repo(tmp_path_factory.mktemp("browser") / "repo")
    write_site_log(repo, datetime.date.today())
    copy_site_config(repo)
    site = build_site(repo.root, strict=True, site_dir=repo.root.parent / "site").site_dir
    with serving(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=FLAGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A tab that may only reach the test server: the site must work offline."""
    tab = browser.new_page()
    outside: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(base_url):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    tab.route("**/*", route)
    yield tab
    tab.close()
    assert outside == [], "the site tried to reach another host"


def _memo_url(memo_id: str) -> re.Pattern[str]:
    """A memo page's URL; search adds ``?h=…`` to highlight the words searched for."""
    return re.compile(rf"/decisions/{memo_id}-[^/]+/(\?.*)?$")


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_home_shows_waiting_proposals(page: Any, base_url: str) -> None:
    page.goto(base_url)
    rows = page.locator("tr", has=page.locator(".decide-badge--proposed"))
    assert rows.count() == 2
    assert WAITING_OLD in rows.nth(0).inner_text() and "20 days" in rows.nth(0).inner_text()
    assert WAITING_NEW in rows.nth(1).inner_text()
    screenshot(page, "home.png")


def test_searching_a_dri_finds_their_decision_and_the_card_shows_dri_and_escalation(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").focus()
    page.keyboard.type("Dara Lind")
    result = page.locator(".md-search-result__item", has_text="Keep the EU region warm").first
    result.wait_for(timeout=15_000)
    result.locator("a").first.click()
    page.wait_for_url(_memo_url(OVERDUE))
    card = page.locator(".decide-card")
    assert "Dara Lind" in card.locator(".decide-card__row", has_text="DRI").inner_text()
    escalation = card.locator(".decide-card__row", has_text="Escalation").inner_text()
    assert "cost exceeds $50k a year → CTO" in escalation
    assert "overdue" in card.locator(".decide-card__row", has_text="Review by").inner_text()
    screenshot(page, "decision.png")


def test_superseded_banner_links_to_successor_and_back(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}log/")
    page.locator(f"a:text-is('{OLD}')").click()
    page.wait_for_url(_memo_url(OLD))
    banner = page.locator(".decide-banner")
    assert "Superseded" in banner.inner_text()
    banner.locator(f"a:has-text('{NEW}')").click()
    page.wait_for_url(_memo_url(NEW))
    assert page.locator(".decide-banner").count() == 0
    page.locator(".decide-card__row", has_text="Supersedes").locator("a").click()
    page.wait_for_url(_memo_url(OLD))
    screenshot(page, "superseded.png")


def test_graph_boxes_are_links_that_reach_the_memo_pages(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}graph/")
    boxes = page.locator("svg.decide-graph a")
    assert boxes.count() == 2 and page.locator("script[src*='mermaid']").count() == 0
    screenshot(page, "graph.png")
    old = page.locator("svg.decide-graph a.decide-graph__node--superseded")
    assert OLD in (old.text_content() or "")
    dashed = old.locator("rect").evaluate("r => getComputedStyle(r).strokeDasharray")
    assert dashed not in ("", "none"), "a superseded memo's box is dashed"
    old.click()
    page.wait_for_url(_memo_url(OLD))
    page.go_back()
    page.locator("svg.decide-graph a.decide-graph__node--decided").click()
    page.wait_for_url(_memo_url(NEW))


def test_log_filter_narrows_the_rows_by_status_dri_tag_and_words(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}log/")
    form = page.locator("form.decide-filter")
    assert form.is_visible(), "its script shows the form"
    rows = page.locator("table[data-decide-log] tbody tr:visible")
    assert rows.count() == 7
    form.locator("select[name=status]").select_option("decided")
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted([NEW, SCRIPT, OVERDUE])
    form.locator("select[name=dri]").select_option("Dara Lind")
    assert rows.locator("td:first-child").all_inner_texts() == [OVERDUE]
    assert form.locator("output").inner_text() == "1 of 7 shown"
    form.locator("select[name=status]").select_option("")
    form.locator("select[name=dri]").select_option("")
    form.locator("select[name=tag]").select_option("billing")
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted([OLD, NEW])
    form.locator("select[name=tag]").select_option("")
    form.locator("input[name=q]").fill("EU region")
    assert rows.locator("td:first-child").all_inner_texts() == [OVERDUE]
    form.locator("input[name=q]").fill("")
    assert rows.count() == 7
    page.locator("table[data-decide-log] tbody tr", has_text=OLD).locator("td:nth-child(2) a").first.click()
    page.wait_for_url(_memo_url(OLD)), "the title cell is a link"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "log/",
        f"decisions/{NEW}-move-billing-to-postgres/",
        "people/",
        "people/dara-lind/",
        "tags/",
        "timeline/",
        "graph/",
        "due/",
        "stats/",
    ],
)
def test_a_phone_width_has_no_horizontal_overflow(page: Any, base_url: str, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base_url}{path}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{path} is {width} px wide at 375 px"
    wide = page.evaluate(
        "() => [...document.querySelectorAll('article *')].filter(e => e.getBoundingClientRect().right > 376)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == [], f"clipped on {path}"
    cells = page.locator("article table td[data-label]")
    if cells.count():
        label = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') == cells.first.get_attribute("data-label"), "each cell is labelled on a phone"
    screenshot(page, f"phone-{path.strip('/').replace('/', '-') or 'home'}.png")


def test_the_dark_scheme_follows_the_readers_setting(browser: Any, base_url: str) -> None:
    tab = browser.new_page()
    try:
        tab.emulate_media(color_scheme="dark")
        tab.goto(f"{base_url}log/")
        tab.evaluate("() => localStorage.clear()")
        tab.reload()
        assert tab.locator("body").get_attribute("data-md-color-scheme") == "slate"
        background = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(n) for n in re.findall(r"\d+", background)[:3])
        assert red + green + blue < 200, f"a dark page, not {background}"
        screenshot(tab, "log-dark.png")
        tab.emulate_media(color_scheme="light")
        tab.evaluate("() => localStorage.clear()")  # a reader who has not used the toggle
        tab.reload()
        assert tab.locator("body").get_attribute("data-md-color-scheme") == "default"
        screenshot(tab, "log-light.png")
    finally:
        tab.close()


def test_no_page_type_logs_a_console_error(page: Any, base_url: str) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    paths = ["", "log/", "due/", "stats/", "people/", "people/dara-lind/", "tags/", "timeline/", "graph/"]
    paths += [
        "how-we-decide/",
        "cli/",
        f"decisions/{NEW}-move-billing-to-postgres/",
        f"decisions/{OLD}-host-billing-on-mysql/",
    ]
    for path in paths:
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state("load")
        assert page.title(), path
    page.wait_for_timeout(300)
    assert errors == []


def test_per_dri_page_lists_their_decisions_current_first(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}people/")
    page.locator("a:text-is('Dara Lind')").click()
    page.wait_for_url("**/people/dara-lind/")
    ids = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert ids == [OVERDUE, WAITING_OLD, RETIRED]
    assert SCRIPT not in page.content()


def test_log_table_sorts_on_click(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}log/")
    page.locator("th:text-is('Title')").click()
    titles = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert titles == sorted(titles, key=str.casefold)
    assert page.locator("th:text-is('Title')").get_attribute("aria-sort") == "ascending"


def test_home_waiting_column_sorts_by_the_number_of_days(page: Any, base_url: str) -> None:
    page.goto(base_url)
    waiting = page.locator("table", has=page.locator("th:text-is('Waiting')"))
    waiting.locator("th:text-is('Waiting')").click()
    assert waiting.locator("th:text-is('Waiting')").get_attribute("aria-sort") == "ascending"
    ids = waiting.locator("tbody tr td:first-child").all_inner_texts()
    assert ids == [WAITING_NEW, WAITING_OLD], "3 days before 20 days overdue (as text, 20 sorts first)"
    waiting.locator("th:text-is('Waiting')").click()
    assert waiting.locator("tbody tr td:first-child").all_inner_texts() == [WAITING_OLD, WAITING_NEW]


def _open_search(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").focus()


def _search(page: Any, base_url: str, query: str) -> Any:
    """The search results list for ``query``, entered into the search box of the home page.

    The search box searches on every key released, so typing a query key by key shows the
    results of each prefix in turn, and the first results shown may be those of a prefix. The
    query is pasted in and one key released, so the only results ever shown are the query's.
    """
    _open_search(page, base_url)
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    results = page.locator(".md-search-result__list")
    page.locator(".md-search-result__meta", has_text=re.compile(r"match|No matching")).wait_for(timeout=15_000)
    return results


def test_search_marks_the_words_found_and_shows_a_hostile_title_as_text(page: Any, base_url: str) -> None:
    results = _search(page, base_url, "Ana Ruiz")
    titles = results.locator(".md-search-result__item h1").all_inner_texts()
    assert "Move billing to Postgres" in titles and SCRIPT_TITLE in titles
    assert results.locator("script").count() == 0
    assert "Ana" in results.locator("mark").all_inner_texts()


def test_search_ignores_accents_and_plurals_and_finds_a_memo_by_id(page: Any, base_url: str) -> None:
    results = _search(page, base_url, "ruíz")
    assert "Move billing to Postgres" in results.locator(".md-search-result__item h1").all_inner_texts()
    results = _search(page, base_url, "regions")
    assert "Keep the EU region warm" in results.locator(".md-search-result__item h1").all_inner_texts()
    results = _search(page, base_url, OVERDUE)
    assert results.locator(".md-search-result__item h1").first.inner_text() == "Keep the EU region warm"


def test_typing_key_by_key_ends_on_the_results_of_the_whole_query(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    _open_search(page, base_url)
    page.keyboard.type(OVERDUE)
    first = page.locator(".md-search-result__list .md-search-result__item h1").first
    expect(first).to_have_text("Keep the EU region warm", timeout=15_000)


def test_search_excludes_words_marked_with_a_minus(page: Any, base_url: str) -> None:
    titles = _search(page, base_url, "ana -postgres").locator(".md-search-result__item h1").all_inner_texts()
    assert SCRIPT_TITLE in titles and "Move billing to Postgres" not in titles


def test_search_finds_a_section_of_the_guides_and_links_to_it(page: Any, base_url: str) -> None:
    results = _search(page, base_url, "fetch depth")
    link = results.locator("a[href*='/ci/'][href$='#why-fetch-depth-0']").first
    assert "fetch" in link.inner_text().lower()
    link.click()
    page.wait_for_url(re.compile(r"/ci/\?h=fetch\+depth#why-fetch-depth-0$"))


# What sets off the script of a memo body that does not run on its own as the page loads.
TRIGGERS = {
    "entity in the scheme": ("click", "article a:text-is('plan')"),
    "named entity for the colon": ("click", "article a:text-is('plan')"),
    "markdown link": ("click", "article a:text-is('plan')"),
    "markdown link with an entity": ("click", "article a:text-is('plan')"),
    "reference link": ("click", "article a:text-is('the plan')"),
    "attribute list": ("click", "article p:text-is('Read this.')"),
    "attribute list on a code span": ("hover", "article code:text-is('plan')"),
}
# Everything in the page's content, as the browser parsed it, that runs script or is a script URL.
LIVE_SCRIPT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("article, article *")) {
    if (["SCRIPT", "IFRAME", "OBJECT", "EMBED"].includes(el.tagName) && !el.src) found.push(el.tagName);
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(attr.name);
      if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(attr.name)) {
        try {
          const scheme = new URL(attr.value, document.baseURI).protocol;
          if (["javascript:", "vbscript:", "data:"].includes(scheme)) found.push(scheme);
        } catch (error) {}
      }
    }
  }
  return found;
}"""


@dataclasses.dataclass(frozen=True)
class ScriptSites:
    """The SCRIPT_BODIES memos and the hostile log, built as the plugin builds them (``checked``)."""

    checked: str
    site: Path  # where ``checked`` is built
    ids: dict[str, str]  # the ID of each memo of SCRIPT_BODIES


@pytest.fixture(scope="module")
def script_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptSites]:
    """The SCRIPT_BODIES memos and the hostile log built by a plain build (which warns; tests/site/test_hostile.py has the bodies)."""
    _require_chromium()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    repo = init_repo(tmp_path_factory.mktemp("script") / "repo")
    ids = write_script_bodies(repo)
    write_hostile_log(repo, datetime.date.today())
    copy_site_config(repo)
    checked = build_site(repo.root, site_dir=repo.root.parent / "checked").site_dir
    with serving(checked) as checked_url:
        yield ScriptSites(checked_url, checked, ids)


def run_memo_page(page: Any, url: str, name: str) -> tuple[list[str], list[str]]:
    """Open a memo page, set off its script if it needs a click or a hover: the dialogs it opened, and its live script."""
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto(url)
    page.wait_for_load_state("load")
    action, selector = TRIGGERS.get(name, ("", ""))
    target = page.locator(selector) if selector else None
    if target is not None and target.count():
        target.first.hover() if action == "hover" else target.first.click()
    page.wait_for_timeout(200)
    page.remove_listener("dialog", record)
    return dialogs, page.evaluate(LIVE_SCRIPT)


def test_no_page_runs_script_from_front_matter(browser: Any, script_sites: ScriptSites) -> None:
    site, checked = script_sites.site, script_sites.checked
    tab = browser.new_page()
    try:
        for html in sorted(site.rglob("index.html")):
            if "assets" in html.parts or html.parent.name.startswith("D-0000S"):
                continue
            path = html.parent.relative_to(site).as_posix()
            dialogs, live = run_memo_page(tab, checked + ("" if path == "." else f"{path}/"), "")
            assert (dialogs, live) == ([], []), path
    finally:
        tab.close()


def test_the_command_line_reference_fits_its_boxes_on_a_laptop_screen(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}cli/")
    boxes = page.locator(".md-content pre > code")
    assert boxes.count() > 10
    overflowing = boxes.evaluate_all("codes => codes.filter(c => c.scrollWidth > c.clientWidth + 1).length")
    assert overflowing == 0, "a line of the help runs past the edge of its box at 1280 px"
