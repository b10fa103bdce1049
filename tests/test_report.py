"""The report of a bulk run, unit by unit: what a header records, how rows are
written and flushed, which files are refused and why, and which records a
resumed run takes as done. No server: files in a temporary folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from arize_orgs import errors
from arize_orgs.bulk.report import KIND, ReportError, ReportWriter, RunIdentity, read_done
from arize_orgs.bulk.results import RowResult

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
SERVER = "https://api.arize.com"
USER = "VXNlcjoxMjM0NQ=="


def identity(tmp_path: Path, org: str = ORG, server: str = SERVER) -> RunIdentity:
    rows = tmp_path / "rows.csv"
    if not rows.exists():
        rows.write_text("user,role\n")
    return RunIdentity.of(org, server, "rows.csv", rows)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def refusal(call: Any) -> str:
    with pytest.raises(errors.InvalidInputError) as info:
        call()
    return str(info.value)


# ---- what the header records -----------------------------------------------------------------


def test_the_identity_is_the_size_and_sha256_of_every_byte_of_the_input(tmp_path: Path) -> None:
    data = os.urandom(1_500_000)  # more than one read's worth
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    run = RunIdentity.of(ORG, SERVER, "<stdin>", path)
    assert run == RunIdentity(ORG, SERVER, "<stdin>", len(data), hashlib.sha256(data).hexdigest())


def test_the_header_says_what_the_run_was_and_when_it_started(tmp_path: Path) -> None:
    run = identity(tmp_path)
    before = datetime.now(UTC).replace(microsecond=0)
    header = run.header(dry_run=True)
    started = datetime.fromisoformat(header.pop("started"))
    assert header == {
        "report": "arize-orgs add-users report",
        "format": 1,
        "organization": ORG,
        "server": SERVER,
        "input": {
            "name": "rows.csv",
            "bytes": 10,
            "sha256": hashlib.sha256(b"user,role\n").hexdigest(),
        },
        "dry_run": True,
    }
    assert started.tzinfo == UTC and started.microsecond == 0
    assert before <= started <= datetime.now(UTC)
    assert run.header(dry_run=False)["dry_run"] is False


# ---- writing ------------------------------------------------------------------------------


def test_each_row_is_on_disk_as_soon_as_it_is_written_after_the_header(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    writer = ReportWriter(path, identity(tmp_path), input_path=tmp_path / "rows.csv", dry_run=False)
    assert writer.path == path
    assert [r["report"] for r in lines(path)] == [KIND]  # flushed, not waiting for close
    ok = RowResult(2, "jane@acme.test", "member", "ok", USER, "bWVtOjE=", answered_role="member")
    writer.write(ok)
    header, row = lines(path)  # flushed
    assert header["dry_run"] is False
    assert row == {
        "line": 2,
        "user": "jane@acme.test",
        "role": "member",
        "action": "add",
        "outcome": "ok",
        "user_id": USER,
        "membership_id": "bWVtOjE=",
        "answered_role": "member",
    }
    writer.close()
    writer.close()  # twice is harmless


def test_a_second_run_appends_to_the_report(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    for dry_run in (True, False):
        ReportWriter(path, identity(tmp_path), input_path=None, dry_run=dry_run).close()
    assert [r["dry_run"] for r in lines(path)] == [True, False]


class Broken:
    """A file that fails as a full disk does."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise AssertionError("unreachable")

    def close(self) -> None:
        raise OSError(errno.EIO, "Input/output error")


def test_a_row_that_cannot_be_written_stops_the_run_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "r\x1b[2J.jsonl"
    writer = ReportWriter(path, identity(tmp_path), input_path=None, dry_run=False)
    writer._file.close()
    writer._file = Broken()  # type: ignore[assignment]
    with pytest.raises(ReportError) as info:
        writer.write(RowResult(2, USER, "member", "failed", error="NotFoundError", detail="no"))
    assert info.value.errno == errno.ENOSPC
    assert str(info.value) == (
        f"[Errno {errno.ENOSPC}] cannot write the report {tmp_path}/r\\x1b[2J.jsonl: "
        "No space left on device"
    )
    assert isinstance(info.value.__cause__, OSError)
    writer.close()  # what could not be flushed was reported already: no second error


# ---- which reports are refused, before any request -------------------------------------------


