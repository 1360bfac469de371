"""One decision memo: strict parsing of its front-matter, the typed record, and rendering a new one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from decide.problem import Problem

MAX_BYTES = 1_000_000
FieldPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = frozenset(
    {_STR, "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
)


class _Loader(yaml.CSafeLoader):
    """The C loader with YAML 1.2-like scalars: only true/false/null are not strings.

    Dates stay the strings the author typed (the schema judges them), and the YAML 1.1
    surprises (``no`` -> False, ``0123`` -> 83, ``12:30`` -> 750) cannot happen.
    """

    yaml_implicit_resolvers = {}  # noqa: RUF012 (PyYAML's API: a class-level table copied on first add)


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


@dataclass(frozen=True)
class Input:
    """Someone or something consulted before the call."""

    who: str
    what: str = ""
    link: str = ""


@dataclass(frozen=True)
class Escalation:
    """When the call goes up, and to whom."""

    trigger: str
    to: str


@dataclass(frozen=True)
class Review:
    """A dated record that the decision was reviewed and still holds."""

    date: str
    by: str = ""
    note: str = ""


@dataclass(frozen=True)
class Memo:
    """A parsed memo. Accessors are lenient: a wrongly typed field reads as empty (validation reports it)."""

    path: str
    data: Mapping[str, Any]
    body: str
    body_line: int
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)

    def line_of(self, where: FieldPath) -> int:
        """The line of the field at ``where`` or of its nearest parent; 1 (the opening ``---``) if unknown."""
        for end in range(len(where), 0, -1):
            line = self.lines.get(where[:end])
            if line:
                return line
        return 1

    def _str(self, key: str) -> str:
        value = self.data.get(key)
        return value if isinstance(value, str) else ""

    def _strs(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    @property
    def id(self) -> str:
        return self._str("id")

    @property
    def title(self) -> str:
        return self._str("title")

    @property
    def status(self) -> str:
        return self._str("status")

    @property
    def date(self) -> str:
        return self._str("date")

    @property
    def decided_on(self) -> str:
        return self._str("decided_on")

    @property
    def dri(self) -> str:
        return self._str("dri")

    @property
    def review_by(self) -> str:
        return self._str("review_by")

    @property
    def closed_on(self) -> str:
        return self._str("closed_on")

    @property
    def reason(self) -> str:
        return self._str("reason")

    @property
    def supersedes(self) -> tuple[str, ...]:
        return self._strs("supersedes")

    @property
    def tags(self) -> tuple[str, ...]:
        return self._strs("tags")

    @property
    def aliases(self) -> tuple[str, ...]:
        return self._strs("aliases")

    @property
    def imported_from(self) -> str:
        imported = self.data.get("imported")
        return str(imported.get("from", "")) if isinstance(imported, dict) else ""

    @property
    def inputs(self) -> tuple[Input, ...]:
        value = self.data.get("inputs")
        return tuple(_input(v) for v in value if isinstance(v, str | dict)) if isinstance(value, list) else ()

    @property
    def escalation(self) -> Escalation | None:
        value = self.data.get("escalation")
        if not isinstance(value, dict):
            return None
        return Escalation(trigger=str(value.get("trigger") or ""), to=str(value.get("to") or ""))

    @property
    def reviews(self) -> tuple[Review, ...]:
        value = self.data.get("reviews")
        if not isinstance(value, list):
            return ()
        return tuple(
            Review(date=str(r.get("date") or ""), by=str(r.get("by") or ""), note=str(r.get("note") or ""))
            for r in value
            if isinstance(r, dict)
        )


def _input(value: str | dict[str, Any]) -> Input:
    if isinstance(value, str):
        return Input(who=value)
    return Input(who=str(value.get("who") or ""), what=str(value.get("what") or ""), link=str(value.get("link") or ""))


@dataclass(frozen=True)
class Parsed:
    """The result of parsing one file: the memo when the front-matter could be read, and every problem."""

    memo: Memo | None
    problems: tuple[Problem, ...]


def load(path: Path, root: Path) -> Parsed:
    """Read and parse one memo file; every failure becomes a problem naming the file."""
    rel = _relative(path, root)
    if path.is_symlink():
        return _fail(rel, 0, "is a symbolic link; a memo must be a regular file (move the real file here)")
    if path.is_dir():
        return _fail(rel, 0, "is a directory, not a memo; rename it so it does not end in .md")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _fail(rel, 0, f"is {size / 1e6:.1f} MB; a memo is at most 1 MB: link large material instead")
        raw = path.read_bytes()
    except OSError as exc:
        return _fail(rel, 0, f"cannot be read: {exc.strerror or exc}")
    return parse_bytes(raw, rel)


def parse_bytes(raw: bytes, path: str) -> Parsed:
    """Decode UTF-8 (a BOM is accepted and ignored) and parse."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _fail(path, line, f"is not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
    return parse(text.removeprefix("\ufeff"), path)


