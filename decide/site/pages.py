"""The published log as data: memos in, a ``{page path: Markdown}`` mapping out (plus the JSON and RSS feeds).

Pure: no IO and no MkDocs, so the same pages can feed another static-site generator. Every value
taken from a memo is HTML-escaped and placed in a generated HTML block, which Markdown does not
read; the one exception, a person's name as the heading search needs, has its Markdown syntax
escaped too (see ``decide.site.html``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from decide.due import GROUPS, OVERLOADED, DueItem, find_due
from decide.index import IndexEntry, build_index, render_json
from decide.memo import Memo
from decide.schema import parse_date
from decide.site.body import MarkdownSetup, render_body
from decide.site.coordination import render_coordination
from decide.site.feed import render_rss
from decide.site.graph import render_graph
from decide.site.guide import render_cli_reference, render_how_we_decide
from decide.site.html import (
    STATUS_ORDER,
    Cell,
    Linker,
    SiteContext,
    badge,
    esc,
    front_matter,
    markdown_text,
    memo_page,
    page_of,
    person_name,
    person_page,
    raw,
    review_state,
    table,
    tag_anchor,
    tag_links,
    time,
)
from decide.site.memo_page import render_memo_page
from decide.stats import compute_stats

# Index pages are not searched: they repeat what the memo pages say, and at 10,000 memos the log
# page alone would double the search index.
_NOT_SEARCHED: dict[str, Any] = {"exclude": True}
# Wide tables need the room of the left navigation (which lists only the index pages anyway).
_WIDE = ["navigation"]
UNDATED = "Undated"
HOME_LIMITS = {"newest": 10, "waiting": 50, "reviews": 50, "due": 200}


@dataclass(frozen=True)
class SiteOptions:
    """How the site is laid out and when "today" is (ages and overdue reviews depend on it)."""

    today: datetime.date
    directory_urls: bool = True
    site_url: str = ""
    site_name: str = "Decisions"
    proposal_age_limit: int = 14
    dri_load_limit: int = 5
    # What memo bodies are rendered with (decide.site.body).
    markdown: MarkdownSetup = dataclasses.field(default_factory=MarkdownSetup)


def render_site(
    memos: Sequence[Memo],
    options: SiteOptions,
    *,
    schemas: Sequence[tuple[str, Mapping[str, Any]]] = (),
    commands: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """Every generated page and feed, keyed by its path in the site."""
    entries = build_index(memos)
    ctx = SiteContext(entries, options.today, Linker(options.directory_urls), options.proposal_age_limit)
    pages = {
        "index.md": render_home(ctx),
        "log.md": render_log(ctx),
        "timeline.md": render_timeline(ctx),
        "graph.md": render_graph(ctx, _NOT_SEARCHED),
        "tags.md": render_tags(ctx),
        "how-we-decide.md": render_how_we_decide(schemas),
        "cli.md": render_cli_reference(commands),
        "decisions.json": render_json(entries),
        "feed.xml": render_rss(ctx, options.site_name, options.site_url),
    }
    pages["due.md"] = render_attention(ctx, options)
    stats = compute_stats(entries, "", options.today.isoformat())
    pages["stats.md"] = front_matter(title="Coordination", search=_NOT_SEARCHED) + render_coordination(stats)
    pages.update(render_people(ctx))
    bodies = {memo.path: memo.body for memo in memos}
    # A cited ID links to the memo's file, as an author would write it, so the engine resolves and checks it.
    links = {e.id: memo_page(e).rpartition("/")[2] for e in entries}
    for entry in entries:
        body = render_body(bodies.get(entry.path, ""), options.markdown, links=links).html
        pages[memo_page(entry)] = render_memo_page(entry, body, ctx)
    return pages


def render_attention(ctx: SiteContext, options: SiteOptions, *, limit: int = HOME_LIMITS["due"]) -> str:
    """ "Needs attention": what ``decide due`` lists (``limit`` a group), linking each memo and each DRI's page."""
    report = find_due(
        ctx.entries,
        options.today.isoformat(),
        proposal_age_limit=options.proposal_age_limit,
        dri_load_limit=options.dri_load_limit,
    )
    page = "due.md"
    count = "1 item" if report.count == 1 else f"{report.count} items"
    parts = [
        front_matter(title="Needs attention", search=_NOT_SEARCHED),
        "# Needs attention",
        raw(f"<p>As of {time(report.today)}, the day this site was built: {count}.</p>"),
    ]
    for field, heading in GROUPS:
        items: Sequence[DueItem] = getattr(report, field)
        if items:
            rows = [_due_row(ctx, page, item) for item in items[:limit]]
            more = f"\n<p>…and {len(items) - limit} more: run <code>decide due</code> for the full list.</p>"
            body = table(["Decision", "DRI", "What is due"], rows) + (more if len(items) > limit else "")
            parts.append(f"## {heading}\n\n{raw(body)}")
    if report.overloaded:
        rows = [
            [ctx.person_link(page, d.dri), str(d.open), str(d.limit), ", ".join(ctx.memo_link(page, i) for i in d.ids)]
            for d in report.overloaded
        ]
        parts.append(f"## {OVERLOADED}\n\n{raw(table(['DRI', 'Open proposals', 'Limit', 'Decisions'], rows))}")
    if not report.count:
        parts.append(raw("<p>Nothing needs attention.</p>"))
    return "\n\n".join(parts) + "\n"


