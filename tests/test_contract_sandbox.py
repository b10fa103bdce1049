"""Fuzz the sandbox from openapi.yaml (schemathesis): no 5xx, every answer has
a documented status, content type and schema, and the facade reads every
answer as a value or one of its documented exceptions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from arize_orgs import Membership, User, UserPage, _wire
from arize_orgs.errors import error_class, from_response
from arize_orgs.records import Organization, Space, SpaceMembership
from arize_orgs.sandbox import Sandbox

from conftest import ROOT

schema = schemathesis.openapi.from_path(str(ROOT / "openapi.yaml"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def seeded(sandbox: Sandbox) -> dict[str, Any]:
    org = sandbox.add_organization("Fuzz")
    users = [
        sandbox.add_user(f"fuzz-{r}@acme.test", account_role=r)
        for r in ("admin", "member", "annotator")
    ]
    # Members of the organization, so that space adds reach their success
    # and rule paths, not only the 400 for a user outside the organization.
    for user, role in zip(users, ("ADMIN", "MEMBER", "ANNOTATOR"), strict=True):
        answer = httpx.post(
            f"{sandbox.base_url}/v2/organizations/{org}/users",
            json={"user_id": user, "role": {"type": "PREDEFINED", "name": role}},
            headers={"Authorization": f"Bearer {sandbox.admin_key}"},
        )
        assert answer.status_code == 200, answer.text
    return {"org": org, "space": sandbox.add_space(org, "Fuzz space"), "users": users}


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_sandbox_keeps_to_its_spec(case: Any, sandbox: Sandbox, seeded: dict[str, Any]) -> None:
    # Point most generated requests at things that exist, so that the fuzzing
    # reaches the success and rule paths, not only 404s.
    salt = len(str(case.body)) + len(str(case.query))
    if "org_id" in (case.path_parameters or {}) and salt % 4:
        case.path_parameters["org_id"] = seeded["org"]
    if "space_id" in (case.path_parameters or {}) and salt % 4:
        case.path_parameters["space_id"] = seeded["space"]
    if isinstance(case.query, dict) and "org_id" in case.query and salt % 4:
        case.query["org_id"] = seeded["org"]
    if "user_id" in (case.path_parameters or {}) and salt % 4:
        case.path_parameters["user_id"] = seeded["users"][salt % 3]
    if isinstance(case.body, dict) and "user_id" in case.body and salt % 4:
        case.body["user_id"] = seeded["users"][salt % 3]
    response = case.call(
        base_url=sandbox.base_url, headers={"Authorization": f"Bearer {sandbox.admin_key}"}
    )
    case.validate_response(response, checks=CHECKS)
    client_reads(case.operation.definition.raw["operationId"], response)


PARSERS: dict[str, tuple[Any, type] | None] = {
    "addOrganizationUser": (_wire.membership, Membership),
    "getUser": (_wire.user, User),
    "listUsers": (_wire.user_page, UserPage),
    "createUser": (_wire.invited_user, User),
    "removeOrganizationUser": None,  # 204: no body to read
    "listOrganizations": (_wire.organization_page, _wire.Page),
    "getOrganization": (_wire.organization, Organization),
    "listSpaces": (_wire.space_page, _wire.Page),
    "getSpace": (_wire.space, Space),
    "addSpaceUser": (_wire.space_membership, SpaceMembership),
    "removeSpaceUser": None,
    "listRoles": (_wire.role_page, _wire.Page),
}


def client_reads(operation: str, answer: Any) -> None:
    """The facade's own reading of the answer: a value of the right type for
    a success, the documented exception class for an error."""
    reader = PARSERS[operation]
    if answer.status_code >= 400:
        error = from_response(
            answer.status_code,
            "",
            answer.content,
            {k.lower(): v for k, v in answer.headers.items()},
        )
        assert type(error) is error_class(answer.status_code), error
        assert error.status == answer.status_code
        assert error.title and error.detail  # the sandbox always says what went wrong
        return
    if reader is None:
        assert answer.status_code == 204
        assert answer.content == b""
        return
    parse, kind = reader
    assert answer.status_code in (200, 201)
    assert isinstance(parse(answer.json()), kind)
