"""``decide org fetch``: each repository's log folder by a partial, sparse clone, validated, then swapped in.

For each repository of the manifest, several at a time: clone it once without file contents
(later runs fetch only new commits), check out only its configuration, read where its log is,
check out only that folder (so only its blobs travel), validate the log as ``decide validate``
would, and only then make it the last good copy (``store``). A repository that cannot be
reached, has no log, or whose log does not validate is an ``Outcome`` that says so; its last
good copy stays in use and the other repositories go on.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from decide import __version__
from decide.config import ROSTER_NAME, Config, load_config
from decide.errors import CannotRun, DecideError, UsageError
from decide.git.remote import (
    TIMEOUT,
    checkout_commit,
    clone_sparse,
    entries_at,
    fetch_tip,
    head_commit,
    origin_url,
    set_origin_url,
    set_sparse,
    sparse_pattern,
)
from decide.memo import Memo
from decide.org.manifest import MANIFEST, Manifest, Source, clean_folder
from decide.org.store import Copy, clone_path, now_utc, read_copy, record_commit, save_copy, store_path
from decide.problem import Problem
from decide.suggest import did_you_mean

CONFIG_FILES = ("decide.toml", "pyproject.toml", "mkdocs.yml")
DEFAULT_JOBS = 8
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\\]+@[^/\\]+:")


@dataclass(frozen=True)
class Outcome:
    """What fetching one repository came to: ``fetched`` (new or changed), ``unchanged``, or ``failed``.

    ``copy`` is the copy in use now: the new one, the same one, or, when it failed, the last good
    one kept (None if there is none yet). ``problems`` are those of a log that does not validate.
    """

    name: str
    state: str
    copy: Copy | None
    message: str = ""
    problems: tuple[Problem, ...] = ()

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    def describe(self) -> str:
        """One line: ``payments: fetched commit 1a2b3c4 (42 memos)``, or why it failed and what is kept."""
        if not self.failed and self.copy is not None:
            memos = "1 memo" if self.copy.memos == 1 else f"{self.copy.memos} memos"
            return f"{self.name}: {self.state} commit {self.copy.commit[:7]} ({memos})"
        kept = (
            f"keeping the last good copy (commit {self.copy.commit[:7]}, fetched {self.copy.fetched})"
            if self.copy
            else "there is no earlier copy"
        )
        return f"{self.name}: {self.message}; {kept}"


def fetch_all(
    manifest: Manifest,
    *,
    names: Sequence[str] = (),
    jobs: int = DEFAULT_JOBS,
    timeout: float = TIMEOUT,
    on_done: Callable[[Outcome], None] | None = None,
) -> tuple[Outcome, ...]:
    """Fetch the repositories named (default: all), ``jobs`` at a time; the outcomes in the manifest's order.

    ``on_done`` hears of each outcome as it comes (for progress on a terminal).
    """
    sources = select_sources(manifest, names)
    store_path(manifest.root)
    found: dict[str, Outcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(sources) or 1))) as pool:
        futures = [pool.submit(fetch_one, manifest.root, source, timeout=timeout) for source in sources]
        for future in as_completed(futures):
            outcome = future.result()
            found[outcome.name] = outcome
            if on_done is not None:
                on_done(outcome)
    return tuple(found[s.name] for s in sources)


def select_sources(manifest: Manifest, names: Sequence[str]) -> list[Source]:
    """The sources named (all when none is), in the manifest's order; UsageError for a name not in it."""
    known = [s.name for s in manifest.sources]
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known) or f"; {MANIFEST} names: {', '.join(known)}"
            raise UsageError(f"no repository named {name!r} in {MANIFEST}{hint}")
    return [s for s in manifest.sources if not names or s.name in names]


def fetch_one(aggregator: Path, source: Source, *, timeout: float = TIMEOUT) -> Outcome:
    """Fetch one repository; every failure becomes an Outcome, so one repository never stops the others."""
    kept = read_copy(aggregator, source.name)
    url = resolve_url(source.url, aggregator)
    try:
        return _fetch(aggregator, source, url, kept, timeout)
    except _LogProblems as found:
        return Outcome(source.name, "failed", kept, found.message, found.problems)
    except DecideError as exc:
        return Outcome(source.name, "failed", kept, str(exc))


class _LogProblems(Exception):
    def __init__(self, message: str, problems: tuple[Problem, ...]) -> None:
        super().__init__(message)
        self.message, self.problems = message, problems


