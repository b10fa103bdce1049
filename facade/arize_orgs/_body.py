"""Reading an answer within its limits.

An answer is read as a stream and never trusted for its size:

- a success answer is at most MAX_ANSWER bytes (1 MiB), counted after
  decompression; a larger one is `ResponseTooLargeError`, and the rest of it
  is not read (no answer of this API comes near: a page of 100 users is
  about 30 KiB);
- of an error answer, the first MAX_ERROR_BODY bytes (64 KiB) are kept,
  plenty for any problem document or error page, and the rest is not read:
  the typed status error is raised as usual;
- the client asks for gzip or deflate only (not brotli or zstd, even when
  installed) and inflates them here, never more than the limit at a time
  (zlib's `max_length`), so a gzip bomb costs no more memory than an honest
  answer of the limit's size. An encoding not asked for, or a body that does
  not inflate, leaves the answer unreadable: for a success that is
  `APIResponseValidationError`, for an error status its typed error (and a
  5xx is retried as usual).

The time an answer takes is bounded by the attempt's deadline (see
`_deadline`); the sync reader also checks it between pieces.
"""

from __future__ import annotations

import time
import zlib
from typing import Final

import attrs
import httpx

from ._redact import shown
from .errors import ResponseTooLargeError

__all__ = ["ACCEPT_ENCODING", "MAX_ANSWER", "MAX_ERROR_BODY", "Answer", "Expired"]

MAX_ANSWER: Final = 1024 * 1024
MAX_ERROR_BODY: Final = 64 * 1024
# Read a little past the cut, so that a key (in any of its forms) that
# straddles it is still whole when the exception scrubs the body and then
# cuts it to MAX_ERROR_BODY.
SCRUB_MARGIN: Final = 4 * 1024
ACCEPT_ENCODING: Final = "gzip, deflate"
# Compressed bytes read, at most, per byte the limit allows: deflate never
# makes data much larger, so more than this is not an honest answer.
_RAW_FACTOR: Final = 2


class Expired(Exception):
    """The attempt's deadline passed while the answer was still arriving."""


@attrs.frozen(slots=True)
class Answer:
    """An answer as read: status, reason phrase, headers and the body (all of
    it, or for an error status the first MAX_ERROR_BODY bytes)."""

    method: str
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    cut: int | None = None  # the size the body was cut at, if it was
    unreadable: str | None = None  # why the body could not be decoded, if it could not

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


class _Inflate:
    """gzip or deflate, inflated at most `room` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding != "deflate"
        self._z: zlib._Decompress | None = (
            zlib.decompressobj(16 + zlib.MAX_WBITS) if self._gzip else None
        )
        self._pending = b""

    def decode(self, raw: bytes, room: int) -> bytes:
        """Up to `room` inflated bytes (raises zlib.error)."""
        if self._z is None:
            # "deflate" is zlib-wrapped by the standard, raw by some servers:
            # tell them apart by the zlib header, as browsers do.
            self._pending += raw
            if len(self._pending) < 2:
                return b""
            raw, self._pending = self._pending, b""
            wrapped = raw[0] & 0x0F == 8 and (raw[0] << 8 | raw[1]) % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return self._z.decompress(raw, room)


class _Reader:
    """Takes an answer's raw pieces and keeps its body within the limits."""

    __slots__ = (
        "chunks",
        "cut",
        "inflate",
        "limit",
        "method",
        "raw",
        "size",
        "status",
        "success",
        "unreadable",
    )

    def __init__(self, response: httpx.Response) -> None:
        self.method = response.request.method
        self.status = response.status_code
        self.success = 200 <= response.status_code < 300
        self.limit = MAX_ANSWER if self.success else MAX_ERROR_BODY + SCRUB_MARGIN
        self.chunks: list[bytes] = []
        self.size = self.raw = 0
        self.cut: int | None = None
        self.unreadable: str | None = None
        self.inflate: _Inflate | None = None
        encoding = response.headers.get("content-encoding")
        if encoding is not None and not response.is_stream_consumed:
            encoding = encoding.strip().lower()
            if encoding in ("gzip", "x-gzip", "deflate"):
                self.inflate = _Inflate(encoding)
            elif encoding not in ("", "identity"):
                self.unreadable = (
                    f"it is encoded as {shown(encoding, 40)!r}, which the client did not "
                    f"ask for (it asks for {ACCEPT_ENCODING})"
                )
        if self.success and self.inflate is None:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > self.limit:
                raise self._too_large()

    def _too_large(self) -> ResponseTooLargeError:
        return ResponseTooLargeError(self.status, self.limit, method=self.method)

    @property
    def done(self) -> bool:
        return self.unreadable is not None

    def feed(self, raw: bytes) -> bool:
        """Take one raw piece; True when no more should be read."""
        room = self.limit - self.size
        self.raw += len(raw)
        if self.inflate is not None:
            try:
                data = self.inflate.decode(raw, room + 1)
            except zlib.error as exc:
                self.unreadable = f"it is not valid {'gzip' if self.inflate._gzip else 'deflate'}"
                self.unreadable += f": {shown(str(exc), 80)}"
                return True
        else:
            data = raw
        if len(data) > room or self.raw > _RAW_FACTOR * self.limit:
            if self.success:
                raise self._too_large()
            self.chunks.append(data[:room])
            self.size, self.cut = self.limit, MAX_ERROR_BODY
            return True
        self.chunks.append(data)
        self.size += len(data)
        return False

    def answer(self, response: httpx.Response) -> Answer:
        # zlib holds nothing back: `decompress` gives all it can unless the
        # limit stops it, and then the answer was already cut or refused.
        body = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        return Answer(
            self.method,
            response.status_code,
            response.reason_phrase,
            response.headers,
            b"" if self.unreadable else body,
            self.cut,
            self.unreadable,
        )


def read(response: httpx.Response, deadline: float) -> Answer:
    """The answer to a request sent with `stream=True`, read within the limits
    and by `deadline` (time.monotonic()); raises Expired, ResponseTooLargeError
    or httpx.TransportError. The response is closed either way."""
    try:
        reader = _Reader(response)
        if response.is_stream_consumed:  # answered from memory (a mock), already decoded
            reader.feed(response.content)
        elif not reader.done:
            for raw in response.iter_raw():
                if reader.feed(raw):
                    break
                if time.monotonic() > deadline:
                    raise Expired
        return reader.answer(response)
    finally:
        response.close()


async def aread(response: httpx.Response) -> Answer:
    """`read` for the async client, whose caller bounds the time itself."""
    try:
        reader = _Reader(response)
        if response.is_stream_consumed:  # answered from memory (a mock), already decoded
            reader.feed(response.content)
        elif not reader.done:
            async for raw in response.aiter_raw():
                if reader.feed(raw):
                    break
        return reader.answer(response)
    finally:
        await response.aclose()
