"""Files: atomic writes (a reader or a crash never sees half a file; an existing memo is never overwritten), and reading regular files only."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from decide.errors import CannotRun, Refused


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


def read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file, else None: a named pipe would block the read forever."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None
