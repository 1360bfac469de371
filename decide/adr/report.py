"""What ``decide import`` tells a person: what to do, grouped, one line each; notes said once; the same as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from decide.adr.formats import Note
from decide.adr.importer import ImportPlan, Outcome

LINE_MAX = 200
LISTED = 50  # imported files named one per line; the JSON report lists every one
SKIPPED = "Skipped: fix the record, then import again"
_GROUPS = {
    "dri": "Confirm the DRI",
    "deciders": "Confirm the DRI",
    "status": "Check the status",
    "date": "Check the date",
    "supersedes": "Link the records by hand",
    "amends": "Link the records by hand",
    "links": "Fix links in the body",
    "title": "Check the title",
    "number": "Check the alias",
}
OTHER = "Check the memo"
ORDER = (SKIPPED, *dict.fromkeys(_GROUPS.values()), OTHER)


@dataclass(frozen=True)
class ToDo:
    """One thing a person must do, in the group that says what it is."""

    group: str
    source: str
    id: str
    field: str
    message: str


@dataclass(frozen=True)
class Summary:
    """Informational notes of one kind, said once for every file they are about."""

    kind: str
    files: int
    details: tuple[str, ...]


def to_dos(plan: ImportPlan) -> list[ToDo]:
    """Every item that needs a human, in the order of :data:`ORDER`, then by file."""
    items = [
        ToDo(SKIPPED if o.result == "skipped" else _GROUPS.get(n.field, OTHER), o.source, o.id, n.field, n.message)
        for o in plan.outcomes
        for n in o.notes
        if n.needs_human or o.result == "skipped"
    ]
    return sorted(items, key=lambda t: (ORDER.index(t.group), t.source))


def summaries(plan: ImportPlan) -> list[Summary]:
    """Informational notes grouped by what they are about (site-generator keys left out, dates taken from git …)."""
    found: dict[str, list[tuple[str, Note]]] = {}
    for outcome in plan.outcomes:
        if outcome.result == "skipped":
            continue
        for note in outcome.notes:
            if not note.needs_human:
                found.setdefault(note.kind or f"{note.field} notes", []).append((_name(outcome.source), note))
    return [Summary(kind, len({f for f, _ in notes}), _details(kind, notes)) for kind, notes in sorted(found.items())]


def _details(kind: str, notes: Sequence[tuple[str, Note]]) -> tuple[str, ...]:
    if kind == "site-generator keys left out":
        return (", ".join(sorted({key for _, note in notes for key in note.message.split(", ")})),)
    return tuple(dict.fromkeys(f"{name}: {note.message}" for name, note in notes))


def render_report(plan: ImportPlan, *, decisions: str, dry_run: bool) -> str:
    """The to-do groups, the notes said once, then the files imported (the first :data:`LISTED`), one line each."""
    lines = [f"format: {plan.detected}"]
    items = to_dos(plan)
    for group in ORDER:
        mine = [t for t in items if t.group == group]
        if mine:
            lines.append(f"{group} ({len(mine)}):")
            lines += [_fit(f"  {t.id + ' ' if t.id else ''}{_name(t.source)}: {_said(t)}") for t in mine]
    notes = summaries(plan)
    if notes:
        lines.append("Notes, nothing to do:")
        lines += [
            _fit(f"  {s.kind} ({s.files} file{'s' if s.files != 1 else ''}): {'; '.join(s.details)}") for s in notes
        ]
    lines += _files(plan, decisions, dry_run)
    return "\n".join(lines) + "\n"


def _summary_line(summary: Summary) -> str:
    """``kind (N files): detail; detail; … and K more``, as many whole details as fit in a line."""
    head = f"  {summary.kind} ({summary.files} file{'s' if summary.files != 1 else ''}): "
    shown: list[str] = []
    for at, detail in enumerate(summary.details):
        more = len(summary.details) - at - 1
        tail = f"; … and {more} more" if more else ""
        if len(head) + len("; ".join([*shown, detail])) + len(tail) > LINE_MAX and shown:
            return f"{head}{'; '.join(shown)}; … and {len(summary.details) - at} more"
        shown.append(detail)
    return _fit(head + "; ".join(shown))


def _said(item: ToDo) -> str:
    return f"{item.field}: {item.message}" if item.group in (SKIPPED, OTHER) else item.message


def _files(plan: ImportPlan, decisions: str, dry_run: bool) -> list[str]:
    imported = [o for o in plan.outcomes if o.result == "imported"]
    already = [o for o in plan.outcomes if o.result == "already imported"]
    lines = []
    if imported:
        verb = "Would be imported" if dry_run else "Imported"
        lines.append(f"{verb} ({len(imported)}):")
        lines += [_fit(f"  {o.source} -> {o.id} ({decisions}/{o.filename})") for o in imported[:LISTED]]
        if len(imported) > LISTED:
            lines.append(f"  … and {len(imported) - LISTED} more (--format json lists every file)")
    if plan.assets:
        copied = "Would be copied" if dry_run else "Copied"
        lines.append(_fit(f"{copied} beside the memos ({len(plan.assets)}): {', '.join(plan.assets)}"))
    if already:
        lines.append(
            _fit(f"Already imported ({len(already)}): {', '.join(f'{_name(o.source)} as {o.id}' for o in already)}")
        )
    if plan.ignored:
        lines.append(_fit(f"Ignored, not records ({len(plan.ignored)}): {', '.join(plan.ignored)}"))
    return lines


def render_summary(plan: ImportPlan, *, dry_run: bool) -> str:
    """``12 file(s): 10 imported, 1 skipped, 1 already imported; 3 need a human``."""
    counts = _counts(plan.outcomes)
    if dry_run:
        counts = {("would be imported" if r == "imported" else r): n for r, n in counts.items()}
    parts = ", ".join(f"{n} {r}" for r, n in counts.items())
    human = sum(o.needs_human for o in plan.outcomes)
    return f"{len(plan.outcomes)} file(s): {parts}; {human} need a human" + (
        " (dry run: nothing written)" if dry_run else ""
    )


def report_dict(plan: ImportPlan, *, decisions: str, dry_run: bool) -> dict[str, object]:
    """The report as data, for ``--format json`` (docs/json.md): the same groups and notes, and every file."""
    counts = _counts(plan.outcomes)
    return {
        "version": 1,
        "format": plan.fmt,
        "detected": plan.detected,
        "dry_run": dry_run,
        "summary": {
            "files": len(plan.outcomes),
            "imported": counts["imported"],
            "skipped": counts["skipped"],
            "already_imported": counts["already imported"],
            "need_a_human": sum(o.needs_human for o in plan.outcomes),
        },
        "to_do": [asdict(t) for t in to_dos(plan)],
        "notes": [{"kind": s.kind, "files": s.files, "details": list(s.details)} for s in summaries(plan)],
        "files": [_file(o, decisions) for o in plan.outcomes],
        "assets": list(plan.assets),
        "ignored": list(plan.ignored),
        "exit_code": plan.exit_code,
    }


def _file(outcome: Outcome, decisions: str) -> dict[str, object]:
    return {
        "source": outcome.source,
        "result": outcome.result,
        "id": outcome.id,
        "path": f"{decisions}/{outcome.filename}" if outcome.filename else "",
        "needs_human": outcome.needs_human,
        "notes": [asdict(n) for n in outcome.notes],
    }


def _counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    listed = list(outcomes)
    return {r: sum(o.result == r for o in listed) for r in ("imported", "skipped", "already imported")}


def _name(source: str) -> str:
    return source.rsplit("/", 1)[-1]


def _fit(line: str) -> str:
    """A line of at most :data:`LINE_MAX` characters; what is cut is in the JSON report."""
    return line if len(line) <= LINE_MAX else line[: LINE_MAX - 1] + "…"
