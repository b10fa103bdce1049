"""OrgClient and AsyncOrgClient: configuration, connections, and a driver.

Every operation is a flow of `operations` (checks, requests built by
`_wire`, answers read), exposed by `resources` on both clients alike. What a
client adds is how a request is sent: through its own httpx client, with
retries and a deadline (see `_http`), every failure, including an error
answer whose body is not JSON, becoming one of `arize_orgs.errors`. The sync
client drives flows with `run_sync`, the async one with `run_async`.

Copies (`with_options`, and the copy a bulk run works through) go through
the constructor like any client, with the original's configuration, its
connections and its context (the names it resolved): a copy keeps the
transport, the pool and every setting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import weakref
from collections.abc import Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Self, TypeVar

import attrs
import httpx

from . import _body, _deadline, _http, _wire
from ._flow import Flow, run_async, run_sync
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    EventLoopError,
    from_response,
)
from .operations import Context
from .operations.users import PAGE_SIZE
from .records import Membership, User
from .resources import Async, BulkJob, D, Resources, Sync

if TYPE_CHECKING:
    from .bulk import BulkOptions, BulkResult

__all__ = ["PAGE_SIZE", "AsyncOrgClient", "Membership", "OrgClient", "User"]

log = logging.getLogger("arize_orgs")
T = TypeVar("T")
DEFAULT_CONCURRENCY: Final = _http.DEFAULT_CONCURRENCY
DEFAULT_MAX_REMOVALS: Final = _http.DEFAULT_MAX_REMOVALS

# The event loop each AsyncOrgClient's connections were first used in, by
# those connections (an httpx.AsyncClient, shared with the client's copies).
_LOOPS: weakref.WeakKeyDictionary[httpx.AsyncClient, weakref.ref[asyncio.AbstractEventLoop]] = (
    weakref.WeakKeyDictionary()
)


class _BaseClient(Resources[D]):
    """What the sync and async clients share: configuration, the
    resources, preparing a request and reading its status. Nothing here does
    I/O."""

    def __init__(
        self, *, _config: _http.Config, _connection: Any, _context: Context | None = None
    ) -> None:
        raise NotImplementedError  # pragma: no cover - each client has its own

    _config: _http.Config
    _http: Any  # httpx.Client or httpx.AsyncClient, as the subclass makes it
    _owns_http: bool

    def _setup(
        self, config: _http.Config, connection: Any, owns: bool, context: Context | None
    ) -> None:
        self._config = config
        self._http = connection
        self._owns_http = owns
        self._urls: dict[str, httpx.URL] = {}
        # Shared with copies: a name resolved by one is resolved for all.
        self._context = context or Context()
        self._resources()

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
        return type(self)(_config=config, _connection=self._http, _context=self._context)

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

    def _bulk_options(self, job: BulkJob) -> BulkOptions:
        from .bulk import BulkOptions  # the bulk engine loads on first use

        return BulkOptions(**job.options, retries=self.max_retries)

    def _paced_copy(self) -> Self:
        """The copy a bulk run sends through: it shares these connections,
        and leaves 429s and retries to the run's pacing (every request of
        the run is paced together, by endpoint), not to each request."""
        return self.with_options(retry_rate_limits=False, max_retries=0)


class OrgClient(_BaseClient[Sync]):
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
        _context: Context | None = None,
    ) -> None:
        config = _config or _http.resolve(api_key, base_url, timeout, max_retries, verify)
        connection = _connection or _http.sync_client(config, transport)
        self._setup(config, connection, _connection is None, _context)

    def _send(self, call: _wire.Call) -> _body.Answer:
        self._check_open()
        request = self._prepare(call.request)
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

    def _run(self, flow: Flow[T]) -> T:
        return run_sync(flow, self._send)

    def _run_bulk(self, job: BulkJob) -> BulkResult:
        """The engine on a private event loop, its requests through this
        client's connections, `concurrency` threads at a time."""
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
        from .bulk.engine import BulkRun, source_of
        from .bulk.interrupts import interrupts_stop

        self._check_open()  # else every row would fail alike, and the run go on
        options = self._bulk_options(job)

        async def run() -> BulkResult:
            with _InThreads(self._paced_copy(), options.concurrency) as client:
                source = source_of(job.rows)
                try:
                    bulk = BulkRun(client, job.org, source, options)
                    # Ctrl-C stops the run as the command line's does.
                    with interrupts_stop(bulk):
                        return await bulk.run()
                finally:
                    source.close()

        result = asyncio.run(run())
        if result.summary.interrupted:
            # Every row has its outcome (the report, on_result) by now.
            raise KeyboardInterrupt
        return result

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _InThreads:
    """A sync client as the bulk engine wants one (`BulkClient`): each
    request is sent on a thread of its own pool, through the client's own
    connections and transport."""

    def __init__(self, client: OrgClient, threads: int) -> None:
        self._client = client
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="arize-orgs-bulk")
        self.base_url = client.base_url
        self.context = client._context

    async def send(self, call: _wire.Call) -> _body.Answer:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._client._send, call
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _Paced:
    """An async client as the bulk engine wants one (`BulkClient`)."""

    def __init__(self, client: AsyncOrgClient) -> None:
        self._client = client
        self.base_url = client.base_url
        self.context = client._context

    async def send(self, call: _wire.Call) -> _body.Answer:
        return await self._client._send(call)


class AsyncOrgClient(_BaseClient[Async]):
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
        _context: Context | None = None,
    ) -> None:
        config = _config or _http.resolve(api_key, base_url, timeout, max_retries, verify)
        connection = _connection or _http.async_client(config, transport)
        self._setup(config, connection, _connection is None, _context)

    async def _send(self, call: _wire.Call) -> _body.Answer:
        self._check_open()
        self._check_loop()
        request = self._prepare(call.request)
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

    def _run(self, flow: Flow[T]) -> Coroutine[Any, Any, T]:
        return run_async(flow, self._send)

    async def _run_bulk(self, job: BulkJob) -> BulkResult:
        from .bulk import run_bulk

        self._check_open()  # else every row would fail alike, and the run go on
        options = self._bulk_options(job)
        return await run_bulk(self._bulk_client(), job.org, job.rows, options)

    def _bulk_client(self) -> _Paced:
        """This client as the bulk engine works through it (`BulkClient`)."""
        return _Paced(self._paced_copy())

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
