"""Dates as teams write them in ADRs (``2019-03-01``, ``15/05/2023``, ``15 May 2023``, ``[2023-05-09]``), read as ISO dates."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

ORDERS = ("auto", "dmy", "mdy")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{_MONTH},?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_WRAPPING = " \t[](){}*_`'\"<>"


@dataclass(frozen=True)
class DateRead:
    """A written date as ``YYYY-MM-DD`` ("" when it is not one), and what a person should know about the reading."""

    iso: str
    note: str = ""
    needs_human: bool = False


def read_date(text: str, order: str = "auto") -> DateRead:
    """The date ``text`` starts with; ``order`` (dmy or mdy) says how to read ``05/06/2023``, which auto cannot tell."""
    written = text.strip(_WRAPPING)
    if not written:
        return DateRead("")
    for read in (_read_iso, _read_named, _read_slashed):
        found = read(written, order)
        if found is not None:
            return found
    return DateRead("", f'"{_short(text)}" is not a date (YYYY-MM-DD); treated as missing')


def infer_order(texts: Iterable[str]) -> str:
    """``dmy`` or ``mdy`` when the folder's unambiguous slashed dates (a day over 12) all agree; else ""."""
    seen = set()
    for text in texts:
        match = _SLASHED.match(text.strip(_WRAPPING))
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                seen.add("dmy")
            elif second > 12 >= first:
                seen.add("mdy")
    return seen.pop() if len(seen) == 1 else ""


def _read_iso(text: str, _order: str) -> DateRead | None:
    match = _ISO.match(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    iso = _iso(year, month, day)
    if iso:
        return DateRead(iso)
    swapped = _iso(year, day, month) if month > 12 else ""
    if swapped:
        return DateRead(swapped, f'"{match.group(0)}" has its day and month swapped; read as {swapped}')
    return DateRead("", f'"{_short(text)}" is not a real date; treated as missing')


def _read_named(text: str, _order: str) -> DateRead | None:
    match = _DAY_MONTH.match(text)
    if match:
        day, month, year = match.groups()
    elif match := _MONTH_DAY.match(text):
        month, day, year = match.groups()
    else:
        return None
    iso = _iso(int(year), _MONTHS[month.casefold()], int(day))
    return DateRead(iso) if iso else DateRead("", f'"{_short(text)}" is not a real date; treated as missing')


def _read_slashed(text: str, order: str) -> DateRead | None:
    """``dd/mm/yyyy`` or ``mm/dd/yyyy`` (also ``.`` or ``-``, and two-digit years, read as 20yy)."""
    match = _SLASHED.match(text)
    if not match:
        return None
    first, second, year_text = match.groups()
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    day_first, month_first = _iso(year, int(second), int(first)), _iso(year, int(first), int(second))
    if not (day_first or month_first):
        return DateRead("", f'"{_short(text)}" is not a real date; treated as missing')
    if day_first == month_first or not (day_first and month_first):
        return DateRead(day_first or month_first)
    if order in ("dmy", "mdy"):
        return DateRead(day_first if order == "dmy" else month_first)
    message = (
        f'"{match.group(0)}" is {_spoken(day_first)} or {_spoken(month_first)}; read day first ({day_first}): '
        "check it, or pass --date-order mdy"
    )
    return DateRead(day_first, message, needs_human=True)


def _iso(year: int, month: int, day: int) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _spoken(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    month = next(name for name, number in _MONTHS.items() if number == day.month)
    return f"{day.day} {month.capitalize()} {day.year}"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
