"""Every answer becomes the right exception with a readable message."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from arize_orgs import AccountRole, Role, User, errors
from arize_orgs.errors import from_response, parse_retry_after

from fakes import user as fake_user

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
    assert parse_retry_after("0.5") == 0.5  # under a second is kept, not rounded up
    assert parse_retry_after("0") == 0.0  # "now" is a wait of none, not an absent header
    assert str(parse_retry_after("-0")) == "0.0"  # not -0.0, which messages show as "-0 s"
    # "-0000" is RFC 5322's "zone unknown": a time that cannot be placed is no wait.
    assert parse_retry_after("Wed, 02 Dec 2026 16:00:30 -0000", now=0.0) is None
    assert parse_retry_after("Wed, 02 Dec 2026 16:00:30 +0000", now=0.0) == pytest.approx(
        datetime(2026, 12, 2, 16, 0, 30, tzinfo=UTC).timestamp()
    )
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


GENERIC = "see `detail` for what the server objected to"


def test_a_problem_document_cut_at_the_size_cap_is_not_read_as_one() -> None:
    # 64 KiB were read of a longer answer: even if what was read parses, it
    # is not the whole document, so its members are not believed.
    exc = from_response(500, "Internal Server Error", problem(500), {}, cut=64 * 1024)
    assert exc.title == "Internal Server Error" and exc.type is None
    assert exc.detail == (
        'the answer (over 64 KiB, cut there) is not a problem document: {"type": "about:blank", '
        '"title": "Nope", "status": 500, "detail": "why"}'
    )


def test_each_kind_of_body_that_is_not_a_problem_is_named_in_the_detail() -> None:
    assert from_response(502, "Bad Gateway", b"upstream gone", {}).detail == (
        "the answer is not a problem document: upstream gone"
    )
    assert from_response(502, "Bad Gateway", b"", {}).detail == "the answer had an empty body"
    unreadable = from_response(502, "Bad Gateway", b"", {}, unreadable="it is not valid gzip")
    assert unreadable.detail == "the answer's body could not be decoded (it is not valid gzip)"
    assert str(unreadable) == (
        "502 Bad Gateway: the answer's body could not be decoded (it is not valid gzip); "
        "the server or a proxy failed; retry later"
    )


def test_without_a_title_or_a_reason_the_title_is_error() -> None:
    exc = from_response(418, "", b"", {})
    assert exc.title == "Error"
    assert str(exc) == f"418 Error: the answer had an empty body; {GENERIC}"


def test_members_of_the_wrong_type_are_left_out() -> None:
    body = json.dumps({"title": 5, "detail": ["x"], "type": 7, "instance": {"a": 1}}).encode()
    exc = from_response(400, "Bad Request", body, {})
    assert (exc.title, exc.detail, exc.type, exc.instance) == ("Bad Request", None, None, None)
    # they are still there, as the body has them
    assert exc.extensions == {}
    assert json.loads(exc.body)["type"] == 7


def test_type_and_instance_are_shown_cut_and_on_one_line() -> None:
    body = problem(404, type="https://errors.test/\x1b[2J" + "t" * 300, instance="/x\ny")
    exc = from_response(404, "Not Found", body, {})
    assert exc.type == "https://errors.test/\\x1b[2J" + "t" * 175 + "…"
    assert exc.instance == "/x\\ny"


def test_the_key_given_to_scrub_is_scrubbed_though_no_client_registered_it(
    fresh_keys: None,
) -> None:
    key = "sk-only-FROM-response-42"
    body = problem(401, detail=f"bad key {key}", instance=f"/keys/{key}", note=key)
    exc = from_response(401, "Unauthorized", body, {}, scrub=key)
    for text in (str(exc), exc.detail, exc.instance, exc.body, repr(exc.extensions)):
        assert key not in (text or "")
    assert exc.detail == "bad key ***" and exc.extensions == {"note": "***"}


def test_every_argument_of_an_exception_is_scrubbed_and_only_strings_are(
    fresh_keys: None,
) -> None:
    from arize_orgs import _redact

    _redact.register("sk-in-ARGS-0123")
    exc = errors.ArizeOrgsError("key sk-in-ARGS-0123", 5, None)
    assert exc.args == ("key ***", 5, None)


def test_with_hint_keeps_every_member_and_changes_only_the_advice() -> None:
    exc = from_response(
        422,
        "Unprocessable",
        problem(422, instance="/orgs/1", error_code="E9"),
        {"retry-after": "3"},
    )
    hinted = exc.with_hint("do this instead")
    assert type(hinted) is errors.UnprocessableEntityError
    assert (hinted.status, hinted.title, hinted.detail, hinted.type, hinted.instance) == (
        422,
        "Nope",
        "why",
        "about:blank",
        "/orgs/1",
    )
    assert hinted.extensions == {"error_code": "E9"}
    assert hinted.body == exc.body and hinted.retry_after == 3.0
    assert str(hinted) == "422 Nope: why; do this instead"


def test_an_error_made_by_hand_has_empty_defaults_and_reads_in_its_repr() -> None:
    exc = errors.NotFoundError(404, title="Nope", detail="why")
    assert (exc.body, exc.type, exc.instance, exc.extensions, exc.retry_after) == (
        "",
        None,
        None,
        {},
        None,
    )
    assert exc.error_code is None
    assert repr(exc) == "NotFoundError(status=404, title='Nope', detail='why')"
    assert errors.APIStatusError(418, title="").title == ""


def test_title_and_detail_are_cut_to_their_caps() -> None:
    exc = errors.APIStatusError(400, title="t" * 300, detail="d" * 600)
    assert exc.title == "t" * 199 + "…"
    assert exc.detail == "d" * 499 + "…"


@pytest.mark.parametrize(
    ("method", "after"),
    [
        (
            "post",
            "the request may have succeeded, and repeating it is safe: adding a user is an upsert",
        ),
        ("get", "nothing was changed; the server's API may differ from this version's"),
    ],
)
def test_a_validation_error_says_what_it_means_for_the_request(method: str, after: str) -> None:
    exc = errors.APIResponseValidationError(200, "no id", body='{"x": 1}', method=method)
    assert (exc.status, exc.reason, exc.body, exc.method) == (
        200,
        "no id",
        '{"x": 1}',
        method.upper(),
    )
    assert str(exc) == f"200 answer to {method.upper()} could not be read: no id; {after}"


def test_a_validation_error_by_default_is_of_a_post_with_no_body() -> None:
    exc = errors.APIResponseValidationError(201, "")
    assert (exc.method, exc.reason, exc.body) == ("POST", "", "")
    assert str(exc).startswith("201 answer to POST could not be read: ; the request may")


def test_a_validation_error_keeps_its_reason_short_and_its_body_scrubbed(
    fresh_keys: None,
) -> None:
    from arize_orgs import _redact

    _redact.register("sk-in-a-BODY-0123")
    exc = errors.APIResponseValidationError(200, "r" * 600, body="x" * 70_000 + "sk-in-a-BODY-0123")
    assert exc.reason == "r" * 499 + "…"
    assert exc.body == "x" * 64 * 1024


@pytest.mark.parametrize("method", ["GET", None])
def test_an_answer_too_large_says_its_limit_in_kib(method: str | None) -> None:
    if method is None:
        exc = errors.ResponseTooLargeError(200, 1024 * 1024)
    else:
        exc = errors.ResponseTooLargeError(200, 1024 * 1024, method=method)
    assert isinstance(exc, errors.APIResponseValidationError)
    assert (exc.status, exc.limit, exc.method) == (200, 1024 * 1024, method or "POST")
    assert exc.reason == (
        "the answer is larger than 1024 KiB (counted after decompression), which no answer "
        "of this API is; the rest was not read"
    )
    assert str(exc).startswith(f"200 answer to {method or 'POST'} could not be read: the answer")


def test_a_connection_error_message_is_cut_at_1000_characters_and_kept_on_one_line() -> None:
    exc = errors.APIConnectionError("refused:\n" + "w" * 2000)
    assert str(exc) == "refused:\\n" + "w" * 990 + "…"


def test_a_role_rule_error_carries_what_was_asked_and_what_is_allowed() -> None:
    allowed = frozenset({"annotator"})
    exc = errors.RoleRuleError("no", account_role="annotator", role="admin", allowed=allowed)
    assert (str(exc), exc.account_role, exc.role, exc.allowed) == (
        "no",
        "annotator",
        "admin",
        allowed,
    )


# ---- exceptions pickle and copy --------------------------------------------------------------


def _status(cls: type[errors.APIStatusError], status: int) -> errors.APIStatusError:
    exc = errors.from_response(
        status,
        "Reason",
        json.dumps({"title": "T", "detail": "D", "instance": "/i", "error_code": "E1"}).encode(),
        {"retry-after": "7"},
    )
    assert type(exc) is cls
    return exc


def _invited() -> User:
    from arize_orgs import _wire

    return _wire.user(fake_user("member"))


EXAMPLES: dict[str, Callable[[], errors.ArizeOrgsError]] = {
    "ArizeOrgsError": lambda: errors.ArizeOrgsError("base"),
    "InvalidInputError": lambda: errors.InvalidInputError("bad id"),
    "ConfigurationError": lambda: errors.ConfigurationError("no key"),
    "RoleRuleError": lambda: errors.RoleRuleError(
        "annotators may only be annotators",
        account_role=AccountRole.ANNOTATOR,
        role=Role.ADMIN,
        allowed=frozenset({Role.ANNOTATOR}),
    ),
    "APIStatusError": lambda: _status(errors.APIStatusError, 418),
    "BadRequestError": lambda: _status(errors.BadRequestError, 400),
    "AuthenticationError": lambda: _status(errors.AuthenticationError, 401),
    "PermissionDeniedError": lambda: _status(errors.PermissionDeniedError, 403),
    "NotFoundError": lambda: _status(errors.NotFoundError, 404).with_hint("a hint of its own"),
    "ConflictError": lambda: _status(errors.ConflictError, 409),
    "UnprocessableEntityError": lambda: _status(errors.UnprocessableEntityError, 422),
    "RateLimitError": lambda: _status(errors.RateLimitError, 429),
    "InternalServerError": lambda: _status(errors.InternalServerError, 503),
    "APIResponseValidationError": lambda: errors.APIResponseValidationError(
        200, "not JSON", body="<html>", method="GET"
    ),
    "ResponseTooLargeError": lambda: errors.ResponseTooLargeError(200, 1024 * 1024),
    "APIConnectionError": lambda: errors.APIConnectionError("refused"),
    "APITimeoutError": lambda: errors.APITimeoutError("too slow"),
    "ClientClosedError": lambda: errors.ClientClosedError("closed"),
    "EventLoopError": lambda: errors.EventLoopError("another loop"),
}


def test_every_exception_class_has_an_example() -> None:
    public = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.ArizeOrgsError)
    }
    assert public <= set(EXAMPLES), public - set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_exception_pickles_and_copies_with_its_attributes(name: str) -> None:
    """Before: `TypeError: __init__() missing ...` for the APIStatusError
    family, APIResponseValidationError, ResponseTooLargeError, RoleRuleError."""
    exc = EXAMPLES[name]()
    exc.invited = _invited()
    exc.add_note("a note")
    pickled = pickle.loads(pickle.dumps(exc))  # noqa: S301 - bytes this test made
    for again in (pickled, copy.deepcopy(exc), copy.copy(exc)):
        assert type(again) is type(exc)
        assert str(again) == str(exc) and repr(again) == repr(exc)
        assert again.args == exc.args
        assert vars(again) == vars(exc)
        assert again.invited == exc.invited and again.__notes__ == ["a note"]
    if isinstance(exc, errors.APIStatusError):
        assert isinstance(pickled, errors.APIStatusError)
        members = (pickled.status, pickled.title, pickled.detail, pickled.error_code)
        assert (*members, pickled.retry_after) == (
            exc.status,
            "T",
            "D",
            "E1",
            7.0,
        )


def test_a_body_is_scrubbed_before_it_is_cut_so_no_half_key_is_kept(fresh_keys: None) -> None:
    """A 2xx answer that cannot be read keeps up to MAX_BODY characters of
    its text; a key across the cut must not leave its first half."""
    from arize_orgs import _redact

    key = "sk-live-0123456789abcdefghijklmnopqrstuv"
    _redact.register(key)
    text = "y" * (errors.MAX_BODY - 20) + key + " tail"
    exc = errors.APIResponseValidationError(200, "not JSON", body=text)
    assert exc.body == "y" * (errors.MAX_BODY - 20) + "*** tail"
    assert "sk-live" not in exc.body
