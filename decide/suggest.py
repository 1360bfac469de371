"""Suggestions for near misses: "did you mean ...?"."""

from __future__ import annotations

import datetime
import difflib
import re
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


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*", re.ASCII)
_YEAR_MONTH_DAY = re.compile(r"\s*(\d{4})[./-](\d{1,2})[./-](\d{1,2})\s*", re.ASCII)


def date_advice(text: str) -> str:
    """How to write ``text`` as YYYY-MM-DD: both readings of 12/05/2026, the one of 2026/5/3, or the format alone."""
    readings = _readings(text)
    if len(readings) == 2:
        return "write YYYY-MM-DD: " + ", or ".join(f"{iso} if it means {spoken}" for iso, spoken in readings)
    if readings:
        return f"write YYYY-MM-DD: {readings[0][0]}"
    return "write YYYY-MM-DD (e.g. 2026-02-28)"


def _readings(text: str) -> list[tuple[str, str]]:
    """``(iso, spoken)`` for each real date ``text`` may mean, day-first reading first."""
    ymd = _YEAR_MONTH_DAY.fullmatch(text)
    if ymd:
        candidates = [(int(ymd[1]), int(ymd[2]), int(ymd[3]))]
    else:
        dmy = _DAY_MONTH_YEAR.fullmatch(text)
        if not dmy:
            return []
        first, second, year = int(dmy[1]), int(dmy[2]), int(dmy[3])
        candidates = [(year, second, first), (year, first, second)]
    found: list[tuple[str, str]] = []
    for year, month, day in candidates:
        try:
            iso = datetime.date(year, month, day).isoformat()
        except ValueError:
            continue
        if iso not in (f for f, _ in found):
            found.append((iso, f"{day} {_MONTHS[month - 1]} {year}"))
    return found
