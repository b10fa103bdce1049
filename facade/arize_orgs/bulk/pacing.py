"""Shared pacing for bulk workers: a fixed cap and adaptive back-off.

The cap (`--rate`) is aiolimiter's leaky bucket sized to one request, so
requests are spaced evenly at 1/rate seconds with no burst: a server that
allows `rate` writes per second never sees more.

Adaptive back-off needs no configuration. On a 429:
- the refused request waits what its Retry-After says (the engine does that);
- every worker slows down: the shared pace drops to a little under the rate
  of successes in the last second, the server's limit as far as we can tell;
- if nothing succeeded lately (so no limit can be learned), every worker
  pauses until the Retry-After has passed.
While no 429 comes back, the pace rises by a tenth each second, and after ten
quiet seconds it is lifted altogether.
"""

from __future__ import annotations

import asyncio
import collections
import time
from typing import Final

from aiolimiter import AsyncLimiter

DECREASE: Final = 0.9  # of the success rate seen, after a 429
INCREASE: Final = 1.1  # per second without a 429
LIFT_AFTER: Final = 10.0  # seconds without a 429 before the pace is lifted
DEFAULT_PAUSE: Final = 1.0  # when a 429 says nothing of when to retry
WINDOW: Final = 1.0  # seconds of successes that estimate the server's limit


class Pacing:
    def __init__(self, rate: float | None = None) -> None:
        self.cap = AsyncLimiter(1, 1 / rate) if rate else None
        self.pace: float | None = None  # requests per second, learned; None = no limit
        self.paused_until = 0.0
        self.limited = 0  # how many 429s were seen
        self._next_slot = 0.0
        self._last_429 = 0.0
        self._last_increase = 0.0
        self._successes: collections.deque[float] = collections.deque()

    async def wait(self) -> None:
        """Wait for this worker's turn to send."""
        if self.cap is not None:
            await self.cap.acquire()
        now = time.monotonic()
        start = max(now, self.paused_until)
        if self.pace is not None:
            start = max(start, self._next_slot)
            self._next_slot = start + 1 / self.pace
        if start > now:
            await asyncio.sleep(start - now)

    def _recent(self, now: float) -> int:
        while self._successes and now - self._successes[0] > WINDOW:
            self._successes.popleft()
        return len(self._successes)

    def succeeded(self) -> None:
        now = time.monotonic()
        self._successes.append(now)
        if self.pace is None:
            if len(self._successes) > 4096:
                self._recent(now)
            return
        if now - self._last_429 >= LIFT_AFTER:
            self.pace = None
        elif now - max(self._last_increase, self._last_429) >= 1.0:
            self.pace *= INCREASE
            self._last_increase = now

    def rate_limited(self, retry_after: float | None) -> None:
        now = time.monotonic()
        self.limited += 1
        burst = now - self._last_429 < WINDOW / 2  # answers to requests sent together
        self._last_429 = now
        if burst and self.pace is not None:
            return
        seen = self._recent(now)
        if seen:
            self.pace = max(0.5, seen / WINDOW * DECREASE)
            self._next_slot = now + 1 / self.pace
        elif self.pace is not None:
            self.pace = max(0.5, self.pace / 2)
        else:
            self.paused_until = max(self.paused_until, now + (retry_after or DEFAULT_PAUSE))
