"""The cache of unchanged memos' links: what it reads from a memo, and that it is reused and never trusted blindly."""

from __future__ import annotations

import json

import pytest
from conftest import GitRepo, memo_text

from decide import cache
from decide.cache import NO_LINKS, Links, links_of, unchanged_memos
from decide.memo import parse

A, B, C = "D-1AAAAA", "D-2BBBBB", "D-3CCCCC"


@pytest.mark.parametrize(
    "front",
    [
        "supersedes: [D-2BBBBB]\naliases: ['7']\n",
        "supersedes:\n  - D-2BBBBB\naliases:\n  - '7'\n",
        'supersedes:\n- D-2BBBBB\n# a comment\naliases:\n- "7"\n',
        '"supersedes": [D-2BBBBB]\naliases: ["7"]\n',  # a quoted key: read by the full parser
        "supersedes: [ D-2BBBBB ]\naliases: [7]\n",  # plain words: read without the YAML loader
        "supersedes:\n  - D-2BBBBB\naliases:\n  - 7\n",
        "supersedes: [D-2BBBBB, true]\naliases: [7, null]\n",  # not only words: the loader, which drops non-strings
        "supersedes:\n  - D-2BBBBB  # the old one\naliases: [7]\n",
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_links_of_reads_both_keys_in_any_yaml_style(front: str, newline: str) -> None:
    text = f"---\nid: {A}\ntitle: Adopt it\n{front}status: decided\n---\nbody\n"
    assert links_of(text.replace("\n", newline).encode(), "decisions/x.md") == Links((B,), ("7",))


def test_links_of_agrees_with_the_full_parser_on_a_generated_memo() -> None:
    text = memo_text(A, supersedes=[B, C], aliases=["0007"])
    memo = parse(text, "decisions/x.md").memo
    assert memo is not None
    assert links_of(text.encode(), "decisions/x.md") == Links(memo.supersedes, memo.aliases) == Links((B, C), ("0007",))


@pytest.mark.parametrize(
    "raw",
    [
        f"---\nid: {A}\n---\nThis supersedes nothing; aliases are for imports.\n",  # the words only in the body
        f"---\nid: {A}\nsupersedes: [{B}]\nsupersedes: [{C}]\n---\n",  # duplicate key: the memo is invalid
        f"---\nid: {A}\nsupersedes:\n\t- {B}\n---\n",  # a tab: the memo is invalid
        "no front-matter, supersedes D-2BBBBB\n",
    ],
)
def test_links_of_gives_none_where_the_memo_has_none_or_cannot_be_read(raw: str) -> None:
    assert links_of(raw.encode(), "decisions/x.md") == NO_LINKS


def test_a_second_check_from_the_same_base_reads_the_stored_answer(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-a.md", memo_text(A))
    repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))
    fork = repo.commit("base")
    git_dir = repo.root / ".git"
    first = unchanged_memos(repo.root, git_dir, fork, "decisions", {f"decisions/{A}-a.md"})
    assert first == ({f"decisions/{B}-b.md": B}, (cache.Ref(f"decisions/{B}-b.md", B, (A,), ()),))
    stored = json.loads((git_dir / cache.BASE_FILE).read_text(encoding="utf-8"))
    assert stored["fork"] == fork and stored["ids"] == {f"decisions/{A}-a.md": A, f"decisions/{B}-b.md": B}
    stored["ids"][f"decisions/{C}-c.md"] = C  # proof that the stored answer, not git, is read next time
    (git_dir / cache.BASE_FILE).write_text(json.dumps(stored), encoding="utf-8")
    again, _linked = unchanged_memos(repo.root, git_dir, fork, "decisions", set())
    assert set(again.values()) == {A, B, C}


def test_unreadable_cache_files_are_rebuilt(repo: GitRepo) -> None:
    repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))
    fork = repo.commit("base")
    git_dir = repo.root / ".git"
    (git_dir / "decide").mkdir()
    (git_dir / cache.BASE_FILE).write_text("{not json", encoding="utf-8")
    (git_dir / cache.BLOBS_FILE).write_text('{"none": 3, "links": []}', encoding="utf-8")
    ids, linked = unchanged_memos(repo.root, git_dir, fork, "decisions", set())
    assert ids == {f"decisions/{B}-b.md": B} and linked[0].supersedes == (A,)
    assert json.loads((git_dir / cache.BASE_FILE).read_text(encoding="utf-8"))["fork"] == fork
