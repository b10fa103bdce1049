"""Reading a bulk input file: CSV with a header row, or JSON Lines.

Columns (CSV) or keys (JSON Lines): `user` (an id or an email), `role`, and
optionally `account_role`, `action` (`add`, the default, or `remove`; a
removal needs no role, and a file with an `action` column needs no `role`
column if it only removes) and `space` (a space of the run's organization, by
name or id: the row is about that space's membership; empty for the
organization's). UTF-8 with or without a byte-order mark. Rows are
streamed: nothing here holds more than one row at a time.

A problem with the file as a whole (missing, empty, no header, unknown
columns) raises `InputFileError`. A problem with one row never stops the
others: that row comes out as a `BadRow` carrying its line number and why.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Final, Literal

import attrs

from ..errors import InvalidInputError

__all__ = ["BadRow", "InputFileError", "InputRow", "RowSource", "bounded_lines"]

COLUMNS: Final = ("user", "role", "account_role", "action", "space")
REQUIRED: Final = ("user", "role")
Action = Literal["add", "remove"]
ACTIONS: Final[tuple[Action, ...]] = ("add", "remove")
MAX_FIELD: Final = 1000  # longer than any id, email or role
# Fields can be huge in hostile files; csv's own limit (128 KiB) would raise
# mid-file. Read up to this, and call anything over MAX_FIELD invalid.
csv.field_size_limit(16 * 1024 * 1024)


MAX_LINE: Final = 64 * 1024  # characters of one line; a row needs far fewer
TOO_LONG: Final = "\x00"  # what bounded_lines gives for a line over MAX_LINE


def bounded_lines(f: IO[str], limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of `f`, each at most `limit` characters: a longer one (a
    file with no newlines, say) is read past in pieces and given as TOO_LONG
    plus its newline, so that memory stays flat whatever the file holds."""
    while line := f.readline(limit):
        if len(line) == limit and not line.endswith("\n"):
            while (more := f.readline(limit)) and not more.endswith("\n"):
                pass
            yield TOO_LONG + "\n"
        else:
            yield line


def _too_long(line: int) -> BadRow:
    return BadRow(line, f"the line is over {MAX_LINE:,} characters; no row is that long")


class InputFileError(InvalidInputError):
    """The input file cannot be used at all (exit code 2)."""


@attrs.frozen
class InputRow:
    line: int
    user: str
    role: str
    account_role: str | None = None
    action: Action = "add"
    space: str = ""  # a space's name or id; empty: the organization


@attrs.frozen
class BadRow:
    line: int
    reason: str
    user: str = ""
    role: str = ""