def _fetch(aggregator: Path, source: Source, url: str, kept: Copy | None, timeout: float) -> Outcome:
    clone = clone_path(aggregator, source.name)
    try:
        commit = _fresh_clone(clone, url, source.branch, timeout) if not (clone / ".git").is_dir() else None
        if commit is None:
            if origin_url(clone) != url:
                set_origin_url(clone, url)
            commit = fetch_tip(clone, source.branch, timeout=timeout)
    except DecideError as exc:
        raise CannotRun(f"cannot fetch {url}: {exc}") from exc
    if kept is not None and _asked_the_same(kept, source, url):
        if kept.commit == commit:
            return Outcome(source.name, "unchanged", kept)
        if kept.contents and _contents(clone, commit, _log_config(kept.root(aggregator), source)) == kept.contents:
            return Outcome(source.name, "unchanged", record_commit(aggregator, kept, commit))  # commits elsewhere only
    checkout_commit(clone, commit, timeout=timeout)
    config = _log_config(clone, source)
    set_sparse(clone, _patterns(config), timeout=timeout)
    memos = _validate(config, source, commit)
    copy = Copy(source.name, url, source.branch, source.dir, commit, config.decisions, now_utc(), len(memos), "")
    copy = dataclasses.replace(copy, contents=_contents(clone, commit, config))
    return Outcome(source.name, "fetched", save_copy(aggregator, copy, clone, memos))


def _contents(clone: Path, commit: str, config: Config) -> str:
    """The object IDs of the log folder and its configuration at ``commit``: equal when nothing the copy holds changed."""
    return entries_at(clone, commit, [config.decisions, *CONFIG_FILES, config.roster, config.schema])


def _fresh_clone(clone: Path, url: str, branch: str, timeout: float) -> str:
    """Clone into a staging folder beside the clone's place, then move it there; the commit it is at."""
    partial = clone.with_name(f".{clone.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        clone_sparse(url, partial, branch, timeout=timeout)
        set_sparse(partial, [sparse_pattern(name, folder=False) for name in CONFIG_FILES], timeout=timeout)
        commit = head_commit(partial)
    except DecideError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(clone, ignore_errors=True)  # a folder left without .git is nothing to keep
    os.replace(partial, clone)
    return commit


def _asked_the_same(kept: Copy, source: Source, url: str) -> bool:
    """Whether the last good copy was fetched as the manifest asks now, and validated by this very decide."""
    return (kept.url, kept.branch, kept.dir, kept.decide) == (url, source.branch, source.dir, __version__)


def _log_config(tree: Path, source: Source) -> Config:
    return log_config(tree, source.dir)


def log_config(tree: Path, folder: str = "") -> Config:
    """The configuration in ``tree``, the log in ``folder`` when given; every path kept inside the repository.

    A roster the configuration does not name follows the log folder, wherever the manifest puts it.
    """
    try:
        config = load_config(tree)
    except CannotRun as exc:
        raise CannotRun(
            f'its configuration cannot be used: {exc}; fix it there, or set dir = "…" for it in {MANIFEST}'
        ) from exc
    own_roster = config.roster != f"{config.decisions.rstrip('/')}/{ROSTER_NAME}"
    paths = {"decisions": folder or config.decisions, "roster": config.roster, "schema": config.schema}
    cleaned = {key: clean_folder(value) for key, value in paths.items()}
    for key, value in cleaned.items():
        if not value:
            raise CannotRun(
                f"its configuration sets {key} = {paths[key]!r}, which is not a path inside the repository; "
                f'fix it there, or set dir = "…" for it in {MANIFEST}'
            )
    roster = cleaned["roster"] if own_roster else ""
    return dataclasses.replace(
        config, decisions=cleaned["decisions"] or "", roster=roster or "", schema=cleaned["schema"] or ""
    )


def _patterns(config: Config) -> list[str]:
    files = [*CONFIG_FILES, config.roster, config.schema]
    return [sparse_pattern(config.decisions, folder=True), *(sparse_pattern(f, folder=False) for f in files)]


def _validate(config: Config, source: Source, commit: str) -> tuple[Memo, ...]:
    """The memos of the log, once it validates; _LogProblems naming every problem when it does not."""
    from decide.validate import validate

    if not config.decisions_dir.is_dir() or config.decisions_dir.is_symlink():
        where = f"branch {source.branch}" if source.branch else "its default branch"
        hint = "" if source.dir else f'; if its log is elsewhere, set dir = "…" for it in {MANIFEST}'
        raise CannotRun(f"no log: there is no {config.decisions}/ folder on {where} (commit {commit[:7]}){hint}")
    report = validate(config)
    if report.problems:
        message = f"its log at commit {commit[:7]} does not validate ({len(report.problems)} problem(s))"
        raise _LogProblems(message, report.problems)
    return report.memos


def resolve_url(url: str, aggregator: Path) -> str:
    """A URL as git takes it: URLs and ``host:path`` as written; a local path made absolute from the aggregator."""
    if _URL.match(url):
        return url
    path = Path(url).expanduser()
    return str(path if path.is_absolute() else (aggregator / path).resolve())
