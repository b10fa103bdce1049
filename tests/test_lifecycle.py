"""The membership lifecycle against the sandbox: a new hire invited and added
in one call, a leaver removed, a file that adds, removes and invites, the
guard on removals, and a temporary password that nothing ever shows."""

from __future__ import annotations

import json
import logging
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from simulated import SimulatedArize, run_rows

from arize_orgs import AccountRole, AsyncOrgClient, OrgClient, Role, errors
from arize_orgs.bulk import BulkOptions
from arize_orgs.bulk.engine import ADD_USER, INVITE_USER, LIST_USERS, REMOVE_USER
from arize_orgs.cli import main
from arize_orgs.cli.demo import run as run_demo
from arize_orgs.records import Secret
from arize_orgs.sandbox import Sandbox

from fakes import ORG, Script, membership


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    """A sandbox of its own: tests here count every request it sees."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def cli_env(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    return sb


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def client(sb: Sandbox, **options: Any) -> OrgClient:
    return OrgClient(sb.admin_key, base_url=sb.base_url, **options)


def write_csv(path: Path, header: str, rows: list[tuple[str, ...]]) -> Path:
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def report_rows(path: Path) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text().splitlines()]
    return [r for r in records if "report" not in r]


# ---- one person at a time: the command line ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "account_role"),
    [("annotator", AccountRole.ANNOTATOR), ("read-only", AccountRole.MEMBER)],
)
def test_add_user_invite_invites_a_new_hire_and_adds_them_in_one_call(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox, role: str, account_role: AccountRole
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    code, out, err = cli(
        capsys, "add-user", "--org", org, "--user", "New.Hire@acme.test", "--role", role,
        "--invite", "--name", "New Hire", "--json",
    )  # fmt: skip
    assert (code, err.count("\n")) == (0, 1), err
    answer = json.loads(out)
    user_id = answer["user_id"]
    # The annotator rule holds by construction: the least account role the role allows.
    assert sb.user(user_id) == ("New.Hire@acme.test", account_role, "invited")
    assert sb.role_of(org, user_id) == Role.parse(role)
    assert answer["invited"] == {
        "id": user_id,
        "email": "New.Hire@acme.test",
        "account_role": str(account_role),
        "status": "invited",
    }
    assert sb.invitations == [("New.Hire@acme.test", "email-link")]
    assert [(m, s) for m, _, s in sb.request_log] == [("GET", 200), ("POST", 201), ("POST", 200)]
    assert "invited New.Hire@acme.test" in err


def test_add_user_invite_adds_an_email_that_has_an_account_without_inviting(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    ann = sb.add_user("ann@acme.test", "annotator")
    waiting = sb.add_user("waiting@acme.test", "member", status="invited")
    code, out, _ = cli(
        capsys,
        "add-user",
        "--org",
        org,
        "--user",
        "ann@acme.test",
        "--role",
        "annotator",
        "--invite",
    )
    assert code == 0 and "invited" not in out
    # An account that exists decides the rule: an annotator cannot be made a member.
    code, _, err = cli(
        capsys, "add-user", "--org", org, "--user", "ann@acme.test", "--role", "member", "--invite"
    )
    assert code == 2 and "annotator" in err
    code, _, _ = cli(
        capsys, "add-user", "--org", org, "--user", "waiting@acme.test", "--role", "member",
        "--invite",
    )  # fmt: skip
    assert code == 0
    assert sb.invitations == []
    assert sb.memberships(org) == {ann: Role.ANNOTATOR, waiting: Role.MEMBER}
    assert {m for m, _, _ in sb.request_log} == {"GET", "POST"}
    assert all(not p.endswith("/v2/users") for m, p, _ in sb.request_log if m == "POST")


def test_remove_user_yes_removes_the_member_and_the_sandbox_agrees(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test")
    bob = sb.add_user("bob@acme.test")
    with client(sb) as c:
        c.add_user(org, jane, "member")
        c.add_user(org, bob, "admin")
    code, out, err = cli(capsys, "remove-user", "--org", org, "--user", "JANE@acme.test", "--yes")
    assert (code, err) == (0, "")
    assert f"removed JANE@acme.test ({jane})" in out
    assert sb.role_of(org, jane) is None
    assert sb.memberships(org) == {bob: Role.ADMIN}
    assert sb.removals == [(org, jane)]
    assert sb.user(jane)[2] == "active"  # the account stays
    # By id, as JSON; then again: no longer a member, 404, exit 1, one line.
    with client(sb) as c:
        c.add_user(org, jane, "member")
    code, out, _ = cli(capsys, "remove-user", "--org", org, "--user", jane, "--yes", "--json")
    assert code == 0
    assert json.loads(out) == {"removed": True, "user_id": jane, "organization_id": org}
    code, _, err = cli(capsys, "remove-user", "--org", org, "--user", jane, "--yes")
    assert code == 1 and err.count("\n") == 1
    assert "not a member" in err and "NotFoundError" in err


def test_remove_user_without_yes_sends_nothing_and_never_asks(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test")
    with client(sb) as c:
        c.add_user(org, jane, "member")
    before = len(sb.request_log)
    code, out, err = cli(capsys, "remove-user", "--org", org, "--user", "jane@acme.test")
    assert (code, out) == (2, "")
    assert err.startswith("arize-orgs: error: remove-user would remove jane@acme.test")
    assert org in err and "nothing was sent" in err and "--yes" in err
    assert err.count("\n") == 1
    # Not even a key is needed to be told, and a bad id is told before --yes is asked for.
    monkeypatch.delenv("ARIZE_API_KEY")
    code, _, err = cli(capsys, "remove-user", "--org", org, "--user", jane)
    assert code == 2 and "would remove" in err
    code, _, err = cli(capsys, "remove-user", "--org", jane, "--user", org)
    assert code == 2 and "swapped" in err
    assert len(sb.request_log) == before
    assert sb.role_of(org, jane) is Role.MEMBER


# ---- the library: the API's rules, sync and async ----------------------------------------------


def test_invite_user_answers_by_account_status(sb: Sandbox) -> None:
    waiting = sb.add_user("waiting@acme.test", "annotator", status="invited")
    sb.add_user("active@acme.test", "member")
    with client(sb) as c:
        new = c.invite_user("new@acme.test", name="New", account_role="admin", invite_mode="none")
        again = c.invite_user("NEW@acme.test", invite_mode="email-link")
        existing = c.invite_user("waiting@acme.test", account_role="member")
        with pytest.raises(errors.ConflictError) as conflict:
            c.invite_user("active@acme.test")
    assert (new.email, new.name, new.account_role, new.status) == (
        "new@acme.test",
        "New",
        AccountRole.ADMIN,
        "invited",
    )
    assert again == new  # the email is the key: the same user, as it is
    # An invited user is answered as it is, account role and all.
    assert (existing.id, existing.account_role) == (waiting, AccountRole.ANNOTATOR)
    assert sb.invitations == [("new@acme.test", "none")]
    assert [s for m, _, s in sb.request_log] == [201, 200, 200, 409]
    assert conflict.value.status == 409
    assert "add the existing user" in str(conflict.value)
    with (
        OrgClient(sb.member_key, base_url=sb.base_url) as member,
        pytest.raises(errors.PermissionDeniedError),
    ):
        member.invite_user("someone@acme.test")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.invite_user("not an email"), "not an email address"),
        (lambda c: c.invite_user("a@b.test", invite_mode="sms"), "unknown invite mode"),
        (lambda c: c.invite_user("a@b.test", account_role="owner"), "unknown account role"),
        (lambda c: c.invite_user("a@b.test", name=" "), "name must be"),
        (lambda c: c.remove_user(ORG, "nobody"), "not a global id"),
        (lambda c: c.remove_user("VXNlcjoxMjM0NQ==", ORG), "swapped"),
        (
            lambda c: c.add_user(ORG, "a@b.test", "member", invite=True, invite_mode="sms"),
            "unknown invite mode",
        ),
    ],
)
def test_lifecycle_input_is_checked_before_anything_is_sent(call: Any, message: str) -> None:
    script = Script()  # any request would fail the test
    with (
        OrgClient("k", transport=script.transport()) as c,
        pytest.raises(errors.InvalidInputError, match=message),
    ):
        call(c)
    assert script.requests == []


def test_remove_user_by_email_and_every_404(sb: Sandbox) -> None:
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test")
    with client(sb) as c:
        c.add_user(org, "jane@acme.test", "member")
        assert c.remove_user(org, "Jane@Acme.test") == jane
        for org_id, user in [
            (org, jane),  # no longer a member
            ("QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk=", jane),  # no such organization
            (org, "VXNlcjo5OTk5"),  # no such user
        ]:
            with pytest.raises(errors.NotFoundError, match="not a member now"):
                c.remove_user(org_id, user)
        with pytest.raises(errors.InvalidInputError, match="no user has the email"):
            c.remove_user(org, "nobody@acme.test")
    with (
        OrgClient(sb.member_key, base_url=sb.base_url) as member,
        pytest.raises(errors.PermissionDeniedError),
    ):
        member.remove_user(org, jane)
    assert sb.removals == [(org, jane)]


def test_invite_and_remove_are_retried_and_happen_once(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test")
    with client(sb) as c:
        # The invitation is made, its answer cut short: the retry is answered
        # 200 with the same user, and no second invitation is sent.
        sb.fail_next(kind="truncated")
        with caplog.at_level(logging.WARNING, logger="arize_orgs"):
            hire = c.invite_user("hire@acme.test", invite_mode="temporary-password")
        assert hire.temporary_password is None  # lost with the cut answer: said so
        assert "no temporary password came back" in caplog.text
        sb.fail_next(503, times=2)
        c.add_user(org, jane, "member")
        sb.fail_next(503)
        c.remove_user(org, jane)
    assert sb.invitations == [("hire@acme.test", "temporary-password")]
    assert sb.removals == [(org, jane)]
    assert [s for m, _, s in sb.request_log if m == "DELETE"] == [503, 204]


@pytest.mark.anyio
async def test_async_invites_adds_and_removes_alike(sb: Sandbox) -> None:
    org = sb.add_organization("Acme")
    async with AsyncOrgClient(sb.admin_key, base_url=sb.base_url) as c:
        m = await c.add_user(org, "hire@acme.test", Role.ANNOTATOR, invite=True)
        assert m.invited is not None and m.invited.account_role == AccountRole.ANNOTATOR
        user = await c.invite_user("temp@acme.test", invite_mode="temporary-password")
        assert isinstance(user.temporary_password, Secret)
        assert await c.remove_user(org, "hire@acme.test") == m.user_id
        with pytest.raises(errors.ConflictError):
            await c.invite_user("admin@sandbox.test")
    assert sb.memberships(org) == {}
    assert sb.user(m.user_id) == ("hire@acme.test", AccountRole.ANNOTATOR, "invited")


def test_an_account_role_given_with_invite_is_the_one_invited_and_checked(sb: Sandbox) -> None:
    org = sb.add_organization("Acme")
    with client(sb) as c:
        m = c.add_user(org, "lead@acme.test", "admin", invite=True, account_role="admin")
        assert m.invited is not None and m.invited.account_role == AccountRole.ADMIN
        with pytest.raises(errors.RoleRuleError):
            c.add_user(org, "x@acme.test", "admin", invite=True, account_role="annotator")
    assert sb.invitations == [("lead@acme.test", "email-link")]


def test_an_add_that_fails_after_its_invitation_keeps_the_invited_user(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown_org = "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk="
    with client(sb) as c, pytest.raises(errors.NotFoundError) as info:
        c.add_user(
            unknown_org, "lib@acme.test", "member", invite=True, invite_mode="temporary-password"
        )
    invited = info.value.invited
    assert invited is not None and invited.email == "lib@acme.test"
    assert invited.temporary_password is not None  # not lost with the error
    # The command line keeps the password too, and says how to finish.
    org = sb.add_organization("Acme")
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    password_file = tmp_path / "pw.txt"
    args = ["add-user", "--user", "cli@acme.test", "--role", "member", "--invite"]
    code, out, err = cli(
        capsys, *args, "--org", unknown_org, "--invite-mode", "temporary-password",
        "--password-file", str(password_file),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "invited cli@acme.test" in err and "invited but not added" in err
    assert "NotFoundError" in err.splitlines()[-1]
    assert password_file.read_text().strip() not in err
    assert (password_file.stat().st_mode & 0o777) == 0o600
    code, out, _ = cli(capsys, *args, "--org", org)
    assert code == 0 and "invited" not in out  # the invitation stood: none sent again
    assert [e for e, _ in sb.invitations] == ["lib@acme.test", "cli@acme.test"]
    assert sb.role_of(org, sb.user_id_of("cli@acme.test") or "") is Role.MEMBER


# ---- many at once: the bulk engine -------------------------------------------------------------


def test_a_file_mixing_adds_removals_and_invitations_gets_one_outcome_per_row(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    org = sb.add_organization("Acme")
    jane, bob, leaver, gone, twice, pair = (
        sb.add_user(f"{n}@acme.test", r)
        for n, r in [
            ("jane", "member"),
            ("bob", "admin"),
            ("leaver", "member"),
            ("gone", "member"),
            ("twice", "member"),
            ("pair", "member"),
        ]
    )
    with client(sb) as c:
        for uid in (leaver, gone, twice, pair):
            c.add_user(org, uid, "member")
    rows = [
        (jane, "member", ""),  # 2 ok: added
        ("bob@acme.test", "admin", "add"),  # 3 ok: added, by email
        (leaver, "", "remove"),  # 4 ok: removed
        ("gone@acme.test", "member", "REMOVE"),  # 5 ok: removed by email, the role ignored
        ("new.ann@acme.test", "annotator", ""),  # 6 ok: invited as an annotator, then added
        ("new.mem@acme.test", "read-only", "add"),  # 7 ok: invited as a member, then added
        ("new.mem@acme.test", "read-only", ""),  # 8 skipped: repeats line 7
        (twice, "admin", "add"),  # 9 invalid: added and removed in one file
        ("twice@acme.test", "", "remove"),  # 10 invalid: the same user, by email
        ("nobody-to-remove@acme.test", "", "remove"),  # 11 invalid: no such user
        (bob, "member", "promote"),  # 12 invalid: no such action
        ("pair@acme.test", "member", ""),  # 13 invalid: added and removed...
        ("PAIR@acme.test", "", "remove"),  # 14 invalid: ...by the same email
    ]
    path = write_csv(tmp_path / "changes.csv", "user,role,action", rows)
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    code, out, err = cli(
        capsys, "add-users", "--org", org, str(path), "--invite", "--allow-remove",
        "--report", str(report), "--json",
    )  # fmt: skip
    assert code == 1, err  # the invalid rows
    summary = json.loads(out)
    assert (summary["rows"], summary["ok"], summary["skipped"], summary["invalid"]) == (13, 6, 1, 6)
    assert (summary["invited"], summary["removed"]) == (2, 2)
    by_line = {r["line"]: r for r in report_rows(report)}
    assert sorted(by_line) == list(range(2, 15))  # one outcome per row
    assert {n: r["outcome"] for n, r in by_line.items()} == {
        2: "ok", 3: "ok", 4: "ok", 5: "ok", 6: "ok", 7: "ok", 8: "skipped",
        9: "invalid", 10: "invalid", 11: "invalid", 12: "invalid", 13: "invalid", 14: "invalid",
    }  # fmt: skip
    assert [n for n, r in by_line.items() if r.get("invited")] == [6, 7]
    assert {n for n, r in by_line.items() if r["action"] == "remove"} == {4, 5, 10, 11, 14}
    for n in (9, 10):
        assert "added on one line and removed on another" in by_line[n]["reason"]
    for n in (13, 14):
        assert "added (as 'member') on line 13 and removed on line 14" in by_line[n]["reason"]
    assert "no user has the email" in by_line[11]["reason"]
    assert "neither add nor remove" in by_line[12]["reason"]
    # The sandbox's memberships are exactly what the report says.
    invited = {by_line[n]["user_id"]: Role.parse(by_line[n]["role"]) for n in (6, 7)}
    assert sb.memberships(org) == {
        jane: Role.MEMBER,
        bob: Role.ADMIN,
        twice: Role.MEMBER,  # its rows were invalid: left as it was
        pair: Role.MEMBER,
        **invited,
    }
    assert sb.user(by_line[6]["user_id"])[1:] == (AccountRole.ANNOTATOR, "invited")
    assert sb.user(by_line[7]["user_id"])[1:] == (AccountRole.MEMBER, "invited")
    assert sorted(sb.removals) == sorted([(org, leaver), (org, gone)])
    assert sorted(e for e, _ in sb.invitations) == ["new.ann@acme.test", "new.mem@acme.test"]
    # Resuming the same file repeats no write, no removal and no invitation.
    writes, removals = len(sb.writes), len(sb.removals)
    code, out, _ = cli(
        capsys, "add-users", "--org", org, str(path), "--invite", "--allow-remove",
        "--resume", str(report), "--json",
    )  # fmt: skip
    assert json.loads(out)["skipped"] == 7
    assert (len(sb.writes), len(sb.removals), len(sb.invitations)) == (writes, removals, 2)


def test_a_dry_run_shows_each_planned_invitation_and_removal(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    org = sb.add_organization("Acme")
    jane = sb.add_user("jane@acme.test")
    path = write_csv(
        tmp_path / "t.csv",
        "user,role,account_role,action",
        [("hire@acme.test", "admin", "admin", ""), (jane, "", "", "remove")],
    )
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    code, out, _ = cli(
        capsys, "add-users", "--org", org, str(path), "--invite", "--allow-remove", "--dry-run"
    )
    assert code == 0
    assert (
        "line 2: would invite hire@acme.test and add them as admin: an invitation with the "
        "account role admin" in out
    )
    assert f"line 3: would remove {jane} ({jane})" in out
    assert "1 invited (planned), 1 removed (planned)" in " ".join(out.split())
    assert {m for m, _, _ in sb.request_log} == {"GET"}
    assert (sb.writes, sb.removals, sb.invitations) == ([], [], [])


@pytest.mark.parametrize(
    ("flags", "needle"),
    [
        ([], "pass --allow-remove"),
        (["--allow-remove", "--max-removals", "2"], "would remove 3 users, more than the 2"),
        (["--allow-remove", "--max-removals", "2", "--dry-run"], "more than the 2"),
    ],
)
def test_the_removal_guard_refuses_before_any_request(
    sb: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    needle: str,
) -> None:
    org = sb.add_organization("Acme")
    users = [sb.add_user(f"u{i}@acme.test") for i in range(3)]
    path = write_csv(
        tmp_path / "t.csv",
        "user,role,action",
        [("u0@acme.test", "member", "add")] + [(u, "", "remove") for u in users],
    )
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    code, out, err = cli(
        capsys, "add-users", "--org", org, str(path), "--report", str(report), *flags
    )
    assert (code, out) == (2, "")
    assert needle in err and "nothing was sent" in err
    assert err.count("\n") == 1
    assert sb.request_log == []
    assert not report.exists()  # refused before the report was opened


def test_the_removal_guard_in_the_library_and_its_default_of_25(sb: Sandbox) -> None:
    org = sb.add_organization("Acme")
    rows = [{"user": sb.add_user(f"u{i}@acme.test"), "action": "remove"} for i in range(26)]
    with client(sb) as c:
        with pytest.raises(errors.InvalidInputError, match="allow_remove=True"):
            c.add_users(org, rows)
        with pytest.raises(errors.InvalidInputError, match="more than the 25"):
            c.add_users(org, rows, allow_remove=True)
        result = c.add_users(org, rows[:25], allow_remove=True)
    # 25 non-members: each removal is answered 404 "not a member", which is what a
    # removal wants: skipped, saying so; none stops the run.
    assert result.summary.counts == Counter(skipped=25)
    assert {r.detail for r in result.results} == {
        "not a member of the organization: nothing to remove (already removed, perhaps by an "
        "interrupted run)"
    }
    assert [m for m, _, _ in sb.request_log] == ["DELETE"] * 25


def test_bulk_never_asks_for_temporary_passwords() -> None:
    with pytest.raises(errors.InvalidInputError, match="temporary passwords"):
        BulkOptions(invite=True, invite_mode="temporary-password")
    assert BulkOptions(invite_mode="NONE").invite_mode == "none"


def test_each_lifecycle_endpoint_is_paced_by_a_gate_of_its_own() -> None:
    # Arize counts each endpoint apart: 10 a window here. 30 adds, 20
    # removals and 20 invitations (each then added: 50 adds in all) need 5
    # windows of the add budget, not the 9 that one shared budget would.
    sim = SimulatedArize(50, allowance=10, per=6.0, retry_after=False)
    rows = [{"user": u.id, "role": "member"} for u in sim.users[:30]]
    rows += [{"user": u.id, "action": "remove"} for u in sim.users[30:]]
    rows += [{"user": f"hire{i}@acme.test", "role": "member"} for i in range(20)]
    options = BulkOptions(invite=True, allow_remove=True, concurrency=8)
    run, seconds = run_rows(sim, rows, options)
    assert run.summary.counts == Counter(ok=70)
    assert set(run.pacing.gates) == {ADD_USER, REMOVE_USER, INVITE_USER, LIST_USERS}
    assert (sim.requests(ADD_USER, 200), sim.requests(REMOVE_USER, 200)) == (50, 20)
    assert sim.requests(INVITE_USER, 200) == 20
    assert sum(sim.invited.values()) == len(sim.invited) == 20  # none invited twice
    assert sum(sim.removed.values()) == len(sim.removed) == 20
    assert seconds <= 6 * 6.0, seconds


# ---- the temporary password is a secret: a sentinel test ---------------------------------------

SENTINEL = "TmpPw-SENTINEL-4c1d9e"


def invited_answer(status: int = 201, password: str = SENTINEL) -> Any:
    """A server that answers an invitation with a password, asked for or not."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        user = {
            "id": "VXNlcjo0Mg==",
            "email": body["email"],
            "status": "INVITED",
            "role": body["role"],
            "temporary_password": password,
        }
        return httpx.Response(status, json=user)

    return answer


