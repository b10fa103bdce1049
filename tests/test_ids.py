"""Ids are checked before any request: empty, not base64, or swapped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arize_orgs import errors
from arize_orgs.errors import InvalidInputError
from arize_orgs.ids import check_display_name, check_email, check_id, decoded_type

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


# ---- edge cases: strict base64, both alphabets, the messages -------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "VXNlcjox.MjM0NQ==",  # User:12345 with a '.' inside: not base64
        "VXNlcjox MjM0NQ==",  # a blank inside
        "VXNlcjoxMjM0NQ==\x00",
        "VXNlcjoxMjM0NQ",  # User:12345 without its padding
        "VXNlcjoxMjM0NTY_Pj8",  # the URL-safe alphabet without its padding
    ],
)
def test_base64_is_strict_nothing_is_skipped_over(value: str) -> None:
    assert decoded_type(value) is None
    with pytest.raises(errors.InvalidInputError, match="is not a global id"):
        check_id(value, "user")


@pytest.mark.parametrize(
    ("standard", "url_safe"),
    [("VXNlcjoxMjM0NTo+Pj4=", "VXNlcjoxMjM0NTo-Pj4="), ("VXNlcjoxOj8/", "VXNlcjoxOj8_")],
)
def test_ids_in_either_base64_alphabet_are_accepted(standard: str, url_safe: str) -> None:
    for value in (standard, url_safe):
        assert decoded_type(value) == "User"
        assert check_id(value, "user") == value
    with pytest.raises(errors.InvalidInputError, match="swapped"):
        check_id(url_safe, "organization")


def test_a_prefix_that_is_no_type_name_decodes_to_an_empty_type() -> None:
    assert decoded_type("MTIgMzo0") == ""  # '12 3:4'
    assert decoded_type("w5xuw69jb2RlOjE=") == "Ünïcode"
    assert decoded_type("//46MQ==") is None  # not UTF-8
    assert decoded_type("aGVsbG8=") is None  # 'hello': no colon
    assert check_id("MTIgMzo0", "user") == "MTIgMzo0"


def test_id_messages_name_the_argument_and_what_was_given() -> None:
    cases: list[tuple[object, str, str]] = [
        (42, "user", "user_id must be a string (a base64 global id), not int"),
        (None, "role", "role id must be a string (a base64 global id), not NoneType"),
        (" ", "organization", "org_id is empty; pass the organization's global id"),
        (
            "jane",
            "user",
            "user_id 'jane' is not a global id: Arize ids are base64 text such as "
            "'VXNlcjoxMjM0NQ=='",
        ),
        (
            ORG,
            "user",
            f"user_id {ORG!r} is the id of an organization, not of a user "
            "(the arguments look swapped)",
        ),
        (
            USER,
            "organization",
            f"org_id {USER!r} is the id of a user, not of an organization "
            "(the arguments look swapped)",
        ),
        (MEMBERSHIP, "user", f"user_id {MEMBERSHIP!r} is the id of a membership, not of a user"),
        (
            "U3BhY2U6MQ==",
            "role",
            "role id 'U3BhY2U6MQ==' is the id of a space, not of a role "
            "(the arguments look swapped)",
        ),
        ("QWNjb3VudDox", "user", "user_id 'QWNjb3VudDox' is the id of an account, not of a user"),
    ]
    for value, kind, message in cases:
        with pytest.raises(errors.InvalidInputError) as info:
            check_id(value, kind)  # type: ignore[arg-type]
        assert str(info.value) == message
    with pytest.raises(errors.InvalidInputError, match=r"^--user 'jane' is not"):
        check_id("jane", "user", argument="--user")


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(errors.InvalidInputError) as info:
        check_id("!" * 40, "user")
    assert str(info.value).startswith(f"user_id {'!' * 40!r} is not")
    with pytest.raises(errors.InvalidInputError) as info:
        check_id("!" * 41, "user")
    assert str(info.value).startswith(f"user_id {'!' * 39 + '…'!r} is not")


def test_an_email_may_be_255_characters_and_no_more() -> None:
    from arize_orgs.ids import MAX_EMAIL, check_email

    longest = "x" * 250 + "@a.bc"
    assert len(longest) == MAX_EMAIL == 255
    assert check_email(f" {longest} ") == longest
    with pytest.raises(errors.InvalidInputError):
        check_email("x" + longest)


def test_email_messages_show_the_value_cut_to_forty_characters() -> None:
    from arize_orgs.ids import check_email

    for value, shown in (
        ("j" * 40, "j" * 40),
        ("j" * 41, "j" * 39 + "…"),
        (7, 7),
    ):
        with pytest.raises(errors.InvalidInputError) as info:
            check_email(value)
        assert str(info.value) == f"{shown!r} is not an email address"


def test_an_email_names_a_user_and_compares_without_ascii_case() -> None:
    from arize_orgs.ids import email_key, is_email

    assert is_email("jane@acme.test") and not is_email(USER)
    assert email_key("  Jane@ACME.test ") == "jane@acme.test"
    # Only ASCII letters fold: the Kelvin sign is not a 'k'.
    assert email_key("\u212aATE@x.io") == "\u212aate@x.io"


# ---- addresses and names an invitation would make permanent ------------------------------------


@pytest.mark.parametrize(
    ("email", "holds"),
    [
        ("kate\u200b@acme.test", "U+200B (ZERO WIDTH SPACE)"),
        ("kate@acme.test\x1b", "U+001B"),  # a control character has no name
        ("kate\u2060@acme.test", "U+2060 (WORD JOINER)"),
        ("kate\ue000@acme.test", "U+E000"),  # private use: no name
        ("<kate@acme.test>", "U+003C (LESS-THAN SIGN)"),
        ("kate@acme.test,", "U+002C (COMMA)"),
    ],
)
def test_an_address_holding_an_unseen_or_pasted_character_is_refused(
    email: str, holds: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_email(email)
    assert str(info.value) == (
        f"{email!r} is not an email address: it holds {holds}; type the address alone"
    )


def test_a_long_refused_address_is_shown_cut_at_40_characters() -> None:
    forty = "k" * 24 + "\u200b@acme-corp.test"  # exactly 40 characters
    assert len(forty) == 40
    with pytest.raises(InvalidInputError) as info:
        check_email(forty)
    assert str(info.value).startswith(f"{forty!r} is not")
    longer = "k" * 25 + "\u200b@acme-corp.test"
    with pytest.raises(InvalidInputError) as info:
        check_email(longer)
    assert str(info.value).startswith(f"{longer[:39] + '…'!r} is not")


def test_an_ordinary_address_with_letters_of_any_script_is_accepted() -> None:
    assert check_email(" Zoë.Ünal@acme.test ") == "Zoë.Ünal@acme.test"


@pytest.mark.parametrize("name", ["Jane Doe", "  Zoë Ünal ", "李 雷", "x" * 255])
def test_a_display_name_is_kept_stripped(name: str) -> None:
    assert check_display_name(name) == name.strip()


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, 7, None])
def test_a_display_name_empty_too_long_or_not_text_is_refused(name: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_display_name(name)
    assert str(info.value) == (
        "name must be a non-empty text of at most 255 characters, or None "
        "(the server then picks one)"
    )


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("Eve\x1b[2J", "U+001B"),
        ("Eve\u202eliv", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Jane\tDoe", "U+0009"),
        ("Jane\u00a0Doe", "U+00A0 (NO-BREAK SPACE)"),
    ],
)
def test_a_display_name_holding_an_unseen_character_is_refused(name: str, holds: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_display_name(name)
    assert str(info.value) == f"a name may not hold {holds}; type it as it should show"
