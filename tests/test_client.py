"""OrgClient and AsyncOrgClient against scripted answers (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import stamina

from arize_orgs import AccountRole, AsyncOrgClient, Membership, OrgClient, Role, errors

from fakes import KEY, ORG, USER, Script, membership, problem, user


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record the retry waits (sync and async) instead of sleeping them."""
    waited: list[float] = []
    real_async_sleep = asyncio.sleep

    async def fake_async_sleep(seconds: float, *args: object) -> None:
        waited.append(seconds)
        await real_async_sleep(0)

    monkeypatch.setattr(time, "sleep", waited.append)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    with stamina.set_testing(False):  # real waits are computed, and recorded here
        yield waited


def client(script: Script, **kwargs: object) -> OrgClient:
    return OrgClient(KEY, transport=script.transport(), **kwargs)  # type: ignore[arg-type]


# ---- what is sent -----------------------------------------------------------------


def test_add_user_sends_the_live_body_with_bearer_auth() -> None:
    script = Script(membership)
    with client(script) as c:
        m = c.add_user(ORG, USER, "member")
    assert m == Membership("QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox", USER, ORG, Role.MEMBER)
    (request,) = script.requests
    assert request.method == "POST"
    assert request.url == f"https://api.arize.com/v2/organizations/{ORG}/users"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["user-agent"].startswith("arize-orgs/")
    assert script.bodies() == [{"user_id": USER, "role": {"type": "PREDEFINED", "name": "MEMBER"}}]


def test_custom_and_read_only_roles_on_the_wire() -> None:
    script = Script(membership, membership)
    with client(script) as c:
        assert c.add_user(ORG, USER, Role.custom("Um9sZTo3")).role == Role.custom("Um9sZTo3")
        assert c.add_user(ORG, USER, "Read only").role is Role.READ_ONLY
    assert [b["role"] for b in script.bodies()] == [
        {"type": "CUSTOM", "id": "Um9sZTo3"},
        {"type": "PREDEFINED", "name": "READ_ONLY"},
    ]


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ((ORG, USER, "owner"), {}, errors.InvalidInputError),
        ((USER, ORG, "member"), {}, errors.InvalidInputError),
        ((ORG, "", "member"), {}, errors.InvalidInputError),
        ((ORG, USER, Role.ADMIN), {"account_role": AccountRole.ANNOTATOR}, errors.RoleRuleError),
        ((ORG, USER, "annotator"), {"account_role": "member"}, errors.RoleRuleError),
    ],
)
def test_bad_input_raises_before_any_request(
    args: tuple[str, str, str], kwargs: dict[str, object], error: type[Exception]
) -> None:
    script = Script()
    with client(script) as c, pytest.raises(error):
        c.add_user(*args, **kwargs)  # type: ignore[arg-type]
    assert script.requests == []


def test_check_account_fetches_the_user_and_refuses_a_forbidden_role() -> None:
    script = Script(httpx.Response(200, json=user("annotator")))
    with client(script) as c, pytest.raises(errors.RoleRuleError):
        c.add_user(ORG, USER, "member", check_account=True)
    assert [(r.method, r.url.path) for r in script.requests] == [("GET", f"/v2/users/{USER}")]


def test_check_account_then_writes_an_allowed_role() -> None:
    script = Script(httpx.Response(200, json=user("annotator")), membership)
    with client(script) as c:
        assert c.add_user(ORG, USER, "annotator", check_account=True).role is Role.ANNOTATOR
    assert [r.method for r in script.requests] == ["GET", "POST"]


def test_find_user_picks_the_exact_email_across_pages() -> None:
    page1 = {
        "users": [user("member", "jane@acme.test.org", "VXNlcjox")],
        "pagination": {"next_cursor": "c2", "has_more": True},
    }
    page2 = {
        "users": [user("admin", "Jane@Acme.test", "VXNlcjoy")],
        "pagination": {"has_more": False},
    }
    script = Script(httpx.Response(200, json=page1), httpx.Response(200, json=page2))
    with client(script) as c:
        found = c.find_user("jane@acme.test")
    assert found.id == "VXNlcjoy" and found.account_role is AccountRole.ADMIN
    assert script.requests[0].url.params["email"] == "jane@acme.test"
    assert script.requests[1].url.params["cursor"] == "c2"


