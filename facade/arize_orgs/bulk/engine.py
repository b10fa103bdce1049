"""The bulk engine: rows in, exactly one outcome per row out, whatever happens.

How a run goes:

1. Before any request: the report is checked and opened (see `report.py`),
   a report to resume from is checked against this run, and the file is
   read once to plan (rows are checked locally and each distinct user noted,
   see `plan.py`).
2. The emails are resolved the cheaper way (see `lookup.py`). A dry run
   with no emails checks the key with one `GET /v2/users?limit=1`.
3. The file is read again and each row gets its outcome. Rows to send go to
   `concurrency` workers.

Rows add (the default) or, with `action` `remove`, remove. Removal rows run
only with `allow_remove`, and a file that removes more than `max_removals`
users is refused in step 1, before any request: a wrong file must not empty
an organization. With `invite`, an add row whose email matches no account
invites it first (account role: the row's, else the least the organization
role allows), then adds the user. Each of the four endpoints (add, remove,
invite, list users) has its own gate, as Arize counts each apart.

The first request to each endpoint goes alone, the others wait for its
answer: a dead key, or an unknown organization, costs one request.

Every request goes through the `Gate` of its endpoint (see `pacing.py`): a
429 closes the gate until the window turns and the refused request is sent
again; it never fails a row while its retries (`MAX_REFUSALS`) remain. The
client the engine is given retries nothing itself (its copy has
`max_retries=0` and `retry_rate_limits=False`): the engine retries a 5xx of
`RETRY_STATUSES` and a connection failure up to `options.retries` times (the
client's `max_retries`), each retry through the gate again, after a
back-off (what a 5xx's Retry-After asks, up to a minute). An answer that means no
row can succeed (401; 403 to a write; 404 naming the organization; a
Retry-After longer than `MAX_WAIT`) stops the run: no worker sends after it,
so at most `concurrency` requests were in flight, and every row not sent is
`not_attempted`. An unexpected exception fails its row, not the run. A report
that cannot be written stops the run cleanly.

The engine works through any `BulkClient`: something that sends one
`_wire.Call` and returns its answer. Every row's work is a flow of
`operations` (the same the clients run), driven here with a send that paces
each request by its endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final, Protocol, TypeVar

import attrs

from .. import _wire
from .._body import Answer
from .._flow import Flow, run_async
from .._http import RETRY_STATUSES
from .._text import printable
from ..errors import (
    APIConnectionError,
    APIStatusError,
    ArizeOrgsError,
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from ..ids import check_email, check_id, check_name, is_email, is_id
from ..operations import Context, names, organizations, users
from ..operations import spaces as space_ops
from ..records import Membership, Space, SpaceMembership, UserPage
from ..roles import AccountRole, Role, account_role_for, check_role
from .lookup import Found, Resolver
from .options import BulkOptions
from .pacing import Gate, Pacing, loop_time
from .plan import REMOVE, Decision, Plan
from .report import (
    ReportError,
    ReportWriter,
    RunIdentity,
    check_report_path,
    check_resume_path,
    read_done,
)
from .results import BulkResult, Outcome, RowResult, Summary
from .rows import BadRow, InputRow, RowSource

__all__ = [
    "ADD_USER",
    "INVITE_USER",
    "LIST_USERS",
    "REMOVE_USER",
    "BulkClient",
    "BulkRun",
    "run_bulk",
]

T = TypeVar("T")
ADD_USER: Final = _wire.ADD_USER
LIST_USERS: Final = _wire.LIST_USERS
INVITE_USER: Final = _wire.INVITE_USER
REMOVE_USER: Final = _wire.REMOVE_USER
MAX_REFUSALS: Final = 50  # 429s one request may meet before its row fails
MAX_WAIT: Final = 900.0  # seconds: a longer Retry-After stops the run (re-run later)
# Seconds an aborted run spends reporting its unsent rows: within the two
# seconds a second Ctrl-C promises, and enough for about 10^5 rows.
ABORT_FLUSH: Final = 1.0
Rows = str | os.PathLike[str] | Iterable[Mapping[str, str]]


class BulkClient(Protocol):
    """What the engine needs of a client: where it sends, the context whose
    names it shares, and one request sent (a status error raised as the
    client raises it, nothing retried)."""

    @property
    def base_url(self) -> str: ...

    @property
    def context(self) -> Context: ...

    async def send(self, call: _wire.Call) -> Answer: ...


class RunStopped(Exception):
    """The run stops: `reason` says why, in words for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen
