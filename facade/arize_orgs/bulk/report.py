"""The report of a bulk run: one JSON object per row, appended and flushed as
soon as the row's outcome is known, so that even `kill -9` loses at most the
rows in flight; and reading an earlier report back to resume from it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import IO

from ..errors import InvalidInputError
from .results import RowResult

__all__ = ["ReportWriter", "read_done"]


class ReportWriter:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, result: RowResult) -> None:
        self._file.write(json.dumps(result.to_json()) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def read_done(path: str | os.PathLike[str]) -> Iterator[tuple[str, str]]:
    """(user, role) of every `ok` row in an earlier report. A line cut short by
    a crash is ignored."""
    try:
        f = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        raise InvalidInputError(f"cannot read the report to resume from: {exc}") from None
    with f:
        for text in f:
            try:
                record = json.loads(text)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("outcome") == "ok":
                user, role = record.get("user"), record.get("role")
                if isinstance(user, str) and isinstance(role, str):
                    yield user, role
