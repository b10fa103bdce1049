"""A request rate: `requests` per `per` seconds, as Arize states its limit
("100 requests per minute per endpoint") and as `--rate` takes it."""

from __future__ import annotations

import math

import attrs

from ..errors import InvalidInputError

__all__ = ["Rate"]

MIN_PER = 0.001  # seconds; a shorter window only measures the clock
MAX_INTERVAL = 3600.0  # seconds between requests: slower than this is a typo


@attrs.frozen
class Rate:
    """At most `requests` per `per` seconds. `Rate.parse("100/60")`,
    `Rate.parse("2.5")` (per second) or `Rate.parse(2.5)`."""

    requests: float
    per: float = 1.0

    def __attrs_post_init__(self) -> None:
        for name, value, low in (("requests", self.requests, 0.0), ("per", self.per, MIN_PER)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInputError(f"a rate's {name} must be a number, not {value!r}")
            if not math.isfinite(value) or value <= 0 or value < low:
                raise InvalidInputError(
                    f"a rate's {name} must be a positive, finite number"
                    f"{f' of at least {low:g} s' if low else ''}, not {value!r}"
                )
        if self.interval > MAX_INTERVAL:
            raise InvalidInputError(
                f"a rate of {self.requests:g} per {self.per:g} s is slower than one request an "
                "hour; give the rate per second (e.g. 1.5) or per window (e.g. 100/60)"
            )

    @property
    def interval(self) -> float:
        """Seconds between two requests sent evenly at this rate."""
        return self.per / self.requests

    @property
    def per_second(self) -> float:
        return self.requests / self.per

    @classmethod
    def parse(cls, value: Rate | str | float) -> Rate:
        if isinstance(value, Rate):
            return value
        if isinstance(value, str):
            count, sep, seconds = value.strip().partition("/")
            try:
                return cls(float(count), float(seconds)) if sep else cls(float(count))
            except InvalidInputError:
                raise  # a number, but not a usable rate: its own message
            except ValueError:
                raise InvalidInputError(
                    f"rate {value.strip()[:40]!r} is not N/SECONDS (e.g. 100/60, Arize's "
                    "published limit) or requests per second (e.g. 1.5)"
                ) from None
        return cls(value)

    def __str__(self) -> str:
        # The form --rate takes, so that a message can be pasted back.
        return f"{self.requests:g}" if self.per == 1 else f"{self.requests:g}/{self.per:g}"
