"""The one translation between facade values and the generated client.

Everything that knows a generated name lives here: the client builds its
requests and reads its answers through it, and the sandbox reads requests
and writes answers through it. Generated enums are referred to by member
(`OrganizationRole.READ_ONLY`), never by wire spelling, so a spec that
respells its values regenerates into a package this module drives unchanged.

Strict going out, tolerant coming in: a request is built by the generated
models from values the facade has checked. An answer is parsed by the
generated models, and their fields are used when that succeeds; when it does
not (another spelling of the same values, such as the seed page's
`read-only` for `READ_ONLY`, or a role added to the API after this version),
the answer is read leniently instead of failing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from arize_orgs_api.api.organizations import (
    add_organization_user,
    get_organization,
    list_organizations,
    remove_organization_user,
)
from arize_orgs_api.api.roles import list_roles
from arize_orgs_api.api.spaces import add_space_user, get_space, list_spaces, remove_space_user
from arize_orgs_api.api.users import create_user, get_user, list_users
from arize_orgs_api.models import (
    AccountCustomRoleAssignment,
    AccountCustomRoleAssignmentType,
    AccountPredefinedRoleAssignment,
    AccountPredefinedRoleAssignmentType,
    AddOrganizationUserRequest,
    AddSpaceUserRequest,
    CreateUserRequest,
    InviteMode,
    OrganizationCustomRoleAssignment,
    OrganizationCustomRoleAssignmentType,
    OrganizationMembership,
    OrganizationPredefinedRoleAssignment,
    OrganizationPredefinedRoleAssignmentType,
    OrganizationRole,
    SpaceCustomRoleAssignment,
    SpaceCustomRoleAssignmentType,
    SpacePredefinedRoleAssignment,
    SpacePredefinedRoleAssignmentType,
    SpaceRole,
    UserList,
    UserStatus,
)
from arize_orgs_api.models import AccountRole as WireAccountRole
from arize_orgs_api.models import Organization as WireOrganization
from arize_orgs_api.models import Role as WireRole
from arize_orgs_api.models import Space as WireSpace
from arize_orgs_api.models import SpaceMembership as WireSpaceMembership
from arize_orgs_api.models import User as WireUser
from arize_orgs_api.types import UNSET

from ._redact import shown
from .errors import InvalidInputError
from .records import (
    INVITE_MODES,
    Membership,
    Organization,
    RoleDefinition,
    Secret,
    Space,
    SpaceMembership,
    User,
    UserPage,
)
from .records import InviteMode as FacadeInviteMode
from .roles import AccountRole, Role, member_name

__all__ = [
    "ADD_SPACE_USER",
    "ADD_USER",
    "ENUMS",
    "GET_ORGANIZATION",
    "GET_SPACE",
    "GET_USER",
    "INVITE_USER",
    "LIST_ORGANIZATIONS",
    "LIST_ROLES",
    "LIST_SPACES",
    "LIST_USERS",
    "REMOVE_SPACE_USER",
    "REMOVE_USER",
    "ROLE_VALUES",
    "Call",
    "Page",
    "add_request",
    "get_user_request",
    "invite_request",
    "invited_user",
    "invited_user_json",
    "list_users_request",
    "membership",
    "membership_json",
    "read_add_request",
    "read_invite_request",
    "remove_request",
    "role_json",
    "user",
    "user_json",
    "user_page",
]

Request = dict[str, Any]  # the generated `_get_kwargs`: method, url, params or json

# Endpoints as Arize counts them for its rate limit: method and path template.
ADD_USER: Final = "POST /v2/organizations/{org_id}/users"
REMOVE_USER: Final = "DELETE /v2/organizations/{org_id}/users/{user_id}"
GET_ORGANIZATION: Final = "GET /v2/organizations/{org_id}"
LIST_ORGANIZATIONS: Final = "GET /v2/organizations"
ADD_SPACE_USER: Final = "POST /v2/spaces/{space_id}/users"
REMOVE_SPACE_USER: Final = "DELETE /v2/spaces/{space_id}/users/{user_id}"
GET_SPACE: Final = "GET /v2/spaces/{space_id}"
LIST_SPACES: Final = "GET /v2/spaces"
INVITE_USER: Final = "POST /v2/users"
GET_USER: Final = "GET /v2/users/{user_id}"
LIST_USERS: Final = "GET /v2/users"
LIST_ROLES: Final = "GET /v2/roles"


def _one_path(call: Call, _: attrs.Attribute[Request], request: Request) -> None:
    """The request's path has as many segments as its endpoint's template.
    The generated code escapes '/' in an id, not '.': an id of '..' (or an
    empty one) from a misbehaving server would make httpx (or any proxy on
    the way) send the request to another endpoint, a DELETE of
    /v2/users/{user_id} say, which blocks an account for good."""
    template = call.endpoint.split(" ", 1)[1].split("/")
    path = str(request["url"]).split("?", 1)[0].split("/")
    bad = [p for p in path[1:] if p in ("", ".", "..")]
    if bad or len(path) != len(template):
        raise InvalidInputError(
            f"an id in the request to {call.endpoint} is {bad[0] if bad else path!r}, which is "
            "not an id (it would send the request to another endpoint): an answer it came from "
            "is not the API's; nothing was sent: check the base URL"
        )


@attrs.frozen
class Call:
    """One request, built and not sent: the endpoint it counts against
    (for pacing) and the generated client's keyword arguments. Its path is
    checked against the endpoint's template (see `_one_path`)."""

    endpoint: str
    request: Request = attrs.field(eq=False, validator=_one_path)


