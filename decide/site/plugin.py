"""The MkDocs layer of the published log: the ``decide`` plugin and the build/serve calls. The only module importing mkdocs.

The pages themselves come from ``decide.site.pages`` (a pure function of the memos); this module only
hands them to MkDocs as generated files, adds the bundled scripts and styles, and keeps memo
bodies out of the search index.
"""

from __future__ import annotations

import datetime
import logging
import os
import posixpath
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from decide.config import Config, load_config
from decide.errors import DecideError
from decide.memo import Memo
from decide.site.html import PUBLISHED_BESIDE_MEMOS, mermaid_fences, put_back, renew_secret, set_aside
from decide.site.memo_page import BODY_OPEN
from decide.site.sanitize import Heading, element_ids, headings, rewrite_urls

log = logging.getLogger("mkdocs.plugins.decide")

ASSET_DIR = "assets/decide"
_CSS = ("decide.css",)
_JS = ("tablesort.min.js", "tablesort.number.min.js", "tablesort-init.js", "log-filter.js")
# Material's search worker, which builds a lunr index in the reader's browser on every page load;
# decide's worker answers the same messages by scanning the indexed words (see the file's header).
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js(\.map)?")
_WORKER = "search-worker.js"
NO_SITE_URL = (
    "mkdocs.yml gives no site_url, so feed.xml links to the decisions by relative URLs, which feed readers "
    "cannot follow; set site_url to the address the site is published at"
)


