"""Request bodies read, and answers written, in the spelling the sandbox
serves.

A body is validated against the served spec (422 naming the field), turned
into the generated models' spelling and read by `_wire`; an answer is built
by `_wire` and turned into the served spelling. So the sandbox and the
client share one spelling of every shape, and a seed-spelling sandbox
differs from a live one only in its `Spelling` table.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft7Validator

from .. import _wire
from ..errors import InvalidInputError
from ..records import InviteMode, Membership, Secret, SpaceMembership, User
from ..roles import AccountRole, Role
from .spec import ServedSpec, first_error
from .state import Problem, SandboxUser

__all__ = ["Bodies", "user_id_in"]


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise Problem(422, "Unprocessable Entity", "body: not valid JSON") from None
    except RecursionError:
        raise Problem(422, "Unprocessable Entity", "body: nested too deeply") from None


def user_id_in(raw: bytes) -> str | None:
    """The `user_id` a write's body names, if it names one; for the history,
    which records refused writes too."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    value = body.get("user_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


class Bodies:
    """Reading requests and writing answers for one served spec."""

    def __init__(self, spec: ServedSpec) -> None:
        self.spec = spec

    def _valid(self, validator: Draft7Validator, body: Any) -> None:
        error = first_error(validator, body)
        if error is not None:
            raise Problem(422, "Unprocessable Entity", error)

    # ---- requests ----

    def invite_request(self, raw: bytes) -> tuple[str, str | None, AccountRole, InviteMode]:
        body = _parse(raw)
        self._valid(self.spec.invite_validator, body)
        spelled = {
            **body,
            "role": self.spec.spelling.role_in(body["role"]),
            "invite_mode": self.spec.spelling.value_in(body["invite_mode"]),
        }
        return _wire.read_invite_request(spelled)

    def add_request(self, raw: bytes, *, custom_roles: bool) -> tuple[str, Role]:
        """An organization add's body; `custom_roles=False` refuses custom
        roles (422), as Arize's docs say the API does today."""
        body = _parse(raw)
        if isinstance(body, dict) and isinstance(body.get("role"), str):
            body = {**body, "role": self._shorthand(body["role"])}
        self._valid(self.spec.add_user_validator, body)
        user_id, role = _wire.read_add_request(
            {**body, "role": self.spec.spelling.role_in(body["role"])}
        )
        if role.is_custom and not custom_roles:
            names = ", ".join(self.spec.served(v) for v in _wire.ROLE_VALUES)
            raise Problem(
                422,
                "Unprocessable Entity",
                f"role: custom organization roles are not supported; use a predefined role "
                f"({names})",
            )
        return user_id, role

    def space_add_request(self, raw: bytes) -> tuple[str, Role]:
        """A space add's body. Only the object form of a role: the seed's
        bare-string shorthand was documented for organizations alone."""
        body = _parse(raw)
        self._valid(self.spec.space_add_validator, body)
        return _wire.read_space_add_request(
            {**body, "role": self.spec.spelling.role_in(body["role"])}
        )

    def _shorthand(self, text: str) -> dict[str, Any]:
        """The seed's `"role": "member"`: the object form, in the served spelling."""
        try:
            role = Role.parse(text)
        except InvalidInputError:
            raise Problem(422, "Unprocessable Entity", f"role: {text!r} is not a role") from None
        if role.is_custom:
            raise Problem(422, "Unprocessable Entity", "role: give a custom role as an object")
        return self.spec.spelling.role_out(_wire.role_json(role))  # type: ignore[no-any-return]

    # ---- answers ----

    def membership(self, record: Membership) -> dict[str, Any]:
        body = _wire.membership_json(record)
        body["role"] = self.spec.spelling.role_out(body["role"])
        return body

    def space_membership(self, record: SpaceMembership) -> dict[str, Any]:
        body = _wire.space_membership_json(record)
        body["role"] = self.spec.spelling.role_out(body["role"])
        return body

    def user(self, user: SandboxUser, password: str | None = None) -> dict[str, Any]:
        """A user as the API answers one; with `password`, as an invitation's
        201 answers it (with its temporary password)."""
        body = _wire.invited_user_json(
            User(
                id=user.id,
                email=user.email,
                account_role=user.account_role,
                name=user.name,
                status=user.status,
                is_developer=False,
                created_at=user.created_at,
                temporary_password=None if password is None else Secret(password),
            )
        )
        body["role"] = self.spec.spelling.role_out(body["role"])
        body["status"] = self.spec.spelling.value_out(body["status"])
        return body
