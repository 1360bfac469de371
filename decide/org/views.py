"""What the organisation's commands show of the merged log: list, show, due, stats and fetch, as text, JSON or Markdown.

JSON follows the convention of every ``--format json`` (``docs/json.md``): one object, ``"version": 1`` first.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from decide.digest import markdown_text
from decide.due import DueReport, find_due, find_overloaded, merge_reports
from decide.index import render_entry, render_json, render_table
from decide.org.fetch import Outcome
from decide.org.merge import OrgEntry, OrgIndex
from decide.problem import Problem
from decide.stats import Stats, compute_stats, number_text, percent_text, render_stats_text

ORG_VERSION = 1


def _json(data: dict[str, Any]) -> str:
    return json.dumps({"version": ORG_VERSION, **data}, indent=2, ensure_ascii=False) + "\n"


def render_list(entries: Sequence[OrgEntry], fmt: str) -> str:
    """``org list``: a table for a terminal, ``{"version": 1, "decisions": [...]}``, or a Markdown table."""
    if fmt == "json":
        return render_json(entries)
    if fmt == "markdown":
        rows = ["| ID | Repository | Title | Status | DRI | Date | Tags |", "|" + " --- |" * 7]
        for e in entries:
            cells = [e.id, e.repo, e.title, e.status, e.dri, e.date, ", ".join(e.tags)]
            rows.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
        return "\n".join(rows) + "\n"
    return render_table(entries) if entries else ""


def render_show(index: OrgIndex, entry: OrgEntry, body: str, fmt: str) -> str:
    """``org show``: the memo with its derived fields, its repository and the commit its copy is of."""
    repo = index.repo(entry.repo)
    commit = repo.copy.commit[:7] if repo and repo.copy else ""
    if fmt == "json":
        return _json(
            {"decision": entry.to_dict(), "commit": repo.copy.commit if repo and repo.copy else "", "body": body}
        )
    if fmt == "markdown":
        return _show_markdown(entry, commit, body)
    title, _nl, rest = render_entry(entry, body).partition("\n")
    return f"{title}\nrepository:    {entry.repo} (commit {commit})\n{rest}"


def _show_markdown(entry: OrgEntry, commit: str, body: str) -> str:
    fields = [
        ("Repository", f"{entry.repo} (commit {commit})"),
        ("Status", entry.status),
        ("Superseded by", ", ".join(entry.superseded_by)),
        ("DRI", entry.dri),
        ("Date", entry.date),
        ("Decided on", entry.decided_on),
        ("Review by", entry.review_by),
        ("Supersedes", ", ".join(entry.supersedes)),
        ("Tags", ", ".join(entry.tags)),
        ("File", entry.path),
    ]
    rows = "\n".join(f"| {name} | {markdown_text(value)} |" for name, value in fields if value)
    head = f"# {markdown_text(entry.id)}: {markdown_text(entry.title)}\n\n| Field | Value |\n| --- | --- |\n{rows}\n"
    return f"{head}\n{body.strip(chr(10))}\n"


def org_due(index: OrgIndex, today: str, dri_load_limit: int) -> DueReport:
    """What needs attention across the organisation: each repository by its own limits, DRI load across all of them."""
    parts = [
        find_due(
            index.of_repo(repo.name),
            today,
            proposal_age_limit=repo.config.proposal_age_limit,
            dri_load_limit=sys.maxsize,  # load is counted across repositories, below
            contact=index.contact,
        )
        for repo in index.repos
        if repo.config is not None
    ]
    return merge_reports(today, parts, find_overloaded(index.entries, dri_load_limit, index.contact))


def due_for_json(report: DueReport) -> dict[str, Any]:
    """The due report's JSON data with each item's repository (``payments`` of ``payments:D-7KQ2MX``)."""
    data = report.to_dict()
    for group in ("overdue_reviews", "stale_proposals", "no_escalation"):
        data[group] = [{**item, "repo": item["id"].partition(":")[0]} for item in data[group]]
    return data


@dataclass(frozen=True)
class RepoFigures:
    """One repository's share of the organisation's log."""

    name: str
    memos: int
    commit: str
    fetched: str


@dataclass(frozen=True)
class OrgStats:
    """The coordination figures across the organisation, and each repository's share."""

    stats: Stats
    repos: tuple[RepoFigures, ...]


def org_stats(index: OrgIndex, since: str, today: str) -> OrgStats:
    stats = compute_stats(index.entries, since, today)
    note = "dates are not compared with git history in the organisation's view; run decide stats in a repository"
    stats = dataclasses.replace(stats, history_note=note)
    counts = {r.name: 0 for r in index.repos}
    for e in index.entries:
        if e.date >= since:
            counts[e.repo] = counts.get(e.repo, 0) + 1
    figures = tuple(
        RepoFigures(r.name, counts.get(r.name, 0), r.copy.commit if r.copy else "", r.copy.fetched if r.copy else "")
        for r in index.repos
    )
    return OrgStats(stats, figures)


def render_org_stats(figures: OrgStats, fmt: str) -> str:
    if fmt == "json":
        repos = [r.__dict__ for r in figures.repos]
        return _json({**figures.stats.to_dict(), "repositories": repos})
    if fmt == "markdown":
        return _stats_markdown(figures)
    lines = [
        f"  {r.memos:>4}  {r.name}" + (f" (commit {r.commit[:7]})" if r.commit else " (not fetched)")
        for r in figures.repos
    ]
    return render_stats_text(figures.stats) + "Memos per repository:\n" + "\n".join(lines) + "\n"


def _stats_markdown(figures: OrgStats) -> str:
    s, lat, rev = figures.stats, figures.stats.latency, figures.stats.reviews
    scope = f"since {s.since}" if s.since else "all memos"
    lines = [
        f"## Coordination across the organisation: {s.memos} memos ({scope}, as of {s.today})",
        "",
        f"- Latency, opened to decided: median {number_text(lat.median)}, p90 {number_text(lat.p90)} ({lat.decisions} decisions)",
        f"- The busiest DRI carries {percent_text(s.busiest_share)} of the decisions",
        f"- Reviews: {rev.on_time} on time, {rev.late} late, {rev.undated} without a due date; {rev.overdue_now} overdue now",
        f"- Supersession: {s.superseded} of {s.ever_decided} decisions superseded ({percent_text(s.supersession_rate)})",
        "",
        "| DRI | Decisions |",
        "| --- | --- |",
        *(f"| {markdown_text(name)} | {count} |" for name, count in s.per_dri),
        "",
        "| Repository | Memos | Commit |",
        "| --- | --- | --- |",
        *(f"| {markdown_text(r.name)} | {r.memos} | {r.commit[:7] or 'not fetched'} |" for r in figures.repos),
    ]
    return "\n".join(lines) + "\n"


def render_fetch_json(outcomes: Sequence[Outcome], links: Sequence[Problem]) -> str:
    """``org fetch --format json``: each repository's outcome, then the links across repositories that do not hold."""
    repos = [
        {
            "name": o.name,
            "state": o.state,
            "commit": o.copy.commit if o.copy else "",
            "memos": o.copy.memos if o.copy else 0,
            "fetched": o.copy.fetched if o.copy else "",
            "message": o.message,
            "problems": [p.to_dict() for p in o.problems],
        }
        for o in outcomes
    ]
    return _json({"repositories": repos, "links": [p.to_dict() for p in links]})


def render_problems_json(problems: Sequence[Problem]) -> str:
    return _json({"problems": [p.to_dict() for p in problems]})
