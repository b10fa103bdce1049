"""Text from outside (a server's answer, a cell of an input file) made safe to
show: one line, of readable length, with nothing a terminal would act on.

Every message, report field and printed line that carries outside text goes
through `printable`: control characters (escape sequences that clear the
screen, set the window title, write the clipboard or forge a line) and
invisible direction overrides are shown escaped, never passed through.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["printable", "shorten"]

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that
# reorder what a terminal shows (U+202A-U+202E, U+2066-U+2069).
_UNSAFE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_SHOWN: Final = 300  # characters of outside text in one message


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    return named or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def printable(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` on one line, at most about `limit` characters, every control
    character shown as an escape (`\\x1b`, `\\n`)."""
    return _UNSAFE.sub(_escape, shorten(text, limit))
