"""Text from outside (a server's answer, a cell of an input file) made safe to
show: one line, of readable length, with nothing a terminal would act on.

Every message, report field and printed line that carries outside text goes
through `printable`: control characters (escape sequences that clear the
screen, set the window title, write the clipboard or forge a line) and
invisible direction overrides are shown escaped, never passed through.

`readable` finds the words in a body that is not a problem document (an HTML
error page from a proxy, say). It runs in time linear in the text it looks
at, and looks at no more than MAX_SCAN characters: a page crafted to make a
regular expression backtrack costs nothing more than any other.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_SCAN", "MAX_SHOWN", "printable", "readable", "shorten"]

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that
# reorder what a terminal shows (U+202A-U+202E, U+2066-U+2069).
# Controls, bidi overrides and isolates, and the invisible ones (zero-width
# spaces and joiners, word joiner, BOM, line and paragraph separators) that
# make one text look like another on a terminal.
_UNSAFE: Final = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
MAX_SHOWN: Final = 300  # characters of outside text in one message
MAX_SCAN: Final = 64 * 1024  # characters of a body that `readable` looks at
# Lower case for ASCII letters only: keeps every index where it was, which
# str.lower() does not ('İ' becomes two characters).
_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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


def _html_title(text: str, lower: str) -> str | None:
    """What the first <title> element holds, found with three str.find
    calls (each linear), or None."""
    start = lower.find("<title")
    if start < 0:
        return None
    opened = lower.find(">", start)
    if opened < 0:
        return None
    closed = lower.find("</title", opened)
    return text[opened + 1 : closed] if closed >= 0 else None


def _without_tags(text: str) -> str:
    """`text` with every `<...>` replaced by a space; one pass, each
    character looked at a bounded number of times."""
    parts: list[str] = []
    at = 0
    while (lt := text.find("<", at)) >= 0:
        parts.append(text[at:lt])
        gt = text.find(">", lt)
        if gt < 0:  # an unclosed tag: the rest is markup, not words
            at = len(text)
            break
        parts.append(" ")
        at = gt + 1
    parts.append(text[at:])
    return "".join(parts)


def readable(text: str, limit: int = 200) -> str:
    """A one-line summary of a body that is not a problem document: an HTML
    page's title, or its text without tags, or the text itself; printable."""
    head = text[:MAX_SCAN]
    if "<" in head:
        title = _html_title(head, head.translate(_ASCII_LOWER))
        head = _without_tags(title if title is not None else head)
    return printable(" ".join(head.split()), limit)