def parse(text: str, path: str) -> Parsed:
    """Parse a memo's text. Pure: no IO. CRLF line endings are accepted."""
    if not text.strip():
        return _fail(path, 1, "is empty; a memo starts with a '---' line, its fields, and another '---' line")
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        return _fail(path, 1, "has no front-matter; start the file with a '---' line, the fields, then '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    if not end:
        return _fail(path, 1, "front-matter is never closed; add a '---' line after the last field")
    front = lines[1:end]
    tabs = [
        Problem(path, i + 2, "", "tab in indentation; YAML needs spaces")
        for i, line in enumerate(front)
        if "\t" in line[: len(line) - len(line.lstrip())]
    ]
    if tabs:
        return Parsed(None, tuple(tabs))
    body = "".join(lines[end + 1 :])
    return _parse_front("".join(front), path, body, end + 2)


def _parse_front(front: str, path: str, body: str, body_line: int) -> Parsed:
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return _fail(path, 2, _not_a_mapping(node))
        lines: dict[FieldPath, int] = {}
        problems = list(dict.fromkeys(_check_nodes(node, (), path, lines, set())))
        if problems:
            return Parsed(None, tuple(problems))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return _fail(path, *_describe_yaml_error(exc))
    except yaml.YAMLError as exc:
        return _fail(path, 1, f"YAML error: {exc}")
    finally:
        loader.dispose()
    return Parsed(Memo(path, MappingProxyType(data), body, body_line, MappingProxyType(lines)), ())


def _describe_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 2 if mark else 1
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        message += f" ({exc.context} on line {exc.context_mark.line + 2})"
    return line, message


def _not_a_mapping(node: yaml.Node | None) -> str:
    if node is None:
        return "front-matter is empty; write the fields (id, title, status, date, dri) as 'key: value' lines"
    kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
    return f"front-matter is {kind}; it must be 'key: value' fields (id, title, status, date, dri)"


def _check_nodes(
    node: yaml.Node, where: FieldPath, path: str, lines: dict[FieldPath, int], seen: set[int]
) -> Iterator[Problem]:
    """Refuse what the safe loader lets through or would crash on; record the line of every field."""
    field_label = label(where)
    line = node.start_mark.line + 2
    if id(node) in seen:
        field = next((where[:end] for end in range(len(where), 0, -1) if isinstance(where[end - 1], str)), where)
        yield Problem(
            path,
            lines.get(field, line),
            label(field),
            "YAML anchors and aliases (& and *) are not allowed; write the value out",
        )
        return
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        yield Problem(
            path,
            line,
            field_label,
            f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; write a plain value",
        )
        return
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*where, index)] = item.start_mark.line + 2
            yield from _check_nodes(item, (*where, index), path, lines, seen)
    elif isinstance(node, yaml.MappingNode):
        yield from _check_mapping(node, where, path, lines, seen)


def _check_mapping(
    node: yaml.MappingNode, where: FieldPath, path: str, lines: dict[FieldPath, int], seen: set[int]
) -> Iterator[Problem]:
    first_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 2
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR or key_node.value == "<<":
            yield Problem(path, line, label(where), "a key must be a plain name such as 'title'")
            continue
        key = (*where, key_node.value)
        if key_node.value in first_lines:
            first = first_lines[key_node.value]
            yield Problem(path, line, label(key), f"duplicate key (first on line {first}); keep one of them")
            continue
        first_lines[key_node.value] = lines[key] = line
        yield from _check_nodes(value_node, key, path, lines, seen)


def label(where: FieldPath) -> str:
    """``('inputs', 1, 'who')`` -> ``inputs[1].who``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _fail(path: str, line: int, message: str) -> Parsed:
    return Parsed(None, (Problem(path, line, "", message),))


def render_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if value and value == value.strip() and "\n" not in value and not value.startswith(("'", '"', "#")):
        loader = _Loader(f"k: {value}\n")
        try:
            if loader.get_single_data() == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    return json.dumps(value, ensure_ascii=False)


def quick_lists(raw: bytes, keys: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    """The top-level list fields ``keys`` of a memo, read from their own lines only; None when unsure.

    For reading the links of thousands of memos: each key's few lines are loaded, not the whole
    front-matter. None (parse the memo instead) when the front-matter is not plainly delimited,
    has tabs, or names a key other than as one plain ``key:`` line.
    """
    lines = raw.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if lines[0].rstrip() != b"---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (b"---", b"...")), 0)
    front = lines[1:end]
    if not end or any(b"\t" in line for line in front):
        return None
    found: dict[str, tuple[str, ...]] = {}
    for key in keys:
        starts = [i for i, line in enumerate(front) if line.startswith(key.encode()) and _QUICK_KEY.match(line)]
        if len(starts) > 1 or (not starts and any(key.encode() in line for line in front)):
            return None
        value = _quick_value(front, starts[0], key) if starts else []
        if value is None:
            return None
        found[key] = tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
    return found


_QUICK_KEY = re.compile(rb"^[a-z_]+[ ]*:(?:[ ]|\r?$)")


def _quick_value(front: list[bytes], start: int, key: str) -> Any:
    end = start + 1
    while end < len(front) and (front[end][:1] in (b" ", b"-", b"#") or not front[end].strip()):
        end += 1
    loader = _Loader(b"\n".join(front[start:end]).decode("utf-8", "replace"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return data.get(key) if isinstance(data, dict) and set(data) == {key} else None