@attrs.frozen
class Page:
    """One page of a listing: its items, and the next page's cursor (None
    on the last)."""

    items: tuple[Any, ...]
    next_cursor: str | None


# Where the spec defines each enum whose values travel in role objects and
# user records -> the generated enum. Every spelling of the spec shares the
# member names; the sandbox maps the spelling it serves onto these.
ENUMS: Final[Mapping[str, type[enum.Enum]]] = {
    "OrganizationRole": OrganizationRole,
    "AccountRole": WireAccountRole,
    "UserStatus": UserStatus,
    "InviteMode": InviteMode,
    "OrganizationPredefinedRoleAssignment.type": OrganizationPredefinedRoleAssignmentType,
    "OrganizationCustomRoleAssignment.type": OrganizationCustomRoleAssignmentType,
    "AccountPredefinedRoleAssignment.type": AccountPredefinedRoleAssignmentType,
    "AccountCustomRoleAssignment.type": AccountCustomRoleAssignmentType,
    "SpaceRole": SpaceRole,
    "SpacePredefinedRoleAssignment.type": SpacePredefinedRoleAssignmentType,
    "SpaceCustomRoleAssignment.type": SpaceCustomRoleAssignmentType,
}

# The predefined organization roles' values, as the generated models spell them.
ROLE_VALUES: Final = tuple(str(m.value) for m in OrganizationRole)
_WIRE_ROLE: Final = {
    Role.predefined(m.name): OrganizationPredefinedRoleAssignment(
        type_=OrganizationPredefinedRoleAssignmentType.PREDEFINED, name=m
    )
    for m in OrganizationRole
}
_WIRE_SPACE_ROLE: Final = {
    Role.predefined(m.name): SpacePredefinedRoleAssignment(
        type_=SpacePredefinedRoleAssignmentType.PREDEFINED, name=m
    )
    for m in SpaceRole
}
_ROLE_OF: Final = {m: Role.predefined(m.name) for m in OrganizationRole}
_SPACE_ROLE_OF: Final = {m: Role.predefined(m.name) for m in SpaceRole}
_ACCOUNT_ROLE_OF: Final = {m: AccountRole.predefined(m.name) for m in WireAccountRole}
_PARSE_ERRORS: Final = (KeyError, ValueError, TypeError, AttributeError, InvalidInputError)

# ---- requests ------------------------------------------------------------------------


def _role_model(
    role: Role, *, labelled: bool = False
) -> OrganizationPredefinedRoleAssignment | OrganizationCustomRoleAssignment:
    """The generated role object; `labelled` adds a custom role's display
    name, which answers carry and requests never do."""
    if role.is_custom:
        model = OrganizationCustomRoleAssignment(
            type_=OrganizationCustomRoleAssignmentType.CUSTOM, id=role.id or ""
        )
        if labelled and role.label:
            model.name = role.label
        return model
    return _WIRE_ROLE[role]


def _space_role_model(
    role: Role, *, labelled: bool = False
) -> SpacePredefinedRoleAssignment | SpaceCustomRoleAssignment:
    """The generated space role object (same wire shape, its own schema)."""
    if role.is_custom:
        model = SpaceCustomRoleAssignment(
            type_=SpaceCustomRoleAssignmentType.CUSTOM, id=role.id or ""
        )
        if labelled and role.label:
            model.name = role.label
        return model
    return _WIRE_SPACE_ROLE[role]


