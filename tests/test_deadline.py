"""The attempt's deadline under httpcore (`_deadline`), with a recording
network backend and a clock that moves only when told: no sockets."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpcore
import httpx
import pytest

from arize_orgs import _deadline


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(_deadline, "time", SimpleNamespace(monotonic=made.monotonic))
    return made


class Recording(httpcore.NetworkStream, httpcore.NetworkBackend):
    """A network backend and its streams: records each call and its timeout."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", max_bytes, timeout))
        return b"data"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", buffer, timeout))

    def close(self) -> None:
        self.calls.append(("close",))

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self.calls.append(("start_tls", ssl_context, server_hostname, timeout))
        return self

    def get_extra_info(self, info: str) -> Any:
        return f"extra {info}"

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        self.calls.append(("connect_tcp", host, port, timeout, local_address, socket_options))
        return self

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        self.calls.append(("connect_unix_socket", path, timeout, socket_options))
        return self

    def sleep(self, seconds: float) -> None:
        self.calls.append(("sleep", seconds))


@pytest.fixture
def deadline() -> Iterator[None]:
    """An attempt whose deadline is 2 s after the clock's start."""
    token = _deadline.enter(102.0)
    yield
    _deadline.leave(token)


def test_without_a_deadline_every_operation_keeps_its_own_timeout(clock: Clock) -> None:
    inner = Recording()
    backend = _deadline._Backend(inner)
    stream = backend.connect_tcp("h", 443, 5.0, "192.0.2.1", [1])
    stream.write(b"x", 7.0)
    assert stream.read(10, None) == b"data"
    assert inner.calls == [
        ("connect_tcp", "h", 443, 5.0, "192.0.2.1", [1]),
        ("write", b"x", 7.0),
        ("read", 10, None),
    ]


@pytest.mark.usefixtures("deadline")
def test_each_operation_gets_at_most_the_time_the_attempt_has_left(clock: Clock) -> None:
    inner = Recording()
    backend = _deadline._Backend(inner)
    stream = backend.connect_tcp("h", 443, 5.0)
    clock.now = 100.5
    stream.write(b"x", 1.0)  # 1.5 s left: its own 1 s
    stream.write(b"y", 3.0)  # the 1.5 s left
    clock.now = 101.0
    assert stream.read(10, None) == b"data"  # no timeout of its own: the 1 s left
    context = ssl.create_default_context()
    tls = stream.start_tls(context, "h", 0.5)  # its own, shorter
    clock.now = 101.75
    tls.read(5, 30.0)  # the TLS stream keeps the deadline
    assert stream.get_extra_info("ssl_object") == "extra ssl_object"
    stream.close()
    assert inner.calls == [
        ("connect_tcp", "h", 443, 2.0, None, None),
        ("write", b"x", 1.0),
        ("write", b"y", 1.5),
        ("read", 10, 1.0),
        ("start_tls", context, "h", 0.5),
        ("read", 5, 0.25),
        ("close",),
    ]
    backend.connect_unix_socket("/run/s", 9.0, [2])
    backend.connect_unix_socket("/run/t", 0.125)
    backend.sleep(0.5)
    assert inner.calls[-3:] == [
        ("connect_unix_socket", "/run/s", 0.25, [2]),
        ("connect_unix_socket", "/run/t", 0.125, None),
        ("sleep", 0.5),
    ]
    tls = stream.start_tls(context, "h", 30.0)  # the time left
    assert inner.calls[-1] == ("start_tls", context, "h", 0.25)


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        (lambda backend, stream: backend.connect_tcp("h", 443, 5.0), httpcore.ConnectTimeout),
        (lambda backend, stream: backend.connect_unix_socket("/s", 5.0), httpcore.ConnectTimeout),
        (lambda backend, stream: stream.read(1, 5.0), httpcore.ReadTimeout),
        (lambda backend, stream: stream.write(b"x", 5.0), httpcore.WriteTimeout),
        (
            lambda backend, stream: stream.start_tls(ssl.create_default_context()),
            httpcore.ConnectTimeout,
        ),
    ],
    ids=["connect", "unix", "read", "write", "tls"],
)
@pytest.mark.usefixtures("deadline")
def test_once_no_time_is_left_each_operation_fails_as_its_timeout(
    clock: Clock, operation: Any, error: type[Exception]
) -> None:
    inner = Recording()
    backend = _deadline._Backend(inner)
    clock.now = 101.0
    stream = backend.connect_tcp("h", 1)
    clock.now = 102.0  # none left
    with pytest.raises(error, match=r"^the attempt's deadline passed$"):
        operation(backend, stream)
    assert len(inner.calls) == 1  # nothing reached the network but the first connect


def test_a_deadline_is_the_current_attempts_only(clock: Clock) -> None:
    inner = Recording()
    stream = _deadline._Backend(inner).connect_tcp("h", 1)
    token = _deadline.enter(100.5)
    stream.read(1, 9.0)
    inner_token = _deadline.enter(101.0)
    stream.read(1, 9.0)
    _deadline.leave(inner_token)
    stream.read(1, 9.0)
    _deadline.leave(token)
    stream.read(1, 9.0)
    assert [c[2] for c in inner.calls[1:]] == [0.5, 1.0, 0.5, 9.0]


def test_install_puts_the_deadline_under_the_pool_once() -> None:
    transport = httpx.HTTPTransport()
    original = transport._pool._network_backend
    assert _deadline.install(transport) is True
    backend = transport._pool._network_backend
    assert isinstance(backend, _deadline._Backend) and backend._backend is original
    assert _deadline.install(transport) is True
    assert transport._pool._network_backend is backend  # not wrapped twice
    assert _deadline.install(httpx.MockTransport(lambda r: httpx.Response(200))) is False  # type: ignore[arg-type]
