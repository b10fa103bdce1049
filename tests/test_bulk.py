"""Bulk onboarding against the sandbox: every row accounted for, the sandbox's
final memberships match the report, interruption and resume repeat no write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from arize_orgs import OrgClient, Role, errors
from arize_orgs.bulk import RowResult
from arize_orgs.cli import main
from arize_orgs.sandbox import Sandbox


@pytest.fixture
def sb() -> Any:
    with Sandbox() as sandbox:
        yield sandbox


def client(sb: Sandbox) -> OrgClient:
    return OrgClient(sb.admin_key, base_url=sb.base_url)


def write_csv(path: Path, rows: list[tuple[str, ...]], header: str = "user,role") -> Path:
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def report_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def report_rows(path: Path) -> list[dict[str, Any]]:
    """The report's row records, without the runs' header lines."""
    return [r for r in report_records(path) if "report" not in r]


def assert_report_matches_sandbox(sb: Sandbox, org: str, report: list[dict[str, Any]]) -> None:
    ok = {r["user_id"]: Role.parse(r["role"]) for r in report if r["outcome"] == "ok"}
    assert sb.memberships(org) == ok


def test_a_mixed_file_gets_one_outcome_per_row(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Acme")
    jane, bob, _ = (
        sb.add_user(e, r)
        for e, r in [
            ("jane@acme.test", "member"),
            ("bob@acme.test", "admin"),
            ("ann@acme.test", "annotator"),
        ]
    )
    sb.add_user("twin@acme.test")
    sb.add_user("TWIN@acme.test")
    rows = [
        (jane, "member"),  # 2 ok
        (jane, "Member"),  # 3 skipped: repeats line 2
        (bob, "admin"),  # 4 invalid: two roles for bob
        ("bob@acme.test", "member"),  # 5 invalid: the same bob, by email
        ("ANN@acme.test", "annotator"),  # 6 ok, by email
        ("ann@acme.test", "admin"),  # 7 invalid: two roles for ann's email
        ("nobody@acme.test", "member"),  # 8 invalid: no such user
        ("twin@acme.test", "member"),  # 9 invalid: two users have it
        (jane.replace("=", ""), "bogus"),  # 10 invalid: unknown role
        ("QWNjb3VudE9yZ2FuaXphdGlvbjox", "member"),  # 11 invalid: an org id
        ("", "member"),  # 12 invalid: no user
        ("VXNlcjo5OTk5OQ==", "member"),  # 13 failed: the server has no such user
    ]
    path = write_csv(tmp_path / "team.csv", rows)
    with client(sb) as c:
        result = c.add_users(org, path, report=tmp_path / "report.jsonl")
    by_line = {r.line: r for r in result.results}
    assert {line: r.outcome for line, r in sorted(by_line.items())} == {
        2: "ok",
        3: "skipped",
        4: "invalid",
        5: "invalid",
        6: "invalid",
        7: "invalid",
        8: "invalid",
        9: "invalid",
        10: "invalid",
        11: "invalid",
        12: "invalid",
        13: "failed",
    }
    assert "two roles" in (by_line[6].detail or "")
    assert "different roles" in (by_line[4].detail or "")
    assert "no user" in (by_line[8].detail or "")
    assert "2 users" in (by_line[9].detail or "")
    assert by_line[13].error == "NotFoundError"
    assert result.summary.rows == len(rows) == len(result.results)
    report = report_rows(tmp_path / "report.jsonl")
    assert sorted(r["line"] for r in report) == list(range(2, 14))
    assert_report_matches_sandbox(sb, org, report)
    assert not result.summary.all_ok


def test_the_annotator_rule_from_an_email_lookup_refuses_before_writing(
    sb: Sandbox, tmp_path: Path
) -> None:
    org = sb.add_organization("Acme")
    sb.add_user("ann@acme.test", "annotator")
    before = len(sb.writes)
    with client(sb) as c:
        result = c.add_users(org, [{"user": "ann@acme.test", "role": "admin"}])
    (row,) = result.results
    assert row.outcome == "invalid"
    assert "annotator" in (row.detail or "")
    assert len(sb.writes) == before
    assert all(method == "GET" for method, _, _ in sb.request_log)


def test_account_role_column_is_checked_locally(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Acme")
    uid = sb.add_user("m@acme.test", "member")
    path = write_csv(tmp_path / "t.csv", [(uid, "annotator", "member")], "user,role,account_role")
    with client(sb) as c:
        (row,) = c.add_users(org, path).results
    assert row.outcome == "invalid"
    assert sb.request_log == []


def test_dry_run_sends_no_write(
    sb: Sandbox, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = sb.add_organization("Acme")
    uid = sb.add_user("m@acme.test")
    sb.add_user("n@acme.test")
    path = write_csv(
        tmp_path / "t.csv", [(uid, "member"), ("N@acme.test", "admin"), (uid, "admin")]
    )
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    with pytest.raises(SystemExit) as info:
        main(["add-users", "--org", org, str(path), "--dry-run", "--rate", "10"])
    out = capsys.readouterr().out
    assert info.value.code == 1  # two rows give one user two roles
    assert "would add N@acme.test" in out
    assert "at --rate 10 would take" in out
    assert {method for method, _, _ in sb.request_log} == {"GET"}
    assert sb.writes == []


def test_jsonl_with_bom_from_standard_input(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Acme")
    uid = sb.add_user("m@acme.test")
    body = "\ufeff" + json.dumps({"user": uid, "role": "read-only"}) + "\n" + '{"user": 5}\n'
    done = subprocess.run(
        [sys.executable, "-m", "arize_orgs", "add-users", "--org", org, "-", "--json"],
        input=body.encode(),
        capture_output=True,
        timeout=60,
        env={**os.environ, "ARIZE_API_KEY": sb.admin_key, "ARIZE_BASE_URL": sb.base_url},
    )
    summary = json.loads(done.stdout)
    assert done.returncode == 1
    assert (summary["rows"], summary["ok"], summary["invalid"]) == (2, 1, 1)
    assert sb.role_of(org, uid) is Role.READ_ONLY


def test_csv_with_bom_and_odd_rows(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Acme")
    uid = sb.add_user("m@acme.test")
    path = tmp_path / "t.csv"
    path.write_bytes(
        b"\xef\xbb\xbfUser,Role\n"
        + uid.encode()
        + b",member\n\n"
        + b"a,b,c\n"
        + b"\xff\xfe,member\n"
        + b"x" * 5000
        + b",member\n"
    )
    with client(sb) as c:
        result = c.add_users(org, path)
    outcomes = {r.line: r.outcome for r in result.results}
    assert outcomes == {2: "ok", 4: "invalid", 5: "invalid", 6: "invalid"}
    reasons = " ".join(r.detail or "" for r in result.results)
    assert "UTF-8" in reasons
    assert "3 cells" in reasons


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        ("", "no header"),
        ("email,role\nx,member\n", "unknown column"),
        ("user\nx\n", "no role column"),
    ],
)
def test_an_unusable_file_exits_2(
    sb: Sandbox,
    tmp_path: Path,
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
    content: str | None,
    needle: str,
) -> None:
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    with pytest.raises(SystemExit) as info:
        main(["add-users", "--org", "QWNjb3VudE9yZ2FuaXphdGlvbjox", str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert needle in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_ten_thousand_rows_with_faults_mid_run(sb: Sandbox, tmp_path: Path) -> None:
    org = sb.add_organization("Big")
    users = [sb.add_user(f"u{i}@big.test") for i in range(10_000)]
    roles = ["member", "admin", "read-only"]
    path = write_csv(tmp_path / "big.csv", [(u, roles[i % 3]) for i, u in enumerate(users)])

    def inject() -> None:  # faults once the run is under way
        deadline = time.monotonic() + 300
        while len(sb.writes) < 3000 and time.monotonic() < deadline:
            time.sleep(0.01)
        sb.fail_next(503, times=40)
        sb.fail_next(429, retry_after=1)
        while len(sb.writes) < 6000 and time.monotonic() < deadline:
            time.sleep(0.01)
        sb.fail_next(502, times=20)
        sb.fail_next(429, retry_after=1, times=3)

    injector = threading.Thread(target=inject, daemon=True)
    injector.start()
    report_path = tmp_path / "r.jsonl"
    with client(sb) as c:
        result = c.add_users(org, path, concurrency=16, report=report_path, keep_results=False)
    injector.join(5)
    statuses = Counter(s for _, _, s in sb.request_log)
    assert statuses[503] == 40
    assert statuses[429] >= 4
    assert result.summary.rate_limited >= 4
    counts = result.summary.counts
    # A row that met three 503s in a row (max_retries=2) is failed, typed; none is lost.
    assert counts["ok"] + counts["failed"] == result.summary.rows == 10_000
    report = report_rows(report_path)
    assert len(report) == 10_000
    assert {r["error"]["class"] for r in report if r["outcome"] == "failed"} <= {
        "InternalServerError"
    }
    assert_report_matches_sandbox(sb, org, report)
    # Resuming finishes the failed rows and writes nothing twice.
    with client(sb) as c:
        again = c.add_users(org, path, resume=report_path, report=report_path, keep_results=False)
    assert again.summary.counts == Counter(skipped=counts["ok"], ok=counts["failed"])
    assert len(sb.writes) == 10_000


def _cli(sb: Sandbox, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "arize_orgs", "add-users", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ARIZE_API_KEY": sb.admin_key, "ARIZE_BASE_URL": sb.base_url},
    )


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_interrupt_then_resume_repeats_no_write(sb: Sandbox, tmp_path: Path, how: int) -> None:
    org = sb.add_organization("Resume")
    users = [sb.add_user(f"r{i}@resume.test") for i in range(300)]
    path = write_csv(tmp_path / "t.csv", [(u, "member") for u in users])
    report = tmp_path / "report.jsonl"
    sb.latency = 0.02
    first = _cli(
        sb, "--org", org, str(path), "--report", str(report), "--json", "--concurrency", "4"
    )
    deadline = time.monotonic() + 60
    while len(sb.writes) < 60 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(how)
    out, _ = first.communicate(timeout=60)
    sb.latency = 0.0
    done_first = {r["user_id"] for r in report_rows(report) if r["outcome"] == "ok"}
    if how == signal.SIGINT:
        summary = json.loads(out)
        assert first.returncode == 1
        assert summary["interrupted"]
        assert summary["ok"] + summary["not_attempted"] == summary["rows"] == 300
        assert summary["not_attempted"] > 0
        # Requests in flight finished and were recorded: the report knows every write.
        assert {u for _, u, _ in sb.writes} == done_first
    else:
        # kill -9: at most the rows in flight (concurrency 4) went unrecorded.
        assert len({u for _, u, _ in sb.writes} - done_first) <= 4
    second = _cli(
        sb, "--org", org, str(path), "--report", str(report), "--resume", str(report), "--json"
    )
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    summary = json.loads(out)
    assert summary["rows"] == 300
    assert summary["ok"] + summary["skipped"] == 300
    written = Counter(u for _, u, _ in sb.writes)
    assert set(written) == set(users)
    repeated = [u for u, n in written.items() if n > 1]
    assert repeated == [] if how == signal.SIGINT else len(repeated) <= 4


def test_library_results_and_callbacks(sb: Sandbox) -> None:
    org = sb.add_organization("Lib")
    uid = sb.add_user("m@lib.test")
    seen: list[RowResult] = []
    with client(sb) as c:
        result = c.add_users(org, [{"user": uid, "role": "member"}], on_result=seen.append)
        with pytest.raises(errors.InvalidInputError):
            c.add_users("not an org", [{"user": uid, "role": "member"}])
    assert seen == result.results
    assert result.results[0].membership_id
    assert result.summary.to_json()["ok"] == 1


@pytest.mark.anyio
async def test_async_add_users(sb: Sandbox) -> None:
    from arize_orgs import AsyncOrgClient

    org = sb.add_organization("Async")
    uids = [sb.add_user(f"a{i}@async.test") for i in range(20)]
    async with AsyncOrgClient(sb.admin_key, base_url=sb.base_url) as c:
        result = await c.add_users(org, [{"user": u, "role": "read-only"} for u in uids])
    assert result.summary.counts["ok"] == 20
    assert set(sb.memberships(org)) == set(uids)
