"""_wire, the one translation between facade values and generated models, unit
by unit: the requests it builds, answers read strictly and (when the
generated models refuse them) leniently, and the answers the sandbox writes.
No HTTP: dicts in, values out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from arize_orgs import _wire
from arize_orgs.records import Membership, User, UserPage
from arize_orgs.roles import AccountRole, Role

ORG = "QWNjb3VudE9yZ2FuaXphdGlvbjox"
USER = "VXNlcjoxMjM0NQ=="
MEMBERSHIP = "QWNjb3VudE9yZ2FuaXphdGlvbk1lbWJlcjox"
CUSTOM = "Um9sZTo3"


def member(role: object, **extra: Any) -> dict[str, Any]:
    return {"id": MEMBERSHIP, "user_id": USER, "organization_id": ORG, "role": role, **extra}


def account_user(role: object, **extra: Any) -> dict[str, Any]:
    return {"id": USER, "email": "jane@acme.test", "role": role, **extra}


# ---- requests ---------------------------------------------------------------------------------


def test_an_add_request_carries_the_role_in_the_served_spelling() -> None:
    request = _wire.add_request(ORG, USER, Role.READ_ONLY).request
    assert (request["method"], request["url"]) == ("post", f"/v2/organizations/{ORG}/users")
    assert request["json"] == {"user_id": USER, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}
    # A custom role by id; its label is never sent.
    request = _wire.add_request(ORG, USER, Role.custom(CUSTOM, label="Auditor")).request
    assert request["json"] == {"user_id": USER, "role": {"type": "CUSTOM", "id": CUSTOM}}


def test_user_requests_send_only_what_is_given() -> None:
    # The id is quoted into the path ('=' is not left as it is).
    assert _wire.get_user_request(USER).request == {
        "method": "get",
        "url": "/v2/users/VXNlcjoxMjM0NQ%3D%3D",
    }
    listing = _wire.list_users_request(None, None, 100).request
    assert (listing["url"], listing["params"]) == ("/v2/users", {"limit": 100})
    listing = _wire.list_users_request("jane@acme.test", "Y3Vy", 5).request
    assert listing["params"] == {"email": "jane@acme.test", "limit": 5, "cursor": "Y3Vy"}
    assert _wire.list_users_request("", "", 5).request["params"] == {"email": "", "limit": 5}


# ---- memberships --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["READ_ONLY", "read-only", "Read Only"])
def test_a_membership_reads_a_predefined_role_in_any_spelling(name: str) -> None:
    read = _wire.membership(member({"type": "PREDEFINED", "name": name}))
    assert read == Membership(MEMBERSHIP, USER, ORG, Role.READ_ONLY)
    assert read.role is Role.READ_ONLY


@pytest.mark.parametrize("kind", ["CUSTOM", "custom"])
def test_a_membership_reads_a_custom_role_with_its_label(kind: str) -> None:
    read = _wire.membership(member({"type": kind, "id": CUSTOM, "name": "Auditor"}))
    assert read.role == Role.custom(CUSTOM) and read.role.label == "Auditor"
    unlabelled = _wire.membership(member({"type": kind, "id": CUSTOM}))
    assert unlabelled.role == Role.custom(CUSTOM) and unlabelled.role.label is None
    odd_label = _wire.membership(member({"type": kind, "id": CUSTOM, "name": 7}))
    assert odd_label.role == Role.custom(CUSTOM) and odd_label.role.label is None


def test_a_membership_keeps_a_role_this_version_does_not_know() -> None:
    read = _wire.membership(member({"type": "PREDEFINED", "name": "OWNER"}))
    assert read.role == Role.predefined("OWNER") and not read.role.known
    read = _wire.membership(member({"type": "predefined", "name": "billing-admin"}))
    assert read.role.name == "BILLING_ADMIN"


@pytest.mark.parametrize(
    ("role", "why"),
    [
        ("ADMIN", "role is not an object"),
        ({"type": "CUSTOM"}, "custom role without an id"),
        ({"type": "custom", "id": 7}, "custom role without an id"),
        ({"type": "PREDEFINED"}, "predefined role without a name"),
        ({"type": "predefined", "name": ""}, "predefined role without a name"),
        ({"type": "OWNER", "name": "ADMIN"}, "role of unknown type 'OWNER'"),
        ({"type": 3, "name": "ADMIN"}, "role of unknown type '3'"),
        ({"type": "x" * 50, "name": "ADMIN"}, f"role of unknown type {'x' * 39 + '…'!r}"),
        ({"name": "ADMIN"}, "role of unknown type 'None'"),
    ],
)
def test_a_membership_whose_role_is_unusable_is_refused_saying_why(role: object, why: str) -> None:
    with pytest.raises(TypeError) as info:
        _wire.membership(member(role))
    assert str(info.value) == why


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ([], r"^the body is not a JSON object$"),
        ({**member({"type": "PREDEFINED", "name": "ADMIN"}), "id": None}, "'id' is missing"),
        (
            {
                k: v
                for k, v in member({"type": "PREDEFINED", "name": "ADMIN"}).items()
                if k != "user_id"
            },
            "'user_id' is missing",
        ),
        (
            {**member({"type": "PREDEFINED", "name": "ADMIN"}), "organization_id": 1},
            "'organization_id' is",
        ),
    ],
)
def test_a_body_that_is_no_membership_is_refused(body: object, why: str) -> None:
    with pytest.raises(TypeError, match=why):
        _wire.membership(body)


def test_a_membership_lenient_reading_still_checks_every_field() -> None:
    lenient = member({"type": "predefined", "name": "admin"}, id=5)
    with pytest.raises(TypeError, match="'id' is missing or not a string"):
        _wire.membership(lenient)


# ---- users ------------------------------------------------------------------------------------


def test_a_user_reads_every_field_the_server_gives() -> None:
    read = _wire.user(
        account_user(
            {"type": "PREDEFINED", "name": "ANNOTATOR"},
            name="Jane",
            status="INVITED",
            is_developer=True,
            created_at="2026-01-02T03:04:05+00:00",
        )
    )
    assert read == User(
        USER,
        "jane@acme.test",
        AccountRole.ANNOTATOR,
        name="Jane",
        status="invited",
        is_developer=True,
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert read.account_role is AccountRole.ANNOTATOR


def test_a_user_in_the_seed_spelling_or_with_odd_fields_reads_leniently() -> None:
    read = _wire.user(
        account_user(
            {"type": "predefined", "name": "member"},
            name=3,
            status="active",
            is_developer="yes",
            created_at="yesterday",
        )
    )
    assert read == User(USER, "jane@acme.test", AccountRole.MEMBER, status="active")
    assert read.account_role is AccountRole.MEMBER
    read = _wire.user(account_user({"type": "custom", "id": "QWNjb3VudFJvbGU6OQ=="}, created_at=5))
    assert read.account_role == AccountRole.custom("QWNjb3VudFJvbGU6OQ==")
    assert read.created_at is None
    strict_custom = _wire.user(account_user({"type": "CUSTOM", "id": "QWNjb3VudFJvbGU6OQ=="}))
    assert strict_custom.account_role == AccountRole.custom("QWNjb3VudFJvbGU6OQ==")
    assert strict_custom.account_role.label is None  # no name, no label


@pytest.mark.parametrize("kind", ["CUSTOM", "custom"])
def test_a_users_custom_account_role_keeps_its_name_in_either_spelling(kind: str) -> None:
    role = {"type": kind, "id": "QWNjb3VudFJvbGU6OQ==", "name": "Auditor"}
    read = _wire.user(account_user(role))
    assert read.account_role == AccountRole.custom("QWNjb3VudFJvbGU6OQ==")
    assert read.account_role is not None and read.account_role.label == "Auditor"


@pytest.mark.parametrize(
    "role", [None, "ADMIN", {"type": "CUSTOM", "id": ""}, {"type": "CUSTOM"}, {"type": "x"}]
)
def test_a_user_whose_account_role_is_unusable_reads_with_none(role: object) -> None:
    assert _wire.user(account_user(role)).account_role is None


def test_a_user_needs_an_id_and_an_email() -> None:
    with pytest.raises(TypeError, match=r"^a user is not a JSON object$"):
        _wire.user(["not", "a", "user"])
    with pytest.raises(TypeError, match="'email' is missing or not a string"):
        _wire.user({"id": USER, "role": {"type": "PREDEFINED", "name": "ADMIN"}})


# ---- pages of users ---------------------------------------------------------------------------


def page(more: object, cursor: object, **extra: Any) -> dict[str, Any]:
    role = {"type": "PREDEFINED", "name": "MEMBER"}
    return {
        "users": [account_user(role), account_user(role, id="VXNlcjoy", email="b@x.io")],
        "pagination": {"has_more": more, "next_cursor": cursor},
        **extra,
    }


def test_a_page_gives_its_users_and_the_next_cursor_only_when_there_is_more() -> None:
    read = _wire.user_page(page(True, "Y3Vy"))
    assert isinstance(read, UserPage)
    assert [u.email for u in read.users] == ["jane@acme.test", "b@x.io"]
    assert read.next_cursor == "Y3Vy"
    assert _wire.user_page(page(False, "Y3Vy")).next_cursor is None
    # "More" with no cursor hides the rest: an email there would read as no
    # user (and --invite invite someone who has an account), so it is refused.
    for cursor in ("", None):
        with pytest.raises(TypeError, match="has more but gives no cursor"):
            _wire.user_page(page(True, cursor))


def test_a_page_the_models_refuse_is_read_leniently() -> None:
    seed = page(True, "Y3Vy")
    seed["users"][0]["role"] = {"type": "predefined", "name": "member"}
    read = _wire.user_page(seed)
    assert read.users[0].account_role is AccountRole.MEMBER and read.next_cursor == "Y3Vy"
    assert _wire.user_page(page(1, 7)).next_cursor is None  # has_more must be true itself
    no_pagination = {"users": [], "pagination": "none"}
    assert _wire.user_page(no_pagination) == UserPage((), None)
    assert _wire.user_page({"users": []}) == UserPage((), None)
    # A cursor without has_more is no promise of another page.
    no_more = {"users": [], "pagination": {"next_cursor": "Y3Vy"}}
    assert _wire.user_page(no_more) == UserPage((), None)
    no_more["pagination"]["has_more"] = None
    assert _wire.user_page(no_more) == UserPage((), None)


@pytest.mark.parametrize("body", [[], {"users": "none"}, {"items": []}, None])
def test_a_body_that_is_no_page_is_refused(body: object) -> None:
    with pytest.raises(TypeError, match=r"^not a page of users$"):
        _wire.user_page(body)


# ---- the other direction: what the sandbox reads and answers ------------------------------------


def test_the_sandbox_reads_an_add_request() -> None:
    body = {"user_id": USER, "role": {"type": "PREDEFINED", "name": "READ_ONLY"}}
    user_id, role = _wire.read_add_request(body)
    assert (user_id, role) == (USER, Role.READ_ONLY) and role is Role.READ_ONLY
    body = {"user_id": USER, "role": {"type": "CUSTOM", "id": CUSTOM}}
    assert _wire.read_add_request(body) == (USER, Role.custom(CUSTOM))


def test_answers_carry_a_custom_roles_name_and_a_predefined_roles_value() -> None:
    assert _wire.role_json(Role.ADMIN) == {"type": "PREDEFINED", "name": "ADMIN"}
    assert _wire.role_json(Role.custom(CUSTOM, label="Auditor")) == {
        "type": "CUSTOM",
        "id": CUSTOM,
        "name": "Auditor",
    }
    assert _wire.role_json(Role.custom(CUSTOM)) == {"type": "CUSTOM", "id": CUSTOM}
    # A custom role made by hand without an id is answered with an empty one, not a made-up one.
    assert _wire.role_json(Role("custom")) == {"type": "CUSTOM", "id": ""}
    record = Membership(MEMBERSHIP, USER, ORG, Role.custom(CUSTOM, label="Auditor"))
    assert _wire.membership_json(record) == member(
        {"type": "CUSTOM", "id": CUSTOM, "name": "Auditor"}
    )
    assert _wire.membership(_wire.membership_json(record)) == record


def test_a_user_answer_round_trips() -> None:
    full = User(
        USER,
        "jane@acme.test",
        AccountRole.ANNOTATOR,
        name="Jane",
        status="expired",
        is_developer=False,
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    answer = _wire.user_json(full)
    assert answer == {
        "id": USER,
        "email": "jane@acme.test",
        "role": {"type": "PREDEFINED", "name": "ANNOTATOR"},
        "name": "Jane",
        "status": "EXPIRED",
        "is_developer": False,
        "created_at": "2026-01-02T03:04:05+00:00",
    }
    assert _wire.user(answer) == full
    bare = User(USER, "jane@acme.test", AccountRole.custom("QWNjb3VudFJvbGU6OQ=="))
    assert _wire.user_json(bare) == {
        "id": USER,
        "email": "jane@acme.test",
        "role": {"type": "CUSTOM", "id": "QWNjb3VudFJvbGU6OQ=="},
    }
    assert _wire.user(_wire.user_json(bare)) == bare
    unknown = User(USER, "jane@acme.test", None)
    assert _wire.user_json(unknown)["role"] == {"type": "CUSTOM", "id": ""}


# ---- invitations and removals ---------------------------------------------------------------

CUSTOM_ACCOUNT = "QWNjb3VudFJvbGU6OQ=="


def test_a_removal_deletes_the_membership_by_its_two_ids() -> None:
    assert _wire.remove_request(ORG, USER).request == {
        "method": "delete",
        "url": f"/v2/organizations/{ORG}/users/VXNlcjoxMjM0NQ%3D%3D",
    }


@pytest.mark.parametrize(
    ("account", "role_json"),
    [
        (AccountRole.ANNOTATOR, {"type": "PREDEFINED", "name": "ANNOTATOR"}),
        (AccountRole.MEMBER, {"type": "PREDEFINED", "name": "MEMBER"}),
        (AccountRole.custom(CUSTOM_ACCOUNT), {"type": "CUSTOM", "id": CUSTOM_ACCOUNT}),
    ],
)
@pytest.mark.parametrize(
    ("mode", "mode_json"),
    [("email-link", "EMAIL_LINK"), ("none", "NONE"), ("temporary-password", "TEMPORARY_PASSWORD")],
)
def test_an_invitation_carries_the_account_role_and_mode_in_the_served_spelling(
    account: AccountRole, role_json: dict[str, str], mode: Any, mode_json: str
) -> None:
    request = _wire.invite_request("kate@acme.test", None, account, mode).request
    assert (request["method"], request["url"]) == ("post", "/v2/users")
    body = {"email": "kate@acme.test", "role": role_json, "invite_mode": mode_json}
    assert request["json"] == body  # no name: the server picks one
    named = _wire.invite_request("kate@acme.test", "Kate Bell", account, mode).request
    assert named["json"] == {**body, "name": "Kate Bell"}
    # The sandbox reads back exactly what was asked.
    assert _wire.read_invite_request(request["json"]) == ("kate@acme.test", None, account, mode)
    assert _wire.read_invite_request(named["json"]) == (
        "kate@acme.test",
        "Kate Bell",
        account,
        mode,
    )


def test_an_invited_user_keeps_a_temporary_password_only_when_one_was_made() -> None:
    answer = account_user({"type": "PREDEFINED", "name": "MEMBER"}, status="INVITED")
    with_password = _wire.invited_user({**answer, "temporary_password": "Tmp-9f8e7d"})
    assert with_password.temporary_password is not None
    assert with_password.temporary_password.reveal() == "Tmp-9f8e7d"
    assert with_password == _wire.user(answer)  # the same user: the password is no part of it
    for none in ({}, {"temporary_password": ""}, {"temporary_password": 7}):
        assert _wire.invited_user({**answer, **none}).temporary_password is None


def test_the_sandboxs_invitation_answer_carries_the_password_only_when_there_is_one() -> None:
    invited = _wire.invited_user(
        {**account_user({"type": "PREDEFINED", "name": "MEMBER"}), "temporary_password": "Tmp-1"}
    )
    body = _wire.invited_user_json(invited)
    assert body == {**_wire.user_json(invited), "temporary_password": "Tmp-1"}
    assert _wire.invited_user(body).temporary_password.reveal() == "Tmp-1"  # type: ignore[union-attr]
    plain = _wire.user(account_user({"type": "PREDEFINED", "name": "MEMBER"}))
    assert _wire.invited_user_json(plain) == _wire.user_json(plain)
    assert "temporary_password" not in _wire.invited_user_json(plain)
