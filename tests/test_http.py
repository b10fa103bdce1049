"""Transport concerns, unit by unit (`_http`): timeouts, the key and base URL
checked, proxies chosen, the retry hooks and deadlines on a clock that moves
only when told, and transport failures mapped to our exceptions. No sockets."""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import re
import ssl
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import idna
import pytest
import stamina
import trustme

from arize_orgs import AsyncOrgClient, OrgClient, _deadline, _http, _redact, errors
from arize_orgs._http import Config, as_timeout, attempt_seconds, check_key, resolve
from arize_orgs._text import printable

from fakes import KEY

BASE = "https://api.arize.com"


def config(**changes: Any) -> Config:
    fields: dict[str, Any] = {
        "api_key": KEY,
        "base_url": BASE,
        "timeout": httpx.Timeout(10.0),
        "max_retries": 2,
        "verify": True,
    }
    return Config(**{**fields, **changes})


# ---- timeouts and deadlines --------------------------------------------------------


def test_an_attempt_may_take_the_longest_of_the_timeouts_and_none_when_all_are_off() -> None:
    assert attempt_seconds(httpx.Timeout(30.0, connect=5.0)) == 30.0
    assert attempt_seconds(httpx.Timeout(1.0, read=2.0, write=4.0, pool=3.0)) == 4.0
    assert attempt_seconds(httpx.Timeout(None, connect=2.0)) == 2.0
    assert attempt_seconds(httpx.Timeout(None)) is None
    assert config(timeout=httpx.Timeout(None)).attempt is None


def test_a_call_may_take_every_attempt_and_the_longest_backoff_between_them() -> None:
    assert config().budget == 3 * 10.0 + 2 * 8.5
    assert config(max_retries=0).budget == 10.0
    assert config(timeout=httpx.Timeout(None)).budget == math.inf


def test_a_config_never_shows_its_key() -> None:
    assert repr(config()) == "Config(base_url='https://api.arize.com', api_key='***')"


@pytest.mark.parametrize(
    ("given", "read", "connect"),
    [(None, 30.0, 5.0), (2, 2.0, 2.0), (5, 5.0, 5.0), (12.5, 12.5, 5.0)],
)
def test_a_timeout_in_seconds_caps_connecting_at_5_seconds(
    given: float | None, read: float, connect: float
) -> None:
    timeout = as_timeout(given)
    assert (timeout.read, timeout.write, timeout.pool, timeout.connect) == (
        read,
        read,
        read,
        connect,
    )
    assert type(timeout.connect) is float


def test_an_httpx_timeout_is_taken_as_it_is() -> None:
    given = httpx.Timeout(1.0, connect=9.0)
    assert as_timeout(given) is given


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (0, "timeout must be a positive, finite number of seconds, not 0"),
        (-1.5, "timeout must be a positive, finite number of seconds, not -1.5"),
        (math.inf, "timeout must be a positive, finite number of seconds, not inf"),
        (math.nan, "timeout must be a positive, finite number of seconds, not nan"),
        (True, "timeout must be a number of seconds, not True"),
        ("5", "timeout must be a number of seconds, not '5'"),
    ],
)
def test_a_timeout_that_cannot_bound_a_call_is_refused(given: Any, message: str) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        as_timeout(given)
    assert str(info.value) == message


@pytest.mark.parametrize("given", [-1, True, 1.5, "2"])
def test_max_retries_is_a_whole_number_of_at_least_0(given: Any) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        _http.check_max_retries(given)
    assert str(info.value) == (
        f"max_retries must be a whole number >= 0 (0 disables retries), not {given!r}"
    )
    assert _http.check_max_retries(0) == 0 and _http.check_max_retries(7) == 7


# ---- the key and the base URL ------------------------------------------------------


def test_a_key_of_visible_ascii_is_taken() -> None:
    assert check_key("!sk-~0123") == "!sk-~0123"


@pytest.mark.parametrize(
    ("key", "what", "at"),
    [
        ("sk-12\n", "a line break (was it read from a file with more than one line?)", 6),
        ("sk\r-12", "a line break (was it read from a file with more than one line?)", 3),
        ("sk 12", "a blank", 3),
        ("\tsk12", "a blank", 1),
        ("sk\x0012", "a control character", 3),
        ("sk12\x7f", "a control character", 5),
        ("skü12", "a character that is not ASCII", 3),
    ],
)
def test_a_key_that_cannot_be_sent_says_where_it_went_wrong(key: str, what: str, at: int) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        check_key(key)
    assert str(info.value) == (
        f"the API key has {what} at position {at} of {len(key)}; an API key is visible ASCII "
        "only: copy it again, e.g. from the Arize UI"
    )


