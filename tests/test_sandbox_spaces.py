"""The sandbox's spaces, organization and role listings, over real HTTP on
127.0.0.1, with the rules of Arize's API: space membership only for members
of the space's organization (400 otherwise, nothing written), upserts, the
annotator rule both ways, removals, cursor paging, name filters, the roles
listing's permission, a rate budget per endpoint, and the history of writes
in the order they were answered."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from arize_orgs import OrgClient, Role, errors
from arize_orgs.operations.spaces import not_in_org
from arize_orgs.sandbox import Sandbox, Write

_stamps = itertools.count()

ADD_ORG = "POST /v2/organizations/{org_id}/users"
ADD_SPACE = "POST /v2/spaces/{space_id}/users"


def predefined(name: str) -> dict[str, str]:
    return {"type": "PREDEFINED", "name": name}


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """The account admin's key, against the module's sandbox."""
    headers = {"Authorization": f"Bearer {sandbox.admin_key}"}
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as client:
        yield client


@pytest.fixture
def world(sandbox: Sandbox) -> dict[str, str]:
    """An organization of its own with two spaces, an organization beside it,
    and one user of each account role (none a member of anything yet)."""
    n = next(_stamps)
    org = sandbox.add_organization(f"Spaces {n}")
    other = sandbox.add_organization(f"Other {n}")
    return {
        "org": org,
        "prod": sandbox.add_space(org, "prod"),
        "staging": sandbox.add_space(org, "staging"),
        "other": other,
        "elsewhere": sandbox.add_space(other, "prod"),
        "member": sandbox.add_user(f"m{n}@spaces.test", account_role="member"),
        "admin": sandbox.add_user(f"a{n}@spaces.test", account_role="admin"),
        "annotator": sandbox.add_user(f"n{n}@spaces.test", account_role="annotator"),
    }


def join_org(http: httpx.Client, org: str, user: str, role: str = "MEMBER") -> None:
    answer = http.post(
        f"/v2/organizations/{org}/users", json={"user_id": user, "role": predefined(role)}
    )
    assert answer.status_code == 200, answer.text


def add_to_space(http: httpx.Client, space: str, user: str, role: Any) -> httpx.Response:
    body = {"user_id": user, "role": predefined(role) if isinstance(role, str) else role}
    return http.post(f"/v2/spaces/{space}/users", json=body)


class FakeClock:
    """The sandbox's clock, moved by hand: windows end when the test says."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# ---- space membership ------------------------------------------------------------------


