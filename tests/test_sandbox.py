"""The sandbox behaves like the endpoint, over real HTTP on 127.0.0.1, and the
clients (sync and async) get every status as its typed error."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from arize_orgs import AccountRole, AsyncOrgClient, OrgClient, Role, errors
from arize_orgs.sandbox import Sandbox

from conftest import ROOT


@pytest.fixture
def world(sandbox: Sandbox) -> dict[str, str]:
    stamp = str(len(sandbox.world.users))
    return {
        "org": sandbox.add_organization(f"Org {stamp}"),
        "member": sandbox.add_user(f"m{stamp}@acme.test", account_role="member"),
        "admin": sandbox.add_user(f"a{stamp}@acme.test", account_role="admin"),
        "annotator": sandbox.add_user(f"n{stamp}@acme.test", account_role="annotator"),
    }


@pytest.fixture
def world_sandbox() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    """A sandbox of its own, for tests that turn its rate limit and clock."""
    with Sandbox() as sb:
        yield (
            sb,
            {
                "org": sb.add_organization("Own"),
                "member": sb.add_user("m@own.test", account_role="member"),
            },
        )


@pytest.fixture
def client(sandbox: Sandbox) -> Any:
    with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as c:
        yield c


def post(sb: Sandbox, org: str, body: Any, key: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key or sb.admin_key}"} if key != "" else {}
    return httpx.post(f"{sb.base_url}/v2/organizations/{org}/users", json=body, headers=headers)


# ---- the API's behaviour ---------------------------------------------------------------


def test_add_then_upsert_keeps_the_membership_id(
    sandbox: Sandbox, client: OrgClient, world: dict[str, str]
) -> None:
    first = client.add_user(world["org"], world["member"], "member")
    assert sandbox.role_of(world["org"], world["member"]) is Role.MEMBER
    second = client.add_user(world["org"], world["member"], Role.ADMIN)
    assert second.id == first.id
    assert second.role is Role.ADMIN
    assert sandbox.role_of(world["org"], world["member"]) is Role.ADMIN
    assert sandbox.role_of(world["org"], world["admin"]) is None


def test_custom_roles_are_answered_with_their_name(
    sandbox: Sandbox, client: OrgClient, world: dict[str, str]
) -> None:
    role_id = sandbox.add_custom_role("Auditor")
    m = client.add_user(world["org"], world["admin"], Role.custom(role_id))
    assert m.role == Role.custom(role_id)
    assert m.role.label == "Auditor"
    with pytest.raises(errors.NotFoundError, match="custom role"):
        client.add_user(world["org"], world["admin"], Role.custom("Um9sZTo5OTk="))


@pytest.mark.parametrize(
    ("account", "role"),
    [
        ("annotator", "member"),
        ("annotator", "admin"),
        ("member", "annotator"),
        ("admin", "annotator"),
    ],
)
def test_the_annotator_rule_is_enforced_both_ways_with_400(
    client: OrgClient, world: dict[str, str], account: str, role: str
) -> None:
    with pytest.raises(errors.BadRequestError, match="not allowed"):
        client.add_user(world["org"], world[account], role)


def test_the_annotator_rule_allows_what_the_table_allows(
    client: OrgClient, world: dict[str, str]
) -> None:
    assert client.add_user(world["org"], world["annotator"], "annotator").role is Role.ANNOTATOR
    assert client.add_user(world["org"], world["member"], "read-only").role is Role.READ_ONLY


def test_unknown_key_no_key_and_non_admin(sandbox: Sandbox, world: dict[str, str]) -> None:
    body = {"user_id": world["member"], "role": {"type": "PREDEFINED", "name": "MEMBER"}}
    for key in ("", "wrong"):
        answer = post(sandbox, world["org"], body, key=key)
        assert answer.status_code == 401
        assert answer.headers["content-type"] == "application/problem+json"
    with (
        OrgClient("wrong", base_url=sandbox.base_url) as c,
        pytest.raises(errors.AuthenticationError),
    ):
        c.add_user(world["org"], world["member"], "member")
    member = OrgClient(sandbox.member_key, base_url=sandbox.base_url)
    with member as c, pytest.raises(errors.PermissionDeniedError):
        c.add_user(world["org"], world["member"], "member")


def test_unknown_organization_or_user_is_404(client: OrgClient, world: dict[str, str]) -> None:
    with pytest.raises(errors.NotFoundError, match="organization"):
        client.add_user("QWNjb3VudE9yZ2FuaXphdGlvbjo5OTk5", world["member"], "member")
    with pytest.raises(errors.NotFoundError, match="user"):
        client.add_user(world["org"], "VXNlcjo5OTk5OQ==", "member")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": {"type": "PREDEFINED", "name": "MEMBER"}}, "user_id"),
        ({"user_id": "VXNlcjox"}, "role"),
        ({"user_id": "VXNlcjox", "role": {"type": "PREDEFINED", "name": "BOSS"}}, "role"),
        ({"user_id": "VXNlcjox", "role": {"type": "CUSTOM"}}, "role"),
        ({"user_id": 5, "role": {"type": "PREDEFINED", "name": "MEMBER"}}, "user_id"),
        ({"user_id": "VXNlcjox", "role": "boss"}, "role"),
        ([1, 2], "body"),
    ],
)
def test_a_body_off_the_schema_is_422_naming_the_field(
    sandbox: Sandbox, world: dict[str, str], body: Any, field: str
) -> None:
    answer = post(sandbox, world["org"], body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422
    assert field in problem["detail"]


def test_not_json_is_422(sandbox: Sandbox, world: dict[str, str]) -> None:
    answer = httpx.post(
        f"{sandbox.base_url}/v2/organizations/{world['org']}/users",
        content=b"{nope",
        headers={"Authorization": f"Bearer {sandbox.admin_key}"},
    )
    assert answer.status_code == 422


def test_the_seeds_bare_string_role_is_accepted(sandbox: Sandbox, world: dict[str, str]) -> None:
    answer = post(sandbox, world["org"], {"user_id": world["member"], "role": "read-only"})
    assert answer.status_code == 200
    assert answer.json()["role"] == {"type": "PREDEFINED", "name": "READ_ONLY"}


def test_users_are_found_by_partial_email_with_pagination(sandbox: Sandbox) -> None:
    ids = {sandbox.add_user(f"page{i}@paging.test") for i in range(5)}
    headers = {"Authorization": f"Bearer {sandbox.admin_key}"}
    seen: set[str] = set()
    cursor = None
    pages = 0
    while True:
        params = {"email": "PAGING.test", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{sandbox.base_url}/v2/users", params=params, headers=headers).json()
        seen |= {u["id"] for u in page["users"]}
        pages += 1
        if not page["pagination"]["has_more"]:
            break
        cursor = page["pagination"]["next_cursor"]
    assert seen == ids
    assert pages == 3
    bad = httpx.get(f"{sandbox.base_url}/v2/users", params={"limit": 0}, headers=headers)
    assert bad.status_code == 422


def test_find_user_and_check_account_through_the_client(
    sandbox: Sandbox, client: OrgClient, world: dict[str, str]
) -> None:
    email = sandbox.world.users[world["annotator"]].email
    found = client.find_user(email.upper())
    assert found.id == world["annotator"]
    assert found.account_role is AccountRole.ANNOTATOR
    assert found.status == "active"
    before = len(sandbox.request_log)
    with pytest.raises(errors.RoleRuleError):
        client.add_user(world["org"], world["annotator"], "member", check_account=True)
    assert [m for m, _, _ in sandbox.request_log[before:]] == ["GET"]
    with pytest.raises(errors.InvalidInputError, match="no user"):
        client.find_user("nobody@nowhere.test")


# ---- knobs -----------------------------------------------------------------------------


def test_injected_faults_are_first_in_first_out_and_retried(
    sandbox: Sandbox, client: OrgClient, world: dict[str, str]
) -> None:
    before = len(sandbox.request_log)
    sandbox.fail_next(503, times=2)
    sandbox.fail_next(429, retry_after=1)
    assert client.with_options(max_retries=3).add_user(world["org"], world["member"], "member")
    assert [s for _, _, s in sandbox.request_log[before:]] == [503, 503, 429, 200]


def test_faults_beyond_the_retries_raise_the_typed_error(
    sandbox: Sandbox, client: OrgClient, world: dict[str, str]
) -> None:
    sandbox.fail_next(502, times=3)
    with pytest.raises(errors.InternalServerError):
        client.add_user(world["org"], world["member"], "member")
    sandbox.fail_next(429, retry_after=120)
    with pytest.raises(errors.RateLimitError) as info:
        client.add_user(world["org"], world["member"], "member")
    assert info.value.retry_after == 120


def test_latency_is_added_to_every_answer(sandbox: Sandbox, world: dict[str, str]) -> None:
    import time

    sandbox.latency = 0.2
    try:
        start = time.perf_counter()
        post(sandbox, world["org"], {"user_id": world["member"], "role": "member"})
        assert time.perf_counter() - start >= 0.2
    finally:
        sandbox.latency = 0.0


class FakeClock:
    """The sandbox's clock, moved by hand: windows are crossed exactly when
    the test says, however slow the machine."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("retry_after", [True, False])
