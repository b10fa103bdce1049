"""The library on the access ladder, against the sandbox over real HTTP:
`client.spaces.add_user` by email and by names, sync and async, the
not-a-member refusal, the organization add first, the annotator rule."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from arize_orgs import AsyncOrgClient, OrgClient, Role
from arize_orgs.errors import BadRequestError, RoleRuleError
from arize_orgs.sandbox import Sandbox

ADD_ORG = "POST /v2/organizations/{org_id}/users"
ADD_SPACE = "POST /v2/spaces/{space_id}/users"


@pytest.fixture
def acme(sandbox: Sandbox) -> dict[str, str]:
    n = len(sandbox.world.users)
    org = sandbox.add_organization(f"Acme {n}")
    return {
        "org_name": f"Acme {n}",
        "org": org,
        "space_name": f"prod {n}",
        "space": sandbox.add_space(org, f"prod {n}"),
        "jane": sandbox.add_user(f"jane{n}@acme.com", account_role="member"),
        "jane_email": f"jane{n}@acme.com",
        "ann": sandbox.add_user(f"ann{n}@acme.com", account_role="annotator"),
        "ann_email": f"ann{n}@acme.com",
    }


def sync_client(sandbox: Sandbox) -> OrgClient:
    return OrgClient(sandbox.admin_key, base_url=sandbox.base_url)


def test_a_member_of_the_org_is_added_to_a_space_by_email_and_space_name(
    sandbox: Sandbox, acme: dict[str, str]
) -> None:
    with sync_client(sandbox) as client:
        client.add_user(acme["org"], acme["jane"], "member")
        m = client.spaces.add_user(acme["space_name"], acme["jane_email"], "read-only")
    assert (m.space_id, m.user_id, m.role) == (acme["space"], acme["jane"], Role.READ_ONLY)
    assert m.organization_membership is None
    assert sandbox.space_role_of(acme["space"], acme["jane"]) == Role.READ_ONLY


def test_outside_the_org_the_error_says_so_and_nothing_is_written(
    sandbox: Sandbox, acme: dict[str, str]
) -> None:
    before = len(sandbox.history)
    with sync_client(sandbox) as client, pytest.raises(BadRequestError) as caught:
        client.spaces.add_user(acme["space_name"], acme["jane_email"], "read-only")
    message = str(caught.value)
    assert "not a member of organization" in message and "ensure_org_role" in message
    writes = sandbox.history[before:]
    assert [(w.endpoint, w.status) for w in writes] == [(ADD_SPACE, 400)]
    assert sandbox.role_of(acme["org"], acme["jane"]) is None
    assert sandbox.space_role_of(acme["space"], acme["jane"]) is None


def test_with_ensure_org_role_the_org_add_goes_first_sync_and_async(
    sandbox: Sandbox, acme: dict[str, str]
) -> None:
    def history_since(before: int) -> list[tuple[str, str, int]]:
        return [(w.endpoint, w.user_id, w.status) for w in sandbox.history[before:]]

    before = len(sandbox.history)
    with sync_client(sandbox) as client:
        m = client.spaces.add_user(
            acme["space_name"],
            acme["jane_email"],
            "read-only",
            org=acme["org_name"],
            ensure_org_role="member",
        )
    assert history_since(before) == [(ADD_ORG, acme["jane"], 200), (ADD_SPACE, acme["jane"], 200)]
    assert m.organization_membership is not None
    assert m.organization_membership.role == Role.MEMBER

    async def go() -> Any:
        async with AsyncOrgClient(sandbox.admin_key, base_url=sandbox.base_url) as client:
            return await client.spaces.add_user(
                acme["space"],
                acme["ann"],
                "annotator",
                org=acme["org"],
                ensure_org_role="annotator",
            )

    before = len(sandbox.history)
    m = asyncio.run(go())
    assert history_since(before) == [(ADD_ORG, acme["ann"], 200), (ADD_SPACE, acme["ann"], 200)]
    assert sandbox.space_role_of(acme["space"], acme["ann"]) == Role.ANNOTATOR


@pytest.mark.parametrize(
    ("who", "role"), [("ann_email", "admin"), ("jane_email", "annotator")], ids=["ann", "jane"]
)
def test_the_annotator_rule_holds_for_spaces_both_ways_before_sending(
    sandbox: Sandbox, acme: dict[str, str], who: str, role: str
) -> None:
    before = len(sandbox.history)
    with sync_client(sandbox) as client, pytest.raises(RoleRuleError):
        client.spaces.add_user(acme["space"], acme[who], role, org=acme["org"])
    assert sandbox.history[before:] == []  # looked up, refused, nothing written


def test_the_sandbox_applies_the_rule_when_the_account_is_not_known(
    sandbox: Sandbox, acme: dict[str, str]
) -> None:
    with sync_client(sandbox) as client:
        client.add_user(acme["org"], acme["ann"], "annotator")
        with pytest.raises(BadRequestError):  # by id, no account role given: the server refuses
            client.spaces.add_user(acme["space"], acme["ann"], "member")
    assert sandbox.space_role_of(acme["space"], acme["ann"]) is None
