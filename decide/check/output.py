"""How a check's result reads: text, JSON, GitHub annotations and job summary, GitLab Code Quality, JUnit XML."""

from __future__ import annotations

import json
import re
from collections import Counter

from decide.check.rules import Change, CheckResult
from decide.problem import Problem, one_line

_KINDS = ("new", "changed", "renamed", "deleted")
# Every ASCII punctuation character may be backslash-escaped in CommonMark, and then stands for itself.
_MD_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The runner reads a line as a workflow command when it starts (after blanks) with "::", and the
# older form "##[" anywhere in it; a line of text must hold neither.
_COMMAND_START = re.compile(r"^(\s*):(?=:)")
SUMMARY_LIMIT = 1_000_000  # GitHub refuses a step summary over 1 MiB
ANNOTATIONS_SHOWN = 10  # GitHub shows this many error annotations of a step on the pull request


def render(result: CheckResult, fmt: str) -> str:
    """The whole output of ``decide check`` in ``fmt`` (text, json, github, gitlab or junit)."""
    if fmt in ("json", "gitlab"):
        data = result.to_dict() if fmt == "json" else code_quality(result)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"
    if fmt == "junit":
        return junit(result)
    if fmt == "github":
        problems = [annotation(p) for p in result.problems]
        notes = [f"::notice title=decide::{_escape_data(note)}" for note in result.notes]
        plain = [inert(line) for line in (*(describe(c) for c in result.changes), verdict(result))]
        lines = [*plain[:-1], *problems, *notes, plain[-1]]
    else:
        notes = [one_line(f"note: {note}") for note in result.notes]
        lines = [*(describe(c) for c in result.changes), *(str(p) for p in result.problems), *notes, verdict(result)]
    return printable("\n".join(lines) + "\n")


def inert(line: str) -> str:
    """A line of text that the GitHub runner cannot take for a workflow command (``::x::`` or ``##[x]``)."""
    return _COMMAND_START.sub(r"\1:\\", one_line(line)).replace("##[", "##\\[")


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
    return one_line(f"{change.kind:<8} {change.id or '?':<9} {where}" + (f" ({state})" if state else ""))


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


def error_line(message: str) -> str:
    """The ``Error: …`` line for stderr in a workflow, which the runner also reads for commands."""
    return printable(inert(f"Error: {message}") + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_summary(result: CheckResult) -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: new decisions, transitions, and every problem.

    Every value is escaped so that it reads as itself on one line (no heading, list, link, HTML
    or blank line can come out of a memo), and the summary stays under GitHub's 1 MiB limit.
    """
    lines = [f"### decide check: {'ok' if result.ok else 'refused'}", "", _md(verdict(result)), ""]
    new = [c for c in result.changes if c.kind == "new"]
    moves = [c for c in result.changes if c.old_status and c.status and c.old_status != c.status]
    if new:
        lines += ["#### New decisions", "", *(f"- {_code(c.id)} {_md(c.title)} ({_md(c.status or '?')})" for c in new)]
        lines += [""]
    if moves:
        lines += ["#### Transitions", ""]
        lines += [f"- {_code(c.id)} {_md(c.title)}: {_md(c.old_status)} → {_md(c.status)}" for c in moves] + [""]
    if result.notes:
        lines += ["#### Notes", "", *(f"- {_md(note)}" for note in result.notes), ""]
    if result.problems:
        lines += ["#### Problems", ""]
        if len(result.problems) > ANNOTATIONS_SHOWN:
            lines += [
                f"GitHub shows {ANNOTATIONS_SHOWN} annotations of a step; all {len(result.problems)} are here.",
                "",
            ]
        lines += _bounded(
            [f"- {_where(p)} {_md(p.field + ': ' if p.field else '')}{_md(p.message)}" for p in result.problems]
        )
        lines += [""]
    return printable("\n".join(lines) + "\n")


def _bounded(items: list[str]) -> list[str]:
    """As many of ``items`` as fit in the summary's limit, and a line saying how many more the log holds."""
    size, kept = 0, list[str]()
    for item in items:
        size += len(item.encode("utf-8", "surrogateescape")) + 1
        if size > SUMMARY_LIMIT - 10_000:
            return [
                *kept,
                "",
                f"{len(items) - len(kept)} more problems do not fit in a summary; the step's log lists them all.",
            ]
        kept.append(item)
    return kept


def _where(problem: Problem) -> str:
    """`path:line` as code, or the path alone for a problem with the whole file (line 0), such as a deletion."""
    return _code(f"{problem.path}:{problem.line}" if problem.line else problem.path)


def _md(text: str) -> str:
    """Text shown as itself in Markdown, on one line: every punctuation character escaped, line breaks shown as \\n."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _code(text: str) -> str:
    """Text as an inline code span, fenced with more backticks than it holds in a row."""
    flat = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    return f"{fence} {flat} {fence}" if flat.startswith("`") or flat.endswith("`") else f"{fence}{flat}{fence}"


def code_quality(result: CheckResult) -> list[dict[str, object]]:
    """GitLab's Code Quality report: one "major" issue per problem, each with a fingerprint stable across runs."""
    import hashlib

    issues: list[dict[str, object]] = []
    for problem in result.problems:
        key = "\0".join((problem.path, problem.field, problem.message)).encode("utf-8", "surrogateescape")
        issues.append(
            {
                "description": f"{problem.field}: {problem.message}" if problem.field else problem.message,
                "check_name": f"decide/{problem.field or 'file'}",
                "fingerprint": hashlib.sha256(key).hexdigest(),
                "severity": "major",
                "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
            }
        )
    return issues


# XML 1.0 allows no control character but tab and line breaks (one_line escapes those too), nor U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\ufffe\uffff]")


def junit(result: CheckResult) -> str:
    """A JUnit XML report: a test case per memo file looked at, failing with its problems; one case when none was."""
    from xml.sax.saxutils import escape, quoteattr

    def text(value: str) -> str:
        return _NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04x}", printable(one_line(value)))

    files = list(dict.fromkeys([*(c.path for c in result.changes), *(p.path for p in result.problems)]))
    cases = []
    for path in files or ["decide check"]:
        found = [p for p in result.problems if p.path == path]
        case = f'    <testcase classname="decide.check" name={quoteattr(text(path))}'
        if not found:
            cases.append(case + "/>")
            continue
        body = "\n".join(escape(text(str(p))) for p in found)
        message = quoteattr(text(f"{len(found)} problem{'s' if len(found) > 1 else ''}"))
        cases.append(f'{case}>\n      <failure message={message} type="decide">{body}</failure>\n    </testcase>')
    failures = sum(1 for case in cases if "<failure" in case)
    suite = quoteattr(text(f"decide check against {result.base}"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites tests="{len(cases)}" failures="{failures}">\n'
        f'  <testsuite name={suite} tests="{len(cases)}" failures="{failures}">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )
