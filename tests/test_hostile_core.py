"""The core, after an attack on issue 13's hardening: what a second tester
found and how it is fixed. SECURITY.md names these tests.

Every client here talks to a MockTransport or to a loopback server
(tests/hostile_server.py): nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from arize_orgs import AsyncOrgClient, OrgClient, User, _http, _redact, errors

from fakes import Script, membership
from fakes import user as fake_user
from hostile_server import HostileServer, answer, reply

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
USER = "VXNlcjoxMjM0NQ=="


def everything(exc: BaseException) -> str:
    """All that an exception can show a user."""
    parts = [str(exc), repr(exc), repr(exc.args), *traceback.format_exception(exc)]
    for name in ("title", "detail", "type", "instance", "body", "reason"):
        parts.append(str(getattr(exc, name, "")))
    parts.append(json.dumps(getattr(exc, "extensions", {})))
    return "\n".join(parts)


# ---- the key: every client's, in every form ------------------------------------------------


def echo_key(request: httpx.Request) -> httpx.Response:
    """A 400 whose problem quotes the Authorization header."""
    return httpx.Response(
        400, json={"title": "No", "detail": f"you sent {request.headers['authorization']}"}
    )


def test_a_hundred_clients_are_made_quickly_and_the_first_ones_key_is_still_scrubbed() -> None:
    """Before: after 64 other keys the first client's key was forgotten and
    echoed in full, and making 64 clients took 81 s (every new key recompiled
    one pattern of all of them)."""
    keys = [f"sk-many-{n:03d}-0123456789abcdef" for n in range(100)]
    transport = httpx.MockTransport(echo_key)
    start = time.monotonic()
    clients = [OrgClient(key, transport=transport, max_retries=0) for key in keys]
    made = time.monotonic() - start
    try:
        for client, key in [(clients[0], keys[0]), (clients[-1], keys[-1])]:
            with pytest.raises(errors.BadRequestError) as info:
                client.list_users()
            assert key not in everything(info.value)
            assert info.value.detail == "you sent Bearer ***"
    finally:
        for client in clients:
            client.close()
    assert made < 5.0  # generous: about 0.05 s here


def test_a_key_is_forgotten_only_once_no_client_holds_it() -> None:
    """Keys are bounded by the clients alive, not by a count: a key whose
    clients are all gone is forgotten when another comes; a live one never is."""
    live, gone = "sk-live-0123456789abcdef", "sk-gone-0123456789abcdef"
    keeper = OrgClient(live, transport=httpx.MockTransport(echo_key))
    copy = keeper.with_options(max_retries=0)  # a copy holds the key too
    OrgClient(gone, transport=httpx.MockTransport(echo_key)).close()
    gc.collect()
    keeper.close()
    OrgClient("sk-another-0123456789abcdef", transport=httpx.MockTransport(echo_key)).close()
    assert _redact.scrub(f"{live} {gone}") == f"*** {gone}"
    with pytest.raises(errors.ClientClosedError):
        copy.list_users()
    assert _redact.scrub(live) == "***"  # the copy still holds it


# A key may hold any visible ASCII character, a backslash and quotes included.
ODD_KEY = "sk-quote\"back\\slash'tick-0123456789"
TAIL = "slash'tick-0123456789"  # what must never show, in any form


def odd_key_forms() -> list[str]:
    return [
        TAIL,
        TAIL.encode().hex(),
        TAIL.encode().hex().upper(),
        json.dumps(TAIL)[1:-1],
        repr(TAIL.encode())[2:-1],
    ]


def test_the_key_in_hex_or_with_escaped_backslashes_and_quotes_is_scrubbed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The key's bytes in hex (either case), and a key holding a backslash or
    quotes as JSON escapes it in a problem (`exc.body`) or as repr() shows it
    in httpcore's DEBUG lines (`\\\\`, `\\'`), twice escaped too."""
    key = ODD_KEY
    body = json.dumps(
        {
            "title": "No",
            "detail": f"hex {key.encode().hex()} HEX {key.encode().hex().upper()}",
            "echo": key,
            "again": json.dumps(key),  # JSON text escaped again
        }
    ).encode()
    refusal = answer(
        400,
        body,
        reason=f"No {key}",
        headers={"X-Echo": f"Bearer {key}", "X-Hex": key.encode().hex().upper()},
    )
    caplog.set_level(logging.DEBUG)
    with (
        HostileServer(reply(refusal)) as server,
        OrgClient(key, base_url=server.base_url, max_retries=0) as client,
        pytest.raises(errors.BadRequestError) as info,
    ):
        client.add_user(ORG, USER, "member")
    shown = everything(info.value)
    # The body keeps the answer as it came, the JSON-escaped key scrubbed.
    assert '"echo": "***"' in info.value.body
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    for record in caplog.records:
        shown += "\n" + record.getMessage() + "\n" + repr(vars(record))
    for form in odd_key_forms():
        assert form not in shown, f"the key leaked as {form!r}"
    assert info.value.detail == "hex *** HEX ***"


@pytest.mark.parametrize(
    "text",
    [
        ODD_KEY.encode().hex(),
        ODD_KEY.encode().hex().upper(),
        json.dumps(ODD_KEY),  # \" and \\
        json.dumps(json.dumps(ODD_KEY)),  # escaped twice
        repr(ODD_KEY),  # \\ and \'
        repr(ODD_KEY.encode()),
        repr(repr(ODD_KEY)),
    ],
)
def test_each_escaped_form_of_an_odd_key_is_scrubbed(text: str) -> None:
    _redact.register(ODD_KEY)
    assert TAIL not in _redact.scrub(text)
    assert "***" in _redact.scrub(text)
    for form in odd_key_forms():
        assert form not in _redact.scrub(f"before {text} after")


# ---- look-ups keep only what matches ---------------------------------------------------------


def listed(uid: str, email: str) -> dict[str, Any]:
    return {
        "id": uid,
        "email": email,
        "name": "Someone",
        "status": "ACTIVE",
        "role": {"type": "PREDEFINED", "name": "MEMBER"},
        "is_developer": False,
    }


def paged(pages: list[list[dict[str, Any]]], seen: list[int] | None = None) -> httpx.MockTransport:
    """GET /v2/users answered with `pages` in turn (the cursor is the next
    page's number), an add with the membership asked for; `seen` gets the
    number of User objects alive as each page is asked for."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return membership(request)
        at = int(request.url.params.get("cursor", "0"))
        if seen is not None:
            gc.collect()
            seen.append(sum(isinstance(o, User) for o in gc.get_objects()))
        more = at + 1 < len(pages)
        pagination = {"has_more": more, "next_cursor": str(at + 1) if more else None}
        return httpx.Response(200, json={"users": pages[at], "pagination": pagination})

    return httpx.MockTransport(handler)


def run(kind: str, call: Callable[[Any], Any], transport: httpx.MockTransport) -> Any:
    """`call(client)` through the sync or the async client."""
    if kind == "sync":
        with OrgClient("sk-look-up-0123456789", transport=transport, max_retries=0) as client:
            return call(client)

    async def go() -> Any:
        async with AsyncOrgClient(
            "sk-look-up-0123456789", transport=transport, max_retries=0
        ) as client:
            return await call(client)

    return asyncio.run(go())


KIND = pytest.mark.parametrize("kind", ["sync", "async"])


@KIND
@pytest.mark.parametrize("how", ["find_user", "add_user"])
def test_a_look_up_keeps_only_the_users_that_match(kind: str, how: str) -> None:
    """Before, every user of every page was kept until the last page: pages
    of 36,000 other users grew to 633 MB. Now a page is let go as soon as
    its matches are taken."""
    others = 400
    pages = [
        [listed(f"VXNlcjo{p}-{n}", f"other{n}@acme.test") for n in range(others)] for p in range(8)
    ]
    pages[5].append(listed(USER, "Kate@Acme.test"))
    seen: list[int] = []
    transport = paged(pages, seen)
    if how == "find_user":
        found = run(kind, lambda c: c.find_user("kate@acme.test"), transport)
        assert found.id == USER
    else:
        added = run(kind, lambda c: c.add_user(ORG, "kate@acme.test", "member"), transport)
        assert added.user_id == USER
    assert len(seen) == len(pages)
    # At most the page being read and the one before it are alive, never all.
    assert max(seen) < 2 * others + 10, seen


@KIND
def test_an_email_many_users_share_lists_five_ids_printable(kind: str) -> None:
    pages = [
        [listed(f"VXNlcjo{p}{n}\x1b[2J", "kate@acme.test") for n in range(4)] for p in range(3)
    ]
    with pytest.raises(errors.InvalidInputError) as info:
        run(kind, lambda c: c.find_user("kate@acme.test"), paged(pages))
    message = str(info.value)
    assert message.startswith("12 users have the email 'kate@acme.test' (")
    assert message.count("VXNlcjo") == 5
    assert ", and 7 more); pass the user id instead" in message
    assert "\x1b" not in message and "\\x1b[2J" in message


# ---- a success answer is checked against the request ---------------------------------------

OTHER_USER = "VXNlcjo5OTk5OQ=="


@KIND
def test_get_user_answered_with_another_user_is_refused(kind: str) -> None:
    """Like a membership of another user: before, the other user was
    returned (and add_user(check_account=True) checked the annotator rule
    against their account role)."""
    script = Script(
        httpx.Response(200, json=fake_user("member", uid=OTHER_USER)),
        httpx.Response(200, json=fake_user("annotator", uid=OTHER_USER)),
    )
    transport = script.transport() if kind == "sync" else script.async_transport()
    with pytest.raises(errors.APIResponseValidationError) as info:
        run(kind, lambda c: c.get_user(USER), transport)
    assert f"the answer is user '{OTHER_USER}', not user {USER} as asked" in str(info.value)
    assert info.value.method == "GET" and "nothing was changed" in str(info.value)
    with pytest.raises(errors.APIResponseValidationError):
        run(kind, lambda c: c.add_user(ORG, USER, "member", check_account=True), transport)
    assert [r.method for r in script.requests] == ["GET", "GET"]  # no add was sent


# ---- Retry-After -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e999", "nan", "NaN", "-1", "-0.5"])
def test_a_retry_after_that_is_not_finite_or_negative_is_treated_as_absent(value: str) -> None:
    """Before: `inf` read "retry after inf s", and `nan` became 0 (retry at
    once)."""
    assert errors.parse_retry_after(value) is None
    exc = errors.from_response(429, "Too Many Requests", b"", {"retry-after": value})
    assert isinstance(exc, errors.RateLimitError) and exc.retry_after is None
    assert "rate limited: retry later" in str(exc)
    assert _http.backoff(exc) is True  # the usual backoff, not an immediate retry


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("-0", 0.0), (" 7 ", 7.0)])
def test_a_finite_retry_after_is_kept(value: str, seconds: float) -> None:
    assert errors.parse_retry_after(value) == seconds
    exc = errors.from_response(429, "Too Many Requests", b"", {"retry-after": value})
    assert f"retry after {seconds:g} s" in str(exc)


# ---- event loops -----------------------------------------------------------------------------

PAGE = json.dumps({"users": [], "pagination": {}}).encode()


def test_an_async_client_used_in_a_second_event_loop_is_a_clear_error() -> None:
    """Before: `RuntimeError: Event loop is closed` from deep in httpx. Its
    keep-alive connection belongs to the first loop; nothing is sent from
    the second, and closing it from there works."""
    with HostileServer(reply(answer(200, PAGE))) as server:
        client = AsyncOrgClient("sk-loops-0123456789", base_url=server.base_url, max_retries=0)
        copy_ = client.with_options(timeout=5)
        assert asyncio.run(client.list_users()).users == ()
        for used in (client, copy_):
            with pytest.raises(errors.EventLoopError) as info:
                asyncio.run(used.list_users())
            assert isinstance(info.value, RuntimeError)
            assert "make one AsyncOrgClient per asyncio.run()" in str(info.value)
        assert len(server.requests) == 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # the first loop's socket, let go
            asyncio.run(client.aclose())
            gc.collect()
        with pytest.raises(errors.ClientClosedError):
            asyncio.run(client.list_users())


def test_an_async_client_may_be_used_again_in_its_own_event_loop() -> None:
    async def twice() -> None:
        async with AsyncOrgClient(
            "sk-loops-0123456789", transport=paged([[]]), max_retries=0
        ) as client:
            await client.list_users()
            await client.with_options(max_retries=1).list_users()

    asyncio.run(twice())


def test_sync_add_users_inside_a_running_event_loop_says_to_use_the_async_client() -> None:
    """Before: asyncio's RuntimeError and a "coroutine ... was never awaited"
    warning (in a notebook, say)."""
    script = Script()  # nothing may be sent

    async def notebook_cell() -> None:
        with OrgClient("sk-loops-0123456789", transport=script.transport()) as client:
            client.add_users(ORG, [{"user": USER, "role": "member"}])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(errors.EventLoopError) as info:
            asyncio.run(notebook_cell())
        gc.collect()
    assert "use AsyncOrgClient and `await client.add_users(...)`" in str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], caught
    assert script.requests == []