def add_request(org_id: str, user_id: str, role: Role) -> Call:
    """POST /v2/organizations/{org_id}/users, for checked values."""
    body = AddOrganizationUserRequest(user_id=user_id, role=_role_model(role))
    return Call(ADD_USER, add_organization_user._get_kwargs(org_id=org_id, body=body))


def remove_request(org_id: str, user_id: str) -> Call:
    """DELETE /v2/organizations/{org_id}/users/{user_id}, for checked ids."""
    return Call(REMOVE_USER, remove_organization_user._get_kwargs(org_id=org_id, user_id=user_id))


def add_space_request(space_id: str, user_id: str, role: Role) -> Call:
    """POST /v2/spaces/{space_id}/users, for checked values."""
    body = AddSpaceUserRequest(user_id=user_id, role=_space_role_model(role))
    return Call(ADD_SPACE_USER, add_space_user._get_kwargs(space_id=space_id, body=body))


def remove_space_request(space_id: str, user_id: str) -> Call:
    """DELETE /v2/spaces/{space_id}/users/{user_id}, for checked ids."""
    return Call(
        REMOVE_SPACE_USER, remove_space_user._get_kwargs(space_id=space_id, user_id=user_id)
    )


def get_organization_request(org_id: str) -> Call:
    return Call(GET_ORGANIZATION, get_organization._get_kwargs(org_id=org_id))


def list_organizations_request(name: str | None, cursor: str | None, limit: int) -> Call:
    return Call(
        LIST_ORGANIZATIONS,
        list_organizations._get_kwargs(
            name=UNSET if name is None else name, limit=limit, cursor=cursor or UNSET
        ),
    )


def get_space_request(space_id: str) -> Call:
    return Call(GET_SPACE, get_space._get_kwargs(space_id=space_id))


def list_spaces_request(
    org_id: str | None, name: str | None, cursor: str | None, limit: int
) -> Call:
    return Call(
        LIST_SPACES,
        list_spaces._get_kwargs(
            org_id=UNSET if org_id is None else org_id,
            name=UNSET if name is None else name,
            limit=limit,
            cursor=cursor or UNSET,
        ),
    )


def list_roles_request(is_predefined: bool | None, cursor: str | None, limit: int) -> Call:
    return Call(
        LIST_ROLES,
        list_roles._get_kwargs(
            is_predefined=UNSET if is_predefined is None else is_predefined,
            limit=limit,
            cursor=cursor or UNSET,
        ),
    )


def _account_role_model(
    account: AccountRole | None,
) -> AccountPredefinedRoleAssignment | AccountCustomRoleAssignment:
    """The generated account role object; a user whose account role was not
    read (None) is written as a custom role without an id."""
    if account is None or account.is_custom:
        return AccountCustomRoleAssignment(
            type_=AccountCustomRoleAssignmentType.CUSTOM, id=(account and account.id) or ""
        )
    return AccountPredefinedRoleAssignment(
        type_=AccountPredefinedRoleAssignmentType.PREDEFINED,
        name=WireAccountRole[account.name or ""],
    )


def invite_request(
    email: str, name: str | None, account_role: AccountRole, mode: FacadeInviteMode
) -> Call:
    """POST /v2/users, for checked values: the facade's invite mode
    ('email-link') names the generated member (EMAIL_LINK)."""
    body = CreateUserRequest(
        email=email,
        role=_account_role_model(account_role),
        invite_mode=InviteMode[member_name(mode)],
        name=UNSET if name is None else name,
    )
    return Call(INVITE_USER, create_user._get_kwargs(body=body))


def get_user_request(user_id: str) -> Call:
    return Call(GET_USER, get_user._get_kwargs(user_id=user_id))


def list_users_request(email: str | None, cursor: str | None, limit: int) -> Call:
    return Call(
        LIST_USERS,
        list_users._get_kwargs(
            email=UNSET if email is None else email, limit=limit, cursor=cursor or UNSET
        ),
    )


# ---- answers, read tolerantly ------------------------------------------------------------


def _is(wire_type: object, kind: type[enum.Enum]) -> bool:
    """Whether a role object's `type` is `kind`'s one value, in any spelling
    ('CUSTOM' as served today, 'custom' as the seed page spells it)."""
    return isinstance(wire_type, str) and member_name(wire_type) in kind.__members__


