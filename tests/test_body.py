"""Reading an answer within its limits (`_body`): the size caps, gzip and
deflate inflated within them, encodings not asked for, and the deadline
between pieces. Answers are streams made here: no sockets."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator

import httpx
import pytest

from arize_orgs import _body, errors
from arize_orgs._body import Answer, Expired, aread, read

MIB = 1024 * 1024
KEPT = 64 * 1024  # of an error answer's body
READ = KEPT + 4 * 1024  # what is read of it, so that a key across the cut is whole
LATER = time.monotonic() + 3600


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body arriving in `pieces`; counts those taken, and whether it was closed."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self.pieces = pieces
        self.taken = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.taken += 1
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def response(
    status: int, *pieces: bytes, method: str = "POST", **headers: str
) -> tuple[httpx.Response, Pieces]:
    stream = Pieces(pieces)
    made = httpx.Response(
        status,
        headers={k.replace("_", "-"): v for k, v in headers.items()},
        stream=stream,
        request=httpx.Request(method, "https://api.test/v2/x"),
    )
    return made, stream


def endless(piece: bytes) -> Iterator[bytes]:
    while True:
        yield piece


def deflated(data: bytes, wbits: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return z.compress(data) + z.flush()


def test_a_body_in_pieces_is_read_whole_and_the_response_closed() -> None:
    made, stream = response(201, b'{"a": ', b"1}", method="PUT", content_length="8")
    answer = read(made, LATER)
    assert answer == Answer("PUT", 201, "Created", made.headers, b'{"a": 1}', None, None)
    assert answer.is_success and stream.closed


@pytest.mark.parametrize(
    ("status", "success"), [(199, False), (200, True), (299, True), (300, False)]
)
def test_only_a_2xx_is_a_success(status: int, success: bool) -> None:
    assert Answer("GET", status, "", httpx.Headers(), b"").is_success is success


def test_a_success_of_1_mib_is_read_and_one_byte_more_is_too_large() -> None:
    made, _ = response(200, b"x" * (MIB - 10), b"y" * 10)
    assert read(made, LATER).body == b"x" * (MIB - 10) + b"y" * 10
    made, stream = response(200, b"x" * MIB, b"y", b"never read", method="GET")
    with pytest.raises(errors.ResponseTooLargeError) as info:
        read(made, LATER)
    assert (info.value.limit, info.value.method, info.value.status) == (MIB, "GET", 200)
    assert stream.taken == 2 and stream.closed


def test_an_endless_success_stops_at_the_cap() -> None:
    made, stream = response(200)
    stream.pieces = endless(b"z" * 4096)
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, LATER)
    assert stream.taken == MIB // 4096 + 1


def test_a_declared_length_over_the_cap_is_refused_before_any_byte_is_read() -> None:
    made, stream = response(200, b"x", content_length=str(MIB + 1))
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, LATER)
    assert stream.taken == 0 and stream.closed
    made, _ = response(200, b"x", content_length=str(MIB))  # at the cap: read
    assert read(made, LATER).body == b"x"
    made, _ = response(200, b"x", content_length="lots")  # not a number: read
    assert read(made, LATER).body == b"x"
    made, _ = response(500, b"x", content_length=str(10 * MIB))  # an error: read, kept short
    assert read(made, LATER).body == b"x"


def test_of_an_error_answer_64_kib_are_kept_and_the_rest_is_not_read() -> None:
    made, stream = response(502, b"e" * READ)
    answer = read(made, LATER)
    assert (len(answer.body), answer.cut) == (READ, None)  # all of it, no cut
    made, stream = response(502, b"e" * READ, b"f", b"never read")
    answer = read(made, LATER)
    assert (answer.body, answer.cut) == (b"e" * READ, KEPT)
    assert stream.taken == 2 and stream.closed
    made, stream = response(404)
    stream.pieces = endless(b"g" * 1000)
    answer = read(made, LATER)
    assert (answer.body, answer.cut) == (b"g" * READ, KEPT)
    assert not answer.is_success


def test_an_answer_already_in_memory_is_taken_as_it_is() -> None:
    made = httpx.Response(404, content=b"gone", request=httpx.Request("GET", "https://a.test/"))
    assert read(made, LATER).body == b"gone"
    made = httpx.Response(200, content=b"x" * (MIB + 1), request=httpx.Request("GET", "https://a/"))
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, LATER)


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", " GZip "])
def test_gzip_is_inflated_in_any_spelling(encoding: str) -> None:
    packed = gzip.compress(b'{"ok": true}')
    made, _ = response(200, packed[:5], packed[5:], content_encoding=encoding)
    assert read(made, LATER).body == b'{"ok": true}'


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_is_inflated_wrapped_or_raw_even_a_byte_at_a_time(wbits: int) -> None:
    packed = deflated(b"hello, deflate" * 10, wbits)
    made, _ = response(
        200, *(packed[i : i + 1] for i in range(len(packed))), content_encoding="deflate"
    )
    assert read(made, LATER).body == b"hello, deflate" * 10
    made, _ = response(200, packed, content_encoding="Deflate")
    assert read(made, LATER).body == b"hello, deflate" * 10


@pytest.mark.parametrize("encoding", ["identity", ""])
def test_no_encoding_is_read_as_it_is(encoding: str) -> None:
    made, _ = response(200, b"plain", content_encoding=encoding)
    assert read(made, LATER) == Answer("POST", 200, "OK", made.headers, b"plain")


def test_gzip_inflating_to_exactly_the_cap_is_read_and_one_byte_more_is_too_large() -> None:
    made, _ = response(200, gzip.compress(b"a" * MIB), content_encoding="gzip")
    assert read(made, LATER).body == b"a" * MIB
    made, _ = response(200, gzip.compress(b"a" * (MIB + 1)), content_encoding="gzip")
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, LATER)


def test_a_gzip_bomb_in_an_error_answer_is_cut_after_inflating() -> None:
    made, _ = response(500, gzip.compress(b"b" * (10 * MIB)), content_encoding="gzip")
    answer = read(made, LATER)
    assert (answer.body, answer.cut) == (b"b" * READ, KEPT)


def test_compressed_bytes_that_inflate_to_nothing_count_too() -> None:
    # Empty stored blocks: raw bytes that inflate to nothing, for ever. At
    # most twice the cap of raw bytes is read.
    made, stream = response(503, content_encoding="deflate")
    stream.pieces = endless(b"\x00\x00\x00\xff\xff" * 1000)
    answer = read(made, LATER)
    assert (answer.body, answer.cut) == (b"", KEPT)
    assert stream.taken == 2 * READ // 5000 + 1
    made, stream = response(200, content_encoding="deflate")
    stream.pieces = endless(b"\x00\x00\x00\xff\xff" * 10_000)
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, LATER)
    assert stream.taken == 2 * MIB // 50_000 + 1


@pytest.mark.parametrize(("encoding", "name"), [("gzip", "gzip"), ("deflate", "deflate")])
def test_a_body_that_does_not_inflate_is_unreadable_saying_why(encoding: str, name: str) -> None:
    made, stream = response(
        200, b"\xff\xfenot compressed", b"never read", content_encoding=encoding
    )
    answer = read(made, LATER)
    assert answer.body == b"" and answer.cut is None
    assert answer.unreadable is not None
    assert answer.unreadable.startswith(f"it is not valid {name}: Error -3 while decompressing")
    assert stream.taken == 1


def test_an_encoding_not_asked_for_is_unreadable_and_not_read() -> None:
    made, stream = response(200, b"\x8b\x00", content_encoding="br")
    answer = read(made, LATER)
    assert answer.unreadable == (
        "it is encoded as 'br', which the client did not ask for (it asks for gzip, deflate)"
    )
    assert (answer.body, stream.taken) == (b"", 0)
    made, _ = response(400, b"x", content_encoding="e\x1b" + "n" * 60)
    assert read(made, LATER).unreadable == (
        f"it is encoded as 'e\\\\x1b{'n' * 37}…', which the client did not ask for "
        "(it asks for gzip, deflate)"
    )


def test_an_answer_still_arriving_at_the_deadline_expires_between_pieces() -> None:
    made, stream = response(200, b"a", b"b", b"c")
    with pytest.raises(Expired):
        read(made, time.monotonic() - 1)
    assert stream.taken == 1 and stream.closed


@pytest.mark.anyio
async def test_the_async_reader_keeps_the_same_limits() -> None:
    made, stream = response(201, b'{"a": ', b"1}")
    answer = await aread(made)
    assert (answer.status, answer.body, stream.closed) == (201, b'{"a": 1}', True)
    made, stream = response(502)
    stream.pieces = endless(b"g" * 1000)
    answer = await aread(made)
    assert (answer.body, answer.cut) == (b"g" * READ, KEPT)
    made, stream = response(200, b"x" * MIB, b"y", b"never read")
    with pytest.raises(errors.ResponseTooLargeError):
        await aread(made)
    assert stream.taken == 2 and stream.closed
    made, stream = response(200, b"x", content_encoding="br")
    assert (await aread(made)).unreadable is not None and stream.taken == 0
    made = httpx.Response(200, content=b"mem", request=httpx.Request("GET", "https://a/"))
    assert (await aread(made)).body == b"mem"


def test_a_body_labelled_gzip_must_be_gzip_not_zlib() -> None:
    made, _ = response(200, deflated(b"{}", zlib.MAX_WBITS), content_encoding="gzip")
    unreadable = read(made, LATER).unreadable
    assert (
        unreadable
        == "it is not valid gzip: Error -3 while decompressing data: incorrect header check"
    )


def test_raw_deflate_that_starts_like_a_zlib_header_is_read_raw() -> None:
    # A stored block (first byte 0x08: not final, stored, padding) whose
    # first two bytes fail zlib's header check: raw deflate, as browsers tell.
    packed = b"\x08\x05\x00\xfa\xffhello" + b"\x03\x00"
    made, _ = response(200, packed, content_encoding="deflate")
    assert read(made, LATER).body == b"hello"


def test_two_bytes_of_deflate_are_enough_to_tell_it_is_not() -> None:
    made, _ = response(200, b"\xff\xff", content_encoding="deflate")
    assert read(made, LATER).unreadable == (
        "it is not valid deflate: Error -3 while decompressing data: invalid block type"
    )


def test_a_body_that_breaks_after_inflating_some_gives_nothing_of_it() -> None:
    stored = b"\x00\x05\x00\xfa\xffhello"  # a stored block, not the last
    made, stream = response(200, stored, b"\xff", b"never read", content_encoding="deflate")
    answer = read(made, LATER)
    assert (answer.body, stream.taken) == (b"", 2)
    assert answer.unreadable is not None


def test_a_3xx_is_kept_as_short_as_an_error() -> None:
    made, _ = response(300, b"m" * (READ + 1))
    answer = read(made, LATER)
    assert (answer.body, answer.cut) == (b"m" * READ, KEPT)


def test_exactly_twice_the_cap_of_compressed_bytes_is_still_read() -> None:
    empty_blocks = b"\x00\x00\x00\xff\xff" * 27_851 + b"\x01\x00\x00\xff\xff"  # then the end
    packed = empty_blocks + b"tail"  # after the end: ignored
    assert len(packed) == 2 * READ
    made, _ = response(500, packed, content_encoding="deflate")
    assert read(made, LATER) == Answer("POST", 500, "Internal Server Error", made.headers, b"")
    made, _ = response(500, packed, b"!", content_encoding="deflate")
    assert read(made, LATER).cut == KEPT


def test_an_answer_complete_at_its_deadline_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from arize_orgs import _body

    monkeypatch.setattr(_body, "time", SimpleNamespace(monotonic=lambda: 500.0))
    made, _ = response(200, b"a", b"b")
    assert read(made, 500.0).body == b"ab"


def test_a_gzip_bomb_never_takes_more_memory_than_the_cap() -> None:
    import tracemalloc

    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MIB)
    bomb = b"".join(z.compress(zeros) for _ in range(32)) + z.flush()  # 32 MiB inflated
    del zeros
    made, _ = response(200, bomb, content_encoding="gzip")
    tracemalloc.start()
    try:
        with pytest.raises(errors.ResponseTooLargeError):
            read(made, LATER)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB


def fixed_huffman(literals: int) -> bytes:
    """Raw deflate, by hand: `literals` 'a's in one fixed-Huffman block, then
    literal/length code 286, which deflate does not define."""
    out, acc, bits = bytearray(), 0, 0

    def put(value: int, count: int, *, msb_first: bool = False) -> None:
        nonlocal acc, bits
        order = reversed(range(count)) if msb_first else range(count)
        for i in order:
            acc |= ((value >> i) & 1) << bits
            bits += 1
            if bits == 8:
                out.append(acc)
                acc = bits = 0

    put(1, 1)  # the last block
    put(1, 2)  # fixed Huffman codes
    for _ in range(literals):
        put(0x30 + ord("a"), 8, msb_first=True)
    put(0b11000000 + (286 - 280), 8, msb_first=True)
    if bits:
        out.append(acc)
    return bytes(out)


def test_a_body_broken_only_past_the_cap_is_too_large_not_unreadable() -> None:
    """Inflating stops one byte past the room left: what lies beyond (here a
    code deflate does not define) is never reached."""
    kept = _body.MAX_ERROR_BODY + _body.SCRUB_MARGIN
    made, _ = response(400, fixed_huffman(kept + 2), content_encoding="deflate")
    answer = read(made, time.monotonic() + 30)
    assert answer.unreadable is None and answer.cut == _body.MAX_ERROR_BODY
    assert answer.body == b"a" * kept
    made, _ = response(200, fixed_huffman(_body.MAX_ANSWER + 2), content_encoding="deflate")
    with pytest.raises(errors.ResponseTooLargeError):
        read(made, time.monotonic() + 30)
