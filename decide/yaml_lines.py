"""Strict YAML, read with each field's line: the C loader with YAML 1.2-like scalars, and quick reads of single fields."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import yaml

from decide.problem import Problem

MAX_DEPTH = 20
FieldPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.CSafeLoader):
    """The C loader with YAML 1.2-like scalars: only true/false/null are not strings.

    Dates stay the strings the author typed (the schema judges them), and the YAML 1.1
    surprises (``no`` -> False, ``0123`` -> 83, ``12:30`` -> 750) cannot happen.
    """

    yaml_implicit_resolvers = {}  # noqa: RUF012 (PyYAML's API: a class-level table copied on first add)

    # With two exact-word resolvers and no path resolvers, resolving a tag is a dict lookup; PyYAML's
    # general resolver, called for every key and value, cost about a tenth of validating 10,000 memos.
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN_WORDS.get(value, _STR) if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_PLAIN_WORDS = {
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), "tag:yaml.org,2002:bool"),
    **dict.fromkeys(("~", "null", "Null", "NULL", ""), "tag:yaml.org,2002:null"),
}


def load_yaml(text: str, path: str) -> tuple[Any, dict[FieldPath, int], tuple[Problem, ...]]:
    """A whole YAML file (such as the roster) read with a memo's strict rules: its data, each field's line, problems."""
    return read_yaml(text, path, first_line=1, mapping=False)


def read_yaml(
    text: str, path: str, *, first_line: int, mapping: bool
) -> tuple[Any, dict[FieldPath, int], tuple[Problem, ...]]:
    """Compose with the C loader, then build values with :class:`_Builder`; ``first_line`` is the file line of ``text``'s first."""
    node, problem = _compose(text, path, first_line)
    if problem:
        return None, {}, (problem,)
    if mapping and not isinstance(node, yaml.MappingNode):
        return None, {}, (Problem(path, first_line, "", _not_a_mapping(node)),)
    if node is None:
        return None, {}, ()
    builder = _Builder(path, first_line)
    data = builder.build(node, ())
    if builder.problems:
        return None, builder.lines, tuple(dict.fromkeys(builder.problems))
    return data, builder.lines, ()


def _compose(text: str, path: str, first_line: int) -> tuple[yaml.Node | None, Problem | None]:
    """The YAML node tree (no values built yet), or the one problem that stopped the parser."""
    loader = _Loader(text)
    try:
        return loader.get_single_node(), None
    except yaml.MarkedYAMLError as exc:
        line, message = _describe_yaml_error(exc, first_line)
        return None, Problem(path, line, "", message)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        message = f"contains the character #x{exc.character:04x}, which YAML does not allow; remove it"
        return None, Problem(path, line, "", message)
    except yaml.YAMLError as exc:
        return None, Problem(path, first_line, "", f"YAML error: {' '.join(str(exc).split())}")
    finally:
        loader.dispose()


