"""The generated models round-trip the payloads of the API as served (the
seed's payloads in the live spelling), and the two role variants can never
both parse the same payload."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arize_orgs_api.models import (
    AddOrganizationUserRequest,
    OrganizationCustomRoleAssignment,
    OrganizationMembership,
    OrganizationPredefinedRoleAssignment,
    OrganizationRole,
    Problem,
)

PREDEFINED = [{"type": "PREDEFINED", "name": r.value} for r in OrganizationRole]
CUSTOM = [
    {"type": "CUSTOM", "id": "Um9sZTo3"},
    {"type": "CUSTOM", "id": "Um9sZTo3", "name": "Auditor"},
]


@pytest.mark.parametrize("payload", PREDEFINED)
def test_predefined_role_round_trips(payload: dict[str, Any]) -> None:
    assert OrganizationPredefinedRoleAssignment.from_dict(payload).to_dict() == payload


@pytest.mark.parametrize("payload", CUSTOM)
def test_custom_role_round_trips(payload: dict[str, Any]) -> None:
    assert OrganizationCustomRoleAssignment.from_dict(payload).to_dict() == payload


@pytest.mark.parametrize("role", PREDEFINED + CUSTOM)
def test_request_and_membership_round_trip_each_variant(role: dict[str, Any]) -> None:
    request = {"user_id": "VXNlcjoxMjM0NQ==", "role": role}
    assert AddOrganizationUserRequest.from_dict(request).to_dict() == request
    membership = {
        "id": "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox",
        "user_id": "VXNlcjoxMjM0NQ==",
        "organization_id": "QWNjb3VudE9yZ2FuaXphdGlvbjox",
        "role": role,
    }
    parsed = OrganizationMembership.from_dict(membership)
    expected = (
        OrganizationPredefinedRoleAssignment
        if role["type"] == "PREDEFINED"
        else OrganizationCustomRoleAssignment
    )
    assert type(parsed.role) is expected
    assert parsed.to_dict() == membership


def test_problem_round_trips_with_extension_members() -> None:
    payload = {
        "type": "https://arize.com/problems/role-rule",
        "title": "Bad Request",
        "status": 400,
        "detail": "annotators can only be annotators",
        "instance": "/v2/organizations/x/users",
        "error_code": "ROLE_NOT_ALLOWED",
    }
    problem = Problem.from_dict(payload)
    assert problem.to_dict() == payload
    assert problem["error_code"] == "ROLE_NOT_ALLOWED"


@pytest.mark.parametrize("payload", PREDEFINED)
def test_predefined_payload_never_parses_as_custom(payload: dict[str, Any]) -> None:
    with pytest.raises((KeyError, ValueError)):
        OrganizationCustomRoleAssignment.from_dict({**payload, "id": "Um9sZTo3"})


@given(st.text(min_size=1))
def test_custom_payload_never_parses_as_predefined(role_id: str) -> None:
    payload = {"type": "CUSTOM", "id": role_id, "name": "member"}
    with pytest.raises(ValueError, match="CUSTOM"):
        OrganizationPredefinedRoleAssignment.from_dict(payload)
    assert OrganizationCustomRoleAssignment.from_dict(payload).id == role_id