ADVICE = "give the scheme, host, port and path prefix only, e.g. https://api.arize.com"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://exa mple.com",
            "base URL 'https://exa mple.com' contains blanks or control characters",
        ),
        (
            "https://a.test/\x1b",
            "base URL 'https://a.test/\\\\x1b' contains blanks or control characters",
        ),
        ("ftp://a.test", f"base URL 'ftp://a.test' is not an http(s) URL; {ADVICE}"),
        ("https://", f"base URL 'https://' is not an http(s) URL; {ADVICE}"),
        (
            "https://a.test?x=1",
            "base URL 'https://a.test?x=1' has a query or a fragment, which would send requests "
            f"to the wrong path; {ADVICE}",
        ),
        (
            "https://a.test/#top",
            "base URL 'https://a.test/#top' has a query or a fragment, which would send requests "
            f"to the wrong path; {ADVICE}",
        ),
        (
            "https://me:secret@a.test",
            "the base URL carries a user name or password, which would replace the API key as "
            f"the request's credentials; {ADVICE}",
        ),
        (
            "https://me@a.test",
            "the base URL carries a user name or password, which would replace the API key as "
            f"the request's credentials; {ADVICE}",
        ),
        (
            "http://a.test",
            "refusing to send the API key over plain http to a.test: use https:// (plain http is "
            "allowed only to loopback, e.g. the sandbox)",
        ),
        (
            "http://10.0.0.1:80",
            "refusing to send the API key over plain http to 10.0.0.1: use https:// (plain http "
            "is allowed only to loopback, e.g. the sandbox)",
        ),
    ],
)
def test_a_base_url_the_key_may_not_go_to_is_refused_saying_why(url: str, message: str) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        _http._base_url(url)
    assert str(info.value) == message


def test_a_malformed_base_url_says_what_is_wrong_with_it() -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        _http._base_url("https://a.test:99999")
    assert str(info.value) == (
        "base URL 'https://a.test:99999' is malformed (Port out of range 0-65535); " + ADVICE
    )


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://a.test/v2", "a.test"),
        ("http://localhost:8000", "localhost"),
        ("http://127.0.0.1:9", "127.0.0.1"),
        ("http://127.8.9.1", "127.8.9.1"),
        ("http://[::1]:5", "::1"),
    ],
)
def test_a_base_url_is_taken_with_its_host(url: str, host: str) -> None:
    assert _http._base_url(url) == (url, host)


def test_resolve_takes_arguments_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", " sk-env-0123 ")
    monkeypatch.setenv("ARIZE_BASE_URL", "https://env.test/")
    made = resolve(None, None, None, None, True)
    assert (made.api_key, made.base_url, made.max_retries) == ("sk-env-0123", "https://env.test", 2)
    assert (made.timeout.read, made.timeout.connect, made.proxy) == (30.0, 5.0, None)
    assert made.retry_rate_limits is True
    made = resolve("sk-arg-0123", " https://arg.test// ", 3, 0, False)
    assert (made.api_key, made.base_url, made.max_retries, made.verify) == (
        "sk-arg-0123",
        "https://arg.test",
        0,
        False,
    )
    assert (made.timeout.read, made.timeout.connect) == (3.0, 3.0)


@pytest.mark.parametrize("key", [None, "", "  "])
def test_no_key_names_both_ways_to_give_one(key: str | None) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        resolve(key, None, None, None, True)
    assert str(info.value) == (
        "no API key: pass api_key=... or set the ARIZE_API_KEY environment variable (an Arize "
        "API key of an organization admin)"
    )


def test_without_a_base_url_the_client_goes_to_arize() -> None:
    assert resolve(KEY, None, None, None, True).base_url == "https://api.arize.com"
    assert resolve(KEY, "", None, None, True).base_url == "https://api.arize.com"


def test_turning_verification_off_warns_once_per_client(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="arize_orgs"):
        resolve(KEY, None, None, None, True)
        assert caplog.records == []
        resolve(KEY, None, None, None, False)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "arize_orgs",
            "WARNING",
            "TLS certificate verification is off: the API key can be intercepted",
        )
    ]


def test_a_malformed_key_is_refused_without_being_shown(fresh_keys: None) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        resolve("sk-bad\nsk-key-0123", None, None, None, True)
    assert "sk-bad" not in str(info.value)


# ---- proxies -------------------------------------------------------------------------------


def test_the_proxy_is_the_environments_for_the_scheme_then_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _http._proxy_for("https://a.test", "a.test") is None
    monkeypatch.setenv("ALL_PROXY", "http://all.proxy:1")
    assert _http._proxy_for("https://a.test", "a.test") == "http://all.proxy:1"
    monkeypatch.setenv("HTTPS_PROXY", "http://https.proxy:2")
    assert _http._proxy_for("https://a.test", "a.test") == "http://https.proxy:2"
    assert resolve(KEY, "https://a.test", None, None, True).proxy == "http://https.proxy:2"
    monkeypatch.setenv("NO_PROXY", "a.test")
    assert _http._proxy_for("https://a.test", "a.test") is None
    assert _http._proxy_for("https://b.test", "b.test") == "http://https.proxy:2"
    monkeypatch.setenv("HTTP_PROXY", "http://http.proxy:3")
    assert _http._proxy_for("http://localhost:8", "localhost") is None


