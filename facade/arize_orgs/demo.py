"""Smoke check of the generated client (replaced by the sandbox demo)."""

from arize_orgs_api.models import (
    AddOrganizationUserRequest,
    OrganizationPredefinedRoleAssignment,
    OrganizationPredefinedRoleAssignmentType,
    OrganizationRole,
)

body = AddOrganizationUserRequest(
    user_id="VXNlcjoxMjM0NQ==",
    role=OrganizationPredefinedRoleAssignment(
        type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED, name=OrganizationRole.MEMBER
    ),
)
print(body.to_dict())
