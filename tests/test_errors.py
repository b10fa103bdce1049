"""Every answer becomes the right exception with a readable message."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from arize_orgs import errors
from arize_orgs.errors import from_response, parse_retry_after

CLASSES = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
    500: errors.InternalServerError,
    502: errors.InternalServerError,
    503: errors.InternalServerError,
    409: errors.ConflictError,
    418: errors.APIStatusError,
}


def problem(status: int, **extra: object) -> bytes:
    return json.dumps(
        {"type": "about:blank", "title": "Nope", "status": status, "detail": "why", **extra}
    ).encode()


@pytest.mark.parametrize(("status", "cls"), CLASSES.items())
def test_each_status_gets_its_class_with_the_problem_members(
    status: int, cls: type[errors.APIStatusError]
) -> None:
    exc = from_response(status, "Reason", problem(status, instance="/x", error_code="E1"), {})
    assert type(exc) is cls
    assert isinstance(exc, errors.APIStatusError) and isinstance(exc, errors.ArizeOrgsError)
    assert (exc.status, exc.title, exc.detail, exc.type, exc.instance) == (
        status,
        "Nope",
        "why",
        "about:blank",
        "/x",
    )
    assert exc.extensions == {"error_code": "E1"} and exc.error_code == "E1"
    assert exc.body.startswith("{")
    assert str(exc).startswith(f"{status} Nope: why; ")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b"<html><head><title>502 Bad Gateway</title></head><body>x</body></html>",
            "502 Bad Gateway",
        ),
        (b"<html><body><h1>Service down</h1></body></html>", "Service down"),
        (b"", "empty body"),
        (b"[1, 2]", "not a problem document"),
        (b"\xff\xfe garbage", "not a problem document"),
        (b'{"title": 5}', "Bad Gateway"),
    ],
)
def test_a_body_that_is_not_a_problem_still_reads_well(body: bytes, expected: str) -> None:
    exc = from_response(502, "Bad Gateway", body, {})
    assert type(exc) is errors.InternalServerError
    assert expected in str(exc)
    assert "\n" not in str(exc)


def test_the_key_is_scrubbed_from_server_text() -> None:
    exc = from_response(
        400, "Bad", problem(400, detail="got Bearer sk-SECRET"), {}, scrub="sk-SECRET"
    )
    assert "sk-SECRET" not in str(exc) and "sk-SECRET" not in exc.body


def test_retry_after_in_seconds_and_as_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") is None  # negative: as if absent (see test_hostile_core)
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(30)
    earlier = format_datetime(now - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(earlier, now=now.timestamp()) == 0.0


def test_rate_limit_error_carries_and_explains_retry_after() -> None:
    exc = from_response(429, "Too Many Requests", problem(429), {"retry-after": "120"})
    assert isinstance(exc, errors.RateLimitError)
    assert exc.retry_after == 120
    assert "retry after 120 s" in str(exc)


def test_local_errors_are_value_errors() -> None:
    assert issubclass(errors.InvalidInputError, ValueError)
    assert issubclass(errors.RoleRuleError, errors.InvalidInputError)
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