def test_a_proxy_that_cannot_be_used_is_a_configuration_error_without_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = config(proxy="socks5://me:secret@127.0.0.1:1080")
    monkeypatch.setitem(sys.modules, "socksio", None)
    for make in (_http.sync_client, _http.async_client):
        with pytest.raises(errors.ConfigurationError) as info:
            make(made, None)  # type: ignore[operator]
        assert str(info.value) == (
            "the proxy socks5://127.0.0.1 named by the environment (HTTPS_PROXY or ALL_PROXY) "
            "needs SOCKS support: pip install 'httpx[socks]', or unset the variable"
        )
    for make in (_http.sync_client, _http.async_client):
        with pytest.raises(errors.ConfigurationError) as info:
            make(config(proxy="gopher://me:secret@p.test:70"), None)  # type: ignore[operator]
        assert str(info.value).startswith(
            "the proxy gopher://p.test named by the environment (HTTPS_PROXY or ALL_PROXY) "
            "cannot be used: Unknown scheme for proxy URL"
        )
        assert "secret" not in str(info.value)


# ---- the httpx clients -------------------------------------------------------------------


@pytest.mark.parametrize("make", [_http.sync_client, _http.async_client])
def test_the_clients_send_the_key_and_follow_no_redirect(make: Any) -> None:
    made = make(config(proxy="http://p.test:3128"), None)
    try:
        assert made.headers["authorization"] == f"Bearer {KEY}"
        assert made.headers["user-agent"].startswith("arize-orgs/")
        assert f" httpx/{httpx.__version__}" in made.headers["user-agent"]
        assert made.headers["accept-encoding"] == "gzip, deflate"
        assert str(made.base_url) == BASE
        assert made.timeout == httpx.Timeout(10.0)
        assert made.follow_redirects is False and made.trust_env is False
    finally:
        if isinstance(made, httpx.Client):
            made.close()


def test_the_sync_client_puts_the_deadline_under_an_httpx_transport() -> None:
    mine = httpx.HTTPTransport()
    with _http.sync_client(config(), mine) as made:
        assert made._transport is mine
        assert isinstance(mine._pool._network_backend, _deadline._Backend)
    with _http.sync_client(config(), None) as made:
        pool = made._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool._network_backend, _deadline._Backend)
    mock = httpx.MockTransport(lambda r: httpx.Response(200))
    with _http.sync_client(config(), mock) as made:
        assert made._transport is mock


# ---- retries -------------------------------------------------------------------------------


def status(code: int, retry_after: float | None = None) -> errors.APIStatusError:
    return errors.error_class(code)(code, title="t", retry_after=retry_after)


def test_what_is_retried_and_how_long_is_waited() -> None:
    assert _http.backoff(errors.APIConnectionError("down")) is True
    assert _http.backoff(errors.APITimeoutError("slow")) is True
    assert _http.backoff(ValueError("ours")) is False
    for code in (400, 401, 403, 404, 405, 408, 409, 410, 413, 422, 501):
        assert _http.backoff(status(code)) is False, code
        assert _http.backoff(status(code, 1.0)) is False, code
    for code in (429, 500, 502, 503, 504):
        assert _http.backoff(status(code)) is True, code
        assert _http.backoff(status(code, 60.0)) == 60.0, code
        assert _http.backoff(status(code, 0.0)) == 0.0, code
        assert _http.backoff(status(code, 60.5)) is False, code


def test_a_bulk_run_hands_every_429_back_and_retries_the_rest() -> None:
    hook = _http.backoff_except_rate_limits
    assert hook(status(429)) is False and hook(status(429, 1.0)) is False
    assert hook(status(503)) is True and hook(status(503, 2.0)) == 2.0
    assert hook(errors.APIConnectionError("down")) is True and hook(status(400)) is False
    assert _http.hook_for(config()) is _http.backoff
    assert _http.hook_for(config(retry_rate_limits=False)) is hook


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(_http, "time", SimpleNamespace(monotonic=made.monotonic))
    return made


def test_a_retry_after_wait_is_refused_when_the_next_attempt_would_pass_the_deadline(
    clock: Clock,
) -> None:
    hook = _http._within(_http.backoff, config(), deadline=1020.0)  # attempts of 10 s
    assert hook(status(503, 10.0)) == 10.0  # 1000 + 10 + 10: just in time
    assert hook(status(503, 10.5)) is False
    assert hook(status(503)) is True and hook(status(400)) is False  # backoff is bounded
    clock.now = 1005.0
    assert hook(status(503, 5.0)) == 5.0 and hook(status(503, 5.5)) is False
    unbounded = _http._within(_http.backoff, config(timeout=httpx.Timeout(None)), 1025.0)
    assert unbounded(status(503, 20.0)) == 20.0  # an attempt without a timeout adds nothing


def test_the_next_attempt_ends_at_its_timeout_or_the_calls_deadline(clock: Clock) -> None:
    assert _http._next_deadline(config(), 1020.0) == 1010.0
    assert _http._next_deadline(config(), 1004.0) == 1004.0
    assert _http._next_deadline(config(timeout=httpx.Timeout(None)), 1004.0) == math.inf


class Sender:
    """Plays failures, then answers; records each attempt's deadline and
    moves the clock by `takes` seconds per attempt."""

    def __init__(self, clock: Clock, *outcomes: Exception | str, takes: float = 0.0) -> None:
        self.clock = clock
        self.outcomes = list(outcomes)
        self.deadlines: list[float] = []
        self.takes = takes

    def __call__(self, deadline: float) -> str:
        self.deadlines.append(deadline)
        self.clock.now += self.takes
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def aio(self, deadline: float) -> str:
        return self(deadline)


