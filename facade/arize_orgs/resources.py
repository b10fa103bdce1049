"""The public surface, grouped by resource as openai-python groups it
(`client.organizations`, `client.spaces`, `client.users`, `client.roles`),
each method an `operation`: a flow of `operations` bound to a client's
driver. The sync and the async client share every line of it; what they
differ in is the driver (`Driven._run`): blocking, or a coroutine.

    class Spaces(Driven[D]):
        add_user = operation(space_ops.add_user)

is the whole cost of a method for both clients: its signature and
docstring are the flow's, its type (for mypy and editors) says `T` on a
sync client and `Awaitable[T]` on an async one.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    Final,
    Generic,
    ParamSpec,
    Self,
    TypeVar,
    overload,
)

import attrs

from . import _http
from ._flow import Flow
from .operations import Context, names
from .operations import organizations as org_ops
from .operations import roles as role_ops
from .operations import spaces as space_ops
from .operations import users as user_ops
from .records import InviteMode

if TYPE_CHECKING:
    from .bulk import BulkResult, Rate, RowResult

__all__ = [
    "Async",
    "BulkJob",
    "Driven",
    "Organizations",
    "Resources",
    "Roles",
    "Spaces",
    "Sync",
    "Users",
    "bulk_operation",
    "operation",
]

P = ParamSpec("P")
T = TypeVar("T")


class Sync:
    """The mark of a blocking driver."""


class Async:
    """The mark of a driver that returns coroutines."""


D = TypeVar("D", Sync, Async)


class Driven(Generic[D]):
    """Whatever runs flows: a client, or one of its resources."""

    _context: Context

    def _run(self, flow: Flow[Any]) -> Any:
        raise NotImplementedError  # pragma: no cover - the clients define it

    def _run_bulk(self, job: BulkJob) -> Any:
        raise NotImplementedError  # pragma: no cover - the clients define it


def _without_context(flow: Callable[..., Any]) -> inspect.Signature:
    """The flow's signature as a caller sees it: without its first
    parameter, the context its client passes."""
    signature = inspect.signature(flow)
    return signature.replace(
        parameters=list(signature.parameters.values())[1:],
        return_annotation=inspect.Signature.empty,  # T, or an awaitable of it
    )


class operation(Generic[P, T]):
    """A flow, as a method of whatever drives it."""

    def __init__(self, flow: Callable[Concatenate[Context, P], Flow[T]]) -> None:
        self._flow = flow
        self._signature = _without_context(flow)
        functools.update_wrapper(self, flow)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Driven[Sync], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: Driven[Async], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        flow, run, context = self._flow, obj._run, obj._context

        @functools.wraps(flow)
        def bound(*args: Any, **kwargs: Any) -> Any:
            return run(flow(context, *args, **kwargs))

        bound.__signature__ = self._signature  # type: ignore[attr-defined]
        return bound


Rows = str | os.PathLike[str] | Iterable[Mapping[str, str]]
DEFAULT_CONCURRENCY: Final = _http.DEFAULT_CONCURRENCY
DEFAULT_MAX_REMOVALS: Final = _http.DEFAULT_MAX_REMOVALS


@attrs.frozen
class BulkJob:
    """A bulk run, asked for and not started: what `add_users` was given."""

    org: str
    rows: Rows
    options: dict[str, Any]


def add_users(
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
) -> BulkJob:
    """Add many users to the organization `org_id` (an id or its name), and
    to its spaces; every row gets exactly one outcome.

    `rows` is a CSV or JSON Lines file (columns `user`, `role`, optional
    `account_role` and `space`; `user` an id or an email; `space` a space's
    id or name in this organization, empty for the organization itself),
    `"-"` for standard input, or an iterable of such mappings. A user's
    space rows are sent once their organization row (if the file has one)
    is answered, and not sent if it failed. `concurrency` requests run at
    once. `rate` caps the requests to each endpoint: "100/60" (Arize's
    published limit), a number per second, or a `Rate`; without it the run
    learns the server's limit from its 429s (waiting exactly what
    Retry-After says, or finding the window's turn without it). `dry_run`
    checks every row and resolves emails and names but writes nothing.
    `report` appends a header and one JSON object per row; `resume` skips
    the rows an earlier report of the same organization and server has as
    `ok`. Returns a BulkResult: `summary` (counts by outcome, adding up to
    the rows read; why the run stopped, if it stopped early) and `results`
    (one RowResult per row, unless `keep_results=False`). See
    `arize_orgs.bulk`.

    An optional `action` column says `add` (the default) or `remove`.
    Removal rows run only with `allow_remove=True`, and a file that would
    remove more than `max_removals` users is refused with InvalidInputError
    before any request. `invite=True` invites the add rows' emails that
    match no account first (`invite_mode` "email-link" or "none"), with the
    least account role their role needs.

    On OrgClient the requests go through the client's own connections and
    transport, `concurrency` threads at a time, driven by the bulk engine on
    a private event loop (so it cannot be called from inside a running one:
    EventLoopError).
    """
    options = {
        "concurrency": concurrency,
        "rate": rate,
        "dry_run": dry_run,
        "report": report,
        "resume": resume,
        "keep_results": keep_results,
        "on_result": on_result,
        "invite": invite,
        "invite_mode": invite_mode,
        "allow_remove": allow_remove,
        "max_removals": max_removals,
    }
    return BulkJob(org_id, rows, options)


class bulk_operation(Generic[P]):
    """A bulk run's signature, as a method of whatever drives it."""

    def __init__(self, make: Callable[P, BulkJob]) -> None:
        self._make = make
        functools.update_wrapper(self, make)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Driven[Sync], owner: type[Any]) -> Callable[P, BulkResult]: ...
    @overload
    def __get__(
        self, obj: Driven[Async], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, BulkResult]]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        make, run = self._make, obj._run_bulk

        @functools.wraps(make)
        def bound(*args: Any, **kwargs: Any) -> Any:
            return run(make(*args, **kwargs))

        return bound


