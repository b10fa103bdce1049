"""The command line: exit codes 0/1/2, one line on stderr, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from arize_orgs.cli import main
from arize_orgs.sandbox import Sandbox


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("ARIZE_API_KEY", sandbox.admin_key)
    monkeypatch.setenv("ARIZE_BASE_URL", sandbox.base_url)
    n = len(sandbox.world.users)
    return {
        "org": sandbox.add_organization(f"CLI {n}"),
        "jane": sandbox.add_user(f"jane{n}@cli.test", account_role="member"),
        "jane_email": f"jane{n}@cli.test",
        "ann": sandbox.add_user(f"ann{n}@cli.test", account_role="annotator"),
        "ann_email": f"ann{n}@cli.test",
    }


def one_line_error(err: str) -> str:
    assert err.count("\n") == 1, err
    assert err.startswith("arize-orgs")
    assert "Traceback" not in err
    return err


def test_add_user_by_id_prints_the_membership(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, env: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, "add-user", "--org", env["org"], "--user", env["jane"], "--role", "Member"
    )
    assert (code, err) == (0, "")
    assert "member" in out
    assert sandbox.role_of(env["org"], env["jane"]) is not None


def test_add_user_by_email_with_json(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, env: dict[str, str]
) -> None:
    code, out, _ = run(
        capsys,
        "add-user",
        "--org",
        env["org"],
        "--user",
        env["jane_email"].upper(),
        "--role",
        "read-only",
        "--json",
    )
    assert code == 0
    payload: dict[str, Any] = json.loads(out)
    assert payload["user_id"] == env["jane"]
    assert payload["organization_id"] == env["org"]
    assert payload["role"] == "read-only"


def test_an_email_lookup_checks_the_rule_for_free(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, env: dict[str, str]
) -> None:
    before = len(sandbox.request_log)
    code, _, err = run(
        capsys, "add-user", "--org", env["org"], "--user", env["ann_email"], "--role", "admin"
    )
    assert code == 2
    assert "annotator" in one_line_error(err)
    assert [m for m, _, _ in sandbox.request_log[before:]] == ["GET"]  # the lookup, no write


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--role", "memebr"], "did you mean 'member'"),
        (["--role", "admin", "--account-role", "annotator"], "not allowed"),
        (["--role", "member", "--account-role", "annotator", "--check-account"], "not both"),
        (["--role", "member", "--user", "nobody@nowhere.test"], "no user"),
        (["--role", "member", "--user", "not an id"], "not a global id"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], args: list[str], needle: str
) -> None:
    base = ["add-user", "--org", env["org"], "--user", env["jane"]]
    code, out, err = run(capsys, *base, *args)
    assert code == 2
    assert out == ""
    assert needle in one_line_error(err)


def test_api_failures_exit_1_with_one_line(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, env: dict[str, str]
) -> None:
    args = ["add-user", "--org", env["org"], "--user", env["ann"], "--role", "member"]
    code, _, err = run(capsys, *args)
    assert code == 1
    assert "BadRequestError" in one_line_error(err)
    code, _, err = run(
        capsys,
        "add-user",
        "--org",
        "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5",
        "--user",
        env["jane"],
        "--role",
        "member",
    )
    assert code == 1
    assert "NotFoundError" in one_line_error(err)
    sandbox.fail_next(503, times=3)
    code, _, err = run(
        capsys, "add-user", "--org", env["org"], "--user", env["jane"], "--role", "member"
    )
    assert code == 1
    assert "InternalServerError" in one_line_error(err)


def test_network_failure_exits_1(capsys: pytest.CaptureFixture[str], env: dict[str, str]) -> None:
    code, _, err = run(
        capsys,
        "add-user",
        "--org",
        env["org"],
        "--user",
        env["jane"],
        "--role",
        "member",
        "--base-url",
        "http://127.0.0.1:9",
    )
    assert code == 1
    assert "APIConnectionError" in one_line_error(err)


def test_missing_key_and_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARIZE_API_KEY")
    code, _, err = run(
        capsys, "add-user", "--org", env["org"], "--user", env["jane"], "--role", "member"
    )
    assert code == 2
    assert "ARIZE_API_KEY" in one_line_error(err)
    code, _, err = run(capsys, "add-user", "--org", env["org"])
    assert code == 2
    assert "--user" in one_line_error(err)


@pytest.mark.parametrize(
    "command", [[], ["add-user"], ["add-users"], ["remove-user"], ["sandbox"], ["demo"]]
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Usage:" in out


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--help")
    assert all(name in out for name in ("add-user", "sandbox", "demo"))
    commands = out.split("Commands:", 1)[1]
    assert "..." not in commands  # every summary whole, none cut short


def test_the_sandbox_command_prints_its_details_and_serves(tmp_path: Any) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "arize_orgs", "sandbox", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        details = json.loads(proc.stdout.readline())
        assert details["base_url"].startswith("http://127.0.0.1:")
        assert set(details["users"]) == {"admin", "member", "annotator"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "arize_orgs",
                "add-user",
                "--org",
                details["org_id"],
                "--user",
                "annotator@acme.test",
                "--role",
                "annotator",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={
                "ARIZE_API_KEY": details["admin_key"],
                "ARIZE_BASE_URL": details["base_url"],
                "PATH": "",
            },
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["role"] == "annotator"
    finally:
        proc.terminate()
        proc.wait(10)


def test_add_users_defaults_to_the_librarys_concurrency() -> None:
    from arize_orgs import BulkOptions
    from arize_orgs.cli import cli

    option = next(p for p in cli.commands["add-users"].params if p.name == "concurrency")
    assert option.default == BulkOptions().concurrency


def test_the_sandbox_command_serves_the_seed_spelling_and_arizes_rate_limit() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "arize_orgs",
            "sandbox",
            "--json",
            "--spelling",
            "seed",
            "--rate-limit",
            "2/3600",
            "--no-retry-after",
            "--no-custom-roles",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        details = json.loads(proc.stdout.readline())
        url = f"{details['base_url']}/v2/organizations/{details['org_id']}/users"
        member = details["users"]["member"]
        with httpx.Client(headers={"Authorization": f"Bearer {details['admin_key']}"}) as http:
            seed = {"user_id": member, "role": {"type": "predefined", "name": "read-only"}}
            custom = {"user_id": member, "role": {"type": "custom", "id": "Um9sZTox"}}
            answers = [http.post(url, json=seed), http.post(url, json=custom)]
            answers.append(http.post(url, json=seed))  # the third of a 2-per-hour window
            listed = http.get(f"{details['base_url']}/v2/users")
    finally:
        proc.terminate()
        proc.wait(10)
    assert [a.status_code for a in answers] == [200, 422, 429]
    assert answers[0].json()["role"] == {"type": "predefined", "name": "read-only"}
    assert "custom organization roles are not supported" in answers[1].json()["detail"]
    assert "retry-after" not in answers[2].headers
    assert listed.status_code == 200  # GET /v2/users has a budget of its own


@pytest.mark.parametrize("value", ["100", "0/60", "100/0", "x/60", "100/-1", "100/nan"])
def test_a_bad_sandbox_rate_limit_exits_2_naming_the_form(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--rate-limit", value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "N/SECONDS" in err and "100/60" in err
    assert len(err.strip().splitlines()) == 1


def test_a_sandbox_window_too_short_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--rate-limit", "5/0.0001"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "please report" not in err
    assert err.strip().splitlines() == [
        "arize-orgs: error: --rate-limit: per must be at least 0.001 s (a millisecond), not 0.0001"
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--no-retry-after"], "needs --rate-limit"),
        (["--spelling", "seed", "--spec", "openapi.yaml"], "not both"),
        (["--fail-every", "0:503"], "N:STATUS"),
        (["--fail-every", "10:200"], "N:STATUS"),
    ],
)
def test_sandbox_option_mistakes_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, _, err = run(capsys, "sandbox", *args)
    assert code == 2
    assert says in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("openapi: 3.0.3\ninfo: {title: x}\n", "not a variant of arize-orgs' openapi.yaml"),
        ("[1, 2", "cannot be read as YAML"),
        (None, "'VIEWER' is unknown to arize-orgs"),
    ],
)
def test_a_spec_the_sandbox_cannot_serve_exits_2_saying_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Any, content: str | None, says: str
) -> None:
    from conftest import ROOT

    spec = tmp_path / "spec.yaml"
    if content is None:  # ours, with a role name arize-orgs does not know
        content = (ROOT / "openapi.yaml").read_text().replace("READ_ONLY", "VIEWER")
    spec.write_text(content)
    code, _, err = run(capsys, "sandbox", "--spec", str(spec))
    assert code == 2
    assert says in err and "please report" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["sandbox", "demo"])
def test_sandbox_commands_without_the_extra_say_how_to_install_it(command: str) -> None:
    # uvicorn missing, as after `pip install 'arize-orgs[cli]'` alone.
    code = (
        "import sys; sys.modules['uvicorn'] = None\n"
        f"from arize_orgs.cli import main; main([{command!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "arize-orgs: error: this command runs the sandbox, which needs its extra: "
        "pip install 'arize-orgs[cli,sandbox]'"
    ]