async def retried(send: Sender, made: Config, kind: str) -> str:
    if kind == "sync":
        return _http.with_retries(send, made)
    return await _http.with_retries_async(send.aio, made)


KINDS = pytest.mark.parametrize("kind", ["sync", "async"])


@KINDS
@pytest.mark.anyio
async def test_the_first_attempt_that_works_is_the_answer(clock: Clock, kind: str) -> None:
    send = Sender(clock, "ok")
    assert await retried(send, config(), kind) == "ok"
    assert send.deadlines == [1010.0]
    send = Sender(clock, "ok")
    assert await retried(send, config(timeout=httpx.Timeout(None)), kind) == "ok"
    assert send.deadlines == [math.inf]


@KINDS
@pytest.mark.anyio
async def test_each_retry_gets_its_timeout_within_the_calls_budget(
    clock: Clock, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    down = errors.APIConnectionError("down")
    send = Sender(clock, down, status(503, 1.0), "ok", takes=10.0)
    with caplog.at_level(logging.INFO, logger="arize_orgs"):
        assert await retried(send, config(), kind) == "ok"
    # budget: 3 x 10 s + 2 x 8.5 s from 1000; stamina's waits are off in tests
    assert send.deadlines == [1010.0, 1020.0, 1030.0]
    assert [r.getMessage() for r in caplog.records if r.name == "arize_orgs"] == [
        "retrying: attempt 2 of 3",
        "retrying: attempt 3 of 3",
    ]
    send = Sender(clock, down, "ok", takes=40.0)
    clock.now = 2000.0
    assert await retried(send, config(), kind) == "ok"
    assert send.deadlines == [2010.0, 2047.0]  # the call's deadline comes first


@KINDS
@pytest.mark.anyio
async def test_a_failure_that_may_not_be_repeated_is_raised_at_once(
    clock: Clock, kind: str
) -> None:
    for first in (status(400), status(429, 61.0)):
        send = Sender(clock, first, "ok")
        with pytest.raises(errors.APIStatusError) as info:
            await retried(send, config(), kind)
        assert info.value is first and len(send.deadlines) == 1
    send = Sender(clock, status(503), "ok")
    with pytest.raises(errors.InternalServerError):
        await retried(send, config(max_retries=0), kind)
    assert len(send.deadlines) == 1
    send = Sender(clock, status(503, 30.0), "ok")  # the wait would pass the deadline
    with pytest.raises(errors.InternalServerError):
        await retried(send, config(max_retries=1), kind)  # budget 28.5 s
    assert len(send.deadlines) == 1


@KINDS
@pytest.mark.anyio
async def test_when_the_retries_run_out_the_last_failure_is_raised(clock: Clock, kind: str) -> None:
    last = status(502)
    send = Sender(clock, status(503), errors.APITimeoutError("slow"), last, "never")
    with pytest.raises(errors.InternalServerError) as info:
        await retried(send, config(), kind)
    assert info.value is last and len(send.deadlines) == 3
    send = Sender(clock, status(503), status(400), "never")
    with pytest.raises(errors.BadRequestError):
        await retried(send, config(max_retries=5), kind)
    assert len(send.deadlines) == 2


@KINDS
@pytest.mark.anyio
async def test_an_error_that_is_not_an_answer_is_never_retried(clock: Clock, kind: str) -> None:
    send = Sender(clock, ValueError("a bug"), "ok")
    with pytest.raises(ValueError, match="a bug"):
        await retried(send, config(), kind)
    assert len(send.deadlines) == 1


# ---- transport failures ----------------------------------------------------------------


URL = "https://api.arize.com/v2/organizations/o/users"
TIMED_OUT = (
    "no complete answer within 30 s; the server may be slow or unreachable: retry later, or "
    "raise the timeout"
)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectTimeout("x"),
        httpx.ReadTimeout("x"),
        httpx.WriteTimeout("x"),
        httpx.PoolTimeout("x"),
    ],
)
def test_a_transport_timeout_is_an_api_timeout_error_naming_its_kind(
    exc: httpx.TimeoutException,
) -> None:
    error = _http.transport_error(exc, "POST", URL, 30.0)
    assert type(error) is errors.APITimeoutError
    assert str(error) == f"POST {URL} timed out ({type(exc).__name__}): {TIMED_OUT}"


def test_a_timeout_without_a_deadline_says_no_time() -> None:
    error = _http.timed_out("GET", URL, None, "the answer was still arriving at the deadline")
    assert str(error) == (
        f"GET {URL} timed out (the answer was still arriving at the deadline): no complete "
        "answer; the server may be slow or unreachable: retry later, or raise the timeout"
    )
    assert "within 2.5 s;" in str(_http.timed_out("GET", URL, 2.5, "x"))