def _due_row(ctx: SiteContext, page: str, item: DueItem) -> list[str | Cell]:
    link = ctx.linker.a(page, page_of(item.path), item.id, cls="decide-id")
    return [f"{link} {esc(item.title)}", ctx.person_link(page, item.dri), Cell(esc(item.detail), str(item.days))]


def _row(ctx: SiteContext, page: str, entry: IndexEntry, *extra: str | Cell, dri: bool = True) -> list[str | Cell]:
    link = ctx.linker.a(page, memo_page(entry), entry.id, cls="decide-id")
    title = ctx.linker.a(page, memo_page(entry), entry.title) + replaced_by(ctx, page, entry)
    who = [ctx.person_link(page, entry.dri)] if dri else []
    return [link, title, badge(entry.status), *who, *extra]


def replaced_by(ctx: SiteContext, page: str, entry: IndexEntry) -> str:
    """ " superseded by D-…" after a memo's title wherever it is listed; empty while it holds."""
    if not entry.superseded_by:
        return ""
    links = ", ".join(ctx.memo_link(page, i) for i in entry.superseded_by)
    return f' <span class="decide-replaced">superseded by {links}</span>'


def _decided(entry: IndexEntry) -> str | Cell:
    """The day a memo was decided; empty (sorted first) while it is open."""
    return Cell(time(entry.decided_on), entry.decided_on) if entry.decided_on else Cell("", "")


def render_home(ctx: SiteContext) -> str:
    """The newest decisions, proposals waiting (oldest first, with age), reviews due, counts by status."""
    page = "index.md"
    counts = Counter(e.status for e in ctx.entries)
    summary = " ".join(f"{badge(s)} {counts[s]}" for s in sorted(counts, key=lambda s: STATUS_ORDER.get(s, 9)))
    parts = [
        front_matter(title="Decisions", search=_NOT_SEARCHED, hide=_WIDE),
        "# Decisions",
        raw(f'<p class="decide-counts">{len(ctx.entries)} decisions: {summary}</p>\n{_as_of(ctx)}'),
        _home_section(ctx, page, "Proposals waiting for a decision", _waiting(ctx, page), "No proposal is waiting."),
        _home_section(ctx, page, "Reviews due", _reviews(ctx, page), "No review is due."),
        _home_section(ctx, page, "Newest decisions", _newest(ctx, page), "Nothing has been decided yet."),
        f"Every decision is in the [log](log.md). Subscribe: {ctx.linker.a(page, 'feed.xml', 'RSS')} · "
        f"{ctx.linker.a(page, 'decisions.json', 'JSON')}",
    ]
    return "\n\n".join(parts) + "\n"


def _as_of(ctx: SiteContext) -> str:
    """When ages, overdue flags and what is due were worked out: the day the site was built."""
    day = time(ctx.today.isoformat())
    return f'<p class="decide-as-of">Ages, overdue flags and reviews due as of {day}, the day this site was built.</p>'


def _home_section(ctx: SiteContext, page: str, title: str, body: str, empty: str) -> str:
    return f"## {title}\n\n{body or f'<p>{empty}</p>'}"


def _waiting(ctx: SiteContext, page: str) -> str:
    waiting = sorted((e for e in ctx.entries if e.status == "proposed"), key=lambda e: (e.date, e.id))
    rows = []
    for entry in waiting[: HOME_LIMITS["waiting"]]:
        rows.append(_row(ctx, page, entry, time(entry.date), _age(entry.date, ctx)))
    more = _more(len(waiting), HOME_LIMITS["waiting"], "proposals")
    return raw(table(["ID", "Title", "Status", "DRI", "Opened", "Waiting"], rows) + more) if rows else ""


