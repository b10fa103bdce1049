"""What the API answers, as facade values: a membership and an account user.

Frozen and hashable, with facade types inside (`Role`, `AccountRole`), so
that nothing generated leaks into a caller's code. `_wire` makes them from
the server's answers and, for the sandbox, answers from them.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from .roles import AccountRole, Role

__all__ = ["Membership", "User", "UserPage"]


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


@attrs.frozen
class User:
    """An account user. `account_role` decides which organization roles the
    user may hold (the annotator rule); None when the server did not say.
    `status` is 'active', 'invited' or 'expired' (or a newer value, lower
    case), whatever the server's spelling."""

    id: str
    email: str
    account_role: AccountRole | None
    name: str | None = None
    status: str | None = None
    is_developer: bool | None = None
    created_at: datetime | None = None


@attrs.frozen
class UserPage:
    """One page of `GET /v2/users`: its users, and the cursor of the next
    page (None on the last)."""

    users: tuple[User, ...]
    next_cursor: str | None = None
