"""Small horizontal bar charts as inline SVG, made in Python: no JavaScript, nothing fetched from a CDN."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 560
LABEL = 180
ROW = 24
BAR = 16


def bar_chart(rows: Sequence[tuple[str, int]], title: str) -> str:
    """One ``<svg>`` element on one line (so Markdown keeps it whole): a labelled bar per row, scaled to the largest."""
    top = max((value for _label, value in rows), default=0) or 1
    span = WIDTH - LABEL - 50
    height = ROW * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = index * ROW + 2
        width = round(span * value / top)
        parts += [
            f'<text x="{LABEL - 8}" y="{y + BAR - 3}" text-anchor="end">{escape(_short(label))}</text>',
            f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" fill="#3f6fb5"><title>{escape(label)}: {value}</title></rect>',
            f'<text x="{LABEL + width + 6}" y="{y + BAR - 3}">{value}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
