"""A deadline for a whole attempt, down to each socket operation (sync client).

httpx's timeouts bound each network operation, not an answer: a server that
sends one byte a second, of its headers or of its body, never trips a 30 s
read timeout and can hold a call for ever. The async client cancels an
attempt at its deadline (`asyncio.timeout`). Sync code cannot be cancelled,
so the deadline goes down to httpcore's network backend, the documented
seam below httpx: every connect, read and write of the attempt gets at most
the time left, and once none is left it fails as a timeout. The deadline
travels in a context variable, set by the client around each attempt, so
that calls on other threads (a bulk run's) keep their own.

What it cannot reach: name resolution (getaddrinfo has no timeout) and a
TLS handshake's single steps beyond the first (each step still gets the
time left when the handshake began).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar, Token
from typing import Any

import httpcore
import httpx

__all__ = ["enter", "install", "leave"]

_DEADLINE: ContextVar[float | None] = ContextVar("arize_orgs_deadline", default=None)


def enter(deadline: float) -> Token[float | None]:
    """Make `deadline` (a time.monotonic() value) the current attempt's."""
    return _DEADLINE.set(deadline)


def leave(token: Token[float | None]) -> None:
    _DEADLINE.reset(token)


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout`, shortened to the time the current attempt has left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the attempt's deadline passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(
            self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install(transport: httpx.HTTPTransport) -> bool:
    """Put the deadline under `transport`'s connection pool; whether it could.

    httpx does not pass a network backend through, so this reaches the pool
    it made (`_pool`, whose `_network_backend` httpcore reads for each new
    connection). tests/test_hostile.py fails if a new httpx moves either."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore.NetworkBackend):
        return False
    if not isinstance(backend, _Backend):
        pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
    return True