def test_the_input_file_is_refused_under_any_name(tmp_path: Path) -> None:
    run = identity(tmp_path)
    rows = tmp_path / "rows.csv"
    os.link(rows, tmp_path / "link.csv")
    for report in (rows, tmp_path / "." / "rows.csv", tmp_path / "link.csv"):
        message = refusal(lambda r=report: ReportWriter(r, run, input_path=rows, dry_run=False))
        assert message == (
            f"--report {report} is the input file: the run would read its own output; "
            "name another file"
        )
    assert rows.read_text() == "user,role\n"
    # Another file, existing or not, is not the input.
    for other in (tmp_path / "old.jsonl", tmp_path / "new.jsonl"):
        if other.name == "old.jsonl":
            other.write_text("")
        ReportWriter(other, run, input_path=rows, dry_run=False).close()
        assert lines(other)[0]["report"] == KIND


def test_a_report_is_not_refused_when_the_system_cannot_tell_it_is_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = tmp_path / "rows.csv"
    report = tmp_path / "r.jsonl"
    report.write_text("")
    run = identity(tmp_path)

    def cannot_tell(self: Path, other: Path) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "samefile", cannot_tell)
    ReportWriter(report, run, input_path=rows, dry_run=False).close()
    assert lines(report)[0]["report"] == KIND


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    run = identity(tmp_path)
    assert refusal(lambda: ReportWriter(tmp_path, run, input_path=None, dry_run=False)) == (
        f"--report {tmp_path} is a folder; name a file in it"
    )
    missing = tmp_path / "nope" / "r.jsonl"
    assert refusal(lambda: ReportWriter(missing, run, input_path=None, dry_run=False)) == (
        f"--report {missing}: the folder {tmp_path / 'nope'} does not exist"
    )


def test_a_file_that_cannot_be_written_is_refused_with_the_systems_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = identity(tmp_path)

    def refused(*args: object, **kwargs: object) -> Any:
        raise PermissionError(13, "Permission denied")

    # As for a read-only file (chmod cannot refuse root, who may run the tests).
    monkeypatch.setattr("arize_orgs.bulk.report.open", refused, raising=False)
    path = tmp_path / "r.jsonl"
    message = refusal(lambda: ReportWriter(path, run, input_path=None, dry_run=False))
    assert message == f"cannot write the report {path}: Permission denied"