def _describe_yaml_error(exc: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else first_line
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        message += f" ({exc.context} on line {exc.context_mark.line + first_line})"
    return line, message


def _not_a_mapping(node: yaml.Node | None) -> str:
    if node is None:
        return "front-matter is empty; write the fields (id, title, status, date, dri) as 'key: value' lines"
    kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
    return f"front-matter is {kind}; it must be 'key: value' fields (id, title, status, date, dri)"


class _Builder:
    """Builds plain Python values from the composed YAML nodes, recording each field's line.

    Faster than PyYAML's generic constructor, and it refuses what the safe loader would let
    through or crash on: aliases (no "billion laughs"), tags, duplicate and non-name keys.
    """

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def build(self, node: yaml.Node, where: FieldPath) -> Any:
        if id(node) in self._seen:
            return self._refuse_alias(where)
        if len(where) > MAX_DEPTH:
            return self._refuse_depth(where)
        self._seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if tag == _SEQ:
            return [self._item(item, (*where, index)) for index, item in enumerate(node.value)]
        return self._other(node, where)

    def _other(self, node: yaml.Node, where: FieldPath) -> Any:
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._add(
            node.start_mark.line + self.first_line, where, f"YAML tag {shown} is not allowed; write a plain value"
        )
        return None

    def _item(self, node: yaml.Node, where: FieldPath) -> Any:
        self.lines[where] = node.start_mark.line + self.first_line
        return self.build(node, where)

    def _mapping(self, node: yaml.MappingNode, where: FieldPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + self.first_line
            key = key_node.value
            if key_node.tag != _STR or not isinstance(key, str) or key == "<<":
                self._add(line, where, "a key must be a plain name such as 'title'")
            elif key in data:
                self._add(
                    line, (*where, key), f"duplicate key (first on line {self.lines[(*where, key)]}); keep one of them"
                )
            else:
                self.lines[(*where, key)] = line
                data[key] = self.build(value_node, (*where, key))
        return data

    def _refuse_alias(self, where: FieldPath) -> None:
        field = next((where[:end] for end in range(len(where), 0, -1) if isinstance(where[end - 1], str)), where)
        message = "YAML anchors and aliases (& and *) are not allowed; write the value out"
        self._add(self.lines.get(field, 1), field, message)

    def _refuse_depth(self, where: FieldPath) -> None:
        """A value nested deeper than any memo needs, reported on its top-level field; building it would recurse as deep."""
        top = where[:1]
        message = (
            f"is nested more than {MAX_DEPTH} levels deep; flatten it to a few levels of lists and 'key: value' fields"
        )
        self._add(self.lines.get(top, self.first_line), top, message)

    def _add(self, line: int, where: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.path, line, label(where), message))


def label(where: FieldPath) -> str:
    """``('inputs', 1, 'who')`` -> ``inputs[1].who``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# Text YAML reads back as itself written plain: an ASCII letter first, then letters, digits, ,.()'/_-<>@+&
# and single spaces (no ": ", no " #", nothing that starts another kind of node). Telling that by a
# pattern saves loading it, which cost the ADR import a tenth of its time at 10,000 memos.
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9,.()'/_<>@+&-]| (?=[^ ]))*\Z")


def render_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if _PLAIN.match(value) and value not in _PLAIN_WORDS:
        return value
    if value and value == value.strip() and "\n" not in value and not value.startswith(("'", '"', "#")):
        loader = _Loader(f"k: {value}\n")
        try:
            if loader.get_single_data() == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quick_lists(raw: bytes, keys: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    """The top-level list fields ``keys`` of a memo (a missing one is empty), read as :func:`quick_fields` does."""
    found = quick_fields(raw, keys)
    if found is None:
        return None
    return {key: _strings(found.get(key)) for key in keys}


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def quick_fields(raw: bytes, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The top-level fields ``keys`` of a memo that it has, read from their own lines only; None when unsure.

    For reading a few fields of thousands of memos: each key's few lines are loaded, not the whole
    front-matter. None (parse the memo instead) when the front-matter is not plainly delimited,
    has tabs, or names a key other than as one plain ``key:`` line.
    """
    opening, _, rest = raw.removeprefix(b"\xef\xbb\xbf").partition(b"\n")
    closing = _FRONT_CLOSE.search(rest)
    if opening.rstrip() != b"---" or closing is None or b"\t" in rest[: closing.start()]:
        return None
    front = rest[: closing.start()]
    lines = front.split(b"\n")
    found: dict[str, Any] = {}
    for key in keys:
        starts = [match.start() for match in _key_line(key).finditer(front)]
        if len(starts) > 1 or (not starts and key.encode() in front):
            return None
        if starts:
            found[key] = _quick_value(lines, front.count(b"\n", 0, starts[0]), key)
            if found[key] is None:
                return None
    return found


_QUICK_KEY = re.compile(rb"^[a-z_]+[ ]*:(?:[ ]|\r?$)")
_FRONT_CLOSE = re.compile(rb"^(?:---|\.\.\.)[ \t\r\f\v]*$", re.MULTILINE)


@functools.lru_cache
def _key_line(key: str) -> re.Pattern[bytes]:
    return re.compile(b"^" + re.escape(key.encode()) + rb"[ ]*:(?:[ ]|\r?$)", re.MULTILINE)


# A list of plain words, the shape links nearly always take; anything else goes to the YAML loader.
_WORD = rb"[A-Za-z0-9][A-Za-z0-9._/-]*"
_FLOW_WORDS = re.compile(rb"[a-z_]+ *: *\[ *((?:" + _WORD + rb" *, *)*(?:" + _WORD + rb")?) *\] *\r?")
_ITEM_WORD = re.compile(rb" *- +(" + _WORD + rb") *\r?")
_NOT_WORDS = frozenset({b"true", b"false", b"null"})


def _word_list(lines: list[bytes]) -> list[str] | None:
    """The words of ``key: [a, b]`` or of ``key:`` then ``- a`` lines, when that is all the lines hold; else None."""
    flow = _FLOW_WORDS.fullmatch(lines[0])
    if flow and len(lines) == 1:
        words = [w.strip() for w in flow.group(1).split(b",")] if flow.group(1) else []
    elif _QUICK_KEY.fullmatch(lines[0].rstrip()) and lines[0].rstrip().endswith(b":"):
        items = [_ITEM_WORD.fullmatch(line) for line in lines[1:] if line.strip()]
        if not items or not all(items):
            return None
        words = [item.group(1) for item in items if item]
    else:
        return None
    if any(word.lower() in _NOT_WORDS for word in words):
        return None
    return [word.decode() for word in words]


def _quick_value(front: list[bytes], start: int, key: str) -> Any:
    end = start + 1
    while end < len(front) and (front[end][:1] in (b" ", b"-", b"#") or not front[end].strip()):
        end += 1
    words = _word_list(front[start:end])
    if words is not None:
        return words
    loader = _Loader(b"\n".join(front[start:end]).decode("utf-8", "replace"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return data.get(key) if isinstance(data, dict) and set(data) == {key} else None


# One line of a plain list of records: "- key: value" opens a record, "  key: value" continues it. A value is a
# plain scalar that reads as text, or a quoted one without escapes; anything else goes to the YAML loader.
_RECORD_LINE = re.compile(
    r"(- |  )([A-Za-z_][A-Za-z0-9_-]*): (?:\"([^\"\\]*)\"|'([^']*)'|([^\s\"'\-?:,\[\]{}#&*!|>%@`][^#]*?))[ ]*"
)
_PLAIN_TROUBLE = re.compile(r": |:$| #")


def quick_records(text: str) -> tuple[list[dict[str, str]], dict[FieldPath, int]] | None:
    """A roster-shaped file (a list of ``key: text`` records, two-space indent) read without the YAML loader; None when unsure.

    Reads what :func:`load_yaml` would read, with the same lines, in a fraction of the time (20,000
    people take seconds through the loader): any line outside the plain shape (a comment after a
    value, an escape, a duplicate key, a value YAML would not read as text) returns None.
    """
    if not text.replace("\n", "").replace("\r", "").isprintable():  # YAML refuses some of these, or breaks lines
        return None
    data: list[dict[str, str]] = []
    lines: dict[FieldPath, int] = {}
    match = _RECORD_LINE.fullmatch
    record: dict[str, str] | None = None
    for number, ending in enumerate(text.split("\n"), start=1):
        line = ending[:-1] if ending.endswith("\r") else ending
        found = match(line)
        if found is None:
            if line.strip() and not line.lstrip(" ").startswith("#"):
                return None
            continue
        opener, key, double, single, plain = found.groups()
        value = double if double is not None else single if single is not None else plain
        if plain is not None and (plain in _PLAIN_WORDS or _PLAIN_TROUBLE.search(plain)):
            return None
        if opener == "- ":
            record = {}
            data.append(record)
            lines[(len(data) - 1,)] = number
        elif record is None or key in record:
            return None
        record[key] = value
        lines[(len(data) - 1, key)] = number
    return (data, lines) if data else None
