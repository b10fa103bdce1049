"""The account's RBAC roles, as flows (see `_flow`)."""

from __future__ import annotations

from .. import _wire
from .._flow import Flow
from ..records import RoleDefinition
from ..roles import Role
from . import names
from .context import Context

__all__ = ["list_roles", "resolve"]


def list_roles(ctx: Context, *, is_predefined: bool | None = None) -> Flow[list[RoleDefinition]]:
    """Every role of the account (GET /v2/roles, every page), or only the
    predefined (`is_predefined=True`) or custom (False) ones. Needs the
    ROLE_READ permission (PermissionDeniedError otherwise)."""
    found: list[RoleDefinition] = yield from names.every(
        None,
        lambda cursor: _wire.list_roles_request(is_predefined, cursor, names.LISTING_PAGE),
        _wire.role_page,
        "roles",
    )
    return found


def resolve(ctx: Context, role: Role | str) -> Flow[Role]:
    """`role` as it will be sent: a custom role given by name gets its id
    (looked up once per client); any other role is returned as it is."""
    return (yield from names.custom_role(ctx, Role.parse(role)))