def test_a_device_or_fifo_is_no_report(tmp_path: Path) -> None:
    run = identity(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (Path("/dev/full"), fifo):  # a FIFO would block the run before it starts
        message = refusal(lambda p=path: ReportWriter(p, run, input_path=None, dry_run=False))
        assert message == f"--report {path} is not a regular file; name a file"


def test_a_file_that_holds_something_else_is_not_appended_to(tmp_path: Path) -> None:
    run = identity(tmp_path)
    path = tmp_path / "r.jsonl"
    for kept in (
        b"user,role\na@x.io,member\n",  # another file
        b"\xff\xfe\x00 not text\n",  # not even text
        b"[1, 2]\n",  # JSON, but no header
        # a header line longer than 64 KiB is none of ours, and not read whole
        (json.dumps({**HEADER, "pad": "x" * 70_000}) + "\n").encode(),
    ):
        path.write_bytes(kept)
        assert refusal(lambda: ReportWriter(path, run, input_path=None, dry_run=False)) == (
            f"--report {path} already exists and is not an arize-orgs report: name a new file "
            "(a report is appended to, never overwritten)"
        )
        assert path.read_bytes() == kept


def test_the_report_of_another_organization_or_server_is_not_appended_to(tmp_path: Path) -> None:
    run = identity(tmp_path)
    path = tmp_path / "r.jsonl"
    for org, server in (("b3RoZXI6MQ==", SERVER), (ORG, "http://127.0.0.1:8080")):
        path.write_text(json.dumps({**HEADER, "organization": org, "server": server}) + "\n")
        assert refusal(lambda: ReportWriter(path, run, input_path=None, dry_run=False)) == (
            f"--report {path} is the report of a run for organization {org} at {server}; this "
            f"run is for organization {ORG} at {SERVER}: name a new file"
        )
    path.write_text(json.dumps(HEADER) + "\n")  # this run's own: appended to
    ReportWriter(path, run, input_path=None, dry_run=False).close()
    assert [r["organization"] for r in lines(path)] == [ORG, ORG]
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    ReportWriter(empty, run, input_path=None, dry_run=False).close()
    assert lines(empty)[0]["report"] == KIND


# ---- resuming: which rows were done ---------------------------------------------------------


def report_of(tmp_path: Path, *records: object, raw: str = "") -> Path:
    path = tmp_path / "done.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + raw, encoding="utf-8")
    return path


HEADER = {"report": KIND, "format": 1, "organization": ORG, "server": SERVER}


def test_resume_takes_the_ok_rows_of_every_run_and_nothing_else(tmp_path: Path) -> None:
    path = report_of(
        tmp_path,
        HEADER,
        {"line": 2, "user": "a@x.io", "role": "member", "outcome": "ok"},
        {"line": 3, "user": "b@x.io", "role": "member", "outcome": "failed"},
        {"line": 4, "user": "c@x.io", "role": "admin", "outcome": "skipped"},
        {"line": 5, "user": None, "role": "member", "outcome": "ok"},
        {"line": 6, "user": "d@x.io", "role": 3, "outcome": "ok"},
        {"line": 7, "user": "f@x.io", "role": "", "action": "remove", "outcome": "ok"},
        {"line": 8, "user": "g@x.io", "role": "", "action": 1, "outcome": "ok"},
        # a dry run's rows, and rows never sent, are not done
        {"line": 9, "user": "h@x.io", "role": "member", "outcome": "would_send"},
        {"line": 10, "user": "i@x.io", "role": "member", "outcome": "invalid"},
        {"line": 11, "user": "j@x.io", "role": "member", "outcome": "not_attempted"},
        ["not", "an", "object"],
        HEADER,  # a second run, appended
        {"line": 2, "user": USER, "role": "read-only", "outcome": "ok"},
        {"line": 3, "user": USER, "role": "admin", "space": "prod", "outcome": "ok"},
        raw='{"line": 3, "user": "e@x.io", "ro',  # cut short by a crash
    )
    # A report from before removals has no action: its rows added.
    assert list(read_done(path, identity(tmp_path))) == [
        ("a@x.io", "member", "add", ""),
        ("f@x.io", "", "remove", ""),
        (USER, "read-only", "add", ""),
        (USER, "admin", "add", "prod"),
    ]


def test_a_report_with_bad_bytes_and_deep_nesting_is_still_read(tmp_path: Path) -> None:
    path = report_of(tmp_path, HEADER)
    with open(path, "ab") as f:
        f.write(b'{"user": "\xff\xfe", "role": "member", "outcome": "ok"}\n')
        f.write(b"[" * 100_000 + b"\n")
        f.write(b'{"user": "a@x.io", "role": "member", "outcome": "ok"}\n')
    assert list(read_done(path, identity(tmp_path))) == [
        ("\ufffd\ufffd", "member", "add", ""),
        ("a@x.io", "member", "add", ""),
    ]


def test_a_report_of_another_organization_or_server_is_refused(tmp_path: Path) -> None:
    path = report_of(tmp_path, {**HEADER, "server": "http://127.0.0.1:8080"})
    message = refusal(lambda: list(read_done(path, identity(tmp_path))))
    assert message == (
        f"--resume {path} is the report of a run for organization {ORG} at "
        f"http://127.0.0.1:8080; this run is for organization {ORG} at {SERVER}: give that "
        "run's report, or none"
    )
    # A later run's header counts as much as the first one's.
    path = report_of(tmp_path, HEADER, {**HEADER, "organization": "b3RoZXI6MQ=="})
    assert "for organization b3RoZXI6MQ== at" in refusal(
        lambda: list(read_done(path, identity(tmp_path)))
    )


def test_a_file_that_does_not_start_with_a_header_is_no_report(tmp_path: Path) -> None:
    path = report_of(
        tmp_path, {"line": 2, "user": "a@x.io", "role": "member", "outcome": "ok"}, HEADER
    )
    assert refusal(lambda: list(read_done(path, identity(tmp_path)))) == (
        f"--resume {path} is not an arize-orgs report (it does not start with one's header "
        "line): give the --report file an earlier run wrote"
    )


def test_an_empty_or_unreadable_report_is_refused(tmp_path: Path) -> None:
    run = identity(tmp_path)
    for path in (report_of(tmp_path), report_of(tmp_path, raw="not json\n")):
        assert refusal(lambda p=path: list(read_done(p, run))) == (
            f"--resume {path} is empty, or not an arize-orgs report: give the --report file "
            "an earlier run wrote"
        )
    missing = tmp_path / "missing.jsonl"
    assert refusal(lambda: list(read_done(missing, run))) == (
        f"cannot read the report to resume from, {missing}: No such file or directory"
    )
