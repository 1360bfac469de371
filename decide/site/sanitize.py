"""The allowlist a memo body's HTML passes through before it reaches a reader: nh3 (the Rust ammonia sanitizer) applies it.

Only the elements and attributes that the site's Markdown produces are kept (its extensions: tables,
admonitions, code highlighting, footnotes, task lists, tabs, details, attribute lists), and only
links and images to http(s), mailto, tel and the other schemes ammonia deems safe, or relative ones.
So there is no script, no event handler, no ``javascript:``/``vbscript:``/``data:`` URL, no
``style`` element or attribute, no raw-text element (``<noscript>``, ``<textarea>``, ``<title>`` …,
whose content a browser reads differently from a sanitizer), no comment, no SVG or MathML, and no
class or id the site's own layout and scripts rely on.

nh3 parses with the HTML5 algorithm, as browsers do, so what it keeps is what a browser will see.
To tell authors what was removed, a second nh3 pass with the same parser watches every element and
attribute and judges each with the same tables (``drops``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

# Elements the site's Markdown (and its usual extensions) writes, and the harmless inline ones authors type.
ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del"),
        *("details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s"),
        *("samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "time", "tr", "u", "ul", "var", "wbr"),
    }
)
# Removed with everything in them: raw-text elements (a browser and a sanitizer may disagree on where they
# end), embedded documents and plugins, and SVG and MathML (whose own elements can carry script).
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "textarea", "title", "xmp", "noembed", "noframes", "noscript", "iframe"),
        *("template", "plaintext", "object", "embed", "applet", "frame", "frameset", "svg", "math"),
    }
)
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name"}),  # name: pymdownx.highlight's line anchors
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed"}),
    "li": frozenset({"value"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "input": frozenset({"checked", "disabled", "name"}),  # task lists and tabs; the type is limited below
    "label": frozenset({"for"}),
    "time": frozenset({"datetime"}),
    "div": frozenset({"data-tabs"}),  # pymdownx.tabbed's alternate style
}
INPUT_TYPES = frozenset({"checkbox", "radio"})
URL_ATTRIBUTES = frozenset({("a", "href"), ("img", "src")})
# ammonia's own list of schemes that cannot run anything; a relative URL is kept as it is.
SAFE_SCHEMES = frozenset(
    {
        *("bitcoin", "ftp", "ftps", "geo", "http", "https", "im", "irc", "ircs", "magnet", "mailto", "mms"),
        *("mx", "news", "nntp", "openpgp4fpr", "sip", "sms", "smsto", "ssh", "tel", "url", "webcal", "wtai"),
        "xmpp",
    }
)
# Schemes the watching pass lets through so that their removal can be reported (any other is removed unsaid).
_REPORTED_SCHEMES = frozenset(
    {"javascript", "vbscript", "data", "file", "blob", "filesystem", "about", "chrome", "view-source", "jar"}
)
# Material's classes and ids (md-…, __config, __drawer …) and decide's (decide-…): a body that could set
# them could cover the banner with the theme's fixed header or feed the theme's script its own settings.
RESERVED_CLASS_PREFIXES = ("md-", "decide-")
_IDS_OF_EXTENSIONS = ("__tabbed_", "__codelineno-", "__span-")
_SEEN = "data-decide-seen"
_URL_NOISE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Every element name of HTML, so that the watching pass sees elements without attributes too.
_HTML_ELEMENTS = frozenset(
    {
        *("address", "area", "article", "aside", "audio", "base", "basefont", "bdi", "bdo", "bgsound", "big"),
        *("blink", "body", "button", "canvas", "center", "data", "datalist", "dialog", "dir", "fieldset"),
        *("font", "footer", "form", "head", "header", "hgroup", "html", "image", "isindex", "keygen", "legend"),
        *("link", "listing", "main", "map", "marquee", "menu", "meta", "meter", "nav", "nobr", "optgroup"),
        *("option", "output", "param", "picture", "portal", "progress", "rb", "rp", "rt", "rtc", "ruby"),
        *("search", "section", "select", "slot", "source", "spacer", "strike", "track", "tt", "video"),
    }
)


@dataclass(frozen=True)
class Drop:
    """One thing the sanitizer removed: in words, how to fix it, and what to look for in the memo to find its line."""

    words: str
    fix: str
    clues: tuple[str, ...]


@dataclass(frozen=True)
class Sanitized:
    """A body's HTML as readers get it, and what was removed to make it so."""

    html: str
    drops: tuple[Drop, ...]


def sanitize(html: str, *, report: bool = True) -> Sanitized:
    """``html`` with everything outside the allowlist removed; with ``report``, what was removed too."""
    clean = _cleaner().clean(html)
    return Sanitized(clean, tuple(find_drops(html)) if report else ())


def find_drops(html: str) -> list[Drop]:
    """What :func:`sanitize` removes from ``html``, in document order, each once (an unseen unknown tag keeps its text)."""
    watcher, seen = _watcher()
    seen.clear()
    watcher.clean(html)
    drops = (_judge(tag, attribute, value) for tag, attribute, value in seen)
    return list(dict.fromkeys(drop for drop in drops if drop))


