"""The RSS feed of new decisions (the JSON feed is ``decide.index.render_json``)."""

from __future__ import annotations

import datetime
import email.utils
from xml.sax.saxutils import escape

from decide.index import IndexEntry
from decide.schema import parse_date
from decide.site.html import SiteContext, esc, memo_page

FEED_SIZE = 50


def render_rss(ctx: SiteContext, site_name: str, site_url: str) -> str:
    """RSS 2.0 with the newest decisions (by the day they were decided); links are absolute when ``site_url`` is set."""
    decided = [e for e in ctx.entries if e.decided_on and e.status != "proposed"]
    newest = sorted(decided, key=lambda e: (e.decided_on, e.id), reverse=True)[:FEED_SIZE]
    base = site_url.rstrip("/") + "/" if site_url else ""
    items = "".join(_item(e, ctx, base) for e in newest)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{escape(site_name)}: new decisions</title>\n<link>{escape(base or './')}</link>\n"
        "<description>The latest decisions, newest first, each with its status, its DRI and when it escalates."
        "</description>\n"
        f"{items}</channel>\n</rss>\n"
    )


def _item(entry: IndexEntry, ctx: SiteContext, base: str) -> str:
    link = base + ctx.linker.url(memo_page(entry))
    day = parse_date(entry.decided_on)
    date = f"<pubDate>{email.utils.format_datetime(_midnight(day))}</pubDate>" if day else ""
    escalation = f"; escalates when {entry.escalation.trigger} to {entry.escalation.to}" if entry.escalation else ""
    text = f"{entry.status}; DRI {entry.dri}{escalation}"
    # A description is HTML to feed readers: escaped once for HTML, once more for XML, it stays text.
    return (
        f"<item><title>{escape(f'{entry.id}: {entry.title}')}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{escape(entry.id)}</guid>{date}<description>{escape(esc(text))}</description></item>\n'
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