def test_a_user_outside_the_organization_is_400_and_nothing_is_written(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    before = len(sandbox.history)
    answer = add_to_space(http, world["prod"], world["member"], "READ_ONLY")
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["title"] == "Bad Request"
    assert "not a member of organization" in problem["detail"]
    assert world["org"] in problem["detail"] and world["prod"] in problem["detail"]
    assert sandbox.space_members(world["prod"]) == {}
    assert sandbox.role_of(world["org"], world["member"]) is None  # no auto-enrolment
    assert [(w.endpoint, w.status) for w in sandbox.history[before:]] == [(ADD_SPACE, 400)]
    # Being in another organization's space does not count either.
    join_org(http, world["other"], world["member"])
    assert add_to_space(http, world["prod"], world["member"], "MEMBER").status_code == 400


def test_the_client_reads_the_400_as_not_an_organization_member(
    sandbox: Sandbox, world: dict[str, str]
) -> None:
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
        with pytest.raises(errors.BadRequestError) as caught:
            client.spaces.add_user(world["prod"], world["member"], "read-only")
        assert not_in_org(caught.value)  # the client's test and the sandbox's words agree
        assert "add them to the organization first" in str(caught.value)
        m = client.spaces.add_user(
            world["prod"], world["member"], "read-only", ensure_org_role="member"
        )
    assert m.role is Role.READ_ONLY
    assert sandbox.role_of(world["org"], world["member"]) is Role.MEMBER
    assert sandbox.space_role_of(world["prod"], world["member"]) is Role.READ_ONLY


def test_adding_again_is_an_upsert_that_keeps_the_membership_id(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    join_org(http, world["org"], world["member"])
    first = add_to_space(http, world["prod"], world["member"], "READ_ONLY")
    second = add_to_space(http, world["prod"], world["member"], "ADMIN")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == {
        "id": first.json()["id"],
        "user_id": world["member"],
        "space_id": world["prod"],
        "role": predefined("READ_ONLY"),
    }
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["role"] == predefined("ADMIN")
    assert sandbox.space_members(world["prod"]) == {world["member"]: Role.ADMIN}
    assert sandbox.space_role_of(world["staging"], world["member"]) is None


@pytest.mark.parametrize(
    ("account", "role"),
    [
        ("annotator", "MEMBER"),
        ("annotator", "ADMIN"),
        ("member", "ANNOTATOR"),
        ("admin", "ANNOTATOR"),
    ],
)
def test_the_annotator_rule_holds_in_spaces_both_ways(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str], account: str, role: str
) -> None:
    allowed = "ANNOTATOR" if account == "annotator" else "MEMBER"
    join_org(http, world["org"], world[account], allowed)
    answer = add_to_space(http, world["prod"], world[account], role)
    assert answer.status_code == 400
    assert "not allowed" in answer.json()["detail"]
    assert sandbox.space_role_of(world["prod"], world[account]) is None
    assert add_to_space(http, world["prod"], world[account], allowed).status_code == 200


def test_an_annotator_account_may_not_hold_a_custom_space_role(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    role_id = sandbox.add_custom_role("Space auditor")
    join_org(http, world["org"], world["annotator"], "ANNOTATOR")
    join_org(http, world["org"], world["member"])
    custom = {"type": "CUSTOM", "id": role_id}
    assert add_to_space(http, world["prod"], world["annotator"], custom).status_code == 400
    given = add_to_space(http, world["prod"], world["member"], custom)
    assert given.status_code == 200
    assert given.json()["role"] == {"type": "CUSTOM", "id": role_id, "name": "Space auditor"}
    unknown = add_to_space(
        http, world["prod"], world["member"], {"type": "CUSTOM", "id": "Um9sZTo5OTk5"}
    )
    assert unknown.status_code == 404
    assert "custom role" in unknown.json()["detail"]


def test_unknown_spaces_and_users_are_404_and_a_non_admin_key_403(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    assert add_to_space(http, "U3BhY2U6OTk5OTk=", world["member"], "MEMBER").status_code == 404
    assert add_to_space(http, world["prod"], "VXNlcjo5OTk5OQ==", "MEMBER").status_code == 404
    join_org(http, world["org"], world["member"])
    refused = httpx.post(
        f"{sandbox.base_url}/v2/spaces/{world['prod']}/users",
        json={"user_id": world["member"], "role": predefined("MEMBER")},
        headers={"Authorization": f"Bearer {sandbox.member_key}"},
    )
    assert refused.status_code == 403
    assert sandbox.space_members(world["prod"]) == {}
    seed_spelling = add_to_space(
        http, world["prod"], world["member"], {"type": "predefined", "name": "member"}
    )
    assert seed_spelling.status_code == 422  # the live spelling only, as the API is served


def test_removing_a_space_member_is_204_then_404_and_the_organization_stays(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    join_org(http, world["org"], world["member"])
    assert add_to_space(http, world["prod"], world["member"], "MEMBER").status_code == 200
    gone = http.delete(f"/v2/spaces/{world['prod']}/users/{world['member']}")
    again = http.delete(f"/v2/spaces/{world['prod']}/users/{world['member']}")
    never = http.delete(f"/v2/spaces/{world['staging']}/users/{world['admin']}")
    assert (gone.status_code, gone.content) == (204, b"")
    assert again.status_code == 404 and "not a member of space" in again.json()["detail"]
    assert never.status_code == 404
    assert sandbox.space_role_of(world["prod"], world["member"]) is None
    assert sandbox.role_of(world["org"], world["member"]) is Role.MEMBER


def test_leaving_the_organization_leaves_its_spaces_and_no_others(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    user = world["member"]
    join_org(http, world["org"], user)
    join_org(http, world["other"], user)
    for space in ("prod", "staging", "elsewhere"):
        assert add_to_space(http, world[space], user, "MEMBER").status_code == 200
    assert http.delete(f"/v2/organizations/{world['org']}/users/{user}").status_code == 204
    assert sandbox.space_role_of(world["prod"], user) is None
    assert sandbox.space_role_of(world["staging"], user) is None
    assert sandbox.space_role_of(world["elsewhere"], user) is Role.MEMBER
    assert http.delete(f"/v2/spaces/{world['prod']}/users/{user}").status_code == 404
    assert (world["org"], user) in sandbox.removals


def test_faults_reach_the_space_endpoints_and_write_nothing(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    join_org(http, world["org"], world["member"])
    before = len(sandbox.history)
    sandbox.fail_next(503)
    assert add_to_space(http, world["prod"], world["member"], "MEMBER").status_code == 503
    assert sandbox.space_members(world["prod"]) == {}
    assert sandbox.history[before:] == []  # the fault answered before the API did
    sandbox.fail_next(502)
    assert http.get("/v2/spaces", params={"org_id": world["org"]}).status_code == 502


def test_a_seed_sandbox_speaks_lower_case_on_the_space_endpoints_too() -> None:
    with (
        Sandbox(spelling="seed") as sb,
        httpx.Client(
            base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.admin_key}"}
        ) as http,
    ):
        org = sb.add_organization("Seed")
        space = sb.add_space(org, "prod")
        uid = sb.add_user("u@seed.test")
        joined = http.post(
            f"/v2/organizations/{org}/users",
            json={"user_id": uid, "role": {"type": "predefined", "name": "member"}},
        )
        assert joined.status_code == 200
        seed = add_to_space(http, space, uid, {"type": "predefined", "name": "read-only"})
        live = add_to_space(http, space, uid, "READ_ONLY")
    assert seed.status_code == 200
    assert seed.json()["role"] == {"type": "predefined", "name": "read-only"}
    assert live.status_code == 422
    assert sb.space_role_of(space, uid) is Role.READ_ONLY


# ---- listings --------------------------------------------------------------------------


def every_page(
    http: httpx.Client, path: str, key: str, **params: Any
) -> list[list[dict[str, Any]]]:
    """Each page of a listing, following next_cursor to the end."""
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        answer = http.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        pages.append(body[key])
        if not body["pagination"]["has_more"]:
            assert body["pagination"].get("next_cursor") is None
            return pages
        cursor = body["pagination"]["next_cursor"]
        assert isinstance(cursor, str) and cursor


def test_organizations_page_by_cursor_and_filter_by_name_ignoring_case(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    made = [sandbox.add_organization(f"Paged Org {i}", description=f"no. {i}") for i in range(5)]
    sandbox.add_organization("Unrelated")
    pages = every_page(http, "/v2/organizations", "organizations", name="pAGED org", limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [o["id"] for p in pages for o in p] == made
    first = pages[0][0]
    assert set(first) == {"id", "name", "description", "created_at"}
    assert (first["name"], first["description"]) == ("Paged Org 0", "no. 0")
    one = http.get(f"/v2/organizations/{made[3]}")
    assert one.status_code == 200 and one.json()["name"] == "Paged Org 3"
    assert http.get("/v2/organizations/QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5").status_code == 404
    # Exactly one page: no cursor.
    whole = http.get("/v2/organizations", params={"name": "paged org", "limit": 5}).json()
    assert whole["pagination"] == {"has_more": False}


def test_spaces_page_within_an_organization_and_filter_by_name(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    extra = [sandbox.add_space(world["org"], f"Team {i}", is_private=i == 0) for i in range(4)]
    pages = every_page(http, "/v2/spaces", "spaces", org_id=world["org"], limit=2)
    assert [len(p) for p in pages] == [2, 2, 2]
    assert [s["id"] for p in pages for s in p] == [world["prod"], world["staging"], *extra]
    assert all(s["organization_id"] == world["org"] for p in pages for s in p)
    assert pages[1][0]["is_private"] is True
    assert set(pages[0][0]) == {"id", "organization_id", "name", "created_at", "is_private"}
    named = http.get("/v2/spaces", params={"org_id": world["org"], "name": "PRO"}).json()
    assert [s["id"] for s in named["spaces"]] == [world["prod"]]  # not the other org's prod
    everywhere = http.get("/v2/spaces", params={"name": "prod", "limit": 100}).json()["spaces"]
    assert {world["prod"], world["elsewhere"]} <= {s["id"] for s in everywhere}
    one = http.get(f"/v2/spaces/{world['staging']}").json()
    assert (one["name"], one["organization_id"]) == ("staging", world["org"])


def test_an_unknown_organization_or_space_is_404(http: httpx.Client) -> None:
    listed = http.get("/v2/spaces", params={"org_id": "QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5"})
    assert listed.status_code == 404
    assert listed.headers["content-type"] == "application/problem+json"
    assert "organization" in listed.json()["detail"]
    assert http.get("/v2/spaces/U3BhY2U6OTk5OTk=").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/v2/organizations", {"limit": 101}, 422),
        ("/v2/spaces", {"limit": 0}, 422),
        ("/v2/roles", {"limit": "many"}, 422),
        ("/v2/roles", {"is_predefined": "maybe"}, 422),
        ("/v2/spaces", {"org_id": ""}, 422),
        ("/v2/organizations", {"cursor": "not-ours"}, 400),
        ("/v2/spaces", {"cursor": "YWZ0ZXI6bm9uZQ=="}, 400),  # after:none: no such item
    ],
)
def test_listing_parameters_outside_the_spec_are_refused(
    http: httpx.Client, path: str, params: dict[str, Any], status: int
) -> None:
    answer = http.get(path, params=params)
    assert answer.status_code == status
    assert answer.json()["status"] == status


def test_a_cursor_from_another_filter_is_refused(sandbox: Sandbox, http: httpx.Client) -> None:
    for i in range(3):
        sandbox.add_organization(f"Cursor A{i}")
    cursor = http.get("/v2/organizations", params={"name": "cursor a", "limit": 1}).json()[
        "pagination"
    ]["next_cursor"]
    assert (
        http.get("/v2/organizations", params={"name": "zzz", "cursor": cursor}).status_code == 400
    )


def test_what_a_member_key_sees(
    sandbox: Sandbox, http: httpx.Client, world: dict[str, str]
) -> None:
    member = {"Authorization": f"Bearer {sandbox.member_key}"}
    hidden = sandbox.add_space(world["org"], "secret", is_private=True)
    with httpx.Client(base_url=sandbox.base_url, headers=member) as theirs:
        assert world["org"] not in {
            o["id"] for o in theirs.get("/v2/organizations").json()["organizations"]
        }
        assert theirs.get(f"/v2/organizations/{world['org']}").status_code == 403
        member_user = sandbox.world.keys[sandbox.member_key].user_id
        join_org(http, world["org"], member_user)
        orgs = theirs.get("/v2/organizations").json()["organizations"]
        assert world["org"] in {o["id"] for o in orgs}
        spaces = theirs.get("/v2/spaces", params={"org_id": world["org"]}).json()["spaces"]
        assert {s["id"] for s in spaces} == {world["prod"], world["staging"]}  # not the private one
        assert theirs.get(f"/v2/spaces/{hidden}").status_code == 403
        assert add_to_space(http, hidden, member_user, "READ_ONLY").status_code == 200
        assert theirs.get(f"/v2/spaces/{hidden}").status_code == 200


# ---- roles -----------------------------------------------------------------------------


def test_roles_list_the_predefined_and_the_custom_ones_in_pages() -> None:
    with (
        Sandbox() as sb,
        httpx.Client(
            base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.admin_key}"}
        ) as http,
    ):
        custom = [sb.add_custom_role(f"Custom {i}", permissions=["ROLE_READ"]) for i in range(2)]
        pages = every_page(http, "/v2/roles", "roles", limit=2)
        assert [len(p) for p in pages] == [2, 2, 2]
        roles = [r for p in pages for r in p]
        assert [r["is_predefined"] for r in roles] == [True] * 4 + [False] * 2
        assert [Role.predefined(r["name"]) for r in roles[:4]] == [
            Role.ADMIN,
            Role.MEMBER,
            Role.READ_ONLY,
            Role.ANNOTATOR,
        ]
        assert [r["id"] for r in roles[4:]] == custom
        assert roles[4]["permissions"] == ["ROLE_READ"]
        assert set(roles[0]) >= {
            "id",
            "name",
            "permissions",
            "is_predefined",
            "created_at",
            "updated_at",
        }
        only_custom = http.get("/v2/roles", params={"is_predefined": "false"}).json()["roles"]
        assert [r["name"] for r in only_custom] == ["Custom 0", "Custom 1"]
        only_predefined = http.get("/v2/roles", params={"is_predefined": "true"}).json()["roles"]
        assert len(only_predefined) == 4
        refused = httpx.get(
            f"{sb.base_url}/v2/roles", headers={"Authorization": f"Bearer {sb.member_key}"}
        )
    assert refused.status_code == 403
    assert "ROLE_READ" in refused.json()["detail"]


# ---- rate budgets ----------------------------------------------------------------------


def test_each_endpoint_has_a_rate_budget_of_its_own() -> None:
    with (
        Sandbox() as sb,
        httpx.Client(
            base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.admin_key}"}
        ) as http,
    ):
        org = sb.add_organization("Budgets")
        space = sb.add_space(org, "prod")
        users = [sb.add_user(f"b{i}@budget.test") for i in range(3)]
        sb.clock = clock = FakeClock(120.0)  # the start of a 60 s window
        sb.set_rate_limit(2, per=60)

        def org_add(user: str) -> int:
            body = {"user_id": user, "role": predefined("MEMBER")}
            return http.post(f"/v2/organizations/{org}/users", json=body).status_code

        def space_add(user: str) -> int:
            return add_to_space(http, space, user, "MEMBER").status_code

        assert [org_add(u) for u in users] == [200, 200, 429]
        # The organization endpoint's budget is spent; the space endpoint's is whole.
        assert [space_add(u) for u in users] == [200, 200, 429]
        for listing in ("/v2/organizations", "/v2/spaces", "/v2/roles"):
            assert [http.get(listing).status_code for _ in range(3)] == [200, 200, 429]
        assert http.get(f"/v2/spaces/{space}").status_code == 200
        assert http.get(f"/v2/organizations/{org}").status_code == 200
        removed = http.delete(f"/v2/spaces/{space}/users/{users[0]}")
        assert removed.status_code == 204  # its own budget too
        clock.now = 150.0
        late = http.post(
            f"/v2/spaces/{space}/users", json={"user_id": users[2], "role": predefined("MEMBER")}
        )
        assert late.status_code == 429
        assert late.headers["retry-after"] == "30"  # whole seconds to the window's end
        assert "POST /v2/spaces/{space_id}/users" in late.json()["detail"]
        clock.now = 180.0  # the next window: every budget whole again
        assert org_add(users[2]) == 200
        assert space_add(users[2]) == 200


# ---- the history of writes -------------------------------------------------------------


def test_the_history_records_every_write_answered_in_order(tmp_path: Path) -> None:
    with (
        Sandbox() as sb,
        httpx.Client(
            base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.admin_key}"}
        ) as http,
    ):
        sb.clock = FakeClock(7.5)
        org = sb.add_organization("History")
        space = sb.add_space(org, "prod")
        jane = sb.add_user("jane@history.test")
        assert add_to_space(http, space, jane, "MEMBER").status_code == 400
        join_org(http, org, jane)
        assert add_to_space(http, space, jane, "MEMBER").status_code == 200
        assert http.delete(f"/v2/organizations/{org}/users/{jane}").status_code == 204
        invited = http.post(
            "/v2/users",
            json={"email": "new@history.test", "role": predefined("MEMBER"), "invite_mode": "NONE"},
        )
        assert invited.status_code == 201
        http.get("/v2/spaces")  # reads are not writes
        history = sb.history
        lines = sb.write_history(tmp_path / "history.jsonl")
    assert history == [
        Write(ADD_SPACE, None, space, jane, 400, 7.5),
        Write(ADD_ORG, org, None, jane, 200, 7.5),
        Write(ADD_SPACE, None, space, jane, 200, 7.5),
        Write("DELETE /v2/organizations/{org_id}/users/{user_id}", org, None, jane, 204, 7.5),
        Write("POST /v2/users", None, None, invited.json()["id"], 201, 7.5),
    ]
    assert history[0].method == "POST" and not history[0].ok and history[1].ok
    with pytest.raises(AttributeError):
        history[0].status = 200  # type: ignore[misc]  # frozen
    written = [json.loads(line) for line in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert lines == len(written) == 5
    assert written[2] == {
        "method": "POST",
        "endpoint": ADD_SPACE,
        "organization_id": None,
        "space_id": space,
        "user_id": jane,
        "status": 200,
        "at": 7.5,
    }


def test_a_user_s_space_adds_follow_their_organization_add_in_the_history(
    sandbox: Sandbox, world: dict[str, str]
) -> None:
    before = len(sandbox.history)
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
        for space in ("prod", "staging"):
            client.spaces.add_user(world[space], world["admin"], "member", ensure_org_role="member")
    writes = [(w.endpoint, w.organization_id or w.space_id) for w in sandbox.history[before:]]
    assert writes == [
        (ADD_ORG, world["org"]),
        (ADD_SPACE, world["prod"]),
        (ADD_ORG, world["org"]),
        (ADD_SPACE, world["staging"]),
    ]


# ---- the command ---------------------------------------------------------------------


def test_the_sandbox_command_seeds_spaces_and_writes_its_history(tmp_path: Path) -> None:
    history = tmp_path / "history.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "arize_orgs", "sandbox", "--json", "--history", str(history)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        details = json.loads(proc.stdout.readline())
        assert set(details["spaces"]) == {"prod", "staging"}
        headers = {"Authorization": f"Bearer {details['admin_key']}"}
        with httpx.Client(base_url=details["base_url"], headers=headers) as http:
            listed = http.get("/v2/spaces", params={"org_id": details["org_id"]}).json()
            member = details["users"]["member"]
            join_org(http, details["org_id"], member)
            added = add_to_space(http, details["spaces"]["prod"], member, "READ_ONLY")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert {s["name"]: s["id"] for s in listed["spaces"]} == details["spaces"]
    assert added.status_code == 200
    assert json.loads(out.splitlines()[-1])["stopped"] is True, err
    written = [json.loads(line) for line in history.read_text().splitlines()]
    assert [(w["endpoint"], w["status"]) for w in written] == [(ADD_ORG, 200), (ADD_SPACE, 200)]


def test_a_history_file_that_cannot_be_written_exits_2_before_serving(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "arize_orgs",
            "sandbox",
            "--history",
            str(tmp_path / "no" / "h.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("arize-orgs: error: --history: cannot write")


def test_the_demo_seed_with_more_users_and_spaces_has_one_acme() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "arize_orgs", "sandbox", "--json", "--users", "2", "--space", "dev"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        details = json.loads(proc.stdout.readline())
        headers = {"Authorization": f"Bearer {details['admin_key']}"}
        with httpx.Client(base_url=details["base_url"], headers=headers) as http:
            orgs = http.get("/v2/organizations", params={"name": "Acme"}).json()["organizations"]
            spaces = http.get("/v2/spaces", params={"org_id": details["org_id"]}).json()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    # The names are unambiguous: `--org Acme` and `--space dev` resolve.
    assert [o["id"] for o in orgs] == [details["org_id"]]
    assert details["org_name"] == "Acme" and len(details["extra_users"]) == 2
    assert {s["name"]: s["id"] for s in spaces["spaces"]} == details["spaces"]
    assert set(details["spaces"]) == {"prod", "staging", "dev"}
