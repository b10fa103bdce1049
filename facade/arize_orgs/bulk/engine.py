"""The bulk engine: rows in, exactly one outcome per row out.

How a run goes: the file is read once to plan (rows are checked locally and
each distinct user noted, see `plan.py`), every distinct email is resolved
with one lookup, the file is read again, and each row gets its outcome. Rows
to send go to `concurrency` asyncio workers that share one `Pacing`.
Temporary failures (5xx, connection) are retried by the client; 429s pause
every worker (see `pacing.py`). Each result is written to the report as soon
as it is known (see `report.py`).

The engine works through any `BulkClient`: something that can add a user and
find one by email, awaitably. The clients hand it a copy of themselves whose
429s are not retried per request.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable, Mapping
from typing import Final, Protocol

import attrs

from .._http import MAX_RETRY_AFTER
from ..errors import APIStatusError, ArizeOrgsError, InvalidInputError, RateLimitError
from ..ids import check_email, check_id
from ..records import Membership, User
from ..roles import AccountRole, Role, check_role
from .options import BulkOptions
from .pacing import Pacing
from .plan import Plan
from .report import ReportWriter, read_done
from .results import BulkResult, Outcome, RowResult, Summary
from .rows import BadRow, InputRow, RowSource

__all__ = ["BulkClient", "BulkRun", "run_bulk"]

MAX_RATE_LIMITED: Final = 20  # 429s tolerated for one row before it is failed
Job = tuple[InputRow, Role, str]  # a row to send, its role, the user's id
Rows = str | os.PathLike[str] | Iterable[Mapping[str, str]]


class BulkClient(Protocol):
    """What the engine needs of a client."""

    async def add_user(self, org_id: str, user: str, role: Role) -> Membership: ...

    async def find_user(self, email: str) -> User: ...


def _local_check(row: InputRow) -> Role:
    """The row's role, once everything that can be checked locally is;
    raises InvalidInputError."""
    role = Role.parse(row.role)
    if row.account_role:
        check_role(AccountRole.parse(row.account_role), role)
    if "@" in row.user:
        check_email(row.user)
    else:
        check_id(row.user, "user", argument="user")
    return role


class BulkRun:
    """One run of the engine over `source`, for `org_id`. `stop()` ends it
    cleanly: requests in flight finish, every other row is `not_attempted`."""

    def __init__(
        self, client: BulkClient, org_id: str, source: RowSource, options: BulkOptions
    ) -> None:
        self.client = client
        self.org_id = check_id(org_id, "organization")
        self.source = source
        self.options = options
        self.concurrency = options.concurrency
        self.pacing = Pacing(options.rate)
        self.dry_run = options.dry_run
        self.summary = Summary(dry_run=options.dry_run)
        self.results: list[RowResult] = []
        self._stop = asyncio.Event()
        self._report: ReportWriter | None = None

    def stop(self) -> None:
        self.summary.interrupted = True
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # ---- results ----

    def _emit(self, result: RowResult) -> None:
        self.summary.counts[result.outcome] += 1
        if self._report is not None:
            self._report.write(result)
        if self.options.keep_results:
            self.results.append(result)
        if self.options.on_result is not None:
            self.options.on_result(result)

    # ---- the run ----

    async def run(self) -> BulkResult:
        started = time.perf_counter()
        plan = Plan()
        try:
            planned = self._plan(plan)
            if self.options.on_planned is not None:
                self.options.on_planned(planned)
            await self._resolve(plan)
            plan.finish()
            report = self.options.report
            self._report = ReportWriter(report) if report else None
            await self._send_all(plan)
        finally:
            plan.close()
            if self._report is not None:
                self._report.close()
            self.summary.seconds = time.perf_counter() - started
            self.summary.rate_limited = self.pacing.limited
        return BulkResult(self.summary, self.results)

    def _plan(self, plan: Plan) -> int:
        if self.options.resume is not None:
            for done_user, done_role in read_done(self.options.resume):
                plan.mark_done(done_user, done_role)
        rows = 0
        for row in self.source:
            rows += 1
            if isinstance(row, BadRow):
                continue
            try:
                role = _local_check(row)
            except InvalidInputError:
                continue
            plan.note(row.user, str(role), row.line)
        return rows

    async def _resolve(self, plan: Plan) -> None:
        emails = plan.emails()
        lock = asyncio.Lock()

        async def worker() -> None:
            while not self._stop.is_set():
                async with lock:
                    email = next(emails, None)
                if email is None:
                    return
                self.summary.lookups += 1
                try:
                    user = await self.client.find_user(email)
                except InvalidInputError as exc:
                    plan.resolved(email, error=str(exc))
                except ArizeOrgsError as exc:
                    plan.resolved(email, error=f"{type(exc).__name__}: {exc}", outcome="failed")
                else:
                    account = user.account_role
                    plan.resolved(
                        email, user_id=user.id, account_role=str(account) if account else None
                    )

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))

    async def _send_all(self, plan: Plan) -> None:
        queue: asyncio.Queue[Job | None] = asyncio.Queue(self.concurrency * 2)

        async def worker() -> None:
            while (job := await queue.get()) is not None:
                row, role, user_id = job
                if self._stop.is_set():
                    self._emit(RowResult(row.line, row.user, str(role), "not_attempted", user_id))
                    continue
                self._emit(await self._send(row, role, user_id))

        workers = [asyncio.create_task(worker()) for _ in range(self.concurrency)]
        try:
            for row in self.source:
                if self._stop.is_set():
                    self._emit(RowResult(row.line, row.user, row.role, "not_attempted"))
                    continue
                job = self._decide(plan, row)
                if job is not None:
                    await queue.put(job)
                # Let workers run even when every row is decided locally.
                await asyncio.sleep(0)
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)

    def _decide(self, plan: Plan, row: InputRow | BadRow) -> Job | None:
        if isinstance(row, BadRow):
            self._emit(RowResult(row.line, row.user, row.role, "invalid", detail=row.reason))
            return None
        try:
            role = _local_check(row)
        except InvalidInputError as exc:
            self._emit(RowResult(row.line, row.user, row.role, "invalid", detail=str(exc)))
            return None
        decision = plan.decide(row.user, str(role), row.line)
        result = RowResult(row.line, row.user, str(role), "invalid", decision.user_id)
        if decision.verdict == "send" and decision.account_role:
            # The account role came with the email lookup: check the rule for free.
            try:
                check_role(decision.account_role, role)
            except InvalidInputError as exc:
                self._emit(attrs.evolve(result, detail=str(exc)))
                return None
        if decision.verdict == "send":
            assert decision.user_id is not None
            if self.dry_run:
                self._emit(attrs.evolve(result, outcome="would_send"))
                return None
            return row, role, decision.user_id
        outcome: Outcome = "skipped" if decision.verdict == "skip" else decision.verdict
        self._emit(attrs.evolve(result, outcome=outcome, detail=decision.reason))
        return None

    async def _send(self, row: InputRow, role: Role, user_id: str) -> RowResult:
        base = RowResult(row.line, row.user, str(role), "failed", user_id)
        limited = 0
        while True:
            await self.pacing.wait()
            try:
                membership = await self.client.add_user(self.org_id, user_id, role)
            except RateLimitError as exc:
                limited += 1
                wait = exc.retry_after
                too_long = wait is not None and wait > MAX_RETRY_AFTER
                if too_long or limited > MAX_RATE_LIMITED:
                    return attrs.evolve(base, error=type(exc).__name__, detail=str(exc))
                self.pacing.rate_limited(wait)
                # The refused request itself waits what the server asked.
                await asyncio.sleep(wait if wait is not None else 1.0)
                continue
            except ArizeOrgsError as exc:
                detail = exc.detail if isinstance(exc, APIStatusError) and exc.detail else str(exc)
                return attrs.evolve(base, error=type(exc).__name__, detail=detail)
            self.pacing.succeeded()
            return attrs.evolve(base, outcome="ok", membership_id=membership.id)


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
