"""A simulated Arize, for the bulk engine on a loop whose time is virtual
(looptime): fixed windows per endpoint, answered with or without
Retry-After, latency per request. A minute-long run takes milliseconds and
comes out the same on any machine, however loaded."""

from __future__ import annotations

import asyncio
import base64
import json
import math
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import unquote

import httpx
import looptime

from arize_orgs import AccountRole, Membership, Role, User, _wire
from arize_orgs._body import Answer
from arize_orgs._wire import (
    ADD_SPACE_USER,
    ADD_USER,
    INVITE_USER,
    LIST_ROLES,
    LIST_SPACES,
    LIST_USERS,
    REMOVE_SPACE_USER,
    REMOVE_USER,
)
from arize_orgs.bulk import BulkOptions, BulkRun
from arize_orgs.bulk.engine import source_of
from arize_orgs.errors import BadRequestError, RateLimitError
from arize_orgs.operations import Context
from arize_orgs.records import RoleDefinition, Space, SpaceMembership

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
        self.space_written: Counter[tuple[str, str]] = Counter()
        # Every write carried out, in order: (endpoint, org or space id, user id).
        self.order: list[tuple[str, str, str]] = []
        self.spaces: list[Space] = []
        self.roles: list[RoleDefinition] = []
        # Users whose organization add is refused (400), as an annotator
        # account given another role would be.
        self.refused: set[str] = set()
        self.context = Context()

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def _answer(self, endpoint: str, answer: Callable[[], Any], status: int = 200) -> Answer:
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
        body = b"" if value is None else json.dumps(value).encode()
        return Answer("GET", status, "OK", httpx.Headers(), body)

    async def send(self, call: _wire.Call) -> Answer:
        """One request, answered as Arize would: at the wire, so that the
        engine drives the same flows as against a server."""
        request = call.request
        body = request.get("json") or {}
        params = request.get("params") or {}
        path = request["url"].split("/")
        if call.endpoint == ADD_USER:
            org_id, user = unquote(path[3]), body["user_id"]
            role = (
                Role.predefined(body["role"]["name"])
                if body["role"]["type"] == "PREDEFINED"
                else Role.custom_id(body["role"]["id"])
            )

            def write() -> Any:
                if user in self.refused:
                    raise BadRequestError(400, title="Bad Request", detail="refused by the test")
                self.written[user] += 1
                self.order.append((ADD_USER, org_id, user))
                return _wire.membership_json(Membership("bWVtYmVyOjE=", user, org_id, role))

            return await self._answer(call.endpoint, write)
        if call.endpoint == ADD_SPACE_USER:
            space_id, user = unquote(path[3]), body["user_id"]
            role = (
                Role.predefined(body["role"]["name"])
                if body["role"]["type"] == "PREDEFINED"
                else Role.custom_id(body["role"]["id"])
            )

            def space_write() -> Any:
                self.space_written[(space_id, user)] += 1
                self.order.append((ADD_SPACE_USER, space_id, user))
                membership = SpaceMembership("c3BhY2VtOjE=", user, space_id, role)
                return _wire.space_membership_json(membership)

            return await self._answer(call.endpoint, space_write)
        if call.endpoint == LIST_USERS:
            email, cursor, limit = params.get("email"), params.get("cursor"), params["limit"]

            def page() -> Any:
                found = [u for u in self.users if email is None or email.lower() in u.email]
                start = int(cursor or 0)
                more = start + limit < len(found)
                items = [_wire.user_json(u) for u in found[start : start + limit]]
                return _wire.page_json("users", items, str(start + limit) if more else None)

            return await self._answer(call.endpoint, page)
        if call.endpoint == LIST_SPACES:

            def spaces() -> Any:
                items = [_wire.space_json(sp) for sp in self.spaces]
                return _wire.page_json("spaces", items, None)

            return await self._answer(call.endpoint, spaces)
        if call.endpoint == LIST_ROLES:

            def roles() -> Any:
                items = [_wire.role_definition_json(r) for r in self.roles]
                return _wire.page_json("roles", items, None)

            return await self._answer(call.endpoint, roles)
        if call.endpoint in (REMOVE_USER, REMOVE_SPACE_USER):
            user = unquote(path[-1])

            def remove() -> Any:
                self.removed[user] += 1
                self.order.append((call.endpoint, unquote(path[3]), user))
                return None

            return await self._answer(call.endpoint, remove, status=204)
        if call.endpoint == INVITE_USER:

            def invite() -> Any:
                email = body["email"]
                self.invited[email] += 1
                account = AccountRole.predefined(body["role"]["name"])
                user = User(uid(len(self.users)), email, account, body.get("name"))
                self.users.append(user)
                return _wire.user_json(user)

            return await self._answer(call.endpoint, invite, status=201)
        raise AssertionError(f"the simulation does not answer {call.endpoint}")

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
