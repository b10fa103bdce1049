"""Add users to Arize AX organizations: checked before sending, typed errors,
safe retries, sync and async.

    from arize_orgs import OrgClient, Role
    with OrgClient() as client:                  # ARIZE_API_KEY, ARIZE_BASE_URL
        client.add_user(org_id, user_id, Role.MEMBER)

The clients (and with them httpx) load on first use, so that `import
arize_orgs` stays cheap for tools that only need roles, ids or errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .roles import AccountRole, Role, allowed_roles, check_role

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .client import AsyncOrgClient, Membership, OrgClient, User

__all__ = [
    "AccountRole",
    "AsyncOrgClient",
    "Membership",
    "OrgClient",
    "Role",
    "User",
    "allowed_roles",
    "check_role",
    "errors",
]

_LAZY = {"OrgClient", "AsyncOrgClient", "Membership", "User"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import client

        value = getattr(client, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'arize_orgs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
