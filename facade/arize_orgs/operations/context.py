"""What every operation of one client shares: the names it has resolved."""

from __future__ import annotations

import threading
from typing import Any

import attrs

__all__ = ["Context"]


@attrs.define(eq=False)
class Context:
    """A client's memory, shared with its copies (`with_options`, the copy a
    bulk run works through): the organizations, spaces and custom roles
    resolved by name, so each name costs its look-up once per client, and
    how many listing requests name look-ups have sent (`name_requests`)."""

    resolved: dict[tuple[str, str, str], Any] = attrs.field(factory=dict)
    name_requests: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def remember(self, key: tuple[str, str, str], record: Any) -> None:
        with self._lock:
            self.resolved[key] = record

    def counted(self) -> None:
        with self._lock:
            self.name_requests += 1