class _Job:
    row: InputRow
    role: Role | None  # None for a removal; a custom role by name is resolved
    user_id: str | None  # None for an email to invite first (or invited by `after`)
    repeated: bool  # other rows repeat this one: they take its outcome
    invite: bool = False
    space_id: str | None = None  # a space row's space; None for the organization
    after: int | None = None  # the line of the organization add to wait for
    planned: RowResult | None = None  # a dry run's outcome, once `after` allows it
    label: str = ""  # the role as the file gave it (a custom role's name, not its id)

    def base(self, outcome: Outcome, user_id: str | None = None) -> RowResult:
        """The row's result, before what its request tells."""
        row = self.row
        return RowResult(
            row.line,
            row.user,
            self.label,
            outcome,
            user_id or self.user_id,
            action=row.action,
            space=row.space,
            space_id=self.space_id,
        )


def _backoff(failures: int, exc: ArizeOrgsError) -> float:
    """Seconds before the `failures`-th retry: what a 5xx's Retry-After asks
    (up to a minute), else exponential from half a second, jittered."""
    asked = getattr(exc, "retry_after", None)
    if asked is not None and 0 < asked <= 60:
        return float(asked)
    seconds: float = min(8.0, 0.5 * 2 ** (failures - 1)) * random.uniform(0.5, 1.0)  # noqa: S311
    return seconds


def _not_a_member(exc: NotFoundError) -> bool:
    """Whether a 404 to a removal says the user is not a member (rather
    than that the organization or the user does not exist)."""
    return "member" in f"{exc.title} {exc.detail or ''}".lower()


def _local_check(row: InputRow) -> Role | None:
    """The row's role (None for a removal, which takes none), once
    everything that can be checked locally is; raises InvalidInputError."""
    role = None if row.action == "remove" else Role.parse(row.role)
    if row.account_role and role is not None:
        check_role(AccountRole.parse(row.account_role), role)
    if is_email(row.user):
        check_email(row.user)
    else:
        check_id(row.user, "user", argument="user")
    return role


def _noted(role: Role | None) -> str:
    """The role a row is planned with: a removal's is plan.REMOVE."""
    return REMOVE if role is None else str(role)


def _shown(role: Role | None) -> str:
    """The role a row's result carries: none for a removal."""
    return "" if role is None else str(role)


def _invite_role(row: InputRow, role: Role) -> AccountRole:
    """The account role an invitation for `row` asks for: the row's, else
    the least that its organization role allows."""
    return AccountRole.parse(row.account_role) if row.account_role else account_role_for(role)


def _detail(exc: BaseException) -> str:
    if isinstance(exc, APIStatusError) and exc.detail:
        return exc.detail
    return str(exc) or type(exc).__name__


