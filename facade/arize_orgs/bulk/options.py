"""How a bulk run goes: one value, built once by whoever starts the run (the
clients' `add_users`, the command line) and handed to the engine."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

import attrs

from .._http import DEFAULT_CONCURRENCY
from ..errors import InvalidInputError
from .results import RowResult

__all__ = ["BulkOptions"]


def _concurrency(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"concurrency must be a whole number >= 1, not {value!r}")


def _rate(_: object, __: attrs.Attribute[float | None], value: float | None) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidInputError(
            f"rate must be a positive, finite number of requests per second, not {value!r}"
        )


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value)


@attrs.frozen
class BulkOptions:
    """Options of a bulk run (see `AsyncOrgClient.add_users`).

    concurrency   requests in flight at once
    rate          at most this many requests per second (None: adapt to 429s)
    dry_run       check every row and resolve emails; write nothing
    report        append one JSON line per row to this file
    resume        skip the rows an earlier report has as ok
    keep_results  keep every RowResult in memory (False for huge files)
    on_result     called with each RowResult as soon as it is known
    on_planned    called once with the number of rows read, before any request
    """

    concurrency: int = attrs.field(default=DEFAULT_CONCURRENCY, validator=_concurrency)
    rate: float | None = attrs.field(default=None, validator=_rate)
    dry_run: bool = False
    report: Path | None = attrs.field(default=None, converter=_path)
    resume: Path | None = attrs.field(default=None, converter=_path)
    keep_results: bool = True
    on_result: Callable[[RowResult], None] | None = attrs.field(default=None, eq=False)
    on_planned: Callable[[int], None] | None = attrs.field(default=None, eq=False)
