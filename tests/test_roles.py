"""Roles parse leniently, refuse clearly, and the annotator rule holds both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arize_orgs import AccountRole, Role, allowed_roles, check_role, errors
from arize_orgs.roles import account_role_for

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


# ---- edge cases: what each branch of parsing and printing decides ---------------------------

ALL_FOUR = frozenset(PREDEFINED)


def test_a_role_prefix_other_than_custom_is_not_a_custom_role() -> None:
    for text in ("member:x", "admin:Um9sZTo3", ":Um9sZTo3"):
        with pytest.raises(errors.InvalidInputError, match="unknown organization role"):
            Role.parse(text)
    # Only the first colon separates: the rest belongs to the id, or the name.
    assert Role.parse("Custom : a:b").by_name == "a:b"
    assert Role.parse("custom:Um9sZTo3").id == "Um9sZTo3"


def test_a_custom_role_is_an_id_when_it_reads_as_one_and_a_name_otherwise() -> None:
    by_id = Role.custom("Um9sZTo3")  # base64 of "Role:7"
    assert (by_id.id, by_id.by_name, by_id.resolved) == ("Um9sZTo3", None, True)
    by_name = Role.parse("custom: Auditor ")
    assert (by_name.id, by_name.by_name, by_name.resolved) == (None, "Auditor", False)
    assert str(by_name) == "custom:Auditor" and repr(by_name) == "Role.custom('Auditor')"
    assert by_name != Role.custom("auditor")  # names are case-sensitive
    # An id the server answered stays an id, whatever it looks like.
    assert Role.custom_id("role-7").id == "role-7"
    with pytest.raises(errors.InvalidInputError, match="holds"):
        Role.custom("Audi\x00tor")


def test_a_custom_role_keeps_its_label_out_of_its_identity() -> None:
    role = Role.custom("  Um9sZTo3 ", label="Auditor")
    assert (role.kind, role.name, role.id, role.label) == ("custom", None, "Um9sZTo3", "Auditor")
    assert repr(role) == "Role.custom('Um9sZTo3')"
    with pytest.raises(errors.InvalidInputError) as info:
        Role.custom("  ")
    assert str(info.value) == (
        "a custom role needs the id or the name of the role, e.g. Role.custom('Um9sZTo3') "
        "or Role.custom('Auditor')"
    )


def test_a_predefined_role_read_from_the_server_is_the_known_value_itself() -> None:
    assert Role.predefined("read-only") is Role.READ_ONLY
    assert Role.predefined("ADMIN") is Role.ADMIN
    assert AccountRole.predefined("member") is AccountRole.MEMBER
    assert AccountRole.predefined("MEMBER_UI_ONLY") is AccountRole.MEMBER_UI_ONLY


@pytest.mark.parametrize(
    ("served", "name"),
    [
        ("owner", "OWNER"),
        ("Billing admin", "BILLING_ADMIN"),
        ("-owner-", "OWNER"),
        ("xray", "XRAY"),
        ("  ", "UNKNOWN"),
        ("--", "UNKNOWN"),
    ],
)
def test_an_unknown_predefined_role_is_named_in_the_enum_style(served: str, name: str) -> None:
    for cls in (Role, AccountRole):
        role = cls.predefined(served)
        assert (role.kind, role.name, role.id) == ("predefined", name, None)
        assert not role.known and not role.is_custom
        assert str(role) == name.lower().replace("_", "-")
        assert repr(role) == f"{cls.__name__}(<unknown predefined role {str(role)!r}>)"


def test_a_role_without_a_name_prints_as_nothing_rather_than_a_made_up_name() -> None:
    nameless = Role("predefined")
    assert str(nameless) == ""
    assert repr(nameless) == "Role(<unknown predefined role ''>)"


def test_an_unknown_role_cannot_be_sent_and_the_message_names_it() -> None:
    with pytest.raises(errors.InvalidInputError) as info:
        Role.parse(Role.predefined("OWNER"))
    assert str(info.value) == (
        "the organization role 'owner' is not known to this version of arize-orgs and "
        "cannot be sent; upgrade arize-orgs"
    )


def test_parse_messages_name_what_was_given_and_what_is_valid() -> None:
    valid = "admin, member, read-only, annotator"
    cases: list[tuple[object, str]] = [
        (3, "organization role must be a string such as 'member', not int"),
        ("  ", f"organization role is empty; use one of: {valid}"),
        ("zzzz", f"unknown organization role 'zzzz'; valid organization roles: {valid}"),
        (
            "annotater",
            f"unknown organization role 'annotater'; did you mean 'annotator'? "
            f"valid organization roles: {valid}",
        ),
        ("q" * 40, f"unknown organization role {'q' * 40!r}; valid organization roles: {valid}"),
        (
            "q" * 41,
            f"unknown organization role {'q' * 39 + '…'!r}; valid organization roles: {valid}",
        ),
    ]
    for value, message in cases:
        with pytest.raises(errors.InvalidInputError) as info:
            Role.parse(value)  # type: ignore[arg-type]
        assert str(info.value) == message
    with pytest.raises(errors.InvalidInputError) as info:
        AccountRole.parse(None)  # type: ignore[arg-type]
    assert str(info.value) == "account role must be a string such as 'member', not NoneType"


def test_the_rule_messages_say_why_and_what_to_do() -> None:
    with pytest.raises(errors.RoleRuleError) as info:
        check_role("annotator", "member")
    assert str(info.value) == (
        "role 'member' is not allowed for account role 'annotator': an annotator account can "
        "only be given the annotator role, in an organization or a space; use role "
        "'annotator', or change the user's account role first"
    )
    with pytest.raises(errors.RoleRuleError) as info:
        check_role(AccountRole.ADMIN, Role.ANNOTATOR)
    assert str(info.value) == (
        "role 'annotator' is not allowed for account role 'admin': only an annotator account "
        "can be given the annotator role, in an organization or a space, and a user whose "
        "account role is admin is not an annotator account; use one of: admin, member, "
        "read-only (or a custom role)"
    )


def test_a_custom_account_role_is_not_an_annotator_account() -> None:
    auditor = AccountRole.custom("  QWNjb3VudFJvbGU6OQ== ", label="Auditor")
    assert (auditor.kind, auditor.name, auditor.id, auditor.label) == (
        "custom",
        None,
        "QWNjb3VudFJvbGU6OQ==",
        "Auditor",
    )
    assert auditor.is_custom and auditor.known
    assert auditor == AccountRole.custom("QWNjb3VudFJvbGU6OQ==")
    assert str(auditor) == "custom:QWNjb3VudFJvbGU6OQ=="
    # Arize's rule: only the annotator account role may hold the annotator role.
    assert allowed_roles(auditor) == ALL_FOUR - {Role.ANNOTATOR}
    assert check_role(auditor, "member") is Role.MEMBER
    with pytest.raises(errors.RoleRuleError, match=r"custom account role .* is not the annotator"):
        check_role(auditor, "annotator")
    for bad in ("", "  ", None):
        with pytest.raises(errors.InvalidInputError) as info:
            AccountRole.custom(bad)  # type: ignore[arg-type]
        assert str(info.value) == "a custom account role needs the id of the role"


def test_an_account_role_this_version_does_not_know_is_not_an_annotator_account() -> None:
    owner = AccountRole.predefined("OWNER")
    assert allowed_roles(owner) == ALL_FOUR - {Role.ANNOTATOR}
    assert allowed_roles(AccountRole.MEMBER_UI_ONLY) == ALL_FOUR - {Role.ANNOTATOR}
    for role in PREDEFINED:
        if role is Role.ANNOTATOR:
            with pytest.raises(errors.RoleRuleError, match="does not know"):
                check_role(owner, role)
            with pytest.raises(errors.RoleRuleError, match="member-ui-only is not an annotator"):
                check_role(AccountRole.MEMBER_UI_ONLY, role)
        else:
            assert check_role(owner, role) is role


@pytest.mark.parametrize(
    ("role", "account"),
    [
        ("annotator", AccountRole.ANNOTATOR),
        (Role.ANNOTATOR, AccountRole.ANNOTATOR),
        ("ANNOTATOR", AccountRole.ANNOTATOR),
        ("member", AccountRole.MEMBER),
        (Role.ADMIN, AccountRole.MEMBER),
        ("read-only", AccountRole.MEMBER),
        ("custom:Q3VzdG9tUm9sZTox", AccountRole.MEMBER),
    ],
)
def test_an_invitation_asks_for_the_least_account_role_the_organization_role_allows(
    role: Role | str, account: AccountRole
) -> None:
    assert account_role_for(role) == account
    assert check_role(account, role) == Role.parse(role)  # the annotator rule then holds


def test_the_account_role_for_an_invitation_refuses_a_role_that_is_no_role() -> None:
    with pytest.raises(errors.InvalidInputError, match="no-such-role"):
        account_role_for("no-such-role")
