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

A custom role is named by its id (`Role.custom("Um9sZTo3")`) or by its name
(`Role.custom("Auditor")`, `Role.parse("custom:Auditor")`): text that reads
as an Arize id (strict base64 of text with a colon, as Arize's own SDK tells
them apart) is an id, anything else a name, which a client resolves to the
role's id (`GET /v2/roles`) before sending.

The same roles, and the same rule, hold in a space as in an organization.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final, Literal

import attrs

from .errors import InvalidInputError, RoleRuleError
from .ids import check_name, decoded_type

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
            return f"custom:{self._custom_ref}"
        return _spelling(self.name or "")

    @property
    def _custom_ref(self) -> str | None:
        return getattr(self, "by_name", None) or self.id

    def __repr__(self) -> str:
        cls = type(self).__name__
        if self.kind == "custom":
            return f"{cls}.custom({self._custom_ref!r})"
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
    """A role in an organization or a space: `Role.ADMIN`, `Role.MEMBER`,
    `Role.READ_ONLY`, `Role.ANNOTATOR`, or `Role.custom(role_id_or_name)` for
    a custom RBAC role."""

    kind: Kind
    name: str | None = None
    id: str | None = None
    # A custom role's display name, as the server may answer it; not part of
    # the role's identity and never sent.
    label: str | None = attrs.field(default=None, eq=False)
    # A custom role given by name: resolved to its id before anything is sent.
    by_name: str | None = None

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
    def custom(cls, role: str, *, label: str | None = None) -> Role:
        """A custom RBAC role, named by its id (text that reads as an Arize
        id, such as 'Um9sZTo3') or by its name ('Auditor'), which a client
        resolves to exactly one custom role before sending."""
        if not isinstance(role, str) or not role.strip():
            raise InvalidInputError(
                "a custom role needs the id or the name of the role, e.g. Role.custom('Um9sZTo3') "
                "or Role.custom('Auditor')"
            )
        text = role.strip()
        if decoded_type(text) is not None:
            return cls("custom", None, text, label)
        return cls("custom", by_name=check_name(text, "a custom role's name"))

    @classmethod
    def custom_id(cls, role_id: str, *, label: str | None = None) -> Role:
        """A custom role by the id a server answered, whatever it looks like."""
        return cls("custom", None, role_id, label)

    @property
    def resolved(self) -> bool:
        """False for a custom role given by name whose id is not known yet."""
        return self.by_name is None

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


def allowed_roles(account_role: AccountRole | str) -> frozenset[Role]:
    """The predefined roles (in an organization or a space) a user with
    `account_role` may hold.

    As Arize documents the rule: an annotator account may only be an
    annotator; any other account (admin, member, `member-ui-only`, a custom
    account role, or one added to the API after this version) may be
    anything but an annotator, custom roles included.
    """
    account = AccountRole.parse(account_role)
    return _ONLY_ANNOTATOR if account == AccountRole.ANNOTATOR else _ALL_BUT_ANNOTATOR


def _not_an_annotator(account: AccountRole) -> str:
    """Why an account role that is not `annotator` is not, in words."""
    if account.is_custom:
        return f"the custom account role {account} is not the annotator account role"
    if not account.known:
        return (
            f"the account role {account} (one this version of arize-orgs does not know) is not "
            "the annotator account role"
        )
    return f"a user whose account role is {account} is not an annotator account"


def check_role(account_role: AccountRole | str, role: Role | str) -> Role:
    """Raise RoleRuleError if the annotator rule forbids `role` (in an
    organization or a space) for a user whose account role is
    `account_role`; return the parsed role otherwise."""
    account = AccountRole.parse(account_role)
    wanted = Role.parse(role)
    allowed = allowed_roles(account)
    annotator = account == AccountRole.ANNOTATOR
    if wanted.is_custom:
        if not annotator:
            return wanted
    elif wanted in allowed:
        return wanted
    choices = ", ".join(sorted(str(r) for r in allowed))
    if annotator:
        why = (
            "an annotator account can only be given the annotator role, in an organization "
            "or a space"
        )
        fix = "use role 'annotator', or change the user's account role first"
    else:
        why = (
            "only an annotator account can be given the annotator role, in an organization or a "
            f"space, and {_not_an_annotator(account)}"
        )
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
