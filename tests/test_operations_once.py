"""Each operation is written once (a flow of requests, no I/O) and driven by
the sync and the async client alike; names resolve exactly, page to the end,
and once per client. Against scripted answers (httpx.MockTransport), so the
exact requests can be compared."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from arize_orgs import AsyncOrgClient, OrgClient, Role
from arize_orgs.errors import InvalidInputError

from fakes import KEY, USER, Script, membership, space_membership, user

ACME = base64.b64encode(b"AccountOrganization:7").decode()
ACME_TOO = base64.b64encode(b"AccountOrganization:8").decode()
PROD = base64.b64encode(b"Space:3").decode()
ACME_UPPER = base64.b64encode(b"AccountOrganization:9").decode()
AUDITOR = base64.b64encode(b"Role:11").decode()


def page(key: str, items: list[dict[str, Any]], cursor: str | None = None) -> httpx.Response:
    pagination: dict[str, Any] = {"has_more": cursor is not None}
    if cursor is not None:
        pagination["next_cursor"] = cursor
    return httpx.Response(200, json={key: items, "pagination": pagination})


def org(org_id: str, name: str) -> dict[str, Any]:
    return {"id": org_id, "name": name, "created_at": "2026-01-02T03:04:05Z"}


def space(space_id: str, name: str, org_id: str = ACME) -> dict[str, Any]:
    return {"id": space_id, "name": name, "organization_id": org_id, "is_private": False}


def ladder_script() -> Script:
    """The answers to adding jane@acme.test to space "prod" of "Acme", the
    organization first."""
    return Script(
        page("organizations", [org(ACME, "Acme"), org(ACME_TOO, "Acme Labs")]),
        page("spaces", [space(PROD, "prod"), space(base64.b64encode(b"Space:4").decode(), "Prod")]),
        page("users", [user("member")]),
        membership,
        space_membership,
    )


def add_to_space(client: Any) -> Any:
    return client.spaces.add_user(
        "prod", "jane@acme.test", "read-only", org="Acme", ensure_org_role="member"
    )


def run_sync(script: Script, call: Callable[[OrgClient], Any]) -> Any:
    with OrgClient(KEY, base_url="https://api.arize.test", transport=script.transport()) as client:
        return call(client)


def run_async(script: Script, call: Callable[[AsyncOrgClient], Any]) -> Any:
    async def go() -> Any:
        async with AsyncOrgClient(
            KEY, base_url="https://api.arize.test", transport=script.async_transport()
        ) as client:
            return await call(client)

    return asyncio.run(go())


def sent(script: Script) -> list[tuple[str, str, str, Any]]:
    return [
        (r.method, r.url.path, str(r.url.params), json.loads(r.content) if r.content else None)
        for r in script.requests
    ]


def test_one_operation_sends_the_same_requests_through_both_clients() -> None:
    sync_script, async_script = ladder_script(), ladder_script()
    from_sync = run_sync(sync_script, add_to_space)
    from_async = run_async(async_script, add_to_space)
    assert from_sync == from_async
    assert sent(sync_script) == sent(async_script)
    requests = sent(sync_script)
    assert [(method, path) for method, path, _, _ in requests] == [
        ("GET", "/v2/organizations"),
        ("GET", "/v2/spaces"),
        ("GET", "/v2/users"),
        ("POST", f"/v2/organizations/{ACME}/users"),  # the organization add goes first
        ("POST", f"/v2/spaces/{PROD}/users"),
    ]
    assert requests[3][3] == {"user_id": USER, "role": {"type": "PREDEFINED", "name": "MEMBER"}}
    assert requests[4][3] == {"user_id": USER, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}
    assert from_sync.space_id == PROD and from_sync.role == Role.READ_ONLY
    assert from_sync.organization_membership.organization_id == ACME


def test_names_are_resolved_once_per_client() -> None:
    script = Script(
        page("organizations", [org(ACME, "Acme")]),
        membership,
        membership,
    )

    def twice(client: OrgClient) -> int:
        client.add_user("Acme", USER, "member")
        client.with_options(timeout=5).add_user("Acme", USER, "admin")  # a copy shares them
        return client._context.name_requests

    assert run_sync(script, twice) == 1
    assert [r.method for r in script.requests] == ["GET", "POST", "POST"]


def test_a_name_on_page_three_is_found_and_every_page_counted() -> None:
    script = Script(
        page("organizations", [org(ACME_TOO, "Acme Labs")], cursor="c2"),
        page(
            "organizations",
            [org(base64.b64encode(b"AccountOrganization:9").decode(), "ACME")],
            "c3",
        ),
        page("organizations", [org(ACME, "Acme")]),
        membership,
    )
    m = run_sync(script, lambda c: c.add_user("Acme", USER, "member"))
    assert m.organization_id == ACME
    cursors = [r.url.params.get("cursor") for r in script.requests[:3]]
    assert cursors == [None, "c2", "c3"]
    assert all(r.url.params["name"] == "Acme" for r in script.requests[:3])


@pytest.mark.parametrize("client_kind", ["sync", "async"])
def test_two_organizations_of_one_name_are_refused_naming_both(client_kind: str) -> None:
    script = Script(page("organizations", [org(ACME, "Acme"), org(ACME_TOO, "Acme")]))
    runner = run_sync if client_kind == "sync" else run_async
    with pytest.raises(InvalidInputError) as caught:
        runner(script, lambda c: c.add_user("Acme", USER, "member"))
    message = str(caught.value)
    assert ACME in message and ACME_TOO in message and "2 organizations" in message
    assert [r.method for r in script.requests] == ["GET"]  # nothing written


def test_two_spaces_of_one_name_are_refused_naming_both() -> None:
    other = base64.b64encode(b"Space:5").decode()
    script = Script(page("spaces", [space(PROD, "prod"), space(other, "prod", ACME_TOO)]))
    with pytest.raises(InvalidInputError) as caught:
        run_sync(script, lambda c: c.spaces.add_user("prod", USER, "member"))
    assert PROD in str(caught.value) and other in str(caught.value)
    assert [r.method for r in script.requests] == ["GET"]


def test_custom_roles_by_name_resolve_exactly_and_two_are_refused() -> None:
    twin = base64.b64encode(b"Role:12").decode()
    roles = [
        {"id": base64.b64encode(b"Role:1").decode(), "name": "Auditor", "is_predefined": True},
        {"id": AUDITOR, "name": "Auditor", "is_predefined": False},
        {"id": twin, "name": "Twin", "is_predefined": False},
        {"id": base64.b64encode(b"Role:13").decode(), "name": "Twin", "is_predefined": False},
    ]
    script = Script(page("roles", roles), membership)
    m = run_sync(script, lambda c: c.add_user(ACME, USER, "custom:Auditor"))
    assert m.role == Role.custom_id(AUDITOR)
    assert json.loads(script.requests[1].content)["role"] == {"type": "CUSTOM", "id": AUDITOR}
    script = Script(page("roles", roles))
    with pytest.raises(InvalidInputError) as caught:
        run_sync(script, lambda c: c.add_user(ACME, USER, Role.custom("Twin")))
    assert twin in str(caught.value) and "2 custom roles" in str(caught.value)


def test_resolve_gives_the_named_record_once_and_sends_nothing_for_an_id() -> None:
    script = Script(
        page("organizations", [org(ACME, "Acme")]),
        page("spaces", [space(PROD, "prod")]),
    )

    def resolve(c: OrgClient) -> tuple[Any, ...]:
        return (
            c.organizations.resolve("Acme").id,
            c.organizations.resolve("Acme").id,  # remembered
            c.organizations.resolve(ACME).id,  # an id: nothing sent
            c.spaces.resolve("prod", "Acme"),
            c.spaces.resolve(PROD).id,
        )

    found = run_sync(script, resolve)
    assert found[:3] == (ACME, ACME, ACME)
    assert (found[3].id, found[3].organization_id) == (PROD, ACME)
    assert found[4] == PROD
    assert [r.url.path for r in script.requests] == ["/v2/organizations", "/v2/spaces"]
