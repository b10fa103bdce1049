"""The sandbox's HTTP face: a starlette app over a `World`.

Requests are validated against the served spec, parsed with the generated
models, and answered with bodies built by the generated models, spelled the
way the served spec spells them. Test knobs (injected faults, latency, a write
rate limit) and the request log live in `Knobs`.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import logging
import math
import random
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match, Route

from .. import _wire
from ..errors import InvalidInputError
from ..records import InviteMode, Membership, Secret, User
from ..roles import AccountRole, Role
from .spec import ServedSpec, first_error
from .state import Caller, Problem, SandboxUser, World

log = logging.getLogger("arize_orgs.sandbox")

PROBLEM_JSON = "application/problem+json"
# Endpoints as the rate limit counts them: method and path template.
ADD_USER = "POST /v2/organizations/{org_id}/users"
GET_USER = "GET /v2/users/{user_id}"
LIST_USERS = "GET /v2/users"
INVITE_USER = "POST /v2/users"
REMOVE_USER = "DELETE /v2/organizations/{org_id}/users/{user_id}"


FAULT_KINDS = ("status", "html", "reset", "stall", "truncated", "not_membership", "close")


@attrs.frozen
class Fault:
    """One injected failure. Kinds:

    status          a problem answer with `status` (and Retry-After, if given)
    html            `status` with an HTML page for a body, as a proxy answers
    reset           the connection is dropped before any answer
    stall           nothing for `seconds`, then the connection is dropped
    truncated       the request is carried out, then its answer cut short
    not_membership  200 with a JSON body that is not a membership; nothing written
    close           the request is carried out and answered, then the server
                    closes the keep-alive connection
    """

    status: int = 503
    retry_after: float | None = None
    kind: str = "status"
    seconds: float = 5.0


MIN_WINDOW = 0.001  # seconds; shorter windows only measure the clock


@attrs.frozen
class RateLimit:
    """Arize's model: `requests` per `per` seconds, per endpoint and per user,
    in fixed windows; 429 beyond, with Retry-After unless `retry_after` is
    False (whether Arize sends it is not documented)."""

    requests: int
    per: float = 60.0
    retry_after: bool = True

    def __attrs_post_init__(self) -> None:
        if isinstance(self.requests, bool) or not isinstance(self.requests, int):
            raise ValueError(f"requests must be a whole number, not {self.requests!r}")
        if self.requests < 1:
            raise ValueError(f"requests must be at least 1, not {self.requests}")
        per = self.per
        if isinstance(per, bool) or not isinstance(per, int | float) or not math.isfinite(per):
            raise ValueError(f"per must be a number of seconds, not {per!r}")
        if per < MIN_WINDOW:
            raise ValueError(f"per must be at least {MIN_WINDOW} s (a millisecond), not {per!r}")


@attrs.define
class Knobs:
    """What tests turn: faults (first in, first out), latency, the rate limit,
    the clock the rate limit's windows are counted on."""

    faults: collections.deque[Fault] = attrs.field(factory=collections.deque)
    latency: float = 0.0
    rate_limit: RateLimit | None = None
    # The chance that any request is answered 503 (on top of fail_next).
    fail_rate: float = 0.0
    # Every n-th request answered with a fault: (n, fault) rules, counted on
    # the requests seen since the rule was set.
    periodic: list[tuple[int, Fault]] = attrs.field(factory=list)
    _seen: int = 0
    # False: a custom organization role is answered 422, as Arize's docs say
    # the API does today.
    custom_roles: bool = True
    clock: Callable[[], float] = time.monotonic
    request_log: list[tuple[str, str, int]] = attrs.field(factory=list)
    # (user id, endpoint) -> (window number, requests counted in it)
    _windows: dict[tuple[str, str], tuple[int, int]] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def next_fault(self) -> Fault | None:
        with self._lock:
            self._seen += 1
            if self.faults:
                return self.faults.popleft()
            for every, fault in self.periodic:
                if self._seen % every == 0:
                    return fault
        if self.fail_rate and random.random() < self.fail_rate:  # noqa: S311 - not crypto
            return Fault(503)
        return None

    def fail_every(self, every: int | None, fault: Fault) -> None:
        with self._lock:
            if every is None:
                self.periodic.clear()
            else:
                self.periodic.append((every, fault))
            self._seen = 0

    def set_rate_limit(self, limit: RateLimit | None) -> None:
        with self._lock:
            self.rate_limit = limit
            self._windows.clear()

    def over_rate(self, user_id: str, endpoint: str) -> tuple[RateLimit, float] | None:
        """None if this request may go now (and count it); else the limit it
        broke and the seconds until the window that would admit it starts.

        Windows are fixed: [k * per, (k + 1) * per) on the sandbox's clock,
        counted per user and per endpoint (method and path template). A
        clock reading from an earlier window (a clock that went back) counts
        in the latest window seen, never restarts it."""
        with self._lock:
            limit = self.rate_limit
            if limit is None:
                return None
            now = self.clock()
            window = math.floor(now / limit.per)
            seen_window, count = self._windows.get((user_id, endpoint), (window, 0))
            if window > seen_window:
                seen_window, count = window, 0
            if count < limit.requests:
                self._windows[(user_id, endpoint)] = (seen_window, count + 1)
                return None
            return limit, max(0.0, (seen_window + 1) * limit.per - now)


