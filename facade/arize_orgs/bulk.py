"""Bulk onboarding: rows in, exactly one outcome per row out.

Outcomes:
    ok             added (or role changed); `membership_id` is set
    skipped        repeats an earlier row with the same role, or was ok in a resumed report
    invalid        found locally, nothing sent for it: bad id, unknown role, the
                   annotator rule, an email matching no user or several, two roles
                   for one user (both rows), a malformed row
    failed         the API refused or could not be reached, after retries; `error`
    not_attempted  the run was interrupted before this row was sent
    would_send     --dry-run only: valid, and would be sent

How a run goes: the file is read once to plan (rows are checked locally and
each distinct user noted, see `plan.py`), every distinct email is resolved
with one lookup, the file is read again, and each row gets its outcome. Rows
to send go to `concurrency` asyncio workers that share a `Throttle`.
Temporary failures (5xx, connection) are retried by each worker; 429s pause
every worker (see `throttle.py`). Each result is written to the report (one
JSON object per line, flushed) as soon as it is known.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, Final, Literal

import attrs

from ._http import MAX_RETRY_AFTER
from .errors import APIStatusError, ArizeOrgsError, InvalidInputError, RateLimitError
from .ids import check_email, check_id
from .plan import Plan
from .roles import AccountRole, Role, check_role
from .rows import BadRow, InputRow, RowSource
from .throttle import Throttle

if TYPE_CHECKING:
    from .client import AsyncOrgClient

__all__ = ["BulkResult", "RowResult", "Summary"]

Outcome = Literal["ok", "skipped", "invalid", "failed", "not_attempted", "would_send"]
OUTCOMES: Final[tuple[Outcome, ...]] = (
    "ok",
    "skipped",
    "invalid",
    "failed",
    "not_attempted",
    "would_send",
)
MAX_RATE_LIMITED: Final = 20  # 429s tolerated for one row before it is failed
Job = tuple[InputRow, Role, str]  # a row to send, its role, the user's id


@attrs.frozen
class RowResult:
    """The outcome of one input row."""

    line: int
    user: str
    role: str
    outcome: Outcome
    user_id: str | None = None
    membership_id: str | None = None
    error: str | None = None  # the exception class, for `failed`
    detail: str | None = None  # why: the error's message or the reason

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "line": self.line,
            "user": self.user,
            "role": self.role,
            "outcome": self.outcome,
        }
        if self.user_id:
            out["user_id"] = self.user_id
        if self.membership_id:
            out["membership_id"] = self.membership_id
        if self.error:
            out["error"] = {"class": self.error, "detail": self.detail}
        elif self.detail:
            out["reason"] = self.detail
        return out


@attrs.define
class Summary:
    """Counts by outcome; they always add up to `rows`."""

    counts: Counter[str] = attrs.field(factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    dry_run: bool = False
    rate_limited: int = 0  # 429 answers seen
    lookups: int = 0  # distinct emails resolved

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def all_ok(self) -> bool:
        bad = ("invalid", "failed", "not_attempted")
        return not any(self.counts[o] for o in bad)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            **{o: self.counts[o] for o in OUTCOMES if o != "would_send" or self.dry_run},
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
            "dry_run": self.dry_run,
            "rate_limited": self.rate_limited,
            "email_lookups": self.lookups,
        }


@attrs.define
class BulkResult:
    """What `add_users` returns: the summary and, unless `keep_results=False`,
    every row's result in the order they finished."""

    summary: Summary
    results: list[RowResult]