@pytest.mark.parametrize("matches", [0, 2])
def test_find_user_refuses_none_or_several(matches: int) -> None:
    users = [user("member", "x@y.z", f"VXNlcjo{i}") for i in range(matches)]
    script = Script(httpx.Response(200, json={"users": users, "pagination": {"has_more": False}}))
    with client(script) as c, pytest.raises(errors.InvalidInputError, match=r"x@y\.z"):
        c.find_user("x@y.z")


# ---- what comes back --------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["PREDEFINED", "predefined"])
def test_an_unknown_role_in_the_answer_still_parses(spelling: str) -> None:
    body = {
        "id": "m",
        "user_id": USER,
        "organization_id": ORG,
        "role": {"type": spelling, "name": "OWNER"},
    }
    with client(Script(httpx.Response(200, json=body))) as c:
        m = c.add_user(ORG, USER, "member")
    assert m.role == Role.predefined("OWNER") and not m.role.known
    assert str(m.role) == "owner"


# Both spellings of every value: as served today, and as the seed page wrote it.
ROLE_SPELLINGS = [
    ({"type": "PREDEFINED", "name": "READ_ONLY"}, Role.READ_ONLY),
    ({"type": "predefined", "name": "read-only"}, Role.READ_ONLY),
    ({"type": "PREDEFINED", "name": "ANNOTATOR"}, Role.ANNOTATOR),
    ({"type": "predefined", "name": "annotator"}, Role.ANNOTATOR),
    ({"type": "CUSTOM", "id": "Um9sZTo3", "name": "Auditor"}, Role.custom("Um9sZTo3")),
    ({"type": "custom", "id": "Um9sZTo3", "name": "Auditor"}, Role.custom("Um9sZTo3")),
]


@pytest.mark.parametrize(("role", "expected"), ROLE_SPELLINGS)
def test_a_membership_in_either_spelling_reads_as_a_known_role(
    role: dict[str, str], expected: Role
) -> None:
    body = {"id": "m", "user_id": USER, "organization_id": ORG, "role": role}
    with client(Script(httpx.Response(200, json=body))) as c:
        got = c.add_user(ORG, USER, "member").role
    assert got == expected and got.known
    if expected.is_custom:
        assert got.label == "Auditor"  # a custom role's name is never taken for a predefined one


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ({"type": "PREDEFINED", "name": "ANNOTATOR"}, AccountRole.ANNOTATOR),
        ({"type": "predefined", "name": "annotator"}, AccountRole.ANNOTATOR),
        ({"type": "PREDEFINED", "name": "MEMBER_UI_ONLY"}, AccountRole.MEMBER_UI_ONLY),
        ({"type": "predefined", "name": "member-ui-only"}, AccountRole.MEMBER_UI_ONLY),
        ({"type": "CUSTOM", "id": "Um9sZTo4"}, AccountRole.custom("Um9sZTo4")),
        ({"type": "custom", "id": "Um9sZTo4"}, AccountRole.custom("Um9sZTo4")),
    ],
)
@pytest.mark.parametrize("status", ["ACTIVE", "active"])
def test_a_user_in_either_spelling_reads_the_same(
    role: dict[str, str], expected: AccountRole, status: str
) -> None:
    body = {**user("MEMBER"), "role": role, "status": status}
    with client(Script(httpx.Response(200, json=body))) as c:
        found = c.get_user(USER)
    assert found.account_role == expected and found.account_role.known
    assert found.status == "active"


@pytest.mark.parametrize("account", ["MEMBER_UI_ONLY", "SUPERVISOR"])
def test_an_account_role_the_rule_does_not_name_reads_and_is_not_an_annotator(
    account: str,
) -> None:
    script = Script(httpx.Response(200, json=user(account)), membership)
    with client(script) as c:
        found = c.get_user(USER)
        assert found.account_role is not None
        assert found.account_role.known == (account == "MEMBER_UI_ONLY")
        # The annotator rule refuses nothing for it: the server decides.
        assert c.add_user(ORG, USER, "admin", account_role=found.account_role).role is Role.ADMIN


