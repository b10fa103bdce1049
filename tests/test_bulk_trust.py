"""A bulk run that can be trusted in ordinary use: it stops when nothing can
succeed, its report knows its run and is never its own input, every row
gets exactly one outcome whatever happens, each outcome has one shape, and
the user is told as it goes. Against the sandbox over real HTTP unless a
fault needs a scripted client."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from simulated import SimulatedArize, run_rows

from arize_orgs import AccountRole, OrgClient, _wire, errors
from arize_orgs.bulk import BulkOptions, BulkRun
from arize_orgs.bulk.engine import source_of
from arize_orgs.bulk.report import ReportWriter
from arize_orgs.cli import main
from arize_orgs.sandbox import Sandbox


@pytest.fixture
def sb() -> Any:
    with Sandbox() as sandbox:
        yield sandbox


def write_csv(path: Path, rows: list[tuple[str, ...]], header: str = "user,role") -> Path:
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sb: Sandbox,
    *args: str,
    key: str | None = None,
) -> tuple[int, str, str]:
    monkeypatch.setenv("ARIZE_API_KEY", key or sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    with pytest.raises(SystemExit) as info:
        main(["add-users", *args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def team(sb: Sandbox, n: int, *, emails: int = 0) -> tuple[str, list[str], list[str]]:
    org = sb.add_organization("Team")
    ids = [sb.add_user(f"t{i}@team.test") for i in range(n)]
    names = [f"t{i}@team.test" if i < emails else ids[i] for i in range(n)]
    return org, ids, names


# ---- stop early when nothing can succeed ------------------------------------------------------


@pytest.mark.parametrize("emails", [0, 20])
def test_a_dead_key_stops_the_run_after_one_request(
    sb: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    emails: int,
) -> None:
    org, _, names = team(sb, 60, emails=emails)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in names] + [("x", "boss")])
    code, out, err = cli(
        capsys, monkeypatch, sb, "--org", org, str(path), "--json", key="not-a-key"
    )
    summary = json.loads(out)
    assert code == 1
    assert len(sb.request_log) == 1  # the first request went alone, and was the last
    assert sb.request_log[0][2] == 401
    # With emails the first request is a look-up; without, the first write
    # (its row failed).
    failed = 0 if emails else 1
    assert (summary["failed"], summary["not_attempted"], summary["invalid"]) == (
        failed,
        60 - failed,
        1,
    )
    assert "401" in summary["stopped"]
    assert err.strip().splitlines()[-1].startswith("arize-orgs add-users: stopped: the API key")


def test_an_unknown_organization_stops_the_run_after_one_write(sb: Sandbox) -> None:
    _, ids, _ = team(sb, 40)
    unknown = "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5"
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(unknown, [{"user": u, "role": "member"} for u in ids], concurrency=8)
    assert [s for _, _, s in sb.request_log] == [404]
    counts = result.summary.counts
    assert (counts["failed"], counts["not_attempted"]) == (1, 39)
    assert "organization" in (result.summary.stopped or "")
    assert not result.summary.all_ok


def test_a_key_that_may_not_add_users_stops_the_run(sb: Sandbox) -> None:
    org, ids, _ = team(sb, 30)
    with OrgClient(sb.member_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": u, "role": "member"} for u in ids])
    assert [s for _, _, s in sb.request_log] == [403]
    assert result.summary.counts == Counter(failed=1, not_attempted=29)


def test_a_missing_user_does_not_stop_the_run(sb: Sandbox) -> None:
    org, ids, _ = team(sb, 5)
    rows = [{"user": u, "role": "member"} for u in [*ids, "VXNlcjo5OTk5OQ=="]]
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, rows)
    assert result.summary.counts == Counter(ok=5, failed=1)
    assert result.summary.stopped is None


# ---- a report that knows its run --------------------------------------------------------------


def test_the_report_starts_with_what_the_run_was(sb: Sandbox, tmp_path: Path) -> None:
    org, ids, _ = team(sb, 2)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in ids])
    report = tmp_path / "r.jsonl"
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        c.add_users(org, path, report=report)
    header, *rows = records(report)
    assert header["report"] == "arize-orgs add-users report"
    assert (header["organization"], header["server"]) == (org, sb.base_url)
    assert header["input"]["name"] == str(path)
    assert header["input"]["bytes"] == path.stat().st_size
    assert len(header["input"]["sha256"]) == 64
    assert [r["outcome"] for r in rows] == ["ok", "ok"]
    assert all(r["answered_role"] == "member" for r in rows)


@pytest.mark.parametrize("other", ["organization", "server"])
def test_resuming_another_runs_report_is_refused_before_any_request(
    sb: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    other: str,
) -> None:
    org, ids, _ = team(sb, 3)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in ids])
    report = tmp_path / "r.jsonl"
    header = {
        "report": "arize-orgs add-users report",
        "format": 1,
        "organization": "QWNjb3VudE9yZ2FuaXphdGlvbjo3" if other == "organization" else org,
        "server": "https://api.arize.com" if other == "server" else sb.base_url,
    }
    ok = {"line": 2, "user": ids[0], "role": "member", "outcome": "ok"}
    report.write_text(json.dumps(header) + "\n" + json.dumps(ok) + "\n")
    code, _, err = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--resume", str(report))
    assert code == 2
    assert "is the report of a run for organization" in err and "give that run's report" in err
    assert len(err.strip().splitlines()) == 1
    assert sb.request_log == []


def test_resuming_a_finished_run_sends_nothing_not_even_look_ups(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    org, _, names = team(sb, 12, emails=12)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in names])
    report = tmp_path / "r.jsonl"
    code, _, _ = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--report", str(report))
    assert code == 0
    sb.request_log.clear()
    code, out, _ = cli(
        capsys, monkeypatch, sb, "--org", org, str(path), "--resume", str(report), "--json"
    )
    assert code == 0
    assert json.loads(out)["skipped"] == 12
    assert sb.request_log == []


def test_resuming_a_file_that_is_no_report_is_refused(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    org, ids, _ = team(sb, 1)
    path = write_csv(tmp_path / "t.csv", [(ids[0], "member")])
    code, _, err = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--resume", str(path))
    assert code == 2 and "not an arize-orgs report" in err
    assert sb.request_log == []


@pytest.mark.parametrize(
    "how",
    [
        *("same path", "hard link", "folder", "missing folder", "dev full"),
        *("other file", "other report"),
    ],
)
def test_a_report_that_cannot_be_used_is_refused_with_exit_2_before_any_request(
    sb: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    org, ids, _ = team(sb, 2)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in ids])
    before = path.read_bytes()
    report = {
        "same path": path,
        "hard link": tmp_path / "link.csv",
        "folder": tmp_path,
        "missing folder": tmp_path / "nope" / "r.jsonl",
        "dev full": Path("/dev/full"),
        "other file": tmp_path / "next-batch.csv",
        "other report": tmp_path / "other.jsonl",
    }[how]
    if how == "hard link":
        os.link(path, report)
    if how == "other file":
        report.write_text("user,role\njane@acme.test,member\n")
    if how == "other report":
        header = {"report": "arize-orgs add-users report", "organization": "T3JnOjk=", "server": ""}
        report.write_text(json.dumps(header) + "\n")
    kept = report.read_bytes() if how.startswith("other") else b""
    code, _, err = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--report", str(report))
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "please report" not in err
    says = {
        "same path": "is the input file",
        "hard link": "is the input file",
        "folder": "is a folder",
        "missing folder": "does not exist",
        "dev full": "is not a regular file",
        "other file": "already exists and is not an arize-orgs report",
        "other report": "is the report of a run for organization T3JnOjk=",
    }[how]
    assert says in err
    assert sb.request_log == []
    assert path.read_bytes() == before  # the input is never written
    if how.startswith("other"):
        assert report.read_bytes() == kept  # nor another file


# ---- no row without an outcome ----------------------------------------------------------------


class Flaky(SimulatedArize):
    """A client whose add_user breaks in an unexpected way for one user."""

    async def send(self, call: _wire.Call) -> Any:
        body = call.request.get("json") or {}
        if call.endpoint == _wire.ADD_USER and body.get("user_id") == self.users[3].id:
            raise ValueError("an answer nobody expected")
        return await super().send(call)


def test_an_unexpected_exception_fails_its_row_and_the_run_goes_on() -> None:
    sim = Flaky(10, allowance=1000)
    rows = [{"user": u.id, "role": "member"} for u in sim.users]
    run, _ = run_rows(sim, rows, BulkOptions(concurrency=4))
    assert run.summary.counts == Counter(ok=9, failed=1)
    (broken,) = [r for r in run.results if r.outcome == "failed"]
    assert (broken.error, broken.detail) == ("ValueError", "an answer nobody expected")


def test_a_report_that_stops_taking_writes_stops_the_run_with_every_row_counted(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, ids, _ = team(sb, 50)
    real_put = ReportWriter._put
    written = 0

    def full_after_ten(self: ReportWriter, record: Any) -> None:
        nonlocal written
        if written >= 11:  # the header and ten rows
            raise OSError(errno.ENOSPC, "No space left on device")
        written += 1
        real_put(self, record)

    monkeypatch.setattr(ReportWriter, "_put", full_after_ten)
    report = tmp_path / "r.jsonl"
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": u, "role": "member"} for u in ids], report=report)
    summary = result.summary
    assert summary.rows == 50 == len(result.results)
    assert "No space left on device" in (summary.stopped or "")
    assert summary.counts["not_attempted"] > 0
    assert len(records(report)) == 11
    # Whatever was written is in the sandbox, and nothing was sent after the stop.
    assert len(sb.writes) == summary.counts["ok"] <= 10 + 8


def test_a_second_ctrl_c_exits_at_once_with_the_report_flushed(sb: Sandbox, tmp_path: Path) -> None:
    org, ids, _ = team(sb, 200)
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in ids])
    report = tmp_path / "r.jsonl"
    # Every request hangs 20 s: only an abort ends this run in less. It takes
    # about 0.3 s on an idle machine; the bound leaves room for a loaded one
    # (2.1 s was seen with six busy processes on two cores).
    sb.latency = 20.0
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "arize_orgs", "add-users", "--org", org, str(path)),
            *("--json", "--report", str(report), "--concurrency", "4"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ARIZE_API_KEY": sb.admin_key, "ARIZE_BASE_URL": sb.base_url},
    )
    deadline = time.monotonic() + 60
    while len(records(report) if report.exists() else []) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)  # the header is written before the first request
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    second = time.monotonic()
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - second
    sb.latency = 0.0
    assert took < 6.0, took
    assert proc.returncode == 1
    assert "Traceback" not in err
    summary = json.loads(out)
    assert summary["rows"] == 200 and summary["interrupted"]
    assert summary["failed"] + summary["not_attempted"] == 200
    rows = [r for r in records(report) if "report" not in r]
    # The request in flight was abandoned (failed: the write may have
    # happened); every row read after the first Ctrl-C was not attempted.
    assert {r["outcome"] for r in rows} <= {"failed", "not_attempted"}
    assert all(r["error"]["class"] == "Interrupted" for r in rows if r["outcome"] == "failed")
    assert any(r["outcome"] == "failed" for r in rows)
    # One outcome per row in the report too, not only in the summary.
    assert sorted(r["line"] for r in rows) == list(range(2, 202))


# ---- one shape per outcome -------------------------------------------------------------------


def test_a_repeat_gets_the_outcome_of_the_row_it_repeats(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Repeats")
    ann = sb.add_user("ann@rep.test", "annotator")
    jane = sb.add_user("jane@rep.test")
    ghost = "VXNlcjo5OTk5OQ=="
    rows = [
        (ghost, "member"),  # 2 failed: no such user
        (ghost, "Member"),  # 3 failed, as line 2
        ("ann@rep.test", "admin"),  # 4 invalid: the annotator rule
        (ann, "admin"),  # 5 invalid, as line 4
        (jane, "read-only"),  # 6 ok
        ("JANE@rep.test", "read-only"),  # 7 skipped, as line 6
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    report = tmp_path / "r.jsonl"
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, path, report=report)
    by_line = {r.line: r for r in result.results}
    assert {n: r.outcome for n, r in sorted(by_line.items())} == {
        2: "failed",
        3: "failed",
        4: "invalid",
        5: "invalid",
        6: "ok",
        7: "skipped",
    }
    assert by_line[3].error == by_line[2].error == "NotFoundError"
    assert "which this row repeats" in (by_line[3].detail or "")
    assert "annotator" in (by_line[5].detail or "")
    failed = [r for r in records(report) if r.get("outcome") == "failed"]
    assert all(set(r["error"]) == {"class", "detail"} for r in failed)


def test_a_failed_look_up_has_the_shape_of_a_failed_write(sb: Sandbox) -> None:
    org = sb.add_organization("Shapes")
    sb.add_user("a@shape.test")
    sb.fail_next(500, times=3)  # the look-up, and both its retries
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": "a@shape.test", "role": "member"}])
    (row,) = result.results
    assert row.outcome == "failed"
    assert row.error == "InternalServerError"
    assert row.to_json()["error"]["class"] == "InternalServerError"


# ---- telling the user ----------------------------------------------------------------------


def test_each_failed_or_invalid_row_gets_a_line_on_stderr(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    org, ids, _ = team(sb, 2)
    rows = [(ids[0], "member"), ("VXNlcjo5OTk5OQ==", "member"), (ids[1], "boss\x1b[2J")]
    path = write_csv(tmp_path / "t.csv", rows)
    code, _, err = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--json")
    lines = sorted(err.strip().splitlines())  # in the order rows finish
    assert code == 1
    assert lines[0].startswith("line 3: failed: VXNlcjo5OTk5OQ==: NotFoundError: ")
    assert lines[1].startswith("line 4: invalid: ")
    assert "\x1b" not in err and "\\x1b[2J" in err  # a cell's escape is shown, not obeyed
    quiet = cli(capsys, monkeypatch, sb, "--org", org, str(path), "--json", "--quiet")
    assert quiet[2] == ""


# ---- emails, resolved the cheaper way ----------------------------------------------------------


@pytest.mark.slow
def test_a_thousand_emails_among_two_thousand_users_cost_at_most_30_requests(
    sb: Sandbox,
) -> None:
    org = sb.add_organization("Many")
    emails = [f"m{i}@many.test" for i in range(2000)]
    for email in emails:
        sb.add_user(email)
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": e, "role": "member"} for e in emails[::2]])
    gets = sum(1 for m, _, _ in sb.request_log if m == "GET")
    assert result.summary.counts == Counter(ok=1000)
    assert gets <= 30 and result.summary.lookup_requests == gets
    assert (result.summary.lookup_method or "").startswith("listing")


@pytest.mark.slow
def test_five_emails_among_fifty_thousand_users_cost_at_most_10_requests(sb: Sandbox) -> None:
    org = sb.add_organization("Few")
    for i in range(50_000):
        sb.add_user(f"f{i}@few.test")
    wanted = ["f7@few.test", "f77@few.test", "f777@few.test", "f7777@few.test", "F2@few.test"]
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": e, "role": "member"} for e in wanted])
    gets = sum(1 for m, _, _ in sb.request_log if m == "GET")
    assert result.summary.counts == Counter(ok=5)
    assert gets <= 10 and result.summary.lookup_method == "per email"


def test_a_look_up_refused_by_the_sandboxs_limit_is_retried_not_failed(sb: Sandbox) -> None:
    org = sb.add_organization("Limited")
    emails = [f"l{i}@limited.test" for i in range(6)]
    for email in emails:
        sb.add_user(email)
    sb.set_rate_limit(2, per=1.0)
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = c.add_users(org, [{"user": e, "role": "member"} for e in emails])
    statuses = Counter(s for m, _, s in sb.request_log if m == "GET")
    assert result.summary.counts == Counter(ok=6)
    assert statuses[429] > 0 and statuses[200] == 6


def test_results_come_back_in_the_files_order() -> None:
    sim = SimulatedArize(4, allowance=1000)
    # The bad row is decided at once, before any answer: it must still come last.
    rows = [{"user": u.id, "role": "member"} for u in sim.users[:3]]
    rows.append({"user": sim.users[3].id, "role": "no-such-role"})
    run, _ = run_rows(sim, rows, BulkOptions(concurrency=4))
    assert [r.outcome for r in run.results] == ["ok", "ok", "ok", "invalid"]
    lines = [r.line for r in run.results]
    assert lines == sorted(lines) and len(set(lines)) == 4


@pytest.mark.parametrize("how", ["stop", "abort"])
def test_a_ctrl_c_ends_a_long_wait_for_the_window_at_once(how: str) -> None:
    # One write a 10-minute window: after the first, every row waits at the gate.
    sim = SimulatedArize(10, allowance=1, per=600)
    rows = [{"user": u.id, "role": "member"} for u in sim.users]
    run, seconds = run_rows(sim, rows, BulkOptions(concurrency=4), interrupt=(5, how))
    assert seconds < 10  # not the 600 s the window asks for
    assert run.summary.counts == Counter(ok=1, not_attempted=9)
    assert run.summary.interrupted


def test_a_failing_on_result_stops_the_run_with_every_row_counted() -> None:
    sim = SimulatedArize(30, allowance=1000)
    seen: list[int] = []

    def on_result(row: Any) -> None:
        seen.append(row.line)
        if len(seen) == 3:
            raise OSError(28, "No space left on device")

    rows = [{"user": u.id, "role": "member"} for u in sim.users]
    options = BulkOptions(concurrency=4, on_result=on_result)
    run, _ = run_rows(sim, rows, options)  # before the fix: a worker died, and the run hung
    assert run.summary.rows == 30 == sum(run.summary.counts.values())
    assert "on_result raised OSError" in (run.summary.stopped or "")
    assert len(seen) == 3  # not called again once it failed


def test_an_abort_during_look_ups_leaves_no_traceback_and_every_row_counted() -> None:
    sim = SimulatedArize(20, allowance=1000, latency=30.0)
    rows = [{"user": u.email, "role": "member"} for u in sim.users]
    run, seconds = run_rows(sim, rows, BulkOptions(concurrency=4), interrupt=(5, "abort"))
    assert seconds < 30
    assert run.summary.counts == Counter(not_attempted=20)


def test_one_user_met_twice_in_a_listing_is_one_user() -> None:
    from arize_orgs.bulk.lookup import _verdict
    from arize_orgs.records import User

    kate = User("VXNlcjox", "kate@acme.test", AccountRole.MEMBER, "Kate", "active")
    assert _verdict("kate@acme.test", [kate, kate]).user == kate


@pytest.mark.parametrize("n", [0, 257, 1_000_000])
def test_concurrency_is_from_1_to_256(n: int) -> None:
    with pytest.raises(errors.InvalidInputError, match="from 1 to 256"):
        BulkOptions(concurrency=n)


def test_retries_of_5xx_go_through_the_pacing_so_the_rate_holds(sb: Sandbox) -> None:
    from arize_orgs import AsyncOrgClient
    from arize_orgs.bulk.engine import ADD_USER

    org, ids, _ = team(sb, 12)
    sb.fail_every(4, 503)  # every 4th request: a 503 to retry
    source = source_of([{"user": u, "role": "member"} for u in ids])

    async def go() -> BulkRun:
        async with AsyncOrgClient(sb.admin_key, base_url=sb.base_url) as c:
            run = BulkRun(c._bulk_client(), org, source, BulkOptions(concurrency=4, retries=3))
            await run.run()
            return run

    run = asyncio.run(go())
    source.close()
    posts = [s for m, _, s in sb.request_log if m == "POST"]
    assert run.summary.counts == Counter(ok=12)
    assert 503 in posts and len(posts) > 12
    # Every request sent, retries included, was let through by the gate.
    assert run.pacing.gates[ADD_USER].sent == len(posts)
