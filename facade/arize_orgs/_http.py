"""Transport concerns: configuration, the httpx client, deadlines, retries.

Configuration is checked when a client is made, before anything is sent: the
key must be a valid header value, the base URL a plain https (or loopback
http) URL with no query, fragment or credentials, the proxy usable.

Proxies: plain http is allowed only to loopback, so that the key cannot be
read on the way; a proxy on the way would defeat that, so loopback is always
reached directly. For any other host the usual variables (HTTPS_PROXY,
ALL_PROXY, NO_PROXY) are honoured, as httpx would.

Deadlines: every attempt must be over (connected, sent, answered, read to
the end) within the client's `timeout`; the call as a whole within
`(max_retries + 1) x timeout` plus the backoff waits between attempts (at
most 8.5 s each). A `Retry-After` wait that would leave the next attempt
less than its full timeout before that deadline is not waited: the
RateLimitError is raised at once, carrying `retry_after`.

Retries: adding a user is an idempotent upsert, so a request that failed in a
way that may be temporary is repeated: connection errors, timeouts, 429, 500,
502, 503 and 504. Waits are jittered exponential backoff capped at 8 s, or
exactly what `Retry-After` asks when it asks at most 60 s; a longer
`Retry-After` is raised at once as RateLimitError carrying `retry_after`.

The first attempt is made outside the retry library: the common case (it
worked) then pays nothing for retries, and stamina is imported only on the
first failure.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import ssl
import time
import urllib.request
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Final, TypeVar
from urllib.parse import urlsplit

import attrs
import httpx

from . import _deadline, _redact
from ._body import ACCEPT_ENCODING
from ._text import printable
from .errors import APIConnectionError, APIStatusError, APITimeoutError, ConfigurationError

log = logging.getLogger("arize_orgs")

DEFAULT_BASE_URL: Final = "https://api.arize.com"
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES: Final = 2
RETRY_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF: Final = 8.0
MAX_RETRY_AFTER: Final = 60.0
INITIAL_BACKOFF: Final = 0.5
# Bulk runs: requests in flight at once, unless told otherwise. Safe for an
# API that publishes no limit; --concurrency / concurrency= go faster.
DEFAULT_CONCURRENCY: Final = 8
# Bulk runs: users a run may remove unless told otherwise (a file that removes
# more is refused before any request: a wrong file must not empty an organization).
DEFAULT_MAX_REMOVALS: Final = 25
USER_AGENT: Final = f"arize-orgs/{version('arize-orgs')} httpx/{httpx.__version__}"

T = TypeVar("T")
Verify = bool | str | ssl.SSLContext


def attempt_seconds(timeout: httpx.Timeout) -> float | None:
    """The deadline of one attempt: the longest of httpx's per-operation
    timeouts (30 s by default); None when all of them are off."""
    values = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v]
    return max(values) if values else None


@attrs.frozen(repr=False)
class Config:
    """Everything needed to talk to the API. The key is kept out of repr()."""

    api_key: str
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    verify: Verify
    # False for bulk runs, whose workers share one back-off for 429s.
    retry_rate_limits: bool = True
    # The proxy to go through (from the environment), or None: direct.
    proxy: str | None = None
    # Seconds each attempt may take, all told (None: no deadline).
    attempt: float | None = attrs.field(init=False)

    @attempt.default
    def _attempt(self) -> float | None:
        return attempt_seconds(self.timeout)

    def __attrs_post_init__(self) -> None:
        # The key stays scrubbed while any configuration holding it (a
        # client's, a copy's) is alive.
        _redact.register(self.api_key, owner=self)

    @property
    def budget(self) -> float:
        """Seconds the call as a whole may take: every attempt, and the
        backoff between them."""
        if self.attempt is None:
            return math.inf
        waits = self.max_retries * (MAX_BACKOFF + INITIAL_BACKOFF)
        return (self.max_retries + 1) * self.attempt + waits

    def __repr__(self) -> str:
        return f"Config(base_url={self.base_url!r}, api_key='***')"


class _Pending:
    """Holds a key registered while its configuration is being made."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise ConfigurationError(f"timeout must be a number of seconds, not {timeout!r}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ConfigurationError(
            f"timeout must be a positive, finite number of seconds, not {timeout}"
        )
    return httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))


def check_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(
            f"max_retries must be a whole number >= 0 (0 disables retries), not {max_retries!r}"
        )
    return max_retries


def check_key(key: str) -> str:
    """The key, if it can be sent in an Authorization header: visible ASCII
    only. The error says where the key went wrong, never what it is."""
    for at, char in enumerate(key, 1):
        if not "!" <= char <= "~":
            if char in "\r\n":
                what = "a line break (was it read from a file with more than one line?)"
            elif char in " \t":
                what = "a blank"
            elif char.isascii():
                what = "a control character"
            else:
                what = "a character that is not ASCII"
            raise ConfigurationError(
                f"the API key has {what} at position {at} of {len(key)}; an API key is "
                "visible ASCII only: copy it again, e.g. from the Arize UI"
            )
    return key


