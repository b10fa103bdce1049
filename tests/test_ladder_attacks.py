"""What an attack on the access ladder found, kept found: ids from a
misbehaving server never steer a request to another endpoint, a listing
never lends a write to an organization the caller did not name, a page that
hides its rest is refused, and an interrupted listing loses no row."""

from __future__ import annotations

import base64
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from simulated import ORG, SimulatedArize, run_rows

from arize_orgs import OrgClient, _wire
from arize_orgs.errors import APIResponseValidationError, InvalidInputError
from arize_orgs.records import Space

from fakes import KEY, USER, Script, membership, space_membership, user

ACME = base64.b64encode(b"AccountOrganization:7").decode()
OTHER = base64.b64encode(b"AccountOrganization:9").decode()
PROD = base64.b64encode(b"Space:3").decode()


def page(key: str, items: list[dict[str, Any]], **pagination: Any) -> httpx.Response:
    return httpx.Response(200, json={key: items, "pagination": pagination})


def client(script: Script) -> OrgClient:
    return OrgClient(KEY, base_url="https://api.arize.test", transport=script.transport())


@pytest.mark.parametrize("bad", ["..", ".", ""])
def test_an_id_from_the_server_never_names_another_endpoint(bad: str) -> None:
    # The listing answers a space whose id is '..': DELETE /v2/spaces/../users/U
    # would reach DELETE /v2/users/U, which blocks the account for good.
    # (The listing's reader refuses it now; the path check stands behind it.)
    script = Script(page("spaces", [{"id": bad, "name": "prod", "organization_id": ACME}]))
    with client(script) as c, pytest.raises(APIResponseValidationError, match="no id"):
        c.spaces.remove_user("prod", USER, org=ACME)
    assert [r.method for r in script.requests] == ["GET"]


def test_a_user_id_of_dots_from_a_look_up_is_refused_before_the_delete() -> None:
    script = Script(page("users", [user("member", uid="..")]))
    with client(script) as c, pytest.raises(InvalidInputError, match="not an id"):
        c.remove_user(ACME, "jane@acme.test")
    assert [r.method for r in script.requests] == ["GET"]


def test_every_built_path_has_its_templates_shape() -> None:
    call = _wire.remove_request(ACME, USER)
    assert call.request["url"].split("/")[:4] == ["", "v2", "organizations", ACME]
    with pytest.raises(InvalidInputError):
        _wire.add_space_request("..", USER, _wire.Role.MEMBER)


def test_a_listed_space_of_another_organization_gets_no_write() -> None:
    script = Script(page("spaces", [{"id": PROD, "name": "prod", "organization_id": OTHER}]))
    with client(script) as c, pytest.raises(APIResponseValidationError, match="of organization"):
        c.spaces.add_user("prod", USER, "member", org=ACME, ensure_org_role="admin")
    assert [r.method for r in script.requests] == ["GET"]


def test_a_page_that_says_it_has_more_but_gives_no_cursor_is_refused() -> None:
    script = Script(
        page("organizations", [{"id": ACME, "name": "Acme"}], has_more=True),
    )
    with client(script) as c, pytest.raises(APIResponseValidationError):
        c.add_user("Acme", USER, "member")
    assert [r.method for r in script.requests] == ["GET"]


def test_an_organization_answered_for_another_is_refused() -> None:
    script = Script(httpx.Response(200, json={"id": OTHER, "name": "Other"}))
    with client(script) as c, pytest.raises(APIResponseValidationError, match=r"not .* as asked"):
        c.organizations.get(ACME)


@pytest.mark.parametrize(
    ("space_role", "org_role"), [("member", "annotator"), ("annotator", "member")]
)
def test_an_org_role_and_a_space_role_no_account_can_hold_send_nothing(
    space_role: str, org_role: str
) -> None:
    script = Script()
    with client(script) as c, pytest.raises(InvalidInputError, match="fit no account"):
        c.spaces.add_user(PROD, USER, space_role, org=ACME, ensure_org_role=org_role)
    assert script.requests == []