def test_a_connection_failure_is_an_api_connection_error_in_our_words(fresh_keys: None) -> None:
    error = _http.transport_error(httpx.ConnectError("[Errno 111] refused"), "POST", URL)
    assert type(error) is errors.APIConnectionError
    assert str(error) == (
        f"POST {URL} failed: ConnectError: [Errno 111] refused; check the base URL and the network"
    )
    silent = _http.transport_error(httpx.RemoteProtocolError(""), "GET", URL)
    assert str(silent) == (
        f"GET {URL} failed: RemoteProtocolError: connection failed; check the base URL and the "
        "network"
    )


def test_the_transports_words_are_scrubbed_escaped_and_cut(fresh_keys: None) -> None:
    from arize_orgs import _redact

    _redact.register("sk-in-TRANSPORT-0123")
    words = "peer said sk-in-TRANSPORT-0123\r\n" + "w" * 300
    error = _http.transport_error(httpx.ReadError(words), "POST", URL)
    shown = "peer said ***\\r\\n" + "w" * 184 + "…"
    assert (
        str(error) == f"POST {URL} failed: ReadError: {shown}; check the base URL and the network"
    )


# ---- more: helpers, waits and stamina's own limits -----------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.200.0.9", True),
        ("::1", True),
        ("[::1]", True),  # as a URL writes it
        ("10.0.0.1", False),
        ("[::2]", False),
        ("localhost.example", False),
        ("evillocalhost", False),  # a name that ends like it is not it
        ("a-localhost", False),
        ("api.arize.com", False),
    ],
)
def test_loopback_is_localhost_or_a_loopback_address(host: str, loopback: bool) -> None:
    assert _http._is_loopback(host) is loopback


def test_a_base_url_loses_only_its_trailing_slashes() -> None:
    made = resolve(KEY, "https://a.test/v2/BOX//", None, None, True)
    assert made.base_url == "https://a.test/v2/BOX"


def test_retry_waits_grow_from_half_a_second_with_jitter_to_8_seconds(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random
    import time

    import stamina

    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    monkeypatch.setattr(random, "uniform", lambda low, high: high)  # the most jitter
    send = Sender(clock, *[status(503)] * 6, "ok")
    with stamina.set_testing(False):
        assert _http.with_retries(send, config(max_retries=6, timeout=httpx.Timeout(None))) == "ok"
    assert waits == [1.0, 1.5, 2.5, 4.5, 8.0, 8.0]


def test_stamina_does_not_cut_retries_short_of_the_calls_budget(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stamina's own default gives up 45 s after the first retry; the call's
    # budget is ours (here 3 x 60 s + 2 x 8.5 s), so a slow second attempt
    # still gets its retry.
    import time

    import stamina

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    monkeypatch.setattr(time, "monotonic", clock.monotonic)
    send = Sender(clock, status(503), status(503), "ok", takes=50.0)
    with stamina.set_testing(False):
        assert _http.with_retries(send, config(timeout=httpx.Timeout(60.0))) == "ok"
    assert send.deadlines == [1060.0, 1110.0, 1160.0]


def test_what_a_refusal_quotes_of_a_long_base_url_is_cut() -> None:
    long = "https://a.test/" + "p" * 200 + " q"
    with pytest.raises(errors.ConfigurationError) as info:
        _http._base_url(long)
    assert str(info.value) == f"base URL '{long[:119]}…' contains blanks or control characters"
    port = "x" * 200
    with pytest.raises(errors.ConfigurationError) as info:
        _http._base_url(f"https://a.test:{port}")
    why = f"Port could not be cast to integer value as '{port}'"
    assert str(info.value) == (
        f"base URL 'https://a.test:{port[:104]}…' is malformed ({why[:119]}…); {ADVICE}"
    )
    host = ("h" * 50 + ".") * 2 + "test"  # labels of at most 63 characters
    with pytest.raises(errors.ConfigurationError) as info:
        _http._base_url(f"http://{host}/")
    assert str(info.value).startswith(
        f"refusing to send the API key over plain http to {host[:79]}…: use https://"
    )


def test_the_clients_send_no_header_but_httpxs_and_ours() -> None:
    for make in (_http.sync_client, _http.async_client):
        made = make(config(), None)  # type: ignore[operator]
        assert sorted(made.headers.keys()) == [
            "accept",
            "accept-encoding",
            "authorization",
            "connection",
            "user-agent",
        ]


@pytest.mark.parametrize("make", [_http.sync_client, _http.async_client])
def test_the_clients_verify_tls_as_told(make: Any) -> None:
    import ssl

    for verify, mode in ((True, ssl.CERT_REQUIRED), (False, ssl.CERT_NONE)):
        made = make(config(verify=verify), None)
        assert made._transport._pool._ssl_context.verify_mode == mode


def test_a_proxy_without_a_host_or_with_a_long_url_is_shown_as_it_can_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)
    with pytest.raises(errors.ConfigurationError) as info:
        _http.sync_client(config(proxy="socks5://:1080"), None)
    assert str(info.value).startswith("the proxy socks5:// named by the environment")
    long = "gopher://" + "p" * 200 + ":70"
    with pytest.raises(errors.ConfigurationError) as info:
        _http.sync_client(config(proxy=long), None)
    message = str(info.value)
    assert message.startswith("the proxy gopher://pppp")
    assert "… named by the environment (HTTPS_PROXY or ALL_PROXY) cannot be used: " in message
    assert "Unknown scheme for proxy URL" in message
    assert len(message) < 400  # the URL is cut, in the name and in the reason


# ---- construction: only ConfigurationError -------------------------------------------------

LOOPBACK = "http://127.0.0.1:9"  # nothing listens; nothing here is sent anyway


@pytest.mark.parametrize(
    "url",
    [
        "https://a..b",
        "https://.a.b",
        "https://xn--a.com",  # not valid punycode
        "https://" + "a" * 64 + ".com",  # a label over 63 characters
        "https://" + ".".join(["abcdefgh"] * 29) + ".com",  # a name over 253 characters
    ],
)
def test_a_host_name_that_cannot_be_looked_up_is_a_configuration_error(url: str) -> None:
    """Before, UnicodeError or idna's InvalidCodepoint at the first call."""
    for make in (OrgClient, AsyncOrgClient):
        with pytest.raises(errors.ConfigurationError, match="is malformed") as info:
            make("sk-config-0123456789", base_url=url)
        assert isinstance(info.value, errors.InvalidInputError)  # exit 2 in the CLI


@pytest.mark.parametrize(
    "host", ["api.arize.com", "my_host.corp", "b\u00fccher.de", "xn--bcher-kva.de", "a.b.", "::1"]
)
def test_host_names_that_resolve_are_accepted(host: str) -> None:
    """An underscore (docker service names), IDNA and a final dot still pass.
    Checked without making a client: nothing may be sent off this machine."""
    assert _http._host_problem(host) is None


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"base_url": 123}, "base_url must be a str"),
        ({"api_key": b"sk-bytes-0123456789"}, "api_key must be a str, not bytes"),
        ({"verify": "/nonexistent/ca.pem"}, "No such file or directory"),
        ({"verify": 123}, "verify must be True, False, an ssl.SSLContext"),
        ({"verify": ""}, "verify is an empty path"),
    ],
)
def test_wrong_arguments_are_a_configuration_error(arguments: dict[str, Any], says: str) -> None:
    """Before: AttributeError, FileNotFoundError, or nothing until a call."""
    options = {"api_key": "sk-config-0123456789", "base_url": LOOPBACK, **arguments}
    for make in (OrgClient, AsyncOrgClient):
        with pytest.raises(errors.ConfigurationError, match=re.escape(says)) as info:
            make(**options)
        assert "0123456789" not in str(info.value)  # the key, even as bytes, is not shown


