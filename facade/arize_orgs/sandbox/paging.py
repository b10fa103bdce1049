"""Cursor paging, as every listing of the API does it (`limit`, `cursor`,
`{..., pagination: {next_cursor, has_more}}`), and the query values the
listings take.

A cursor names the last item of the page before (base64 of `after:<id>`),
not an offset: the sandbox's collections only grow, and an item added while
a client pages is then neither skipped nor answered twice. Clients treat it
as opaque, as Arize asks; a cursor this server did not give, or one from a
listing with other filters, is answered 400.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Final, Protocol, TypeVar

from .state import Problem

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "flag", "limit_of", "page"]

# The spec's `Limit` parameter: 1 to 100, 50 when absent (the official SDK's
# default too).
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 100
_PREFIX: Final = "after:"


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)


def limit_of(raw: str | None) -> int:
    """`limit`: a whole number from 1 to 100 (the spec's bounds, answered
    422 outside them as the API validates its parameters)."""
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise Problem(422, "Unprocessable Entity", f"limit: {raw!r} is not an integer") from None
    if not 1 <= value <= MAX_LIMIT:
        raise Problem(422, "Unprocessable Entity", f"limit: must be between 1 and {MAX_LIMIT}")
    return value


def flag(raw: str | None, name: str) -> bool | None:
    """A boolean query value (`is_predefined=true`), or None when absent."""
    if raw is None:
        return None
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    raise Problem(
        422, "Unprocessable Entity", f"{name}: {raw[:40]!r} is not a boolean (true or false)"
    )


def page(items: Sequence[T], limit: int, cursor: str | None) -> tuple[list[T], str | None]:
    """The page of `items` that `cursor` starts (the first without one) and
    the cursor of the next page (None on the last)."""
    start = 0 if cursor is None else _after(items, cursor)
    chosen = list(items[start : start + limit])
    if start + limit >= len(items):
        return chosen, None
    return chosen, base64.urlsafe_b64encode((_PREFIX + chosen[-1].id).encode()).decode()


def _after(items: Sequence[_Identified], cursor: str) -> int:
    """Where the page after the item `cursor` names starts."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if text.startswith(_PREFIX):
        last = text.removeprefix(_PREFIX)
        for index, item in enumerate(items):
            if item.id == last:
                return index + 1
    raise Problem(
        400,
        "Bad Request",
        "cursor: not a cursor this server gave for this listing (pass the next_cursor of the "
        "page before, with the same filters)",
    )
