"""A finding about a memo: data, printed by the CLI, never raised."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file: ``path:line: field: message``.

    A problem with a whole file that is there (it cannot be read, is not a regular file) points at
    line 1, as do a missing field and a missing front-matter. Line 0 is for a file that is gone
    (a deleted memo in ``decide check``): it prints as ``path: message``.
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """The problem as one line of text: control characters and line breaks in it are shown escaped."""
        where = f"{self.path}:{self.line}" if self.line else self.path  # line 0: a file that is gone
        return one_line(f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def one_line(text: str) -> str:
    """``text`` with control characters and line or paragraph separators escaped (``\\n``, ``\\x1b``, ``\\u2028``).

    A value such as ``"no\\nfoo.md:1: fake: injected"`` must not print as a second problem.
    """
    if text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
