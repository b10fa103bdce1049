"""A scripted stand-in for the API, for tests that need exact answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
USER = "VXNlcjoxMjM0NQ=="
KEY = "sk-SENTINEL-0123456789"

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def membership(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    return httpx.Response(
        200,
        json={
            "id": "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox",
            "user_id": body["user_id"],
            "organization_id": request.url.path.split("/")[3],
            "role": body["role"],
        },
    )


def space_membership(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    return httpx.Response(
        200,
        json={
            "id": "U3BhY2VNZW1iZXJzaGlwOjE=",
            "user_id": body["user_id"],
            "space_id": request.url.path.split("/")[3],
            "role": body["role"],
        },
    )


def problem(status: int, headers: dict[str, str] | None = None, **extra: Any) -> httpx.Response:
    return httpx.Response(
        status,
        json={"type": "about:blank", "title": f"Status {status}", "status": status, **extra},
        headers={"content-type": "application/problem+json", **(headers or {})},
    )


def user(account_role: str, email: str = "jane@acme.test", uid: str = USER) -> dict[str, Any]:
    return {
        "id": uid,
        "email": email,
        "name": "Jane",
        "status": "ACTIVE",
        "role": {"type": "PREDEFINED", "name": account_role.upper()},
        "is_developer": False,
    }


class Script:
    """Answers requests in order from a list; records what was sent."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def async_transport(self) -> httpx.MockTransport:
        async def handler(request: httpx.Request) -> httpx.Response:
            await request.aread()
            return self._answer(request)

        return httpx.MockTransport(handler)

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]
