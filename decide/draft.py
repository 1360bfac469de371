"""A new memo: its fields, the text it starts with, and creating its file safely."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from decide.config import Config, git_top
from decide.decisions import memo_names, memo_paths, missing_log
from decide.errors import Refused
from decide.files import log_lock, read_regular, write_new
from decide.ids import filename, id_from_filename, new_id, slugify
from decide.memo import Input, load, parse, parse_bytes
from decide.problem import Problem, one_line
from decide.schema import Checker, load_schemas
from decide.site.body import BodyCheck
from decide.validate import check_links, check_memo
from decide.yaml_lines import quick_fields, render_scalar

BODY_TEMPLATE = """
## Context

<!-- What forces this decision now? What happens if nobody decides? -->

## Options considered

<!-- Two or three real options, with what each costs. -->

## Decision

<!-- What the DRI decided, and the authority granted to act on it (the lever). -->

## Consequences

<!-- What changes, who does what next, what we give up. -->
"""

_WORD = re.compile(r"[^\W_]+")
_ESCALATION_HINT = """\
# escalation:
#   trigger: the condition under which this call goes up (e.g. "cost exceeds $50k")
#   to: the one person or role it goes to
"""


@dataclass(frozen=True)
class Draft:
    """The fields of a memo about to be written."""

    title: str
    dri: str
    date: str
    status: str = "proposed"
    decided_on: str = ""
    inputs: tuple[str | Input, ...] = ()
    escalate_when: str = ""
    escalate_to: str = ""
    review_by: str = ""
    tags: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    body: str = BODY_TEMPLATE
    extra_yaml: str = field(default="", repr=False)


@dataclass(frozen=True)
class Created:
    """A memo that was written."""

    id: str
    path: Path


def render_draft(draft: Draft, memo_id: str) -> str:
    """The memo's full text: front-matter in a fixed, readable order, then the body."""
    lines = [
        "---",
        f"id: {memo_id}",
        f"title: {render_scalar(draft.title)}",
        f"status: {draft.status}",
        f"date: {draft.date}",
    ]
    if draft.decided_on:
        lines.append(f"decided_on: {draft.decided_on}")
    lines.append(f"dri: {render_scalar(draft.dri)}")
    lines += _input_lines(draft.inputs)
    if draft.escalate_when or draft.escalate_to:
        lines += [
            "escalation:",
            f"  trigger: {render_scalar(draft.escalate_when)}",
            f"  to: {render_scalar(draft.escalate_to)}",
        ]
    else:
        lines.append(_ESCALATION_HINT.rstrip("\n"))
    if draft.review_by:
        lines.append(f"review_by: {draft.review_by}")
    lines += _list_lines("supersedes", draft.supersedes)
    lines += _list_lines("tags", draft.tags)
    if draft.extra_yaml:
        lines.append(draft.extra_yaml.rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n" + draft.body


def _input_lines(inputs: tuple[str | Input, ...]) -> list[str]:
    """Plain names as ``- who``; an input with ``what`` or ``link`` (copied from another memo) keeps its fields."""
    lines = ["inputs:"] if inputs else ["inputs: []"]
    for item in inputs:
        if isinstance(item, str) or not (item.what or item.link):
            lines.append(f"  - {render_scalar(item if isinstance(item, str) else item.who)}")
            continue
        lines.append(f"  - who: {render_scalar(item.who)}")
        lines += [f"    {k}: {render_scalar(v)}" for k, v in (("what", item.what), ("link", item.link)) if v]
    return lines


def _list_lines(key: str, values: tuple[str, ...]) -> list[str]:
    if not values:
        return []
    return [f"{key}:", *(f"  - {render_scalar(v)}" for v in values)]


def create_memo(config: Config, draft: Draft) -> Created:
    """Write a new memo with a fresh ID; refuse (writing nothing) if it would not be valid."""
    folder = config.decisions_dir
    if not folder.is_dir() and git_top(config.root) is None:
        raise missing_log(config)  # outside a repository: say so rather than start a log in any folder
    folder.mkdir(parents=True, exist_ok=True)
    with log_lock(config.root):  # what it supersedes is checked and the memo written with no other command between
        names = memo_names(config)
        taken = {memo_id for memo_id in (id_from_filename(name) for name in names) if memo_id}
        memo_id = new_id(taken)
        path = folder / filename(memo_id, draft.title)
        text = render_draft(draft, memo_id)
        problems = check_text(config, text, path) or _link_problems(config, text, path, names)
        if problems:
            lines = "\n".join(f"  {one_line(f'{p.field}: {p.message}')}" for p in problems)
            raise Refused(f"the memo was not written:\n{lines}")
        write_new(path, text)
    return Created(memo_id, path)


def check_text(config: Config, text: str, path: Path) -> list[Problem]:
    """Every problem a memo with this text would have at ``path``."""
    rel = path.relative_to(config.root).as_posix()
    parsed = parse(text, rel)
    if parsed.memo is None:
        return list(parsed.problems)
    return Checker(load_schemas(config)).check(parsed.memo) + check_memo(parsed.memo, BodyCheck(config.root))


def _link_problems(config: Config, text: str, path: Path, names: list[str]) -> list[Problem]:
    """What validate would say about the memos it supersedes: they exist and are not superseded already."""
    memo = parse(text, path.relative_to(config.root).as_posix()).memo
    return check_links(config, memo, names) if memo else []


def similar_titles(config: Config, title: str, *, limit: int = 3) -> list[tuple[str, str, Path]]:
    """Memos whose title looks like ``title``: ``(id, title, path)``, most alike first.

    Titles are compared casefolded and NFKC-normalised, word by word. A title written in ASCII
    words is compared with the file names' slugs, which hold those same words, so thousands of
    memos cost no reading; any other title (日本語のタイトル, Café) with each memo's title line.
    """
    wanted = _words(title)
    if not wanted or not config.decisions_dir.is_dir():
        return []
    by_name = all(word.isascii() for word in wanted)
    if by_name:
        wanted = _words(slugify(title))  # cut where the file names' slugs are cut
    scored = sorted(_scores(config, wanted, by_name=by_name), reverse=True)[:limit]
    found = []
    for _score, memo_id, path in scored:
        parsed = load(path, config.root)
        found.append((memo_id, parsed.memo.title if parsed.memo else path.stem, path))
    return found


def _scores(config: Config, wanted: list[str], *, by_name: bool) -> Iterator[tuple[float, str, Path]]:
    joined = " ".join(wanted)
    for path in memo_paths(config):
        memo_id = id_from_filename(path.name)
        if not memo_id:
            continue
        words = _words(path.stem[len(memo_id) :] if by_name else _title_line(path))
        if not words:
            continue
        overlap = len(set(words) & set(wanted)) / len(set(words) | set(wanted))
        ratio = difflib.SequenceMatcher(None, " ".join(words), joined).ratio()
        score = max(overlap, ratio)
        if score >= 0.75:
            yield score, memo_id, path


def _title_line(path: Path) -> str:
    """A memo's title, read from its title line (the whole memo is parsed only when that is unsure)."""
    raw = read_regular(path)
    if raw is None:
        return ""
    fields = quick_fields(raw, ("title",))
    title = fields.get("title") if fields is not None else _parsed_title(raw, path.name)
    return title if isinstance(title, str) else ""


def _parsed_title(raw: bytes, name: str) -> str:
    memo = parse_bytes(raw, name).memo
    return memo.title if memo else ""


def _words(text: str) -> list[str]:
    """The words of ``text``, casefolded and NFKC-normalised (a slug's hyphens and a title's spaces both split)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
