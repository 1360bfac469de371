"""What a memo's body becomes on the site: Markdown rendered with the site's extensions, then the allowlist sanitizer.

``render_body`` is the one way a body is shown (the memo pages, and any other site generator), and
``BodyCheck`` reports, per memo, what it would drop, with the same renderer and the same sanitizer
(``decide.site.sanitize``), so that authors learn at once. Rendering costs about 2 ms a body, so a
cheap scan first passes the bodies in which nothing can be dropped (``might_drop``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decide.errors import CannotRun
from decide.problem import Problem
from decide.site.sanitize import SAFE_SCHEMES, Drop, sanitize

if TYPE_CHECKING:
    from decide.memo import Memo

# MkDocs always adds these to the site's extensions; attr_list is added when there is no
# mkdocs.yml to read because it is the one common extension that lets Markdown set attributes.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
DEFAULT_EXTENSIONS = (*MKDOCS_BUILTINS, "attr_list")
# A body full of HTML is reported by its first findings; locating each costs a scan of the lines.
MAX_FINDINGS = 100


@dataclass(frozen=True)
class MarkdownSetup:
    """The Markdown extensions (and their options) the site renders memo bodies with."""

    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    configs: Mapping[str, Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class RenderedBody:
    """A body as readers see it: sanitized HTML, and, in words, what the sanitizer removed to make it so."""

    html: str
    dropped: tuple[str, ...]


def render_body(body: str, setup: MarkdownSetup, *, links: Mapping[str, str] | None = None) -> RenderedBody:
    """``body`` rendered with the site's Markdown extensions and passed through the allowlist sanitizer.

    ``links`` maps memo IDs to the URLs of their pages: each such ID cited in the text ("see
    D-8Q1K17") becomes a link to it, before the sanitizer sees the result.
    """
    rendered = markdown_html(body, setup)
    if links:
        from decide.site.citations import link_ids

        rendered = link_ids(rendered, links)
    clean = sanitize(rendered, report=might_drop(body, setup))
    return RenderedBody(clean.html, tuple(drop.words for drop in clean.drops))


def markdown_html(body: str, setup: MarkdownSetup) -> str:
    """``body`` as Python-Markdown renders it with ``setup``, mermaid fences as the diagrams the site draws; not sanitized."""
    from decide.site.html import mermaid_fences, put_back, set_aside

    blocks: list[str] = []
    markdown = _markdown(setup)
    markdown.reset()
    return put_back(markdown.convert(set_aside(mermaid_fences(body), blocks)), blocks)


_MARKDOWNS: dict[tuple[tuple[str, ...], str], Any] = {}


def _markdown(setup: MarkdownSetup) -> Any:
    """One Python-Markdown per setup (loading the extensions costs more than rendering a body)."""
    key = (setup.extensions, repr(setup.configs))
    if key not in _MARKDOWNS:
        import markdown

        configs = {name: dict(options) for name, options in (setup.configs or {}).items()}
        if "tables" in setup.extensions:  # align="…" rather than style="text-align: …", which the sanitizer drops
            configs["tables"] = {"use_align_attribute": True, **configs.get("tables", {})}
        try:
            made = markdown.Markdown(extensions=list(setup.extensions), extension_configs=configs)
        except Exception as exc:  # an extension that cannot load would stop the site's build just the same
            raise CannotRun(
                f"mkdocs.yml: the Markdown extensions cannot be loaded to check memo bodies: {exc}"
            ) from exc
        _MARKDOWNS[key] = made
    return _MARKDOWNS[key]


# Extensions whose output, for a body without the characters might_drop looks for, the sanitizer keeps whole
# (tests/site/test_body.py holds them to it); with any other extension every body is rendered and watched.
_PREDICTABLE = frozenset(
    {
        *MKDOCS_BUILTINS,
        *("attr_list", "admonition", "abbr", "def_list", "footnotes", "sane_lists", "smarty", "nl2br", "meta"),
        *("codehilite", "md_in_html", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite"),
        *("pymdownx.details", "pymdownx.tasklist", "pymdownx.mark", "pymdownx.tilde", "pymdownx.caret"),
        *("pymdownx.keys", "pymdownx.tabbed", "pymdownx.betterem", "pymdownx.smartsymbols"),
    }
)
# Options that name classes or ids, or hand rendering to a function: with one of them set, nothing is predictable.
_UNPREDICTABLE_OPTIONS = frozenset(
    {
        *("permalink_class", "anchorlink_class", "toc_class", "title_class", "css_class", "lang_prefix"),
        *("custom_fences", "custom_inline", "slugify", "slugify_title", "id_prefix", "format", "formatter"),
    }
)
# Each "<" in a body: a comment's opening (1), a whole tag without attributes such as "<b>",
# "</sub>" or "<br/>" (2: its name), a "<" that cannot open a tag (3), or anything else (none).
_ANGLE = re.compile(r"<(?:(!--)|/?([A-Za-z][A-Za-z0-9]*)/?>|()(?=[^A-Za-z/!?]|\Z)|)")
# A reference that can spell a letter, a colon or an underscore: numeric, or named with its semicolon
# (the names a browser also reads without one all stand for other characters).
_CHARACTER_REFERENCE = re.compile(r"&(?:#|[A-Za-z][A-Za-z0-9]*;)")
_LINK_TARGET = re.compile(r"\]\(|\]:")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UNDERLINE = re.compile(r"[ >]*(?:=+|-+)[ \t]*")


def might_drop(body: str, setup: MarkdownSetup) -> bool:
    """False when the sanitizer can remove nothing from ``body`` rendered with ``setup``; a few µs.

    With the extensions of ``_PREDICTABLE``, what the allowlist removes needs raw HTML (``<``, but
    not a comment or a bare allowed tag such as ``<b>``), an attribute list or fence attributes
    (``{``), a character reference, a link or image to a scheme it does not allow (after ``](``
    or ``]:``), a reserved class typed as an admonition's kind (``md-``, ``decide-``), a heading
    whose id could start with ``__`` (a heading with ``_``), or a file pasted in (``--8<--``).
    """
    if not _predictable(setup):
        return True
    if any(mark in body for mark in ("{", "--8<--", "md-", "decide-")):
        return True
    if "<" in body and not _plain_tags_only(body):
        return True
    if "&" in body and _CHARACTER_REFERENCE.search(body):
        return True
    return _unsafe_link(body) or ("_" in body and _heading_with_underscore(body))


def _predictable(setup: MarkdownSetup) -> bool:
    options = {name for config in (setup.configs or {}).values() for name in config}
    return set(setup.extensions) <= _PREDICTABLE and not options & _UNPREDICTABLE_OPTIONS


def _plain_tags_only(body: str) -> bool:
    """True when every ``<`` opens a comment, is text (not followed by a letter, ``/``, ``!`` or ``?``),
    or is a whole tag without attributes (``<b>``, ``</sub>``) of an allowed element.

    Markdown cannot give such a tag an attribute: its ``>`` directly follows the name, where no
    Markdown syntax can remove it. Anything else (an attribute, an autolink, a tag split over
    lines, which a blockquote's ``>`` markers may join) is rendered.
    """
    from decide.site.sanitize import ALLOWED_TAGS

    for match in _ANGLE.finditer(body):
        comment, name, text = match.groups()
        if comment is None and text is None and (name is None or name.lower() not in ALLOWED_TAGS):
            return False
    return True


def _unsafe_link(body: str) -> bool:
    """Whether a link or image target (after ``](`` or ``]:``) may start with a scheme the sanitizer removes.

    Backslashes are left out before reading the scheme, since Markdown removes those that escape
    punctuation (``java\\-script:``); line breaks and tabs too, as browsers do.
    """
    for found in _LINK_TARGET.finditer(body):
        target = body[found.end() : found.end() + 80].lstrip(" \t\r\n<")
        scheme = _SCHEME.match(re.sub(r"[\\\t\r\n]", "", target))
        if scheme and scheme.group(0)[:-1].lower() not in SAFE_SCHEMES:
            return True
    return False


def _heading_with_underscore(body: str) -> bool:
    """Whether a line that may be a heading (it holds ``#``, or an ``===``/``---`` line follows it) holds ``_``."""
    lines = body.split("\n")
    for at, line in enumerate(lines):
        underlined = at + 1 < len(lines) and _UNDERLINE.fullmatch(lines[at + 1].rstrip("\r")) is not None
        if "_" in line and ("#" in line or underlined):
            return True
    return False


def locate(lines: Sequence[str], drops: Sequence[Drop]) -> Iterator[tuple[int, Drop]]:
    """Each drop with the index of the source line that best holds it (the first line with text when none does).

    A clue is looked for as written, then with white space left out on both sides (Markdown turns
    tabs into spaces). Drops come in document order, so each search starts at the line of the one before.
    """
    lowered = [line.lower() for line in lines]
    squeezed = ["".join(line.split()) for line in lowered]
    fallback = next((index for index, line in enumerate(squeezed) if line), 0)
    cursor = 0
    for drop in drops:
        clues = [c.lower() for c in drop.clues if c.strip()]
        line = _first_line(lowered, clues, cursor)
        if line is None:
            line = _first_line(squeezed, ["".join(c.split()) for c in clues], cursor)
        cursor = fallback if line is None else line
        yield cursor, drop


def _first_line(lines: Sequence[str], clues: Sequence[str], start: int) -> int | None:
    for clue in clues:
        for index in itertools.chain(range(start, len(lines)), range(start)):
            if clue in lines[index]:
                return index
    return None


@dataclass(frozen=True)
class BodyCheck:
    """Reports what the site would drop from memo bodies; Markdown is loaded for the first body that needs it.

    ``root`` is where ``mkdocs.yml`` is read from; without one (or without the file) the bodies
    are rendered with MkDocs' built-in extensions plus ``attr_list``.
    """

    root: Path | None = None

    @cached_property
    def setup(self) -> MarkdownSetup:
        return read_setup(self.root / "mkdocs.yml") if self.root else MarkdownSetup()

    def problems(self, memo: Memo) -> list[Problem]:
        """Everything the sanitizer would drop from ``memo``'s body, one problem each, on the lines that hold them."""
        if not might_drop(memo.body, self.setup):
            return []
        drops = sanitize(markdown_html(memo.body, self.setup)).drops[:MAX_FINDINGS]
        located = dict.fromkeys(
            (memo.body_line + index, f"{drop.words} would be dropped from the site; {drop.fix}")
            for index, drop in locate(memo.body.splitlines(), drops)
        )
        return [Problem(memo.path, line, "body", message) for line, message in located]


DEFAULT_CHECK = BodyCheck()


def read_setup(config_file: Path) -> MarkdownSetup:
    """The ``markdown_extensions`` of an ``mkdocs.yml`` as MkDocs applies them (its built-ins first); defaults without one."""
    from decide.files import read_config_text

    text = read_config_text(config_file, config_file.name)
    if text is None:
        return MarkdownSetup()
    import yaml

    try:
        data = yaml.load(text, _loader(config_file.parent))
    except yaml.MarkedYAMLError as exc:
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise CannotRun(f"{config_file.name}{line}: cannot be read to check memo bodies: {exc.problem}") from exc
    except (yaml.YAMLError, ImportError, AttributeError) as exc:  # the last two: a !!python/name: naming nothing
        raise CannotRun(f"{config_file.name}: cannot be read to check memo bodies: {exc}") from exc
    except RecursionError as exc:  # PyYAML builds nested values recursively
        raise CannotRun(
            f"{config_file.name}: cannot be read to check memo bodies: it nests lists or mappings thousands deep; "
            "no setting needs more than a few levels"
        ) from exc
    listed = data.get("markdown_extensions") if isinstance(data, dict) else None
    setup = setup_from(listed or [])
    _refuse_repository_extensions(setup, config_file.parent)
    return setup


def refuse_repository_code(name: str, root: Path, what: str) -> None:
    """Refuse to import ``name`` when Python would load it from inside ``root``.

    Checking a memo body must not run code a pull request can add: a module beside
    ``mkdocs.yml`` (or anywhere in the repository) is found without running it and refused,
    whatever ``sys.path`` holds; installed packages load as MkDocs would load them.
    """
    import importlib.util

    top = name.partition(":")[0].split(".")[0]
    try:
        spec = importlib.util.find_spec(top) if top else None
    except (ImportError, ValueError):
        return  # the import itself fails with its own message
    if spec is None:
        return
    places = [spec.origin, *(spec.submodule_search_locations or [])]
    here = root.resolve()
    for place in places:
        if place and place not in ("built-in", "frozen") and Path(place).resolve().is_relative_to(here):
            raise CannotRun(
                f"mkdocs.yml: {what} names code inside the repository ({Path(place).resolve().relative_to(here)}); "
                "decide does not import a repository's own code to check memo bodies: "
                "install the extension as a package, or remove it from mkdocs.yml"
            )


def _refuse_repository_extensions(setup: MarkdownSetup, root: Path) -> None:
    from importlib.metadata import entry_points

    registered = {point.name for point in entry_points(group="markdown.extensions")}
    for name in setup.extensions:
        if name not in registered:
            refuse_repository_code(name, root, f"the Markdown extension {name!r}")


def setup_from(listed: Sequence[Any] | Mapping[str, Any]) -> MarkdownSetup:
    """A ``markdown_extensions`` value (a list of names and one-item mappings, or a mapping) as a setup."""
    items = list(listed.items()) if isinstance(listed, Mapping) else [_item(entry) for entry in listed]
    names = list(MKDOCS_BUILTINS)
    configs: dict[str, Mapping[str, Any]] = {}
    for name, options in items:
        if name not in names:
            names.append(name)
        if isinstance(options, Mapping) and options:
            configs[name] = options
    return MarkdownSetup(tuple(names), configs)


def _item(entry: Any) -> tuple[str, Any]:
    if isinstance(entry, Mapping) and len(entry) == 1:
        return next(iter(entry.items()))
    return str(entry), None


def _loader(root: Path) -> Any:
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """The safe loader with MkDocs' tags: ``!!python/name:`` imports what it names, as MkDocs does; ``!ENV`` and the rest give their value."""

    def python_name(loader: Any, suffix: str, node: Any) -> Any:
        import importlib

        module, _, attribute = suffix.rpartition(".")
        refuse_repository_code(module, root, f"!!python/name:{suffix}")
        return getattr(importlib.import_module(module), attribute)

    def other(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", python_name)
    Loader.add_multi_constructor("!", other)
    return Loader
