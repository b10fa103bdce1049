"""The report of a bulk run, and reading one back to resume from it.

A report is JSON Lines. Each run appends a header first, which says what the
run was (the organization, the server, the input file's name, size and
SHA-256), then one object per row, flushed as soon as the row's outcome is
known, so that even `kill -9` loses at most the rows in flight.

A report is checked before any request is sent: it may not be the input
file (the run would read its own output), a folder, or a file that cannot be
written. A report to resume from must be an arize-orgs report of a run for
the same organization at the same server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Final

import attrs

from .._text import printable
from ..errors import InvalidInputError
from .results import RowResult
from .rows import bounded_lines

__all__ = ["ReportError", "ReportWriter", "RunIdentity", "read_done"]

KIND: Final = "arize-orgs add-users report"
FORMAT: Final = 1


class ReportError(OSError):
    """The report could not be written while the run went on."""


@attrs.frozen
class RunIdentity:
    """What a report records of its run, and what a resumed run must share."""

    organization: str
    server: str
    input_name: str
    input_bytes: int
    input_sha256: str

    @classmethod
    def of(cls, organization: str, server: str, name: str, path: Path) -> RunIdentity:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256")
            size = f.tell()
        return cls(organization, server, name, size, digest.hexdigest())

    def header(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "report": KIND,
            "format": FORMAT,
            "organization": self.organization,
            "server": self.server,
            "input": {
                "name": self.input_name,
                "bytes": self.input_bytes,
                "sha256": self.input_sha256,
            },
            "dry_run": dry_run,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _first_record(path: Path) -> Any:
    """The first line of the file at `path`, parsed; None if it is not JSON."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            line = f.readline(1 << 16)
    except OSError:
        return None  # found unwritable or unreadable by the open that follows
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _check_appendable(path: Path, identity: RunIdentity, shown: str) -> None:
    """A report is appended to, so that a resumed run can continue its own;
    refuse to append to a file that holds anything else: another file's
    contents, or the report of another organization or server."""
    try:
        if path.stat().st_size == 0:
            return
    except OSError:
        return  # no file yet
    record = _first_record(path)
    if not (isinstance(record, dict) and record.get("report") == KIND):
        raise InvalidInputError(
            f"--report {shown} already exists and is not an arize-orgs report: "
            "name a new file (a report is appended to, never overwritten)"
        )
    _check_same_run(record, identity, f"--report {shown}", "name a new file")


def _check_same_run(header: dict[str, Any], identity: RunIdentity, what: str, do: str) -> None:
    """A report's header must be of a run for this organization at this
    server: else InvalidInputError naming `what` and saying to `do`."""
    org, server = header.get("organization"), header.get("server")
    if (org, server) != (identity.organization, identity.server):
        raise InvalidInputError(
            f"{what} is the report of a run for organization "
            f"{printable(str(org))} at {printable(str(server))}; this run is for organization "
            f"{identity.organization} at {identity.server}: {do}"
        )


def check_report_path(path: Path, input_path: Path | None) -> None:
    """What can be told of a --report path before the run knows its
    organization (a name is looked up first): InvalidInputError if the path
    is the input file, a folder, not a regular file, or in no folder."""
    shown = printable(str(path))
    if input_path is not None and _same_file(path, input_path):
        raise InvalidInputError(
            f"--report {shown} is the input file: the run would read its own output; "
            "name another file"
        )
    if path.is_dir():
        raise InvalidInputError(f"--report {shown} is a folder; name a file in it")
    if path.exists() and not path.is_file():
        # A FIFO would block the run before it starts; a device (say
        # /dev/stdin, which may be the input) is no report to read back.
        raise InvalidInputError(f"--report {shown} is not a regular file; name a file")
    if not path.parent.is_dir():
        raise InvalidInputError(
            f"--report {shown}: the folder {printable(str(path.parent))} does not exist"
        )


def check_resume_path(path: Path) -> None:
    """A --resume file that cannot be read at all, told before any request."""
    _open_resume(path).close()


def _open_resume(path: Path) -> IO[str]:
    try:
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the report to resume from, {printable(str(path))}: {exc.strerror or exc}"
        ) from None


class ReportWriter:
    """Appends to `path`, after checking that it can: refuses (as
    InvalidInputError, before any request) the input file itself, a folder,
    a missing folder, a file that cannot be written, and a file that holds
    anything but reports of this organization and server."""

    def __init__(
        self, path: Path, identity: RunIdentity, *, input_path: Path | None, dry_run: bool
    ) -> None:
        shown = printable(str(path))
        check_report_path(path, input_path)
        _check_appendable(path, identity, shown)
        try:
            self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115
            self._put(identity.header(dry_run=dry_run))
        except OSError as exc:
            raise InvalidInputError(
                f"cannot write the report {shown}: {exc.strerror or exc}"
            ) from None
        self.path = path

    def _put(self, record: Mapping[str, Any]) -> None:
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()

    def write(self, result: RowResult) -> None:
        try:
            self._put(result.to_json())
        except OSError as exc:
            raise ReportError(
                exc.errno, f"cannot write the report {printable(str(self.path))}: {exc.strerror}"
            ) from exc

    def close(self) -> None:
        # What could not be flushed was reported when it was written.
        with contextlib.suppress(OSError):
            self._file.close()


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with _open_resume(path) as f:
        for text in bounded_lines(f):  # a hostile file cannot fill memory
            try:
                record = json.loads(text)
            except (ValueError, RecursionError):
                continue  # a line cut short by a crash, or not ours
            if isinstance(record, dict):
                yield record


def read_done(path: Path, identity: RunIdentity) -> Iterator[tuple[str, str, str, str]]:
    """(user, role, action, space) of every `ok` row in the report at
    `path`, streamed (`action` is "add" for reports older than removals,
    `space` empty for a row about the organization). The
    report must be one of runs for the same organization and server: its
    first record is a header, and so is every run's first; raises
    InvalidInputError otherwise (before any request: the engine reads it
    while planning)."""
    shown = printable(str(path))
    first = True
    for record in _records(path):
        if record.get("report") == KIND:
            _check_same_run(
                record, identity, f"--resume {shown}", "give that run's report, or none"
            )
        elif first:
            raise InvalidInputError(
                f"--resume {shown} is not an arize-orgs report (it does not start with one's "
                "header line): give the --report file an earlier run wrote"
            )
        elif record.get("outcome") == "ok":
            user, role = record.get("user"), record.get("role")
            action, space = record.get("action", "add"), record.get("space", "")
            if all(isinstance(v, str) for v in (user, role, action, space)):
                yield user, role, action, space  # type: ignore[misc]
        first = False
    if first:
        raise InvalidInputError(
            f"--resume {shown} is empty, or not an arize-orgs report: give the --report file "
            "an earlier run wrote"
        )
