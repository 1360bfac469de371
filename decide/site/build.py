"""Building and serving the site with MkDocs: ``decide build`` and ``decide serve``. With ``plugin``, the only module importing mkdocs.

It never imports the plugin: MkDocs finds it by its entry point (``mkdocs.plugins: decide``), as
it does for a plain ``mkdocs build``; ``build_site`` hands the plugin the memos validation loaded.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decide.errors import CannotRun, Refused
from decide.memo import Memo

log = logging.getLogger("mkdocs.plugins.decide")


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


@dataclass(frozen=True)
class Built:
    """A finished build: where the site is, what MkDocs warned about, and what the plugin noted."""

    site_dir: Path
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors, and the plugin's information, so the CLI can report them in its own words."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []
        self.notes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())
        elif record.name == log.name:
            self.notes.append(record.getMessage())


def build_site(
    root: Path, *, strict: bool = False, site_dir: Path | None = None, memos: tuple[Memo, ...] | None = None
) -> Built:
    """Build the site with MkDocs into ``site_dir`` (default: mkdocs.yml's ``site_dir``).

    ``memos`` already loaded (by validation) are used as they are instead of being read again.
    A strict build that warned is refused (exit 1); a build that broke cannot run (exit 3).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError

    config = _mkdocs_config(root, strict=strict, site_dir=str(site_dir) if site_dir else None)
    plugin = config.plugins.get("decide")
    if plugin is None:
        raise CannotRun("mkdocs.yml does not use the decide plugin; add '- decide' under 'plugins:'")
    plugin.memos = memos
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    level = log.level
    log.setLevel(logging.INFO)  # outside the mkdocs command, nothing sets a level that lets information through
    try:
        build(config)
    except (Abort, ConfigurationError) as exc:
        details = "".join(f"\n  {m}" for m in collect.messages)
        error = Refused if "strict mode" in str(exc) else CannotRun
        raise error(f"the site was not built: {exc}{details}") from exc
    finally:
        logger.removeHandler(collect)
        log.setLevel(level)
    return Built(Path(config.site_dir), tuple(collect.messages), tuple(collect.notes))


def serve_site(root: Path, *, dev_addr: str | None = None) -> None:
    """Serve the site with live reload until interrupted (edits to memos rebuild it)."""
    from mkdocs.commands.serve import serve

    _mkdocs_config(root)  # clear errors before the server starts
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr)