def _age(date: str, ctx: SiteContext) -> str | Cell:
    opened = parse_date(date)
    if opened is None:
        return ""
    days = (ctx.today - opened).days
    flag = ' <span class="decide-flag decide-flag--overdue">overdue</span>' if days > ctx.proposal_age_limit else ""
    return Cell(f"{days} day{'s' if days != 1 else ''}{flag}", str(days))


def _reviews(ctx: SiteContext, page: str) -> str:
    due = [(e, review_state(e, ctx.today, ctx.review_window_days)) for e in ctx.entries]
    due = sorted(((e, s) for e, s in due if s), key=lambda item: (item[0].review_by, item[0].id))
    rows = [
        _row(ctx, page, e, time(e.review_by) + f' <span class="decide-flag decide-flag--{s}">{s}</span>')
        for e, s in due[: HOME_LIMITS["reviews"]]
    ]
    more = _more(len(due), HOME_LIMITS["reviews"], "reviews")
    return raw(table(["ID", "Title", "Status", "DRI", "Review by"], rows) + more) if rows else ""


def _newest(ctx: SiteContext, page: str) -> str:
    decided = sorted(
        (e for e in ctx.entries if e.status == "decided"), key=lambda e: (e.decided_on or e.date, e.id), reverse=True
    )
    rows = [_row(ctx, page, e, time(e.decided_on or e.date)) for e in decided[: HOME_LIMITS["newest"]]]
    return raw(table(["ID", "Title", "Status", "DRI", "Decided"], rows)) if rows else ""


def _more(total: int, shown: int, what: str) -> str:
    return f"\n<p>and {total - shown} more {what}; see the log.</p>" if total > shown else ""


def render_log(ctx: SiteContext) -> str:
    """Every decision in one sortable table, filterable by status, DRI, tag and words (with script; all rows without)."""
    page = "log.md"
    rows = [_row(ctx, page, e, _decided(e), time(e.date), tag_links(page, e.tags, ctx.linker)) for e in ctx.entries]
    head = ["ID", "Title", "Status", "DRI", "Decided", "Opened", "Tags"]
    attrs = [_filter_attrs(e) for e in ctx.entries]
    intro = (
        f"{len(ctx.entries)} decisions, newest first. Click a column heading to sort. "
        "Decided is the day the decision was made; Opened the day it was proposed."
    )
    body = _log_filter(ctx) + "\n" + table(head, rows, attrs="data-decide-log", row_attrs=attrs)
    return front_matter(title="Log", search=_NOT_SEARCHED, hide=[*_WIDE, "toc"]) + f"# Log\n\n{intro}\n\n{raw(body)}\n"


def _filter_attrs(entry: IndexEntry) -> str:
    import json

    tags = json.dumps(list(entry.tags), ensure_ascii=False)
    return f'data-status="{esc(entry.status)}" data-dri="{esc(person_name(entry.dri))}" data-tags="{esc(tags)}"'


def _log_filter(ctx: SiteContext) -> str:
    """The log's filter form: hidden until its script runs, so without script the whole table shows."""
    statuses = sorted({e.status for e in ctx.entries}, key=lambda s: (STATUS_ORDER.get(s, 9), s))
    people = sorted({person_name(e.dri) for e in ctx.entries}, key=str.casefold)
    tags = sorted({t for e in ctx.entries for t in e.tags}, key=str.casefold)
    fields = [
        _select("status", "Status", statuses),
        _select("dri", "DRI", people),
        _select("tag", "Tag", tags),
        '<label>Words <input type="search" name="q" autocomplete="off" placeholder="title, ID, DRI…"></label>',
        '<output class="decide-filter__count" aria-live="polite"></output>',
    ]
    return '<form class="decide-filter" data-decide-filter hidden>\n' + "\n".join(fields) + "\n</form>"


