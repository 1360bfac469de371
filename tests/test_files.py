"""Atomic writes that never overwrite a memo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decide.errors import CannotRun, Refused
from decide.files import replace, write_new


def test_write_new_creates_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    write_new(tmp_path / "a.md", "text\n")
    assert (tmp_path / "a.md").read_text() == "text\n"
    assert os.listdir(tmp_path) == ["a.md"]


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("original")
    with pytest.raises(Refused, match=r"^a\.md already exists; nothing was written$"):
        write_new(tmp_path / "a.md", "new")
    assert (tmp_path / "a.md").read_text() == "original"
    assert os.listdir(tmp_path) == ["a.md"]


def test_replace_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("old")
    path.chmod(0o640)
    replace(path, "new")
    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.mkdir()  # os.replace cannot put a file over a directory
    (target / "keep").write_text("kept")
    with pytest.raises(CannotRun, match="the original is unchanged"):
        replace(target, "new")
    assert sorted(os.listdir(tmp_path)) == ["a.md"]
    assert (target / "keep").read_text() == "kept"


def test_writing_into_a_missing_directory_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(CannotRun, match="cannot write in"):
        write_new(tmp_path / "missing" / "a.md", "x")


def test_write_new_many_creates_every_file_and_never_overwrites_one(tmp_path: Path) -> None:
    from decide.files import write_new_many

    (tmp_path / "b.md").write_text("keep me", encoding="utf-8")
    with pytest.raises(Refused, match=r"^b\.md already exists; nothing more was written$"):
        write_new_many([(tmp_path / "a.md", "A\r\n"), (tmp_path / "b.md", "B"), (tmp_path / "c.png", b"\x89PNG")])
    assert (tmp_path / "a.md").read_bytes() == b"A\r\n"
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "c.png").exists()
    write_new_many([(tmp_path / "c.png", b"\x89PNG")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md", "c.png"]  # no temporary file left


def _why(path: Path, **options: object) -> tuple[str, str]:
    from decide.files import Unreadable, read_bounded

    with pytest.raises(Unreadable) as refused:
        read_bounded(path, limit=options.pop("limit", 100), **options)  # type: ignore[arg-type]
    return refused.value.kind, refused.value.why


def test_a_bounded_read_refuses_what_is_not_a_regular_file_without_opening_it_for_a_blocking_read(
    tmp_path: Path,
) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "folder").mkdir()
    assert _why(tmp_path / "pipe") == ("special", "is a named pipe (FIFO), not a regular file")
    assert _why(tmp_path / "zero") == ("special", "is a device, not a regular file")
    assert _why(tmp_path / "folder") == ("directory", "is a directory, not a file")
    assert _why(tmp_path / "missing") == ("missing", "does not exist")


def test_a_bounded_read_follows_links_unless_told_not_to_and_keeps_to_its_limit(tmp_path: Path) -> None:
    from decide.files import read_bounded

    (tmp_path / "real").write_bytes(b"x" * 100)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_bounded(tmp_path / "link", limit=100) == b"x" * 100
    assert _why(tmp_path / "link", links=False) == ("link", "is a symbolic link, not a regular file")
    assert _why(tmp_path / "real", limit=99) == ("large", "is 0.0 MB, more than the 9.9e-05 MB allowed")
