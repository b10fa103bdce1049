"""Pacing for bulk workers: one `Gate` per endpoint, shared by every worker.

Arize counts requests per endpoint in fixed windows (100 a minute) and
refuses the rest with 429, with or without `Retry-After`. Against fixed
windows the fastest polite pace is: send freely until refused, then let no
request through until the window turns, then send freely again. So a gate:

- with `rate` (`--rate N/SECONDS`), spaces requests evenly, `per / requests`
  seconds apart: a server that allows N per window of SECONDS never sees more;
- on a 429 with `Retry-After`, closes until exactly then;
- on a 429 without it, finds when the window turns from the pattern of
  refusals: while it does not know, one request at a time probes, at delays
  that grow with the time already waited (a quarter of it), so the window is
  found within a quarter of its length whatever that is; each time a probe
  gets through, the gate notes when the window opened. Two openings give the
  window's length; from then on the gate reopens just before the next
  predicted turn and probes from there, a finer step each time;
- learns, from the successes between two openings, how many requests a
  window allows, which gives the run an honest ETA.

Time and sleep are injected, so that tests drive a gate with a fake clock.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from typing import Final

from .rate import Rate

__all__ = ["Gate", "Pacing"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def loop_time() -> float:
    """The running event loop's clock (monotonic; virtual under looptime)."""
    return asyncio.get_running_loop().time()


FIRST_PROBE: Final = 0.1  # seconds after the first refusal, when nothing is known
PROBE_SHARE: Final = 0.25  # a probe waits this share of the time waited so far
MAX_PROBE: Final = 10.0  # seconds between probes, at most
FINE: Final = 40  # a known window is probed in steps of 1/FINE of its length
POLL: Final = 0.05  # seconds between looks at a gate another request is probing
# A wait this short or shorter is none: a clock that rounds (an event loop's
# may) must not make a gate sleep for nothing, again and again.
EPSILON: Final = 1e-6


class Gate:
    """The pacing of one endpoint; see the module docstring."""

    def __init__(
        self,
        name: str,
        rate: Rate | None = None,
        *,
        clock: Clock = loop_time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.name = name
        self.rate = rate
        self._clock, self._sleep = clock, sleep
        self._next_slot = -math.inf
        self._closed_until = -math.inf  # nothing leaves before this
        self._probing = False  # closed, the reopening time unknown
        self._probe_out = False  # a probe is in flight
        self._closed_at = 0.0  # when the present closure began
        self._turn: float | None = None  # when the present closure should end, if known
        self._refused_since_opening = False  # a 429 came after the last opening
        self._first_opening: float | None = None
        self._last_opening: float | None = None
        self._successes = 0  # since the last opening
        self.period: float | None = None  # the window's length, once learned
        self.allowance: int | None = None  # requests a window allows, once seen
        self.limited = 0  # 429s seen
        self.sent = 0  # requests let through

    # ---- what a worker calls ----

    async def wait(self) -> None:
        """Return when this worker may send one request."""
        while True:
            now = self._clock()
            if self._closed_until - now > EPSILON:
                await self._sleep(self._closed_until - now)
                continue
            if self._probing:
                if self._probe_out:
                    await self._sleep(POLL)
                    continue
                self._probe_out = True
            if self.rate is not None:
                slot = max(now, self._next_slot)
                self._next_slot = slot + self.rate.interval
                if slot - now > EPSILON:
                    await self._sleep(slot - now)
            self.sent += 1
            return

    def succeeded(self) -> None:
        now = self._clock()
        if self._probing or self._refused_since_opening:
            self._opened(now)
        self._successes += 1

    def refused(self, retry_after: float | None) -> None:
        """A 429: close the gate until the window turns (see the module
        docstring). The refused request waits at the gate like any other."""
        now = self._clock()
        self.limited += 1
        if now >= self._closed_until and not self._probing:
            # A new closure: if the window is known, when should it turn?
            self._closed_at = now
            self._turn = self._predict_turn(now)
        self._refused_since_opening = True
        self._probe_out = False
        if retry_after is not None:
            self._probing = False
            self._closed_until = max(self._closed_until, now + retry_after)
            return
        self._probing = True
        period, turn = self.period, self._turn
        if turn is not None and period is not None and now < turn + period / 2:
            # Reopen just before the predicted turn; once it is due, probe
            # in fine steps until a request gets through.
            step = period / FINE
            self._closed_until = max(turn - step, now + step)
            return
        waited = now - self._closed_at
        self._closed_until = now + min(MAX_PROBE, max(FIRST_PROBE, waited * PROBE_SHARE))

    # ---- what the run reads ----

    @property
    def known_rate(self) -> float | None:
        """Requests per second this endpoint allows, as far as is known: the
        cap given, or a window's allowance over its length once both are
        learned (the lower of the two)."""
        learned = None
        if self.period and self.allowance:
            learned = self.allowance / self.period
        capped = self.rate.per_second if self.rate is not None else None
        known = [r for r in (learned, capped) if r is not None]
        return min(known) if known else None

    # ---- learning the window ----

    def _opened(self, now: float) -> None:
        """A request got through after refusals: a window opened at or just
        before `now`."""
        if self._last_opening is not None:
            # A 429 came after the last opening, so the window before this one
            # was used up: its successes are what a window allows.
            self.allowance = max(self.allowance or 0, self._successes)
        self._probing = self._probe_out = self._refused_since_opening = False
        self._successes = 0
        if self._first_opening is None:
            self._first_opening = now
        elif self._last_opening is not None:
            if self.period is None:
                self.period = now - self._last_opening
            else:
                # Average over every window since the first opening: the
                # error of one observation shrinks with their number.
                windows = max(1, round((now - self._first_opening) / self.period))
                self.period = (now - self._first_opening) / windows
        self._last_opening = now

    def _predict_turn(self, now: float) -> float | None:
        """The first turn of the window after `now`, if the window is known."""
        if self.period is None or self._last_opening is None:
            return None
        turns = math.floor((now - self._last_opening) / self.period) + 1
        return self._last_opening + turns * self.period


class Pacing:
    """A gate per endpoint, made on first use; every gate gets the same cap
    (`--rate` applies to each endpoint, as Arize's limit does)."""

    def __init__(
        self,
        rate: Rate | None = None,
        *,
        clock: Clock = loop_time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self._clock, self._sleep = clock, sleep
        self.gates: dict[str, Gate] = {}

    def gate(self, endpoint: str) -> Gate:
        gate = self.gates.get(endpoint)
        if gate is None:
            gate = self.gates[endpoint] = Gate(
                endpoint, self.rate, clock=self._clock, sleep=self._sleep
            )
        return gate

    @property
    def limited(self) -> int:
        """429s seen, all endpoints together."""
        return sum(g.limited for g in self.gates.values())