def test_one_space_by_name_and_by_id_is_one_membership_in_a_bulk_file() -> None:
    sim = SimulatedArize(2)
    sim.spaces = [Space(PROD, "prod", ORG)]
    uid = sim.users[1].id
    rows = [
        {"user": uid, "role": "admin", "space": "prod"},
        {"user": uid, "role": "read-only", "space": PROD},
    ]
    run, _ = run_rows(sim, rows)
    assert [r.outcome for r in run.results] == ["invalid", "invalid"]
    assert "different roles" in (run.results[0].detail or "")
    assert not sim.space_written


def test_a_run_aborted_during_its_space_listing_reports_every_row() -> None:
    sim = SimulatedArize(3, latency=20.0)  # the listing answers after 20 s
    sim.spaces = [Space(PROD, "prod", ORG)]
    rows = [{"user": u.id, "role": "member", "space": "prod"} for u in sim.users]
    run, _ = run_rows(sim, rows, interrupt=(1.0, "abort"))
    assert run.summary.counts["not_attempted"] == 3, run.summary.counts
    assert run.summary.rows == 3
    assert not sim.order


CTRL_C_CHILD = """
import json, sys
from arize_orgs import OrgClient
from arize_orgs.sandbox import Sandbox

with Sandbox() as sb:
    org = sb.add_organization("Acme")
    prod = sb.add_space(org, "prod")
    ids = [sb.add_user(f"u{i}@acme.test") for i in range(20)]
    rows = [r for u in ids for r in ({"user": u, "role": "member"},
                                      {"user": u, "role": "member", "space": "prod"})]
    sb.latency = 0.3
    def told(result):
        print("row", flush=True)
    try:
        with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
            c.add_users("Acme", rows, concurrency=2, report=sys.argv[1], on_result=told)
        print(json.dumps({"raised": None}))
    except KeyboardInterrupt:
        print(json.dumps({"raised": "KeyboardInterrupt", "writes": len(sb.history)}))
"""


def test_ctrl_c_during_the_sync_library_run_stops_it_with_every_row_reported(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_CHILD, str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "row\n"  # the run is under way
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    said = json.loads(out.strip().splitlines()[-1])
    assert said["raised"] == "KeyboardInterrupt", err
    records = [json.loads(line) for line in report.read_text().splitlines()][1:]
    assert sorted(r["line"] for r in records) == list(range(1, 41))  # one outcome per row
    outcomes = [r["outcome"] for r in records]
    assert outcomes.count("not_attempted") >= 20, outcomes
    # Nothing was sent after the stop but what was in flight then.
    assert said["writes"] == sum(o in ("ok", "failed") for o in outcomes)


def test_a_listed_space_that_does_not_say_its_org_is_the_listings_and_no_other() -> None:
    # Listed within ACME without an organization_id, the space's own answer
    # would say OTHER: the organization add goes to ACME, the one named, and
    # no later answer is asked.
    script = Script(
        page("spaces", [{"id": PROD, "name": "prod"}]),
        membership,
        space_membership,
    )
    with client(script) as c:
        m = c.spaces.add_user("prod", USER, "member", org=ACME, ensure_org_role="admin")
    assert [(r.method, r.url.path.split("/")[2]) for r in script.requests] == [
        ("GET", "spaces"),
        ("POST", "organizations"),
        ("POST", "spaces"),
    ]
    assert script.requests[1].url.path.split("/")[3] == ACME
    assert m.organization_membership is not None


@pytest.mark.parametrize("bad", ["", " ", "..", " x"])
def test_a_listing_that_answers_no_id_is_refused_before_any_write(bad: str) -> None:
    script = Script(page("spaces", [{"id": bad, "name": "prod", "organization_id": ACME}]))
    with client(script) as c, pytest.raises(APIResponseValidationError):
        c.spaces.add_user("prod", USER, "member", org=ACME)
    assert [r.method for r in script.requests] == ["GET"]


def test_a_page_of_users_that_hides_its_rest_is_refused() -> None:
    script = Script(page("users", [], has_more=True))
    with client(script) as c, pytest.raises(APIResponseValidationError):
        c.find_user("jane@acme.test")
