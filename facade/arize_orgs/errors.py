"""Every way adding a user can fail, as one exception hierarchy.

    ArizeOrgsError
    ├── InvalidInputError (also ValueError)   found locally, nothing was sent
    │   ├── RoleRuleError                     the annotator rule
    │   └── ConfigurationError                no or unusable key, bad base URL, proxy
    ├── APIStatusError                        the server answered non-2xx
    │   ├── BadRequestError            400
    │   ├── AuthenticationError        401
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404
    │   ├── ConflictError              409    an invitation for an active account
    │   ├── UnprocessableEntityError   422
    │   ├── RateLimitError             429    .retry_after
    │   └── InternalServerError        5xx
    ├── APIResponseValidationError            a 2xx whose body is not what the spec says
    │   └── ResponseTooLargeError             an answer over the size limit
    ├── APIConnectionError                    no answer at all
    │   └── APITimeoutError
    ├── ClientClosedError (also RuntimeError) the client was used after close()
    └── EventLoopError (also RuntimeError)    the client was used where it cannot run:
                                              an AsyncOrgClient in a second event loop,
                                              OrgClient.add_users inside a running one

Messages say what went wrong and what to do next. None of them ever holds the
API key: every string an exception carries (message, title, detail, type,
instance, extensions, body) is scrubbed of every form of every key in use
(see `_redact`) when the exception is made. Text from a server is shown
printable (control characters escaped) and cut to a readable length; `body`
keeps the answer's text as it came (scrubbed, and at most what the client
read of it: 64 KiB of an error answer). Every exception pickles and copies
(to another process, a queue, a result store) as itself, attributes and all.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Final, Self

from . import _redact
from ._text import readable

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ArizeOrgsError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "EventLoopError",
    "InternalServerError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RoleRuleError",
    "UnprocessableEntityError",
]


# Characters of server text kept in an exception's title and detail: enough
# to read, never a 100 MB message. `body` keeps at most MAX_BODY characters.
MAX_TITLE: Final = 200
MAX_DETAIL: Final = 500
MAX_BODY: Final = 64 * 1024


def _shown(text: str | None, limit: int) -> str | None:
    """Server text as an exception keeps it: no key, one line, readable length."""
    return None if text is None else _redact.shown(text, limit)


def _body(text: str) -> str:
    return _redact.scrub(text)[:MAX_BODY]  # scrubbed before the cut: no half key


class ArizeOrgsError(Exception):
    """The base of every exception arize-orgs raises on purpose. Its message
    is scrubbed of the key, whatever it quotes.

    `invited` is the user that `add_user(..., invite=True)` invited before
    this error stopped the add (with its temporary password, if one was asked
    for), else None: the invitation stands, and adding the user again needs
    no new one."""

    invited: Any = None

    def __init__(self, *args: object) -> None:
        super().__init__(*(_redact.scrub(a) if isinstance(a, str) else a for a in args))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickling and copying: the exception is made again from its
        message (`args`) and its attributes, without `__init__`, whose
        arguments differ from class to class (an APIStatusError's status and
        problem members) and were scrubbed already."""
        return (_remade, (type(self), self.args, dict(vars(self))))


