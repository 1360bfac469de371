"""Coordination figures: how long decisions take, who carries them, how old open proposals are, reviews, supersession."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from decide.config import Config
from decide.errors import CannotRun
from decide.index import IndexEntry
from decide.person import display_name
from decide.schema import parse_date

STATS_JSON_VERSION = 1  # docs/json.md lists the fields
AGE_BUCKETS = ((7, "0-7 days"), (14, "8-14 days"), (30, "15-30 days"), (90, "31-90 days"), (None, "over 90 days"))


@dataclass(frozen=True)
class Latency:
    """Days from opened (``date``) to decided (``decided_on``): the median and the 90th percentile (nearest rank)."""

    decisions: int
    median: float | None
    p90: int | None


@dataclass(frozen=True)
class Reviews:
    """Reviews recorded on or before the date they were due, after it, without a due date; and reviews overdue now."""

    on_time: int
    late: int
    undated: int
    overdue_now: int


@dataclass(frozen=True)
class DateNote:
    """A memo whose front-matter date disagrees with the day its file first appeared in git."""

    id: str
    path: str
    message: str


@dataclass(frozen=True)
class Stats:
    """The figures for memos opened on or after ``since`` (all memos when empty), as of ``today``."""

    since: str
    today: str
    memos: int
    latency: Latency
    per_dri: tuple[tuple[str, int], ...]
    busiest_share: float | None
    open_by_age: tuple[tuple[str, int], ...]
    reviews: Reviews
    superseded: int
    ever_decided: int
    date_notes: tuple[DateNote, ...] = ()
    history_note: str = ""

    @property
    def supersession_rate(self) -> float | None:
        return self.superseded / self.ever_decided if self.ever_decided else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "supersession_rate": self.supersession_rate}


def compute_stats(entries: Iterable[IndexEntry], since: str, today: str) -> Stats:
    """The figures from the front-matter alone. Imported memos carry no real opening date, so latency leaves them out."""
    now = datetime.date.fromisoformat(today)
    scope = [e for e in entries if parse_date(e.date) and e.date >= since]
    decided = [e for e in scope if parse_date(e.decided_on)]
    per_dri = Counter(display_name(e.dri) for e in decided)
    ranked = tuple(sorted(per_dri.items(), key=lambda kv: (-kv[1], kv[0])))
    return Stats(
        since=since,
        today=today,
        memos=len(scope),
        latency=_latency([_days_between(e.date, e.decided_on) for e in decided if not e.imported_from]),
        per_dri=ranked,
        busiest_share=ranked[0][1] / len(decided) if decided else None,
        open_by_age=_ages([(now - d).days for e in scope if e.status == "proposed" and (d := parse_date(e.date))]),
        reviews=_reviews(scope, today),
        superseded=sum(e.status == "superseded" for e in scope),
        ever_decided=sum(bool(parse_date(e.decided_on)) or e.status == "superseded" for e in scope),
    )


def _latency(days: Sequence[int]) -> Latency:
    if not days:
        return Latency(0, None, None)
    ordered = sorted(days)
    return Latency(len(ordered), statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1])


def _ages(ages: Iterable[int]) -> tuple[tuple[str, int], ...]:
    counts = Counter(next(label for limit, label in AGE_BUCKETS if limit is None or age <= limit) for age in ages)
    return tuple((label, counts.get(label, 0)) for _limit, label in AGE_BUCKETS)


def _reviews(scope: list[IndexEntry], today: str) -> Reviews:
    done = [r for e in scope for r in e.reviews if parse_date(r.date)]
    return Reviews(
        on_time=sum(bool(r.due) and r.date <= r.due for r in done),
        late=sum(bool(r.due) and r.date > r.due for r in done),
        undated=sum(not r.due for r in done),
        overdue_now=sum(e.status == "decided" and bool(parse_date(e.review_by)) and e.review_by < today for e in scope),
    )


def date_notes(entries: Iterable[IndexEntry], first_added: Mapping[str, str]) -> tuple[DateNote, ...]:
    """Memos whose file first appeared in git more than a day after their ``date``, or before it."""
    notes = []
    for e in entries:
        first = first_added.get(e.path, "")
        if not parse_date(first) or not parse_date(e.date):
            continue
        gap = _days_between(e.date, first)
        if gap > 1:
            notes.append(DateNote(e.id, e.path, f"first committed {first}, {gap} days after its date {e.date}"))
        elif gap < 0:
            notes.append(DateNote(e.id, e.path, f"dated {e.date}, after it was first committed on {first}"))
    return tuple(sorted(notes, key=lambda n: n.path))


def gather_stats(config: Config, since: str, today: str) -> Stats:
    """Load the log, compute the figures, and compare the dates with git history (one ``git log`` pass)."""
    from decide.decisions import load_log
    from decide.git import describe_repo, first_added
    from decide.index import build_index

    entries = build_index(load_log(config).memos)
    stats = compute_stats(entries, since, today)
    try:
        if describe_repo(config.root).shallow:
            raise CannotRun("this is a shallow clone; fetch the whole history (GitHub Actions: fetch-depth: 0)")
    except CannotRun as exc:
        return dataclasses.replace(stats, history_note=f"dates not checked against git history: {exc}")
    found = first_added(config.decisions_dir)
    first = {f"{config.decisions}/{name}": date for name, (date, _author) in found.items()}
    scope = [e for e in entries if e.date >= since]
    return dataclasses.replace(stats, date_notes=date_notes(scope, first))


def _days_between(start: str, end: str) -> int:
    return (datetime.date.fromisoformat(end) - datetime.date.fromisoformat(start)).days


def percent_text(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def number_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g} days"


def render_stats_text(stats: Stats) -> str:
    """The figures for a terminal."""
    scope = f"since {stats.since}" if stats.since else "all memos"
    lat, rev = stats.latency, stats.reviews
    lines = [
        f"Memos: {stats.memos} ({scope}, as of {stats.today})",
        f"Latency, opened -> decided: median {number_text(lat.median)}, p90 {number_text(lat.p90)} ({lat.decisions} decisions)",
    ]
    if stats.per_dri:
        lines.append(f"Decisions per DRI (the busiest carries {percent_text(stats.busiest_share)}):")
        lines += [f"  {count:>4}  {name}" for name, count in stats.per_dri]
    lines.append("Open proposals by age:")
    lines += [f"  {count:>4}  {label}" for label, count in stats.open_by_age]
    lines.append(
        f"Reviews: {rev.on_time} on time, {rev.late} late, {rev.undated} without a due date; {rev.overdue_now} overdue now"
    )
    lines.append(
        f"Supersession: {stats.superseded} of {stats.ever_decided} decisions superseded ({percent_text(stats.supersession_rate)})"
    )
    if stats.date_notes:
        lines.append("Dates that disagree with git history:")
        lines += [f"  {n.path}: {n.message}" for n in stats.date_notes]
    if stats.history_note:
        lines.append(f"Note: {stats.history_note}")
    return "\n".join(lines) + "\n"


def render_stats_json(stats: Stats) -> str:
    return json.dumps({"version": STATS_JSON_VERSION, **stats.to_dict()}, indent=2, ensure_ascii=False) + "\n"
