"""The two kinds of answer the API gives: a JSON body, and an RFC 9457
problem document (`application/problem+json`) for every error, whoever
raises it (an endpoint, the router, an injected fault)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .state import Problem

__all__ = ["PROBLEM_JSON", "json_answer", "problem_answer", "problem_response"]

PROBLEM_JSON = "application/problem+json"


def json_answer(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status, media_type="application/json")


def problem_response(
    status: int, title: str, detail: str, instance: str, **headers: str
) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = instance
    return Response(json.dumps(body), status, headers=headers or None, media_type=PROBLEM_JSON)


def problem_answer(problem: Problem, request: Request) -> Response:
    return problem_response(
        problem.status, problem.title, problem.detail, request.url.path, **problem.headers
    )