class ReportWriter:
    """One JSON object per row, appended and flushed as soon as it is known,
    so that even `kill -9` loses at most the rows in flight."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, result: RowResult) -> None:
        self._file.write(json.dumps(result.to_json()) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def read_done(path: str | os.PathLike[str]) -> Iterable[tuple[str, str]]:
    """(user, role) of every `ok` row in an earlier report. A line cut short by
    a crash is ignored."""
    try:
        f = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        raise InvalidInputError(f"cannot read the report to resume from: {exc}") from None
    with f:
        for text in f:
            try:
                record = json.loads(text)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("outcome") == "ok":
                user, role = record.get("user"), record.get("role")
                if isinstance(user, str) and isinstance(role, str):
                    yield user, role


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


class Engine:
    def __init__(
        self,
        client: AsyncOrgClient,
        org_id: str,
        source: RowSource,
        *,
        concurrency: int,
        rate: float | None = None,
        dry_run: bool = False,
        report: str | os.PathLike[str] | None = None,
        resume: str | os.PathLike[str] | None = None,
        keep_results: bool = True,
        on_result: Callable[[RowResult], None] | None = None,
        on_planned: Callable[[int], None] | None = None,
    ) -> None:
        if concurrency < 1:
            raise InvalidInputError(f"concurrency must be at least 1, not {concurrency}")
        if rate is not None and rate <= 0:
            raise InvalidInputError(
                f"rate must be a positive number of requests per second, not {rate}"
            )
        self.client = client
        self.org_id = check_id(org_id, "organization")
        self.source = source
        self.concurrency = concurrency
        self.throttle = Throttle(rate)
        self.dry_run = dry_run
        self.resume = resume
        self.report_path = report
        self.keep_results = keep_results
        self.on_result = on_result
        self.on_planned = on_planned
        self.summary = Summary(dry_run=dry_run)
        self.results: list[RowResult] = []
        self.stop = asyncio.Event()
        self._report: ReportWriter | None = None

    # ---- results ----

    def _emit(self, result: RowResult) -> None:
        self.summary.counts[result.outcome] += 1
        if self._report is not None:
            self._report.write(result)
        if self.keep_results:
            self.results.append(result)
        if self.on_result is not None:
            self.on_result(result)

    # ---- the run ----

    async def run(self) -> BulkResult:
        started = time.perf_counter()
        plan = Plan()
        try:
            planned = self._plan(plan)
            if self.on_planned is not None:
                self.on_planned(planned)
            await self._resolve(plan)
            plan.finish()
            self._report = ReportWriter(self.report_path) if self.report_path else None
            await self._send_all(plan)
        finally:
            plan.close()
            if self._report is not None:
                self._report.close()
            self.summary.seconds = time.perf_counter() - started
            self.summary.rate_limited = self.throttle.limited
        return BulkResult(self.summary, self.results)

    def _plan(self, plan: Plan) -> int:
        if self.resume is not None:
            for done_user, done_role in read_done(self.resume):
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
            while not self.stop.is_set():
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
                if self.stop.is_set():
                    self._emit(RowResult(row.line, row.user, str(role), "not_attempted", user_id))
                    continue
                self._emit(await self._send(row, role, user_id))

        workers = [asyncio.create_task(worker()) for _ in range(self.concurrency)]
        try:
            for row in self.source:
                if self.stop.is_set():
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
            await self.throttle.wait()
            try:
                membership = await self.client.add_user(self.org_id, user_id, role)
            except RateLimitError as exc:
                limited += 1
                wait = exc.retry_after
                too_long = wait is not None and wait > MAX_RETRY_AFTER
                if too_long or limited > MAX_RATE_LIMITED:
                    return attrs.evolve(base, error=type(exc).__name__, detail=str(exc))
                self.throttle.rate_limited(wait)
                # The refused request itself waits what the server asked.
                await asyncio.sleep(wait if wait is not None else 1.0)
                continue
            except ArizeOrgsError as exc:
                detail = exc.detail if isinstance(exc, APIStatusError) and exc.detail else str(exc)
                return attrs.evolve(base, error=type(exc).__name__, detail=detail)
            self.throttle.succeeded()
            return attrs.evolve(base, outcome="ok", membership_id=membership.id)


async def run(
    client: AsyncOrgClient,
    org_id: str,
    rows: str | os.PathLike[str] | Iterable[Mapping[str, str]],
    *,
    prepare: Callable[[Engine], None] | None = None,
    **options: Any,
) -> BulkResult:
    """Run the engine over `rows` (see AsyncOrgClient.add_users for `options`).
    The client's 429s go to the engine's shared throttle instead of its own
    retries. `prepare` sees the engine before it starts: the command line
    hooks Ctrl-C to `engine.stop` there."""
    source = source_of(rows)
    try:
        engine = Engine(client._without_rate_limit_retries(), org_id, source, **options)
        if prepare is not None:
            prepare(engine)
        return await engine.run()
    finally:
        source.close()


def source_of(rows: str | os.PathLike[str] | Iterable[Mapping[str, str]]) -> RowSource:
    if isinstance(rows, str | os.PathLike):
        return RowSource(rows)
    return RowSource.from_rows(rows)
