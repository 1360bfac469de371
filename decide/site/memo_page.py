"""A decision's page: the header card (who decides, on what inputs, when it escalates), the banner, the body."""

from __future__ import annotations

from decide.index import IndexEntry
from decide.memo import Input
from decide.person import parse_person
from decide.site.html import (
    SiteContext,
    badge,
    esc,
    front_matter,
    memo_page,
    raw,
    review_state,
    safe_link,
    tag_links,
    time,
)

# What search indexes of a card besides the title and tags; the rest is marked data-search-exclude.
# Every indexed word costs time in the reader's browser before the first result shows (docs/site.md).
_SEARCHED = frozenset({"ID", "DRI"})
# The memo's body on its page; the sanitizer drops decide-… classes from bodies, so only this marks one.
BODY_OPEN = '<div class="decide-body">'


def render_memo_page(entry: IndexEntry, body_html: str, ctx: SiteContext) -> str:
    """The page of one memo: front-matter for the theme, a banner when it is no longer current, the card, the body.

    ``body_html`` is the body as ``decide.site.body.render_body`` made it (rendered and sanitized); it is
    a generated block like the card, so no Markdown processor reads the memo's text a second time.
    """
    page = memo_page(entry)
    meta = front_matter(title=esc(entry.title), tags=[esc(t) for t in entry.tags] or None)
    parts = (render_banner(entry, page, ctx), render_to_do(entry), render_card(entry, page, ctx))
    head = "\n".join(p for p in parts if p)
    body = f"\n\n{raw(f'{BODY_OPEN}{chr(10)}{body_html.strip()}{chr(10)}</div>')}" if body_html.strip() else ""
    return f"{meta}{raw(head)}{body}\n"


def render_banner(entry: IndexEntry, page: str, ctx: SiteContext) -> str:
    """A visible warning on a superseded, retired or rejected memo, naming what replaced it."""
    if entry.superseded_by:
        links = ", ".join(ctx.memo_link(page, i, with_title=True) for i in entry.superseded_by)
        return _admonition("Superseded", f"This decision was replaced by {links}. Read that one instead.")
    if entry.status in ("retired", "rejected"):
        when = f" on {esc(entry.closed_on)}" if entry.closed_on else ""
        why = f": {esc(entry.reason.rstrip('. '))}" if entry.reason else ""
        title = entry.status.capitalize()
        return _admonition(title, f"This decision was {esc(entry.status)}{when}{why}. No other decision replaces it.")
    return ""


def render_to_do(entry: IndexEntry) -> str:
    """What a person must still check in an imported memo (its ``needs_human`` items), until they are removed."""
    if not entry.needs_human:
        return ""
    items = "".join(f"<li>{esc(item)}</li>" for item in entry.needs_human)
    text = "This memo still needs a person to check it (<code>needs_human</code> in its front-matter):"
    return _admonition("To check", f"{text}</p>\n<ul>{items}</ul>\n<p>Remove each item once it is done.", kind="info")


def _admonition(title: str, text: str, *, kind: str = "warning") -> str:
    return (
        f'<div class="admonition {kind} decide-banner" data-search-exclude>\n<p class="admonition-title">{esc(title)}</p>\n'
        f"<p>{text}</p>\n</div>"
    )


def render_card(entry: IndexEntry, page: str, ctx: SiteContext) -> str:
    """The header card: one ``<dt>``/``<dd>`` pair per fact that is set."""
    rows = [("ID", esc(entry.id)), ("Status", badge(entry.status)), ("DRI", _dri(entry.dri, page, ctx))]
    rows += [("Opened", time(entry.date))]
    if entry.decided_on:
        rows.append(("Decided on", time(entry.decided_on)))
    if entry.inputs:
        rows.append(("Inputs", "<ul>" + "".join(f"<li>{_input(i)}</li>" for i in entry.inputs) + "</ul>"))
    if entry.escalation:
        trigger, to = entry.escalation.trigger, entry.escalation.to
        rows.append(("Escalation", f"{esc(trigger)} → {ctx.person_link(page, to)}"))
    if entry.review_by:
        rows.append(("Review by", _review(entry, ctx)))
    if entry.tags:
        rows.append(("Tags", tag_links(page, entry.tags, ctx.linker)))
    rows += _links_rows(entry, page, ctx)
    if entry.closed_on:
        rows.append(("Closed on", time(entry.closed_on)))
    rows += [(name, esc(value)) for name, value in _plain_rows(entry) if value]
    items = "\n".join(
        f'<div class="decide-card__row"{"" if k in _SEARCHED else " data-search-exclude"}><dt data-search-exclude>{esc(k)}</dt><dd>{v}</dd></div>'
        for k, v in rows
    )
    return f'<div class="decide-card">\n<dl>\n{items}\n</dl>\n</div>'


def _dri(dri: str, page: str, ctx: SiteContext) -> str:
    email = parse_person(dri).email
    mail = f'<span data-search-exclude> &lt;<a href="mailto:{esc(email)}">{esc(email)}</a>&gt;</span>'
    return ctx.person_link(page, dri) + (mail if email else "")


def _input(item: Input) -> str:
    link = safe_link(item.link) if item.link else None
    who = f'<a href="{esc(link)}">{esc(item.who)}</a>' if link else esc(item.who)
    if item.link and not link:
        who += f" ({esc(item.link)})"
    return who + (f": {esc(item.what)}" if item.what else "")


def _review(entry: IndexEntry, ctx: SiteContext) -> str:
    state = review_state(entry, ctx.today, ctx.review_window_days)
    flag = f' <span class="decide-flag decide-flag--{state}">{state}</span>' if state else ""
    return time(entry.review_by) + flag


def _links_rows(entry: IndexEntry, page: str, ctx: SiteContext) -> list[tuple[str, str]]:
    rows = []
    if entry.supersedes:
        rows.append(("Supersedes", ", ".join(ctx.memo_link(page, i, with_title=True) for i in entry.supersedes)))
    if entry.superseded_by:
        rows.append(("Superseded by", ", ".join(ctx.memo_link(page, i, with_title=True) for i in entry.superseded_by)))
    if entry.amends:
        rows.append(("Amends", ", ".join(ctx.memo_link(page, i, with_title=True) for i in entry.amends)))
    if entry.amended_by:
        rows.append(("Amended by", ", ".join(ctx.memo_link(page, i, with_title=True) for i in entry.amended_by)))
    return rows


def _plain_rows(entry: IndexEntry) -> list[tuple[str, str]]:
    reviews = "; ".join(
        r.date + (f" by {r.by}" if r.by else "") + (f": {r.note}" if r.note else "") for r in entry.reviews
    )
    return [
        ("Reason", entry.reason if entry.superseded_by or entry.status not in ("retired", "rejected") else ""),
        ("Reviews", reviews),
        ("Aliases", ", ".join(entry.aliases)),
        ("Imported from", entry.imported_from),
    ]
