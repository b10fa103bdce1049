"""openapi.yaml is valid and says what the seed says."""

from __future__ import annotations

import yaml
from openapi_spec_validator import validate

from conftest import ROOT

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_spec_is_valid_openapi_3_0() -> None:
    assert SPEC["openapi"] == "3.0.3"
    validate(SPEC)  # raises on any error


def test_add_user_operation_documents_every_status_of_the_seed() -> None:
    op = SPEC["paths"]["/v2/organizations/{org_id}/users"]["post"]
    assert op["operationId"] == "addOrganizationUser"
    assert set(op["responses"]) == {"200", "400", "401", "403", "404", "422", "429"}
    assert "Retry-After" in SPEC["components"]["responses"]["TooManyRequests"]["headers"]
    for name in ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "TooManyRequests"):
        assert "application/problem+json" in SPEC["components"]["responses"][name]["content"]


def test_request_requires_user_id_and_role() -> None:
    schema = SPEC["components"]["schemas"]["AddOrganizationUserRequest"]
    assert set(schema["required"]) == {"user_id", "role"}


def test_role_variants_carry_a_required_single_valued_type() -> None:
    schemas = SPEC["components"]["schemas"]
    for name, value in (
        ("OrganizationPredefinedRoleAssignment", "PREDEFINED"),
        ("OrganizationCustomRoleAssignment", "CUSTOM"),
    ):
        assert "type" in schemas[name]["required"]
        assert schemas[name]["properties"]["type"]["enum"] == [value]


def test_enum_values_are_spelled_as_the_api_serves_them() -> None:
    schemas = SPEC["components"]["schemas"]
    assert schemas["OrganizationRole"]["enum"] == ["ADMIN", "MEMBER", "READ_ONLY", "ANNOTATOR"]
    assert schemas["AccountRole"]["enum"] == ["ADMIN", "MEMBER", "ANNOTATOR", "MEMBER_UI_ONLY"]
    assert schemas["UserStatus"]["enum"] == ["ACTIVE", "INVITED", "EXPIRED"]
    for name in ("AccountPredefinedRoleAssignment", "AccountCustomRoleAssignment"):
        assert schemas[name]["properties"]["type"]["enum"][0].isupper()
    # ...and the description says where that spelling comes from.
    description = SPEC["info"]["description"]
    assert "upper case" in description
    assert '"read-only"' in description  # the seed page's spelling, named


def test_seed_rules_are_in_the_description() -> None:
    text = SPEC["paths"]["/v2/organizations/{org_id}/users"]["post"]["description"]
    assert "upsert" in text
    assert "ANNOTATOR" in text
    assert "administrator of the organization" in text


def test_the_lifecycle_operations_document_what_the_api_answers() -> None:
    invite = SPEC["paths"]["/v2/users"]["post"]
    assert invite["operationId"] == "createUser"
    assert {"200", "201", "409"} <= set(invite["responses"])
    assert "is the key" in " ".join(invite["description"].split())  # why repeating is safe
    modes = SPEC["components"]["schemas"]["InviteMode"]["enum"]
    assert modes == ["NONE", "EMAIL_LINK", "TEMPORARY_PASSWORD"]
    remove = SPEC["paths"]["/v2/organizations/{org_id}/users/{user_id}"]["delete"]
    assert remove["operationId"] == "removeOrganizationUser"
    assert set(remove["responses"]) == {"204", "401", "403", "404", "429"}
    password = SPEC["components"]["schemas"]["InvitedUser"]["allOf"][1]["properties"]
    assert "secret" in password["temporary_password"]["description"].lower()
