"""The "How we decide" pages: the memo format, the schema's fields, and the command-line reference."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from decide.draft import Draft, render_draft
from decide.site.html import esc, front_matter, markdown_text, raw, table

_EXAMPLE = Draft(
    title="Adopt Postgres for billing",
    dri="Ana Ruiz <ana@example.com>",
    date="2026-01-05",
    status="decided",
    decided_on="2026-01-09",
    inputs=("Platform team review", "Finance forecast 2026"),
    escalate_when="hosting cost exceeds $50k a year",
    escalate_to="CTO",
    review_by="2027-01-09",
    tags=("billing", "databases"),
)
_FORMAT = """\
Every decision is one Markdown file in `decisions/`, named after its ID and title. The
front-matter between the `---` lines holds the facts readers look for: who decides (the one
**DRI**), what was consulted (**inputs**), when the call goes up and to whom (**escalation**),
and when it is looked at again (**review_by**). The body says why: the context, the options
considered, the decision with the authority it grants, and the consequences.

A memo is never edited to say it no longer holds: a newer memo lists it under `supersedes`,
and the site shows the old one as superseded, with a banner pointing to its replacement.
`decide new TITLE` writes a fresh memo with a unique ID; `decide validate` checks all of them."""


def render_how_we_decide(schemas: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    """The memo format with an example, every field of the schema, and the schema itself."""
    parts = [
        front_matter(title="How we decide"),
        "# How we decide",
        "## The memo format",
        _FORMAT,
        _fence(render_draft(_EXAMPLE, "D-7KQ2MX"), "markdown"),
    ]
    for source, document in schemas:
        parts += _schema_section(source, document)
    return "\n\n".join(parts) + "\n"


def _schema_section(source: str, document: Mapping[str, Any]) -> list[str]:
    # ``source`` is a path from decide.toml: a heading holds it as text that no Markdown syntax in it can turn into a link.
    title = "The fields" if source == "decide" else f"Fields added by {markdown_text(source)}"
    properties: Mapping[str, Any] = document.get("properties", {})
    required = set(document.get("required", ()))
    once = _required_once_decided(document)
    rows = []
    for name, spec in properties.items():
        need = "always" if name in required else ("once decided" if name in once else "")
        rows.append([f"<code>{esc(name)}</code>", esc(need), esc(_kind(spec)), esc(spec.get("description", ""))])
    listing = raw(table(["Field", "Required", "Value", "Meaning"], rows))
    extra = "Fields starting with `x-` are yours: the schema accepts them and ignores them."
    return [
        f"## {title}",
        listing,
        extra,
        f"### The schema ({markdown_text(source)})",
        _fence(json.dumps(document, indent=2), "json"),
    ]


def _required_once_decided(document: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for rule in document.get("allOf", ()):
        if isinstance(rule, dict):
            names.update(rule.get("then", {}).get("required", ()))
    return names


def _kind(spec: Mapping[str, Any]) -> str:
    if "enum" in spec:
        return "one of: " + ", ".join(str(v) for v in spec["enum"])
    if str(spec.get("$ref", "")).endswith("/date"):
        return "date (YYYY-MM-DD)"
    kind = spec.get("type", "")
    if kind == "array":
        return "list"
    if kind == "object":
        return "fields: " + ", ".join(spec.get("properties", {}))
    return str(kind or "any")


def render_cli_reference(commands: Sequence[tuple[str, str]]) -> str:
    """One section per command with its ``--help`` text, as the commands print it."""
    parts = [front_matter(title="Command line"), "# Command line"]
    parts.append("Generated from the commands' own `--help` when the site is built.")
    for name, text in commands:
        parts += [f"## {esc(name)}", _fence(text.rstrip("\n") + "\n", "text")]
    return "\n\n".join(parts) + "\n"


def _fence(text: str, language: str) -> str:
    """A fenced code block longer than any run of backticks inside ``text``."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"
