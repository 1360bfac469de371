"""IDs that never collide across branches, and safe file names."""

from __future__ import annotations

import pytest

from decide.ids import (
    ALPHABET,
    ID_LENGTH,
    ID_PATTERN,
    SLUG_MAX,
    filename,
    id_from_filename,
    ids_in,
    new_id,
    normalize_id,
    slugify,
)


def test_new_ids_are_short_citable_and_avoid_taken_ones() -> None:
    taken: set[str] = set()
    for _ in range(2000):  # each new ID avoids those drawn before it (two random draws collide ~0.2% of the time)
        taken.add(new_id(taken))
    assert len(taken) == 2000
    fresh = new_id(taken)
    assert fresh not in taken
    assert ID_PATTERN.match(fresh)
    assert len(fresh) <= 12


def test_new_ids_draw_every_letter_in_every_place_with_equal_odds() -> None:
    assert 256 % len(ALPHABET) == 0, "a random byte maps to a letter without bias only then"
    ids = [new_id(set()) for _ in range(3200)]
    for place in range(2, 2 + ID_LENGTH):
        counts = dict.fromkeys(ALPHABET, 0)
        for memo_id in ids:
            counts[memo_id[place]] += 1
        assert min(counts.values()) > 40 and max(counts.values()) < 200, counts  # 100 expected; 6 sigma either way


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Adopt Postgres for billing", "adopt-postgres-for-billing"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c: d?", "a-b-c-d"),
        ("Café über Ärger", "cafe-uber-arger"),
        ("日本語のタイトル", ""),
        ("...", ""),
    ],
)
def test_slugify(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify("word " * 60)
    assert len(slug) <= SLUG_MAX
    assert slug.endswith("word")


def test_a_300_character_word_is_cut_too() -> None:
    assert len(slugify("x" * 300)) == SLUG_MAX


@pytest.mark.parametrize("title", ["../../x", "/abs/path", "a\x00b", "日本語", "x" * 300, "CON", ".hidden"])
def test_file_names_are_safe(title: str) -> None:
    name = filename("D-AAAAAA", title)
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert name.startswith("D-AAAAAA")
    assert name.endswith(".md")
    assert len(name) <= 80
    assert id_from_filename(name) == "D-AAAAAA"


@pytest.mark.parametrize(
    ("typed", "wanted"), [("d-7kq2mx", "D-7KQ2MX"), ("7KQ2MX", "D-7KQ2MX"), ("D-7KQ2MO", "D-7KQ2M0"), ("7", "7")]
)
def test_ids_are_read_the_way_people_type_them(typed: str, wanted: str) -> None:
    assert normalize_id(typed) == wanted


@pytest.mark.parametrize(
    ("name", "found"),
    [("D-AAAAAA.md", "D-AAAAAA"), ("D-AAAAAA-x.md", "D-AAAAAA"), ("D-AAAAAAA.md", None), ("x.md", None)],
)
def test_id_from_filename(name: str, found: str | None) -> None:
    assert id_from_filename(name) == found


def test_ids_in_finds_every_id_written_as_a_word() -> None:
    raw = b"---\nid: D-7KQ2MX\nsupersedes: [D-1AAAAA]\n---\nSee D-2BBBBB, not xD-3CCCCC or D-4DDDDD9 or d-5eeeee.\n"
    assert ids_in(raw) == {"D-7KQ2MX", "D-1AAAAA", "D-2BBBBB"}