def test_a_verify_file_that_is_not_pem_is_a_configuration_error(tmp_path: Path) -> None:
    """Before: ssl.SSLError from inside httpx."""
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    for make in (OrgClient, AsyncOrgClient):
        with pytest.raises(errors.ConfigurationError, match="cannot be used as the CA"):
            make("sk-config-0123456789", base_url=LOOPBACK, verify=str(bundle))
        with pytest.raises(errors.ConfigurationError, match="cannot be used as the CA"):
            make("sk-config-0123456789", base_url=LOOPBACK, verify=bundle)  # a Path too


def test_a_verify_bundle_is_loaded_once_without_httpxs_deprecation_warning(
    tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    with OrgClient("sk-config-0123456789", base_url=LOOPBACK, verify=str(bundle)) as client:
        assert isinstance(client._config.verify, ssl.SSLContext)
        assert client.with_options(max_retries=0)._config.verify is client._config.verify
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_a_transport_of_the_wrong_kind_is_a_configuration_error() -> None:
    """Before: AttributeError at the first call."""
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: OrgClient("sk-config-0123456789", transport=object()),  # type: ignore[arg-type]
            "OrgClient's transport must be an httpx.BaseTransport (such as httpx.HTTPTransport "
            "or httpx.MockTransport), not object",
        ),
        (
            lambda: OrgClient("sk-config-0123456789", transport=httpx.AsyncHTTPTransport()),  # type: ignore[arg-type]
            "OrgClient's transport must be an httpx.BaseTransport (such as httpx.HTTPTransport "
            "or httpx.MockTransport), not AsyncHTTPTransport, which is for AsyncOrgClient",
        ),
        (
            lambda: AsyncOrgClient("sk-config-0123456789", transport=object()),  # type: ignore[arg-type]
            "AsyncOrgClient's transport must be an httpx.AsyncBaseTransport (such as "
            "httpx.AsyncHTTPTransport or httpx.MockTransport), not object",
        ),
        (
            lambda: AsyncOrgClient("sk-config-0123456789", transport=httpx.HTTPTransport()),  # type: ignore[arg-type]
            "AsyncOrgClient's transport must be an httpx.AsyncBaseTransport (such as "
            "httpx.AsyncHTTPTransport or httpx.MockTransport), not HTTPTransport, which is for "
            "OrgClient",
        ),
    ]
    for make, says in cases:
        with pytest.raises(errors.ConfigurationError) as info:
            make()
        assert str(info.value) == says