def _base_url(url: str) -> tuple[str, str]:
    """The base URL without a trailing slash, and its host; ConfigurationError
    if it is not one the client will send the key to."""
    shown = printable(url, 120)
    advice = f"give the scheme, host, port and path prefix only, e.g. {DEFAULT_BASE_URL}"
    if any(not c.isprintable() or c.isspace() for c in url):
        raise ConfigurationError(f"base URL {shown!r} contains blanks or control characters")
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # .port checks the port's range
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise ConfigurationError(
            f"base URL {shown!r} is malformed ({printable(str(exc), 120)}); {advice}"
        ) from None
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigurationError(f"base URL {shown!r} is not an http(s) URL; {advice}")
    if "?" in url or "#" in url:
        raise ConfigurationError(
            f"base URL {shown!r} has a query or a fragment, which would send requests to the "
            f"wrong path; {advice}"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(
            "the base URL carries a user name or password, which would replace the API key "
            f"as the request's credentials; {advice}"
        )
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConfigurationError(
            f"refusing to send the API key over plain http to {printable(host, 80)}: "
            "use https:// (plain http is allowed only to loopback, e.g. the sandbox)"
        )
    return url, host


def _proxy_for(url: str, host: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, ALL_PROXY,
    NO_PROXY), or None. Never one for loopback: see the module docstring."""
    if _is_loopback(host):
        return None
    proxies = urllib.request.getproxies_environment()
    # Public in the standard library on every platform; typeshed omits it.
    if urllib.request.proxy_bypass_environment(host, proxies):  # type: ignore[attr-defined]
        return None
    return proxies.get(urlsplit(url).scheme) or proxies.get("all") or None


def resolve(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    verify: Verify,
) -> Config:
    """Arguments beat environment variables; nothing is sent from here."""
    key = api_key if api_key is not None else os.environ.get("ARIZE_API_KEY")
    if not isinstance(key, str) or not key.strip():
        raise ConfigurationError(
            "no API key: pass api_key=... or set the ARIZE_API_KEY environment variable "
            "(an Arize API key of an organization admin)"
        )
    key = key.strip()
    # Registered first, for as long as this call (or an error it raises)
    # lives: even the refusal of a malformed key or base URL cannot show it.
    pending = _Pending()
    _redact.register(key, owner=pending)
    check_key(key)
    raw_url = base_url or os.environ.get("ARIZE_BASE_URL") or DEFAULT_BASE_URL
    url, host = _base_url(raw_url.strip().rstrip("/"))
    if verify is False:
        log.warning("TLS certificate verification is off: the API key can be intercepted")
    return Config(
        api_key=key,
        base_url=url,
        timeout=as_timeout(timeout),
        max_retries=check_max_retries(DEFAULT_MAX_RETRIES if max_retries is None else max_retries),
        verify=verify,
        proxy=_proxy_for(url, host),
    )


def _client_kwargs(config: Config) -> dict[str, object]:
    # A default header, not an httpx.Auth flow: cheaper per request, masked by
    # httpx in reprs, and stripped by httpx on a redirect to another origin.
    # trust_env=False: the transport below is ours, and so is the choice of
    # proxy (see the module docstring).
    return {
        "base_url": config.base_url,
        "headers": {
            "Authorization": f"Bearer {config.api_key}",
            "User-Agent": USER_AGENT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        "timeout": config.timeout,
        "follow_redirects": False,
        "trust_env": False,
    }


def _proxy_error(config: Config, exc: Exception) -> ConfigurationError:
    proxy = urlsplit(config.proxy or "")
    where = f"{proxy.scheme}://{proxy.hostname or ''}"  # without any credentials in it
    if isinstance(exc, ImportError):
        return ConfigurationError(
            f"the proxy {where} named by the environment (HTTPS_PROXY or ALL_PROXY) needs "
            "SOCKS support: pip install 'httpx[socks]', or unset the variable"
        )
    return ConfigurationError(
        f"the proxy {where} named by the environment (HTTPS_PROXY or ALL_PROXY) cannot be "
        f"used: {printable(str(exc), 120)}"
    )


def sync_client(config: Config, transport: httpx.BaseTransport | None) -> httpx.Client:
    if transport is None:
        try:
            transport = httpx.HTTPTransport(verify=config.verify, proxy=config.proxy)
        except (ImportError, ValueError, httpx.InvalidURL) as exc:
            raise _proxy_error(config, exc) from None
    if isinstance(transport, httpx.HTTPTransport):
        # Ours or the caller's: the deadline acts only inside our attempts.
        # Another kind of transport gets the deadline between body pieces only.
        _deadline.install(transport)
    return httpx.Client(transport=transport, **_client_kwargs(config))  # type: ignore[arg-type]


def async_client(config: Config, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    if transport is None:
        try:
            transport = httpx.AsyncHTTPTransport(verify=config.verify, proxy=config.proxy)
        except (ImportError, ValueError, httpx.InvalidURL) as exc:
            raise _proxy_error(config, exc) from None
    return httpx.AsyncClient(transport=transport, **_client_kwargs(config))  # type: ignore[arg-type]


def backoff(exc: Exception) -> bool | float:
    """stamina's hook: False to give up, True for exponential backoff, or the
    number of seconds the server asked for."""
    if isinstance(exc, APIConnectionError):
        return True
    if not isinstance(exc, APIStatusError) or exc.status not in RETRY_STATUSES:
        return False
    if exc.retry_after is None:
        return True
    if exc.retry_after > MAX_RETRY_AFTER:
        return False
    return exc.retry_after


def backoff_except_rate_limits(exc: Exception) -> bool | float:
    """For bulk workers: a 429 is handed back to the shared throttle."""
    if isinstance(exc, APIStatusError) and exc.status == 429:
        return False
    return backoff(exc)


Hook = Callable[[Exception], bool | float]


def hook_for(config: Config) -> Hook:
    return backoff if config.retry_rate_limits else backoff_except_rate_limits


def _retrying(max_retries: int, on: Hook):  # type: ignore[no-untyped-def]
    import stamina  # only on the first failure: see the module docstring

    return stamina.retry_context(
        on=on,
        attempts=max_retries + 1,
        timeout=None,
        wait_initial=INITIAL_BACKOFF,
        wait_max=MAX_BACKOFF,
        wait_jitter=INITIAL_BACKOFF,
    )


def _log_retry(attempt: int, max_retries: int) -> None:
    log.info("retrying: attempt %d of %d", attempt, max_retries + 1)


def _within(on: Hook, config: Config, deadline: float) -> Hook:
    """`on`, refusing a Retry-After wait after which the next attempt would
    not have its full timeout before the call's deadline."""
    attempt = config.attempt or 0.0

    def hook(exc: Exception) -> bool | float:
        wait = on(exc)
        if wait is True or wait is False:
            return wait
        if time.monotonic() + wait + attempt > deadline:
            return False
        return wait

    return hook


def _next_deadline(config: Config, deadline: float) -> float:
    if config.attempt is None:
        return math.inf
    return min(time.monotonic() + config.attempt, deadline)


def with_retries(send: Callable[[float], T], config: Config) -> T:
    """`send(deadline)` until it works or may not be repeated; each attempt
    gets its deadline (a time.monotonic() value), see the module docstring."""
    start = time.monotonic()
    try:
        return send(start + config.attempt if config.attempt is not None else math.inf)
    except (APIStatusError, APIConnectionError) as exc:
        deadline = start + config.budget
        on = _within(hook_for(config), config, deadline)
        if not config.max_retries or on(exc) is False:
            raise
        first: Exception = exc
    for attempt in _retrying(config.max_retries, on):
        with attempt:
            if attempt.num == 1:
                # Replays the first failure so that stamina computes its wait.
                raise first
            _log_retry(attempt.num, config.max_retries)
            return send(_next_deadline(config, deadline))
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


async def with_retries_async(send: Callable[[float], Awaitable[T]], config: Config) -> T:
    start = time.monotonic()
    try:
        return await send(start + config.attempt if config.attempt is not None else math.inf)
    except (APIStatusError, APIConnectionError) as exc:
        deadline = start + config.budget
        on = _within(hook_for(config), config, deadline)
        if not config.max_retries or on(exc) is False:
            raise
        first: Exception = exc
    async for attempt in _retrying(config.max_retries, on):
        with attempt:
            if attempt.num == 1:
                raise first
            _log_retry(attempt.num, config.max_retries)
            return await send(_next_deadline(config, deadline))
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


def transport_error(
    exc: httpx.TransportError, method: str, url: str, attempt: float | None = None
) -> APIConnectionError:
    """Our exception for an httpx transport failure; never includes headers.
    The transport's own words may quote the server: they are scrubbed and
    made printable by the exception."""
    if isinstance(exc, httpx.TimeoutException):
        return timed_out(method, url, attempt, f"{type(exc).__name__}")
    return APIConnectionError(
        f"{method} {url} failed: {type(exc).__name__}: "
        f"{_redact.shown(str(exc), 200) or 'connection failed'}; check the base URL and the network"
    )


def timed_out(method: str, url: str, attempt: float | None, what: str) -> APITimeoutError:
    within = f" within {attempt:g} s" if attempt is not None else ""
    return APITimeoutError(
        f"{method} {url} timed out ({what}): no complete answer{within}; the server may be "
        "slow or unreachable: retry later, or raise the timeout"
    )
