"""Files: atomic writes (a reader or a crash never sees half a file; an existing memo is never overwritten), bounded reads of regular files only, and the log's write lock."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from decide.errors import CannotRun, Refused

# What the tool reads is bounded, so a file symlinked to /dev/zero or grown by mistake is refused with a
# message instead of filling the memory. A memo's limit is its own (decide.memo.MAX_BYTES).
CONFIG_BYTES = 1_000_000  # decide.toml, pyproject.toml, mkdocs.yml
SCHEMA_BYTES = 2_000_000
ROSTER_BYTES = 16_000_000  # about 150,000 people
# How long a lifecycle command waits for another one to finish changing the log before it gives up.
LOCK_TIMEOUT = 10.0
LOCK_NAME = "decide.lock"


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` atomically; refuse if it exists (even if created a moment ago)."""
    tmp = _write_temp(path, text)
    try:
        _link(tmp, path, "nothing was written")
    finally:
        os.unlink(tmp)


def write_new_many(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Create each path atomically, as :func:`write_new` does, refusing any that exists; for thousands of files at once.

    Every file is written to a temporary name beside it first, then one ``sync`` makes them all
    durable before any is linked into place (one ``fsync`` per file costs 5 ms or more each; on
    Linux ``sync`` waits for the disk, elsewhere each file is synced). A file that exists stops the
    batch there; those linked before it stay, complete. Files get the usual mode (0666 less the umask).
    """
    each = not sys.platform.startswith("linux")
    temps: list[tuple[str, Path]] = []
    try:
        for path, content in files:
            temps.append((_write_beside(path, content, sync=each), path))
        if not each:
            os.sync()
        for tmp, path in temps:
            _link(tmp, path, "nothing more was written")
            os.unlink(tmp)
        temps.clear()
    finally:
        for tmp, _path in temps:
            if os.path.lexists(tmp):
                os.unlink(tmp)


def _write_beside(path: Path, content: str | bytes, *, sync: bool) -> str:
    """A temporary file named for this process beside ``path``; a random name if that one is taken."""
    tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o666)
    except FileExistsError:
        return _write_temp(path, content, sync=sync)
    except OSError as exc:
        raise CannotRun(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    try:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        while data:
            data = data[os.write(fd, data) :]
        if sync:
            os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        os.unlink(tmp)
        raise CannotRun(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from exc
    os.close(fd)
    return tmp


def _link(tmp: str, path: Path, said: str) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError as exc:
        raise Refused(f"{path.name} already exists; {said}") from exc
    except OSError as exc:
        raise CannotRun(f"cannot create {path}: {exc.strerror or exc}") from exc


def replace(path: Path, text: str) -> None:
    """Write ``path`` atomically (creating or replacing it, keeping its permissions); on failure the original stays intact."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    tmp = _write_temp(path, text)
    try:
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise CannotRun(f"cannot write {path}: {exc.strerror or exc}; the original is unchanged") from exc


def _write_temp(path: Path, text: str | bytes, *, sync: bool = True) -> str:
    """Write ``text`` to a temporary file beside ``path`` (same filesystem, so link/rename are atomic), synced unless told not to."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise CannotRun(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except OSError as exc:
        os.unlink(tmp)
        raise CannotRun(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from exc
    return tmp


class Unreadable(Exception):
    """A file that was not read: ``kind`` says why (missing, link, directory, special, large, error), ``why`` in words.

    ``why`` follows the file's name in a message: ``decisions/people.yml is a named pipe (FIFO), not a regular file``.
    """

    def __init__(self, kind: str, why: str, size: int = 0) -> None:
        super().__init__(why)
        self.kind, self.why, self.size = kind, why, size


_SPECIAL = (
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
)


def read_bounded(path: Path | str, *, limit: int, links: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; :class:`Unreadable` for anything else.

    A named pipe, socket or device is never opened for a blocking read (a pipe would block forever,
    /dev/zero would fill the memory), and the file is checked again once open, so swapping it for
    one of those in between changes nothing. ``links=False`` refuses a symbolic link itself.
    """
    try:
        _check_kind(os.stat(path) if links else os.lstat(path), limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | (0 if links else os.O_NOFOLLOW))
    except FileNotFoundError as exc:
        raise Unreadable("missing", "does not exist") from exc
    except OSError as exc:
        raise Unreadable("error", f"cannot be read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        _check_kind(info, limit)
        size = info.st_size
        data = os.read(fd, size + 1)  # sized by the file: asking for the limit would allocate it every time
        while len(data) > size and len(data) <= limit:  # it grew after it was looked at
            more = os.read(fd, limit + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as exc:
        raise Unreadable("error", f"cannot be read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable("large", _too_large(len(data), limit), len(data))
    return data


def _check_kind(info: os.stat_result, limit: int) -> None:
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise Unreadable("link", "is a symbolic link, not a regular file")
    if stat.S_ISDIR(mode):
        raise Unreadable("directory", "is a directory, not a file")
    for test, why in _SPECIAL:
        if test(mode):
            raise Unreadable("special", why)
    if info.st_size > limit:
        raise Unreadable("large", _too_large(info.st_size, limit), info.st_size)


def _too_large(size: int, limit: int) -> str:
    return f"is {size / 1e6:.1f} MB, more than the {limit / 1e6:g} MB allowed"


def read_regular(path: Path | str, limit: int = 1_000_000) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link) of at most ``limit`` bytes, else None."""
    try:
        return read_bounded(path, limit=limit, links=False)
    except Unreadable:
        return None


def read_config_text(path: Path, shown: str, *, limit: int = CONFIG_BYTES) -> str | None:
    """A configuration file's text (symbolic links followed), None when there is none; CannotRun naming ``shown`` otherwise."""
    try:
        data = read_bounded(path, limit=limit)
    except Unreadable as exc:
        if exc.kind == "missing" and not os.path.lexists(path):
            return None
        raise CannotRun(f"{shown} {exc.why}; make it a regular file, or remove it") from exc
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise CannotRun(f"{shown} is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8") from exc


def lock_path(root: Path) -> Path:
    """Where the log's write lock lives: in the git directory of the repository holding ``root``, else in ``root``.

    In the git directory it is never committed and never shows in ``git status``; a linked worktree
    (whose ``.git`` is a file naming its git directory) has a lock of its own, as it has files of its own.
    """
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / LOCK_NAME
        if dot_git.is_file():
            text = read_config_text(dot_git, ".git") or ""
            if text.startswith("gitdir:"):
                return (folder / text[len("gitdir:") :].strip()) / LOCK_NAME
    return root / f".{LOCK_NAME}"


@contextmanager
def log_lock(root: Path) -> Iterator[None]:
    """Hold the log's write lock while the block reads, checks and writes memos; re-entrant within one process.

    The lock is an advisory ``flock`` (the filelock library), so the system releases it when a
    process ends, even killed: no stale lock is ever left to clear by hand. Waiting longer than
    ``LOCK_TIMEOUT`` is refused, with nothing written.
    """
    from filelock import FileLock, Timeout

    path = lock_path(root)
    lock = FileLock(str(path), is_singleton=True)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout as exc:
        raise Refused(
            f"another decide command has been changing the log for {LOCK_TIMEOUT:g} s (it holds {path}); "
            "nothing was written: run the command again once it has finished"
        ) from exc
    except OSError as exc:
        raise CannotRun(f"cannot lock the log ({path}): {exc.strerror or exc}; nothing was written") from exc
    try:
        yield
    finally:
        lock.release()
