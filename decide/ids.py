"""Memo IDs and file names: random, short, and collision-free across branches without coordination."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Container

# Crockford base32: no I, L, O or U, so IDs survive being read aloud and retyped.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ID_LENGTH = 6
ID_PATTERN = re.compile(rf"^D-[{ALPHABET}]{{{ID_LENGTH}}}$")
_FILE_ID = re.compile(rf"^(D-[{ALPHABET}]{{{ID_LENGTH}}})(?:-|\.md$)")
SLUG_MAX = 60
_ID_IN_TEXT = re.compile(rf"\bD-[{ALPHABET}]{{{ID_LENGTH}}}\b".encode())
# A repository's short name in an organisation's log (``decide org``): it qualifies IDs, ``payments:D-7KQ2MX``.
REPO_NAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
QUALIFIED_ID_PATTERN = re.compile(rf"^([a-z0-9](?:[a-z0-9._-]{{0,62}}[a-z0-9])?):(D-[{ALPHABET}]{{{ID_LENGTH}}})$")


def new_id(taken: Container[str]) -> str:
    """A fresh random ID not in ``taken``. 32**6 (about 10**9) choices, so branches do not collide."""
    while True:  # 256 is a multiple of 32, so each random byte picks a letter with equal odds
        candidate = "D-" + "".join(ALPHABET[byte % len(ALPHABET)] for byte in os.urandom(ID_LENGTH))
        if candidate not in taken:
            return candidate


def normalize_id(text: str) -> str:
    """Accept the forms people type: ``d-7kq2mx``, ``D-7KQ2MX``, ``7kq2mx``; map O->0 and I/L->1."""
    text = text.strip().upper()
    body = text.removeprefix("D-").translate(str.maketrans("OIL", "011"))
    return "D-" + body if len(body) == ID_LENGTH else text


def split_qualified(text: str) -> tuple[str, str]:
    """``payments:D-7KQ2MX`` -> ``("payments", "D-7KQ2MX")``; an ID without a repository gives ``("", ID)``.

    The repository part is lowercased and the ID read the way people type it (``payments:d-7kq2mx``).
    """
    repo, colon, memo_id = text.strip().rpartition(":")
    return (repo.strip().lower(), normalize_id(memo_id)) if colon else ("", normalize_id(text))


def qualify(repo: str, memo_id: str) -> str:
    """The ID as the organisation's log shows it: ``payments:D-7KQ2MX``."""
    return f"{repo}:{memo_id}"


def is_qualified(text: str) -> bool:
    """Whether ``text`` names a memo in another repository, as ``supersedes`` may (``payments:D-7KQ2MX``)."""
    return QUALIFIED_ID_PATTERN.match(text) is not None


def ids_in(raw: bytes) -> set[str]:
    """Every ID written in a memo's text, as a word: its own, those it supersedes, those it mentions."""
    return {found.decode() for found in _ID_IN_TEXT.findall(raw)}


def id_from_filename(name: str) -> str | None:
    """The ID a file name starts with, or None."""
    match = _FILE_ID.match(name)
    return match.group(1) if match else None


def slugify(title: str) -> str:
    """A safe, lowercase ASCII slug: no slashes, no dots, at most SLUG_MAX characters, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SLUG_MAX:
            break
        slug = candidate
    return slug or (words[0][:SLUG_MAX] if words else "")


def filename(memo_id: str, title: str) -> str:
    """``D-7KQ2MX-adopt-postgres.md``; just ``D-7KQ2MX.md`` when the title has no ASCII letters."""
    slug = slugify(title)
    return f"{memo_id}-{slug}.md" if slug else f"{memo_id}.md"
