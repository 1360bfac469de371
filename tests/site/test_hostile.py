"""The payloads of issue 16 on the built site, in a real headless Chromium: no script runs, and the banner shows.

Each hostile body is in a memo that a newer one supersedes, so its page must show the "Superseded"
banner. The site is built in strict mode from the memos as they are, handed over unvalidated (the
build ``decide build --strict`` runs once validation passes): what the page shows must be safe
even if a payload got past validation. Control pages show the same bodies rendered by the site's
Markdown without the sanitizer, as the site used to publish them, to prove each payload is live.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import GitRepo, init_repo
from site_log import HOSTILE_BODIES, SCRIPT_BODIES, copy_site_config
from test_browser import LIVE_SCRIPT, _require_chromium, browser, run_memo_page, serving

from decide.config import load_config
from decide.decisions import load_log
from decide.site.body import markdown_html, read_setup
from decide.site.build import build_site

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the Chromium fixture, shared with the reading tests

# A schema path in decide.toml that would be a live link and a live handler if Markdown read it.
SCHEMA_PATH = "[plan](javascript:alert(1)) rules {: onclick=alert(2) }.json"
# The bodies whose unsanitized rendering runs script on its own or on a click or hover.
LIVE_WITHOUT_SANITIZER = [*SCRIPT_BODIES, *(name for name in HOSTILE_BODIES if name.startswith(("mutation", "svg")))]
BODIES = {**SCRIPT_BODIES, **HOSTILE_BODIES}


@dataclasses.dataclass(frozen=True)
class HostileSite:
    url: str
    pages: dict[str, str]  # each body's memo page, relative to the site
    controls: dict[str, str]  # each body rendered without the sanitizer


def _write_log(repo: GitRepo) -> dict[str, str]:
    """One memo per hostile body, each superseded by a plain one; returns each body's memo ID."""
    ids = {}
    for number, (name, snippet) in enumerate(BODIES.items()):
        old, new = f"D-0H{number:04X}", f"D-0N{number:04X}"
        repo.add_memo(old, title=f"Hostile body {number}", body=f"\n## Context\n\n{snippet}\n")
        repo.add_memo(new, title=f"Plain body {number}", supersedes=[old])
        ids[name] = old
    return ids


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    _require_chromium()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    repo = init_repo(tmp_path_factory.mktemp("hostile") / "repo")
    copy_site_config(repo)
    # The payloads' images are broken on purpose (that is what sets off onerror); strict MkDocs would rightly
    # stop on them, as on any broken link, so they are noted instead.
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("unrecognized_links: warn", "unrecognized_links: info"))
    repo.write("decide.toml", f"schema = {json.dumps(SCHEMA_PATH)}\n")
    repo.write(SCHEMA_PATH, json.dumps({"properties": {"x-cost": {"type": "string", "description": "Cost centre"}}}))
    ids = _write_log(repo)
    memos = load_log(load_config(repo.root)).memos
    site = build_site(repo.root, strict=True, site_dir=repo.root.parent / "site", memos=memos).site_dir
    pages = {
        name: next((site / "decisions").glob(f"{memo_id}-*/")).relative_to(site).as_posix() + "/"
        for name, memo_id in ids.items()
    }
    setup = read_setup(repo.root / "mkdocs.yml")
    controls = {}
    for number, name in enumerate(LIVE_WITHOUT_SANITIZER):
        control = site / "control" / f"{number}.html"
        control.parent.mkdir(exist_ok=True)
        body = markdown_html(f"## Context\n\n{BODIES[name]}\n", setup)
        control.write_text(f"<!doctype html><html><body><article>{body}</article></body></html>", encoding="utf-8")
        controls[name] = control.relative_to(site).as_posix()
    with serving(site) as url:
        yield HostileSite(url, pages, controls)


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    """A tab that records every console error and uncaught exception of the pages it opens.

    The one error left out is the payloads' own broken image (``src=x``) failing to load: a missing
    file, not script.
    """
    page = browser.new_page()
    page.errors = []  # type: ignore[attr-defined]

    def console(message: Any) -> None:
        broken_image = message.text.startswith("Failed to load resource") and message.location["url"].endswith("/x")
        if message.type == "error" and not broken_image:
            page.errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


BANNER_UNCOVERED = """() => {
  const banner = document.querySelector(".decide-banner");
  if (!banner) return "no banner";
  const box = banner.getBoundingClientRect();
  const style = getComputedStyle(banner);
  if (box.width < 10 || box.height < 10 || style.display === "none" || style.visibility !== "visible") return "hidden";
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 20));
  return top && top.closest(".decide-banner") ? "visible" : "covered by " + (top ? top.outerHTML.slice(0, 80) : "nothing");
}"""


@pytest.mark.parametrize("name", list(BODIES))
def test_a_hostile_body_runs_nothing_and_the_banner_shows(tab: Any, hostile: HostileSite, name: str) -> None:
    dialogs, live = run_memo_page(tab, hostile.url + hostile.pages[name], name)
    tab.evaluate("() => window.scrollTo(0, 0)")
    assert (dialogs, live, tab.errors) == ([], [], [])
    assert tab.evaluate(BANNER_UNCOVERED) == "visible"
    assert "Superseded" in tab.locator(".decide-banner").inner_text()


@pytest.mark.parametrize("name", LIVE_WITHOUT_SANITIZER)
def test_without_the_sanitizer_the_same_body_runs_script(tab: Any, hostile: HostileSite, name: str) -> None:
    dialogs, live = run_memo_page(tab, hostile.url + hostile.controls[name], name)
    assert live, f"{name}: the payload must be live without the sanitizer"
    if name != "data URL":  # Chromium refuses to open data: URLs from a page
        assert "1" in dialogs, f"{name}: its script must run without the sanitizer"


def test_a_schema_path_from_the_configuration_is_text_on_the_how_we_decide_page(tab: Any, hostile: HostileSite) -> None:
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(hostile.url + "how-we-decide/")
    heading = tab.locator("h2", has_text="Fields added by")
    heading.click()
    tab.locator("h3", has_text="The schema (").last.click()
    tab.wait_for_timeout(200)
    assert heading.inner_text() == f"Fields added by {SCHEMA_PATH}¶", "the text as written, then the permalink"
    assert (dialogs, tab.evaluate(LIVE_SCRIPT), tab.errors) == ([], [], [])
