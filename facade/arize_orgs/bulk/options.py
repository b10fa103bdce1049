"""How a bulk run goes: one value, built once by whoever starts the run (the
clients' `add_users`, the command line) and handed to the engine."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs

from .._http import DEFAULT_CONCURRENCY, DEFAULT_MAX_REMOVALS
from ..errors import InvalidInputError
from ..records import InviteMode, check_invite_mode
from .rate import Rate
from .results import RowResult

__all__ = ["BulkOptions"]


MAX_CONCURRENCY = 256  # more workers than this only wait at the gates, and cost memory


def _concurrency(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENCY:
        raise InvalidInputError(
            f"concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, not {value!r}"
        )


def _max_removals(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"max_removals must be a whole number >= 0, not {value!r}")


def _rate(value: Rate | str | float | None) -> Rate | None:
    return None if value is None else Rate.parse(value)


def _bulk_invite_mode(value: object) -> InviteMode:
    mode = check_invite_mode(value)
    if mode == "temporary-password":
        raise InvalidInputError(
            "a bulk run cannot invite with temporary passwords: no report or output may show "
            "them, so no one would get them; use invite_mode 'email-link' or 'none', or "
            "invite_user(..., invite_mode='temporary-password') one person at a time"
        )
    return mode


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
    invite        an add row whose email matches no account invites it first
                  (account role: the row's, else annotator for the annotator role,
                  member for any other), then adds the user
    invite_mode   how those invitations reach people: "email-link" or "none" (a
                  bulk run never asks for temporary passwords: no one would see them)
    allow_remove  rows with action `remove` may run; without it a file that has
                  any is refused before any request
    max_removals  a file that would remove more users than this is refused before
                  any request (default 25)
    retries       times a request that failed in a way that may pass (a connection
                  error, a timeout, 500/502/503/504) is sent again, each time through
                  its endpoint's pacing, so that --rate holds for retries too (the
                  clients pass their max_retries)
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
    invite: bool = False
    invite_mode: InviteMode = attrs.field(default="email-link", converter=_bulk_invite_mode)
    allow_remove: bool = False
    max_removals: int = attrs.field(default=DEFAULT_MAX_REMOVALS, validator=_max_removals)
    retries: int = attrs.field(default=2, validator=_max_removals)  # a whole number >= 0
