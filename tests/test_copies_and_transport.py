"""A client and its copies send through the transport they were given, always:
`with_options`, and the copy a bulk run works through, keep the transport,
the connections and every setting. Nothing goes to the network behind a
caller's back."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from arize_orgs import AsyncOrgClient, OrgClient, Role, errors

from fakes import KEY, ORG, USER, Script, membership, problem, user

USERS = ["VXNlcjox", "VXNlcjoy", "VXNlcjoz"]


class Recorder:
    """A transport handler that answers every write and counts what it saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.host))
        return membership(request)


def test_sync_add_users_goes_through_the_clients_own_transport() -> None:
    handler = Recorder()
    with OrgClient(KEY, transport=httpx.MockTransport(handler)) as client:
        result = client.add_users(ORG, [{"user": u, "role": "member"} for u in USERS])
    assert result.summary.counts == {"ok": 3}
    assert sorted(handler.seen) == [("POST", "api.arize.com")] * 3


def test_async_add_users_goes_through_the_clients_own_transport() -> None:
    handler = Recorder()

    async def run() -> None:
        async with AsyncOrgClient(KEY, transport=httpx.MockTransport(handler)) as client:
            result = await client.add_users(ORG, [{"user": u, "role": "admin"} for u in USERS])
            assert result.summary.counts == {"ok": 3}

    asyncio.run(run())
    assert len(handler.seen) == 3


def test_with_options_keeps_the_transport_and_changes_only_what_it_is_told() -> None:
    script = Script(problem(503), problem(503), problem(503), membership)
    client = OrgClient(KEY, transport=script.transport(), max_retries=2, base_url="http://[::1]:9")
    impatient = client.with_options(max_retries=0, timeout=3)
    with pytest.raises(errors.InternalServerError):
        impatient.add_user(ORG, USER, "member")  # one request, no retry
    assert (impatient.max_retries, impatient.timeout.read, impatient.base_url) == (
        0,
        3.0,
        "http://[::1]:9",
    )
    assert client.add_user(ORG, USER, "member").role is Role.MEMBER  # 503, 503, ok
    assert [str(r.url) for r in script.requests] == [
        f"http://[::1]:9/v2/organizations/{ORG}/users"
    ] * 4
    assert client.max_retries == 2  # the original is unchanged


def test_a_copy_shares_the_connections_and_closing_it_leaves_them_open() -> None:
    script = Script(membership, membership)
    client = OrgClient(KEY, transport=script.transport())
    copy = client.with_options(timeout=5)
    copy.close()
    assert client.add_user(ORG, USER, "member").role is Role.MEMBER
    assert copy.add_user(ORG, USER, "member").role is Role.MEMBER  # the same open connections
    client.close()
    with pytest.raises(errors.ClientClosedError, match="closed"):
        copy.add_user(ORG, USER, "member")  # ...which the original owned


def test_retry_rate_limits_false_hands_the_429_back_at_once() -> None:
    script = Script(problem(429, {"Retry-After": "1"}), problem(503), membership)
    client = OrgClient(KEY, transport=script.transport()).with_options(retry_rate_limits=False)
    with pytest.raises(errors.RateLimitError) as caught:
        client.add_user(ORG, USER, "member")
    assert caught.value.retry_after == 1
    assert client.add_user(ORG, USER, "member").role is Role.MEMBER  # a 503 is still retried
    assert len(script.requests) == 3


def test_a_bulk_429_is_paced_by_the_run_not_retried_inside_the_client() -> None:
    # The first write is refused with Retry-After: 0; the engine waits and
    # sends it again itself, so the run sees (and counts) the 429.
    script = Script(problem(429, {"Retry-After": "0"}), membership)
    with OrgClient(KEY, transport=script.transport(), max_retries=5) as client:
        result = client.add_users(ORG, [{"user": USER, "role": "member"}])
    assert result.summary.counts == {"ok": 1}
    assert result.summary.rate_limited == 1
    assert len(script.requests) == 2


# ---- the library does what the command line does ------------------------------------


def test_add_user_by_email_looks_up_checks_the_rule_and_adds() -> None:
    page = {"users": [user("MEMBER", "jane@acme.test")], "pagination": {"has_more": False}}
    script = Script(httpx.Response(200, json=page), membership)
    with OrgClient(KEY, transport=script.transport()) as c:
        m = c.add_user(ORG, "Jane@Acme.test", "read-only")
    assert (m.user_id, m.role) == (USER, Role.READ_ONLY)
    get, post = script.requests
    assert (get.method, get.url.params["email"]) == ("GET", "Jane@Acme.test")
    assert json.loads(post.content)["user_id"] == USER


def test_add_user_by_email_refuses_what_the_found_account_role_forbids_before_writing() -> None:
    page = {"users": [user("ANNOTATOR", "ann@acme.test")], "pagination": {"has_more": False}}
    script = Script(httpx.Response(200, json=page))
    with OrgClient(KEY, transport=script.transport()) as c, pytest.raises(errors.RoleRuleError):
        c.add_user(ORG, "ann@acme.test", "admin")
    assert [r.method for r in script.requests] == ["GET"]


def test_an_email_where_an_id_belongs_names_the_way_to_look_it_up() -> None:
    with (
        OrgClient(KEY, transport=Script().transport()) as c,
        pytest.raises(errors.InvalidInputError, match=r"find_user\(email\)"),
    ):
        c.get_user("jane@acme.test")


def test_a_server_that_repeats_a_cursor_cannot_make_find_user_page_for_ever() -> None:
    looping = {"users": [], "pagination": {"next_cursor": "same", "has_more": True}}
    script = Script(*[httpx.Response(200, json=looping)] * 3)
    with (
        OrgClient(KEY, transport=script.transport()) as c,
        pytest.raises(errors.APIResponseValidationError, match="cursor"),
    ):
        c.find_user("jane@acme.test")
    assert len(script.requests) == 2


def test_a_bulk_run_on_a_closed_client_is_refused_before_reading_a_row() -> None:
    script = Script()
    client = OrgClient(KEY, transport=script.transport())
    client.close()
    with pytest.raises(errors.ClientClosedError, match="closed"):
        client.add_users(ORG, [{"user": USER, "role": "member"}])

    async def run() -> None:
        async with AsyncOrgClient(KEY, transport=script.async_transport()) as c:
            pass
        with pytest.raises(errors.ClientClosedError, match="closed"):
            await c.add_users(ORG, [{"user": USER, "role": "member"}])

    asyncio.run(run())
    assert script.requests == []
