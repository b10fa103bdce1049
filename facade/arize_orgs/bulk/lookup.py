"""Resolving a bulk run's emails to users, the cheaper way.

`GET /v2/users?email=` matches part of an address, without case, and costs
one request per email (more when an email matches over a hundred users).
Listing every user costs one request per hundred users, whatever the number
of emails, and each user comes with the account role the annotator rule
needs. Arize counts both against the same budget (100 requests a minute to
`GET /v2/users`). The number of users is not known in advance, so:

- up to `FEW` emails: one look-up each;
- more: list the users, a hundred a page; if the pages listed reach the
  number of emails still unresolved (the listing would cost more than
  looking the rest up), look the rest up one by one instead.

Either way at most about twice the cheaper of the two is spent. An email is
resolved when exactly one user has it (exactly, ignoring the case of ASCII
letters): none or several make its rows invalid. A server that repeats a
cursor, or pages without end, fails the look-up instead of looping.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Final, Literal, Protocol

import attrs

from .._paging import PageGuard
from .._text import printable
from ..errors import ArizeOrgsError
from ..ids import email_key
from ..records import User, UserPage

__all__ = ["FEW", "Found", "Resolver"]

FEW: Final = 10  # emails looked up one by one; more are resolved by listing users
PAGE: Final = 100


class Lister(Protocol):
    """One page of GET /v2/users, paced and retried by the run."""

    def __call__(self, email: str | None, cursor: str | None) -> Awaitable[UserPage]: ...


@attrs.frozen
class Found:
    """What an email resolved to: a user, or why not. `missing`: no account
    has the email (a run that invites may invite it)."""

    user: User | None = None
    error: str | None = None
    error_class: str | None = None
    outcome: Literal["invalid", "failed"] = "invalid"
    missing: bool = False


def _verdict(email: str, found: list[User]) -> Found:
    # One user met twice (on two pages of a listing that shifted while it
    # was read) is one user.
    users = list({u.id: u for u in found}.values())
    if len(users) == 1:
        return Found(users[0])
    shown = printable(email, 100)
    if not users:
        return Found(
            error=f"no user has the email {shown!r}; check the address (an add row can invite "
            "it: --invite)",
            missing=True,
        )
    ids = ", ".join(printable(u.id, 60) for u in users[:5]) + (", ..." if len(users) > 5 else "")
    return Found(
        error=f"{len(users)} users have the email {shown!r} ({ids}); name the user by id instead"
    )


def _failed(exc: ArizeOrgsError) -> Found:
    return Found(error=str(exc), error_class=type(exc).__name__, outcome="failed")


class Resolver:
    """Resolves emails through `lister`; `on_progress(requests, resolved,
    total)` is told as it goes."""

    def __init__(
        self,
        lister: Lister,
        *,
        concurrency: int,
        on_progress: Callable[[int, int, int], None] | None = None,
    ) -> None:
        self._list = lister
        self._concurrency = concurrency
        self._on_progress = on_progress
        self.requests = 0
        self.method: str | None = None
        self._total = 0
        self._found: dict[str, Found] = {}

    async def resolve(self, emails: list[str]) -> dict[str, Found]:
        """email (as `ids.email_key` has it) -> what it resolved to. Raises
        what the run must stop for (see the engine's `_paced`)."""
        self._total = len(emails)
        if not emails:
            return {}
        if len(emails) <= FEW:
            self.method = "per email"
            await self._one_by_one(emails)
        else:
            self.method = "listing"
            rest = await self._listing(set(emails))
            if rest:
                self.method = "listing, then per email"
                await self._one_by_one(sorted(rest))
        return self._found

    def _settle(self, email: str, found: Found) -> None:
        self._found[email] = found
        self._progress()

    def _progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.requests, len(self._found), self._total)

    async def _page(self, email: str | None, cursor: str | None, guard: PageGuard) -> UserPage:
        """One page; its `next_cursor` checked by `guard` (a repeated cursor
        or endless paging raises APIResponseValidationError)."""
        self.requests += 1
        page = await self._list(email, cursor)
        self._progress()
        guard.next(page.next_cursor)
        return page

    async def _one_by_one(self, emails: list[str]) -> None:
        queue = list(reversed(emails))

        async def worker() -> None:
            while queue:
                email = queue.pop()
                matches: list[User] = []
                cursor: str | None = None
                guard = PageGuard()
                try:
                    while True:
                        page = await self._page(email, cursor, guard)
                        matches += [u for u in page.users if email_key(u.email) == email]
                        if (cursor := page.next_cursor) is None:
                            break
                except ArizeOrgsError as exc:
                    self._settle(email, _failed(exc))
                    continue
                self._settle(email, _verdict(email, matches))

        await asyncio.gather(*(worker() for _ in range(min(self._concurrency, len(emails)))))

    async def _listing(self, wanted: set[str]) -> set[str]:
        """List users until every wanted email's users are known, or until
        listing costs more than looking the rest up; return the rest."""
        matches: dict[str, list[User]] = defaultdict(list)
        cursor: str | None = None
        guard = PageGuard()
        pages = 0
        try:
            while True:
                page = await self._page(None, cursor, guard)
                pages += 1
                for user in page.users:
                    key = email_key(user.email)
                    if key in wanted:
                        matches[key].append(user)
                if (cursor := page.next_cursor) is None:
                    break
                rest = wanted - matches.keys()
                if rest and pages >= len(rest):
                    # Users found so far are settled; the rest are cheaper one by one.
                    for email in wanted - rest:
                        self._settle(email, _verdict(email, matches[email]))
                    return rest
        except ArizeOrgsError as exc:
            for email in wanted:
                self._settle(email, _failed(exc))
            return set()
        for email in wanted:
            self._settle(email, _verdict(email, matches.get(email, [])))
        return set()
