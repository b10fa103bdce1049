"""Transport concerns: configuration, the httpx client, deadlines, retries.

Configuration is checked when a client is made, before anything is sent: the
key must be a valid header value, the base URL a plain https (or loopback
http) URL with no query, fragment or credentials whose host name can be
looked up, the proxy usable, a CA bundle given as `verify` loadable, a
transport of the client's kind. Each mistake is a ConfigurationError.

Proxies: plain http is allowed only to loopback, so that the key cannot be
read on the way; a proxy on the way would defeat that, so loopback is always
reached directly. For any other host the usual variables (HTTPS_PROXY,
ALL_PROXY, NO_PROXY) are honoured, as httpx would (a proxy given as
`host:port`, without a scheme, is http://, as httpx, curl and requests read it).

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
import idna

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
Verify = bool | str | os.PathLike[str] | ssl.SSLContext
MAX_LABEL: Final = 63  # characters of one label of a host name (RFC 1035)
MAX_HOST: Final = 253  # characters of a whole host name


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
    verify: bool | ssl.SSLContext  # a CA bundle's path is loaded when the client is made
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


def _host_problem(host: str) -> str | None:
    """Why `host` (as urlsplit gives it: lower case, no brackets) cannot be
    looked up, or None. What the system's resolver would refuse at the first
    call (an empty label, one over 63 characters, an A-label that is not
    valid punycode) is found here, when the client is made: a label that is
    not ASCII or that starts with `xn--` is IDNA-encoded with `idna`, as
    httpx does; other ASCII labels are checked for length only (idna's
    stricter rules would refuse an underscore, which names such as docker
    services hold and which resolve). An IP address passes as it is: its
    labels are short ASCII digits, hex and colons."""
    name = host[:-1] if host.endswith(".") else host  # a final dot: the root
    if len(name) > MAX_HOST:
        return f"the host name is longer than {MAX_HOST} characters"
    for label in name.split("."):
        if not label:
            return "the host name has an empty label (two dots in a row, or a leading dot)"
        if label.isascii() and not label.startswith("xn--"):
            if len(label) > MAX_LABEL:
                return f"a label of the host name is longer than {MAX_LABEL} characters"
            continue
        try:
            idna.encode(label)
        except (idna.IDNAError, UnicodeError) as exc:
            return (
                f"the label {printable(label, 80)!r} of the host name is not a valid "
                f"internationalized name ({printable(str(exc), 120)})"
            )
    return None


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
    problem = _host_problem(host)
    if problem is not None:
        raise ConfigurationError(f"base URL {shown!r} is malformed: {problem}; {advice}")
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
    proxy = (proxies.get(urlsplit(url).scheme) or proxies.get("all") or "").strip()
    if not proxy:
        return None
    # `host:port` without a scheme means http://, as httpx, curl and requests read it.
    return proxy if "://" in proxy else f"http://{proxy}"


def check_verify(verify: object) -> bool | ssl.SSLContext:
    """TLS verification as httpx takes it: True, False or an SSLContext. The
    path of a CA bundle (a file, or a folder of certificates) is loaded
    here, when the client is made, as httpx would load it: a path that
    does not exist or does not hold certificates is a ConfigurationError,
    not an OSError or ssl.SSLError from deep inside httpx. So is the bundle
    SSL_CERT_FILE names, which httpx loads in place of its own when
    verification is on."""
    if verify is True:
        named = os.environ.get("SSL_CERT_FILE")
        if named:
            return _ca_context(
                named, "SSL_CERT_FILE", "give a PEM file of CA certificates, or unset it"
            )
        return True
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    if not isinstance(verify, str | os.PathLike):
        raise ConfigurationError(
            "verify must be True, False, an ssl.SSLContext or the path of a CA bundle, "
            f"not {type(verify).__name__}"
        )
    path = os.fsdecode(verify)
    if not path.strip():
        raise ConfigurationError("verify is an empty path: give the path of a CA bundle, or True")
    return _ca_context(path, "verify", "give a PEM file (or a folder) of CA certificates, or True")


def _ca_context(path: str, named: str, advice: str) -> ssl.SSLContext:
    try:
        if os.path.isdir(path):
            return ssl.create_default_context(capath=path)
        return ssl.create_default_context(cafile=path)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigurationError(
            f"{named}={printable(path, 120)!r} cannot be used as the CA certificates to trust: "
            f"{printable(why, 120)}; {advice}"
        ) from None


def resolve(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    verify: Verify,
) -> Config:
    """Arguments beat environment variables; nothing is sent from here."""
    if api_key is not None and not isinstance(api_key, str):
        # The type only: the value may be the key itself, as bytes, say.
        raise ConfigurationError(f"api_key must be a str, not {type(api_key).__name__}")
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigurationError(
            f"base_url must be a str such as {DEFAULT_BASE_URL!r}, not {type(base_url).__name__}"
        )
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
    tls = check_verify(verify)
    if tls is False:
        log.warning("TLS certificate verification is off: the API key can be intercepted")
    return Config(
        api_key=key,
        base_url=url,
        timeout=as_timeout(timeout),
        max_retries=check_max_retries(DEFAULT_MAX_RETRIES if max_retries is None else max_retries),
        verify=tls,
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
    try:
        proxy = urlsplit(config.proxy or "")
        where = f"{proxy.scheme}://{proxy.hostname or ''}"  # without any credentials in it
    except ValueError:  # too malformed to say where (an unclosed '[', say)
        where = "(malformed)"
    where = printable(where, 120)
    if isinstance(exc, ImportError):
        return ConfigurationError(
            f"the proxy {where} named by the environment (HTTPS_PROXY or ALL_PROXY) needs "
            "SOCKS support: pip install 'httpx[socks]', or unset the variable"
        )
    return ConfigurationError(
        f"the proxy {where} named by the environment (HTTPS_PROXY or ALL_PROXY) cannot be "
        f"used: {printable(str(exc), 120)}"
    )


def _check_transport(transport: object, *, sync: bool) -> None:
    """A transport of the wrong kind would fail at the first call, deep in
    httpx (AttributeError): it is refused when the client is made instead."""
    wanted: type[httpx.BaseTransport | httpx.AsyncBaseTransport]
    if sync:
        client, other, wanted, example = "OrgClient", "AsyncOrgClient", httpx.BaseTransport, "HTTP"
    else:
        client, other, wanted = "AsyncOrgClient", "OrgClient", httpx.AsyncBaseTransport
        example = "AsyncHTTP"
    if transport is None or isinstance(transport, wanted):
        return
    mixed = isinstance(transport, httpx.BaseTransport | httpx.AsyncBaseTransport)
    raise ConfigurationError(
        f"{client}'s transport must be an httpx.{wanted.__name__} (such as httpx.{example}"
        f"Transport or httpx.MockTransport), not {type(transport).__name__}"
        + (f", which is for {other}" if mixed else "")
    )


def _own_transport(config: Config, kind: Callable[..., T]) -> T:
    """Our transport of `kind` (sync or async), or ConfigurationError if the
    proxy the environment names cannot be used."""
    try:
        return kind(verify=config.verify, proxy=config.proxy)
    except (ImportError, ValueError, httpx.InvalidURL) as exc:
        raise _proxy_error(config, exc) from None


def sync_client(config: Config, transport: httpx.BaseTransport | None) -> httpx.Client:
    _check_transport(transport, sync=True)
    if transport is None:
        transport = _own_transport(config, httpx.HTTPTransport)
    if isinstance(transport, httpx.HTTPTransport):
        # Ours or the caller's: the deadline acts only inside our attempts.
        # Another kind of transport gets the deadline between body pieces only.
        _deadline.install(transport)
    return httpx.Client(transport=transport, **_client_kwargs(config))  # type: ignore[arg-type]


def async_client(config: Config, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    _check_transport(transport, sync=False)
    if transport is None:
        transport = _own_transport(config, httpx.AsyncHTTPTransport)
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