@pytest.mark.parametrize("body", [b"", b"{trunc", b"[]", b'{"id": "m"}'])
def test_a_success_that_is_not_a_membership_is_a_validation_error(body: bytes) -> None:
    script = Script(httpx.Response(200, content=body))
    with client(script, max_retries=0) as c, pytest.raises(errors.APIResponseValidationError):
        c.add_user(ORG, USER, "member")


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (422, errors.UnprocessableEntityError),
        (409, errors.ConflictError),
        (418, errors.APIStatusError),
    ],
)
def test_error_statuses_raise_their_class_without_retrying(
    status: int, cls: type[errors.APIStatusError]
) -> None:
    script = Script(problem(status, detail="because", error_code="E42"))
    with client(script) as c, pytest.raises(cls) as info:
        c.add_user(ORG, USER, "member")
    assert type(info.value) is cls
    assert info.value.detail == "because" and info.value.error_code == "E42"
    assert len(script.requests) == 1


# ---- retries ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_temporary_statuses_are_retried_then_succeed(status: int, sleeps: list[float]) -> None:
    script = Script(problem(status), problem(status), membership)
    with client(script) as c:
        assert c.add_user(ORG, USER, "member").role is Role.MEMBER
    assert len(script.requests) == 3
    assert len(sleeps) == 2 and all(0 < s <= 8 for s in sleeps)


def test_retries_run_out_with_the_last_error(sleeps: list[float]) -> None:
    script = Script(problem(503), problem(503), problem(502, detail="last"))
    with client(script) as c, pytest.raises(errors.InternalServerError, match="last"):
        c.add_user(ORG, USER, "member")
    assert len(script.requests) == 3  # 1 + max_retries (2)


@pytest.mark.parametrize(("max_retries", "sent"), [(0, 1), (1, 2), (4, 5)])
def test_max_retries_bounds_the_attempts(max_retries: int, sent: int, sleeps: list[float]) -> None:
    script = Script(*[problem(503)] * sent)
    with client(script, max_retries=max_retries) as c, pytest.raises(errors.InternalServerError):
        c.add_user(ORG, USER, "member")
    assert len(script.requests) == sent


def test_backoff_grows_and_is_capped_at_8_seconds(sleeps: list[float]) -> None:
    script = Script(*[problem(500)] * 8)
    with client(script, max_retries=7) as c, pytest.raises(errors.InternalServerError):
        c.add_user(ORG, USER, "member")
    assert len(sleeps) == 7
    assert sleeps[0] < 1.01 and sleeps[-1] == 8.0
    assert all(s <= 8.0 for s in sleeps)


@pytest.mark.parametrize("seconds", ["1", "60"])
def test_retry_after_up_to_60_seconds_is_obeyed(seconds: str, sleeps: list[float]) -> None:
    script = Script(problem(429, {"Retry-After": seconds}), membership)
    with client(script) as c:
        c.add_user(ORG, USER, "member")
    assert sleeps == [float(seconds)]


def test_retry_after_beyond_60_seconds_raises_at_once(sleeps: list[float]) -> None:
    script = Script(problem(429, {"Retry-After": "61"}))
    with client(script) as c, pytest.raises(errors.RateLimitError) as info:
        c.add_user(ORG, USER, "member")
    assert info.value.retry_after == 61 and sleeps == [] and len(script.requests) == 1


def test_retry_after_as_an_http_date(sleeps: list[float]) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    script = Script(problem(503, {"Retry-After": when}), membership)
    with client(script) as c:
        c.add_user(ORG, USER, "member")
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20


def test_connection_errors_are_retried_then_raised_typed(sleeps: list[float]) -> None:
    fail = httpx.ConnectError("refused")
    script = Script(fail, httpx.RemoteProtocolError("reset"), httpx.ReadTimeout("slow"))
    with client(script) as c, pytest.raises(errors.APITimeoutError, match="timed out"):
        c.add_user(ORG, USER, "member")
    assert len(script.requests) == 3


