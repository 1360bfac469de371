"""What a record's file name and title say: its number or date, a title without prefixes, and the ID its memo gets."""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Container
from dataclasses import dataclass

from decide.ids import ALPHABET, ID_LENGTH

# 0001-title.md, 001_title.md, adr-001-title.md, ADR-0001-title.md, ADR001-title.md
_NUMBERED = re.compile(r"^(?:adr[-_ ]?)?(\d{1,7})(?:[-_ .]+(.*))?$", re.IGNORECASE)
# 2023-05-15-title.md and 20230515-title.md: the day the record was written, not a number
_DATED = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[-_ .]+(.*))?$")
_NOT_RECORDS = frozenset({"template", "adr-template", "index", "readme"})
_STATUS_PREFIX = re.compile(
    r"^\[\s*(?:super[sc]eded|deprecated|rejected|obsolete|retired|amended|accepted|proposed|draft)\b"
    r"(?:[^\[\]]|\[[^\]]*\](?:\([^)]*\))?)*\]\s*",
    re.IGNORECASE,
)
_RECORD_PREFIX = re.compile(
    r"^(?:(?:architecture|architectural|any)\s+decision\s+record\s*(?:[:\-–—]\s*|$)|decision\s+record\s*:\s*|ADR\s*:\s*)",
    re.IGNORECASE,
)
# "ADR-0012: X", "ADR 12 X", "Decision 3: X"; then "12. X", "12: X", "0001 — X" (never "3-tier X" or "1.5 X")
_ADR_NUMBER = re.compile(r"^(?:ADR|Decision)[-_ #]*0*(\d{1,7})\s*(?:[.:)\-–—]\s*|\s+)", re.IGNORECASE)
_NUMBER = re.compile(r"^0*(\d{1,7})(?:[.:)]\s+|\s+[-–—:]\s+)")
_BARE_NUMBER = re.compile(r"^0*(\d{1,7})\s+(?=\S)")


@dataclass(frozen=True)
class FileName:
    """What a record's file name says: ``number`` ("0007", "001") or ``date`` (ISO) and the words after them."""

    stem: str
    number: str = ""
    date: str = ""
    words: str = ""


@functools.lru_cache(maxsize=65536)
def read_name(name: str) -> FileName | None:
    """The parts of a record's file name, or None when the file is not a record (``README.md``, ``adr-template.md``)."""
    if not name.endswith(".md"):
        return None
    stem = name[: -len(".md")]
    dated = _DATED.match(stem)
    if dated and (day := _real_date(*dated.groups()[:3])):
        return FileName(stem, date=day, words=dated.group(4) or "")
    numbered = _NUMBERED.match(stem)
    if not numbered or (numbered.group(2) or "").casefold() in _NOT_RECORDS:
        return None
    return FileName(stem, number=numbered.group(1), words=numbered.group(2) or "")


def _real_date(year: str, month: str, day: str) -> str:
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return ""
    return found.isoformat() if 1970 <= found.year <= 2100 else ""


def title_from_name(name: str) -> str:
    """``0007-use-postgres.md`` -> ``Use postgres``: a title for a record that has none."""
    parts = read_name(name)
    words = (parts.words if parts else name.removesuffix(".md")).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class CleanTitle:
    """A heading without the prefixes a team strips (``12.``, ``ADR-0012:``, ``[Superseded by …]``), and the number it named."""

    title: str
    number: str = ""


def clean_title(heading: str, file_number: str) -> CleanTitle:
    """Take off, as often as they come, a status in brackets, "Architecture Decision Record:", and a number prefix.

    A bare number ("23 Use X") goes only when it is the file's own number: "3 tier architecture" keeps it.
    """
    title, number = heading.strip(), ""
    while True:
        before = title
        title = _RECORD_PREFIX.sub("", _STATUS_PREFIX.sub("", title, count=1), count=1).strip()
        numbered = _ADR_NUMBER.match(title) or _NUMBER.match(title)
        bare = _BARE_NUMBER.match(title)
        if numbered:
            number, title = numbered.group(1), title[numbered.end() :].strip()
        elif bare and file_number and int(bare.group(1)) == int(file_number):
            number, title = bare.group(1), title[bare.end() :].strip()
        if title == before or not title:
            return CleanTitle(title or before, number)


def derive_id(seed: str, taken: Container[str]) -> str:
    """An ID that depends only on ``seed`` (and on which IDs are ``taken``), so a dry run shows the IDs the real run writes."""
    for attempt in range(1_000_000):
        digest = hashlib.sha256(f"{seed}\0{attempt}".encode("utf-8", "surrogateescape")).digest()
        candidate = "D-" + "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:ID_LENGTH])
        if candidate not in taken:
            return candidate
    raise AssertionError("no free ID")  # unreachable: 32**6 IDs, and a log holds far fewer
