"""A hostile server or file cannot hang the client, exhaust its memory, print
the key, or drive the terminal (issue 13).

The servers here misbehave on purpose, on raw loopback sockets
(tests/hostile_server.py) where httpx's own test helpers cannot produce the
fault: bodies dripped a byte a second, bodies that never end, gzip bombs,
the key echoed in every encoding, cursors that repeat. SECURITY.md names
these tests.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from arize_orgs import AsyncOrgClient, Membership, OrgClient, Role, _deadline, _paging, errors
from arize_orgs._text import printable, readable
from arize_orgs.cli import main
from arize_orgs.sandbox import Sandbox
from arize_orgs.sandbox.state import SandboxUser

from hostile_server import (
    Connection,
    Handler,
    HostileServer,
    answer,
    drip,
    endless,
    gzip_bomb,
    reply,
    sequence,
)

KEY = "sk-hostile-4f1d2c3b5a6978870"
ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
OTHER_ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjoy"
USER = "VXNlcjoxMjM0NQ=="
OTHER_USER = "VXNlcjo5OTk5OQ=="
MEMBER_ID = "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox"
ROOT = Path(__file__).resolve().parent.parent
# What a terminal acts on: C0/C1 controls but the final newline, DEL, and
# the direction overrides.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Clear the screen, set the window title, write the clipboard, forge a line.
EVIL = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\r\nok: all users added\u202e"

KIND = pytest.mark.parametrize("kind", ["sync", "async"])


def membership(*, user: str = USER, org: str = ORG, role: Any = None, id: str = MEMBER_ID) -> bytes:
    return json.dumps(
        {
            "id": id,
            "user_id": user,
            "organization_id": org,
            "role": role or {"type": "PREDEFINED", "name": "MEMBER"},
        }
    ).encode()


def problem(status: int, title: str = "Bad Request", detail: str = "no", **extra: Any) -> bytes:
    return json.dumps({"title": title, "status": status, "detail": detail, **extra}).encode()


def add(
    kind: str,
    url: str,
    *,
    timeout: float = 10.0,
    max_retries: int = 0,
    user: str = USER,
    role: str = "member",
) -> Membership:
    """One add_user through the sync or the async client."""
    options: dict[str, Any] = {"base_url": url, "timeout": timeout, "max_retries": max_retries}
    if kind == "sync":
        with OrgClient(KEY, **options) as client:
            return client.add_user(ORG, user, role)

    async def go() -> Membership:
        async with AsyncOrgClient(KEY, **options) as client:
            return await client.add_user(ORG, user, role)

    return asyncio.run(go())


def echo_membership(role: str = "MEMBER") -> Handler:
    """Answers an add-user request with the membership it asked for (with
    `role`), and a listing with no users."""

    def handler(conn: Connection) -> None:
        if conn.request.startswith(b"GET"):
            conn.send(answer(200, json.dumps({"users": [], "pagination": {}}).encode()))
            return
        body = json.loads(conn.request.partition(b"\r\n\r\n")[2])
        org = conn.target.split("/")[3]
        wanted = {"type": "PREDEFINED", "name": role}
        conn.send(answer(200, membership(user=body["user_id"], org=org, role=wanted)))

    return handler


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


# ---- the key -------------------------------------------------------------------------------


def key_forms(key: str = KEY) -> list[str]:
    """The key as a server might echo it."""
    bearer = base64.b64encode(f"Bearer {key}".encode()).decode()
    first, last = -(-8 * 7 // 6), 8 * (7 + len(key)) // 6  # characters of key bits only
    return [
        key,
        "".join(f"\\u{ord(c):04x}" for c in key),  # JSON-escaped
        quote(key, safe=""),
        "".join(f"%{ord(c):02x}" for c in key),  # every character percent-encoded
        "".join(f"&#{ord(c)};" for c in key),  # HTML character references
        bearer[first:last],  # the key's part of base64("Bearer <key>")
    ]


def assert_no_key(text: str) -> None:
    for form in key_forms():
        assert form not in text, f"the key leaked as {form!r}"


@pytest.mark.parametrize(
    "bad",
    [
        "sk-two\nlines-0123456789",  # a key file of two lines
        "sk-tab\t0123456789",
        "sk-\u043a\u043b\u044e\u0447-0123456789",  # not ASCII: httpx would UnicodeEncodeError
        "sk-nul\x00-0123456789",
        "sk-del\x7f0123456789",
    ],
)
def test_a_key_that_cannot_be_a_header_value_is_refused_at_construction(
    bad: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    makers: list[Callable[[], object]] = [lambda: OrgClient(bad), lambda: AsyncOrgClient(bad)]
    if "\x00" not in bad:  # an environment variable cannot hold a NUL
        monkeypatch.setenv("ARIZE_API_KEY", bad)
        makers.append(lambda: OrgClient())
    for make in makers:
        with pytest.raises(errors.ConfigurationError) as info:
            make()
        exc = info.value
        shown = f"{exc} {exc!r} {exc.args!r}" + "".join(traceback.format_exception(exc))
        assert "0123456789" not in shown
        assert "position" in str(exc)
        assert exc.__context__ is None and exc.__cause__ is None


def test_a_key_read_from_a_file_with_a_final_newline_is_fine() -> None:
    with OrgClient("sk-file-0123456789\n", base_url="http://127.0.0.1:9") as client:
        assert client.base_url == "http://127.0.0.1:9"


def test_the_key_echoed_in_any_encoding_never_reaches_the_user(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The reason phrase, a header, a problem document with the key
    JSON-escaped, percent-encoded, as HTML references and in base64: none of
    it reaches an exception, httpx's INFO, httpcore's DEBUG or stamina's
    retry lines."""
    forms = key_forms()
    # Written by hand: json.dumps would escape the backslashes of the forms.
    body = (
        f'{{"title": "Bearer {forms[1]}", "status": 503, "detail": "mixed: s{forms[1][6:]}", '
        f'"type": "{forms[3]}", "instance": "{forms[4]}", '
        f'"echo": {{"authorization": "{forms[5]}"}}}}'
    ).encode()
    echo = answer(
        503,
        body,
        reason=f"Denied {KEY}",
        headers={
            "X-Echo": f"Bearer {KEY}",
            "X-Echo-Encoded": forms[2],
            "X-Echo-B64": base64.b64encode(f"Bearer {KEY}".encode()).decode(),
        },
    )
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stamina")  # the CLI's main() quiets it
    with HostileServer(reply(echo)) as server:
        for kind in ("sync", "async"):
            with pytest.raises(errors.InternalServerError) as info:
                add(kind, server.base_url, max_retries=1)
            exc = info.value
            assert_no_key(
                " ".join(
                    [
                        str(exc),
                        repr(exc),
                        repr(exc.args),
                        exc.title,
                        str(exc.detail),
                        str(exc.type),
                        str(exc.instance),
                        json.dumps(exc.extensions),
                        exc.body,
                        *traceback.format_exception(exc),
                    ]
                )
            )
        assert len(server.requests) == 4  # two calls, one retry each
    names = {r.name for r in caplog.records}
    assert {"httpx", "stamina"} <= names and any(n.startswith("httpcore") for n in names)
    for record in caplog.records:
        assert_no_key(record.getMessage())
        assert_no_key(repr(vars(record)))