class DecidePluginConfig(MkDocsConfig):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options under ``plugins: - decide:`` in mkdocs.yml."""

    # Memo bodies stay out of the search index by default: titles, IDs, DRIs and tags are
    # indexed, which keeps the index small (1.7 MB instead of 16.6 MB at 10,000 memos).
    search_bodies = config_options.Type(bool, default=False)
    # Memo pages sit outside the navigation in one folder, so the navigation, tabs and search box
    # are the same HTML on each: render them once. Turn off if a theme override makes them
    # page-specific.
    shared_navigation = config_options.Type(bool, default=True)
    # Answer searches with decide's worker (no index to build in the browser: the first result
    # shows at once at 10,000 memos). Off: Material's lunr search, with stemming and fuzzy terms.
    search_worker = config_options.Type(bool, default=True)


class DecidePlugin(BasePlugin[DecidePluginConfig]):  # type: ignore[no-untyped-call]
    """Adds the decision log's pages (``decide.site.pages``) to the build; nothing is written into the repository.

    Generated HTML blocks (``decide.site.html.raw``, fenced with a secret drawn for each build) skip
    Markdown: they are set aside as placeholders before Markdown runs and put back after the search
    plugin has indexed the page, so neither parses them. A memo's body is one of them, rendered and
    sanitized by ``decide.site.body``; its links are resolved and checked here as MkDocs does for
    Markdown links, and its headings make the page's table of contents. On a memo page, search sees one short paragraph instead: the
    memo's ID and DRI from the header card (the rest of the card is marked ``data-search-exclude``),
    plus the body if ``search_bodies`` is set; the title and tags come from the page's front-matter.
    So a memo is found by its title, ID, DRI and tags, not by its inputs or escalation.
    """

    def __init__(self) -> None:
        self._decide: Config | None = None
        self._blocks: dict[str, list[str]] = {}
        self._stashed: dict[str, str] = {}
        self._memo_pages: set[str] = set()
        self.memos: tuple[Memo, ...] | None = None  # set by ``build_site`` when validation loaded them already
        self._theme_dirs: list[str] = []

    def on_config(self, config: Any) -> Any:
        renew_secret()
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        try:
            self._decide = load_config(root)
        except DecideError as exc:
            raise PluginError(f"decide: {exc}") from exc
        # Our partials first; they fall back to the theme's own under the "theme/" prefix (see on_env).
        self._theme_dirs = list(config.theme.dirs)
        config.theme.dirs.insert(0, str(resources.files("decide.site").joinpath("templates")))
        config.extra_css[:0] = [f"{ASSET_DIR}/{name}" for name in _CSS]
        config.extra_javascript[:0] = [f"{ASSET_DIR}/{name}" for name in _JS]
        if not config.site_url:
            # Information, not a warning: a preview or a first build without an address is fine.
            log.info(NO_SITE_URL)
        return config

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, pass_context
        from markupsafe import Markup

        env.loader = ChoiceLoader([env.loader, PrefixLoader({"theme": FileSystemLoader(self._theme_dirs)})])
        shared: dict[tuple[str, str], Markup] = {}

        @pass_context
        def decide_shared_partial(context: Any, name: str) -> Markup:
            key = (name, posixpath.dirname(context["page"].url.rstrip("/")))
            if key not in shared:
                shared[key] = Markup(env.get_template(f"theme/{name}").render(context.get_all()))
            return shared[key]

        env.globals["decide_shared_partial"] = decide_shared_partial
        return env

    def on_files(self, files: Files, config: Any) -> Files:
        assert self._decide is not None
        try:
            pages = generate_pages(self._decide, config, self.memos)
        except DecideError as exc:
            raise PluginError(f"decide: {exc}") from exc
        self._memo_pages = {path for path in pages if path.startswith("decisions/")}
        for path, text in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"decide: {Path(config.docs_dir).name}/{path} clashes with a generated page; rename or remove it"
                )
            files.append(File.generated(config, path, content=text))
        for path, source in beside_memos(self._decide.decisions_dir):
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, abs_src_path=source))
        assets = resources.files("decide.site").joinpath("assets")
        for name in (*_CSS, *_JS):
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(assets.joinpath(name))))
        if self.config.search_worker:
            replace_search_worker(files, config, str(assets.joinpath(_WORKER)))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        blocks: list[str] = []
        self._blocks[page.file.src_uri] = blocks
        return set_aside(mermaid_fences(markdown), blocks)

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        uri = page.file.src_uri
        blocks = self._blocks.get(uri, []) if uri in self._memo_pages else []
        for index, block in enumerate(blocks):
            if block.startswith(BODY_OPEN):
                blocks[index] = _link_body(block, page, config, files)
                page.toc = get_toc(toc_tokens(headings(blocks[index])))
                if page.present_anchor_ids is not None:
                    page.present_anchor_ids |= element_ids(blocks[index])
        if uri == "tags.md" and page.present_anchor_ids is not None:  # decide's own tags page: raw headings
            page.present_anchor_ids |= {i for block in blocks for i in element_ids(block)}
        return html

    @event_priority(50)
    def _before_search(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        uri = page.file.src_uri
        if uri in self._memo_pages and self.config.shared_navigation:
            page.meta["decide_memo"] = True  # lets the templates share one navigation among memo pages
        blocks = self._blocks.get(uri)
        if blocks and uri in self._memo_pages:
            self._stashed[uri] = page.content
            summary = f"<p>{search_text(blocks[0])}</p>"
            body = "".join(block for block in blocks if block.startswith(BODY_OPEN))
            page.content = summary + body if self.config.search_bodies else summary
        return context

    @event_priority(-50)
    def _after_search(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        page.content = put_back(
            self._stashed.pop(page.file.src_uri, page.content), self._blocks.pop(page.file.src_uri, [])
        )
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if self._decide is not None:
            server.watch(str(self._decide.decisions_dir))
        return server


def beside_memos(folder: Path) -> list[tuple[str, str]]:
    """``(decisions/<path>, file)`` for the images and PDFs in the decisions folder and its subfolders (not hidden ones)."""
    found = []
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and posixpath.splitext(name)[1].casefold() in PUBLISHED_BESIDE_MEMOS:
                relative = Path(directory, name).relative_to(folder).as_posix()
                found.append((f"decisions/{relative}", os.path.join(directory, name)))
    return found


def _link_body(body: str, page: Any, config: Any, files: Files) -> str:
    """A memo body's links and images resolved as MkDocs resolves a page's Markdown links, with its warnings.

    ``[plan](D-…-plan.md)`` then leads to that memo's page, and a link to a page that does not exist
    stops a ``--strict`` build. The resolver is MkDocs' own (ProperDocs keeps it): links in
    generated HTML are otherwise left as they are, unchecked.
    """
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    resolver = _RelativePathTreeprocessor(page.file, files, config)
    linked = rewrite_urls(body, resolver.path_to_url)
    if page.links_to_anchors is not None:
        for target, anchors in resolver.links_to_anchors.items():
            page.links_to_anchors.setdefault(target, {}).update(anchors)
    return linked


def toc_tokens(found: list[Heading]) -> list[Any]:
    """MkDocs' table-of-contents tokens for a body's headings, nested by level."""
    tokens: list[Any] = []
    open_tokens: list[Any] = []
    for heading in found:
        token = {"level": heading.level, "id": heading.id, "name": heading.text, "children": []}
        while open_tokens and open_tokens[-1]["level"] >= heading.level:
            open_tokens.pop()
        (open_tokens[-1]["children"] if open_tokens else tokens).append(token)
        open_tokens.append(token)
    return tokens


def replace_search_worker(files: Files, config: Any, worker: str) -> None:
    """Serve ``worker`` where the theme's pages look for Material's search worker (and drop its source map).

    A theme without that worker is left alone.
    """
    for file in list(files):
        if _MATERIAL_WORKER.fullmatch(file.src_uri):
            files.remove(file)
            if not file.src_uri.endswith(".map"):
                files.append(File.generated(config, file.src_uri, abs_src_path=worker))


# Labels, dates and banners say nothing a reader searches for; they are marked by ``decide.site.memo_page``.
_UNSEARCHED = re.compile(r"<(\w+)\b[^>]*\bdata-search-exclude\b[^>]*>.*?</\1>|<time\b.*?</time>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def search_text(head: str) -> str:
    """The text of a memo's header card without what ``decide.site.memo_page`` marked ``data-search-exclude``, nor dates."""
    return " ".join(_TAG.sub(" ", _UNSEARCHED.sub(" ", head)).split())