def _lenient_role(
    data: object,
    cls: type[Role] | type[AccountRole],
    predefined: type[enum.Enum],
    custom: type[enum.Enum],
) -> Any:
    """A role from an answer the generated model refused: another spelling
    of the same values, or a role name added to the API after this version.
    A `type` that is neither kind is refused: a custom role's display name
    must never be read as a predefined role."""
    if not isinstance(data, Mapping):
        raise TypeError("role is not an object")
    kind = data.get("type")
    label = data.get("name") if isinstance(data.get("name"), str) else None
    if _is(kind, custom):
        if not isinstance(data.get("id"), str):
            raise TypeError("custom role without an id")
        return cls.custom(data["id"], label=label)
    if not _is(kind, predefined):
        raise TypeError(f"role of unknown type {shown(str(kind), 40)!r}")
    if not label:
        raise TypeError("predefined role without a name")
    return cls.predefined(label)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise TypeError(f"{key!r} is missing or not a string")
    return value


def _an_id(data: Mapping[str, Any], key: str) -> str:
    """An id the answer gives for a record that names go by: a write may
    follow, so an empty or dotted one is refused here (a space id of '' is,
    to a bulk plan, the organization)."""
    value = _text(data, key)
    if not value.strip(" .") or value != value.strip():
        raise TypeError(f"{key!r} is {value!r}, which is no id")
    return value


def membership(data: Any) -> Membership:
    """A membership from an answer; TypeError/ValueError if it is none."""
    if not isinstance(data, Mapping):
        raise TypeError("the body is not a JSON object")
    try:
        wire = OrganizationMembership.from_dict(data)
        if isinstance(wire.role, OrganizationPredefinedRoleAssignment):
            role = _ROLE_OF[wire.role.name]
        else:
            label = wire.role.name if isinstance(wire.role.name, str) else None
            role = Role.custom_id(wire.role.id, label=label)
    except _PARSE_ERRORS:
        role = _lenient_role(
            data.get("role"),
            Role,
            OrganizationPredefinedRoleAssignmentType,
            OrganizationCustomRoleAssignmentType,
        )
    return Membership(
        _text(data, "id"), _text(data, "user_id"), _text(data, "organization_id"), role
    )