class BulkRun:
    """One run of the engine over `source`, for `org_id`.

    `stop()` ends it cleanly: requests in flight finish, every other row is
    `not_attempted`. `abort()` ends it at once: requests in flight are
    abandoned (their rows `failed`, since the write may have happened), and
    the rows not sent are reported `not_attempted` for up to ABORT_FLUSH
    seconds; rows beyond that (a huge file) are only counted.
    """

    def __init__(
        self, client: BulkClient, org_id: str, source: RowSource, options: BulkOptions
    ) -> None:
        self.client = client
        self.context = client.context
        # An id is checked now; a name is resolved when the run starts.
        self.org = org_id
        self.org_id = (
            check_id(org_id, "organization")
            if is_id(org_id)
            else check_name(org_id, "an organization's name")
        )
        self.source = source
        self.options = options
        # The event loop's clock: tests run the engine on a loop whose time
        # is virtual (looptime), and every wait follows it.
        self.pacing = Pacing(options.rate, clock=loop_time, sleep=self._nap)
        self.summary = Summary(dry_run=options.dry_run)
        self.results: list[RowResult] = []
        self.planned = 0
        self._emitted = 0
        self._stopping = False
        self._aborted = False
        self._callback_failed = False
        self._flush_until = math.inf
        self._wake: asyncio.Event | None = None
        self._in_flight: set[asyncio.Future[Any]] = set()
        self._first: dict[str, asyncio.Event] = {}
        self._report: ReportWriter | None = None
        # The outcome of a repeated user's first row, and the repeats waiting
        # for it: first line -> result / [rows].
        self._settled: dict[int, RowResult] = {}
        self._waiting: dict[int, list[RowResult]] = {}
        # Names the file uses, resolved once before the rows: a space (name
        # or id) -> the space, or why it is not one; a custom role's name ->
        # the role with its id, or why not.
        self._spaces: dict[str, Space | str] = {}
        self._roles: dict[str, Role | str] = {}
        self._role_names: dict[str, Role] = {}
        # Space rows wait for their user's organization add: the lines of
        # those adds, their outcomes once known, and who waits for them.
        self._awaited: set[int] = set()
        self._org_results: dict[int, RowResult] = {}
        self._org_waits: dict[int, asyncio.Event] = {}
        self._deferred: list[_Job] = []

    # ---- control ----

    def stop(self, reason: str | None = None) -> None:
        """Send nothing more; rows not sent end `not_attempted`."""
        if not self._stopping:
            self._stopping = True
            if reason is None:
                self.summary.interrupted = True
            elif self.summary.stopped is None:
                self.summary.stopped = reason
            if self._wake is not None:
                self._wake.set()  # workers waiting at a gate give up their rows

    @property
    def stopping(self) -> bool:
        return self._stopping

    @property
    def aborted(self) -> bool:
        return self._aborted

    def abort(self) -> None:
        """Stop at once, not waiting for the requests in flight."""
        self.stop()
        self._aborted = True
        # Wall time, not the loop's: it bounds how long the user waits.
        self._flush_until = time.monotonic() + ABORT_FLUSH
        for request in list(self._in_flight):
            request.cancel()

    async def _nap(self, seconds: float) -> None:
        """A gate's wait: cut short, raising RunStopped, when the run stops
        (a Ctrl-C during a long Retry-After or a slow --rate ends the wait,
        and the waiting rows are not attempted)."""
        if self._wake is None:
            self._wake = asyncio.Event()
        if not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        if self._stopping:
            raise RunStopped(self.summary.stopped or "interrupted")

    @property
    def write_rate(self) -> float | None:
        """Writes per second the server allows, as far as the run knows."""
        gate = self.pacing.gates.get(ADD_USER)
        if gate is not None:
            return gate.known_rate
        return self.options.rate.per_second if self.options.rate else None

    # ---- results ----

    def _emit(self, result: RowResult) -> None:
        self._emitted += 1
        self.summary.counts[result.outcome] += 1
        if result.invited and result.outcome in ("ok", "failed", "would_send"):
            self.summary.invited += 1
        if result.action == "remove" and result.outcome in ("ok", "would_send"):
            self.summary.removed += 1
        if self._report is not None:
            try:
                self._report.write(result)
            except ReportError as exc:
                self._report = None
                self.stop(f"{exc.strerror}; the run stopped")
        if self.options.keep_results:
            self.results.append(result)
        if result.line in self._awaited and not result.space:
            self._org_results[result.line] = result
            waiting = self._org_waits.pop(result.line, None)
            if waiting is not None:
                waiting.set()
        if self.options.on_result is not None and not self._callback_failed:
            try:
                self.options.on_result(result)
            except Exception as exc:
                # A worker must not die of it (the run would hang): the row
                # stands, and the run stops, saying why.
                self._callback_failed = True
                self.stop(
                    f"on_result raised {type(exc).__name__}: "
                    f"{printable(str(exc) or repr(exc), 200)}; the run stopped"
                )

    def _settle(self, first_line: int, result: RowResult) -> None:
        """`result` is the outcome of a repeated user's first row: the rows
        repeating it get the same outcome (`skipped` when it was `ok`)."""
        self._settled[first_line] = result
        for waiting in self._waiting.pop(first_line, []):
            self._emit(self._as_repeat(waiting, result))

    @staticmethod
    def _as_repeat(row: RowResult, first: RowResult) -> RowResult:
        if first.outcome in ("ok", "would_send"):
            return attrs.evolve(row, outcome="skipped", user_id=first.user_id)
        return attrs.evolve(
            row,
            outcome=first.outcome,
            user_id=first.user_id,
            error=first.error,
            detail=f"{first.detail} (as line {first.line}, which this row repeats)"
            if first.detail
            else f"as line {first.line}, which this row repeats",
        )

    # ---- the run ----

    async def run(self) -> BulkResult:
        started = loop_time()
        if self._wake is None:
            self._wake = asyncio.Event()
        plan = Plan()
        try:
            if not is_id(self.org):
                self._check_paths()  # before the name's look-up, as before any request
                try:
                    self.org_id = await self._drive(names.organization_id(self.context, self.org))
                except RunStopped:
                    # Interrupted before the rows were read: each is counted,
                    # not attempted (no report: it names the organization).
                    self.planned = sum(1 for _ in self.source)
                    raise
            self._prepare(plan)
            if not self._stopping:
                await self._resolve_names()
            if not self._stopping:
                await self._check_key_and_resolve(plan)
            plan.set_targets(
                {ref: space.id for ref, space in self._spaces.items() if isinstance(space, Space)}
            )
            plan.finish()
            self._awaited = plan.awaited()
            await self._send_all(plan)
        except RunStopped as stop:
            self.stop(stop.reason)
        finally:
            plan.close()
            if self._report is not None:
                self._report.close()
            missing = self.planned - self._emitted
            if missing > 0:  # aborted: rows never read again are not attempted
                self.summary.counts["not_attempted"] += missing
            self.summary.seconds = loop_time() - started
            self.summary.rate_limited = self.pacing.limited
            lookups = self.pacing.gates.get(LIST_USERS)
            # Every request sent to GET /v2/users, refused ones included.
            self.summary.lookup_requests = lookups.sent if lookups is not None else 0
            self.summary.name_lookups = sum(
                gate.sent
                for endpoint, gate in self.pacing.gates.items()
                if endpoint in (_wire.LIST_ORGANIZATIONS, _wire.LIST_SPACES, _wire.LIST_ROLES)
            )
        # Outcomes come as answers do; the rows are kept in the file's order.
        self.results.sort(key=lambda r: r.line)
        return BulkResult(self.summary, self.results)

    def _check_paths(self) -> None:
        """The report and the report to resume from, as far as they can be
        checked without knowing the organization's id."""
        if self.options.report is not None:
            input_path = None if self.source.spooled else self.source.path
            check_report_path(self.options.report, input_path)
        if self.options.resume is not None:
            check_resume_path(self.options.resume)

    def _prepare(self, plan: Plan) -> None:
        """Everything before the first request: the report, the report to
        resume from, and the first pass over the rows."""
        identity = RunIdentity.of(
            self.org_id, self.client.base_url, self.source.name, self.source.path
        )
        options = self.options
        if options.resume is not None:
            for user, role_done, action, space in read_done(options.resume, identity):
                plan.mark_done(user, REMOVE if action == "remove" else role_done, space)
        for row in self.source:
            self.planned += 1
            if isinstance(row, BadRow):
                continue
            try:
                role = _local_check(row)
            except InvalidInputError:
                continue
            plan.note(row.user, _noted(role), row.line, row.space)
            if row.space:
                self._spaces.setdefault(row.space, "not looked up")
            if role is not None and role.by_name is not None:
                self._role_names.setdefault(role.by_name, role)
        self._guard_removals(plan)
        # Opened once the file is known to be usable, so that a refused run
        # leaves no report behind.
        if options.report is not None:
            input_path = None if self.source.spooled else self.source.path
            self._report = ReportWriter(
                options.report, identity, input_path=input_path, dry_run=options.dry_run
            )
        if options.on_planned is not None:
            options.on_planned(self.planned)

    def _guard_removals(self, plan: Plan) -> None:
        """Refuse, before any request, a file that removes users without
        `allow_remove`, or more of them than `max_removals`."""
        removals = plan.removals()
        name = printable(self.source.name, 200)
        if removals and not self.options.allow_remove:
            raise InvalidInputError(
                f"{name} removes {removals} user(s) (rows with action 'remove'); nothing was "
                "sent: pass --allow-remove (allow_remove=True) to remove users, or take those "
                "rows out"
            )
        if removals > self.options.max_removals:
            raise InvalidInputError(
                f"{name} would remove {removals} users, more than the {self.options.max_removals} "
                "that --max-removals (max_removals=) allows; nothing was sent: check the file, "
                "and raise --max-removals if you mean it"
            )

    # ---- every request: paced, 429s retried, fatal answers stop the run ----

    async def _paced(self, endpoint: str, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, through the endpoint's gate; 429s wait and go again.
        The first request to each endpoint goes alone."""
        gate = self.pacing.gate(endpoint)
        first = self._first.get(endpoint)
        alone = first is None
        if first is None:
            first = self._first[endpoint] = asyncio.Event()
        try:
            if not alone:
                await first.wait()
            return await self._through(gate, endpoint, call)
        finally:
            first.set()

    async def _drive(self, flow: Flow[T]) -> T:
        """Run an operation's flow, each of its requests paced by endpoint."""
        return await run_async(flow, self._send_call)

    async def _send_call(self, call: _wire.Call) -> Answer:
        return await self._paced(call.endpoint, lambda: self.client.send(call))

    async def _through(self, gate: Gate, endpoint: str, call: Callable[[], Awaitable[T]]) -> T:
        refusals = failures = 0
        while True:
            await gate.wait()
            if self._stopping:
                raise RunStopped(self.summary.stopped or "interrupted")
            request = asyncio.ensure_future(call())
            self._in_flight.add(request)
            try:
                answer = await request
            except asyncio.CancelledError:
                if self._aborted and request.cancelled() and endpoint.startswith("GET "):
                    # A read abandoned by the abort (a look-up, a listing of
                    # names): nothing happened.
                    raise RunStopped(self.summary.stopped or "interrupted") from None
                raise
            except RateLimitError as exc:
                refusals += 1
                # A Retry-After of 0 (or in the past) tells nothing of the window:
                # find it as if none had come, rather than ask again at once.
                wait = exc.retry_after if exc.retry_after and exc.retry_after > 0 else None
                if wait is not None and wait > MAX_WAIT:
                    reason = (
                        f"the server asks to wait {wait:.0f} s before the next request to "
                        f"{endpoint}; re-run later with --resume"
                    )
                    self.stop(reason)
                    raise RunStopped(reason) from None
                if refusals > MAX_REFUSALS:
                    raise
                gate.refused(wait)
                continue
            except (AuthenticationError, PermissionDeniedError, NotFoundError) as exc:
                self._maybe_fatal(endpoint, exc)
                raise
            except (APIConnectionError, APIStatusError) as exc:
                passing = isinstance(exc, APIConnectionError) or exc.status in RETRY_STATUSES
                if not passing or failures >= self.options.retries or self._stopping:
                    raise
                failures += 1
                await self._nap(_backoff(failures, exc))
                continue  # through the gate again: a retry is a request like any other
            finally:
                self._in_flight.discard(request)
            gate.succeeded()
            return answer

    def _maybe_fatal(self, endpoint: str, exc: APIStatusError) -> None:
        """Stop the run when `exc` means no other row can succeed."""
        why: str | None = None
        if isinstance(exc, AuthenticationError):
            why = "the API key was refused (401): check ARIZE_API_KEY"
        elif isinstance(exc, PermissionDeniedError) and endpoint == ADD_USER:
            why = f"the key may not add users to organization {self.org_id} (403)"
        elif isinstance(exc, PermissionDeniedError) and endpoint == REMOVE_USER:
            why = f"the key may not remove users from organization {self.org_id} (403)"
        elif isinstance(exc, NotFoundError) and endpoint in (ADD_USER, REMOVE_USER):
            text = f"{exc.title} {exc.detail or ''}".lower()
            names_org = self.org_id.lower() in text or "organization" in text
            if names_org and not _not_a_member(exc):
                why = f"organization {self.org_id} was not found (404): check --org"
        if why is not None:
            detail = printable(exc.detail or exc.title, 200)
            self.stop(f"{why}; the server said: {detail}")

    # ---- step 2: the names, the key, and the emails ----

    async def _resolve_names(self) -> None:
        """The file's spaces (one listing of the organization's spaces for
        them all) and custom roles by name, each once. A name that matches
        none or several makes its rows invalid; a listing that fails stops
        the run, since the rows naming them cannot be decided."""
        what = "the organization's spaces"
        try:
            if self._spaces:
                found = await self._drive(names.spaces_of(self.context, self.org_id))
                for ref in self._spaces:
                    try:
                        self._spaces[ref] = names.space_among(self.context, found, ref, self.org_id)
                    except InvalidInputError as exc:
                        self._spaces[ref] = str(exc)
            what = "the custom roles"
            for name, role in self._role_names.items():
                try:
                    self._roles[name] = await self._drive(names.custom_role(self.context, role))
                except InvalidInputError as exc:
                    self._roles[name] = str(exc)
        except RunStopped:
            return
        except ArizeOrgsError as exc:
            self.stop(
                f"looking up {what} failed ({type(exc).__name__}: "
                f"{printable(_detail(exc), 200)}); nothing was written: fix the key or the "
                "organization, or give ids in the file"
            )

    async def _list_page(self, email: str | None, cursor: str | None) -> UserPage:
        return await self._drive(users.list_users(self.context, email, cursor=cursor))

    async def _check_key_and_resolve(self, plan: Plan) -> None:
        emails = plan.emails()
        self.summary.lookups = len(emails)
        if not emails:
            if self.options.dry_run:
                # Nothing is written, so nothing else would tell a dead key. A
                # 401 stops the run; a 403 says nothing of the key.
                with contextlib.suppress(RunStopped, ArizeOrgsError):
                    await self._list_page_limit_one()
            return
        resolver = Resolver(
            self._list_page,
            concurrency=self.options.concurrency,
            on_progress=self.options.on_lookup,
        )
        try:
            found = await resolver.resolve(emails)
        except RunStopped:
            return
        finally:
            self.summary.lookup_method = resolver.method
        for email, result in found.items():
            self._record(plan, email, result)

    async def _list_page_limit_one(self) -> None:
        await self._drive(users.list_users(self.context, limit=1))

    def _record(self, plan: Plan, email: str, found: Found) -> None:
        if found.user is None and found.missing and self.options.invite:
            plan.resolved(email, error=found.error, invite=True)
        elif found.user is not None:
            account = found.user.account_role
            plan.resolved(
                email, user_id=found.user.id, account_role=str(account) if account else None
            )
        else:
            plan.resolved(
                email,
                error=found.error,
                error_class=found.error_class,
                outcome=found.outcome,
            )

    # ---- step 3: the rows ----

    async def _send_all(self, plan: Plan) -> None:
        queue: asyncio.Queue[_Job | None] = asyncio.Queue(self.options.concurrency * 2)

        async def worker() -> None:
            while (job := await queue.get()) is not None:
                if self._aborted:
                    self._finish(job, self._unsent(job.row))
                    continue
                if job.after is not None:
                    ready = await self._after_org_add(job)
                    if isinstance(ready, RowResult):
                        self._finish(job, ready)
                        continue
                    job = ready
                if job.planned is not None:
                    self._finish(job, job.planned)
                    continue
                self._finish(job, await self._send(job))

        workers = [asyncio.create_task(worker()) for _ in range(self.options.concurrency)]
        try:
            for row in self.source:
                if self._aborted and time.monotonic() > self._flush_until:
                    break  # the rest are counted as not attempted when the run ends
                if self._stopping:
                    self._emit(self._unsent(row))
                    continue
                job = self._decide(plan, row)
                if job is not None:
                    await queue.put(job)
                # Let workers run even when every row is decided locally.
                await asyncio.sleep(0)
            # Space rows above their organization add: every such add is
            # queued by now, so no worker waits for a row not yet queued.
            deferred, self._deferred = self._deferred, []
            for job in deferred:
                if self._aborted and time.monotonic() > self._flush_until:
                    break
                await queue.put(job)
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
            for first_line in list(self._waiting):
                for repeat in self._waiting.pop(first_line):
                    self._emit(attrs.evolve(repeat, outcome="not_attempted", detail=None))

    def _unsent(self, row: InputRow | BadRow) -> RowResult:
        """A row the stopped run will not send: `invalid` if it is, else
        `not_attempted`."""
        if isinstance(row, BadRow):
            return RowResult(row.line, row.user, row.role, "invalid", detail=printable(row.reason))
        try:
            role = _shown(_local_check(row))
        except InvalidInputError as exc:
            return RowResult(
                row.line, row.user, row.role, "invalid", detail=str(exc), action=row.action
            )
        return RowResult(
            row.line,
            row.user,
            role,
            "not_attempted",
            detail=self.summary.stopped,
            action=row.action,
            space=row.space,
        )

    async def _after_org_add(self, job: _Job) -> _Job | RowResult:
        """A space row once its user's organization add is answered: the job
        to send (with the user id an invitation made), or its outcome
        (`not_attempted`) if that add did not succeed or the run stopped."""
        line = job.after
        assert line is not None
        if line not in self._org_results and not self._stopping:
            waiting = self._org_waits.setdefault(line, asyncio.Event())
            assert self._wake is not None
            wake = asyncio.ensure_future(self._wake.wait())
            added = asyncio.ensure_future(waiting.wait())
            try:
                await asyncio.wait((wake, added), return_when=asyncio.FIRST_COMPLETED)
            finally:
                wake.cancel()
                added.cancel()
        org = self._org_results.get(line)
        if self._stopping or org is None:
            return attrs.evolve(job.base("not_attempted"), detail=self.summary.stopped)
        user_id = job.user_id or org.user_id
        if org.outcome not in ("ok", "skipped", "would_send") or (
            user_id is None and job.planned is None
        ):
            why = f"{org.outcome}: {org.detail}" if org.detail else org.outcome
            return attrs.evolve(
                job.base("not_attempted", org.user_id),
                detail=f"the user's organization add (line {line}) did not succeed ({why}); "
                "Arize adds nobody to a space who is not a member of its organization",
            )
        if job.user_id is None:
            job = attrs.evolve(job, user_id=org.user_id)
            if job.planned is not None:
                job = attrs.evolve(job, planned=attrs.evolve(job.planned, user_id=org.user_id))
        return job

    def _decide(self, plan: Plan, row: InputRow | BadRow) -> _Job | None:
        if isinstance(row, BadRow):
            self._emit(
                RowResult(row.line, row.user, row.role, "invalid", detail=printable(row.reason))
            )
            return None
        try:
            role = _local_check(row)
        except InvalidInputError as exc:
            self._emit(
                RowResult(
                    row.line, row.user, row.role, "invalid", detail=str(exc), action=row.action
                )
            )
            return None
        named = self._named(row, role)
        if isinstance(named, RowResult):
            self._emit(named)
            return None
        sendable, space_id = named
        decision = plan.decide(row.user, _noted(role), row.line, row.space)
        result = RowResult(
            row.line,
            row.user,
            _shown(role),
            "invalid",
            decision.user_id,
            action=row.action,
            space=row.space,
            space_id=space_id,
        )
        if decision.verdict == "send" and decision.invite and row.space:
            if decision.after is None:
                self._emit(
                    attrs.evolve(
                        result,
                        detail="no account has this email, and a space row does not invite: "
                        "add an organization row for it to the file (it invites with --invite), "
                        "and its space rows follow it",
                    )
                )
                return None
            decision = attrs.evolve(decision, invite=False)
        elif decision.verdict == "send" and decision.invite and sendable is not None:
            return self._invite_job(decision, row, sendable, result)
        if decision.verdict in ("send", "skip") and decision.account_role and sendable is not None:
            # The account role came with the look-up: the rule is checked for
            # free, for the first row and its repeats alike.
            try:
                check_role(decision.account_role, sendable)
            except InvalidInputError as exc:
                self._emit_decided(decision, row.line, attrs.evolve(result, detail=str(exc)))
                return None
        if decision.verdict == "send":
            job = _Job(
                row,
                sendable,
                decision.user_id,
                decision.repeated,
                space_id=space_id,
                after=decision.after,
                label=result.role,
            )
            if self.options.dry_run:
                planned = attrs.evolve(result, outcome="would_send")
                if job.after is None:
                    self._emit_decided(decision, row.line, planned)
                    return None
                job = attrs.evolve(job, planned=planned)
            if job.after is not None and job.after > row.line:
                self._deferred.append(job)
                return None
            return job
        if decision.verdict == "skip" and decision.repeat_of is not None:
            self._repeat(decision, attrs.evolve(result, outcome="skipped", detail=decision.reason))
            return None
        outcome: Outcome = "skipped" if decision.verdict == "skip" else decision.verdict
        failed = outcome == "failed"
        self._emit(
            attrs.evolve(
                result,
                outcome=outcome,
                detail=decision.reason,
                error=(decision.error_class or "Error") if failed else None,
            )
        )
        return None

    def _named(
        self, row: InputRow, role: Role | None
    ) -> tuple[Role | None, str | None] | RowResult:
        """The row's role to send and its space's id, with the names the file
        uses resolved; or the row's `invalid` outcome when one did not."""

        def invalid(why: str, space_id: str | None = None) -> RowResult:
            return RowResult(
                row.line,
                row.user,
                _shown(role),
                "invalid",
                detail=why,
                action=row.action,
                space=row.space,
                space_id=space_id,
            )

        space_id = None
        if row.space:
            space = self._spaces.get(row.space)
            if not isinstance(space, Space):
                return invalid(space or "the space was not looked up")
            space_id = space.id
        if role is not None and role.by_name is not None:
            found = self._roles.get(role.by_name)
            if not isinstance(found, Role):
                return invalid(found or "the custom role was not looked up", space_id)
            role = found
        return role, space_id

    def _invite_job(
        self, decision: Decision, row: InputRow, role: Role, result: RowResult
    ) -> _Job | None:
        """An add row whose email has no account: invite, then add (or, in a
        dry run, say so)."""
        if self.options.dry_run:
            planned = attrs.evolve(
                result,
                outcome="would_send",
                invited=True,
                detail=f"an invitation with the account role {_invite_role(row, role)}",
            )
            self._emit_decided(decision, row.line, planned)
            return None
        return _Job(row, role, None, decision.repeated, invite=True, label=result.role)

    def _repeat(self, decision: Decision, row: RowResult) -> None:
        first = decision.repeat_of
        assert first is not None
        settled = self._settled.get(first)
        if settled is not None:
            self._emit(self._as_repeat(row, settled))
        elif self.options.dry_run:
            self._emit(row)
        else:
            self._waiting.setdefault(first, []).append(row)

    def _emit_decided(self, decision: Decision, line: int, result: RowResult) -> None:
        """Emit a row decided without sending it; if it is a repeated user's
        first row, its repeats take its outcome."""
        self._emit(result)
        if decision.repeated and decision.first_line == line:
            self._settle(line, result)

    async def _remove(self, job: _Job) -> RowResult:
        """A removal row's outcome: `ok` once the user is out of the organization."""
        base = job.base("failed")
        user_id = job.user_id
        assert user_id is not None
        try:
            if job.space_id is None:
                await self._drive(organizations.delete_member(self.context, self.org_id, user_id))
            else:
                await self._drive(space_ops.delete_member(self.context, job.space_id, user_id))
        except NotFoundError as exc:
            if _not_a_member(exc) and not self._stopping:
                # The goal of the row holds: after a removal whose answer was
                # lost (an interrupted run, resumed), or one never needed.
                where = "organization" if job.space_id is None else "space"
                return attrs.evolve(
                    base,
                    outcome="skipped",
                    detail=f"not a member of the {where}: nothing to remove (already "
                    "removed, perhaps by an interrupted run)",
                )
            return self._failed(base, exc, "")
        except (RunStopped, asyncio.CancelledError, Exception) as exc:
            return self._failed(
                base,
                exc,
                "the removal may have happened, and re-running is safe (a removed "
                "user stays removed)",
            )
        return attrs.evolve(base, outcome="ok")

    def _failed(self, base: RowResult, exc: BaseException, may_have: str) -> RowResult:
        """The outcome of a row whose request ended in `exc`: not attempted
        (the run stopped first), interrupted (aborted in flight: `may_have`
        says what that means), or failed with the error's class and detail.
        A cancellation that is not the run's abort goes on up."""
        if isinstance(exc, RunStopped):
            return attrs.evolve(base, outcome="not_attempted", detail=self.summary.stopped)
        if isinstance(exc, asyncio.CancelledError):
            if not self._aborted:
                raise exc
            return attrs.evolve(
                base, error="Interrupted", detail=f"interrupted before the answer came; {may_have}"
            )
        if isinstance(exc, ArizeOrgsError):
            return attrs.evolve(base, error=type(exc).__name__, detail=_detail(exc))
        return attrs.evolve(base, error=type(exc).__name__, detail=printable(str(exc) or repr(exc)))

    def _finish(self, job: _Job, result: RowResult) -> None:
        self._emit(result)
        if job.repeated:
            self._settle(job.row.line, result)

    async def _send(self, job: _Job) -> RowResult:
        if job.role is None:
            return await self._remove(job)
        row, role = job.row, job.role
        base = job.base("failed")
        try:
            if job.invite:
                invited = await self._drive(
                    users.invite_user(
                        self.context,
                        row.user,
                        account_role=_invite_role(row, role),
                        invite_mode=self.options.invite_mode,
                    )
                )
                # From here on the row records the invitation, whatever follows.
                base = attrs.evolve(base, user_id=invited.id, invited=True)
                if invited.account_role is not None:  # an answer's: by construction, it fits
                    check_role(invited.account_role, role)
            user_id = base.user_id
            assert user_id is not None
            membership: Membership | SpaceMembership
            if job.space_id is None:
                membership = await self._drive(
                    organizations.put_member(self.context, self.org_id, user_id, role)
                )
            else:
                membership = await self._drive(
                    space_ops.put_member(self.context, job.space_id, user_id, role)
                )
        except (RunStopped, asyncio.CancelledError, Exception) as exc:
            return self._failed(
                base,
                exc,
                "the write may have happened, and re-running is safe (adding a user is an upsert)",
            )
        answered = str(membership.role)
        return attrs.evolve(
            base,
            outcome="ok",
            membership_id=membership.id,
            answered_role=answered,
            # Reported, not hidden: the server decided on another role.
            detail=None
            if membership.role == job.role
            else f"the server answered the role {printable(answered, 120)}, not {job.role} as sent",
        )


async def run_bulk(client: BulkClient, org_id: str, rows: Rows, options: BulkOptions) -> BulkResult:
    """Run the engine over `rows` (a path, "-" for standard input, or
    mappings) with `client`, whose 429s should not be retried per request:
    the run paces every worker together."""
    source = source_of(rows)
    try:
        return await BulkRun(client, org_id, source, options).run()
    finally:
        source.close()


def source_of(rows: Rows) -> RowSource:
    if isinstance(rows, str | os.PathLike):
        return RowSource(rows)
    return RowSource.from_rows(rows)
