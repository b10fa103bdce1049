"""What a bulk run gives back: one RowResult per input row, a Summary of
counts that always add up to the rows read, both in a BulkResult."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final, Literal

import attrs

from .._redact import scrub_json
from .rows import Action

__all__ = ["OUTCOMES", "BulkResult", "Outcome", "RowResult", "Summary"]

Outcome = Literal["ok", "skipped", "invalid", "failed", "not_attempted", "would_send"]
OUTCOMES: Final[tuple[Outcome, ...]] = (
    "ok",
    "skipped",
    "invalid",
    "failed",
    "not_attempted",
    "would_send",
)


@attrs.frozen
class RowResult:
    """The outcome of one input row.

    outcome        meaning
    ok             added, or role changed (`membership_id` is set); or removed
    skipped        repeats an earlier row with the same role, or was ok in a resumed report
    invalid        found before sending: why is in `detail`
    failed         the API refused or could not be reached, after retries: `error` (the
                   exception class) and `detail`
    not_attempted  the run stopped before this row was sent
    would_send     a dry run's valid row

    `action` is the row's: "add" or "remove". `invited` says that the row's
    email matched no account and an invitation was sent for it (`add_users(
    invite=True)`), or, in a dry run, would be; the invitation may have been
    sent even when the add that follows it failed.
    """

    line: int
    user: str
    role: str
    outcome: Outcome
    user_id: str | None = None
    membership_id: str | None = None
    error: str | None = None  # the exception class, for `failed`
    detail: str | None = None  # why: the error's message or the reason
    answered_role: str | None = None  # the role the server answered, for `ok`
    action: Action = "add"
    invited: bool = False  # an invitation was sent (or, in a dry run, would be)
    space: str = ""  # the row's space, as given; empty for the organization
    space_id: str | None = None  # that space's id, once known

    def to_json(self) -> dict[str, Any]:
        """The report's record of this row. Every `failed` row has
        `error: {class, detail}`; `invalid`, `skipped` and `not_attempted`
        rows say why in `reason`; an `ok` row has the membership's id and the
        role the server answered."""
        out: dict[str, Any] = {
            "line": self.line,
            "user": self.user,
            "role": self.role,
            "action": self.action,
            "outcome": self.outcome,
        }
        if self.space:
            out["space"] = self.space
        if self.space_id:
            out["space_id"] = self.space_id
        if self.invited:
            out["invited"] = True
        if self.user_id:
            out["user_id"] = self.user_id
        if self.membership_id:
            out["membership_id"] = self.membership_id
        if self.answered_role:
            out["answered_role"] = self.answered_role
        if self.outcome == "failed":
            out["error"] = {"class": self.error or "Error", "detail": self.detail}
        elif self.detail:
            out["reason"] = self.detail
        # Exceptions come scrubbed of the key, but a server can echo it in any
        # field of an answer: every string is scrubbed (a report outlives the run).
        scrubbed: dict[str, Any] = scrub_json(out)
        return scrubbed


@attrs.define
class Summary:
    """Counts by outcome; they always add up to `rows`."""

    counts: Counter[str] = attrs.field(factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    dry_run: bool = False
    rate_limited: int = 0  # 429 answers seen, every endpoint together
    lookups: int = 0  # distinct emails to resolve
    lookup_requests: int = 0  # GET /v2/users requests made to resolve them
    lookup_method: str | None = None  # "per email" or "listing", or both
    # Listing requests made to resolve names (organization, spaces, custom roles).
    name_lookups: int = 0
    invited: int = 0  # invitations sent (in a dry run: that would be sent)
    removed: int = 0  # users removed (in a dry run: that would be)
    stopped: str | None = None  # why the run stopped early, if it did

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def all_ok(self) -> bool:
        bad = ("invalid", "failed", "not_attempted")
        return not self.stopped and not any(self.counts[o] for o in bad)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            **{o: self.counts[o] for o in OUTCOMES if o != "would_send" or self.dry_run},
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
            "dry_run": self.dry_run,
            "rate_limited": self.rate_limited,
            "email_lookups": self.lookups,
            "lookup_requests": self.lookup_requests,
            "lookup_method": self.lookup_method,
            "name_lookups": self.name_lookups,
            "invited": self.invited,
            "removed": self.removed,
            "stopped": self.stopped,
        }


@attrs.define
class BulkResult:
    """What `add_users` returns: the summary and, unless `keep_results=False`,
    every row's result in the order they finished."""

    summary: Summary
    results: list[RowResult]
