"""Transport concerns: configuration, the httpx client, and retries.

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
import os
import ssl
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Final, TypeVar
from urllib.parse import urlsplit

import attrs
import httpx

from . import _redact
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
USER_AGENT: Final = f"arize-orgs/{version('arize-orgs')} httpx/{httpx.__version__}"

T = TypeVar("T")
Verify = bool | str | ssl.SSLContext


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

    def __repr__(self) -> str:
        return f"Config(base_url={self.base_url!r}, api_key='***')"


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
    if timeout <= 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds, not {timeout}")
    return httpx.Timeout(float(timeout), connect=min(5.0, float(timeout)))


def check_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(
            f"max_retries must be a whole number >= 0 (0 disables retries), not {max_retries!r}"
        )
    return max_retries


def resolve(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    verify: Verify,
) -> Config:
    """Arguments beat environment variables; nothing is sent from here."""
    key = api_key if api_key is not None else os.environ.get("ARIZE_API_KEY")
    if not key or not key.strip():
        raise ConfigurationError(
            "no API key: pass api_key=... or set the ARIZE_API_KEY environment variable "
            "(an Arize API key of an organization admin)"
        )
    # From here on, no message or log record can show it, in any form.
    _redact.register(key.strip())
    url = (base_url or os.environ.get("ARIZE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(
            f"base URL {url!r} is not an http(s) URL; use e.g. {DEFAULT_BASE_URL}"
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            f"refusing to send the API key over plain http to {parts.hostname}: "
            "use https:// (plain http is allowed only to loopback, e.g. the sandbox)"
        )
    if verify is False:
        log.warning("TLS certificate verification is off: the API key can be intercepted")
    return Config(
        api_key=key.strip(),
        base_url=url,
        timeout=as_timeout(timeout),
        max_retries=check_max_retries(DEFAULT_MAX_RETRIES if max_retries is None else max_retries),
        verify=verify,
    )


def _client_kwargs(config: Config) -> dict[str, object]:
    # A default header, not an httpx.Auth flow: cheaper per request, masked by
    # httpx in reprs, and stripped by httpx on a redirect to another origin.
    return {
        "base_url": config.base_url,
        "headers": {"Authorization": f"Bearer {config.api_key}", "User-Agent": USER_AGENT},
        "timeout": config.timeout,
        "verify": config.verify,
        "follow_redirects": False,
    }


def sync_client(config: Config, transport: httpx.BaseTransport | None) -> httpx.Client:
    return httpx.Client(transport=transport, **_client_kwargs(config))  # type: ignore[arg-type]


def async_client(config: Config, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
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


def with_retries(send: Callable[[], T], max_retries: int, on: Hook = backoff) -> T:
    try:
        return send()
    except (APIStatusError, APIConnectionError) as exc:
        if not max_retries or on(exc) is False:
            raise
        first: Exception = exc
    for attempt in _retrying(max_retries, on):
        with attempt:
            if attempt.num == 1:
                # Replays the first failure so that stamina computes its wait.
                raise first
            _log_retry(attempt.num, max_retries)
            return send()
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


async def with_retries_async(
    send: Callable[[], Awaitable[T]], max_retries: int, on: Hook = backoff
) -> T:
    try:
        return await send()
    except (APIStatusError, APIConnectionError) as exc:
        if not max_retries or on(exc) is False:
            raise
        first: Exception = exc
    async for attempt in _retrying(max_retries, on):
        with attempt:
            if attempt.num == 1:
                raise first
            _log_retry(attempt.num, max_retries)
            return await send()
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


def transport_error(exc: httpx.TransportError, method: str, url: str) -> APIConnectionError:
    """Our exception for an httpx transport failure; never includes headers."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{method} {url} timed out ({type(exc).__name__}); the server may be slow or "
            "unreachable: retry later, or raise the timeout"
        )
    return APIConnectionError(
        f"{method} {url} failed: {type(exc).__name__}: {exc or 'connection failed'}; "
        "check the base URL and the network"
    )
