"""Reading answers into facade values, the same way for every operation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from .._body import Answer
from ..errors import APIResponseValidationError

__all__ = ["read"]

T = TypeVar("T")


def read(answer: Answer, parse: Callable[[Any], T]) -> T:
    """`parse` of the answer's JSON, or APIResponseValidationError (whose
    every string is scrubbed of the key by the exception itself)."""
    if answer.unreadable:
        raise APIResponseValidationError(
            answer.status,
            f"its body could not be decoded: {answer.unreadable}",
            method=answer.method,
        )
    try:
        return parse(json.loads(answer.body))
    except RecursionError:
        why = "its JSON is nested too deeply to read"
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        why = str(exc)
    raise APIResponseValidationError(
        answer.status,
        why,
        body=answer.body.decode("utf-8", errors="replace"),
        method=answer.method,
    )