def _drop_connection(receive: Any) -> None:
    """Close the TCP connection at once, answered or not. uvicorn's `receive`
    is a method of its request cycle, which holds the connection's transport;
    a server that does not expose it gets a truncated answer instead."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("injected fault: connection dropped")
    transport.abort()


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status, media_type="application/json")


def problem_response(
    status: int, title: str, detail: str, instance: str, **headers: str
) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = instance
    return Response(json.dumps(body), status, headers=headers or None, media_type=PROBLEM_JSON)


def _problem(problem: Problem, request: Request) -> Response:
    return problem_response(
        problem.status, problem.title, problem.detail, request.url.path, **problem.headers
    )


async def _no_route(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no route matches, e.g. an id holding a line
    break) and 405 (a method no route takes) are plain text; the spec
    documents a problem document for every error, as Arize serves."""
    if not isinstance(exc, HTTPException):  # registered for HTTPException only
        raise exc
    status, path, headers = exc.status_code, request.scope["path"], dict(exc.headers or {})
    detail = f"nothing is served at {request.method} {path}"
    if status == 405:
        # Starlette names the methods of the first route with this path only.
        allowed = {
            method
            for route in request.app.router.routes
            if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE
            for method in route.methods or ()
        }
        headers["Allow"] = ", ".join(sorted(allowed))
        detail = f"{request.method} is not served at {path}; it takes {headers['Allow']}"
    return problem_response(status, HTTPStatus(status).phrase, detail, path, **headers)


