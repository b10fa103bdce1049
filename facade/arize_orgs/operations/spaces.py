"""Space membership and spaces, as flows (see `_flow`).

A space belongs to one organization, and Arize adds nobody to a space who
is not a member of that organization (400, no auto-enrolment): with
`ensure_org_role`, the organization membership is put first, then the
space's, in that order. The roles, and the annotator rule, are the
organization's.
"""

from __future__ import annotations

import logging

import attrs

from .. import _wire
from .._flow import Flow
from .._text import printable
from ..errors import (
    CUSTOM_ROLE_HINT,
    APIResponseValidationError,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
    UnprocessableEntityError,
)
from ..ids import check_name
from ..records import Space, SpaceMembership
from ..roles import AccountRole, Role
from . import names, organizations, users
from ._answers import read
from .context import Context

__all__ = [
    "NOT_IN_ORG_HINT",
    "add_user",
    "delete_member",
    "get_space",
    "list_spaces",
    "put_member",
    "remove_user",
]

log = logging.getLogger("arize_orgs")

NOT_IN_ORG_HINT = (
    "Arize adds nobody to a space outside its organization: spaces.add_user(..., "
    "ensure_org_role='member') adds to both, the organization first (on the command line, "
    "add-user --space S --org O --org-role ROLE)"
)
ADD_SPACE_404_HINT = (
    "the space, the user or the custom role does not exist, or the key cannot see it: check "
    "the space id (`arize-orgs list-spaces` lists them), the user id and any custom role id"
)
REMOVE_SPACE_HINT = (
    "the space or the user does not exist, or the user is not a member of the space (removed "
    "already, perhaps by an earlier attempt, or by their removal from the organization)"
)


def not_in_org(exc: BadRequestError) -> bool:
    """Whether a 400 to a space add says the user is not in the organization."""
    text = f"{exc.title} {exc.detail or ''}".lower()
    return "not a member" in text and "organization" in text


def add_user(
    ctx: Context,
    space: str,
    user: str,
    role: Role | str,
    *,
    org: str | None = None,
    account_role: AccountRole | str | None = None,
    check_account: bool = False,
    ensure_org_role: Role | str | None = None,
) -> Flow[SpaceMembership]:
    """Make `user` a member of `space` with `role` (an upsert).

    `space` is a space id or its name: a name is looked up within `org` (an
    organization's id or name) when given, else among every space the key
    sees (and must match exactly one). `user` is a user id or an email (the
    one user with it is looked up, and the annotator rule checked against
    their account role); `account_role` and `check_account` as for
    `organizations.add_user`.

    The user must already be a member of the space's organization: Arize
    answers 400 otherwise (BadRequestError, explained). With
    `ensure_org_role` (e.g. "member"), the user is first made a member of
    the organization with that role, then added to the space; the answer's
    `organization_membership` is that first membership. That first add is
    an upsert, as every add is: it *sets* the organization role, so an
    organization admin given `ensure_org_role="member"` becomes a member
    (no endpoint tells an organization's members, so it cannot be asked
    first). Give it for people new to the organization; leave it out for
    members. A space id given with `org` is checked to be one of that
    organization's spaces before anything is written.
    """
    who = users.id_or_email(user)
    wanted, account = organizations.parse_role(role, account_role)
    org_role = None
    if ensure_org_role is not None:
        org_role, _ = organizations.parse_role(ensure_org_role, account)
        if (org_role == Role.ANNOTATOR) != (wanted == Role.ANNOTATOR):
            # The annotator rule ties both roles to the account: annotator in
            # one place and not the other fits no account. Refused before the
            # organization add, which would be written and then stranded.
            raise InvalidInputError(
                f"the organization role {str(org_role)!r} and the space role {str(wanted)!r} "
                "fit no account: an annotator account may only be an annotator, and any other "
                "account never; nothing was sent: give both the annotator role, or neither"
            )
    where = yield from names.space(ctx, space, org)
    wanted = yield from names.custom_role(ctx, wanted)
    if org_role is not None:
        org_role = yield from names.custom_role(ctx, org_role)
    who_is = yield from organizations.member(ctx, who, wanted, account, check_account=check_account)
    if org_role is not None and who_is.found is not None:
        organizations.check_found(who_is.found, org_role)
    org_membership = None
    if org_role is not None:
        # Named or listed within `org`, a space carries that organization's id.
        org_id = where.organization_id
        if org_id is None:
            org_id = (yield from get_space(ctx, where.id)).organization_id
        if org_id is None:
            raise APIResponseValidationError(
                200,
                f"the server did not say which organization space {where.id} belongs to, so "
                "the user cannot be added to it first; pass org= (--org)",
                method="GET",
            )
        org_membership = yield from organizations.put_member(ctx, org_id, who_is.id, org_role)
    membership = yield from put_member(ctx, where.id, who_is.id, wanted)
    return attrs.evolve(membership, organization_membership=org_membership)