@pytest.mark.parametrize("kind", [OrgClient, AsyncOrgClient])
def test_a_malformed_proxy_variable_is_a_configuration_error(
    kind: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ValueError ("Invalid IPv6 URL") escaped while the error about
    the proxy was being written."""
    monkeypatch.setenv("HTTPS_PROXY", "http://[::1")
    with pytest.raises(errors.ConfigurationError, match="proxy"):
        kind("sk-config-0123456789")  # refused while being made: nothing exists to send


@pytest.mark.parametrize("proxy", ["127.0.0.1:3128", "proxy.corp:3128", " 127.0.0.1:3128 "])
def test_a_proxy_without_a_scheme_is_http_as_httpx_curl_and_requests_read_it(
    proxy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: refused ("Unknown scheme for proxy URL"). Checked on the
    configuration, without making a client that would send through it."""
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    config = _http.resolve("sk-config-0123456789", "https://api.arize.com", None, None, True)
    assert config.proxy == f"http://{proxy.strip()}"
    httpx.Proxy(config.proxy)  # one httpx takes
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    config = _http.resolve("sk-config-0123456789", "https://api.arize.com", None, None, True)
    assert config.proxy == "socks5://127.0.0.1:1080"  # a scheme given is kept


# ---- the exact words of each refusal ---------------------------------------------------------

NAME_253 = ".".join(["a" * 63] * 3 + ["a" * 61])  # the longest name a resolver takes


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "::1", "fe80::1%eth0", "::ffff:10.0.0.1", NAME_253, NAME_253 + "."]
)
def test_an_ip_address_or_a_name_of_253_characters_is_a_host(host: str) -> None:
    assert len(NAME_253) == _http.MAX_HOST
    assert _http._host_problem(host) is None


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("a" + NAME_253, "the host name is longer than 253 characters"),
        ("a" + NAME_253 + ".", "the host name is longer than 253 characters"),
        ("a..b", "the host name has an empty label (two dots in a row, or a leading dot)"),
        ("a.b..", "the host name has an empty label (two dots in a row, or a leading dot)"),
        ("a" * 64 + ".com", "a label of the host name is longer than 63 characters"),
    ],
)
def test_a_host_name_a_resolver_would_refuse_says_why(host: str, problem: str) -> None:
    assert _http._host_problem(host) == problem


@pytest.mark.parametrize("label", ["\u2603", "xn--a", "xn--" + "\u00fc"])
def test_a_label_that_is_not_a_valid_internationalized_name_is_named(label: str) -> None:
    """Labels that are not ASCII, or that claim to be punycode, go through
    idna: a snowman is not a letter of any script."""
    with pytest.raises(idna.IDNAError) as refused:
        idna.encode(label)
    assert _http._host_problem(f"www.{label}.com") == (
        f"the label {label!r} of the host name is not a valid internationalized name "
        f"({refused.value})"
    )


def test_a_refused_label_and_idnas_reason_are_shown_printable_and_cut() -> None:
    label = "\u2603" * 100 + "\x1b"
    problem = _http._host_problem(f"{label}.com")
    assert problem is not None
    assert problem.startswith(f"the label {printable(label, 80)!r} of the host name is not")
    reason = problem.split("internationalized name (", 1)[1]
    assert reason.endswith(")") and len(reason) <= 121 and "\x1b" not in problem


@pytest.mark.parametrize(
    ("verify", "message"),
    [
        (
            123,
            "verify must be True, False, an ssl.SSLContext or the path of a CA bundle, not int",
        ),
        (" ", "verify is an empty path: give the path of a CA bundle, or True"),
        (
            "/nonexistent/ca.pem",
            "verify='/nonexistent/ca.pem' cannot be used as the CA certificates to trust: "
            "No such file or directory; give a PEM file (or a folder) of CA certificates, "
            "or True",
        ),
        (
            "/nonexistent/ca\0.pem",
            "verify='/nonexistent/ca\\\\x00.pem' cannot be used as the CA certificates to trust: "
            "embedded null byte; give a PEM file (or a folder) of CA certificates, or True",
        ),
    ],
)
def test_a_verify_that_cannot_be_used_says_what_to_give(verify: Any, message: str) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        _http.check_verify(verify)
    assert str(info.value) == message


def test_a_verify_path_and_the_reason_it_fails_are_cut_at_120_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / ("c" * 200))
    with pytest.raises(errors.ConfigurationError) as info:
        _http.check_verify(path)
    assert str(info.value) == (
        f"verify={printable(path, 120)!r} cannot be used as the CA certificates to trust: "
        "No such file or directory; give a PEM file (or a folder) of CA certificates, or True"
    )
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    with pytest.raises(errors.ConfigurationError) as info:
        _http.check_verify(bundle)
    try:
        ssl.create_default_context(cafile=str(bundle))
    except ssl.SSLError as exc:
        why = exc.strerror or str(exc)
    assert f"to trust: {printable(why, 120)}; give a PEM file" in str(info.value)

    def refuse(**_: object) -> ssl.SSLContext:
        raise ssl.SSLError(1, "why " * 100)

    monkeypatch.setattr(_http.ssl, "create_default_context", refuse)
    with pytest.raises(errors.ConfigurationError) as info:
        _http.check_verify(bundle)
    assert f"to trust: {printable('why ' * 100, 120)}; give a PEM file" in str(info.value)


