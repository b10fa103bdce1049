"""The history of writes: every write request the API answered, in order.

`request_log` says what was asked and answered; the history says what each
write was about (which organization or space, which user), so that a test
or a benchmark can check orderings the API relies on: a user's space adds
answered only after their organization add, say. Refusals are recorded too
(their status says so); a fault injected before the API (`fail_next`, ...)
never reaches it and is in `request_log` only.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import attrs

__all__ = ["History", "Write"]


@attrs.frozen
class Write:
    """One write answered. `endpoint` is the method and path template, as
    the rate limit counts it ("POST /v2/spaces/{space_id}/users");
    `organization_id` is set for the organization endpoints, `space_id` for
    the space ones; `user_id` is the user the write was about (None when
    the request did not say); `at` is the sandbox's clock when it was
    answered (`Sandbox.clock`: seconds, monotonic unless a test sets it)."""

    endpoint: str
    organization_id: str | None
    space_id: str | None
    user_id: str | None
    status: int
    at: float

    @property
    def method(self) -> str:
        return self.endpoint.partition(" ")[0]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, **attrs.asdict(self)}


class History:
    """Writes as they are answered; safe to add to from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._writes: list[Write] = []

    def add(self, write: Write) -> None:
        with self._lock:
            self._writes.append(write)

    def writes(self) -> list[Write]:
        """A copy, in the order the writes were answered."""
        with self._lock:
            return list(self._writes)

    def dump(self, path: Path) -> int:
        """Write the history to `path` as JSON lines, one write a line; the
        number of lines."""
        writes = self.writes()
        with path.open("w", encoding="utf-8") as out:
            for write in writes:
                out.write(json.dumps(write.as_json()) + "\n")
        return len(writes)