def _cell(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    if "\ufffd" in value:
        raise ValueError(f"{name} is not valid UTF-8")
    if "\x00" in value:
        raise ValueError(f"{name} contains a NUL character")
    if len(value) > MAX_FIELD:
        raise ValueError(f"{name} is {len(value)} characters long; no id, email or role is")
    return value.strip()


def _row(line: int, fields: Mapping[str, object]) -> InputRow | BadRow:
    user = fields.get("user")
    role = fields.get("role")
    shown_user = user[:80] if isinstance(user, str) else ""
    shown_role = role[:40] if isinstance(role, str) else ""
    try:
        clean = {name: _cell(fields.get(name), name) for name in COLUMNS}
    except ValueError as exc:
        return BadRow(line, str(exc), shown_user, shown_role)
    action = _action(clean["action"])
    if action is None:
        return BadRow(
            line,
            f"action {clean['action'][:40]!r} is neither add nor remove",
            clean["user"],
            clean["role"],
        )
    # A removal needs only the user: a role on its row is ignored.
    missing = [name for name in REQUIRED if not clean[name] and (action == "add" or name == "user")]
    if missing:
        return BadRow(line, f"{' and '.join(missing)} missing", clean["user"], clean["role"])
    return InputRow(
        line, clean["user"], clean["role"], clean["account_role"] or None, action, clean["space"]
    )


def _action(text: str) -> Action | None:
    """The row's action: empty is `add`; case does not matter."""
    spelled = text.lower() or "add"
    for action in ACTIONS:
        if spelled == action:
            return action
    return None


class RowSource:
    """A file of rows that can be read more than once (the engine reads it
    twice: once to plan, once to send). Standard input is spooled to a
    temporary file first, so it can be re-read too."""

    def __init__(self, path: str | os.PathLike[str], *, fmt: str | None = None) -> None:
        self._spool: tempfile._TemporaryFileWrapper[bytes] | None = None
        if str(path) == "-":
            self._spool = tempfile.NamedTemporaryFile(prefix="arize-orgs-stdin-", delete=True)  # noqa: SIM115
            shutil.copyfileobj(sys.stdin.buffer, self._spool)
            self._spool.flush()
            self.path = Path(self._spool.name)
            self.name = "<stdin>"
        else:
            self.path = Path(path)
            self.name = str(path)
        if not self.path.is_file():
            raise InputFileError(f"{self.name}: no such file")
        self.format = fmt or self._sniff()
        if self.format not in ("csv", "jsonl"):
            raise InputFileError(f"unknown input format {self.format!r}; use csv or jsonl")
        self.columns = self._check_header() if self.format == "csv" else COLUMNS

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> RowSource:
        """Rows given in memory (library use): spooled as JSON Lines."""
        spool = tempfile.NamedTemporaryFile(prefix="arize-orgs-rows-", delete=True)  # noqa: SIM115
        for row in rows:
            spool.write(json.dumps(dict(row)).encode() + b"\n")
        spool.flush()
        source = cls(spool.name, fmt="jsonl")
        source._spool, source.name = spool, "<rows>"
        return source

    @property
    def spooled(self) -> bool:
        """Whether the rows came from standard input or memory (spooled to a
        temporary file), not from a file the user named."""
        return self._spool is not None

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    def _open(self) -> IO[str]:
        # utf-8-sig drops a BOM; invalid bytes become U+FFFD and make that
        # row (not the file) invalid.
        return open(self.path, encoding="utf-8-sig", errors="replace", newline="")

    def _sniff(self) -> str:
        suffix = self.path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        if suffix == ".csv":
            return "csv"
        with self._open() as f:
            head = f.read(4096).lstrip()
        return "jsonl" if head.startswith("{") else "csv"

    def _check_header(self) -> tuple[str, ...]:
        with self._open() as f:
            try:
                header = next(csv.reader(bounded_lines(f)), None)
                if header == [TOO_LONG]:
                    raise csv.Error(f"it is over {MAX_LINE:,} characters long")
            except csv.Error as exc:
                raise InputFileError(f"{self.name}: the header row cannot be read: {exc}") from None
        if not header or not any(h.strip() for h in header):
            raise InputFileError(
                f"{self.name}: no header row; the first line must name the columns: user,role"
                "[,account_role][,action][,space]"
            )
        names = tuple(h.strip().lower() for h in header)
        unknown = [h for h in names if h not in COLUMNS]
        if unknown:
            raise InputFileError(
                f"{self.name}: unknown column(s) {', '.join(map(repr, unknown))}; "
                "the columns are user, role and optionally account_role, action and space"
            )
        # A file that only removes (an action column) may leave the roles out.
        missing = [c for c in REQUIRED if c not in names and (c == "user" or "action" not in names)]
        if missing:
            raise InputFileError(f"{self.name}: the header has no {' or '.join(missing)} column")
        if len(set(names)) != len(names):
            raise InputFileError(f"{self.name}: a column is named twice in the header")
        return names

    def __iter__(self) -> Iterator[InputRow | BadRow]:
        return self._csv() if self.format == "csv" else self._jsonl()

    def _csv(self) -> Iterator[InputRow | BadRow]:
        with self._open() as f:
            reader = csv.reader(bounded_lines(f))
            next(reader, None)
            width = len(self.columns)
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield BadRow(line, f"not a CSV row: {exc}")
                    continue
                if cells == [TOO_LONG]:
                    yield _too_long(line)
                    continue
                if not any(c.strip() for c in cells):
                    continue  # blank lines are not rows
                if len(cells) != width:
                    yield BadRow(
                        line,
                        f"{len(cells)} cells; the header names {width} columns",
                        cells[0][:80] if cells else "",
                    )
                    continue
                yield _row(line, dict(zip(self.columns, cells, strict=True)))

    def _jsonl(self) -> Iterator[InputRow | BadRow]:
        with self._open() as f:
            for line, text in enumerate(bounded_lines(f), start=1):
                if text.startswith(TOO_LONG):
                    yield _too_long(line)
                    continue
                if not text.strip():
                    continue
                try:
                    fields = json.loads(text)
                except ValueError:
                    yield BadRow(line, "not a JSON object")
                    continue
                except RecursionError:  # one row cannot end the run with a traceback
                    yield BadRow(line, "JSON nested too deeply to read; a row is one flat object")
                    continue
                if not isinstance(fields, dict):
                    yield BadRow(line, "not a JSON object")
                    continue
                unknown = sorted(set(fields) - set(COLUMNS))
                if unknown:
                    yield BadRow(line, f"unknown key(s) {', '.join(map(repr, unknown))}")
                    continue
                yield _row(line, fields)