def _judge(tag: str, attribute: str, value: str) -> Drop | None:
    """The drop the allowlist makes of one attribute (or, for ``_SEEN``, one element), or None when it is kept."""
    if tag not in ALLOWED_TAGS:
        if tag in DROPPED_WITH_CONTENT:
            return Drop(f"the <{tag}> element and everything in it", _SHOW, (f"<{tag}",))
        return Drop(f"the <{tag}> tag (its text is kept)", _SHOW, (f"<{tag}",))
    if attribute == _SEEN:
        return None
    typed = tag == "input" and attribute == "type" and value in INPUT_TYPES
    if attribute not in GENERIC_ATTRIBUTES and attribute not in ATTRIBUTES.get(tag, ()) and not typed:
        return Drop(f"the {attribute} attribute of <{tag}>", _SHOW, (attribute, value))
    scheme = url_scheme(value) if (tag, attribute) in URL_ATTRIBUTES else ""
    if scheme and scheme not in SAFE_SCHEMES:
        tail = value.partition(":")[2].strip()
        return Drop(f"the {scheme}: URL in the {attribute} of <{tag}>", _SHOW, (value, tail, f"{scheme}:"))
    return _reserved(tag, attribute, value)


_SHOW = "remove it, or put it in a code block to show it as text"
_RENAME = "it is reserved for the site's own layout and scripts: use another name"


def _reserved(tag: str, attribute: str, value: str) -> Drop | None:
    if attribute == "class":
        taken = [token for token in value.split() if token.startswith(RESERVED_CLASS_PREFIXES)]
        return Drop(f'the class "{taken[0]}" of <{tag}>', _RENAME, (taken[0],)) if taken else None
    if attribute in ("id", "name", "for") and reserved_id(value):
        return Drop(f'the {attribute} "{value}" of <{tag}>', _RENAME, (value,))
    return None


def url_scheme(value: str) -> str:
    """The scheme a browser reads in the URL ``value`` (lower case), '' for a relative URL.

    As the URL standard says: spaces and control characters around it are ignored, tabs and line
    breaks anywhere in it.
    """
    found = _SCHEME.match(_URL_NOISE.sub("", value.strip("".join(map(chr, range(33))))))
    return found.group(1).lower() if found else ""


def reserved_id(value: str) -> bool:
    """Whether ``value`` is an id the theme uses (``__config``, ``__drawer`` …) rather than one an extension writes."""
    return value.startswith("__") and not value.startswith(_IDS_OF_EXTENSIONS)


def _keep_value(tag: str, attribute: str, value: str) -> str | None:
    """The allowed attribute's value as kept: reserved classes taken out, a reserved id dropped."""
    if attribute == "class" and any(token.startswith(RESERVED_CLASS_PREFIXES) for token in value.split()):
        kept = " ".join(token for token in value.split() if not token.startswith(RESERVED_CLASS_PREFIXES))
        return kept or None
    if attribute in ("id", "name", "for") and reserved_id(value):
        return None
    return value


@cache
def _cleaner() -> Any:
    import nh3

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
        tag_attribute_values={"input": {"type": set(INPUT_TYPES)}},
        attribute_filter=_keep_value,
        url_schemes=set(SAFE_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


@cache
def _watcher() -> tuple[Any, list[tuple[str, str, str]]]:
    """An nh3 pass that keeps every attribute and marks every known element, and the list where it notes each it sees."""
    import nh3

    seen: list[tuple[str, str, str]] = []

    def record(tag: str, attribute: str, value: str) -> None:
        seen.append((tag, attribute, value))

    known = ALLOWED_TAGS | DROPPED_WITH_CONTENT | _HTML_ELEMENTS
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),  # still seen themselves, but not what they hold
        generic_attribute_prefixes={""},
        set_tag_attribute_values={tag: {_SEEN: ""} for tag in known},
        attribute_filter=record,
        url_schemes=set(SAFE_SCHEMES | _REPORTED_SCHEMES),
        strip_comments=True,
        link_rel=None,
    ), seen


# Reading sanitized HTML back is safe with patterns: nh3 writes every attribute as name="value", with '"' and
# '&' escaped, and escapes '<' and '>' in text.
_TAG_OF = r"<({names})((?:\s[^\s=>]+=\"[^\"]*\")*)\s*/?>"
_LINK_TAG = re.compile(_TAG_OF.format(names="a|img"))
_URL_VALUE = re.compile(r"(\s(?:href|src)=\")([^\"]*)(\")")
_HEADING = re.compile(r"<h([1-6])((?:\s[^\s=>]+=\"[^\"]*\")*)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r"\sid=\"([^\"]*)\"")
_HEADERLINK = re.compile(r"<a\s[^>]*?class=\"headerlink\"(?:\s[^\s=>]+=\"[^\"]*\")*>.*?</a>", re.DOTALL)
_ANY_TAG = re.compile(r"<[^>\"]*(?:\"[^\"]*\"[^>\"]*)*>")


def rewrite_urls(html: str, rewrite: Any) -> str:
    """Sanitized ``html`` with the URL of every link and image replaced by ``rewrite(url)`` (text in, text out)."""
    import html as entities

    def attribute(found: re.Match[str]) -> str:
        url = rewrite(entities.unescape(found.group(2)))
        return found.group(1) + entities.escape(url, quote=True) + found.group(3)

    return _LINK_TAG.sub(lambda tag: _URL_VALUE.sub(attribute, tag.group(0)), html)


def element_ids(html: str) -> set[str]:
    """Every id in sanitized ``html`` (the anchors a link may point to)."""
    import html as entities

    return {entities.unescape(found) for found in _ID.findall(html)}


@dataclass(frozen=True)
class Heading:
    """A heading of sanitized HTML: its level, its id, and its text as HTML (escaped, without tags or permalink)."""

    level: int
    id: str
    text: str


def headings(html: str) -> list[Heading]:
    """The headings of sanitized ``html`` that have an id, in order (a table of contents)."""
    import html as entities

    found = []
    for level, attributes, inner in _HEADING.findall(html):
        ident = _ID.search(attributes)
        if ident:
            text = _ANY_TAG.sub("", _HEADERLINK.sub("", inner)).strip()
            found.append(Heading(int(level), entities.unescape(ident.group(1)), text))
    return found