def put_member(ctx: Context, space_id: str, user_id: str, role: Role) -> Flow[SpaceMembership]:
    """POST /v2/spaces/{space_id}/users for checked ids and a resolved role;
    the membership answered, once it is the one asked for."""
    try:
        answer = yield _wire.add_space_request(space_id, user_id, role)
    except BadRequestError as exc:
        raise (exc.with_hint(NOT_IN_ORG_HINT) if not_in_org(exc) else exc) from None
    except UnprocessableEntityError as exc:
        raise (exc.with_hint(CUSTOM_ROLE_HINT) if role.is_custom else exc) from None
    except NotFoundError as exc:
        raise exc.with_hint(ADD_SPACE_404_HINT) from None
    membership = read(answer, _wire.space_membership)
    if membership.user_id != user_id or membership.space_id != space_id:
        raise APIResponseValidationError(
            200,
            f"the answer is the membership of user {membership.user_id!r} in space "
            f"{membership.space_id!r}, not of user {user_id} in space {space_id} as asked; "
            "whether the user was added is unknown: check the base URL, and repeat the call "
            "(it is safe)",
        )
    if membership.role != role:
        log.warning(
            "the server made user %s %s in space %s, not %s as asked",
            user_id,
            printable(str(membership.role), 120),
            space_id,
            role,
        )
    return membership


def remove_user(ctx: Context, space: str, user: str, *, org: str | None = None) -> Flow[str]:
    """Remove `user` (an id or an email) from `space` (an id or its name,
    within `org` if given); return the id of the user removed. They stay a
    member of the organization. A user who is not a member is answered 404
    (NotFoundError), as is a repeat: retries are safe."""
    who = users.id_or_email(user)
    where = yield from names.space(ctx, space, org)
    user_id = yield from users.resolved_id(ctx, who)
    yield from delete_member(ctx, where.id, user_id)
    return user_id


def delete_member(ctx: Context, space_id: str, user_id: str) -> Flow[None]:
    """DELETE /v2/spaces/{space_id}/users/{user_id}, for checked ids."""
    try:
        yield _wire.remove_space_request(space_id, user_id)
    except NotFoundError as exc:
        raise exc.with_hint(REMOVE_SPACE_HINT) from None


def get_space(ctx: Context, space: str, *, org: str | None = None) -> Flow[Space]:
    """The space `space` (an id, or its name within `org` if given), as the
    server answers it (GET /v2/spaces/{space_id})."""
    where = yield from names.space(ctx, space, org)
    answer = yield _wire.get_space_request(where.id)
    found = read(answer, _wire.space)
    if found.id != where.id:
        raise APIResponseValidationError(
            answer.status,
            f"the answer is space {printable(found.id, 80)!r}, not {where.id} as asked",
            method="GET",
        )
    return found


def list_spaces(
    ctx: Context, org: str | None = None, *, name: str | None = None
) -> Flow[list[Space]]:
    """Every space the key sees, every page read: those of `org` (an id or
    its name) when given; `name` narrows to those whose name contains it,
    ignoring case (the server's filter)."""
    org_id = None if org is None else (yield from names.organization_id(ctx, org))
    wanted = None if name is None else check_name(name, "the name to filter by")
    found: list[Space] = yield from names.every(
        None,
        lambda cursor: _wire.list_spaces_request(org_id, wanted, cursor, names.LISTING_PAGE),
        _wire.space_page,
        "spaces",
    )
    return found