def test_connection_error_then_success(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), membership)
    with client(script) as c:
        assert c.add_user(ORG, USER, "member").role is Role.MEMBER


# ---- configuration --------------------------------------------------------------------


def test_no_key_anywhere_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARIZE_API_KEY", raising=False)
    with pytest.raises(errors.ConfigurationError, match="ARIZE_API_KEY"):
        OrgClient()


def test_environment_supplies_key_and_url_and_arguments_beat_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARIZE_API_KEY", "from-env")
    monkeypatch.setenv("ARIZE_BASE_URL", "https://eu.example.test/")
    script = Script(membership, membership)
    with OrgClient(transport=script.transport()) as c:
        assert c.base_url == "https://eu.example.test"
        c.add_user(ORG, USER, "member")
    with OrgClient("from-arg", base_url="http://127.0.0.1:9", transport=script.transport()) as c:
        c.add_user(ORG, USER, "member")
    assert script.requests[0].headers["authorization"] == "Bearer from-env"
    assert str(script.requests[1].url).startswith("http://127.0.0.1:9/")
    assert script.requests[1].headers["authorization"] == "Bearer from-arg"


@pytest.mark.parametrize(
    "url", ["http://api.arize.com", "http://10.0.0.1:8080", "ftp://x", "nonsense"]
)
def test_unsafe_or_odd_base_urls_are_refused_at_creation(url: str) -> None:
    with pytest.raises(errors.ConfigurationError):
        OrgClient(KEY, base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:1", "http://[::1]:5"])
def test_plain_http_is_fine_to_loopback(url: str) -> None:
    OrgClient(KEY, base_url=url).close()


def test_default_timeout_and_with_options() -> None:
    c = OrgClient(KEY)
    assert (c.timeout.read, c.timeout.connect, c.max_retries) == (30.0, 5.0, 2)
    copy = c.with_options(timeout=3, max_retries=0)
    assert (copy.timeout.read, copy.max_retries) == (3.0, 0)
    assert (c.timeout.read, c.max_retries) == (30.0, 2)  # the original is untouched
    with pytest.raises(errors.ConfigurationError):
        c.with_options(max_retries=-1)
    c.close()


def test_with_options_copy_uses_its_own_settings(sleeps: list[float]) -> None:
    script = Script(problem(503), problem(503))
    with client(script) as c, pytest.raises(errors.InternalServerError):
        c.with_options(max_retries=0).add_user(ORG, USER, "member")
    assert len(script.requests) == 1


def test_context_manager_closes_the_connections() -> None:
    with client(Script()) as c:
        pass
    assert c._http.is_closed


def test_turning_tls_verification_off_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="arize_orgs"):
        OrgClient(KEY, verify=False).close()
    assert "verification is off" in caplog.text


# ---- the key never leaks -------------------------------------------------------------------


def test_the_key_never_appears_in_reprs_errors_or_logs(
    caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    echo = problem(400, detail=f"you sent Bearer {KEY}")
    script = Script(
        echo,
        problem(401),
        problem(503),
        problem(503),
        problem(503),
        httpx.ConnectError("x"),
        httpx.ConnectError("x"),
        httpx.ConnectError("x"),
        httpx.Response(200, text=f"not json {KEY}"),
    )
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG), client(script) as c:
        seen += [repr(c), str(c), repr(c.with_options(timeout=1)), repr(c._config)]
        for _ in range(5):
            try:
                c.add_user(ORG, USER, "member")
            except errors.ArizeOrgsError as exc:
                seen += [str(exc), repr(exc), str(getattr(exc, "body", ""))]
    assert len(seen) == 4 + 3 * 5
    seen += [r.getMessage() for r in caplog.records]
    assert all(KEY not in text for text in seen)


