"""Suggestions for near misses: "did you mean ...?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], *, limit: int = 3) -> list[str]:
    """The choices that look most like ``word``, best first (case-insensitive)."""
    by_folded = {choice.casefold(): choice for choice in choices}
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=limit, cutoff=0.6)
    return [by_folded[f] for f in found]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``'; did you mean "x"?'`` or an empty string when nothing is close."""
    close = close_matches(word, choices, limit=1)
    return f'; did you mean "{close[0]}"?' if close else ""
