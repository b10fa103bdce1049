"""The sandbox's in-memory account: users, keys, organizations and their
spaces, memberships of both, and the account's roles.

Pure state and the API's rules, with no HTTP: every operation either returns
a value or raises `Problem`, which the app turns into an RFC 9457 answer.
One lock guards everything, so concurrent requests see consistent state:
a space add sees the organization membership it depends on, and an
organization removal takes the user out of its spaces at the same moment.
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

import attrs

from ..errors import RoleRuleError
from ..ids import email_key
from ..records import InviteMode, Membership, Organization, RoleDefinition, Space, SpaceMembership
from ..roles import AccountRole, Role, check_role
from .rbac import predefined_roles

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


def _now() -> datetime:
    return datetime.now(UTC)


def _matches(name: str | None, needle: str | None) -> bool:
    """The API's `name` filter: a case-insensitive substring."""
    return needle is None or needle.casefold() in (name or "").casefold()


@attrs.define
class SandboxUser:
    id: str
    email: str
    name: str
    account_role: AccountRole
    status: str = "active"
    created_at: datetime = attrs.field(factory=_now)
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
        self.orgs: dict[str, Organization] = {}
        self.spaces: dict[str, Space] = {}
        self.predefined_roles = predefined_roles(_now())
        self.custom_roles: dict[str, RoleDefinition] = {}
        self.keys: dict[str, Caller] = {}
        self.memberships: dict[tuple[str, str], Membership] = {}
        # (space id, user id) -> membership
        self.space_memberships: dict[tuple[str, str], SpaceMembership] = {}
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

    def add_organization(self, name: str, description: str | None = None) -> str:
        with self._lock:
            org_id = self._next("AccountOrganization")
            self.orgs[org_id] = Organization(org_id, name, description, _now())
            return org_id

    def add_space(
        self, org_id: str, name: str, description: str | None = None, is_private: bool = False
    ) -> str:
        with self._lock:
            if org_id not in self.orgs:
                raise ValueError(f"no organization {org_id!r} in this sandbox")
            space_id = self._next("Space")
            self.spaces[space_id] = Space(
                space_id, name, org_id, description, is_private=is_private, created_at=_now()
            )
            return space_id

    def add_custom_role(
        self, name: str, description: str | None = None, permissions: Iterable[str] = ()
    ) -> str:
        with self._lock:
            role_id = self._next("Role")
            now = _now()
            self.custom_roles[role_id] = RoleDefinition(
                role_id, name, False, description, tuple(permissions), now, now
            )
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

    def space_role_of(self, space_id: str, user_id: str) -> Role | None:
        with self._lock:
            record = self.space_memberships.get((space_id, user_id))
        return record.role if record else None

    # ---- the API's behaviour: who may ----

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

    def _sees_org(self, caller: Caller, org_id: str) -> bool:
        """Admins see an organization, and so do its members."""
        return caller.administers(org_id) or (org_id, caller.user_id) in self.memberships

    def _sees_space(self, caller: Caller, space: Space) -> bool:
        """A private space is seen by its members and its organization's
        admins only; any other by whoever sees its organization."""
        org_id = space.organization_id or ""
        if caller.administers(org_id) or (space.id, caller.user_id) in self.space_memberships:
            return True
        return not space.is_private and self._sees_org(caller, org_id)

    def _administers_space(self, caller: Caller, space: Space, role: Role | None) -> bool:
        """An organization admin administers its spaces; a space's own admin
        may give predefined roles in it, while a custom one needs the
        ROLE_BINDING_CREATE permission (here: an organization admin)."""
        if caller.administers(space.organization_id or ""):
            return True
        held = self.space_memberships.get((space.id, caller.user_id))
        return held is not None and held.role == Role.ADMIN and not (role and role.is_custom)

    def _org(self, caller: Caller, org_id: str) -> Organization:
        org = self.orgs.get(org_id)
        if org is None:
            raise Problem(404, "Not Found", f"organization {org_id} does not exist")
        if not self._sees_org(caller, org_id):
            raise Problem(403, "Forbidden", f"the caller may not see organization {org_id}")
        return org

    def _space(self, caller: Caller, space_id: str) -> Space:
        space = self.spaces.get(space_id)
        if space is None:
            raise Problem(404, "Not Found", f"space {space_id} does not exist")
        if not self._sees_space(caller, space):
            raise Problem(403, "Forbidden", f"the caller may not see space {space_id}")
        return space

    def _user(self, user_id: str) -> SandboxUser:
        user = self.users.get(user_id)
        if user is None:
            raise Problem(404, "Not Found", f"user {user_id} does not exist")
        return user

    def _known_role(self, role: Role) -> Role:
        """The role as answers carry it: a custom one must exist (404
        otherwise) and gets its display name."""
        if not role.is_custom:
            return role
        found = self.custom_roles.get(role.id or "")
        if found is None:
            raise Problem(404, "Not Found", f"custom role {role.id} does not exist")
        return Role.custom_id(found.id, label=found.name)

    @staticmethod
    def _annotator_rule(user: SandboxUser, role: Role) -> None:
        """The annotator rule, for an organization and a space alike: 400."""
        try:
            check_role(user.account_role, role)
        except RoleRuleError as exc:
            raise Problem(400, "Bad Request", str(exc)) from None

    # ---- the API's behaviour: organizations ----

    def organizations(self, caller: Caller, name: str | None) -> list[Organization]:
        with self._lock:
            return [
                org
                for org in self.orgs.values()
                if _matches(org.name, name) and self._sees_org(caller, org.id)
            ]

    def organization(self, caller: Caller, org_id: str) -> Organization:
        with self._lock:
            return self._org(caller, org_id)

    def add_member(self, caller: Caller, org_id: str, user_id: str, role: Role) -> Membership:
        with self._lock:
            if org_id not in self.orgs:
                raise Problem(404, "Not Found", f"organization {org_id} does not exist")
            if not caller.administers(org_id):
                raise Problem(
                    403, "Forbidden", f"the caller is not an admin of organization {org_id}"
                )
            user = self._user(user_id)
            role = self._known_role(role)
            self._annotator_rule(user, role)
            old = self.memberships.get((org_id, user_id))
            # An upsert: a member keeps their membership id and gets the new role.
            record = Membership(
                old.id if old else self._next("AccountOrganizationMember"), user_id, org_id, role
            )
            self.memberships[(org_id, user_id)] = record
            self.writes.append(record)
            return record

    def remove_member(self, caller: Caller, org_id: str, user_id: str) -> None:
        """Take the user out of the organization and out of every space in
        it, as Arize does. The account stays."""
        with self._lock:
            if org_id not in self.orgs:
                raise Problem(404, "Not Found", f"organization {org_id} does not exist")
            if not caller.administers(org_id):
                raise Problem(
                    403, "Forbidden", f"the caller is not an admin of organization {org_id}"
                )
            self._user(user_id)
            if self.memberships.pop((org_id, user_id), None) is None:
                raise Problem(
                    404, "Not Found", f"user {user_id} is not a member of organization {org_id}"
                )
            for space_id, space in self.spaces.items():
                if space.organization_id == org_id:
                    self.space_memberships.pop((space_id, user_id), None)
            self.removals.append((org_id, user_id))

    # ---- the API's behaviour: spaces ----

    def spaces_of(self, caller: Caller, org_id: str | None, name: str | None) -> list[Space]:
        """The spaces the caller sees, of one organization (which must exist
        and be seen) or of all."""
        with self._lock:
            if org_id is not None:
                self._org(caller, org_id)
            return [
                space
                for space in self.spaces.values()
                if (org_id is None or space.organization_id == org_id)
                and _matches(space.name, name)
                and self._sees_space(caller, space)
            ]

    def space(self, caller: Caller, space_id: str) -> Space:
        with self._lock:
            return self._space(caller, space_id)

    def add_space_member(
        self, caller: Caller, space_id: str, user_id: str, role: Role
    ) -> SpaceMembership:
        """An upsert, like the organization's; the user must already be a
        member of the space's organization (no auto-enrolment: 400)."""
        with self._lock:
            space = self.spaces.get(space_id)
            if space is None:
                raise Problem(404, "Not Found", f"space {space_id} does not exist")
            if not self._administers_space(caller, space, role):
                raise Problem(403, "Forbidden", f"the caller is not an admin of space {space_id}")
            user = self._user(user_id)
            role = self._known_role(role)
            org_id = space.organization_id or ""
            if (org_id, user_id) not in self.memberships:
                raise Problem(
                    400,
                    "Bad Request",
                    f"user {user_id} is not a member of organization {org_id}, which space "
                    f"{space_id} belongs to: add them to the organization first",
                )
            self._annotator_rule(user, role)
            old = self.space_memberships.get((space_id, user_id))
            record = SpaceMembership(
                old.id if old else self._next("SpaceMember"), user_id, space_id, role
            )
            self.space_memberships[(space_id, user_id)] = record
            return record

    def remove_space_member(self, caller: Caller, space_id: str, user_id: str) -> None:
        """Take the user out of the space; they stay in its organization."""
        with self._lock:
            space = self.spaces.get(space_id)
            if space is None:
                raise Problem(404, "Not Found", f"space {space_id} does not exist")
            if not self._administers_space(caller, space, None):
                raise Problem(403, "Forbidden", f"the caller is not an admin of space {space_id}")
            self._user(user_id)
            if self.space_memberships.pop((space_id, user_id), None) is None:
                raise Problem(
                    404, "Not Found", f"user {user_id} is not a member of space {space_id}"
                )

    # ---- the API's behaviour: roles ----

    def roles(self, caller: Caller, is_predefined: bool | None) -> list[RoleDefinition]:
        """The predefined roles, then the custom ones, as filtered. Reading
        them needs ROLE_READ: here an account admin's."""
        if not caller.account_admin:
            raise Problem(403, "Forbidden", "listing roles needs the ROLE_READ permission")
        with self._lock:
            every = [*self.predefined_roles, *self.custom_roles.values()]
        return [r for r in every if is_predefined is None or r.is_predefined is is_predefined]

    # ---- the API's behaviour: users ----

    def user(self, user_id: str) -> SandboxUser:
        with self._lock:
            return self._user(user_id)

    def find_users(self, email: str | None) -> list[SandboxUser]:
        needle = (email or "").casefold()
        with self._lock:
            return [u for u in self.users.values() if needle in u.email.casefold()]

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