def test_the_101st_write_of_a_window_is_429_while_reads_still_pass(
    world_sandbox: tuple[Sandbox, dict[str, str]], retry_after: bool
) -> None:
    sb, world = world_sandbox
    sb.clock = clock = FakeClock(1000.0)  # 1000 s: the start of a 60 s window
    sb.set_rate_limit(100, per=60, retry_after=retry_after)
    body = {"user_id": world["member"], "role": "member"}
    with httpx.Client(headers={"Authorization": f"Bearer {sb.admin_key}"}) as http:
        writes = [
            http.post(f"{sb.base_url}/v2/organizations/{world['org']}/users", json=body)
            for _ in range(101)
        ]
        clock.now = 1019.5  # the same window, 20.5 s before its end
        refused = http.post(f"{sb.base_url}/v2/organizations/{world['org']}/users", json=body)
        listed = http.get(f"{sb.base_url}/v2/users", params={"email": "member"})
        one = http.get(f"{sb.base_url}/v2/users/{world['member']}")
        clock.now = 1020.0  # the next window
        again = http.post(f"{sb.base_url}/v2/organizations/{world['org']}/users", json=body)
    assert [w.status_code for w in writes] == [200] * 100 + [429]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    if retry_after:
        assert writes[-1].headers["retry-after"] == "20"  # whole seconds to the window's end
        assert refused.headers["retry-after"] == "1"  # 0.5 s, rounded up
    else:
        assert "retry-after" not in refused.headers
    # Other endpoints have budgets of their own.
    assert (listed.status_code, one.status_code) == (200, 200)
    assert again.status_code == 200


