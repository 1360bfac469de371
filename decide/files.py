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

    Every file is written to a temporary name first, then one ``sync`` makes them all durable before
    any is linked into place (one ``fsync`` per file costs 5 ms or more each; on Linux ``sync`` waits for
    the disk, elsewhere each file is synced). A file that exists stops the batch there; those linked
    before it stay, complete.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, content in files:
            temps.append((_write_temp(path, content, sync=not sys.platform.startswith("linux")), path))
        if sys.platform.startswith("linux"):
            os.sync()
        for tmp, path in temps:
            _link(tmp, path, "nothing more was written")
    finally:
        for tmp, _path in temps:
            if os.path.lexists(tmp):
                os.unlink(tmp)


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
