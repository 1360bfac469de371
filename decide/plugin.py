"""The MkDocs layer of the published log: the ``decide`` plugin and the build/serve calls. The only module importing mkdocs.

The pages themselves come from ``decide.site`` (a pure function of the memos); this module only
hands them to MkDocs as generated files, adds the bundled scripts and styles, and keeps memo
bodies out of the search index.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from decide.config import Config, load_config
from decide.errors import CannotRun, DecideError, Refused
from decide.markup import BODY_MARK

log = logging.getLogger("mkdocs.plugins.decide")

ASSET_DIR = "assets/decide"
_CSS = ("decide.css",)
# Mermaid first: Material draws diagrams with ``window.mermaid`` when it exists instead of fetching it from a CDN.
_JS = ("mermaid.min.js", "tablesort.min.js", "tablesort.number.min.js", "tablesort-init.js")
_HEADING = re.compile(r"<(h[1-6])\b")


class DecidePluginConfig(MkDocsConfig):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options under ``plugins: - decide:`` in mkdocs.yml."""

    # Memo bodies stay out of the search index by default: titles, IDs, DRIs, escalation and
    # tags are indexed, which keeps the first search result under a second at 10,000 memos.
    search_bodies = config_options.Type(bool, default=False)


class DecidePlugin(BasePlugin[DecidePluginConfig]):  # type: ignore[no-untyped-call]
    """Adds the decision log's pages (``decide.site``) to the build; nothing is written into the repository."""

    def __init__(self) -> None:
        self._decide: Config | None = None
        self._memo_pages: set[str] = set()

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        try:
            self._decide = load_config(root)
        except DecideError as exc:
            raise PluginError(f"decide: {exc}") from exc
        config.extra_css[:0] = [f"{ASSET_DIR}/{name}" for name in _CSS]
        config.extra_javascript[:0] = [f"{ASSET_DIR}/{name}" for name in _JS]
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self._decide is not None
        try:
            pages = generate_pages(self._decide, config)
        except DecideError as exc:
            raise PluginError(f"decide: {exc}") from exc
        self._memo_pages = {path for path in pages if path.startswith("decisions/")}
        for path, text in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"decide: {config.docs_dir}/{path} clashes with a generated page; rename or remove it"
                )
            files.append(File.generated(config, path, content=text))
        assets = resources.files("decide").joinpath("assets")
        for name in (*_CSS, *_JS):
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(assets.joinpath(name))))
        return files

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        if self.config.search_bodies or page.file.src_uri not in self._memo_pages:
            return html
        return exclude_body_from_search(html)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if self._decide is not None:
            server.watch(str(self._decide.decisions_dir))
        return server


def generate_pages(decide: Config, config: Any) -> dict[str, str]:
    """Load the memos with the CLI's loader and render every page; unreadable memos are warnings."""
    from decide.cli import command_help
    from decide.log import load_log
    from decide.schema import load_schemas
    from decide.site import SiteOptions, render_site

    loaded = load_log(decide)
    for problem in loaded.problems:
        log.warning(f"{problem} (left out of the site; run 'decide validate')")
    options = SiteOptions(
        today=datetime.date.today(),
        directory_urls=bool(config.use_directory_urls),
        site_url=str(config.site_url or ""),
        site_name=str(config.site_name),
        proposal_age_limit=decide.proposal_age_limit,
    )
    schemas = [(s.source, s.document) for s in load_schemas(decide)]
    return render_site(loaded.memos, options, schemas=schemas, commands=command_help())


def exclude_body_from_search(html: str) -> str:
    """Mark the memo body after the header card with Material's ``data-search-exclude``, headings included."""
    head, mark, body = html.partition(BODY_MARK)
    if not mark:
        return html
    body = _HEADING.sub(r"<\1 data-search-exclude", body)
    return f"{head}<div data-search-exclude>{body}</div>"


def _mkdocs_config(root: Path, **options: Any) -> Any:
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise CannotRun(
            f"no mkdocs.yml in {root}; add one with 'plugins: [decide]' (see the decide docs), then run 'decide build' again"
        )
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.exceptions import ConfigurationError

    try:
        return load_mkdocs_config(str(config_file), **options)
    except ConfigurationError as exc:
        raise CannotRun(f"mkdocs.yml: {exc}") from exc


def build_site(root: Path, *, strict: bool = False, site_dir: Path | None = None) -> Path:
    """Build the site with MkDocs into ``site_dir`` (default: mkdocs.yml's ``site_dir``) and return it."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError

    config = _mkdocs_config(root, strict=strict, site_dir=str(site_dir) if site_dir else None)
    try:
        build(config)
    except Abort as exc:
        raise Refused(f"the site was not built: {exc}") from exc
    except ConfigurationError as exc:
        raise CannotRun(f"the site was not built: {exc}") from exc
    return Path(config.site_dir)


def serve_site(root: Path, *, dev_addr: str | None = None) -> None:
    """Serve the site with live reload until interrupted (edits to memos rebuild it)."""
    from mkdocs.commands.serve import serve

    _mkdocs_config(root)  # clear errors before the server starts
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr)
