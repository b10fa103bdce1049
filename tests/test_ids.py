"""Ids are checked before any request: empty, not base64, or swapped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arize_orgs import errors
from arize_orgs.ids import check_id, decoded_type

USER = "VXNlcjoxMjM0NQ=="  # User:12345
USER_SUFFIX = "VXNlcjo0MjphQmNE"  # User:42:aBcD
ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"  # AccountOrganization:1
MEMBERSHIP = "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox"
ENTITY = "RW50aXR5OjEyMzQ1"  # Entity:12345, a type we do not know


def test_documented_ids_decode_to_their_types() -> None:
    assert decoded_type(USER) == "User"
    assert decoded_type(USER_SUFFIX) == "User"
    assert decoded_type(ORG) == "AccountOrganization"
    assert decoded_type("not base64!") is None


@pytest.mark.parametrize("value", [USER, USER_SUFFIX, ENTITY, f"  {USER}\n"])
def test_user_ids_and_unknown_types_are_accepted(value: str) -> None:
    assert check_id(value, "user") == value.strip()


@pytest.mark.parametrize(
    "value", ["", "   ", "not base64!", "abc", "nope", "abcd", "aGVsbG8=", None, 42]
)
def test_empty_blank_or_non_base64_is_refused(value: object) -> None:
    with pytest.raises(errors.InvalidInputError):
        check_id(value, "user")


def test_an_organization_id_as_user_id_looks_swapped() -> None:
    with pytest.raises(errors.InvalidInputError, match="swapped") as info:
        check_id(ORG, "user")
    assert "user_id" in str(info.value) and "an organization" in str(info.value)


def test_a_user_id_as_org_id_looks_swapped() -> None:
    with pytest.raises(errors.InvalidInputError, match="swapped"):
        check_id(USER, "organization")


def test_a_membership_id_is_not_a_user_id() -> None:
    with pytest.raises(errors.InvalidInputError, match="membership"):
        check_id(MEMBERSHIP, "user")


@given(st.text(max_size=200))
def test_any_text_is_accepted_or_refused_with_our_error(text: str) -> None:
    try:
        check_id(text, "user")
    except errors.InvalidInputError as exc:
        assert str(exc)


@pytest.mark.parametrize("value", ["jane@acme.test", "  Jane@Acme.Test ", "a+b@x.co"])
def test_an_email_is_accepted_stripped(value: str) -> None:
    from arize_orgs.ids import check_email

    assert check_email(value) == value.strip()


@pytest.mark.parametrize(
    "value", ["", "jane", "a@@b", "a b@c.d", "a@b@c", None, "x" * 251 + "@a.bc"]
)
def test_anything_else_is_not_an_email(value: object) -> None:
    from arize_orgs.ids import check_email

    with pytest.raises(errors.InvalidInputError, match="not an email"):
        check_email(value)
