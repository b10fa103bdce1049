"""The sandbox's HTTP face: a starlette app over a `World`, and what every
request meets before its endpoint: latency, injected faults (first in,
first out), the request log, and a problem document for a path or method
nothing serves.

What each endpoint does is in `endpoints`; how bodies are read and answers
spelled, in `bodies`; the knobs tests turn, in `knobs`.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Match, Route

from .answers import PROBLEM_JSON, json_answer, problem_response
from .bodies import Bodies
from .endpoints import Endpoints
from .history import History
from .knobs import FAULT_KINDS, Fault, Knobs, RateLimit
from .spec import ServedSpec
from .state import World

# Knobs, RateLimit, Fault and FAULT_KINDS lived here once; they are still
# importable from here.
__all__ = ["FAULT_KINDS", "PROBLEM_JSON", "Fault", "Knobs", "RateLimit", "SandboxApp"]

log = logging.getLogger("arize_orgs.sandbox")


def _drop_connection(receive: Any) -> None:
    """Close the TCP connection at once, answered or not. uvicorn's `receive`
    is a method of its request cycle, which holds the connection's transport;
    a server that does not expose it gets a truncated answer instead."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionAbortedError("injected fault: connection dropped")
    transport.abort()


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
    def __init__(self, world: World, spec: ServedSpec, knobs: Knobs, history: History) -> None:
        self.world, self.spec, self.knobs, self.history = world, spec, knobs, history
        endpoints = Endpoints(world, Bodies(spec), knobs, history)
        self.app = Starlette(
            routes=endpoints.routes(), exception_handlers={HTTPException: _no_route}
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
            answer = json_answer({"ok": True, "note": "not a membership"})
        else:
            answer = problem_response(
                fault.status,
                "Injected fault",
                "fail_next() asked for this answer",
                scope["path"],
                **headers,
            )
        await answer(scope, receive, send)