def _remade(cls: type[ArizeOrgsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls, *args)
    vars(exc).update(state)
    return exc


class InvalidInputError(ArizeOrgsError, ValueError):
    """The input is wrong; found before any request was sent."""


class RoleRuleError(InvalidInputError):
    """The annotator rule forbids this organization role for this account role.

    `account_role` and `role` are what was asked; `allowed` the roles that would
    be accepted instead.
    """

    def __init__(self, message: str, *, account_role: Any, role: Any, allowed: frozenset[Any]):
        super().__init__(message)
        self.account_role = account_role
        self.role = role
        self.allowed = allowed


class ConfigurationError(InvalidInputError):
    """The client cannot be set up: no API key or one that cannot be sent, a
    base URL it will not use, or a proxy it cannot use."""


class APIStatusError(ArizeOrgsError):
    """The server answered with an error status.

    The RFC 9457 members are attributes (`status`, `title`, `detail`, `type`,
    `instance`), printable and cut to a readable length (`detail` to 500
    characters); other members of the problem document (Arize documents
    `error_code`) are in `extensions`; `body` is the text of the answer as
    it came (at most 64 KiB of it). All of them are scrubbed of the key.
    """

    hint = "see `detail` for what the server objected to"

    def __init__(
        self,
        status: int,
        *,
        title: str,
        detail: str | None = None,
        type: str | None = None,
        instance: str | None = None,
        extensions: Mapping[str, Any] | None = None,
        body: str = "",
        retry_after: float | None = None,
        hint: str | None = None,
    ):
        self._hint = hint
        self.status = status
        self.title: str = _shown(title, MAX_TITLE) or ""
        self.detail = _shown(detail, MAX_DETAIL)
        self.type = _shown(type, MAX_TITLE)
        self.instance = _shown(instance, MAX_TITLE)
        self.extensions: dict[str, Any] = _redact.scrub_json(dict(extensions or {}))
        self.body = _body(body)
        self.retry_after = retry_after
        super().__init__(self._message())

    @property
    def error_code(self) -> str | None:
        code = self.extensions.get("error_code")
        return None if code is None else str(code)

    def _message(self) -> str:
        what = f"{self.status} {self.title}"
        if self.detail:
            what += f": {self.detail}"
        return f"{what}; {self._hint or self.hint}"

    def with_hint(self, hint: str) -> Self:
        """The same answer, with advice that knows what the request was."""
        return type(self)(
            self.status,
            title=self.title,
            detail=self.detail,
            type=self.type,
            instance=self.instance,
            extensions=self.extensions,
            body=self.body,
            retry_after=self.retry_after,
            hint=hint,
        )

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status={self.status}, title={self.title!r}, detail={self.detail!r})"


class BadRequestError(APIStatusError):
    hint = (
        "the server refused the request; for a role, check the annotator rule "
        "with check_role() or pass account_role= to have it checked before sending"
    )


class AuthenticationError(APIStatusError):
    hint = "the API key is missing, wrong or revoked: check ARIZE_API_KEY"


class PermissionDeniedError(APIStatusError):
    hint = "the API key's user must be an admin of this organization"


class NotFoundError(APIStatusError):
    hint = (
        "check the organization id, the user id and any custom role id: each is a base64 "
        "global id, e.g. 'VXNlcjoxMjM0NQ==' for a user"
    )


class ConflictError(APIStatusError):
    """409: an invitation (POST /v2/users) for an email that belongs to an
    active account, or to a deleted one. Nothing was created."""

    hint = (
        "the email already belongs to an account, so no invitation is needed: add the existing "
        "user to the organization instead (add_user with the email or the user's id); if no "
        "user with it is listed, it belonged to a deleted account, which cannot be invited again"
    )


class UnprocessableEntityError(APIStatusError):
    hint = (
        "the server did not accept the request body; if arize-orgs built it, the API "
        "may have changed: upgrade arize-orgs, or regenerate it from the server's spec"
    )


# A 422 answering a custom organization role: the seed documents them, but
# Arize's SDK calls them "not yet supported" and its docs say the API refuses
# them with 422.
# The server's own detail usually lists the predefined roles (in its
# spelling), so the hint does not list them again.
CUSTOM_ROLE_HINT = (
    "the request carried a custom organization role, which this server may not accept, as "
    "Arize's API does not today: use a predefined role; if the server does accept custom "
    "roles, its API differs from this version's: upgrade arize-orgs, or regenerate it from "
    "the server's spec"
)


# A 404 answering a removal: most often the user is no longer a member (a
# repeat, or a retry whose first attempt was carried out but whose answer was
# lost), which is what the removal wanted.
REMOVE_HINT = (
    "the organization or the user does not exist, or the user is not a member of the "
    "organization (removed already, perhaps by an earlier attempt): either way they are not a "
    "member now; check the ids if you expected them to be"
)


class RateLimitError(APIStatusError):
    @property
    def hint(self) -> str:  # type: ignore[override]
        wait = f"after {self.retry_after:g} s" if self.retry_after is not None else "later"
        return f"rate limited: retry {wait}, or lower the request rate"


class InternalServerError(APIStatusError):
    hint = "the server or a proxy failed; retry later"