def _select(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return f'<label>{esc(label)} <select name="{name}"><option value="">all</option>{options}</select></label>'


def render_people(ctx: SiteContext) -> dict[str, str]:
    """``people/index.md`` (who decides how much) and one decision-rights map per DRI."""
    owned: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in ctx.entries:
        slug = ctx.people.get(person_name(entry.dri).casefold())
        if slug:
            owned[slug].append(entry)
    pages = {person_page(slug): _person(ctx, slug, owned[slug]) for slug in owned}
    rows = []
    for slug, items in sorted(owned.items(), key=lambda kv: person_name(kv[1][0].dri).casefold()):
        current = sum(e.status == "decided" for e in items)
        waiting = sum(e.status == "proposed" for e in items)
        name = person_name(items[0].dri)
        rows.append(
            [ctx.linker.a("people/index.md", person_page(slug), name), str(current), str(waiting), str(len(items))]
        )
    head = ["DRI", "Current decisions", "Proposals", "All"]
    intro = "Who decides what: each person's page is their decision-rights map."
    pages["people/index.md"] = (
        front_matter(title="People", search=_NOT_SEARCHED, hide=[*_WIDE, "toc"])
        + f"# People\n\n{intro}\n\n{raw(table(head, rows))}\n"
    )
    return pages


def _person(ctx: SiteContext, slug: str, items: list[IndexEntry]) -> str:
    page = person_page(slug)
    name = person_name(items[0].dri)
    items = sorted(items, key=lambda e: (STATUS_ORDER.get(e.status, 9), _neg_date(e.decided_on or e.date), e.id))
    rows = [
        _row(
            ctx,
            page,
            e,
            _escalation(ctx, page, e),
            _decided(e),
            tag_links(page, e.tags, ctx.linker),
            dri=False,
        )
        for e in items
    ]
    current = sum(e.status == "decided" for e in items)
    intro = f"{esc(name)} is the DRI of {len(items)} decision(s), {current} of them current. Current decisions first."
    body = table(["ID", "Title", "Status", "Escalates when → to", "Decided", "Tags"], rows)  # one DRI: theirs
    # A Markdown heading, so that search finds the page by the name; escaped, so it cannot be a link.
    return (
        front_matter(title=esc(name), search={"boost": 2}, hide=[*_WIDE, "toc"])
        + f"# {markdown_text(name)}\n\n{raw(f'<p>{intro}</p>' + chr(10) + body)}\n"
    )


def _neg_date(date: str) -> str:
    """Sort key that puts later ISO dates first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


def _escalation(ctx: SiteContext, page: str, entry: IndexEntry) -> str:
    if not entry.escalation:
        return ""
    return f"{esc(entry.escalation.trigger)} → {ctx.person_link(page, entry.escalation.to)}"


def render_timeline(ctx: SiteContext) -> str:
    """Decisions by month of decision (or of opening, while proposed), newest month first."""
    page = "timeline.md"
    months: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in ctx.entries:
        months[_month(entry)].append(entry)
    parts = [front_matter(title="Timeline", search=_NOT_SEARCHED), "# Timeline"]
    for month in sorted(months, key=lambda m: (m != UNDATED, m), reverse=True):
        items = sorted(months[month], key=lambda e: (e.decided_on or e.date, e.id), reverse=True)
        lines = [
            f"<li>{_when(e)} {badge(e.status)} {ctx.linker.a(page, memo_page(e), f'{e.id}: {e.title}')}"
            f"{replaced_by(ctx, page, e)} — {ctx.person_link(page, e.dri)}</li>"
            for e in items
        ]
        parts.append(f"## {esc(month)}\n\n" + raw('<ul class="decide-timeline">\n' + "\n".join(lines) + "\n</ul>"))
    return "\n\n".join(parts) + "\n"


def _when(entry: IndexEntry) -> str:
    """Which day the timeline files a memo under, and which date that is: decided, or opened while not decided."""
    if entry.decided_on:
        return f"decided {time(entry.decided_on)}"
    return f"opened {time(entry.date)}" if entry.date else ""


def _month(entry: IndexEntry) -> str:
    """``YYYY-MM`` of the day the memo was decided (or opened); a heading, so only a real date gives one."""
    day = entry.decided_on or entry.date
    return day[:7] if parse_date(day) else UNDATED


def render_tags(ctx: SiteContext) -> str:
    """Each tag (alphabetical) with its memos' ID, title, status and date; made by decide, no theme plugin."""
    page = "tags.md"
    tagged: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in ctx.entries:
        for tag in dict.fromkeys(entry.tags):
            tagged[tag].append(entry)
    parts = [front_matter(title="Tags", search=_NOT_SEARCHED, hide=[*_WIDE]), "# Tags"]
    if not tagged:
        return "\n\n".join([*parts, raw("<p>No decision has a tag yet.</p>")]) + "\n"
    names = sorted(tagged, key=lambda t: (t.casefold(), t))
    index = ", ".join(f'<a href="#{esc(tag_anchor(t))}">{esc(t)} ({len(tagged[t])})</a>' for t in names)
    parts.append(raw(f'<p class="decide-tag-index">{index}</p>'))
    for tag in names:
        items = sorted(tagged[tag], key=lambda e: (e.decided_on or e.date, e.id), reverse=True)
        rows = [_row(ctx, page, e, _decided(e), time(e.date)) for e in items]
        heading = f'<h2 id="{esc(tag_anchor(tag))}">{esc(tag)}</h2>'
        parts.append(raw(heading + "\n" + table(["ID", "Title", "Status", "DRI", "Decided", "Opened"], rows)))
    return "\n\n".join(parts) + "\n"
