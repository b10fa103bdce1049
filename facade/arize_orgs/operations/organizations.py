"""Organization membership and organizations, as flows (see `_flow`)."""

from __future__ import annotations

import logging

import attrs

from .. import _wire
from .._flow import Flow
from .._text import printable
from ..errors import (
    CUSTOM_ROLE_HINT,
    REMOVE_HINT,
    APIResponseValidationError,
    NotFoundError,
    UnprocessableEntityError,
)
from ..ids import check_name, is_email
from ..records import InviteMode, Membership, Organization, User
from ..roles import AccountRole, Role, account_role_for, check_role
from . import names, users
from ._answers import read
from .context import Context

__all__ = [
    "Member",
    "add_user",
    "check_found",
    "delete_member",
    "get_organization",
    "list_organizations",
    "member",
    "parse_role",
    "put_member",
    "remove_user",
]

log = logging.getLogger("arize_orgs")


def check_found(found: User, role: Role) -> None:
    """The annotator rule against the account role a look-up answered."""
    if found.account_role is None:
        raise APIResponseValidationError(
            200,
            f"the server did not say user {found.id}'s account role, so the annotator "
            "rule cannot be checked; pass account_role= if you know it",
            method="GET",
        )
    check_role(found.account_role, role)


def parse_role(
    role: Role | str, account_role: AccountRole | str | None
) -> tuple[Role, AccountRole | None]:
    """The role asked for and the account role given, checked against each
    other (the annotator rule) when the account role is given."""
    wanted = Role.parse(role)
    account = None if account_role is None else AccountRole.parse(account_role)
    if account is not None:
        check_role(account, wanted)
    return wanted, account


def _invitation(
    who: str,
    role: Role,
    account: AccountRole | None,
    invite: bool,
    name: str | None,
    invite_mode: InviteMode | str,
) -> users.Invitation | None:
    """add_user(invite=True): the invitation to send if the email matches no
    account. Its account role is the one given, else the least that the role
    allows (see roles.account_role_for). A user given by id has an account
    already: nothing to invite (the arguments are still checked)."""
    if not invite:
        return None
    account = account or account_role_for(role)
    if not is_email(who):
        users.check_invite("someone@example.com", name, account, invite_mode)
        return None
    return users.check_invite(who, name, account, invite_mode)


def member(
    ctx: Context,
    user: str,
    role: Role,
    account: AccountRole | None,
    *,
    check_account: bool = False,
    invitation: users.Invitation | None = None,
) -> Flow[Member]:
    """The user to make a member with `role`, once the annotator rule holds
    against the account role given or looked up."""
    if not is_email(user):
        if check_account:
            found = yield from users.get_user(ctx, user)
            check_found(found, role)
            return Member(user, found)
        return Member(user, None)
    found, invited = yield from users.found_or_invited(ctx, user, invitation)
    with users.keeping(invited):
        check_found(found, role)
    return Member(found.id, found, invited)


@attrs.frozen
class Member:
    """Who a membership call is for: the user id, the user if it was looked
    up (with their account role), and the user an invitation made."""

    id: str
    found: User | None
    invited: User | None = None


def add_user(
    ctx: Context,
    org_id: str,
    user: str,
    role: Role | str,
    *,
    account_role: AccountRole | str | None = None,
    check_account: bool = False,
    invite: bool = False,
    name: str | None = None,
    invite_mode: InviteMode | str = "email-link",
) -> Flow[Membership]:
    """Make `user` a member of the organization `org_id` (an id or its
    name) with `role` (an upsert: a member gets their role changed).

    `user` is a user id, or an email address: then the one user with
    exactly that email is looked up first, and the annotator rule is
    checked against the account role the look-up answers. With
    `account_role`, the rule is checked before anything is sent; with
    `check_account=True`, a user given by id is fetched first and checked.

    `invite=True`: an email that matches no account is invited first
    (see `invite_user`; `name` and `invite_mode` go to it), with
    `account_role` if given, else `annotator` for the annotator role and
    `member` for any other, so the annotator rule holds by construction.
    The membership's `invited` is then the invited user (with its
    temporary password, if one was asked for).

    A custom role may be given by name (`Role.custom("Auditor")`,
    "custom:Auditor"): it is resolved once per client (GET /v2/roles).

    Raises InvalidInputError (nothing sent) or one of the API errors in
    `arize_orgs.errors`.
    """
    who = users.id_or_email(user)
    wanted, account = parse_role(role, account_role)
    invitation = _invitation(who, wanted, account, invite, name, invite_mode)
    org = yield from names.organization_id(ctx, org_id)
    wanted = yield from names.custom_role(ctx, wanted)
    who_is = yield from member(
        ctx, who, wanted, account, check_account=check_account, invitation=invitation
    )
    invited = who_is.invited
    with users.keeping(invited):
        membership = yield from put_member(ctx, org, who_is.id, wanted)
    return membership if invited is None else attrs.evolve(membership, invited=invited)


