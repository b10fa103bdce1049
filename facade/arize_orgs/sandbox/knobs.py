"""What tests turn on a running sandbox: injected faults, latency, Arize's
rate limit and the clock its windows are counted on, and the request log.

Kept apart from the HTTP handlers: every request passes through these
knobs (`SandboxApp.__call__` and `_admit`), whatever endpoint it names, so
a new endpoint gets faults, latency and its own rate budget for free.
"""

from __future__ import annotations

import collections
import math
import random
import threading
import time
from collections.abc import Callable

import attrs

__all__ = ["FAULT_KINDS", "MIN_WINDOW", "Fault", "Knobs", "RateLimit"]

FAULT_KINDS = ("status", "html", "reset", "stall", "truncated", "not_membership", "close")


@attrs.frozen
class Fault:
    """One injected failure. Kinds:

    status          a problem answer with `status` (and Retry-After, if given)
    html            `status` with an HTML page for a body, as a proxy answers
    reset           the connection is dropped before any answer
    stall           nothing for `seconds`, then the connection is dropped
    truncated       the request is carried out, then its answer cut short
    not_membership  200 with a JSON body that is not a membership; nothing written
    close           the request is carried out and answered, then the server
                    closes the keep-alive connection
    """

    status: int = 503
    retry_after: float | None = None
    kind: str = "status"
    seconds: float = 5.0


MIN_WINDOW = 0.001  # seconds; shorter windows only measure the clock


@attrs.frozen
class RateLimit:
    """Arize's model: `requests` per `per` seconds, per endpoint and per user,
    in fixed windows; 429 beyond, with Retry-After unless `retry_after` is
    False (whether Arize sends it is not documented)."""

    requests: int
    per: float = 60.0
    retry_after: bool = True

    def __attrs_post_init__(self) -> None:
        if isinstance(self.requests, bool) or not isinstance(self.requests, int):
            raise ValueError(f"requests must be a whole number, not {self.requests!r}")
        if self.requests < 1:
            raise ValueError(f"requests must be at least 1, not {self.requests}")
        per = self.per
        if isinstance(per, bool) or not isinstance(per, int | float) or not math.isfinite(per):
            raise ValueError(f"per must be a number of seconds, not {per!r}")
        if per < MIN_WINDOW:
            raise ValueError(f"per must be at least {MIN_WINDOW} s (a millisecond), not {per!r}")


@attrs.define
class Knobs:
    """What tests turn: faults (first in, first out), latency, the rate limit,
    the clock the rate limit's windows are counted on."""

    faults: collections.deque[Fault] = attrs.field(factory=collections.deque)
    latency: float = 0.0
    rate_limit: RateLimit | None = None
    # The chance that any request is answered 503 (on top of fail_next).
    fail_rate: float = 0.0
    # Every n-th request answered with a fault: (n, fault) rules, counted on
    # the requests seen since the rule was set.
    periodic: list[tuple[int, Fault]] = attrs.field(factory=list)
    _seen: int = 0
    # False: a custom organization role is answered 422, as Arize's docs say
    # the API does today.
    custom_roles: bool = True
    clock: Callable[[], float] = time.monotonic
    request_log: list[tuple[str, str, int]] = attrs.field(factory=list)
    # (user id, endpoint) -> (window number, requests counted in it). The
    # endpoint is `_wire`'s name for it, method and path template ("POST
    # /v2/spaces/{space_id}/users"): each endpoint its own budget, as Arize
    # counts them, and every organization's or space's requests in one.
    _windows: dict[tuple[str, str], tuple[int, int]] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def next_fault(self) -> Fault | None:
        with self._lock:
            self._seen += 1
            if self.faults:
                return self.faults.popleft()
            for every, fault in self.periodic:
                if self._seen % every == 0:
                    return fault
        if self.fail_rate and random.random() < self.fail_rate:  # noqa: S311 - not crypto
            return Fault(503)
        return None

    def fail_every(self, every: int | None, fault: Fault) -> None:
        with self._lock:
            if every is None:
                self.periodic.clear()
            else:
                self.periodic.append((every, fault))
            self._seen = 0

    def set_rate_limit(self, limit: RateLimit | None) -> None:
        with self._lock:
            self.rate_limit = limit
            self._windows.clear()

    def over_rate(self, user_id: str, endpoint: str) -> tuple[RateLimit, float] | None:
        """None if this request may go now (and count it); else the limit it
        broke and the seconds until the window that would admit it starts.

        Windows are fixed: [k * per, (k + 1) * per) on the sandbox's clock,
        counted per user and per endpoint (method and path template). A
        clock reading from an earlier window (a clock that went back) counts
        in the latest window seen, never restarts it."""
        with self._lock:
            limit = self.rate_limit
            if limit is None:
                return None
            now = self.clock()
            window = math.floor(now / limit.per)
            seen_window, count = self._windows.get((user_id, endpoint), (window, 0))
            if window > seen_window:
                seen_window, count = window, 0
            if count < limit.requests:
                self._windows[(user_id, endpoint)] = (seen_window, count + 1)
                return None
            return limit, max(0.0, (seen_window + 1) * limit.per - now)
