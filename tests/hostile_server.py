"""Loopback servers that misbehave in ways httpx's own test helpers cannot.

`httpx.MockTransport` answers from memory: it cannot drip a body one byte a
second, send a body that never ends, or put a key in a reason phrase the way
a real socket does. `HostileServer` is a raw TCP server on 127.0.0.1 that
reads each request and hands the connection to a function that writes
whatever bytes it likes, as slowly as it likes. The helpers below make the
usual misbehaviours; `scripts/hostile_rss.py` uses them too.

    with HostileServer(drip(answer(200, b'{"id": "x"}'), every=1.0)) as server:
        OrgClient("key", base_url=server.base_url, ...)
"""

from __future__ import annotations

import functools
import socket
import threading
import zlib
from collections.abc import Callable
from typing import Final, Self

__all__ = [
    "Connection",
    "Handler",
    "HostileServer",
    "answer",
    "drip",
    "endless",
    "gzip_bomb",
    "reply",
    "sequence",
]

_POLL: Final = 0.2  # seconds a blocked send waits before it checks for the end


class Gone(Exception):
    """The client went away, or the server is stopping."""


class Connection:
    """One accepted connection: the request as read, and ways to answer."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self.sock = sock
        self._stopping = stopping
        self.request = b""

    def read_request(self) -> bool:
        """Read one request (head, and a body of Content-Length); False if
        the client closed the connection first."""
        data = b""
        while b"\r\n\r\n" not in data:
            piece = self._recv()
            if not piece:
                return False
            data += piece
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            piece = self._recv()
            if not piece:
                return False
            body += piece
        self.request = head + b"\r\n\r\n" + body
        return True

    @property
    def target(self) -> str:
        """The request's target: path and query, as sent."""
        return self.request.split(b" ", 2)[1].decode("latin-1")

    def _recv(self) -> bytes:
        while True:
            if self._stopping.is_set():
                raise Gone
            try:
                return self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return b""

    def send(self, data: bytes) -> None:
        """All of `data`, however slowly the client reads; Gone if it left."""
        view = memoryview(data)
        while view:
            if self._stopping.is_set():
                raise Gone
            try:
                sent = self.sock.send(view)
            except TimeoutError:
                continue
            except OSError:
                raise Gone from None
            view = view[sent:]

    def wait(self, seconds: float) -> None:
        """Sleep, but end at once if the server stops."""
        if self._stopping.wait(seconds):
            raise Gone


Handler = Callable[[Connection], None]


class HostileServer:
    """A raw TCP server on a free loopback port, in background threads.
    Each connection's requests are read and handed to `handler` (keep-alive:
    until the handler closes it or the client does). `requests` keeps every
    request read, in order."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL)
        self.port: int = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.requests: list[bytes] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self._start(self._accept)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        for thread in list(self._threads):
            thread.join(timeout=5)
        self._listener.close()

    def _start(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._start(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(_POLL)
        conn = Connection(sock, self._stopping)
        try:
            while conn.read_request():
                with self._lock:
                    self.requests.append(conn.request)
                self._handler(conn)
        except Gone:
            pass
        finally:
            sock.close()


# ---- answers --------------------------------------------------------------------------------


def answer(
    status: int,
    body: bytes = b"",
    *,
    reason: str | bytes = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A whole HTTP/1.1 answer, byte for byte (the reason phrase as given:
    a real server may put anything there)."""
    if isinstance(reason, str):
        reason = reason.encode("latin-1")
    fields = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    fields.update(headers or {})
    head = b"HTTP/1.1 %d %s\r\n" % (status, reason or b"Whatever")
    head += b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in fields.items())
    return head + b"\r\n" + body


def reply(data: bytes) -> Handler:
    """Answer every request with `data`, at once."""

    def handler(conn: Connection) -> None:
        conn.send(data)

    return handler


def sequence(*handlers: Handler) -> Handler:
    """The first request (on any connection) answered by the first handler,
    the second by the second, ...; the last answers the rest."""
    lock = threading.Lock()
    served = [0]

    def handler(conn: Connection) -> None:
        with lock:
            at = min(served[0], len(handlers) - 1)
            served[0] += 1
        handlers[at](conn)

    return handler


def drip(data: bytes, every: float = 1.0, *, at_once: int = 0) -> Handler:
    """Answer with `data`: its first `at_once` bytes at once (the head, say),
    then one byte every `every` seconds (a read timeout never trips:
    something always arrives in time)."""

    def handler(conn: Connection) -> None:
        conn.send(data[:at_once])
        for at in range(at_once, len(data)):
            conn.wait(every)
            conn.send(data[at : at + 1])

    return handler


def endless(piece: bytes = b"x" * 65536, *, encoding: str | None = None) -> Handler:
    """A 200 whose chunked body never ends: `piece` after `piece`."""

    def handler(conn: Connection) -> None:
        extra = f"Content-Encoding: {encoding}\r\n" if encoding else ""
        conn.send(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + extra.encode()
            + b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
        while True:
            conn.send(chunk)

    return handler


@functools.cache
def gzip_bomb(inflated: int) -> bytes:
    """A gzip member that inflates to `inflated` zero bytes (about 1/1000 of
    it on the wire), made piece by piece so that making it costs no memory."""
    block = bytes(1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    parts = [b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"]  # gzip header, no name
    left = inflated
    while left > 0:
        parts.append(deflate.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(deflate.flush())
    crc = 0
    for _ in range(inflated // len(block)):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(block[: inflated % len(block)], crc)
    parts.append(crc.to_bytes(4, "little") + (inflated % 2**32).to_bytes(4, "little"))
    return b"".join(parts)
