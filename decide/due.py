"""What needs attention: overdue reviews, proposals open too long, decisions with no escalation path, imported memos still to check, overloaded DRIs.

Each item carries its DRI's contact (the handle and email from the roster, else from the DRI
text), so the report can reach the person: as text, versioned JSON, escaped Markdown, or one
digest per DRI (``split_by_dri``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from decide.index import IndexEntry
from decide.person import Person, is_tbd, parse_person
from decide.roster import Roster
from decide.schema import parse_date

DUE_VERSION = 1
ContactOf = Callable[[IndexEntry], Person]


@dataclass(frozen=True)
class DueItem:
    """One memo that needs attention: ``days`` says how late (or how long), ``detail`` says it in words."""

    id: str
    title: str
    path: str
    dri: str
    days: int
    detail: str
    dri_handle: str = ""
    dri_email: str = ""

    @property
    def person(self) -> Person:
        return Person(self.dri, self.dri_email, self.dri_handle)


@dataclass(frozen=True)
class DriLoad:
    """A DRI with more open proposals than the limit."""

    dri: str
    open: int
    limit: int
    ids: tuple[str, ...]
    dri_handle: str = ""
    dri_email: str = ""

    @property
    def person(self) -> Person:
        return Person(self.dri, self.dri_email, self.dri_handle)


@dataclass(frozen=True)
class DueReport:
    """Everything due on ``today``, in five groups."""

    today: str
    overdue_reviews: tuple[DueItem, ...]
    stale_proposals: tuple[DueItem, ...]
    no_escalation: tuple[DueItem, ...]
    overloaded: tuple[DriLoad, ...]
    needs_human: tuple[DueItem, ...] = ()

    @property
    def count(self) -> int:
        groups = (self.overdue_reviews, self.stale_proposals, self.no_escalation, self.needs_human, self.overloaded)
        return sum(len(group) for group in groups)

    def to_dict(self) -> dict[str, Any]:
        """The report as versioned JSON data (``docs/json.md``): ``version`` first, then the day, the count and the groups."""
        return {"version": DUE_VERSION, **asdict(self), "count": self.count}


GROUPS = (
    ("overdue_reviews", "Reviews overdue"),
    ("stale_proposals", "Proposals open too long"),
    ("no_escalation", "Decided without an escalation path"),
    ("needs_human", "Imported, still to check by hand"),
)
OVERLOADED = "DRIs with too many open proposals"


def plain_contact(entry: IndexEntry) -> Person:
    """The DRI as the memo writes it: ``Ana Ruiz <ana@example.com>``, ``@ana``, ``Ana Ruiz``."""
    return parse_person(entry.dri)


def roster_contact(roster: Roster | None) -> ContactOf:
    """The DRI as the roster knows them (name, handle, email), what the memo writes filling any gap."""

    def contact(entry: IndexEntry) -> Person:
        return contact_in(roster, entry.dri)

    return contact


def contact_in(roster: Roster | None, dri: str) -> Person:
    """``dri`` with the name, handle and email its roster entry gives (the DRI text fills any gap)."""
    written = parse_person(dri)
    member = roster.find(dri) if roster is not None and not roster.problems and not is_tbd(dri) else None
    if member is None:
        return written
    return Person(
        member.name or written.name,
        member.email or written.email,
        f"@{member.handle}" if member.handle else written.handle,
    )


def find_due(
    entries: Iterable[IndexEntry],
    today: str,
    *,
    proposal_age_limit: int,
    dri_load_limit: int,
    contact: ContactOf = plain_contact,
) -> DueReport:
    """What needs attention on ``today``; superseded, rejected and retired memos never do, unless marked ``needs_human``."""
    day = datetime.date.fromisoformat(today)
    entries = list(entries)
    return DueReport(
        today=today,
        overdue_reviews=_sorted(_overdue_reviews(entries, day, contact)),
        stale_proposals=_sorted(_stale_proposals(entries, day, proposal_age_limit, contact)),
        no_escalation=_sorted(_no_escalation(entries, day, contact)),
        overloaded=find_overloaded(entries, dri_load_limit, contact),
        needs_human=_sorted(_needs_human(entries, day, contact)),
    )


def _sorted(items: Iterable[DueItem]) -> tuple[DueItem, ...]:
    return tuple(sorted(items, key=lambda i: (-i.days, i.id)))


def _overdue_reviews(entries: list[IndexEntry], today: datetime.date, contact: ContactOf) -> Iterable[DueItem]:
    for e in entries:
        due = parse_date(e.review_by)
        if e.status == "decided" and due and due < today:
            late = (today - due).days
            yield _item(e, contact(e), late, f"review was due {e.review_by}, {_days(late)} late")


def _stale_proposals(
    entries: list[IndexEntry], today: datetime.date, limit: int, contact: ContactOf
) -> Iterable[DueItem]:
    for e in entries:
        opened = parse_date(e.date)
        if e.status == "proposed" and opened and (today - opened).days > limit:
            age = (today - opened).days
            detail = f"open since {e.date}, {_days(age)} ({_days(age - limit)} over the {limit}-day limit)"
            yield _item(e, contact(e), age, detail)


def _no_escalation(entries: list[IndexEntry], today: datetime.date, contact: ContactOf) -> Iterable[DueItem]:
    for e in entries:
        if e.status != "decided" or (e.escalation and e.escalation.trigger and e.escalation.to):
            continue
        decided = parse_date(e.decided_on)
        since = (today - decided).days if decided else 0
        origin = f" (imported from {e.imported_from})" if e.imported_from else ""
        when = f"decided {e.decided_on}, {_days(since)} ago" if decided else "decided"
        yield _item(e, contact(e), since, f"{when}{origin}; add escalation: trigger and to")


def _needs_human(entries: list[IndexEntry], today: datetime.date, contact: ContactOf) -> Iterable[DueItem]:
    for e in entries:
        if e.needs_human:
            opened = parse_date(e.date)
            fields = ", ".join(dict.fromkeys(item.partition(":")[0].strip() for item in e.needs_human))
            count = len(e.needs_human)
            what = f"{count} item{'s' if count != 1 else ''} to check ({fields})"
            yield _item(e, contact(e), (today - opened).days if opened else 0, f"{what}; see needs_human in the memo")


def find_overloaded(
    entries: Iterable[IndexEntry], limit: int, contact: ContactOf = plain_contact
) -> tuple[DriLoad, ...]:
    """DRIs carrying more than ``limit`` open proposals; one person however the memos write them (``same_people``)."""
    proposals = [e for e in entries if e.status == "proposed" and e.dri.strip() and not is_tbd(e.dri)]
    loads = [
        DriLoad(who.name, len(found), limit, tuple(sorted(e.id for e in found)), who.handle, who.email)
        for who, found in by_person(proposals, contact)
        if len(found) > limit
    ]
    return tuple(sorted(loads, key=lambda d: (-d.open, d.dri)))


def by_person(entries: Sequence[IndexEntry], contact: ContactOf) -> list[tuple[Person, list[IndexEntry]]]:
    """The entries grouped by their DRI as one person (``same_people``), each group with its merged contact."""
    people = [contact(e) for e in entries]
    groups: dict[int, list[int]] = {}
    for at, number in enumerate(same_people(people)):
        groups.setdefault(number, []).append(at)
    return [(merge_people([people[at] for at in found]), [entries[at] for at in found]) for found in groups.values()]


def same_people(people: Sequence[Person]) -> list[int]:
    """For each person, a group number: people who share a handle, an email or a name are one person.

    ``Ana Ruiz``, ``Ana Ruiz <ana@example.com>`` and ``ana@example.com`` are one; ``@ana`` joins
    them only when the roster (or one memo) gives the handle with the name or email.
    """
    parent = list(range(len(people)))

    def root(at: int) -> int:
        while parent[at] != at:
            parent[at] = parent[parent[at]]
            at = parent[at]
        return at

    owner: dict[tuple[str, str], int] = {}
    for at, person in enumerate(people):
        for key in _person_keys(person):
            if key in owner:
                parent[root(at)] = root(owner[key])
            else:
                owner[key] = at
    return [root(at) for at in range(len(people))]


def _person_keys(person: Person) -> list[tuple[str, str]]:
    keys = [("handle", person.handle.casefold()), ("email", person.email.casefold()), ("name", person.name.casefold())]
    return [(kind, value) for kind, value in keys if value]


def merge_people(people: Sequence[Person]) -> Person:
    """One person from the ways they are written: a real name over a bare handle or email, the first handle and email."""
    names = [p.name for p in people if p.name and p.name not in (p.handle, p.email)]
    handle = next((p.handle for p in people if p.handle), "")
    email = next((p.email for p in people if p.email), "")
    return Person(names[0] if names else handle or email or people[0].name, email, handle)


def _item(entry: IndexEntry, person: Person, days: int, detail: str) -> DueItem:
    return DueItem(entry.id, entry.title, entry.path, person.name, days, detail, person.handle, person.email)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def render_due_text(report: DueReport) -> str:
    """Grouped lines for a terminal or a CI log; each names the memo, its DRI and how late it is."""
    lines: list[str] = []
    for field, heading in GROUPS:
        items: Sequence[DueItem] = getattr(report, field)
        if items:
            lines.append(f"{heading} ({len(items)}):")
            lines += [f'  {i.id} "{i.title}" (DRI {i.dri}): {i.detail}' for i in items]
    if report.overloaded:
        lines.append(f"{OVERLOADED} ({len(report.overloaded)}):")
        lines += [f"  {d.dri}: {d.open} open proposals, limit {d.limit}: {', '.join(d.ids)}" for d in report.overloaded]
    return "\n".join(lines) + "\n" if lines else f"Nothing needs attention on {report.today}.\n"


def render_due_json(report: DueReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def merge_reports(today: str, reports: Iterable[DueReport], overloaded: tuple[DriLoad, ...]) -> DueReport:
    """One report from several (one per repository of an organisation), with the DRIs overloaded across them all."""
    reports = list(reports)
    return DueReport(
        today=today,
        overdue_reviews=_sorted(i for r in reports for i in r.overdue_reviews),
        stale_proposals=_sorted(i for r in reports for i in r.stale_proposals),
        no_escalation=_sorted(i for r in reports for i in r.no_escalation),
        overloaded=overloaded,
        needs_human=_sorted(i for r in reports for i in r.needs_human),
    )


def keep_items(report: DueReport, keep: Callable[[Person], bool]) -> DueReport:
    """The report with only the items (and overloaded DRIs) whose person ``keep`` accepts."""
    return replace(
        report,
        overdue_reviews=tuple(i for i in report.overdue_reviews if keep(i.person)),
        stale_proposals=tuple(i for i in report.stale_proposals if keep(i.person)),
        no_escalation=tuple(i for i in report.no_escalation if keep(i.person)),
        needs_human=tuple(i for i in report.needs_human if keep(i.person)),
        overloaded=tuple(d for d in report.overloaded if keep(d.person)),
    )
