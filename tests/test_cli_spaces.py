"""The command line on the access ladder: spaces and names, against the
sandbox. Exit codes 0/1/2, one line on stderr, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_cli import one_line_error, run

from arize_orgs import Role
from arize_orgs.sandbox import Sandbox


@pytest.fixture
def ladder(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """An organization with a unique name and spaces "prod" and "staging";
    two people outside it (a member account and an annotator account)."""
    monkeypatch.setenv("ARIZE_API_KEY", sandbox.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sandbox.base_url)
    n = len(sandbox.world.users)
    name = f"Acme {n}"
    org = sandbox.add_organization(name)
    return {
        "name": name,
        "org": org,
        "prod": sandbox.add_space(org, "prod"),
        "staging": sandbox.add_space(org, "staging"),
        "jane": sandbox.add_user(f"jane{n}@ladder.test", account_role="member"),
        "jane_email": f"jane{n}@ladder.test",
        "ann": sandbox.add_user(f"ann{n}@ladder.test", account_role="annotator"),
        "ann_email": f"ann{n}@ladder.test",
    }


def test_add_user_to_a_space_by_names_adds_to_the_org_first(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    before = len(sandbox.history)
    code, out, err = run(
        capsys,
        "add-user",
        "--space",
        "prod",
        "--org",
        ladder["name"],
        "--role",
        "read-only",
        "--org-role",
        "member",
        ladder["jane_email"],
    )
    assert (code, err) == (0, "")
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) == Role.READ_ONLY
    assert sandbox.role_of(ladder["org"], ladder["jane"]) == Role.MEMBER
    assert ladder["prod"] in out and ladder["org"] in out
    writes = sandbox.history[before:]
    assert [w.endpoint for w in writes] == [
        "POST /v2/organizations/{org_id}/users",
        "POST /v2/spaces/{space_id}/users",
    ]


def test_org_role_differs_from_the_space_role(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    code, out, _ = run(
        capsys,
        "add-user",
        "--space",
        "staging",
        "--org",
        ladder["org"],
        "--role",
        "admin",
        "--org-role",
        "member",
        "--user",
        ladder["jane"],
        "--json",
    )
    assert code == 0
    payload: dict[str, Any] = json.loads(out)
    assert payload["space_id"] == ladder["staging"] and payload["role"] == "admin"
    assert payload["organization_membership"]["role"] == "member"
    assert sandbox.role_of(ladder["org"], ladder["jane"]) == Role.MEMBER


def test_org_names_the_space_and_leaves_an_admins_org_role_alone(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    assert (
        run(capsys, "add-user", "--org", ladder["name"], "--role", "admin", ladder["jane"])[0] == 0
    )
    code, _, err = run(
        capsys, "add-user", "--space", "prod", "--org", ladder["name"], "--role", "read-only",
        ladder["jane"],
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) == Role.READ_ONLY
    assert sandbox.role_of(ladder["org"], ladder["jane"]) == Role.ADMIN  # not demoted


def test_a_space_id_of_another_org_is_refused_before_any_write(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    other = sandbox.add_organization(f"Beta {ladder['org']}")
    beta_space = sandbox.add_space(other, "prod")
    before = len(sandbox.history)
    for command in (
        ["add-user", "--space", beta_space, "--org", ladder["name"], "--role", "member",
         "--org-role", "admin", ladder["jane"]],
        ["remove-user", "--space", beta_space, "--org", ladder["name"], ladder["jane"], "--yes"],
    ):  # fmt: skip
        code, _, err = run(capsys, *command)
        assert code == 2, err
        one_line_error(err)
        assert f"is a space of organization {other}" in err
    assert sandbox.history[before:] == []
    assert sandbox.role_of(ladder["org"], ladder["jane"]) is None


def test_a_space_add_of_someone_outside_the_org_says_so_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    before = len(sandbox.history)
    code, _, err = run(
        capsys, "add-user", "--space", ladder["prod"], "--role", "member", ladder["jane"]
    )
    assert code == 1
    one_line_error(err)
    assert "not a member of" in err and "organization" in err
    assert "--org-role" in err  # what to do about it
    assert err.count("not a member") == 1, err
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) is None
    assert all(w.status != 200 for w in sandbox.history[before:])


def test_the_annotator_rule_holds_for_spaces_both_ways(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    before = len(sandbox.request_log)
    for user, role in ((ladder["ann_email"], "admin"), (ladder["jane_email"], "annotator")):
        code, _, err = run(
            capsys, "add-user", "--space", "prod", "--org", ladder["name"], "--role", role, user
        )
        assert code == 2, err
        one_line_error(err)
        assert "annotator" in err
    written = [r for r in sandbox.request_log[before:] if r[0] == "POST"]
    assert written == []


def test_remove_user_from_a_space_keeps_the_org_membership(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    run(capsys, "add-user", "--space", "prod", "--org", ladder["name"], "--role", "member",
        "--org-role", "member", ladder["jane"])  # fmt: skip
    code, _, err = run(
        capsys, "remove-user", "--space", "prod", "--org", ladder["name"], ladder["jane"]
    )
    assert code == 2 and "--yes" in err  # says what it would do, sends nothing
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) == Role.MEMBER
    code, out, err = run(
        capsys, "remove-user", "--space", "prod", "--org", ladder["name"], ladder["jane"], "--yes"
    )
    assert (code, err) == (0, "")
    assert "stay a member" in out
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) is None
    assert sandbox.role_of(ladder["org"], ladder["jane"]) == Role.MEMBER


def test_two_orgs_of_one_name_are_refused_naming_both_ids(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str]
) -> None:
    twin = sandbox.add_organization(ladder["name"])
    code, _, err = run(
        capsys, "add-user", "--org", ladder["name"], "--role", "member", ladder["jane"]
    )
    assert code == 2
    one_line_error(err)
    assert ladder["org"] in err and twin in err
    assert sandbox.role_of(ladder["org"], ladder["jane"]) is None


def test_list_orgs_and_list_spaces(
    capsys: pytest.CaptureFixture[str], ladder: dict[str, str]
) -> None:
    code, out, _ = run(capsys, "list-spaces", "--org", ladder["name"], "--json")
    assert code == 0
    spaces = json.loads(out)
    assert {s["name"]: s["id"] for s in spaces} == {
        "prod": ladder["prod"],
        "staging": ladder["staging"],
    }
    code, out, _ = run(capsys, "list-spaces", "--org", ladder["org"])
    assert code == 0 and "prod" in out and ladder["staging"] in out
    code, out, _ = run(capsys, "list-orgs", "--name", ladder["name"].upper(), "--json")
    assert code == 0
    assert ladder["org"] in {o["id"] for o in json.loads(out)}
    code, out, _ = run(capsys, "list-orgs")
    assert code == 0 and ladder["org"] in out


def test_add_users_with_a_space_column_by_org_name(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str], tmp_path: Path
) -> None:
    team = tmp_path / "team.csv"
    team.write_text(
        "user,role,space\n"
        f"{ladder['jane_email']},read-only,prod\n"
        f"{ladder['jane_email']},member,\n"
        f"{ladder['jane_email']},admin,staging\n"
        f"{ladder['ann_email']},annotator,\n"
        f"{ladder['ann_email']},admin,prod\n"
        f"{ladder['ann_email']},annotator,nowhere\n"
    )
    code, out, err = run(capsys, "add-users", "--org", ladder["name"], str(team), "--json")
    assert code == 1, err  # some rows are invalid
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["ok"], summary["invalid"]) == (4, 2), summary
    assert summary["name_lookups"] == 2  # the organization's name, then its spaces
    assert sandbox.space_role_of(ladder["prod"], ladder["jane"]) == Role.READ_ONLY
    assert sandbox.space_role_of(ladder["staging"], ladder["jane"]) == Role.ADMIN
    assert "line 6" in err and "annotator" in err
    assert "line 7" in err and "nowhere" in err
    order = [(w.endpoint.split()[1].split("/")[2], w.user_id) for w in sandbox.history]
    jane = [kind for kind, user in order if user == ladder["jane"]]
    assert jane == ["organizations", "spaces", "spaces"]


def test_add_users_by_org_name_refuses_a_bad_report_before_any_request(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, ladder: dict[str, str], tmp_path: Path
) -> None:
    team = tmp_path / "team.csv"
    team.write_text(f"user,role,space\n{ladder['jane']},member,prod\n")
    before = len(sandbox.request_log)
    for bad in (
        ["--report", str(tmp_path / "no" / "r.jsonl")],
        ["--resume", str(tmp_path / "missing.jsonl")],
    ):
        code, _, err = run(capsys, "add-users", "--org", ladder["name"], str(team), *bad)
        assert code == 2, err
        one_line_error(err)
    assert sandbox.request_log[before:] == []