def test_a_ca_bundle_file_or_folder_is_loaded_into_the_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = _http.check_verify(str(bundle))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    # exactly the bundle's CA: neither left out nor mixed with the system's
    der = ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode())
    assert context.get_ca_certs(binary_form=True) == [der]
    assert _http.check_verify(True) is True and _http.check_verify(False) is False
    assert _http.check_verify(context) is context
    made: list[dict[str, Any]] = []
    monkeypatch.setattr(_http.ssl, "create_default_context", lambda **kw: made.append(kw))
    _http.check_verify(tmp_path)  # a folder, as c_rehash leaves one: loaded as capath
    assert made == [{"capath": str(tmp_path)}]


def test_a_proxy_too_malformed_to_read_is_named_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    for make in (_http.sync_client, _http.async_client):
        with pytest.raises(errors.ConfigurationError) as info:
            make(config(proxy="http://[::1"), None)  # type: ignore[operator]
        assert str(info.value).startswith(
            "the proxy (malformed) named by the environment (HTTPS_PROXY or ALL_PROXY) "
            "cannot be used: "
        )


def test_a_long_proxy_and_its_reason_are_each_cut_at_120_characters() -> None:
    long = "gopher://" + "p" * 200 + ":70"
    try:
        httpx.HTTPTransport(proxy=long)
    except ValueError as exc:
        reason = str(exc)
    with pytest.raises(errors.ConfigurationError) as info:
        _http.sync_client(config(proxy=long), None)
    assert str(info.value) == (
        f"the proxy {printable('gopher://' + 'p' * 200, 120)} named by the environment "
        f"(HTTPS_PROXY or ALL_PROXY) cannot be used: {printable(reason, 120)}"
    )


def test_a_key_refused_with_its_base_url_is_kept_while_the_error_lives_then_forgotten(
    fresh_keys: None,
) -> None:
    """The key is scrubbed from the refusal and its traceback, but a key no
    client took is not kept for the life of the process."""
    key = "sk-refused-0123456789abcdef"
    with pytest.raises(errors.ConfigurationError) as info:
        resolve(key, "ftp://a.test", None, None, True)
    assert _redact.scrub(f"sent {key}") == "sent ***"
    del info
    gc.collect()
    resolve("sk-another-0123456789abcdef", BASE, None, None, True)  # another key comes
    assert _redact.scrub(f"sent {key}") == f"sent {key}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"api_key": b"sk-bytes-0123456789"}, "api_key must be a str, not bytes"),
        ({"base_url": 123}, "base_url must be a str such as 'https://api.arize.com', not int"),
    ],
)
def test_an_argument_of_the_wrong_type_is_named_by_its_type_only(
    arguments: dict[str, Any], message: str
) -> None:
    given = {"api_key": KEY, "base_url": BASE, **arguments}
    with pytest.raises(errors.ConfigurationError) as info:
        resolve(given["api_key"], given["base_url"], None, None, True)
    assert str(info.value) == message


def test_a_configurations_key_is_kept_while_it_lives_and_forgotten_after(
    fresh_keys: None,
) -> None:
    kept, dropped = "sk-kept-0123456789abcdef", "sk-dropped-0123456789abcdef"
    alive = config(api_key=kept)
    config(api_key=dropped)
    gc.collect()
    config(api_key="sk-third-0123456789abcdef")  # another key comes: the dropped one goes
    assert _redact.scrub(f"{kept} {dropped}") == f"*** {dropped}"
    assert alive.api_key == kept


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_max_retries_0_sends_once_even_when_stamina_is_in_testing_mode(kind: str) -> None:
    """A test suite of the caller's may put stamina in testing mode with
    attempts of its own: max_retries=0 must still mean one request."""
    sent: list[float] = []

    def send(deadline: float) -> None:
        sent.append(deadline)
        raise status(503)

    async def send_async(deadline: float) -> None:
        send(deadline)

    def call() -> None:
        if kind == "sync":
            _http.with_retries(send, config(max_retries=0))
        else:
            asyncio.run(_http.with_retries_async(send_async, config(max_retries=0)))

    with stamina.set_testing(True, attempts=3), pytest.raises(errors.InternalServerError):
        call()
    assert len(sent) == 1


def test_the_ca_bundle_ssl_cert_file_names_is_loaded_when_the_client_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx trusts the bundle SSL_CERT_FILE names in place of its own; one
    that cannot be loaded was a bare FileNotFoundError, even for a loopback
    http URL."""
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    for make in (OrgClient, AsyncOrgClient):
        with pytest.raises(errors.ConfigurationError) as info:
            make("sk-config-0123456789", base_url=LOOPBACK)
        assert str(info.value) == (
            "SSL_CERT_FILE='/nonexistent/ca.pem' cannot be used as the CA certificates to "
            "trust: No such file or directory; give a PEM file of CA certificates, or unset it"
        )
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    context = _http.check_verify(True)
    assert isinstance(context, ssl.SSLContext)
    der = ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode())
    assert context.get_ca_certs(binary_form=True) == [der]
    assert _http.check_verify(False) is False  # off is off, whatever the environment
