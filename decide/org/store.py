"""Where the fetched logs live: ``.decide-org/`` in the aggregator, ignored by git, never committed.

```text
.decide-org/
  .gitignore            "*": the folder ignores itself
  clones/<name>/        the partial, sparse clone: git's own staging place
  logs/<name>@<commit>.<random>/   the last good copy: the log folder and its configuration, as in the repository
  state/<name>.json     which copy is the last good one, and where it came from
```

A copy is written in full beside the last good one; then the state file is replaced atomically
(``decide.files.replace``), so a reader sees either the old copy or the new one, never a mix,
and a fetch that fails or is stopped leaves the last good copy in place.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType

from decide import __version__
from decide.errors import CannotRun
from decide.files import read_regular, replace
from decide.memo import Memo

STORE = ".decide-org"
STATE_VERSION = 1
MEMOS_FILE = ".decide-org-memos.json"  # in a copy: no repository's log folder holds it at the top


@dataclass(frozen=True)
class Copy:
    """The last good copy of one repository's log: what was fetched, from where, and where it is now."""

    name: str
    url: str
    branch: str
    dir: str  # the manifest's dir ("" when the repository's own config says)
    commit: str
    folder: str  # the log folder in the repository, as used
    fetched: str  # when, as an ISO 8601 time in UTC
    memos: int
    snapshot: str  # the copy's folder, relative to the store
    decide: str = __version__  # the version that validated it: another version validates again
    contents: str = (
        ""  # what the log and its configuration are at the commit (git's object IDs): same contents, same copy
    )

    def root(self, aggregator: Path) -> Path:
        """The copy's folder: the repository's paths as they are in the repository (``decide.toml``, the log ...)."""
        return aggregator / STORE / self.snapshot


def store_path(aggregator: Path) -> Path:
    """``.decide-org/`` in the aggregator, made on first use with a ``.gitignore`` so nothing in it is committed."""
    store = aggregator / STORE
    for sub in ("clones", "logs", "state"):
        (store / sub).mkdir(parents=True, exist_ok=True)
    if not (store / ".gitignore").is_file():
        replace(store / ".gitignore", "# Made by decide org fetch: fetched copies, never committed.\n*\n")
    return store


def clone_path(aggregator: Path, name: str) -> Path:
    return aggregator / STORE / "clones" / name


def read_copy(aggregator: Path, name: str) -> Copy | None:
    """The last good copy of ``name``, or None when there is none (never fetched, or its state is unreadable)."""
    raw = read_regular(aggregator / STORE / "state" / f"{name}.json")
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        return None
    data.pop("version")
    try:
        copy = Copy(**data)
    except TypeError:
        return None
    return copy if copy.name == name and copy.root(aggregator).is_dir() else None


def save_copy(aggregator: Path, copy: Copy, tree: Path, memos: Sequence[Memo] = ()) -> Copy:
    """Copy ``tree`` (a clone's sparse working tree) in as the new last good copy, swap it in, remove the old one.

    ``memos`` (the log as validated) are kept beside the files, read (``read_memos``) without parsing them again.
    """
    logs = store_path(aggregator) / "logs"
    commit = copy.commit[:12]
    snapshot = Path(tempfile.mkdtemp(prefix=f"{copy.name}@{commit}.", dir=logs))
    try:
        snapshot.chmod(0o755)  # readable as the clone is (mkdtemp makes it private)
        _copy_files(tree, snapshot)
        write_memos(snapshot, memos)
    except OSError as exc:
        shutil.rmtree(snapshot, ignore_errors=True)
        raise CannotRun(
            f"cannot copy the log of {copy.name} into {snapshot}: {exc}; the last good copy is kept"
        ) from exc
    saved = Copy(**{**asdict(copy), "snapshot": f"logs/{snapshot.name}"})
    state = json.dumps({"version": STATE_VERSION, **asdict(saved)}, indent=2, ensure_ascii=False) + "\n"
    replace(aggregator / STORE / "state" / f"{copy.name}.json", state)
    _remove_others(logs, copy.name, keep=snapshot.name)
    return saved


def write_memos(snapshot: Path, memos: Sequence[Memo]) -> None:
    """Keep the memos' front-matter and the lines the rules across memos name in the copy, one memo a line."""
    rows = []
    for memo in memos:
        lines = {"id": memo.line_of(("id",)), "supersedes": memo.line_of(("supersedes",))}
        row = {"path": memo.path, "data": dict(memo.data), "body_line": memo.body_line, "lines": lines}
        rows.append(json.dumps(row, ensure_ascii=False, default=_plain))
    listed = ",\n".join(rows)
    replace(snapshot / MEMOS_FILE, f'{{"version": {STATE_VERSION}, "memos": [\n{listed}\n]}}\n')


def _plain(value: object) -> object:
    """Nested front-matter (read-only mappings) as JSON can hold it."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} in front-matter")


def read_memos(snapshot: Path) -> list[Memo] | None:
    """The memos a copy was validated with, without their bodies; None when the copy has none kept (read the files)."""
    raw = read_regular(snapshot / MEMOS_FILE)
    try:
        document = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        return None
    return [
        Memo(r["path"], MappingProxyType(r["data"]), "", r["body_line"], {(k,): v for k, v in r["lines"].items()})
        for r in document["memos"]
    ]


def record_commit(aggregator: Path, copy: Copy, commit: str) -> Copy:
    """The same copy, now known to be of ``commit`` too (a commit that changed nothing in the log)."""
    moved = Copy(**{**asdict(copy), "commit": commit})
    state = json.dumps({"version": STATE_VERSION, **asdict(moved)}, indent=2, ensure_ascii=False) + "\n"
    replace(aggregator / STORE / "state" / f"{copy.name}.json", state)
    return moved


def _copy_files(tree: Path, into: Path) -> None:
    """Every regular file and folder of ``tree`` except ``.git``; links are left out (they could point anywhere)."""
    for folder, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git" and not os.path.islink(os.path.join(folder, d))]
        here = into / os.path.relpath(folder, tree)
        here.mkdir(exist_ok=True)
        for name in files:
            source = os.path.join(folder, name)
            if os.path.isfile(source) and not os.path.islink(source):
                shutil.copyfile(source, here / name)


def _remove_others(logs: Path, name: str, keep: str) -> None:
    """Earlier copies of ``name`` (``name@…``; ``@`` is in no repository name, so no other repository's copies match)."""
    for old in logs.glob(f"{name}@*"):
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def now_utc() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def fetch_lock(aggregator: Path) -> Iterator[None]:
    """One ``decide org fetch`` at a time in an aggregator: a second one stops with a message instead of racing."""
    store = store_path(aggregator)
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock, as before
        yield
        return
    with open(store / "fetch.lock", "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise CannotRun(f"another decide org fetch is running in {aggregator}; wait for it to finish") from exc
        yield
