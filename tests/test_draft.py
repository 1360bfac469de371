"""A new memo: its text, safe creation, and the "decided before?" warning."""

from __future__ import annotations

import frontmatter
import pytest
from conftest import GitRepo

from decide.config import Config
from decide.draft import Draft, create_memo, render_draft, similar_titles
from decide.errors import Refused
from decide.files import write_new
from decide.memo import parse


def draft(**fields: object) -> Draft:
    values: dict[str, object] = {"title": "Adopt Postgres", "dri": "Ana Ruiz", "date": "2026-01-05"}
    values.update(fields)
    return Draft(**values)  # type: ignore[arg-type]


def test_rendered_memo_reads_back_and_is_readable_by_python_frontmatter() -> None:
    text = render_draft(draft(title='Say "no": #1 choice', inputs=("Finance: CFO",), tags=("a b",)), "D-AAAAAA")
    memo = parse(text, "m.md").memo
    assert memo is not None
    assert (memo.title, memo.inputs[0].who, memo.tags) == ('Say "no": #1 choice', "Finance: CFO", ("a b",))
    post = frontmatter.loads(text)  # the library most editors' tooling uses reads our memos the same way
    assert post["title"] == 'Say "no": #1 choice'
    assert "## Options considered" in post.content


def test_the_body_template_has_the_four_sections() -> None:
    text = render_draft(draft(), "D-AAAAAA")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Context", "## Options considered", "## Decision", "## Consequences"]


@pytest.mark.parametrize(
    "title", ["../../../etc/passwd", "a/b/c", "日本語のタイトル", "x" * 300, "..", "Ünïcödé / ..\\.."]
)
def test_any_title_makes_a_file_inside_decisions(repo: GitRepo, title: str) -> None:
    created = create_memo(Config(root=repo.root), draft(title=title if len(title) > 3 else title + " it"))
    assert created.path.parent == repo.decisions
    assert created.path.name.startswith(created.id)
    assert created.path.is_file()


def test_create_never_overwrites_an_existing_file(repo: GitRepo) -> None:
    created = create_memo(Config(root=repo.root), draft())
    before = created.path.read_text()
    with pytest.raises(Refused):
        write_new(created.path, "replacement")
    assert created.path.read_text() == before


def test_similar_titles_finds_near_duplicates_only(repo: GitRepo) -> None:
    old = repo.add_memo("D-AAAAAA", title="Adopt Postgres for billing")
    repo.add_memo("D-BBBBBB", title="Hire two SREs")
    found = similar_titles(Config(root=repo.root), "adopt postgresql for billing")
    assert found == [("D-AAAAAA", "Adopt Postgres for billing", old)]
    assert similar_titles(Config(root=repo.root), "Pick a CI vendor") == []


def test_similar_titles_compares_titles_beyond_ascii(repo: GitRepo) -> None:
    japanese = repo.add_memo("D-AAAAAA", title="日本語のタイトル")
    cafe = repo.add_memo("D-BBBBBB", title="Café policy for the office")
    config = Config(root=repo.root)
    assert similar_titles(config, "日本語のタイトル") == [("D-AAAAAA", "日本語のタイトル", japanese)]
    assert similar_titles(config, "ＣＡＦÉ POLICY for the office") == [("D-BBBBBB", "Café policy for the office", cafe)]
    assert similar_titles(config, "別の話題について") == []
