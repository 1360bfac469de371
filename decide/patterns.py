"""Patterns of a repository's own schema, run with RE2: a crafted value takes as little time as any other."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from decide.errors import CannotRun


def check_patterns(document: dict[str, Any], where: str) -> None:
    """Every ``pattern`` and ``patternProperties`` key must be an RE2 expression; CannotRun names the first that is not.

    ``unevaluatedProperties`` next to ``patternProperties`` is refused: jsonschema would match those
    patterns with Python's backtracking engine, which a crafted field name can keep busy for ever.
    """
    pending: list[tuple[Any, str]] = [(document, "")]
    while pending:
        value, at = pending.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        pending.extend((child, f"{at}/{key}") for key, child in items)
        if not isinstance(value, dict):
            continue
        keyed = value.get("patternProperties")
        for pattern in keyed if isinstance(keyed, dict) else ():
            _compile_or_refuse(pattern, where, f"{at}/patternProperties")
        if isinstance(value.get("pattern"), str):
            _compile_or_refuse(value["pattern"], where, f"{at}/pattern")
        if isinstance(keyed, dict) and '"unevaluatedProperties"' in json.dumps(document):
            raise CannotRun(
                f"{where}: patternProperties (at '{at or '/'}') cannot be combined with unevaluatedProperties: "
                "decide would have to run the patterns with a backtracking engine; use additionalProperties instead"
            )


def _compile_or_refuse(pattern: str, where: str, at: str) -> None:
    import re2

    try:
        _regex(pattern)
    except re2.error as exc:
        why = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise CannotRun(
            f"{where}: the pattern {json.dumps(pattern)} at '{at}' cannot be used ({why}): decide runs "
            "patterns with RE2, which takes the same short time on any value but has no look-arounds or "
            "back-references; rewrite it without them"
        ) from exc


@functools.lru_cache(maxsize=1024)
def _regex(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # a refused pattern is reported once, in decide's words
    return re2.compile(pattern, options)


def regex_search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (an RE2 expression, as every schema pattern is) matches somewhere in ``text``; linear time."""
    return _regex(pattern).search(text) is not None


@functools.cache
def validator_class() -> Any:
    """Draft 2020-12 with ``pattern``, ``patternProperties`` and ``additionalProperties`` matched by RE2, not ``re``.

    Python's ``re`` backtracks: ``^(a+)+$`` against thirty "a"s and a "!" takes minutes. RE2 runs in
    time linear in the text whatever the pattern (google-re2, the binding of Google's library).
    """
    from jsonschema import Draft202012Validator, ValidationError, validators

    extra = Draft202012Validator.VALIDATORS["additionalProperties"]

    def pattern(validator: Any, wanted: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not regex_search(wanted, instance):
            yield ValidationError(f"{instance!r} does not match {wanted!r}")

    def pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "object"):
            for wanted, subschema in patterns.items():
                for key, value in instance.items():
                    if regex_search(wanted, key):
                        yield from validator.descend(value, subschema, path=key, schema_path=wanted)

    def additional_properties(validator: Any, allowed: Any, instance: Any, schema: Any) -> Any:
        # jsonschema's own keyword, told which fields the patterns match instead of matching them itself.
        patterns = schema.get("patternProperties")
        if patterns and validator.is_type(instance, "object"):
            matched = {key: True for key in instance if any(regex_search(p, key) for p in patterns)}
            rest = {k: v for k, v in schema.items() if k != "patternProperties"}
            schema = {**rest, "properties": {**schema.get("properties", {}), **matched}}
        return extra(validator, allowed, instance, schema)

    keywords = {
        "pattern": pattern,
        "patternProperties": pattern_properties,
        "additionalProperties": additional_properties,
    }
    return validators.extend(Draft202012Validator, keywords)  # type: ignore[no-untyped-call]