def put_member(ctx: Context, org_id: str, user_id: str, role: Role) -> Flow[Membership]:
    """POST /v2/organizations/{org_id}/users for checked ids and a resolved
    role; the membership answered, once it is the one asked for."""
    try:
        answer = yield _wire.add_request(org_id, user_id, role)
    except UnprocessableEntityError as exc:
        raise (exc.with_hint(CUSTOM_ROLE_HINT) if role.is_custom else exc) from None
    return answered(read(answer, _wire.membership), org_id, user_id, role)


def answered(membership: Membership, org_id: str, user_id: str, role: Role) -> Membership:
    """The membership answered, once it is the one asked for. One of another
    user or organization is APIResponseValidationError: the answer is not
    about this request (a proxy or a server that answers wrongly), so the
    write cannot be taken as done. A role other than the one sent is the
    server's decision to report, not to hide: it is logged as a warning (the
    `arize_orgs` logger; the CLI prints it)."""
    if membership.user_id != user_id or membership.organization_id != org_id:
        raise APIResponseValidationError(
            200,
            f"the answer is the membership of user {membership.user_id!r} in organization "
            f"{membership.organization_id!r}, not of user {user_id} in organization "
            f"{org_id} as asked; whether the user was added is unknown: check the "
            "base URL, and repeat the call (it is safe)",
        )
    if membership.role != role:
        log.warning(
            "the server made user %s %s in organization %s, not %s as asked",
            user_id,
            printable(str(membership.role), 120),
            org_id,
            role,
        )
    return membership


def remove_user(ctx: Context, org_id: str, user: str) -> Flow[str]:
    """Remove `user` from the organization `org_id` (an id or its name) and
    from every space in it; return the id of the user removed. The account
    stays: adding them again undoes it.

    `user` is a user id, or an email (looked up first: exactly one user
    must have it). Removing is idempotent in effect (after one call or
    several the user is not a member), so retries are safe; a repeat,
    or a retry whose first attempt was carried out but whose answer was
    lost, is answered 404 (NotFoundError), as is an unknown organization
    or user or one who is not a member.
    """
    who = users.id_or_email(user)
    org = yield from names.organization_id(ctx, org_id)
    user_id = yield from users.resolved_id(ctx, who)
    yield from delete_member(ctx, org, user_id)
    return user_id


def delete_member(ctx: Context, org_id: str, user_id: str) -> Flow[None]:
    """DELETE /v2/organizations/{org_id}/users/{user_id}, for checked ids."""
    try:
        yield _wire.remove_request(org_id, user_id)
    except NotFoundError as exc:
        raise exc.with_hint(REMOVE_HINT) from None


def get_organization(ctx: Context, org: str) -> Flow[Organization]:
    """The organization `org` (an id or its name), as the server answers it
    (GET /v2/organizations/{org_id})."""
    org_id = yield from names.organization_id(ctx, org)
    answer = yield _wire.get_organization_request(org_id)
    found = read(answer, _wire.organization)
    if found.id != org_id:
        raise APIResponseValidationError(
            answer.status,
            f"the answer is organization {printable(found.id, 80)!r}, not {org_id} as asked",
            method="GET",
        )
    return found


def list_organizations(ctx: Context, name: str | None = None) -> Flow[list[Organization]]:
    """Every organization the key sees, every page read; `name` narrows to
    those whose name contains it, ignoring case (the server's filter)."""
    wanted = None if name is None else check_name(name, "the name to filter by")
    found: list[Organization] = yield from names.every(
        None,
        lambda cursor: _wire.list_organizations_request(wanted, cursor, names.LISTING_PAGE),
        _wire.organization_page,
        "organizations",
    )
    return found