def _created_at(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def user(data: Any) -> User:
    """An account user from an answer; TypeError if it is none."""
    if not isinstance(data, Mapping):
        raise TypeError("a user is not a JSON object")
    account_role: AccountRole | None
    try:
        wire = WireUser.from_dict(data)
        if isinstance(wire.role, AccountPredefinedRoleAssignment):
            account_role = _ACCOUNT_ROLE_OF[wire.role.name]
        else:
            label = wire.role.name if isinstance(wire.role.name, str) else None
            account_role = AccountRole.custom(wire.role.id, label=label)
    except _PARSE_ERRORS:
        try:
            account_role = _lenient_role(
                data.get("role"),
                AccountRole,
                AccountPredefinedRoleAssignmentType,
                AccountCustomRoleAssignmentType,
            )
        except (TypeError, InvalidInputError):
            account_role = None
    status = data.get("status")
    developer = data.get("is_developer")
    return User(
        id=_text(data, "id"),
        email=_text(data, "email"),
        account_role=account_role,
        name=data.get("name") if isinstance(data.get("name"), str) else None,
        # The server's value, whatever its spelling: 'ACTIVE' or 'active'.
        status=status.lower() if isinstance(status, str) else None,
        is_developer=developer if isinstance(developer, bool) else None,
        created_at=_created_at(data.get("created_at")),
    )


def invited_user(data: Any) -> User:
    """The user an invitation answered, with its temporary password (if
    any) kept in a Secret; TypeError if it is no user. The errors raised
    here never quote the answer: it may hold a password."""
    found = user(data)
    password = data.get("temporary_password")
    if isinstance(password, str) and password:
        return attrs.evolve(found, temporary_password=Secret(password))
    return found


def user_page(data: Any) -> UserPage:
    """The users of one page, and the cursor of the next (None on the last)."""
    try:
        page = UserList.from_dict(data)
        cursor = page.pagination.next_cursor
        more = page.pagination.has_more
    except _PARSE_ERRORS:
        if not isinstance(data, Mapping) or not isinstance(data.get("users"), list):
            raise TypeError("not a page of users") from None
        pagination = data.get("pagination")
        if not isinstance(pagination, Mapping):
            pagination = {}
        cursor, more = pagination.get("next_cursor"), bool(pagination.get("has_more"))
    users = tuple(user(u) for u in data["users"])
    if more is True and not (isinstance(cursor, str) and cursor):
        # Taken as the end, an email on the pages not read would be "no
        # user", and --invite would invite someone who has an account.
        raise TypeError("a page of users says it has more but gives no cursor")
    next_cursor = cursor if more is True and isinstance(cursor, str) else None
    return UserPage(users, next_cursor)


def space_membership(data: Any) -> SpaceMembership:
    """A space membership from an answer; TypeError/ValueError if it is none."""
    if not isinstance(data, Mapping):
        raise TypeError("the body is not a JSON object")
    try:
        wire = WireSpaceMembership.from_dict(data)
        if isinstance(wire.role, SpacePredefinedRoleAssignment):
            role = _SPACE_ROLE_OF[wire.role.name]
        elif isinstance(wire.role, SpaceCustomRoleAssignment):
            label = wire.role.name if isinstance(wire.role.name, str) else None
            role = Role.custom_id(wire.role.id, label=label)
        else:
            raise TypeError("no role")
    except _PARSE_ERRORS:
        role = _lenient_role(
            data.get("role"),
            Role,
            SpacePredefinedRoleAssignmentType,
            SpaceCustomRoleAssignmentType,
        )
    return SpaceMembership(_text(data, "id"), _text(data, "user_id"), _text(data, "space_id"), role)


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _flag(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def organization(data: Any) -> Organization:
    """An organization from an answer: only its id is required (every field
    is optional in Arize's own models)."""
    if not isinstance(data, Mapping):
        raise TypeError("an organization is not a JSON object")
    return Organization(
        id=_an_id(data, "id"),
        name=_optional_text(data, "name"),
        description=_optional_text(data, "description"),
        created_at=_created_at(data.get("created_at")),
    )


def space(data: Any) -> Space:
    """A space from an answer: only its id is required."""
    if not isinstance(data, Mapping):
        raise TypeError("a space is not a JSON object")
    return Space(
        id=_an_id(data, "id"),
        name=_optional_text(data, "name"),
        organization_id=None
        if data.get("organization_id") is None
        else _an_id(data, "organization_id"),
        description=_optional_text(data, "description"),
        is_private=_flag(data, "is_private"),
        created_at=_created_at(data.get("created_at")),
    )


def role_definition(data: Any) -> RoleDefinition:
    """An RBAC role from an answer: only its id is required."""
    if not isinstance(data, Mapping):
        raise TypeError("a role is not a JSON object")
    permissions = data.get("permissions")
    return RoleDefinition(
        id=_an_id(data, "id"),
        name=_optional_text(data, "name"),
        is_predefined=_flag(data, "is_predefined"),
        description=_optional_text(data, "description"),
        permissions=tuple(p for p in permissions if isinstance(p, str))
        if isinstance(permissions, list)
        else (),
        created_at=_created_at(data.get("created_at")),
        updated_at=_created_at(data.get("updated_at")),
    )


def _page(data: Any, key: str, item: Any) -> Page:
    """`{key: [...], pagination: {next_cursor, has_more}}`, read tolerantly."""
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise TypeError(f"not a page of {key}")
    pagination = data.get("pagination")
    if not isinstance(pagination, Mapping):
        pagination = {}
    cursor, more = pagination.get("next_cursor"), pagination.get("has_more")
    if more is not None and not isinstance(more, bool):
        raise TypeError(f"has_more of a page of {key} is not true or false")
    if more and not (isinstance(cursor, str) and cursor):
        # Taken as the end, a name's second match on the pages not read
        # would go unseen: the page is refused instead.
        raise TypeError(f"a page of {key} says it has more but gives no cursor")
    next_cursor = cursor if more else None
    return Page(tuple(item(x) for x in data[key]), next_cursor)


def organization_page(data: Any) -> Page:
    return _page(data, "organizations", organization)


def space_page(data: Any) -> Page:
    return _page(data, "spaces", space)


def role_page(data: Any) -> Page:
    return _page(data, "roles", role_definition)


# ---- the other direction: the sandbox's requests and answers -------------------------------


def read_space_add_request(body: Mapping[str, Any]) -> tuple[str, Role]:
    """(user id, role) of an add-space-user body already valid against the
    spec and in the generated models' spelling."""
    wire = AddSpaceUserRequest.from_dict(body)
    if isinstance(wire.role, SpacePredefinedRoleAssignment):
        return wire.user_id, Role.predefined(wire.role.name.name)
    return wire.user_id, Role.custom_id(wire.role.id)


def space_membership_json(record: SpaceMembership) -> dict[str, Any]:
    return WireSpaceMembership(
        id=record.id,
        user_id=record.user_id,
        space_id=record.space_id,
        role=_space_role_model(record.role, labelled=True),
    ).to_dict()


def _or_unset(value: Any) -> Any:
    return UNSET if value is None else value


def organization_json(record: Organization) -> dict[str, Any]:
    return WireOrganization(
        id=record.id,
        name=_or_unset(record.name),
        description=_or_unset(record.description),
        created_at=_or_unset(record.created_at),
    ).to_dict()


def space_json(record: Space) -> dict[str, Any]:
    return WireSpace(
        id=record.id,
        organization_id=_or_unset(record.organization_id),
        name=_or_unset(record.name),
        description=_or_unset(record.description),
        created_at=_or_unset(record.created_at),
        is_private=_or_unset(record.is_private),
    ).to_dict()


def role_definition_json(record: RoleDefinition) -> dict[str, Any]:
    return WireRole(
        id=record.id,
        name=_or_unset(record.name),
        description=_or_unset(record.description),
        permissions=list(record.permissions),
        is_predefined=_or_unset(record.is_predefined),
        created_at=_or_unset(record.created_at),
        updated_at=_or_unset(record.updated_at),
    ).to_dict()


def page_json(key: str, items: list[dict[str, Any]], next_cursor: str | None) -> dict[str, Any]:
    """A listing's answer: its items and pagination."""
    pagination: dict[str, Any] = {"has_more": next_cursor is not None}
    if next_cursor is not None:
        pagination["next_cursor"] = next_cursor
    return {key: items, "pagination": pagination}


def read_add_request(body: Mapping[str, Any]) -> tuple[str, Role]:
    """(user id, role) of an add-user body already valid against the spec
    and in the generated models' spelling."""
    wire = AddOrganizationUserRequest.from_dict(body)
    if isinstance(wire.role, OrganizationPredefinedRoleAssignment):
        return wire.user_id, Role.predefined(wire.role.name.name)
    # An id as sent, whatever it looks like: a server never reads it as a name.
    return wire.user_id, Role.custom_id(wire.role.id)


def read_invite_request(
    body: Mapping[str, Any],
) -> tuple[str, str | None, AccountRole, FacadeInviteMode]:
    """(email, name, account role, invite mode) of an invitation body already
    valid against the spec and in the generated models' spelling."""
    wire = CreateUserRequest.from_dict(body)
    account = (
        AccountRole.predefined(wire.role.name.name)
        if isinstance(wire.role, AccountPredefinedRoleAssignment)
        else AccountRole.custom(wire.role.id)
    )
    mode = next(m for m in INVITE_MODES if member_name(m) == wire.invite_mode.name)
    name = wire.name if isinstance(wire.name, str) else None
    return wire.email, name, account, mode


def role_json(role: Role) -> dict[str, Any]:
    """A role object as an answer carries it (a custom role with its name)."""
    return _role_model(role, labelled=True).to_dict()


def membership_json(record: Membership) -> dict[str, Any]:
    return OrganizationMembership(
        id=record.id,
        user_id=record.user_id,
        organization_id=record.organization_id,
        role=_role_model(record.role, labelled=True),
    ).to_dict()


def user_json(record: User) -> dict[str, Any]:
    return WireUser(
        id=record.id,
        email=record.email,
        role=_account_role_model(record.account_role),
        name=UNSET if record.name is None else record.name,
        created_at=UNSET if record.created_at is None else record.created_at,
        status=UNSET if record.status is None else UserStatus[member_name(record.status)],
        is_developer=UNSET if record.is_developer is None else record.is_developer,
    ).to_dict()


def invited_user_json(record: User) -> dict[str, Any]:
    """An invitation's answer: the user, and the temporary password when the
    invitation made one (only the 201 of TEMPORARY_PASSWORD does)."""
    body = user_json(record)
    if record.temporary_password is not None:
        body["temporary_password"] = record.temporary_password.reveal()
    return body
