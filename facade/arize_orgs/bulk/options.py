"""How a bulk run goes: one value, built once by whoever starts the run (the
clients' `add_users`, the command line) and handed to the engine."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs

from .._http import DEFAULT_CONCURRENCY
from ..errors import InvalidInputError
from .rate import Rate
from .results import RowResult

__all__ = ["BulkOptions"]


def _concurrency(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"concurrency must be a whole number >= 1, not {value!r}")


def _rate(value: Rate | str | float | None) -> Rate | None:
    return None if value is None else Rate.parse(value)


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value)


@attrs.frozen
class BulkOptions:
    """Options of a bulk run (see `AsyncOrgClient.add_users`).

    concurrency   requests in flight at once
    rate          at most this many requests to each endpoint: a Rate, "N/SECONDS"
                  (Arize publishes 100/60) or a number per second; None: learn the
                  server's limit from its 429s
    dry_run       check every row and resolve emails; write nothing
    report        append one JSON line per row to this file
    resume        skip the rows an earlier report has as ok
    keep_results  keep every RowResult in memory (False for huge files)
    on_result     called with each RowResult as soon as it is known
    on_planned    called once with the number of rows read, before any request
    on_lookup     called as emails are resolved: (requests made, emails resolved,
                  emails in all)
    """

    concurrency: int = attrs.field(default=DEFAULT_CONCURRENCY, validator=_concurrency)
    rate: Rate | None = attrs.field(default=None, converter=_rate)
    dry_run: bool = False
    report: Path | None = attrs.field(default=None, converter=_path)
    resume: Path | None = attrs.field(default=None, converter=_path)
    keep_results: bool = True
    on_result: Callable[[RowResult], None] | None = attrs.field(default=None, eq=False)
    on_planned: Callable[[int], None] | None = attrs.field(default=None, eq=False)
    on_lookup: Callable[[int, int, int], None] | None = attrs.field(default=None, eq=False)