def test_the_key_is_scrubbed_from_bulk_reports_and_dry_run_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    escaped = key_forms()[1]
    refusal = answer(
        400, problem(400, detail=f"your header was Bearer {escaped}"), reason=f"No {KEY}"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text(f"user,role\n{USER},member\nkate@acme.test,member\n")
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    with HostileServer(reply(refusal)) as server:
        base = ("add-users", "--org", ORG, str(rows), "--base-url", server.base_url)
        _, out, err = run_cli(capsys, *base, "--dry-run")
        assert_no_key(out + err)
        _, out, err = run_cli(capsys, *base, "--report", str(report))
        assert_no_key(out + err)
    assert_no_key(report.read_text())
    assert "***" in report.read_text() or "***" in out + err


def test_the_key_echoed_in_a_success_is_scrubbed_from_output_and_reports(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    escaped = key_forms()[1]  # JSON-escaped: the parsed field holds the key itself
    echoed = json.loads(membership(id=escaped).replace(b"\\\\", b"\\"))
    assert echoed["id"] == KEY
    success = answer(200, json.dumps(echoed).encode())
    rows = tmp_path / "rows.csv"
    rows.write_text(f"user,role\n{USER},member\n")
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    with HostileServer(reply(success)) as server:
        one = ("add-user", "--org", ORG, "--user", USER, "--role", "member")
        for extra in ((), ("--json",)):
            code, out, err = run_cli(capsys, *one, *extra, "--base-url", server.base_url)
            assert code == 0, err
            assert_no_key(out + err)
            assert "***" in out
        bulk = ("add-users", "--org", ORG, str(rows), "--base-url", server.base_url)
        code, out, err = run_cli(capsys, *bulk, "--report", str(report))
        assert code == 0, err
        assert_no_key(out + err)
    assert_no_key(report.read_text())
    assert '"membership_id": "***"' in report.read_text()


# ---- time ----------------------------------------------------------------------------------


@KIND
def test_a_body_dripped_one_byte_a_second_ends_within_the_timeout(kind: str) -> None:
    """timeout=2, max_retries=0: a typed error within 5 s (the issue's bound),
    though a byte arrives every second and no read ever times out."""
    whole = answer(200, membership())
    head = whole.index(b"\r\n\r\n") + 4
    with HostileServer(drip(whole, every=1.0, at_once=head)) as server:
        start = time.monotonic()
        with pytest.raises(errors.APITimeoutError) as info:
            add(kind, server.base_url, timeout=2, max_retries=0)
        assert time.monotonic() - start < 5
    assert "within 2 s" in str(info.value)


@KIND
def test_headers_dripped_one_byte_a_second_end_within_the_timeout(kind: str) -> None:
    with HostileServer(drip(answer(200, membership()), every=1.0)) as server:
        start = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            add(kind, server.base_url, timeout=2, max_retries=0)
        assert time.monotonic() - start < 5


def test_a_transport_of_the_callers_own_gets_the_deadline_too() -> None:
    with HostileServer(drip(answer(200, membership()), every=1.0)) as server:
        start = time.monotonic()
        with (
            OrgClient(
                KEY, base_url=server.base_url, timeout=2, max_retries=0,
                transport=httpx.HTTPTransport(retries=0),
            ) as client,
            pytest.raises(errors.APITimeoutError),
        ):  # fmt: skip
            client.add_user(ORG, USER, "member")
        assert time.monotonic() - start < 5


@KIND
def test_the_whole_call_is_bounded_across_its_retries(kind: str) -> None:
    """Three attempts of at most 1 s each (retry waits are off in tests)."""
    with HostileServer(drip(answer(200, membership()), every=0.3)) as server:
        start = time.monotonic()
        with pytest.raises(errors.APITimeoutError):
            add(kind, server.base_url, timeout=1, max_retries=2)
        assert time.monotonic() - start < 10
        assert len(server.requests) == 3


def test_a_retry_after_past_the_calls_deadline_is_not_waited() -> None:
    """timeout=2, max_retries=1: the call may take 2 x 2 s plus one backoff;
    a Retry-After of 30 s cannot fit, so the 429 is raised at once."""
    refusal = answer(429, problem(429, "Too Many Requests"), headers={"Retry-After": "30"})
    with HostileServer(reply(refusal)) as server:
        with pytest.raises(errors.RateLimitError) as info:
            add("sync", server.base_url, timeout=2, max_retries=1)
        assert info.value.retry_after == 30
        assert len(server.requests) == 1
    short = answer(429, problem(429, "Too Many Requests"), headers={"Retry-After": "1"})
    with HostileServer(sequence(reply(short), reply(answer(200, membership())))) as server:
        add("sync", server.base_url, timeout=2, max_retries=1)
        assert len(server.requests) == 2


def test_the_sync_deadline_reaches_httpcores_network_backend() -> None:
    """_deadline reaches below httpx (its pool's network backend): this fails
    if a new httpx or httpcore moves either."""
    assert _deadline.install(httpx.HTTPTransport())
    assert _deadline.install(httpx.HTTPTransport(proxy="http://127.0.0.1:9"))


# ---- size ----------------------------------------------------------------------------------


@KIND
def test_an_endless_body_is_cut_at_the_size_cap(kind: str) -> None:
    with HostileServer(endless()) as server, pytest.raises(errors.ResponseTooLargeError) as info:
        add(kind, server.base_url)
    assert len(str(info.value)) < 500
    assert info.value.limit == 1024 * 1024


@KIND
def test_a_gzip_bomb_is_cut_after_decompression(kind: str) -> None:
    bomb = answer(200, gzip_bomb(64 << 20), headers={"Content-Encoding": "gzip"})
    with HostileServer(reply(bomb)) as server, pytest.raises(errors.ResponseTooLargeError):
        add(kind, server.base_url)


def test_a_gzip_bomb_or_a_huge_detail_in_an_error_gives_a_short_typed_error() -> None:
    bomb = answer(400, gzip_bomb(64 << 20), headers={"Content-Encoding": "gzip"})
    huge = answer(400, problem(400, detail="x" * (16 << 20)))
    with HostileServer(sequence(reply(bomb), reply(huge))) as server:
        for _ in range(2):
            with pytest.raises(errors.BadRequestError) as info:
                add("sync", server.base_url)
            assert len(str(info.value)) < 1000
            assert len(info.value.body) <= 64 * 1024


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    """Content-Length: 1 TB and then nothing: refused at once, not after
    the 30 s timeout."""

    def handler(conn: Connection) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n{")
        conn.wait(60)

    with HostileServer(handler) as server:
        start = time.monotonic()
        with pytest.raises(errors.ResponseTooLargeError):
            add("sync", server.base_url, timeout=30)
        assert time.monotonic() - start < 10


def test_an_error_page_crafted_to_backtrack_reads_in_linear_time() -> None:
    """546 KiB of '<title>' took 226 s of CPU with the old regex; the reader
    looks at each character a bounded number of times."""
    for page in ("<title>" * 80_000, "<" * 560_000, "<title>x" + "<a" * 280_000):
        start = time.monotonic()
        assert len(readable(page)) <= 200
        assert time.monotonic() - start < 5


# ---- paging --------------------------------------------------------------------------------


def pages(cursor_of: Callable[[int], str]) -> Handler:
    """Every page empty, `has_more`, its next cursor `cursor_of(n)`."""
    served = [0]

    def handler(conn: Connection) -> None:
        served[0] += 1
        pagination = {"has_more": True, "next_cursor": cursor_of(served[0])}
        conn.send(answer(200, json.dumps({"users": [], "pagination": pagination}).encode()))

    return handler


@pytest.mark.parametrize(
    ("cursor_of", "most"),
    [
        (lambda n: "the-same-cursor", 2),  # repeats
        (lambda n: f"cursor-{n}", 25),  # fresh for ever: MAX_PAGES (25 here)
        (lambda n: "c" * 5000, 1),  # too long to send back
    ],
    ids=["repeated", "endless", "too-long"],
)
def test_paging_that_would_not_end_is_a_typed_error(
    cursor_of: Callable[[int], str], most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_paging, "MAX_PAGES", 25)
    with HostileServer(pages(cursor_of)) as server:
        with (
            OrgClient(KEY, base_url=server.base_url, max_retries=0) as client,
            pytest.raises(errors.APIResponseValidationError, match="would not end"),
        ):
            client.find_user("kate@acme.test")
        assert len(server.requests) == most


def test_a_bulk_look_up_stops_when_the_server_repeats_a_cursor() -> None:
    rows = [{"user": f"user{n}@acme.test", "role": "member"} for n in range(12)]
    with HostileServer(pages(lambda n: "again")) as server:
        with OrgClient(KEY, base_url=server.base_url, max_retries=0) as client:
            result = client.add_users(ORG, rows, dry_run=True)
        assert len(server.requests) <= 3
    assert result.summary.rows == 12
    assert {r.error for r in result.results} == {"APIResponseValidationError"}


# ---- only documented exceptions ------------------------------------------------------------


@KIND
def test_a_body_labelled_gzip_that_is_not_is_a_validation_error(kind: str) -> None:
    lying = answer(200, membership(), headers={"Content-Encoding": "gzip"})
    with (
        HostileServer(reply(lying)) as server,
        pytest.raises(errors.APIResponseValidationError, match="not valid gzip"),
    ):
        add(kind, server.base_url)


@KIND
def test_a_5xx_labelled_gzip_that_is_not_is_retried(kind: str) -> None:
    lying = answer(503, b"<html>oops</html>", headers={"Content-Encoding": "gzip"})
    with HostileServer(sequence(reply(lying), reply(answer(200, membership())))) as server:
        assert add(kind, server.base_url, max_retries=1).role == Role.MEMBER
        assert len(server.requests) == 2


def test_an_encoding_the_client_did_not_ask_for_is_a_validation_error() -> None:
    brotli = answer(200, b"\x8b\x00", headers={"Content-Encoding": "br"})
    with (
        HostileServer(reply(brotli)) as server,
        pytest.raises(errors.APIResponseValidationError, match="did not ask for"),
    ):
        add("sync", server.base_url)


@KIND
def test_deeply_nested_json_is_a_validation_error(kind: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    shallow_enough = b"[" * 20_000 + b"]" * 20_000  # under the 64 KiB kept of an error
    with HostileServer(
        sequence(reply(answer(200, deep)), reply(answer(400, shallow_enough)))
    ) as server:
        with pytest.raises(errors.APIResponseValidationError, match="nested too deeply"):
            add(kind, server.base_url)
        with pytest.raises(errors.BadRequestError):
            add(kind, server.base_url)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "https://api.arize.com:99999",
        "https://api.arize.com/v2?x=1",
        "https://api.arize.com/#top",
        "https://api.arize.com?",
        "https://me:secret@api.arize.com",
        "https://exa mple.com",
        "https://api.arize.com/\x1b[2J",
        "ftp://api.arize.com",
        "https://",
        "not a url",
    ],
)
def test_a_malformed_base_url_is_a_configuration_error(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for make in (
        lambda: OrgClient(KEY, base_url=url),
        lambda: AsyncOrgClient(KEY, base_url=url),
    ):
        with pytest.raises(errors.ConfigurationError) as info:
            make()
        assert not CONTROL.search(str(info.value))
        assert "secret" not in str(info.value)
    monkeypatch.setenv("ARIZE_BASE_URL", url)
    with pytest.raises(errors.ConfigurationError):
        OrgClient(KEY)


# ---- proxies -------------------------------------------------------------------------------


@KIND
def test_plain_http_to_loopback_never_goes_through_a_proxy(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        HostileServer(reply(answer(502, b"proxy"))) as proxy,
        HostileServer(reply(answer(200, membership()))) as server,
    ):
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.base_url)
        assert add(kind, server.base_url).id == MEMBER_ID
        assert proxy.requests == []
        assert len(server.requests) == 1


@KIND
def test_a_socks_proxy_without_its_extra_is_a_clear_configuration_error(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)  # as if httpx[socks] were not installed
    monkeypatch.setenv("ALL_PROXY", "socks5://me:secret@127.0.0.1:1080")
    make = OrgClient if kind == "sync" else AsyncOrgClient
    with pytest.raises(errors.ConfigurationError, match=re.escape("httpx[socks]")) as info:
        make(KEY)  # https://api.arize.com: the proxy applies; nothing is sent
    assert "secret" not in str(info.value)


# ---- the command line: input errors --------------------------------------------------------


def test_cli_input_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    rows = tmp_path / "rows.csv"
    rows.write_text(f"user,role\n{USER},member\n")
    with HostileServer(reply(answer(200, membership()))) as server:
        bulk = ("add-users", "--org", ORG, str(rows), "--base-url", server.base_url)
        runs = [
            (
                "add-user",
                "--org",
                ORG,
                "--user",
                USER,
                "--role",
                "member",
                "--base-url",
                "http://[::1",
            ),
            ("add-users", "--org", ORG, str(rows), "--base-url", "https://api.arize.com/?x=1"),
            (*bulk, "--report", str(tmp_path / "missing" / "report.jsonl")),
            (*bulk, "--rate", "nan"),
            (*bulk, "--rate", "inf"),
            (*bulk, "--rate", "-1"),
        ]
        if Path("/dev/full").exists():
            runs.append((*bulk, "--report", "/dev/full"))
        for args in runs:
            code, _, err = run_cli(capsys, *args)
            assert code == 2, (args, err)
            assert err.count("\n") == 1 and err.startswith("arize-orgs"), (args, err)
            assert "please report" not in err and "Traceback" not in err
        assert server.requests == []


def test_cli_sandbox_input_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    """In a child process: a sandbox that did start would serve until killed."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [\n")
    not_a_spec = tmp_path / "hello.yaml"
    not_a_spec.write_text("hello\n")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        for args in [
            ("--port", "99999"),
            ("--port", port),  # in use
            ("--spec", str(broken)),
            ("--spec", str(not_a_spec)),
            ("--latency", "nan"),
            ("--fail-rate", "nan"),
        ]:
            done = subprocess.run(
                [sys.executable, "-m", "arize_orgs", "sandbox", *args],
                capture_output=True,
                text=True,
                timeout=120,
                stdin=subprocess.DEVNULL,
                env={k: v for k, v in os.environ.items() if not k.startswith("ARIZE_")},
            )
            assert done.returncode == 2, (args, done.stderr)
            err = done.stderr
            assert err.count("\n") == 1 and err.startswith("arize-orgs"), (args, err)
            assert "please report" not in err


# ---- the terminal --------------------------------------------------------------------------


def test_server_text_reaches_the_terminal_escaped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error's title and detail, a membership's fields and a role the
    server changed: escape sequences are shown, never acted on."""
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    custom = {"type": "CUSTOM", "id": EVIL, "name": EVIL}
    with HostileServer(
        sequence(
            reply(answer(400, problem(400, title=EVIL, detail=EVIL), reason="Bad\x1b[2J")),
            reply(answer(200, membership(id=EVIL, role=custom))),
        )
    ) as server:
        args = ("add-user", "--org", ORG, "--user", USER, "--role", "member")
        code, out, err = run_cli(capsys, *args, "--base-url", server.base_url)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and not CONTROL.search(err), err
        code, out, err = run_cli(capsys, *args, "--base-url", server.base_url)
        assert code == 0
        assert out.count("\n") == 1 and not CONTROL.search(out), out
        assert "arize-orgs: warning:" in err and not CONTROL.search(err), err


def test_file_cells_reach_the_terminal_escaped(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sandbox: Sandbox,
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", sandbox.admin_key)
    org = sandbox.add_organization("Cells")
    jane = sandbox.add_user(f"jane{len(sandbox.world.users)}@cells.test")
    rows = tmp_path / "rows.csv"
    with rows.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerows(
            [["user", "role"], [EVIL, "member"], [jane, EVIL], [f"{EVIL}@x.test", "member"]]
        )
    base = ("add-users", "--org", org, str(rows), "--base-url", sandbox.base_url)
    for extra in ((), ("--dry-run",)):
        code, out, err = run_cli(capsys, *base, *extra)
        assert code == 1
        assert not CONTROL.search(out) and not CONTROL.search(err), (out, err)
        # One line per invalid row: on stderr, or with the dry run's lines on stdout.
        lines = (out if extra else err).splitlines()
        assert len([line for line in lines if ": invalid: " in line]) == 3, (out, err)


# ---- a success answer is checked -----------------------------------------------------------


@KIND
@pytest.mark.parametrize("wrong", ["user", "organization"])
def test_a_success_naming_another_user_or_organization_is_refused(kind: str, wrong: str) -> None:
    other = membership(user=OTHER_USER) if wrong == "user" else membership(org=OTHER_ORG)
    with (
        HostileServer(reply(answer(200, other))) as server,
        pytest.raises(errors.APIResponseValidationError, match="as asked"),
    ):
        add(kind, server.base_url)


@KIND
def test_a_success_with_another_role_is_reported_as_a_warning(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        HostileServer(echo_membership(role="ADMIN")) as server,
        caplog.at_level(logging.WARNING, logger="arize_orgs"),
    ):
        assert add(kind, server.base_url, role="member").role == Role.ADMIN
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("admin" in w and "not member as asked" in w for w in warnings), warnings


def test_the_cli_and_bulk_report_a_role_the_server_changed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", KEY)
    report = tmp_path / "report.jsonl"
    with HostileServer(echo_membership(role="ADMIN")) as server:
        code, _, err = run_cli(
            capsys, "add-user", "--org", ORG, "--user", USER, "--role", "member",
            "--base-url", server.base_url,
        )  # fmt: skip
        assert code == 0
        assert err.startswith("arize-orgs: warning:") and "not member as asked" in err
        with OrgClient(KEY, base_url=server.base_url) as client:
            result = client.add_users(ORG, [{"user": USER, "role": "member"}], report=report)
    (row,) = result.results
    assert (row.outcome, row.answered_role) == ("ok", "admin")
    record = json.loads(report.read_text().splitlines()[-1])
    assert "not member as sent" in record["reason"]


# ---- look-alike emails ---------------------------------------------------------------------


def test_a_look_alike_email_does_not_resolve_to_another_user(sandbox: Sandbox) -> None:
    """The sandbox, like a server matching without case, answers kate@ for
    the Kelvin sign's '\u212aate@'; the client compares exactly (ASCII
    letters without case) and does not take it."""
    n = len(sandbox.world.users)
    kate = sandbox.add_user(f"kate{n}@acme.test")
    org = sandbox.add_organization(f"Look-alikes {n}")
    look_alike = f"\u212aate{n}@acme.test"
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
        assert [u.id for u in client.list_users(look_alike).users] == [kate]
        with pytest.raises(errors.InvalidInputError, match="no user has the email"):
            client.find_user(look_alike)
        assert client.find_user(f"KATE{n}@ACME.test").id == kate
        few = client.add_users(org, [{"user": look_alike, "role": "member"}])
        many = client.add_users(
            org,
            [{"user": look_alike, "role": "member"}]
            + [{"user": f"nobody{i}@acme.test", "role": "member"} for i in range(11)],
        )
    assert [r.outcome for r in few.results] == ["invalid"]
    assert {r.outcome for r in many.results} == {"invalid"}
    assert sandbox.role_of(org, kate) is None


# ---- deep nesting in files -----------------------------------------------------------------


def test_deep_nesting_in_a_jsonl_row_or_a_resumed_report_is_no_traceback(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    n = len(sandbox.world.users)
    org = sandbox.add_organization(f"Deep {n}")
    users = [sandbox.add_user(f"deep{n}-{i}@acme.test") for i in range(2)]
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"user": users[0], "role": "member"})
        + "\n"
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + '{"user": '
        + "[" * 100_000
        + "]" * 100_000
        + ', "role": "member"}\n'
        + json.dumps({"user": users[1], "role": "member"})
        + "\n"
    )
    report = tmp_path / "report.jsonl"
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
        first = client.add_users(org, rows, report=report)
        assert sorted((r.line, r.outcome) for r in first.results) == [
            (1, "ok"),
            (2, "invalid"),
            (3, "invalid"),
            (4, "ok"),
        ]
        with report.open("a") as f:
            f.write("[" * 100_000 + "]" * 100_000 + "\n")
        again = client.add_users(org, rows, resume=report)
    assert again.summary.counts["skipped"] == 2


# ---- the sandbox ---------------------------------------------------------------------------


def test_the_sandbox_routes_ids_that_hold_a_slash(sandbox: Sandbox) -> None:
    slashed = "VXNlcjoxOng/"  # base64 of 'User:1:x?': a valid id, ending in '/'
    sandbox.world.users[slashed] = SandboxUser(
        slashed, "slash@acme.test", "Slash", sandbox.world.users[sandbox.admin_user_id].account_role
    )
    org = sandbox.add_organization("Slashes")
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
        assert client.get_user(slashed).id == slashed
        assert client.add_user(org, slashed, "member").user_id == slashed
    assert sandbox.role_of(org, slashed) == Role.MEMBER


def test_the_sandbox_answers_deeply_nested_json_with_422(sandbox: Sandbox) -> None:
    org = sandbox.add_organization("Deep JSON")
    answered = httpx.post(
        f"{sandbox.base_url}/v2/organizations/{org}/users",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={"Authorization": f"Bearer {sandbox.admin_key}"},
    )
    assert answered.status_code == 422
    assert answered.headers["content-type"] == "application/problem+json"


@pytest.fixture
def uvicorn_records() -> Iterator[list[logging.LogRecord]]:
    """What uvicorn logs (its loggers do not propagate to pytest's)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(logging.DEBUG)
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(keep)
    yield records
    logger.removeHandler(keep)


def test_the_sandbox_logs_a_client_disconnect_quietly(
    sandbox: Sandbox, uvicorn_records: list[logging.LogRecord]
) -> None:
    org = sandbox.add_organization("Gone")
    path = f"/v2/organizations/{org}/users"
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {sandbox.admin_key}\r\n"
            "Content-Length: 100\r\n\r\n{".encode()
        )
        time.sleep(0.2)  # let the request start; the client then goes away
    deadline = time.monotonic() + 30
    while not any(p == path for _, p, _ in sandbox.request_log):
        assert time.monotonic() < deadline, "the sandbox never finished the request"
        time.sleep(0.05)
    assert [r for r in uvicorn_records if r.levelno >= logging.ERROR] == []


# ---- memory (slow: about ten seconds of subprocesses) --------------------------------------


@pytest.mark.slow
def test_peak_memory_stays_under_100_mb_against_floods() -> None:
    """scripts/hostile_rss.py: an endless body, a gzip bomb (1 GiB inflated)
    and a 100 MB problem detail, each in a fresh interpreter."""
    for flag in ([], ["--async"]):
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "hostile_rss.py"), "--json", *flag],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        measured = json.loads(done.stdout)
        for case in measured["cases"]:
            assert case["peak_mib"] < 100, case
        outcomes = [c["outcome"] for c in measured["cases"]]
        assert outcomes == [
            "ok",
            "ResponseTooLargeError",
            "ResponseTooLargeError",
            "BadRequestError",
        ]


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\u2060", "\ufeff", "\u00ad"],
)
def test_invisible_characters_are_shown_escaped(invisible: str) -> None:
    # Each makes one text look like another on a terminal (zw@ reads as z@...).
    shown = printable(f"kate{invisible}@acme.test")
    assert invisible not in shown
    code = ord(invisible)
    escape = f"x{code:02x}" if code <= 0xFF else f"u{code:04x}"
    assert shown == f"kate\\{escape}@acme.test"


def test_a_file_with_endless_lines_is_read_in_bounded_pieces(tmp_path: Path) -> None:
    from arize_orgs.bulk.report import RunIdentity, read_done
    from arize_orgs.bulk.rows import MAX_LINE, RowSource

    rows = tmp_path / "rows.csv"
    rows.write_text(f"user,role\n{'a' * (MAX_LINE * 40)},member\n{USER},member\n")
    got = list(RowSource(rows))
    assert [type(r).__name__ for r in got] == ["BadRow", "InputRow"]
    assert "over 65,536 characters" in got[0].reason  # type: ignore[union-attr]
    # A "report" of one endless line is no report: refused, not read whole.
    endless = tmp_path / "endless.jsonl"
    endless.write_text("x" * (MAX_LINE * 40))
    identity = RunIdentity(ORG, "http://127.0.0.1:9", "rows.csv", 1, "0" * 64)
    with pytest.raises(errors.InvalidInputError, match="not an arize-orgs report"):
        list(read_done(endless, identity))
