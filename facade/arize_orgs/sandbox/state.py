"""The sandbox's in-memory account: users, organizations, keys, memberships.

Pure state and the API's rules, with no HTTP: every operation either returns
a value or raises `Problem`, which the app turns into an RFC 9457 answer.
One lock guards everything, so concurrent requests see consistent state.
"""

from __future__ import annotations

import base64
import secrets
import threading
from datetime import UTC, datetime

import attrs

from ..errors import RoleRuleError
from ..ids import email_key
from ..records import InviteMode, Membership
from ..roles import AccountRole, Role, check_role

USER_STATUSES = ("active", "invited", "expired")


class Problem(Exception):
    """An error answer: status, title and detail of a problem document."""

    def __init__(
        self, status: int, title: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}


def global_id(kind: str, number: int) -> str:
    return base64.b64encode(f"{kind}:{number}".encode()).decode()


@attrs.define
class SandboxUser:
    id: str
    email: str
    name: str
    account_role: AccountRole
    status: str = "active"
    created_at: datetime = attrs.field(factory=lambda: datetime.now(UTC))
    invite_mode: InviteMode | None = None  # how the user was invited through the API


@attrs.define
class Caller:
    user_id: str
    account_admin: bool
    admin_of: set[str]

    def administers(self, org_id: str) -> bool:
        return self.account_admin or org_id in self.admin_of


class World:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._serial = 0
        self.users: dict[str, SandboxUser] = {}
        self.orgs: dict[str, str] = {}
        self.custom_roles: dict[str, str] = {}
        self.keys: dict[str, Caller] = {}
        self.memberships: dict[tuple[str, str], Membership] = {}
        # Every successful write, in order: tests check that none is repeated.
        self.writes: list[Membership] = []
        # (org id, user id) of every removal, and (email, invite mode) of every
        # invitation that created a user, in order.
        self.removals: list[tuple[str, str]] = []
        self.invitations: list[tuple[str, InviteMode]] = []

    def _next(self, kind: str) -> str:
        self._serial += 1
        return global_id(kind, self._serial)

    # ---- set-up, from the Sandbox's Python API ----

    def add_user(
        self,
        email: str,
        account_role: AccountRole,
        name: str | None = None,
        status: str = "active",
    ) -> str:
        if status not in USER_STATUSES:
            raise ValueError(f"status must be one of {', '.join(USER_STATUSES)}, not {status!r}")
        with self._lock:
            uid = self._next("User")
            self.users[uid] = SandboxUser(
                uid, email, name or email.split("@")[0], account_role, status
            )
            return uid

    def add_organization(self, name: str) -> str:
        with self._lock:
            org_id = self._next("AccountOrganization")
            self.orgs[org_id] = name
            return org_id

    def add_custom_role(self, name: str) -> str:
        with self._lock:
            role_id = self._next("Role")
            self.custom_roles[role_id] = name
            return role_id

    def add_key(
        self, user_id: str, *, account_admin: bool, admin_of: set[str], key: str | None = None
    ) -> str:
        key = key or "ak-sandbox-" + secrets.token_urlsafe(18)
        with self._lock:
            self.keys[key] = Caller(user_id, account_admin, set(admin_of))
        return key

    def role_of(self, org_id: str, user_id: str) -> Role | None:
        with self._lock:
            record = self.memberships.get((org_id, user_id))
        return record.role if record else None

    # ---- the API's behaviour ----

    def caller(self, authorization: str | None) -> Caller:
        scheme, _, key = (authorization or "").partition(" ")
        caller = self.keys.get(key.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            raise Problem(
                401,
                "Unauthorized",
                "send a valid API key as 'Authorization: Bearer <key>'"
                if authorization
                else "no API key was sent",
            )
        return caller

    def add_member(self, caller: Caller, org_id: str, user_id: str, role: Role) -> Membership:
        with self._lock:
            if org_id not in self.orgs:
                raise Problem(404, "Not Found", f"organization {org_id} does not exist")
            if not caller.administers(org_id):
                raise Problem(
                    403, "Forbidden", f"the caller is not an admin of organization {org_id}"
                )
            user = self.users.get(user_id)
            if user is None:
                raise Problem(404, "Not Found", f"user {user_id} does not exist")
            if role.is_custom:
                if role.id not in self.custom_roles:
                    raise Problem(404, "Not Found", f"custom role {role.id} does not exist")
                role = Role.custom(role.id or "", label=self.custom_roles[role.id or ""])
            try:
                check_role(user.account_role, role)
            except RoleRuleError as exc:
                raise Problem(400, "Bad Request", str(exc)) from None
            old = self.memberships.get((org_id, user_id))
            # An upsert: a member keeps their membership id and gets the new role.
            record = Membership(
                old.id if old else self._next("AccountOrganizationMember"), user_id, org_id, role
            )
            self.memberships[(org_id, user_id)] = record
            self.writes.append(record)
            return record

    def user(self, user_id: str) -> SandboxUser:
        with self._lock:
            user = self.users.get(user_id)
        if user is None:
            raise Problem(404, "Not Found", f"user {user_id} does not exist")
        return user

    def find_users(self, email: str | None) -> list[SandboxUser]:
        needle = (email or "").casefold()
        with self._lock:
            return [u for u in self.users.values() if needle in u.email.casefold()]

    def remove_member(self, caller: Caller, org_id: str, user_id: str) -> None:
        """Take the user out of the organization (and so of every space in
        it: the sandbox has none). The account stays."""
        with self._lock:
            if org_id not in self.orgs:
                raise Problem(404, "Not Found", f"organization {org_id} does not exist")
            if not caller.administers(org_id):
                raise Problem(
                    403, "Forbidden", f"the caller is not an admin of organization {org_id}"
                )
            if user_id not in self.users:
                raise Problem(404, "Not Found", f"user {user_id} does not exist")
            if self.memberships.pop((org_id, user_id), None) is None:
                raise Problem(
                    404, "Not Found", f"user {user_id} is not a member of organization {org_id}"
                )
            self.removals.append((org_id, user_id))

    def invite(
        self,
        caller: Caller,
        email: str,
        name: str | None,
        account_role: AccountRole,
        mode: InviteMode,
    ) -> tuple[SandboxUser, bool, str | None]:
        """(the user, whether it was created, its temporary password). The
        email is the key: a new one makes an invited user; one of an invited
        (or expired) user answers that user as it is; one of an active user
        is a conflict (409)."""
        with self._lock:
            if not caller.account_admin:
                raise Problem(403, "Forbidden", "inviting users needs an account admin")
            if account_role.is_custom and account_role.id not in self.custom_roles:
                raise Problem(400, "Bad Request", f"account role {account_role.id} does not exist")
            key = email_key(email)
            for user in self.users.values():
                if email_key(user.email) != key:
                    continue
                if user.status == "active":
                    raise Problem(
                        409,
                        "Conflict",
                        f"the email {email} belongs to an active user ({user.id}): add that "
                        "user instead of inviting them",
                    )
                return user, False, None
            uid = self._next("User")
            user = SandboxUser(
                uid, email, name or email.split("@")[0], account_role, "invited", invite_mode=mode
            )
            self.users[uid] = user
            self.invitations.append((email, mode))
        password = secrets.token_urlsafe(12) if mode == "temporary-password" else None
        return user, True, password
