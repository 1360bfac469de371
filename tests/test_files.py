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
