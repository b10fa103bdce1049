"""The guard on cursor paging, shared by every listing: users (`find_user`
and the bulk look-ups), and organizations, spaces and roles (names).

A server that answers `has_more: true` with a cursor it already gave, or
with a fresh cursor for ever, would keep a look-up paging without end (one
such server drew 17,000 requests in 10 s). The guard ends the paging with
APIResponseValidationError when a cursor repeats, when a cursor is too long
to send back in a URL, or after `max_pages` pages: MAX_PAGES for users (a
million, far more than any account has), MAX_NAME_PAGES for the listings
names are resolved in (100,000 organizations, spaces or roles).
"""

from __future__ import annotations

from typing import Final

from ._text import printable
from .errors import APIResponseValidationError

__all__ = ["MAX_CURSOR", "MAX_NAME_PAGES", "MAX_PAGES", "PageGuard"]

MAX_PAGES: Final = 10_000
MAX_NAME_PAGES: Final = 1_000
# Characters: a cursor goes back in the query string, and URLs longer than a
# few KiB are refused by servers and proxies alike.
MAX_CURSOR: Final = 2048


class PageGuard:
    """Counts the pages of one paging and remembers its cursors."""

    __slots__ = ("_seen", "max_pages", "pages", "what")

    def __init__(self, what: str = "users", max_pages: int | None = None) -> None:
        self.pages = 0
        # Read when made, not when defined: tests lower MAX_PAGES.
        self.what, self.max_pages = what, MAX_PAGES if max_pages is None else max_pages
        self._seen: set[str] = set()

    def next(self, cursor: str | None) -> str | None:
        """One more page was answered, naming `cursor` as the next: the
        cursor to ask with, None when the paging is over. Raises
        APIResponseValidationError when the paging would not end."""
        self.pages += 1
        if cursor is None:
            return None
        if len(cursor) > MAX_CURSOR:
            raise self._endless(
                f"a cursor of {len(cursor)} characters (at most {MAX_CURSOR} are sent)"
            )
        if cursor in self._seen:
            raise self._endless(f"the cursor {printable(cursor, 40)!r} a second time")
        if self.pages >= self.max_pages:
            held = " (a million users)" if self.what == "users" else ""  # 100 a page
            raise self._endless(f"more than {self.max_pages} pages{held}")
        self._seen.add(cursor)
        return cursor

    def _endless(self, what: str) -> APIResponseValidationError:
        return APIResponseValidationError(
            200,
            f"while paging {self.what} the server answered {what}, so the listing would not "
            "end (the server or a proxy misbehaves)",
            method="GET",
        )
