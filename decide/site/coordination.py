"""The "Coordination" page: the figures of ``decide.stats`` in words and bar charts."""

from __future__ import annotations

from decide.site.chart import bar_chart
from decide.site.html import raw
from decide.stats import Stats, number_text, percent_text


def render_coordination(stats: Stats, *, top: int = 10) -> str:
    """The "Coordination" page of the site, with bar charts as inline SVG.

    Each chart is a generated HTML block: Markdown would read the DRIs' names in it as Markdown.
    """
    lat, rev = stats.latency, stats.reviews
    scope = f"opened since {stats.since}" if stats.since else "all memos"
    lines = ["# Coordination", "", f"{stats.memos} memos ({scope}), as of {stats.today}.", ""]
    lines += ["## Decision latency", ""]
    lines += [
        f"From opened to decided: median **{number_text(lat.median)}**, 90th percentile **{number_text(lat.p90)}** "
        f"({lat.decisions} decisions; imported memos left out).",
        "",
    ]
    if stats.per_dri:
        lines += [
            "## Decisions per DRI",
            "",
            f"The busiest DRI carries {percent_text(stats.busiest_share)} of decisions.",
            "",
        ]
        lines += [raw(bar_chart(stats.per_dri[:top], "Decisions per DRI")), ""]
    lines += ["## Open proposals by age", "", raw(bar_chart(stats.open_by_age, "Open proposals by age")), ""]
    review_rows = [("on time", rev.on_time), ("late", rev.late), ("without a due date", rev.undated)]
    lines += ["## Reviews", "", raw(bar_chart([*review_rows, ("overdue now", rev.overdue_now)], "Reviews")), ""]
    lines += ["## Supersession", ""]
    lines += [
        f"{stats.superseded} of {stats.ever_decided} decisions superseded ({percent_text(stats.supersession_rate)}).",
        "",
    ]
    if stats.date_notes:
        lines += ["## Dates that disagree with git history", ""]
        lines += [f"- `{n.path}`: {n.message}" for n in stats.date_notes]
        lines.append("")
    if stats.history_note:
        lines += [f"Note: {stats.history_note}.", ""]
    return "\n".join(lines)