def test_short_windows_open_again_in_real_time(
    world_sandbox: tuple[Sandbox, dict[str, str]],
) -> None:
    sb, world = world_sandbox
    sb.clock = clock = FakeClock(50.0)
    sb.set_rate_limit(5, per=1.0)
    body = {"user_id": world["member"], "role": "member"}
    statuses = [post(sb, world["org"], body).status_code for _ in range(6)]
    clock.now = 51.0
    statuses.append(post(sb, world["org"], body).status_code)
    assert statuses == [200] * 5 + [429, 200]
    sb.set_rate_limit(None)
    assert all(post(sb, world["org"], body).status_code == 200 for _ in range(10))


def test_a_users_keys_share_one_budget_and_other_users_have_their_own(
    world_sandbox: tuple[Sandbox, dict[str, str]],
) -> None:
    sb, world = world_sandbox
    sb.clock = FakeClock(0.0)
    sb.set_rate_limit(2, per=60)
    second_key = sb.add_api_key()  # the same admin user
    member_key = sb.member_key  # another user (answered 403, but counted apart)
    body = {"user_id": world["member"], "role": "member"}
    assert post(sb, world["org"], body).status_code == 200
    assert post(sb, world["org"], body, key=second_key).status_code == 200
    assert post(sb, world["org"], body, key=second_key).status_code == 429
    assert post(sb, world["org"], body, key=member_key).status_code == 403


def test_the_client_rides_a_429_and_explains_one_it_cannot_wait_for(
    world_sandbox: tuple[Sandbox, dict[str, str]],
) -> None:
    sb, world = world_sandbox
    sb.clock = clock = FakeClock(0.0)
    sb.set_rate_limit(1, per=3600)
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        c.add_user(world["org"], world["member"], "member")
        with pytest.raises(errors.RateLimitError) as caught:
            c.add_user(world["org"], world["member"], "member")
    assert caught.value.retry_after == 3600  # beyond the 60 s the client waits
    assert "lower the request rate" in str(caught.value)
    clock.now = 3600.0
    with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
        assert c.add_user(world["org"], world["member"], "admin").role is Role.ADMIN


