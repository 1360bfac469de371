"""The iCalendar renderer: one calendar per DRI, a VEVENT per review, RFC 5545 escaping and folding, stable UIDs."""

from __future__ import annotations

import dataclasses
import datetime

import icalendar
from conftest import GitRepo

from decide.config import load_config
from decide.decisions import load_log
from decide.due import roster_contact
from decide.index import IndexEntry, build_index
from decide.roster import load_roster
from decide.site.calendar import escape_text, fold_line, review_feeds

A, B, C, D = "D-7KQ2MX", "D-3ND8WZ", "D-9PF4RT", "D-4HJ6KA"
STAMP = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)


def entries_of(repo: GitRepo) -> tuple[IndexEntry, ...]:
    return build_index(load_log(load_config(repo.root)).memos)


def test_one_calendar_per_dri_with_an_event_per_review(repo: GitRepo) -> None:
    repo.add_memo(A, review_by="2027-06-01")
    repo.add_memo(B, title="Hire a second SRE", dri="Bo Sand", review_by="2027-01-15")
    repo.add_memo(C, title="Keep the monolith", dri="Ana Ruiz", review_by="2026-09-30")  # the same Ana
    repo.add_memo(
        D, title="Price in euros", status="proposed", decided_on=None, review_by="2026-12-01"
    )  # no review yet
    feeds = review_feeds(entries_of(repo), stamp=STAMP)
    assert [(f.slug, f.person.name, [e.uid for e in f.events]) for f in feeds] == [
        ("ana-example-com", "Ana Ruiz", [f"review-{C}@decide.invalid", f"review-{A}@decide.invalid"]),
        ("bo-sand", "Bo Sand", [f"review-{B}@decide.invalid"]),
    ]


def test_the_calendar_text_is_rfc_5545(repo: GitRepo) -> None:
    repo.add_memo(B, title="Hire a second SRE", dri="Bo Sand", review_by="2027-01-15", tags=["hiring", "ops"])
    (feed,) = review_feeds(
        entries_of(repo),
        stamp=STAMP,
        domain="decisions.example.com",
        link=lambda e: f"https://decisions.example.com/{e.id}/",
    )
    assert feed.text == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//decide//Decision reviews//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "X-WR-CALNAME:Reviews: Bo Sand\r\n"
        "REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n"
        "X-PUBLISHED-TTL:P1D\r\n"
        "BEGIN:VEVENT\r\n"
        f"UID:review-{B}@decisions.example.com\r\n"
        "DTSTAMP:20260301T083000Z\r\n"
        "DTSTART;VALUE=DATE:20270115\r\n"
        "DTEND;VALUE=DATE:20270116\r\n"
        f"SUMMARY:Review {B}: Hire a second SRE\r\n"
        "TRANSP:TRANSPARENT\r\n"
        f"DESCRIPTION:{B}: Hire a second SRE\\nDRI: Bo Sand\\nEscalates to CTO whe\r\n"  # 75 octets
        f" n cost exceeds $50k a year\\nFile: decisions/{B}-hire-a-second-sre.md\r\n"
        f"URL:https://decisions.example.com/{B}/\r\n"
        "CATEGORIES:hiring,ops\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_a_real_parser_reads_back_every_value_as_written(repo: GitRepo) -> None:
    title = "Käse, Brot; und \\ Wein\nnoch ein Satz " + "sehr lang " * 12 + "🧀"
    repo.add_memo(A, title="x", review_by="2027-06-01", dri="Zoë Ünal <zoe@example.com>", tags=["a,b", "c;d"])
    entry = dataclasses.replace(entries_of(repo)[0], title=title)
    (feed,) = review_feeds([entry], stamp=STAMP)
    parsed = icalendar.Calendar.from_ical(feed.text)
    (event,) = parsed.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Review {A}: {title}"
    assert event.decoded("DTSTART") == datetime.date(2027, 6, 1)
    assert [str(c) for c in event["CATEGORIES"].cats] == ["a,b", "c;d"]
    assert str(parsed["X-WR-CALNAME"]) == "Reviews: Zoë Ünal"
    assert all(len(line.encode()) <= 75 for line in feed.text.split("\r\n"))


def test_the_uid_stays_when_the_review_date_moves(repo: GitRepo) -> None:
    repo.add_memo(A, review_by="2027-06-01")
    entry = entries_of(repo)[0]
    moved = dataclasses.replace(entry, review_by="2027-12-01")
    (before,), (after,) = (review_feeds([e], stamp=STAMP)[0].events for e in (entry, moved))
    assert before.uid == after.uid == f"review-{A}@decide.invalid"
    assert (before.day, after.day) == (datetime.date(2027, 6, 1), datetime.date(2027, 12, 1))


def test_a_qualified_id_makes_a_uid_per_repository(repo: GitRepo) -> None:
    repo.add_memo(A, review_by="2027-06-01")
    entry = entries_of(repo)[0]
    feeds = review_feeds(
        [dataclasses.replace(entry, id=f"payments:{A}"), dataclasses.replace(entry, id=f"billing:{A}")], stamp=STAMP
    )
    assert [e.uid for e in feeds[0].events] == [
        f"review-billing-{A}@decide.invalid",
        f"review-payments-{A}@decide.invalid",
    ]


def test_the_roster_gives_the_feed_its_person(repo: GitRepo) -> None:
    repo.write("decisions/people.yml", "- name: Ana Ruiz\n  handle: ana\n  email: ana@example.com\n")
    repo.add_memo(A, review_by="2027-06-01", dri="@ana")
    config = load_config(repo.root)
    (feed,) = review_feeds(entries_of(repo), stamp=STAMP, contact=roster_contact(load_roster(config)))
    assert (feed.slug, feed.person.name, feed.person.email) == ("ana", "Ana Ruiz", "ana@example.com")


def test_text_escaping() -> None:
    assert escape_text("a\\b;c,d\r\ne\rf\ng\x07h\ti") == "a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h\ti"


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 80
    folded = fold_line(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert [len(p.encode()) for p in pieces] == [74, 74, 20]
    assert fold_line("SHORT:x") == "SHORT:x"
