"""How a check's result reads: text, JSON, GitHub workflow annotations, and the Markdown job summary."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

from decide.check.rules import Change, CheckResult
from decide.problem import Problem

_KINDS = ("new", "changed", "renamed", "deleted")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def render(result: CheckResult, fmt: str) -> str:
    """The whole output of ``decide check`` in ``fmt`` (text, json or github)."""
    if fmt == "json":
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
        return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"
    problems = [annotation(p) if fmt == "github" else str(p) for p in result.problems]
    notes = [f"note: {note}" for note in result.notes]
    lines = [*(describe(c) for c in result.changes), *problems, *notes, verdict(result)]
    return printable("\n".join(lines) + "\n")


def printable(text: str) -> str:
    """``text`` as any UTF-8 file or terminal takes it: what UTF-8 cannot hold becomes an escape.

    A file name that is not UTF-8 comes from git as lone surrogates (it is decoded with
    surrogateescape); its bytes show as escapes such as ``\\xe9``. JSON output escapes them as ``\\udce9``.
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte, such as "\\ud800" written in YAML
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def describe(change: Change) -> str:
    """One line per memo looked at: kind, ID, path, and its status or transition."""
    where = f"{change.old_path} -> {change.path}" if change.old_path else change.path
    if change.kind == "deleted":
        state = change.old_status
    elif change.old_status and change.status and change.old_status != change.status:
        state = f"{change.old_status} -> {change.status}"
    else:
        state = change.status
    return f"{change.kind:<8} {change.id or '?':<9} {where}" + (f" ({state})" if state else "")


def verdict(result: CheckResult) -> str:
    """The one line that says how it went."""
    if result.problems:
        files = len({p.path for p in result.problems})
        return f"refused: {_count(len(result.problems), 'problem')} in {_count(files, 'memo')}"
    if not result.changes:
        return f"ok: no memos changed against {result.base}"
    kinds = Counter(c.kind for c in result.changes)
    parts = ", ".join(f"{kinds[k]} {k}" for k in _KINDS if kinds[k])
    return f"ok: {_count(len(result.changes), 'memo')} checked against {result.base} ({parts})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def annotation(problem: Problem) -> str:
    """A GitHub Actions ``::error`` workflow command for one problem."""
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append("title=decide")
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"::error {','.join(props)}::{_escape_data(message)}"


def error_annotation(message: str) -> str:
    """A GitHub Actions ``::error`` workflow command for a check that could not run, so the reason shows on the pull request."""
    return printable(f"::error title=decide::{_escape_data(message)}\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_summary(result: CheckResult) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: new decisions, transitions, problems."""
    lines = [f"### decide check: {'ok' if result.ok else 'refused'}", "", _md(verdict(result)), ""]
    new = [c for c in result.changes if c.kind == "new"]
    moves = [c for c in result.changes if c.old_status and c.status and c.old_status != c.status]
    if new:
        lines += ["#### New decisions", "", *(f"- **{c.id}** {_md(c.title)} ({c.status or '?'})" for c in new), ""]
    if moves:
        lines += ["#### Transitions", ""]
        lines += [f"- **{c.id}** {_md(c.title)}: {c.old_status} → {c.status}" for c in moves] + [""]
    if result.problems:
        lines += ["#### Problems", ""]
        lines += [f"- {_where(p)} {_md(p.field + ': ' if p.field else '')}{_md(p.message)}" for p in result.problems]
        lines += [""]
    return printable("\n".join(lines) + "\n")


def _where(problem: Problem) -> str:
    """`path:line` as code, or the path alone for a problem with the whole file (line 0), such as a deletion."""
    return f"`{problem.path}:{problem.line}`" if problem.line else f"`{problem.path}`"


def _md(text: str) -> str:
    """Text shown as itself in Markdown: no HTML, no emphasis, no links."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