def generate_pages(decide: Config, config: Any, memos: tuple[Memo, ...] | None = None) -> dict[str, str]:
    """Render every page from ``memos``, or from the log validated here when ``decide build`` did not pass them."""
    from decide.cli import command_help
    from decide.schema import load_schemas
    from decide.site.body import MarkdownSetup
    from decide.site.pages import SiteOptions, render_site

    if memos is None:
        memos = validated_memos(decide)
    options = SiteOptions(
        markdown=MarkdownSetup(
            tuple(e for e in config.markdown_extensions if isinstance(e, str)), dict(config.mdx_configs or {})
        ),
        today=datetime.date.today(),
        directory_urls=bool(config.use_directory_urls),
        site_url=str(config.site_url or ""),
        site_name=str(config.site_name),
        proposal_age_limit=decide.proposal_age_limit,
        dri_load_limit=decide.dri_load_limit,
    )
    schemas = [(s.source, s.document) for s in load_schemas(decide)]
    return render_site(memos, options, schemas=schemas, commands=command_help())


def validated_memos(decide: Config) -> tuple[Memo, ...]:
    """The log validated as ``decide build`` validates it, for a plain ``mkdocs build`` or ``mkdocs serve``.

    Every problem is a warning (so ``--strict`` stops); a memo that cannot be read is left out, and
    what the sanitizer drops from a body is left out of its page (``decide.site.body``).
    """
    from decide.validate import validate

    report = validate(decide)
    readable = {memo.path for memo in report.memos}
    folder = decide.decisions_dir.relative_to(decide.root).as_posix() + "/"
    for problem in report.problems:
        if problem.path.startswith(folder) and problem.path not in readable:
            log.warning(f"{problem} (left out of the site; run 'decide validate')")
        else:
            log.warning(f"{problem} (run 'decide validate')")
    return report.memos
