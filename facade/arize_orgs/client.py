"""OrgClient and AsyncOrgClient: the only module that knows generated names.

Requests are built by the generated client (`_get_kwargs`: path, JSON body)
and successful answers parsed by its models; this module sends them through
its own httpx client so that every failure, including an error answer whose
body is not JSON (which makes the generated `*_detailed` calls raise a bare
JSONDecodeError and lose the answer), becomes one of `arize_orgs.errors`.

Generated enums are referred to by member (`OrganizationRole.READ_ONLY`),
never by wire spelling, so the live upper-case spec regenerates into a client
this module drives unchanged.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

import attrs
import httpx

from arize_orgs_api.api.organizations import add_organization_user
from arize_orgs_api.api.users import get_user, list_users
from arize_orgs_api.models import (
    AccountCustomRoleAssignmentType,
    AccountPredefinedRoleAssignment,
    AddOrganizationUserRequest,
    OrganizationCustomRoleAssignment,
    OrganizationCustomRoleAssignmentType,
    OrganizationMembership,
    OrganizationPredefinedRoleAssignment,
    OrganizationPredefinedRoleAssignmentType,
    OrganizationRole,
    UserList,
)
from arize_orgs_api.models import (
    AccountRole as WireAccountRole,
)
from arize_orgs_api.models import (
    User as WireUser,
)
from arize_orgs_api.types import UNSET

from . import _http
from .errors import (
    CUSTOM_ROLE_HINT,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    InvalidInputError,
    UnprocessableEntityError,
    from_response,
)
from .ids import check_email, check_id
from .roles import AccountRole, Role, _identifier, check_role

if TYPE_CHECKING:
    from .bulk import BulkResult, RowResult

__all__ = ["AsyncOrgClient", "Membership", "OrgClient", "User"]
# Bulk runs: requests in flight at once, unless told otherwise. Safe for an API
# that publishes no limit; --concurrency / concurrency= go faster.
DEFAULT_CONCURRENCY: Final = 8

log = logging.getLogger("arize_orgs")
T = TypeVar("T")
_PAGE: Final = 100


@attrs.frozen
class Membership:
    """A user's membership of an organization, as the server answered it.

    `role` is a Role. A predefined role this version does not know is kept,
    not refused: it is `Role.predefined(<server value>)`, whose `known` is
    False (see `arize_orgs.roles`).
    """

    id: str
    user_id: str
    organization_id: str
    role: Role


@attrs.frozen
class User:
    """An account user. `account_role` decides which organization roles the
    user may hold (the annotator rule)."""

    id: str
    email: str
    account_role: AccountRole | None
    name: str | None = None
    status: str | None = None
    is_developer: bool | None = None


# ---- between facade values and generated models --------------------------------

_PREDEFINED_TYPE: Final = OrganizationPredefinedRoleAssignmentType.PREDEFINED
_WIRE_ROLE: Final = {
    Role.predefined(m.name): OrganizationPredefinedRoleAssignment(type_=_PREDEFINED_TYPE, name=m)
    for m in OrganizationRole
}
_ROLE_OF: Final = {m: Role.predefined(m.name) for m in OrganizationRole}
_ACCOUNT_ROLE_OF: Final = {m: AccountRole.predefined(m.name) for m in WireAccountRole}


def _to_wire(role: Role) -> OrganizationPredefinedRoleAssignment | OrganizationCustomRoleAssignment:
    if role.is_custom:
        return OrganizationCustomRoleAssignment(
            type_=OrganizationCustomRoleAssignmentType.CUSTOM, id=role.id or ""
        )
    return _WIRE_ROLE[role]


def _is_custom(wire_type: object, enum: type[enum.Enum]) -> bool:
    """Whether a role object's `type` is the custom one, in any spelling
    ('CUSTOM' as served today, 'custom' as the seed page spells it)."""
    return isinstance(wire_type, str) and _identifier(wire_type) in enum.__members__


def _lenient_role(data: object, cls: type[Role] | type[AccountRole], custom: Any) -> Any:
    """A role from an answer the generated model refused: another spelling
    of the same values (the seed's 'read-only' for 'READ_ONLY'), or a role
    name added to the API after this version."""
    if not isinstance(data, Mapping):
        raise TypeError("role is not an object")
    label = data.get("name") if isinstance(data.get("name"), str) else None
    if _is_custom(data.get("type"), custom):
        if not isinstance(data.get("id"), str):
            raise TypeError("custom role without an id")
        return cls.custom(data["id"], label=label)
    if not label:
        raise TypeError("predefined role without a name")
    return cls.predefined(label)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise TypeError(f"{key!r} is missing or not a string")
    return value


def _membership(data: Any) -> Membership:
    if not isinstance(data, Mapping):
        raise TypeError("the body is not a JSON object")
    try:
        wire = OrganizationMembership.from_dict(data)
        if isinstance(wire.role, OrganizationPredefinedRoleAssignment):
            role = _ROLE_OF[wire.role.name]
        else:
            label = wire.role.name if isinstance(wire.role.name, str) else None
            role = Role.custom(wire.role.id, label=label)
    except (KeyError, ValueError, TypeError, AttributeError, InvalidInputError):
        role = _lenient_role(data.get("role"), Role, OrganizationCustomRoleAssignmentType)
    return Membership(
        _text(data, "id"), _text(data, "user_id"), _text(data, "organization_id"), role
    )


def _user(data: Any) -> User:
    if not isinstance(data, Mapping):
        raise TypeError("a user is not a JSON object")
    account_role: AccountRole | None
    try:
        wire = WireUser.from_dict(data)
        if isinstance(wire.role, AccountPredefinedRoleAssignment):
            account_role = _ACCOUNT_ROLE_OF[wire.role.name]
        else:
            account_role = AccountRole.custom(wire.role.id)
    except (KeyError, ValueError, TypeError, AttributeError, InvalidInputError):
        try:
            account_role = _lenient_role(
                data.get("role"), AccountRole, AccountCustomRoleAssignmentType
            )
        except TypeError:
            account_role = None
    status = data.get("status")
    developer = data.get("is_developer")
    return User(
        id=_text(data, "id"),
        email=_text(data, "email"),
        account_role=account_role,
        name=data.get("name") if isinstance(data.get("name"), str) else None,
        # The server's value, whatever its spelling: 'active' or 'ACTIVE'.
        status=status.lower() if isinstance(status, str) else None,
        is_developer=developer if isinstance(developer, bool) else None,
    )


def _user_page(data: Any) -> tuple[list[User], str | None]:
    try:
        page = UserList.from_dict(data)
        cursor = page.pagination.next_cursor
        more = page.pagination.has_more
    except (KeyError, ValueError, TypeError, AttributeError):
        if not isinstance(data, Mapping) or not isinstance(data.get("users"), list):
            raise TypeError("not a page of users") from None
        pagination = data.get("pagination") or {}
        cursor, more = pagination.get("next_cursor"), bool(pagination.get("has_more"))
    users = [_user(u) for u in data["users"]]
    next_cursor = cursor if more and isinstance(cursor, str) and cursor else None
    return users, next_cursor


def _pick(email: str, users: list[User]) -> User:
    """The one user whose email is exactly `email`, ignoring case."""
    exact = [u for u in users if u.email.casefold() == email.casefold()]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise InvalidInputError(
            f"no user has the email {email!r}; check the address, or invite the user first"
        )
    ids = ", ".join(u.id for u in exact)
    raise InvalidInputError(
        f"{len(exact)} users have the email {email!r} ({ids}); pass the user id instead"
    )


# ---- the clients ------------------------------------------------------------------


@attrs.frozen
class _AddCall:
    org_id: str
    user_id: str
    role: Role
    request: dict[str, Any]


def _explained(exc: UnprocessableEntityError, call: _AddCall) -> UnprocessableEntityError:
    return exc.with_hint(CUSTOM_ROLE_HINT) if call.role.is_custom else exc


class _BaseClient:
    _config: _http.Config
    _http: Any  # httpx.Client or httpx.AsyncClient, as the subclass makes it

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        verify: _http.Verify = True,
    ) -> None:
        self._config = _http.resolve(api_key, base_url, timeout, max_retries, verify)
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
        self, *, timeout: float | httpx.Timeout | None = None, max_retries: int | None = None
    ) -> Self:
        """A copy with other settings that shares this client's connections
        (close the original, not the copy)."""
        copy = object.__new__(type(self))
        copy._config = attrs.evolve(
            self._config,
            timeout=self._config.timeout if timeout is None else _http.as_timeout(timeout),
            max_retries=(
                self._config.max_retries
                if max_retries is None
                else _http.check_max_retries(max_retries)
            ),
        )
        copy._http = self._http
        copy._urls = self._urls
        return copy

    @staticmethod
    def _prepare_add(
        org_id: str, user_id: str, role: Role | str, account_role: AccountRole | str | None
    ) -> _AddCall:
        org = check_id(org_id, "organization")
        user = check_id(user_id, "user")
        wanted = Role.parse(role)
        if account_role is not None:
            check_role(account_role, wanted)
        body = AddOrganizationUserRequest(user_id=user, role=_to_wire(wanted))
        return _AddCall(org, user, wanted, add_organization_user._get_kwargs(org_id=org, body=body))

    @staticmethod
    def _check_account(user: User, role: Role) -> None:
        if user.account_role is None:
            raise APIResponseValidationError(
                200,
                f"the server did not say user {user.id}'s account role, so it cannot be checked",
            )
        check_role(user.account_role, role)

    @staticmethod
    def _list_request(email: str, cursor: str | None) -> dict[str, Any]:
        return list_users._get_kwargs(email=email, limit=_PAGE, cursor=cursor or UNSET)

    def _prepare(self, request: dict[str, Any]) -> dict[str, Any]:
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

    def _error(self, response: httpx.Response) -> APIStatusError:
        return from_response(
            response.status_code,
            response.reason_phrase,
            response.content,
            response.headers,
            scrub=self._config.api_key,
        )

    def _read(self, response: httpx.Response, parse: Callable[[Any], T]) -> T:
        try:
            return parse(response.json())
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            body = response.text.replace(self._config.api_key, "***")
            raise APIResponseValidationError(response.status_code, str(exc), body=body) from None

    def _check(self, response: httpx.Response) -> httpx.Response:
        log.debug(
            "%s %s -> %d", response.request.method, response.request.url, response.status_code
        )
        if not response.is_success:
            raise self._error(response)
        return response

    def _failed(self, exc: httpx.TransportError, request: Mapping[str, Any]) -> APIConnectionError:
        error = _http.transport_error(exc, request["method"].upper(), str(request["url"]))
        log.debug("%s", error)
        return error


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
    ) -> None:
        super().__init__(
            api_key, base_url=base_url, timeout=timeout, max_retries=max_retries, verify=verify
        )
        self._http = _http.sync_client(self._config, transport)

    def _send(self, generated: dict[str, Any]) -> httpx.Response:
        request = self._prepare(generated)

        def once() -> httpx.Response:
            try:
                response = self._http.request(**request, timeout=self._config.timeout)
            except httpx.TransportError as exc:
                raise self._failed(exc, request) from exc
            return self._check(response)

        return _http.with_retries(once, self._config.max_retries, _http.hook_for(self._config))

    def add_user(
        self,
        org_id: str,
        user_id: str,
        role: Role | str,
        *,
        account_role: AccountRole | str | None = None,
        check_account: bool = False,
    ) -> Membership:
        """Make `user_id` a member of `org_id` with `role` (an upsert: a member
        gets their role changed).

        With `account_role`, the annotator rule is checked before sending;
        with `check_account=True`, the user's account role is fetched first
        and checked. Raises InvalidInputError (nothing sent) or one of the
        API errors in `arize_orgs.errors`.
        """
        call = self._prepare_add(org_id, user_id, role, account_role)
        if check_account:
            self._check_account(self.get_user(call.user_id), call.role)
        try:
            response = self._send(call.request)
        except UnprocessableEntityError as exc:
            raise _explained(exc, call) from None
        return self._read(response, _membership)

    def get_user(self, user_id: str) -> User:
        """The account user with this id (including their account role)."""
        user = check_id(user_id, "user")
        return self._read(self._send(get_user._get_kwargs(user_id=user)), _user)

    def find_user(self, email: str) -> User:
        """The one user whose email is `email` (exact, ignoring case).

        Raises InvalidInputError if no user or several users have it."""
        email = check_email(email)
        found: list[User] = []
        cursor: str | None = None
        while True:
            users, cursor = self._read(self._send(self._list_request(email, cursor)), _user_page)
            found += users
            if cursor is None:
                return _pick(email, found)

    def add_users(
        self,
        org_id: str,
        rows: str | os.PathLike[str] | Iterable[Mapping[str, str]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        dry_run: bool = False,
        report: str | os.PathLike[str] | None = None,
        resume: str | os.PathLike[str] | None = None,
        keep_results: bool = True,
        on_result: Callable[[RowResult], None] | None = None,
    ) -> BulkResult:
        """Add many users: see AsyncOrgClient.add_users, which this runs on a
        private event loop (so it cannot be called from inside one)."""
        import asyncio

        async def run() -> BulkResult:
            async with AsyncOrgClient._from_config(self._config) as client:
                return await client.add_users(
                    org_id,
                    rows,
                    concurrency=concurrency,
                    rate=rate,
                    dry_run=dry_run,
                    report=report,
                    resume=resume,
                    keep_results=keep_results,
                    on_result=on_result,
                )

        return asyncio.run(run())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncOrgClient(_BaseClient):
    """OrgClient for asyncio: the same arguments, `async with`, `await`.

    async with AsyncOrgClient() as client:
        await client.add_user(org_id, user_id, "member")
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
    ) -> None:
        super().__init__(
            api_key, base_url=base_url, timeout=timeout, max_retries=max_retries, verify=verify
        )
        self._http = _http.async_client(self._config, transport)

    async def _send(self, generated: dict[str, Any]) -> httpx.Response:
        request = self._prepare(generated)

        async def once() -> httpx.Response:
            try:
                response = await self._http.request(**request, timeout=self._config.timeout)
            except httpx.TransportError as exc:
                raise self._failed(exc, request) from exc
            return self._check(response)

        return await _http.with_retries_async(
            once, self._config.max_retries, _http.hook_for(self._config)
        )

    async def add_user(
        self,
        org_id: str,
        user_id: str,
        role: Role | str,
        *,
        account_role: AccountRole | str | None = None,
        check_account: bool = False,
    ) -> Membership:
        """See OrgClient.add_user."""
        call = self._prepare_add(org_id, user_id, role, account_role)
        if check_account:
            self._check_account(await self.get_user(call.user_id), call.role)
        try:
            response = await self._send(call.request)
        except UnprocessableEntityError as exc:
            raise _explained(exc, call) from None
        return self._read(response, _membership)

    async def get_user(self, user_id: str) -> User:
        """See OrgClient.get_user."""
        user = check_id(user_id, "user")
        return self._read(await self._send(get_user._get_kwargs(user_id=user)), _user)

    async def find_user(self, email: str) -> User:
        """See OrgClient.find_user."""
        email = check_email(email)
        found: list[User] = []
        cursor: str | None = None
        while True:
            users, cursor = self._read(
                await self._send(self._list_request(email, cursor)), _user_page
            )
            found += users
            if cursor is None:
                return _pick(email, found)

    @classmethod
    def _from_config(cls, config: _http.Config) -> AsyncOrgClient:
        client = object.__new__(cls)
        client._config = config
        client._http = _http.async_client(config, None)
        client._urls = {}
        return client

    async def add_users(
        self,
        org_id: str,
        rows: str | os.PathLike[str] | Iterable[Mapping[str, str]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate: float | None = None,
        dry_run: bool = False,
        report: str | os.PathLike[str] | None = None,
        resume: str | os.PathLike[str] | None = None,
        keep_results: bool = True,
        on_result: Callable[[RowResult], None] | None = None,
    ) -> BulkResult:
        """Add many users to `org_id`; every row gets exactly one outcome.

        `rows` is a CSV or JSON Lines file (columns `user`, `role`, optional
        `account_role`; `user` an id or an email), `"-"` for standard input,
        or an iterable of such mappings. `concurrency` requests run at once;
        `rate` caps requests per second; 429s slow every worker down.
        `dry_run` checks every row and resolves emails but writes nothing.
        `report` appends one JSON object per row; `resume` skips the rows an
        earlier report has as `ok`. Returns a BulkResult: `summary` (counts
        by outcome, adding up to the rows read) and `results` (one RowResult
        per row, unless `keep_results=False`). See `arize_orgs.bulk`.
        """
        from .bulk import run  # the bulk engine loads on first use

        return await run(
            self,
            org_id,
            rows,
            concurrency=concurrency,
            rate=rate,
            dry_run=dry_run,
            report=report,
            resume=resume,
            keep_results=keep_results,
            on_result=on_result,
        )

    def _without_rate_limit_retries(self) -> AsyncOrgClient:
        copy = self.with_options()
        copy._config = attrs.evolve(copy._config, retry_rate_limits=False)
        return copy

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