class _Resource(Driven[D]):
    """A group of operations, driven by its client's driver."""

    def __init__(self, client: Driven[D]) -> None:
        self._context = client._context
        self._run = client._run  # type: ignore[method-assign]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._run.__self__!r}>"  # type: ignore[attr-defined]


class Organizations(_Resource[D]):
    """Organizations and their members: `add_user`, `remove_user`, `get`,
    `list`, and `resolve` (a name or an id to the organization it names:
    looked up once per client, nothing sent for an id)."""

    add_user = operation(org_ops.add_user)
    remove_user = operation(org_ops.remove_user)
    get = operation(org_ops.get_organization)
    list = operation(org_ops.list_organizations)
    resolve = operation(names.organization)


class Spaces(_Resource[D]):
    """Spaces and their members: `add_user`, `remove_user`, `get`, `list`,
    and `resolve` (a name or an id, within `org` if given, to the space it
    names, remembered like every name)."""

    add_user = operation(space_ops.add_user)
    remove_user = operation(space_ops.remove_user)
    get = operation(space_ops.get_space)
    list = operation(space_ops.list_spaces)
    resolve = operation(names.space)


class Users(_Resource[D]):
    """Account users: `get`, `find`, `list`, `invite`."""

    get = operation(user_ops.get_user)
    find = operation(user_ops.find_user)
    list = operation(user_ops.list_users)
    invite = operation(user_ops.invite_user)


class Roles(_Resource[D]):
    """The account's RBAC roles: `list`, `resolve`."""

    list = operation(role_ops.list_roles)
    resolve = operation(role_ops.resolve)


class Resources(Driven[D]):
    """What both clients have: the resources, and the shortcuts kept from
    the first versions (`client.add_user` is `client.organizations.add_user`)."""

    organizations: Organizations[D]
    spaces: Spaces[D]
    users: Users[D]
    roles: Roles[D]

    def _resources(self) -> None:
        self.organizations = Organizations(self)
        self.spaces = Spaces(self)
        self.users = Users(self)
        self.roles = Roles(self)

    add_user = operation(org_ops.add_user)
    remove_user = operation(org_ops.remove_user)
    invite_user = operation(user_ops.invite_user)
    get_user = operation(user_ops.get_user)
    find_user = operation(user_ops.find_user)
    list_users = operation(user_ops.list_users)
    add_users = bulk_operation(add_users)