class SandboxApp:
    def __init__(self, world: World, spec: ServedSpec, knobs: Knobs) -> None:
        self.world, self.spec, self.knobs = world, spec, knobs
        # `:path`: an id is base64, which may hold '/', sent as %2F; the
        # router sees the decoded path, so an id segment may span slashes.
        self.app = Starlette(
            routes=[
                Route("/v2/organizations/{org_id:path}/users", self.add_user, methods=["POST"]),
                Route("/v2/users/{user_id:path}", self.get_user, methods=["GET"]),
                Route("/v2/users", self.list_users, methods=["GET"]),
                Route("/v2/users", self.invite_user, methods=["POST"]),
                Route(
                    "/v2/organizations/{org_id:path}/users/{user_id:path}",
                    self.remove_user,
                    methods=["DELETE"],
                ),
            ],
            exception_handlers={HTTPException: _no_route},
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status_box: list[int] = []

        async def logged_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                status_box.append(message["status"])
            await send(message)

        if self.knobs.latency:
            await asyncio.sleep(self.knobs.latency)
        fault = self.knobs.next_fault()
        try:
            if fault is None:
                await self.app(scope, receive, logged_send)
            else:
                await self._fault(fault, scope, receive, logged_send)
        except ClientDisconnect:
            # The client went away before its request was read: nothing to
            # answer, and nothing wrong with the sandbox (uvicorn would log
            # a traceback at ERROR).
            log.debug("%s %s: the client disconnected", scope["method"], scope["path"])
        # 0: no answer was given (the connection was dropped).
        status = status_box[0] if status_box else 0
        self.knobs.request_log.append((scope["method"], scope["path"], status))

    async def _fault(self, fault: Fault, scope: Any, receive: Any, send: Any) -> None:
        kind = fault.kind
        if kind in ("reset", "stall"):
            if kind == "stall":
                await asyncio.sleep(fault.seconds)
            _drop_connection(receive)
            return
        if kind in ("truncated", "close"):
            captured: list[Any] = []

            async def capture(message: Any) -> None:
                captured.append(message)

            await self.app(scope, receive, capture)
            start, body = captured[0], b"".join(m.get("body", b"") for m in captured[1:])
            await send(start)
            if kind == "close":
                await send({"type": "http.response.body", "body": body})
            else:
                await send(
                    {
                        "type": "http.response.body",
                        "body": body[: len(body) // 2],
                        "more_body": True,
                    }
                )
            _drop_connection(receive)
            return
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
        answer: Response
        if kind == "html":
            page = (
                f"<html><head><title>{fault.status} Bad Gateway</title></head>"
                "<body><h1>Bad Gateway</h1><hr>nginx</body></html>"
            )
            answer = Response(page, fault.status, headers=headers, media_type="text/html")
        elif kind == "not_membership":
            answer = _json({"ok": True, "note": "not a membership"})
        else:
            answer = problem_response(
                fault.status,
                "Injected fault",
                "fail_next() asked for this answer",
                scope["path"],
                **headers,
            )
        await answer(scope, receive, send)

    # ---- endpoints ----

    def _admit(self, request: Request, endpoint: str) -> Caller:
        """The caller, once authenticated and within the rate limit."""
        caller = self.world.caller(request.headers.get("authorization"))
        over = self.knobs.over_rate(caller.user_id, endpoint)
        if over is not None:
            limit, wait = over
            headers = {"Retry-After": str(max(1, math.ceil(wait)))} if limit.retry_after else {}
            raise Problem(
                429,
                "Too Many Requests",
                f"more than {limit.requests} requests in {limit.per:g} s to {endpoint}",
                headers,
            )
        return caller

    async def add_user(self, request: Request) -> Response:
        try:
            caller = self._admit(request, ADD_USER)
            user_id, role = self._read_add_request(await request.body())
            record = self.world.add_member(caller, request.path_params["org_id"], user_id, role)
        except Problem as p:
            return _problem(p, request)
        return _json(self._membership(record))

    async def get_user(self, request: Request) -> Response:
        try:
            self._admit(request, GET_USER)
            user = self.world.user(request.path_params["user_id"])
        except Problem as p:
            return _problem(p, request)
        return _json(self._user(user))

    async def list_users(self, request: Request) -> Response:
        try:
            self._admit(request, LIST_USERS)
            params = request.query_params
            limit = _int_param(params.get("limit"), "limit", 50, 1, 100)
            email = params.get("email")
            if email is not None and len(email) > 255:
                raise Problem(422, "Unprocessable Entity", "email: longer than 255 characters")
            start = _cursor(params.get("cursor"))
        except Problem as p:
            return _problem(p, request)
        found = self.world.find_users(email)
        page = found[start : start + limit]
        more = start + limit < len(found)
        pagination: dict[str, Any] = {"has_more": more}
        if more:
            pagination["next_cursor"] = base64.urlsafe_b64encode(
                str(start + limit).encode()
            ).decode()
        return _json({"users": [self._user(u) for u in page], "pagination": pagination})

    async def invite_user(self, request: Request) -> Response:
        try:
            caller = self._admit(request, INVITE_USER)
            email, name, account_role, mode = self._read_invite_request(await request.body())
            user, created, password = self.world.invite(caller, email, name, account_role, mode)
        except Problem as p:
            return _problem(p, request)
        return _json(self._user(user, password), 201 if created else 200)

    async def remove_user(self, request: Request) -> Response:
        try:
            caller = self._admit(request, REMOVE_USER)
            params = request.path_params
            self.world.remove_member(caller, params["org_id"], params["user_id"])
        except Problem as p:
            return _problem(p, request)
        return Response(status_code=204)

    # ---- bodies, through the generated models ----

    def _read_invite_request(self, raw: bytes) -> tuple[str, str | None, AccountRole, InviteMode]:
        try:
            body = json.loads(raw)
        except ValueError:
            raise Problem(422, "Unprocessable Entity", "body: not valid JSON") from None
        except RecursionError:
            raise Problem(422, "Unprocessable Entity", "body: nested too deeply") from None
        error = first_error(self.spec.invite_validator, body)
        if error is not None:
            raise Problem(422, "Unprocessable Entity", error)
        spelled = {
            **body,
            "role": self.spec.spelling.role_in(body["role"]),
            "invite_mode": self.spec.spelling.value_in(body["invite_mode"]),
        }
        return _wire.read_invite_request(spelled)

    def _read_add_request(self, raw: bytes) -> tuple[str, Role]:
        try:
            body = json.loads(raw)
        except ValueError:
            raise Problem(422, "Unprocessable Entity", "body: not valid JSON") from None
        except RecursionError:
            raise Problem(422, "Unprocessable Entity", "body: nested too deeply") from None
        if isinstance(body, dict) and isinstance(body.get("role"), str):
            body = {**body, "role": self._shorthand(body["role"])}
        error = first_error(self.spec.add_user_validator, body)
        if error is not None:
            raise Problem(422, "Unprocessable Entity", error)
        user_id, role = _wire.read_add_request(
            {**body, "role": self.spec.spelling.role_in(body["role"])}
        )
        if role.is_custom and not self.knobs.custom_roles:
            names = ", ".join(self.spec.served(v) for v in _wire.ROLE_VALUES)
            raise Problem(
                422,
                "Unprocessable Entity",
                f"role: custom organization roles are not supported; use a predefined role "
                f"({names})",
            )
        return user_id, role

    def _shorthand(self, text: str) -> dict[str, Any]:
        """The seed's `"role": "member"`: the object form, in the served spelling."""
        try:
            role = Role.parse(text)
        except InvalidInputError:
            raise Problem(422, "Unprocessable Entity", f"role: {text!r} is not a role") from None
        if role.is_custom:
            raise Problem(422, "Unprocessable Entity", "role: give a custom role as an object")
        return self.spec.spelling.role_out(_wire.role_json(role))  # type: ignore[no-any-return]

    def _membership(self, record: Membership) -> dict[str, Any]:
        body = _wire.membership_json(record)
        body["role"] = self.spec.spelling.role_out(body["role"])
        return body

    def _user(self, user: SandboxUser, password: str | None = None) -> dict[str, Any]:
        """A user as the API answers one; with `password`, as an invitation's
        201 answers it (with its temporary password)."""
        body = _wire.invited_user_json(
            User(
                id=user.id,
                email=user.email,
                account_role=user.account_role,
                name=user.name,
                status=user.status,
                is_developer=False,
                created_at=user.created_at,
                temporary_password=None if password is None else Secret(password),
            )
        )
        body["role"] = self.spec.spelling.role_out(body["role"])
        body["status"] = self.spec.spelling.value_out(body["status"])
        return body


def _int_param(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Problem(422, "Unprocessable Entity", f"{name}: {raw!r} is not an integer") from None
    if not low <= value <= high:
        raise Problem(422, "Unprocessable Entity", f"{name}: must be between {low} and {high}")
    return value


def _cursor(raw: str | None) -> int:
    if raw is None:
        return 0
    try:
        return int(base64.urlsafe_b64decode(raw.encode()).decode())
    except ValueError:
        raise Problem(400, "Bad Request", "cursor: not a cursor this server gave") from None