def test_the_temporary_password_never_shows(
    sb: Sandbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, stamina
    org = sb.add_organization("Acme")
    # 1. Through the sandbox: the library, sync and async, and the command line.
    with client(sb) as c:
        user = c.invite_user("one@acme.test", invite_mode="temporary-password")
        m = c.add_user(
            org, "two@acme.test", "member", invite=True, invite_mode="temporary-password"
        )
    assert user.temporary_password is not None and m.invited is not None
    assert m.invited.temporary_password is not None
    passwords = [user.temporary_password.reveal(), m.invited.temporary_password.reveal()]
    for shown in (user, m, m.invited, user.temporary_password):
        seen += [repr(shown), str(shown), f"{shown}", f"{shown!r:>80}"]
    seen.append(json.dumps(attrs.asdict(user), default=repr))
    assert user == attrs.evolve(user, temporary_password=None)  # not part of equality either
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    password_file = tmp_path / "pw.txt"
    for as_json in ([], ["--json"]):
        code, out, err = cli(
            capsys, "add-user", "--org", org, "--user", f"cli{len(as_json)}@acme.test",
            "--role", "member", "--invite", "--invite-mode", "temporary-password",
            "--password-file", str(password_file), *as_json,
        )  # fmt: skip
        assert code == 0, err
        seen += [out, err]
        passwords.append(password_file.read_text().strip())
        assert (password_file.stat().st_mode & 0o777) == 0o600
        password_file.unlink()
    # 2. A server that sends passwords where none was asked for, or whose
    # answer cannot be read: the report, the results and every error hold none.
    script = Script(
        httpx.Response(200, json={"users": [], "pagination": {"has_more": False}}),
        invited_answer(),
        membership,
        httpx.Response(201, text=f'{{"id": 5, "temporary_password": "{SENTINEL}"'),
        httpx.Response(201, json={"id": 5, "email": 7, "temporary_password": SENTINEL}),
    )
    report = tmp_path / "report.jsonl"
    with OrgClient("k", transport=script.transport(), max_retries=0) as c:
        result = c.add_users(
            ORG, [{"user": "bulk@acme.test", "role": "member"}], invite=True, report=report
        )
        assert result.summary.counts == Counter(ok=1) and result.results[0].invited
        seen += [report.read_text(), repr(result), json.dumps(result.summary.to_json())]
        for _ in range(2):
            with pytest.raises(errors.APIResponseValidationError) as info:
                c.invite_user("broken@acme.test", invite_mode="temporary-password")
            exc = info.value
            seen += [str(exc), repr(exc), exc.body, str(exc.args)]
            seen.append("".join(traceback.format_exception(exc)))
            assert exc.__context__ is None and exc.__cause__ is None
    passwords.append(SENTINEL)
    seen += [r.getMessage() for r in caplog.records]
    seen += [repr(r.__dict__) for r in caplog.records]
    assert len(caplog.records) > 5
    assert len(set(passwords)) == 5 and all(passwords)
    leaks = [(p, text) for p in passwords for text in seen if p in text]
    assert leaks == []


# ---- the demo ----------------------------------------------------------------------------------


def test_the_demo_invites_a_new_hire_and_removes_a_leaver(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_demo()
    out = capsys.readouterr().out
    assert "invited new.hire@acme.test" in out
    assert "(look up, invite, add)" in out
    assert "the sandbox now says: None" in out
    assert "ConflictError (status 409)" in out
    # The ladder: refused outside the organization, then the organization add first.
    assert "without it, BadRequestError: user" in out and "not a member of organization" in out
    assert (
        "requests: GET organizations, GET spaces, GET users, POST spaces, GET users, "
        "POST organizations, POST spaces" in out
    )


# ---- what the trial and the attack found -------------------------------------------------------


def test_an_invitation_answered_with_another_user_adds_nobody() -> None:
    ceo = {
        "id": "VXNlcjo4",
        "email": "ceo@acme.test",
        "status": "ACTIVE",
        "role": {"type": "PREDEFINED", "name": "ADMIN"},
    }
    script = Script(
        httpx.Response(200, json={"users": [], "has_more": False}),  # no account has the email
        httpx.Response(201, json=ceo),  # ...and the invitation answers someone else
    )
    with (
        OrgClient("k", base_url="https://api.example", transport=script.transport()) as c,
        pytest.raises(errors.APIResponseValidationError) as info,
    ):
        c.add_user(ORG, "hire@acme.test", "member", invite=True)
    assert "the invitation of hire@acme.test was answered with another user" in str(info.value)
    assert [r.method for r in script.requests] == ["GET", "POST"]  # the add was never sent
    assert script.requests[-1].url.path == "/v2/users"


@pytest.mark.parametrize(
    ("email", "holds"),
    [
        ("hire@acme.test\x1b[31m", "U+001B"),
        ("zw\u200b@acme.test", "U+200B (ZERO WIDTH SPACE)"),
        ("<hire@acme.test>", "U+003C (LESS-THAN SIGN)"),
        ("a@acme.test;", "U+003B (SEMICOLON)"),
    ],
)
def test_an_address_with_an_invisible_or_pasted_character_is_never_invited(
    sb: Sandbox, email: str, holds: str
) -> None:
    org = sb.add_organization("Acme")
    with client(sb) as c, pytest.raises(errors.InvalidInputError) as info:
        c.add_user(org, email, "member", invite=True)
    assert f"is not an email address: it holds {holds}" in str(info.value)
    assert sb.request_log == []


@pytest.mark.parametrize("name", ["\x1b[2JEvil", "Eve\u202eliv", "a\u0085b", "Tab\tName"])
def test_a_display_name_with_control_characters_is_refused(sb: Sandbox, name: str) -> None:
    with client(sb) as c, pytest.raises(errors.InvalidInputError) as info:
        c.invite_user("new@acme.test", name=name)
    assert "a name may not hold U+" in str(info.value)
    assert sb.request_log == []


@pytest.mark.parametrize("how", ["folder", "too long"])
def test_a_password_file_that_cannot_be_written_is_refused_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox, tmp_path: Path, how: str
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    path = {"folder": f"{tmp_path}/nope/", "too long": str(tmp_path / ("p" * 300))}[how]
    code, out, err = cli(
        capsys, "add-user", "--org", org, "--user", "new@acme.test", "--role", "member",
        "--invite", "--invite-mode", "temporary-password", "--password-file", path,
    )  # fmt: skip
    assert code == 2 and out == ""
    assert "--password-file" in err and "please report" not in err
    assert len(err.strip().splitlines()) == 1
    assert sb.request_log == []


def test_a_password_file_is_removed_when_nothing_goes_in_it(
    capsys: pytest.CaptureFixture[str], cli_env: Sandbox, tmp_path: Path
) -> None:
    sb = cli_env
    org = sb.add_organization("Acme")
    sb.add_user("old@acme.test")  # has an account: added, not invited
    path = tmp_path / "pw.txt"
    code, _, _ = cli(
        capsys, "add-user", "--org", org, "--user", "old@acme.test", "--role", "member",
        "--invite", "--invite-mode", "temporary-password", "--password-file", str(path),
    )  # fmt: skip
    assert code == 0
    assert not path.exists()


def test_a_resumed_removal_whose_answer_was_lost_completes(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    org = sb.add_organization("Acme")
    leaver = sb.add_user("leaver@acme.test")
    with client(sb) as c:
        c.add_user(org, leaver, "member")
        c.remove_user(org, leaver)  # the first run's removal happened; its answer was lost
    path = write_csv(tmp_path / "out.csv", "user,action", [(leaver, "remove")])
    monkeypatch.setenv("ARIZE_API_KEY", sb.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sb.base_url)
    code, out, _ = cli(capsys, "add-users", "--org", org, str(path), "--allow-remove", "--json")
    summary = json.loads(out)
    assert code == 0, out
    assert (summary["skipped"], summary["failed"]) == (1, 0)


def test_removals_from_an_unknown_organization_stop_after_one_request(sb: Sandbox) -> None:
    unknown_org = "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk="
    rows = [{"user": sb.add_user(f"u{i}@acme.test"), "action": "remove"} for i in range(5)]
    with client(sb) as c:
        result = c.add_users(unknown_org, rows, allow_remove=True)
    assert "was not found (404): check --org" in (result.summary.stopped or "")
    assert result.summary.counts == Counter(failed=1, not_attempted=4)
    assert [m for m, _, _ in sb.request_log] == ["DELETE"]
