"""The unchanged memos a check needs: what it reads of a memo's links, and which memos it finds in git."""

from __future__ import annotations

import pytest
from conftest import GitRepo, memo_text

from decide import git
from decide.check.branch import EarlySearch
from decide.check.nearby import NO_LINKS, Links, NearbySearch, Unchanged, find_nearby, links_of
from decide.memo import Memo, parse
from decide.validate import Ref

A, B, C, D = "D-1AAAAA", "D-2BBBBB", "D-3CCCCC", "D-4DDDDD"


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


def changed(memo_id: str, **fields: object) -> Memo:
    memo = parse(memo_text(memo_id, **fields), f"decisions/{memo_id}-new.md").memo
    assert memo is not None
    return memo


def test_only_memos_that_name_the_change_are_read(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-a.md", memo_text(A))
    repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))
    repo.write(f"decisions/{C}-c.md", memo_text(C, body="\n## Context\n\nSee D-1AAAAA.\n"))  # names A, links nowhere
    repo.write("decisions/D-9ZZZZZ-z.md", memo_text("D-9ZZZZZ", supersedes=["D-8YYYYY"]))  # links, names no change
    repo.write("decisions/D-8YYYYY-y.md", memo_text("D-8YYYYY"))
    fork = repo.commit("base")
    found = find_nearby(repo.root, fork, "decisions", [changed(D, supersedes=[A])], {f"decisions/{D}-new.md"})
    assert found.ids == {f"decisions/{A}-a.md": A}
    assert found.linked == (Ref(f"decisions/{B}-b.md", B, (A,), ()),)


def test_touched_memos_are_left_out_and_an_unknown_target_brings_every_id(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-a.md", memo_text(A))
    repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))
    repo.write(f"decisions/{C}-c.md", memo_text(C))
    fork = repo.commit("base")
    touched = {f"decisions/{B}-b.md"}
    found = find_nearby(repo.root, fork, "decisions", [changed(B, supersedes=["D-0NOONE"])], touched)
    assert found == type(found)({f"decisions/{A}-a.md": A, f"decisions/{C}-c.md": C}, ())


def test_a_grep_started_early_is_used_and_only_the_words_it_missed_are_grepped_again(repo: GitRepo) -> None:
    repo.write(f"decisions/{A}-a.md", memo_text(A))
    repo.write(f"decisions/{B}-b.md", memo_text(B, supersedes=[A]))  # found by the early grep, for A
    repo.write(f"decisions/{C}-c.md", memo_text(C, aliases=["0007"]))  # found only by a grep for the alias
    repo.write("decisions/D-9ZZZZZ-z.md", memo_text("D-9ZZZZZ", supersedes=[C], body=f"\nSee {A}.\n"))
    fork = repo.commit("base")
    early = EarlySearch(frozenset({A, D}), git.start_grep_names(repo.root, fork, "decisions", [A, D]))
    log = Unchanged(repo.root, fork, "decisions", frozenset({f"decisions/{D}-new.md"}))
    search = NearbySearch(log, [changed(D, supersedes=[A], aliases=["0007"])], early)
    assert search.result().linked == (
        Ref(f"decisions/{B}-b.md", B, (A,), ()),
        Ref(f"decisions/{C}-c.md", C, (), ("0007",)),
    ), "D-9ZZZZZ names A in its text only, and links to neither the change nor its words"
    assert len(search._greps) == 2, "the early grep, and one for the alias it could not guess"
