"""Add users to Arize AX organizations: checked before sending, typed errors,
safe retries, sync and async, bulk onboarding; invite people who have no
account yet, remove people who leave.

    from arize_orgs import OrgClient, Role
    with OrgClient() as client:                  # ARIZE_API_KEY, ARIZE_BASE_URL
        client.add_user(org_id, user_id, Role.MEMBER)

The clients (and with them httpx) and the bulk engine load on first use, so
that `import arize_orgs` stays cheap for tools that only need roles, ids or
errors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import errors
from .roles import AccountRole, Role, allowed_roles, check_role

if TYPE_CHECKING:
    from .bulk import BulkOptions, BulkResult, Rate, RowResult, Summary
    from .client import AsyncOrgClient, OrgClient
    from .records import Membership, Secret, User, UserPage

    __version__: str

__all__ = [
    "AccountRole",
    "AsyncOrgClient",
    "BulkOptions",
    "BulkResult",
    "Membership",
    "OrgClient",
    "Rate",
    "Role",
    "RowResult",
    "Secret",
    "Summary",
    "User",
    "UserPage",
    "__version__",
    "allowed_roles",
    "check_role",
    "errors",
]

# name -> the module that defines it, imported when the name is first used.
_LAZY = {
    "OrgClient": "client",
    "AsyncOrgClient": "client",
    "Membership": "records",
    "User": "records",
    "UserPage": "records",
    "Secret": "records",
    "BulkOptions": "bulk",
    "BulkResult": "bulk",
    "Rate": "bulk",
    "RowResult": "bulk",
    "Summary": "bulk",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # One place for the version: the package's metadata (pyproject.toml).
        from importlib.metadata import version

        value: Any = version("arize-orgs")
    elif name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'arize_orgs' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
