"""A simulated Arize, for the bulk engine on a loop whose time is virtual
(looptime): fixed windows per endpoint, answered with or without
Retry-After, latency per request. A minute-long run takes milliseconds and
comes out the same on any machine, however loaded."""

from __future__ import annotations

import asyncio
import base64
import math
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import looptime

from arize_orgs import AccountRole, Membership, Role, User, UserPage
from arize_orgs.bulk import BulkOptions, BulkRun
from arize_orgs.bulk.engine import ADD_USER, INVITE_USER, LIST_USERS, REMOVE_USER, source_of
from arize_orgs.errors import RateLimitError

T = TypeVar("T")
ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"


def uid(n: int) -> str:
    return base64.b64encode(f"User:{n}".encode()).decode()


class SimulatedArize:
    """A `BulkClient` that behaves like the API under its published limit:
    `allowance` requests per `per` seconds per endpoint, fixed windows
    (starting at `phase` seconds into the first), 429 beyond with
    Retry-After (whole seconds to the window's end) unless
    `retry_after=False`."""

    base_url = "https://api.arize.test"

    def __init__(
        self,
        users: int,
        *,
        allowance: int = 100,
        per: float = 6.0,
        retry_after: bool = True,
        latency: float = 0.05,
        phase: float = 0.0,
    ) -> None:
        self.users = [User(uid(i), f"user{i}@acme.test", AccountRole.MEMBER) for i in range(users)]
        self.allowance, self.per = allowance, per
        self.retry_after, self.latency, self.phase = retry_after, latency, phase
        self._windows: dict[str, tuple[int, int]] = {}
        self.log: list[tuple[float, str, int]] = []
        self.written: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()
        self.invited: Counter[str] = Counter()

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def _answer(self, endpoint: str, answer: Callable[[], T]) -> T:
        await asyncio.sleep(self.latency / 2)
        now = self._now() + self.phase
        window = math.floor(now / self.per)
        seen, count = self._windows.get(endpoint, (window, 0))
        if window > seen:
            seen, count = window, 0
        if count >= self.allowance:
            self.log.append((self._now(), endpoint, 429))
            wait = math.ceil((seen + 1) * self.per - now) if self.retry_after else None
            await asyncio.sleep(self.latency / 2)
            raise RateLimitError(429, title="Too Many Requests", retry_after=wait)
        self._windows[endpoint] = (seen, count + 1)
        self.log.append((self._now(), endpoint, 200))
        value = answer()
        await asyncio.sleep(self.latency / 2)
        return value

    async def add_user(self, org_id: str, user: str, role: Role) -> Membership:
        def write() -> Membership:
            self.written[user] += 1
            return Membership("bWVtYmVyOjE=", user, org_id, role)

        return await self._answer(ADD_USER, write)

    async def list_users(
        self, email: str | None = None, *, cursor: str | None = None, limit: int = 100
    ) -> UserPage:
        def page() -> UserPage:
            found = [u for u in self.users if email is None or email.lower() in u.email]
            start = int(cursor or 0)
            more = start + limit < len(found)
            return UserPage(
                tuple(found[start : start + limit]), str(start + limit) if more else None
            )

        return await self._answer(LIST_USERS, page)

    async def remove_user(self, org_id: str, user: str) -> str:
        def remove() -> str:
            self.removed[user] += 1
            return user

        return await self._answer(REMOVE_USER, remove)

    async def invite_user(
        self,
        email: str,
        *,
        name: str | None = None,
        account_role: AccountRole | str = AccountRole.MEMBER,
        invite_mode: str = "email-link",
    ) -> User:
        def invite() -> User:
            self.invited[email] += 1
            user = User(uid(len(self.users)), email, AccountRole.parse(account_role), name)
            self.users.append(user)
            return user

        return await self._answer(INVITE_USER, invite)

    def requests(self, endpoint: str, status: int | None = None) -> int:
        return sum(1 for _, e, s in self.log if e == endpoint and (status is None or s == status))


def run_virtual(make: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    """Run `make()` on a looptime loop; return its result and the virtual
    seconds it took."""
    loop = looptime.new_event_loop()
    try:

        async def timed() -> tuple[T, float]:
            start = loop.time()
            value = await make()
            return value, loop.time() - start

        return loop.run_until_complete(timed())
    finally:
        loop.close()


def run_rows(
    sim: SimulatedArize,
    rows: list[dict[str, Any]],
    options: BulkOptions | None = None,
    *,
    interrupt: tuple[float, str] | None = None,
) -> tuple[BulkRun, float]:
    """A bulk run of `rows` against `sim` on virtual time: the run, and the
    virtual seconds it took. `interrupt=(5, "abort")` calls `run.abort()`
    (or `stop`) five virtual seconds in. The rows' source is closed after."""
    source = source_of(rows)

    async def go() -> BulkRun:
        run = BulkRun(sim, ORG, source, options or BulkOptions())
        if interrupt is not None:
            at, how = interrupt
            asyncio.get_running_loop().call_later(at, getattr(run, how))
        await run.run()
        return run

    try:
        return run_virtual(go)
    finally:
        source.close()


def rows_of(sim: SimulatedArize, n: int, *, emails_every: int = 3) -> list[dict[str, Any]]:
    """`n` rows naming the first `n` users, every `emails_every`-th by email."""
    return [
        {
            "user": sim.users[i].email if i % emails_every == 0 else sim.users[i].id,
            "role": "member",
        }
        for i in range(n)
    ]
