"""The JSON Schema of the front-matter: loading it, checking memos fast, and explaining errors."""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from decide.config import Config
from decide.errors import CannotRun
from decide.files import SCHEMA_BYTES, read_config_text
from decide.memo import Memo
from decide.patterns import check_patterns, regex_search, validator_class
from decide.problem import Problem
from decide.suggest import date_advice, did_you_mean
from decide.yaml_lines import FieldPath, label

if TYPE_CHECKING:
    from jsonschema import ValidationError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
STATUSES = ("proposed", "decided", "rejected", "retired")
PACKAGED = "decide"
MAX_SCHEMA_DEPTH = 64

_MISSING = {
    "id": 'add "id: D-…" (run "decide new" to get a fresh one)',
    "title": 'add "title: …", a short sentence saying what was decided',
    "status": 'add "status: proposed" (or decided, rejected, retired)',
    "date": 'add "date: YYYY-MM-DD", the day the memo was opened',
    "dri": 'add "dri: Ana Ruiz", the one person who decides',
    "decided_on": 'add "decided_on: YYYY-MM-DD", the day the DRI made the call',
    "inputs": 'add "inputs:" with at least one "- who was consulted"',
    "escalation": 'add "escalation:" with "trigger: when this goes up" and "to: the one person or role"',
    "trigger": 'add "trigger: …", the condition under which the call goes up',
    "to": 'add "to: …", the one person or role it goes to',
    "who": 'add "who: …", who was consulted',
}
_INPUT = 'must be a name, or "who:" with optional "what:" and "link:"'
_TYPES = {"array": "a list", "object": "a set of 'key: value' fields", "string": "text", "boolean": "true or false"}


def packaged_schema_text() -> str:
    """The schema shipped inside the package (identical to the repo's ``schema/decision.schema.json``)."""
    return resources.files("decide").joinpath("data/decision.schema.json").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Schema:
    """One schema document and where it came from."""

    source: str
    document: dict[str, Any]


def load_schemas(config: Config) -> tuple[Schema, ...]:
    """The packaged schema, plus the repo's own ``schema/decision.schema.json`` when it differs (an extension)."""
    text = read_config_text(config.schema_path, config.schema, limit=SCHEMA_BYTES)
    return schemas_from(config.schema, text)


def schemas_from(where: str, text: str | None) -> tuple[Schema, ...]:
    """The packaged schema, plus the extension schema with this ``text`` (None: there is none), such as a base branch's."""
    base_text = packaged_schema_text()
    schemas = [Schema(PACKAGED, _parse_schema(base_text, "the packaged schema"))]
    if text is not None:
        document = _parse_schema(text, where)
        if document != schemas[0].document:
            _check_schema(document, where)
            _check_refs(document, where)
            check_patterns(document, where)
            schemas.append(Schema(where, document))
    return tuple(schemas)