# ---- async ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_mirrors_the_sync_one(sleeps: list[float]) -> None:
    script = Script(problem(503), membership, httpx.Response(200, json=user("annotator")))
    async with AsyncOrgClient(KEY, transport=script.async_transport()) as c:
        m = await c.add_user(ORG, USER, "read only")
        assert m.role is Role.READ_ONLY
        with pytest.raises(errors.RoleRuleError):
            await c.add_user(ORG, USER, "admin", check_account=True)
        with pytest.raises(errors.RoleRuleError):
            await c.add_user(ORG, USER, "admin", account_role="annotator")
    assert len(script.requests) == 3 and len(sleeps) == 1
    assert c._http.is_closed


@pytest.mark.anyio
async def test_async_errors_and_retry_after(sleeps: list[float]) -> None:
    script = Script(problem(429, {"Retry-After": "2"}), problem(404, detail="no such org"))
    async with AsyncOrgClient(KEY, transport=script.async_transport()) as c:
        with pytest.raises(errors.NotFoundError, match="no such org"):
            await c.add_user(ORG, USER, "member")
    assert sleeps == [2.0]


@pytest.mark.anyio
async def test_async_find_user_and_timeout(sleeps: list[float]) -> None:
    page = {"users": [user("member", "a@b.c")], "pagination": {"has_more": False}}
    script = Script(httpx.Response(200, json=page), *[httpx.ConnectTimeout("t")] * 3)
    async with AsyncOrgClient(KEY, transport=script.async_transport()) as c:
        assert (await c.find_user("A@B.C")).email == "a@b.c"
        with pytest.raises(errors.APITimeoutError):
            await c.get_user(USER)


@pytest.mark.parametrize(
    "role",
    [
        {"type": "CUSTOM_ROLE", "id": "Um9sZTo3", "name": "Admin"},
        {"id": "Um9sZTo3", "name": "Admin"},
        {"type": None, "name": "ADMIN"},
        {"type": "Custom Role", "id": "Um9sZTo3", "name": "Annotator"},
    ],
)
def test_a_role_of_unknown_type_is_never_read_as_a_predefined_one(role: dict[str, str]) -> None:
    body = {"id": "m", "user_id": USER, "organization_id": ORG, "role": role}
    with (
        client(Script(httpx.Response(200, json=body)), max_retries=0) as c,
        pytest.raises(errors.APIResponseValidationError, match="unknown type"),
    ):
        c.add_user(ORG, USER, Role.custom("Um9sZTo3"))
    # A user whose account role has an unknown type still reads, role unknown.
    found_body = {**user("MEMBER"), "role": role}
    with client(Script(httpx.Response(200, json=found_body))) as c:
        assert c.get_user(USER).account_role is None


def test_a_user_with_an_unusable_custom_role_does_not_break_a_lookup() -> None:
    odd = {**user("MEMBER", "odd@acme.test", "VXNlcjo3"), "role": {"type": "CUSTOM", "id": ""}}
    page = {"users": [odd, user("ADMIN", "jane@acme.test")], "pagination": {"has_more": False}}
    with client(Script(httpx.Response(200, json=page))) as c:
        assert c.find_user("jane@acme.test").account_role is AccountRole.ADMIN


def test_a_422_to_a_custom_role_gives_both_likely_causes() -> None:
    with (
        client(Script(problem(422, detail="role: not valid"))) as c,
        pytest.raises(errors.UnprocessableEntityError) as caught,
    ):
        c.add_user(ORG, USER, Role.custom("Um9sZTo3"))
    message = str(caught.value)
    assert message.startswith("422 Status 422: role: not valid; ")
    assert "may not accept" in message and "use a predefined role" in message
    assert "regenerate it from the server's spec" in message
    assert caught.value.detail == "role: not valid" and caught.value.status == 422


def test_an_unreadable_answer_to_a_read_says_nothing_was_changed() -> None:
    with (
        client(Script(httpx.Response(200, content=b"[]")), max_retries=0) as c,
        pytest.raises(errors.APIResponseValidationError) as caught,
    ):
        c.get_user(USER)
    assert caught.value.method == "GET"
    assert "nothing was changed" in str(caught.value)
    assert "upsert" not in str(caught.value)
