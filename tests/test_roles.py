"""Roles parse leniently, refuse clearly, and the annotator rule holds both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arize_orgs import AccountRole, Role, allowed_roles, check_role, errors

PREDEFINED = [Role.ADMIN, Role.MEMBER, Role.READ_ONLY, Role.ANNOTATOR]
ACCOUNTS = [AccountRole.ADMIN, AccountRole.MEMBER, AccountRole.ANNOTATOR]


@pytest.mark.parametrize(
    "text",
    ["read-only", "READ_ONLY", "read only", "Read-Only", "readonly", "viewer", " Read_only "],
)
def test_every_reasonable_spelling_of_read_only(text: str) -> None:
    assert Role.parse(text) is Role.READ_ONLY


@pytest.mark.parametrize(("text", "role"), [("Admin", Role.ADMIN), ("MEMBER", Role.MEMBER)])
def test_case_does_not_matter(text: str, role: Role) -> None:
    assert Role.parse(text) == role


def test_custom_role_by_prefix_and_by_constructor() -> None:
    assert Role.parse("custom:Um9sZTo3") == Role.custom("Um9sZTo3")
    assert Role.custom("Um9sZTo3").is_custom
    assert str(Role.custom("Um9sZTo3")) == "custom:Um9sZTo3"


def test_typo_names_the_closest_role_and_lists_the_valid_ones() -> None:
    with pytest.raises(errors.InvalidInputError, match="did you mean 'member'") as info:
        Role.parse("memebr")
    assert "admin, member, read-only, annotator" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", ["", "   ", "owner", "superuser", "custom:", None, 3])
def test_nonsense_is_refused(bad: object) -> None:
    with pytest.raises(errors.InvalidInputError):
        Role.parse(bad)  # type: ignore[arg-type]


def test_roles_are_frozen_values() -> None:
    assert Role.parse("member") == Role.MEMBER
    assert hash(Role.parse("member")) == hash(Role.MEMBER)
    assert {Role.custom("a"), Role.custom("a")} == {Role.custom("a")}
    assert Role.custom("a", label="Auditor") == Role.custom("a")  # the label is not identity
    assert repr(Role.READ_ONLY) == "Role.READ_ONLY"
    assert str(Role.READ_ONLY) == "read-only"
    with pytest.raises(AttributeError):
        Role.MEMBER.name = "ADMIN"  # type: ignore[misc]


def test_a_role_unknown_to_this_version_is_kept_but_cannot_be_sent() -> None:
    owner = Role.predefined("OWNER")
    assert not owner.known
    assert owner == Role.predefined("owner")
    assert "owner" in repr(owner)
    with pytest.raises(errors.InvalidInputError, match="upgrade"):
        Role.parse(owner)


def test_account_roles_parse_the_same_way() -> None:
    assert AccountRole.parse("Annotator") is AccountRole.ANNOTATOR
    with pytest.raises(errors.InvalidInputError, match="did you mean 'admin'"):
        AccountRole.parse("admn")
    with pytest.raises(errors.InvalidInputError):
        AccountRole.parse("read-only")  # an org role, not an account role


def test_allowed_roles_both_directions_of_the_rule() -> None:
    assert allowed_roles(AccountRole.ANNOTATOR) == frozenset({Role.ANNOTATOR})
    assert allowed_roles("admin") == frozenset({Role.ADMIN, Role.MEMBER, Role.READ_ONLY})
    assert allowed_roles(AccountRole.MEMBER) == allowed_roles(AccountRole.ADMIN)


def test_rule_error_names_both_roles_and_what_is_allowed() -> None:
    with pytest.raises(errors.RoleRuleError) as info:
        check_role(AccountRole.ANNOTATOR, Role.ADMIN)
    message = str(info.value)
    assert "'admin'" in message and "'annotator'" in message
    assert info.value.allowed == frozenset({Role.ANNOTATOR})
    assert info.value.account_role is AccountRole.ANNOTATOR and info.value.role is Role.ADMIN

    with pytest.raises(errors.RoleRuleError, match="admin, member, read-only"):
        check_role("member", "annotator")


def test_custom_roles_are_refused_for_annotators_and_allowed_for_others() -> None:
    with pytest.raises(errors.RoleRuleError):
        check_role(AccountRole.ANNOTATOR, Role.custom("Um9sZTo3"))
    assert check_role(AccountRole.MEMBER, Role.custom("Um9sZTo3")) == Role.custom("Um9sZTo3")


@pytest.mark.parametrize("role", PREDEFINED)
@pytest.mark.parametrize("case", [str.upper, str.lower, str.title])
def test_printed_roles_parse_back(role: Role, case: object) -> None:
    assert Role.parse(case(str(role))) == role  # type: ignore[operator]


@given(st.text(max_size=60))
def test_parse_returns_a_known_role_or_raises_invalid_input(text: str) -> None:
    try:
        role = Role.parse(text)
    except errors.InvalidInputError as exc:
        assert str(exc)
    else:
        assert role.known


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize("role", PREDEFINED)
def test_check_role_raises_exactly_when_the_table_forbids(account: AccountRole, role: Role) -> None:
    forbidden = (account == AccountRole.ANNOTATOR) != (role == Role.ANNOTATOR)
    if forbidden:
        with pytest.raises(errors.RoleRuleError):
            check_role(account, role)
    else:
        assert check_role(account, role) == role
    assert (role in allowed_roles(account)) is not forbidden