def _parse_schema(text: str, where: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CannotRun(f"{where}:{exc.lineno}: the schema is not valid JSON: {exc.msg}") from exc
    except RecursionError:
        document = None
        depth = MAX_SCHEMA_DEPTH + 1
    else:
        depth = _depth(document)
    if depth > MAX_SCHEMA_DEPTH:
        raise CannotRun(
            f"{where}: the schema nests objects and lists more than {MAX_SCHEMA_DEPTH} levels deep; "
            "no rule on a memo needs that many: flatten it, or move parts into $defs"
        )
    if not isinstance(document, dict):
        raise CannotRun(f"{where}: the schema must be a JSON object")
    return document


def _depth(document: Any) -> int:
    """How deeply objects and lists nest in ``document``, counted without recursion (a deep one would overflow the stack)."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            if depth <= MAX_SCHEMA_DEPTH:
                pending.extend((child, depth + 1) for child in children)
    return deepest


def _check_schema(document: dict[str, Any], where: str) -> None:
    from jsonschema import Draft202012Validator, SchemaError

    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as exc:
        path = "/".join(str(p) for p in exc.absolute_path)
        raise CannotRun(f"{where}: the schema is not a valid JSON Schema at '{path}': {exc.message}") from exc


def _check_refs(document: dict[str, Any], where: str) -> None:
    """Every ``$ref`` must resolve within the file (or to a JSON Schema meta-schema): schemas are never fetched."""
    from jsonschema_specifications import REGISTRY
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    root = DRAFT202012.create_resource(document)
    pending = [(root, REGISTRY.resolver_with_root(root))]
    while pending:
        resource, resolver = pending.pop()
        contents = resource.contents
        for key in ("$ref", "$dynamicRef"):
            ref = contents.get(key) if isinstance(contents, dict) else None
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except Unresolvable as exc:
                    raise CannotRun(_unresolvable(where, ref)) from exc
        pending.extend((sub, resolver.in_subresource(sub)) for sub in resource.subresources())


def _unresolvable(where: str, ref: str) -> str:
    return (
        f'{where}: cannot resolve "$ref": "{ref}"; refer only to definitions in this file, '
        'such as "#/$defs/name" (schemas are never fetched over the network)'
    )


def parse_date(value: object) -> datetime.date | None:
    """``value`` as a date when it is a real calendar date written YYYY-MM-DD; None otherwise."""
    return _parse_date_text(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=8192)
def _parse_date_text(value: str) -> datetime.date | None:
    """Cached: a log of 10,000 memos names a few hundred distinct days, each several times a memo."""
    if not _DATE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def is_date(value: object) -> bool:
    """The schema's ``date`` format: true for a real YYYY-MM-DD date (so 2026-02-30 is not one) and for non-strings."""
    return not isinstance(value, str) or parse_date(value) is not None


class Checker:
    """Checks memos against the schemas: a compiled fast path for the packaged schema, jsonschema for the rest.

    The compiled validator (fastjsonschema) knows draft-07 only; it agrees with jsonschema on the
    packaged schema (a test holds it to that), but would pass a memo that breaks a draft 2020-12
    keyword it does not know (``dependentRequired``, ``unevaluatedProperties`` …). So a repository's
    own schema is always checked by jsonschema.
    """

    def __init__(self, schemas: tuple[Schema, ...]) -> None:
        self._schemas = schemas
        self._fast: Callable[[Any], Any] | None = None
        self._full: dict[int, Any] = {}

    def prepare(self) -> None:
        """Compile the fast path now rather than on the first memo (decide check does it while git works)."""
        for schema in self._schemas:
            if schema.source == PACKAGED:
                self._passes_fast(schema, {})

    def check(self, memo: Memo) -> list[Problem]:
        """Every schema problem in ``memo``, each with its line."""
        data = dict(memo.data)
        found = [
            problem
            for index, schema in enumerate(self._schemas)
            if not (schema.source == PACKAGED and self._passes_fast(schema, data))
            for error in self._errors(index, data)
            for problem in _explain(memo, error, schema.source)
        ]
        return list(dict.fromkeys(found))  # jsonschema reports each missing field of one "required" once per field

    def _passes_fast(self, schema: Schema, data: dict[str, Any]) -> bool:
        import fastjsonschema

        if self._fast is None:
            self._fast = fastjsonschema.compile(schema.document, formats={"date": is_date})
        try:
            self._fast(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def _errors(self, index: int, data: dict[str, Any]) -> list[ValidationError]:
        from referencing.exceptions import PointerToNowhere, Unresolvable

        try:
            return list(self._validator(index).iter_errors(data))
        except Unresolvable as exc:  # a $ref load_schemas cannot see: inside a part a $ref points to
            cause = exc.__cause__ if isinstance(exc.__cause__, Unresolvable) else exc
            ref = f"#{cause.ref}" if isinstance(cause, PointerToNowhere) else cause.ref
            raise CannotRun(_unresolvable(self._schemas[index].source, ref)) from exc

    def _validator(self, index: int) -> Any:
        if index not in self._full:
            from jsonschema import FormatChecker
            from referencing import Registry  # no retrieval: a $ref outside the file is never fetched

            checker = FormatChecker()
            checker.checks("date")(is_date)
            self._full[index] = validator_class()(
                self._schemas[index].document, format_checker=checker, registry=Registry()
            )
        return self._full[index]


def _explain(memo: Memo, error: ValidationError, source: str) -> Iterator[Problem]:
    """Every problem one jsonschema error stands for (one per unknown field, one per missing field)."""
    where = tuple(error.absolute_path)
    rule = f" (rule from {source})" if source != PACKAGED else ""
    for at, message in list(_messages(error, where)) or [(where, error.message)]:
        yield Problem(memo.path, memo.line_of(at), label(at), message + rule)


def _messages(error: ValidationError, where: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    kind, value, instance = error.validator, cast(Any, error.validator_value), cast(Any, error.instance)
    once = " (required once decided)" if "then" in error.schema_path else ""
    if kind == "required":
        for missing in (name for name in value if name not in instance):
            yield (*where, missing), f"missing{once}; {_MISSING.get(missing, f'add {missing!r}')}"
    elif kind == "dependentRequired":
        for field, missing in (
            (f, d) for f, needs in value.items() if f in instance for d in needs if d not in instance
        ):
            yield (*where, missing), f"missing (required with {field}); {_MISSING.get(missing, f'add {missing!r}')}"
    elif kind == "additionalProperties":
        yield from _unknown_fields(cast(dict[str, Any], error.schema), instance, where)
    elif kind == "anyOf" and where[:1] == ("inputs",) and isinstance(instance, dict):
        # An input written as fields: a misspelt key gets a hint, as a misspelt top-level field does.
        inner = [e for e in error.context or () if e.validator == "additionalProperties"]
        yield from [m for e in inner for m in _messages(e, where)] or [(where, _INPUT)]
    else:
        message = _value_message(str(kind), value, instance, where)
        if message:
            yield where, message.replace("{once}", once)


def _unknown_fields(
    schema: dict[str, Any], instance: dict[str, Any], where: FieldPath
) -> Iterator[tuple[FieldPath, str]]:
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    for key in instance:
        if key in known or any(regex_search(pattern, key) for pattern in patterns):
            continue
        fallback = '; own fields must start with "x-"' if "^x-" in patterns else f"; allowed here: {', '.join(known)}"
        yield (*where, key), f"unknown field{did_you_mean(key, known) or fallback}"


def _value_message(kind: str, value: Any, instance: Any, where: FieldPath) -> str | None:
    """The message for a wrong value, or None to fall back to jsonschema's own."""
    top = where[0] if where else ""
    if kind == "type" and top == "dri" and len(where) == 1:
        return f"must be one person, not {_describe(instance)}; name the DRI and put the others under inputs"
    if kind == "pattern" and top not in ("id", "supersedes", "amends"):
        return None
    if kind == "anyOf" and top != "inputs":
        return None
    if kind in ("minLength", "minItems") and value > 1:
        return f"is too short (at least {value} characters)"
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be {_TYPES.get(value, value)}, not {_describe(instance)}{_list_hint(value, instance)}",
        "enum": lambda: _enum_message(instance, value),
        "format": lambda: _format_message(instance, value),
        "pattern": lambda: (
            f'"{instance}" is not a decide ID (D- and six of 0-9, A-Z without I, L, O, U){_ELSEWHERE if top == "supersedes" else ""}'
        ),
        "minLength": lambda: "is empty; fill it in",
        "minItems": lambda: "is empty{once}; add at least one entry",
        "maxLength": lambda: f"is too long (at most {value} characters)",
        "uniqueItems": lambda: "lists the same entry twice; keep one",
        "anyOf": lambda: _INPUT,
    }
    make = messages.get(kind)
    return make() if make else None


_ELSEWHERE = "; a memo in another repository is named with its repository, e.g. payments:D-7KQ2MX"


def _format_message(instance: object, kind: str) -> str:
    if kind == "date":
        return f'"{instance}" is not a real date; {date_advice(str(instance))}'
    return f'"{instance}" is not a valid {kind}'


def _enum_message(instance: object, allowed: list[Any]) -> str:
    choices = ", ".join(str(a) for a in allowed)
    if instance == "superseded":
        return f"superseded is derived, never written: leave this memo as it is and list its ID under supersedes in the new memo (allowed: {choices})"
    return f"{_describe(instance)} is not one of: {choices}"


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'the text "{value}"'
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if value is None:
        return "an empty value"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return repr(value)


def _list_hint(expected: object, instance: object) -> str:
    if expected == "array" and isinstance(instance, str):
        return f'; write "[{instance}]" or one "- {instance}" line per item'
    if expected == "string" and isinstance(instance, list):
        return "; write one value (a list is not allowed here)"
    return ""


def bundled_schema_path() -> Path:
    """Filesystem path of the packaged schema (for editors and docs)."""
    return Path(str(resources.files("decide").joinpath("data/decision.schema.json")))
