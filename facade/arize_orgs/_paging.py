"""The guard on cursor paging (GET /v2/users), shared by `find_user` and the
bulk look-ups.

A server that answers `has_more: true` with a cursor it already gave, or
with a fresh cursor for ever, would keep a look-up paging without end (one
such server drew 17,000 requests in 10 s). The guard ends the paging with
APIResponseValidationError when a cursor repeats, when a cursor is too long
to send back in a URL, or after MAX_PAGES pages: a million users, far more
than any account has.
"""

from __future__ import annotations

from typing import Final

from ._text import printable
from .errors import APIResponseValidationError

__all__ = ["MAX_CURSOR", "MAX_PAGES", "PageGuard"]

MAX_PAGES: Final = 10_000
# Characters: a cursor goes back in the query string, and URLs longer than a
# few KiB are refused by servers and proxies alike.
MAX_CURSOR: Final = 2048


class PageGuard:
    """Counts the pages of one paging and remembers its cursors."""

    __slots__ = ("_seen", "pages")

    def __init__(self) -> None:
        self.pages = 0
        self._seen: set[str] = set()

    def next(self, cursor: str | None) -> str | None:
        """One more page was answered, naming `cursor` as the next: the
        cursor to ask with, None when the paging is over. Raises
        APIResponseValidationError when the paging would not end."""
        self.pages += 1
        if cursor is None:
            return None
        if len(cursor) > MAX_CURSOR:
            raise _endless(f"a cursor of {len(cursor)} characters (at most {MAX_CURSOR} are sent)")
        if cursor in self._seen:
            raise _endless(f"the cursor {printable(cursor, 40)!r} a second time")
        if self.pages >= MAX_PAGES:
            raise _endless(f"more than {MAX_PAGES} pages (a million users)")
        self._seen.add(cursor)
        return cursor


def _endless(what: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        200,
        f"while paging users the server answered {what}, so the listing would not end "
        "(the server or a proxy misbehaves)",
        method="GET",
    )
