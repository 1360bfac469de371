"""What needs attention: overdue reviews, proposals open too long, decisions with no escalation path, imported memos still to check, overloaded DRIs."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from decide.index import IndexEntry
from decide.person import display_name, is_tbd
from decide.schema import parse_date


@dataclass(frozen=True)
class DueItem:
    """One memo that needs attention: ``days`` says how late (or how long), ``detail`` says it in words."""

    id: str
    title: str
    path: str
    dri: str
    days: int
    detail: str


@dataclass(frozen=True)
class DriLoad:
    """A DRI with more open proposals than the limit."""

    dri: str
    open: int
    limit: int
    ids: tuple[str, ...]


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
        return {**asdict(self), "count": self.count}


GROUPS = (
    ("overdue_reviews", "Reviews overdue"),
    ("stale_proposals", "Proposals open too long"),
    ("no_escalation", "Decided without an escalation path"),
    ("needs_human", "Imported, still to check by hand"),
)
OVERLOADED = "DRIs with too many open proposals"


def find_due(entries: Iterable[IndexEntry], today: str, *, proposal_age_limit: int, dri_load_limit: int) -> DueReport:
    """What needs attention on ``today``; superseded, rejected and retired memos never do, unless marked ``needs_human``."""
    day = datetime.date.fromisoformat(today)
    entries = list(entries)
    return DueReport(
        today=today,
        overdue_reviews=_sorted(_overdue_reviews(entries, day)),
        stale_proposals=_sorted(_stale_proposals(entries, day, proposal_age_limit)),
        no_escalation=_sorted(_no_escalation(entries, day)),
        overloaded=_overloaded(entries, dri_load_limit),
        needs_human=_sorted(_needs_human(entries, day)),
    )


def _sorted(items: Iterable[DueItem]) -> tuple[DueItem, ...]:
    return tuple(sorted(items, key=lambda i: (-i.days, i.id)))


def _overdue_reviews(entries: list[IndexEntry], today: datetime.date) -> Iterable[DueItem]:
    for e in entries:
        due = parse_date(e.review_by)
        if e.status == "decided" and due and due < today:
            late = (today - due).days
            yield _item(e, late, f"review was due {e.review_by}, {_days(late)} late")


def _stale_proposals(entries: list[IndexEntry], today: datetime.date, limit: int) -> Iterable[DueItem]:
    for e in entries:
        opened = parse_date(e.date)
        if e.status == "proposed" and opened and (today - opened).days > limit:
            age = (today - opened).days
            yield _item(e, age, f"open since {e.date}, {_days(age)} ({_days(age - limit)} over the {limit}-day limit)")


def _no_escalation(entries: list[IndexEntry], today: datetime.date) -> Iterable[DueItem]:
    for e in entries:
        if e.status != "decided" or (e.escalation and e.escalation.trigger and e.escalation.to):
            continue
        decided = parse_date(e.decided_on)
        since = (today - decided).days if decided else 0
        origin = f" (imported from {e.imported_from})" if e.imported_from else ""
        when = f"decided {e.decided_on}, {_days(since)} ago" if decided else "decided"
        yield _item(e, since, f"{when}{origin}; add escalation: trigger and to")


def _needs_human(entries: list[IndexEntry], today: datetime.date) -> Iterable[DueItem]:
    for e in entries:
        if e.needs_human:
            opened = parse_date(e.date)
            fields = ", ".join(dict.fromkeys(item.partition(":")[0].strip() for item in e.needs_human))
            count = len(e.needs_human)
            what = f"{count} item{'s' if count != 1 else ''} to check ({fields})"
            yield _item(e, (today - opened).days if opened else 0, f"{what}; see needs_human in the memo")


def _overloaded(entries: list[IndexEntry], limit: int) -> tuple[DriLoad, ...]:
    open_by_dri: dict[str, list[IndexEntry]] = defaultdict(list)
    for e in entries:
        if e.status == "proposed" and e.dri.strip() and not is_tbd(e.dri):
            open_by_dri[display_name(e.dri).casefold()].append(e)
    loads = [
        DriLoad(display_name(found[0].dri), len(found), limit, tuple(sorted(e.id for e in found)))
        for found in open_by_dri.values()
        if len(found) > limit
    ]
    return tuple(sorted(loads, key=lambda d: (-d.open, d.dri)))


def _item(entry: IndexEntry, days: int, detail: str) -> DueItem:
    return DueItem(entry.id, entry.title, entry.path, display_name(entry.dri), days, detail)


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
