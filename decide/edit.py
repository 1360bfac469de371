"""Edits to a memo's front-matter as text: one field's line, one new list entry; every other byte stays as written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from decide.errors import Refused
from decide.memo import Memo, parse
from decide.yaml_lines import render_scalar

BOM = "\ufeff"
_LIST_ITEM = re.compile(r"^(?P<indent>[ ]*)-(?P<gap>[ ]+)")


@dataclass(frozen=True)
class SetField:
    """Set a top-level field to a text value: its line is replaced, or a line is added before the closing ``---``."""

    key: str
    value: str


@dataclass(frozen=True)
class AddItem:
    """Append a mapping (ordered ``(key, value)`` pairs) to a top-level block list such as ``reviews:``."""

    key: str
    item: tuple[tuple[str, str], ...]


Edit = SetField | AddItem


def apply_edits(text: str, path: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` applied; refuse when the result would read back as anything but the intended change."""
    bom = BOM if text.startswith(BOM) else ""
    current = text.removeprefix(bom)
    memo = _memo(current, path)
    expected = dict(memo.data)
    for edit in edits:
        if isinstance(edit, SetField):
            current = set_field(current, memo, edit.key, edit.value)
            expected[edit.key] = edit.value
        else:
            current = add_item(current, memo, edit.key, edit.item)
            expected[edit.key] = [*(expected.get(edit.key) or []), dict(edit.item)]
        memo = _edited(current, path, edits)
    if dict(memo.data) != expected:
        raise _cannot_edit(path, edits)
    return bom + current


def _memo(text: str, path: str) -> Memo:
    parsed = parse(text, path)
    if parsed.memo is None:
        raise Refused(f"{path} cannot be read; nothing was written:\n" + "\n".join(f"  {p}" for p in parsed.problems))
    return parsed.memo


def _edited(text: str, path: str, edits: Sequence[Edit]) -> Memo:
    parsed = parse(text, path)
    if parsed.memo is None:
        raise _cannot_edit(path, edits)
    return parsed.memo


def _cannot_edit(path: str, edits: Sequence[Edit]) -> Refused:
    keys = ", ".join(changed_keys(edits))
    return Refused(f"{path}: the front-matter is laid out in a way decide cannot edit safely; set {keys} by hand")


def set_field(text: str, memo: Memo, key: str, value: str) -> str:
    """Replace the field's line(s) with ``key: value`` (keeping the key as written and any end-of-line comment)."""
    lines = text.splitlines(keepends=True)
    start = memo.lines.get((key,))
    if start is None:
        close = memo.body_line - 2
        return "".join([*lines[:close], f"{key}: {render_scalar(value)}{_newline(lines)}", *lines[close:]])
    first = lines[start - 1]
    prefix, rest = _split_key(first, key, memo.path)
    end = _field_end(lines, memo, start)
    comment = _comment(rest) if end == start else ""
    new = f"{prefix} {render_scalar(value)}{comment}{_ending(first)}"
    return "".join([*lines[: start - 1], new, *lines[end:]])


def add_item(text: str, memo: Memo, key: str, item: tuple[tuple[str, str], ...]) -> str:
    """Append ``item`` to the block list ``key`` (created before the closing ``---`` when absent)."""
    lines = text.splitlines(keepends=True)
    newline = _newline(lines)
    start = memo.lines.get((key,))
    if start is None:
        close = memo.body_line - 2
        new = [f"{key}:{newline}", *_item_lines(item, "  ", " ", newline)]
        return "".join([*lines[:close], *new, *lines[close:]])
    _prefix, rest = _split_key(lines[start - 1], key, memo.path)
    first_item = memo.lines.get((key, 0))
    if first_item is None:
        return _start_list(lines, memo, start, key, item)
    found = _LIST_ITEM.match(lines[first_item - 1])
    if found is None or rest.lstrip().startswith("["):
        raise Refused(
            f"{memo.path}:{start}: {key}: is written inline ([...]); write one '- ' entry per line, then run the command again"
        )
    end = _field_end(lines, memo, start)
    new = _item_lines(item, found["indent"], found["gap"], _ending(lines[end - 1]) or newline)
    return "".join([*lines[:end], *new, *lines[end:]])


def _start_list(lines: list[str], memo: Memo, start: int, key: str, item: tuple[tuple[str, str], ...]) -> str:
    """``key: []`` or ``key:`` with no entries becomes a block list with one entry."""
    first = lines[start - 1]
    prefix, rest = _split_key(first, key, memo.path)
    comment = _comment(rest)
    if rest[: len(rest) - len(comment)].strip() not in ("", "[]"):
        raise Refused(f"{memo.path}:{start}: {key}: is not a list; fix it by hand")
    end = _field_end(lines, memo, start)
    ending = _ending(first) or _newline(lines)
    new = [f"{prefix}{comment}{ending}", *_item_lines(item, "  ", " ", ending)]
    return "".join([*lines[: start - 1], *new, *lines[end:]])


def _item_lines(item: tuple[tuple[str, str], ...], indent: str, gap: str, newline: str) -> list[str]:
    inner = indent + " " * (1 + len(gap))
    return [
        f"{indent}-{gap}{k}: {render_scalar(v)}{newline}" if i == 0 else f"{inner}{k}: {render_scalar(v)}{newline}"
        for i, (k, v) in enumerate(item)
    ]


def _split_key(line: str, key: str, path: str) -> tuple[str, str]:
    """``('status:', ' proposed  # note')`` for ``status: proposed  # note``; the key keeps its quoting."""
    found = re.match(rf"""^(["']?){re.escape(key)}\1[ ]*:""", line)
    if found is None:
        raise Refused(f"{path}: {key}: is not written as a plain 'key: value' line; set it by hand")
    return found.group(0), line[found.end() :].rstrip("\r\n")


def _comment(rest: str) -> str:
    """The end-of-line comment after a one-line value, with the spaces before it; '' when there is none."""
    value = rest.lstrip(" ")
    end = len(rest) - len(value) + _value_end(value)
    if not rest[end:].lstrip(" \t").startswith("#"):
        return ""
    before = rest[:end]
    return before[len(before.rstrip(" \t")) :] + rest[end:]


def _value_end(value: str) -> int:
    """Where a scalar written on one line ends: after its closing quote, or before `` #``."""
    if value[:1] == '"':
        found = re.match(r'"(?:[^"\\]|\\.)*"', value)
        return found.end() if found else len(value)
    if value[:1] == "'":
        found = re.match(r"'(?:[^']|'')*'", value)
        return found.end() if found else len(value)
    if value.startswith("#"):
        return 0
    found = re.search(r"[ \t]#", value)
    return found.start() if found else len(value)


def _field_end(lines: list[str], memo: Memo, start: int) -> int:
    """The line number of a top-level field's last line: before the next field, without trailing blanks or comments."""
    close = memo.body_line - 1
    following = [line for where, line in memo.lines.items() if len(where) == 1 and start < line < close]
    end = min(following, default=close) - 1
    # Comments at the left margin belong to what follows; indented lines may be part of a block value.
    while end > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def _newline(lines: list[str]) -> str:
    """The file's line ending, taken from its first line (the opening ``---``)."""
    return _ending(lines[0]) or "\n"


def changed_keys(edits: Sequence[Edit]) -> tuple[str, ...]:
    """The fields the edits touch, in order, each once."""
    return tuple(dict.fromkeys(e.key for e in edits))
