"""The supersession graph drawn at build time: one SVG per chain of decisions, each box a link to its memo.

No script and no layout engine in the reader's browser: a chain (the memos linked by supersession)
is laid out in columns by how many replacements lie before a memo, oldest on the left, one row per
memo of a column. Every text is escaped; the SVG holds only rectangles, lines, text and links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from decide.index import IndexEntry, replaces
from decide.site.html import SiteContext, esc, front_matter, memo_page, raw

BOX_W, BOX_H = 230, 46
GAP_X, GAP_Y = 40, 14
LABEL = 32  # characters of a title in a box
GRAPH_EDGE_LIMIT = 300


def render_graph(ctx: SiteContext, search: Mapping[str, Any]) -> str:
    """The supersession graph (old → new) drawn as linked SVG, one drawing per chain, with the same chains as links below."""
    page = "graph.md"
    edges = [(old, e) for e in ctx.entries if replaces(e.declared_status) for old in e.supersedes if old in ctx.by_id]
    shown = edges[:GRAPH_EDGE_LIMIT]
    parts = [front_matter(title="Supersession graph", search=search), "# Supersession graph"]
    if not shown:
        return "\n\n".join([*parts, "<p>No decision has been superseded yet.</p>"]) + "\n"
    note = f" The {GRAPH_EDGE_LIMIT} newest of {len(edges)} are drawn." if len(edges) > len(shown) else ""
    parts.append(
        f"<p>Each arrow points from a decision to the one that replaced it; greyed, dashed boxes no longer hold. "
        f"Click a box to open the decision.{note}</p>"
    )
    chains = find_chains([(old, new.id) for old, new in shown])
    drawings = "\n".join(f'<div class="decide-graph-chain">{render_chain(ctx, page, c)}</div>' for c in chains)
    parts.append(raw(drawings))
    links = [
        f"<li>{ctx.memo_link(page, old, with_title=True)} → {ctx.linker.a(page, memo_page(new), f'{new.id}: {new.title}')}</li>"
        for old, new in shown
    ]
    parts.append(raw('<ul class="decide-chains">\n' + "\n".join(links) + "\n</ul>"))
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class Chain:
    """The memos linked by supersession, each at its (column, row), and the arrows old -> new."""

    places: dict[str, tuple[int, int]]
    edges: tuple[tuple[str, str], ...]


def find_chains(edges: Sequence[tuple[str, str]]) -> list[Chain]:
    """The connected groups of ``edges`` (old ID, new ID), each laid out in columns, newest group first."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for old, new in edges:
        neighbours[old].add(new)
        neighbours[new].add(old)
    seen: set[str] = set()
    chains = []
    for start in sorted(neighbours, reverse=True):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in group:
                group.add(node)
                todo.extend(neighbours[node] - group)
        seen |= group
        inner = tuple(sorted((o, n) for o, n in edges if o in group))
        chains.append(Chain(_columns(group, inner), inner))
    return chains


def _columns(group: set[str], edges: Sequence[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Each memo's column (the longest run of replacements before it; cycles cut) and row in that column."""
    before: dict[str, list[str]] = defaultdict(list)
    for old, new in edges:
        before[new].append(old)
    depth: dict[str, int] = {}

    def column(node: str, path: frozenset[str]) -> int:
        if node not in depth:
            olds = [o for o in before[node] if o not in path]
            depth[node] = 1 + max((column(o, path | {node}) for o in olds), default=-1)
        return depth[node]

    rows: dict[int, int] = defaultdict(int)
    places = {}
    for node in sorted(group):
        col = column(node, frozenset())
        places[node] = (col, rows[col])
        rows[col] += 1
    return places


def render_chain(ctx: SiteContext, page: str, chain: Chain) -> str:
    """One chain as an SVG whose boxes link to the memo pages; superseded memos are greyed and dashed."""
    cols = 1 + max(c for c, _ in chain.places.values())
    rows = 1 + max(r for _, r in chain.places.values())
    width, height = cols * (BOX_W + GAP_X) - GAP_X + 2, rows * (BOX_H + GAP_Y) - GAP_Y + 2
    parts = [
        f'<svg class="decide-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{esc(_names(chain))}">'
    ]
    parts += [_arrow(chain.places[old], chain.places[new]) for old, new in chain.edges]
    parts += [_box(ctx, page, memo_id, place) for memo_id, place in sorted(chain.places.items())]
    return "".join([*parts, "</svg>"])


def _names(chain: Chain) -> str:
    return "Supersession: " + ", ".join(f"{old} replaced by {new}" for old, new in chain.edges)


def _xy(place: tuple[int, int]) -> tuple[int, int]:
    return 1 + place[0] * (BOX_W + GAP_X), 1 + place[1] * (BOX_H + GAP_Y)


def _arrow(old: tuple[int, int], new: tuple[int, int]) -> str:
    (x1, y1), (x2, y2) = _xy(old), _xy(new)
    x1, y1, y2 = x1 + BOX_W, y1 + BOX_H // 2, y2 + BOX_H // 2
    if x2 <= x1:  # a cut cycle: drawn back along the bottom edge
        x1, x2 = x1 - BOX_W // 2, x2 + BOX_W // 2
    head = f"{x2},{y2} {x2 - 8},{y2 - 5} {x2 - 8},{y2 + 5}"
    return (
        f'<line class="decide-graph__edge" x1="{x1}" y1="{y1}" x2="{x2 - 8}" y2="{y2}"/>'
        f'<polygon class="decide-graph__head" points="{head}"/>'
    )


def _box(ctx: SiteContext, page: str, memo_id: str, place: tuple[int, int]) -> str:
    x, y = _xy(place)
    entry: IndexEntry | None = ctx.by_id.get(memo_id)
    title = entry.title if entry else "(not in the log)"
    state = f" decide-graph__node--{esc(entry.status)}" if entry else ""
    status = f" ({entry.status})" if entry else ""
    inner = (
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4"/>'
        f'<text x="{x + 8}" y="{y + 18}" class="decide-graph__id">{esc(memo_id)}{esc(status)}</text>'
        f'<text x="{x + 8}" y="{y + 36}">{esc(_cut(title, LABEL))}</text>'
        f"<title>{esc(f'{memo_id}: {title}{status}')}</title>"
    )
    if entry is None:
        return f'<g class="decide-graph__node">{inner}</g>'
    href = ctx.linker.href(page, memo_page(entry))
    return f'<a href="{esc(href)}" class="decide-graph__node{state}">{inner}</a>'


def _cut(text: str, limit: int) -> str:
    """``text`` when it fits in ``limit`` characters, else its start and "…" in that many."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