def test_concurrent_writes_keep_state_consistent(sandbox: Sandbox, world: dict[str, str]) -> None:
    users = [sandbox.add_user(f"c{i}@conc.test") for i in range(40)]
    roles = ["member", "admin", "read-only"]

    def work(chunk: list[str]) -> None:
        with OrgClient(sandbox.admin_key, base_url=sandbox.base_url) as c:
            for i, uid in enumerate(chunk):
                c.add_user(world["org"], uid, roles[i % 3])

    threads = [threading.Thread(target=work, args=(users[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    members = sandbox.memberships(world["org"])
    assert all(
        members[uid] == Role.parse(roles[users[i::4].index(uid) % 3])
        for i in range(4)
        for uid in users[i::4]
    )
    ids = [sandbox.world.memberships[(world["org"], u)].id for u in users]
    assert len(set(ids)) == len(users)


# ---- async, against the same server ---------------------------------------------------


@pytest.mark.anyio
async def test_async_client_against_the_sandbox(sandbox: Sandbox, world: dict[str, str]) -> None:
    async with AsyncOrgClient(sandbox.admin_key, base_url=sandbox.base_url) as c:
        m = await c.add_user(world["org"], world["admin"], "Admin")
        assert m.role is Role.ADMIN
        with pytest.raises(errors.BadRequestError):
            await c.add_user(world["org"], world["annotator"], "member")
        with pytest.raises(errors.NotFoundError):
            await c.add_user(world["org"], "VXNlcjo5OTk5OQ==", "member")
        sandbox.fail_next(503)
        assert (await c.add_user(world["org"], world["member"], "member")).role is Role.MEMBER
        user = await c.find_user(sandbox.world.users[world["admin"]].email)
        assert user.account_role is AccountRole.ADMIN
    async with AsyncOrgClient("nope", base_url=sandbox.base_url) as c:
        with pytest.raises(errors.AuthenticationError):
            await c.add_user(world["org"], world["member"], "member")


# ---- another spelling ------------------------------------------------------------------


def test_the_default_sandbox_speaks_the_live_spelling(sandbox: Sandbox) -> None:
    org, uid = sandbox.add_organization("Live"), sandbox.add_user("u@live.test")
    ok = post(sandbox, org, {"user_id": uid, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}})
    assert ok.status_code == 200
    assert ok.json()["role"] == {"type": "PREDEFINED", "name": "READ_ONLY"}
    seed = post(sandbox, org, {"user_id": uid, "role": {"type": "predefined", "name": "member"}})
    assert seed.status_code == 422
    user = httpx.get(
        f"{sandbox.base_url}/v2/users/{uid}",
        headers={"Authorization": f"Bearer {sandbox.admin_key}"},
    ).json()
    assert (user["status"], user["role"]) == ("ACTIVE", {"type": "PREDEFINED", "name": "MEMBER"})


def test_a_seed_sandbox_speaks_lower_case_and_our_client_reads_it() -> None:
    with Sandbox(spelling="seed") as sb:
        org, uid = sb.add_organization("Seed"), sb.add_user("u@seed.test", "annotator")
        body = {"user_id": uid, "role": {"type": "predefined", "name": "annotator"}}
        ok = post(sb, org, body)
        assert ok.status_code == 200
        assert ok.json()["role"] == {"type": "predefined", "name": "annotator"}
        assert sb.role_of(org, uid) is Role.ANNOTATOR
        live = post(sb, org, {"user_id": uid, "role": {"type": "PREDEFINED", "name": "ANNOTATOR"}})
        assert live.status_code == 422
        user = httpx.get(
            f"{sb.base_url}/v2/users/{uid}", headers={"Authorization": f"Bearer {sb.admin_key}"}
        ).json()
        assert (user["status"], user["role"]) == (
            "active",
            {"type": "predefined", "name": "annotator"},
        )
        # Our client reads the seed's spelling too (tolerant coming in).
        with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
            found = c.get_user(uid)
            assert found.account_role is AccountRole.ANNOTATOR
            assert found.account_role.known


def test_a_sandbox_without_custom_roles_answers_422_and_the_client_says_why() -> None:
    with Sandbox(custom_roles=False) as sb:
        org, uid = sb.add_organization("Acme"), sb.add_user("u@acme.test")
        role_id = sb.add_custom_role("Auditor")
        with OrgClient(sb.admin_key, base_url=sb.base_url) as c:
            with pytest.raises(errors.UnprocessableEntityError) as caught:
                c.add_user(org, uid, Role.custom(role_id))
            assert c.add_user(org, uid, "member").role is Role.MEMBER
    message = str(caught.value)
    assert "custom organization role" in message
    assert "use a predefined role" in message
    assert all(name in (caught.value.detail or "") for name in ("ADMIN", "READ_ONLY"))
    assert sb.role_of(org, uid) is Role.MEMBER


def test_a_422_for_a_predefined_role_keeps_the_generic_advice() -> None:
    with Sandbox(spelling="seed") as seed, OrgClient(seed.admin_key, base_url=seed.base_url) as c:
        org, uid = seed.add_organization("Seed"), seed.add_user("v@seed.test")
        with pytest.raises(errors.UnprocessableEntityError) as caught:
            c.add_user(org, uid, "member")  # the live spelling, to a seed server
    assert "custom" not in str(caught.value)
    assert "upgrade arize-orgs" in str(caught.value)


def test_the_packaged_spec_is_the_repository_one() -> None:
    from arize_orgs.sandbox.spec import default_spec_path

    assert default_spec_path().read_bytes() == (ROOT / "openapi.yaml").read_bytes()


@pytest.mark.parametrize(
    ("requests", "per"), [(0, 60), (-1, 60), (True, 60), (1.5, 60), (5, 0), (5, 5e-324), (5, True)]
)
def test_a_rate_limit_the_sandbox_cannot_count_is_refused(requests: Any, per: Any) -> None:
    with pytest.raises(ValueError, match="must be"):
        Sandbox().set_rate_limit(requests, per)


def test_a_clock_that_goes_back_never_reopens_a_full_window() -> None:
    from arize_orgs.sandbox.app import Knobs, RateLimit

    readings = iter([1.0, 0.999, 1.0, 1.0, 1.5, 2.0])
    knobs = Knobs(clock=lambda: next(readings))
    knobs.set_rate_limit(RateLimit(2, 1.0))
    answers = [knobs.over_rate("u", "E") for _ in range(6)]
    assert answers[:2] == [None, None]  # 1.0 and 0.999 (an earlier window: counted in this one)
    assert answers[2] is not None and answers[3] is not None and answers[4] is not None
    assert answers[4][1] == pytest.approx(0.5)  # 0.5 s to the end of the window
    assert answers[5] is None  # 2.0: the next window


def test_every_nth_request_fails_as_told() -> None:
    with Sandbox() as sb:
        org, uid = sb.add_organization("Every"), sb.add_user("e@every.test")
        sb.fail_every(3, 429, retry_after=2)
        answers = [post(sb, org, {"user_id": uid, "role": "member"}) for _ in range(7)]
        sb.fail_every(None)
        after = post(sb, org, {"user_id": uid, "role": "member"})
    assert [a.status_code for a in answers] == [200, 200, 429, 200, 200, 429, 200]
    assert answers[2].headers["retry-after"] == "2"
    assert after.status_code == 200


def test_the_seed_variant_respells_values_everywhere_but_in_prose() -> None:
    from arize_orgs.sandbox.spec import seed_variant

    doc = {
        "info": {"title": "T", "description": "Roles: ADMIN or MEMBER."},
        "components": {
            "schemas": {
                "R": {"type": "string", "enum": ["ADMIN", "READ_ONLY"], "example": "ADMIN"},
                "K": {"const": "READ_ONLY", "description": "ADMIN", "default": "ADMIN"},
                "U": {
                    "oneOf": [{"$ref": "#/x"}],
                    "discriminator": {"propertyName": "type", "mapping": {"ADMIN": "#/x"}},
                },
                "E": {"examples": ["READ_ONLY", "other"], "title": "READ_ONLY"},
            }
        },
    }
    schemas = seed_variant(doc)["components"]["schemas"]
    assert schemas["R"] == {"type": "string", "enum": ["admin", "read-only"], "example": "admin"}
    assert schemas["K"] == {"const": "read-only", "description": "ADMIN", "default": "admin"}
    assert schemas["U"]["discriminator"]["mapping"] == {"admin": "#/x"}
    assert schemas["E"] == {"examples": ["read-only", "other"], "title": "READ_ONLY"}


def test_a_path_no_route_serves_and_a_method_none_takes_are_problem_documents(
    sandbox: Sandbox, world: dict[str, str]
) -> None:
    """Starlette's own 404 and 405 are plain text; the spec documents a
    problem document for every error. (Found by the fuzzing: an org id with
    a line break matches no route.)"""
    auth = {"Authorization": f"Bearer {sandbox.admin_key}"}
    body = {"user_id": world["member"], "role": {"type": "PREDEFINED", "name": "MEMBER"}}
    answer = httpx.post(f"{sandbox.base_url}/v2/organizations/a%0Ab/users", json=body, headers=auth)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "nothing is served at POST /v2/organizations/a\nb/users",
        "instance": "/v2/organizations/a\nb/users",
    }
    answer = httpx.put(f"{sandbox.base_url}/v2/users", json=body, headers=auth)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["allow"] == "GET, HEAD, POST"  # of every route at this path
    assert answer.json()["title"] == "Method Not Allowed"
    assert answer.json()["detail"] == "PUT is not served at /v2/users; it takes GET, HEAD, POST"
