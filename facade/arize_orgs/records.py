"""What the API answers, as facade values: memberships (of an organization,
of a space), account users, organizations, spaces and RBAC roles.

Frozen and hashable, with facade types inside (`Role`, `AccountRole`), so
that nothing generated leaks into a caller's code. `_wire` makes them from
the server's answers and, for the sandbox, answers from them.

An invitation's answer may carry a temporary password: it is kept in a
`Secret`, which no repr, str, format or `attrs.asdict` shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal, get_args

import attrs

from .errors import InvalidInputError
from .roles import AccountRole, Role

__all__ = [
    "INVITE_MODES",
    "InviteMode",
    "Membership",
    "Organization",
    "RoleDefinition",
    "Secret",
    "Space",
    "SpaceMembership",
    "User",
    "UserPage",
]

InviteMode = Literal["email-link", "none", "temporary-password"]
INVITE_MODES: Final[tuple[InviteMode, ...]] = get_args(InviteMode)


def check_invite_mode(mode: object) -> InviteMode:
    """How an invited person gets in, from any reasonable spelling
    ('email-link', 'EMAIL_LINK', 'email link'); InvalidInputError otherwise."""
    if isinstance(mode, str):
        spelled = "-".join(mode.strip().lower().replace("_", " ").replace("-", " ").split())
        for known in INVITE_MODES:
            if spelled == known:
                return known
    shown = mode[:40] if isinstance(mode, str) else type(mode).__name__
    raise InvalidInputError(
        f"unknown invite mode {shown!r}; use one of: {', '.join(INVITE_MODES)} "
        "(email-link emails a link, none sends nothing, temporary-password answers a password)"
    )


class Secret:
    """A value that must never be shown, such as a temporary password.

    repr(), str() and f-strings give `***`; `reveal()` gives the value. Not
    an attrs class on purpose: `attrs.asdict` of a record holding one keeps
    the Secret itself instead of unpacking its value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself: hand it on by a safe channel, never log it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return format("***", spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling (to another process, say) keeps the value: that is a copy,
        # not a display.
        return (Secret, (self._value,))


@attrs.frozen
class Membership:
    """A user's membership of an organization, as the server answered it.

    `role` is a Role. A predefined role this version does not know is kept,
    not refused: it is `Role.predefined(<server value>)`, whose `known` is
    False (see `arize_orgs.roles`).
    """

    id: str
    user_id: str
    organization_id: str
    role: Role
    # The user this call invited before adding them (add_user(invite=True)),
    # with their temporary password if one was asked for; None otherwise.
    # Not part of the membership's identity.
    invited: User | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class User:
    """An account user. `account_role` decides which organization roles the
    user may hold (the annotator rule); None when the server did not say.
    `status` is 'active', 'invited' or 'expired' (or a newer value, lower
    case), whatever the server's spelling.

    `temporary_password` is set only on the user an invitation with
    `invite_mode="temporary-password"` created: a `Secret`
    (`user.temporary_password.reveal()`), shown by nothing, compared by nothing."""

    id: str
    email: str
    account_role: AccountRole | None
    name: str | None = None
    status: str | None = None
    is_developer: bool | None = None
    created_at: datetime | None = None
    temporary_password: Secret | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class UserPage:
    """One page of `GET /v2/users`: its users, and the cursor of the next
    page (None on the last)."""

    users: tuple[User, ...]
    next_cursor: str | None = None


@attrs.frozen
class SpaceMembership:
    """A user's membership of a space, as the server answered it.

    `role` is a Role, as for an organization. `organization_membership` is
    the organization membership this call made first (`spaces.add_user(...,
    ensure_org_role=...)`), else None; `invited` as for `Membership`. Neither
    is part of the membership's identity."""

    id: str
    user_id: str
    space_id: str
    role: Role
    organization_membership: Membership | None = attrs.field(default=None, eq=False, repr=False)
    invited: User | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Organization:
    """An organization of the account. Arize means names to be unique within
    an account; nothing but the id is guaranteed to be answered."""

    id: str
    name: str | None = None
    description: str | None = None
    created_at: datetime | None = None


@attrs.frozen
class Space:
    """A space of an organization. Arize means names to be unique within an
    organization, not across organizations. `organization_id` is None when
    the server did not say (older servers omit it)."""

    id: str
    name: str | None = None
    organization_id: str | None = None
    description: str | None = None
    is_private: bool | None = None
    created_at: datetime | None = None


@attrs.frozen
class RoleDefinition:
    """A role of the account's RBAC, as `GET /v2/roles` lists it: predefined
    or custom, with the permissions it grants. `role` is the value to give a
    member (`Role.custom(id)` for a custom one)."""

    id: str
    name: str | None = None
    is_predefined: bool | None = None
    description: str | None = None
    permissions: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def role(self) -> Role:
        """The role to give a member: a predefined role by its name, a custom
        one by its id."""
        if self.is_predefined and self.name:
            return Role.predefined(self.name)
        return Role.custom_id(self.id, label=self.name)
