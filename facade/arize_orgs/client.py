"""OrgClient and AsyncOrgClient: check, send, read, raise.

Each call checks its input (ids, roles, the annotator rule when the account
role is known), has `_wire` build the request the generated client would
send, sends it through its own httpx client (so that every failure, including
an error answer whose body is not JSON, becomes one of `arize_orgs.errors`),
and has `_wire` read the answer into a facade value.

Copies (`with_options`, and the copy a bulk run works through) go through
the constructor like any client, with the original's configuration and its
connections: a copy keeps the transport, the pool and every setting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

import attrs
import httpx

from . import _body, _deadline, _http, _wire
from ._paging import PageGuard
from ._text import printable
from .errors import (
    CUSTOM_ROLE_HINT,
    REMOVE_HINT,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ArizeOrgsError,
    ClientClosedError,
    EventLoopError,
    InvalidInputError,
    NotFoundError,
    UnprocessableEntityError,
    from_response,
)
from .ids import MAX_EMAIL, check_display_name, check_email, check_id, email_key, is_email
from .records import InviteMode, Membership, User, UserPage, check_invite_mode
from .roles import AccountRole, Role, account_role_for, check_role

if TYPE_CHECKING:
    from .bulk import BulkResult, Rate, RowResult

__all__ = ["AsyncOrgClient", "Membership", "OrgClient", "User"]

log = logging.getLogger("arize_orgs")
T = TypeVar("T")
PAGE_SIZE: Final = 100  # the most GET /v2/users answers in one page
MAX_IDS_SHOWN: Final = 5  # ids of the users sharing an email that an error lists
DEFAULT_CONCURRENCY: Final = _http.DEFAULT_CONCURRENCY

Rows = str | os.PathLike[str] | Iterable[Mapping[str, str]]
DEFAULT_MAX_REMOVALS: Final = _http.DEFAULT_MAX_REMOVALS

# The event loop each AsyncOrgClient's connections were first used in, by
# those connections (an httpx.AsyncClient, shared with the client's copies).
_LOOPS: weakref.WeakKeyDictionary[httpx.AsyncClient, weakref.ref[asyncio.AbstractEventLoop]] = (
    weakref.WeakKeyDictionary()
)


@attrs.frozen
class _AddCall:
    """An add-user call, checked and built, not yet sent."""

    org_id: str
    user: str  # as given: an id, or an email to resolve first
    role: Role
    account_role: AccountRole | None


@attrs.frozen
class _Invitation:
    """An invitation, checked, not yet sent."""

    email: str
    name: str | None
    account_role: AccountRole
    mode: InviteMode


@contextlib.contextmanager
def _keeping(invited: User | None) -> Iterator[None]:
    """An error after an invitation carries the invited user (`.invited`):
    the invitation stands, and its temporary password, if any, would
    otherwise be lost with the error."""
    try:
        yield
    except ArizeOrgsError as exc:
        if invited is not None:
            exc.invited = invited
        raise
    except BaseException as exc:  # Ctrl-C: the caller may still keep the password
        if invited is not None:
            with contextlib.suppress(AttributeError):
                exc.invited = invited  # type: ignore[attr-defined]
        raise


@attrs.define
class _Matches:
    """The users whose email is exactly `email` (ignoring the case of ASCII
    letters), gathered page by page: the first few and how many in all, so
    that pages of other users, or of any number of matches, cost nothing
    kept."""

    email: str
    first: list[User] = attrs.field(factory=list)
    count: int = 0

    def add(self, users: Iterable[User]) -> None:
        key = email_key(self.email)
        for user in users:
            if email_key(user.email) == key:
                self.count += 1
                if len(self.first) < MAX_IDS_SHOWN:
                    self.first.append(user)

    def pick(self) -> User:
        """The one user with the email; InvalidInputError for none or more."""
        if self.count == 1:
            return self.first[0]
        if not self.count:
            raise InvalidInputError(
                f"no user has the email {self.email!r}; check the address, or invite the user "
                "first (add_user(..., invite=True), or --invite)"
            )
        ids = ", ".join(printable(u.id, 80) for u in self.first)
        if self.count > MAX_IDS_SHOWN:
            ids += f", and {self.count - MAX_IDS_SHOWN} more"
        raise InvalidInputError(
            f"{self.count} users have the email {self.email!r} ({ids}); pass the user id instead"
        )


def _list_args(
    email: str | None, cursor: str | None, limit: int
) -> tuple[str | None, str | None, int]:
    """GET /v2/users's arguments, checked: `email` a fragment of up to 255
    characters, `limit` 1 to 100."""
    if email is not None:
        if not isinstance(email, str) or not email.strip() or len(email.strip()) > MAX_EMAIL:
            raise InvalidInputError(
                f"email must be a non-empty text of at most {MAX_EMAIL} characters "
                "(a whole address or a part of one)"
            )
        email = email.strip()
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= PAGE_SIZE:
        raise InvalidInputError(
            f"limit must be a whole number from 1 to {PAGE_SIZE}, not {limit!r}"
        )
    if cursor is not None and not isinstance(cursor, str):
        raise InvalidInputError("cursor must be the next_cursor of an earlier page")
    return email, cursor, limit


class _Pages:
    """The paging of GET /v2/users, guarded against a server that would page
    for ever (see `_paging`)."""

    def __init__(self, email: str | None) -> None:
        self.email = email
        self.cursor: str | None = None
        self._guard = PageGuard()

    def advance(self, cursor: str | None) -> bool:
        """Whether there is another page."""
        self.cursor = self._guard.next(cursor)
        return self.cursor is not None


class _BaseClient:
    """What the sync and async clients share: configuration, checks,
    requests and reading answers. Nothing here does I/O."""

    def __init__(self, *, _config: _http.Config, _connection: Any) -> None:
        raise NotImplementedError  # pragma: no cover - each client has its own

    _config: _http.Config
    _http: Any  # httpx.Client or httpx.AsyncClient, as the subclass makes it
    _owns_http: bool

    def _setup(self, config: _http.Config, connection: Any, owns: bool) -> None:
        self._config = config
        self._http = connection
        self._owns_http = owns
        self._urls: dict[str, httpx.URL] = {}

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    def __repr__(self) -> str:
        # Never the key: see SECURITY.md.
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"max_retries={self.max_retries}, timeout={self.timeout.read})"
        )

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_rate_limits: bool | None = None,
    ) -> Self:
        """A copy with other settings that shares this client's connections
        and transport. Closing the copy leaves them open; close the original.

        `retry_rate_limits=False` hands every 429 back at once as
        RateLimitError instead of waiting and retrying, for callers that pace
        their requests themselves (as the bulk engine does); other failures
        are still retried."""
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = _http.as_timeout(timeout)
        if max_retries is not None:
            changes["max_retries"] = _http.check_max_retries(max_retries)
        if retry_rate_limits is not None:
            changes["retry_rate_limits"] = bool(retry_rate_limits)
        config = attrs.evolve(self._config, **changes)
        # The one way to make a client: through the constructor.
        return type(self)(_config=config, _connection=self._http)

    # ---- checks, made before anything is sent ----

    @staticmethod
    def _check_add(
        org_id: str, user: str, role: Role | str, account_role: AccountRole | str | None
    ) -> _AddCall:
        org = check_id(org_id, "organization")
        if isinstance(user, str) and is_email(user):
            who = check_email(user)
        else:
            who = check_id(user, "user", argument="user")
        wanted = Role.parse(role)
        account = None if account_role is None else AccountRole.parse(account_role)
        if account is not None:
            check_role(account, wanted)
        return _AddCall(org, who, wanted, account)

    @staticmethod
    def _check_found(found: User, call: _AddCall) -> None:
        """The annotator rule against the account role a look-up answered."""
        if found.account_role is None:
            raise APIResponseValidationError(
                200,
                f"the server did not say user {found.id}'s account role, so the annotator "
                "rule cannot be checked; pass account_role= if you know it",
                method="GET",
            )
        check_role(found.account_role, call.role)

    @staticmethod
    def _user_id(user_id: str) -> str:
        if isinstance(user_id, str) and is_email(user_id):
            raise InvalidInputError(
                f"{user_id.strip()[:80]!r} is an email address, not a user id; "
                "look the user up with find_user(email)"
            )
        return check_id(user_id, "user")

    @staticmethod
    def _check_remove(org_id: str, user: str) -> tuple[str, str]:
        org = check_id(org_id, "organization")
        if isinstance(user, str) and is_email(user):
            return org, check_email(user)
        return org, check_id(user, "user", argument="user")

    @staticmethod
    def _check_invite(
        email: str,
        name: str | None,
        account_role: AccountRole | str,
        invite_mode: InviteMode | str,
    ) -> _Invitation:
        address = check_email(email)
        if name is not None:
            name = check_display_name(name)
        account = AccountRole.parse(account_role)
        if not account.known:
            raise InvalidInputError(
                f"the account role {str(account)!r} is not known to this version of arize-orgs "
                "and cannot be sent; upgrade arize-orgs"
            )
        return _Invitation(address, name, account, check_invite_mode(invite_mode))

    @classmethod
    def _check_invitation(
        cls, call: _AddCall, invite: bool, name: str | None, invite_mode: InviteMode | str
    ) -> _Invitation | None:
        """add_user(invite=True): the invitation to send if the email matches
        no account. Its account role is the one given, else the least that
        the organization role allows (see roles.account_role_for). A user
        given by id has an account already: nothing to invite."""
        if not invite:
            return None
        account = call.account_role or account_role_for(call.role)
        if not is_email(call.user):
            cls._check_invite("someone@example.com", name, account, invite_mode)
            return None
        return cls._check_invite(call.user, name, account, invite_mode)

    # ---- sending and reading ----

    def _prepare(self, request: _wire.Request) -> dict[str, Any]:
        """The generated call's request, made cheaper to send: an absolute URL
        (httpx would otherwise merge and re-parse the path on every call; the
        add-user path is cached per organization) and no per-call Content-Type
        header (httpx sets application/json for a json= body itself)."""
        path = request["url"]
        url = self._urls.get(path)
        if url is None:
            url = httpx.URL(self._config.base_url + path)
            if request["method"] == "post":
                if len(self._urls) >= 256:
                    self._urls.clear()
                self._urls[path] = url
        prepared = {k: v for k, v in request.items() if k != "headers"}
        prepared["url"] = url
        return prepared

    def _check_open(self) -> None:
        if self._http.is_closed:
            raise ClientClosedError(
                f"this {type(self).__name__} is closed (or the client it was copied from is); "
                "nothing was sent: use the client inside its `with` block, or make a new one"
            )

    def _error(self, answer: _body.Answer) -> APIStatusError:
        return from_response(
            answer.status,
            answer.reason,
            answer.body,
            answer.headers,
            cut=answer.cut,
            unreadable=answer.unreadable,
        )

    def _read(self, answer: _body.Answer, parse: Callable[[Any], T]) -> T:
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

    def _invited(self, answer: _body.Answer, invitation: _Invitation) -> User:
        """The user an invitation answered. An answer that cannot be read
        may hold a temporary password, so the error made of it carries
        neither its text nor the original error (whose `body` has it)."""
        try:
            found = self._read(answer, _wire.invited_user)
        except APIResponseValidationError as exc:
            error = APIResponseValidationError(
                exc.status,
                "the answer is not an account user (its text is not kept: it may hold a "
                "temporary password); repeating the invitation is safe, the email is its key",
            )
        else:
            if email_key(found.email or "") != email_key(invitation.email):
                # Adding the user answered would add someone else (an upsert
                # can even demote an admin): nothing goes on from here.
                raise APIResponseValidationError(
                    answer.status,
                    f"the invitation of {invitation.email} was answered with another user "
                    f"({printable(str(found.email), 120)}, {found.id}); nothing more was sent: "
                    "check the server",
                    method=answer.method,
                )
            if invitation.mode == "temporary-password" and found.temporary_password is None:
                log.warning(
                    "no temporary password came back for %r: the email already had an "
                    "invitation, which Arize answers as it is, with no new password",
                    found.email,
                )
            return found
        raise error  # outside the except: the error keeps no trace of the answer

    def _check(self, answer: _body.Answer, request: Mapping[str, Any]) -> _body.Answer:
        log.debug("%s %s -> %d", answer.method, request["url"], answer.status)
        if not answer.is_success:
            raise self._error(answer)
        return answer

    def _failed(self, exc: httpx.TransportError, request: Mapping[str, Any]) -> APIConnectionError:
        error = _http.transport_error(
            exc, request["method"].upper(), str(request["url"]), self._config.attempt
        )
        log.debug("%s", error)
        return error

    def _expired(self, request: Mapping[str, Any]) -> APITimeoutError:
        error = _http.timed_out(
            request["method"].upper(),
            str(request["url"]),
            self._config.attempt,
            "the answer was still arriving at the deadline",
        )
        log.debug("%s", error)
        return error

    @staticmethod
    def _answered(membership: Membership, call: _AddCall, user_id: str) -> Membership:
        """The membership answered, once it is the one asked for. One of
        another user or organization is APIResponseValidationError: the
        answer is not about this request (a proxy or a server that answers
        wrongly), so the write cannot be taken as done. A role other than the
        one sent is the server's decision to report, not to hide: it is
        logged as a warning (the `arize_orgs` logger; the CLI prints it)."""
        if membership.user_id != user_id or membership.organization_id != call.org_id:
            raise APIResponseValidationError(
                200,
                f"the answer is the membership of user {membership.user_id!r} in organization "
                f"{membership.organization_id!r}, not of user {user_id} in organization "
                f"{call.org_id} as asked; whether the user was added is unknown: check the "
                "base URL, and repeat the call (it is safe)",
            )
        if membership.role != call.role:
            log.warning(
                "the server made user %s %s in organization %s, not %s as asked",
                user_id,
                printable(str(membership.role), 120),
                call.org_id,
                call.role,
            )
        return membership

    @staticmethod
    def _user_answered(answer: _body.Answer, user: User, user_id: str) -> User:
        """The user answered, once it is the one asked for: another user is
        APIResponseValidationError (like a membership of another user),
        never taken for this one (whose account role the annotator rule
        would be checked against)."""
        if user.id != user_id:
            raise APIResponseValidationError(
                answer.status,
                f"the answer is user {user.id!r}, not user {user_id} as asked; check the base URL",
                method=answer.method,
            )
        return user

    @staticmethod
    def _explained(exc: UnprocessableEntityError, call: _AddCall) -> UnprocessableEntityError:
        return exc.with_hint(CUSTOM_ROLE_HINT) if call.role.is_custom else exc

    @staticmethod
    def _bulk_options(**options: Any) -> Any:
        from .bulk import BulkOptions  # the bulk engine loads on first use

        return BulkOptions(**options)


class OrgClient(_BaseClient):
    """Adds users to Arize organizations, synchronously.

        with OrgClient() as client:    # ARIZE_API_KEY, ARIZE_BASE_URL
            client.add_user(org_id, user_id, "member")

    Arguments beat the environment. `timeout` is seconds (or an httpx.Timeout;
    default 30 s, 5 s to connect); `max_retries` (default 2, 0 disables)
    bounds the retries of failures that may be temporary; `verify` is httpx's
    TLS verification (turning it off logs a warning); `transport` replaces
    httpx's (for tests and proxies).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        verify: _http.Verify = True,
        transport: httpx.BaseTransport | None = None,
        _config: _http.Config | None = None,
        _connection: httpx.Client | None = None,
    ) -> None:
        config = _config or _http.resolve(api_key, base_url, timeout, max_retries, verify)
        connection = _connection or _http.sync_client(config, transport)
        self._setup(config, connection, owns=_connection is None)

    def _send(self, generated: _wire.Request) -> _body.Answer:
        self._check_open()
        request = self._prepare(generated)
        return _http.with_retries(partial(self._attempt, request), self._config)

    def _attempt(self, request: dict[str, Any], deadline: float) -> _body.Answer:
        """One attempt, over by `deadline`: see `_deadline` and `_body`."""
        token = _deadline.enter(deadline)
        try:
            sent = self._http.build_request(**request, timeout=self._config.timeout)
            answer = _body.read(self._http.send(sent, stream=True), deadline)
        except httpx.TransportError as exc:
            # from None: httpx's own message may quote the server; ours
            # carries it scrubbed.
            raise self._failed(exc, request) from None
        except _body.Expired:
            raise self._expired(request) from None
        finally:
            _deadline.leave(token)
        return self._check(answer, request)

    def add_user(
        self,
        org_id: str,
        user: str,
        role: Role | str,
        *,
        account_role: AccountRole | str | None = None,
        check_account: bool = False,
        invite: bool = False,
        name: str | None = None,
        invite_mode: InviteMode | str = "email-link",
    ) -> Membership:
        """Make `user` a member of `org_id` with `role` (an upsert: a member
        gets their role changed).

        `user` is a user id, or an email address: then the one user with
        exactly that email is looked up first, and the annotator rule is
        checked against the account role the look-up answers. With
        `account_role`, the rule is checked before anything is sent; with
        `check_account=True`, a user given by id is fetched first and checked.

        `invite=True`: an email that matches no account is invited first
        (see `invite_user`; `name` and `invite_mode` go to it), with
        `account_role` if given, else `annotator` for the annotator role and
        `member` for any other, so the annotator rule holds by construction.
        The membership's `invited` is then the invited user (with its
        temporary password, if one was asked for).

        Raises InvalidInputError (nothing sent) or one of the API errors in
        `arize_orgs.errors`.
        """
        call = self._check_add(org_id, user, role, account_role)
        invitation = self._check_invitation(call, invite, name, invite_mode)
        if not is_email(call.user):
            if check_account:
                self._check_found(self.get_user(call.user), call)
            return self._add(call, call.user)
        found, invited = self._found_or_invited(call.user, invitation)
        with _keeping(invited):
            self._check_found(found, call)
            membership = self._add(call, found.id)
        return membership if invited is None else attrs.evolve(membership, invited=invited)

    def _add(self, call: _AddCall, user_id: str) -> Membership:
        try:
            answer = self._send(_wire.add_request(call.org_id, user_id, call.role))
        except UnprocessableEntityError as exc:
            raise self._explained(exc, call) from None
        return self._answered(self._read(answer, _wire.membership), call, user_id)

    def _found_or_invited(
        self, email: str, invitation: _Invitation | None
    ) -> tuple[User, User | None]:
        """The one user with this email, and None; or, when none has it and
        an invitation is given, the user it created, twice."""
        matches = self._matches(email)
        if not matches.count and invitation is not None:
            invited = self._invite(invitation)
            return invited, invited
        return matches.pick(), None

    def _matches(self, email: str) -> _Matches:
        """The users whose email is exactly `email` (ignoring case), all
        pages read; only they are kept."""
        found = _Matches(email)
        pages = _Pages(email)
        while True:
            page = self.list_users(email, cursor=pages.cursor)
            found.add(page.users)
            if not pages.advance(page.next_cursor):
                return found

    def invite_user(
        self,
        email: str,
        *,
        name: str | None = None,
        account_role: AccountRole | str = AccountRole.MEMBER,
        invite_mode: InviteMode | str = "email-link",
    ) -> User:
        """Invite a person to the account (POST /v2/users) and return their
        account user.

        The email is the invitation's key: a new one makes a user (201); one
        that already belongs to an invited user answers that user as it is
        (200; nothing changes, no second email), which is why repeating an
        invitation, and so retrying one, is safe. An email of an active
        account raises ConflictError (409): add that user instead.

        `invite_mode`: "email-link" emails them a link, "none" sends nothing
        (single sign-on), "temporary-password" has the server make a password,
        returned once as the user's `temporary_password` (a `Secret`: call
        `.reveal()` and hand it on safely; nothing of arize-orgs ever shows it).
        An invitation answered 200 carries no password (a warning is logged).
        `account_role` is checked like any account role; `name` is the
        person's display name (the server picks one when None).
        """
        return self._invite(self._check_invite(email, name, account_role, invite_mode))

    def _invite(self, invitation: _Invitation) -> User:
        request = _wire.invite_request(
            invitation.email, invitation.name, invitation.account_role, invitation.mode
        )
        return self._invited(self._send(request), invitation)

    def remove_user(self, org_id: str, user: str) -> str:
        """Remove `user` from `org_id` and from every space in it; return the
        id of the user removed. The account stays: adding them again undoes it.

        `user` is a user id, or an email (looked up first: exactly one user
        must have it). Removing is idempotent in effect (after one call or
        several the user is not a member), so retries are safe; a repeat,
        or a retry whose first attempt was carried out but whose answer was
        lost, is answered 404 (NotFoundError), as is an unknown organization
        or user or one who is not a member.
        """
        org, who = self._check_remove(org_id, user)
        user_id = self.find_user(who).id if is_email(who) else who
        try:
            self._send(_wire.remove_request(org, user_id))
        except NotFoundError as exc:
            raise exc.with_hint(REMOVE_HINT) from None
        return user_id

    def get_user(self, user_id: str) -> User:
        """The account user with this id (including their account role)."""
        wanted = self._user_id(user_id)
        answer = self._send(_wire.get_user_request(wanted))
        return self._user_answered(answer, self._read(answer, _wire.user), wanted)

    def find_user(self, email: str) -> User:
        """The one user whose email is `email` (exact, ignoring case).

        Raises InvalidInputError if no user or several users have it."""
        return self._matches(check_email(email)).pick()

    def list_users(
        self, email: str | None = None, *, cursor: str | None = None, limit: int = PAGE_SIZE
    ) -> UserPage:
        """One page of account users (GET /v2/users): all of them, or those
        whose email contains `email` (ignoring case); pass the page's
        `next_cursor` back as `cursor` for the next. Each user carries their
        account role."""
        request = _wire.list_users_request(*_list_args(email, cursor, limit))
        return self._read(self._send(request), _wire.user_page)

    def add_users(
        self,
        org_id: str,
        rows: Rows,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: Rate | str | float | None = None,
        dry_run: bool = False,
        report: str | os.PathLike[str] | None = None,
        resume: str | os.PathLike[str] | None = None,
        keep_results: bool = True,
        on_result: Callable[[RowResult], None] | None = None,
        invite: bool = False,
        invite_mode: InviteMode | str = "email-link",
        allow_remove: bool = False,
        max_removals: int = DEFAULT_MAX_REMOVALS,
    ) -> BulkResult:
        """Add many users: see AsyncOrgClient.add_users. The requests go
        through this client's own connections and transport, `concurrency`
        threads at a time, driven by the bulk engine on a private event loop
        (so this cannot be called from inside a running one: EventLoopError)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # none running: the usual case
            pass
        else:
            # Checked before anything is made: no coroutine is left unawaited.
            raise EventLoopError(
                "OrgClient.add_users runs an event loop of its own, and cannot be called from "
                "code already running in one (a notebook, an async function); nothing was sent: "
                "there, use AsyncOrgClient and `await client.add_users(...)`"
            )
        from .bulk import run_bulk

        self._check_open()  # else every row would fail alike, and the run go on

        options = self._bulk_options(
            concurrency=concurrency,
            rate=rate,
            dry_run=dry_run,
            report=report,
            resume=resume,
            keep_results=keep_results,
            on_result=on_result,
            invite=invite,
            invite_mode=invite_mode,
            allow_remove=allow_remove,
            max_removals=max_removals,
            retries=self.max_retries,
        )

        async def run() -> BulkResult:
            with _InThreads(
                # Retries go through the run's pacing, not the client's own.
                self.with_options(retry_rate_limits=False, max_retries=0),
                options.concurrency,
            ) as client:
                return await run_bulk(client, org_id, rows, options)

        return asyncio.run(run())

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _InThreads:
    """A sync client as the bulk engine wants one (awaitable calls): each
    call runs on a thread of its own pool, through the client's own
    connections and transport."""

    def __init__(self, client: OrgClient, threads: int) -> None:
        self._client = client
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="arize-orgs-bulk")

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(fn, *args))

    async def add_user(self, org_id: str, user: str, role: Role) -> Membership:
        return await self._run(self._client.add_user, org_id, user, role)

    async def find_user(self, email: str) -> User:
        return await self._run(self._client.find_user, email)

    async def remove_user(self, org_id: str, user: str) -> str:
        return await self._run(self._client.remove_user, org_id, user)

    async def invite_user(
        self,
        email: str,
        *,
        name: str | None = None,
        account_role: AccountRole | str = AccountRole.MEMBER,
        invite_mode: InviteMode | str = "email-link",
    ) -> User:
        return await self._run(
            partial(
                self._client.invite_user,
                email,
                name=name,
                account_role=account_role,
                invite_mode=invite_mode,
            )
        )

    async def list_users(
        self, email: str | None = None, *, cursor: str | None = None, limit: int = PAGE_SIZE
    ) -> UserPage:
        return await self._run(partial(self._client.list_users, email, cursor=cursor, limit=limit))

    @property
    def base_url(self) -> str:
        return self._client.base_url

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class AsyncOrgClient(_BaseClient):
    """OrgClient for asyncio: the same arguments, `async with`, `await`.

    async with AsyncOrgClient() as client:
        await client.add_user(org_id, user_id, "member")

    A client belongs to the event loop of its first call, as its connections
    do: make one per `asyncio.run()`. Using it (or a copy) from another loop
    raises EventLoopError, and sends nothing.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        verify: _http.Verify = True,
        transport: httpx.AsyncBaseTransport | None = None,
        _config: _http.Config | None = None,
        _connection: httpx.AsyncClient | None = None,
    ) -> None:
        config = _config or _http.resolve(api_key, base_url, timeout, max_retries, verify)
        connection = _connection or _http.async_client(config, transport)
        self._setup(config, connection, owns=_connection is None)

    async def _send(self, generated: _wire.Request) -> _body.Answer:
        self._check_open()
        self._check_loop()
        request = self._prepare(generated)
        return await _http.with_retries_async(partial(self._attempt, request), self._config)

    def _check_loop(self) -> None:
        """EventLoopError if these connections were first used in another
        event loop: they belong to it (httpx would fail with "Event loop is
        closed", or hang on a loop that is not running)."""
        loop = asyncio.get_running_loop()
        first = _LOOPS.setdefault(self._http, weakref.ref(loop))
        if first() is not loop:
            raise EventLoopError(
                "this AsyncOrgClient (or the client it was copied from) was first used in another "
                "event loop, such as an earlier asyncio.run(), and its connections belong to that "
                "loop; nothing was sent: make one AsyncOrgClient per asyncio.run(), inside it "
                "(`async with AsyncOrgClient() as client:`)"
            )

    async def _attempt(self, request: dict[str, Any], deadline: float) -> _body.Answer:
        """One attempt, cancelled at `deadline` wherever it is."""
        left = None if deadline == math.inf else deadline - time.monotonic()
        try:
            async with asyncio.timeout(left):
                sent = self._http.build_request(**request, timeout=self._config.timeout)
                answer = await _body.aread(await self._http.send(sent, stream=True))
        except httpx.TransportError as exc:
            raise self._failed(exc, request) from None
        except TimeoutError:
            raise self._expired(request) from None
        return self._check(answer, request)

    async def add_user(
        self,
        org_id: str,
        user: str,
        role: Role | str,
        *,
        account_role: AccountRole | str | None = None,
        check_account: bool = False,
        invite: bool = False,
        name: str | None = None,
        invite_mode: InviteMode | str = "email-link",
    ) -> Membership:
        """See OrgClient.add_user."""
        call = self._check_add(org_id, user, role, account_role)
        invitation = self._check_invitation(call, invite, name, invite_mode)
        if not is_email(call.user):
            if check_account:
                self._check_found(await self.get_user(call.user), call)
            return await self._add(call, call.user)
        found, invited = await self._found_or_invited(call.user, invitation)
        with _keeping(invited):
            self._check_found(found, call)
            membership = await self._add(call, found.id)
        return membership if invited is None else attrs.evolve(membership, invited=invited)

    async def _add(self, call: _AddCall, user_id: str) -> Membership:
        try:
            answer = await self._send(_wire.add_request(call.org_id, user_id, call.role))
        except UnprocessableEntityError as exc:
            raise self._explained(exc, call) from None
        return self._answered(self._read(answer, _wire.membership), call, user_id)

    async def _found_or_invited(
        self, email: str, invitation: _Invitation | None
    ) -> tuple[User, User | None]:
        """See OrgClient._found_or_invited."""
        matches = await self._matches(email)
        if not matches.count and invitation is not None:
            invited = await self._invite(invitation)
            return invited, invited
        return matches.pick(), None

    async def _matches(self, email: str) -> _Matches:
        """See OrgClient._matches."""
        found = _Matches(email)
        pages = _Pages(email)
        while True:
            page = await self.list_users(email, cursor=pages.cursor)
            found.add(page.users)
            if not pages.advance(page.next_cursor):
                return found

    async def invite_user(
        self,
        email: str,
        *,
        name: str | None = None,
        account_role: AccountRole | str = AccountRole.MEMBER,
        invite_mode: InviteMode | str = "email-link",
    ) -> User:
        """See OrgClient.invite_user."""
        return await self._invite(self._check_invite(email, name, account_role, invite_mode))

    async def _invite(self, invitation: _Invitation) -> User:
        request = _wire.invite_request(
            invitation.email, invitation.name, invitation.account_role, invitation.mode
        )
        return self._invited(await self._send(request), invitation)

    async def remove_user(self, org_id: str, user: str) -> str:
        """See OrgClient.remove_user."""
        org, who = self._check_remove(org_id, user)
        user_id = (await self.find_user(who)).id if is_email(who) else who
        try:
            await self._send(_wire.remove_request(org, user_id))
        except NotFoundError as exc:
            raise exc.with_hint(REMOVE_HINT) from None
        return user_id

    async def get_user(self, user_id: str) -> User:
        """See OrgClient.get_user."""
        wanted = self._user_id(user_id)
        answer = await self._send(_wire.get_user_request(wanted))
        return self._user_answered(answer, self._read(answer, _wire.user), wanted)

    async def find_user(self, email: str) -> User:
        """See OrgClient.find_user."""
        return (await self._matches(check_email(email))).pick()

    async def list_users(
        self, email: str | None = None, *, cursor: str | None = None, limit: int = PAGE_SIZE
    ) -> UserPage:
        """See OrgClient.list_users."""
        request = _wire.list_users_request(*_list_args(email, cursor, limit))
        return self._read(await self._send(request), _wire.user_page)

    async def add_users(
        self,
        org_id: str,
        rows: Rows,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: Rate | str | float | None = None,
        dry_run: bool = False,
        report: str | os.PathLike[str] | None = None,
        resume: str | os.PathLike[str] | None = None,
        keep_results: bool = True,
        on_result: Callable[[RowResult], None] | None = None,
        invite: bool = False,
        invite_mode: InviteMode | str = "email-link",
        allow_remove: bool = False,
        max_removals: int = DEFAULT_MAX_REMOVALS,
    ) -> BulkResult:
        """Add many users to `org_id`; every row gets exactly one outcome.

        `rows` is a CSV or JSON Lines file (columns `user`, `role`, optional
        `account_role`; `user` an id or an email), `"-"` for standard input,
        or an iterable of such mappings. `concurrency` requests run at once.
        `rate` caps the requests to each endpoint: "100/60" (Arize's published
        limit), a number per second, or a `Rate`; without it the run learns
        the server's limit from its 429s (waiting exactly what Retry-After
        says, or finding the window's turn without it). `dry_run` checks
        every row and resolves emails but writes nothing. `report` appends a
        header and one JSON object per row; `resume` skips the rows an
        earlier report of the same organization and server has as `ok`.
        Returns a BulkResult: `summary` (counts by outcome, adding up to the
        rows read; why the run stopped, if it stopped early) and `results`
        (one RowResult per row, unless `keep_results=False`). See
        `arize_orgs.bulk`.

        An optional `action` column says `add` (the default) or `remove`.
        Removal rows run only with `allow_remove=True`, and a file that
        would remove more than `max_removals` users is refused with
        InvalidInputError before any request. `invite=True` invites the add
        rows' emails that match no account first (`invite_mode` "email-link"
        or "none"), with the least account role their role needs.
        """
        from .bulk import run_bulk

        self._check_open()  # else every row would fail alike, and the run go on

        options = self._bulk_options(
            concurrency=concurrency,
            rate=rate,
            dry_run=dry_run,
            report=report,
            resume=resume,
            keep_results=keep_results,
            on_result=on_result,
            invite=invite,
            invite_mode=invite_mode,
            allow_remove=allow_remove,
            max_removals=max_removals,
            retries=self.max_retries,
        )
        # The copy shares this client's connections; its 429s go to the
        # engine's shared pacing instead of being retried per request.
        # Retries go through the run's pacing, not the client's own.
        paced = self.with_options(retry_rate_limits=False, max_retries=0)
        return await run_bulk(paced, org_id, rows, options)

    async def aclose(self) -> None:
        if not self._owns_http:
            return
        first = _LOOPS.get(self._http)
        if first is None or first() is asyncio.get_running_loop():
            await self._http.aclose()
            return
        # Closed from another event loop than its connections': they cannot
        # be closed from here (their loop may be closed too). The client is
        # marked closed all the same, and the connections are let go.
        with contextlib.suppress(RuntimeError):
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
