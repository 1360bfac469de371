"""Files: atomic writes (a reader or a crash never sees half a file; an existing memo is never overwritten), and reading regular files only."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from decide.errors import CannotRun, Refused


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` atomically; refuse if it exists (even if created a moment ago)."""
    tmp = _write_temp(path, text)
    try:
        os.link(tmp, path)
    except FileExistsError as exc:
        raise Refused(f"{path.name} already exists; nothing was written") from exc
    except OSError as exc:
        raise CannotRun(f"cannot create {path}: {exc.strerror or exc}") from exc
    finally:
        os.unlink(tmp)


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


def _write_temp(path: Path, text: str) -> str:
    """Write ``text`` to a synced temporary file beside ``path`` (same filesystem, so link/rename are atomic)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise CannotRun(f"cannot write in {path.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
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