class APIResponseValidationError(ArizeOrgsError):
    """A success status whose body is not what the API documents."""

    def __init__(self, status: int, reason: str, *, body: str = "", method: str = "POST"):
        self.status = status
        self.reason: str = _shown(reason, MAX_DETAIL) or ""
        self.body = _body(body)
        self.method = method.upper()
        if self.method == "GET":
            after = "nothing was changed; the server's API may differ from this version's"
        else:
            after = (
                "the request may have succeeded, and repeating it is safe: adding a user is "
                "an upsert"
            )
        super().__init__(
            f"{status} answer to {self.method} could not be read: {self.reason}; {after}"
        )


class ResponseTooLargeError(APIResponseValidationError):
    """A success answer larger than the client reads (`limit` bytes, counted
    after decompression); the rest of it was not read."""

    def __init__(self, status: int, limit: int, *, method: str = "POST"):
        self.limit = limit
        super().__init__(
            status,
            f"the answer is larger than {limit // 1024} KiB (counted after decompression), "
            "which no answer of this API is; the rest was not read",
            method=method,
        )


class APIConnectionError(ArizeOrgsError):
    """No answer came back: the connection failed or broke."""

    def __init__(self, message: str):
        # Our words around the transport's; the transport's may quote the server.
        super().__init__(_redact.shown(message, 2 * MAX_DETAIL))


class APITimeoutError(APIConnectionError):
    """No answer came back within the timeout."""


class ClientClosedError(ArizeOrgsError, RuntimeError):
    """The client (or the client a copy shares its connections with) was
    closed; nothing was sent."""


class EventLoopError(ArizeOrgsError, RuntimeError):
    """The client was used where it cannot run; nothing was sent.

    An AsyncOrgClient belongs to the event loop of its first call (its
    connections do, and so do its copies'): make one per `asyncio.run()`.
    OrgClient.add_users runs an event loop of its own, which cannot be done
    from code already running in one (a notebook, an async function): use
    AsyncOrgClient and `await client.add_users(...)` there."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance")


def error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date);
    None when it is absent or says nothing usable: a negative number, or one
    that is not finite ('inf' would read "retry after inf s", 'nan' would
    compare as no wait at all), is treated as absent."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # max: "-0" reads as -0.0, which a message would show as "retry after -0 s".
        return max(0.0, seconds) if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def from_response(
    status: int,
    reason: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    scrub: str | None = None,
    cut: int | None = None,
    unreadable: str | None = None,
) -> APIStatusError:
    """The exception for an error answer, whatever its body holds.

    Every form of the key in use (and of `scrub`) is removed from every
    server-provided string, so that a server or proxy that echoes the
    request's Authorization header cannot make the key appear in a message.
    `cut` is the size the body was cut at, if it was; `unreadable` says why
    the body could not be decoded, if it could not.
    """
    text = _redact.scrub(body.decode("utf-8", errors="replace"), also=scrub)
    problem: dict[str, Any] = {}
    try:
        parsed = json.loads(text) if text.strip() and not cut else None
    except (ValueError, RecursionError):  # not JSON, or nested beyond reading
        parsed = None
    if isinstance(parsed, dict):
        problem = parsed
    title = problem.get("title")
    detail = problem.get("detail")
    if not isinstance(title, str) or not title:
        title = reason or "Error"
    if not isinstance(detail, str):
        detail = None
    if unreadable:
        detail = f"the answer's body could not be decoded ({unreadable})"
    elif not problem and text.strip():
        what = f"the answer (over {cut // 1024} KiB, cut there)" if cut else "the answer"
        detail = f"{what} is not a problem document: {readable(text)}"
    elif not text.strip():
        detail = "the answer had an empty body"
    cls = error_class(status)
    return cls(
        status,
        title=title,
        detail=detail,
        type=problem.get("type") if isinstance(problem.get("type"), str) else None,
        instance=problem.get("instance") if isinstance(problem.get("instance"), str) else None,
        extensions={k: v for k, v in problem.items() if k not in _PROBLEM_MEMBERS},
        body=text,
        retry_after=parse_retry_after(headers.get("retry-after")),
    )
