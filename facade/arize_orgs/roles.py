"""Organization roles, account roles, and the annotator rule between them.

A role is a frozen value: `Role.MEMBER == Role.parse("Member")`, hashable, and
spelled in messages the way the API documents it (`read-only`). Predefined
roles are named by the same identifiers the generated client uses for its
enum members (`READ_ONLY`), never by a wire spelling, so a spec that respells
the values (`read-only` -> `READ_ONLY`) changes nothing here.

Strict going out, tolerant coming in: `Role.parse` accepts only the roles this
version knows, but a role read from the server that this version does not know
(a predefined role added later) is kept as a `Role` whose `known` is False and
whose `name` is the server's value in the same identifier style (`"OWNER"`).
Such a role compares, hashes and prints like any other, but cannot be sent.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final, Literal

import attrs

from .errors import InvalidInputError, RoleRuleError

__all__ = ["AccountRole", "Role", "account_role_for", "allowed_roles", "check_role"]

Kind = Literal["predefined", "custom"]
_SEPARATORS = re.compile(r"[\s_\-]+")
_IDENTIFIER = re.compile(r"[^A-Z0-9]+")


def _squash(text: str) -> str:
    """'Read-Only', 'read only', 'READ_ONLY' -> 'readonly'."""
    return _SEPARATORS.sub("", text.strip().lower())


def member_name(text: str) -> str:
    """A server value in enum-member style: 'read-only' -> 'READ_ONLY'."""
    return _IDENTIFIER.sub("_", text.strip().upper()).strip("_") or "UNKNOWN"


def _spelling(name: str) -> str:
    """How the docs spell a predefined role: 'READ_ONLY' -> 'read-only'."""
    return name.lower().replace("_", "-")


class _Assignment:
    """What Role and AccountRole share: predefined-by-name or custom-by-id."""

    __slots__ = ()

    kind: Kind
    name: str | None
    id: str | None
    _PREDEFINED: ClassVar[tuple[str, ...]]
    _ALIASES: ClassVar[Mapping[str, str]]
    _WHAT: ClassVar[str]

    @property
    def is_custom(self) -> bool:
        return self.kind == "custom"

    @property
    def known(self) -> bool:
        """False for a predefined role read from the server that this version
        does not know; such a role cannot be sent."""
        return self.kind == "custom" or self.name in self._PREDEFINED

    def __str__(self) -> str:
        if self.kind == "custom":
            return f"custom:{self.id}"
        return _spelling(self.name or "")

    def __repr__(self) -> str:
        cls = type(self).__name__
        if self.kind == "custom":
            return f"{cls}.custom({self.id!r})"
        if self.known:
            return f"{cls}.{self.name}"
        return f"{cls}(<unknown predefined role {_spelling(self.name or '')!r}>)"

    @classmethod
    def _valid_spellings(cls) -> list[str]:
        return [_spelling(name) for name in cls._PREDEFINED]

    @classmethod
    def _parse_name(cls, text: object) -> str:
        if not isinstance(text, str):
            raise InvalidInputError(
                f"{cls._WHAT} must be a string such as 'member', not {type(text).__name__}"
            )
        squashed = _squash(text)
        name = cls._ALIASES.get(squashed)
        if name is not None:
            return name
        valid = cls._valid_spellings()
        shown = text if len(text) <= 40 else text[:39] + "…"
        if not squashed:
            raise InvalidInputError(f"{cls._WHAT} is empty; use one of: {', '.join(valid)}")
        close = difflib.get_close_matches(squashed, list(cls._ALIASES), n=1, cutoff=0.6)
        guess = f"did you mean {_spelling(cls._ALIASES[close[0]])!r}? " if close else ""
        raise InvalidInputError(
            f"unknown {cls._WHAT} {shown!r}; {guess}valid {cls._WHAT}s: {', '.join(valid)}"
        )


@attrs.frozen(repr=False)
class Role(_Assignment):
    """A role in an organization: `Role.ADMIN`, `Role.MEMBER`, `Role.READ_ONLY`,
    `Role.ANNOTATOR`, or `Role.custom(role_id)` for a custom RBAC role."""

    kind: Kind
    name: str | None = None
    id: str | None = None
    # A custom role's display name, as the server may answer it; not part of
    # the role's identity and never sent.
    label: str | None = attrs.field(default=None, eq=False)

    ADMIN: ClassVar[Role]
    MEMBER: ClassVar[Role]
    READ_ONLY: ClassVar[Role]
    ANNOTATOR: ClassVar[Role]

    _PREDEFINED = ("ADMIN", "MEMBER", "READ_ONLY", "ANNOTATOR")
    _ALIASES = MappingProxyType(
        {
            "admin": "ADMIN",
            "administrator": "ADMIN",
            "member": "MEMBER",
            "readonly": "READ_ONLY",
            "viewer": "READ_ONLY",
            "annotator": "ANNOTATOR",
        }
    )
    _WHAT = "organization role"

    @classmethod
    def custom(cls, role_id: str, *, label: str | None = None) -> Role:
        """A custom RBAC role, named by its id."""
        if not isinstance(role_id, str) or not role_id.strip():
            raise InvalidInputError(
                "a custom role needs the id of the role, e.g. Role.custom('Um9sZTo3')"
            )
        return cls("custom", None, role_id.strip(), label)

    @classmethod
    def predefined(cls, name: str) -> Role:
        """The predefined role whose identifier is `name` ('READ_ONLY'), known
        to this version or not. Used for roles read from the server."""
        name = member_name(name)
        known = _BY_NAME.get(name)
        return known if known is not None else cls("predefined", name)

    @classmethod
    def parse(cls, value: Role | str) -> Role:
        """A role from any reasonable spelling.

        'member', 'Read-Only', 'read only', 'READ_ONLY', 'readonly', 'viewer'
        (an alias of read-only) and 'custom:<role id>' are understood; anything
        else raises InvalidInputError naming the closest valid role.
        """
        if isinstance(value, Role):
            if not value.known:
                raise InvalidInputError(
                    f"the organization role {str(value)!r} is not known to this version "
                    "of arize-orgs and cannot be sent; upgrade arize-orgs"
                )
            return value
        if isinstance(value, str):
            head, sep, role_id = value.partition(":")
            if sep and _squash(head) == "custom":
                return cls.custom(role_id)
        return _BY_NAME[cls._parse_name(value)]


Role.ADMIN = Role("predefined", "ADMIN")
Role.MEMBER = Role("predefined", "MEMBER")
Role.READ_ONLY = Role("predefined", "READ_ONLY")
Role.ANNOTATOR = Role("predefined", "ANNOTATOR")
_BY_NAME: Final = {r.name: r for r in (Role.ADMIN, Role.MEMBER, Role.READ_ONLY, Role.ANNOTATOR)}


@attrs.frozen(repr=False)
class AccountRole(_Assignment):
    """A user's role in the account, above its organizations:
    `AccountRole.ADMIN`, `AccountRole.MEMBER`, `AccountRole.ANNOTATOR`, or
    `AccountRole.custom(role_id)`."""

    kind: Kind
    name: str | None = None
    id: str | None = None
    label: str | None = attrs.field(default=None, eq=False)

    ADMIN: ClassVar[AccountRole]
    MEMBER: ClassVar[AccountRole]
    ANNOTATOR: ClassVar[AccountRole]
    MEMBER_UI_ONLY: ClassVar[AccountRole]

    _PREDEFINED = ("ADMIN", "MEMBER", "ANNOTATOR", "MEMBER_UI_ONLY")
    _ALIASES = MappingProxyType(
        {
            "admin": "ADMIN",
            "administrator": "ADMIN",
            "member": "MEMBER",
            "annotator": "ANNOTATOR",
            "memberuionly": "MEMBER_UI_ONLY",
        }
    )
    _WHAT = "account role"

    @classmethod
    def custom(cls, role_id: str, *, label: str | None = None) -> AccountRole:
        if not isinstance(role_id, str) or not role_id.strip():
            raise InvalidInputError("a custom account role needs the id of the role")
        return cls("custom", None, role_id.strip(), label)

    @classmethod
    def predefined(cls, name: str) -> AccountRole:
        name = member_name(name)
        known = _ACCOUNT_BY_NAME.get(name)
        return known if known is not None else cls("predefined", name)

    @classmethod
    def parse(cls, value: AccountRole | str) -> AccountRole:
        """An account role from any reasonable spelling ('Annotator', 'ADMIN')."""
        if isinstance(value, AccountRole):
            return value
        return _ACCOUNT_BY_NAME[cls._parse_name(value)]


AccountRole.ADMIN = AccountRole("predefined", "ADMIN")
AccountRole.MEMBER = AccountRole("predefined", "MEMBER")
AccountRole.ANNOTATOR = AccountRole("predefined", "ANNOTATOR")
# A member who may use the web app but not the API (the live API answers it).
AccountRole.MEMBER_UI_ONLY = AccountRole("predefined", "MEMBER_UI_ONLY")
_ACCOUNT_BY_NAME: Final = {
    r.name: r
    for r in (
        AccountRole.ADMIN,
        AccountRole.MEMBER,
        AccountRole.ANNOTATOR,
        AccountRole.MEMBER_UI_ONLY,
    )
}

_ONLY_ANNOTATOR: Final = frozenset({Role.ANNOTATOR})
_ALL_BUT_ANNOTATOR: Final = frozenset({Role.ADMIN, Role.MEMBER, Role.READ_ONLY})
_ALL: Final = frozenset(_BY_NAME.values())
_RULED: Final = frozenset({AccountRole.ADMIN, AccountRole.MEMBER})  # "anything but annotator"


def allowed_roles(account_role: AccountRole | str) -> frozenset[Role]:
    """The predefined organization roles a user with `account_role` may hold.

    An annotator account may only be an annotator; an admin or member account
    may be anything but an annotator (custom roles included). The rule says
    nothing of other account roles (`member-ui-only`, custom ones, or one
    added to the API after this version): they are not annotators, so
    nothing is refused locally, every predefined role is returned and the
    server decides.
    """
    account = AccountRole.parse(account_role)
    if account == AccountRole.ANNOTATOR:
        return _ONLY_ANNOTATOR
    if account in _RULED:
        return _ALL_BUT_ANNOTATOR
    return _ALL


def check_role(account_role: AccountRole | str, role: Role | str) -> Role:
    """Raise RoleRuleError if the annotator rule forbids `role` for a user whose
    account role is `account_role`; return the parsed role otherwise."""
    account = AccountRole.parse(account_role)
    wanted = Role.parse(role)
    allowed = allowed_roles(account)
    if wanted.is_custom:
        if account != AccountRole.ANNOTATOR:
            return wanted
    elif wanted in allowed:
        return wanted
    choices = ", ".join(sorted(str(r) for r in allowed))
    if account == AccountRole.ANNOTATOR:
        why = "an annotator account can only be given the annotator organization role"
        fix = "use role 'annotator', or change the user's account role first"
    else:
        why = f"a user whose account role is {account} cannot be an annotator in an organization"
        fix = f"use one of: {choices} (or a custom role)"
    raise RoleRuleError(
        f"role {str(wanted)!r} is not allowed for account role {str(account)!r}: {why}; {fix}",
        account_role=account,
        role=wanted,
        allowed=allowed,
    )


def account_role_for(role: Role | str) -> AccountRole:
    """The account role to invite someone with who is to hold `role` in an
    organization: `annotator` for the annotator role, `member` for any other
    (the least privilege that allows it). The annotator rule then holds by
    construction: an annotator account may only be an annotator, a member
    account anything else."""
    return AccountRole.ANNOTATOR if Role.parse(role) == Role.ANNOTATOR else AccountRole.MEMBER
