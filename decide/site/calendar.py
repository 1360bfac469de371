"""Review dates as iCalendar (RFC 5545): one VCALENDAR per DRI, a VEVENT per decision's review, as pure text.

A calendar that subscribes to a DRI's feed shows each review on its day. Each event's UID is made
from the memo's ID alone, so when ``review_by`` moves on the event moves instead of doubling.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from decide.due import ContactOf, by_person, plain_contact
from decide.ids import slugify
from decide.index import IndexEntry
from decide.person import Person
from decide.schema import parse_date

PRODID = "-//decide//Decision reviews//EN"
_LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """One review on one day."""

    uid: str
    day: datetime.date
    summary: str
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """One person's calendar: ``slug`` names its file (``ana-ruiz.ics``), ``text`` is the VCALENDAR."""

    slug: str
    person: Person
    events: tuple[Event, ...]
    text: str


def review_feeds(
    entries: Iterable[IndexEntry],
    *,
    stamp: datetime.datetime,
    contact: ContactOf = plain_contact,
    domain: str = "decide.invalid",
    link: Callable[[IndexEntry], str] | None = None,
) -> tuple[Feed, ...]:
    """A feed per DRI of the decisions still in force that have a review date, ordered by slug.

    ``stamp`` is when the feeds were made (DTSTAMP, in UTC); ``domain`` ends each UID (the site's
    host); ``link`` gives a memo's address on the site, when there is one.
    """
    current = [e for e in entries if e.status == "decided" and parse_date(e.review_by) and e.dri.strip()]
    feeds = []
    for person, found in by_person(current, contact):
        events = sorted((_event(e, domain, link) for e in found), key=lambda e: (e.day, e.uid))
        feeds.append((person, tuple(events)))
    slugs = _slugs([p for p, _events in feeds])
    made = [
        Feed(slug, p, ev, render_calendar(f"Reviews: {p.name}", ev, stamp))
        for slug, (p, ev) in zip(slugs, feeds, strict=True)
    ]
    return tuple(sorted(made, key=lambda f: f.slug))


def _event(entry: IndexEntry, domain: str, link: Callable[[IndexEntry], str] | None) -> Event:
    lines = [f"{entry.id}: {entry.title}", f"DRI: {entry.dri}"]
    if entry.escalation and entry.escalation.trigger:
        lines.append(f"Escalates to {entry.escalation.to} when {entry.escalation.trigger}")
    lines.append(f"File: {entry.path}")
    day = parse_date(entry.review_by)
    assert day is not None  # only entries with a review date are given
    uid = f"review-{entry.id.replace(':', '-')}@{domain}"
    return Event(
        uid, day, f"Review {entry.id}: {entry.title}", "\n".join(lines), link(entry) if link else "", entry.tags
    )


def _slugs(people: Sequence[Person]) -> list[str]:
    slugs: list[str] = []
    for person in people:
        base = slugify(person.handle or person.email or person.name) or "dri"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.append(slug)
    return slugs


def render_calendar(name: str, events: Sequence[Event], stamp: datetime.datetime) -> str:
    """A VCALENDAR with one all-day VEVENT per event: escaped, folded at 75 octets, CRLF line ends."""
    stamped = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    for event in events:
        lines += _event_lines(event, stamped)
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _event_lines(event: Event, stamped: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamped}",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
        "TRANSP:TRANSPARENT",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{_uri(event.url)}")
    if event.categories:
        lines.append(f"CATEGORIES:{','.join(escape_text(c) for c in event.categories)}")
    return [*lines, "END:VEVENT"]


def escape_text(text: str) -> str:
    r"""A TEXT value (RFC 5545 3.3.11): ``\`` ``;`` ``,`` escaped, line breaks as ``\n``, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(c for c in text if c == "\t" or c.isprintable())


def _uri(url: str) -> str:
    """A URI value carries no escapes; characters a URI cannot hold are percent-encoded."""
    from urllib.parse import quote

    return quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")


def fold_line(line: str) -> str:
    """``line`` folded (RFC 5545 3.1): at most 75 octets a line, never inside a character, each fold CRLF + space."""
    raw = line.encode("utf-8")
    if len(raw) <= _LINE_OCTETS:
        return line
    parts: list[str] = []
    start, limit = 0, _LINE_OCTETS
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # a continuation byte: step back to the character's start
            end -= 1
        parts.append(raw[start:end].decode("utf-8"))
        start, limit = end, _LINE_OCTETS - 1  # a continuation line's leading space counts
    return "\r\n ".join(parts)
